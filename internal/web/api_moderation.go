package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
	"kindred/internal/moderation"
)

// registerModerationOps registers reports, the queue, decisions and
// appeals (shapes in api_moderation_types.go).
func (s *Server) registerModerationOps(api huma.API) {
	tags := []string{"Moderation"}
	org := "/organizations/{org}"
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "createReport", Method: http.MethodPost, Path: org + "/reports",
		Summary: "Report a post, message or person", Description: "Reports something the caller can see to the organisation's " +
			"moderators, with a reason from the list and an optional note. Reporting the same thing again updates the " +
			"caller's report rather than adding weight. The person reported is never told who reported them.",
		DefaultStatus: http.StatusCreated, Tags: tags}, s.apiCreateReport)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listMyReports", Method: http.MethodGet, Path: org + "/reports",
		Summary: "My reports and decisions about me", Description: "The caller's reports with what came of them, and the " +
			"moderators' decisions about the caller with their appeals. Nobody who acted or reported is named.", Tags: tags}, s.apiMyReports)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "appealDecision", Method: http.MethodPost, Path: org + "/decisions/{decision}/appeal",
		Summary: "Appeal a decision about you", Description: "Once per decision. A different staff member from the one who decided answers it.",
		Tags: tags}, s.apiAppeal)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listModerationQueue", Method: http.MethodGet, Path: org + "/moderation/cases",
		Summary: "The moderation queue", Description: "Moderators and admins: every case; coordinators: crisis flags. Crisis first, " +
			"then urgent reasons, then weight, then the oldest. Cases about the caller never appear.", Tags: tags}, s.apiQueue)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getModerationCase", Method: http.MethodGet, Path: org + "/moderation/cases/{case}",
		Summary: "A moderation case", Description: "Its reports (reasons, notes and weights; never reporters), decisions and content.", Tags: tags}, s.apiCase)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "resolveReport", Method: http.MethodPost, Path: org + "/moderation/cases/{case}/decisions",
		Summary: "Act on a case", Description: "hide, restore, warn, suspend (with days), ban, dismiss, or reached_out for crisis " +
			"flags, with a required reason the person affected reads. Resolves the case; audited.", DefaultStatus: http.StatusCreated, Tags: tags}, s.apiDecide)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "decideAppeal", Method: http.MethodPost, Path: org + "/moderation/appeals/{decision}",
		Summary: "Answer an appeal", Description: "upheld or overturned (which undoes the decision), with a reason. Someone other than " +
			"the staff member who decided answers, whenever the organisation has someone.", Tags: tags}, s.apiDecideAppeal)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getModerationSettings", Method: http.MethodGet, Path: org + "/moderation/settings",
		Summary: "Moderation settings", Description: "Admins.", Tags: tags}, s.apiModerationSettings)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "updateModerationSettings", Method: http.MethodPut, Path: org + "/moderation/settings",
		Summary: "Change moderation settings", Description: "Admins. Audited.", Tags: tags}, s.apiUpdateModerationSettings)
}

func (s *Server) apiCreateReport(ctx context.Context, in *apiReportInput) (*apiOut[apiReportReceipt], error) {
	b := in.Body
	ref := moderation.TargetRef{Kind: b.Kind, OrgSlug: in.Org, GroupSlug: b.Group, PostID: b.Post, RoomID: b.Room, Seq: b.Seq, AccountID: b.Account}
	rc, err := s.svc.Moderation.Report(ctx, kindred.ActorFrom(ctx), ref, kindred.ReportDraft{Reason: b.Reason, Note: b.Note})
	if err != nil {
		return nil, err
	}
	msg := "Thank you for telling us. A moderator will look at it."
	if rc.Updated {
		msg = "Thank you. Your earlier report was updated."
	}
	return apiBody(apiReportReceipt{ID: rc.Report.ID, Reason: rc.Report.Reason, Updated: rc.Updated, Message: msg}), nil
}

func (s *Server) apiMyReports(ctx context.Context, in *apiOrgPath) (*apiOut[apiMyReports], error) {
	m, err := s.svc.Moderation.Mine(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	return apiBody(apiMineOf(m)), nil
}

func (s *Server) apiAppeal(ctx context.Context, in *apiAppealInput) (*apiOut[apiDecisionAboutMe], error) {
	d, err := s.svc.Moderation.Appeal(ctx, kindred.ActorFrom(ctx), in.Org, in.Decision, kindred.AppealDraft{Note: in.Body.Note})
	if err != nil {
		return nil, err
	}
	return apiBody(apiDecisionAboutMeOf(d, false)), nil
}

func (s *Server) apiQueue(ctx context.Context, in *apiQueueInput) (*apiOut[apiQueue], error) {
	q, err := s.svc.Moderation.Queue(ctx, kindred.ActorFrom(ctx), in.Org, in.Status == "resolved")
	if err != nil {
		return nil, err
	}
	out := apiQueue{Cases: []apiCase{}, Appeals: []apiStaffDecision{}}
	for _, c := range q.Cases {
		out.Cases = append(out.Cases, apiCaseOf(c))
	}
	for _, d := range q.Appeals {
		out.Appeals = append(out.Appeals, apiStaffDecisionOf(d))
	}
	return apiBody(out), nil
}

func (s *Server) apiCase(ctx context.Context, in *apiCasePath) (*apiOut[apiCaseDetail], error) {
	v, err := s.svc.Moderation.Case(ctx, kindred.ActorFrom(ctx), in.Org, in.Case)
	if err != nil {
		return nil, err
	}
	out := apiCaseDetail{apiCase: apiCaseOf(v.Case), ReportList: []apiCaseReport{}, Decisions: []apiStaffDecision{}, Link: v.Link}
	out.Actions = v.Actions
	for _, r := range v.Reports {
		out.ReportList = append(out.ReportList, apiCaseReport{Reason: r.Reason, Note: r.Note, Weight: r.Weight, Newcomer: r.Newcomer, UpdatedAt: r.UpdatedAt})
	}
	for _, d := range v.Decisions {
		out.Decisions = append(out.Decisions, apiStaffDecisionOf(d))
	}
	switch {
	case v.Post != nil:
		out.BodyHTML = v.Post.BodyHTML
	case v.Message != nil:
		out.BodyHTML = v.Message.HTML
	}
	return apiBody(out), nil
}

func (s *Server) apiDecide(ctx context.Context, in *apiCaseDecisionInput) (*apiOut[apiStaffDecision], error) {
	d, err := s.svc.Moderation.Decide(ctx, kindred.ActorFrom(ctx), in.Org, in.Case,
		kindred.DecisionDraft{Action: in.Body.Action, Reason: in.Body.Reason, Days: in.Body.Days})
	if err != nil {
		return nil, err
	}
	return apiBody(apiStaffDecisionOf(d)), nil
}

func (s *Server) apiDecideAppeal(ctx context.Context, in *apiAppealDecisionInput) (*apiOut[apiStaffDecision], error) {
	d, err := s.svc.Moderation.DecideAppeal(ctx, kindred.ActorFrom(ctx), in.Org, in.Decision,
		kindred.AppealDecisionDraft{Outcome: in.Body.Outcome, Reason: in.Body.Reason})
	if err != nil {
		return nil, err
	}
	return apiBody(apiStaffDecisionOf(d)), nil
}

func (s *Server) apiModerationSettings(ctx context.Context, in *apiOrgPath) (*apiOut[apiModerationSettings], error) {
	_, set, err := s.svc.Moderation.Settings(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	return apiBody(apiModerationSettings{HideThreshold: set.HideThreshold, HoldCrisisPosts: set.HoldCrisisPosts}), nil
}

func (s *Server) apiUpdateModerationSettings(ctx context.Context, in *apiModerationSettingsInput) (*apiOut[apiModerationSettings], error) {
	set, err := s.svc.Moderation.SaveSettings(ctx, kindred.ActorFrom(ctx), in.Org,
		kindred.ModerationSettings{HideThreshold: in.Body.HideThreshold, HoldCrisisPosts: in.Body.HoldCrisisPosts})
	if err != nil {
		return nil, err
	}
	return apiBody(apiModerationSettings{HideThreshold: set.HideThreshold, HoldCrisisPosts: set.HoldCrisisPosts}), nil
}
