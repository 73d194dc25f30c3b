package kindred

import (
	"context"
	"time"
)

// Account protection (issue 5, item 9): passkeys, two-factor codes for
// staff, login throttling and sessions a person can see and end.

// Ways a session passed the second sign-in step (Session.TwoStep). A
// session with none has only a password behind it.
const (
	TwoStepTOTP     = "totp"     // a code from an authenticator app
	TwoStepRecovery = "recovery" // a one-time recovery code
	TwoStepPasskey  = "passkey"  // signed in with a passkey
	// TwoStepTrusted marks sessions started by code that has verified the
	// person by other means: the instance's first set-up, and tests.
	TwoStepTrusted = "trusted"
)

// Passkey is a WebAuthn credential a person registered to sign in with.
// Credential is the library's own record of it (public key, sign count,
// flags) as JSON; nothing in it is secret.
type Passkey struct {
	ID           string
	AccountID    string
	Name         string // chosen by the person, e.g. "my phone"
	CredentialID []byte
	Credential   []byte
	CreatedAt    time.Time
	LastUsedAt   *time.Time
}

// MaxPasskeyName limits a passkey's name.
const MaxPasskeyName = 60

// TwoFactor is an account's authenticator-app (TOTP) set-up. Secret is
// sealed (see accounts.Sealer); EnabledAt is nil while the person has not
// yet confirmed a first code. LastStep is the last 30-second step whose
// code was accepted, so each code works once.
type TwoFactor struct {
	AccountID string
	Secret    []byte
	EnabledAt *time.Time
	LastStep  int64
	CreatedAt time.Time
}

// WebAuthnCeremony is the server's half of a passkey registration or
// sign-in in progress: single use, and short-lived.
type WebAuthnCeremony struct {
	ID        string
	Kind      string // "register" or "login"
	AccountID string // for registration; empty for sign-in
	Data      []byte // the library's session data, JSON
	ExpiresAt time.Time
}

// LoginThrottle counts failed log-ins under one key: an HMAC of a handle
// or of a network address, never the raw value.
type LoginThrottle struct {
	Key         string
	Failures    int
	LastFailure time.Time
	LockedUntil *time.Time
}

// TwoStepNeeds says what an account's password-only session still needs.
type TwoStepNeeds struct {
	HasTOTP bool // the account confirmed an authenticator app
	Staff   bool // it holds moderator, coordinator or admin in an organisation
}

// SecurityStore keeps passkeys, two-factor secrets and login attempts.
type SecurityStore interface {
	// Passkeys. CreatePasskey is ECONFLICT when the credential id is
	// already registered (to anyone).
	CreatePasskey(ctx context.Context, p *Passkey) error
	ListPasskeys(ctx context.Context, accountID string) ([]*Passkey, error) // oldest first
	FindPasskeyByCredentialID(ctx context.Context, credentialID []byte) (*Passkey, error)
	// UsePasskey records a sign-in: the updated credential (sign count) and the time.
	UsePasskey(ctx context.Context, id string, credential []byte, at time.Time) error
	DeletePasskey(ctx context.Context, accountID, id string) error
	// WebAuthnUserHandle returns the account's random WebAuthn user handle,
	// storing candidate as it when it has none yet.
	WebAuthnUserHandle(ctx context.Context, accountID string, candidate []byte) ([]byte, error)
	// FindAccountByWebAuthnHandle returns the account with that user handle.
	FindAccountByWebAuthnHandle(ctx context.Context, handle []byte) (*Account, error)
	// SaveWebAuthnCeremony stores a ceremony; TakeWebAuthnCeremony removes
	// and returns it, ENOTFOUND when it is gone or expired at now.
	SaveWebAuthnCeremony(ctx context.Context, c *WebAuthnCeremony) error
	TakeWebAuthnCeremony(ctx context.Context, id string, now time.Time) (*WebAuthnCeremony, error)

	// Two-factor codes. SaveTwoFactor creates or replaces the account's
	// set-up and deletes its recovery codes; FindTwoFactor is ENOTFOUND
	// when there is none.
	SaveTwoFactor(ctx context.Context, f *TwoFactor) error
	FindTwoFactor(ctx context.Context, accountID string) (*TwoFactor, error)
	// EnableTwoFactor confirms the set-up at `at`, records step as used and
	// stores the recovery codes' hashes, in one transaction.
	EnableTwoFactor(ctx context.Context, accountID string, step int64, at time.Time, recoveryHashes []string) error
	// UseTOTPStep records step as used; ECONFLICT when it, or a later one,
	// was used already (so a code works once, even across nodes).
	UseTOTPStep(ctx context.Context, accountID string, step int64) error
	// UseRecoveryCode removes one unused recovery code; ENOTFOUND when the
	// hash is not one of the account's.
	UseRecoveryCode(ctx context.Context, accountID, hash string) error
	CountRecoveryCodes(ctx context.Context, accountID string) (int, error)
	// DeleteTwoFactor removes the set-up and its recovery codes.
	DeleteTwoFactor(ctx context.Context, accountID string) error
	// AccountTwoStepNeeds answers, in one query, whether the account has
	// confirmed TOTP and whether it holds a staff role anywhere.
	AccountTwoStepNeeds(ctx context.Context, accountID string) (TwoStepNeeds, error)

	// Sessions' second step: MarkSessionTwoStep records how the session
	// passed it and moves its expiry.
	MarkSessionTwoStep(ctx context.Context, sessionID, method string, expires time.Time) error

	// Login throttling. RecordLoginFailure counts one failure under key at
	// now, starting the count afresh when the last failure was before
	// staleBefore, and returns the new state.
	FindLoginThrottle(ctx context.Context, key string) (*LoginThrottle, error) // ENOTFOUND when none
	RecordLoginFailure(ctx context.Context, key string, now, staleBefore time.Time) (*LoginThrottle, error)
	LockLogin(ctx context.Context, key string, until time.Time) error
	ClearLoginFailures(ctx context.Context, key string) error

	// InstanceSecret returns the instance's secret called name, storing
	// candidate as it the first time. Every node gets the same bytes.
	InstanceSecret(ctx context.Context, name string, candidate []byte) ([]byte, error)
}

// TwoStepRoles are the roles whose holders must use a second sign-in step
// (an authenticator app or a passkey) before their staff powers work.
const TwoStepRoles = RoleCoordinator | RoleModerator | RoleAdmin
