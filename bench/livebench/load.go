package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math/rand/v2"
	"net"
	"net/http"
	"regexp"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/coder/websocket"
)

// epoch is the tool's zero on the monotonic clock; markers and receive
// times are nanoseconds since it.
var epoch = time.Now()

func sinceEpoch() int64 { return int64(time.Since(epoch)) }

// target is a server under test as the load sees it: its processes and how
// client i connects to it.
type target struct {
	name    string
	servers []*server
	// services are the command names of processes the servers depend on
	// (PostgreSQL, NATS), whose CPU is part of the target's cost.
	services []string
	url      func(client int) string
	header   func(client int) http.Header
}

// loadParams are one scenario's parameters; every target gets the same.
type loadParams struct {
	clients, roomSize int
	rate              float64 // messages per second, all senders together; 0: idle
	senders           int     // how many clients send, round-robin; 0: all
	warmup, duration  time.Duration
	settle            time.Duration // after everyone is ready, before measuring
	drainQuiet        time.Duration // deliveries stopped this long: done
	drainTimeout      time.Duration
	dialConcurrency   int
	progress          func(format string, args ...any)
}

func (p loadParams) rooms() int { return (p.clients + p.roomSize - 1) / p.roomSize }

// messages is how many messages the scheduler sends in all.
func (p loadParams) messages() int { return int(p.rate * (p.warmup + p.duration).Seconds()) }

// result is what one target did under the load.
type result struct {
	name      string
	clients   int
	connected int
	connectIn time.Duration
	dialErrs  map[string]int

	sent, notQueued, writeErrs int // messages written / dropped by the tool / failed to write
	acks                       int
	rejected                   map[string]int // error frames by code
	expected, delivered        int64          // (message, receiver) pairs
	dups, misrouted, unknown   int64
	ended                      map[string]int // connections the server ended early, by reason
	drainTimedOut              bool

	window   time.Duration
	inWindow int64 // deliveries received inside the measured window
	lat      latencies
	ackLat   latencies // Kindred only: from due to the sender's ack

	// Cores busy over the window (1.0 = one core): the servers, this tool,
	// and everything else on the machine; for idle, other is over the
	// connecting.
	serverCPU, toolCPU, otherCPU float64
	servicesCPU                  float64 // PostgreSQL and NATS, when the target uses them
	otherBefore                  float64 // other processes in the second before connecting

	rssBefore, rssAfter, rssPeak int64 // bytes, all nodes together
	gcs                          int
	heapLive, stacks             int64 // at the last GC
}

func (r *result) lost() int64 { return r.expected - r.delivered }

func (r *result) rate() float64 {
	if r.window <= 0 {
		return 0
	}
	return float64(r.inWindow) / r.window.Seconds()
}

func (r *result) rejectedTotal() int {
	n := 0
	for _, v := range r.rejected {
		n += v
	}
	return n
}

// phase is one target's run: its clients and the counters they share.
type phase struct {
	p     loadParams
	tgt   *target
	run   uint32 // tells this phase's messages from history of earlier ones
	rooms int

	winStart, winEnd atomic.Int64 // the measured window, ns since epoch
	sendStart        atomic.Int64 // when message 0 was due, ns since epoch
	interval         float64      // ns between messages; set before any client starts
	deliveries       atomic.Int64 // every delivery of this phase's messages, for the drain
	closing          atomic.Bool  // the tool is closing connections: their ends are expected
}

// client is one WebSocket connection of the load.
type client struct {
	ph    *phase
	id    int
	room  int
	ws    *websocket.Conn
	ready chan struct{} // closed on the ready frame
	sendq chan []byte
	read  chan struct{} // closed when the reader ends

	// Owned by the reader goroutine; read once it ends.
	isReady                          bool
	seen                             bitset
	unique, dups, misrouted, unknown int64
	inWindow                         int64
	lat                              []int64
	ackLat                           []int64 // Kindred: due → ack, for messages due in the window
	acks                             int
	rejected                         map[string]int
	closedWith                       string // the reason in a closing frame
	ended                            string // why the connection ended before the tool closed it

	// Owned by the writer goroutine; read once it ends.
	written, writeErrs int
}

// runPhase runs the load against a target whose servers are running: it
// connects the clients, sends (unless the scenario is idle), drains and
// measures.
func runPhase(ctx context.Context, tgt *target, p loadParams) (*result, error) {
	ph := &phase{p: p, tgt: tgt, run: rand.Uint32(), rooms: p.rooms()}
	if p.rate > 0 {
		ph.interval = float64(time.Second) / p.rate
	}
	res := &result{name: tgt.name, clients: p.clients, dialErrs: map[string]int{},
		rejected: map[string]int{}, ended: map[string]int{}}

	// Memory before is taken once the server is up and quiet; meanwhile,
	// see whether anything else keeps the machine busy.
	busy0, tool0, srv0 := machineBusy(), toolCPU(), ph.serverCPU()
	time.Sleep(time.Second)
	res.otherBefore = max(0, (machineBusy() - busy0 - (toolCPU() - tool0) - (ph.serverCPU() - srv0)).Seconds())
	res.rssBefore = ph.rss()

	busy0, tool0, srv0 = machineBusy(), toolCPU(), ph.serverCPU()
	svc0 := servicesCPU(tgt.services)
	clients, err := ph.connect(ctx, res)
	if err != nil {
		return nil, err
	}
	if p.rate == 0 { // idle: what else ran while everyone connected
		used := ph.serverCPU() - srv0 + toolCPU() - tool0 + cpuSince(svc0, servicesCPU(tgt.services))
		res.otherCPU = max(0, float64(machineBusy()-busy0-used)/float64(res.connectIn))
	}
	defer ph.close(clients)
	p.progress("%s: %d of %d clients ready in %s", tgt.name, res.connected, p.clients, res.connectIn.Round(time.Millisecond))
	if err := ph.alive(); err != nil {
		return nil, err
	}
	time.Sleep(p.settle)

	if p.rate > 0 {
		if err := ph.send(ctx, clients, res); err != nil {
			return nil, err
		}
	}
	res.rssAfter = ph.rss()
	res.rssPeak = max(res.rssPeak, res.rssAfter)
	for _, s := range tgt.servers {
		n, live, stacks := s.gcStats()
		res.gcs += n
		res.heapLive += live
		res.stacks += stacks
	}
	if err := ph.alive(); err != nil {
		return nil, err
	}
	ph.close(clients)
	ph.tally(clients, res)
	return res, nil
}

// alive fails when a server exited during the phase.
func (ph *phase) alive() error {
	for _, s := range ph.tgt.servers {
		if done, err := s.exited(); done {
			return fmt.Errorf("%s exited during the run (%v); its log: %s", s.name, err, s.log)
		}
	}
	return nil
}

func (ph *phase) rss() int64 {
	var total int64
	for _, s := range ph.tgt.servers {
		n, err := s.rss()
		if err == nil {
			total += n
		}
	}
	return total
}

func (ph *phase) serverCPU() time.Duration {
	var total time.Duration
	for _, s := range ph.tgt.servers {
		if d, err := s.cpu(); err == nil {
			total += d
		}
	}
	return total
}

// connect opens every client's connection, a bounded number at a time
// (so that thousands of handshakes do not overrun the listen backlog), and
// waits until each has its ready frame.
func (ph *phase) connect(ctx context.Context, res *result) ([]*client, error) {
	p := ph.p
	hc := &http.Client{Transport: &http.Transport{
		DialContext:         (&net.Dialer{Timeout: 10 * time.Second}).DialContext,
		MaxIdleConnsPerHost: p.dialConcurrency, DisableCompression: true,
	}}
	total := 0
	if p.rate > 0 {
		total = p.messages()
	}
	clients := make([]*client, p.clients)
	for i := range clients {
		clients[i] = &client{ph: ph, id: i, room: roomOf(i, ph.rooms), ready: make(chan struct{}),
			read: make(chan struct{}), rejected: map[string]int{}}
		if total > 0 {
			clients[i].seen = newBitset(total)
		}
	}
	start := time.Now()
	var (
		mu  sync.Mutex
		wg  sync.WaitGroup
		sem = make(chan struct{}, p.dialConcurrency)
	)
	for _, c := range clients {
		sem <- struct{}{}
		wg.Go(func() {
			defer func() { <-sem }()
			ws, err := ph.dial(ctx, hc, c.id)
			if err != nil {
				mu.Lock()
				res.dialErrs[shortErr(err)]++
				mu.Unlock()
				close(c.read)
				return
			}
			c.ws = ws
			go c.readLoop(ctx)
		})
		if ctx.Err() != nil {
			break
		}
	}
	wg.Wait()
	// Everyone connected gets the ready frame or gives up.
	wctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	for _, c := range clients {
		if c.ws == nil {
			continue
		}
		select {
		case <-c.ready:
		case <-c.read:
		case <-wctx.Done():
		}
	}
	if ctx.Err() != nil {
		ph.close(clients)
		return nil, ctx.Err()
	}
	res.connectIn = time.Since(start)
	for _, c := range clients {
		select {
		case <-c.ready:
			res.connected++
		default:
		}
	}
	return clients, nil
}

// statusErr is a handshake the server refused with an HTTP status.
type statusErr struct{ code int }

func (e *statusErr) Error() string { return fmt.Sprintf("handshake refused: HTTP %d", e.code) }

// dial connects client i, retrying what may pass (a full backlog, a reset)
// but not a refusal.
func (ph *phase) dial(ctx context.Context, hc *http.Client, i int) (*websocket.Conn, error) {
	var err error
	for attempt := range 5 {
		if attempt > 0 {
			select {
			case <-time.After(100 * time.Millisecond << attempt):
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
		var ws *websocket.Conn
		var resp *http.Response
		ws, resp, err = websocket.Dial(dctx, ph.tgt.url(i), &websocket.DialOptions{HTTPClient: hc,
			HTTPHeader: ph.tgt.header(i), CompressionMode: websocket.CompressionDisabled})
		cancel()
		if err == nil {
			ws.SetReadLimit(1 << 20) // presence lists of big rooms are long
			return ws, nil
		}
		if resp != nil && resp.StatusCode >= 400 && resp.StatusCode < 500 {
			return nil, &statusErr{resp.StatusCode}
		}
	}
	return nil, err
}

// readLoop reads frames until the connection ends and does the
// bookkeeping for each.
func (c *client) readLoop(ctx context.Context) {
	defer close(c.read)
	var buf bytes.Buffer
	for {
		_, r, err := c.ws.Reader(ctx)
		if err == nil {
			buf.Reset()
			_, err = buf.ReadFrom(r)
		}
		if err != nil {
			if !c.ph.closing.Load() {
				c.ended = shortErr(err)
				if c.closedWith != "" {
					c.ended = "closed: " + c.closedWith
				}
			}
			return
		}
		c.handle(buf.Bytes(), sinceEpoch())
	}
}

// handle accounts for one frame received at now.
func (c *client) handle(f []byte, now int64) {
	ph := c.ph
	switch frameType(f) {
	case "ready":
		if !c.isReady {
			c.isReady = true
			close(c.ready)
		}
	case "message", "send": // Kindred's message frame; the ceiling's echo
		m, ok := parseMarker(f)
		if !ok || m.Run != ph.run {
			return // history, or a message that is not the load's
		}
		ph.deliveries.Add(1)
		switch {
		case m.Seq < 0 || m.Seq >= len(c.seen)*64:
			c.unknown++
		case roomOf(m.Sender, ph.rooms) != c.room:
			c.misrouted++
		case c.seen.set(m.Seq):
			c.dups++
		default:
			c.unique++
			ws, we := ph.winStart.Load(), ph.winEnd.Load()
			if now >= ws && now < we {
				c.inWindow++
			}
			if m.T >= ws && m.T < we {
				c.lat = append(c.lat, now-m.T)
			}
		}
	case "ack":
		c.acks++
		// The nonce is the message's number, so when it was due is known:
		// the time to the ack is the sending path alone, before fan-out.
		if run, k, ok := parseNonce(f); ok && run == ph.run {
			due := ph.sendStart.Load() + int64(float64(k)*ph.interval)
			if due >= ph.winStart.Load() && due < ph.winEnd.Load() {
				c.ackLat = append(c.ackLat, now-due)
			}
		}
	case "error":
		var e struct {
			Code string `json:"code"`
		}
		_ = json.Unmarshal(f, &e)
		c.rejected[e.Code]++
	case "closing":
		var e struct {
			Reason string `json:"reason"`
		}
		_ = json.Unmarshal(f, &e)
		c.closedWith = e.Reason
	}
}

// writeLoop sends what the scheduler queues for this client.
func (c *client) writeLoop(ctx context.Context) {
	for f := range c.sendq {
		wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		err := c.ws.Write(wctx, websocket.MessageText, f)
		cancel()
		if err != nil {
			c.writeErrs++
			continue
		}
		c.written++
	}
}

// send runs the open-loop scheduler: message k is due at start + k/rate
// and carries that time, not the time it was actually written, so a server
// that stalls the sender is charged for the wait (no coordinated
// omission). Messages go to the senders round-robin; since clients are
// spread over rooms round-robin too, every room gets an even share.
func (ph *phase) send(ctx context.Context, clients []*client, res *result) error {
	p := ph.p
	var senders []*client
	for _, c := range clients {
		if c.isReadyNow() && (p.senders <= 0 || len(senders) < p.senders) {
			senders = append(senders, c)
		}
	}
	if len(senders) == 0 {
		return errors.New("no client is connected")
	}
	var writers sync.WaitGroup
	for _, c := range senders {
		c.sendq = make(chan []byte, 64)
		writers.Go(func() { c.writeLoop(ctx) })
	}

	total := p.messages()
	start := sinceEpoch()
	ph.sendStart.Store(start)
	ph.winStart.Store(start + int64(p.warmup))
	ph.winEnd.Store(start + int64(p.warmup+p.duration))
	res.window = p.duration
	p.progress("%s: sending %d messages at %.0f/s from %d clients (%s warm-up, %s measured)",
		ph.tgt.name, total, p.rate, len(senders), p.warmup, p.duration)

	stopPeak := ph.watchRSS(&res.rssPeak)
	var cpu0, tool0, busy0 time.Duration
	var svc0 map[int]time.Duration
	var wall0 int64
	measuring := false
	interval := ph.interval
	// Sleeping until each message is due, rather than sending what is due
	// on a ticker, keeps the scheduler's own lateness out of the latencies.
	timer := time.NewTimer(0)
	defer timer.Stop()
	for k := 0; k < total; k++ {
		due := start + int64(float64(k)*interval)
		if d := time.Duration(due - sinceEpoch()); d > 0 {
			timer.Reset(d)
			select {
			case <-timer.C:
			case <-ctx.Done():
				stopPeak()
				return ctx.Err()
			}
		}
		if !measuring && due >= ph.winStart.Load() {
			measuring = true
			wall0, cpu0, tool0, busy0 = sinceEpoch(), ph.serverCPU(), toolCPU(), machineBusy()
			svc0 = servicesCPU(ph.tgt.services)
		}
		c := senders[k%len(senders)]
		select {
		case c.sendq <- sendFrame(marker{Run: ph.run, T: due, Sender: c.id, Seq: k}):
		default:
			res.notQueued++ // the server has not taken this client's earlier messages
		}
	}
	// The last message is due just before the window ends; wait for it.
	if d := time.Duration(ph.winEnd.Load() - sinceEpoch()); d > 0 {
		time.Sleep(d)
	}
	if measuring {
		wall := time.Duration(sinceEpoch() - wall0)
		res.serverCPU = float64(ph.serverCPU()-cpu0) / float64(wall)
		res.toolCPU = float64(toolCPU()-tool0) / float64(wall)
		res.servicesCPU = float64(cpuSince(svc0, servicesCPU(ph.tgt.services))) / float64(wall)
		res.otherCPU = max(0, float64(machineBusy()-busy0)/float64(wall)-res.serverCPU-res.toolCPU-res.servicesCPU)
	}
	for _, c := range senders {
		close(c.sendq)
	}
	writers.Wait()

	// Drain: wait until deliveries stop for a while.
	drainStart := time.Now()
	last, quietSince := ph.deliveries.Load(), time.Now()
	for time.Since(quietSince) < p.drainQuiet {
		if time.Since(drainStart) > p.drainTimeout {
			res.drainTimedOut = true
			break
		}
		time.Sleep(100 * time.Millisecond)
		if n := ph.deliveries.Load(); n != last {
			last, quietSince = n, time.Now()
		}
	}
	stopPeak()
	return nil
}

func (c *client) isReadyNow() bool {
	select {
	case <-c.ready:
		return true
	default:
		return false
	}
}

// watchRSS records the servers' highest RSS until the returned function is
// called.
func (ph *phase) watchRSS(peak *int64) (stop func()) {
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		t := time.NewTicker(250 * time.Millisecond)
		defer t.Stop()
		for {
			*peak = max(*peak, ph.rss())
			select {
			case <-t.C:
			case <-done:
				return
			}
		}
	})
	var once sync.Once
	return func() { once.Do(func() { close(done); wg.Wait() }) }
}

// close ends every connection and waits for the readers. It is safe to
// call more than once.
func (ph *phase) close(clients []*client) {
	ph.closing.Store(true)
	for _, c := range clients {
		if c.ws != nil {
			c.ws.CloseNow()
		}
	}
	for _, c := range clients {
		<-c.read
	}
}

// tally adds up what the clients saw. A message written by a sender is
// expected once by every ready client of its room, the sender included.
func (ph *phase) tally(clients []*client, res *result) {
	members := make([]int64, ph.rooms)
	written := make([]int64, ph.rooms)
	var lat, ackLat []int64
	for _, c := range clients {
		if c.isReady {
			members[c.room]++
		}
		written[c.room] += int64(c.written)
		res.sent += c.written
		res.writeErrs += c.writeErrs
		res.acks += c.acks
		for code, n := range c.rejected {
			res.rejected[code] += n
		}
		res.delivered += c.unique
		res.dups += c.dups
		res.misrouted += c.misrouted
		res.unknown += c.unknown
		res.inWindow += c.inWindow
		if c.ended != "" {
			res.ended[c.ended]++
		}
		lat = append(lat, c.lat...)
		ackLat = append(ackLat, c.ackLat...)
	}
	for r := range members {
		res.expected += written[r] * members[r]
	}
	res.lat = summarize(lat)
	res.ackLat = summarize(ackLat)
}

// toolCPU is the CPU time this process (the load) has used.
func toolCPU() time.Duration {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// shortErr names an error for a count: the same failure on many
// connections is one line.
func shortErr(err error) string {
	var ce websocket.CloseError
	switch {
	case errors.As(err, &ce):
		return fmt.Sprintf("close %d %s", ce.Code, ce.Reason)
	case errors.Is(err, context.DeadlineExceeded):
		return "timeout"
	}
	s := ipPort.ReplaceAllString(err.Error(), "…")
	if len(s) > 100 {
		s = s[:100] + "…"
	}
	return s
}

// ipPort matches the addresses that make every connection's error unique.
var ipPort = regexp.MustCompile(`\d+\.\d+\.\d+\.\d+:\d+`)
