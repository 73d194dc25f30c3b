package sqlstore

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"kindred"
)

// The audit log is one hash chain over the whole instance: each entry's
// hash covers its fields and the previous entry's hash, so changing or
// removing an entry (other than the newest) breaks every hash after it.

const auditCols = `seq, org_id, actor_id, action, target, detail, created_at, prev_hash, hash`

func auditDest(e *kindred.AuditEntry) []any {
	return []any{&e.Seq, &e.OrgID, &e.ActorID, &e.Action, &e.Target, &e.Detail, timeCol{&e.CreatedAt},
		&e.PrevHash, &e.Hash}
}

// AppendAudit adds an entry at the end of the chain and fills its Seq,
// PrevHash and Hash.
func (db *DB) AppendAudit(ctx context.Context, e *kindred.AuditEntry) error {
	fillCreated(&e.CreatedAt)
	next := *e
	err := db.inTx(ctx, func(tx conn) error {
		// Two appends must not read the same tail. SQLite's single writer
		// already runs them one at a time; PostgreSQL needs the lock.
		if db.dialect.lockAudit != "" {
			if _, err := tx.exec(ctx, db.dialect.lockAudit); err != nil {
				return err
			}
		}
		var seq int64
		var prev string
		err := tx.queryRow(ctx, `SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1`).Scan(&seq, &prev)
		if err != nil && !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		next.Seq, next.PrevHash = seq+1, prev
		next.Hash = auditHash(&next)
		_, err = tx.exec(ctx, `INSERT INTO audit_log (`+auditCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			next.Seq, next.OrgID, next.ActorID, next.Action, next.Target, next.Detail, ms(next.CreatedAt),
			next.PrevHash, next.Hash)
		return err
	})
	if err != nil {
		return storeErr("append audit", "audit entry", err)
	}
	*e = next
	return nil
}

// ListAudit returns audit entries newest first, of one organisation when
// OrgID is set. Limit 0 means 100; at most 1000.
func (db *DB) ListAudit(ctx context.Context, f kindred.AuditFilter) ([]*kindred.AuditEntry, error) {
	limit, _ := page(f.Limit, 0, defaultAuditSize, maxAuditSize)
	var where []string
	var args []any
	if f.OrgID != "" {
		where = append(where, `org_id = ?`)
		args = append(args, f.OrgID)
	}
	rows, err := db.reader().query(ctx, `SELECT `+auditCols+` FROM audit_log`+whereClause(where)+
		` ORDER BY seq DESC LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, storeErr("list audit", "audit entry", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.AuditEntry, error) {
		x := new(kindred.AuditEntry)
		return x, s.Scan(auditDest(x)...)
	})
	return out, storeErr("list audit", "audit entry", err)
}

// VerifyAudit recomputes the whole chain and reports the first entry that
// does not fit: a changed field, a missing or reordered entry, or a broken
// link. Removing only the newest entries cannot be detected from inside the
// database; compare the latest hash with one kept elsewhere for that.
func (db *DB) VerifyAudit(ctx context.Context) error {
	rows, err := db.reader().query(ctx, `SELECT `+auditCols+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return fmt.Errorf("verify audit: %w", err)
	}
	defer rows.Close()
	var want int64 = 1
	prev := ""
	for rows.Next() {
		var e kindred.AuditEntry
		if err := rows.Scan(auditDest(&e)...); err != nil {
			return fmt.Errorf("verify audit: %w", err)
		}
		switch {
		case e.Seq != want:
			return fmt.Errorf("verify audit: expected entry %d, found %d: entries are missing", want, e.Seq)
		case e.PrevHash != prev:
			return fmt.Errorf("verify audit: entry %d does not link to entry %d", e.Seq, e.Seq-1)
		case auditHash(&e) != e.Hash:
			return fmt.Errorf("verify audit: entry %d was altered", e.Seq)
		}
		want, prev = e.Seq+1, e.Hash
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("verify audit: %w", err)
	}
	return nil
}

// auditHash is the hex SHA-256 of the entry's canonical encoding: a version
// tag and the fields, each as length:value, so no two different entries
// encode alike. The time is in stored milliseconds.
func auditHash(e *kindred.AuditEntry) string {
	h := sha256.New()
	for _, f := range []string{
		"kindred-audit-v1",
		strconv.FormatInt(e.Seq, 10),
		e.OrgID,
		e.ActorID,
		e.Action,
		e.Target,
		e.Detail,
		strconv.FormatInt(ms(e.CreatedAt), 10),
		e.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s,", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}
