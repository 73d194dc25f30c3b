package sqlstoretest

import (
	"os"
	"testing"

	"kindred"
	"kindred/internal/sqlstore"
)

func TestOpen(t *testing.T) {
	db := Open(t)
	want := "sqlite"
	if os.Getenv(EnvStore) == "postgres" {
		want = "postgres"
	}
	if db.Dialect() != want {
		t.Errorf("Dialect() = %q, want %q", db.Dialect(), want)
	}
	// Migrated: the tables exist and are empty.
	if n, err := db.CountAccounts(t.Context()); err != nil || n != 0 {
		t.Errorf("CountAccounts = %d, %v", n, err)
	}
}

func TestEach(t *testing.T) {
	var ran []string
	Each(t, func(t *testing.T, db *sqlstore.DB) {
		ran = append(ran, db.Dialect())
		a := &kindred.Account{Handle: "someone", AgeBand: kindred.AgeAdult}
		if err := db.CreateAccount(t.Context(), a); err != nil {
			t.Fatal(err)
		}
	})
	want := 1
	if os.Getenv(EnvPostgres) != "" {
		want = 2
	}
	if len(ran) != want || ran[0] != "sqlite" {
		t.Errorf("Each ran on %v", ran)
	}
}
