package web

// The live API: group sessions (scheduling, answers, entering, calendars),
// the rooms people entered (history, sending, the people in it and the
// facilitator tools) and 1:1 conversations. The WebSocket at /api/v1/live
// (live_socket.go) is a plain route; it is described in the OpenAPI
// document here, with the frames it carries.

import (
	"bytes"
	"context"
	"net/http"
	"reflect"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
	"kindred/internal/groups"
	"kindred/internal/ical"
	"kindred/internal/live"
)

type apiSessionPath struct {
	Org     string `path:"org" doc:"The organisation's slug."`
	Group   string `path:"group" doc:"The group's slug."`
	Session string `path:"session" doc:"The session's id."`
}

type apiSessionScheduleInput struct {
	Org   string `path:"org" doc:"The organisation's slug."`
	Group string `path:"group" doc:"The group's slug."`
	Body  struct {
		Title           string             `json:"title" maxLength:"120"`
		Agenda          string             `json:"agenda,omitempty" maxLength:"4000" doc:"Markdown."`
		Date            string             `json:"date" maxLength:"10" example:"2026-12-01" doc:"The first meeting's date in time_zone, as year-month-day."`
		Time            string             `json:"time" maxLength:"5" example:"18:30" doc:"The first meeting's start in time_zone, as hours:minutes on a 24-hour clock."`
		DurationMinutes int                `json:"duration_minutes" minimum:"15" maximum:"240" doc:"How long each meeting lasts: 15 minutes to 4 hours."`
		TimeZone        string             `json:"time_zone" maxLength:"64" example:"Europe/London" doc:"The IANA time zone the session runs in."`
		Recurrence      kindred.Recurrence `json:"recurrence,omitempty" enum:"none,weekly,fortnightly,monthly" doc:"Default: none. monthly repeats on the same weekday of the month (\"the second Tuesday\"); a session on the fifth such weekday repeats on the last one."`
		Until           string             `json:"until,omitempty" maxLength:"10" example:"2027-06-30" doc:"Repeating sessions: the last day a meeting may start, as year-month-day in time_zone. Left out: until cancelled."`
		Capacity        int                `json:"capacity,omitempty" minimum:"0" maximum:"500" doc:"How many people may come to one meeting; 0 (the default) means no limit."`
	}
}

type apiRSVPInput struct {
	Org     string `path:"org" doc:"The organisation's slug."`
	Group   string `path:"group" doc:"The group's slug."`
	Session string `path:"session" doc:"The session's id."`
	Body    struct {
		Meeting time.Time `json:"meeting" doc:"The meeting's start, as listed in the session's upcoming meetings."`
		Going   bool      `json:"going" doc:"true: you are coming; false: you are not (or no longer)."`
	}
}

type apiEnterInput struct {
	Org     string `path:"org" doc:"The organisation's slug."`
	Group   string `path:"group" doc:"The group's slug."`
	Session string `path:"session" doc:"The session's id."`
	Body    struct {
		Agree     bool `json:"agree" doc:"You read the group's agreements (getGroupSession) and will keep them. Required to be true."`
		Anonymous bool `json:"anonymous,omitempty" doc:"Be shown as \"Anonymous peer N\" in the room. Facilitators and moderators are always named."`
	}
}

type apiSessionCalendarInput struct {
	apiRequest
	Org     string `path:"org" doc:"The organisation's slug."`
	Group   string `path:"group" doc:"The group's slug."`
	Session string `path:"session" doc:"The session's id."`
}

type apiGroupCalendarInput struct {
	apiRequest
	Org   string `path:"org" doc:"The organisation's slug."`
	Group string `path:"group" doc:"The group's slug."`
}

// apiCalendar is an iCalendar file.
type apiCalendar struct {
	ContentType        string `header:"Content-Type" hidden:"true"`
	ContentDisposition string `header:"Content-Disposition" doc:"A neutral file name, so that a download does not say which group it is for."`
	Body               []byte
}

type apiRoomPath struct {
	Room string `path:"room" doc:"The room's id."`
}

type apiChatMessagesInput struct {
	Room   string `path:"room" doc:"The room's id."`
	Before int64  `query:"before" minimum:"0" doc:"Messages before this seq (scrolling back): the newest limit of them."`
	After  int64  `query:"after" minimum:"0" doc:"Messages after this seq (catching up): the oldest limit of them."`
	Limit  int    `query:"limit" minimum:"1" maximum:"50" default:"50" doc:"At most this many."`
}

type apiChatSendInput struct {
	Room string `path:"room" doc:"The room's id."`
	Body struct {
		Body  string `json:"body" maxLength:"2000" doc:"Markdown, up to 2,000 characters."`
		Nonce string `json:"nonce,omitempty" maxLength:"64" doc:"Your own id for the message. Sending the same nonce again (a retry after a lost answer) stores it once and returns the first message."`
	}
}

type apiChatRemoveInput struct {
	Room string `path:"room" doc:"The room's id."`
	Seq  int64  `path:"seq" minimum:"1" doc:"The message's seq."`
	Body struct {
		Reason string `json:"reason" maxLength:"300" doc:"Why, for the audit log. Nobody in the room sees it."`
	}
}

type apiRoomPersonMuteInput struct {
	Room string `path:"room" doc:"The room's id."`
	N    int    `path:"n" minimum:"1" doc:"The person's number in the room."`
	Body struct {
		Minutes int `json:"minutes" minimum:"1" maximum:"1440" doc:"For how long: 1 minute to 24 hours."`
	}
}

type apiRoomPersonRemoveInput struct {
	Room string `path:"room" doc:"The room's id."`
	N    int    `path:"n" minimum:"1" doc:"The person's number in the room."`
	Body struct {
		Reason string `json:"reason" maxLength:"300" doc:"Why, for the audit log. Nobody in the room sees it."`
	}
}

type apiConversationOpenInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body struct {
		Handle string `json:"handle" maxLength:"31" doc:"The other member's handle, with or without the @."`
	}
}

func (s *Server) registerLiveAPI(api huma.API) {
	sessions := []string{"Sessions"}
	chat := []string{"Chat"}
	const base = "/organizations/{org}/groups/{group}/sessions"
	const one = base + "/{session}"
	const room = "/rooms/{room}"
	conflict := []int{http.StatusConflict}

	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listGroupSessions", Method: http.MethodGet, Path: base,
		Summary: "A group's sessions", Description: "For whoever can read the group: its scheduled live sessions, the soonest first, each with its next meetings.",
		Tags: sessions}, s.apiListGroupSessions)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "scheduleGroupSession", Method: http.MethodPost, Path: base,
		Summary: "Schedule a session", Description: "For the group's facilitators and the organisation's admins. A session meets once or repeats; " +
			"date and time are wall-clock values in time_zone, and every repeat keeps that wall-clock time.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: apiLargeBody, Tags: sessions}, s.apiScheduleGroupSession)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getGroupSession", Method: http.MethodGet, Path: one,
		Summary: "One session", Description: "With the group's agreements, the state of the meeting in progress or next, and whether you may enter it.",
		Tags: sessions}, s.apiGetGroupSession)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "rsvpGroupSession", Method: http.MethodPut, Path: one + "/rsvp",
		Summary: "Say whether you are coming to a meeting", Description: "For the group's members. A full meeting answers 409; you can still come to another one.",
		Tags: sessions, Errors: conflict}, s.apiRSVPGroupSession)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "cancelGroupSession", Method: http.MethodDelete, Path: one,
		Summary: "Cancel a session", Description: "For the group's facilitators and the organisation's admins. Calls off the whole series; " +
			"a meeting in progress ends and its room is told. Audited.",
		Tags: sessions}, s.apiCancelGroupSession)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "enterGroupSession", Method: http.MethodPost, Path: one + "/enter",
		Summary: "Enter a meeting's room", Description: "For the group's members, and the organisation's moderators and admins, from an hour before " +
			"the meeting until it ends, once you accept the group's agreements (agree: true). A facilitator entering early opens the room. " +
			"Answers the room; then connect to it with connectLive. Entering again changes only whether you are anonymous.",
		Tags: sessions, Errors: conflict}, s.apiEnterGroupSession)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getSessionCalendar", Method: http.MethodGet, Path: one + "/calendar.ics",
		Summary: "A session as an iCalendar file", Description: "For adding the session, with its repeats, to a calendar app (RFC 5545). Events are marked private.",
		Tags: sessions, Responses: apiCalendarResponses()}, s.apiSessionCalendar)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getGroupCalendar", Method: http.MethodGet,
		Path: "/organizations/{org}/groups/{group}/sessions.ics", Summary: "A group's sessions as an iCalendar file",
		Description: "Every session of the group that is not cancelled, for a calendar app (RFC 5545). Events are marked private.",
		Tags:        sessions, Responses: apiCalendarResponses()}, s.apiGroupCalendar)

	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getRoom", Method: http.MethodGet, Path: room,
		Summary: "A room you are in", Description: "A session's meeting room you entered, or one of your conversations. " +
			"Any other room answers 404, exactly like one that does not exist.", Tags: chat}, s.apiGetRoom)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listChatMessages", Method: http.MethodGet, Path: room + "/messages",
		Summary: "A room's messages", Description: "With neither before nor after: the newest page. Messages are numbered by seq with no gaps; " +
			"a client that keeps the highest seq it has seen can always catch up with after.", Tags: chat}, s.apiListChatMessages)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "sendChatMessage", Method: http.MethodPost, Path: room + "/messages",
		Summary: "Send a message", Description: "While the room is open. Everyone connected to the room receives it at once. " +
			"A client with a live connection sends a send frame instead.",
		DefaultStatus: http.StatusCreated, Tags: chat, Errors: []int{http.StatusConflict, http.StatusTooManyRequests}}, s.apiSendChatMessage)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "removeChatMessage", Method: http.MethodPost, Path: room + "/messages/{seq}/remove",
		Summary: "Remove a message", Description: "Facilitator tool: takes the message out of the room for everyone. The room is told that a " +
			"facilitator removed a message; the reason goes to the audit log. Removing it again does nothing.", Tags: chat}, s.apiRemoveChatMessage)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listRoomPeople", Method: http.MethodGet, Path: room + "/people",
		Summary: "Who entered a room", Description: "By their number in the room and the name it shows them by.", Tags: chat}, s.apiListRoomPeople)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "muteRoomMember", Method: http.MethodPost, Path: room + "/people/{n}/mute",
		Summary: "Pause someone's messages", Description: "Facilitator tool: they can still read along. The room is told. Audited.", Tags: chat}, s.apiMuteRoomMember)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "removeRoomMember", Method: http.MethodPost, Path: room + "/people/{n}/remove",
		Summary: "Ask someone to leave the meeting", Description: "Facilitator tool: their connections close at once and they cannot come back " +
			"to this meeting. The room is told; the reason goes to the audit log.", Tags: chat}, s.apiRemoveRoomMember)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "endRoom", Method: http.MethodPost, Path: room + "/end",
		Summary: "End a meeting or a conversation", Description: "A session's facilitators end its meeting early; either person ends a " +
			"conversation. The history stays readable.", Tags: chat}, s.apiEndRoom)

	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listConversations", Method: http.MethodGet, Path: "/organizations/{org}/conversations",
		Summary: "Your conversations", Description: "Your 1:1 conversations in the organisation.", Tags: chat}, s.apiListConversations)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "openConversation", Method: http.MethodPost, Path: "/organizations/{org}/conversations",
		Summary: "Start a conversation", Description: "With another member of the organisation, by handle; the same two people always have " +
			"the same conversation, which opens again if it was ended. Every reason it cannot start (no such member, a block, " +
			"an adult and someone aged 13–17) gets the same answer.", Tags: chat}, s.apiOpenConversation)

	documentLive(api)
}

func (s *Server) apiListGroupSessions(ctx context.Context, in *apiGroupPath) (*apiOut[apiGroupSessionList], error) {
	_, list, err := s.svc.Live.Sessions(ctx, kindred.ActorFrom(ctx), in.Org, in.Group)
	if err != nil {
		return nil, err
	}
	out := apiGroupSessionList{Sessions: make([]APIGroupSession, 0, len(list))}
	for _, v := range list {
		out.Sessions = append(out.Sessions, apiGroupSessionOf(v))
	}
	return apiBody(out), nil
}

func (s *Server) apiScheduleGroupSession(ctx context.Context, in *apiSessionScheduleInput) (*apiOut[APIGroupSession], error) {
	b := in.Body
	_, sess, err := s.svc.Live.Schedule(ctx, kindred.ActorFrom(ctx), in.Org, in.Group, kindred.GroupSessionDraft{Title: b.Title,
		Agenda: b.Agenda, Date: b.Date, Time: b.Time, Duration: time.Duration(b.DurationMinutes) * time.Minute,
		TimeZone: b.TimeZone, Recurrence: b.Recurrence, Until: b.Until, Capacity: b.Capacity})
	if err != nil {
		return nil, apiRenameField(err, "duration", "duration_minutes")
	}
	// A new session has no answers yet, so its view needs nothing more
	// from the store.
	now := s.now()
	v := &live.SessionView{Session: sess, Describe: sess.Recurrence.Describe(sess.Start.In(sess.Location())),
		AgendaHTML: s.svc.Markup.Render(sess.Agenda)}
	for _, st := range sess.Meetings(now, now.AddDate(2, 0, 0), live.UpcomingMeetings) {
		v.Upcoming = append(v.Upcoming, live.Meeting{Start: st, End: st.Add(sess.Duration)})
	}
	return apiBody(apiGroupSessionOf(v)), nil
}

// apiRenameField gives a service's field error the name the API's body
// uses for that field.
func apiRenameField(err error, from, to string) error {
	fields := kindred.ErrorFields(err)
	if _, ok := fields[from]; !ok || kindred.ErrorCode(err) != kindred.EINVALID {
		return err
	}
	v := kindred.Invalid{}
	for name, msg := range fields {
		if name == from {
			name = to
		}
		v[name] = msg
	}
	return v.Err()
}

func (s *Server) apiGetGroupSession(ctx context.Context, in *apiSessionPath) (*apiOut[apiGroupSessionDetail], error) {
	p, err := s.svc.Live.Session(ctx, kindred.ActorFrom(ctx), in.Org, in.Group, in.Session)
	if err != nil {
		return nil, err
	}
	return apiBody(apiGroupSessionDetailOf(p)), nil
}

func (s *Server) apiRSVPGroupSession(ctx context.Context, in *apiRSVPInput) (*struct{}, error) {
	if err := s.svc.Live.RSVP(ctx, kindred.ActorFrom(ctx), in.Org, in.Group, in.Session, in.Body.Meeting, in.Body.Going); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Server) apiCancelGroupSession(ctx context.Context, in *apiSessionPath) (*struct{}, error) {
	if _, err := s.svc.Live.CancelSession(ctx, kindred.ActorFrom(ctx), in.Org, in.Group, in.Session); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Server) apiEnterGroupSession(ctx context.Context, in *apiEnterInput) (*apiOut[apiRoom], error) {
	v, err := s.svc.Live.Enter(ctx, kindred.ActorFrom(ctx), in.Org, in.Group, in.Session,
		live.EnterOptions{Agree: in.Body.Agree, Anonymous: in.Body.Anonymous})
	if err != nil {
		return nil, err
	}
	return apiBody(apiRoomOf(v, s.now())), nil
}

// apiCalendarResponses documents an iCalendar answer; huma would otherwise
// describe the []byte body as JSON.
func apiCalendarResponses() map[string]*huma.Response {
	return map[string]*huma.Response{"200": {Description: "An iCalendar (RFC 5545) file.",
		Content: map[string]*huma.MediaType{"text/calendar": {Schema: &huma.Schema{Type: huma.TypeString,
			Description: "BEGIN:VCALENDAR … END:VCALENDAR, one VEVENT per session with its repeat rule, and a VTIMEZONE for each time zone used."}}}}}
}

func (s *Server) apiSessionCalendar(ctx context.Context, in *apiSessionCalendarInput) (*apiCalendar, error) {
	p, list, err := s.svc.Live.Calendar(ctx, kindred.ActorFrom(ctx), in.Org, in.Group, in.Session)
	if err != nil {
		return nil, err
	}
	name := p.Group.Name + " · live sessions"
	if len(list) == 1 {
		name = list[0].Title + " · " + p.Group.Name
	}
	return s.apiCalendarOf(in.r, p, name, list, "kindred-session.ics")
}

func (s *Server) apiGroupCalendar(ctx context.Context, in *apiGroupCalendarInput) (*apiCalendar, error) {
	p, list, err := s.svc.Live.Calendar(ctx, kindred.ActorFrom(ctx), in.Org, in.Group, "")
	if err != nil {
		return nil, err
	}
	return s.apiCalendarOf(in.r, p, p.Group.Name+" · live sessions", list, "kindred-sessions.ics")
}

// apiCalendarOf writes the same file as the pages' download (calendar in
// pages_live.go), links included.
func (s *Server) apiCalendarOf(r *http.Request, p *groups.Place, name string, list []*kindred.GroupSession, file string) (*apiCalendar, error) {
	events := make([]ical.Event, 0, len(list))
	for _, sess := range list {
		events = append(events, ical.Event{Session: sess, GroupName: p.Group.Name, OrgName: p.Org.Name,
			URL: siteURL(r, sessionURL(p, sess.ID))})
	}
	var buf bytes.Buffer
	if err := ical.Write(&buf, name, events, s.now()); err != nil {
		return nil, err
	}
	return &apiCalendar{ContentType: "text/calendar; charset=utf-8", ContentDisposition: `attachment; filename="` + file + `"`,
		Body: buf.Bytes()}, nil
}

func (s *Server) apiGetRoom(ctx context.Context, in *apiRoomPath) (*apiOut[apiRoom], error) {
	v, err := s.svc.Live.Room(ctx, kindred.ActorFrom(ctx), in.Room)
	if err != nil {
		return nil, err
	}
	return apiBody(apiRoomOf(v, s.now())), nil
}

func (s *Server) apiListChatMessages(ctx context.Context, in *apiChatMessagesInput) (*apiOut[apiChatHistory], error) {
	h, err := s.svc.Live.Messages(ctx, kindred.ActorFrom(ctx), in.Room, kindred.ChatFilter{Before: in.Before, After: in.After, Limit: in.Limit})
	if err != nil {
		return nil, err
	}
	out := apiChatHistory{Messages: make([]apiChatMessage, 0, len(h.Messages)), Earlier: h.Earlier}
	for _, m := range h.Messages {
		out.Messages = append(out.Messages, apiChatMessageOf(m))
	}
	return apiBody(out), nil
}

func (s *Server) apiSendChatMessage(ctx context.Context, in *apiChatSendInput) (*apiOut[apiChatMessage], error) {
	m, err := s.svc.Live.Send(ctx, kindred.ActorFrom(ctx), in.Room, kindred.ChatDraft{Body: in.Body.Body, Nonce: in.Body.Nonce})
	if err != nil {
		return nil, err
	}
	return apiBody(apiChatMessageOf(m)), nil
}

func (s *Server) apiRemoveChatMessage(ctx context.Context, in *apiChatRemoveInput) (*struct{}, error) {
	if err := s.svc.Live.RemoveMessage(ctx, kindred.ActorFrom(ctx), in.Room, in.Seq, in.Body.Reason); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Server) apiListRoomPeople(ctx context.Context, in *apiRoomPath) (*apiOut[apiRoomPeople], error) {
	people, err := s.svc.Live.People(ctx, kindred.ActorFrom(ctx), in.Room)
	if err != nil {
		return nil, err
	}
	out := apiRoomPeople{People: make([]apiRoomPerson, 0, len(people))}
	for _, p := range people {
		out.People = append(out.People, apiRoomPerson{N: p.Number, Name: p.Name, Me: p.Me, MutedUntil: utcPtr(p.MutedUntil), Removed: p.Removed})
	}
	return apiBody(out), nil
}

func (s *Server) apiMuteRoomMember(ctx context.Context, in *apiRoomPersonMuteInput) (*struct{}, error) {
	if err := s.svc.Live.Mute(ctx, kindred.ActorFrom(ctx), in.Room, in.N, time.Duration(in.Body.Minutes)*time.Minute); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Server) apiRemoveRoomMember(ctx context.Context, in *apiRoomPersonRemoveInput) (*struct{}, error) {
	if err := s.svc.Live.RemovePerson(ctx, kindred.ActorFrom(ctx), in.Room, in.N, in.Body.Reason); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Server) apiEndRoom(ctx context.Context, in *apiRoomPath) (*struct{}, error) {
	if err := s.svc.Live.End(ctx, kindred.ActorFrom(ctx), in.Room); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Server) apiListConversations(ctx context.Context, in *apiOrgPath) (*apiOut[apiConversationList], error) {
	_, list, err := s.svc.Live.Conversations(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	out := apiConversationList{Conversations: make([]apiConversation, 0, len(list))}
	for _, c := range list {
		out.Conversations = append(out.Conversations, apiConversation{Room: c.Room.ID, With: c.With, Support: c.Support,
			Ended: c.Ended, LastMessageAt: utcPtr(c.LastMessage)})
	}
	return apiBody(out), nil
}

func (s *Server) apiOpenConversation(ctx context.Context, in *apiConversationOpenInput) (*apiOut[apiRoom], error) {
	actor := kindred.ActorFrom(ctx)
	r, err := s.svc.Live.OpenConversation(ctx, actor, in.Org, in.Body.Handle)
	if err != nil {
		return nil, err
	}
	// The room as the opener sees it (their number, the other's name).
	v, err := s.svc.Live.Room(ctx, actor, r.ID)
	if err != nil {
		return nil, err
	}
	return apiBody(apiRoomOf(v, s.now())), nil
}

// Close codes of the live connection (live_socket.go's closeLive).
const (
	liveCloseNoReturn = 4403 // removed, no access any more, or signed out: do not reconnect
	liveCloseBehind   = 4008 // fell too far behind: reconnect with after=<last seq>
	liveCloseRestart  = 1001 // going away: the server is restarting; reconnect with after=<last seq>
)

// documentLive describes the WebSocket endpoint in the OpenAPI document:
// the upgrade, its parameters and errors, the frames each way (as schemas,
// listed under x-websocket-messages) and the close codes. It is served by
// handleLive as a plain route, so no huma handler is registered; its
// "GET /api/v1/live" appears once in both Routes() and APIOperations().
func documentLive(api huma.API) {
	oapi := api.OpenAPI()
	reg := oapi.Components.Schemas
	ref := func(v any) *huma.Schema { return reg.Schema(reflect.TypeOf(v), true, "") }
	type frame struct {
		typ    string
		schema *huma.Schema
		doc    string
	}
	server := []frame{
		{live.FrameReady, ref(live.ReadyFrame{}), "First frame on every connection: who you are in the room and its state."},
		{live.FrameMessage, ref(live.MessageFrame{}), "A chat message, numbered by seq."},
		{live.FrameNotice, ref(live.MessageFrame{}), "A message from Kindred to everyone (the room opened or ended, a message or a person was removed), numbered by seq."},
		{live.FramePresence, ref(apiPresenceFrame{}), "Who is connected now; sent whenever it changes."},
		{live.FrameTyping, ref(apiTypingFrame{}), "Someone is typing (at most every three seconds each)."},
		{live.FrameState, ref(apiStateFrame{}), "The room opened or ended."},
		{live.FrameMember, ref(apiMemberFrame{}), "A person's messages were paused or the pause lifted."},
		{live.FrameAck, ref(apiAckFrame{}), "Your send frame was stored as message seq."},
		{live.FrameError, ref(apiErrorFrame{}), "Your last request failed; nonce names the send frame."},
		{live.FrameHistory, ref(apiHistoryFrame{}), "The older messages you asked for."},
		{live.FrameClosing, ref(apiClosingFrame{}), "The last frame before the server closes the connection, and why."},
	}
	client := ref(live.ClientFrame{})
	document := func(name, desc string, types []string, props map[string]string) {
		sch := reg.Map()[name]
		if sch == nil {
			panic("documentLive: no schema " + name) // a renamed type: a build defect
		}
		sch.Description = desc
		if t := sch.Properties["type"]; t != nil && len(types) > 0 {
			t.Enum = nil
			for _, v := range types {
				t.Enum = append(t.Enum, v)
			}
		}
		for p, d := range props {
			if sch.Properties[p] == nil {
				panic("documentLive: no property " + name + "." + p)
			}
			sch.Properties[p].Description = d
		}
	}
	document("ReadyFrame", "The first frame on every connection.", []string{live.FrameReady}, map[string]string{
		"room":         "The room's id.",
		"title":        "What to call the room.",
		"me":           "You in this room.",
		"state":        "waiting, open or ended: messages can be sent while it is open.",
		"opens":        "Session rooms: the meeting's scheduled start.",
		"ends":         "Session rooms: the meeting's scheduled end.",
		"muted_until":  "Until when a facilitator paused your messages, when they did.",
		"can_moderate": "You may use the facilitator tools (the room and people operations).",
		"last_seq":     "The newest message's seq when you connected; the messages up to it follow (all after after=, or the newest page).",
		"earlier":      "Send a history frame with before=earlier for older messages; 0 when there are none.",
	})
	if st := reg.Map()["ReadyFrame"].Properties["state"]; st != nil {
		st.Enum = []any{string(live.StateWaiting), string(live.StateOpen), string(live.StateEnded)}
	}
	document("Me", "You in a room.", nil, map[string]string{
		"n":         "Your number in the room.",
		"name":      "How the room names you, e.g. \"Anonymous peer 3\".",
		"anonymous": "You entered anonymously.",
	})
	document("MessageFrame", "A message (type message) or a notice from Kindred (type notice). Keep the highest seq you have seen; "+
		"ignore a frame whose seq you already have.", []string{live.FrameMessage, live.FrameNotice}, map[string]string{
		"seq":     "Its number in the room: 1, 2, 3… with no gaps.",
		"id":      "The message's id.",
		"at":      "When it was sent.",
		"author":  "Messages: the author's name in the room, e.g. \"Anonymous peer 3\".",
		"n":       "Messages: the author's number in the room.",
		"html":    "Messages: the sanitized rendering of the Markdown, the only HTML to show; empty once removed.",
		"text":    "Notices: plain text.",
		"removes": "A notice that removes a message: that message's seq. Hide it.",
		"removed": "The message was removed by a facilitator.",
		"nonce":   "The nonce its sender gave; match your own messages by it.",
	})
	document("Presence", "One person connected to the room.", nil, map[string]string{
		"n":           "Their number in the room.",
		"name":        "How the room names them.",
		"facilitator": "They may use the facilitator tools here.",
	})
	document("ClientFrame", "A frame the client sends: "+
		"`{\"type\":\"send\",\"body\":\"…\",\"nonce\":\"…\"}` sends a message (answered by an ack or an error frame with the same nonce); "+
		"`{\"type\":\"typing\"}` tells the room you are typing; "+
		"`{\"type\":\"history\",\"before\":seq}` asks for the page of messages before seq (answered by a history frame).",
		[]string{live.ClientSend, live.ClientTyping, live.ClientHistory}, map[string]string{
			"body":   "send: the message, Markdown, up to 2,000 characters.",
			"nonce":  "send: your own id for the message, up to 64 characters. Resending it after a lost connection stores the message once.",
			"before": "history: messages before this seq.",
		})

	mapping := map[string]string{}
	var oneOf []*huma.Schema
	seen := map[string]bool{}
	var list []map[string]any
	for _, f := range server {
		mapping[f.typ] = f.schema.Ref
		if !seen[f.schema.Ref] {
			seen[f.schema.Ref] = true
			oneOf = append(oneOf, &huma.Schema{Ref: f.schema.Ref})
		}
		list = append(list, map[string]any{"type": f.typ, "$ref": f.schema.Ref, "description": f.doc})
	}
	errResponse := func(desc string) *huma.Response {
		return &huma.Response{Description: desc, Content: map[string]*huma.MediaType{
			"application/json": {Schema: ref(apiErrorResponse{})}}}
	}
	zero := 0.0
	oapi.AddOperation(&huma.Operation{
		OperationID: "connectLive", Method: http.MethodGet, Path: "/live", Tags: []string{"Live"},
		Summary:     "Live chat: connect to a room (WebSocket)",
		Description: liveDescription,
		Security:    apiSignedIn.requirements(),
		Parameters: []*huma.Param{
			{Name: "room", In: "query", Required: true, Description: "The room's id (enterGroupSession, openConversation, listConversations).",
				Schema: &huma.Schema{Type: huma.TypeString}},
			{Name: "after", In: "query", Description: "Resume: the highest seq you have seen. The messages after it are sent, then live ones, each once. " +
				"Left out: the newest page of history.", Schema: &huma.Schema{Type: huma.TypeInteger, Format: "int64", Minimum: &zero}},
		},
		Responses: map[string]*huma.Response{
			"101": {Description: "Switching Protocols: the connection is a WebSocket now. The server sends a ready frame first; " +
				"every frame each way is one JSON text message (see x-websocket-messages)."},
			"401": errResponse("Not signed in."),
			"403": errResponse("The upgrade came from a page on another origin."),
			"404": errResponse("No such room, or not one you are in: the same answer for both."),
			"422": errResponse("after is not a number of a message."),
			"500": errResponse("Something went wrong on our side."),
		},
		Extensions: map[string]any{
			"x-websocket-messages": map[string]any{
				"server": map[string]any{
					"description":   "Frames the server sends, told apart by type.",
					"oneOf":         oneOf,
					"discriminator": map[string]any{"propertyName": "type", "mapping": mapping},
					"frames":        list,
				},
				"client": map[string]any{"description": "Frames the client sends.", "$ref": client.Ref},
			},
			"x-websocket-close-codes": []map[string]any{
				{"code": liveCloseNoReturn, "reasons": []string{live.ReasonRemoved, live.ReasonAccess, live.ReasonSignedOut}, "reconnect": false,
					"description": "Removed from the room, no access to it any more, or signed out. Do not reconnect; show the closing frame's message."},
				{"code": liveCloseBehind, "reasons": []string{live.ReasonBehind}, "reconnect": true,
					"description": "The connection fell too far behind. Reconnect with after=<the highest seq you have>."},
				{"code": liveCloseRestart, "reasons": []string{live.ReasonShutdown}, "reconnect": true,
					"description": "The server is restarting. Reconnect (with a short random delay) with after=<the highest seq you have>."},
			},
		},
	})
}

const liveDescription = "Opens a WebSocket to one room you are in: a session's meeting you entered (enterGroupSession) or one of your " +
	"conversations. Everything that can be refused is refused before the upgrade, as an ordinary JSON error; a room you are not in " +
	"answers 404 like one that does not exist.\n\n" +
	"**Authentication**: the session cookie (browsers; the upgrade must come from this instance's own pages) or " +
	"`Authorization: Bearer kdt_…` (programs). The credentials are checked again whenever what you may see changes; " +
	"when they stop working the connection closes.\n\n" +
	"**Frames**: every frame, each way, is one JSON object in a text message, with a `type`. The server sends `ready` first, then the " +
	"messages after `after` (or the newest page), then live frames. Messages (`message`, `notice`) carry `seq`, the room's numbering " +
	"1, 2, 3… (messages of people you blocked, or who blocked you, are left out): keep the highest you have seen, ignore a " +
	"frame with a seq you already have, and reconnect with `after=<that seq>` to resume without missing or repeating anything. The schemas are ReadyFrame, MessageFrame, PresenceFrame, " +
	"TypingFrame, StateFrame, MemberFrame, AckFrame, ErrorFrame, HistoryFrame and ClosingFrame from the server, and ClientFrame " +
	"from the client; x-websocket-messages lists them by type.\n\n" +
	"**Sending**: `{\"type\":\"send\",\"body\":\"…\",\"nonce\":\"…\"}`. The answer is an `ack` with the message's seq (and the message " +
	"frame itself, like everyone else's) or an `error` with the same nonce. Messages are up to 2,000 characters; a frame may be up to " +
	"16 KiB; sending is rate limited per person (about two a second, in bursts of ten).\n\n" +
	"**Closing**: before closing, the server sends a `closing` frame with a reason and a message for the person. Close code 4403 " +
	"(removed, access, signed_out): do not reconnect. 4008 (behind: the connection could not keep up): reconnect with after=<seq>. " +
	"1001 (shutdown: the server is restarting): reconnect after a short random delay with after=<seq>. The server pings every " +
	"30 seconds and drops a connection that does not answer.\n\n" +
	"docs/live.md describes the protocol in full, with an example of every frame."
