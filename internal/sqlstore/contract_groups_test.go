package sqlstore

import (
	"testing"

	"kindred"
)

func testGroups(t *testing.T, db *DB) {
	ctx := t.Context()
	admin := newAccount(t, db, "Admin", "")
	org := newOrg(t, db, "org", "Org", admin)
	other := newOrg(t, db, "other", "Other", admin)

	g := &kindred.Group{OrgID: org.ID, Slug: "anxiety", Name: "Anxiety support", Topic: "Living with anxiety",
		Description: "A *gentle* space.", Guidelines: "Listen first.", Visibility: kindred.VisibilityPrivate,
		AgeRule: kindred.AgeAdultOnly, CreatedBy: admin.ID, CreatedAt: at(0)}
	fac := &kindred.GroupMember{AccountID: admin.ID}
	must(t, db.CreateGroup(ctx, g, fac))
	if g.ID == "" || fac.GroupID != g.ID || fac.Role != kindred.GroupRoleFacilitator || fac.Status != kindred.StatusActive {
		t.Fatalf("CreateGroup: group %q, facilitator %+v", g.ID, fac)
	}
	gm, err := db.FindGroupMember(ctx, g.ID, admin.ID)
	must(t, err)
	if gm.Role != kindred.GroupRoleFacilitator || !gm.Active() || !gm.CreatedAt.Equal(g.CreatedAt) {
		t.Errorf("first facilitator stored as %+v", gm)
	}

	got, err := db.FindGroup(ctx, g.ID)
	must(t, err)
	wantEqual(t, "FindGroup", got, g)
	if got.MemberCount != 1 || got.ThreadCount != 0 {
		t.Errorf("counts of a new group: %d members, %d threads", got.MemberCount, got.ThreadCount)
	}
	got, err = db.FindGroupBySlug(ctx, org.ID, "anxiety")
	must(t, err)
	wantEqual(t, "FindGroupBySlug", got, g)
	_, err = db.FindGroup(ctx, "missing")
	wantCode(t, err, kindred.ENOTFOUND)
	_, err = db.FindGroupBySlug(ctx, other.ID, "anxiety")
	wantCode(t, err, kindred.ENOTFOUND)

	t.Run("slug unique within the organisation", func(t *testing.T) {
		dup := &kindred.Group{OrgID: org.ID, Slug: "anxiety", Name: "Copy", Visibility: kindred.VisibilityPublic,
			AgeRule: kindred.AgeAny, CreatedBy: admin.ID}
		wantCode(t, db.CreateGroup(ctx, dup, &kindred.GroupMember{AccountID: admin.ID}), kindred.ECONFLICT)
		_, err := db.FindGroup(ctx, dup.ID)
		wantCode(t, err, kindred.ENOTFOUND)
		elsewhere := &kindred.Group{OrgID: other.ID, Slug: "anxiety", Name: "Anxiety elsewhere",
			Visibility: kindred.VisibilityPublic, AgeRule: kindred.AgeAny, CreatedBy: admin.ID}
		must(t, db.CreateGroup(ctx, elsewhere, nil))
		got, err := db.FindGroupBySlug(ctx, other.ID, "anxiety")
		must(t, err)
		if got.ID != elsewhere.ID || got.MemberCount != 0 {
			t.Errorf("group of the other organisation: %+v", got)
		}
	})

	t.Run("ListGroups with counts", func(t *testing.T) {
		grief := newGroup(t, db, org, "grief", "grief circle", admin)
		youth := newGroup(t, db, org, "youth", "Youth space", admin)
		a1 := newAccount(t, db, "One", "")
		a2 := newAccount(t, db, "Two", "")
		must(t, db.CreateGroupMember(ctx, &kindred.GroupMember{GroupID: g.ID, AccountID: a1.ID, Role: kindred.GroupRoleMember, Status: kindred.StatusActive}))
		must(t, db.CreateGroupMember(ctx, &kindred.GroupMember{GroupID: g.ID, AccountID: a2.ID, Role: kindred.GroupRoleMember, Status: kindred.StatusPending}))
		must(t, db.CreateGroupMember(ctx, &kindred.GroupMember{GroupID: youth.ID, AccountID: a2.ID, Role: kindred.GroupRoleMember, Status: kindred.StatusActive}))
		newThread(t, db, g, admin, "first", at(1))
		newThread(t, db, g, a1, "second", at(2))
		newThread(t, db, grief, admin, "third", at(3))

		list, err := db.ListGroups(ctx, kindred.GroupFilter{OrgID: org.ID})
		must(t, err)
		type row struct {
			Name             string
			Members, Threads int
		}
		var rows []row
		for _, x := range list {
			rows = append(rows, row{x.Name, x.MemberCount, x.ThreadCount})
		}
		wantEqual(t, "groups by name", rows, []row{{"Anxiety support", 2, 2}, {"grief circle", 0, 1}, {"Youth space", 1, 0}})

		list, err = db.ListGroups(ctx, kindred.GroupFilter{OrgID: "none"})
		must(t, err)
		wantEqual(t, "groups of an unknown organisation", list, []*kindred.Group{})
	})

	t.Run("UpdateGroup", func(t *testing.T) {
		current, err := db.FindGroup(ctx, g.ID)
		must(t, err)
		got, err := db.UpdateGroup(ctx, g.ID, kindred.GroupUpdate{})
		must(t, err)
		wantEqual(t, "empty update", got, current)

		vis, rule := kindred.VisibilityHidden, kindred.AgeYouthOnly
		got, err = db.UpdateGroup(ctx, g.ID, kindred.GroupUpdate{Name: ptr("Anxiety circle"), Topic: ptr("New topic"),
			Description: ptr("New description"), Guidelines: ptr("New guidelines"), Visibility: &vis, AgeRule: &rule})
		must(t, err)
		want := *current
		want.Name, want.Topic, want.Description, want.Guidelines, want.Visibility, want.AgeRule =
			"Anxiety circle", "New topic", "New description", "New guidelines", vis, rule
		wantEqual(t, "updated", got, &want)

		_, err = db.UpdateGroup(ctx, "missing", kindred.GroupUpdate{Name: ptr("x")})
		wantCode(t, err, kindred.ENOTFOUND)
		_, err = db.UpdateGroup(ctx, "missing", kindred.GroupUpdate{})
		wantCode(t, err, kindred.ENOTFOUND)
	})
}

func testGroupMembers(t *testing.T, db *DB) {
	ctx := t.Context()
	admin := newAccount(t, db, "Admin", "Ada")
	org := newOrg(t, db, "org", "Org", admin)
	g := newGroup(t, db, org, "g", "G", admin)
	g2 := newGroup(t, db, org, "g2", "G2", admin)
	a1 := newAccount(t, db, "Alex", "Alex A.")
	a2 := newAccount(t, db, "Blair", "")
	newMember(t, db, org, a1, "Alex in Org") // the per-organisation name wins
	// a2 has no organisation membership at all: the account's (empty) name.

	m1 := &kindred.GroupMember{GroupID: g.ID, AccountID: a1.ID, Role: kindred.GroupRoleMember, Status: kindred.StatusActive, CreatedAt: at(1)}
	m2 := &kindred.GroupMember{GroupID: g.ID, AccountID: a2.ID, Role: kindred.GroupRoleMember, Status: kindred.StatusPending, CreatedAt: at(2)}
	m3 := &kindred.GroupMember{GroupID: g2.ID, AccountID: a1.ID, Role: kindred.GroupRoleFacilitator, Status: kindred.StatusActive, CreatedAt: at(3)}
	for _, m := range []*kindred.GroupMember{m1, m2, m3} {
		must(t, db.CreateGroupMember(ctx, m))
	}
	wantCode(t, db.CreateGroupMember(ctx, &kindred.GroupMember{GroupID: g.ID, AccountID: a1.ID, Role: kindred.GroupRoleMember, Status: kindred.StatusActive}), kindred.ECONFLICT)
	wantCode(t, db.CreateGroupMember(ctx, &kindred.GroupMember{GroupID: "no-such-group", AccountID: a1.ID, Role: kindred.GroupRoleMember, Status: kindred.StatusActive}), kindred.ENOTFOUND)

	named := func(m *kindred.GroupMember, handle, name, pronouns string) *kindred.GroupMember {
		x := *m
		x.Handle, x.DisplayName, x.Pronouns = handle, name, pronouns
		return &x
	}
	w1 := named(m1, "Alex", "Alex in Org", "they/them")
	w2 := named(m2, "Blair", "", "they/them")
	w3 := named(m3, "Alex", "Alex in Org", "they/them")

	got, err := db.FindGroupMember(ctx, g.ID, a1.ID)
	must(t, err)
	wantEqual(t, "FindGroupMember", got, w1)
	_, err = db.FindGroupMember(ctx, g.ID, "nobody")
	wantCode(t, err, kindred.ENOTFOUND)

	t.Run("ListGroupMembers", func(t *testing.T) {
		tests := []struct {
			name   string
			filter kindred.GroupMemberFilter
			want   []*kindred.GroupMember
		}{
			{"one group, oldest first", kindred.GroupMemberFilter{GroupID: g.ID}, []*kindred.GroupMember{w1, w2}},
			{"pending", kindred.GroupMemberFilter{GroupID: g.ID, Status: kindred.StatusPending}, []*kindred.GroupMember{w2}},
			{"one account's groups", kindred.GroupMemberFilter{AccountID: a1.ID}, []*kindred.GroupMember{w1, w3}},
			{"one account in one group", kindred.GroupMemberFilter{GroupID: g2.ID, AccountID: a1.ID}, []*kindred.GroupMember{w3}},
			{"nobody", kindred.GroupMemberFilter{AccountID: "nobody"}, []*kindred.GroupMember{}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.ListGroupMembers(ctx, tc.filter)
				must(t, err)
				wantEqual(t, "members", got, tc.want)
			})
		}
	})

	t.Run("UpdateGroupMember", func(t *testing.T) {
		got, err := db.UpdateGroupMember(ctx, g.ID, a2.ID, kindred.GroupMemberUpdate{})
		must(t, err)
		wantEqual(t, "empty update", got, w2)
		role, status := kindred.GroupRoleFacilitator, kindred.StatusActive
		got, err = db.UpdateGroupMember(ctx, g.ID, a2.ID, kindred.GroupMemberUpdate{Role: &role, Status: &status})
		must(t, err)
		want := *w2
		want.Role, want.Status = role, status
		wantEqual(t, "updated", got, &want)
		_, err = db.UpdateGroupMember(ctx, g.ID, "nobody", kindred.GroupMemberUpdate{Role: &role})
		wantCode(t, err, kindred.ENOTFOUND)
		_, err = db.UpdateGroupMember(ctx, g.ID, "nobody", kindred.GroupMemberUpdate{})
		wantCode(t, err, kindred.ENOTFOUND)
	})

	t.Run("DeleteGroupMember", func(t *testing.T) {
		must(t, db.DeleteGroupMember(ctx, g.ID, a1.ID))
		_, err := db.FindGroupMember(ctx, g.ID, a1.ID)
		wantCode(t, err, kindred.ENOTFOUND)
		wantCode(t, db.DeleteGroupMember(ctx, g.ID, a1.ID), kindred.ENOTFOUND)
		if _, err := db.FindGroupMember(ctx, g2.ID, a1.ID); err != nil {
			t.Errorf("membership of the other group went too: %v", err)
		}
	})
}
