// Package training owns peer supporter training: courses of modules
// (reading, knowledge checks, practice scenarios) mapped to the peer-work
// competencies, each person's saved progress, Kindred's starter course, and
// coordinators' sign-off, which grants the peer supporter role until a
// refresher is due.
package training

import (
	"log/slog"
	"time"

	"kindred"
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
}

// New returns the service.
func New(store kindred.Store, render Renderer, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, render: render, now: o.Now, log: o.Logger, broker: o.Broker}
}
