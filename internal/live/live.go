// Package live owns what happens in real time: scheduled group sessions
// and their answers, chat rooms (a session's meeting or a 1:1
// conversation), facilitator tools, and the per-node hub that carries
// messages, presence and typing to connected people.
//
// A message is stored first (the store numbers it) and only then published
// on the broker. With several nodes each room's messages are stored by one
// of them, its writer (writers.go), so that nodes do not queue behind each
// other's commits on the room's lock. Every node's hub delivers a room's
// messages to its local connections in number order, filling any gap from
// the store, and checks each receiver's standing and blocks before
// sending. When what a person may see changes, an access event makes every
// node re-check their connections at once.
package live

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"kindred"
	"kindred/internal/access"
	"kindred/internal/audit"
	"kindred/internal/groups"
	"kindred/internal/ratelimit"
)

// Store is what the service needs from storage.
type Store interface {
	access.Facts
	FindAccount(ctx context.Context, id string) (*kindred.Account, error)
	FindAccountByHandle(ctx context.Context, handle string) (*kindred.Account, error)
	FindOrganization(ctx context.Context, id string) (*kindred.Organization, error)
	FindOrganizationBySlug(ctx context.Context, slug string) (*kindred.Organization, error)
	FindGroup(ctx context.Context, id string) (*kindred.Group, error)

	CreateGroupSession(ctx context.Context, s *kindred.GroupSession) error
	FindGroupSession(ctx context.Context, id string) (*kindred.GroupSession, error)
	ListGroupSessions(ctx context.Context, f kindred.GroupSessionFilter) ([]*kindred.GroupSession, error)
	UpdateGroupSession(ctx context.Context, id string, u kindred.GroupSessionUpdate) (*kindred.GroupSession, error)
	SetRSVP(ctx context.Context, r *kindred.RSVP, capacity int) error
	ListRSVPs(ctx context.Context, f kindred.RSVPFilter) ([]*kindred.RSVP, error)
	CountGoing(ctx context.Context, sessionID string) (map[int64]int, error)

	EnsureRoom(ctx context.Context, r *kindred.Room) (*kindred.Room, error)
	FindRoom(ctx context.Context, id string) (*kindred.Room, error)
	UpdateRoom(ctx context.Context, id string, u kindred.RoomUpdate) (*kindred.Room, error)
	ListConversations(ctx context.Context, f kindred.ConversationFilter) ([]*kindred.Conversation, error)
	CreateRoomMember(ctx context.Context, m *kindred.RoomMember) error
	FindRoomMember(ctx context.Context, roomID, accountID string) (*kindred.RoomMember, error)
	ListRoomMembers(ctx context.Context, roomID string) ([]*kindred.RoomMember, error)
	UpdateRoomMember(ctx context.Context, roomID, accountID string, u kindred.RoomMemberUpdate) (*kindred.RoomMember, error)
	CreateChatMessage(ctx context.Context, m *kindred.ChatMessage) error
	FindChatMessage(ctx context.Context, roomID string, seq int64) (*kindred.ChatMessage, error)
	ListChatMessages(ctx context.Context, f kindred.ChatFilter) ([]*kindred.ChatMessage, error)
	RemoveChatMessage(ctx context.Context, roomID string, seq int64, by, reason string, at time.Time, notice *kindred.ChatMessage) error
	BlockedWith(ctx context.Context, accountID string) ([]string, error)
	// HiddenFrom adds the people the account muted to BlockedWith: whose
	// messages and presence it does not see (internal/blocks).
	HiddenFrom(ctx context.Context, accountID string) ([]string, error)

	AppendAudit(ctx context.Context, e *kindred.AuditEntry) error
	// Suspensions by moderators (internal/moderation).
	ActiveSuspension(ctx context.Context, orgID, accountID string, now time.Time) (time.Time, error)
}

// Places finds a group as an actor sees it (internal/groups), so that the
// rules for seeing a group live in one place.
type Places interface {
	Get(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string) (*groups.Place, error)
}

// Renderer turns Markdown into sanitized HTML (internal/markup).
type Renderer interface {
	Render(markdown string) string
}

// Options tune the service; zero values pick safe defaults.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	// Broker carries messages between nodes (required): the in-process
	// broker for one node, NATS for several.
	Broker kindred.Broker
	// SendEvery and SendBurst limit how fast one person sends messages.
	SendEvery time.Duration
	SendBurst int
	// QueueLimit is how many frames may wait for one slow connection before
	// it is told it fell behind and is disconnected (default 256).
	QueueLimit int
	// RosterEvery is how often each node repeats who is here on it, so that
	// a node that missed an update catches up (default 15 s).
	RosterEvery time.Duration
	// Crisis, when set, screens messages for crisis language and raises
	// crisis flags (internal/moderation).
	Crisis kindred.CrisisFlagger
}

// Service is the live service.
type Service struct {
	store   Store
	places  Places
	render  Renderer
	broker  kindred.Broker
	now     func() time.Time
	log     *slog.Logger
	audit   *audit.Recorder
	sends   *ratelimit.Limiter
	hub     *hub
	writers *writers
	opts    Options
}

// New returns the service. Close it to stop its hub.
func New(store Store, places Places, render Renderer, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.SendEvery == 0 {
		o.SendEvery, o.SendBurst = 500*time.Millisecond, 10
	}
	if o.QueueLimit <= 0 {
		o.QueueLimit = 256
	}
	if o.RosterEvery <= 0 {
		o.RosterEvery = 15 * time.Second
	}
	s := &Service{store: store, places: places, render: render, broker: o.Broker, now: o.Now, log: o.Logger,
		audit: audit.New(store, o.Now, o.Logger),
		sends: ratelimit.New(o.SendEvery, o.SendBurst, 100_000, o.Now), opts: o}
	if s.broker == nil {
		panic("live: Options.Broker is required")
	}
	s.hub = newHub(s)
	s.writers = newWriters(s, s.hub.node)
	return s
}

// Close disconnects every local connection and stops the hub.
func (s *Service) Close() {
	s.writers.close()
	s.hub.close()
}

var (
	errNoSession = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that session. It may have been cancelled, or the link may be mistyped.")
	errNoRoom    = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that conversation or room.")
	errNoMessage = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that message.")
	errNoPerson  = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that person in this room.")
)

func signedIn(actor *kindred.Actor) error {
	if !actor.SignedIn() {
		return kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first.")
	}
	return nil
}

// publish sends an event after a commit. A failed publish loses only the
// live delivery: connections resume from the store.
func (s *Service) publish(ctx context.Context, topic string, data []byte) {
	if err := s.broker.Publish(context.WithoutCancel(ctx), topic, data); err != nil {
		s.log.ErrorContext(ctx, "live event not published", "topic_kind", topicKind(topic), "err", err)
	}
}

// AccessChanged tells every node that what the account may see changed,
// so its live connections are re-checked at once. Other services call it
// through their own broker; it is here for the live service's own changes.
func (s *Service) AccessChanged(ctx context.Context, accountID string) {
	s.publish(ctx, kindred.AccessTopic, []byte(accountID))
}

func topicKind(topic string) string {
	for i := 0; i < len(topic); i++ {
		if topic[i] == '.' {
			return topic[:i]
		}
	}
	return topic
}

// loadSubject gathers the actor's standing in an organisation and, when
// groupID is set, a group.
func (s *Service) loadSubject(ctx context.Context, actor *kindred.Actor, orgID, groupID string) (access.Subject, error) {
	sub, err := access.Load(ctx, s.store, actor, orgID, groupID)
	if err != nil {
		return sub, fmt.Errorf("load subject: %w", err)
	}
	// A member a moderator suspended here reads along but does not send.
	if err := access.FillSuspension(ctx, s.store, &sub, orgID, s.now()); err != nil {
		return sub, err
	}
	return sub, nil
}
