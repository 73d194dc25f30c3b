package sqlstore

import (
	"context"
	"time"

	"kindred"
)

// Accounts, sessions and API tokens.

const accountCols = `a.id, a.handle, a.display_name, a.pronouns, a.bio, a.email, a.age_band,
	a.password_hash, a.is_operator, a.created_at, a.suspended_at, a.discreet`

func accountDest(a *kindred.Account) []any {
	return []any{&a.ID, &a.Handle, &a.DisplayName, &a.Pronouns, &a.Bio, &a.Email, &a.AgeBand,
		&a.PasswordHash, &a.IsOperator, timeCol{&a.CreatedAt}, nullTimeCol{&a.SuspendedAt}, &a.Discreet}
}

// CreateAccount stores a new account. The handle is unique ignoring case.
func (db *DB) CreateAccount(ctx context.Context, a *kindred.Account) error {
	fillID(&a.ID)
	fillCreated(&a.CreatedAt)
	a.SuspendedAt = normPtr(a.SuspendedAt)
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO accounts (id, handle, handle_norm, display_name, pronouns, bio,
			email, age_band, password_hash, is_operator, created_at, suspended_at, discreet)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			a.ID, a.Handle, kindred.NormalizeHandle(a.Handle), a.DisplayName, a.Pronouns, a.Bio,
			a.Email, string(a.AgeBand), a.PasswordHash, a.IsOperator, ms(a.CreatedAt), msPtr(a.SuspendedAt), string(a.Discreet))
		if isUniqueViolation(err) {
			return kindred.Errorf(kindred.ECONFLICT, "That handle is taken. Please choose another.")
		}
		return err
	})
	return storeErr("create account", "account", err)
}

// FindAccount returns the account with the id.
func (db *DB) FindAccount(ctx context.Context, id string) (*kindred.Account, error) {
	a := new(kindred.Account)
	err := db.reader().queryRow(ctx, `SELECT `+accountCols+` FROM accounts a WHERE a.id = ?`, id).
		Scan(accountDest(a)...)
	if err != nil {
		return nil, storeErr("find account", "account", err)
	}
	return a, nil
}

// FindAccountByHandle returns the account whose handle matches, ignoring
// case and a leading @.
func (db *DB) FindAccountByHandle(ctx context.Context, handle string) (*kindred.Account, error) {
	a := new(kindred.Account)
	err := db.reader().queryRow(ctx, `SELECT `+accountCols+` FROM accounts a WHERE a.handle_norm = ?`,
		kindred.NormalizeHandle(handle)).Scan(accountDest(a)...)
	if err != nil {
		return nil, storeErr("find account by handle", "account", err)
	}
	return a, nil
}

// UpdateAccount changes the fields given and returns the account.
func (db *DB) UpdateAccount(ctx context.Context, id string, u kindred.AccountUpdate) (*kindred.Account, error) {
	var set setList
	if u.DisplayName != nil {
		set.add("display_name", *u.DisplayName)
	}
	if u.Pronouns != nil {
		set.add("pronouns", *u.Pronouns)
	}
	if u.Bio != nil {
		set.add("bio", *u.Bio)
	}
	if u.Email != nil {
		set.add("email", *u.Email)
	}
	if u.PasswordHash != nil {
		set.add("password_hash", *u.PasswordHash)
	}
	if u.SuspendedAt != nil {
		set.add("suspended_at", msPtr(*u.SuspendedAt))
	}
	if u.Discreet != nil {
		set.add("discreet", string(*u.Discreet))
	}
	if set.empty() {
		return db.FindAccount(ctx, id)
	}
	a := new(kindred.Account)
	err := db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "account", `UPDATE accounts SET `+set.clause()+` WHERE id = ?`,
			append(set.args, id)...); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT `+accountCols+` FROM accounts a WHERE a.id = ?`, id).Scan(accountDest(a)...)
	})
	if err != nil {
		return nil, storeErr("update account", "account", err)
	}
	return a, nil
}

// CountAccounts returns how many accounts exist.
func (db *DB) CountAccounts(ctx context.Context) (int, error) {
	var n int
	if err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM accounts`).Scan(&n); err != nil {
		return 0, storeErr("count accounts", "account", err)
	}
	return n, nil
}

const sessionCols = `s.id, s.account_id, s.created_at, s.last_seen_at, s.expires_at, s.label, s.two_step`

func sessionDest(s *kindred.Session) []any {
	return []any{&s.ID, &s.AccountID, timeCol{&s.CreatedAt}, timeCol{&s.LastSeenAt}, timeCol{&s.ExpiresAt}, &s.Label, &s.TwoStep}
}

// CreateSession stores a new session. LastSeenAt defaults to CreatedAt.
func (db *DB) CreateSession(ctx context.Context, s *kindred.Session) error {
	fillID(&s.ID)
	fillCreated(&s.CreatedAt)
	if s.LastSeenAt.IsZero() {
		s.LastSeenAt = s.CreatedAt
	}
	s.LastSeenAt = norm(s.LastSeenAt)
	s.ExpiresAt = norm(s.ExpiresAt)
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO sessions (id, account_id, created_at, last_seen_at, expires_at, label, two_step)
			VALUES (?, ?, ?, ?, ?, ?, ?)`,
			s.ID, s.AccountID, ms(s.CreatedAt), ms(s.LastSeenAt), ms(s.ExpiresAt), s.Label, s.TwoStep)
		return err
	})
	return storeErr("create session", "session", err)
}

// FindSession returns the session and its account, or ENOTFOUND when the
// session does not exist or has expired at now.
func (db *DB) FindSession(ctx context.Context, id string, now time.Time) (*kindred.Session, *kindred.Account, error) {
	s, a := new(kindred.Session), new(kindred.Account)
	err := db.reader().queryRow(ctx, `SELECT `+sessionCols+`, `+accountCols+`
		FROM sessions s JOIN accounts a ON a.id = s.account_id
		WHERE s.id = ? AND s.expires_at > ?`, id, ms(now)).
		Scan(append(sessionDest(s), accountDest(a)...)...)
	if err != nil {
		return nil, nil, storeErr("find session", "session", err)
	}
	return s, a, nil
}

// TouchSession records activity and moves the expiry.
func (db *DB) TouchSession(ctx context.Context, id string, lastSeen, expires time.Time) error {
	err := db.inTx(ctx, func(tx conn) error {
		return tx.execOne(ctx, "session", `UPDATE sessions SET last_seen_at = ?, expires_at = ? WHERE id = ?`,
			ms(lastSeen), ms(expires), id)
	})
	return storeErr("touch session", "session", err)
}

// ListSessions returns the account's unexpired sessions, newest first.
func (db *DB) ListSessions(ctx context.Context, accountID string, now time.Time) ([]*kindred.Session, error) {
	rows, err := db.reader().query(ctx, `SELECT `+sessionCols+` FROM sessions s
		WHERE s.account_id = ? AND s.expires_at > ?
		ORDER BY s.created_at DESC, s.id DESC`, accountID, ms(now))
	if err != nil {
		return nil, storeErr("list sessions", "session", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Session, error) {
		x := new(kindred.Session)
		return x, s.Scan(sessionDest(x)...)
	})
	return out, storeErr("list sessions", "session", err)
}

// DeleteSession ends one session.
func (db *DB) DeleteSession(ctx context.Context, id string) error {
	err := db.inTx(ctx, func(tx conn) error {
		return tx.execOne(ctx, "session", `DELETE FROM sessions WHERE id = ?`, id)
	})
	return storeErr("delete session", "session", err)
}

// DeleteAccountSessions ends every session of the account and returns how
// many ended.
func (db *DB) DeleteAccountSessions(ctx context.Context, accountID string) (int, error) {
	var n int64
	err := db.inTx(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `DELETE FROM sessions WHERE account_id = ?`, accountID)
		if err != nil {
			return err
		}
		n, err = res.RowsAffected()
		return err
	})
	if err != nil {
		return 0, storeErr("delete account sessions", "session", err)
	}
	return int(n), nil
}

const tokenCols = `t.id, t.account_id, t.name, t.hash, t.created_at, t.last_used_at`

func tokenDest(t *kindred.Token) []any {
	return []any{&t.ID, &t.AccountID, &t.Name, &t.Hash, timeCol{&t.CreatedAt}, nullTimeCol{&t.LastUsedAt}}
}

// CreateToken stores a new API token.
func (db *DB) CreateToken(ctx context.Context, t *kindred.Token) error {
	fillID(&t.ID)
	fillCreated(&t.CreatedAt)
	t.LastUsedAt = normPtr(t.LastUsedAt)
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO tokens (id, account_id, name, hash, created_at, last_used_at)
			VALUES (?, ?, ?, ?, ?, ?)`,
			t.ID, t.AccountID, t.Name, t.Hash, ms(t.CreatedAt), msPtr(t.LastUsedAt))
		return err
	})
	return storeErr("create token", "token", err)
}

// FindTokenByHash returns the token and its account, and records the use
// at now.
func (db *DB) FindTokenByHash(ctx context.Context, hash string, now time.Time) (*kindred.Token, *kindred.Account, error) {
	t, a := new(kindred.Token), new(kindred.Account)
	err := db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "token", `UPDATE tokens SET last_used_at = ? WHERE hash = ?`, ms(now), hash); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT `+tokenCols+`, `+accountCols+`
			FROM tokens t JOIN accounts a ON a.id = t.account_id WHERE t.hash = ?`, hash).
			Scan(append(tokenDest(t), accountDest(a)...)...)
	})
	if err != nil {
		return nil, nil, storeErr("find token", "token", err)
	}
	return t, a, nil
}

// ListTokens returns the account's tokens, newest first.
func (db *DB) ListTokens(ctx context.Context, accountID string) ([]*kindred.Token, error) {
	rows, err := db.reader().query(ctx, `SELECT `+tokenCols+` FROM tokens t
		WHERE t.account_id = ? ORDER BY t.created_at DESC, t.id DESC`, accountID)
	if err != nil {
		return nil, storeErr("list tokens", "token", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Token, error) {
		x := new(kindred.Token)
		return x, s.Scan(tokenDest(x)...)
	})
	return out, storeErr("list tokens", "token", err)
}

// DeleteToken deletes one of the account's tokens; a token of another
// account is not found.
func (db *DB) DeleteToken(ctx context.Context, accountID, id string) error {
	err := db.inTx(ctx, func(tx conn) error {
		return tx.execOne(ctx, "token", `DELETE FROM tokens WHERE id = ? AND account_id = ?`, id, accountID)
	})
	return storeErr("delete token", "token", err)
}
