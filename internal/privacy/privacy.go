// Package privacy owns a person's data rights: downloading everything
// Kindred holds about them and erasing their account for real, and
// organisations' chat retention.
package privacy

import (
	"log/slog"
	"time"

	"kindred"
)

// Options tune the service; zero values pick safe defaults.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	Broker kindred.Broker
}

// Service applies the rules.
type Service struct {
	store kindred.Store
	now   func() time.Time
	log   *slog.Logger
	opts  Options
}

// New returns a Service on store.
func New(store kindred.Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, now: o.Now, log: o.Logger, opts: o}
}
