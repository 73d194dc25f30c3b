package web_test

// The authorization matrix for the private safety plan. A plan belongs to
// the account, not to an organisation: everyone signed in has their own
// (whatever their roles, in any organisation or none) and reaches only
// that one, since no route names whose plan it is; visitors are asked to
// log in. Sharing names one supporter the person was matched with; in the
// matrix nobody was, so everyone may only make their plan private, and a
// plan that is not shared with the person looks missing.

import (
	"maps"
	"net/http"

	"kindred"
)

func mxSafetyMatrix() map[string]mxEntry {
	m := map[string]mxEntry{
		"GET /safety-plan": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/safety-plan") }},
		"POST /safety-plan": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/safety-plan", "coping", "Walk the dog", "people", "My cousin")
		}},
		"GET /safety-plan/print": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/safety-plan/print") }},
		"POST /safety-plan/share": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/safety-plan/share", "supporter", "")
		}},
		"GET /safety-plan/shared/{account}": {class: mxSignedIn, expect: func(c *mxCell) mxOutcome {
			if !c.signedIn() {
				return mxLogIn
			}
			return mxHidden
		}, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/safety-plan/shared/" + kindred.NewID()) }},
		"GET /api/v1/me/safety-plan": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, "/me/safety-plan", nil)
		}},
		"PUT /api/v1/me/safety-plan": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPut, "/me/safety-plan", map[string]any{"coping": "Walk the dog"})
		}},
	}
	maps.Copy(m, mxOrgSafetyMatrix()) // matrix_orgsafety_test.go
	return m
}
