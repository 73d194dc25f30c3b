package sqlstore

import (
	"context"
	"database/sql"
	"sort"
	"strings"
	"time"

	"kindred"
)

// Mutes, hidden topics, the listing of a person's own blocks, and the
// filters that keep blocked and muted people's words out of thread
// listings (ThreadFilter.HideAuthors, PostFilter.HideAuthors).

// CreateMute records that m.AccountID muted m.MutedID. Muting again
// changes nothing and fills m.CreatedAt with the first mute's time.
func (db *DB) CreateMute(ctx context.Context, m *kindred.Mute) error {
	fillCreated(&m.CreatedAt)
	err := db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `INSERT INTO mutes (account_id, muted_id, created_at) VALUES (?, ?, ?)
			ON CONFLICT (account_id, muted_id) DO NOTHING`, m.AccountID, m.MutedID, ms(m.CreatedAt)); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT created_at FROM mutes WHERE account_id = ? AND muted_id = ?`,
			m.AccountID, m.MutedID).Scan(timeCol{&m.CreatedAt})
	})
	return storeErr("create mute", "mute", err)
}

// DeleteMute takes a mute back; when there is none it does nothing.
func (db *DB) DeleteMute(ctx context.Context, accountID, mutedID string) error {
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `DELETE FROM mutes WHERE account_id = ? AND muted_id = ?`, accountID, mutedID)
		return err
	})
	return storeErr("delete mute", "mute", err)
}

// IsMuted reports whether accountID muted mutedID.
func (db *DB) IsMuted(ctx context.Context, accountID, mutedID string) (bool, error) {
	ok, err := db.reader().exists(ctx, `SELECT 1 FROM mutes WHERE account_id = ? AND muted_id = ?`, accountID, mutedID)
	if err != nil {
		return false, storeErr("is muted", "mute", err)
	}
	return ok, nil
}

// ListBlocksAndMutes lists the people the account blocked or muted, each
// once, by name then handle. Blocks of the account by others are not read.
func (db *DB) ListBlocksAndMutes(ctx context.Context, accountID string) ([]*kindred.HiddenPerson, error) {
	rows, err := db.reader().query(ctx, `SELECT x.id, a.handle, COALESCE(NULLIF(a.display_name, ''), a.handle),
		MAX(x.blocked), MAX(x.muted), MIN(x.created_at)
		FROM (SELECT blocked_id AS id, 1 AS blocked, 0 AS muted, created_at FROM blocks WHERE account_id = ?
			UNION ALL SELECT muted_id, 0, 1, created_at FROM mutes WHERE account_id = ?) x
		JOIN accounts a ON a.id = x.id
		GROUP BY x.id, a.handle, a.display_name`, accountID, accountID)
	if err != nil {
		return nil, storeErr("list blocks and mutes", "block", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.HiddenPerson, error) {
		p := new(kindred.HiddenPerson)
		var blocked, muted int
		err := s.Scan(&p.AccountID, &p.Handle, &p.Name, &blocked, &muted, timeCol{&p.Since})
		p.Blocked, p.Muted = blocked == 1, muted == 1
		return p, err
	})
	if err != nil {
		return nil, storeErr("list blocks and mutes", "block", err)
	}
	sort.Slice(out, func(i, j int) bool {
		a, b := strings.ToLower(out[i].Name), strings.ToLower(out[j].Name)
		if a != b {
			return a < b
		}
		return out[i].Handle < out[j].Handle
	})
	return out, nil
}

// HiddenFrom returns, sorted and once each, everyone the account blocked,
// was blocked by, or muted: one query, read once per request.
func (db *DB) HiddenFrom(ctx context.Context, accountID string) ([]string, error) {
	rows, err := db.reader().query(ctx, `SELECT blocked_id FROM blocks WHERE account_id = ?
		UNION SELECT account_id FROM blocks WHERE blocked_id = ?
		UNION SELECT muted_id FROM mutes WHERE account_id = ?
		ORDER BY 1`, accountID, accountID, accountID)
	if err != nil {
		return nil, storeErr("hidden from", "block", err)
	}
	out, err := collect(rows, func(s scanner) (string, error) {
		var id string
		err := s.Scan(&id)
		return id, err
	})
	return out, storeErr("hidden from", "block", err)
}

// ListHiddenTopics returns the account's hidden topics as written.
func (db *DB) ListHiddenTopics(ctx context.Context, accountID string) ([]string, error) {
	rows, err := db.reader().query(ctx, `SELECT topic FROM hidden_topics WHERE account_id = ? ORDER BY folded`, accountID)
	if err != nil {
		return nil, storeErr("list hidden topics", "topic", err)
	}
	out, err := collect(rows, func(s scanner) (string, error) {
		var t string
		err := s.Scan(&t)
		return t, err
	})
	return out, storeErr("list hidden topics", "topic", err)
}

// SetHiddenTopics replaces the account's hidden topics. Topics that fold
// alike are kept once (the first).
func (db *DB) SetHiddenTopics(ctx context.Context, accountID string, topics []string, at time.Time) error {
	at = norm(at)
	if at.IsZero() {
		at = now()
	}
	err := db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `DELETE FROM hidden_topics WHERE account_id = ?`, accountID); err != nil {
			return err
		}
		for _, t := range topics {
			f := kindred.FoldTopic(t)
			if f == "" {
				continue
			}
			if _, err := tx.exec(ctx, `INSERT INTO hidden_topics (account_id, folded, topic, created_at) VALUES (?, ?, ?, ?)
				ON CONFLICT (account_id, folded) DO NOTHING`, accountID, f, t, ms(at)); err != nil {
				return err
			}
		}
		return nil
	})
	return storeErr("set hidden topics", "topic", err)
}

// hiddenAuthorsChunk bounds the ids in one IN list. Someone who blocked
// and muted more people than this sees the rest filtered by the service.
const hiddenAuthorsChunk = 500

func authorArgs(authors []string) []any {
	authors = authors[:min(len(authors), hiddenAuthorsChunk)]
	args := make([]any, len(authors))
	for i, a := range authors {
		args[i] = a
	}
	return args
}

// visiblePost is true for a post p whose author the reader sees; it takes
// the authors as arguments.
func visiblePost(alias string, n int) string {
	return `(` + alias + `.anonymous OR ` + alias + `.author_id NOT IN (` + placeholders(n) + `))`
}

// listThreadsHiding is ListThreads for a reader who hides some authors:
// their named threads are left out, and threads are ordered by the last
// post the reader sees, so a hidden reply does not bring a thread to the
// top. Counts and times are then corrected in one more query.
func (db *DB) listThreadsHiding(ctx context.Context, f kindred.ThreadFilter, limit, offset int) ([]*kindred.Thread, error) {
	hide := authorArgs(f.HideAuthors)
	n := len(hide)
	// hl is, per thread, the latest hidden post: only threads where a
	// hidden post is the latest need their visible activity computed.
	q := threadSelect + `
	LEFT JOIN (SELECT hp.thread_id, MAX(hp.created_at) AS last FROM posts hp
		WHERE NOT hp.anonymous AND hp.author_id IN (` + placeholders(n) + `) GROUP BY hp.thread_id) hl ON hl.thread_id = t.id
	WHERE t.group_id = ? AND (t.anonymous OR t.author_id NOT IN (` + placeholders(n) + `))
	ORDER BY CASE WHEN hl.last IS NULL OR hl.last < t.last_post_at THEN t.last_post_at
		ELSE (SELECT MAX(v.created_at) FROM posts v WHERE v.thread_id = t.id AND ` + visiblePost("v", n) + `) END DESC, t.id DESC
	LIMIT ? OFFSET ?`
	args := make([]any, 0, 3*n+3)
	args = append(args, hide...)
	args = append(args, f.GroupID)
	args = append(args, hide...)
	args = append(args, hide...)
	args = append(args, limit, offset)
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, storeErr("list threads", "thread", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Thread, error) {
		x := new(kindred.Thread)
		return x, s.Scan(threadDest(x)...)
	})
	if err != nil {
		return nil, storeErr("list threads", "thread", err)
	}
	if err := db.HidePostsInThreads(ctx, out, f.HideAuthors); err != nil {
		return nil, err
	}
	return out, nil
}

// HidePostsInThreads corrects the threads' ReplyCount and LastPostAt for
// a reader who does not see the named posts of authors, in one query for
// all of them.
func (db *DB) HidePostsInThreads(ctx context.Context, threads []*kindred.Thread, authors []string) error {
	if len(threads) == 0 || len(authors) == 0 {
		return nil
	}
	hide := authorArgs(authors)
	n := len(hide)
	byID := make(map[string]*kindred.Thread, len(threads))
	args := make([]any, 0, 2*n+len(threads))
	args = append(args, hide...)
	args = append(args, hide...)
	for _, t := range threads {
		if _, ok := byID[t.ID]; !ok {
			byID[t.ID] = t
			args = append(args, t.ID)
		}
	}
	rows, err := db.reader().query(ctx, `SELECT p.thread_id,
		SUM(CASE WHEN NOT p.anonymous AND p.author_id IN (`+placeholders(n)+`) AND p.id <> t.opening_post_id THEN 1 ELSE 0 END),
		MAX(CASE WHEN `+visiblePost("p", n)+` THEN p.created_at END)
		FROM posts p JOIN threads t ON t.id = p.thread_id
		WHERE p.thread_id IN (`+placeholders(len(byID))+`)
		GROUP BY p.thread_id`, args...)
	if err != nil {
		return storeErr("hide posts in threads", "thread", err)
	}
	_, err = collect(rows, func(s scanner) (struct{}, error) {
		var id string
		var hidden int64
		var last sql.NullInt64
		if err := s.Scan(&id, &hidden, &last); err != nil {
			return struct{}{}, err
		}
		t := byID[id]
		t.ReplyCount = max(t.ReplyCount-int(hidden), 0)
		if last.Valid && last.Int64 < ms(t.LastPostAt) {
			t.LastPostAt = time.UnixMilli(last.Int64).UTC()
		}
		return struct{}{}, nil
	})
	return storeErr("hide posts in threads", "thread", err)
}

// hidePostsWhere is the condition (and its arguments) that leaves hidden
// authors' named posts out of ListPosts.
func hidePostsWhere(authors []string) (string, []any) {
	if len(authors) == 0 {
		return "", nil
	}
	hide := authorArgs(authors)
	return ` AND ` + visiblePost("p", len(hide)), hide
}

// eraseMutes erases the account's mutes, blocks and hidden topics (the
// topics are its own words), and everyone else's mutes and blocks of it.
func eraseMutes(ctx context.Context, tx conn, accountID string) error {
	if _, err := tx.exec(ctx, `DELETE FROM hidden_topics WHERE account_id = ?`, accountID); err != nil {
		return err
	}
	if _, err := tx.exec(ctx, `DELETE FROM mutes WHERE account_id = ? OR muted_id = ?`, accountID, accountID); err != nil {
		return err
	}
	_, err := tx.exec(ctx, `DELETE FROM blocks WHERE account_id = ? OR blocked_id = ?`, accountID, accountID)
	return err
}
