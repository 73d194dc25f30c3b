package live

import (
	"encoding/json"
	"time"
)

// The WebSocket protocol. Every frame is one JSON object with a "type".
// docs/live.md describes it for client authors; the types here are its
// source of truth.

// Frames the server sends.
const (
	FrameReady    = "ready"    // first frame: who you are and the room's state
	FrameMessage  = "message"  // a chat message (numbered by seq)
	FrameNotice   = "notice"   // a message from Kindred (numbered by seq)
	FramePresence = "presence" // who is here now
	FrameTyping   = "typing"   // someone is typing
	FrameState    = "state"    // the room opened or ended
	FrameMember   = "member"   // a person was muted or unmuted
	FrameAck      = "ack"      // your message was stored
	FrameError    = "error"    // your last request failed
	FrameHistory  = "history"  // older messages you asked for
	FrameClosing  = "closing"  // the server is closing the connection, and why
)

// Frames the client sends.
const (
	ClientSend    = "send"    // {"type":"send","body":"…","nonce":"…"}
	ClientTyping  = "typing"  // {"type":"typing"}
	ClientHistory = "history" // {"type":"history","before":seq}
)

// Reasons a connection is closed.
const (
	ReasonBehind    = "behind"     // the connection fell too far behind; reconnect to resume
	ReasonRemoved   = "removed"    // a facilitator removed the person from the room
	ReasonAccess    = "access"     // the person may no longer see this room
	ReasonSignedOut = "signed_out" // the session ended or the account was suspended
	ReasonShutdown  = "shutdown"   // the server is restarting; reconnect to resume
)

// ReasonMessage is what a person reads when their connection closes.
func ReasonMessage(reason string) string {
	switch reason {
	case ReasonBehind:
		return "Your connection fell behind. Reconnecting…"
	case ReasonRemoved:
		return "A facilitator asked you to leave this meeting. You're welcome at the group's next one."
	case ReasonAccess:
		return "You're no longer part of this room."
	case ReasonSignedOut:
		return "You've been signed out. Please log in again."
	}
	return "The server is restarting. Reconnecting…"
}

// MessageFrame is a message or notice as clients receive it.
type MessageFrame struct {
	Type    string    `json:"type"`
	Seq     int64     `json:"seq"`
	ID      string    `json:"id"`
	At      time.Time `json:"at"`
	Author  string    `json:"author,omitempty"`
	N       int       `json:"n,omitempty"` // the author's room member number
	HTML    string    `json:"html,omitempty"`
	Text    string    `json:"text,omitempty"`
	Removes int64     `json:"removes,omitempty"`
	Removed bool      `json:"removed,omitempty"`
	Nonce   string    `json:"nonce,omitempty"`
}

func messageFrame(m *MessageView) MessageFrame {
	f := MessageFrame{Type: FrameMessage, Seq: m.Seq, ID: m.ID, At: m.At.UTC(), Author: m.Author, N: m.Number,
		HTML: m.HTML, Text: m.Text, Removes: m.Removes, Removed: m.Removed, Nonce: m.Nonce}
	if m.Text != "" || m.Removes != 0 || m.Author == "" {
		f.Type = FrameNotice
	}
	return f
}

// Presence is one person in the room's presence list.
type Presence struct {
	N           int    `json:"n"`
	Name        string `json:"name"`
	Facilitator bool   `json:"facilitator,omitempty"`
	account     string
}

// Me is the connected person as the ready frame describes them.
type Me struct {
	N         int    `json:"n"`
	Name      string `json:"name"`
	Anonymous bool   `json:"anonymous,omitempty"`
}

// ReadyFrame is the first frame on every connection.
type ReadyFrame struct {
	Type        string     `json:"type"`
	Room        string     `json:"room"`
	Title       string     `json:"title"`
	Me          Me         `json:"me"`
	State       RoomState  `json:"state"`
	Opens       *time.Time `json:"opens,omitempty"`
	Ends        *time.Time `json:"ends,omitempty"`
	MutedUntil  *time.Time `json:"muted_until,omitempty"`
	CanModerate bool       `json:"can_moderate,omitempty"`
	LastSeq     int64      `json:"last_seq"`
	// Earlier is the seq to ask history before for older messages (0: none).
	Earlier int64 `json:"earlier"`
	// Reset means the client was too far behind to resume: it should clear
	// the messages it shows; the newest page follows.
	Reset bool `json:"reset,omitempty"`
}

type presenceFrame struct {
	Type string     `json:"type"`
	Here []Presence `json:"here"`
}

type typingFrame struct {
	Type string `json:"type"`
	N    int    `json:"n"`
	Name string `json:"name"`
}

type stateFrame struct {
	Type  string    `json:"type"`
	State RoomState `json:"state"`
}

type memberFrame struct {
	Type       string     `json:"type"`
	N          int        `json:"n"`
	MutedUntil *time.Time `json:"muted_until"`
}

type ackFrame struct {
	Type  string `json:"type"`
	Nonce string `json:"nonce,omitempty"`
	Seq   int64  `json:"seq"`
	// Crisis: the message held crisis language; the page shows its sender
	// crisis lines, privately.
	Crisis bool `json:"crisis,omitempty"`
}

type errorFrame struct {
	Type    string            `json:"type"`
	Nonce   string            `json:"nonce,omitempty"`
	Code    string            `json:"code"`
	Message string            `json:"message"`
	Fields  map[string]string `json:"fields,omitempty"`
}

type historyFrame struct {
	Type     string         `json:"type"`
	Messages []MessageFrame `json:"messages"`
	Earlier  int64          `json:"earlier"`
}

type closingFrame struct {
	Type    string `json:"type"`
	Reason  string `json:"reason"`
	Message string `json:"message"`
}

// ClientFrame is any frame a client sends.
type ClientFrame struct {
	Type   string `json:"type"`
	Body   string `json:"body,omitempty"`
	Nonce  string `json:"nonce,omitempty"`
	Before int64  `json:"before,omitempty"`
}

// ClosingFrame encodes the last frame of a connection.
func ClosingFrame(reason string) []byte {
	return encode(closingFrame{Type: FrameClosing, Reason: reason, Message: ReasonMessage(reason)})
}

func encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil { // only our own plain structs are encoded
		panic("live: encode frame: " + err.Error())
	}
	return b
}

// event is what nodes tell each other on a room's topic.
type event struct {
	Kind    string          `json:"k"`
	Seq     int64           `json:"seq,omitempty"`
	Author  string          `json:"a,omitempty"` // account id, for block checks; never sent to clients
	Frame   json.RawMessage `json:"f,omitempty"`
	Node    string          `json:"node,omitempty"`
	Here    []rosterEntry   `json:"here,omitempty"`
	N       int             `json:"n,omitempty"`
	Removed bool            `json:"removed,omitempty"`
	Until   *time.Time      `json:"until,omitempty"` // a pause's end
}

// rosterEntry is one person present on a node, as nodes tell each other.
type rosterEntry struct {
	N           int    `json:"n"`
	Name        string `json:"name"`
	Facilitator bool   `json:"fac,omitempty"`
	Account     string `json:"a"`
}

const (
	evMessage   = "msg"
	evState     = "state"
	evMember    = "member"
	evRoster    = "roster"
	evAskRoster = "roster?"
	evTyping    = "typing"
)
