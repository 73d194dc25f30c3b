package web

// The training API's types. A module as a trainee reads it never carries
// which choices are correct until they have answered; reflections are
// returned only to their writer and to the organisation's coordinators.

import (
	"time"

	"kindred"
	"kindred/internal/training"
)

type apiTrainingDone struct {
	Done bool `json:"done"`
}

type apiCourse struct {
	ID           string    `json:"id"`
	Slug         string    `json:"slug"`
	Title        string    `json:"title"`
	Summary      string    `json:"summary" doc:"Markdown."`
	ValidForDays int       `json:"valid_for_days" doc:"How long a sign-off lasts; 0: it does not expire."`
	Published    bool      `json:"published"`
	ModuleCount  int       `json:"module_count"`
	UpdatedAt    time.Time `json:"updated_at"`
}

func apiCourseOf(c *kindred.Course) apiCourse {
	return apiCourse{ID: c.ID, Slug: c.Slug, Title: c.Title, Summary: c.Summary, ValidForDays: int(c.ValidFor / (24 * time.Hour)),
		Published: c.Published, ModuleCount: c.ModuleCount, UpdatedAt: c.UpdatedAt.UTC()}
}

type apiModuleProgress struct {
	ModuleID   string             `json:"module_id"`
	Title      string             `json:"title"`
	Competency kindred.Competency `json:"competency"`
	Progress   apiProgress        `json:"progress"`
}

type apiCourseProgress struct {
	apiCourse
	Passed       int                 `json:"passed" doc:"How many modules you passed."`
	CanRequest   bool                `json:"can_request_signoff" doc:"Every module is passed and you may ask for sign-off (requestSignOff)."`
	RefresherDue bool                `json:"refresher_due" doc:"Your sign-off expires within 30 days or has expired: startRefresher."`
	Latest       *apiSignOff         `json:"latest_signoff" doc:"Your newest sign-off on the course, whatever its decision; null before you ask."`
	Modules      []apiModuleProgress `json:"modules,omitempty"`
}

func apiCourseProgressOf(cp *training.CourseProgress, now time.Time, modules bool) apiCourseProgress {
	out := apiCourseProgress{apiCourse: apiCourseOf(cp.Course), Passed: cp.Passed, CanRequest: cp.CanRequest, RefresherDue: cp.RefresherDue}
	out.ModuleCount = len(cp.Modules)
	if cp.Latest != nil {
		c := apiSignOffOf(cp.Latest, now)
		out.Latest = &c
	}
	if modules {
		out.Modules = []apiModuleProgress{}
		for _, ms := range cp.Modules {
			out.Modules = append(out.Modules, apiModuleProgress{ModuleID: ms.Module.ID, Title: ms.Module.Title,
				Competency: ms.Module.Competency, Progress: apiProgressOf(ms.Progress)})
		}
	}
	return out
}

type apiCourseList struct {
	Courses []apiCourseProgress `json:"courses" nullable:"false" doc:"By title."`
}

type apiCourseDetail struct {
	apiCourseProgress
	SummaryHTML string `json:"summary_html" doc:"The sanitized rendering of summary."`
}

type apiMyTraining struct {
	Courses       []apiCourseProgress `json:"courses" nullable:"false"`
	Certification *apiSignOff         `json:"certification" doc:"Your newest sign-off in force in the organisation; null when none is."`
}

type apiProgress struct {
	ReadAt      *time.Time          `json:"read_at"`
	Answers     map[string][]int    `json:"answers" doc:"Your last answers: question id → chosen choices."`
	Score       int                 `json:"score" doc:"Questions right in your last answers."`
	Attempts    int                 `json:"attempts"`
	Reflections map[string][]string `json:"reflections" doc:"Scenario id → your answers, in order."`
	PassedAt    *time.Time          `json:"passed_at" doc:"When you passed the module; it stays passed."`
}

func apiProgressOf(p *kindred.ModuleProgress) apiProgress {
	out := apiProgress{ReadAt: p.ReadAt, Answers: p.Answers, Score: p.Score, Attempts: p.Attempts, Reflections: p.Reflections, PassedAt: p.PassedAt}
	if out.Answers == nil {
		out.Answers = map[string][]int{}
	}
	if out.Reflections == nil {
		out.Reflections = map[string][]string{}
	}
	return out
}

// The module as authored, with the correct choices: for coordinators.

type apiChoiceAuthored struct {
	Text    string `json:"text" maxLength:"1000"`
	Correct bool   `json:"correct,omitempty"`
}

type apiQuestionAuthor struct {
	ID          string              `json:"id,omitempty" maxLength:"20" doc:"Stable within the module; filled in (q1, q2…) when left out."`
	Prompt      string              `json:"prompt" maxLength:"1000"`
	Multiple    bool                `json:"multiple,omitempty" doc:"Several choices may be right; the answer is the exact set."`
	Choices     []apiChoiceAuthored `json:"choices" maxItems:"8"`
	Explanation string              `json:"explanation,omitempty" maxLength:"2000" doc:"Markdown, shown after answering."`
}

type apiScenarioAuthored struct {
	ID          string   `json:"id,omitempty" maxLength:"20"`
	Situation   string   `json:"situation" maxLength:"4000" doc:"Markdown."`
	Reflections []string `json:"reflections" maxItems:"5" doc:"Questions the trainee answers in their own words."`
}

type apiModuleAuthored struct {
	ID         string                `json:"id"`
	Position   int                   `json:"position"`
	Title      string                `json:"title"`
	Competency kindred.Competency    `json:"competency"`
	Body       string                `json:"body"`
	PassMark   int                   `json:"pass_mark"`
	Questions  []apiQuestionAuthor   `json:"questions" nullable:"false"`
	Scenarios  []apiScenarioAuthored `json:"scenarios" nullable:"false"`
}

func apiModuleAuthoredOf(m *kindred.Module) apiModuleAuthored {
	out := apiModuleAuthored{ID: m.ID, Position: m.Position, Title: m.Title, Competency: m.Competency, Body: m.Body, PassMark: m.PassMark,
		Questions: []apiQuestionAuthor{}, Scenarios: []apiScenarioAuthored{}}
	for _, q := range m.Questions {
		aq := apiQuestionAuthor{ID: q.ID, Prompt: q.Prompt, Multiple: q.Multiple, Explanation: q.Explanation, Choices: []apiChoiceAuthored{}}
		for _, c := range q.Choices {
			aq.Choices = append(aq.Choices, apiChoiceAuthored{Text: c.Text, Correct: c.Correct})
		}
		out.Questions = append(out.Questions, aq)
	}
	for _, sc := range m.Scenarios {
		out.Scenarios = append(out.Scenarios, apiScenarioAuthored{ID: sc.ID, Situation: sc.Situation, Reflections: sc.Reflections})
	}
	return out
}

// The module as a trainee reads it.

type apiQuestionView struct {
	ID              string   `json:"id"`
	Prompt          string   `json:"prompt"`
	Multiple        bool     `json:"multiple"`
	Choices         []string `json:"choices" doc:"Answer with their indexes, from 0."`
	Right           *bool    `json:"right" doc:"Whether your last answer was right; null before you answer."`
	Correct         []int    `json:"correct,omitempty" doc:"The correct choices, once you have answered."`
	ExplanationHTML string   `json:"explanation_html,omitempty" doc:"Once you have answered."`
}

type apiScenarioView struct {
	ID            string   `json:"id"`
	Situation     string   `json:"situation"`
	SituationHTML string   `json:"situation_html"`
	Reflections   []string `json:"reflections"`
}

type apiModuleView struct {
	ID         string             `json:"id"`
	Number     int                `json:"number"`
	Title      string             `json:"title"`
	Competency kindred.Competency `json:"competency"`
	Body       string             `json:"body" doc:"Markdown."`
	BodyHTML   string             `json:"body_html" doc:"The sanitized rendering; the only HTML to show."`
	PassMark   int                `json:"pass_mark"`
	Questions  []apiQuestionView  `json:"questions" nullable:"false"`
	Scenarios  []apiScenarioView  `json:"scenarios" nullable:"false"`
	Progress   apiProgress        `json:"progress"`
	ToDo       []string           `json:"to_do" nullable:"false" doc:"What is left before the module is passed, in words."`
}

func apiModuleViewOf(v *training.ModuleView, render func(string) string) apiModuleView {
	m := v.Module
	out := apiModuleView{ID: m.ID, Number: v.Number, Title: m.Title, Competency: m.Competency, Body: m.Body, BodyHTML: v.BodyHTML,
		PassMark: m.PassMark, Questions: []apiQuestionView{}, Scenarios: []apiScenarioView{}, Progress: apiProgressOf(v.Progress),
		ToDo: append([]string{}, v.ToDo...)}
	for i, q := range m.Questions {
		qv := apiQuestionView{ID: q.ID, Prompt: q.Prompt, Multiple: q.Multiple, Choices: []string{}}
		for j, c := range q.Choices {
			qv.Choices = append(qv.Choices, c.Text)
			if len(v.Results) > 0 && c.Correct {
				qv.Correct = append(qv.Correct, j)
			}
		}
		if i < len(v.Results) {
			right := v.Results[i].Right
			qv.Right, qv.ExplanationHTML = &right, v.Results[i].ExplanationHTML
		}
		out.Questions = append(out.Questions, qv)
	}
	for _, sc := range m.Scenarios {
		out.Scenarios = append(out.Scenarios, apiScenarioView{ID: sc.ID, Situation: sc.Situation, SituationHTML: render(sc.Situation), Reflections: sc.Reflections})
	}
	return out
}

type apiQuestionResult struct {
	ID              string `json:"id"`
	Right           bool   `json:"right"`
	ExplanationHTML string `json:"explanation_html"`
}

type apiCheckResult struct {
	Right    int                 `json:"right"`
	Total    int                 `json:"total"`
	Passed   bool                `json:"passed" doc:"These answers reach the pass mark."`
	Results  []apiQuestionResult `json:"results" nullable:"false" doc:"Per question, in order, with the explanation."`
	Progress apiProgress         `json:"progress"`
}

type apiSignOff struct {
	ID             string                  `json:"id"`
	CourseID       string                  `json:"course_id"`
	CourseTitle    string                  `json:"course_title"`
	AccountID      string                  `json:"account_id"`
	Name           string                  `json:"name" doc:"The trainee's name in the organisation."`
	Decision       kindred.SignOffDecision `json:"decision" enum:"requested,granted,declined,revoked"`
	Valid          bool                    `json:"valid" doc:"A grant in force now."`
	Note           string                  `json:"note" doc:"The coordinator's note (or, revoked, their reason)."`
	RequestedAt    time.Time               `json:"requested_at"`
	DecidedAt      *time.Time              `json:"decided_at"`
	ExpiresAt      *time.Time              `json:"expires_at" doc:"When a grant runs out; null: never."`
	YouthProgramme bool                    `json:"youth_programme" doc:"Cleared to support members aged 13–17."`
}

func apiSignOffOf(x *kindred.Certification, now time.Time) apiSignOff {
	return apiSignOff{ID: x.ID, CourseID: x.CourseID, CourseTitle: x.CourseTitle, AccountID: x.AccountID, Name: x.Name,
		Decision: x.Decision, Valid: x.Valid(now), Note: x.Note, RequestedAt: x.RequestedAt.UTC(), DecidedAt: x.DecidedAt,
		ExpiresAt: x.ExpiresAt, YouthProgramme: x.YouthProgramme}
}

type apiSignOffList struct {
	Requests []apiSignOff `json:"requests" nullable:"false" doc:"Waiting for review, oldest first."`
}

type apiTraineeReview struct {
	Name    string              `json:"name"`
	AgeBand kindred.AgeBand     `json:"age_band" doc:"Youth programme clearance applies only to adults."`
	Course  apiCourseProgress   `json:"course" doc:"Their progress, per module, with every reflection."`
	Modules []apiModuleAuthored `json:"modules" nullable:"false" doc:"The modules as authored, to read the answers against."`
	History []apiSignOff        `json:"history" nullable:"false" doc:"Their sign-offs on the course, newest first."`
}
