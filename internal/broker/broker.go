// Package broker implements kindred.Broker: Memory for a single node and
// NATS for several nodes behind a load balancer. Topics are dot-separated
// words ("room.<id>"); both implementations deliver one publisher's
// messages to a subscriber in the order they were published.
package broker

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"

	"kindred"
)

// ErrClosed is returned after Close.
var ErrClosed = errors.New("broker: closed")

// validTopic keeps topics to what both implementations accept: NATS
// subjects are dot-separated tokens without spaces or wildcards.
func validTopic(topic string) error {
	if topic == "" || strings.ContainsAny(topic, " \t\r\n*>") || strings.HasPrefix(topic, ".") ||
		strings.HasSuffix(topic, ".") || strings.Contains(topic, "..") {
		return fmt.Errorf("broker: invalid topic %q", topic)
	}
	return nil
}

// Memory is the in-process broker for a single node. Publish delivers to
// each subscriber synchronously, under a read lock, so one publisher's
// messages arrive in order; subscribers must not block.
type Memory struct {
	mu     sync.RWMutex
	subs   map[string]map[*memorySub]struct{}
	closed bool
}

var _ kindred.Broker = (*Memory)(nil)

// NewMemory returns an in-process broker.
func NewMemory() *Memory { return &Memory{subs: map[string]map[*memorySub]struct{}{}} }

type memorySub struct {
	m     *Memory
	topic string
	fn    func(string, []byte)
}

// Publish delivers data to the topic's subscribers. Each gets its own copy,
// so a subscriber that keeps or changes it cannot affect another.
func (m *Memory) Publish(ctx context.Context, topic string, data []byte) error {
	if err := validTopic(topic); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.closed {
		return ErrClosed
	}
	for s := range m.subs[topic] {
		s.fn(topic, append([]byte(nil), data...))
	}
	return nil
}

// Subscribe registers fn for topic.
func (m *Memory) Subscribe(topic string, fn func(string, []byte)) (kindred.Subscription, error) {
	if err := validTopic(topic); err != nil {
		return nil, err
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.closed {
		return nil, ErrClosed
	}
	s := &memorySub{m: m, topic: topic, fn: fn}
	if m.subs[topic] == nil {
		m.subs[topic] = map[*memorySub]struct{}{}
	}
	m.subs[topic][s] = struct{}{}
	return s, nil
}

// Unsubscribe stops deliveries; it is safe to call more than once.
func (s *memorySub) Unsubscribe() error {
	s.m.mu.Lock()
	defer s.m.mu.Unlock()
	if set := s.m.subs[s.topic]; set != nil {
		delete(set, s)
		if len(set) == 0 {
			delete(s.m.subs, s.topic)
		}
	}
	return nil
}

// Close drops every subscription.
func (m *Memory) Close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.closed = true
	m.subs = map[string]map[*memorySub]struct{}{}
	return nil
}
