package live

import (
	"context"
	"fmt"
	"strconv"
	"strings"
	"time"

	"kindred"
	"kindred/internal/access"
)

// RoomState says whether a room takes messages.
type RoomState string

const (
	StateWaiting RoomState = "waiting" // a session's room before it opens
	StateOpen    RoomState = "open"
	StateEnded   RoomState = "ended"
)

// Label is the state in words.
func (st RoomState) Label() string {
	switch st {
	case StateWaiting:
		return "Not open yet"
	case StateOpen:
		return "Open now"
	}
	return "Ended"
}

func roomState(r *kindred.Room, now time.Time) RoomState {
	if r.EndedAt != nil {
		return StateEnded
	}
	if r.Kind == kindred.RoomConversation {
		return StateOpen
	}
	if !now.Before(r.Ends) {
		return StateEnded
	}
	if !now.Before(r.Occurrence) || r.OpenedAt != nil {
		return StateOpen
	}
	return StateWaiting
}

// sessionRoom is the room of one meeting (not stored).
func sessionRoom(g *kindred.Group, sess *kindred.GroupSession, start time.Time) *kindred.Room {
	key := kindred.SessionRoomKey(sess.ID, start)
	return &kindred.Room{ID: kindred.KeyedRoomID(key), Kind: kindred.RoomSession, OrgID: g.OrgID, Key: key,
		GroupID: g.ID, SessionID: sess.ID, Occurrence: start, Ends: start.Add(sess.Duration)}
}

// RoomView is a room as one person in it sees it.
type RoomView struct {
	Room    *kindred.Room
	Org     *kindred.Organization
	Group   *kindred.Group        // session rooms
	Session *kindred.GroupSession // session rooms
	Subject access.Subject
	Me      *kindred.RoomMember
	Other   *kindred.RoomMember // conversations
	State   RoomState
	// CanModerate: remove messages, mute and remove people, end the session.
	CanModerate bool
	Title       string
}

// CanSend reports whether the person may send a message now.
func (v *RoomView) CanSend(now time.Time) bool { return v.sendProblem(now) == nil }

// MutedUntil is when the person may send again, if muted.
func (v *RoomView) MutedUntil(now time.Time) *time.Time {
	if v.Me.Muted(now) {
		return v.Me.MutedUntil
	}
	return nil
}

func (v *RoomView) sendProblem(now time.Time) error {
	switch {
	case v.Subject.Account.SuspendedAt != nil:
		return kindred.Errorf(kindred.EFORBIDDEN, "Your account is suspended, so you can't send messages.")
	case v.Subject.SuspendedUntil != nil && now.Before(*v.Subject.SuspendedUntil):
		return kindred.Errorf(kindred.EFORBIDDEN, "A moderator suspended you here until %s, so you can't send messages until then. You can still read along.",
			v.Subject.SuspendedUntil.UTC().Format("2 January 2006, 15:04 UTC"))
	case v.State == StateWaiting:
		return kindred.Errorf(kindred.ECONFLICT, "The room isn't open yet. It opens at the start time, or when a facilitator arrives.")
	case v.State == StateEnded:
		return kindred.Errorf(kindred.ECONFLICT, "This room has closed, so messages can't be sent any more.")
	case v.Me.Muted(now):
		return kindred.Errorf(kindred.EFORBIDDEN, "A facilitator paused your messages until %s. You can still read along.", v.Me.MutedUntil.UTC().Format("15:04 UTC"))
	case v.Group != nil && !access.Can(v.Subject, access.PostInGroup, v.Group) && !v.CanModerate:
		return kindred.Errorf(kindred.EFORBIDDEN, "You can read this room but not send messages in it.")
	}
	return nil
}

// Label is how a member is named in the room.
func Label(m *kindred.RoomMember) string {
	if m == nil {
		return "Someone"
	}
	if m.Anonymous {
		return "Anonymous peer " + strconv.Itoa(m.Number)
	}
	if m.DisplayName != "" {
		return m.DisplayName
	}
	return m.Handle
}

// room loads a room and checks the actor's place in it. Rooms one is not
// part of answer ENOTFOUND, like rooms that do not exist.
func (s *Service) room(ctx context.Context, actor *kindred.Actor, roomID string) (*RoomView, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	r, err := s.store.FindRoom(ctx, roomID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoRoom
	}
	if err != nil {
		return nil, fmt.Errorf("find room: %w", err)
	}
	org, err := s.store.FindOrganization(ctx, r.OrgID)
	if err != nil {
		return nil, fmt.Errorf("find organisation: %w", err)
	}
	sub, err := s.loadSubject(ctx, actor, r.OrgID, r.GroupID)
	if err != nil {
		return nil, err
	}
	if !access.Can(sub, access.ViewOrg, nil) {
		return nil, errNoRoom
	}
	me, err := s.store.FindRoomMember(ctx, r.ID, actor.AccountID())
	if kindred.ErrorCode(err) == kindred.ENOTFOUND || (err == nil && me.Removed()) {
		return nil, errNoRoom
	}
	if err != nil {
		return nil, fmt.Errorf("find room member: %w", err)
	}
	v := &RoomView{Room: r, Org: org, Subject: sub, Me: me, State: roomState(r, s.now())}
	switch r.Kind {
	case kindred.RoomSession:
		g, err := s.store.FindGroup(ctx, r.GroupID)
		if err != nil {
			return nil, fmt.Errorf("find group: %w", err)
		}
		// A meeting is for the group's members (and the staff who keep
		// it safe): leaving the group means leaving its rooms, even when
		// the group stays readable.
		if !access.Can(sub, access.ReadGroup, g) || me.AgreedAt == nil ||
			!(access.Can(sub, access.PostInGroup, g) || access.Can(sub, access.ModerateGroup, g)) {
			return nil, errNoRoom
		}
		sess, err := s.store.FindGroupSession(ctx, r.SessionID)
		if err != nil {
			return nil, fmt.Errorf("find session: %w", err)
		}
		v.Group, v.Session = g, sess
		v.CanModerate = access.Can(sub, access.ModerateGroup, g) && sub.Account.SuspendedAt == nil
		v.Title = sess.Title + " · " + g.Name
	case kindred.RoomConversation:
		members, err := s.store.ListRoomMembers(ctx, r.ID)
		if err != nil {
			return nil, fmt.Errorf("list room members: %w", err)
		}
		for _, m := range members {
			if m.AccountID != me.AccountID {
				v.Other = m
			}
		}
		if v.Other != nil {
			// Two people who blocked each other have no conversation:
			// its room answers as one that does not exist.
			blocked, err := s.blockedSet(ctx, actor.AccountID())
			if err != nil {
				return nil, err
			}
			if _, ok := blocked[v.Other.AccountID]; ok {
				return nil, errNoRoom
			}
		}
		v.Title = "Conversation with " + Label(v.Other)
		if v.Other == nil {
			v.Title = "Conversation"
		}
	}
	return v, nil
}

// Room returns the room as the actor sees it.
func (s *Service) Room(ctx context.Context, actor *kindred.Actor, roomID string) (*RoomView, error) {
	return s.room(ctx, actor, roomID)
}

// EnterOptions are the choices a person makes on entering a session.
type EnterOptions struct {
	Agree     bool // accepts the group's agreements
	Anonymous bool // shown as "Anonymous peer N"
}

// Enter lets a person into the room of a session's current meeting, from
// an hour before it starts until it ends, once they accept the group's
// agreements. A facilitator arriving early opens the room.
func (s *Service) Enter(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, sessionID string, o EnterOptions) (*RoomView, error) {
	p, sess, err := s.session(ctx, actor, orgSlug, groupSlug, sessionID)
	if err != nil {
		return nil, err
	}
	if !mayTakePart(p) {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Join %s to take part in its sessions.", p.Group.Name)
	}
	if p.Subject.Account.SuspendedAt != nil {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Your account is suspended, so you can't join sessions.")
	}
	now := s.now()
	start, ok := sess.Current(now)
	if !ok {
		return nil, kindred.Errorf(kindred.ECONFLICT, "This session has no more meetings.")
	}
	if now.Before(start.Add(-kindred.EarlyOpening)) {
		return nil, kindred.Errorf(kindred.ECONFLICT, "The room isn't open yet. You can come in from an hour before the start.")
	}
	if !o.Agree {
		return nil, kindred.Invalid{"agree": "Please read the group agreements and tick the box to say you'll keep them."}.Err()
	}
	room, err := s.store.EnsureRoom(ctx, sessionRoom(p.Group, sess, start))
	if err != nil {
		return nil, fmt.Errorf("ensure room: %w", err)
	}
	if roomState(room, now) == StateEnded {
		return nil, kindred.Errorf(kindred.ECONFLICT, "This meeting has ended. Thank you for coming.")
	}
	moderator := p.Can(access.ModerateGroup)
	me, err := s.store.FindRoomMember(ctx, room.ID, actor.AccountID())
	agreed := &now
	switch kindred.ErrorCode(err) {
	case "":
		if me.Removed() {
			return nil, kindred.Errorf(kindred.EFORBIDDEN, "A facilitator asked you to leave this meeting. You're welcome at the group's next one.")
		}
		anon := o.Anonymous && !moderator
		if _, err := s.store.UpdateRoomMember(ctx, room.ID, me.AccountID, kindred.RoomMemberUpdate{AgreedAt: &agreed, Anonymous: &anon}); err != nil {
			return nil, fmt.Errorf("update room member: %w", err)
		}
	case kindred.ENOTFOUND:
		if sess.Capacity > 0 && !moderator {
			members, err := s.store.ListRoomMembers(ctx, room.ID)
			if err != nil {
				return nil, fmt.Errorf("list room members: %w", err)
			}
			if len(members) >= sess.Capacity {
				return nil, kindred.Errorf(kindred.ECONFLICT, "This meeting is full. The facilitator can tell you about the next one.")
			}
		}
		// Facilitators are always named: people need to know who holds the room.
		m := &kindred.RoomMember{RoomID: room.ID, AccountID: actor.AccountID(), Anonymous: o.Anonymous && !moderator,
			AgreedAt: agreed, JoinedAt: now}
		if err := s.store.CreateRoomMember(ctx, m); err != nil && kindred.ErrorCode(err) != kindred.ECONFLICT {
			return nil, fmt.Errorf("create room member: %w", err)
		}
	default:
		return nil, fmt.Errorf("find room member: %w", err)
	}
	if moderator && room.OpenedAt == nil && roomState(room, now) == StateWaiting {
		opened := &now
		if room, err = s.store.UpdateRoom(ctx, room.ID, kindred.RoomUpdate{OpenedAt: &opened}); err != nil {
			return nil, fmt.Errorf("open room: %w", err)
		}
		if err := s.notice(ctx, room, "A facilitator has arrived and opened the room. Welcome."); err != nil {
			return nil, err
		}
		s.publishState(ctx, room.ID)
	}
	return s.room(ctx, actor, room.ID)
}

// MessageView is a chat message ready to show: anonymous authors are
// masked and removed text is gone.
type MessageView struct {
	// Crisis is set on the sender's own view of a message just sent whose
	// words hold crisis language: they are shown crisis lines at once.
	Crisis  bool
	Seq     int64
	ID      string
	Kind    kindred.MessageKind
	Author  string // label; empty for notices
	Number  int    // the author's room member number
	Mine    bool
	HTML    string
	Text    string // notices
	Removes int64
	Removed bool
	At      time.Time
	Nonce   string
}

func viewMessage(m *kindred.ChatMessage) *MessageView {
	v := &MessageView{Seq: m.Seq, ID: m.ID, Kind: m.Kind, Number: m.AuthorNumber, At: m.CreatedAt,
		Removes: m.Removes, Removed: m.RemovedAt != nil, Nonce: m.Nonce}
	if m.Kind == kindred.MessageNotice {
		v.Text = m.Body
		return v
	}
	v.Author = Label(&kindred.RoomMember{Number: m.AuthorNumber, Anonymous: m.AuthorAnonymous,
		DisplayName: m.AuthorName, Handle: m.AuthorHandle})
	if !v.Removed {
		v.HTML = m.HTML
	}
	return v
}

// History is a page of a room's messages.
type History struct {
	Room     *RoomView
	Messages []*MessageView
	// Earlier is the Seq to read before for older messages; 0 when there
	// are none.
	Earlier int64
}

// Messages reads a room's history: with Before set, the messages before
// it (scrolling back); with After set, the ones after it (catching up);
// with neither, the newest page. Messages from people the reader blocked,
// who blocked them, or whom they muted are left out.
func (s *Service) Messages(ctx context.Context, actor *kindred.Actor, roomID string, f kindred.ChatFilter) (*History, error) {
	v, err := s.room(ctx, actor, roomID)
	if err != nil {
		return nil, err
	}
	if f.Limit <= 0 || f.Limit > kindred.ChatPage {
		f.Limit = kindred.ChatPage
	}
	f.RoomID = v.Room.ID
	if f.Before == 0 && f.After == 0 {
		f.Before = v.Room.LastSeq + 1
	}
	list, err := s.store.ListChatMessages(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list messages: %w", err)
	}
	blocked, err := s.hiddenSet(ctx, actor.AccountID())
	if err != nil {
		return nil, err
	}
	h := &History{Room: v}
	for _, m := range list {
		if _, ok := blocked[m.AuthorID]; ok && m.AuthorID != "" {
			continue
		}
		mv := viewMessage(m)
		mv.Mine = m.AuthorID == actor.AccountID()
		h.Messages = append(h.Messages, mv)
	}
	if len(list) > 0 && list[0].Seq > 1 && f.After == 0 {
		h.Earlier = list[0].Seq
	}
	return h, nil
}

// hiddenSet is blockedSet with the people the account muted: whose
// messages and presence it does not see. Muting, unlike blocking, does not
// stop a conversation from being opened.
func (s *Service) hiddenSet(ctx context.Context, accountID string) (map[string]struct{}, error) {
	ids, err := s.store.HiddenFrom(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("list blocks and mutes: %w", err)
	}
	set := make(map[string]struct{}, len(ids))
	for _, id := range ids {
		set[id] = struct{}{}
	}
	return set, nil
}

func (s *Service) blockedSet(ctx context.Context, accountID string) (map[string]struct{}, error) {
	ids, err := s.store.BlockedWith(ctx, accountID)
	if err != nil {
		return nil, fmt.Errorf("list blocks: %w", err)
	}
	set := make(map[string]struct{}, len(ids))
	for _, id := range ids {
		set[id] = struct{}{}
	}
	return set, nil
}

// Send stores a message and then delivers it to everyone in the room, on
// every node. Sending the same nonce again returns the first message.
func (s *Service) Send(ctx context.Context, actor *kindred.Actor, roomID string, d kindred.ChatDraft) (*MessageView, error) {
	v, err := s.room(ctx, actor, roomID)
	if err != nil {
		return nil, err
	}
	return s.sendIn(ctx, v, d)
}

// sendIn sends as the person v describes, whose standing is already
// checked: by room for a single request, or kept current by the hub for a
// live connection.
func (s *Service) sendIn(ctx context.Context, v *RoomView, d kindred.ChatDraft) (*MessageView, error) {
	actor := &kindred.Actor{Account: v.Subject.Account}
	now := s.now()
	if err := v.sendProblem(now); err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if !s.sends.Allow(actor.AccountID()) {
		return nil, kindred.Errorf(kindred.ERATELIMIT, "You're sending messages very quickly. Please wait a few seconds and try again.")
	}
	m := &kindred.ChatMessage{RoomID: v.Room.ID, Kind: kindred.MessageText, AuthorID: actor.AccountID(), Nonce: d.Nonce,
		Body: d.Body, HTML: s.render.Render(d.Body), CreatedAt: now,
		AuthorNumber: v.Me.Number, AuthorAnonymous: v.Me.Anonymous, AuthorHandle: v.Me.Handle, AuthorName: v.Me.DisplayName}
	err := s.storeMessage(ctx, m) // and publishes it
	stored := err == nil
	switch kindred.ErrorCode(err) {
	case "":
	case kindred.ECONFLICT: // a retry of a message already stored
	default:
		return nil, fmt.Errorf("store message: %w", err)
	}
	mv := viewMessage(m)
	mv.Mine = true
	if s.opts.Crisis != nil {
		if crisis, _ := s.opts.Crisis.ScreenCrisis(ctx, v.Room.OrgID, d.Body); crisis {
			mv.Crisis = true
			if stored {
				s.opts.Crisis.RaiseCrisis(ctx, kindred.CrisisFlag{OrgID: v.Room.OrgID, Kind: kindred.TargetMessage,
					TargetID: kindred.MessageTarget(m.RoomID, m.Seq), ContextID: m.RoomID, AuthorID: m.AuthorID})
			}
		}
	}
	return mv, nil
}

// notice stores and delivers a message from Kindred to everyone in a room.
func (s *Service) notice(ctx context.Context, r *kindred.Room, text string) error {
	m := &kindred.ChatMessage{RoomID: r.ID, Kind: kindred.MessageNotice, Body: text, CreatedAt: s.now()}
	if err := s.store.CreateChatMessage(ctx, m); err != nil {
		return fmt.Errorf("store notice: %w", err)
	}
	s.publishMessage(ctx, m)
	return nil
}

// moderated loads a room the actor may moderate.
func (s *Service) moderated(ctx context.Context, actor *kindred.Actor, roomID string) (*RoomView, error) {
	v, err := s.room(ctx, actor, roomID)
	if err != nil {
		return nil, err
	}
	if !v.CanModerate {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Only the group's facilitators and moderators can do that.")
	}
	return v, nil
}

func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return "", kindred.Invalid{"reason": "Please say briefly why. The reason is kept in the audit log."}.Err()
	}
	if len([]rune(reason)) > kindred.MaxRemoveReason {
		return "", kindred.Invalid{"reason": "Please keep the reason to 300 characters."}.Err()
	}
	return reason, nil
}

// RemoveMessage takes a message out of the room for everyone, with a
// reason; it is audited and the room is told.
func (s *Service) RemoveMessage(ctx context.Context, actor *kindred.Actor, roomID string, seq int64, reason string) error {
	v, err := s.moderated(ctx, actor, roomID)
	if err != nil {
		return err
	}
	reason, err = checkReason(reason)
	if err != nil {
		return err
	}
	msg, err := s.store.FindChatMessage(ctx, v.Room.ID, seq)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND || (err == nil && msg.Kind != kindred.MessageText) {
		return errNoMessage
	}
	if err != nil {
		return fmt.Errorf("find message: %w", err)
	}
	notice := &kindred.ChatMessage{RoomID: v.Room.ID, Kind: kindred.MessageNotice, Removes: seq,
		Body: "A facilitator removed a message.", CreatedAt: s.now()}
	err = s.store.RemoveChatMessage(ctx, v.Room.ID, seq, actor.AccountID(), reason, s.now(), notice)
	if kindred.ErrorCode(err) == kindred.ECONFLICT {
		return nil // already removed: the outcome the facilitator wanted
	}
	if err != nil {
		return fmt.Errorf("remove message: %w", err)
	}
	s.audit.Record(ctx, v.Org.ID, actor.AccountID(), "chat.remove_message",
		"room:"+v.Room.ID+"#"+strconv.FormatInt(seq, 10), "reason: "+reason)
	s.publishMessage(ctx, notice)
	return nil
}

// member finds a person in a room by their number.
func (s *Service) member(ctx context.Context, roomID string, number int) (*kindred.RoomMember, error) {
	members, err := s.store.ListRoomMembers(ctx, roomID)
	if err != nil {
		return nil, fmt.Errorf("list room members: %w", err)
	}
	for _, m := range members {
		if m.Number == number {
			return m, nil
		}
	}
	return nil, errNoPerson
}

// Mute stops a person sending in the room for a while; they can still read.
func (s *Service) Mute(ctx context.Context, actor *kindred.Actor, roomID string, number int, d time.Duration) error {
	v, err := s.moderated(ctx, actor, roomID)
	if err != nil {
		return err
	}
	if d < time.Minute || d > 24*time.Hour {
		return kindred.Invalid{"minutes": "Please choose between 1 minute and 24 hours."}.Err()
	}
	target, err := s.member(ctx, v.Room.ID, number)
	if err != nil {
		return err
	}
	if target.AccountID == actor.AccountID() {
		return kindred.Invalid{"member": "You can't mute yourself."}.Err()
	}
	until := s.now().Add(d)
	at := &until
	if _, err := s.store.UpdateRoomMember(ctx, v.Room.ID, target.AccountID, kindred.RoomMemberUpdate{MutedUntil: &at}); err != nil {
		return fmt.Errorf("mute: %w", err)
	}
	s.audit.Record(ctx, v.Org.ID, actor.AccountID(), "chat.mute", "room:"+v.Room.ID, "account:"+target.AccountID+" for "+d.String())
	if err := s.notice(ctx, v.Room, fmt.Sprintf("A facilitator paused messages from %s for %s.", Label(target), words(d))); err != nil {
		return err
	}
	s.publishMember(ctx, v.Room.ID, target.Number, &until)
	return nil
}

func words(d time.Duration) string {
	if d >= time.Hour && d%time.Hour == 0 {
		if d == time.Hour {
			return "an hour"
		}
		return strconv.Itoa(int(d/time.Hour)) + " hours"
	}
	m := int(d / time.Minute)
	if m == 1 {
		return "a minute"
	}
	return strconv.Itoa(m) + " minutes"
}

// RemovePerson takes a person out of the meeting: their connections close
// at once and they cannot come back to it. It is audited.
func (s *Service) RemovePerson(ctx context.Context, actor *kindred.Actor, roomID string, number int, reason string) error {
	v, err := s.moderated(ctx, actor, roomID)
	if err != nil {
		return err
	}
	reason, err = checkReason(reason)
	if err != nil {
		return err
	}
	target, err := s.member(ctx, v.Room.ID, number)
	if err != nil {
		return err
	}
	if target.AccountID == actor.AccountID() {
		return kindred.Invalid{"member": "You can't remove yourself; use Leave instead."}.Err()
	}
	if target.Removed() {
		return nil
	}
	now := s.now()
	at, by := &now, actor.AccountID()
	if _, err := s.store.UpdateRoomMember(ctx, v.Room.ID, target.AccountID, kindred.RoomMemberUpdate{RemovedAt: &at, RemovedBy: &by}); err != nil {
		return fmt.Errorf("remove person: %w", err)
	}
	s.audit.Record(ctx, v.Org.ID, actor.AccountID(), "chat.remove_person", "room:"+v.Room.ID, "account:"+target.AccountID+"; reason: "+reason)
	s.publishRemoved(ctx, v.Room.ID, target.Number) // in order with the room's messages
	s.AccessChanged(ctx, target.AccountID)
	return s.notice(ctx, v.Room, fmt.Sprintf("A facilitator asked %s to leave the room.", Label(target)))
}

// End closes a room: a facilitator ends a session's meeting, or either
// person ends a conversation. The room is told; history stays readable.
func (s *Service) End(ctx context.Context, actor *kindred.Actor, roomID string) error {
	v, err := s.room(ctx, actor, roomID)
	if err != nil {
		return err
	}
	if v.State == StateEnded {
		return nil
	}
	text := Label(v.Me) + " ended the conversation."
	if v.Room.Kind == kindred.RoomSession {
		if !v.CanModerate {
			return kindred.Errorf(kindred.EFORBIDDEN, "Only the group's facilitators can end the session.")
		}
		text = "The facilitator ended the session. Thank you for being here."
		s.audit.Record(ctx, v.Org.ID, actor.AccountID(), "session.end", "room:"+v.Room.ID, "")
	}
	return s.endRoom(ctx, v.Room, actor.AccountID(), text)
}

func (s *Service) endRoom(ctx context.Context, r *kindred.Room, by, text string) error {
	now := s.now()
	at := &now
	if _, err := s.store.UpdateRoom(ctx, r.ID, kindred.RoomUpdate{EndedAt: &at, EndedBy: &by}); err != nil {
		return fmt.Errorf("end room: %w", err)
	}
	if err := s.notice(ctx, r, text); err != nil {
		return err
	}
	s.publishState(ctx, r.ID)
	return nil
}

// Person is someone who entered a room, as the room shows them.
type Person struct {
	Number     int
	Name       string
	Me         bool
	MutedUntil *time.Time // when muted now
	Removed    bool       // shown to facilitators only
	// AccountID is who they are, for blocking and muting them; empty for
	// anonymous peers, whom the room never names.
	AccountID string
}

// People lists who entered the room, by number; people removed from it are
// listed for facilitators only.
func (s *Service) People(ctx context.Context, actor *kindred.Actor, roomID string) ([]Person, error) {
	v, err := s.room(ctx, actor, roomID)
	if err != nil {
		return nil, err
	}
	members, err := s.store.ListRoomMembers(ctx, v.Room.ID)
	if err != nil {
		return nil, fmt.Errorf("list room members: %w", err)
	}
	blocked, err := s.hiddenSet(ctx, actor.AccountID())
	if err != nil {
		return nil, err
	}
	now := s.now()
	out := make([]Person, 0, len(members))
	for _, m := range members {
		if _, ok := blocked[m.AccountID]; ok || (m.Removed() && !v.CanModerate) {
			continue
		}
		p := Person{Number: m.Number, Name: Label(m), Me: m.AccountID == actor.AccountID(), Removed: m.Removed()}
		if !m.Anonymous {
			p.AccountID = m.AccountID
		}
		if m.Muted(now) {
			p.MutedUntil = m.MutedUntil
		}
		out = append(out, p)
	}
	return out, nil
}

// HideMessage takes a message out of a room for moderation (a moderator's
// decision, or reports passing the organisation's threshold), tells the
// room, and is audited by the moderation service that calls it.
func (s *Service) HideMessage(ctx context.Context, roomID string, seq int64, byAccountID, reason string) error {
	msg, err := s.store.FindChatMessage(ctx, roomID, seq)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND || (err == nil && msg.Kind != kindred.MessageText) {
		return errNoMessage
	}
	if err != nil {
		return fmt.Errorf("find message: %w", err)
	}
	notice := &kindred.ChatMessage{RoomID: roomID, Kind: kindred.MessageNotice, Removes: seq,
		Body: "A moderator hid a message.", CreatedAt: s.now()}
	if err := s.store.RemoveChatMessage(ctx, roomID, seq, byAccountID, reason, s.now(), notice); err != nil {
		return err
	}
	s.publishMessage(ctx, notice)
	return nil
}
