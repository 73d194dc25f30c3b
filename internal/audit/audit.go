// Package audit records destructive and privileged actions in the store's
// tamper-evident audit log. Recording never fails the action it follows
// (the action has already committed); a failure to record is logged loudly.
package audit

import (
	"context"
	"log/slog"
	"time"

	"kindred"
)

// Appender is the store method the recorder needs.
type Appender interface {
	AppendAudit(ctx context.Context, e *kindred.AuditEntry) error
}

// Recorder appends audit entries.
type Recorder struct {
	store Appender
	now   func() time.Time
	log   *slog.Logger
}

// New returns a recorder.
func New(store Appender, now func() time.Time, log *slog.Logger) *Recorder {
	if now == nil {
		now = time.Now
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Recorder{store: store, now: now, log: log}
}

// Record appends one entry. Detail must never carry message content.
func (r *Recorder) Record(ctx context.Context, orgID, actorID, action, target, detail string) {
	e := &kindred.AuditEntry{OrgID: orgID, ActorID: actorID, Action: action, Target: target, Detail: detail, CreatedAt: r.now().UTC()}
	if err := r.store.AppendAudit(ctx, e); err != nil {
		r.log.ErrorContext(ctx, "audit entry not recorded", "action", action, "err", err)
	}
}
