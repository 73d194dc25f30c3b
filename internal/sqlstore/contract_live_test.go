package sqlstore

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"kindred"
)

// The contract suite's part for group sessions, rooms, chat and blocks;
// runContract runs these with the rest.

// liveFixture is an organisation with a group and people whose names show
// each step of the name precedence.
type liveFixture struct {
	admin *kindred.Account // organisation admin, no names
	alex  *kindred.Account // per-organisation name "Alex in Org"
	blair *kindred.Account // no names at all: the handle shows
	casey *kindred.Account // the account's name only
	org   *kindred.Organization
	group *kindred.Group
}

func newLiveFixture(t testing.TB, db *DB) *liveFixture {
	t.Helper()
	f := &liveFixture{}
	f.admin = newAccount(t, db, "Admin", "")
	f.org = newOrg(t, db, "org", "Org", f.admin)
	f.group = newGroup(t, db, f.org, "g", "G", f.admin)
	f.alex = newAccount(t, db, "Alex", "Alex A.")
	newMember(t, db, f.org, f.alex, "Alex in Org")
	f.blair = newAccount(t, db, "Blair", "")
	newMember(t, db, f.org, f.blair, "")
	f.casey = newAccount(t, db, "Casey", "Casey C.")
	newMember(t, db, f.org, f.casey, "")
	return f
}

func newSession(t testing.TB, db *DB, g *kindred.Group, creator *kindred.Account, title string, start time.Time) *kindred.GroupSession {
	t.Helper()
	s := &kindred.GroupSession{GroupID: g.ID, Title: title, Start: start, Duration: time.Hour, TimeZone: "UTC",
		Recurrence: kindred.RecurWeekly, CreatedBy: creator.ID, CreatedAt: base}
	must(t, db.CreateGroupSession(t.Context(), s))
	return s
}

func newSessionRoom(t testing.TB, db *DB, s *kindred.GroupSession, org *kindred.Organization) *kindred.Room {
	t.Helper()
	r := &kindred.Room{Kind: kindred.RoomSession, OrgID: org.ID, Key: fmt.Sprintf("s:%s:%d", s.ID, s.Start.Unix()),
		GroupID: s.GroupID, SessionID: s.ID, Occurrence: s.Start, Ends: s.Start.Add(s.Duration), CreatedAt: base}
	got, err := db.EnsureRoom(t.Context(), r)
	must(t, err)
	return got
}

func newConversation(t testing.TB, db *DB, org *kindred.Organization, created time.Time, people ...*kindred.Account) *kindred.Room {
	t.Helper()
	r, err := db.EnsureRoom(t.Context(), &kindred.Room{Kind: kindred.RoomConversation, OrgID: org.ID,
		Purpose: kindred.PurposePeer, CreatedAt: created})
	must(t, err)
	for _, p := range people {
		must(t, db.CreateRoomMember(t.Context(), &kindred.RoomMember{RoomID: r.ID, AccountID: p.ID, JoinedAt: created}))
	}
	return r
}

func joinRoom(t testing.TB, db *DB, r *kindred.Room, a *kindred.Account, anonymous bool) *kindred.RoomMember {
	t.Helper()
	m := &kindred.RoomMember{RoomID: r.ID, AccountID: a.ID, Anonymous: anonymous, JoinedAt: base}
	must(t, db.CreateRoomMember(t.Context(), m))
	return m
}

func send(t testing.TB, db *DB, r *kindred.Room, author *kindred.Account, body string, when time.Time) *kindred.ChatMessage {
	t.Helper()
	m := &kindred.ChatMessage{RoomID: r.ID, Body: body, HTML: "<p>" + body + "</p>", CreatedAt: when}
	if author != nil {
		m.AuthorID = author.ID
	}
	must(t, db.CreateChatMessage(t.Context(), m))
	return m
}

func seqs(ms []*kindred.ChatMessage) []int64 {
	out := []int64{}
	for _, m := range ms {
		out = append(out, m.Seq)
	}
	return out
}

func span(from, to int64) []int64 {
	out := []int64{}
	for i := from; i <= to; i++ {
		out = append(out, i)
	}
	return out
}

func sessionTitles(ss []*kindred.GroupSession) []string {
	out := []string{}
	for _, s := range ss {
		out = append(out, s.Title)
	}
	return out
}

func testGroupSessions(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	other := newGroup(t, db, f.org, "other", "Other", f.admin)
	london, err := time.LoadLocation("Europe/London")
	must(t, err)

	until := time.Date(2026, 6, 30, 23, 59, 59, 999999999, london)
	s := &kindred.GroupSession{GroupID: f.group.ID, Title: "Evening circle", Agenda: "Check-in, then *open talk*",
		Start: time.Date(2026, 4, 7, 18, 30, 0, 123456, london), Duration: 90*time.Minute + 7*time.Microsecond,
		TimeZone: "Europe/London", Recurrence: kindred.RecurFortnightly, Until: &until, Capacity: 12, CreatedBy: f.alex.ID}
	must(t, db.CreateGroupSession(ctx, s))
	if s.ID == "" || s.CreatedAt.IsZero() || s.Start.Location() != time.UTC || s.Duration != 90*time.Minute {
		t.Errorf("CreateGroupSession filled: %+v", s)
	}
	got, err := db.FindGroupSession(ctx, s.ID)
	must(t, err)
	wantEqual(t, "FindGroupSession", got, s)
	if !got.Start.Equal(time.Date(2026, 4, 7, 18, 30, 0, 0, london)) || !got.Until.Equal(until.Truncate(time.Millisecond)) {
		t.Errorf("times read back: start %v until %v", got.Start, got.Until)
	}
	_, err = db.FindGroupSession(ctx, "missing")
	wantCode(t, err, kindred.ENOTFOUND)

	once := &kindred.GroupSession{GroupID: f.group.ID, Title: "Once", Start: at(60), Duration: time.Hour,
		TimeZone: "UTC", CreatedBy: f.admin.ID, CreatedAt: at(0)}
	must(t, db.CreateGroupSession(ctx, once))
	if once.Recurrence != kindred.RecurNone || once.Until != nil {
		t.Errorf("defaults: recurrence %q until %v", once.Recurrence, once.Until)
	}
	early := newSession(t, db, f.group, f.admin, "Early", at(30))
	canceled := newSession(t, db, f.group, f.admin, "Canceled", at(45))
	newSession(t, db, other, f.admin, "Elsewhere", at(10))
	wantCode(t, db.CreateGroupSession(ctx, &kindred.GroupSession{GroupID: "missing", Title: "x", Start: at(0),
		Duration: time.Hour, TimeZone: "UTC", CreatedBy: f.admin.ID}), kindred.ENOTFOUND)

	t.Run("UpdateGroupSession", func(t *testing.T) {
		got, err := db.UpdateGroupSession(ctx, canceled.ID, kindred.GroupSessionUpdate{CanceledAt: ptr(ptr(at(5)))})
		must(t, err)
		if !got.Canceled() || !got.CanceledAt.Equal(at(5)) {
			t.Errorf("canceled: %+v", got)
		}
		got, err = db.UpdateGroupSession(ctx, early.ID, kindred.GroupSessionUpdate{Title: ptr("Early bird"),
			Agenda: ptr("New agenda"), Capacity: ptr(4)})
		must(t, err)
		want := *early
		want.Title, want.Agenda, want.Capacity = "Early bird", "New agenda", 4
		wantEqual(t, "updated session", got, &want)
		got, err = db.UpdateGroupSession(ctx, early.ID, kindred.GroupSessionUpdate{})
		must(t, err)
		wantEqual(t, "empty update", got, &want)
		_, err = db.UpdateGroupSession(ctx, "missing", kindred.GroupSessionUpdate{Title: ptr("x")})
		wantCode(t, err, kindred.ENOTFOUND)
	})

	t.Run("ListGroupSessions", func(t *testing.T) {
		list, err := db.ListGroupSessions(ctx, kindred.GroupSessionFilter{GroupID: f.group.ID})
		must(t, err)
		wantEqual(t, "sessions by start, without canceled", sessionTitles(list), []string{"Early bird", "Once", "Evening circle"})
		wantEqual(t, "listed session", list[2], s)
		list, err = db.ListGroupSessions(ctx, kindred.GroupSessionFilter{GroupID: f.group.ID, IncludeCanceled: true})
		must(t, err)
		wantEqual(t, "with canceled", sessionTitles(list), []string{"Early bird", "Canceled", "Once", "Evening circle"})
		list, err = db.ListGroupSessions(ctx, kindred.GroupSessionFilter{GroupID: "none"})
		must(t, err)
		wantEqual(t, "no sessions", list, []*kindred.GroupSession{})
	})

	t.Run("uncancel", func(t *testing.T) {
		got, err := db.UpdateGroupSession(ctx, canceled.ID, kindred.GroupSessionUpdate{CanceledAt: ptr[*time.Time](nil)})
		must(t, err)
		if got.Canceled() {
			t.Errorf("still canceled: %v", got.CanceledAt)
		}
	})
}

func testRSVPs(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	s := newSession(t, db, f.group, f.admin, "Weekly", at(60))
	first, second, third := s.Start, s.Start.Add(7*24*time.Hour), s.Start.Add(14*24*time.Hour)

	answer := func(who *kindred.Account, occurrence time.Time, going bool, when time.Time, capacity int) error {
		return db.SetRSVP(ctx, &kindred.RSVP{SessionID: s.ID, Occurrence: occurrence, AccountID: who.ID, Going: going, At: when}, capacity)
	}
	must(t, answer(f.alex, first, true, at(1), 2))
	must(t, answer(f.blair, first, true, at(2), 2))
	wantCode(t, answer(f.casey, first, true, at(3), 2), kindred.ECONFLICT)
	must(t, answer(f.alex, first, true, at(4), 2))   // already going: still one place of two
	must(t, answer(f.casey, first, false, at(5), 2)) // no is always allowed
	must(t, answer(f.casey, first, true, at(6), 0))  // 0: no limit
	must(t, answer(f.admin, second, true, at(7), 1))
	wantCode(t, answer(f.alex, first, true, at(8), 0), "") // the answer is replaced, not added
	wantCode(t, db.SetRSVP(ctx, &kindred.RSVP{SessionID: "missing", Occurrence: first, AccountID: f.alex.ID, Going: true}, 0), kindred.ENOTFOUND)
	wantCode(t, db.SetRSVP(ctx, &kindred.RSVP{SessionID: "missing", Occurrence: first, AccountID: f.alex.ID}, 0), kindred.ENOTFOUND)

	r := &kindred.RSVP{SessionID: s.ID, Occurrence: third, AccountID: f.blair.ID}
	must(t, db.SetRSVP(ctx, r, 1))
	if r.At.IsZero() {
		t.Error("SetRSVP did not fill At")
	}

	rsvp := func(who *kindred.Account, occurrence time.Time, going bool, when time.Time) *kindred.RSVP {
		return &kindred.RSVP{SessionID: s.ID, Occurrence: occurrence, AccountID: who.ID, Going: going, At: when}
	}
	all, err := db.ListRSVPs(ctx, kindred.RSVPFilter{SessionID: s.ID})
	must(t, err)
	wantEqual(t, "answers by meeting, then time", all, []*kindred.RSVP{
		rsvp(f.blair, first, true, at(2)),
		rsvp(f.casey, first, true, at(6)),
		rsvp(f.alex, first, true, at(8)),
		rsvp(f.admin, second, true, at(7)),
		r,
	})
	one, err := db.ListRSVPs(ctx, kindred.RSVPFilter{SessionID: s.ID, Occurrence: second, AccountID: f.admin.ID})
	must(t, err)
	wantEqual(t, "one person's answer to one meeting", one, []*kindred.RSVP{rsvp(f.admin, second, true, at(7))})
	mine, err := db.ListRSVPs(ctx, kindred.RSVPFilter{SessionID: s.ID, AccountID: f.blair.ID})
	must(t, err)
	if len(mine) != 2 || mine[1].Going {
		t.Errorf("Blair's answers: %+v", mine)
	}

	counts, err := db.CountGoing(ctx, s.ID)
	must(t, err)
	wantEqual(t, "CountGoing", counts, map[int64]int{first.Unix(): 3, second.Unix(): 1})
	counts, err = db.CountGoing(ctx, "missing")
	must(t, err)
	wantEqual(t, "CountGoing without answers", counts, map[int64]int{})
}

// testRSVPCapacityConcurrently: 15 people say yes at once to a meeting with
// 3 places; exactly 3 get one, and a no frees a place.
func testRSVPCapacityConcurrently(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	s := newSession(t, db, f.group, f.admin, "Small", at(60))
	const n, capacity = 15, 3
	people := make([]*kindred.Account, n)
	for i := range people {
		people[i] = newAccount(t, db, fmt.Sprint("p", i), "")
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var going []string
	full := 0
	for _, p := range people {
		wg.Go(func() {
			err := db.SetRSVP(ctx, &kindred.RSVP{SessionID: s.ID, Occurrence: s.Start, AccountID: p.ID, Going: true}, capacity)
			mu.Lock()
			defer mu.Unlock()
			switch kindred.ErrorCode(err) {
			case "":
				going = append(going, p.ID)
			case kindred.ECONFLICT:
				full++
			default:
				t.Errorf("SetRSVP: %v", err)
			}
		})
	}
	wg.Wait()
	if len(going) != capacity || full != n-capacity {
		t.Fatalf("%d going and %d turned away; want %d and %d", len(going), full, capacity, n-capacity)
	}
	counts, err := db.CountGoing(ctx, s.ID)
	must(t, err)
	wantEqual(t, "CountGoing", counts, map[int64]int{s.Start.Unix(): capacity})

	var waiting string
	for _, p := range people {
		if !slices.Contains(going, p.ID) {
			waiting = p.ID
			break
		}
	}
	wantCode(t, db.SetRSVP(ctx, &kindred.RSVP{SessionID: s.ID, Occurrence: s.Start, AccountID: waiting, Going: true}, capacity), kindred.ECONFLICT)
	must(t, db.SetRSVP(ctx, &kindred.RSVP{SessionID: s.ID, Occurrence: s.Start, AccountID: going[0], Going: false}, capacity))
	must(t, db.SetRSVP(ctx, &kindred.RSVP{SessionID: s.ID, Occurrence: s.Start, AccountID: waiting, Going: true}, capacity))
	counts, err = db.CountGoing(ctx, s.ID)
	must(t, err)
	wantEqual(t, "CountGoing after a no and a yes", counts, map[int64]int{s.Start.Unix(): capacity})
}

func testRooms(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	s := newSession(t, db, f.group, f.admin, "Weekly", at(60))

	r := &kindred.Room{Kind: kindred.RoomSession, OrgID: f.org.ID, Key: "s:" + s.ID + ":1", GroupID: f.group.ID,
		SessionID: s.ID, Occurrence: s.Start.Add(123 * time.Microsecond), Ends: s.Start.Add(time.Hour),
		OpenedAt: ptr(at(59)), LastSeq: 99}
	got, err := db.EnsureRoom(ctx, r)
	must(t, err)
	if r.ID == "" || r.CreatedAt.IsZero() || r.LastSeq != 0 || !r.Occurrence.Equal(s.Start) {
		t.Errorf("EnsureRoom filled: %+v", r)
	}
	wantEqual(t, "EnsureRoom result", got, r)
	found, err := db.FindRoom(ctx, r.ID)
	must(t, err)
	wantEqual(t, "FindRoom", found, r)
	_, err = db.FindRoom(ctx, "missing")
	wantCode(t, err, kindred.ENOTFOUND)

	again, err := db.EnsureRoom(ctx, &kindred.Room{Kind: kindred.RoomSession, OrgID: f.org.ID, Key: r.Key,
		GroupID: f.group.ID, SessionID: s.ID, Occurrence: at(1000)})
	must(t, err)
	wantEqual(t, "EnsureRoom with an existing key", again, r)

	// Rooms without a key are never the same room.
	c1 := &kindred.Room{Kind: kindred.RoomConversation, OrgID: f.org.ID, Purpose: kindred.PurposeSupport, CreatedAt: at(2)}
	got1, err := db.EnsureRoom(ctx, c1)
	must(t, err)
	wantEqual(t, "conversation", got1, c1)
	if !got1.Occurrence.IsZero() || !got1.Ends.IsZero() || got1.Key != "" || got1.GroupID != "" {
		t.Errorf("a conversation has no meeting: %+v", got1)
	}
	got2, err := db.EnsureRoom(ctx, &kindred.Room{Kind: kindred.RoomConversation, OrgID: f.org.ID, Purpose: kindred.PurposeSupport})
	must(t, err)
	if got2.ID == got1.ID {
		t.Error("two rooms without keys are one")
	}
	_, err = db.EnsureRoom(ctx, &kindred.Room{Kind: kindred.RoomConversation, OrgID: "missing"})
	wantCode(t, err, kindred.ENOTFOUND)

	t.Run("UpdateRoom", func(t *testing.T) {
		got, err := db.UpdateRoom(ctx, r.ID, kindred.RoomUpdate{EndedAt: ptr(ptr(at(70))), EndedBy: ptr(f.admin.ID)})
		must(t, err)
		want := *r
		want.EndedAt, want.EndedBy = ptr(at(70)), f.admin.ID
		wantEqual(t, "ended room", got, &want)
		got, err = db.UpdateRoom(ctx, r.ID, kindred.RoomUpdate{OpenedAt: ptr[*time.Time](nil), EndedAt: ptr[*time.Time](nil), EndedBy: ptr("")})
		must(t, err)
		want.OpenedAt, want.EndedAt, want.EndedBy = nil, nil, ""
		wantEqual(t, "cleared room", got, &want)
		got, err = db.UpdateRoom(ctx, r.ID, kindred.RoomUpdate{})
		must(t, err)
		wantEqual(t, "empty update", got, &want)
		_, err = db.UpdateRoom(ctx, "missing", kindred.RoomUpdate{EndedBy: ptr("x")})
		wantCode(t, err, kindred.ENOTFOUND)
	})
}

// testEnsureRoomConcurrently: everyone entering a meeting at once gets the
// same room.
func testEnsureRoomConcurrently(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	s := newSession(t, db, f.group, f.admin, "Weekly", at(60))
	key := fmt.Sprintf("s:%s:%d", s.ID, s.Start.Unix())
	const n = 10
	ids := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			r, err := db.EnsureRoom(ctx, &kindred.Room{Kind: kindred.RoomSession, OrgID: f.org.ID, Key: key,
				GroupID: f.group.ID, SessionID: s.ID, Occurrence: s.Start, Ends: s.Start.Add(s.Duration)})
			if err != nil {
				t.Errorf("EnsureRoom: %v", err)
				return
			}
			ids[i] = r.ID
		})
	}
	wg.Wait()
	for _, id := range ids {
		if id != ids[0] || id == "" {
			t.Fatalf("concurrent EnsureRoom returned different rooms: %v", ids)
		}
	}
	var count int
	must(t, db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM rooms`).Scan(&count))
	if count != 1 {
		t.Errorf("%d rooms stored, want 1", count)
	}
}

func testRoomMembers(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	s := newSession(t, db, f.group, f.admin, "Weekly", at(60))
	r := newSessionRoom(t, db, s, f.org)

	a := &kindred.RoomMember{RoomID: r.ID, AccountID: f.alex.ID, Anonymous: true, AgreedAt: ptr(at(1).Add(time.Microsecond))}
	must(t, db.CreateRoomMember(ctx, a))
	if a.Number != 1 || a.JoinedAt.IsZero() || !a.AgreedAt.Equal(at(1)) {
		t.Errorf("CreateRoomMember filled: %+v", a)
	}
	if a.Handle != "Alex" || a.DisplayName != "Alex in Org" || a.AgeBand != kindred.AgeAdult {
		t.Errorf("names: %+v", a)
	}
	b := joinRoom(t, db, r, f.blair, false)
	wantCode(t, db.CreateRoomMember(ctx, &kindred.RoomMember{RoomID: r.ID, AccountID: f.alex.ID}), kindred.ECONFLICT)
	c := joinRoom(t, db, r, f.casey, false)
	if b.Number != 2 || c.Number != 3 {
		t.Errorf("numbers %d and %d, want 2 and 3 (a refused join takes no number)", b.Number, c.Number)
	}
	if b.DisplayName != "Blair" || c.DisplayName != "Casey C." {
		t.Errorf("names: %q and %q", b.DisplayName, c.DisplayName)
	}
	wantCode(t, db.CreateRoomMember(ctx, &kindred.RoomMember{RoomID: "missing", AccountID: f.alex.ID}), kindred.ENOTFOUND)
	wantCode(t, db.CreateRoomMember(ctx, &kindred.RoomMember{RoomID: r.ID, AccountID: "missing"}), kindred.ENOTFOUND)

	got, err := db.FindRoomMember(ctx, r.ID, f.alex.ID)
	must(t, err)
	wantEqual(t, "FindRoomMember", got, a)
	_, err = db.FindRoomMember(ctx, r.ID, f.admin.ID)
	wantCode(t, err, kindred.ENOTFOUND)

	list, err := db.ListRoomMembers(ctx, r.ID)
	must(t, err)
	wantEqual(t, "ListRoomMembers", list, []*kindred.RoomMember{a, b, c})
	list, err = db.ListRoomMembers(ctx, "missing")
	must(t, err)
	wantEqual(t, "no members", list, []*kindred.RoomMember{})

	t.Run("UpdateRoomMember", func(t *testing.T) {
		got, err := db.UpdateRoomMember(ctx, r.ID, f.blair.ID, kindred.RoomMemberUpdate{Anonymous: ptr(true),
			MutedUntil: ptr(ptr(at(10))), RemovedAt: ptr(ptr(at(11))), RemovedBy: ptr(f.admin.ID), LastReadSeq: ptr(int64(7)),
			AgreedAt: ptr(ptr(at(2)))})
		must(t, err)
		want := *b
		want.Anonymous, want.MutedUntil, want.RemovedAt, want.RemovedBy, want.LastReadSeq, want.AgreedAt =
			true, ptr(at(10)), ptr(at(11)), f.admin.ID, 7, ptr(at(2))
		wantEqual(t, "updated member", got, &want)
		if !got.Removed() || !got.Muted(at(9)) || got.Muted(at(10)) {
			t.Errorf("Removed %v, Muted %v/%v", got.Removed(), got.Muted(at(9)), got.Muted(at(10)))
		}
		got, err = db.UpdateRoomMember(ctx, r.ID, f.blair.ID, kindred.RoomMemberUpdate{MutedUntil: ptr[*time.Time](nil),
			RemovedAt: ptr[*time.Time](nil), RemovedBy: ptr(""), Anonymous: ptr(false)})
		must(t, err)
		want.MutedUntil, want.RemovedAt, want.RemovedBy, want.Anonymous = nil, nil, "", false
		wantEqual(t, "cleared member", got, &want)
		got, err = db.UpdateRoomMember(ctx, r.ID, f.blair.ID, kindred.RoomMemberUpdate{})
		must(t, err)
		wantEqual(t, "empty update", got, &want)
		_, err = db.UpdateRoomMember(ctx, r.ID, f.admin.ID, kindred.RoomMemberUpdate{LastReadSeq: ptr(int64(1))})
		wantCode(t, err, kindred.ENOTFOUND)
	})
}

// testRoomMembersConcurrently: people entering at once are numbered 1…n.
func testRoomMembersConcurrently(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	r := newSessionRoom(t, db, newSession(t, db, f.group, f.admin, "Weekly", at(60)), f.org)
	const n = 20
	people := make([]*kindred.Account, n)
	for i := range people {
		people[i] = newAccount(t, db, fmt.Sprint("p", i), "")
	}
	var wg sync.WaitGroup
	for _, p := range people {
		wg.Go(func() {
			if err := db.CreateRoomMember(ctx, &kindred.RoomMember{RoomID: r.ID, AccountID: p.ID}); err != nil {
				t.Errorf("CreateRoomMember: %v", err)
			}
		})
	}
	wg.Wait()
	list, err := db.ListRoomMembers(ctx, r.ID)
	must(t, err)
	var numbers []int
	for _, m := range list {
		numbers = append(numbers, m.Number)
	}
	var want []int
	for i := range n {
		want = append(want, i+1)
	}
	wantEqual(t, "member numbers", numbers, want)
}

func testChatMessages(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	r := newSessionRoom(t, db, newSession(t, db, f.group, f.admin, "Weekly", at(60)), f.org)
	joinRoom(t, db, r, f.alex, true)
	joinRoom(t, db, r, f.casey, false)

	m1 := &kindred.ChatMessage{RoomID: r.ID, AuthorID: f.alex.ID, Nonce: "n1", Body: "hello *all*",
		HTML: "<p>hello <em>all</em></p>", CreatedAt: at(61).Add(time.Microsecond)}
	must(t, db.CreateChatMessage(ctx, m1))
	if m1.ID == "" || m1.Seq != 1 || m1.Kind != kindred.MessageText || !m1.CreatedAt.Equal(at(61)) {
		t.Errorf("CreateChatMessage filled: %+v", m1)
	}
	if m1.AuthorNumber != 1 || !m1.AuthorAnonymous || m1.AuthorHandle != "Alex" || m1.AuthorName != "Alex in Org" {
		t.Errorf("author fields: %+v", m1)
	}
	m2 := send(t, db, r, f.casey, "hi", at(62))
	notice := &kindred.ChatMessage{RoomID: r.ID, Kind: kindred.MessageNotice, Body: "The room is open."}
	must(t, db.CreateChatMessage(ctx, notice))
	m4 := send(t, db, r, f.admin, "from someone not in the room", at(63))
	if m2.Seq != 2 || notice.Seq != 3 || m4.Seq != 4 {
		t.Errorf("seqs %d %d %d, want 2 3 4", m2.Seq, notice.Seq, m4.Seq)
	}
	if m2.AuthorNumber != 2 || m2.AuthorAnonymous || m2.AuthorName != "Casey C." {
		t.Errorf("Casey's message: %+v", m2)
	}
	if notice.AuthorID != "" || notice.AuthorNumber != 0 || notice.AuthorHandle != "" || notice.AuthorName != "" || notice.CreatedAt.IsZero() {
		t.Errorf("notice: %+v", notice)
	}
	if m4.AuthorNumber != 0 || m4.AuthorHandle != "Admin" || m4.AuthorName != "Admin" {
		t.Errorf("message by a non-member: %+v", m4)
	}

	t.Run("duplicate nonce", func(t *testing.T) {
		dup := &kindred.ChatMessage{RoomID: r.ID, AuthorID: f.alex.ID, Nonce: "n1", Body: "hello again"}
		wantCode(t, db.CreateChatMessage(ctx, dup), kindred.ECONFLICT)
		wantEqual(t, "the resent message is the stored one", dup, m1)
		// The same nonce from someone else, or in another room, is new.
		other := &kindred.ChatMessage{RoomID: r.ID, AuthorID: f.casey.ID, Nonce: "n1", Body: "mine"}
		must(t, db.CreateChatMessage(ctx, other))
		if other.Seq != 5 {
			t.Errorf("after a refused resend the next seq is %d, want 5", other.Seq)
		}
		elsewhere := newConversation(t, db, f.org, at(0), f.alex)
		must(t, db.CreateChatMessage(ctx, &kindred.ChatMessage{RoomID: elsewhere.ID, AuthorID: f.alex.ID, Nonce: "n1", Body: "x"}))
		room, err := db.FindRoom(ctx, r.ID)
		must(t, err)
		if room.LastSeq != 5 {
			t.Errorf("room LastSeq = %d, want 5", room.LastSeq)
		}
	})

	wantCode(t, db.CreateChatMessage(ctx, &kindred.ChatMessage{RoomID: "missing", AuthorID: f.alex.ID, Body: "x"}), kindred.ENOTFOUND)

	got, err := db.FindChatMessage(ctx, r.ID, 1)
	must(t, err)
	wantEqual(t, "FindChatMessage", got, m1)
	got, err = db.FindChatMessage(ctx, r.ID, 3)
	must(t, err)
	wantEqual(t, "FindChatMessage notice", got, notice)
	_, err = db.FindChatMessage(ctx, r.ID, 99)
	wantCode(t, err, kindred.ENOTFOUND)

	list, err := db.ListChatMessages(ctx, kindred.ChatFilter{RoomID: r.ID})
	must(t, err)
	wantEqual(t, "seqs", seqs(list), []int64{1, 2, 3, 4, 5})
	wantEqual(t, "listed messages", list[:4], []*kindred.ChatMessage{m1, m2, notice, m4})

	// A member's later choices show on their earlier messages: listings
	// read the member row as it is now.
	_, err = db.UpdateRoomMember(ctx, r.ID, f.alex.ID, kindred.RoomMemberUpdate{Anonymous: ptr(false)})
	must(t, err)
	_, err = db.UpdateMembership(ctx, f.org.ID, f.alex.ID, kindred.MembershipUpdate{DisplayName: ptr("")})
	must(t, err)
	got, err = db.FindChatMessage(ctx, r.ID, 1)
	must(t, err)
	if got.AuthorAnonymous || got.AuthorName != "Alex A." {
		t.Errorf("after changes: anonymous %v name %q", got.AuthorAnonymous, got.AuthorName)
	}
}

func testChatPaging(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	r := newConversation(t, db, f.org, at(0), f.alex, f.blair)
	const n = 60
	for i := range n {
		send(t, db, r, f.alex, fmt.Sprint("m", i+1), at(i))
	}
	tests := []struct {
		name   string
		filter kindred.ChatFilter
		want   []int64
	}{
		{"first page", kindred.ChatFilter{}, span(1, kindred.ChatPage)},
		{"after", kindred.ChatFilter{After: 55}, span(56, 60)},
		{"after with a limit", kindred.ChatFilter{After: 10, Limit: 3}, span(11, 13)},
		{"after the end", kindred.ChatFilter{After: 60}, []int64{}},
		{"before: the newest page before it", kindred.ChatFilter{Before: 61, Limit: 5}, span(56, 60)},
		{"before, default limit", kindred.ChatFilter{Before: 58}, span(8, 57)},
		{"before near the start", kindred.ChatFilter{Before: 4, Limit: 10}, span(1, 3)},
		{"between", kindred.ChatFilter{After: 20, Before: 30, Limit: 4}, span(26, 29)},
		{"between, fewer than the limit", kindred.ChatFilter{After: 20, Before: 24}, span(21, 23)},
		{"a large limit", kindred.ChatFilter{Limit: 5000}, span(1, 60)},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.filter.RoomID = r.ID
			got, err := db.ListChatMessages(ctx, tc.filter)
			must(t, err)
			wantEqual(t, "seqs", seqs(got), tc.want)
		})
	}
	got, err := db.ListChatMessages(ctx, kindred.ChatFilter{RoomID: "missing"})
	must(t, err)
	wantEqual(t, "missing room", got, []*kindred.ChatMessage{})
}

func testRemoveChatMessage(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	r := newSessionRoom(t, db, newSession(t, db, f.group, f.admin, "Weekly", at(60)), f.org)
	joinRoom(t, db, r, f.alex, false)
	m1 := send(t, db, r, f.alex, "something unkind", at(61))
	m2 := send(t, db, r, f.alex, "something kind", at(62))

	notice := &kindred.ChatMessage{Body: "A message was removed."}
	must(t, db.RemoveChatMessage(ctx, r.ID, m1.Seq, f.admin.ID, "It broke the agreements.", at(63).Add(time.Microsecond), notice))
	if notice.Seq != 3 || notice.Kind != kindred.MessageNotice || notice.Removes != m1.Seq || notice.RoomID != r.ID ||
		notice.ID == "" || !notice.CreatedAt.Equal(at(63)) || notice.AuthorID != "" {
		t.Errorf("notice: %+v", notice)
	}
	got, err := db.FindChatMessage(ctx, r.ID, m1.Seq)
	must(t, err)
	want := *m1
	want.Body, want.HTML, want.RemovedAt, want.RemovedBy, want.Reason = "", "", ptr(at(63)), f.admin.ID, "It broke the agreements."
	wantEqual(t, "removed message", got, &want)
	stored, err := db.FindChatMessage(ctx, r.ID, notice.Seq)
	must(t, err)
	wantEqual(t, "stored notice", stored, notice)

	again := &kindred.ChatMessage{Body: "again"}
	wantCode(t, db.RemoveChatMessage(ctx, r.ID, m1.Seq, f.alex.ID, "again", at(64), again), kindred.ECONFLICT)
	wantCode(t, db.RemoveChatMessage(ctx, r.ID, 99, f.admin.ID, "", at(64), &kindred.ChatMessage{Body: "x"}), kindred.ENOTFOUND)
	wantCode(t, db.RemoveChatMessage(ctx, "missing", 1, f.admin.ID, "", at(64), &kindred.ChatMessage{Body: "x"}), kindred.ENOTFOUND)
	got, err = db.FindChatMessage(ctx, r.ID, m1.Seq)
	must(t, err)
	wantEqual(t, "after a second removal", got, &want)

	list, err := db.ListChatMessages(ctx, kindred.ChatFilter{RoomID: r.ID})
	must(t, err)
	wantEqual(t, "nothing more was stored", seqs(list), []int64{1, 2, 3})
	wantEqual(t, "listed", list, []*kindred.ChatMessage{&want, m2, notice})
	next := send(t, db, r, f.alex, "next", at(65))
	if next.Seq != 4 {
		t.Errorf("next seq %d, want 4", next.Seq)
	}
}

// testChatSeqConcurrently: senders racing in two rooms number each room's
// messages 1…n with no gaps and no repeats, and readers never see a gap.
func testChatSeqConcurrently(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	rooms := []*kindred.Room{
		newConversation(t, db, f.org, at(0), f.alex, f.blair),
		newConversation(t, db, f.org, at(0), f.alex, f.casey),
	}
	const n = 20
	// A reader polling meanwhile must never see a gap: commits happen in
	// seq order, so a client resuming after the highest seq it saw misses
	// nothing.
	done := make(chan struct{})
	var readers sync.WaitGroup
	for _, r := range rooms {
		readers.Go(func() {
			for {
				list, err := db.ListChatMessages(ctx, kindred.ChatFilter{RoomID: r.ID, Limit: 100})
				if err != nil {
					t.Errorf("ListChatMessages: %v", err)
					return
				}
				if got := seqs(list); !slices.Equal(got, span(1, int64(len(got)))) {
					t.Errorf("a reader saw seqs %v", got)
					return
				}
				select {
				case <-done:
					return
				default:
				}
			}
		})
	}
	var wg sync.WaitGroup
	for i := range n {
		for _, r := range rooms {
			wg.Go(func() {
				m := &kindred.ChatMessage{RoomID: r.ID, AuthorID: f.alex.ID, Nonce: fmt.Sprint("n", i), Body: fmt.Sprint(i), CreatedAt: at(i)}
				if err := db.CreateChatMessage(ctx, m); err != nil {
					t.Errorf("CreateChatMessage: %v", err)
				}
			})
		}
	}
	wg.Wait()
	close(done)
	readers.Wait()
	for _, r := range rooms {
		list, err := db.ListChatMessages(ctx, kindred.ChatFilter{RoomID: r.ID, Limit: 100})
		must(t, err)
		wantEqual(t, "seqs", seqs(list), span(1, n))
		bodies := map[string]bool{}
		for _, m := range list {
			bodies[m.Body] = true
		}
		if len(bodies) != n {
			t.Errorf("%d different messages stored, want %d", len(bodies), n)
		}
		room, err := db.FindRoom(ctx, r.ID)
		must(t, err)
		if room.LastSeq != n {
			t.Errorf("LastSeq %d, want %d", room.LastSeq, n)
		}
	}
}

// testChatNonceConcurrently: a message resent several times at once is
// stored once, and every resend learns which message it was.
func testChatNonceConcurrently(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	r := newConversation(t, db, f.org, at(0), f.alex, f.blair)
	const n = 8
	got := make([]*kindred.ChatMessage, n)
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			got[i] = &kindred.ChatMessage{RoomID: r.ID, AuthorID: f.alex.ID, Nonce: "same", Body: "once"}
			errs[i] = db.CreateChatMessage(ctx, got[i])
		})
	}
	wg.Wait()
	ok := 0
	for i, err := range errs {
		switch kindred.ErrorCode(err) {
		case "":
			ok++
		case kindred.ECONFLICT:
		default:
			t.Errorf("CreateChatMessage: %v", err)
		}
		if got[i].Seq != 1 || got[i].ID != got[0].ID {
			t.Errorf("attempt %d holds seq %d id %q; want 1 and %q", i, got[i].Seq, got[i].ID, got[0].ID)
		}
	}
	if ok != 1 {
		t.Errorf("%d attempts stored the message, want 1", ok)
	}
	room, err := db.FindRoom(ctx, r.ID)
	must(t, err)
	if room.LastSeq != 1 {
		t.Errorf("LastSeq %d, want 1", room.LastSeq)
	}
}

// testChatSharedCommits sends to two rooms at once, with repeated nonces
// and a room that does not exist mixed in, so that messages share
// transactions: every outcome is still each message's own.
func testChatSharedCommits(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	a := newConversation(t, db, f.org, at(0), f.alex, f.blair)
	b := newConversation(t, db, f.org, at(0), f.alex, f.casey)
	type attempt struct {
		m   *kindred.ChatMessage
		err error
	}
	var attempts []*attempt
	add := func(room, nonce string) {
		attempts = append(attempts, &attempt{m: &kindred.ChatMessage{RoomID: room, AuthorID: f.alex.ID, Nonce: nonce, Body: "hi"}})
	}
	for i := range 40 {
		add(a.ID, fmt.Sprint("a", i))
		add(b.ID, fmt.Sprint("b", i))
		if i%8 == 0 {
			add(a.ID, "again") // five tries of one message
			add("no-such-room", fmt.Sprint("x", i))
		}
	}
	var wg sync.WaitGroup
	for _, at := range attempts {
		wg.Go(func() { at.err = db.CreateChatMessage(ctx, at.m) })
	}
	wg.Wait()
	stored, again, missing := map[string][]int64{}, map[int64]int{}, 0
	for _, at := range attempts {
		switch {
		case at.m.RoomID == "no-such-room":
			if kindred.ErrorCode(at.err) != kindred.ENOTFOUND {
				t.Errorf("a message to no room: %v", at.err)
			}
			missing++
		case at.m.Nonce == "again":
			if c := kindred.ErrorCode(at.err); c != "" && c != kindred.ECONFLICT {
				t.Errorf("a repeated nonce: %v", at.err)
			}
			again[at.m.Seq]++
			if at.err == nil {
				stored[at.m.RoomID] = append(stored[at.m.RoomID], at.m.Seq)
			}
		case at.err != nil:
			t.Errorf("CreateChatMessage: %v", at.err)
		default:
			stored[at.m.RoomID] = append(stored[at.m.RoomID], at.m.Seq)
		}
	}
	if len(again) != 1 || missing != 5 {
		t.Errorf("the five tries hold seqs %v (want one seq); %d messages to no room", again, missing)
	}
	for room, want := range map[string]int64{a.ID: 41, b.ID: 40} {
		got := stored[room]
		slices.Sort(got)
		wantEqual(t, "seqs of "+room, got, span(1, want))
		list, err := db.ListChatMessages(ctx, kindred.ChatFilter{RoomID: room, Limit: 100})
		must(t, err)
		wantEqual(t, "stored seqs of "+room, seqs(list), span(1, want))
		r, err := db.FindRoom(ctx, room)
		must(t, err)
		if r.LastSeq != want {
			t.Errorf("LastSeq %d, want %d", r.LastSeq, want)
		}
	}
}

func testConversations(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	elsewhere := newOrg(t, db, "elsewhere", "Elsewhere", f.admin)
	ab := newConversation(t, db, f.org, at(0), f.alex, f.blair)
	ac := newConversation(t, db, f.org, at(1), f.alex, f.casey)
	newConversation(t, db, f.org, at(2), f.blair, f.casey)    // not Alex's
	newConversation(t, db, elsewhere, at(3), f.alex, f.blair) // another organisation
	alone := newConversation(t, db, f.org, at(-5), f.alex)    // the other person's row is gone
	removed := newConversation(t, db, f.org, at(4), f.alex, f.admin)
	_, err := db.UpdateRoomMember(ctx, removed.ID, f.alex.ID, kindred.RoomMemberUpdate{RemovedAt: ptr(ptr(at(5)))})
	must(t, err)
	session := newSessionRoom(t, db, newSession(t, db, f.group, f.admin, "Weekly", at(60)), f.org)
	joinRoom(t, db, session, f.alex, false) // not a conversation

	ids := func(cs []*kindred.Conversation) []string {
		out := []string{}
		for _, c := range cs {
			out = append(out, c.Room.ID)
		}
		return out
	}
	list, err := db.ListConversations(ctx, kindred.ConversationFilter{OrgID: f.org.ID, AccountID: f.alex.ID})
	must(t, err)
	wantEqual(t, "newest first before any message", ids(list), []string{ac.ID, ab.ID, alone.ID})
	if list[0].LastMessage != nil || list[2].Other != nil {
		t.Errorf("LastMessage %v, Other of a lone room %+v", list[0].LastMessage, list[2].Other)
	}

	send(t, db, ab, f.blair, "hello", at(10))
	list, err = db.ListConversations(ctx, kindred.ConversationFilter{OrgID: f.org.ID, AccountID: f.alex.ID})
	must(t, err)
	wantEqual(t, "a message moves a conversation up", ids(list), []string{ab.ID, ac.ID, alone.ID})
	c := list[0]
	if c.LastMessage == nil || !c.LastMessage.Equal(at(10)) || c.Room.LastSeq != 1 {
		t.Errorf("LastMessage %v, LastSeq %d", c.LastMessage, c.Room.LastSeq)
	}
	me, err := db.FindRoomMember(ctx, ab.ID, f.alex.ID)
	must(t, err)
	other, err := db.FindRoomMember(ctx, ab.ID, f.blair.ID)
	must(t, err)
	room, err := db.FindRoom(ctx, ab.ID)
	must(t, err)
	wantEqual(t, "Me", c.Me, me)
	wantEqual(t, "Other", c.Other, other)
	wantEqual(t, "Room", c.Room, room)
	if c.Me.DisplayName != "Alex in Org" || c.Other.DisplayName != "Blair" {
		t.Errorf("names: me %q other %q", c.Me.DisplayName, c.Other.DisplayName)
	}

	// An older message never moves a conversation back.
	send(t, db, ab, f.alex, "late", at(9))
	send(t, db, ac, f.casey, "hi", at(11))
	list, err = db.ListConversations(ctx, kindred.ConversationFilter{OrgID: f.org.ID, AccountID: f.alex.ID})
	must(t, err)
	wantEqual(t, "order by last message", ids(list), []string{ac.ID, ab.ID, alone.ID})
	if !list[1].LastMessage.Equal(at(10)) {
		t.Errorf("LastMessage moved back to %v", list[1].LastMessage)
	}

	list, err = db.ListConversations(ctx, kindred.ConversationFilter{OrgID: f.org.ID, AccountID: f.blair.ID})
	must(t, err)
	if len(list) != 2 || list[0].Room.ID != ab.ID || list[0].Other.AccountID != f.alex.ID || list[0].Me.AccountID != f.blair.ID ||
		list[0].Other.DisplayName != "Alex in Org" {
		t.Errorf("Blair's conversations: %v", ids(list))
	}
	list, err = db.ListConversations(ctx, kindred.ConversationFilter{OrgID: elsewhere.ID, AccountID: f.casey.ID})
	must(t, err)
	wantEqual(t, "none", list, []*kindred.Conversation{})
}

func testBlocks(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	blocked := func(a *kindred.Account) []string {
		t.Helper()
		got, err := db.BlockedWith(ctx, a.ID)
		must(t, err)
		return got
	}
	sorted := func(ids ...string) []string { return slices.Sorted(slices.Values(ids)) }

	wantEqual(t, "nobody blocked", blocked(f.alex), []string{})
	b := &kindred.Block{AccountID: f.alex.ID, BlockedID: f.blair.ID, CreatedAt: at(1).Add(time.Microsecond)}
	must(t, db.CreateBlock(ctx, b))
	if !b.CreatedAt.Equal(at(1)) {
		t.Errorf("CreatedAt %v", b.CreatedAt)
	}
	again := &kindred.Block{AccountID: f.alex.ID, BlockedID: f.blair.ID, CreatedAt: at(5)}
	must(t, db.CreateBlock(ctx, again))
	if !again.CreatedAt.Equal(at(1)) {
		t.Errorf("blocking again: CreatedAt %v, want the first block's %v", again.CreatedAt, at(1))
	}
	fill := &kindred.Block{AccountID: f.casey.ID, BlockedID: f.alex.ID}
	must(t, db.CreateBlock(ctx, fill))
	if fill.CreatedAt.IsZero() {
		t.Error("CreatedAt not filled")
	}
	wantCode(t, db.CreateBlock(ctx, &kindred.Block{AccountID: f.alex.ID, BlockedID: "missing"}), kindred.ENOTFOUND)

	wantEqual(t, "both ways for Alex", blocked(f.alex), sorted(f.blair.ID, f.casey.ID))
	wantEqual(t, "Blair", blocked(f.blair), []string{f.alex.ID})
	wantEqual(t, "Casey", blocked(f.casey), []string{f.alex.ID})
	wantEqual(t, "Admin", blocked(f.admin), []string{})

	must(t, db.CreateBlock(ctx, &kindred.Block{AccountID: f.blair.ID, BlockedID: f.alex.ID}))
	wantEqual(t, "blocked both ways, listed once", blocked(f.alex), sorted(f.blair.ID, f.casey.ID))

	must(t, db.DeleteBlock(ctx, f.alex.ID, f.blair.ID))
	wantEqual(t, "Blair's own block remains", blocked(f.alex), sorted(f.blair.ID, f.casey.ID))
	must(t, db.DeleteBlock(ctx, f.blair.ID, f.alex.ID))
	wantEqual(t, "after unblocking", blocked(f.alex), []string{f.casey.ID})
	must(t, db.DeleteBlock(ctx, f.blair.ID, f.alex.ID)) // no such block: nothing to do
	wantEqual(t, "Blair", blocked(f.blair), []string{})
}

// testLiveCascade: sessions, rooms and everything in them go with their
// group; a person's answers, room memberships and blocks go with them.
func testLiveCascade(t *testing.T, db *DB) {
	ctx := t.Context()
	f := newLiveFixture(t, db)
	s := newSession(t, db, f.group, f.admin, "Weekly", at(60))
	r := newSessionRoom(t, db, s, f.org)
	joinRoom(t, db, r, f.alex, false)
	send(t, db, r, f.alex, "hi", at(61))
	must(t, db.SetRSVP(ctx, &kindred.RSVP{SessionID: s.ID, Occurrence: s.Start, AccountID: f.alex.ID, Going: true}, 0))
	conv := newConversation(t, db, f.org, at(0), f.blair, f.casey)
	must(t, db.SetRSVP(ctx, &kindred.RSVP{SessionID: s.ID, Occurrence: s.Start, AccountID: f.casey.ID, Going: true}, 0))
	must(t, db.CreateBlock(ctx, &kindred.Block{AccountID: f.alex.ID, BlockedID: f.casey.ID}))

	count := func(table string) int {
		t.Helper()
		var n int
		must(t, db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM `+table).Scan(&n))
		return n
	}

	t.Run("account", func(t *testing.T) {
		rawExec(t, db, `DELETE FROM accounts WHERE id = ?`, f.casey.ID)
		if _, err := db.FindRoomMember(ctx, conv.ID, f.casey.ID); kindred.ErrorCode(err) != kindred.ENOTFOUND {
			t.Errorf("room member outlived the account: %v", err)
		}
		wantEqual(t, "blocks", count("blocks"), 0)
		rsvps, err := db.ListRSVPs(ctx, kindred.RSVPFilter{SessionID: s.ID})
		must(t, err)
		if len(rsvps) != 1 || rsvps[0].AccountID != f.alex.ID {
			t.Errorf("answers after deleting an account: %+v", rsvps)
		}
	})

	t.Run("group", func(t *testing.T) {
		rawExec(t, db, `DELETE FROM peer_groups WHERE id = ?`, f.group.ID)
		_, err := db.FindGroupSession(ctx, s.ID)
		wantCode(t, err, kindred.ENOTFOUND)
		_, err = db.FindRoom(ctx, r.ID)
		wantCode(t, err, kindred.ENOTFOUND)
		for _, table := range []string{"session_rsvps", "chat_messages"} {
			if n := count(table); n != 0 {
				t.Errorf("%d rows of %s outlived their group", n, table)
			}
		}
		if n := count("room_members"); n != 1 { // Blair in the conversation
			t.Errorf("%d room members left, want 1", n)
		}
		if _, err := db.FindRoom(ctx, conv.ID); err != nil {
			t.Errorf("a conversation went with a group: %v", err)
		}
	})

	t.Run("organisation", func(t *testing.T) {
		rawExec(t, db, `DELETE FROM organizations WHERE id = ?`, f.org.ID)
		_, err := db.FindRoom(ctx, conv.ID)
		wantCode(t, err, kindred.ENOTFOUND)
		wantEqual(t, "room members", count("room_members"), 0)
	})
}
