package sqlstore

import (
	"context"
	"database/sql"

	"kindred"
)

// Safety plans: one row per account, read and written whole.

const safetyPlanSelect = `SELECT account_id, warning_signs, coping, distractions, people, professionals,
	safe_surroundings, shared_with, updated_at FROM safety_plans`

func scanSafetyPlan(sc scanner) (*kindred.SafetyPlan, error) {
	p := new(kindred.SafetyPlan)
	var shared sql.NullString
	err := sc.Scan(&p.AccountID, &p.WarningSigns, &p.Coping, &p.Distractions, &p.People, &p.Professionals,
		&p.SafeSurroundings, &shared, timeCol{&p.UpdatedAt})
	p.SharedWith = shared.String
	return p, err
}

// FindSafetyPlan returns the account's plan; ENOTFOUND when there is none.
func (db *DB) FindSafetyPlan(ctx context.Context, accountID string) (*kindred.SafetyPlan, error) {
	p, err := scanSafetyPlan(db.reader().queryRow(ctx, safetyPlanSelect+` WHERE account_id = ?`, accountID))
	if err != nil {
		return nil, storeErr("find safety plan", "safety plan", err)
	}
	return p, nil
}

// SaveSafetyPlan creates or replaces the account's plan. It fills
// UpdatedAt when zero.
func (db *DB) SaveSafetyPlan(ctx context.Context, p *kindred.SafetyPlan) error {
	fillCreated(&p.UpdatedAt)
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO safety_plans (account_id, warning_signs, coping, distractions, people,
			professionals, safe_surroundings, shared_with, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (account_id) DO UPDATE SET warning_signs = excluded.warning_signs, coping = excluded.coping,
			distractions = excluded.distractions, people = excluded.people, professionals = excluded.professionals,
			safe_surroundings = excluded.safe_surroundings, shared_with = excluded.shared_with,
			updated_at = excluded.updated_at`,
			p.AccountID, p.WarningSigns, p.Coping, p.Distractions, p.People, p.Professionals, p.SafeSurroundings,
			nullIfEmpty(p.SharedWith), ms(p.UpdatedAt))
		return err
	})
	return storeErr("save safety plan", "account", err)
}

// DeleteSafetyPlan erases the account's plan; ENOTFOUND when there is none.
func (db *DB) DeleteSafetyPlan(ctx context.Context, accountID string) error {
	err := db.inTx(ctx, func(tx conn) error {
		return tx.execOne(ctx, "safety plan", `DELETE FROM safety_plans WHERE account_id = ?`, accountID)
	})
	return storeErr("delete safety plan", "safety plan", err)
}

// ListSafetyPlansSharedWith returns the plans shared with the account, the
// most recently saved first.
func (db *DB) ListSafetyPlansSharedWith(ctx context.Context, accountID string) ([]*kindred.SafetyPlan, error) {
	rows, err := db.reader().query(ctx, safetyPlanSelect+` WHERE shared_with = ? ORDER BY updated_at DESC, account_id`, accountID)
	if err != nil {
		return nil, storeErr("list shared safety plans", "safety plan", err)
	}
	defer rows.Close()
	var out []*kindred.SafetyPlan
	for rows.Next() {
		p, err := scanSafetyPlan(rows)
		if err != nil {
			return nil, storeErr("scan safety plan", "safety plan", err)
		}
		out = append(out, p)
	}
	return out, storeErr("list shared safety plans", "safety plan", rows.Err())
}
