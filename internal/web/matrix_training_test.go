package web_test

// The authorization matrix for training and sign-off. The rules, from
// PRODUCT.md (capability 5) in plain words:
//   - courses, modules and one's own progress are for active members of
//     the organisation, whatever their roles and age;
//   - authoring (courses, modules, the starter course) and sign-off
//     (the queue, a trainee's review, decisions, revoking) are for the
//     organisation's coordinators and admins only: not moderators,
//     facilitators or peer supporters, and staff of another organisation
//     have no power here.
//
// Trainee actions use a published course that nothing here changes;
// authoring uses a second course. Decisions and revokes get a fresh
// request or grant per cell; asking for sign-off gets a fresh person who
// passed every module; a refresher, a fresh person whose grant expired.

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"kindred"
)

// mxCoordinates: those who run training in rainbow.
func mxCoordinates(c *mxCell) mxOutcome {
	switch {
	case !c.signedIn():
		return mxLogIn
	case c.role == roleCoordinator || c.role == roleAdmin:
		return mxAllowed
	}
	return mxForbidden
}

// mxTrainingFixture is rainbow's two courses.
type mxTrainingFixture struct {
	once            sync.Once
	course, authors *kindred.Course
	module, draft   *kindred.Module
}

func mxTrainingModule(courseID, title string) *kindred.Module {
	return &kindred.Module{CourseID: courseID, Title: title, Competency: kindred.CompEngaging, Body: "Listen first.", PassMark: 100,
		Questions: []kindred.Question{{ID: "q1", Prompt: "What comes first?", Choices: []kindred.Choice{{Text: "Listening", Correct: true}, {Text: "Advice"}},
			Explanation: "Listening helps people feel heard."}},
		Scenarios: []kindred.Scenario{{ID: "s1", Situation: "A peer says they feel alone.", Reflections: []string{"What would you say?"}}},
		UpdatedAt: time.Now().UTC()}
}

func (w *mxWorld) training(t testing.TB) *mxTrainingFixture {
	t.Helper()
	v, _ := w.fixtures.LoadOrStore("training", &mxTrainingFixture{})
	f := v.(*mxTrainingFixture)
	f.once.Do(func() {
		ctx := w.ctx()
		f.course = &kindred.Course{OrgID: w.org.ID, Slug: "matrix-course", Title: "Matrix course", Published: true, ValidFor: 365 * 24 * time.Hour}
		f.authors = &kindred.Course{OrgID: w.org.ID, Slug: "matrix-authoring", Title: "Matrix authoring"}
		for _, c := range []*kindred.Course{f.course, f.authors} {
			if err := w.env.Store.CreateCourse(ctx, c); err != nil {
				t.Fatal(err)
			}
		}
		f.module, f.draft = mxTrainingModule(f.course.ID, "Listening"), mxTrainingModule(f.authors.ID, "Draft")
		for _, m := range []*kindred.Module{f.module, f.draft} {
			if err := w.env.Store.SaveModule(ctx, m); err != nil {
				t.Fatal(err)
			}
		}
	})
	if f.course == nil {
		t.Fatal("training fixture not made")
	}
	return f
}

// mxFixture returns what a setup stored for the cell, or a made-up id (the
// comparisons of hidden and missing organisations run without setups).
func (w *mxWorld) mxFixture(c *mxCell, key string) string {
	if v, ok := w.fixtures.Load(key + "/" + c.String() + "/" + c.org.Slug); ok {
		return v.(string)
	}
	return "nosuchthing0000000000000000"
}

func (w *mxWorld) setFixture(c *mxCell, key, v string) {
	w.fixtures.Store(key+"/"+c.String()+"/"+c.org.Slug, v)
}

// passAll records that the cell's person passed every module of the course.
func (w *mxWorld) passAll(t testing.TB, c *mxCell) {
	t.Helper()
	f := w.training(t)
	if c.who.account == nil {
		return
	}
	now := time.Now().UTC()
	p := &kindred.ModuleProgress{AccountID: c.who.account.ID, ModuleID: f.module.ID, CourseID: f.course.ID, ReadAt: &now, PassedAt: &now,
		Answers: map[string][]int{"q1": {0}}, Score: 1, Attempts: 1, Reflections: map[string][]string{"s1": {"I'd listen."}}}
	if err := w.env.Store.SaveProgress(w.ctx(), p); err != nil {
		t.Fatal(err)
	}
}

// freshSignOff makes a new trainee in rainbow with a sign-off on the
// course as decision, and stores its id for the cell.
func (w *mxWorld) freshSignOff(t testing.TB, c *mxCell, decision kindred.SignOffDecision) {
	t.Helper()
	f := w.training(t)
	a := w.account(t, kindred.AgeAdult, false)
	w.env.Member(t, w.org, a, kindred.RoleMember, kindred.StatusActive)
	x := &kindred.Certification{OrgID: w.org.ID, CourseID: f.course.ID, AccountID: a.ID, Decision: decision}
	if decision == kindred.SignOffGranted {
		now := time.Now().UTC()
		x.DecidedAt = &now
	}
	if err := w.env.Store.CreateCertification(w.ctx(), x); err != nil {
		t.Fatal(err)
	}
	w.setFixture(c, "cert", x.ID)
}

func mxTrainingMatrix() map[string]mxEntry {
	member := func(build func(w *mxWorld, c *mxCell) mxRequest) mxEntry {
		return mxEntry{class: mxOrgMember, scope: mxOrg, build: build, setup: func(t testing.TB, w *mxWorld, c *mxCell) { w.training(t) }}
	}
	coord := func(build func(w *mxWorld, c *mxCell) mxRequest) mxEntry {
		return mxEntry{class: mxOrgMember, scope: mxOrg, expect: mxCoordinates, build: build,
			setup: func(t testing.TB, w *mxWorld, c *mxCell) { w.training(t) }}
	}
	tr := func(c *mxCell) string { return orgURL(c) + "/training" }
	course := func(c *mxCell) string { return tr(c) + "/c/matrix-course" }
	authoring := func(c *mxCell) string { return tr(c) + "/c/matrix-authoring" }
	apiTr := func(c *mxCell) string { return apiOrg(c) + "/training" }
	apiCourse := func(c *mxCell) string { return apiTr(c) + "/courses/matrix-course" }
	apiAuthoring := func(c *mxCell) string { return apiTr(c) + "/courses/matrix-authoring" }
	moduleID := func(w *mxWorld) string {
		if v, ok := w.fixtures.Load("training"); ok && v.(*mxTrainingFixture).module != nil {
			return v.(*mxTrainingFixture).module.ID
		}
		return "nosuchmodule"
	}
	draftID := func(w *mxWorld) string {
		if v, ok := w.fixtures.Load("training"); ok && v.(*mxTrainingFixture).draft != nil {
			return v.(*mxTrainingFixture).draft.ID
		}
		return "nosuchmodule"
	}
	moduleForm := []string{"title", "Draft", "competency", "engaging", "body", "Listen first.", "pass_mark", "100",
		"q0_id", "q1", "q0_prompt", "What comes first?", "q0_choices", "*Listening\nAdvice", "q0_explanation", "",
		"s0_id", "s1", "s0_situation", "A peer says they feel alone.", "s0_reflections", "What would you say?", "action", "save"}
	moduleJSON := map[string]any{"title": "Draft", "competency": "engaging", "body": "Listen first.", "pass_mark": 100,
		"questions": []map[string]any{{"id": "q1", "prompt": "What comes first?", "choices": []map[string]any{{"text": "Listening", "correct": true}, {"text": "Advice"}}}},
		"scenarios": []map[string]any{{"id": "s1", "situation": "A peer says they feel alone.", "reflections": []string{"What would you say?"}}}}

	// A fresh module of the authoring course for each deletion expected to
	// succeed.
	freshModule := func(t testing.TB, w *mxWorld, c *mxCell) {
		f := w.training(t)
		m := mxTrainingModule(f.authors.ID, "To delete")
		if err := w.env.Store.SaveModule(w.ctx(), m); err != nil {
			t.Fatal(err)
		}
		w.setFixture(c, "module", m.ID)
	}
	withSetup := func(e mxEntry, setup func(t testing.TB, w *mxWorld, c *mxCell)) mxEntry {
		e.setup = func(t testing.TB, w *mxWorld, c *mxCell) { w.training(t); setup(t, w, c) }
		return e
	}
	// Adding the starter course succeeds once per organisation, so those
	// expected to succeed get an organisation of their own, holding the
	// same role there.
	freshOrg := func(t testing.TB, w *mxWorld, c *mxCell) {
		if mxCoordinates(c) != mxAllowed {
			return
		}
		founder := w.account(t, kindred.AgeAdult, false)
		o := w.env.Org(t, founder, w.unique("starter"), kindred.JoinRequest)
		w.env.Member(t, o, c.who.account, mxOrgRoles[c.role], kindred.StatusActive)
		c.org = o
	}
	orgMemberActive := func(c *mxCell) bool { _, ok := mxOrgRoles[c.role]; return ok }

	return map[string]mxEntry{
		// Pages for members.
		"GET /o/{org}/training":                       member(func(w *mxWorld, c *mxCell) mxRequest { return get(tr(c)) }),
		"GET /o/{org}/training/c/{course}":            member(func(w *mxWorld, c *mxCell) mxRequest { return get(course(c)) }),
		"GET /o/{org}/training/c/{course}/m/{module}": member(func(w *mxWorld, c *mxCell) mxRequest { return get(course(c) + "/m/" + moduleID(w)) }),
		"POST /o/{org}/training/c/{course}/m/{module}/read": member(func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(course(c) + "/m/" + moduleID(w) + "/read")
		}),
		"POST /o/{org}/training/c/{course}/m/{module}/answers": member(func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(course(c)+"/m/"+moduleID(w)+"/answers", "q.q1", "0")
		}),
		"POST /o/{org}/training/c/{course}/m/{module}/reflections": member(func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(course(c)+"/m/"+moduleID(w)+"/reflections", "r.s1.0", "I would listen.")
		}),
		"POST /o/{org}/training/c/{course}/signoff": withSetup(mxEntry{class: mxOrgMember, scope: mxOrg, needs: needSubject,
			build: func(w *mxWorld, c *mxCell) mxRequest { return postForm(course(c) + "/signoff") }},
			func(t testing.TB, w *mxWorld, c *mxCell) { w.passAll(t, c) }),
		"POST /o/{org}/training/c/{course}/refresher": withSetup(mxEntry{class: mxOrgMember, scope: mxOrg, needs: needSubject,
			build: func(w *mxWorld, c *mxCell) mxRequest { return postForm(course(c) + "/refresher") }},
			func(t testing.TB, w *mxWorld, c *mxCell) {
				if !orgMemberActive(c) {
					return
				}
				expired := time.Now().UTC().Add(-time.Hour)
				x := &kindred.Certification{OrgID: w.org.ID, CourseID: w.training(t).course.ID, AccountID: c.who.account.ID,
					Decision: kindred.SignOffGranted, DecidedAt: &expired, ExpiresAt: &expired}
				if err := w.env.Store.CreateCertification(w.ctx(), x); err != nil {
					t.Fatal(err)
				}
			}),

		// Pages for coordinators and admins.
		"GET /o/{org}/training/new": coord(func(w *mxWorld, c *mxCell) mxRequest { return get(tr(c) + "/new") }),
		"POST /o/{org}/training/courses": coord(func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(tr(c)+"/courses", "title", "A new course", "slug", w.unique("course"), "valid_days", "0")
		}),
		"POST /o/{org}/training/starter":        coord(func(w *mxWorld, c *mxCell) mxRequest { return postForm(tr(c) + "/starter") }),
		"GET /o/{org}/training/reviews":         coord(func(w *mxWorld, c *mxCell) mxRequest { return get(tr(c) + "/reviews") }),
		"GET /o/{org}/training/c/{course}/edit": coord(func(w *mxWorld, c *mxCell) mxRequest { return get(authoring(c) + "/edit") }),
		"POST /o/{org}/training/c/{course}/edit": coord(func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(authoring(c)+"/edit", "title", "Matrix authoring", "summary", "", "valid_days", "0")
		}),
		"GET /o/{org}/training/c/{course}/trainees/{account}": coord(func(w *mxWorld, c *mxCell) mxRequest {
			return get(course(c) + "/trainees/" + w.host.ID)
		}),
		"GET /o/{org}/training/c/{course}/modules/new": coord(func(w *mxWorld, c *mxCell) mxRequest { return get(authoring(c) + "/modules/new") }),
		"POST /o/{org}/training/c/{course}/modules": coord(func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(authoring(c)+"/modules", moduleForm...)
		}),
		"GET /o/{org}/training/c/{course}/m/{module}/edit": coord(func(w *mxWorld, c *mxCell) mxRequest {
			return get(authoring(c) + "/m/" + draftID(w) + "/edit")
		}),
		"POST /o/{org}/training/c/{course}/m/{module}/edit": coord(func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(authoring(c)+"/m/"+draftID(w)+"/edit", moduleForm...)
		}),
		"POST /o/{org}/training/c/{course}/m/{module}/move": coord(func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(authoring(c)+"/m/"+draftID(w)+"/move", "direction", "up")
		}),
		"POST /o/{org}/training/c/{course}/m/{module}/delete": withSetup(mxEntry{class: mxOrgMember, scope: mxOrg, expect: mxCoordinates,
			build: func(w *mxWorld, c *mxCell) mxRequest {
				return postForm(authoring(c) + "/m/" + w.mxFixture(c, "module") + "/delete")
			}},
			freshModule),
		"POST /o/{org}/training/signoffs/{cert}/decide": withSetup(mxEntry{class: mxOrgMember, scope: mxOrg, expect: mxCoordinates,
			build: func(w *mxWorld, c *mxCell) mxRequest {
				return postForm(tr(c)+"/signoffs/"+w.mxFixture(c, "cert")+"/decide", "decision", "decline", "note", "Please finish the reflections.",
					"course", "matrix-course", "account", w.host.ID)
			}},
			func(t testing.TB, w *mxWorld, c *mxCell) { w.freshSignOff(t, c, kindred.SignOffRequested) }),
		"POST /o/{org}/training/signoffs/{cert}/revoke": withSetup(mxEntry{class: mxOrgMember, scope: mxOrg, expect: mxCoordinates,
			build: func(w *mxWorld, c *mxCell) mxRequest {
				return postForm(tr(c)+"/signoffs/"+w.mxFixture(c, "cert")+"/revoke", "reason", "Stepping back for now.",
					"course", "matrix-course", "account", w.host.ID)
			}},
			func(t testing.TB, w *mxWorld, c *mxCell) { w.freshSignOff(t, c, kindred.SignOffGranted) }),

		// The API, for members.
		"GET /api/v1/organizations/{org}/training/courses": member(func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiTr(c)+"/courses", nil)
		}),
		"GET /api/v1/organizations/{org}/training/courses/{course}": member(func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiCourse(c), nil)
		}),
		"GET /api/v1/organizations/{org}/training/courses/{course}/modules/{module}": member(func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiCourse(c)+"/modules/"+moduleID(w), nil)
		}),
		"POST /api/v1/organizations/{org}/training/courses/{course}/modules/{module}/read": member(func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiCourse(c)+"/modules/"+moduleID(w)+"/read", nil)
		}),
		"POST /api/v1/organizations/{org}/training/courses/{course}/modules/{module}/answers": member(func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiCourse(c)+"/modules/"+moduleID(w)+"/answers", map[string]any{"answers": map[string][]int{"q1": {1}}})
		}),
		"PUT /api/v1/organizations/{org}/training/courses/{course}/modules/{module}/reflections": member(func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPut, apiCourse(c)+"/modules/"+moduleID(w)+"/reflections", map[string]any{"reflections": map[string][]string{"s1": {"Listen."}}})
		}),
		"GET /api/v1/organizations/{org}/training/me": member(func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiTr(c)+"/me", nil)
		}),
		"POST /api/v1/organizations/{org}/training/courses/{course}/signoff": withSetup(mxEntry{class: mxOrgMember, scope: mxOrg, needs: needSubject,
			build: func(w *mxWorld, c *mxCell) mxRequest { return api(http.MethodPost, apiCourse(c)+"/signoff", nil) }},
			func(t testing.TB, w *mxWorld, c *mxCell) { w.passAll(t, c) }),
		"POST /api/v1/organizations/{org}/training/courses/{course}/refresher": withSetup(mxEntry{class: mxOrgMember, scope: mxOrg, needs: needSubject,
			build: func(w *mxWorld, c *mxCell) mxRequest { return api(http.MethodPost, apiCourse(c)+"/refresher", nil) }},
			func(t testing.TB, w *mxWorld, c *mxCell) {
				if !orgMemberActive(c) {
					return
				}
				expired := time.Now().UTC().Add(-time.Hour)
				x := &kindred.Certification{OrgID: w.org.ID, CourseID: w.training(t).course.ID, AccountID: c.who.account.ID,
					Decision: kindred.SignOffGranted, DecidedAt: &expired, ExpiresAt: &expired}
				if err := w.env.Store.CreateCertification(w.ctx(), x); err != nil {
					t.Fatal(err)
				}
			}),

		// The API, for coordinators and admins.
		"POST /api/v1/organizations/{org}/training/courses": coord(func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiTr(c)+"/courses", map[string]any{"title": "A new course", "slug": w.unique("course")})
		}),
		"POST /api/v1/organizations/{org}/training/starter": withSetup(mxEntry{class: mxOrgMember, scope: mxOrg, expect: mxCoordinates,
			build: func(w *mxWorld, c *mxCell) mxRequest { return api(http.MethodPost, apiTr(c)+"/starter", nil) }}, freshOrg),
		"PATCH /api/v1/organizations/{org}/training/courses/{course}": coord(func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPatch, apiAuthoring(c), map[string]any{"title": "Matrix authoring"})
		}),
		"POST /api/v1/organizations/{org}/training/courses/{course}/modules": coord(func(w *mxWorld, c *mxCell) mxRequest {
			body := map[string]any{"id": draftID(w)}
			for k, v := range moduleJSON {
				body[k] = v
			}
			return api(http.MethodPost, apiAuthoring(c)+"/modules", body)
		}),
		"DELETE /api/v1/organizations/{org}/training/courses/{course}/modules/{module}": withSetup(mxEntry{class: mxOrgMember, scope: mxOrg, expect: mxCoordinates,
			build: func(w *mxWorld, c *mxCell) mxRequest {
				return api(http.MethodDelete, apiAuthoring(c)+"/modules/"+w.mxFixture(c, "module"), nil)
			}}, freshModule),
		"GET /api/v1/organizations/{org}/training/signoffs": coord(func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiTr(c)+"/signoffs", nil)
		}),
		"GET /api/v1/organizations/{org}/training/courses/{course}/trainees/{account}": coord(func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodGet, apiCourse(c)+"/trainees/"+w.host.ID, nil)
		}),
		"POST /api/v1/organizations/{org}/training/signoffs/{cert}/decision": withSetup(mxEntry{class: mxOrgMember, scope: mxOrg, expect: mxCoordinates,
			build: func(w *mxWorld, c *mxCell) mxRequest {
				return api(http.MethodPost, apiTr(c)+"/signoffs/"+w.mxFixture(c, "cert")+"/decision", map[string]any{"decision": "grant", "note": "Well done."})
			}},
			func(t testing.TB, w *mxWorld, c *mxCell) { w.freshSignOff(t, c, kindred.SignOffRequested) }),
		"POST /api/v1/organizations/{org}/training/signoffs/{cert}/revoke": withSetup(mxEntry{class: mxOrgMember, scope: mxOrg, expect: mxCoordinates,
			build: func(w *mxWorld, c *mxCell) mxRequest {
				return api(http.MethodPost, apiTr(c)+"/signoffs/"+w.mxFixture(c, "cert")+"/revoke", map[string]any{"reason": "Stepping back."})
			}},
			func(t testing.TB, w *mxWorld, c *mxCell) { w.freshSignOff(t, c, kindred.SignOffGranted) }),
	}
}
