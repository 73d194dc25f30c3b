package live

import (
	"context"
	"encoding/json"
	"sync"
	"time"

	"kindred"
)

// Recheck re-validates a connection's credentials (its session or token)
// and returns the actor as they are now: suspended accounts, ended
// sessions and revoked tokens fail it.
type Recheck func(ctx context.Context) (*kindred.Actor, error)

// Client is one live connection to a room. The web layer writes the frames
// Next returns and passes what the person sends to Receive; the hub fills
// the queue. A client that falls QueueLimit frames behind is closed.
type Client struct {
	s         *Service
	rh        *roomHub
	roomID    string
	accountID string
	recheck   Recheck

	mu       sync.Mutex
	view     RoomView // the standing last checked (Connect, or an access re-check)
	actor    *kindred.Actor
	me       kindred.RoomMember
	fac      bool
	blocked  map[string]struct{} // blocked with or muted: their messages and presence never reach this client
	queue    [][]byte
	signal   chan struct{}
	syncing  bool // history is being sent: live frames wait in held
	holding  int  // access re-checks in progress: frames wait in held
	held     []offered
	sent     int64 // the highest seq queued
	history  int   // history frames still queued; they do not count as falling behind
	closed   bool
	reason   string
	done     chan struct{}
	typedAt  time.Time
	checking bool
	again    bool
	onWake   func() // see SetWake
}

type offered struct {
	seq    int64
	author string
	frame  []byte
}

// ResumeLimit is how many missed messages a reconnecting client is sent
// one by one; further behind, it starts afresh with the newest page.
const ResumeLimit = 1000

// Connect opens a live connection to a room for a person who is in it.
// after is the last seq the client saw (resuming), or -1 for a fresh start
// with the newest page of history. The first frame is a ready frame; then
// come the messages after `after`, then live events, each message once and
// in order.
func (s *Service) Connect(ctx context.Context, actor *kindred.Actor, roomID string, after int64, recheck Recheck) (*Client, error) {
	v, err := s.room(ctx, actor, roomID)
	if err != nil {
		return nil, err
	}
	return s.ConnectView(ctx, v, after, recheck)
}

// ConnectView is Connect for a room view just returned by Room, so that a
// caller that checked the room before upgrading a connection does not load
// it again.
func (s *Service) ConnectView(ctx context.Context, v *RoomView, after int64, recheck Recheck) (*Client, error) {
	actor := &kindred.Actor{Account: v.Subject.Account}
	if actor.Account.SuspendedAt != nil {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Your account is suspended.")
	}
	blocked, err := s.hiddenSet(ctx, actor.AccountID())
	if err != nil {
		return nil, err
	}
	c := &Client{s: s, roomID: v.Room.ID, accountID: actor.AccountID(), recheck: recheck, actor: actor, view: slim(v),
		me: *v.Me, fac: v.CanModerate, blocked: blocked, signal: make(chan struct{}, 1), syncing: true,
		done: make(chan struct{})}
	if after > 0 {
		c.sent = after
	}
	if err := s.hub.attach(c); err != nil {
		return nil, err
	}
	if err := c.start(ctx, v, after); err != nil {
		c.Close()
		return nil, err
	}
	return c, nil
}

// start sends the ready frame and history, then lets live frames through.
func (c *Client) start(ctx context.Context, v *RoomView, after int64) error {
	s := c.s
	room, err := s.store.FindRoom(ctx, c.roomID) // after attaching: nothing newer can be missed
	if err != nil {
		return err
	}
	var list []*kindred.ChatMessage
	var earlier int64
	reset := after >= 0 && room.LastSeq-after > ResumeLimit
	if reset {
		// Too far behind to catch up message by message: start afresh
		// with the newest page, and tell the client to clear what it has.
		after, c.sent = -1, 0
	}
	if after < 0 {
		list, err = s.store.ListChatMessages(ctx, kindred.ChatFilter{RoomID: room.ID, Before: room.LastSeq + 1, Limit: kindred.ChatPage})
		if len(list) > 0 && list[0].Seq > 1 {
			earlier = list[0].Seq
		}
	} else {
		// Resume: everything after what the client saw.
		list, err = s.store.ListChatMessages(ctx, kindred.ChatFilter{RoomID: room.ID, After: after, Limit: ResumeLimit})
	}
	if err != nil {
		return err
	}
	now := s.now()
	ready := ReadyFrame{Type: FrameReady, Room: room.ID, Title: v.Title, State: roomState(room, now),
		Me: Me{N: v.Me.Number, Name: Label(v.Me), Anonymous: v.Me.Anonymous}, MutedUntil: v.MutedUntil(now),
		CanModerate: v.CanModerate, LastSeq: room.LastSeq, Earlier: earlier, Reset: reset}
	if room.Kind == kindred.RoomSession {
		opens, ends := room.Occurrence.UTC(), room.Ends.UTC()
		ready.Opens, ready.Ends = &opens, &ends
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// History is bounded by the read above, so it may exceed the limit for
	// live frames: a person catching up is not "behind".
	c.queue = append(c.queue, encode(ready))
	for _, m := range list {
		if _, ok := c.blocked[m.AuthorID]; ok && m.AuthorID != "" {
			continue
		}
		if m.Seq > c.sent {
			c.queue = append(c.queue, encode(messageFrame(viewMessage(m))))
			c.sent = m.Seq
		}
	}
	c.history = len(c.queue)
	c.wake()
	c.syncing = false
	c.release()
	return nil
}

// push queues a frame; the caller holds c.mu.
func (c *Client) push(frame []byte) {
	if c.closed {
		return
	}
	if len(c.queue)-c.history >= c.s.opts.QueueLimit {
		c.closeLocked(ReasonBehind)
		return
	}
	c.queue = append(c.queue, frame)
	c.wake()
}

func (c *Client) wake() {
	select {
	case c.signal <- struct{}{}:
	default:
	}
	if c.onWake != nil {
		c.onWake()
	}
}

// SetWake sets fn to be called whenever a frame is queued or the client
// closes, so that a connection needs no goroutine waiting in Next while it
// is idle: fn starts a writer, which calls Pop until it returns nil. fn is
// called with the client's lock held, so it must not block or call the
// client. Frames queued before SetWake are not announced to fn.
func (c *Client) SetWake(fn func()) {
	c.mu.Lock()
	c.onWake = fn
	c.mu.Unlock()
}

// offer is how the hub hands the client a frame: seq is a message's number
// (0 for presence, typing and state), author its writer's account id.
func (c *Client) offer(seq int64, author string, frame []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return
	}
	if c.syncing || c.holding > 0 {
		c.held = append(c.held, offered{seq, author, frame})
		if len(c.held) > 4*c.s.opts.QueueLimit {
			c.closeLocked(ReasonBehind)
		}
		return
	}
	c.deliver(seq, author, frame)
}

// deliver checks the frame against the receiver and queues it.
func (c *Client) deliver(seq int64, author string, frame []byte) {
	if seq != 0 {
		if seq <= c.sent {
			return
		}
		c.sent = seq
	}
	if author != "" {
		if _, ok := c.blocked[author]; ok {
			return
		}
	}
	c.push(frame)
}

// release delivers what waited while syncing or holding.
func (c *Client) release() {
	if c.syncing || c.holding > 0 {
		return
	}
	held := c.held
	c.held = nil
	for _, o := range held {
		c.deliver(o.seq, o.author, o.frame)
	}
}

func (c *Client) closeLocked(reason string) {
	if c.closed {
		return
	}
	c.closed, c.reason = true, reason
	c.queue, c.held = nil, nil // nothing more reaches a closed connection
	close(c.done)
	c.wake()
}

// shut closes the client for a reason; the web layer then writes the
// closing frame and calls Close.
func (c *Client) shut(reason string) {
	c.mu.Lock()
	c.closeLocked(reason)
	c.mu.Unlock()
}

// hold stops deliveries until an access re-check finishes.
func (c *Client) hold() {
	c.mu.Lock()
	c.holding++
	c.mu.Unlock()
}

// recheckNow re-validates the connection after an access change: closed if
// the person may no longer be here, otherwise their blocks are refreshed
// and held frames flow again.
func (c *Client) recheckNow() {
	c.mu.Lock()
	if c.checking {
		c.again = true
		c.holding--
		c.mu.Unlock()
		return
	}
	c.checking = true
	c.mu.Unlock()
	for {
		reason := c.check()
		c.mu.Lock()
		if reason != "" {
			c.closeLocked(reason)
		}
		if c.again && !c.closed {
			c.again = false
			c.mu.Unlock()
			continue
		}
		c.checking = false
		c.holding--
		if c.holding < 0 {
			c.holding = 0
		}
		c.release()
		c.mu.Unlock()
		return
	}
}

// check returns why the client must close, or "".
func (c *Client) check() string {
	s := c.s
	ctx, cancel := context.WithTimeout(s.hub.ctx, 5*time.Second)
	defer cancel()
	actor := c.currentActor()
	if c.recheck != nil {
		a, err := c.recheck(ctx)
		if err != nil || !a.SignedIn() || a.AccountID() != c.accountID {
			return ReasonSignedOut
		}
		actor = a
	} else {
		acct, err := s.store.FindAccount(ctx, c.accountID)
		if err != nil {
			return ReasonSignedOut
		}
		actor = &kindred.Actor{Account: acct}
	}
	if actor.Account.SuspendedAt != nil {
		return ReasonSignedOut
	}
	v, err := s.room(ctx, actor, c.roomID)
	if err != nil {
		if kindred.ErrorCode(err) == kindred.ENOTFOUND {
			if m, ferr := s.store.FindRoomMember(ctx, c.roomID, c.accountID); ferr == nil && m.Removed() {
				return ReasonRemoved
			}
		}
		return ReasonAccess
	}
	blocked, err := s.hiddenSet(ctx, c.accountID)
	if err != nil {
		return ReasonAccess
	}
	c.mu.Lock()
	c.actor, c.me, c.fac, c.blocked, c.view = actor, *v.Me, v.CanModerate, blocked, slim(v)
	c.mu.Unlock()
	c.rh.post(inboxItem{joined: c}) // a fresh presence list, with the blocks applied
	return ""
}

// slim keeps of a room view what sending needs, so that an idle connection
// does not hold the organisation's, group's and session's texts (a few KiB
// each, times every connection).
func slim(v *RoomView) RoomView {
	out := RoomView{Room: v.Room, Subject: v.Subject, Me: v.Me, State: v.State, CanModerate: v.CanModerate}
	if g := v.Group; g != nil {
		out.Group = &kindred.Group{ID: g.ID, OrgID: g.OrgID, Visibility: g.Visibility, AgeRule: g.AgeRule}
	}
	if a := v.Subject.Account; a != nil {
		out.Subject.Account = &kindred.Account{ID: a.ID, Handle: a.Handle, AgeBand: a.AgeBand, SuspendedAt: a.SuspendedAt, IsOperator: a.IsOperator}
	}
	return out
}

// liveView is the connection's standing now.
func (c *Client) liveView() *RoomView {
	c.mu.Lock()
	v := c.view
	me := c.me
	c.mu.Unlock()
	v.Me = &me
	if r := c.rh.current.Load(); r != nil {
		v.Room = r
	}
	v.State = roomState(v.Room, c.s.now())
	return &v
}

// paused records a pause (or its end) for the person numbered n.
func (c *Client) paused(n int, until *time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.me.Number == n {
		c.me.MutedUntil = until
	}
}

func (c *Client) currentActor() *kindred.Actor {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.actor
}

func (c *Client) number() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.me.Number
}

func (c *Client) entry() (rosterEntry, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return rosterEntry{}, false
	}
	return rosterEntry{N: c.me.Number, Name: Label(&c.me), Facilitator: c.fac, Account: c.accountID}, true
}

func (c *Client) blockedSnapshot() map[string]struct{} {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.blocked
}

// Next returns the next frame to write, waiting for one. Once the client
// is closed it returns an *ErrClosed with the reason.
func (c *Client) Next(ctx context.Context) ([]byte, error) {
	for {
		f, err := c.Pop()
		if f != nil || err != nil {
			return f, err
		}
		select {
		case <-c.signal:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
}

// Pop returns the next frame without waiting: nil when there is none yet
// (SetWake says when to look again), or an *ErrClosed once the client is
// closed.
func (c *Client) Pop() ([]byte, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closed {
		return nil, &ErrClosed{Reason: c.reason}
	}
	if len(c.queue) == 0 {
		return nil, nil
	}
	f := c.queue[0]
	c.queue[0] = nil
	c.queue = c.queue[1:]
	if c.history > 0 {
		c.history--
	}
	if len(c.queue) == 0 {
		c.queue = nil // let the backing array go
	}
	return f, nil
}

// Done is closed when the hub closes the client.
func (c *Client) Done() <-chan struct{} { return c.done }

// Close detaches the client; the web layer calls it when the connection
// ends for any reason. It is safe to call more than once.
func (c *Client) Close() {
	c.shut(ReasonShutdown)
	c.s.hub.detach(c)
}

// Receive handles one frame the person sent. Replies (acks, errors,
// history) are queued for them; messages reach everyone through the hub.
func (c *Client) Receive(ctx context.Context, data []byte) {
	var f ClientFrame
	if err := json.Unmarshal(data, &f); err != nil {
		c.reply(errorFrame{Type: FrameError, Code: kindred.EINVALID, Message: "We couldn't read that. Please reload the page."})
		return
	}
	actor := c.currentActor()
	switch f.Type {
	case ClientSend:
		// The connection's standing is current (access events re-check it,
		// pauses and the room's state reach it through the hub), so a send
		// needs no reads before its write.
		m, err := c.s.sendIn(ctx, c.liveView(), kindred.ChatDraft{Body: f.Body, Nonce: f.Nonce})
		if err != nil {
			c.reply(errorFrame{Type: FrameError, Nonce: f.Nonce, Code: kindred.ErrorCode(err), Message: publicMessage(err), Fields: kindred.ErrorFields(err)})
			return
		}
		c.reply(ackFrame{Type: FrameAck, Nonce: f.Nonce, Seq: m.Seq, Crisis: m.Crisis})
	case ClientTyping:
		c.typing(ctx, actor)
	case ClientHistory:
		h, err := c.s.Messages(ctx, actor, c.roomID, kindred.ChatFilter{Before: f.Before})
		if err != nil {
			c.reply(errorFrame{Type: FrameError, Code: kindred.ErrorCode(err), Message: publicMessage(err)})
			return
		}
		out := historyFrame{Type: FrameHistory, Messages: make([]MessageFrame, 0, len(h.Messages)), Earlier: h.Earlier}
		for _, m := range h.Messages {
			out.Messages = append(out.Messages, messageFrame(m))
		}
		c.reply(out)
	default:
		c.reply(errorFrame{Type: FrameError, Code: kindred.EINVALID, Message: "We didn't understand that request."})
	}
}

func publicMessage(err error) string {
	if kindred.ErrorCode(err) == kindred.EINTERNAL {
		return "Something went wrong on our side. Please try again."
	}
	return kindred.ErrorMessage(err)
}

func (c *Client) reply(v any) {
	b := encode(v)
	c.mu.Lock()
	c.push(b)
	c.mu.Unlock()
}

// typing tells the room the person is typing, at most every three seconds.
func (c *Client) typing(ctx context.Context, actor *kindred.Actor) {
	now := c.s.now()
	c.mu.Lock()
	if now.Sub(c.typedAt) < 3*time.Second || c.me.Muted(now) {
		c.mu.Unlock()
		return
	}
	c.typedAt = now
	n, name := c.me.Number, Label(&c.me)
	c.mu.Unlock()
	_ = actor
	frame := encode(typingFrame{Type: FrameTyping, N: n, Name: name})
	c.s.publish(ctx, kindred.RoomTopic(c.roomID), encode(&event{Kind: evTyping, Author: c.accountID, Frame: frame}))
}
