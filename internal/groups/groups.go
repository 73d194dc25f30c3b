// Package groups owns peer support groups and what happens in them:
// creating and joining groups, threads (stories, questions, check-ins),
// replies, edits and deletions, and supportive reactions. It applies the
// rules in order: signed in, visible (else not found), allowed, valid, rate
// limit, render, store.
package groups

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"kindred"
	"kindred/internal/access"
	"kindred/internal/audit"
	"kindred/internal/ratelimit"
)

// Store is what the service needs from storage.
type Store interface {
	access.Facts
	FindOrganizationBySlug(ctx context.Context, slug string) (*kindred.Organization, error)
	FindOrganization(ctx context.Context, id string) (*kindred.Organization, error)
	CreateGroup(ctx context.Context, g *kindred.Group, first *kindred.GroupMember) error
	FindGroup(ctx context.Context, id string) (*kindred.Group, error)
	FindGroupBySlug(ctx context.Context, orgID, slug string) (*kindred.Group, error)
	ListGroups(ctx context.Context, f kindred.GroupFilter) ([]*kindred.Group, error)
	UpdateGroup(ctx context.Context, id string, u kindred.GroupUpdate) (*kindred.Group, error)
	CreateGroupMember(ctx context.Context, m *kindred.GroupMember) error
	ListGroupMembers(ctx context.Context, f kindred.GroupMemberFilter) ([]*kindred.GroupMember, error)
	UpdateGroupMember(ctx context.Context, groupID, accountID string, u kindred.GroupMemberUpdate) (*kindred.GroupMember, error)
	DeleteGroupMember(ctx context.Context, groupID, accountID string) error
	ListMemberships(ctx context.Context, f kindred.MembershipFilter) ([]*kindred.Membership, error)
	CreateThread(ctx context.Context, t *kindred.Thread, opening *kindred.Post) error
	FindThread(ctx context.Context, id string) (*kindred.Thread, error)
	ListThreads(ctx context.Context, f kindred.ThreadFilter) ([]*kindred.Thread, error)
	CreatePost(ctx context.Context, p *kindred.Post) error
	FindPost(ctx context.Context, id string) (*kindred.Post, error)
	ListPosts(ctx context.Context, f kindred.PostFilter) ([]*kindred.Post, error)
	UpdatePost(ctx context.Context, id string, u kindred.PostUpdate) (*kindred.Post, error)
	DeletePost(ctx context.Context, id, deletedBy string, at time.Time) error
	AddReaction(ctx context.Context, r *kindred.Reaction) error
	RemoveReaction(ctx context.Context, postID, accountID string, kind kindred.ReactionKind) error
	SummarizeReactions(ctx context.Context, postIDs []string, viewerID string) (map[string]*kindred.ReactionSummary, error)
	// What a reader chose not to see (hidden.go).
	HiddenFrom(ctx context.Context, accountID string) ([]string, error)
	ListHiddenTopics(ctx context.Context, accountID string) ([]string, error)
	HidePostsInThreads(ctx context.Context, threads []*kindred.Thread, authors []string) error
	AppendAudit(ctx context.Context, e *kindred.AuditEntry) error
	// Moderation (internal/moderation): suspensions, and posts held back.
	ActiveSuspension(ctx context.Context, orgID, accountID string, now time.Time) (time.Time, error)
	SetPostHidden(ctx context.Context, postID string, h kindred.PostHidden) error
}

// Renderer turns Markdown into sanitized HTML (internal/markup).
type Renderer interface {
	Render(markdown string) string
}

// Options tune the service; zero values pick safe defaults.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	// PostEvery and PostBurst limit how fast one person posts.
	PostEvery time.Duration
	PostBurst int
	// Broker, when set, hears about access changes (leaving or removal, so
	// live connections close) and changed posts (so every node drops its
	// cached renderings).
	Broker kindred.Broker
	// Crisis, when set, screens posts for crisis language and raises
	// crisis flags (internal/moderation).
	Crisis kindred.CrisisFlagger
}

// Service is the groups service.
type Service struct {
	store  Store
	render Renderer
	now    func() time.Time
	log    *slog.Logger
	audit  *audit.Recorder
	posts  *ratelimit.Limiter
	broker kindred.Broker
	crisis kindred.CrisisFlagger
}

// New returns the service.
func New(store Store, render Renderer, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.PostEvery == 0 {
		o.PostEvery, o.PostBurst = 10*time.Second, 20
	}
	return &Service{store: store, render: render, now: o.Now, log: o.Logger,
		audit: audit.New(store, o.Now, o.Logger), posts: ratelimit.New(o.PostEvery, o.PostBurst, 100_000, o.Now),
		broker: o.Broker, crisis: o.Crisis}
}

// Page sizes.
const (
	ThreadsPerPage = 25
	PostsPerPage   = 50
)

var (
	errNoOrg    = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that organisation.")
	errNoGroup  = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that group. It may have moved, or the link may be mistyped.")
	errNoThread = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that conversation.")
	errNoPost   = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that post.")
)

// Place is a group as one actor sees it, with what they may do there.
type Place struct {
	Org     *kindred.Organization
	Group   *kindred.Group
	Subject access.Subject
}

// Can reports whether the actor may take a group action here.
func (p *Place) Can(a access.Action) bool { return access.Can(p.Subject, a, p.Group) }

// Member is the actor's membership of the group, or nil.
func (p *Place) Member() *kindred.GroupMember { return p.Subject.GroupMember }

// IsPending reports whether the actor asked to join and waits.
func (p *Place) IsPending() bool {
	return p.Subject.GroupMember != nil && p.Subject.GroupMember.Status == kindred.StatusPending
}

// AgeFits reports whether the group's age rule admits the actor.
func (p *Place) AgeFits() bool {
	return p.Subject.Account != nil && p.Group.AgeRule.Allows(p.Subject.Account.AgeBand)
}

func signedIn(actor *kindred.Actor) error {
	if !actor.SignedIn() {
		return kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first.")
	}
	return nil
}

// org finds an organisation and the actor's standing in it. Organisations
// one is not a member of answer ENOTFOUND here: groups are for members.
func (s *Service) org(ctx context.Context, actor *kindred.Actor, slug string) (*kindred.Organization, access.Subject, error) {
	o, err := s.store.FindOrganizationBySlug(ctx, slug)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, access.Subject{}, errNoOrg
	}
	if err != nil {
		return nil, access.Subject{}, fmt.Errorf("find organisation: %w", err)
	}
	sub, err := access.Load(ctx, s.store, actor, o.ID, "")
	if err != nil {
		return nil, sub, err
	}
	// Suspended members read but do not post (internal/moderation).
	if err := access.FillSuspension(ctx, s.store, &sub, o.ID, s.now()); err != nil {
		return nil, sub, err
	}
	if !o.Listed && sub.Membership == nil {
		return nil, sub, errNoOrg // unlisted looks like nonexistent to outsiders
	}
	return o, sub, nil
}

func memberOnly(o *kindred.Organization, sub access.Subject) error {
	if !access.Can(sub, access.ViewOrg, nil) {
		if sub.Account == nil {
			return kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in to see %s's groups.", o.Name)
		}
		return kindred.Errorf(kindred.EFORBIDDEN, "Groups are for members of %s. Join the organisation to see them.", o.Name)
	}
	return nil
}

// place loads a group by organisation and group slug. A group the actor may
// not see answers exactly like one that does not exist.
func (s *Service) place(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string) (*Place, error) {
	o, sub, err := s.org(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	if err := memberOnly(o, sub); err != nil {
		return nil, err
	}
	g, err := s.store.FindGroupBySlug(ctx, o.ID, groupSlug)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoGroup
	}
	if err != nil {
		return nil, fmt.Errorf("find group: %w", err)
	}
	return s.placeFor(ctx, o, sub, g)
}

// placeFor completes the subject with the actor's group membership (the
// organisation membership is already loaded) and hides what they may not see.
func (s *Service) placeFor(ctx context.Context, o *kindred.Organization, sub access.Subject, g *kindred.Group) (*Place, error) {
	if sub.Membership != nil {
		gm, err := s.store.FindGroupMember(ctx, g.ID, sub.Account.ID)
		switch kindred.ErrorCode(err) {
		case "":
			sub.GroupMember = gm
		case kindred.ENOTFOUND:
		default:
			return nil, fmt.Errorf("load group membership: %w", err)
		}
	}
	p := &Place{Org: o, Group: g, Subject: sub}
	if !p.Can(access.ViewGroup) {
		return nil, errNoGroup
	}
	return p, nil
}

// List returns the groups of an organisation the actor can see, by name.
// Hidden groups the actor is not part of are simply absent, counts included.
func (s *Service) List(ctx context.Context, actor *kindred.Actor, orgSlug string) (*kindred.Organization, []*Place, error) {
	o, sub, err := s.org(ctx, actor, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	if err := memberOnly(o, sub); err != nil {
		return nil, nil, err
	}
	gs, err := s.store.ListGroups(ctx, kindred.GroupFilter{OrgID: o.ID})
	if err != nil {
		return nil, nil, fmt.Errorf("list groups: %w", err)
	}
	mine, err := s.store.ListGroupMembers(ctx, kindred.GroupMemberFilter{AccountID: actor.AccountID()})
	if err != nil {
		return nil, nil, fmt.Errorf("list group memberships: %w", err)
	}
	byGroup := map[string]*kindred.GroupMember{}
	for _, m := range mine {
		byGroup[m.GroupID] = m
	}
	var out []*Place
	for _, g := range gs {
		gsub := sub
		gsub.GroupMember = byGroup[g.ID]
		p := &Place{Org: o, Group: g, Subject: gsub}
		if p.Can(access.ViewGroup) {
			out = append(out, p)
		}
	}
	return o, out, nil
}

// Get returns one group as the actor sees it.
func (s *Service) Get(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string) (*Place, error) {
	return s.place(ctx, actor, orgSlug, groupSlug)
}

// Create starts a group; admins and facilitators may. The creator becomes
// its first facilitator.
func (s *Service) Create(ctx context.Context, actor *kindred.Actor, orgSlug string, d kindred.GroupDraft) (*Place, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	o, sub, err := s.org(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	if err := memberOnly(o, sub); err != nil {
		return nil, err
	}
	if !access.Can(sub, access.CreateGroup, nil) {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Only admins and facilitators can start groups. If you'd like a new group, ask one of them.")
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	now := s.now().UTC()
	g := &kindred.Group{ID: kindred.NewID(), OrgID: o.ID, Slug: d.Slug, Name: d.Name, Topic: d.Topic,
		Description: d.Description, Guidelines: d.Guidelines, Visibility: d.Visibility, AgeRule: d.AgeRule,
		CreatedBy: actor.AccountID(), CreatedAt: now}
	first := &kindred.GroupMember{GroupID: g.ID, AccountID: actor.AccountID(), Role: kindred.GroupRoleFacilitator,
		Status: kindred.StatusActive, CreatedAt: now}
	if err := s.store.CreateGroup(ctx, g, first); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return nil, &kindred.Error{Code: kindred.EINVALID, Message: "Some of what you entered needs another look.",
				Fields: map[string]string{"slug": "Another group already uses that web address. Please choose another."}}
		}
		return nil, fmt.Errorf("create group: %w", err)
	}
	s.audit.Record(ctx, o.ID, actor.AccountID(), "group.create", g.ID, string(g.Visibility))
	g.MemberCount = 1 // its first facilitator
	return s.placeFor(ctx, o, sub, g)
}

// Update changes a group's settings; its facilitators and the admins may.
func (s *Service) Update(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string, u kindred.GroupUpdate) (*Place, error) {
	p, err := s.manage(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, err
	}
	if err := u.Validate(); err != nil {
		return nil, err
	}
	g, err := s.store.UpdateGroup(ctx, p.Group.ID, u)
	if err != nil {
		return nil, fmt.Errorf("update group: %w", err)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "group.settings", g.ID, string(g.Visibility))
	p.Group = g
	return p, nil
}

func (s *Service) manage(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string) (*Place, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	p, err := s.place(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, err
	}
	if !p.Can(access.ManageGroup) {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Only this group's facilitators and the organisation's admins can do that.")
	}
	return p, nil
}

// Join adds the actor to a public group at once, or records a request to
// join a private one.
func (s *Service) Join(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string) (*kindred.GroupMember, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	p, err := s.place(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, err
	}
	if m := p.Member(); m != nil {
		return m, nil
	}
	if !p.AgeFits() {
		return nil, kindred.Errorf(kindred.EAGE, "This group is %s. Have a look at the other groups — there is a place for you too.", ageWords(p.Group.AgeRule))
	}
	if !p.Can(access.JoinGroup) {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "You can't join this group right now.")
	}
	status := kindred.StatusActive
	if p.Group.Visibility == kindred.VisibilityPrivate {
		status = kindred.StatusPending
	}
	m := &kindred.GroupMember{GroupID: p.Group.ID, AccountID: actor.AccountID(), Role: kindred.GroupRoleMember,
		Status: status, CreatedAt: s.now().UTC()}
	if err := s.store.CreateGroupMember(ctx, m); err != nil && kindred.ErrorCode(err) != kindred.ECONFLICT {
		return nil, fmt.Errorf("join group: %w", err)
	}
	return m, nil
}

func ageWords(r kindred.AgeRule) string {
	if r == kindred.AgeYouthOnly {
		return "for ages 13–17"
	}
	return "for adults (18 and over)"
}

// Leave takes the actor out of a group (or withdraws a request).
func (s *Service) Leave(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string) error {
	if err := signedIn(actor); err != nil {
		return err
	}
	p, err := s.place(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return err
	}
	if p.Member() == nil {
		return nil
	}
	if err := s.store.DeleteGroupMember(ctx, p.Group.ID, actor.AccountID()); err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
		return fmt.Errorf("leave group: %w", err)
	}
	s.accessChanged(ctx, actor.AccountID())
	return nil
}

// Members lists a group's members and requests for its facilitators and
// the organisation's admins (status "" for all).
func (s *Service) Members(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string, status kindred.MembershipStatus) (*Place, []*kindred.GroupMember, error) {
	p, err := s.manage(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, nil, err
	}
	ms, err := s.store.ListGroupMembers(ctx, kindred.GroupMemberFilter{GroupID: p.Group.ID, Status: status})
	if err != nil {
		return nil, nil, fmt.Errorf("list group members: %w", err)
	}
	return p, ms, nil
}

// Approve accepts a request to join a private group.
func (s *Service) Approve(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, accountID string) (*kindred.GroupMember, error) {
	p, err := s.manage(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, err
	}
	active := kindred.StatusActive
	m, err := s.store.UpdateGroupMember(ctx, p.Group.ID, accountID, kindred.GroupMemberUpdate{Status: &active})
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that request to join.")
	}
	if err != nil {
		return nil, fmt.Errorf("approve: %w", err)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "group.approve", p.Group.ID+"/"+accountID, "")
	return m, nil
}

// RemoveMember takes someone out of a group, or declines their request.
func (s *Service) RemoveMember(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, accountID string) error {
	p, err := s.manage(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return err
	}
	err = s.store.DeleteGroupMember(ctx, p.Group.ID, accountID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that member.")
	}
	if err != nil {
		return fmt.Errorf("remove from group: %w", err)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "group.remove_member", p.Group.ID+"/"+accountID, "")
	s.accessChanged(ctx, accountID)
	return nil
}

// accessChanged tells live connections of the account to re-check.
func (s *Service) accessChanged(ctx context.Context, accountID string) {
	if err := kindred.AnnounceAccess(ctx, s.broker, accountID); err != nil {
		s.log.ErrorContext(ctx, "access change not announced", "err", err)
	}
}

// SetMemberRole makes a group member a facilitator or back.
func (s *Service) SetMemberRole(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, accountID string, role kindred.GroupRole) (*kindred.GroupMember, error) {
	p, err := s.manage(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, err
	}
	if role != kindred.GroupRoleMember && role != kindred.GroupRoleFacilitator {
		return nil, &kindred.Error{Code: kindred.EINVALID, Message: "Unknown group role.", Fields: map[string]string{"role": "Choose member or facilitator."}}
	}
	m, err := s.store.UpdateGroupMember(ctx, p.Group.ID, accountID, kindred.GroupMemberUpdate{Role: &role})
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that member.")
	}
	if err != nil {
		return nil, fmt.Errorf("set group role: %w", err)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "group.role", p.Group.ID+"/"+accountID, string(role))
	return m, nil
}
