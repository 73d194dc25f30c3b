package web

// The live API's response types: sessions, rooms, messages, the people in a
// room and conversations. People in a room are named only by their number
// in it (n) and the label the room shows ("Anonymous peer 3" for those who
// chose to be anonymous): no account id or handle of anyone in a room ever
// leaves the server here.

import (
	"time"

	"kindred"
	"kindred/internal/live"
)

// APIGroupSession is a scheduled session as anyone who can read its group
// sees it. Exported so that huma documents it where apiGroupSessionDetail
// embeds it.
type APIGroupSession struct {
	ID              string             `json:"id"`
	Title           string             `json:"title"`
	Agenda          string             `json:"agenda" doc:"Markdown."`
	AgendaHTML      string             `json:"agenda_html" doc:"The sanitized rendering; the only HTML to show."`
	Start           time.Time          `json:"start" doc:"The first meeting's start."`
	DurationMinutes int                `json:"duration_minutes"`
	TimeZone        string             `json:"time_zone" doc:"The IANA time zone the session runs in; repeats keep their wall-clock time in it across daylight-saving changes."`
	Recurrence      kindred.Recurrence `json:"recurrence" enum:"none,weekly,fortnightly,monthly"`
	Until           *time.Time         `json:"until" doc:"No meeting starts after this; null when the session repeats until it is cancelled."`
	Capacity        int                `json:"capacity" doc:"How many people may say they are coming to, or enter, one meeting; 0 means no limit."`
	Schedule        string             `json:"schedule" doc:"When it meets, in words, e.g. \"Every Tuesday at 18:30\"."`
	Upcoming        []apiMeeting       `json:"upcoming" nullable:"false" doc:"The meeting in progress or the next one, then those after it (at most six)."`
}

// apiMeeting is one meeting of a session.
type apiMeeting struct {
	Start time.Time `json:"start" doc:"Send this as meeting to rsvpGroupSession."`
	End   time.Time `json:"end"`
	Going int       `json:"going" doc:"How many people said they are coming. Who they are is never listed."`
	Mine  *bool     `json:"mine" doc:"Your answer; null when you have not answered."`
	Full  bool      `json:"full"`
}

func apiGroupSessionOf(v *live.SessionView) APIGroupSession {
	sess := v.Session
	out := APIGroupSession{ID: sess.ID, Title: sess.Title, Agenda: sess.Agenda, AgendaHTML: v.AgendaHTML,
		Start: sess.Start.UTC(), DurationMinutes: int(sess.Duration / time.Minute), TimeZone: sess.TimeZone,
		Recurrence: sess.Recurrence, Capacity: sess.Capacity, Schedule: v.Describe, Upcoming: []apiMeeting{}}
	if sess.Until != nil {
		u := sess.Until.UTC()
		out.Until = &u
	}
	for _, m := range v.Upcoming {
		out.Upcoming = append(out.Upcoming, apiMeeting{Start: m.Start.UTC(), End: m.End.UTC(), Going: m.Going, Mine: m.Mine, Full: m.Full})
	}
	return out
}

type apiGroupSessionList struct {
	Sessions []APIGroupSession `json:"sessions" nullable:"false" doc:"The soonest first. Sessions with no meetings left are not listed."`
}

// apiGroupSessionDetail is a session with the reader's place in it.
type apiGroupSessionDetail struct {
	APIGroupSession
	State          live.RoomState `json:"state" enum:"waiting,open,ended" doc:"The room of the meeting in progress or the next one: waiting until the start (or until a facilitator arrives, up to an hour early), then open until the end."`
	RoomID         string         `json:"room_id,omitempty" doc:"Present once you have entered that meeting's room: use it with the room operations and connectLive."`
	CanManage      bool           `json:"can_manage" doc:"Schedule and cancel sessions, and use the facilitator tools in their rooms."`
	CanEnter       bool           `json:"can_enter" doc:"The room is open, or opens within the hour, and you may enter it (enterGroupSession)."`
	Agreements     string         `json:"agreements" doc:"Markdown: the group's agreements, which everyone accepts on entering."`
	AgreementsHTML string         `json:"agreements_html"`
}

func apiGroupSessionDetailOf(p *live.SessionPage) apiGroupSessionDetail {
	out := apiGroupSessionDetail{APIGroupSession: apiGroupSessionOf(p.SessionView), State: p.State,
		CanManage: p.CanManage, CanEnter: p.CanEnter, Agreements: p.Place.Group.Guidelines, AgreementsHTML: p.AgreementsHTML}
	if p.Room != nil && p.Me != nil && !p.Me.Removed() && p.Me.AgreedAt != nil {
		out.RoomID = p.Room.ID
	}
	return out
}

// apiRoom is a room as one person in it sees it.
type apiRoom struct {
	ID           string           `json:"id"`
	Kind         kindred.RoomKind `json:"kind" enum:"session,conversation"`
	Title        string           `json:"title"`
	State        live.RoomState   `json:"state" enum:"waiting,open,ended" doc:"Messages can be sent while the room is open."`
	Organization string           `json:"organization" doc:"The organisation's slug."`
	Group        string           `json:"group,omitempty" doc:"Session rooms: the group's slug."`
	Session      string           `json:"session,omitempty" doc:"Session rooms: the session's id."`
	Opens        *time.Time       `json:"opens,omitempty" doc:"Session rooms: the meeting's scheduled start. A facilitator arriving up to an hour early opens the room."`
	Ends         *time.Time       `json:"ends,omitempty" doc:"Session rooms: the meeting's scheduled end, when the room closes."`
	With         string           `json:"with,omitempty" doc:"Conversations: the other person's name."`
	Support      bool             `json:"support" doc:"A conversation the support programme started."`
	Me           apiRoomMe        `json:"me"`
	CanSend      bool             `json:"can_send" doc:"Whether you may send a message now."`
	CanModerate  bool             `json:"can_moderate" doc:"Remove messages, mute and remove people, end the meeting: the group's facilitators and the organisation's moderators and admins."`
	LastSeq      int64            `json:"last_seq" doc:"The newest message's seq; connect with after=last_seq to receive only what comes next."`
}

// apiRoomMe is the reader in a room.
type apiRoomMe struct {
	N          int        `json:"n" doc:"Your number in this room."`
	Name       string     `json:"name" doc:"How the room names you, e.g. \"Anonymous peer 3\"."`
	Anonymous  bool       `json:"anonymous"`
	MutedUntil *time.Time `json:"muted_until" doc:"Until when a facilitator paused your messages; null when they are not paused."`
}

func apiRoomOf(v *live.RoomView, now time.Time) apiRoom {
	r := v.Room
	out := apiRoom{ID: r.ID, Kind: r.Kind, Title: v.Title, State: v.State, Organization: v.Org.Slug,
		Support: r.Purpose == kindred.PurposeSupport, CanSend: v.CanSend(now), CanModerate: v.CanModerate, LastSeq: r.LastSeq,
		Me: apiRoomMe{N: v.Me.Number, Name: live.Label(v.Me), Anonymous: v.Me.Anonymous, MutedUntil: utcPtr(v.MutedUntil(now))}}
	if v.Group != nil {
		out.Group = v.Group.Slug
	}
	if v.Session != nil {
		out.Session = v.Session.ID
	}
	if r.Kind == kindred.RoomSession {
		out.Opens, out.Ends = utcPtr(&r.Occurrence), utcPtr(&r.Ends)
	}
	if v.Other != nil {
		out.With = live.Label(v.Other)
	}
	return out
}

func utcPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	u := t.UTC()
	return &u
}

// apiChatMessage is a message or a notice, as live.MessageFrame carries it
// over the WebSocket.
type apiChatMessage struct {
	Seq     int64               `json:"seq" doc:"Its number in the room: 1, 2, 3… with no gaps."`
	ID      string              `json:"id"`
	Kind    kindred.MessageKind `json:"kind" enum:"text,notice" doc:"notice: a message from Kindred to everyone in the room."`
	Author  string              `json:"author" doc:"The author's name in the room, e.g. \"Anonymous peer 3\"; empty for notices."`
	N       int                 `json:"n" doc:"The author's number in the room; 0 for notices."`
	Mine    bool                `json:"mine"`
	HTML    string              `json:"html" doc:"Text messages: the sanitized rendering, the only HTML to show; empty once removed."`
	Text    string              `json:"text" doc:"Notices: plain text."`
	Removes int64               `json:"removes" doc:"A notice that removes a message: that message's seq. Hide it."`
	Removed bool                `json:"removed" doc:"A facilitator removed this message; its text is gone."`
	At      time.Time           `json:"at"`
	Nonce   string              `json:"nonce,omitempty" doc:"Your own messages: the nonce you sent."`
}

func apiChatMessageOf(m *live.MessageView) apiChatMessage {
	out := apiChatMessage{Seq: m.Seq, ID: m.ID, Kind: m.Kind, Author: m.Author, N: m.Number, Mine: m.Mine, HTML: m.HTML,
		Text: m.Text, Removes: m.Removes, Removed: m.Removed, At: m.At.UTC()}
	if m.Mine {
		out.Nonce = m.Nonce
	}
	return out
}

type apiChatHistory struct {
	Messages []apiChatMessage `json:"messages" nullable:"false" doc:"Oldest first. Messages of people you blocked, or who blocked you, are left out."`
	Earlier  int64            `json:"earlier" doc:"Ask again with before=earlier for older messages; 0 when there are none."`
}

// apiRoomPerson is someone who entered a room.
type apiRoomPerson struct {
	N          int        `json:"n" doc:"Their number in the room; the facilitator tools take it."`
	Name       string     `json:"name"`
	Me         bool       `json:"me"`
	MutedUntil *time.Time `json:"muted_until" doc:"Until when their messages are paused; null when they are not."`
	Removed    bool       `json:"removed" doc:"Asked to leave by a facilitator. Only facilitators see removed people."`
}

type apiRoomPeople struct {
	People []apiRoomPerson `json:"people" nullable:"false" doc:"By number. People you blocked, or who blocked you, are left out."`
}

// apiConversation is one of the reader's 1:1 conversations.
type apiConversation struct {
	Room          string     `json:"room" doc:"The conversation's room id."`
	With          string     `json:"with" doc:"The other person's name."`
	Support       bool       `json:"support" doc:"The support programme connected you."`
	Ended         bool       `json:"ended"`
	LastMessageAt *time.Time `json:"last_message_at"`
}

type apiConversationList struct {
	Conversations []apiConversation `json:"conversations" nullable:"false" doc:"The most recently active first."`
}

// The WebSocket's frames that live does not export. They mirror the
// unexported types in internal/live/frames.go field for field, so that the
// OpenAPI document can describe them; api_live_test.go decodes every frame
// a real connection sends into these types (or live's own) with unknown
// fields disallowed, so a field added there and not here fails the test.

type apiPresenceFrame struct {
	Type string          `json:"type" enum:"presence"`
	Here []live.Presence `json:"here" nullable:"false" doc:"Everyone connected to the room now, by number."`
}

type apiTypingFrame struct {
	Type string `json:"type" enum:"typing"`
	N    int    `json:"n" doc:"Who is typing: their number in the room."`
	Name string `json:"name"`
}

type apiStateFrame struct {
	Type  string         `json:"type" enum:"state"`
	State live.RoomState `json:"state" enum:"waiting,open,ended"`
}

type apiMemberFrame struct {
	Type       string     `json:"type" enum:"member"`
	N          int        `json:"n"`
	MutedUntil *time.Time `json:"muted_until" doc:"Until when their messages are paused; null when a pause was lifted."`
}

type apiAckFrame struct {
	Type  string `json:"type" enum:"ack"`
	Nonce string `json:"nonce,omitempty" doc:"The nonce of your send frame."`
	Seq   int64  `json:"seq" doc:"The stored message's seq; its message frame comes too."`
}

type apiErrorFrame struct {
	Type    string            `json:"type" enum:"error"`
	Nonce   string            `json:"nonce,omitempty" doc:"The nonce of the send frame that failed."`
	Code    string            `json:"code" enum:"invalid,not_found,unauthorized,forbidden,conflict,rate_limited,too_large,gone,age_restricted,cross_origin,unavailable,internal" doc:"The same codes as the API's errors."`
	Message string            `json:"message" doc:"What went wrong, written for the person."`
	Fields  map[string]string `json:"fields,omitempty" doc:"For invalid input: what is wrong with each field (body, nonce)."`
}

type apiHistoryFrame struct {
	Type     string              `json:"type" enum:"history"`
	Messages []live.MessageFrame `json:"messages" nullable:"false" doc:"Oldest first."`
	Earlier  int64               `json:"earlier" doc:"Ask again with before=earlier for older messages; 0 when there are none."`
}

type apiClosingFrame struct {
	Type    string `json:"type" enum:"closing"`
	Reason  string `json:"reason" enum:"behind,removed,access,signed_out,shutdown"`
	Message string `json:"message" doc:"Why, written for the person."`
}
