package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"time"

	"kindred"
)

// Reports, moderation cases, decisions, appeals and settings.

const caseSelect = `SELECT id, org_id, kind, target_id, context_id, subject_id, crisis, coordinators_only,
	weight, reports, urgent, hidden, status, outcome, created_at, updated_at, resolved_at
	FROM moderation_cases`

func caseDest(c *kindred.ModerationCase) []any {
	return []any{&c.ID, &c.OrgID, &c.Kind, &c.TargetID, &c.ContextID, nullStringCol{&c.SubjectID}, &c.Crisis,
		&c.CoordinatorsOnly, &c.Weight, &c.Reports, &c.Urgent, &c.Hidden, &c.Status, &c.Outcome,
		timeCol{&c.CreatedAt}, timeCol{&c.UpdatedAt}, nullTimeCol{&c.ResolvedAt}}
}

// OpenModerationCase returns the open case about c's target, creating it
// when there is none; the partial unique index keeps it to one, even when
// two reports race.
func (db *DB) OpenModerationCase(ctx context.Context, c *kindred.ModerationCase, crisis bool) (*kindred.ModerationCase, error) {
	out := new(kindred.ModerationCase)
	err := db.inTx(ctx, func(tx conn) error {
		find := func() error {
			return tx.queryRow(ctx, caseSelect+` WHERE org_id = ? AND kind = ? AND target_id = ? AND status = 'open'`,
				c.OrgID, string(c.Kind), c.TargetID).Scan(caseDest(out)...)
		}
		err := find()
		if errors.Is(err, sql.ErrNoRows) {
			fillID(&c.ID)
			fillCreated(&c.CreatedAt)
			c.UpdatedAt = c.CreatedAt
			c.Status = kindred.CaseOpen
			c.Crisis = c.Crisis || crisis
			_, err = tx.exec(ctx, `INSERT INTO moderation_cases (id, org_id, kind, target_id, context_id, subject_id, crisis,
				coordinators_only, weight, reports, urgent, hidden, status, outcome, created_at, updated_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?, ?, 'open', '', ?, ?)`,
				c.ID, c.OrgID, string(c.Kind), c.TargetID, c.ContextID, nullIfEmpty(c.SubjectID), c.Crisis,
				c.CoordinatorsOnly, c.Urgent, c.Hidden, ms(c.CreatedAt), ms(c.UpdatedAt))
			if err != nil {
				return err
			}
			return find()
		}
		if err != nil || !crisis || out.Crisis {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE moderation_cases SET crisis = ?, updated_at = ? WHERE id = ?`,
			true, ms(now()), out.ID); err != nil {
			return err
		}
		out.Crisis = true
		return nil
	})
	if err != nil {
		return nil, storeErr("open moderation case", "case", err)
	}
	return out, nil
}

// FindModerationCase returns the case with the id.
func (db *DB) FindModerationCase(ctx context.Context, id string) (*kindred.ModerationCase, error) {
	c := new(kindred.ModerationCase)
	if err := db.reader().queryRow(ctx, caseSelect+` WHERE id = ?`, id).Scan(caseDest(c)...); err != nil {
		return nil, storeErr("find moderation case", "case", err)
	}
	return c, nil
}

// ListModerationCases lists an organisation's cases in queue order: crisis
// first, then urgent reasons, then weight, then the oldest.
func (db *DB) ListModerationCases(ctx context.Context, f kindred.CaseFilter) ([]*kindred.ModerationCase, error) {
	limit, _ := page(f.Limit, 0, defaultPageSize, maxPageSize)
	q := caseSelect + ` WHERE org_id = ?`
	args := []any{f.OrgID}
	if f.Status != "" {
		q += ` AND status = ?`
		args = append(args, string(f.Status))
	}
	switch {
	case f.OnlyCoordinatorsOnly:
		q += ` AND coordinators_only = ?`
		args = append(args, true)
	case !f.WithCoordinatorsOnly:
		q += ` AND coordinators_only = ?`
		args = append(args, false)
	}
	if f.NotAbout != "" {
		q += ` AND (subject_id IS NULL OR subject_id <> ?)`
		args = append(args, f.NotAbout)
	}
	q += ` ORDER BY crisis DESC, urgent DESC, weight DESC, created_at, id LIMIT ?`
	args = append(args, limit)
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, storeErr("list moderation cases", "case", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.ModerationCase, error) {
		c := new(kindred.ModerationCase)
		return c, s.Scan(caseDest(c)...)
	})
	return out, storeErr("list moderation cases", "case", err)
}

// CountCrisisCases counts the open crisis cases of an organisation. It runs
// on every page a staff member opens, so it reads one index range.
func (db *DB) CountCrisisCases(ctx context.Context, orgID string, withCoordinatorsOnly bool) (int, error) {
	q := `SELECT COUNT(*) FROM moderation_cases WHERE org_id = ? AND status = 'open' AND crisis = ?`
	args := []any{orgID, true}
	if !withCoordinatorsOnly {
		q += ` AND coordinators_only = ?`
		args = append(args, false)
	}
	var n int
	if err := db.reader().queryRow(ctx, q, args...).Scan(&n); err != nil {
		return 0, storeErr("count crisis cases", "case", err)
	}
	return n, nil
}

func caseSets(u kindred.CaseUpdate) *setList {
	var s setList
	if u.Weight != nil {
		s.add("weight", *u.Weight)
	}
	if u.Reports != nil {
		s.add("reports", *u.Reports)
	}
	if u.Urgent != nil {
		s.add("urgent", *u.Urgent)
	}
	if u.Hidden != nil {
		s.add("hidden", *u.Hidden)
	}
	if u.Crisis != nil {
		s.add("crisis", *u.Crisis)
	}
	if u.Status != nil {
		s.add("status", string(*u.Status))
	}
	if u.Outcome != nil {
		s.add("outcome", string(*u.Outcome))
	}
	if u.ResolvedAt != nil {
		s.add("resolved_at", msPtr(normPtr(*u.ResolvedAt)))
	}
	at := u.UpdatedAt
	if at.IsZero() {
		at = now()
	}
	s.add("updated_at", ms(norm(at)))
	return &s
}

// updateCase applies u inside a transaction.
func updateCase(ctx context.Context, tx conn, id string, u kindred.CaseUpdate) error {
	s := caseSets(u)
	return tx.execOne(ctx, "case", `UPDATE moderation_cases SET `+s.clause()+` WHERE id = ?`, append(s.args, id)...)
}

// UpdateModerationCase changes a case and returns it.
func (db *DB) UpdateModerationCase(ctx context.Context, id string, u kindred.CaseUpdate) (*kindred.ModerationCase, error) {
	c := new(kindred.ModerationCase)
	err := db.inTx(ctx, func(tx conn) error {
		if err := updateCase(ctx, tx, id, u); err != nil {
			return err
		}
		return tx.queryRow(ctx, caseSelect+` WHERE id = ?`, id).Scan(caseDest(c)...)
	})
	if err != nil {
		return nil, storeErr("update moderation case", "case", err)
	}
	return c, nil
}

const reportSelect = `SELECT id, case_id, org_id, reporter_id, reason, note, weight, newcomer, created_at, updated_at
	FROM moderation_reports`

func reportDest(r *kindred.Report) []any {
	return []any{&r.ID, &r.CaseID, &r.OrgID, &r.ReporterID, &r.Reason, &r.Note, &r.Weight, &r.Newcomer,
		timeCol{&r.CreatedAt}, timeCol{&r.UpdatedAt}}
}

// SaveReport stores the report, or updates the reporter's earlier one on
// the same case, so reporting twice never adds weight.
func (db *DB) SaveReport(ctx context.Context, r *kindred.Report) (bool, error) {
	fillCreated(&r.CreatedAt)
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = r.CreatedAt
	}
	r.UpdatedAt = norm(r.UpdatedAt)
	created := false
	err := db.inTx(ctx, func(tx conn) error {
		var id string
		var first int64
		err := tx.queryRow(ctx, `SELECT id, created_at FROM moderation_reports WHERE case_id = ? AND reporter_id = ?`,
			r.CaseID, r.ReporterID).Scan(&id, &first)
		switch {
		case errors.Is(err, sql.ErrNoRows):
			fillID(&r.ID)
			created = true
			_, err = tx.exec(ctx, `INSERT INTO moderation_reports (id, case_id, org_id, reporter_id, reason, note, weight,
				newcomer, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
				r.ID, r.CaseID, r.OrgID, r.ReporterID, string(r.Reason), r.Note, r.Weight, r.Newcomer,
				ms(r.CreatedAt), ms(r.UpdatedAt))
			return err
		case err != nil:
			return err
		}
		r.ID, r.CreatedAt = id, time.UnixMilli(first).UTC()
		_, err = tx.exec(ctx, `UPDATE moderation_reports SET reason = ?, note = ?, weight = ?, newcomer = ?, updated_at = ?
			WHERE id = ?`, string(r.Reason), r.Note, r.Weight, r.Newcomer, ms(r.UpdatedAt), id)
		return err
	})
	return created, storeErr("save report", "report", err)
}

// ListReports returns a case's reports (oldest first) or one reporter's in
// an organisation (newest first).
func (db *DB) ListReports(ctx context.Context, f kindred.ReportFilter) ([]*kindred.Report, error) {
	limit, _ := page(f.Limit, 0, defaultPageSize, maxPageSize)
	var rows *sql.Rows
	var err error
	if f.CaseID != "" {
		rows, err = db.reader().query(ctx, reportSelect+` WHERE case_id = ? ORDER BY created_at, id LIMIT ?`, f.CaseID, limit)
	} else {
		rows, err = db.reader().query(ctx, reportSelect+` WHERE reporter_id = ? AND org_id = ?
			ORDER BY updated_at DESC, id LIMIT ?`, f.ReporterID, f.OrgID, limit)
	}
	if err != nil {
		return nil, storeErr("list reports", "report", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Report, error) {
		r := new(kindred.Report)
		return r, s.Scan(reportDest(r)...)
	})
	return out, storeErr("list reports", "report", err)
}

// ReporterRecord counts the person's reports on decided cases, and the
// upheld ones among them.
func (db *DB) ReporterRecord(ctx context.Context, orgID, accountID string) (int, int, error) {
	var upheld, judged int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*), COALESCE(SUM(CASE WHEN c.outcome IN (?, ?, ?, ?) THEN 1 ELSE 0 END), 0)
		FROM moderation_reports r JOIN moderation_cases c ON c.id = r.case_id
		WHERE r.reporter_id = ? AND r.org_id = ? AND c.status = 'resolved' AND c.outcome <> ?`,
		string(kindred.ActionHide), string(kindred.ActionWarn), string(kindred.ActionSuspend), string(kindred.ActionBan),
		accountID, orgID, string(kindred.ActionReachedOut)).Scan(&judged, &upheld)
	if err != nil {
		return 0, 0, storeErr("reporter record", "report", err)
	}
	return upheld, judged, nil
}

const decisionSelect = `SELECT d.id, d.case_id, d.org_id, d.subject_id, d.action, d.reason, d.actor_id, d.until_at,
	d.created_at, d.appeal_note, d.appealed_at, d.appeal_outcome, d.appeal_reason, d.appeal_decided_by,
	d.appeal_decided_at, c.kind
	FROM moderation_decisions d JOIN moderation_cases c ON c.id = d.case_id`

func decisionDest(d *kindred.Decision) []any {
	return []any{&d.ID, &d.CaseID, &d.OrgID, nullStringCol{&d.SubjectID}, &d.Action, &d.Reason, nullStringCol{&d.ActorID},
		nullTimeCol{&d.Until}, timeCol{&d.CreatedAt}, &d.AppealNote, nullTimeCol{&d.AppealedAt}, &d.AppealOutcome,
		&d.AppealReason, nullStringCol{&d.AppealDecidedBy}, nullTimeCol{&d.AppealDecidedAt}, &d.Kind}
}

// CreateDecision stores the decision and updates its case together.
func (db *DB) CreateDecision(ctx context.Context, d *kindred.Decision, u kindred.CaseUpdate) error {
	fillID(&d.ID)
	fillCreated(&d.CreatedAt)
	d.Until = normPtr(d.Until)
	err := db.inTx(ctx, func(tx conn) error {
		if err := updateCase(ctx, tx, d.CaseID, u); err != nil {
			return err
		}
		if err := tx.queryRow(ctx, `SELECT kind FROM moderation_cases WHERE id = ?`, d.CaseID).Scan(&d.Kind); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO moderation_decisions (id, case_id, org_id, subject_id, action, reason, actor_id,
			until_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			d.ID, d.CaseID, d.OrgID, nullIfEmpty(d.SubjectID), string(d.Action), d.Reason, nullIfEmpty(d.ActorID),
			msPtr(d.Until), ms(d.CreatedAt))
		return err
	})
	return storeErr("create decision", "decision", err)
}

// FindDecision returns the decision with the id.
func (db *DB) FindDecision(ctx context.Context, id string) (*kindred.Decision, error) {
	d := new(kindred.Decision)
	if err := db.reader().queryRow(ctx, decisionSelect+` WHERE d.id = ?`, id).Scan(decisionDest(d)...); err != nil {
		return nil, storeErr("find decision", "decision", err)
	}
	return d, nil
}

// ListDecisions returns decisions, newest first.
func (db *DB) ListDecisions(ctx context.Context, f kindred.DecisionFilter) ([]*kindred.Decision, error) {
	limit, _ := page(f.Limit, 0, defaultPageSize, maxPageSize)
	q := decisionSelect + ` WHERE 1 = 1`
	var args []any
	if f.CaseID != "" {
		q += ` AND d.case_id = ?`
		args = append(args, f.CaseID)
	}
	if f.OrgID != "" {
		q += ` AND d.org_id = ?`
		args = append(args, f.OrgID)
	}
	if f.SubjectID != "" {
		q += ` AND d.subject_id = ?`
		args = append(args, f.SubjectID)
	}
	if f.OpenAppeals {
		q += ` AND d.appealed_at IS NOT NULL AND d.appeal_outcome = ''`
	}
	q += ` ORDER BY d.created_at DESC, d.id LIMIT ?`
	args = append(args, limit)
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, storeErr("list decisions", "decision", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Decision, error) {
		d := new(kindred.Decision)
		return d, s.Scan(decisionDest(d)...)
	})
	return out, storeErr("list decisions", "decision", err)
}

// AppealDecision records the one appeal against a decision.
func (db *DB) AppealDecision(ctx context.Context, id, note string, at time.Time) error {
	err := db.inTx(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `UPDATE moderation_decisions SET appeal_note = ?, appealed_at = ?
			WHERE id = ? AND appealed_at IS NULL`, note, ms(norm(at)), id)
		if err != nil {
			return err
		}
		return oneOrConflict(ctx, tx, res, id, "You have already appealed this decision. A staff member will answer it.")
	})
	return storeErr("appeal decision", "decision", err)
}

// DecideAppeal records the answer to an appeal.
func (db *DB) DecideAppeal(ctx context.Context, id string, outcome kindred.AppealOutcome, reason, by string, at time.Time) error {
	err := db.inTx(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `UPDATE moderation_decisions SET appeal_outcome = ?, appeal_reason = ?, appeal_decided_by = ?,
			appeal_decided_at = ? WHERE id = ? AND appealed_at IS NOT NULL AND appeal_outcome = ''`,
			string(outcome), reason, nullIfEmpty(by), ms(norm(at)), id)
		if err != nil {
			return err
		}
		return oneOrConflict(ctx, tx, res, id, "This appeal was already answered, or was never made.")
	})
	return storeErr("decide appeal", "decision", err)
}

// oneOrConflict turns an update that touched no row into ENOTFOUND when the
// decision does not exist and ECONFLICT when it was not in the right state.
func oneOrConflict(ctx context.Context, tx conn, res sql.Result, id, conflict string) error {
	n, err := res.RowsAffected()
	if err != nil || n > 0 {
		return err
	}
	found, err := tx.exists(ctx, `SELECT 1 FROM moderation_decisions WHERE id = ?`, id)
	if err != nil {
		return err
	}
	if !found {
		return notFound("decision")
	}
	return kindred.Errorf(kindred.ECONFLICT, "%s", conflict)
}

// ActiveSuspension returns the end of the person's latest suspension in the
// organisation that is not overturned, when it is after now.
func (db *DB) ActiveSuspension(ctx context.Context, orgID, accountID string, at time.Time) (time.Time, error) {
	var until sql.NullInt64
	err := db.reader().queryRow(ctx, `SELECT MAX(until_at) FROM moderation_decisions
		WHERE org_id = ? AND subject_id = ? AND action = ? AND appeal_outcome <> ? AND until_at > ?`,
		orgID, accountID, string(kindred.ActionSuspend), string(kindred.AppealOverturned), ms(at)).Scan(&until)
	if err != nil {
		return time.Time{}, storeErr("active suspension", "suspension", err)
	}
	if !until.Valid {
		return time.Time{}, notFound("suspension")
	}
	return time.UnixMilli(until.Int64).UTC(), nil
}

// FindModerationSettings returns the organisation's settings or the
// defaults.
func (db *DB) FindModerationSettings(ctx context.Context, orgID string) (*kindred.ModerationSettings, error) {
	s := kindred.DefaultModerationSettings(orgID)
	err := db.reader().queryRow(ctx, `SELECT hide_threshold, hold_crisis_posts, updated_at FROM moderation_settings
		WHERE org_id = ?`, orgID).Scan(&s.HideThreshold, &s.HoldCrisisPosts, timeCol{&s.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return s, nil
	}
	if err != nil {
		return nil, storeErr("find moderation settings", "settings", err)
	}
	return s, nil
}

// SaveModerationSettings creates or replaces the organisation's settings.
func (db *DB) SaveModerationSettings(ctx context.Context, s *kindred.ModerationSettings) error {
	fillCreated(&s.UpdatedAt)
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO moderation_settings (org_id, hide_threshold, hold_crisis_posts, updated_at)
			VALUES (?, ?, ?, ?) ON CONFLICT (org_id) DO UPDATE SET hide_threshold = excluded.hide_threshold,
			hold_crisis_posts = excluded.hold_crisis_posts, updated_at = excluded.updated_at`,
			s.OrgID, s.HideThreshold, s.HoldCrisisPosts, ms(s.UpdatedAt))
		return err
	})
	return storeErr("save moderation settings", "settings", err)
}

// SetPostHidden hides or shows a post. A reply leaving others' view leaves
// the thread's reply count too (and comes back with it), so the count
// never tells anyone a hidden reply exists.
func (db *DB) SetPostHidden(ctx context.Context, postID string, h kindred.PostHidden) error {
	err := db.inTx(ctx, func(tx conn) error {
		var threadID, was string
		var opening int
		if err := tx.queryRow(ctx, `SELECT p.thread_id, p.hidden, CASE WHEN t.opening_post_id = p.id THEN 1 ELSE 0 END
			FROM posts p JOIN threads t ON t.id = p.thread_id WHERE p.id = ?`, postID).Scan(&threadID, &was, &opening); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE posts SET hidden = ? WHERE id = ?`, string(h), postID); err != nil {
			return err
		}
		if opening == 1 || (was == "") == (h == kindred.PostVisible) {
			return nil
		}
		delta := -1
		if h == kindred.PostVisible {
			delta = 1
		}
		_, err := tx.exec(ctx, `UPDATE threads SET reply_count = reply_count + ? WHERE id = ?`, delta, threadID)
		return err
	})
	return storeErr("hide post", "post", err)
}

// eraseModeration erases what the moderation tables hold about the account:
// the reports they filed (their words) go; the cases and decisions about
// them stay for the organisation's records, without the link to them (the
// foreign keys set it to NULL as the account goes), and their appeal notes,
// their own words, are blanked.
func eraseModeration(ctx context.Context, tx conn, accountID string) error {
	if _, err := tx.exec(ctx, `DELETE FROM moderation_reports WHERE reporter_id = ?`, accountID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE moderation_decisions SET appeal_note = '' WHERE subject_id = ?`, accountID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE moderation_decisions SET subject_id = NULL WHERE subject_id = ?`, accountID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE moderation_decisions SET actor_id = NULL WHERE actor_id = ?`, accountID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `UPDATE moderation_decisions SET appeal_decided_by = NULL WHERE appeal_decided_by = ?`, accountID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `UPDATE moderation_cases SET subject_id = NULL WHERE subject_id = ?`, accountID)
	return err
}
