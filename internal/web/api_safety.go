package web

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
)

// apiSafetyPlan is a person's own safety plan: six steps in their own
// words, each plain text.
type apiSafetyPlan struct {
	WarningSigns     string     `json:"warning_signs" doc:"1. Warning signs that a crisis may be coming."`
	Coping           string     `json:"coping" doc:"2. Their own coping strategies."`
	Distractions     string     `json:"distractions" doc:"3. People and places that help take their mind off things."`
	People           string     `json:"people" doc:"4. People they can ask for help."`
	Professionals    string     `json:"professionals" doc:"5. Professionals and crisis lines they can contact."`
	SafeSurroundings string     `json:"safe_surroundings" doc:"6. Making their surroundings safer."`
	UpdatedAt        *time.Time `json:"updated_at" doc:"When the plan was last saved; null when it never was."`
}

// apiSafetyPlanInput replaces the whole plan; a step left out is cleared.
type apiSafetyPlanInput struct {
	Body struct {
		WarningSigns     string `json:"warning_signs,omitempty" maxLength:"4000" doc:"1. Warning signs that a crisis may be coming. Plain text."`
		Coping           string `json:"coping,omitempty" maxLength:"4000" doc:"2. Their own coping strategies. Plain text."`
		Distractions     string `json:"distractions,omitempty" maxLength:"4000" doc:"3. People and places that help take their mind off things. Plain text."`
		People           string `json:"people,omitempty" maxLength:"4000" doc:"4. People they can ask for help. Plain text."`
		Professionals    string `json:"professionals,omitempty" maxLength:"4000" doc:"5. Professionals and crisis lines they can contact. Plain text."`
		SafeSurroundings string `json:"safe_surroundings,omitempty" maxLength:"4000" doc:"6. Making their surroundings safer. Plain text."`
	}
}

func apiSafetyPlanOf(p *kindred.SafetyPlan) apiSafetyPlan {
	out := apiSafetyPlan{WarningSigns: p.WarningSigns, Coping: p.Coping, Distractions: p.Distractions, People: p.People,
		Professionals: p.Professionals, SafeSurroundings: p.SafeSurroundings}
	if !p.UpdatedAt.IsZero() {
		t := p.UpdatedAt
		out.UpdatedAt = &t
	}
	return out
}

func (s *Server) registerSafetyAPI(api huma.API) {
	tags := []string{"Safety"}
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getSafetyPlan", Method: http.MethodGet, Path: "/me/safety-plan",
		Summary: "Your safety plan", Description: "The signed-in person's own six-step safety plan. Nobody else can read it, " +
			"staff included. Every step is empty until the person saves a plan.", Tags: tags}, s.apiGetSafetyPlan)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "updateSafetyPlan", Method: http.MethodPut, Path: "/me/safety-plan",
		Summary: "Save your safety plan", Description: "Replaces the whole plan: a step left out or empty is cleared. " +
			"Each step is trimmed and may be up to 4,000 characters.", MaxBodyBytes: apiLargeBody, Tags: tags}, s.apiUpdateSafetyPlan)
}

func (s *Server) apiGetSafetyPlan(ctx context.Context, _ *struct{}) (*apiOut[apiSafetyPlan], error) {
	p, err := s.svc.Safety.Plan(ctx, kindred.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	return apiBody(apiSafetyPlanOf(p)), nil
}

func (s *Server) apiUpdateSafetyPlan(ctx context.Context, in *apiSafetyPlanInput) (*apiOut[apiSafetyPlan], error) {
	b := in.Body
	p, err := s.svc.Safety.SavePlan(ctx, kindred.ActorFrom(ctx), kindred.SafetyPlan{WarningSigns: b.WarningSigns, Coping: b.Coping,
		Distractions: b.Distractions, People: b.People, Professionals: b.Professionals, SafeSurroundings: b.SafeSurroundings})
	if err != nil {
		return nil, err
	}
	return apiBody(apiSafetyPlanOf(p)), nil
}
