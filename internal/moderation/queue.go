package moderation

import (
	"context"
	"fmt"
	"time"

	"kindred"
	"kindred/internal/access"
)

// staff is the actor's moderation powers in an organisation.
type staff struct {
	*place
	moderates bool // reports, actions, appeals
	crisis    bool // crisis cases
	support   bool // crisis cases about requests for support
}

// staffPlace loads the actor's powers; people with none are refused.
func (s *Service) staffPlace(ctx context.Context, actor *kindred.Actor, orgSlug string) (*staff, error) {
	p, err := s.member(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	st := &staff{place: p, moderates: p.can(access.ModerateOrg), crisis: p.can(access.SeeCrisisFlags),
		support: p.can(access.SeeSupportFlags)}
	if !st.moderates && !st.crisis {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "The moderation queue is for the organisation's moderators, admins and coordinators.")
	}
	return st, nil
}

// sees reports whether the staff member may open the case. Cases about
// themselves never reach them.
func (st *staff) sees(c *kindred.ModerationCase) bool {
	switch {
	case c.OrgID != st.Org.ID, c.SubjectID != "" && c.SubjectID == st.Subject.Account.ID:
		return false
	case c.CoordinatorsOnly:
		return st.support
	case st.moderates:
		return true
	}
	return c.Crisis && st.crisis
}

// Queue is the moderation queue as one staff member sees it.
type Queue struct {
	Org       *kindred.Organization
	Cases     []*kindred.ModerationCase
	Appeals   []*kindred.Decision // open appeals this person may answer
	Crisis    int                 // open crisis cases among Cases
	Moderates bool
	Resolved  bool // listing resolved cases rather than open ones
	Threshold float64
}

// Queue lists the open (or, with resolved, the decided) cases: crisis
// first, then urgent reasons, then weight, then the oldest.
func (s *Service) Queue(ctx context.Context, actor *kindred.Actor, orgSlug string, resolved bool) (*Queue, error) {
	st, err := s.staffPlace(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	status := kindred.CaseOpen
	if resolved {
		status = kindred.CaseResolved
	}
	f := kindred.CaseFilter{OrgID: st.Org.ID, Status: status, WithCoordinatorsOnly: st.support,
		OnlyCoordinatorsOnly: !st.moderates && !st.crisis, NotAbout: actor.AccountID(), Limit: 200}
	cases, err := s.store.ListModerationCases(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list cases: %w", err)
	}
	set, err := s.store.FindModerationSettings(ctx, st.Org.ID)
	if err != nil {
		return nil, fmt.Errorf("moderation settings: %w", err)
	}
	q := &Queue{Org: st.Org, Moderates: st.moderates, Resolved: resolved, Threshold: set.HideThreshold}
	for _, c := range cases {
		if !st.sees(c) {
			continue
		}
		q.Cases = append(q.Cases, c)
		if c.Crisis && c.Status == kindred.CaseOpen {
			q.Crisis++
		}
	}
	if st.moderates && !resolved {
		appeals, err := s.store.ListDecisions(ctx, kindred.DecisionFilter{OrgID: st.Org.ID, OpenAppeals: true, Limit: 100})
		if err != nil {
			return nil, fmt.Errorf("list appeals: %w", err)
		}
		for _, d := range appeals {
			if d.SubjectID != actor.AccountID() {
				q.Appeals = append(q.Appeals, d)
			}
		}
	}
	return q, nil
}

// CaseView is one case as staff see it. Reports show their reason, note
// and weight, never who filed them.
type CaseView struct {
	Org       *kindred.Organization
	Case      *kindred.ModerationCase
	Reports   []*kindred.Report
	Decisions []*kindred.Decision
	Actions   []kindred.ModAction
	Moderates bool

	// What the case is about, for staff to judge.
	Post        *kindred.Post   // posts (also when hidden)
	Thread      *kindred.Thread // posts
	Group       *kindred.Group  // posts and session rooms
	Message     *kindred.ChatMessage
	PersonName  string // people, and the author of a post or message
	Link        string // where the content lives, to reach out
	Gone        bool   // the content was deleted or erased meanwhile
	SupportLink string // support requests: the coordinator's page
}

// Case returns one case with its reports, decisions and content.
func (s *Service) Case(ctx context.Context, actor *kindred.Actor, orgSlug, caseID string) (*CaseView, error) {
	st, c, err := s.staffCase(ctx, actor, orgSlug, caseID)
	if err != nil {
		return nil, err
	}
	v := &CaseView{Org: st.Org, Case: c, Moderates: st.moderates, Actions: actionsFor(c, st)}
	if v.Reports, err = s.store.ListReports(ctx, kindred.ReportFilter{CaseID: c.ID, Limit: 200}); err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	for _, r := range v.Reports {
		r.ReporterID = "" // staff judge what was reported, not who reported it
	}
	if v.Decisions, err = s.store.ListDecisions(ctx, kindred.DecisionFilter{CaseID: c.ID, Limit: 100}); err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	if err := s.fillContent(ctx, v); err != nil {
		return nil, err
	}
	return v, nil
}

func (s *Service) staffCase(ctx context.Context, actor *kindred.Actor, orgSlug, caseID string) (*staff, *kindred.ModerationCase, error) {
	st, err := s.staffPlace(ctx, actor, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	c, err := s.store.FindModerationCase(ctx, caseID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND || (err == nil && !st.sees(c)) {
		return nil, nil, errNoCase
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find case: %w", err)
	}
	return st, c, nil
}

// actionsFor lists what the staff member may do about the case.
func actionsFor(c *kindred.ModerationCase, st *staff) []kindred.ModAction {
	var out []kindred.ModAction
	if st.moderates {
		switch c.Kind {
		case kindred.TargetPost:
			out = append(out, kindred.ActionHide, kindred.ActionRestore)
		case kindred.TargetMessage:
			out = append(out, kindred.ActionHide)
		}
		if c.SubjectID != "" && c.Kind != kindred.TargetSupportRequest {
			out = append(out, kindred.ActionWarn, kindred.ActionSuspend, kindred.ActionBan)
		}
		out = append(out, kindred.ActionDismiss)
	}
	if c.Crisis {
		out = append(out, kindred.ActionReachedOut)
		if !st.moderates {
			out = append(out, kindred.ActionDismiss)
		}
	}
	return out
}

func (s *Service) fillContent(ctx context.Context, v *CaseView) error {
	c := v.Case
	name := func(accountID string) string {
		if accountID == "" {
			return ""
		}
		if m, err := s.store.FindMembership(ctx, c.OrgID, accountID); err == nil && m.DisplayName != "" {
			return m.DisplayName
		}
		if a, err := s.store.FindAccount(ctx, accountID); err == nil {
			return a.Name() + " (@" + a.Handle + ")"
		}
		return ""
	}
	switch c.Kind {
	case kindred.TargetPost:
		post, err := s.store.FindPost(ctx, c.TargetID)
		if err != nil || post.Deleted() {
			v.Gone = true
			return nil
		}
		th, err := s.store.FindThread(ctx, post.ThreadID)
		if err != nil {
			v.Gone = true
			return nil
		}
		g, err := s.store.FindGroup(ctx, th.GroupID)
		if err != nil {
			return fmt.Errorf("find group: %w", err)
		}
		v.Post, v.Thread, v.Group = post, th, g
		v.PersonName = name(post.AuthorID)
		v.Link = "/o/" + v.Org.Slug + "/g/" + g.Slug + "/t/" + th.ID + "#post-" + post.ID
	case kindred.TargetMessage:
		roomID, seq, ok := splitMessageTarget(c.TargetID)
		m, err := s.store.FindChatMessage(ctx, roomID, seq)
		if !ok || err != nil {
			v.Gone = true
			return nil
		}
		v.Message = m
		v.PersonName = name(m.AuthorID)
		v.Link = "/rooms/" + roomID
	case kindred.TargetPerson:
		v.PersonName = name(c.TargetID)
		if v.PersonName == "" {
			v.Gone = true
		}
	case kindred.TargetSupportRequest:
		// Only coordinators reach this case; even they read the request
		// on its own page, where support's rules apply.
		v.SupportLink = "/o/" + v.Org.Slug + "/support/requests/" + c.TargetID
	}
	return nil
}

// CrisisBadge counts the open crisis cases the actor would see in the
// organisation, for the header; 0 for everyone else and on any error (a
// badge must never break a page). Counts are cached for a few seconds.
func (s *Service) CrisisBadge(ctx context.Context, actor *kindred.Actor, org *kindred.Organization) int {
	if !actor.SignedIn() || org == nil {
		return 0
	}
	m, err := s.store.FindMembership(ctx, org.ID, actor.AccountID())
	if err != nil {
		return 0
	}
	sub := access.Subject{Account: actor.Account, Membership: m}
	if !access.Can(sub, access.SeeCrisisFlags, nil) {
		return 0
	}
	key := badgeKey{org: org.ID, coords: access.Can(sub, access.SeeSupportFlags, nil)}
	now := s.now()
	s.mu.Lock()
	b, ok := s.badge[key]
	s.mu.Unlock()
	if ok && now.Sub(b.at) < badgeTTL {
		return b.n
	}
	n, err := s.store.CountCrisisCases(ctx, org.ID, key.coords)
	if err != nil {
		return 0
	}
	s.mu.Lock()
	if len(s.badge) > 10_000 {
		clear(s.badge)
	}
	s.badge[key] = badgeCount{n: n, at: now}
	s.mu.Unlock()
	return n
}

const badgeTTL = 5 * time.Second

func (s *Service) forgetBadge(orgID string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.badge, badgeKey{org: orgID})
	delete(s.badge, badgeKey{org: orgID, coords: true})
}
