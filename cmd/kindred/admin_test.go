package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"strings"
	"testing"

	"kindred"
	"kindred/internal/sqlstore"
)

// TestAdminVerifyAudit runs `kindred admin verify-audit` against a real
// SQLite database: intact, then after a record's detail is changed behind
// Kindred's back, then after one is deleted.
func TestAdminVerifyAudit(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "kindred.db")
	store, err := sqlstore.Open(ctx, "sqlite://"+dbPath, sqlstore.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if err := store.Migrate(ctx); err != nil {
		t.Fatal(err)
	}
	for _, e := range []*kindred.AuditEntry{
		{OrgID: "org-a", ActorID: "admin", Action: "member.roles", Target: "acct-1", Detail: "member -> moderator"},
		{OrgID: "org-b", ActorID: "mod", Action: "post.reveal_author", Target: "post-1", Detail: "thread t-1"},
		{ActorID: "operator", Action: "org.create", Target: "org-b"},
	} {
		if err := store.AppendAudit(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	store.Close()
	getenv := func(string) string { return "" }
	verify := func() (string, error) {
		var out, errOut bytes.Buffer
		err := run(ctx, []string{"admin", "verify-audit", "--data", dir}, getenv, nil, &out, &errOut)
		return out.String(), err
	}
	tamper := func(query string, args ...any) {
		t.Helper()
		db, err := sql.Open("sqlite", dbPath)
		if err != nil {
			t.Fatal(err)
		}
		defer db.Close()
		if _, err := db.ExecContext(ctx, query, args...); err != nil {
			t.Fatal(err)
		}
	}

	out, err := verify()
	if err != nil || !strings.Contains(out, "audit log intact: 3 records (2 organisations)") {
		t.Fatalf("intact log: %v\n%s", err, out)
	}

	tamper(`UPDATE audit_log SET detail = 'nothing happened' WHERE seq = 2`)
	out, err = verify()
	if err == nil || !strings.Contains(out, "BROKEN at record 2: hash mismatch") || !strings.Contains(out, "org-b") {
		t.Errorf("changed detail: %v\n%s", err, out)
	}
	tamper(`UPDATE audit_log SET detail = 'thread t-1' WHERE seq = 2`)
	if out, err := verify(); err != nil {
		t.Fatalf("after undoing: %v\n%s", err, out)
	}

	tamper(`DELETE FROM audit_log WHERE seq = 2`)
	out, err = verify()
	if err == nil || !strings.Contains(out, "BROKEN at record 3: gap") {
		t.Errorf("deleted record: %v\n%s", err, out)
	}

	var errOut bytes.Buffer
	if err := run(ctx, []string{"admin", "verify-everything"}, getenv, nil, &bytes.Buffer{}, &errOut); err == nil {
		t.Error("an unknown admin command succeeded")
	}
}
