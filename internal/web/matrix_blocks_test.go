package web_test

// The authorization matrix for blocks, mutes and hidden topics. The rules,
// from PRODUCT.md and issue 5 in plain words:
//   - blocking or muting someone is for active members of the organisation
//     they are met in, and aims at another active member there; anyone else
//     (outsiders, people waiting to join, another organisation's admins,
//     the operator) is refused, and visitors are asked to log in. An
//     unlisted organisation looks like none at all;
//   - a person's own list of blocked and muted people, and their hidden
//     topics, are theirs: everyone signed in has their own and reaches only
//     that one, since no route names whose it is. Unblocking and unmuting
//     answer the same whether or not there was anything to undo, so they
//     reveal nothing.
// Blocking and muting change the person's view of everyone's posts, so each
// allowed request gets a fresh person and a fresh target: the shared
// fixtures stay as they are.

import (
	"net/http"

	"kindred"
)

func mxBlocksMatrix() map[string]mxEntry {
	person := func(c *mxCell, verb string) string { return orgURL(c) + "/people/" + c.target + "/" + verb }
	fresh := needSubject | needOrgMember
	return map[string]mxEntry{
		"GET /o/{org}/people/{account}/block": {class: mxOrgMember, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(person(c, "block"))
		}},
		"POST /o/{org}/people/{account}/block": {class: mxOrgMember, scope: mxOrg, needs: fresh, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(person(c, "block"), "next", "/o/rainbow")
		}},
		"GET /o/{org}/people/{account}/mute": {class: mxOrgMember, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(person(c, "mute"))
		}},
		"POST /o/{org}/people/{account}/mute": {class: mxOrgMember, scope: mxOrg, needs: fresh, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(person(c, "mute"))
		}},
		"GET /settings/people": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/settings/people") }},
		"POST /settings/people/topics": {class: mxSignedIn, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/settings/people/topics", "pick", "self-harm", "topics", "hospital stays")
		}},
		"POST /settings/people/{account}/unblock": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/settings/people/" + kindred.NewID() + "/unblock")
		}},
		"POST /settings/people/{account}/unmute": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/settings/people/" + c.target + "/unmute")
		}},

		"POST /api/v1/organizations/{org}/members/{account}/block": {class: mxOrgMember, scope: mxOrg, needs: fresh, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiOrg(c)+"/members/"+c.target+"/block", nil)
		}},
		"POST /api/v1/organizations/{org}/members/{account}/mute": {class: mxOrgMember, scope: mxOrg, needs: fresh, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiOrg(c)+"/members/"+c.target+"/mute", nil)
		}},
		"DELETE /api/v1/me/blocks/{account}": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodDelete, "/me/blocks/"+kindred.NewID(), nil)
		}},
		"DELETE /api/v1/me/mutes/{account}": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodDelete, "/me/mutes/"+c.target, nil)
		}},
		"GET /api/v1/me/blocks-and-mutes": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, "/me/blocks-and-mutes", nil)
		}},
		"GET /api/v1/me/hidden-topics": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, "/me/hidden-topics", nil)
		}},
		"PUT /api/v1/me/hidden-topics": {class: mxSignedIn, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPut, "/me/hidden-topics", map[string]any{"topics": []string{"self-harm", "hospital stays"}})
		}},
	}
}
