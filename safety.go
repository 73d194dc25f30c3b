package kindred

import (
	"context"
	"fmt"
	"net/url"
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

	// Organisations' crisis help settings (OrgSafety).

	// FindOrgSafety returns the organisation's settings; ENOTFOUND when it
	// never saved any.
	FindOrgSafety(ctx context.Context, orgID string) (*OrgSafety, error)
	// SaveOrgSafety replaces the organisation's settings, lines and phrase
	// lists whole; it fills UpdatedAt when zero and the ids of lines
	// without one.
	SaveOrgSafety(ctx context.Context, s *OrgSafety) error
	// ListOrgSafety returns every organisation's saved settings, to warm
	// the in-memory copies at start.
	ListOrgSafety(ctx context.Context) ([]*OrgSafety, error)
}

// CrisisScanner tells whether text holds crisis language, by the phrase
// lists of the organisation it was written in (its own edits over the
// instance's starter lists). Posts, replies, chat messages and support
// requests are scanned with it.
type CrisisScanner interface {
	ScanCrisis(ctx context.Context, orgID, text string) bool
}

// CrisisResource is a crisis line or service an organisation shows to
// someone who may be in crisis: on "Get help now", on support requests and
// at once when crisis language is found in what they wrote.
type CrisisResource struct {
	ID          string // random; stable while the organisation edits its list
	Name        string
	Description string // one or two plain sentences: who answers and how
	Phone       string // as dialled, e.g. "1-866-488-7386"; several as "911 (US), 999 (UK)"
	Text        string // how to text, e.g. "Text START to 678-678"
	ChatURL     string // an https link, only when known to be right
	Hours       string // e.g. "24/7"; empty when it varies
	Region      string // where it can be reached, e.g. "US"
	Languages   []string
	Serves      string // who it is for, e.g. "trans people", "young people under 25"
}

// Limits for crisis resources and phrase lists.
const (
	MaxCrisisResources     = 40
	MaxCrisisResourceName  = 120
	MaxCrisisResourceText  = 600 // description
	MaxCrisisResourceField = 200 // phone, text, hours, region, serves, languages
	MaxCrisisChatURL       = 500
	MaxCrisisLanguages     = 10
	MaxCrisisPhrase        = 100
	MinCrisisPhrase        = 3 // letters and digits: shorter ones would match everyday words
	MaxCrisisPhrases       = 1000
	MaxCrisisLocales       = 12
	MaxQuickExitURL        = 500
	MaxTransparencyContact = 1000
)

// Validate trims every field and checks lengths, that there is a name and
// a way to reach the line, and that a chat link is an absolute https URL.
func (r *CrisisResource) Validate() error {
	v := Invalid{}
	for _, p := range []*string{&r.Name, &r.Description, &r.Phone, &r.Text, &r.ChatURL, &r.Hours, &r.Region, &r.Serves} {
		*p = strings.TrimSpace(*p)
	}
	langs := r.Languages[:0:0]
	for _, l := range r.Languages {
		if l = strings.TrimSpace(l); l != "" {
			langs = append(langs, l)
		}
	}
	r.Languages = langs
	checkRequired(v, "name", r.Name, "the line's name")
	checkLen(v, "name", r.Name, MaxCrisisResourceName)
	checkLen(v, "description", r.Description, MaxCrisisResourceText)
	for _, f := range []struct{ name, s string }{{"phone", r.Phone}, {"text", r.Text}, {"hours", r.Hours},
		{"region", r.Region}, {"serves", r.Serves}, {"languages", strings.Join(r.Languages, ", ")}} {
		checkLen(v, f.name, f.s, MaxCrisisResourceField)
	}
	if len(r.Languages) > MaxCrisisLanguages {
		v.Add("languages", fmt.Sprintf("Please list at most %d languages.", MaxCrisisLanguages))
	}
	if r.ChatURL != "" {
		if msg := checkHTTPS(r.ChatURL, MaxCrisisChatURL); msg != "" {
			v.Add("chat_url", msg)
		}
	}
	if r.Phone == "" && r.Text == "" && r.ChatURL == "" && r.Description == "" {
		v.Add("phone", "Please say how to reach this line: a phone number, how to text, a chat link or a description.")
	}
	return v.Err()
}

// checkHTTPS returns what is wrong with u as a link to another site, or "".
// Only absolute https links are accepted: a crisis line or a neutral site
// reached over plain http could be read or changed on the way.
func checkHTTPS(u string, max int) string {
	if runeLen(u) > max {
		return fmt.Sprintf("Please keep the link to %d characters or fewer.", max)
	}
	p, err := url.Parse(u)
	if err != nil || p.Scheme != "https" || p.Host == "" || p.User != nil || strings.ContainsAny(u, " \t\r\n\"'<>") {
		return "Please give a full web address starting with https://, like https://example.org/chat."
	}
	return ""
}

// OrgSafety is an organisation's crisis help settings. An organisation that
// never saved any has the zero value: the instance's default crisis lines,
// the starter phrase lists and the instance's quick exit site.
type OrgSafety struct {
	OrgID string
	// Resources are the organisation's own crisis lines, in the order shown.
	Resources []CrisisResource
	// ShowDefaults also shows the instance's default lines after the
	// organisation's own. Without any own lines the defaults always show:
	// "Get help now" is never empty.
	ShowDefaults bool
	// Phrases are the organisation's phrase lists by locale ("en", "es"):
	// only the locales it edited; any other uses the starter list.
	Phrases map[string][]string
	// QuickExitURL is the neutral site quick exit leads to on the
	// organisation's pages; empty for the instance's.
	QuickExitURL string
	// DiscreetDefault turns discreet mode on for the organisation's pages
	// unless a person chose otherwise (a school, for instance).
	DiscreetDefault bool
	// Contact says who to contact about privacy and safety, shown on the
	// transparency page (plain text).
	Contact   string
	UpdatedAt time.Time // zero when never saved
}

// OrgSafetySettings are the plain settings of OrgSafety, changed together.
type OrgSafetySettings struct {
	QuickExitURL    string
	DiscreetDefault bool
	Contact         string
	ShowDefaults    bool
}

// Validate trims and checks the settings.
func (s *OrgSafetySettings) Validate() error {
	v := Invalid{}
	s.QuickExitURL = strings.TrimSpace(s.QuickExitURL)
	s.Contact = strings.TrimSpace(s.Contact)
	if s.QuickExitURL != "" {
		if msg := checkHTTPS(s.QuickExitURL, MaxQuickExitURL); msg != "" {
			v.Add("quick_exit_url", msg)
		}
	}
	checkLen(v, "contact", s.Contact, MaxTransparencyContact)
	return v.Err()
}

// DiscreetMode is a person's choice about discreet mode: a neutral tab
// title and icon on every page, and emails that never say what Kindred is
// about.
type DiscreetMode string

const (
	DiscreetFollow DiscreetMode = ""    // as the organisation in view chooses (off elsewhere)
	DiscreetOn     DiscreetMode = "on"  // always
	DiscreetOff    DiscreetMode = "off" // never, whatever an organisation chooses
)

// Valid reports whether m is a known choice.
func (m DiscreetMode) Valid() bool { return m == DiscreetFollow || m == DiscreetOn || m == DiscreetOff }

// Discreet reports whether pages and emails for a person with this choice
// are discreet, where the organisation in view (if any) defaults to orgDefault.
func (m DiscreetMode) Discreet(orgDefault bool) bool {
	switch m {
	case DiscreetOn:
		return true
	case DiscreetOff:
		return false
	}
	return orgDefault
}

// OrgSafetyTopic announces that an organisation's crisis help settings
// changed (the payload is its id), so every node reloads its copy.
const OrgSafetyTopic = "orgsafety.changed"
