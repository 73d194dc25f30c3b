package sqlstore

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"kindred"
)

// Data rights: exporting and erasing an account, and organisations' chat
// retention.

// exportQuery reads one section of an account export. Every ? is the
// account id. kinds has one letter per selected column, saying how to
// present it: s text, t time (stored milliseconds), b boolean, i integer,
// j JSON kept in a text column.
type exportQuery struct {
	name, kinds, query string
}

// exportQueries lists the sections of an export. Each selects only what
// the person wrote or what is about them, never who reported them or
// anything another person wrote to them.
func exportQueries() []exportQuery {
	return []exportQuery{
		{"account", "sssssssbttt", `SELECT id, handle, display_name, pronouns, bio, email, age_band, is_operator,
			created_at, suspended_at, erased_at FROM accounts WHERE id = ?`},
		{"memberships", "sssisstt", `SELECT m.org_id, o.slug AS org_slug, o.name AS org_name, m.roles, m.status,
			m.display_name, m.conduct_accepted_at, m.created_at FROM memberships m JOIN organizations o ON o.id = m.org_id
			WHERE m.account_id = ? ORDER BY m.created_at`},
		{"groups", "sssssst", `SELECT gm.group_id, g.org_id, g.slug AS group_slug, g.name AS group_name, gm.role, gm.status,
			gm.created_at FROM group_members gm JOIN peer_groups g ON g.id = gm.group_id WHERE gm.account_id = ? ORDER BY gm.created_at`},
		{"threads", "ssssbti", `SELECT id, group_id, kind, title, anonymous, created_at, reply_count FROM threads
			WHERE author_id = ? ORDER BY created_at`},
		{"posts", "ssbsstttb", `SELECT p.id, p.thread_id, p.anonymous, p.content_warning, p.body, p.created_at, p.edited_at,
			p.deleted_at, p.id = t.opening_post_id AS opens_thread FROM posts p JOIN threads t ON t.id = p.thread_id
			WHERE p.author_id = ? ORDER BY p.created_at`},
		{"reactions", "sst", `SELECT post_id, kind, created_at FROM reactions WHERE account_id = ? ORDER BY created_at`},
		{"rsvps", "ssibt", `SELECT r.session_id, s.title AS session_title, r.occurrence, r.going, r.answered_at
			FROM session_rsvps r JOIN group_sessions s ON s.id = r.session_id WHERE r.account_id = ? ORDER BY r.answered_at`},
		{"chat_messages", "ssistt", `SELECT id, room_id, seq, body, created_at, removed_at FROM chat_messages
			WHERE author_id = ? ORDER BY created_at, seq`},
		{"conversations", "sssibtt", `SELECT rm.room_id, r.kind, r.org_id, rm.number, rm.anonymous, rm.joined_at, rm.removed_at
			FROM room_members rm JOIN rooms r ON r.id = rm.room_id WHERE rm.account_id = ? ORDER BY rm.joined_at`},
		{"support_requests", "ssjssjsbstt", `SELECT id, org_id, topics, details, language, identities, urgency, crisis, status,
			created_at, closed_at FROM support_requests WHERE member_id = ? ORDER BY created_at`},
		{"support_conversations", "ssssstts", `SELECT id, org_id, request_id, room_id,
			CASE WHEN member_id = ? THEN 'member' ELSE 'supporter' END AS my_part, started_at, ended_at, end_kind
			FROM support_matches WHERE member_id = ? OR supporter_id = ? ORDER BY started_at`},
		{"support_feedback", "ssst", `SELECT match_id, helped, comment, created_at FROM support_feedback
			WHERE member_id = ? ORDER BY created_at`},
		{"support_debriefs", "ssbt", `SELECT match_id, body, check_in, created_at FROM support_debriefs
			WHERE supporter_id = ? ORDER BY created_at`},
		{"support_escalations", "sssbt", `SELECT id, match_id, reason, urgent, created_at FROM support_escalations
			WHERE raised_by = ? ORDER BY created_at`},
		{"supporter_profiles", "ssjjjjsibt", `SELECT org_id, intro, experiences, languages, identities, availability,
			time_zone, capacity, youth_programme, updated_at FROM supporter_profiles WHERE account_id = ?`},
		{"support_shifts", "sstt", `SELECT id, org_id, started_at, ended_at FROM support_shifts WHERE account_id = ? ORDER BY started_at`},
		{"training_progress", "sssstjijtit", `SELECT mp.course_id, c.title AS course_title, mp.module_id, m.title AS module_title,
			mp.read_at, mp.answers, mp.score, mp.reflections, mp.passed_at, mp.attempts, mp.updated_at
			FROM module_progress mp JOIN courses c ON c.id = mp.course_id JOIN course_modules m ON m.id = mp.module_id
			WHERE mp.account_id = ? ORDER BY c.title, m.position`},
		{"certifications", "ssssstttb", `SELECT id, org_id, course_id, decision, note, requested_at, decided_at, expires_at,
			youth_programme FROM certifications WHERE account_id = ? ORDER BY requested_at`},
		{"safety_plan", "ssssssbt", `SELECT warning_signs, coping, distractions, people, professionals, safe_surroundings,
			shared_with IS NOT NULL AS shared, updated_at FROM safety_plans WHERE account_id = ?`},
		{"sessions", "sttt", `SELECT label, created_at, last_seen_at, expires_at FROM sessions WHERE account_id = ? ORDER BY created_at`},
		{"api_tokens", "stt", `SELECT name, created_at, last_used_at FROM tokens WHERE account_id = ? ORDER BY created_at`},
		{"blocks", "sst", `SELECT b.blocked_id, a.handle AS blocked_handle, b.created_at FROM blocks b
			JOIN accounts a ON a.id = b.blocked_id WHERE b.account_id = ? ORDER BY b.created_at`},
		{"mutes", "sst", `SELECT m.muted_id, a.handle AS muted_handle, m.created_at FROM mutes m
			JOIN accounts a ON a.id = m.muted_id WHERE m.account_id = ? ORDER BY m.created_at`},
		{"hidden_topics", "st", `SELECT topic, created_at FROM hidden_topics WHERE account_id = ? ORDER BY created_at`},
		// Reports they made, and what came of them; never reports about
		// them, nor who made those.
		{"reports", "sssssstss", `SELECT r.id, r.org_id, c.kind, c.target_id, r.reason, r.note, r.created_at, c.status, c.outcome
			FROM moderation_reports r JOIN moderation_cases c ON c.id = r.case_id WHERE r.reporter_id = ? ORDER BY r.created_at`},
		// Decisions about them (a warning, a suspension) and their appeals.
		{"moderation_decisions", "ssssttsts", `SELECT id, org_id, action, reason, until_at, created_at, appeal_note, appealed_at,
			appeal_outcome FROM moderation_decisions WHERE subject_id = ? ORDER BY created_at`},
		{"uploads", "sssssiiit", `SELECT id, org_id, group_id, kind, content_type, size, width, height, created_at
			FROM uploads WHERE account_id = ? ORDER BY created_at`},
	}
}

// snapshotTx begins a read-only transaction that sees one snapshot: on
// SQLite a WAL read transaction on the read pool, on PostgreSQL
// REPEATABLE READ (READ COMMITTED would give each query its own).
func (db *DB) snapshotTx(ctx context.Context) (*sql.Tx, error) {
	opts := &sql.TxOptions{ReadOnly: true}
	if db.dialect.name == "postgres" {
		opts.Isolation = sql.LevelRepeatableRead
	}
	return db.read.BeginTx(ctx, opts)
}

// ExportAccount reads everything held about the account in one snapshot.
func (db *DB) ExportAccount(ctx context.Context, accountID string) (*kindred.AccountExport, error) {
	tx, err := db.snapshotTx(ctx)
	if err != nil {
		return nil, fmt.Errorf("export account: begin: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // read-only
	c := conn{e: tx, bind: db.bind}
	out := &kindred.AccountExport{AccountID: accountID, ExportedAt: now()}
	for _, q := range exportQueries() {
		recs, err := exportRecords(ctx, c, q, accountID)
		if err != nil {
			return nil, storeErr("export "+q.name, "account", err)
		}
		if q.name == "account" && len(recs) == 0 {
			return nil, notFound("account")
		}
		out.Sections = append(out.Sections, kindred.ExportSection{Name: q.name, Records: recs})
	}
	return out, nil
}

func exportRecords(ctx context.Context, c conn, q exportQuery, accountID string) ([]map[string]any, error) {
	args := make([]any, strings.Count(q.query, "?"))
	for i := range args {
		args[i] = accountID
	}
	rows, err := c.query(ctx, q.query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return nil, err
	}
	if len(cols) != len(q.kinds) {
		return nil, fmt.Errorf("export %s: %d columns but %d kinds", q.name, len(cols), len(q.kinds))
	}
	out := []map[string]any{}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, err
		}
		rec := make(map[string]any, len(cols))
		for i, name := range cols {
			v, err := exportValue(q.kinds[i], vals[i])
			if err != nil {
				return nil, fmt.Errorf("export %s.%s: %w", q.name, name, err)
			}
			rec[name] = v
		}
		out = append(out, rec)
	}
	return out, rows.Err()
}

// exportValue turns a scanned column into what the export shows.
func exportValue(kind byte, v any) (any, error) {
	if v == nil {
		return nil, nil
	}
	if b, ok := v.([]byte); ok {
		v = string(b)
	}
	switch kind {
	case 's':
		s, ok := v.(string)
		if !ok {
			return fmt.Sprint(v), nil
		}
		return s, nil
	case 't':
		n, err := asInt64(v)
		if err != nil {
			return nil, err
		}
		return time.UnixMilli(n).UTC(), nil
	case 'b':
		switch x := v.(type) {
		case bool:
			return x, nil
		default:
			n, err := asInt64(v)
			return n != 0, err
		}
	case 'i':
		return asInt64(v)
	case 'j':
		s, _ := v.(string)
		if !json.Valid([]byte(s)) {
			return s, nil
		}
		return json.RawMessage(s), nil
	}
	return nil, fmt.Errorf("unknown kind %q", kind)
}

// erasedTitle replaces the title of a thread whose author was erased while
// others' replies keep it: it says nothing the person wrote.
const erasedTitle = "(title removed)"

// erasedName is what others see in place of an erased person.
const erasedName = "Former member"

// EraseAccount erases the account in one transaction and then reclaims
// the space its data used (see kindred.PrivacyStore).
func (db *DB) EraseAccount(ctx context.Context, accountID string, at time.Time) (*kindred.Erasure, error) {
	at = norm(at)
	res := &kindred.Erasure{}
	var touched map[string]bool // tables the erasure changed
	var xid int64               // PostgreSQL: the erasure's transaction
	err := db.inTx(ctx, func(tx conn) error {
		if ok, err := tx.exists(ctx, `SELECT 1 FROM accounts WHERE id = ?`, accountID); err != nil {
			return err
		} else if !ok {
			return notFound("account")
		}
		touched = map[string]bool{"accounts": true}
		if db.dialect.name == "postgres" {
			if err := tx.queryRow(ctx, `SELECT txid_current()`).Scan(&xid); err != nil {
				return err
			}
		}
		partners, err := endSupportMatches(ctx, tx, accountID, at)
		if err != nil {
			return err
		}
		if res.Partners = partners; len(partners) > 0 {
			touched["support_matches"], touched["rooms"] = true, true
		}
		for _, st := range eraseCore(accountID, at) {
			r, err := tx.exec(ctx, st.query, st.args...)
			if err != nil {
				return fmt.Errorf("erase %s: %w", st.what, err)
			}
			if n, err := r.RowsAffected(); err != nil || n > 0 {
				touched[st.table] = true
				for _, t := range eraseCascades[st.table] {
					touched[t] = true
				}
			}
		}
		for _, step := range eraseSteps() {
			if err := step.run(ctx, tx, accountID); err != nil {
				return fmt.Errorf("erase %s: %w", step.name, err)
			}
			for _, t := range step.tables {
				touched[t] = true
			}
		}
		// Last, the account row itself: a tombstone with a random handle.
		handle := erasedHandle()
		_, err = tx.exec(ctx, `UPDATE accounts SET handle = ?, handle_norm = ?, display_name = ?, pronouns = '', bio = '',
			email = '', age_band = ?, password_hash = '', is_operator = FALSE, suspended_at = COALESCE(suspended_at, ?),
			erased_at = ? WHERE id = ?`, handle, strings.ToLower(handle), erasedName, string(kindred.AgeAdult), ms(at), ms(at), accountID)
		return err
	})
	if err != nil {
		return nil, storeErr("erase account", "account", err)
	}
	tables := slices.Sorted(maps.Keys(touched))
	var waited error
	if db.dialect.name == "postgres" {
		// A vacuum must keep row versions that any open snapshot may still
		// read; wait (a while) for snapshots older than the erasure to end,
		// or the old versions would be copied into the rewritten tables.
		waited = db.waitForSnapshotsBefore(ctx, xid, snapshotWait)
	}
	if err := errors.Join(waited, db.reclaim(ctx, tables, true)); err != nil {
		// The erasure committed; what may be left is old copies in free
		// space, which the caller reports.
		return res, fmt.Errorf("erase account: reclaim space: %w", err)
	}
	return res, nil
}

// erasedHandle returns a random handle for a tombstone: nobody can guess
// it from the person, and it never collides with a chosen one (those
// cannot be this long with this prefix by chance).
func erasedHandle() string {
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	return "former_" + hex.EncodeToString(b)
}

// eraseCascades lists the tables a delete reaches through ON DELETE
// CASCADE, which RowsAffected does not count.
var eraseCascades = map[string][]string{"threads": {"posts", "reactions"}}

type eraseStatement struct {
	what, table string
	query       string
	args        []any
}

// eraseCore lists the statements that erase what the core, live, support,
// training and safety tables hold of the person. Others' records that they
// need keep only the link to the tombstone.
func eraseCore(id string, at time.Time) []eraseStatement {
	t := ms(at)
	return []eraseStatement{
		{"sessions", "sessions", `DELETE FROM sessions WHERE account_id = ?`, []any{id}},
		{"tokens", "tokens", `DELETE FROM tokens WHERE account_id = ?`, []any{id}},
		{"blocks", "blocks", `DELETE FROM blocks WHERE account_id = ? OR blocked_id = ?`, []any{id, id}},
		{"memberships", "memberships", `DELETE FROM memberships WHERE account_id = ?`, []any{id}},
		{"group members", "group_members", `DELETE FROM group_members WHERE account_id = ?`, []any{id}},
		{"invite notes", "invites", `UPDATE invites SET note = '' WHERE created_by = ?`, []any{id}},
		// Threads nobody else replied to go whole (their posts and reactions
		// cascade); the rest keep others' replies under a neutral title.
		{"threads", "threads", `DELETE FROM threads WHERE author_id = ? AND NOT EXISTS
			(SELECT 1 FROM posts p WHERE p.thread_id = threads.id AND p.author_id <> ?)`, []any{id, id}},
		{"thread titles", "threads", `UPDATE threads SET title = ? WHERE author_id = ?`, []any{erasedTitle, id}},
		{"posts", "posts", `UPDATE posts SET body = '', body_html = '', content_warning = '',
			deleted_at = COALESCE(deleted_at, ?), deleted_by = COALESCE(deleted_by, ?) WHERE author_id = ?`, []any{t, id, id}},
		{"reactions", "reactions", `DELETE FROM reactions WHERE account_id = ?`, []any{id}},
		{"rsvps", "session_rsvps", `DELETE FROM session_rsvps WHERE account_id = ?`, []any{id}},
		{"chat messages", "chat_messages", `DELETE FROM chat_messages WHERE author_id = ?`, []any{id}},
		{"chat removal reasons", "chat_messages", `UPDATE chat_messages SET reason = '' WHERE removed_by = ?`, []any{id}},
		// Room memberships stay, marked as left, so others' rooms still
		// number people the same way.
		{"room members", "room_members", `UPDATE room_members SET removed_at = COALESCE(removed_at, ?) WHERE account_id = ?`, []any{t, id}},
		{"training progress", "module_progress", `DELETE FROM module_progress WHERE account_id = ?`, []any{id}},
		{"certifications", "certifications", `DELETE FROM certifications WHERE account_id = ?`, []any{id}},
		{"sign-off notes", "certifications", `UPDATE certifications SET note = '' WHERE decided_by = ?`, []any{id}},
		{"supporter profiles", "supporter_profiles", `DELETE FROM supporter_profiles WHERE account_id = ?`, []any{id}},
		{"shifts", "support_shifts", `DELETE FROM support_shifts WHERE account_id = ?`, []any{id}},
		{"offers", "support_offers", `DELETE FROM support_offers WHERE supporter_id = ?`, []any{id}},
		{"support requests", "support_requests", `UPDATE support_requests SET topics = '[]', details = '', language = '', identities = '[]',
			excluded = '[]', status = CASE status WHEN 'waiting' THEN 'cancelled' WHEN 'matched' THEN 'ended' ELSE status END,
			closed_at = COALESCE(closed_at, ?), updated_at = ? WHERE member_id = ?`, []any{t, t, id}},
		{"match reasons", "support_matches", `UPDATE support_matches SET reason = '', handoff_note = '' WHERE member_id = ? OR supporter_id = ?`, []any{id, id}},
		{"feedback", "support_feedback", `DELETE FROM support_feedback WHERE member_id = ?`, []any{id}},
		{"debriefs", "support_debriefs", `DELETE FROM support_debriefs WHERE supporter_id = ?`, []any{id}},
		{"escalation reasons", "support_escalations", `UPDATE support_escalations SET reason = '' WHERE raised_by = ?`, []any{id}},
		{"escalation resolutions", "support_escalations", `UPDATE support_escalations SET resolution = '' WHERE resolved_by = ?`, []any{id}},
		{"safety plan", "safety_plans", `DELETE FROM safety_plans WHERE account_id = ?`, []any{id}},
		{"shared safety plans", "safety_plans", `UPDATE safety_plans SET shared_with = NULL WHERE shared_with = ?`, []any{id}},
	}
}

// endSupportMatches ends the person's open support conversations (and
// their rooms) and returns the other people in them.
func endSupportMatches(ctx context.Context, tx conn, id string, at time.Time) ([]string, error) {
	rows, err := tx.query(ctx, `SELECT id, room_id, member_id, supporter_id FROM support_matches
		WHERE (member_id = ? OR supporter_id = ?) AND ended_at IS NULL`, id, id)
	if err != nil {
		return nil, err
	}
	type open struct{ id, room, member, supporter string }
	list, err := collect(rows, func(sc scanner) (open, error) {
		var o open
		return o, sc.Scan(&o.id, &o.room, &o.member, &o.supporter)
	})
	if err != nil {
		return nil, err
	}
	var partners []string
	for _, m := range list {
		end, partner := kindred.MatchEndedByMember, m.supporter
		if m.supporter == id {
			end, partner = kindred.MatchEndedBySupporter, m.member
		}
		partners = append(partners, partner)
		if _, err := tx.exec(ctx, `UPDATE support_matches SET ended_at = ?, ended_by = ?, end_kind = ? WHERE id = ?`,
			ms(at), id, string(end), m.id); err != nil {
			return nil, err
		}
		if m.room != "" {
			if _, err := tx.exec(ctx, `UPDATE rooms SET ended_at = ?, ended_by = ? WHERE id = ? AND ended_at IS NULL`,
				ms(at), id, m.room); err != nil {
				return nil, err
			}
		}
	}
	return partners, nil
}

// reclaim makes sure no old copy of erased data stays in the database's
// files. SQLite (with secure_delete on the writer) already zeroed what it
// freed; the WAL, which still holds the pages as they were, is
// checkpointed and truncated. PostgreSQL keeps dead row versions, and a
// plain VACUUM only marks their space free (the bytes stay in the page
// until reused), so full rewrites the tables into new files and drops the
// old ones (VACUUM FULL: each table is locked while it is rewritten,
// acceptable for the rare account erasure); without full, a plain VACUUM
// reclaims the space for reuse.
func (db *DB) reclaim(ctx context.Context, tables []string, full bool) error {
	if db.dialect.name == "sqlite" {
		return db.Checkpoint(ctx)
	}
	verb := "VACUUM "
	if full {
		verb = "VACUUM FULL "
	}
	var errs error
	for _, t := range tables {
		if !isIdentifier(t) {
			errs = errors.Join(errs, fmt.Errorf("vacuum: bad table name %q", t))
			continue
		}
		if _, err := db.write.ExecContext(ctx, verb+t); err != nil {
			errs = errors.Join(errs, fmt.Errorf("vacuum %s: %w", t, err))
		}
	}
	return errs
}

// snapshotWait bounds how long an erasure waits for older snapshots.
const snapshotWait = 30 * time.Second

// waitForSnapshotsBefore waits until no other session of this database
// holds a snapshot that could still see what transaction xid changed.
func (db *DB) waitForSnapshotsBefore(ctx context.Context, xid int64, limit time.Duration) error {
	deadline := time.Now().Add(limit)
	for {
		var older int
		// A session holds the horizon back with its snapshot (backend_xmin)
		// and, while a transaction that began before the erasure runs,
		// with its own xid (every newer snapshot's xmin is at most that).
		// Both are 32-bit xids; counting back from the next xid by their
		// age gives their 64-bit values, comparable with xid.
		err := db.write.QueryRowContext(ctx, `SELECT count(*) FROM pg_stat_activity, txid_snapshot_xmax(txid_current_snapshot()) AS next
			WHERE datname = current_database() AND pid <> pg_backend_pid()
			AND ((backend_xmin IS NOT NULL AND next - age(backend_xmin) <= $1)
			  OR (backend_xid IS NOT NULL AND next - age(backend_xid) < $1))`, xid).Scan(&older)
		if err != nil {
			return fmt.Errorf("wait for older snapshots: %w", err)
		}
		if older == 0 {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("wait for older snapshots: %d sessions still hold one after %s", older, limit)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(100 * time.Millisecond):
		}
	}
}

func isIdentifier(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			return false
		}
	}
	return true
}

// SoleAdminOrganizations lists the organisations in which the account is
// the only active admin.
func (db *DB) SoleAdminOrganizations(ctx context.Context, accountID string) ([]*kindred.Organization, error) {
	admin := int64(kindred.RoleAdmin)
	rows, err := db.reader().query(ctx, `SELECT o.id, o.slug, o.name FROM organizations o
		JOIN memberships m ON m.org_id = o.id AND m.account_id = ? AND m.status = ? AND (m.roles & ?) <> 0
		WHERE NOT EXISTS (SELECT 1 FROM memberships x WHERE x.org_id = o.id AND x.account_id <> ?
			AND x.status = ? AND (x.roles & ?) <> 0)
		ORDER BY o.name, o.id`, accountID, string(kindred.StatusActive), admin, accountID, string(kindred.StatusActive), admin)
	if err != nil {
		return nil, storeErr("list sole admin organisations", "organisation", err)
	}
	out, err := collect(rows, func(sc scanner) (*kindred.Organization, error) {
		o := new(kindred.Organization)
		return o, sc.Scan(&o.ID, &o.Slug, &o.Name)
	})
	return out, storeErr("list sole admin organisations", "organisation", err)
}

// Privacy settings.

// FindPrivacySettings returns the organisation's settings, or the defaults.
func (db *DB) FindPrivacySettings(ctx context.Context, orgID string) (*kindred.PrivacySettings, error) {
	p := &kindred.PrivacySettings{OrgID: orgID}
	err := db.reader().queryRow(ctx, `SELECT chat_retention_days, updated_at FROM privacy_settings WHERE org_id = ?`, orgID).
		Scan(&p.ChatRetentionDays, timeCol{&p.UpdatedAt})
	if errors.Is(err, sql.ErrNoRows) {
		return p, nil
	}
	if err != nil {
		return nil, storeErr("find privacy settings", "organisation", err)
	}
	return p, nil
}

// SavePrivacySettings creates or replaces the organisation's settings.
func (db *DB) SavePrivacySettings(ctx context.Context, p *kindred.PrivacySettings) error {
	fillCreated(&p.UpdatedAt)
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO privacy_settings (org_id, chat_retention_days, updated_at) VALUES (?, ?, ?)
			ON CONFLICT (org_id) DO UPDATE SET chat_retention_days = excluded.chat_retention_days, updated_at = excluded.updated_at`,
			p.OrgID, p.ChatRetentionDays, ms(p.UpdatedAt))
		return err
	})
	return storeErr("save privacy settings", "organisation", err)
}

// ListChatRetention returns the organisations that keep chat for a
// limited time.
func (db *DB) ListChatRetention(ctx context.Context) ([]*kindred.PrivacySettings, error) {
	rows, err := db.reader().query(ctx, `SELECT org_id, chat_retention_days, updated_at FROM privacy_settings
		WHERE chat_retention_days > 0 ORDER BY org_id`)
	if err != nil {
		return nil, storeErr("list chat retention", "organisation", err)
	}
	out, err := collect(rows, func(sc scanner) (*kindred.PrivacySettings, error) {
		p := new(kindred.PrivacySettings)
		return p, sc.Scan(&p.OrgID, &p.ChatRetentionDays, timeCol{&p.UpdatedAt})
	})
	return out, storeErr("list chat retention", "organisation", err)
}

// DeleteChatBefore deletes the organisation's chat messages older than
// before, for good: secure_delete zeroes them on SQLite, and on
// PostgreSQL the table is vacuumed when anything went.
func (db *DB) DeleteChatBefore(ctx context.Context, orgID string, before time.Time) (int, error) {
	var n int64
	err := db.inTx(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `DELETE FROM chat_messages WHERE created_at < ?
			AND room_id IN (SELECT id FROM rooms WHERE org_id = ?)`, ms(before), orgID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, storeErr("delete old chat", "organisation", err)
	}
	if n > 0 && db.dialect.name == "postgres" {
		if err := db.reclaim(ctx, []string{"chat_messages"}, false); err != nil {
			return int(n), fmt.Errorf("delete old chat: %w", err)
		}
	}
	return int(n), nil
}
