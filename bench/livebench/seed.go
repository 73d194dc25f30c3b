package main

import (
	"context"
	"fmt"
	"strconv"
	"sync"
	"time"

	"kindred"
	"kindred/internal/accounts"
	"kindred/internal/broker"
	"kindred/internal/groups"
	"kindred/internal/live"
	"kindred/internal/markup"
	"kindred/internal/sqlstore"
)

// fixture is what the load needs to know about the seeded community: client
// i signs in with Secrets[i] and joins Rooms[roomOf(i, len(Rooms))].
type fixture struct {
	Rooms   []string
	Secrets []string
}

// roomOf spreads clients over rooms round-robin, so that sending through
// the clients in order spreads messages evenly over the rooms too.
func roomOf(client, rooms int) int { return client % rooms }

// roomOpenFor is how long a seeded meeting's room stays open after
// seeding: it started a minute before and lasts the longest a session may.
const roomOpenFor = kindred.MaxSessionDuration - time.Minute

// dummyPasswordHash is never checked: the load signs in with session
// secrets minted directly, so no password is ever hashed.
const dummyPasswordHash = "$argon2id$v=19$m=19456,t=2,p=1$bGl2ZWJlbmNoc2FsdA$bGl2ZWJlbmNoaGFzaGxpdmViZW5jaGhhc2g"

// seedWorkers bounds concurrent seeding: on PostgreSQL concurrent commits
// share fsyncs; on SQLite the store's one writer serializes them anyway and
// the reads of Enter overlap.
const seedWorkers = 8

// seed creates one organisation, one group per room with a session whose
// meeting is in progress, and one account per client that is a member of
// its room's group, has a session and has entered the meeting's room. It
// goes through the store and the live service, so what it creates is what
// Kindred itself would create.
func seed(ctx context.Context, store *sqlstore.DB, clients, roomSize int, progress func(string)) (*fixture, error) {
	rooms := (clients + roomSize - 1) / roomSize
	now := time.Now().UTC()
	render := markup.New()
	bk := broker.NewMemory()
	defer bk.Close()
	acc := accounts.New(store, accounts.Options{Broker: bk})
	grp := groups.New(store, render, groups.Options{Broker: bk})
	lv := live.New(store, grp, render, live.Options{Broker: bk})
	defer lv.Close()

	accts := make([]*kindred.Account, clients)
	newAccount := func(i int) error {
		a := &kindred.Account{Handle: "lb" + strconv.Itoa(i), AgeBand: kindred.AgeAdult,
			PasswordHash: dummyPasswordHash, CreatedAt: now}
		if err := store.CreateAccount(ctx, a); err != nil {
			return fmt.Errorf("account %d: %w", i, err)
		}
		accts[i] = a
		return nil
	}
	// The first client of each room facilitates its group; they are needed
	// before the groups exist.
	for r := 0; r < rooms && r < clients; r++ {
		if err := newAccount(r); err != nil {
			return nil, err
		}
	}
	org := &kindred.Organization{ID: kindred.NewID(), Slug: "livebench", Name: "Live bench",
		Kind: kindred.OrgOnline, JoinPolicy: kindred.JoinInvite, CodeOfConduct: "Be kind.", CreatedAt: now}
	if err := store.CreateOrganization(ctx, org, member(org.ID, accts[0].ID, kindred.RoleAdmin, now)); err != nil {
		return nil, fmt.Errorf("organisation: %w", err)
	}
	type room struct {
		group   *kindred.Group
		session *kindred.GroupSession
	}
	rs := make([]room, rooms)
	for r := range rs {
		g := &kindred.Group{ID: kindred.NewID(), OrgID: org.ID, Slug: "room-" + strconv.Itoa(r),
			Name: "Room " + strconv.Itoa(r), Guidelines: "- Be kind", Visibility: kindred.VisibilityPrivate,
			AgeRule: kindred.AgeAny, CreatedBy: accts[r].ID, CreatedAt: now}
		first := &kindred.GroupMember{GroupID: g.ID, AccountID: accts[r].ID, Role: kindred.GroupRoleFacilitator,
			Status: kindred.StatusActive, CreatedAt: now}
		if err := store.CreateGroup(ctx, g, first); err != nil {
			return nil, fmt.Errorf("group %d: %w", r, err)
		}
		// The meeting started a minute ago and lasts the longest a session
		// may, so the rooms stay open for the whole run.
		sess := &kindred.GroupSession{GroupID: g.ID, Title: "Bench meeting", Start: now.Add(-time.Minute).Truncate(time.Second),
			Duration: kindred.MaxSessionDuration, TimeZone: "UTC", Recurrence: kindred.RecurNone,
			CreatedBy: accts[r].ID, CreatedAt: now}
		if err := store.CreateGroupSession(ctx, sess); err != nil {
			return nil, fmt.Errorf("session %d: %w", r, err)
		}
		rs[r] = room{g, sess}
	}

	fx := &fixture{Rooms: make([]string, rooms), Secrets: make([]string, clients)}
	one := func(i int) error {
		r := roomOf(i, rooms)
		if accts[i] == nil {
			if err := newAccount(i); err != nil {
				return err
			}
		}
		a := accts[i]
		if i != 0 {
			if err := store.CreateMembership(ctx, member(org.ID, a.ID, 0, now)); err != nil {
				return fmt.Errorf("membership %d: %w", i, err)
			}
		}
		if i >= rooms { // the facilitators joined their groups on creation
			gm := &kindred.GroupMember{GroupID: rs[r].group.ID, AccountID: a.ID, Role: kindred.GroupRoleMember,
				Status: kindred.StatusActive, CreatedAt: now}
			if err := store.CreateGroupMember(ctx, gm); err != nil {
				return fmt.Errorf("group member %d: %w", i, err)
			}
		}
		secret, err := acc.StartSession(ctx, a.ID, "livebench")
		if err != nil {
			return fmt.Errorf("session secret %d: %w", i, err)
		}
		v, err := lv.Enter(ctx, &kindred.Actor{Account: a}, org.Slug, rs[r].group.Slug, rs[r].session.ID, live.EnterOptions{Agree: true})
		if err != nil {
			return fmt.Errorf("enter room %d: %w", i, err)
		}
		fx.Secrets[i] = secret
		if i < rooms { // the facilitators enter first, one at a time
			fx.Rooms[r] = v.Room.ID
		} else if v.Room.ID != fx.Rooms[r] {
			return fmt.Errorf("client %d entered room %s, not its group's %s", i, v.Room.ID, fx.Rooms[r])
		}
		return nil
	}
	// Facilitators enter first, one by one, so that each room is created
	// once rather than raced for.
	for i := 0; i < rooms && i < clients; i++ {
		if err := one(i); err != nil {
			return nil, err
		}
	}
	var (
		wg    sync.WaitGroup
		mu    sync.Mutex
		first error
		done  int
		next  = make(chan int)
	)
	for range seedWorkers {
		wg.Go(func() {
			for i := range next {
				err := one(i)
				mu.Lock()
				if err != nil && first == nil {
					first = err
				}
				done++
				if progress != nil && done%2000 == 0 {
					progress(fmt.Sprintf("seeded %d of %d clients", done, clients))
				}
				mu.Unlock()
			}
		})
	}
	for i := rooms; i < clients; i++ {
		mu.Lock()
		failed := first != nil
		mu.Unlock()
		if failed {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if first != nil {
		return nil, first
	}
	return fx, nil
}

func member(orgID, accountID string, roles kindred.Role, now time.Time) *kindred.Membership {
	return &kindred.Membership{OrgID: orgID, AccountID: accountID, Roles: roles | kindred.RoleMember,
		Status: kindred.StatusActive, ConductAcceptedAt: &now, CreatedAt: now}
}
