package kindred

import (
	"crypto/sha256"
	"strconv"
	"strings"
	"time"
)

// Recurrence says how a group session repeats.
type Recurrence string

const (
	RecurNone        Recurrence = "none"
	RecurWeekly      Recurrence = "weekly"
	RecurFortnightly Recurrence = "fortnightly"
	// RecurMonthly repeats on the same weekday of the month as the first
	// session ("the second Tuesday"); a session on the fifth such weekday
	// (day 29–31) repeats on the last one ("the last Friday").
	RecurMonthly Recurrence = "monthly"
)

// Recurrences lists recurrences in the order a form shows them.
var Recurrences = []Recurrence{RecurNone, RecurWeekly, RecurFortnightly, RecurMonthly}

// Valid reports whether r is known.
func (r Recurrence) Valid() bool {
	return r == RecurNone || r == RecurWeekly || r == RecurFortnightly || r == RecurMonthly
}

// Label is the recurrence in words.
func (r Recurrence) Label() string {
	switch r {
	case RecurWeekly:
		return "Every week"
	case RecurFortnightly:
		return "Every two weeks"
	case RecurMonthly:
		return "Every month"
	}
	return "Once"
}

// GroupSession is a scheduled live meeting of a group, once or repeating.
// Start is the first meeting; its wall-clock time in TimeZone is kept for
// every repeat, across daylight-saving changes.
type GroupSession struct {
	ID         string
	GroupID    string
	Title      string
	Agenda     string // Markdown
	Start      time.Time
	Duration   time.Duration
	TimeZone   string // IANA name, e.g. "Europe/London"
	Recurrence Recurrence
	Until      *time.Time // no meetings start after this; nil repeats for ever
	Capacity   int        // 0 means no limit
	CreatedBy  string
	CreatedAt  time.Time
	CanceledAt *time.Time
}

// Canceled reports whether the whole series was called off.
func (s *GroupSession) Canceled() bool { return s.CanceledAt != nil }

// Session limits.
const (
	MaxSessionTitle    = 120
	MaxSessionAgenda   = 4000
	MinSessionDuration = 15 * time.Minute
	MaxSessionDuration = 4 * time.Hour
	MaxSessionCapacity = 500
	// EarlyOpening is how long before the start a facilitator's arrival
	// opens the room.
	EarlyOpening = time.Hour
)

// GroupSessionDraft schedules a session.
type GroupSessionDraft struct {
	Title      string
	Agenda     string
	Date       string // "2006-01-02" in TimeZone
	Time       string // "15:04" in TimeZone
	Duration   time.Duration
	TimeZone   string
	Recurrence Recurrence
	Until      string // optional "2006-01-02" in TimeZone
	Capacity   int
}

// Validate trims and checks the draft and returns the first meeting's start
// and the last day meetings may start (nil when open-ended). now rules out
// sessions in the past.
func (d *GroupSessionDraft) Validate(now time.Time) (start time.Time, until *time.Time, err error) {
	v := Invalid{}
	d.Title = strings.TrimSpace(d.Title)
	d.Agenda = strings.TrimSpace(d.Agenda)
	d.TimeZone = strings.TrimSpace(d.TimeZone)
	if d.Recurrence == "" {
		d.Recurrence = RecurNone
	}
	checkRequired(v, "title", d.Title, "a title")
	checkLen(v, "title", d.Title, MaxSessionTitle)
	checkLen(v, "agenda", d.Agenda, MaxSessionAgenda)
	loc, lerr := time.LoadLocation(d.TimeZone)
	if d.TimeZone == "" || d.TimeZone == "Local" || lerr != nil {
		v.Add("time_zone", "Please choose the time zone the session runs in.")
		loc = time.UTC
	}
	day, derr := time.ParseInLocation("2006-01-02", strings.TrimSpace(d.Date), loc)
	clock, cerr := time.Parse("15:04", strings.TrimSpace(d.Time))
	switch {
	case derr != nil:
		v.Add("date", "Please give the date as year-month-day, for example 2026-12-01.")
	case cerr != nil:
		v.Add("time", "Please give the start time as hours and minutes, for example 18:30.")
	default:
		start = time.Date(day.Year(), day.Month(), day.Day(), clock.Hour(), clock.Minute(), 0, 0, loc)
		if start.Before(now) {
			v.Add("date", "That time has already passed. Please choose a time in the future.")
		}
	}
	if d.Duration < MinSessionDuration || d.Duration > MaxSessionDuration {
		v.Add("duration", "A session lasts between 15 minutes and 4 hours.")
	}
	if !d.Recurrence.Valid() {
		v.Add("recurrence", "Please choose how often the session repeats.")
	}
	if d.Capacity < 0 || d.Capacity > MaxSessionCapacity {
		v.Add("capacity", "Capacity is a number of people from 0 (no limit) to 500.")
	}
	if u := strings.TrimSpace(d.Until); u != "" && d.Recurrence != RecurNone {
		last, err := time.ParseInLocation("2006-01-02", u, loc)
		switch {
		case err != nil:
			v.Add("until", "Please give the last date as year-month-day, for example 2027-06-30.")
		case !start.IsZero() && last.AddDate(0, 0, 1).Before(start):
			v.Add("until", "The last date must be on or after the first session.")
		default:
			end := last.AddDate(0, 0, 1).Add(-time.Nanosecond) // the whole last day
			until = &end
		}
	}
	return start, until, v.Err()
}

// GroupSessionUpdate changes a session. Nil fields stay.
type GroupSessionUpdate struct {
	Title      *string
	Agenda     *string
	Capacity   *int
	CanceledAt **time.Time
}

// GroupSessionFilter selects the sessions of a group.
type GroupSessionFilter struct {
	GroupID         string
	IncludeCanceled bool
}

// RSVP is a person's answer for one meeting of a session.
type RSVP struct {
	SessionID  string
	Occurrence time.Time // the meeting's start
	AccountID  string
	Going      bool
	At         time.Time
}

// RSVPFilter selects answers.
type RSVPFilter struct {
	SessionID  string
	Occurrence time.Time // zero: every meeting
	AccountID  string    // empty: everyone
}

// RoomKind says what a chat room is for.
type RoomKind string

const (
	// RoomSession is one meeting of a group session.
	RoomSession RoomKind = "session"
	// RoomConversation is a 1:1 conversation between two people.
	RoomConversation RoomKind = "conversation"
)

// RoomPurpose says why a conversation exists.
type RoomPurpose string

const (
	PurposePeer    RoomPurpose = "peer"    // two members chose to talk
	PurposeSupport RoomPurpose = "support" // the support programme connected them
)

// Room is where live chat happens: one meeting of a group session, or a 1:1
// conversation. Messages in a room are numbered 1, 2, 3… by Seq, with no
// gaps; clients resume from the last Seq they saw.
type Room struct {
	ID    string
	Kind  RoomKind
	OrgID string
	// Key makes finding-or-creating idempotent: a session meeting's room is
	// "s:<session>:<unix start>", a peer conversation "c:<org>:<a>:<b>"
	// with a < b. Support conversations have none: each match gets its own.
	Key        string
	GroupID    string      // session rooms
	SessionID  string      // session rooms
	Occurrence time.Time   // session rooms: the meeting's scheduled start
	Ends       time.Time   // session rooms: the meeting's scheduled end
	Purpose    RoomPurpose // conversations
	OpenedAt   *time.Time  // when a facilitator opened it early
	EndedAt    *time.Time  // when it was ended (early) by a facilitator, or a conversation ended
	EndedBy    string
	LastSeq    int64
	CreatedAt  time.Time
}

// SessionRoomKey is the key of the room of one meeting of a session.
func SessionRoomKey(sessionID string, start time.Time) string {
	return "s:" + sessionID + ":" + strconv.FormatInt(start.Unix(), 10)
}

// ConversationKey is the key of the peer conversation between two people
// in an organisation, whichever of them opens it.
func ConversationKey(orgID, a, b string) string {
	if b < a {
		a, b = b, a
	}
	return "c:" + orgID + ":" + a + ":" + b
}

// KeyedRoomID is the id of the room with a key, so that a meeting's room
// can be found before anyone has entered it. Keys contain random ids, so
// these ids are as unguessable as any other.
func KeyedRoomID(key string) string {
	sum := sha256.Sum256([]byte("kindred room " + key))
	return strings.ToLower(idEncoding.EncodeToString(sum[:16]))
}

// RoomUpdate changes a room. Nil fields stay.
type RoomUpdate struct {
	OpenedAt **time.Time
	EndedAt  **time.Time
	EndedBy  *string
}

// RoomMember is a person's standing in a room. In session rooms a person
// becomes one on entering, after accepting the group's agreements; in a
// conversation both people are members from the start. Number is the order
// of joining (1, 2, 3…) and names anonymous people ("Anonymous peer 3").
type RoomMember struct {
	RoomID      string
	AccountID   string
	Number      int
	Anonymous   bool
	AgreedAt    *time.Time
	JoinedAt    time.Time
	MutedUntil  *time.Time
	RemovedAt   *time.Time
	RemovedBy   string
	LastReadSeq int64

	// Read-only, filled by finds and listings.
	Handle      string
	DisplayName string // per-organisation name, or the account's
	AgeBand     AgeBand
}

// Removed reports whether the person was removed from the room.
func (m *RoomMember) Removed() bool { return m != nil && m.RemovedAt != nil }

// Muted reports whether the person may not send at now.
func (m *RoomMember) Muted(now time.Time) bool {
	return m != nil && m.MutedUntil != nil && now.Before(*m.MutedUntil)
}

// RoomMemberUpdate changes a room member. Nil fields stay.
type RoomMemberUpdate struct {
	Anonymous   *bool
	AgreedAt    **time.Time
	MutedUntil  **time.Time
	RemovedAt   **time.Time
	RemovedBy   *string
	LastReadSeq *int64
}

// MessageKind says what a chat message is.
type MessageKind string

const (
	MessageText MessageKind = "text"
	// MessageNotice is written by Kindred for everyone in the room: the
	// room opened or ended, a person was removed, a message was removed.
	MessageNotice MessageKind = "notice"
)

// ChatMessage is one message in a room.
type ChatMessage struct {
	ID       string
	RoomID   string
	Seq      int64 // assigned by the store: the room's next number
	Kind     MessageKind
	AuthorID string // empty for notices
	// Nonce is the sender's own id for the message; sending the same nonce
	// twice (a retry after a lost connection) stores it once.
	Nonce     string
	Body      string // Markdown; for notices, plain text
	HTML      string // sanitized rendering of Body
	Removes   int64  // notices that remove a message: its Seq
	CreatedAt time.Time
	RemovedAt *time.Time
	RemovedBy string
	Reason    string // why it was removed, for the audit and the author

	// Read-only, filled by listings: the author's room member number and
	// names, for the service to mask when the author is anonymous.
	AuthorNumber    int
	AuthorAnonymous bool
	AuthorHandle    string
	AuthorName      string
}

// Chat limits.
const (
	MaxChatMessage  = 2000 // characters
	MaxNonce        = 64
	MaxRemoveReason = 300
	// ChatPage is how many messages one read of history returns at most.
	ChatPage = 50
)

// ChatDraft is a message someone wants to send.
type ChatDraft struct {
	Body  string
	Nonce string
}

// Validate normalizes line endings, trims and checks the draft.
func (d *ChatDraft) Validate() error {
	v := Invalid{}
	d.Body = strings.TrimSpace(strings.ReplaceAll(d.Body, "\r\n", "\n"))
	d.Nonce = strings.TrimSpace(d.Nonce)
	checkRequired(v, "body", d.Body, "a message")
	if runeLen(d.Body) > MaxChatMessage {
		v.Add("body", "Messages can be up to 2,000 characters. Please shorten it or send it in parts.")
	}
	if len(d.Nonce) > MaxNonce {
		v.Add("nonce", "The message id is too long.")
	}
	return v.Err()
}

// ChatFilter selects messages of a room, oldest first. With Before set it
// returns the newest Limit messages before that Seq (scrolling back); with
// After set, messages after that Seq (resuming).
type ChatFilter struct {
	RoomID string
	After  int64
	Before int64 // 0: no upper bound
	Limit  int   // 0: ChatPage
}

// ConversationFilter selects a person's conversations in an organisation.
type ConversationFilter struct {
	OrgID     string
	AccountID string
}

// Conversation is a 1:1 room as one of its two people sees it in a list.
type Conversation struct {
	Room        *Room
	Other       *RoomMember
	Me          *RoomMember
	LastMessage *time.Time
}

// Block is one person choosing not to see or be seen by another. It works
// both ways: neither sees the other anywhere.
type Block struct {
	AccountID string // who blocked
	BlockedID string
	CreatedAt time.Time
}

// Topics on the broker. Events carry ids and small payloads only.

// RoomTopic carries a room's messages, notices, presence and typing.
func RoomTopic(roomID string) string { return "room." + roomID }

// AccessTopic announces that what an account may see changed (it left or
// was removed from a group or organisation, was suspended, logged out, or
// blocked someone): live connections re-check their access at once. The
// event's data is the account id. One topic for all accounts keeps each
// node at one subscription however many people are connected; such
// changes are rare.
const AccessTopic = "access"

// PostsTopic announces edited and deleted posts so that every node drops
// its cached renderings.
const PostsTopic = "posts.changed"
