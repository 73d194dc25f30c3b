package sqlstore

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sync"
	"testing"

	"kindred"
	"kindred/internal/audit"
)

// verifyAudit walks the chain with internal/audit's Verify, which
// `kindred admin verify-audit` and the admin audit page use, and turns a
// break into an error.
func verifyAudit(ctx context.Context, db *DB) error {
	rep, err := audit.Verify(ctx, db)
	if err != nil {
		return err
	}
	if rep.Break != nil {
		return errors.New(rep.Break.String())
	}
	return nil
}

var hexHash = regexp.MustCompile(`^[0-9a-f]{64}$`)

func testAudit(t *testing.T, db *DB) {
	ctx := t.Context()
	entries := []*kindred.AuditEntry{
		{OrgID: "org-1", ActorID: "admin", Action: "member.roles", Target: "acct-1", Detail: "member -> moderator", CreatedAt: at(0)},
		{OrgID: "org-1", ActorID: "mod", Action: "post.delete", Target: "post-1", CreatedAt: at(1)},
		{ActorID: "operator", Action: "org.create", Target: "org-2", CreatedAt: at(2)},
	}
	for i, e := range entries {
		must(t, db.AppendAudit(ctx, e))
		if e.Seq != int64(i+1) || !hexHash.MatchString(e.Hash) {
			t.Fatalf("entry %d: Seq %d Hash %q", i, e.Seq, e.Hash)
		}
		if i == 0 && e.PrevHash != "" {
			t.Errorf("first entry's PrevHash = %q, want empty", e.PrevHash)
		}
		if i > 0 && e.PrevHash != entries[i-1].Hash {
			t.Errorf("entry %d does not link to the one before", e.Seq)
		}
	}
	withoutTime := &kindred.AuditEntry{Action: "instance.setting"}
	must(t, db.AppendAudit(ctx, withoutTime))
	if withoutTime.CreatedAt.IsZero() {
		t.Error("AppendAudit left CreatedAt zero")
	}
	entries = append(entries, withoutTime)

	tests := []struct {
		name   string
		filter kindred.AuditFilter
		want   []*kindred.AuditEntry
	}{
		{"newest first", kindred.AuditFilter{}, []*kindred.AuditEntry{entries[3], entries[2], entries[1], entries[0]}},
		{"one organisation", kindred.AuditFilter{OrgID: "org-1"}, []*kindred.AuditEntry{entries[1], entries[0]}},
		{"limit", kindred.AuditFilter{Limit: 1}, []*kindred.AuditEntry{entries[3]}},
		{"unknown organisation", kindred.AuditFilter{OrgID: "none"}, []*kindred.AuditEntry{}},
	}
	for _, tc := range tests {
		t.Run("ListAudit "+tc.name, func(t *testing.T) {
			got, err := db.ListAudit(ctx, tc.filter)
			must(t, err)
			wantEqual(t, "entries", got, tc.want)
		})
	}

	must(t, verifyAudit(ctx, db))

	t.Run("tampering shows", func(t *testing.T) {
		e := entries[1]
		tampers := []struct {
			name         string
			tamper, undo string
			tamperArgs   []any
			undoArgs     []any
			problem      audit.Problem
		}{
			{name: "changed detail",
				tamper: `UPDATE audit_log SET detail = ? WHERE seq = ?`, tamperArgs: []any{"nothing happened", e.Seq},
				undo: `UPDATE audit_log SET detail = ? WHERE seq = ?`, undoArgs: []any{e.Detail, e.Seq}, problem: audit.ProblemHash},
			{name: "changed time",
				tamper: `UPDATE audit_log SET created_at = created_at + 1 WHERE seq = ?`, tamperArgs: []any{e.Seq},
				undo: `UPDATE audit_log SET created_at = created_at - 1 WHERE seq = ?`, undoArgs: []any{e.Seq}, problem: audit.ProblemHash},
			{name: "changed and rehashed",
				tamper: `UPDATE audit_log SET actor_id = ?, hash = ? WHERE seq = ?`,
				tamperArgs: []any{"someone-else", auditHash(&kindred.AuditEntry{Seq: e.Seq, OrgID: e.OrgID, ActorID: "someone-else",
					Action: e.Action, Target: e.Target, Detail: e.Detail, CreatedAt: e.CreatedAt, PrevHash: e.PrevHash}), e.Seq},
				undo: `UPDATE audit_log SET actor_id = ?, hash = ? WHERE seq = ?`, undoArgs: []any{e.ActorID, e.Hash, e.Seq},
				problem: audit.ProblemLink}, // the next record still points at the old hash
			{name: "changed link",
				tamper: `UPDATE audit_log SET prev_hash = ? WHERE seq = ?`, tamperArgs: []any{entries[0].PrevHash, e.Seq},
				undo: `UPDATE audit_log SET prev_hash = ? WHERE seq = ?`, undoArgs: []any{e.PrevHash, e.Seq}, problem: audit.ProblemLink},
			{name: "deleted",
				tamper: `DELETE FROM audit_log WHERE seq = ?`, tamperArgs: []any{e.Seq},
				undo:     `INSERT INTO audit_log (` + auditCols + `) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				undoArgs: []any{e.Seq, e.OrgID, e.ActorID, e.Action, e.Target, e.Detail, ms(e.CreatedAt), e.PrevHash, e.Hash},
				problem:  audit.ProblemGap},
		}
		for _, tc := range tampers {
			t.Run(tc.name, func(t *testing.T) {
				rawExec(t, db, tc.tamper, tc.tamperArgs...)
				rep, err := audit.Verify(ctx, db)
				must(t, err)
				switch {
				case rep.Break == nil:
					t.Error("Verify found nothing wrong")
				case rep.Break.Problem != tc.problem:
					t.Errorf("Verify: %v; want a %s", rep.Break, tc.problem)
				default:
					t.Logf("Verify: %v", rep.Break)
				}
				rawExec(t, db, tc.undo, tc.undoArgs...)
				if err := verifyAudit(ctx, db); err != nil {
					t.Errorf("VerifyAudit after undoing: %v", err)
				}
			})
		}
	})
}

// testAuditConcurrently: appends racing from many requests (and, on
// PostgreSQL, many connections) still form one unbroken chain.
func testAuditConcurrently(t *testing.T, db *DB) {
	ctx := t.Context()
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			if err := db.AppendAudit(ctx, &kindred.AuditEntry{ActorID: "a", Action: "test", Target: fmt.Sprint(i)}); err != nil {
				t.Errorf("AppendAudit: %v", err)
			}
		})
	}
	wg.Wait()
	must(t, verifyAudit(ctx, db))
	got, err := db.ListAudit(ctx, kindred.AuditFilter{})
	must(t, err)
	if len(got) != n || got[0].Seq != n {
		t.Errorf("%d entries, newest Seq %d; want %d", len(got), got[0].Seq, n)
	}
}

// testCascade: what cannot outlive its parent goes with it. The Store has
// no deletes for organisations, groups or accounts yet, so the test deletes
// rows directly, as a future feature or an operator would.
func testCascade(t *testing.T, db *DB) {
	ctx := t.Context()
	admin := newAccount(t, db, "Admin", "")
	alex := newAccount(t, db, "Alex", "")
	org := newOrg(t, db, "org", "Org", admin)
	keep := newOrg(t, db, "keep", "Keep", admin)
	newMember(t, db, org, alex, "")
	g := newGroup(t, db, org, "g", "G", admin)
	kept := newGroup(t, db, keep, "g", "G", admin)
	must(t, db.CreateGroupMember(ctx, &kindred.GroupMember{GroupID: g.ID, AccountID: alex.ID, Role: kindred.GroupRoleMember, Status: kindred.StatusActive}))
	th, op := newThread(t, db, g, alex, "t", at(0))
	reply := newReply(t, db, th, admin, "r", at(1))
	must(t, db.AddReaction(ctx, &kindred.Reaction{PostID: op.ID, AccountID: admin.ID, Kind: kindred.ReactMeToo}))
	must(t, db.CreateInvite(ctx, &kindred.Invite{OrgID: org.ID, GroupID: g.ID, CodeHash: "c", CreatedBy: admin.ID, ExpiresAt: at(60), MaxUses: 1}))
	keptThread, _ := newThread(t, db, kept, alex, "kept", at(0))

	t.Run("group", func(t *testing.T) {
		rawExec(t, db, `DELETE FROM peer_groups WHERE id = ?`, g.ID)
		for name, err := range map[string]error{
			"thread":       second(db.FindThread(ctx, th.ID)),
			"opening post": second(db.FindPost(ctx, op.ID)),
			"reply":        second(db.FindPost(ctx, reply.ID)),
			"group member": second(db.FindGroupMember(ctx, g.ID, alex.ID)),
			"invite":       second(db.FindInviteByCode(ctx, "c")),
		} {
			if kindred.ErrorCode(err) != kindred.ENOTFOUND {
				t.Errorf("%s outlived its group: %v", name, err)
			}
		}
		var n int
		must(t, db.read.QueryRowContext(ctx, `SELECT COUNT(*) FROM reactions`).Scan(&n))
		if n != 0 {
			t.Errorf("%d reactions outlived their post", n)
		}
		if _, err := db.FindMembership(ctx, org.ID, alex.ID); err != nil {
			t.Errorf("the organisation membership went with the group: %v", err)
		}
	})

	t.Run("organisation", func(t *testing.T) {
		rawExec(t, db, `DELETE FROM organizations WHERE id = ?`, org.ID)
		_, err := db.FindMembership(ctx, org.ID, alex.ID)
		wantCode(t, err, kindred.ENOTFOUND)
		if _, err := db.FindThread(ctx, keptThread.ID); err != nil {
			t.Errorf("another organisation's thread: %v", err)
		}
		if _, err := db.FindAccount(ctx, alex.ID); err != nil {
			t.Errorf("an account went with an organisation: %v", err)
		}
	})

	t.Run("account", func(t *testing.T) {
		leaver := newAccount(t, db, "Leaver", "")
		newMember(t, db, keep, leaver, "")
		must(t, db.CreateSession(ctx, &kindred.Session{ID: "s", AccountID: leaver.ID, ExpiresAt: at(60)}))
		must(t, db.CreateToken(ctx, &kindred.Token{AccountID: leaver.ID, Name: "t", Hash: "h"}))
		rawExec(t, db, `DELETE FROM accounts WHERE id = ?`, leaver.ID)
		_, _, err := db.FindSession(ctx, "s", at(0))
		wantCode(t, err, kindred.ENOTFOUND)
		_, _, err = db.FindTokenByHash(ctx, "h", at(0))
		wantCode(t, err, kindred.ENOTFOUND)
		_, err = db.FindMembership(ctx, keep.ID, leaver.ID)
		wantCode(t, err, kindred.ENOTFOUND)
	})
}

func second[T any](_ T, err error) error { return err }
