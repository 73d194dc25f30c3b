package kindred

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Competency is one of the peer-work competencies a training module
// teaches. A course maps each module to one.
type Competency string

const (
	CompEngaging     Competency = "engaging"   // engaging peers in caring, collaborative relationships
	CompSupporting   Competency = "supporting" // providing support
	CompLivedExp     Competency = "lived_experience"
	CompPersonalised Competency = "personalising" // personalising support
	CompPlanning     Competency = "planning"      // supporting planning for recovery and goals
	CompResources    Competency = "resources"     // linking to resources, services and supports
	CompWellness     Competency = "wellness"      // health and wellness skills
	CompCrisis       Competency = "crisis"        // helping in crisis
	CompCommunicate  Competency = "communication"
	CompCollaborate  Competency = "collaboration"
	CompAdvocacy     Competency = "advocacy" // leadership and advocacy
	CompGrowth       Competency = "growth"   // growth and development
)

// Competencies lists the competencies in the order a course teaches them.
var Competencies = []Competency{CompEngaging, CompSupporting, CompLivedExp, CompPersonalised, CompPlanning,
	CompResources, CompWellness, CompCrisis, CompCommunicate, CompCollaborate, CompAdvocacy, CompGrowth}

// Valid reports whether c is known.
func (c Competency) Valid() bool { return slices.Contains(Competencies, c) }

// Label is the competency in words.
func (c Competency) Label() string {
	switch c {
	case CompEngaging:
		return "Engaging peers in caring relationships"
	case CompSupporting:
		return "Providing support"
	case CompLivedExp:
		return "Sharing lived experience"
	case CompPersonalised:
		return "Personalising support"
	case CompPlanning:
		return "Supporting planning"
	case CompResources:
		return "Linking to resources"
	case CompWellness:
		return "Health and wellness skills"
	case CompCrisis:
		return "Helping in crisis"
	case CompCommunicate:
		return "Communication"
	case CompCollaborate:
		return "Collaboration and teamwork"
	case CompAdvocacy:
		return "Leadership and advocacy"
	case CompGrowth:
		return "Growth and development"
	}
	return string(c)
}

// Course is a training course of an organisation: modules taken in order.
// Passing every module makes a trainee ready for a coordinator's review.
type Course struct {
	ID      string
	OrgID   string
	Slug    string // unique in the organisation
	Title   string
	Summary string // Markdown
	// ValidFor is how long a sign-off on this course lasts before a
	// refresher is due; 0 means it does not expire.
	ValidFor  time.Duration
	Published bool // trainees see only published courses
	CreatedBy string
	CreatedAt time.Time
	UpdatedAt time.Time

	// Read-only, filled by listings.
	ModuleCount int
}

// Course limits.
const (
	MaxCourseTitle   = 120
	MaxCourseSummary = 4000
	MaxCourseValid   = 3 * 365 * 24 * time.Hour
	MaxModules       = 40
)

// CourseDraft creates a course.
type CourseDraft struct {
	Title     string
	Slug      string // from Title when empty
	Summary   string
	ValidFor  time.Duration
	Published bool
}

// Validate trims, fills the slug and checks the draft.
func (d *CourseDraft) Validate() error {
	v := Invalid{}
	d.Title = strings.TrimSpace(d.Title)
	d.Slug = strings.TrimSpace(d.Slug)
	if d.Slug == "" {
		d.Slug = Slugify(d.Title)
	}
	checkRequired(v, "title", d.Title, "a title")
	checkLen(v, "title", d.Title, MaxCourseTitle)
	checkSlug(v, d.Slug)
	checkLen(v, "summary", d.Summary, MaxCourseSummary)
	checkValidFor(v, d.ValidFor)
	return v.Err()
}

func checkValidFor(v Invalid, d time.Duration) {
	if d < 0 || d > MaxCourseValid {
		v.Add("valid_for", "A sign-off can last up to three years, or not expire.")
	}
}

// CourseUpdate changes a course. Nil fields stay.
type CourseUpdate struct {
	Title     *string
	Summary   *string
	ValidFor  *time.Duration
	Published *bool
}

// Validate checks the update.
func (u *CourseUpdate) Validate() error {
	v := Invalid{}
	if u.Title != nil {
		*u.Title = strings.TrimSpace(*u.Title)
		checkRequired(v, "title", *u.Title, "a title")
		checkLen(v, "title", *u.Title, MaxCourseTitle)
	}
	if u.Summary != nil {
		checkLen(v, "summary", *u.Summary, MaxCourseSummary)
	}
	if u.ValidFor != nil {
		checkValidFor(v, *u.ValidFor)
	}
	return v.Err()
}

// CourseFilter selects courses, by title.
type CourseFilter struct {
	OrgID     string
	Published *bool
}

// Module is one lesson of a course: reading (Markdown), a knowledge check
// and practice scenarios with questions for reflection.
type Module struct {
	ID         string
	CourseID   string
	Position   int // 1, 2, 3… within the course
	Title      string
	Competency Competency
	Body       string // Markdown
	// PassMark is the share of knowledge-check questions, in percent, a
	// trainee must answer correctly to pass (a module without questions
	// passes once read and every scenario is reflected on).
	PassMark  int
	Questions []Question
	Scenarios []Scenario
	UpdatedAt time.Time
}

// Question is one knowledge-check question. With Multiple, the answer is
// the exact set of correct choices; otherwise exactly one is correct.
type Question struct {
	ID          string // stable within the module, e.g. "q1"
	Prompt      string
	Multiple    bool
	Choices     []Choice
	Explanation string // Markdown, shown after answering
}

// Choice is one answer to a question.
type Choice struct {
	Text    string
	Correct bool
}

// Scenario is a practice situation with questions the trainee answers in
// their own words; a coordinator reads the answers at review.
type Scenario struct {
	ID          string // stable within the module, e.g. "s1"
	Situation   string // Markdown
	Reflections []string
}

// Module limits.
const (
	MaxModuleTitle   = 120
	MaxModuleBody    = 40000
	MaxQuestions     = 20
	MaxChoices       = 8
	MaxPrompt        = 1000
	MaxExplanation   = 2000
	MaxScenarios     = 5
	MaxSituation     = 4000
	MaxReflections   = 5
	MaxReflection    = 4000 // a trainee's answer
	DefaultPassMark  = 80
	MaxQuestionIDLen = 20
)

// Validate trims and checks the module as authored. Question and scenario
// ids are filled ("q1", "s1"…) where empty and must be unique.
func (m *Module) Validate() error {
	v := Invalid{}
	m.Title = strings.TrimSpace(m.Title)
	checkRequired(v, "title", m.Title, "a title")
	checkLen(v, "title", m.Title, MaxModuleTitle)
	if !m.Competency.Valid() {
		v.Add("competency", "Please choose the competency this module teaches.")
	}
	checkLen(v, "body", m.Body, MaxModuleBody)
	if m.PassMark == 0 {
		m.PassMark = DefaultPassMark
	}
	if m.PassMark < 1 || m.PassMark > 100 {
		v.Add("pass_mark", "The pass mark is a percentage from 1 to 100.")
	}
	if len(m.Questions) > MaxQuestions {
		v.Add("questions", "A module can have up to 20 questions.")
	}
	seen := map[string]bool{}
	for i := range m.Questions {
		q := &m.Questions[i]
		if q.ID == "" {
			q.ID = "q" + itoa(i+1)
		}
		q.Prompt = strings.TrimSpace(q.Prompt)
		field := "questions." + itoa(i)
		switch {
		case seen[q.ID] || len(q.ID) > MaxQuestionIDLen:
			v.Add(field, "Each question needs its own short id.")
		case q.Prompt == "" || len(q.Prompt) > MaxPrompt:
			v.Add(field, "Question "+itoa(i+1)+" needs a prompt of up to 1,000 characters.")
		case len(q.Choices) < 2 || len(q.Choices) > MaxChoices:
			v.Add(field, "Question "+itoa(i+1)+" needs from 2 to 8 choices.")
		case len(q.Explanation) > MaxExplanation:
			v.Add(field, "Question "+itoa(i+1)+"'s explanation can be up to 2,000 characters.")
		default:
			correct := 0
			for j := range q.Choices {
				q.Choices[j].Text = strings.TrimSpace(q.Choices[j].Text)
				if q.Choices[j].Text == "" || len(q.Choices[j].Text) > MaxPrompt {
					v.Add(field, "Every choice of question "+itoa(i+1)+" needs some text.")
				}
				if q.Choices[j].Correct {
					correct++
				}
			}
			if correct == 0 || (!q.Multiple && correct != 1) {
				v.Add(field, "Question "+itoa(i+1)+" needs one correct choice (or at least one, if several may be chosen).")
			}
		}
		seen[q.ID] = true
	}
	if len(m.Scenarios) > MaxScenarios {
		v.Add("scenarios", "A module can have up to 5 scenarios.")
	}
	for i := range m.Scenarios {
		sc := &m.Scenarios[i]
		if sc.ID == "" {
			sc.ID = "s" + itoa(i+1)
		}
		field := "scenarios." + itoa(i)
		switch {
		case seen[sc.ID] || len(sc.ID) > MaxQuestionIDLen:
			v.Add(field, "Each scenario needs its own short id.")
		case strings.TrimSpace(sc.Situation) == "" || len(sc.Situation) > MaxSituation:
			v.Add(field, "Scenario "+itoa(i+1)+" needs a situation of up to 4,000 characters.")
		case len(sc.Reflections) == 0 || len(sc.Reflections) > MaxReflections:
			v.Add(field, "Scenario "+itoa(i+1)+" needs from 1 to 5 reflection questions.")
		}
		seen[sc.ID] = true
	}
	return v.Err()
}

func itoa(i int) string { return strconv.Itoa(i) }

// Score marks answers to the module's questions: answers maps a question id
// to the indexes of the chosen choices. It returns how many were right and
// whether that reaches the pass mark.
func (m *Module) Score(answers map[string][]int) (right int, passed bool) {
	for _, q := range m.Questions {
		chosen := answers[q.ID]
		ok := len(chosen) > 0
		for j, c := range q.Choices {
			if c.Correct != slices.Contains(chosen, j) {
				ok = false
			}
		}
		if ok {
			right++
		}
	}
	if len(m.Questions) == 0 {
		return 0, true
	}
	return right, right*100 >= m.PassMark*len(m.Questions)
}

// ModuleProgress is one person's work on one module, kept as they go.
type ModuleProgress struct {
	AccountID   string
	ModuleID    string
	CourseID    string
	ReadAt      *time.Time          // the reading was marked done
	Answers     map[string][]int    // question id → chosen choices, as last submitted
	Score       int                 // questions right in the last submission
	Reflections map[string][]string // scenario id → answers in order
	PassedAt    *time.Time          // set when the module was passed; stays once set
	Attempts    int                 // knowledge-check submissions
	UpdatedAt   time.Time
}

// Passed reports whether the module is done.
func (p *ModuleProgress) Passed() bool { return p != nil && p.PassedAt != nil }

// ProgressFilter selects progress records.
type ProgressFilter struct {
	AccountID string // required
	CourseID  string // optional
}

// SignOffDecision is where a trainee stands with a coordinator.
type SignOffDecision string

const (
	SignOffRequested SignOffDecision = "requested" // waiting for review
	SignOffGranted   SignOffDecision = "granted"
	SignOffDeclined  SignOffDecision = "declined"
	SignOffRevoked   SignOffDecision = "revoked"
)

// Certification is one sign-off of a person on a course: requested by the
// trainee once every module is passed, then granted or declined by a
// coordinator with a note. A grant gives the peer supporter role until
// ExpiresAt (nil: no expiry), after which a refresher is due.
type Certification struct {
	ID          string
	OrgID       string
	CourseID    string
	AccountID   string
	Decision    SignOffDecision
	Note        string // the coordinator's note to the trainee
	RequestedAt time.Time
	DecidedBy   string
	DecidedAt   *time.Time
	ExpiresAt   *time.Time
	// YouthProgramme: the coordinator cleared this supporter to support
	// members aged 13–17.
	YouthProgramme bool

	// Read-only, filled by listings.
	Name        string // the trainee's name in the organisation
	CourseTitle string
}

// Valid reports whether the certification is a grant in force at now.
func (c *Certification) Valid(now time.Time) bool {
	return c != nil && c.Decision == SignOffGranted && (c.ExpiresAt == nil || now.Before(*c.ExpiresAt))
}

// MaxSignOffNote bounds a coordinator's note.
const MaxSignOffNote = 2000

// CertificationFilter selects certifications, newest first.
type CertificationFilter struct {
	OrgID     string
	AccountID string
	CourseID  string
	Decision  SignOffDecision // empty: any
	Limit     int
}

// RefresherWindow is how long before a grant expires that its holder may
// start a refresher.
const RefresherWindow = 30 * 24 * time.Hour

// RefresherDue reports whether the certification is a grant that expires
// within RefresherWindow of now, or has expired.
func (c *Certification) RefresherDue(now time.Time) bool {
	return c != nil && c.Decision == SignOffGranted && c.ExpiresAt != nil && !now.Before(c.ExpiresAt.Add(-RefresherWindow))
}

// CertificationDecision changes a certification: a coordinator's grant or
// decline of a request, or the revoking of a grant. From is the decision
// the certification must hold now (requested for a grant or decline,
// granted for a revoke); the store answers ECONFLICT otherwise, so two
// coordinators deciding at once cannot both succeed.
type CertificationDecision struct {
	From           SignOffDecision
	To             SignOffDecision
	Note           string
	DecidedBy      string
	DecidedAt      time.Time
	ExpiresAt      *time.Time // grants only
	YouthProgramme bool       // grants only
}

// MembershipRef names one membership.
type MembershipRef struct {
	OrgID     string
	AccountID string
}

// TrainingStore keeps courses, modules, progress and sign-offs. It is part
// of Store; internal/sqlstore implements it for both databases.
type TrainingStore interface {
	// Courses.
	CreateCourse(ctx context.Context, c *Course) error // ECONFLICT when the slug is taken in the organisation
	FindCourse(ctx context.Context, id string) (*Course, error)
	FindCourseBySlug(ctx context.Context, orgID, slug string) (*Course, error)
	ListCourses(ctx context.Context, f CourseFilter) ([]*Course, error) // by title, with ModuleCount
	UpdateCourse(ctx context.Context, id string, u CourseUpdate, at time.Time) (*Course, error)

	// Modules. SaveModule inserts a module with an empty ID at the end of
	// its course (filling ID and Position) or replaces the content of an
	// existing one (its Position stays). DeleteModule closes the gap in
	// the positions; MoveModule swaps a module with its neighbour (delta
	// -1: earlier, +1: later) and does nothing at either end.
	SaveModule(ctx context.Context, m *Module) error
	FindModule(ctx context.Context, id string) (*Module, error)
	ListModules(ctx context.Context, courseID string) ([]*Module, error) // by position
	DeleteModule(ctx context.Context, id string) error
	MoveModule(ctx context.Context, id string, delta int) error

	// Progress. SaveProgress stores a person's work on a module, creating
	// or replacing the record, and fills p with what is stored: ReadAt and
	// PassedAt, once set, are kept (only ResetProgress clears them, for a
	// refresher).
	SaveProgress(ctx context.Context, p *ModuleProgress) error
	ListProgress(ctx context.Context, f ProgressFilter) ([]*ModuleProgress, error)
	// ListCourseProgress returns everyone's progress on a course, for its
	// coordinators.
	ListCourseProgress(ctx context.Context, courseID string) ([]*ModuleProgress, error)
	ResetProgress(ctx context.Context, accountID, courseID string) error

	// Sign-offs. CreateCertification stores a request; ECONFLICT when the
	// person already has one waiting on the course. DecideCertification
	// applies d in one transaction with its effect on roles: a grant adds
	// RolePeerSupporter to the person's membership; a revoke removes it
	// unless another grant of theirs in the organisation is in force at
	// d.DecidedAt. ECONFLICT when the certification no longer holds d.From;
	// ENOTFOUND when a grant finds no membership.
	CreateCertification(ctx context.Context, c *Certification) error
	FindCertification(ctx context.Context, id string) (*Certification, error) // with Name and CourseTitle
	ListCertifications(ctx context.Context, f CertificationFilter) ([]*Certification, error)
	DecideCertification(ctx context.Context, id string, d CertificationDecision) (*Certification, error)
	// ExpireSupporters removes RolePeerSupporter from every member who
	// holds it and has grants, none of them in force at now, and returns
	// those memberships. People given the role by an admin without any
	// grant keep it.
	ExpireSupporters(ctx context.Context, now time.Time) ([]MembershipRef, error)
}
