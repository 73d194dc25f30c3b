package live_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"kindred"
	"kindred/internal/broker"
	"kindred/internal/kindredtest"
	"kindred/internal/live"
	"kindred/internal/markup"
)

// world is an organisation with a public group, its facilitator, two
// members and a session whose meeting is in progress.
type world struct {
	e             *kindredtest.Env
	svc           *live.Service
	org           *kindred.Organization
	group         *kindred.Group
	fac, amy, ben *kindred.Account
	sess          *kindred.GroupSession
}

func newWorld(t *testing.T, o ...live.Options) *world {
	t.Helper()
	e := kindredtest.New(t, kindredtest.Options{Generous: true})
	w := &world{e: e, svc: e.Services.Live}
	if len(o) > 0 { // a service of our own, with different limits, on the same store
		opts := o[0]
		if opts.Broker == nil {
			opts.Broker = broker.NewMemory()
		}
		w.svc = live.New(e.Store, e.Services.Groups, markup.New(), opts)
		t.Cleanup(w.svc.Close)
	}
	w.fac = e.Account(t, "fern", kindred.AgeAdult)
	w.amy = e.Account(t, "amy", kindred.AgeAdult)
	w.ben = e.Account(t, "ben", kindred.AgeYoungAdult)
	w.org = e.Org(t, w.fac, "harbour", kindred.JoinOpen)
	w.group = e.Group(t, w.org, "circle", kindred.VisibilityPublic, kindred.AgeAny, w.fac)
	for _, a := range []*kindred.Account{w.amy, w.ben} {
		e.Member(t, w.org, a, kindred.RoleMember, kindred.StatusActive)
		e.GroupMember(t, w.group, a, kindred.StatusActive)
	}
	w.sess = w.session(t, time.Now().Add(-time.Minute))
	return w
}

// session stores a one-off session starting at start, for an hour.
func (w *world) session(t *testing.T, start time.Time) *kindred.GroupSession {
	t.Helper()
	s := &kindred.GroupSession{GroupID: w.group.ID, Title: "Tuesday circle", Start: start.UTC().Truncate(time.Second),
		Duration: time.Hour, TimeZone: "UTC", Recurrence: kindred.RecurNone, CreatedBy: w.fac.ID}
	if err := w.e.Store.CreateGroupSession(context.Background(), s); err != nil {
		t.Fatal(err)
	}
	return s
}

func actor(a *kindred.Account) *kindred.Actor { return &kindred.Actor{Account: a} }

func (w *world) enter(t *testing.T, a *kindred.Account, anonymous bool) *live.RoomView {
	t.Helper()
	v, err := w.svc.Enter(context.Background(), actor(a), w.org.Slug, w.group.Slug, w.sess.ID, live.EnterOptions{Agree: true, Anonymous: anonymous})
	if err != nil {
		t.Fatalf("%s enters: %v", a.Handle, err)
	}
	return v
}

func (w *world) connect(t *testing.T, a *kindred.Account, roomID string, after int64) *conn {
	t.Helper()
	c, err := w.svc.Connect(context.Background(), actor(a), roomID, after, nil)
	if err != nil {
		t.Fatalf("%s connects: %v", a.Handle, err)
	}
	t.Cleanup(c.Close)
	return &conn{t: t, c: c}
}

func (w *world) send(t *testing.T, a *kindred.Account, roomID, body string) *live.MessageView {
	t.Helper()
	m, err := w.svc.Send(context.Background(), actor(a), roomID, kindred.ChatDraft{Body: body})
	if err != nil {
		t.Fatalf("%s sends: %v", a.Handle, err)
	}
	return m
}

// conn reads frames from a client as a test would from a socket.
type conn struct {
	t *testing.T
	c *live.Client
}

type frame struct {
	Type    string `json:"type"`
	Seq     int64  `json:"seq"`
	HTML    string `json:"html"`
	Text    string `json:"text"`
	Author  string `json:"author"`
	Removes int64  `json:"removes"`
	State   string `json:"state"`
	Name    string `json:"name"`
	Here    []struct {
		N    int    `json:"n"`
		Name string `json:"name"`
	} `json:"here"`
	Me struct {
		N    int    `json:"n"`
		Name string `json:"name"`
	} `json:"me"`
	raw string
}

// next returns the next frame of one of the given types, skipping others.
func (c *conn) next(types ...string) (frame, error) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		b, err := c.c.Next(ctx)
		if err != nil {
			return frame{}, err
		}
		var f frame
		if err := json.Unmarshal(b, &f); err != nil {
			c.t.Fatalf("bad frame %s: %v", b, err)
		}
		f.raw = string(b)
		for _, typ := range types {
			if f.Type == typ {
				return f, nil
			}
		}
	}
}

func (c *conn) must(types ...string) frame {
	c.t.Helper()
	f, err := c.next(types...)
	if err != nil {
		c.t.Fatalf("waiting for %v: %v", types, err)
	}
	return f
}

// closedWithin waits for the client to be closed and returns the reason.
func (c *conn) closedWithin(d time.Duration) (string, time.Duration) {
	start := time.Now()
	select {
	case <-c.c.Done():
	case <-time.After(d):
		return "", time.Since(start)
	}
	_, err := c.c.Next(context.Background())
	return live.CloseReason(err), time.Since(start)
}

func TestMessagesArriveInOrderOnceAndResume(t *testing.T) {
	w := newWorld(t)
	room := w.enter(t, w.amy, false).Room
	w.enter(t, w.ben, false)
	amy := w.connect(t, w.amy, room.ID, -1)
	ben := w.connect(t, w.ben, room.ID, -1)
	for _, c := range []*conn{amy, ben} {
		if f := c.must(live.FrameReady); f.State != "open" {
			t.Fatalf("ready frame: %s", f.raw)
		}
	}

	// Four people's worth of concurrent sending: every receiver sees every
	// number once, in order, with no gaps.
	const senders, each = 4, 15
	var wg sync.WaitGroup
	for i := range senders {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range each {
				a := w.amy
				if i%2 == 1 {
					a = w.ben
				}
				if _, err := w.svc.Send(context.Background(), actor(a), room.ID, kindred.ChatDraft{Body: fmt.Sprintf("m %d-%d", i, k)}); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	for _, c := range []*conn{amy, ben} {
		for want := int64(1); want <= senders*each; want++ {
			if f := c.must(live.FrameMessage); f.Seq != want {
				t.Fatalf("want seq %d, got %s", want, f.raw)
			}
		}
	}

	// Ben drops off; Amy keeps talking; Ben comes back from where he was.
	ben.c.Close()
	for i := range 5 {
		w.send(t, w.amy, room.ID, fmt.Sprintf("while you were away %d", i))
	}
	back := w.connect(t, w.ben, room.ID, senders*each)
	back.must(live.FrameReady)
	for want := int64(senders*each + 1); want <= senders*each+5; want++ {
		if f := back.must(live.FrameMessage); f.Seq != want || !strings.Contains(f.HTML, "while you were away") {
			t.Fatalf("resume: want seq %d, got %s", want, f.raw)
		}
	}
	w.send(t, w.amy, room.ID, "and now live")
	if f := back.must(live.FrameMessage); f.Seq != senders*each+6 {
		t.Fatalf("after resume: %s", f.raw)
	}

	// A retry with the same nonce is stored once.
	d := kindred.ChatDraft{Body: "once only", Nonce: "n-1"}
	m1, err := w.svc.Send(context.Background(), actor(w.amy), room.ID, d)
	if err != nil {
		t.Fatal(err)
	}
	m2, err := w.svc.Send(context.Background(), actor(w.amy), room.ID, d)
	if err != nil || m2.Seq != m1.Seq {
		t.Fatalf("retry: %v, seq %d vs %d", err, m2.Seq, m1.Seq)
	}
	if f := back.must(live.FrameMessage); f.Seq != m1.Seq {
		t.Fatalf("retry delivered as %s", f.raw)
	}
	w.send(t, w.amy, room.ID, "next")
	if f := back.must(live.FrameMessage); f.Seq != m1.Seq+1 {
		t.Fatalf("after the retry: %s", f.raw)
	}
}

func TestFreshConnectionGetsTheNewestPage(t *testing.T) {
	w := newWorld(t)
	room := w.enter(t, w.amy, false).Room
	for i := range kindred.ChatPage + 10 {
		w.send(t, w.amy, room.ID, fmt.Sprintf("message %d", i))
	}
	c := w.connect(t, w.amy, room.ID, -1)
	c.must(live.FrameReady)
	first := c.must(live.FrameMessage)
	if first.Seq != 11 {
		t.Fatalf("first message of a fresh connection: %s", first.raw)
	}
	h, err := w.svc.Messages(context.Background(), actor(w.amy), room.ID, kindred.ChatFilter{Before: 11})
	if err != nil || len(h.Messages) != 10 || h.Messages[0].Seq != 1 || h.Earlier != 0 {
		t.Fatalf("scrolling back: %v %+v", err, h)
	}
}

func TestPresenceAndTypingRespectAnonymity(t *testing.T) {
	w := newWorld(t)
	room := w.enter(t, w.amy, true).Room
	w.enter(t, w.ben, false)
	amy := w.connect(t, w.amy, room.ID, -1)
	ben := w.connect(t, w.ben, room.ID, -1)
	me := amy.must(live.FrameReady).Me
	if me.Name != fmt.Sprintf("Anonymous peer %d", me.N) {
		t.Fatalf("anonymous name: %+v", me)
	}
	for {
		f := ben.must(live.FramePresence)
		if len(f.Here) == 2 {
			for _, p := range f.Here {
				if strings.Contains(p.Name, "amy") {
					t.Fatalf("presence shows an anonymous person's name: %s", f.raw)
				}
			}
			break
		}
	}
	amy.c.Receive(context.Background(), []byte(`{"type":"typing"}`))
	if f := ben.must(live.FrameTyping); f.Name != me.Name {
		t.Fatalf("typing: %s", f.raw)
	}
	m := w.send(t, w.amy, room.ID, "hello from nobody in particular")
	if f := ben.must(live.FrameMessage); f.Author != me.Name || strings.Contains(f.raw, w.amy.ID) || m.Author != me.Name {
		t.Fatalf("anonymous message: %s", f.raw)
	}
}

func TestASlowConnectionIsToldAndClosedWithoutSlowingTheRoom(t *testing.T) {
	w := newWorld(t, live.Options{QueueLimit: 16, SendEvery: time.Millisecond, SendBurst: 1000})
	room := w.enter(t, w.amy, false).Room
	w.enter(t, w.ben, false)
	slow := w.connect(t, w.ben, room.ID, -1) // never reads
	fast := w.connect(t, w.amy, room.ID, -1)
	fast.must(live.FrameReady)
	const n = 60
	got := make(chan error, 1)
	go func() { // the fast reader keeps up as messages arrive
		for want := int64(1); want <= n; want++ {
			f, err := fast.next(live.FrameMessage)
			if err == nil && f.Seq != want {
				err = fmt.Errorf("want %d, got %s", want, f.raw)
			}
			if err != nil {
				got <- err
				return
			}
		}
		got <- nil
	}()
	for i := range n {
		w.send(t, w.amy, room.ID, fmt.Sprintf("m%d", i))
		time.Sleep(time.Millisecond)
	}
	if err := <-got; err != nil {
		t.Fatalf("fast reader: %v", err)
	}
	if reason, _ := slow.closedWithin(5 * time.Second); reason != live.ReasonBehind {
		t.Fatalf("slow reader closed with %q, want %q", reason, live.ReasonBehind)
	}
	// Reconnecting resumes where it was.
	again := w.connect(t, w.ben, room.ID, 0)
	again.must(live.FrameReady)
	for want := int64(1); want <= n; want++ {
		if f := again.must(live.FrameMessage); f.Seq != want {
			t.Fatalf("resume after falling behind: want %d, got %s", want, f.raw)
		}
	}
}

// TestAccessChangesCloseConnectionsAtOnce: leaving, removal, suspension
// and logging out everywhere close the person's live connections within a
// second, and nothing more reaches them.
func TestAccessChangesCloseConnectionsAtOnce(t *testing.T) {
	ctx := context.Background()
	cases := []struct {
		name   string
		reason string
		act    func(t *testing.T, w *world, roomID string)
	}{
		{"leaves the group", live.ReasonAccess, func(t *testing.T, w *world, _ string) {
			if err := w.e.Services.Groups.Leave(ctx, actor(w.ben), w.org.Slug, w.group.Slug); err != nil {
				t.Fatal(err)
			}
		}},
		{"removed from the group", live.ReasonAccess, func(t *testing.T, w *world, _ string) {
			if err := w.e.Services.Groups.RemoveMember(ctx, actor(w.fac), w.org.Slug, w.group.Slug, w.ben.ID); err != nil {
				t.Fatal(err)
			}
		}},
		{"removed from the organisation", live.ReasonAccess, func(t *testing.T, w *world, _ string) {
			if err := w.e.Services.Orgs.Remove(ctx, actor(w.fac), w.org.Slug, w.ben.ID); err != nil {
				t.Fatal(err)
			}
		}},
		{"removed from the session", live.ReasonRemoved, func(t *testing.T, w *world, roomID string) {
			people, err := w.svc.People(ctx, actor(w.fac), roomID)
			if err != nil {
				t.Fatal(err)
			}
			removed := false
			for _, p := range people {
				if p.Name == w.ben.DisplayName {
					if err := w.svc.RemovePerson(ctx, actor(w.fac), roomID, p.Number, "kept posting others' details"); err != nil {
						t.Fatal(err)
					}
					removed = true
				}
			}
			if !removed {
				t.Fatalf("Ben is not among %+v", people)
			}
		}},
		{"suspended", live.ReasonSignedOut, func(t *testing.T, w *world, _ string) {
			op := w.e.Operator(t, "opal")
			if _, err := w.e.Services.Accounts.Suspend(ctx, actor(op), w.ben.ID, true); err != nil {
				t.Fatal(err)
			}
		}},
		{"logs out everywhere", live.ReasonSignedOut, func(t *testing.T, w *world, _ string) {
			if _, err := w.e.Services.Accounts.LogOutEverywhere(ctx, actor(w.ben)); err != nil {
				t.Fatal(err)
			}
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t)
			w.enter(t, w.fac, false)
			room := w.enter(t, w.amy, false).Room
			w.enter(t, w.ben, false)
			// Ben is signed in through a session, re-checked on every change.
			secret, err := w.e.Services.Accounts.StartSession(ctx, w.ben.ID, "test")
			if err != nil {
				t.Fatal(err)
			}
			recheck := func(ctx context.Context) (*kindred.Actor, error) {
				a, err := w.e.Services.Accounts.SessionActor(ctx, secret)
				if err == nil && a == nil {
					err = errors.New("signed out")
				}
				return a, err
			}
			bc, err := w.svc.Connect(ctx, actor(w.ben), room.ID, -1, recheck)
			if err != nil {
				t.Fatal(err)
			}
			defer bc.Close()
			ben := &conn{t: t, c: bc}
			ben.must(live.FrameReady)
			w.send(t, w.amy, room.ID, "before")
			ben.must(live.FrameMessage)

			tc.act(t, w, room.ID)
			reason, took := ben.closedWithin(time.Second)
			if reason != tc.reason {
				t.Fatalf("closed with %q after %v, want %q within a second", reason, took, tc.reason)
			}
			t.Logf("closed %v after the change", took.Round(time.Millisecond))
			w.send(t, w.amy, room.ID, "after")
			if f, err := ben.next(live.FrameMessage, live.FrameNotice); live.CloseReason(err) == "" {
				t.Fatalf("a closed connection still receives: %s %v", f.raw, err)
			}
			if _, err := w.svc.Connect(ctx, actor(w.ben), room.ID, -1, recheck); err == nil && tc.reason != live.ReasonSignedOut {
				t.Fatal("could connect again after losing access")
			}
		})
	}
}

func TestBlockedPeopleAreNotDelivered(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.enter(t, w.fac, false)
	room := w.enter(t, w.amy, false).Room
	w.enter(t, w.ben, false)
	amy := w.connect(t, w.amy, room.ID, -1)
	amy.must(live.FrameReady)
	w.connect(t, w.ben, room.ID, -1)
	for f := amy.must(live.FramePresence); !strings.Contains(fmt.Sprint(f.Here), w.ben.DisplayName); f = amy.must(live.FramePresence) {
	}
	if err := w.e.Store.CreateBlock(ctx, &kindred.Block{AccountID: w.amy.ID, BlockedID: w.ben.ID}); err != nil {
		t.Fatal(err)
	}
	// The access event holds Amy's connection at once; what arrives while
	// it is re-checked is filtered with her new blocks.
	w.svc.AccessChanged(ctx, w.amy.ID)
	w.send(t, w.ben, room.ID, "from someone Amy blocked")
	w.send(t, w.fac, room.ID, "from the facilitator")
	sawMessage, sawPresence := false, false
	for !sawMessage || !sawPresence {
		f := amy.must(live.FrameMessage, live.FramePresence)
		switch {
		case f.Type == live.FrameMessage && !strings.Contains(f.HTML, "from the facilitator"):
			t.Fatalf("Amy received %s", f.raw)
		case f.Type == live.FrameMessage:
			sawMessage = true
		case !strings.Contains(fmt.Sprint(f.Here), w.ben.DisplayName):
			sawPresence = true
		}
	}
	h, err := w.svc.Messages(ctx, actor(w.amy), room.ID, kindred.ChatFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range h.Messages {
		if strings.Contains(m.HTML, "blocked") {
			t.Fatalf("history shows a blocked person's message: %+v", m)
		}
	}
	// Ben still sees his own message and the facilitator's.
	h, err = w.svc.Messages(ctx, actor(w.ben), room.ID, kindred.ChatFilter{})
	if err != nil || len(h.Messages) != 2 {
		t.Fatalf("Ben's history: %v %+v", err, h)
	}
}

func TestTheRoomOpensAtTheStartOrWhenAFacilitatorArrives(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.sess = w.session(t, time.Now().Add(30*time.Minute))
	v := w.enter(t, w.amy, false)
	if v.State != live.StateWaiting {
		t.Fatalf("state before the start: %s", v.State)
	}
	_, err := w.svc.Send(ctx, actor(w.amy), v.Room.ID, kindred.ChatDraft{Body: "anyone here?"})
	if kindred.ErrorCode(err) != kindred.ECONFLICT {
		t.Fatalf("sending before the room opens: %v", err)
	}
	amy := w.connect(t, w.amy, v.Room.ID, -1)
	if f := amy.must(live.FrameReady); f.State != "waiting" {
		t.Fatalf("ready: %s", f.raw)
	}
	if fv := w.enter(t, w.fac, false); fv.State != live.StateOpen {
		t.Fatalf("state after the facilitator arrived: %s", fv.State)
	}
	if f := amy.must(live.FrameNotice); !strings.Contains(f.Text, "opened the room") {
		t.Fatalf("notice: %s", f.raw)
	}
	if f := amy.must(live.FrameState); f.State != "open" {
		t.Fatalf("state frame: %s", f.raw)
	}
	w.send(t, w.amy, v.Room.ID, "hello")

	// Too early to come in at all.
	w.sess = w.session(t, time.Now().Add(3*time.Hour))
	_, err = w.svc.Enter(ctx, actor(w.amy), w.org.Slug, w.group.Slug, w.sess.ID, live.EnterOptions{Agree: true})
	if kindred.ErrorCode(err) != kindred.ECONFLICT {
		t.Fatalf("entering three hours early: %v", err)
	}
	// Agreements must be accepted.
	w.sess = w.session(t, time.Now())
	_, err = w.svc.Enter(ctx, actor(w.amy), w.org.Slug, w.group.Slug, w.sess.ID, live.EnterOptions{})
	if kindred.ErrorFields(err)["agree"] == "" {
		t.Fatalf("entering without accepting the agreements: %v", err)
	}
}

func TestFacilitatorTools(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.enter(t, w.fac, false)
	room := w.enter(t, w.amy, false).Room
	ben := w.enter(t, w.ben, false)
	amy := w.connect(t, w.amy, room.ID, -1)
	amy.must(live.FrameReady)
	benLive := w.connect(t, w.ben, room.ID, -1)
	benLive.must(live.FrameReady)
	m := w.send(t, w.ben, room.ID, "something unkind")

	if err := w.svc.RemoveMessage(ctx, actor(w.amy), room.ID, m.Seq, "no"); kindred.ErrorCode(err) != kindred.EFORBIDDEN {
		t.Fatalf("a member removing a message: %v", err)
	}
	if err := w.svc.RemoveMessage(ctx, actor(w.fac), room.ID, m.Seq, ""); kindred.ErrorFields(err)["reason"] == "" {
		t.Fatalf("removing without a reason: %v", err)
	}
	if err := w.svc.RemoveMessage(ctx, actor(w.fac), room.ID, m.Seq, "unkind to another member"); err != nil {
		t.Fatal(err)
	}
	amy.must(live.FrameMessage)
	if f := amy.must(live.FrameNotice); f.Removes != m.Seq {
		t.Fatalf("removal notice: %s", f.raw)
	}
	h, err := w.svc.Messages(ctx, actor(w.amy), room.ID, kindred.ChatFilter{})
	if err != nil || !h.Messages[0].Removed || h.Messages[0].HTML != "" {
		t.Fatalf("removed message in history: %v %+v", err, h.Messages[0])
	}

	if err := w.svc.Mute(ctx, actor(w.fac), room.ID, ben.Me.Number, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	if f := amy.must(live.FrameNotice); !strings.Contains(f.Text, "10 minutes") {
		t.Fatalf("mute notice: %s", f.raw)
	}
	if _, err := w.svc.Send(ctx, actor(w.ben), room.ID, kindred.ChatDraft{Body: "let me talk"}); kindred.ErrorCode(err) != kindred.EFORBIDDEN {
		t.Fatalf("a muted person sending: %v", err)
	}
	// Over the live connection too, once the pause has reached it.
	benLive.must(live.FrameMember)
	benLive.c.Receive(ctx, []byte(`{"type":"send","body":"let me talk","nonce":"n1"}`))
	if f := benLive.must(live.FrameError, live.FrameAck); !strings.Contains(f.raw, `"code":"forbidden"`) {
		t.Fatalf("a muted person sending over the socket: %s", f.raw)
	}

	if err := w.svc.End(ctx, actor(w.amy), room.ID); kindred.ErrorCode(err) != kindred.EFORBIDDEN {
		t.Fatalf("a member ending the session: %v", err)
	}
	if err := w.svc.End(ctx, actor(w.fac), room.ID); err != nil {
		t.Fatal(err)
	}
	if f := amy.must(live.FrameState); f.State != "ended" {
		t.Fatalf("state after the end: %s", f.raw)
	}
	if _, err := w.svc.Send(ctx, actor(w.amy), room.ID, kindred.ChatDraft{Body: "bye"}); kindred.ErrorCode(err) != kindred.ECONFLICT {
		t.Fatalf("sending after the end: %v", err)
	}
	amy.c.Receive(ctx, []byte(`{"type":"send","body":"bye","nonce":"n2"}`))
	if f := amy.must(live.FrameError, live.FrameAck); !strings.Contains(f.raw, `"code":"conflict"`) {
		t.Fatalf("sending over the socket after the end: %s", f.raw)
	}

	audit, err := w.e.Store.ListAudit(ctx, kindred.AuditFilter{OrgID: w.org.ID})
	if err != nil {
		t.Fatal(err)
	}
	var actions []string
	for _, e := range audit {
		actions = append(actions, e.Action)
		if strings.Contains(e.Detail, "something unkind") {
			t.Fatalf("the audit log keeps message text: %+v", e)
		}
	}
	for _, want := range []string{"chat.remove_message", "chat.mute", "session.end"} {
		if !strings.Contains(strings.Join(actions, " "), want) {
			t.Errorf("audit log lacks %s: %v", want, actions)
		}
	}
}

func TestConversationsFollowTheAgeRule(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	kid := w.e.Account(t, "kit", kindred.AgeYouth)
	kid2 := w.e.Account(t, "kai", kindred.AgeYouth)
	for _, a := range []*kindred.Account{kid, kid2} {
		w.e.Member(t, w.org, a, kindred.RoleMember, kindred.StatusActive)
	}
	stranger := w.e.Account(t, "sol", kindred.AgeAdult) // not in the organisation

	_, errMinor := w.svc.OpenConversation(ctx, actor(w.amy), w.org.Slug, "kit")
	_, errStranger := w.svc.OpenConversation(ctx, actor(w.amy), w.org.Slug, stranger.Handle)
	_, errNobody := w.svc.OpenConversation(ctx, actor(w.amy), w.org.Slug, "nobody-at-all")
	msg := func(err error, h string) string {
		return strings.ReplaceAll(kindred.ErrorFields(err)["handle"], h, "X")
	}
	if errMinor == nil || msg(errMinor, "kit") != msg(errNobody, "nobody-at-all") || msg(errStranger, stranger.Handle) != msg(errNobody, "nobody-at-all") {
		t.Fatalf("refusals must read the same: %v / %v / %v", errMinor, errStranger, errNobody)
	}
	if _, err := w.svc.OpenConversation(ctx, actor(kid), w.org.Slug, "amy"); err == nil {
		t.Fatal("a minor opened a conversation with an adult")
	}

	r, err := w.svc.OpenConversation(ctx, actor(kid), w.org.Slug, "kai")
	if err != nil {
		t.Fatal(err)
	}
	again, err := w.svc.OpenConversation(ctx, actor(kid2), w.org.Slug, "@kit")
	if err != nil || again.ID != r.ID {
		t.Fatalf("the same two people get the same conversation: %v", err)
	}
	w.send(t, kid, r.ID, "hi!")
	if _, err := w.svc.Room(ctx, actor(w.amy), r.ID); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Fatalf("a third person reading a conversation: %v", err)
	}
	_, list, err := w.svc.Conversations(ctx, actor(kid2), w.org.Slug)
	if err != nil || len(list) != 1 || list[0].With != kid.DisplayName {
		t.Fatalf("Kai's conversations: %v %+v", err, list)
	}

	// The support programme may connect an adult supporter with a minor.
	sr, err := w.svc.OpenSupportConversation(ctx, w.org.ID, w.amy.ID, kid.ID)
	if err != nil {
		t.Fatal(err)
	}
	w.send(t, w.amy, sr.ID, "Hi Kit, I'm Amy, a peer supporter.")
	if err := w.svc.End(ctx, actor(kid), sr.ID); err != nil {
		t.Fatal(err)
	}
}

func TestResumingFromTooFarBackStartsAfresh(t *testing.T) {
	w := newWorld(t)
	room := w.enter(t, w.amy, false).Room
	for i := range live.ResumeLimit + 5 {
		if err := w.e.Store.CreateChatMessage(context.Background(), &kindred.ChatMessage{RoomID: room.ID,
			Kind: kindred.MessageText, AuthorID: w.amy.ID, Body: fmt.Sprint(i), HTML: fmt.Sprint(i)}); err != nil {
			t.Fatal(err)
		}
	}
	c := w.connect(t, w.amy, room.ID, 2)
	if f := c.must(live.FrameReady); !strings.Contains(f.raw, `"reset":true`) {
		t.Fatalf("ready after a long absence: %s", f.raw)
	}
	if f := c.must(live.FrameMessage); f.Seq != live.ResumeLimit+5-kindred.ChatPage+1 {
		t.Fatalf("first message after a reset: %s", f.raw)
	}
	near := w.connect(t, w.amy, room.ID, 10)
	if f := near.must(live.FrameReady); strings.Contains(f.raw, "reset") {
		t.Fatalf("a short absence resumed as a reset: %s", f.raw)
	}
	if f := near.must(live.FrameMessage); f.Seq != 11 {
		t.Fatalf("resume: %s", f.raw)
	}
}
