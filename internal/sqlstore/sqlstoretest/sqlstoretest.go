// Package sqlstoretest opens migrated stores for other packages' tests: a
// fresh SQLite file by default, or a fresh PostgreSQL schema when asked.
// Everything it opens is closed and removed when the test ends.
package sqlstoretest

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"kindred/internal/sqlstore"
	"kindred/internal/sqlstore/internal/pgtest"
)

// Environment variables that choose the database.
const (
	// EnvPostgres is a postgres:// URL of a database the tests may create
	// schemas in, e.g. postgres://postgres@127.0.0.1:5432/test?sslmode=disable.
	EnvPostgres = "KINDRED_TEST_POSTGRES"
	// EnvStore set to "postgres" makes Open use PostgreSQL instead of SQLite.
	EnvStore = "KINDRED_TEST_STORE"
)

// Open returns a migrated store for the test: SQLite in t.TempDir(), or a
// fresh PostgreSQL schema when KINDRED_TEST_STORE=postgres and
// KINDRED_TEST_POSTGRES are set.
func Open(t testing.TB) *sqlstore.DB {
	t.Helper()
	if os.Getenv(EnvStore) == "postgres" {
		u := os.Getenv(EnvPostgres)
		if u == "" {
			t.Fatalf("sqlstoretest: %s=postgres needs %s=postgres://... as well", EnvStore, EnvPostgres)
		}
		return OpenPostgres(t, u)
	}
	return OpenSQLite(t)
}

// Each runs fn as the subtest "sqlite", and as "postgres" when
// KINDRED_TEST_POSTGRES is set, each with its own fresh store.
func Each(t *testing.T, fn func(t *testing.T, db *sqlstore.DB)) {
	t.Helper()
	t.Run("sqlite", func(t *testing.T) { fn(t, OpenSQLite(t)) })
	t.Run("postgres", func(t *testing.T) {
		u := os.Getenv(EnvPostgres)
		if u == "" {
			t.Skipf("set %s=postgres://... to run on PostgreSQL as well", EnvPostgres)
		}
		fn(t, OpenPostgres(t, u))
	})
}

// OpenSQLite returns a migrated store on a new SQLite file in t.TempDir().
func OpenSQLite(t testing.TB) *sqlstore.DB {
	t.Helper()
	return open(t, filepath.Join(t.TempDir(), "kindred.db"))
}

// OpenPostgres returns a migrated store in a new schema of the database at
// baseURL; the schema is dropped when the test ends.
func OpenPostgres(t testing.TB, baseURL string) *sqlstore.DB {
	t.Helper()
	return open(t, pgtest.Schema(t, baseURL))
}

func open(t testing.TB, databaseURL string) *sqlstore.DB {
	t.Helper()
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, databaseURL, sqlstore.Options{})
	if err != nil {
		t.Fatalf("sqlstoretest: open: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("sqlstoretest: close: %v", err)
		}
	})
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("sqlstoretest: migrate: %v", err)
	}
	return db
}

// OpenPostgresNodes returns n stores on one new, migrated PostgreSQL schema:
// the databases of n nodes of one instance. The schema is dropped when the
// test ends.
func OpenPostgresNodes(t testing.TB, baseURL string, n int) []*sqlstore.DB {
	t.Helper()
	u := pgtest.Schema(t, baseURL)
	dbs := make([]*sqlstore.DB, n)
	for i := range dbs {
		dbs[i] = open(t, u) // migrating again is a no-op
	}
	return dbs
}
