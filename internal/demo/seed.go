package demo

import (
	"context"
	"fmt"
	"sort"
	"time"

	"kindred"
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

	for _, g := range c.Groups {
		if err := seedGroup(ctx, store, render, org, g, ids, now, start, sum); err != nil {
			return nil, err
		}
	}
	return sum, nil
}

func seedGroup(ctx context.Context, store kindred.Store, render Renderer, org *kindred.Organization, g Group,
	ids map[string]string, now, start time.Time, sum *Summary) error {
	d := g.Draft
	if err := d.Validate(); err != nil {
		return fmt.Errorf("seed demo: group %s: %w", d.Name, err)
	}
	if len(g.Facilitators) == 0 {
		return fmt.Errorf("seed demo: group %s has no facilitator", d.Name)
	}
	grp := &kindred.Group{ID: kindred.NewID(), OrgID: org.ID, Slug: d.Slug, Name: d.Name, Topic: d.Topic,
		Description: d.Description, Guidelines: d.Guidelines, Visibility: d.Visibility, AgeRule: d.AgeRule,
		CreatedBy: ids[g.Facilitators[0]], CreatedAt: start}
	member := func(handle string, role kindred.GroupRole, status kindred.MembershipStatus) *kindred.GroupMember {
		return &kindred.GroupMember{GroupID: grp.ID, AccountID: ids[handle], Role: role, Status: status, CreatedAt: start}
	}
	if err := store.CreateGroup(ctx, grp, member(g.Facilitators[0], kindred.GroupRoleFacilitator, kindred.StatusActive)); err != nil {
		return fmt.Errorf("seed demo: group %s: %w", d.Name, err)
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
			return fmt.Errorf("seed demo: group %s names an unknown person", d.Name)
		}
		if err := store.CreateGroupMember(ctx, m); err != nil {
			return fmt.Errorf("seed demo: group %s member: %w", d.Name, err)
		}
	}
	sum.Groups++

	// Oldest first, so activity order matches the story.
	threads := append([]Thread(nil), g.Threads...)
	sort.SliceStable(threads, func(i, j int) bool { return threads[i].Age > threads[j].Age })
	for _, t := range threads {
		td := kindred.ThreadDraft{Kind: t.Kind, Title: t.Title, Body: t.Body, ContentWarning: t.ContentWarning, Anonymous: t.Anonymous}
		if err := td.Validate(); err != nil {
			return fmt.Errorf("seed demo: thread %q: %w", t.Title, err)
		}
		at := now.Add(-t.Age).UTC()
		th := &kindred.Thread{ID: kindred.NewID(), GroupID: grp.ID, Kind: td.Kind, Title: td.Title, AuthorID: ids[t.Author],
			Anonymous: td.Anonymous, CreatedAt: at, LastPostAt: at}
		opening := &kindred.Post{ID: kindred.NewID(), AuthorID: ids[t.Author], Anonymous: td.Anonymous, Body: td.Body,
			BodyHTML: render.Render(td.Body), ContentWarning: td.ContentWarning, CreatedAt: at}
		if err := store.CreateThread(ctx, th, opening); err != nil {
			return fmt.Errorf("seed demo: thread %q: %w", t.Title, err)
		}
		if err := seedReactions(ctx, store, opening.ID, t.Reactions, ids, at); err != nil {
			return err
		}
		sum.Threads++
		for _, r := range t.Replies {
			rd := kindred.ReplyDraft{Body: r.Body, ContentWarning: r.ContentWarning, Anonymous: r.Anonymous}
			if err := rd.Validate(); err != nil {
				return fmt.Errorf("seed demo: reply in %q: %w", t.Title, err)
			}
			rat := at.Add(r.AgeOffset)
			p := &kindred.Post{ID: kindred.NewID(), ThreadID: th.ID, AuthorID: ids[r.Author], Anonymous: rd.Anonymous,
				Body: rd.Body, BodyHTML: render.Render(rd.Body), ContentWarning: rd.ContentWarning, CreatedAt: rat}
			if err := store.CreatePost(ctx, p); err != nil {
				return fmt.Errorf("seed demo: reply in %q: %w", t.Title, err)
			}
			if err := seedReactions(ctx, store, p.ID, r.Reactions, ids, rat); err != nil {
				return err
			}
			sum.Replies++
		}
	}
	return nil
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
