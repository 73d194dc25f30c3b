package accounts

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"time"

	"github.com/go-webauthn/webauthn/protocol"
	"github.com/go-webauthn/webauthn/webauthn"

	"kindred"
)

// Passkeys (WebAuthn): a person registers them while signed in and signs
// in with them from the log-in page without typing a handle (discoverable
// credentials). The ceremonies' server half is kept in the store, used
// once, for a few minutes only. The WebAuthn user handle is 32 random
// bytes per account, never the handle or an email.

// ceremonyTTL is how long a passkey ceremony may take.
const ceremonyTTL = 5 * time.Minute

// DefaultPublicURL is where an instance started with no flags is reached.
const DefaultPublicURL = "http://localhost:8080"

type webauthnConfig struct {
	w   *webauthn.WebAuthn
	err error
}

// configurePublicURL binds passkeys to the instance's host: the relying
// party id is the host name, the one accepted origin the URL's scheme,
// host and port exactly.
func (s *Service) configurePublicURL(raw string) error {
	if raw == "" {
		raw = DefaultPublicURL
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" || (u.Scheme != "http" && u.Scheme != "https") {
		s.webauthn.err = fmt.Errorf("public URL %q: want http(s)://host[:port]", raw)
		return s.webauthn.err
	}
	s.publicURL = u.Scheme + "://" + u.Host
	s.issuer = u.Host
	w, err := webauthn.New(&webauthn.Config{RPID: u.Hostname(), RPDisplayName: u.Hostname(), RPOrigins: []string{s.publicURL},
		AuthenticatorSelection: protocol.AuthenticatorSelection{ResidentKey: protocol.ResidentKeyRequirementRequired,
			RequireResidentKey: protocol.ResidentKeyRequired(), UserVerification: protocol.VerificationPreferred}})
	s.webauthn = webauthnConfig{w: w, err: err}
	return err
}

// PublicURL is the origin passkeys are bound to.
func (s *Service) PublicURL() string { return s.publicURL }

var errPasskeysOff = kindred.Errorf(kindred.EUNAVAILABLE, "Passkeys aren't available on this Kindred right now. Please log in with your password.")

// passkeyUser is an account as go-webauthn sees it.
type passkeyUser struct {
	handle []byte
	acct   *kindred.Account
	creds  []webauthn.Credential
}

func (u *passkeyUser) WebAuthnID() []byte                         { return u.handle }
func (u *passkeyUser) WebAuthnName() string                       { return u.acct.Handle }
func (u *passkeyUser) WebAuthnDisplayName() string                { return u.acct.Name() }
func (u *passkeyUser) WebAuthnCredentials() []webauthn.Credential { return u.creds }

func (s *Service) passkeyUser(ctx context.Context, acct *kindred.Account) (*passkeyUser, []*kindred.Passkey, error) {
	candidate := make([]byte, 32)
	_, _ = rand.Read(candidate)
	handle, err := s.store.WebAuthnUserHandle(ctx, acct.ID, candidate)
	if err != nil {
		return nil, nil, err
	}
	keys, err := s.store.ListPasskeys(ctx, acct.ID)
	if err != nil {
		return nil, nil, err
	}
	u := &passkeyUser{handle: handle, acct: acct}
	for _, k := range keys {
		var c webauthn.Credential
		if err := json.Unmarshal(k.Credential, &c); err != nil {
			return nil, nil, fmt.Errorf("passkey %s: %w", k.ID, err)
		}
		u.creds = append(u.creds, c)
	}
	return u, keys, nil
}

func (s *Service) saveCeremony(ctx context.Context, kind, accountID string, sd *webauthn.SessionData) (string, error) {
	data, err := json.Marshal(sd)
	if err != nil {
		return "", err
	}
	c := &kindred.WebAuthnCeremony{ID: kindred.NewSecret(), Kind: kind, AccountID: accountID, Data: data, ExpiresAt: s.now().UTC().Add(ceremonyTTL)}
	if err := s.store.SaveWebAuthnCeremony(ctx, c); err != nil {
		return "", err
	}
	return c.ID, nil
}

var errCeremonyGone = kindred.Errorf(kindred.EGONE, "That took a little too long, so we stopped waiting. Please try again.")

func (s *Service) takeCeremony(ctx context.Context, id, kind, accountID string) (*webauthn.SessionData, error) {
	if id == "" {
		return nil, errCeremonyGone
	}
	c, err := s.store.TakeWebAuthnCeremony(ctx, id, s.now().UTC())
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errCeremonyGone
	}
	if err != nil {
		return nil, err
	}
	if c.Kind != kind || c.AccountID != accountID {
		return nil, errCeremonyGone
	}
	var sd webauthn.SessionData
	if err := json.Unmarshal(c.Data, &sd); err != nil {
		return nil, err
	}
	return &sd, nil
}

// BeginPasskeyRegistration returns the options for the browser's
// navigator.credentials.create (as JSON) and the ceremony's id.
func (s *Service) BeginPasskeyRegistration(ctx context.Context, actor *kindred.Actor) (json.RawMessage, string, error) {
	if err := requireSignedIn(actor); err != nil {
		return nil, "", err
	}
	if s.webauthn.w == nil {
		return nil, "", errPasskeysOff
	}
	u, _, err := s.passkeyUser(ctx, actor.Account)
	if err != nil {
		return nil, "", fmt.Errorf("begin passkey: %w", err)
	}
	var exclude []protocol.CredentialDescriptor
	for _, c := range u.creds {
		exclude = append(exclude, c.Descriptor())
	}
	creation, sd, err := s.webauthn.w.BeginRegistration(u, webauthn.WithExclusions(exclude),
		webauthn.WithResidentKeyRequirement(protocol.ResidentKeyRequirementRequired))
	if err != nil {
		return nil, "", fmt.Errorf("begin passkey: %w", err)
	}
	id, err := s.saveCeremony(ctx, "register", actor.AccountID(), sd)
	if err != nil {
		return nil, "", fmt.Errorf("begin passkey: %w", err)
	}
	opts, err := json.Marshal(creation.Response)
	return opts, id, err
}

// FinishPasskeyRegistration checks the browser's answer and stores the
// passkey under the name the person chose.
func (s *Service) FinishPasskeyRegistration(ctx context.Context, actor *kindred.Actor, ceremonyID, name string, response []byte) (*kindred.Passkey, error) {
	if err := requireSignedIn(actor); err != nil {
		return nil, err
	}
	if s.webauthn.w == nil {
		return nil, errPasskeysOff
	}
	name = strings.TrimSpace(name)
	v := kindred.Invalid{}
	if name == "" {
		v.Add("name", "Please name this passkey, e.g. “my phone”, so you recognise it later.")
	} else if len([]rune(name)) > kindred.MaxPasskeyName {
		v.Add("name", fmt.Sprintf("Please keep the name to %d characters or fewer.", kindred.MaxPasskeyName))
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	sd, err := s.takeCeremony(ctx, ceremonyID, "register", actor.AccountID())
	if err != nil {
		return nil, err
	}
	parsed, err := protocol.ParseCredentialCreationResponseBytes(response)
	if err != nil {
		return nil, kindred.Errorf(kindred.EINVALID, "Your browser's answer couldn't be read. Please try again.")
	}
	u, _, err := s.passkeyUser(ctx, actor.Account)
	if err != nil {
		return nil, fmt.Errorf("finish passkey: %w", err)
	}
	cred, err := s.webauthn.w.CreateCredential(u, *sd, parsed)
	if err != nil {
		return nil, kindred.Errorf(kindred.EINVALID, "That passkey couldn't be checked, so it wasn't added. Please try again.")
	}
	blob, err := json.Marshal(cred)
	if err != nil {
		return nil, err
	}
	p := &kindred.Passkey{ID: kindred.NewID(), AccountID: actor.AccountID(), Name: name, CredentialID: cred.ID, Credential: blob, CreatedAt: s.now().UTC()}
	if err := s.store.CreatePasskey(ctx, p); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return nil, kindred.Errorf(kindred.ECONFLICT, "That passkey is already registered.")
		}
		return nil, fmt.Errorf("finish passkey: %w", err)
	}
	s.audit.Record(ctx, "", actor.AccountID(), "account.passkey_add", p.ID, "")
	return p, nil
}

// BeginPasskeyLogin returns the options for navigator.credentials.get
// (as JSON) and the ceremony's id. No handle is asked: the authenticator
// offers the person's passkeys for this site.
func (s *Service) BeginPasskeyLogin(ctx context.Context) (json.RawMessage, string, error) {
	if s.webauthn.w == nil {
		return nil, "", errPasskeysOff
	}
	assertion, sd, err := s.webauthn.w.BeginDiscoverableLogin(webauthn.WithUserVerification(protocol.VerificationPreferred))
	if err != nil {
		return nil, "", fmt.Errorf("begin passkey login: %w", err)
	}
	id, err := s.saveCeremony(ctx, "login", "", sd)
	if err != nil {
		return nil, "", fmt.Errorf("begin passkey login: %w", err)
	}
	opts, err := json.Marshal(assertion.Response)
	return opts, id, err
}

var errPasskeyLogin = kindred.Errorf(kindred.EUNAUTHORIZED, "That passkey didn't work here. It may have been removed. Please log in with your password.")

// FinishPasskeyLogin checks the browser's answer and starts a session
// that counts as having passed the second step.
func (s *Service) FinishPasskeyLogin(ctx context.Context, ceremonyID string, response []byte, label string) (*kindred.Account, string, error) {
	if s.webauthn.w == nil {
		return nil, "", errPasskeysOff
	}
	sd, err := s.takeCeremony(ctx, ceremonyID, "login", "")
	if err != nil {
		return nil, "", err
	}
	parsed, err := protocol.ParseCredentialRequestResponseBytes(response)
	if err != nil {
		return nil, "", errPasskeyLogin
	}
	var found *passkeyUser
	var keys []*kindred.Passkey
	handler := func(rawID, userHandle []byte) (webauthn.User, error) {
		acct, err := s.store.FindAccountByWebAuthnHandle(ctx, userHandle)
		if err != nil {
			return nil, err
		}
		u, ks, err := s.passkeyUser(ctx, acct)
		if err != nil {
			return nil, err
		}
		found, keys = u, ks
		return u, nil
	}
	cred, err := s.webauthn.w.ValidateDiscoverableLogin(handler, *sd, parsed)
	if err != nil || found == nil {
		return nil, "", errPasskeyLogin
	}
	var used *kindred.Passkey
	for _, k := range keys {
		if bytes.Equal(k.CredentialID, cred.ID) {
			used = k
		}
	}
	if used == nil {
		return nil, "", errPasskeyLogin
	}
	if blob, err := json.Marshal(cred); err == nil {
		if err := s.store.UsePasskey(ctx, used.ID, blob, s.now().UTC()); err != nil {
			s.log.WarnContext(ctx, "record passkey use", "err", err)
		}
	}
	secret, err := s.startSession(ctx, found.acct.ID, label, kindred.TwoStepPasskey, s.sessionTTL)
	if err != nil {
		return nil, "", err
	}
	return found.acct, secret, nil
}

// Passkeys lists the actor's passkeys.
func (s *Service) Passkeys(ctx context.Context, actor *kindred.Actor) ([]*kindred.Passkey, error) {
	if err := requireSignedIn(actor); err != nil {
		return nil, err
	}
	return s.store.ListPasskeys(ctx, actor.AccountID())
}

// DeletePasskey removes one of the actor's passkeys.
func (s *Service) DeletePasskey(ctx context.Context, actor *kindred.Actor, id string) error {
	if err := requireSignedIn(actor); err != nil {
		return err
	}
	if err := s.store.DeletePasskey(ctx, actor.AccountID(), id); err != nil {
		if kindred.ErrorCode(err) == kindred.ENOTFOUND {
			return kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that passkey.")
		}
		return fmt.Errorf("delete passkey: %w", err)
	}
	s.audit.Record(ctx, "", actor.AccountID(), "account.passkey_remove", id, "")
	return nil
}
