package kindred

import (
	"context"
	"math"
	"strconv"
	"strings"
	"time"
)

// Reports, the moderation queue, weighted flags, moderation actions and
// appeals (issue 5, item 4), and the priority flags crisis language raises.

// TargetKind says what a report or a moderation case is about.
type TargetKind string

const (
	TargetPost    TargetKind = "post"    // a thread's opening post or a reply
	TargetMessage TargetKind = "message" // a chat message; its target id is "<room>:<seq>"
	TargetPerson  TargetKind = "person"  // a member of the organisation
	// TargetSupportRequest is only ever raised by the crisis scanner, for
	// coordinators: nobody reports a request for support.
	TargetSupportRequest TargetKind = "support_request"
)

// Valid reports whether k is a kind people can report.
func (k TargetKind) Valid() bool { return k == TargetPost || k == TargetMessage || k == TargetPerson }

// Label is the kind in words.
func (k TargetKind) Label() string {
	switch k {
	case TargetPost:
		return "Post"
	case TargetMessage:
		return "Chat message"
	case TargetPerson:
		return "Person"
	case TargetSupportRequest:
		return "Request for support"
	}
	return string(k)
}

// ReportReason is why someone reports something, from a fixed list.
type ReportReason string

const (
	ReasonHarassment    ReportReason = "harassment"
	ReasonHate          ReportReason = "hate"
	ReasonOuting        ReportReason = "outing"
	ReasonMinorSafety   ReportReason = "minor_safety"
	ReasonThreats       ReportReason = "threats"
	ReasonSelfHarm      ReportReason = "self_harm"
	ReasonSpam          ReportReason = "spam"
	ReasonImpersonation ReportReason = "impersonation"
	ReasonOther         ReportReason = "other"
)

// ReportReasons lists the reasons in the order the form shows them.
var ReportReasons = []ReportReason{ReasonHarassment, ReasonHate, ReasonOuting, ReasonMinorSafety, ReasonThreats,
	ReasonSelfHarm, ReasonSpam, ReasonImpersonation, ReasonOther}

// Valid reports whether r is on the list.
func (r ReportReason) Valid() bool {
	for _, x := range ReportReasons {
		if r == x {
			return true
		}
	}
	return false
}

// Label is the reason in words, as the form offers it.
func (r ReportReason) Label() string {
	switch r {
	case ReasonHarassment:
		return "Harassment or bullying"
	case ReasonHate:
		return "Hate: homophobia, transphobia, racism or other hate"
	case ReasonOuting:
		return "Outing someone or sharing private information"
	case ReasonMinorSafety:
		return "Sexual content or contact involving a young person"
	case ReasonThreats:
		return "Threats or violence"
	case ReasonSelfHarm:
		return "I'm worried about someone (self-harm or suicide risk)"
	case ReasonSpam:
		return "Spam or a scam"
	case ReasonImpersonation:
		return "Pretending to be someone else"
	case ReasonOther:
		return "Something else"
	}
	return string(r)
}

// Urgent reports whether the reason puts a case with the crisis cases: a
// young person's safety, threats and self-harm cannot wait in line.
func (r ReportReason) Urgent() bool {
	return r == ReasonMinorSafety || r == ReasonThreats || r == ReasonSelfHarm
}

// Moderation limits.
const (
	MaxReportNote       = 1000
	MaxModerationReason = 500
	MaxAppealNote       = 1000
	// MaxSuspension is the longest a suspension may last; longer is a ban.
	MaxSuspension = 365 * 24 * time.Hour
)

// ReportDraft is a report someone wants to file.
type ReportDraft struct {
	Reason ReportReason
	Note   string // optional
}

// Validate trims and checks the draft.
func (d *ReportDraft) Validate() error {
	v := Invalid{}
	d.Note = strings.TrimSpace(normalizeNewlines(d.Note))
	if !d.Reason.Valid() {
		v.Add("reason", "Please choose the reason that fits best. “Something else” is fine too.")
	}
	checkLen(v, "note", d.Note, MaxReportNote)
	return v.Err()
}

// Report is one person's report of a post, message or person. Who filed it
// is never shown to the person reported, nor to staff.
type Report struct {
	ID         string
	CaseID     string
	OrgID      string
	ReporterID string
	Reason     ReportReason
	Note       string
	// Weight is what the report counts for (ReportWeight), and Newcomer
	// whether it came from an account or membership under NewcomerAge:
	// newcomers' weights together are capped (CaseWeight).
	Weight    float64
	Newcomer  bool
	CreatedAt time.Time
	UpdatedAt time.Time
}

// ReportFilter selects reports: those of a case, or those one person filed
// in an organisation (newest first).
type ReportFilter struct {
	CaseID     string
	OrgID      string
	ReporterID string
	Limit      int
}

// CaseStatus says whether a case still waits for staff.
type CaseStatus string

const (
	CaseOpen     CaseStatus = "open"
	CaseResolved CaseStatus = "resolved"
)

// ModAction is what staff do about a case.
type ModAction string

const (
	ActionHide       ModAction = "hide"        // hide the post or chat message from everyone but its author
	ActionRestore    ModAction = "restore"     // show a hidden post again
	ActionWarn       ModAction = "warn"        // the person sees a warning
	ActionSuspend    ModAction = "suspend"     // no posting or chat in the organisation until a time
	ActionBan        ModAction = "ban"         // removed from the organisation for good
	ActionDismiss    ModAction = "dismiss"     // nothing needed doing
	ActionReachedOut ModAction = "reached_out" // crisis flags: someone reached out; resolved
)

// ModActions lists the actions in the order the case page offers them.
var ModActions = []ModAction{ActionHide, ActionRestore, ActionWarn, ActionSuspend, ActionBan, ActionDismiss, ActionReachedOut}

// Valid reports whether a is known.
func (a ModAction) Valid() bool {
	for _, x := range ModActions {
		if a == x {
			return true
		}
	}
	return false
}

// Label is the action in words, for staff.
func (a ModAction) Label() string {
	switch a {
	case ActionHide:
		return "Hide it"
	case ActionRestore:
		return "Restore it"
	case ActionWarn:
		return "Warn the person"
	case ActionSuspend:
		return "Suspend for a while"
	case ActionBan:
		return "Ban from the organisation"
	case ActionDismiss:
		return "Dismiss: no action needed"
	case ActionReachedOut:
		return "Reached out: resolved"
	}
	return string(a)
}

// Appealable reports whether the person affected may appeal the action.
func (a ModAction) Appealable() bool {
	return a == ActionHide || a == ActionWarn || a == ActionSuspend || a == ActionBan
}

// Upheld reports whether a case closed with this action counts as the
// reporters having been right, for their accuracy.
func (a ModAction) Upheld() bool { return a.Appealable() }

// ModerationCase gathers every report and crisis flag about one thing in
// one organisation. There is at most one open case per target.
type ModerationCase struct {
	ID       string
	OrgID    string
	Kind     TargetKind
	TargetID string // post id, "<room>:<seq>", account id or support request id
	// ContextID locates the target: the thread of a post, the room of a
	// message; empty otherwise.
	ContextID string
	// SubjectID is the person the case is about: the author of the post or
	// message, the person reported, the member who asked for support.
	// Empty once that person erased their account.
	SubjectID string
	// Crisis: the crisis scanner found crisis language, or someone reported
	// it as a worry about self-harm; such cases come first.
	Crisis bool
	// CoordinatorsOnly: the case concerns a request for support, which
	// only coordinators may read.
	CoordinatorsOnly bool
	Weight           float64 // CaseWeight of its reports
	Reports          int     // how many people reported it
	Urgent           bool    // a report gave an urgent reason
	Hidden           bool    // the weight passed the threshold and hid the target pending review
	Status           CaseStatus
	Outcome          ModAction // the last action taken; empty while none was
	CreatedAt        time.Time
	UpdatedAt        time.Time
	ResolvedAt       *time.Time
}

// MessageTarget is the target id of a chat message.
func MessageTarget(roomID string, seq int64) string {
	return roomID + ":" + strconv.FormatInt(seq, 10)
}

// CaseUpdate changes a case. Nil fields stay.
type CaseUpdate struct {
	Weight     *float64
	Reports    *int
	Urgent     *bool
	Hidden     *bool
	Crisis     *bool
	Status     *CaseStatus
	Outcome    *ModAction
	ResolvedAt **time.Time
	UpdatedAt  time.Time
}

// CaseFilter selects an organisation's cases: crisis first, then the
// urgent, then by weight, then the oldest.
type CaseFilter struct {
	OrgID  string
	Status CaseStatus // empty: any
	// WithCoordinatorsOnly includes the cases about requests for support.
	WithCoordinatorsOnly bool
	// OnlyCoordinatorsOnly keeps only those (a coordinator who does not
	// moderate sees just these).
	OnlyCoordinatorsOnly bool
	// NotAbout leaves out the cases about this account: nobody reviews
	// reports about themselves.
	NotAbout string
	Limit    int
}

// Decision is one action staff took on a case, with their reason, and the
// one appeal the person affected may make against it.
type Decision struct {
	ID        string
	CaseID    string
	OrgID     string
	SubjectID string // the person affected; empty when nobody is, or once erased
	Action    ModAction
	Reason    string // the staff member's words, shown to the person affected
	ActorID   string // never shown to the person affected nor to reporters
	Until     *time.Time
	CreatedAt time.Time

	AppealNote      string
	AppealedAt      *time.Time
	AppealOutcome   AppealOutcome
	AppealReason    string
	AppealDecidedBy string
	AppealDecidedAt *time.Time

	// Read-only, filled by finds and listings: the case's kind.
	Kind TargetKind
}

// Overturned reports whether an appeal overturned the decision.
func (d *Decision) Overturned() bool { return d.AppealOutcome == AppealOverturned }

// AppealOutcome is how an appeal ended.
type AppealOutcome string

const (
	AppealUpheld     AppealOutcome = "upheld"     // the decision stands
	AppealOverturned AppealOutcome = "overturned" // the decision is undone
)

// DecisionFilter selects decisions, newest first: a case's, or those about
// one person in an organisation, or those with an open appeal.
type DecisionFilter struct {
	CaseID      string
	OrgID       string
	SubjectID   string
	OpenAppeals bool
	Limit       int
}

// DecisionDraft is what staff decide about a case.
type DecisionDraft struct {
	Action ModAction
	Reason string
	// For suspensions: how long, in days (1 to 365).
	Days int
}

// Validate trims and checks the draft.
func (d *DecisionDraft) Validate() error {
	v := Invalid{}
	d.Reason = strings.TrimSpace(normalizeNewlines(d.Reason))
	if !d.Action.Valid() {
		v.Add("action", "Please choose what to do.")
	}
	checkRequired(v, "reason", d.Reason, "a reason (the person affected reads it; it is kept with the decision)")
	checkLen(v, "reason", d.Reason, MaxModerationReason)
	if d.Action == ActionSuspend && (d.Days < 1 || d.Days > int(MaxSuspension/(24*time.Hour))) {
		v.Add("days", "A suspension lasts from 1 to 365 days.")
	}
	return v.Err()
}

// AppealDraft is a person's appeal against a decision about them.
type AppealDraft struct{ Note string }

// Validate trims and checks the draft.
func (d *AppealDraft) Validate() error {
	v := Invalid{}
	d.Note = strings.TrimSpace(normalizeNewlines(d.Note))
	checkRequired(v, "note", d.Note, "a few words about why you think the decision should change")
	checkLen(v, "note", d.Note, MaxAppealNote)
	return v.Err()
}

// AppealDecisionDraft is a staff member's answer to an appeal.
type AppealDecisionDraft struct {
	Outcome AppealOutcome
	Reason  string
}

// Validate trims and checks the draft.
func (d *AppealDecisionDraft) Validate() error {
	v := Invalid{}
	d.Reason = strings.TrimSpace(normalizeNewlines(d.Reason))
	if d.Outcome != AppealUpheld && d.Outcome != AppealOverturned {
		v.Add("outcome", "Please choose whether the decision stands or is overturned.")
	}
	checkRequired(v, "reason", d.Reason, "a reason (the person who appealed reads it)")
	checkLen(v, "reason", d.Reason, MaxModerationReason)
	return v.Err()
}

// ModerationSettings are an organisation's moderation choices.
type ModerationSettings struct {
	OrgID string
	// HideThreshold is the case weight at which a post or message is
	// hidden pending review.
	HideThreshold float64
	// HoldCrisisPosts keeps posts with crisis language hidden until a
	// moderator looks (the writer still sees the crisis lines at once).
	HoldCrisisPosts bool
	UpdatedAt       time.Time
}

// Threshold limits and default.
const (
	DefaultHideThreshold = 3.0
	MinHideThreshold     = 1.0
	MaxHideThreshold     = 20.0
)

// DefaultModerationSettings are the settings of an organisation that never
// changed them.
func DefaultModerationSettings(orgID string) *ModerationSettings {
	return &ModerationSettings{OrgID: orgID, HideThreshold: DefaultHideThreshold}
}

// Validate checks the settings.
func (s *ModerationSettings) Validate() error {
	v := Invalid{}
	if math.IsNaN(s.HideThreshold) || s.HideThreshold < MinHideThreshold || s.HideThreshold > MaxHideThreshold {
		v.Add("hide_threshold", "Please choose a threshold from 1 to 20. The default, 3, takes about two established members.")
	}
	return v.Err()
}

// Weighted flags. The formula is documented in docs/moderation.md.

// NewcomerAge is how long an account and its membership must exist before
// its reports count fully.
const NewcomerAge = 7 * 24 * time.Hour

// Weight constants.
const (
	newcomerWeight = 0.1
	// NewcomerShare caps newcomers' reports on one case, together, at this
	// share of the threshold, so they can never hide anything by themselves.
	NewcomerShare  = 0.5
	tenureFull     = 90 * 24 * time.Hour
	staffFactor    = 1.5
	maxReportShare = 0.9 // a non-staff report alone never reaches the threshold
	priorUpheld    = 1.0 // accuracy prior: 1 upheld in 3, so newcomers start low
	priorJudged    = 3.0
)

// Standing is what a reporter's weight depends on.
type Standing struct {
	AccountAge time.Duration // since the account was made
	MemberFor  time.Duration // since they joined the organisation
	Staff      bool          // moderator, admin, coordinator or facilitator here
	Upheld     int           // their past reports here that staff upheld
	Judged     int           // their past reports here that staff decided either way
}

// Accuracy is the share of a reporter's past reports that were upheld,
// pulled towards 1 in 3 while they have few.
func (s Standing) Accuracy() float64 {
	return (float64(s.Upheld) + priorUpheld) / (float64(s.Judged) + priorJudged)
}

// ReportWeight is what one report counts for, given the reporter's standing
// and the organisation's threshold, and whether it is a newcomer's.
func ReportWeight(s Standing, threshold float64) (weight float64, newcomer bool) {
	if s.AccountAge < NewcomerAge || s.MemberFor < NewcomerAge {
		return newcomerWeight, true
	}
	tenure := min(float64(s.MemberFor)/float64(tenureFull), 1)
	w := (0.5 + 1.5*tenure) * (0.5 + 1.5*s.Accuracy())
	if s.Staff {
		return min(w*staffFactor, threshold), false
	}
	return min(w, maxReportShare*threshold), false
}

// CaseWeight adds up a case's reports: newcomers' together count at most
// NewcomerShare of the threshold.
func CaseWeight(reports []*Report, threshold float64) float64 {
	var established, newcomers float64
	for _, r := range reports {
		if r.Newcomer {
			newcomers += r.Weight
		} else {
			established += r.Weight
		}
	}
	return established + min(newcomers, NewcomerShare*threshold)
}

// StatusBanned is the standing of a person banned from an organisation:
// the membership stays, inactive, so they cannot rejoin.
const StatusBanned MembershipStatus = "banned"

// PostHidden says why moderation keeps a post from everyone but its author.
type PostHidden string

const (
	PostVisible         PostHidden = ""
	HiddenPendingReview PostHidden = "review"      // reports passed the threshold
	HiddenByModerator   PostHidden = "moderator"   // a moderator hid it
	HiddenCrisisHold    PostHidden = "crisis_hold" // crisis language, held for review by the organisation's choice
)

// Note is what the author reads about their hidden post.
func (h PostHidden) Note() string {
	switch h {
	case HiddenPendingReview:
		return "Hidden while a moderator looks at it. Only you can see it for now."
	case HiddenByModerator:
		return "A moderator hid this post. Only you can see it. You'll find the reason, and how to appeal, under Decisions about you."
	case HiddenCrisisHold:
		return "Waiting for a moderator before others see it. Only you can see it for now."
	}
	return ""
}

// CrisisFlag tells moderation that crisis language appeared somewhere.
type CrisisFlag struct {
	OrgID     string
	Kind      TargetKind
	TargetID  string
	ContextID string
	AuthorID  string
}

// CrisisFlagger is how posting, chat and support requests reach
// moderation (internal/moderation implements it).
type CrisisFlagger interface {
	// ScreenCrisis reports whether text written in the organisation holds
	// crisis language, and whether the organisation holds such posts for
	// review.
	ScreenCrisis(ctx context.Context, orgID, text string) (crisis, hold bool)
	// RaiseCrisis puts a crisis case at the top of the queue. It never
	// fails the writing it follows; problems are logged.
	RaiseCrisis(ctx context.Context, f CrisisFlag)
}

// ModerationStore keeps reports, moderation cases, decisions, appeals and
// settings.
type ModerationStore interface {
	// OpenModerationCase returns the open case about the target, creating
	// it from c when there is none (c's ID and CreatedAt are filled). When
	// crisis is true the case is marked as a crisis.
	OpenModerationCase(ctx context.Context, c *ModerationCase, crisis bool) (*ModerationCase, error)
	FindModerationCase(ctx context.Context, id string) (*ModerationCase, error)
	ListModerationCases(ctx context.Context, f CaseFilter) ([]*ModerationCase, error)
	// CountCrisisCases counts an organisation's open crisis cases; those
	// about support requests only when withCoordinatorsOnly.
	CountCrisisCases(ctx context.Context, orgID string, withCoordinatorsOnly bool) (int, error)
	UpdateModerationCase(ctx context.Context, id string, u CaseUpdate) (*ModerationCase, error)

	// SaveReport stores a report on its case, or replaces the reason, note
	// and weight of the reporter's earlier report on it (one report per
	// person per case). It reports whether the report is new.
	SaveReport(ctx context.Context, r *Report) (created bool, err error)
	ListReports(ctx context.Context, f ReportFilter) ([]*Report, error)
	// ReporterRecord counts a person's reports in an organisation on cases
	// that were decided, and how many of those were upheld.
	ReporterRecord(ctx context.Context, orgID, accountID string) (upheld, judged int, err error)

	// CreateDecision stores a decision and applies u to its case, together.
	CreateDecision(ctx context.Context, d *Decision, u CaseUpdate) error
	FindDecision(ctx context.Context, id string) (*Decision, error)
	ListDecisions(ctx context.Context, f DecisionFilter) ([]*Decision, error)
	// AppealDecision records the one appeal; ECONFLICT when there is one.
	AppealDecision(ctx context.Context, id, note string, at time.Time) error
	// DecideAppeal records the answer; ECONFLICT when it was answered or
	// never made.
	DecideAppeal(ctx context.Context, id string, outcome AppealOutcome, reason, by string, at time.Time) error
	// ActiveSuspension returns when the person's latest suspension in the
	// organisation that is not overturned ends, if after now; ENOTFOUND
	// when there is none.
	ActiveSuspension(ctx context.Context, orgID, accountID string, now time.Time) (time.Time, error)

	// FindModerationSettings returns the organisation's settings, or the
	// defaults when it never saved any.
	FindModerationSettings(ctx context.Context, orgID string) (*ModerationSettings, error)
	SaveModerationSettings(ctx context.Context, s *ModerationSettings) error

	// SetPostHidden hides a post from everyone but its author (or shows it
	// again with PostVisible), keeping the thread's reply count to what
	// others can see. ENOTFOUND when the post does not exist.
	SetPostHidden(ctx context.Context, postID string, h PostHidden) error
}
