package kindred

import (
	"context"
	"slices"
	"strings"
	"time"
)

// Experience is one entry of an organisation's taxonomy of shared
// experiences: supporters say which they share, members which they want to
// talk about. Keys are stable; labels are the organisation's words.
type Experience struct {
	Key   string
	Label string
}

// DefaultExperiences is the taxonomy an organisation starts with.
var DefaultExperiences = []Experience{
	{"coming_out", "Coming out"},
	{"trans_nonbinary", "Trans and nonbinary experience"},
	{"family_rejection", "Family rejection"},
	{"faith", "Faith and religion"},
	{"rural_life", "Rural and small-town life"},
	{"school_bullying", "Bullying at school"},
	{"relationships", "Relationships and dating"},
	{"disability", "Disability"},
	{"race_culture", "Race and culture"},
	{"immigration", "Immigration"},
	{"sexual_health", "Sexual health"},
	{"mental_health", "Anxiety, low mood and loneliness"},
}

// Taxonomy limits.
const (
	MaxExperiences     = 60
	MaxExperienceLabel = 60
)

// Identity is something a supporter may say about themselves so that a
// member can ask for it ("a trans supporter"). Saying any is optional.
type Identity string

const (
	IdentityTrans          Identity = "trans"
	IdentityNonbinary      Identity = "nonbinary"
	IdentityPersonOfColour Identity = "person_of_colour"
	IdentityBiPan          Identity = "bi_pan"
	IdentityAceAro         Identity = "ace_aro"
	IdentityDisabled       Identity = "disabled"
	IdentityNeurodivergent Identity = "neurodivergent"
	IdentityFaith          Identity = "person_of_faith"
	IdentityImmigrant      Identity = "immigrant"
)

// Identities lists identities in the order a form shows them.
var Identities = []Identity{IdentityTrans, IdentityNonbinary, IdentityPersonOfColour, IdentityBiPan, IdentityAceAro,
	IdentityDisabled, IdentityNeurodivergent, IdentityFaith, IdentityImmigrant}

// Valid reports whether i is known.
func (i Identity) Valid() bool { return slices.Contains(Identities, i) }

// Label is the identity in words, as a member would ask for it.
func (i Identity) Label() string {
	switch i {
	case IdentityTrans:
		return "Trans"
	case IdentityNonbinary:
		return "Nonbinary"
	case IdentityPersonOfColour:
		return "Person of colour"
	case IdentityBiPan:
		return "Bi or pan"
	case IdentityAceAro:
		return "Asexual or aromantic"
	case IdentityDisabled:
		return "Disabled"
	case IdentityNeurodivergent:
		return "Neurodivergent"
	case IdentityFaith:
		return "Person of faith"
	case IdentityImmigrant:
		return "Immigrant or refugee"
	}
	return string(i)
}

// Language is a language support can happen in.
type Language struct {
	Code  string
	Label string
}

// Languages lists the languages a form offers.
var Languages = []Language{
	{"en", "English"}, {"es", "Spanish"}, {"fr", "French"}, {"pt", "Portuguese"}, {"de", "German"},
	{"it", "Italian"}, {"nl", "Dutch"}, {"pl", "Polish"}, {"uk", "Ukrainian"}, {"ru", "Russian"},
	{"ar", "Arabic"}, {"fa", "Persian"}, {"tr", "Turkish"}, {"hi", "Hindi"}, {"ur", "Urdu"},
	{"zh", "Chinese"}, {"vi", "Vietnamese"}, {"tl", "Tagalog"}, {"ko", "Korean"}, {"ja", "Japanese"},
	{"asl", "American Sign Language"}, {"bsl", "British Sign Language"},
}

// LanguageLabel returns the language's name, or the code when unknown.
func LanguageLabel(code string) string {
	for _, l := range Languages {
		if l.Code == code {
			return l.Label
		}
	}
	return code
}

func validLanguage(code string) bool {
	return slices.ContainsFunc(Languages, func(l Language) bool { return l.Code == code })
}

// WeeklySlot is a time a supporter is usually available, in their time
// zone: From and To are minutes after midnight on Day (To > From).
type WeeklySlot struct {
	Day  time.Weekday
	From int
	To   int
}

// SupportSettings are an organisation's rules for its support programme:
// the limits that protect supporters, how offers go out, and the taxonomy.
type SupportSettings struct {
	OrgID string
	// MaxCapacity caps how many conversations a supporter may have open
	// at once, whatever their own capacity says.
	MaxCapacity int
	// MaxShift ends a shift automatically after this long.
	MaxShift time.Duration
	// WeeklyHours caps a supporter's shift hours per week (Monday to
	// Sunday, UTC): nobody can go on shift beyond it.
	WeeklyHours int
	// OfferTimeout is how long a supporter has to answer an offer before
	// it moves on.
	OfferTimeout time.Duration
	// OffersAtOnce is how many of the best-ranked supporters are offered a
	// request at the same time; the first to accept gets it.
	OffersAtOnce int
	Taxonomy     []Experience
	UpdatedAt    time.Time
}

// DefaultSupportSettings are an organisation's settings until a coordinator
// changes them.
func DefaultSupportSettings(orgID string) *SupportSettings {
	return &SupportSettings{OrgID: orgID, MaxCapacity: 3, MaxShift: 4 * time.Hour, WeeklyHours: 12,
		OfferTimeout: 5 * time.Minute, OffersAtOnce: 3, Taxonomy: slices.Clone(DefaultExperiences)}
}

// Validate checks the settings and tidies the taxonomy (keys from labels
// where empty, unique keys).
func (s *SupportSettings) Validate() error {
	v := Invalid{}
	if s.MaxCapacity < 1 || s.MaxCapacity > 10 {
		v.Add("max_capacity", "A supporter can have from 1 to 10 conversations open at once.")
	}
	if s.MaxShift < 30*time.Minute || s.MaxShift > 12*time.Hour {
		v.Add("max_shift", "A shift can last from 30 minutes to 12 hours.")
	}
	if s.WeeklyHours < 1 || s.WeeklyHours > 40 {
		v.Add("weekly_hours", "Weekly shift hours can be from 1 to 40.")
	}
	if s.OfferTimeout < time.Minute || s.OfferTimeout > time.Hour {
		v.Add("offer_timeout", "Supporters can have from 1 to 60 minutes to answer an offer.")
	}
	if s.OffersAtOnce < 1 || s.OffersAtOnce > 10 {
		v.Add("offers_at_once", "Offer a request to from 1 to 10 supporters at once.")
	}
	if len(s.Taxonomy) == 0 || len(s.Taxonomy) > MaxExperiences {
		v.Add("taxonomy", "The list of experiences needs from 1 to 60 entries.")
	}
	seen := map[string]bool{}
	for i := range s.Taxonomy {
		e := &s.Taxonomy[i]
		e.Label = strings.TrimSpace(e.Label)
		if e.Key == "" {
			e.Key = strings.ReplaceAll(Slugify(e.Label), "-", "_")
		}
		switch {
		case e.Label == "" || len(e.Label) > MaxExperienceLabel:
			v.Add("taxonomy", "Each experience needs a name of up to 60 characters.")
		case e.Key == "" || seen[e.Key]:
			v.Add("taxonomy", "Each experience needs a different name: "+quote(e.Label)+" is there twice.")
		}
		seen[e.Key] = true
	}
	return v.Err()
}

// HasExperience reports whether key is in the taxonomy.
func (s *SupportSettings) HasExperience(key string) bool {
	return slices.ContainsFunc(s.Taxonomy, func(e Experience) bool { return e.Key == key })
}

// ExperienceLabel returns the label of key, or key when it is unknown.
func (s *SupportSettings) ExperienceLabel(key string) string {
	for _, e := range s.Taxonomy {
		if e.Key == key {
			return e.Label
		}
	}
	return key
}

// SupporterProfile is how a peer supporter offers support in one
// organisation.
type SupporterProfile struct {
	OrgID        string
	AccountID    string
	Intro        string // plain text: a short hello the member sees when matched
	Experiences  []string
	Languages    []string
	Identities   []Identity
	Availability []WeeklySlot
	TimeZone     string // IANA name, for Availability
	Capacity     int    // conversations at once, at most the settings' MaxCapacity
	// OnShift: taking requests now. ShiftStartedAt is when the current
	// shift began.
	OnShift        bool
	ShiftStartedAt *time.Time
	// YouthProgramme is set by the coordinator's sign-off, never by the
	// supporter: the supporter may support members aged 13–17.
	YouthProgramme bool
	UpdatedAt      time.Time

	// Read-only, filled by reads and listings.
	Name    string
	AgeBand AgeBand
}

// Profile limits.
const (
	MaxSupporterIntro = 500
	MaxWeeklySlots    = 28
)

// SupporterProfileDraft is what supporters set on their own profile.
type SupporterProfileDraft struct {
	Intro        string
	Experiences  []string
	Languages    []string
	Identities   []Identity
	Availability []WeeklySlot
	TimeZone     string
	Capacity     int
}

// Validate checks the draft against the organisation's settings.
func (d *SupporterProfileDraft) Validate(s *SupportSettings) error {
	v := Invalid{}
	d.Intro = strings.TrimSpace(d.Intro)
	checkLen(v, "intro", d.Intro, MaxSupporterIntro)
	d.Experiences = dedupe(d.Experiences)
	if len(d.Experiences) == 0 {
		v.Add("experiences", "Please choose at least one experience you share, so we can match you with people who share it.")
	}
	for _, e := range d.Experiences {
		if !s.HasExperience(e) {
			v.Add("experiences", "Please choose experiences from the list.")
			break
		}
	}
	d.Languages = dedupe(d.Languages)
	if len(d.Languages) == 0 {
		v.Add("languages", "Please choose at least one language you can support people in.")
	}
	for _, l := range d.Languages {
		if !validLanguage(l) {
			v.Add("languages", "Please choose languages from the list.")
			break
		}
	}
	d.Identities = dedupe(d.Identities)
	for _, i := range d.Identities {
		if !i.Valid() {
			v.Add("identities", "Please choose from the list.")
			break
		}
	}
	if len(d.Availability) > MaxWeeklySlots {
		v.Add("availability", "Please list up to 28 times a week.")
	}
	for _, a := range d.Availability {
		if a.Day < time.Sunday || a.Day > time.Saturday || a.From < 0 || a.To > 24*60 || a.To <= a.From {
			v.Add("availability", "Each time needs a day, and an end after its start.")
			break
		}
	}
	if d.TimeZone == "" {
		d.TimeZone = "UTC"
	}
	if _, err := time.LoadLocation(d.TimeZone); err != nil {
		v.Add("time_zone", "Please choose a time zone from the list, like Europe/London.")
	}
	if d.Capacity < 1 || d.Capacity > s.MaxCapacity {
		v.Add("capacity", "You can take from 1 to "+itoa(s.MaxCapacity)+" conversations at once here.")
	}
	return v.Err()
}

func dedupe[T comparable](xs []T) []T {
	var out []T
	for _, x := range xs {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

// ShiftEnd says why a shift ended.
type ShiftEnd string

const (
	ShiftEndedBySelf        ShiftEnd = "self"
	ShiftEndedByLimit       ShiftEnd = "limit" // MaxShift reached
	ShiftEndedByCoordinator ShiftEnd = "coordinator"
)

// Shift is one stretch of time a supporter was on shift.
type Shift struct {
	ID        string
	OrgID     string
	AccountID string
	StartedAt time.Time
	EndedAt   *time.Time
	EndedBy   ShiftEnd
}

// Urgency is how soon a member wants to talk.
type Urgency string

const (
	UrgencyNow      Urgency = "now"      // "I'd like to talk as soon as possible"
	UrgencyToday    Urgency = "today"    // "Sometime today"
	UrgencyWhenever Urgency = "whenever" // "Whenever someone is free"
)

// Urgencies lists urgencies in the order a form shows them.
var Urgencies = []Urgency{UrgencyNow, UrgencyToday, UrgencyWhenever}

// Valid reports whether u is known.
func (u Urgency) Valid() bool { return slices.Contains(Urgencies, u) }

// Label is the urgency in the member's words.
func (u Urgency) Label() string {
	switch u {
	case UrgencyNow:
		return "As soon as possible"
	case UrgencyToday:
		return "Sometime today"
	case UrgencyWhenever:
		return "Whenever someone is free"
	}
	return string(u)
}

// RequestStatus is where a request for support stands.
type RequestStatus string

const (
	RequestWaiting   RequestStatus = "waiting"   // in the queue; offers may be out
	RequestMatched   RequestStatus = "matched"   // a supporter accepted; they can talk
	RequestEnded     RequestStatus = "ended"     // the conversation ended
	RequestCancelled RequestStatus = "cancelled" // the member withdrew it
)

// SupportRequest is a member asking for 1:1 support.
type SupportRequest struct {
	ID       string
	OrgID    string
	MemberID string
	Topics   []string // taxonomy keys
	Details  string   // the member's words; seen by offered supporters and coordinators
	// Language, when set, is required: only supporters who speak it are
	// matched. Identities are preferred, not required.
	Language    string
	Identities  []Identity
	NotMySchool bool // never someone who shares a school organisation with the member
	Urgency     Urgency
	// Crisis: crisis language was found in the request; it goes first in
	// the queue and coordinators see a priority flag.
	Crisis    bool
	Status    RequestStatus
	MatchID   string   // the current or last match
	Excluded  []string // supporters never to offer it to again (declined, handed off, declined by the member)
	CreatedAt time.Time
	// QueuedAt orders the queue: the time it (re)entered it. A request
	// handed off keeps its original place.
	QueuedAt time.Time
	// WaitingSince is when it last started waiting (created, or back in
	// the queue); waits shown and counted run from here.
	WaitingSince time.Time
	ClosedAt     *time.Time // ended or cancelled
	UpdatedAt    time.Time

	// Read-only, filled by reads and listings.
	MemberName    string
	MemberAgeBand AgeBand
}

// Request limits.
const (
	MaxRequestTopics  = 5
	MaxRequestDetails = 2000
)

// SupportRequestDraft is a member's request as they fill it in.
type SupportRequestDraft struct {
	Topics      []string
	Details     string
	Language    string
	Identities  []Identity
	NotMySchool bool
	Urgency     Urgency
}

// Validate checks the draft against the organisation's taxonomy.
func (d *SupportRequestDraft) Validate(s *SupportSettings) error {
	v := Invalid{}
	d.Topics = dedupe(d.Topics)
	switch {
	case len(d.Topics) == 0:
		v.Add("topics", "Please choose at least one thing you'd like to talk about.")
	case len(d.Topics) > MaxRequestTopics:
		v.Add("topics", "Please choose up to five things, the ones that matter most right now.")
	}
	for _, t := range d.Topics {
		if !s.HasExperience(t) {
			v.Add("topics", "Please choose from the list.")
			break
		}
	}
	d.Details = strings.TrimSpace(d.Details)
	checkLen(v, "details", d.Details, MaxRequestDetails)
	if d.Language != "" && !validLanguage(d.Language) {
		v.Add("language", "Please choose a language from the list, or no preference.")
	}
	d.Identities = dedupe(d.Identities)
	for _, i := range d.Identities {
		if !i.Valid() {
			v.Add("identities", "Please choose from the list.")
			break
		}
	}
	if d.Urgency == "" {
		d.Urgency = UrgencyWhenever
	}
	if !d.Urgency.Valid() {
		v.Add("urgency", "Please say how soon you'd like to talk.")
	}
	return v.Err()
}

// SupportRequestFilter selects requests.
type SupportRequestFilter struct {
	OrgID    string
	MemberID string
	Statuses []RequestStatus // empty: any
	Limit    int
}

// OfferStatus is where an offer of a request to a supporter stands.
type OfferStatus string

const (
	OfferOpen      OfferStatus = "open"
	OfferAccepted  OfferStatus = "accepted"
	OfferDeclined  OfferStatus = "declined"
	OfferExpired   OfferStatus = "expired"
	OfferWithdrawn OfferStatus = "withdrawn" // someone else accepted, or the request closed
)

// SupportOffer offers a request to one supporter. Several may be open for a
// request at once; the first accepted wins and the rest are withdrawn.
type SupportOffer struct {
	ID          string
	OrgID       string
	RequestID   string
	SupporterID string
	Rank        int     // 1 is the best match
	Score       float64 // the ranking's score
	Reason      string  // why this supporter, in words shown to coordinators
	Status      OfferStatus
	CreatedAt   time.Time
	ExpiresAt   time.Time
	AnsweredAt  *time.Time
}

// SupportOfferFilter selects offers.
type SupportOfferFilter struct {
	OrgID       string
	RequestID   string
	SupporterID string
	Status      OfferStatus // empty: any
	Limit       int
}

// MatchEnd says how a match ended.
type MatchEnd string

const (
	MatchEndedByMember    MatchEnd = "ended_by_member"
	MatchEndedBySupporter MatchEnd = "ended_by_supporter"
	MatchDeclined         MatchEnd = "declined" // the member asked for someone else
	MatchHandedOff        MatchEnd = "handed_off"
	MatchEndedByStaff     MatchEnd = "ended_by_staff"
)

// SupportMatch is a supporter and a member talking about one request, in a
// 1:1 support conversation room.
type SupportMatch struct {
	ID          string
	OrgID       string
	RequestID   string
	SupporterID string
	MemberID    string
	RoomID      string
	Reason      string // why they were matched, in words shown to coordinators
	StartedAt   time.Time
	EndedAt     *time.Time
	EndedBy     string
	End         MatchEnd
	// A hand-off the supporter proposed and the member has not answered.
	HandoffProposedAt *time.Time
	HandoffNote       string
	// Waited is how long the request waited in the queue for this match.
	Waited time.Duration

	// Read-only, filled by reads and listings.
	SupporterName string
	MemberName    string
}

// Active reports whether the two can still talk.
func (m *SupportMatch) Active() bool { return m != nil && m.EndedAt == nil }

// SupportMatchFilter selects matches, newest first.
type SupportMatchFilter struct {
	OrgID       string
	SupporterID string
	MemberID    string
	RequestID   string
	RoomID      string
	Active      *bool
	Since       time.Time // started at or after
	// NeedsDebrief: ended matches without a debrief. NoRoom: active
	// matches whose room has not opened yet.
	NeedsDebrief bool
	NoRoom       bool
	Limit        int
}

// Helped is a member's private answer to "did this help?".
type Helped string

const (
	HelpedYes      Helped = "yes"
	HelpedSomewhat Helped = "somewhat"
	HelpedNo       Helped = "no"
)

// Valid reports whether h is known.
func (h Helped) Valid() bool { return h == HelpedYes || h == HelpedSomewhat || h == HelpedNo }

// SupportFeedback is the member's private feedback on a match, for
// coordinators only; the supporter never sees it.
type SupportFeedback struct {
	MatchID     string
	OrgID       string
	MemberID    string
	SupporterID string
	Helped      Helped
	Comment     string
	CreatedAt   time.Time

	SupporterName string // read-only
}

// SupportDebrief is the supporter's short note after a conversation, for
// coordinators; CheckIn asks a coordinator to check in on the supporter.
type SupportDebrief struct {
	MatchID     string
	OrgID       string
	SupporterID string
	Body        string
	CheckIn     bool
	CreatedAt   time.Time

	SupporterName string // read-only
}

// Feedback and debrief limits.
const (
	MaxFeedbackComment = 1000
	MaxDebrief         = 2000
	MaxEscalation      = 1000
	MaxHandoffNote     = 500
)

// SupportEscalation is a member or supporter asking a coordinator to step
// in on a match.
type SupportEscalation struct {
	ID         string
	OrgID      string
	MatchID    string
	RequestID  string
	RaisedBy   string
	Reason     string
	Urgent     bool
	CreatedAt  time.Time
	ResolvedAt *time.Time
	ResolvedBy string
	Resolution string

	RaisedByName string // read-only
}

// SupportEscalationFilter selects escalations, urgent and oldest first.
type SupportEscalationFilter struct {
	OrgID string
	Open  *bool
	Limit int
}

// SupportCandidate is what matching needs to know about a supporter on
// shift, read in one go for a decision.
type SupportCandidate struct {
	Profile SupporterProfile // with Name and AgeBand
	// Load is the number of the supporter's matches still open.
	Load int
	// WeekShift is the supporter's time on shift this week, the current
	// shift included.
	WeekShift time.Duration
	// LastMatchedAt is when the supporter last accepted a match (nil:
	// never); fairness favours those who waited longest.
	LastMatchedAt *time.Time
	// Schools are the ids of school organisations the supporter belongs to.
	Schools []string
	// CertifiedUntil is when the supporter's sign-off expires (nil: never,
	// or not certified: see Certified).
	CertifiedUntil *time.Time
	// Certified: a grant is in force (always true for candidates).
	Certified bool
}

// SupporterProfileFilter selects supporter profiles, by name.
type SupporterProfileFilter struct {
	OrgID   string // empty: every organisation (the sweep)
	OnShift bool   // only those on shift now
	Limit   int
}

// ShiftFilter selects shifts, newest first.
type ShiftFilter struct {
	OrgID     string
	AccountID string
	Since     time.Time // started at or after, or still open
	Limit     int
}

// SupportRequestUpdate changes a request's status fields. Nil fields stay.
type SupportRequestUpdate struct {
	// From, when not empty, is the statuses the request must have now; the
	// store answers ECONFLICT otherwise, so two changes cannot interleave.
	From     []RequestStatus
	Status   *RequestStatus
	ClosedAt **time.Time
	// Exclude adds a supporter to Excluded.
	Exclude   string
	UpdatedAt time.Time
}

// SupportMatchEnd ends a match.
type SupportMatchEnd struct {
	At  time.Time
	By  string // account id of whoever ended it
	End MatchEnd
	// Requeue puts the request back in the queue in its original place
	// (declined by the member, handed off) and excludes the supporter from
	// it; otherwise the request ends.
	Requeue bool
}

// SupportMatchUpdate changes a match. Nil fields stay.
type SupportMatchUpdate struct {
	RoomID            *string
	HandoffProposedAt **time.Time
	HandoffNote       *string
}

// SupportNoteFilter selects feedback or debriefs, newest first.
type SupportNoteFilter struct {
	OrgID       string
	SupporterID string
	Since       time.Time
	Limit       int
}

// SupportStore keeps supporter profiles, shifts, support requests, offers,
// matches, feedback, debriefs and escalations. It is part of Store;
// internal/sqlstore implements it for both databases. Every method is one
// transaction.
type SupportStore interface {
	// Settings: ENOTFOUND until an organisation saves its own (the service
	// then uses DefaultSupportSettings).
	FindSupportSettings(ctx context.Context, orgID string) (*SupportSettings, error)
	SaveSupportSettings(ctx context.Context, s *SupportSettings) error

	// Profiles. SaveSupporterProfile creates or replaces what the supporter
	// and the coordinator's sign-off set (YouthProgramme); OnShift and
	// ShiftStartedAt belong to the shift methods and are kept.
	SaveSupporterProfile(ctx context.Context, p *SupporterProfile) error
	FindSupporterProfile(ctx context.Context, orgID, accountID string) (*SupporterProfile, error) // with Name and AgeBand
	ListSupporterProfiles(ctx context.Context, f SupporterProfileFilter) ([]*SupporterProfile, error)

	// Shifts. StartShift puts the profile on shift and stores sh
	// (ECONFLICT when already on shift, ENOTFOUND without a profile);
	// EndShift closes the open shift, withdraws the supporter's open offers
	// in the organisation and returns both (ENOTFOUND when off shift).
	StartShift(ctx context.Context, sh *Shift) error
	EndShift(ctx context.Context, orgID, accountID string, at time.Time, by ShiftEnd) (*Shift, []*SupportOffer, error)
	ListShifts(ctx context.Context, f ShiftFilter) ([]*Shift, error)
	// ShiftTime sums the supporter's time on shift from since to now, the
	// open shift counted up to now.
	ShiftTime(ctx context.Context, orgID, accountID string, since, now time.Time) (time.Duration, error)

	// Requests.
	CreateSupportRequest(ctx context.Context, r *SupportRequest) error
	FindSupportRequest(ctx context.Context, id string) (*SupportRequest, error)                 // with MemberName and MemberAgeBand
	ListSupportRequests(ctx context.Context, f SupportRequestFilter) ([]*SupportRequest, error) // open first, then newest
	// SupportQueue lists an organisation's waiting requests in queue
	// order: crisis first, then urgency (now, today, whenever), then the
	// longest queued.
	SupportQueue(ctx context.Context, orgID string) ([]*SupportRequest, error)
	UpdateSupportRequest(ctx context.Context, id string, u SupportRequestUpdate) (*SupportRequest, error)
	// CloseSupportRequest cancels or ends an open request: its open offers
	// are withdrawn and its active match ends with end. ECONFLICT when it is
	// closed already.
	CloseSupportRequest(ctx context.Context, id string, status RequestStatus, end SupportMatchEnd) (*SupportRequest, error)
	// SupportWaits returns how long each request matched since waited.
	SupportWaits(ctx context.Context, orgID string, since time.Time) ([]time.Duration, error)

	// Offers. CreateSupportOffers stores offers of one waiting request,
	// skipping supporters who already have an open offer of it and
	// stopping at maxOpen open offers; it returns those stored (ECONFLICT
	// when the request is not waiting).
	CreateSupportOffers(ctx context.Context, requestID string, offers []*SupportOffer, maxOpen int) ([]*SupportOffer, error)
	FindSupportOffer(ctx context.Context, id string) (*SupportOffer, error)
	ListSupportOffers(ctx context.Context, f SupportOfferFilter) ([]*SupportOffer, error) // best rank first, then newest
	// AnswerSupportOffer declines or withdraws an open offer (ECONFLICT
	// when it is not open); a decline excludes the supporter from the
	// request.
	AnswerSupportOffer(ctx context.Context, id string, to OfferStatus, at time.Time) (*SupportOffer, error)
	// ExpireSupportOffers marks every open offer due at now expired and
	// returns them.
	ExpireSupportOffers(ctx context.Context, now time.Time) ([]*SupportOffer, error)
	// AcceptSupportOffer is the first-accept-wins step, all in one
	// transaction: the offer must be open, unexpired at now and the
	// supporter's; the request waiting; the supporter's open matches fewer
	// than maxLoad. It then accepts the offer, withdraws the request's other
	// open offers, stores m (filling it from the offer and request) and
	// marks the request matched. Every losing accept gets ECONFLICT.
	AcceptSupportOffer(ctx context.Context, offerID, supporterID string, maxLoad int, m *SupportMatch, now time.Time) error

	// Matches.
	FindSupportMatch(ctx context.Context, id string) (*SupportMatch, error) // with names
	ListSupportMatches(ctx context.Context, f SupportMatchFilter) ([]*SupportMatch, error)
	UpdateSupportMatch(ctx context.Context, id string, u SupportMatchUpdate) (*SupportMatch, error)
	// EndSupportMatch ends an active match and, in the same transaction,
	// ends or requeues its request. ECONFLICT when it ended already.
	EndSupportMatch(ctx context.Context, id string, e SupportMatchEnd) (*SupportMatch, error)

	// Feedback and debriefs: one each per match (ECONFLICT on a second).
	CreateSupportFeedback(ctx context.Context, f *SupportFeedback) error
	FindSupportFeedback(ctx context.Context, matchID string) (*SupportFeedback, error)
	ListSupportFeedback(ctx context.Context, f SupportNoteFilter) ([]*SupportFeedback, error)
	CreateSupportDebrief(ctx context.Context, d *SupportDebrief) error
	FindSupportDebrief(ctx context.Context, matchID string) (*SupportDebrief, error)
	ListSupportDebriefs(ctx context.Context, f SupportNoteFilter) ([]*SupportDebrief, error)

	// Escalations. ResolveSupportEscalation is ECONFLICT when resolved.
	CreateSupportEscalation(ctx context.Context, e *SupportEscalation) error
	FindSupportEscalation(ctx context.Context, id string) (*SupportEscalation, error)
	ListSupportEscalations(ctx context.Context, f SupportEscalationFilter) ([]*SupportEscalation, error)
	ResolveSupportEscalation(ctx context.Context, id, by, note string, at time.Time) (*SupportEscalation, error)

	// SupportCandidates reads, for one decision, every supporter on shift
	// in the organisation who may be matched at now: an active member with
	// the peer supporter role, a grant in force and an account not
	// suspended.
	SupportCandidates(ctx context.Context, orgID string, now time.Time) ([]*SupportCandidate, error)
	// SupportersOverview is the same for every supporter with a profile,
	// on shift or not, certified or not (Certified says), for coordinators.
	SupportersOverview(ctx context.Context, orgID string, now time.Time) ([]*SupportCandidate, error)
	// SchoolOrgs returns the ids of school organisations the account is an
	// active member of.
	SchoolOrgs(ctx context.Context, accountID string) ([]string, error)
}
