package kindred

import (
	"context"
	"time"
)

// Store keeps Kindred's data. Every method is one transaction. Methods
// return ENOTFOUND when the thing does not exist and ECONFLICT when a unique
// rule would break; any other error is internal. Listings never apply the
// access policy: services do that before and after calling them.
//
// Implementations: internal/sqlstore (SQLite and PostgreSQL). Both pass the
// same contract tests.
type Store interface {
	// Accounts.
	CreateAccount(ctx context.Context, a *Account) error // ECONFLICT when the handle is taken (case-insensitive)
	FindAccount(ctx context.Context, id string) (*Account, error)
	FindAccountByHandle(ctx context.Context, handle string) (*Account, error) // case-insensitive
	UpdateAccount(ctx context.Context, id string, u AccountUpdate) (*Account, error)
	CountAccounts(ctx context.Context) (int, error)

	// Sessions (ID is the hash of the cookie secret).
	CreateSession(ctx context.Context, s *Session) error
	// FindSession returns the session and its account when it has not expired at now.
	FindSession(ctx context.Context, id string, now time.Time) (*Session, *Account, error)
	TouchSession(ctx context.Context, id string, lastSeen, expires time.Time) error
	ListSessions(ctx context.Context, accountID string, now time.Time) ([]*Session, error)
	DeleteSession(ctx context.Context, id string) error
	// DeleteAccountSessions ends every session of the account and returns how many ended.
	DeleteAccountSessions(ctx context.Context, accountID string) (int, error)

	// API tokens (Hash is the hash of the secret).
	CreateToken(ctx context.Context, t *Token) error
	// FindTokenByHash returns the token and its account, and records the use at now.
	FindTokenByHash(ctx context.Context, hash string, now time.Time) (*Token, *Account, error)
	ListTokens(ctx context.Context, accountID string) ([]*Token, error)
	DeleteToken(ctx context.Context, accountID, id string) error

	// Organisations. CreateOrganization stores the organisation and its first
	// membership (the admin who created it) together.
	CreateOrganization(ctx context.Context, o *Organization, first *Membership) error // ECONFLICT on slug
	FindOrganization(ctx context.Context, id string) (*Organization, error)
	FindOrganizationBySlug(ctx context.Context, slug string) (*Organization, error)
	ListOrganizations(ctx context.Context, f OrganizationFilter) ([]*Organization, error) // by name
	UpdateOrganization(ctx context.Context, id string, u OrganizationUpdate) (*Organization, error)
	CountOrganizations(ctx context.Context) (int, error)

	// Memberships of organisations.
	CreateMembership(ctx context.Context, m *Membership) error // ECONFLICT when one exists
	FindMembership(ctx context.Context, orgID, accountID string) (*Membership, error)
	ListMemberships(ctx context.Context, f MembershipFilter) ([]*Membership, error) // oldest first, with account fields
	UpdateMembership(ctx context.Context, orgID, accountID string, u MembershipUpdate) (*Membership, error)
	// DeleteMembership removes the person from the organisation and from all its groups.
	DeleteMembership(ctx context.Context, orgID, accountID string) error

	// Invitations.
	CreateInvite(ctx context.Context, i *Invite) error
	FindInviteByCode(ctx context.Context, codeHash string) (*Invite, error)
	ListInvites(ctx context.Context, orgID string) ([]*Invite, error) // newest first
	// UseInvite counts one use, atomically; EGONE when it is revoked, expired or used up at now.
	UseInvite(ctx context.Context, id string, now time.Time) (*Invite, error)
	RevokeInvite(ctx context.Context, orgID, id string, now time.Time) error

	// Groups.
	CreateGroup(ctx context.Context, g *Group, firstFacilitator *GroupMember) error // ECONFLICT on slug within the organisation; firstFacilitator may be nil
	FindGroup(ctx context.Context, id string) (*Group, error)
	FindGroupBySlug(ctx context.Context, orgID, slug string) (*Group, error)
	ListGroups(ctx context.Context, f GroupFilter) ([]*Group, error) // by name, with active member and thread counts
	UpdateGroup(ctx context.Context, id string, u GroupUpdate) (*Group, error)

	// Group memberships.
	CreateGroupMember(ctx context.Context, m *GroupMember) error // ECONFLICT when one exists
	FindGroupMember(ctx context.Context, groupID, accountID string) (*GroupMember, error)
	ListGroupMembers(ctx context.Context, f GroupMemberFilter) ([]*GroupMember, error) // oldest first, with names
	UpdateGroupMember(ctx context.Context, groupID, accountID string, u GroupMemberUpdate) (*GroupMember, error)
	DeleteGroupMember(ctx context.Context, groupID, accountID string) error

	// Threads and posts. CreateThread stores the thread and its opening post
	// together; CreatePost stores a reply and updates the thread's counters.
	CreateThread(ctx context.Context, t *Thread, opening *Post) error
	FindThread(ctx context.Context, id string) (*Thread, error)
	ListThreads(ctx context.Context, f ThreadFilter) ([]*Thread, error) // last activity first, with author names
	CreatePost(ctx context.Context, p *Post) error
	FindPost(ctx context.Context, id string) (*Post, error)
	ListPosts(ctx context.Context, f PostFilter) ([]*Post, error) // opening post first, then replies oldest first, with author names
	UpdatePost(ctx context.Context, id string, u PostUpdate) (*Post, error)
	// DeletePost blanks the post's text and marks it deleted; replies stay.
	DeletePost(ctx context.Context, id, deletedBy string, at time.Time) error

	// Reactions. AddReaction is idempotent.
	AddReaction(ctx context.Context, r *Reaction) error
	RemoveReaction(ctx context.Context, postID, accountID string, kind ReactionKind) error
	// SummarizeReactions returns a summary for each post id given (posts
	// without reactions get an empty summary); viewerID may be empty.
	SummarizeReactions(ctx context.Context, postIDs []string, viewerID string) (map[string]*ReactionSummary, error)

	// Group sessions and answers. SetRSVP records a person's answer for one
	// meeting; saying yes to a meeting that already has capacity people
	// going is ECONFLICT, decided inside the transaction.
	CreateGroupSession(ctx context.Context, s *GroupSession) error
	FindGroupSession(ctx context.Context, id string) (*GroupSession, error)
	ListGroupSessions(ctx context.Context, f GroupSessionFilter) ([]*GroupSession, error) // by start
	UpdateGroupSession(ctx context.Context, id string, u GroupSessionUpdate) (*GroupSession, error)
	SetRSVP(ctx context.Context, r *RSVP, capacity int) error
	ListRSVPs(ctx context.Context, f RSVPFilter) ([]*RSVP, error) // by occurrence, then time answered
	// CountGoing counts yes answers per meeting start (unix seconds) of a session.
	CountGoing(ctx context.Context, sessionID string) (map[int64]int, error)

	// Rooms. EnsureRoom stores r unless a room with the same non-empty Key
	// exists, and returns the stored room either way.
	EnsureRoom(ctx context.Context, r *Room) (*Room, error)
	FindRoom(ctx context.Context, id string) (*Room, error)
	UpdateRoom(ctx context.Context, id string, u RoomUpdate) (*Room, error)
	// ListConversations returns the account's conversations in an
	// organisation, the most recently active first.
	ListConversations(ctx context.Context, f ConversationFilter) ([]*Conversation, error)

	// Room members. CreateRoomMember numbers the member (1, 2, 3… per room)
	// and is ECONFLICT when they are one already.
	CreateRoomMember(ctx context.Context, m *RoomMember) error
	FindRoomMember(ctx context.Context, roomID, accountID string) (*RoomMember, error) // with names
	ListRoomMembers(ctx context.Context, roomID string) ([]*RoomMember, error)         // by number, with names
	UpdateRoomMember(ctx context.Context, roomID, accountID string, u RoomMemberUpdate) (*RoomMember, error)

	// Chat messages. CreateChatMessage assigns the room's next Seq in the
	// same transaction; when the author already sent a message with the same
	// non-empty Nonce in the room it stores nothing, fills m with the stored
	// message and returns ECONFLICT.
	CreateChatMessage(ctx context.Context, m *ChatMessage) error
	FindChatMessage(ctx context.Context, roomID string, seq int64) (*ChatMessage, error)
	ListChatMessages(ctx context.Context, f ChatFilter) ([]*ChatMessage, error) // oldest first, with author names
	// RemoveChatMessage blanks the message's text and records who removed it
	// and why, and stores the notice announcing it (its Seq assigned), in one
	// transaction.
	RemoveChatMessage(ctx context.Context, roomID string, seq int64, by, reason string, at time.Time, notice *ChatMessage) error

	// Blocks work both ways. CreateBlock is idempotent.
	CreateBlock(ctx context.Context, b *Block) error
	DeleteBlock(ctx context.Context, accountID, blockedID string) error
	// BlockedWith returns everyone the account blocked or was blocked by.
	BlockedWith(ctx context.Context, accountID string) ([]string, error)

	// Training, 1:1 support and safety plans (training.go, support.go, safety.go).
	TrainingStore
	SupportStore
	SafetyStore
	// Moderation, data rights, account protection, mutes and uploads
	// (moderation.go, privacy.go, security.go, mute.go, upload.go).
	ModerationStore
	PrivacyStore
	SecurityStore
	MuteStore
	UploadStore
	// Audit log.
	AppendAudit(ctx context.Context, e *AuditEntry) error // fills Seq, PrevHash and Hash
	ListAudit(ctx context.Context, f AuditFilter) ([]*AuditEntry, error)
	// WalkAudit calls fn with every entry, in Seq order, streaming; it
	// stops at and returns fn's first error.
	WalkAudit(ctx context.Context, fn func(*AuditEntry) error) error

	Close() error
}
