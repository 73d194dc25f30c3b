package web_test

// The authorization matrix for 1:1 peer support: the pages and the API.
// The rules, from PRODUCT.md (capability 5) in plain words:
//   - support is for active members of the organisation; to everyone
//     else the organisation's support pages do not exist (404), and
//     visitors are asked to log in;
//   - any active member may ask for support and see their own requests;
//     only the person who asked may withdraw a request, or ask for someone
//     else once matched (with no match there is nothing to decline: 409);
//   - a request is seen by its member, the supporter matched with it and
//     coordinators (admins coordinate too); other members find nothing;
//   - the inbox, the profile and ending one's shift are for people with
//     the peer supporter role; going on shift and accepting offers also
//     need a sign-off in force, which the matrix's peer_supporter has not
//     got (403); an offer or a match that is not yours is not there (404);
//   - supervision (the dashboard, escalations, taking a supporter off
//     shift, the settings) is for coordinators and admins: 403 for other
//     members.
//
// Each cell asking for support or withdrawing gets a fresh person (and
// request) of its own; a coordinator taking someone off shift gets a
// signed-off supporter on shift of their own.

import (
	"context"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"kindred"
	"kindred/internal/kindredtest"
)

// mxSupportBase: outside the organisation nothing is there; visitors log in.
func mxSupportBase(c *mxCell) (mxOutcome, bool) {
	switch {
	case !c.signedIn():
		return mxLogIn, true
	case !c.orgActive():
		return mxHidden, true
	}
	return mxAllowed, false
}

func mxSupportMember(c *mxCell) mxOutcome {
	out, _ := mxSupportBase(c)
	return out
}

func mxSupportCoordinates(c *mxCell) bool { return c.role == roleCoordinator || c.role == roleAdmin }

// mxSupportCoordinator: coordinators and admins; 403 for other members.
func mxSupportCoordinator(c *mxCell) mxOutcome {
	if out, done := mxSupportBase(c); done {
		return out
	}
	if mxSupportCoordinates(c) {
		return mxAllowed
	}
	return mxForbidden
}

// mxSupportCoordinatorMissing: coordinators are let through and find that
// the thing asked about is not there.
func mxSupportCoordinatorMissing(c *mxCell) mxOutcome {
	if out := mxSupportCoordinator(c); out != mxAllowed {
		return out
	}
	return mxHidden
}

// mxSupportSeesRequest: someone else's request is seen by coordinators.
func mxSupportSeesRequest(c *mxCell) mxOutcome {
	if out, done := mxSupportBase(c); done {
		return out
	}
	if mxSupportCoordinates(c) {
		return mxAllowed
	}
	return mxHidden
}

// mxSupportSupporter: the peer supporter role; 403 for other members.
func mxSupportSupporter(c *mxCell) mxOutcome {
	if out, done := mxSupportBase(c); done {
		return out
	}
	if c.role == rolePeer {
		return mxAllowed
	}
	return mxForbidden
}

// mxSupportCertified: a sign-off in force, which nobody in the matrix has.
func mxSupportCertified(c *mxCell) mxOutcome {
	if out, done := mxSupportBase(c); done {
		return out
	}
	return mxForbidden
}

// mxSupportShiftEnd: a peer supporter with no shift to end: 409.
func mxSupportShiftEnd(c *mxCell) mxOutcome {
	if out := mxSupportSupporter(c); out != mxAllowed {
		return out
	}
	return mxConflict
}

// mxSupportNotYours: an offer the supporter does not have.
func mxSupportNotYours(c *mxCell) mxOutcome {
	if out := mxSupportSupporter(c); out != mxAllowed {
		return out
	}
	return mxHidden
}

// mxSupportNobody: a match nobody in the matrix is part of.
func mxSupportNobody(c *mxCell) mxOutcome {
	if out, done := mxSupportBase(c); done {
		return out
	}
	return mxHidden
}

// mxSupportDecline: one's own request has no match to decline.
func mxSupportDecline(c *mxCell) mxOutcome {
	if out, done := mxSupportBase(c); done {
		return out
	}
	return mxConflict
}

// mxSupportRequester is someone in rainbow with a waiting request, the one
// coordinators look at and everyone else must not find.
type mxSupportRequester struct {
	once    sync.Once
	request string
	err     error
}

func mxSupportRequest(w *mxWorld) string {
	v, _ := w.fixtures.LoadOrStore("support:request", &mxSupportRequester{})
	f := v.(*mxSupportRequester)
	f.once.Do(func() {
		a, err := mxLiveAccount(w, kindred.AgeAdult)
		if err != nil {
			f.err = err
			return
		}
		now := time.Now().UTC()
		if f.err = w.env.Store.CreateMembership(context.Background(), &kindred.Membership{OrgID: w.org.ID, AccountID: a.ID,
			Roles: kindred.RoleMember, Status: kindred.StatusActive, ConductAcceptedAt: &now, CreatedAt: now}); f.err != nil {
			return
		}
		rv, err := w.env.Services.Support.RequestSupport(context.Background(), kindredtest.Actor(a), w.org.Slug,
			kindred.SupportRequestDraft{Topics: []string{"coming_out"}, Details: "Matrix request."})
		if err != nil {
			f.err = fmt.Errorf("request support: %w", err)
			return
		}
		f.request = rv.Request.ID
	})
	if f.err != nil {
		panic(fmt.Sprintf("support request fixture: %v", f.err))
	}
	return f.request
}

// mxSupportID is the id a cell's request is about: its own (setup), the
// shared one for rainbow, or a made-up one.
func mxSupportID(w *mxWorld, c *mxCell, key string, shared func(*mxWorld) string) string {
	if v, ok := w.fixtures.Load([2]any{c, key}); ok {
		return v.(string)
	}
	if shared != nil && c.org == w.org {
		return shared(w)
	}
	return kindred.NewID()
}

// mxSupportOwnRequest gives an active member a waiting request of their own.
func mxSupportOwnRequest(t testing.TB, w *mxWorld, c *mxCell) {
	t.Helper()
	if !c.orgActive() || c.org != w.org {
		return
	}
	v, err := w.env.Services.Support.RequestSupport(context.Background(), kindredtest.Actor(c.who.account), c.org.Slug,
		kindred.SupportRequestDraft{Topics: []string{"coming_out"}})
	if err != nil {
		t.Fatalf("%s asks for support: %v", c, err)
	}
	w.fixtures.Store([2]any{c, "request"}, v.Request.ID)
}

// mxSupportOnShift gives a coordinator a signed-off supporter on shift to
// take off it.
func mxSupportOnShift(t testing.TB, w *mxWorld, c *mxCell) {
	t.Helper()
	if mxSupportCoordinator(c) != mxAllowed || c.org != w.org {
		return
	}
	a := w.account(t, kindred.AgeAdult, false)
	w.env.Member(t, w.org, a, kindred.RoleMember, kindred.StatusActive)
	certifySupporter(t, w.env.Store, w.org, a, w.founder, false)
	ctx, actor := context.Background(), kindredtest.Actor(a)
	if _, err := w.env.Services.Support.SaveProfile(ctx, actor, w.org.Slug, kindred.SupporterProfileDraft{
		Experiences: []string{"faith"}, Languages: []string{"en"}, Capacity: 1}); err != nil {
		t.Fatalf("supporter profile: %v", err)
	}
	if err := w.env.Services.Support.StartShift(ctx, actor, w.org.Slug); err != nil {
		t.Fatalf("supporter starts a shift: %v", err)
	}
	w.fixtures.Store([2]any{c, "account"}, a.ID)
}

func mxSupportMatrix() map[string]mxEntry {
	base := func(c *mxCell) string { return orgURL(c) + "/support" }
	apiBase := func(c *mxCell) string { return apiOrg(c) + "/support" }
	request := func(w *mxWorld, c *mxCell) string { return mxSupportID(w, c, "request", mxSupportRequest) }
	own := func(w *mxWorld, c *mxCell) string { return mxSupportID(w, c, "request", nil) }
	target := func(w *mxWorld, c *mxCell) string { return mxSupportID(w, c, "account", nil) }
	made := func() string { return kindred.NewID() }
	profileForm := []string{"intro", "Hello.", "experiences", "coming_out", "languages", "en", "time_zone", "UTC", "capacity", "1",
		"from_1", "18:00", "to_1", "20:00"}
	profileJSON := map[string]any{"experiences": []string{"coming_out"}, "languages": []string{"en"}, "capacity": 1}
	settingsForm := func() []string {
		set := kindred.DefaultSupportSettings("")
		tax := ""
		for _, e := range set.Taxonomy {
			tax += e.Label + "\n"
		}
		return []string{"max_capacity", "3", "max_shift", "240", "weekly_hours", "12", "offer_timeout", "5", "offers_at_once", "3", "taxonomy", tax}
	}
	settingsJSON := func() map[string]any {
		set := kindred.DefaultSupportSettings("")
		var tax []map[string]string
		for _, e := range set.Taxonomy {
			tax = append(tax, map[string]string{"key": e.Key, "label": e.Label})
		}
		return map[string]any{"max_capacity": 3, "max_shift_minutes": 240, "weekly_hours": 12, "offer_timeout_minutes": 5,
			"offers_at_once": 3, "taxonomy": tax}
	}
	matchForm := func(w *mxWorld, c *mxCell, action string, kv ...string) mxRequest {
		return postForm(base(c)+"/matches/"+made()+"/"+action, append([]string{"request", made()}, kv...)...)
	}
	e := func(expect func(*mxCell) mxOutcome, build func(w *mxWorld, c *mxCell) mxRequest) mxEntry {
		return mxEntry{class: mxOrgMember, scope: mxOrg, expect: expect, build: build}
	}
	m := map[string]mxEntry{
		// Members.
		"GET /o/{org}/support": e(mxSupportMember, func(w *mxWorld, c *mxCell) mxRequest { return get(base(c)) }),
		"POST /o/{org}/support/requests": {class: mxOrgMember, scope: mxOrg, needs: needSubject, expect: mxSupportMember,
			build: func(w *mxWorld, c *mxCell) mxRequest {
				return postForm(base(c)+"/requests", "topics", "coming_out", "details", "Matrix words.", "urgency", "whenever")
			}},
		"GET /o/{org}/support/requests/{id}": e(mxSupportSeesRequest, func(w *mxWorld, c *mxCell) mxRequest {
			return get(base(c) + "/requests/" + request(w, c))
		}),
		"POST /o/{org}/support/requests/{id}/cancel": {class: mxOrgMember, scope: mxOrg, needs: needSubject, expect: mxSupportMember,
			setup: mxSupportOwnRequest, build: func(w *mxWorld, c *mxCell) mxRequest { return postForm(base(c) + "/requests/" + own(w, c) + "/cancel") }},
		"POST /o/{org}/support/requests/{id}/decline-match": {class: mxOrgMember, scope: mxOrg, needs: needSubject, expect: mxSupportDecline,
			setup: mxSupportOwnRequest, build: func(w *mxWorld, c *mxCell) mxRequest {
				return postForm(base(c) + "/requests/" + own(w, c) + "/decline-match")
			}},

		// Peer supporters.
		"GET /o/{org}/support/inbox":   e(mxSupportSupporter, func(w *mxWorld, c *mxCell) mxRequest { return get(base(c) + "/inbox") }),
		"GET /o/{org}/support/profile": e(mxSupportSupporter, func(w *mxWorld, c *mxCell) mxRequest { return get(base(c) + "/profile") }),
		"POST /o/{org}/support/profile": e(mxSupportSupporter, func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(base(c)+"/profile", profileForm...)
		}),
		"POST /o/{org}/support/shift/start": e(mxSupportCertified, func(w *mxWorld, c *mxCell) mxRequest { return postForm(base(c) + "/shift/start") }),
		"POST /o/{org}/support/shift/end":   e(mxSupportShiftEnd, func(w *mxWorld, c *mxCell) mxRequest { return postForm(base(c) + "/shift/end") }),
		"POST /o/{org}/support/offers/{offer}/accept": e(mxSupportCertified, func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(base(c) + "/offers/" + made() + "/accept")
		}),
		"POST /o/{org}/support/offers/{offer}/decline": e(mxSupportNotYours, func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(base(c) + "/offers/" + made() + "/decline")
		}),

		// The conversation: nobody in the matrix is part of this match.
		"POST /o/{org}/support/matches/{match}/end": e(mxSupportNobody, func(w *mxWorld, c *mxCell) mxRequest { return matchForm(w, c, "end") }),
		"POST /o/{org}/support/matches/{match}/feedback": e(mxSupportNobody, func(w *mxWorld, c *mxCell) mxRequest {
			return matchForm(w, c, "feedback", "helped", "yes")
		}),
		"POST /o/{org}/support/matches/{match}/debrief": e(mxSupportNobody, func(w *mxWorld, c *mxCell) mxRequest {
			return matchForm(w, c, "debrief", "body", "Went well.")
		}),
		"POST /o/{org}/support/matches/{match}/escalate": e(mxSupportNobody, func(w *mxWorld, c *mxCell) mxRequest {
			return matchForm(w, c, "escalate", "reason", "Please help.")
		}),
		"POST /o/{org}/support/matches/{match}/handoff": e(mxSupportNobody, func(w *mxWorld, c *mxCell) mxRequest {
			return matchForm(w, c, "handoff", "note", "Someone else may fit better.")
		}),
		"POST /o/{org}/support/matches/{match}/handoff/answer": e(mxSupportNobody, func(w *mxWorld, c *mxCell) mxRequest {
			return matchForm(w, c, "handoff/answer", "consent", "no")
		}),

		// Supervision.
		"GET /o/{org}/support/supervision": e(mxSupportCoordinator, func(w *mxWorld, c *mxCell) mxRequest { return get(base(c) + "/supervision") }),
		"POST /o/{org}/support/escalations/{id}/resolve": e(mxSupportCoordinatorMissing, func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(base(c)+"/escalations/"+made()+"/resolve", "note", "Called them.")
		}),
		"POST /o/{org}/support/supporters/{account}/end-shift": {class: mxOrgMember, scope: mxOrg, expect: mxSupportCoordinator, setup: mxSupportOnShift,
			build: func(w *mxWorld, c *mxCell) mxRequest {
				return postForm(base(c) + "/supporters/" + target(w, c) + "/end-shift")
			}},
		"GET /o/{org}/support/settings": e(mxSupportCoordinator, func(w *mxWorld, c *mxCell) mxRequest { return get(base(c) + "/settings") }),
		"POST /o/{org}/support/settings": e(mxSupportCoordinator, func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(base(c)+"/settings", settingsForm()...)
		}),

		// The API, by the same rules.
		"GET /api/v1/organizations/{org}/support": e(mxSupportMember, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiBase(c), nil)
		}),
		"POST /api/v1/organizations/{org}/support/requests": {class: mxOrgMember, scope: mxOrg, needs: needSubject, expect: mxSupportMember,
			build: func(w *mxWorld, c *mxCell) mxRequest {
				return api(http.MethodPost, apiBase(c)+"/requests", map[string]any{"topics": []string{"coming_out"}})
			}},
		"GET /api/v1/organizations/{org}/support/requests/{request}": e(mxSupportSeesRequest, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiBase(c)+"/requests/"+request(w, c), nil)
		}),
		"POST /api/v1/organizations/{org}/support/requests/{request}/cancel": {class: mxOrgMember, scope: mxOrg, needs: needSubject,
			expect: mxSupportMember, setup: mxSupportOwnRequest, build: func(w *mxWorld, c *mxCell) mxRequest {
				return api(http.MethodPost, apiBase(c)+"/requests/"+own(w, c)+"/cancel", nil)
			}},
		"POST /api/v1/organizations/{org}/support/requests/{request}/decline-match": {class: mxOrgMember, scope: mxOrg, needs: needSubject,
			expect: mxSupportDecline, setup: mxSupportOwnRequest, build: func(w *mxWorld, c *mxCell) mxRequest {
				return api(http.MethodPost, apiBase(c)+"/requests/"+own(w, c)+"/decline-match", nil)
			}},
		"GET /api/v1/organizations/{org}/support/inbox": e(mxSupportSupporter, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiBase(c)+"/inbox", nil)
		}),
		"GET /api/v1/organizations/{org}/support/profile": e(mxSupportSupporter, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiBase(c)+"/profile", nil)
		}),
		"PUT /api/v1/organizations/{org}/support/profile": e(mxSupportSupporter, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPut, apiBase(c)+"/profile", profileJSON)
		}),
		"POST /api/v1/organizations/{org}/support/shift/start": e(mxSupportCertified, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiBase(c)+"/shift/start", nil)
		}),
		"POST /api/v1/organizations/{org}/support/shift/end": e(mxSupportShiftEnd, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiBase(c)+"/shift/end", nil)
		}),
		"POST /api/v1/organizations/{org}/support/offers/{offer}/accept": e(mxSupportCertified, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiBase(c)+"/offers/"+made()+"/accept", nil)
		}),
		"POST /api/v1/organizations/{org}/support/offers/{offer}/decline": e(mxSupportNotYours, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiBase(c)+"/offers/"+made()+"/decline", nil)
		}),
		"POST /api/v1/organizations/{org}/support/matches/{match}/end": e(mxSupportNobody, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiBase(c)+"/matches/"+made()+"/end", nil)
		}),
		"POST /api/v1/organizations/{org}/support/matches/{match}/feedback": e(mxSupportNobody, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiBase(c)+"/matches/"+made()+"/feedback", map[string]any{"helped": "yes"})
		}),
		"POST /api/v1/organizations/{org}/support/matches/{match}/debrief": e(mxSupportNobody, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiBase(c)+"/matches/"+made()+"/debrief", map[string]any{"body": "Went well."})
		}),
		"POST /api/v1/organizations/{org}/support/matches/{match}/escalations": e(mxSupportNobody, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiBase(c)+"/matches/"+made()+"/escalations", map[string]any{"reason": "Please help."})
		}),
		"POST /api/v1/organizations/{org}/support/matches/{match}/handoff": e(mxSupportNobody, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiBase(c)+"/matches/"+made()+"/handoff", map[string]any{"note": "Someone else may fit better."})
		}),
		"POST /api/v1/organizations/{org}/support/matches/{match}/handoff/answer": e(mxSupportNobody, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiBase(c)+"/matches/"+made()+"/handoff/answer", map[string]any{"consent": false})
		}),
		"GET /api/v1/organizations/{org}/support/dashboard": e(mxSupportCoordinator, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiBase(c)+"/dashboard", nil)
		}),
		"POST /api/v1/organizations/{org}/support/escalations/{escalation}/resolve": e(mxSupportCoordinatorMissing, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiBase(c)+"/escalations/"+made()+"/resolve", map[string]any{"note": "Called them."})
		}),
		"POST /api/v1/organizations/{org}/support/supporters/{account}/end-shift": {class: mxOrgMember, scope: mxOrg, expect: mxSupportCoordinator,
			setup: mxSupportOnShift, build: func(w *mxWorld, c *mxCell) mxRequest {
				return api(http.MethodPost, apiBase(c)+"/supporters/"+target(w, c)+"/end-shift", nil)
			}},
		"GET /api/v1/organizations/{org}/support/settings": e(mxSupportCoordinator, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiBase(c)+"/settings", nil)
		}),
		"PUT /api/v1/organizations/{org}/support/settings": e(mxSupportCoordinator, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPut, apiBase(c)+"/settings", settingsJSON())
		}),
	}
	return m
}
