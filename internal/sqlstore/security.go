package sqlstore

import (
	"context"
	"time"

	"kindred"
)

// Account protection: passkeys, WebAuthn ceremonies, two-factor set-ups
// and recovery codes, login throttles and instance secrets.

const passkeyCols = `id, account_id, name, credential_id, credential, created_at, last_used_at`

func scanPasskey(sc scanner) (*kindred.Passkey, error) {
	p := new(kindred.Passkey)
	err := sc.Scan(&p.ID, &p.AccountID, &p.Name, &p.CredentialID, &p.Credential, timeCol{&p.CreatedAt}, nullTimeCol{&p.LastUsedAt})
	return p, err
}

// CreatePasskey stores a passkey; ECONFLICT when its credential id exists.
func (db *DB) CreatePasskey(ctx context.Context, p *kindred.Passkey) error {
	fillID(&p.ID)
	fillCreated(&p.CreatedAt)
	p.LastUsedAt = normPtr(p.LastUsedAt)
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO passkeys (`+passkeyCols+`) VALUES (?, ?, ?, ?, ?, ?, ?)`,
			p.ID, p.AccountID, p.Name, p.CredentialID, p.Credential, ms(p.CreatedAt), msPtr(p.LastUsedAt))
		return err
	})
	return storeErr("create passkey", "passkey", err)
}

// ListPasskeys returns the account's passkeys, oldest first.
func (db *DB) ListPasskeys(ctx context.Context, accountID string) ([]*kindred.Passkey, error) {
	rows, err := db.reader().query(ctx, `SELECT `+passkeyCols+` FROM passkeys WHERE account_id = ? ORDER BY created_at, id`, accountID)
	if err != nil {
		return nil, storeErr("list passkeys", "passkey", err)
	}
	out, err := collect(rows, scanPasskey)
	return out, storeErr("list passkeys", "passkey", err)
}

// FindPasskeyByCredentialID returns the passkey with that credential id.
func (db *DB) FindPasskeyByCredentialID(ctx context.Context, credentialID []byte) (*kindred.Passkey, error) {
	p, err := scanPasskey(db.reader().queryRow(ctx, `SELECT `+passkeyCols+` FROM passkeys WHERE credential_id = ?`, credentialID))
	if err != nil {
		return nil, storeErr("find passkey", "passkey", err)
	}
	return p, nil
}

// UsePasskey records a sign-in with the passkey.
func (db *DB) UsePasskey(ctx context.Context, id string, credential []byte, at time.Time) error {
	err := db.inTx(ctx, func(tx conn) error {
		return tx.execOne(ctx, "passkey", `UPDATE passkeys SET credential = ?, last_used_at = ? WHERE id = ?`, credential, ms(at), id)
	})
	return storeErr("use passkey", "passkey", err)
}

// DeletePasskey removes one of the account's passkeys.
func (db *DB) DeletePasskey(ctx context.Context, accountID, id string) error {
	err := db.inTx(ctx, func(tx conn) error {
		return tx.execOne(ctx, "passkey", `DELETE FROM passkeys WHERE account_id = ? AND id = ?`, accountID, id)
	})
	return storeErr("delete passkey", "passkey", err)
}

// WebAuthnUserHandle returns the account's user handle, storing candidate
// the first time.
func (db *DB) WebAuthnUserHandle(ctx context.Context, accountID string, candidate []byte) ([]byte, error) {
	var h []byte
	err := db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `INSERT INTO webauthn_handles (account_id, handle) VALUES (?, ?) ON CONFLICT (account_id) DO NOTHING`,
			accountID, candidate); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT handle FROM webauthn_handles WHERE account_id = ?`, accountID).Scan(&h)
	})
	if err != nil {
		return nil, storeErr("webauthn user handle", "account", err)
	}
	return h, nil
}

// FindAccountByWebAuthnHandle returns the account with that user handle.
func (db *DB) FindAccountByWebAuthnHandle(ctx context.Context, handle []byte) (*kindred.Account, error) {
	a := new(kindred.Account)
	err := db.reader().queryRow(ctx, `SELECT `+accountCols+` FROM webauthn_handles w JOIN accounts a ON a.id = w.account_id
		WHERE w.handle = ?`, handle).Scan(accountDest(a)...)
	if err != nil {
		return nil, storeErr("find account by webauthn handle", "account", err)
	}
	return a, nil
}

// SaveWebAuthnCeremony stores a ceremony in progress, and sweeps out
// ceremonies that expired long ago.
func (db *DB) SaveWebAuthnCeremony(ctx context.Context, c *kindred.WebAuthnCeremony) error {
	fillID(&c.ID)
	c.ExpiresAt = norm(c.ExpiresAt)
	err := db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `DELETE FROM webauthn_ceremonies WHERE expires_at < ?`, ms(c.ExpiresAt.Add(-time.Hour))); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO webauthn_ceremonies (id, kind, account_id, data, expires_at) VALUES (?, ?, ?, ?, ?)`,
			c.ID, c.Kind, nullIfEmpty(c.AccountID), c.Data, ms(c.ExpiresAt))
		return err
	})
	return storeErr("save webauthn ceremony", "account", err)
}

// TakeWebAuthnCeremony removes the ceremony and returns it; ENOTFOUND when
// it is gone or expired at now. Removing it first makes it single use even
// when two requests race.
func (db *DB) TakeWebAuthnCeremony(ctx context.Context, id string, now time.Time) (*kindred.WebAuthnCeremony, error) {
	c := new(kindred.WebAuthnCeremony)
	err := db.inTx(ctx, func(tx conn) error {
		var acct *string
		if err := tx.queryRow(ctx, `DELETE FROM webauthn_ceremonies WHERE id = ? RETURNING id, kind, account_id, data, expires_at`, id).
			Scan(&c.ID, &c.Kind, &acct, &c.Data, timeCol{&c.ExpiresAt}); err != nil {
			return err
		}
		if acct != nil {
			c.AccountID = *acct
		}
		return nil
	})
	if err != nil {
		return nil, storeErr("take webauthn ceremony", "sign-in attempt", err)
	}
	if !c.ExpiresAt.After(now) {
		return nil, notFound("sign-in attempt")
	}
	return c, nil
}

// SaveTwoFactor creates or replaces the account's set-up; its recovery
// codes go with the old one.
func (db *DB) SaveTwoFactor(ctx context.Context, f *kindred.TwoFactor) error {
	fillCreated(&f.CreatedAt)
	f.EnabledAt = normPtr(f.EnabledAt)
	err := db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `DELETE FROM recovery_codes WHERE account_id = ?`, f.AccountID); err != nil {
			return err
		}
		_, err := tx.exec(ctx, `INSERT INTO two_factor (account_id, secret, enabled_at, last_step, created_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (account_id) DO UPDATE SET secret = excluded.secret, enabled_at = excluded.enabled_at,
			last_step = excluded.last_step, created_at = excluded.created_at`,
			f.AccountID, f.Secret, msPtr(f.EnabledAt), f.LastStep, ms(f.CreatedAt))
		return err
	})
	return storeErr("save two-factor", "account", err)
}

// FindTwoFactor returns the account's set-up.
func (db *DB) FindTwoFactor(ctx context.Context, accountID string) (*kindred.TwoFactor, error) {
	f := new(kindred.TwoFactor)
	err := db.reader().queryRow(ctx, `SELECT account_id, secret, enabled_at, last_step, created_at FROM two_factor WHERE account_id = ?`, accountID).
		Scan(&f.AccountID, &f.Secret, nullTimeCol{&f.EnabledAt}, &f.LastStep, timeCol{&f.CreatedAt})
	if err != nil {
		return nil, storeErr("find two-factor", "two-step set-up", err)
	}
	return f, nil
}

// EnableTwoFactor confirms the set-up and stores the recovery codes.
func (db *DB) EnableTwoFactor(ctx context.Context, accountID string, step int64, at time.Time, recoveryHashes []string) error {
	err := db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "two-step set-up", `UPDATE two_factor SET enabled_at = ?, last_step = ? WHERE account_id = ?`,
			ms(at), step, accountID); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `DELETE FROM recovery_codes WHERE account_id = ?`, accountID); err != nil {
			return err
		}
		for _, h := range recoveryHashes {
			if _, err := tx.exec(ctx, `INSERT INTO recovery_codes (account_id, hash) VALUES (?, ?)`, accountID, h); err != nil {
				return err
			}
		}
		return nil
	})
	return storeErr("enable two-factor", "two-step set-up", err)
}

// UseTOTPStep records step as used, atomically: of two requests with the
// same code, one wins.
func (db *DB) UseTOTPStep(ctx context.Context, accountID string, step int64) error {
	err := db.inTx(ctx, func(tx conn) error {
		return tx.execOne(ctx, "two-step set-up", `UPDATE two_factor SET last_step = ? WHERE account_id = ? AND last_step < ?`,
			step, accountID, step)
	})
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return kindred.Errorf(kindred.ECONFLICT, "That code was used already.")
	}
	return storeErr("use totp step", "two-step set-up", err)
}

// UseRecoveryCode removes one recovery code.
func (db *DB) UseRecoveryCode(ctx context.Context, accountID, hash string) error {
	err := db.inTx(ctx, func(tx conn) error {
		return tx.execOne(ctx, "recovery code", `DELETE FROM recovery_codes WHERE account_id = ? AND hash = ?`, accountID, hash)
	})
	return storeErr("use recovery code", "recovery code", err)
}

// CountRecoveryCodes counts the account's unused recovery codes.
func (db *DB) CountRecoveryCodes(ctx context.Context, accountID string) (int, error) {
	var n int
	err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM recovery_codes WHERE account_id = ?`, accountID).Scan(&n)
	return n, storeErr("count recovery codes", "recovery code", err)
}

// DeleteTwoFactor removes the set-up and its recovery codes.
func (db *DB) DeleteTwoFactor(ctx context.Context, accountID string) error {
	err := db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `DELETE FROM recovery_codes WHERE account_id = ?`, accountID); err != nil {
			return err
		}
		return tx.execOne(ctx, "two-step set-up", `DELETE FROM two_factor WHERE account_id = ?`, accountID)
	})
	return storeErr("delete two-factor", "two-step set-up", err)
}

// AccountTwoStepNeeds answers both questions in one round trip: it runs
// on every request of a password-only session.
func (db *DB) AccountTwoStepNeeds(ctx context.Context, accountID string) (kindred.TwoStepNeeds, error) {
	var n kindred.TwoStepNeeds
	err := db.reader().queryRow(ctx, `SELECT
		EXISTS (SELECT 1 FROM two_factor WHERE account_id = ? AND enabled_at IS NOT NULL),
		EXISTS (SELECT 1 FROM memberships WHERE account_id = ? AND status = ? AND (roles & ?) <> 0)`,
		accountID, accountID, string(kindred.StatusActive), int64(kindred.TwoStepRoles)).Scan(&n.HasTOTP, &n.Staff)
	return n, storeErr("two-step needs", "account", err)
}

// MarkSessionTwoStep records how the session passed the second step.
func (db *DB) MarkSessionTwoStep(ctx context.Context, sessionID, method string, expires time.Time) error {
	err := db.inTx(ctx, func(tx conn) error {
		return tx.execOne(ctx, "session", `UPDATE sessions SET two_step = ?, expires_at = ? WHERE id = ?`, method, ms(expires), sessionID)
	})
	return storeErr("mark session two-step", "session", err)
}

func scanThrottle(sc scanner) (*kindred.LoginThrottle, error) {
	l := new(kindred.LoginThrottle)
	err := sc.Scan(&l.Key, &l.Failures, timeCol{&l.LastFailure}, nullTimeCol{&l.LockedUntil})
	return l, err
}

const throttleSelect = `SELECT throttle_key, failures, last_failure, locked_until FROM login_throttles WHERE throttle_key = ?`

// FindLoginThrottle returns the failures counted under key.
func (db *DB) FindLoginThrottle(ctx context.Context, key string) (*kindred.LoginThrottle, error) {
	l, err := scanThrottle(db.reader().queryRow(ctx, throttleSelect, key))
	if err != nil {
		return nil, storeErr("find login throttle", "login throttle", err)
	}
	return l, nil
}

// RecordLoginFailure counts one failure, atomically, so that concurrent
// attempts on several nodes all count.
func (db *DB) RecordLoginFailure(ctx context.Context, key string, now, staleBefore time.Time) (*kindred.LoginThrottle, error) {
	var l *kindred.LoginThrottle
	err := db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `DELETE FROM login_throttles WHERE last_failure < ? AND (locked_until IS NULL OR locked_until < ?)`,
			ms(staleBefore.Add(-24*time.Hour)), ms(now)); err != nil {
			return err
		}
		if _, err := tx.exec(ctx, `INSERT INTO login_throttles (throttle_key, failures, last_failure, locked_until) VALUES (?, 1, ?, NULL)
			ON CONFLICT (throttle_key) DO UPDATE SET
			failures = CASE WHEN login_throttles.last_failure < ? THEN 1 ELSE login_throttles.failures + 1 END,
			locked_until = CASE WHEN login_throttles.last_failure < ? THEN NULL ELSE login_throttles.locked_until END,
			last_failure = excluded.last_failure`, key, ms(now), ms(staleBefore), ms(staleBefore)); err != nil {
			return err
		}
		var err error
		l, err = scanThrottle(tx.queryRow(ctx, throttleSelect, key))
		return err
	})
	if err != nil {
		return nil, storeErr("record login failure", "login throttle", err)
	}
	return l, nil
}

// LockLogin refuses log-ins under key until the time given.
func (db *DB) LockLogin(ctx context.Context, key string, until time.Time) error {
	err := db.inTx(ctx, func(tx conn) error {
		return tx.execOne(ctx, "login throttle", `UPDATE login_throttles SET locked_until = ? WHERE throttle_key = ?`, ms(until), key)
	})
	return storeErr("lock login", "login throttle", err)
}

// ClearLoginFailures forgets the failures under key.
func (db *DB) ClearLoginFailures(ctx context.Context, key string) error {
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `DELETE FROM login_throttles WHERE throttle_key = ?`, key)
		return err
	})
	return storeErr("clear login failures", "login throttle", err)
}

// InstanceSecret returns the named secret, storing candidate the first
// time; every node then reads the same one.
func (db *DB) InstanceSecret(ctx context.Context, name string, candidate []byte) ([]byte, error) {
	var v []byte
	err := db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `INSERT INTO instance_secrets (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING`, name, candidate); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT value FROM instance_secrets WHERE name = ?`, name).Scan(&v)
	})
	if err != nil {
		return nil, storeErr("instance secret", "secret", err)
	}
	return v, nil
}

// eraseSecurity erases what the security tables hold about the account.
// Most rows go with the account (ON DELETE CASCADE); this removes them
// first, explicitly, so that nothing depends on the cascade. Login
// throttles are keyed by HMACs and never name the account.
func eraseSecurity(ctx context.Context, tx conn, accountID string) error {
	for _, q := range []string{
		`DELETE FROM passkeys WHERE account_id = ?`,
		`DELETE FROM webauthn_handles WHERE account_id = ?`,
		`DELETE FROM webauthn_ceremonies WHERE account_id = ?`,
		`DELETE FROM recovery_codes WHERE account_id = ?`,
		`DELETE FROM two_factor WHERE account_id = ?`,
	} {
		if _, err := tx.exec(ctx, q, accountID); err != nil {
			return err
		}
	}
	return nil
}
