// Package blocks owns blocking (two people invisible to each other
// everywhere), muting (hidden from me only) and the content-warning topics
// a person never wants to see.
//
// Choosing is here; honouring the choice is where the words are shown:
// internal/groups leaves hidden authors' posts and threads out (through
// the store's HideAuthors filters) and hides posts whose warning names a
// hidden topic, internal/live leaves hidden people's messages and presence
// out, and internal/support never matches people who blocked each other.
// Nobody is ever told they were blocked or muted, and neither choice is
// written to the audit log, which an organisation's admins read: who
// someone chose not to see is theirs alone.
package blocks

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"kindred"
	"kindred/internal/access"
)

// Options tune the service; zero values pick safe defaults.
type Options struct {
	Now    func() time.Time
	Logger *slog.Logger
	// Broker, when set, hears that what two people may see changed, so
	// their live connections re-check at once (a chat stops showing the
	// blocked person's messages and presence without a reload).
	Broker kindred.Broker
}

// Service applies the rules.
type Service struct {
	store kindred.Store
	now   func() time.Time
	log   *slog.Logger
	opts  Options
}

// New returns a Service on store.
func New(store kindred.Store, o Options) *Service {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	return &Service{store: store, now: o.Now, log: o.Logger, opts: o}
}

// errNoPerson is the one answer for a person who does not exist, is not
// a member here, blocked the actor, or is the actor's own id in a
// malformed link: none of these may be told apart.
var errNoPerson = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that person.")

var errNoOrg = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that organisation.")

// Person is a member of an organisation as another member sees them on
// the block and mute pages.
type Person struct {
	Org       *kindred.Organization
	AccountID string
	Name      string // as the organisation shows them
	Handle    string
	Blocked   bool // the actor blocked them
	Muted     bool // the actor muted them
}

func signedIn(actor *kindred.Actor) error {
	if !actor.SignedIn() {
		return kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first.")
	}
	return nil
}

// Person finds a fellow member of an organisation whom the actor may
// block or mute. Anyone the actor cannot see (not an active member here,
// or someone who blocked them) is not found, like a person who does not
// exist.
func (s *Service) Person(ctx context.Context, actor *kindred.Actor, orgSlug, accountID string) (*Person, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	o, err := s.store.FindOrganizationBySlug(ctx, orgSlug)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoOrg
	}
	if err != nil {
		return nil, fmt.Errorf("find organisation: %w", err)
	}
	sub, err := access.Load(ctx, s.store, actor, o.ID, "")
	if err != nil {
		return nil, err
	}
	if !access.Can(sub, access.ViewOrg, nil) {
		if !o.Listed && sub.Membership == nil {
			return nil, errNoOrg
		}
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "This is for members of %s.", o.Name)
	}
	if accountID == "" || accountID == actor.AccountID() {
		return nil, errNoPerson
	}
	m, err := s.store.FindMembership(ctx, o.ID, accountID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND || (err == nil && !m.Active()) {
		return nil, errNoPerson
	}
	if err != nil {
		return nil, fmt.Errorf("find membership: %w", err)
	}
	acct, err := s.store.FindAccount(ctx, accountID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoPerson
	}
	if err != nil {
		return nil, fmt.Errorf("find account: %w", err)
	}
	p := &Person{Org: o, AccountID: acct.ID, Handle: acct.Handle}
	m.Handle, m.AccountDisplayName = acct.Handle, acct.DisplayName
	p.Name = m.Name()
	mine, err := s.store.ListBlocksAndMutes(ctx, actor.AccountID())
	if err != nil {
		return nil, fmt.Errorf("list blocks and mutes: %w", err)
	}
	for _, h := range mine {
		if h.AccountID == acct.ID {
			p.Blocked, p.Muted = h.Blocked, h.Muted
		}
	}
	if !p.Blocked {
		// Someone who blocked the actor is invisible to them, here too.
		with, err := s.store.BlockedWith(ctx, actor.AccountID())
		if err != nil {
			return nil, fmt.Errorf("blocked with: %w", err)
		}
		for _, id := range with {
			if id == acct.ID {
				return nil, errNoPerson
			}
		}
	}
	return p, nil
}

// Block makes the actor and the person invisible to each other
// everywhere. The person is not told; blocking again changes nothing.
func (s *Service) Block(ctx context.Context, actor *kindred.Actor, orgSlug, accountID string) (*Person, error) {
	p, err := s.Person(ctx, actor, orgSlug, accountID)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateBlock(ctx, &kindred.Block{AccountID: actor.AccountID(), BlockedID: p.AccountID, CreatedAt: s.now().UTC()}); err != nil {
		return nil, fmt.Errorf("block: %w", err)
	}
	p.Blocked = true
	// Both people's live connections re-check: each stops seeing the other.
	s.accessChanged(ctx, actor.AccountID())
	s.accessChanged(ctx, p.AccountID)
	return p, nil
}

// Mute hides the person's words from the actor only. The person is not
// told; muting again changes nothing.
func (s *Service) Mute(ctx context.Context, actor *kindred.Actor, orgSlug, accountID string) (*Person, error) {
	p, err := s.Person(ctx, actor, orgSlug, accountID)
	if err != nil {
		return nil, err
	}
	if err := s.store.CreateMute(ctx, &kindred.Mute{AccountID: actor.AccountID(), MutedID: p.AccountID, CreatedAt: s.now().UTC()}); err != nil {
		return nil, fmt.Errorf("mute: %w", err)
	}
	p.Muted = true
	s.accessChanged(ctx, actor.AccountID())
	return p, nil
}

// Unblock takes back the actor's block of the account. It answers the
// same whether there was such a block or not, and works whether or not
// the two still share an organisation: a choice one made is always one's
// own to undo.
func (s *Service) Unblock(ctx context.Context, actor *kindred.Actor, accountID string) error {
	if err := signedIn(actor); err != nil {
		return err
	}
	if err := s.store.DeleteBlock(ctx, actor.AccountID(), accountID); err != nil {
		return fmt.Errorf("unblock: %w", err)
	}
	s.accessChanged(ctx, actor.AccountID())
	s.accessChanged(ctx, accountID)
	return nil
}

// Unmute takes back the actor's mute of the account, like Unblock.
func (s *Service) Unmute(ctx context.Context, actor *kindred.Actor, accountID string) error {
	if err := signedIn(actor); err != nil {
		return err
	}
	if err := s.store.DeleteMute(ctx, actor.AccountID(), accountID); err != nil {
		return fmt.Errorf("unmute: %w", err)
	}
	s.accessChanged(ctx, actor.AccountID())
	return nil
}

// Settings is what a person hides: people they blocked or muted, and
// topics.
type Settings struct {
	People []*kindred.HiddenPerson
	Topics []string
}

// Settings returns the actor's own blocks, mutes and hidden topics.
func (s *Service) Settings(ctx context.Context, actor *kindred.Actor) (*Settings, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	people, err := s.store.ListBlocksAndMutes(ctx, actor.AccountID())
	if err != nil {
		return nil, fmt.Errorf("list blocks and mutes: %w", err)
	}
	topics, err := s.Topics(ctx, actor)
	if err != nil {
		return nil, err
	}
	return &Settings{People: people, Topics: topics}, nil
}

// Topics returns the actor's hidden topics, as they wrote them.
func (s *Service) Topics(ctx context.Context, actor *kindred.Actor) ([]string, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	topics, err := s.store.ListHiddenTopics(ctx, actor.AccountID())
	if err != nil {
		return nil, fmt.Errorf("list hidden topics: %w", err)
	}
	return topics, nil
}

// SetTopics replaces the actor's hidden topics: trimmed, each kept once
// however it is capitalised or hyphenated, at most MaxHiddenTopics of at
// most MaxHiddenTopicLen characters.
func (s *Service) SetTopics(ctx context.Context, actor *kindred.Actor, topics []string) ([]string, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	clean, err := kindred.NormalizeHiddenTopics(topics)
	if err != nil {
		return nil, err
	}
	if err := s.store.SetHiddenTopics(ctx, actor.AccountID(), clean, s.now().UTC()); err != nil {
		return nil, fmt.Errorf("set hidden topics: %w", err)
	}
	return s.Topics(ctx, actor)
}

func (s *Service) accessChanged(ctx context.Context, accountID string) {
	if err := kindred.AnnounceAccess(ctx, s.opts.Broker, accountID); err != nil {
		s.log.ErrorContext(ctx, "access change not announced", "err", err)
	}
}
