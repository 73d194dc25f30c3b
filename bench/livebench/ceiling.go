package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"
)

// The ceiling server exists only to measure the machine: the least a
// WebSocket broadcast server can do with the same library, settings and
// connection model as Kindred. A client joins a room with ?room=<name>; the
// server answers with a ready frame, and every text message it receives is
// sent, as it is, to every connection in the room, sender included.
//
// Each connection has one reader goroutine, one writer goroutine fed by a
// bounded queue (a connection that falls that far behind is dropped, as
// Kindred drops it) and a heartbeat ping, like Kindred's. It runs in its
// own process, re-executed from the load tool, so that its memory is
// measured exactly as Kindred's is.

// Limits copied from Kindred's live endpoint (internal/web/live_socket.go
// and live.Options), so that the two differ only in what they do per
// message.
const (
	ceilingQueue      = 256
	ceilingReadLimit  = 16 << 10
	ceilingWriteLimit = 10 * time.Second
	ceilingHeartbeat  = 30 * time.Second
)

var ceilingReady = []byte(`{"type":"ready"}`)

type ceilingServer struct {
	mu    sync.Mutex
	rooms map[string]*ceilingRoom
}

// ceilingRoom has its own lock, as Kindred's room hubs do, so that rooms
// do not contend with each other.
type ceilingRoom struct {
	mu      sync.Mutex
	members map[*ceilingConn]struct{}
}

type ceilingConn struct {
	out  chan []byte
	once sync.Once
	gone chan struct{} // closed when the connection fell behind
}

func (c *ceilingConn) drop() { c.once.Do(func() { close(c.gone) }) }

// serveCeiling runs the ceiling server until ctx ends.
func serveCeiling(ctx context.Context, args []string, stderr io.Writer) error {
	fs := flag.NewFlagSet("serve-ceiling", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:0", "address to listen on")
	if err := fs.Parse(args); err != nil {
		return err
	}
	s := &ceilingServer{rooms: map[string]*ceilingRoom{}}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) { _, _ = io.WriteString(w, "ok\n") })
	mux.HandleFunc("GET /ws", s.handle)
	// The same server timeouts as Kindred's (cmd/kindred).
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second,
		WriteTimeout: 60 * time.Second, IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	// Hijacked connections are not Shutdown's to wait for; exiting ends them.
	sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	return nil
}

func (s *ceilingServer) handle(w http.ResponseWriter, r *http.Request) {
	room := r.URL.Query().Get("room")
	rc := http.NewResponseController(w)
	_ = rc.SetReadDeadline(time.Time{})
	_ = rc.SetWriteDeadline(time.Time{})
	conn, err := websocket.Accept(w, r, &websocket.AcceptOptions{CompressionMode: websocket.CompressionDisabled})
	if err != nil {
		return
	}
	conn.SetReadLimit(ceilingReadLimit)
	ctx, cancel := context.WithCancel(context.WithoutCancel(r.Context()))
	defer cancel()
	c := &ceilingConn{out: make(chan []byte, ceilingQueue), gone: make(chan struct{})}
	c.out <- ceilingReady
	rm := s.join(room, c)
	defer s.leave(room, rm, c)
	go func() {
		defer cancel()
		for {
			typ, data, err := conn.Read(ctx)
			if err != nil {
				return
			}
			if typ == websocket.MessageText {
				rm.broadcast(data)
			}
		}
	}()
	beat := time.NewTicker(ceilingHeartbeat)
	defer beat.Stop()
	for {
		select {
		case f := <-c.out:
			wctx, wcancel := context.WithTimeout(ctx, ceilingWriteLimit)
			err := conn.Write(wctx, websocket.MessageText, f)
			wcancel()
			if err != nil {
				conn.CloseNow()
				return
			}
		case <-beat.C:
			pctx, pcancel := context.WithTimeout(ctx, ceilingHeartbeat/2)
			err := conn.Ping(pctx)
			pcancel()
			if err != nil {
				conn.CloseNow()
				return
			}
		case <-c.gone:
			_ = conn.Close(websocket.StatusCode(4008), "behind")
			return
		case <-ctx.Done():
			conn.CloseNow()
			return
		}
	}
}

func (s *ceilingServer) join(name string, c *ceilingConn) *ceilingRoom {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm := s.rooms[name]
	if rm == nil {
		rm = &ceilingRoom{members: map[*ceilingConn]struct{}{}}
		s.rooms[name] = rm
	}
	rm.mu.Lock()
	rm.members[c] = struct{}{}
	rm.mu.Unlock()
	return rm
}

func (s *ceilingServer) leave(name string, rm *ceilingRoom, c *ceilingConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	rm.mu.Lock()
	delete(rm.members, c)
	empty := len(rm.members) == 0
	rm.mu.Unlock()
	if empty {
		delete(s.rooms, name)
	}
}

// broadcast queues a frame for everyone in the room without waiting on
// anyone: a full queue drops that connection.
func (rm *ceilingRoom) broadcast(frame []byte) {
	rm.mu.Lock()
	defer rm.mu.Unlock()
	for c := range rm.members {
		select {
		case c.out <- frame:
		default:
			c.drop()
		}
	}
}
