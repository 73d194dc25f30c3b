package sqlstore

import (
	"sync"
	"testing"
	"time"

	"kindred"
)

// securityContract lists the account protection store's contract cases.
var securityContract = []struct {
	name string
	fn   func(t *testing.T, db *DB)
}{
	{"Passkeys", testPasskeys},
	{"WebAuthnCeremoniesAreSingleUse", testWebAuthnCeremonies},
	{"TwoFactor", testTwoFactor},
	{"TOTPStepUsedOnceConcurrently", testTOTPStepConcurrently},
	{"SessionTwoStep", testSessionTwoStep},
	{"LoginThrottle", testLoginThrottle},
	{"InstanceSecret", testInstanceSecret},
	{"SecurityErasedWithAccount", testSecurityErased},
}

func testPasskeys(t *testing.T, db *DB) {
	ctx := t.Context()
	rosa := newAccount(t, db, "rosa", "Rosa")
	sam := newAccount(t, db, "sam", "Sam")
	phone := &kindred.Passkey{AccountID: rosa.ID, Name: "my phone", CredentialID: []byte{1, 2, 3}, Credential: []byte(`{"id":"AQID"}`), CreatedAt: at(1)}
	must(t, db.CreatePasskey(ctx, phone))
	laptop := &kindred.Passkey{AccountID: rosa.ID, Name: "laptop ✨", CredentialID: []byte{4, 5}, Credential: []byte(`{}`), CreatedAt: at(2)}
	must(t, db.CreatePasskey(ctx, laptop))
	// The same credential for someone else is refused.
	wantCode(t, db.CreatePasskey(ctx, &kindred.Passkey{AccountID: sam.ID, Name: "x", CredentialID: []byte{1, 2, 3}, Credential: []byte(`{}`)}), kindred.ECONFLICT)

	got, err := db.ListPasskeys(ctx, rosa.ID)
	must(t, err)
	wantEqual(t, "Rosa's passkeys", got, []*kindred.Passkey{phone, laptop})
	none, err := db.ListPasskeys(ctx, sam.ID)
	must(t, err)
	wantEqual(t, "Sam's passkeys", len(none), 0)

	found, err := db.FindPasskeyByCredentialID(ctx, []byte{1, 2, 3})
	must(t, err)
	wantEqual(t, "found", found, phone)
	_, err = db.FindPasskeyByCredentialID(ctx, []byte{9})
	wantCode(t, err, kindred.ENOTFOUND)

	must(t, db.UsePasskey(ctx, phone.ID, []byte(`{"n":2}`), at(5)))
	found, err = db.FindPasskeyByCredentialID(ctx, []byte{1, 2, 3})
	must(t, err)
	wantEqual(t, "used credential", string(found.Credential), `{"n":2}`)
	wantEqual(t, "last used", *found.LastUsedAt, at(5))

	// Sam cannot delete Rosa's passkey; Rosa can.
	wantCode(t, db.DeletePasskey(ctx, sam.ID, phone.ID), kindred.ENOTFOUND)
	must(t, db.DeletePasskey(ctx, rosa.ID, phone.ID))
	wantCode(t, db.DeletePasskey(ctx, rosa.ID, phone.ID), kindred.ENOTFOUND)

	// User handles: the first candidate sticks; look-up goes both ways.
	h1, err := db.WebAuthnUserHandle(ctx, rosa.ID, []byte("first-candidate"))
	must(t, err)
	h2, err := db.WebAuthnUserHandle(ctx, rosa.ID, []byte("second-candidate"))
	must(t, err)
	wantEqual(t, "stable handle", string(h2), string(h1))
	wantEqual(t, "first candidate kept", string(h1), "first-candidate")
	a, err := db.FindAccountByWebAuthnHandle(ctx, h1)
	must(t, err)
	wantEqual(t, "account by handle", a.ID, rosa.ID)
	_, err = db.FindAccountByWebAuthnHandle(ctx, []byte("nobody"))
	wantCode(t, err, kindred.ENOTFOUND)
}

func testWebAuthnCeremonies(t *testing.T, db *DB) {
	ctx := t.Context()
	rosa := newAccount(t, db, "rosa", "Rosa")
	c := &kindred.WebAuthnCeremony{Kind: "register", AccountID: rosa.ID, Data: []byte(`{"challenge":"x"}`), ExpiresAt: at(5)}
	must(t, db.SaveWebAuthnCeremony(ctx, c))
	login := &kindred.WebAuthnCeremony{Kind: "login", Data: []byte(`{}`), ExpiresAt: at(5)}
	must(t, db.SaveWebAuthnCeremony(ctx, login))

	got, err := db.TakeWebAuthnCeremony(ctx, c.ID, at(1))
	must(t, err)
	wantEqual(t, "taken", got, c)
	_, err = db.TakeWebAuthnCeremony(ctx, c.ID, at(1))
	wantCode(t, err, kindred.ENOTFOUND) // single use

	got, err = db.TakeWebAuthnCeremony(ctx, login.ID, at(1))
	must(t, err)
	wantEqual(t, "login ceremony has no account", got.AccountID, "")

	late := &kindred.WebAuthnCeremony{Kind: "login", Data: []byte(`{}`), ExpiresAt: at(5)}
	must(t, db.SaveWebAuthnCeremony(ctx, late))
	_, err = db.TakeWebAuthnCeremony(ctx, late.ID, at(6))
	wantCode(t, err, kindred.ENOTFOUND) // expired
	_, err = db.TakeWebAuthnCeremony(ctx, late.ID, at(1))
	wantCode(t, err, kindred.ENOTFOUND) // and gone
}

func testTwoFactor(t *testing.T, db *DB) {
	ctx := t.Context()
	rosa := newAccount(t, db, "rosa", "Rosa")
	_, err := db.FindTwoFactor(ctx, rosa.ID)
	wantCode(t, err, kindred.ENOTFOUND)
	needs, err := db.AccountTwoStepNeeds(ctx, rosa.ID)
	must(t, err)
	wantEqual(t, "no needs", needs, kindred.TwoStepNeeds{})

	f := &kindred.TwoFactor{AccountID: rosa.ID, Secret: []byte("sealed"), CreatedAt: at(1)}
	must(t, db.SaveTwoFactor(ctx, f))
	got, err := db.FindTwoFactor(ctx, rosa.ID)
	must(t, err)
	wantEqual(t, "pending", got, f)
	needs, _ = db.AccountTwoStepNeeds(ctx, rosa.ID)
	wantEqual(t, "pending set-up is not TOTP yet", needs.HasTOTP, false)

	must(t, db.EnableTwoFactor(ctx, rosa.ID, 100, at(2), []string{"h1", "h2"}))
	got, _ = db.FindTwoFactor(ctx, rosa.ID)
	wantEqual(t, "enabled at", *got.EnabledAt, at(2))
	wantEqual(t, "last step", got.LastStep, int64(100))
	needs, _ = db.AccountTwoStepNeeds(ctx, rosa.ID)
	wantEqual(t, "has TOTP", needs.HasTOTP, true)

	// Each step once, and never an earlier one.
	wantCode(t, db.UseTOTPStep(ctx, rosa.ID, 100), kindred.ECONFLICT)
	wantCode(t, db.UseTOTPStep(ctx, rosa.ID, 99), kindred.ECONFLICT)
	must(t, db.UseTOTPStep(ctx, rosa.ID, 101))
	wantCode(t, db.UseTOTPStep(ctx, rosa.ID, 101), kindred.ECONFLICT)

	n, err := db.CountRecoveryCodes(ctx, rosa.ID)
	must(t, err)
	wantEqual(t, "recovery codes", n, 2)
	must(t, db.UseRecoveryCode(ctx, rosa.ID, "h1"))
	wantCode(t, db.UseRecoveryCode(ctx, rosa.ID, "h1"), kindred.ENOTFOUND)
	wantCode(t, db.UseRecoveryCode(ctx, rosa.ID, "nope"), kindred.ENOTFOUND)
	n, _ = db.CountRecoveryCodes(ctx, rosa.ID)
	wantEqual(t, "recovery codes left", n, 1)

	// Saving a new set-up drops the old recovery codes.
	must(t, db.SaveTwoFactor(ctx, &kindred.TwoFactor{AccountID: rosa.ID, Secret: []byte("new"), CreatedAt: at(3)}))
	n, _ = db.CountRecoveryCodes(ctx, rosa.ID)
	wantEqual(t, "codes after a new set-up", n, 0)

	must(t, db.DeleteTwoFactor(ctx, rosa.ID))
	wantCode(t, db.DeleteTwoFactor(ctx, rosa.ID), kindred.ENOTFOUND)

	// Staff: an active membership with a moderator, coordinator or admin role.
	sam := newAccount(t, db, "sam", "Sam")
	org := newOrg(t, db, "centre", "Centre", sam)
	needs, _ = db.AccountTwoStepNeeds(ctx, sam.ID)
	wantEqual(t, "admin is staff", needs.Staff, true)
	wantEqual(t, "member is not", mustNeeds(t, db, rosa.ID).Staff, false)
	must(t, db.CreateMembership(ctx, &kindred.Membership{OrgID: org.ID, AccountID: rosa.ID, Roles: kindred.RoleMember | kindred.RoleFacilitator,
		Status: kindred.StatusActive, CreatedAt: at(1)}))
	wantEqual(t, "facilitator is not staff", mustNeeds(t, db, rosa.ID).Staff, false)
	coord := kindred.RoleMember | kindred.RoleCoordinator
	_, err = db.UpdateMembership(ctx, org.ID, rosa.ID, kindred.MembershipUpdate{Roles: &coord})
	must(t, err)
	wantEqual(t, "coordinator is staff", mustNeeds(t, db, rosa.ID).Staff, true)
}

func mustNeeds(t *testing.T, db *DB, id string) kindred.TwoStepNeeds {
	t.Helper()
	n, err := db.AccountTwoStepNeeds(t.Context(), id)
	must(t, err)
	return n
}

func testTOTPStepConcurrently(t *testing.T, db *DB) {
	ctx := t.Context()
	rosa := newAccount(t, db, "rosa", "Rosa")
	must(t, db.SaveTwoFactor(ctx, &kindred.TwoFactor{AccountID: rosa.ID, Secret: []byte("s"), CreatedAt: at(1)}))
	must(t, db.EnableTwoFactor(ctx, rosa.ID, 1, at(1), nil))
	var wg sync.WaitGroup
	var mu sync.Mutex
	wins := 0
	for range 8 {
		wg.Go(func() {
			if db.UseTOTPStep(ctx, rosa.ID, 2) == nil {
				mu.Lock()
				wins++
				mu.Unlock()
			}
		})
	}
	wg.Wait()
	wantEqual(t, "one request wins the same code", wins, 1)
}

func testSessionTwoStep(t *testing.T, db *DB) {
	ctx := t.Context()
	rosa := newAccount(t, db, "rosa", "Rosa")
	s := &kindred.Session{ID: "sess-pw", AccountID: rosa.ID, CreatedAt: at(1), ExpiresAt: at(10), Label: "Firefox on Linux"}
	must(t, db.CreateSession(ctx, s))
	got, _, err := db.FindSession(ctx, s.ID, at(2))
	must(t, err)
	wantEqual(t, "password only", got.TwoStep, "")
	must(t, db.MarkSessionTwoStep(ctx, s.ID, kindred.TwoStepTOTP, at(60)))
	got, _, err = db.FindSession(ctx, s.ID, at(30))
	must(t, err)
	wantEqual(t, "after the code", got.TwoStep, kindred.TwoStepTOTP)
	wantEqual(t, "expiry moved", got.ExpiresAt, at(60))
	list, err := db.ListSessions(ctx, rosa.ID, at(2))
	must(t, err)
	wantEqual(t, "listed with its step", list[0].TwoStep, kindred.TwoStepTOTP)
	pk := &kindred.Session{ID: "sess-pk", AccountID: rosa.ID, CreatedAt: at(3), ExpiresAt: at(10), TwoStep: kindred.TwoStepPasskey}
	must(t, db.CreateSession(ctx, pk))
	got, _, err = db.FindSession(ctx, pk.ID, at(4))
	must(t, err)
	wantEqual(t, "created with a step", got.TwoStep, kindred.TwoStepPasskey)
	wantCode(t, db.MarkSessionTwoStep(ctx, "nope", kindred.TwoStepTOTP, at(60)), kindred.ENOTFOUND)
}

func testLoginThrottle(t *testing.T, db *DB) {
	ctx := t.Context()
	_, err := db.FindLoginThrottle(ctx, "h:abc")
	wantCode(t, err, kindred.ENOTFOUND)
	var l *kindred.LoginThrottle
	for i := 1; i <= 3; i++ {
		l, err = db.RecordLoginFailure(ctx, "h:abc", at(i), at(i).Add(-time.Hour))
		must(t, err)
		wantEqual(t, "failures", l.Failures, i)
	}
	wantEqual(t, "last failure", l.LastFailure, at(3))
	must(t, db.LockLogin(ctx, "h:abc", at(10)))
	l, err = db.FindLoginThrottle(ctx, "h:abc")
	must(t, err)
	wantEqual(t, "locked until", *l.LockedUntil, at(10))
	// Another key is separate.
	other, err := db.RecordLoginFailure(ctx, "a:xyz", at(3), at(2))
	must(t, err)
	wantEqual(t, "other key", other.Failures, 1)
	// A failure after the count went stale starts again, unlocked.
	l, err = db.RecordLoginFailure(ctx, "h:abc", at(200), at(100))
	must(t, err)
	wantEqual(t, "fresh count", l.Failures, 1)
	if l.LockedUntil != nil {
		t.Errorf("stale lock kept: %v", l.LockedUntil)
	}
	must(t, db.ClearLoginFailures(ctx, "h:abc"))
	_, err = db.FindLoginThrottle(ctx, "h:abc")
	wantCode(t, err, kindred.ENOTFOUND)
	must(t, db.ClearLoginFailures(ctx, "h:abc")) // clearing nothing is fine
	wantCode(t, db.LockLogin(ctx, "h:none", at(1)), kindred.ENOTFOUND)
}

func testInstanceSecret(t *testing.T, db *DB) {
	ctx := t.Context()
	a, err := db.InstanceSecret(ctx, "k", []byte("one"))
	must(t, err)
	b, err := db.InstanceSecret(ctx, "k", []byte("two"))
	must(t, err)
	wantEqual(t, "first kept", string(b), string(a))
	wantEqual(t, "value", string(a), "one")
	c, err := db.InstanceSecret(ctx, "other", []byte("three"))
	must(t, err)
	wantEqual(t, "separate names", string(c), "three")
}

func testSecurityErased(t *testing.T, db *DB) {
	ctx := t.Context()
	rosa := newAccount(t, db, "rosa", "Rosa")
	must(t, db.CreatePasskey(ctx, &kindred.Passkey{AccountID: rosa.ID, Name: "marker-passkey-name", CredentialID: []byte("cred"), Credential: []byte(`{}`)}))
	_, err := db.WebAuthnUserHandle(ctx, rosa.ID, []byte("handle"))
	must(t, err)
	must(t, db.SaveWebAuthnCeremony(ctx, &kindred.WebAuthnCeremony{Kind: "register", AccountID: rosa.ID, Data: []byte("{}"), ExpiresAt: at(5)}))
	must(t, db.SaveTwoFactor(ctx, &kindred.TwoFactor{AccountID: rosa.ID, Secret: []byte("s")}))
	must(t, db.EnableTwoFactor(ctx, rosa.ID, 1, at(1), []string{"h"}))
	must(t, db.inTx(ctx, func(tx conn) error { return eraseSecurity(ctx, tx, rosa.ID) }))
	for _, table := range []string{"passkeys", "webauthn_handles", "webauthn_ceremonies", "two_factor", "recovery_codes"} {
		var n int
		must(t, db.reader().queryRow(ctx, `SELECT COUNT(*) FROM `+table+` WHERE account_id = ?`, rosa.ID).Scan(&n))
		wantEqual(t, table+" rows left", n, 0)
	}
}
