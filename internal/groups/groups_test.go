package groups_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"kindred"
	"kindred/internal/broker"
	"kindred/internal/groups"
	"kindred/internal/kindredtest"
)

func TestPagination(t *testing.T) {
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	ctx := context.Background()
	admin := env.Account(t, "admin", kindred.AgeAdult)
	o := env.Org(t, admin, "centre", kindred.JoinOpen)
	env.Group(t, o, "circle", kindred.VisibilityPublic, kindred.AgeAny, admin)
	actor := kindredtest.Actor(admin)
	svc := env.Services.Groups

	// 30 threads: page 1 holds 25, newest activity first, and says there is more.
	var last *kindred.Thread
	for i := range 30 {
		_, th, err := svc.StartThread(ctx, actor, "centre", "circle", kindred.ThreadDraft{Title: fmt.Sprint("Thread ", i), Body: "Words"})
		if err != nil {
			t.Fatal(err)
		}
		last = th
		time.Sleep(2 * time.Millisecond) // distinct activity times
	}
	p1, err := svc.Threads(ctx, actor, "centre", "circle", 1)
	if err != nil {
		t.Fatal(err)
	}
	if len(p1.Threads) != groups.ThreadsPerPage || !p1.More || p1.Threads[0].ID != last.ID {
		t.Fatalf("page 1: %d threads, more=%v, first=%s", len(p1.Threads), p1.More, p1.Threads[0].Title)
	}
	p2, _ := svc.Threads(ctx, actor, "centre", "circle", 2)
	if len(p2.Threads) != 5 || p2.More {
		t.Fatalf("page 2: %d threads, more=%v", len(p2.Threads), p2.More)
	}

	// 60 replies: page 1 is the opening post and 49 replies, page 2 the other 11.
	for i := range 60 {
		if _, err := svc.Reply(ctx, actor, "centre", "circle", last.ID, kindred.ReplyDraft{Body: fmt.Sprint("Reply ", i)}); err != nil {
			t.Fatal(err)
		}
	}
	v1, err := svc.Thread(ctx, actor, "centre", "circle", last.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if v1.Pages != 2 || len(v1.Posts) != groups.PostsPerPage || !v1.Posts[0].Opening || v1.Posts[1].Body != "Reply 0" {
		t.Fatalf("thread page 1: pages=%d posts=%d opening first=%v", v1.Pages, len(v1.Posts), v1.Posts[0].Opening)
	}
	v2, _ := svc.Thread(ctx, actor, "centre", "circle", last.ID, 99) // past the end: the last page
	if v2.Page != 2 || len(v2.Posts) != 11 || v2.Posts[10].Body != "Reply 59" {
		t.Fatalf("thread last page: page=%d posts=%d", v2.Page, len(v2.Posts))
	}
	if _, err := svc.Thread(ctx, actor, "centre", "circle", last.ID, 0); err != nil {
		t.Fatalf("page 0 should mean the first page: %v", err)
	}
}

func TestThreadsOfOneGroupAreNotReachableThroughAnother(t *testing.T) {
	env := kindredtest.New(t)
	ctx := context.Background()
	admin := env.Account(t, "admin", kindred.AgeAdult)
	o := env.Org(t, admin, "centre", kindred.JoinOpen)
	open := env.Group(t, o, "open", kindred.VisibilityPublic, kindred.AgeAny, admin)
	hidden := env.Group(t, o, "hidden", kindred.VisibilityHidden, kindred.AgeAny, admin)
	member := env.Account(t, "member", kindred.AgeAdult)
	env.Member(t, o, member, 0, kindred.StatusActive)
	env.GroupMember(t, open, member, kindred.StatusActive)
	th, reply := env.Thread(t, hidden, admin, "Private words")

	svc := env.Services.Groups
	actor := kindredtest.Actor(member)
	if _, err := svc.Thread(ctx, actor, "centre", "open", th.ID, 1); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Fatalf("hidden thread through a public group: %v, want not found", err)
	}
	if _, err := svc.React(ctx, actor, "centre", "open", reply.ID, kindred.ReactMeToo, true); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Fatalf("react to a hidden post through a public group: %v, want not found", err)
	}
	if _, _, err := svc.DeletePost(ctx, actor, "centre", "open", reply.ID); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Fatalf("delete a hidden post through a public group: %v, want not found", err)
	}
}

// TestChangesAreAnnounced: leaving or removal announces an access change
// (live connections re-check), and edits and deletions announce the post
// (every node drops its cached rendering).
func TestChangesAreAnnounced(t *testing.T) {
	b := broker.NewMemory()
	env := kindredtest.New(t, kindredtest.Options{Generous: true, Broker: b})
	ctx := context.Background()
	admin := env.Account(t, "admin", kindred.AgeAdult)
	amy := env.Account(t, "amy", kindred.AgeAdult)
	o := env.Org(t, admin, "centre", kindred.JoinOpen)
	g := env.Group(t, o, "circle", kindred.VisibilityPublic, kindred.AgeAny, admin)
	env.Member(t, o, amy, kindred.RoleMember, kindred.StatusActive)
	env.GroupMember(t, g, amy, kindred.StatusActive)

	heard := make(chan string, 10)
	for _, topic := range []string{kindred.AccessTopic, kindred.PostsTopic} {
		sub, err := b.Subscribe(topic, func(topic string, data []byte) { heard <- topic + " " + string(data) })
		if err != nil {
			t.Fatal(err)
		}
		defer sub.Unsubscribe()
	}
	svc := env.Services.Groups
	_, th, err := svc.StartThread(ctx, kindredtest.Actor(amy), "centre", "circle", kindred.ThreadDraft{Title: "Hello", Body: "Words"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.EditPost(ctx, kindredtest.Actor(amy), "centre", "circle", th.OpeningPost, kindred.PostEdit{Body: "Better words"}); err != nil {
		t.Fatal(err)
	}
	if got := <-heard; got != kindred.PostsTopic+" "+th.OpeningPost {
		t.Fatalf("after an edit: %q", got)
	}
	if _, _, err := svc.DeletePost(ctx, kindredtest.Actor(admin), "centre", "circle", th.OpeningPost); err != nil {
		t.Fatal(err)
	}
	if got := <-heard; got != kindred.PostsTopic+" "+th.OpeningPost {
		t.Fatalf("after a deletion: %q", got)
	}
	if err := svc.RemoveMember(ctx, kindredtest.Actor(admin), "centre", "circle", amy.ID); err != nil {
		t.Fatal(err)
	}
	if got := <-heard; got != kindred.AccessTopic+" "+amy.ID {
		t.Fatalf("after removal: %q", got)
	}
}
