// Package training owns peer supporter training: courses of modules
// (reading, knowledge checks, practice scenarios) mapped to the peer-work
// competencies, each person's saved progress, Kindred's starter course, and
// coordinators' sign-off, which grants the peer supporter role until a
// refresher is due.
//
// Every method takes the actor and the organisation's slug and applies the
// rules in one order: signed in (EUNAUTHORIZED), the organisation visible
// (unlisted ones look missing to outsiders: ENOTFOUND), an active member
// (EFORBIDDEN), the thing visible (unpublished courses look missing to
// trainees: ENOTFOUND), the role (EFORBIDDEN), the input (EINVALID), then
// one store call, and events only after it committed.
package training

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"kindred"
	"kindred/internal/access"
	"kindred/internal/audit"
)

// Renderer turns Markdown into sanitized HTML (internal/markup).
type Renderer interface {
	Render(markdown string) string
}

// Options tune the service; zero values pick safe defaults.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	// Broker, when set, carries access events when a sign-off changes
	// someone's roles.
	Broker kindred.Broker
}

// Service is the training service.
type Service struct {
	store  kindred.Store
	render Renderer
	now    func() time.Time
	log    *slog.Logger
	broker kindred.Broker
	audit  *audit.Recorder
}

// New returns the service.
func New(store kindred.Store, render Renderer, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, render: render, now: o.Now, log: o.Logger, broker: o.Broker,
		audit: audit.New(store, o.Now, o.Logger)}
}

var (
	errNoOrg    = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that organisation.")
	errNoCourse = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that course. It may not be open yet, or the link may be mistyped.")
	errNoModule = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that module in this course.")
	errNoCert   = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that sign-off.")
	errNoPerson = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that person in this organisation.")
)

// Place is an organisation as one actor sees it for training.
type Place struct {
	Org        *kindred.Organization
	Membership *kindred.Membership
	Subject    access.Subject
}

// CanCoordinate reports whether the actor runs training here: the
// organisation's coordinators and admins.
func (p *Place) CanCoordinate() bool {
	return p != nil && p.Subject.Staff(kindred.RoleCoordinator|kindred.RoleAdmin)
}

func (s *Service) nowUTC() time.Time { return s.now().UTC() }

// place loads the organisation for a signed-in active member.
func (s *Service) place(ctx context.Context, actor *kindred.Actor, orgSlug string) (*Place, error) {
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
		return nil, err
	}
	if !o.Listed && sub.Membership == nil {
		return nil, errNoOrg
	}
	if !sub.Membership.Active() {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Training is for members of %s.", o.Name)
	}
	return &Place{Org: o, Membership: sub.Membership, Subject: sub}, nil
}

// coordinate loads the place for someone who runs training there.
func (s *Service) coordinate(ctx context.Context, actor *kindred.Actor, orgSlug string) (*Place, error) {
	p, err := s.place(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	if !p.CanCoordinate() {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "This is for the organisation's coordinators and admins.")
	}
	if actor.Account.SuspendedAt != nil {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Your account is paused, so you can't change training or sign-offs for now.")
	}
	return p, nil
}

// course finds a course of the place; unpublished ones only for those who
// run training.
func (s *Service) course(ctx context.Context, p *Place, slug string) (*kindred.Course, error) {
	c, err := s.store.FindCourseBySlug(ctx, p.Org.ID, slug)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoCourse
	}
	if err != nil {
		return nil, fmt.Errorf("find course: %w", err)
	}
	if !c.Published && !p.CanCoordinate() {
		return nil, errNoCourse
	}
	return c, nil
}

// module finds a module of the course.
func (s *Service) module(ctx context.Context, c *kindred.Course, id string) (*kindred.Module, error) {
	m, err := s.store.FindModule(ctx, id)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND || (err == nil && m.CourseID != c.ID) {
		return nil, errNoModule
	}
	if err != nil {
		return nil, fmt.Errorf("find module: %w", err)
	}
	return m, nil
}

// accessChanged tells every node that the person's roles changed.
func (s *Service) accessChanged(ctx context.Context, accountID string) {
	if err := kindred.AnnounceAccess(ctx, s.broker, accountID); err != nil {
		s.log.WarnContext(ctx, "announce access change", "err", err)
	}
}
