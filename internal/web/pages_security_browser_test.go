package web_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	cdpwebauthn "github.com/chromedp/cdproto/webauthn"
	"github.com/chromedp/chromedp"

	"kindred"
	"kindred/internal/accounts"
	"kindred/internal/demo"
	"kindred/internal/kindredtest"
)

// demoTwoStep completes the code step of logging in when the page asks
// for it (demo moderators, coordinators and admins have two-step codes
// with demo.StaffTOTPSecret); for everyone else it does nothing. Each code
// works once, so a second log-in of the same person on the same instance
// within 30 seconds uses the next step's code, which is still accepted.
func demoTwoStep(base, handle string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, tg *chromedp.Target) (chromedp.Void, error) {
		var none chromedp.Void
		if _, err := chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"], #f-code`))(ctx, tg); err != nil {
			return none, err
		}
		asked, err := chromedp.Evaluate[bool](`!!document.getElementById("f-code")`)(ctx, tg)
		if err != nil || !asked {
			return none, err
		}
		secret, err := accounts.DecodeTOTPSecret(demo.StaffTOTPSecret)
		if err != nil {
			return none, err
		}
		code := accounts.TOTPCode(secret, demoCodeTime(base+" "+handle))
		if _, err := chromedp.SendKeys(chromedp.CSS("#f-code"), code)(ctx, tg); err != nil {
			return none, err
		}
		if _, err := chromedp.Click(chromedp.CSS(`form[action="/login/code"] button[type=submit]`))(ctx, tg); err != nil {
			return none, err
		}
		// The code page has a log-out form of its own ("Cancel and log
		// out"): wait for it to be gone, or the caller's next navigation
		// races the code's submission and is aborted.
		if _, err := chromedp.WaitNotPresent(chromedp.CSS("#f-code"))(ctx, tg); err != nil {
			return none, err
		}
		return chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`))(ctx, tg)
	}
}

var demoSteps = struct {
	sync.Mutex
	last map[string]int64
}{last: map[string]int64{}}

// demoCodeTime returns a moment whose code has not been used for key yet:
// now, or the next 30-second step (accepted as a phone clock running a
// little fast), or it waits for a new step.
func demoCodeTime(key string) time.Time {
	demoSteps.Lock()
	defer demoSteps.Unlock()
	for {
		now := time.Now()
		step := accounts.TOTPStep(now)
		switch last := demoSteps.last[key]; {
		case last < step:
			demoSteps.last[key] = step
			return now
		case last == step:
			demoSteps.last[key] = step + 1
			return now.Add(30 * time.Second)
		}
		time.Sleep(time.Second)
	}
}

// TestBrowserPasskeyRegisterAndSignIn adds a passkey at /settings/security
// with Chromium's virtual authenticator and signs in with it from /login
// without a handle or password.
func TestBrowserPasskeyRegisterAndSignIn(t *testing.T) {
	env := kindredtest.New(t)
	rosa := env.Account(t, "rosa_passkey", kindred.AgeAdult)
	b := browser(t)
	base := strings.Replace(env.HTTP.URL, "127.0.0.1", "localhost", 1)
	if env.Services.Accounts.PublicURL() != base {
		t.Fatalf("passkeys are bound to %s, the browser uses %s", env.Services.Accounts.PublicURL(), base)
	}
	if _, err := chromedp.Call(b, cdpwebauthn.Enable, cdpwebauthn.EnableParams{}); err != nil {
		t.Fatal(err)
	}
	if _, err := chromedp.Call(b, cdpwebauthn.AddVirtualAuthenticator, cdpwebauthn.AddVirtualAuthenticatorParams{
		Options: &cdpwebauthn.VirtualAuthenticatorOptions{Protocol: cdpwebauthn.AuthenticatorProtocolCtap2,
			Transport: cdpwebauthn.AuthenticatorTransportInternal, HasResidentKey: true, HasUserVerification: true,
			IsUserVerified: true, AutomaticPresenceSimulation: true}}); err != nil {
		t.Fatal(err)
	}
	step := func(name string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		sctx, cancel := context.WithTimeout(b, 20*time.Second)
		defer cancel()
		if err := chromedp.Do(sctx, actions...); err != nil {
			body, _ := chromedp.Run(b, chromedp.Evaluate[string](`document.querySelector("main") ? document.querySelector("main").innerText : ""`))
			t.Fatalf("%s: %v\npage: %s", name, err, body)
		}
	}
	step("log in with the password", chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#f-handle"), rosa.Handle),
		chromedp.SendKeys(chromedp.CSS("#f-password"), kindredtest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)))
	step("open the security page", chromedp.Navigate(base+"/settings/security"),
		chromedp.WaitVisible(chromedp.CSS("[data-passkey-register]")))
	step("add a passkey", chromedp.SendKeys(chromedp.CSS("#f-passkey_name"), "my phone"),
		chromedp.Click(chromedp.CSS("[data-passkey-add]")),
		chromedp.WaitVisible(chromedp.Search(`//span[@class="passkey-name"][.="my phone"]`)))
	keys, err := env.Store.ListPasskeys(t.Context(), rosa.ID)
	if err != nil || len(keys) != 1 || keys[0].Name != "my phone" {
		t.Fatalf("stored passkeys %v, %v", keys, err)
	}

	step("log out", chromedp.Click(chromedp.CSS(`form[action="/logout"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`a[href="/login"], a[href^="/login?"]`)))
	step("sign in with the passkey", chromedp.Navigate(base+"/login?next=%2Fsettings%2Fsecurity"),
		chromedp.WaitVisible(chromedp.CSS("[data-passkey-signin]")),
		chromedp.Click(chromedp.CSS("[data-passkey-signin]")),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
		chromedp.WaitVisible(chromedp.CSS("#passkeys")))
	sessions, err := env.Services.Accounts.Sessions(t.Context(), &kindred.Actor{Account: rosa})
	if err != nil || len(sessions) != 1 || sessions[0].TwoStep != kindred.TwoStepPasskey {
		t.Fatalf("after the passkey sign-in: %+v, %v", sessions, err)
	}
	keys, _ = env.Store.ListPasskeys(t.Context(), rosa.ID)
	if keys[0].LastUsedAt == nil {
		t.Error("the passkey's use was not recorded")
	}
}
