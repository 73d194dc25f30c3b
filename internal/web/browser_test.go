package web_test

import (
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kindred/internal/demo"
	"kindred/internal/kindredtest"
)

// browser starts Debian's Chromium headless, or skips when it is missing
// (CI sets KINDRED_REQUIRE_BROWSER=1 so a missing browser fails instead).
func browser(t *testing.T) context.Context {
	t.Helper()
	path, err := exec.LookPath("chromium")
	if err != nil {
		if os.Getenv("KINDRED_REQUIRE_BROWSER") != "" {
			t.Fatal("chromium is required (KINDRED_REQUIRE_BROWSER is set) but not installed")
		}
		t.Skip("skipping browser test: install Debian's chromium (apt-get install chromium) to run it")
	}
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path), chromedp.NoSandbox, chromedp.DisableGPU, chromedp.UserDataDir(t.TempDir()),
		chromedp.Flag("disable-component-update", true), chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true), chromedp.Flag("disable-sync", true),
		chromedp.Flag("no-first-run", true), chromedp.WindowSize(390, 844),
		// Several browsers run at once: none may be treated as a background
		// window whose rendering (and so its screenshots) is put off.
		chromedp.Flag("disable-renderer-backgrounding", true), chromedp.Flag("disable-background-timer-throttling", true),
		chromedp.Flag("disable-backgrounding-occluded-windows", true))
	ctx, cancel := context.WithTimeout(context.Background(), 4*time.Minute) // a safety net; steps have their own limits
	t.Cleanup(cancel)
	actx, c1 := chromedp.NewExecAllocator(ctx, opts...)
	t.Cleanup(c1)
	bctx, c2 := chromedp.NewContext(actx)
	t.Cleanup(c2)
	if err := chromedp.Do(bctx, chromedp.Navigate("about:blank")); err != nil {
		t.Fatalf("start chromium: %v", err)
	}
	return bctx
}

// screenshotDir is the test's output directory: KINDRED_SCREENSHOT_DIR when
// set (CI keeps it), else the test's artifact directory (kept under
// -outputdir when go test runs with -artifacts).
func screenshotDir(t *testing.T) string {
	if dir := os.Getenv("KINDRED_SCREENSHOT_DIR"); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err == nil {
			return dir
		}
	}
	return t.ArtifactDir()
}

// TestBrowserStoryWithContentWarning walks a newcomer through Kindred in a
// real browser: sign up, join the demo organisation and a group, post a
// story with a content warning, see it collapsed, and reply.
func TestBrowserStoryWithContentWarning(t *testing.T) {
	env := kindredtest.New(t)
	if _, err := demo.Seed(context.Background(), env.Store, env.Services.Markup,
		func(pw string) (string, error) { return env.Hasher.Hash(context.Background(), pw) }, time.Now()); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	// localhost, not 127.0.0.1: a secure context, as a real deployment is.
	base := strings.Replace(env.HTTP.URL, "127.0.0.1", "localhost", 1)

	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			shot, _ := chromedp.Run(ctx, chromedp.FullScreenshot(100))
			if len(shot) > 0 {
				p := filepath.Join(screenshotDir(t), "failure.png")
				_ = os.WriteFile(p, shot, 0o644)
				t.Logf("screenshot of the failure: %s", p)
			}
			t.Fatalf("%s: %v", name, err)
		}
	}

	step("sign up",
		chromedp.Navigate(base+"/signup"),
		chromedp.WaitVisible(chromedp.CSS("#f-handle")),
		chromedp.SendKeys(chromedp.CSS("#f-handle"), "morning_tide"),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "a long walk by the sea"),
		chromedp.Click(chromedp.CSS(`input[name=age_band][value="18-24"]`)),
		chromedp.SendKeys(chromedp.CSS("#f-pronouns"), "they/them"),
		chromedp.Click(chromedp.CSS(`form[action="/signup"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
	)

	step("join the organisation",
		chromedp.Navigate(base+"/o/harbour"),
		chromedp.WaitVisible(chromedp.CSS("#f-accept_conduct")),
		chromedp.Click(chromedp.CSS("#f-accept_conduct")),
		chromedp.Click(chromedp.CSS(`form[action="/o/harbour/join"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/o/harbour/g/coming-out"]`)),
	)

	step("join a group",
		chromedp.Click(chromedp.CSS(`a[href="/o/harbour/g/coming-out"]`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/o/harbour/g/coming-out/join"] button`)),
		chromedp.Click(chromedp.CSS(`form[action="/o/harbour/g/coming-out/join"] button`)),
		chromedp.WaitVisible(chromedp.CSS("#f-title")),
	)

	story := "I told my sister last night. She went quiet, then hugged me."
	step("post a story with a content warning",
		chromedp.SendKeys(chromedp.CSS("#f-title"), "Coming out to my sister"),
		chromedp.SendKeys(chromedp.CSS("#f-body"), story),
		chromedp.SendKeys(chromedp.CSS("#f-content_warning"), "family tension"),
		chromedp.Click(chromedp.CSS(`form[action="/o/harbour/g/coming-out/threads"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("article.post-opening details.cw summary")),
	)

	open, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("article.post-opening details.cw").open`))
	if err != nil {
		t.Fatal(err)
	}
	if open {
		t.Fatal("the content warning is open on arrival; it must start collapsed")
	}
	summary, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("article.post-opening details.cw summary")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(summary, "family tension") {
		t.Fatalf("content warning summary = %q, want it to name the warning", summary)
	}
	visible, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`document.querySelector("article.post-opening .post-body").checkVisibility()`))
	if err != nil {
		t.Fatal(err)
	}
	if visible {
		t.Fatal("the story under a content warning is visible before the reader opens it")
	}

	reply := "That hug says so much. Proud of you for telling her."
	step("reply",
		chromedp.SendKeys(chromedp.CSS("#f-body"), reply),
		chromedp.Click(chromedp.CSS(`form[action$="/replies"] button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("article.post:not(.post-opening) .post-body")),
	)
	got, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("article.post:not(.post-opening) .post-body")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(got, reply) {
		t.Fatalf("reply shows %q, want %q", got, reply)
	}

	left, err := chromedp.Run(ctx, chromedp.Value(chromedp.CSS(`form[action$="/replies"] textarea`)))
	if err != nil {
		t.Fatal(err)
	}
	if left != "" {
		t.Fatalf("the reply box still holds %q after the reply was posted", left)
	}

	step("open the content warning",
		chromedp.Click(chromedp.CSS("article.post-opening details.cw summary")),
		chromedp.WaitVisible(chromedp.CSS("article.post-opening .post-body")),
	)
	text, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS("article.post-opening .post-body")))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, story) {
		t.Fatalf("opened story shows %q, want %q", text, story)
	}

	shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	p := filepath.Join(screenshotDir(t), "thread.png")
	if err := os.WriteFile(p, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot of the thread page: %s", p)
}
