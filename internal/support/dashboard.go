package support

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"kindred"
)

// noteWindow is how far back the dashboard shows feedback, debriefs and
// wait statistics.
const noteWindow = 30 * 24 * time.Hour

// Dashboard returns the coordinators' supervision page.
func (s *Service) Dashboard(ctx context.Context, actor *kindred.Actor, orgSlug string) (*Dashboard, error) {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	if !st.coordinator() {
		return nil, errNotCoord
	}
	now := s.now()
	since := now.Add(-noteWindow)
	d := &Dashboard{Org: st.org, Settings: st.set}

	queue, err := s.store.SupportQueue(ctx, st.org.ID)
	if err != nil {
		return nil, fmt.Errorf("support queue: %w", err)
	}
	open, err := s.store.ListSupportOffers(ctx, kindred.SupportOfferFilter{OrgID: st.org.ID, Status: kindred.OfferOpen, Limit: 200})
	if err != nil {
		return nil, fmt.Errorf("list offers: %w", err)
	}
	offers := map[string][]*kindred.SupportOffer{}
	for _, o := range open {
		offers[o.RequestID] = append(offers[o.RequestID], o)
	}
	for _, r := range queue {
		d.Queue = append(d.Queue, &QueueItem{Request: r, TopicLabels: topicLabels(st.set, r.Topics),
			Waited: max(now.Sub(r.WaitingSince), 0), Offers: offers[r.ID]})
	}

	waits, err := s.store.SupportWaits(ctx, st.org.ID, since)
	if err != nil {
		return nil, fmt.Errorf("support waits: %w", err)
	}
	d.Waits = waitStats(waits)

	all, err := s.store.SupportersOverview(ctx, st.org.ID, now)
	if err != nil {
		return nil, fmt.Errorf("supporters overview: %w", err)
	}
	if d.Feedback, err = s.store.ListSupportFeedback(ctx, kindred.SupportNoteFilter{OrgID: st.org.ID, Since: since, Limit: 200}); err != nil {
		return nil, fmt.Errorf("list feedback: %w", err)
	}
	helped := map[string]*[3]int{}
	for _, f := range d.Feedback {
		h := helped[f.SupporterID]
		if h == nil {
			h = new([3]int)
			helped[f.SupporterID] = h
		}
		switch f.Helped {
		case kindred.HelpedYes:
			h[0]++
		case kindred.HelpedSomewhat:
			h[1]++
		case kindred.HelpedNo:
			h[2]++
		}
	}
	for _, c := range all {
		l := &SupporterLoad{Profile: &c.Profile, Load: c.Load, WeekShift: c.WeekShift, CertifiedUntil: c.CertifiedUntil}
		if h := helped[c.Profile.AccountID]; h != nil {
			l.Helped = *h
		}
		d.Supporters = append(d.Supporters, l)
	}
	slices.SortStableFunc(d.Supporters, func(a, b *SupporterLoad) int {
		if a.Profile.OnShift != b.Profile.OnShift {
			if a.Profile.OnShift {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Profile.Name, b.Profile.Name)
	})

	active := true
	if d.Active, err = s.store.ListSupportMatches(ctx, kindred.SupportMatchFilter{OrgID: st.org.ID, Active: &active, Limit: 200}); err != nil {
		return nil, fmt.Errorf("list matches: %w", err)
	}
	if d.Recent, err = s.store.ListSupportMatches(ctx, kindred.SupportMatchFilter{OrgID: st.org.ID, Since: since, Limit: 50}); err != nil {
		return nil, fmt.Errorf("list matches: %w", err)
	}
	if d.Debriefs, err = s.store.ListSupportDebriefs(ctx, kindred.SupportNoteFilter{OrgID: st.org.ID, Since: since, Limit: 200}); err != nil {
		return nil, fmt.Errorf("list debriefs: %w", err)
	}
	openEsc := true
	if d.Escalations, err = s.store.ListSupportEscalations(ctx, kindred.SupportEscalationFilter{OrgID: st.org.ID, Open: &openEsc}); err != nil {
		return nil, fmt.Errorf("list escalations: %w", err)
	}
	return d, nil
}

func waitStats(waits []time.Duration) WaitStats {
	w := WaitStats{Matched: len(waits)}
	if len(waits) == 0 {
		return w
	}
	slices.Sort(waits)
	w.Median = waits[len(waits)/2]
	w.P90 = waits[min(len(waits)*9/10, len(waits)-1)]
	return w
}

// ResolveEscalation closes an escalation with a note (coordinators).
func (s *Service) ResolveEscalation(ctx context.Context, actor *kindred.Actor, orgSlug, escalationID, note string) error {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return err
	}
	if !st.coordinator() {
		return errNotCoord
	}
	e, err := s.store.FindSupportEscalation(ctx, escalationID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND || err == nil && e.OrgID != st.org.ID {
		return kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that escalation.")
	}
	if err != nil {
		return fmt.Errorf("find escalation: %w", err)
	}
	note, err = checkText("note", note, kindred.MaxEscalation, "Please note what was done, for the record.")
	if err != nil {
		return err
	}
	if _, err := s.store.ResolveSupportEscalation(ctx, e.ID, st.me(), note, s.now()); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return err
		}
		return fmt.Errorf("resolve escalation: %w", err)
	}
	s.audit.Record(ctx, st.org.ID, st.me(), "support.escalation.resolve", "escalation:"+e.ID, "match:"+e.MatchID)
	return nil
}

// Settings returns the support programme's settings (coordinators, admins).
func (s *Service) Settings(ctx context.Context, actor *kindred.Actor, orgSlug string) (*kindred.SupportSettings, error) {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	if !st.coordinator() {
		return nil, errNotCoord
	}
	return st.set, nil
}

// SaveSettings changes the limits and the taxonomy (coordinators, admins).
func (s *Service) SaveSettings(ctx context.Context, actor *kindred.Actor, orgSlug string, set kindred.SupportSettings) (*kindred.SupportSettings, error) {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	if !st.coordinator() {
		return nil, errNotCoord
	}
	set.OrgID = st.org.ID
	set.Taxonomy = slices.Clone(set.Taxonomy)
	if err := set.Validate(); err != nil {
		return nil, err
	}
	set.UpdatedAt = s.now()
	if err := s.store.SaveSupportSettings(ctx, &set); err != nil {
		return nil, fmt.Errorf("save settings: %w", err)
	}
	s.audit.Record(ctx, st.org.ID, st.me(), "support.settings", "org:"+st.org.ID,
		fmt.Sprintf("max_capacity=%d max_shift=%s weekly_hours=%d offer_timeout=%s offers_at_once=%d experiences=%d",
			set.MaxCapacity, set.MaxShift, set.WeeklyHours, set.OfferTimeout, set.OffersAtOnce, len(set.Taxonomy)))
	return &set, nil
}
