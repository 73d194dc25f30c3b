package accounts_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kindred"
	"kindred/internal/accounts"
	"kindred/internal/sqlstore/sqlstoretest"
)

type clock struct{ t time.Time }

func (c *clock) now() time.Time { return c.t }

func newService(t *testing.T) (*accounts.Service, *clock) {
	t.Helper()
	c := &clock{t: time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)}
	store := sqlstoretest.Open(t)
	return accounts.New(store, accounts.Options{Hasher: accounts.NewTestHasher(), Now: c.now}), c
}

func signup(t *testing.T, s *accounts.Service, handle string) *kindred.Account {
	t.Helper()
	a, secret, err := s.SignUp(context.Background(), kindred.SignupDraft{Handle: handle, Password: "correct horse battery", AgeBand: kindred.AgeYoungAdult}, "client-"+handle, "test")
	if err != nil {
		t.Fatalf("sign up %s: %v", handle, err)
	}
	if actor, err := s.SessionActor(context.Background(), secret); err != nil || actor.AccountID() != a.ID {
		t.Fatalf("sign-up did not sign %s in: %v, %v", handle, actor, err)
	}
	return a
}

func TestPasswordHashing(t *testing.T) {
	ctx := context.Background()
	h := accounts.NewHasher(1)
	phc, err := h.Hash(ctx, "a long passphrase")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(phc, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("hash %q is not an argon2id PHC string at the OWASP minimum", phc)
	}
	if ok, rehash, err := h.Verify(ctx, phc, "a long passphrase"); err != nil || !ok || rehash {
		t.Fatalf("verify right password = %v, %v, %v", ok, rehash, err)
	}
	if ok, _, _ := h.Verify(ctx, phc, "a long passphrasE"); ok {
		t.Fatal("wrong password verified")
	}
	dummy := h.Dummy()
	if ok, _, err := h.Verify(ctx, dummy, "a long passphrase"); ok || err != nil {
		t.Fatalf("the dummy hash must be well formed and match nothing: ok=%v err=%v", ok, err)
	}
	if dummy[:len("$argon2id$v=19$m=19456,t=2,p=1$")] != phc[:len("$argon2id$v=19$m=19456,t=2,p=1$")] {
		t.Fatalf("the dummy hash %q has other parameters than a real one", dummy)
	}
	weak, _ := accounts.NewTestHasher().Hash(ctx, "x-password")
	if ok, rehash, _ := h.Verify(ctx, weak, "x-password"); !ok || !rehash {
		t.Fatalf("a hash with old parameters should verify and ask for a rehash: ok=%v rehash=%v", ok, rehash)
	}
}

func TestSignUp(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	a := signup(t, s, "River_Song")
	if a.ID == "" || len(a.ID) < 26 || a.PasswordHash == "" || a.IsOperator {
		t.Fatalf("account = %+v", a)
	}
	_, _, err := s.SignUp(ctx, kindred.SignupDraft{Handle: "river_song", Password: "another password", AgeBand: kindred.AgeAdult}, "c2", "test")
	if kindred.ErrorCode(err) != kindred.EINVALID || kindred.ErrorFields(err)["handle"] == "" {
		t.Fatalf("same handle in another case: %v, want EINVALID on handle", err)
	}
	_, _, err = s.SignUp(ctx, kindred.SignupDraft{Handle: "x", Password: "short"}, "c3", "test")
	fields := kindred.ErrorFields(err)
	for _, f := range []string{"handle", "password", "age_band"} {
		if fields[f] == "" {
			t.Errorf("no message for %s in %v", f, err)
		}
	}
}

func TestLogInDoesNotRevealHandles(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	signup(t, s, "known_person")
	_, _, wrongPassword := s.LogIn(ctx, "known_person", "not the password", "c1", "test")
	_, _, unknownHandle := s.LogIn(ctx, "nobody_here", "not the password", "c2", "test")
	if wrongPassword == nil || unknownHandle == nil {
		t.Fatal("bad log-ins succeeded")
	}
	if wrongPassword.Error() != unknownHandle.Error() || !accounts.IsBadLogin(unknownHandle) {
		t.Fatalf("answers differ: %q vs %q", wrongPassword, unknownHandle)
	}
	a, secret, err := s.LogIn(ctx, "@Known_Person ", "correct horse battery", "c3", "Firefox on Linux")
	if err != nil || secret == "" || a.Handle != "known_person" {
		t.Fatalf("good log-in: %v %q %v", a, secret, err)
	}
	actor, err := s.SessionActor(ctx, secret)
	if err != nil || actor.AccountID() != a.ID {
		t.Fatalf("session actor = %v, %v", actor, err)
	}
}

func TestLogInRateLimitsPerHandleWhetherOrNotItExists(t *testing.T) {
	s, c := newService(t)
	ctx := context.Background()
	signup(t, s, "known_person")
	for _, handle := range []string{"known_person", "nobody_here"} {
		var last error
		for i := range 11 {
			// A new client each time: only the per-handle limit can trip.
			_, _, last = s.LogIn(ctx, handle, "wrong password", "client"+string(rune('a'+i)), "test")
		}
		if kindred.ErrorCode(last) != kindred.ERATELIMIT {
			t.Fatalf("%s: 11th try = %v, want rate limited", handle, last)
		}
	}
	c.t = c.t.Add(10 * time.Minute)
	if _, _, err := s.LogIn(ctx, "known_person", "correct horse battery", "fresh", "test"); err != nil {
		t.Fatalf("after the limit refills: %v", err)
	}
}

func TestSessionsAndLogOutEverywhere(t *testing.T) {
	s, c := newService(t)
	ctx := context.Background()
	a := signup(t, s, "sessions_person")
	s1, _ := s.StartSession(ctx, a.ID, "phone")
	s2, _ := s.StartSession(ctx, a.ID, "laptop")
	actor, _ := s.SessionActor(ctx, s1)
	list, err := s.Sessions(ctx, actor)
	if err != nil || len(list) != 3 { // sign-up's own, the phone's and the laptop's
		t.Fatalf("sessions = %d, %v", len(list), err)
	}
	if err := s.LogOut(ctx, actor); err != nil {
		t.Fatal(err)
	}
	if gone, _ := s.SessionActor(ctx, s1); gone != nil {
		t.Fatal("session still valid after log out")
	}
	other, _ := s.SessionActor(ctx, s2)
	n, err := s.LogOutEverywhere(ctx, other)
	if err != nil || n != 2 {
		t.Fatalf("log out everywhere ended %d, %v; want 2 (sign-up's and the laptop's)", n, err)
	}
	if gone, _ := s.SessionActor(ctx, s2); gone != nil {
		t.Fatal("session still valid after log out everywhere")
	}
	s3, _ := s.StartSession(ctx, a.ID, "tablet")
	c.t = c.t.Add(31 * 24 * time.Hour)
	if gone, _ := s.SessionActor(ctx, s3); gone != nil {
		t.Fatal("session valid after it expired")
	}
}

func TestTokens(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	a := signup(t, s, "token_person")
	actor := &kindred.Actor{Account: a}
	tok, secret, err := s.CreateToken(ctx, actor, "my script")
	if err != nil || !strings.HasPrefix(secret, "kdt_") || tok.Hash == secret {
		t.Fatalf("token = %+v %q %v", tok, secret, err)
	}
	got, err := s.TokenActor(ctx, secret)
	if err != nil || got.AccountID() != a.ID || got.TokenID != tok.ID {
		t.Fatalf("token actor = %+v, %v", got, err)
	}
	if err := s.DeleteToken(ctx, actor, tok.ID); err != nil {
		t.Fatal(err)
	}
	if got, _ := s.TokenActor(ctx, secret); got != nil {
		t.Fatal("revoked token still works")
	}
	if _, _, err := s.CreateToken(ctx, actor, ""); kindred.ErrorCode(err) != kindred.EINVALID {
		t.Fatalf("unnamed token: %v", err)
	}
}

func TestChangePasswordEndsOtherSessions(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	a := signup(t, s, "pw_person")
	keep, _ := s.StartSession(ctx, a.ID, "here")
	other, _ := s.StartSession(ctx, a.ID, "elsewhere")
	actor, _ := s.SessionActor(ctx, keep)
	if err := s.ChangePassword(ctx, actor, "wrong current", "a brand new password"); kindred.ErrorFields(err)["current_password"] == "" {
		t.Fatalf("wrong current password: %v", err)
	}
	if err := s.ChangePassword(ctx, actor, "correct horse battery", "short"); kindred.ErrorFields(err)["new_password"] == "" {
		t.Fatalf("short new password: %v", err)
	}
	if err := s.ChangePassword(ctx, actor, "correct horse battery", "a brand new password"); err != nil {
		t.Fatal(err)
	}
	if still, _ := s.SessionActor(ctx, keep); still == nil {
		t.Fatal("the current session ended")
	}
	if gone, _ := s.SessionActor(ctx, other); gone != nil {
		t.Fatal("another session survived a password change")
	}
	if _, _, err := s.LogIn(ctx, "pw_person", "a brand new password", "c", "t"); err != nil {
		t.Fatalf("log in with the new password: %v", err)
	}
}

func TestBootstrapOnlyOnAnEmptyInstance(t *testing.T) {
	s, _ := newService(t)
	ctx := context.Background()
	need, err := s.NeedsSetup(ctx)
	if err != nil || !need {
		t.Fatalf("fresh instance needs setup = %v, %v", need, err)
	}
	op, err := s.Bootstrap(ctx, kindred.SignupDraft{Handle: "operator", Password: "operator password", AgeBand: kindred.AgeAdult})
	if err != nil || !op.IsOperator {
		t.Fatalf("bootstrap = %+v, %v", op, err)
	}
	if _, err := s.Bootstrap(ctx, kindred.SignupDraft{Handle: "intruder", Password: "operator password", AgeBand: kindred.AgeAdult}); kindred.ErrorCode(err) != kindred.ECONFLICT {
		t.Fatalf("second bootstrap = %v, want ECONFLICT", err)
	}
}
