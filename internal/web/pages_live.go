package web

// Live sessions and chat, as pages: a group's sessions, scheduling one,
// the session page (agenda, next meetings, agreements and the way in), the
// chat room (a session's meeting or a 1:1 conversation alike) and the list
// of conversations. Every page works with plain forms and links;
// static/chat.js makes the room live over the WebSocket at LivePath.

import (
	"html/template"
	"net/http"
	"strconv"
	"strings"
	"time"

	"kindred"
	"kindred/internal/access"
	"kindred/internal/groups"
	"kindred/internal/live"
)

// whenLayout is how a meeting's start reads, in the session's own zone.
const whenLayout = "Monday 2 January 2006, 15:04"

func sessionsURL(p *groups.Place) string              { return groupURL(p) + "/sessions" }
func sessionURL(p *groups.Place, id string) string    { return sessionsURL(p) + "/" + id }
func roomURL(id string) string                        { return "/rooms/" + id }
func conversationsURL(o *kindred.Organization) string { return "/o/" + o.Slug + "/messages" }

// zoneName is an IANA zone as people read it: "America/New York".
func zoneName(tz string) string {
	if tz == "" {
		return "UTC"
	}
	return strings.ReplaceAll(tz, "_", " ")
}

// meetingRow is one meeting, flattened for the templates.
type meetingRow struct {
	Unix       int64
	ISO, When  string // start, in the session's zone
	Ends       string // "19:30"
	Going      int
	Full       bool
	Mine       string // "yes", "no", or "" before answering
	InProgress bool
	// Enterable: the room is open or opens within the hour.
	Enterable bool
}

// sessionRow is a session as the list and its page show it.
type sessionRow struct {
	ID, Title, Describe, Zone string
	URL                       string
	Capacity                  int
	Upcoming                  []meetingRow
}

// Next is the meeting in progress or the next one.
func (r sessionRow) Next() *meetingRow {
	if len(r.Upcoming) == 0 {
		return nil
	}
	return &r.Upcoming[0]
}

func newSessionRow(p *groups.Place, v *live.SessionView, now time.Time) sessionRow {
	sess := v.Session
	loc := sess.Location()
	row := sessionRow{ID: sess.ID, Title: sess.Title, Describe: v.Describe, Zone: zoneName(sess.TimeZone),
		URL: sessionURL(p, sess.ID), Capacity: sess.Capacity}
	for _, m := range v.Upcoming {
		mr := meetingRow{Unix: m.Start.Unix(), ISO: m.Start.UTC().Format(time.RFC3339), When: m.Start.In(loc).Format(whenLayout),
			Ends: m.End.In(loc).Format("15:04"), Going: m.Going, Full: m.Full,
			InProgress: !now.Before(m.Start) && now.Before(m.End),
			Enterable:  !now.Before(m.Start.Add(-kindred.EarlyOpening)) && now.Before(m.End)}
		if m.Mine != nil {
			mr.Mine = "no"
			if *m.Mine {
				mr.Mine = "yes"
			}
		}
		row.Upcoming = append(row.Upcoming, mr)
	}
	return row
}

type sessionsData struct {
	Place    *groups.Place
	Sessions []sessionRow
}

func (s *Server) handleSessions(w http.ResponseWriter, r *http.Request) {
	p, list, err := s.svc.Live.Sessions(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	now := s.now()
	d := sessionsData{Place: p}
	for _, v := range list {
		d.Sessions = append(d.Sessions, newSessionRow(p, v, now))
	}
	s.render(w, r, http.StatusOK, "sessions", &page{Title: "Live sessions · " + p.Group.Name, Org: p.Org, Data: d})
}

// Scheduling.

// durations are the lengths the schedule form offers, in minutes.
var durations = []int{30, 45, 60, 90, 120, 180, 240}

// timeZones are the zones the schedule form suggests; any IANA name works.
var timeZones = []string{"UTC",
	"Europe/London", "Europe/Dublin", "Europe/Lisbon", "Europe/Madrid", "Europe/Paris", "Europe/Brussels",
	"Europe/Amsterdam", "Europe/Berlin", "Europe/Rome", "Europe/Stockholm", "Europe/Warsaw", "Europe/Athens",
	"Europe/Helsinki", "Europe/Kyiv", "Europe/Istanbul", "Africa/Lagos", "Africa/Cairo", "Africa/Johannesburg",
	"Africa/Nairobi", "Asia/Dubai", "Asia/Kolkata", "Asia/Bangkok", "Asia/Singapore", "Asia/Manila",
	"Asia/Shanghai", "Asia/Tokyo", "Asia/Seoul", "Australia/Perth", "Australia/Sydney", "Pacific/Auckland",
	"America/St_Johns", "America/Halifax", "America/New_York", "America/Chicago", "America/Denver",
	"America/Phoenix", "America/Los_Angeles", "America/Anchorage", "Pacific/Honolulu", "America/Mexico_City",
	"America/Bogota", "America/Sao_Paulo", "America/Argentina/Buenos_Aires", "America/Santiago"}

type sessionFormData struct {
	Place       *groups.Place
	Durations   []int
	TimeZones   []string
	Recurrences []kindred.Recurrence
	// FillZone lets the script put in the browser's zone: the form is
	// fresh and the zone is only the server's default.
	FillZone bool
}

func (s *Server) sessionFormPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	p, err := s.svc.Groups.Get(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	// Schedule says the same when the form is sent; the form itself is
	// not shown to people who could not send it.
	if !p.Can(access.ManageGroup) || p.Subject.Account.SuspendedAt != nil {
		s.fail(w, r, kindred.Errorf(kindred.EFORBIDDEN, "Only the group's facilitators can schedule sessions."), p.Org)
		return
	}
	d := sessionFormData{Place: p, Durations: durations, TimeZones: timeZones, Recurrences: kindred.Recurrences}
	if f == nil {
		f = newForm(r, nil)
		f.Values.Set("duration", "60")
		f.Values.Set("time_zone", "UTC")
		f.Values.Set("recurrence", string(kindred.RecurNone))
		f.Values.Set("capacity", "0")
		d.FillZone = true
	}
	s.render(w, r, status, "session_new", &page{Title: "Schedule a session · " + p.Group.Name, Org: p.Org, Form: f, Data: d})
}

func (s *Server) handleSessionNewForm(w http.ResponseWriter, r *http.Request) {
	s.sessionFormPage(w, r, http.StatusOK, nil)
}

func (s *Server) handleSessionCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	d := kindred.GroupSessionDraft{Title: r.PostFormValue("title"), Agenda: r.PostFormValue("agenda"),
		Date: r.PostFormValue("date"), Time: r.PostFormValue("time"), TimeZone: r.PostFormValue("time_zone"),
		Recurrence: kindred.Recurrence(r.PostFormValue("recurrence")), Until: r.PostFormValue("until")}
	minutes, err := strconv.Atoi(trimmed(r, "duration"))
	if err == nil {
		d.Duration = time.Duration(minutes) * time.Minute
	}
	if c := trimmed(r, "capacity"); c != "" {
		if d.Capacity, err = strconv.Atoi(c); err != nil {
			d.Capacity = -1 // let validation explain a value that is not a number
		}
	}
	p, sess, err := s.svc.Live.Schedule(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), d)
	if s.formFailed(w, r, err, func(st int, f *form) { s.sessionFormPage(w, r, st, f) }) {
		return
	}
	s.flash(w, "The session is on the schedule. Members can see it and say whether they're coming.")
	http.Redirect(w, r, sessionURL(p, sess.ID), http.StatusSeeOther)
}

// The session page.

type sessionData struct {
	Place          *groups.Place
	Session        sessionRow
	AgendaHTML     template.HTML
	AgreementsHTML template.HTML
	State          live.RoomState
	CanManage      bool
	CanEnter       bool
	// Back is the room of the current meeting, when the person is in it.
	Back string
	// Problem is why an answer (going or not) was not saved.
	Problem string
}

// sessionPage renders the session page; f carries the entry form's
// problems, problem an answer's.
func (s *Server) sessionPage(w http.ResponseWriter, r *http.Request, status int, f *form, problem string) {
	v, err := s.svc.Live.Session(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), r.PathValue("session"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
	}
	d := sessionData{Place: v.Place, Session: newSessionRow(v.Place, v.SessionView, s.now()),
		AgendaHTML:     template.HTML(v.AgendaHTML),     // sanitized by internal/markup
		AgreementsHTML: template.HTML(v.AgreementsHTML), // sanitized by internal/markup
		State:          v.State, CanManage: v.CanManage, CanEnter: v.CanEnter, Problem: problem}
	if v.Room != nil && v.Me != nil && v.Me.AgreedAt != nil && !v.Me.Removed() && v.State != live.StateEnded {
		d.Back = roomURL(v.Room.ID)
	}
	s.render(w, r, status, "session", &page{Title: v.Session.Title + " · " + v.Place.Group.Name, Org: v.Place.Org, Form: f, Data: d})
}

func (s *Server) handleSession(w http.ResponseWriter, r *http.Request) {
	s.sessionPage(w, r, http.StatusOK, nil, "")
}

func (s *Server) handleSessionRSVP(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	org, group, id := r.PathValue("org"), r.PathValue("group"), r.PathValue("session")
	unix, err := strconv.ParseInt(trimmed(r, "meeting"), 10, 64)
	meeting := time.Unix(unix, 0)
	if err != nil {
		meeting = time.Time{} // not a meeting: the service says so kindly
	}
	going := r.PostFormValue("going") == "yes"
	err = s.svc.Live.RSVP(r.Context(), actorOf(r), org, group, id, meeting, going)
	switch kindred.ErrorCode(err) {
	case "":
	case kindred.EINVALID, kindred.ECONFLICT:
		msg := kindred.ErrorMessage(err)
		if f := kindred.ErrorFields(err); f["meeting"] != "" {
			msg = f["meeting"]
		}
		s.sessionPage(w, r, StatusFor(err), nil, msg)
		return
	default:
		s.fail(w, r, err, nil)
		return
	}
	if going {
		s.flash(w, "Thanks for letting us know you're coming.")
	} else {
		s.flash(w, "Thanks for letting us know. We'll miss you; come whenever you can.")
	}
	to := "/o/" + org + "/g/" + group + "/sessions"
	if r.PostFormValue("from") == "list" {
		to += "#s-" + id
	} else {
		to += "/" + id + "#meetings"
	}
	http.Redirect(w, r, to, http.StatusSeeOther)
}

func (s *Server) handleSessionEnter(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	v, err := s.svc.Live.Enter(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), r.PathValue("session"),
		live.EnterOptions{Agree: r.PostFormValue("agree") != "", Anonymous: r.PostFormValue("anonymous") != ""})
	switch kindred.ErrorCode(err) {
	case "":
	case kindred.EINVALID, kindred.ECONFLICT:
		s.sessionPage(w, r, StatusFor(err), newForm(r, err), "")
		return
	default:
		s.fail(w, r, err, nil)
		return
	}
	http.Redirect(w, r, roomURL(v.Room.ID)+"#latest", http.StatusSeeOther)
}

func (s *Server) handleSessionCancel(w http.ResponseWriter, r *http.Request) {
	p, err := s.svc.Live.CancelSession(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), r.PathValue("session"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "The session is cancelled. Anyone in its room was told.")
	http.Redirect(w, r, sessionsURL(p), http.StatusSeeOther)
}

// Calendars.

func (s *Server) handleSessionsCalendar(w http.ResponseWriter, r *http.Request) {
	s.calendar(w, r, "")
}

func (s *Server) handleSessionCalendar(w http.ResponseWriter, r *http.Request) {
	s.calendar(w, r, r.PathValue("session"))
}

// calendar answers an iCalendar file. The file name is neutral on
// purpose: a download list is one more place a group's name could out
// someone.
func (s *Server) calendar(w http.ResponseWriter, r *http.Request, sessionID string) {
	p, list, err := s.svc.Live.Calendar(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"), sessionID)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	name, file := p.Group.Name+" · live sessions", "kindred-sessions.ics"
	if sessionID != "" && len(list) == 1 {
		name, file = list[0].Title+" · "+p.Group.Name, "kindred-session.ics"
	}
	cal, err := s.apiCalendarOf(r, p, name, list, file) // the same file the API serves
	if err != nil {
		s.fail(w, r, err, p.Org)
		return
	}
	h := w.Header()
	h.Set("Content-Type", cal.ContentType)
	h.Set("Content-Disposition", cal.ContentDisposition)
	h.Set("Cache-Control", "no-store")
	_, _ = w.Write(cal.Body)
}

// siteURL is an absolute link on this site, from the request's own host.
func siteURL(r *http.Request, path string) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host + path
}

// The room.

type messageRow struct {
	Seq                    int64
	Notice, Removed, Mine  bool
	Author, Text           string
	HTML                   template.HTML
	Clock, ISO, TimeTitle  string
	Failed                 bool // the remove form sent back with a problem
	RemoveAction, ReasonID string
	// ReportURL is the message's report page (pages_moderation.go); empty
	// for one's own messages, notices and removed ones.
	ReportURL string
}

type personRow struct {
	Number     int
	Name       string
	Me         bool
	Removed    bool
	MutedUntil string
	// Failed names the form sent back with a problem: "mute" or "remove".
	Failed string
	// BlockURL and MuteURL are the person's block and mute pages; empty
	// for oneself and for anonymous peers (pages_blocks.go).
	BlockURL, MuteURL string
	// ReportURL is the person's report page (pages_moderation.go), set
	// with BlockURL.
	ReportURL string
}

type roomData struct {
	ID, Title string
	Session   bool
	State     live.RoomState
	// StateText says the state in a sentence, and the Open/Waiting/Ended
	// texts are what the script shows when it changes.
	StateText, OpenText, WaitingText, EndedText string

	Org                 *kindred.Organization
	Group               *kindred.Group
	SessionTitle        string
	SessionURL          string
	LeaveURL, LeaveText string
	// SupportURL is the request page of a 1:1 support conversation, where
	// it is ended (with feedback and a debrief) rather than here.
	SupportURL string

	Messages []messageRow
	Earlier  int64 // scroll back before this seq; 0: nothing older
	Older    bool  // this page is scrolled back: newer messages exist
	After    int64 // the last seq on the page, where the script resumes
	People   []personRow

	Me          int
	CanModerate bool
	CanEnd      bool
	CanSend     bool // now
	MayPost     bool // once the room is open and nobody has paused them
	MutedUntil  string
	MutedISO    string
	Nonce       string
	// Failed names the form sent back with a problem: "send", "end", or
	// a moderation form ("m-<seq>", "p-<n>-mute", "p-<n>-remove").
	Failed string
	// Crisis is the crisis lines the sender sees, privately, after writing
	// crisis language: shown at once after a plain form post (CrisisShown),
	// and by the script when the socket's acknowledgement says so.
	Crisis      []supportResourceRow
	CrisisShown bool
}

// mayPost reports whether the person could send once the room is open and
// any pause is over; the service's own rule decides.
func mayPost(v *live.RoomView, now time.Time) bool {
	open := *v
	open.State = live.StateOpen
	if v.Me != nil {
		me := *v.Me
		me.MutedUntil = nil
		open.Me = &me
	}
	return open.CanSend(now)
}

// roomPage renders the room: the newest messages, or with ?before= the
// ones before that seq. failed names the form f belongs to.
func (s *Server) roomPage(w http.ResponseWriter, r *http.Request, status int, f *form, failed string) {
	actor, id := actorOf(r), r.PathValue("room")
	var filter kindred.ChatFilter
	if b, err := strconv.ParseInt(r.URL.Query().Get("before"), 10, 64); err == nil && b > 0 && r.Method == http.MethodGet {
		filter.Before = b
	}
	h, err := s.svc.Live.Messages(r.Context(), actor, id, filter)
	if err != nil {
		s.fail(w, r, err, nil) // rooms one is not in look like rooms that do not exist
		return
	}
	people, err := s.svc.Live.People(r.Context(), actor, id)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
	}
	if f.Get("nonce") == "" {
		f.Values.Set("nonce", kindred.NewID())
	}
	now := s.now()
	v := h.Room
	loc, zone := time.UTC, "UTC"
	if v.Session != nil {
		loc, zone = v.Session.Location(), zoneName(v.Session.TimeZone)
	}
	clock := func(t time.Time) string { return t.In(loc).Format("15:04") }
	d := &roomData{ID: v.Room.ID, Title: v.Title, Session: v.Room.Kind == kindred.RoomSession, State: v.State,
		Org: v.Org, Group: v.Group, Earlier: h.Earlier, Older: filter.Before > 0, After: v.Room.LastSeq, Me: v.Me.Number,
		CanModerate: v.CanModerate, CanSend: v.CanSend(now), MayPost: mayPost(v, now), Nonce: f.Get("nonce"), Failed: failed}
	d.Crisis, d.CrisisShown = s.crisisLinesFor(r.Context(), v.Org), s.takeCrisis(w, r)
	if d.Session {
		d.SessionTitle = v.Session.Title
		d.SessionURL = "/o/" + v.Org.Slug + "/g/" + v.Group.Slug + "/sessions/" + v.Session.ID
		d.LeaveURL, d.LeaveText = d.SessionURL, "Leave the room"
		d.CanEnd = v.CanModerate
		d.OpenText = "Open now. The meeting ends at " + clock(v.Room.Ends) + " (" + zone + ")."
		d.WaitingText = "The room opens at " + clock(v.Room.Occurrence) + " (" + zone + ") or when a facilitator arrives."
		d.EndedText = "This meeting has ended. Thank you for being here."
	} else {
		d.LeaveURL, d.LeaveText = conversationsURL(v.Org), "Leave the conversation"
		d.CanEnd = true // either person may end a conversation
		if v.Room.Purpose == kindred.PurposeSupport && s.svc.Support != nil {
			if org, req, err := s.svc.Support.RequestForRoom(r.Context(), actorOf(r), v.Room.ID); err == nil {
				d.SupportURL = "/o/" + org + "/support/requests/" + req
				d.CanEnd = false // ending goes through the request, which asks for feedback and a debrief
			}
		}
		d.EndedText = "This conversation has ended. You can still read it."
	}
	switch v.State {
	case live.StateOpen:
		d.StateText = d.OpenText
	case live.StateWaiting:
		d.StateText = d.WaitingText
	case live.StateEnded:
		d.StateText = d.EndedText
	}
	if until := v.MutedUntil(now); until != nil {
		d.MutedUntil, d.MutedISO = clock(*until)+" ("+zone+")", until.UTC().Format(time.RFC3339)
	}
	for _, m := range h.Messages {
		row := messageRow{Seq: m.Seq, Notice: m.Kind == kindred.MessageNotice, Removed: m.Removed, Mine: m.Mine,
			Author: m.Author, Text: m.Text, HTML: template.HTML(m.HTML), // sanitized by internal/markup when sent
			Clock: clock(m.At), ISO: m.At.UTC().Format(time.RFC3339),
			TimeTitle:    m.At.In(loc).Format("2 January 2006, 15:04") + " (" + zone + ")",
			RemoveAction: roomURL(v.Room.ID) + "/messages/" + strconv.FormatInt(m.Seq, 10) + "/remove",
			ReasonID:     "reason-m-" + strconv.FormatInt(m.Seq, 10)}
		if failed == "m-"+strconv.FormatInt(m.Seq, 10) {
			row.Failed, row.ReasonID = true, "f-reason" // where the error summary links
		}
		if !row.Notice && !row.Removed && !row.Mine {
			row.ReportURL = roomURL(v.Room.ID) + "/messages/" + strconv.FormatInt(m.Seq, 10) + "/report"
		}
		d.Messages = append(d.Messages, row)
		d.After = max(d.After, m.Seq)
	}
	if d.Older && len(h.Messages) > 0 {
		d.After = h.Messages[len(h.Messages)-1].Seq // the script carries on from this page
	}
	for _, p := range people {
		row := personRow{Number: p.Number, Name: p.Name, Me: p.Me, Removed: p.Removed}
		if p.AccountID != "" && !p.Me {
			row.BlockURL = personURL(v.Org.Slug, p.AccountID, "block", roomURL(v.Room.ID))
			row.MuteURL = personURL(v.Org.Slug, p.AccountID, "mute", roomURL(v.Room.ID))
			row.ReportURL = personURL(v.Org.Slug, p.AccountID, "report", "")
		}
		if p.MutedUntil != nil {
			row.MutedUntil = clock(*p.MutedUntil) + " (" + zone + ")"
		}
		if prefix := "p-" + strconv.Itoa(p.Number) + "-"; strings.HasPrefix(failed, prefix) {
			row.Failed = strings.TrimPrefix(failed, prefix)
		}
		d.People = append(d.People, row)
	}
	s.render(w, r, status, "room", &page{Title: v.Title, Org: v.Org, Form: f, Data: d})
}

func (s *Server) handleRoom(w http.ResponseWriter, r *http.Request) {
	s.roomPage(w, r, http.StatusOK, nil, "")
}

// roomFailed handles the outcome of a form on the room page: problems the
// person can fix, or that are about this room's rules (paused, not open
// yet, ended), re-render the room with what they typed; not being in the
// room, or not being signed in, is the usual error page.
func (s *Server) roomFailed(w http.ResponseWriter, r *http.Request, err error, failed string) bool {
	switch kindred.ErrorCode(err) {
	case "":
		return false
	case kindred.EINVALID, kindred.ERATELIMIT, kindred.EFORBIDDEN, kindred.ECONFLICT:
		s.roomPage(w, r, StatusFor(err), newForm(r, err), failed)
	default:
		s.fail(w, r, err, nil)
	}
	return true
}

func (s *Server) handleRoomSend(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("room")
	m, err := s.svc.Live.Send(r.Context(), actorOf(r), id, kindred.ChatDraft{Body: r.PostFormValue("body"), Nonce: r.PostFormValue("nonce")})
	if s.roomFailed(w, r, err, "send") {
		return
	}
	if m.Crisis {
		s.noteCrisis(w) // the room page shows the sender crisis lines (pages_moderation.go)
	}
	http.Redirect(w, r, roomURL(id)+"#latest", http.StatusSeeOther)
}

func (s *Server) handleRoomRemoveMessage(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("room")
	seq, err := strconv.ParseInt(r.PathValue("seq"), 10, 64)
	if err != nil {
		s.fail(w, r, kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that message."), nil)
		return
	}
	err = s.svc.Live.RemoveMessage(r.Context(), actorOf(r), id, seq, r.PostFormValue("reason"))
	if s.roomFailed(w, r, err, "m-"+strconv.FormatInt(seq, 10)) {
		return
	}
	s.flash(w, "The message is removed. The reason is kept in the audit log.")
	http.Redirect(w, r, roomURL(id)+"#latest", http.StatusSeeOther)
}

// personNumber reads {n}, a person's number in the room.
func (s *Server) personNumber(w http.ResponseWriter, r *http.Request) (int, bool) {
	n, err := strconv.Atoi(r.PathValue("n"))
	if err != nil || n < 1 {
		s.fail(w, r, kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that person in this room."), nil)
		return 0, false
	}
	return n, true
}

func (s *Server) handleRoomMute(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("room")
	n, ok := s.personNumber(w, r)
	if !ok {
		return
	}
	minutes, err := strconv.Atoi(trimmed(r, "minutes"))
	if err != nil {
		minutes = 0 // the service explains the range
	}
	err = s.svc.Live.Mute(r.Context(), actorOf(r), id, n, time.Duration(minutes)*time.Minute)
	if s.roomFailed(w, r, err, "p-"+strconv.Itoa(n)+"-mute") {
		return
	}
	s.flash(w, "Their messages are paused for "+plural(minutes, "minute")+". They can still read along.")
	http.Redirect(w, r, roomURL(id)+"#people", http.StatusSeeOther)
}

func (s *Server) handleRoomRemovePerson(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("room")
	n, ok := s.personNumber(w, r)
	if !ok {
		return
	}
	err := s.svc.Live.RemovePerson(r.Context(), actorOf(r), id, n, r.PostFormValue("reason"))
	if s.roomFailed(w, r, err, "p-"+strconv.Itoa(n)+"-remove") {
		return
	}
	s.flash(w, "They have left the room and can't come back to this meeting. The reason is kept in the audit log.")
	http.Redirect(w, r, roomURL(id)+"#people", http.StatusSeeOther)
}

func (s *Server) handleRoomEnd(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("room")
	err := s.svc.Live.End(r.Context(), actorOf(r), id)
	if s.roomFailed(w, r, err, "end") {
		return
	}
	s.flash(w, "It has ended. Everyone in the room was told; what was said stays readable here.")
	http.Redirect(w, r, roomURL(id)+"#latest", http.StatusSeeOther)
}

// Conversations.

type conversationRow struct {
	URL, With     string
	Support       bool
	Ended         bool
	Last, LastISO string
}

type conversationsData struct {
	Org  *kindred.Organization
	List []conversationRow
}

func (s *Server) conversationsPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	o, list, err := s.svc.Live.Conversations(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
	}
	now := s.now()
	d := conversationsData{Org: o}
	for _, c := range list {
		row := conversationRow{URL: roomURL(c.Room.ID), With: c.With, Support: c.Support, Ended: c.Ended}
		if c.LastMessage != nil {
			row.Last, row.LastISO = ago(now, *c.LastMessage), c.LastMessage.UTC().Format(time.RFC3339)
		}
		d.List = append(d.List, row)
	}
	s.render(w, r, status, "conversations", &page{Title: "Messages · " + o.Name, Org: o, Form: f, Data: d})
}

func (s *Server) handleConversations(w http.ResponseWriter, r *http.Request) {
	s.conversationsPage(w, r, http.StatusOK, nil)
}

func (s *Server) handleConversationOpen(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	room, err := s.svc.Live.OpenConversation(r.Context(), actorOf(r), r.PathValue("org"), r.PostFormValue("handle"))
	if s.formFailed(w, r, err, func(st int, f *form) { s.conversationsPage(w, r, st, f) }) {
		return
	}
	http.Redirect(w, r, roomURL(room.ID)+"#latest", http.StatusSeeOther)
}
