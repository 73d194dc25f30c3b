// Package moderation owns reports, the moderation queue with weighted
// flags, moderation actions (hide, restore, warn, suspend, ban), their
// outcomes told to reporters, appeals, and the priority flags that crisis
// language raises for on-call staff.
//
// Who reported something is never shown: not to the person reported, not
// to staff, not in any listing. Cases about a staff member never reach
// that staff member's queue.
package moderation

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"kindred"
	"kindred/internal/access"
	"kindred/internal/audit"
	"kindred/internal/crisis"
	"kindred/internal/ratelimit"
)

// Rooms hides a chat message for moderation and tells the room
// (internal/live implements it).
type Rooms interface {
	HideMessage(ctx context.Context, roomID string, seq int64, byAccountID, reason string) error
}

// Options tune the service; zero values pick safe defaults.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	// Broker, when set, hears about posts hidden or restored (so every
	// node drops their cached renderings) and about suspensions and bans
	// (so live connections re-check what the person may do).
	Broker kindred.Broker
	// Crisis tells crisis language in an organisation's words (default:
	// the instance's starter phrase lists).
	Crisis kindred.CrisisScanner
	// ReportEvery and ReportBurst limit how fast one person reports.
	ReportEvery time.Duration
	ReportBurst int
}

// Service applies the rules.
type Service struct {
	store   kindred.Store
	now     func() time.Time
	log     *slog.Logger
	opts    Options
	audit   *audit.Recorder
	reports *ratelimit.Limiter

	mu    sync.Mutex
	rooms Rooms
	// badge caches each organisation's count of open crisis cases for a
	// few seconds: the header shows it to staff on every page.
	badge map[badgeKey]badgeCount
}

type badgeKey struct {
	org    string
	coords bool
}

type badgeCount struct {
	n  int
	at time.Time
}

// New returns a Service on store.
func New(store kindred.Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Crisis == nil {
		o.Crisis = crisis.NewDetector(crisis.DefaultPhrases())
	}
	if o.ReportEvery == 0 {
		o.ReportEvery, o.ReportBurst = time.Minute, 20
	}
	return &Service{store: store, now: o.Now, log: o.Logger, opts: o, audit: audit.New(store, o.Now, o.Logger),
		reports: ratelimit.New(o.ReportEvery, o.ReportBurst, 100_000, o.Now), badge: map[badgeKey]badgeCount{}}
}

// SetRooms gives the service the live chat service, made after it (chat
// raises crisis flags here, and moderation hides messages there).
func (s *Service) SetRooms(r Rooms) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.rooms = r
}

func (s *Service) roomsSvc() Rooms {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rooms
}

var (
	errNoOrg      = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that organisation.")
	errNoTarget   = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that. It may have been removed already.")
	errNoCase     = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that case.")
	errNoDecision = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that decision.")
)

func signedIn(actor *kindred.Actor) error {
	if !actor.SignedIn() {
		return kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first.")
	}
	return nil
}

// place is the actor's standing in an organisation.
type place struct {
	Org     *kindred.Organization
	Subject access.Subject
}

func (p *place) can(a access.Action) bool { return access.Can(p.Subject, a, nil) }

// org loads an organisation by slug and the actor's standing in it.
// Unlisted organisations look missing to people without a membership.
func (s *Service) org(ctx context.Context, actor *kindred.Actor, slug string) (*place, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	o, err := s.store.FindOrganizationBySlug(ctx, slug)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoOrg
	}
	if err != nil {
		return nil, fmt.Errorf("find organisation: %w", err)
	}
	return s.orgByValue(ctx, actor, o)
}

func (s *Service) orgByValue(ctx context.Context, actor *kindred.Actor, o *kindred.Organization) (*place, error) {
	sub, err := access.Load(ctx, s.store, actor, o.ID, "")
	if err != nil {
		return nil, err
	}
	if !o.Listed && sub.Membership == nil {
		return nil, errNoOrg
	}
	if err := s.FillSuspension(ctx, &sub, o.ID); err != nil {
		return nil, err
	}
	return &place{Org: o, Subject: sub}, nil
}

// member loads the place and requires an active membership.
func (s *Service) member(ctx context.Context, actor *kindred.Actor, slug string) (*place, error) {
	p, err := s.org(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if !p.can(access.ViewOrg) {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "This is for members of %s.", p.Org.Name)
	}
	return p, nil
}

// FillSuspension sets sub.SuspendedUntil when a moderator's suspension in
// the organisation is in force now.
func (s *Service) FillSuspension(ctx context.Context, sub *access.Subject, orgID string) error {
	return access.FillSuspension(ctx, s.store, sub, orgID, s.now())
}

// announce publishes a small event after a commit; failures are logged.
func (s *Service) announce(ctx context.Context, topic, data string) {
	if s.opts.Broker == nil {
		return
	}
	if err := s.opts.Broker.Publish(context.WithoutCancel(ctx), topic, []byte(data)); err != nil {
		s.log.ErrorContext(ctx, "moderation event not announced", "topic", topic, "err", err)
	}
}

// Settings returns the organisation's moderation settings (admins).
func (s *Service) Settings(ctx context.Context, actor *kindred.Actor, orgSlug string) (*kindred.Organization, *kindred.ModerationSettings, error) {
	p, err := s.settingsPlace(ctx, actor, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	set, err := s.store.FindModerationSettings(ctx, p.Org.ID)
	if err != nil {
		return nil, nil, fmt.Errorf("moderation settings: %w", err)
	}
	return p.Org, set, nil
}

func (s *Service) settingsPlace(ctx context.Context, actor *kindred.Actor, orgSlug string) (*place, error) {
	p, err := s.member(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	if !p.can(access.SetModeration) {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Only the organisation's admins can change its moderation settings.")
	}
	return p, nil
}

// SaveSettings changes the organisation's moderation settings (admins;
// audited).
func (s *Service) SaveSettings(ctx context.Context, actor *kindred.Actor, orgSlug string, set kindred.ModerationSettings) (*kindred.ModerationSettings, error) {
	p, err := s.settingsPlace(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	set.OrgID = p.Org.ID
	if err := set.Validate(); err != nil {
		return nil, err
	}
	set.UpdatedAt = s.now().UTC()
	if err := s.store.SaveModerationSettings(ctx, &set); err != nil {
		return nil, fmt.Errorf("save moderation settings: %w", err)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "moderation.settings", p.Org.ID,
		fmt.Sprintf("threshold %.1f, hold crisis posts %t", set.HideThreshold, set.HoldCrisisPosts))
	return &set, nil
}
