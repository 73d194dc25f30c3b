package web_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kindred"
	"kindred/internal/demo"
	"kindred/internal/kindredtest"
)

// TestReportAndCrisisInTheBrowser is issue 5's moderation story in
// Chromium, on the demo community:
//   - Alex reports a reply in a coming-out thread;
//   - Sam, the admin, opens the queue, opens the case and hides the reply;
//   - the reply is gone for Alex, and Alex's reports tell the outcome;
//   - Alex replies with crisis words and at once sees the crisis lines.
func TestReportAndCrisisInTheBrowser(t *testing.T) {
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	ctx := context.Background()
	if _, err := demo.Seed(ctx, env.Store, env.Services.Markup,
		func(pw string) (string, error) { return env.Hasher.Hash(ctx, pw) }, time.Now()); err != nil {
		t.Fatal(err)
	}
	base := strings.Replace(env.HTTP.URL, "127.0.0.1", "localhost", 1)
	org, err := env.Store.FindOrganizationBySlug(ctx, "harbour")
	if err != nil {
		t.Fatal(err)
	}
	alexAcct, err := env.Store.FindAccountByHandle(ctx, "alex_demo")
	if err != nil {
		t.Fatal(err)
	}
	// A reply someone else wrote, in a thread of a group Alex is in.
	g, err := env.Store.FindGroupBySlug(ctx, org.ID, "coming-out")
	if err != nil {
		t.Fatal(err)
	}
	threads, err := env.Store.ListThreads(ctx, kindred.ThreadFilter{GroupID: g.ID})
	if err != nil {
		t.Fatal(err)
	}
	var thread *kindred.Thread
	var reply *kindred.Post
	for _, th := range threads {
		posts, err := env.Store.ListPosts(ctx, kindred.PostFilter{ThreadID: th.ID})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range posts[1:] {
			if p.AuthorID != alexAcct.ID && !p.Deleted() && th.ReplyCount < 40 {
				thread, reply = th, p
				break
			}
		}
		if reply != nil {
			break
		}
	}
	if reply == nil {
		t.Fatal("no reply by someone else in the demo's coming-out group")
	}
	threadURL := base + "/o/harbour/g/coming-out/t/" + thread.ID
	postSel := "#post-" + reply.ID

	run := func(b context.Context, who string, steps ...step) {
		t.Helper()
		for _, st := range steps {
			sctx, cancel := context.WithTimeout(b, 15*time.Second)
			err := chromedp.Do(sctx, st.do)
			cancel()
			if err != nil {
				loc, _ := chromedp.Run(b, chromedp.Location())
				body, _ := chromedp.Run(b, chromedp.Evaluate[string](`document.querySelector("main") ? document.querySelector("main").innerText.slice(0, 600) : ""`))
				t.Fatalf("%s: %s: %v (at %s)\n%s", who, st.what, err, loc, body)
			}
		}
	}
	login := func(handle string) context.Context {
		t.Helper()
		b := browser(t)
		run(b, handle,
			step{"open the log-in page", chromedp.Navigate(base + "/login")},
			step{"type the handle", chromedp.SendKeys(chromedp.CSS("#f-handle"), handle)},
			step{"type the password", chromedp.SendKeys(chromedp.CSS("#f-password"), demo.Password)},
			step{"log in", chromedp.Click(chromedp.CSS(`form[action="/login"] button`))},
			step{"give the two-step code if asked", demoTwoStep(base, handle)},
			step{"see the log-out button", chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`))})
		return b
	}
	mainHas := func(b context.Context, who, text string) {
		t.Helper()
		waitJS(t, b, who+" reads "+text, `document.querySelector("main").innerText.includes(`+jsString(text)+`)`)
	}

	// 1. Alex reports the reply.
	alex := login("alex_demo")
	run(alex, "Alex",
		step{"open the thread", chromedp.Navigate(threadURL)},
		step{"see the reply", chromedp.WaitVisible(chromedp.CSS(postSel))},
		step{"open its report page", chromedp.Click(chromedp.CSS(postSel + ` a[href$="/report"]`))},
		step{"choose a reason", chromedp.Click(chromedp.CSS(`input[name="reason"][value="harassment"]`))},
		step{"add a note", chromedp.SendKeys(chromedp.CSS("#f-note"), "This made me feel unsafe.")},
		step{"send the report", chromedp.Click(chromedp.Search(`//button[contains(., "Send report")]`))})
	mainHas(alex, "Alex", "Thank you for telling us")
	mainHas(alex, "Alex", "A moderator will look at it soon.")

	// 2. Sam hides it from the queue.
	sam := login("sam_admin")
	run(sam, "Sam",
		step{"open the queue", chromedp.Navigate(base + "/o/harbour/moderation")},
		step{"open the case", chromedp.Click(chromedp.Search(`//main//table//a[contains(., "Post")]`))},
		step{"read the report", chromedp.WaitVisible(chromedp.Search(`//main//*[contains(., "This made me feel unsafe.")]`))},
		step{"choose hide", chromedp.Click(chromedp.CSS(`input[name="action"][value="hide"]`))},
		step{"give a reason", chromedp.SendKeys(chromedp.CSS("#f-reason"), "Harassing another member.")},
		step{"record it", chromedp.Click(chromedp.Search(`//button[contains(., "Record the decision")]`))})
	mainHas(sam, "Sam", "The decision is recorded in the audit log")

	// 3. The reply is gone for Alex, who is told the outcome.
	run(alex, "Alex",
		step{"open the thread again", chromedp.Navigate(threadURL)},
		step{"see the thread", chromedp.WaitVisible(chromedp.CSS("#posts"))})
	gone, err := chromedp.Run(alex, chromedp.Evaluate[bool](`document.querySelector(`+jsString(postSel)+`) === null`))
	if err != nil {
		t.Fatal(err)
	}
	if !gone {
		p, _ := env.Store.FindPost(ctx, reply.ID)
		cs, _ := env.Store.ListModerationCases(ctx, kindred.CaseFilter{OrgID: org.ID})
		for _, c := range cs {
			t.Logf("case %+v", *c)
		}
		t.Fatalf("the hidden reply is still on Alex's thread page (hidden %q)", p.Hidden)
	}
	run(alex, "Alex", step{"open my reports", chromedp.Navigate(base + "/o/harbour/reports")})
	mainHas(alex, "Alex", "A moderator hid this post. Thank you for telling us.")

	// 4. Alex writes crisis words and at once sees crisis lines.
	run(alex, "Alex",
		step{"open the thread", chromedp.Navigate(threadURL)},
		step{"write a reply", chromedp.SendKeys(chromedp.CSS(`textarea[name="body"]`), "Honestly I want to kill myself tonight.")},
		step{"send it", chromedp.Click(chromedp.Search(`//button[contains(., "Send reply")]`))},
		step{"see the crisis message", chromedp.WaitVisible(chromedp.CSS(".crisis-notice .resource-list"))})
	mainHas(alex, "Alex", "It sounds like things are really hard right now")

	// The moderators' header now shows a crisis flag.
	run(sam, "Sam", step{"open the queue again", chromedp.Navigate(base + "/o/harbour/moderation")},
		step{"see the badge", chromedp.WaitVisible(chromedp.CSS(".crisis-badge"))})
	mainHas(sam, "Sam", "open crisis flag")

	// The pages pass axe-core's checks, the crisis notice included (the
	// full tour is in a11y_test.go).
	axePath := os.Getenv("KINDRED_AXE")
	if axePath == "" {
		return
	}
	axe, err := os.ReadFile(axePath)
	if err != nil {
		t.Fatal(err)
	}
	t.Run("axe/alex/crisis notice", func(t *testing.T) { checkAxe(t, alex, string(axe)) })
	cases, err := env.Store.ListModerationCases(ctx, kindred.CaseFilter{OrgID: org.ID})
	if err != nil || len(cases) == 0 {
		t.Fatalf("cases: %v", err)
	}
	pages := map[context.Context][]string{
		alex: {"/o/harbour/reports", "/o/harbour/g/coming-out/p/" + thread.OpeningPost + "/report"},
		sam:  {"/o/harbour/moderation", "/o/harbour/moderation?show=resolved", "/o/harbour/moderation/cases/" + cases[0].ID, "/o/harbour/moderation/settings"},
	}
	for b, paths := range pages {
		for _, p := range paths {
			t.Run("axe"+p, func(t *testing.T) {
				run(b, "axe", step{"open " + p, chromedp.Navigate(base + p)}, step{"wait", chromedp.WaitReady(chromedp.CSS("main"))})
				checkAxe(t, b, string(axe))
			})
		}
	}
}

// reportPageOf is the report page of a thread's opening post (a path like
// /o/harbour/g/coming-out/t/<id>), for the accessibility checks.
func reportPageOf(t *testing.T, env *kindredtest.Env, threadPath string) string {
	t.Helper()
	id := threadPath[strings.LastIndex(threadPath, "/")+1:]
	th, err := env.Store.FindThread(context.Background(), id)
	if err != nil {
		t.Fatal(err)
	}
	groupPath := threadPath[:strings.LastIndex(threadPath, "/t/")]
	return groupPath + "/p/" + th.OpeningPost + "/report"
}
