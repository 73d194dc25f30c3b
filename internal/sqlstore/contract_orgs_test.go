package sqlstore

import (
	"sync"
	"testing"

	"kindred"
)

func orgNames(orgs []*kindred.Organization) []string {
	out := []string{}
	for _, o := range orgs {
		out = append(out, o.Name)
	}
	return out
}

func testOrganizations(t *testing.T, db *DB) {
	ctx := t.Context()
	admin := newAccount(t, db, "Admin", "Ada")

	o := &kindred.Organization{Slug: "rainbow-centre", Name: "Rainbow Centre", Kind: kindred.OrgCommunityCentre,
		JoinPolicy: kindred.JoinInvite, Description: "We meet on Tuesdays.", CodeOfConduct: "Be kind.", Listed: true}
	first := &kindred.Membership{AccountID: admin.ID, Roles: kindred.RoleMember | kindred.RoleAdmin, DisplayName: "Ada (staff)"}
	must(t, db.CreateOrganization(ctx, o, first))
	if o.ID == "" || o.CreatedAt.IsZero() {
		t.Fatalf("CreateOrganization left ID %q CreatedAt %v", o.ID, o.CreatedAt)
	}
	if first.OrgID != o.ID || first.Status != kindred.StatusActive {
		t.Errorf("first membership: OrgID %q Status %q", first.OrgID, first.Status)
	}

	got, err := db.FindOrganization(ctx, o.ID)
	must(t, err)
	wantEqual(t, "FindOrganization", got, o)
	got, err = db.FindOrganizationBySlug(ctx, "rainbow-centre")
	must(t, err)
	wantEqual(t, "FindOrganizationBySlug", got, o)
	_, err = db.FindOrganization(ctx, "missing")
	wantCode(t, err, kindred.ENOTFOUND)
	_, err = db.FindOrganizationBySlug(ctx, "missing")
	wantCode(t, err, kindred.ENOTFOUND)

	m, err := db.FindMembership(ctx, o.ID, admin.ID)
	must(t, err)
	if !m.Roles.Has(kindred.RoleAdmin) || !m.Active() || m.DisplayName != "Ada (staff)" || m.Handle != "Admin" {
		t.Errorf("first membership = %+v", m)
	}

	t.Run("slug taken, nothing stored", func(t *testing.T) {
		someone := newAccount(t, db, "Someone", "")
		dup := &kindred.Organization{Slug: "rainbow-centre", Name: "Copy", Kind: kindred.OrgSchool, JoinPolicy: kindred.JoinOpen}
		err := db.CreateOrganization(ctx, dup, &kindred.Membership{AccountID: someone.ID, Roles: kindred.RoleAdmin})
		wantCode(t, err, kindred.ECONFLICT)
		ms, err := db.ListMemberships(ctx, kindred.MembershipFilter{AccountID: someone.ID})
		must(t, err)
		if len(ms) != 0 {
			t.Errorf("the failed organisation's membership was stored: %+v", ms[0])
		}
	})

	beta := newOrg(t, db, "beta", "Beta", nil) // no first membership
	alpha := newOrg(t, db, "alpha", "alpha", nil)
	must(t, db.CreateMembership(ctx, &kindred.Membership{OrgID: alpha.ID, AccountID: admin.ID, Roles: kindred.RoleMember, Status: kindred.StatusActive}))
	must(t, db.CreateMembership(ctx, &kindred.Membership{OrgID: beta.ID, AccountID: admin.ID, Roles: kindred.RoleMember, Status: kindred.StatusPending}))
	_, err = db.UpdateOrganization(ctx, beta.ID, kindred.OrganizationUpdate{Listed: ptr(false)})
	must(t, err)

	t.Run("ListOrganizations", func(t *testing.T) {
		tests := []struct {
			name   string
			filter kindred.OrganizationFilter
			want   []string
		}{
			{"all by name ignoring case", kindred.OrganizationFilter{}, []string{"alpha", "Beta", "Rainbow Centre"}},
			{"listed", kindred.OrganizationFilter{Listed: ptr(true)}, []string{"alpha", "Rainbow Centre"}},
			{"unlisted", kindred.OrganizationFilter{Listed: ptr(false)}, []string{"Beta"}},
			{"active member only", kindred.OrganizationFilter{MemberID: admin.ID}, []string{"alpha", "Rainbow Centre"}},
			{"member and unlisted", kindred.OrganizationFilter{MemberID: admin.ID, Listed: ptr(false)}, []string{}},
			{"not a member anywhere", kindred.OrganizationFilter{MemberID: "nobody"}, []string{}},
			{"limit", kindred.OrganizationFilter{Limit: 2}, []string{"alpha", "Beta"}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.ListOrganizations(ctx, tc.filter)
				must(t, err)
				wantEqual(t, "names", orgNames(got), tc.want)
			})
		}
		got, err := db.ListOrganizations(ctx, kindred.OrganizationFilter{MemberID: admin.ID})
		must(t, err)
		wantEqual(t, "listed organisation", got[1], o)
	})

	t.Run("UpdateOrganization", func(t *testing.T) {
		got, err := db.UpdateOrganization(ctx, o.ID, kindred.OrganizationUpdate{})
		must(t, err)
		wantEqual(t, "empty update", got, o)

		kind, policy := kindred.OrgHealthcare, kindred.JoinOpen
		got, err = db.UpdateOrganization(ctx, o.ID, kindred.OrganizationUpdate{
			Name: ptr("Rainbow Clinic"), Kind: &kind, JoinPolicy: &policy,
			Description: ptr("New."), CodeOfConduct: ptr("Be kinder."), Listed: ptr(false),
		})
		must(t, err)
		want := *o
		want.Name, want.Kind, want.JoinPolicy = "Rainbow Clinic", kind, policy
		want.Description, want.CodeOfConduct, want.Listed = "New.", "Be kinder.", false
		wantEqual(t, "updated", got, &want)
		found, err := db.FindOrganization(ctx, o.ID)
		must(t, err)
		wantEqual(t, "found after update", found, &want)

		_, err = db.UpdateOrganization(ctx, "missing", kindred.OrganizationUpdate{Name: ptr("x")})
		wantCode(t, err, kindred.ENOTFOUND)
		_, err = db.UpdateOrganization(ctx, "missing", kindred.OrganizationUpdate{})
		wantCode(t, err, kindred.ENOTFOUND)
	})

	n, err := db.CountOrganizations(ctx)
	must(t, err)
	if n != 3 {
		t.Errorf("CountOrganizations = %d, want 3", n)
	}
}

func testMemberships(t *testing.T, db *DB) {
	ctx := t.Context()
	admin := newAccount(t, db, "Admin", "")
	org := newOrg(t, db, "org", "Org", admin) // admin joins at base
	a1 := newAccount(t, db, "Alex", "Alex A.")
	a2 := &kindred.Account{Handle: "Blair", Pronouns: "he/him", AgeBand: kindred.AgeYouth}
	must(t, db.CreateAccount(ctx, a2))
	a3 := newAccount(t, db, "Casey", "")

	m1 := &kindred.Membership{OrgID: org.ID, AccountID: a1.ID, Roles: kindred.RoleMember, Status: kindred.StatusActive, CreatedAt: at(1)}
	m2 := &kindred.Membership{OrgID: org.ID, AccountID: a2.ID, Roles: kindred.RoleMember, Status: kindred.StatusPending,
		DisplayName: "B in this org", ConductAcceptedAt: ptr(at(2)), CreatedAt: at(2)}
	m3 := &kindred.Membership{OrgID: org.ID, AccountID: a3.ID, Roles: kindred.RoleMember | kindred.RolePeerSupporter, Status: kindred.StatusActive, CreatedAt: at(3)}
	for _, m := range []*kindred.Membership{m1, m2, m3} {
		must(t, db.CreateMembership(ctx, m))
	}
	wantCode(t, db.CreateMembership(ctx, &kindred.Membership{OrgID: org.ID, AccountID: a1.ID, Status: kindred.StatusActive}), kindred.ECONFLICT)
	wantCode(t, db.CreateMembership(ctx, &kindred.Membership{OrgID: org.ID, AccountID: "no-such-account", Status: kindred.StatusActive}), kindred.ENOTFOUND)

	// Listings and finds fill the account's fields.
	withAccount := func(m *kindred.Membership, a *kindred.Account) *kindred.Membership {
		x := *m
		x.Handle, x.AccountDisplayName, x.Pronouns, x.AgeBand = a.Handle, a.DisplayName, a.Pronouns, a.AgeBand
		return &x
	}
	w1, w2, w3 := withAccount(m1, a1), withAccount(m2, a2), withAccount(m3, a3)

	got, err := db.FindMembership(ctx, org.ID, a2.ID)
	must(t, err)
	wantEqual(t, "FindMembership", got, w2)
	if got.Name() != "B in this org" || got.AgeBand != kindred.AgeYouth {
		t.Errorf("Name() %q AgeBand %q", got.Name(), got.AgeBand)
	}
	_, err = db.FindMembership(ctx, org.ID, "nobody")
	wantCode(t, err, kindred.ENOTFOUND)

	t.Run("ListMemberships", func(t *testing.T) {
		all, err := db.ListMemberships(ctx, kindred.MembershipFilter{OrgID: org.ID})
		must(t, err)
		if len(all) != 4 || all[0].AccountID != admin.ID {
			t.Fatalf("ListMemberships = %d memberships, first %+v; want 4, admin first", len(all), all[0])
		}
		wantEqual(t, "oldest first", all[1:], []*kindred.Membership{w1, w2, w3})

		tests := []struct {
			name   string
			filter kindred.MembershipFilter
			want   []*kindred.Membership
		}{
			{"pending", kindred.MembershipFilter{OrgID: org.ID, Status: kindred.StatusPending}, []*kindred.Membership{w2}},
			{"one account", kindred.MembershipFilter{AccountID: a3.ID}, []*kindred.Membership{w3}},
			{"limit and offset", kindred.MembershipFilter{OrgID: org.ID, Limit: 2, Offset: 1}, []*kindred.Membership{w1, w2}},
			{"offset without limit", kindred.MembershipFilter{OrgID: org.ID, Offset: 2}, []*kindred.Membership{w2, w3}},
			{"other organisation", kindred.MembershipFilter{OrgID: "other"}, []*kindred.Membership{}},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				got, err := db.ListMemberships(ctx, tc.filter)
				must(t, err)
				wantEqual(t, "memberships", got, tc.want)
			})
		}
	})

	t.Run("UpdateMembership", func(t *testing.T) {
		got, err := db.UpdateMembership(ctx, org.ID, a2.ID, kindred.MembershipUpdate{})
		must(t, err)
		wantEqual(t, "empty update", got, w2)

		roles, status := kindred.RoleMember|kindred.RoleModerator, kindred.StatusActive
		got, err = db.UpdateMembership(ctx, org.ID, a2.ID, kindred.MembershipUpdate{Roles: &roles, Status: &status, DisplayName: ptr("")})
		must(t, err)
		want := *w2
		want.Roles, want.Status, want.DisplayName = roles, status, ""
		wantEqual(t, "updated", got, &want)
		if got.Name() != "Blair" {
			t.Errorf("Name() without any display name = %q, want the handle", got.Name())
		}

		_, err = db.UpdateMembership(ctx, org.ID, "nobody", kindred.MembershipUpdate{Roles: &roles})
		wantCode(t, err, kindred.ENOTFOUND)
		_, err = db.UpdateMembership(ctx, org.ID, "nobody", kindred.MembershipUpdate{})
		wantCode(t, err, kindred.ENOTFOUND)
	})
}

func testDeleteMembership(t *testing.T, db *DB) {
	ctx := t.Context()
	admin := newAccount(t, db, "Admin", "")
	leaver := newAccount(t, db, "Leaver", "")
	org1 := newOrg(t, db, "one", "One", admin)
	org2 := newOrg(t, db, "two", "Two", admin)
	g1a := newGroup(t, db, org1, "a", "A", admin)
	g1b := newGroup(t, db, org1, "b", "B", admin)
	g2 := newGroup(t, db, org2, "c", "C", admin)
	newMember(t, db, org1, leaver, "")
	newMember(t, db, org2, leaver, "")
	for _, g := range []*kindred.Group{g1a, g1b, g2} {
		must(t, db.CreateGroupMember(ctx, &kindred.GroupMember{GroupID: g.ID, AccountID: leaver.ID,
			Role: kindred.GroupRoleMember, Status: kindred.StatusActive}))
		must(t, db.CreateGroupMember(ctx, &kindred.GroupMember{GroupID: g.ID, AccountID: admin.ID,
			Role: kindred.GroupRoleFacilitator, Status: kindred.StatusActive}))
	}

	must(t, db.DeleteMembership(ctx, org1.ID, leaver.ID))
	_, err := db.FindMembership(ctx, org1.ID, leaver.ID)
	wantCode(t, err, kindred.ENOTFOUND)
	for _, g := range []*kindred.Group{g1a, g1b} {
		_, err := db.FindGroupMember(ctx, g.ID, leaver.ID)
		wantCode(t, err, kindred.ENOTFOUND)
		if _, err := db.FindGroupMember(ctx, g.ID, admin.ID); err != nil {
			t.Errorf("another person left group %s too: %v", g.Slug, err)
		}
	}
	// The other organisation is untouched.
	if _, err := db.FindMembership(ctx, org2.ID, leaver.ID); err != nil {
		t.Errorf("membership of the other organisation: %v", err)
	}
	if _, err := db.FindGroupMember(ctx, g2.ID, leaver.ID); err != nil {
		t.Errorf("group membership in the other organisation: %v", err)
	}

	wantCode(t, db.DeleteMembership(ctx, org1.ID, leaver.ID), kindred.ENOTFOUND)
	// A failed delete takes nothing with it.
	wantCode(t, db.DeleteMembership(ctx, org2.ID, "nobody"), kindred.ENOTFOUND)
	if _, err := db.FindGroupMember(ctx, g2.ID, leaver.ID); err != nil {
		t.Errorf("group membership after a failed delete: %v", err)
	}
}

func testInvites(t *testing.T, db *DB) {
	ctx := t.Context()
	admin := newAccount(t, db, "Admin", "")
	org := newOrg(t, db, "org", "Org", admin)
	other := newOrg(t, db, "other", "Other", admin)
	g := newGroup(t, db, org, "hidden", "Hidden", admin)

	i1 := &kindred.Invite{OrgID: org.ID, CodeHash: "code-1", CreatedBy: admin.ID, ExpiresAt: at(60), MaxUses: 3, Note: "flyer", CreatedAt: at(0)}
	i2 := &kindred.Invite{OrgID: org.ID, GroupID: g.ID, CodeHash: "code-2", CreatedBy: admin.ID, ExpiresAt: at(60), MaxUses: 1, CreatedAt: at(1)}
	must(t, db.CreateInvite(ctx, i1))
	must(t, db.CreateInvite(ctx, i2))
	if i1.ID == "" {
		t.Fatal("CreateInvite left ID empty")
	}
	wantCode(t, db.CreateInvite(ctx, &kindred.Invite{OrgID: org.ID, CodeHash: "code-1", CreatedBy: admin.ID, ExpiresAt: at(60), MaxUses: 1}), kindred.ECONFLICT)

	got, err := db.FindInviteByCode(ctx, "code-1")
	must(t, err)
	wantEqual(t, "invite without group", got, i1)
	got, err = db.FindInviteByCode(ctx, "code-2")
	must(t, err)
	wantEqual(t, "invite to a group", got, i2)
	_, err = db.FindInviteByCode(ctx, "code-none")
	wantCode(t, err, kindred.ENOTFOUND)

	list, err := db.ListInvites(ctx, org.ID)
	must(t, err)
	wantEqual(t, "ListInvites newest first", list, []*kindred.Invite{i2, i1})
	list, err = db.ListInvites(ctx, other.ID)
	must(t, err)
	wantEqual(t, "ListInvites of another organisation", list, []*kindred.Invite{})

	used, err := db.UseInvite(ctx, i1.ID, at(10))
	must(t, err)
	if used.Uses != 1 || used.ID != i1.ID {
		t.Errorf("UseInvite = %+v, want one use", used)
	}

	t.Run("UseInvite refusals", func(t *testing.T) {
		newInvite := func(t *testing.T, maxUses int) *kindred.Invite {
			i := &kindred.Invite{OrgID: org.ID, CodeHash: kindred.NewSecret(), CreatedBy: admin.ID, ExpiresAt: at(60), MaxUses: maxUses}
			must(t, db.CreateInvite(ctx, i))
			return i
		}
		tests := []struct {
			name    string
			prepare func(t *testing.T) string // returns the invite id to use
			now     int
			code    string
		}{
			{"usable", func(t *testing.T) string { return newInvite(t, 1).ID }, 10, ""},
			{"expired", func(t *testing.T) string { return newInvite(t, 1).ID }, 60, kindred.EGONE},
			{"revoked", func(t *testing.T) string {
				i := newInvite(t, 5)
				must(t, db.RevokeInvite(ctx, org.ID, i.ID, at(5)))
				return i.ID
			}, 10, kindred.EGONE},
			{"used up", func(t *testing.T) string {
				i := newInvite(t, 1)
				_, err := db.UseInvite(ctx, i.ID, at(5))
				must(t, err)
				return i.ID
			}, 10, kindred.EGONE},
			{"unknown", func(t *testing.T) string { return "missing" }, 10, kindred.ENOTFOUND},
		}
		for _, tc := range tests {
			t.Run(tc.name, func(t *testing.T) {
				_, err := db.UseInvite(ctx, tc.prepare(t), at(tc.now))
				wantCode(t, err, tc.code)
			})
		}
	})

	t.Run("RevokeInvite", func(t *testing.T) {
		wantCode(t, db.RevokeInvite(ctx, other.ID, i1.ID, at(20)), kindred.ENOTFOUND)
		wantCode(t, db.RevokeInvite(ctx, org.ID, "missing", at(20)), kindred.ENOTFOUND)
		must(t, db.RevokeInvite(ctx, org.ID, i1.ID, at(20)))
		must(t, db.RevokeInvite(ctx, org.ID, i1.ID, at(30))) // again: keeps the first time
		got, err := db.FindInviteByCode(ctx, "code-1")
		must(t, err)
		if got.RevokedAt == nil || !got.RevokedAt.Equal(at(20)) || got.Uses != 1 {
			t.Errorf("after revoking: RevokedAt %v Uses %d", got.RevokedAt, got.Uses)
		}
		if got.Usable(at(21)) {
			t.Error("a revoked invitation is still usable")
		}
	})
}

// testUseInviteConcurrently: many people following one link at once must
// never get more uses than the invitation allows.
func testUseInviteConcurrently(t *testing.T, db *DB) {
	ctx := t.Context()
	admin := newAccount(t, db, "Admin", "")
	org := newOrg(t, db, "org", "Org", admin)
	inv := &kindred.Invite{OrgID: org.ID, CodeHash: "code", CreatedBy: admin.ID, ExpiresAt: at(60), MaxUses: 5}
	must(t, db.CreateInvite(ctx, inv))

	const tries = 20
	var wg sync.WaitGroup
	errs := make(chan error, tries)
	for range tries {
		wg.Go(func() {
			_, err := db.UseInvite(ctx, inv.ID, at(1))
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	ok, gone := 0, 0
	for err := range errs {
		switch kindred.ErrorCode(err) {
		case "":
			ok++
		case kindred.EGONE:
			gone++
		default:
			t.Errorf("UseInvite: %v", err)
		}
	}
	if ok != 5 || gone != tries-5 {
		t.Errorf("%d uses succeeded and %d were refused; want 5 and %d", ok, gone, tries-5)
	}
	got, err := db.FindInviteByCode(ctx, "code")
	must(t, err)
	if got.Uses != 5 {
		t.Errorf("Uses = %d, want 5", got.Uses)
	}
}
