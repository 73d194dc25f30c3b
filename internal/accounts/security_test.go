package accounts_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"kindred"
	"kindred/internal/accounts"
	"kindred/internal/sqlstore"
	"kindred/internal/sqlstore/sqlstoretest"
)

// RFC 6238 appendix B, SHA-1: the 8-digit codes of the ASCII secret
// "12345678901234567890" at these times. Six-digit codes are their last
// six digits.
func TestTOTPMatchesRFC6238(t *testing.T) {
	secret := []byte("12345678901234567890")
	for _, v := range []struct {
		unix int64
		code string
	}{
		{59, "94287082"}, {1111111109, "07081804"}, {1111111111, "14050471"},
		{1234567890, "89005924"}, {2000000000, "69279037"}, {20000000000, "65353130"},
	} {
		at := time.Unix(v.unix, 0)
		if got := accounts.HOTP(secret, uint64(accounts.TOTPStep(at)), 8); got != v.code {
			t.Errorf("T=%d: got %s, want %s", v.unix, got, v.code)
		}
		if got := accounts.TOTPCode(secret, at); got != v.code[2:] {
			t.Errorf("T=%d six digits: got %s, want %s", v.unix, got, v.code[2:])
		}
	}
	// The base32 form round-trips, ignoring spaces and case.
	enc := accounts.EncodeTOTPSecret(secret)
	back, err := accounts.DecodeTOTPSecret(strings.ToLower(accounts.GroupSecret(enc)))
	if err != nil || string(back) != string(secret) {
		t.Fatalf("decode %q = %q, %v", enc, back, err)
	}
	uri := accounts.OTPAuthURI("kindred.example.org", "rosa", secret)
	if !strings.HasPrefix(uri, "otpauth://totp/kindred.example.org:rosa?") || !strings.Contains(uri, "secret="+enc) {
		t.Errorf("uri %s", uri)
	}
}

type securityWorld struct {
	s     *accounts.Service
	c     *clock
	store *sqlstore.DB
}

func newSecurityWorld(t *testing.T) *securityWorld {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	store := sqlstoretest.Open(t)
	// Generous in-memory limits: these tests are about the durable throttle.
	s := accounts.New(store, accounts.Options{Hasher: accounts.NewTestHasher(), Now: c.now,
		LoginEvery: time.Millisecond, LoginBurst: 1_000_000})
	return &securityWorld{s: s, c: c, store: store}
}

// enrol turns two-step codes on for the account's session and returns the
// app's secret.
func (w *securityWorld) enrol(t *testing.T, actor *kindred.Actor) []byte {
	t.Helper()
	ctx := context.Background()
	st, err := w.s.BeginTwoFactor(ctx, actor)
	if err != nil || !st.Pending || st.PendingSecret == "" {
		t.Fatalf("begin: %+v, %v", st, err)
	}
	secret, err := accounts.DecodeTOTPSecret(st.PendingSecret)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.ConfirmTwoFactor(ctx, actor, "000000"+"1"); kindred.ErrorCode(err) != kindred.EINVALID {
		t.Fatalf("a wrong code confirmed: %v", err)
	}
	codes, err := w.s.ConfirmTwoFactor(ctx, actor, accounts.TOTPCode(secret, w.c.t))
	if err != nil || len(codes) != accounts.RecoveryCodeCount {
		t.Fatalf("confirm: %v, %v", codes, err)
	}
	return secret
}

func (w *securityWorld) session(t *testing.T, secret string) (*kindred.Actor, accounts.Gate) {
	t.Helper()
	a, g, err := w.s.SessionState(context.Background(), secret)
	if err != nil {
		t.Fatal(err)
	}
	return a, g
}

func TestTwoStepCodesAtLogIn(t *testing.T) {
	w := newSecurityWorld(t)
	ctx := context.Background()
	a, first, err := w.s.SignUp(ctx, kindred.SignupDraft{Handle: "rosa", Password: "correct horse battery", AgeBand: kindred.AgeAdult}, "c", "test")
	if err != nil {
		t.Fatal(err)
	}
	actor, gate := w.session(t, first)
	if gate != accounts.GateNone {
		t.Fatalf("a member without codes: gate %v", gate)
	}
	appSecret := w.enrol(t, actor)
	if _, g := w.session(t, first); g != accounts.GateNone {
		t.Fatalf("the session that turned codes on must keep working, gate %v", g)
	}
	st, err := w.s.TwoFactor(ctx, actor)
	if err != nil || !st.Enabled || st.Pending || st.PendingSecret != "" || st.RecoveryLeft != accounts.RecoveryCodeCount {
		t.Fatalf("status after confirming: %+v, %v", st, err)
	}

	// Log-in with the password now waits for a code.
	res, err := w.s.LogInWith(ctx, accounts.LoginAttempt{Handle: "rosa", Password: "correct horse battery", Client: "c", Label: "phone"})
	if err != nil || !res.NeedsCode || res.Account.ID != a.ID {
		t.Fatalf("log in: %+v, %v", res, err)
	}
	if got, _ := w.s.SessionActor(ctx, res.Secret); got != nil {
		t.Fatal("a session waiting for its code acts as signed in")
	}
	if _, g := w.session(t, res.Secret); g != accounts.GateCode {
		t.Fatalf("gate %v, want GateCode", g)
	}
	// The code used to confirm the set-up does not work again (replay).
	used := accounts.TOTPCode(appSecret, w.c.t)
	if _, err := w.s.VerifySessionCode(ctx, res.Secret, used, "c"); kindred.ErrorCode(err) != kindred.EINVALID {
		t.Fatalf("replayed code: %v, want refused", err)
	}
	w.c.t = w.c.t.Add(30 * time.Second)
	fresh := accounts.TOTPCode(appSecret, w.c.t)
	if _, err := w.s.VerifySessionCode(ctx, res.Secret, fresh, "c"); err != nil {
		t.Fatalf("fresh code: %v", err)
	}
	if got, err := w.s.SessionActor(ctx, res.Secret); err != nil || got.AccountID() != a.ID {
		t.Fatalf("after the code: %v, %v", got, err)
	}
	// The same fresh code on another log-in is refused: each code works once.
	again, err := w.s.LogInWith(ctx, accounts.LoginAttempt{Handle: "rosa", Password: "correct horse battery", Client: "c", Label: "laptop"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.s.VerifySessionCode(ctx, again.Secret, fresh, "c"); kindred.ErrorCode(err) != kindred.EINVALID {
		t.Fatalf("code used twice: %v", err)
	}
	// A waiting session ends by itself.
	w.c.t = w.c.t.Add(accounts.CodeWait + time.Second)
	if got, _ := w.session(t, again.Secret); got != nil {
		t.Fatal("a session left waiting for its code did not expire")
	}
}

func TestRecoveryCodesWorkOnce(t *testing.T) {
	w := newSecurityWorld(t)
	ctx := context.Background()
	_, first, err := w.s.SignUp(ctx, kindred.SignupDraft{Handle: "rosa", Password: "correct horse battery", AgeBand: kindred.AgeAdult}, "c", "test")
	if err != nil {
		t.Fatal(err)
	}
	actor, _ := w.session(t, first)
	st, _ := w.s.BeginTwoFactor(ctx, actor)
	secret, _ := accounts.DecodeTOTPSecret(st.PendingSecret)
	codes, err := w.s.ConfirmTwoFactor(ctx, actor, accounts.TOTPCode(secret, w.c.t))
	if err != nil {
		t.Fatal(err)
	}
	for i, want := range []error{nil, errAny} {
		res, err := w.s.LogInWith(ctx, accounts.LoginAttempt{Handle: "rosa", Password: "correct horse battery", Client: "c"})
		if err != nil {
			t.Fatal(err)
		}
		_, err = w.s.VerifySessionCode(ctx, res.Secret, strings.ToUpper(codes[0]), "c")
		if (err == nil) != (want == nil) {
			t.Fatalf("recovery code, use %d: %v", i+1, err)
		}
	}
	if st, _ := w.s.TwoFactor(ctx, actor); st.RecoveryLeft != accounts.RecoveryCodeCount-1 {
		t.Errorf("recovery codes left %d", st.RecoveryLeft)
	}
	// Turning codes off needs a code; a member may.
	if err := w.s.DisableTwoFactor(ctx, actor, "123"); kindred.ErrorCode(err) != kindred.EINVALID {
		t.Fatalf("disable with a wrong code: %v", err)
	}
	if err := w.s.DisableTwoFactor(ctx, actor, codes[1]); err != nil {
		t.Fatalf("disable: %v", err)
	}
	res, err := w.s.LogInWith(ctx, accounts.LoginAttempt{Handle: "rosa", Password: "correct horse battery", Client: "c"})
	if err != nil || res.NeedsCode {
		t.Fatalf("log in after turning codes off: %+v, %v", res, err)
	}
}

var errAny = fmt.Errorf("any error")

func TestStaffNeedTwoStep(t *testing.T) {
	w := newSecurityWorld(t)
	ctx := context.Background()
	sam, _, err := w.s.SignUp(ctx, kindred.SignupDraft{Handle: "sam", Password: "correct horse battery", AgeBand: kindred.AgeAdult}, "c", "test")
	if err != nil {
		t.Fatal(err)
	}
	org := &kindred.Organization{ID: kindred.NewID(), Slug: "centre", Name: "Centre", Kind: kindred.OrgCommunityCentre, JoinPolicy: kindred.JoinOpen, CreatedAt: w.c.t}
	if err := w.store.CreateOrganization(ctx, org, &kindred.Membership{AccountID: sam.ID, Roles: kindred.RoleMember | kindred.RoleModerator,
		Status: kindred.StatusActive, CreatedAt: w.c.t}); err != nil {
		t.Fatal(err)
	}
	res, err := w.s.LogInWith(ctx, accounts.LoginAttempt{Handle: "sam", Password: "correct horse battery", Client: "c"})
	if err != nil || res.NeedsCode {
		t.Fatalf("staff without codes log in with a password (then set up): %+v, %v", res, err)
	}
	actor, gate := w.session(t, res.Secret)
	if gate != accounts.GateEnrol || actor == nil {
		t.Fatalf("staff with a password alone: gate %v, want GateEnrol", gate)
	}
	if st, _ := w.s.TwoFactor(ctx, actor); !st.Required {
		t.Error("status does not say codes are required")
	}
	secret := w.enrol(t, actor)
	if _, g := w.session(t, res.Secret); g != accounts.GateNone {
		t.Fatalf("after setting up codes: gate %v", g)
	}
	// Staff cannot turn codes off.
	w.c.t = w.c.t.Add(time.Minute)
	if err := w.s.DisableTwoFactor(ctx, actor, accounts.TOTPCode(secret, w.c.t)); kindred.ErrorCode(err) != kindred.EFORBIDDEN {
		t.Fatalf("staff turning codes off: %v, want EFORBIDDEN", err)
	}
	// Test and set-up sessions count as past the second step.
	trusted, err := w.s.StartSession(ctx, sam.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	if _, g := w.session(t, trusted); g != accounts.GateNone {
		t.Errorf("StartSession: gate %v", g)
	}
}

func TestLockoutAfterFailuresTellsHowLong(t *testing.T) {
	w := newSecurityWorld(t)
	ctx := context.Background()
	if _, _, err := w.s.SignUp(ctx, kindred.SignupDraft{Handle: "rosa", Password: "correct horse battery", AgeBand: kindred.AgeAdult}, "c", "t"); err != nil {
		t.Fatal(err)
	}
	try := func(pw, client string) error {
		_, err := w.s.LogInWith(ctx, accounts.LoginAttempt{Handle: "rosa", Password: pw, Client: client})
		return err
	}
	d := accounts.DefaultThrottle
	for i := range d.AccountFree {
		if err := try("wrong password", fmt.Sprint("client", i)); !accounts.IsBadLogin(err) {
			t.Fatalf("failure %d: %v", i+1, err)
		}
	}
	// Locked now, even with the right password, from anywhere.
	err := try("correct horse battery", "elsewhere")
	if kindred.ErrorCode(err) != kindred.ERATELIMIT || !strings.Contains(kindred.ErrorMessage(err), "about a minute") {
		t.Fatalf("after %d failures: %v, want a kind lock message", d.AccountFree, err)
	}
	// The lock is in the database: another service on the same store (a
	// restart, another node) sees it.
	other := accounts.New(w.store, accounts.Options{Hasher: accounts.NewTestHasher(), Now: w.c.now})
	if _, err := other.LogInWith(ctx, accounts.LoginAttempt{Handle: "rosa", Password: "correct horse battery", Client: "x"}); kindred.ErrorCode(err) != kindred.ERATELIMIT {
		t.Fatalf("another node: %v, want locked", err)
	}
	// Delays grow: each further failure doubles the wait.
	for i := range 4 {
		w.c.t = w.c.t.Add(d.Max)
		if err := try("wrong again", "c"); !accounts.IsBadLogin(err) {
			t.Fatalf("further failure %d: %v", i, err)
		}
	}
	err = try("correct horse battery", "c")
	if want := fmt.Sprintf("about %d minutes", int((d.Base * 16).Minutes())); !strings.Contains(kindred.ErrorMessage(err), want) {
		t.Fatalf("after 9 failures: %q, want %q", kindred.ErrorMessage(err), want)
	}
	// An unknown handle is locked the same way, so locks reveal nothing.
	for i := range d.AccountFree {
		_, _ = w.s.LogInWith(ctx, accounts.LoginAttempt{Handle: "nobody_here", Password: "x-wrong", Client: fmt.Sprint("n", i)})
	}
	if _, err := w.s.LogInWith(ctx, accounts.LoginAttempt{Handle: "nobody_here", Password: "x-wrong", Client: "n"}); kindred.ErrorCode(err) != kindred.ERATELIMIT {
		t.Fatalf("unknown handle: %v, want locked like a known one", err)
	}
	// Once the wait is over the right password works and clears the count.
	w.c.t = w.c.t.Add(d.Max)
	if err := try("correct horse battery", "c"); err != nil {
		t.Fatalf("after waiting: %v", err)
	}
	if err := try("wrong password", "c"); !accounts.IsBadLogin(err) {
		t.Fatalf("first failure after a success is not locked: %v", err)
	}
}

func TestSharedNetworkRaisesOnlyTheAddressLimit(t *testing.T) {
	w := newSecurityWorld(t)
	ctx := context.Background()
	d := accounts.DefaultThrottle
	// Many people at one address each mistype once: a school's network.
	guess := func(shared bool, client string, n int) error {
		var err error
		for i := range n {
			_, err = w.s.LogInWith(ctx, accounts.LoginAttempt{Handle: fmt.Sprintf("%s_pupil_%d", client, i), Password: "wrong password",
				Client: client, SharedNetwork: shared})
		}
		return err
	}
	if err := guess(false, "home", d.AddressFree+1); kindred.ErrorCode(err) != kindred.ERATELIMIT {
		t.Fatalf("an ordinary address after %d failures: %v, want locked", d.AddressFree+1, err)
	}
	if err := guess(true, "school", d.AddressFree+10); !accounts.IsBadLogin(err) {
		t.Fatalf("a shared network after %d failures: %v, want still open", d.AddressFree+10, err)
	}
	// The per-account limit is the same on a shared network.
	if _, _, err := w.s.SignUp(ctx, kindred.SignupDraft{Handle: "kai", Password: "correct horse battery", AgeBand: kindred.AgeYouth}, "s", "t"); err != nil {
		t.Fatal(err)
	}
	for range d.AccountFree {
		_, _ = w.s.LogInWith(ctx, accounts.LoginAttempt{Handle: "kai", Password: "wrong password", Client: "school", SharedNetwork: true})
	}
	if _, err := w.s.LogInWith(ctx, accounts.LoginAttempt{Handle: "kai", Password: "correct horse battery", Client: "school", SharedNetwork: true}); kindred.ErrorCode(err) != kindred.ERATELIMIT {
		t.Fatalf("account on a shared network: %v, want locked", err)
	}
}

func TestRevokeOneSession(t *testing.T) {
	w := newSecurityWorld(t)
	ctx := context.Background()
	a, phone, err := w.s.SignUp(ctx, kindred.SignupDraft{Handle: "rosa", Password: "correct horse battery", AgeBand: kindred.AgeAdult}, "c", "phone")
	if err != nil {
		t.Fatal(err)
	}
	laptop, _ := w.s.StartSession(ctx, a.ID, "laptop")
	me, _ := w.session(t, phone)
	b, _, _ := w.s.SignUp(ctx, kindred.SignupDraft{Handle: "bodhi", Password: "correct horse battery", AgeBand: kindred.AgeAdult}, "c", "x")
	bo, _ := w.s.StartSession(ctx, b.ID, "bo's")
	boActor, _ := w.session(t, bo)
	if err := w.s.RevokeSession(ctx, me, boActor.SessionID); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Fatalf("revoking another person's session: %v, want ENOTFOUND", err)
	}
	lap, _ := w.session(t, laptop)
	if err := w.s.RevokeSession(ctx, me, lap.SessionID); err != nil {
		t.Fatal(err)
	}
	if got, _ := w.s.SessionActor(ctx, laptop); got != nil {
		t.Fatal("the revoked session still works")
	}
	if got, _ := w.s.SessionActor(ctx, phone); got == nil {
		t.Fatal("revoking one session ended another")
	}
	if got, _ := w.s.SessionActor(ctx, bo); got == nil {
		t.Fatal("someone else's session ended")
	}
}
