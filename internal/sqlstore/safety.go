package sqlstore

import (
	"context"
	"database/sql"
	"strings"

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

// Organisations' crisis help: one org_safety row, the organisation's own
// lines in org_crisis_resources and its edited phrase lists in
// org_crisis_phrases, always read and written together.

// FindOrgSafety returns the organisation's settings; ENOTFOUND when it
// never saved any.
func (db *DB) FindOrgSafety(ctx context.Context, orgID string) (*kindred.OrgSafety, error) {
	list, err := db.loadOrgSafety(ctx, db.reader(), orgID)
	if err != nil {
		return nil, storeErr("find org safety", "crisis help settings", err)
	}
	if len(list) == 0 {
		return nil, storeErr("find org safety", "crisis help settings", sql.ErrNoRows)
	}
	return list[0], nil
}

// ListOrgSafety returns every organisation's saved settings.
func (db *DB) ListOrgSafety(ctx context.Context) ([]*kindred.OrgSafety, error) {
	list, err := db.loadOrgSafety(ctx, db.reader(), "")
	return list, storeErr("list org safety", "crisis help settings", err)
}

// loadOrgSafety reads the settings of one organisation, or of all when
// orgID is empty, in three queries whatever their number.
func (db *DB) loadOrgSafety(ctx context.Context, c conn, orgID string) ([]*kindred.OrgSafety, error) {
	where, args := "", []any{}
	if orgID != "" {
		where, args = " WHERE org_id = ?", []any{orgID}
	}
	rows, err := c.query(ctx, `SELECT org_id, show_defaults, quick_exit_url, discreet_default, contact, updated_at
		FROM org_safety`+where+` ORDER BY org_id`, args...)
	if err != nil {
		return nil, err
	}
	var out []*kindred.OrgSafety
	byOrg := map[string]*kindred.OrgSafety{}
	for rows.Next() {
		s := &kindred.OrgSafety{}
		if err := rows.Scan(&s.OrgID, &s.ShowDefaults, &s.QuickExitURL, &s.DiscreetDefault, &s.Contact, timeCol{&s.UpdatedAt}); err != nil {
			rows.Close()
			return nil, err
		}
		out = append(out, s)
		byOrg[s.OrgID] = s
	}
	rows.Close()
	if err := rows.Err(); err != nil || len(out) == 0 {
		return nil, err
	}
	rows, err = c.query(ctx, `SELECT org_id, id, name, description, phone, text_to, chat_url, hours, region, languages, serves
		FROM org_crisis_resources`+where+` ORDER BY org_id, position`, args...)
	if err != nil {
		return nil, err
	}
	for rows.Next() {
		var org, langs string
		var r kindred.CrisisResource
		if err := rows.Scan(&org, &r.ID, &r.Name, &r.Description, &r.Phone, &r.Text, &r.ChatURL, &r.Hours, &r.Region,
			&langs, &r.Serves); err != nil {
			rows.Close()
			return nil, err
		}
		if langs != "" {
			r.Languages = strings.Split(langs, "\n")
		}
		if s := byOrg[org]; s != nil {
			s.Resources = append(s.Resources, r)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	rows, err = c.query(ctx, `SELECT org_id, locale, phrases FROM org_crisis_phrases`+where+` ORDER BY org_id, locale`, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	for rows.Next() {
		var org, locale, phrases string
		if err := rows.Scan(&org, &locale, &phrases); err != nil {
			return nil, err
		}
		if s := byOrg[org]; s != nil {
			if s.Phrases == nil {
				s.Phrases = map[string][]string{}
			}
			s.Phrases[locale] = []string{}
			if phrases != "" {
				s.Phrases[locale] = strings.Split(phrases, "\n")
			}
		}
	}
	return out, rows.Err()
}

// SaveOrgSafety replaces the organisation's settings, lines and phrase
// lists in one transaction. Phrases and languages are stored one per line,
// so a line break inside one is turned into a space.
func (db *DB) SaveOrgSafety(ctx context.Context, s *kindred.OrgSafety) error {
	fillCreated(&s.UpdatedAt)
	for i := range s.Resources {
		fillID(&s.Resources[i].ID)
	}
	oneLine := strings.NewReplacer("\r\n", " ", "\n", " ", "\r", " ")
	err := db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `INSERT INTO org_safety (org_id, show_defaults, quick_exit_url, discreet_default, contact, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)
			ON CONFLICT (org_id) DO UPDATE SET show_defaults = excluded.show_defaults, quick_exit_url = excluded.quick_exit_url,
			discreet_default = excluded.discreet_default, contact = excluded.contact, updated_at = excluded.updated_at`,
			s.OrgID, s.ShowDefaults, s.QuickExitURL, s.DiscreetDefault, s.Contact, ms(s.UpdatedAt)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM org_crisis_resources WHERE org_id = ?`, s.OrgID); err != nil {
			return err
		}
		for i, r := range s.Resources {
			langs := make([]string, len(r.Languages))
			for j, l := range r.Languages {
				langs[j] = oneLine.Replace(l)
			}
			if _, err := tx.exec(ctx, `INSERT INTO org_crisis_resources (org_id, id, position, name, description, phone,
				text_to, chat_url, hours, region, languages, serves) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				s.OrgID, r.ID, i, r.Name, r.Description, r.Phone, r.Text, r.ChatURL, r.Hours, r.Region,
				strings.Join(langs, "\n"), r.Serves); err != nil {
				if isUniqueViolation(err) {
					return kindred.Errorf(kindred.ECONFLICT, "Two crisis lines have the same id.")
				}
				return err
			}
		}
		if _, err := tx.exec(ctx, `DELETE FROM org_crisis_phrases WHERE org_id = ?`, s.OrgID); err != nil {
			return err
		}
		for locale, list := range s.Phrases {
			lines := make([]string, len(list))
			for i, p := range list {
				lines[i] = oneLine.Replace(p)
			}
			if _, err := tx.exec(ctx, `INSERT INTO org_crisis_phrases (org_id, locale, phrases) VALUES (?, ?, ?)`,
				s.OrgID, locale, strings.Join(lines, "\n")); err != nil {
				return err
			}
		}
		return nil
	})
	return storeErr("save org safety", "organisation", err)
}
