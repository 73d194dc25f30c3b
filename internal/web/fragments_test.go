package web

import (
	"context"
	"fmt"
	"testing"

	"kindred"
	"kindred/internal/broker"
)

func TestFragmentsAreBounded(t *testing.T) {
	f := newFragments(3)
	for i := range 5 {
		f.put(fmt.Sprint("post", i), fmt.Sprint("k", i), fmt.Sprint("html", i))
	}
	if f.order.Len() != 3 || len(f.items) != 3 {
		t.Fatalf("cache holds %d/%d entries, want 3", f.order.Len(), len(f.items))
	}
	if _, ok := f.get("k0"); ok {
		t.Error("the oldest entry was kept")
	}
	f.get("k2") // used: now the most recent
	f.put("post5", "k5", "html5")
	if _, ok := f.get("k2"); !ok {
		t.Error("a recently used entry was evicted")
	}
	if _, ok := f.get("k3"); ok {
		t.Error("the least recently used entry was kept")
	}
}

func TestForgetDropsEveryRenderingOfAPost(t *testing.T) {
	f := newFragments(10)
	f.put("p1", "a", "<p>first words</p>")
	f.put("p1", "b", "<p>first words, seen by a moderator</p>")
	f.put("p2", "c", "<p>other</p>")
	f.forget("p1")
	if _, ok := f.get("a"); ok {
		t.Error("a deleted post's rendering is still held")
	}
	if _, ok := f.get("b"); ok {
		t.Error("a deleted post's other rendering is still held")
	}
	if _, ok := f.get("c"); !ok || f.len() != 1 || len(f.byOwner) != 1 {
		t.Errorf("forgetting one post touched another: len %d, owners %d", f.len(), len(f.byOwner))
	}
	f.forget("never-cached") // a no-op
}

func TestPostKeyCoversEveryInput(t *testing.T) {
	base := postRow{ID: "p", PostURL: "/o/a/g/b/p/p", AuthorName: "A", Created: "1 hour ago", HTML: "<p>x</p>", ReactionsHTML: "<form></form>"}
	variants := []func(p *postRow){
		func(p *postRow) { p.AuthorName = "B" },
		func(p *postRow) { p.AuthorPronouns = "they/them" },
		func(p *postRow) { p.ContentWarning = "cw" },
		func(p *postRow) { p.Created = "2 hours ago" },
		func(p *postRow) { p.CreatedISO = "x" },
		func(p *postRow) { p.CreatedTitle = "x" },
		func(p *postRow) { p.Opening = true },
		func(p *postRow) { p.Deleted = true },
		func(p *postRow) { p.Edited = true },
		func(p *postRow) { p.Mine = true },
		func(p *postRow) { p.Anonymous = true },
		func(p *postRow) { p.Masked = true },
		func(p *postRow) { p.Unmasked = true },
		func(p *postRow) { p.CanEdit = true },
		func(p *postRow) { p.CanDelete = true },
		func(p *postRow) { p.HTML = "<p>y</p>" },
		func(p *postRow) { p.ReactionsHTML = "<form>1</form>" },
		func(p *postRow) { p.PostURL = "/o/a/g/c/p/p" },
	}
	f := newFragments(10)
	seen := map[string]int{f.postKey(&base): -1}
	for i, change := range variants {
		p := base
		change(&p)
		k := f.postKey(&p)
		if j, dup := seen[k]; dup {
			t.Errorf("variant %d has the same cache key as %d: a changed post would show stale HTML", i, j)
		}
		seen[k] = i
	}
	if f.postKey(&base) != f.postKey(&base) {
		t.Error("the same post gives different keys")
	}
}

// TestEveryNodeForgetsAChangedPost: a post edited on one node is dropped
// from the cache of every node that hears the broker's event.
func TestEveryNodeForgetsAChangedPost(t *testing.T) {
	b := broker.NewMemory()
	s, err := NewServer(Services{}, Options{Broker: b})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	s.fragments.put("p1", "a", "<p>words taken back</p>")
	s.fragments.put("p2", "b", "<p>other words</p>")
	if err := b.Publish(context.Background(), kindred.PostsTopic, []byte("p1")); err != nil {
		t.Fatal(err)
	}
	if _, ok := s.fragments.get("a"); ok {
		t.Error("the changed post's rendering is still held")
	}
	if _, ok := s.fragments.get("b"); !ok {
		t.Error("another post's rendering was dropped")
	}
}
