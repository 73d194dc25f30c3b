package accounts

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Hasher hashes passwords with argon2id at the OWASP minimum (m=19 MiB, t=2,
// p=1). Each hash holds 19 MiB, so a semaphore caps how many run at once: a
// flood of log-ins queues instead of exhausting memory.
type Hasher struct {
	memory  uint32 // KiB
	time    uint32
	threads uint8
	sem     chan struct{}
}

// NewHasher returns a hasher allowing `concurrent` hashes at once.
func NewHasher(concurrent int) *Hasher {
	if concurrent < 1 {
		concurrent = 1
	}
	return &Hasher{memory: 19 * 1024, time: 2, threads: 1, sem: make(chan struct{}, concurrent)}
}

// NewTestHasher returns a hasher with tiny parameters, for tests and demo
// seeding only, where thousands of hashes would otherwise dominate run time.
func NewTestHasher() *Hasher {
	return &Hasher{memory: 64, time: 1, threads: 1, sem: make(chan struct{}, 4)}
}

func (h *Hasher) acquire(ctx context.Context) error {
	select {
	case h.sem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (h *Hasher) release() { <-h.sem }

// Hash returns a PHC string: $argon2id$v=19$m=…,t=…,p=…$salt$hash.
func (h *Hasher) Hash(ctx context.Context, password string) (string, error) {
	salt := make([]byte, 16)
	_, _ = rand.Read(salt)
	if err := h.acquire(ctx); err != nil {
		return "", err
	}
	key := argon2.IDKey([]byte(password), salt, h.time, h.memory, h.threads, 32)
	h.release()
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, h.memory, h.time, h.threads, enc.EncodeToString(salt), enc.EncodeToString(key)), nil
}

// Dummy returns a well-formed hash with the hasher's parameters and random
// bytes that match no password. Verifying against it costs exactly what a
// real verification costs, without spending a hash (and 19 MiB) to make it.
func (h *Hasher) Dummy() string {
	salt, key := make([]byte, 16), make([]byte, 32)
	_, _ = rand.Read(salt)
	_, _ = rand.Read(key)
	enc := base64.RawStdEncoding
	return fmt.Sprintf("$argon2id$v=%d$m=%d,t=%d,p=%d$%s$%s",
		argon2.Version, h.memory, h.time, h.threads, enc.EncodeToString(salt), enc.EncodeToString(key))
}

// Verify reports whether password matches the PHC string, and whether the
// hash should be replaced because its parameters differ from h's.
func (h *Hasher) Verify(ctx context.Context, phc, password string) (ok, rehash bool, err error) {
	parts := strings.Split(phc, "$")
	if len(parts) != 6 || parts[1] != "argon2id" {
		return false, false, fmt.Errorf("verify password: unknown hash format")
	}
	var version int
	if _, err := fmt.Sscanf(parts[2], "v=%d", &version); err != nil || version != argon2.Version {
		return false, false, fmt.Errorf("verify password: unsupported argon2 version")
	}
	var m, t uint32
	var p uint8
	if _, err := fmt.Sscanf(parts[3], "m=%d,t=%d,p=%d", &m, &t, &p); err != nil {
		return false, false, fmt.Errorf("verify password: parameters: %w", err)
	}
	enc := base64.RawStdEncoding
	salt, err := enc.DecodeString(parts[4])
	if err != nil {
		return false, false, fmt.Errorf("verify password: salt: %w", err)
	}
	want, err := enc.DecodeString(parts[5])
	if err != nil {
		return false, false, fmt.Errorf("verify password: hash: %w", err)
	}
	if err := h.acquire(ctx); err != nil {
		return false, false, err
	}
	got := argon2.IDKey([]byte(password), salt, t, m, p, uint32(len(want)))
	h.release()
	ok = subtle.ConstantTimeCompare(got, want) == 1
	return ok, ok && (m != h.memory || t != h.time || p != h.threads), nil
}
