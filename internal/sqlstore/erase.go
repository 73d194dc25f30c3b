package sqlstore

import "context"

// eraseStep erases, inside EraseAccount's one transaction, what one
// feature's tables hold that a person wrote or that identifies them.
type eraseStep struct {
	name string
	run  func(ctx context.Context, tx conn, accountID string) error
}

// eraseSteps lists every feature's step. A feature that adds a table
// holding a person's words adds its step here.
func eraseSteps() []eraseStep {
	return []eraseStep{
		{"moderation", eraseModeration},
		{"security", eraseSecurity},
		{"mutes", eraseMutes},
		{"uploads", eraseUploads},
	}
}
