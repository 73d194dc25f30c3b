package web_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"kindred"
	"kindred/internal/accounts"
	"kindred/internal/kindredtest"
)

// logInWithPassword logs a visitor in through the log-in form and returns
// the client and where the form sent it.
func logInWithPassword(t *testing.T, env *kindredtest.Env, handle string) (*kindredtest.Client, string) {
	t.Helper()
	c := env.Visitor(t)
	req, _ := http.NewRequest(http.MethodPost, env.HTTP.URL+"/login", strings.NewReader(url.Values{"handle": {handle}, "password": {kindredtest.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("log in as %s: %d", handle, res.StatusCode)
	}
	return c, res.Header.Get("Location")
}

// location follows nothing and returns the status and Location of a GET.
func secLocation(t *testing.T, c *kindredtest.Client, path string) (int, string) {
	t.Helper()
	res, err := c.Client.Get(c.Base + path)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	return res.StatusCode, res.Header.Get("Location")
}

var secretPattern = regexp.MustCompile(`<code id="totp-secret" class="secret">([A-Z2-7 ]+)</code>`)

func TestStaffMustSetUpTwoStepThenLogInWithACode(t *testing.T) {
	env := kindredtest.New(t)
	admin := env.Account(t, "sam_staff", kindred.AgeAdult)
	env.Org(t, admin, "centre", kindred.JoinOpen)
	member := env.Account(t, "rosa", kindred.AgeYouth)
	env.Member(t, env.Org(t, admin, "other", kindred.JoinOpen), member, kindred.RoleMember, kindred.StatusActive)

	// A member's log-in is unchanged: straight in.
	if _, loc := logInWithPassword(t, env, "rosa"); loc != "/" {
		t.Fatalf("member log-in went to %q", loc)
	}

	c, loc := logInWithPassword(t, env, "sam_staff")
	if loc != "/" {
		t.Fatalf("staff without codes: log-in went to %q", loc)
	}
	// Staff pages wait for the set-up; member pages do not.
	if st, loc := secLocation(t, c, "/o/centre/admin"); st != http.StatusSeeOther || loc != "/settings/security?required=1" {
		t.Fatalf("admin page before set-up: %d %q", st, loc)
	}
	if st, _ := c.Get("/o/centre"); st != http.StatusOK {
		t.Fatalf("member page before set-up: %d", st)
	}
	st, body := c.Get("/settings/security?required=1")
	if st != http.StatusOK {
		t.Fatalf("security page: %d", st)
	}
	mustContain(t, body, "Your role needs two-step sign-in", "your staff pages wait")
	// The API refuses staff operations with a clear 403.
	req, _ := http.NewRequest(http.MethodGet, env.HTTP.URL+"/api/v1/organizations/centre/members", nil)
	res, err := c.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	var e struct {
		Error struct{ Code, Message string } `json:"error"`
	}
	_ = json.NewDecoder(res.Body).Decode(&e)
	res.Body.Close()
	if res.StatusCode != http.StatusForbidden || !strings.Contains(e.Error.Message, "two-step sign-in") {
		t.Fatalf("API before set-up: %d %+v", res.StatusCode, e)
	}
	// Nor can a token be made to get round it.
	if st, loc := func() (int, string) {
		st, _ := c.Post("/settings/tokens", url.Values{"token_name": {"script"}})
		return st, ""
	}(); st != http.StatusSeeOther {
		t.Fatalf("token from a password-only staff session: %d %s", st, loc)
	}

	// Set up an authenticator app.
	if st, _ := c.Post("/settings/security/two-factor", nil); st != http.StatusSeeOther {
		t.Fatalf("begin: %d", st)
	}
	_, body = c.Get("/settings/security")
	m := secretPattern.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no secret on the page:\n%s", body)
	}
	secret, err := accounts.DecodeTOTPSecret(m[1])
	if err != nil {
		t.Fatal(err)
	}
	if st, body := c.Post("/settings/security/two-factor/confirm", url.Values{"code": {"000000"}}); st != http.StatusUnprocessableEntity || !strings.Contains(body, "didn&#39;t match") {
		t.Fatalf("wrong first code: %d", st)
	}
	now := time.Now()
	used := accounts.TOTPCode(secret, now)
	st, body = c.Post("/settings/security/two-factor/confirm", url.Values{"code": {used}})
	if st != http.StatusCreated || !strings.Contains(body, `id="recovery-codes"`) {
		t.Fatalf("confirm: %d", st)
	}
	if st, _ := c.Get("/o/centre/admin"); st != http.StatusOK {
		t.Fatalf("admin page after set-up: %d", st)
	}

	// The next log-in asks for a code after the password.
	c2, loc := logInWithPassword(t, env, "sam_staff")
	if !strings.HasPrefix(loc, "/login/code") {
		t.Fatalf("log-in with codes on went to %q", loc)
	}
	if st, loc := secLocation(t, c2, "/o/centre/admin"); st != http.StatusSeeOther || !strings.HasPrefix(loc, "/login/code") {
		t.Fatalf("a page before the code: %d %q", st, loc)
	}
	if st, _ := c2.Get("/login/code"); st != http.StatusOK {
		t.Fatalf("code page: %d", st)
	}
	// The code used a moment ago does not work twice.
	if st, _ := c2.Post("/login/code", url.Values{"code": {used}, "next": {"/o/centre/admin"}}); st != http.StatusUnprocessableEntity {
		t.Fatalf("replayed code: %d", st)
	}
	next := accounts.TOTPCode(secret, now.Add(30*time.Second))
	if st, loc := func() (int, string) {
		req, _ := http.NewRequest(http.MethodPost, env.HTTP.URL+"/login/code", strings.NewReader(url.Values{"code": {next}, "next": {"/o/centre/admin"}}.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := c2.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		res.Body.Close()
		return res.StatusCode, res.Header.Get("Location")
	}(); st != http.StatusSeeOther || loc != "/o/centre/admin" {
		t.Fatalf("right code: %d %q", st, loc)
	}
	if st, _ := c2.Get("/o/centre/admin"); st != http.StatusOK {
		t.Fatalf("admin page after the code: %d", st)
	}
}

func TestSessionsListedAndRevoked(t *testing.T) {
	env := kindredtest.New(t)
	rosa := env.Account(t, "rosa", kindred.AgeAdult)
	phone := env.Client(t, rosa)
	laptop, _ := logInWithPassword(t, env, "rosa")
	st, body := phone.Get("/settings/security")
	if st != http.StatusOK {
		t.Fatal(st)
	}
	mustContain(t, body, "Where you're logged in", "this device", "Log out this session")
	sessions, err := env.Services.Accounts.Sessions(t.Context(), &kindred.Actor{Account: rosa})
	if err != nil || len(sessions) != 2 {
		t.Fatalf("sessions %v %v", sessions, err)
	}
	var laptopID string
	for _, s := range sessions {
		if s.Label != "test" {
			laptopID = s.ID
		}
	}
	if st, _ := laptop.Get("/settings"); st != http.StatusOK {
		t.Fatalf("laptop before: %d", st)
	}
	if st, _ := phone.Post("/settings/security/sessions/"+laptopID+"/revoke", nil); st != http.StatusSeeOther {
		t.Fatalf("revoke: %d", st)
	}
	if st, loc := secLocation(t, laptop, "/settings"); st != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
		t.Fatalf("revoked session still works: %d %q", st, loc)
	}
	if st, _ := phone.Get("/settings"); st != http.StatusOK {
		t.Fatalf("the other session ended too: %d", st)
	}
	// Someone else's session id looks like none.
	other := env.Client(t, env.Account(t, "kai", kindred.AgeAdult))
	if st, _ := other.Post("/settings/security/sessions/"+sessions[0].ID+"/revoke", nil); st != http.StatusNotFound {
		t.Fatalf("revoking another person's session: %d", st)
	}
}

func TestLogInLockoutIsExplainedKindly(t *testing.T) {
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	env.Account(t, "rosa", kindred.AgeAdult)
	c := env.Visitor(t)
	for range accounts.DefaultThrottle.AccountFree {
		if st, _ := c.Post("/login", url.Values{"handle": {"rosa"}, "password": {"not my password"}}); st != http.StatusUnauthorized {
			t.Fatalf("wrong password: %d", st)
		}
	}
	st, body := c.Post("/login", url.Values{"handle": {"rosa"}, "password": {kindredtest.Password}})
	if st != http.StatusTooManyRequests {
		t.Fatalf("after %d failures: %d", accounts.DefaultThrottle.AccountFree, st)
	}
	mustContain(t, body, "paused log-in for about a minute", `value="rosa"`)
}
