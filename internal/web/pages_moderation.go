package web

import (
	"context"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
	"kindred/internal/moderation"
)

// Reports, the moderation queue, decisions and appeals, and the crisis
// notice people see after writing crisis language (internal/moderation).

// moderationRoutes registers the moderation pages.
func (s *Server) moderationRoutes(h func(pattern string, fn http.HandlerFunc)) {
	// Reporting: a page with a plain form for each kind of thing.
	h("GET /o/{org}/g/{group}/p/{post}/report", s.handleReportForm)
	h("POST /o/{org}/g/{group}/p/{post}/report", s.handleReport)
	h("GET /rooms/{room}/messages/{seq}/report", s.handleReportForm)
	h("POST /rooms/{room}/messages/{seq}/report", s.handleReport)
	h("GET /o/{org}/people/{account}/report", s.handleReportForm)
	h("POST /o/{org}/people/{account}/report", s.handleReport)
	// My reports, and decisions about me with their appeals.
	h("GET /o/{org}/reports", s.handleMyReports)
	h("POST /o/{org}/reports/decisions/{decision}/appeal", s.handleAppeal)
	// The queue (moderators, admins; coordinators for crisis flags).
	h("GET /o/{org}/moderation", s.handleModerationQueue)
	h("GET /o/{org}/moderation/cases/{case}", s.handleModerationCase)
	h("POST /o/{org}/moderation/cases/{case}/decide", s.handleModerationDecide)
	h("POST /o/{org}/moderation/appeals/{decision}/decide", s.handleAppealDecide)
	h("GET /o/{org}/moderation/settings", s.handleModerationSettings)
	h("POST /o/{org}/moderation/settings", s.handleModerationSettingsSave)
}

// reportRef reads what is being reported from the path.
func reportRef(r *http.Request) moderation.TargetRef {
	switch {
	case r.PathValue("post") != "":
		return moderation.TargetRef{Kind: kindred.TargetPost, OrgSlug: r.PathValue("org"), GroupSlug: r.PathValue("group"), PostID: r.PathValue("post")}
	case r.PathValue("room") != "":
		seq, err := strconv.ParseInt(r.PathValue("seq"), 10, 64)
		if err != nil {
			seq = -1 // no such message
		}
		return moderation.TargetRef{Kind: kindred.TargetMessage, RoomID: r.PathValue("room"), Seq: seq}
	}
	return moderation.TargetRef{Kind: kindred.TargetPerson, OrgSlug: r.PathValue("org"), AccountID: r.PathValue("account")}
}

type reportData struct {
	Target  *moderation.Target
	Reasons []kindred.ReportReason
	Max     int
	Action  string
}

func (s *Server) reportPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	t, err := s.svc.Moderation.Target(r.Context(), actorOf(r), reportRef(r))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
	}
	s.render(w, r, status, "report", &page{Title: "Report", Org: t.Org, Form: f,
		Data: reportData{Target: t, Reasons: kindred.ReportReasons, Max: kindred.MaxReportNote, Action: r.URL.Path}})
}

func (s *Server) handleReportForm(w http.ResponseWriter, r *http.Request) {
	s.reportPage(w, r, http.StatusOK, nil)
}

func (s *Server) handleReport(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	rc, err := s.svc.Moderation.Report(r.Context(), actorOf(r), reportRef(r),
		kindred.ReportDraft{Reason: kindred.ReportReason(r.PostFormValue("reason")), Note: r.PostFormValue("note")})
	if s.formFailed(w, r, err, func(st int, f *form) { s.reportPage(w, r, st, f) }) {
		return
	}
	msg := "Thank you for telling us. A moderator will look at it, and you can follow what happens under My reports. The person you reported won't be told it was you."
	if rc.Updated {
		msg = "Thank you. You'd reported this before, so we updated your report rather than adding another."
	}
	s.flash(w, msg)
	http.Redirect(w, r, "/o/"+rc.Org.Slug+"/reports", http.StatusSeeOther)
}

func (s *Server) handleMyReports(w http.ResponseWriter, r *http.Request) {
	m, err := s.svc.Moderation.Mine(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.render(w, r, http.StatusOK, "reports", &page{Title: "My reports", Org: m.Org, Form: newForm(r, nil), Data: m})
}

func (s *Server) handleAppeal(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, err := s.svc.Moderation.Appeal(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("decision"),
		kindred.AppealDraft{Note: r.PostFormValue("note")})
	if s.formFailed(w, r, err, func(st int, f *form) {
		m, err := s.svc.Moderation.Mine(r.Context(), actorOf(r), r.PathValue("org"))
		if err != nil {
			s.fail(w, r, err, nil)
			return
		}
		f.Values.Set("decision", r.PathValue("decision"))
		s.render(w, r, st, "reports", &page{Title: "My reports", Org: m.Org, Form: f, Data: m})
	}) {
		return
	}
	s.flash(w, "Your appeal is sent. A different staff member from the one who decided will look at it, and you'll see their answer here.")
	http.Redirect(w, r, "/o/"+r.PathValue("org")+"/reports", http.StatusSeeOther)
}

func (s *Server) handleModerationQueue(w http.ResponseWriter, r *http.Request) {
	q, err := s.svc.Moderation.Queue(r.Context(), actorOf(r), r.PathValue("org"), r.URL.Query().Get("show") == "resolved")
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.render(w, r, http.StatusOK, "moderation", &page{Title: "Moderation", Org: q.Org, Form: newForm(r, nil), Data: q})
}

type caseData struct {
	*moderation.CaseView
	Days int
}

func (s *Server) casePage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	v, err := s.svc.Moderation.Case(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("case"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
		f.Values.Set("days", "7")
	}
	s.render(w, r, status, "moderation_case", &page{Title: "Moderation case", Org: v.Org, Form: f, Data: caseData{CaseView: v}})
}

func (s *Server) handleModerationCase(w http.ResponseWriter, r *http.Request) {
	s.casePage(w, r, http.StatusOK, nil)
}

func (s *Server) handleModerationDecide(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	days, _ := strconv.Atoi(r.PostFormValue("days"))
	d, err := s.svc.Moderation.Decide(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("case"),
		kindred.DecisionDraft{Action: kindred.ModAction(r.PostFormValue("action")), Reason: r.PostFormValue("reason"), Days: days})
	if s.formFailed(w, r, err, func(st int, f *form) { s.casePage(w, r, st, f) }) {
		return
	}
	s.flash(w, "Done: “"+d.Action.Label()+"”. The decision is recorded in the audit log.")
	http.Redirect(w, r, "/o/"+r.PathValue("org")+"/moderation", http.StatusSeeOther)
}

func (s *Server) handleAppealDecide(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, err := s.svc.Moderation.DecideAppeal(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("decision"),
		kindred.AppealDecisionDraft{Outcome: kindred.AppealOutcome(r.PostFormValue("outcome")), Reason: r.PostFormValue("reason")})
	if s.formFailed(w, r, err, func(st int, f *form) {
		q, err := s.svc.Moderation.Queue(r.Context(), actorOf(r), r.PathValue("org"), false)
		if err != nil {
			s.fail(w, r, err, nil)
			return
		}
		f.Values.Set("appeal", r.PathValue("decision"))
		s.render(w, r, st, "moderation", &page{Title: "Moderation", Org: q.Org, Form: f, Data: q})
	}) {
		return
	}
	s.flash(w, "The appeal is answered. The person sees your reason on their My reports page.")
	http.Redirect(w, r, "/o/"+r.PathValue("org")+"/moderation", http.StatusSeeOther)
}

func (s *Server) moderationSettingsPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	o, set, err := s.svc.Moderation.Settings(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
		f.Values = url.Values{"hide_threshold": {strconv.FormatFloat(set.HideThreshold, 'f', -1, 64)}}
		if set.HoldCrisisPosts {
			f.Values.Set("hold_crisis_posts", "on")
		}
	}
	s.render(w, r, status, "moderation_settings", &page{Title: "Moderation settings", Org: o, Form: f, Data: set})
}

func (s *Server) handleModerationSettings(w http.ResponseWriter, r *http.Request) {
	s.moderationSettingsPage(w, r, http.StatusOK, nil)
}

func (s *Server) handleModerationSettingsSave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	th, err := strconv.ParseFloat(r.PostFormValue("hide_threshold"), 64)
	if err != nil {
		th = -1 // reported by Validate, with the form kept
	}
	_, err = s.svc.Moderation.SaveSettings(r.Context(), actorOf(r), r.PathValue("org"),
		kindred.ModerationSettings{HideThreshold: th, HoldCrisisPosts: r.PostFormValue("hold_crisis_posts") != ""})
	if s.formFailed(w, r, err, func(st int, f *form) { s.moderationSettingsPage(w, r, st, f) }) {
		return
	}
	s.flash(w, "Moderation settings saved.")
	http.Redirect(w, r, "/o/"+r.PathValue("org")+"/moderation/settings", http.StatusSeeOther)
}

// The crisis notice. When someone writes crisis language the next page
// they land on (post/redirect/get) shows them crisis lines; a short-lived
// cookie carries that across the redirect, and says nothing but "show".
const crisisCookie = "kindred_crisis"

func (s *Server) noteCrisis(w http.ResponseWriter) {
	http.SetCookie(w, &http.Cookie{Name: crisisCookie, Value: "1", Path: "/", HttpOnly: true,
		Secure: s.opts.SecureCookies, SameSite: http.SameSiteLaxMode, MaxAge: 120})
}

// takeCrisis reports whether the crisis notice is due, and clears it.
func (s *Server) takeCrisis(w http.ResponseWriter, r *http.Request) bool {
	if _, err := r.Cookie(crisisCookie); err != nil {
		return false
	}
	http.SetCookie(w, &http.Cookie{Name: crisisCookie, Path: "/", MaxAge: -1, HttpOnly: true, SameSite: http.SameSiteLaxMode})
	return true
}

// crisisFlags is the header badge: how many open crisis cases the actor
// would see in the organisation (0 for everyone who is not staff). It
// must never hold up or break a page, the help page above all, so it gets
// a short deadline and counts as 0 on any error.
func (s *Server) crisisFlags(actor *kindred.Actor, org *kindred.Organization) int {
	if s.svc.Moderation == nil || !actor.SignedIn() || org == nil {
		return 0
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	return s.svc.Moderation.CrisisBadge(ctx, actor, org)
}

// registerModerationAPI registers the moderation API operations
// (api_moderation.go).
func (s *Server) registerModerationAPI(api huma.API) {
	s.registerModerationOps(api)
}
