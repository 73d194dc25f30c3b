package live

import (
	"context"
	"encoding/json"
	"hash/fnv"
	"sync"
	"sync/atomic"
	"time"

	"kindred"
)

// Room writers. The store numbers a room's messages under the room's row
// lock, held until the commit is on disk. When two nodes both store
// messages for the same rooms, each waits for the other's commits as well
// as its own, and a busy room's latency doubles. So with several nodes each
// room has one writer node, chosen by rendezvous hashing over the nodes
// alive; a node forwards a message for a room it does not write to that
// room's writer through the broker, and the writer stores and publishes it
// with its own. Nodes' batches then touch different rooms and commit side
// by side.
//
// The writer is only a preference: correctness still rests on the row
// lock and on nonces. Two nodes that briefly disagree about who is alive
// both store a room's messages, as before; a message whose writer does not
// answer in time is stored where it was sent (were the writer to store it
// after all, the nonce stores it once, and whichever stored it published
// it).

const (
	nodesTopic        = "live.nodes"   // "<node>" every second; "-<node>" when leaving
	storeTopicPrefix  = "live.store."  // + node: messages for the node to store
	storedTopicPrefix = "live.stored." // + node: the answers
)

const (
	nodeEvery   = time.Second
	nodeTimeout = 3 * time.Second
	// forwardWait is how long a forwarded message waits for its writer
	// before it is stored here instead.
	forwardWait = 2 * time.Second
)

type writers struct {
	s       *Service
	node    string
	mu      sync.Mutex
	nodes   map[string]time.Time // other nodes, when last heard
	waiting map[string]chan storeAnswer
	subs    []kindred.Subscription
	stop    chan struct{}
	done    chan struct{}
	once    sync.Once
	// forwarded counts messages another node stored for this one.
	forwarded atomic.Int64
}

type storeRequest struct {
	ID      string
	From    string
	Message kindred.ChatMessage
}

type storeAnswer struct {
	ID      string
	Message kindred.ChatMessage
	Code    string // kindred error code; "" when stored
	Text    string // its message, for the person
}

func newWriters(s *Service, node string) *writers {
	w := &writers{s: s, node: node, nodes: map[string]time.Time{}, waiting: map[string]chan storeAnswer{},
		stop: make(chan struct{}), done: make(chan struct{})}
	for topic, fn := range map[string]func(string, []byte){
		nodesTopic:               w.heard,
		storeTopicPrefix + node:  w.request,
		storedTopicPrefix + node: w.answer,
	} {
		sub, err := s.broker.Subscribe(topic, fn)
		if err != nil {
			// Without these the node writes every room itself, as one
			// node does: slower with several nodes, never wrong.
			s.log.Error("live: room writers unavailable", "err", err)
			continue
		}
		w.subs = append(w.subs, sub)
	}
	go w.announce()
	return w
}

// announce tells the other nodes this one is alive, every nodeEvery.
func (w *writers) announce() {
	defer close(w.done)
	t := time.NewTicker(nodeEvery)
	defer t.Stop()
	for {
		w.s.publish(context.Background(), nodesTopic, []byte(w.node))
		select {
		case <-w.stop:
			w.s.publish(context.Background(), nodesTopic, []byte("-"+w.node))
			return
		case <-t.C:
		}
	}
}

func (w *writers) close() {
	w.once.Do(func() {
		close(w.stop)
		<-w.done
		for _, sub := range w.subs {
			_ = sub.Unsubscribe()
		}
	})
}

func (w *writers) heard(_ string, data []byte) {
	node, leaving := string(data), false
	if len(node) > 0 && node[0] == '-' {
		node, leaving = node[1:], true
	}
	if node == w.node || node == "" {
		return
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if leaving {
		delete(w.nodes, node)
	} else {
		w.nodes[node] = time.Now()
	}
}

// writer returns the node that stores the room's messages.
func (w *writers) writer(roomID string) string {
	best, bestScore := w.node, score(w.node, roomID)
	w.mu.Lock()
	defer w.mu.Unlock()
	now := time.Now()
	for node, at := range w.nodes {
		if now.Sub(at) > nodeTimeout {
			delete(w.nodes, node)
			continue
		}
		if sc := score(node, roomID); sc > bestScore || (sc == bestScore && node > best) {
			best, bestScore = node, sc
		}
	}
	return best
}

func score(node, roomID string) uint64 {
	h := fnv.New64a()
	h.Write([]byte(node))
	h.Write([]byte{0})
	h.Write([]byte(roomID))
	return h.Sum64()
}

// storeMessage stores m and publishes it: here, or on the room's writer.
// Like the store's CreateChatMessage, a repeated nonce fills m with the
// stored message and answers ECONFLICT (nothing is published again).
func (s *Service) storeMessage(ctx context.Context, m *kindred.ChatMessage) error {
	w := s.writers
	if w != nil && m.Nonce != "" && m.AuthorID != "" {
		if node := w.writer(m.RoomID); node != w.node {
			if handled, err := w.forward(ctx, node, m); handled {
				return err
			}
		}
	}
	return s.storeHere(ctx, m)
}

func (s *Service) storeHere(ctx context.Context, m *kindred.ChatMessage) error {
	err := s.store.CreateChatMessage(ctx, m)
	if err == nil {
		s.publishMessage(ctx, m)
	}
	return err
}

// forward asks node to store m; handled is false when it did not answer
// in time or could not store it, and the caller stores it here.
func (w *writers) forward(ctx context.Context, node string, m *kindred.ChatMessage) (handled bool, err error) {
	req := storeRequest{ID: kindred.NewID(), From: w.node, Message: *m}
	ch := make(chan storeAnswer, 1)
	w.mu.Lock()
	w.waiting[req.ID] = ch
	w.mu.Unlock()
	defer func() {
		w.mu.Lock()
		delete(w.waiting, req.ID)
		w.mu.Unlock()
	}()
	data, err := json.Marshal(req)
	if err != nil {
		return false, nil
	}
	if err := w.s.broker.Publish(context.WithoutCancel(ctx), storeTopicPrefix+node, data); err != nil {
		return false, nil
	}
	t := time.NewTimer(forwardWait)
	defer t.Stop()
	select {
	case a := <-ch:
		switch a.Code {
		case "":
			*m = a.Message
			w.forwarded.Add(1)
			return true, nil
		case kindred.ECONFLICT:
			*m = a.Message
			return true, kindred.Errorf(kindred.ECONFLICT, "%s", a.Text)
		case kindred.EINTERNAL, kindred.EUNAVAILABLE:
			return false, nil
		default:
			return true, kindred.Errorf(a.Code, "%s", a.Text)
		}
	case <-t.C:
		w.s.log.Warn("live: a room's writer did not answer; storing here", "node", node)
		return false, nil
	case <-ctx.Done():
		return true, ctx.Err()
	}
}

// request stores a message another node forwarded, on a goroutine of its
// own (the broker's delivery goroutine must not wait for the store).
func (w *writers) request(_ string, data []byte) {
	var req storeRequest
	if err := json.Unmarshal(data, &req); err != nil || req.From == "" {
		return
	}
	h := w.s.hub
	h.mu.Lock()
	defer h.mu.Unlock()
	if h.closed {
		return // the sender stores it itself when no answer comes
	}
	h.work.Go(func() {
		m := req.Message
		err := w.s.storeHere(h.ctx, &m)
		a := storeAnswer{ID: req.ID, Message: m}
		if err != nil {
			a.Code, a.Text = kindred.ErrorCode(err), kindred.ErrorMessage(err)
			if a.Code == "" {
				a.Code = kindred.EINTERNAL
			}
		}
		out, err := json.Marshal(a)
		if err != nil {
			return
		}
		w.s.publish(h.ctx, storedTopicPrefix+req.From, out)
	})
}

func (w *writers) answer(_ string, data []byte) {
	var a storeAnswer
	if err := json.Unmarshal(data, &a); err != nil {
		return
	}
	w.mu.Lock()
	ch := w.waiting[a.ID]
	w.mu.Unlock()
	if ch != nil {
		select {
		case ch <- a:
		default:
		}
	}
}
