// Package pgtest gives a test its own PostgreSQL schema, so tests can share
// one database, run in parallel and leave nothing behind.
package pgtest

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"net/url"
	"testing"
	"time"

	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
)

// Schema creates a schema with a random name in the database at baseURL
// (a postgres:// URL) and returns baseURL with search_path set to it, so
// every connection opened with the result works inside the schema. The
// schema is dropped with everything in it when the test ends; register
// cleanups that close connections after calling Schema, so they run first.
func Schema(t testing.TB, baseURL string) string {
	t.Helper()
	u, err := url.Parse(baseURL)
	if err != nil {
		t.Fatalf("pgtest: parse the PostgreSQL URL: %v", err)
	}
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	schema := "kindred_test_" + hex.EncodeToString(b)

	exec(t, baseURL, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { exec(t, baseURL, "DROP SCHEMA IF EXISTS "+schema+" CASCADE") })

	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

func exec(t testing.TB, databaseURL, stmt string) {
	t.Helper()
	db, err := sql.Open("pgx", databaseURL)
	if err != nil {
		t.Fatalf("pgtest: open: %v", err)
	}
	defer db.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := db.ExecContext(ctx, stmt); err != nil {
		t.Fatalf("pgtest: %s: %v", stmt, err)
	}
}
