package web

import (
	"context"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"regexp"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
	"kindred/internal/accounts"
)

// Account protection pages (issue 5, item 9): /settings/security with
// passkeys, two-step codes and sessions; the code step of logging in; and
// the passkey ceremonies, small JSON routes the page script calls (WebAuthn
// needs JavaScript; everything else here works without it).

// ceremonyCookie carries the id of a passkey ceremony in progress between
// its two requests; the ceremony itself stays on the server.
const ceremonyCookie = "kindred_webauthn"

// securityRoutes registers the security pages.
func (s *Server) securityRoutes(h func(pattern string, fn http.HandlerFunc)) {
	h("GET /settings/security", s.handleSecurity)
	h("POST /settings/security/two-factor", s.handleTwoFactorBegin)
	h("POST /settings/security/two-factor/confirm", s.handleTwoFactorConfirm)
	h("POST /settings/security/two-factor/disable", s.handleTwoFactorDisable)
	h("POST /settings/security/passkeys/options", s.handlePasskeyRegisterOptions)
	h("POST /settings/security/passkeys", s.handlePasskeyRegister)
	h("POST /settings/security/passkeys/{id}/delete", s.handlePasskeyDelete)
	h("POST /settings/security/sessions/{id}/revoke", s.handleSessionRevoke)
	h("GET /login/code", s.handleLoginCodeForm)
	h("POST /login/code", s.handleLoginCode)
	h("POST /login/passkey/options", s.handlePasskeyLoginOptions)
	h("POST /login/passkey", s.handlePasskeyLogin)
}

// Staff routes: pages and operations that use a moderator's, coordinator's
// or admin's powers. A person holding such a role whose session has no
// second step (no code, no passkey) is sent to set one up before these
// work; everything else keeps working for them as for any member.
var staffRoutes = []*regexp.Regexp{
	regexp.MustCompile(`^[A-Z]+ /o/\{org\}/(admin|moderation)(/|$)`),
	regexp.MustCompile(`^[A-Z]+ /o/\{org\}/support/(supervision|settings|escalations|supporters)(/|$)`),
	regexp.MustCompile(`^[A-Z]+ /o/\{org\}/training/(reviews|signoffs|new|courses|starter)(/|$)`),
	regexp.MustCompile(`^[A-Z]+ /o/\{org\}/training/c/[^ ]*/(edit|trainees|modules/new|modules$|delete$|move$)`),
	regexp.MustCompile(`^[A-Z]+ /api/v1/organizations/\{org\}/(members|members/\{account\}|members/\{account\}/(roles|approve)|invites(/.*)?|audit(/.*)?|moderation(/.*)?|reports/queue(/.*)?|crisis-resources(/.*)?|phrases(/.*)?)$`),
	regexp.MustCompile(`^[A-Z]+ /api/v1/organizations/\{org\}/(support|training)/(dashboard|escalations|supporters|settings|reviews|signoffs)(/|$)`),
	regexp.MustCompile(`^(PATCH|PUT|DELETE) /api/v1/organizations/\{org\}$`),
	// A token made from a password-only session would dodge the step.
	regexp.MustCompile(`^POST (/settings/tokens|/api/v1/tokens)$`),
}

func isStaffRoute(pattern string) bool {
	for _, re := range staffRoutes {
		if re.MatchString(pattern) {
			return true
		}
	}
	return false
}

type pendingKey struct{}

// pendingActor is the person whose session waits for a two-step code.
func pendingActor(r *http.Request) *kindred.Actor {
	a, _ := r.Context().Value(pendingKey{}).(*kindred.Actor)
	return a
}

// gateTwoStep applies what a session still needs before its second step.
// It returns the request to continue with, or nil when it answered.
func (s *Server) gateTwoStep(w http.ResponseWriter, r *http.Request, actor *kindred.Actor, gate accounts.Gate) (*http.Request, *kindred.Actor) {
	switch gate {
	case accounts.GateCode:
		// Not signed in yet: only the code step, logging out and help work.
		p := r.URL.Path
		if p == "/login/code" || p == "/logout" || p == "/login" || isHelpPath(p) {
			return r.WithContext(context.WithValue(r.Context(), pendingKey{}, actor)), nil
		}
		if isAPI(r) {
			s.fail(w, r, kindred.Errorf(kindred.EUNAUTHORIZED, "Please finish logging in: enter the code from your authenticator app at /login/code."), nil)
			return nil, nil
		}
		next := "/"
		if r.Method == http.MethodGet {
			next = r.URL.RequestURI()
		}
		http.Redirect(w, r, "/login/code?next="+url.QueryEscape(next), http.StatusSeeOther)
		return nil, nil
	case accounts.GateEnrol:
		if s.mux == nil {
			return r, actor
		}
		if _, pattern := s.mux.Handler(r); !isStaffRoute(pattern) {
			return r, actor
		}
		msg := "Your role in a community (moderator, coordinator or admin) needs two-step sign-in, to keep the people you look after safe. Please set up an authenticator app or a passkey first; it takes a minute."
		if isAPI(r) {
			s.fail(w, r.WithContext(kindred.WithActor(r.Context(), actor)), kindred.Errorf(kindred.EFORBIDDEN, "%s Do it at /settings/security.", msg), nil)
			return nil, nil
		}
		s.flash(w, msg)
		http.Redirect(w, r, "/settings/security?required=1", http.StatusSeeOther)
		return nil, nil
	}
	return r, actor
}

// sharedNetwork reports whether the request comes from a network the
// operator listed as shared by many people.
func (s *Server) sharedNetwork(r *http.Request) bool {
	if len(s.opts.SharedNetworks) == 0 {
		return false
	}
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		return false
	}
	ip, err := netip.ParseAddr(host)
	if err != nil {
		return false
	}
	ip = ip.Unmap()
	for _, p := range s.opts.SharedNetworks {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

type securityData struct {
	Account       *kindred.Account
	TwoFactor     *accounts.TwoFactorStatus
	Passkeys      []*kindred.Passkey
	Sessions      []*kindred.Session
	Current       string
	RecoveryCodes []string
	Required      bool // sent here because a staff page needs the second step
	CurrentStep   string
}

func (s *Server) securityPage(w http.ResponseWriter, r *http.Request, status int, f *form, codes []string) {
	actor := actorOf(r)
	if !actor.SignedIn() {
		s.fail(w, r, kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first."), nil)
		return
	}
	ctx := r.Context()
	tf, err := s.svc.Accounts.TwoFactor(ctx, actor)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	keys, err := s.svc.Accounts.Passkeys(ctx, actor)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	sessions, err := s.svc.Accounts.Sessions(ctx, actor)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	d := securityData{Account: actor.Account, TwoFactor: tf, Passkeys: keys, Sessions: sessions, Current: actor.SessionID,
		RecoveryCodes: codes, Required: r.URL.Query().Get("required") != ""}
	for _, sess := range sessions {
		if sess.ID == actor.SessionID {
			d.CurrentStep = sess.TwoStep
		}
	}
	if f == nil {
		f = newForm(r, nil)
	}
	s.render(w, r, status, "settings_security", &page{Title: "Sign-in and security", Form: f, Data: d})
}

func (s *Server) handleSecurity(w http.ResponseWriter, r *http.Request) {
	s.securityPage(w, r, http.StatusOK, nil, nil)
}

func (s *Server) handleTwoFactorBegin(w http.ResponseWriter, r *http.Request) {
	_, err := s.svc.Accounts.BeginTwoFactor(r.Context(), actorOf(r))
	if s.formFailed(w, r, err, func(st int, f *form) { s.securityPage(w, r, st, f, nil) }) {
		return
	}
	http.Redirect(w, r, "/settings/security#two-factor", http.StatusSeeOther)
}

func (s *Server) handleTwoFactorConfirm(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	codes, err := s.svc.Accounts.ConfirmTwoFactor(r.Context(), actorOf(r), r.PostFormValue("code"))
	if s.formFailed(w, r, err, func(st int, f *form) { s.securityPage(w, r, st, f, nil) }) {
		return
	}
	// Recovery codes are shown on this response only; they are never
	// shown again.
	s.securityPage(w, r, http.StatusCreated, nil, codes)
}

func (s *Server) handleTwoFactorDisable(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	err := s.svc.Accounts.DisableTwoFactor(r.Context(), actorOf(r), r.PostFormValue("off_code"))
	if kindred.ErrorCode(err) == kindred.EINVALID {
		err = &kindred.Error{Code: kindred.EINVALID, Message: kindred.ErrorMessage(err), Fields: map[string]string{"off_code": kindred.ErrorFields(err)["code"]}}
	}
	if kindred.ErrorCode(err) == kindred.EFORBIDDEN {
		s.securityPage(w, r, http.StatusForbidden, newForm(r, err), nil)
		return
	}
	if s.formFailed(w, r, err, func(st int, f *form) { s.securityPage(w, r, st, f, nil) }) {
		return
	}
	s.flash(w, "Two-step codes are off. Your recovery codes no longer work.")
	http.Redirect(w, r, "/settings/security", http.StatusSeeOther)
}

func (s *Server) handlePasskeyDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Accounts.DeletePasskey(r.Context(), actorOf(r), r.PathValue("id")); err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "The passkey is removed. You can't log in with it any more.")
	http.Redirect(w, r, "/settings/security", http.StatusSeeOther)
}

func (s *Server) handleSessionRevoke(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	id := r.PathValue("id")
	if err := s.svc.Accounts.RevokeSession(r.Context(), actor, id); err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if actor != nil && id == actor.SessionID {
		s.clearSessionCookie(w)
		s.flash(w, "You're logged out on this device.")
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.flash(w, "That session is logged out.")
	http.Redirect(w, r, "/settings/security#sessions", http.StatusSeeOther)
}

// The code step of logging in.

func (s *Server) handleLoginCodeForm(w http.ResponseWriter, r *http.Request) {
	next := safeNext(r.URL.Query().Get("next"))
	if pendingActor(r) == nil {
		if actorOf(r).SignedIn() {
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
		http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	f := newForm(r, nil)
	f.Values.Set("next", next)
	s.render(w, r, http.StatusOK, "login_code", &page{Title: "Enter your code", Form: f})
}

func (s *Server) handleLoginCode(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	next := safeNext(r.PostFormValue("next"))
	c, err := r.Cookie(SessionCookie)
	if err != nil || pendingActor(r) == nil {
		if actorOf(r).SignedIn() {
			http.Redirect(w, r, next, http.StatusSeeOther)
			return
		}
		s.flash(w, "That log-in timed out. Please start again.")
		http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	_, err = s.svc.Accounts.VerifySessionCode(r.Context(), c.Value, r.PostFormValue("code"), s.clientKeyFor(r))
	if kindred.ErrorCode(err) == kindred.EUNAUTHORIZED {
		s.clearSessionCookie(w)
		s.flash(w, kindred.ErrorMessage(err))
		http.Redirect(w, r, "/login?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	if s.formFailed(w, r, err, func(st int, f *form) {
		s.render(w, r, st, "login_code", &page{Title: "Enter your code", Form: f})
	}) {
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// Passkey ceremonies: JSON in and out, called by static/passkeys.js.

func (s *Server) setCeremonyCookie(w http.ResponseWriter, id string) {
	http.SetCookie(w, &http.Cookie{Name: ceremonyCookie, Value: id, Path: "/", HttpOnly: true,
		Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode, MaxAge: 300})
}

func (s *Server) takeCeremonyCookie(w http.ResponseWriter, r *http.Request) string {
	c, err := r.Cookie(ceremonyCookie)
	http.SetCookie(w, &http.Cookie{Name: ceremonyCookie, Value: "", Path: "/", HttpOnly: true,
		Secure: s.opts.SecureCookies, SameSite: http.SameSiteStrictMode, MaxAge: -1})
	if err != nil {
		return ""
	}
	return c.Value
}

// jsonFail answers a ceremony request with the API's error shape.
func (s *Server) jsonFail(w http.ResponseWriter, r *http.Request, err error) {
	s.logInternal(r, err)
	writeJSON(w, StatusFor(err), apiError{Error: apiErrorBody{Code: kindred.ErrorCode(err), Message: kindred.ErrorMessage(err), Fields: kindred.ErrorFields(err)}})
}

func (s *Server) handlePasskeyRegisterOptions(w http.ResponseWriter, r *http.Request) {
	opts, id, err := s.svc.Accounts.BeginPasskeyRegistration(r.Context(), actorOf(r))
	if err != nil {
		s.jsonFail(w, r, err)
		return
	}
	s.setCeremonyCookie(w, id)
	writeJSON(w, http.StatusOK, map[string]json.RawMessage{"publicKey": opts})
}

func (s *Server) handlePasskeyRegister(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name       string          `json:"name"`
		Credential json.RawMessage `json:"credential"`
	}
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.jsonFail(w, r, bodyError(err))
		return
	}
	if err := json.Unmarshal(body, &in); err != nil {
		s.jsonFail(w, r, kindred.Errorf(kindred.EINVALID, "We couldn't read that. Please try again."))
		return
	}
	id := s.takeCeremonyCookie(w, r)
	if _, err := s.svc.Accounts.FinishPasskeyRegistration(r.Context(), actorOf(r), id, in.Name, in.Credential); err != nil {
		s.jsonFail(w, r, err)
		return
	}
	s.flash(w, "Your passkey “"+strings.TrimSpace(in.Name)+"” is added. Next time, choose “Sign in with a passkey”.")
	writeJSON(w, http.StatusCreated, map[string]string{"redirect": "/settings/security#passkeys"})
}

func (s *Server) handlePasskeyLoginOptions(w http.ResponseWriter, r *http.Request) {
	opts, id, err := s.svc.Accounts.BeginPasskeyLogin(r.Context())
	if err != nil {
		s.jsonFail(w, r, err)
		return
	}
	s.setCeremonyCookie(w, id)
	writeJSON(w, http.StatusOK, map[string]json.RawMessage{"publicKey": opts})
}

func (s *Server) handlePasskeyLogin(w http.ResponseWriter, r *http.Request) {
	body, err := io.ReadAll(r.Body)
	if err != nil {
		s.jsonFail(w, r, bodyError(err))
		return
	}
	id := s.takeCeremonyCookie(w, r)
	_, secret, err := s.svc.Accounts.FinishPasskeyLogin(r.Context(), id, body, deviceLabel(r.UserAgent()))
	if err != nil {
		s.jsonFail(w, r, err)
		return
	}
	// A pending code session in this browser is replaced by this one.
	if p := pendingActor(r); p != nil {
		_ = s.svc.Accounts.LogOut(r.Context(), p)
	}
	s.setSessionCookie(w, secret)
	writeJSON(w, http.StatusOK, map[string]string{"redirect": safeNext(r.URL.Query().Get("next"))})
}

// registerSecurityAPI registers the security API operations (api_security.go).
func (s *Server) registerSecurityAPI(api huma.API) {
	s.registerSecurityOps(api)
}
