package web_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"kindred"
	"kindred/internal/demo"
	"kindred/internal/kindredtest"
	"kindred/internal/live"
)

// TestAccessibility runs axe-core (WCAG 2.0–2.2 A and AA rules) over the
// main pages, as a visitor, a member and an admin, in light and dark mode.
// axe-core comes from npm; .ci/run fetches it and sets KINDRED_AXE.
func TestAccessibility(t *testing.T) {
	axePath := os.Getenv("KINDRED_AXE")
	if axePath == "" {
		t.Skip("set KINDRED_AXE to axe-core's axe.min.js (npm pack axe-core) to run the accessibility checks")
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	env := kindredtest.New(t)
	if _, err := demo.Seed(context.Background(), env.Store, env.Services.Markup,
		func(pw string) (string, error) { return env.Hasher.Hash(context.Background(), pw) }, time.Now()); err != nil {
		t.Fatal(err)
	}
	thread := firstThread(t, env, "coming-out")
	lp := liveDemoPages(t, env)
	sp := supportDemoPages(t, env)
	base := strings.Replace(env.HTTP.URL, "127.0.0.1", "localhost", 1)

	type visit struct {
		who   string // "" for a visitor
		pages []string
	}
	visits := []visit{
		{"", []string{"/", "/signup", "/login", "/o/harbour", "/help", "/o/harbour/help"}},
		{"alex_demo", []string{"/o/harbour", "/o/harbour/groups", "/o/harbour/g/coming-out", thread, "/settings", "/settings/security", "/settings/data", "/profile", "/safety-plan", "/safety-plan/print",
			"/o/harbour/g/parents-and-families", "/o/harbour/nope",
			"/o/harbour/g/coming-out/sessions", lp.session, lp.room, "/o/harbour/messages", lp.conversation,
			"/o/harbour/support", sp.alexRequest, "/o/harbour/training", "/o/harbour/training/c/foundations", sp.module}},
		{"alex_demo", []string{"/settings/people", blockDemoPage(t, env)}}, // pages_blocks_test.go
		{"alex_demo", []string{"/settings/avatar", "/o/harbour/g/coming-out/uploads"}},
		{"sam_admin", []string{"/o/harbour/admin/safety", "/o/harbour/transparency", "/settings/discreet"}}, // pages_orgsafety.go
		{"kwame_tide", []string{"/o/harbour/support/inbox", "/o/harbour/support/profile", sp.kwameRequest}},
		{"margo_knits", []string{"/o/harbour/support/supervision", "/o/harbour/support/settings", "/o/harbour/training/reviews",
			sp.halReview, "/o/harbour/training/c/foundations/edit", sp.moduleEdit, sp.kwameRequest}},
		{"alex_demo", []string{"/o/harbour/reports", reportPageOf(t, env, thread)}}, {"sam_admin", []string{"/o/harbour/moderation", "/o/harbour/moderation/settings"}},
		{"sam_admin", []string{"/o/harbour/admin", "/o/harbour/admin/privacy", "/o/harbour/admin/members", "/o/harbour/admin/invites", "/o/harbour/admin/audit",
			"/o/harbour/groups/new", "/o/harbour/g/parents-and-families/manage", "/o/harbour/g/survivors-circle",
			"/o/harbour/g/coming-out/sessions/new", lp.session, lp.room}},
	}
	// One visit per person: each logs in once per scheme, so the test stays
	// well inside the login limits (10 a minute per address) it would
	// otherwise trip, and the pages added by each feature above join their
	// person's visit.
	visits = oneVisitEach(visits, func(v visit) string { return v.who }, func(into *visit, v visit) { into.pages = append(into.pages, v.pages...) })
	for _, scheme := range []string{"light", "dark"} {
		for _, v := range visits {
			ctx := browser(t)
			if _, err := chromedp.Call(ctx, emulation.SetEmulatedMedia, emulation.SetEmulatedMediaParams{
				Features: []*emulation.MediaFeature{{Name: "prefers-color-scheme", Value: scheme}}}); err != nil {
				t.Fatal(err)
			}
			narrow := scheme == "light" // light pages are checked on a 360 px phone, dark ones on a desktop
			if narrow {
				if err := chromedp.Do(ctx, chromedp.EmulateViewport(360, 740)); err != nil {
					t.Fatal(err)
				}
			} else if err := chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900)); err != nil {
				t.Fatal(err)
			}
			if v.who != "" {
				if err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"),
					chromedp.SendKeys(chromedp.CSS("#f-handle"), v.who),
					chromedp.SendKeys(chromedp.CSS("#f-password"), demo.Password),
					chromedp.Click(chromedp.CSS(`form[action="/login"] button`)),
					demoTwoStep(base, v.who), // staff have two-step codes (pages_security_browser_test.go)
					chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`))); err != nil {
					t.Fatalf("log in as %s: %v", v.who, err)
				}
			}
			pages := v.pages
			if v.who == "" {
				pages = append(pages, "signup-with-errors")
			}
			for _, p := range pages {
				name := fmt.Sprintf("%s/%s%s", scheme, or(v.who, "visitor"), p)
				t.Run(name, func(t *testing.T) {
					if p == "signup-with-errors" {
						// A form sent back with errors must be as accessible as a fresh one.
						if err := chromedp.Do(ctx, chromedp.Navigate(base+"/signup"),
							chromedp.SendKeys(chromedp.CSS("#f-handle"), "x"),
							chromedp.Click(chromedp.CSS(`form[action="/signup"] button[type=submit]`)),
							chromedp.WaitVisible(chromedp.CSS(".form-errors"))); err != nil {
							t.Fatal(err)
						}
					} else if err := chromedp.Do(ctx, chromedp.Navigate(base+p), chromedp.WaitReady(chromedp.CSS("main"))); err != nil {
						t.Fatal(err)
					}
					checkAxe(t, ctx, string(axe))
					if narrow {
						checkFits(t, ctx)
					}
				})
			}
		}
	}
}

// liveDemoPages adds live sessions and chat to the demo: a session of
// "coming-out" under way, entered by its facilitator, alex_demo and
// sam_admin, with a few messages; and a conversation between alex_demo and
// mei_spades. It returns the paths of the pages to check.
func liveDemoPages(t *testing.T, env *kindredtest.Env) (pages struct{ session, room, conversation string }) {
	t.Helper()
	ctx := context.Background()
	o, err := env.Store.FindOrganizationBySlug(ctx, "harbour")
	if err != nil {
		t.Fatal(err)
	}
	g, err := env.Store.FindGroupBySlug(ctx, o.ID, "coming-out")
	if err != nil {
		t.Fatal(err)
	}
	actor := func(handle string) *kindred.Actor {
		a, err := env.Store.FindAccountByHandle(ctx, handle)
		if err != nil {
			t.Fatal(err)
		}
		return kindredtest.Actor(a)
	}
	priya, alex, sam := actor("priya_lights"), actor("alex_demo"), actor("sam_admin")
	sess := openLiveSession(t, env.Store, g, priya.AccountID(), 12)
	lv := env.Services.Live
	var roomID string
	for _, who := range []*kindred.Actor{priya, alex, sam} {
		v, err := lv.Enter(ctx, who, "harbour", "coming-out", sess.ID, live.EnterOptions{Agree: true, Anonymous: who == alex})
		if err != nil {
			t.Fatal(err)
		}
		roomID = v.Room.ID
	}
	for _, m := range []struct {
		who  *kindred.Actor
		body string
	}{{priya, "Welcome, everyone. Take a breath; there's no rush."}, {alex, "Hi. First time here, a bit nervous."},
		{priya, "So glad you came. *Nervous is very welcome here.*"}} {
		if _, err := lv.Send(ctx, m.who, roomID, kindred.ChatDraft{Body: m.body, Nonce: kindred.NewID()}); err != nil {
			t.Fatal(err)
		}
	}
	conv, err := lv.OpenConversation(ctx, alex, "harbour", "mei_spades")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lv.Send(ctx, alex, conv.ID, kindred.ChatDraft{Body: "Thanks for your reply in the group yesterday.", Nonce: kindred.NewID()}); err != nil {
		t.Fatal(err)
	}
	pages.session = "/o/harbour/g/coming-out/sessions/" + sess.ID
	pages.room, pages.conversation = "/rooms/"+roomID, "/rooms/"+conv.ID
	return pages
}

func or(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

type axeResult struct {
	Violations []struct {
		ID    string `json:"id"`
		Help  string `json:"help"`
		Nodes []struct {
			Target  []any  `json:"target"`
			Summary string `json:"failureSummary"`
		} `json:"nodes"`
	} `json:"violations"`
}

func checkAxe(t *testing.T, ctx context.Context, axe string) {
	t.Helper()
	// DevTools evaluation is not subject to the page's CSP, which rightly
	// forbids injected scripts.
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[any](axe)); err != nil {
		t.Fatalf("load axe: %v", err)
	}
	raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`axe.run(document, {runOnly: {type: "tag",
		values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]}, resultTypes: ["violations"]}).then(r => JSON.stringify(r))`,
		chromedp.EvalAwaitPromise))
	if err != nil {
		t.Fatalf("run axe: %v", err)
	}
	var res axeResult
	if err := json.Unmarshal([]byte(raw), &res); err != nil {
		t.Fatal(err)
	}
	for _, v := range res.Violations {
		for _, n := range v.Nodes {
			t.Errorf("%s (%s) at %v: %s", v.ID, v.Help, n.Target, n.Summary)
		}
	}
}

// checkFits fails when the page scrolls sideways on a 360 px screen
// (wide tables may scroll inside their own box; the page may not).
func checkFits(t *testing.T, ctx context.Context) {
	t.Helper()
	over, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const w = document.documentElement.clientWidth;
		if (document.documentElement.scrollWidth <= w) return "";
		const wide = [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > w + 1 && !e.closest(".table-wrap"));
		return document.documentElement.scrollWidth + "px wide; first too wide: " + (wide[0] ? wide[0].outerHTML.slice(0, 120) : "?");
	})()`))
	if err != nil {
		t.Fatal(err)
	}
	if over != "" {
		t.Errorf("the page scrolls sideways at 360 px: %s", over)
	}
}

// TestKeyboardFocusIsVisible tabs through the log-in page: the first stop
// is the skip link, every stop shows a focus outline, and the form can be
// sent from the keyboard alone.
func TestKeyboardFocusIsVisible(t *testing.T) {
	env := kindredtest.New(t)
	env.Account(t, "keys_only", kindred.AgeAdult)
	ctx := browser(t)
	base := strings.Replace(env.HTTP.URL, "127.0.0.1", "localhost", 1)
	if err := chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.WaitVisible(chromedp.CSS("#f-handle"))); err != nil {
		t.Fatal(err)
	}
	focused := func() (string, string) {
		t.Helper()
		raw, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => { const e = document.activeElement;
			const s = getComputedStyle(e); return [e.id || e.className || e.tagName, s.outlineStyle + " " + s.outlineWidth]; })()`))
		if err != nil || len(raw) != 2 {
			t.Fatalf("active element: %v %v", raw, err)
		}
		return raw[0], raw[1]
	}
	var stops []string
	for range 8 {
		if err := chromedp.Do(ctx, chromedp.KeyEvent("\t")); err != nil {
			t.Fatal(err)
		}
		who, outline := focused()
		stops = append(stops, who)
		if strings.HasPrefix(outline, "none") || strings.HasSuffix(outline, " 0px") {
			t.Errorf("%s has focus but no visible outline (%s)", who, outline)
		}
	}
	if stops[0] != "skip-link" {
		t.Errorf("the first tab stop is %q, want the skip link", stops[0])
	}
	if !contains(stops, "f-handle") || !contains(stops, "f-password") {
		t.Errorf("the form fields are not reachable by tab: %v", stops)
	}
	// Type and send with the keyboard only.
	if err := chromedp.Do(ctx, chromedp.Focus(chromedp.CSS("#f-handle")), chromedp.KeyEvent("keys_only"),
		chromedp.Focus(chromedp.CSS("#f-password")), chromedp.KeyEvent(kindredtest.Password+"\r"),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`))); err != nil {
		t.Fatalf("log in with the keyboard: %v", err)
	}
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// supportDemoPages finds the demo's training and support pages that need
// ids: the starter course's first module (and its editor), Hal's review
// waiting for Margo, Alex's ended request and Kwame's conversation with Mei.
func supportDemoPages(t *testing.T, env *kindredtest.Env) (pages struct{ module, moduleEdit, halReview, alexRequest, kwameRequest string }) {
	t.Helper()
	ctx := context.Background()
	org, err := env.Store.FindOrganizationBySlug(ctx, "harbour")
	if err != nil {
		t.Fatal(err)
	}
	course, err := env.Store.FindCourseBySlug(ctx, org.ID, "foundations")
	if err != nil {
		t.Fatal(err)
	}
	mods, err := env.Store.ListModules(ctx, course.ID)
	if err != nil || len(mods) == 0 {
		t.Fatalf("starter modules: %v", err)
	}
	base := "/o/harbour/training/c/foundations"
	pages.module, pages.moduleEdit = base+"/m/"+mods[0].ID, base+"/m/"+mods[0].ID+"/edit"
	account := func(handle string) string {
		a, err := env.Store.FindAccountByHandle(ctx, handle)
		if err != nil {
			t.Fatal(err)
		}
		return a.ID
	}
	pages.halReview = base + "/trainees/" + account("hedgerow_hal")
	request := func(handle string) string {
		rs, err := env.Store.ListSupportRequests(ctx, kindred.SupportRequestFilter{OrgID: org.ID, MemberID: account(handle), Limit: 1})
		if err != nil || len(rs) == 0 {
			t.Fatalf("the demo's request by %s: %v", handle, err)
		}
		return "/o/harbour/support/requests/" + rs[0].ID
	}
	pages.alexRequest, pages.kwameRequest = request("alex_demo"), request("mei_spades")
	return pages
}

// firstThread returns the path of a thread in one of the demo's groups.
func firstThread(t *testing.T, env *kindredtest.Env, group string) string {
	t.Helper()
	ctx := context.Background()
	o, err := env.Store.FindOrganizationBySlug(ctx, "harbour")
	if err != nil {
		t.Fatal(err)
	}
	g, err := env.Store.FindGroupBySlug(ctx, o.ID, group)
	if err != nil {
		t.Fatal(err)
	}
	var ths []string
	list, err := env.Store.ListThreads(ctx, groupThreads(g.ID))
	if err != nil || len(list) == 0 {
		t.Fatalf("no threads in %s: %v", group, err)
	}
	for _, th := range list {
		if th.ContentWarning != "" {
			return "/o/harbour/g/" + group + "/t/" + th.ID
		}
		ths = append(ths, th.ID)
	}
	return "/o/harbour/g/" + group + "/t/" + ths[0]
}

func groupThreads(groupID string) kindred.ThreadFilter { return kindred.ThreadFilter{GroupID: groupID} }

// oneVisitEach merges the visits of the same person into their first one,
// keeping the order in which people and pages first appear.
func oneVisitEach[V any](visits []V, who func(V) string, merge func(into *V, v V)) []V {
	var out []V
	at := map[string]int{}
	for _, v := range visits {
		if i, ok := at[who(v)]; ok {
			merge(&out[i], v)
			continue
		}
		at[who(v)] = len(out)
		out = append(out, v)
	}
	return out
}
