package training

// Trainees: the courses they may take, reading modules, knowledge checks,
// scenario reflections, asking for sign-off and starting a refresher. Any
// active member may train, whatever their age band.

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"kindred"
)

// ModuleStatus is one module with the person's work on it (never nil:
// an empty record before they start).
type ModuleStatus struct {
	Module   *kindred.Module
	Progress *kindred.ModuleProgress
}

// CourseProgress is a course as one trainee stands with it.
type CourseProgress struct {
	Course  *kindred.Course
	Modules []ModuleStatus
	Passed  int
	// Latest is the person's newest sign-off on the course (any decision),
	// Valid their newest grant in force.
	Latest, Valid *kindred.Certification
	// CanRequest: every module is passed and nothing stands in the way of
	// asking for sign-off.
	CanRequest bool
	// RefresherDue: a grant expires within 30 days, or has expired.
	RefresherDue bool
}

// Pending reports whether a request waits for a coordinator.
func (c *CourseProgress) Pending() bool {
	return c.Latest != nil && c.Latest.Decision == kindred.SignOffRequested
}

// AllPassed reports whether the course has modules and every one is passed.
func (c *CourseProgress) AllPassed() bool { return len(c.Modules) > 0 && c.Passed == len(c.Modules) }

// Overview is the training page: the courses and where the person stands.
type Overview struct {
	Place   *Place
	Courses []*CourseProgress
	// Waiting counts sign-off requests waiting, for coordinators.
	Waiting int
}

// Overview lists the courses the actor may take (every course, for those
// who run training) with their progress and sign-offs.
func (s *Service) Overview(ctx context.Context, actor *kindred.Actor, orgSlug string) (*Overview, error) {
	p, err := s.place(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	f := kindred.CourseFilter{OrgID: p.Org.ID}
	if !p.CanCoordinate() {
		yes := true
		f.Published = &yes
	}
	courses, err := s.store.ListCourses(ctx, f)
	if err != nil {
		return nil, fmt.Errorf("list courses: %w", err)
	}
	certs, err := s.store.ListCertifications(ctx, kindred.CertificationFilter{OrgID: p.Org.ID, AccountID: actor.AccountID(), Limit: 200})
	if err != nil {
		return nil, fmt.Errorf("list certifications: %w", err)
	}
	out := &Overview{Place: p}
	for _, c := range courses {
		cp, err := s.progressOn(ctx, c, actor.AccountID(), certs)
		if err != nil {
			return nil, err
		}
		out.Courses = append(out.Courses, cp)
	}
	if p.CanCoordinate() {
		waiting, err := s.store.ListCertifications(ctx, kindred.CertificationFilter{OrgID: p.Org.ID, Decision: kindred.SignOffRequested, Limit: 200})
		if err != nil {
			return nil, fmt.Errorf("list requests: %w", err)
		}
		out.Waiting = len(waiting)
	}
	return out, nil
}

// progressOn gathers one person's standing on a course; certs are their
// certifications in the organisation, newest first.
func (s *Service) progressOn(ctx context.Context, c *kindred.Course, accountID string, certs []*kindred.Certification) (*CourseProgress, error) {
	mods, err := s.store.ListModules(ctx, c.ID)
	if err != nil {
		return nil, fmt.Errorf("list modules: %w", err)
	}
	recs, err := s.store.ListProgress(ctx, kindred.ProgressFilter{AccountID: accountID, CourseID: c.ID})
	if err != nil {
		return nil, fmt.Errorf("list progress: %w", err)
	}
	byModule := map[string]*kindred.ModuleProgress{}
	for _, r := range recs {
		byModule[r.ModuleID] = r
	}
	cp := &CourseProgress{Course: c}
	for _, m := range mods {
		pr := byModule[m.ID]
		if pr == nil {
			pr = blankProgress(accountID, m)
		}
		if pr.Passed() {
			cp.Passed++
		}
		cp.Modules = append(cp.Modules, ModuleStatus{Module: m, Progress: pr})
	}
	now := s.nowUTC()
	for _, x := range certs {
		if x.CourseID != c.ID {
			continue
		}
		if cp.Latest == nil {
			cp.Latest = x
		}
		if cp.Valid == nil && x.Valid(now) {
			cp.Valid = x
		}
		if x.Decision == kindred.SignOffGranted && !cp.RefresherDue && x.RefresherDue(now) && (cp.Valid == nil || cp.Valid == x) {
			cp.RefresherDue = true
		}
	}
	cp.CanRequest = cp.AllPassed() && !cp.Pending() && (cp.Valid == nil || cp.RefresherDue)
	return cp, nil
}

func blankProgress(accountID string, m *kindred.Module) *kindred.ModuleProgress {
	return &kindred.ModuleProgress{AccountID: accountID, ModuleID: m.ID, CourseID: m.CourseID,
		Answers: map[string][]int{}, Reflections: map[string][]string{}}
}

// Course returns a course as the actor stands with it.
func (s *Service) Course(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug string) (*Place, *CourseProgress, error) {
	p, c, cp, err := s.courseProgress(ctx, actor, orgSlug, courseSlug)
	if err != nil {
		return nil, nil, err
	}
	_ = c
	return p, cp, nil
}

func (s *Service) courseProgress(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug string) (*Place, *kindred.Course, *CourseProgress, error) {
	p, err := s.place(ctx, actor, orgSlug)
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := s.course(ctx, p, courseSlug)
	if err != nil {
		return nil, nil, nil, err
	}
	certs, err := s.store.ListCertifications(ctx, kindred.CertificationFilter{OrgID: p.Org.ID, AccountID: actor.AccountID(), CourseID: c.ID, Limit: 200})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("list certifications: %w", err)
	}
	cp, err := s.progressOn(ctx, c, actor.AccountID(), certs)
	if err != nil {
		return nil, nil, nil, err
	}
	return p, c, cp, nil
}

// QuestionResult is how one knowledge-check question went.
type QuestionResult struct {
	ID              string
	Right           bool
	Chosen          []int
	ExplanationHTML string
}

// ModuleView is one module as a trainee reads it.
type ModuleView struct {
	Place      *Place
	Course     *CourseProgress
	Module     *kindred.Module
	Number     int // 1-based position in the course
	BodyHTML   string
	Progress   *kindred.ModuleProgress
	Prev, Next *kindred.Module
	// Results, once the knowledge check was answered: per question, in
	// order. Right counts the right ones and CheckPassed says whether
	// that reaches the pass mark.
	Results     []QuestionResult
	Right       int
	CheckPassed bool
	// ToDo says what is left before the module is passed, in words.
	ToDo []string
}

// Module returns a module with the actor's work on it.
func (s *Service) Module(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug, moduleID string) (*ModuleView, error) {
	p, _, cp, err := s.courseProgress(ctx, actor, orgSlug, courseSlug)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(cp.Modules, func(ms ModuleStatus) bool { return ms.Module.ID == moduleID })
	if i < 0 {
		return nil, errNoModule
	}
	m := cp.Modules[i].Module
	v := &ModuleView{Place: p, Course: cp, Module: m, Number: i + 1, BodyHTML: s.render.Render(m.Body), Progress: cp.Modules[i].Progress}
	if i > 0 {
		v.Prev = cp.Modules[i-1].Module
	}
	if i+1 < len(cp.Modules) {
		v.Next = cp.Modules[i+1].Module
	}
	if v.Progress.Attempts > 0 {
		v.Results, v.Right, v.CheckPassed = s.results(m, v.Progress.Answers)
	}
	v.ToDo = toDo(m, v.Progress)
	return v, nil
}

func (s *Service) results(m *kindred.Module, answers map[string][]int) ([]QuestionResult, int, bool) {
	var out []QuestionResult
	for _, q := range m.Questions {
		one := kindred.Module{Questions: []kindred.Question{q}, PassMark: 100}
		right, _ := one.Score(answers)
		out = append(out, QuestionResult{ID: q.ID, Right: right == 1, Chosen: answers[q.ID], ExplanationHTML: s.render.Render(q.Explanation)})
	}
	right, passed := m.Score(answers)
	return out, right, passed
}

// toDo lists what is left before the module is passed.
func toDo(m *kindred.Module, p *kindred.ModuleProgress) []string {
	if p.Passed() {
		return nil
	}
	var out []string
	if p.ReadAt == nil {
		out = append(out, "Mark the reading as done.")
	}
	if len(m.Questions) > 0 {
		if _, ok := m.Score(p.Answers); p.Attempts == 0 || !ok {
			out = append(out, fmt.Sprintf("Answer the knowledge check with at least %d%% right.", m.PassMark))
		}
	}
	if !reflected(m, p) {
		out = append(out, "Answer every reflection question of the practice scenarios.")
	}
	return out
}

func reflected(m *kindred.Module, p *kindred.ModuleProgress) bool {
	for _, sc := range m.Scenarios {
		got := p.Reflections[sc.ID]
		for i := range sc.Reflections {
			if i >= len(got) || strings.TrimSpace(got[i]) == "" {
				return false
			}
		}
	}
	return true
}

// work loads a module for the actor to work on, with their record.
func (s *Service) work(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug, moduleID string) (*Place, *kindred.Module, *kindred.ModuleProgress, error) {
	p, err := s.place(ctx, actor, orgSlug)
	if err != nil {
		return nil, nil, nil, err
	}
	c, err := s.course(ctx, p, courseSlug)
	if err != nil {
		return nil, nil, nil, err
	}
	m, err := s.module(ctx, c, moduleID)
	if err != nil {
		return nil, nil, nil, err
	}
	recs, err := s.store.ListProgress(ctx, kindred.ProgressFilter{AccountID: actor.AccountID(), CourseID: c.ID})
	if err != nil {
		return nil, nil, nil, fmt.Errorf("list progress: %w", err)
	}
	pr := blankProgress(actor.AccountID(), m)
	if i := slices.IndexFunc(recs, func(r *kindred.ModuleProgress) bool { return r.ModuleID == m.ID }); i >= 0 {
		pr = recs[i]
	}
	return p, m, pr, nil
}

// save stores the record, marking the module passed when it now is.
func (s *Service) save(ctx context.Context, m *kindred.Module, pr *kindred.ModuleProgress, now time.Time) error {
	if !pr.Passed() && len(toDo(m, pr)) == 0 {
		pr.PassedAt = &now
	}
	pr.UpdatedAt = now
	if err := s.store.SaveProgress(ctx, pr); err != nil {
		return fmt.Errorf("save progress: %w", err)
	}
	return nil
}

// MarkRead records that the actor read the module.
func (s *Service) MarkRead(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug, moduleID string) (*kindred.ModuleProgress, error) {
	_, m, pr, err := s.work(ctx, actor, orgSlug, courseSlug, moduleID)
	if err != nil {
		return nil, err
	}
	now := s.nowUTC()
	if pr.ReadAt == nil {
		pr.ReadAt = &now
	}
	return pr, s.save(ctx, m, pr, now)
}

// CheckResult is a marked knowledge check.
type CheckResult struct {
	Progress *kindred.ModuleProgress
	Results  []QuestionResult
	Right    int
	Total    int
	Passed   bool // the check reached the pass mark
}

// SubmitAnswers marks the actor's answers to the module's knowledge check
// (question id → indexes of the chosen choices) and saves them. Trying
// again is always allowed; a module once passed stays passed.
func (s *Service) SubmitAnswers(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug, moduleID string, answers map[string][]int) (*CheckResult, error) {
	_, m, pr, err := s.work(ctx, actor, orgSlug, courseSlug, moduleID)
	if err != nil {
		return nil, err
	}
	if len(m.Questions) == 0 {
		return nil, kindred.Errorf(kindred.EINVALID, "This module has no knowledge check.")
	}
	v := kindred.Invalid{}
	clean := map[string][]int{}
	for i, q := range m.Questions {
		chosen := answers[q.ID]
		field := "answers." + q.ID
		switch {
		case len(chosen) == 0:
			v.Add(field, fmt.Sprintf("Please choose an answer to question %d.", i+1))
		case !q.Multiple && len(chosen) > 1:
			v.Add(field, fmt.Sprintf("Question %d takes one answer.", i+1))
		}
		for _, c := range chosen {
			if c < 0 || c >= len(q.Choices) {
				v.Add(field, fmt.Sprintf("Please choose from the answers given to question %d.", i+1))
			}
		}
		sorted := slices.Clone(chosen)
		slices.Sort(sorted)
		clean[q.ID] = slices.Compact(sorted)
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	now := s.nowUTC()
	pr.Answers = clean
	pr.Attempts++
	res, right, passed := s.results(m, clean)
	pr.Score = right
	if err := s.save(ctx, m, pr, now); err != nil {
		return nil, err
	}
	return &CheckResult{Progress: pr, Results: res, Right: right, Total: len(m.Questions), Passed: passed}, nil
}

// SaveReflections saves the actor's answers to the module's scenario
// questions (scenario id → answers in order). Scenarios left out keep
// what was saved before; blank answers are kept as drafts but do not
// count.
func (s *Service) SaveReflections(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug, moduleID string, refl map[string][]string) (*kindred.ModuleProgress, error) {
	_, m, pr, err := s.work(ctx, actor, orgSlug, courseSlug, moduleID)
	if err != nil {
		return nil, err
	}
	if len(m.Scenarios) == 0 {
		return nil, kindred.Errorf(kindred.EINVALID, "This module has no practice scenarios.")
	}
	v := kindred.Invalid{}
	next := map[string][]string{}
	for k, a := range pr.Reflections {
		next[k] = a
	}
	for _, sc := range m.Scenarios {
		got, ok := refl[sc.ID]
		if !ok {
			continue
		}
		if len(got) > len(sc.Reflections) {
			got = got[:len(sc.Reflections)]
		}
		for i, a := range got {
			if utf8.RuneCountInString(a) > kindred.MaxReflection {
				v.Add(fmt.Sprintf("reflections.%s.%d", sc.ID, i), fmt.Sprintf("Please keep this to %d characters or fewer.", kindred.MaxReflection))
			}
		}
		next[sc.ID] = got
	}
	if err := v.Err(); err != nil {
		return nil, err
	}
	pr.Reflections = next
	return pr, s.save(ctx, m, pr, s.nowUTC())
}

// RequestSignOff asks the organisation's coordinators to review the actor
// on a course whose every module they passed.
func (s *Service) RequestSignOff(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug string) (*kindred.Certification, error) {
	p, c, cp, err := s.courseProgress(ctx, actor, orgSlug, courseSlug)
	if err != nil {
		return nil, err
	}
	switch {
	case cp.Pending():
		return nil, kindred.Errorf(kindred.ECONFLICT, "You have already asked for sign-off on this course. A coordinator will look at it soon.")
	case cp.Valid != nil && !cp.RefresherDue:
		return nil, kindred.Errorf(kindred.ECONFLICT, "You're already signed off on this course.")
	case !cp.AllPassed():
		return nil, kindred.Errorf(kindred.EINVALID, "Pass every module of the course first: %d of %d done so far.", cp.Passed, len(cp.Modules))
	}
	x := &kindred.Certification{ID: kindred.NewID(), OrgID: p.Org.ID, CourseID: c.ID, AccountID: actor.AccountID(),
		Decision: kindred.SignOffRequested, RequestedAt: s.nowUTC()}
	if err := s.store.CreateCertification(ctx, x); err != nil {
		if kindred.ErrorCode(err) == kindred.ECONFLICT {
			return nil, err
		}
		return nil, fmt.Errorf("request sign-off: %w", err)
	}
	return x, nil
}

// StartRefresher clears the actor's progress on a course whose sign-off
// expires within 30 days or has expired, so they can take it again and
// ask for a new sign-off. A grant still in force stays in force until it
// expires.
func (s *Service) StartRefresher(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug string) error {
	_, c, cp, err := s.courseProgress(ctx, actor, orgSlug, courseSlug)
	if err != nil {
		return err
	}
	switch {
	case cp.Pending():
		return kindred.Errorf(kindred.ECONFLICT, "Your sign-off request is waiting for a coordinator; a refresher can start after their decision.")
	case !cp.RefresherDue:
		return kindred.Errorf(kindred.ECONFLICT, "A refresher opens 30 days before your sign-off expires.")
	}
	if err := s.store.ResetProgress(ctx, actor.AccountID(), c.ID); err != nil {
		return fmt.Errorf("start refresher: %w", err)
	}
	return nil
}
