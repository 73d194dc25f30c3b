package sqlstore

import (
	"context"
	"database/sql"
	"errors"

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

// WalkAudit calls fn with every entry of the whole chain (the instance's
// and every organisation's) in Seq order, reading them as a stream so a
// long log is never held in memory at once. It stops at the first error fn
// returns and returns it. internal/audit verifies the chain with it.
func (db *DB) WalkAudit(ctx context.Context, fn func(*kindred.AuditEntry) error) error {
	rows, err := db.reader().query(ctx, `SELECT `+auditCols+` FROM audit_log ORDER BY seq`)
	if err != nil {
		return storeErr("walk audit", "audit entry", err)
	}
	defer rows.Close()
	for rows.Next() {
		e := new(kindred.AuditEntry)
		if err := rows.Scan(auditDest(e)...); err != nil {
			return storeErr("walk audit", "audit entry", err)
		}
		if err := fn(e); err != nil {
			return err
		}
	}
	return storeErr("walk audit", "audit entry", rows.Err())
}

// auditHash is the entry's hash as the chain defines it (kindred.AuditHash).
func auditHash(e *kindred.AuditEntry) string { return kindred.AuditHash(e) }
