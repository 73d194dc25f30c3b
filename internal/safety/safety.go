// Package safety owns each person's private safety plan: six steps in
// their own words (warning signs, coping strategies, distractions, people
// to ask for help, professionals and crisis lines, safer surroundings).
//
// A plan belongs to the account, across the whole instance rather than to
// an organisation, and only its owner writes it: there is no staff power
// over plans at all. The owner may let one peer supporter they are or were
// matched with (in internal/support, any organisation) read it; that
// supporter loses it when the owner stops sharing, when either blocks the
// other, or when the supporter's account goes. Plan text is never logged.
//
// It also owns organisations' crisis help (orgsafety.go): their crisis
// lines and phrase lists, served from memory and used to scan what members
// write; the neutral site quick exit leads to; discreet mode; and the
// facts of their transparency page.
package safety

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"sync"
	"time"

	"kindred"
	"kindred/internal/audit"
	"kindred/internal/crisis"
)

// Options tune the service; zero values pick safe defaults.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	// Broker, when set, carries edits of organisations' crisis help
	// between nodes, so every node's copy in memory stays current.
	Broker kindred.Broker
}

// Service reads and saves safety plans and organisations' crisis help.
// Close stops it following other nodes' edits.
type Service struct {
	store  kindred.Store
	now    func() time.Time
	log    *slog.Logger
	broker kindred.Broker
	sub    kindred.Subscription
	audit  *audit.Recorder

	starter  *crisis.Detector // the starter lists, compiled once
	instance *orgCopy         // the instance's defaults
	mu       sync.RWMutex
	orgs     map[string]*orgCopy // by organisation id
	// installed counts the copies installed per organisation (see
	// installSince).
	installed map[string]uint64
	reloads   sync.WaitGroup
	editing   sync.Mutex // one edit of crisis help at a time
}

// New returns a Service on store. With a broker it follows edits made on
// other nodes; if it cannot subscribe, it logs that and each node keeps
// its own copies (loaded on first use).
func New(store kindred.Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	s := &Service{store: store, now: o.Now, log: o.Logger, broker: o.Broker, audit: audit.New(store, o.Now, o.Logger),
		starter: crisis.NewDetector(crisis.DefaultPhrases()), orgs: map[string]*orgCopy{}, installed: map[string]uint64{}}
	s.instance = s.buildCopy(&kindred.OrgSafety{})
	if o.Broker != nil {
		sub, err := o.Broker.Subscribe(kindred.OrgSafetyTopic, s.follow)
		if err != nil {
			s.log.Error("follow crisis help edits", "err", err)
		} else {
			s.sub = sub
		}
	}
	return s
}

var errSignedOut = kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in to see your safety plan. It's private to your account.")

// Plan returns the actor's own plan, or an empty one (zero UpdatedAt) when
// they have not saved one yet.
func (s *Service) Plan(ctx context.Context, actor *kindred.Actor) (*kindred.SafetyPlan, error) {
	id := actor.AccountID()
	if id == "" {
		return nil, errSignedOut
	}
	p, err := s.store.FindSafetyPlan(ctx, id)
	switch {
	case kindred.ErrorCode(err) == kindred.ENOTFOUND:
		return &kindred.SafetyPlan{AccountID: id}, nil
	case err != nil:
		return nil, fmt.Errorf("find safety plan: %w", err)
	}
	return p, nil
}

// SavePlan replaces the actor's plan with p (trimmed) and returns what was
// stored. Whose plan it is comes from the actor, never from p.
func (s *Service) SavePlan(ctx context.Context, actor *kindred.Actor, p kindred.SafetyPlan) (*kindred.SafetyPlan, error) {
	id := actor.AccountID()
	if id == "" {
		return nil, errSignedOut
	}
	if err := p.Validate(); err != nil {
		return nil, err
	}
	cur, err := s.Plan(ctx, actor)
	if err != nil {
		return nil, err
	}
	p.AccountID, p.SharedWith = id, cur.SharedWith // sharing changes only through Share
	p.UpdatedAt = s.now().UTC().Truncate(time.Millisecond)
	if err := s.store.SaveSafetyPlan(ctx, &p); err != nil {
		return nil, fmt.Errorf("save safety plan: %w", err)
	}
	// Only that a plan changed, never what it says.
	s.log.DebugContext(ctx, "safety plan saved")
	return &p, nil
}

// Supporter is a peer supporter someone may share their plan with.
type Supporter struct {
	AccountID string
	Name      string // as they are known in the organisation where they met
}

// Supporters lists the peer supporters the actor is or was matched with,
// most recent first, leaving out anyone either of them blocked.
func (s *Service) Supporters(ctx context.Context, actor *kindred.Actor) ([]Supporter, error) {
	id := actor.AccountID()
	if id == "" {
		return nil, errSignedOut
	}
	matches, err := s.store.ListSupportMatches(ctx, kindred.SupportMatchFilter{MemberID: id})
	if err != nil {
		return nil, fmt.Errorf("list matches: %w", err)
	}
	blocked, err := s.store.BlockedWith(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("blocks: %w", err)
	}
	var out []Supporter
	for _, m := range matches {
		if m.SupporterID == id || slices.Contains(blocked, m.SupporterID) ||
			slices.ContainsFunc(out, func(x Supporter) bool { return x.AccountID == m.SupporterID }) {
			continue
		}
		out = append(out, Supporter{AccountID: m.SupporterID, Name: m.SupporterName})
	}
	return out, nil
}

var errNoSupporter = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that supporter among the people you've been matched with.")

// Share lets one supporter from Supporters read the actor's plan, in place
// of whoever could before; an empty supporterID makes the plan private.
func (s *Service) Share(ctx context.Context, actor *kindred.Actor, supporterID string) (*kindred.SafetyPlan, error) {
	p, err := s.Plan(ctx, actor)
	if err != nil {
		return nil, err
	}
	if supporterID != "" {
		sups, err := s.Supporters(ctx, actor)
		if err != nil {
			return nil, err
		}
		if !slices.ContainsFunc(sups, func(x Supporter) bool { return x.AccountID == supporterID }) {
			return nil, errNoSupporter
		}
	}
	p.SharedWith = supporterID
	p.UpdatedAt = s.now().UTC().Truncate(time.Millisecond)
	if err := s.store.SaveSafetyPlan(ctx, p); err != nil {
		return nil, fmt.Errorf("share safety plan: %w", err)
	}
	s.log.DebugContext(ctx, "safety plan sharing changed", "shared", supporterID != "")
	return p, nil
}

// SharedPlan is a plan someone shared with the actor, and their name.
type SharedPlan struct {
	Plan      *kindred.SafetyPlan
	OwnerName string
}

// SharedWithMe lists the plans shared with the actor that they may still
// read: the owner was matched with them and neither blocked the other.
func (s *Service) SharedWithMe(ctx context.Context, actor *kindred.Actor) ([]SharedPlan, error) {
	id := actor.AccountID()
	if id == "" {
		return nil, errSignedOut
	}
	plans, err := s.store.ListSafetyPlansSharedWith(ctx, id)
	if err != nil {
		return nil, fmt.Errorf("list shared plans: %w", err)
	}
	var out []SharedPlan
	for _, p := range plans {
		name, ok, err := s.mayRead(ctx, id, p.AccountID)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, SharedPlan{Plan: p, OwnerName: name})
		}
	}
	return out, nil
}

var errNoPlan = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that plan. It may no longer be shared with you.")

// SharedPlanOf returns ownerID's plan when it is shared with the actor;
// otherwise ENOTFOUND, as if there were none.
func (s *Service) SharedPlanOf(ctx context.Context, actor *kindred.Actor, ownerID string) (*SharedPlan, error) {
	id := actor.AccountID()
	if id == "" {
		return nil, errSignedOut
	}
	p, err := s.store.FindSafetyPlan(ctx, ownerID)
	switch {
	case kindred.ErrorCode(err) == kindred.ENOTFOUND:
		return nil, errNoPlan
	case err != nil:
		return nil, fmt.Errorf("find safety plan: %w", err)
	case p.SharedWith != id:
		return nil, errNoPlan
	}
	name, ok, err := s.mayRead(ctx, id, ownerID)
	if err != nil {
		return nil, err
	}
	if !ok {
		return nil, errNoPlan
	}
	return &SharedPlan{Plan: p, OwnerName: name}, nil
}

// mayRead reports whether supporterID may read ownerID's shared plan (they
// are or were matched, and neither blocked the other), with the owner's
// name from their most recent match.
func (s *Service) mayRead(ctx context.Context, supporterID, ownerID string) (string, bool, error) {
	matches, err := s.store.ListSupportMatches(ctx, kindred.SupportMatchFilter{MemberID: ownerID, SupporterID: supporterID, Limit: 1})
	if err != nil {
		return "", false, fmt.Errorf("list matches: %w", err)
	}
	if len(matches) == 0 {
		return "", false, nil
	}
	blocked, err := s.store.BlockedWith(ctx, supporterID)
	if err != nil {
		return "", false, fmt.Errorf("blocks: %w", err)
	}
	if slices.Contains(blocked, ownerID) {
		return "", false, nil
	}
	return matches[0].MemberName, true, nil
}
