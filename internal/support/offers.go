package support

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"kindred"
)

// reofferAfter is how long a supporter whose offer of a request expired is
// left out of that request's next offers. An expiry is not a refusal (they
// may have stepped away), so they are not excluded for good, but offering
// it straight back would stall the request on someone who is not there.
const reofferAfter = 30 * time.Minute

// queuePassLimit bounds how many waiting requests one pass over the queue
// decides, so a sweep stays short however long the queue is; the next
// sweep picks up where the offers left room.
const queuePassLimit = 50

// memberFacts reads what matching needs about the member.
func (s *Service) memberFacts(ctx context.Context, req *kindred.SupportRequest) (Member, error) {
	m := Member{ID: req.MemberID, AgeBand: req.MemberAgeBand, Blocked: map[string]bool{}}
	blocked, err := s.store.BlockedWith(ctx, req.MemberID)
	if err != nil {
		return m, fmt.Errorf("blocked with: %w", err)
	}
	for _, id := range blocked {
		m.Blocked[id] = true
	}
	if req.NotMySchool {
		if m.Schools, err = s.store.SchoolOrgs(ctx, req.MemberID); err != nil {
			return m, fmt.Errorf("school orgs: %w", err)
		}
	}
	return m, nil
}

// decision is the outcome of deciding one request.
type decision struct {
	offers    []*kindred.SupportOffer // made now
	open      int                     // open offers after
	unmatched string                  // why nobody fits, when nobody does
}

// decide makes the next offers of a waiting request: the best-ranked
// supporters on shift who have no open offer of it, up to OffersAtOnce
// open at once.
func (s *Service) decide(ctx context.Context, req *kindred.SupportRequest) (*decision, error) {
	if req.Status != kindred.RequestWaiting {
		return &decision{}, nil
	}
	set, err := s.settings(ctx, req.OrgID)
	if err != nil {
		return nil, err
	}
	cands, err := s.store.SupportCandidates(ctx, req.OrgID, s.now())
	if err != nil {
		return nil, fmt.Errorf("support candidates: %w", err)
	}
	return s.decideWith(ctx, req, set, cands)
}

// decideWith is decide with the settings and candidates already read, so a
// pass over the queue reads them once.
func (s *Service) decideWith(ctx context.Context, req *kindred.SupportRequest, set *kindred.SupportSettings, cands []*kindred.SupportCandidate) (*decision, error) {
	d, offers, err := s.plan(ctx, req, set, cands)
	if err != nil || len(offers) == 0 {
		return d, err
	}
	stored, err := s.store.CreateSupportOffers(ctx, req.ID, offers, set.OffersAtOnce)
	if kindred.ErrorCode(err) == kindred.ECONFLICT {
		return d, nil // matched or closed meanwhile: nothing to offer
	}
	if err != nil {
		return nil, fmt.Errorf("create offers: %w", err)
	}
	d.offers, d.open = stored, d.open+len(stored)
	if len(stored) > 0 {
		s.publish(ctx, req.OrgID)
	}
	return d, nil
}

// plan is the decision itself, without writing it: the member's facts and
// the request's earlier offers are read, the candidates ranked, and the
// offers to make returned (not yet stored).
func (s *Service) plan(ctx context.Context, req *kindred.SupportRequest, set *kindred.SupportSettings, cands []*kindred.SupportCandidate) (*decision, []*kindred.SupportOffer, error) {
	now := s.now()
	member, err := s.memberFacts(ctx, req)
	if err != nil {
		return nil, nil, err
	}
	past, err := s.store.ListSupportOffers(ctx, kindred.SupportOfferFilter{RequestID: req.ID, Limit: 200})
	if err != nil {
		return nil, nil, fmt.Errorf("list offers: %w", err)
	}
	skip := map[string]bool{}
	open := 0
	for _, o := range past {
		switch {
		case o.Status == kindred.OfferOpen:
			skip[o.SupporterID] = true
			open++
		case o.Status == kindred.OfferExpired && o.AnsweredAt != nil && now.Sub(*o.AnsweredAt) < reofferAfter:
			skip[o.SupporterID] = true
		}
	}
	d := &decision{open: open}
	ranked := Rank(req, member, cands, set, now)
	if len(ranked) == 0 {
		d.unmatched = Unmatched(req, member, cands, set, now)
		return d, nil, nil
	}
	var offers []*kindred.SupportOffer
	for i, r := range ranked {
		if open+len(offers) >= set.OffersAtOnce {
			break
		}
		if skip[r.SupporterID] {
			continue
		}
		offers = append(offers, &kindred.SupportOffer{OrgID: req.OrgID, SupporterID: r.SupporterID, Rank: i + 1,
			Score: r.Score, Reason: r.Reason, CreatedAt: now, ExpiresAt: now.Add(set.OfferTimeout)})
	}
	return d, offers, nil
}

// redecide decides a request again after something changed; failures are
// logged, since the sweep will try again.
func (s *Service) redecide(ctx context.Context, requestID string) {
	req, err := s.store.FindSupportRequest(ctx, requestID)
	if err == nil {
		_, err = s.decide(ctx, req)
	}
	if err != nil {
		s.log.ErrorContext(ctx, "support decision", "request", requestID, "err", err)
	}
}

// decideQueue offers an organisation's waiting requests, in queue order,
// to the supporters on shift. Within one pass every offer made counts
// against the supporter's free places, as do their open offers, so one
// keen supporter is not offered the whole queue at once.
func (s *Service) decideQueue(ctx context.Context, orgID string) error {
	set, err := s.settings(ctx, orgID)
	if err != nil {
		return err
	}
	cands, err := s.store.SupportCandidates(ctx, orgID, s.now())
	if err != nil {
		return fmt.Errorf("support candidates: %w", err)
	}
	if len(cands) == 0 {
		return nil
	}
	queue, err := s.store.SupportQueue(ctx, orgID)
	if err != nil {
		return fmt.Errorf("support queue: %w", err)
	}
	open, err := s.store.ListSupportOffers(ctx, kindred.SupportOfferFilter{OrgID: orgID, Status: kindred.OfferOpen, Limit: 200})
	if err != nil {
		return fmt.Errorf("list offers: %w", err)
	}
	// Working copies whose Load counts offers as places taken.
	load := map[string]*kindred.SupportCandidate{}
	for i, c := range cands {
		cp := *c
		cands[i] = &cp
		load[c.Profile.AccountID] = &cp
	}
	offersOf := map[string]int{}
	for _, o := range open {
		offersOf[o.RequestID]++
		if c := load[o.SupporterID]; c != nil {
			c.Load++
		}
	}
	decided := 0
	for _, req := range queue {
		if decided >= queuePassLimit {
			break
		}
		if offersOf[req.ID] >= set.OffersAtOnce {
			continue
		}
		decided++
		d, err := s.decideWith(ctx, req, set, cands)
		if err != nil {
			return err
		}
		for _, o := range d.offers {
			if c := load[o.SupporterID]; c != nil {
				c.Load++
			}
		}
	}
	return nil
}

// Offer returns an offer as its supporter sees it: what the request is
// about, never who asked.
func (s *Service) Offer(ctx context.Context, actor *kindred.Actor, orgSlug, offerID string) (*OfferView, error) {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	if _, err := s.supporter(ctx, st, false); err != nil {
		return nil, err
	}
	o, err := s.ownOffer(ctx, st, offerID)
	if err != nil {
		return nil, err
	}
	req, err := s.store.FindSupportRequest(ctx, o.RequestID)
	if err != nil {
		return nil, fmt.Errorf("find request: %w", err)
	}
	return s.offerView(st, o, req), nil
}

func (s *Service) ownOffer(ctx context.Context, st *standing, offerID string) (*kindred.SupportOffer, error) {
	o, err := s.store.FindSupportOffer(ctx, offerID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoOffer
	}
	if err != nil {
		return nil, fmt.Errorf("find offer: %w", err)
	}
	if o.OrgID != st.org.ID || o.SupporterID != st.me() {
		return nil, errNoOffer
	}
	return o, nil
}

func (s *Service) offerView(st *standing, o *kindred.SupportOffer, req *kindred.SupportRequest) *OfferView {
	v := &OfferView{Offer: o, TopicLabels: topicLabels(st.set, req.Topics), Details: req.Details, Urgency: req.Urgency,
		Crisis: req.Crisis, Youth: req.MemberAgeBand.IsMinor(), Waited: max(s.now().Sub(req.WaitingSince), 0)}
	if req.Language != "" {
		v.Language = kindred.LanguageLabel(req.Language)
	}
	// The reason describes the supporter's own load and history; it is
	// for coordinators.
	cp := *o
	cp.Reason, cp.Score = "", 0
	v.Offer = &cp
	return v
}

func topicLabels(set *kindred.SupportSettings, topics []string) []string {
	out := make([]string, 0, len(topics))
	for _, t := range topics {
		out = append(out, set.ExperienceLabel(t))
	}
	return out
}

// AcceptOffer takes an offer; the first accept of a request wins and the
// others get ECONFLICT with a kind message. It opens the conversation.
func (s *Service) AcceptOffer(ctx context.Context, actor *kindred.Actor, orgSlug, offerID string) (*kindred.SupportMatch, error) {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	if _, err := s.supporter(ctx, st, true); err != nil {
		return nil, err
	}
	o, err := s.ownOffer(ctx, st, offerID)
	if err != nil {
		return nil, err
	}
	p, err := s.store.FindSupporterProfile(ctx, st.org.ID, st.me())
	if err != nil {
		return nil, fmt.Errorf("find profile: %w", err)
	}
	m := &kindred.SupportMatch{}
	if err := s.store.AcceptSupportOffer(ctx, o.ID, st.me(), capacity(p, st.set), m, s.now()); err != nil {
		if kindred.ErrorCode(err) != "" && kindred.ErrorCode(err) != kindred.EINTERNAL {
			return nil, err
		}
		return nil, fmt.Errorf("accept offer: %w", err)
	}
	s.audit.Record(ctx, st.org.ID, st.me(), "support.match", "match:"+m.ID, "request:"+m.RequestID)
	s.openRoom(ctx, m)
	s.publish(ctx, st.org.ID)
	return m, nil
}

// openRoom opens the match's conversation and records it on the match. A
// failure is logged and the sweep tries again: the match stands.
func (s *Service) openRoom(ctx context.Context, m *kindred.SupportMatch) {
	room, err := s.conv.OpenSupportConversation(ctx, m.OrgID, m.SupporterID, m.MemberID)
	if err != nil {
		s.log.ErrorContext(ctx, "support room not opened", "match", m.ID, "err", err)
		return
	}
	if _, err := s.store.UpdateSupportMatch(ctx, m.ID, kindred.SupportMatchUpdate{RoomID: &room.ID}); err != nil {
		s.log.ErrorContext(ctx, "support room not recorded", "match", m.ID, "err", err)
		return
	}
	m.RoomID = room.ID
}

// DeclineOffer passes on an offer; the request moves on to the next best.
func (s *Service) DeclineOffer(ctx context.Context, actor *kindred.Actor, orgSlug, offerID string) error {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return err
	}
	if _, err := s.supporter(ctx, st, false); err != nil {
		return err
	}
	o, err := s.ownOffer(ctx, st, offerID)
	if err != nil {
		return err
	}
	if _, err := s.store.AnswerSupportOffer(ctx, o.ID, kindred.OfferDeclined, s.now()); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return err
		}
		return fmt.Errorf("decline offer: %w", err)
	}
	s.redecide(ctx, o.RequestID)
	return nil
}

// Sweep expires offers that timed out and makes the next offers, ends
// shifts past the limits, opens rooms that failed to open, and offers the
// queues again. The service runs it in the background; tests call it with
// a moved clock.
func (s *Service) Sweep(ctx context.Context) error {
	now := s.now()
	var errs []error
	expired, err := s.store.ExpireSupportOffers(ctx, now)
	if err != nil {
		errs = append(errs, fmt.Errorf("expire offers: %w", err))
	}
	orgs := map[string]bool{}
	for _, o := range expired {
		orgs[o.OrgID] = true
	}

	// Shifts past the limits end; their offers move on.
	onShift, err := s.store.ListSupporterProfiles(ctx, kindred.SupporterProfileFilter{OnShift: true})
	if err != nil {
		errs = append(errs, fmt.Errorf("list on shift: %w", err))
	}
	byOrg := map[string]bool{}
	for _, p := range onShift {
		byOrg[p.OrgID] = true
	}
	for _, orgID := range slices.Sorted(maps.Keys(byOrg)) {
		orgs[orgID] = true
		if err := s.endLongShifts(ctx, orgID, now); err != nil {
			errs = append(errs, err)
		}
	}

	// Rooms that failed to open when their match was made.
	roomless, err := s.store.ListSupportMatches(ctx, kindred.SupportMatchFilter{NoRoom: true, Limit: 100})
	if err != nil {
		errs = append(errs, fmt.Errorf("list matches without rooms: %w", err))
	}
	for _, m := range roomless {
		s.openRoom(ctx, m)
	}

	// Every organisation with supporters on shift or offers that moved on
	// gets its queue offered again.
	for _, orgID := range slices.Sorted(maps.Keys(orgs)) {
		if err := s.decideQueue(ctx, orgID); err != nil {
			errs = append(errs, fmt.Errorf("decide queue: %w", err))
		}
	}
	return errors.Join(errs...)
}

// endLongShifts ends the organisation's shifts past MaxShift or the weekly
// hours: the limits protect supporters even when they forget to stop.
func (s *Service) endLongShifts(ctx context.Context, orgID string, now time.Time) error {
	set, err := s.settings(ctx, orgID)
	if err != nil {
		return err
	}
	all, err := s.store.SupportersOverview(ctx, orgID, now)
	if err != nil {
		return fmt.Errorf("supporters overview: %w", err)
	}
	week := time.Duration(set.WeeklyHours) * time.Hour
	for _, c := range all {
		p := &c.Profile
		if !p.OnShift || p.ShiftStartedAt == nil {
			continue
		}
		if now.Sub(*p.ShiftStartedAt) < set.MaxShift && c.WeekShift < week {
			continue
		}
		if err := s.endShift(ctx, orgID, p.AccountID, kindred.ShiftEndedByLimit); err != nil {
			return err
		}
	}
	return nil
}

// endShift ends a shift and offers the supporter's withdrawn offers again.
func (s *Service) endShift(ctx context.Context, orgID, accountID string, by kindred.ShiftEnd) error {
	_, withdrawn, err := s.store.EndShift(ctx, orgID, accountID, s.now(), by)
	if err != nil {
		if kindred.ErrorCode(err) == kindred.ENOTFOUND {
			return kindred.Errorf(kindred.ECONFLICT, "That shift has already ended.")
		}
		return fmt.Errorf("end shift: %w", err)
	}
	for _, o := range withdrawn {
		s.redecide(ctx, o.RequestID)
	}
	s.publish(ctx, orgID)
	return nil
}
