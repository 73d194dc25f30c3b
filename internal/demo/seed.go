package demo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"kindred"
	"kindred/internal/accounts"
)

// Seeding writes straight to the store rather than through the services:
// the demo's history is in the past (threads started days ago), and the
// services would stamp everything "now" and rate-limit a burst of posts.
// Every draft is still validated first, so the demo holds nothing the
// services would refuse.

// Renderer turns Markdown into sanitized HTML.
type Renderer interface {
	Render(markdown string) string
}

// Summary says what Seed created.
type Summary struct {
	Org      *kindred.Organization
	People   []Person
	Groups   int
	Threads  int
	Replies  int
	Password string
	Skipped  bool // the demo organisation existed already
}

// Seed creates the demo community. hash turns the shared demo password into
// a stored hash (once: every demo account shares it). It is idempotent: if
// the demo organisation exists, Seed changes nothing.
func Seed(ctx context.Context, store kindred.Store, render Renderer, hash func(string) (string, error), now time.Time) (*Summary, error) {
	return SeedSealed(ctx, store, render, hash, now, nil)
}

// StaffTOTPSecret is the authenticator-app key (base32) every demo
// moderator, coordinator and admin shares, because their roles need
// two-step sign-in: add it to an app, or compute codes with
// accounts.TOTPCode. It is printed with the demo log-ins. Never use the
// demo community for real people.
const StaffTOTPSecret = "KINDREDDEMOSTAFFTWOSTEPSECRETKEY"

// SeedSealed is Seed for an instance whose two-factor secrets are sealed
// with the operator's key (accounts.Options.SealKey).
func SeedSealed(ctx context.Context, store kindred.Store, render Renderer, hash func(string) (string, error), now time.Time, sealKey []byte) (*Summary, error) {
	c := Content()
	sum := &Summary{People: c.People, Password: c.Password}
	if o, err := store.FindOrganizationBySlug(ctx, c.Org.Slug); err == nil {
		sum.Org, sum.Skipped = o, true
		return sum, nil
	} else if kindred.ErrorCode(err) != kindred.ENOTFOUND {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	pw, err := hash(c.Password)
	if err != nil {
		return nil, fmt.Errorf("seed demo: %w", err)
	}
	start := now.Add(-30 * 24 * time.Hour).UTC()
	ids := map[string]string{}
	people := map[string]Person{}
	var admin string
	for _, p := range c.People {
		d := kindred.SignupDraft{Handle: p.Handle, Password: c.Password, AgeBand: p.AgeBand, DisplayName: p.DisplayName, Pronouns: p.Pronouns}
		if err := d.Validate(); err != nil {
			return nil, fmt.Errorf("seed demo: person %s: %w", p.Handle, err)
		}
		a := &kindred.Account{ID: kindred.NewID(), Handle: p.Handle, DisplayName: p.DisplayName, Pronouns: p.Pronouns,
			Bio: p.Bio, AgeBand: p.AgeBand, PasswordHash: pw, CreatedAt: start}
		for _, r := range p.Roles {
			if r == "admin" {
				a.IsOperator = true
				admin = a.ID
			}
		}
		if existing, err := store.FindAccountByHandle(ctx, p.Handle); err == nil {
			a = existing // a person who signed up with a demo handle keeps their account
		} else if err := store.CreateAccount(ctx, a); err != nil {
			return nil, fmt.Errorf("seed demo: account %s: %w", p.Handle, err)
		} else if staff, _ := kindred.ParseRoles(p.Roles); staff.Any(kindred.TwoStepRoles) {
			secret, err := accounts.DecodeTOTPSecret(StaffTOTPSecret)
			if err != nil {
				return nil, fmt.Errorf("seed demo: %w", err)
			}
			acc := accounts.New(store, accounts.Options{SealKey: sealKey})
			if err := acc.EnableTwoFactorWithSecret(ctx, a.ID, secret); err != nil {
				return nil, fmt.Errorf("seed demo: two-step codes for %s: %w", p.Handle, err)
			}
		}
		ids[p.Handle] = a.ID
		people[p.Handle] = p
	}
	if admin == "" {
		return nil, fmt.Errorf("seed demo: no admin in the demo content")
	}

	od := c.Org
	if err := od.Validate(); err != nil {
		return nil, fmt.Errorf("seed demo: organisation: %w", err)
	}
	org := &kindred.Organization{ID: kindred.NewID(), Slug: od.Slug, Name: od.Name, Kind: od.Kind, JoinPolicy: od.JoinPolicy,
		Description: od.Description, CodeOfConduct: od.CodeOfConduct, Listed: true, CreatedAt: start}
	var first *kindred.Membership
	var rest []*kindred.Membership
	for _, p := range c.People {
		roles, err := kindred.ParseRoles(p.Roles)
		if err != nil {
			return nil, fmt.Errorf("seed demo: roles of %s: %w", p.Handle, err)
		}
		m := &kindred.Membership{OrgID: org.ID, AccountID: ids[p.Handle], Roles: roles, Status: kindred.StatusActive,
			ConductAcceptedAt: &start, CreatedAt: start}
		if ids[p.Handle] == admin {
			first = m
		} else {
			rest = append(rest, m)
		}
	}
	if err := store.CreateOrganization(ctx, org, first); err != nil {
		return nil, fmt.Errorf("seed demo: organisation: %w", err)
	}
	for _, m := range rest {
		if err := store.CreateMembership(ctx, m); err != nil {
			return nil, fmt.Errorf("seed demo: membership: %w", err)
		}
	}
	sum.Org = org

	groupIDs := map[string]string{}
	for _, g := range c.Groups {
		id, err := seedGroup(ctx, store, render, org, g, ids, now, start, sum)
		if err != nil {
			return nil, err
		}
		groupIDs[g.Draft.Slug] = id
	}
	if err := seedLive(ctx, store, render, org, c, ids, groupIDs, now); err != nil {
		return nil, err
	}
	// Training first: supporters are signed off on the starter course.
	if err := seedTraining(ctx, store, org, ids, now); err != nil {
		return nil, err
	}
	if err := seedSupport(ctx, store, org, ids, now); err != nil {
		return nil, err
	}
	return sum, nil
}

func seedGroup(ctx context.Context, store kindred.Store, render Renderer, org *kindred.Organization, g Group,
	ids map[string]string, now, start time.Time, sum *Summary) (string, error) {
	d := g.Draft
	if err := d.Validate(); err != nil {
		return "", fmt.Errorf("seed demo: group %s: %w", d.Name, err)
	}
	if len(g.Facilitators) == 0 {
		return "", fmt.Errorf("seed demo: group %s has no facilitator", d.Name)
	}
	grp := &kindred.Group{ID: kindred.NewID(), OrgID: org.ID, Slug: d.Slug, Name: d.Name, Topic: d.Topic,
		Description: d.Description, Guidelines: d.Guidelines, Visibility: d.Visibility, AgeRule: d.AgeRule,
		CreatedBy: ids[g.Facilitators[0]], CreatedAt: start}
	member := func(handle string, role kindred.GroupRole, status kindred.MembershipStatus) *kindred.GroupMember {
		return &kindred.GroupMember{GroupID: grp.ID, AccountID: ids[handle], Role: role, Status: status, CreatedAt: start}
	}
	if err := store.CreateGroup(ctx, grp, member(g.Facilitators[0], kindred.GroupRoleFacilitator, kindred.StatusActive)); err != nil {
		return "", fmt.Errorf("seed demo: group %s: %w", d.Name, err)
	}
	var ms []*kindred.GroupMember
	for _, h := range g.Facilitators[1:] {
		ms = append(ms, member(h, kindred.GroupRoleFacilitator, kindred.StatusActive))
	}
	for _, h := range g.Members {
		ms = append(ms, member(h, kindred.GroupRoleMember, kindred.StatusActive))
	}
	for _, h := range g.Pending {
		ms = append(ms, member(h, kindred.GroupRoleMember, kindred.StatusPending))
	}
	for _, m := range ms {
		if m.AccountID == "" {
			return "", fmt.Errorf("seed demo: group %s names an unknown person", d.Name)
		}
		if err := store.CreateGroupMember(ctx, m); err != nil {
			return "", fmt.Errorf("seed demo: group %s member: %w", d.Name, err)
		}
	}
	sum.Groups++

	// Oldest first, so activity order matches the story.
	threads := append([]Thread(nil), g.Threads...)
	sort.SliceStable(threads, func(i, j int) bool { return threads[i].Age > threads[j].Age })
	for _, t := range threads {
		td := kindred.ThreadDraft{Kind: t.Kind, Title: t.Title, Body: t.Body, ContentWarning: t.ContentWarning, Anonymous: t.Anonymous}
		if err := td.Validate(); err != nil {
			return "", fmt.Errorf("seed demo: thread %q: %w", t.Title, err)
		}
		at := now.Add(-t.Age).UTC()
		th := &kindred.Thread{ID: kindred.NewID(), GroupID: grp.ID, Kind: td.Kind, Title: td.Title, AuthorID: ids[t.Author],
			Anonymous: td.Anonymous, CreatedAt: at, LastPostAt: at}
		opening := &kindred.Post{ID: kindred.NewID(), AuthorID: ids[t.Author], Anonymous: td.Anonymous, Body: td.Body,
			BodyHTML: render.Render(td.Body), ContentWarning: td.ContentWarning, CreatedAt: at}
		if err := store.CreateThread(ctx, th, opening); err != nil {
			return "", fmt.Errorf("seed demo: thread %q: %w", t.Title, err)
		}
		if err := seedReactions(ctx, store, opening.ID, t.Reactions, ids, at); err != nil {
			return "", err
		}
		sum.Threads++
		for _, r := range t.Replies {
			rd := kindred.ReplyDraft{Body: r.Body, ContentWarning: r.ContentWarning, Anonymous: r.Anonymous}
			if err := rd.Validate(); err != nil {
				return "", fmt.Errorf("seed demo: reply in %q: %w", t.Title, err)
			}
			rat := at.Add(r.AgeOffset)
			p := &kindred.Post{ID: kindred.NewID(), ThreadID: th.ID, AuthorID: ids[r.Author], Anonymous: rd.Anonymous,
				Body: rd.Body, BodyHTML: render.Render(rd.Body), ContentWarning: rd.ContentWarning, CreatedAt: rat}
			if err := store.CreatePost(ctx, p); err != nil {
				return "", fmt.Errorf("seed demo: reply in %q: %w", t.Title, err)
			}
			if err := seedReactions(ctx, store, p.ID, r.Reactions, ids, rat); err != nil {
				return "", err
			}
			sum.Replies++
		}
	}
	return grp.ID, nil
}

func seedReactions(ctx context.Context, store kindred.Store, postID string, rs map[kindred.ReactionKind][]string, ids map[string]string, at time.Time) error {
	for kind, handles := range rs {
		for _, h := range handles {
			if err := store.AddReaction(ctx, &kindred.Reaction{PostID: postID, AccountID: ids[h], Kind: kind, CreatedAt: at.Add(time.Hour)}); err != nil {
				return fmt.Errorf("seed demo: reaction: %w", err)
			}
		}
	}
	return nil
}

// seedLive schedules the demo's sessions, opens the room of the one that is
// on now with a little conversation in it, and starts a 1:1 conversation.
func seedLive(ctx context.Context, store kindred.Store, render Renderer, org *kindred.Organization, c Community,
	ids, groupIDs map[string]string, now time.Time) error {
	loc, err := time.LoadLocation(DemoTimeZone)
	if err != nil {
		loc = time.UTC // a system without time zone data still gets a demo
	}
	facilitatorOf := map[string]string{}
	for _, g := range c.Groups {
		facilitatorOf[g.Draft.Slug] = g.Facilitators[0]
	}
	for _, sd := range c.Sessions {
		gid := groupIDs[sd.Group]
		if gid == "" {
			return fmt.Errorf("seed demo: session %q: no group %s", sd.Title, sd.Group)
		}
		s := &kindred.GroupSession{ID: kindred.NewID(), GroupID: gid, Title: sd.Title, Agenda: sd.Agenda,
			Duration: sd.Duration, TimeZone: loc.String(), Recurrence: sd.Recurrence, Capacity: sd.Capacity,
			CreatedBy: ids[facilitatorOf[sd.Group]], CreatedAt: now.UTC()}
		if sd.Now {
			s.Start = now.Add(-10 * time.Minute).Truncate(time.Minute).UTC()
		} else {
			// The first meeting was three weeks ago on the right weekday;
			// the repeats carry on from there.
			clock, err := time.Parse("15:04", sd.Clock)
			if err != nil {
				return fmt.Errorf("seed demo: session %q: %w", sd.Title, err)
			}
			day := now.In(loc).AddDate(0, 0, -21)
			for day.Weekday() != sd.Weekday {
				day = day.AddDate(0, 0, 1)
			}
			s.Start = time.Date(day.Year(), day.Month(), day.Day(), clock.Hour(), clock.Minute(), 0, 0, loc)
		}
		if err := store.CreateGroupSession(ctx, s); err != nil {
			return fmt.Errorf("seed demo: session %q: %w", sd.Title, err)
		}
		if len(sd.Chat) == 0 {
			continue
		}
		key := kindred.SessionRoomKey(s.ID, s.Start)
		opened := s.Start
		room, err := store.EnsureRoom(ctx, &kindred.Room{ID: kindred.KeyedRoomID(key), Kind: kindred.RoomSession, OrgID: org.ID, Key: key,
			GroupID: gid, SessionID: s.ID, Occurrence: s.Start, Ends: s.Start.Add(s.Duration), OpenedAt: &opened, CreatedAt: s.Start})
		if err != nil {
			return fmt.Errorf("seed demo: room: %w", err)
		}
		if err := seedChat(ctx, store, render, room, sd.Chat, ids, s.Start); err != nil {
			return err
		}
	}
	for _, cv := range c.Conversations {
		key := kindred.ConversationKey(org.ID, ids[cv.A], ids[cv.B])
		at := now.Add(-2 * time.Hour).UTC()
		room, err := store.EnsureRoom(ctx, &kindred.Room{ID: kindred.KeyedRoomID(key), Kind: kindred.RoomConversation, OrgID: org.ID,
			Key: key, Purpose: kindred.PurposePeer, CreatedAt: at})
		if err != nil {
			return fmt.Errorf("seed demo: conversation: %w", err)
		}
		if err := seedChat(ctx, store, render, room, cv.Lines, ids, at); err != nil {
			return err
		}
	}
	return nil
}

// seedChat adds each speaker to the room (having accepted its agreements)
// and their messages a minute apart.
func seedChat(ctx context.Context, store kindred.Store, render Renderer, room *kindred.Room, lines []ChatLine, ids map[string]string, at time.Time) error {
	joined := map[string]bool{}
	for i, l := range lines {
		id := ids[l.Author]
		if id == "" {
			return fmt.Errorf("seed demo: chat line by unknown %s", l.Author)
		}
		t := at.Add(time.Duration(i+1) * time.Minute)
		if !joined[id] {
			m := &kindred.RoomMember{RoomID: room.ID, AccountID: id, AgreedAt: &t, JoinedAt: t}
			if err := store.CreateRoomMember(ctx, m); err != nil && kindred.ErrorCode(err) != kindred.ECONFLICT {
				return fmt.Errorf("seed demo: room member: %w", err)
			}
			joined[id] = true
		}
		d := kindred.ChatDraft{Body: l.Body}
		if err := d.Validate(); err != nil {
			return fmt.Errorf("seed demo: chat line: %w", err)
		}
		msg := &kindred.ChatMessage{RoomID: room.ID, Kind: kindred.MessageText, AuthorID: id, Body: d.Body,
			HTML: render.Render(d.Body), CreatedAt: t}
		if err := store.CreateChatMessage(ctx, msg); err != nil {
			return fmt.Errorf("seed demo: chat message: %w", err)
		}
	}
	return nil
}
