package sqlstore

import (
	"database/sql"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"kindred"
)

func TestRebind(t *testing.T) {
	tests := []struct{ in, want string }{
		{`SELECT 1`, `SELECT 1`},
		{`SELECT * FROM t WHERE a = ? AND b IN (?, ?)`, `SELECT * FROM t WHERE a = $1 AND b IN ($2, $3)`},
		{`UPDATE t SET note = 'why?' WHERE id = ?`, `UPDATE t SET note = 'why?' WHERE id = $1`},
		{`SELECT "odd?name" FROM t WHERE x = ?`, `SELECT "odd?name" FROM t WHERE x = $1`},
		{`SELECT 'it''s ?' , ?`, `SELECT 'it''s ?' , $1`},
	}
	for _, tc := range tests {
		if got := rebind(tc.in); got != tc.want {
			t.Errorf("rebind(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestBindCachesOnlyForPostgres(t *testing.T) {
	pg := &DB{dialect: dialect{name: "postgres", numbered: true}}
	q := `SELECT ? , ?`
	if got := pg.bind(q); got != `SELECT $1 , $2` {
		t.Errorf("bind = %q", got)
	}
	if _, ok := pg.rebound.Load(q); !ok {
		t.Error("the rewritten query was not cached")
	}
	lite := &DB{dialect: dialect{name: "sqlite"}}
	if got := lite.bind(q); got != q {
		t.Errorf("SQLite bind changed the query to %q", got)
	}
}

func TestParseDatabaseURL(t *testing.T) {
	tests := []struct {
		in, kind, location string
		wantErr            bool
	}{
		{in: "postgres://u@localhost/db?sslmode=disable", kind: "postgres", location: "postgres://u@localhost/db?sslmode=disable"},
		{in: "postgresql://u@localhost/db", kind: "postgres", location: "postgresql://u@localhost/db"},
		{in: "sqlite:///var/lib/kindred/kindred.db", kind: "sqlite", location: "/var/lib/kindred/kindred.db"},
		{in: "sqlite://data/kindred.db", kind: "sqlite", location: "data/kindred.db"},
		{in: "sqlite:kindred.db", kind: "sqlite", location: "kindred.db"},
		{in: "kindred.db", kind: "sqlite", location: "kindred.db"},
		{in: " /abs/kindred.db ", kind: "sqlite", location: "/abs/kindred.db"},
		{in: "", wantErr: true},
		{in: "mysql://root@localhost/db", wantErr: true},
		{in: "sqlite://", wantErr: true},
		{in: ":memory:", wantErr: true},
		{in: "file:kindred.db?cache=shared", wantErr: true},
		{in: "sqlite://kindred.db?mode=ro", wantErr: true},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			kind, location, err := parseDatabaseURL(tc.in)
			if tc.wantErr {
				if err == nil {
					t.Errorf("got %q %q, want an error", kind, location)
				}
				return
			}
			if err != nil || kind != tc.kind || location != tc.location {
				t.Errorf("got %q %q %v, want %q %q", kind, location, err, tc.kind, tc.location)
			}
		})
	}
}

func TestOpenSQLiteCreatesPrivateFiles(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "state", "kindred")
	path := filepath.Join(dir, "kindred.db")
	db := openTestDB(t, "sqlite://"+path)
	if db.Dialect() != "sqlite" {
		t.Errorf("Dialect() = %q", db.Dialect())
	}
	for name, want := range map[string]os.FileMode{dir: 0o700, path: 0o600} {
		info, err := os.Stat(name)
		if err != nil {
			t.Fatal(err)
		}
		if got := info.Mode().Perm(); got != want {
			t.Errorf("%s has mode %v, want %v", name, got, want)
		}
	}
}

func TestOpenRelativeSQLitePath(t *testing.T) {
	t.Chdir(t.TempDir())
	db := openTestDB(t, "sqlite://rel/kindred.db")
	must(t, db.Ping(t.Context()))
	if _, err := os.Stat(filepath.Join("rel", "kindred.db")); err != nil {
		t.Errorf("the database is not where the URL says: %v", err)
	}
}

// TestSQLitePragmas checks every connection of both pools, since the DSN
// and not a one-off statement is what configures them.
func TestSQLitePragmas(t *testing.T) {
	db := openTestDB(t, filepath.Join(t.TempDir(), "kindred.db"))
	ctx := t.Context()
	check := func(t *testing.T, pool string, c *sql.Conn, want map[string]string) {
		t.Helper()
		for name, w := range want {
			var v string
			if err := c.QueryRowContext(ctx, "PRAGMA "+name).Scan(&v); err != nil {
				t.Fatalf("%s PRAGMA %s: %v", pool, name, err)
			}
			if strings.ToLower(v) != w {
				t.Errorf("%s: PRAGMA %s = %q, want %q", pool, name, v, w)
			}
		}
	}
	common := map[string]string{"journal_mode": "wal", "foreign_keys": "1", "synchronous": "2", "busy_timeout": "5000"}

	w, err := db.write.Conn(ctx)
	must(t, err)
	check(t, "writer", w, common)
	check(t, "writer", w, map[string]string{"query_only": "0"})
	w.Close()
	if got := db.write.Stats().MaxOpenConnections; got != 1 {
		t.Errorf("writer allows %d connections, want 1", got)
	}

	// Hold every reader at once so each one is a distinct connection.
	var readers []*sql.Conn
	for range sqliteReadConns {
		r, err := db.read.Conn(ctx)
		must(t, err)
		readers = append(readers, r)
	}
	for i, r := range readers {
		check(t, "reader "+strconv.Itoa(i), r, common)
		check(t, "reader "+strconv.Itoa(i), r, map[string]string{"query_only": "1"})
	}
	for _, r := range readers {
		r.Close()
	}

	// A write on the read pool fails instead of racing the writer.
	if _, err := db.read.ExecContext(ctx, `DELETE FROM accounts`); err == nil {
		t.Error("the read pool accepted a write")
	}
}

// TestMigrationsMatch: both dialects have the same migration files, so a
// version number means the same change everywhere.
func TestMigrationsMatch(t *testing.T) {
	names := func(dialect string) []string {
		entries, err := fs.ReadDir(migrations, "migrations/"+dialect)
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, e := range entries {
			out = append(out, e.Name())
		}
		return out
	}
	lite, pg := names("sqlite"), names("postgres")
	if len(lite) == 0 {
		t.Fatal("no migrations")
	}
	if !slices.Equal(lite, pg) {
		t.Errorf("migrations differ:\nsqlite   %v\npostgres %v", lite, pg)
	}
	seen := map[int64]string{}
	for _, name := range lite {
		v, _, ok := strings.Cut(name, "_")
		n, err := strconv.ParseInt(v, 10, 64)
		if !ok || err != nil || len(v) != 5 || !strings.HasSuffix(name, ".sql") {
			t.Errorf("migration %q is not named like 00001_core.sql", name)
			continue
		}
		if prev, dup := seen[n]; dup {
			t.Errorf("version %d is used by %s and %s", n, prev, name)
		}
		seen[n] = name
	}
}

func TestPage(t *testing.T) {
	tests := []struct{ limit, offset, wantLimit, wantOffset int }{
		{0, 0, 50, 0},
		{-3, -1, 50, 0},
		{10, 20, 10, 20},
		{200, 0, 200, 0},
		{201, 0, 200, 0},
	}
	for _, tc := range tests {
		l, o := page(tc.limit, tc.offset, defaultPageSize, maxPageSize)
		if l != tc.wantLimit || o != tc.wantOffset {
			t.Errorf("page(%d, %d) = %d, %d; want %d, %d", tc.limit, tc.offset, l, o, tc.wantLimit, tc.wantOffset)
		}
	}
}

// TestAuditHashIsUnambiguous: moving text from one field to the next must
// change the hash, or an attacker could rewrite an entry without breaking
// the chain.
func TestAuditHashIsUnambiguous(t *testing.T) {
	a := &kindred.AuditEntry{Seq: 1, Action: "post.delete", Target: "abc", CreatedAt: base}
	b := &kindred.AuditEntry{Seq: 1, Action: "post.deleteabc", Target: "", CreatedAt: base}
	c := &kindred.AuditEntry{Seq: 1, Action: "post.delete", Target: "abc", CreatedAt: base}
	if auditHash(a) == auditHash(b) {
		t.Error("different entries hash alike")
	}
	if auditHash(a) != auditHash(c) {
		t.Error("equal entries hash differently")
	}
}

// TestStoreErrWrapsDriverErrors: anything not a person's concern stays an
// internal error and keeps its cause for the log.
func TestStoreErrWrapsDriverErrors(t *testing.T) {
	cause := os.ErrDeadlineExceeded
	err := storeErr("list things", "thing", cause)
	if kindred.ErrorCode(err) != kindred.EINTERNAL || !strings.Contains(err.Error(), "list things") {
		t.Errorf("storeErr = %v (%s)", err, kindred.ErrorCode(err))
	}
	if storeErr("x", "y", nil) != nil {
		t.Error("storeErr(nil) is not nil")
	}
	ke := kindred.Errorf(kindred.EGONE, "gone")
	if storeErr("x", "y", ke) != error(ke) {
		t.Error("storeErr rewrapped a kindred error")
	}
}
