package web

// 1:1 peer support, as pages: the member's page (their open request, or
// the form to ask), a request's page (waiting, matched, ended: what each
// person may do), the supporter's inbox and profile, and the coordinators'
// supervision dashboard and settings. Every form posts and redirects;
// static/support.js refreshes the waiting room, the inbox and the
// dashboard every few seconds, and everything works without it.

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"kindred"
	"kindred/internal/support"
)

// supportRoutes registers the 1:1 support and supervision pages.
func (s *Server) supportRoutes(h func(pattern string, fn http.HandlerFunc)) {
	h("GET /o/{org}/support", s.handleSupportHome)
	h("POST /o/{org}/support/requests", s.handleSupportRequestCreate)
	h("GET /o/{org}/support/requests/{id}", s.handleSupportRequest)
	h("POST /o/{org}/support/requests/{id}/cancel", s.handleSupportCancel)
	h("POST /o/{org}/support/requests/{id}/decline-match", s.handleSupportDeclineMatch)

	h("GET /o/{org}/support/inbox", s.handleSupportInbox)
	h("POST /o/{org}/support/offers/{offer}/accept", s.handleSupportAccept)
	h("POST /o/{org}/support/offers/{offer}/decline", s.handleSupportDecline)
	h("POST /o/{org}/support/shift/start", s.handleSupportShiftStart)
	h("POST /o/{org}/support/shift/end", s.handleSupportShiftEnd)
	h("GET /o/{org}/support/profile", s.handleSupportProfile)
	h("POST /o/{org}/support/profile", s.handleSupportProfileSave)

	h("POST /o/{org}/support/matches/{match}/end", s.handleSupportEnd)
	h("POST /o/{org}/support/matches/{match}/feedback", s.handleSupportFeedback)
	h("POST /o/{org}/support/matches/{match}/debrief", s.handleSupportDebrief)
	h("POST /o/{org}/support/matches/{match}/escalate", s.handleSupportEscalate)
	h("POST /o/{org}/support/matches/{match}/handoff", s.handleSupportHandoff)
	h("POST /o/{org}/support/matches/{match}/handoff/answer", s.handleSupportHandoffAnswer)

	h("GET /o/{org}/support/supervision", s.handleSupportDashboard)
	h("POST /o/{org}/support/escalations/{id}/resolve", s.handleSupportResolve)
	h("POST /o/{org}/support/supporters/{account}/end-shift", s.handleSupportEndShiftFor)
	h("GET /o/{org}/support/settings", s.handleSupportSettings)
	h("POST /o/{org}/support/settings", s.handleSupportSettingsSave)
}

func supportURL(org string) string            { return "/o/" + org + "/support" }
func supportRequestURL(org, id string) string { return supportURL(org) + "/requests/" + id }
func supportInboxURL(org string) string       { return supportURL(org) + "/inbox" }
func supportSupervisionURL(org string) string { return supportURL(org) + "/supervision" }

// supportDuration says a wait in words: "about 5 minutes".
func supportDuration(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "less than a minute"
	case d < time.Hour:
		return plural(int(d.Round(time.Minute)/time.Minute), "minute")
	case d < 24*time.Hour:
		h, m := int(d/time.Hour), int((d%time.Hour).Round(time.Minute)/time.Minute)
		if m == 0 || h >= 3 {
			return plural(h, "hour")
		}
		return plural(h, "hour") + " " + plural(m, "minute")
	}
	return plural(int(d/(24*time.Hour)), "day")
}

// supportHours says shift time briefly: "3 h 20 min".
func supportHours(d time.Duration) string {
	h, m := int(d/time.Hour), int((d%time.Hour)/time.Minute)
	if h == 0 {
		return fmt.Sprintf("%d min", m)
	}
	return fmt.Sprintf("%d h %d min", h, m)
}

// supportChoice is one checkbox, radio button or option of a form.
type supportChoice struct {
	Value, Label string
	Checked      bool
}

// supportChoices lists values with labels, ticking those in picked.
func supportChoices[T ~string](values []T, label func(T) string, picked []string) []supportChoice {
	out := make([]supportChoice, 0, len(values))
	for _, v := range values {
		out = append(out, supportChoice{Value: string(v), Label: label(v), Checked: slices.Contains(picked, string(v))})
	}
	return out
}

func supportTopicChoices(set *kindred.SupportSettings, picked []string) []supportChoice {
	var out []supportChoice
	if set == nil {
		return out
	}
	for _, e := range set.Taxonomy {
		out = append(out, supportChoice{Value: e.Key, Label: e.Label, Checked: slices.Contains(picked, e.Key)})
	}
	return out
}

func supportLanguageChoices(picked []string) []supportChoice {
	out := make([]supportChoice, 0, len(kindred.Languages))
	for _, l := range kindred.Languages {
		out = append(out, supportChoice{Value: l.Code, Label: l.Label, Checked: slices.Contains(picked, l.Code)})
	}
	return out
}

func supportIdentityChoices(picked []string) []supportChoice {
	return supportChoices(kindred.Identities, kindred.Identity.Label, picked)
}

func supportStatusLabel(st kindred.RequestStatus) string {
	switch st {
	case kindred.RequestWaiting:
		return "Waiting for a supporter"
	case kindred.RequestMatched:
		return "Matched: you can talk now"
	case kindred.RequestEnded:
		return "Ended"
	case kindred.RequestCancelled:
		return "Withdrawn"
	}
	return string(st)
}

// The member's page.

// supportRequestRow is a request as the member's page lists it.
type supportRequestRow struct {
	ID, URL, Status, StatusClass string
	Topics                       string
	Created, CreatedISO          string
	Waiting, Matched             bool
	Place                        int
	Estimate                     string
	Supporter                    string
	Crisis                       bool
}

func newSupportRequestRow(org string, v *support.RequestView, now time.Time) supportRequestRow {
	q := v.Request
	row := supportRequestRow{ID: q.ID, URL: supportRequestURL(org, q.ID), Status: supportStatusLabel(q.Status), StatusClass: string(q.Status),
		Topics: strings.Join(v.TopicLabels, ", "), Created: ago(now, q.CreatedAt), CreatedISO: q.CreatedAt.UTC().Format(time.RFC3339),
		Waiting: q.Status == kindred.RequestWaiting, Matched: q.Status == kindred.RequestMatched, Place: v.Place,
		Estimate: supportEstimateText(v), Crisis: q.Crisis}
	if v.Match != nil {
		row.Supporter = v.Match.SupporterName
	}
	return row
}

// supportEstimateText is the honest estimate: the service's words when it has no
// estimate, "about N minutes" when it has one.
func supportEstimateText(v *support.RequestView) string {
	if !v.EstimateKnown {
		if v.EstimateText != "" {
			return v.EstimateText
		}
		return "We can't say how long it will be right now."
	}
	if v.EstimateText != "" {
		return v.EstimateText
	}
	return "Usually about " + supportDuration(v.Estimate) + "."
}

type supportHomeData struct {
	Org                                    *kindred.Organization
	Home                                   *support.MemberHome
	Open                                   *supportRequestRow
	Past                                   []supportRequestRow
	Topics, Identities, Languages, Urgency []supportChoice
	MaxTopics, MaxDetails                  int
	Lines                                  []supportResourceRow
}

func (s *Server) supportHomePage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	h, err := s.svc.Support.Home(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
		f.Values = url.Values{"urgency": {string(kindred.UrgencyWhenever)}}
	}
	now := s.now()
	d := supportHomeData{Org: h.Org, Home: h, MaxTopics: kindred.MaxRequestTopics, MaxDetails: kindred.MaxRequestDetails,
		Topics: supportTopicChoices(h.Choices.Settings, f.Values["topics"]), Identities: supportIdentityChoices(f.Values["identities"]),
		Languages: supportLanguageChoices(f.Values["language"]),
		Urgency:   supportChoices(kindred.Urgencies, kindred.Urgency.Label, f.Values["urgency"]), Lines: s.supportLines(r.Context(), h.Org)}
	for _, v := range h.Requests {
		row := newSupportRequestRow(h.Org.Slug, v, now)
		if d.Open == nil && (row.Waiting || row.Matched) {
			d.Open = &row
			continue
		}
		d.Past = append(d.Past, row)
	}
	s.render(w, r, status, "support", &page{Title: "Talk to a peer supporter · " + h.Org.Name, Org: h.Org, Form: f, Data: d})
}

func (s *Server) handleSupportHome(w http.ResponseWriter, r *http.Request) {
	s.supportHomePage(w, r, http.StatusOK, nil)
}

func (s *Server) handleSupportRequestCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	d := kindred.SupportRequestDraft{Topics: r.PostForm["topics"], Details: r.PostFormValue("details"),
		Language: trimmed(r, "language"), NotMySchool: r.PostFormValue("not_my_school") != "",
		Urgency: kindred.Urgency(r.PostFormValue("urgency"))}
	for _, i := range r.PostForm["identities"] {
		d.Identities = append(d.Identities, kindred.Identity(i))
	}
	org := r.PathValue("org")
	v, err := s.svc.Support.RequestSupport(r.Context(), actorOf(r), org, d)
	if s.formFailed(w, r, err, func(st int, f *form) { s.supportHomePage(w, r, st, f) }) {
		return
	}
	s.posted(w, "support-details")
	if v.Request.Crisis {
		s.flash(w, "Your request is in. It sounds like things are really hard right now, so the people below can help straight away, any time.")
	} else {
		s.flash(w, "Your request is in. We'll find a peer supporter for you as soon as we can.")
	}
	http.Redirect(w, r, supportRequestURL(org, v.Request.ID), http.StatusSeeOther)
}

// A request's page.

type supportRequestData struct {
	Org        *kindred.Organization
	V          *support.RequestView
	Row        supportRequestRow
	URL        string
	RoomURL    string
	Resources  []supportResourceRow
	Lines      []supportResourceRow
	Waited     string
	Helped     []supportChoice
	Identities string
	Language   string
	// PollVersion changes when what the waiting room shows changes, so
	// the script replaces it (and tells screen readers) only then.
	PollVersion string
	Poll        bool
	// Failed names the form f belongs to ("feedback", "debrief",
	// "escalate", "handoff"); Problem is an action's kind refusal.
	Failed  string
	Problem string
}

func (s *Server) supportRequestPage(w http.ResponseWriter, r *http.Request, status int, id string, f *form, failed, problem string) {
	org := r.PathValue("org")
	v, err := s.svc.Support.Request(r.Context(), actorOf(r), org, id)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
	}
	now := s.now()
	q := v.Request
	d := supportRequestData{Org: v.Org, V: v, Row: newSupportRequestRow(v.Org.Slug, v, now), URL: supportRequestURL(v.Org.Slug, q.ID),
		Waited: supportDuration(now.Sub(q.CreatedAt)), Failed: failed, Problem: problem,
		Helped: []supportChoice{{Value: string(kindred.HelpedYes), Label: "Yes"}, {Value: string(kindred.HelpedSomewhat), Label: "Somewhat"},
			{Value: string(kindred.HelpedNo), Label: "No"}},
		Poll: q.Status == kindred.RequestWaiting}
	for i := range d.Helped {
		d.Helped[i].Checked = f.Get("helped") == d.Helped[i].Value
	}
	if v.Match != nil && v.Match.RoomID != "" {
		d.RoomURL = roomURL(v.Match.RoomID)
	}
	d.Resources, d.Lines = supportResources(v.Resources), s.supportLines(r.Context(), v.Org)
	if len(v.Resources) > 0 { // a crisis request: the organisation's own lines
		d.Resources = d.Lines
	}
	if q.Language != "" {
		d.Language = kindred.LanguageLabel(q.Language)
	}
	var ids []string
	for _, i := range q.Identities {
		ids = append(ids, i.Label())
	}
	d.Identities = strings.Join(ids, ", ")
	matchID := ""
	if v.Match != nil {
		matchID = v.Match.ID
	}
	d.PollVersion = fmt.Sprintf("%s.%d.%s", q.Status, v.Place, matchID)
	title := "Your request for support"
	if !v.IsMember {
		title = "Request for support"
	}
	s.render(w, r, status, "support_request", &page{Title: title + " · " + v.Org.Name, Org: v.Org, Form: f, Data: d})
}

func (s *Server) handleSupportRequest(w http.ResponseWriter, r *http.Request) {
	s.supportRequestPage(w, r, http.StatusOK, r.PathValue("id"), nil, "", "")
}

// supportRequestOf reads the request a match form came from (a hidden field), so
// that the answer can go back to its page. Anything that is not an id
// sends the person to the support page instead.
func supportRequestOf(r *http.Request) string {
	id := r.PostFormValue("request")
	if id == "" || len(id) > 64 || strings.Trim(id, "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
		return ""
	}
	return id
}

// supportActed ends a request page's action: on success a note and back
// to the page; input problems re-render the page with what was typed (the
// form named failed); refusals the person can do nothing about, such as a
// conversation that already ended, show kindly on the page; anything else
// is the usual error page.
func (s *Server) supportActed(w http.ResponseWriter, r *http.Request, requestID string, err error, failed, done string) {
	org := r.PathValue("org")
	switch kindred.ErrorCode(err) {
	case "":
		s.flash(w, done)
		to := supportURL(org)
		if requestID != "" {
			to = supportRequestURL(org, requestID)
		}
		http.Redirect(w, r, to, http.StatusSeeOther)
	case kindred.EINVALID, kindred.ERATELIMIT:
		if requestID == "" {
			s.fail(w, r, err, nil)
			return
		}
		s.supportRequestPage(w, r, StatusFor(err), requestID, newForm(r, err), failed, "")
	case kindred.ECONFLICT, kindred.EFORBIDDEN:
		if requestID == "" {
			s.fail(w, r, err, nil)
			return
		}
		s.supportRequestPage(w, r, StatusFor(err), requestID, nil, "", kindred.ErrorMessage(err))
	default:
		s.fail(w, r, err, nil)
	}
}

func (s *Server) handleSupportCancel(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := s.svc.Support.CancelRequest(r.Context(), actorOf(r), r.PathValue("org"), id)
	s.supportActed(w, r, id, err, "", "Your request is withdrawn. You can ask again whenever you like.")
}

func (s *Server) handleSupportDeclineMatch(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	err := s.svc.Support.DeclineMatch(r.Context(), actorOf(r), r.PathValue("org"), id)
	s.supportActed(w, r, id, err, "", "That's completely fine. Your request is back in the queue in its place, and we'll find someone else for you.")
}

func (s *Server) handleSupportEnd(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	err := s.svc.Support.EndConversation(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("match"))
	s.supportActed(w, r, supportRequestOf(r), err, "", "The conversation has ended. You can still read it.")
}

func (s *Server) handleSupportFeedback(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	err := s.svc.Support.SubmitFeedback(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("match"),
		kindred.Helped(r.PostFormValue("helped")), r.PostFormValue("comment"))
	s.supportActed(w, r, supportRequestOf(r), err, "feedback", "Thank you for telling us. It helps coordinators look after the programme.")
}

func (s *Server) handleSupportDebrief(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	checkIn := r.PostFormValue("check_in") != ""
	err := s.svc.Support.WriteDebrief(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("match"), r.PostFormValue("body"), checkIn)
	done := "Thank you for your debrief, and for the support you gave."
	if checkIn {
		done += " A coordinator will check in with you."
	}
	s.supportActed(w, r, supportRequestOf(r), err, "debrief", done)
}

func (s *Server) handleSupportEscalate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, err := s.svc.Support.Escalate(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("match"),
		r.PostFormValue("reason"), r.PostFormValue("urgent") != "")
	s.supportActed(w, r, supportRequestOf(r), err, "escalate", "A coordinator has been asked to step in. You did the right thing.")
}

func (s *Server) handleSupportHandoff(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	err := s.svc.Support.ProposeHandoff(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("match"), r.PostFormValue("note"))
	s.supportActed(w, r, supportRequestOf(r), err, "handoff", "Your suggestion is with the member. Nothing changes unless they agree.")
}

func (s *Server) handleSupportHandoffAnswer(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	consent := r.PostFormValue("consent") == "yes"
	err := s.svc.Support.AnswerHandoff(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("match"), consent)
	done := "Thanks. You're staying with your supporter."
	if consent {
		done = "Thanks. Your request is back in the queue in its original place, and we'll find another supporter for you."
	}
	s.supportActed(w, r, supportRequestOf(r), err, "", done)
}

// The supporter's inbox.

type supportOfferRow struct {
	ID, Topics, Details, Language string
	Urgency                       string
	Now                           bool // the member asked for as soon as possible
	Crisis, Youth                 bool
	Waited                        string
	Expires, ExpiresISO           string
}

type supportMatchRow struct {
	ID, RequestURL, RoomURL, With, Started, StartedISO string
	Handoff                                            bool
}

type supportInboxData struct {
	Org                  *kindred.Organization
	In                   *support.Inbox
	OnShift              bool
	ShiftStarted         string
	ShiftEnds            string
	WeekShift            string
	WeeklyHours          int
	Certified            bool
	CertifiedUntil       string
	YouthProgramme       bool
	Offers               []supportOfferRow
	Active, NeedDebrief  []supportMatchRow
	PollVersion, Problem string
}

func (s *Server) supportInboxPage(w http.ResponseWriter, r *http.Request, status int, problem string) {
	in, err := s.svc.Support.Inbox(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	now := s.now()
	d := supportInboxData{Org: in.Org, In: in, WeekShift: supportHours(in.WeekShift), Problem: problem}
	if in.Settings != nil {
		d.WeeklyHours = in.Settings.WeeklyHours
	}
	if p := in.Profile; p != nil {
		d.OnShift = p.OnShift
		if p.ShiftStartedAt != nil {
			d.ShiftStarted = ago(now, *p.ShiftStartedAt)
		}
	}
	if in.ShiftEndsAt != nil {
		d.ShiftEnds = in.ShiftEndsAt.UTC().Format("15:04") + " UTC"
	}
	if c := in.Certification; c != nil {
		d.Certified, d.YouthProgramme = true, c.YouthProgramme
		if c.ExpiresAt != nil {
			d.CertifiedUntil = c.ExpiresAt.UTC().Format("2 January 2006")
		}
	}
	var ids []string
	for _, o := range in.Offers {
		row := supportOfferRow{ID: o.Offer.ID, Topics: strings.Join(o.TopicLabels, ", "), Details: o.Details, Language: o.Language,
			Urgency: o.Urgency.Label(), Now: o.Urgency == kindred.UrgencyNow, Crisis: o.Crisis, Youth: o.Youth,
			Waited: supportDuration(o.Waited), Expires: o.Offer.ExpiresAt.UTC().Format("15:04") + " UTC",
			ExpiresISO: o.Offer.ExpiresAt.UTC().Format(time.RFC3339)}
		d.Offers = append(d.Offers, row)
		ids = append(ids, o.Offer.ID)
	}
	d.PollVersion = strings.Join(ids, ".")
	for _, m := range in.Active {
		d.Active = append(d.Active, newSupportMatchRow(in.Org.Slug, m, m.MemberName, now))
	}
	for _, m := range in.NeedingDebrief {
		d.NeedDebrief = append(d.NeedDebrief, newSupportMatchRow(in.Org.Slug, m, m.MemberName, now))
	}
	s.render(w, r, status, "support_inbox", &page{Title: "Supporter inbox · " + in.Org.Name, Org: in.Org, Data: d})
}

func newSupportMatchRow(org string, m *kindred.SupportMatch, with string, now time.Time) supportMatchRow {
	row := supportMatchRow{ID: m.ID, RequestURL: supportRequestURL(org, m.RequestID), With: with, Started: ago(now, m.StartedAt),
		StartedISO: m.StartedAt.UTC().Format(time.RFC3339), Handoff: m.HandoffProposedAt != nil}
	if m.RoomID != "" {
		row.RoomURL = roomURL(m.RoomID)
	}
	return row
}

func (s *Server) handleSupportInbox(w http.ResponseWriter, r *http.Request) {
	s.supportInboxPage(w, r, http.StatusOK, "")
}

// inboxActed ends an inbox action: refusals about the moment (someone else
// accepted first, a limit reached) show kindly on the inbox.
func (s *Server) inboxActed(w http.ResponseWriter, r *http.Request, err error, done string) bool {
	switch kindred.ErrorCode(err) {
	case "":
		if done != "" {
			s.flash(w, done)
		}
		return false
	case kindred.ECONFLICT, kindred.EFORBIDDEN, kindred.EINVALID:
		s.supportInboxPage(w, r, StatusFor(err), kindred.ErrorMessage(err))
	default:
		s.fail(w, r, err, nil)
	}
	return true
}

func (s *Server) handleSupportAccept(w http.ResponseWriter, r *http.Request) {
	org := r.PathValue("org")
	m, err := s.svc.Support.AcceptOffer(r.Context(), actorOf(r), org, r.PathValue("offer"))
	if s.inboxActed(w, r, err, "You've accepted. Say hello whenever you're ready; the member has been told you're here.") {
		return
	}
	http.Redirect(w, r, supportRequestURL(org, m.RequestID), http.StatusSeeOther)
}

func (s *Server) handleSupportDecline(w http.ResponseWriter, r *http.Request) {
	org := r.PathValue("org")
	err := s.svc.Support.DeclineOffer(r.Context(), actorOf(r), org, r.PathValue("offer"))
	if s.inboxActed(w, r, err, "No problem. It's been offered to someone else.") {
		return
	}
	http.Redirect(w, r, supportInboxURL(org), http.StatusSeeOther)
}

func (s *Server) handleSupportShiftStart(w http.ResponseWriter, r *http.Request) {
	org := r.PathValue("org")
	err := s.svc.Support.StartShift(r.Context(), actorOf(r), org)
	if s.inboxActed(w, r, err, "You're on shift. Offers that fit you will appear here.") {
		return
	}
	http.Redirect(w, r, supportInboxURL(org), http.StatusSeeOther)
}

func (s *Server) handleSupportShiftEnd(w http.ResponseWriter, r *http.Request) {
	org := r.PathValue("org")
	err := s.svc.Support.EndShift(r.Context(), actorOf(r), org)
	if s.inboxActed(w, r, err, "You're off shift. Thank you for your time; take care of yourself.") {
		return
	}
	http.Redirect(w, r, supportInboxURL(org), http.StatusSeeOther)
}

// The supporter's profile.

type supportDayRow struct {
	Day      int
	Name     string
	From, To string
}

type supportProfileData struct {
	Org                                 *kindred.Organization
	V                                   *support.ProfileView
	Experiences, Languages, Identities  []supportChoice
	Days                                []supportDayRow
	TimeZones                           []string
	MaxCapacity, MaxIntro               int
	YouthProgramme, FillZone, Certified bool
}

func supportClock(minutes int) string { return fmt.Sprintf("%02d:%02d", minutes/60, minutes%60) }

// supportParseClock reads "HH:MM" as minutes after midnight; "24:00" is midnight
// at the end of the day.
func supportParseClock(v string) (int, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(v), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 || (hh == 24 && mm != 0) {
		return 0, false
	}
	return hh*60 + mm, true
}

// supportWeek lists days Monday first, as people plan a week.
var supportWeek = []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday}

func (s *Server) supportProfilePage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	v, err := s.svc.Support.Profile(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	d := supportProfileData{Org: v.Org, V: v, TimeZones: timeZones, MaxIntro: kindred.MaxSupporterIntro, MaxCapacity: 1}
	if v.Choices.Settings != nil {
		d.MaxCapacity = v.Choices.Settings.MaxCapacity
	}
	if v.Certification != nil {
		d.Certified, d.YouthProgramme = true, v.Certification.YouthProgramme
	}
	if f == nil {
		f = newForm(r, nil)
		f.Values = url.Values{"time_zone": {"UTC"}, "capacity": {"1"}}
		d.FillZone = true
		if p := v.Profile; p != nil {
			d.FillZone, d.YouthProgramme = false, d.YouthProgramme || p.YouthProgramme
			f.Values = url.Values{"intro": {p.Intro}, "experiences": p.Experiences, "languages": p.Languages,
				"time_zone": {p.TimeZone}, "capacity": {strconv.Itoa(p.Capacity)}}
			for _, i := range p.Identities {
				f.Values.Add("identities", string(i))
			}
			for _, sl := range p.Availability {
				day := strconv.Itoa(int(sl.Day))
				if f.Values.Get("from_"+day) == "" { // the form has one time a day
					f.Values.Set("from_"+day, supportClock(sl.From))
					f.Values.Set("to_"+day, supportClock(sl.To))
				}
			}
		}
	}
	d.Experiences = supportTopicChoices(v.Choices.Settings, f.Values["experiences"])
	d.Languages = supportLanguageChoices(f.Values["languages"])
	d.Identities = supportIdentityChoices(f.Values["identities"])
	for _, day := range supportWeek {
		n := strconv.Itoa(int(day))
		d.Days = append(d.Days, supportDayRow{Day: int(day), Name: day.String(), From: f.Get("from_" + n), To: f.Get("to_" + n)})
	}
	s.render(w, r, status, "support_profile", &page{Title: "Your supporter profile · " + v.Org.Name, Org: v.Org, Form: f, Data: d})
}

func (s *Server) handleSupportProfile(w http.ResponseWriter, r *http.Request) {
	s.supportProfilePage(w, r, http.StatusOK, nil)
}

func (s *Server) handleSupportProfileSave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	d := kindred.SupporterProfileDraft{Intro: r.PostFormValue("intro"), Experiences: r.PostForm["experiences"],
		Languages: r.PostForm["languages"], TimeZone: trimmed(r, "time_zone")}
	for _, i := range r.PostForm["identities"] {
		d.Identities = append(d.Identities, kindred.Identity(i))
	}
	for day := time.Sunday; day <= time.Saturday; day++ {
		n := strconv.Itoa(int(day))
		from, to := trimmed(r, "from_"+n), trimmed(r, "to_"+n)
		if from == "" && to == "" {
			continue
		}
		slot := kindred.WeeklySlot{Day: day, From: -1, To: -1} // let validation explain a time it can't read
		if m, ok := supportParseClock(from); ok {
			slot.From = m
		}
		if m, ok := supportParseClock(to); ok {
			slot.To = m
		}
		d.Availability = append(d.Availability, slot)
	}
	c, err := strconv.Atoi(trimmed(r, "capacity"))
	if err != nil {
		c = 0 // validation explains
	}
	d.Capacity = c
	org := r.PathValue("org")
	_, err = s.svc.Support.SaveProfile(r.Context(), actorOf(r), org, d)
	if s.formFailed(w, r, err, func(st int, f *form) { s.supportProfilePage(w, r, st, f) }) {
		return
	}
	s.flash(w, "Your profile is saved.")
	http.Redirect(w, r, supportURL(org)+"/profile", http.StatusSeeOther)
}

// Supervision.

type supportQueueRow struct {
	URL, Topics, Urgency string
	Now, Crisis, Youth   bool
	Waited               string
	Offers               []supportQueueOfferRow
}

type supportQueueOfferRow struct {
	Supporter, Reason string
	Rank              int
}

type supportSupporterRow struct {
	AccountID, Name   string
	OnShift           bool
	Load, Capacity    int
	WeekShift         string
	CertifiedUntil    string
	Yes, Somewhat, No int
}

type supportSupervisionRow struct {
	RequestURL, RoomURL, Supporter, Member, Reason, Started, StartedISO, End string
}

type supportFeedbackRow struct {
	Supporter, Helped, Comment, When, WhenISO string
}

type supportDebriefRow struct {
	Supporter, Body, When, WhenISO string
	CheckIn                        bool
}

type supportEscalationRow struct {
	ID, RequestURL, RaisedBy, Reason, When, WhenISO string
	Urgent, Failed                                  bool
}

type supportDashboardData struct {
	Org            *kindred.Organization
	D              *support.Dashboard
	Queue          []supportQueueRow
	Median, P90    string
	Matched        int
	WeeklyHours    int
	Supporters     []supportSupporterRow
	Active, Recent []supportSupervisionRow
	Feedback       []supportFeedbackRow
	Debriefs       []supportDebriefRow
	Escalations    []supportEscalationRow
	Problem        string
}

func supportHelpedLabel(h kindred.Helped) string {
	switch h {
	case kindred.HelpedYes:
		return "Yes"
	case kindred.HelpedSomewhat:
		return "Somewhat"
	case kindred.HelpedNo:
		return "No"
	}
	return string(h)
}

func supportMatchEndLabel(e kindred.MatchEnd) string {
	switch e {
	case kindred.MatchEndedByMember:
		return "Ended by the member"
	case kindred.MatchEndedBySupporter:
		return "Ended by the supporter"
	case kindred.MatchDeclined:
		return "The member asked for someone else"
	case kindred.MatchHandedOff:
		return "Handed off"
	case kindred.MatchEndedByStaff:
		return "Ended by a coordinator"
	}
	return ""
}

// supportDashboardPage renders the dashboard; failed is the escalation
// whose resolve form f belongs to.
func (s *Server) supportDashboardPage(w http.ResponseWriter, r *http.Request, status int, f *form, failed, problem string) {
	dash, err := s.svc.Support.Dashboard(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
	}
	now := s.now()
	org := dash.Org.Slug
	d := supportDashboardData{Org: dash.Org, D: dash, Matched: dash.Waits.Matched, Problem: problem,
		Median: supportDuration(dash.Waits.Median), P90: supportDuration(dash.Waits.P90)}
	if dash.Settings != nil {
		d.WeeklyHours = dash.Settings.WeeklyHours
	}
	names := supportNames(dash)
	for _, q := range dash.Queue {
		row := supportQueueRow{URL: supportRequestURL(org, q.Request.ID), Topics: strings.Join(q.TopicLabels, ", "), Urgency: q.Request.Urgency.Label(),
			Now: q.Request.Urgency == kindred.UrgencyNow, Crisis: q.Request.Crisis, Youth: q.Request.MemberAgeBand.IsMinor(),
			Waited: supportDuration(q.Waited)}
		for _, o := range q.Offers {
			row.Offers = append(row.Offers, supportQueueOfferRow{Supporter: names[o.SupporterID], Reason: o.Reason, Rank: o.Rank})
		}
		d.Queue = append(d.Queue, row)
	}
	for _, sl := range dash.Supporters {
		p := sl.Profile
		row := supportSupporterRow{AccountID: p.AccountID, Name: p.Name, OnShift: p.OnShift, Load: sl.Load, Capacity: p.Capacity,
			WeekShift: supportHours(sl.WeekShift), Yes: sl.Helped[0], Somewhat: sl.Helped[1], No: sl.Helped[2], CertifiedUntil: "No expiry"}
		if sl.CertifiedUntil != nil {
			row.CertifiedUntil = sl.CertifiedUntil.UTC().Format("2 Jan 2006")
		}
		d.Supporters = append(d.Supporters, row)
	}
	matchRow := func(m *kindred.SupportMatch) supportSupervisionRow {
		row := supportSupervisionRow{RequestURL: supportRequestURL(org, m.RequestID), Supporter: m.SupporterName, Member: m.MemberName,
			Reason: m.Reason, Started: ago(now, m.StartedAt), StartedISO: m.StartedAt.UTC().Format(time.RFC3339), End: supportMatchEndLabel(m.End)}
		if m.RoomID != "" {
			row.RoomURL = roomURL(m.RoomID)
		}
		return row
	}
	for _, m := range dash.Active {
		d.Active = append(d.Active, matchRow(m))
	}
	for _, m := range dash.Recent {
		d.Recent = append(d.Recent, matchRow(m))
	}
	for _, fb := range dash.Feedback {
		d.Feedback = append(d.Feedback, supportFeedbackRow{Supporter: fb.SupporterName, Helped: supportHelpedLabel(fb.Helped), Comment: fb.Comment,
			When: ago(now, fb.CreatedAt), WhenISO: fb.CreatedAt.UTC().Format(time.RFC3339)})
	}
	for _, db := range dash.Debriefs {
		d.Debriefs = append(d.Debriefs, supportDebriefRow{Supporter: db.SupporterName, Body: db.Body, CheckIn: db.CheckIn,
			When: ago(now, db.CreatedAt), WhenISO: db.CreatedAt.UTC().Format(time.RFC3339)})
	}
	for _, e := range dash.Escalations {
		d.Escalations = append(d.Escalations, supportEscalationRow{ID: e.ID, RequestURL: supportRequestURL(org, e.RequestID), RaisedBy: e.RaisedByName,
			Reason: e.Reason, Urgent: e.Urgent, When: ago(now, e.CreatedAt), WhenISO: e.CreatedAt.UTC().Format(time.RFC3339),
			Failed: e.ID == failed})
	}
	s.render(w, r, status, "support_supervision", &page{Title: "Supervision · " + dash.Org.Name, Org: dash.Org, Form: f, Data: d})
}

func (s *Server) handleSupportDashboard(w http.ResponseWriter, r *http.Request) {
	s.supportDashboardPage(w, r, http.StatusOK, nil, "", "")
}

func (s *Server) handleSupportResolve(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	org, id := r.PathValue("org"), r.PathValue("id")
	err := s.svc.Support.ResolveEscalation(r.Context(), actorOf(r), org, id, r.PostFormValue("note"))
	switch kindred.ErrorCode(err) {
	case "":
		s.flash(w, "The escalation is closed, with your note.")
		http.Redirect(w, r, supportSupervisionURL(org)+"#escalations", http.StatusSeeOther)
	case kindred.EINVALID:
		s.supportDashboardPage(w, r, StatusFor(err), newForm(r, err), id, "")
	case kindred.ECONFLICT:
		s.supportDashboardPage(w, r, StatusFor(err), nil, "", kindred.ErrorMessage(err))
	default:
		s.fail(w, r, err, nil)
	}
}

func (s *Server) handleSupportEndShiftFor(w http.ResponseWriter, r *http.Request) {
	org := r.PathValue("org")
	err := s.svc.Support.EndShiftFor(r.Context(), actorOf(r), org, r.PathValue("account"))
	switch kindred.ErrorCode(err) {
	case "":
		s.flash(w, "They're off shift now. Their open offers have moved on; their conversations stay open.")
		http.Redirect(w, r, supportSupervisionURL(org)+"#supporters", http.StatusSeeOther)
	case kindred.ECONFLICT:
		s.supportDashboardPage(w, r, StatusFor(err), nil, "", kindred.ErrorMessage(err))
	default:
		s.fail(w, r, err, nil)
	}
}

// Settings.

type supportSettingsData struct {
	Org *kindred.Organization
	Set *kindred.SupportSettings
}

func (s *Server) supportSettingsPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	org := r.PathValue("org")
	set, err := s.svc.Support.Settings(r.Context(), actorOf(r), org)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	o, err := s.svc.Orgs.Get(r.Context(), actorOf(r), org)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
		labels := make([]string, 0, len(set.Taxonomy))
		for _, e := range set.Taxonomy {
			labels = append(labels, e.Label)
		}
		f.Values = url.Values{"max_capacity": {strconv.Itoa(set.MaxCapacity)}, "max_shift": {strconv.Itoa(int(set.MaxShift / time.Minute))},
			"weekly_hours": {strconv.Itoa(set.WeeklyHours)}, "offer_timeout": {strconv.Itoa(int(set.OfferTimeout / time.Minute))},
			"offers_at_once": {strconv.Itoa(set.OffersAtOnce)}, "taxonomy": {strings.Join(labels, "\n")}}
	}
	s.render(w, r, status, "support_settings", &page{Title: "Support settings · " + o.Org.Name, Org: o.Org, Form: f,
		Data: supportSettingsData{Org: o.Org, Set: set}})
}

func (s *Server) handleSupportSettings(w http.ResponseWriter, r *http.Request) {
	s.supportSettingsPage(w, r, http.StatusOK, nil)
}

// supportTaxonomyOf reads the taxonomy textarea, one experience a line. Lines
// that keep an existing label keep its key, so the requests and profiles
// that use it are unchanged; new labels get new keys from the settings'
// validation.
func supportTaxonomyOf(text string, current []kindred.Experience) []kindred.Experience {
	keys := map[string]string{}
	for _, e := range current {
		keys[strings.ToLower(strings.TrimSpace(e.Label))] = e.Key
	}
	var out []kindred.Experience
	for line := range strings.Lines(text) {
		label := strings.TrimSpace(line)
		if label == "" {
			continue
		}
		out = append(out, kindred.Experience{Key: keys[strings.ToLower(label)], Label: label})
	}
	return out
}

func (s *Server) handleSupportSettingsSave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	org := r.PathValue("org")
	current, err := s.svc.Support.Settings(r.Context(), actorOf(r), org)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	num := func(name string) int {
		n, err := strconv.Atoi(trimmed(r, name))
		if err != nil {
			return -1 // validation explains
		}
		return n
	}
	set := kindred.SupportSettings{MaxCapacity: num("max_capacity"), MaxShift: time.Duration(num("max_shift")) * time.Minute,
		WeeklyHours: num("weekly_hours"), OfferTimeout: time.Duration(num("offer_timeout")) * time.Minute,
		OffersAtOnce: num("offers_at_once"), Taxonomy: supportTaxonomyOf(r.PostFormValue("taxonomy"), current.Taxonomy)}
	_, err = s.svc.Support.SaveSettings(r.Context(), actorOf(r), org, set)
	if s.formFailed(w, r, err, func(st int, f *form) { s.supportSettingsPage(w, r, st, f) }) {
		return
	}
	s.flash(w, "The support settings are saved.")
	http.Redirect(w, r, supportURL(org)+"/settings", http.StatusSeeOther)
}

// Crisis lines.

// supportLink is a way to reach a crisis line: the number for a tel: or
// sms: link (the template writes the scheme) and what the link says.
type supportLink struct{ Number, Label string }

type supportResourceRow struct {
	Name, Description, Hours, Region, Serves string
	Calls, Texts                             []supportLink
	Chat                                     string
}

// supportNumber finds dialable numbers, each with the words in brackets
// after it: "911 (US, Canada), 999 (UK)".
var supportNumber = regexp.MustCompile(`(\+?[0-9][0-9 \-]*[0-9]|[0-9])(\s*\(([^)]*)\))?`)

func supportDial(s string) string {
	return strings.Map(func(r rune) rune {
		if r == '+' || r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}

// supportResources turns crisis lines into rows whose numbers can be
// tapped: "Call 911 (US, Canada)", and for texting the line's own words
// ("Text START to 678-678") on a link to the number.
func supportResources(list []support.Resource) []supportResourceRow {
	var out []supportResourceRow
	for _, r := range list {
		row := supportResourceRow{Name: r.Name, Description: r.Description, Hours: r.Hours, Region: r.Region, Serves: r.Serves, Chat: r.ChatURL}
		for _, m := range supportNumber.FindAllStringSubmatch(r.Phone, -1) {
			label := "Call " + strings.TrimSpace(m[1])
			if m[3] != "" {
				label += " (" + m[3] + ")"
			}
			row.Calls = append(row.Calls, supportLink{Number: supportDial(m[1]), Label: label})
		}
		if r.Text != "" {
			if ms := supportNumber.FindAllStringSubmatch(r.Text, -1); len(ms) > 0 {
				label := r.Text
				if !strings.HasPrefix(strings.ToLower(label), "text") {
					label = "Text " + label
				}
				row.Texts = append(row.Texts, supportLink{Number: supportDial(ms[len(ms)-1][1]), Label: label})
			}
		}
		out = append(out, row)
	}
	return out
}

// supportLines are the crisis lines the support pages always offer: the
// organisation's (pages_help.go). They come from memory, so they show even
// when the database does not answer.
func (s *Server) supportLines(ctx context.Context, org *kindred.Organization) []supportResourceRow {
	return s.crisisLinesFor(ctx, org)
}
