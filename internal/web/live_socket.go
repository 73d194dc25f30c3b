package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"kindred"
	"kindred/internal/live"
)

// LivePath is Kindred's one WebSocket endpoint: every room, session or
// conversation, is reached through it with ?room=<id>[&after=<seq>].
const LivePath = "/api/v1/live"

// Live connection limits.
const (
	liveReadLimit     = 16 << 10 // a chat message is at most 2,000 characters
	liveWriteTimeout  = 10 * time.Second
	liveHeartbeat     = 30 * time.Second
	liveHeartbeatWait = 15 * time.Second
)

// handleLive upgrades to a WebSocket for one room. Everything that can be
// refused is refused before the upgrade, as an ordinary JSON error. The
// upgrade keeps coder/websocket's same-origin check: a page on another
// site cannot open a socket with a member's cookie.
func (s *Server) handleLive(w http.ResponseWriter, r *http.Request) {
	actor := kindred.ActorFrom(r.Context())
	if !actor.SignedIn() {
		s.fail(w, r, kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first."), nil)
		return
	}
	q := r.URL.Query()
	roomID := q.Get("room")
	after := int64(-1)
	if v := q.Get("after"); v != "" {
		n, err := strconv.ParseInt(v, 10, 64)
		if err != nil || n < 0 {
			s.fail(w, r, kindred.Invalid{"after": "after is the number of the last message seen."}.Err(), nil)
			return
		}
		after = n
	}
	view, err := s.svc.Live.Room(r.Context(), actor, roomID)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	// The server's read and write timeouts are for ordinary requests; a
	// live connection lasts as long as the person stays.
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		return // Accept has answered (e.g. 403 for another origin)
	}
	conn.SetReadLimit(liveReadLimit)
	recheck := s.recheckFor(r, actor)
	// The connection outlives this handler: it runs on goroutines of its
	// own with a context that keeps nothing of the request, so the request,
	// its headers and this goroutine's grown stack are freed while the
	// person stays connected (tens of KiB per idle connection).
	ctx, cancel, ok := s.live.start()
	if !ok {
		s.closeLive(context.Background(), conn, live.ReasonShutdown)
		return
	}
	go func() {
		defer s.live.done()
		s.serveLive(ctx, cancel, conn, view, after, recheck)
	}()
}

// liveConns counts the live connections' goroutines, so the server's Close
// can end them and wait: hijacked connections are not waited for by
// http.Server.Shutdown, and they use the store until they end.
type liveConns struct {
	mu     sync.Mutex
	ctx    context.Context // ends when the server closes
	stop   context.CancelFunc
	closed bool
	wg     sync.WaitGroup
}

// start registers a connection (two goroutines) and gives it a context
// that ends when the server closes; ok is false once it has.
func (l *liveConns) start() (ctx context.Context, cancel context.CancelFunc, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, nil, false
	}
	if l.ctx == nil {
		l.ctx, l.stop = context.WithCancel(context.Background())
	}
	l.wg.Add(2)
	ctx, cancel = context.WithCancel(l.ctx)
	return ctx, cancel, true
}

func (l *liveConns) done() { l.wg.Done() }

func (l *liveConns) close() {
	l.mu.Lock()
	l.closed = true
	if l.stop != nil {
		l.stop()
	}
	l.mu.Unlock()
	l.wg.Wait()
}

// serveLive runs one live connection until it ends.
func (s *Server) serveLive(ctx context.Context, cancel context.CancelFunc, conn *websocket.Conn, view *live.RoomView, after int64, recheck live.Recheck) {
	defer cancel()
	client, err := s.svc.Live.ConnectView(ctx, view, after, recheck)
	if err != nil {
		if code := kindred.ErrorCode(err); code == kindred.EINTERNAL || code == "" {
			s.log.Error("live connection not started", "err", err)
		}
		reason := live.ReasonAccess
		if code := kindred.ErrorCode(err); code == kindred.EINTERNAL || code == kindred.EUNAVAILABLE || code == "" {
			reason = live.ReasonShutdown
		}
		s.live.done() // the reader never starts
		s.closeLive(ctx, conn, reason)
		return
	}
	defer client.Close()
	go func() {
		defer s.live.done()
		s.readLive(ctx, cancel, conn, client)
	}()
	s.writeLive(ctx, conn, client)
}

// recheckFor returns how to re-validate this connection's credentials
// later: the same session cookie or token, looked up again.
func (s *Server) recheckFor(r *http.Request, actor *kindred.Actor) live.Recheck {
	auth := r.Header.Get("Authorization")
	var cookie string
	if c, err := r.Cookie(SessionCookie); err == nil {
		cookie = c.Value
	}
	return func(ctx context.Context) (*kindred.Actor, error) {
		var a *kindred.Actor
		var err error
		switch {
		case auth != "":
			a, err = s.svc.Accounts.TokenActor(ctx, strings.TrimSpace(strings.TrimPrefix(auth, "Bearer ")))
		case cookie != "":
			a, err = s.svc.Accounts.SessionActor(ctx, cookie)
		}
		if err == nil && a == nil {
			err = errors.New("credentials no longer valid")
		}
		return a, err
	}
}

// readLive passes what the person sends to the client until the
// connection ends.
func (s *Server) readLive(ctx context.Context, cancel context.CancelFunc, conn *websocket.Conn, client *live.Client) {
	defer cancel()
	for {
		typ, data, err := conn.Read(ctx)
		if err != nil {
			return
		}
		if typ != websocket.MessageText {
			continue
		}
		client.Receive(ctx, data)
	}
}

// writeLive writes the client's frames until it closes, then says why.
// A heartbeat ping finds connections that vanished without a goodbye.
func (s *Server) writeLive(ctx context.Context, conn *websocket.Conn, client *live.Client) {
	beat := time.NewTicker(liveHeartbeat)
	defer beat.Stop()
	for {
		select {
		case <-client.Ready():
			for {
				f, err := client.Pop()
				if err != nil {
					s.closeLive(ctx, conn, live.CloseReason(err))
					return
				}
				if f == nil {
					break
				}
				wctx, cancel := context.WithTimeout(ctx, liveWriteTimeout)
				err = conn.Write(wctx, websocket.MessageText, f)
				cancel()
				if err != nil {
					return
				}
			}
		case <-beat.C:
			pctx, cancel := context.WithTimeout(ctx, liveHeartbeatWait)
			err := conn.Ping(pctx)
			cancel()
			if err != nil {
				return
			}
		case <-ctx.Done(): // the reader saw the connection end, or the server is closing
			if s.live.ctx.Err() != nil {
				s.closeLive(ctx, conn, live.ReasonShutdown)
			}
			conn.CloseNow()
			return
		}
	}
}

// closeLive sends the closing frame and closes with a status the script
// understands: 4000 + a reason it should not reconnect after.
func (s *Server) closeLive(ctx context.Context, conn *websocket.Conn, reason string) {
	wctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
	defer cancel()
	_ = conn.Write(wctx, websocket.MessageText, live.ClosingFrame(reason))
	code := websocket.StatusGoingAway
	switch reason {
	case live.ReasonRemoved, live.ReasonAccess, live.ReasonSignedOut:
		code = websocket.StatusCode(4403)
	case live.ReasonBehind:
		code = websocket.StatusCode(4008)
	}
	_ = conn.Close(code, reason)
	conn.CloseNow()
}
