package support

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"kindred"
)

// matchFor finds a match and how the actor relates to it: its member, its
// supporter, or a coordinator; anyone else finds nothing.
func (s *Service) matchFor(ctx context.Context, st *standing, matchID string) (*kindred.SupportMatch, viewer, error) {
	m, err := s.store.FindSupportMatch(ctx, matchID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, viewNone, errNoMatch
	}
	if err != nil {
		return nil, viewNone, fmt.Errorf("find match: %w", err)
	}
	switch {
	case m.OrgID != st.org.ID:
		return nil, viewNone, errNoMatch
	case m.MemberID == st.me():
		return m, viewMember, nil
	case m.SupporterID == st.me():
		return m, viewSupporter, nil
	case st.coordinator():
		return m, viewCoordinator, nil
	}
	return nil, viewNone, errNoMatch
}

func checkText(field, text string, limit int, required string) (string, error) {
	text = strings.TrimSpace(text)
	switch {
	case text == "" && required != "":
		return "", kindred.Invalid{field: required}.Err()
	case utf8.RuneCountInString(text) > limit:
		return "", kindred.Invalid{field: fmt.Sprintf("Please keep this to %d characters.", limit)}.Err()
	}
	return text, nil
}

// EndConversation ends a match (its member or supporter); the room closes.
func (s *Service) EndConversation(ctx context.Context, actor *kindred.Actor, orgSlug, matchID string) error {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return err
	}
	m, who, err := s.matchFor(ctx, st, matchID)
	if err != nil {
		return err
	}
	end := kindred.MatchEndedByMember
	switch who {
	case viewSupporter:
		end = kindred.MatchEndedBySupporter
	case viewCoordinator:
		end = kindred.MatchEndedByStaff
	}
	if !m.Active() {
		return nil // ended already: what they wanted has happened
	}
	if _, err := s.store.EndSupportMatch(ctx, m.ID, kindred.SupportMatchEnd{At: s.now(), By: st.me(), End: end}); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return nil
		}
		return fmt.Errorf("end match: %w", err)
	}
	s.matchEnded(ctx, m.ID, st.me())
	s.publish(ctx, st.org.ID)
	return nil
}

// SubmitFeedback records the member's private answer to "did this help?".
func (s *Service) SubmitFeedback(ctx context.Context, actor *kindred.Actor, orgSlug, matchID string, helped kindred.Helped, comment string) error {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return err
	}
	m, who, err := s.matchFor(ctx, st, matchID)
	if err != nil {
		return err
	}
	if who != viewMember {
		return kindred.Errorf(kindred.EFORBIDDEN, "Only the person who was supported can say whether it helped.")
	}
	if !helped.Valid() {
		return kindred.Invalid{"helped": "Please say whether it helped: yes, somewhat or no."}.Err()
	}
	comment, err = checkText("comment", comment, kindred.MaxFeedbackComment, "")
	if err != nil {
		return err
	}
	f := &kindred.SupportFeedback{MatchID: m.ID, OrgID: m.OrgID, MemberID: m.MemberID, SupporterID: m.SupporterID,
		Helped: helped, Comment: comment, CreatedAt: s.now()}
	if err := s.store.CreateSupportFeedback(ctx, f); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return err
		}
		return fmt.Errorf("create feedback: %w", err)
	}
	return nil
}

// WriteDebrief records the supporter's note after a conversation.
func (s *Service) WriteDebrief(ctx context.Context, actor *kindred.Actor, orgSlug, matchID, body string, checkIn bool) error {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return err
	}
	m, who, err := s.matchFor(ctx, st, matchID)
	if err != nil {
		return err
	}
	if who != viewSupporter {
		return kindred.Errorf(kindred.EFORBIDDEN, "Only the conversation's supporter writes its debrief.")
	}
	if !st.supporterRole() {
		return errNotSup
	}
	body, err = checkText("body", body, kindred.MaxDebrief, "Please write a few words about how it went, for your coordinator.")
	if err != nil {
		return err
	}
	d := &kindred.SupportDebrief{MatchID: m.ID, OrgID: m.OrgID, SupporterID: m.SupporterID, Body: body, CheckIn: checkIn, CreatedAt: s.now()}
	if err := s.store.CreateSupportDebrief(ctx, d); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return err
		}
		return fmt.Errorf("create debrief: %w", err)
	}
	if checkIn {
		s.publish(ctx, st.org.ID)
	}
	return nil
}

// Escalate asks a coordinator to step in (member or supporter of the match).
func (s *Service) Escalate(ctx context.Context, actor *kindred.Actor, orgSlug, matchID, reason string, urgent bool) (*kindred.SupportEscalation, error) {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	m, who, err := s.matchFor(ctx, st, matchID)
	if err != nil {
		return nil, err
	}
	if who != viewMember && who != viewSupporter {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Only the two people in the conversation can ask a coordinator to step in.")
	}
	reason, err = checkText("reason", reason, kindred.MaxEscalation, "Please say briefly what's wrong, so a coordinator knows how to help.")
	if err != nil {
		return nil, err
	}
	e := &kindred.SupportEscalation{OrgID: m.OrgID, MatchID: m.ID, RequestID: m.RequestID, RaisedBy: st.me(),
		Reason: reason, Urgent: urgent, CreatedAt: s.now()}
	if err := s.store.CreateSupportEscalation(ctx, e); err != nil {
		return nil, fmt.Errorf("create escalation: %w", err)
	}
	s.publish(ctx, st.org.ID)
	return e, nil
}

// ProposeHandoff is the supporter suggesting another supporter takes over.
func (s *Service) ProposeHandoff(ctx context.Context, actor *kindred.Actor, orgSlug, matchID, note string) error {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return err
	}
	m, who, err := s.matchFor(ctx, st, matchID)
	if err != nil {
		return err
	}
	if who != viewSupporter {
		return kindred.Errorf(kindred.EFORBIDDEN, "Only the conversation's supporter can suggest a hand-off.")
	}
	if !m.Active() {
		return kindred.Errorf(kindred.ECONFLICT, "This conversation has ended.")
	}
	note, err = checkText("note", note, kindred.MaxHandoffNote, "Please tell them, kindly, why someone else may help more.")
	if err != nil {
		return err
	}
	now := s.now()
	at := &now
	if _, err := s.store.UpdateSupportMatch(ctx, m.ID, kindred.SupportMatchUpdate{HandoffProposedAt: &at, HandoffNote: &note}); err != nil {
		return fmt.Errorf("propose handoff: %w", err)
	}
	s.audit.Record(ctx, m.OrgID, st.me(), "support.handoff.propose", "match:"+m.ID, "")
	s.publish(ctx, st.org.ID)
	return nil
}

// AnswerHandoff is the member's consent (or not) to a proposed hand-off.
// With consent the match ends as handed off and the request goes back to
// the queue in its original place, never to the same supporter.
func (s *Service) AnswerHandoff(ctx context.Context, actor *kindred.Actor, orgSlug, matchID string, consent bool) error {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return err
	}
	m, who, err := s.matchFor(ctx, st, matchID)
	if err != nil {
		return err
	}
	if who != viewMember {
		return kindred.Errorf(kindred.EFORBIDDEN, "Only the person being supported can answer a hand-off.")
	}
	if !m.Active() || m.HandoffProposedAt == nil {
		return kindred.Errorf(kindred.ECONFLICT, "There's no hand-off waiting for your answer.")
	}
	if !consent {
		var none *time.Time
		empty := ""
		if _, err := s.store.UpdateSupportMatch(ctx, m.ID, kindred.SupportMatchUpdate{HandoffProposedAt: &none, HandoffNote: &empty}); err != nil {
			return fmt.Errorf("decline handoff: %w", err)
		}
		s.audit.Record(ctx, m.OrgID, st.me(), "support.handoff.decline", "match:"+m.ID, "")
		return nil
	}
	if _, err := s.store.EndSupportMatch(ctx, m.ID, kindred.SupportMatchEnd{At: s.now(), By: st.me(),
		End: kindred.MatchHandedOff, Requeue: true}); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return err
		}
		return fmt.Errorf("hand off: %w", err)
	}
	s.matchEnded(ctx, m.ID, st.me())
	s.redecide(ctx, m.RequestID)
	s.publish(ctx, st.org.ID)
	return nil
}

// RequestForRoom returns the request a support conversation belongs to, for
// the member or the supporter of its match, so the room page can link back
// to it (ending, feedback, debrief, escalation). Anyone else, and any room
// that is not a support conversation, gets ENOTFOUND.
func (s *Service) RequestForRoom(ctx context.Context, actor *kindred.Actor, roomID string) (orgSlug, requestID string, err error) {
	if !actor.SignedIn() || roomID == "" {
		return "", "", errNoMatch
	}
	ms, err := s.store.ListSupportMatches(ctx, kindred.SupportMatchFilter{RoomID: roomID, Limit: 1})
	if err != nil {
		return "", "", fmt.Errorf("list matches: %w", err)
	}
	if len(ms) == 0 || (ms[0].MemberID != actor.AccountID() && ms[0].SupporterID != actor.AccountID()) {
		return "", "", errNoMatch
	}
	o, err := s.store.FindOrganization(ctx, ms[0].OrgID)
	if err != nil {
		return "", "", fmt.Errorf("find organisation: %w", err)
	}
	return o.Slug, ms[0].RequestID, nil
}
