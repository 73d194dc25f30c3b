package support

import (
	"context"
	"fmt"
	"time"

	"kindred"
)

// weekStart is Monday 00:00 UTC of t's week, when weekly hours reset.
func weekStart(t time.Time) time.Time {
	t = t.UTC()
	y, m, d := t.Date()
	return time.Date(y, m, d-(int(t.Weekday())+6)%7, 0, 0, 0, 0, time.UTC)
}

// Inbox returns the supporter's page.
func (s *Service) Inbox(ctx context.Context, actor *kindred.Actor, orgSlug string) (*Inbox, error) {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	cert, err := s.supporter(ctx, st, false)
	if err != nil {
		return nil, err
	}
	now := s.now()
	in := &Inbox{Org: st.org, Settings: st.set, Certification: cert}
	p, err := s.store.FindSupporterProfile(ctx, st.org.ID, st.me())
	switch kindred.ErrorCode(err) {
	case "":
		in.Profile = p
	case kindred.ENOTFOUND:
	default:
		return nil, fmt.Errorf("find profile: %w", err)
	}
	if in.WeekShift, err = s.store.ShiftTime(ctx, st.org.ID, st.me(), weekStart(now), now); err != nil {
		return nil, fmt.Errorf("shift time: %w", err)
	}
	if p != nil && p.OnShift && p.ShiftStartedAt != nil {
		ends := p.ShiftStartedAt.Add(st.set.MaxShift)
		if weekly := now.Add(time.Duration(st.set.WeeklyHours)*time.Hour - in.WeekShift); weekly.Before(ends) {
			ends = weekly
		}
		in.ShiftEndsAt = &ends
	}
	in.ShiftBlocked = s.shiftBlocked(st, cert, p, in.WeekShift)
	in.CanStartShift = in.ShiftBlocked == "" && !(p != nil && p.OnShift)
	offers, err := s.store.ListSupportOffers(ctx, kindred.SupportOfferFilter{OrgID: st.org.ID, SupporterID: st.me(), Status: kindred.OfferOpen})
	if err != nil {
		return nil, fmt.Errorf("list offers: %w", err)
	}
	for _, o := range offers {
		if !now.Before(o.ExpiresAt) {
			continue // the sweep is about to expire it
		}
		req, err := s.store.FindSupportRequest(ctx, o.RequestID)
		if err != nil {
			return nil, fmt.Errorf("find request: %w", err)
		}
		in.Offers = append(in.Offers, s.offerView(st, o, req))
	}
	active := true
	if in.Active, err = s.store.ListSupportMatches(ctx, kindred.SupportMatchFilter{OrgID: st.org.ID, SupporterID: st.me(), Active: &active}); err != nil {
		return nil, fmt.Errorf("list matches: %w", err)
	}
	if in.NeedingDebrief, err = s.store.ListSupportMatches(ctx, kindred.SupportMatchFilter{OrgID: st.org.ID, SupporterID: st.me(),
		NeedsDebrief: true, Limit: 20}); err != nil {
		return nil, fmt.Errorf("list matches: %w", err)
	}
	for _, list := range [][]*kindred.SupportMatch{in.Active, in.NeedingDebrief} {
		for _, m := range list {
			m.Reason = "" // for coordinators
		}
	}
	return in, nil
}

// shiftBlocked says why the supporter cannot start a shift now, or "".
func (s *Service) shiftBlocked(st *standing, cert *kindred.Certification, p *kindred.SupporterProfile, week time.Duration) string {
	switch {
	case st.sub.Account.SuspendedAt != nil:
		return "Your account is suspended, so you can't take shifts right now."
	case cert == nil:
		return "Your sign-off as a peer supporter isn't in force, so you can't take shifts. A refresher course renews it."
	case p == nil:
		return "Please fill in your supporter profile first, so we can match you with people who share your experiences."
	case week >= time.Duration(st.set.WeeklyHours)*time.Hour:
		return fmt.Sprintf("You've reached %s this week, the limit here. Thank you, and rest well: it resets on Monday.", plural(st.set.WeeklyHours, "hour"))
	}
	return ""
}

// Profile returns the supporter's profile form.
func (s *Service) Profile(ctx context.Context, actor *kindred.Actor, orgSlug string) (*ProfileView, error) {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	cert, err := s.supporter(ctx, st, false)
	if err != nil {
		return nil, err
	}
	v := &ProfileView{Org: st.org, Choices: s.choices(st.set), Certification: cert}
	p, err := s.store.FindSupporterProfile(ctx, st.org.ID, st.me())
	switch kindred.ErrorCode(err) {
	case "":
		v.Profile = p
	case kindred.ENOTFOUND:
	default:
		return nil, fmt.Errorf("find profile: %w", err)
	}
	return v, nil
}

// SaveProfile saves the supporter's own profile. The youth programme comes
// from the coordinator's sign-off, never from the form.
func (s *Service) SaveProfile(ctx context.Context, actor *kindred.Actor, orgSlug string, d kindred.SupporterProfileDraft) (*kindred.SupporterProfile, error) {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	cert, err := s.supporter(ctx, st, false)
	if err != nil {
		return nil, err
	}
	if err := d.Validate(st.set); err != nil {
		return nil, err
	}
	p := &kindred.SupporterProfile{OrgID: st.org.ID, AccountID: st.me(), Intro: d.Intro, Experiences: d.Experiences,
		Languages: d.Languages, Identities: d.Identities, Availability: d.Availability, TimeZone: d.TimeZone,
		Capacity: d.Capacity, YouthProgramme: cert != nil && cert.YouthProgramme, UpdatedAt: s.now()}
	if err := s.store.SaveSupporterProfile(ctx, p); err != nil {
		return nil, fmt.Errorf("save profile: %w", err)
	}
	return p, nil
}

// StartShift puts the supporter on shift, within the weekly limit, and
// offers them waiting requests that fit.
func (s *Service) StartShift(ctx context.Context, actor *kindred.Actor, orgSlug string) error {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return err
	}
	cert, err := s.supporter(ctx, st, true)
	if err != nil {
		return err
	}
	now := s.now()
	p, err := s.store.FindSupporterProfile(ctx, st.org.ID, st.me())
	if err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
		return fmt.Errorf("find profile: %w", err)
	}
	week, err := s.store.ShiftTime(ctx, st.org.ID, st.me(), weekStart(now), now)
	if err != nil {
		return fmt.Errorf("shift time: %w", err)
	}
	if why := s.shiftBlocked(st, cert, p, week); why != "" {
		return kindred.Errorf(kindred.EFORBIDDEN, "%s", why)
	}
	// Keep the youth clearance in step with the sign-off in force: a
	// clearance given or taken since the profile was saved counts now.
	if p.YouthProgramme != cert.YouthProgramme {
		p.YouthProgramme, p.UpdatedAt = cert.YouthProgramme, now
		if err := s.store.SaveSupporterProfile(ctx, p); err != nil {
			return fmt.Errorf("save profile: %w", err)
		}
	}
	if err := s.store.StartShift(ctx, &kindred.Shift{OrgID: st.org.ID, AccountID: st.me(), StartedAt: now}); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return err
		}
		return fmt.Errorf("start shift: %w", err)
	}
	if err := s.decideQueue(ctx, st.org.ID); err != nil {
		s.log.ErrorContext(ctx, "support decision", "err", err)
	}
	s.publish(ctx, st.org.ID)
	return nil
}

// EndShift takes the supporter off shift; their open offers are withdrawn
// and move on. Open conversations stay open.
func (s *Service) EndShift(ctx context.Context, actor *kindred.Actor, orgSlug string) error {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return err
	}
	if _, err := s.supporter(ctx, st, false); err != nil {
		return err
	}
	return s.endShift(ctx, st.org.ID, st.me(), kindred.ShiftEndedBySelf)
}

// EndShiftFor takes a supporter off shift (coordinators), e.g. when they
// seem overwhelmed.
func (s *Service) EndShiftFor(ctx context.Context, actor *kindred.Actor, orgSlug, accountID string) error {
	st, err := s.standingIn(ctx, actor, orgSlug)
	if err != nil {
		return err
	}
	if !st.coordinator() {
		return errNotCoord
	}
	if _, err := s.store.FindSupporterProfile(ctx, st.org.ID, accountID); kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that supporter.")
	} else if err != nil {
		return fmt.Errorf("find profile: %w", err)
	}
	if err := s.endShift(ctx, st.org.ID, accountID, kindred.ShiftEndedByCoordinator); err != nil {
		return err
	}
	s.audit.Record(ctx, st.org.ID, st.me(), "support.shift.end", "account:"+accountID, "")
	return nil
}
