package web

import (
	"container/list"
	"encoding/binary"
	"hash/maphash"
	"io"
	"sync"
)

// fragments caches rendered HTML fragments (a post on a thread page) under a
// key built from everything the fragment shows. Any change to the post, its
// reactions or what the reader may do gives a new key, so entries never go
// stale; old ones age out of the bounded LRU. When a post is edited or
// deleted its old renderings are dropped at once (forget), so words the
// author took back do not linger in memory.
type fragments struct {
	seed1, seed2 maphash.Seed
	mu           sync.Mutex
	max          int
	order        *list.List // front = most recently used
	items        map[string]*list.Element
	byOwner      map[string]map[*list.Element]struct{} // post id -> its entries
}

type fragment struct {
	key, owner string
	html       string
}

func newFragments(max int) *fragments {
	return &fragments{seed1: maphash.MakeSeed(), seed2: maphash.MakeSeed(), max: max, order: list.New(),
		items: make(map[string]*list.Element, max), byOwner: map[string]map[*list.Element]struct{}{}}
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

// put stores html under key for the post owner (its id).
func (f *fragments) put(owner, key, html string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if e, ok := f.items[key]; ok {
		f.order.MoveToFront(e)
		return
	}
	e := f.order.PushFront(&fragment{key: key, owner: owner, html: html})
	f.items[key] = e
	if f.byOwner[owner] == nil {
		f.byOwner[owner] = map[*list.Element]struct{}{}
	}
	f.byOwner[owner][e] = struct{}{}
	for f.order.Len() > f.max {
		f.remove(f.order.Back())
	}
}

// forget drops every rendering of a post.
func (f *fragments) forget(owner string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	for e := range f.byOwner[owner] {
		f.remove(e)
	}
}

func (f *fragments) remove(e *list.Element) {
	fr := e.Value.(*fragment)
	f.order.Remove(e)
	delete(f.items, fr.key)
	if set := f.byOwner[fr.owner]; set != nil {
		delete(set, e)
		if len(set) == 0 {
			delete(f.byOwner, fr.owner)
		}
	}
}

// len reports how many renderings are held.
func (f *fragments) len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.order.Len()
}

// postKey digests every input of the post template, each one
// length-prefixed so no two different inputs encode alike, into 128 bits
// from two maphash states with independent secret per-process seeds. A
// collision would show one post in another's place: with 128 bits and seeds
// nobody outside the process knows, it cannot be aimed at and will not
// happen by chance. It keeps the cache's keys at 16 bytes, not a post's size.
func (f *fragments) postKey(p *postRow) string {
	var h1, h2 maphash.Hash
	h1.SetSeed(f.seed1)
	h2.SetSeed(f.seed2)
	h := io.MultiWriter(&h1, &h2)
	var n [binary.MaxVarintLen64]byte
	field := func(s string) {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(s)))])
		io.WriteString(h, s)
	}
	for _, s := range []string{p.ID, p.PostURL, p.AuthorName, p.AuthorPronouns, p.ContentWarning, p.Created,
		p.CreatedISO, p.CreatedTitle, string(p.ReactionsHTML), string(p.HTML), p.AvatarURL} {
		field(s)
	}
	var flags uint16
	for i, v := range []bool{p.Opening, p.Deleted, p.Edited, p.Mine, p.Anonymous, p.Masked, p.Unmasked, p.CanEdit, p.CanDelete, p.CanReveal} {
		if v {
			flags |= 1 << i
		}
	}
	h.Write([]byte{byte(flags), byte(flags >> 8)})
	var key [16]byte
	binary.LittleEndian.PutUint64(key[:8], h1.Sum64())
	binary.LittleEndian.PutUint64(key[8:], h2.Sum64())
	return string(key[:])
}
