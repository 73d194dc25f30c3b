package support

// The view types the service's methods return to the web pages and the
// API: the contract between the service and internal/web. The methods are
// in requests.go, offers.go, shifts.go, conversation.go and dashboard.go.

import (
	"time"

	"kindred"
	"kindred/internal/crisis"
)

// Resource is a crisis line shown to a member whose request reads as a
// crisis (organisations edit theirs in issue 5).
type Resource = crisis.Resource

// Choices are what the request and profile forms offer.
type Choices struct {
	Settings   *kindred.SupportSettings // the taxonomy and limits
	Identities []kindred.Identity
	Languages  []kindred.Language
	Urgencies  []kindred.Urgency
}

// MemberHome is the member's support page: their requests and the form.
type MemberHome struct {
	Org      *kindred.Organization
	Choices  Choices
	Requests []*RequestView // open first, then the last few closed
	// Supporter is set when the actor is a peer supporter here (links to
	// their inbox and profile).
	Supporter bool
	// Coordinator is set for coordinators and admins (link to the dashboard).
	Coordinator bool
	// OnShiftNow is how many supporters are on shift, for an honest
	// "N supporters are available" line (0 means none right now).
	OnShiftNow int
}

// RequestView is one request as the asking member, the matched supporter
// or a coordinator sees it.
type RequestView struct {
	Request *kindred.SupportRequest
	Org     *kindred.Organization
	// TopicLabels are the topics in the organisation's words.
	TopicLabels []string
	// Crisis resources, set when the request reads as a crisis.
	Resources []Resource
	// Waiting: the request's place in the queue (1 = next) and an honest
	// estimate; EstimateKnown is false when there is not enough history or
	// nobody is on shift, and EstimateText says so in words.
	Place         int
	Estimate      time.Duration
	EstimateKnown bool
	EstimateText  string
	OffersOut     int // open offers right now
	// Unmatched says why nobody on shift can be offered the request now
	// ("No supporter on shift speaks Spanish right now."), "" otherwise.
	Unmatched string
	// Match is the current match (nil while waiting), with the
	// supporter's intro for the member.
	Match          *kindred.SupportMatch
	SupporterIntro string
	// Past matches of this request (hand-offs, declines), newest first.
	Earlier []*kindred.SupportMatch
	// Viewer's relation: exactly one of these is true.
	IsMember, IsSupporter, IsCoordinator bool
	// What the viewer may do now.
	CanCancel, CanDeclineMatch, CanEnd, CanFeedback, CanDebrief, CanEscalate, CanProposeHandoff, CanAnswerHandoff bool
	Feedback                                                                                                      *kindred.SupportFeedback // the member's, shown to the member and coordinators only
	Debrief                                                                                                       *kindred.SupportDebrief  // the supporter's, shown to the supporter and coordinators only
}

// OfferView is an offer as the supporter sees it: enough about the request
// to decide, nothing that identifies the member until they accept.
type OfferView struct {
	Offer       *kindred.SupportOffer
	TopicLabels []string
	Details     string
	Language    string // label, "" for no preference
	Urgency     kindred.Urgency
	Crisis      bool
	Youth       bool // the member is 13–17
	Waited      time.Duration
}

// Inbox is a supporter's page: shift, open offers, current conversations,
// and ended ones still waiting for a debrief.
type Inbox struct {
	Org            *kindred.Organization
	Profile        *kindred.SupporterProfile // nil until they make one
	Settings       *kindred.SupportSettings
	Certification  *kindred.Certification // the grant in force (nil: none, so no offers)
	WeekShift      time.Duration
	ShiftEndsAt    *time.Time // when the current shift ends by the limit
	CanStartShift  bool
	ShiftBlocked   string // why not, in words ("You've reached 12 hours this week.")
	Offers         []*OfferView
	Active         []*kindred.SupportMatch
	NeedingDebrief []*kindred.SupportMatch
}

// ProfileView is a supporter's profile form.
type ProfileView struct {
	Org           *kindred.Organization
	Profile       *kindred.SupporterProfile // nil before the first save
	Choices       Choices
	Certification *kindred.Certification
}

// SupporterLoad is one supporter's line on the dashboard.
type SupporterLoad struct {
	Profile        *kindred.SupporterProfile
	Load           int
	WeekShift      time.Duration
	CertifiedUntil *time.Time
	Helped         [3]int // feedback yes, somewhat, no over the last 30 days
}

// QueueItem is a waiting request on the dashboard.
type QueueItem struct {
	Request     *kindred.SupportRequest
	TopicLabels []string
	Waited      time.Duration
	Offers      []*kindred.SupportOffer // open offers, with reasons
}

// WaitStats summarises how long matched requests waited.
type WaitStats struct {
	Matched int // in the last 30 days
	Median  time.Duration
	P90     time.Duration
}

// Dashboard is the coordinators' supervision page.
type Dashboard struct {
	Org         *kindred.Organization
	Settings    *kindred.SupportSettings
	Queue       []*QueueItem // crisis first, then urgency, then longest waiting
	Waits       WaitStats
	Supporters  []*SupporterLoad // on shift first
	Active      []*kindred.SupportMatch
	Feedback    []*kindred.SupportFeedback // newest first, last 30 days
	Debriefs    []*kindred.SupportDebrief  // newest first, last 30 days
	Escalations []*kindred.SupportEscalation
	Recent      []*kindred.SupportMatch // recent matches with their reasons
}
