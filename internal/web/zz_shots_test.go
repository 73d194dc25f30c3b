package web_test

import (
	"context"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kindred/internal/demo"
	"kindred/internal/kindredtest"
)

func TestZZShots(t *testing.T) {
	if os.Getenv("SHOTS") == "" {
		t.Skip()
	}
	env := kindredtest.New(t)
	if _, err := demo.Seed(context.Background(), env.Store, env.Services.Markup, func(pw string) (string, error) { return env.Hasher.Hash(context.Background(), pw) }, time.Now()); err != nil {
		t.Fatal(err)
	}
	ctx := browser(t)
	base := strings.Replace(env.HTTP.URL, "127.0.0.1", "localhost", 1)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(chromedp.Do(ctx, chromedp.Navigate(base+"/login"), chromedp.SendKeys(chromedp.CSS("#f-handle"), os.Getenv("SHOTS")),
		chromedp.SendKeys(chromedp.CSS("#f-password"), "kindred-demo-2026"), chromedp.Click(chromedp.CSS(`form[action="/login"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`))))
	for _, p := range strings.Split(os.Getenv("PAGES"), ",") {
		must(chromedp.Do(ctx, chromedp.Navigate(base+p), chromedp.Sleep(300*time.Millisecond)))
		shot, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
		must(err)
		name := strings.NewReplacer("/", "_").Replace(p)
		must(os.WriteFile("/tmp/shots/"+os.Getenv("SHOTS")+name+".png", shot, 0o644))
	}
}
