package support

// The service's methods as the web pages and the API call them. Bodies
// marked "not built yet" are being written; the signatures and view types
// are the contract between the service and internal/web.

import (
	"context"
	"time"

	"kindred"
)

var errNotBuilt = kindred.Errorf(kindred.EUNAVAILABLE, "This part of Kindred is being built.")

// Resource is a crisis line shown to a member whose request reads as a
// crisis (from internal/crisis; organisations edit theirs in issue 5).
type Resource struct {
	Name        string
	Description string
	Phone       string
	Text        string
	ChatURL     string
	Hours       string
	Region      string
}

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
	Feedback *kindred.SupportFeedback // the member's, shown to the member and coordinators only
	Debrief  *kindred.SupportDebrief  // the supporter's, shown to the supporter and coordinators only
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

// Home returns the member's support page.
func (s *Service) Home(ctx context.Context, actor *kindred.Actor, orgSlug string) (*MemberHome, error) {
	return nil, errNotBuilt
}

// RequestSupport files a request and makes the first offers at once. When
// the text reads as a crisis the view carries resources to show now.
func (s *Service) RequestSupport(ctx context.Context, actor *kindred.Actor, orgSlug string, d kindred.SupportRequestDraft) (*RequestView, error) {
	return nil, errNotBuilt
}

// Request returns a request for its member, its matched supporter, or a
// coordinator; anyone else gets ENOTFOUND.
func (s *Service) Request(ctx context.Context, actor *kindred.Actor, orgSlug, requestID string) (*RequestView, error) {
	return nil, errNotBuilt
}

// CancelRequest withdraws a waiting or matched request (its member only).
func (s *Service) CancelRequest(ctx context.Context, actor *kindred.Actor, orgSlug, requestID string) error {
	return errNotBuilt
}

// DeclineMatch lets the member ask for someone else: the match ends and
// the request goes back to the queue, never to be offered to that
// supporter again.
func (s *Service) DeclineMatch(ctx context.Context, actor *kindred.Actor, orgSlug, requestID string) error {
	return errNotBuilt
}

// Inbox returns the supporter's page.
func (s *Service) Inbox(ctx context.Context, actor *kindred.Actor, orgSlug string) (*Inbox, error) {
	return nil, errNotBuilt
}

// AcceptOffer takes an offer; the first accept of a request wins and the
// others get ECONFLICT with a kind message. It opens the conversation.
func (s *Service) AcceptOffer(ctx context.Context, actor *kindred.Actor, orgSlug, offerID string) (*kindred.SupportMatch, error) {
	return nil, errNotBuilt
}

// DeclineOffer passes on an offer; the request moves on to the next best.
func (s *Service) DeclineOffer(ctx context.Context, actor *kindred.Actor, orgSlug, offerID string) error {
	return errNotBuilt
}

// Profile returns the supporter's profile form.
func (s *Service) Profile(ctx context.Context, actor *kindred.Actor, orgSlug string) (*ProfileView, error) {
	return nil, errNotBuilt
}

// SaveProfile saves the supporter's own profile.
func (s *Service) SaveProfile(ctx context.Context, actor *kindred.Actor, orgSlug string, d kindred.SupporterProfileDraft) (*kindred.SupporterProfile, error) {
	return nil, errNotBuilt
}

// StartShift puts the supporter on shift, within the weekly limit, and
// offers them waiting requests that fit.
func (s *Service) StartShift(ctx context.Context, actor *kindred.Actor, orgSlug string) error {
	return errNotBuilt
}

// EndShift takes the supporter off shift; their open offers are withdrawn
// and move on. Open conversations stay open.
func (s *Service) EndShift(ctx context.Context, actor *kindred.Actor, orgSlug string) error {
	return errNotBuilt
}

// EndConversation ends a match (its member or supporter); the room closes.
func (s *Service) EndConversation(ctx context.Context, actor *kindred.Actor, orgSlug, matchID string) error {
	return errNotBuilt
}

// SubmitFeedback records the member's private answer to "did this help?".
func (s *Service) SubmitFeedback(ctx context.Context, actor *kindred.Actor, orgSlug, matchID string, helped kindred.Helped, comment string) error {
	return errNotBuilt
}

// WriteDebrief records the supporter's note after a conversation.
func (s *Service) WriteDebrief(ctx context.Context, actor *kindred.Actor, orgSlug, matchID, body string, checkIn bool) error {
	return errNotBuilt
}

// Escalate asks a coordinator to step in (member or supporter of the match).
func (s *Service) Escalate(ctx context.Context, actor *kindred.Actor, orgSlug, matchID, reason string, urgent bool) (*kindred.SupportEscalation, error) {
	return nil, errNotBuilt
}

// ProposeHandoff is the supporter suggesting another supporter takes over.
func (s *Service) ProposeHandoff(ctx context.Context, actor *kindred.Actor, orgSlug, matchID, note string) error {
	return errNotBuilt
}

// AnswerHandoff is the member's consent (or not) to a proposed hand-off.
// With consent the match ends as handed off and the request goes back to
// the queue in its original place, never to the same supporter.
func (s *Service) AnswerHandoff(ctx context.Context, actor *kindred.Actor, orgSlug, matchID string, consent bool) error {
	return errNotBuilt
}

// Dashboard returns the coordinators' supervision page.
func (s *Service) Dashboard(ctx context.Context, actor *kindred.Actor, orgSlug string) (*Dashboard, error) {
	return nil, errNotBuilt
}

// ResolveEscalation closes an escalation with a note (coordinators).
func (s *Service) ResolveEscalation(ctx context.Context, actor *kindred.Actor, orgSlug, escalationID, note string) error {
	return errNotBuilt
}

// EndShiftFor takes a supporter off shift (coordinators), e.g. when they
// seem overwhelmed.
func (s *Service) EndShiftFor(ctx context.Context, actor *kindred.Actor, orgSlug, accountID string) error {
	return errNotBuilt
}

// Settings returns the support programme's settings (coordinators, admins).
func (s *Service) Settings(ctx context.Context, actor *kindred.Actor, orgSlug string) (*kindred.SupportSettings, error) {
	return nil, errNotBuilt
}

// SaveSettings changes the limits and the taxonomy (coordinators, admins).
func (s *Service) SaveSettings(ctx context.Context, actor *kindred.Actor, orgSlug string, set kindred.SupportSettings) (*kindred.SupportSettings, error) {
	return nil, errNotBuilt
}

// Sweep expires offers that timed out and makes the next offers, and ends
// shifts past the limit. The service runs it in the background; tests call
// it with a moved clock.
func (s *Service) Sweep(ctx context.Context) error {
	return errNotBuilt
}
