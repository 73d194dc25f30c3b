package live

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"kindred"
)

// hub is one node's share of the live rooms: one broker subscription per
// room that has local connections, one goroutine per such room delivering
// its events in order, and one subscription per account connected here so
// access changes reach its connections at once.
type hub struct {
	s    *Service
	node string

	// ctx ends when the hub closes, so store reads in flight stop; work
	// counts the goroutines close waits for (room goroutines and access
	// re-checks), so nothing touches the store after the service closes.
	ctx    context.Context
	cancel context.CancelFunc
	work   sync.WaitGroup

	mu       sync.Mutex
	rooms    map[string]*roomHub
	accounts map[string]*accountWatch
	closed   bool // set under mu; work.Add happens only under mu while !closed

	accessSub kindred.Subscription
}

type accountWatch struct {
	clients map[*Client]struct{}
}

func newHub(s *Service) *hub {
	h := &hub{s: s, node: kindred.NewID(), rooms: map[string]*roomHub{}, accounts: map[string]*accountWatch{}}
	h.ctx, h.cancel = context.WithCancel(context.Background())
	sub, err := s.broker.Subscribe(kindred.AccessTopic, func(_ string, id []byte) { h.accessChanged(string(id)) })
	if err != nil {
		// Without access events connections could outlive access: refuse
		// connections rather than serve them unsafely.
		s.log.Error("live: cannot follow access changes", "err", err)
		h.closed = true
	}
	h.accessSub = sub
	return h
}

var errHubClosed = kindred.Errorf(kindred.EUNAVAILABLE, "The server is restarting. Please try again in a moment.")

// attach adds a client to its room (subscribing the node to the room if it
// is the first) and to its account's watch. It returns once the room's
// starting point is known, so the client's own history read comes after it.
func (h *hub) attach(c *Client) error {
	h.mu.Lock()
	if h.closed {
		h.mu.Unlock()
		return errHubClosed
	}
	rh := h.rooms[c.roomID]
	if rh == nil {
		rh = newRoomHub(h, c.roomID)
		h.rooms[c.roomID] = rh
		h.work.Go(rh.run)
	}
	rh.mu.Lock()
	rh.clients[c] = struct{}{}
	rh.mu.Unlock()
	c.rh = rh
	aw := h.accounts[c.accountID]
	if aw == nil {
		aw = &accountWatch{clients: map[*Client]struct{}{}}
		h.accounts[c.accountID] = aw
	}
	aw.clients[c] = struct{}{}
	h.mu.Unlock()
	<-rh.ready
	if rh.err != nil {
		h.detach(c)
		return rh.err
	}
	rh.post(inboxItem{joined: c})
	return nil
}

// detach removes a client; the last client of a room stops the room's
// goroutine and subscription.
func (h *hub) detach(c *Client) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if aw := h.accounts[c.accountID]; aw != nil {
		delete(aw.clients, c)
		if len(aw.clients) == 0 {
			delete(h.accounts, c.accountID)
		}
	}
	rh := h.rooms[c.roomID]
	if rh == nil {
		return
	}
	rh.mu.Lock()
	_, ok := rh.clients[c]
	delete(rh.clients, c)
	empty := len(rh.clients) == 0
	rh.mu.Unlock()
	if !ok {
		return
	}
	if empty {
		delete(h.rooms, c.roomID)
		close(rh.stop)
		return
	}
	rh.post(inboxItem{left: true})
}

// accessChanged runs on the broker's delivery goroutine: it holds every
// local connection of the account at once, then re-checks them.
func (h *hub) accessChanged(accountID string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	aw := h.accounts[accountID]
	if aw == nil || h.closed {
		return
	}
	for c := range aw.clients {
		c.hold()
		h.work.Go(c.recheckNow)
	}
}

func (h *hub) close() {
	h.mu.Lock()
	h.closed = true
	if h.accessSub != nil {
		_ = h.accessSub.Unsubscribe()
		h.accessSub = nil
	}
	var all []*Client
	for _, rh := range h.rooms {
		rh.mu.Lock()
		for c := range rh.clients {
			all = append(all, c)
		}
		rh.mu.Unlock()
	}
	h.mu.Unlock()
	h.cancel()
	for _, c := range all {
		c.shut(ReasonShutdown)
		h.detach(c)
	}
	h.work.Wait()
}

// inboxItem is one thing for a room's goroutine to handle.
type inboxItem struct {
	data   []byte  // an event from the broker
	joined *Client // a local client joined
	left   bool    // a local client left
}

// roomHub delivers one room's events to this node's clients.
type roomHub struct {
	h  *hub
	id string
	// key names this node's roster for the room. It is new each time the
	// node starts following the room, so a late "nobody here" from an
	// earlier time cannot erase the current list.
	key   string
	ready chan struct{} // closed once lastSeq is known (err set on failure)
	err   error
	stop  chan struct{}

	mu      sync.Mutex
	clients map[*Client]struct{}
	inbox   []inboxItem
	wake    chan struct{}

	// current is the room as last read, for connections' own goroutines
	// (room is the goroutine's copy).
	current atomic.Pointer[kindred.Room]

	// Owned by the room's goroutine.
	sub      kindred.Subscription
	lastSeq  int64
	pending  map[int64]*event
	room     *kindred.Room
	rosters  map[string]remoteRoster
	presence []Presence
	frame    []byte // presence frame for clients without blocks
}

type remoteRoster struct {
	here []rosterEntry
	at   time.Time
}

func newRoomHub(h *hub, id string) *roomHub {
	return &roomHub{h: h, id: id, key: h.node + "-" + kindred.NewID()[:8], ready: make(chan struct{}), stop: make(chan struct{}),
		clients: map[*Client]struct{}{}, wake: make(chan struct{}, 1),
		pending: map[int64]*event{}, rosters: map[string]remoteRoster{}}
}

// post queues an item for the room's goroutine without blocking.
func (rh *roomHub) post(it inboxItem) {
	rh.mu.Lock()
	rh.inbox = append(rh.inbox, it)
	rh.mu.Unlock()
	select {
	case rh.wake <- struct{}{}:
	default:
	}
}

func (rh *roomHub) publish(ev *event) {
	rh.h.s.publish(rh.h.ctx, kindred.RoomTopic(rh.id), encode(ev))
}

func (rh *roomHub) run() {
	s := rh.h.s
	ctx := rh.h.ctx
	sub, err := s.broker.Subscribe(kindred.RoomTopic(rh.id), func(_ string, data []byte) { rh.post(inboxItem{data: data}) })
	if err == nil {
		rh.sub = sub
		rh.room, err = s.store.FindRoom(ctx, rh.id)
	}
	if err != nil {
		rh.err = fmt.Errorf("start room: %w", err)
		if rh.sub != nil {
			_ = rh.sub.Unsubscribe()
		}
		close(rh.ready)
		return
	}
	rh.lastSeq = rh.room.LastSeq
	rh.current.Store(rh.room)
	close(rh.ready)
	rh.publish(&event{Kind: evAskRoster, Node: rh.key})

	tick := time.NewTicker(s.opts.RosterEvery)
	defer tick.Stop()
	timer := time.NewTimer(time.Hour)
	defer timer.Stop()
	rh.setTimer(timer)
	for {
		select {
		case <-rh.stop:
			_ = rh.sub.Unsubscribe()
			rh.publish(&event{Kind: evRoster, Node: rh.key}) // nobody here any more
			return
		case <-rh.wake:
			rh.mu.Lock()
			items := rh.inbox
			rh.inbox = nil
			rh.mu.Unlock()
			local, remote := false, false
			for _, it := range items {
				switch {
				case it.data != nil:
					l, r := rh.handle(ctx, it.data, timer)
					local, remote = local || l, remote || r
				case it.joined != nil:
					local = true
					if rh.frame != nil {
						it.joined.offer(0, "", rh.presenceFor(it.joined))
					}
				case it.left:
					local = true
				}
			}
			if local || remote {
				rh.announce(local)
			}
		case <-tick.C:
			rh.announce(true)
		case <-timer.C:
			rh.broadcast(0, "", encode(stateFrame{Type: FrameState, State: roomState(rh.room, s.now())}))
			rh.setTimer(timer)
		}
	}
}

// setTimer arms the timer for the room's next change of state by the clock.
func (rh *roomHub) setTimer(t *time.Timer) {
	now := rh.h.s.now()
	var next time.Time
	if rh.room.Kind == kindred.RoomSession && rh.room.EndedAt == nil {
		switch roomState(rh.room, now) {
		case StateWaiting:
			next = rh.room.Occurrence
		case StateOpen:
			next = rh.room.Ends
		}
	}
	if next.IsZero() {
		t.Reset(24 * time.Hour)
		return
	}
	t.Reset(next.Sub(now) + 10*time.Millisecond)
}

// handle processes one event from the broker. It reports whether this
// node must tell the others who is here on it (local), and whether the
// presence list may have changed because of another node (remote).
func (rh *roomHub) handle(ctx context.Context, data []byte, timer *time.Timer) (local, remote bool) {
	var ev event
	if err := json.Unmarshal(data, &ev); err != nil {
		rh.h.s.log.Error("live: bad event", "err", err)
		return false, false
	}
	switch ev.Kind {
	case evMessage:
		rh.message(ctx, &ev)
	case evTyping:
		rh.broadcast(0, ev.Author, ev.Frame)
	case evMember:
		if ev.Removed {
			rh.mu.Lock()
			for c := range rh.clients {
				if c.number() == ev.N {
					c.shut(ReasonRemoved)
				}
			}
			rh.mu.Unlock()
			return true, false
		}
		rh.mu.Lock()
		for c := range rh.clients {
			c.paused(ev.N, ev.Until)
		}
		rh.mu.Unlock()
		rh.broadcast(0, "", ev.Frame)
	case evState:
		if r, err := rh.h.s.store.FindRoom(ctx, rh.id); err == nil {
			rh.room = r
			rh.current.Store(r)
			rh.setTimer(timer)
		}
		rh.broadcast(0, "", encode(stateFrame{Type: FrameState, State: roomState(rh.room, rh.h.s.now())}))
	case evRoster:
		if ev.Node == rh.key {
			return false, false
		}
		if len(ev.Here) == 0 {
			delete(rh.rosters, ev.Node)
		} else {
			rh.rosters[ev.Node] = remoteRoster{here: ev.Here, at: rh.h.s.now()}
		}
		return false, true
	case evAskRoster:
		return ev.Node != rh.key, false // answer a new node with ours
	}
	return false, false
}

// message delivers messages in seq order, once: duplicates are dropped,
// and a message that arrives ahead of its predecessors waits while they
// are read from the store (they are committed: the store numbers messages
// under the room's row lock, so a later number commits after an earlier).
func (rh *roomHub) message(ctx context.Context, ev *event) {
	if ev.Seq <= rh.lastSeq {
		return
	}
	rh.pending[ev.Seq] = ev
	if ev.Seq > rh.lastSeq+1 {
		list, err := rh.h.s.store.ListChatMessages(ctx, kindred.ChatFilter{RoomID: rh.id, After: rh.lastSeq, Before: ev.Seq, Limit: 1000})
		if err != nil && ctx.Err() == nil {
			rh.h.s.log.Error("live: fill gap", "err", err)
		}
		for _, m := range list {
			if _, ok := rh.pending[m.Seq]; !ok {
				rh.pending[m.Seq] = &event{Kind: evMessage, Seq: m.Seq, Author: m.AuthorID, Frame: encode(messageFrame(viewMessage(m)))}
			}
		}
		if err != nil || len(list) < int(ev.Seq-rh.lastSeq-1) {
			// Never stall a room: what the store cannot give now, clients
			// fetch when they resume.
			rh.lastSeq = minKey(rh.pending) - 1
		}
	}
	for {
		next, ok := rh.pending[rh.lastSeq+1]
		if !ok {
			return
		}
		delete(rh.pending, next.Seq)
		rh.lastSeq = next.Seq
		rh.broadcast(next.Seq, next.Author, next.Frame)
	}
}

func minKey(m map[int64]*event) int64 {
	first := true
	var min int64
	for k := range m {
		if first || k < min {
			min, first = k, false
		}
	}
	return min
}

func (rh *roomHub) broadcast(seq int64, author string, frame []byte) {
	rh.mu.Lock()
	defer rh.mu.Unlock()
	for c := range rh.clients {
		c.offer(seq, author, frame)
	}
}

// announce tells the other nodes who is here on this one (when tell is
// set), expires what they said long ago, and sends the merged list to local
// clients when it changed.
func (rh *roomHub) announce(tell bool) {
	s := rh.h.s
	now := s.now()
	rh.mu.Lock()
	local := map[int]rosterEntry{}
	for c := range rh.clients {
		if e, ok := c.entry(); ok {
			local[e.N] = e
		}
	}
	rh.mu.Unlock()
	mine := make([]rosterEntry, 0, len(local))
	for _, e := range local {
		mine = append(mine, e)
	}
	slices.SortFunc(mine, func(a, b rosterEntry) int { return a.N - b.N })
	if tell && len(mine) > 0 {
		rh.publish(&event{Kind: evRoster, Node: rh.key, Here: mine})
	}
	all := map[int]rosterEntry{}
	for node, r := range rh.rosters {
		if now.Sub(r.at) > 3*s.opts.RosterEvery {
			delete(rh.rosters, node)
			continue
		}
		for _, e := range r.here {
			all[e.N] = e
		}
	}
	for _, e := range mine {
		all[e.N] = e
	}
	here := make([]Presence, 0, len(all))
	for _, e := range all {
		here = append(here, Presence{N: e.N, Name: e.Name, Facilitator: e.Facilitator, account: e.Account})
	}
	slices.SortFunc(here, func(a, b Presence) int { return a.N - b.N })
	if rh.frame != nil && slices.Equal(here, rh.presence) {
		return
	}
	rh.presence = here
	rh.frame = encode(presenceFrame{Type: FramePresence, Here: here})
	rh.mu.Lock()
	defer rh.mu.Unlock()
	for c := range rh.clients {
		c.offer(0, "", rh.presenceFor(c))
	}
}

// presenceFor leaves out people the client blocked or was blocked by.
func (rh *roomHub) presenceFor(c *Client) []byte {
	blocked := c.blockedSnapshot()
	if len(blocked) == 0 {
		return rh.frame
	}
	here := make([]Presence, 0, len(rh.presence))
	for _, p := range rh.presence {
		if _, ok := blocked[p.account]; !ok {
			here = append(here, p)
		}
	}
	return encode(presenceFrame{Type: FramePresence, Here: here})
}

// publishMessage tells every node about a stored message.
func (s *Service) publishMessage(ctx context.Context, m *kindred.ChatMessage) {
	ev := &event{Kind: evMessage, Seq: m.Seq, Author: m.AuthorID, Frame: encode(messageFrame(viewMessage(m)))}
	s.publish(ctx, kindred.RoomTopic(m.RoomID), encode(ev))
}

func (s *Service) publishState(ctx context.Context, roomID string) {
	s.publish(ctx, kindred.RoomTopic(roomID), encode(&event{Kind: evState}))
}

func (s *Service) publishMember(ctx context.Context, roomID string, n int, mutedUntil *time.Time) {
	var until *time.Time
	if mutedUntil != nil {
		u := mutedUntil.UTC()
		until = &u
	}
	s.publish(ctx, kindred.RoomTopic(roomID), encode(&event{Kind: evMember, N: n, Until: until,
		Frame: encode(memberFrame{Type: FrameMember, N: n, MutedUntil: until})}))
}

func (s *Service) publishRemoved(ctx context.Context, roomID string, n int) {
	s.publish(ctx, kindred.RoomTopic(roomID), encode(&event{Kind: evMember, N: n, Removed: true}))
}

// ErrClosed is returned by Client.Next once the connection is closed; its
// Reason says why.
type ErrClosed struct{ Reason string }

func (e *ErrClosed) Error() string { return "live: connection closed: " + e.Reason }

// CloseReason returns why a connection closed, or "" when err is not an
// ErrClosed.
func CloseReason(err error) string {
	var ec *ErrClosed
	if errors.As(err, &ec) {
		return ec.Reason
	}
	return ""
}
