package sqlstore

import (
	"context"
	"math"
	"strings"
	"time"

	"kindred"
)

// Organisations, their memberships and invitations.

const orgCols = `o.id, o.slug, o.name, o.kind, o.join_policy, o.description, o.code_of_conduct,
	o.listed, o.created_at`

func orgDest(o *kindred.Organization) []any {
	return []any{&o.ID, &o.Slug, &o.Name, &o.Kind, &o.JoinPolicy, &o.Description, &o.CodeOfConduct,
		&o.Listed, timeCol{&o.CreatedAt}}
}

// noLimit stands in for "all rows" where a listing has an offset but no
// limit: SQLite cannot take OFFSET without LIMIT, and PostgreSQL's
// LIMIT ALL is not SQLite's LIMIT -1.
const noLimit = math.MaxInt32

// CreateOrganization stores the organisation and, when first is not nil,
// its first membership (the person who created it), together. first's
// OrgID is set; an empty Status becomes active.
func (db *DB) CreateOrganization(ctx context.Context, o *kindred.Organization, first *kindred.Membership) error {
	fillID(&o.ID)
	fillCreated(&o.CreatedAt)
	if first != nil {
		first.OrgID = o.ID
		if first.CreatedAt.IsZero() {
			first.CreatedAt = o.CreatedAt
		}
		if first.Status == "" {
			first.Status = kindred.StatusActive
		}
	}
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO organizations (id, slug, name, kind, join_policy, description,
			code_of_conduct, listed, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			o.ID, o.Slug, o.Name, string(o.Kind), string(o.JoinPolicy), o.Description,
			o.CodeOfConduct, o.Listed, ms(o.CreatedAt))
		if isUniqueViolation(err) {
			return kindred.Errorf(kindred.ECONFLICT, "That web address is already in use. Please choose another.")
		}
		if err != nil || first == nil {
			return err
		}
		return insertMembership(ctx, tx, first)
	})
	return storeErr("create organization", "organisation", err)
}

// FindOrganization returns the organisation with the id.
func (db *DB) FindOrganization(ctx context.Context, id string) (*kindred.Organization, error) {
	o := new(kindred.Organization)
	err := db.reader().queryRow(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.id = ?`, id).Scan(orgDest(o)...)
	if err != nil {
		return nil, storeErr("find organization", "organisation", err)
	}
	return o, nil
}

// FindOrganizationBySlug returns the organisation with the slug.
func (db *DB) FindOrganizationBySlug(ctx context.Context, slug string) (*kindred.Organization, error) {
	o := new(kindred.Organization)
	err := db.reader().queryRow(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.slug = ?`, slug).Scan(orgDest(o)...)
	if err != nil {
		return nil, storeErr("find organization by slug", "organisation", err)
	}
	return o, nil
}

// ListOrganizations returns organisations by name (ignoring case). MemberID
// keeps those where the account is an active member; Limit 0 means all.
func (db *DB) ListOrganizations(ctx context.Context, f kindred.OrganizationFilter) ([]*kindred.Organization, error) {
	var where []string
	var args []any
	if f.MemberID != "" {
		where = append(where, `o.id IN (SELECT m.org_id FROM memberships m WHERE m.account_id = ? AND m.status = ?)`)
		args = append(args, f.MemberID, string(kindred.StatusActive))
	}
	if f.Listed != nil {
		where = append(where, `o.listed = ?`)
		args = append(args, *f.Listed)
	}
	q := `SELECT ` + orgCols + ` FROM organizations o` + whereClause(where) + ` ORDER BY LOWER(o.name), o.id`
	if f.Limit > 0 {
		q += ` LIMIT ?`
		args = append(args, f.Limit)
	}
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, storeErr("list organizations", "organisation", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Organization, error) {
		x := new(kindred.Organization)
		return x, s.Scan(orgDest(x)...)
	})
	return out, storeErr("list organizations", "organisation", err)
}

// UpdateOrganization changes the fields given and returns the organisation.
func (db *DB) UpdateOrganization(ctx context.Context, id string, u kindred.OrganizationUpdate) (*kindred.Organization, error) {
	var set setList
	if u.Name != nil {
		set.add("name", *u.Name)
	}
	if u.Kind != nil {
		set.add("kind", string(*u.Kind))
	}
	if u.JoinPolicy != nil {
		set.add("join_policy", string(*u.JoinPolicy))
	}
	if u.Description != nil {
		set.add("description", *u.Description)
	}
	if u.CodeOfConduct != nil {
		set.add("code_of_conduct", *u.CodeOfConduct)
	}
	if u.Listed != nil {
		set.add("listed", *u.Listed)
	}
	if set.empty() {
		return db.FindOrganization(ctx, id)
	}
	o := new(kindred.Organization)
	err := db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "organisation", `UPDATE organizations SET `+set.clause()+` WHERE id = ?`,
			append(set.args, id)...); err != nil {
			return err
		}
		return tx.queryRow(ctx, `SELECT `+orgCols+` FROM organizations o WHERE o.id = ?`, id).Scan(orgDest(o)...)
	})
	if err != nil {
		return nil, storeErr("update organization", "organisation", err)
	}
	return o, nil
}

// CountOrganizations returns how many organisations exist.
func (db *DB) CountOrganizations(ctx context.Context) (int, error) {
	var n int
	if err := db.reader().queryRow(ctx, `SELECT COUNT(*) FROM organizations`).Scan(&n); err != nil {
		return 0, storeErr("count organizations", "organisation", err)
	}
	return n, nil
}

// Memberships are always read with the account fields a listing shows.
const membershipSelect = `SELECT m.org_id, m.account_id, m.roles, m.status, m.display_name,
	m.conduct_accepted_at, m.created_at, a.handle, a.display_name, a.pronouns, a.age_band
	FROM memberships m JOIN accounts a ON a.id = m.account_id`

func membershipDest(m *kindred.Membership) []any {
	return []any{&m.OrgID, &m.AccountID, &m.Roles, &m.Status, &m.DisplayName,
		nullTimeCol{&m.ConductAcceptedAt}, timeCol{&m.CreatedAt},
		&m.Handle, &m.AccountDisplayName, &m.Pronouns, &m.AgeBand}
}

func insertMembership(ctx context.Context, tx conn, m *kindred.Membership) error {
	fillCreated(&m.CreatedAt)
	m.ConductAcceptedAt = normPtr(m.ConductAcceptedAt)
	_, err := tx.exec(ctx, `INSERT INTO memberships (org_id, account_id, roles, status, display_name,
		conduct_accepted_at, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)`,
		m.OrgID, m.AccountID, int64(m.Roles), string(m.Status), m.DisplayName,
		msPtr(m.ConductAcceptedAt), ms(m.CreatedAt))
	return err
}

// CreateMembership stores a membership; ECONFLICT when the person already
// has one in the organisation.
func (db *DB) CreateMembership(ctx context.Context, m *kindred.Membership) error {
	err := db.inTx(ctx, func(tx conn) error { return insertMembership(ctx, tx, m) })
	return storeErr("create membership", "membership", err)
}

// FindMembership returns the person's membership of the organisation.
func (db *DB) FindMembership(ctx context.Context, orgID, accountID string) (*kindred.Membership, error) {
	m := new(kindred.Membership)
	err := db.reader().queryRow(ctx, membershipSelect+` WHERE m.org_id = ? AND m.account_id = ?`, orgID, accountID).
		Scan(membershipDest(m)...)
	if err != nil {
		return nil, storeErr("find membership", "membership", err)
	}
	return m, nil
}

// ListMemberships returns memberships oldest first, with account fields.
// Limit 0 means all.
func (db *DB) ListMemberships(ctx context.Context, f kindred.MembershipFilter) ([]*kindred.Membership, error) {
	var where []string
	var args []any
	if f.OrgID != "" {
		where = append(where, `m.org_id = ?`)
		args = append(args, f.OrgID)
	}
	if f.AccountID != "" {
		where = append(where, `m.account_id = ?`)
		args = append(args, f.AccountID)
	}
	if f.Status != "" {
		where = append(where, `m.status = ?`)
		args = append(args, string(f.Status))
	}
	q := membershipSelect + whereClause(where) + ` ORDER BY m.created_at, m.org_id, m.account_id`
	if f.Limit > 0 || f.Offset > 0 {
		limit := f.Limit
		if limit <= 0 {
			limit = noLimit
		}
		q += ` LIMIT ? OFFSET ?`
		args = append(args, limit, max(f.Offset, 0))
	}
	rows, err := db.reader().query(ctx, q, args...)
	if err != nil {
		return nil, storeErr("list memberships", "membership", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Membership, error) {
		x := new(kindred.Membership)
		return x, s.Scan(membershipDest(x)...)
	})
	return out, storeErr("list memberships", "membership", err)
}

// UpdateMembership changes the fields given and returns the membership.
func (db *DB) UpdateMembership(ctx context.Context, orgID, accountID string, u kindred.MembershipUpdate) (*kindred.Membership, error) {
	var set setList
	if u.Roles != nil {
		set.add("roles", int64(*u.Roles))
	}
	if u.Status != nil {
		set.add("status", string(*u.Status))
	}
	if u.DisplayName != nil {
		set.add("display_name", *u.DisplayName)
	}
	if set.empty() {
		return db.FindMembership(ctx, orgID, accountID)
	}
	m := new(kindred.Membership)
	err := db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "membership", `UPDATE memberships SET `+set.clause()+
			` WHERE org_id = ? AND account_id = ?`, append(set.args, orgID, accountID)...); err != nil {
			return err
		}
		return tx.queryRow(ctx, membershipSelect+` WHERE m.org_id = ? AND m.account_id = ?`, orgID, accountID).
			Scan(membershipDest(m)...)
	})
	if err != nil {
		return nil, storeErr("update membership", "membership", err)
	}
	return m, nil
}

// DeleteMembership removes the person from the organisation and from all
// of its groups.
func (db *DB) DeleteMembership(ctx context.Context, orgID, accountID string) error {
	err := db.inTx(ctx, func(tx conn) error {
		if _, err := tx.exec(ctx, `DELETE FROM group_members WHERE account_id = ?
			AND group_id IN (SELECT g.id FROM peer_groups g WHERE g.org_id = ?)`, accountID, orgID); err != nil {
			return err
		}
		return tx.execOne(ctx, "membership", `DELETE FROM memberships WHERE org_id = ? AND account_id = ?`, orgID, accountID)
	})
	return storeErr("delete membership", "membership", err)
}

const inviteCols = `i.id, i.org_id, i.group_id, i.code_hash, i.created_by, i.expires_at, i.max_uses,
	i.uses, i.note, i.created_at, i.revoked_at`

func inviteDest(i *kindred.Invite) []any {
	return []any{&i.ID, &i.OrgID, nullStringCol{&i.GroupID}, &i.CodeHash, &i.CreatedBy, timeCol{&i.ExpiresAt},
		&i.MaxUses, &i.Uses, &i.Note, timeCol{&i.CreatedAt}, nullTimeCol{&i.RevokedAt}}
}

// CreateInvite stores an invitation.
func (db *DB) CreateInvite(ctx context.Context, i *kindred.Invite) error {
	fillID(&i.ID)
	fillCreated(&i.CreatedAt)
	i.ExpiresAt = norm(i.ExpiresAt)
	i.RevokedAt = normPtr(i.RevokedAt)
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO invites (id, org_id, group_id, code_hash, created_by, expires_at,
			max_uses, uses, note, created_at, revoked_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			i.ID, i.OrgID, nullIfEmpty(i.GroupID), i.CodeHash, i.CreatedBy, ms(i.ExpiresAt),
			i.MaxUses, i.Uses, i.Note, ms(i.CreatedAt), msPtr(i.RevokedAt))
		return err
	})
	return storeErr("create invite", "invitation", err)
}

// FindInviteByCode returns the invitation with the code hash, usable or
// not: the caller tells the person why it no longer works.
func (db *DB) FindInviteByCode(ctx context.Context, codeHash string) (*kindred.Invite, error) {
	i := new(kindred.Invite)
	err := db.reader().queryRow(ctx, `SELECT `+inviteCols+` FROM invites i WHERE i.code_hash = ?`, codeHash).
		Scan(inviteDest(i)...)
	if err != nil {
		return nil, storeErr("find invite", "invitation", err)
	}
	return i, nil
}

// ListInvites returns the organisation's invitations, newest first.
func (db *DB) ListInvites(ctx context.Context, orgID string) ([]*kindred.Invite, error) {
	rows, err := db.reader().query(ctx, `SELECT `+inviteCols+` FROM invites i
		WHERE i.org_id = ? ORDER BY i.created_at DESC, i.id DESC`, orgID)
	if err != nil {
		return nil, storeErr("list invites", "invitation", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Invite, error) {
		x := new(kindred.Invite)
		return x, s.Scan(inviteDest(x)...)
	})
	return out, storeErr("list invites", "invitation", err)
}

// UseInvite counts one use. The check and the count are one conditional
// UPDATE, so concurrent uses can never exceed MaxUses: on PostgreSQL a
// second UPDATE waits for the row lock and re-checks the condition against
// the committed count; on SQLite the single writer runs them in turn.
func (db *DB) UseInvite(ctx context.Context, id string, now time.Time) (*kindred.Invite, error) {
	i := new(kindred.Invite)
	err := db.inTx(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `UPDATE invites SET uses = uses + 1
			WHERE id = ? AND revoked_at IS NULL AND expires_at > ? AND uses < max_uses`, id, ms(now))
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 0 {
			found, err := tx.exists(ctx, `SELECT 1 FROM invites WHERE id = ?`, id)
			if err != nil {
				return err
			}
			if !found {
				return notFound("invitation")
			}
			return kindred.Errorf(kindred.EGONE, "This invitation has expired or has been used up. Please ask for a new one.")
		}
		return tx.queryRow(ctx, `SELECT `+inviteCols+` FROM invites i WHERE i.id = ?`, id).Scan(inviteDest(i)...)
	})
	if err != nil {
		return nil, storeErr("use invite", "invitation", err)
	}
	return i, nil
}

// RevokeInvite stops an invitation of the organisation from working.
// Revoking it again keeps the first revocation time.
func (db *DB) RevokeInvite(ctx context.Context, orgID, id string, now time.Time) error {
	err := db.inTx(ctx, func(tx conn) error {
		res, err := tx.exec(ctx, `UPDATE invites SET revoked_at = ?
			WHERE id = ? AND org_id = ? AND revoked_at IS NULL`, ms(now), id, orgID)
		if err != nil {
			return err
		}
		if n, err := res.RowsAffected(); err != nil || n > 0 {
			return err
		}
		found, err := tx.exists(ctx, `SELECT 1 FROM invites WHERE id = ? AND org_id = ?`, id, orgID)
		if err == nil && !found {
			return notFound("invitation")
		}
		return err
	})
	return storeErr("revoke invite", "invitation", err)
}

// whereClause joins conditions with AND.
func whereClause(conds []string) string {
	if len(conds) == 0 {
		return ""
	}
	return ` WHERE ` + strings.Join(conds, ` AND `)
}
