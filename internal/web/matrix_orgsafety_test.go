package web_test

// The authorization matrix for organisations' crisis help, the
// transparency page and discreet mode. Crisis lines and the transparency
// page are for anyone who can see the organisation, visitors included
// (rainbow is listed; an unlisted one looks like none). Editing crisis
// help is for the organisation's admins only: staff roles below admin,
// the operator and other organisations' admins are refused. Discreet mode
// and safety-plan sharing are each signed-in person's own.

import (
	"context"
	"net/http"
	"sync"
	"testing"

	"kindred"
	"kindred/internal/kindredtest"
)

// mxLines keeps the matrix's replacing of rainbow's whole crisis line list
// (PUT crisis-resources) from running while a cell edits, moves or removes
// a line its setup added, which the replacement would take away.
var mxLines sync.RWMutex

// mxCellLines holds the line each admin cell's setup added, by cell.
var mxCellLines sync.Map

// mxNewLine adds a crisis line to rainbow as its founder, for an admin's
// cell to act on. Others are refused before the line is looked up, so
// they get a made-up id (and the list stays under its limit).
func mxNewLine(t testing.TB, w *mxWorld, c *mxCell) {
	if c.role != roleAdmin {
		return
	}
	mxLines.RLock()
	t.Cleanup(mxLines.RUnlock)
	v, err := w.env.Services.Safety.AddCrisisResource(context.Background(), kindredtest.Actor(w.founder), w.org.Slug,
		kindred.CrisisResource{Name: "Matrix line", Phone: "555 0100"})
	if err != nil {
		t.Fatal(err)
	}
	mxCellLines.Store(c, v.Settings.Resources[len(v.Settings.Resources)-1].ID)
	t.Cleanup(func() { mxCellLines.Delete(c) })
}

func mxLineID(c *mxCell) string {
	if id, ok := mxCellLines.Load(c); ok {
		return id.(string)
	}
	// Not an admin, or the unlisted organisation's checks (no setup): any
	// id, the same for a hidden and a missing organisation.
	return "0000000000000000000000000a"
}

func mxOrgSafetyMatrix() map[string]mxEntry {
	admin := func(path string) string { return "/o/{org}/admin/safety" + path }
	lineSetup := func(t testing.TB, w *mxWorld, c *mxCell) { mxNewLine(t, w, c) }
	return map[string]mxEntry{
		"GET " + admin(""): {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(orgURL(c) + "/admin/safety")
		}},
		"POST " + admin("/settings"): {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/admin/safety/settings", "quick_exit_url", "https://weather.example/", "contact", "Ask Jo at the desk",
				"show_defaults", "on")
		}},
		"POST " + admin("/resources"): {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/admin/safety/resources", "name", "Night line", "phone", "555 0199")
		}},
		"POST " + admin("/resources/copy-defaults"): {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c) + "/admin/safety/resources/copy-defaults")
		}},
		"POST " + admin("/resources/{id}"): {class: mxOrgAdmin, scope: mxOrg, setup: lineSetup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/admin/safety/resources/"+mxLineID(c), "name", "Edited line", "phone", "555 0101")
		}},
		"POST " + admin("/resources/{id}/remove"): {class: mxOrgAdmin, scope: mxOrg, setup: lineSetup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c) + "/admin/safety/resources/" + mxLineID(c) + "/remove")
		}},
		"POST " + admin("/resources/{id}/move"): {class: mxOrgAdmin, scope: mxOrg, setup: lineSetup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/admin/safety/resources/"+mxLineID(c)+"/move", "direction", "up")
		}},
		"POST " + admin("/phrases"): {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/admin/safety/phrases", "locale", "fr", "phrases", "je veux mourir\nme tuer")
		}},
		"POST " + admin("/phrases/reset"): {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/admin/safety/phrases/reset", "locale", "es")
		}},
		"GET /o/{org}/transparency": {class: mxPublic, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(orgURL(c) + "/transparency")
		}},
		"GET /settings/discreet": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/settings/discreet") }},
		"POST /settings/discreet": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/settings/discreet", "discreet", "")
		}},

		"GET /api/v1/crisis-resources": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, "/crisis-resources", nil)
		}},
		"GET /api/v1/organizations/{org}/crisis-resources": {class: mxPublic, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiOrg(c)+"/crisis-resources", nil)
		}},
		"PUT /api/v1/organizations/{org}/crisis-resources": {class: mxOrgAdmin, scope: mxOrg,
			setup: func(t testing.TB, w *mxWorld, c *mxCell) { mxLines.Lock(); t.Cleanup(mxLines.Unlock) },
			build: func(w *mxWorld, c *mxCell) mxRequest {
				return api(http.MethodPut, apiOrg(c)+"/crisis-resources", map[string]any{"show_defaults": true,
					"resources": []map[string]any{{"name": "API line", "phone": "555 0123", "chat_url": "https://chat.example/"}}})
			}},
		"GET /api/v1/organizations/{org}/safety": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiOrg(c)+"/safety", nil)
		}},
		"PATCH /api/v1/organizations/{org}/safety": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPatch, apiOrg(c)+"/safety", map[string]any{"contact": "Ask Jo"})
		}},
		"GET /api/v1/organizations/{org}/crisis-phrases": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiOrg(c)+"/crisis-phrases", nil)
		}},
		"PUT /api/v1/organizations/{org}/crisis-phrases/{locale}": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPut, apiOrg(c)+"/crisis-phrases/pt", map[string]any{"phrases": []string{"quero morrer"}})
		}},
		"DELETE /api/v1/organizations/{org}/crisis-phrases/{locale}": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodDelete, apiOrg(c)+"/crisis-phrases/es", nil)
		}},
		"GET /api/v1/organizations/{org}/transparency": {class: mxPublic, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiOrg(c)+"/transparency", nil)
		}},
		"GET /api/v1/me/discreet-mode": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, "/me/discreet-mode", nil)
		}},
		"PUT /api/v1/me/discreet-mode": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPut, "/me/discreet-mode", map[string]any{"mode": "follow"})
		}},
		"GET /api/v1/me/safety-plan/sharing": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, "/me/safety-plan/sharing", nil)
		}},
		"PUT /api/v1/me/safety-plan/sharing": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPut, "/me/safety-plan/sharing", map[string]any{"supporter_id": ""})
		}},
		"GET /api/v1/me/shared-safety-plans": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, "/me/shared-safety-plans", nil)
		}},
	}
}
