package web

import (
	"net/http"
	"net/url"
	"strconv"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
	"kindred/internal/privacy"
)

// A person's data (downloading it, deleting the account) and an
// organisation's privacy settings (chat retention): internal/privacy.

// privacyRoutes registers the privacy pages.
func (s *Server) privacyRoutes(h func(pattern string, fn http.HandlerFunc)) {
	h("GET /settings/data", s.handleDataPage)
	h("POST /settings/data/export", s.handleDataExport)
	h("POST /settings/data/delete", s.handleAccountDelete)
	h("GET /o/{org}/admin/privacy", s.handleAdminPrivacy)
	h("POST /o/{org}/admin/privacy", s.handleAdminPrivacySave)
}

type dataPageData struct {
	Areas   []privacy.Area
	Confirm string
	// SoleAdmin lists the organisations the person is the only admin of:
	// they must hand over before they can delete their account.
	SoleAdmin []*kindred.Organization
}

func (s *Server) dataPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	sole, err := s.svc.Privacy.SoleAdminOf(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
	}
	s.render(w, r, status, "settings_data", &page{Title: "Your data", Form: f,
		Data: dataPageData{Areas: privacy.Areas, Confirm: privacy.ConfirmPhrase, SoleAdmin: sole}})
}

func (s *Server) handleDataPage(w http.ResponseWriter, r *http.Request) {
	s.dataPage(w, r, http.StatusOK, nil)
}

// handleDataExport answers with the zip itself: a POST, so no link can
// start a download on someone's behalf, and nothing caches it.
func (s *Server) handleDataExport(w http.ResponseWriter, r *http.Request) {
	ex, err := s.svc.Privacy.Export(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	writeExport(w, ex)
}

func writeExport(w http.ResponseWriter, ex *privacy.Export) {
	h := w.Header()
	h.Set("Content-Type", "application/zip")
	h.Set("Content-Disposition", `attachment; filename="`+ex.Filename+`"`)
	h.Set("Content-Length", strconv.Itoa(len(ex.Zip)))
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(ex.Zip)
}

func (s *Server) handleAccountDelete(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	err := s.svc.Privacy.DeleteAccount(r.Context(), actorOf(r), r.PostFormValue("password"), r.PostFormValue("confirm"))
	if s.formFailed(w, r, err, func(st int, f *form) { s.dataPage(w, r, st, f) }) {
		return
	}
	s.clearSessionCookie(w)
	s.flash(w, "Your account is deleted, and what you wrote is erased. Take care of yourself.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

type adminPrivacyData struct {
	Org      *kindred.Organization
	Settings *kindred.PrivacySettings
	Choices  []int
}

func (s *Server) adminPrivacyPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	op, err := s.svc.Privacy.Settings(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
		f.Values = url.Values{"chat_retention_days": {strconv.Itoa(op.Settings.ChatRetentionDays)}}
	}
	s.render(w, r, status, "admin_privacy", &page{Title: "Privacy · " + op.Org.Name, Org: op.Org, Form: f,
		Data: adminPrivacyData{Org: op.Org, Settings: op.Settings, Choices: kindred.ChatRetentionChoices}})
}

func (s *Server) handleAdminPrivacy(w http.ResponseWriter, r *http.Request) {
	s.adminPrivacyPage(w, r, http.StatusOK, nil)
}

func (s *Server) handleAdminPrivacySave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	days, err := strconv.Atoi(r.PostFormValue("chat_retention_days"))
	if err != nil {
		days = -1 // not a number: the service explains the choices
	}
	_, err = s.svc.Privacy.SaveSettings(r.Context(), actorOf(r), r.PathValue("org"), days)
	if s.formFailed(w, r, err, func(st int, f *form) { s.adminPrivacyPage(w, r, st, f) }) {
		return
	}
	s.flash(w, "Privacy settings saved.")
	http.Redirect(w, r, "/o/"+r.PathValue("org")+"/admin/privacy", http.StatusSeeOther)
}

// registerPrivacyAPI registers the privacy API operations (api_privacy.go).
func (s *Server) registerPrivacyAPI(api huma.API) { s.registerPrivacyOps(api) }
