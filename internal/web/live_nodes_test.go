package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"

	"kindred"
	"kindred/internal/broker"
	"kindred/internal/kindredtest"
	"kindred/internal/live"
	"kindred/internal/sqlstore/sqlstoretest"
	"kindred/internal/web"
)

// wsFrame is any frame a live connection receives.
type wsFrame struct {
	Type   string `json:"type"`
	Seq    int64  `json:"seq"`
	HTML   string `json:"html"`
	Reason string `json:"reason"`
	Here   []struct {
		Name string `json:"name"`
	} `json:"here"`
	raw string
}

// dialLive opens a live connection to roomID on env's server as account a.
func dialLive(t *testing.T, env *kindredtest.Env, a *kindred.Account, roomID string, after int64) *websocket.Conn {
	t.Helper()
	secret, err := env.Services.Accounts.StartSession(context.Background(), a.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	u := "ws" + strings.TrimPrefix(env.HTTP.URL, "http") + web.LivePath + "?room=" + roomID
	if after >= 0 {
		u += fmt.Sprintf("&after=%d", after)
	}
	h := http.Header{}
	h.Set("Cookie", web.SessionCookie+"="+secret)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	c, resp, err := websocket.Dial(ctx, u, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		t.Fatalf("dial %s: %v (%v)", u, err, resp)
	}
	t.Cleanup(func() { c.CloseNow() })
	return c
}

// readFrame reads the next frame of one of the types, skipping others.
func readFrame(t *testing.T, c *websocket.Conn, d time.Duration, types ...string) (wsFrame, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), d)
	defer cancel()
	for {
		_, b, err := c.Read(ctx)
		if err != nil {
			return wsFrame{}, err
		}
		var f wsFrame
		if err := json.Unmarshal(b, &f); err != nil {
			t.Fatalf("bad frame %s: %v", b, err)
		}
		f.raw = string(b)
		for _, typ := range types {
			if f.Type == typ {
				return f, nil
			}
		}
	}
}

func writeFrame(t *testing.T, c *websocket.Conn, v any) {
	t.Helper()
	b, _ := json.Marshal(v)
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := c.Write(ctx, websocket.MessageText, b); err != nil {
		t.Fatal(err)
	}
}

// TestTwoNodesShareRooms runs two Kindred servers on one PostgreSQL
// database and one NATS server, as behind a load balancer: messages sent
// through either node reach people on both, once and in order; presence
// spans both; and an access change made on one node closes a connection
// on the other within a second.
func TestTwoNodesShareRooms(t *testing.T) {
	pg, natsURL := os.Getenv(sqlstoretest.EnvPostgres), os.Getenv("KINDRED_TEST_NATS")
	if pg == "" || natsURL == "" {
		t.Skip("set KINDRED_TEST_POSTGRES and KINDRED_TEST_NATS to run two nodes")
	}
	ctx := context.Background()
	dbs := sqlstoretest.OpenPostgresNodes(t, pg, 2)
	prefix := "kt" + kindred.NewID()[:10] // this test's own subjects on the shared NATS
	nodes := make([]*kindredtest.Env, 2)
	for i := range nodes {
		b, err := broker.DialNATS(natsURL, broker.NATSOptions{Prefix: prefix, Name: fmt.Sprintf("node %d", i)})
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		nodes[i] = kindredtest.NewWithStore(t, dbs[i], kindredtest.Options{Generous: true, Broker: b})
	}
	a, b := nodes[0], nodes[1]

	fac := a.Account(t, "fern", kindred.AgeAdult)
	amy := a.Account(t, "amy", kindred.AgeAdult)
	ben := a.Account(t, "ben", kindred.AgeAdult)
	org := a.Org(t, fac, "harbour", kindred.JoinOpen)
	g := a.Group(t, org, "circle", kindred.VisibilityPrivate, kindred.AgeAny, fac)
	for _, p := range []*kindred.Account{amy, ben} {
		a.Member(t, org, p, kindred.RoleMember, kindred.StatusActive)
		a.GroupMember(t, g, p, kindred.StatusActive)
	}
	sess := &kindred.GroupSession{GroupID: g.ID, Title: "Evening circle", Start: time.Now().Add(-time.Minute).UTC().Truncate(time.Second),
		Duration: time.Hour, TimeZone: "UTC", Recurrence: kindred.RecurNone, CreatedBy: fac.ID}
	if err := a.Store.CreateGroupSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	enter := func(env *kindredtest.Env, p *kindred.Account) string {
		v, err := env.Services.Live.Enter(ctx, &kindred.Actor{Account: p}, org.Slug, g.Slug, sess.ID, live.EnterOptions{Agree: true})
		if err != nil {
			t.Fatal(err)
		}
		return v.Room.ID
	}
	room := enter(a, amy)
	if enter(b, ben) != room {
		t.Fatal("the two nodes disagree about the meeting's room")
	}

	onA := dialLive(t, a, amy, room, -1)
	onB := dialLive(t, b, ben, room, -1)
	for _, c := range []*websocket.Conn{onA, onB} {
		if _, err := readFrame(t, c, 5*time.Second, live.FrameReady); err != nil {
			t.Fatal(err)
		}
	}
	// Presence spans the nodes.
	for {
		f, err := readFrame(t, onA, 5*time.Second, live.FramePresence)
		if err != nil {
			t.Fatalf("presence across nodes: %v", err)
		}
		if len(f.Here) == 2 {
			break
		}
	}

	// Both send at once, each through their own node.
	const each = 40
	var wg sync.WaitGroup
	for i, c := range []*websocket.Conn{onA, onB} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for k := range each {
				b, _ := json.Marshal(map[string]string{"type": "send", "body": fmt.Sprintf("node %d message %d", i, k), "nonce": fmt.Sprintf("%d-%d", i, k)})
				wctx, cancel := context.WithTimeout(ctx, 5*time.Second)
				err := c.Write(wctx, websocket.MessageText, b)
				cancel()
				if err != nil {
					t.Error(err)
					return
				}
			}
		}()
	}
	wg.Wait()
	for name, c := range map[string]*websocket.Conn{"node A": onA, "node B": onB} {
		for want := int64(1); want <= 2*each; want++ {
			f, err := readFrame(t, c, 10*time.Second, live.FrameMessage)
			if err != nil {
				t.Fatalf("%s waiting for seq %d: %v", name, want, err)
			}
			if f.Seq != want {
				t.Fatalf("%s: want seq %d, got %s", name, want, f.raw)
			}
		}
	}

	// Ben leaves the group through node A; his socket on node B closes.
	start := time.Now()
	if err := a.Services.Groups.Leave(ctx, &kindred.Actor{Account: ben}, org.Slug, g.Slug); err != nil {
		t.Fatal(err)
	}
	f, err := readFrame(t, onB, time.Second, live.FrameClosing)
	if err != nil || f.Reason != live.ReasonAccess {
		t.Fatalf("after leaving on the other node, within a second: %v %s", err, f.raw)
	}
	t.Logf("closed on node B %v after leaving on node A", time.Since(start).Round(time.Millisecond))
	writeFrame(t, onA, map[string]string{"type": "send", "body": "after Ben left"})
	if _, err := readFrame(t, onB, 500*time.Millisecond, live.FrameMessage); err == nil {
		t.Fatal("a closed connection still received a message")
	}
}

// TestLiveConnectionsRefuseOtherSitesAndOversizedFrames: a page on another
// site cannot open a socket with a member's cookie (cross-site WebSocket
// hijacking), visitors and outsiders are refused before any upgrade, and a
// frame over the read limit ends the connection.
func TestLiveConnectionsRefuseOtherSitesAndOversizedFrames(t *testing.T) {
	ctx := context.Background()
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	fac := env.Account(t, "fern", kindred.AgeAdult)
	amy := env.Account(t, "amy", kindred.AgeAdult)
	org := env.Org(t, fac, "harbour", kindred.JoinOpen)
	g := env.Group(t, org, "circle", kindred.VisibilityHidden, kindred.AgeAny, fac)
	sess := &kindred.GroupSession{GroupID: g.ID, Title: "Circle", Start: time.Now().Add(-time.Minute).UTC().Truncate(time.Second),
		Duration: time.Hour, TimeZone: "UTC", Recurrence: kindred.RecurNone, CreatedBy: fac.ID}
	if err := env.Store.CreateGroupSession(ctx, sess); err != nil {
		t.Fatal(err)
	}
	v, err := env.Services.Live.Enter(ctx, &kindred.Actor{Account: fac}, org.Slug, g.Slug, sess.ID, live.EnterOptions{Agree: true})
	if err != nil {
		t.Fatal(err)
	}
	secret, err := env.Services.Accounts.StartSession(ctx, fac.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	wsURL := "ws" + strings.TrimPrefix(env.HTTP.URL, "http") + web.LivePath + "?room=" + v.Room.ID
	dial := func(cookie, origin, room string) (int, error) {
		h := http.Header{}
		if cookie != "" {
			h.Set("Cookie", web.SessionCookie+"="+cookie)
		}
		if origin != "" {
			h.Set("Origin", origin)
		}
		u := wsURL
		if room != "" {
			u = "ws" + strings.TrimPrefix(env.HTTP.URL, "http") + web.LivePath + "?room=" + room
		}
		dctx, cancel := context.WithTimeout(ctx, 5*time.Second)
		defer cancel()
		c, resp, err := websocket.Dial(dctx, u, &websocket.DialOptions{HTTPHeader: h})
		if c != nil {
			c.CloseNow()
		}
		if resp == nil {
			return 0, err
		}
		return resp.StatusCode, err
	}
	if st, err := dial(secret, "https://evil.example", ""); err == nil || st != http.StatusForbidden {
		t.Errorf("another site's page: status %d, %v; want 403", st, err)
	}
	if st, _ := dial("", "", ""); st != http.StatusUnauthorized {
		t.Errorf("a visitor: status %d, want 401", st)
	}
	outsider, err := env.Services.Accounts.StartSession(ctx, amy.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	stRoom, _ := dial(outsider, "", "")
	stNone, _ := dial(outsider, "", kindred.NewID())
	if stRoom != http.StatusNotFound || stNone != http.StatusNotFound {
		t.Errorf("an outsider: room of a hidden group %d, no such room %d; want both 404", stRoom, stNone)
	}
	if st, err := dial(secret, env.HTTP.URL, ""); err != nil || st != http.StatusSwitchingProtocols {
		t.Fatalf("the same site: status %d, %v", st, err)
	}

	c := dialLive(t, env, fac, v.Room.ID, -1)
	if _, err := readFrame(t, c, 5*time.Second, live.FrameReady); err != nil {
		t.Fatal(err)
	}
	writeFrame(t, c, map[string]string{"type": "send", "body": strings.Repeat("x", 20<<10)})
	if _, err := readFrame(t, c, 5*time.Second, live.FrameMessage); err == nil {
		t.Fatal("an oversized frame was accepted")
	} else if websocket.CloseStatus(err) != websocket.StatusMessageTooBig {
		t.Logf("closed with %v", err)
	}
	h, err := env.Services.Live.Messages(ctx, &kindred.Actor{Account: fac}, v.Room.ID, kindred.ChatFilter{})
	if err != nil || len(h.Messages) != 0 {
		t.Fatalf("after an oversized frame: %v %+v", err, h)
	}
}
