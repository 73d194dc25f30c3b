// Package orgs owns organisations and membership of them: creating an
// organisation, joining (open, by request or by invitation, always accepting
// the code of conduct), roles managed by admins, invitations and the
// organisation's audit log.
package orgs

import (
	"context"
	"fmt"
	"log/slog"
	"strings"
	"time"

	"kindred"
	"kindred/internal/access"
	"kindred/internal/accounts"
	"kindred/internal/audit"
)

// Store is what the service needs from storage.
type Store interface {
	access.Facts
	CreateOrganization(ctx context.Context, o *kindred.Organization, first *kindred.Membership) error
	FindOrganization(ctx context.Context, id string) (*kindred.Organization, error)
	FindOrganizationBySlug(ctx context.Context, slug string) (*kindred.Organization, error)
	ListOrganizations(ctx context.Context, f kindred.OrganizationFilter) ([]*kindred.Organization, error)
	UpdateOrganization(ctx context.Context, id string, u kindred.OrganizationUpdate) (*kindred.Organization, error)
	CreateMembership(ctx context.Context, m *kindred.Membership) error
	ListMemberships(ctx context.Context, f kindred.MembershipFilter) ([]*kindred.Membership, error)
	UpdateMembership(ctx context.Context, orgID, accountID string, u kindred.MembershipUpdate) (*kindred.Membership, error)
	DeleteMembership(ctx context.Context, orgID, accountID string) error
	CreateInvite(ctx context.Context, i *kindred.Invite) error
	FindInviteByCode(ctx context.Context, codeHash string) (*kindred.Invite, error)
	ListInvites(ctx context.Context, orgID string) ([]*kindred.Invite, error)
	UseInvite(ctx context.Context, id string, now time.Time) (*kindred.Invite, error)
	RevokeInvite(ctx context.Context, orgID, id string, now time.Time) error
	FindGroup(ctx context.Context, id string) (*kindred.Group, error)
	CreateGroupMember(ctx context.Context, m *kindred.GroupMember) error
	UpdateGroupMember(ctx context.Context, groupID, accountID string, u kindred.GroupMemberUpdate) (*kindred.GroupMember, error)
	AppendAudit(ctx context.Context, e *kindred.AuditEntry) error
	ListAudit(ctx context.Context, f kindred.AuditFilter) ([]*kindred.AuditEntry, error)
}

// Service is the organisations service.
type Service struct {
	store Store
	now   func() time.Time
	log   *slog.Logger
	audit *audit.Recorder
	// Broker, when set, hears about access changes so that live
	// connections of people who left or were removed close at once.
	Broker kindred.Broker
}

// New returns the service.
func New(store Store, now func() time.Time, log *slog.Logger) *Service {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, now: now, log: log, audit: audit.New(store, now, log)}
}

var errNoOrg = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that organisation.")

func signedIn(actor *kindred.Actor) error {
	if !actor.SignedIn() {
		return kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first.")
	}
	return nil
}

// Place is an organisation as one actor sees it.
type Place struct {
	Org        *kindred.Organization
	Membership *kindred.Membership // nil when the actor is not a member
	Subject    access.Subject
}

// IsMember reports whether the actor is an active member.
func (p *Place) IsMember() bool { return p.Membership.Active() }

// IsPending reports whether the actor asked to join and waits.
func (p *Place) IsPending() bool {
	return p.Membership != nil && p.Membership.Status == kindred.StatusPending
}

// CanManage reports whether the actor administers the organisation.
func (p *Place) CanManage() bool { return access.Can(p.Subject, access.ManageOrg, nil) }

// CanCreateGroup reports whether the actor may start a group.
func (p *Place) CanCreateGroup() bool { return access.Can(p.Subject, access.CreateGroup, nil) }

// Create makes an organisation; only the instance operator may. The
// operator becomes its first admin.
func (s *Service) Create(ctx context.Context, actor *kindred.Actor, d kindred.OrganizationDraft) (*Place, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	if !actor.Account.IsOperator {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Only the people who run this Kindred can create organisations.")
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	o := &kindred.Organization{
		ID: kindred.NewID(), Slug: d.Slug, Name: d.Name, Kind: d.Kind, JoinPolicy: d.JoinPolicy,
		Description: d.Description, CodeOfConduct: d.CodeOfConduct, Listed: true, CreatedAt: now,
	}
	m := &kindred.Membership{OrgID: o.ID, AccountID: actor.AccountID(), Roles: kindred.RoleMember | kindred.RoleAdmin,
		Status: kindred.StatusActive, ConductAcceptedAt: &now, CreatedAt: now}
	if err := s.store.CreateOrganization(ctx, o, m); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return nil, &kindred.Error{Code: kindred.EINVALID, Message: "Some of what you entered needs another look.",
				Fields: map[string]string{"slug": "That web address is taken. Please choose another."}}
		}
		return nil, fmt.Errorf("create organisation: %w", err)
	}
	s.audit.Record(ctx, o.ID, actor.AccountID(), "org.create", o.ID, o.Slug)
	return &Place{Org: o, Membership: m, Subject: access.Subject{Account: actor.Account, Membership: m}}, nil
}

// List returns the organisations the actor belongs to (active or pending)
// and those listed in the directory, by name.
func (s *Service) List(ctx context.Context, actor *kindred.Actor) ([]*Place, error) {
	listed := true
	orgs, err := s.store.ListOrganizations(ctx, kindred.OrganizationFilter{Listed: &listed, Limit: 500})
	if err != nil {
		return nil, fmt.Errorf("list organisations: %w", err)
	}
	var mine []*kindred.Membership
	if actor.SignedIn() {
		mine, err = s.store.ListMemberships(ctx, kindred.MembershipFilter{AccountID: actor.AccountID(), Limit: 500})
		if err != nil {
			return nil, fmt.Errorf("list memberships: %w", err)
		}
	}
	byID := map[string]*Place{}
	var out []*Place
	for _, o := range orgs {
		p := &Place{Org: o}
		byID[o.ID] = p
		out = append(out, p)
	}
	for _, m := range mine {
		p, ok := byID[m.OrgID]
		if !ok {
			o, err := s.store.FindOrganization(ctx, m.OrgID)
			if err != nil {
				return nil, fmt.Errorf("find organisation: %w", err)
			}
			p = &Place{Org: o}
			out = append(out, p)
		}
		p.Membership = m
		p.Subject = access.Subject{Account: actor.Account, Membership: m}
	}
	return out, nil
}

// Get returns the organisation as the actor sees it. Unlisted organisations
// look like they do not exist to people outside them.
func (s *Service) Get(ctx context.Context, actor *kindred.Actor, slug string) (*Place, error) {
	o, err := s.store.FindOrganizationBySlug(ctx, slug)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoOrg
	}
	if err != nil {
		return nil, fmt.Errorf("get organisation: %w", err)
	}
	sub, err := access.Load(ctx, s.store, actor, o.ID, "")
	if err != nil {
		return nil, err
	}
	if !o.Listed && sub.Membership == nil {
		return nil, errNoOrg
	}
	return &Place{Org: o, Membership: sub.Membership, Subject: sub}, nil
}

// Join makes the actor a member (open organisations) or records a request
// (request-to-join). Invite-only organisations need AcceptInvite.
func (s *Service) Join(ctx context.Context, actor *kindred.Actor, slug string, acceptConduct bool) (*kindred.Membership, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	p, err := s.Get(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if p.Membership != nil && p.Membership.Status == kindred.StatusBanned {
		return nil, errBanned // a ban is for good (internal/moderation)
	}
	if p.Membership != nil {
		return p.Membership, nil
	}
	if p.Org.JoinPolicy == kindred.JoinInvite {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "%s welcomes new members by invitation. If someone there invited you, please use the link they sent.", p.Org.Name)
	}
	if !acceptConduct {
		return nil, conductNeeded()
	}
	status := kindred.StatusActive
	if p.Org.JoinPolicy == kindred.JoinRequest {
		status = kindred.StatusPending
	}
	return s.addMember(ctx, p.Org.ID, actor.AccountID(), status)
}

var errBanned = kindred.Errorf(kindred.EFORBIDDEN, "A moderator removed you from this organisation, so you can't join it again. You can read the decision, and appeal it once, under My reports.")

func conductNeeded() error {
	return &kindred.Error{Code: kindred.EINVALID, Message: "Please read and accept the code of conduct to join.",
		Fields: map[string]string{"accept_conduct": "Please tick the box to say you accept the code of conduct."}}
}

func (s *Service) addMember(ctx context.Context, orgID, accountID string, status kindred.MembershipStatus) (*kindred.Membership, error) {
	now := s.now().UTC()
	m := &kindred.Membership{OrgID: orgID, AccountID: accountID, Roles: kindred.RoleMember, Status: status,
		ConductAcceptedAt: &now, CreatedAt: now}
	if err := s.store.CreateMembership(ctx, m); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return s.store.FindMembership(ctx, orgID, accountID)
		}
		return nil, fmt.Errorf("join: %w", err)
	}
	return m, nil
}

// Leave removes the actor from the organisation and all its groups. The last
// admin cannot leave, so an organisation is never left without one.
func (s *Service) Leave(ctx context.Context, actor *kindred.Actor, slug string) error {
	if err := signedIn(actor); err != nil {
		return err
	}
	p, err := s.Get(ctx, actor, slug)
	if err != nil {
		return err
	}
	if p.Membership == nil {
		return nil
	}
	if err := s.keepAnAdmin(ctx, p.Org.ID, actor.AccountID(), kindred.RoleMember); err != nil {
		return err
	}
	if err := s.store.DeleteMembership(ctx, p.Org.ID, actor.AccountID()); err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
		return fmt.Errorf("leave: %w", err)
	}
	s.accessChanged(ctx, actor.AccountID())
	return nil
}

// SetDisplayName sets how the actor appears inside one organisation; an
// empty name falls back to the account's display name.
func (s *Service) SetDisplayName(ctx context.Context, actor *kindred.Actor, slug, name string) (*kindred.Membership, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	p, err := s.Get(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if !p.IsMember() {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "This is for members of %s.", p.Org.Name)
	}
	name = strings.TrimSpace(name)
	if len([]rune(name)) > kindred.MaxDisplayName {
		return nil, &kindred.Error{Code: kindred.EINVALID, Message: "Some of what you entered needs another look.",
			Fields: map[string]string{"display_name": "Please keep this to 60 characters or fewer."}}
	}
	m, err := s.store.UpdateMembership(ctx, p.Org.ID, actor.AccountID(), kindred.MembershipUpdate{DisplayName: &name})
	if err != nil {
		return nil, fmt.Errorf("set display name: %w", err)
	}
	return m, nil
}

// keepAnAdmin fails when changing accountID's roles to next would leave the
// organisation with no active admin.
func (s *Service) keepAnAdmin(ctx context.Context, orgID, accountID string, next kindred.Role) error {
	if next.Has(kindred.RoleAdmin) {
		return nil
	}
	ms, err := s.store.ListMemberships(ctx, kindred.MembershipFilter{OrgID: orgID, Status: kindred.StatusActive, Limit: 100000})
	if err != nil {
		return fmt.Errorf("count admins: %w", err)
	}
	others := 0
	for _, m := range ms {
		if m.AccountID != accountID && m.Roles.Has(kindred.RoleAdmin) {
			others++
		}
	}
	if others == 0 {
		for _, m := range ms {
			if m.AccountID == accountID && m.Roles.Has(kindred.RoleAdmin) {
				return kindred.Errorf(kindred.ECONFLICT, "Every organisation needs at least one admin. Please make someone else an admin first.")
			}
		}
	}
	return nil
}

// InvitePreview is what a person sees before accepting an invitation.
type InvitePreview struct {
	Invite *kindred.Invite
	Org    *kindred.Organization
	Group  *kindred.Group // nil for an organisation-only invitation
}

var errBadInvite = kindred.Errorf(kindred.EGONE, "This invitation link has expired or has already been used. Please ask the person who sent it for a new one.")

// PreviewInvite looks up an invitation by its code. Unknown, expired and
// used-up codes all answer alike.
func (s *Service) PreviewInvite(ctx context.Context, code string) (*InvitePreview, error) {
	inv, err := s.store.FindInviteByCode(ctx, accounts.HashSecret(code))
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errBadInvite
	}
	if err != nil {
		return nil, fmt.Errorf("preview invite: %w", err)
	}
	if !inv.Usable(s.now()) {
		return nil, errBadInvite
	}
	o, err := s.store.FindOrganization(ctx, inv.OrgID)
	if err != nil {
		return nil, fmt.Errorf("preview invite: %w", err)
	}
	pv := &InvitePreview{Invite: inv, Org: o}
	if inv.GroupID != "" {
		if pv.Group, err = s.store.FindGroup(ctx, inv.GroupID); err != nil {
			return nil, fmt.Errorf("preview invite: %w", err)
		}
	}
	return pv, nil
}

// AcceptInvite uses an invitation: the actor joins the organisation (or a
// pending request becomes active) and, for a group invitation, the group.
func (s *Service) AcceptInvite(ctx context.Context, actor *kindred.Actor, code string, acceptConduct bool) (*InvitePreview, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	pv, err := s.PreviewInvite(ctx, code)
	if err != nil {
		return nil, err
	}
	if pv.Group != nil && !pv.Group.AgeRule.Allows(actor.Account.AgeBand) {
		return nil, kindred.Errorf(kindred.EAGE, "This group is %s, so this invitation can't be used with your account.", ageWords(pv.Group.AgeRule))
	}
	existing, err := s.store.FindMembership(ctx, pv.Org.ID, actor.AccountID())
	if err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
		return nil, fmt.Errorf("accept invite: %w", err)
	}
	if existing != nil && existing.Status == kindred.StatusBanned {
		return nil, errBanned
	}
	if existing == nil && !acceptConduct {
		return nil, conductNeeded()
	}
	if _, err := s.store.UseInvite(ctx, pv.Invite.ID, s.now().UTC()); err != nil {
		if c := kindred.ErrorCode(err); c == kindred.EGONE || c == kindred.ENOTFOUND {
			return nil, errBadInvite
		}
		return nil, fmt.Errorf("accept invite: %w", err)
	}
	switch {
	case existing == nil:
		if _, err := s.addMember(ctx, pv.Org.ID, actor.AccountID(), kindred.StatusActive); err != nil {
			return nil, err
		}
	case existing.Status != kindred.StatusActive:
		active := kindred.StatusActive
		if _, err := s.store.UpdateMembership(ctx, pv.Org.ID, actor.AccountID(), kindred.MembershipUpdate{Status: &active}); err != nil {
			return nil, fmt.Errorf("accept invite: %w", err)
		}
	}
	if pv.Group != nil {
		gm := &kindred.GroupMember{GroupID: pv.Group.ID, AccountID: actor.AccountID(), Role: kindred.GroupRoleMember,
			Status: kindred.StatusActive, CreatedAt: s.now().UTC()}
		if err := s.store.CreateGroupMember(ctx, gm); err != nil {
			if kindred.ErrorCode(err) != kindred.ECONFLICT {
				return nil, fmt.Errorf("accept invite: %w", err)
			}
			active := kindred.StatusActive
			if _, err := s.store.UpdateGroupMember(ctx, pv.Group.ID, actor.AccountID(), kindred.GroupMemberUpdate{Status: &active}); err != nil {
				return nil, fmt.Errorf("accept invite: %w", err)
			}
		}
	}
	s.audit.Record(ctx, pv.Org.ID, actor.AccountID(), "invite.use", pv.Invite.ID, "")
	return pv, nil
}

func ageWords(r kindred.AgeRule) string {
	if r == kindred.AgeYouthOnly {
		return "for ages 13–17"
	}
	return "for adults"
}

// manage returns the place when the actor administers it. People outside
// the organisation get ENOTFOUND; members without the role get EFORBIDDEN.
func (s *Service) manage(ctx context.Context, actor *kindred.Actor, slug string) (*Place, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	p, err := s.Get(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if !p.IsMember() {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "This page is for the organisation's admins.")
	}
	if !p.CanManage() {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "This page is for the organisation's admins.")
	}
	return p, nil
}

// Manage returns the organisation when the actor administers it.
func (s *Service) Manage(ctx context.Context, actor *kindred.Actor, slug string) (*Place, error) {
	return s.manage(ctx, actor, slug)
}

// UpdateSettings changes the organisation's settings.
func (s *Service) UpdateSettings(ctx context.Context, actor *kindred.Actor, slug string, u kindred.OrganizationUpdate) (*Place, error) {
	p, err := s.manage(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	o, err := s.store.UpdateOrganization(ctx, p.Org.ID, u)
	if err != nil {
		return nil, fmt.Errorf("update organisation: %w", err)
	}
	s.audit.Record(ctx, o.ID, actor.AccountID(), "org.settings", o.ID, "")
	p.Org = o
	return p, nil
}

// Members lists the organisation's members for its admins (status "" for all).
func (s *Service) Members(ctx context.Context, actor *kindred.Actor, slug string, status kindred.MembershipStatus) ([]*kindred.Membership, error) {
	p, err := s.manage(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	return s.store.ListMemberships(ctx, kindred.MembershipFilter{OrgID: p.Org.ID, Status: status, Limit: 5000})
}

func (s *Service) findMember(ctx context.Context, orgID, accountID string) (*kindred.Membership, error) {
	m, err := s.store.FindMembership(ctx, orgID, accountID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that member.")
	}
	return m, err
}

// SetRoles replaces a member's roles. Everyone keeps the member role.
func (s *Service) SetRoles(ctx context.Context, actor *kindred.Actor, slug, accountID string, roles kindred.Role) (*kindred.Membership, error) {
	p, err := s.manage(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	before, err := s.findMember(ctx, p.Org.ID, accountID)
	if err != nil {
		return nil, err
	}
	roles |= kindred.RoleMember
	if err := s.keepAnAdmin(ctx, p.Org.ID, accountID, roles); err != nil {
		return nil, err
	}
	m, err := s.store.UpdateMembership(ctx, p.Org.ID, accountID, kindred.MembershipUpdate{Roles: &roles})
	if err != nil {
		return nil, fmt.Errorf("set roles: %w", err)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "member.roles", accountID, fmt.Sprintf("%v -> %v", before.Roles.Names(), roles.Names()))
	s.accessChanged(ctx, accountID) // a moderator stood down loses their tools at once
	return m, nil
}

// Approve accepts a pending request to join.
func (s *Service) Approve(ctx context.Context, actor *kindred.Actor, slug, accountID string) (*kindred.Membership, error) {
	p, err := s.manage(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if _, err := s.findMember(ctx, p.Org.ID, accountID); err != nil {
		return nil, err
	}
	active := kindred.StatusActive
	m, err := s.store.UpdateMembership(ctx, p.Org.ID, accountID, kindred.MembershipUpdate{Status: &active})
	if err != nil {
		return nil, fmt.Errorf("approve member: %w", err)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "member.approve", accountID, "")
	return m, nil
}

// Remove takes a member out of the organisation (or declines a request).
func (s *Service) Remove(ctx context.Context, actor *kindred.Actor, slug, accountID string) error {
	p, err := s.manage(ctx, actor, slug)
	if err != nil {
		return err
	}
	if _, err := s.findMember(ctx, p.Org.ID, accountID); err != nil {
		return err
	}
	if err := s.keepAnAdmin(ctx, p.Org.ID, accountID, kindred.RoleMember); err != nil {
		return err
	}
	if err := s.store.DeleteMembership(ctx, p.Org.ID, accountID); err != nil {
		return fmt.Errorf("remove member: %w", err)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "member.remove", accountID, "")
	s.accessChanged(ctx, accountID)
	return nil
}

// accessChanged tells live connections of the account to re-check.
func (s *Service) accessChanged(ctx context.Context, accountID string) {
	if err := kindred.AnnounceAccess(ctx, s.Broker, accountID); err != nil {
		s.log.ErrorContext(ctx, "access change not announced", "err", err)
	}
}

// CreateInvite makes an invitation link. The code is returned once; only
// its hash is stored. A group invitation needs a group of this organisation.
func (s *Service) CreateInvite(ctx context.Context, actor *kindred.Actor, slug string, d kindred.InviteDraft) (*kindred.Invite, string, error) {
	p, err := s.manage(ctx, actor, slug)
	if err != nil {
		return nil, "", err
	}
	if err := d.Validate(); err != nil {
		return nil, "", err
	}
	if d.GroupID != "" {
		g, err := s.store.FindGroup(ctx, d.GroupID)
		if err != nil || g.OrgID != p.Org.ID {
			return nil, "", &kindred.Error{Code: kindred.EINVALID, Message: "Some of what you entered needs another look.",
				Fields: map[string]string{"group_id": "Please choose one of this organisation's groups."}}
		}
	}
	code := kindred.NewSecret()
	now := s.now().UTC()
	inv := &kindred.Invite{ID: kindred.NewID(), OrgID: p.Org.ID, GroupID: d.GroupID, CodeHash: accounts.HashSecret(code),
		CreatedBy: actor.AccountID(), ExpiresAt: now.Add(d.ExpiresIn), MaxUses: d.MaxUses, Note: d.Note, CreatedAt: now}
	if err := s.store.CreateInvite(ctx, inv); err != nil {
		return nil, "", fmt.Errorf("create invite: %w", err)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "invite.create", inv.ID, fmt.Sprintf("uses=%d expires=%s group=%s", inv.MaxUses, inv.ExpiresAt.Format(time.RFC3339), inv.GroupID))
	return inv, code, nil
}

// Invites lists the organisation's invitations, newest first.
func (s *Service) Invites(ctx context.Context, actor *kindred.Actor, slug string) ([]*kindred.Invite, error) {
	p, err := s.manage(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	return s.store.ListInvites(ctx, p.Org.ID)
}

// RevokeInvite stops an invitation from being used.
func (s *Service) RevokeInvite(ctx context.Context, actor *kindred.Actor, slug, id string) error {
	p, err := s.manage(ctx, actor, slug)
	if err != nil {
		return err
	}
	if err := s.store.RevokeInvite(ctx, p.Org.ID, id, s.now().UTC()); err != nil {
		if kindred.ErrorCode(err) == kindred.ENOTFOUND {
			return kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that invitation.")
		}
		return fmt.Errorf("revoke invite: %w", err)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "invite.revoke", id, "")
	return nil
}

// AuditLog lists the organisation's audit entries for its admins.
func (s *Service) AuditLog(ctx context.Context, actor *kindred.Actor, slug string) ([]*kindred.AuditEntry, error) {
	p, err := s.manage(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	return s.store.ListAudit(ctx, kindred.AuditFilter{OrgID: p.Org.ID, Limit: 200})
}
