package sqlstore

import (
	"sync"
	"testing"
	"time"

	"kindred"
)

// trainingContract lists the training store's contract cases.
var trainingContract = []struct {
	name string
	fn   func(t *testing.T, db *DB)
}{
	{"Courses", testCourses},
	{"Modules", testModules},
	{"ModuleOrder", testModuleOrder},
	{"Progress", testProgress},
	{"Certifications", testCertifications},
	{"CertificationRequestsConcurrently", testCertificationRequestsConcurrently},
	{"CertificationDecisionsConcurrently", testCertificationDecisionsConcurrently},
	{"ExpireSupporters", testExpireSupporters},
}

// trainingWorld is an organisation with a coordinator, a trainee and a
// course of two modules.
type trainingWorld struct {
	org              *kindred.Organization
	coord, trainee   *kindred.Account
	course           *kindred.Course
	first, second    *kindred.Module
	traineeMember    *kindred.Membership
	coordinatorMship *kindred.Membership
}

func newTrainingWorld(t testing.TB, db *DB) *trainingWorld {
	t.Helper()
	w := &trainingWorld{}
	w.coord = newAccount(t, db, "margo", "Margo")
	w.trainee = newAccount(t, db, "rosa", "Rosa")
	w.org = newOrg(t, db, "rainbow", "Rainbow Centre", w.coord)
	w.traineeMember = newMember(t, db, w.org, w.trainee, "Rosa R")
	w.course = &kindred.Course{OrgID: w.org.ID, Slug: "foundations", Title: "Foundations", Summary: "Start here.",
		ValidFor: 365 * 24 * time.Hour, Published: true, CreatedBy: w.coord.ID, CreatedAt: base}
	must(t, db.CreateCourse(t.Context(), w.course))
	w.first = newModule(t, db, w.course, "Listening")
	w.second = newModule(t, db, w.course, "Boundaries")
	return w
}

func newModule(t testing.TB, db *DB, c *kindred.Course, title string) *kindred.Module {
	t.Helper()
	m := &kindred.Module{CourseID: c.ID, Title: title, Competency: kindred.CompEngaging, Body: "Read *this*.", PassMark: 50,
		Questions: []kindred.Question{{ID: "q1", Prompt: "Which?", Choices: []kindred.Choice{{Text: "A", Correct: true}, {Text: "B"}},
			Explanation: "Because."}},
		Scenarios: []kindred.Scenario{{ID: "s1", Situation: "Someone writes late at night.", Reflections: []string{"What do you say?"}}},
		UpdatedAt: base}
	must(t, db.SaveModule(t.Context(), m))
	return m
}

func testCourses(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newTrainingWorld(t, db)
	got, err := db.FindCourse(ctx, w.course.ID)
	must(t, err)
	want := *w.course
	want.ModuleCount = 2
	wantEqual(t, "FindCourse", *got, want)
	got, err = db.FindCourseBySlug(ctx, w.org.ID, "foundations")
	must(t, err)
	wantEqual(t, "FindCourseBySlug", *got, want)
	_, err = db.FindCourseBySlug(ctx, w.org.ID, "nope")
	wantCode(t, err, kindred.ENOTFOUND)
	_, err = db.FindCourse(ctx, kindred.NewID())
	wantCode(t, err, kindred.ENOTFOUND)

	dup := &kindred.Course{OrgID: w.org.ID, Slug: "foundations", Title: "Again"}
	wantCode(t, db.CreateCourse(ctx, dup), kindred.ECONFLICT)
	// The same slug in another organisation is fine.
	other := newOrg(t, db, "elsewhere", "Elsewhere", nil)
	must(t, db.CreateCourse(ctx, &kindred.Course{OrgID: other.ID, Slug: "foundations", Title: "Theirs"}))
	draft := &kindred.Course{OrgID: w.org.ID, Slug: "advanced", Title: "advanced care", CreatedAt: at(1)}
	must(t, db.CreateCourse(ctx, draft))

	list, err := db.ListCourses(ctx, kindred.CourseFilter{OrgID: w.org.ID})
	must(t, err)
	if len(list) != 2 || list[0].Slug != "advanced" || list[1].Slug != "foundations" || list[1].ModuleCount != 2 || list[0].ModuleCount != 0 {
		t.Fatalf("ListCourses = %+v, want advanced (0 modules) then foundations (2), by title ignoring case", list)
	}
	published := true
	list, err = db.ListCourses(ctx, kindred.CourseFilter{OrgID: w.org.ID, Published: &published})
	must(t, err)
	if len(list) != 1 || list[0].ID != w.course.ID {
		t.Fatalf("published courses = %+v", list)
	}

	title, valid, pub := "Foundations of peer work", time.Duration(0), false
	up, err := db.UpdateCourse(ctx, w.course.ID, kindred.CourseUpdate{Title: &title, ValidFor: &valid, Published: &pub}, at(5))
	must(t, err)
	if up.Title != title || up.ValidFor != 0 || up.Published || up.Summary != "Start here." || !up.UpdatedAt.Equal(at(5)) || up.ModuleCount != 2 {
		t.Fatalf("UpdateCourse = %+v", up)
	}
	_, err = db.UpdateCourse(ctx, kindred.NewID(), kindred.CourseUpdate{Title: &title}, at(5))
	wantCode(t, err, kindred.ENOTFOUND)
}

func testModules(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newTrainingWorld(t, db)
	if w.first.Position != 1 || w.second.Position != 2 || w.first.ID == "" {
		t.Fatalf("positions = %d, %d; want 1, 2", w.first.Position, w.second.Position)
	}
	got, err := db.FindModule(ctx, w.first.ID)
	must(t, err)
	wantEqual(t, "FindModule", *got, *w.first)

	// Replacing content keeps the position, whatever the caller says.
	edit := *w.first
	edit.Title, edit.Position, edit.PassMark, edit.UpdatedAt = "Listening well", 9, 100, at(3)
	edit.Questions = append(edit.Questions, kindred.Question{ID: "q2", Prompt: "Which ones?", Multiple: true,
		Choices: []kindred.Choice{{Text: "X", Correct: true}, {Text: "Y", Correct: true}, {Text: "Z"}}})
	edit.Scenarios = nil
	must(t, db.SaveModule(ctx, &edit))
	if edit.Position != 1 {
		t.Errorf("position after edit = %d, want 1", edit.Position)
	}
	got, err = db.FindModule(ctx, w.first.ID)
	must(t, err)
	edit.Scenarios = []kindred.Scenario{} // stored as an empty list
	wantEqual(t, "edited module", *got, edit)

	ghost := *w.first
	ghost.ID = kindred.NewID()
	wantCode(t, db.SaveModule(ctx, &ghost), kindred.ENOTFOUND)
	wantCode(t, db.SaveModule(ctx, &kindred.Module{CourseID: kindred.NewID(), Title: "x", Competency: kindred.CompCrisis}), kindred.ENOTFOUND)

	list, err := db.ListModules(ctx, w.course.ID)
	must(t, err)
	if len(list) != 2 || list[0].Title != "Listening well" || list[1].ID != w.second.ID {
		t.Fatalf("ListModules = %+v", list)
	}
	_, err = db.FindModule(ctx, kindred.NewID())
	wantCode(t, err, kindred.ENOTFOUND)
}

func modulePositions(t testing.TB, db *DB, courseID string) []string {
	t.Helper()
	list, err := db.ListModules(t.Context(), courseID)
	must(t, err)
	var out []string
	for i, m := range list {
		if m.Position != i+1 {
			t.Fatalf("module %q at position %d, want %d", m.Title, m.Position, i+1)
		}
		out = append(out, m.Title)
	}
	return out
}

func testModuleOrder(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newTrainingWorld(t, db)
	third := newModule(t, db, w.course, "Crisis")
	fourth := newModule(t, db, w.course, "Growth")
	wantEqual(t, "start", modulePositions(t, db, w.course.ID), []string{"Listening", "Boundaries", "Crisis", "Growth"})

	must(t, db.MoveModule(ctx, third.ID, -1))
	wantEqual(t, "Crisis up", modulePositions(t, db, w.course.ID), []string{"Listening", "Crisis", "Boundaries", "Growth"})
	must(t, db.MoveModule(ctx, w.first.ID, -1)) // already first: nothing happens
	must(t, db.MoveModule(ctx, fourth.ID, +1))  // already last
	must(t, db.MoveModule(ctx, w.first.ID, +1))
	wantEqual(t, "Listening down", modulePositions(t, db, w.course.ID), []string{"Crisis", "Listening", "Boundaries", "Growth"})
	wantCode(t, db.MoveModule(ctx, kindred.NewID(), 1), kindred.ENOTFOUND)

	// Progress on a deleted module goes with it.
	must(t, db.SaveProgress(ctx, &kindred.ModuleProgress{AccountID: w.trainee.ID, ModuleID: w.first.ID, CourseID: w.course.ID}))
	must(t, db.DeleteModule(ctx, w.first.ID))
	wantEqual(t, "after delete", modulePositions(t, db, w.course.ID), []string{"Crisis", "Boundaries", "Growth"})
	must(t, db.DeleteModule(ctx, third.ID))
	wantEqual(t, "after deleting the first", modulePositions(t, db, w.course.ID), []string{"Boundaries", "Growth"})
	wantCode(t, db.DeleteModule(ctx, third.ID), kindred.ENOTFOUND)
	ps, err := db.ListProgress(ctx, kindred.ProgressFilter{AccountID: w.trainee.ID})
	must(t, err)
	if len(ps) != 0 {
		t.Errorf("progress on a deleted module remains: %+v", ps)
	}
	// New modules go after the last, with no gap.
	newModule(t, db, w.course, "Advocacy")
	wantEqual(t, "after adding", modulePositions(t, db, w.course.ID), []string{"Boundaries", "Growth", "Advocacy"})
}

func testProgress(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newTrainingWorld(t, db)
	read := at(1)
	p := &kindred.ModuleProgress{AccountID: w.trainee.ID, ModuleID: w.second.ID, CourseID: w.course.ID, ReadAt: &read, UpdatedAt: at(1)}
	must(t, db.SaveProgress(ctx, p))
	if p.ReadAt == nil || !p.ReadAt.Equal(read) || p.Answers == nil || p.Reflections == nil {
		t.Fatalf("stored progress = %+v", p)
	}
	passed := at(2)
	p2 := &kindred.ModuleProgress{AccountID: w.trainee.ID, ModuleID: w.first.ID, CourseID: w.course.ID,
		Answers: map[string][]int{"q1": {0}}, Score: 1, Attempts: 1, PassedAt: &passed,
		Reflections: map[string][]string{"s1": {"I would listen first."}}, UpdatedAt: at(2)}
	must(t, db.SaveProgress(ctx, p2))

	// A later, worse attempt keeps the pass and the reading; the rest is
	// replaced.
	p3 := &kindred.ModuleProgress{AccountID: w.trainee.ID, ModuleID: w.first.ID, CourseID: w.course.ID,
		Answers: map[string][]int{"q1": {1}}, Score: 0, Attempts: 2, Reflections: p2.Reflections, UpdatedAt: at(3)}
	must(t, db.SaveProgress(ctx, p3))
	if p3.PassedAt == nil || !p3.PassedAt.Equal(passed) || p3.Score != 0 || p3.Attempts != 2 || p3.Answers["q1"][0] != 1 {
		t.Fatalf("after a worse attempt = %+v; want the pass kept", p3)
	}
	p4 := &kindred.ModuleProgress{AccountID: w.trainee.ID, ModuleID: w.second.ID, CourseID: w.course.ID, UpdatedAt: at(4)}
	must(t, db.SaveProgress(ctx, p4))
	if p4.ReadAt == nil || !p4.ReadAt.Equal(read) {
		t.Errorf("reading forgotten: %+v", p4)
	}

	list, err := db.ListProgress(ctx, kindred.ProgressFilter{AccountID: w.trainee.ID, CourseID: w.course.ID})
	must(t, err)
	if len(list) != 2 || list[0].ModuleID != w.first.ID || list[1].ModuleID != w.second.ID {
		t.Fatalf("ListProgress = %+v; want module order", list)
	}
	wantEqual(t, "listed progress", *list[0], *p3)
	other := newAccount(t, db, "hal", "Hal")
	must(t, db.SaveProgress(ctx, &kindred.ModuleProgress{AccountID: other.ID, ModuleID: w.first.ID, CourseID: w.course.ID}))
	all, err := db.ListCourseProgress(ctx, w.course.ID)
	must(t, err)
	if len(all) != 3 {
		t.Fatalf("ListCourseProgress = %d records, want 3", len(all))
	}
	mine, err := db.ListProgress(ctx, kindred.ProgressFilter{AccountID: other.ID})
	must(t, err)
	if len(mine) != 1 {
		t.Fatalf("ListProgress for another person = %+v", mine)
	}

	must(t, db.ResetProgress(ctx, w.trainee.ID, w.course.ID))
	list, err = db.ListProgress(ctx, kindred.ProgressFilter{AccountID: w.trainee.ID})
	must(t, err)
	if len(list) != 0 {
		t.Fatalf("after reset = %+v", list)
	}
	mine, err = db.ListProgress(ctx, kindred.ProgressFilter{AccountID: other.ID})
	must(t, err)
	if len(mine) != 1 {
		t.Fatalf("a reset touched someone else's progress: %+v", mine)
	}
}

func roles(t testing.TB, db *DB, orgID, accountID string) kindred.Role {
	t.Helper()
	m, err := db.FindMembership(t.Context(), orgID, accountID)
	must(t, err)
	return m.Roles
}

func testCertifications(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newTrainingWorld(t, db)
	c := &kindred.Certification{OrgID: w.org.ID, CourseID: w.course.ID, AccountID: w.trainee.ID, RequestedAt: at(1)}
	must(t, db.CreateCertification(ctx, c))
	if c.Decision != kindred.SignOffRequested || c.ID == "" {
		t.Fatalf("request = %+v", c)
	}
	again := &kindred.Certification{OrgID: w.org.ID, CourseID: w.course.ID, AccountID: w.trainee.ID, RequestedAt: at(2)}
	wantCode(t, db.CreateCertification(ctx, again), kindred.ECONFLICT)

	got, err := db.FindCertification(ctx, c.ID)
	must(t, err)
	want := *c
	want.Name, want.CourseTitle = "Rosa R", "Foundations"
	wantEqual(t, "FindCertification", *got, want)
	_, err = db.FindCertification(ctx, kindred.NewID())
	wantCode(t, err, kindred.ENOTFOUND)

	// Declining needs a request; it leaves roles alone.
	_, err = db.DecideCertification(ctx, c.ID, kindred.CertificationDecision{From: kindred.SignOffGranted, To: kindred.SignOffRevoked, DecidedAt: at(3)})
	wantCode(t, err, kindred.ECONFLICT)
	dec, err := db.DecideCertification(ctx, c.ID, kindred.CertificationDecision{From: kindred.SignOffRequested,
		To: kindred.SignOffDeclined, Note: "Please redo the crisis module.", DecidedBy: w.coord.ID, DecidedAt: at(3)})
	must(t, err)
	if dec.Decision != kindred.SignOffDeclined || dec.Note != "Please redo the crisis module." || dec.DecidedBy != w.coord.ID ||
		!dec.DecidedAt.Equal(at(3)) {
		t.Fatalf("declined = %+v", dec)
	}
	if r := roles(t, db, w.org.ID, w.trainee.ID); r.Has(kindred.RolePeerSupporter) {
		t.Fatalf("declined trainee holds %v", r.Names())
	}
	_, err = db.DecideCertification(ctx, c.ID, kindred.CertificationDecision{From: kindred.SignOffRequested, To: kindred.SignOffGranted, DecidedAt: at(4)})
	wantCode(t, err, kindred.ECONFLICT)

	// A new request after a decline; granting gives the role.
	c2 := &kindred.Certification{OrgID: w.org.ID, CourseID: w.course.ID, AccountID: w.trainee.ID, RequestedAt: at(5)}
	must(t, db.CreateCertification(ctx, c2))
	exp := at(60 * 24 * 365)
	g, err := db.DecideCertification(ctx, c2.ID, kindred.CertificationDecision{From: kindred.SignOffRequested, To: kindred.SignOffGranted,
		Note: "Well done.", DecidedBy: w.coord.ID, DecidedAt: at(6), ExpiresAt: &exp, YouthProgramme: true})
	must(t, err)
	if !g.Valid(at(7)) || !g.YouthProgramme || g.ExpiresAt == nil || !g.ExpiresAt.Equal(exp) || g.Valid(exp) {
		t.Fatalf("granted = %+v", g)
	}
	if r := roles(t, db, w.org.ID, w.trainee.ID); !r.Has(kindred.RolePeerSupporter|kindred.RoleMember) || r.Has(kindred.RoleAdmin) {
		t.Fatalf("after grant the trainee holds %v", r.Names())
	}

	list, err := db.ListCertifications(ctx, kindred.CertificationFilter{OrgID: w.org.ID})
	must(t, err)
	if len(list) != 2 || list[0].ID != c2.ID || list[1].ID != c.ID || list[0].Name != "Rosa R" || list[0].CourseTitle != "Foundations" {
		t.Fatalf("ListCertifications = %+v; want newest first with names", list)
	}
	list, err = db.ListCertifications(ctx, kindred.CertificationFilter{OrgID: w.org.ID, Decision: kindred.SignOffGranted, AccountID: w.trainee.ID, CourseID: w.course.ID})
	must(t, err)
	if len(list) != 1 || list[0].ID != c2.ID {
		t.Fatalf("granted = %+v", list)
	}
	list, err = db.ListCertifications(ctx, kindred.CertificationFilter{OrgID: w.org.ID, Limit: 1})
	must(t, err)
	if len(list) != 1 {
		t.Fatalf("Limit 1 gave %d", len(list))
	}

	// A second grant on another course, in force: revoking the first keeps
	// the role; revoking both takes it.
	other := &kindred.Course{OrgID: w.org.ID, Slug: "youth", Title: "Youth work"}
	must(t, db.CreateCourse(ctx, other))
	c3 := &kindred.Certification{OrgID: w.org.ID, CourseID: other.ID, AccountID: w.trainee.ID, Decision: kindred.SignOffGranted,
		RequestedAt: at(8), DecidedBy: w.coord.ID, DecidedAt: ptr(at(8))}
	must(t, db.CreateCertification(ctx, c3))
	rv, err := db.DecideCertification(ctx, c2.ID, kindred.CertificationDecision{From: kindred.SignOffGranted, To: kindred.SignOffRevoked,
		Note: "Stepped back.", DecidedBy: w.coord.ID, DecidedAt: at(9)})
	must(t, err)
	if rv.Decision != kindred.SignOffRevoked || rv.Note != "Stepped back." || rv.Valid(at(9)) {
		t.Fatalf("revoked = %+v", rv)
	}
	if r := roles(t, db, w.org.ID, w.trainee.ID); !r.Has(kindred.RolePeerSupporter) {
		t.Fatal("revoking one grant took the role although another is in force")
	}
	_, err = db.DecideCertification(ctx, c3.ID, kindred.CertificationDecision{From: kindred.SignOffGranted, To: kindred.SignOffRevoked, DecidedAt: at(10)})
	must(t, err)
	if r := roles(t, db, w.org.ID, w.trainee.ID); r.Has(kindred.RolePeerSupporter) || !r.Has(kindred.RoleMember) {
		t.Fatalf("after revoking every grant the trainee holds %v", r.Names())
	}
	_, err = db.DecideCertification(ctx, kindred.NewID(), kindred.CertificationDecision{From: kindred.SignOffRequested, To: kindred.SignOffGranted})
	wantCode(t, err, kindred.ENOTFOUND)

	// Someone who left the organisation cannot be granted; their request
	// stays, named by their handle.
	leaver := newAccount(t, db, "leaver", "")
	newMember(t, db, w.org, leaver, "")
	c4 := &kindred.Certification{OrgID: w.org.ID, CourseID: w.course.ID, AccountID: leaver.ID}
	must(t, db.CreateCertification(ctx, c4))
	must(t, db.DeleteMembership(ctx, w.org.ID, leaver.ID))
	_, err = db.DecideCertification(ctx, c4.ID, kindred.CertificationDecision{From: kindred.SignOffRequested, To: kindred.SignOffGranted, DecidedAt: at(11)})
	wantCode(t, err, kindred.ENOTFOUND)
	got, err = db.FindCertification(ctx, c4.ID)
	must(t, err)
	if got.Decision != kindred.SignOffRequested || got.Name != "leaver" {
		t.Fatalf("after a failed grant = %+v", got)
	}
}

// testCertificationRequestsConcurrently: many requests for the same person
// and course at once (double clicks, two devices) store exactly one.
func testCertificationRequestsConcurrently(t *testing.T, db *DB) {
	w := newTrainingWorld(t, db)
	const n = 12
	var wg sync.WaitGroup
	codes := make([]string, n)
	for i := range n {
		wg.Go(func() {
			err := db.CreateCertification(t.Context(), &kindred.Certification{OrgID: w.org.ID, CourseID: w.course.ID, AccountID: w.trainee.ID})
			codes[i] = kindred.ErrorCode(err)
		})
	}
	wg.Wait()
	ok := 0
	for _, c := range codes {
		switch c {
		case "":
			ok++
		case kindred.ECONFLICT:
		default:
			t.Errorf("unexpected error code %q", c)
		}
	}
	list, err := db.ListCertifications(t.Context(), kindred.CertificationFilter{AccountID: w.trainee.ID})
	must(t, err)
	if ok != 1 || len(list) != 1 {
		t.Fatalf("%d requests succeeded and %d are stored; want exactly one", ok, len(list))
	}
}

// testCertificationDecisionsConcurrently: two coordinators deciding the
// same request at once, one granting and one declining: exactly one wins.
func testCertificationDecisionsConcurrently(t *testing.T, db *DB) {
	w := newTrainingWorld(t, db)
	c := &kindred.Certification{OrgID: w.org.ID, CourseID: w.course.ID, AccountID: w.trainee.ID}
	must(t, db.CreateCertification(t.Context(), c))
	const n = 8
	var wg sync.WaitGroup
	codes := make([]string, n)
	for i := range n {
		to := kindred.SignOffGranted
		if i%2 == 1 {
			to = kindred.SignOffDeclined
		}
		wg.Go(func() {
			_, err := db.DecideCertification(t.Context(), c.ID, kindred.CertificationDecision{From: kindred.SignOffRequested, To: to,
				DecidedBy: w.coord.ID, DecidedAt: at(1)})
			codes[i] = kindred.ErrorCode(err)
		})
	}
	wg.Wait()
	ok := 0
	for _, code := range codes {
		if code == "" {
			ok++
		} else if code != kindred.ECONFLICT {
			t.Errorf("unexpected error code %q", code)
		}
	}
	if ok != 1 {
		t.Fatalf("%d decisions succeeded; want exactly one", ok)
	}
	got, err := db.FindCertification(t.Context(), c.ID)
	must(t, err)
	has := roles(t, db, w.org.ID, w.trainee.ID).Has(kindred.RolePeerSupporter)
	if has != (got.Decision == kindred.SignOffGranted) {
		t.Fatalf("decision %s but peer supporter role %v", got.Decision, has)
	}
}

func testExpireSupporters(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newTrainingWorld(t, db)
	grant := func(a *kindred.Account, expires *time.Time) {
		t.Helper()
		must(t, db.CreateCertification(ctx, &kindred.Certification{OrgID: w.org.ID, CourseID: w.course.ID, AccountID: a.ID,
			Decision: kindred.SignOffGranted, RequestedAt: at(0), DecidedAt: ptr(at(0)), ExpiresAt: expires}))
	}
	// expired: one grant, expired at 10.
	expired := newAccount(t, db, "expired", "")
	newMember(t, db, w.org, expired, "")
	grant(expired, ptr(at(10)))
	// renewed: an expired grant and a newer one in force.
	renewed := newAccount(t, db, "renewed", "")
	newMember(t, db, w.org, renewed, "")
	grant(renewed, ptr(at(10)))
	grant(renewed, ptr(at(1000)))
	// forever: a grant that never expires.
	forever := newAccount(t, db, "forever", "")
	newMember(t, db, w.org, forever, "")
	grant(forever, nil)
	// appointed: an admin gave the role; no grant at all.
	appointed := newAccount(t, db, "appointed", "")
	m := newMember(t, db, w.org, appointed, "")
	r := m.Roles | kindred.RolePeerSupporter
	_, err := db.UpdateMembership(ctx, w.org.ID, appointed.ID, kindred.MembershipUpdate{Roles: &r})
	must(t, err)

	refs, err := db.ExpireSupporters(ctx, at(5))
	must(t, err)
	if len(refs) != 0 {
		t.Fatalf("before any expiry: %+v", refs)
	}
	refs, err = db.ExpireSupporters(ctx, at(10)) // expires_at is the first moment it is no longer valid
	must(t, err)
	wantEqual(t, "expired at 10", refs, []kindred.MembershipRef{{OrgID: w.org.ID, AccountID: expired.ID}})
	for _, a := range []*kindred.Account{renewed, forever, appointed} {
		if !roles(t, db, w.org.ID, a.ID).Has(kindred.RolePeerSupporter) {
			t.Errorf("%s lost the peer supporter role", a.Handle)
		}
	}
	if roles(t, db, w.org.ID, expired.ID).Has(kindred.RolePeerSupporter) {
		t.Error("expired still holds the peer supporter role")
	}
	refs, err = db.ExpireSupporters(ctx, at(10))
	must(t, err)
	if len(refs) != 0 {
		t.Fatalf("a second run changed %+v", refs)
	}
}
