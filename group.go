package kindred

import (
	"strings"
	"time"
)

// Visibility says who can find a peer support group.
type Visibility string

const (
	// VisibilityPublic groups are visible to every member of the organisation.
	VisibilityPublic Visibility = "public"
	// VisibilityPrivate groups are listed, but only members read them and
	// joining waits for approval.
	VisibilityPrivate Visibility = "private"
	// VisibilityHidden groups are invitation only. To everyone outside them
	// they are indistinguishable from a group that does not exist.
	VisibilityHidden Visibility = "hidden"
)

// Visibilities lists the visibilities in the order a form shows them.
var Visibilities = []Visibility{VisibilityPublic, VisibilityPrivate, VisibilityHidden}

// Valid reports whether v is known.
func (v Visibility) Valid() bool {
	return v == VisibilityPublic || v == VisibilityPrivate || v == VisibilityHidden
}

// AgeRule restricts a group to an age band.
type AgeRule string

const (
	AgeAny       AgeRule = "any"
	AgeYouthOnly AgeRule = "youth"  // 13–17 only
	AgeAdultOnly AgeRule = "adults" // 18 and over only
)

// AgeRules lists the rules in the order a form shows them.
var AgeRules = []AgeRule{AgeAny, AgeYouthOnly, AgeAdultOnly}

// Valid reports whether r is known.
func (r AgeRule) Valid() bool { return r == AgeAny || r == AgeYouthOnly || r == AgeAdultOnly }

// Allows reports whether a person in band b may take part.
func (r AgeRule) Allows(b AgeBand) bool {
	switch r {
	case AgeYouthOnly:
		return b == AgeYouth
	case AgeAdultOnly:
		return b == AgeYoungAdult || b == AgeAdult
	}
	return true
}

// Label is the rule in words.
func (r AgeRule) Label() string {
	switch r {
	case AgeYouthOnly:
		return "For ages 13–17"
	case AgeAdultOnly:
		return "For adults (18+)"
	}
	return "All ages"
}

// Group is a peer support group inside an organisation.
type Group struct {
	ID          string
	OrgID       string
	Slug        string
	Name        string
	Topic       string // one line: what the group is about
	Description string // Markdown
	Guidelines  string // Markdown: the group's agreements
	Visibility  Visibility
	AgeRule     AgeRule
	CreatedBy   string
	CreatedAt   time.Time

	// Read-only, filled by listings.
	MemberCount int
	ThreadCount int
}

// Group limits.
const (
	MaxGroupName        = 80
	MaxGroupTopic       = 160
	MaxGroupDescription = 4000
	MaxGuidelines       = 8000
)

// GroupDraft creates a group.
type GroupDraft struct {
	Name        string
	Slug        string
	Topic       string
	Description string
	Guidelines  string
	Visibility  Visibility
	AgeRule     AgeRule
}

// Validate trims, fills defaults and checks the draft.
func (d *GroupDraft) Validate() error {
	v := Invalid{}
	d.Name = strings.TrimSpace(d.Name)
	d.Topic = strings.TrimSpace(d.Topic)
	d.Slug = strings.TrimSpace(d.Slug)
	if d.Slug == "" {
		d.Slug = Slugify(d.Name)
	}
	if d.Visibility == "" {
		d.Visibility = VisibilityPublic
	}
	if d.AgeRule == "" {
		d.AgeRule = AgeAny
	}
	checkRequired(v, "name", d.Name, "a name")
	checkLen(v, "name", d.Name, MaxGroupName)
	checkSlug(v, d.Slug)
	checkRequired(v, "topic", d.Topic, "a one-line topic")
	checkLen(v, "topic", d.Topic, MaxGroupTopic)
	checkLen(v, "description", d.Description, MaxGroupDescription)
	checkLen(v, "guidelines", d.Guidelines, MaxGuidelines)
	if !d.Visibility.Valid() {
		v.Add("visibility", "Please choose who can find this group.")
	}
	if !d.AgeRule.Valid() {
		v.Add("age_rule", "Please choose who the group is for.")
	}
	return v.Err()
}

// GroupUpdate changes a group. Nil fields stay.
type GroupUpdate struct {
	Name        *string
	Topic       *string
	Description *string
	Guidelines  *string
	Visibility  *Visibility
	AgeRule     *AgeRule
}

// Validate checks the update.
func (u *GroupUpdate) Validate() error {
	v := Invalid{}
	if u.Name != nil {
		*u.Name = strings.TrimSpace(*u.Name)
		checkRequired(v, "name", *u.Name, "a name")
		checkLen(v, "name", *u.Name, MaxGroupName)
	}
	if u.Topic != nil {
		*u.Topic = strings.TrimSpace(*u.Topic)
		checkRequired(v, "topic", *u.Topic, "a one-line topic")
		checkLen(v, "topic", *u.Topic, MaxGroupTopic)
	}
	if u.Description != nil {
		checkLen(v, "description", *u.Description, MaxGroupDescription)
	}
	if u.Guidelines != nil {
		checkLen(v, "guidelines", *u.Guidelines, MaxGuidelines)
	}
	if u.Visibility != nil && !u.Visibility.Valid() {
		v.Add("visibility", "Please choose who can find this group.")
	}
	if u.AgeRule != nil && !u.AgeRule.Valid() {
		v.Add("age_rule", "Please choose who the group is for.")
	}
	return v.Err()
}

// GroupFilter selects groups of one organisation. Visibility is decided by
// the access policy, never by the filter alone.
type GroupFilter struct {
	OrgID string
}

// GroupRole is a person's role inside one group.
type GroupRole string

const (
	GroupRoleMember      GroupRole = "member"
	GroupRoleFacilitator GroupRole = "facilitator"
)

// GroupMember is a person's place in one group.
type GroupMember struct {
	GroupID   string
	AccountID string
	Role      GroupRole
	Status    MembershipStatus
	CreatedAt time.Time

	// Read-only, filled by listings.
	Handle      string
	DisplayName string // per-organisation name, or the account's
	Pronouns    string
}

// Active reports whether the group membership is in force.
func (m *GroupMember) Active() bool { return m != nil && m.Status == StatusActive }

// GroupMemberFilter selects group members.
type GroupMemberFilter struct {
	GroupID   string
	AccountID string
	Status    MembershipStatus
}

// GroupMemberUpdate changes a group membership. Nil fields stay.
type GroupMemberUpdate struct {
	Role   *GroupRole
	Status *MembershipStatus
}
