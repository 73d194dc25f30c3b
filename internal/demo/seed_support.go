package demo

import (
	"context"
	"fmt"
	"html"
	"time"

	"kindred"
)

// seedSupport gives the demo supporters profiles and shifts, and leaves
// requests and conversations for the queue and the dashboard.
// ids maps handles to account ids. Everything goes through the store, as
// the service would leave it.
func seedSupport(ctx context.Context, store kindred.Store, org *kindred.Organization, ids map[string]string, now time.Time) error {
	for _, h := range []string{"kwame_tide", "wren_moth", "paper_cranes", "mei_spades", "alex_demo"} {
		if ids[h] == "" {
			return fmt.Errorf("seed demo: support: no %s", h)
		}
	}
	set := kindred.DefaultSupportSettings(org.ID)
	set.UpdatedAt = now
	if err := store.SaveSupportSettings(ctx, set); err != nil {
		return fmt.Errorf("seed demo: support settings: %w", err)
	}
	kwame, wren := ids["kwame_tide"], ids["wren_moth"]
	profiles := []*kindred.SupporterProfile{
		{OrgID: org.ID, AccountID: kwame, Intro: "Hi, I'm Kwame. I came out in my thirties, in a church family. Take your time; I'm listening.",
			Experiences: []string{"coming_out", "faith", "race_culture"}, Languages: []string{"en"},
			Identities: []kindred.Identity{kindred.IdentityPersonOfColour, kindred.IdentityFaith}, TimeZone: "Europe/London",
			Availability: []kindred.WeeklySlot{{Day: time.Tuesday, From: 18 * 60, To: 21 * 60}, {Day: time.Saturday, From: 10 * 60, To: 13 * 60}},
			Capacity:     3, UpdatedAt: now},
		{OrgID: org.ID, AccountID: wren, Intro: "Hey, I'm Wren (they/them). School was rough for me too. Hablo español también.",
			Experiences: []string{"trans_nonbinary", "school_bullying", "family_rejection"}, Languages: []string{"en", "es"},
			Identities: []kindred.Identity{kindred.IdentityTrans, kindred.IdentityNonbinary}, TimeZone: "America/Chicago",
			Capacity: 2, YouthProgramme: true, UpdatedAt: now},
	}
	for _, p := range profiles {
		if err := store.SaveSupporterProfile(ctx, p); err != nil {
			return fmt.Errorf("seed demo: supporter profile: %w", err)
		}
		if err := store.StartShift(ctx, &kindred.Shift{OrgID: org.ID, AccountID: p.AccountID, StartedAt: now.Add(-40 * time.Minute)}); err != nil {
			return fmt.Errorf("seed demo: shift: %w", err)
		}
	}

	// An ended conversation: alex_demo and wren, with feedback and a debrief.
	ended := now.Add(-3 * 24 * time.Hour)
	m, err := seedMatch(ctx, store, org, ids["alex_demo"], wren, []string{"trans_nonbinary"}, "Thinking about how to tell my housemates.",
		"Shares trans and nonbinary experience; 0 of 2 conversations open; not matched yet.", ended)
	if err != nil {
		return err
	}
	if _, err := store.EndSupportMatch(ctx, m.ID, kindred.SupportMatchEnd{At: ended.Add(50 * time.Minute), By: ids["alex_demo"],
		End: kindred.MatchEndedByMember}); err != nil {
		return fmt.Errorf("seed demo: end match: %w", err)
	}
	if err := store.CreateSupportFeedback(ctx, &kindred.SupportFeedback{MatchID: m.ID, OrgID: org.ID, MemberID: ids["alex_demo"],
		SupporterID: wren, Helped: kindred.HelpedYes, Comment: "Wren got it straight away. Thank you.", CreatedAt: ended.Add(55 * time.Minute)}); err != nil {
		return fmt.Errorf("seed demo: feedback: %w", err)
	}
	if err := store.CreateSupportDebrief(ctx, &kindred.SupportDebrief{MatchID: m.ID, OrgID: org.ID, SupporterID: wren,
		Body: "Talked through telling housemates; they have a plan and a friend to call.", CreatedAt: ended.Add(time.Hour)}); err != nil {
		return fmt.Errorf("seed demo: debrief: %w", err)
	}

	// A conversation going on now: kwame_tide and mei_spades on coming out.
	started := now.Add(-25 * time.Minute)
	m, err = seedMatch(ctx, store, org, ids["mei_spades"], kwame, []string{"coming_out"}, "I want to come out to my parents but I'm scared.",
		"Shares coming out; 0 of 3 conversations open; not matched yet.", started)
	if err != nil {
		return err
	}
	room, err := store.EnsureRoom(ctx, &kindred.Room{Kind: kindred.RoomConversation, OrgID: org.ID, Purpose: kindred.PurposeSupport, CreatedAt: started})
	if err != nil {
		return fmt.Errorf("seed demo: support room: %w", err)
	}
	for _, id := range []string{kwame, ids["mei_spades"]} {
		if err := store.CreateRoomMember(ctx, &kindred.RoomMember{RoomID: room.ID, AccountID: id, AgreedAt: &started, JoinedAt: started}); err != nil {
			return fmt.Errorf("seed demo: support room member: %w", err)
		}
	}
	if _, err := store.UpdateSupportMatch(ctx, m.ID, kindred.SupportMatchUpdate{RoomID: &room.ID}); err != nil {
		return fmt.Errorf("seed demo: support room: %w", err)
	}
	lines := []struct{ by, body string }{
		{kwame, "Hi Mei, I'm Kwame. Thanks for reaching out. What's on your mind?"},
		{ids["mei_spades"], "I want to tell my parents I'm bi, but I keep backing out."},
		{kwame, "That makes a lot of sense. Backing out isn't failing; it's you looking after yourself. What worries you most?"},
		{ids["mei_spades"], "Mostly my dad. He goes quiet when it comes up on TV."},
	}
	for i, l := range lines {
		at := started.Add(time.Duration(i+1) * 2 * time.Minute)
		if err := store.CreateChatMessage(ctx, &kindred.ChatMessage{RoomID: room.ID, Kind: kindred.MessageText, AuthorID: l.by, Body: l.body,
			HTML: "<p>" + html.EscapeString(l.body) + "</p>", CreatedAt: at}); err != nil {
			return fmt.Errorf("seed demo: support chat: %w", err)
		}
	}

	// Waiting: paper_cranes (13–17) on school bullying, offered to Wren,
	// who is in the youth programme.
	r := &kindred.SupportRequest{OrgID: org.ID, MemberID: ids["paper_cranes"], Topics: []string{"school_bullying"},
		Details: "Some people in my year keep calling me names in the corridor.", NotMySchool: true,
		Urgency: kindred.UrgencyToday, CreatedAt: now.Add(-6 * time.Minute)}
	if err := store.CreateSupportRequest(ctx, r); err != nil {
		return fmt.Errorf("seed demo: support request: %w", err)
	}
	if _, err := store.CreateSupportOffers(ctx, r.ID, []*kindred.SupportOffer{{OrgID: org.ID, SupporterID: wren, Rank: 1, Score: 19,
		Reason:    "Shares bullying at school; in the youth programme; 0 of 2 conversations open; last matched 3 days ago.",
		CreatedAt: now.Add(-2 * time.Minute), ExpiresAt: now.Add(3 * time.Minute)}}, set.OffersAtOnce); err != nil {
		return fmt.Errorf("seed demo: support offer: %w", err)
	}
	return nil
}

// seedMatch stores a request and its accepted offer: a match at at.
func seedMatch(ctx context.Context, store kindred.Store, org *kindred.Organization, member, supporter string, topics []string,
	details, reason string, at time.Time) (*kindred.SupportMatch, error) {
	r := &kindred.SupportRequest{OrgID: org.ID, MemberID: member, Topics: topics, Details: details,
		Urgency: kindred.UrgencyToday, CreatedAt: at.Add(-4 * time.Minute)}
	if err := store.CreateSupportRequest(ctx, r); err != nil {
		return nil, fmt.Errorf("seed demo: support request: %w", err)
	}
	offers, err := store.CreateSupportOffers(ctx, r.ID, []*kindred.SupportOffer{{OrgID: org.ID, SupporterID: supporter, Rank: 1,
		Reason: reason, CreatedAt: at.Add(-3 * time.Minute), ExpiresAt: at.Add(2 * time.Minute)}}, 3)
	if err != nil {
		return nil, fmt.Errorf("seed demo: support offer: %w", err)
	}
	m := &kindred.SupportMatch{}
	if err := store.AcceptSupportOffer(ctx, offers[0].ID, supporter, 3, m, at); err != nil {
		return nil, fmt.Errorf("seed demo: accept: %w", err)
	}
	return m, nil
}
