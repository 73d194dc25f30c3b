// Package ratelimit keeps per-key token buckets in memory, with idle keys
// evicted so that a flood of distinct keys cannot grow memory without bound.
// Limits are per node; keys must never be raw IP addresses or handles in the
// clear when they could end up in logs, so callers pass hashed keys.
package ratelimit

import (
	"sync"
	"time"

	"golang.org/x/time/rate"
)

// Limiter allows Burst events at once and then Every per event, per key.
type Limiter struct {
	every   time.Duration
	burst   int
	maxKeys int
	now     func() time.Time

	mu      sync.Mutex
	buckets map[string]*bucket
}

type bucket struct {
	lim  *rate.Limiter
	seen time.Time
}

// New returns a limiter allowing burst events at once and one more every
// `every`. It keeps at most maxKeys keys, evicting idle ones first.
func New(every time.Duration, burst, maxKeys int, now func() time.Time) *Limiter {
	if now == nil {
		now = time.Now
	}
	return &Limiter{every: every, burst: burst, maxKeys: maxKeys, now: now, buckets: map[string]*bucket{}}
}

// Allow reports whether one more event for key may happen now, and counts it.
func (l *Limiter) Allow(key string) bool {
	now := l.now()
	l.mu.Lock()
	defer l.mu.Unlock()
	b, ok := l.buckets[key]
	if !ok {
		if len(l.buckets) >= l.maxKeys {
			l.evict(now)
		}
		b = &bucket{lim: rate.NewLimiter(rate.Every(l.every), l.burst)}
		l.buckets[key] = b
	}
	b.seen = now
	return b.lim.AllowN(now, 1)
}

// evict drops keys whose bucket has refilled completely (forgetting them
// changes nothing); if none has, it drops the least recently seen half.
func (l *Limiter) evict(now time.Time) {
	full := l.every * time.Duration(l.burst)
	for k, b := range l.buckets {
		if now.Sub(b.seen) >= full {
			delete(l.buckets, k)
		}
	}
	if len(l.buckets) < l.maxKeys {
		return
	}
	var oldest time.Time
	for _, b := range l.buckets {
		if oldest.IsZero() || b.seen.Before(oldest) {
			oldest = b.seen
		}
	}
	cut := oldest.Add(now.Sub(oldest) / 2)
	for k, b := range l.buckets {
		if !b.seen.After(cut) {
			delete(l.buckets, k)
		}
	}
}

// Len returns how many keys are tracked.
func (l *Limiter) Len() int {
	l.mu.Lock()
	defer l.mu.Unlock()
	return len(l.buckets)
}
