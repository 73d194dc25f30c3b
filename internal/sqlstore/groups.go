package sqlstore

import (
	"context"

	"kindred"
)

// Groups and group memberships.

// groupSelect reads a group with its counts. The counts are correlated
// subqueries over indexed columns, cheap for one organisation's groups and
// always current (no counters to keep in step).
const groupSelect = `SELECT g.id, g.org_id, g.slug, g.name, g.topic, g.description, g.guidelines,
	g.visibility, g.age_rule, g.created_by, g.created_at,
	(SELECT COUNT(*) FROM group_members gm WHERE gm.group_id = g.id AND gm.status = '` + string(kindred.StatusActive) + `'),
	(SELECT COUNT(*) FROM threads t WHERE t.group_id = g.id)
	FROM peer_groups g`

func groupDest(g *kindred.Group) []any {
	return []any{&g.ID, &g.OrgID, &g.Slug, &g.Name, &g.Topic, &g.Description, &g.Guidelines,
		&g.Visibility, &g.AgeRule, &g.CreatedBy, timeCol{&g.CreatedAt}, &g.MemberCount, &g.ThreadCount}
}

// CreateGroup stores the group and, when firstFacilitator is not nil, its
// first member, together. The member's GroupID is set; an empty Role
// becomes facilitator and an empty Status active.
func (db *DB) CreateGroup(ctx context.Context, g *kindred.Group, firstFacilitator *kindred.GroupMember) error {
	fillID(&g.ID)
	fillCreated(&g.CreatedAt)
	if m := firstFacilitator; m != nil {
		m.GroupID = g.ID
		if m.Role == "" {
			m.Role = kindred.GroupRoleFacilitator
		}
		if m.Status == "" {
			m.Status = kindred.StatusActive
		}
		if m.CreatedAt.IsZero() {
			m.CreatedAt = g.CreatedAt
		}
	}
	err := db.inTx(ctx, func(tx conn) error {
		_, err := tx.exec(ctx, `INSERT INTO peer_groups (id, org_id, slug, name, topic, description, guidelines,
			visibility, age_rule, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			g.ID, g.OrgID, g.Slug, g.Name, g.Topic, g.Description, g.Guidelines,
			string(g.Visibility), string(g.AgeRule), g.CreatedBy, ms(g.CreatedAt))
		if isUniqueViolation(err) {
			return kindred.Errorf(kindred.ECONFLICT, "Another group in this organisation already uses that web address.")
		}
		if err != nil || firstFacilitator == nil {
			return err
		}
		return insertGroupMember(ctx, tx, firstFacilitator)
	})
	if err == nil {
		g.MemberCount, g.ThreadCount = 0, 0
		if firstFacilitator.Active() {
			g.MemberCount = 1
		}
	}
	return storeErr("create group", "group", err)
}

// FindGroup returns the group with the id, with its counts.
func (db *DB) FindGroup(ctx context.Context, id string) (*kindred.Group, error) {
	g := new(kindred.Group)
	if err := db.reader().queryRow(ctx, groupSelect+` WHERE g.id = ?`, id).Scan(groupDest(g)...); err != nil {
		return nil, storeErr("find group", "group", err)
	}
	return g, nil
}

// FindGroupBySlug returns the organisation's group with the slug.
func (db *DB) FindGroupBySlug(ctx context.Context, orgID, slug string) (*kindred.Group, error) {
	g := new(kindred.Group)
	err := db.reader().queryRow(ctx, groupSelect+` WHERE g.org_id = ? AND g.slug = ?`, orgID, slug).Scan(groupDest(g)...)
	if err != nil {
		return nil, storeErr("find group by slug", "group", err)
	}
	return g, nil
}

// ListGroups returns the organisation's groups (every group when OrgID is
// empty) by name, ignoring case, with active member and thread counts.
func (db *DB) ListGroups(ctx context.Context, f kindred.GroupFilter) ([]*kindred.Group, error) {
	var where []string
	var args []any
	if f.OrgID != "" {
		where = append(where, `g.org_id = ?`)
		args = append(args, f.OrgID)
	}
	rows, err := db.reader().query(ctx, groupSelect+whereClause(where)+` ORDER BY LOWER(g.name), g.id`, args...)
	if err != nil {
		return nil, storeErr("list groups", "group", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.Group, error) {
		x := new(kindred.Group)
		return x, s.Scan(groupDest(x)...)
	})
	return out, storeErr("list groups", "group", err)
}

// UpdateGroup changes the fields given and returns the group.
func (db *DB) UpdateGroup(ctx context.Context, id string, u kindred.GroupUpdate) (*kindred.Group, error) {
	var set setList
	if u.Name != nil {
		set.add("name", *u.Name)
	}
	if u.Topic != nil {
		set.add("topic", *u.Topic)
	}
	if u.Description != nil {
		set.add("description", *u.Description)
	}
	if u.Guidelines != nil {
		set.add("guidelines", *u.Guidelines)
	}
	if u.Visibility != nil {
		set.add("visibility", string(*u.Visibility))
	}
	if u.AgeRule != nil {
		set.add("age_rule", string(*u.AgeRule))
	}
	if set.empty() {
		return db.FindGroup(ctx, id)
	}
	g := new(kindred.Group)
	err := db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "group", `UPDATE peer_groups SET `+set.clause()+` WHERE id = ?`,
			append(set.args, id)...); err != nil {
			return err
		}
		return tx.queryRow(ctx, groupSelect+` WHERE g.id = ?`, id).Scan(groupDest(g)...)
	})
	if err != nil {
		return nil, storeErr("update group", "group", err)
	}
	return g, nil
}

// groupMemberSelect reads group members with how they appear in the
// group's organisation: the per-organisation name, else the account's.
const groupMemberSelect = `SELECT gm.group_id, gm.account_id, gm.role, gm.status, gm.created_at,
	a.handle, COALESCE(NULLIF(m.display_name, ''), a.display_name), a.pronouns
	FROM group_members gm
	JOIN peer_groups g ON g.id = gm.group_id
	JOIN accounts a ON a.id = gm.account_id
	LEFT JOIN memberships m ON m.org_id = g.org_id AND m.account_id = gm.account_id`

func groupMemberDest(m *kindred.GroupMember) []any {
	return []any{&m.GroupID, &m.AccountID, &m.Role, &m.Status, timeCol{&m.CreatedAt},
		&m.Handle, &m.DisplayName, &m.Pronouns}
}

func insertGroupMember(ctx context.Context, tx conn, m *kindred.GroupMember) error {
	fillCreated(&m.CreatedAt)
	_, err := tx.exec(ctx, `INSERT INTO group_members (group_id, account_id, role, status, created_at)
		VALUES (?, ?, ?, ?, ?)`, m.GroupID, m.AccountID, string(m.Role), string(m.Status), ms(m.CreatedAt))
	return err
}

// CreateGroupMember stores a group membership; ECONFLICT when the person
// already has one in the group.
func (db *DB) CreateGroupMember(ctx context.Context, m *kindred.GroupMember) error {
	err := db.inTx(ctx, func(tx conn) error { return insertGroupMember(ctx, tx, m) })
	return storeErr("create group member", "group membership", err)
}

// FindGroupMember returns the person's membership of the group.
func (db *DB) FindGroupMember(ctx context.Context, groupID, accountID string) (*kindred.GroupMember, error) {
	m := new(kindred.GroupMember)
	err := db.reader().queryRow(ctx, groupMemberSelect+` WHERE gm.group_id = ? AND gm.account_id = ?`,
		groupID, accountID).Scan(groupMemberDest(m)...)
	if err != nil {
		return nil, storeErr("find group member", "group membership", err)
	}
	return m, nil
}

// ListGroupMembers returns group memberships oldest first, with names.
func (db *DB) ListGroupMembers(ctx context.Context, f kindred.GroupMemberFilter) ([]*kindred.GroupMember, error) {
	var where []string
	var args []any
	if f.GroupID != "" {
		where = append(where, `gm.group_id = ?`)
		args = append(args, f.GroupID)
	}
	if f.AccountID != "" {
		where = append(where, `gm.account_id = ?`)
		args = append(args, f.AccountID)
	}
	if f.Status != "" {
		where = append(where, `gm.status = ?`)
		args = append(args, string(f.Status))
	}
	rows, err := db.reader().query(ctx, groupMemberSelect+whereClause(where)+
		` ORDER BY gm.created_at, gm.group_id, gm.account_id`, args...)
	if err != nil {
		return nil, storeErr("list group members", "group membership", err)
	}
	out, err := collect(rows, func(s scanner) (*kindred.GroupMember, error) {
		x := new(kindred.GroupMember)
		return x, s.Scan(groupMemberDest(x)...)
	})
	return out, storeErr("list group members", "group membership", err)
}

// UpdateGroupMember changes the fields given and returns the membership.
func (db *DB) UpdateGroupMember(ctx context.Context, groupID, accountID string, u kindred.GroupMemberUpdate) (*kindred.GroupMember, error) {
	var set setList
	if u.Role != nil {
		set.add("role", string(*u.Role))
	}
	if u.Status != nil {
		set.add("status", string(*u.Status))
	}
	if set.empty() {
		return db.FindGroupMember(ctx, groupID, accountID)
	}
	m := new(kindred.GroupMember)
	err := db.inTx(ctx, func(tx conn) error {
		if err := tx.execOne(ctx, "group membership", `UPDATE group_members SET `+set.clause()+
			` WHERE group_id = ? AND account_id = ?`, append(set.args, groupID, accountID)...); err != nil {
			return err
		}
		return tx.queryRow(ctx, groupMemberSelect+` WHERE gm.group_id = ? AND gm.account_id = ?`,
			groupID, accountID).Scan(groupMemberDest(m)...)
	})
	if err != nil {
		return nil, storeErr("update group member", "group membership", err)
	}
	return m, nil
}

// DeleteGroupMember removes the person from the group.
func (db *DB) DeleteGroupMember(ctx context.Context, groupID, accountID string) error {
	err := db.inTx(ctx, func(tx conn) error {
		return tx.execOne(ctx, "group membership", `DELETE FROM group_members WHERE group_id = ? AND account_id = ?`,
			groupID, accountID)
	})
	return storeErr("delete group member", "group membership", err)
}
