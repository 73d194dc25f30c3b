package web

// An organisation's crisis help, as pages (internal/safety): its admins'
// page for crisis lines, phrase lists, the neutral site and discreet mode;
// the transparency page anyone who can see the organisation may read; and
// a person's discreet mode setting. Every form posts and redirects, and a
// form sent back with a problem keeps what was typed.

import (
	"context"
	"net/http"
	"net/url"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
	"kindred/internal/safety"
)

// orgSafetyRoutes registers the orgsafety pages.
func (s *Server) orgSafetyRoutes(h func(pattern string, fn http.HandlerFunc)) {
	h("GET /o/{org}/admin/safety", s.handleAdminSafety)
	h("POST /o/{org}/admin/safety/settings", s.handleAdminSafetySettings)
	h("POST /o/{org}/admin/safety/resources", s.handleAdminSafetyAdd)
	h("POST /o/{org}/admin/safety/resources/copy-defaults", s.handleAdminSafetyCopyDefaults)
	h("POST /o/{org}/admin/safety/resources/{id}", s.handleAdminSafetyEdit)
	h("POST /o/{org}/admin/safety/resources/{id}/remove", s.handleAdminSafetyRemove)
	h("POST /o/{org}/admin/safety/resources/{id}/move", s.handleAdminSafetyMove)
	h("POST /o/{org}/admin/safety/phrases", s.handleAdminSafetyPhrases)
	h("POST /o/{org}/admin/safety/phrases/reset", s.handleAdminSafetyPhrasesReset)
	h("GET /o/{org}/transparency", s.handleTransparency)
	h("GET /settings/discreet", s.handleDiscreet)
	h("POST /settings/discreet", s.handleDiscreetSave)
}

// registerOrgSafetyAPI registers the orgsafety API operations (api_safety.go).
func (s *Server) registerOrgSafetyAPI(api huma.API) {
	s.registerOrgSafetyOps(api)
}

// pageSafety sets what every page takes from crisis help settings, from
// memory: the neutral site quick exit leads to, and discreet mode.
func (s *Server) pageSafety(ctx context.Context, p *page) {
	p.QuickExit = s.opts.QuickExitURL
	if s.svc.Safety == nil {
		return
	}
	orgID := ""
	if p.Org != nil {
		orgID = p.Org.ID
	}
	if u := s.svc.Safety.OrgSettings(ctx, orgID).QuickExitURL; u != "" {
		p.QuickExit = u
	}
	p.Discreet = s.svc.Safety.Discreet(ctx, p.Actor, orgID)
}

// The admin page.

// safetyField is one field of a crisis line form.
type safetyField struct {
	Name, Label, Hint, Type string
	Max, Rows               int
	Required                bool
}

var safetyLineFields = []safetyField{
	{Name: "name", Label: "Name", Type: "text", Max: kindred.MaxCrisisResourceName, Required: true},
	{Name: "description", Label: "Description", Hint: "One or two plain sentences: who answers and how.", Type: "textarea", Max: kindred.MaxCrisisResourceText, Rows: 2},
	{Name: "phone", Label: "Phone", Hint: "As dialled. Several numbers: “911 (US), 999 (UK)”.", Type: "text", Max: kindred.MaxCrisisResourceField},
	{Name: "text", Label: "Text", Hint: "How to text, e.g. “Text START to 678-678”.", Type: "text", Max: kindred.MaxCrisisResourceField},
	{Name: "chat_url", Label: "Chat link", Hint: "A full https:// address, only when you are sure it is right.", Type: "url", Max: kindred.MaxCrisisChatURL},
	{Name: "hours", Label: "Hours", Hint: "e.g. 24/7. Leave empty when they vary.", Type: "text", Max: kindred.MaxCrisisResourceField},
	{Name: "region", Label: "Region", Hint: "Where it can be reached, e.g. UK.", Type: "text", Max: kindred.MaxCrisisResourceField},
	{Name: "languages", Label: "Languages", Hint: "Separated by commas, e.g. en, es.", Type: "text", Max: kindred.MaxCrisisResourceField},
	{Name: "serves", Label: "Who it serves", Hint: "e.g. trans people; young people under 25.", Type: "text", Max: kindred.MaxCrisisResourceField},
}

// safetyForm is one form on the admin page: its field ids start with
// Prefix, so the page's many forms never share an id.
type safetyForm struct {
	Prefix string
	F      *form
	Open   bool // a failed form is shown open
}

func (sf safetyForm) ID(name string) string { return sf.Prefix + "-" + name }

type safetyLine struct {
	R           kindred.CrisisResource
	Edit        safetyForm
	First, Last bool
}

type safetyList struct {
	safety.PhraseList
	Edit safetyForm
	// Lines is how many non-blank lines the textarea holds.
	Lines int
}

type adminSafetyData struct {
	View     *safety.OrgSafetyView
	Fields   []safetyField
	Settings safetyForm
	Add      safetyForm
	Lines    []safetyLine
	Lists    []safetyList
	NewList  safetyForm
	Shown    []supportResourceRow // what "Get help now" shows
	Max      int                  // crisis lines
	// Problem is the form sent back, and ProblemPrefix its fields' id
	// prefix, for the summary at the top.
	Problem       *form
	ProblemPrefix string
}

func resourceValues(r kindred.CrisisResource) url.Values {
	return url.Values{"name": {r.Name}, "description": {r.Description}, "phone": {r.Phone}, "text": {r.Text},
		"chat_url": {r.ChatURL}, "hours": {r.Hours}, "region": {r.Region}, "languages": {strings.Join(r.Languages, ", ")},
		"serves": {r.Serves}}
}

func resourceFromForm(r *http.Request) kindred.CrisisResource {
	var langs []string
	for _, l := range strings.Split(r.PostFormValue("languages"), ",") {
		if l = strings.TrimSpace(l); l != "" {
			langs = append(langs, l)
		}
	}
	return kindred.CrisisResource{Name: r.PostFormValue("name"), Description: r.PostFormValue("description"),
		Phone: r.PostFormValue("phone"), Text: r.PostFormValue("text"), ChatURL: r.PostFormValue("chat_url"),
		Hours: r.PostFormValue("hours"), Region: r.PostFormValue("region"), Languages: langs, Serves: r.PostFormValue("serves")}
}

// splitPhrases reads a textarea of phrases, one per line.
func splitPhrases(s string) []string {
	return strings.Split(strings.ReplaceAll(s, "\r\n", "\n"), "\n")
}

func countLines(s string) int {
	n := 0
	for _, l := range splitPhrases(s) {
		if strings.TrimSpace(l) != "" {
			n++
		}
	}
	return n
}

// adminSafetyPage renders the admin page; failed names the form f belongs
// to ("settings", "add", "line:<id>", "phrases:<locale>", "new-list").
func (s *Server) adminSafetyPage(w http.ResponseWriter, r *http.Request, status int, failed string, f *form) {
	v, err := s.svc.Safety.OrgSafety(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	pick := func(name string, stored url.Values) safetyForm {
		if failed == name && f != nil {
			return safetyForm{Prefix: strings.NewReplacer(":", "-", ".", "-").Replace(name), F: f, Open: true}
		}
		return safetyForm{Prefix: strings.NewReplacer(":", "-", ".", "-").Replace(name), F: &form{Values: stored}}
	}
	set := v.Settings
	d := adminSafetyData{View: v, Fields: safetyLineFields, Max: kindred.MaxCrisisResources, Shown: supportResources(v.Shown),
		Settings: pick("settings", url.Values{"quick_exit_url": {set.QuickExitURL}, "contact": {set.Contact},
			"show_defaults": {onIf(set.ShowDefaults)}, "discreet_default": {onIf(set.DiscreetDefault)}}),
		Add:     pick("add", url.Values{}),
		NewList: pick("new-list", url.Values{}),
	}
	for i, res := range set.Resources {
		d.Lines = append(d.Lines, safetyLine{R: res, Edit: pick("line:"+res.ID, resourceValues(res)),
			First: i == 0, Last: i == len(set.Resources)-1})
	}
	for _, l := range v.Lists {
		sl := safetyList{PhraseList: l, Edit: pick("phrases:"+l.Locale, url.Values{"locale": {l.Locale}, "phrases": {strings.Join(l.Phrases, "\n")}})}
		sl.Lines = countLines(sl.Edit.F.Get("phrases"))
		d.Lists = append(d.Lists, sl)
	}
	if failed != "" && f != nil {
		d.Problem, d.ProblemPrefix = f, pick(failed, nil).Prefix
	}
	s.render(w, r, status, "admin_safety", &page{Title: "Safety and crisis help", Org: v.Org, Data: d})
}

func onIf(b bool) string {
	if b {
		return "on"
	}
	return ""
}

func (s *Server) adminSafetyURL(r *http.Request) string {
	return "/o/" + url.PathEscape(r.PathValue("org")) + "/admin/safety"
}

func (s *Server) handleAdminSafety(w http.ResponseWriter, r *http.Request) {
	s.adminSafetyPage(w, r, http.StatusOK, "", nil)
}

// adminSafetyDone finishes an edit: the form again with what was typed
// when it needs another look, or back to the page with a flash.
func (s *Server) adminSafetyDone(w http.ResponseWriter, r *http.Request, err error, failed, flash, anchor string) {
	if s.formFailed(w, r, err, func(st int, f *form) { s.adminSafetyPage(w, r, st, failed, f) }) {
		return
	}
	s.flash(w, flash)
	http.Redirect(w, r, s.adminSafetyURL(r)+anchor, http.StatusSeeOther)
}

func (s *Server) handleAdminSafetySettings(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, err := s.svc.Safety.UpdateOrgSafetySettings(r.Context(), actorOf(r), r.PathValue("org"), kindred.OrgSafetySettings{
		QuickExitURL: r.PostFormValue("quick_exit_url"), Contact: r.PostFormValue("contact"),
		ShowDefaults: r.PostFormValue("show_defaults") != "", DiscreetDefault: r.PostFormValue("discreet_default") != ""})
	s.adminSafetyDone(w, r, err, "settings", "The safety settings are saved.", "#settings-h")
}

func (s *Server) handleAdminSafetyAdd(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, err := s.svc.Safety.AddCrisisResource(r.Context(), actorOf(r), r.PathValue("org"), resourceFromForm(r))
	s.adminSafetyDone(w, r, err, "add", "The crisis line is added.", "#lines-h")
}

func (s *Server) handleAdminSafetyEdit(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	id := r.PathValue("id")
	_, err := s.svc.Safety.UpdateCrisisResource(r.Context(), actorOf(r), r.PathValue("org"), id, resourceFromForm(r))
	s.adminSafetyDone(w, r, err, "line:"+id, "The crisis line is saved.", "#lines-h")
}

func (s *Server) handleAdminSafetyRemove(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, err := s.svc.Safety.RemoveCrisisResource(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("id"))
	s.adminSafetyDone(w, r, err, "", "The crisis line is removed.", "#lines-h")
}

func (s *Server) handleAdminSafetyMove(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, err := s.svc.Safety.MoveCrisisResource(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("id"), r.PostFormValue("direction") == "up")
	s.adminSafetyDone(w, r, err, "", "The order is saved.", "#lines-h")
}

func (s *Server) handleAdminSafetyCopyDefaults(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, err := s.svc.Safety.CopyDefaultResources(r.Context(), actorOf(r), r.PathValue("org"))
	s.adminSafetyDone(w, r, err, "", "The default lines are copied into your list, to edit as you need.", "#lines-h")
}

func (s *Server) handleAdminSafetyPhrases(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	locale := strings.ToLower(strings.TrimSpace(r.PostFormValue("locale")))
	failed := "phrases:" + locale
	if r.PostFormValue("new") != "" {
		failed = "new-list"
	}
	_, err := s.svc.Safety.SaveCrisisPhrases(r.Context(), actorOf(r), r.PathValue("org"), locale, splitPhrases(r.PostFormValue("phrases")))
	s.adminSafetyDone(w, r, err, failed, "The phrase list is saved and in use now.", "#phrases-h")
}

func (s *Server) handleAdminSafetyPhrasesReset(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, err := s.svc.Safety.ResetCrisisPhrases(r.Context(), actorOf(r), r.PathValue("org"), r.PostFormValue("locale"))
	s.adminSafetyDone(w, r, err, "", "The phrase list is back to the starter list.", "#phrases-h")
}

// The transparency page.

func (s *Server) handleTransparency(w http.ResponseWriter, r *http.Request) {
	t, err := s.svc.Safety.Transparency(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.render(w, r, http.StatusOK, "transparency", &page{Title: "Transparency", Org: t.Org, Data: t})
}

// Discreet mode.

type discreetData struct {
	Mode kindred.DiscreetMode
	Orgs []*kindred.Organization // the person's organisations that default to discreet
}

func (s *Server) handleDiscreet(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	orgs, err := s.svc.Safety.DiscreetOrgs(r.Context(), actor)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.render(w, r, http.StatusOK, "settings_discreet", &page{Title: "Discreet mode",
		Data: discreetData{Mode: actor.Account.Discreet, Orgs: orgs}})
}

func (s *Server) handleDiscreetSave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	a, err := s.svc.Safety.SetDiscreet(r.Context(), actorOf(r), kindred.DiscreetMode(r.PostFormValue("discreet")))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if a.Discreet == kindred.DiscreetOn {
		s.flash(w, "Discreet mode is on: tabs say “Notes” and show a plain icon.")
	} else {
		s.flash(w, "Your discreet mode choice is saved.")
	}
	http.Redirect(w, r, "/settings/discreet", http.StatusSeeOther)
}
