package web_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"kindred/internal/demo"
	"kindred/internal/kindredtest"
)

// TestTwoPeopleChatInALiveSession is the live issue's end-to-end story in
// Chromium, with each person in a browser of their own: Alex and Rosa find
// the demo's drop-in session, accept the group agreements, enter the room
// and talk; the facilitator, Priya, removes Rosa through the page; Rosa's
// page says so and receives nothing more, and she cannot come back in.
func TestTwoPeopleChatInALiveSession(t *testing.T) {
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	ctx := context.Background()
	if _, err := demo.Seed(ctx, env.Store, env.Services.Markup,
		func(pw string) (string, error) { return env.Hasher.Hash(ctx, pw) }, time.Now()); err != nil {
		t.Fatal(err)
	}
	base := strings.Replace(env.HTTP.URL, "127.0.0.1", "localhost", 1)
	shots := screenshotDir(t)
	shot := func(b context.Context, name string) {
		t.Helper()
		png, err := chromedp.Run(b, chromedp.FullScreenshot(100))
		if err != nil {
			t.Fatalf("screenshot %s: %v", name, err)
		}
		if err := os.WriteFile(filepath.Join(shots, name+".png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
	}

	// enter logs a demo person in and takes them into the drop-in room the
	// way a person would: the group, its sessions, the session, the
	// agreements.
	enter := func(handle string, first bool) (context.Context, string) {
		t.Helper()
		b := browser(t)
		steps := []struct {
			what string
			do   chromedp.Action[chromedp.Void]
		}{
			{"open the log-in page", chromedp.Navigate(base + "/login")},
			{"type the handle", chromedp.SendKeys(chromedp.CSS("#f-handle"), handle)},
			{"type the password", chromedp.SendKeys(chromedp.CSS("#f-password"), demo.Password)},
			{"log in", chromedp.Click(chromedp.CSS(`form[action="/login"] button`))},
			{"see the log-out button", chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`))},
			{"open the group's sessions", chromedp.Navigate(base + "/o/harbour/g/coming-out/sessions")},
			{"open the drop-in session", chromedp.Click(chromedp.Search(`//h2/a[contains(., "Drop-in circle")]`))},
			{"find the agreements", chromedp.WaitVisible(chromedp.CSS("#enter"))},
		}
		if first {
			steps = append(steps, []struct {
				what string
				do   chromedp.Action[chromedp.Void]
			}{
				{"accept the agreements", chromedp.Click(chromedp.CSS("#f-agree"))},
				{"enter", chromedp.Click(chromedp.CSS(`#enter form button[type=submit]`))},
			}...)
		} else { // already in this meeting
			steps = append(steps, struct {
				what string
				do   chromedp.Action[chromedp.Void]
			}{"go back to the room", chromedp.Click(chromedp.Search(`//a[contains(., "Go back to the room")]`))})
		}
		steps = append(steps, struct {
			what string
			do   chromedp.Action[chromedp.Void]
		}{"see the room", chromedp.WaitReady(chromedp.CSS("[data-chat-log]"))})
		for _, st := range steps {
			sctx, cancel := context.WithTimeout(b, 15*time.Second)
			err := chromedp.Do(sctx, st.do)
			cancel()
			if err != nil {
				loc, _ := chromedp.Run(b, chromedp.Location())
				t.Fatalf("%s: %s: %v (at %s)", handle, st.what, err, loc)
			}
		}
		waitJS(t, b, handle+" connected", `document.querySelector("[data-chat-status]").textContent === "Connected"`)
		loc, err := chromedp.Run(b, chromedp.Location())
		if err != nil {
			t.Fatal(err)
		}
		return b, loc
	}
	say := func(b context.Context, who, text string) {
		t.Helper()
		if err := chromedp.Do(b, chromedp.SendKeys(chromedp.CSS("#f-body"), text),
			chromedp.Click(chromedp.CSS("[data-chat-form] button[type=submit]"))); err != nil {
			t.Fatalf("%s says %q: %v", who, text, err)
		}
	}
	sees := func(b context.Context, who, text string) {
		t.Helper()
		waitJS(t, b, who+" sees "+text, `[...document.querySelectorAll(".msg-body")].some(e => e.textContent.includes(`+jsString(text)+`))`)
	}

	alex, room := enter("alex_demo", true)
	rosa, rosaRoom := enter("rosa_rue", true)
	if rosaRoom != room {
		t.Fatalf("Alex is in %s, Rosa in %s", room, rosaRoom)
	}
	sees(rosa, "Rosa", "Lighter. Weird how much you carry") // the room's history
	waitJS(t, alex, "Alex sees Rosa here", `/Here now:.*Rosa/.test(document.querySelector("[data-chat-here]").textContent)`)

	say(alex, "Alex", "Hi Rosa, glad you came in tonight.")
	sees(rosa, "Rosa", "Hi Rosa, glad you came in tonight.")
	say(rosa, "Rosa", "Thanks Alex! Still a bit nervous.")
	sees(alex, "Alex", "Thanks Alex! Still a bit nervous.")
	shot(alex, "live-alex")
	shot(rosa, "live-rosa")

	// Priya, the facilitator, removes Rosa through the people list.
	priya, _ := enter("priya_lights", false)
	if _, err := chromedp.Run(priya, chromedp.Evaluate[bool](`window.confirm = () => true; true`)); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(priya,
		chromedp.Click(chromedp.Search(`//li[@data-person][.//span[@class="person-name" and .="Rosa"]]//summary[contains(., "Remove from session")]`)),
		chromedp.SendKeys(chromedp.Search(`//li[@data-person][.//span[@class="person-name" and .="Rosa"]]//input[@name="reason"]`), "Testing the facilitator tools"),
		chromedp.Click(chromedp.Search(`//li[@data-person][.//span[@class="person-name" and .="Rosa"]]//button[contains(., "Remove from session")]`)),
		chromedp.WaitReady(chromedp.CSS("[data-chat-log]"))); err != nil {
		t.Fatalf("Priya removes Rosa: %v", err)
	}
	waitJS(t, rosa, "Rosa is told, and can no longer send", `document.querySelector("[data-chat-status]").textContent.includes("asked you to leave") &&
		document.getElementById("f-body").disabled && document.querySelector("[data-chat-here]").hidden`)
	waitJS(t, alex, "Alex reads the notice", `document.querySelector("[data-chat-log]").textContent.includes("asked Rosa to leave")`)

	say(alex, "Alex", "Hope you're okay, Rosa.")
	sees(alex, "Alex", "Hope you're okay, Rosa.")
	time.Sleep(time.Second) // give a stray delivery every chance to arrive
	if got, _ := chromedp.Run(rosa, chromedp.Evaluate[bool](`document.body.textContent.includes("Hope you're okay")`)); got {
		t.Fatal("Rosa still received a message after being removed")
	}
	shot(rosa, "live-rosa-removed")

	// Coming back is refused, exactly as if the room did not exist.
	if err := chromedp.Do(rosa, chromedp.Navigate("about:blank"), chromedp.Navigate(room)); err != nil {
		t.Fatal(err)
	}
	if title, _ := chromedp.Run(rosa, chromedp.Title()); !strings.Contains(title, "Not found") {
		t.Errorf("Rosa back at the room sees %q", title)
	}
}

// jsString quotes s for a JavaScript expression.
func jsString(s string) string {
	return "'" + strings.NewReplacer(`\`, `\\`, `'`, `\'`).Replace(s) + "'"
}
