package web

import (
	"net/http"
	"net/url"

	"kindred"
	"kindred/internal/safety"
)

// The private safety plan (internal/safety): only its owner sees it.

// safetyStep is one step of the plan as the form and the printout show it.
type safetyStep struct {
	Name, Title, Hint, Example string
	Text                       string
}

// safetySteps lists the six steps in order, with the plan's text.
func safetySteps(p *kindred.SafetyPlan) []safetyStep {
	if p == nil {
		p = &kindred.SafetyPlan{}
	}
	return []safetyStep{
		{"warning_signs", "1. Warning signs that a hard time may be coming",
			"Thoughts, feelings, moods or situations that tell you things are getting harder.",
			"e.g. I stop replying to friends; I can't sleep; I feel numb", p.WarningSigns},
		{"coping", "2. Things I can do on my own to cope",
			"Small things that help you feel a little calmer or safer, without needing anyone else.",
			"e.g. listen to my comfort playlist; go for a walk; breathe in for 4, out for 6", p.Coping},
		{"distractions", "3. People and places that take my mind off things",
			"Somewhere to go or someone to be around, even without talking about how you feel.",
			"e.g. the library; the Saturday youth group; gaming with Sam", p.Distractions},
		{"people", "4. People I can ask for help",
			"People you trust enough to tell you're struggling. Add how to reach them if you like.",
			"e.g. my cousin Ana (text her); Ms Lee, the school counsellor", p.People},
		{"professionals", "5. Professionals and crisis lines I can contact",
			"Counsellors, doctors or helplines, with their numbers. The Get help now page lists some.",
			"e.g. an LGBTQ+ youth line and its number; my GP's surgery", p.Professionals},
		{"safe_surroundings", "6. Making my surroundings safer",
			"Ways to make where you are safer while things are hard. Go at your own pace.",
			"e.g. ask someone to keep my medication for now", p.SafeSurroundings},
	}
}

// planFromForm reads the six steps from a submitted form.
func planFromForm(r *http.Request) kindred.SafetyPlan {
	return kindred.SafetyPlan{WarningSigns: r.PostFormValue("warning_signs"), Coping: r.PostFormValue("coping"),
		Distractions: r.PostFormValue("distractions"), People: r.PostFormValue("people"),
		Professionals: r.PostFormValue("professionals"), SafeSurroundings: r.PostFormValue("safe_surroundings")}
}

type safetyPlanData struct {
	Steps      []safetyStep
	Plan       *kindred.SafetyPlan
	Max        int
	Supporters []safety.Supporter  // whom the plan may be shared with
	SharedName string              // who may read it now, if anyone
	SharedWith []safety.SharedPlan // plans others shared with this person
	OwnerName  string              // on a shared plan's page
}

func (s *Server) safetyPlanPage(w http.ResponseWriter, r *http.Request, status int, f *form, plan *kindred.SafetyPlan) {
	actor := actorOf(r)
	if plan == nil { // a failed save: the stored plan still says whom it is shared with
		var err error
		if plan, err = s.svc.Safety.Plan(r.Context(), actor); err != nil {
			s.fail(w, r, err, nil)
			return
		}
	}
	sups, err := s.svc.Safety.Supporters(r.Context(), actor)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	shared, err := s.svc.Safety.SharedWithMe(r.Context(), actor)
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	d := safetyPlanData{Steps: safetySteps(nil), Plan: plan, Max: kindred.MaxSafetyPlanField, Supporters: sups, SharedWith: shared}
	for _, sp := range sups {
		if sp.AccountID == plan.SharedWith {
			d.SharedName = sp.Name
		}
	}
	if f == nil {
		f = newForm(r, nil)
		f.Values = url.Values{}
		for _, st := range safetySteps(plan) {
			f.Values.Set(st.Name, st.Text)
		}
	}
	s.render(w, r, status, "safety_plan", &page{Title: "My safety plan", Form: f, Data: d})
}

func (s *Server) handleSafetyPlan(w http.ResponseWriter, r *http.Request) {
	plan, err := s.svc.Safety.Plan(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.safetyPlanPage(w, r, http.StatusOK, nil, plan)
}

func (s *Server) handleSafetyPlanSave(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	_, err := s.svc.Safety.SavePlan(r.Context(), actorOf(r), planFromForm(r))
	if s.formFailed(w, r, err, func(st int, f *form) { s.safetyPlanPage(w, r, st, f, nil) }) {
		return
	}
	s.flash(w, "Your safety plan is saved.")
	http.Redirect(w, r, "/safety-plan", http.StatusSeeOther)
}

func (s *Server) handleSafetyPlanPrint(w http.ResponseWriter, r *http.Request) {
	plan, err := s.svc.Safety.Plan(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	// A neutral title and no branding: a printout must not out anyone.
	s.render(w, r, http.StatusOK, "safety_plan_print", &page{Title: "My plan", Neutral: true,
		Data: safetyPlanData{Steps: safetySteps(plan), Plan: plan}})
}

func (s *Server) handleSafetyPlanShare(w http.ResponseWriter, r *http.Request) {
	if !s.parseForm(w, r) {
		return
	}
	p, err := s.svc.Safety.Share(r.Context(), actorOf(r), r.PostFormValue("supporter"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	if p.SharedWith == "" {
		s.flash(w, "Your safety plan is private to you again.")
	} else {
		s.flash(w, "Your supporter can now read your safety plan. You can stop sharing any time.")
	}
	http.Redirect(w, r, "/safety-plan", http.StatusSeeOther)
}

// handleSafetyPlanShared shows a plan someone shared with the actor,
// read-only; any other plan looks missing.
func (s *Server) handleSafetyPlanShared(w http.ResponseWriter, r *http.Request) {
	sp, err := s.svc.Safety.SharedPlanOf(r.Context(), actorOf(r), r.PathValue("account"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.render(w, r, http.StatusOK, "safety_plan_print", &page{Title: "A shared plan", Neutral: true,
		Data: safetyPlanData{Steps: safetySteps(sp.Plan), Plan: sp.Plan, OwnerName: sp.OwnerName}})
}
