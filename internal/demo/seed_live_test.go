package demo_test

import (
	"context"
	"testing"
	"time"

	"kindred"
	"kindred/internal/demo"
	"kindred/internal/kindredtest"
	"kindred/internal/live"
)

// TestSeededLiveContent: the demo has sessions on its schedule, a room
// open to try with a conversation in it, and a 1:1 conversation, all
// reachable through the live service as the demo people.
func TestSeededLiveContent(t *testing.T) {
	ctx := context.Background()
	env := kindredtest.New(t)
	if _, err := demo.Seed(ctx, env.Store, env.Services.Markup, func(string) (string, error) { return env.Hasher.Hash(ctx, "x") }, time.Now()); err != nil {
		t.Fatal(err)
	}
	as := func(handle string) *kindred.Actor {
		a, err := env.Store.FindAccountByHandle(ctx, handle)
		if err != nil {
			t.Fatal(err)
		}
		return &kindred.Actor{Account: a}
	}
	_, list, err := env.Services.Live.Sessions(ctx, as("kwame_tide"), "harbour", "coming-out")
	if err != nil || len(list) != 2 {
		t.Fatalf("coming-out sessions: %v, %d", err, len(list))
	}
	var dropIn *live.SessionView
	for _, v := range list {
		if v.Session.Title == "Drop-in circle" {
			dropIn = v
		}
	}
	if dropIn == nil {
		t.Fatal("no drop-in session")
	}
	page, err := env.Services.Live.Session(ctx, as("kwame_tide"), "harbour", "coming-out", dropIn.Session.ID)
	if err != nil || page.State != live.StateOpen || page.Room == nil || page.Me == nil {
		t.Fatalf("drop-in page: %v %+v", err, page)
	}
	h, err := env.Services.Live.Messages(ctx, as("kwame_tide"), page.Room.ID, kindred.ChatFilter{})
	if err != nil || len(h.Messages) != 5 {
		t.Fatalf("drop-in history: %v %+v", err, h)
	}
	_, convs, err := env.Services.Live.Conversations(ctx, as("alex_demo"), "harbour")
	if err != nil || len(convs) != 1 || convs[0].With != "Mei" {
		t.Fatalf("Alex's conversations: %v %+v", err, convs)
	}
}
