package web_test

// The authorization matrix for live sessions and chat: the pages, and the
// WebSocket endpoint. The rules, from PRODUCT.md (capability 4) in plain
// words:
//   - a group's sessions (list, page, calendars) are for whoever can read
//     the group, like its conversations;
//   - scheduling and cancelling are for the people who run the group: its
//     facilitators and the organisation's admins;
//   - answering (going or not) and entering a meeting are for the people
//     who take part in the group: those who may post in it, and the admins
//     and moderators who keep it safe;
//   - a room is for the people in it: anyone else, whoever they are, finds
//     nothing there (404), exactly as for a room that does not exist;
//   - in a session's room, removing messages, pausing and removing people
//     and ending the meeting are for its facilitators, and the admins and
//     moderators;
//   - conversations are for active members of the organisation.
//
// Rooms need someone in them: each group gets one weekly session whose
// meeting is under way, entered by the group's facilitator (who wrote one
// message) and by a member whom pauses aim at; each cell's person enters it
// first when the rules above let them (setup). Requests that end, cancel or
// remove something get fresh ones of their own when they are expected to
// succeed, so the shared fixtures stay as they are.

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"kindred"
	"kindred/internal/kindredtest"
	"kindred/internal/live"
	"kindred/internal/web"
)

// liveSessionStore is what making a session needs from a store.
type liveSessionStore interface {
	CreateGroupSession(ctx context.Context, s *kindred.GroupSession) error
}

// newOpenSession stores a weekly session of g, "Weekly circle", whose first
// meeting began five minutes ago and lasts four hours, so that its room is
// open now. It goes to the store directly: scheduling refuses starts in the
// past. capacity 0 means no limit.
func newOpenSession(ctx context.Context, store liveSessionStore, g *kindred.Group, createdBy string, capacity int) (*kindred.GroupSession, error) {
	now := time.Now().UTC()
	sess := &kindred.GroupSession{ID: kindred.NewID(), GroupID: g.ID, Title: "Weekly circle", Agenda: "Check in, then talk.",
		Start: now.Add(-5 * time.Minute).Truncate(time.Second), Duration: kindred.MaxSessionDuration, TimeZone: "UTC",
		Recurrence: kindred.RecurWeekly, Capacity: capacity, CreatedBy: createdBy, CreatedAt: now}
	if err := store.CreateGroupSession(ctx, sess); err != nil {
		return nil, fmt.Errorf("create session: %w", err)
	}
	return sess, nil
}

// openLiveSession is newOpenSession for tests; the live matrix, the page
// tests and the accessibility test use it.
func openLiveSession(t testing.TB, store liveSessionStore, g *kindred.Group, createdBy string, capacity int) *kindred.GroupSession {
	t.Helper()
	sess, err := newOpenSession(context.Background(), store, g, createdBy, capacity)
	if err != nil {
		t.Fatal(err)
	}
	return sess
}

// mxLiveFixture is a group's shared session, its open room and the people
// in it.
type mxLiveFixture struct {
	once    sync.Once
	err     error
	org     *kindred.Organization
	group   *kindred.Group
	session *kindred.GroupSession
	room    string
	host    *kindred.Account // the group's facilitator, in the room
	target  int              // a member in the room, whom pauses aim at
}

// mxLive returns the shared fixture of one of the world's groups, making it
// the first time. build functions have no testing.TB, so a failure panics.
func mxLive(w *mxWorld, g *kindred.Group) *mxLiveFixture {
	v, _ := w.fixtures.LoadOrStore("live:"+g.ID, &mxLiveFixture{})
	f := v.(*mxLiveFixture)
	f.once.Do(func() { f.err = f.make(w, g) })
	if f.err != nil {
		panic(fmt.Sprintf("live fixture for group %s: %v", g.Slug, f.err))
	}
	return f
}

func (f *mxLiveFixture) make(w *mxWorld, g *kindred.Group) error {
	ctx := context.Background()
	var err error
	f.group = g
	if f.org, err = w.env.Store.FindOrganization(ctx, g.OrgID); err != nil {
		return err
	}
	if f.host, err = w.env.Store.FindAccount(ctx, g.CreatedBy); err != nil {
		return err
	}
	if f.session, err = newOpenSession(ctx, w.env.Store, g, f.host.ID, 0); err != nil {
		return err
	}
	v, err := w.env.Services.Live.Enter(ctx, kindredtest.Actor(f.host), f.org.Slug, g.Slug, f.session.ID, live.EnterOptions{Agree: true})
	if err != nil {
		return fmt.Errorf("host enters: %w", err)
	}
	f.room = v.Room.ID
	if _, err := f.message(w); err != nil {
		return err
	}
	f.target, err = f.newcomer(w, f.session)
	return err
}

// message has the host send a message and returns its seq.
func (f *mxLiveFixture) message(w *mxWorld) (int64, error) {
	m, err := w.env.Services.Live.Send(context.Background(), kindredtest.Actor(f.host), f.room,
		kindred.ChatDraft{Body: "Welcome, everyone.", Nonce: kindred.NewID()})
	if err != nil {
		return 0, fmt.Errorf("host sends: %w", err)
	}
	return m.Seq, nil
}

// newcomer makes a member of the group (whose age fits it) who enters the
// session's current meeting, and returns their number in the room.
func (f *mxLiveFixture) newcomer(w *mxWorld, sess *kindred.GroupSession) (int, error) {
	ctx := context.Background()
	band := kindred.AgeAdult
	if f.group.AgeRule == kindred.AgeYouthOnly {
		band = kindred.AgeYouth
	}
	a, err := mxLiveAccount(w, band)
	if err != nil {
		return 0, err
	}
	now := time.Now().UTC()
	if err := w.env.Store.CreateMembership(ctx, &kindred.Membership{OrgID: f.org.ID, AccountID: a.ID, Roles: kindred.RoleMember,
		Status: kindred.StatusActive, ConductAcceptedAt: &now, CreatedAt: now}); err != nil {
		return 0, fmt.Errorf("add member: %w", err)
	}
	if err := w.env.Store.CreateGroupMember(ctx, &kindred.GroupMember{GroupID: f.group.ID, AccountID: a.ID,
		Role: kindred.GroupRoleMember, Status: kindred.StatusActive, CreatedAt: now}); err != nil {
		return 0, fmt.Errorf("add group member: %w", err)
	}
	v, err := w.env.Services.Live.Enter(ctx, kindredtest.Actor(a), f.org.Slug, f.group.Slug, sess.ID, live.EnterOptions{Agree: true})
	if err != nil {
		return 0, fmt.Errorf("newcomer enters: %w", err)
	}
	return v.Me.Number, nil
}

func mxLiveAccount(w *mxWorld, band kindred.AgeBand) (*kindred.Account, error) {
	h := w.unique("lv")
	a := &kindred.Account{ID: kindred.NewID(), Handle: h, DisplayName: h, AgeBand: band, PasswordHash: w.hash, CreatedAt: time.Now().UTC()}
	if err := w.env.Store.CreateAccount(context.Background(), a); err != nil {
		return nil, fmt.Errorf("create account: %w", err)
	}
	return a, nil
}

// mxLiveReal returns the world's group that the cell's group is, or nil
// for the made-up copies that answers are compared against.
func mxLiveReal(w *mxWorld, c *mxCell) *kindred.Group {
	if c.group == w.unlistedGroup {
		return c.group
	}
	for _, g := range w.groups {
		if g == c.group {
			return g
		}
	}
	return nil
}

// mxLiveSession is the session a cell's request is about: its own (see
// setup), the group's shared one, or for a made-up group the session of
// the group it copies, so that only the group's address differs.
func mxLiveSession(w *mxWorld, c *mxCell) string {
	if v, ok := w.fixtures.Load(c); ok {
		return v.(string)
	}
	if c.group.ID == w.unlistedGroup.ID {
		return mxLive(w, w.unlistedGroup).session.ID
	}
	for _, g := range w.groups {
		if g.ID == c.group.ID {
			return mxLive(w, g).session.ID
		}
	}
	return kindred.NewID()
}

// mxLiveRoom is the room a cell's request is about: its own, the group's
// shared one, or a made-up one for a made-up group.
func mxLiveRoom(w *mxWorld, c *mxCell) string {
	if v, ok := w.fixtures.Load(c); ok {
		return v.(string)
	}
	if g := mxLiveReal(w, c); g != nil {
		return mxLive(w, g).room
	}
	return kindred.NewID()
}

// The rules in terms of the cell.

// mxTakesPart: answering and entering are for active members of the
// organisation who read the group and may post in it, or who keep it safe.
func mxTakesPart(c *mxCell) bool {
	return c.orgActive() && c.readsGroup() && (c.postsInGroup() || c.oversees())
}

// mxModeratesRoom: the group's facilitators, the organisation's admins and
// moderators.
func mxModeratesRoom(c *mxCell) bool { return c.facilitates() || c.oversees() }

// mxExpectTakePart: sessions are seen like the group's conversations; then
// only those who take part may answer or enter.
func mxExpectTakePart(c *mxCell) mxOutcome {
	if out := mxExpect(mxGroupRead, c); out != mxAllowed {
		return out
	}
	if mxTakesPart(c) {
		return mxAllowed
	}
	return mxForbidden
}

// mxExpectInRoom: everyone who entered; nobody else finds anything.
func mxExpectInRoom(c *mxCell) mxOutcome {
	switch {
	case !c.signedIn():
		return mxLogIn
	case mxTakesPart(c): // they entered in setup
		return mxAllowed
	}
	return mxHidden
}

// mxExpectModerateRoom: in the room, and moderating it.
func mxExpectModerateRoom(c *mxCell) mxOutcome {
	if out := mxExpectInRoom(c); out != mxAllowed {
		return out
	}
	if mxModeratesRoom(c) {
		return mxAllowed
	}
	return mxForbidden
}

// mxExpectSocket: the endpoint refuses before upgrading, so a plain GET by
// someone in the room gets past every check and is then told by the
// WebSocket library that it must upgrade (426 Upgrade Required).
func mxExpectSocket(c *mxCell) mxOutcome {
	if out := mxExpectInRoom(c); out != mxAllowed {
		return out
	}
	return mxOther
}

// mxLiveEnter lets the cell's person into the shared room when the rules
// say they may enter.
func mxLiveEnter(t testing.TB, w *mxWorld, c *mxCell) {
	t.Helper()
	if !mxTakesPart(c) {
		return
	}
	f := mxLive(w, c.group)
	if _, err := w.env.Services.Live.Enter(context.Background(), kindredtest.Actor(c.who.account), c.org.Slug, c.group.Slug,
		f.session.ID, live.EnterOptions{Agree: true}); err != nil {
		t.Fatalf("%s enters the room: %v", c, err)
	}
}

// mxLiveOwnRoom gives a cell expected to end its meeting a session and
// room of its own, which it enters.
func mxLiveOwnRoom(t testing.TB, w *mxWorld, c *mxCell) {
	t.Helper()
	if mxExpectModerateRoom(c) != mxAllowed {
		mxLiveEnter(t, w, c)
		return
	}
	f := mxLive(w, c.group)
	sess := openLiveSession(t, w.env.Store, c.group, f.host.ID, 0)
	v, err := w.env.Services.Live.Enter(context.Background(), kindredtest.Actor(c.who.account), c.org.Slug, c.group.Slug,
		sess.ID, live.EnterOptions{Agree: true})
	if err != nil {
		t.Fatalf("%s enters their own room: %v", c, err)
	}
	w.fixtures.Store(c, v.Room.ID)
}

// mxLiveDial opens a real WebSocket as the cell's person, when they are in
// the room, and checks that the first frame is "ready": the 426 the matrix
// sees is all that stands between them and the room.
func mxLiveDial(t testing.TB, w *mxWorld, c *mxCell) {
	t.Helper()
	mxLiveEnter(t, w, c)
	if mxExpectInRoom(c) != mxAllowed {
		return
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	u := "ws" + strings.TrimPrefix(w.env.HTTP.URL, "http") + web.LivePath + "?room=" + mxLiveRoom(w, c)
	h := http.Header{}
	h.Set("Cookie", web.SessionCookie+"="+c.who.secret)
	conn, _, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		t.Errorf("%s dials the room: %v", c, err)
		return
	}
	defer conn.CloseNow()
	_, data, err := conn.Read(ctx)
	if err != nil || !strings.Contains(string(data), `"type":"ready"`) {
		t.Errorf("%s: first frame %s, %v; want ready", c, data, err)
	}
	_ = conn.Close(websocket.StatusNormalClosure, "")
}

// mxLiveTalkTo is someone in rainbow the cell's person may start a
// conversation with: of their own age group, as the product requires.
func mxLiveTalkTo(w *mxWorld, c *mxCell) string {
	key, band := "live:talk:adult", kindred.AgeAdult
	if c.role == roleYouth {
		key, band = "live:talk:youth", kindred.AgeYouth
	}
	type partner struct {
		once   sync.Once
		handle string
		err    error
	}
	v, _ := w.fixtures.LoadOrStore(key, &partner{})
	p := v.(*partner)
	p.once.Do(func() {
		a, err := mxLiveAccount(w, band)
		if err != nil {
			p.err = err
			return
		}
		now := time.Now().UTC()
		p.err = w.env.Store.CreateMembership(context.Background(), &kindred.Membership{OrgID: w.org.ID, AccountID: a.ID,
			Roles: kindred.RoleMember, Status: kindred.StatusActive, ConductAcceptedAt: &now, CreatedAt: now})
		p.handle = a.Handle
	})
	if p.err != nil {
		panic(fmt.Sprintf("conversation partner: %v", p.err))
	}
	return p.handle
}

func mxLivePagesMatrix() map[string]mxEntry {
	sessions := func(c *mxCell) string { return groupURL(c) + "/sessions" }
	session := func(w *mxWorld, c *mxCell) string { return sessions(c) + "/" + mxLiveSession(w, c) }
	room := func(w *mxWorld, c *mxCell) string { return "/rooms/" + mxLiveRoom(w, c) }
	return map[string]mxEntry{
		// A group's sessions: for its readers.
		"GET /o/{org}/g/{group}/sessions": {class: mxGroupRead, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(sessions(c))
		}},
		"GET /o/{org}/g/{group}/sessions.ics": {class: mxGroupRead, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(sessions(c) + ".ics")
		}},
		"GET /o/{org}/g/{group}/sessions/{session}": {class: mxGroupRead, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(session(w, c))
		}},
		"GET /o/{org}/g/{group}/sessions/{session}/calendar.ics": {class: mxGroupRead, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(session(w, c) + "/calendar.ics")
		}},

		// Running them: facilitators of the group and admins.
		"GET /o/{org}/g/{group}/sessions/new": {class: mxGroupManage, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(sessions(c) + "/new")
		}},
		"POST /o/{org}/g/{group}/sessions": {class: mxGroupManage, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(sessions(c), "title", "Matrix session", "agenda", "", "date", time.Now().UTC().AddDate(0, 0, 2).Format("2006-01-02"),
				"time", "18:30", "duration", "60", "time_zone", "Europe/London", "recurrence", "weekly", "until", "", "capacity", "0")
		}},
		"POST /o/{org}/g/{group}/sessions/{session}/cancel": {class: mxGroupManage, scope: mxGroup,
			setup: func(t testing.TB, w *mxWorld, c *mxCell) {
				if mxExpect(mxGroupManage, c) == mxAllowed { // cancels a session of its own
					w.fixtures.Store(c, openLiveSession(t, w.env.Store, c.group, mxLive(w, c.group).host.ID, 0).ID)
				}
			},
			build: func(w *mxWorld, c *mxCell) mxRequest { return postForm(session(w, c) + "/cancel") }},

		// Taking part: members who may post, and the staff who keep the group safe.
		"POST /o/{org}/g/{group}/sessions/{session}/rsvp": {scope: mxGroup, class: mxGroupPost, expect: mxExpectTakePart,
			build: func(w *mxWorld, c *mxCell) mxRequest {
				start := strconv.FormatInt(time.Now().Unix(), 10)
				if g := mxLiveReal(w, c); g != nil {
					start = strconv.FormatInt(mxLive(w, g).session.Start.Unix(), 10)
				}
				return postForm(session(w, c)+"/rsvp", "meeting", start, "going", "yes")
			}},
		"POST /o/{org}/g/{group}/sessions/{session}/enter": {scope: mxGroup, class: mxGroupPost, expect: mxExpectTakePart,
			build: func(w *mxWorld, c *mxCell) mxRequest { return postForm(session(w, c)+"/enter", "agree", "yes") }},

		// Rooms: for the people in them.
		"GET /rooms/{room}": {scope: mxGroup, class: mxGroupPost, expect: mxExpectInRoom, setup: mxLiveEnter,
			build: func(w *mxWorld, c *mxCell) mxRequest { return get(room(w, c)) }},
		"POST /rooms/{room}/messages": {scope: mxGroup, class: mxGroupPost, expect: mxExpectInRoom, setup: mxLiveEnter,
			build: func(w *mxWorld, c *mxCell) mxRequest {
				return postForm(room(w, c)+"/messages", "body", "Hello, room.", "nonce", kindred.NewID())
			}},
		"POST /rooms/{room}/messages/{seq}/remove": {scope: mxGroup, class: mxGroupManage, expect: mxExpectModerateRoom,
			setup: func(t testing.TB, w *mxWorld, c *mxCell) {
				mxLiveEnter(t, w, c)
				if mxExpectModerateRoom(c) == mxAllowed { // removes a message of its own
					seq, err := mxLive(w, c.group).message(w)
					if err != nil {
						t.Fatal(err)
					}
					w.fixtures.Store([2]any{c, "seq"}, seq)
				}
			},
			build: func(w *mxWorld, c *mxCell) mxRequest {
				seq := int64(1)
				if v, ok := w.fixtures.Load([2]any{c, "seq"}); ok {
					seq = v.(int64)
				}
				return postForm(room(w, c)+"/messages/"+strconv.FormatInt(seq, 10)+"/remove", "reason", "Matrix check")
			}},
		"POST /rooms/{room}/people/{n}/mute": {scope: mxGroup, class: mxGroupManage, expect: mxExpectModerateRoom, setup: mxLiveEnter,
			build: func(w *mxWorld, c *mxCell) mxRequest {
				n := 2
				if g := mxLiveReal(w, c); g != nil {
					n = mxLive(w, g).target
				}
				return postForm(room(w, c)+"/people/"+strconv.Itoa(n)+"/mute", "minutes", "5")
			}},
		"POST /rooms/{room}/people/{n}/remove": {scope: mxGroup, class: mxGroupManage, expect: mxExpectModerateRoom,
			setup: func(t testing.TB, w *mxWorld, c *mxCell) {
				mxLiveEnter(t, w, c)
				if mxExpectModerateRoom(c) == mxAllowed { // removes a newcomer of its own
					f := mxLive(w, c.group)
					n, err := f.newcomer(w, f.session)
					if err != nil {
						t.Fatal(err)
					}
					w.fixtures.Store([2]any{c, "person"}, n)
				}
			},
			build: func(w *mxWorld, c *mxCell) mxRequest {
				n := 2
				if v, ok := w.fixtures.Load([2]any{c, "person"}); ok {
					n = v.(int)
				} else if g := mxLiveReal(w, c); g != nil {
					n = mxLive(w, g).target
				}
				return postForm(room(w, c)+"/people/"+strconv.Itoa(n)+"/remove", "reason", "Matrix check")
			}},
		"POST /rooms/{room}/end": {scope: mxGroup, class: mxGroupManage, expect: mxExpectModerateRoom, setup: mxLiveOwnRoom,
			build: func(w *mxWorld, c *mxCell) mxRequest { return postForm(room(w, c) + "/end") }},

		// The WebSocket: a plain GET (no upgrade) is enough to see who is
		// let through; setup also dials it for real as each person in the room.
		"GET /api/v1/live": {scope: mxGroup, class: mxGroupPost, expect: mxExpectSocket, setup: mxLiveDial,
			build: func(w *mxWorld, c *mxCell) mxRequest { return get(web.LivePath + "?room=" + mxLiveRoom(w, c)) }},

		// Conversations: for active members of the organisation.
		"GET /o/{org}/messages": {class: mxOrgMember, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(orgURL(c) + "/messages")
		}},
		"POST /o/{org}/messages": {class: mxOrgMember, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/messages", "handle", mxLiveTalkTo(w, c))
		}},
	}
}

// TestLiveMatrixFixtures checks the live matrix's own footing: the rooms
// the rules keep people out of exist and have people in them.
func TestLiveMatrixFixtures(t *testing.T) {
	w := newMatrixWorld(t)
	for kind, g := range w.groups {
		f := mxLive(w, g)
		people, err := w.env.Services.Live.People(context.Background(), kindredtest.Actor(f.host), f.room)
		if err != nil || len(people) != 2 {
			t.Errorf("%s: the shared room has %d people (%v), want the host and a member", kind, len(people), err)
		}
		if f.target == 0 {
			t.Errorf("%s: no member to aim pauses at", kind)
		}
	}
}
