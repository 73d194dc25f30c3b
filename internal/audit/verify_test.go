package audit_test

import (
	"testing"

	"kindred"
	"kindred/internal/audit"
	"kindred/internal/sqlstore"
	"kindred/internal/sqlstore/sqlstoretest"
)

// Verify on real stores: an empty log is intact, and a log written
// through the Recorder counts its records per organisation. Tampering is
// tested against raw rows in internal/sqlstore (contract_audit_test.go)
// and through `kindred admin verify-audit` in cmd/kindred.
func TestVerifyCounts(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := t.Context()
		rep, err := audit.Verify(ctx, db)
		if err != nil || !rep.Intact() || rep.Records != 0 {
			t.Fatalf("empty log: %+v, %v", rep, err)
		}
		rec := audit.New(db, nil, nil)
		rec.Record(ctx, "org-a", "admin", "member.roles", "acct-1", "member -> moderator")
		rec.Record(ctx, "org-a", "mod", "post.reveal_author", "post-1", "thread t-1")
		rec.Record(ctx, "org-b", "admin", "member.remove", "acct-2", "")
		rec.Record(ctx, "", "operator", "org.create", "org-b", "")
		rep, err = audit.Verify(ctx, db)
		if err != nil || !rep.Intact() {
			t.Fatalf("Verify: %+v, %v", rep, err)
		}
		if rep.Records != 4 || rep.ByOrg["org-a"] != 2 || rep.ByOrg["org-b"] != 1 || rep.ByOrg[""] != 1 {
			t.Errorf("counts: %d records, by organisation %v", rep.Records, rep.ByOrg)
		}
		var seqs []int64
		if err := db.WalkAudit(ctx, func(e *kindred.AuditEntry) error { seqs = append(seqs, e.Seq); return nil }); err != nil {
			t.Fatal(err)
		}
		if len(seqs) != 4 || seqs[0] != 1 || seqs[3] != 4 {
			t.Errorf("WalkAudit visited %v; want 1 to 4 in order", seqs)
		}
	})
}
