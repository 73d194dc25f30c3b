package web

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
)

type apiSignupInput struct {
	apiRequest
	Body struct {
		Handle      string          `json:"handle" minLength:"3" maxLength:"30" doc:"Letters, numbers and underscores. It does not need to be a real name."`
		Password    string          `json:"password" minLength:"10" maxLength:"256"`
		AgeBand     kindred.AgeBand `json:"age_band" enum:"13-17,18-24,25+" doc:"Used only to keep youth and adult spaces safe."`
		DisplayName string          `json:"display_name,omitempty" maxLength:"60"`
		Pronouns    string          `json:"pronouns,omitempty" maxLength:"40"`
		Email       string          `json:"email,omitempty" maxLength:"254" doc:"Optional; never shown to others."`
	}
}

type apiLoginInput struct {
	apiRequest
	Body struct {
		Handle   string `json:"handle" maxLength:"30"`
		Password string `json:"password" maxLength:"256"`
	}
}

// apiWithCookie sets or clears the session cookie. Signing in through the
// API signs a browser program in at once; other programs should create a
// token.
type apiWithCookie[T any] struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
	Body      T
}

type apiProfileInput struct {
	Body struct {
		DisplayName *string `json:"display_name,omitempty" maxLength:"60"`
		Pronouns    *string `json:"pronouns,omitempty" maxLength:"40"`
		Bio         *string `json:"bio,omitempty" maxLength:"500"`
		Email       *string `json:"email,omitempty" maxLength:"254" doc:"Empty removes it."`
	}
}

type apiTokenInput struct {
	Body struct {
		Name string `json:"name" maxLength:"60" doc:"So you recognise the token later."`
	}
}

type apiIDInput struct {
	ID string `path:"id"`
}

func (s *Server) registerAccountAPI(api huma.API) {
	tags := []string{"Accounts"}
	apiRegister(s, api, apiPublic, huma.Operation{OperationID: "createAccount", Method: http.MethodPost, Path: "/accounts",
		Summary: "Sign up", Description: "Creates an account and signs in (sets the session cookie).",
		DefaultStatus: http.StatusCreated, Tags: tags, Errors: []int{http.StatusTooManyRequests}}, s.apiCreateAccount)
	apiRegister(s, api, apiPublic, huma.Operation{OperationID: "createSession", Method: http.MethodPost, Path: "/sessions",
		Summary: "Log in", Description: "Checks a handle and password and sets the session cookie.",
		DefaultStatus: http.StatusCreated, Tags: tags, Errors: []int{http.StatusTooManyRequests}}, s.apiCreateSession)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "deleteSession", Method: http.MethodDelete, Path: "/sessions/current",
		Summary: "Log out", Tags: tags}, s.apiDeleteSession)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "deleteAllSessions", Method: http.MethodDelete, Path: "/sessions",
		Summary: "Log out everywhere", Description: "Ends every session of the account, this one too. Tokens stay valid.", Tags: tags}, s.apiDeleteAllSessions)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getMe", Method: http.MethodGet, Path: "/me",
		Summary: "Your account", Tags: tags}, s.apiGetMe)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "updateMe", Method: http.MethodPatch, Path: "/me",
		Summary: "Change your profile", Description: "Fields left out stay as they are.", Tags: tags}, s.apiUpdateMe)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "createToken", Method: http.MethodPost, Path: "/tokens",
		Summary: "Create a personal access token", DefaultStatus: http.StatusCreated, Tags: tags}, s.apiCreateToken)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listTokens", Method: http.MethodGet, Path: "/tokens",
		Summary: "Your personal access tokens", Tags: tags}, s.apiListTokens)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "deleteToken", Method: http.MethodDelete, Path: "/tokens/{id}",
		Summary: "Revoke a personal access token", Tags: tags}, s.apiDeleteToken)
}

func (s *Server) sessionCookie(secret string) http.Cookie {
	return http.Cookie{Name: SessionCookie, Value: secret, Path: "/", HttpOnly: true, Secure: s.opts.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: int((30 * 24 * time.Hour).Seconds())}
}

func (s *Server) expiredSessionCookie() http.Cookie {
	return http.Cookie{Name: SessionCookie, Value: "", Path: "/", HttpOnly: true, Secure: s.opts.SecureCookies,
		SameSite: http.SameSiteLaxMode, MaxAge: -1}
}

// apiCreateAccount signs up and signs in, as the sign-up page does.
func (s *Server) apiCreateAccount(ctx context.Context, in *apiSignupInput) (*apiWithCookie[apiAccount], error) {
	b := in.Body
	acct, secret, err := s.svc.Accounts.SignUp(ctx, kindred.SignupDraft{Handle: b.Handle, Password: b.Password, AgeBand: b.AgeBand,
		DisplayName: b.DisplayName, Pronouns: b.Pronouns, Email: b.Email}, s.clientKeyFor(in.r), deviceLabel(in.r.UserAgent()))
	if err != nil {
		return nil, err
	}
	return &apiWithCookie[apiAccount]{SetCookie: s.sessionCookie(secret), Body: apiAccountOf(acct)}, nil
}

func (s *Server) apiCreateSession(ctx context.Context, in *apiLoginInput) (*apiWithCookie[apiSession], error) {
	acct, secret, err := s.svc.Accounts.LogIn(ctx, in.Body.Handle, in.Body.Password, s.clientKeyFor(in.r), deviceLabel(in.r.UserAgent()))
	if err != nil {
		return nil, err
	}
	return &apiWithCookie[apiSession]{SetCookie: s.sessionCookie(secret), Body: apiSession{Account: apiAccountOf(acct)}}, nil
}

type apiLoggedOut struct {
	SetCookie http.Cookie `header:"Set-Cookie"`
}

func (s *Server) apiDeleteSession(ctx context.Context, _ *struct{}) (*apiLoggedOut, error) {
	if err := s.svc.Accounts.LogOut(ctx, kindred.ActorFrom(ctx)); err != nil {
		return nil, err
	}
	return &apiLoggedOut{SetCookie: s.expiredSessionCookie()}, nil
}

func (s *Server) apiDeleteAllSessions(ctx context.Context, _ *struct{}) (*apiWithCookie[apiSessionsEnded], error) {
	n, err := s.svc.Accounts.LogOutEverywhere(ctx, kindred.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	return &apiWithCookie[apiSessionsEnded]{SetCookie: s.expiredSessionCookie(), Body: apiSessionsEnded{SessionsEnded: n}}, nil
}

// apiGetMe needs no service: the middleware already found the account.
func (s *Server) apiGetMe(ctx context.Context, _ *struct{}) (*apiOut[apiAccount], error) {
	actor := kindred.ActorFrom(ctx)
	if !actor.SignedIn() {
		return nil, kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first.")
	}
	return apiBody(apiAccountOf(actor.Account)), nil
}

func (s *Server) apiUpdateMe(ctx context.Context, in *apiProfileInput) (*apiOut[apiAccount], error) {
	b := in.Body
	acct, err := s.svc.Accounts.UpdateProfile(ctx, kindred.ActorFrom(ctx), kindred.ProfileUpdate{
		DisplayName: b.DisplayName, Pronouns: b.Pronouns, Bio: b.Bio, Email: b.Email})
	if err != nil {
		return nil, err
	}
	return apiBody(apiAccountOf(acct)), nil
}

func (s *Server) apiCreateToken(ctx context.Context, in *apiTokenInput) (*apiOut[apiNewToken], error) {
	t, secret, err := s.svc.Accounts.CreateToken(ctx, kindred.ActorFrom(ctx), in.Body.Name)
	if err != nil {
		return nil, err
	}
	return apiBody(apiNewToken{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, Token: secret}), nil
}

func (s *Server) apiListTokens(ctx context.Context, _ *struct{}) (*apiOut[apiTokenList], error) {
	ts, err := s.svc.Accounts.Tokens(ctx, kindred.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	out := apiTokenList{Tokens: make([]apiToken, 0, len(ts))}
	for _, t := range ts {
		out.Tokens = append(out.Tokens, apiTokenOf(t))
	}
	return apiBody(out), nil
}

func (s *Server) apiDeleteToken(ctx context.Context, in *apiIDInput) (*struct{}, error) {
	if err := s.svc.Accounts.DeleteToken(ctx, kindred.ActorFrom(ctx), in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
