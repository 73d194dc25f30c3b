package support

import (
	"context"
	"fmt"
	"slices"
	"time"

	"kindred"
)

// Wait estimates.
const (
	// waitHistory is how far back matched requests inform the estimate.
	waitHistory = 14 * 24 * time.Hour
	// minWaitHistory is how many matches an estimate needs; fewer and a
	// number would be a guess dressed up as a fact.
	minWaitHistory = 5
)

// Texts shown when there is no honest estimate.
const (
	textNobodyOnShift = "Nobody is on shift right now. Your request stays in the queue and a supporter will see it when they start."
	textNoHistory     = "We don't have enough history to estimate yet."
)

func (s *Service) choices(set *kindred.SupportSettings) Choices {
	return Choices{Settings: set, Identities: kindred.Identities, Languages: kindred.Languages, Urgencies: kindred.Urgencies}
}

// Home returns the member's support page.
func (s *Service) Home(ctx context.Context, actor *kindred.Actor, orgSlug string) (*MemberHome, error) {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	reqs, err := s.store.ListSupportRequests(ctx, kindred.SupportRequestFilter{OrgID: st.org.ID, MemberID: st.me(), Limit: 10})
	if err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	h := &MemberHome{Org: st.org, Choices: s.choices(st.set), Supporter: st.supporterRole(), Coordinator: st.coordinator()}
	for _, r := range reqs {
		v, err := s.requestView(ctx, st, r, viewMember)
		if err != nil {
			return nil, err
		}
		h.Requests = append(h.Requests, v)
	}
	cands, err := s.store.SupportCandidates(ctx, st.org.ID, s.now())
	if err != nil {
		return nil, fmt.Errorf("support candidates: %w", err)
	}
	h.OnShiftNow = len(cands)
	return h, nil
}

// RequestSupport files a request and makes the first offers at once. When
// the text reads as a crisis the view carries resources to show now.
func (s *Service) RequestSupport(ctx context.Context, actor *kindred.Actor, orgSlug string, d kindred.SupportRequestDraft) (*RequestView, error) {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	if err := d.Validate(st.set); err != nil {
		return nil, err
	}
	open, err := s.store.ListSupportRequests(ctx, kindred.SupportRequestFilter{OrgID: st.org.ID, MemberID: st.me(),
		Statuses: []kindred.RequestStatus{kindred.RequestWaiting, kindred.RequestMatched}, Limit: 1})
	if err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	if len(open) > 0 {
		return nil, errOneOpen
	}
	now := s.now()
	r := &kindred.SupportRequest{OrgID: st.org.ID, MemberID: st.me(), Topics: d.Topics, Details: d.Details,
		Language: d.Language, Identities: d.Identities, NotMySchool: d.NotMySchool, Urgency: d.Urgency,
		// Only the member's own words are scanned, and only the flag is
		// kept from the scan.
		Crisis:    s.scanner.ScanCrisis(ctx, st.org.ID, d.Details),
		CreatedAt: now, UpdatedAt: now}
	if err := s.store.CreateSupportRequest(ctx, r); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return nil, errOneOpen
		}
		return nil, fmt.Errorf("create request: %w", err)
	}
	if r.Crisis && s.flagger != nil {
		s.flagger.RaiseCrisis(ctx, kindred.CrisisFlag{OrgID: r.OrgID, Kind: kindred.TargetSupportRequest,
			TargetID: r.ID, AuthorID: r.MemberID})
	}
	dec, err := s.decide(ctx, r)
	if err != nil {
		// The request is safely queued; the sweep will offer it.
		s.log.ErrorContext(ctx, "support decision", "request", r.ID, "err", err)
		dec = &decision{}
	}
	s.publish(ctx, st.org.ID)
	v, err := s.requestView(ctx, st, r, viewMember)
	if err != nil {
		return nil, err
	}
	if v.Unmatched == "" {
		v.Unmatched = dec.unmatched
	}
	return v, nil
}

var errOneOpen = kindred.Errorf(kindred.ECONFLICT,
	"You already have a request for support open here, and it keeps its place in the queue. You'll find it at the top of your support page, where you can change your mind and cancel it.")

// viewer is how the actor relates to a request.
type viewer int

const (
	viewNone viewer = iota
	viewMember
	viewSupporter
	viewCoordinator
)

// visible finds a request and how the actor may see it: its member, a
// supporter who was matched with it, or a coordinator. Anyone else
// (including supporters it is only offered to, who see offers) finds
// nothing.
func (s *Service) visible(ctx context.Context, st *standing, requestID string) (*kindred.SupportRequest, viewer, error) {
	r, err := s.store.FindSupportRequest(ctx, requestID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, viewNone, errNoRequest
	}
	if err != nil {
		return nil, viewNone, fmt.Errorf("find request: %w", err)
	}
	if r.OrgID != st.org.ID {
		return nil, viewNone, errNoRequest
	}
	switch {
	case r.MemberID == st.me():
		return r, viewMember, nil
	case st.coordinator():
		return r, viewCoordinator, nil
	case st.supporterRole():
		ms, err := s.store.ListSupportMatches(ctx, kindred.SupportMatchFilter{RequestID: r.ID, SupporterID: st.me(), Limit: 1})
		if err != nil {
			return nil, viewNone, fmt.Errorf("list matches: %w", err)
		}
		if len(ms) > 0 {
			return r, viewSupporter, nil
		}
	}
	return nil, viewNone, errNoRequest
}

// Request returns a request for its member, its matched supporter, or a
// coordinator; anyone else gets ENOTFOUND.
func (s *Service) Request(ctx context.Context, actor *kindred.Actor, orgSlug, requestID string) (*RequestView, error) {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	r, who, err := s.visible(ctx, st, requestID)
	if err != nil {
		return nil, err
	}
	return s.requestView(ctx, st, r, who)
}

// requestView builds the view for who, leaving out what they may not see.
func (s *Service) requestView(ctx context.Context, st *standing, r *kindred.SupportRequest, who viewer) (*RequestView, error) {
	now := s.now()
	req := *r
	v := &RequestView{Request: &req, Org: st.org, TopicLabels: topicLabels(st.set, r.Topics),
		IsMember: who == viewMember, IsSupporter: who == viewSupporter, IsCoordinator: who == viewCoordinator}
	if who != viewCoordinator {
		req.Excluded = nil // other supporters' ids are the coordinators' business
	}
	if r.Crisis && who != viewSupporter {
		v.Resources = s.resources
	}
	matches, err := s.store.ListSupportMatches(ctx, kindred.SupportMatchFilter{RequestID: r.ID, Limit: 50})
	if err != nil {
		return nil, fmt.Errorf("list matches: %w", err)
	}
	for _, m := range matches {
		if who == viewSupporter && m.SupporterID != st.me() {
			continue // a supporter sees only their own part of it
		}
		cp := *m
		if who != viewCoordinator {
			cp.Reason = ""
		}
		if m.ID == r.MatchID && v.Match == nil && (m.Active() || r.Status != kindred.RequestWaiting) {
			v.Match = &cp
		} else {
			v.Earlier = append(v.Earlier, &cp)
		}
	}
	if who == viewSupporter && v.Match == nil && len(v.Earlier) > 0 {
		v.Match, v.Earlier = v.Earlier[0], v.Earlier[1:]
	}
	if r.Status == kindred.RequestWaiting && who != viewSupporter {
		if err := s.estimate(ctx, st, r, v, now); err != nil {
			return nil, err
		}
	}
	m := v.Match
	if m != nil {
		if who == viewMember {
			if p, err := s.store.FindSupporterProfile(ctx, r.OrgID, m.SupporterID); err == nil {
				v.SupporterIntro = p.Intro
			} else if kindred.ErrorCode(err) != kindred.ENOTFOUND {
				return nil, fmt.Errorf("find profile: %w", err)
			}
		}
		if who != viewSupporter {
			if v.Feedback, err = s.findFeedback(ctx, m.ID); err != nil {
				return nil, err
			}
		}
		if who != viewMember {
			if v.Debrief, err = s.findDebrief(ctx, m.ID); err != nil {
				return nil, err
			}
		}
	}
	open := r.Status == kindred.RequestWaiting || r.Status == kindred.RequestMatched
	active := m.Active()
	v.CanCancel = who == viewMember && open
	v.CanDeclineMatch = who == viewMember && active
	v.CanEnd = (who == viewMember || who == viewSupporter) && active
	v.CanEscalate = (who == viewMember || who == viewSupporter) && m != nil
	v.CanFeedback = who == viewMember && m != nil && v.Feedback == nil
	v.CanDebrief = who == viewSupporter && m != nil && !active && v.Debrief == nil
	v.CanProposeHandoff = who == viewSupporter && active && m.HandoffProposedAt == nil
	v.CanAnswerHandoff = who == viewMember && active && m.HandoffProposedAt != nil
	return v, nil
}

func (s *Service) findFeedback(ctx context.Context, matchID string) (*kindred.SupportFeedback, error) {
	f, err := s.store.FindSupportFeedback(ctx, matchID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find feedback: %w", err)
	}
	return f, nil
}

func (s *Service) findDebrief(ctx context.Context, matchID string) (*kindred.SupportDebrief, error) {
	d, err := s.store.FindSupportDebrief(ctx, matchID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("find debrief: %w", err)
	}
	return d, nil
}

// estimate fills the waiting part of the view: the place in the queue and
// an estimate only when it can be honest. The estimate is the median wait
// of the last two weeks' matches, times how many rounds of the free places
// on shift it takes to reach this place.
func (s *Service) estimate(ctx context.Context, st *standing, r *kindred.SupportRequest, v *RequestView, now time.Time) error {
	queue, err := s.store.SupportQueue(ctx, r.OrgID)
	if err != nil {
		return fmt.Errorf("support queue: %w", err)
	}
	for i, q := range queue {
		if q.ID == r.ID {
			v.Place = i + 1
			break
		}
	}
	offers, err := s.store.ListSupportOffers(ctx, kindred.SupportOfferFilter{RequestID: r.ID, Status: kindred.OfferOpen, Limit: 50})
	if err != nil {
		return fmt.Errorf("list offers: %w", err)
	}
	v.OffersOut = len(offers)
	cands, err := s.store.SupportCandidates(ctx, r.OrgID, now)
	if err != nil {
		return fmt.Errorf("support candidates: %w", err)
	}
	if len(cands) == 0 {
		v.EstimateText = textNobodyOnShift
		return nil
	}
	if v.OffersOut == 0 {
		member, err := s.memberFacts(ctx, r)
		if err != nil {
			return err
		}
		v.Unmatched = Unmatched(r, member, cands, st.set, now)
	}
	waits, err := s.store.SupportWaits(ctx, r.OrgID, now.Add(-waitHistory))
	if err != nil {
		return fmt.Errorf("support waits: %w", err)
	}
	if len(waits) < minWaitHistory {
		v.EstimateText = textNoHistory
		return nil
	}
	slices.Sort(waits)
	median := waits[len(waits)/2]
	free := 0
	for _, c := range cands {
		free += max(capacity(&c.Profile, st.set)-c.Load, 0)
	}
	rounds := 1
	if place := max(v.Place, 1); free > 0 {
		rounds = (place + free - 1) / free
	} else {
		rounds = place + 1 // everyone is busy: wait for conversations to end
	}
	v.Estimate = (median * time.Duration(rounds)).Round(time.Minute)
	if v.Estimate < time.Minute {
		v.Estimate = time.Minute
	}
	v.EstimateKnown = true
	v.EstimateText = fmt.Sprintf("About %s, going by how long people waited over the last two weeks. It's an estimate, not a promise.", words(v.Estimate))
	return nil
}

// words says a duration in minutes or hours.
func words(d time.Duration) string {
	if d < time.Hour {
		return plural(int(d/time.Minute), "minute")
	}
	h := d.Round(30 * time.Minute)
	if h%time.Hour == 0 {
		return plural(int(h/time.Hour), "hour")
	}
	return fmt.Sprintf("%.1f hours", h.Hours())
}

// memberRequest finds a request the actor asked for; others find nothing
// or are told it is not theirs to change.
func (s *Service) memberRequest(ctx context.Context, st *standing, requestID string) (*kindred.SupportRequest, error) {
	r, who, err := s.visible(ctx, st, requestID)
	if err != nil {
		return nil, err
	}
	if who != viewMember {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Only the person who asked for support can change this request.")
	}
	return r, nil
}

// CancelRequest withdraws a waiting or matched request (its member only).
func (s *Service) CancelRequest(ctx context.Context, actor *kindred.Actor, orgSlug, requestID string) error {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return err
	}
	r, err := s.memberRequest(ctx, st, requestID)
	if err != nil {
		return err
	}
	if r.Status != kindred.RequestWaiting && r.Status != kindred.RequestMatched {
		return kindred.Errorf(kindred.ECONFLICT, "This request has already closed.")
	}
	closed, err := s.store.CloseSupportRequest(ctx, r.ID, kindred.RequestCancelled,
		kindred.SupportMatchEnd{At: s.now(), By: st.me(), End: kindred.MatchEndedByMember})
	if err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return err
		}
		return fmt.Errorf("cancel request: %w", err)
	}
	if r.Status == kindred.RequestMatched && closed.MatchID != "" {
		s.matchEnded(ctx, closed.MatchID, st.me())
	}
	s.publish(ctx, st.org.ID)
	return nil
}

// matchEnded closes an ended match's room, records it, and lets the
// supporter's freed place go to the queue.
func (s *Service) matchEnded(ctx context.Context, matchID, by string) {
	m, err := s.store.FindSupportMatch(ctx, matchID)
	if err != nil {
		s.log.ErrorContext(ctx, "find ended match", "match", matchID, "err", err)
		return
	}
	if m.RoomID != "" {
		if err := s.conv.EndSupportConversation(ctx, m.RoomID, by); err != nil {
			s.log.ErrorContext(ctx, "support room not ended", "match", m.ID, "err", err)
		}
	}
	s.audit.Record(ctx, m.OrgID, by, "support.match.end", "match:"+m.ID, string(m.End))
	if err := s.decideQueue(ctx, m.OrgID); err != nil {
		s.log.ErrorContext(ctx, "support decision", "err", err)
	}
}

// DeclineMatch lets the member ask for someone else: the match ends and
// the request goes back to the queue, never to be offered to that
// supporter again.
func (s *Service) DeclineMatch(ctx context.Context, actor *kindred.Actor, orgSlug, requestID string) error {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return err
	}
	r, err := s.memberRequest(ctx, st, requestID)
	if err != nil {
		return err
	}
	if r.Status != kindred.RequestMatched || r.MatchID == "" {
		return kindred.Errorf(kindred.ECONFLICT, "This request isn't matched with anyone right now.")
	}
	if _, err := s.store.EndSupportMatch(ctx, r.MatchID, kindred.SupportMatchEnd{At: s.now(), By: st.me(),
		End: kindred.MatchDeclined, Requeue: true}); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return err
		}
		return fmt.Errorf("decline match: %w", err)
	}
	s.matchEnded(ctx, r.MatchID, st.me())
	s.redecide(ctx, r.ID)
	s.publish(ctx, st.org.ID)
	return nil
}
