package web

// The training API: courses and modules (authored by coordinators and
// admins), a member's progress (reading, knowledge checks, reflections),
// sign-off requests and coordinators' decisions. The rules are in
// internal/training; these handlers only convert.

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
	"kindred/internal/training"
)

type apiTrainingOrgPath struct {
	Org string `path:"org" doc:"The organisation's slug."`
}

type apiCoursePath struct {
	Org    string `path:"org" doc:"The organisation's slug."`
	Course string `path:"course" doc:"The course's slug."`
}

type apiModulePath struct {
	Org    string `path:"org" doc:"The organisation's slug."`
	Course string `path:"course" doc:"The course's slug."`
	Module string `path:"module" doc:"The module's id."`
}

type apiCourseCreateInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body struct {
		Title        string `json:"title" maxLength:"120"`
		Slug         string `json:"slug,omitempty" maxLength:"40" doc:"The course's web address; made from the title when left out."`
		Summary      string `json:"summary,omitempty" maxLength:"4000" doc:"Markdown."`
		ValidForDays int    `json:"valid_for_days,omitempty" minimum:"0" maximum:"1095" doc:"How long a sign-off lasts before a refresher is due; 0 (the default): it does not expire."`
		Published    bool   `json:"published,omitempty" doc:"Members see only published courses."`
	}
}

type apiCourseUpdateInput struct {
	Org    string `path:"org" doc:"The organisation's slug."`
	Course string `path:"course" doc:"The course's slug."`
	Body   struct {
		Title        *string `json:"title,omitempty" maxLength:"120"`
		Summary      *string `json:"summary,omitempty" maxLength:"4000"`
		ValidForDays *int    `json:"valid_for_days,omitempty" minimum:"0" maximum:"1095"`
		Published    *bool   `json:"published,omitempty"`
	}
}

type apiModuleSaveInput struct {
	Org    string `path:"org" doc:"The organisation's slug."`
	Course string `path:"course" doc:"The course's slug."`
	Body   struct {
		ID         string                `json:"id,omitempty" maxLength:"40" doc:"Left out: a new module at the end of the course. Given: replaces that module's content (its place stays)."`
		Title      string                `json:"title" maxLength:"120"`
		Competency kindred.Competency    `json:"competency" enum:"engaging,supporting,lived_experience,personalising,planning,resources,wellness,crisis,communication,collaboration,advocacy,growth"`
		Body       string                `json:"body,omitempty" maxLength:"40000" doc:"The reading, in Markdown."`
		PassMark   int                   `json:"pass_mark,omitempty" minimum:"0" maximum:"100" doc:"Percent of questions right to pass; default 80."`
		Questions  []apiQuestionAuthor   `json:"questions,omitempty" maxItems:"20"`
		Scenarios  []apiScenarioAuthored `json:"scenarios,omitempty" maxItems:"5"`
	}
}

type apiAnswersInput struct {
	Org    string `path:"org" doc:"The organisation's slug."`
	Course string `path:"course" doc:"The course's slug."`
	Module string `path:"module" doc:"The module's id."`
	Body   struct {
		Answers map[string][]int `json:"answers" doc:"Question id → indexes (from 0) of the chosen choices. Every question needs an answer."`
	}
}

type apiReflectionsInput struct {
	Org    string `path:"org" doc:"The organisation's slug."`
	Course string `path:"course" doc:"The course's slug."`
	Module string `path:"module" doc:"The module's id."`
	Body   struct {
		Reflections map[string][]string `json:"reflections" doc:"Scenario id → answers to its reflection questions, in order (up to 4,000 characters each). Scenarios left out keep what was saved."`
	}
}

type apiTraineePath struct {
	Org     string `path:"org" doc:"The organisation's slug."`
	Course  string `path:"course" doc:"The course's slug."`
	Account string `path:"account" doc:"The trainee's account id."`
}

type apiDecideInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Cert string `path:"cert" doc:"The sign-off request's id."`
	Body struct {
		Decision       string `json:"decision" enum:"grant,decline"`
		Note           string `json:"note,omitempty" maxLength:"2000" doc:"For the trainee. Required with decline: say what to work on."`
		YouthProgramme bool   `json:"youth_programme,omitempty" doc:"With grant, for adults only: may support members aged 13–17."`
	}
}

type apiRevokeInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Cert string `path:"cert" doc:"The granted sign-off's id."`
	Body struct {
		Reason string `json:"reason" maxLength:"2000" doc:"Why; the supporter reads it."`
	}
}

func (s *Server) registerTrainingAPI(api huma.API) {
	tags := []string{"Training"}
	const base = "/organizations/{org}/training"
	const course = base + "/courses/{course}"
	const module = course + "/modules/{module}"
	conflict := []int{http.StatusConflict}
	op := func(id, method, path, summary, desc string, status int, errs []int) huma.Operation {
		return huma.Operation{OperationID: id, Method: method, Path: path, Summary: summary, Description: desc, Tags: tags,
			DefaultStatus: status, Errors: errs}
	}
	large := func(o huma.Operation) huma.Operation { o.MaxBodyBytes = apiLargeBody; return o }
	apiRegister(s, api, apiSignedIn, op("listCourses", http.MethodGet, base+"/courses", "Training courses",
		"For members: the published courses with your progress on each; coordinators and admins also see unpublished ones.", 0, nil), s.apiListCourses)
	apiRegister(s, api, apiSignedIn, large(op("createCourse", http.MethodPost, base+"/courses", "Create a course",
		"For coordinators and admins. The course starts unpublished unless published is true.", http.StatusCreated, nil)), s.apiCreateCourse)
	apiRegister(s, api, apiSignedIn, op("addStarterCourse", http.MethodPost, base+"/starter", "Add Kindred's starter course",
		"For coordinators and admins: a published copy of the starter course, one module per peer-work competency, to use as it is or adapt. A second copy answers 409.",
		http.StatusCreated, conflict), s.apiAddStarterCourse)
	apiRegister(s, api, apiSignedIn, op("getCourse", http.MethodGet, course, "One course", "With its modules and your progress and sign-off on it.", 0, nil), s.apiGetCourse)
	apiRegister(s, api, apiSignedIn, large(op("updateCourse", http.MethodPatch, course, "Change a course", "For coordinators and admins; fields left out stay.", 0, nil)), s.apiUpdateCourse)
	apiRegister(s, api, apiSignedIn, large(op("saveModule", http.MethodPost, course+"/modules", "Add or change a module",
		"For coordinators and admins. Without id, adds a module at the end of the course; with id, replaces that module's content. "+
			"Question and scenario ids are filled in (q1, s1…) where left out.", 0, nil)), s.apiSaveModule)
	apiRegister(s, api, apiSignedIn, op("getModule", http.MethodGet, module, "One module",
		"The reading (with its sanitized rendering), the knowledge check without the answers until you have answered, the scenarios, and your work on it.", 0, nil), s.apiGetModule)
	apiRegister(s, api, apiSignedIn, op("deleteModule", http.MethodDelete, module, "Delete a module", "For coordinators and admins; everyone's progress on it goes too.", 0, nil), s.apiDeleteModule)
	apiRegister(s, api, apiSignedIn, op("markModuleRead", http.MethodPost, module+"/read", "Mark the reading done", "For members taking the course.", 0, nil), s.apiMarkModuleRead)
	apiRegister(s, api, apiSignedIn, op("submitModuleAnswers", http.MethodPost, module+"/answers", "Answer the knowledge check",
		"Marks your answers, saves them and answers which were right, with the explanations. Try as often as you like; a module once passed stays passed.", 0, nil), s.apiSubmitModuleAnswers)
	apiRegister(s, api, apiSignedIn, large(op("saveReflections", http.MethodPut, module+"/reflections", "Save scenario reflections",
		"Your answers to the practice scenarios, in your own words; coordinators read them at review. Save as you go.", 0, nil)), s.apiSaveReflections)
	apiRegister(s, api, apiSignedIn, op("getMyTrainingProgress", http.MethodGet, base+"/me", "Your training",
		"Every course you can take, with your progress per module and your sign-offs.", 0, nil), s.apiMyTraining)
	apiRegister(s, api, apiSignedIn, op("requestSignOff", http.MethodPost, course+"/signoff", "Ask for sign-off",
		"Once every module is passed. One request waits at a time (409 for another).", http.StatusCreated, conflict), s.apiRequestSignOff)
	apiRegister(s, api, apiSignedIn, op("startRefresher", http.MethodPost, course+"/refresher", "Start a refresher",
		"When your sign-off expires within 30 days or has expired: your progress on the course starts afresh. A sign-off in force stays in force until it expires.",
		0, conflict), s.apiStartRefresher)
	apiRegister(s, api, apiSignedIn, op("listSignOffRequests", http.MethodGet, base+"/signoffs", "Sign-off requests",
		"For coordinators and admins: requests waiting for review, oldest first.", 0, nil), s.apiListSignOffRequests)
	apiRegister(s, api, apiSignedIn, op("getTraineeReview", http.MethodGet, course+"/trainees/{account}", "A trainee's review",
		"For coordinators and admins: progress per module, scores, attempts, every scenario reflection, and the sign-off history.", 0, nil), s.apiTraineeReview)
	apiRegister(s, api, apiSignedIn, op("decideSignOff", http.MethodPost, base+"/signoffs/{cert}/decision", "Grant or decline a sign-off",
		"For coordinators and admins. A grant gives the peer supporter role at once, until the course's validity runs out. Audited.", 0, conflict), s.apiDecideSignOff)
	apiRegister(s, api, apiSignedIn, op("revokeCertification", http.MethodPost, base+"/signoffs/{cert}/revoke", "Revoke a sign-off",
		"For coordinators and admins, with a reason the supporter reads. They lose the peer supporter role unless another sign-off is in force. Audited.", 0, conflict), s.apiRevokeCertification)
}

func (s *Server) apiListCourses(ctx context.Context, in *apiTrainingOrgPath) (*apiOut[apiCourseList], error) {
	ov, err := s.svc.Training.Overview(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	out := apiCourseList{Courses: []apiCourseProgress{}}
	for _, cp := range ov.Courses {
		out.Courses = append(out.Courses, apiCourseProgressOf(cp, s.now(), false))
	}
	return apiBody(out), nil
}

func (s *Server) apiCreateCourse(ctx context.Context, in *apiCourseCreateInput) (*apiOut[apiCourse], error) {
	b := in.Body
	_, c, err := s.svc.Training.CreateCourse(ctx, kindred.ActorFrom(ctx), in.Org, kindred.CourseDraft{Title: b.Title, Slug: b.Slug,
		Summary: b.Summary, ValidFor: time.Duration(b.ValidForDays) * 24 * time.Hour, Published: b.Published})
	if err != nil {
		return nil, apiRenameField(err, "valid_for", "valid_for_days")
	}
	return apiBody(apiCourseOf(c)), nil
}

func (s *Server) apiAddStarterCourse(ctx context.Context, in *apiTrainingOrgPath) (*apiOut[apiCourse], error) {
	_, c, err := s.svc.Training.AddStarterCourse(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	return apiBody(apiCourseOf(c)), nil
}

func (s *Server) apiGetCourse(ctx context.Context, in *apiCoursePath) (*apiOut[apiCourseDetail], error) {
	_, cp, err := s.svc.Training.Course(ctx, kindred.ActorFrom(ctx), in.Org, in.Course)
	if err != nil {
		return nil, err
	}
	return apiBody(apiCourseDetail{apiCourseProgressOf(cp, s.now(), true), s.svc.Markup.Render(cp.Course.Summary)}), nil
}

func (s *Server) apiUpdateCourse(ctx context.Context, in *apiCourseUpdateInput) (*apiOut[apiCourse], error) {
	b := in.Body
	u := kindred.CourseUpdate{Title: b.Title, Summary: b.Summary, Published: b.Published}
	if b.ValidForDays != nil {
		d := time.Duration(*b.ValidForDays) * 24 * time.Hour
		u.ValidFor = &d
	}
	_, c, err := s.svc.Training.UpdateCourse(ctx, kindred.ActorFrom(ctx), in.Org, in.Course, u)
	if err != nil {
		return nil, apiRenameField(err, "valid_for", "valid_for_days")
	}
	return apiBody(apiCourseOf(c)), nil
}

func (s *Server) apiSaveModule(ctx context.Context, in *apiModuleSaveInput) (*apiOut[apiModuleAuthored], error) {
	b := in.Body
	m := kindred.Module{ID: b.ID, Title: b.Title, Competency: b.Competency, Body: b.Body, PassMark: b.PassMark}
	for _, q := range b.Questions {
		kq := kindred.Question{ID: q.ID, Prompt: q.Prompt, Multiple: q.Multiple, Explanation: q.Explanation}
		for _, c := range q.Choices {
			kq.Choices = append(kq.Choices, kindred.Choice{Text: c.Text, Correct: c.Correct})
		}
		m.Questions = append(m.Questions, kq)
	}
	for _, sc := range b.Scenarios {
		m.Scenarios = append(m.Scenarios, kindred.Scenario{ID: sc.ID, Situation: sc.Situation, Reflections: sc.Reflections})
	}
	_, saved, err := s.svc.Training.SaveModule(ctx, kindred.ActorFrom(ctx), in.Org, in.Course, m)
	if err != nil {
		return nil, err
	}
	return apiBody(apiModuleAuthoredOf(saved)), nil
}

func (s *Server) apiGetModule(ctx context.Context, in *apiModulePath) (*apiOut[apiModuleView], error) {
	v, err := s.svc.Training.Module(ctx, kindred.ActorFrom(ctx), in.Org, in.Course, in.Module)
	if err != nil {
		return nil, err
	}
	return apiBody(apiModuleViewOf(v, s.svc.Markup.Render)), nil
}

func (s *Server) apiDeleteModule(ctx context.Context, in *apiModulePath) (*apiOut[apiTrainingDone], error) {
	if _, err := s.svc.Training.DeleteModule(ctx, kindred.ActorFrom(ctx), in.Org, in.Course, in.Module); err != nil {
		return nil, err
	}
	return apiBody(apiTrainingDone{Done: true}), nil
}

func (s *Server) apiMarkModuleRead(ctx context.Context, in *apiModulePath) (*apiOut[apiProgress], error) {
	pr, err := s.svc.Training.MarkRead(ctx, kindred.ActorFrom(ctx), in.Org, in.Course, in.Module)
	if err != nil {
		return nil, err
	}
	return apiBody(apiProgressOf(pr)), nil
}

func (s *Server) apiSubmitModuleAnswers(ctx context.Context, in *apiAnswersInput) (*apiOut[apiCheckResult], error) {
	res, err := s.svc.Training.SubmitAnswers(ctx, kindred.ActorFrom(ctx), in.Org, in.Course, in.Module, in.Body.Answers)
	if err != nil {
		return nil, err
	}
	out := apiCheckResult{Right: res.Right, Total: res.Total, Passed: res.Passed, Progress: apiProgressOf(res.Progress), Results: []apiQuestionResult{}}
	for _, r := range res.Results {
		out.Results = append(out.Results, apiQuestionResult{ID: r.ID, Right: r.Right, ExplanationHTML: r.ExplanationHTML})
	}
	return apiBody(out), nil
}

func (s *Server) apiSaveReflections(ctx context.Context, in *apiReflectionsInput) (*apiOut[apiProgress], error) {
	pr, err := s.svc.Training.SaveReflections(ctx, kindred.ActorFrom(ctx), in.Org, in.Course, in.Module, in.Body.Reflections)
	if err != nil {
		return nil, err
	}
	return apiBody(apiProgressOf(pr)), nil
}

func (s *Server) apiMyTraining(ctx context.Context, in *apiTrainingOrgPath) (*apiOut[apiMyTraining], error) {
	ov, err := s.svc.Training.Overview(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	out := apiMyTraining{Courses: []apiCourseProgress{}}
	for _, cp := range ov.Courses {
		out.Courses = append(out.Courses, apiCourseProgressOf(cp, s.now(), true))
		if cp.Valid != nil && (out.Certification == nil || cp.Valid.RequestedAt.After(out.Certification.RequestedAt)) {
			c := apiSignOffOf(cp.Valid, s.now())
			out.Certification = &c
		}
	}
	return apiBody(out), nil
}

func (s *Server) apiRequestSignOff(ctx context.Context, in *apiCoursePath) (*apiOut[apiSignOff], error) {
	x, err := s.svc.Training.RequestSignOff(ctx, kindred.ActorFrom(ctx), in.Org, in.Course)
	if err != nil {
		return nil, err
	}
	return apiBody(apiSignOffOf(x, s.now())), nil
}

func (s *Server) apiStartRefresher(ctx context.Context, in *apiCoursePath) (*apiOut[apiTrainingDone], error) {
	if err := s.svc.Training.StartRefresher(ctx, kindred.ActorFrom(ctx), in.Org, in.Course); err != nil {
		return nil, err
	}
	return apiBody(apiTrainingDone{Done: true}), nil
}

func (s *Server) apiListSignOffRequests(ctx context.Context, in *apiTrainingOrgPath) (*apiOut[apiSignOffList], error) {
	rv, err := s.svc.Training.Reviews(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	out := apiSignOffList{Requests: []apiSignOff{}}
	for _, x := range rv.Waiting {
		out.Requests = append(out.Requests, apiSignOffOf(x, s.now()))
	}
	return apiBody(out), nil
}

func (s *Server) apiTraineeReview(ctx context.Context, in *apiTraineePath) (*apiOut[apiTraineeReview], error) {
	tr, err := s.svc.Training.Trainee(ctx, kindred.ActorFrom(ctx), in.Org, in.Course, in.Account)
	if err != nil {
		return nil, err
	}
	out := apiTraineeReview{Name: tr.Trainee.Name(), AgeBand: tr.Trainee.AgeBand, Course: apiCourseProgressOf(tr.Course, s.now(), true),
		Modules: []apiModuleAuthored{}, History: []apiSignOff{}}
	for _, ms := range tr.Course.Modules {
		out.Modules = append(out.Modules, apiModuleAuthoredOf(ms.Module))
	}
	for _, x := range tr.History {
		out.History = append(out.History, apiSignOffOf(x, s.now()))
	}
	return apiBody(out), nil
}

func (s *Server) apiDecideSignOff(ctx context.Context, in *apiDecideInput) (*apiOut[apiSignOff], error) {
	_, x, err := s.svc.Training.DecideSignOff(ctx, kindred.ActorFrom(ctx), in.Org, in.Cert, training.Decision{
		Grant: in.Body.Decision == "grant", Note: in.Body.Note, YouthProgramme: in.Body.YouthProgramme})
	if err != nil {
		return nil, err
	}
	return apiBody(apiSignOffOf(x, s.now())), nil
}

func (s *Server) apiRevokeCertification(ctx context.Context, in *apiRevokeInput) (*apiOut[apiSignOff], error) {
	_, x, err := s.svc.Training.RevokeCertification(ctx, kindred.ActorFrom(ctx), in.Org, in.Cert, in.Body.Reason)
	if err != nil {
		return nil, err
	}
	return apiBody(apiSignOffOf(x, s.now())), nil
}
