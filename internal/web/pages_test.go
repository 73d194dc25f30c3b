package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"kindred"
	auditpkg "kindred/internal/audit"
	"kindred/internal/kindredtest"
)

func mustContain(t *testing.T, body string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(body, w) {
			t.Errorf("page does not contain %q", w)
		}
	}
}

func TestFirstVisitWalksThroughSetup(t *testing.T) {
	env := kindredtest.New(t)
	c := env.Visitor(t)
	st, _ := c.Get("/")
	if st != http.StatusSeeOther {
		t.Fatalf("first visit: %d, want a redirect to setup", st)
	}
	st, body := c.Get("/setup")
	if st != http.StatusOK {
		t.Fatalf("setup page: %d", st)
	}
	mustContain(t, body, "Welcome to your new Kindred", `name="org_name"`, `name="handle"`)

	// A mistake re-renders the form with everything typed kept (but not the password).
	bad := url.Values{"org_name": {"Rainbow Youth Collective"}, "org_kind": {"online_community"}, "join_policy": {"request"},
		"code_of_conduct": {"Be kind to each other."}, "handle": {"x"}, "password": {"secret-but-short"}, "age_band": {"25+"}}
	st, body = c.Post("/setup", bad)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("invalid setup: %d", st)
	}
	mustContain(t, body, `value="Rainbow Youth Collective"`, "Be kind to each other.", "A handle is 3 to 30 characters long.")
	// Problems in both parts show together.
	both := url.Values{"org_name": {""}, "org_kind": {"online_community"}, "handle": {"x"}, "password": {"secret-but-short"}, "age_band": {"25+"}}
	if st, body := c.Post("/setup", both); st != http.StatusUnprocessableEntity || !strings.Contains(body, "Please add a name.") ||
		!strings.Contains(body, "A handle is 3 to 30 characters long.") || !strings.Contains(body, `href="#f-org_name"`) {
		t.Fatalf("setup with problems in both parts: %d", st)
	}
	if need, _ := env.Services.Setup.Needed(context.Background()); !need {
		t.Fatal("a refused setup created something")
	}
	if strings.Contains(body, "secret-but-short") {
		t.Error("the password was echoed back into the page")
	}

	good := url.Values{"org_name": {"Rainbow Youth Collective"}, "org_kind": {"online_community"}, "join_policy": {"request"},
		"code_of_conduct": {"Be kind to each other."}, "handle": {"first_admin"}, "password": {"a good long password"}, "age_band": {"25+"}}
	st, _ = c.Post("/setup", good)
	if st != http.StatusSeeOther {
		t.Fatalf("setup: %d", st)
	}
	st, body = c.Get("/o/rainbow-youth-collective/admin")
	if st != http.StatusOK {
		t.Fatalf("admin page after setup: %d", st)
	}
	mustContain(t, body, "Rainbow Youth Collective is ready", "Organisation settings")

	// Setup can't be used again once an account exists.
	other := env.Visitor(t)
	good.Set("handle", "second_admin")
	if st, _ := other.Post("/setup", good); st != http.StatusConflict {
		t.Fatalf("second setup: %d, want 409", st)
	}
	if st, _ := other.Get("/setup"); st != http.StatusSeeOther {
		t.Fatalf("setup page on a set-up instance: %d, want redirect", st)
	}
}

func TestSignUpLogInAndOut(t *testing.T) {
	env := kindredtest.New(t)
	op := env.Operator(t, "operator")
	env.Org(t, op, "centre", kindred.JoinOpen)
	c := env.Visitor(t)

	st, body := c.Post("/signup", url.Values{"handle": {"new_friend"}, "password": {"short"}, "pronouns": {"she/they"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("bad sign-up: %d", st)
	}
	mustContain(t, body, `value="she/they"`, "Please use at least 10 characters", "Please choose your age group", `aria-invalid="true"`)

	st, _ = c.Post("/signup", url.Values{"handle": {"new_friend"}, "password": {"ten characters at least"}, "age_band": {"13-17"}, "next": {"/o/centre"}})
	if st != http.StatusSeeOther {
		t.Fatalf("sign-up: %d", st)
	}
	st, body = c.Get("/settings")
	if st != http.StatusOK {
		t.Fatalf("settings after sign-up: %d", st)
	}
	mustContain(t, body, "Where you're logged in")

	if st, _ := c.Post("/logout", nil); st != http.StatusSeeOther {
		t.Fatalf("log out: %d", st)
	}
	if st, _ := c.Get("/settings"); st != http.StatusSeeOther {
		t.Fatalf("settings after log out: %d, want a redirect to log in", st)
	}

	st, wrongPw := c.Post("/login", url.Values{"handle": {"new_friend"}, "password": {"not my password"}})
	st2, noSuch := c.Post("/login", url.Values{"handle": {"no_such_person"}, "password": {"not my password"}})
	if st != http.StatusUnauthorized || st2 != st {
		t.Fatalf("bad log-ins: %d and %d", st, st2)
	}
	msg := regexp.MustCompile(`(?s)<div class="form-errors".*?</div>`)
	if msg.FindString(wrongPw) != msg.FindString(noSuch) || msg.FindString(wrongPw) == "" {
		t.Fatal("log-in errors differ between a wrong password and an unknown handle")
	}
	if st, _ := c.Post("/login", url.Values{"handle": {"New_Friend"}, "password": {"ten characters at least"}}); st != http.StatusSeeOther {
		t.Fatalf("log in: %d", st)
	}
	if st, _ := c.Post("/logout-all", nil); st != http.StatusSeeOther {
		t.Fatalf("log out everywhere: %d", st)
	}
	if st, _ := c.Get("/profile"); st != http.StatusSeeOther {
		t.Fatalf("profile after log out everywhere: %d", st)
	}
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	env := kindredtest.New(t)
	a := env.Account(t, "someone", kindred.AgeAdult)
	c := env.Client(t, a)
	req, _ := http.NewRequest(http.MethodPost, env.HTTP.URL+"/logout-all", strings.NewReader(""))
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	resp, err := c.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Fatalf("cross-site POST: %d, want 403", resp.StatusCode)
	}
	if _, err := env.Services.Accounts.Sessions(context.Background(), &kindred.Actor{Account: a}); err != nil {
		t.Fatal(err)
	}
	if st, _ := c.Get("/settings"); st != http.StatusOK {
		t.Fatalf("the cross-site request logged the person out: settings %d", st)
	}
}

func TestSecurityHeadersAndStaticFiles(t *testing.T) {
	env := kindredtest.New(t)
	resp, err := http.Get(env.HTTP.URL + "/login")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	csp := resp.Header.Get("Content-Security-Policy")
	if csp == "" || strings.Contains(csp, "http:") || strings.Contains(csp, "https:") || strings.Contains(csp, "unsafe-inline") {
		t.Fatalf("CSP %q must exist and allow no other origin and no inline code", csp)
	}
	if resp.Header.Get("Cache-Control") != "no-store" || resp.Header.Get("X-Robots-Tag") == "" {
		t.Fatalf("headers: %v", resp.Header)
	}
	c := env.Visitor(t)
	_, body := c.Get("/login")
	css := regexp.MustCompile(`href="(/static/kindred\.[0-9a-f]{12}\.css)"`).FindStringSubmatch(body)
	if css == nil {
		t.Fatal("no content-hashed stylesheet link in the page")
	}
	// The one other origin is quick exit's link: a navigation the person
	// chooses, never a request the page makes.
	body = strings.Replace(body, `href="https://www.google.com/search?q=weather" rel="noreferrer" data-quick-exit`, "", 1)
	if strings.Contains(body, "http://") || strings.Contains(body, "https://") {
		t.Error("the page references another origin")
	}
	resp2, err := http.Get(env.HTTP.URL + css[1])
	if err != nil {
		t.Fatal(err)
	}
	resp2.Body.Close()
	if resp2.StatusCode != http.StatusOK || !strings.Contains(resp2.Header.Get("Cache-Control"), "immutable") {
		t.Fatalf("stylesheet: %d %q", resp2.StatusCode, resp2.Header.Get("Cache-Control"))
	}
	if st, _ := c.Get("/static/kindred.css"); st != http.StatusNotFound {
		t.Fatalf("unhashed static name: %d, want 404", st)
	}
}

func TestHiddenGroupLooksLikeNothing(t *testing.T) {
	env := kindredtest.New(t)
	admin := env.Account(t, "admin", kindred.AgeAdult)
	member := env.Account(t, "member", kindred.AgeAdult)
	insider := env.Account(t, "insider", kindred.AgeAdult)
	o := env.Org(t, admin, "centre", kindred.JoinOpen)
	env.Member(t, o, member, 0, kindred.StatusActive)
	env.Member(t, o, insider, 0, kindred.StatusActive)
	g := env.Group(t, o, "survivors", kindred.VisibilityHidden, kindred.AgeAny, admin)
	env.GroupMember(t, g, insider, kindred.StatusActive)
	th, _ := env.Thread(t, g, insider, "A quiet thread")

	c := env.Client(t, member)
	stHidden, hidden := c.Get("/o/centre/g/survivors")
	stNone, none := c.Get("/o/centre/g/no-such-group")
	if stHidden != http.StatusNotFound || stNone != http.StatusNotFound {
		t.Fatalf("hidden %d, nonexistent %d: both must be 404", stHidden, stNone)
	}
	if hidden != none {
		t.Fatal("the hidden group's 404 page differs from a nonexistent group's")
	}
	stHiddenThread, hiddenThread := c.Get("/o/centre/g/survivors/t/" + th.ID)
	_, noneThread := c.Get("/o/centre/g/no-such-group/t/" + th.ID)
	if stHiddenThread != http.StatusNotFound || hiddenThread != noneThread {
		t.Fatal("a hidden group's thread is distinguishable from a nonexistent one")
	}
	_, list := c.Get("/o/centre/groups")
	if strings.Contains(list, "survivors") || strings.Contains(list, "Group survivors") {
		t.Error("the group list shows the hidden group to a non-member")
	}
	_, insiderList := env.Client(t, insider).Get("/o/centre/groups")
	mustContain(t, insiderList, "Group survivors")
	if st, _ := env.Client(t, insider).Get("/o/centre/g/survivors/t/" + th.ID); st != http.StatusOK {
		t.Fatalf("a member of the hidden group can't read it: %d", st)
	}
}

func TestAnonymousPostsShowNoNameToPeers(t *testing.T) {
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	admin := env.Account(t, "admin", kindred.AgeAdult)
	author := env.Account(t, "quiet_author", kindred.AgeAdult)
	peer := env.Account(t, "peer", kindred.AgeAdult)
	o := env.Org(t, admin, "centre", kindred.JoinOpen)
	env.Member(t, o, author, 0, kindred.StatusActive)
	env.Member(t, o, peer, 0, kindred.StatusActive)
	g := env.Group(t, o, "circle", kindred.VisibilityPublic, kindred.AgeAny, admin)
	env.GroupMember(t, g, author, kindred.StatusActive)
	env.GroupMember(t, g, peer, kindred.StatusActive)

	ac := env.Client(t, author)
	st, _ := ac.Post("/o/centre/g/circle/threads", url.Values{"kind": {"checkin"}, "title": {"Hard week"}, "body": {"Just checking in."}, "anonymous": {"yes"}})
	if st != http.StatusSeeOther {
		t.Fatalf("post anonymously: %d", st)
	}
	_, groupPage := env.Client(t, peer).Get("/o/centre/g/circle")
	thread := regexp.MustCompile(`/o/centre/g/circle/t/([a-z0-9]+)`).FindStringSubmatch(groupPage)
	if thread == nil {
		t.Fatal("the thread is not listed")
	}
	if strings.Contains(groupPage, "Quiet_author") {
		t.Error("the group page names the anonymous author")
	}
	_, peerView := env.Client(t, peer).Get(thread[0])
	mustContain(t, peerView, "Anonymous peer", "Just checking in.")
	if strings.Contains(peerView, "Quiet_author") {
		t.Error("a peer sees the anonymous author's name")
	}
	// Moderators too see "Anonymous peer" until they ask who wrote it, and
	// each asking is audited.
	adm := env.Client(t, admin)
	_, adminView := adm.Get(thread[0])
	mustContain(t, adminView, "Anonymous peer", "Show who wrote this")
	if strings.Contains(adminView, "Quiet_author") {
		t.Error("a moderator sees the anonymous author's name without asking")
	}
	reveal := regexp.MustCompile(`action="(/o/centre/g/circle/p/[a-z0-9]+/reveal)"`).FindStringSubmatch(adminView)
	if reveal == nil {
		t.Fatal("no reveal form for the moderator")
	}
	if st, _ := env.Client(t, peer).Post(reveal[1], nil); st != http.StatusForbidden {
		t.Errorf("a peer asked who wrote it: %d", st)
	}
	st, revealed := adm.Post(reveal[1], nil)
	if st != http.StatusOK {
		t.Fatalf("reveal: %d", st)
	}
	mustContain(t, revealed, "Quiet_author", "@quiet_author", "audit log")
	entries, err := env.Store.ListAudit(t.Context(), kindred.AuditFilter{OrgID: o.ID})
	if err != nil {
		t.Fatal(err)
	}
	var reveals int
	for _, e := range entries {
		if e.Action == "post.reveal_author" {
			reveals++
			if e.ActorID != admin.ID || strings.Contains(e.Detail, "Just checking") || strings.Contains(e.Detail, "quiet") {
				t.Errorf("reveal entry %+v: want the admin's id and ids only", e)
			}
		}
	}
	if reveals != 1 {
		t.Errorf("%d reveal entries; want 1", reveals)
	}
	_, ownView := ac.Get(thread[0])
	mustContain(t, ownView, "you, posted anonymously")
}

func TestJoiningNeedsTheCodeOfConductAndRespectsAge(t *testing.T) {
	env := kindredtest.New(t)
	admin := env.Account(t, "admin", kindred.AgeAdult)
	teen := env.Account(t, "teen", kindred.AgeYouth)
	adult := env.Account(t, "adult", kindred.AgeAdult)
	o := env.Org(t, admin, "centre", kindred.JoinOpen)
	env.Group(t, o, "youth", kindred.VisibilityPublic, kindred.AgeYouthOnly, admin)

	tc := env.Client(t, teen)
	st, body := tc.Post("/o/centre/join", nil)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("join without accepting the code of conduct: %d", st)
	}
	mustContain(t, body, "Please tick the box")
	if st, _ := tc.Post("/o/centre/join", url.Values{"accept_conduct": {"yes"}}); st != http.StatusSeeOther {
		t.Fatalf("join: %d", st)
	}
	if st, _ := tc.Post("/o/centre/g/youth/join", nil); st != http.StatusSeeOther {
		t.Fatalf("teen joins the youth group: %d", st)
	}
	ac := env.Client(t, adult)
	if st, _ := ac.Post("/o/centre/join", url.Values{"accept_conduct": {"yes"}}); st != http.StatusSeeOther {
		t.Fatalf("adult joins: %d", st)
	}
	st, body = ac.Post("/o/centre/g/youth/join", nil)
	if st != http.StatusForbidden {
		t.Fatalf("adult joins the youth group: %d, want 403", st)
	}
	mustContain(t, body, "for ages 13–17")
}

func TestInvitationsIntoAHiddenGroup(t *testing.T) {
	env := kindredtest.New(t)
	admin := env.Account(t, "admin", kindred.AgeAdult)
	guest := env.Account(t, "guest", kindred.AgeAdult)
	o := env.Org(t, admin, "clinic", kindred.JoinInvite)
	g := env.Group(t, o, "circle", kindred.VisibilityHidden, kindred.AgeAdultOnly, admin)

	gc := env.Client(t, guest)
	if st, _ := gc.Post("/o/clinic/join", url.Values{"accept_conduct": {"yes"}}); st != http.StatusForbidden {
		t.Fatalf("join an invite-only organisation without an invitation: %d", st)
	}
	st, body := env.Client(t, admin).Post("/o/clinic/admin/invites", url.Values{"group_id": {g.ID}, "expires_hours": {"48"}, "max_uses": {"1"}, "note": {"for G"}})
	if st != http.StatusCreated {
		t.Fatalf("create invite: %d", st)
	}
	link := regexp.MustCompile(`/invite/([a-z0-9]+)`).FindString(body)
	if link == "" {
		t.Fatal("no invitation link shown")
	}
	st, body = gc.Get(link)
	if st != http.StatusOK {
		t.Fatalf("invitation page: %d", st)
	}
	mustContain(t, body, "Group circle", "Be kind.")
	if st, _ := gc.Post(link, url.Values{"accept_conduct": {"yes"}}); st != http.StatusSeeOther {
		t.Fatalf("accept: %d", st)
	}
	if st, _ := gc.Get("/o/clinic/g/circle"); st != http.StatusOK {
		t.Fatalf("the invited person can't see the hidden group: %d", st)
	}
	other := env.Client(t, env.Account(t, "latecomer", kindred.AgeAdult))
	if st, _ := other.Get(link); st != http.StatusGone {
		t.Fatalf("a used-up invitation: %d, want 410", st)
	}
	_, audit := env.Client(t, admin).Get("/o/clinic/admin/audit")
	mustContain(t, audit, "invite.create", "invite.use")
}

func TestAdminChangesRolesAndItIsAudited(t *testing.T) {
	env := kindredtest.New(t)
	admin := env.Account(t, "admin", kindred.AgeAdult)
	member := env.Account(t, "helper", kindred.AgeAdult)
	o := env.Org(t, admin, "centre", kindred.JoinOpen)
	env.Member(t, o, member, 0, kindred.StatusActive)
	ac := env.Client(t, admin)
	if st, _ := ac.Post("/o/centre/admin/members/"+member.ID+"/roles", url.Values{"roles": {"facilitator", "moderator"}}); st != http.StatusSeeOther {
		t.Fatalf("set roles: %d", st)
	}
	m, err := env.Store.FindMembership(context.Background(), o.ID, member.ID)
	if err != nil || !m.Roles.Has(kindred.RoleFacilitator|kindred.RoleModerator|kindred.RoleMember) || m.Roles.Has(kindred.RoleAdmin) {
		t.Fatalf("roles = %v, %v", m.Roles.Names(), err)
	}
	// The last admin cannot remove their own admin role.
	st, body := ac.Post("/o/centre/admin/members/"+admin.ID+"/roles", url.Values{"roles": {"moderator"}})
	if st != http.StatusConflict {
		t.Fatalf("last admin drops admin: %d, want 409", st)
	}
	mustContain(t, body, "at least one admin")
	// The new facilitator can start a group; a plain member cannot reach admin pages.
	if st, _ := env.Client(t, member).Get("/o/centre/admin"); st != http.StatusForbidden {
		t.Fatalf("non-admin on the admin page: %d", st)
	}
	if st, _ := env.Client(t, member).Post("/o/centre/groups", url.Values{"name": {"Bi and pan peers"}, "topic": {"Bi, pan and fluid folks"}, "visibility": {"public"}, "age_rule": {"any"}}); st != http.StatusSeeOther {
		t.Fatalf("facilitator creates a group: %d", st)
	}
	_, audit := ac.Get("/o/centre/admin/audit")
	mustContain(t, audit, "member.roles", "group.create", "The log verifies")
	if rep, err := auditpkg.Verify(context.Background(), env.Store); err != nil || !rep.Intact() {
		t.Fatalf("audit chain: %v %v", err, rep.Break)
	}
}

func TestReactionsAndEditsShowAtOnce(t *testing.T) {
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	admin := env.Account(t, "admin", kindred.AgeAdult)
	reader := env.Account(t, "reader", kindred.AgeAdult)
	o := env.Org(t, admin, "centre", kindred.JoinOpen)
	env.Member(t, o, reader, 0, kindred.StatusActive)
	g := env.Group(t, o, "circle", kindred.VisibilityPublic, kindred.AgeAny, admin)
	env.GroupMember(t, g, reader, kindred.StatusActive)
	th, reply := env.Thread(t, g, admin, "Small wins")
	page := "/o/centre/g/circle/t/" + th.ID
	rc := env.Client(t, reader)

	// Render once so the post sits in the fragment cache, then change it.
	if _, body := rc.Get(page); !strings.Contains(body, `aria-pressed="false">Me too</button>`) {
		t.Fatal("no untouched “me too” button")
	}
	react := "/o/centre/g/circle/p/" + reply.ID + "/react"
	if st, _ := rc.Post(react, url.Values{"kind": {"me_too"}, "on": {"true"}}); st != http.StatusSeeOther {
		t.Fatalf("react: %d", st)
	}
	_, body := rc.Get(page)
	mustContain(t, body, `aria-pressed="true">Me too · 1</button>`)
	// Another reader sees the count, but not as their own reaction.
	_, adminView := env.Client(t, admin).Get(page)
	mustContain(t, adminView, `aria-pressed="false">Me too · 1</button>`)
	if st, _ := rc.Post(react, url.Values{"kind": {"me_too"}, "on": {"false"}}); st != http.StatusSeeOther {
		t.Fatalf("take back: %d", st)
	}
	_, body = rc.Get(page)
	mustContain(t, body, `aria-pressed="false">Me too</button>`)

	ac := env.Client(t, admin)
	if st, _ := ac.Post("/o/centre/g/circle/p/"+reply.ID+"/edit", url.Values{"body": {"A reply, *edited*"}}); st != http.StatusSeeOther {
		t.Fatalf("edit: %d", st)
	}
	_, body = rc.Get(page)
	mustContain(t, body, "A reply, <em>edited</em>", "(edited)")
	if st, _ := ac.Post("/o/centre/g/circle/p/"+reply.ID+"/delete", nil); st != http.StatusSeeOther {
		t.Fatalf("delete: %d", st)
	}
	_, body = rc.Get(page)
	mustContain(t, body, "This post was deleted.")
	if strings.Contains(body, "edited</em>") {
		t.Error("the deleted post's text is still shown")
	}
}

func TestANameForEachOrganisation(t *testing.T) {
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	admin := env.Account(t, "admin", kindred.AgeAdult)
	member := env.Account(t, "river", kindred.AgeAdult)
	o := env.Org(t, admin, "centre", kindred.JoinOpen)
	other := env.Org(t, admin, "school", kindred.JoinOpen)
	env.Member(t, o, member, 0, kindred.StatusActive)
	env.Member(t, other, member, 0, kindred.StatusActive)
	g := env.Group(t, o, "circle", kindred.VisibilityPublic, kindred.AgeAny, admin)
	env.GroupMember(t, g, member, kindred.StatusActive)
	th, _ := env.Thread(t, g, member, "Hello")

	c := env.Client(t, member)
	st, body := c.Post("/o/centre/me", url.Values{"display_name": {strings.Repeat("x", 61)}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("a 61-character name: %d", st)
	}
	mustContain(t, body, "60 characters or fewer", strings.Repeat("x", 61))
	if st, _ := c.Post("/o/centre/me", url.Values{"display_name": {"Riv at the centre"}}); st != http.StatusSeeOther {
		t.Fatalf("set name: %d", st)
	}
	_, page := env.Client(t, admin).Get("/o/centre/g/circle/t/" + th.ID)
	mustContain(t, page, "Riv at the centre")
	m, err := env.Store.FindMembership(context.Background(), other.ID, member.ID)
	if err != nil || m.DisplayName != "" {
		t.Fatalf("the name leaked into another organisation: %q, %v", m.DisplayName, err)
	}
	if st, _ := env.Client(t, env.Account(t, "stranger", kindred.AgeAdult)).Post("/o/centre/me", url.Values{"display_name": {"Me"}}); st != http.StatusForbidden {
		t.Fatalf("a non-member sets a name: %d", st)
	}
}
