package web

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
	"kindred/internal/accounts"
)

// The account protection API: passkeys (listing and removing; adding one
// and signing in with one are browser ceremonies on the pages' JSON routes
// /settings/security/passkeys… and /login/passkey…, see docs/security.md),
// two-step codes, and the person's own sessions.

type apiPasskey struct {
	ID         string     `json:"id"`
	Name       string     `json:"name" doc:"The name the person gave it, e.g. \"my phone\"."`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at" doc:"The last sign-in with it; null when never."`
}

type apiPasskeyList struct {
	Passkeys []apiPasskey `json:"passkeys"`
}

type apiTwoFactor struct {
	Enabled bool `json:"enabled" doc:"Two-step codes are on: log-ins with a password ask for a code."`
	Pending bool `json:"pending" doc:"Set up but not yet confirmed with a first code."`
	// Only while pending: what the authenticator app needs.
	Secret        string   `json:"secret,omitempty" doc:"While pending: the base32 key to type into an authenticator app."`
	OTPAuthURI    string   `json:"otpauth_uri,omitempty" doc:"While pending: the otpauth:// link apps read."`
	RecoveryLeft  int      `json:"recovery_codes_left" doc:"Unused recovery codes."`
	Required      bool     `json:"required" doc:"The person holds a moderator, coordinator or admin role, so their staff powers need a second step."`
	RecoveryCodes []string `json:"recovery_codes,omitempty" doc:"Only in the answer that turns codes on: ten single-use recovery codes, never shown again."`
}

type apiTwoFactorInput struct {
	Body struct {
		Code string `json:"code,omitempty" maxLength:"20" doc:"Leave out to start (or restart) a set-up; give the app's current code to confirm it."`
	}
}

type apiTwoFactorOffInput struct {
	Body struct {
		Code string `json:"code" maxLength:"20" doc:"A current code from the app, or an unused recovery code."`
	}
}

type apiMySession struct {
	ID         string    `json:"id" doc:"Identifies the session for revokeSession; not the cookie's secret."`
	Label      string    `json:"label" doc:"A coarse device label, e.g. \"Firefox on Android\"."`
	CreatedAt  time.Time `json:"created_at"`
	LastSeenAt time.Time `json:"last_seen_at" doc:"Updated at most once an hour."`
	Current    bool      `json:"current" doc:"The session making this request."`
	TwoStep    string    `json:"two_step" doc:"How it passed the second step: totp, recovery, passkey, trusted; empty for a password alone."`
}

type apiMySessionList struct {
	Sessions []apiMySession `json:"sessions"`
}

func apiTwoFactorOf(st *accounts.TwoFactorStatus) apiTwoFactor {
	out := apiTwoFactor{Enabled: st.Enabled, Pending: st.Pending, RecoveryLeft: st.RecoveryLeft, Required: st.Required}
	if st.Pending {
		out.Secret, out.OTPAuthURI = st.PendingSecret, st.PendingURI
	}
	return out
}

func (s *Server) registerSecurityOps(api huma.API) {
	tags := []string{"Security"}
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listPasskeys", Method: http.MethodGet, Path: "/me/passkeys",
		Summary: "Your passkeys", Description: "Adding a passkey and signing in with one are browser ceremonies " +
			"(POST /settings/security/passkeys/options then /settings/security/passkeys; POST /login/passkey/options then " +
			"/login/passkey), described in docs/security.md.", Tags: tags}, s.apiListPasskeys)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "deletePasskey", Method: http.MethodDelete, Path: "/me/passkeys/{id}",
		Summary: "Remove a passkey", Tags: tags}, s.apiDeletePasskey)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getTwoFactor", Method: http.MethodGet, Path: "/me/two-factor",
		Summary: "Your two-step codes", Tags: tags}, s.apiGetTwoFactor)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "enableTwoFactor", Method: http.MethodPost, Path: "/me/two-factor",
		Summary: "Set up two-step codes", Description: "Without a code: makes a new key for an authenticator app (answers " +
			"with secret and otpauth_uri). With the app's current code: turns codes on and answers, this once, with ten " +
			"recovery codes. The session making the request counts as having passed the second step.",
		Tags: tags, Errors: []int{http.StatusConflict}}, s.apiEnableTwoFactor)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "disableTwoFactor", Method: http.MethodPost, Path: "/me/two-factor/disable",
		Summary: "Turn off two-step codes", Description: "Needs a current code or a recovery code. People holding a " +
			"moderator, coordinator or admin role can't (403).", Tags: tags, Errors: []int{http.StatusConflict}}, s.apiDisableTwoFactor)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listMySessions", Method: http.MethodGet, Path: "/me/sessions",
		Summary: "Where you're logged in", Tags: tags}, s.apiListMySessions)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "revokeSession", Method: http.MethodDelete, Path: "/me/sessions/{id}",
		Summary: "Log out one session", Description: "Ends the session at once; its live connections close.", Tags: tags}, s.apiRevokeSession)
}

func (s *Server) apiListPasskeys(ctx context.Context, _ *struct{}) (*apiOut[apiPasskeyList], error) {
	keys, err := s.svc.Accounts.Passkeys(ctx, kindred.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	out := apiPasskeyList{Passkeys: []apiPasskey{}}
	for _, k := range keys {
		out.Passkeys = append(out.Passkeys, apiPasskey{ID: k.ID, Name: k.Name, CreatedAt: k.CreatedAt, LastUsedAt: k.LastUsedAt})
	}
	return apiBody(out), nil
}

func (s *Server) apiDeletePasskey(ctx context.Context, in *apiIDInput) (*struct{}, error) {
	if err := s.svc.Accounts.DeletePasskey(ctx, kindred.ActorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Server) apiGetTwoFactor(ctx context.Context, _ *struct{}) (*apiOut[apiTwoFactor], error) {
	st, err := s.svc.Accounts.TwoFactor(ctx, kindred.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	return apiBody(apiTwoFactorOf(st)), nil
}

func (s *Server) apiEnableTwoFactor(ctx context.Context, in *apiTwoFactorInput) (*apiOut[apiTwoFactor], error) {
	actor := kindred.ActorFrom(ctx)
	if in.Body.Code == "" {
		st, err := s.svc.Accounts.BeginTwoFactor(ctx, actor)
		if err != nil {
			return nil, err
		}
		return apiBody(apiTwoFactorOf(st)), nil
	}
	codes, err := s.svc.Accounts.ConfirmTwoFactor(ctx, actor, in.Body.Code)
	if err != nil {
		return nil, err
	}
	st, err := s.svc.Accounts.TwoFactor(ctx, actor)
	if err != nil {
		return nil, err
	}
	out := apiTwoFactorOf(st)
	out.RecoveryCodes = codes
	return apiBody(out), nil
}

func (s *Server) apiDisableTwoFactor(ctx context.Context, in *apiTwoFactorOffInput) (*apiOut[apiTwoFactor], error) {
	actor := kindred.ActorFrom(ctx)
	if err := s.svc.Accounts.DisableTwoFactor(ctx, actor, in.Body.Code); err != nil {
		return nil, err
	}
	st, err := s.svc.Accounts.TwoFactor(ctx, actor)
	if err != nil {
		return nil, err
	}
	return apiBody(apiTwoFactorOf(st)), nil
}

func (s *Server) apiListMySessions(ctx context.Context, _ *struct{}) (*apiOut[apiMySessionList], error) {
	actor := kindred.ActorFrom(ctx)
	sessions, err := s.svc.Accounts.Sessions(ctx, actor)
	if err != nil {
		return nil, err
	}
	out := apiMySessionList{Sessions: []apiMySession{}}
	for _, x := range sessions {
		out.Sessions = append(out.Sessions, apiMySession{ID: x.ID, Label: x.Label, CreatedAt: x.CreatedAt, LastSeenAt: x.LastSeenAt,
			Current: x.ID == actor.SessionID, TwoStep: x.TwoStep})
	}
	return apiBody(out), nil
}

func (s *Server) apiRevokeSession(ctx context.Context, in *apiIDInput) (*struct{}, error) {
	if err := s.svc.Accounts.RevokeSession(ctx, kindred.ActorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
