package accounts

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"math"
	"sync"
	"time"

	"kindred"
)

// LoginAttempt is one log-in with a password.
type LoginAttempt struct {
	Handle, Password string
	// Client is an opaque key for the network address (the web layer's
	// HMAC of it); it is hashed again here and never stored as given.
	Client string
	// SharedNetwork says the address is on a network the operator listed
	// as shared by many people (a school, a clinic): its per-address
	// limit is much higher. The per-account limit is the same.
	SharedNetwork bool
	Label         string // device label for the session list
}

// LoginResult is a successful password check.
type LoginResult struct {
	Account *kindred.Account
	Secret  string // the session cookie's secret
	// NeedsCode is true when the account uses an authenticator app: the
	// session works only for entering the code (VerifySessionCode) until
	// then, and ends in CodeWait if no code comes.
	NeedsCode bool
}

// CodeWait is how long a session waits for its two-step code.
const CodeWait = 10 * time.Minute

// Throttle is the durable log-in throttle: failures counted in the
// database (so every node and every restart sees them) per account and
// per address. After Free failures under a key, each further failure
// locks that key for Base, doubling, up to Max. A key's count starts
// afresh after Forget without failures, and a successful log-in clears the
// account's count (not the address's: one good account must not launder
// an address that is guessing others).
type Throttle struct {
	AccountFree, AddressFree, SharedAddressFree int
	Base, Max, Forget                           time.Duration
}

// DefaultThrottle: five wrong passwords on an account, twenty from an
// address (two hundred from a shared network), then 15 s, 30 s, 1 min…
// up to 15 minutes between tries.
var DefaultThrottle = Throttle{AccountFree: 5, AddressFree: 20, SharedAddressFree: 200,
	Base: 15 * time.Second, Max: 15 * time.Minute, Forget: 6 * time.Hour}

func (t Throttle) withDefaults() Throttle {
	d := DefaultThrottle
	if t.AccountFree > 0 {
		d.AccountFree = t.AccountFree
	}
	if t.AddressFree > 0 {
		d.AddressFree = t.AddressFree
	}
	if t.SharedAddressFree > 0 {
		d.SharedAddressFree = t.SharedAddressFree
	}
	if t.Base > 0 {
		d.Base = t.Base
	}
	if t.Max > 0 {
		d.Max = t.Max
	}
	if t.Forget > 0 {
		d.Forget = t.Forget
	}
	return d
}

// lockFor is how long the key is locked after its n-th failure.
func (t Throttle) lockFor(n, free int) time.Duration {
	if n < free {
		return 0
	}
	exp := n - free
	if exp > 20 {
		return t.Max
	}
	d := t.Base * time.Duration(math.Pow(2, float64(exp)))
	return min(d, t.Max)
}

// instanceKeys caches secrets every node shares, read from the store on
// first use.
type instanceKeys struct {
	mu     sync.Mutex
	byName map[string][]byte
}

func (s *Service) instanceKey(ctx context.Context, name string) ([]byte, error) {
	s.keys.mu.Lock()
	defer s.keys.mu.Unlock()
	if k, ok := s.keys.byName[name]; ok {
		return k, nil
	}
	k, err := s.store.InstanceSecret(ctx, name, []byte(kindred.NewSecret()+kindred.NewSecret()))
	if err != nil {
		return nil, fmt.Errorf("instance key %s: %w", name, err)
	}
	if s.keys.byName == nil {
		s.keys.byName = map[string][]byte{}
	}
	s.keys.byName[name] = k
	return k, nil
}

// AddressKey returns a stable opaque key for a network address: the same
// on every node and after restarts, for the durable throttle. The raw
// address is never stored.
func (s *Service) AddressKey(ctx context.Context) ([]byte, error) {
	return s.instanceKey(ctx, "client-address")
}

// throttleKeys returns the account and address keys of an attempt.
func (s *Service) throttleKeys(ctx context.Context, handle, client string) (string, string, error) {
	k, err := s.instanceKey(ctx, "login-throttle")
	if err != nil {
		return "", "", err
	}
	mac := func(kind, v string) string {
		m := hmac.New(sha256.New, k)
		m.Write([]byte(kind + "\x00" + v))
		return kind + ":" + hex.EncodeToString(m.Sum(nil)[:20])
	}
	return mac("h", kindred.NormalizeHandle(handle)), mac("a", client), nil
}

// lockedError tells a person kindly how long to wait.
func lockedError(wait time.Duration) error {
	var when string
	switch {
	case wait <= time.Minute:
		when = "a minute"
	default:
		when = fmt.Sprintf("%d minutes", int(math.Ceil(wait.Minutes())))
	}
	return kindred.Errorf(kindred.ERATELIMIT, "There have been several tries that didn't match, so to keep the account safe we've paused log-in for about %s. Please wait and try again. If you've forgotten your password, ask an admin of your community for help.", when)
}

// checkLocks refuses an attempt while either key is locked.
func (s *Service) checkLocks(ctx context.Context, now time.Time, keys ...string) error {
	for _, k := range keys {
		l, err := s.store.FindLoginThrottle(ctx, k)
		if kindred.ErrorCode(err) == kindred.ENOTFOUND {
			continue
		}
		if err != nil {
			return fmt.Errorf("login throttle: %w", err)
		}
		if l.LockedUntil != nil && l.LockedUntil.After(now) {
			return lockedError(l.LockedUntil.Sub(now))
		}
	}
	return nil
}

// countFailure records a failure under key and locks it when it is due.
func (s *Service) countFailure(ctx context.Context, key string, free int, now time.Time) {
	l, err := s.store.RecordLoginFailure(ctx, key, now, now.Add(-s.throttle.Forget))
	if err != nil {
		s.log.ErrorContext(ctx, "record login failure", "err", err)
		return
	}
	if d := s.throttle.lockFor(l.Failures, free); d > 0 {
		if err := s.store.LockLogin(ctx, key, now.Add(d)); err != nil {
			s.log.ErrorContext(ctx, "lock login", "err", err)
		}
	}
}

// LogInWith checks a handle and password, subject to the in-memory rate
// limits and the durable throttle, and starts a session. It answers the
// same way whether or not the handle exists, locks included: the account
// key is derived from the handle as typed.
func (s *Service) LogInWith(ctx context.Context, at LoginAttempt) (*LoginResult, error) {
	norm := kindred.NormalizeHandle(at.Handle)
	// Limit by handle whether or not it exists, so the limit reveals nothing.
	if !s.loginByClient.Allow(at.Client) || !s.loginByHandle.Allow(HashSecret(norm)) {
		return nil, errSlowDown
	}
	if norm == "" || at.Password == "" || len(at.Password) > kindred.MaxPassword {
		return nil, errBadLogin
	}
	now := s.now().UTC()
	acctKey, addrKey, err := s.throttleKeys(ctx, norm, at.Client)
	if err != nil {
		return nil, fmt.Errorf("log in: %w", err)
	}
	if err := s.checkLocks(ctx, now, acctKey, addrKey); err != nil {
		return nil, err
	}
	addrFree := s.throttle.AddressFree
	if at.SharedNetwork {
		addrFree = s.throttle.SharedAddressFree
	}
	fail := func() (*LoginResult, error) {
		s.countFailure(ctx, acctKey, s.throttle.AccountFree, now)
		s.countFailure(ctx, addrKey, addrFree, now)
		return nil, errBadLogin
	}
	a, err := s.store.FindAccountByHandle(ctx, norm)
	if err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
		return nil, fmt.Errorf("log in: %w", err)
	}
	if a == nil {
		_, _, _ = s.hash.Verify(ctx, s.dummyHash, at.Password)
		return fail()
	}
	ok, rehash, err := s.hash.Verify(ctx, a.PasswordHash, at.Password)
	if err != nil {
		return nil, fmt.Errorf("log in: %w", err)
	}
	if !ok {
		return fail()
	}
	if err := s.store.ClearLoginFailures(ctx, acctKey); err != nil {
		s.log.WarnContext(ctx, "clear login failures", "err", err)
	}
	if rehash {
		if h, err := s.hash.Hash(ctx, at.Password); err == nil {
			if _, err := s.store.UpdateAccount(ctx, a.ID, kindred.AccountUpdate{PasswordHash: &h}); err != nil {
				s.log.WarnContext(ctx, "rehash password", "err", err)
			}
		}
	}
	needs, err := s.store.AccountTwoStepNeeds(ctx, a.ID)
	if err != nil {
		return nil, fmt.Errorf("log in: %w", err)
	}
	ttl := s.sessionTTL
	if needs.HasTOTP {
		ttl = CodeWait
	}
	secret, err := s.startSession(ctx, a.ID, at.Label, "", ttl)
	if err != nil {
		return nil, err
	}
	return &LoginResult{Account: a, Secret: secret, NeedsCode: needs.HasTOTP}, nil
}

// Gate says what a signed-in session may do before its second step.
type Gate int

const (
	GateNone  Gate = iota // nothing more needed
	GateCode              // the account uses an authenticator app: only entering the code works
	GateEnrol             // staff without a second step: staff pages wait for set-up
)

// SessionState returns the actor for a session cookie's secret (nil when
// there is no such session) and what it still needs. Sessions that passed
// a second step cost no more than before; password-only sessions cost
// one more small query.
func (s *Service) SessionState(ctx context.Context, secret string) (*kindred.Actor, Gate, error) {
	if secret == "" {
		return nil, GateNone, nil
	}
	now := s.now().UTC()
	sess, acct, err := s.store.FindSession(ctx, HashSecret(secret), now)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, GateNone, nil
	}
	if err != nil {
		return nil, GateNone, fmt.Errorf("session: %w", err)
	}
	gate := GateNone
	if sess.TwoStep == "" {
		needs, err := s.store.AccountTwoStepNeeds(ctx, acct.ID)
		if err != nil {
			return nil, GateNone, fmt.Errorf("session: %w", err)
		}
		switch {
		case needs.HasTOTP:
			gate = GateCode
		case needs.Staff:
			gate = GateEnrol
		}
	}
	// A session waiting for its code never slides: it ends in CodeWait.
	if gate != GateCode && now.Sub(sess.LastSeenAt) > time.Hour {
		if err := s.store.TouchSession(ctx, sess.ID, now, now.Add(s.sessionTTL)); err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
			s.log.WarnContext(ctx, "touch session", "err", err)
		}
	}
	return &kindred.Actor{Account: acct, SessionID: sess.ID}, gate, nil
}
