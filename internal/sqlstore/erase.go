package sqlstore

import "context"

// eraseStep erases, inside EraseAccount's one transaction, what one
// feature's tables hold that a person wrote or that identifies them.
// tables names every table the step may change: on PostgreSQL they are
// rewritten after the erasure so no old row version stays on disk.
type eraseStep struct {
	name   string
	run    func(ctx context.Context, tx conn, accountID string) error
	tables []string
}

// eraseSteps lists every feature's step. A feature that adds a table
// holding a person's words adds its step here, with its tables.
func eraseSteps() []eraseStep {
	return []eraseStep{
		{"moderation", eraseModeration, []string{"moderation_reports", "moderation_decisions", "moderation_cases"}},
		{"security", eraseSecurity, []string{"passkeys", "webauthn_handles", "webauthn_ceremonies", "recovery_codes", "two_factor"}},
		{"mutes", eraseMutes, []string{"hidden_topics", "mutes", "blocks"}},
		{"uploads", eraseUploads, []string{"uploads"}},
	}
}
