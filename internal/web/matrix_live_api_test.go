package web_test

import (
	"context"
	"net/http"
	"strconv"
	"sync"
	"testing"
	"time"

	"kindred"
	"kindred/internal/kindredtest"
	"kindred/internal/live"
)

// The rules for live sessions and rooms, in the product's words:
//
//   - a group's sessions are visible to whoever can read the group;
//   - scheduling and cancelling them is for the group's facilitators and
//     the organisation's admins (mxGroupManage);
//   - answering for a meeting and entering its room is for the group's
//     members (whose age fits, as for posting), and the organisation's
//     moderators and admins;
//   - a room is only for the people who entered it: to anyone else it
//     answers 404, exactly like a room that does not exist;
//   - the facilitator tools (remove a message, mute, remove a person, end
//     the meeting) are for the group's facilitators and the organisation's
//     moderators and admins;
//   - conversations are for active members of the organisation.

// mxAPITakesPart: answering for a meeting and entering its room.
func mxAPITakesPart(c *mxCell) mxOutcome {
	if out := mxExpect(mxGroupRead, c); out != mxAllowed {
		return out
	}
	if c.postsInGroup() || c.oversees() {
		return mxAllowed
	}
	return mxForbidden
}

// mxAPIInRoom: every room operation. Each cell's person tries to enter the
// room first (mxAPIEnterSetup); those who may take part are in it.
func mxAPIInRoom(c *mxCell) mxOutcome {
	if !c.signedIn() {
		return mxLogIn
	}
	if mxAPITakesPart(c) != mxAllowed {
		return mxHidden
	}
	return mxAllowed
}

// mxAPIRoomTools: the facilitator tools.
func mxAPIRoomTools(c *mxCell) mxOutcome {
	if out := mxAPIInRoom(c); out != mxAllowed {
		return out
	}
	if c.oversees() || c.facilitates() {
		return mxAllowed
	}
	return mxForbidden
}

// mxAPIRoom is one group's session in progress and its open room, with
// people in it for the facilitator tools to act on.
type mxAPIRoom struct {
	session string // started five minutes ago, four hours long
	meeting string // its start, RFC 3339
	room    string
	peer    int    // the number of a member who sent message seq
	seq     int64  // a message of peer's, for removing
	leaver  int    // the number of a member for removing
	decoy   string // a session tomorrow, for cancellations expected to be refused
}

// mxAPIFixtures are made once, by the first cell that needs them.
type mxAPIFixtures struct {
	rooms        map[string]*mxAPIRoom // by group slug
	adult, youth *kindred.Account      // active members of rainbow, to open conversations with
}

const mxAPIFixturesKey = "mxAPI.fixtures"

// mxAPILive returns the fixtures, making them if need be.
func mxAPILive(t testing.TB, w *mxWorld) *mxAPIFixtures {
	t.Helper()
	once, _ := w.fixtures.LoadOrStore("mxAPI.once", new(sync.Once))
	once.(*sync.Once).Do(func() { w.fixtures.Store(mxAPIFixturesKey, mxAPIMake(t, w)) })
	f, ok := w.fixtures.Load(mxAPIFixturesKey)
	if !ok {
		t.Fatal("the live API matrix fixtures could not be made; see the first failure")
	}
	return f.(*mxAPIFixtures)
}

// mxAPIMade returns the fixtures when they exist. Requests built without a
// setup (the hidden-group and unlisted-organisation comparisons) use made-up
// ids until then, which answer as anything nonexistent does.
func mxAPIMade(w *mxWorld) *mxAPIFixtures {
	if f, ok := w.fixtures.Load(mxAPIFixturesKey); ok {
		return f.(*mxAPIFixtures)
	}
	return &mxAPIFixtures{rooms: map[string]*mxAPIRoom{}}
}

// room is the room fixture of the cell's group, or made-up ids for a group
// that has none (the ghost and unlisted groups).
func (f *mxAPIFixtures) room(c *mxCell) *mxAPIRoom {
	if r, ok := f.rooms[c.group.Slug]; ok {
		return r
	}
	return &mxAPIRoom{session: kindred.NewID(), meeting: time.Now().UTC().Truncate(time.Minute).Format(time.RFC3339),
		room: kindred.NewID(), peer: 1, seq: 1, leaver: 2, decoy: kindred.NewID()}
}

func mxAPIMake(t testing.TB, w *mxWorld) *mxAPIFixtures {
	t.Helper()
	ctx := context.Background()
	svc := w.env.Services.Live
	f := &mxAPIFixtures{rooms: map[string]*mxAPIRoom{}}
	for _, kind := range mxKinds {
		g := w.groups[kind]
		band := kindred.AgeAdult
		if kind == kindYouth {
			band = kindred.AgeYouth
		}
		sess := mxAPISessionNow(t, w, g)
		r := &mxAPIRoom{session: sess.ID, meeting: sess.Start.UTC().Format(time.RFC3339)}
		v, err := svc.Enter(ctx, kindredtest.Actor(w.host), w.org.Slug, g.Slug, sess.ID, live.EnterOptions{Agree: true})
		if err != nil {
			t.Fatalf("%s: the facilitator enters: %v", kind, err)
		}
		r.room = v.Room.ID
		person := func() (*kindred.Account, int) {
			a := w.account(t, band, false)
			w.env.Member(t, w.org, a, kindred.RoleMember, kindred.StatusActive)
			w.groupMember(t, g, a, kindred.GroupRoleMember, kindred.StatusActive)
			v, err := svc.Enter(ctx, kindredtest.Actor(a), w.org.Slug, g.Slug, sess.ID, live.EnterOptions{Agree: true})
			if err != nil {
				t.Fatalf("%s: a member enters: %v", kind, err)
			}
			return a, v.Me.Number
		}
		peer, n := person()
		r.peer = n
		m, err := svc.Send(ctx, kindredtest.Actor(peer), r.room, kindred.ChatDraft{Body: "Hello, matrix", Nonce: "matrix"})
		if err != nil {
			t.Fatalf("%s: send: %v", kind, err)
		}
		r.seq = m.Seq
		_, r.leaver = person()
		decoy := &kindred.GroupSession{GroupID: g.ID, Title: "Tomorrow", Start: time.Now().UTC().Add(24 * time.Hour).Truncate(time.Minute),
			Duration: time.Hour, TimeZone: "UTC", Recurrence: kindred.RecurNone, CreatedBy: w.host.ID, CreatedAt: time.Now().UTC()}
		if err := w.env.Store.CreateGroupSession(ctx, decoy); err != nil {
			t.Fatalf("create session: %v", err)
		}
		r.decoy = decoy.ID
		f.rooms[g.Slug] = r
	}
	f.adult = w.account(t, kindred.AgeAdult, false)
	f.youth = w.account(t, kindred.AgeYouth, false)
	for _, a := range []*kindred.Account{f.adult, f.youth} {
		w.env.Member(t, w.org, a, kindred.RoleMember, kindred.StatusActive)
	}
	return f
}

// mxAPISessionNow schedules, directly in the store, a session of g whose
// one meeting started five minutes ago and lasts four hours: its room is
// open as soon as someone enters.
func mxAPISessionNow(t testing.TB, w *mxWorld, g *kindred.Group) *kindred.GroupSession {
	t.Helper()
	now := time.Now().UTC()
	sess := &kindred.GroupSession{GroupID: g.ID, Title: "Matrix session", Start: now.Add(-5 * time.Minute).Truncate(time.Minute),
		Duration: kindred.MaxSessionDuration, TimeZone: "UTC", Recurrence: kindred.RecurNone, CreatedBy: w.host.ID, CreatedAt: now}
	if err := w.env.Store.CreateGroupSession(context.Background(), sess); err != nil {
		t.Fatalf("create session: %v", err)
	}
	return sess
}

// mxAPIEnter lets the cell's person try to enter a session's room, as they
// would through the API; refusals are left for the request under test to
// reveal.
func mxAPIEnter(w *mxWorld, c *mxCell, groupSlug, sessionID string) (*live.RoomView, error) {
	if c.who.account == nil {
		return nil, kindred.Errorf(kindred.EUNAUTHORIZED, "visitor")
	}
	return w.env.Services.Live.Enter(context.Background(), kindredtest.Actor(c.who.account), c.org.Slug, groupSlug, sessionID,
		live.EnterOptions{Agree: true})
}

// mxAPIEnterSetup makes the cell's person try to enter the shared room of
// the cell's group.
func mxAPIEnterSetup(t testing.TB, w *mxWorld, c *mxCell) {
	r := mxAPILive(t, w).room(c)
	_, _ = mxAPIEnter(w, c, c.group.Slug, r.session)
}

// mxLiveAPIMatrix holds the authorization matrix entries for the live
// session and chat API operations.
func mxLiveAPIMatrix() map[string]mxEntry {
	const sessions = "/api/v1/organizations/{org}/groups/{group}/sessions"
	sessionPath := func(w *mxWorld, c *mxCell, id string) string { return apiGroup(c) + "/sessions/" + id }
	roomPath := func(w *mxWorld, c *mxCell) string { return "/rooms/" + mxAPIMade(w).room(c).room }
	fixtures := func(t testing.TB, w *mxWorld, c *mxCell) { mxAPILive(t, w) }

	// Cancelling and ending change what every other cell relies on, so a
	// cell expected to succeed gets a session (or room) of its own.
	var cancelled, ended sync.Map // *mxCell → session id, room id
	return map[string]mxEntry{
		// Sessions.
		"GET " + sessions: {class: mxGroupRead, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiGroup(c)+"/sessions", nil)
		}},
		"POST " + sessions: {class: mxGroupManage, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			day := time.Now().UTC().Add(72 * time.Hour)
			return api(http.MethodPost, apiGroup(c)+"/sessions", map[string]any{"title": "A matrix session", "date": day.Format("2006-01-02"),
				"time": "18:30", "duration_minutes": 60, "time_zone": "UTC"})
		}},
		"GET " + sessions + "/{session}": {class: mxGroupRead, scope: mxGroup, setup: fixtures, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, sessionPath(w, c, mxAPIMade(w).room(c).session), nil)
		}},
		"PUT " + sessions + "/{session}/rsvp": {scope: mxGroup, expect: mxAPITakesPart, setup: fixtures, build: func(w *mxWorld, c *mxCell) mxRequest {
			r := mxAPIMade(w).room(c)
			return api(http.MethodPut, sessionPath(w, c, r.session)+"/rsvp", map[string]any{"meeting": r.meeting, "going": true})
		}},
		"DELETE " + sessions + "/{session}": {class: mxGroupManage, scope: mxGroup,
			setup: func(t testing.TB, w *mxWorld, c *mxCell) {
				mxAPILive(t, w)
				if mxExpect(mxGroupManage, c) == mxAllowed {
					cancelled.Store(c, mxAPISessionNow(t, w, c.group).ID)
				}
			},
			build: func(w *mxWorld, c *mxCell) mxRequest {
				id := mxAPIMade(w).room(c).decoy
				if own, ok := cancelled.Load(c); ok {
					id = own.(string)
				}
				return api(http.MethodDelete, sessionPath(w, c, id), nil)
			}},
		"POST " + sessions + "/{session}/enter": {scope: mxGroup, expect: mxAPITakesPart, setup: fixtures, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, sessionPath(w, c, mxAPIMade(w).room(c).session)+"/enter", map[string]any{"agree": true})
		}},
		"GET " + sessions + "/{session}/calendar.ics": {class: mxGroupRead, scope: mxGroup, setup: fixtures, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, sessionPath(w, c, mxAPIMade(w).room(c).session)+"/calendar.ics", nil)
		}},
		"GET /api/v1/organizations/{org}/groups/{group}/sessions.ics": {class: mxGroupRead, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiGroup(c)+"/sessions.ics", nil)
		}},

		// Rooms: the cells are people in every situation towards the group
		// whose meeting the room is.
		"GET /api/v1/rooms/{room}": {scope: mxGroup, expect: mxAPIInRoom, setup: mxAPIEnterSetup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, roomPath(w, c), nil)
		}},
		"GET /api/v1/rooms/{room}/messages": {scope: mxGroup, expect: mxAPIInRoom, setup: mxAPIEnterSetup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, roomPath(w, c)+"/messages?limit=5", nil)
		}},
		"POST /api/v1/rooms/{room}/messages": {scope: mxGroup, expect: mxAPIInRoom, setup: mxAPIEnterSetup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, roomPath(w, c)+"/messages", map[string]any{"body": "Hello from the matrix", "nonce": w.unique("n")})
		}},
		"POST /api/v1/rooms/{room}/messages/{seq}/remove": {scope: mxGroup, expect: mxAPIRoomTools, setup: mxAPIEnterSetup, build: func(w *mxWorld, c *mxCell) mxRequest {
			r := mxAPIMade(w).room(c)
			return api(http.MethodPost, "/rooms/"+r.room+"/messages/"+strconv.FormatInt(r.seq, 10)+"/remove", map[string]any{"reason": "matrix"})
		}},
		"GET /api/v1/rooms/{room}/people": {scope: mxGroup, expect: mxAPIInRoom, setup: mxAPIEnterSetup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, roomPath(w, c)+"/people", nil)
		}},
		"POST /api/v1/rooms/{room}/people/{n}/mute": {scope: mxGroup, expect: mxAPIRoomTools, setup: mxAPIEnterSetup, build: func(w *mxWorld, c *mxCell) mxRequest {
			r := mxAPIMade(w).room(c)
			return api(http.MethodPost, "/rooms/"+r.room+"/people/"+strconv.Itoa(r.peer)+"/mute", map[string]any{"minutes": 5})
		}},
		"POST /api/v1/rooms/{room}/people/{n}/remove": {scope: mxGroup, expect: mxAPIRoomTools, setup: mxAPIEnterSetup, build: func(w *mxWorld, c *mxCell) mxRequest {
			r := mxAPIMade(w).room(c)
			return api(http.MethodPost, "/rooms/"+r.room+"/people/"+strconv.Itoa(r.leaver)+"/remove", map[string]any{"reason": "matrix"})
		}},
		"POST /api/v1/rooms/{room}/end": {scope: mxGroup, expect: mxAPIRoomTools,
			setup: func(t testing.TB, w *mxWorld, c *mxCell) {
				mxAPIEnterSetup(t, w, c)
				if mxAPIRoomTools(c) != mxAllowed {
					return
				}
				sess := mxAPISessionNow(t, w, c.group)
				if v, err := mxAPIEnter(w, c, c.group.Slug, sess.ID); err == nil {
					ended.Store(c, v.Room.ID)
				} else {
					ended.Store(c, kindred.NewID()) // never the shared room
				}
			},
			build: func(w *mxWorld, c *mxCell) mxRequest {
				id := mxAPIMade(w).room(c).room
				if own, ok := ended.Load(c); ok {
					id = own.(string)
				}
				return api(http.MethodPost, "/rooms/"+id+"/end", nil)
			}},

		// Conversations.
		"GET /api/v1/organizations/{org}/conversations": {class: mxOrgMember, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiOrg(c)+"/conversations", nil)
		}},
		"POST /api/v1/organizations/{org}/conversations": {class: mxOrgMember, scope: mxOrg, setup: fixtures, build: func(w *mxWorld, c *mxCell) mxRequest {
			// Someone they may talk to: adults and members aged 13–17
			// cannot start conversations with each other.
			handle := "nobody-yet"
			if f := mxAPIMade(w); f.adult != nil {
				handle = f.adult.Handle
				if c.role == roleYouth {
					handle = f.youth.Handle
				}
			}
			return api(http.MethodPost, apiOrg(c)+"/conversations", map[string]any{"handle": handle})
		}},
	}
}
