package moderation

import (
	"context"
	"fmt"
	"slices"
	"time"

	"kindred"
	"kindred/internal/access"
)

// Decide takes an action on a case, with the staff member's reason: it is
// applied, recorded with the case resolved, and audited (ids only).
func (s *Service) Decide(ctx context.Context, actor *kindred.Actor, orgSlug, caseID string, d kindred.DecisionDraft) (*kindred.Decision, error) {
	st, c, err := s.staffCase(ctx, actor, orgSlug, caseID)
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if !slices.Contains(actionsFor(c, st), d.Action) {
		return nil, &kindred.Error{Code: kindred.EINVALID, Message: "That action doesn't apply here.",
			Fields: map[string]string{"action": "Please choose one of the actions offered for this case."}}
	}
	now := s.now().UTC()
	dec := &kindred.Decision{CaseID: c.ID, OrgID: c.OrgID, Action: d.Action, Reason: d.Reason, ActorID: actor.AccountID(), CreatedAt: now}
	if d.Action.Appealable() {
		dec.SubjectID = c.SubjectID
	}
	if err := s.checkSubject(ctx, c, d.Action); err != nil {
		return nil, err
	}
	hidden := c.Hidden
	switch d.Action {
	case kindred.ActionHide:
		if err := s.hideTarget(ctx, c, kindred.HiddenByModerator, actor.AccountID(), d.Reason); err != nil {
			return nil, err
		}
		hidden = true
	case kindred.ActionRestore, kindred.ActionDismiss, kindred.ActionReachedOut:
		// A post held by the threshold or for crisis review goes back up:
		// staff looked and found nothing to keep it down for.
		if c.Kind == kindred.TargetPost && (d.Action != kindred.ActionReachedOut || s.heldForCrisis(ctx, c.TargetID)) {
			if err := s.showPost(ctx, c.TargetID, d.Action == kindred.ActionRestore); err != nil {
				return nil, err
			}
			hidden = false
		}
	case kindred.ActionSuspend:
		until := now.Add(time.Duration(d.Days) * 24 * time.Hour)
		dec.Until = &until
	case kindred.ActionBan:
		banned := kindred.StatusBanned
		if _, err := s.store.UpdateMembership(ctx, c.OrgID, c.SubjectID, kindred.MembershipUpdate{Status: &banned}); err != nil {
			return nil, fmt.Errorf("ban: %w", err)
		}
	}
	resolved := kindred.CaseResolved
	at := &now
	if err := s.store.CreateDecision(ctx, dec, kindred.CaseUpdate{Status: &resolved, Outcome: &d.Action, ResolvedAt: &at,
		Hidden: &hidden, UpdatedAt: now}); err != nil {
		return nil, fmt.Errorf("record decision: %w", err)
	}
	if d.Action == kindred.ActionSuspend || d.Action == kindred.ActionBan {
		s.announce(ctx, kindred.AccessTopic, c.SubjectID)
	}
	s.forgetBadge(c.OrgID)
	s.audit.Record(ctx, c.OrgID, actor.AccountID(), "moderation."+string(d.Action), c.ID, "decision "+dec.ID)
	return dec, nil
}

// checkSubject refuses suspending or banning admins (an admin's standing
// changes through roles, by another admin) and acting on someone whose
// account is gone.
func (s *Service) checkSubject(ctx context.Context, c *kindred.ModerationCase, a kindred.ModAction) error {
	if a != kindred.ActionWarn && a != kindred.ActionSuspend && a != kindred.ActionBan {
		return nil
	}
	if c.SubjectID == "" {
		return kindred.Errorf(kindred.EINVALID, "The person this is about has deleted their account, so there is nobody to act on.")
	}
	if a == kindred.ActionWarn {
		return nil
	}
	m, err := s.store.FindMembership(ctx, c.OrgID, c.SubjectID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return kindred.Errorf(kindred.EINVALID, "The person this is about is no longer a member of the organisation.")
	}
	if err != nil {
		return fmt.Errorf("find membership: %w", err)
	}
	if m.Roles.Has(kindred.RoleAdmin) {
		return kindred.Errorf(kindred.EFORBIDDEN, "Admins can't be suspended or banned from the queue. Another admin can change their roles first.")
	}
	return nil
}

func (s *Service) heldForCrisis(ctx context.Context, postID string) bool {
	p, err := s.store.FindPost(ctx, postID)
	return err == nil && p.Hidden == kindred.HiddenCrisisHold
}

// showPost puts a hidden post back. Without force only a post hidden by
// the threshold or for crisis review is shown: a dismissal does not undo a
// moderator's earlier hiding.
func (s *Service) showPost(ctx context.Context, postID string, force bool) error {
	p, err := s.store.FindPost(ctx, postID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil
	}
	if err != nil {
		return fmt.Errorf("find post: %w", err)
	}
	if p.Hidden == kindred.PostVisible || (!force && p.Hidden == kindred.HiddenByModerator) {
		return nil
	}
	if err := s.store.SetPostHidden(ctx, postID, kindred.PostVisible); err != nil {
		return fmt.Errorf("show post: %w", err)
	}
	s.announce(ctx, kindred.PostsTopic, postID)
	return nil
}

// Appeal records the one appeal the person affected may make against a
// decision about them. Decisions about others look missing.
func (s *Service) Appeal(ctx context.Context, actor *kindred.Actor, orgSlug, decisionID string, d kindred.AppealDraft) (*kindred.Decision, error) {
	p, err := s.org(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	dec, err := s.store.FindDecision(ctx, decisionID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND ||
		(err == nil && (dec.OrgID != p.Org.ID || dec.SubjectID != actor.AccountID() || !dec.Action.Appealable())) {
		return nil, errNoDecision
	}
	if err != nil {
		return nil, fmt.Errorf("find decision: %w", err)
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if err := s.store.AppealDecision(ctx, dec.ID, d.Note, s.now().UTC()); err != nil {
		return nil, err
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "moderation.appeal", dec.ID, "")
	return s.store.FindDecision(ctx, dec.ID)
}

// DecideAppeal answers an appeal. A different staff member from the one
// who decided answers it, whenever the organisation has one; overturning
// undoes the decision.
func (s *Service) DecideAppeal(ctx context.Context, actor *kindred.Actor, orgSlug, decisionID string, d kindred.AppealDecisionDraft) (*kindred.Decision, error) {
	st, err := s.staffPlace(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	if !st.moderates {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Appeals are answered by the organisation's moderators and admins.")
	}
	dec, err := s.store.FindDecision(ctx, decisionID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND ||
		(err == nil && (dec.OrgID != st.Org.ID || dec.SubjectID == actor.AccountID() || dec.AppealedAt == nil)) {
		return nil, errNoDecision
	}
	if err != nil {
		return nil, fmt.Errorf("find decision: %w", err)
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if dec.ActorID == actor.AccountID() {
		other, err := s.otherModerator(ctx, st.Org.ID, actor.AccountID(), dec.SubjectID)
		if err != nil {
			return nil, err
		}
		if other {
			return nil, kindred.Errorf(kindred.EFORBIDDEN, "You made this decision, so another moderator or admin answers the appeal: a fresh pair of eyes is the point of appealing.")
		}
	}
	if err := s.store.DecideAppeal(ctx, dec.ID, d.Outcome, d.Reason, actor.AccountID(), s.now().UTC()); err != nil {
		return nil, err
	}
	if d.Outcome == kindred.AppealOverturned {
		if err := s.undo(ctx, dec); err != nil {
			return nil, err
		}
	}
	s.audit.Record(ctx, st.Org.ID, actor.AccountID(), "moderation.appeal_"+string(d.Outcome), dec.ID, "case "+dec.CaseID)
	return s.store.FindDecision(ctx, dec.ID)
}

// otherModerator reports whether someone else could answer an appeal: an
// active moderator or admin who is neither the decider nor the appellant.
func (s *Service) otherModerator(ctx context.Context, orgID, decider, subject string) (bool, error) {
	ms, err := s.store.ListMemberships(ctx, kindred.MembershipFilter{OrgID: orgID, Status: kindred.StatusActive, Limit: 100000})
	if err != nil {
		return false, fmt.Errorf("list memberships: %w", err)
	}
	for _, m := range ms {
		if m.AccountID != decider && m.AccountID != subject &&
			access.Can(access.Subject{Account: &kindred.Account{ID: m.AccountID}, Membership: m}, access.ModerateOrg, nil) {
			return true, nil
		}
	}
	return false, nil
}

// undo reverses an overturned decision. Suspensions need nothing more:
// an overturned one no longer counts.
func (s *Service) undo(ctx context.Context, dec *kindred.Decision) error {
	c, err := s.store.FindModerationCase(ctx, dec.CaseID)
	if err != nil {
		return fmt.Errorf("find case: %w", err)
	}
	switch dec.Action {
	case kindred.ActionHide:
		if c.Kind == kindred.TargetPost {
			if err := s.showPost(ctx, c.TargetID, true); err != nil {
				return err
			}
		}
	case kindred.ActionBan:
		if dec.SubjectID != "" {
			active := kindred.StatusActive
			_, err := s.store.UpdateMembership(ctx, dec.OrgID, dec.SubjectID, kindred.MembershipUpdate{Status: &active})
			if err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
				return fmt.Errorf("lift ban: %w", err)
			}
		}
	}
	if dec.SubjectID != "" {
		s.announce(ctx, kindred.AccessTopic, dec.SubjectID)
	}
	// The reporters were not borne out, for their accuracy's sake.
	restored := kindred.ActionRestore
	hidden := false
	if _, err := s.store.UpdateModerationCase(ctx, c.ID, kindred.CaseUpdate{Outcome: &restored, Hidden: &hidden, UpdatedAt: s.now().UTC()}); err != nil {
		return fmt.Errorf("update case: %w", err)
	}
	return nil
}

// ScreenCrisis reports whether text written in an organisation holds
// crisis language, and whether the organisation holds such posts for
// review. Only the answer is kept, never the text.
func (s *Service) ScreenCrisis(ctx context.Context, orgID, text string) (bool, bool) {
	if !s.opts.Crisis.ScanCrisis(ctx, orgID, text) {
		return false, false
	}
	set, err := s.store.FindModerationSettings(ctx, orgID)
	if err != nil {
		// Publishing is the safer failure: the writer still sees the
		// crisis lines and staff still get the flag.
		s.log.ErrorContext(ctx, "moderation settings", "err", err)
		return true, false
	}
	return true, set.HoldCrisisPosts
}

// RaiseCrisis puts a crisis case about the content at the top of the
// organisation's queue. It comes from the system: no reporter is named,
// and nothing of the content is copied.
func (s *Service) RaiseCrisis(ctx context.Context, f kindred.CrisisFlag) {
	c := &kindred.ModerationCase{OrgID: f.OrgID, Kind: f.Kind, TargetID: f.TargetID, ContextID: f.ContextID,
		SubjectID: f.AuthorID, CoordinatorsOnly: f.Kind == kindred.TargetSupportRequest, CreatedAt: s.now().UTC()}
	if _, err := s.openCase(context.WithoutCancel(ctx), c, true); err != nil {
		s.log.ErrorContext(ctx, "crisis flag not raised", "kind", string(f.Kind), "err", err)
		return
	}
	s.forgetBadge(f.OrgID)
}
