package web

import (
	"net/http"
	"net/url"
	"strings"

	"kindred"
	"kindred/internal/accounts"
	"kindred/internal/orgs"
)

// safeNext returns a same-site path to continue to, or "/".
func safeNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") {
		return "/"
	}
	return next
}

func actorOf(r *http.Request) *kindred.Actor { return kindred.ActorFrom(r.Context()) }

// parseForm reads a form body, answering kindly when it is too large.
func (s *Server) parseForm(w http.ResponseWriter, r *http.Request) bool {
	if err := r.ParseForm(); err != nil {
		s.fail(w, r, bodyError(err), nil)
		return false
	}
	return true
}

// deviceLabel names a browser coarsely ("Firefox on Android") so a person
// can recognise their sessions. Nothing more of the user agent is kept.
func deviceLabel(ua string) string {
	browser, os := "A browser", ""
	for _, b := range []struct{ key, name string }{{"Edg/", "Edge"}, {"Firefox/", "Firefox"}, {"Chrome/", "Chrome"}, {"Safari/", "Safari"}} {
		if strings.Contains(ua, b.key) {
			browser = b.name
			break
		}
	}
	for _, o := range []struct{ key, name string }{{"Android", "Android"}, {"iPhone", "iPhone"}, {"iPad", "iPad"}, {"Windows", "Windows"}, {"Mac OS", "macOS"}, {"Linux", "Linux"}} {
		if strings.Contains(ua, o.key) {
			os = o.name
			break
		}
	}
	if os == "" {
		return browser
	}
	return browser + " on " + os
}

type homeData struct {
	Places []*orgs.Place
}

func (s *Server) handleHome(w http.ResponseWriter, r *http.Request) {
	need, err := s.svc.Setup.Needed(r.Context())
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if need {
		http.Redirect(w, r, "/setup", http.StatusSeeOther)
		return
	}
	places, err := s.svc.Orgs.List(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.render(w, r, http.StatusOK, "home", &page{Title: "Kindred", Data: homeData{Places: places}})
}

func (s *Server) handleHealth(w http.ResponseWriter, r *http.Request) {
	if s.opts.Ready != nil {
		if err := s.opts.Ready(r.Context()); err != nil {
			s.log.ErrorContext(r.Context(), "health", "err", err)
			writeJSON(w, http.StatusServiceUnavailable, map[string]string{"status": "unavailable"})
			return
		}
	}
	writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
}

func (s *Server) handleNotFound(w http.ResponseWriter, r *http.Request) {
	s.fail(w, r, kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that page. It may have moved, or the link may be mistyped."), nil)
}

// Setup: the first visit to an empty instance creates the operator's
// account and the first organisation.

func (s *Server) handleSetupForm(w http.ResponseWriter, r *http.Request) {
	need, err := s.svc.Setup.Needed(r.Context())
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if !need {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	s.render(w, r, http.StatusOK, "setup", &page{Title: "Set up Kindred", Form: newForm(r, nil)})
}

// setupFormFields maps the setup service's field names to the form's.
var setupFormFields = map[string]string{"org.name": "org_name", "org.slug": "org_slug", "org.kind": "org_kind",
	"org.description": "org_description", "org.join_policy": "join_policy", "org.code_of_conduct": "code_of_conduct"}

func (s *Server) handleSetup(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	signup := kindred.SignupDraft{Handle: trimmed(r, "handle"), Password: r.PostFormValue("password"),
		AgeBand: kindred.AgeBand(r.PostFormValue("age_band")), DisplayName: trimmed(r, "display_name"), Pronouns: trimmed(r, "pronouns")}
	org := kindred.OrganizationDraft{Name: trimmed(r, "org_name"), Slug: trimmed(r, "org_slug"), Kind: kindred.OrgKind(r.PostFormValue("org_kind")),
		JoinPolicy: kindred.JoinPolicy(r.PostFormValue("join_policy")), Description: r.PostFormValue("org_description"),
		CodeOfConduct: r.PostFormValue("code_of_conduct")}
	created, secret, err := s.svc.Setup.Run(r.Context(), signup, org, deviceLabel(r.UserAgent()))
	if s.formFailed(w, r, err, func(st int, f *form) {
		for k, v := range f.Errors {
			if name, ok := setupFormFields[k]; ok {
				delete(f.Errors, k)
				f.Errors[name] = v
			}
		}
		s.render(w, r, st, "setup", &page{Title: "Set up Kindred", Form: f})
	}) {
		return
	}
	s.setSessionCookie(w, secret)
	s.flash(w, "Welcome! "+created.Org.Name+" is ready. Next: create a first group and invite people.")
	http.Redirect(w, r, "/o/"+created.Org.Slug+"/admin", http.StatusSeeOther)
}

func (s *Server) handleSignupForm(w http.ResponseWriter, r *http.Request) {
	s.accountForm(w, r, "signup", "Join Kindred")
}

// accountForm shows the sign-up or log-in form, carrying where to go next;
// someone already signed in goes straight there.
func (s *Server) accountForm(w http.ResponseWriter, r *http.Request, name, title string) {
	next := r.URL.Query().Get("next")
	if actorOf(r).SignedIn() {
		http.Redirect(w, r, safeNext(next), http.StatusSeeOther)
		return
	}
	f := newForm(r, nil)
	f.Values.Set("next", next)
	s.render(w, r, http.StatusOK, name, &page{Title: title, Form: f})
}

func (s *Server) handleSignup(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	d := kindred.SignupDraft{Handle: trimmed(r, "handle"), Password: r.PostFormValue("password"),
		AgeBand: kindred.AgeBand(r.PostFormValue("age_band")), DisplayName: trimmed(r, "display_name"),
		Pronouns: trimmed(r, "pronouns"), Email: trimmed(r, "email")}
	acct, secret, err := s.svc.Accounts.SignUp(r.Context(), d, s.clientKeyFor(r), deviceLabel(r.UserAgent()))
	if err != nil {
		s.render(w, r, StatusFor(err), "signup", &page{Title: "Join Kindred", Form: newForm(r, err)})
		return
	}
	s.setSessionCookie(w, secret)
	s.flash(w, "Welcome to Kindred, "+acct.Name()+". You're signed in.")
	http.Redirect(w, r, safeNext(r.PostFormValue("next")), http.StatusSeeOther)
}

func (s *Server) handleLoginForm(w http.ResponseWriter, r *http.Request) {
	s.accountForm(w, r, "login", "Log in")
}

func (s *Server) handleLogin(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	res, err := s.svc.Accounts.LogInWith(r.Context(), accounts.LoginAttempt{Handle: r.PostFormValue("handle"),
		Password: r.PostFormValue("password"), Client: s.clientKeyFor(r), SharedNetwork: s.sharedNetwork(r),
		Label: deviceLabel(r.UserAgent())})
	if err != nil {
		s.render(w, r, StatusFor(err), "login", &page{Title: "Log in", Form: newForm(r, err)})
		return
	}
	s.setSessionCookie(w, res.Secret)
	next := safeNext(r.PostFormValue("next"))
	if res.NeedsCode {
		http.Redirect(w, r, "/login/code?next="+url.QueryEscape(next), http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, next, http.StatusSeeOther)
}

func (s *Server) handleLogout(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	if actor == nil {
		actor = pendingActor(r) // leaving at the code step ends that session too
	}
	if err := s.svc.Accounts.LogOut(r.Context(), actor); err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.clearSessionCookie(w)
	s.flash(w, "You're logged out. Take care.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

func (s *Server) handleLogoutAll(w http.ResponseWriter, r *http.Request) {
	n, err := s.svc.Accounts.LogOutEverywhere(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.clearSessionCookie(w)
	s.flash(w, "You're logged out everywhere ("+plural(n, "session")+" ended).")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

type profileData struct {
	Account *kindred.Account
	Places  []*orgs.Place
	Avatar  string // URL of their picture, or "" (pages_uploads.go)
}

func (s *Server) handleProfile(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	if !actor.SignedIn() {
		s.fail(w, r, kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first."), nil)
		return
	}
	places, err := s.svc.Orgs.List(r.Context(), actor)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	var mine []*orgs.Place
	for _, p := range places {
		if p.Membership != nil {
			mine = append(mine, p)
		}
	}
	s.render(w, r, http.StatusOK, "profile", &page{Title: "Your profile", Data: profileData{Account: actor.Account, Places: mine,
		Avatar: s.ownAvatar(r)}})
}

type settingsData struct {
	Account  *kindred.Account
	Sessions []*kindred.Session
	Current  string
	Tokens   []*kindred.Token
	NewToken string
}

func (s *Server) settingsPage(w http.ResponseWriter, r *http.Request, status int, f *form, newToken string) {
	actor := actorOf(r)
	sessions, err := s.svc.Accounts.Sessions(r.Context(), actor)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	tokens, err := s.svc.Accounts.Tokens(r.Context(), actor)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
		f.Values = url.Values{"display_name": {actor.Account.DisplayName}, "pronouns": {actor.Account.Pronouns},
			"bio": {actor.Account.Bio}, "email": {actor.Account.Email}}
	}
	s.render(w, r, status, "settings", &page{Title: "Settings", Form: f, Data: settingsData{Account: actor.Account,
		Sessions: sessions, Current: actor.SessionID, Tokens: tokens, NewToken: newToken}})
}

func (s *Server) handleSettings(w http.ResponseWriter, r *http.Request) {
	s.settingsPage(w, r, http.StatusOK, nil, "")
}

func (s *Server) handleSettingsProfile(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	dn, pr, bio, email := r.PostFormValue("display_name"), r.PostFormValue("pronouns"), r.PostFormValue("bio"), r.PostFormValue("email")
	_, err := s.svc.Accounts.UpdateProfile(r.Context(), actorOf(r), kindred.ProfileUpdate{DisplayName: &dn, Pronouns: &pr, Bio: &bio, Email: &email})
	if s.formFailed(w, r, err, func(st int, f *form) { s.settingsPage(w, r, st, f, "") }) {
		return
	}
	s.flash(w, "Your profile is saved.")
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
}

func (s *Server) handleSettingsPassword(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	err := s.svc.Accounts.ChangePassword(r.Context(), actorOf(r), r.PostFormValue("current_password"), r.PostFormValue("new_password"))
	if s.formFailed(w, r, err, func(st int, f *form) { s.settingsPage(w, r, st, f, "") }) {
		return
	}
	s.flash(w, "Your password is changed, and your other sessions are logged out.")
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
}

func (s *Server) handleTokenCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, secret, err := s.svc.Accounts.CreateToken(r.Context(), actorOf(r), trimmed(r, "token_name"))
	if err != nil {
		if kindred.ErrorCode(err) == kindred.EINVALID {
			f := newForm(r, &kindred.Error{Code: kindred.EINVALID, Message: kindred.ErrorMessage(err),
				Fields: map[string]string{"token_name": kindred.ErrorFields(err)["name"]}})
			s.settingsPage(w, r, StatusFor(err), f, "")
			return
		}
		s.fail(w, r, err, nil)
		return
	}
	// The secret is shown once, on this response; it is never stored.
	s.settingsPage(w, r, http.StatusCreated, nil, secret)
}

func (s *Server) handleTokenDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Accounts.DeleteToken(r.Context(), actorOf(r), r.PathValue("id")); err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "The token is revoked.")
	http.Redirect(w, r, "/settings", http.StatusSeeOther)
}
