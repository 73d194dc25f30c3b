package sqlstore

import (
	"fmt"
	"sync"
	"testing"

	"kindred"
)

func threadTitles(ts []*kindred.Thread) []string {
	out := []string{}
	for _, t := range ts {
		out = append(out, t.Title)
	}
	return out
}

func postBodies(ps []*kindred.Post) []string {
	out := []string{}
	for _, p := range ps {
		out = append(out, p.Body)
	}
	return out
}

func testThreads(t *testing.T, db *DB) {
	ctx := t.Context()
	admin := newAccount(t, db, "Admin", "")
	org := newOrg(t, db, "org", "Org", admin)
	g := newGroup(t, db, org, "g", "G", admin)
	other := newGroup(t, db, org, "other", "Other", admin)
	alex := newAccount(t, db, "Alex", "Alex A.")
	newMember(t, db, org, alex, "Alex in Org")
	blair := newAccount(t, db, "Blair", "") // no names at all: the handle shows
	casey := newAccount(t, db, "Casey", "Casey C.")
	newMember(t, db, org, casey, "") // empty per-organisation name: the account's

	th := &kindred.Thread{GroupID: g.ID, Kind: kindred.ThreadQuestion, Title: "How do you cope?", AuthorID: alex.ID, CreatedAt: at(0)}
	op := &kindred.Post{Body: "Some days are hard.", BodyHTML: "<p>Some days are hard.</p>", ContentWarning: "low mood"}
	must(t, db.CreateThread(ctx, th, op))
	if th.ID == "" || op.ID == "" || th.OpeningPost != op.ID || op.ThreadID != th.ID {
		t.Fatalf("CreateThread ids: thread %q opening %q (thread's %q, post's thread %q)", th.ID, op.ID, th.OpeningPost, op.ThreadID)
	}
	if !th.LastPostAt.Equal(th.CreatedAt) || !op.CreatedAt.Equal(th.CreatedAt) || op.AuthorID != alex.ID {
		t.Errorf("CreateThread defaults: LastPostAt %v, opening CreatedAt %v, opening author %q", th.LastPostAt, op.CreatedAt, op.AuthorID)
	}

	got, err := db.FindThread(ctx, th.ID)
	must(t, err)
	want := *th
	want.AuthorHandle, want.AuthorName, want.ContentWarning = "Alex", "Alex in Org", "low mood"
	wantEqual(t, "FindThread", got, &want)
	_, err = db.FindThread(ctx, "missing")
	wantCode(t, err, kindred.ENOTFOUND)

	anon := &kindred.Thread{GroupID: g.ID, Kind: kindred.ThreadStory, Title: "Anonymous", AuthorID: blair.ID, Anonymous: true, CreatedAt: at(1)}
	anonOp := &kindred.Post{Body: "quietly"}
	must(t, db.CreateThread(ctx, anon, anonOp))
	if !anonOp.Anonymous {
		t.Error("the opening post of an anonymous thread is not anonymous")
	}
	gotAnon, err := db.FindThread(ctx, anon.ID)
	must(t, err)
	if !gotAnon.Anonymous || gotAnon.AuthorName != "Blair" || gotAnon.ContentWarning != "" {
		t.Errorf("anonymous thread: %+v", gotAnon)
	}
	newThread(t, db, other, casey, "In another group", at(5))

	list, err := db.ListThreads(ctx, kindred.ThreadFilter{GroupID: g.ID})
	must(t, err)
	wantEqual(t, "threads, newest activity first", threadTitles(list), []string{"Anonymous", "How do you cope?"})

	// A reply moves its thread to the top.
	reply := newReply(t, db, th, casey, "You are not alone.", at(2))
	list, err = db.ListThreads(ctx, kindred.ThreadFilter{GroupID: g.ID})
	must(t, err)
	wantEqual(t, "threads after a reply", threadTitles(list), []string{"How do you cope?", "Anonymous"})
	if list[0].ReplyCount != 1 || !list[0].LastPostAt.Equal(reply.CreatedAt) || list[0].AuthorName != "Alex in Org" ||
		list[0].ContentWarning != "low mood" || list[0].OpeningPost != op.ID {
		t.Errorf("listed thread: %+v", list[0])
	}
	if list[1].AuthorHandle != "Blair" || list[1].AuthorName != "Blair" {
		t.Errorf("author without names: handle %q name %q", list[1].AuthorHandle, list[1].AuthorName)
	}

	t.Run("limit and offset", func(t *testing.T) {
		got, err := db.ListThreads(ctx, kindred.ThreadFilter{GroupID: g.ID, Limit: 1, Offset: 1})
		must(t, err)
		wantEqual(t, "second page", threadTitles(got), []string{"Anonymous"})
		got, err = db.ListThreads(ctx, kindred.ThreadFilter{GroupID: g.ID, Offset: 5})
		must(t, err)
		wantEqual(t, "past the end", got, []*kindred.Thread{})
	})
}

func testPosts(t *testing.T, db *DB) {
	ctx := t.Context()
	admin := newAccount(t, db, "Admin", "")
	org := newOrg(t, db, "org", "Org", admin)
	g := newGroup(t, db, org, "g", "G", admin)
	alex := newAccount(t, db, "Alex", "Alex A.")
	newMember(t, db, org, alex, "Alex in Org")
	casey := newAccount(t, db, "Casey", "Casey C.")
	th, op := newThread(t, db, g, alex, "Thread", at(10))

	// Three replies share a time, so their ids decide the order.
	r1 := &kindred.Post{ID: "id-b", ThreadID: th.ID, AuthorID: casey.ID, Body: "second", BodyHTML: "<p>second</p>", CreatedAt: at(12)}
	must(t, db.CreatePost(ctx, r1))
	r2 := newReply(t, db, th, alex, "first reply, stamped before the opening post", at(5))
	if !r2.CreatedAt.After(op.CreatedAt) {
		t.Errorf("a reply stamped %v, before its thread began at %v, was kept before it", r2.CreatedAt, op.CreatedAt)
	}
	r3 := &kindred.Post{ID: "id-c", ThreadID: th.ID, AuthorID: casey.ID, Body: "third", ContentWarning: "cw", CreatedAt: at(12)}
	must(t, db.CreatePost(ctx, r3))
	r0 := &kindred.Post{ID: "id-a", ThreadID: th.ID, AuthorID: casey.ID, Body: "tie", CreatedAt: at(12)}
	must(t, db.CreatePost(ctx, r0))
	wantCode(t, db.CreatePost(ctx, &kindred.Post{ThreadID: "missing", AuthorID: alex.ID, Body: "x"}), kindred.ENOTFOUND)

	got, err := db.FindThread(ctx, th.ID)
	must(t, err)
	if got.ReplyCount != 4 || !got.LastPostAt.Equal(at(12)) {
		t.Errorf("thread after replies: ReplyCount %d LastPostAt %v; want 4 and %v (never moved back)", got.ReplyCount, got.LastPostAt, at(12))
	}

	posts, err := db.ListPosts(ctx, kindred.PostFilter{ThreadID: th.ID})
	must(t, err)
	// Opening post first even though a reply is stamped earlier; then by
	// time, and by id among replies with the same time.
	wantBodies := []string{op.Body, r2.Body, "tie", r1.Body, "third"}
	wantEqual(t, "posts in order", postBodies(posts), wantBodies)

	withAuthor := func(p *kindred.Post, handle, name, pronouns string) *kindred.Post {
		x := *p
		x.AuthorHandle, x.AuthorName, x.AuthorPronouns = handle, name, pronouns
		return &x
	}
	wantEqual(t, "opening post", posts[0], withAuthor(op, "Alex", "Alex in Org", "they/them"))
	wantEqual(t, "reply by someone without a membership name", posts[3], withAuthor(r1, "Casey", "Casey C.", "they/them"))

	found, err := db.FindPost(ctx, r3.ID)
	must(t, err)
	wantEqual(t, "FindPost", found, withAuthor(r3, "Casey", "Casey C.", "they/them"))
	_, err = db.FindPost(ctx, "missing")
	wantCode(t, err, kindred.ENOTFOUND)

	page, err := db.ListPosts(ctx, kindred.PostFilter{ThreadID: th.ID, Limit: 2, Offset: 2})
	must(t, err)
	wantEqual(t, "a page of posts", postBodies(page), []string{"tie", r1.Body})

	t.Run("UpdatePost", func(t *testing.T) {
		got, err := db.UpdatePost(ctx, r1.ID, kindred.PostUpdate{Body: "edited", BodyHTML: "<p>edited</p>", ContentWarning: "new cw", EditedAt: at(20)})
		must(t, err)
		want := withAuthor(r1, "Casey", "Casey C.", "they/them")
		want.Body, want.BodyHTML, want.ContentWarning, want.EditedAt = "edited", "<p>edited</p>", "new cw", ptr(at(20))
		wantEqual(t, "edited post", got, want)
		found, err := db.FindPost(ctx, r1.ID)
		must(t, err)
		wantEqual(t, "found after edit", found, want)
		_, err = db.UpdatePost(ctx, "missing", kindred.PostUpdate{Body: "x"})
		wantCode(t, err, kindred.ENOTFOUND)
	})

	t.Run("DeletePost", func(t *testing.T) {
		must(t, db.DeletePost(ctx, r3.ID, admin.ID, at(30)))
		got, err := db.FindPost(ctx, r3.ID)
		must(t, err)
		if !got.Deleted() || !got.DeletedAt.Equal(at(30)) || got.DeletedBy != admin.ID ||
			got.Body != "" || got.BodyHTML != "" || got.ContentWarning != "" {
			t.Errorf("deleted post: %+v", got)
		}
		if got.AuthorID != casey.ID || !got.CreatedAt.Equal(r3.CreatedAt) {
			t.Errorf("deleting changed who wrote it or when: %+v", got)
		}
		_, err = db.UpdatePost(ctx, r3.ID, kindred.PostUpdate{Body: "back from the dead"})
		wantCode(t, err, kindred.ENOTFOUND)

		must(t, db.DeletePost(ctx, r3.ID, casey.ID, at(40))) // again: nothing changes
		again, err := db.FindPost(ctx, r3.ID)
		must(t, err)
		if !again.DeletedAt.Equal(at(30)) || again.DeletedBy != admin.ID {
			t.Errorf("second delete changed the record: %v by %q", again.DeletedAt, again.DeletedBy)
		}
		wantCode(t, db.DeletePost(ctx, "missing", admin.ID, at(30)), kindred.ENOTFOUND)

		// The post keeps its place; the thread keeps its count.
		posts, err := db.ListPosts(ctx, kindred.PostFilter{ThreadID: th.ID})
		must(t, err)
		if len(posts) != 5 || posts[4].ID != r3.ID || !posts[4].Deleted() {
			t.Errorf("after deleting, posts are %v", postBodies(posts))
		}
		thread, err := db.FindThread(ctx, th.ID)
		must(t, err)
		if thread.ReplyCount != 4 {
			t.Errorf("ReplyCount after a delete = %d, want 4", thread.ReplyCount)
		}
	})
}

func testPageSizes(t *testing.T, db *DB) {
	ctx := t.Context()
	admin := newAccount(t, db, "Admin", "")
	org := newOrg(t, db, "org", "Org", admin)
	g := newGroup(t, db, org, "g", "G", admin)
	th, _ := newThread(t, db, g, admin, "long", at(0))
	for i := range 55 {
		newReply(t, db, th, admin, fmt.Sprint("reply ", i), at(i+1))
		newThread(t, db, g, admin, fmt.Sprint("thread ", i), at(i))
	}
	posts, err := db.ListPosts(ctx, kindred.PostFilter{ThreadID: th.ID})
	must(t, err)
	if len(posts) != 50 {
		t.Errorf("ListPosts without a limit returned %d, want 50", len(posts))
	}
	posts, err = db.ListPosts(ctx, kindred.PostFilter{ThreadID: th.ID, Limit: 1000})
	must(t, err)
	if len(posts) != 56 {
		t.Errorf("ListPosts with a large limit returned %d, want all 56", len(posts))
	}
	threads, err := db.ListThreads(ctx, kindred.ThreadFilter{GroupID: g.ID})
	must(t, err)
	if len(threads) != 50 || threads[0].Title != "long" { // its last reply is the latest activity
		t.Errorf("ListThreads without a limit: %d threads, first %q", len(threads), threads[0].Title)
	}
}

// testRepliesConcurrently: replies racing on one thread all count.
func testRepliesConcurrently(t *testing.T, db *DB) {
	ctx := t.Context()
	admin := newAccount(t, db, "Admin", "")
	org := newOrg(t, db, "org", "Org", admin)
	g := newGroup(t, db, org, "g", "G", admin)
	th, _ := newThread(t, db, g, admin, "busy", at(0))
	const n = 20
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			p := &kindred.Post{ThreadID: th.ID, AuthorID: admin.ID, Body: fmt.Sprint(i), CreatedAt: at(i + 1)}
			if err := db.CreatePost(ctx, p); err != nil {
				t.Errorf("CreatePost: %v", err)
			}
		})
	}
	wg.Wait()
	got, err := db.FindThread(ctx, th.ID)
	must(t, err)
	if got.ReplyCount != n || !got.LastPostAt.Equal(at(n)) {
		t.Errorf("ReplyCount %d LastPostAt %v; want %d and %v", got.ReplyCount, got.LastPostAt, n, at(n))
	}
}

func testReactions(t *testing.T, db *DB) {
	ctx := t.Context()
	admin := newAccount(t, db, "Admin", "")
	alex := newAccount(t, db, "Alex", "")
	org := newOrg(t, db, "org", "Org", admin)
	g := newGroup(t, db, org, "g", "G", admin)
	th, p1 := newThread(t, db, g, admin, "t", at(0))
	p2 := newReply(t, db, th, alex, "r2", at(1))
	p3 := newReply(t, db, th, alex, "r3", at(2))

	add := func(post *kindred.Post, who *kindred.Account, kind kindred.ReactionKind) {
		t.Helper()
		must(t, db.AddReaction(ctx, &kindred.Reaction{PostID: post.ID, AccountID: who.ID, Kind: kind}))
	}
	add(p1, admin, kindred.ReactMeToo)
	add(p1, admin, kindred.ReactMeToo) // idempotent
	add(p1, alex, kindred.ReactMeToo)
	add(p1, alex, kindred.ReactThankYou)
	add(p2, admin, kindred.ReactStrength)
	wantCode(t, db.AddReaction(ctx, &kindred.Reaction{PostID: "missing", AccountID: alex.ID, Kind: kindred.ReactMeToo}), kindred.ENOTFOUND)

	type counts = map[kindred.ReactionKind]int
	type mine = map[kindred.ReactionKind]bool
	sum := func(c counts, m mine) *kindred.ReactionSummary { return &kindred.ReactionSummary{Counts: c, Mine: m} }

	tests := []struct {
		name   string
		ids    []string
		viewer string
		want   map[string]*kindred.ReactionSummary
	}{
		{"as admin", []string{p1.ID, p2.ID, p3.ID, p1.ID}, admin.ID, map[string]*kindred.ReactionSummary{
			p1.ID: sum(counts{kindred.ReactMeToo: 2, kindred.ReactThankYou: 1}, mine{kindred.ReactMeToo: true}),
			p2.ID: sum(counts{kindred.ReactStrength: 1}, mine{kindred.ReactStrength: true}),
			p3.ID: sum(counts{}, mine{}),
		}},
		{"as alex", []string{p1.ID}, alex.ID, map[string]*kindred.ReactionSummary{
			p1.ID: sum(counts{kindred.ReactMeToo: 2, kindred.ReactThankYou: 1}, mine{kindred.ReactMeToo: true, kindred.ReactThankYou: true}),
		}},
		{"as a visitor", []string{p2.ID, "unknown"}, "", map[string]*kindred.ReactionSummary{
			p2.ID:     sum(counts{kindred.ReactStrength: 1}, mine{}),
			"unknown": sum(counts{}, mine{}),
		}},
		{"no posts", nil, admin.ID, map[string]*kindred.ReactionSummary{}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := db.SummarizeReactions(ctx, tc.ids, tc.viewer)
			must(t, err)
			wantEqual(t, "summaries", got, tc.want)
		})
	}

	t.Run("more ids than one query takes", func(t *testing.T) {
		ids := []string{p1.ID}
		for i := range 2 * summaryChunk {
			ids = append(ids, fmt.Sprint("fake-", i))
		}
		ids = append(ids, p2.ID)
		got, err := db.SummarizeReactions(ctx, ids, admin.ID)
		must(t, err)
		if len(got) != len(ids) || got[p1.ID].Counts[kindred.ReactMeToo] != 2 || got[p2.ID].Counts[kindred.ReactStrength] != 1 {
			t.Errorf("%d summaries, p1 %+v, p2 %+v", len(got), got[p1.ID], got[p2.ID])
		}
	})

	t.Run("RemoveReaction", func(t *testing.T) {
		must(t, db.RemoveReaction(ctx, p1.ID, admin.ID, kindred.ReactMeToo))
		wantCode(t, db.RemoveReaction(ctx, p1.ID, admin.ID, kindred.ReactMeToo), kindred.ENOTFOUND)
		got, err := db.SummarizeReactions(ctx, []string{p1.ID}, admin.ID)
		must(t, err)
		wantEqual(t, "after removing", got[p1.ID], sum(counts{kindred.ReactMeToo: 1, kindred.ReactThankYou: 1}, mine{}))
	})
}
