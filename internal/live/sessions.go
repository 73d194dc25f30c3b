package live

import (
	"context"
	"fmt"
	"time"

	"kindred"
	"kindred/internal/access"
	"kindred/internal/groups"
)

// UpcomingMeetings is how many meetings a session page lists.
const UpcomingMeetings = 6

// Meeting is one meeting of a session as one person sees it.
type Meeting struct {
	Start, End time.Time
	Going      int
	Mine       *bool // the person's answer; nil when they have not answered
	Full       bool
}

// SessionView is a session with what one person needs to see about it.
type SessionView struct {
	Session    *kindred.GroupSession
	Describe   string    // "Every Tuesday at 18:30"
	Upcoming   []Meeting // the meeting in progress or next, then the ones after
	AgendaHTML string
}

// Next is the meeting in progress or the next one, if any.
func (v *SessionView) Next() *Meeting {
	if len(v.Upcoming) == 0 {
		return nil
	}
	return &v.Upcoming[0]
}

// SessionPage is everything the session page shows.
type SessionPage struct {
	Place *groups.Place
	*SessionView
	// Room is the room of the meeting in progress or about to start, when
	// someone has entered it; Me is the person's place in it.
	Room      *kindred.Room
	Me        *kindred.RoomMember
	State     RoomState
	CanManage bool // schedule, cancel, and the facilitator tools
	CanEnter  bool // the room is (or is about to be) open and they may join it
	// AgreementsHTML is the group's agreements, which everyone accepts on
	// entering.
	AgreementsHTML string
}

func (s *Service) view(ctx context.Context, sess *kindred.GroupSession, accountID string) (*SessionView, error) {
	now := s.now()
	v := &SessionView{Session: sess, Describe: sess.Recurrence.Describe(sess.Start.In(sess.Location())),
		AgendaHTML: s.render.Render(sess.Agenda)}
	starts := sess.Meetings(now, now.AddDate(2, 0, 0), UpcomingMeetings)
	if len(starts) == 0 {
		return v, nil
	}
	going, err := s.store.CountGoing(ctx, sess.ID)
	if err != nil {
		return nil, fmt.Errorf("count answers: %w", err)
	}
	mine := map[int64]bool{}
	if accountID != "" {
		rs, err := s.store.ListRSVPs(ctx, kindred.RSVPFilter{SessionID: sess.ID, AccountID: accountID})
		if err != nil {
			return nil, fmt.Errorf("list answers: %w", err)
		}
		for _, r := range rs {
			mine[r.Occurrence.Unix()] = r.Going
		}
	}
	for _, st := range starts {
		m := Meeting{Start: st, End: st.Add(sess.Duration), Going: going[st.Unix()]}
		if g, ok := mine[st.Unix()]; ok {
			m.Mine = &g
		}
		m.Full = sess.Capacity > 0 && m.Going >= sess.Capacity
		v.Upcoming = append(v.Upcoming, m)
	}
	return v, nil
}

// groupPlace finds a group the actor may read; sessions are for the
// people who can read the group.
func (s *Service) groupPlace(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string) (*groups.Place, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	p, err := s.places.Get(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, err
	}
	if !p.Can(access.ReadGroup) {
		if p.Group.Visibility == kindred.VisibilityHidden {
			return nil, kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that group.")
		}
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Sessions of %s are for its members. Join the group to take part.", p.Group.Name)
	}
	return p, nil
}

func canManage(p *groups.Place) bool {
	return p.Can(access.ManageGroup) && p.Subject.Account.SuspendedAt == nil
}

// Sessions lists a group's sessions, the soonest first; series with no
// meetings left are dropped.
func (s *Service) Sessions(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string) (*groups.Place, []*SessionView, error) {
	p, err := s.groupPlace(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, nil, err
	}
	list, err := s.store.ListGroupSessions(ctx, kindred.GroupSessionFilter{GroupID: p.Group.ID})
	if err != nil {
		return nil, nil, fmt.Errorf("list sessions: %w", err)
	}
	var out []*SessionView
	for _, sess := range list {
		v, err := s.view(ctx, sess, actor.AccountID())
		if err != nil {
			return nil, nil, err
		}
		if len(v.Upcoming) > 0 {
			out = append(out, v)
		}
	}
	sortByNext(out)
	return p, out, nil
}

func sortByNext(vs []*SessionView) {
	for i := 1; i < len(vs); i++ {
		for j := i; j > 0 && vs[j].Upcoming[0].Start.Before(vs[j-1].Upcoming[0].Start); j-- {
			vs[j], vs[j-1] = vs[j-1], vs[j]
		}
	}
}

// Schedule creates a session; facilitators of the group and organisation
// admins may.
func (s *Service) Schedule(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug string, d kindred.GroupSessionDraft) (*groups.Place, *kindred.GroupSession, error) {
	p, err := s.groupPlace(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, nil, err
	}
	if !canManage(p) {
		return nil, nil, kindred.Errorf(kindred.EFORBIDDEN, "Only the group's facilitators can schedule sessions.")
	}
	start, until, err := d.Validate(s.now())
	if err != nil {
		return nil, nil, err
	}
	sess := &kindred.GroupSession{GroupID: p.Group.ID, Title: d.Title, Agenda: d.Agenda, Start: start,
		Duration: d.Duration, TimeZone: d.TimeZone, Recurrence: d.Recurrence, Until: until,
		Capacity: d.Capacity, CreatedBy: actor.AccountID(), CreatedAt: s.now()}
	if err := s.store.CreateGroupSession(ctx, sess); err != nil {
		return nil, nil, fmt.Errorf("create session: %w", err)
	}
	return p, sess, nil
}

// session finds a session of a readable group.
func (s *Service) session(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, sessionID string) (*groups.Place, *kindred.GroupSession, error) {
	p, err := s.groupPlace(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, nil, err
	}
	sess, err := s.store.FindGroupSession(ctx, sessionID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND || (err == nil && (sess.GroupID != p.Group.ID || sess.Canceled())) {
		return nil, nil, errNoSession
	}
	if err != nil {
		return nil, nil, fmt.Errorf("find session: %w", err)
	}
	return p, sess, nil
}

// Session returns the session page.
func (s *Service) Session(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, sessionID string) (*SessionPage, error) {
	p, sess, err := s.session(ctx, actor, orgSlug, groupSlug, sessionID)
	if err != nil {
		return nil, err
	}
	v, err := s.view(ctx, sess, actor.AccountID())
	if err != nil {
		return nil, err
	}
	page := &SessionPage{Place: p, SessionView: v, CanManage: canManage(p),
		AgreementsHTML: s.render.Render(p.Group.Guidelines), State: StateEnded}
	if next := v.Next(); next != nil {
		room := sessionRoom(p.Group, sess, next.Start)
		page.State = roomState(room, s.now())
		if r, err := s.store.FindRoom(ctx, room.ID); err == nil {
			page.Room = r
			page.State = roomState(r, s.now())
			if me, err := s.store.FindRoomMember(ctx, r.ID, actor.AccountID()); err == nil {
				page.Me = me
			}
		}
		page.CanEnter = page.State != StateEnded && s.now().After(next.Start.Add(-kindred.EarlyOpening)) &&
			mayTakePart(p) && !page.Me.Removed()
	}
	return page, nil
}

func mayTakePart(p *groups.Place) bool {
	return p.Can(access.PostInGroup) || p.Can(access.ModerateGroup)
}

// RSVP records whether the actor is going to one meeting.
func (s *Service) RSVP(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, sessionID string, meeting time.Time, going bool) error {
	p, sess, err := s.session(ctx, actor, orgSlug, groupSlug, sessionID)
	if err != nil {
		return err
	}
	if !mayTakePart(p) {
		return kindred.Errorf(kindred.EFORBIDDEN, "Join %s to say you're coming to its sessions.", p.Group.Name)
	}
	if !sess.IsMeeting(meeting) || !meeting.Add(sess.Duration).After(s.now()) {
		return kindred.Invalid{"meeting": "That meeting isn't on the schedule any more. Please choose another."}.Err()
	}
	r := &kindred.RSVP{SessionID: sess.ID, Occurrence: meeting, AccountID: actor.AccountID(), Going: going, At: s.now()}
	if err := s.store.SetRSVP(ctx, r, sess.Capacity); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return kindred.Errorf(kindred.ECONFLICT, "That meeting is full. You can still come to another one.")
		}
		return fmt.Errorf("answer: %w", err)
	}
	return nil
}

// CancelSession calls off the whole series. It is audited, and anyone in
// its room is told.
func (s *Service) CancelSession(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, sessionID string) (*groups.Place, error) {
	p, sess, err := s.session(ctx, actor, orgSlug, groupSlug, sessionID)
	if err != nil {
		return nil, err
	}
	if !canManage(p) {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "Only the group's facilitators can cancel sessions.")
	}
	now := s.now()
	at := &now
	if _, err := s.store.UpdateGroupSession(ctx, sess.ID, kindred.GroupSessionUpdate{CanceledAt: &at}); err != nil {
		return nil, fmt.Errorf("cancel session: %w", err)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "session.cancel", "session:"+sess.ID, "")
	if start, ok := sess.Current(now); ok {
		if r, err := s.store.FindRoom(ctx, sessionRoom(p.Group, sess, start).ID); err == nil && r.EndedAt == nil {
			if err := s.endRoom(ctx, r, actor.AccountID(), "The facilitator cancelled this session. Thank you for being here."); err != nil {
				return nil, err
			}
		}
	}
	return p, nil
}

// Calendar returns sessions for an iCalendar export: one session when
// sessionID is set, else the group's whole schedule.
func (s *Service) Calendar(ctx context.Context, actor *kindred.Actor, orgSlug, groupSlug, sessionID string) (*groups.Place, []*kindred.GroupSession, error) {
	if sessionID != "" {
		p, sess, err := s.session(ctx, actor, orgSlug, groupSlug, sessionID)
		if err != nil {
			return nil, nil, err
		}
		return p, []*kindred.GroupSession{sess}, nil
	}
	p, err := s.groupPlace(ctx, actor, orgSlug, groupSlug)
	if err != nil {
		return nil, nil, err
	}
	list, err := s.store.ListGroupSessions(ctx, kindred.GroupSessionFilter{GroupID: p.Group.ID})
	if err != nil {
		return nil, nil, fmt.Errorf("list sessions: %w", err)
	}
	return p, list, nil
}
