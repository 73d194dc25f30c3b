package accounts

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"

	"kindred"
)

// TwoFactorStatus is what the security page and the API show.
type TwoFactorStatus struct {
	Enabled       bool
	RecoveryLeft  int
	Pending       bool   // set up but not yet confirmed with a code
	PendingSecret string // base32, grouped, while pending
	PendingURI    string // otpauth:// link, while pending
	Required      bool   // the person holds a staff role
}

// RecoveryCodeCount is how many recovery codes a person gets.
const RecoveryCodeCount = 10

func (s *Service) sealerFor(ctx context.Context) (*sealer, error) {
	key := s.sealKey
	if len(key) == 0 {
		k, err := s.instanceKey(ctx, "two-factor-seal")
		if err != nil {
			return nil, err
		}
		key = k
	}
	return newSealer(key)
}

var errBadCode = &kindred.Error{Code: kindred.EINVALID, Message: "That code didn't work.",
	Fields: map[string]string{"code": "That code didn't match. Codes change every 30 seconds: please type the one your app shows now, or use one of your recovery codes."}}

// TwoFactor returns the actor's two-step set-up.
func (s *Service) TwoFactor(ctx context.Context, actor *kindred.Actor) (*TwoFactorStatus, error) {
	if err := requireSignedIn(actor); err != nil {
		return nil, err
	}
	needs, err := s.store.AccountTwoStepNeeds(ctx, actor.AccountID())
	if err != nil {
		return nil, fmt.Errorf("two-factor: %w", err)
	}
	st := &TwoFactorStatus{Required: needs.Staff}
	f, err := s.store.FindTwoFactor(ctx, actor.AccountID())
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return st, nil
	}
	if err != nil {
		return nil, fmt.Errorf("two-factor: %w", err)
	}
	if f.EnabledAt != nil {
		st.Enabled = true
		if st.RecoveryLeft, err = s.store.CountRecoveryCodes(ctx, actor.AccountID()); err != nil {
			return nil, fmt.Errorf("two-factor: %w", err)
		}
		return st, nil
	}
	sl, err := s.sealerFor(ctx)
	if err != nil {
		return nil, err
	}
	secret, err := sl.open(actor.AccountID(), f.Secret)
	if err != nil {
		return nil, fmt.Errorf("two-factor: open secret: %w", err)
	}
	st.Pending, st.PendingSecret = true, GroupSecret(EncodeTOTPSecret(secret))
	st.PendingURI = OTPAuthURI(s.issuer, actor.Account.Handle, secret)
	return st, nil
}

// BeginTwoFactor makes a new secret for the actor to add to an
// authenticator app; it works once a first code is confirmed.
func (s *Service) BeginTwoFactor(ctx context.Context, actor *kindred.Actor) (*TwoFactorStatus, error) {
	return s.beginTwoFactor(ctx, actor, NewTOTPSecret())
}

// BeginTwoFactorWithSecret is BeginTwoFactor with a given secret: only
// for the demo community, whose staff share a documented secret.
func (s *Service) BeginTwoFactorWithSecret(ctx context.Context, actor *kindred.Actor, secret []byte) (*TwoFactorStatus, error) {
	return s.beginTwoFactor(ctx, actor, secret)
}

func (s *Service) beginTwoFactor(ctx context.Context, actor *kindred.Actor, secret []byte) (*TwoFactorStatus, error) {
	if err := requireSignedIn(actor); err != nil {
		return nil, err
	}
	f, err := s.store.FindTwoFactor(ctx, actor.AccountID())
	if err == nil && f.EnabledAt != nil {
		return nil, kindred.Errorf(kindred.ECONFLICT, "Two-step codes are already on. To move to a new app, turn them off first, then set them up again.")
	}
	if err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
		return nil, fmt.Errorf("begin two-factor: %w", err)
	}
	sl, err := s.sealerFor(ctx)
	if err != nil {
		return nil, err
	}
	if err := s.store.SaveTwoFactor(ctx, &kindred.TwoFactor{AccountID: actor.AccountID(), Secret: sl.seal(actor.AccountID(), secret),
		CreatedAt: s.now().UTC()}); err != nil {
		return nil, fmt.Errorf("begin two-factor: %w", err)
	}
	return s.TwoFactor(ctx, actor)
}

// ConfirmTwoFactor turns two-step codes on once the person types a code
// from their app, and returns recovery codes, shown this once. The current
// session counts as having passed the second step.
func (s *Service) ConfirmTwoFactor(ctx context.Context, actor *kindred.Actor, code string) ([]string, error) {
	if err := requireSignedIn(actor); err != nil {
		return nil, err
	}
	f, err := s.store.FindTwoFactor(ctx, actor.AccountID())
	if kindred.ErrorCode(err) == kindred.ENOTFOUND || (err == nil && f.EnabledAt != nil) {
		return nil, kindred.Errorf(kindred.ECONFLICT, "There is no set-up waiting for a code. Please start again.")
	}
	if err != nil {
		return nil, fmt.Errorf("confirm two-factor: %w", err)
	}
	sl, err := s.sealerFor(ctx)
	if err != nil {
		return nil, err
	}
	secret, err := sl.open(actor.AccountID(), f.Secret)
	if err != nil {
		return nil, fmt.Errorf("confirm two-factor: %w", err)
	}
	now := s.now().UTC()
	step := matchTOTP(secret, code, now)
	if step < 0 {
		return nil, errBadCode
	}
	codes := make([]string, RecoveryCodeCount)
	hashes := make([]string, RecoveryCodeCount)
	for i := range codes {
		rb := make([]byte, 8)
		_, _ = rand.Read(rb)
		raw := strings.ToLower(EncodeTOTPSecret(rb))[:12] // 60 random bits
		codes[i] = raw[:4] + "-" + raw[4:8] + "-" + raw[8:]
		hashes[i] = sl.recoveryHash(actor.AccountID(), codes[i])
	}
	if err := s.store.EnableTwoFactor(ctx, actor.AccountID(), step, now, hashes); err != nil {
		return nil, fmt.Errorf("confirm two-factor: %w", err)
	}
	if actor.SessionID != "" {
		if err := s.store.MarkSessionTwoStep(ctx, actor.SessionID, kindred.TwoStepTOTP, now.Add(s.sessionTTL)); err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
			return nil, fmt.Errorf("confirm two-factor: %w", err)
		}
	}
	s.audit.Record(ctx, "", actor.AccountID(), "account.two_factor_on", actor.AccountID(), "")
	return codes, nil
}

// checkCode accepts a current code from the app (once) or an unused
// recovery code, and returns how.
func (s *Service) checkCode(ctx context.Context, accountID, code string) (string, error) {
	f, err := s.store.FindTwoFactor(ctx, accountID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND || (err == nil && f.EnabledAt == nil) {
		return "", errBadCode
	}
	if err != nil {
		return "", fmt.Errorf("check code: %w", err)
	}
	sl, err := s.sealerFor(ctx)
	if err != nil {
		return "", err
	}
	secret, err := sl.open(accountID, f.Secret)
	if err != nil {
		return "", fmt.Errorf("check code: %w", err)
	}
	if step := matchTOTP(secret, code, s.now().UTC()); step >= 0 {
		if step <= f.LastStep {
			return "", errBadCode // each code works once
		}
		if err := s.store.UseTOTPStep(ctx, accountID, step); err != nil {
			if kindred.ErrorCode(err) == kindred.ECONFLICT {
				return "", errBadCode
			}
			return "", fmt.Errorf("check code: %w", err)
		}
		return kindred.TwoStepTOTP, nil
	}
	if n := normalizeCode(code); len(n) == 12 {
		err := s.store.UseRecoveryCode(ctx, accountID, sl.recoveryHash(accountID, code))
		if err == nil {
			return kindred.TwoStepRecovery, nil
		}
		if kindred.ErrorCode(err) != kindred.ENOTFOUND {
			return "", fmt.Errorf("check code: %w", err)
		}
	}
	return "", errBadCode
}

// VerifySessionCode completes a log-in that waits for a code: with a right
// one the session works fully. Wrong codes count against the account's
// log-in throttle, so codes cannot be guessed any faster than passwords.
func (s *Service) VerifySessionCode(ctx context.Context, secret, code, client string) (*kindred.Actor, error) {
	actor, gate, err := s.SessionState(ctx, secret)
	if err != nil {
		return nil, err
	}
	if actor == nil {
		return nil, kindred.Errorf(kindred.EUNAUTHORIZED, "That sign-in has timed out. Please log in again.")
	}
	if gate != GateCode {
		return actor, nil
	}
	now := s.now().UTC()
	acctKey, _, err := s.throttleKeys(ctx, actor.Account.Handle, client)
	if err != nil {
		return nil, err
	}
	if err := s.checkLocks(ctx, now, acctKey); err != nil {
		return nil, err
	}
	how, err := s.checkCode(ctx, actor.AccountID(), code)
	if err != nil {
		if kindred.ErrorCode(err) == kindred.EINVALID {
			s.countFailure(ctx, acctKey, s.throttle.AccountFree, now)
		}
		return nil, err
	}
	if err := s.store.MarkSessionTwoStep(ctx, actor.SessionID, how, now.Add(s.sessionTTL)); err != nil {
		return nil, fmt.Errorf("verify code: %w", err)
	}
	if how == kindred.TwoStepRecovery {
		s.audit.Record(ctx, "", actor.AccountID(), "account.recovery_code_used", actor.AccountID(), "")
	}
	return actor, nil
}

// DisableTwoFactor turns two-step codes off; it needs a current code (or
// a recovery code). People holding staff roles cannot: their roles need it.
func (s *Service) DisableTwoFactor(ctx context.Context, actor *kindred.Actor, code string) error {
	if err := requireSignedIn(actor); err != nil {
		return err
	}
	f, err := s.store.FindTwoFactor(ctx, actor.AccountID())
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return kindred.Errorf(kindred.ECONFLICT, "Two-step codes are not on.")
	}
	if err != nil {
		return fmt.Errorf("disable two-factor: %w", err)
	}
	if f.EnabledAt != nil {
		needs, err := s.store.AccountTwoStepNeeds(ctx, actor.AccountID())
		if err != nil {
			return fmt.Errorf("disable two-factor: %w", err)
		}
		if needs.Staff {
			return kindred.Errorf(kindred.EFORBIDDEN, "Your roles (moderator, coordinator or admin) need two-step codes, so they can't be turned off. To move to a new phone, ask another admin to remove your role for a moment, or keep using your recovery codes.")
		}
		if _, err := s.checkCode(ctx, actor.AccountID(), code); err != nil {
			return err
		}
	}
	// A set-up never confirmed is simply dropped.
	if err := s.store.DeleteTwoFactor(ctx, actor.AccountID()); err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
		return fmt.Errorf("disable two-factor: %w", err)
	}
	if f.EnabledAt != nil {
		s.audit.Record(ctx, "", actor.AccountID(), "account.two_factor_off", actor.AccountID(), "")
	}
	return nil
}

// RevokeSession ends one of the actor's sessions (any of them, this one
// included) and closes its live connections at once.
func (s *Service) RevokeSession(ctx context.Context, actor *kindred.Actor, sessionID string) error {
	if err := requireSignedIn(actor); err != nil {
		return err
	}
	sessions, err := s.store.ListSessions(ctx, actor.AccountID(), s.now().UTC())
	if err != nil {
		return fmt.Errorf("revoke session: %w", err)
	}
	for _, sess := range sessions {
		if sess.ID == sessionID {
			if err := s.store.DeleteSession(ctx, sess.ID); err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
				return fmt.Errorf("revoke session: %w", err)
			}
			s.audit.Record(ctx, "", actor.AccountID(), "account.session_revoke", actor.AccountID(), "")
			s.accessChanged(ctx, actor.AccountID())
			return nil
		}
	}
	// Another person's session looks exactly like none.
	return kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that session. It may have ended already.")
}

// EnableTwoFactorWithSecret turns two-step codes on for an account with a
// known secret and no recovery codes. It is for the demo community only,
// whose staff share a documented secret (demo.StaffTOTPSecret).
func (s *Service) EnableTwoFactorWithSecret(ctx context.Context, accountID string, secret []byte) error {
	sl, err := s.sealerFor(ctx)
	if err != nil {
		return err
	}
	now := s.now().UTC()
	if err := s.store.SaveTwoFactor(ctx, &kindred.TwoFactor{AccountID: accountID, Secret: sl.seal(accountID, secret), CreatedAt: now}); err != nil {
		return fmt.Errorf("enable two-factor: %w", err)
	}
	// Step 0: every real code is later, so the first one works.
	if err := s.store.EnableTwoFactor(ctx, accountID, 0, now, nil); err != nil {
		return fmt.Errorf("enable two-factor: %w", err)
	}
	return nil
}
