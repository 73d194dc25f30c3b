// Package support owns 1:1 peer support: supporter profiles and shifts,
// members' requests for support, matching them with trained peer
// supporters (ranked, explained, first accept wins), the conversation on
// the live service's 1:1 chat, feedback, debriefs, escalations, hand-offs,
// and the coordinators' supervision dashboard with the limits that protect
// supporters.
package support

import (
	"context"
	"log/slog"
	"time"

	"kindred"
)

// Conversations opens and ends the 1:1 rooms a match talks in
// (internal/live).
type Conversations interface {
	OpenSupportConversation(ctx context.Context, orgID, supporterID, memberID string) (*kindred.Room, error)
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
}

// Service is the support service. Close stops its background work.
type Service struct {
	store  kindred.Store
	conv   Conversations
	render Renderer
	now    func() time.Time
	log    *slog.Logger
	broker kindred.Broker
}

// New returns the service.
func New(store kindred.Store, conv Conversations, render Renderer, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, conv: conv, render: render, now: o.Now, log: o.Logger, broker: o.Broker}
}

// Close stops the service's background work and waits for it.
func (s *Service) Close() {}
