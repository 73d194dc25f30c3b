package web

import (
	"container/list"
	"strconv"
	"strings"
	"sync"
)

// fragments caches rendered HTML fragments (a post on a thread page) under a
// key built from everything the fragment shows. Any change to the post, its
// reactions or what the reader may do gives a new key, so entries never go
// stale; old ones simply age out of the bounded LRU.
type fragments struct {
	mu    sync.Mutex
	max   int
	order *list.List // front = most recently used
	items map[string]*list.Element
}

type fragment struct {
	key  string
	html string
}

func newFragments(max int) *fragments {
	return &fragments{max: max, order: list.New(), items: make(map[string]*list.Element, max)}
}

func (f *fragments) get(key string) (string, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e, ok := f.items[key]; ok {
		f.order.MoveToFront(e)
		return e.Value.(*fragment).html, true
	}
	return "", false
}

func (f *fragments) put(key, html string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e, ok := f.items[key]; ok {
		f.order.MoveToFront(e)
		return
	}
	f.items[key] = f.order.PushFront(&fragment{key: key, html: html})
	for f.order.Len() > f.max {
		old := f.order.Back()
		f.order.Remove(old)
		delete(f.items, old.Value.(*fragment).key)
	}
}

// postKey is every input of the post template, joined.
func postKey(p *postRow) string {
	var b strings.Builder
	b.Grow(len(p.HTML) + len(p.ReactionsHTML) + 256)
	for _, s := range []string{p.ID, p.PostURL, p.AuthorName, p.AuthorPronouns, p.ContentWarning, p.Created, p.CreatedISO, p.CreatedTitle} {
		b.WriteString(s)
		b.WriteByte(0)
	}
	for _, v := range []bool{p.Opening, p.Deleted, p.Edited, p.Mine, p.Anonymous, p.Masked, p.Unmasked, p.CanEdit, p.CanDelete} {
		b.WriteString(strconv.FormatBool(v))
	}
	b.WriteByte(0)
	b.WriteString(string(p.ReactionsHTML))
	b.WriteByte(0)
	b.WriteString(string(p.HTML))
	return b.String()
}
