// Package accounts owns people's accounts: sign-up with a handle and a
// password only, log-in with rate limits that never reveal whether a handle
// exists, server-side sessions, personal access tokens and profiles.
package accounts

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"kindred"
	"kindred/internal/audit"
	"kindred/internal/ratelimit"
)

// Store is what the service needs from storage.
type Store interface {
	CreateAccount(ctx context.Context, a *kindred.Account) error
	FindAccount(ctx context.Context, id string) (*kindred.Account, error)
	FindAccountByHandle(ctx context.Context, handle string) (*kindred.Account, error)
	UpdateAccount(ctx context.Context, id string, u kindred.AccountUpdate) (*kindred.Account, error)
	CountAccounts(ctx context.Context) (int, error)
	CreateSession(ctx context.Context, s *kindred.Session) error
	FindSession(ctx context.Context, id string, now time.Time) (*kindred.Session, *kindred.Account, error)
	TouchSession(ctx context.Context, id string, lastSeen, expires time.Time) error
	ListSessions(ctx context.Context, accountID string, now time.Time) ([]*kindred.Session, error)
	DeleteSession(ctx context.Context, id string) error
	DeleteAccountSessions(ctx context.Context, accountID string) (int, error)
	CreateToken(ctx context.Context, t *kindred.Token) error
	FindTokenByHash(ctx context.Context, hash string, now time.Time) (*kindred.Token, *kindred.Account, error)
	ListTokens(ctx context.Context, accountID string) ([]*kindred.Token, error)
	DeleteToken(ctx context.Context, accountID, id string) error
	AppendAudit(ctx context.Context, e *kindred.AuditEntry) error
	kindred.SecurityStore
}

// Options tune the service; zero values pick safe defaults.
type Options struct {
	Hasher     *Hasher
	Now        func() time.Time
	Logger     *slog.Logger
	SessionTTL time.Duration // idle lifetime of a session; default 30 days
	// Limits per client (a hashed network address) and per handle.
	SignupEvery, LoginEvery time.Duration
	SignupBurst, LoginBurst int
	// Broker, when set, hears when an account's sessions end or it is
	// suspended, so its live connections close at once.
	Broker kindred.Broker
	// PublicURL is the instance's address as people's browsers see it
	// (default http://localhost:8080); passkeys are bound to its host.
	PublicURL string
	// SealKey, when set (32 bytes or more, from the operator's
	// configuration), encrypts two-factor secrets; else a key kept in the
	// database does.
	SealKey []byte
	// Throttle tunes the durable log-in throttle; zero values pick
	// DefaultThrottle.
	Throttle Throttle
}

// Service is the accounts service.
type Service struct {
	store      Store
	hash       *Hasher
	now        func() time.Time
	log        *slog.Logger
	sessionTTL time.Duration
	dummyHash  string
	audit      *audit.Recorder
	broker     kindred.Broker

	signupByClient *ratelimit.Limiter
	loginByClient  *ratelimit.Limiter
	loginByHandle  *ratelimit.Limiter

	publicURL string
	issuer    string
	sealKey   []byte
	throttle  Throttle
	keys      instanceKeys
	webauthn  webauthnConfig
}

// New returns the service.
func New(store Store, o Options) *Service {
	if o.Hasher == nil {
		o.Hasher = NewHasher(2)
	}
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.SessionTTL == 0 {
		o.SessionTTL = 30 * 24 * time.Hour
	}
	if o.SignupEvery == 0 {
		o.SignupEvery, o.SignupBurst = 10*time.Minute, 5
	}
	if o.LoginEvery == 0 {
		o.LoginEvery, o.LoginBurst = time.Minute, 10
	}
	s := &Service{
		store: store, hash: o.Hasher, now: o.Now, log: o.Logger, sessionTTL: o.SessionTTL,
		signupByClient: ratelimit.New(o.SignupEvery, o.SignupBurst, 100_000, o.Now),
		loginByClient:  ratelimit.New(o.LoginEvery, o.LoginBurst, 100_000, o.Now),
		loginByHandle:  ratelimit.New(o.LoginEvery, o.LoginBurst, 100_000, o.Now),
		audit:          audit.New(store, o.Now, o.Logger),
		broker:         o.Broker,
		sealKey:        o.SealKey,
		throttle:       o.Throttle.withDefaults(),
	}
	if err := s.configurePublicURL(o.PublicURL); err != nil {
		// A bad URL is a configuration error that config.Validate reports
		// first; here passkeys simply stay unavailable.
		s.log.Error("passkeys unavailable", "err", err)
	}
	// Log-in with an unknown handle still spends one hash, on this, so the
	// answer takes as long as for a known handle with a wrong password.
	s.dummyHash = s.hash.Dummy()
	return s
}

// HashSecret returns the hex SHA-256 under which a session or token secret
// is stored. Secrets carry 256 random bits, so a fast hash is enough.
func HashSecret(secret string) string {
	sum := sha256.Sum256([]byte(secret))
	return hex.EncodeToString(sum[:])
}

var errSlowDown = kindred.Errorf(kindred.ERATELIMIT, "That was a lot of tries in a short time. Please wait a few minutes and try again.")

// SignUp creates an account and signs the person in, returning the new
// session's secret. client is an opaque, hashed key for the network
// address, used only for rate limiting; label names the device.
func (s *Service) SignUp(ctx context.Context, d kindred.SignupDraft, client, label string) (*kindred.Account, string, error) {
	if err := d.Validate(); err != nil {
		return nil, "", err
	}
	if !s.signupByClient.Allow(client) {
		return nil, "", errSlowDown
	}
	a, err := s.create(ctx, d, false)
	if err != nil {
		return nil, "", err
	}
	// A new account holds no role yet: a password is all it needs. Should
	// it become staff, this session is asked for a second step then.
	secret, err := s.startSession(ctx, a.ID, label, "", s.sessionTTL)
	if err != nil {
		return nil, "", err
	}
	return a, secret, nil
}

func (s *Service) create(ctx context.Context, d kindred.SignupDraft, operator bool) (*kindred.Account, error) {
	hash, err := s.hash.Hash(ctx, d.Password)
	if err != nil {
		return nil, fmt.Errorf("sign up: %w", err)
	}
	a := &kindred.Account{
		ID: kindred.NewID(), Handle: d.Handle, DisplayName: d.DisplayName, Pronouns: d.Pronouns,
		Email: d.Email, AgeBand: d.AgeBand, PasswordHash: hash, IsOperator: operator, CreatedAt: s.now().UTC(),
	}
	if err := s.store.CreateAccount(ctx, a); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return nil, &kindred.Error{Code: kindred.EINVALID, Message: "Some of what you entered needs another look.",
				Fields: map[string]string{"handle": "That handle is already taken. Try adding a word or a number."}}
		}
		return nil, fmt.Errorf("sign up: %w", err)
	}
	return a, nil
}

// Bootstrap creates the instance operator's account on a fresh instance. It
// fails with ECONFLICT once any account exists, so it cannot be used to take
// over a running instance.
func (s *Service) Bootstrap(ctx context.Context, d kindred.SignupDraft) (*kindred.Account, error) {
	if err := d.Validate(); err != nil {
		return nil, err
	}
	n, err := s.store.CountAccounts(ctx)
	if err != nil {
		return nil, fmt.Errorf("bootstrap: %w", err)
	}
	if n > 0 {
		return nil, kindred.Errorf(kindred.ECONFLICT, "This Kindred is already set up. Please log in.")
	}
	a, err := s.create(ctx, d, true)
	if err != nil {
		return nil, err
	}
	s.audit.Record(ctx, "", a.ID, "instance.bootstrap", a.ID, "first operator account")
	return a, nil
}

// NeedsSetup reports whether the instance has no account yet.
func (s *Service) NeedsSetup(ctx context.Context) (bool, error) {
	n, err := s.store.CountAccounts(ctx)
	return n == 0, err
}

var errBadLogin = kindred.Errorf(kindred.EUNAUTHORIZED, "That handle and password don't match. Please check them and try again.")

// LogIn checks a handle and password and starts a session. It answers the
// same way, in about the same time, whether or not the handle exists.
// It returns the session secret for the cookie. When the account uses an
// authenticator app, the session waits for a code (see LogInWith).
func (s *Service) LogIn(ctx context.Context, handle, password, client, label string) (*kindred.Account, string, error) {
	r, err := s.LogInWith(ctx, LoginAttempt{Handle: handle, Password: password, Client: client, Label: label})
	if err != nil {
		return nil, "", err
	}
	return r.Account, r.Secret, nil
}

// StartSession creates a session for an account that has passed every
// sign-in step, and returns its secret. It is for callers that verified
// the person themselves: the instance's first set-up, and tests.
func (s *Service) StartSession(ctx context.Context, accountID, label string) (string, error) {
	return s.startSession(ctx, accountID, label, kindred.TwoStepTrusted, s.sessionTTL)
}

// startSession creates a session that passed the second step as twoStep
// ("" for a password alone) and lasts ttl.
func (s *Service) startSession(ctx context.Context, accountID, label, twoStep string, ttl time.Duration) (string, error) {
	now := s.now().UTC()
	secret := kindred.NewSecret()
	sess := &kindred.Session{
		ID: HashSecret(secret), AccountID: accountID, CreatedAt: now, LastSeenAt: now,
		ExpiresAt: now.Add(ttl), Label: label, TwoStep: twoStep,
	}
	if err := s.store.CreateSession(ctx, sess); err != nil {
		return "", fmt.Errorf("start session: %w", err)
	}
	return secret, nil
}

// SessionActor returns the actor for a session cookie's secret, or nil when
// the session does not exist, has expired, or still waits for a two-step
// code. Active sessions slide forward at most once an hour, so reading a
// page rarely writes.
func (s *Service) SessionActor(ctx context.Context, secret string) (*kindred.Actor, error) {
	actor, gate, err := s.SessionState(ctx, secret)
	if err != nil || gate == GateCode {
		return nil, err
	}
	return actor, nil
}

// TokenActor returns the actor for a personal access token, or nil.
func (s *Service) TokenActor(ctx context.Context, secret string) (*kindred.Actor, error) {
	if secret == "" {
		return nil, nil
	}
	tok, acct, err := s.store.FindTokenByHash(ctx, HashSecret(secret), s.now().UTC())
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	return &kindred.Actor{Account: acct, TokenID: tok.ID}, nil
}

func requireSignedIn(actor *kindred.Actor) error {
	if !actor.SignedIn() {
		return kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first.")
	}
	return nil
}

// LogOut ends the actor's current session.
func (s *Service) LogOut(ctx context.Context, actor *kindred.Actor) error {
	if actor == nil || actor.SessionID == "" {
		return nil
	}
	err := s.store.DeleteSession(ctx, actor.SessionID)
	if err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
		return fmt.Errorf("log out: %w", err)
	}
	s.accessChanged(ctx, actor.AccountID())
	return nil
}

// LogOutEverywhere ends every session of the actor's account, this one too,
// and returns how many ended.
func (s *Service) LogOutEverywhere(ctx context.Context, actor *kindred.Actor) (int, error) {
	if err := requireSignedIn(actor); err != nil {
		return 0, err
	}
	n, err := s.store.DeleteAccountSessions(ctx, actor.AccountID())
	if err != nil {
		return 0, fmt.Errorf("log out everywhere: %w", err)
	}
	s.audit.Record(ctx, "", actor.AccountID(), "account.logout_all", actor.AccountID(), fmt.Sprintf("%d sessions ended", n))
	s.accessChanged(ctx, actor.AccountID())
	return n, nil
}

// accessChanged tells live connections of the account to re-check.
func (s *Service) accessChanged(ctx context.Context, accountID string) {
	if err := kindred.AnnounceAccess(ctx, s.broker, accountID); err != nil {
		s.log.ErrorContext(ctx, "access change not announced", "err", err)
	}
}

// Suspend stops (or, with suspend false, restores) an account everywhere
// on the instance: it can still read its own data but not take part, and
// its live connections close at once. Only instance operators may; it is
// audited. (Organisation moderators' time-limited suspensions come with
// the moderation tools.)
func (s *Service) Suspend(ctx context.Context, actor *kindred.Actor, accountID string, suspend bool) (*kindred.Account, error) {
	if err := requireSignedIn(actor); err != nil {
		return nil, err
	}
	if !actor.Account.IsOperator {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Only the instance's operators can suspend accounts.")
	}
	if accountID == actor.AccountID() {
		return nil, kindred.Errorf(kindred.EINVALID, "You can't suspend your own account.")
	}
	var at *time.Time
	action := "account.unsuspend"
	if suspend {
		now := s.now().UTC()
		at, action = &now, "account.suspend"
	}
	a, err := s.store.UpdateAccount(ctx, accountID, kindred.AccountUpdate{SuspendedAt: &at})
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that account.")
	}
	if err != nil {
		return nil, fmt.Errorf("suspend: %w", err)
	}
	s.audit.Record(ctx, "", actor.AccountID(), action, accountID, "")
	s.accessChanged(ctx, accountID)
	return a, nil
}

// Sessions lists the actor's signed-in sessions, newest first.
func (s *Service) Sessions(ctx context.Context, actor *kindred.Actor) ([]*kindred.Session, error) {
	if err := requireSignedIn(actor); err != nil {
		return nil, err
	}
	return s.store.ListSessions(ctx, actor.AccountID(), s.now().UTC())
}

// UpdateProfile changes the actor's display name, pronouns, bio or email.
func (s *Service) UpdateProfile(ctx context.Context, actor *kindred.Actor, u kindred.ProfileUpdate) (*kindred.Account, error) {
	if err := requireSignedIn(actor); err != nil {
		return nil, err
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	a, err := s.store.UpdateAccount(ctx, actor.AccountID(), kindred.AccountUpdate{ProfileUpdate: u})
	if err != nil {
		return nil, fmt.Errorf("update profile: %w", err)
	}
	return a, nil
}

// ChangePassword replaces the actor's password after checking the current
// one, and ends every other session.
func (s *Service) ChangePassword(ctx context.Context, actor *kindred.Actor, current, next string) error {
	if err := requireSignedIn(actor); err != nil {
		return err
	}
	d := kindred.SignupDraft{Handle: actor.Account.Handle, Password: next, AgeBand: kindred.AgeAdult}
	if err := d.Validate(); err != nil {
		if f := kindred.ErrorFields(err)["password"]; f != "" {
			return &kindred.Error{Code: kindred.EINVALID, Message: "Some of what you entered needs another look.", Fields: map[string]string{"new_password": f}}
		}
	}
	ok, _, err := s.hash.Verify(ctx, actor.Account.PasswordHash, current)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if !ok {
		return &kindred.Error{Code: kindred.EINVALID, Message: "Some of what you entered needs another look.", Fields: map[string]string{"current_password": "That is not your current password."}}
	}
	h, err := s.hash.Hash(ctx, next)
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	if _, err := s.store.UpdateAccount(ctx, actor.AccountID(), kindred.AccountUpdate{PasswordHash: &h}); err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	sessions, err := s.store.ListSessions(ctx, actor.AccountID(), s.now().UTC())
	if err != nil {
		return fmt.Errorf("change password: %w", err)
	}
	for _, sess := range sessions {
		if sess.ID != actor.SessionID {
			if err := s.store.DeleteSession(ctx, sess.ID); err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
				return fmt.Errorf("change password: %w", err)
			}
		}
	}
	s.audit.Record(ctx, "", actor.AccountID(), "account.password", actor.AccountID(), "password changed; other sessions ended")
	s.accessChanged(ctx, actor.AccountID())
	return nil
}

// CreateToken makes a personal access token and returns it with its secret,
// which is shown once and never stored.
func (s *Service) CreateToken(ctx context.Context, actor *kindred.Actor, name string) (*kindred.Token, string, error) {
	if err := requireSignedIn(actor); err != nil {
		return nil, "", err
	}
	v := kindred.Invalid{}
	if name == "" {
		v.Add("name", "Please name the token, so you recognise it later.")
	} else if len([]rune(name)) > kindred.MaxTokenName {
		v.Add("name", "Please keep the name to 60 characters or fewer.")
	}
	if err := v.Err(); err != nil {
		return nil, "", err
	}
	secret := "kdt_" + kindred.NewSecret()
	t := &kindred.Token{ID: kindred.NewID(), AccountID: actor.AccountID(), Name: name, Hash: HashSecret(secret), CreatedAt: s.now().UTC()}
	if err := s.store.CreateToken(ctx, t); err != nil {
		return nil, "", fmt.Errorf("create token: %w", err)
	}
	s.audit.Record(ctx, "", actor.AccountID(), "token.create", t.ID, "")
	return t, secret, nil
}

// Tokens lists the actor's tokens.
func (s *Service) Tokens(ctx context.Context, actor *kindred.Actor) ([]*kindred.Token, error) {
	if err := requireSignedIn(actor); err != nil {
		return nil, err
	}
	return s.store.ListTokens(ctx, actor.AccountID())
}

// DeleteToken revokes one of the actor's tokens.
func (s *Service) DeleteToken(ctx context.Context, actor *kindred.Actor, id string) error {
	if err := requireSignedIn(actor); err != nil {
		return err
	}
	if err := s.store.DeleteToken(ctx, actor.AccountID(), id); err != nil {
		if kindred.ErrorCode(err) == kindred.ENOTFOUND {
			return err
		}
		return fmt.Errorf("delete token: %w", err)
	}
	s.audit.Record(ctx, "", actor.AccountID(), "token.delete", id, "")
	return nil
}

// IsBadLogin reports whether err is the uniform "handle and password don't match" answer.
func IsBadLogin(err error) bool { return errors.Is(err, errBadLogin) }
