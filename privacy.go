package kindred

// A person's data rights (issue 5, item 8): downloading everything Kindred
// holds about them, and erasing their account for real; and organisations'
// chat retention.

import (
	"context"
	"fmt"
	"slices"
	"time"
)

// ChatRetentionChoices are the chat retention periods an organisation may
// pick, in days; 0 keeps chat messages until someone removes them.
var ChatRetentionChoices = []int{0, 30, 90, 365}

// PrivacySettings are an organisation's data-keeping rules.
type PrivacySettings struct {
	OrgID string
	// ChatRetentionDays is how long chat messages are kept; 0 keeps them.
	// Older messages are deleted for good, hourly.
	ChatRetentionDays int
	UpdatedAt         time.Time // zero when the organisation never saved any
}

// KeepsChatForever reports whether chat messages are never swept.
func (p *PrivacySettings) KeepsChatForever() bool { return p == nil || p.ChatRetentionDays == 0 }

// Validate checks the retention is one of ChatRetentionChoices.
func (p *PrivacySettings) Validate() error {
	if !slices.Contains(ChatRetentionChoices, p.ChatRetentionDays) {
		v := Invalid{}
		v.Add("chat_retention_days", fmt.Sprintf("Please choose one of the offered periods (%d days is not one of them).", p.ChatRetentionDays))
		return v.Err()
	}
	return nil
}

// AccountExport is everything Kindred holds about one account, read in one
// consistent snapshot: one section per area, each a list of records.
type AccountExport struct {
	AccountID  string
	ExportedAt time.Time
	Sections   []ExportSection
}

// ExportSection is one area of an export: Name is its file's stem (e.g.
// "posts"), and each record maps field names to JSON-ready values (strings,
// numbers, booleans, times, nested JSON).
type ExportSection struct {
	Name    string
	Records []map[string]any
}

// Section returns the named section, or nil.
func (e *AccountExport) Section(name string) *ExportSection {
	for i := range e.Sections {
		if e.Sections[i].Name == name {
			return &e.Sections[i]
		}
	}
	return nil
}

// Erasure is what EraseAccount did that others must act on after it
// committed.
type Erasure struct {
	// Partners are the people whose open support conversation with the
	// erased person ended, so their live connections re-check.
	Partners []string
}

// PrivacyStore exports and erases a person's data, and keeps
// organisations' privacy settings.
type PrivacyStore interface {
	// ExportAccount reads everything held about the account in one
	// consistent read; ENOTFOUND when there is no such account.
	ExportAccount(ctx context.Context, accountID string) (*AccountExport, error)
	// EraseAccount erases, in one transaction, everything the person wrote
	// and everything that identifies them, reducing the account row to a
	// tombstone (a new random handle, nothing else of theirs) that records
	// others keep may still point to; it ends their sessions, tokens and
	// open support matches. Then it reclaims the freed space where the
	// database could otherwise keep old copies (SQLite's WAL is
	// checkpointed; PostgreSQL's touched tables are vacuumed).
	EraseAccount(ctx context.Context, accountID string, at time.Time) (*Erasure, error)
	// SoleAdminOrganizations lists the organisations in which the account
	// is the only active admin.
	SoleAdminOrganizations(ctx context.Context, accountID string) ([]*Organization, error)

	// FindPrivacySettings returns the organisation's settings, or the
	// defaults (keep chat) with a zero UpdatedAt when it saved none.
	FindPrivacySettings(ctx context.Context, orgID string) (*PrivacySettings, error)
	SavePrivacySettings(ctx context.Context, p *PrivacySettings) error
	// ListChatRetention returns the settings of every organisation that
	// keeps chat for a limited time.
	ListChatRetention(ctx context.Context) ([]*PrivacySettings, error)
	// DeleteChatBefore deletes the organisation's chat messages created
	// before the time, and returns how many went.
	DeleteChatBefore(ctx context.Context, orgID string, before time.Time) (int, error)
}
