package kindred

import (
	"context"
	"fmt"
	"strings"
	"time"
)

// SafetyPlan is a person's own six-step safety plan, in their own words.
// It belongs to the account, not to an organisation: nobody else reads it,
// staff included. Every field is plain text, never Markdown.
type SafetyPlan struct {
	AccountID        string
	WarningSigns     string // 1. signs that a crisis may be coming
	Coping           string // 2. things I can do on my own
	Distractions     string // 3. people and places that take my mind off things
	People           string // 4. people I can ask for help
	Professionals    string // 5. professionals and crisis lines
	SafeSurroundings string // 6. making my surroundings safer
	// SharedWith is the one peer supporter (an account id) the person chose
	// to let read the plan; empty when it is private to them.
	SharedWith string
	UpdatedAt  time.Time
}

// MaxSafetyPlanField is the longest any one step of a safety plan may be.
const MaxSafetyPlanField = 4000

// IsEmpty reports whether every step is blank.
func (p *SafetyPlan) IsEmpty() bool {
	return strings.TrimSpace(p.WarningSigns+p.Coping+p.Distractions+p.People+p.Professionals+p.SafeSurroundings) == ""
}

// Validate trims every step and checks its length. Each step may be blank:
// a plan can be written a little at a time.
func (p *SafetyPlan) Validate() error {
	v := Invalid{}
	for _, f := range []struct {
		name string
		s    *string
	}{
		{"warning_signs", &p.WarningSigns},
		{"coping", &p.Coping},
		{"distractions", &p.Distractions},
		{"people", &p.People},
		{"professionals", &p.Professionals},
		{"safe_surroundings", &p.SafeSurroundings},
	} {
		*f.s = strings.TrimSpace(*f.s)
		if n := runeLen(*f.s); n > MaxSafetyPlanField {
			v.Add(f.name, fmt.Sprintf("This step is a little long: please keep it to %d characters or fewer "+
				"(it is %d now). Everything you wrote is still here.", MaxSafetyPlanField, n))
		}
	}
	return v.Err()
}

// SafetyStore keeps safety plans.
type SafetyStore interface {
	// FindSafetyPlan returns the account's plan; ENOTFOUND when they have none.
	FindSafetyPlan(ctx context.Context, accountID string) (*SafetyPlan, error)
	// SaveSafetyPlan creates or replaces the account's plan; it fills
	// UpdatedAt when zero.
	SaveSafetyPlan(ctx context.Context, p *SafetyPlan) error
	DeleteSafetyPlan(ctx context.Context, accountID string) error // ENOTFOUND when there is none
	// ListSafetyPlansSharedWith returns the plans shared with the account,
	// the most recently saved first.
	ListSafetyPlansSharedWith(ctx context.Context, accountID string) ([]*SafetyPlan, error)
}

// CrisisScanner tells whether text holds crisis language, by the phrase
// lists of the organisation it was written in (its own edits over the
// instance's starter lists). Posts, replies, chat messages and support
// requests are scanned with it.
type CrisisScanner interface {
	ScanCrisis(ctx context.Context, orgID, text string) bool
}
