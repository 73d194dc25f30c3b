// Package access is Kindred's one authorization policy. Every rule about who
// may see or do what lives here, as pure functions of who the actor is in an
// organisation and group. Services load the facts (account, memberships) and
// ask; handlers never decide.
//
// A group the actor may not see must look exactly like one that does not
// exist, so services turn a failed ViewGroup into ENOTFOUND, never EFORBIDDEN.
package access

import (
	"context"
	"fmt"
	"time"

	"kindred"
)

// Action is something an actor may try.
type Action string

const (
	ViewOrg       Action = "org.view"        // see the organisation's member pages
	ManageOrg     Action = "org.manage"      // settings, members, roles, invitations, audit log
	CreateGroup   Action = "group.create"    // start a new peer support group
	ViewGroup     Action = "group.view"      // know the group exists (listing, name, topic)
	ReadGroup     Action = "group.read"      // read its threads
	JoinGroup     Action = "group.join"      // join (public) or ask to join (private)
	LeaveGroup    Action = "group.leave"     // leave a group one belongs to
	PostInGroup   Action = "group.post"      // start threads, reply, react
	ManageGroup   Action = "group.manage"    // settings, approve or remove members
	ModerateGroup Action = "group.moderate"  // remove others' posts
	SeeAnonymous  Action = "group.unmask"    // see who wrote an anonymous post
	EditOwnPost   Action = "post.edit_own"   // edit one's own post
	DeleteOwnPost Action = "post.delete_own" // delete one's own post

	// Moderation (internal/moderation). Staff powers are per organisation.
	ModerateOrg     Action = "org.moderate"       // the moderation queue: reports, actions, appeals
	SeeCrisisFlags  Action = "org.crisis_flags"   // crisis cases in the queue
	SeeSupportFlags Action = "org.support_flags"  // crisis cases about requests for support
	SetModeration   Action = "org.moderation_set" // the organisation's moderation settings
)

// Subject is everything the policy needs to know about an actor in one
// organisation (and, for group actions, one group). Nil fields mean "none".
type Subject struct {
	Account     *kindred.Account
	Membership  *kindred.Membership  // in the organisation
	GroupMember *kindred.GroupMember // in the group, for group actions
	// SuspendedUntil is set, by the service that loaded the subject, while
	// a moderator's suspension in this organisation is in force (the
	// service has the clock: an expired suspension is never set).
	SuspendedUntil *time.Time
}

func (s Subject) signedIn() bool { return s.Account != nil }

func (s Subject) suspended() bool {
	return s.Account != nil && (s.Account.SuspendedAt != nil || s.SuspendedUntil != nil)
}

func (s Subject) orgMember() bool { return s.signedIn() && s.Membership.Active() }

// Staff reports whether the actor is an active member of the organisation
// holding at least one of the roles.
func (s Subject) Staff(roles kindred.Role) bool {
	return s.orgMember() && s.Membership.Roles.Any(roles)
}

func (s Subject) groupMember() bool { return s.orgMember() && s.GroupMember.Active() }

func (s Subject) facilitates() bool {
	return s.groupMember() && s.GroupMember.Role == kindred.GroupRoleFacilitator
}

// oversees: admins and moderators keep every group in their organisation
// safe, hidden ones included.
func (s Subject) oversees() bool { return s.Staff(kindred.RoleAdmin | kindred.RoleModerator) }

func (s Subject) ageFits(g *kindred.Group) bool {
	return s.Account != nil && g.AgeRule.Allows(s.Account.AgeBand)
}

// Can reports whether the subject may take the action. For group actions
// g is the group; for organisation actions it is nil.
func Can(s Subject, action Action, g *kindred.Group) bool {
	switch action {
	case ViewOrg:
		return s.orgMember()
	case ManageOrg:
		return s.Staff(kindred.RoleAdmin)
	case CreateGroup:
		return !s.suspended() && s.Staff(kindred.RoleAdmin|kindred.RoleFacilitator)
	case ModerateOrg:
		return !s.suspended() && s.oversees()
	case SeeCrisisFlags:
		// Coordinators run 1:1 support, so they hear about people in
		// crisis too.
		return !s.suspended() && s.Staff(kindred.RoleAdmin|kindred.RoleModerator|kindred.RoleCoordinator)
	case SeeSupportFlags:
		// What a member wrote asking for support is the coordinators' to
		// read, not every moderator's.
		return !s.suspended() && s.Staff(kindred.RoleCoordinator)
	case SetModeration:
		return s.Staff(kindred.RoleAdmin)
	}
	if g == nil {
		return false
	}
	switch action {
	case ViewGroup:
		return canView(s, g)
	case ReadGroup:
		return canRead(s, g)
	case JoinGroup:
		return canView(s, g) && !s.suspended() && s.GroupMember == nil &&
			g.Visibility != kindred.VisibilityHidden && s.ageFits(g)
	case LeaveGroup:
		return canView(s, g) && s.GroupMember != nil
	case PostInGroup:
		return !s.suspended() && s.groupMember() && (s.ageFits(g) || s.facilitates())
	case ManageGroup:
		return canView(s, g) && (s.Staff(kindred.RoleAdmin) || s.facilitates())
	case ModerateGroup:
		return canView(s, g) && (s.oversees() || s.facilitates())
	case SeeAnonymous:
		return canView(s, g) && s.oversees()
	case EditOwnPost:
		return Can(s, PostInGroup, g)
	case DeleteOwnPost:
		return canRead(s, g)
	}
	return false
}

func canView(s Subject, g *kindred.Group) bool {
	if !s.orgMember() || g.OrgID != s.Membership.OrgID {
		return false
	}
	if g.Visibility == kindred.VisibilityHidden {
		return s.groupMember() || s.oversees()
	}
	return true
}

func canRead(s Subject, g *kindred.Group) bool {
	if !canView(s, g) {
		return false
	}
	if s.groupMember() || s.oversees() {
		return true
	}
	// Public groups are open to every organisation member whose age fits;
	// private and hidden ones only to their members.
	return g.Visibility == kindred.VisibilityPublic && s.ageFits(g)
}

// Facts is what Load needs from storage.
type Facts interface {
	FindMembership(ctx context.Context, orgID, accountID string) (*kindred.Membership, error)
	FindGroupMember(ctx context.Context, groupID, accountID string) (*kindred.GroupMember, error)
}

// Load gathers the subject for an actor in an organisation and, when groupID
// is not empty, a group. Missing memberships are nil, not errors.
func Load(ctx context.Context, facts Facts, actor *kindred.Actor, orgID, groupID string) (Subject, error) {
	var s Subject
	if !actor.SignedIn() {
		return s, nil
	}
	s.Account = actor.Account
	m, err := facts.FindMembership(ctx, orgID, actor.AccountID())
	switch kindred.ErrorCode(err) {
	case "":
		s.Membership = m
	case kindred.ENOTFOUND:
	default:
		return s, fmt.Errorf("load membership: %w", err)
	}
	if groupID == "" || s.Membership == nil {
		return s, nil
	}
	gm, err := facts.FindGroupMember(ctx, groupID, actor.AccountID())
	switch kindred.ErrorCode(err) {
	case "":
		s.GroupMember = gm
	case kindred.ENOTFOUND:
	default:
		return s, fmt.Errorf("load group membership: %w", err)
	}
	return s, nil
}

// SuspensionFacts is the store method FillSuspension needs.
type SuspensionFacts interface {
	ActiveSuspension(ctx context.Context, orgID, accountID string, now time.Time) (time.Time, error)
}

// FillSuspension sets sub.SuspendedUntil when a moderator suspended the
// subject's account in the organisation and the suspension is in force at
// now. Services that let people post or chat call it after Load, with
// their clock, so suspensions end by themselves.
func FillSuspension(ctx context.Context, facts SuspensionFacts, sub *Subject, orgID string, now time.Time) error {
	if sub.Account == nil || sub.Membership == nil {
		return nil
	}
	until, err := facts.ActiveSuspension(ctx, orgID, sub.Account.ID, now)
	switch kindred.ErrorCode(err) {
	case "":
		sub.SuspendedUntil = &until
	case kindred.ENOTFOUND:
	default:
		return fmt.Errorf("find suspension: %w", err)
	}
	return nil
}
