package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"kindred"
)

// Uploaded images' records; the bytes live in the uploads directory, kept
// by internal/uploads.

const uploadCols = `id, account_id, org_id, group_id, kind, file, content_type, size, width, height, created_at`

func scanUpload(sc scanner) (*kindred.Upload, error) {
	u := new(kindred.Upload)
	err := sc.Scan(&u.ID, &u.AccountID, nullStringCol{&u.OrgID}, nullStringCol{&u.GroupID}, &u.Kind, &u.File,
		&u.ContentType, &u.Size, &u.Width, &u.Height, timeCol{&u.CreatedAt})
	return u, err
}

func insertUpload(ctx context.Context, tx conn, u *kindred.Upload) error {
	_, err := tx.exec(ctx, `INSERT INTO uploads (`+uploadCols+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		u.ID, u.AccountID, nullIfEmpty(u.OrgID), nullIfEmpty(u.GroupID), string(u.Kind), u.File, u.ContentType,
		u.Size, u.Width, u.Height, ms(u.CreatedAt))
	return err
}

// CreateUpload stores an upload's record, filling ID and CreatedAt when
// empty. An avatar goes through ReplaceAvatar instead (one per account).
func (db *DB) CreateUpload(ctx context.Context, u *kindred.Upload) error {
	fillID(&u.ID)
	fillCreated(&u.CreatedAt)
	err := db.inTx(ctx, func(tx conn) error { return insertUpload(ctx, tx, u) })
	return storeErr("create upload", "upload", err)
}

// FindUpload returns one upload's record.
func (db *DB) FindUpload(ctx context.Context, id string) (*kindred.Upload, error) {
	u, err := scanUpload(db.reader().queryRow(ctx, `SELECT `+uploadCols+` FROM uploads WHERE id = ?`, id))
	if err != nil {
		return nil, storeErr("find upload", "upload", err)
	}
	return u, nil
}

// ListAccountUploads returns the account's uploads, oldest first.
func (db *DB) ListAccountUploads(ctx context.Context, accountID string) ([]*kindred.Upload, error) {
	rows, err := db.reader().query(ctx, `SELECT `+uploadCols+` FROM uploads WHERE account_id = ?
		ORDER BY created_at, id`, accountID)
	if err != nil {
		return nil, storeErr("list uploads", "upload", err)
	}
	out, err := collect(rows, scanUpload)
	return out, storeErr("list uploads", "upload", err)
}

// DeleteUpload removes one upload's record; ENOTFOUND when there is none.
func (db *DB) DeleteUpload(ctx context.Context, id string) error {
	err := db.inTx(ctx, func(tx conn) error {
		return tx.execOne(ctx, "upload", `DELETE FROM uploads WHERE id = ?`, id)
	})
	return storeErr("delete upload", "upload", err)
}

// ReplaceAvatar stores u as its account's avatar, removing the record of
// the previous one (returned, or nil) in the same transaction, so an
// account never has two.
func (db *DB) ReplaceAvatar(ctx context.Context, u *kindred.Upload) (*kindred.Upload, error) {
	fillID(&u.ID)
	fillCreated(&u.CreatedAt)
	u.Kind = kindred.UploadAvatar
	var prev *kindred.Upload
	err := db.inTx(ctx, func(tx conn) error {
		old, err := scanUpload(tx.queryRow(ctx, `SELECT `+uploadCols+` FROM uploads WHERE account_id = ? AND kind = 'avatar'`, u.AccountID))
		switch {
		case err == nil:
			prev = old
			if _, err := tx.exec(ctx, `DELETE FROM uploads WHERE id = ?`, old.ID); err != nil {
				return err
			}
		case !errors.Is(err, sql.ErrNoRows):
			return err
		}
		return insertUpload(ctx, tx, u)
	})
	if err != nil {
		return nil, storeErr("replace avatar", "account", err)
	}
	return prev, nil
}

// FindAvatars returns the avatars of the accounts given that have one.
func (db *DB) FindAvatars(ctx context.Context, accountIDs []string) (map[string]*kindred.Upload, error) {
	out := map[string]*kindred.Upload{}
	if len(accountIDs) == 0 {
		return out, nil
	}
	args := make([]any, len(accountIDs))
	for i, id := range accountIDs {
		args[i] = id
	}
	rows, err := db.reader().query(ctx, `SELECT `+uploadCols+` FROM uploads WHERE kind = 'avatar' AND account_id IN (`+
		placeholders(len(args))+`)`, args...)
	if err != nil {
		return nil, storeErr("find avatars", "upload", err)
	}
	list, err := collect(rows, scanUpload)
	if err != nil {
		return nil, storeErr("find avatars", "upload", err)
	}
	for _, u := range list {
		out[u.AccountID] = u
	}
	return out, nil
}

// ShareOrganization reports whether the two accounts are both active
// members of some organisation.
func (db *DB) ShareOrganization(ctx context.Context, a, b string) (bool, error) {
	ok, err := db.reader().exists(ctx, `SELECT 1 FROM memberships m1 JOIN memberships m2 ON m2.org_id = m1.org_id
		WHERE m1.account_id = ? AND m1.status = 'active' AND m2.account_id = ? AND m2.status = 'active' LIMIT 1`, a, b)
	if err != nil {
		return false, storeErr("share organisation", "membership", err)
	}
	return ok, nil
}

// eraseUploads erases the account's upload records. The files themselves
// are removed by the uploads service (EraseAccountFiles), which the
// account's erasure calls too.
func eraseUploads(ctx context.Context, tx conn, accountID string) error {
	if _, err := tx.exec(ctx, `DELETE FROM uploads WHERE account_id = ?`, accountID); err != nil {
		return fmt.Errorf("erase uploads: %w", err)
	}
	return nil
}
