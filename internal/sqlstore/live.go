package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"time"

	"kindred"
)

// Group sessions, answers, rooms, room members, chat messages and blocks.
//
// Two per-room counters live on the rooms row: last_seq numbers messages
// and member_count numbers members. Both are taken with
// UPDATE … RETURNING at the start of the transaction that uses the number.
// On PostgreSQL that UPDATE holds the room's row lock until commit, so a
// second sender (or joiner) waits for the first to commit and then reads
// the new counter: numbers are never shared, and transactions commit in
// number order. That last property is what lets a client resume "after
// seq n": once n is visible, every message before it is too. On SQLite the
// single writer connection runs the transactions one at a time anyway. A
// transaction that fails rolls its counter back, so there are no gaps.

// lockForUpdate is appended to a SELECT that must hold the row until
// commit. SQLite's single writer already serializes write transactions.
// FOR NO KEY UPDATE conflicts with itself but not with the key-share locks
// foreign-key checks take, so inserting rows that refer to the locked row
// does not wait.
func (d dialect) lockForUpdate() string {
	if d.name == "postgres" {
		return " FOR NO KEY UPDATE"
	}
	return ""
}

// msOrZero stores an optional time given as a value: 0 when it is zero.
func msOrZero(t time.Time) int64 {
	if t.IsZero() {
		return 0
	}
	return t.UnixMilli()
}

// normOrZero is norm that keeps the zero time zero.
func normOrZero(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return norm(t)
}

// zeroTimeCol scans a time stored by msOrZero: 0 reads back as the zero
// time.
type zeroTimeCol struct{ t *time.Time }

func (c zeroTimeCol) Scan(src any) error {
	v, err := asInt64(src)
	if err != nil {
		return err
	}
	if v == 0 {
		*c.t = time.Time{}
		return nil
	}
	*c.t = time.UnixMilli(v).UTC()
	return nil
}

// msPtrNorm stores an optional time for an update, rounded the way the
// store keeps it.
func msPtrNorm(t *time.Time) any { return msPtr(normPtr(t)) }

// Group sessions.

const groupSessionCols = `s.id, s.group_id, s.title, s.agenda, s.start_at, s.duration_ms, s.time_zone,
	s.recurrence, s.until_at, s.capacity, s.created_by, s.created_at, s.canceled_at`

func groupSessionDest(s *kindred.GroupSession) []any {
	return []any{&s.ID, &s.GroupID, &s.Title, &s.Agenda, timeCol{&s.Start}, durationCol{&s.Duration}, &s.TimeZone,
		&s.Recurrence, nullTimeCol{&s.Until}, &s.Capacity, &s.CreatedBy, timeCol{&s.CreatedAt}, nullTimeCol{&s.CanceledAt}}
}

// durationCol scans a duration stored in milliseconds.
type durationCol struct{ d *time.Duration }

func (c durationCol) Scan(src any) error {
	v, err := asInt64(src)
	if err != nil {
		return err
	}
	*c.d = time.Duration(v) * time.Millisecond
	return nil
}

// CreateGroupSession stores a session. It fills ID and CreatedAt, rounds
// the times and the duration to the millisecond, and an empty Recurrence
// becomes RecurNone.
func (db *DB) CreateGroupSession(ctx context.Context, s *kindred.GroupSession) error {
	fillID(&s.ID)
	fillCreated(&s.CreatedAt)
	s.Start = norm(s.Start)
	s.Until = normPtr(s.Until)
	s.CanceledAt = normPtr(s.CanceledAt)
	s.Duration = s.Duration.Truncate(time.Millisecond)
	if s.Recurrence == "" {
		s.Recurrence = kindred.RecurNone
	}
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO group_sessions (id, group_id, title, agenda, start_at, duration_ms,
			time_zone, recurrence, until_at, capacity, created_by, created_at, canceled_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			s.ID, s.GroupID, s.Title, s.Agenda, ms(s.Start), s.Duration.Milliseconds(),
			s.TimeZone, string(s.Recurrence), msPtr(s.Until), s.Capacity, s.CreatedBy, ms(s.CreatedAt), msPtr(s.CanceledAt))
		return err
	})
	return storeErr("create group session", "session", err)
}

// FindGroupSession returns the session with the id, canceled or not.
func (db *DB) FindGroupSession(ctx context.Context, id string) (*kindred.GroupSession, error) {
	s := new(kindred.GroupSession)
	err := db.reader().queryRow(ctx, `SELECT `+groupSessionCols+` FROM group_sessions s WHERE s.id = ?`, id).Scan(groupSessionDest(s)...)
	if err != nil {
		return nil, storeErr("find group session", "session", err)
	}
	return s, nil
}

// ListGroupSessions returns a group's sessions (every group's when GroupID
// is empty) by first start, without canceled ones unless asked.
func (db *DB) ListGroupSessions(ctx context.Context, f kindred.GroupSessionFilter) ([]*kindred.GroupSession, error) {
	var where []string
	var args []any
	if f.GroupID != "" {
		where = append(where, `s.group_id = ?`)
		args = append(args, f.GroupID)
	}
	if !f.IncludeCanceled {
		where = append(where, `s.canceled_at IS NULL`)
	}
	rows, err := db.reader().query(ctx, `SELECT `+groupSessionCols+` FROM group_sessions s`+whereClause(where)+
		` ORDER BY s.start_at, s.id`, args...)
	if err != nil {
		return nil, storeErr("list group sessions", "session", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.GroupSession, error) {
		x := new(kindred.GroupSession)
		return x, s.Scan(groupSessionDest(x)...)
	})
	return out, storeErr("list group sessions", "session", err)
}

// UpdateGroupSession changes the fields given and returns the session.
func (db *DB) UpdateGroupSession(ctx context.Context, id string, u kindred.GroupSessionUpdate) (*kindred.GroupSession, error) {
	var set setList
	if u.Title != nil {
		set.add("title", *u.Title)
	}
	if u.Agenda != nil {
		set.add("agenda", *u.Agenda)
	}
	if u.Capacity != nil {
		set.add("capacity", *u.Capacity)
	}
	if u.CanceledAt != nil {
		set.add("canceled_at", msPtrNorm(*u.CanceledAt))
	}
	if set.empty() {
		return db.FindGroupSession(ctx, id)
	}
	s := new(kindred.GroupSession)
	err := db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "session", `UPDATE group_sessions SET `+set.clause()+` WHERE id = ?`,
			append(set.args, id)...); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT `+groupSessionCols+` FROM group_sessions s WHERE s.id = ?`, id).Scan(groupSessionDest(s)...)
	})
	if err != nil {
		return nil, storeErr("update group session", "session", err)
	}
	return s, nil
}

// SetRSVP records the person's answer for one meeting, replacing an earlier
// one. It fills At when zero. A yes when capacity > 0 and capacity other
// people are already going is ECONFLICT; a no is always recorded.
//
// The count and the answer must not interleave with another answer to the
// same session, or two people could both take the last place. The session
// row is locked first: on PostgreSQL with FOR NO KEY UPDATE, which makes a
// concurrent SetRSVP wait and then count the committed answers; on SQLite
// the single writer already runs them one at a time.
func (db *DB) SetRSVP(ctx context.Context, r *kindred.RSVP, capacity int) error {
	r.Occurrence = norm(r.Occurrence)
	fillCreated(&r.At)
	err := db.inTx(ctx, func(tx conn) error {
		found, err := tx.exists(ctx, `SELECT 1 FROM group_sessions WHERE id = ?`+db.dialect.lockForUpdate(), r.SessionID)
		if err != nil {
			return err
		}
		if !found {
			return notFound("session")
		}
		if r.Going && capacity > 0 {
			var going int
			if err := tx.queryRow(ctx, `SELECT COUNT(*) FROM session_rsvps
				WHERE session_id = ? AND occurrence = ? AND going = ? AND account_id <> ?`,
				r.SessionID, ms(r.Occurrence), true, r.AccountID).Scan(&going); err != nil {
				return err
			}
			if going >= capacity {
				return kindred.Errorf(kindred.ECONFLICT, "That meeting is full.")
			}
		}
		_, err = tx.exec(ctx, `INSERT INTO session_rsvps (session_id, occurrence, account_id, going, answered_at)
			VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (session_id, occurrence, account_id)
			DO UPDATE SET going = excluded.going, answered_at = excluded.answered_at`,
			r.SessionID, ms(r.Occurrence), r.AccountID, r.Going, ms(r.At))
		return err
	})
	return storeErr("set rsvp", "answer", err)
}

// ListRSVPs returns a session's answers by meeting, then by when they were
// given.
func (db *DB) ListRSVPs(ctx context.Context, f kindred.RSVPFilter) ([]*kindred.RSVP, error) {
	var where []string
	var args []any
	if f.SessionID != "" {
		where = append(where, `session_id = ?`)
		args = append(args, f.SessionID)
	}
	if !f.Occurrence.IsZero() {
		where = append(where, `occurrence = ?`)
		args = append(args, ms(f.Occurrence))
	}
	if f.AccountID != "" {
		where = append(where, `account_id = ?`)
		args = append(args, f.AccountID)
	}
	rows, err := db.reader().query(ctx, `SELECT session_id, occurrence, account_id, going, answered_at
		FROM session_rsvps`+whereClause(where)+` ORDER BY occurrence, answered_at, account_id`, args...)
	if err != nil {
		return nil, storeErr("list rsvps", "answer", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.RSVP, error) {
		x := new(kindred.RSVP)
		return x, s.Scan(&x.SessionID, timeCol{&x.Occurrence}, &x.AccountID, &x.Going, timeCol{&x.At})
	})
	return out, storeErr("list rsvps", "answer", err)
}

// CountGoing counts yes answers per meeting of a session, keyed by the
// meeting's start in unix seconds. Meetings nobody is going to are absent;
// the map is never nil.
func (db *DB) CountGoing(ctx context.Context, sessionID string) (map[int64]int, error) {
	rows, err := db.reader().query(ctx, `SELECT occurrence, COUNT(*) FROM session_rsvps
		WHERE session_id = ? AND going = ? GROUP BY occurrence`, sessionID, true)
	if err != nil {
		return nil, storeErr("count going", "answer", err)
	}
	out := map[int64]int{}
	_, err = collect(rows, func(s scanner) (struct{}, error) {
		var occurrence time.Time
		var n int
		if err := s.Scan(timeCol{&occurrence}, &n); err != nil {
			return struct{}{}, err
		}
		out[occurrence.Unix()] = n
		return struct{}{}, nil
	})
	if err != nil {
		return nil, storeErr("count going", "answer", err)
	}
	return out, nil
}

// Rooms.

const roomCols = `r.id, r.kind, r.org_id, r.room_key, r.group_id, r.session_id, r.occurrence, r.ends_at,
	r.purpose, r.opened_at, r.ended_at, r.ended_by, r.last_seq, r.created_at`

func roomDest(r *kindred.Room) []any {
	return []any{&r.ID, &r.Kind, &r.OrgID, nullStringCol{&r.Key}, nullStringCol{&r.GroupID}, nullStringCol{&r.SessionID},
		zeroTimeCol{&r.Occurrence}, zeroTimeCol{&r.Ends}, &r.Purpose, nullTimeCol{&r.OpenedAt}, nullTimeCol{&r.EndedAt},
		nullStringCol{&r.EndedBy}, &r.LastSeq, timeCol{&r.CreatedAt}}
}

// EnsureRoom stores r, filling its ID and CreatedAt, unless a room with the
// same non-empty Key exists; it returns the stored room either way. A new
// room has no messages, so LastSeq starts at 0 whatever r says.
//
// Finding and creating is one INSERT … ON CONFLICT DO NOTHING followed by
// a SELECT, so concurrent calls with one key make one room: on PostgreSQL
// the losing INSERT waits for the winner's commit, and the SELECT (a new
// statement under READ COMMITTED) then sees its row.
func (db *DB) EnsureRoom(ctx context.Context, r *kindred.Room) (*kindred.Room, error) {
	fillID(&r.ID)
	fillCreated(&r.CreatedAt)
	r.Occurrence = normOrZero(r.Occurrence)
	r.Ends = normOrZero(r.Ends)
	r.OpenedAt = normPtr(r.OpenedAt)
	r.EndedAt = normPtr(r.EndedAt)
	r.LastSeq = 0
	stored := new(kindred.Room)
	err := db.inTx(ctx, func(tx conn) error {
		q := `INSERT INTO rooms (id, kind, org_id, room_key, group_id, session_id, occurrence, ends_at, purpose,
			opened_at, ended_at, ended_by, last_seq, member_count, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 0, ?)`
		if r.Key != "" {
			q += ` ON CONFLICT (room_key) DO NOTHING`
		}
		if _, err := tx.exec(ctx, q, r.ID, string(r.Kind), r.OrgID, nullIfEmpty(r.Key), nullIfEmpty(r.GroupID),
			nullIfEmpty(r.SessionID), msOrZero(r.Occurrence), msOrZero(r.Ends), string(r.Purpose),
			msPtr(r.OpenedAt), msPtr(r.EndedAt), nullIfEmpty(r.EndedBy), ms(r.CreatedAt)); err != nil {
			return err
		}
		if r.Key != "" {
			return tx.queryRow(ctx, `SELECT `+roomCols+` FROM rooms r WHERE r.room_key = ?`, r.Key).Scan(roomDest(stored)...)
		}
		return tx.queryRow(ctx, `SELECT `+roomCols+` FROM rooms r WHERE r.id = ?`, r.ID).Scan(roomDest(stored)...)
	})
	if err != nil {
		return nil, storeErr("ensure room", "room", err)
	}
	return stored, nil
}

// FindRoom returns the room with the id.
func (db *DB) FindRoom(ctx context.Context, id string) (*kindred.Room, error) {
	r := new(kindred.Room)
	if err := db.reader().queryRow(ctx, `SELECT `+roomCols+` FROM rooms r WHERE r.id = ?`, id).Scan(roomDest(r)...); err != nil {
		return nil, storeErr("find room", "room", err)
	}
	return r, nil
}

// UpdateRoom changes the fields given and returns the room.
func (db *DB) UpdateRoom(ctx context.Context, id string, u kindred.RoomUpdate) (*kindred.Room, error) {
	var set setList
	if u.OpenedAt != nil {
		set.add("opened_at", msPtrNorm(*u.OpenedAt))
	}
	if u.EndedAt != nil {
		set.add("ended_at", msPtrNorm(*u.EndedAt))
	}
	if u.EndedBy != nil {
		set.add("ended_by", nullIfEmpty(*u.EndedBy))
	}
	if set.empty() {
		return db.FindRoom(ctx, id)
	}
	r := new(kindred.Room)
	err := db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "room", `UPDATE rooms SET `+set.clause()+` WHERE id = ?`, append(set.args, id)...); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT `+roomCols+` FROM rooms r WHERE r.id = ?`, id).Scan(roomDest(r)...)
	})
	if err != nil {
		return nil, storeErr("update room", "room", err)
	}
	return r, nil
}

// Room members.

const roomMemberCols = `rm.room_id, rm.account_id, rm.number, rm.anonymous, rm.agreed_at, rm.joined_at,
	rm.muted_until, rm.removed_at, rm.removed_by, rm.last_read_seq`

// roomMemberSelect reads room members with their names in the room's
// organisation, with authorName's precedence (a: the account, m: its
// membership of the room's organisation).
const roomMemberSelect = `SELECT ` + roomMemberCols + `, a.handle, ` + authorName + `, a.age_band
	FROM room_members rm
	JOIN rooms r ON r.id = rm.room_id
	JOIN accounts a ON a.id = rm.account_id
	LEFT JOIN memberships m ON m.org_id = r.org_id AND m.account_id = rm.account_id`

func roomMemberDest(m *kindred.RoomMember) []any {
	return []any{&m.RoomID, &m.AccountID, &m.Number, &m.Anonymous, nullTimeCol{&m.AgreedAt}, timeCol{&m.JoinedAt},
		nullTimeCol{&m.MutedUntil}, nullTimeCol{&m.RemovedAt}, nullStringCol{&m.RemovedBy}, &m.LastReadSeq,
		&m.Handle, &m.DisplayName, &m.AgeBand}
}

// CreateRoomMember stores the member with the room's next Number (1, 2,
// 3…), filling JoinedAt when zero and the names. ECONFLICT when the person
// is a member already (removed or not), ENOTFOUND when the room is gone.
// Numbers come from the room's member_count, never from the rows present,
// so a number is never given twice even if a member row is deleted.
func (db *DB) CreateRoomMember(ctx context.Context, m *kindred.RoomMember) error {
	fillCreated(&m.JoinedAt)
	m.AgreedAt = normPtr(m.AgreedAt)
	m.MutedUntil = normPtr(m.MutedUntil)
	m.RemovedAt = normPtr(m.RemovedAt)
	stored := new(kindred.RoomMember)
	err := db.inTx(ctx, func(tx conn) error {
		var number int
		// Takes the room's row lock on PostgreSQL: joiners queue here.
		err := tx.queryRow(ctx, `UPDATE rooms SET member_count = member_count + 1 WHERE id = ? RETURNING member_count`,
			m.RoomID).Scan(&number)
		if errors.Is(err, sql.ErrNoRows) {
			return notFound("room")
		}
		if err != nil {
			return err
		}
		_, err = tx.exec(ctx, `INSERT INTO room_members (room_id, account_id, number, anonymous, agreed_at, joined_at,
			muted_until, removed_at, removed_by, last_read_seq) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			m.RoomID, m.AccountID, number, m.Anonymous, msPtr(m.AgreedAt), ms(m.JoinedAt),
			msPtr(m.MutedUntil), msPtr(m.RemovedAt), nullIfEmpty(m.RemovedBy), m.LastReadSeq)
		if isUniqueViolation(err) {
			return kindred.Errorf(kindred.ECONFLICT, "You are already in this room.")
		}
		if err != nil {
			return err
		}
		return tx.queryRow(ctx, roomMemberSelect+` WHERE rm.room_id = ? AND rm.account_id = ?`, m.RoomID, m.AccountID).
			Scan(roomMemberDest(stored)...)
	})
	if err != nil {
		return storeErr("create room member", "room member", err)
	}
	*m = *stored
	return nil
}

// FindRoomMember returns the person's membership of the room, with names.
func (db *DB) FindRoomMember(ctx context.Context, roomID, accountID string) (*kindred.RoomMember, error) {
	m := new(kindred.RoomMember)
	err := db.reader().queryRow(ctx, roomMemberSelect+` WHERE rm.room_id = ? AND rm.account_id = ?`, roomID, accountID).
		Scan(roomMemberDest(m)...)
	if err != nil {
		return nil, storeErr("find room member", "room member", err)
	}
	return m, nil
}

// ListRoomMembers returns a room's members by number, removed ones
// included, with names.
func (db *DB) ListRoomMembers(ctx context.Context, roomID string) ([]*kindred.RoomMember, error) {
	rows, err := db.reader().query(ctx, roomMemberSelect+` WHERE rm.room_id = ? ORDER BY rm.number`, roomID)
	if err != nil {
		return nil, storeErr("list room members", "room member", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.RoomMember, error) {
		x := new(kindred.RoomMember)
		return x, s.Scan(roomMemberDest(x)...)
	})
	return out, storeErr("list room members", "room member", err)
}

// UpdateRoomMember changes the fields given and returns the member.
func (db *DB) UpdateRoomMember(ctx context.Context, roomID, accountID string, u kindred.RoomMemberUpdate) (*kindred.RoomMember, error) {
	var set setList
	if u.Anonymous != nil {
		set.add("anonymous", *u.Anonymous)
	}
	if u.AgreedAt != nil {
		set.add("agreed_at", msPtrNorm(*u.AgreedAt))
	}
	if u.MutedUntil != nil {
		set.add("muted_until", msPtrNorm(*u.MutedUntil))
	}
	if u.RemovedAt != nil {
		set.add("removed_at", msPtrNorm(*u.RemovedAt))
	}
	if u.RemovedBy != nil {
		set.add("removed_by", nullIfEmpty(*u.RemovedBy))
	}
	if u.LastReadSeq != nil {
		set.add("last_read_seq", *u.LastReadSeq)
	}
	if set.empty() {
		return db.FindRoomMember(ctx, roomID, accountID)
	}
	m := new(kindred.RoomMember)
	err := db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "room member", `UPDATE room_members SET `+set.clause()+
			` WHERE room_id = ? AND account_id = ?`, append(set.args, roomID, accountID)...); err != nil {
			return err
		}
		return tx.queryRow(ctx, roomMemberSelect+` WHERE rm.room_id = ? AND rm.account_id = ?`, roomID, accountID).
			Scan(roomMemberDest(m)...)
	})
	if err != nil {
		return nil, storeErr("update room member", "room member", err)
	}
	return m, nil
}

// maxConversations bounds ListConversations.
const maxConversations = 200

// conversationSelect reads, for each conversation of one person, the room,
// their own member row (me) and the other person's (o), both with names.
// The other person is the lowest-numbered other member, so a room that
// somehow has three members still lists once. Rows are ordered by last
// activity: the last message, else the room's creation. Names follow
// authorName's precedence.
const conversationSelect = `SELECT ` + roomCols + `,
	me.room_id, me.account_id, me.number, me.anonymous, me.agreed_at, me.joined_at,
	me.muted_until, me.removed_at, me.removed_by, me.last_read_seq,
	ma.handle, COALESCE(NULLIF(mm.display_name, ''), NULLIF(ma.display_name, ''), ma.handle), ma.age_band,
	o.room_id, o.account_id, COALESCE(o.number, 0), COALESCE(o.anonymous, FALSE), o.agreed_at, COALESCE(o.joined_at, 0),
	o.muted_until, o.removed_at, o.removed_by, COALESCE(o.last_read_seq, 0),
	COALESCE(oa.handle, ''), COALESCE(NULLIF(om.display_name, ''), NULLIF(oa.display_name, ''), oa.handle, ''),
	COALESCE(oa.age_band, ''),
	r.last_message_at
	FROM room_members me
	JOIN rooms r ON r.id = me.room_id
	JOIN accounts ma ON ma.id = me.account_id
	LEFT JOIN memberships mm ON mm.org_id = r.org_id AND mm.account_id = me.account_id
	LEFT JOIN room_members o ON o.room_id = r.id AND o.number = (SELECT MIN(x.number) FROM room_members x
		WHERE x.room_id = r.id AND x.account_id <> me.account_id)
	LEFT JOIN accounts oa ON oa.id = o.account_id
	LEFT JOIN memberships om ON om.org_id = r.org_id AND om.account_id = o.account_id
	WHERE me.account_id = ? AND me.removed_at IS NULL AND r.org_id = ? AND r.kind = ?
	ORDER BY COALESCE(r.last_message_at, r.created_at) DESC, r.id DESC
	LIMIT ?`

// ListConversations returns the account's conversations in the
// organisation that it was not removed from, the most recently active
// first (the last message, else when the room was made), at most 200.
// Other is nil when the other person's member row is gone; LastMessage is
// nil before the first message.
func (db *DB) ListConversations(ctx context.Context, f kindred.ConversationFilter) ([]*kindred.Conversation, error) {
	rows, err := db.reader().query(ctx, conversationSelect, f.AccountID, f.OrgID, string(kindred.RoomConversation), maxConversations)
	if err != nil {
		return nil, storeErr("list conversations", "conversation", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Conversation, error) {
		c := &kindred.Conversation{Room: new(kindred.Room), Me: new(kindred.RoomMember), Other: new(kindred.RoomMember)}
		o := c.Other
		dest := append(roomDest(c.Room), roomMemberDest(c.Me)...)
		// The other member's columns are NULL or defaults when there is none.
		dest = append(dest, nullStringCol{&o.RoomID}, nullStringCol{&o.AccountID}, &o.Number, &o.Anonymous,
			nullTimeCol{&o.AgreedAt}, timeCol{&o.JoinedAt}, nullTimeCol{&o.MutedUntil}, nullTimeCol{&o.RemovedAt},
			nullStringCol{&o.RemovedBy}, &o.LastReadSeq, &o.Handle, &o.DisplayName, &o.AgeBand,
			nullTimeCol{&c.LastMessage})
		if err := s.Scan(dest...); err != nil {
			return nil, err
		}
		if c.Other.AccountID == "" {
			c.Other = nil
		}
		return c, nil
	})
	return out, storeErr("list conversations", "conversation", err)
}

// Chat messages.

// chatSelect reads messages with their authors' room numbers and names.
// Notices have no author, so every author join is a LEFT JOIN and the
// names read as empty.
const chatSelect = `SELECT c.id, c.room_id, c.seq, c.kind, c.author_id, c.nonce, c.body, c.body_html, c.removes,
	c.created_at, c.removed_at, c.removed_by, c.reason,
	COALESCE(rm.number, 0), COALESCE(rm.anonymous, FALSE), COALESCE(a.handle, ''), COALESCE(` + authorName + `, '')
	FROM chat_messages c
	JOIN rooms r ON r.id = c.room_id
	LEFT JOIN room_members rm ON rm.room_id = c.room_id AND rm.account_id = c.author_id
	LEFT JOIN accounts a ON a.id = c.author_id
	LEFT JOIN memberships m ON m.org_id = r.org_id AND m.account_id = c.author_id`

func chatDest(m *kindred.ChatMessage) []any {
	return []any{&m.ID, &m.RoomID, &m.Seq, &m.Kind, nullStringCol{&m.AuthorID}, &m.Nonce, &m.Body, &m.HTML, &m.Removes,
		timeCol{&m.CreatedAt}, nullTimeCol{&m.RemovedAt}, nullStringCol{&m.RemovedBy}, &m.Reason,
		&m.AuthorNumber, &m.AuthorAnonymous, &m.AuthorHandle, &m.AuthorName}
}

// maxChatPage bounds one read of chat history.
const maxChatPage = 1000

// errDuplicateNonce marks a message its author already sent; the stored one
// is in the error.
type errDuplicateNonce struct{ stored *kindred.ChatMessage }

func (e *errDuplicateNonce) Error() string { return "duplicate nonce" }

// duplicateNonce is the error a resent message answers with.
func duplicateNonce() error {
	return kindred.Errorf(kindred.ECONFLICT, "That message was already sent.")
}

// prepareMessage fills what CreateChatMessage fills before storing m.
func prepareMessage(m *kindred.ChatMessage) {
	fillID(&m.ID)
	fillCreated(&m.CreatedAt)
	if m.Kind == "" {
		m.Kind = kindred.MessageText
	}
	m.RemovedAt = normPtr(m.RemovedAt)
}

// insertMessage gives m the room's next Seq and stores it, and reads it
// back with its author's names. See the comment at the top of this file for
// why the counter's row lock matters. A message whose author already sent
// its nonce in the room stores nothing: the error carries the stored
// message, and rolling back the transaction gives the Seq back.
func insertMessage(ctx context.Context, tx conn, m *kindred.ChatMessage) error {
	// Last activity never moves backwards for a message stamped earlier
	// (nodes' clocks can disagree).
	err := tx.queryRow(ctx, `UPDATE rooms SET last_seq = last_seq + 1,
		last_message_at = CASE WHEN last_message_at IS NULL OR last_message_at < ? THEN ? ELSE last_message_at END
		WHERE id = ? RETURNING last_seq`, ms(m.CreatedAt), ms(m.CreatedAt), m.RoomID).Scan(&m.Seq)
	if errors.Is(err, sql.ErrNoRows) {
		return notFound("room")
	}
	if err != nil {
		return err
	}
	// ON CONFLICT DO NOTHING: under the room lock the only possible
	// conflict is the author's nonce, so a retry stores nothing and is
	// found below; the common case is two statements.
	res, err := tx.exec(ctx, chatInsert+chatRow+` ON CONFLICT DO NOTHING`, chatArgs(nil, m)...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n == 0 {
		stored := new(kindred.ChatMessage)
		err := tx.queryRow(ctx, chatSelect+` WHERE c.room_id = ? AND c.author_id = ? AND c.nonce = ?`,
			m.RoomID, m.AuthorID, m.Nonce).Scan(chatDest(stored)...)
		if err != nil {
			return fmt.Errorf("message not stored and no earlier one with its nonce: %w", err)
		}
		return &errDuplicateNonce{stored} // rolls back: no seq is used up
	}
	return readBackAuthor(ctx, tx, m)
}

// chatInsert and chatRow store a message; chatArgs gives a row's values.
const (
	chatInsert = `INSERT INTO chat_messages (id, room_id, seq, kind, author_id, nonce, body, body_html,
		removes, created_at, removed_at, removed_by, reason) VALUES `
	chatRow = `(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`
)

func chatArgs(args []any, m *kindred.ChatMessage) []any {
	return append(args, m.ID, m.RoomID, m.Seq, string(m.Kind), nullIfEmpty(m.AuthorID), m.Nonce, m.Body, m.HTML,
		m.Removes, ms(m.CreatedAt), msPtr(m.RemovedAt), nullIfEmpty(m.RemovedBy), m.Reason)
}

// readBackAuthor fills a stored message's author's number and names,
// unless it is a notice or the caller knew them already (every account
// has a handle).
func readBackAuthor(ctx context.Context, tx conn, m *kindred.ChatMessage) error {
	if m.AuthorID == "" || m.AuthorHandle != "" {
		return nil
	}
	return tx.queryRow(ctx, chatSelect+` WHERE c.id = ?`, m.ID).Scan(chatDest(m)...)
}

// CreateChatMessage stores m with the room's next Seq, filling ID,
// CreatedAt (when empty), Kind (text when empty) and the author's number
// and names. When the author already sent a message with the same
// non-empty Nonce in the room it stores nothing, consumes no Seq, fills m
// with the stored message and returns ECONFLICT. ENOTFOUND when the room
// does not exist.
func (db *DB) CreateChatMessage(ctx context.Context, m *kindred.ChatMessage) error {
	prepareMessage(m)
	msg := *m
	err := db.storeMessage(ctx, &msg)
	if dup, ok := errors.AsType[*errDuplicateNonce](err); ok {
		*m = *dup.stored
		return duplicateNonce()
	}
	if isUniqueViolation(err) && m.Nonce != "" && m.AuthorID != "" {
		// Not expected while the room lock serializes senders; kept so a
		// retry never looks like a failure.
		stored := new(kindred.ChatMessage)
		if ferr := db.reader().queryRow(ctx, chatSelect+` WHERE c.room_id = ? AND c.author_id = ? AND c.nonce = ?`,
			m.RoomID, m.AuthorID, m.Nonce).Scan(chatDest(stored)...); ferr == nil {
			*m = *stored
			return duplicateNonce()
		}
	}
	if err != nil {
		return storeErr("create chat message", "message", err)
	}
	*m = msg
	return nil
}

// FindChatMessage returns the room's message with the seq, with its
// author's number and names.
func (db *DB) FindChatMessage(ctx context.Context, roomID string, seq int64) (*kindred.ChatMessage, error) {
	m := new(kindred.ChatMessage)
	err := db.reader().queryRow(ctx, chatSelect+` WHERE c.room_id = ? AND c.seq = ?`, roomID, seq).Scan(chatDest(m)...)
	if err != nil {
		return nil, storeErr("find chat message", "message", err)
	}
	return m, nil
}

// ListChatMessages returns a room's messages oldest first: those after
// f.After, and before f.Before when it is set. With Before set it returns
// the newest Limit of them (scrolling back), otherwise the oldest (resuming).
// Limit 0 means kindred.ChatPage; at most 1000.
func (db *DB) ListChatMessages(ctx context.Context, f kindred.ChatFilter) ([]*kindred.ChatMessage, error) {
	limit, _ := page(f.Limit, 0, kindred.ChatPage, maxChatPage)
	where := []string{`c.room_id = ?`, `c.seq > ?`}
	args := []any{f.RoomID, f.After}
	order := ` ORDER BY c.seq`
	if f.Before > 0 {
		where = append(where, `c.seq < ?`)
		args = append(args, f.Before)
		order = ` ORDER BY c.seq DESC`
	}
	rows, err := db.reader().query(ctx, chatSelect+whereClause(where)+order+` LIMIT ?`, append(args, limit)...)
	if err != nil {
		return nil, storeErr("list chat messages", "message", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.ChatMessage, error) {
		x := new(kindred.ChatMessage)
		return x, s.Scan(chatDest(x)...)
	})
	if err != nil {
		return nil, storeErr("list chat messages", "message", err)
	}
	if f.Before > 0 {
		slices.Reverse(out)
	}
	return out, nil
}

// RemoveChatMessage blanks the message's text and records who removed it,
// when and why, and stores notice (when not nil) as a notice removing it:
// Kind notice, Removes seq, the room's next Seq, CreatedAt at unless set.
// One transaction. ENOTFOUND when the message does not exist; ECONFLICT,
// changing nothing, when it was removed already.
func (db *DB) RemoveChatMessage(ctx context.Context, roomID string, seq int64, by, reason string, at time.Time, notice *kindred.ChatMessage) error {
	at = norm(at)
	var msg kindred.ChatMessage
	if notice != nil {
		notice.RoomID = roomID
		notice.Kind = kindred.MessageNotice
		notice.Removes = seq
		if notice.CreatedAt.IsZero() {
			notice.CreatedAt = at
		}
		prepareMessage(notice)
		msg = *notice
	}
	err := db.inTx(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `UPDATE chat_messages SET body = '', body_html = '', removed_at = ?, removed_by = ?, reason = ?
			WHERE room_id = ? AND seq = ? AND removed_at IS NULL`, ms(at), nullIfEmpty(by), reason, roomID, seq)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			found, err := tx.exists(ctx, `SELECT 1 FROM chat_messages WHERE room_id = ? AND seq = ?`, roomID, seq)
			if err != nil {
				return err
			}
			if !found {
				return notFound("message")
			}
			return kindred.Errorf(kindred.ECONFLICT, "That message was already removed.")
		}
		if notice == nil {
			return nil
		}
		return insertMessage(ctx, tx, &msg)
	})
	if _, ok := errors.AsType[*errDuplicateNonce](err); ok {
		return duplicateNonce()
	}
	if err != nil {
		return storeErr("remove chat message", "message", err)
	}
	if notice != nil {
		*notice = msg
	}
	return nil
}

// Blocks.

// CreateBlock records that b.AccountID blocked b.BlockedID. Blocking again
// changes nothing and fills b.CreatedAt with the first block's time.
func (db *DB) CreateBlock(ctx context.Context, b *kindred.Block) error {
	fillCreated(&b.CreatedAt)
	err := db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `INSERT INTO blocks (account_id, blocked_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT (account_id, blocked_id) DO NOTHING`, b.AccountID, b.BlockedID, ms(b.CreatedAt)); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT created_at FROM blocks WHERE account_id = ? AND blocked_id = ?`,
			b.AccountID, b.BlockedID).Scan(timeCol{&b.CreatedAt})
	})
	return storeErr("create block", "block", err)
}

// DeleteBlock takes accountID's block of blockedID back. Like CreateBlock
// it is idempotent: when there is no such block it does nothing and
// returns nil, so a repeated unblock is not an error.
func (db *DB) DeleteBlock(ctx context.Context, accountID, blockedID string) error {
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `DELETE FROM blocks WHERE account_id = ? AND blocked_id = ?`, accountID, blockedID)
		return err
	})
	return storeErr("delete block", "block", err)
}

// BlockedWith returns, sorted and once each, the ids of everyone the
// account blocked or was blocked by. It is never nil.
func (db *DB) BlockedWith(ctx context.Context, accountID string) ([]string, error) {
	rows, err := db.reader().query(ctx, `SELECT blocked_id FROM blocks WHERE account_id = ?
		UNION SELECT account_id FROM blocks WHERE blocked_id = ?
		ORDER BY 1`, accountID, accountID)
	if err != nil {
		return nil, storeErr("blocked with", "block", err)
	}
	out, err := collect(rows, func(s scanner) (string, error) {
		var id string
		err := s.Scan(&id)
		return id, err
	})
	return out, storeErr("blocked with", "block", err)
}
