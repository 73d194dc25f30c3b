package live

import (
	"context"
	"fmt"
	"strings"
	"time"

	"kindred"
	"kindred/internal/access"
)

// ConversationView is one of a person's conversations in a list.
type ConversationView struct {
	Room        *kindred.Room
	With        string // the other person's name
	Support     bool   // the support programme connected them
	Ended       bool
	LastMessage *time.Time
}

// memberOrg finds an organisation the actor is an active member of.
func (s *Service) memberOrg(ctx context.Context, actor *kindred.Actor, orgSlug string) (*kindred.Organization, access.Subject, error) {
	if err := signedIn(actor); err != nil {
		return nil, access.Subject{}, err
	}
	o, err := s.store.FindOrganizationBySlug(ctx, orgSlug)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, access.Subject{}, kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that organisation.")
	}
	if err != nil {
		return nil, access.Subject{}, fmt.Errorf("find organisation: %w", err)
	}
	sub, err := s.loadSubject(ctx, actor, o.ID, "")
	if err != nil {
		return nil, sub, err
	}
	if !access.Can(sub, access.ViewOrg, nil) {
		if !o.Listed && sub.Membership == nil {
			return nil, sub, kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that organisation.")
		}
		return nil, sub, kindred.Errorf(kindred.EFORBIDDEN, "Conversations are for members of %s.", o.Name)
	}
	return o, sub, nil
}

// Conversations lists the actor's 1:1 conversations in an organisation,
// the most recently active first. Conversations with people the actor
// blocked, who blocked them, or whom they muted are left out.
func (s *Service) Conversations(ctx context.Context, actor *kindred.Actor, orgSlug string) (*kindred.Organization, []*ConversationView, error) {
	o, _, err := s.memberOrg(ctx, actor, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	list, err := s.store.ListConversations(ctx, kindred.ConversationFilter{OrgID: o.ID, AccountID: actor.AccountID()})
	if err != nil {
		return nil, nil, fmt.Errorf("list conversations: %w", err)
	}
	blocked, err := s.hiddenSet(ctx, actor.AccountID())
	if err != nil {
		return nil, nil, err
	}
	var out []*ConversationView
	for _, c := range list {
		if c.Other != nil {
			if _, ok := blocked[c.Other.AccountID]; ok {
				continue
			}
		}
		out = append(out, &ConversationView{Room: c.Room, With: Label(c.Other), LastMessage: c.LastMessage,
			Support: c.Room.Purpose == kindred.PurposeSupport, Ended: c.Room.EndedAt != nil})
	}
	return o, out, nil
}

// errCannotOpen is one answer for every reason a conversation cannot
// start, so that nobody learns from it whether a handle exists, who
// blocked whom, or anyone's age.
func errCannotOpen(handle string) error {
	return kindred.Invalid{"handle": fmt.Sprintf("We couldn't start a conversation with “%s”. Check the name; they may not be a member here, or a private conversation between you isn't possible.", handle)}.Err()
}

// OpenConversation starts (or reopens) a 1:1 conversation with another
// member of the organisation, found by handle. Adults and members aged
// 13–17 cannot open one with each other; only the support programme
// connects them (OpenSupportConversation).
func (s *Service) OpenConversation(ctx context.Context, actor *kindred.Actor, orgSlug, handle string) (*kindred.Room, error) {
	o, sub, err := s.memberOrg(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	handle = strings.TrimPrefix(strings.TrimSpace(handle), "@")
	if handle == "" {
		return nil, kindred.Invalid{"handle": "Please enter the name of the person you'd like to talk to."}.Err()
	}
	if sub.Account.SuspendedAt != nil {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Your account is suspended, so you can't start conversations.")
	}
	other, err := s.store.FindAccountByHandle(ctx, handle)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errCannotOpen(handle)
	}
	if err != nil {
		return nil, fmt.Errorf("find account: %w", err)
	}
	if other.ID == actor.AccountID() {
		return nil, kindred.Invalid{"handle": "That's you. Please enter someone else's name."}.Err()
	}
	m, err := s.store.FindMembership(ctx, o.ID, other.ID)
	if err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND {
		return nil, fmt.Errorf("find membership: %w", err)
	}
	blocked, err := s.blockedSet(ctx, actor.AccountID())
	if err != nil {
		return nil, err
	}
	_, isBlocked := blocked[other.ID]
	if !m.Active() || isBlocked || other.SuspendedAt != nil || other.AgeBand.IsMinor() != sub.Account.AgeBand.IsMinor() {
		return nil, errCannotOpen(handle)
	}
	key := kindred.ConversationKey(o.ID, actor.AccountID(), other.ID)
	r := &kindred.Room{ID: kindred.KeyedRoomID(key), Key: key,
		Kind: kindred.RoomConversation, OrgID: o.ID, Purpose: kindred.PurposePeer, CreatedAt: s.now()}
	return s.openConversation(ctx, r, actor.AccountID(), other.ID)
}

// OpenSupportConversation starts a new conversation between a peer
// supporter and the member they were matched with. The support programme
// calls it after its own checks; it may connect an adult supporter with a
// member aged 13–17 when the supporter is in the youth programme.
func (s *Service) OpenSupportConversation(ctx context.Context, orgID, supporterID, memberID string) (*kindred.Room, error) {
	r := &kindred.Room{Kind: kindred.RoomConversation, OrgID: orgID, Purpose: kindred.PurposeSupport, CreatedAt: s.now()}
	return s.openConversation(ctx, r, supporterID, memberID)
}

func (s *Service) openConversation(ctx context.Context, r *kindred.Room, a, b string) (*kindred.Room, error) {
	room, err := s.store.EnsureRoom(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("ensure conversation: %w", err)
	}
	now := s.now()
	for _, id := range []string{a, b} {
		m := &kindred.RoomMember{RoomID: room.ID, AccountID: id, AgreedAt: &now, JoinedAt: now}
		if err := s.store.CreateRoomMember(ctx, m); err != nil && kindred.ErrorCode(err) != kindred.ECONFLICT {
			return nil, fmt.Errorf("add to conversation: %w", err)
		}
	}
	if room.EndedAt != nil { // talking again after one of them ended it
		var none *time.Time
		if room, err = s.store.UpdateRoom(ctx, room.ID, kindred.RoomUpdate{EndedAt: &none}); err != nil {
			return nil, fmt.Errorf("reopen conversation: %w", err)
		}
		s.publishState(ctx, room.ID)
	}
	return room, nil
}
