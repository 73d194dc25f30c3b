package kindred

import (
	"regexp"
	"strings"
	"time"
)

// OrgKind says what sort of organisation runs a space.
type OrgKind string

const (
	OrgSchool          OrgKind = "school"
	OrgHealthcare      OrgKind = "healthcare"
	OrgSocialServices  OrgKind = "social_services"
	OrgCommunityCentre OrgKind = "community_centre"
	OrgOnline          OrgKind = "online_community"
)

// OrgKinds lists the kinds in the order a form shows them.
var OrgKinds = []OrgKind{OrgCommunityCentre, OrgSchool, OrgHealthcare, OrgSocialServices, OrgOnline}

// Valid reports whether k is a known kind.
func (k OrgKind) Valid() bool {
	for _, x := range OrgKinds {
		if k == x {
			return true
		}
	}
	return false
}

// Label is the kind in words.
func (k OrgKind) Label() string {
	switch k {
	case OrgSchool:
		return "School"
	case OrgHealthcare:
		return "Healthcare"
	case OrgSocialServices:
		return "Social services"
	case OrgCommunityCentre:
		return "Community centre"
	case OrgOnline:
		return "Online community"
	}
	return string(k)
}

// JoinPolicy says how a person becomes a member of an organisation.
type JoinPolicy string

const (
	JoinOpen    JoinPolicy = "open"    // anyone signed in joins at once
	JoinRequest JoinPolicy = "request" // a request waits for an admin
	JoinInvite  JoinPolicy = "invite"  // only with an invitation link
)

// JoinPolicies lists the policies in the order a form shows them.
var JoinPolicies = []JoinPolicy{JoinOpen, JoinRequest, JoinInvite}

// Valid reports whether p is a known policy.
func (p JoinPolicy) Valid() bool { return p == JoinOpen || p == JoinRequest || p == JoinInvite }

// Role is a set of roles a member holds in one organisation, as bits.
// Staff powers never cross organisations.
type Role uint32

const (
	RoleMember Role = 1 << iota
	RolePeerSupporter
	RoleFacilitator
	RoleCoordinator
	RoleModerator
	RoleAdmin
)

// AllRoles lists every role in order of increasing responsibility.
var AllRoles = []Role{RoleMember, RolePeerSupporter, RoleFacilitator, RoleCoordinator, RoleModerator, RoleAdmin}

var roleNames = map[Role]string{
	RoleMember:        "member",
	RolePeerSupporter: "peer_supporter",
	RoleFacilitator:   "facilitator",
	RoleCoordinator:   "coordinator",
	RoleModerator:     "moderator",
	RoleAdmin:         "admin",
}

// Has reports whether r includes every bit of x.
func (r Role) Has(x Role) bool { return r&x == x }

// Any reports whether r includes at least one bit of x.
func (r Role) Any(x Role) bool { return r&x != 0 }

// Names returns the role names held, in order.
func (r Role) Names() []string {
	var out []string
	for _, x := range AllRoles {
		if r.Has(x) {
			out = append(out, roleNames[x])
		}
	}
	return out
}

// Name returns the name of a single role.
func (r Role) Name() string { return roleNames[r] }

// Label is a single role in words ("" for a zero or combined Role).
func (r Role) Label() string {
	name := roleNames[r]
	if name == "" {
		return ""
	}
	return strings.ReplaceAll(strings.ToUpper(name[:1])+name[1:], "_", " ")
}

// ParseRoles turns role names into a Role. Every member holds RoleMember.
func ParseRoles(names []string) (Role, error) {
	r := RoleMember
	for _, n := range names {
		found := false
		for bit, name := range roleNames {
			if name == strings.TrimSpace(n) {
				r |= bit
				found = true
			}
		}
		if !found {
			return 0, &Error{Code: EINVALID, Message: "Unknown role.", Fields: map[string]string{"roles": "Unknown role " + quote(n) + "."}}
		}
	}
	return r, nil
}

func quote(s string) string { return "“" + s + "”" }

// Organization is a school, clinic, community centre or online community
// running its own space on the instance.
type Organization struct {
	ID            string
	Slug          string
	Name          string
	Kind          OrgKind
	JoinPolicy    JoinPolicy
	Description   string // Markdown
	CodeOfConduct string // Markdown; accepted on joining
	Listed        bool   // shown in the instance's directory
	CreatedAt     time.Time
}

// Limits for organisation fields.
const (
	MaxOrgName        = 80
	MaxSlug           = 40
	MaxOrgDescription = 4000
	MaxCodeOfConduct  = 20000
)

var slugPattern = regexp.MustCompile(`^[a-z0-9]+(?:-[a-z0-9]+)*$`)

// Slugify turns a name into a URL slug: lower case letters, digits and dashes.
func Slugify(name string) string {
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b.WriteRune(r)
			dash = false
		case b.Len() > 0 && !dash:
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= MaxSlug {
			break
		}
	}
	return strings.TrimRight(b.String(), "-")
}

func checkSlug(v Invalid, slug string) {
	switch {
	case slug == "":
		v.Add("slug", "Please choose a short web address (letters, numbers and dashes).")
	case len(slug) > MaxSlug:
		v.Add("slug", "Please keep the web address to 40 characters or fewer.")
	case !slugPattern.MatchString(slug):
		v.Add("slug", "Use lower-case letters, numbers and single dashes, like “rainbow-centre”.")
	}
}

// OrganizationDraft creates an organisation.
type OrganizationDraft struct {
	Name          string
	Slug          string // derived from Name when empty
	Kind          OrgKind
	JoinPolicy    JoinPolicy
	Description   string
	CodeOfConduct string
}

// Validate trims, fills the slug and checks the draft.
func (d *OrganizationDraft) Validate() error {
	v := Invalid{}
	d.Name = strings.TrimSpace(d.Name)
	d.Slug = strings.TrimSpace(d.Slug)
	if d.Slug == "" {
		d.Slug = Slugify(d.Name)
	}
	checkRequired(v, "name", d.Name, "a name")
	checkLen(v, "name", d.Name, MaxOrgName)
	checkSlug(v, d.Slug)
	if !d.Kind.Valid() {
		v.Add("kind", "Please choose what kind of organisation this is.")
	}
	if d.JoinPolicy == "" {
		d.JoinPolicy = JoinRequest
	}
	if !d.JoinPolicy.Valid() {
		v.Add("join_policy", "Please choose how people join.")
	}
	checkLen(v, "description", d.Description, MaxOrgDescription)
	checkLen(v, "code_of_conduct", d.CodeOfConduct, MaxCodeOfConduct)
	return v.Err()
}

// OrganizationUpdate changes an organisation's settings. Nil fields stay.
type OrganizationUpdate struct {
	Name          *string
	Kind          *OrgKind
	JoinPolicy    *JoinPolicy
	Description   *string
	CodeOfConduct *string
	Listed        *bool
}

// Validate checks the update.
func (u *OrganizationUpdate) Validate() error {
	v := Invalid{}
	if u.Name != nil {
		*u.Name = strings.TrimSpace(*u.Name)
		checkRequired(v, "name", *u.Name, "a name")
		checkLen(v, "name", *u.Name, MaxOrgName)
	}
	if u.Kind != nil && !u.Kind.Valid() {
		v.Add("kind", "Please choose what kind of organisation this is.")
	}
	if u.JoinPolicy != nil && !u.JoinPolicy.Valid() {
		v.Add("join_policy", "Please choose how people join.")
	}
	if u.Description != nil {
		checkLen(v, "description", *u.Description, MaxOrgDescription)
	}
	if u.CodeOfConduct != nil {
		checkLen(v, "code_of_conduct", *u.CodeOfConduct, MaxCodeOfConduct)
	}
	return v.Err()
}

// OrganizationFilter selects organisations.
type OrganizationFilter struct {
	MemberID string // only those where this account is an active member
	Listed   *bool
	Limit    int
}

// MembershipStatus is where a person stands with an organisation or group.
type MembershipStatus string

const (
	StatusActive  MembershipStatus = "active"
	StatusPending MembershipStatus = "pending" // asked to join; waits for approval
)

// Membership is a person's place in one organisation.
type Membership struct {
	OrgID             string
	AccountID         string
	Roles             Role
	Status            MembershipStatus
	DisplayName       string // optional per-organisation name
	ConductAcceptedAt *time.Time
	CreatedAt         time.Time

	// Read-only, filled by listings.
	Handle             string
	AccountDisplayName string
	Pronouns           string
	AgeBand            AgeBand
}

// Name is how the member appears inside the organisation.
func (m *Membership) Name() string {
	switch {
	case m.DisplayName != "":
		return m.DisplayName
	case m.AccountDisplayName != "":
		return m.AccountDisplayName
	}
	return m.Handle
}

// Active reports whether the membership is in force.
func (m *Membership) Active() bool { return m != nil && m.Status == StatusActive }

// MembershipFilter selects memberships.
type MembershipFilter struct {
	OrgID     string
	AccountID string
	Status    MembershipStatus // empty: any
	Limit     int
	Offset    int
}

// MembershipUpdate changes a membership. Nil fields stay.
type MembershipUpdate struct {
	Roles       *Role
	Status      *MembershipStatus
	DisplayName *string
}

// Invite is an invitation link to an organisation, and optionally to one of
// its groups (the only way into a hidden group). The link carries a secret;
// the store keeps its hash.
type Invite struct {
	ID        string
	OrgID     string
	GroupID   string // optional
	CodeHash  string
	CreatedBy string
	ExpiresAt time.Time
	MaxUses   int
	Uses      int
	Note      string // for the admin's own reference
	CreatedAt time.Time
	RevokedAt *time.Time
}

// Usable reports whether the invitation can still be used at now.
func (i *Invite) Usable(now time.Time) bool {
	return i.RevokedAt == nil && now.Before(i.ExpiresAt) && i.Uses < i.MaxUses
}

// InviteDraft creates an invitation.
type InviteDraft struct {
	GroupID   string
	ExpiresIn time.Duration
	MaxUses   int
	Note      string
}

// Invitation limits.
const (
	MaxInviteUses     = 1000
	MaxInviteLifetime = 90 * 24 * time.Hour
	MaxInviteNote     = 120
)

// Validate fills defaults and checks the draft.
func (d *InviteDraft) Validate() error {
	v := Invalid{}
	if d.ExpiresIn == 0 {
		d.ExpiresIn = 7 * 24 * time.Hour
	}
	if d.MaxUses == 0 {
		d.MaxUses = 1
	}
	if d.ExpiresIn < time.Hour || d.ExpiresIn > MaxInviteLifetime {
		v.Add("expires_in", "An invitation can last from one hour to 90 days.")
	}
	if d.MaxUses < 1 || d.MaxUses > MaxInviteUses {
		v.Add("max_uses", "An invitation can be used from 1 to 1000 times.")
	}
	d.Note = strings.TrimSpace(d.Note)
	checkLen(v, "note", d.Note, MaxInviteNote)
	return v.Err()
}

// AuditEntry records a destructive or privileged action. Entries form a hash
// chain (each Hash covers the previous one), so tampering shows.
type AuditEntry struct {
	Seq       int64
	OrgID     string // empty for instance-wide actions
	ActorID   string
	Action    string // e.g. "member.roles", "post.delete", "invite.create"
	Target    string // the id acted on
	Detail    string // what changed, without message content
	CreatedAt time.Time
	PrevHash  string
	Hash      string
}

// AuditFilter selects audit entries, newest first.
type AuditFilter struct {
	OrgID string
	Limit int
}
