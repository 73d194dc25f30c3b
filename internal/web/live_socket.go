package web

import (
	"bufio"
	"context"
	"errors"
	"math"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
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

	// A live connection's buffers, held for as long as the person stays.
	// net/http hands over 4 KiB for each direction; most frames are far
	// smaller (a person sends a message of at most 2,000 characters now and
	// then; the server sends a rendered message of a few hundred bytes), and
	// a frame bigger than a buffer passes through it in one or two writes.
	// With 10,000 people connected that is about 54 MiB less.
	liveReadBuffer  = 512
	liveWriteBuffer = 2 << 10
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
	conn, err := websocket.Accept(smallBuffers{w}, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		return // Accept has answered (e.g. 403 for another origin)
	}
	conn.SetReadLimit(liveReadLimit)
	recheck := s.recheckFor(r, actor)
	// The connection outlives this handler: the store's reads for
	// connecting run here, and the connection goes on with fresh goroutines
	// and a context that keeps nothing of the request, so the request, its
	// headers and this goroutine's stack (grown by those reads) are freed
	// while the person stays connected.
	base, ok := s.live.start()
	if !ok {
		s.closeLive(context.Background(), conn, live.ReasonShutdown)
		return
	}
	client, err := s.svc.Live.ConnectView(base, view, after, recheck)
	if err != nil {
		if code := kindred.ErrorCode(err); code == kindred.EINTERNAL || code == "" {
			s.log.Error("live connection not started", "err", err)
		}
		reason := live.ReasonAccess
		if code := kindred.ErrorCode(err); code == kindred.EINTERNAL || code == kindred.EUNAVAILABLE || code == "" {
			reason = live.ReasonShutdown
		}
		s.closeLive(base, conn, reason)
		s.live.done() // the reader
		s.live.done() // the connection
		return
	}
	lc := &liveSocket{s: s, conn: conn, client: client}
	// Until it is set up the connection counts as kicked, so no writer
	// starts before the one started below (the ready frame and history are
	// already queued).
	lc.kicks.Store(1)
	lc.ctx, lc.cancel = context.WithCancel(base)
	lc.beat = time.AfterFunc(liveHeartbeat, func() {
		lc.pingDue.Store(true)
		lc.kick()
	})
	lc.stopAfter = context.AfterFunc(lc.ctx, lc.kick)
	client.SetWake(lc.kick)
	go lc.read()
	go lc.write()
}

// liveSocket is one live connection after the upgrade. An idle connection
// holds one goroutine, the reader, blocked on the socket: a writer runs
// only while frames wait, a heartbeat is due or the connection ends, and
// the heartbeat is a timer. With thousands of people connected and
// quiet, the second goroutine's stack was a quarter of the memory.
type liveSocket struct {
	s         *Server
	conn      *websocket.Conn
	client    *live.Client
	ctx       context.Context // ends when the reader stops or the server closes
	cancel    context.CancelFunc
	stopAfter func() bool
	beat      *time.Timer
	pingDue   atomic.Bool
	// kicks counts wake-ups no writer has answered yet: the kick that
	// raises it from 0 starts a writer, which runs until it has answered
	// every kick. Once the connection has finished it stays at finished.
	kicks atomic.Int64
}

const finished = math.MaxInt64 / 2

// kick makes sure a writer runs. The client calls it with its lock held,
// so it does no more than start a goroutine.
func (lc *liveSocket) kick() {
	if lc.kicks.Add(1) == 1 {
		go lc.write()
	}
}

// write answers kicks until none is left: it sends the frames waiting and
// a heartbeat that is due, or ends the connection.
func (lc *liveSocket) write() {
	for {
		n := lc.kicks.Load()
		if !lc.flush() {
			lc.finish()
			return
		}
		if lc.kicks.CompareAndSwap(n, 0) {
			return
		}
	}
}

// flush writes what waits; false means the connection is over.
func (lc *liveSocket) flush() bool {
	if lc.ctx.Err() != nil { // the reader saw the connection end, or the server is closing
		if lc.s.live.ctx.Err() != nil {
			lc.s.closeLive(lc.ctx, lc.conn, live.ReasonShutdown)
		}
		return false
	}
	for {
		f, err := lc.client.Pop()
		if err != nil {
			lc.s.closeLive(lc.ctx, lc.conn, live.CloseReason(err))
			return false
		}
		if f == nil {
			break
		}
		wctx, cancel := context.WithTimeout(lc.ctx, liveWriteTimeout)
		err = lc.conn.Write(wctx, websocket.MessageText, f)
		cancel()
		if err != nil {
			return false
		}
	}
	if lc.pingDue.Swap(false) {
		// A heartbeat finds connections that vanished without a goodbye.
		pctx, cancel := context.WithTimeout(lc.ctx, liveHeartbeatWait)
		err := lc.conn.Ping(pctx)
		cancel()
		if err != nil {
			return false
		}
		lc.beat.Reset(liveHeartbeat)
	}
	return true
}

// finish ends the connection once, on the writer: no writer starts after it.
func (lc *liveSocket) finish() {
	lc.kicks.Store(finished)
	lc.beat.Stop()
	lc.stopAfter()
	lc.cancel()
	lc.conn.CloseNow()
	lc.client.Close()
	lc.s.live.done()
}

// read passes what the person sends to the client until the connection
// ends, then lets the writer finish it. The socket is read without a
// context: the writer's close ends the read.
func (lc *liveSocket) read() {
	defer lc.s.live.done()
	defer lc.cancel()
	for {
		typ, data, err := lc.conn.Read(context.Background())
		if err != nil {
			return
		}
		if typ != websocket.MessageText {
			continue
		}
		lc.client.Receive(lc.ctx, data)
	}
}

// smallBuffers hands coder/websocket a connection with buffers of the
// live sizes instead of net/http's, which stay allocated for the life of a
// hijacked connection.
type smallBuffers struct{ http.ResponseWriter }

func (w smallBuffers) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w smallBuffers) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	conn, brw, err := http.NewResponseController(w.ResponseWriter).Hijack()
	if err != nil {
		return nil, nil, err
	}
	if brw.Reader.Buffered() > 0 {
		// The client sent something before it saw the upgrade's answer;
		// keep net/http's reader, which holds it.
		return conn, bufio.NewReadWriter(brw.Reader, bufio.NewWriterSize(conn, liveWriteBuffer)), nil
	}
	return conn, bufio.NewReadWriter(bufio.NewReaderSize(conn, liveReadBuffer), bufio.NewWriterSize(conn, liveWriteBuffer)), nil
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

// start registers a connection (the connection itself and its reader,
// each released with done) and returns the context all live connections
// share, which ends when the server closes; ok is false once it has.
func (l *liveConns) start() (ctx context.Context, ok bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if l.closed {
		return nil, false
	}
	if l.ctx == nil {
		l.ctx, l.stop = context.WithCancel(context.Background())
	}
	l.wg.Add(2)
	return l.ctx, true
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
