package sqlstore

import (
	"testing"
	"time"

	"kindred"
)

func testAccounts(t *testing.T, db *DB) {
	ctx := t.Context()
	// A caller's time in another zone with sub-millisecond digits comes back
	// as the store keeps it, in the caller's struct too.
	zone := time.FixedZone("UTC+2", 2*60*60)
	a := &kindred.Account{
		Handle: "RiverSong", DisplayName: "River", Pronouns: "she/her", Bio: "Hello.",
		Email: "river@example.org", AgeBand: kindred.AgeYoungAdult, PasswordHash: "$argon2id$hash",
		IsOperator: true, CreatedAt: time.Date(2026, 3, 14, 11, 0, 0, 123456789, zone),
	}
	must(t, db.CreateAccount(ctx, a))
	if len(a.ID) != 26 {
		t.Errorf("CreateAccount filled ID %q, want a 26-character kindred.NewID()", a.ID)
	}
	if want := time.Date(2026, 3, 14, 9, 0, 0, 123000000, time.UTC); !a.CreatedAt.Equal(want) || a.CreatedAt.Location() != time.UTC {
		t.Errorf("CreatedAt = %v, want %v in UTC", a.CreatedAt, want)
	}

	got, err := db.FindAccount(ctx, a.ID)
	must(t, err)
	wantEqual(t, "FindAccount", got, a)

	t.Run("FindAccountByHandle ignores case and @", func(t *testing.T) {
		for _, h := range []string{"RiverSong", "riversong", "RIVERSONG", " @riverSong "} {
			got, err := db.FindAccountByHandle(ctx, h)
			if err != nil {
				t.Fatalf("FindAccountByHandle(%q): %v", h, err)
			}
			if got.ID != a.ID || got.Handle != "RiverSong" {
				t.Errorf("FindAccountByHandle(%q) = %s %q", h, got.ID, got.Handle)
			}
		}
	})

	t.Run("not found", func(t *testing.T) {
		_, err := db.FindAccount(ctx, kindred.NewID())
		wantCode(t, err, kindred.ENOTFOUND)
		_, err = db.FindAccountByHandle(ctx, "nobody")
		wantCode(t, err, kindred.ENOTFOUND)
	})

	t.Run("handle taken in another case", func(t *testing.T) {
		err := db.CreateAccount(ctx, &kindred.Account{Handle: "riverSONG", AgeBand: kindred.AgeAdult})
		wantCode(t, err, kindred.ECONFLICT)
	})

	t.Run("CreatedAt filled when zero", func(t *testing.T) {
		before := time.Now().Add(-time.Second)
		b := &kindred.Account{ID: "explicit-id", Handle: "Brook", AgeBand: kindred.AgeYouth}
		must(t, db.CreateAccount(ctx, b))
		if b.ID != "explicit-id" {
			t.Errorf("CreateAccount replaced a given ID with %q", b.ID)
		}
		if b.CreatedAt.Before(before) || b.CreatedAt.Location() != time.UTC {
			t.Errorf("CreatedAt = %v, want now in UTC", b.CreatedAt)
		}
		got, err := db.FindAccount(ctx, "explicit-id")
		must(t, err)
		wantEqual(t, "FindAccount", got, b)
		if got.IsOperator || got.SuspendedAt != nil {
			t.Errorf("defaults: IsOperator %v SuspendedAt %v", got.IsOperator, got.SuspendedAt)
		}
	})

	t.Run("UpdateAccount", func(t *testing.T) {
		got, err := db.UpdateAccount(ctx, a.ID, kindred.AccountUpdate{})
		must(t, err)
		wantEqual(t, "empty update", got, a)

		suspended := at(5)
		u := kindred.AccountUpdate{
			ProfileUpdate: kindred.ProfileUpdate{DisplayName: ptr("River S."), Pronouns: ptr("she/they"),
				Bio: ptr(""), Email: ptr("new@example.org")},
			PasswordHash: ptr("$argon2id$new"),
			SuspendedAt:  ptr(&suspended),
		}
		got, err = db.UpdateAccount(ctx, a.ID, u)
		must(t, err)
		want := *a
		want.DisplayName, want.Pronouns, want.Bio, want.Email = "River S.", "she/they", "", "new@example.org"
		want.PasswordHash, want.SuspendedAt = "$argon2id$new", &suspended
		wantEqual(t, "updated", got, &want)
		found, err := db.FindAccount(ctx, a.ID)
		must(t, err)
		wantEqual(t, "found after update", found, &want)

		// SuspendedAt is a pointer to a pointer: non-nil to nil lifts it.
		got, err = db.UpdateAccount(ctx, a.ID, kindred.AccountUpdate{SuspendedAt: ptr[*time.Time](nil)})
		must(t, err)
		if got.SuspendedAt != nil || got.DisplayName != "River S." {
			t.Errorf("after lifting suspension: SuspendedAt %v, DisplayName %q", got.SuspendedAt, got.DisplayName)
		}

		_, err = db.UpdateAccount(ctx, "missing", u)
		wantCode(t, err, kindred.ENOTFOUND)
		_, err = db.UpdateAccount(ctx, "missing", kindred.AccountUpdate{})
		wantCode(t, err, kindred.ENOTFOUND)
	})

	n, err := db.CountAccounts(ctx)
	must(t, err)
	if n != 2 {
		t.Errorf("CountAccounts = %d, want 2", n)
	}
}

func testSessions(t *testing.T, db *DB) {
	ctx := t.Context()
	a := newAccount(t, db, "Sam", "Sam")
	other := newAccount(t, db, "Other", "")

	s1 := &kindred.Session{ID: "hash-1", AccountID: a.ID, CreatedAt: at(0), ExpiresAt: at(60), Label: "Firefox on Linux"}
	s2 := &kindred.Session{ID: "hash-2", AccountID: a.ID, CreatedAt: at(1), LastSeenAt: at(2), ExpiresAt: at(120)}
	old := &kindred.Session{ID: "hash-old", AccountID: a.ID, CreatedAt: at(-120), ExpiresAt: at(-60)}
	theirs := &kindred.Session{ID: "hash-theirs", AccountID: other.ID, CreatedAt: at(0), ExpiresAt: at(60)}
	for _, s := range []*kindred.Session{s1, s2, old, theirs} {
		must(t, db.CreateSession(ctx, s))
	}
	if !s1.LastSeenAt.Equal(s1.CreatedAt) {
		t.Errorf("LastSeenAt defaults to %v, want CreatedAt %v", s1.LastSeenAt, s1.CreatedAt)
	}
	wantCode(t, db.CreateSession(ctx, &kindred.Session{ID: "hash-1", AccountID: a.ID, ExpiresAt: at(60)}), kindred.ECONFLICT)
	wantCode(t, db.CreateSession(ctx, &kindred.Session{ID: "hash-x", AccountID: "no-such-account", ExpiresAt: at(60)}), kindred.ENOTFOUND)

	t.Run("FindSession", func(t *testing.T) {
		s, acct, err := db.FindSession(ctx, "hash-1", at(10))
		must(t, err)
		wantEqual(t, "session", s, s1)
		wantEqual(t, "account", acct, a)

		tests := []struct {
			name string
			id   string
			now  time.Time
		}{
			{"expired long ago", "hash-old", at(10)},
			{"expires exactly now", "hash-1", at(60)},
			{"unknown", "hash-none", at(10)},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, _, err := db.FindSession(ctx, tc.id, tc.now)
				wantCode(t, err, kindred.ENOTFOUND)
			})
		}
	})

	t.Run("ListSessions newest first, unexpired only", func(t *testing.T) {
		got, err := db.ListSessions(ctx, a.ID, at(10))
		must(t, err)
		wantEqual(t, "sessions", got, []*kindred.Session{s2, s1})
		got, err = db.ListSessions(ctx, "nobody", at(10))
		must(t, err)
		if got == nil || len(got) != 0 {
			t.Errorf("ListSessions of nobody = %#v, want an empty slice", got)
		}
	})

	t.Run("TouchSession", func(t *testing.T) {
		must(t, db.TouchSession(ctx, "hash-1", at(30), at(180)))
		s, _, err := db.FindSession(ctx, "hash-1", at(150))
		must(t, err)
		if !s.LastSeenAt.Equal(at(30)) || !s.ExpiresAt.Equal(at(180)) {
			t.Errorf("after touch: LastSeenAt %v ExpiresAt %v", s.LastSeenAt, s.ExpiresAt)
		}
		wantCode(t, db.TouchSession(ctx, "hash-none", at(30), at(180)), kindred.ENOTFOUND)
	})

	t.Run("DeleteSession", func(t *testing.T) {
		must(t, db.DeleteSession(ctx, "hash-2"))
		wantCode(t, db.DeleteSession(ctx, "hash-2"), kindred.ENOTFOUND)
		_, _, err := db.FindSession(ctx, "hash-2", at(10))
		wantCode(t, err, kindred.ENOTFOUND)
	})

	t.Run("DeleteAccountSessions", func(t *testing.T) {
		n, err := db.DeleteAccountSessions(ctx, a.ID)
		must(t, err)
		if n != 2 { // hash-1 and the expired one
			t.Errorf("DeleteAccountSessions ended %d, want 2", n)
		}
		n, err = db.DeleteAccountSessions(ctx, a.ID)
		must(t, err)
		if n != 0 {
			t.Errorf("second DeleteAccountSessions ended %d, want 0", n)
		}
		if _, _, err := db.FindSession(ctx, "hash-theirs", at(10)); err != nil {
			t.Errorf("another account's session ended too: %v", err)
		}
	})
}

func testTokens(t *testing.T, db *DB) {
	ctx := t.Context()
	a := newAccount(t, db, "Tok", "")
	other := newAccount(t, db, "Other", "")

	t1 := &kindred.Token{AccountID: a.ID, Name: "laptop", Hash: "h1", CreatedAt: at(0)}
	t2 := &kindred.Token{AccountID: a.ID, Name: "script", Hash: "h2", CreatedAt: at(1)}
	t3 := &kindred.Token{AccountID: other.ID, Name: "theirs", Hash: "h3", CreatedAt: at(2)}
	for _, tok := range []*kindred.Token{t1, t2, t3} {
		must(t, db.CreateToken(ctx, tok))
		if tok.ID == "" {
			t.Fatal("CreateToken left ID empty")
		}
	}
	wantCode(t, db.CreateToken(ctx, &kindred.Token{AccountID: a.ID, Name: "dup", Hash: "h1"}), kindred.ECONFLICT)

	tok, acct, err := db.FindTokenByHash(ctx, "h1", at(5))
	must(t, err)
	if tok.ID != t1.ID || tok.LastUsedAt == nil || !tok.LastUsedAt.Equal(at(5)) {
		t.Errorf("FindTokenByHash = %+v, want t1 with LastUsedAt %v", tok, at(5))
	}
	wantEqual(t, "token's account", acct, a)
	_, _, err = db.FindTokenByHash(ctx, "h-none", at(5))
	wantCode(t, err, kindred.ENOTFOUND)

	got, err := db.ListTokens(ctx, a.ID)
	must(t, err)
	used := *t1
	used.LastUsedAt = ptr(at(5))
	wantEqual(t, "ListTokens", got, []*kindred.Token{t2, &used})

	wantCode(t, db.DeleteToken(ctx, other.ID, t1.ID), kindred.ENOTFOUND)
	must(t, db.DeleteToken(ctx, a.ID, t1.ID))
	wantCode(t, db.DeleteToken(ctx, a.ID, t1.ID), kindred.ENOTFOUND)
	got, err = db.ListTokens(ctx, a.ID)
	must(t, err)
	wantEqual(t, "ListTokens after delete", got, []*kindred.Token{t2})
}
