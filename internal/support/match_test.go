package support

import (
	"slices"
	"testing"
	"time"

	"kindred"
)

var matchNow = time.Date(2026, 3, 18, 12, 0, 0, 0, time.UTC)

// cand builds a candidate: an adult who shares coming out and speaks
// English, with nothing open, last matched a week ago.
func cand(id string, opts ...func(*kindred.SupportCandidate)) *kindred.SupportCandidate {
	last := matchNow.Add(-7 * 24 * time.Hour)
	c := &kindred.SupportCandidate{Profile: kindred.SupporterProfile{AccountID: id, Experiences: []string{"coming_out"},
		Languages: []string{"en"}, Capacity: 3, AgeBand: kindred.AgeAdult}, LastMatchedAt: &last, Certified: true}
	for _, o := range opts {
		o(c)
	}
	return c
}

func request(opts ...func(*kindred.SupportRequest)) *kindred.SupportRequest {
	r := &kindred.SupportRequest{ID: "req", MemberID: "member", Topics: []string{"coming_out"}, Urgency: kindred.UrgencyToday}
	for _, o := range opts {
		o(r)
	}
	return r
}

func ids(rs []Ranked) []string {
	var out []string
	for _, r := range rs {
		out = append(out, r.SupporterID)
	}
	return out
}

func TestRankHardRules(t *testing.T) {
	set := kindred.DefaultSupportSettings("org")
	adult := Member{ID: "member", AgeBand: kindred.AgeAdult}
	youth := Member{ID: "member", AgeBand: kindred.AgeYouth}
	tests := []struct {
		name      string
		req       *kindred.SupportRequest
		member    Member
		cand      *kindred.SupportCandidate
		unmatched string // what the member is told when only this one was on shift
	}{
		{"the member themself", request(), adult, cand("member"), "No other supporter is on shift right now."},
		{"blocked either way", request(), Member{ID: "member", Blocked: map[string]bool{"s": true}}, cand("s"), "No other supporter is on shift right now."},
		{"excluded from the request", request(func(r *kindred.SupportRequest) { r.Excluded = []string{"s"} }), adult, cand("s"), "No other supporter is on shift right now."},
		{"at their own capacity", request(), adult, cand("s", func(c *kindred.SupportCandidate) { c.Profile.Capacity, c.Load = 2, 2 }),
			"Every supporter on shift is already in conversations right now."},
		{"at the organisation's cap", request(), adult, cand("s", func(c *kindred.SupportCandidate) { c.Profile.Capacity, c.Load = 8, 3 }),
			"Every supporter on shift is already in conversations right now."},
		{"weekly hours used up", request(), adult, cand("s", func(c *kindred.SupportCandidate) { c.WeekShift = 12 * time.Hour }),
			"The supporters on shift have reached their hours for this week."},
		{"certification expired", request(), adult, cand("s", func(c *kindred.SupportCandidate) { c.CertifiedUntil = &matchNow }),
			"No supporter on shift can take requests right now."},
		{"youth member, adult supporter outside the youth programme", request(), youth, cand("s"),
			"No supporter on shift right now works with members aged 13 to 17."},
		{"adult member, supporter aged 13-17", request(), adult, cand("s", func(c *kindred.SupportCandidate) { c.Profile.AgeBand = kindred.AgeYouth }),
			"No supporter on shift right now works with adults."},
		{"language asked for and not spoken", request(func(r *kindred.SupportRequest) { r.Language = "es" }), adult, cand("s"),
			"No supporter on shift speaks Spanish right now."},
		{"not my school, and they share one", request(func(r *kindred.SupportRequest) { r.NotMySchool = true }),
			Member{ID: "member", AgeBand: kindred.AgeYouth, Schools: []string{"north-high"}},
			cand("s", func(c *kindred.SupportCandidate) {
				c.Profile.AgeBand, c.Schools = kindred.AgeYouth, []string{"north-high"}
			}),
			"The supporters on shift right now share a school with you, and you asked for someone who doesn't."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cands := []*kindred.SupportCandidate{tc.cand}
			if got := Rank(tc.req, tc.member, cands, set, matchNow); len(got) != 0 {
				t.Errorf("ranked %v, want nobody", ids(got))
			}
			if got := Unmatched(tc.req, tc.member, cands, set, matchNow); got != tc.unmatched {
				t.Errorf("Unmatched = %q, want %q", got, tc.unmatched)
			}
		})
	}
}

func TestRankAllows(t *testing.T) {
	set := kindred.DefaultSupportSettings("org")
	tests := []struct {
		name   string
		req    *kindred.SupportRequest
		member Member
		cand   *kindred.SupportCandidate
	}{
		{"youth member, youth programme supporter", request(), Member{ID: "member", AgeBand: kindred.AgeYouth},
			cand("s", func(c *kindred.SupportCandidate) { c.Profile.YouthProgramme = true })},
		{"youth member, supporter aged 13-17", request(), Member{ID: "member", AgeBand: kindred.AgeYouth},
			cand("s", func(c *kindred.SupportCandidate) { c.Profile.AgeBand = kindred.AgeYouth })},
		{"young adult member, adult supporter", request(), Member{ID: "member", AgeBand: kindred.AgeYoungAdult}, cand("s")},
		{"not my school, different schools", request(func(r *kindred.SupportRequest) { r.NotMySchool = true }),
			Member{ID: "member", Schools: []string{"a"}}, cand("s", func(c *kindred.SupportCandidate) { c.Schools = []string{"b"} })},
		{"certified until later", request(), Member{ID: "member"},
			cand("s", func(c *kindred.SupportCandidate) { c.CertifiedUntil = ptrTime(matchNow.Add(time.Minute)) })},
		{"one place left", request(), Member{ID: "member"}, cand("s", func(c *kindred.SupportCandidate) { c.Load = 2 })},
		{"shares nothing asked about", request(func(r *kindred.SupportRequest) { r.Topics = []string{"faith"} }), Member{ID: "member"}, cand("s")},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			cands := []*kindred.SupportCandidate{tc.cand}
			if got := Rank(tc.req, tc.member, cands, set, matchNow); !slices.Equal(ids(got), []string{"s"}) {
				t.Errorf("ranked %v, want [s]", ids(got))
			}
			if got := Unmatched(tc.req, tc.member, cands, set, matchNow); got != "" {
				t.Errorf("Unmatched = %q, want empty", got)
			}
		})
	}
	if got := Unmatched(request(), Member{ID: "member"}, nil, set, matchNow); got != "No supporter is on shift right now." {
		t.Errorf("Unmatched with nobody on shift = %q", got)
	}
}

func ptrTime(t time.Time) *time.Time { return &t }

func TestRankOrder(t *testing.T) {
	set := kindred.DefaultSupportSettings("org")
	member := Member{ID: "member", AgeBand: kindred.AgeAdult}
	two := request(func(r *kindred.SupportRequest) { r.Topics = []string{"coming_out", "faith"} })
	tests := []struct {
		name  string
		req   *kindred.SupportRequest
		cands []*kindred.SupportCandidate
		want  []string
	}{
		{"more shared topics first", two, []*kindred.SupportCandidate{
			cand("a"),
			cand("b", func(c *kindred.SupportCandidate) { c.Profile.Experiences = []string{"coming_out", "faith"} }),
		}, []string{"b", "a"}},
		{"a shared topic beats every operational factor", request(), []*kindred.SupportCandidate{
			// a shares nothing but is idle, rested and never matched.
			cand("a", func(c *kindred.SupportCandidate) { c.Profile.Experiences = []string{"faith"}; c.LastMatchedAt = nil }),
			// b shares the topic but is busy, just matched and worked all week.
			cand("b", func(c *kindred.SupportCandidate) {
				c.Load, c.LastMatchedAt, c.WeekShift = 2, &matchNow, 11*time.Hour
			}),
		}, []string{"b", "a"}},
		{"an identity asked for", request(func(r *kindred.SupportRequest) { r.Identities = []kindred.Identity{kindred.IdentityTrans} }),
			[]*kindred.SupportCandidate{
				cand("a"),
				cand("b", func(c *kindred.SupportCandidate) { c.Profile.Identities = []kindred.Identity{kindred.IdentityTrans} }),
			}, []string{"b", "a"}},
		{"lighter load first", request(), []*kindred.SupportCandidate{
			cand("a", func(c *kindred.SupportCandidate) { c.Load = 1 }),
			cand("b"),
		}, []string{"b", "a"}},
		{"longer since last matched first", request(), []*kindred.SupportCandidate{
			cand("a", func(c *kindred.SupportCandidate) { c.LastMatchedAt = ptrTime(matchNow.Add(-time.Hour)) }),
			cand("b", func(c *kindred.SupportCandidate) { c.LastMatchedAt = ptrTime(matchNow.Add(-2 * 24 * time.Hour)) }),
		}, []string{"b", "a"}},
		{"never matched counts as a week, capped", request(), []*kindred.SupportCandidate{
			cand("b", func(c *kindred.SupportCandidate) { c.LastMatchedAt = ptrTime(matchNow.Add(-30 * 24 * time.Hour)) }),
			cand("a", func(c *kindred.SupportCandidate) { c.LastMatchedAt = nil }),
		}, []string{"a", "b"}}, // equal scores: by id
		{"fewer shift hours this week first", request(), []*kindred.SupportCandidate{
			cand("a", func(c *kindred.SupportCandidate) { c.WeekShift = 8 * time.Hour }),
			cand("b", func(c *kindred.SupportCandidate) { c.WeekShift = time.Hour }),
		}, []string{"b", "a"}},
		{"ties by supporter id", request(), []*kindred.SupportCandidate{cand("c"), cand("a"), cand("b")}, []string{"a", "b", "c"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Rank(tc.req, member, tc.cands, set, matchNow)
			if !slices.Equal(ids(got), tc.want) {
				t.Errorf("order %v, want %v", ids(got), tc.want)
			}
			// Deterministic: reversing the input changes nothing.
			rev := slices.Clone(tc.cands)
			slices.Reverse(rev)
			if again := Rank(tc.req, member, rev, set, matchNow); !slices.Equal(ids(again), ids(got)) {
				t.Errorf("reversed input ranked %v, then %v", ids(got), ids(again))
			}
		})
	}
}

func TestRankReasons(t *testing.T) {
	set := kindred.DefaultSupportSettings("org")
	tests := []struct {
		name   string
		req    *kindred.SupportRequest
		member Member
		cand   *kindred.SupportCandidate
		want   string
	}{
		{"everything asked for",
			request(func(r *kindred.SupportRequest) {
				r.Topics, r.Language, r.Identities = []string{"coming_out", "faith"}, "es", []kindred.Identity{kindred.IdentityTrans, kindred.IdentityPersonOfColour}
			}),
			Member{ID: "member", AgeBand: kindred.AgeAdult},
			cand("s", func(c *kindred.SupportCandidate) {
				c.Profile.Experiences = []string{"coming_out", "faith", "rural_life"}
				c.Profile.Languages = []string{"en", "es"}
				c.Profile.Identities = []kindred.Identity{kindred.IdentityTrans, kindred.IdentityPersonOfColour}
				c.Load, c.LastMatchedAt = 1, ptrTime(matchNow.Add(-3*24*time.Hour-time.Hour))
			}),
			"Shares coming out and faith and religion; speaks Spanish, as asked; is trans, as asked; is a person of colour, as asked; 1 of 3 conversations open; last matched 3 days ago."},
		{"youth member, nothing shared, never matched",
			request(func(r *kindred.SupportRequest) { r.Topics = []string{"school_bullying"} }),
			Member{ID: "member", AgeBand: kindred.AgeYouth},
			cand("s", func(c *kindred.SupportCandidate) { c.Profile.YouthProgramme, c.LastMatchedAt = true, nil }),
			"Shares none of the topics asked about; in the youth programme; 0 of 3 conversations open; not matched yet."},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := Rank(tc.req, tc.member, []*kindred.SupportCandidate{tc.cand}, set, matchNow)
			if len(got) != 1 {
				t.Fatalf("ranked %d", len(got))
			}
			if got[0].Reason != tc.want {
				t.Errorf("Reason:\n got %q\nwant %q", got[0].Reason, tc.want)
			}
		})
	}
}
