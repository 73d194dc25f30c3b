// Package support owns 1:1 peer support: supporter profiles and shifts,
// members' requests for support, matching them with trained peer
// supporters (ranked, explained, first accept wins), the conversation on
// the live service's 1:1 chat, feedback, debriefs, escalations, hand-offs,
// and the coordinators' supervision dashboard with the limits that protect
// supporters.
//
// What people write here (requests, feedback, debriefs, escalations) is
// never logged or published: logs carry ids and error codes only.
package support

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
)

// Conversations opens and ends the 1:1 rooms a match talks in
// (internal/live).
type Conversations interface {
	OpenSupportConversation(ctx context.Context, orgID, supporterID, memberID string) (*kindred.Room, error)
	// EndSupportConversation closes a support room when its match ends;
	// byAccountID may be empty when the programme ends it.
	EndSupportConversation(ctx context.Context, roomID, byAccountID string) error
}

// Renderer turns Markdown into sanitized HTML (internal/markup).
type Renderer interface {
	Render(markdown string) string
}

// Options tune the service; zero values pick safe defaults.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	Broker kindred.Broker
	// SweepEvery is how often offers are expired, long shifts ended and
	// the queue offered again (default 15 s; negative: never, for tests
	// that call Sweep themselves).
	SweepEvery time.Duration
	// Resources are the crisis lines shown on a crisis request (default
	// crisis.DefaultResources()).
	Resources []Resource
	// Scanner finds crisis language in requests, by the phrase lists of
	// the organisation asked (default: the starter lists for every
	// organisation). The safety service is the one to pass.
	Scanner kindred.CrisisScanner
	// Crisis, when set, hears about requests whose words hold crisis
	// language, so coordinators get a priority flag (internal/moderation).
	Crisis kindred.CrisisFlagger
}

// Service is the support service. Close stops its background work.
type Service struct {
	store     kindred.Store
	conv      Conversations
	render    Renderer
	now       func() time.Time
	log       *slog.Logger
	broker    kindred.Broker
	audit     *audit.Recorder
	scanner   kindred.CrisisScanner
	resources []Resource
	flagger   kindred.CrisisFlagger

	stop chan struct{}
	done sync.WaitGroup
	once sync.Once
}

// New returns the service and starts its sweep.
func New(store kindred.Store, conv Conversations, render Renderer, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.SweepEvery == 0 {
		o.SweepEvery = 15 * time.Second
	}
	if o.Resources == nil {
		o.Resources = crisis.DefaultResources()
	}
	if o.Scanner == nil {
		o.Scanner = crisis.NewDetector(crisis.DefaultPhrases())
	}
	s := &Service{store: store, conv: conv, render: render, now: o.Now, log: o.Logger, broker: o.Broker,
		audit: audit.New(store, o.Now, o.Logger), scanner: o.Scanner,
		resources: o.Resources, flagger: o.Crisis, stop: make(chan struct{})}
	if o.SweepEvery > 0 {
		s.done.Add(1)
		go s.sweepLoop(o.SweepEvery)
	}
	return s
}

// Close stops the service's background work and waits for it.
func (s *Service) Close() {
	s.once.Do(func() { close(s.stop) })
	s.done.Wait()
}

func (s *Service) sweepLoop(every time.Duration) {
	defer s.done.Done()
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-s.stop:
			return
		case <-t.C:
			ctx, cancel := context.WithTimeout(context.Background(), every)
			if err := s.Sweep(ctx); err != nil {
				s.log.Error("support sweep", "err", err)
			}
			cancel()
		}
	}
}

// standing is the actor in one organisation, with its support settings.
type standing struct {
	actor *kindred.Actor
	org   *kindred.Organization
	sub   access.Subject
	set   *kindred.SupportSettings
}

func (st *standing) me() string { return st.actor.AccountID() }

// coordinator: coordinators and admins supervise the programme.
func (st *standing) coordinator() bool {
	return st.sub.Staff(kindred.RoleCoordinator | kindred.RoleAdmin)
}

// supporterRole: holds the peer supporter role (certified or not; see
// certified).
func (st *standing) supporterRole() bool {
	return st.sub.Staff(kindred.RolePeerSupporter)
}

var (
	errNoOrg     = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that organisation.")
	errNoRequest = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that request for support.")
	errNoOffer   = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that offer. It may have moved on.")
	errNoMatch   = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that conversation.")
	errNotSup    = kindred.Errorf(kindred.EFORBIDDEN, "This is for trained peer supporters. You can become one through the training on the Learn page.")
	errNotCoord  = kindred.Errorf(kindred.EFORBIDDEN, "This is for the support programme's coordinators.")
	errNoCert    = kindred.Errorf(kindred.EFORBIDDEN, "Your sign-off as a peer supporter isn't in force right now, so you can't take requests. A refresher course renews it.")
	errSuspended = kindred.Errorf(kindred.EFORBIDDEN, "Your account is suspended, so you can't support others right now.")
)

// standingIn checks the first rules every method shares: signed in, then
// an active member of the organisation (anyone else finds nothing).
func (s *Service) standingIn(ctx context.Context, actor *kindred.Actor, orgSlug string) (*standing, error) {
	if !actor.SignedIn() {
		return nil, kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first.")
	}
	o, err := s.store.FindOrganizationBySlug(ctx, orgSlug)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoOrg
	}
	if err != nil {
		return nil, fmt.Errorf("find organisation: %w", err)
	}
	sub, err := access.Load(ctx, s.store, actor, o.ID, "")
	if err != nil {
		return nil, fmt.Errorf("load subject: %w", err)
	}
	if !access.Can(sub, access.ViewOrg, nil) {
		return nil, errNoOrg
	}
	set, err := s.settings(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	return &standing{actor: actor, org: o, sub: sub, set: set}, nil
}

// settings returns the organisation's settings, or the defaults.
func (s *Service) settings(ctx context.Context, orgID string) (*kindred.SupportSettings, error) {
	set, err := s.store.FindSupportSettings(ctx, orgID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return kindred.DefaultSupportSettings(orgID), nil
	}
	if err != nil {
		return nil, fmt.Errorf("find support settings: %w", err)
	}
	return set, nil
}

// certification returns the account's grant in force here, or nil.
func (s *Service) certification(ctx context.Context, orgID, accountID string) (*kindred.Certification, error) {
	certs, err := s.store.ListCertifications(ctx, kindred.CertificationFilter{OrgID: orgID, AccountID: accountID,
		Decision: kindred.SignOffGranted, Limit: 50})
	if err != nil {
		return nil, fmt.Errorf("list certifications: %w", err)
	}
	now := s.now()
	var best *kindred.Certification
	for _, c := range certs {
		if !c.Valid(now) {
			continue
		}
		// The one lasting longest; one that never expires beats all, and
		// any youth clearance in force counts.
		if best == nil || best.ExpiresAt != nil && (c.ExpiresAt == nil || c.ExpiresAt.After(*best.ExpiresAt)) {
			youth := best != nil && best.YouthProgramme
			best = c
			best.YouthProgramme = best.YouthProgramme || youth
		} else if c.YouthProgramme {
			best.YouthProgramme = true
		}
	}
	return best, nil
}

// supporter checks the supporter rules: the role, and with certified a
// grant in force and an account not suspended.
func (s *Service) supporter(ctx context.Context, st *standing, certified bool) (*kindred.Certification, error) {
	if !st.supporterRole() {
		return nil, errNotSup
	}
	cert, err := s.certification(ctx, st.org.ID, st.me())
	if err != nil {
		return nil, err
	}
	if certified {
		if st.sub.Account.SuspendedAt != nil {
			return nil, errSuspended
		}
		if cert == nil {
			return nil, errNoCert
		}
	}
	return cert, nil
}

// publish tells live pages that something changed in an organisation's
// programme. The event carries ids only, never what anyone wrote.
func (s *Service) publish(ctx context.Context, orgID string) {
	if s.broker == nil {
		return
	}
	if err := s.broker.Publish(context.WithoutCancel(ctx), "support."+orgID, []byte(orgID)); err != nil {
		s.log.WarnContext(ctx, "support event not published", "err", err)
	}
}
