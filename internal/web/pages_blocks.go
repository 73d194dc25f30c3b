package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"

	"kindred"
	"kindred/internal/blocks"
)

// Blocking, muting and hidden topics (internal/blocks). The controls sit
// beside each named post's author, in a room's people list and in a
// conversation; each leads to a confirm page that says plainly what will
// happen. /settings/people lists one's own choices and edits the topics.

// blockRoutes registers the blocks pages.
func (s *Server) blockRoutes(h func(pattern string, fn http.HandlerFunc)) {
	h("GET /o/{org}/people/{account}/block", s.handleBlockForm)
	h("POST /o/{org}/people/{account}/block", s.handleBlock)
	h("GET /o/{org}/people/{account}/mute", s.handleMuteForm)
	h("POST /o/{org}/people/{account}/mute", s.handleMute)
	h("GET /settings/people", s.handlePeopleSettings)
	h("POST /settings/people/topics", s.handleHiddenTopics)
	h("POST /settings/people/{account}/unblock", s.handleUnblock)
	h("POST /settings/people/{account}/unmute", s.handleUnmute)
}

// personURL is the block ("block") or mute ("mute") page of an
// organisation's member. next is a page of ours to come back to
// afterwards ("" for none).
func personURL(orgSlug, accountID, verb, next string) string {
	u := "/o/" + orgSlug + "/people/" + accountID + "/" + verb
	if next == "" {
		return u
	}
	return u + "?next=" + url.QueryEscape(next)
}

// localNext keeps only a path on this site, so the pages cannot be used to
// send someone elsewhere.
func localNext(next string) string {
	if !strings.HasPrefix(next, "/") || strings.HasPrefix(next, "//") || strings.HasPrefix(next, "/\\") || strings.ContainsAny(next, "\r\n") {
		return ""
	}
	return next
}

type blockPageData struct {
	Person *blocks.Person
	Mute   bool   // the mute page, else the block page
	Action string // the form's action
	Next   string
	Back   string // where "No, go back" leads
}

func (s *Server) blockPage(w http.ResponseWriter, r *http.Request, mute bool) {
	p, err := s.svc.Blocks.Person(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("account"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	next := localNext(r.URL.Query().Get("next"))
	d := blockPageData{Person: p, Mute: mute, Next: next, Back: next}
	verb := "block"
	if mute {
		verb = "mute"
	}
	d.Action = "/o/" + p.Org.Slug + "/people/" + p.AccountID + "/" + verb
	if d.Back == "" {
		d.Back = "/o/" + p.Org.Slug
	}
	title := "Block " + p.Name + "?"
	if mute {
		title = "Mute " + p.Name + "?"
	}
	s.render(w, r, http.StatusOK, "block", &page{Title: title, Org: p.Org, Form: newForm(r, nil), Data: d})
}

func (s *Server) handleBlockForm(w http.ResponseWriter, r *http.Request) { s.blockPage(w, r, false) }
func (s *Server) handleMuteForm(w http.ResponseWriter, r *http.Request)  { s.blockPage(w, r, true) }

// afterChoice is where a block or mute leads: back to the page it was
// chosen from, which no longer shows the person, or to the settings list.
func afterChoice(r *http.Request) string {
	if next := localNext(r.PostFormValue("next")); next != "" {
		return next
	}
	return "/settings/people"
}

func (s *Server) handleBlock(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	p, err := s.svc.Blocks.Block(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("account"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "You blocked "+p.Name+". You won't see each other on Kindred, and they haven't been told. You can undo this in Settings.")
	http.Redirect(w, r, afterChoice(r), http.StatusSeeOther)
}

func (s *Server) handleMute(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	p, err := s.svc.Blocks.Mute(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("account"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "You muted "+p.Name+". Their posts and messages are hidden from you, and they haven't been told. You can undo this in Settings.")
	http.Redirect(w, r, afterChoice(r), http.StatusSeeOther)
}

// topicPick is one quick pick on the topics form.
type topicPick struct {
	Topic   string
	ID      string
	Checked bool
}

type peopleSettingsData struct {
	People []*kindred.HiddenPerson
	Picks  []topicPick
	Max    int
}

// splitTopics sorts a person's topics into the quick picks they match and
// their own words, one per line, for the form.
func splitTopics(topics []string) (picked map[string]bool, other string) {
	common := map[string]string{}
	for _, c := range kindred.CommonContentWarnings {
		common[kindred.FoldTopic(c)] = c
	}
	picked = map[string]bool{}
	var own []string
	for _, t := range topics {
		if c, ok := common[kindred.FoldTopic(t)]; ok {
			picked[c] = true
			continue
		}
		own = append(own, t)
	}
	return picked, strings.Join(own, "\n")
}

func (s *Server) peopleSettingsPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	st, err := s.svc.Blocks.Settings(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	var picked map[string]bool
	if f == nil {
		var other string
		picked, other = splitTopics(st.Topics)
		f = newForm(r, nil)
		f.Values = url.Values{"topics": {other}}
	} else { // a failed save: show what they chose, not what is stored
		picked = map[string]bool{}
		for _, c := range f.Values["pick"] {
			picked[c] = true
		}
	}
	d := peopleSettingsData{People: st.People, Max: kindred.MaxHiddenTopics}
	for i, c := range kindred.CommonContentWarnings {
		d.Picks = append(d.Picks, topicPick{Topic: c, ID: "pick-" + strconv.Itoa(i), Checked: picked[c]})
	}
	s.render(w, r, status, "settings_people", &page{Title: "Blocked and muted people, and hidden topics", Form: f, Data: d})
}

func (s *Server) handlePeopleSettings(w http.ResponseWriter, r *http.Request) {
	s.peopleSettingsPage(w, r, http.StatusOK, nil)
}

// topicsFromForm gathers the ticked quick picks (only known ones) and the
// person's own topics, one per line or separated by commas.
func topicsFromForm(r *http.Request) []string {
	var out []string
	for _, c := range r.PostForm["pick"] {
		if slices.Contains(kindred.CommonContentWarnings, c) {
			out = append(out, c)
		}
	}
	for _, line := range strings.FieldsFunc(r.PostFormValue("topics"), func(c rune) bool { return c == '\n' || c == ',' }) {
		out = append(out, line)
	}
	return out
}

func (s *Server) handleHiddenTopics(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	topics, err := s.svc.Blocks.SetTopics(r.Context(), actorOf(r), topicsFromForm(r))
	if s.formFailed(w, r, err, func(st int, f *form) { s.peopleSettingsPage(w, r, st, f) }) {
		return
	}
	if len(topics) == 0 {
		s.flash(w, "You're not hiding any topics now.")
	} else {
		s.flash(w, "Saved. Posts whose content warning names one of your topics are hidden from you; you can always choose to show them.")
	}
	http.Redirect(w, r, "/settings/people", http.StatusSeeOther)
}

func (s *Server) handleUnblock(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Blocks.Unblock(r.Context(), actorOf(r), r.PathValue("account")); err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "Unblocked. You can see each other's posts and messages again.")
	http.Redirect(w, r, "/settings/people", http.StatusSeeOther)
}

func (s *Server) handleUnmute(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Blocks.Unmute(r.Context(), actorOf(r), r.PathValue("account")); err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "Unmuted. Their posts and messages show for you again.")
	http.Redirect(w, r, "/settings/people", http.StatusSeeOther)
}
