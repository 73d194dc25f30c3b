package web

// The API's response types and their conversion from the services' values.
// They choose what leaves the server: never password hashes, session ids,
// token hashes, other people's emails, or who wrote a masked anonymous post.

import (
	"time"

	"kindred"
	"kindred/internal/access"
	"kindred/internal/groups"
	"kindred/internal/orgs"
)

// apiAccount is the signed-in person's own account.
type apiAccount struct {
	ID          string          `json:"id"`
	Handle      string          `json:"handle"`
	DisplayName string          `json:"display_name"`
	Pronouns    string          `json:"pronouns"`
	Bio         string          `json:"bio"`
	Email       string          `json:"email" doc:"Only ever shown to its owner."`
	AgeBand     kindred.AgeBand `json:"age_band" enum:"13-17,18-24,25+"`
	IsOperator  bool            `json:"is_operator" doc:"Runs this instance and may create organisations."`
	CreatedAt   time.Time       `json:"created_at"`
}

func apiAccountOf(a *kindred.Account) apiAccount {
	return apiAccount{ID: a.ID, Handle: a.Handle, DisplayName: a.DisplayName, Pronouns: a.Pronouns, Bio: a.Bio,
		Email: a.Email, AgeBand: a.AgeBand, IsOperator: a.IsOperator, CreatedAt: a.CreatedAt}
}

type apiSession struct {
	Account apiAccount `json:"account"`
}

type apiSessionsEnded struct {
	SessionsEnded int `json:"sessions_ended"`
}

type apiToken struct {
	ID         string     `json:"id"`
	Name       string     `json:"name"`
	CreatedAt  time.Time  `json:"created_at"`
	LastUsedAt *time.Time `json:"last_used_at"`
}

type apiNewToken struct {
	ID        string    `json:"id"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
	Token     string    `json:"token" doc:"The secret, shown only this once. Send it as 'Authorization: Bearer <token>'."`
}

type apiTokenList struct {
	Tokens []apiToken `json:"tokens" nullable:"false"`
}

func apiTokenOf(t *kindred.Token) apiToken {
	return apiToken{ID: t.ID, Name: t.Name, CreatedAt: t.CreatedAt, LastUsedAt: t.LastUsedAt}
}

// apiAuthor is how a post's or thread's author appears in its organisation.
type apiAuthor struct {
	_        struct{} `nullable:"true"`
	Handle   string   `json:"handle"`
	Name     string   `json:"name"`
	Pronouns string   `json:"pronouns"`
}

// APIOrganizationInfo is an organisation without the viewer's standing.
// It is exported only because huma documents embedded structs only when
// their type is exported; apiOrganization embeds it.
type APIOrganizationInfo struct {
	ID            string             `json:"id"`
	Slug          string             `json:"slug"`
	Name          string             `json:"name"`
	Kind          kindred.OrgKind    `json:"kind" enum:"community_centre,school,healthcare,social_services,online_community"`
	JoinPolicy    kindred.JoinPolicy `json:"join_policy" enum:"open,request,invite"`
	Description   string             `json:"description" doc:"Markdown."`
	CodeOfConduct string             `json:"code_of_conduct" doc:"Markdown. Accepted on joining."`
	Listed        bool               `json:"listed" doc:"Shown in the instance's directory."`
	CreatedAt     time.Time          `json:"created_at"`
}

func apiOrganizationInfoOf(o *kindred.Organization) APIOrganizationInfo {
	return APIOrganizationInfo{ID: o.ID, Slug: o.Slug, Name: o.Name, Kind: o.Kind, JoinPolicy: o.JoinPolicy,
		Description: o.Description, CodeOfConduct: o.CodeOfConduct, Listed: o.Listed, CreatedAt: o.CreatedAt}
}

// apiOrganization is an organisation as the viewer sees it.
type apiOrganization struct {
	APIOrganizationInfo
	Membership *apiMembership `json:"membership" doc:"The viewer's membership; null when not a member."`
	Can        apiOrgCan      `json:"can"`
}

type apiOrgCan struct {
	Manage      bool `json:"manage" doc:"Settings, members, roles and invitations."`
	CreateGroup bool `json:"create_group"`
}

type apiOrganizationList struct {
	Organizations []apiOrganization `json:"organizations" nullable:"false"`
}

func apiOrganizationOf(p *orgs.Place) apiOrganization {
	return apiOrganization{APIOrganizationInfo: apiOrganizationInfoOf(p.Org), Membership: apiMembershipOf(p.Membership),
		Can: apiOrgCan{Manage: p.CanManage(), CreateGroup: p.CanCreateGroup()}}
}

// apiMembership is a person's standing in an organisation.
type apiMembership struct {
	_      struct{}                 `nullable:"true"`
	Status kindred.MembershipStatus `json:"status" enum:"active,pending"`
	Roles  []string                 `json:"roles" nullable:"false" enum:"member,peer_supporter,facilitator,coordinator,moderator,admin"`
}

func apiMembershipOf(m *kindred.Membership) *apiMembership {
	if m == nil {
		return nil
	}
	return &apiMembership{Status: m.Status, Roles: apiRoles(m.Roles)}
}

func apiRoles(r kindred.Role) []string {
	if names := r.Names(); names != nil {
		return names
	}
	return []string{}
}

// apiJoined is the result of joining an organisation.
type apiJoined struct {
	Status kindred.MembershipStatus `json:"status" enum:"active,pending" doc:"pending: the request waits for an admin."`
	Roles  []string                 `json:"roles" nullable:"false" enum:"member,peer_supporter,facilitator,coordinator,moderator,admin"`
}

// apiMember is one member of an organisation, for its admins.
type apiMember struct {
	AccountID string                   `json:"account_id"`
	Handle    string                   `json:"handle"`
	Name      string                   `json:"name"`
	Pronouns  string                   `json:"pronouns"`
	Status    kindred.MembershipStatus `json:"status" enum:"active,pending"`
	Roles     []string                 `json:"roles" nullable:"false" enum:"member,peer_supporter,facilitator,coordinator,moderator,admin"`
	JoinedAt  time.Time                `json:"joined_at"`
}

type apiMemberList struct {
	Members []apiMember `json:"members" nullable:"false"`
}

func apiMemberOf(m *kindred.Membership) apiMember {
	return apiMember{AccountID: m.AccountID, Handle: m.Handle, Name: m.Name(), Pronouns: m.Pronouns,
		Status: m.Status, Roles: apiRoles(m.Roles), JoinedAt: m.CreatedAt}
}

// APIInvite is an invitation, without its code (only its hash is kept).
// Exported so that huma documents it where apiNewInvite embeds it.
type APIInvite struct {
	ID        string     `json:"id"`
	GroupID   string     `json:"group_id" doc:"The group it also admits to; empty for the organisation only."`
	ExpiresAt time.Time  `json:"expires_at"`
	MaxUses   int        `json:"max_uses"`
	Uses      int        `json:"uses"`
	Note      string     `json:"note"`
	CreatedAt time.Time  `json:"created_at"`
	RevokedAt *time.Time `json:"revoked_at"`
}

func apiInviteOf(i *kindred.Invite) APIInvite {
	return APIInvite{ID: i.ID, GroupID: i.GroupID, ExpiresAt: i.ExpiresAt, MaxUses: i.MaxUses, Uses: i.Uses,
		Note: i.Note, CreatedAt: i.CreatedAt, RevokedAt: i.RevokedAt}
}

type apiNewInvite struct {
	APIInvite
	Code string `json:"code" doc:"The secret code, shown only this once."`
	Link string `json:"link" doc:"The path to share, on this instance: /invite/<code>."`
}

type apiInviteList struct {
	Invites []APIInvite `json:"invites" nullable:"false"`
}

type apiAcceptedInvite struct {
	Organization APIOrganizationInfo `json:"organization"`
	Group        *APIGroupInfo       `json:"group,omitempty" doc:"Present when the invitation was to a group too."`
}

// APIGroupInfo is a group without the viewer's standing. Exported so that
// huma documents it where apiGroup embeds it.
type APIGroupInfo struct {
	ID          string             `json:"id"`
	Slug        string             `json:"slug"`
	Name        string             `json:"name"`
	Topic       string             `json:"topic"`
	Description string             `json:"description" doc:"Markdown."`
	Guidelines  string             `json:"guidelines" doc:"Markdown: the group's agreements."`
	Visibility  kindred.Visibility `json:"visibility" enum:"public,private,hidden"`
	AgeRule     kindred.AgeRule    `json:"age_rule" enum:"any,youth,adults"`
	MemberCount int                `json:"member_count"`
	ThreadCount int                `json:"thread_count"`
}

func apiGroupInfoOf(g *kindred.Group) APIGroupInfo {
	return APIGroupInfo{ID: g.ID, Slug: g.Slug, Name: g.Name, Topic: g.Topic, Description: g.Description,
		Guidelines: g.Guidelines, Visibility: g.Visibility, AgeRule: g.AgeRule, MemberCount: g.MemberCount, ThreadCount: g.ThreadCount}
}

// apiGroup is a group as the viewer sees it.
type apiGroup struct {
	APIGroupInfo
	Membership *apiGroupMembership `json:"membership" doc:"The viewer's membership; null when not a member."`
	Can        apiGroupCan         `json:"can"`
}

type apiGroupCan struct {
	Read   bool `json:"read"`
	Post   bool `json:"post" doc:"Start threads, reply and react."`
	Join   bool `json:"join" doc:"Join (public) or ask to join (private)."`
	Manage bool `json:"manage" doc:"Settings and members."`
}

type apiGroupList struct {
	Groups []apiGroup `json:"groups" nullable:"false"`
}

func apiGroupOf(p *groups.Place) apiGroup {
	return apiGroup{APIGroupInfo: apiGroupInfoOf(p.Group), Membership: apiGroupMembershipOf(p.Member()),
		Can: apiGroupCan{Read: p.Can(access.ReadGroup), Post: p.Can(access.PostInGroup),
			Join: p.Can(access.JoinGroup), Manage: p.Can(access.ManageGroup)}}
}

type apiGroupMembership struct {
	_      struct{}                 `nullable:"true"`
	Status kindred.MembershipStatus `json:"status" enum:"active,pending"`
	Role   kindred.GroupRole        `json:"role" enum:"member,facilitator"`
}

func apiGroupMembershipOf(m *kindred.GroupMember) *apiGroupMembership {
	if m == nil {
		return nil
	}
	return &apiGroupMembership{Status: m.Status, Role: m.Role}
}

// apiJoinedGroup is the result of joining a group.
type apiJoinedGroup struct {
	Status kindred.MembershipStatus `json:"status" enum:"active,pending" doc:"pending: the request waits for a facilitator."`
	Role   kindred.GroupRole        `json:"role" enum:"member,facilitator"`
}

// apiGroupMember is one member of a group, for its facilitators.
type apiGroupMember struct {
	AccountID string                   `json:"account_id"`
	Handle    string                   `json:"handle"`
	Name      string                   `json:"name"`
	Pronouns  string                   `json:"pronouns"`
	Status    kindred.MembershipStatus `json:"status" enum:"active,pending"`
	Role      kindred.GroupRole        `json:"role" enum:"member,facilitator"`
	JoinedAt  time.Time                `json:"joined_at"`
}

type apiGroupMemberList struct {
	Members []apiGroupMember `json:"members" nullable:"false"`
}

func apiGroupMemberOf(m *kindred.GroupMember) apiGroupMember {
	return apiGroupMember{AccountID: m.AccountID, Handle: m.Handle, Name: m.DisplayName, Pronouns: m.Pronouns,
		Status: m.Status, Role: m.Role, JoinedAt: m.CreatedAt}
}

// apiThread is a thread without its posts.
type apiThread struct {
	ID             string             `json:"id"`
	Kind           kindred.ThreadKind `json:"kind" enum:"story,question,checkin"`
	Title          string             `json:"title"`
	Author         *apiAuthor         `json:"author" doc:"null when the thread is anonymous to the viewer."`
	Anonymous      bool               `json:"anonymous"`
	ContentWarning string             `json:"content_warning" doc:"The opening post's warning; show it before the text."`
	CreatedAt      time.Time          `json:"created_at"`
	LastPostAt     time.Time          `json:"last_post_at"`
	ReplyCount     int                `json:"reply_count"`
	OpeningPostID  string             `json:"opening_post_id"`
}

// apiThreadOf converts a thread the service has already masked for the
// viewer: a masked anonymous thread has no author id left.
func apiThreadOf(t *kindred.Thread, viewer *kindred.Actor) apiThread {
	out := apiThread{ID: t.ID, Kind: t.Kind, Title: t.Title, Anonymous: t.Anonymous, ContentWarning: t.ContentWarning,
		CreatedAt: t.CreatedAt, LastPostAt: t.LastPostAt, ReplyCount: t.ReplyCount, OpeningPostID: t.OpeningPost}
	switch {
	case t.AuthorID == "":
	case t.AuthorHandle == "" && t.AuthorID == viewer.AccountID():
		// Just started by the viewer: the store filled no names yet.
		out.Author = apiAuthorOfAccount(viewer.Account)
	default:
		out.Author = &apiAuthor{Handle: t.AuthorHandle, Name: t.AuthorName}
	}
	return out
}

func apiAuthorOfAccount(a *kindred.Account) *apiAuthor {
	return &apiAuthor{Handle: a.Handle, Name: a.Name(), Pronouns: a.Pronouns}
}

type apiThreadList struct {
	Threads []apiThread `json:"threads" nullable:"false"`
	Page    int         `json:"page"`
	More    bool        `json:"more" doc:"Whether a next page exists."`
}

type apiThreadPage struct {
	Thread  apiThread `json:"thread"`
	Posts   []apiPost `json:"posts" nullable:"false" doc:"On page 1 the opening post comes first."`
	Page    int       `json:"page"`
	Pages   int       `json:"pages"`
	CanPost bool      `json:"can_post"`
}

// apiPost is a post as the viewer may see it.
type apiPost struct {
	ID             string         `json:"id"`
	Author         *apiAuthor     `json:"author" doc:"null when the post is anonymous to the viewer."`
	Anonymous      bool           `json:"anonymous" doc:"Posted anonymously. With an author, the viewer wrote it or moderates the group."`
	Opening        bool           `json:"opening" doc:"The thread's first post."`
	Body           string         `json:"body" doc:"Markdown as written."`
	BodyHTML       string         `json:"body_html" doc:"The sanitized rendering; the only HTML to show."`
	ContentWarning string         `json:"content_warning"`
	CreatedAt      time.Time      `json:"created_at"`
	EditedAt       *time.Time     `json:"edited_at"`
	Deleted        bool           `json:"deleted"`
	Mine           bool           `json:"mine"`
	CanEdit        bool           `json:"can_edit"`
	CanDelete      bool           `json:"can_delete"`
	Reactions      map[string]int `json:"reactions" doc:"How many people reacted in each way (me_too, sending_strength, thank_you). Who reacted is never listed."`
	MyReactions    []string       `json:"my_reactions" nullable:"false" enum:"me_too,sending_strength,thank_you"`
}

func apiPostOf(v *groups.PostView, viewer *kindred.Actor) apiPost {
	out := apiPost{ID: v.ID, Anonymous: v.Anonymous, Opening: v.Opening, Body: v.Body, BodyHTML: v.BodyHTML,
		ContentWarning: v.ContentWarning, CreatedAt: v.CreatedAt, EditedAt: v.EditedAt, Deleted: v.Deleted(),
		Mine: v.Mine, CanEdit: v.CanEdit, CanDelete: v.CanDelete, Reactions: map[string]int{}, MyReactions: []string{}}
	switch {
	case v.Masked:
	case v.AuthorHandle == "" && v.Mine:
		// Just written by the viewer: the store filled no names yet.
		out.Author = apiAuthorOfAccount(viewer.Account)
	default:
		out.Author = &apiAuthor{Handle: v.AuthorHandle, Name: v.AuthorName, Pronouns: v.AuthorPronouns}
	}
	for _, k := range kindred.ReactionKinds {
		out.Reactions[string(k)] = 0
		if v.Reactions == nil {
			continue
		}
		out.Reactions[string(k)] = v.Reactions.Counts[k]
		if v.Reactions.Mine[k] {
			out.MyReactions = append(out.MyReactions, string(k))
		}
	}
	return out
}
