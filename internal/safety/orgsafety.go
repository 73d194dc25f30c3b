package safety

// Organisations' crisis help: their own crisis lines, their phrase lists
// for the crisis detector, the neutral site quick exit leads to, discreet
// mode as a default, and who to contact (shown on the transparency page).
//
// What people in crisis rely on is served from memory: each organisation's
// lines and compiled detector are loaded at start (Warm) or on first use,
// replaced at once on every edit, and reloaded on every node when an edit
// is announced on the broker. When the database does not answer, the last
// copy keeps working; an organisation never loaded falls back to the
// instance's defaults and starter lists, never to "no lines" or "no scan".

import (
	"context"
	"fmt"
	"maps"
	"regexp"
	"slices"
	"strings"
	"time"

	"kindred"
	"kindred/internal/access"
	"kindred/internal/crisis"
)

// orgCopy is the in-memory copy of one organisation's crisis help. It is
// never changed once built: an edit builds a new one.
type orgCopy struct {
	settings *kindred.OrgSafety // the zero value (with OrgID) when never saved
	detector *crisis.Detector
	lines    []kindred.CrisisResource
	org      *kindred.Organization // as last seen by RememberOrg, for the help page without a database
}

// buildCopy compiles an organisation's settings. Its own lists replace the
// starter list of their locale; an empty list (which the service never
// saves) counts as not edited, so no locale is ever left unscanned.
func (s *Service) buildCopy(set *kindred.OrgSafety) *orgCopy {
	c := &orgCopy{settings: set, detector: s.starter}
	if len(set.Phrases) > 0 {
		lists := crisis.DefaultPhrases()
		for l, p := range set.Phrases {
			if len(p) > 0 {
				lists[l] = p
			}
		}
		if d := crisis.NewDetector(lists); d.Phrases() > 0 {
			c.detector = d
		}
	}
	c.lines = slices.Clone(set.Resources)
	if set.ShowDefaults || len(c.lines) == 0 {
		c.lines = append(c.lines, crisis.DefaultResources()...)
	}
	return c
}

// copyFor returns the organisation's copy: cached, or loaded now. On a
// load error it returns the instance's defaults without caching them, so
// the next call tries again.
func (s *Service) copyFor(ctx context.Context, orgID string) *orgCopy {
	if orgID == "" {
		return s.instance
	}
	s.mu.RLock()
	c, ok := s.orgs[orgID]
	since := s.installed[orgID]
	s.mu.RUnlock()
	if ok {
		return c
	}
	set, err := s.store.FindOrgSafety(ctx, orgID)
	switch kindred.ErrorCode(err) {
	case "":
	case kindred.ENOTFOUND:
		set = &kindred.OrgSafety{OrgID: orgID}
	default:
		s.log.WarnContext(ctx, "crisis help not loaded; using the defaults", "org", orgID, "err", err)
		return s.instance
	}
	return s.installSince(set, &since)
}

// install builds and caches a copy, keeping the organisation remembered
// by RememberOrg.
func (s *Service) install(set *kindred.OrgSafety) *orgCopy { return s.installSince(set, nil) }

// installSince installs a copy read from the store, unless another copy of
// the organisation was installed since the read began (since is the count
// of installs then): a slow reload must not put back what an edit that
// finished meanwhile replaced. Every edit announces itself, so the reload
// it causes reads the store again.
func (s *Service) installSince(set *kindred.OrgSafety, since *uint64) *orgCopy {
	c := s.buildCopy(set)
	s.mu.Lock()
	defer s.mu.Unlock()
	old, ok := s.orgs[set.OrgID]
	if ok && since != nil && s.installed[set.OrgID] != *since {
		return old
	}
	if ok {
		c.org = old.org
	}
	s.orgs[set.OrgID] = c
	s.installed[set.OrgID]++
	return c
}

// Warm loads every organisation's saved crisis help into memory, so it is
// there before the database might fail. Organisations that never saved any
// use the defaults and need nothing loaded.
func (s *Service) Warm(ctx context.Context) error {
	all, err := s.store.ListOrgSafety(ctx)
	if err != nil {
		return fmt.Errorf("load crisis help: %w", err)
	}
	for _, set := range all {
		s.install(set)
	}
	return nil
}

// follow reloads an organisation's copy when any node announces an edit.
func (s *Service) follow(_ string, data []byte) {
	orgID := string(data)
	s.reloads.Go(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		s.mu.RLock()
		since := s.installed[orgID]
		s.mu.RUnlock()
		set, err := s.store.FindOrgSafety(ctx, orgID)
		switch kindred.ErrorCode(err) {
		case "":
		case kindred.ENOTFOUND:
			set = &kindred.OrgSafety{OrgID: orgID}
		default:
			// Keep the copy we have: stale lines beat none.
			s.log.Warn("crisis help not reloaded", "org", orgID, "err", err)
			return
		}
		s.installSince(set, &since)
	})
}

// Close stops following edits from other nodes and waits for reloads.
func (s *Service) Close() {
	if s.sub != nil {
		_ = s.sub.Unsubscribe()
	}
	s.reloads.Wait()
}

// ScanCrisis reports whether text holds crisis language by the phrase
// lists of the organisation (its edits over the starter lists; the starter
// lists alone for orgID "" or when its lists cannot be loaded). It makes
// the service a kindred.CrisisScanner. Neither text nor result is logged.
func (s *Service) ScanCrisis(ctx context.Context, orgID, text string) bool {
	return s.copyFor(ctx, orgID).detector.Scan(text).Hit
}

// CrisisResources returns the crisis lines to show in the organisation
// (the instance's defaults for orgID ""), from memory. It is never empty.
func (s *Service) CrisisResources(ctx context.Context, orgID string) []kindred.CrisisResource {
	return slices.Clone(s.copyFor(ctx, orgID).lines)
}

// OrgSettings returns the organisation's crisis help settings from memory
// (the zero value when it saved none, or for orgID ""). Callers must not
// change what it returns.
func (s *Service) OrgSettings(ctx context.Context, orgID string) *kindred.OrgSafety {
	return s.copyFor(ctx, orgID).settings
}

// Discreet reports whether pages for the actor in the organisation (""
// for none) are discreet: the person's own choice, else the organisation's
// default. Visitors follow the organisation.
func (s *Service) Discreet(ctx context.Context, actor *kindred.Actor, orgID string) bool {
	var m kindred.DiscreetMode
	if actor.SignedIn() {
		m = actor.Account.Discreet
	}
	if m != kindred.DiscreetFollow || orgID == "" {
		return m.Discreet(false)
	}
	return m.Discreet(s.copyFor(ctx, orgID).settings.DiscreetDefault)
}

// RememberOrg keeps the organisation's public face (it must be listed)
// with its copy, so its "Get help now" page can still show its name and
// lines while the database does not answer.
func (s *Service) RememberOrg(ctx context.Context, o *kindred.Organization) {
	if o == nil || !o.Listed {
		return
	}
	c := s.copyFor(ctx, o.ID)
	if c == s.instance {
		return
	}
	s.mu.Lock()
	cp := *c
	snap := *o
	cp.org = &snap
	s.orgs[o.ID] = &cp
	s.mu.Unlock()
}

// RememberedOrg returns the listed organisation with the slug that
// RememberOrg last saw, for when the database does not answer.
func (s *Service) RememberedOrg(slug string) *kindred.Organization {
	s.mu.RLock()
	defer s.mu.RUnlock()
	for _, c := range s.orgs {
		if c.org != nil && c.org.Slug == slug {
			o := *c.org
			return &o
		}
	}
	return nil
}

// Administration: only the organisation's admins change its crisis help.

var (
	errNoOrg   = kindred.Errorf(kindred.ENOTFOUND, "We couldn't find that organisation.")
	errNotMine = kindred.Errorf(kindred.EFORBIDDEN, "This page is for the organisation's admins.")
	errNoLine  = kindred.Errorf(kindred.ENOTFOUND, "That crisis line is no longer in the list. Someone may have just removed it.")
)

// see returns the organisation when the actor may see it: listed ones for
// everyone, unlisted ones only for people in them (pending included), as
// in internal/orgs. Others look like organisations that do not exist.
func (s *Service) see(ctx context.Context, actor *kindred.Actor, slug string) (*kindred.Organization, access.Subject, error) {
	o, err := s.store.FindOrganizationBySlug(ctx, slug)
	switch kindred.ErrorCode(err) {
	case "":
	case kindred.ENOTFOUND:
		return nil, access.Subject{}, errNoOrg
	default:
		return nil, access.Subject{}, fmt.Errorf("find organisation: %w", err)
	}
	sub, err := access.Load(ctx, s.store, actor, o.ID, "")
	if err != nil {
		return nil, sub, err
	}
	if !o.Listed && sub.Membership == nil {
		return nil, sub, errNoOrg
	}
	return o, sub, nil
}

func (s *Service) admin(ctx context.Context, actor *kindred.Actor, slug string) (*kindred.Organization, error) {
	if !actor.SignedIn() {
		return nil, kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first.")
	}
	o, sub, err := s.see(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	if !access.Can(sub, access.ManageOrg, nil) {
		return nil, errNotMine
	}
	return o, nil
}

// stored reads the organisation's settings from the store (not the
// copy): what admins edit must be the latest.
func (s *Service) stored(ctx context.Context, orgID string) (*kindred.OrgSafety, error) {
	set, err := s.store.FindOrgSafety(ctx, orgID)
	switch kindred.ErrorCode(err) {
	case "":
		return set, nil
	case kindred.ENOTFOUND:
		return &kindred.OrgSafety{OrgID: orgID}, nil
	}
	return nil, fmt.Errorf("find crisis help: %w", err)
}

// PhraseList is one locale's phrase list as an admin edits it.
type PhraseList struct {
	Locale  string
	Phrases []string
	Edited  bool // false: the starter list
	Starter int  // how many phrases the starter list has (0 for a locale without one)
}

// OrgSafetyView is an organisation's crisis help as its admins see it.
type OrgSafetyView struct {
	Org      *kindred.Organization
	Settings *kindred.OrgSafety
	Lists    []PhraseList // the starter locales first, then the others by name
	Defaults []kindred.CrisisResource
	Shown    []kindred.CrisisResource // what "Get help now" shows
}

// OrgSafety returns the organisation's crisis help for its admins.
func (s *Service) OrgSafety(ctx context.Context, actor *kindred.Actor, slug string) (*OrgSafetyView, error) {
	o, err := s.admin(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	set, err := s.stored(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	return s.view(o, set), nil
}

func (s *Service) view(o *kindred.Organization, set *kindred.OrgSafety) *OrgSafetyView {
	v := &OrgSafetyView{Org: o, Settings: set, Defaults: crisis.DefaultResources(), Shown: s.buildCopy(set).lines}
	starter := crisis.DefaultPhrases()
	locales := slices.Sorted(maps.Keys(starter))
	var others []string
	for l := range set.Phrases {
		if _, ok := starter[l]; !ok {
			others = append(others, l)
		}
	}
	slices.Sort(others)
	for _, l := range append(locales, others...) {
		pl := PhraseList{Locale: l, Phrases: starter[l], Starter: len(starter[l])}
		if p, ok := set.Phrases[l]; ok && len(p) > 0 {
			pl.Phrases, pl.Edited = slices.Clone(p), true
		}
		v.Lists = append(v.Lists, pl)
	}
	return v
}

// change applies fn to the organisation's stored settings, saves them,
// puts them in memory at once, tells the other nodes and records the
// action in the audit log (ids and a locale at most, never text).
func (s *Service) change(ctx context.Context, actor *kindred.Actor, slug, action, detail string, fn func(set *kindred.OrgSafety) error) (*OrgSafetyView, error) {
	o, err := s.admin(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	// Edits are read, changed and saved whole; one at a time on this node,
	// so two admins' edits here never undo each other.
	s.editing.Lock()
	defer s.editing.Unlock()
	set, err := s.stored(ctx, o.ID)
	if err != nil {
		return nil, err
	}
	if err := fn(set); err != nil {
		return nil, err
	}
	set.UpdatedAt = s.now().UTC().Truncate(time.Millisecond)
	if err := s.store.SaveOrgSafety(ctx, set); err != nil {
		return nil, fmt.Errorf("save crisis help: %w", err)
	}
	s.install(set)
	if s.broker != nil {
		if err := s.broker.Publish(context.WithoutCancel(ctx), kindred.OrgSafetyTopic, []byte(o.ID)); err != nil {
			// This node has the edit; others pick it up when they reload.
			s.log.ErrorContext(ctx, "announce crisis help edit", "org", o.ID, "err", err)
		}
	}
	s.audit.Record(ctx, o.ID, actor.AccountID(), action, o.ID, detail)
	return s.view(o, set), nil
}

func lineIndex(set *kindred.OrgSafety, id string) (int, error) {
	i := slices.IndexFunc(set.Resources, func(r kindred.CrisisResource) bool { return r.ID == id })
	if id == "" || i < 0 {
		return 0, errNoLine
	}
	return i, nil
}

// AddCrisisResource adds a line at the end of the organisation's list.
func (s *Service) AddCrisisResource(ctx context.Context, actor *kindred.Actor, slug string, r kindred.CrisisResource) (*OrgSafetyView, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return s.change(ctx, actor, slug, "safety.resource_add", "", func(set *kindred.OrgSafety) error {
		if len(set.Resources) >= kindred.MaxCrisisResources {
			return kindred.Errorf(kindred.EINVALID, "The list already has %d crisis lines, as many as it can. Please remove one first.", kindred.MaxCrisisResources)
		}
		r.ID = kindred.NewID()
		set.Resources = append(set.Resources, r)
		return nil
	})
}

// UpdateCrisisResource replaces the line with the id, keeping its place.
func (s *Service) UpdateCrisisResource(ctx context.Context, actor *kindred.Actor, slug, id string, r kindred.CrisisResource) (*OrgSafetyView, error) {
	if err := r.Validate(); err != nil {
		return nil, err
	}
	return s.change(ctx, actor, slug, "safety.resource_edit", id, func(set *kindred.OrgSafety) error {
		i, err := lineIndex(set, id)
		if err != nil {
			return err
		}
		r.ID = id
		set.Resources[i] = r
		return nil
	})
}

// RemoveCrisisResource takes the line with the id out of the list.
func (s *Service) RemoveCrisisResource(ctx context.Context, actor *kindred.Actor, slug, id string) (*OrgSafetyView, error) {
	return s.change(ctx, actor, slug, "safety.resource_remove", id, func(set *kindred.OrgSafety) error {
		i, err := lineIndex(set, id)
		if err != nil {
			return err
		}
		set.Resources = slices.Delete(set.Resources, i, i+1)
		return nil
	})
}

// MoveCrisisResource moves the line one place up (earlier) or down.
func (s *Service) MoveCrisisResource(ctx context.Context, actor *kindred.Actor, slug, id string, up bool) (*OrgSafetyView, error) {
	return s.change(ctx, actor, slug, "safety.resource_move", id, func(set *kindred.OrgSafety) error {
		i, err := lineIndex(set, id)
		if err != nil {
			return err
		}
		j := i + 1
		if up {
			j = i - 1
		}
		if j >= 0 && j < len(set.Resources) {
			set.Resources[i], set.Resources[j] = set.Resources[j], set.Resources[i]
		}
		return nil
	})
}

// CopyDefaultResources starts the organisation's own list from the
// instance's defaults, to edit from there: it adds every default line not
// in the list by name, and stops showing the defaults separately (they are
// now in the list).
func (s *Service) CopyDefaultResources(ctx context.Context, actor *kindred.Actor, slug string) (*OrgSafetyView, error) {
	return s.change(ctx, actor, slug, "safety.resource_copy_defaults", "", func(set *kindred.OrgSafety) error {
		for _, d := range crisis.DefaultResources() {
			if len(set.Resources) >= kindred.MaxCrisisResources {
				break
			}
			if !slices.ContainsFunc(set.Resources, func(r kindred.CrisisResource) bool { return strings.EqualFold(r.Name, d.Name) }) {
				d.ID = kindred.NewID()
				set.Resources = append(set.Resources, d)
			}
		}
		set.ShowDefaults = false
		return nil
	})
}

// ReplaceCrisisResources replaces the organisation's whole list (the API's
// way to edit it) and whether the defaults show too. Lines keep the ids
// given when they are in the list already; others get new ones.
func (s *Service) ReplaceCrisisResources(ctx context.Context, actor *kindred.Actor, slug string, list []kindred.CrisisResource, showDefaults bool) (*OrgSafetyView, error) {
	if len(list) > kindred.MaxCrisisResources {
		return nil, &kindred.Error{Code: kindred.EINVALID, Message: "That is more crisis lines than the list can hold.",
			Fields: map[string]string{"resources": fmt.Sprintf("Please list at most %d lines.", kindred.MaxCrisisResources)}}
	}
	list = slices.Clone(list)
	for i := range list {
		if err := list[i].Validate(); err != nil {
			fields := map[string]string{}
			for k, v := range kindred.ErrorFields(err) {
				fields[fmt.Sprintf("resources[%d].%s", i, k)] = v
			}
			return nil, &kindred.Error{Code: kindred.EINVALID, Message: fmt.Sprintf("Line %d needs another look.", i+1), Fields: fields}
		}
	}
	return s.change(ctx, actor, slug, "safety.resources_replace", "", func(set *kindred.OrgSafety) error {
		seen := map[string]bool{}
		for i := range list {
			id := list[i].ID
			if id == "" || seen[id] || !slices.ContainsFunc(set.Resources, func(r kindred.CrisisResource) bool { return r.ID == id }) {
				list[i].ID = kindred.NewID()
			}
			seen[list[i].ID] = true
		}
		set.Resources, set.ShowDefaults = list, showDefaults
		return nil
	})
}

// UpdateOrgSafetySettings changes the neutral site, discreet default,
// contact and whether the default lines show.
func (s *Service) UpdateOrgSafetySettings(ctx context.Context, actor *kindred.Actor, slug string, u kindred.OrgSafetySettings) (*OrgSafetyView, error) {
	if err := u.Validate(); err != nil {
		return nil, err
	}
	return s.change(ctx, actor, slug, "safety.settings", "", func(set *kindred.OrgSafety) error {
		set.QuickExitURL, set.DiscreetDefault, set.Contact, set.ShowDefaults = u.QuickExitURL, u.DiscreetDefault, u.Contact, u.ShowDefaults
		return nil
	})
}

var localePattern = regexp.MustCompile(`^[a-z]{2,3}(-[a-z0-9]{2,8})?$`)

func checkLocale(locale string) error {
	if !localePattern.MatchString(locale) {
		return &kindred.Error{Code: kindred.EINVALID, Message: "Please check the language.",
			Fields: map[string]string{"locale": "Please use a language code such as en, es or pt-br."}}
	}
	return nil
}

// CleanPhrases trims a phrase list, drops blank lines and phrases that
// match alike (keeping the first), and checks what is left: each phrase
// long enough not to match everyday words, not too long, and not too many.
// A list cannot be emptied: resetting to the starter list is the way back.
func CleanPhrases(list []string) ([]string, error) {
	var out []string
	seen := map[string]bool{}
	for i, p := range list {
		p = strings.Join(strings.Fields(p), " ")
		if p == "" {
			continue
		}
		n := crisis.Normalize(p)
		switch {
		case len([]rune(p)) > kindred.MaxCrisisPhrase:
			return nil, phraseError(fmt.Sprintf("Line %d is longer than %d characters. Please shorten it; nothing you typed was lost.", i+1, kindred.MaxCrisisPhrase))
		case len([]rune(strings.ReplaceAll(n, " ", ""))) < kindred.MinCrisisPhrase:
			return nil, phraseError(fmt.Sprintf("“%s” (line %d) is too short to look for: it needs at least %d letters or digits, or it would match everyday words.", p, i+1, kindred.MinCrisisPhrase))
		case seen[n]:
			continue
		}
		seen[n] = true
		out = append(out, p)
	}
	switch {
	case len(out) == 0:
		return nil, phraseError("Please keep at least one phrase. To go back to the starter list, use “Reset to the starter list”.")
	case len(out) > kindred.MaxCrisisPhrases:
		return nil, phraseError(fmt.Sprintf("That is %d phrases; a list can hold %d. Please remove some.", len(out), kindred.MaxCrisisPhrases))
	}
	return out, nil
}

func phraseError(msg string) error {
	return &kindred.Error{Code: kindred.EINVALID, Message: "The phrase list needs another look.", Fields: map[string]string{"phrases": msg}}
}

// SaveCrisisPhrases replaces the organisation's phrase list for a locale
// (adding and removing phrases, starter ones included). The detector in
// memory is rebuilt at once.
func (s *Service) SaveCrisisPhrases(ctx context.Context, actor *kindred.Actor, slug, locale string, phrases []string) (*OrgSafetyView, error) {
	locale = strings.ToLower(strings.TrimSpace(locale))
	if err := checkLocale(locale); err != nil {
		return nil, err
	}
	list, err := CleanPhrases(phrases)
	if err != nil {
		return nil, err
	}
	return s.change(ctx, actor, slug, "safety.phrases", locale, func(set *kindred.OrgSafety) error {
		if _, ok := set.Phrases[locale]; !ok && len(set.Phrases) >= kindred.MaxCrisisLocales {
			return &kindred.Error{Code: kindred.EINVALID, Message: "Please check the language.",
				Fields: map[string]string{"locale": fmt.Sprintf("An organisation can keep lists for up to %d languages.", kindred.MaxCrisisLocales)}}
		}
		if set.Phrases == nil {
			set.Phrases = map[string][]string{}
		}
		set.Phrases[locale] = list
		return nil
	})
}

// ResetCrisisPhrases goes back to the starter list for a locale (for a
// locale without one, the list goes).
func (s *Service) ResetCrisisPhrases(ctx context.Context, actor *kindred.Actor, slug, locale string) (*OrgSafetyView, error) {
	locale = strings.ToLower(strings.TrimSpace(locale))
	if err := checkLocale(locale); err != nil {
		return nil, err
	}
	return s.change(ctx, actor, slug, "safety.phrases_reset", locale, func(set *kindred.OrgSafety) error {
		delete(set.Phrases, locale)
		return nil
	})
}

// Transparency is what an organisation's transparency page shows beyond
// its fixed text.
type Transparency struct {
	Org     *kindred.Organization
	Contact string
	// ChatRetentionDays is how long chat messages are kept; 0 until
	// someone deletes them.
	ChatRetentionDays int
	IsAdmin           bool
}

// Transparency returns the organisation's transparency facts for anyone
// who can see the organisation (visitors too, when it is listed).
func (s *Service) Transparency(ctx context.Context, actor *kindred.Actor, slug string) (*Transparency, error) {
	o, sub, err := s.see(ctx, actor, slug)
	if err != nil {
		return nil, err
	}
	t := &Transparency{Org: o, Contact: s.OrgSettings(ctx, o.ID).Contact, IsAdmin: access.Can(sub, access.ManageOrg, nil)}
	p, err := s.store.FindPrivacySettings(ctx, o.ID)
	if err != nil {
		return nil, fmt.Errorf("find privacy settings: %w", err)
	}
	if !p.KeepsChatForever() {
		t.ChatRetentionDays = p.ChatRetentionDays
	}
	return t, nil
}

// SetDiscreet saves the actor's discreet mode choice.
func (s *Service) SetDiscreet(ctx context.Context, actor *kindred.Actor, m kindred.DiscreetMode) (*kindred.Account, error) {
	if !actor.SignedIn() {
		return nil, kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in to change discreet mode.")
	}
	if !m.Valid() {
		return nil, &kindred.Error{Code: kindred.EINVALID, Message: "Please choose one of the options.",
			Fields: map[string]string{"discreet": "Please choose one of the options."}}
	}
	a, err := s.store.UpdateAccount(ctx, actor.AccountID(), kindred.AccountUpdate{Discreet: &m})
	if err != nil {
		return nil, fmt.Errorf("save discreet mode: %w", err)
	}
	return a, nil
}

// DiscreetOrgs lists the organisations the actor is an active member of
// that turn discreet mode on by default, for the settings page.
func (s *Service) DiscreetOrgs(ctx context.Context, actor *kindred.Actor) ([]*kindred.Organization, error) {
	if !actor.SignedIn() {
		return nil, kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first.")
	}
	ms, err := s.store.ListMemberships(ctx, kindred.MembershipFilter{AccountID: actor.AccountID(), Limit: 500})
	if err != nil {
		return nil, fmt.Errorf("list memberships: %w", err)
	}
	var out []*kindred.Organization
	for _, m := range ms {
		if !m.Active() || !s.OrgSettings(ctx, m.OrgID).DiscreetDefault {
			continue
		}
		o, err := s.store.FindOrganization(ctx, m.OrgID)
		if err != nil {
			return nil, fmt.Errorf("find organisation: %w", err)
		}
		out = append(out, o)
	}
	return out, nil
}
