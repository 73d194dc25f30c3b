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

// Organisations' crisis help, discreet mode and safety-plan sharing.

func (s *Server) registerOrgSafetyOps(api huma.API) {
	tags := []string{"Safety"}
	org := "/organizations/{org}"
	apiRegister(s, api, apiPublic, huma.Operation{OperationID: "listInstanceCrisisResources", Method: http.MethodGet, Path: "/crisis-resources",
		Summary: "The instance's crisis lines", Description: "The default crisis lines of this Kindred, shown outside organisations " +
			"and in organisations without their own. Served from memory: it answers even when the database does not.", Tags: tags}, s.apiListInstanceCrisisResources)
	apiRegister(s, api, apiOptional, huma.Operation{OperationID: "listCrisisResources", Method: http.MethodGet, Path: org + "/crisis-resources",
		Summary: "An organisation's crisis lines", Description: "What \"Get help now\" shows in the organisation: its own lines, " +
			"and the instance's defaults when it has none or chose to show them too. For anyone who can see the organisation.", Tags: tags}, s.apiListCrisisResources)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "updateCrisisResources", Method: http.MethodPut, Path: org + "/crisis-resources",
		Summary: "Replace an organisation's crisis lines", Description: "Admins only. Replaces the organisation's own list " +
			"(add, edit, remove and reorder by sending the whole list) and whether the defaults show too. Chat links must be https.",
		MaxBodyBytes: apiLargeBody, Tags: tags}, s.apiUpdateCrisisResources)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getOrgSafety", Method: http.MethodGet, Path: org + "/safety",
		Summary: "An organisation's crisis help settings", Description: "Admins only: its own crisis lines, the neutral site quick exit " +
			"leads to, discreet mode by default and the transparency contact.", Tags: tags}, s.apiGetOrgSafety)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "updateOrgSafety", Method: http.MethodPatch, Path: org + "/safety",
		Summary: "Change an organisation's crisis help settings", Description: "Admins only. Fields left out stay as they are. " +
			"The quick exit URL must be an absolute https URL.", Tags: tags}, s.apiUpdateOrgSafety)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getCrisisPhrases", Method: http.MethodGet, Path: org + "/crisis-phrases",
		Summary: "An organisation's crisis phrase lists", Description: "Admins only. The lists the crisis detector uses in the organisation, " +
			"per language: its edits, or the starter lists.", Tags: tags}, s.apiGetCrisisPhrases)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "updateCrisisPhrases", Method: http.MethodPut, Path: org + "/crisis-phrases/{locale}",
		Summary: "Replace a crisis phrase list", Description: "Admins only. Replaces the organisation's list for one language, starter " +
			"phrases included; in use at once. A list cannot be empty: reset it instead.", MaxBodyBytes: apiLargeBody, Tags: tags}, s.apiUpdateCrisisPhrases)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "resetCrisisPhrases", Method: http.MethodDelete, Path: org + "/crisis-phrases/{locale}",
		Summary: "Go back to the starter phrase list", Description: "Admins only. Drops the organisation's edits for one language.", Tags: tags}, s.apiResetCrisisPhrases)
	apiRegister(s, api, apiOptional, huma.Operation{OperationID: "getTransparency", Method: http.MethodGet, Path: org + "/transparency",
		Summary: "An organisation's transparency facts", Description: "Who to contact, how long chat is kept, and a link to the page " +
			"saying what staff can and cannot see. For anyone who can see the organisation.", Tags: tags}, s.apiGetTransparency)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getDiscreetMode", Method: http.MethodGet, Path: "/me/discreet-mode",
		Summary: "Your discreet mode", Description: "Discreet mode gives every page a neutral tab title and icon, and keeps emails " +
			"from saying what Kindred is about.", Tags: tags}, s.apiGetDiscreetMode)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "updateDiscreetMode", Method: http.MethodPut, Path: "/me/discreet-mode",
		Summary: "Choose discreet mode", Tags: tags}, s.apiUpdateDiscreetMode)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getSafetyPlanSharing", Method: http.MethodGet, Path: "/me/safety-plan/sharing",
		Summary: "Who may read your safety plan", Description: "The supporter your plan is shared with, if any, and the peer supporters " +
			"you were matched with, who it may be shared with.", Tags: tags}, s.apiGetSafetyPlanSharing)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "shareSafetyPlan", Method: http.MethodPut, Path: "/me/safety-plan/sharing",
		Summary: "Share your safety plan", Description: "Lets one peer supporter you were matched with read your plan, in place of " +
			"whoever could before; an empty supporter_id makes it private again.", Tags: tags}, s.apiShareSafetyPlan)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listSharedSafetyPlans", Method: http.MethodGet, Path: "/me/shared-safety-plans",
		Summary: "Safety plans shared with you", Description: "The plans people you supported chose to share with you, read-only.", Tags: tags}, s.apiListSharedSafetyPlans)
}

func (s *Server) apiListInstanceCrisisResources(ctx context.Context, _ *struct{}) (*apiOut[apiCrisisResourceList], error) {
	return apiBody(apiCrisisResourceList{Resources: apiCrisisResources(s.svc.Safety.CrisisResources(ctx, ""))}), nil
}

func (s *Server) apiListCrisisResources(ctx context.Context, in *apiOrgSlugInput) (*apiOut[apiCrisisResourceList], error) {
	p, err := s.svc.Orgs.Get(ctx, kindred.ActorFrom(ctx), in.Org)
	var org *kindred.Organization
	switch {
	case err == nil:
		org = p.Org
		s.svc.Safety.RememberOrg(ctx, org)
	case kindred.ErrorCode(err) != kindred.ENOTFOUND:
		// The database may be down: a listed organisation seen before
		// still answers from memory.
		if org = s.svc.Safety.RememberedOrg(in.Org); org == nil {
			return nil, err
		}
	default:
		return nil, err
	}
	return apiBody(apiCrisisResourceList{Resources: apiCrisisResources(s.svc.Safety.CrisisResources(ctx, org.ID))}), nil
}

func (s *Server) apiUpdateCrisisResources(ctx context.Context, in *apiUpdateCrisisResourcesInput) (*apiOut[apiOrgSafety], error) {
	list := make([]kindred.CrisisResource, 0, len(in.Body.Resources))
	for _, r := range in.Body.Resources {
		list = append(list, r.resource())
	}
	v, err := s.svc.Safety.ReplaceCrisisResources(ctx, kindred.ActorFrom(ctx), in.Org, list, in.Body.ShowDefaults)
	if err != nil {
		return nil, err
	}
	return apiBody(apiOrgSafetyOf(v)), nil
}

func (s *Server) apiGetOrgSafety(ctx context.Context, in *apiOrgSlugInput) (*apiOut[apiOrgSafety], error) {
	v, err := s.svc.Safety.OrgSafety(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	return apiBody(apiOrgSafetyOf(v)), nil
}

func (s *Server) apiUpdateOrgSafety(ctx context.Context, in *apiUpdateOrgSafetyInput) (*apiOut[apiOrgSafety], error) {
	actor := kindred.ActorFrom(ctx)
	cur, err := s.svc.Safety.OrgSafety(ctx, actor, in.Org)
	if err != nil {
		return nil, err
	}
	set := cur.Settings
	u := kindred.OrgSafetySettings{QuickExitURL: set.QuickExitURL, DiscreetDefault: set.DiscreetDefault, Contact: set.Contact, ShowDefaults: set.ShowDefaults}
	b := in.Body
	if b.QuickExitURL != nil {
		u.QuickExitURL = *b.QuickExitURL
	}
	if b.DiscreetDefault != nil {
		u.DiscreetDefault = *b.DiscreetDefault
	}
	if b.Contact != nil {
		u.Contact = *b.Contact
	}
	if b.ShowDefaults != nil {
		u.ShowDefaults = *b.ShowDefaults
	}
	v, err := s.svc.Safety.UpdateOrgSafetySettings(ctx, actor, in.Org, u)
	if err != nil {
		return nil, err
	}
	return apiBody(apiOrgSafetyOf(v)), nil
}

func (s *Server) apiGetCrisisPhrases(ctx context.Context, in *apiOrgSlugInput) (*apiOut[apiPhraseLists], error) {
	v, err := s.svc.Safety.OrgSafety(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	return apiBody(apiPhraseListsOf(v)), nil
}

func (s *Server) apiUpdateCrisisPhrases(ctx context.Context, in *apiUpdatePhrasesInput) (*apiOut[apiPhraseLists], error) {
	v, err := s.svc.Safety.SaveCrisisPhrases(ctx, kindred.ActorFrom(ctx), in.Org, in.Locale, in.Body.Phrases)
	if err != nil {
		return nil, err
	}
	return apiBody(apiPhraseListsOf(v)), nil
}

func (s *Server) apiResetCrisisPhrases(ctx context.Context, in *apiLocaleInput) (*apiOut[apiPhraseLists], error) {
	v, err := s.svc.Safety.ResetCrisisPhrases(ctx, kindred.ActorFrom(ctx), in.Org, in.Locale)
	if err != nil {
		return nil, err
	}
	return apiBody(apiPhraseListsOf(v)), nil
}

func (s *Server) apiGetTransparency(ctx context.Context, in *apiOrgSlugInput) (*apiOut[apiTransparency], error) {
	t, err := s.svc.Safety.Transparency(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	return apiBody(apiTransparency{Organization: t.Org.Slug, Contact: t.Contact, ChatRetentionDays: t.ChatRetentionDays,
		AuditLog: true, Page: "/o/" + t.Org.Slug + "/transparency"}), nil
}

func apiDiscreetModeName(m kindred.DiscreetMode) string {
	if m == kindred.DiscreetFollow {
		return "follow"
	}
	return string(m)
}

func (s *Server) discreetModeOut(ctx context.Context, actor *kindred.Actor) (*apiOut[apiDiscreetMode], error) {
	orgs, err := s.svc.Safety.DiscreetOrgs(ctx, actor)
	if err != nil {
		return nil, err
	}
	out := apiDiscreetMode{Mode: apiDiscreetModeName(actor.Account.Discreet), DefaultOrganizations: []string{}}
	for _, o := range orgs {
		out.DefaultOrganizations = append(out.DefaultOrganizations, o.Slug)
	}
	return apiBody(out), nil
}

func (s *Server) apiGetDiscreetMode(ctx context.Context, _ *struct{}) (*apiOut[apiDiscreetMode], error) {
	return s.discreetModeOut(ctx, kindred.ActorFrom(ctx))
}

func (s *Server) apiUpdateDiscreetMode(ctx context.Context, in *apiDiscreetModeInput) (*apiOut[apiDiscreetMode], error) {
	m := kindred.DiscreetMode(in.Body.Mode)
	if in.Body.Mode == "follow" {
		m = kindred.DiscreetFollow
	}
	actor := kindred.ActorFrom(ctx)
	a, err := s.svc.Safety.SetDiscreet(ctx, actor, m)
	if err != nil {
		return nil, err
	}
	return s.discreetModeOut(ctx, &kindred.Actor{Account: a})
}

func (s *Server) safetyPlanSharingOut(ctx context.Context, actor *kindred.Actor, sharedWith string) (*apiOut[apiSafetyPlanSharing], error) {
	sups, err := s.svc.Safety.Supporters(ctx, actor)
	if err != nil {
		return nil, err
	}
	out := apiSafetyPlanSharing{Supporters: []apiSupporter{}}
	for _, sp := range sups {
		a := apiSupporter{ID: sp.AccountID, Name: sp.Name}
		out.Supporters = append(out.Supporters, a)
		if sp.AccountID == sharedWith {
			out.SharedWith = &a
		}
	}
	return apiBody(out), nil
}

func (s *Server) apiGetSafetyPlanSharing(ctx context.Context, _ *struct{}) (*apiOut[apiSafetyPlanSharing], error) {
	actor := kindred.ActorFrom(ctx)
	p, err := s.svc.Safety.Plan(ctx, actor)
	if err != nil {
		return nil, err
	}
	return s.safetyPlanSharingOut(ctx, actor, p.SharedWith)
}

func (s *Server) apiShareSafetyPlan(ctx context.Context, in *apiShareSafetyPlanInput) (*apiOut[apiSafetyPlanSharing], error) {
	actor := kindred.ActorFrom(ctx)
	p, err := s.svc.Safety.Share(ctx, actor, in.Body.SupporterID)
	if err != nil {
		return nil, err
	}
	return s.safetyPlanSharingOut(ctx, actor, p.SharedWith)
}

func (s *Server) apiListSharedSafetyPlans(ctx context.Context, _ *struct{}) (*apiOut[apiSharedSafetyPlans], error) {
	plans, err := s.svc.Safety.SharedWithMe(ctx, kindred.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	out := apiSharedSafetyPlans{Plans: []apiSharedSafetyPlan{}}
	for _, sp := range plans {
		out.Plans = append(out.Plans, apiSharedSafetyPlan{OwnerID: sp.Plan.AccountID, OwnerName: sp.OwnerName, Plan: apiSafetyPlanOf(sp.Plan)})
	}
	return apiBody(out), nil
}
