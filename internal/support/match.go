package support

import (
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"kindred"
)

// Member is what matching needs to know about the member asking.
type Member struct {
	ID      string
	AgeBand kindred.AgeBand
	Schools []string        // ids of school organisations they belong to
	Blocked map[string]bool // everyone they blocked or who blocked them
}

// Ranked is one supporter who may be offered a request, with why.
type Ranked struct {
	SupporterID string
	Score       float64
	Reasons     []string
	// Reason is Reasons as one sentence for a coordinator, e.g. "Shares
	// coming out and faith; speaks Spanish, as asked; 1 of 3 conversations
	// open; last matched 3 days ago."
	Reason string
}

// The score's weights. Shared experience is the point of peer support, so
// one shared topic (12) outweighs everything operational together (load 4
// + time since last match 3 + hours this week 2 = 9): balancing work never
// puts someone who shares nothing above someone who shares what the member
// wants to talk about. Sharing every topic asked about earns a bonus, so
// the one who shares all three beats the one who shares two of three plus
// luck. An identity the member asked for (a trans supporter) is a
// preference, not a rule, but they asked: each is worth more than any one
// operational factor and less than a shared topic. Fairness spreads work:
// credit grows with time since the supporter last accepted a match, up to
// a week (never matched counts as a week), and shift hours already worked
// this week count against them, so the same keen few are not offered
// everything.
const (
	weightTopic     = 12.0
	weightAllTopics = 4.0
	weightIdentity  = 5.0
	weightLoad      = 4.0 // × open conversations / capacity
	weightIdle      = 3.0 // × min(time since last match, idleCap) / idleCap
	weightHours     = 2.0 // × hours this week / weekly limit
	idleCap         = 7 * 24 * time.Hour
)

// skip is a hard rule that kept a supporter out of the ranking.
type skip int

const (
	fits skip = iota
	skipSelf
	skipBlocked
	skipExcluded
	skipCertification
	skipAge
	skipLanguage
	skipSchool
	skipFull
	skipHours
)

// capacity is the supporter's limit of open conversations here.
func capacity(p *kindred.SupporterProfile, set *kindred.SupportSettings) int {
	c := p.Capacity
	if c <= 0 || c > set.MaxCapacity {
		c = set.MaxCapacity
	}
	return c
}

// check applies the hard rules, which no score can outweigh.
func check(req *kindred.SupportRequest, m Member, c *kindred.SupportCandidate, set *kindred.SupportSettings, now time.Time) skip {
	p := &c.Profile
	switch {
	case p.AccountID == m.ID:
		return skipSelf
	case m.Blocked[p.AccountID]:
		return skipBlocked
	case slices.Contains(req.Excluded, p.AccountID):
		return skipExcluded
	case c.CertifiedUntil != nil && !now.Before(*c.CertifiedUntil):
		return skipCertification
	// The age rule: members aged 13–17 talk only with supporters their
	// own age or cleared for the youth programme; adults never with a
	// supporter aged 13–17.
	case m.AgeBand.IsMinor() && !p.AgeBand.IsMinor() && !p.YouthProgramme,
		!m.AgeBand.IsMinor() && p.AgeBand.IsMinor():
		return skipAge
	case req.Language != "" && !slices.Contains(p.Languages, req.Language):
		return skipLanguage
	case req.NotMySchool && shareAny(m.Schools, c.Schools):
		return skipSchool
	case c.Load >= capacity(p, set):
		return skipFull
	case c.WeekShift >= time.Duration(set.WeeklyHours)*time.Hour:
		return skipHours
	}
	return fits
}

func shareAny(a, b []string) bool {
	for _, x := range a {
		if slices.Contains(b, x) {
			return true
		}
	}
	return false
}

// Rank orders the candidates who may be offered the request, best first,
// each with its reasons. It is pure and deterministic: the same input
// gives the same order, ties broken by supporter id.
func Rank(req *kindred.SupportRequest, member Member, cands []*kindred.SupportCandidate, set *kindred.SupportSettings, now time.Time) []Ranked {
	var out []Ranked
	for _, c := range cands {
		if check(req, member, c, set, now) != fits {
			continue
		}
		out = append(out, score(req, member, c, set, now))
	}
	slices.SortFunc(out, func(a, b Ranked) int {
		switch {
		case a.Score > b.Score:
			return -1
		case a.Score < b.Score:
			return 1
		}
		return strings.Compare(a.SupporterID, b.SupporterID)
	})
	return out
}

func score(req *kindred.SupportRequest, m Member, c *kindred.SupportCandidate, set *kindred.SupportSettings, now time.Time) Ranked {
	p := &c.Profile
	r := Ranked{SupporterID: p.AccountID}
	var shared []string
	for _, t := range req.Topics {
		if slices.Contains(p.Experiences, t) {
			shared = append(shared, lowerFirst(set.ExperienceLabel(t)))
		}
	}
	r.Score += weightTopic * float64(len(shared))
	if len(shared) > 0 && len(shared) == len(req.Topics) {
		r.Score += weightAllTopics
	}
	if len(shared) > 0 {
		r.Reasons = append(r.Reasons, "shares "+joinAnd(shared))
	} else {
		r.Reasons = append(r.Reasons, "shares none of the topics asked about")
	}
	if req.Language != "" {
		r.Reasons = append(r.Reasons, "speaks "+kindred.LanguageLabel(req.Language)+", as asked")
	}
	for _, id := range req.Identities {
		if slices.Contains(p.Identities, id) {
			r.Score += weightIdentity
			r.Reasons = append(r.Reasons, identityPhrase(id)+", as asked")
		}
	}
	if m.AgeBand.IsMinor() && p.YouthProgramme {
		r.Reasons = append(r.Reasons, "in the youth programme")
	}
	limit := capacity(p, set)
	r.Score -= weightLoad * float64(c.Load) / float64(limit)
	r.Reasons = append(r.Reasons, fmt.Sprintf("%d of %d conversations open", c.Load, limit))
	idle := idleCap
	if c.LastMatchedAt != nil {
		idle = min(max(now.Sub(*c.LastMatchedAt), 0), idleCap)
		r.Reasons = append(r.Reasons, "last matched "+ago(now.Sub(*c.LastMatchedAt)))
	} else {
		r.Reasons = append(r.Reasons, "not matched yet")
	}
	r.Score += weightIdle * float64(idle) / float64(idleCap)
	if set.WeeklyHours > 0 {
		r.Score -= weightHours * min(c.WeekShift.Hours()/float64(set.WeeklyHours), 1)
	}
	r.Reason = sentence(r.Reasons)
	return r
}

// Unmatched says, for the member, why nobody can be offered the request
// right now ("" when someone can): the rule that kept out the most
// supporters on shift, in words that never name anyone.
func Unmatched(req *kindred.SupportRequest, member Member, cands []*kindred.SupportCandidate, set *kindred.SupportSettings, now time.Time) string {
	if len(cands) == 0 {
		return "No supporter is on shift right now."
	}
	counts := map[skip]int{}
	for _, c := range cands {
		s := check(req, member, c, set, now)
		if s == fits {
			return ""
		}
		counts[s]++
	}
	best, n := fits, 0
	for s := skipSelf; s <= skipHours; s++ {
		if counts[s] > n {
			best, n = s, counts[s]
		}
	}
	switch best {
	case skipLanguage:
		return "No supporter on shift speaks " + kindred.LanguageLabel(req.Language) + " right now."
	case skipAge:
		if member.AgeBand.IsMinor() {
			return "No supporter on shift right now works with members aged 13 to 17."
		}
		return "No supporter on shift right now works with adults."
	case skipSchool:
		return "The supporters on shift right now share a school with you, and you asked for someone who doesn't."
	case skipFull:
		return "Every supporter on shift is already in conversations right now."
	case skipHours:
		return "The supporters on shift have reached their hours for this week."
	case skipCertification:
		return "No supporter on shift can take requests right now."
	}
	return "No other supporter is on shift right now."
}

func identityPhrase(i kindred.Identity) string {
	switch i {
	case kindred.IdentityPersonOfColour, kindred.IdentityFaith:
		return "is a " + strings.ToLower(i.Label())
	case kindred.IdentityImmigrant:
		return "is an " + strings.ToLower(i.Label())
	}
	return "is " + strings.ToLower(i.Label())
}

func lowerFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	// Keep words that are capitalised in themselves ("LGBTQ+").
	if n == 0 || len(s) > n && unicode.IsUpper(rune(s[n])) {
		return s
	}
	return string(unicode.ToLower(r)) + s[n:]
}

func upperFirst(s string) string {
	r, n := utf8.DecodeRuneInString(s)
	if n == 0 {
		return s
	}
	return string(unicode.ToUpper(r)) + s[n:]
}

// joinAnd joins words as English does: "a", "a and b", "a, b and c".
func joinAnd(xs []string) string {
	switch len(xs) {
	case 0:
		return ""
	case 1:
		return xs[0]
	}
	return strings.Join(xs[:len(xs)-1], ", ") + " and " + xs[len(xs)-1]
}

func sentence(parts []string) string {
	if len(parts) == 0 {
		return ""
	}
	return upperFirst(strings.Join(parts, "; ")) + "."
}

// ago says how long ago in whole, rounded-down units.
func ago(d time.Duration) string {
	switch {
	case d < time.Minute:
		return "just now"
	case d < time.Hour:
		return plural(int(d/time.Minute), "minute") + " ago"
	case d < 48*time.Hour:
		return plural(int(d/time.Hour), "hour") + " ago"
	}
	return plural(int(d/(24*time.Hour)), "day") + " ago"
}

func plural(n int, unit string) string {
	if n == 1 {
		return "1 " + unit
	}
	return strconv.Itoa(n) + " " + unit + "s"
}
