package web

import (
	"container/list"
	"crypto/sha256"
	"encoding/binary"
	"io"
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

// postKey is the SHA-256 of every input of the post template, each one
// length-prefixed so no two different inputs encode alike. A collision
// would show one post in another's place, so the hash is a cryptographic
// one; it also keeps the cache's keys at 32 bytes instead of a post's size.
func postKey(p *postRow) string {
	h := sha256.New()
	var n [binary.MaxVarintLen64]byte
	field := func(s string) {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		io.WriteString(h, s)
	}
	for _, s := range []string{p.ID, p.PostURL, p.AuthorName, p.AuthorPronouns, p.ContentWarning, p.Created,
		p.CreatedISO, p.CreatedTitle, string(p.ReactionsHTML), string(p.HTML)} {
		field(s)
	}
	var flags uint16
	for i, v := range []bool{p.Opening, p.Deleted, p.Edited, p.Mine, p.Anonymous, p.Masked, p.Unmasked, p.CanEdit, p.CanDelete} {
		if v {
			flags |= 1 << i
		}
	}
	h.Write([]byte{byte(flags), byte(flags >> 8)})
	return string(h.Sum(nil))
}
