package web

// The support API's types: requests for 1:1 support as their member, their
// supporter or a coordinator sees them; offers as a supporter sees them
// (nothing that identifies the member); the supporter's inbox and profile;
// the coordinators' dashboard and settings. Account ids appear only where
// a coordinator acts on a supporter (endSupporterShift); a member's identity
// never leaves the server in an offer.

import (
	"strings"
	"time"

	"kindred"
	"kindred/internal/support"
)

// Enums, spelled out for the document (TestAPISupportEnums keeps them in
// step with the vocabulary).
const (
	apiEnumUrgency   = "now,today,whenever"
	apiEnumIdentity  = "trans,nonbinary,person_of_colour,bi_pan,ace_aro,disabled,neurodivergent,person_of_faith,immigrant"
	apiEnumReqStatus = "waiting,matched,ended,cancelled"
	apiEnumMatchEnd  = "ended_by_member,ended_by_supporter,declined,handed_off,ended_by_staff"
	apiEnumHelped    = "yes,somewhat,no"
	apiEnumViewer    = "member,supporter,coordinator"
	apiEnumWeekday   = "sunday,monday,tuesday,wednesday,thursday,friday,saturday"
)

// apiSupportChoice is one entry of a list the forms offer.
type apiSupportChoice struct {
	Value string `json:"value" doc:"What to send."`
	Label string `json:"label" doc:"What to show."`
}

type apiSupportChoices struct {
	Topics     []apiSupportChoice `json:"topics" nullable:"false" doc:"The organisation's experiences, by key: what a request can be about and what a supporter can share."`
	Identities []apiSupportChoice `json:"identities" nullable:"false" doc:"Identities a member can ask a supporter to share, and a supporter can say they have."`
	Languages  []apiSupportChoice `json:"languages" nullable:"false" doc:"Languages support can happen in, by code."`
	Urgencies  []apiSupportChoice `json:"urgencies" nullable:"false" doc:"How soon a member would like to talk."`
}

func apiSupportChoicesOf(c support.Choices) apiSupportChoices {
	out := apiSupportChoices{Topics: []apiSupportChoice{}, Identities: []apiSupportChoice{}, Languages: []apiSupportChoice{}, Urgencies: []apiSupportChoice{}}
	if c.Settings != nil {
		for _, e := range c.Settings.Taxonomy {
			out.Topics = append(out.Topics, apiSupportChoice{Value: e.Key, Label: e.Label})
		}
	}
	ids, langs, urgs := c.Identities, c.Languages, c.Urgencies
	if len(ids) == 0 {
		ids = kindred.Identities
	}
	if len(langs) == 0 {
		langs = kindred.Languages
	}
	if len(urgs) == 0 {
		urgs = kindred.Urgencies
	}
	for _, i := range ids {
		out.Identities = append(out.Identities, apiSupportChoice{Value: string(i), Label: i.Label()})
	}
	for _, l := range langs {
		out.Languages = append(out.Languages, apiSupportChoice{Value: l.Code, Label: l.Label})
	}
	for _, u := range urgs {
		out.Urgencies = append(out.Urgencies, apiSupportChoice{Value: string(u), Label: u.Label()})
	}
	return out
}

// apiSupportHome is the member's support page.
type apiSupportHome struct {
	Supporter   bool                `json:"supporter" doc:"You are a peer supporter here: listSupportOffers and getSupporterProfile are yours."`
	Coordinator bool                `json:"coordinator" doc:"You coordinate the programme here: getSupportDashboard and getSupportSettings are yours."`
	OnShiftNow  int                 `json:"on_shift_now" doc:"How many supporters are on shift right now."`
	Requests    []apiSupportRequest `json:"requests" nullable:"false" doc:"Your requests: open ones first, then the last few closed."`
	Choices     apiSupportChoices   `json:"choices" doc:"What requestSupport accepts."`
}

// apiSupportResource is a crisis line.
type apiSupportResource struct {
	Name        string `json:"name"`
	Description string `json:"description,omitempty"`
	Phone       string `json:"phone,omitempty" doc:"A number to call."`
	Text        string `json:"text,omitempty" doc:"A number to text."`
	ChatURL     string `json:"chat_url,omitempty" doc:"A web chat."`
	Hours       string `json:"hours,omitempty" doc:"When it answers, in words."`
	Region      string `json:"region,omitempty" doc:"Where it serves."`
}

// apiSupportRequest is a request as its member, its supporter or a
// coordinator sees it.
type apiSupportRequest struct {
	ID          string                `json:"id"`
	Status      kindred.RequestStatus `json:"status" enum:"waiting,matched,ended,cancelled" doc:"waiting: in the queue; matched: a supporter accepted and you can talk; ended; cancelled by the member."`
	Viewer      string                `json:"viewer" enum:"member,supporter,coordinator" doc:"Who you are to this request."`
	Topics      []string              `json:"topics" nullable:"false" doc:"Taxonomy keys."`
	TopicLabels []string              `json:"topic_labels" nullable:"false" doc:"The topics in the organisation's words."`
	Details     string                `json:"details" doc:"The member's own words. Read by the supporters it is offered to and by coordinators."`
	Language    string                `json:"language" doc:"The language asked for; empty for no preference."`
	Identities  []kindred.Identity    `json:"identities" nullable:"false" enum:"trans,nonbinary,person_of_colour,bi_pan,ace_aro,disabled,neurodivergent,person_of_faith,immigrant" doc:"Identities the member would like their supporter to share (preferred, not required)."`
	NotMySchool bool                  `json:"not_my_school" doc:"Never someone who shares a school organisation with the member."`
	Urgency     kindred.Urgency       `json:"urgency" enum:"now,today,whenever"`
	Crisis      bool                  `json:"crisis" doc:"The request read as a crisis: it goes first in the queue, coordinators see a flag, and resources lists crisis lines to contact now."`
	Resources   []apiSupportResource  `json:"resources" nullable:"false" doc:"Crisis lines to show at once when crisis is true."`
	CreatedAt   time.Time             `json:"created_at"`
	ClosedAt    *time.Time            `json:"closed_at" doc:"When it ended or was cancelled; null while open."`
	Place       int                   `json:"place" doc:"Waiting: the request's place in the queue, 1 being next; 0 otherwise."`
	// EstimateSeconds is null when the wait cannot be estimated honestly.
	EstimateSeconds   *int64              `json:"estimate_seconds" doc:"Waiting: the estimated wait in seconds; null when there is not enough history or nobody is on shift."`
	EstimateText      string              `json:"estimate_text" doc:"The estimate, or why there is none, in words to show."`
	OffersOut         int                 `json:"offers_out" doc:"How many supporters are being offered it right now."`
	Unmatched         string              `json:"unmatched,omitempty" doc:"Waiting: why nobody on shift can be offered it right now, in words; absent otherwise."`
	MemberName        string              `json:"member_name,omitempty" doc:"Supporters (once matched) and coordinators: the member's name."`
	Match             *apiSupportMatch    `json:"match" doc:"The current match; null while waiting."`
	SupporterIntro    string              `json:"supporter_intro,omitempty" doc:"The matched supporter's hello."`
	Earlier           []apiSupportMatch   `json:"earlier" nullable:"false" doc:"Earlier matches of this request (declined, handed off), newest first."`
	CanCancel         bool                `json:"can_cancel" doc:"cancelSupportRequest is open to you now."`
	CanDeclineMatch   bool                `json:"can_decline_match" doc:"declineSupportMatch is open to you now."`
	CanEnd            bool                `json:"can_end" doc:"endSupportConversation is open to you now."`
	CanFeedback       bool                `json:"can_feedback" doc:"submitSupportFeedback is open to you now."`
	CanDebrief        bool                `json:"can_debrief" doc:"writeSupportDebrief is open to you now."`
	CanEscalate       bool                `json:"can_escalate" doc:"escalateSupport is open to you now."`
	CanProposeHandoff bool                `json:"can_propose_handoff" doc:"proposeSupportHandoff is open to you now."`
	CanAnswerHandoff  bool                `json:"can_answer_handoff" doc:"answerSupportHandoff is open to you now."`
	Feedback          *apiSupportFeedback `json:"feedback" doc:"The member's feedback: shown to the member and coordinators only; null otherwise."`
	Debrief           *apiSupportDebrief  `json:"debrief" doc:"The supporter's debrief: shown to the supporter and coordinators only; null otherwise."`
}

func apiSupportRequestOf(v *support.RequestView) apiSupportRequest {
	q := v.Request
	out := apiSupportRequest{ID: q.ID, Status: q.Status, Viewer: "member", Topics: supportList(q.Topics), TopicLabels: supportList(v.TopicLabels),
		Details: q.Details, Language: q.Language, Identities: supportList(q.Identities), NotMySchool: q.NotMySchool, Urgency: q.Urgency,
		Crisis: q.Crisis, Resources: []apiSupportResource{}, CreatedAt: q.CreatedAt.UTC(), ClosedAt: utcPtr(q.ClosedAt),
		Place: v.Place, EstimateText: v.EstimateText, OffersOut: v.OffersOut, Unmatched: v.Unmatched, SupporterIntro: v.SupporterIntro,
		Earlier: []apiSupportMatch{}, CanCancel: v.CanCancel, CanDeclineMatch: v.CanDeclineMatch, CanEnd: v.CanEnd,
		CanFeedback: v.CanFeedback, CanDebrief: v.CanDebrief, CanEscalate: v.CanEscalate,
		CanProposeHandoff: v.CanProposeHandoff, CanAnswerHandoff: v.CanAnswerHandoff}
	switch {
	case v.IsSupporter:
		out.Viewer = "supporter"
	case v.IsCoordinator:
		out.Viewer = "coordinator"
	}
	if !v.IsMember {
		out.MemberName = q.MemberName
	}
	if q.Status == kindred.RequestWaiting && v.EstimateKnown {
		sec := int64(v.Estimate / time.Second)
		out.EstimateSeconds = &sec
	}
	for _, r := range v.Resources {
		out.Resources = append(out.Resources, apiSupportResource{Name: r.Name, Description: r.Description, Phone: r.Phone,
			Text: r.Text, ChatURL: r.ChatURL, Hours: r.Hours, Region: r.Region})
	}
	if v.Match != nil {
		m := apiSupportMatchOf(v.Match, v.IsCoordinator)
		out.Match = &m
	}
	for _, m := range v.Earlier {
		out.Earlier = append(out.Earlier, apiSupportMatchOf(m, v.IsCoordinator))
	}
	if v.Feedback != nil && (v.IsMember || v.IsCoordinator) {
		f := apiSupportFeedbackOf(v.Feedback)
		out.Feedback = &f
	}
	if v.Debrief != nil && (v.IsSupporter || v.IsCoordinator) {
		d := apiSupportDebriefOf(v.Debrief)
		out.Debrief = &d
	}
	return out
}

// apiSupportMatch is a supporter and a member talking about one request.
type apiSupportMatch struct {
	ID                string           `json:"id"`
	RequestID         string           `json:"request_id" doc:"getSupportRequest shows the whole request."`
	RoomID            string           `json:"room_id" doc:"The 1:1 conversation: use it with the room operations and connectLive."`
	SupporterName     string           `json:"supporter_name"`
	MemberName        string           `json:"member_name,omitempty" doc:"For the supporter and coordinators."`
	Reason            string           `json:"reason,omitempty" doc:"Coordinators: why they were matched, in words."`
	StartedAt         time.Time        `json:"started_at"`
	EndedAt           *time.Time       `json:"ended_at" doc:"Null while they can still talk."`
	End               kindred.MatchEnd `json:"end,omitempty" enum:"ended_by_member,ended_by_supporter,declined,handed_off,ended_by_staff" doc:"How it ended, once it has."`
	HandoffProposedAt *time.Time       `json:"handoff_proposed_at" doc:"The supporter suggested another supporter takes over and the member has not answered yet; null otherwise."`
	HandoffNote       string           `json:"handoff_note,omitempty" doc:"The supporter's words about the hand-off, for the member."`
}

// apiSupportMatchOf converts a match; reasons are for coordinators.
func apiSupportMatchOf(m *kindred.SupportMatch, coordinator bool) apiSupportMatch {
	out := apiSupportMatch{ID: m.ID, RequestID: m.RequestID, RoomID: m.RoomID, SupporterName: m.SupporterName, MemberName: m.MemberName,
		StartedAt: m.StartedAt.UTC(), EndedAt: utcPtr(m.EndedAt), End: m.End, HandoffProposedAt: utcPtr(m.HandoffProposedAt),
		HandoffNote: m.HandoffNote}
	if coordinator {
		out.Reason = m.Reason
	}
	return out
}

type apiSupportFeedback struct {
	MatchID       string         `json:"match_id"`
	SupporterName string         `json:"supporter_name,omitempty" doc:"Coordinators' dashboard: whose conversation it was."`
	Helped        kindred.Helped `json:"helped" enum:"yes,somewhat,no" doc:"The member's answer to \"did this help?\"."`
	Comment       string         `json:"comment"`
	CreatedAt     time.Time      `json:"created_at"`
}

func apiSupportFeedbackOf(f *kindred.SupportFeedback) apiSupportFeedback {
	return apiSupportFeedback{MatchID: f.MatchID, SupporterName: f.SupporterName, Helped: f.Helped, Comment: f.Comment, CreatedAt: f.CreatedAt.UTC()}
}

type apiSupportDebrief struct {
	MatchID       string    `json:"match_id"`
	SupporterName string    `json:"supporter_name,omitempty" doc:"Coordinators' dashboard: who wrote it."`
	Body          string    `json:"body"`
	CheckIn       bool      `json:"check_in" doc:"The supporter asked a coordinator to check in with them."`
	CreatedAt     time.Time `json:"created_at"`
}

func apiSupportDebriefOf(d *kindred.SupportDebrief) apiSupportDebrief {
	return apiSupportDebrief{MatchID: d.MatchID, SupporterName: d.SupporterName, Body: d.Body, CheckIn: d.CheckIn, CreatedAt: d.CreatedAt.UTC()}
}

type apiSupportEscalation struct {
	ID           string     `json:"id"`
	MatchID      string     `json:"match_id"`
	RequestID    string     `json:"request_id"`
	RaisedByName string     `json:"raised_by_name,omitempty"`
	Reason       string     `json:"reason"`
	Urgent       bool       `json:"urgent"`
	CreatedAt    time.Time  `json:"created_at"`
	ResolvedAt   *time.Time `json:"resolved_at" doc:"Null while open."`
	Resolution   string     `json:"resolution,omitempty" doc:"The coordinator's note on closing it."`
}

func apiSupportEscalationOf(e *kindred.SupportEscalation) apiSupportEscalation {
	return apiSupportEscalation{ID: e.ID, MatchID: e.MatchID, RequestID: e.RequestID, RaisedByName: e.RaisedByName, Reason: e.Reason,
		Urgent: e.Urgent, CreatedAt: e.CreatedAt.UTC(), ResolvedAt: utcPtr(e.ResolvedAt), Resolution: e.Resolution}
}

// apiSupportOffer is an offer as the supporter sees it: enough to decide,
// nothing that identifies the member.
type apiSupportOffer struct {
	ID            string          `json:"id" doc:"Send it to acceptSupportOffer or declineSupportOffer."`
	TopicLabels   []string        `json:"topic_labels" nullable:"false" doc:"What the member would like to talk about."`
	Details       string          `json:"details" doc:"The member's own words, if they wrote any."`
	Language      string          `json:"language" doc:"The language asked for, in words; empty for no preference."`
	Urgency       kindred.Urgency `json:"urgency" enum:"now,today,whenever"`
	Crisis        bool            `json:"crisis" doc:"The request read as a crisis: the member was shown crisis lines."`
	Youth         bool            `json:"youth" doc:"The member is aged 13–17."`
	WaitedSeconds int64           `json:"waited_seconds" doc:"How long the member has been waiting."`
	ExpiresAt     time.Time       `json:"expires_at" doc:"After this the offer moves on to someone else."`
}

func apiSupportOfferOf(o *support.OfferView) apiSupportOffer {
	return apiSupportOffer{ID: o.Offer.ID, TopicLabels: supportList(o.TopicLabels), Details: o.Details, Language: o.Language,
		Urgency: o.Urgency, Crisis: o.Crisis, Youth: o.Youth, WaitedSeconds: int64(o.Waited / time.Second), ExpiresAt: o.Offer.ExpiresAt.UTC()}
}

type apiSupportCertification struct {
	Course         string     `json:"course" doc:"The course signed off."`
	ExpiresAt      *time.Time `json:"expires_at" doc:"When a refresher is due; null for never."`
	YouthProgramme bool       `json:"youth_programme" doc:"Cleared to support members aged 13–17."`
}

func apiSupportCertificationOf(c *kindred.Certification) *apiSupportCertification {
	if c == nil {
		return nil
	}
	return &apiSupportCertification{Course: c.CourseTitle, ExpiresAt: utcPtr(c.ExpiresAt), YouthProgramme: c.YouthProgramme}
}

// apiSupportInbox is a supporter's page.
type apiSupportInbox struct {
	Certification    *apiSupportCertification `json:"certification" doc:"Your sign-off in force; null means no offers come to you."`
	Profile          *apiSupporterProfile     `json:"profile" doc:"Null until you save one (updateSupporterProfile)."`
	OnShift          bool                     `json:"on_shift"`
	ShiftStartedAt   *time.Time               `json:"shift_started_at"`
	ShiftEndsAt      *time.Time               `json:"shift_ends_at" doc:"When the current shift ends by the organisation's limit."`
	WeekShiftMinutes int                      `json:"week_shift_minutes" doc:"Your time on shift this week (Monday to Sunday, UTC)."`
	WeeklyHours      int                      `json:"weekly_hours" doc:"The organisation's weekly limit."`
	CanStartShift    bool                     `json:"can_start_shift"`
	ShiftBlocked     string                   `json:"shift_blocked,omitempty" doc:"Why you cannot start a shift now, in words."`
	Offers           []apiSupportOffer        `json:"offers" nullable:"false" doc:"Open offers for you, oldest first."`
	Active           []apiSupportMatch        `json:"active" nullable:"false" doc:"Your conversations still open."`
	NeedingDebrief   []apiSupportMatch        `json:"needing_debrief" nullable:"false" doc:"Ended conversations waiting for your debrief."`
}

// apiSupportSlot is a weekly time a supporter is usually available.
type apiSupportSlot struct {
	Day         string `json:"day" enum:"sunday,monday,tuesday,wednesday,thursday,friday,saturday"`
	FromMinutes int    `json:"from_minutes" minimum:"0" maximum:"1440" doc:"Minutes after midnight, in time_zone."`
	ToMinutes   int    `json:"to_minutes" minimum:"0" maximum:"1440" doc:"Minutes after midnight, after from_minutes."`
}

func supportWeekday(name string) time.Weekday {
	for d := time.Sunday; d <= time.Saturday; d++ {
		if strings.EqualFold(d.String(), name) {
			return d
		}
	}
	return -1 // validation explains
}

// apiSupporterProfile is how a supporter offers support.
type apiSupporterProfile struct {
	Intro          string             `json:"intro" doc:"A short hello the member sees once matched."`
	Experiences    []string           `json:"experiences" nullable:"false" doc:"Taxonomy keys of experiences you share."`
	Languages      []string           `json:"languages" nullable:"false" doc:"Language codes."`
	Identities     []kindred.Identity `json:"identities" nullable:"false" enum:"trans,nonbinary,person_of_colour,bi_pan,ace_aro,disabled,neurodivergent,person_of_faith,immigrant" doc:"Optional: identities you share, used only for matching; coordinators can see them."`
	Availability   []apiSupportSlot   `json:"availability" nullable:"false"`
	TimeZone       string             `json:"time_zone" doc:"IANA name, for availability."`
	Capacity       int                `json:"capacity" doc:"Conversations at once."`
	OnShift        bool               `json:"on_shift"`
	YouthProgramme bool               `json:"youth_programme" doc:"Set by your coordinator's sign-off: you may support members aged 13–17."`
	UpdatedAt      time.Time          `json:"updated_at"`
}

func apiSupporterProfileOf(p *kindred.SupporterProfile) *apiSupporterProfile {
	if p == nil {
		return nil
	}
	out := &apiSupporterProfile{Intro: p.Intro, Experiences: supportList(p.Experiences), Languages: supportList(p.Languages),
		Identities: supportList(p.Identities), Availability: []apiSupportSlot{}, TimeZone: p.TimeZone, Capacity: p.Capacity,
		OnShift: p.OnShift, YouthProgramme: p.YouthProgramme, UpdatedAt: p.UpdatedAt.UTC()}
	for _, s := range p.Availability {
		out.Availability = append(out.Availability, apiSupportSlot{Day: strings.ToLower(s.Day.String()), FromMinutes: s.From, ToMinutes: s.To})
	}
	return out
}

type apiSupporterProfileView struct {
	Profile       *apiSupporterProfile     `json:"profile" doc:"Null before the first save."`
	Certification *apiSupportCertification `json:"certification"`
	MaxCapacity   int                      `json:"max_capacity" doc:"The most conversations at once the organisation allows."`
	Choices       apiSupportChoices        `json:"choices"`
}

// apiSupportDashboard is the coordinators' supervision view.
type apiSupportDashboard struct {
	Queue       []apiSupportQueueItem  `json:"queue" nullable:"false" doc:"Waiting requests: crisis first, then urgency, then longest waiting."`
	Waits       apiSupportWaits        `json:"waits"`
	Supporters  []apiSupporterLoad     `json:"supporters" nullable:"false" doc:"On shift first."`
	Active      []apiSupportMatch      `json:"active" nullable:"false" doc:"Conversations open now, with why each was matched."`
	Feedback    []apiSupportFeedback   `json:"feedback" nullable:"false" doc:"Members' private feedback over the last 30 days, newest first."`
	Debriefs    []apiSupportDebrief    `json:"debriefs" nullable:"false" doc:"Supporters' debriefs over the last 30 days, newest first."`
	Escalations []apiSupportEscalation `json:"escalations" nullable:"false" doc:"Open escalations, urgent and oldest first."`
	Recent      []apiSupportMatch      `json:"recent" nullable:"false" doc:"Recent matches with their reasons."`
}

type apiSupportQueueItem struct {
	RequestID     string                 `json:"request_id"`
	TopicLabels   []string               `json:"topic_labels" nullable:"false"`
	Urgency       kindred.Urgency        `json:"urgency" enum:"now,today,whenever"`
	Crisis        bool                   `json:"crisis"`
	Youth         bool                   `json:"youth" doc:"The member is aged 13–17."`
	WaitedSeconds int64                  `json:"waited_seconds"`
	Offers        []apiSupportQueueOffer `json:"offers" nullable:"false" doc:"Open offers, with why each supporter was chosen."`
}

type apiSupportQueueOffer struct {
	SupporterName string    `json:"supporter_name"`
	Rank          int       `json:"rank" doc:"1 is the best match."`
	Reason        string    `json:"reason" doc:"Why this supporter, in words."`
	ExpiresAt     time.Time `json:"expires_at"`
}

type apiSupportWaits struct {
	Matched       int   `json:"matched" doc:"Requests matched in the last 30 days."`
	MedianSeconds int64 `json:"median_seconds"`
	P90Seconds    int64 `json:"p90_seconds" doc:"Nine in ten waited at most this long."`
}

type apiSupporterLoad struct {
	AccountID        string     `json:"account_id" doc:"For endSupporterShift."`
	Name             string     `json:"name"`
	OnShift          bool       `json:"on_shift"`
	Load             int        `json:"load" doc:"Conversations open now."`
	Capacity         int        `json:"capacity"`
	WeekShiftMinutes int        `json:"week_shift_minutes"`
	CertifiedUntil   *time.Time `json:"certified_until" doc:"When their sign-off expires; null for never."`
	HelpedYes        int        `json:"helped_yes" doc:"Feedback over the last 30 days."`
	HelpedSomewhat   int        `json:"helped_somewhat"`
	HelpedNo         int        `json:"helped_no"`
}

func apiSupportDashboardOf(d *support.Dashboard) apiSupportDashboard {
	out := apiSupportDashboard{Queue: []apiSupportQueueItem{}, Supporters: []apiSupporterLoad{}, Active: []apiSupportMatch{},
		Feedback: []apiSupportFeedback{}, Debriefs: []apiSupportDebrief{}, Escalations: []apiSupportEscalation{}, Recent: []apiSupportMatch{},
		Waits: apiSupportWaits{Matched: d.Waits.Matched, MedianSeconds: int64(d.Waits.Median / time.Second), P90Seconds: int64(d.Waits.P90 / time.Second)}}
	names := supportNames(d)
	for _, q := range d.Queue {
		it := apiSupportQueueItem{RequestID: q.Request.ID, TopicLabels: supportList(q.TopicLabels), Urgency: q.Request.Urgency,
			Crisis: q.Request.Crisis, Youth: q.Request.MemberAgeBand.IsMinor(), WaitedSeconds: int64(q.Waited / time.Second),
			Offers: []apiSupportQueueOffer{}}
		for _, o := range q.Offers {
			it.Offers = append(it.Offers, apiSupportQueueOffer{SupporterName: names[o.SupporterID], Rank: o.Rank, Reason: o.Reason, ExpiresAt: o.ExpiresAt.UTC()})
		}
		out.Queue = append(out.Queue, it)
	}
	for _, s := range d.Supporters {
		p := s.Profile
		out.Supporters = append(out.Supporters, apiSupporterLoad{AccountID: p.AccountID, Name: p.Name, OnShift: p.OnShift, Load: s.Load,
			Capacity: p.Capacity, WeekShiftMinutes: int(s.WeekShift / time.Minute), CertifiedUntil: utcPtr(s.CertifiedUntil),
			HelpedYes: s.Helped[0], HelpedSomewhat: s.Helped[1], HelpedNo: s.Helped[2]})
	}
	for _, m := range d.Active {
		out.Active = append(out.Active, apiSupportMatchOf(m, true))
	}
	for _, f := range d.Feedback {
		out.Feedback = append(out.Feedback, apiSupportFeedbackOf(f))
	}
	for _, b := range d.Debriefs {
		out.Debriefs = append(out.Debriefs, apiSupportDebriefOf(b))
	}
	for _, e := range d.Escalations {
		out.Escalations = append(out.Escalations, apiSupportEscalationOf(e))
	}
	for _, m := range d.Recent {
		out.Recent = append(out.Recent, apiSupportMatchOf(m, true))
	}
	return out
}

// supportNames maps the dashboard's supporters' account ids to names,
// for the offers in the queue.
func supportNames(d *support.Dashboard) map[string]string {
	names := map[string]string{}
	for _, s := range d.Supporters {
		if s.Profile != nil {
			names[s.Profile.AccountID] = s.Profile.Name
		}
	}
	return names
}

// apiSupportSettings are the programme's limits and taxonomy.
type apiSupportSettings struct {
	MaxCapacity         int                    `json:"max_capacity" minimum:"1" maximum:"10" doc:"The most conversations a supporter may have open at once."`
	MaxShiftMinutes     int                    `json:"max_shift_minutes" minimum:"30" maximum:"720" doc:"A shift ends automatically after this long."`
	WeeklyHours         int                    `json:"weekly_hours" minimum:"1" maximum:"40" doc:"Nobody can go on shift beyond this many hours a week."`
	OfferTimeoutMinutes int                    `json:"offer_timeout_minutes" minimum:"1" maximum:"60" doc:"How long a supporter has to answer an offer before it moves on."`
	OffersAtOnce        int                    `json:"offers_at_once" minimum:"1" maximum:"10" doc:"How many of the best-ranked supporters are offered a request at once; the first to accept gets it."`
	Taxonomy            []apiSupportExperience `json:"taxonomy" minItems:"1" maxItems:"60" nullable:"false" doc:"The experiences members can ask about and supporters can share."`
	UpdatedAt           *time.Time             `json:"updated_at,omitempty" doc:"Absent until a coordinator first changes them."`
}

type apiSupportExperience struct {
	Key   string `json:"key,omitempty" maxLength:"80" doc:"Stable key; leave it out for a new entry and one is made from the label. Keep an existing key to keep requests and profiles that use it."`
	Label string `json:"label" maxLength:"60" doc:"The experience in the organisation's words."`
}

func apiSupportSettingsOf(s *kindred.SupportSettings) apiSupportSettings {
	out := apiSupportSettings{MaxCapacity: s.MaxCapacity, MaxShiftMinutes: int(s.MaxShift / time.Minute), WeeklyHours: s.WeeklyHours,
		OfferTimeoutMinutes: int(s.OfferTimeout / time.Minute), OffersAtOnce: s.OffersAtOnce, Taxonomy: []apiSupportExperience{}}
	if !s.UpdatedAt.IsZero() {
		u := s.UpdatedAt.UTC()
		out.UpdatedAt = &u
	}
	for _, e := range s.Taxonomy {
		out.Taxonomy = append(out.Taxonomy, apiSupportExperience{Key: e.Key, Label: e.Label})
	}
	return out
}

// supportList makes a nil slice an empty one, so JSON says [] rather than null.
func supportList[T any](xs []T) []T {
	if xs == nil {
		return []T{}
	}
	return xs
}
