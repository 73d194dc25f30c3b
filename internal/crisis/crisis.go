// Package crisis finds crisis language (risk of suicide, self-harm or
// immediate danger) in what a member writes, and lists the crisis lines to
// show them when it does.
//
// The detector matches phrases, nothing more: it has no idea of context,
// sarcasm or negation, and it is tuned to prefer a kind false alarm to a
// miss. A hit shows the writer crisis resources at once and raises a
// priority flag for on-call staff; it never blocks anyone from posting.
// Neither the text nor the matched phrase may be logged or stored: callers
// keep only the flag. docs/crisis.md says what it catches and what it does
// not.
package crisis

import (
	"context"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// Result is the outcome of a scan.
type Result struct {
	Hit bool
	// Locale is the phrase list that matched, e.g. "es".
	Locale string
	// Phrase is the matched phrase as written in its list. It exists for
	// tests and for counting hits per phrase; never log it or store it
	// with the text or the person.
	Phrase string
}

// Detector scans text for the phrases of its lists. It is built once and
// is safe for concurrent use.
//
// Text and phrases go through the same normalisation: Unicode compatibility
// decomposition with accents and other combining marks dropped ("daño" is
// "dano", "ｋｉｌｌ" is "kill"), lower case, apostrophes removed ("don't",
// "don’t" and "dont" are one word), and everything that is not a letter or
// a digit treated as a space, so punctuation, line breaks and runs of
// spaces between the words of a phrase do not matter. Phrases match whole
// words only ("skill myself" is not "kill myself"). A few common
// contractions and texting forms are expanded ("wanna" is "want to", "im"
// is "i am", "u" is "you", "kiero" is "quiero"), letters stretched three
// times or more are tried shortened ("dieee", "killll"), and a phrase of
// several words also matches written as one word, as in a hashtag
// ("#killmyself").
type Detector struct {
	words   map[string][]int32 // normalised word → word ids (several for an expansion; -1: in no phrase)
	filter  [1024]uint64       // first and last byte of each key of words
	root    []int32            // word id → first node, 0 when no phrase starts with it
	nodes   []node
	phrases []phrase
}

type node struct {
	next   []edge // sorted by word
	phrase int32  // index into phrases, -1 when no phrase ends here
}

type edge struct {
	word int32
	node int32
}

type phrase struct {
	locale, text string
}

// expansions are contractions and texting forms rewritten to the words a
// phrase list uses. They apply to the lists as well as to the text, so a
// list may say either "wanna die" or "want to die".
var expansions = map[string][]string{
	// English, apostrophes already removed.
	"wanna": {"want", "to"}, "wana": {"want", "to"}, "gonna": {"going", "to"},
	"gotta": {"got", "to"}, "2": {"to"}, "u": {"you"},
	"im": {"i", "am"}, "ive": {"i", "have"},
	"dont": {"do", "not"}, "doesnt": {"does", "not"}, "didnt": {"did", "not"},
	"cant": {"can", "not"}, "cannot": {"can", "not"}, "wont": {"will", "not"},
	"isnt": {"is", "not"}, "wasnt": {"was", "not"}, "arent": {"are", "not"},
	// Spanish texting.
	"kiero": {"quiero"}, "q": {"que"}, "k": {"que"}, "xq": {"porque"},
	"pq": {"porque"}, "x": {"por"},
}

// NewDetector compiles phrase lists, keyed by locale ("en", "es"…), into a
// detector. Phrases that normalise to nothing are skipped; when two phrases
// normalise alike, the first (in locale order, then list order) is the one
// reported.
func NewDetector(lists map[string][]string) *Detector {
	d := &Detector{words: map[string][]int32{}, nodes: []node{{phrase: -1}}}
	ids := map[string]int32{}
	id := func(w string) int32 {
		if n, ok := ids[w]; ok {
			return n
		}
		n := int32(len(ids))
		ids[w] = n
		return n
	}
	type compiled struct {
		words  []int32
		phrase int32
	}
	var all []compiled
	locales := make([]string, 0, len(lists))
	for l := range lists {
		locales = append(locales, l)
	}
	slices.Sort(locales)
	for _, l := range locales {
		for _, p := range lists[l] {
			raw := splitWords(p)
			if len(raw) == 0 {
				continue
			}
			var seq []int32
			for _, w := range raw {
				if exp, ok := expansions[w]; ok {
					for _, e := range exp {
						seq = append(seq, id(e))
					}
				} else {
					seq = append(seq, id(w))
				}
			}
			d.phrases = append(d.phrases, phrase{locale: l, text: p})
			n := int32(len(d.phrases) - 1)
			all = append(all, compiled{seq, n})
			if len(raw) > 1 { // the hashtag form
				all = append(all, compiled{[]int32{id(strings.Join(raw, ""))}, n})
			}
		}
	}
	d.root = make([]int32, len(ids))
	for _, c := range all {
		cur := int32(-1) // the root is implicit in d.root
		for _, w := range c.words {
			cur = d.child(cur, w)
		}
		if d.nodes[cur].phrase < 0 {
			d.nodes[cur].phrase = c.phrase
		}
	}
	for w, n := range ids {
		d.words[w] = []int32{n}
	}
	for w, exp := range expansions {
		seq := make([]int32, len(exp))
		for i, e := range exp {
			seq[i] = -1
			if n, ok := ids[e]; ok {
				seq[i] = n
			}
		}
		d.words[w] = seq
	}
	for w := range d.words {
		k := uint16(w[0])<<8 | uint16(w[len(w)-1])
		d.filter[k>>6] |= 1 << (k & 63)
	}
	return d
}

// child returns the node after word w from node cur (-1: the root),
// adding it when missing.
func (d *Detector) child(cur, w int32) int32 {
	if cur < 0 {
		if d.root[w] == 0 {
			d.nodes = append(d.nodes, node{phrase: -1})
			d.root[w] = int32(len(d.nodes) - 1)
		}
		return d.root[w]
	}
	next := d.nodes[cur].next
	i, found := slices.BinarySearchFunc(next, w, func(e edge, w int32) int { return int(e.word - w) })
	if found {
		return next[i].node
	}
	d.nodes = append(d.nodes, node{phrase: -1})
	n := int32(len(d.nodes) - 1)
	d.nodes[cur].next = slices.Insert(d.nodes[cur].next, i, edge{w, n})
	return n
}

func (d *Detector) step(cur, w int32) int32 {
	if w < 0 {
		return 0
	}
	if cur < 0 {
		return d.root[w]
	}
	next := d.nodes[cur].next
	i, found := slices.BinarySearchFunc(next, w, func(e edge, w int32) int { return int(e.word - w) })
	if !found {
		return 0
	}
	return next[i].node
}

// Scan reports whether text contains a phrase of the detector's lists: the
// earliest in the text, and the longest starting there. A nil detector
// finds nothing.
func (d *Detector) Scan(text string) Result {
	if d == nil || len(d.phrases) == 0 {
		return Result{}
	}
	var buf [512]int32
	seq := buf[:0]
	var scratch, word [64]byte
	ws := wordScanner{s: text, w: word[:0]}
	for w := ws.next(); w != nil; w = ws.next() {
		ids, ok := d.lookup(w)
		if !ok && len(w) <= len(scratch) && stretched(w) {
			// "dieee" → "die", "killll" → "kill".
			if ids, ok = d.lookup(squeeze(scratch[:0], w, 1)); !ok {
				ids, ok = d.lookup(squeeze(scratch[:0], w, 2))
			}
		}
		if !ok {
			seq = append(seq, -1)
			continue
		}
		seq = append(seq, ids...)
	}
	for i := range seq {
		best := int32(-1)
		cur := int32(-1)
		for j := i; j < len(seq); j++ {
			if cur = d.step(cur, seq[j]); cur == 0 {
				break
			}
			if p := d.nodes[cur].phrase; p >= 0 {
				best = p
			}
		}
		if best >= 0 {
			p := d.phrases[best]
			return Result{Hit: true, Locale: p.locale, Phrase: p.text}
		}
	}
	return Result{}
}

// lookup returns the word ids of w. The filter (one bit per pair of
// first and last byte) skips most words that are in no phrase without
// hashing them.
func (d *Detector) lookup(w []byte) ([]int32, bool) {
	k := uint16(w[0])<<8 | uint16(w[len(w)-1])
	if d.filter[k>>6]&(1<<(k&63)) == 0 {
		return nil, false
	}
	ids, ok := d.words[string(w)]
	return ids, ok
}

// Phrases reports how many phrases the detector holds.
func (d *Detector) Phrases() int {
	if d == nil {
		return 0
	}
	return len(d.phrases)
}

// splitWords returns the normalised words of s.
func splitWords(s string) []string {
	var out []string
	ws := wordScanner{s: s}
	for w := ws.next(); w != nil; w = ws.next() {
		out = append(out, string(w))
	}
	return out
}

// isApostrophe reports runes that join a word rather than split it.
func isApostrophe(r rune) bool {
	switch r {
	case '\'', '`', '\u2019', '\u2018', '\u02BC', '\u02BB', '\u02B9', '\u2032', '\u00B4', '\uFF07':
		return true
	}
	return false
}

// wordScanner splits text into normalised words without allocating (a
// word longer than the caller's buffer aside).
type wordScanner struct {
	s    string
	i    int
	pend []byte // the rest of a decomposed rune
	w    []byte // the word, in a buffer the caller gives
}

// next returns the next word, or nil at the end. The slice is reused.
func (ws *wordScanner) next() []byte {
	ws.w = ws.w[:0]
	for {
		var r rune
		switch {
		case len(ws.pend) > 0:
			var n int
			r, n = utf8.DecodeRune(ws.pend)
			ws.pend = ws.pend[n:]
		case ws.i >= len(ws.s):
			if len(ws.w) > 0 {
				return ws.w
			}
			return nil
		case ws.s[ws.i] < utf8.RuneSelf:
			r = rune(ws.s[ws.i])
			ws.i++
		default:
			var n int
			r, n = utf8.DecodeRuneInString(ws.s[ws.i:])
			if !isApostrophe(r) { // ´ would decompose to a space and an accent
				// Compatibility decomposition: "ñ" is "n" and a combining
				// tilde, "ｋ" is "k", "ﬁ" is "fi".
				p := norm.NFKD.PropertiesString(ws.s[ws.i:])
				if d := p.Decomposition(); d != nil {
					ws.i += p.Size()
					ws.pend = d
					continue
				}
			}
			ws.i += n
		}
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9':
			ws.w = append(ws.w, byte(r))
		case 'A' <= r && r <= 'Z':
			ws.w = append(ws.w, byte(r+'a'-'A'))
		case r < utf8.RuneSelf && r != '\'' && r != '`':
			if len(ws.w) > 0 {
				return ws.w
			}
		case r < utf8.RuneSelf || isApostrophe(r) || unicode.Is(unicode.Mn, r) ||
			r == '\u00AD' || r == '\u200B' || r == '\u200D' || r == '\uFE0F':
			// Apostrophes, accents, soft hyphens, zero-width spaces and
			// joiners and emoji variation selectors do not break a word.
		case unicode.IsLetter(r) || unicode.IsDigit(r):
			ws.w = utf8.AppendRune(ws.w, unicode.ToLower(r))
		default:
			if len(ws.w) > 0 {
				return ws.w
			}
		}
	}
}

// stretched reports whether w repeats a byte three times or more in a row.
func stretched(w []byte) bool {
	for i := 2; i < len(w); i++ {
		if w[i] == w[i-1] && w[i] == w[i-2] {
			return true
		}
	}
	return false
}

// squeeze appends w to dst with runs of three or more of a byte cut to keep.
func squeeze(dst, w []byte, keep int) []byte {
	for i := 0; i < len(w); {
		j := i
		for j < len(w) && w[j] == w[i] {
			j++
		}
		n := j - i
		if n >= 3 {
			n = keep
		}
		for range n {
			dst = append(dst, w[i])
		}
		i = j
	}
	return dst
}

// DefaultPhrases returns Kindred's starter phrase lists, English ("en")
// and Spanish ("es"), as fresh slices the caller may change. Organisations
// edit their own copies (internal/safety).
func DefaultPhrases() map[string][]string {
	return map[string][]string{
		"en": slices.Clone(phrasesEN),
		"es": slices.Clone(phrasesES),
	}
}

// ScanCrisis makes a Detector a kindred.CrisisScanner that uses the same
// lists for every organisation.
func (d *Detector) ScanCrisis(_ context.Context, _ string, text string) bool {
	return d.Scan(text).Hit
}

// Normalize returns a phrase as the detector compares it: its normalised
// words joined by single spaces ("I DON'T  want" is "i dont want").
// Contractions are not expanded here. It is empty for a phrase the detector
// would skip.
func Normalize(phrase string) string { return strings.Join(splitWords(phrase), " ") }
