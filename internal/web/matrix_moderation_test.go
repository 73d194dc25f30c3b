package web_test

// The authorization matrix for reports, the moderation queue, decisions
// and appeals. The rules, from issue 5 (item 4) in plain words:
//   - anyone signed in who can see a post may report it: active members
//     who read the group; a post in a group they cannot read looks missing
//     (404); people outside the organisation are refused (403: rainbow is
//     listed); visitors are asked to log in;
//   - a member may report another active member of the organisation;
//   - a chat message in a room one is not part of looks missing;
//   - "My reports" belongs to anyone with a place in the organisation,
//     pending or banned included (they can still read and appeal decisions
//     about them); a decision that is not about you looks missing;
//   - the queue is for moderators and admins, and for coordinators (crisis
//     flags); other members are refused; a case or appeal that is not
//     there looks missing to staff;
//   - appeals are answered by moderators and admins, not coordinators;
//   - moderation settings are for admins.

import (
	"net/http"

	"kindred"
)

func mxModBase(c *mxCell) (mxOutcome, bool) {
	switch {
	case !c.signedIn():
		return mxLogIn, true
	case !c.orgActive():
		return mxForbidden, true
	}
	return mxAllowed, false
}

// mxModReportPost: readers of the group report; others find nothing.
func mxModReportPost(c *mxCell) mxOutcome {
	if out, done := mxModBase(c); done {
		return out
	}
	if !c.readsGroup() {
		return mxHidden
	}
	return mxAllowed
}

// mxModStaff: the queue is for moderators, admins and coordinators; a
// missing case looks missing.
func mxModStaff(found mxOutcome) func(c *mxCell) mxOutcome {
	return func(c *mxCell) mxOutcome {
		if out, done := mxModBase(c); done {
			return out
		}
		switch c.role {
		case roleModerator, roleAdmin, roleCoordinator:
			return found
		}
		return mxForbidden
	}
}

// mxModAppeals: appeals are answered by moderators and admins.
func mxModAppeals(c *mxCell) mxOutcome {
	if out, done := mxModBase(c); done {
		return out
	}
	if c.role == roleModerator || c.role == roleAdmin {
		return mxHidden // there is no such appeal
	}
	return mxForbidden
}

// mxModMine: anyone with a place in the organisation, pending included.
func mxModMine(c *mxCell) mxOutcome {
	switch {
	case !c.signedIn():
		return mxLogIn
	case c.orgActive(), c.role == rolePending:
		return mxAllowed
	}
	return mxForbidden
}

// mxModNotMine: a decision that is not about you looks missing.
func mxModNotMine(c *mxCell) mxOutcome {
	if !c.signedIn() {
		return mxLogIn
	}
	return mxHidden
}

func mxModerationMatrix() map[string]mxEntry {
	base := func(c *mxCell) string { return orgURL(c) + "/moderation" }
	apiBase := func(c *mxCell) string { return apiOrg(c) + "/moderation" }
	org := func(expect func(*mxCell) mxOutcome, build func(w *mxWorld, c *mxCell) mxRequest) mxEntry {
		return mxEntry{class: mxOrgMember, scope: mxOrg, expect: expect, build: build}
	}
	post := func(build func(w *mxWorld, c *mxCell) mxRequest) mxEntry {
		return mxEntry{class: mxGroupRead, scope: mxGroup, expect: mxModReportPost, build: build}
	}
	return map[string]mxEntry{
		"GET /o/{org}/g/{group}/p/{post}/report": post(func(w *mxWorld, c *mxCell) mxRequest {
			return get(groupURL(c) + "/p/" + c.post + "/report")
		}),
		"POST /o/{org}/g/{group}/p/{post}/report": post(func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(groupURL(c)+"/p/"+c.post+"/report", "reason", "spam", "note", "Matrix.")
		}),
		"GET /rooms/{room}/messages/{seq}/report": {class: mxSignedIn, expect: mxModNotMine, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get("/rooms/" + kindred.NewID() + "/messages/1/report")
		}},
		"POST /rooms/{room}/messages/{seq}/report": {class: mxSignedIn, expect: mxModNotMine, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm("/rooms/"+kindred.NewID()+"/messages/1/report", "reason", "spam")
		}},
		"GET /o/{org}/people/{account}/report": org(mxModMember, func(w *mxWorld, c *mxCell) mxRequest {
			return get(orgURL(c) + "/people/" + c.target + "/report")
		}),
		"POST /o/{org}/people/{account}/report": org(mxModMember, func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/people/"+c.target+"/report", "reason", "impersonation")
		}),
		"GET /o/{org}/reports": org(mxModMine, func(w *mxWorld, c *mxCell) mxRequest { return get(orgURL(c) + "/reports") }),
		"POST /o/{org}/reports/decisions/{decision}/appeal": org(mxModNotMine, func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(orgURL(c)+"/reports/decisions/"+kindred.NewID()+"/appeal", "note", "Please look again.")
		}),
		"GET /o/{org}/moderation": org(mxModStaff(mxAllowed), func(w *mxWorld, c *mxCell) mxRequest { return get(base(c)) }),
		"GET /o/{org}/moderation/cases/{case}": org(mxModStaff(mxHidden), func(w *mxWorld, c *mxCell) mxRequest {
			return get(base(c) + "/cases/" + kindred.NewID())
		}),
		"POST /o/{org}/moderation/cases/{case}/decide": org(mxModStaff(mxHidden), func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(base(c)+"/cases/"+kindred.NewID()+"/decide", "action", "dismiss", "reason", "Matrix.")
		}),
		"POST /o/{org}/moderation/appeals/{decision}/decide": org(mxModAppeals, func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(base(c)+"/appeals/"+kindred.NewID()+"/decide", "outcome", "upheld", "reason", "Matrix.")
		}),
		"GET /o/{org}/moderation/settings": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(base(c) + "/settings")
		}},
		"POST /o/{org}/moderation/settings": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(base(c)+"/settings", "hide_threshold", "3")
		}},

		"POST /api/v1/organizations/{org}/reports": org(mxModMember, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiOrg(c)+"/reports", map[string]any{"kind": "person", "account": c.target, "reason": "spam"})
		}),
		"GET /api/v1/organizations/{org}/reports": org(mxModMine, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiOrg(c)+"/reports", nil)
		}),
		"POST /api/v1/organizations/{org}/decisions/{decision}/appeal": org(mxModNotMine, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiOrg(c)+"/decisions/"+kindred.NewID()+"/appeal", map[string]any{"note": "Please look again."})
		}),
		"GET /api/v1/organizations/{org}/moderation/cases": org(mxModStaff(mxAllowed), func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiBase(c)+"/cases", nil)
		}),
		"GET /api/v1/organizations/{org}/moderation/cases/{case}": org(mxModStaff(mxHidden), func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiBase(c)+"/cases/"+kindred.NewID(), nil)
		}),
		"POST /api/v1/organizations/{org}/moderation/cases/{case}/decisions": org(mxModStaff(mxHidden), func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiBase(c)+"/cases/"+kindred.NewID()+"/decisions", map[string]any{"action": "dismiss", "reason": "Matrix."})
		}),
		"POST /api/v1/organizations/{org}/moderation/appeals/{decision}": org(mxModAppeals, func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiBase(c)+"/appeals/"+kindred.NewID(), map[string]any{"outcome": "upheld", "reason": "Matrix."})
		}),
		"GET /api/v1/organizations/{org}/moderation/settings": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiBase(c)+"/settings", nil)
		}},
		"PUT /api/v1/organizations/{org}/moderation/settings": {class: mxOrgAdmin, scope: mxOrg, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPut, apiBase(c)+"/settings", map[string]any{"hide_threshold": 3, "hold_crisis_posts": false})
		}},
	}
}

// mxModMember: active members may; everyone else signed in
// is refused (rainbow is listed); visitors log in.
func mxModMember(c *mxCell) mxOutcome {
	out, _ := mxModBase(c)
	return out
}
