package web_test

// The authorization matrix for a person's data and an organisation's
// privacy settings. Everyone signed in may download their own data and
// delete their own account (no route names whose: it is always the
// actor's); deleting needs a fresh person per cell, since it erases them.
// Chat retention is for the organisation's admins.

import (
	"net/http"

	"kindred/internal/kindredtest"
	"kindred/internal/privacy"
)

func mxPrivacyMatrix() map[string]mxEntry {
	return map[string]mxEntry{
		"GET /settings/data": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/settings/data") }},
		"POST /settings/data/export": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/settings/data/export")
		}},
		"POST /settings/data/delete": {class: mxSignedIn, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/settings/data/delete", "password", kindredtest.Password, "confirm", privacy.ConfirmPhrase)
		}},
		"GET /o/{org}/admin/privacy": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(orgURL(c) + "/admin/privacy")
		}},
		"POST /o/{org}/admin/privacy": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/admin/privacy", "chat_retention_days", "0")
		}},
		"POST /api/v1/me/export": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, "/me/export", nil)
		}},
		"DELETE /api/v1/me": {class: mxSignedIn, needs: needSubject, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodDelete, "/me", map[string]any{"password": kindredtest.Password, "confirm": privacy.ConfirmPhrase})
		}},
		"GET /api/v1/organizations/{org}/privacy": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiOrg(c)+"/privacy", nil)
		}},
		"PUT /api/v1/organizations/{org}/privacy": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPut, apiOrg(c)+"/privacy", map[string]any{"chat_retention_days": 0})
		}},
	}
}
