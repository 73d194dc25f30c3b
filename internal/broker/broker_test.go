package broker

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"sync"
	"testing"
	"time"

	"kindred"
)

// natsURL returns the NATS server for tests, or skips.
func natsURL(t *testing.T) string {
	t.Helper()
	u := os.Getenv("KINDRED_TEST_NATS")
	if u == "" {
		t.Skip("set KINDRED_TEST_NATS=nats://127.0.0.1:4222 to run the NATS broker tests")
	}
	return u
}

// pair returns two brokers that should hear each other: the same Memory
// twice, or two NATS connections (two nodes) under one random prefix.
type pair func(t *testing.T) (a, b kindred.Broker)

func memoryPair(t *testing.T) (kindred.Broker, kindred.Broker) {
	m := NewMemory()
	t.Cleanup(func() { m.Close() })
	return m, m
}

func natsPair(t *testing.T) (kindred.Broker, kindred.Broker) {
	url := natsURL(t)
	prefix := "kt" + kindred.NewID()[:10]
	dial := func(name string) *NATS {
		n, err := DialNATS(url, NATSOptions{Prefix: prefix, Name: name})
		if err != nil {
			t.Fatalf("dial %s: %v", url, err)
		}
		t.Cleanup(func() { n.Close() })
		return n
	}
	return dial("node-a"), dial("node-b")
}

// settle makes sure subscriptions are in force before publishing.
func settle(t *testing.T, bs ...kindred.Broker) {
	t.Helper()
	for _, b := range bs {
		if n, ok := b.(*NATS); ok {
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			if err := n.Flush(ctx); err != nil {
				t.Fatal(err)
			}
			cancel()
		}
	}
}

type collector struct {
	mu   sync.Mutex
	got  []string
	done chan struct{}
	want int
}

func newCollector(want int) *collector { return &collector{want: want, done: make(chan struct{})} }

func (c *collector) add(_ string, data []byte) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.got = append(c.got, string(data))
	if len(c.got) == c.want {
		close(c.done)
	}
}

func (c *collector) wait(t *testing.T) []string {
	t.Helper()
	select {
	case <-c.done:
	case <-time.After(10 * time.Second):
		c.mu.Lock()
		defer c.mu.Unlock()
		t.Fatalf("got %d of %d messages", len(c.got), c.want)
	}
	time.Sleep(50 * time.Millisecond) // let any duplicate arrive
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]string(nil), c.got...)
}

func TestBrokers(t *testing.T) {
	for name, p := range map[string]pair{"memory": memoryPair, "nats": natsPair} {
		t.Run(name, func(t *testing.T) { runContract(t, p) })
	}
}

func runContract(t *testing.T, p pair) {
	ctx := context.Background()

	t.Run("one publisher's messages arrive once each, in order, on the other node", func(t *testing.T) {
		a, b := p(t)
		const n = 2000
		c := newCollector(n)
		sub, err := b.Subscribe("room.one", c.add)
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Unsubscribe()
		settle(t, a, b)
		for i := range n {
			if err := a.Publish(ctx, "room.one", []byte(strconv.Itoa(i))); err != nil {
				t.Fatal(err)
			}
		}
		got := c.wait(t)
		if len(got) != n {
			t.Fatalf("got %d messages, want %d (duplicates?)", len(got), n)
		}
		for i, s := range got {
			if s != strconv.Itoa(i) {
				t.Fatalf("message %d is %q: out of order", i, s)
			}
		}
	})

	t.Run("topics are separate", func(t *testing.T) {
		a, b := p(t)
		one, two := newCollector(1), newCollector(1)
		s1, _ := b.Subscribe("room.a", one.add)
		s2, _ := b.Subscribe("room.b", two.add)
		defer s1.Unsubscribe()
		defer s2.Unsubscribe()
		settle(t, a, b)
		if err := a.Publish(ctx, "room.a", []byte("for a")); err != nil {
			t.Fatal(err)
		}
		if err := a.Publish(ctx, "room.b", []byte("for b")); err != nil {
			t.Fatal(err)
		}
		if got := one.wait(t); len(got) != 1 || got[0] != "for a" {
			t.Fatalf("room.a got %v", got)
		}
		if got := two.wait(t); len(got) != 1 || got[0] != "for b" {
			t.Fatalf("room.b got %v", got)
		}
	})

	t.Run("unsubscribed receivers hear nothing more", func(t *testing.T) {
		a, b := p(t)
		var mu sync.Mutex
		count := 0
		sub, _ := b.Subscribe("room.gone", func(string, []byte) { mu.Lock(); count++; mu.Unlock() })
		settle(t, a, b)
		if err := sub.Unsubscribe(); err != nil {
			t.Fatal(err)
		}
		settle(t, b)
		for i := range 10 {
			_ = a.Publish(ctx, "room.gone", []byte(fmt.Sprint(i)))
		}
		settle(t, a)
		time.Sleep(100 * time.Millisecond)
		mu.Lock()
		defer mu.Unlock()
		if count != 0 {
			t.Fatalf("%d messages after unsubscribing", count)
		}
	})

	t.Run("bad topics are refused", func(t *testing.T) {
		a, _ := p(t)
		for _, topic := range []string{"", "room.*", "room.>", "has space", ".lead", "trail.", "a..b"} {
			if err := a.Publish(ctx, topic, nil); err == nil {
				t.Errorf("publish to %q accepted", topic)
			}
			if _, err := a.Subscribe(topic, func(string, []byte) {}); err == nil {
				t.Errorf("subscribe to %q accepted", topic)
			}
		}
	})
}

func TestNATSPrefixesKeepInstancesApart(t *testing.T) {
	url := natsURL(t)
	a, err := DialNATS(url, NATSOptions{Prefix: "kt" + kindred.NewID()[:10]})
	if err != nil {
		t.Fatal(err)
	}
	defer a.Close()
	b, err := DialNATS(url, NATSOptions{Prefix: "kt" + kindred.NewID()[:10]})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	heard := make(chan struct{}, 1)
	sub, _ := b.Subscribe("room.x", func(string, []byte) { heard <- struct{}{} })
	defer sub.Unsubscribe()
	settle(t, a, b)
	_ = a.Publish(context.Background(), "room.x", []byte("hello"))
	settle(t, a)
	select {
	case <-heard:
		t.Fatal("an instance heard another instance's room")
	case <-time.After(200 * time.Millisecond):
	}
}

func TestMemoryGivesEachSubscriberItsOwnCopy(t *testing.T) {
	m := NewMemory()
	defer m.Close()
	var first, second []byte
	s1, _ := m.Subscribe("t", func(_ string, d []byte) { d[0] = 'X'; first = d })
	s2, _ := m.Subscribe("t", func(_ string, d []byte) { second = d })
	defer s1.Unsubscribe()
	defer s2.Unsubscribe()
	data := []byte("abc")
	if err := m.Publish(context.Background(), "t", data); err != nil {
		t.Fatal(err)
	}
	if string(data) != "abc" || string(second) != "abc" || string(first) != "Xbc" {
		t.Fatalf("data=%q first=%q second=%q: a subscriber changed what others see", data, first, second)
	}
	if err := m.Close(); err != nil {
		t.Fatal(err)
	}
	if err := m.Publish(context.Background(), "t", data); err != ErrClosed {
		t.Fatalf("publish after close: %v", err)
	}
}
