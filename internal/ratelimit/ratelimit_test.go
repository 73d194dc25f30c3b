package ratelimit

import (
	"fmt"
	"testing"
	"time"
)

func TestAllowBurstThenRefill(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	l := New(time.Minute, 3, 100, func() time.Time { return now })
	for i := range 3 {
		if !l.Allow("k") {
			t.Fatalf("event %d refused within burst", i)
		}
	}
	if l.Allow("k") {
		t.Fatal("fourth event allowed past burst")
	}
	if !l.Allow("other") {
		t.Fatal("a different key shares the bucket")
	}
	now = now.Add(time.Minute)
	if !l.Allow("k") {
		t.Fatal("no refill after one period")
	}
}

func TestEvictionBoundsKeys(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	l := New(time.Second, 1, 50, func() time.Time { return now })
	for i := range 500 {
		now = now.Add(time.Millisecond)
		l.Allow(fmt.Sprint("key", i))
	}
	if n := l.Len(); n > 50 {
		t.Fatalf("tracked %d keys, want at most 50", n)
	}
	// The most recent key must still be limited: eviction must not reset it.
	if l.Allow("key499") {
		t.Fatal("recent key was evicted and reset")
	}
}
