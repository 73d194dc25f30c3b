package web

// Training and sign-off, as pages: the training overview, a course and its
// modules, reading a module with its knowledge check and scenarios, and for
// coordinators and admins the course and module editors, the sign-off
// queue and a trainee's review. Every page works with plain forms; the
// rules live in internal/training.

import (
	"fmt"
	"html/template"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"kindred"
	"kindred/internal/training"
)

// trainingRoutes registers the training and sign-off pages.
func (s *Server) trainingRoutes(h func(pattern string, fn http.HandlerFunc)) {
	const base = "/o/{org}/training"
	const course = base + "/c/{course}"
	const module = course + "/m/{module}"
	h("GET "+base, s.handleTraining)
	h("GET "+base+"/new", s.handleCourseNewForm)
	h("POST "+base+"/courses", s.handleCourseCreate)
	h("POST "+base+"/starter", s.handleStarterCourse)
	h("GET "+base+"/reviews", s.handleTrainingReviews)
	h("POST "+base+"/signoffs/{cert}/decide", s.handleSignOffDecide)
	h("POST "+base+"/signoffs/{cert}/revoke", s.handleSignOffRevoke)
	h("GET "+course, s.handleCourse)
	h("GET "+course+"/edit", s.handleCourseEdit)
	h("POST "+course+"/edit", s.handleCourseUpdate)
	h("POST "+course+"/signoff", s.handleSignOffRequest)
	h("POST "+course+"/refresher", s.handleRefresher)
	h("GET "+course+"/trainees/{account}", s.handleTrainee)
	h("GET "+course+"/modules/new", s.handleModuleNewForm)
	h("POST "+course+"/modules", s.handleModuleCreate)
	h("GET "+module, s.handleModule)
	h("GET "+module+"/edit", s.handleModuleEditForm)
	h("POST "+module+"/edit", s.handleModuleUpdate)
	h("POST "+module+"/delete", s.handleModuleDelete)
	h("POST "+module+"/move", s.handleModuleMove)
	h("POST "+module+"/read", s.handleModuleRead)
	h("POST "+module+"/answers", s.handleModuleAnswers)
	h("POST "+module+"/reflections", s.handleModuleReflections)
}

func trainingURL(o *kindred.Organization) string { return "/o/" + o.Slug + "/training" }
func courseURL(o *kindred.Organization, c *kindred.Course) string {
	return trainingURL(o) + "/c/" + c.Slug
}
func moduleURL(o *kindred.Organization, c *kindred.Course, id string) string {
	return courseURL(o, c) + "/m/" + id
}
func traineeURL(o *kindred.Organization, c *kindred.Course, accountID string) string {
	return courseURL(o, c) + "/trainees/" + accountID
}

// The overview.

func (s *Server) handleTraining(w http.ResponseWriter, r *http.Request) {
	ov, err := s.svc.Training.Overview(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.render(w, r, http.StatusOK, "training", &page{Title: "Training · " + ov.Place.Org.Name, Org: ov.Place.Org,
		Data: trainingData{Overview: ov, Now: s.now()}})
}

type trainingData struct {
	*training.Overview
	Now time.Time
}

func (s *Server) handleStarterCourse(w http.ResponseWriter, r *http.Request) {
	p, c, err := s.svc.Training.AddStarterCourse(r.Context(), actorOf(r), r.PathValue("org"))
	if kindred.ErrorCode(err) == kindred.ECONFLICT && c != nil {
		// The kind answer to a second click: the copy they already have.
		s.flash(w, kindred.ErrorMessage(err))
		http.Redirect(w, r, courseURL(p.Org, c)+"/edit", http.StatusSeeOther)
		return
	}
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "Kindred's starter course is added and open to your members. You can adapt any module.")
	http.Redirect(w, r, courseURL(p.Org, c)+"/edit", http.StatusSeeOther)
}

// Courses: new and edit.

type courseFormData struct {
	Place   *training.Place
	Course  *kindred.Course // nil for a new course
	Modules []*kindred.Module
}

func (s *Server) handleCourseNewForm(w http.ResponseWriter, r *http.Request) {
	s.courseNewPage(w, r, http.StatusOK, nil)
}

func (s *Server) courseNewPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	p, err := s.svc.Training.NewCourse(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
		f.Values.Set("valid_days", "365")
	}
	s.render(w, r, status, "training_course_edit", &page{Title: "New course · " + p.Org.Name, Org: p.Org, Form: f,
		Data: courseFormData{Place: p}})
}

// parseValidDays reads "valid for N days" (blank or 0: no expiry).
func parseValidDays(r *http.Request) time.Duration {
	v := trimmed(r, "valid_days")
	if v == "" {
		return 0
	}
	n, err := strconv.Atoi(v)
	if err != nil {
		return -1 // let validation explain
	}
	return time.Duration(n) * 24 * time.Hour
}

func (s *Server) handleCourseCreate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	d := kindred.CourseDraft{Title: r.PostFormValue("title"), Slug: trimmed(r, "slug"), Summary: r.PostFormValue("summary"),
		ValidFor: parseValidDays(r), Published: r.PostFormValue("published") != ""}
	p, c, err := s.svc.Training.CreateCourse(r.Context(), actorOf(r), r.PathValue("org"), d)
	if s.formFailed(w, r, renameField(err, "valid_for", "valid_days"), func(st int, f *form) { s.courseNewPage(w, r, st, f) }) {
		return
	}
	s.flash(w, "The course is created. Now add its modules.")
	http.Redirect(w, r, courseURL(p.Org, c)+"/edit", http.StatusSeeOther)
}

// renameField is apiRenameField for forms.
func renameField(err error, from, to string) error { return apiRenameField(err, from, to) }

func (s *Server) handleCourseEdit(w http.ResponseWriter, r *http.Request) {
	s.courseEditPage(w, r, http.StatusOK, nil)
}

func (s *Server) courseEditPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	ed, err := s.svc.Training.Editor(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("course"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
		c := ed.Course
		f.Values.Set("title", c.Title)
		f.Values.Set("summary", c.Summary)
		f.Values.Set("valid_days", strconv.Itoa(int(c.ValidFor/(24*time.Hour))))
		if c.Published {
			f.Values.Set("published", "on")
		}
	}
	s.render(w, r, status, "training_course_edit", &page{Title: "Edit " + ed.Course.Title, Org: ed.Place.Org, Form: f,
		Data: courseFormData{Place: ed.Place, Course: ed.Course, Modules: ed.Modules}})
}

func (s *Server) handleCourseUpdate(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	title, summary, valid, pub := r.PostFormValue("title"), r.PostFormValue("summary"), parseValidDays(r), r.PostFormValue("published") != ""
	p, c, err := s.svc.Training.UpdateCourse(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("course"),
		kindred.CourseUpdate{Title: &title, Summary: &summary, ValidFor: &valid, Published: &pub})
	if s.formFailed(w, r, renameField(err, "valid_for", "valid_days"), func(st int, f *form) { s.courseEditPage(w, r, st, f) }) {
		return
	}
	s.flash(w, "The course is saved.")
	http.Redirect(w, r, courseURL(p.Org, c)+"/edit", http.StatusSeeOther)
}

// A course, as a trainee sees it.

type courseData struct {
	Place  *training.Place
	Course *training.CourseProgress
	Now    time.Time
	// Problem is why a sign-off request or refresher did not go through.
	Problem string
}

func (s *Server) coursePage(w http.ResponseWriter, r *http.Request, status int, problem string) {
	p, cp, err := s.svc.Training.Course(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("course"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.render(w, r, status, "training_course", &page{Title: cp.Course.Title + " · Training", Org: p.Org,
		Data: courseData{Place: p, Course: cp, Now: s.now(), Problem: problem}})
}

func (s *Server) handleCourse(w http.ResponseWriter, r *http.Request) {
	s.coursePage(w, r, http.StatusOK, "")
}

func (s *Server) handleSignOffRequest(w http.ResponseWriter, r *http.Request) {
	_, err := s.svc.Training.RequestSignOff(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("course"))
	switch kindred.ErrorCode(err) {
	case "":
	case kindred.EINVALID, kindred.ECONFLICT:
		s.coursePage(w, r, StatusFor(err), kindred.ErrorMessage(err))
		return
	default:
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "You've asked for sign-off. A coordinator will read your work and let you know here.")
	http.Redirect(w, r, "/o/"+r.PathValue("org")+"/training/c/"+r.PathValue("course")+"#signoff", http.StatusSeeOther)
}

func (s *Server) handleRefresher(w http.ResponseWriter, r *http.Request) {
	err := s.svc.Training.StartRefresher(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("course"))
	switch kindred.ErrorCode(err) {
	case "":
	case kindred.EINVALID, kindred.ECONFLICT:
		s.coursePage(w, r, StatusFor(err), kindred.ErrorMessage(err))
		return
	default:
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "Your refresher has started. Your sign-off stays in force until it expires.")
	http.Redirect(w, r, "/o/"+r.PathValue("org")+"/training/c/"+r.PathValue("course"), http.StatusSeeOther)
}

// A module, as a trainee reads it.

type choiceRow struct {
	Index   int
	Text    string
	Chosen  bool
	Correct bool // shown only after answering
}

type questionRow struct {
	Number          int
	ID, Prompt      string
	Multiple        bool
	Choices         []choiceRow
	Answered        bool
	Right           bool
	ExplanationHTML template.HTML
	Error           string
}

type reflectionRow struct {
	Name, Prompt, Answer, Error string
}

type scenarioRow struct {
	Number        int
	SituationHTML template.HTML
	Reflections   []reflectionRow
}

type moduleData struct {
	View      *training.ModuleView
	Questions []questionRow
	Scenarios []scenarioRow
	URL       string
	// Failed names the form sent back with a problem: "answers" or
	// "reflections".
	Failed  string
	Message string
}

// modulePage renders a module. f, when set, is the form that failed and
// holds what the person chose or wrote.
func (s *Server) modulePage(w http.ResponseWriter, r *http.Request, status int, failed string, f *form) {
	v, err := s.svc.Training.Module(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("course"), r.PathValue("module"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	d := moduleData{View: v, URL: moduleURL(v.Place.Org, v.Course.Course, v.Module.ID), Failed: failed}
	if f != nil {
		d.Message = f.Message
	}
	results := map[string]training.QuestionResult{}
	for _, res := range v.Results {
		results[res.ID] = res
	}
	for i, q := range v.Module.Questions {
		row := questionRow{Number: i + 1, ID: q.ID, Prompt: q.Prompt, Multiple: q.Multiple}
		chosen := v.Progress.Answers[q.ID]
		res, answered := results[q.ID]
		if failed == "answers" {
			chosen, answered = formChoices(f.Values, q.ID), false
			row.Error = f.Err("answers." + q.ID)
		}
		row.Answered, row.Right = answered, res.Right
		if answered {
			row.ExplanationHTML = template.HTML(res.ExplanationHTML) // sanitized by internal/markup
		}
		for j, c := range q.Choices {
			row.Choices = append(row.Choices, choiceRow{Index: j, Text: c.Text, Chosen: slices.Contains(chosen, j), Correct: answered && c.Correct})
		}
		d.Questions = append(d.Questions, row)
	}
	for i, sc := range v.Module.Scenarios {
		row := scenarioRow{Number: i + 1, SituationHTML: template.HTML(s.svc.Markup.Render(sc.Situation))} // sanitized by internal/markup
		saved := v.Progress.Reflections[sc.ID]
		for j, prompt := range sc.Reflections {
			name := "r." + sc.ID + "." + strconv.Itoa(j)
			rr := reflectionRow{Name: name, Prompt: prompt}
			if j < len(saved) {
				rr.Answer = saved[j]
			}
			if failed == "reflections" {
				rr.Answer = f.Values.Get(name) // nothing typed is ever lost
				rr.Error = f.Err("reflections." + sc.ID + "." + strconv.Itoa(j))
			}
			row.Reflections = append(row.Reflections, rr)
		}
		d.Scenarios = append(d.Scenarios, row)
	}
	s.render(w, r, status, "training_module", &page{Title: v.Module.Title + " · " + v.Course.Course.Title, Org: v.Place.Org, Data: d})
}

func formChoices(v url.Values, qid string) []int {
	var out []int
	for _, s := range v["q."+qid] {
		if n, err := strconv.Atoi(s); err == nil {
			out = append(out, n)
		}
	}
	return out
}

func (s *Server) handleModule(w http.ResponseWriter, r *http.Request) {
	s.modulePage(w, r, http.StatusOK, "", nil)
}

func (s *Server) handleModuleRead(w http.ResponseWriter, r *http.Request) {
	pr, err := s.svc.Training.MarkRead(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("course"), r.PathValue("module"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, passedOr(pr, "Reading marked as done."))
	http.Redirect(w, r, r.URL.Path[:strings.LastIndex(r.URL.Path, "/")]+"#check", http.StatusSeeOther)
}

func passedOr(pr *kindred.ModuleProgress, msg string) string {
	if pr != nil && pr.PassedAt != nil && time.Since(*pr.PassedAt) < time.Minute {
		return "Module passed. Well done!"
	}
	return msg
}

func (s *Server) handleModuleAnswers(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	answers := map[string][]int{}
	for k := range r.PostForm {
		if id, ok := strings.CutPrefix(k, "q."); ok {
			answers[id] = formChoices(r.PostForm, id)
		}
	}
	res, err := s.svc.Training.SubmitAnswers(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("course"), r.PathValue("module"), answers)
	if s.formFailed(w, r, err, func(st int, f *form) { s.modulePage(w, r, st, "answers", f) }) {
		return
	}
	msg := fmt.Sprintf("You got %d of %d right. Have a look at the explanations below.", res.Right, res.Total)
	if !res.Passed {
		msg += " You can try again whenever you're ready."
	}
	s.flash(w, passedOr(res.Progress, msg))
	http.Redirect(w, r, r.URL.Path[:strings.LastIndex(r.URL.Path, "/")]+"#check", http.StatusSeeOther)
}

func (s *Server) handleModuleReflections(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	refl := map[string][]string{}
	for k := range r.PostForm {
		rest, ok := strings.CutPrefix(k, "r.")
		if !ok {
			continue
		}
		id, idx, ok := strings.Cut(rest, ".")
		n, err := strconv.Atoi(idx)
		if !ok || err != nil || n < 0 || n >= kindred.MaxReflections {
			continue
		}
		for len(refl[id]) <= n {
			refl[id] = append(refl[id], "")
		}
		refl[id][n] = r.PostForm.Get(k)
	}
	pr, err := s.svc.Training.SaveReflections(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("course"), r.PathValue("module"), refl)
	if s.formFailed(w, r, err, func(st int, f *form) { s.modulePage(w, r, st, "reflections", f) }) {
		return
	}
	s.posted(w, "reflections-"+r.PathValue("module"))
	s.flash(w, passedOr(pr, "Your reflections are saved."))
	http.Redirect(w, r, r.URL.Path[:strings.LastIndex(r.URL.Path, "/")]+"#scenarios", http.StatusSeeOther)
}

// The module editor.

type questionForm struct {
	Index                        int
	ID, Prompt, Choices, Explain string
	Multiple                     bool
	Error                        string
}

type scenarioForm struct {
	Index                      int
	ID, Situation, Reflections string
	Error                      string
}

type moduleFormData struct {
	Place        *training.Place
	Course       *kindred.Course
	ModuleID     string // empty for a new module
	Action       string
	Competencies []kindred.Competency
	Questions    []questionForm
	Scenarios    []scenarioForm
}

// moduleFormValues fills a form from a stored module.
func moduleFormValues(m *kindred.Module) ([]questionForm, []scenarioForm, url.Values) {
	v := url.Values{}
	v.Set("title", m.Title)
	v.Set("competency", string(m.Competency))
	v.Set("body", m.Body)
	v.Set("pass_mark", strconv.Itoa(m.PassMark))
	var qs []questionForm
	for i, q := range m.Questions {
		var lines []string
		for _, c := range q.Choices {
			if c.Correct {
				lines = append(lines, "*"+c.Text)
			} else {
				lines = append(lines, c.Text)
			}
		}
		qs = append(qs, questionForm{Index: i, ID: q.ID, Prompt: q.Prompt, Multiple: q.Multiple, Choices: strings.Join(lines, "\n"), Explain: q.Explanation})
	}
	var ss []scenarioForm
	for i, sc := range m.Scenarios {
		ss = append(ss, scenarioForm{Index: i, ID: sc.ID, Situation: sc.Situation, Reflections: strings.Join(sc.Reflections, "\n")})
	}
	return qs, ss, v
}

// parseModuleForm reads the editor: repeated fieldsets q0_…, s0_…, choices
// one per line with a leading * for the correct ones, reflection
// questions one per line. It returns the module and the rows to show again.
func parseModuleForm(r *http.Request) (kindred.Module, []questionForm, []scenarioForm) {
	f := r.PostForm
	m := kindred.Module{ID: r.PathValue("module"), Title: f.Get("title"), Competency: kindred.Competency(f.Get("competency")), Body: f.Get("body")}
	if n, err := strconv.Atoi(strings.TrimSpace(f.Get("pass_mark"))); err == nil {
		m.PassMark = n
	} else {
		m.PassMark = -1
	}
	var qs []questionForm
	for i := 0; i < kindred.MaxQuestions+1; i++ {
		p := "q" + strconv.Itoa(i) + "_"
		if !f.Has(p+"prompt") || f.Get(p+"remove") != "" {
			continue
		}
		qf := questionForm{Index: len(qs), ID: f.Get(p + "id"), Prompt: f.Get(p + "prompt"), Multiple: f.Get(p+"multiple") != "",
			Choices: f.Get(p + "choices"), Explain: f.Get(p + "explanation")}
		// A fieldset left blank (added, then not used) is dropped quietly.
		if strings.TrimSpace(qf.Prompt+qf.Choices+qf.Explain) == "" {
			continue
		}
		q := kindred.Question{ID: qf.ID, Prompt: qf.Prompt, Multiple: qf.Multiple, Explanation: qf.Explain}
		for _, line := range strings.Split(qf.Choices, "\n") {
			line = strings.TrimSpace(line)
			if line == "" {
				continue
			}
			text, correct := strings.CutPrefix(line, "*")
			q.Choices = append(q.Choices, kindred.Choice{Text: strings.TrimSpace(text), Correct: correct})
		}
		qs = append(qs, qf)
		m.Questions = append(m.Questions, q)
	}
	var ss []scenarioForm
	for i := 0; i < kindred.MaxScenarios+1; i++ {
		p := "s" + strconv.Itoa(i) + "_"
		if !f.Has(p+"situation") || f.Get(p+"remove") != "" {
			continue
		}
		sf := scenarioForm{Index: len(ss), ID: f.Get(p + "id"), Situation: f.Get(p + "situation"), Reflections: f.Get(p + "reflections")}
		if strings.TrimSpace(sf.Situation+sf.Reflections) == "" {
			continue
		}
		sc := kindred.Scenario{ID: sf.ID, Situation: sf.Situation}
		for _, line := range strings.Split(sf.Reflections, "\n") {
			if line = strings.TrimSpace(line); line != "" {
				sc.Reflections = append(sc.Reflections, line)
			}
		}
		ss = append(ss, sf)
		m.Scenarios = append(m.Scenarios, sc)
	}
	return m, qs, ss
}

func (s *Server) moduleEditPage(w http.ResponseWriter, r *http.Request, status int, f *form, qs []questionForm, ss []scenarioForm) {
	actor, org, course, id := actorOf(r), r.PathValue("org"), r.PathValue("course"), r.PathValue("module")
	var ed *training.CourseEditor
	var err error
	if id == "" {
		ed, err = s.svc.Training.Editor(r.Context(), actor, org, course)
	} else {
		var m *kindred.Module
		ed, m, err = s.svc.Training.ModuleToEdit(r.Context(), actor, org, course, id)
		if err == nil && f == nil {
			f = newForm(r, nil)
			qs, ss, f.Values = moduleFormValues(m)
		}
	}
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
		f.Values.Set("pass_mark", strconv.Itoa(kindred.DefaultPassMark))
	}
	for i := range qs {
		qs[i].Error = f.Err("questions." + strconv.Itoa(i))
	}
	for i := range ss {
		ss[i].Error = f.Err("scenarios." + strconv.Itoa(i))
	}
	d := moduleFormData{Place: ed.Place, Course: ed.Course, ModuleID: id, Competencies: kindred.Competencies, Questions: qs, Scenarios: ss}
	d.Action = courseURL(ed.Place.Org, ed.Course) + "/modules"
	title := "New module · " + ed.Course.Title
	if id != "" {
		d.Action = moduleURL(ed.Place.Org, ed.Course, id) + "/edit"
		title = "Edit module · " + ed.Course.Title
	}
	s.render(w, r, status, "training_module_edit", &page{Title: title, Org: ed.Place.Org, Form: f, Data: d})
}

func (s *Server) handleModuleNewForm(w http.ResponseWriter, r *http.Request) {
	s.moduleEditPage(w, r, http.StatusOK, nil, []questionForm{{}}, []scenarioForm{{}})
}

func (s *Server) handleModuleEditForm(w http.ResponseWriter, r *http.Request) {
	s.moduleEditPage(w, r, http.StatusOK, nil, nil, nil)
}

func (s *Server) handleModuleCreate(w http.ResponseWriter, r *http.Request) { s.moduleSave(w, r) }
func (s *Server) handleModuleUpdate(w http.ResponseWriter, r *http.Request) { s.moduleSave(w, r) }

func (s *Server) moduleSave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	m, qs, ss := parseModuleForm(r)
	// "Add a question" and "Add a scenario" re-render the form with one
	// more blank fieldset; nothing is saved yet.
	switch r.PostFormValue("action") {
	case "add_question":
		if len(qs) < kindred.MaxQuestions {
			qs = append(qs, questionForm{Index: len(qs)})
		}
		s.moduleEditPage(w, r, http.StatusOK, newForm(r, nil), qs, ss)
		return
	case "add_scenario":
		if len(ss) < kindred.MaxScenarios {
			ss = append(ss, scenarioForm{Index: len(ss)})
		}
		s.moduleEditPage(w, r, http.StatusOK, newForm(r, nil), qs, ss)
		return
	}
	ed, saved, err := s.svc.Training.SaveModule(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("course"), m)
	if s.formFailed(w, r, err, func(st int, f *form) { s.moduleEditPage(w, r, st, f, qs, ss) }) {
		return
	}
	s.flash(w, "The module “"+saved.Title+"” is saved.")
	http.Redirect(w, r, courseURL(ed.Place.Org, ed.Course)+"/edit#modules", http.StatusSeeOther)
}

func (s *Server) handleModuleDelete(w http.ResponseWriter, r *http.Request) {
	ed, err := s.svc.Training.DeleteModule(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("course"), r.PathValue("module"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "The module is deleted.")
	http.Redirect(w, r, courseURL(ed.Place.Org, ed.Course)+"/edit#modules", http.StatusSeeOther)
}

func (s *Server) handleModuleMove(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	ed, err := s.svc.Training.MoveModule(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("course"), r.PathValue("module"),
		r.PostFormValue("direction") == "up")
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	http.Redirect(w, r, courseURL(ed.Place.Org, ed.Course)+"/edit#modules", http.StatusSeeOther)
}

// Sign-off: the queue, a trainee's review, decisions.

func (s *Server) handleTrainingReviews(w http.ResponseWriter, r *http.Request) {
	rv, err := s.svc.Training.Reviews(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	courses := map[string]string{} // course id → slug, for links
	ov, err := s.svc.Training.Overview(r.Context(), actorOf(r), r.PathValue("org"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	for _, c := range ov.Courses {
		courses[c.Course.ID] = c.Course.Slug
	}
	s.render(w, r, http.StatusOK, "training_reviews", &page{Title: "Sign-off reviews · " + rv.Place.Org.Name, Org: rv.Place.Org,
		Data: reviewsData{Reviews: rv, Slugs: courses, Now: s.now()}})
}

type reviewsData struct {
	*training.Reviews
	Slugs map[string]string
	Now   time.Time
}

type traineeData struct {
	*training.TraineeReview
	Now time.Time
	// Failed names the form sent back: "decide" or "revoke-<cert id>".
	Failed string
}

func (s *Server) traineePage(w http.ResponseWriter, r *http.Request, status int, course, account string, f *form, failed string) {
	tr, err := s.svc.Training.Trainee(r.Context(), actorOf(r), r.PathValue("org"), course, account)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if f == nil {
		f = newForm(r, nil)
	}
	s.render(w, r, status, "training_trainee", &page{Title: tr.Trainee.Name() + " · " + tr.Course.Course.Title, Org: tr.Place.Org, Form: f,
		Data: traineeData{TraineeReview: tr, Now: s.now(), Failed: failed}})
}

func (s *Server) handleTrainee(w http.ResponseWriter, r *http.Request) {
	s.traineePage(w, r, http.StatusOK, r.PathValue("course"), r.PathValue("account"), nil, "")
}

// afterDecision answers a decision form: back to the trainee on success,
// the trainee page with the problem otherwise. The course and account
// fields only say which page to show again; the service decides on the
// sign-off named in the path.
func (s *Server) afterDecision(w http.ResponseWriter, r *http.Request, p *training.Place, x *kindred.Certification, err error, failed, msg string) {
	switch kindred.ErrorCode(err) {
	case "":
	case kindred.EINVALID, kindred.ECONFLICT:
		s.traineePage(w, r, StatusFor(err), trimmed(r, "course"), trimmed(r, "account"), newForm(r, err), failed)
		return
	default:
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, msg)
	course, err := s.svc.Training.Editor(r.Context(), actorOf(r), p.Org.Slug, trimmed(r, "course"))
	if err != nil || course.Course.ID != x.CourseID {
		http.Redirect(w, r, trainingURL(p.Org)+"/reviews", http.StatusSeeOther)
		return
	}
	http.Redirect(w, r, traineeURL(p.Org, course.Course, x.AccountID), http.StatusSeeOther)
}

func (s *Server) handleSignOffDecide(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	d := training.Decision{Grant: r.PostFormValue("decision") == "grant", Note: r.PostFormValue("note"),
		YouthProgramme: r.PostFormValue("youth_programme") != ""}
	if dec := r.PostFormValue("decision"); dec != "grant" && dec != "decline" {
		s.afterDecision(w, r, nil, nil, kindred.Invalid{"decision": "Please choose whether to grant or decline."}.Err(), "decide", "")
		return
	}
	p, x, err := s.svc.Training.DecideSignOff(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("cert"), d)
	msg := "Declined, with your note. They can see it on their training page."
	if d.Grant {
		msg = "Signed off. They are now a peer supporter."
	}
	s.afterDecision(w, r, p, x, err, "decide", msg)
}

func (s *Server) handleSignOffRevoke(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	p, x, err := s.svc.Training.RevokeCertification(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("cert"), r.PostFormValue("reason"))
	s.afterDecision(w, r, p, x, err, "revoke-"+r.PathValue("cert"), "The sign-off is revoked.")
}
