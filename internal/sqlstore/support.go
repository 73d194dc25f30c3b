package sqlstore

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"kindred"
)

// 1:1 support: settings, supporter profiles, shifts, requests, offers,
// matches, feedback, debriefs and escalations.
//
// First accept wins. Every method that changes a request's offers or
// status (accepting, answering or creating offers, ending a match, closing
// the request) locks the request's row first, so on PostgreSQL they queue
// on it and each sees the one before it committed; on SQLite the single
// writer runs them one at a time anyway. Taking the request's row before
// any offer or match row, everywhere, is also what keeps two of them from
// deadlocking. The guards are conditional UPDATEs checked by RowsAffected
// as well, and partial unique indexes (one open request per member, one
// open offer per request and supporter, one active match per request) hold
// even if a future method forgets the lock.
//
// Lists (topics, languages, the taxonomy…) are JSON text, read and
// written whole and matched in Go; the shapes are the store's own so that
// renaming a Go field cannot orphan stored data.

type experienceJSON struct {
	Key   string `json:"key"`
	Label string `json:"label"`
}

type slotJSON struct {
	Day  int `json:"day"`
	From int `json:"from"`
	To   int `json:"to"`
}

func encodeJSON(v any) (string, error) {
	b, err := json.Marshal(v)
	return string(b), err
}

// stringList encodes a list of strings (or string kinds) as a JSON array,
// never null.
func stringList[T ~string](xs []T) string {
	out := make([]string, 0, len(xs))
	for _, x := range xs {
		out = append(out, string(x))
	}
	b, _ := json.Marshal(out) // a []string always marshals
	return string(b)
}

// stringListCol scans a JSON array of strings.
func stringListCol[T ~string](p *[]T) jsonCol {
	return jsonCol{func(b []byte) error {
		var in []string
		if err := json.Unmarshal(b, &in); err != nil {
			return fmt.Errorf("decode list: %w", err)
		}
		out := make([]T, 0, len(in))
		for _, s := range in {
			out = append(out, T(s))
		}
		*p = out
		return nil
	}}
}

func encodeTaxonomy(es []kindred.Experience) string {
	out := make([]experienceJSON, 0, len(es))
	for _, e := range es {
		out = append(out, experienceJSON(e))
	}
	s, _ := encodeJSON(out)
	return s
}

func taxonomyCol(p *[]kindred.Experience) jsonCol {
	return jsonCol{func(b []byte) error {
		var in []experienceJSON
		if err := json.Unmarshal(b, &in); err != nil {
			return fmt.Errorf("decode taxonomy: %w", err)
		}
		out := make([]kindred.Experience, 0, len(in))
		for _, e := range in {
			out = append(out, kindred.Experience(e))
		}
		*p = out
		return nil
	}}
}

func encodeSlots(ss []kindred.WeeklySlot) string {
	out := make([]slotJSON, 0, len(ss))
	for _, s := range ss {
		out = append(out, slotJSON{Day: int(s.Day), From: s.From, To: s.To})
	}
	s, _ := encodeJSON(out)
	return s
}

func slotsCol(p *[]kindred.WeeklySlot) jsonCol {
	return jsonCol{func(b []byte) error {
		var in []slotJSON
		if err := json.Unmarshal(b, &in); err != nil {
			return fmt.Errorf("decode availability: %w", err)
		}
		out := make([]kindred.WeeklySlot, 0, len(in))
		for _, s := range in {
			out = append(out, kindred.WeeklySlot{Day: time.Weekday(s.Day), From: s.From, To: s.To})
		}
		*p = out
		return nil
	}}
}

// readTx runs fn in one read-only transaction, so a read made of several
// queries sees one state of the database.
func (db *DB) readTx(ctx context.Context, fn func(tx conn) error) error {
	tx, err := db.read.BeginTx(ctx, &sql.TxOptions{ReadOnly: true})
	if err != nil {
		return fmt.Errorf("begin read: %w", err)
	}
	defer tx.Rollback() //nolint:errcheck // a read-only transaction has nothing to keep
	return fn(conn{e: tx, bind: db.bind})
}

// lockRequest locks a request's row for the rest of the transaction and
// returns its status.
func (db *DB) lockRequest(ctx context.Context, tx conn, id string) (kindred.RequestStatus, error) {
	var st kindred.RequestStatus
	err := tx.queryRow(ctx, `SELECT status FROM support_requests WHERE id = ?`+db.dialect.lockForUpdate(), id).Scan(&st)
	if errors.Is(err, sql.ErrNoRows) {
		return "", notFound("request")
	}
	return st, err
}

func rowsAffected(res sql.Result) (int64, error) {
	return res.RowsAffected()
}

// Settings.

// FindSupportSettings returns the organisation's saved settings.
func (db *DB) FindSupportSettings(ctx context.Context, orgID string) (*kindred.SupportSettings, error) {
	s := new(kindred.SupportSettings)
	err := db.reader().queryRow(ctx, `SELECT org_id, max_capacity, max_shift_ms, weekly_hours, offer_timeout_ms,
		offers_at_once, taxonomy, updated_at FROM support_settings WHERE org_id = ?`, orgID).
		Scan(&s.OrgID, &s.MaxCapacity, durationCol{&s.MaxShift}, &s.WeeklyHours, durationCol{&s.OfferTimeout},
			&s.OffersAtOnce, taxonomyCol(&s.Taxonomy), timeCol{&s.UpdatedAt})
	if err != nil {
		return nil, storeErr("find support settings", "settings", err)
	}
	return s, nil
}

// SaveSupportSettings creates or replaces the organisation's settings. It
// fills UpdatedAt when zero.
func (db *DB) SaveSupportSettings(ctx context.Context, s *kindred.SupportSettings) error {
	fillCreated(&s.UpdatedAt)
	s.MaxShift, s.OfferTimeout = s.MaxShift.Truncate(time.Millisecond), s.OfferTimeout.Truncate(time.Millisecond)
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO support_settings (org_id, max_capacity, max_shift_ms, weekly_hours,
			offer_timeout_ms, offers_at_once, taxonomy, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (org_id) DO UPDATE SET max_capacity = excluded.max_capacity, max_shift_ms = excluded.max_shift_ms,
			weekly_hours = excluded.weekly_hours, offer_timeout_ms = excluded.offer_timeout_ms,
			offers_at_once = excluded.offers_at_once, taxonomy = excluded.taxonomy, updated_at = excluded.updated_at`,
			s.OrgID, s.MaxCapacity, s.MaxShift.Milliseconds(), s.WeeklyHours, s.OfferTimeout.Milliseconds(),
			s.OffersAtOnce, encodeTaxonomy(s.Taxonomy), ms(s.UpdatedAt))
		return err
	})
	return storeErr("save support settings", "settings", err)
}

// Profiles.

const supporterName = `COALESCE(NULLIF(ms.display_name, ''), NULLIF(a.display_name, ''), a.handle)`

const profileSelect = `SELECT p.org_id, p.account_id, p.intro, p.experiences, p.languages, p.identities,
	p.availability, p.time_zone, p.capacity, p.on_shift, p.shift_started_at, p.youth_programme, p.updated_at,
	` + supporterName + `, a.age_band
	FROM supporter_profiles p
	JOIN accounts a ON a.id = p.account_id
	LEFT JOIN memberships ms ON ms.org_id = p.org_id AND ms.account_id = p.account_id`

func profileDest(p *kindred.SupporterProfile) []any {
	return []any{&p.OrgID, &p.AccountID, &p.Intro, stringListCol(&p.Experiences), stringListCol(&p.Languages),
		stringListCol(&p.Identities), slotsCol(&p.Availability), &p.TimeZone, &p.Capacity, &p.OnShift,
		nullTimeCol{&p.ShiftStartedAt}, &p.YouthProgramme, timeCol{&p.UpdatedAt}, &p.Name, &p.AgeBand}
}

// SaveSupporterProfile creates or replaces a profile; it fills UpdatedAt
// when zero. Shift state is kept from the stored profile and read back into
// p, with Name and AgeBand.
func (db *DB) SaveSupporterProfile(ctx context.Context, p *kindred.SupporterProfile) error {
	fillCreated(&p.UpdatedAt)
	err := db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `INSERT INTO supporter_profiles (org_id, account_id, intro, experiences, languages,
			identities, availability, time_zone, capacity, youth_programme, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (org_id, account_id) DO UPDATE SET intro = excluded.intro, experiences = excluded.experiences,
			languages = excluded.languages, identities = excluded.identities, availability = excluded.availability,
			time_zone = excluded.time_zone, capacity = excluded.capacity, youth_programme = excluded.youth_programme,
			updated_at = excluded.updated_at`,
			p.OrgID, p.AccountID, p.Intro, stringList(p.Experiences), stringList(p.Languages), stringList(p.Identities),
			encodeSlots(p.Availability), p.TimeZone, p.Capacity, p.YouthProgramme, ms(p.UpdatedAt)); err != nil {
			return err
		}
		return tx.queryRow(ctx, profileSelect+` WHERE p.org_id = ? AND p.account_id = ?`, p.OrgID, p.AccountID).Scan(profileDest(p)...)
	})
	return storeErr("save supporter profile", "profile", err)
}

// FindSupporterProfile returns a supporter's profile in an organisation.
func (db *DB) FindSupporterProfile(ctx context.Context, orgID, accountID string) (*kindred.SupporterProfile, error) {
	p := new(kindred.SupporterProfile)
	err := db.reader().queryRow(ctx, profileSelect+` WHERE p.org_id = ? AND p.account_id = ?`, orgID, accountID).Scan(profileDest(p)...)
	if err != nil {
		return nil, storeErr("find supporter profile", "profile", err)
	}
	return p, nil
}

// ListSupporterProfiles returns profiles by name. Limit 0 means every one.
func (db *DB) ListSupporterProfiles(ctx context.Context, f kindred.SupporterProfileFilter) ([]*kindred.SupporterProfile, error) {
	var where []string
	var args []any
	if f.OrgID != "" {
		where = append(where, `p.org_id = ?`)
		args = append(args, f.OrgID)
	}
	if f.OnShift {
		where = append(where, `p.on_shift = ?`)
		args = append(args, true)
	}
	q := profileSelect + whereClause(where) + ` ORDER BY 14, p.account_id`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, storeErr("list supporter profiles", "profile", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.SupporterProfile, error) {
		p := new(kindred.SupporterProfile)
		return p, s.Scan(profileDest(p)...)
	})
	return out, storeErr("list supporter profiles", "profile", err)
}

// Shifts.

const shiftCols = `id, org_id, account_id, started_at, ended_at, ended_by`

func shiftDest(s *kindred.Shift) []any {
	return []any{&s.ID, &s.OrgID, &s.AccountID, timeCol{&s.StartedAt}, nullTimeCol{&s.EndedAt}, &s.EndedBy}
}

// StartShift puts the supporter on shift and stores sh, filling ID and
// StartedAt.
func (db *DB) StartShift(ctx context.Context, sh *kindred.Shift) error {
	fillID(&sh.ID)
	fillCreated(&sh.StartedAt)
	sh.EndedAt, sh.EndedBy = nil, ""
	err := db.inTx(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `UPDATE supporter_profiles SET on_shift = ?, shift_started_at = ?
			WHERE org_id = ? AND account_id = ? AND on_shift = ?`, true, ms(sh.StartedAt), sh.OrgID, sh.AccountID, false)
		if err != nil {
			return err
		}
		if n, err := rowsAffected(res); err != nil {
			return err
		} else if n == 0 {
			ok, err := tx.exists(ctx, `SELECT 1 FROM supporter_profiles WHERE org_id = ? AND account_id = ?`, sh.OrgID, sh.AccountID)
			if err != nil {
				return err
			}
			if !ok {
				return notFound("profile")
			}
			return kindred.Errorf(kindred.ECONFLICT, "You're already on shift.")
		}
		_, err = tx.exec(ctx, `INSERT INTO support_shifts (id, org_id, account_id, started_at, ended_by) VALUES (?, ?, ?, ?, '')`,
			sh.ID, sh.OrgID, sh.AccountID, ms(sh.StartedAt))
		if isUniqueViolation(err) {
			return kindred.Errorf(kindred.ECONFLICT, "You're already on shift.")
		}
		return err
	})
	return storeErr("start shift", "shift", err)
}

// EndShift ends the supporter's open shift at at and withdraws their open
// offers in the organisation.
func (db *DB) EndShift(ctx context.Context, orgID, accountID string, at time.Time, by kindred.ShiftEnd) (*kindred.Shift, []*kindred.SupportOffer, error) {
	at = norm(at)
	sh := new(kindred.Shift)
	var withdrawn []*kindred.SupportOffer
	err := db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "shift", `UPDATE supporter_profiles SET on_shift = ?, shift_started_at = NULL
			WHERE org_id = ? AND account_id = ? AND on_shift = ?`, false, orgID, accountID, true); err != nil {
			return err
		}
		err := tx.queryRow(ctx, `SELECT `+shiftCols+` FROM support_shifts WHERE org_id = ? AND account_id = ? AND ended_at IS NULL`,
			orgID, accountID).Scan(shiftDest(sh)...)
		if err != nil {
			return err
		}
		end := at
		if end.Before(sh.StartedAt) {
			end = sh.StartedAt // a clock that went backwards never makes a negative shift
		}
		if _, err := tx.exec(ctx, `UPDATE support_shifts SET ended_at = ?, ended_by = ? WHERE id = ?`, ms(end), string(by), sh.ID); err != nil {
			return err
		}
		sh.EndedAt, sh.EndedBy = &end, by
		rows, err := tx.query(ctx, `UPDATE support_offers SET status = ?, answered_at = ?
			WHERE org_id = ? AND supporter_id = ? AND status = ? RETURNING `+offerCols,
			string(kindred.OfferWithdrawn), ms(at), orgID, accountID, string(kindred.OfferOpen))
		if err != nil {
			return err
		}
		withdrawn, err = collect(rows, scanOffer)
		return err
	})
	if err != nil {
		return nil, nil, storeErr("end shift", "shift", err)
	}
	return sh, withdrawn, nil
}

// ListShifts returns shifts newest first. Limit 0 means the default page.
func (db *DB) ListShifts(ctx context.Context, f kindred.ShiftFilter) ([]*kindred.Shift, error) {
	var where []string
	var args []any
	for _, w := range []struct{ col, v string }{{"org_id", f.OrgID}, {"account_id", f.AccountID}} {
		if w.v != "" {
			where = append(where, w.col+` = ?`)
			args = append(args, w.v)
		}
	}
	if !f.Since.IsZero() {
		where = append(where, `(started_at >= ? OR ended_at IS NULL OR ended_at > ?)`)
		args = append(args, ms(f.Since), ms(f.Since))
	}
	limit, _ := page(f.Limit, 0, defaultPageSize, maxPageSize)
	rows, err := db.reader().query(ctx, `SELECT `+shiftCols+` FROM support_shifts`+whereClause(where)+
		` ORDER BY started_at DESC, id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, storeErr("list shifts", "shift", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Shift, error) {
		x := new(kindred.Shift)
		return x, s.Scan(shiftDest(x)...)
	})
	return out, storeErr("list shifts", "shift", err)
}

// shiftSum is the SQL that sums each supporter's closed shifts since a time
// (the part after it): arguments since, since, since, then the filters.
const shiftSum = `SELECT account_id, CAST(SUM(ended_at - CASE WHEN started_at < ? THEN ? ELSE started_at END) AS BIGINT)
	FROM support_shifts WHERE ended_at > ? AND org_id = ?`

// ShiftTime sums the supporter's shift time from since to now.
func (db *DB) ShiftTime(ctx context.Context, orgID, accountID string, since, now time.Time) (time.Duration, error) {
	var total time.Duration
	err := db.readTx(ctx, func(tx conn) error {
		sums, err := shiftSums(ctx, tx, shiftSum+` AND account_id = ? GROUP BY account_id`, since, orgID, accountID)
		if err != nil {
			return err
		}
		total = sums[accountID]
		var started *time.Time
		err = tx.queryRow(ctx, `SELECT shift_started_at FROM support_shifts s
			JOIN supporter_profiles p ON p.org_id = s.org_id AND p.account_id = s.account_id
			WHERE s.org_id = ? AND s.account_id = ? AND s.ended_at IS NULL`, orgID, accountID).Scan(nullTimeCol{&started})
		if errors.Is(err, sql.ErrNoRows) {
			return nil
		}
		if err != nil {
			return err
		}
		total += openShift(started, since, now)
		return nil
	})
	return total, storeErr("shift time", "shift", err)
}

func shiftSums(ctx context.Context, tx conn, q string, since time.Time, args ...any) (map[string]time.Duration, error) {
	rows, err := tx.query(ctx, q, append([]any{ms(since), ms(since), ms(since)}, args...)...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	out := map[string]time.Duration{}
	for rows.Next() {
		var id string
		var sum int64
		if err := rows.Scan(&id, &sum); err != nil {
			return nil, err
		}
		out[id] = time.Duration(sum) * time.Millisecond
	}
	return out, rows.Err()
}

// openShift is the part of an open shift started at started that lies
// between since and now.
func openShift(started *time.Time, since, now time.Time) time.Duration {
	if started == nil {
		return 0
	}
	from := *started
	if from.Before(since) {
		from = since
	}
	if now.Before(from) {
		return 0
	}
	return now.Sub(from)
}

// Requests.

const requestSelect = `SELECT r.id, r.org_id, r.member_id, r.topics, r.details, r.language, r.identities,
	r.not_my_school, r.urgency, r.crisis, r.status, r.match_id, r.excluded, r.created_at, r.queued_at,
	r.waiting_since, r.closed_at, r.updated_at,
	` + supporterName + `, a.age_band
	FROM support_requests r
	JOIN accounts a ON a.id = r.member_id
	LEFT JOIN memberships ms ON ms.org_id = r.org_id AND ms.account_id = r.member_id`

func requestDest(r *kindred.SupportRequest) []any {
	return []any{&r.ID, &r.OrgID, &r.MemberID, stringListCol(&r.Topics), &r.Details, &r.Language,
		stringListCol(&r.Identities), &r.NotMySchool, &r.Urgency, &r.Crisis, &r.Status, &r.MatchID,
		stringListCol(&r.Excluded), timeCol{&r.CreatedAt}, timeCol{&r.QueuedAt}, timeCol{&r.WaitingSince},
		nullTimeCol{&r.ClosedAt}, timeCol{&r.UpdatedAt}, &r.MemberName, &r.MemberAgeBand}
}

func scanRequest(s scanner) (*kindred.SupportRequest, error) {
	r := new(kindred.SupportRequest)
	return r, s.Scan(requestDest(r)...)
}

// urgencyRank orders the queue: sooner first.
func urgencyRank(u kindred.Urgency) int {
	switch u {
	case kindred.UrgencyNow:
		return 0
	case kindred.UrgencyToday:
		return 1
	}
	return 2
}

// CreateSupportRequest stores a request. It fills ID and the times (QueuedAt
// and WaitingSince default to CreatedAt); an empty Status is waiting.
// ECONFLICT when the member already has an open request in the organisation.
func (db *DB) CreateSupportRequest(ctx context.Context, r *kindred.SupportRequest) error {
	fillID(&r.ID)
	fillCreated(&r.CreatedAt)
	if r.QueuedAt.IsZero() {
		r.QueuedAt = r.CreatedAt
	}
	if r.WaitingSince.IsZero() {
		r.WaitingSince = r.QueuedAt
	}
	if r.UpdatedAt.IsZero() {
		r.UpdatedAt = r.CreatedAt
	}
	r.QueuedAt, r.WaitingSince, r.UpdatedAt, r.ClosedAt = norm(r.QueuedAt), norm(r.WaitingSince), norm(r.UpdatedAt), normPtr(r.ClosedAt)
	if r.Status == "" {
		r.Status = kindred.RequestWaiting
	}
	if r.Urgency == "" {
		r.Urgency = kindred.UrgencyWhenever
	}
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO support_requests (id, org_id, member_id, topics, details, language,
			identities, not_my_school, urgency, urgency_rank, crisis, status, match_id, excluded, created_at, queued_at,
			waiting_since, closed_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			r.ID, r.OrgID, r.MemberID, stringList(r.Topics), r.Details, r.Language, stringList(r.Identities),
			r.NotMySchool, string(r.Urgency), urgencyRank(r.Urgency), r.Crisis, string(r.Status), r.MatchID,
			stringList(r.Excluded), ms(r.CreatedAt), ms(r.QueuedAt), ms(r.WaitingSince), msPtr(r.ClosedAt), ms(r.UpdatedAt))
		if isUniqueViolation(err) {
			return kindred.Errorf(kindred.ECONFLICT, "You already have a request open here.")
		}
		if err != nil {
			return err
		}
		return tx.queryRow(ctx, requestSelect+` WHERE r.id = ?`, r.ID).Scan(requestDest(r)...)
	})
	return storeErr("create support request", "request", err)
}

// FindSupportRequest returns the request with the id.
func (db *DB) FindSupportRequest(ctx context.Context, id string) (*kindred.SupportRequest, error) {
	r, err := scanRequest(db.reader().queryRow(ctx, requestSelect+` WHERE r.id = ?`, id))
	if err != nil {
		return nil, storeErr("find support request", "request", err)
	}
	return r, nil
}

// ListSupportRequests returns requests, open ones first, then newest.
func (db *DB) ListSupportRequests(ctx context.Context, f kindred.SupportRequestFilter) ([]*kindred.SupportRequest, error) {
	var where []string
	var args []any
	for _, w := range []struct{ col, v string }{{"r.org_id", f.OrgID}, {"r.member_id", f.MemberID}} {
		if w.v != "" {
			where = append(where, w.col+` = ?`)
			args = append(args, w.v)
		}
	}
	if len(f.Statuses) > 0 {
		where = append(where, `r.status IN (`+placeholders(len(f.Statuses))+`)`)
		for _, s := range f.Statuses {
			args = append(args, string(s))
		}
	}
	limit, _ := page(f.Limit, 0, defaultPageSize, maxPageSize)
	rows, err := db.reader().query(ctx, requestSelect+whereClause(where)+
		` ORDER BY CASE WHEN r.closed_at IS NULL THEN 0 ELSE 1 END, r.created_at DESC, r.id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, storeErr("list support requests", "request", err)
	}
	out, err := collect(rows, scanRequest)
	return out, storeErr("list support requests", "request", err)
}

// SupportQueue returns the organisation's waiting requests in queue order.
func (db *DB) SupportQueue(ctx context.Context, orgID string) ([]*kindred.SupportRequest, error) {
	rows, err := db.reader().query(ctx, requestSelect+` WHERE r.org_id = ? AND r.status = ?
		ORDER BY r.crisis DESC, r.urgency_rank, r.queued_at, r.id`, orgID, string(kindred.RequestWaiting))
	if err != nil {
		return nil, storeErr("support queue", "request", err)
	}
	out, err := collect(rows, scanRequest)
	return out, storeErr("support queue", "request", err)
}

// UpdateSupportRequest changes the fields given, under the request's lock.
func (db *DB) UpdateSupportRequest(ctx context.Context, id string, u kindred.SupportRequestUpdate) (*kindred.SupportRequest, error) {
	fillCreated(&u.UpdatedAt)
	out := new(kindred.SupportRequest)
	err := db.inTx(ctx, func(tx conn) error {
		st, err := db.lockRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if len(u.From) > 0 && !slices.Contains(u.From, st) {
			return kindred.Errorf(kindred.ECONFLICT, "This request has changed. Please look at it again.")
		}
		var set setList
		set.add("updated_at", ms(u.UpdatedAt))
		if u.Status != nil {
			set.add("status", string(*u.Status))
		}
		if u.ClosedAt != nil {
			set.add("closed_at", msPtrNorm(*u.ClosedAt))
		}
		if u.Exclude != "" {
			if err := addExcluded(ctx, tx, id, u.Exclude, &set); err != nil {
				return err
			}
		}
		if _, err := tx.exec(ctx, `UPDATE support_requests SET `+set.clause()+` WHERE id = ?`, append(set.args, id)...); err != nil {
			return err
		}
		return tx.queryRow(ctx, requestSelect+` WHERE r.id = ?`, id).Scan(requestDest(out)...)
	})
	if err != nil {
		return nil, storeErr("update support request", "request", err)
	}
	return out, nil
}

// addExcluded adds the SET of the request's excluded list with who added.
// The caller holds the request's lock.
func addExcluded(ctx context.Context, tx conn, requestID, who string, set *setList) error {
	var ex []string
	if err := tx.queryRow(ctx, `SELECT excluded FROM support_requests WHERE id = ?`, requestID).Scan(stringListCol(&ex)); err != nil {
		return err
	}
	if !slices.Contains(ex, who) {
		ex = append(ex, who)
	}
	set.add("excluded", stringList(ex))
	return nil
}

// CloseSupportRequest cancels or ends an open request with its offers and
// active match.
func (db *DB) CloseSupportRequest(ctx context.Context, id string, status kindred.RequestStatus, end kindred.SupportMatchEnd) (*kindred.SupportRequest, error) {
	end.At = norm(end.At)
	out := new(kindred.SupportRequest)
	err := db.inTx(ctx, func(tx conn) error {
		st, err := db.lockRequest(ctx, tx, id)
		if err != nil {
			return err
		}
		if st != kindred.RequestWaiting && st != kindred.RequestMatched {
			return kindred.Errorf(kindred.ECONFLICT, "This request has already closed.")
		}
		if _, err := tx.exec(ctx, `UPDATE support_requests SET status = ?, closed_at = ?, updated_at = ? WHERE id = ?`,
			string(status), ms(end.At), ms(end.At), id); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE support_offers SET status = ?, answered_at = ? WHERE request_id = ? AND status = ?`,
			string(kindred.OfferWithdrawn), ms(end.At), id, string(kindred.OfferOpen)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `UPDATE support_matches SET ended_at = ?, ended_by = ?, end_kind = ?
			WHERE request_id = ? AND ended_at IS NULL`, ms(end.At), end.By, string(end.End), id); err != nil {
			return err
		}
		return tx.queryRow(ctx, requestSelect+` WHERE r.id = ?`, id).Scan(requestDest(out)...)
	})
	if err != nil {
		return nil, storeErr("close support request", "request", err)
	}
	return out, nil
}

// SupportWaits returns the waits of the organisation's matches since.
func (db *DB) SupportWaits(ctx context.Context, orgID string, since time.Time) ([]time.Duration, error) {
	rows, err := db.reader().query(ctx, `SELECT waited_ms FROM support_matches WHERE org_id = ? AND started_at >= ?
		ORDER BY waited_ms`, orgID, ms(since))
	if err != nil {
		return nil, storeErr("support waits", "match", err)
	}
	out, err := collect(rows, func(s scanner) (time.Duration, error) {
		var d time.Duration
		return d, s.Scan(durationCol{&d})
	})
	return out, storeErr("support waits", "match", err)
}

// Offers.

const offerCols = `id, org_id, request_id, supporter_id, rank, score, reason, status, created_at, expires_at, answered_at`

func offerDest(o *kindred.SupportOffer) []any {
	return []any{&o.ID, &o.OrgID, &o.RequestID, &o.SupporterID, &o.Rank, &o.Score, &o.Reason, &o.Status,
		timeCol{&o.CreatedAt}, timeCol{&o.ExpiresAt}, nullTimeCol{&o.AnsweredAt}}
}

func scanOffer(s scanner) (*kindred.SupportOffer, error) {
	o := new(kindred.SupportOffer)
	return o, s.Scan(offerDest(o)...)
}

// CreateSupportOffers stores offers of a waiting request, in the given
// order, up to maxOpen open offers; it fills each stored offer's ID,
// RequestID, Status (open) and CreatedAt.
func (db *DB) CreateSupportOffers(ctx context.Context, requestID string, offers []*kindred.SupportOffer, maxOpen int) ([]*kindred.SupportOffer, error) {
	var stored []*kindred.SupportOffer
	err := db.inTx(ctx, func(tx conn) error {
		stored = stored[:0]
		st, err := db.lockRequest(ctx, tx, requestID)
		if err != nil {
			return err
		}
		if st != kindred.RequestWaiting {
			return kindred.Errorf(kindred.ECONFLICT, "This request is no longer waiting.")
		}
		rows, err := tx.query(ctx, `SELECT supporter_id FROM support_offers WHERE request_id = ? AND status = ?`,
			requestID, string(kindred.OfferOpen))
		if err != nil {
			return err
		}
		open, err := collect(rows, func(s scanner) (string, error) {
			var id string
			return id, s.Scan(&id)
		})
		if err != nil {
			return err
		}
		for _, o := range offers {
			if len(open) >= maxOpen {
				break
			}
			if slices.Contains(open, o.SupporterID) {
				continue
			}
			fillID(&o.ID)
			fillCreated(&o.CreatedAt)
			o.ExpiresAt, o.AnsweredAt = norm(o.ExpiresAt), nil
			o.RequestID, o.Status = requestID, kindred.OfferOpen
			if _, err := tx.exec(ctx, `INSERT INTO support_offers (`+offerCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, NULL)`,
				o.ID, o.OrgID, o.RequestID, o.SupporterID, o.Rank, o.Score, o.Reason, string(o.Status),
				ms(o.CreatedAt), ms(o.ExpiresAt)); err != nil {
				return err
			}
			open = append(open, o.SupporterID)
			stored = append(stored, o)
		}
		return nil
	})
	if err != nil {
		return nil, storeErr("create support offers", "offer", err)
	}
	return stored, nil
}

// FindSupportOffer returns the offer with the id.
func (db *DB) FindSupportOffer(ctx context.Context, id string) (*kindred.SupportOffer, error) {
	o, err := scanOffer(db.reader().queryRow(ctx, `SELECT `+offerCols+` FROM support_offers WHERE id = ?`, id))
	if err != nil {
		return nil, storeErr("find support offer", "offer", err)
	}
	return o, nil
}

// ListSupportOffers returns offers, best rank first, then newest.
func (db *DB) ListSupportOffers(ctx context.Context, f kindred.SupportOfferFilter) ([]*kindred.SupportOffer, error) {
	var where []string
	var args []any
	for _, w := range []struct{ col, v string }{{"org_id", f.OrgID}, {"request_id", f.RequestID},
		{"supporter_id", f.SupporterID}, {"status", string(f.Status)}} {
		if w.v != "" {
			where = append(where, w.col+` = ?`)
			args = append(args, w.v)
		}
	}
	limit, _ := page(f.Limit, 0, defaultPageSize, maxPageSize)
	rows, err := db.reader().query(ctx, `SELECT `+offerCols+` FROM support_offers`+whereClause(where)+
		` ORDER BY rank, created_at DESC, id LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, storeErr("list support offers", "offer", err)
	}
	out, err := collect(rows, scanOffer)
	return out, storeErr("list support offers", "offer", err)
}

// AnswerSupportOffer declines or withdraws an open offer at at.
func (db *DB) AnswerSupportOffer(ctx context.Context, id string, to kindred.OfferStatus, at time.Time) (*kindred.SupportOffer, error) {
	at = norm(at)
	var out *kindred.SupportOffer
	err := db.inTx(ctx, func(tx conn) error {
		var requestID, supporterID string
		if err := tx.queryRow(ctx, `SELECT request_id, supporter_id FROM support_offers WHERE id = ?`, id).Scan(&requestID, &supporterID); err != nil {
			return err
		}
		if _, err := db.lockRequest(ctx, tx, requestID); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE support_offers SET status = ?, answered_at = ? WHERE id = ? AND status = ?`,
			string(to), ms(at), id, string(kindred.OfferOpen))
		if err != nil {
			return err
		}
		if n, err := rowsAffected(res); err != nil {
			return err
		} else if n == 0 {
			return kindred.Errorf(kindred.ECONFLICT, "This offer has already been answered, or it has moved on.")
		}
		if to == kindred.OfferDeclined {
			var set setList
			set.add("updated_at", ms(at))
			if err := addExcluded(ctx, tx, requestID, supporterID, &set); err != nil {
				return err
			}
			if _, err := tx.exec(ctx, `UPDATE support_requests SET `+set.clause()+` WHERE id = ?`, append(set.args, requestID)...); err != nil {
				return err
			}
		}
		out, err = scanOffer(tx.queryRow(ctx, `SELECT `+offerCols+` FROM support_offers WHERE id = ?`, id))
		return err
	})
	if err != nil {
		return nil, storeErr("answer support offer", "offer", err)
	}
	return out, nil
}

// ExpireSupportOffers marks the open offers due at now expired.
func (db *DB) ExpireSupportOffers(ctx context.Context, now time.Time) ([]*kindred.SupportOffer, error) {
	now = norm(now)
	var out []*kindred.SupportOffer
	err := db.inTx(ctx, func(tx conn) error {
		rows, err := tx.query(ctx, `UPDATE support_offers SET status = ?, answered_at = ? WHERE status = ? AND expires_at <= ?
			RETURNING `+offerCols, string(kindred.OfferExpired), ms(now), string(kindred.OfferOpen), ms(now))
		if err != nil {
			return err
		}
		out, err = collect(rows, scanOffer)
		return err
	})
	if err != nil {
		return nil, storeErr("expire support offers", "offer", err)
	}
	return out, nil
}

// Kind words for the accepts that lose.
var (
	errTakenAlready = kindred.Errorf(kindred.ECONFLICT, "Another supporter has already picked this up. Thank you for being ready.")
	errOfferGone    = kindred.Errorf(kindred.ECONFLICT, "This offer has moved on: it timed out or was withdrawn. Thank you for being ready.")
)

func errAtCapacity(max int) error {
	return kindred.Errorf(kindred.ECONFLICT, "You already have %d conversation%s open, your limit right now. Please finish one before taking another.",
		max, map[bool]string{true: "", false: "s"}[max == 1])
}

// AcceptSupportOffer is the first-accept-wins step (see the top of the
// file for the locks).
func (db *DB) AcceptSupportOffer(ctx context.Context, offerID, supporterID string, maxLoad int, m *kindred.SupportMatch, now time.Time) error {
	now = norm(now)
	err := db.inTx(ctx, func(tx conn) error {
		var requestID, owner string
		err := tx.queryRow(ctx, `SELECT request_id, supporter_id FROM support_offers WHERE id = ?`, offerID).Scan(&requestID, &owner)
		if err != nil {
			return err
		}
		if owner != supporterID {
			return notFound("offer") // someone else's offer is none of theirs
		}
		st, err := db.lockRequest(ctx, tx, requestID)
		if err != nil {
			return err
		}
		// Read under the lock: on PostgreSQL a winner that committed while
		// we waited has already withdrawn this offer.
		o, err := scanOffer(tx.queryRow(ctx, `SELECT `+offerCols+` FROM support_offers WHERE id = ?`, offerID))
		if err != nil {
			return err
		}
		switch st {
		case kindred.RequestWaiting:
		case kindred.RequestMatched:
			return errTakenAlready
		default:
			return errOfferGone // the member withdrew it
		}
		if o.Status != kindred.OfferOpen || !now.Before(o.ExpiresAt) {
			return errOfferGone
		}
		// The supporter's row serializes their own accepts of different
		// requests, so two cannot both fit under the limit.
		if _, err := tx.exec(ctx, `SELECT 1 FROM supporter_profiles WHERE org_id = ? AND account_id = ?`+db.dialect.lockForUpdate(),
			o.OrgID, supporterID); err != nil {
			return err
		}
		var load int
		if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM support_matches WHERE org_id = ? AND supporter_id = ? AND ended_at IS NULL`,
			o.OrgID, supporterID).Scan(&load); err != nil {
			return err
		}
		if load >= maxLoad {
			return errAtCapacity(maxLoad)
		}
		res, err := tx.exec(ctx, `UPDATE support_offers SET status = ?, answered_at = ? WHERE id = ? AND status = ?`,
			string(kindred.OfferAccepted), ms(now), offerID, string(kindred.OfferOpen))
		if err != nil {
			return err
		}
		if n, err := rowsAffected(res); err != nil {
			return err
		} else if n == 0 {
			return errTakenAlready
		}
		if _, err := tx.exec(ctx, `UPDATE support_offers SET status = ?, answered_at = ? WHERE request_id = ? AND status = ?`,
			string(kindred.OfferWithdrawn), ms(now), requestID, string(kindred.OfferOpen)); err != nil {
			return err
		}
		var memberID string
		var waitingSince time.Time
		if err := tx.queryRow(ctx, `SELECT member_id, waiting_since FROM support_requests WHERE id = ?`, requestID).
			Scan(&memberID, timeCol{&waitingSince}); err != nil {
			return err
		}
		fillID(&m.ID)
		m.OrgID, m.RequestID, m.SupporterID, m.MemberID = o.OrgID, requestID, supporterID, memberID
		if m.Reason == "" {
			m.Reason = o.Reason
		}
		m.StartedAt, m.EndedAt, m.EndedBy, m.End = now, nil, "", ""
		m.Waited = max(now.Sub(waitingSince), 0)
		if _, err := tx.exec(ctx, `INSERT INTO support_matches (id, org_id, request_id, supporter_id, member_id, room_id,
			reason, waited_ms, started_at, handoff_note) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, '')`,
			m.ID, m.OrgID, m.RequestID, m.SupporterID, m.MemberID, m.RoomID, m.Reason, m.Waited.Milliseconds(), ms(now)); err != nil {
			if isUniqueViolation(err) {
				return errTakenAlready
			}
			return err
		}
		res, err = tx.exec(ctx, `UPDATE support_requests SET status = ?, match_id = ?, updated_at = ? WHERE id = ? AND status = ?`,
			string(kindred.RequestMatched), m.ID, ms(now), requestID, string(kindred.RequestWaiting))
		if err != nil {
			return err
		}
		if n, err := rowsAffected(res); err != nil {
			return err
		} else if n == 0 {
			return errTakenAlready
		}
		_, err = tx.exec(ctx, `UPDATE supporter_profiles SET last_matched_at = ? WHERE org_id = ? AND account_id = ?`,
			ms(now), o.OrgID, supporterID)
		if err != nil {
			return err
		}
		return tx.queryRow(ctx, matchSelect+` WHERE m.id = ?`, m.ID).Scan(matchDest(m)...)
	})
	return storeErr("accept support offer", "offer", err)
}

// Matches.

const matchSelect = `SELECT m.id, m.org_id, m.request_id, m.supporter_id, m.member_id, m.room_id, m.reason,
	m.waited_ms, m.started_at, m.ended_at, m.ended_by, m.end_kind, m.handoff_proposed_at, m.handoff_note,
	COALESCE(NULLIF(sm.display_name, ''), NULLIF(sa.display_name, ''), sa.handle),
	COALESCE(NULLIF(mm.display_name, ''), NULLIF(ma.display_name, ''), ma.handle)
	FROM support_matches m
	JOIN accounts sa ON sa.id = m.supporter_id
	LEFT JOIN memberships sm ON sm.org_id = m.org_id AND sm.account_id = m.supporter_id
	JOIN accounts ma ON ma.id = m.member_id
	LEFT JOIN memberships mm ON mm.org_id = m.org_id AND mm.account_id = m.member_id`

func matchDest(m *kindred.SupportMatch) []any {
	return []any{&m.ID, &m.OrgID, &m.RequestID, &m.SupporterID, &m.MemberID, &m.RoomID, &m.Reason,
		durationCol{&m.Waited}, timeCol{&m.StartedAt}, nullTimeCol{&m.EndedAt}, &m.EndedBy, &m.End,
		nullTimeCol{&m.HandoffProposedAt}, &m.HandoffNote, &m.SupporterName, &m.MemberName}
}

func scanMatch(s scanner) (*kindred.SupportMatch, error) {
	m := new(kindred.SupportMatch)
	return m, s.Scan(matchDest(m)...)
}

// FindSupportMatch returns the match with the id.
func (db *DB) FindSupportMatch(ctx context.Context, id string) (*kindred.SupportMatch, error) {
	m, err := scanMatch(db.reader().queryRow(ctx, matchSelect+` WHERE m.id = ?`, id))
	if err != nil {
		return nil, storeErr("find support match", "conversation", err)
	}
	return m, nil
}

// ListSupportMatches returns matches, newest first.
func (db *DB) ListSupportMatches(ctx context.Context, f kindred.SupportMatchFilter) ([]*kindred.SupportMatch, error) {
	var where []string
	var args []any
	for _, w := range []struct{ col, v string }{{"m.org_id", f.OrgID}, {"m.supporter_id", f.SupporterID},
		{"m.member_id", f.MemberID}, {"m.request_id", f.RequestID}, {"m.room_id", f.RoomID}} {
		if w.v != "" {
			where = append(where, w.col+` = ?`)
			args = append(args, w.v)
		}
	}
	if f.Active != nil {
		if *f.Active {
			where = append(where, `m.ended_at IS NULL`)
		} else {
			where = append(where, `m.ended_at IS NOT NULL`)
		}
	}
	if !f.Since.IsZero() {
		where = append(where, `m.started_at >= ?`)
		args = append(args, ms(f.Since))
	}
	if f.NeedsDebrief {
		where = append(where, `m.ended_at IS NOT NULL AND NOT EXISTS (SELECT 1 FROM support_debriefs d WHERE d.match_id = m.id)`)
	}
	if f.NoRoom {
		where = append(where, `m.ended_at IS NULL AND m.room_id = ''`)
	}
	limit, _ := page(f.Limit, 0, defaultPageSize, maxPageSize)
	rows, err := db.reader().query(ctx, matchSelect+whereClause(where)+` ORDER BY m.started_at DESC, m.id LIMIT ?`,
		append(args, limit)...)
	if err != nil {
		return nil, storeErr("list support matches", "conversation", err)
	}
	out, err := collect(rows, scanMatch)
	return out, storeErr("list support matches", "conversation", err)
}

// UpdateSupportMatch changes the fields given.
func (db *DB) UpdateSupportMatch(ctx context.Context, id string, u kindred.SupportMatchUpdate) (*kindred.SupportMatch, error) {
	var set setList
	if u.RoomID != nil {
		set.add("room_id", *u.RoomID)
	}
	if u.HandoffProposedAt != nil {
		set.add("handoff_proposed_at", msPtrNorm(*u.HandoffProposedAt))
	}
	if u.HandoffNote != nil {
		set.add("handoff_note", *u.HandoffNote)
	}
	if set.empty() {
		return db.FindSupportMatch(ctx, id)
	}
	var out *kindred.SupportMatch
	err := db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "conversation", `UPDATE support_matches SET `+set.clause()+` WHERE id = ?`, append(set.args, id)...); err != nil {
			return err
		}
		var err error
		out, err = scanMatch(tx.queryRow(ctx, matchSelect+` WHERE m.id = ?`, id))
		return err
	})
	if err != nil {
		return nil, storeErr("update support match", "conversation", err)
	}
	return out, nil
}

// EndSupportMatch ends an active match and ends or requeues its request.
func (db *DB) EndSupportMatch(ctx context.Context, id string, e kindred.SupportMatchEnd) (*kindred.SupportMatch, error) {
	e.At = norm(e.At)
	var out *kindred.SupportMatch
	err := db.inTx(ctx, func(tx conn) error {
		var requestID, supporterID string
		if err := tx.queryRow(ctx, `SELECT request_id, supporter_id FROM support_matches WHERE id = ?`, id).Scan(&requestID, &supporterID); err != nil {
			return err
		}
		if _, err := db.lockRequest(ctx, tx, requestID); err != nil {
			return err
		}
		res, err := tx.exec(ctx, `UPDATE support_matches SET ended_at = ?, ended_by = ?, end_kind = ?, handoff_proposed_at = NULL
			WHERE id = ? AND ended_at IS NULL`, ms(e.At), e.By, string(e.End), id)
		if err != nil {
			return err
		}
		if n, err := rowsAffected(res); err != nil {
			return err
		} else if n == 0 {
			return kindred.Errorf(kindred.ECONFLICT, "This conversation has already ended.")
		}
		var set setList
		set.add("updated_at", ms(e.At))
		if e.Requeue {
			set.add("status", string(kindred.RequestWaiting))
			set.add("waiting_since", ms(e.At))
			if err := addExcluded(ctx, tx, requestID, supporterID, &set); err != nil {
				return err
			}
		} else {
			set.add("status", string(kindred.RequestEnded))
			set.add("closed_at", ms(e.At))
		}
		// Only the request's current match moves it; an old match ending
		// late leaves a newer one alone.
		if _, err := tx.exec(ctx, `UPDATE support_requests SET `+set.clause()+` WHERE id = ? AND match_id = ? AND status = ?`,
			append(set.args, requestID, id, string(kindred.RequestMatched))...); err != nil {
			return err
		}
		out, err = scanMatch(tx.queryRow(ctx, matchSelect+` WHERE m.id = ?`, id))
		return err
	})
	if err != nil {
		return nil, storeErr("end support match", "conversation", err)
	}
	return out, nil
}

// Feedback and debriefs.

// CreateSupportFeedback stores the member's feedback on a match.
func (db *DB) CreateSupportFeedback(ctx context.Context, f *kindred.SupportFeedback) error {
	fillCreated(&f.CreatedAt)
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO support_feedback (match_id, org_id, member_id, supporter_id, helped, comment, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?)`, f.MatchID, f.OrgID, f.MemberID, f.SupporterID, string(f.Helped), f.Comment, ms(f.CreatedAt))
		if isUniqueViolation(err) {
			return kindred.Errorf(kindred.ECONFLICT, "You've already told us about this conversation. Thank you.")
		}
		return err
	})
	return storeErr("create support feedback", "feedback", err)
}

const feedbackSelect = `SELECT f.match_id, f.org_id, f.member_id, f.supporter_id, f.helped, f.comment, f.created_at,
	` + supporterName + `
	FROM support_feedback f
	JOIN accounts a ON a.id = f.supporter_id
	LEFT JOIN memberships ms ON ms.org_id = f.org_id AND ms.account_id = f.supporter_id`

func scanFeedback(s scanner) (*kindred.SupportFeedback, error) {
	f := new(kindred.SupportFeedback)
	return f, s.Scan(&f.MatchID, &f.OrgID, &f.MemberID, &f.SupporterID, &f.Helped, &f.Comment, timeCol{&f.CreatedAt}, &f.SupporterName)
}

// FindSupportFeedback returns the feedback on a match.
func (db *DB) FindSupportFeedback(ctx context.Context, matchID string) (*kindred.SupportFeedback, error) {
	f, err := scanFeedback(db.reader().queryRow(ctx, feedbackSelect+` WHERE f.match_id = ?`, matchID))
	if err != nil {
		return nil, storeErr("find support feedback", "feedback", err)
	}
	return f, nil
}

func noteWhere(alias string, f kindred.SupportNoteFilter) ([]string, []any) {
	var where []string
	var args []any
	if f.OrgID != "" {
		where = append(where, alias+`.org_id = ?`)
		args = append(args, f.OrgID)
	}
	if f.SupporterID != "" {
		where = append(where, alias+`.supporter_id = ?`)
		args = append(args, f.SupporterID)
	}
	if !f.Since.IsZero() {
		where = append(where, alias+`.created_at >= ?`)
		args = append(args, ms(f.Since))
	}
	return where, args
}

// ListSupportFeedback returns feedback, newest first.
func (db *DB) ListSupportFeedback(ctx context.Context, f kindred.SupportNoteFilter) ([]*kindred.SupportFeedback, error) {
	where, args := noteWhere("f", f)
	limit, _ := page(f.Limit, 0, defaultPageSize, maxPageSize)
	rows, err := db.reader().query(ctx, feedbackSelect+whereClause(where)+` ORDER BY f.created_at DESC, f.match_id LIMIT ?`,
		append(args, limit)...)
	if err != nil {
		return nil, storeErr("list support feedback", "feedback", err)
	}
	out, err := collect(rows, scanFeedback)
	return out, storeErr("list support feedback", "feedback", err)
}

// CreateSupportDebrief stores the supporter's debrief of a match.
func (db *DB) CreateSupportDebrief(ctx context.Context, d *kindred.SupportDebrief) error {
	fillCreated(&d.CreatedAt)
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO support_debriefs (match_id, org_id, supporter_id, body, check_in, created_at)
			VALUES (?, ?, ?, ?, ?, ?)`, d.MatchID, d.OrgID, d.SupporterID, d.Body, d.CheckIn, ms(d.CreatedAt))
		if isUniqueViolation(err) {
			return kindred.Errorf(kindred.ECONFLICT, "You've already written a debrief for this conversation.")
		}
		return err
	})
	return storeErr("create support debrief", "debrief", err)
}

const debriefSelect = `SELECT d.match_id, d.org_id, d.supporter_id, d.body, d.check_in, d.created_at, ` + supporterName + `
	FROM support_debriefs d
	JOIN accounts a ON a.id = d.supporter_id
	LEFT JOIN memberships ms ON ms.org_id = d.org_id AND ms.account_id = d.supporter_id`

func scanDebrief(s scanner) (*kindred.SupportDebrief, error) {
	d := new(kindred.SupportDebrief)
	return d, s.Scan(&d.MatchID, &d.OrgID, &d.SupporterID, &d.Body, &d.CheckIn, timeCol{&d.CreatedAt}, &d.SupporterName)
}

// FindSupportDebrief returns the debrief of a match.
func (db *DB) FindSupportDebrief(ctx context.Context, matchID string) (*kindred.SupportDebrief, error) {
	d, err := scanDebrief(db.reader().queryRow(ctx, debriefSelect+` WHERE d.match_id = ?`, matchID))
	if err != nil {
		return nil, storeErr("find support debrief", "debrief", err)
	}
	return d, nil
}

// ListSupportDebriefs returns debriefs, newest first.
func (db *DB) ListSupportDebriefs(ctx context.Context, f kindred.SupportNoteFilter) ([]*kindred.SupportDebrief, error) {
	where, args := noteWhere("d", f)
	limit, _ := page(f.Limit, 0, defaultPageSize, maxPageSize)
	rows, err := db.reader().query(ctx, debriefSelect+whereClause(where)+` ORDER BY d.created_at DESC, d.match_id LIMIT ?`,
		append(args, limit)...)
	if err != nil {
		return nil, storeErr("list support debriefs", "debrief", err)
	}
	out, err := collect(rows, scanDebrief)
	return out, storeErr("list support debriefs", "debrief", err)
}

// Escalations.

const escalationSelect = `SELECT e.id, e.org_id, e.match_id, e.request_id, e.raised_by, e.reason, e.urgent,
	e.created_at, e.resolved_at, e.resolved_by, e.resolution, ` + supporterName + `
	FROM support_escalations e
	JOIN accounts a ON a.id = e.raised_by
	LEFT JOIN memberships ms ON ms.org_id = e.org_id AND ms.account_id = e.raised_by`

func scanEscalation(s scanner) (*kindred.SupportEscalation, error) {
	e := new(kindred.SupportEscalation)
	return e, s.Scan(&e.ID, &e.OrgID, &e.MatchID, &e.RequestID, &e.RaisedBy, &e.Reason, &e.Urgent,
		timeCol{&e.CreatedAt}, nullTimeCol{&e.ResolvedAt}, &e.ResolvedBy, &e.Resolution, &e.RaisedByName)
}

// CreateSupportEscalation stores an escalation, filling ID and CreatedAt.
func (db *DB) CreateSupportEscalation(ctx context.Context, e *kindred.SupportEscalation) error {
	fillID(&e.ID)
	fillCreated(&e.CreatedAt)
	e.ResolvedAt, e.ResolvedBy, e.Resolution = nil, "", ""
	err := db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `INSERT INTO support_escalations (id, org_id, match_id, request_id, raised_by, reason,
			urgent, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
			e.ID, e.OrgID, e.MatchID, e.RequestID, e.RaisedBy, e.Reason, e.Urgent, ms(e.CreatedAt)); err != nil {
			return err
		}
		stored, err := scanEscalation(tx.queryRow(ctx, escalationSelect+` WHERE e.id = ?`, e.ID))
		if err == nil {
			*e = *stored
		}
		return err
	})
	return storeErr("create support escalation", "escalation", err)
}

// FindSupportEscalation returns the escalation with the id.
func (db *DB) FindSupportEscalation(ctx context.Context, id string) (*kindred.SupportEscalation, error) {
	e, err := scanEscalation(db.reader().queryRow(ctx, escalationSelect+` WHERE e.id = ?`, id))
	if err != nil {
		return nil, storeErr("find support escalation", "escalation", err)
	}
	return e, nil
}

// ListSupportEscalations returns escalations, open first, urgent first,
// then oldest.
func (db *DB) ListSupportEscalations(ctx context.Context, f kindred.SupportEscalationFilter) ([]*kindred.SupportEscalation, error) {
	var where []string
	var args []any
	if f.OrgID != "" {
		where = append(where, `e.org_id = ?`)
		args = append(args, f.OrgID)
	}
	if f.Open != nil {
		if *f.Open {
			where = append(where, `e.resolved_at IS NULL`)
		} else {
			where = append(where, `e.resolved_at IS NOT NULL`)
		}
	}
	limit, _ := page(f.Limit, 0, defaultPageSize, maxPageSize)
	rows, err := db.reader().query(ctx, escalationSelect+whereClause(where)+
		` ORDER BY CASE WHEN e.resolved_at IS NULL THEN 0 ELSE 1 END, CASE WHEN e.urgent THEN 0 ELSE 1 END, e.created_at, e.id LIMIT ?`,
		append(args, limit)...)
	if err != nil {
		return nil, storeErr("list support escalations", "escalation", err)
	}
	out, err := collect(rows, scanEscalation)
	return out, storeErr("list support escalations", "escalation", err)
}

// ResolveSupportEscalation closes an open escalation.
func (db *DB) ResolveSupportEscalation(ctx context.Context, id, by, note string, at time.Time) (*kindred.SupportEscalation, error) {
	at = norm(at)
	var out *kindred.SupportEscalation
	err := db.inTx(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `UPDATE support_escalations SET resolved_at = ?, resolved_by = ?, resolution = ?
			WHERE id = ? AND resolved_at IS NULL`, ms(at), by, note, id)
		if err != nil {
			return err
		}
		if n, err := rowsAffected(res); err != nil {
			return err
		} else if n == 0 {
			if ok, err := tx.exists(ctx, `SELECT 1 FROM support_escalations WHERE id = ?`, id); err != nil {
				return err
			} else if !ok {
				return notFound("escalation")
			}
			return kindred.Errorf(kindred.ECONFLICT, "Someone has already resolved this.")
		}
		out, err = scanEscalation(tx.queryRow(ctx, escalationSelect+` WHERE e.id = ?`, id))
		return err
	})
	if err != nil {
		return nil, storeErr("resolve support escalation", "escalation", err)
	}
	return out, nil
}

// Candidates.

// SupportCandidates reads the supporters who may be matched now, in five
// set queries joined in Go: the decision runs on every request and every
// answer, and a query per supporter would be 200 round trips.
func (db *DB) SupportCandidates(ctx context.Context, orgID string, now time.Time) ([]*kindred.SupportCandidate, error) {
	return db.supporters(ctx, orgID, now, true)
}

// SupportersOverview reads every supporter with a profile, for the
// coordinators' dashboard.
func (db *DB) SupportersOverview(ctx context.Context, orgID string, now time.Time) ([]*kindred.SupportCandidate, error) {
	return db.supporters(ctx, orgID, now, false)
}

func (db *DB) supporters(ctx context.Context, orgID string, now time.Time, candidates bool) ([]*kindred.SupportCandidate, error) {
	now = norm(now)
	monday := weekStart(now)
	var out []*kindred.SupportCandidate
	err := db.readTx(ctx, func(tx conn) error {
		out = out[:0]
		where := []string{`p.org_id = ?`}
		args := []any{orgID}
		if candidates {
			where = append(where, `p.on_shift = ?`, `ms.status = ?`, `(ms.roles & ?) <> 0`, `a.suspended_at IS NULL`)
			args = append(args, true, string(kindred.StatusActive), supporterBit)
		}
		rows, err := tx.query(ctx, strings.Replace(profileSelect, `p.updated_at,`, `p.updated_at, p.last_matched_at,`, 1)+
			whereClause(where)+` ORDER BY p.account_id`, args...)
		if err != nil {
			return err
		}
		byID := map[string]*kindred.SupportCandidate{}
		all, err := collect(rows, func(s scanner) (*kindred.SupportCandidate, error) {
			c := new(kindred.SupportCandidate)
			d := profileDest(&c.Profile)
			d = append(d[:13:13], append([]any{nullTimeCol{&c.LastMatchedAt}}, d[13:]...)...)
			return c, s.Scan(d...)
		})
		if err != nil {
			return err
		}
		if len(all) == 0 {
			return nil
		}
		for _, c := range all {
			byID[c.Profile.AccountID] = c
		}
		// Grants in force: the latest expiry, nil when one never expires.
		rows, err = tx.query(ctx, `SELECT account_id, expires_at FROM certifications
			WHERE org_id = ? AND decision = ? AND (expires_at IS NULL OR expires_at > ?)`,
			orgID, string(kindred.SignOffGranted), ms(now))
		if err != nil {
			return err
		}
		never := map[string]bool{}
		if err := eachRow(rows, func(s scanner) error {
			var id string
			var until *time.Time
			if err := s.Scan(&id, nullTimeCol{&until}); err != nil {
				return err
			}
			c := byID[id]
			if c == nil {
				return nil
			}
			c.Certified = true
			switch {
			case until == nil:
				never[id] = true
			case !never[id] && (c.CertifiedUntil == nil || until.After(*c.CertifiedUntil)):
				c.CertifiedUntil = until
			}
			return nil
		}); err != nil {
			return err
		}
		for id := range never {
			byID[id].CertifiedUntil = nil
		}
		// Loads.
		rows, err = tx.query(ctx, `SELECT supporter_id, COUNT(*) FROM support_matches WHERE org_id = ? AND ended_at IS NULL
			GROUP BY supporter_id`, orgID)
		if err != nil {
			return err
		}
		if err := eachRow(rows, func(s scanner) error {
			var id string
			var n int
			if err := s.Scan(&id, &n); err != nil {
				return err
			}
			if c := byID[id]; c != nil {
				c.Load = n
			}
			return nil
		}); err != nil {
			return err
		}
		// This week's shifts: closed ones here, the open one from the profile.
		sums, err := shiftSums(ctx, tx, shiftSum+` GROUP BY account_id`, monday, orgID)
		if err != nil {
			return err
		}
		for id, d := range sums {
			if c := byID[id]; c != nil {
				c.WeekShift = d
			}
		}
		for _, c := range all {
			if c.Profile.OnShift {
				c.WeekShift += openShift(c.Profile.ShiftStartedAt, monday, now)
			}
		}
		// Schools the supporters belong to.
		rows, err = tx.query(ctx, `SELECT sm.account_id, sm.org_id FROM supporter_profiles p
			JOIN memberships sm ON sm.account_id = p.account_id AND sm.status = ?
			JOIN organizations o ON o.id = sm.org_id AND o.kind = ?
			WHERE p.org_id = ?`, string(kindred.StatusActive), string(kindred.OrgSchool), orgID)
		if err != nil {
			return err
		}
		if err := eachRow(rows, func(s scanner) error {
			var id, school string
			if err := s.Scan(&id, &school); err != nil {
				return err
			}
			if c := byID[id]; c != nil {
				c.Schools = append(c.Schools, school)
			}
			return nil
		}); err != nil {
			return err
		}
		for _, c := range all {
			if candidates && !c.Certified {
				continue
			}
			slices.Sort(c.Schools)
			out = append(out, c)
		}
		return nil
	})
	if err != nil {
		return nil, storeErr("support candidates", "profile", err)
	}
	return out, nil
}

// weekStart is Monday 00:00 UTC of t's week.
func weekStart(t time.Time) time.Time {
	t = t.UTC()
	day := (int(t.Weekday()) + 6) % 7 // Monday 0 … Sunday 6
	y, m, d := t.Date()
	return time.Date(y, m, d-day, 0, 0, 0, 0, time.UTC)
}

// eachRow calls fn for every row and closes rows.
func eachRow(rows *sql.Rows, fn func(scanner) error) error {
	defer rows.Close()
	for rows.Next() {
		if err := fn(rows); err != nil {
			return err
		}
	}
	return rows.Err()
}

// SchoolOrgs returns the school organisations the account is active in.
func (db *DB) SchoolOrgs(ctx context.Context, accountID string) ([]string, error) {
	rows, err := db.reader().query(ctx, `SELECT ms.org_id FROM memberships ms JOIN organizations o ON o.id = ms.org_id
		WHERE ms.account_id = ? AND ms.status = ? AND o.kind = ? ORDER BY ms.org_id`,
		accountID, string(kindred.StatusActive), string(kindred.OrgSchool))
	if err != nil {
		return nil, storeErr("school orgs", "organisation", err)
	}
	out, err := collect(rows, func(s scanner) (string, error) {
		var id string
		return id, s.Scan(&id)
	})
	return out, storeErr("school orgs", "organisation", err)
}
