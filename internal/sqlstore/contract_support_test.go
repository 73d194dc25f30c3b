package sqlstore

import (
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"kindred"
)

// supportContract lists the support store's contract cases.
var supportContract = []struct {
	name string
	fn   func(t *testing.T, db *DB)
}{
	{"SupportSettings", testSupportSettings},
	{"SupporterProfiles", testSupporterProfiles},
	{"SupportShifts", testSupportShifts},
	{"SupportRequests", testSupportRequests},
	{"SupportOffers", testSupportOffers},
	{"AcceptSupportOffer", testAcceptSupportOffer},
	{"SupportMatches", testSupportMatches},
	{"SupportNotes", testSupportNotes},
	{"SupportEscalations", testSupportEscalations},
	{"SupportCandidates", testSupportCandidates},
	{"AcceptSupportOfferConcurrently", testAcceptSupportOfferConcurrently},
	{"AcceptSupportOfferAtCapacityConcurrently", testAcceptAtCapacityConcurrently},
}

// supportWorld is an organisation with a course to sign supporters off on.
type supportWorld struct {
	db     *DB
	org    *kindred.Organization
	course *kindred.Course
	admin  *kindred.Account
}

func newSupportWorld(t testing.TB, db *DB) *supportWorld {
	t.Helper()
	admin := newAccount(t, db, "coord", "Coordinator")
	org := newOrg(t, db, "kindred-town", "Kindred Town", admin)
	c := &kindred.Course{OrgID: org.ID, Slug: "peer-support", Title: "Peer support", Published: true, CreatedAt: base, UpdatedAt: base}
	must(t, db.CreateCourse(t.Context(), c))
	return &supportWorld{db: db, org: org, course: c, admin: admin}
}

// supporter makes a certified supporter (expires nil: never) with a profile.
func (w *supportWorld) supporter(t testing.TB, handle string, expires *time.Time, band kindred.AgeBand) *kindred.Account {
	t.Helper()
	a := newAccount(t, w.db, handle, "")
	if band != "" && band != kindred.AgeAdult {
		rawExec(t, w.db, `UPDATE accounts SET age_band = ? WHERE id = ?`, string(band), a.ID)
		a.AgeBand = band
	}
	newMember(t, w.db, w.org, a, "")
	w.certify(t, a, expires)
	w.profile(t, a)
	return a
}

func (w *supportWorld) certify(t testing.TB, a *kindred.Account, expires *time.Time) {
	t.Helper()
	decided := base
	must(t, w.db.CreateCertification(t.Context(), &kindred.Certification{OrgID: w.org.ID, CourseID: w.course.ID, AccountID: a.ID,
		Decision: kindred.SignOffGranted, RequestedAt: base, DecidedBy: w.admin.ID, DecidedAt: &decided, ExpiresAt: expires}))
}

func (w *supportWorld) profile(t testing.TB, a *kindred.Account) *kindred.SupporterProfile {
	t.Helper()
	p := &kindred.SupporterProfile{OrgID: w.org.ID, AccountID: a.ID, Intro: "Hi, I'm here.", Experiences: []string{"coming_out", "faith"},
		Languages: []string{"en", "es"}, Identities: []kindred.Identity{kindred.IdentityTrans}, TimeZone: "Europe/London",
		Availability: []kindred.WeeklySlot{{Day: time.Monday, From: 18 * 60, To: 21 * 60}}, Capacity: 3, UpdatedAt: base}
	must(t, w.db.SaveSupporterProfile(t.Context(), p))
	return p
}

func (w *supportWorld) onShift(t testing.TB, a *kindred.Account, at time.Time) {
	t.Helper()
	must(t, w.db.StartShift(t.Context(), &kindred.Shift{OrgID: w.org.ID, AccountID: a.ID, StartedAt: at}))
}

func (w *supportWorld) member(t testing.TB, handle string) *kindred.Account {
	t.Helper()
	a := newAccount(t, w.db, handle, "")
	newMember(t, w.db, w.org, a, "")
	return a
}

func (w *supportWorld) request(t testing.TB, member *kindred.Account, at time.Time) *kindred.SupportRequest {
	t.Helper()
	r := &kindred.SupportRequest{OrgID: w.org.ID, MemberID: member.ID, Topics: []string{"coming_out"}, Details: "I'd like to talk.",
		Urgency: kindred.UrgencyToday, CreatedAt: at}
	must(t, w.db.CreateSupportRequest(t.Context(), r))
	return r
}

func (w *supportWorld) offer(t testing.TB, r *kindred.SupportRequest, s *kindred.Account, rank int, expires time.Time) *kindred.SupportOffer {
	t.Helper()
	o := &kindred.SupportOffer{OrgID: w.org.ID, SupporterID: s.ID, Rank: rank, Score: 10 - float64(rank), Reason: "Shares coming out.",
		CreatedAt: at(0), ExpiresAt: expires}
	got, err := w.db.CreateSupportOffers(t.Context(), r.ID, []*kindred.SupportOffer{o}, 100)
	must(t, err)
	if len(got) != 1 {
		t.Fatalf("offer not stored: %d", len(got))
	}
	return o
}

func testSupportSettings(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newSupportWorld(t, db)
	_, err := db.FindSupportSettings(ctx, w.org.ID)
	wantCode(t, err, kindred.ENOTFOUND)
	s := kindred.DefaultSupportSettings(w.org.ID)
	s.UpdatedAt = at(1)
	must(t, db.SaveSupportSettings(ctx, s))
	got, err := db.FindSupportSettings(ctx, w.org.ID)
	must(t, err)
	wantEqual(t, "settings", got, s)
	s.MaxCapacity, s.OfferTimeout, s.Taxonomy, s.UpdatedAt = 5, 2*time.Minute, []kindred.Experience{{Key: "faith", Label: "Faith"}}, at(2)
	must(t, db.SaveSupportSettings(ctx, s))
	got, err = db.FindSupportSettings(ctx, w.org.ID)
	must(t, err)
	wantEqual(t, "saved again", got, s)
}

func testSupporterProfiles(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newSupportWorld(t, db)
	a := w.supporter(t, "kwame", nil, "")
	p, err := db.FindSupporterProfile(ctx, w.org.ID, a.ID)
	must(t, err)
	want := &kindred.SupporterProfile{OrgID: w.org.ID, AccountID: a.ID, Intro: "Hi, I'm here.", Experiences: []string{"coming_out", "faith"},
		Languages: []string{"en", "es"}, Identities: []kindred.Identity{kindred.IdentityTrans}, TimeZone: "Europe/London",
		Availability: []kindred.WeeklySlot{{Day: time.Monday, From: 18 * 60, To: 21 * 60}}, Capacity: 3, UpdatedAt: base,
		Name: "kwame", AgeBand: kindred.AgeAdult}
	wantEqual(t, "profile", p, want)
	_, err = db.FindSupporterProfile(ctx, w.org.ID, w.admin.ID)
	wantCode(t, err, kindred.ENOTFOUND)

	// Saving keeps the shift, which belongs to the shift methods.
	w.onShift(t, a, at(5))
	p.Intro, p.Capacity, p.YouthProgramme, p.OnShift, p.UpdatedAt = "Hello again", 2, true, false, at(6)
	must(t, db.SaveSupporterProfile(ctx, p))
	if !p.OnShift || p.ShiftStartedAt == nil || !p.ShiftStartedAt.Equal(at(5)) || p.Intro != "Hello again" || !p.YouthProgramme {
		t.Errorf("after save: %+v", p)
	}
	b := w.supporter(t, "ayo", nil, "")
	all, err := db.ListSupporterProfiles(ctx, kindred.SupporterProfileFilter{OrgID: w.org.ID})
	must(t, err)
	if len(all) != 2 || all[0].AccountID != b.ID || all[1].AccountID != a.ID {
		t.Errorf("list by name: %v", all)
	}
	on, err := db.ListSupporterProfiles(ctx, kindred.SupporterProfileFilter{OrgID: w.org.ID, OnShift: true})
	must(t, err)
	if len(on) != 1 || on[0].AccountID != a.ID {
		t.Errorf("on shift: %v", on)
	}
}

func testSupportShifts(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newSupportWorld(t, db)
	a := w.supporter(t, "kwame", nil, "")
	noProfile := w.member(t, "noprofile")
	err := db.StartShift(ctx, &kindred.Shift{OrgID: w.org.ID, AccountID: noProfile.ID, StartedAt: at(0)})
	wantCode(t, err, kindred.ENOTFOUND)
	_, _, err = db.EndShift(ctx, w.org.ID, a.ID, at(1), kindred.ShiftEndedBySelf)
	wantCode(t, err, kindred.ENOTFOUND)

	// base is Saturday; a shift from Friday 23:00 into Monday counts only
	// from Monday 00:00 in Monday's week.
	monday := weekStart(base.Add(3 * 24 * time.Hour))
	w.onShift(t, a, monday.Add(-time.Hour))
	err = db.StartShift(ctx, &kindred.Shift{OrgID: w.org.ID, AccountID: a.ID, StartedAt: monday})
	wantCode(t, err, kindred.ECONFLICT)

	m := w.member(t, "mei")
	r := w.request(t, m, monday)
	o := w.offer(t, r, a, 1, monday.Add(time.Hour))
	sh, withdrawn, err := db.EndShift(ctx, w.org.ID, a.ID, monday.Add(2*time.Hour), kindred.ShiftEndedByLimit)
	must(t, err)
	if sh.EndedAt == nil || !sh.EndedAt.Equal(monday.Add(2*time.Hour)) || sh.EndedBy != kindred.ShiftEndedByLimit {
		t.Errorf("ended shift: %+v", sh)
	}
	if len(withdrawn) != 1 || withdrawn[0].ID != o.ID || withdrawn[0].Status != kindred.OfferWithdrawn {
		t.Errorf("withdrawn: %+v", withdrawn)
	}
	// A second shift, still open.
	w.onShift(t, a, monday.Add(5*time.Hour))
	d, err := db.ShiftTime(ctx, w.org.ID, a.ID, monday, monday.Add(6*time.Hour))
	must(t, err)
	if d != 3*time.Hour {
		t.Errorf("ShiftTime = %v, want 3h (2h closed since Monday, 1h open)", d)
	}
	list, err := db.ListShifts(ctx, kindred.ShiftFilter{OrgID: w.org.ID, AccountID: a.ID})
	must(t, err)
	if len(list) != 2 || list[0].EndedAt != nil || list[1].EndedAt == nil {
		t.Errorf("shifts: %+v", list)
	}
	p, err := db.FindSupporterProfile(ctx, w.org.ID, a.ID)
	must(t, err)
	if !p.OnShift || !p.ShiftStartedAt.Equal(monday.Add(5*time.Hour)) {
		t.Errorf("profile shift: %+v", p)
	}
}

func testSupportRequests(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newSupportWorld(t, db)
	m := w.member(t, "mei")
	rawExec(t, db, `UPDATE memberships SET display_name = 'Mei S' WHERE account_id = ?`, m.ID)
	r := &kindred.SupportRequest{OrgID: w.org.ID, MemberID: m.ID, Topics: []string{"coming_out", "faith"}, Details: "words",
		Language: "es", Identities: []kindred.Identity{kindred.IdentityTrans}, NotMySchool: true, Urgency: kindred.UrgencyNow,
		Crisis: true, CreatedAt: at(1)}
	must(t, db.CreateSupportRequest(ctx, r))
	if r.Status != kindred.RequestWaiting || !r.QueuedAt.Equal(at(1)) || !r.WaitingSince.Equal(at(1)) || r.MemberName != "Mei S" {
		t.Errorf("created: %+v", r)
	}
	got, err := db.FindSupportRequest(ctx, r.ID)
	must(t, err)
	wantEqual(t, "found", got, r)
	_, err = db.FindSupportRequest(ctx, "nope")
	wantCode(t, err, kindred.ENOTFOUND)
	// One open request per member.
	err = db.CreateSupportRequest(ctx, &kindred.SupportRequest{OrgID: w.org.ID, MemberID: m.ID, Topics: []string{"faith"}})
	wantCode(t, err, kindred.ECONFLICT)

	// Queue order: crisis, then urgency, then queued.
	mk := func(h string, u kindred.Urgency, crisis bool, min int) *kindred.SupportRequest {
		x := &kindred.SupportRequest{OrgID: w.org.ID, MemberID: w.member(t, h).ID, Topics: []string{"faith"}, Urgency: u,
			Crisis: crisis, CreatedAt: at(min)}
		must(t, db.CreateSupportRequest(ctx, x))
		return x
	}
	whenever := mk("a", kindred.UrgencyWhenever, false, 0)
	todayLate := mk("b", kindred.UrgencyToday, false, 5)
	todayEarly := mk("c", kindred.UrgencyToday, false, 2)
	crisisLate := mk("d", kindred.UrgencyWhenever, true, 9)
	q, err := db.SupportQueue(ctx, w.org.ID)
	must(t, err)
	var ids []string
	for _, x := range q {
		ids = append(ids, x.ID)
	}
	wantEqual(t, "queue", ids, []string{r.ID, crisisLate.ID, todayEarly.ID, todayLate.ID, whenever.ID})

	// Guarded update.
	matched := kindred.RequestMatched
	_, err = db.UpdateSupportRequest(ctx, r.ID, kindred.SupportRequestUpdate{From: []kindred.RequestStatus{kindred.RequestMatched},
		Status: &matched, UpdatedAt: at(10)})
	wantCode(t, err, kindred.ECONFLICT)
	up, err := db.UpdateSupportRequest(ctx, r.ID, kindred.SupportRequestUpdate{From: []kindred.RequestStatus{kindred.RequestWaiting},
		Exclude: "someone", UpdatedAt: at(10)})
	must(t, err)
	if up.Status != kindred.RequestWaiting || !slices.Equal(up.Excluded, []string{"someone"}) || !up.UpdatedAt.Equal(at(10)) {
		t.Errorf("updated: %+v", up)
	}

	// Closing withdraws offers; a second close conflicts.
	s := w.supporter(t, "kwame", nil, "")
	o := w.offer(t, whenever, s, 1, at(30))
	closed, err := db.CloseSupportRequest(ctx, whenever.ID, kindred.RequestCancelled, kindred.SupportMatchEnd{At: at(11), By: whenever.MemberID, End: kindred.MatchEndedByMember})
	must(t, err)
	if closed.Status != kindred.RequestCancelled || closed.ClosedAt == nil || !closed.ClosedAt.Equal(at(11)) {
		t.Errorf("closed: %+v", closed)
	}
	oo, err := db.FindSupportOffer(ctx, o.ID)
	must(t, err)
	if oo.Status != kindred.OfferWithdrawn {
		t.Errorf("offer after close: %s", oo.Status)
	}
	_, err = db.CloseSupportRequest(ctx, whenever.ID, kindred.RequestCancelled, kindred.SupportMatchEnd{At: at(12)})
	wantCode(t, err, kindred.ECONFLICT)
	// The member may ask again once closed.
	must(t, db.CreateSupportRequest(ctx, &kindred.SupportRequest{OrgID: w.org.ID, MemberID: whenever.MemberID, Topics: []string{"faith"}}))

	mine, err := db.ListSupportRequests(ctx, kindred.SupportRequestFilter{OrgID: w.org.ID, MemberID: whenever.MemberID})
	must(t, err)
	if len(mine) != 2 || mine[0].Status != kindred.RequestWaiting || mine[1].ID != whenever.ID {
		t.Errorf("member's requests, open first: %+v", mine)
	}
	cancelled, err := db.ListSupportRequests(ctx, kindred.SupportRequestFilter{OrgID: w.org.ID, Statuses: []kindred.RequestStatus{kindred.RequestCancelled}})
	must(t, err)
	if len(cancelled) != 1 || cancelled[0].ID != whenever.ID {
		t.Errorf("cancelled: %+v", cancelled)
	}
}

func testSupportOffers(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newSupportWorld(t, db)
	r := w.request(t, w.member(t, "mei"), at(0))
	var sups []*kindred.Account
	var offers []*kindred.SupportOffer
	for i := range 4 {
		s := w.supporter(t, fmt.Sprintf("s%d", i), nil, "")
		sups = append(sups, s)
		offers = append(offers, &kindred.SupportOffer{OrgID: w.org.ID, SupporterID: s.ID, Rank: i + 1, Score: float64(10 - i),
			Reason: fmt.Sprintf("reason %d", i), CreatedAt: at(1), ExpiresAt: at(6)})
	}
	stored, err := db.CreateSupportOffers(ctx, r.ID, offers, 3)
	must(t, err)
	if len(stored) != 3 || stored[0].Status != kindred.OfferOpen || stored[0].RequestID != r.ID {
		t.Fatalf("stored: %+v", stored)
	}
	// Those already offered are skipped; the fourth fits once one closes.
	_, err = db.AnswerSupportOffer(ctx, stored[1].ID, kindred.OfferDeclined, at(2))
	must(t, err)
	_, err = db.AnswerSupportOffer(ctx, stored[1].ID, kindred.OfferDeclined, at(2))
	wantCode(t, err, kindred.ECONFLICT)
	more, err := db.CreateSupportOffers(ctx, r.ID, []*kindred.SupportOffer{
		{OrgID: w.org.ID, SupporterID: sups[0].ID, Rank: 1, ExpiresAt: at(9)},
		{OrgID: w.org.ID, SupporterID: sups[3].ID, Rank: 4, ExpiresAt: at(9)},
	}, 3)
	must(t, err)
	if len(more) != 1 || more[0].SupporterID != sups[3].ID {
		t.Errorf("second batch: %+v", more)
	}
	got, err := db.FindSupportRequest(ctx, r.ID)
	must(t, err)
	if !slices.Equal(got.Excluded, []string{sups[1].ID}) {
		t.Errorf("decline excludes: %v", got.Excluded)
	}
	open, err := db.ListSupportOffers(ctx, kindred.SupportOfferFilter{RequestID: r.ID, Status: kindred.OfferOpen})
	must(t, err)
	if len(open) != 3 || open[0].SupporterID != sups[0].ID || open[0].Reason != "reason 0" {
		t.Errorf("open offers: %+v", open)
	}
	mine, err := db.ListSupportOffers(ctx, kindred.SupportOfferFilter{OrgID: w.org.ID, SupporterID: sups[1].ID})
	must(t, err)
	if len(mine) != 1 || mine[0].Status != kindred.OfferDeclined || mine[0].AnsweredAt == nil {
		t.Errorf("declined offer: %+v", mine)
	}
	// Expiry takes only those due.
	expired, err := db.ExpireSupportOffers(ctx, at(6))
	must(t, err)
	if len(expired) != 2 || expired[0].Status != kindred.OfferExpired {
		t.Errorf("expired: %+v", expired)
	}
	open, err = db.ListSupportOffers(ctx, kindred.SupportOfferFilter{RequestID: r.ID, Status: kindred.OfferOpen})
	must(t, err)
	if len(open) != 1 || open[0].SupporterID != sups[3].ID {
		t.Errorf("after expiry: %+v", open)
	}
	// Offers only for waiting requests.
	_, err = db.CloseSupportRequest(ctx, r.ID, kindred.RequestCancelled, kindred.SupportMatchEnd{At: at(7)})
	must(t, err)
	_, err = db.CreateSupportOffers(ctx, r.ID, []*kindred.SupportOffer{{OrgID: w.org.ID, SupporterID: sups[2].ID, ExpiresAt: at(9)}}, 3)
	wantCode(t, err, kindred.ECONFLICT)
}

func testAcceptSupportOffer(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newSupportWorld(t, db)
	mem := w.member(t, "mei")
	r := w.request(t, mem, at(0))
	a := w.supporter(t, "kwame", nil, "")
	b := w.supporter(t, "ayo", nil, "")
	oa := w.offer(t, r, a, 1, at(10))
	ob := w.offer(t, r, b, 2, at(10))

	err := db.AcceptSupportOffer(ctx, oa.ID, b.ID, 3, &kindred.SupportMatch{}, at(1))
	wantCode(t, err, kindred.ENOTFOUND) // not b's offer
	err = db.AcceptSupportOffer(ctx, oa.ID, a.ID, 3, &kindred.SupportMatch{}, at(10))
	wantCode(t, err, kindred.ECONFLICT) // expired at 10
	err = db.AcceptSupportOffer(ctx, oa.ID, a.ID, 0, &kindred.SupportMatch{}, at(1))
	wantCode(t, err, kindred.ECONFLICT) // at capacity

	m := &kindred.SupportMatch{}
	must(t, db.AcceptSupportOffer(ctx, oa.ID, a.ID, 3, m, at(4)))
	if m.ID == "" || m.RequestID != r.ID || m.SupporterID != a.ID || m.MemberID != mem.ID || m.Reason != "Shares coming out." ||
		!m.StartedAt.Equal(at(4)) || m.Waited != 4*time.Minute || m.SupporterName != "kwame" || m.MemberName != "mei" || !m.Active() {
		t.Errorf("match: %+v", m)
	}
	err = db.AcceptSupportOffer(ctx, ob.ID, b.ID, 3, &kindred.SupportMatch{}, at(5))
	wantCode(t, err, kindred.ECONFLICT)
	if kindred.ErrorMessage(err) != "Another supporter has already picked this up. Thank you for being ready." {
		t.Errorf("losing message: %q", err)
	}
	got, err := db.FindSupportRequest(ctx, r.ID)
	must(t, err)
	if got.Status != kindred.RequestMatched || got.MatchID != m.ID {
		t.Errorf("request: %+v", got)
	}
	for id, want := range map[string]kindred.OfferStatus{oa.ID: kindred.OfferAccepted, ob.ID: kindred.OfferWithdrawn} {
		o, err := db.FindSupportOffer(ctx, id)
		must(t, err)
		if o.Status != want {
			t.Errorf("offer %s: %s, want %s", id, o.Status, want)
		}
	}
	found, err := db.FindSupportMatch(ctx, m.ID)
	must(t, err)
	wantEqual(t, "found match", found, m)
}

func testSupportMatches(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newSupportWorld(t, db)
	mem := w.member(t, "mei")
	r := w.request(t, mem, at(0))
	a := w.supporter(t, "kwame", nil, "")
	m := &kindred.SupportMatch{}
	must(t, db.AcceptSupportOffer(ctx, w.offer(t, r, a, 1, at(10)).ID, a.ID, 3, m, at(2)))

	noRoom, err := db.ListSupportMatches(ctx, kindred.SupportMatchFilter{NoRoom: true})
	must(t, err)
	if len(noRoom) != 1 {
		t.Errorf("no room yet: %d", len(noRoom))
	}
	room, note, proposed := "room-1", "Ayo knows more about this.", ptr(at(3))
	up, err := db.UpdateSupportMatch(ctx, m.ID, kindred.SupportMatchUpdate{RoomID: &room, HandoffNote: &note, HandoffProposedAt: &proposed})
	must(t, err)
	if up.RoomID != room || up.HandoffNote != note || up.HandoffProposedAt == nil {
		t.Errorf("updated: %+v", up)
	}
	_, err = db.UpdateSupportMatch(ctx, "nope", kindred.SupportMatchUpdate{RoomID: &room})
	wantCode(t, err, kindred.ENOTFOUND)
	byRoom, err := db.ListSupportMatches(ctx, kindred.SupportMatchFilter{RoomID: room})
	must(t, err)
	if len(byRoom) != 1 || byRoom[0].ID != m.ID {
		t.Errorf("by room: %+v", byRoom)
	}
	if other, err := db.ListSupportMatches(ctx, kindred.SupportMatchFilter{RoomID: "room-2"}); err != nil || len(other) != 0 {
		t.Errorf("another room: %+v, %v", other, err)
	}

	// Handed off: the request waits again in its place, without a.
	ended, err := db.EndSupportMatch(ctx, m.ID, kindred.SupportMatchEnd{At: at(20), By: mem.ID, End: kindred.MatchHandedOff, Requeue: true})
	must(t, err)
	if ended.Active() || ended.End != kindred.MatchHandedOff || ended.EndedBy != mem.ID || ended.HandoffProposedAt != nil {
		t.Errorf("ended: %+v", ended)
	}
	_, err = db.EndSupportMatch(ctx, m.ID, kindred.SupportMatchEnd{At: at(21), End: kindred.MatchEndedByMember})
	wantCode(t, err, kindred.ECONFLICT)
	got, err := db.FindSupportRequest(ctx, r.ID)
	must(t, err)
	if got.Status != kindred.RequestWaiting || !got.QueuedAt.Equal(at(0)) || !got.WaitingSince.Equal(at(20)) || !slices.Equal(got.Excluded, []string{a.ID}) {
		t.Errorf("requeued: %+v", got)
	}
	// Matched again and ended for good.
	b := w.supporter(t, "ayo", nil, "")
	m2 := &kindred.SupportMatch{}
	must(t, db.AcceptSupportOffer(ctx, w.offer(t, r, b, 1, at(40)).ID, b.ID, 3, m2, at(25)))
	if m2.Waited != 5*time.Minute {
		t.Errorf("second wait: %v", m2.Waited)
	}
	_, err = db.EndSupportMatch(ctx, m2.ID, kindred.SupportMatchEnd{At: at(50), By: b.ID, End: kindred.MatchEndedBySupporter})
	must(t, err)
	got, err = db.FindSupportRequest(ctx, r.ID)
	must(t, err)
	if got.Status != kindred.RequestEnded || got.ClosedAt == nil || got.MatchID != m2.ID {
		t.Errorf("ended request: %+v", got)
	}
	f := false
	list, err := db.ListSupportMatches(ctx, kindred.SupportMatchFilter{OrgID: w.org.ID, RequestID: r.ID, Active: &f})
	must(t, err)
	if len(list) != 2 || list[0].ID != m2.ID {
		t.Errorf("matches newest first: %+v", list)
	}
	need, err := db.ListSupportMatches(ctx, kindred.SupportMatchFilter{SupporterID: b.ID, NeedsDebrief: true})
	must(t, err)
	if len(need) != 1 {
		t.Errorf("needs debrief: %d", len(need))
	}
	waits, err := db.SupportWaits(ctx, w.org.ID, at(0))
	must(t, err)
	wantEqual(t, "waits", waits, []time.Duration{2 * time.Minute, 5 * time.Minute})
}

func testSupportNotes(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newSupportWorld(t, db)
	mem := w.member(t, "mei")
	a := w.supporter(t, "kwame", nil, "")
	m := &kindred.SupportMatch{}
	must(t, db.AcceptSupportOffer(ctx, w.offer(t, w.request(t, mem, at(0)), a, 1, at(10)).ID, a.ID, 3, m, at(2)))

	f := &kindred.SupportFeedback{MatchID: m.ID, OrgID: w.org.ID, MemberID: mem.ID, SupporterID: a.ID, Helped: kindred.HelpedYes,
		Comment: "thank you", CreatedAt: at(3)}
	must(t, db.CreateSupportFeedback(ctx, f))
	wantCode(t, db.CreateSupportFeedback(ctx, f), kindred.ECONFLICT)
	gotF, err := db.FindSupportFeedback(ctx, m.ID)
	must(t, err)
	f.SupporterName = "kwame"
	wantEqual(t, "feedback", gotF, f)
	fs, err := db.ListSupportFeedback(ctx, kindred.SupportNoteFilter{OrgID: w.org.ID, Since: at(3)})
	must(t, err)
	if len(fs) != 1 {
		t.Errorf("feedback list: %d", len(fs))
	}
	fs, err = db.ListSupportFeedback(ctx, kindred.SupportNoteFilter{OrgID: w.org.ID, Since: at(4)})
	must(t, err)
	if len(fs) != 0 {
		t.Errorf("feedback since later: %d", len(fs))
	}

	d := &kindred.SupportDebrief{MatchID: m.ID, OrgID: w.org.ID, SupporterID: a.ID, Body: "went well", CheckIn: true, CreatedAt: at(4)}
	must(t, db.CreateSupportDebrief(ctx, d))
	wantCode(t, db.CreateSupportDebrief(ctx, d), kindred.ECONFLICT)
	gotD, err := db.FindSupportDebrief(ctx, m.ID)
	must(t, err)
	d.SupporterName = "kwame"
	wantEqual(t, "debrief", gotD, d)
	ds, err := db.ListSupportDebriefs(ctx, kindred.SupportNoteFilter{OrgID: w.org.ID, SupporterID: a.ID})
	must(t, err)
	if len(ds) != 1 || !ds[0].CheckIn {
		t.Errorf("debriefs: %+v", ds)
	}
	_, err = db.FindSupportDebrief(ctx, "nope")
	wantCode(t, err, kindred.ENOTFOUND)
}

func testSupportEscalations(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newSupportWorld(t, db)
	mem := w.member(t, "mei")
	a := w.supporter(t, "kwame", nil, "")
	r := w.request(t, mem, at(0))
	m := &kindred.SupportMatch{}
	must(t, db.AcceptSupportOffer(ctx, w.offer(t, r, a, 1, at(10)).ID, a.ID, 3, m, at(2)))
	e1 := &kindred.SupportEscalation{OrgID: w.org.ID, MatchID: m.ID, RequestID: r.ID, RaisedBy: a.ID, Reason: "worried", CreatedAt: at(3)}
	e2 := &kindred.SupportEscalation{OrgID: w.org.ID, MatchID: m.ID, RequestID: r.ID, RaisedBy: mem.ID, Reason: "help", Urgent: true, CreatedAt: at(4)}
	must(t, db.CreateSupportEscalation(ctx, e1))
	must(t, db.CreateSupportEscalation(ctx, e2))
	if e1.RaisedByName != "kwame" {
		t.Errorf("raised by name: %q", e1.RaisedByName)
	}
	open := true
	list, err := db.ListSupportEscalations(ctx, kindred.SupportEscalationFilter{OrgID: w.org.ID, Open: &open})
	must(t, err)
	if len(list) != 2 || list[0].ID != e2.ID {
		t.Errorf("urgent first: %+v", list)
	}
	res, err := db.ResolveSupportEscalation(ctx, e2.ID, w.admin.ID, "called them", at(5))
	must(t, err)
	if res.ResolvedAt == nil || res.ResolvedBy != w.admin.ID || res.Resolution != "called them" {
		t.Errorf("resolved: %+v", res)
	}
	_, err = db.ResolveSupportEscalation(ctx, e2.ID, w.admin.ID, "again", at(6))
	wantCode(t, err, kindred.ECONFLICT)
	_, err = db.ResolveSupportEscalation(ctx, "nope", w.admin.ID, "x", at(6))
	wantCode(t, err, kindred.ENOTFOUND)
	list, err = db.ListSupportEscalations(ctx, kindred.SupportEscalationFilter{OrgID: w.org.ID, Open: &open})
	must(t, err)
	if len(list) != 1 || list[0].ID != e1.ID {
		t.Errorf("open after resolve: %+v", list)
	}
	got, err := db.FindSupportEscalation(ctx, e2.ID)
	must(t, err)
	wantEqual(t, "found", got, res)
}

func testSupportCandidates(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newSupportWorld(t, db)
	now := weekStart(base).Add(7*24*time.Hour + 10*time.Hour) // Monday 10:00
	later := now.Add(30 * 24 * time.Hour)
	good := w.supporter(t, "good", &later, "")
	w.certify(t, good, ptr(now.Add(24*time.Hour))) // the latest expiry wins
	forever := w.supporter(t, "forever", nil, kindred.AgeYouth)
	w.certify(t, forever, &later) // one grant never expires: nil
	offShift := w.supporter(t, "offshift", nil, "")
	expired := w.supporter(t, "expired", ptr(now.Add(-time.Minute)), "")
	suspended := w.supporter(t, "suspended", nil, "")
	noRole := w.supporter(t, "norole", nil, "")
	for _, a := range []*kindred.Account{good, forever, expired, suspended, noRole} {
		w.onShift(t, a, now.Add(-2*time.Hour))
	}
	rawExec(t, db, `UPDATE accounts SET suspended_at = ? WHERE id = ?`, ms(now), suspended.ID)
	rawExec(t, db, `UPDATE memberships SET roles = ? WHERE account_id = ? AND org_id = ?`, int64(kindred.RoleMember), noRole.ID, w.org.ID)
	_ = offShift

	// good: one closed shift last week (not counted), one this week; one
	// open match and one ended; a school.
	rawExec(t, db, `INSERT INTO support_shifts (id, org_id, account_id, started_at, ended_at, ended_by) VALUES (?, ?, ?, ?, ?, 'self'), (?, ?, ?, ?, ?, 'self')`,
		"old", w.org.ID, good.ID, ms(now.Add(-8*24*time.Hour)), ms(now.Add(-8*24*time.Hour+time.Hour)),
		"thisweek", w.org.ID, good.ID, ms(now.Add(-5*time.Hour)), ms(now.Add(-4*time.Hour)))
	m1, m2 := w.member(t, "m1"), w.member(t, "m2")
	r1, r2 := w.request(t, m1, now.Add(-time.Hour)), w.request(t, m2, now.Add(-time.Hour))
	x := &kindred.SupportMatch{}
	must(t, db.AcceptSupportOffer(ctx, w.offer(t, r1, good, 1, now).ID, good.ID, 3, x, now.Add(-50*time.Minute)))
	y := &kindred.SupportMatch{}
	must(t, db.AcceptSupportOffer(ctx, w.offer(t, r2, good, 1, now).ID, good.ID, 3, y, now.Add(-40*time.Minute)))
	_, err := db.EndSupportMatch(ctx, x.ID, kindred.SupportMatchEnd{At: now.Add(-30 * time.Minute), End: kindred.MatchEndedByMember})
	must(t, err)
	school := &kindred.Organization{Slug: "north-high", Name: "North High", Kind: kindred.OrgSchool, JoinPolicy: kindred.JoinInvite, CreatedAt: base}
	must(t, db.CreateOrganization(ctx, school, nil))
	newMember(t, db, school, good, "")

	cands, err := db.SupportCandidates(ctx, w.org.ID, now)
	must(t, err)
	byName := map[string]*kindred.SupportCandidate{}
	for _, c := range cands {
		byName[c.Profile.Name] = c
	}
	if len(cands) != 2 || byName["good"] == nil || byName["forever"] == nil {
		t.Fatalf("candidates: %v", byName)
	}
	g := byName["good"]
	if g.Load != 1 || g.WeekShift != 3*time.Hour || g.LastMatchedAt == nil || !g.LastMatchedAt.Equal(norm(now.Add(-40*time.Minute))) ||
		!slices.Equal(g.Schools, []string{school.ID}) || g.CertifiedUntil == nil || !g.CertifiedUntil.Equal(norm(later)) || !g.Certified {
		t.Errorf("good: %+v", g)
	}
	f := byName["forever"]
	if f.Load != 0 || f.LastMatchedAt != nil || f.CertifiedUntil != nil || f.Profile.AgeBand != kindred.AgeYouth || f.WeekShift != 2*time.Hour {
		t.Errorf("forever: %+v", f)
	}
	all, err := db.SupportersOverview(ctx, w.org.ID, now)
	must(t, err)
	if len(all) != 6 {
		t.Errorf("overview: %d", len(all))
	}
	for _, c := range all {
		if c.Profile.Name == "expired" && c.Certified {
			t.Errorf("expired counted as certified")
		}
	}
	schools, err := db.SchoolOrgs(ctx, good.ID)
	must(t, err)
	wantEqual(t, "schools", schools, []string{school.ID})
}

func testAcceptSupportOfferConcurrently(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newSupportWorld(t, db)
	r := w.request(t, w.member(t, "mei"), at(0))
	const n = 20
	type try struct {
		offer *kindred.SupportOffer
		sup   *kindred.Account
	}
	var tries []try
	for i := range n {
		s := w.supporter(t, fmt.Sprintf("s%02d", i), nil, "")
		tries = append(tries, try{w.offer(t, r, s, i+1, at(30)), s})
	}
	var wg sync.WaitGroup
	errs := make([]error, n)
	start := make(chan struct{})
	for i, tr := range tries {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = db.AcceptSupportOffer(ctx, tr.offer.ID, tr.sup.ID, 3, &kindred.SupportMatch{}, at(1))
		}()
	}
	close(start)
	wg.Wait()
	won := 0
	for _, err := range errs {
		switch kindred.ErrorCode(err) {
		case "":
			won++
		case kindred.ECONFLICT:
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if won != 1 {
		t.Fatalf("%d accepts won, want exactly 1", won)
	}
	matches, err := db.ListSupportMatches(ctx, kindred.SupportMatchFilter{RequestID: r.ID})
	must(t, err)
	offers, err := db.ListSupportOffers(ctx, kindred.SupportOfferFilter{RequestID: r.ID, Limit: 100})
	must(t, err)
	accepted := 0
	for _, o := range offers {
		if o.Status == kindred.OfferAccepted {
			accepted++
		} else if o.Status != kindred.OfferWithdrawn {
			t.Errorf("offer left %s", o.Status)
		}
	}
	got, err := db.FindSupportRequest(ctx, r.ID)
	must(t, err)
	if len(matches) != 1 || accepted != 1 || got.Status != kindred.RequestMatched || got.MatchID != matches[0].ID {
		t.Errorf("matches %d, accepted offers %d, request %s", len(matches), accepted, got.Status)
	}
}

func testAcceptAtCapacityConcurrently(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newSupportWorld(t, db)
	s := w.supporter(t, "kwame", nil, "")
	var offers []*kindred.SupportOffer
	for i := range 2 {
		offers = append(offers, w.offer(t, w.request(t, w.member(t, fmt.Sprintf("m%d", i)), at(0)), s, 1, at(30)))
	}
	var wg sync.WaitGroup
	errs := make([]error, 2)
	start := make(chan struct{})
	for i, o := range offers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			errs[i] = db.AcceptSupportOffer(ctx, o.ID, s.ID, 1, &kindred.SupportMatch{}, at(1))
		}()
	}
	close(start)
	wg.Wait()
	if (errs[0] == nil) == (errs[1] == nil) {
		t.Fatalf("want exactly one accept, got errors %v and %v", errs[0], errs[1])
	}
	for _, err := range errs {
		if err != nil {
			wantCode(t, err, kindred.ECONFLICT)
		}
	}
	tr := true
	active, err := db.ListSupportMatches(ctx, kindred.SupportMatchFilter{SupporterID: s.ID, Active: &tr})
	must(t, err)
	if len(active) != 1 {
		t.Errorf("active matches: %d", len(active))
	}
}
