package demo

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
	"time"

	"kindred"
)

// peopleByHandle indexes the community's people by normalized handle.
func peopleByHandle(t *testing.T, c Community) map[string]Person {
	t.Helper()
	m := map[string]Person{}
	for _, p := range c.People {
		key := kindred.NormalizeHandle(p.Handle)
		if _, dup := m[key]; dup {
			t.Errorf("handle %q is used twice (case-insensitively)", p.Handle)
		}
		m[key] = p
	}
	return m
}

func roles(t *testing.T, p Person) kindred.Role {
	t.Helper()
	r, err := kindred.ParseRoles(p.Roles)
	if err != nil {
		t.Fatalf("%s: roles %v: %v", p.Handle, p.Roles, err)
	}
	return r
}

func TestOrganizationValidates(t *testing.T) {
	c := Content()
	d := c.Org
	if err := d.Validate(); err != nil {
		t.Fatalf("organization draft: %v", err)
	}
	if d.Slug != "harbour" || d.Kind != kindred.OrgCommunityCentre || d.JoinPolicy != kindred.JoinOpen {
		t.Errorf("organization = %q/%q/%q, want harbour/community_centre/open", d.Slug, d.Kind, d.JoinPolicy)
	}
	if strings.TrimSpace(d.Description) == "" || strings.TrimSpace(d.CodeOfConduct) == "" {
		t.Error("organization needs a description and a code of conduct")
	}
	coc := strings.ToLower(d.CodeOfConduct)
	for _, topic := range []string{"stays here", "never out anyone", "pronouns", "diagnos", "ask before advising", "conversion", "look after yourself", "moderator", "emergency"} {
		if !strings.Contains(coc, topic) {
			t.Errorf("code of conduct does not cover %q", topic)
		}
	}
}

func TestPeople(t *testing.T) {
	c := Content()
	if n := len(c.People); n < 12 || n > 16 {
		t.Errorf("%d people, want 12 to 16", n)
	}
	if len(c.Password) < kindred.MinPassword {
		t.Errorf("password %q is shorter than %d characters", c.Password, kindred.MinPassword)
	}
	byHandle := peopleByHandle(t, c)

	counts := map[kindred.Role]int{}
	youth, withPronouns := 0, 0
	for _, p := range c.People {
		d := kindred.SignupDraft{Handle: p.Handle, Password: c.Password, AgeBand: p.AgeBand, DisplayName: p.DisplayName, Pronouns: p.Pronouns}
		if err := d.Validate(); err != nil {
			t.Errorf("%s: signup: %v", p.Handle, err)
		}
		if d.Handle != p.Handle || d.DisplayName != p.DisplayName || d.Pronouns != p.Pronouns {
			t.Errorf("%s: signup validation changed the fields (stray spaces or @?)", p.Handle)
		}
		bio, name, pronouns := p.Bio, p.DisplayName, p.Pronouns
		u := kindred.ProfileUpdate{DisplayName: &name, Pronouns: &pronouns, Bio: &bio}
		if err := u.Validate(); err != nil {
			t.Errorf("%s: profile: %v", p.Handle, err)
		}
		if strings.TrimSpace(p.DisplayName) == "" || strings.TrimSpace(p.Bio) == "" {
			t.Errorf("%s: needs a display name and a bio", p.Handle)
		}
		r := roles(t, p)
		for _, x := range kindred.AllRoles {
			if r.Has(x) {
				counts[x]++
			}
		}
		if p.AgeBand.IsMinor() {
			youth++
			if r != kindred.RoleMember {
				t.Errorf("%s is 13-17 and holds staff roles %v", p.Handle, r.Names())
			}
		}
		if p.Pronouns != "" {
			withPronouns++
		}
	}
	if youth < 2 || youth > 3 {
		t.Errorf("%d people are 13-17, want 2 or 3", youth)
	}
	if withPronouns*4 < len(c.People)*3 {
		t.Errorf("only %d of %d people have pronouns set", withPronouns, len(c.People))
	}
	want := map[kindred.Role]int{
		kindred.RoleAdmin: 1, kindred.RoleModerator: 1, kindred.RoleFacilitator: 2,
		kindred.RoleCoordinator: 1, kindred.RolePeerSupporter: 2, kindred.RoleMember: len(c.People),
	}
	for role, n := range want {
		if counts[role] != n {
			t.Errorf("%d people hold %s, want %d", counts[role], role.Name(), n)
		}
	}

	admin, ok := byHandle["sam_admin"]
	if !ok || admin.DisplayName != "Sam (admin)" || !roles(t, admin).Has(kindred.RoleAdmin) {
		t.Errorf("want admin sam_admin called \"Sam (admin)\", got %+v", admin)
	}
	demo, ok := byHandle["alex_demo"]
	if !ok {
		t.Fatal("no alex_demo")
	}
	if demo.Pronouns != "they/them" || demo.AgeBand != kindred.AgeYoungAdult || roles(t, demo) != kindred.RoleMember {
		t.Errorf("alex_demo = %+v, want they/them, 18-24, member only", demo)
	}
}

func TestGroups(t *testing.T) {
	c := Content()
	byHandle := peopleByHandle(t, c)
	if len(c.Groups) < 5 {
		t.Fatalf("%d groups, want at least 5", len(c.Groups))
	}
	slugs := map[string]bool{}
	var youthOnly, private, hidden int
	inSomeGroup := map[string]bool{}

	for _, g := range c.Groups {
		d := g.Draft
		if err := d.Validate(); err != nil {
			t.Errorf("group %q: %v", g.Draft.Name, err)
			continue
		}
		if d.Slug != g.Draft.Slug || d.Visibility != g.Draft.Visibility || d.AgeRule != g.Draft.AgeRule {
			t.Errorf("group %q relies on defaults; set slug, visibility and age rule", d.Name)
		}
		if slugs[d.Slug] {
			t.Errorf("group slug %q used twice", d.Slug)
		}
		slugs[d.Slug] = true
		if strings.TrimSpace(d.Description) == "" {
			t.Errorf("group %q has no description", d.Name)
		}
		if n := strings.Count(d.Guidelines, "\n- ") + boolInt(strings.HasPrefix(d.Guidelines, "- ")); n < 4 || n > 7 {
			t.Errorf("group %q has %d guideline bullets, want 4 to 7", d.Name, n)
		}

		switch d.Visibility {
		case kindred.VisibilityPrivate:
			private++
			if len(g.Pending) == 0 {
				t.Errorf("private group %q has nobody waiting to join", d.Name)
			}
		case kindred.VisibilityHidden:
			hidden++
			if d.AgeRule != kindred.AgeAdultOnly {
				t.Errorf("hidden group %q should be adults only", d.Name)
			}
		}
		if d.Visibility != kindred.VisibilityPrivate && len(g.Pending) > 0 {
			t.Errorf("group %q is %s but has pending people", d.Name, d.Visibility)
		}
		if d.AgeRule == kindred.AgeYouthOnly {
			youthOnly++
			if !strings.Contains(d.Description, "facilitated by trained staff") {
				t.Errorf("youth group %q should say it is facilitated by trained staff", d.Name)
			}
		}

		if len(g.Facilitators) == 0 {
			t.Errorf("group %q has no facilitator", d.Name)
			continue
		}
		if first, ok := byHandle[kindred.NormalizeHandle(g.Facilitators[0])]; ok &&
			!roles(t, first).Any(kindred.RoleFacilitator|kindred.RoleAdmin) {
			t.Errorf("group %q: first facilitator %s cannot create groups", d.Name, first.Handle)
		}

		seen := map[string]string{}
		check := func(list []string, kind string) {
			for _, h := range list {
				p, ok := byHandle[kindred.NormalizeHandle(h)]
				if !ok {
					t.Errorf("group %q: %s %q is not a person", d.Name, kind, h)
					continue
				}
				if prev, dup := seen[h]; dup {
					t.Errorf("group %q lists %s as %s and as %s", d.Name, h, prev, kind)
				}
				seen[h] = kind
				inSomeGroup[h] = true
				if d.AgeRule.Allows(p.AgeBand) {
					continue
				}
				// Only staff facilitators may lead a space outside their age band,
				// and only a youth space: nobody 13-17 is ever in an adults-only group.
				if kind == "facilitator" && d.AgeRule == kindred.AgeYouthOnly && roles(t, p).Has(kindred.RoleFacilitator) {
					continue
				}
				t.Errorf("group %q (%s): %s %s is %s", d.Name, d.AgeRule, kind, h, p.AgeBand)
			}
		}
		check(g.Facilitators, "facilitator")
		check(g.Members, "member")
		check(g.Pending, "pending")
	}
	if youthOnly != 1 || private < 1 || hidden < 1 {
		t.Errorf("groups: %d youth-only, %d private, %d hidden; want 1, at least 1, at least 1", youthOnly, private, hidden)
	}
	for _, p := range c.People {
		if !inSomeGroup[p.Handle] {
			t.Errorf("%s is in no group", p.Handle)
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

var (
	urlPattern   = regexp.MustCompile(`(?i)(https?://|www\.|\.com\b|\.org\b)`)
	phonePattern = regexp.MustCompile(`\d[\d\s-]{6,}\d`)
)

func checkText(t *testing.T, where, s string) {
	t.Helper()
	if urlPattern.MatchString(s) {
		t.Errorf("%s links to another site: %q", where, urlPattern.FindString(s))
	}
	if phonePattern.MatchString(s) {
		t.Errorf("%s contains something like a phone number: %q", where, phonePattern.FindString(s))
	}
}

func TestThreads(t *testing.T) {
	c := Content()
	byHandle := peopleByHandle(t, c)
	var warnings, anonymous, total int
	const window = 22 * 24 * time.Hour

	checkText(t, "organization description", c.Org.Description)
	checkText(t, "code of conduct", c.Org.CodeOfConduct)
	for _, p := range c.People {
		checkText(t, p.Handle+" bio", p.Bio)
	}

	for _, g := range c.Groups {
		name := g.Draft.Name
		checkText(t, name+" description", g.Draft.Description)
		checkText(t, name+" guidelines", g.Draft.Guidelines)
		if len(g.Threads) < 2 {
			t.Errorf("group %q has %d threads, want at least 2", name, len(g.Threads))
		}
		inGroup := map[string]bool{}
		for _, h := range append(append([]string{}, g.Facilitators...), g.Members...) {
			inGroup[h] = true
		}
		facilitates := map[string]bool{}
		for _, h := range g.Facilitators {
			facilitates[h] = true
		}
		// canPost mirrors the access policy: active group members whose age
		// fits, or the group's facilitators.
		canPost := func(where, h string) {
			p, ok := byHandle[kindred.NormalizeHandle(h)]
			switch {
			case !ok:
				t.Errorf("%s: %q is not a person", where, h)
			case !inGroup[h]:
				t.Errorf("%s: %s is not a member or facilitator of %q", where, h, name)
			case !g.Draft.AgeRule.Allows(p.AgeBand) && !facilitates[h]:
				t.Errorf("%s: %s (%s) may not post in %q", where, h, p.AgeBand, name)
			}
		}
		checkReactions := func(where, author string, rs map[kindred.ReactionKind][]string) {
			for kind, handles := range rs {
				if !kind.Valid() {
					t.Errorf("%s: unknown reaction %q", where, kind)
				}
				if len(handles) == 0 {
					t.Errorf("%s: empty %s reaction list", where, kind)
				}
				seen := map[string]bool{}
				for _, h := range handles {
					canPost(where+" reaction", h)
					if h == author {
						t.Errorf("%s: %s reacts to their own post", where, h)
					}
					if seen[h] {
						t.Errorf("%s: %s gives %s twice", where, h, kind)
					}
					seen[h] = true
				}
			}
		}

		titles := map[string]bool{}
		for _, th := range g.Threads {
			total++
			where := name + " / " + th.Title
			d := kindred.ThreadDraft{Kind: th.Kind, Title: th.Title, Body: th.Body, ContentWarning: th.ContentWarning, Anonymous: th.Anonymous}
			if err := d.Validate(); err != nil {
				t.Errorf("%s: %v", where, err)
			}
			if d.Kind != th.Kind || d.Title != th.Title || d.ContentWarning != th.ContentWarning {
				t.Errorf("%s: relies on defaults or has stray spaces", where)
			}
			if titles[th.Title] {
				t.Errorf("%s: title used twice in the group", where)
			}
			titles[th.Title] = true
			checkText(t, where, th.Title+"\n"+th.Body+"\n"+th.ContentWarning)
			canPost(where+" author", th.Author)
			checkReactions(where, th.Author, th.Reactions)
			if th.ContentWarning != "" {
				warnings++
			}
			if th.Anonymous {
				anonymous++
			}
			if th.Age <= 0 || th.Age > window {
				t.Errorf("%s: started %v ago, want within the last three weeks", where, th.Age)
			}
			if n := len(th.Replies); n < 2 || n > 6 {
				t.Errorf("%s: %d replies, want 2 to 6", where, n)
			}
			var last time.Duration
			for i, r := range th.Replies {
				rw := where + " reply " + string(rune('1'+i))
				rd := kindred.ReplyDraft{Body: r.Body, ContentWarning: r.ContentWarning, Anonymous: r.Anonymous}
				if err := rd.Validate(); err != nil {
					t.Errorf("%s: %v", rw, err)
				}
				checkText(t, rw, r.Body+"\n"+r.ContentWarning)
				canPost(rw+" author", r.Author)
				checkReactions(rw, r.Author, r.Reactions)
				if r.ContentWarning != "" {
					warnings++
				}
				if r.Anonymous {
					anonymous++
				}
				if r.AgeOffset <= last || r.AgeOffset >= th.Age {
					t.Errorf("%s: written %v after the start; want after the previous reply (%v) and before now (%v)", rw, r.AgeOffset, last, th.Age)
				}
				last = r.AgeOffset
			}
		}
	}
	if warnings == 0 {
		t.Error("no post has a content warning")
	}
	if anonymous == 0 {
		t.Error("no post is anonymous")
	}
	if total < 2*len(c.Groups) {
		t.Errorf("only %d threads in %d groups", total, len(c.Groups))
	}
}

func TestContentIsAFreshCopy(t *testing.T) {
	want := Content()
	got := Content()
	if !reflect.DeepEqual(want, got) {
		t.Fatal("two calls to Content differ")
	}

	// Change everything reachable in one copy, including nested slices and maps.
	got.Org.Name = "changed"
	got.Password = "changed"
	got.People[0].Roles[0] = "member"
	got.People = append(got.People[:1], got.People[2:]...)
	g := &got.Groups[0]
	g.Draft.Name = "changed"
	g.Facilitators[0] = "changed"
	g.Members[0] = "changed"
	th := &g.Threads[0]
	th.Title = "changed"
	for kind := range th.Reactions {
		th.Reactions[kind][0] = "changed"
	}
	th.Reactions[kindred.ReactMeToo] = append(th.Reactions[kindred.ReactMeToo], "extra")
	th.Replies[0].Body = "changed"
	th.Replies[0].Reactions[kindred.ReactThankYou] = []string{"changed"}
	for i := range got.Groups {
		for j := range got.Groups[i].Pending {
			got.Groups[i].Pending[j] = "changed"
		}
	}

	if again := Content(); !reflect.DeepEqual(want, again) {
		t.Error("changing one copy of the content changed the next one")
	}
}
