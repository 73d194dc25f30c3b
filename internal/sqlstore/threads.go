package sqlstore

import (
	"context"
	"errors"
	"time"

	"kindred"
)

// Threads, posts and reactions.

// authorName is how an author appears in the group's organisation: the
// per-organisation display name, else the account's, else the handle. It
// needs the joins of threadSelect or postSelect (a: author, m: the author's
// membership of the group's organisation). Anonymity is not applied here:
// the store fills names for every post and the services decide who may see
// them.
const authorName = `COALESCE(NULLIF(m.display_name, ''), NULLIF(a.display_name, ''), a.handle)`

const threadSelect = `SELECT t.id, t.group_id, t.kind, t.title, t.author_id, t.anonymous, t.created_at,
	t.last_post_at, t.reply_count, t.opening_post_id,
	a.handle, ` + authorName + `, COALESCE(op.content_warning, ''), COALESCE(op.hidden, '')
	FROM threads t
	JOIN peer_groups g ON g.id = t.group_id
	JOIN accounts a ON a.id = t.author_id
	LEFT JOIN memberships m ON m.org_id = g.org_id AND m.account_id = t.author_id
	LEFT JOIN posts op ON op.id = t.opening_post_id`

func threadDest(t *kindred.Thread) []any {
	return []any{&t.ID, &t.GroupID, &t.Kind, &t.Title, &t.AuthorID, &t.Anonymous, timeCol{&t.CreatedAt},
		timeCol{&t.LastPostAt}, &t.ReplyCount, &t.OpeningPost,
		&t.AuthorHandle, &t.AuthorName, &t.ContentWarning, &t.OpeningHidden}
}

// postSelect reads posts with their authors in one query: a thread page
// renders it, so there must be no query per post.
const postSelect = `SELECT p.id, p.thread_id, p.author_id, p.anonymous, p.body, p.body_html,
	p.content_warning, p.created_at, p.edited_at, p.deleted_at, p.deleted_by,
	a.handle, ` + authorName + `, a.pronouns, p.hidden
	FROM posts p
	JOIN threads t ON t.id = p.thread_id
	JOIN peer_groups g ON g.id = t.group_id
	JOIN accounts a ON a.id = p.author_id
	LEFT JOIN memberships m ON m.org_id = g.org_id AND m.account_id = p.author_id`

func postDest(p *kindred.Post) []any {
	return []any{&p.ID, &p.ThreadID, &p.AuthorID, &p.Anonymous, &p.Body, &p.BodyHTML,
		&p.ContentWarning, timeCol{&p.CreatedAt}, nullTimeCol{&p.EditedAt}, nullTimeCol{&p.DeletedAt},
		nullStringCol{&p.DeletedBy}, &p.AuthorHandle, &p.AuthorName, &p.AuthorPronouns, &p.Hidden}
}

// CreateThread stores the thread and its opening post together. It sets
// t.OpeningPost, t.LastPostAt (= t.CreatedAt) and opening.ThreadID; the
// opening post defaults to the thread's author and time, and is anonymous
// whenever the thread is.
func (db *DB) CreateThread(ctx context.Context, t *kindred.Thread, opening *kindred.Post) error {
	if opening == nil {
		return errors.New("create thread: a thread needs an opening post")
	}
	fillID(&t.ID)
	fillCreated(&t.CreatedAt)
	fillID(&opening.ID)
	opening.ThreadID = t.ID
	if opening.AuthorID == "" {
		opening.AuthorID = t.AuthorID
	}
	if opening.CreatedAt.IsZero() {
		opening.CreatedAt = t.CreatedAt
	}
	opening.CreatedAt = norm(opening.CreatedAt)
	opening.EditedAt = normPtr(opening.EditedAt)
	opening.Anonymous = opening.Anonymous || t.Anonymous
	t.OpeningPost = opening.ID
	t.LastPostAt = t.CreatedAt
	t.ReplyCount = 0
	t.ContentWarning = opening.ContentWarning
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO threads (id, group_id, kind, title, author_id, anonymous, created_at,
			last_post_at, reply_count, opening_post_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?)`,
			t.ID, t.GroupID, string(t.Kind), t.Title, t.AuthorID, t.Anonymous, ms(t.CreatedAt),
			ms(t.LastPostAt), t.OpeningPost)
		if err != nil {
			return err
		}
		return insertPost(ctx, tx, opening)
	})
	return storeErr("create thread", "thread", err)
}

func insertPost(ctx context.Context, tx conn, p *kindred.Post) error {
	_, err := tx.exec(ctx, `INSERT INTO posts (id, thread_id, author_id, anonymous, body, body_html,
		content_warning, created_at, edited_at, hidden) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		p.ID, p.ThreadID, p.AuthorID, p.Anonymous, p.Body, p.BodyHTML,
		p.ContentWarning, ms(p.CreatedAt), msPtr(p.EditedAt), string(p.Hidden))
	return err
}

// FindThread returns the thread with the id, with its author's names and
// the opening post's content warning.
func (db *DB) FindThread(ctx context.Context, id string) (*kindred.Thread, error) {
	t := new(kindred.Thread)
	if err := db.reader().queryRow(ctx, threadSelect+` WHERE t.id = ?`, id).Scan(threadDest(t)...); err != nil {
		return nil, storeErr("find thread", "thread", err)
	}
	return t, nil
}

// ListThreads returns a group's threads, latest activity first. Limit 0
// means 50; at most 200.
func (db *DB) ListThreads(ctx context.Context, f kindred.ThreadFilter) ([]*kindred.Thread, error) {
	limit, offset := page(f.Limit, f.Offset, defaultPageSize, maxPageSize)
	if len(f.HideAuthors) > 0 { // blocks and mutes (mutes.go)
		return db.listThreadsHiding(ctx, f, limit, offset)
	}
	rows, err := db.reader().query(ctx, threadSelect+` WHERE t.group_id = ?
		ORDER BY t.last_post_at DESC, t.id DESC LIMIT ? OFFSET ?`, f.GroupID, limit, offset)
	if err != nil {
		return nil, storeErr("list threads", "thread", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Thread, error) {
		x := new(kindred.Thread)
		return x, s.Scan(threadDest(x)...)
	})
	return out, storeErr("list threads", "thread", err)
}

// CreatePost stores a reply and moves the thread's reply count and last
// activity, together. A reply moderation holds back (p.Hidden) moves
// neither: others must not learn it exists.
func (db *DB) CreatePost(ctx context.Context, p *kindred.Post) error {
	fillID(&p.ID)
	fillCreated(&p.CreatedAt)
	p.EditedAt = normPtr(p.EditedAt)
	err := db.inTx(ctx, func(tx conn) error {
		// Updating the thread first takes its row lock on PostgreSQL, so
		// concurrent replies to one thread count correctly; last activity
		// never moves backwards for a reply stamped earlier.
		bump := 1
		if p.Hidden != kindred.PostVisible {
			bump = 0
		}
		if err := tx.execOne(ctx, "thread", `UPDATE threads SET reply_count = reply_count + ?,
			last_post_at = CASE WHEN last_post_at < ? AND ? = 1 THEN ? ELSE last_post_at END
			WHERE id = ?`, bump, ms(p.CreatedAt), bump, ms(p.CreatedAt), p.ThreadID); err != nil {
			return err
		}
		// A reply is never older than the thread it answers (clocks of
		// several nodes can disagree), so ordering posts by time alone puts
		// the opening post first and ListPosts can walk the index unsorted.
		var started int64
		if err := tx.queryRow(ctx, `SELECT created_at FROM threads WHERE id = ?`, p.ThreadID).Scan(&started); err != nil {
			return err
		}
		if ms(p.CreatedAt) <= started {
			p.CreatedAt = time.UnixMilli(started + 1).UTC()
		}
		return insertPost(ctx, tx, p)
	})
	return storeErr("create post", "post", err)
}

// FindPost returns the post with the id, with its author's names.
func (db *DB) FindPost(ctx context.Context, id string) (*kindred.Post, error) {
	p := new(kindred.Post)
	if err := db.reader().queryRow(ctx, postSelect+` WHERE p.id = ?`, id).Scan(postDest(p)...); err != nil {
		return nil, storeErr("find post", "post", err)
	}
	return p, nil
}

// ListPosts returns a thread's posts: the opening post first, then replies
// oldest first (CreatePost keeps every reply later than the opening post,
// so time order is enough and the index serves it). Limit 0 means 50; at
// most 200.
func (db *DB) ListPosts(ctx context.Context, f kindred.PostFilter) ([]*kindred.Post, error) {
	limit, offset := page(f.Limit, f.Offset, defaultPageSize, maxPageSize)
	hide, hideArgs := hidePostsWhere(f.HideAuthors) // blocks and mutes (mutes.go)
	// Posts moderation hides are listed for their author alone.
	args := append(append([]any{f.ThreadID, f.ViewerID}, hideArgs...), limit, offset)
	rows, err := db.reader().query(ctx, postSelect+` WHERE p.thread_id = ? AND (p.hidden = '' OR p.author_id = ?)`+hide+`
		ORDER BY p.created_at, p.id
		LIMIT ? OFFSET ?`, args...)
	if err != nil {
		return nil, storeErr("list posts", "post", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Post, error) {
		x := new(kindred.Post)
		return x, s.Scan(postDest(x)...)
	})
	return out, storeErr("list posts", "post", err)
}

// UpdatePost replaces a post's text and returns the post. A deleted post
// cannot be edited: it is not found.
func (db *DB) UpdatePost(ctx context.Context, id string, u kindred.PostUpdate) (*kindred.Post, error) {
	editedAt := norm(u.EditedAt)
	if u.EditedAt.IsZero() {
		editedAt = now()
	}
	p := new(kindred.Post)
	err := db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "post", `UPDATE posts SET body = ?, body_html = ?, content_warning = ?, edited_at = ?
			WHERE id = ? AND deleted_at IS NULL`, u.Body, u.BodyHTML, u.ContentWarning, ms(editedAt), id); err != nil {
			return err
		}
		return tx.queryRow(ctx, postSelect+` WHERE p.id = ?`, id).Scan(postDest(p)...)
	})
	if err != nil {
		return nil, storeErr("update post", "post", err)
	}
	return p, nil
}

// DeletePost marks the post deleted and blanks its text, content warning
// included (a warning can say as much as the post). The post stays so
// replies keep their place. Deleting it again changes nothing.
func (db *DB) DeletePost(ctx context.Context, id, deletedBy string, at time.Time) error {
	err := db.inTx(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `UPDATE posts SET deleted_at = ?, deleted_by = ?, body = '', body_html = '',
			content_warning = '' WHERE id = ? AND deleted_at IS NULL`, ms(at), nullIfEmpty(deletedBy), id)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		found, err := tx.exists(ctx, `SELECT 1 FROM posts WHERE id = ?`, id)
		if err == nil && !found {
			return notFound("post")
		}
		return err
	})
	return storeErr("delete post", "post", err)
}

// AddReaction records a reaction; adding the same one again changes
// nothing.
func (db *DB) AddReaction(ctx context.Context, r *kindred.Reaction) error {
	fillCreated(&r.CreatedAt)
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO reactions (post_id, account_id, kind, created_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (post_id, account_id, kind) DO NOTHING`,
			r.PostID, r.AccountID, string(r.Kind), ms(r.CreatedAt))
		return err
	})
	return storeErr("add reaction", "reaction", err)
}

// RemoveReaction takes a reaction back.
func (db *DB) RemoveReaction(ctx context.Context, postID, accountID string, kind kindred.ReactionKind) error {
	err := db.inTx(ctx, func(tx conn) error {
		return tx.execOne(ctx, "reaction", `DELETE FROM reactions WHERE post_id = ? AND account_id = ? AND kind = ?`,
			postID, accountID, string(kind))
	})
	return storeErr("remove reaction", "reaction", err)
}

// summaryChunk bounds the ids in one IN list, well under both databases'
// parameter limits; a thread page asks for at most maxPageSize.
const summaryChunk = 500

// SummarizeReactions counts reactions for each post id given, and marks
// the viewer's own. Posts without reactions get an empty summary; the maps
// are never nil.
func (db *DB) SummarizeReactions(ctx context.Context, postIDs []string, viewerID string) (map[string]*kindred.ReactionSummary, error) {
	out := make(map[string]*kindred.ReactionSummary, len(postIDs))
	var ids []string
	for _, id := range postIDs {
		if _, ok := out[id]; !ok {
			out[id] = &kindred.ReactionSummary{Counts: map[kindred.ReactionKind]int{}, Mine: map[kindred.ReactionKind]bool{}}
			ids = append(ids, id)
		}
	}
	for len(ids) > 0 {
		chunk := ids[:min(len(ids), summaryChunk)]
		ids = ids[len(chunk):]
		args := make([]any, 0, len(chunk)+1)
		args = append(args, viewerID)
		for _, id := range chunk {
			args = append(args, id)
		}
		rows, err := db.reader().query(ctx, `SELECT post_id, kind, COUNT(*),
			MAX(CASE WHEN account_id = ? THEN 1 ELSE 0 END)
			FROM reactions WHERE post_id IN (`+placeholders(len(chunk))+`)
			GROUP BY post_id, kind`, args...)
		if err != nil {
			return nil, storeErr("summarize reactions", "reaction", err)
		}
		_, err = collect(rows, func(s scanner) (struct{}, error) {
			var postID string
			var kind kindred.ReactionKind
			var count, mine int
			if err := s.Scan(&postID, &kind, &count, &mine); err != nil {
				return struct{}{}, err
			}
			sum := out[postID]
			sum.Counts[kind] = count
			if mine == 1 {
				sum.Mine[kind] = true
			}
			return struct{}{}, nil
		})
		if err != nil {
			return nil, storeErr("summarize reactions", "reaction", err)
		}
	}
	return out, nil
}
