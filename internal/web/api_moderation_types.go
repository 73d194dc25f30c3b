package web

import (
	"time"

	"kindred"
	"kindred/internal/moderation"
)

// The moderation API's shapes. Reporters are never named in any of them,
// and the staff member who acted never appears in what the person
// affected reads.

type apiReportInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body struct {
		Kind    kindred.TargetKind   `json:"kind" enum:"post,message,person" doc:"What is reported."`
		Group   string               `json:"group,omitempty" maxLength:"40" doc:"Posts: the group's slug."`
		Post    string               `json:"post,omitempty" maxLength:"64" doc:"Posts: the post's id (an opening post or a reply)."`
		Room    string               `json:"room,omitempty" maxLength:"64" doc:"Chat messages: the room's id."`
		Seq     int64                `json:"seq,omitempty" minimum:"0" doc:"Chat messages: the message's number in the room."`
		Account string               `json:"account,omitempty" maxLength:"64" doc:"People: the member's account id."`
		Reason  kindred.ReportReason `json:"reason" enum:"harassment,hate,outing,minor_safety,threats,self_harm,spam,impersonation,other" doc:"Why, from the list."`
		Note    string               `json:"note,omitempty" maxLength:"1000" doc:"Anything else moderators should know. Only they read it."`
	}
}

type apiReportReceipt struct {
	ID      string               `json:"id" doc:"The report's id."`
	Reason  kindred.ReportReason `json:"reason"`
	Updated bool                 `json:"updated" doc:"True when the person had reported this before: their report was updated, not added."`
	Message string               `json:"message" doc:"What to tell the person."`
}

type apiMyReport struct {
	ID        string               `json:"id"`
	Kind      kindred.TargetKind   `json:"kind"`
	Reason    kindred.ReportReason `json:"reason"`
	Note      string               `json:"note"`
	Open      bool                 `json:"open" doc:"A moderator has not decided yet."`
	Outcome   string               `json:"outcome" doc:"What came of it, in words; never who acted."`
	UpdatedAt time.Time            `json:"updated_at"`
}

// apiDecisionAboutMe is a decision as the person affected reads it: no
// staff member and no reporter is named.
type apiDecisionAboutMe struct {
	ID            string                `json:"id"`
	Kind          kindred.TargetKind    `json:"kind"`
	Action        kindred.ModAction     `json:"action"`
	Reason        string                `json:"reason" doc:"The moderator's reason."`
	Until         *time.Time            `json:"until" doc:"Suspensions: when it lifts by itself."`
	CreatedAt     time.Time             `json:"created_at"`
	CanAppeal     bool                  `json:"can_appeal"`
	AppealNote    string                `json:"appeal_note"`
	AppealedAt    *time.Time            `json:"appealed_at"`
	AppealOutcome kindred.AppealOutcome `json:"appeal_outcome" doc:"Empty while unanswered; upheld or overturned."`
	AppealReason  string                `json:"appeal_reason"`
}

type apiMyReports struct {
	Reports   []apiMyReport        `json:"reports"`
	Decisions []apiDecisionAboutMe `json:"decisions" doc:"Decisions about the person, with their appeals."`
}

func apiMineOf(m *moderation.Mine) apiMyReports {
	out := apiMyReports{Reports: []apiMyReport{}, Decisions: []apiDecisionAboutMe{}}
	for _, r := range m.Reports {
		out.Reports = append(out.Reports, apiMyReport{ID: r.Report.ID, Kind: r.Kind, Reason: r.Report.Reason, Note: r.Report.Note,
			Open: r.Open, Outcome: r.Outcome, UpdatedAt: r.Report.UpdatedAt})
	}
	for _, d := range m.Decisions {
		out.Decisions = append(out.Decisions, apiDecisionAboutMeOf(d.Decision, d.CanAppeal))
	}
	return out
}

func apiDecisionAboutMeOf(d *kindred.Decision, canAppeal bool) apiDecisionAboutMe {
	return apiDecisionAboutMe{ID: d.ID, Kind: d.Kind, Action: d.Action, Reason: d.Reason, Until: d.Until, CreatedAt: d.CreatedAt,
		CanAppeal: canAppeal, AppealNote: d.AppealNote, AppealedAt: d.AppealedAt, AppealOutcome: d.AppealOutcome, AppealReason: d.AppealReason}
}

type apiDecisionPath struct {
	Org      string `path:"org" doc:"The organisation's slug."`
	Decision string `path:"decision" doc:"The decision's id."`
}

type apiAppealInput struct {
	Org      string `path:"org" doc:"The organisation's slug."`
	Decision string `path:"decision" doc:"The decision's id."`
	Body     struct {
		Note string `json:"note" maxLength:"1000" doc:"Why the decision should change. One appeal per decision."`
	}
}

type apiQueueInput struct {
	Org    string `path:"org" doc:"The organisation's slug."`
	Status string `query:"status" enum:"open,resolved" default:"open" doc:"Open cases (default) or decided ones."`
}

// apiCase is a case as staff see it.
type apiCase struct {
	ID         string              `json:"id"`
	Kind       kindred.TargetKind  `json:"kind"`
	TargetID   string              `json:"target_id" doc:"A post id, \"<room>:<seq>\" for a chat message, an account id, or a support request id."`
	Crisis     bool                `json:"crisis"`
	Urgent     bool                `json:"urgent"`
	Weight     float64             `json:"weight"`
	Reports    int                 `json:"reports"`
	Hidden     bool                `json:"hidden" doc:"Hidden pending review: the weight passed the threshold."`
	Status     kindred.CaseStatus  `json:"status"`
	Outcome    kindred.ModAction   `json:"outcome"`
	CreatedAt  time.Time           `json:"created_at"`
	ResolvedAt *time.Time          `json:"resolved_at"`
	Actions    []kindred.ModAction `json:"actions,omitempty" doc:"What the caller may do about it (getModerationCase)."`
}

func apiCaseOf(c *kindred.ModerationCase) apiCase {
	return apiCase{ID: c.ID, Kind: c.Kind, TargetID: c.TargetID, Crisis: c.Crisis, Urgent: c.Urgent, Weight: c.Weight,
		Reports: c.Reports, Hidden: c.Hidden, Status: c.Status, Outcome: c.Outcome, CreatedAt: c.CreatedAt, ResolvedAt: c.ResolvedAt}
}

type apiStaffDecision struct {
	ID            string                `json:"id"`
	CaseID        string                `json:"case_id"`
	Action        kindred.ModAction     `json:"action"`
	Reason        string                `json:"reason"`
	Until         *time.Time            `json:"until"`
	CreatedAt     time.Time             `json:"created_at"`
	AppealNote    string                `json:"appeal_note"`
	AppealedAt    *time.Time            `json:"appealed_at"`
	AppealOutcome kindred.AppealOutcome `json:"appeal_outcome"`
	AppealReason  string                `json:"appeal_reason"`
}

func apiStaffDecisionOf(d *kindred.Decision) apiStaffDecision {
	return apiStaffDecision{ID: d.ID, CaseID: d.CaseID, Action: d.Action, Reason: d.Reason, Until: d.Until, CreatedAt: d.CreatedAt,
		AppealNote: d.AppealNote, AppealedAt: d.AppealedAt, AppealOutcome: d.AppealOutcome, AppealReason: d.AppealReason}
}

type apiQueue struct {
	Cases   []apiCase          `json:"cases"`
	Appeals []apiStaffDecision `json:"appeals" doc:"Open appeals the caller may answer."`
}

type apiCasePath struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Case string `path:"case" doc:"The case's id."`
}

type apiCaseReport struct {
	Reason    kindred.ReportReason `json:"reason"`
	Note      string               `json:"note"`
	Weight    float64              `json:"weight"`
	Newcomer  bool                 `json:"newcomer"`
	UpdatedAt time.Time            `json:"updated_at"`
}

type apiCaseDetail struct {
	apiCase
	ReportList []apiCaseReport    `json:"report_list" doc:"The reports, without their reporters."`
	Decisions  []apiStaffDecision `json:"decisions"`
	Link       string             `json:"link,omitempty" doc:"Where the content lives, to reach out."`
	BodyHTML   string             `json:"body_html,omitempty" doc:"The post or message, sanitized."`
}

type apiCaseDecisionInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Case string `path:"case" doc:"The case's id."`
	Body struct {
		Action kindred.ModAction `json:"action" enum:"hide,restore,warn,suspend,ban,dismiss,reached_out"`
		Reason string            `json:"reason" maxLength:"500" doc:"Required; the person affected reads it."`
		Days   int               `json:"days,omitempty" minimum:"0" maximum:"365" doc:"Suspensions: how many days."`
	}
}

type apiAppealDecisionInput struct {
	Org      string `path:"org" doc:"The organisation's slug."`
	Decision string `path:"decision" doc:"The decision's id."`
	Body     struct {
		Outcome kindred.AppealOutcome `json:"outcome" enum:"upheld,overturned"`
		Reason  string                `json:"reason" maxLength:"500" doc:"The person who appealed reads it."`
	}
}

type apiModerationSettings struct {
	HideThreshold   float64 `json:"hide_threshold" doc:"The case weight at which a post or message is hidden pending review (1 to 20)."`
	HoldCrisisPosts bool    `json:"hold_crisis_posts" doc:"Hold posts with crisis language until a moderator looks."`
}

type apiModerationSettingsInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body apiModerationSettings
}
