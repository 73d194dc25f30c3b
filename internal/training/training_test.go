package training_test

// The training service through a real store (SQLite, or PostgreSQL with
// KINDRED_TEST_STORE=postgres): a trainee works through a course, asks
// for sign-off, is declined with a note, asks again and is granted; the
// grant gives the role, is announced and audited without anything the
// trainee wrote; a refresher, expiry and revoking take it away again.

import (
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"kindred"
	"kindred/internal/broker"
	"kindred/internal/kindredtest"
	"kindred/internal/markup"
	"kindred/internal/training"
)

// clock is a settable clock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time      { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

type world struct {
	env                          *kindredtest.Env
	svc                          *training.Service
	clock                        *clock
	org                          *kindred.Organization
	admin, coord, trainee, youth *kindred.Account
	member, outsider             *kindred.Account
	announced                    chan string
}

func newWorld(t *testing.T) *world {
	t.Helper()
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	w := &world{env: env, clock: &clock{t: time.Now().UTC()}, announced: make(chan string, 16)}
	events := broker.NewMemory()
	sub, err := events.Subscribe(kindred.AccessTopic, func(_ string, id []byte) { w.announced <- string(id) })
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	w.svc = training.New(env.Store, markup.New(), training.Options{Now: w.clock.Now, Broker: events})
	w.admin = env.Account(t, "ada", kindred.AgeAdult)
	w.org = env.Org(t, w.admin, "rainbow", kindred.JoinRequest)
	w.coord = env.Account(t, "margo", kindred.AgeAdult)
	env.Member(t, w.org, w.coord, kindred.RoleCoordinator, kindred.StatusActive)
	w.trainee = env.Account(t, "rosa", kindred.AgeAdult)
	env.Member(t, w.org, w.trainee, kindred.RoleMember, kindred.StatusActive)
	w.youth = env.Account(t, "sam", kindred.AgeYouth)
	env.Member(t, w.org, w.youth, kindred.RoleMember, kindred.StatusActive)
	w.member = env.Account(t, "mod", kindred.AgeAdult)
	env.Member(t, w.org, w.member, kindred.RoleModerator|kindred.RoleFacilitator|kindred.RolePeerSupporter, kindred.StatusActive)
	w.outsider = env.Account(t, "out", kindred.AgeAdult)
	return w
}

func actor(a *kindred.Account) *kindred.Actor { return kindredtest.Actor(a) }

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := kindred.ErrorCode(err); got != code {
		t.Fatalf("error code = %q (%v), want %q", got, err, code)
	}
}

func must(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

func roles(t testing.TB, w *world, a *kindred.Account) kindred.Role {
	t.Helper()
	m, err := w.env.Store.FindMembership(t.Context(), w.org.ID, a.ID)
	must(t, err)
	return m.Roles
}

var lesson = kindred.Module{Title: "Listening", Competency: kindred.CompEngaging, Body: "Listen **first**.", PassMark: 100,
	Questions: []kindred.Question{
		{Prompt: "What comes first?", Choices: []kindred.Choice{{Text: "Listening", Correct: true}, {Text: "Advice"}}, Explanation: "People need to feel heard."},
		{Prompt: "Which help?", Multiple: true, Choices: []kindred.Choice{{Text: "Reflecting back", Correct: true}, {Text: "Silence", Correct: true}, {Text: "Judging"}}},
	},
	Scenarios: []kindred.Scenario{{Situation: "A peer writes at 2am.", Reflections: []string{"What do you say first?", "What do you check?"}}}}

// course makes a published course of one module, valid for 90 days.
func course(t *testing.T, w *world) (*kindred.Course, *kindred.Module) {
	t.Helper()
	ctx := t.Context()
	_, c, err := w.svc.CreateCourse(ctx, actor(w.coord), "rainbow", kindred.CourseDraft{Title: "Foundations", ValidFor: 90 * 24 * time.Hour})
	must(t, err)
	_, m, err := w.svc.SaveModule(ctx, actor(w.coord), "rainbow", c.Slug, lesson)
	must(t, err)
	yes := true
	_, c, err = w.svc.UpdateCourse(ctx, actor(w.coord), "rainbow", c.Slug, kindred.CourseUpdate{Published: &yes})
	must(t, err)
	return c, m
}

// pass takes a trainee through every step of the module.
func pass(t *testing.T, w *world, a *kindred.Account, c *kindred.Course, m *kindred.Module) {
	t.Helper()
	ctx := t.Context()
	_, err := w.svc.MarkRead(ctx, actor(a), "rainbow", c.Slug, m.ID)
	must(t, err)
	_, err = w.svc.SubmitAnswers(ctx, actor(a), "rainbow", c.Slug, m.ID, map[string][]int{"q1": {0}, "q2": {1, 0}})
	must(t, err)
	pr, err := w.svc.SaveReflections(ctx, actor(a), "rainbow", c.Slug, m.ID, map[string][]string{"s1": {"Hello, I'm here.", "That they are safe."}})
	must(t, err)
	if !pr.Passed() {
		t.Fatalf("module not passed after every step: %+v", pr)
	}
}

func TestAuthoringRules(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	draft := kindred.CourseDraft{Title: "Basics"}
	for _, tc := range []struct {
		name  string
		actor *kindred.Actor
		org   string
		code  string
	}{
		{"visitor", nil, "rainbow", kindred.EUNAUTHORIZED},
		{"outsider", actor(w.outsider), "rainbow", kindred.EFORBIDDEN},
		{"member", actor(w.trainee), "rainbow", kindred.EFORBIDDEN},
		{"moderator, facilitator and supporter", actor(w.member), "rainbow", kindred.EFORBIDDEN},
		{"no such organisation", actor(w.coord), "nowhere", kindred.ENOTFOUND},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := w.svc.CreateCourse(ctx, tc.actor, tc.org, draft)
			wantCode(t, err, tc.code)
			_, _, err = w.svc.AddStarterCourse(ctx, tc.actor, tc.org)
			wantCode(t, err, tc.code)
			_, err = w.svc.Reviews(ctx, tc.actor, tc.org)
			wantCode(t, err, tc.code)
		})
	}

	_, c, err := w.svc.CreateCourse(ctx, actor(w.admin), "rainbow", draft)
	must(t, err)
	_, _, err = w.svc.CreateCourse(ctx, actor(w.coord), "rainbow", draft)
	wantCode(t, err, kindred.EINVALID)
	if f := kindred.ErrorFields(err); f["slug"] == "" {
		t.Errorf("a taken slug should be a field error, got %v", err)
	}

	// An unpublished course is invisible to trainees.
	_, _, err = w.svc.Course(ctx, actor(w.trainee), "rainbow", c.Slug)
	wantCode(t, err, kindred.ENOTFOUND)
	ov, err := w.svc.Overview(ctx, actor(w.trainee), "rainbow")
	must(t, err)
	if len(ov.Courses) != 0 {
		t.Fatalf("trainee sees %d unpublished courses", len(ov.Courses))
	}

	bad := lesson
	bad.Competency = ""
	bad.Questions = []kindred.Question{{Prompt: "Only one choice", Choices: []kindred.Choice{{Text: "A", Correct: true}}}}
	_, _, err = w.svc.SaveModule(ctx, actor(w.coord), "rainbow", c.Slug, bad)
	wantCode(t, err, kindred.EINVALID)
	f := kindred.ErrorFields(err)
	if f["competency"] == "" || f["questions.0"] == "" {
		t.Errorf("field errors = %v; want competency and questions.0", f)
	}

	// The starter course, once.
	_, sc, err := w.svc.AddStarterCourse(ctx, actor(w.coord), "rainbow")
	must(t, err)
	if !sc.Published {
		t.Error("the starter course should be published")
	}
	_, again, err := w.svc.AddStarterCourse(ctx, actor(w.admin), "rainbow")
	wantCode(t, err, kindred.ECONFLICT)
	if again == nil || again.ID != sc.ID {
		t.Errorf("a second starter course should point at the first, got %+v", again)
	}
}

func TestTraineeToSupporter(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	c, m := course(t, w)
	trainee := actor(w.trainee)

	_, err := w.svc.RequestSignOff(ctx, trainee, "rainbow", c.Slug)
	wantCode(t, err, kindred.EINVALID)

	_, err = w.svc.MarkRead(ctx, trainee, "rainbow", c.Slug, m.ID)
	must(t, err)
	_, err = w.svc.SubmitAnswers(ctx, trainee, "rainbow", c.Slug, m.ID, map[string][]int{"q1": {0}})
	wantCode(t, err, kindred.EINVALID)
	if kindred.ErrorFields(err)["answers.q2"] == "" {
		t.Errorf("an unanswered question should be a field error: %v", err)
	}
	res, err := w.svc.SubmitAnswers(ctx, trainee, "rainbow", c.Slug, m.ID, map[string][]int{"q1": {1}, "q2": {0}})
	must(t, err)
	if res.Passed || res.Right != 0 || res.Results[0].Right || !strings.Contains(res.Results[0].ExplanationHTML, "feel heard") {
		t.Fatalf("wrong answers marked %+v", res)
	}
	res, err = w.svc.SubmitAnswers(ctx, trainee, "rainbow", c.Slug, m.ID, map[string][]int{"q1": {0}, "q2": {1, 0}})
	must(t, err)
	if !res.Passed || res.Right != 2 || res.Progress.Attempts != 2 || res.Progress.Passed() {
		t.Fatalf("right answers = %+v (progress %+v); the module still needs its reflections", res, res.Progress)
	}

	long := strings.Repeat("a", kindred.MaxReflection+1)
	_, err = w.svc.SaveReflections(ctx, trainee, "rainbow", c.Slug, m.ID, map[string][]string{"s1": {"Fine", long}})
	wantCode(t, err, kindred.EINVALID)
	pr, err := w.svc.SaveReflections(ctx, trainee, "rainbow", c.Slug, m.ID, map[string][]string{"s1": {"Hello, I'm here.", ""}})
	must(t, err)
	if pr.Passed() {
		t.Fatal("passed with a reflection unanswered")
	}
	pr, err = w.svc.SaveReflections(ctx, trainee, "rainbow", c.Slug, m.ID, map[string][]string{"s1": {"Hello, I'm here.", "That they are safe tonight."}})
	must(t, err)
	if !pr.Passed() {
		t.Fatalf("not passed after every step: %+v", pr)
	}
	// A worse attempt later keeps the pass.
	_, err = w.svc.SubmitAnswers(ctx, trainee, "rainbow", c.Slug, m.ID, map[string][]int{"q1": {1}, "q2": {2}})
	must(t, err)

	_, _, err = w.svc.DecideSignOff(ctx, actor(w.coord), "rainbow", kindred.NewID(), training.Decision{Grant: true})
	wantCode(t, err, kindred.ENOTFOUND)

	req, err := w.svc.RequestSignOff(ctx, trainee, "rainbow", c.Slug)
	must(t, err)
	_, err = w.svc.RequestSignOff(ctx, trainee, "rainbow", c.Slug)
	wantCode(t, err, kindred.ECONFLICT)

	rv, err := w.svc.Reviews(ctx, actor(w.coord), "rainbow")
	must(t, err)
	if len(rv.Waiting) != 1 || rv.Waiting[0].ID != req.ID || rv.Waiting[0].Name != "Rosa" {
		t.Fatalf("queue = %+v", rv.Waiting)
	}
	tr, err := w.svc.Trainee(ctx, actor(w.coord), "rainbow", c.Slug, w.trainee.ID)
	must(t, err)
	if tr.Request == nil || tr.Course.Modules[0].Progress.Reflections["s1"][1] != "That they are safe tonight." || tr.Course.Modules[0].Progress.Attempts != 3 {
		t.Fatalf("review = %+v", tr.Course.Modules[0].Progress)
	}
	_, err = w.svc.Trainee(ctx, actor(w.trainee), "rainbow", c.Slug, w.trainee.ID)
	wantCode(t, err, kindred.EFORBIDDEN)

	// A decline needs a note, which the trainee then reads.
	_, _, err = w.svc.DecideSignOff(ctx, actor(w.coord), "rainbow", req.ID, training.Decision{Note: "  "})
	wantCode(t, err, kindred.EINVALID)
	const note = "Lovely start. Please say more about checking safety in scenario 1."
	_, _, err = w.svc.DecideSignOff(ctx, actor(w.coord), "rainbow", req.ID, training.Decision{Note: note})
	must(t, err)
	_, _, err = w.svc.DecideSignOff(ctx, actor(w.admin), "rainbow", req.ID, training.Decision{Grant: true})
	wantCode(t, err, kindred.ECONFLICT)
	_, cp, err := w.svc.Course(ctx, trainee, "rainbow", c.Slug)
	must(t, err)
	if cp.Latest == nil || cp.Latest.Decision != kindred.SignOffDeclined || cp.Latest.Note != note || !cp.CanRequest {
		t.Fatalf("after decline the trainee sees %+v", cp)
	}
	if roles(t, w, w.trainee).Has(kindred.RolePeerSupporter) {
		t.Fatal("a decline gave the role")
	}
	select {
	case id := <-w.announced:
		t.Fatalf("a decline announced an access change for %s", id)
	default:
	}

	// Asked again, granted.
	req, err = w.svc.RequestSignOff(ctx, trainee, "rainbow", c.Slug)
	must(t, err)
	const welcome = "Welcome to the team, Rosa."
	_, g, err := w.svc.DecideSignOff(ctx, actor(w.coord), "rainbow", req.ID, training.Decision{Grant: true, Note: welcome, YouthProgramme: true})
	must(t, err)
	if !g.Valid(w.clock.Now()) || !g.YouthProgramme || g.ExpiresAt == nil || !g.ExpiresAt.Equal(w.clock.Now().Add(90*24*time.Hour).Truncate(time.Millisecond)) {
		t.Fatalf("grant = %+v", g)
	}
	if !roles(t, w, w.trainee).Has(kindred.RolePeerSupporter) {
		t.Fatal("a grant did not give the peer supporter role")
	}
	select {
	case id := <-w.announced:
		if id != w.trainee.ID {
			t.Fatalf("announced %s, want the trainee", id)
		}
	case <-time.After(2 * time.Second):
		t.Fatal("a grant was not announced")
	}
	valid, err := w.svc.ValidCertification(ctx, w.org.ID, w.trainee.ID)
	must(t, err)
	if valid.ID != g.ID {
		t.Fatalf("ValidCertification = %+v", valid)
	}
	_, err = w.svc.RequestSignOff(ctx, trainee, "rainbow", c.Slug)
	wantCode(t, err, kindred.ECONFLICT) // signed off already
	wantCode(t, w.svc.StartRefresher(ctx, trainee, "rainbow", c.Slug), kindred.ECONFLICT)

	// The audit log names the decisions, never what anyone wrote.
	entries, err := w.env.Store.ListAudit(ctx, kindred.AuditFilter{OrgID: w.org.ID})
	must(t, err)
	actions := map[string]int{}
	for _, e := range entries {
		actions[e.Action]++
		for _, secret := range []string{note, welcome, "safe tonight", "Hello, I'm here"} {
			if strings.Contains(e.Detail, secret) || strings.Contains(e.Target, secret) {
				t.Errorf("audit entry %s carries what someone wrote: %q", e.Action, e.Detail)
			}
		}
	}
	if actions["training.signoff.grant"] != 1 || actions["training.signoff.decline"] != 1 {
		t.Fatalf("audit actions = %v", actions)
	}

	// 61 days on, the refresher is due in under 30 days: it starts afresh
	// while the grant stays in force.
	w.clock.Add(61 * 24 * time.Hour)
	_, cp, err = w.svc.Course(ctx, trainee, "rainbow", c.Slug)
	must(t, err)
	if !cp.RefresherDue || cp.Valid == nil {
		t.Fatalf("at 61 days: %+v", cp)
	}
	must(t, w.svc.StartRefresher(ctx, trainee, "rainbow", c.Slug))
	_, cp, err = w.svc.Course(ctx, trainee, "rainbow", c.Slug)
	must(t, err)
	if cp.Passed != 0 || cp.Valid == nil || cp.CanRequest {
		t.Fatalf("after starting the refresher: passed %d, valid %v, can request %v", cp.Passed, cp.Valid, cp.CanRequest)
	}

	// Past the expiry the role goes, once the tidy-up runs.
	w.clock.Add(30 * 24 * time.Hour)
	if _, err := w.svc.ValidCertification(ctx, w.org.ID, w.trainee.ID); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Fatalf("an expired grant is still valid: %v", err)
	}
	n, err := w.svc.ExpireCertifications(ctx)
	must(t, err)
	if n != 1 || roles(t, w, w.trainee).Has(kindred.RolePeerSupporter) {
		t.Fatalf("ExpireCertifications = %d; roles %v", n, roles(t, w, w.trainee).Names())
	}

	// Refreshed and granted again; then revoked with a reason.
	pass(t, w, w.trainee, c, m)
	req, err = w.svc.RequestSignOff(ctx, trainee, "rainbow", c.Slug)
	must(t, err)
	_, g, err = w.svc.DecideSignOff(ctx, actor(w.coord), "rainbow", req.ID, training.Decision{Grant: true})
	must(t, err)
	_, _, err = w.svc.RevokeCertification(ctx, actor(w.coord), "rainbow", g.ID, "")
	wantCode(t, err, kindred.EINVALID)
	_, _, err = w.svc.RevokeCertification(ctx, actor(w.trainee), "rainbow", g.ID, "no")
	wantCode(t, err, kindred.EFORBIDDEN)
	_, rv2, err := w.svc.RevokeCertification(ctx, actor(w.coord), "rainbow", g.ID, "Taking a break, as agreed.")
	must(t, err)
	if rv2.Decision != kindred.SignOffRevoked || roles(t, w, w.trainee).Has(kindred.RolePeerSupporter) {
		t.Fatalf("after revoking: %+v, roles %v", rv2, roles(t, w, w.trainee).Names())
	}
}

func TestYouthTrainee(t *testing.T) {
	w := newWorld(t)
	ctx := t.Context()
	c, m := course(t, w)
	pass(t, w, w.youth, c, m)
	req, err := w.svc.RequestSignOff(ctx, actor(w.youth), "rainbow", c.Slug)
	must(t, err)
	_, _, err = w.svc.DecideSignOff(ctx, actor(w.coord), "rainbow", req.ID, training.Decision{Grant: true, YouthProgramme: true})
	wantCode(t, err, kindred.EINVALID)
	_, g, err := w.svc.DecideSignOff(ctx, actor(w.coord), "rainbow", req.ID, training.Decision{Grant: true})
	must(t, err)
	if g.YouthProgramme || !roles(t, w, w.youth).Has(kindred.RolePeerSupporter) {
		t.Fatalf("youth grant = %+v", g)
	}
}

// TestPages walks the same path through the web pages: the module page,
// the knowledge check with its explanations, a failed reflection form
// that keeps the text, the sign-off queue and a decision.
func TestPages(t *testing.T) {
	w := newWorld(t)
	c, m := course(t, w)
	rosa := w.env.Client(t, w.trainee)
	modPath := "/o/rainbow/training/c/" + c.Slug + "/m/" + m.ID

	st, body := rosa.Get(modPath)
	if st != 200 || !strings.Contains(body, "<strong>first</strong>") || strings.Contains(body, "Correct answer") {
		t.Fatalf("module page %d before answering:\n%s", st, body)
	}
	st, _ = rosa.Post(modPath+"/answers", url.Values{"q.q1": {"1"}, "q.q2": {"0", "1"}})
	if st != 303 {
		t.Fatalf("answers: %d", st)
	}
	_, body = rosa.Get(modPath)
	for _, want := range []string{"Not quite.", "Right.", "People need to feel heard.", "Correct answer"} {
		if !strings.Contains(body, want) {
			t.Errorf("after answering, the page lacks %q", want)
		}
	}
	long := strings.Repeat("é", kindred.MaxReflection+1)
	st, body = rosa.Post(modPath+"/reflections", url.Values{"r.s1.0": {"I'd say hello and that I'm glad they wrote."}, "r.s1.1": {long}})
	if st != 422 || !strings.Contains(body, "I&#39;d say hello and that I&#39;m glad they wrote.") || !strings.Contains(body, "Nothing you wrote is lost") {
		t.Fatalf("a failed reflections form: %d, text kept: %v", st, strings.Contains(body, "glad they wrote"))
	}
	st, _ = w.env.Client(t, w.member).Get("/o/rainbow/training/reviews")
	if st != 403 {
		t.Fatalf("a moderator opened the sign-off queue: %d", st)
	}
	if st, _ = w.env.Visitor(t).Get("/o/rainbow/training"); st != 303 {
		t.Fatalf("a visitor should be sent to log in, got %d", st)
	}
	pass(t, w, w.trainee, c, m)
	if st, _ = rosa.Post("/o/rainbow/training/c/"+c.Slug+"/signoff", nil); st != 303 {
		t.Fatalf("asking for sign-off: %d", st)
	}
	margo := w.env.Client(t, w.coord)
	st, body = margo.Get("/o/rainbow/training/reviews")
	if st != 200 || !strings.Contains(body, "/trainees/"+w.trainee.ID) {
		t.Fatalf("queue %d:\n%s", st, body)
	}
	st, body = margo.Get("/o/rainbow/training/c/" + c.Slug + "/trainees/" + w.trainee.ID)
	if st != 200 || !strings.Contains(body, "That they are safe.") {
		t.Fatalf("trainee review %d lacks the reflections", st)
	}
	rv, err := w.svc.Reviews(t.Context(), actor(w.coord), "rainbow")
	must(t, err)
	form := url.Values{"decision": {"decline"}, "note": {""}, "course": {c.Slug}, "account": {w.trainee.ID}}
	st, body = margo.Post("/o/rainbow/training/signoffs/"+rv.Waiting[0].ID+"/decide", form)
	if st != 422 || !strings.Contains(body, "say what to work on") {
		t.Fatalf("a decline without a note: %d", st)
	}
	form.Set("decision", "grant")
	form.Set("youth_programme", "on")
	if st, _ = margo.Post("/o/rainbow/training/signoffs/"+rv.Waiting[0].ID+"/decide", form); st != 303 {
		t.Fatalf("grant: %d", st)
	}
	_, body = rosa.Get("/o/rainbow/training")
	if !strings.Contains(body, "Signed off") || !strings.Contains(body, "youth programme") {
		t.Fatalf("the trainee's overview does not show the grant:\n%s", body)
	}
}
