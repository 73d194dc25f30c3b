package kindred

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode"
)

// Muting someone (hidden from me only) and the content-warning topics a
// person never wants to see (issue 5, item 5). Blocks are in live.go.

// Mute is one person choosing not to see another's words. Unlike a block
// it works one way: the muted person still sees the one who muted them,
// and is never told.
type Mute struct {
	AccountID string // who muted
	MutedID   string
	CreatedAt time.Time
}

// HiddenPerson is someone a person blocked or muted, as their own
// settings list them. Only the person's own choices are listed: who
// blocked them is never revealed.
type HiddenPerson struct {
	AccountID string
	Handle    string
	Name      string // the account's display name, else the handle
	Blocked   bool
	Muted     bool
	Since     time.Time // the earlier of the two choices
}

// Hidden-topic limits.
const (
	MaxHiddenTopics   = 50
	MaxHiddenTopicLen = 60
)

// CommonContentWarnings are quick picks for the topics a person may hide:
// the warnings people in LGBTQ+ peer support most often give.
var CommonContentWarnings = []string{
	"self-harm", "suicide", "eating disorders", "family rejection", "abuse", "sexual violence",
	"transphobia", "homophobia", "misgendering", "deadnaming", "dysphoria", "conversion therapy",
	"religious trauma", "bullying", "violence", "drugs and alcohol", "death and grief", "medical details",
}

// foldTopic lowers text and turns every run of characters that are not
// letters or digits into one space, so that "Self-harm", "self harm" and
// "self_harm" are the same topic and a match can respect word boundaries.
func foldTopic(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	space := true // drops leading separators
	for _, r := range s {
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(unicode.ToLower(r))
			space = false
			continue
		}
		if !space {
			b.WriteByte(' ')
			space = true
		}
	}
	return strings.TrimSuffix(b.String(), " ")
}

// FoldTopic is the form in which topics are compared and kept unique.
func FoldTopic(s string) string { return foldTopic(s) }

// TopicSet is a person's hidden topics, folded for matching.
type TopicSet []string

// NewTopicSet folds topics for matching; blank ones are dropped.
func NewTopicSet(topics []string) TopicSet {
	var out TopicSet
	for _, t := range topics {
		if f := foldTopic(t); f != "" {
			out = append(out, f)
		}
	}
	return out
}

// Matches reports whether a content warning names one of the topics:
// case-insensitively, as whole words ("harm" does not match "harmony",
// "self harm" matches "Self-harm, suicide").
func (ts TopicSet) Matches(contentWarning string) bool {
	if len(ts) == 0 || contentWarning == "" {
		return false
	}
	cw := " " + foldTopic(contentWarning) + " "
	for _, t := range ts {
		if strings.Contains(cw, " "+t+" ") {
			return true
		}
	}
	return false
}

// NormalizeHiddenTopics trims, de-duplicates (as folded) and checks a
// person's hidden topics, keeping the words as they wrote them.
func NormalizeHiddenTopics(topics []string) ([]string, error) {
	v := Invalid{}
	seen := map[string]bool{}
	out := []string{}
	for _, t := range topics {
		t = strings.Join(strings.Fields(t), " ")
		f := foldTopic(t)
		if f == "" || seen[f] {
			continue
		}
		seen[f] = true
		if runeLen(t) > MaxHiddenTopicLen {
			v.Add("topics", fmt.Sprintf("Please keep each topic to %d characters or fewer; one of them is %d.", MaxHiddenTopicLen, runeLen(t)))
			continue
		}
		out = append(out, t)
	}
	if len(out) > MaxHiddenTopics {
		v.Add("topics", fmt.Sprintf("Please list at most %d topics (there are %d now).", MaxHiddenTopics, len(out)))
	}
	return out, v.Err()
}

// MuteStore keeps mutes and hidden topics, and lists a person's own
// blocks.
type MuteStore interface {
	// CreateMute is idempotent; CreatedAt is filled with the first mute's time.
	CreateMute(ctx context.Context, m *Mute) error
	// DeleteMute is idempotent: no such mute is not an error.
	DeleteMute(ctx context.Context, accountID, mutedID string) error
	// ListBlocksAndMutes returns the people the account blocked or muted,
	// by name; never who blocked it.
	ListBlocksAndMutes(ctx context.Context, accountID string) ([]*HiddenPerson, error)
	// HiddenFrom returns, sorted and once each, the ids of everyone whose
	// words the account does not see: those it blocked or was blocked by,
	// and those it muted. It is never nil.
	HiddenFrom(ctx context.Context, accountID string) ([]string, error)
	// IsMuted reports whether accountID muted mutedID.
	IsMuted(ctx context.Context, accountID, mutedID string) (bool, error)

	// ListHiddenTopics returns the account's hidden topics as written, in
	// alphabetical order of their folded form.
	ListHiddenTopics(ctx context.Context, accountID string) ([]string, error)
	// SetHiddenTopics replaces the account's hidden topics (already
	// normalised by NormalizeHiddenTopics).
	SetHiddenTopics(ctx context.Context, accountID string, topics []string, at time.Time) error

	// HidePostsInThreads takes the posts of authors (non-anonymous ones
	// only) out of the threads' ReplyCount and LastPostAt, in one query,
	// so that counts and activity times reveal nothing hidden.
	HidePostsInThreads(ctx context.Context, threads []*Thread, authors []string) error
}
