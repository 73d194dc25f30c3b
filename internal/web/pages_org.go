package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"kindred"
	"kindred/internal/groups"
	"kindred/internal/orgs"
)

type orgData struct {
	Place  *orgs.Place
	Groups []*groups.Place
}

func (s *Server) orgPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	p, err := s.svc.Orgs.Get(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
	}
	d := orgData{Place: p}
	if p.IsMember() {
		if _, d.Groups, err = s.svc.Groups.List(r.Context(), actorOf(r), p.Org.Slug); err != nil {
			s.fail(w, r, err, p.Org)
			return
		}
	}
	s.render(w, r, status, "org", &page{Title: p.Org.Name, Org: p.Org, Form: f, Data: d})
}

func (s *Server) handleOrg(w http.ResponseWriter, r *http.Request) {
	s.orgPage(w, r, http.StatusOK, nil)
}

func (s *Server) handleOrgJoin(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	slug := r.PathValue("org")
	m, err := s.svc.Orgs.Join(r.Context(), actorOf(r), slug, r.PostFormValue("accept_conduct") != "")
	if s.formFailed(w, r, err, func(st int, f *form) { s.orgPage(w, r, st, f) }) {
		return
	}
	if m.Status == kindred.StatusPending {
		s.flash(w, "Thanks for asking to join. An admin will look at your request soon.")
	} else {
		s.flash(w, "Welcome! You're now a member. Have a look at the groups below.")
	}
	http.Redirect(w, r, "/o/"+slug, http.StatusSeeOther)
}

func (s *Server) handleOrgMe(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, err := s.svc.Orgs.SetDisplayName(r.Context(), actorOf(r), r.PathValue("org"), r.PostFormValue("display_name"))
	if s.formFailed(w, r, err, func(st int, f *form) { s.orgPage(w, r, st, f) }) {
		return
	}
	s.flash(w, "Saved. This is how you appear here now.")
	http.Redirect(w, r, "/o/"+r.PathValue("org"), http.StatusSeeOther)
}

func (s *Server) handleOrgLeave(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Orgs.Leave(r.Context(), actorOf(r), r.PathValue("org")); err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "You've left the organisation and its groups.")
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

type inviteData struct {
	Preview *orgs.InvitePreview
	Code    string
}

func (s *Server) invitePage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	code := r.PathValue("code")
	pv, err := s.svc.Orgs.PreviewInvite(r.Context(), code)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.render(w, r, status, "invite", &page{Title: "You're invited to " + pv.Org.Name, Form: f, Data: inviteData{Preview: pv, Code: code}})
}

func (s *Server) handleInvite(w http.ResponseWriter, r *http.Request) {
	s.invitePage(w, r, http.StatusOK, nil)
}

func (s *Server) handleInviteAccept(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	pv, err := s.svc.Orgs.AcceptInvite(r.Context(), actorOf(r), r.PathValue("code"), r.PostFormValue("accept_conduct") != "")
	if s.formFailed(w, r, err, func(st int, f *form) { s.invitePage(w, r, st, f) }) {
		return
	}
	s.flash(w, "Welcome to "+pv.Org.Name+".")
	if pv.Group != nil {
		http.Redirect(w, r, "/o/"+pv.Org.Slug+"/g/"+pv.Group.Slug, http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, "/o/"+pv.Org.Slug, http.StatusSeeOther)
}

// Admin pages.

type adminData struct {
	Place   *orgs.Place
	Members []*kindred.Membership
	Invites []*kindred.Invite
	Groups  []*groups.Place
	Audit   []*kindred.AuditEntry
	NewLink string
	Now     time.Time
	Names   map[string]string // account id -> name, for the audit log
	Chain   *auditChain       // whether the audit log verifies (pages_audit.go)
}

func (s *Server) adminPage(w http.ResponseWriter, r *http.Request, status int, name string, f *form, fill func(*adminData) error) {
	p, err := s.svc.Orgs.Manage(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	d := &adminData{Place: p, Now: s.now()}
	if fill != nil {
		if err := fill(d); err != nil {
			s.fail(w, r, err, p.Org)
			return
		}
	}
	if f == nil && name == "admin" {
		f = newForm(r, nil)
		f.Values = url.Values{"name": {p.Org.Name}, "kind": {string(p.Org.Kind)}, "join_policy": {string(p.Org.JoinPolicy)},
			"description": {p.Org.Description}, "code_of_conduct": {p.Org.CodeOfConduct}}
		if p.Org.Listed {
			f.Values.Set("listed", "on")
		}
	}
	s.render(w, r, status, name, &page{Title: "Admin · " + p.Org.Name, Org: p.Org, Form: f, Data: d})
}

func (s *Server) handleAdmin(w http.ResponseWriter, r *http.Request) {
	s.adminPage(w, r, http.StatusOK, "admin", nil, nil)
}

func (s *Server) handleAdminSettings(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	name, desc, coc := r.PostFormValue("name"), r.PostFormValue("description"), r.PostFormValue("code_of_conduct")
	kind, policy := kindred.OrgKind(r.PostFormValue("kind")), kindred.JoinPolicy(r.PostFormValue("join_policy"))
	listed := r.PostFormValue("listed") != ""
	_, err := s.svc.Orgs.UpdateSettings(r.Context(), actorOf(r), r.PathValue("org"), kindred.OrganizationUpdate{
		Name: &name, Kind: &kind, JoinPolicy: &policy, Description: &desc, CodeOfConduct: &coc, Listed: &listed})
	if s.formFailed(w, r, err, func(st int, f *form) { s.adminPage(w, r, st, "admin", f, nil) }) {
		return
	}
	s.flash(w, "Settings saved.")
	http.Redirect(w, r, "/o/"+r.PathValue("org")+"/admin", http.StatusSeeOther)
}

func (s *Server) handleAdminMembers(w http.ResponseWriter, r *http.Request) {
	s.adminPage(w, r, http.StatusOK, "admin_members", nil, func(d *adminData) (err error) {
		d.Members, err = s.svc.Orgs.Members(r.Context(), actorOf(r), d.Place.Org.Slug, "")
		return err
	})
}

func (s *Server) adminDone(w http.ResponseWriter, r *http.Request, err error, msg, to string) {
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, msg)
	http.Redirect(w, r, "/o/"+r.PathValue("org")+"/admin/"+to, http.StatusSeeOther)
}

func (s *Server) handleAdminRoles(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	roles, err := kindred.ParseRoles(r.PostForm["roles"])
	if err == nil {
		_, err = s.svc.Orgs.SetRoles(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("account"), roles)
	}
	s.adminDone(w, r, err, "Roles updated.", "members")
}

func (s *Server) handleAdminApprove(w http.ResponseWriter, r *http.Request) {
	_, err := s.svc.Orgs.Approve(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("account"))
	s.adminDone(w, r, err, "Request approved. They're a member now.", "members")
}

func (s *Server) handleAdminRemove(w http.ResponseWriter, r *http.Request) {
	err := s.svc.Orgs.Remove(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("account"))
	s.adminDone(w, r, err, "Removed from the organisation.", "members")
}

func (s *Server) fillInvites(r *http.Request) func(d *adminData) error {
	return func(d *adminData) (err error) {
		if d.Invites, err = s.svc.Orgs.Invites(r.Context(), actorOf(r), d.Place.Org.Slug); err != nil {
			return err
		}
		_, d.Groups, err = s.svc.Groups.List(r.Context(), actorOf(r), d.Place.Org.Slug)
		return err
	}
}

func (s *Server) handleAdminInvites(w http.ResponseWriter, r *http.Request) {
	s.adminPage(w, r, http.StatusOK, "admin_invites", newForm(r, nil), s.fillInvites(r))
}

func (s *Server) handleAdminInviteCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	hours, _ := strconv.Atoi(r.PostFormValue("expires_hours"))
	uses, _ := strconv.Atoi(r.PostFormValue("max_uses"))
	d := kindred.InviteDraft{GroupID: r.PostFormValue("group_id"), ExpiresIn: time.Duration(hours) * time.Hour, MaxUses: uses, Note: r.PostFormValue("note")}
	if hours == 0 && r.PostFormValue("expires_hours") != "" || uses == 0 && r.PostFormValue("max_uses") != "" {
		d.MaxUses = -1 // let validation explain a value that is not a number
	}
	_, code, err := s.svc.Orgs.CreateInvite(r.Context(), actorOf(r), r.PathValue("org"), d)
	if s.formFailed(w, r, err, func(st int, f *form) { s.adminPage(w, r, st, "admin_invites", f, s.fillInvites(r)) }) {
		return
	}
	fill := s.fillInvites(r)
	s.adminPage(w, r, http.StatusCreated, "admin_invites", newForm(nil, nil), func(d *adminData) error {
		d.NewLink = inviteLink(r, code)
		return fill(d)
	})
}

// inviteLink builds the full invitation URL from the request's own host.
func inviteLink(r *http.Request, code string) string {
	scheme := "http"
	if r.TLS != nil || strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https") {
		scheme = "https"
	}
	return scheme + "://" + r.Host + "/invite/" + code
}

func (s *Server) handleAdminInviteRevoke(w http.ResponseWriter, r *http.Request) {
	err := s.svc.Orgs.RevokeInvite(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("id"))
	s.adminDone(w, r, err, "Invitation revoked. The link no longer works.", "invites")
}

func (s *Server) handleAdminAudit(w http.ResponseWriter, r *http.Request) {
	s.adminPage(w, r, http.StatusOK, "admin_audit", nil, func(d *adminData) (err error) {
		if d.Audit, err = s.svc.Orgs.AuditLog(r.Context(), actorOf(r), d.Place.Org.Slug); err != nil {
			return err
		}
		if d.Chain, err = s.auditChain(r, d.Place.Org.ID); err != nil {
			return err
		}
		ms, err := s.svc.Orgs.Members(r.Context(), actorOf(r), d.Place.Org.Slug, "")
		d.Names = map[string]string{}
		for _, m := range ms {
			d.Names[m.AccountID] = m.Name() + " (@" + m.Handle + ")"
		}
		return err
	})
}
