package web

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"kindred"
)

// apiWorld is an instance with an operator who runs an open organisation
// with one public group, and two members of it.
type apiWorld struct {
	s                *Server
	op, alice, bob   *apiClient
	orgPath, grpPath string
}

func newAPIWorld(t *testing.T) *apiWorld {
	t.Helper()
	s, ts, _ := newTestServer(t)
	w := &apiWorld{s: s, op: operatorClient(t, s, ts), orgPath: "/organizations/rainbow", grpPath: "/organizations/rainbow/groups/circle"}
	w.op.call(http.MethodPost, "/organizations", map[string]any{"name": "Rainbow Centre", "slug": "rainbow", "kind": "community_centre",
		"join_policy": "open", "code_of_conduct": "Be kind."}, http.StatusCreated, nil)
	w.op.call(http.MethodPost, w.orgPath+"/groups", map[string]any{"name": "Circle", "slug": "circle", "topic": "Coming out"}, http.StatusCreated, nil)
	w.alice = signUp(t, ts, "alice", kindred.AgeAdult)
	w.bob = signUp(t, ts, "bob", kindred.AgeYoungAdult)
	for _, c := range []*apiClient{w.alice, w.bob} {
		c.call(http.MethodPost, w.orgPath+"/join", map[string]any{"accept_conduct": true}, http.StatusOK, nil)
		c.call(http.MethodPost, w.grpPath+"/join", nil, http.StatusOK, nil)
	}
	return w
}

type apiErrorJSON struct {
	Error struct {
		Code    string            `json:"code"`
		Message string            `json:"message"`
		Fields  map[string]string `json:"fields"`
	} `json:"error"`
}

func decodeAPIError(t *testing.T, res *apiResponse) apiErrorJSON {
	t.Helper()
	var e apiErrorJSON
	dec := json.NewDecoder(bytes.NewReader(res.Body))
	dec.DisallowUnknownFields() // exactly our shape, nothing of huma's
	if err := dec.Decode(&e); err != nil {
		t.Fatalf("error body %s: %v", res.Body, err)
	}
	if e.Error.Code == "" || e.Error.Message == "" {
		t.Fatalf("error body %s lacks code or message", res.Body)
	}
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Errorf("error Content-Type %q", ct)
	}
	return e
}

func TestAPISignUpAndSession(t *testing.T) {
	t.Parallel()
	_, ts, _ := newTestServer(t)
	c := newAPIClient(t, ts)
	var acct map[string]any
	res := c.call(http.MethodPost, "/accounts", map[string]any{"handle": "River_Song", "password": "a long enough password",
		"age_band": "18-24", "pronouns": "she/her", "email": "river@example.org"}, http.StatusCreated, &acct)
	if acct["handle"] != "River_Song" || acct["pronouns"] != "she/her" || acct["email"] != "river@example.org" {
		t.Errorf("account %v", acct)
	}
	for _, secret := range []string{"password", "password_hash", "PasswordHash", "session_id", "$schema"} {
		if _, ok := acct[secret]; ok {
			t.Errorf("account exposes %s", secret)
		}
	}
	if !strings.Contains(res.Header.Get("Set-Cookie"), SessionCookie+"=") || !strings.Contains(res.Header.Get("Set-Cookie"), "HttpOnly") {
		t.Errorf("Set-Cookie %q", res.Header.Get("Set-Cookie"))
	}
	if res.Header.Get("Link") != "" {
		t.Errorf("Link header %q", res.Header.Get("Link"))
	}
	// The cookie signs the client in.
	c.call(http.MethodGet, "/me", nil, http.StatusOK, &acct)
	if acct["handle"] != "River_Song" {
		t.Errorf("me %v", acct)
	}
	c.call(http.MethodPatch, "/me", map[string]any{"bio": "  Hello  "}, http.StatusOK, &acct)
	if acct["bio"] != "Hello" || acct["pronouns"] != "she/her" {
		t.Errorf("after update %v", acct)
	}

	// Log out, then in again with the handle in another case.
	res = c.call(http.MethodDelete, "/sessions/current", nil, http.StatusNoContent, nil)
	if !strings.Contains(res.Header.Get("Set-Cookie"), "Max-Age=0") {
		t.Errorf("log out Set-Cookie %q", res.Header.Get("Set-Cookie"))
	}
	decodeAPIError(t, c.call(http.MethodGet, "/me", nil, http.StatusUnauthorized, nil))
	bad := decodeAPIError(t, c.call(http.MethodPost, "/sessions", map[string]any{"handle": "river_song", "password": "wrong password!"}, http.StatusUnauthorized, nil))
	if bad.Error.Code != kindred.EUNAUTHORIZED {
		t.Errorf("bad login %+v", bad)
	}
	var sess struct {
		Account map[string]any `json:"account"`
	}
	c.call(http.MethodPost, "/sessions", map[string]any{"handle": "river_song", "password": "a long enough password"}, http.StatusCreated, &sess)
	if sess.Account["handle"] != "River_Song" {
		t.Errorf("session %v", sess)
	}
	var ended struct {
		SessionsEnded int `json:"sessions_ended"`
	}
	c.call(http.MethodDelete, "/sessions", nil, http.StatusOK, &ended)
	if ended.SessionsEnded != 1 { // the sign-up session ended at log-out
		t.Errorf("sessions ended %d, want 1", ended.SessionsEnded)
	}
	c.call(http.MethodGet, "/me", nil, http.StatusUnauthorized, nil)
}

func TestAPITokens(t *testing.T) {
	t.Parallel()
	_, ts, _ := newTestServer(t)
	c := signUp(t, ts, "tokenuser", kindred.AgeAdult)
	var tok struct {
		ID, Name, Token string
	}
	c.call(http.MethodPost, "/tokens", map[string]any{"name": "my script"}, http.StatusCreated, &tok)
	if !strings.HasPrefix(tok.Token, "kdt_") || tok.ID == "" {
		t.Fatalf("token %+v", tok)
	}
	var list struct {
		Tokens []map[string]any `json:"tokens"`
	}
	c.call(http.MethodGet, "/tokens", nil, http.StatusOK, &list)
	if len(list.Tokens) != 1 || list.Tokens[0]["name"] != "my script" {
		t.Fatalf("tokens %v", list)
	}
	if _, ok := list.Tokens[0]["token"]; ok {
		t.Error("listTokens shows the secret")
	}
	if _, ok := list.Tokens[0]["hash"]; ok {
		t.Error("listTokens shows the hash")
	}

	// A program with only the token, no cookie.
	prog := newAPIClient(t, ts)
	prog.token = tok.Token
	var me map[string]any
	prog.call(http.MethodGet, "/me", nil, http.StatusOK, &me)
	if me["handle"] != "tokenuser" {
		t.Errorf("me by token %v", me)
	}
	prog.call(http.MethodDelete, "/tokens/"+tok.ID, nil, http.StatusNoContent, nil)
	res := prog.call(http.MethodGet, "/me", nil, http.StatusUnauthorized, nil)
	if e := decodeAPIError(t, res); e.Error.Code != kindred.EUNAUTHORIZED {
		t.Errorf("revoked token: %+v", e)
	}
	prog.token = "kdt_notarealtoken"
	decodeAPIError(t, prog.call(http.MethodGet, "/organizations", nil, http.StatusUnauthorized, nil))
}

// TestAPIConversation follows one conversation: a thread with a content
// warning, an anonymous reply, reactions, an edit and a deletion, seen by
// the author, another member and a moderator.
func TestAPIConversation(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)

	var thread struct {
		ID             string         `json:"id"`
		Title          string         `json:"title"`
		ContentWarning string         `json:"content_warning"`
		Author         map[string]any `json:"author"`
		OpeningPostID  string         `json:"opening_post_id"`
	}
	w.alice.call(http.MethodPost, w.grpPath+"/threads", map[string]any{"kind": "story", "title": "My first Pride",
		"body": "It was **loud** and lovely.", "content_warning": "crowds"}, http.StatusCreated, &thread)
	if thread.ContentWarning != "crowds" || thread.Author["handle"] != "alice" || thread.OpeningPostID == "" {
		t.Fatalf("thread %+v", thread)
	}
	threadPath := w.grpPath + "/threads/" + thread.ID

	var reply apiPostJSON
	w.bob.call(http.MethodPost, threadPath+"/replies", map[string]any{"body": "Me too, my first one was scary.", "anonymous": true}, http.StatusCreated, &reply)
	if !reply.Anonymous || !reply.Mine || reply.Author == nil || reply.Author["handle"] != "bob" {
		t.Errorf("bob sees his own anonymous reply as %+v", reply)
	}

	var post apiPostJSON
	w.alice.call(http.MethodPut, w.grpPath+"/posts/"+reply.ID+"/reactions/me_too", nil, http.StatusOK, &post)
	w.alice.call(http.MethodPut, w.grpPath+"/posts/"+reply.ID+"/reactions/me_too", nil, http.StatusOK, &post) // idempotent
	if post.Reactions["me_too"] != 1 || !slices.Equal(post.MyReactions, []string{"me_too"}) || post.Reactions["thank_you"] != 0 {
		t.Errorf("after reacting: %v %v", post.Reactions, post.MyReactions)
	}
	if post.Author != nil {
		t.Errorf("alice sees the anonymous author: %v", post.Author)
	}
	w.alice.call(http.MethodPut, w.grpPath+"/posts/"+reply.ID+"/reactions/thank_you", nil, http.StatusOK, &post)
	w.alice.call(http.MethodDelete, w.grpPath+"/posts/"+reply.ID+"/reactions/thank_you", nil, http.StatusOK, &post)
	if post.Reactions["thank_you"] != 0 || post.Reactions["me_too"] != 1 {
		t.Errorf("after taking back: %v", post.Reactions)
	}
	e := decodeAPIError(t, w.alice.call(http.MethodPut, w.grpPath+"/posts/"+reply.ID+"/reactions/like", nil, http.StatusUnprocessableEntity, nil))
	if e.Error.Fields["kind"] == "" {
		t.Errorf("unknown reaction: %+v", e)
	}

	// Alice edits her opening post.
	w.alice.call(http.MethodPatch, w.grpPath+"/posts/"+thread.OpeningPostID, map[string]any{"body": "It was *loud*.", "content_warning": "crowds, noise"}, http.StatusOK, &post)
	if post.EditedAt == nil || !strings.Contains(post.BodyHTML, "<em>loud</em>") || post.ContentWarning != "crowds, noise" || !post.Opening {
		t.Errorf("edited post %+v", post)
	}
	decodeAPIError(t, w.bob.call(http.MethodPatch, w.grpPath+"/posts/"+thread.OpeningPostID, map[string]any{"body": "hijack", "content_warning": ""}, http.StatusForbidden, nil))

	// How the thread looks to each reader.
	page := func(c *apiClient) apiThreadPageJSON {
		var p apiThreadPageJSON
		c.call(http.MethodGet, threadPath, nil, http.StatusOK, &p)
		if len(p.Posts) != 2 {
			t.Fatalf("posts %+v", p.Posts)
		}
		return p
	}
	pa := page(w.alice)
	if r := pa.Posts[1]; r.Author != nil || !r.Anonymous || r.Mine {
		t.Errorf("alice sees the reply as %+v", r)
	}
	if !strings.Contains(string(mustJSON(t, pa.Posts[1])), `"author":null`) {
		t.Errorf("masked author is not null: %s", mustJSON(t, pa.Posts[1]))
	}
	if o := pa.Posts[0]; !o.Opening || o.Author["handle"] != "alice" || o.ContentWarning != "crowds, noise" || o.Body != "It was *loud*." {
		t.Errorf("alice sees her opening post as %+v", o)
	}
	if pb := page(w.bob); pb.Posts[1].Author["handle"] != "bob" || !pb.Posts[1].Mine || pb.Posts[1].Reactions["me_too"] != 1 || len(pb.Posts[1].MyReactions) != 0 {
		t.Errorf("bob sees his reply as %+v", pb.Posts[1])
	}
	// The operator is the organisation's admin, yet the thread does not
	// name the author even to them: seeing who wrote an anonymous post is
	// a deliberate, audited reveal (POST …/p/{post}/reveal), never a side
	// effect of reading.
	if po := page(w.op); po.Posts[1].Author != nil || !po.Posts[1].Anonymous || po.Posts[1].Mine {
		t.Errorf("the admin sees the reply as %+v", po.Posts[1])
	}

	var list struct {
		Threads []map[string]any `json:"threads"`
		Page    int              `json:"page"`
		More    bool             `json:"more"`
	}
	w.bob.call(http.MethodGet, w.grpPath+"/threads", nil, http.StatusOK, &list)
	if len(list.Threads) != 1 || list.Threads[0]["content_warning"] != "crowds, noise" || list.Threads[0]["reply_count"] != 1.0 || list.Page != 1 || list.More {
		t.Errorf("threads %+v", list)
	}

	// Bob deletes his reply; it stays as a deleted placeholder.
	w.bob.call(http.MethodDelete, w.grpPath+"/posts/"+reply.ID, nil, http.StatusNoContent, nil)
	if d := page(w.alice).Posts[1]; !d.Deleted || d.Body != "" || d.BodyHTML != "" {
		t.Errorf("deleted reply %+v", d)
	}
	// Alice may not delete the operator's… she has no such power over others.
	w.op.call(http.MethodPost, threadPath+"/replies", map[string]any{"body": "Welcome!"}, http.StatusCreated, &post)
	decodeAPIError(t, w.alice.call(http.MethodDelete, w.grpPath+"/posts/"+post.ID, nil, http.StatusForbidden, nil))
}

type apiPostJSON struct {
	ID             string         `json:"id"`
	Author         map[string]any `json:"author"`
	Anonymous      bool           `json:"anonymous"`
	Opening        bool           `json:"opening"`
	Body           string         `json:"body"`
	BodyHTML       string         `json:"body_html"`
	ContentWarning string         `json:"content_warning"`
	EditedAt       *string        `json:"edited_at"`
	Deleted        bool           `json:"deleted"`
	Mine           bool           `json:"mine"`
	Reactions      map[string]int `json:"reactions"`
	MyReactions    []string       `json:"my_reactions"`
}

type apiThreadPageJSON struct {
	Thread map[string]any `json:"thread"`
	Posts  []apiPostJSON  `json:"posts"`
}

func mustJSON(t *testing.T, v any) []byte {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestAPIOrganizationsAndGroups(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)

	var orgs struct {
		Organizations []struct {
			Slug       string         `json:"slug"`
			Membership map[string]any `json:"membership"`
			Can        map[string]any `json:"can"`
		} `json:"organizations"`
	}
	w.alice.call(http.MethodGet, "/organizations", nil, http.StatusOK, &orgs)
	if len(orgs.Organizations) != 1 || orgs.Organizations[0].Membership["status"] != "active" || orgs.Organizations[0].Can["manage"] != false {
		t.Errorf("alice's organisations %+v", orgs)
	}

	// Only operators create organisations; the operator is its first admin.
	decodeAPIError(t, w.alice.call(http.MethodPost, "/organizations", map[string]any{"name": "Mine", "kind": "school"}, http.StatusForbidden, nil))
	var created map[string]any
	w.op.call(http.MethodPost, "/organizations", map[string]any{"name": "Second place", "kind": "school"}, http.StatusCreated, &created)
	if m, _ := created["membership"].(map[string]any); created["slug"] != "second-place" || m == nil || m["status"] != "active" ||
		created["can"].(map[string]any)["manage"] != true {
		t.Errorf("created organisation %v", created)
	}
	var updated map[string]any
	w.op.call(http.MethodPatch, "/organizations/second-place", map[string]any{"name": "Second place, renamed"}, http.StatusOK, &updated)
	if updated["name"] != "Second place, renamed" || updated["membership"] == nil {
		t.Errorf("updated organisation %v", updated)
	}

	var group map[string]any
	w.alice.call(http.MethodGet, w.grpPath, nil, http.StatusOK, &group)
	if group["slug"] != "circle" || group["membership"].(map[string]any)["status"] != "active" || group["member_count"] != 3.0 {
		t.Errorf("group %v", group)
	}
	if can := group["can"].(map[string]any); can["read"] != true || can["post"] != true || can["manage"] != false || can["join"] != false {
		t.Errorf("can %v", can)
	}

	// A private group: joining waits for a facilitator.
	w.op.call(http.MethodPost, w.orgPath+"/groups", map[string]any{"name": "Parents", "topic": "For parents", "visibility": "private"}, http.StatusCreated, &group)
	if group["slug"] != "parents" || group["membership"].(map[string]any)["role"] != "facilitator" {
		t.Errorf("created group %v", group)
	}
	var joined map[string]any
	w.bob.call(http.MethodPost, w.orgPath+"/groups/parents/join", nil, http.StatusOK, &joined)
	if joined["status"] != "pending" {
		t.Errorf("joined %v", joined)
	}
	decodeAPIError(t, w.bob.call(http.MethodGet, w.orgPath+"/groups/parents/threads", nil, http.StatusForbidden, nil))
	var members struct {
		Members []struct {
			AccountID string `json:"account_id"`
			Handle    string `json:"handle"`
			Status    string `json:"status"`
		} `json:"members"`
	}
	w.op.call(http.MethodGet, w.orgPath+"/groups/parents/members?status=pending", nil, http.StatusOK, &members)
	if len(members.Members) != 1 || members.Members[0].Handle != "bob" {
		t.Fatalf("pending %+v", members)
	}
	w.op.call(http.MethodPost, w.orgPath+"/groups/parents/members/"+members.Members[0].AccountID+"/approve", nil, http.StatusOK, nil)
	w.bob.call(http.MethodGet, w.orgPath+"/groups/parents/threads", nil, http.StatusOK, nil)
	decodeAPIError(t, w.bob.call(http.MethodGet, w.orgPath+"/groups/parents/members", nil, http.StatusForbidden, nil))

	// Roles: make alice a moderator.
	var orgMembers struct {
		Members []struct {
			AccountID string   `json:"account_id"`
			Handle    string   `json:"handle"`
			Roles     []string `json:"roles"`
		} `json:"members"`
	}
	w.op.call(http.MethodGet, w.orgPath+"/members", nil, http.StatusOK, &orgMembers)
	var aliceID string
	for _, m := range orgMembers.Members {
		if m.Handle == "alice" {
			aliceID = m.AccountID
		}
	}
	var member struct {
		Roles []string `json:"roles"`
	}
	w.op.call(http.MethodPut, w.orgPath+"/members/"+aliceID+"/roles", map[string]any{"roles": []string{"moderator"}}, http.StatusOK, &member)
	if !slices.Equal(member.Roles, []string{"member", "moderator"}) {
		t.Errorf("roles %v", member.Roles)
	}
	e := decodeAPIError(t, w.op.call(http.MethodPut, w.orgPath+"/members/"+aliceID+"/roles", map[string]any{"roles": []string{"overlord"}}, http.StatusUnprocessableEntity, nil))
	if e.Error.Code != kindred.EINVALID || e.Error.Fields["roles"] == "" {
		t.Errorf("unknown role %+v", e)
	}
	decodeAPIError(t, w.bob.call(http.MethodGet, w.orgPath+"/members", nil, http.StatusForbidden, nil))

	// Invitations into a hidden group.
	w.op.call(http.MethodPost, w.orgPath+"/groups", map[string]any{"name": "Quiet room", "slug": "quiet", "topic": "Hidden", "visibility": "hidden"}, http.StatusCreated, &group)
	var inv struct {
		ID, Code, Link string
	}
	w.op.call(http.MethodPost, w.orgPath+"/invites", map[string]any{"group_id": group["id"], "max_uses": 2, "expires_in_hours": 24, "note": "for bob"}, http.StatusCreated, &inv)
	if inv.Code == "" || inv.Link != "/invite/"+inv.Code {
		t.Fatalf("invite %+v", inv)
	}
	var invites struct {
		Invites []map[string]any `json:"invites"`
	}
	w.op.call(http.MethodGet, w.orgPath+"/invites", nil, http.StatusOK, &invites)
	if len(invites.Invites) != 1 || invites.Invites[0]["uses"] != 0.0 || invites.Invites[0]["code"] != nil {
		t.Errorf("invites %v", invites)
	}
	decodeAPIError(t, w.bob.call(http.MethodGet, w.orgPath+"/groups/quiet", nil, http.StatusNotFound, nil))
	var accepted struct {
		Organization map[string]any `json:"organization"`
		Group        map[string]any `json:"group"`
	}
	w.bob.call(http.MethodPost, "/invites/"+inv.Code+"/accept", map[string]any{}, http.StatusOK, &accepted)
	if accepted.Group["slug"] != "quiet" || accepted.Organization["slug"] != "rainbow" {
		t.Errorf("accepted %+v", accepted)
	}
	w.bob.call(http.MethodGet, w.orgPath+"/groups/quiet", nil, http.StatusOK, nil)
	w.op.call(http.MethodDelete, w.orgPath+"/invites/"+inv.ID, nil, http.StatusNoContent, nil)
	e = decodeAPIError(t, w.alice.call(http.MethodPost, "/invites/"+inv.Code+"/accept", map[string]any{"accept_conduct": true}, http.StatusGone, nil))
	if e.Error.Code != kindred.EGONE {
		t.Errorf("revoked invite %+v", e)
	}

	// Leaving.
	w.bob.call(http.MethodPost, w.grpPath+"/leave", nil, http.StatusNoContent, nil)
	w.bob.call(http.MethodPost, w.orgPath+"/leave", nil, http.StatusNoContent, nil)
	decodeAPIError(t, w.bob.call(http.MethodGet, w.orgPath+"/groups", nil, http.StatusForbidden, nil))
	e = decodeAPIError(t, w.op.call(http.MethodPost, w.orgPath+"/leave", nil, http.StatusConflict, nil))
	if e.Error.Code != kindred.ECONFLICT {
		t.Errorf("last admin leaving: %+v", e)
	}
}

// TestAPIHiddenGroupLooksMissing checks that a hidden group answers a
// member outside it exactly as a group that does not exist.
func TestAPIHiddenGroupLooksMissing(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	w.op.call(http.MethodPost, w.orgPath+"/groups", map[string]any{"name": "Secret", "topic": "Hidden", "visibility": "hidden"}, http.StatusCreated, nil)

	for _, suffix := range []string{"", "/threads", "/members", "/join"} {
		method := http.MethodGet
		if suffix == "/join" {
			method = http.MethodPost
		}
		hidden := w.bob.call(method, w.orgPath+"/groups/secret"+suffix, nil, http.StatusNotFound, nil)
		missing := w.bob.call(method, w.orgPath+"/groups/no-such-group"+suffix, nil, http.StatusNotFound, nil)
		if !bytes.Equal(hidden.Body, missing.Body) {
			t.Errorf("%s %s: hidden %s, missing %s", method, suffix, hidden.Body, missing.Body)
		}
		if e := decodeAPIError(t, hidden); e.Error.Code != kindred.ENOTFOUND {
			t.Errorf("hidden %+v", e)
		}
	}
	var list struct {
		Groups []struct{ Slug string } `json:"groups"`
	}
	w.bob.call(http.MethodGet, w.orgPath+"/groups", nil, http.StatusOK, &list)
	if len(list.Groups) != 1 || list.Groups[0].Slug != "circle" {
		t.Errorf("bob's groups %+v", list)
	}
	w.op.call(http.MethodGet, w.orgPath+"/groups/secret", nil, http.StatusOK, nil)
}

func TestAPIErrorShape(t *testing.T) {
	t.Parallel()
	w := newAPIWorld(t)
	anon := &apiClient{t: t, base: w.alice.base, http: &http.Client{}}

	cases := []struct {
		name       string
		c          *apiClient
		method     string
		path       string
		body       any
		status     int
		code       string
		wantFields []string
	}{
		{"schema validation", anon, http.MethodPost, "/accounts", map[string]any{"handle": "x", "age_band": "old"},
			http.StatusUnprocessableEntity, kindred.EINVALID, []string{"handle", "password", "age_band"}},
		{"unknown field", w.alice, http.MethodPatch, "/me", map[string]any{"is_operator": true},
			http.StatusUnprocessableEntity, kindred.EINVALID, []string{"is_operator"}},
		{"too long", w.alice, http.MethodPost, w.grpPath + "/threads", map[string]any{"title": strings.Repeat("t", kindred.MaxThreadTitle+1), "body": "b"},
			http.StatusUnprocessableEntity, kindred.EINVALID, []string{"title"}},
		{"service validation", w.alice, http.MethodPost, w.grpPath + "/threads", map[string]any{"title": "  ", "body": "b"},
			http.StatusUnprocessableEntity, kindred.EINVALID, []string{"title"}},
		{"bad query", w.alice, http.MethodGet, w.grpPath + "/threads?page=0", nil,
			http.StatusUnprocessableEntity, kindred.EINVALID, []string{"page"}},
		{"malformed JSON", w.alice, http.MethodPost, w.grpPath + "/threads", `{"title":`,
			http.StatusUnprocessableEntity, kindred.EINVALID, nil},
		{"missing body", w.alice, http.MethodPost, "/tokens", nil,
			http.StatusUnprocessableEntity, kindred.EINVALID, nil},
		{"too large", w.alice, http.MethodPost, "/tokens", `{"name":"` + strings.Repeat("n", apiSmallBody) + `"}`,
			http.StatusRequestEntityTooLarge, kindred.ETOOLARGE, nil},
		{"signed out", anon, http.MethodGet, "/me", nil, http.StatusUnauthorized, kindred.EUNAUTHORIZED, nil},
		{"signed out, service", anon, http.MethodPost, w.grpPath + "/join", nil, http.StatusUnauthorized, kindred.EUNAUTHORIZED, nil},
		{"unknown route", w.alice, http.MethodGet, "/no/such/thing", nil, http.StatusNotFound, kindred.ENOTFOUND, nil},
		{"unknown organisation", w.alice, http.MethodGet, "/organizations/nope", nil, http.StatusNotFound, kindred.ENOTFOUND, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := *tc.c
			c.t = t
			res := c.call(tc.method, tc.path, tc.body, tc.status, nil)
			e := decodeAPIError(t, res)
			if e.Error.Code != tc.code {
				t.Errorf("code %q, want %q", e.Error.Code, tc.code)
			}
			var got []string
			for f := range e.Error.Fields {
				got = append(got, f)
			}
			slices.Sort(got)
			want := slices.Sorted(slices.Values(tc.wantFields))
			if !slices.Equal(got, want) {
				t.Errorf("fields %v, want %v (%s)", got, want, res.Body)
			}
			if tc.status == http.StatusUnauthorized && res.Header.Get("Www-Authenticate") == "" && tc.path != "/no/such/thing" {
				t.Errorf("401 without WWW-Authenticate")
			}
			if res.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control %q", res.Header.Get("Cache-Control"))
			}
		})
	}
}

func TestAPIOpenAPIDocument(t *testing.T) {
	t.Parallel()
	s, ts, _ := newTestServer(t)
	c := newAPIClient(t, ts)
	res := c.call(http.MethodGet, "/openapi.json", nil, http.StatusOK, nil)
	var doc struct {
		OpenAPI string                               `json:"openapi"`
		Paths   map[string]map[string]map[string]any `json:"paths"`
		Comp    struct {
			Schemas         map[string]map[string]any `json:"schemas"`
			SecuritySchemes map[string]map[string]any `json:"securitySchemes"`
		} `json:"components"`
	}
	if err := json.Unmarshal(res.Body, &doc); err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(doc.OpenAPI, "3.1.") {
		t.Errorf("openapi %q", doc.OpenAPI)
	}
	body := string(res.Body)
	for _, forbidden := range []string{"$schema", "http://", "https://", "password_hash", "session_id"} {
		if strings.Contains(body, forbidden) {
			t.Errorf("document contains %q", forbidden)
		}
	}
	ids := map[string]bool{}
	for _, item := range doc.Paths {
		for _, op := range item {
			if id, ok := op["operationId"].(string); ok {
				ids[id] = true
			}
		}
	}
	for _, id := range []string{"createAccount", "createSession", "getMe", "createOrganization", "listOrganizations",
		"joinOrganization", "createInvite", "createGroup", "listGroups", "getGroup", "joinGroup", "approveMembership",
		"createThread", "listThreads", "getThread", "createReply", "updatePost", "deletePost", "addReaction"} {
		if !ids[id] {
			t.Errorf("no operation %s", id)
		}
	}
	if doc.Comp.SecuritySchemes["bearer"]["scheme"] != "bearer" || doc.Comp.SecuritySchemes["session"]["name"] != SessionCookie {
		t.Errorf("security schemes %v", doc.Comp.SecuritySchemes)
	}
	if _, ok := doc.Comp.Schemas["ErrorResponse"]["properties"].(map[string]any)["error"]; !ok {
		t.Errorf("error schema %v", doc.Comp.Schemas["ErrorResponse"])
	}

	// Length limits in the schema match the vocabulary's.
	limits := []struct {
		schema, prop string
		max          int
	}{
		{"SignupInputBody", "handle", kindred.MaxHandle},
		{"SignupInputBody", "password", kindred.MaxPassword},
		{"SignupInputBody", "display_name", kindred.MaxDisplayName},
		{"SignupInputBody", "pronouns", kindred.MaxPronouns},
		{"SignupInputBody", "email", kindred.MaxEmail},
		{"ProfileInputBody", "bio", kindred.MaxBio},
		{"TokenInputBody", "name", kindred.MaxTokenName},
		{"OrgCreateInputBody", "name", kindred.MaxOrgName},
		{"OrgCreateInputBody", "slug", kindred.MaxSlug},
		{"OrgCreateInputBody", "description", kindred.MaxOrgDescription},
		{"OrgCreateInputBody", "code_of_conduct", kindred.MaxCodeOfConduct},
		{"OrgUpdateInputBody", "code_of_conduct", kindred.MaxCodeOfConduct},
		{"InviteCreateInputBody", "note", kindred.MaxInviteNote},
		{"GroupCreateInputBody", "name", kindred.MaxGroupName},
		{"GroupCreateInputBody", "topic", kindred.MaxGroupTopic},
		{"GroupCreateInputBody", "description", kindred.MaxGroupDescription},
		{"GroupCreateInputBody", "guidelines", kindred.MaxGuidelines},
		{"GroupUpdateInputBody", "guidelines", kindred.MaxGuidelines},
		{"ThreadCreateInputBody", "title", kindred.MaxThreadTitle},
		{"ThreadCreateInputBody", "body", kindred.MaxPostBody},
		{"ThreadCreateInputBody", "content_warning", kindred.MaxContentWarning},
		{"ReplyInputBody", "body", kindred.MaxPostBody},
		{"PostEditInputBody", "content_warning", kindred.MaxContentWarning},
	}
	for _, l := range limits {
		props, _ := doc.Comp.Schemas[l.schema]["properties"].(map[string]any)
		p, _ := props[l.prop].(map[string]any)
		if got, _ := p["maxLength"].(float64); int(got) != l.max {
			t.Errorf("%s.%s maxLength %v, want %d", l.schema, l.prop, p["maxLength"], l.max)
		}
	}

	// Every operation is listed for the authorization matrix, with its prefix.
	ops := s.APIOperations()
	if len(ops) != len(ids) {
		t.Errorf("APIOperations lists %d, the document %d", len(ops), len(ids))
	}
	if !slices.IsSortedFunc(ops, func(a, b APIOperation) int { return strings.Compare(a.Path+" "+a.Method, b.Path+" "+b.Method) }) {
		t.Error("APIOperations not sorted")
	}
	for _, op := range ops {
		if !strings.HasPrefix(op.Path, apiPrefix+"/") || op.OperationID == "" || op.Method == "" {
			t.Errorf("operation %+v", op)
		}
	}
}

// TestAPIEnumsMatchVocabulary keeps the schema's enums in step with the
// vocabulary's lists.
func TestAPIEnumsMatchVocabulary(t *testing.T) {
	t.Parallel()
	s, _, _ := newTestServer(t)
	schemas := s.api.OpenAPI().Components.Schemas.Map()
	enum := func(schema, prop string) []string {
		var out []string
		p := schemas[schema].Properties[prop]
		if p.Items != nil {
			p = p.Items
		}
		for _, v := range p.Enum {
			out = append(out, v.(string))
		}
		return out
	}
	strs := func(vs ...any) []string {
		var out []string
		for _, v := range vs {
			switch x := v.(type) {
			case string:
				out = append(out, x)
			default:
				b, _ := json.Marshal(x)
				out = append(out, strings.Trim(string(b), `"`))
			}
		}
		return out
	}
	var roleNames []string
	for _, r := range kindred.AllRoles {
		roleNames = append(roleNames, r.Name())
	}
	var codes []string
	for _, c := range []string{kindred.EINVALID, kindred.ENOTFOUND, kindred.EUNAUTHORIZED, kindred.EFORBIDDEN, kindred.ECONFLICT,
		kindred.ERATELIMIT, kindred.ETOOLARGE, kindred.EGONE, kindred.EAGE, kindred.ECSRF, kindred.EUNAVAILABLE, kindred.EINTERNAL} {
		codes = append(codes, c)
	}
	checks := []struct {
		schema, prop string
		want         []string
	}{
		{"Account", "age_band", strs(anySlice(kindred.AgeBands)...)},
		{"OrganizationInfo", "kind", strs(anySlice(kindred.OrgKinds)...)},
		{"OrganizationInfo", "join_policy", strs(anySlice(kindred.JoinPolicies)...)},
		{"GroupInfo", "visibility", strs(anySlice(kindred.Visibilities)...)},
		{"GroupInfo", "age_rule", strs(anySlice(kindred.AgeRules)...)},
		{"Thread", "kind", strs(anySlice(kindred.ThreadKinds)...)},
		{"Post", "my_reactions", strs(anySlice(kindred.ReactionKinds)...)},
		{"Member", "roles", roleNames},
		{"RolesInputBody", "roles", roleNames},
		{"ErrorInfo", "code", codes},
	}
	for _, c := range checks {
		if got := enum(c.schema, c.prop); !slices.Equal(got, c.want) {
			t.Errorf("%s.%s enum %v, want %v", c.schema, c.prop, got, c.want)
		}
	}
}

func anySlice[T any](xs []T) []any {
	out := make([]any, len(xs))
	for i, x := range xs {
		out[i] = x
	}
	return out
}

// TestAPIInternalError checks that a failure of ours is logged with the
// request id and shown only as the kind generic message.
func TestAPIInternalError(t *testing.T) {
	t.Parallel()
	var logs syncBuffer
	_, ts, store := newTestServerLogging(t, &logs)
	if err := store.Close(); err != nil { // the database goes away
		t.Fatal(err)
	}
	c := newAPIClient(t, ts)
	res := c.call(http.MethodGet, "/organizations", nil, http.StatusInternalServerError, nil)
	e := decodeAPIError(t, res)
	if e.Error.Code != kindred.EINTERNAL || e.Error.Message != kindred.ErrorMessage(errors.New("x")) {
		t.Errorf("internal error shown as %+v", e)
	}
	if strings.Contains(string(res.Body), "sql") || strings.Contains(string(res.Body), "closed") {
		t.Errorf("detail leaked: %s", res.Body)
	}
	id := res.Header.Get("X-Request-Id")
	if got := logs.String(); !strings.Contains(got, "internal error") || !strings.Contains(got, "request_id="+id) ||
		!strings.Contains(got, "operation=listOrganizations") || !strings.Contains(got, "closed") {
		t.Errorf("log %q lacks the internal error for request %s", got, id)
	}
}
