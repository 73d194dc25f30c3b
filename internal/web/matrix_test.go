package web_test

// The authorization matrix (DESIGN.md, convention 8): every HTML route and
// every API operation has an entry here saying how to build a valid request
// and which access class it belongs to; the test sends that request as every
// kind of person (role × group visibility × group membership) and checks the
// answer against the product's rules, written out plainly below. A route or
// operation without an entry fails the test, and so does an entry for a
// route that no longer exists.
//
// The expectations are derived from PRODUCT.md and DESIGN.md, never from
// internal/access: calling access.Can here would test the policy against
// itself.

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"maps"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"kindred"
	"kindred/internal/accounts"
	"kindred/internal/kindredtest"
	"kindred/internal/sqlstore"
	"kindred/internal/sqlstore/sqlstoretest"
	"kindred/internal/web"
)

// mxOutcome is how a request ended, as far as authorization goes.
type mxOutcome int

const (
	mxAllowed   mxOutcome = iota // 2xx, or a redirect that is not to the log-in page
	mxLogIn                      // 401, or 303 to /login: refused until the person logs in
	mxForbidden                  // 403
	mxHidden                     // 404: as if it did not exist
	mxConflict                   // 409
	mxOther                      // anything else; 422 means the test sent an invalid request
)

func (o mxOutcome) String() string {
	return [...]string{"allowed", "refused (log in)", "forbidden (403)", "hidden (404)", "conflict (409)", "other"}[o]
}

func mxClassify(status int, location string) mxOutcome {
	switch {
	case status == http.StatusUnauthorized:
		return mxLogIn
	case status >= 300 && status < 400 && strings.HasPrefix(location, "/login"):
		return mxLogIn
	case status >= 200 && status < 400:
		return mxAllowed
	case status == http.StatusForbidden:
		return mxForbidden
	case status == http.StatusNotFound:
		return mxHidden
	case status == http.StatusConflict:
		return mxConflict
	}
	return mxOther
}

// mxClass is who may use a route.
type mxClass int

const (
	mxPublic       mxClass = iota // anyone, visitors included
	mxSignedIn                    // anyone signed in
	mxOperatorOnly                // the instance operator
	mxTokenOwner                  // the token's owner; others' tokens look missing
	mxOrgMember                   // active members of the organisation
	mxOrgAdmin                    // admins of this organisation
	mxGroupCreate                 // admins and facilitators (organisation role) of this organisation
	mxGroupView                   // whoever can see the group
	mxGroupJoin                   // visible non-members whose age fits; not hidden groups
	mxGroupLeave                  // whoever can see the group (a no-op for non-members)
	mxGroupManage                 // organisation admins and the group's facilitators
	mxGroupRead                   // readers of the group's conversations
	mxGroupPost                   // active group members whose age fits, or who facilitate it
	mxPostOwner                   // the post's author, while they may post
	mxPostModerate                // the author, organisation admins/moderators, the group's facilitators
	mxNotFound                    // catch-alls: 404 for everyone
	mxSetupDone                   // instance set-up: 409 once the instance is set up
)

var mxClassNames = map[mxClass]string{mxPublic: "public", mxSignedIn: "signedIn", mxOperatorOnly: "operatorOnly",
	mxTokenOwner: "tokenOwner", mxOrgMember: "orgMember", mxOrgAdmin: "orgAdmin", mxGroupCreate: "groupCreate",
	mxGroupView: "groupView", mxGroupJoin: "groupJoin", mxGroupLeave: "groupLeave", mxGroupManage: "groupManage",
	mxGroupRead: "groupRead", mxGroupPost: "groupPost", mxPostOwner: "postOwner", mxPostModerate: "postModerate",
	mxNotFound: "notFound", mxSetupDone: "setupDone"}

func (c mxClass) String() string { return mxClassNames[c] }

// mxScope says which dimensions of the matrix a route varies over.
type mxScope int

const (
	mxInstance mxScope = iota // roles only
	mxOrg                     // roles only; also checked against an unlisted organisation
	mxGroup                   // roles × group kinds × group memberships
)

// Roles: who the person is with respect to the organisation "rainbow".
const (
	roleVisitor     = "visitor"
	roleOutsider    = "outsider"       // signed in, no membership anywhere
	roleOperator    = "operator"       // runs the instance; no membership in rainbow
	rolePending     = "pending"        // asked to join rainbow, waiting
	roleMember      = "member"         // 18+
	roleYouth       = "youth"          // 13–17
	rolePeer        = "peer_supporter" // organisation roles from here on
	roleCoordinator = "coordinator"
	roleFacilitator = "facilitator" // the organisation role; not a facilitator of the group in view
	roleModerator   = "moderator"
	roleAdmin       = "admin"
	roleOtherAdmin  = "other_admin" // admin of another organisation, not a member of rainbow
)

var mxRoles = []string{roleVisitor, roleOutsider, roleOperator, rolePending, roleMember, roleYouth, rolePeer,
	roleCoordinator, roleFacilitator, roleModerator, roleAdmin, roleOtherAdmin}

// Active members of rainbow and their organisation roles.
var mxOrgRoles = map[string]kindred.Role{roleMember: kindred.RoleMember, roleYouth: kindred.RoleMember,
	rolePeer: kindred.RolePeerSupporter, roleCoordinator: kindred.RoleCoordinator, roleFacilitator: kindred.RoleFacilitator,
	roleModerator: kindred.RoleModerator, roleAdmin: kindred.RoleAdmin}

// Group kinds.
const (
	kindPublic  = "public"  // public, all ages
	kindPrivate = "private" // private, all ages
	kindHidden  = "hidden"  // hidden, all ages
	kindYouth   = "youth"   // public, ages 13–17 only
)

var mxKinds = []string{kindPublic, kindPrivate, kindHidden, kindYouth}

// Group memberships.
const (
	gmNone         = "none"
	gmPending      = "pending"
	gmActive       = "active"
	gmFacilitating = "facilitating" // a facilitator of this group
)

// mxMemberships lists, per organisation role, the group memberships worth
// trying: a pending request matters to ordinary members (it grants nothing);
// facilitating matters to those whose group powers could be confused with
// their organisation role; for the rest, being in the group or not.
var mxMemberships = map[string][]string{
	roleMember:      {gmNone, gmPending, gmActive, gmFacilitating},
	roleYouth:       {gmNone, gmPending, gmActive, gmFacilitating},
	rolePeer:        {gmNone, gmActive},
	roleCoordinator: {gmNone, gmActive},
	roleFacilitator: {gmNone, gmActive, gmFacilitating},
	roleModerator:   {gmNone, gmActive, gmFacilitating},
	roleAdmin:       {gmNone, gmActive},
}

// mxCell is one person asking one route about one group.
type mxCell struct {
	role, kind, membership string
	own                    bool // the post or token in the request is the person's own

	who     *mxActor
	org     *kindred.Organization
	group   *kindred.Group
	thread  string
	post    string
	target  string // the account acted on (approve, remove, roles)
	invite  string // an invitation id (revoke)
	code    string // an invitation code
	tokenID string
}

func (c *mxCell) String() string {
	s := c.role + "/" + c.kind + "/" + c.membership
	if c.own {
		s += "/own"
	}
	return s
}

// The facts about the person, in the product's words.

func (c *mxCell) signedIn() bool { return c.role != roleVisitor }

// orgActive: an active member of rainbow, whatever their roles.
func (c *mxCell) orgActive() bool { _, ok := mxOrgRoles[c.role]; return ok }

// oversees: admins and moderators keep every group of their organisation
// safe, hidden ones included.
func (c *mxCell) oversees() bool { return c.role == roleAdmin || c.role == roleModerator }

func (c *mxCell) inGroup() bool { return c.membership == gmActive || c.membership == gmFacilitating }

func (c *mxCell) facilitates() bool { return c.membership == gmFacilitating }

// ageFits: youth-only groups are for 13–17 year olds; every other account
// in the matrix is an adult.
func (c *mxCell) ageFits() bool { return c.kind != kindYouth || c.role == roleYouth }

// seesGroup: public and private groups are visible to every active member of
// the organisation; hidden ones only to their active members and to admins
// and moderators.
func (c *mxCell) seesGroup() bool { return c.kind != kindHidden || c.inGroup() || c.oversees() }

// readsGroup: a group's conversations are open to its active members and to
// admins and moderators; a public group's also to every member whose age fits.
func (c *mxCell) readsGroup() bool {
	if !c.seesGroup() {
		return false
	}
	if c.inGroup() || c.oversees() {
		return true
	}
	return (c.kind == kindPublic || c.kind == kindYouth) && c.ageFits()
}

// postsInGroup: active group members post while their age fits; the group's
// facilitators always may.
func (c *mxCell) postsInGroup() bool { return c.inGroup() && (c.ageFits() || c.facilitates()) }

// mxExpect is the rule: what a cell should get from a route of class k.
func mxExpect(k mxClass, c *mxCell) mxOutcome {
	switch k {
	case mxPublic:
		return mxAllowed
	case mxNotFound:
		return mxHidden
	case mxSetupDone:
		return mxConflict // nobody may take over an instance that is set up
	}
	if !c.signedIn() {
		return mxLogIn
	}
	switch k {
	case mxSignedIn:
		return mxAllowed
	case mxTokenOwner:
		if c.own {
			return mxAllowed
		}
		return mxHidden // someone else's token is none of your business
	case mxOperatorOnly:
		if c.role == roleOperator {
			return mxAllowed
		}
		return mxForbidden
	case mxOrgAdmin:
		// Staff powers are per organisation: an admin of another one, or
		// the operator, has none here. rainbow is listed, so outsiders
		// know it exists and get 403.
		if c.role == roleAdmin {
			return mxAllowed
		}
		return mxForbidden
	}
	if !c.orgActive() {
		return mxForbidden // groups are for members; pending requests included
	}
	switch k {
	case mxOrgMember:
		return mxAllowed
	case mxGroupCreate:
		if c.role == roleAdmin || c.role == roleFacilitator {
			return mxAllowed
		}
		return mxForbidden
	}
	if !c.seesGroup() {
		return mxHidden
	}
	switch k {
	case mxGroupView, mxGroupLeave:
		return mxAllowed
	case mxGroupJoin:
		switch {
		case c.membership != gmNone:
			return mxAllowed // already in, or already asked: nothing to do
		case c.kind == kindHidden:
			return mxForbidden // invitation only, even for staff who can see it
		case !c.ageFits():
			return mxForbidden
		}
		return mxAllowed
	case mxGroupManage:
		// Moderators keep groups safe but do not run them.
		if c.role == roleAdmin || c.facilitates() {
			return mxAllowed
		}
		return mxForbidden
	}
	if !c.readsGroup() {
		return mxForbidden
	}
	switch k {
	case mxGroupRead:
		return mxAllowed
	case mxGroupPost:
		if c.postsInGroup() {
			return mxAllowed
		}
		return mxForbidden
	case mxPostOwner:
		if c.own && c.postsInGroup() {
			return mxAllowed
		}
		return mxForbidden
	case mxPostModerate:
		if c.own || c.oversees() || c.facilitates() {
			return mxAllowed
		}
		return mxForbidden
	}
	panic(fmt.Sprintf("no rule for class %v", k))
}

// mxNeeds lists what a state-changing request mutates, so it is built fresh
// for each cell; everything else is shared.
type mxNeeds uint

const (
	needSubject      mxNeeds = 1 << iota // a fresh account with the cell's memberships
	needSession                          // a fresh session of the shared account
	needOrgPending                       // a fresh target asking to join the organisation
	needOrgMember                        // a fresh target member of the organisation
	needGroupPending                     // a fresh target asking to join the group
	needGroupMember                      // a fresh target member of the group
	needPost                             // a fresh post (own or someone else's)
	needToken                            // a fresh token (own or someone else's)
	needInvite                           // a fresh invitation
)

// mxRequest is one request to send.
type mxRequest struct {
	method, path string
	form         url.Values // HTML forms
	json         any        // API bodies
}

// mxEntry is a route's row in the matrix.
type mxEntry struct {
	class mxClass
	scope mxScope
	needs mxNeeds
	build func(w *mxWorld, c *mxCell) mxRequest
	// notInRoutes marks documents huma serves itself, which Routes() and
	// APIOperations() do not list; the test checks they are still served.
	notInRoutes bool
	// serial, when set, is held while each of the entry's cells runs:
	// entries that change the same per-person state (a two-step set-up)
	// share one, so that a cell of one never runs between another's
	// preparing and its request.
	serial *sync.Mutex
	// expect, when set, replaces the class's expectation: for routes whose
	// rule is not one of the shared classes (live rooms, for instance).
	expect func(c *mxCell) mxOutcome
	// setup, when set, runs before build for each cell (after the cell's
	// needs are prepared), e.g. to let the cell's person enter a room.
	setup func(t testing.TB, w *mxWorld, c *mxCell)
}

func get(path string) mxRequest { return mxRequest{method: http.MethodGet, path: path} }

func postForm(path string, kv ...string) mxRequest {
	f := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		f.Add(kv[i], kv[i+1])
	}
	return mxRequest{method: http.MethodPost, path: path, form: f}
}

func api(method, path string, body any) mxRequest {
	return mxRequest{method: method, path: "/api/v1" + path, json: body}
}

func orgURL(c *mxCell) string   { return "/o/" + c.org.Slug }
func groupURL(c *mxCell) string { return orgURL(c) + "/g/" + c.group.Slug }
func apiOrg(c *mxCell) string   { return "/organizations/" + c.org.Slug }
func apiGroup(c *mxCell) string { return apiOrg(c) + "/groups/" + c.group.Slug }

// The matrix. Keys are the patterns of Server.Routes() and "METHOD PATH" of
// Server.APIOperations().
func mxMatrix() map[string]mxEntry {
	groupForm := func(c *mxCell) []string {
		g := c.group // the group's own settings, sent back unchanged
		return []string{"name", g.Name, "topic", g.Topic, "description", g.Description, "guidelines", g.Guidelines,
			"visibility", string(g.Visibility), "age_rule", string(g.AgeRule)}
	}
	m := map[string]mxEntry{
		// Instance.
		"GET /{$}":     {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/") }},
		"GET /healthz": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/healthz") }},
		"GET /static/{file...}": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(w.cssPath)
		}},
		"GET /setup": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/setup") }},
		"POST /setup": {class: mxSetupDone, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/setup", "handle", w.unique("op"), "password", kindredtest.Password, "age_band", "25+",
				"org_name", "Another Centre", "org_slug", w.unique("org"), "org_kind", "community_centre", "join_policy", "open")
		}},
		"/": {class: mxNotFound, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/no/such/page") }},

		// Accounts.
		"GET /signup": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/signup") }},
		"POST /signup": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/signup", "handle", w.unique("new"), "password", kindredtest.Password, "age_band", "18-24")
		}},
		"GET /login": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/login") }},
		"POST /login": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/login", "handle", w.handleFor(c), "password", kindredtest.Password)
		}},
		// Logging out when not logged in does nothing and must never fail
		// (a page rendered before the session expired still has the
		// button), so it is open to visitors.
		"POST /logout": {class: mxPublic, needs: needSession, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/logout")
		}},
		"POST /logout-all": {class: mxSignedIn, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/logout-all")
		}},
		"GET /profile":  {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/profile") }},
		"GET /settings": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/settings") }},
		"POST /settings/profile": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/settings/profile", "display_name", w.handleFor(c), "pronouns", "they/them", "bio", "", "email", "")
		}},
		"POST /settings/password": {class: mxSignedIn, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/settings/password", "current_password", kindredtest.Password, "new_password", "a-new-password-456")
		}},
		"POST /settings/tokens": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/settings/tokens", "token_name", "matrix")
		}},
		"POST /settings/tokens/{id}/delete": {class: mxTokenOwner, needs: needToken, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/settings/tokens/" + c.tokenID + "/delete")
		}},

		// Invitations: the link is the credential, so anyone may look.
		"GET /invite/{code}": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/invite/" + c.code) }},
		"POST /invite/{code}": {class: mxSignedIn, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/invite/"+c.code, "accept_conduct", "on")
		}},

		// Organisations. rainbow is listed, so its landing page is public.
		"GET /o/{org}": {class: mxPublic, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest { return get(orgURL(c)) }},
		"POST /o/{org}/join": {class: mxSignedIn, scope: mxOrg, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/join", "accept_conduct", "on")
		}},
		"POST /o/{org}/me": {class: mxOrgMember, scope: mxOrg, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/me", "display_name", "Sunny")
		}},
		"POST /o/{org}/leave": {class: mxSignedIn, scope: mxOrg, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c) + "/leave")
		}},
		"GET /o/{org}/admin": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest { return get(orgURL(c) + "/admin") }},
		"POST /o/{org}/admin": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			o := c.org // its own settings, sent back unchanged
			return postForm(orgURL(c)+"/admin", "name", o.Name, "kind", string(o.Kind), "join_policy", string(o.JoinPolicy),
				"description", o.Description, "code_of_conduct", o.CodeOfConduct, "listed", "on")
		}},
		"GET /o/{org}/admin/members": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(orgURL(c) + "/admin/members")
		}},
		"POST /o/{org}/admin/members/{account}/roles": {class: mxOrgAdmin, scope: mxOrg, needs: needOrgMember, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/admin/members/"+c.target+"/roles", "roles", "peer_supporter")
		}},
		"POST /o/{org}/admin/members/{account}/approve": {class: mxOrgAdmin, scope: mxOrg, needs: needOrgPending, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c) + "/admin/members/" + c.target + "/approve")
		}},
		"POST /o/{org}/admin/members/{account}/remove": {class: mxOrgAdmin, scope: mxOrg, needs: needOrgMember, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c) + "/admin/members/" + c.target + "/remove")
		}},
		"GET /o/{org}/admin/invites": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(orgURL(c) + "/admin/invites")
		}},
		"POST /o/{org}/admin/invites": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/admin/invites", "expires_hours", "24", "max_uses", "1", "note", "matrix")
		}},
		"POST /o/{org}/admin/invites/{id}/revoke": {class: mxOrgAdmin, scope: mxOrg, needs: needInvite, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c) + "/admin/invites/" + c.invite + "/revoke")
		}},
		"GET /o/{org}/admin/audit": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(orgURL(c) + "/admin/audit")
		}},

		// Groups.
		"GET /o/{org}/groups": {class: mxOrgMember, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest { return get(orgURL(c) + "/groups") }},
		"GET /o/{org}/groups/new": {class: mxGroupCreate, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(orgURL(c) + "/groups/new")
		}},
		"POST /o/{org}/groups": {class: mxGroupCreate, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/groups", "name", "New circle", "slug", w.unique("g"), "topic", "Finding friends",
				"visibility", "public", "age_rule", "any")
		}},
		"GET /o/{org}/g/{group}": {class: mxGroupView, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest { return get(groupURL(c)) }},
		"POST /o/{org}/g/{group}/join": {class: mxGroupJoin, scope: mxGroup, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(groupURL(c) + "/join")
		}},
		"POST /o/{org}/g/{group}/leave": {class: mxGroupLeave, scope: mxGroup, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(groupURL(c) + "/leave")
		}},
		"GET /o/{org}/g/{group}/manage": {class: mxGroupManage, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(groupURL(c) + "/manage")
		}},
		"POST /o/{org}/g/{group}/manage": {class: mxGroupManage, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(groupURL(c)+"/manage", groupForm(c)...)
		}},
		"POST /o/{org}/g/{group}/members/{account}/approve": {class: mxGroupManage, scope: mxGroup, needs: needGroupPending, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(groupURL(c) + "/members/" + c.target + "/approve")
		}},
		"POST /o/{org}/g/{group}/members/{account}/remove": {class: mxGroupManage, scope: mxGroup, needs: needGroupMember, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(groupURL(c) + "/members/" + c.target + "/remove")
		}},
		"POST /o/{org}/g/{group}/members/{account}/role": {class: mxGroupManage, scope: mxGroup, needs: needGroupMember, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(groupURL(c)+"/members/"+c.target+"/role", "role", "facilitator")
		}},

		// Threads and posts.
		"POST /o/{org}/g/{group}/threads": {class: mxGroupPost, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(groupURL(c)+"/threads", "kind", "story", "title", "A matrix story", "body", "Some words.")
		}},
		"GET /o/{org}/g/{group}/t/{thread}": {class: mxGroupRead, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(groupURL(c) + "/t/" + c.thread)
		}},
		"POST /o/{org}/g/{group}/t/{thread}/replies": {class: mxGroupPost, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(groupURL(c)+"/t/"+c.thread+"/replies", "body", "Me too.")
		}},
		"GET /o/{org}/g/{group}/p/{post}/edit": {class: mxPostOwner, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(groupURL(c) + "/p/" + c.post + "/edit")
		}},
		"POST /o/{org}/g/{group}/p/{post}/edit": {class: mxPostOwner, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(groupURL(c)+"/p/"+c.post+"/edit", "body", "Edited words.", "content_warning", "")
		}},
		"POST /o/{org}/g/{group}/p/{post}/delete": {class: mxPostModerate, scope: mxGroup, needs: needPost, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(groupURL(c) + "/p/" + c.post + "/delete")
		}},
		"POST /o/{org}/g/{group}/p/{post}/react": {class: mxGroupPost, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(groupURL(c)+"/p/"+c.post+"/react", "kind", "me_too", "page", "1")
		}},

		// The JSON API.
		"/api/v1/": {class: mxNotFound, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/api/v1/no/such/endpoint") }},
		"GET /api/v1/openapi.json": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get("/api/v1/openapi.json")
		}},
		"GET /api/v1/openapi-3.0.json": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get("/api/v1/openapi-3.0.json")
		}},
		"GET /api/v1/openapi.yaml": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get("/api/v1/openapi.yaml")
		}},
		"GET /api/v1/openapi-3.0.yaml": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get("/api/v1/openapi-3.0.yaml")
		}},

		"POST /api/v1/accounts": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, "/accounts", map[string]any{"handle": w.unique("api"), "password": kindredtest.Password, "age_band": "25+"})
		}},
		"POST /api/v1/sessions": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, "/sessions", map[string]any{"handle": w.handleFor(c), "password": kindredtest.Password})
		}},
		"DELETE /api/v1/sessions/current": {class: mxPublic, needs: needSession, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodDelete, "/sessions/current", nil)
		}},
		"DELETE /api/v1/sessions": {class: mxSignedIn, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodDelete, "/sessions", nil)
		}},
		"GET /api/v1/me": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return api(http.MethodGet, "/me", nil) }},
		"PATCH /api/v1/me": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPatch, "/me", map[string]any{"pronouns": "they/them"})
		}},
		"POST /api/v1/tokens": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, "/tokens", map[string]any{"name": "matrix"})
		}},
		"GET /api/v1/tokens": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return api(http.MethodGet, "/tokens", nil) }},
		"DELETE /api/v1/tokens/{id}": {class: mxTokenOwner, needs: needToken, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodDelete, "/tokens/"+c.tokenID, nil)
		}},

		"GET /api/v1/organizations": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, "/organizations", nil)
		}},
		"POST /api/v1/organizations": {class: mxOperatorOnly, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, "/organizations", map[string]any{"name": "A new centre", "slug": w.unique("org"), "kind": "community_centre"})
		}},
		"GET /api/v1/organizations/{org}": {class: mxPublic, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiOrg(c), nil)
		}},
		"PATCH /api/v1/organizations/{org}": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPatch, apiOrg(c), map[string]any{"name": c.org.Name})
		}},
		"POST /api/v1/organizations/{org}/join": {class: mxSignedIn, scope: mxOrg, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiOrg(c)+"/join", map[string]any{"accept_conduct": true})
		}},
		"PATCH /api/v1/organizations/{org}/membership": {class: mxOrgMember, scope: mxOrg, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPatch, apiOrg(c)+"/membership", map[string]any{"display_name": "Sunny"})
		}},
		"POST /api/v1/organizations/{org}/leave": {class: mxSignedIn, scope: mxOrg, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiOrg(c)+"/leave", nil)
		}},
		"GET /api/v1/organizations/{org}/members": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiOrg(c)+"/members", nil)
		}},
		"PUT /api/v1/organizations/{org}/members/{account}/roles": {class: mxOrgAdmin, scope: mxOrg, needs: needOrgMember, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPut, apiOrg(c)+"/members/"+c.target+"/roles", map[string]any{"roles": []string{"peer_supporter"}})
		}},
		"POST /api/v1/organizations/{org}/members/{account}/approve": {class: mxOrgAdmin, scope: mxOrg, needs: needOrgPending, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiOrg(c)+"/members/"+c.target+"/approve", nil)
		}},
		"DELETE /api/v1/organizations/{org}/members/{account}": {class: mxOrgAdmin, scope: mxOrg, needs: needOrgMember, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodDelete, apiOrg(c)+"/members/"+c.target, nil)
		}},
		"POST /api/v1/organizations/{org}/invites": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiOrg(c)+"/invites", map[string]any{"expires_in_hours": 24, "max_uses": 1})
		}},
		"GET /api/v1/organizations/{org}/invites": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiOrg(c)+"/invites", nil)
		}},
		"DELETE /api/v1/organizations/{org}/invites/{id}": {class: mxOrgAdmin, scope: mxOrg, needs: needInvite, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodDelete, apiOrg(c)+"/invites/"+c.invite, nil)
		}},
		"POST /api/v1/invites/{code}/accept": {class: mxSignedIn, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, "/invites/"+c.code+"/accept", map[string]any{"accept_conduct": true})
		}},

		"GET /api/v1/organizations/{org}/groups": {class: mxOrgMember, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiOrg(c)+"/groups", nil)
		}},
		"POST /api/v1/organizations/{org}/groups": {class: mxGroupCreate, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiOrg(c)+"/groups", map[string]any{"name": "New circle", "slug": w.unique("g"), "topic": "Finding friends"})
		}},
		"GET /api/v1/organizations/{org}/groups/{group}": {class: mxGroupView, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiGroup(c), nil)
		}},
		"PATCH /api/v1/organizations/{org}/groups/{group}": {class: mxGroupManage, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPatch, apiGroup(c), map[string]any{"visibility": c.group.Visibility, "topic": c.group.Topic})
		}},
		"POST /api/v1/organizations/{org}/groups/{group}/join": {class: mxGroupJoin, scope: mxGroup, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiGroup(c)+"/join", nil)
		}},
		"POST /api/v1/organizations/{org}/groups/{group}/leave": {class: mxGroupLeave, scope: mxGroup, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiGroup(c)+"/leave", nil)
		}},
		"GET /api/v1/organizations/{org}/groups/{group}/members": {class: mxGroupManage, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiGroup(c)+"/members", nil)
		}},
		"POST /api/v1/organizations/{org}/groups/{group}/members/{account}/approve": {class: mxGroupManage, scope: mxGroup, needs: needGroupPending, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiGroup(c)+"/members/"+c.target+"/approve", nil)
		}},
		"PUT /api/v1/organizations/{org}/groups/{group}/members/{account}/role": {class: mxGroupManage, scope: mxGroup, needs: needGroupMember, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPut, apiGroup(c)+"/members/"+c.target+"/role", map[string]any{"role": "facilitator"})
		}},
		"DELETE /api/v1/organizations/{org}/groups/{group}/members/{account}": {class: mxGroupManage, scope: mxGroup, needs: needGroupMember, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodDelete, apiGroup(c)+"/members/"+c.target, nil)
		}},
		"GET /api/v1/organizations/{org}/groups/{group}/threads": {class: mxGroupRead, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiGroup(c)+"/threads", nil)
		}},
		"POST /api/v1/organizations/{org}/groups/{group}/threads": {class: mxGroupPost, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiGroup(c)+"/threads", map[string]any{"title": "A matrix story", "body": "Some words."})
		}},
		"GET /api/v1/organizations/{org}/groups/{group}/threads/{thread}": {class: mxGroupRead, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiGroup(c)+"/threads/"+c.thread, nil)
		}},
		"POST /api/v1/organizations/{org}/groups/{group}/threads/{thread}/replies": {class: mxGroupPost, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiGroup(c)+"/threads/"+c.thread+"/replies", map[string]any{"body": "Me too."})
		}},
		"PATCH /api/v1/organizations/{org}/groups/{group}/posts/{post}": {class: mxPostOwner, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPatch, apiGroup(c)+"/posts/"+c.post, map[string]any{"body": "Edited words.", "content_warning": ""})
		}},
		"DELETE /api/v1/organizations/{org}/groups/{group}/posts/{post}": {class: mxPostModerate, scope: mxGroup, needs: needPost, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodDelete, apiGroup(c)+"/posts/"+c.post, nil)
		}},
		"PUT /api/v1/organizations/{org}/groups/{group}/posts/{post}/reactions/{kind}": {class: mxGroupPost, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPut, apiGroup(c)+"/posts/"+c.post+"/reactions/me_too", nil)
		}},
		"DELETE /api/v1/organizations/{org}/groups/{group}/posts/{post}/reactions/{kind}": {class: mxGroupPost, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodDelete, apiGroup(c)+"/posts/"+c.post+"/reactions/thank_you", nil)
		}},
	}
	maps.Copy(m, mxLivePagesMatrix())
	maps.Copy(m, mxLiveAPIMatrix())
	maps.Copy(m, mxTrainingMatrix())   // matrix_training_test.go
	maps.Copy(m, mxSupportMatrix())    // matrix_support_test.go
	maps.Copy(m, mxHelpMatrix())       // matrix_help_test.go
	maps.Copy(m, mxSafetyMatrix())     // matrix_safety_test.go
	maps.Copy(m, mxModerationMatrix()) // matrix_moderation_test.go
	maps.Copy(m, mxSecurityMatrix())   // matrix_security_test.go
	maps.Copy(m, mxUploadsMatrix())    // matrix_uploads_test.go
	maps.Copy(m, mxBlocksMatrix())     // matrix_blocks_test.go
	maps.Copy(m, mxPrivacyMatrix())    // matrix_privacy_test.go
	return m
}

// mxActor is a person with a session (none for a visitor). Requests carry
// the session cookie by hand, so no response (log-in, log-out, sign-up) can
// change who a shared actor is.
type mxActor struct {
	account *kindred.Account
	secret  string
}

// mxWorld is the instance every cell runs against: the organisation
// "rainbow" with one group of each kind, each facilitated by host, with a
// thread and a reply by host; another organisation; an unlisted one.
type mxWorld struct {
	env     *kindredtest.Env
	client  *http.Client
	hash    string // of kindredtest.Password, computed once
	cssPath string
	seq     atomic.Int64

	org, otherOrg, unlisted *kindred.Organization
	founder, host, loginee  *kindred.Account
	groups                  map[string]*kindred.Group // by kind
	threads, posts          map[string]string         // by kind: a thread and host's reply in it
	code                    string                    // a many-use invitation to rainbow

	unlistedGroup                *kindred.Group
	unlistedThread, unlistedPost string
	hostTokenID                  string

	// fixtures holds what the live matrix files make once and share, by
	// name (sessions, rooms, conversations).
	fixtures sync.Map

	mu      sync.Mutex
	shared  map[string]*mxActor // by role/kind/membership
	ownPost map[string]string   // a post by the shared actor of role/kind/membership
	decoys  map[string]string   // by kind: a post by host for deletions expected to be refused
}

func (w *mxWorld) unique(prefix string) string { return fmt.Sprintf("%s%d", prefix, w.seq.Add(1)) }

func (w *mxWorld) ctx() context.Context { return context.Background() }

// handleFor is whom the cell logs in as: the person, or for a visitor an
// account made for that.
func (w *mxWorld) handleFor(c *mxCell) string {
	if c.who.account != nil {
		return c.who.account.Handle
	}
	return w.loginee.Handle
}

func (w *mxWorld) account(t testing.TB, band kindred.AgeBand, operator bool) *kindred.Account {
	t.Helper()
	h := w.unique("p")
	a := &kindred.Account{ID: kindred.NewID(), Handle: h, DisplayName: h, Pronouns: "they/them", AgeBand: band,
		PasswordHash: w.hash, IsOperator: operator, CreatedAt: time.Now().UTC()}
	if err := w.env.Store.CreateAccount(w.ctx(), a); err != nil {
		t.Fatalf("create account: %v", err)
	}
	return a
}

func (w *mxWorld) session(t testing.TB, a *kindred.Account) *mxActor {
	t.Helper()
	secret, err := w.env.Services.Accounts.StartSession(w.ctx(), a.ID, "matrix")
	if err != nil {
		t.Fatal(err)
	}
	return &mxActor{account: a, secret: secret}
}

func (w *mxWorld) groupMember(t testing.TB, g *kindred.Group, a *kindred.Account, role kindred.GroupRole, status kindred.MembershipStatus) {
	t.Helper()
	m := &kindred.GroupMember{GroupID: g.ID, AccountID: a.ID, Role: role, Status: status, CreatedAt: time.Now().UTC()}
	if err := w.env.Store.CreateGroupMember(w.ctx(), m); err != nil {
		t.Fatalf("add group member: %v", err)
	}
}

// newActor makes a person in the cell's situation.
func (w *mxWorld) newActor(t testing.TB, role, kind, membership string) *mxActor {
	t.Helper()
	if role == roleVisitor {
		return &mxActor{}
	}
	band := kindred.AgeAdult
	if role == roleYouth {
		band = kindred.AgeYouth
	}
	a := w.account(t, band, role == roleOperator)
	switch role {
	case roleOutsider, roleOperator:
	case rolePending:
		w.env.Member(t, w.org, a, kindred.RoleMember, kindred.StatusPending)
	case roleOtherAdmin:
		w.env.Member(t, w.otherOrg, a, kindred.RoleAdmin, kindred.StatusActive)
	default:
		w.env.Member(t, w.org, a, mxOrgRoles[role], kindred.StatusActive)
	}
	switch membership {
	case gmPending:
		w.groupMember(t, w.groups[kind], a, kindred.GroupRoleMember, kindred.StatusPending)
	case gmActive:
		w.groupMember(t, w.groups[kind], a, kindred.GroupRoleMember, kindred.StatusActive)
	case gmFacilitating:
		w.groupMember(t, w.groups[kind], a, kindred.GroupRoleFacilitator, kindred.StatusActive)
	}
	return w.session(t, a)
}

// sharedActor is the one person per (role, kind, membership) that every
// request that changes nothing about them reuses.
func (w *mxWorld) sharedActor(t testing.TB, role, kind, membership string) *mxActor {
	t.Helper()
	if membership == gmNone {
		kind = "" // people in no group are the same whatever the group
	}
	key := role + "/" + kind + "/" + membership
	w.mu.Lock()
	defer w.mu.Unlock()
	if a, ok := w.shared[key]; ok {
		return a
	}
	a := w.newActor(t, role, kind, membership)
	w.shared[key] = a
	return a
}

func (w *mxWorld) newPost(t testing.TB, threadID string, author *kindred.Account) string {
	t.Helper()
	p := &kindred.Post{ID: kindred.NewID(), ThreadID: threadID, AuthorID: author.ID, Body: "Some words", BodyHTML: "<p>Some words</p>",
		CreatedAt: time.Now().UTC()}
	if err := w.env.Store.CreatePost(w.ctx(), p); err != nil {
		t.Fatalf("create post: %v", err)
	}
	return p.ID
}

// sharedOwnPost is a post by the shared actor of the cell, for edits.
func (w *mxWorld) sharedOwnPost(t testing.TB, c *mxCell) string {
	t.Helper()
	key := c.role + "/" + c.kind + "/" + c.membership
	w.mu.Lock()
	defer w.mu.Unlock()
	if id, ok := w.ownPost[key]; ok {
		return id
	}
	id := w.newPost(t, w.threads[c.kind], c.who.account)
	w.ownPost[key] = id
	return id
}

func (w *mxWorld) newToken(t testing.TB, owner *kindred.Account) string {
	t.Helper()
	tok := &kindred.Token{ID: kindred.NewID(), AccountID: owner.ID, Name: "matrix", Hash: accounts.HashSecret(kindred.NewSecret()),
		CreatedAt: time.Now().UTC()}
	if err := w.env.Store.CreateToken(w.ctx(), tok); err != nil {
		t.Fatalf("create token: %v", err)
	}
	return tok.ID
}

func (w *mxWorld) newInvite(t testing.TB, o *kindred.Organization, uses int) (id, code string) {
	t.Helper()
	code = kindred.NewSecret()
	now := time.Now().UTC()
	inv := &kindred.Invite{ID: kindred.NewID(), OrgID: o.ID, CodeHash: accounts.HashSecret(code), CreatedBy: w.founder.ID,
		ExpiresAt: now.Add(7 * 24 * time.Hour), MaxUses: uses, CreatedAt: now}
	if err := w.env.Store.CreateInvite(w.ctx(), inv); err != nil {
		t.Fatalf("create invite: %v", err)
	}
	return inv.ID, code
}

// matrixStore is the test's store. The matrix writes a few thousand small
// transactions; with synchronous=FULL each waits for the disk, so on SQLite
// the file goes to tmpfs when there is one (durability is not under test).
func matrixStore(t *testing.T) *sqlstore.DB {
	t.Helper()
	if os.Getenv(sqlstoretest.EnvStore) == "postgres" {
		return sqlstoretest.Open(t)
	}
	dir, err := os.MkdirTemp("/dev/shm", "kindred-matrix-")
	if err != nil {
		return sqlstoretest.Open(t)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	ctx := context.Background()
	db, err := sqlstore.Open(ctx, filepath.Join(dir, "kindred.db"), sqlstore.Options{})
	if err != nil {
		t.Fatalf("open store: %v", err)
	}
	t.Cleanup(func() {
		if err := db.Close(); err != nil {
			t.Errorf("close store: %v", err)
		}
	})
	if err := db.Migrate(ctx); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	return db
}

func newMatrixWorld(t *testing.T) *mxWorld {
	t.Helper()
	env := kindredtest.NewWithStore(t, matrixStore(t), kindredtest.Options{Generous: true})
	w := &mxWorld{env: env, groups: map[string]*kindred.Group{}, threads: map[string]string{}, posts: map[string]string{},
		shared: map[string]*mxActor{}, ownPost: map[string]string{}, decoys: map[string]string{},
		client: &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	t.Cleanup(w.client.CloseIdleConnections)
	var err error
	if w.hash, err = env.Hasher.Hash(w.ctx(), kindredtest.Password); err != nil {
		t.Fatal(err)
	}
	w.founder = w.account(t, kindred.AgeAdult, false)
	w.org = env.Org(t, w.founder, "rainbow", kindred.JoinRequest)
	w.otherOrg = env.Org(t, w.account(t, kindred.AgeAdult, false), "elsewhere", kindred.JoinOpen)
	w.host = w.account(t, kindred.AgeAdult, false)
	env.Member(t, w.org, w.host, kindred.RoleMember, kindred.StatusActive)
	for _, k := range mxKinds {
		vis, age := kindred.VisibilityPublic, kindred.AgeAny
		switch k {
		case kindPrivate:
			vis = kindred.VisibilityPrivate
		case kindHidden:
			vis = kindred.VisibilityHidden
		case kindYouth:
			age = kindred.AgeYouthOnly
		}
		g := env.Group(t, w.org, "circle-"+k, vis, age, w.host)
		th, reply := env.Thread(t, g, w.host, "Hello from "+k)
		w.groups[k], w.threads[k], w.posts[k] = g, th.ID, reply.ID
	}
	_, w.code = w.newInvite(t, w.org, kindred.MaxInviteUses)
	w.loginee = w.account(t, kindred.AgeAdult, false)
	w.hostTokenID = w.newToken(t, w.host)

	// An unlisted organisation, which must look like it does not exist to
	// everyone outside it.
	uf := w.account(t, kindred.AgeAdult, false)
	w.unlisted = env.Org(t, uf, "quiet", kindred.JoinRequest)
	no := false
	if w.unlisted, err = env.Store.UpdateOrganization(w.ctx(), w.unlisted.ID, kindred.OrganizationUpdate{Listed: &no}); err != nil {
		t.Fatal(err)
	}
	w.unlistedGroup = env.Group(t, w.unlisted, "quiet-circle", kindred.VisibilityPublic, kindred.AgeAny, uf)
	th, reply := env.Thread(t, w.unlistedGroup, uf, "Quiet hello")
	w.unlistedThread, w.unlistedPost = th.ID, reply.ID

	res := w.send(t, &mxActor{}, get("/"))
	m := regexp.MustCompile(`href="(/static/kindred\.[0-9a-f]+\.css)"`).FindSubmatch(res.body)
	if m == nil {
		t.Fatalf("no stylesheet link on the start page:\n%s", res.body)
	}
	w.cssPath = string(m[1])
	return w
}

// cell fills in the shared fixtures for a situation.
func (w *mxWorld) cell(t testing.TB, role, kind, membership string, own bool) *mxCell {
	t.Helper()
	c := &mxCell{role: role, kind: kind, membership: membership, own: own, org: w.org, code: w.code,
		target: w.host.ID, tokenID: w.hostTokenID, invite: kindred.NewID()}
	groupKind := kind
	if groupKind == "-" {
		groupKind = kindPublic
	}
	c.group, c.thread, c.post = w.groups[groupKind], w.threads[groupKind], w.posts[groupKind]
	if membership == "-" {
		membership = gmNone
	}
	c.who = w.sharedActor(t, role, groupKind, membership)
	return c
}

// prepare builds fresh what the entry's request changes. A request that is
// expected to be refused changes nothing, so for the many group cells it
// uses the shared fixtures; should it wrongly succeed, forget replaces
// them so the mistake is reported once rather than in every later cell.
func (w *mxWorld) prepare(t testing.TB, e mxEntry, c *mxCell, want mxOutcome) {
	t.Helper()
	groupKind := c.kind
	if groupKind == "-" {
		groupKind = kindPublic
	}
	fresh := e.scope != mxGroup || want == mxAllowed
	if c.own && e.class == mxPostOwner {
		c.post = w.sharedOwnPost(t, c)
	}
	if !fresh {
		if e.needs&needPost != 0 && !c.own {
			c.post = w.decoy(t, groupKind)
		}
		return // target: host, whose removal or approval changes no expectation
	}
	if e.needs&needSubject != 0 {
		c.who = w.newActor(t, c.role, groupKind, c.membership)
	}
	if e.needs&needSession != 0 && c.who.account != nil {
		c.who = w.session(t, c.who.account)
	}
	if e.needs&(needOrgPending|needOrgMember|needGroupPending|needGroupMember) != 0 {
		a := w.account(t, kindred.AgeAdult, false)
		status := kindred.StatusActive
		if e.needs&needOrgPending != 0 {
			status = kindred.StatusPending
		}
		w.env.Member(t, w.org, a, kindred.RoleMember, status)
		switch {
		case e.needs&needGroupPending != 0:
			w.groupMember(t, c.group, a, kindred.GroupRoleMember, kindred.StatusPending)
		case e.needs&needGroupMember != 0:
			w.groupMember(t, c.group, a, kindred.GroupRoleMember, kindred.StatusActive)
		}
		c.target = a.ID
	}
	if e.needs&needPost != 0 {
		author := w.host
		if c.own {
			author = c.who.account
		}
		c.post = w.newPost(t, c.thread, author)
	}
	if e.needs&needToken != 0 {
		owner := w.host
		if c.own {
			owner = c.who.account
		}
		c.tokenID = w.newToken(t, owner)
	}
	if e.needs&needInvite != 0 {
		c.invite, _ = w.newInvite(t, w.org, 1)
	}
}

// decoy is a post by host that deletions expected to be refused aim at.
func (w *mxWorld) decoy(t testing.TB, kind string) string {
	t.Helper()
	w.mu.Lock()
	defer w.mu.Unlock()
	if id, ok := w.decoys[kind]; ok {
		return id
	}
	id := w.newPost(t, w.threads[kind], w.host)
	w.decoys[kind] = id
	return id
}

// forget drops the shared fixtures a wrongly successful request may have
// changed.
func (w *mxWorld) forget(c *mxCell) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for key, a := range w.shared {
		if a == c.who {
			delete(w.shared, key)
		}
	}
	for kind, id := range w.decoys {
		if id == c.post {
			delete(w.decoys, kind)
		}
	}
}

type mxResponse struct {
	status int
	header http.Header
	body   []byte
}

func (w *mxWorld) send(t testing.TB, who *mxActor, r mxRequest) mxResponse {
	t.Helper()
	var body io.Reader
	var ctype string
	switch {
	case r.json != nil:
		b, err := json.Marshal(r.json)
		if err != nil {
			t.Fatal(err)
		}
		body, ctype = bytes.NewReader(b), "application/json"
	case r.form != nil:
		body, ctype = strings.NewReader(r.form.Encode()), "application/x-www-form-urlencoded"
	}
	req, err := http.NewRequest(r.method, w.env.HTTP.URL+r.path, body)
	if err != nil {
		t.Fatal(err)
	}
	if ctype != "" {
		req.Header.Set("Content-Type", ctype)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	if who != nil && who.secret != "" {
		req.AddCookie(&http.Cookie{Name: web.SessionCookie, Value: who.secret})
	}
	res, err := w.client.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", r.method, r.path, err)
	}
	defer res.Body.Close()
	b, err := io.ReadAll(res.Body)
	if err != nil {
		t.Fatalf("%s %s: read body: %v", r.method, r.path, err)
	}
	return mxResponse{status: res.StatusCode, header: res.Header, body: b}
}

var (
	mxTitle = regexp.MustCompile(`(?s)<title>(.*?)</title>`)
	mxMain  = regexp.MustCompile(`(?s)<main\b.*</main>`)
	mxH1    = regexp.MustCompile(`(?s)<h1[^>]*>(.*?)</h1>`)
	mxLede  = regexp.MustCompile(`(?s)<p class="lede">(.*?)</p>`)
)

// summary says in a line what an answer was, for failure messages.
func (r mxResponse) summary() string {
	var e struct {
		Error struct{ Code, Message string }
	}
	if json.Unmarshal(r.body, &e) == nil && e.Error.Code != "" {
		return fmt.Sprintf("%d %s: %s", r.status, e.Error.Code, e.Error.Message)
	}
	if loc := r.header.Get("Location"); loc != "" {
		return fmt.Sprintf("%d → %s", r.status, loc)
	}
	var parts []string
	for _, re := range []*regexp.Regexp{mxTitle, mxLede} {
		if m := re.FindSubmatch(r.body); m != nil {
			parts = append(parts, strings.TrimSpace(string(m[1])))
		}
	}
	return fmt.Sprintf("%d %s", r.status, strings.Join(parts, " — "))
}

// checkHeaders is the guard on security headers: every answer has a strict
// CSP with no other origin, and every answer to a signed-in person or about
// an error is never stored by caches.
func checkHeaders(t testing.TB, what string, signedIn bool, path string, res mxResponse) {
	t.Helper()
	csp := res.header.Get("Content-Security-Policy")
	switch {
	case csp == "":
		t.Errorf("%s: no Content-Security-Policy", what)
	case strings.Contains(csp, "http:") || strings.Contains(csp, "https:") || strings.Contains(csp, " *"):
		t.Errorf("%s: Content-Security-Policy allows another origin: %s", what, csp)
	}
	if strings.HasPrefix(path, "/static/") {
		return
	}
	if (signedIn || res.status >= 400) && !strings.Contains(res.header.Get("Cache-Control"), "no-store") {
		t.Errorf("%s: Cache-Control %q, want no-store", what, res.header.Get("Cache-Control"))
	}
}

// cellsFor lists the situations a route is tried in.
func cellsFor(e mxEntry) [][4]string { // role, kind, membership, "own" or ""
	var out [][4]string
	if e.scope != mxGroup {
		for _, r := range mxRoles {
			if e.class == mxTokenOwner && r != roleVisitor {
				out = append(out, [4]string{r, "-", "-", "own"})
			}
			out = append(out, [4]string{r, "-", "-", ""})
		}
		return out
	}
	for _, k := range mxKinds {
		for _, r := range mxRoles {
			if _, member := mxOrgRoles[r]; !member {
				out = append(out, [4]string{r, k, gmNone, ""}) // no group membership without an active org membership
				continue
			}
			for _, m := range mxMemberships[r] {
				out = append(out, [4]string{r, k, m, ""})
				if (e.class == mxPostOwner || e.class == mxPostModerate) && (m == gmActive || m == gmFacilitating) {
					out = append(out, [4]string{r, k, m, "own"}) // only members can have written one
				}
			}
		}
	}
	return out
}

// registered lists every route and API operation the server has, with a
// name for messages.
func registered(s *web.Server) map[string]string {
	out := map[string]string{}
	for _, p := range s.Routes() {
		out[p] = "route " + p
	}
	for _, op := range s.APIOperations() {
		out[op.Method+" "+op.Path] = fmt.Sprintf("API operation %s (%s %s)", op.OperationID, op.Method, op.Path)
	}
	return out
}

func TestAuthorizationMatrix(t *testing.T) {
	start := time.Now()
	w := newMatrixWorld(t)
	t.Cleanup(func() {
		t.Logf("%d routes and operations in %s", len(mxMatrix()), time.Since(start).Round(time.Millisecond))
	})
	matrix := mxMatrix()
	keys := make([]string, 0, len(matrix))
	for k := range matrix {
		keys = append(keys, k)
	}
	slices.Sort(keys)

	t.Run("coverage", func(t *testing.T) {
		have := registered(w.env.Server)
		names := make([]string, 0, len(have))
		for k := range have {
			names = append(names, k)
		}
		slices.Sort(names)
		for _, k := range names {
			if _, ok := matrix[k]; !ok {
				t.Errorf("%s has no entry in the authorization matrix; add one in matrix_test.go", have[k])
			}
		}
		for _, k := range keys {
			if _, ok := have[k]; ok {
				continue
			}
			if e := matrix[k]; e.notInRoutes {
				if res := w.send(t, &mxActor{}, e.build(w, w.cell(t, roleVisitor, "-", "-", false))); res.status != http.StatusOK {
					t.Errorf("matrix entry %q: the server no longer serves it (%s); remove the entry", k, res.summary())
				}
				continue
			}
			t.Errorf("matrix entry %q matches no registered route or API operation; remove it or fix its key", k)
		}
	})

	// Routes run in parallel with each other (GOMAXPROCS at a time); the
	// cells of one route run in turn.
	for _, key := range keys {
		e := matrix[key]
		t.Run(key, func(t *testing.T) {
			t.Parallel()
			for _, s := range cellsFor(e) {
				c := w.cell(t, s[0], s[1], s[2], s[3] == "own")
				t.Run(c.String(), func(t *testing.T) {
					if e.serial != nil {
						e.serial.Lock()
						defer e.serial.Unlock()
					}
					want := mxExpect(e.class, c)
					if e.expect != nil {
						want = e.expect(c)
					}
					w.prepare(t, e, c, want)
					if e.setup != nil {
						e.setup(t, w, c)
					}
					req := e.build(w, c)
					res := w.send(t, c.who, req)
					checkHeaders(t, key+" as "+c.String(), c.signedIn(), req.path, res)
					got := mxClassify(res.status, res.header.Get("Location"))
					if got != want {
						class := e.class.String()
						if e.expect != nil {
							class = "its own rule"
						}
						t.Errorf("%s (class %s) as %s: want %v, got %v\n\t%s %s → %s", key, class, c, want, got, req.method, req.path, res.summary())
						if got == mxAllowed && req.method != http.MethodGet {
							w.forget(c)
						}
					}
				})
			}
		})
	}

	// An instance with no account yet is set up by its first visitor.
	t.Run("POST /setup/visitor/empty-instance/-", func(t *testing.T) {
		t.Parallel()
		fresh := &mxWorld{env: kindredtest.New(t, kindredtest.Options{Generous: true}), client: w.client}
		req := matrix["POST /setup"].build(w, w.cell(t, roleVisitor, "-", "-", false))
		res := fresh.send(t, &mxActor{}, req)
		if got := mxClassify(res.status, res.header.Get("Location")); got != mxAllowed {
			t.Errorf("POST /setup on an empty instance: want allowed, got %v (%s)", got, res.summary())
		}
	})

	t.Run("hidden group is indistinguishable from a nonexistent one", func(t *testing.T) {
		t.Parallel()
		// People in the organisation who are not in the hidden group, and
		// people outside it.
		who := []string{roleOutsider, rolePending, roleMember, roleYouth, roleFacilitator}
		ghost := *w.groups[kindHidden]
		ghost.Slug = "no-such-circle"
		for _, key := range keys {
			e := matrix[key]
			if e.scope != mxGroup {
				continue
			}
			for _, role := range who {
				hiddenCell := w.cell(t, role, kindHidden, gmNone, false)
				ghostCell := *hiddenCell
				ghostCell.group, ghostCell.thread, ghostCell.post = &ghost, kindred.NewID(), kindred.NewID()
				compareAnswers(t, w, key+" as "+role, hiddenCell.who, e.build(w, hiddenCell), e.build(w, &ghostCell))

				// The hidden group's thread and post ids, through a group
				// the person can read, look like made-up ids too.
				if strings.Contains(key, "{thread}") || strings.Contains(key, "{post}") {
					viaPublic := w.cell(t, role, kindPublic, gmNone, false)
					madeUp := *viaPublic
					viaPublic.thread, viaPublic.post = w.threads[kindHidden], w.posts[kindHidden]
					madeUp.thread, madeUp.post = kindred.NewID(), kindred.NewID()
					compareAnswers(t, w, key+" as "+role+" with the hidden group's ids in a public group", viaPublic.who,
						e.build(w, viaPublic), e.build(w, &madeUp))
				}
			}
		}
	})

	t.Run("unlisted organisation is indistinguishable from a nonexistent one", func(t *testing.T) {
		t.Parallel()
		ghostOrg := *w.unlisted
		ghostOrg.Slug = "no-such-org"
		ghostGroup := *w.unlistedGroup
		ghostGroup.Slug = "no-such-circle"
		for _, key := range keys {
			e := matrix[key]
			if e.scope == mxInstance {
				continue
			}
			for _, role := range []string{roleVisitor, roleOutsider, roleOtherAdmin} {
				quiet := w.cell(t, role, "-", "-", false)
				quiet.org, quiet.group, quiet.thread, quiet.post = w.unlisted, w.unlistedGroup, w.unlistedThread, w.unlistedPost
				nowhere := *quiet
				nowhere.org, nowhere.group, nowhere.thread, nowhere.post = &ghostOrg, &ghostGroup, kindred.NewID(), kindred.NewID()
				compareAnswers(t, w, key+" as "+role, quiet.who, e.build(w, quiet), e.build(w, &nowhere))
			}
		}
	})

	t.Run("security headers", func(t *testing.T) {
		t.Parallel()
		member := w.sharedActor(t, roleMember, "", gmNone)
		pages := map[*mxActor][]string{
			{}:     {"/api/v1/openapi.json", "/", "/o/rainbow", "/login", "/signup"},
			member: {"/api/v1/openapi.json", "/", "/o/rainbow", "/o/rainbow/groups", "/settings", "/profile"},
		}
		for who, paths := range pages {
			for _, path := range paths {
				res := w.send(t, who, get(path))
				if res.status != http.StatusOK {
					t.Errorf("GET %s: %s", path, res.summary())
				}
				checkHeaders(t, "GET "+path, who.secret != "", path, res)
			}
		}
	})

}

// compareAnswers checks that two requests, one about something hidden and
// one about something that does not exist, get the same answer: status,
// content type, and the same body (the JSON error, or the page's title and
// main content); redirects go to the same place.
func compareAnswers(t *testing.T, w *mxWorld, what string, who *mxActor, hiddenReq, ghostReq mxRequest) {
	t.Helper()
	a, b := w.send(t, who, hiddenReq), w.send(t, who, ghostReq)
	if a.status != b.status {
		t.Errorf("%s: hidden %s %s → %s; nonexistent %s → %s", what, hiddenReq.method, hiddenReq.path, a.summary(), ghostReq.path, b.summary())
		return
	}
	if a.header.Get("Content-Type") != b.header.Get("Content-Type") {
		t.Errorf("%s: content types differ: %q and %q", what, a.header.Get("Content-Type"), b.header.Get("Content-Type"))
	}
	if a.status >= 300 && a.status < 400 {
		pa, _, _ := strings.Cut(a.header.Get("Location"), "?")
		pb, _, _ := strings.Cut(b.header.Get("Location"), "?")
		if pa != pb {
			t.Errorf("%s: redirects differ: %q and %q", what, a.header.Get("Location"), b.header.Get("Location"))
		}
		return
	}
	ba, bb := normalizeBody(a), normalizeBody(b)
	if strings.HasPrefix(a.header.Get("Content-Type"), "text/html") {
		for _, re := range []*regexp.Regexp{mxTitle, mxH1, mxMain} {
			ma, mb := re.Find(ba), re.Find(bb)
			if !bytes.Equal(ma, mb) {
				t.Errorf("%s: pages differ (status %d):\n\thidden:      %s\n\tnonexistent: %s", what, a.status, ma, mb)
				return
			}
		}
		return
	}
	if !bytes.Equal(ba, bb) {
		t.Errorf("%s: bodies differ (status %d):\n\thidden:      %s\n\tnonexistent: %s", what, a.status, ba, bb)
	}
}

// normalizeBody takes out per-request values (there should be none).
func normalizeBody(r mxResponse) []byte {
	if id := r.header.Get("X-Request-Id"); id != "" {
		return bytes.ReplaceAll(r.body, []byte(id), []byte("<request-id>"))
	}
	return r.body
}
