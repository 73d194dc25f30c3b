package kindred

import (
	"strings"
	"time"
)

// ThreadKind says what a thread starts with.
type ThreadKind string

const (
	ThreadStory    ThreadKind = "story"
	ThreadQuestion ThreadKind = "question"
	ThreadCheckIn  ThreadKind = "checkin"
)

// ThreadKinds lists kinds in the order a form shows them.
var ThreadKinds = []ThreadKind{ThreadStory, ThreadQuestion, ThreadCheckIn}

// Valid reports whether k is known.
func (k ThreadKind) Valid() bool {
	return k == ThreadStory || k == ThreadQuestion || k == ThreadCheckIn
}

// Label is the kind in words.
func (k ThreadKind) Label() string {
	switch k {
	case ThreadQuestion:
		return "Question"
	case ThreadCheckIn:
		return "Check-in"
	}
	return "Story"
}

// Thread is a conversation in a group: an opening post and its replies.
type Thread struct {
	ID          string
	GroupID     string
	Kind        ThreadKind
	Title       string
	AuthorID    string
	Anonymous   bool
	CreatedAt   time.Time
	LastPostAt  time.Time
	ReplyCount  int
	OpeningPost string // the id of the first post

	// Read-only, filled by listings.
	AuthorHandle   string
	AuthorName     string
	ContentWarning string // the opening post's warning, for listings
	// OpeningHidden is the opening post's Hidden: such a thread is shown
	// to its author alone.
	OpeningHidden PostHidden
	// Crisis is set, never stored, by the service that just stored the
	// thread when its words hold crisis language: the writer is shown
	// crisis lines at once.
	Crisis bool
}

// Post is the opening post of a thread or a reply.
type Post struct {
	ID             string
	ThreadID       string
	AuthorID       string
	Anonymous      bool
	Body           string // Markdown as written
	BodyHTML       string // sanitized rendering; the only HTML shown
	ContentWarning string
	CreatedAt      time.Time
	EditedAt       *time.Time
	DeletedAt      *time.Time
	DeletedBy      string
	// Hidden says why moderation keeps the post from everyone but its
	// author (moderation.go); PostVisible when it does not.
	Hidden PostHidden

	// Read-only, filled by listings: how the author appears in the thread's
	// organisation (never filled for another organisation).
	AuthorHandle   string
	AuthorName     string
	AuthorPronouns string
	// Crisis is set, never stored, by the service that just stored or
	// edited the post when its words hold crisis language.
	Crisis bool
}

// Deleted reports whether the post was deleted.
func (p *Post) Deleted() bool { return p.DeletedAt != nil }

// Post and thread limits.
const (
	MaxThreadTitle    = 140
	MaxPostBody       = 20000
	MaxContentWarning = 140
)

// ThreadDraft starts a thread.
type ThreadDraft struct {
	Kind           ThreadKind
	Title          string
	Body           string
	ContentWarning string
	Anonymous      bool
}

// Validate trims and checks the draft.
func (d *ThreadDraft) Validate() error {
	v := Invalid{}
	if d.Kind == "" {
		d.Kind = ThreadStory
	}
	if !d.Kind.Valid() {
		v.Add("kind", "Please choose a story, a question or a check-in.")
	}
	d.Title = strings.TrimSpace(d.Title)
	d.ContentWarning = strings.TrimSpace(d.ContentWarning)
	d.Body = normalizeNewlines(d.Body)
	checkRequired(v, "title", d.Title, "a title")
	checkLen(v, "title", d.Title, MaxThreadTitle)
	checkRequired(v, "body", d.Body, "a few words")
	checkLen(v, "body", d.Body, MaxPostBody)
	checkLen(v, "content_warning", d.ContentWarning, MaxContentWarning)
	return v.Err()
}

// ReplyDraft replies to a thread.
type ReplyDraft struct {
	Body           string
	ContentWarning string
	Anonymous      bool
}

// Validate trims and checks the draft.
func (d *ReplyDraft) Validate() error {
	v := Invalid{}
	d.ContentWarning = strings.TrimSpace(d.ContentWarning)
	d.Body = normalizeNewlines(d.Body)
	checkRequired(v, "body", d.Body, "a few words")
	checkLen(v, "body", d.Body, MaxPostBody)
	checkLen(v, "content_warning", d.ContentWarning, MaxContentWarning)
	return v.Err()
}

// normalizeNewlines turns the CRLF line breaks browsers send into LF, so a
// text's length is counted as the person's own counter showed it.
func normalizeNewlines(s string) string { return strings.ReplaceAll(s, "\r\n", "\n") }

// PostEdit changes a post's text.
type PostEdit struct {
	Body           string
	ContentWarning string
}

// Validate trims and checks the edit.
func (d *PostEdit) Validate() error {
	r := ReplyDraft{Body: d.Body, ContentWarning: d.ContentWarning}
	err := r.Validate()
	d.Body, d.ContentWarning = r.Body, r.ContentWarning
	return err
}

// PostUpdate is what the store changes when a post is edited.
type PostUpdate struct {
	Body           string
	BodyHTML       string
	ContentWarning string
	EditedAt       time.Time
}

// ThreadFilter selects the threads of a group, newest activity first.
type ThreadFilter struct {
	GroupID string
	Limit   int
	Offset  int
	// ViewerID: threads whose opening post moderation hid are listed only
	// for their author (this viewer); the rest never see them.
	ViewerID string
	// HideAuthors leaves out the threads these accounts opened under their
	// name, and takes their replies out of every thread's reply count and
	// last activity (blocks and mutes, mute.go). Anonymous threads and
	// replies stay: leaving them out would tell the reader who wrote them.
	HideAuthors []string
}

// PostFilter selects the posts of a thread in the order they were written.
type PostFilter struct {
	ThreadID string
	Limit    int
	Offset   int
	// ViewerID: posts moderation hid are listed only for their author
	// (this viewer); the rest never see them.
	ViewerID string
	// HideAuthors leaves out the posts these accounts wrote under their
	// name; anonymous posts stay (see ThreadFilter.HideAuthors).
	HideAuthors []string
}

// ReactionKind is a supportive reaction. There is deliberately no "like":
// reactions say something kind, and there is no ranking by them.
type ReactionKind string

const (
	ReactMeToo    ReactionKind = "me_too"
	ReactStrength ReactionKind = "sending_strength"
	ReactThankYou ReactionKind = "thank_you"
)

// ReactionKinds lists the reactions in the order they are shown.
var ReactionKinds = []ReactionKind{ReactMeToo, ReactStrength, ReactThankYou}

// Valid reports whether k is known.
func (k ReactionKind) Valid() bool {
	return k == ReactMeToo || k == ReactStrength || k == ReactThankYou
}

// Label is the reaction in words.
func (k ReactionKind) Label() string {
	switch k {
	case ReactMeToo:
		return "Me too"
	case ReactStrength:
		return "Sending strength"
	case ReactThankYou:
		return "Thank you for sharing"
	}
	return string(k)
}

// Reaction is one person's supportive reaction to a post.
type Reaction struct {
	PostID    string
	AccountID string
	Kind      ReactionKind
	CreatedAt time.Time
}

// ReactionSummary is how many people reacted to a post in each way, and
// which reactions the viewer gave. Who reacted is never listed.
type ReactionSummary struct {
	Counts map[ReactionKind]int
	Mine   map[ReactionKind]bool
}
