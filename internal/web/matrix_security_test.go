package web_test

// The authorization matrix for account protection. Passkeys, two-step
// codes and sessions belong to the account, not to an organisation:
// everyone signed in reaches their own (no route names whose), visitors are
// asked to log in, and someone else's passkey or session looks missing.
// The passkey sign-in ceremony is public. The matrix's sessions count as
// past the second step, so these rows test authorization, not the step
// (pages_security_test.go tests that).

import (
	"net/http"
	"sync"

	"kindred"
)

// signedInElse expects want for signed-in people and a log-in for visitors.
func signedInElse(want mxOutcome) func(c *mxCell) mxOutcome {
	return func(c *mxCell) mxOutcome {
		if !c.signedIn() {
			return mxLogIn
		}
		return want
	}
}

// twoStep serializes the cells that begin, confirm or turn off a two-step
// set-up: they share the matrix's people, and routes run in parallel, so a
// set-up begun by one could otherwise land between another's clearing it
// and its request (a disable then cancels that set-up and answers 200).
var twoStep sync.Mutex

func mxSecurityMatrix() map[string]mxEntry {
	return map[string]mxEntry{
		"GET /settings/security": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/settings/security") }},
		"POST /settings/security/two-factor": {class: mxSignedIn, serial: &twoStep, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/settings/security/two-factor")
		}},
		// Nobody in the matrix has a set-up waiting for a code, or codes on.
		"POST /settings/security/two-factor/confirm": {class: mxSignedIn, serial: &twoStep, expect: signedInElse(mxConflict), build: func(w *mxWorld, c *mxCell) mxRequest {
			noTwoFactor(w, c) // other cells may have begun a set-up for the same shared person
			return postForm("/settings/security/two-factor/confirm", "code", "123456")
		}},
		"POST /settings/security/two-factor/disable": {class: mxSignedIn, serial: &twoStep, expect: signedInElse(mxConflict), build: func(w *mxWorld, c *mxCell) mxRequest {
			noTwoFactor(w, c) // other cells may have begun a set-up for the same shared person
			return postForm("/settings/security/two-factor/disable", "off_code", "123456")
		}},
		"POST /settings/security/passkeys/options": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return mxRequest{method: http.MethodPost, path: "/settings/security/passkeys/options", json: map[string]any{}}
		}},
		// Without a ceremony begun the browser's answer is stale (410).
		"POST /settings/security/passkeys": {class: mxSignedIn, expect: signedInElse(mxOther), build: func(w *mxWorld, c *mxCell) mxRequest {
			return mxRequest{method: http.MethodPost, path: "/settings/security/passkeys", json: map[string]any{"name": "my phone", "credential": map[string]any{}}}
		}},
		"POST /settings/security/passkeys/{id}/delete": {class: mxSignedIn, expect: signedInElse(mxHidden), build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/settings/security/passkeys/" + kindred.NewID() + "/delete")
		}},
		"POST /settings/security/sessions/{id}/revoke": {class: mxSignedIn, expect: signedInElse(mxHidden), build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/settings/security/sessions/" + kindred.NewSecret() + "/revoke")
		}},
		// The code step: for a visitor there is no log-in waiting.
		"GET /login/code": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/login/code") }},
		"POST /login/code": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/login/code", "code", "123456")
		}},
		"POST /login/passkey/options": {class: mxPublic, build: func(w *mxWorld, c *mxCell) mxRequest {
			return mxRequest{method: http.MethodPost, path: "/login/passkey/options", json: map[string]any{}}
		}},
		"POST /login/passkey": {class: mxPublic, expect: func(c *mxCell) mxOutcome { return mxOther }, build: func(w *mxWorld, c *mxCell) mxRequest {
			return mxRequest{method: http.MethodPost, path: "/login/passkey", json: map[string]any{"id": "x"}}
		}},

		"GET /api/v1/me/passkeys": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return api(http.MethodGet, "/me/passkeys", nil) }},
		"DELETE /api/v1/me/passkeys/{id}": {class: mxSignedIn, expect: signedInElse(mxHidden), build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodDelete, "/me/passkeys/"+kindred.NewID(), nil)
		}},
		"GET /api/v1/me/two-factor": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return api(http.MethodGet, "/me/two-factor", nil) }},
		"POST /api/v1/me/two-factor": {class: mxSignedIn, serial: &twoStep, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, "/me/two-factor", map[string]any{})
		}},
		"POST /api/v1/me/two-factor/disable": {class: mxSignedIn, serial: &twoStep, expect: signedInElse(mxConflict), build: func(w *mxWorld, c *mxCell) mxRequest {
			noTwoFactor(w, c)
			return api(http.MethodPost, "/me/two-factor/disable", map[string]any{"code": "123456"})
		}},
		"GET /api/v1/me/sessions": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return api(http.MethodGet, "/me/sessions", nil) }},
		"DELETE /api/v1/me/sessions/{id}": {class: mxSignedIn, expect: signedInElse(mxHidden), build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodDelete, "/me/sessions/"+kindred.NewSecret(), nil)
		}},
	}
}

// noTwoFactor drops any two-step set-up the cell's shared person has, so
// what a cell sees does not depend on which cells ran before it.
func noTwoFactor(w *mxWorld, c *mxCell) {
	if c.who != nil && c.who.account != nil {
		_ = w.env.Store.DeleteTwoFactor(w.ctx(), c.who.account.ID)
	}
}
