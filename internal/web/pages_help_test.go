package web_test

import (
	"context"
	"html"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"kindred"
	"kindred/internal/crisis"
	"kindred/internal/kindredtest"
)

const testExitURL = "https://weather.example/today"

// helpEnv is an instance with a listed organisation (harbour, a member
// and an admin) and an unlisted one (quiet), quick exit pointed at exitURL.
func helpEnv(t *testing.T, exitURL string) (*kindredtest.Env, *kindred.Account) {
	t.Helper()
	env := kindredtest.New(t, kindredtest.Options{QuickExitURL: exitURL})
	admin := env.Account(t, "sam_admin", kindred.AgeAdult)
	env.Org(t, admin, "harbour", kindred.JoinOpen)
	now := time.Now().UTC()
	quiet := &kindred.Organization{ID: kindred.NewID(), Slug: "quiet", Name: "Quiet Unlisted Circle", Kind: kindred.OrgCommunityCentre,
		JoinPolicy: kindred.JoinOpen, Description: "Unlisted.", CodeOfConduct: "Be kind.", Listed: false, CreatedAt: now}
	m := &kindred.Membership{OrgID: quiet.ID, AccountID: admin.ID, Roles: kindred.RoleMember | kindred.RoleAdmin,
		Status: kindred.StatusActive, ConductAcceptedAt: &now, CreatedAt: now}
	if err := env.Store.CreateOrganization(context.Background(), quiet, m); err != nil {
		t.Fatal(err)
	}
	return env, admin
}

// mustListLines checks a page lists every default crisis line, with
// numbers to tap.
func mustListLines(t *testing.T, body string) {
	t.Helper()
	mustContain(t, body, "<h1>Get help now</h1>", "If you are in danger right now", `href="tel:988"`, `href="sms:988"`,
		`href="tel:116123"`, `href="tel:18664887386"`)
	text := html.UnescapeString(body)
	for _, r := range crisis.DefaultResources() {
		mustContain(t, text, r.Name)
	}
}

func TestHelpPagesArePublic(t *testing.T) {
	env, admin := helpEnv(t, testExitURL)
	visitor := env.Visitor(t)

	st, help := visitor.Get("/help")
	if st != http.StatusOK {
		t.Fatalf("/help: %d", st)
	}
	mustListLines(t, help)

	st, org := visitor.Get("/o/harbour/help")
	if st != http.StatusOK {
		t.Fatalf("/o/harbour/help: %d", st)
	}
	mustListLines(t, org)
	mustContain(t, org, "Org harbour", `href="/o/harbour/help"`)

	// An unknown organisation, and one hidden from this person, get the
	// instance's page: the very same bytes as /help, so nothing tells
	// whether the organisation exists.
	for _, p := range []string{"/o/no-such-org/help", "/o/quiet/help"} {
		st, body := visitor.Get(p)
		if st != http.StatusOK {
			t.Fatalf("%s: %d", p, st)
		}
		if body != help {
			t.Errorf("%s differs from /help", p)
		}
		if strings.Contains(body, "Quiet Unlisted Circle") {
			t.Errorf("%s names the unlisted organisation", p)
		}
	}

	// Signed in, the organisation's own page still answers, and the
	// unlisted organisation's admin sees its name.
	st, body := env.Client(t, admin).Get("/o/quiet/help")
	if st != http.StatusOK || !strings.Contains(body, "Quiet Unlisted Circle") {
		t.Errorf("admin's /o/quiet/help: %d, or no name", st)
	}
	mustListLines(t, body)
}

// TestHelpPageWithoutTheDatabase: crisis lines come from memory, so the
// page answers even when the database is gone (for a signed-in person too).
func TestHelpPageWithoutTheDatabase(t *testing.T) {
	env, admin := helpEnv(t, testExitURL)
	member := env.Client(t, admin)
	if err := env.Store.Close(); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"/help", "/o/harbour/help"} {
		for who, c := range map[string]*kindredtest.Client{"visitor": env.Visitor(t), "member": member} {
			st, body := c.Get(p)
			if st != http.StatusOK {
				t.Errorf("%s as %s without a database: %d", p, who, st)
				continue
			}
			mustListLines(t, body)
		}
	}
}

func TestQuickExitAndHelpOnEveryPage(t *testing.T) {
	env, admin := helpEnv(t, testExitURL)
	exit := `<a class="quick-exit" href="` + testExitURL + `" rel="noreferrer" data-quick-exit aria-keyshortcuts="Escape"`
	for _, tc := range []struct {
		who        string
		c          *kindredtest.Client
		path, help string
	}{
		{"visitor", env.Visitor(t), "/", `href="/help"`},
		{"visitor", env.Visitor(t), "/login", `href="/help"`},
		{"visitor", env.Visitor(t), "/signup", `href="/help"`},
		{"visitor", env.Visitor(t), "/no/such/page", `href="/help"`},
		{"visitor", env.Visitor(t), "/o/harbour", `href="/o/harbour/help"`},
		{"visitor", env.Visitor(t), "/o/quiet", `href="/help"`},
		{"admin", env.Client(t, admin), "/settings", `href="/help"`},
		{"admin", env.Client(t, admin), "/o/harbour/groups", `href="/o/harbour/help"`},
	} {
		_, body := tc.c.Get(tc.path)
		if !strings.Contains(body, exit) || !strings.Contains(body, "or press Esc 3 times") {
			t.Errorf("%s %s: no quick exit to %s", tc.who, tc.path, testExitURL)
		}
		if !strings.Contains(body, `<a class="help-now" `+tc.help+`>Get help now</a>`) {
			t.Errorf("%s %s: no %s help link", tc.who, tc.path, tc.help)
		}
		// Quick exit comes right after the skip link, before anything else.
		skip := strings.Index(body, `class="skip-link"`)
		if q := strings.Index(body, `class="quick-exit"`); skip < 0 || q < skip || strings.Count(body[skip:q], "<a ") > 1 { // the one "<a " is quick exit's own
			t.Errorf("%s %s: quick exit is not the first link after the skip link", tc.who, tc.path)
		}
	}

	// With no setting, quick exit leads to the neutral default.
	def := kindredtest.New(t)
	if _, body := def.Visitor(t).Get("/login"); !strings.Contains(body, `href="https://www.google.com/search?q=weather" rel="noreferrer" data-quick-exit`) {
		t.Error("/login: quick exit does not lead to the default weather search")
	}
}

// TestQuickExitInTheBrowser: the button and Esc pressed three times leave
// at once for the neutral site, and Back does not bring the page back.
func TestQuickExitInTheBrowser(t *testing.T) {
	neutral := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write([]byte("<!doctype html><html lang=en><title>Weather</title><p>Sunny spells, light breeze.</p></html>"))
	}))
	t.Cleanup(neutral.Close)
	exitURL := neutral.URL + "/weather" // 127.0.0.1: another origin than Kindred's localhost
	env, _ := helpEnv(t, exitURL)
	ctx := browser(t)
	base := strings.Replace(env.HTTP.URL, "127.0.0.1", "localhost", 1)

	run := func(what string, a chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, a); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}
	eval := func(expr string) bool {
		t.Helper()
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		if err != nil {
			t.Fatalf("evaluate %s: %v", expr, err)
		}
		return ok
	}
	waitFor := func(what, expr string) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				loc, _ := chromedp.Run(ctx, chromedp.Location())
				t.Fatalf("%s: not so after 15 s (at %s, %v)", what, loc, err)
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	const onKindred = `document.body.textContent.includes("Crisis lines you can contact now")`

	for _, way := range []struct {
		name string
		exit chromedp.Action[chromedp.Void]
	}{
		{"Esc three times", chromedp.Steps(chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent(kb.Escape), chromedp.KeyEvent(kb.Escape))},
		{"the button", chromedp.Click(chromedp.CSS("a[data-quick-exit]"))},
	} {
		run(way.name+": start elsewhere", chromedp.Navigate("about:blank"))
		run(way.name+": open the help page", chromedp.Navigate(base+"/o/harbour/help"))
		waitFor(way.name+": page and script ready", `document.readyState === "complete" && `+onKindred)
		entries, err := chromedp.Run(ctx, chromedp.Evaluate[int]("history.length"))
		if err != nil {
			t.Fatal(err)
		}
		run(way.name+": leave", way.exit)
		waitFor(way.name+": on the neutral site", `location.href === `+jsString(exitURL)+` && document.body.textContent.includes("Sunny spells")`)
		if n, _ := chromedp.Run(ctx, chromedp.Evaluate[int]("history.length")); n != entries {
			t.Errorf("%s: history has %d entries after leaving, want %d (Kindred's replaced, not added to)", way.name, n, entries)
		}
		// Back must not show Kindred's page: the entry was replaced, so
		// Back goes to what came before (or, if a browser kept it, a blank
		// page).
		sctx, cancel := context.WithTimeout(ctx, 10*time.Second)
		_ = chromedp.Do(sctx, chromedp.NavigateBack()) // may fail: nothing to go back to is fine too
		cancel()
		if eval(`location.origin === ` + jsString(base) + ` && !document.body.hidden && ` + onKindred) {
			t.Errorf("%s: Back shows the Kindred page again", way.name)
		}
	}
}
