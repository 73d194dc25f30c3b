package sqlstore

import (
	"slices"
	"testing"
	"time"

	"kindred"
)

// mutesContract lists the contract cases for mutes, hidden topics, the
// listing of one's own blocks, and the HideAuthors filters.
var mutesContract = []struct {
	name string
	fn   func(t *testing.T, db *DB)
}{
	{"Mutes", testMutes},
	{"HiddenTopics", testHiddenTopics},
	{"HideAuthorsInThreads", testHideAuthorsInThreads},
	{"EraseMutes", testEraseMutes},
}

func testMutes(t *testing.T, db *DB) {
	ctx := t.Context()
	ana := newAccount(t, db, "ana", "Ana")
	ben := newAccount(t, db, "ben", "")
	cy := newAccount(t, db, "cy", "Cy")
	dee := newAccount(t, db, "dee", "Dee")

	m := &kindred.Mute{AccountID: ana.ID, MutedID: ben.ID, CreatedAt: at(1).Add(time.Microsecond)}
	must(t, db.CreateMute(ctx, m))
	if !m.CreatedAt.Equal(at(1)) {
		t.Errorf("CreatedAt %v, want %v", m.CreatedAt, at(1))
	}
	again := &kindred.Mute{AccountID: ana.ID, MutedID: ben.ID, CreatedAt: at(9)}
	must(t, db.CreateMute(ctx, again))
	if !again.CreatedAt.Equal(at(1)) {
		t.Errorf("muting again: CreatedAt %v, want the first mute's %v", again.CreatedAt, at(1))
	}
	fill := &kindred.Mute{AccountID: ana.ID, MutedID: dee.ID}
	must(t, db.CreateMute(ctx, fill))
	if fill.CreatedAt.IsZero() {
		t.Error("CreatedAt not filled")
	}
	wantCode(t, db.CreateMute(ctx, &kindred.Mute{AccountID: ana.ID, MutedID: "missing"}), kindred.ENOTFOUND)

	muted := func(a, b *kindred.Account) bool {
		t.Helper()
		ok, err := db.IsMuted(ctx, a.ID, b.ID)
		must(t, err)
		return ok
	}
	if !muted(ana, ben) || muted(ben, ana) || muted(ana, cy) {
		t.Error("IsMuted: a mute works one way and only for whom it names")
	}

	// Ana blocked Cy, and Dee blocked Ana: HiddenFrom is blocks both ways
	// plus Ana's own mutes; for Ben (muted, not muting) it is nothing.
	must(t, db.CreateBlock(ctx, &kindred.Block{AccountID: ana.ID, BlockedID: cy.ID, CreatedAt: at(2)}))
	must(t, db.CreateBlock(ctx, &kindred.Block{AccountID: dee.ID, BlockedID: ana.ID, CreatedAt: at(3)}))
	hidden := func(a *kindred.Account) []string {
		t.Helper()
		got, err := db.HiddenFrom(ctx, a.ID)
		must(t, err)
		return got
	}
	wantEqual(t, "hidden from Ana", hidden(ana), slices.Sorted(slices.Values([]string{ben.ID, cy.ID, dee.ID})))
	wantEqual(t, "hidden from Ben", hidden(ben), []string{})
	wantEqual(t, "hidden from Cy", hidden(cy), []string{ana.ID})
	wantEqual(t, "hidden from Dee", hidden(dee), []string{ana.ID})

	// Ana's own list: whom she blocked or muted, by name whatever the
	// capitals, once each; Dee's
	// block of her is not hers to see.
	list, err := db.ListBlocksAndMutes(ctx, ana.ID)
	must(t, err)
	var got []kindred.HiddenPerson
	for _, p := range list {
		if p.AccountID == dee.ID {
			p.Since = time.Time{} // filled at an unknown time above
		}
		got = append(got, *p)
	}
	wantEqual(t, "Ana's blocks and mutes", got, []kindred.HiddenPerson{
		{AccountID: ben.ID, Handle: "ben", Name: "ben", Muted: true, Since: at(1)},
		{AccountID: cy.ID, Handle: "cy", Name: "Cy", Blocked: true, Since: at(2)},
		{AccountID: dee.ID, Handle: "dee", Name: "Dee", Muted: true},
	})
	// Blocking someone one also muted lists them once, with both.
	must(t, db.CreateBlock(ctx, &kindred.Block{AccountID: ana.ID, BlockedID: ben.ID, CreatedAt: at(4)}))
	list, err = db.ListBlocksAndMutes(ctx, ana.ID)
	must(t, err)
	if len(list) != 3 {
		t.Fatalf("listed %d people, want 3", len(list))
	}
	for _, p := range list {
		if p.AccountID == ben.ID && (!p.Blocked || !p.Muted || !p.Since.Equal(at(1))) {
			t.Errorf("Ben: %+v, want blocked and muted since %v", p, at(1))
		}
	}
	list, err = db.ListBlocksAndMutes(ctx, dee.ID)
	must(t, err)
	if len(list) != 1 || list[0].AccountID != ana.ID || !list[0].Blocked || list[0].Muted {
		t.Errorf("Dee's list: %+v", list)
	}
	list, err = db.ListBlocksAndMutes(ctx, cy.ID)
	must(t, err)
	wantEqual(t, "Cy's list (only blocked by others)", len(list), 0)

	// Unmuting is idempotent and one way.
	must(t, db.DeleteMute(ctx, ana.ID, ben.ID))
	must(t, db.DeleteMute(ctx, ana.ID, ben.ID))
	must(t, db.DeleteMute(ctx, ben.ID, ana.ID))
	if muted(ana, ben) {
		t.Error("still muted after DeleteMute")
	}
	if !muted(ana, dee) {
		t.Error("DeleteMute took another mute with it")
	}
}

func testHiddenTopics(t *testing.T, db *DB) {
	ctx := t.Context()
	ana := newAccount(t, db, "ana", "Ana")
	ben := newAccount(t, db, "ben", "Ben")
	topics := func(a *kindred.Account) []string {
		t.Helper()
		got, err := db.ListHiddenTopics(ctx, a.ID)
		must(t, err)
		return got
	}
	wantEqual(t, "none yet", topics(ana), []string{})
	must(t, db.SetHiddenTopics(ctx, ana.ID, []string{"Self-harm", "family rejection", "self harm", "Ünïcode ümlaut", ""}, at(1)))
	// Kept as written, once per folded form (the first), in folded order.
	wantEqual(t, "Ana's topics", topics(ana), []string{"family rejection", "Self-harm", "Ünïcode ümlaut"})
	wantEqual(t, "Ben's topics", topics(ben), []string{})
	must(t, db.SetHiddenTopics(ctx, ben.ID, []string{"dysphoria"}, time.Time{}))
	// Replacing is whole: what is left out is gone.
	must(t, db.SetHiddenTopics(ctx, ana.ID, []string{"suicide"}, at(2)))
	wantEqual(t, "Ana's replaced topics", topics(ana), []string{"suicide"})
	must(t, db.SetHiddenTopics(ctx, ana.ID, nil, at(3)))
	wantEqual(t, "Ana cleared", topics(ana), []string{})
	wantEqual(t, "Ben's untouched", topics(ben), []string{"dysphoria"})
}

func testHideAuthorsInThreads(t *testing.T, db *DB) {
	ctx := t.Context()
	host := newAccount(t, db, "host", "Host")
	org := newOrg(t, db, "rainbow", "Rainbow", host)
	g := newGroup(t, db, org, "circle", "Circle", host)
	ben := newAccount(t, db, "ben", "Ben") // hidden from the reader
	cy := newAccount(t, db, "cy", "Cy")

	// t1, by Cy: replies by Ben (named, latest) and Ben (anonymous) and Host.
	t1, _ := newThread(t, db, g, cy, "Cy's story", at(1))
	newReply(t, db, t1, host, "host reply", at(2))
	anon := &kindred.Post{ThreadID: t1.ID, AuthorID: ben.ID, Anonymous: true, Body: "anon", BodyHTML: "<p>anon</p>", CreatedAt: at(3)}
	must(t, db.CreatePost(ctx, anon))
	newReply(t, db, t1, ben, "ben reply", at(20))
	// t2, by Ben under his name: left out for Ana.
	t2, _ := newThread(t, db, g, ben, "Ben's story", at(5))
	// t3, by Ben anonymously: stays.
	t3 := &kindred.Thread{GroupID: g.ID, Kind: kindred.ThreadQuestion, Title: "Anonymous question", AuthorID: ben.ID, Anonymous: true, CreatedAt: at(10)}
	must(t, db.CreateThread(ctx, t3, &kindred.Post{Body: "q", BodyHTML: "<p>q</p>"}))
	// t4, by Host, active at 15.
	t4, _ := newThread(t, db, g, host, "Host's news", at(15))

	titles := func(ts []*kindred.Thread) []string {
		var out []string
		for _, th := range ts {
			out = append(out, th.Title)
		}
		return out
	}
	all, err := db.ListThreads(ctx, kindred.ThreadFilter{GroupID: g.ID})
	must(t, err)
	wantEqual(t, "everyone's view", titles(all), []string{"Cy's story", "Host's news", "Anonymous question", "Ben's story"})

	hide := []string{ben.ID, "someone-else"}
	seen, err := db.ListThreads(ctx, kindred.ThreadFilter{GroupID: g.ID, HideAuthors: hide})
	must(t, err)
	// Ben's latest reply does not lift Cy's story above Host's news, and
	// his named thread is gone; the anonymous one stays.
	wantEqual(t, "Ana's view", titles(seen), []string{"Host's news", "Anonymous question", "Cy's story"})
	for _, th := range seen {
		if th.ID == t1.ID {
			if th.ReplyCount != 2 {
				t.Errorf("Cy's story: %d replies, want 2 (Host's and the anonymous one)", th.ReplyCount)
			}
			if !th.LastPostAt.Equal(at(3)) {
				t.Errorf("Cy's story: last activity %v, want the anonymous reply's %v", th.LastPostAt, at(3))
			}
		}
	}
	// Paging works on what the reader sees.
	page2, err := db.ListThreads(ctx, kindred.ThreadFilter{GroupID: g.ID, HideAuthors: hide, Limit: 2, Offset: 2})
	must(t, err)
	wantEqual(t, "Ana's second page", titles(page2), []string{"Cy's story"})

	// Posts: Ben's named reply left out, the anonymous one stays.
	posts, err := db.ListPosts(ctx, kindred.PostFilter{ThreadID: t1.ID, HideAuthors: hide})
	must(t, err)
	var bodies []string
	for _, p := range posts {
		bodies = append(bodies, p.Body)
	}
	wantEqual(t, "Ana's posts", bodies, []string{"opening of Cy's story", "host reply", "anon"})
	posts, err = db.ListPosts(ctx, kindred.PostFilter{ThreadID: t1.ID})
	must(t, err)
	wantEqual(t, "everyone's posts", len(posts), 4)

	// HidePostsInThreads on threads found one by one.
	one, err := db.FindThread(ctx, t1.ID)
	must(t, err)
	other, err := db.FindThread(ctx, t4.ID)
	must(t, err)
	must(t, db.HidePostsInThreads(ctx, []*kindred.Thread{one, other}, hide))
	if one.ReplyCount != 2 || !one.LastPostAt.Equal(at(3)) {
		t.Errorf("Cy's story corrected to %d replies, last %v", one.ReplyCount, one.LastPostAt)
	}
	if other.ReplyCount != 0 || !other.LastPostAt.Equal(at(15)) {
		t.Errorf("Host's news changed: %d replies, last %v", other.ReplyCount, other.LastPostAt)
	}
	must(t, db.HidePostsInThreads(ctx, []*kindred.Thread{one}, nil))
	must(t, db.HidePostsInThreads(ctx, nil, hide))
	_ = t2
}

func testEraseMutes(t *testing.T, db *DB) {
	ctx := t.Context()
	ana := newAccount(t, db, "ana", "Ana")
	ben := newAccount(t, db, "ben", "Ben")
	cy := newAccount(t, db, "cy", "Cy")
	must(t, db.CreateMute(ctx, &kindred.Mute{AccountID: ana.ID, MutedID: ben.ID}))
	must(t, db.CreateMute(ctx, &kindred.Mute{AccountID: cy.ID, MutedID: ana.ID}))
	must(t, db.CreateMute(ctx, &kindred.Mute{AccountID: cy.ID, MutedID: ben.ID}))
	must(t, db.CreateBlock(ctx, &kindred.Block{AccountID: ben.ID, BlockedID: ana.ID}))
	must(t, db.SetHiddenTopics(ctx, ana.ID, []string{"marker-topic-ana"}, at(1)))
	must(t, db.SetHiddenTopics(ctx, cy.ID, []string{"cy's topic"}, at(1)))
	must(t, db.inTx(ctx, func(tx conn) error { return eraseMutes(ctx, tx, ana.ID) }))

	for _, who := range []*kindred.Account{ana, ben} {
		h, err := db.HiddenFrom(ctx, who.ID)
		must(t, err)
		wantEqual(t, who.Handle+" hides nobody after Ana's erasure", h, []string{})
	}
	h, err := db.HiddenFrom(ctx, cy.ID)
	must(t, err)
	wantEqual(t, "Cy's own mute of Ben stays", h, []string{ben.ID})
	topics, err := db.ListHiddenTopics(ctx, ana.ID)
	must(t, err)
	wantEqual(t, "Ana's topics", topics, []string{})
	topics, err = db.ListHiddenTopics(ctx, cy.ID)
	must(t, err)
	wantEqual(t, "Cy's topics", topics, []string{"cy's topic"})
}
