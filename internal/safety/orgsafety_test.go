package safety_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"kindred"
	"kindred/internal/broker"
	"kindred/internal/crisis"
	"kindred/internal/safety"
	"kindred/internal/sqlstore"
	"kindred/internal/sqlstore/sqlstoretest"
)

// orgWorld is a store with two organisations: harbour (listed) and quiet
// (unlisted), each with an admin, and a member of harbour.
type orgWorld struct {
	store                  *sqlstore.DB
	harbour, quiet         *kindred.Organization
	admin, member, outside *kindred.Actor
}

func newOrgWorld(t *testing.T) *orgWorld {
	t.Helper()
	ctx := context.Background()
	store := sqlstoretest.Open(t)
	now := time.Now().UTC()
	account := func(handle string) *kindred.Actor {
		a := &kindred.Account{Handle: handle, AgeBand: kindred.AgeAdult, PasswordHash: "x", CreatedAt: now}
		if err := store.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		return &kindred.Actor{Account: a}
	}
	w := &orgWorld{store: store, admin: account("ada"), member: account("mo"), outside: account("oz")}
	org := func(slug string, listed bool) *kindred.Organization {
		o := &kindred.Organization{ID: kindred.NewID(), Slug: slug, Name: "Org " + slug, Kind: kindred.OrgCommunityCentre,
			JoinPolicy: kindred.JoinOpen, Listed: listed, CreatedAt: now}
		m := &kindred.Membership{OrgID: o.ID, AccountID: w.admin.AccountID(), Roles: kindred.RoleMember | kindred.RoleAdmin,
			Status: kindred.StatusActive, ConductAcceptedAt: &now, CreatedAt: now}
		if err := store.CreateOrganization(ctx, o, m); err != nil {
			t.Fatal(err)
		}
		return o
	}
	w.harbour, w.quiet = org("harbour", true), org("quiet", false)
	if err := store.CreateMembership(ctx, &kindred.Membership{OrgID: w.harbour.ID, AccountID: w.member.AccountID(),
		Roles: kindred.RoleMember | kindred.RoleCoordinator | kindred.RoleModerator, Status: kindred.StatusActive, ConductAcceptedAt: &now, CreatedAt: now}); err != nil {
		t.Fatal(err)
	}
	return w
}

func TestScanCrisisPerOrganisation(t *testing.T) {
	ctx := context.Background()
	w := newOrgWorld(t)
	svc := safety.New(w.store, safety.Options{})
	t.Cleanup(svc.Close)
	h, q := w.harbour.ID, w.quiet.ID

	// Without any list of its own, an organisation scans with the starter
	// lists, English and Spanish alike; so does "no organisation".
	for _, org := range []string{h, q, ""} {
		if !svc.ScanCrisis(ctx, org, "I want to kill myself") || !svc.ScanCrisis(ctx, org, "quiero morir") {
			t.Errorf("org %q: the starter lists do not hit", org)
		}
		if svc.ScanCrisis(ctx, org, "the weather is lovely") {
			t.Errorf("org %q: a harmless sentence hits", org)
		}
	}

	// An edit takes effect at once: a phrase added hits, a starter phrase
	// removed no longer does, and only in that organisation and locale.
	en := slices.DeleteFunc(crisis.DefaultPhrases()["en"], func(p string) bool { return p == "kill myself" })
	en = append(en, "walk into the sea")
	if _, err := svc.SaveCrisisPhrases(ctx, w.admin, "harbour", "en", en); err != nil {
		t.Fatal(err)
	}
	if !svc.ScanCrisis(ctx, h, "I just want to walk into the sea") {
		t.Error("an added phrase does not hit")
	}
	if svc.ScanCrisis(ctx, h, "I will kill myself") {
		t.Error("a removed starter phrase still hits")
	}
	if !svc.ScanCrisis(ctx, h, "quiero morir") {
		t.Error("editing English changed the Spanish list")
	}
	if !svc.ScanCrisis(ctx, q, "I will kill myself") || svc.ScanCrisis(ctx, q, "walk into the sea") {
		t.Error("one organisation's edit reached another")
	}

	// A fresh service (another node, or a restart) reads the edit from the
	// store on first use.
	other := safety.New(w.store, safety.Options{})
	t.Cleanup(other.Close)
	if !other.ScanCrisis(ctx, h, "walk into the sea") || other.ScanCrisis(ctx, h, "kill myself") {
		t.Error("a fresh service does not use the stored lists")
	}

	// Resetting goes back to the starter list.
	if _, err := svc.ResetCrisisPhrases(ctx, w.admin, "harbour", "en"); err != nil {
		t.Fatal(err)
	}
	if !svc.ScanCrisis(ctx, h, "kill myself") || svc.ScanCrisis(ctx, h, "walk into the sea") {
		t.Error("reset did not bring back the starter list")
	}

	// A list for a new locale adds to the starter lists.
	if _, err := svc.SaveCrisisPhrases(ctx, w.admin, "harbour", "fr", []string{"je veux mourir"}); err != nil {
		t.Fatal(err)
	}
	if !svc.ScanCrisis(ctx, h, "Je veux mourir.") || !svc.ScanCrisis(ctx, h, "kill myself") {
		t.Error("a French list did not join the starter lists")
	}

	// When the lists cannot be loaded (an unknown organisation, or the
	// database gone), the starter lists scan: never "no scan".
	if !svc.ScanCrisis(ctx, kindred.NewID(), "kill myself") {
		t.Error("an organisation without settings is not scanned")
	}
	fresh := safety.New(w.store, safety.Options{})
	t.Cleanup(fresh.Close)
	if err := w.store.Close(); err != nil {
		t.Fatal(err)
	}
	if !fresh.ScanCrisis(ctx, h, "kill myself") {
		t.Error("with no database, nothing is scanned")
	}
	// The service that loaded harbour's lists keeps using them.
	if !svc.ScanCrisis(ctx, h, "je veux mourir") {
		t.Error("with no database, the copy in memory is lost")
	}
}

func TestCrisisResourcesFromMemory(t *testing.T) {
	ctx := context.Background()
	w := newOrgWorld(t)
	svc := safety.New(w.store, safety.Options{})
	t.Cleanup(svc.Close)
	names := func(list []kindred.CrisisResource) []string {
		var out []string
		for _, r := range list {
			out = append(out, r.Name)
		}
		return out
	}
	defaults := names(crisis.DefaultResources())
	if got := names(svc.CrisisResources(ctx, w.harbour.ID)); !slices.Equal(got, defaults) {
		t.Errorf("no own lines: %v, want the defaults", got)
	}

	line := kindred.CrisisResource{Name: "  Harbour night line ", Phone: "555 0100", ChatURL: "https://chat.example/harbour",
		Languages: []string{"en", " ", "pt"}, Serves: "trans people"}
	v, err := svc.AddCrisisResource(ctx, w.admin, "harbour", line)
	if err != nil {
		t.Fatal(err)
	}
	if got := names(svc.CrisisResources(ctx, w.harbour.ID)); !slices.Equal(got, []string{"Harbour night line"}) {
		t.Errorf("own lines without the defaults: %v", got)
	}
	if got := v.Settings.Resources[0].Languages; !slices.Equal(got, []string{"en", "pt"}) {
		t.Errorf("languages %v", got)
	}
	id := v.Settings.Resources[0].ID
	if _, err := svc.AddCrisisResource(ctx, w.admin, "harbour", kindred.CrisisResource{Name: "Youth text line", Text: "Text HI to 555"}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.MoveCrisisResource(ctx, w.admin, "harbour", id, false); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.UpdateOrgSafetySettings(ctx, w.admin, "harbour", kindred.OrgSafetySettings{ShowDefaults: true,
		QuickExitURL: "https://weather.example/", Contact: "Jo at the desk"}); err != nil {
		t.Fatal(err)
	}
	want := append([]string{"Youth text line", "Harbour night line"}, defaults...)
	if got := names(svc.CrisisResources(ctx, w.harbour.ID)); !slices.Equal(got, want) {
		t.Errorf("after moving and showing the defaults: %v, want %v", got, want)
	}

	// Another service warms its copies at start, then the database goes:
	// both still answer with harbour's lines and settings.
	warm := safety.New(w.store, safety.Options{})
	t.Cleanup(warm.Close)
	if err := warm.Warm(ctx); err != nil {
		t.Fatal(err)
	}
	svc.RememberOrg(ctx, w.harbour)
	if err := w.store.Close(); err != nil {
		t.Fatal(err)
	}
	for name, s := range map[string]*safety.Service{"used": svc, "warmed": warm} {
		if got := names(s.CrisisResources(ctx, w.harbour.ID)); !slices.Equal(got, want) {
			t.Errorf("%s, no database: %v", name, got)
		}
		if got := s.OrgSettings(ctx, w.harbour.ID).QuickExitURL; got != "https://weather.example/" {
			t.Errorf("%s, no database: quick exit %q", name, got)
		}
	}
	if o := svc.RememberedOrg("harbour"); o == nil || o.ID != w.harbour.ID {
		t.Errorf("RememberedOrg: %+v", o)
	}
	// Never loaded and no database: the defaults, never nothing.
	if got := names(svc.CrisisResources(ctx, w.quiet.ID)); !slices.Equal(got, defaults) {
		t.Errorf("quiet, no database: %v", got)
	}
	// Editing fails cleanly, and the copy stays.
	if _, err := svc.RemoveCrisisResource(ctx, w.admin, "harbour", id); err == nil {
		t.Error("an edit without a database succeeded")
	}
	if got := names(svc.CrisisResources(ctx, w.harbour.ID)); !slices.Equal(got, want) {
		t.Errorf("after a failed edit: %v", got)
	}
}

func TestOrgSafetyRules(t *testing.T) {
	ctx := context.Background()
	w := newOrgWorld(t)
	svc := safety.New(w.store, safety.Options{})
	t.Cleanup(svc.Close)

	// Only admins: a member with staff roles is refused, an outsider finds
	// no unlisted organisation, a visitor is asked to log in.
	for _, c := range []struct {
		who  *kindred.Actor
		slug string
		code string
	}{
		{w.member, "harbour", kindred.EFORBIDDEN},
		{w.outside, "harbour", kindred.EFORBIDDEN},
		{w.outside, "quiet", kindred.ENOTFOUND},
		{w.outside, "nowhere", kindred.ENOTFOUND},
		{nil, "harbour", kindred.EUNAUTHORIZED},
	} {
		if _, err := svc.OrgSafety(ctx, c.who, c.slug); kindred.ErrorCode(err) != c.code {
			t.Errorf("OrgSafety(%v, %s): %v, want %s", c.who.AccountID(), c.slug, err, c.code)
		}
		if _, err := svc.SaveCrisisPhrases(ctx, c.who, c.slug, "en", []string{"kill myself"}); kindred.ErrorCode(err) != c.code {
			t.Errorf("SaveCrisisPhrases(%v, %s): %v, want %s", c.who.AccountID(), c.slug, err, c.code)
		}
	}

	// Bad input is refused with a message for the field.
	for _, c := range []struct {
		name  string
		call  func() error
		field string
	}{
		{"http chat link", func() error {
			_, err := svc.AddCrisisResource(ctx, w.admin, "harbour", kindred.CrisisResource{Name: "X", ChatURL: "http://chat.example/"})
			return err
		}, "chat_url"},
		{"no name", func() error {
			_, err := svc.AddCrisisResource(ctx, w.admin, "harbour", kindred.CrisisResource{Phone: "1"})
			return err
		}, "name"},
		{"no way to reach", func() error {
			_, err := svc.AddCrisisResource(ctx, w.admin, "harbour", kindred.CrisisResource{Name: "X"})
			return err
		}, "phone"},
		{"plain http neutral site", func() error {
			_, err := svc.UpdateOrgSafetySettings(ctx, w.admin, "harbour", kindred.OrgSafetySettings{QuickExitURL: "http://weather.example"})
			return err
		}, "quick_exit_url"},
		{"javascript neutral site", func() error {
			_, err := svc.UpdateOrgSafetySettings(ctx, w.admin, "harbour", kindred.OrgSafetySettings{QuickExitURL: "javascript:alert(1)"})
			return err
		}, "quick_exit_url"},
		{"empty phrase list", func() error {
			_, err := svc.SaveCrisisPhrases(ctx, w.admin, "harbour", "en", []string{" ", ""})
			return err
		}, "phrases"},
		{"too short a phrase", func() error {
			_, err := svc.SaveCrisisPhrases(ctx, w.admin, "harbour", "en", []string{"kill myself", "i!"})
			return err
		}, "phrases"},
		{"too long a phrase", func() error {
			_, err := svc.SaveCrisisPhrases(ctx, w.admin, "harbour", "en", []string{strings.Repeat("a", kindred.MaxCrisisPhrase+1)})
			return err
		}, "phrases"},
		{"bad locale", func() error {
			_, err := svc.SaveCrisisPhrases(ctx, w.admin, "harbour", "English!", []string{"kill myself"})
			return err
		}, "locale"},
		{"unknown line", func() error {
			_, err := svc.RemoveCrisisResource(ctx, w.admin, "harbour", kindred.NewID())
			return err
		}, ""},
	} {
		err := c.call()
		if c.field == "" {
			if kindred.ErrorCode(err) != kindred.ENOTFOUND {
				t.Errorf("%s: %v, want not found", c.name, err)
			}
			continue
		}
		if kindred.ErrorCode(err) != kindred.EINVALID || kindred.ErrorFields(err)[c.field] == "" {
			t.Errorf("%s: %v (fields %v), want invalid %s", c.name, err, kindred.ErrorFields(err), c.field)
		}
	}

	// Phrases are trimmed, blank lines dropped and repeats (as the
	// detector sees them) kept once.
	got, err := safety.CleanPhrases([]string{"  Kill   myself ", "", "kill myself!", "KMS", "end it all"})
	if err != nil || !slices.Equal(got, []string{"Kill myself", "KMS", "end it all"}) {
		t.Errorf("CleanPhrases: %v, %v", got, err)
	}

	// Every edit is audited, by id and never by its words.
	if _, err := svc.SaveCrisisPhrases(ctx, w.admin, "harbour", "es", []string{"quiero morir", "secret-phrase-words"}); err != nil {
		t.Fatal(err)
	}
	entries, err := w.store.ListAudit(ctx, kindred.AuditFilter{OrgID: w.harbour.ID, Limit: 50})
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range entries {
		if e.Action == "safety.phrases" && e.ActorID == w.admin.AccountID() && e.Detail == "es" {
			found = true
		}
		if strings.Contains(e.Detail, "secret") || strings.Contains(e.Target, "secret") {
			t.Errorf("audit entry carries words: %+v", e)
		}
	}
	if !found {
		t.Errorf("no audit entry for the phrase edit: %+v", entries)
	}
}

// TestEditsReachOtherNodes: two services on one database and one broker
// are two nodes; an edit on one is in the other's memory soon after.
func TestEditsReachOtherNodes(t *testing.T) {
	ctx := context.Background()
	w := newOrgWorld(t)
	events := broker.NewMemory()
	t.Cleanup(func() { _ = events.Close() })
	a := safety.New(w.store, safety.Options{Broker: events})
	b := safety.New(w.store, safety.Options{Broker: events})
	t.Cleanup(a.Close)
	t.Cleanup(b.Close)
	// b has harbour's (default) copy cached before the edit.
	if b.ScanCrisis(ctx, w.harbour.ID, "walk into the sea") {
		t.Fatal("hit before any edit")
	}
	if _, err := a.SaveCrisisPhrases(ctx, w.admin, "harbour", "en", []string{"walk into the sea"}); err != nil {
		t.Fatal(err)
	}
	deadline := time.Now().Add(5 * time.Second)
	for !b.ScanCrisis(ctx, w.harbour.ID, "walk into the sea") {
		if time.Now().After(deadline) {
			t.Fatal("the other node never picked up the edit")
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func TestDiscreetMode(t *testing.T) {
	ctx := context.Background()
	w := newOrgWorld(t)
	svc := safety.New(w.store, safety.Options{})
	t.Cleanup(svc.Close)
	if _, err := svc.UpdateOrgSafetySettings(ctx, w.admin, "harbour", kindred.OrgSafetySettings{DiscreetDefault: true}); err != nil {
		t.Fatal(err)
	}
	member := *w.member.Account
	actor := &kindred.Actor{Account: &member}
	for _, c := range []struct {
		mode         kindred.DiscreetMode
		harbour, off bool // discreet in harbour, outside any organisation
	}{
		{kindred.DiscreetFollow, true, false},
		{kindred.DiscreetOn, true, true},
		{kindred.DiscreetOff, false, false},
	} {
		a, err := svc.SetDiscreet(ctx, actor, c.mode)
		if err != nil {
			t.Fatal(err)
		}
		actor.Account = a
		if got := svc.Discreet(ctx, actor, w.harbour.ID); got != c.harbour {
			t.Errorf("%q in harbour: %v", c.mode, got)
		}
		if got := svc.Discreet(ctx, actor, ""); got != c.off {
			t.Errorf("%q elsewhere: %v", c.mode, got)
		}
		if got := svc.Discreet(ctx, actor, w.quiet.ID); got != c.off {
			t.Errorf("%q in quiet: %v", c.mode, got)
		}
	}
	if !svc.Discreet(ctx, nil, w.harbour.ID) || svc.Discreet(ctx, nil, "") {
		t.Error("visitors do not follow the organisation")
	}
	if _, err := svc.SetDiscreet(ctx, actor, "sometimes"); kindred.ErrorCode(err) != kindred.EINVALID {
		t.Errorf("unknown mode: %v", err)
	}
	if _, err := svc.SetDiscreet(ctx, nil, kindred.DiscreetOn); kindred.ErrorCode(err) != kindred.EUNAUTHORIZED {
		t.Errorf("signed out: %v", err)
	}
	orgs, err := svc.DiscreetOrgs(ctx, actor)
	if err != nil || len(orgs) != 1 || orgs[0].ID != w.harbour.ID {
		t.Errorf("DiscreetOrgs: %v, %v", orgs, err)
	}
}
