package web

// The 1:1 support API: members ask for support and follow their request;
// peer supporters keep their profile and shifts and answer offers; either
// side of a match ends it, escalates it, and writes feedback or a debrief;
// coordinators supervise. Every rule is the support service's; handlers
// parse, call one method and convert.

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
)

type apiSupportRequestPath struct {
	Org     string `path:"org" doc:"The organisation's slug."`
	Request string `path:"request" doc:"The request's id."`
}

type apiSupportOfferPath struct {
	Org   string `path:"org" doc:"The organisation's slug."`
	Offer string `path:"offer" doc:"The offer's id."`
}

type apiSupportMatchPath struct {
	Org   string `path:"org" doc:"The organisation's slug."`
	Match string `path:"match" doc:"The match's id."`
}

type apiSupportRequestInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body struct {
		Topics      []string           `json:"topics" minItems:"1" maxItems:"5" doc:"What you would like to talk about: keys from choices.topics (getSupportHome), up to five."`
		Details     string             `json:"details,omitempty" maxLength:"2000" doc:"Anything you would like your supporter to know first. Read by the supporters it is offered to and by coordinators."`
		Language    string             `json:"language,omitempty" maxLength:"8" doc:"A language code from choices.languages; left out for no preference. Only supporters who speak it are matched."`
		Identities  []kindred.Identity `json:"identities,omitempty" enum:"trans,nonbinary,person_of_colour,bi_pan,ace_aro,disabled,neurodivergent,person_of_faith,immigrant" doc:"I'd like my supporter to be…: preferred, not required. Left out: no preference."`
		NotMySchool bool               `json:"not_my_school,omitempty" doc:"Never match me with someone from my school."`
		Urgency     kindred.Urgency    `json:"urgency,omitempty" enum:"now,today,whenever" doc:"Default: whenever."`
	}
}

type apiSupporterProfileInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body struct {
		Intro        string             `json:"intro,omitempty" maxLength:"500" doc:"A short hello the member sees once matched. Plain text."`
		Experiences  []string           `json:"experiences" minItems:"1" maxItems:"60" doc:"Taxonomy keys of experiences you share (choices.topics)."`
		Languages    []string           `json:"languages" minItems:"1" maxItems:"22" doc:"Codes of the languages you can support people in."`
		Identities   []kindred.Identity `json:"identities,omitempty" enum:"trans,nonbinary,person_of_colour,bi_pan,ace_aro,disabled,neurodivergent,person_of_faith,immigrant" doc:"Optional. Used only for matching; coordinators can see them."`
		Availability []apiSupportSlot   `json:"availability,omitempty" maxItems:"28" doc:"When you are usually available each week."`
		TimeZone     string             `json:"time_zone,omitempty" maxLength:"64" example:"Europe/London" doc:"The IANA time zone of availability. Default: UTC."`
		Capacity     int                `json:"capacity" minimum:"1" maximum:"10" doc:"Conversations at once, up to the organisation's max_capacity."`
	}
}

type apiSupportFeedbackInput struct {
	Org   string `path:"org" doc:"The organisation's slug."`
	Match string `path:"match" doc:"The match's id."`
	Body  struct {
		Helped  kindred.Helped `json:"helped" enum:"yes,somewhat,no" doc:"Did this help?"`
		Comment string         `json:"comment,omitempty" maxLength:"1000" doc:"Anything you would like to add. Private: only coordinators read it, never your supporter."`
	}
}

type apiSupportDebriefInput struct {
	Org   string `path:"org" doc:"The organisation's slug."`
	Match string `path:"match" doc:"The match's id."`
	Body  struct {
		Body    string `json:"body" maxLength:"2000" doc:"A short note on the conversation, for coordinators."`
		CheckIn bool   `json:"check_in,omitempty" doc:"I'd like a coordinator to check in with me."`
	}
}

type apiSupportEscalateInput struct {
	Org   string `path:"org" doc:"The organisation's slug."`
	Match string `path:"match" doc:"The match's id."`
	Body  struct {
		Reason string `json:"reason" maxLength:"1000" doc:"What is happening, for a coordinator."`
		Urgent bool   `json:"urgent,omitempty" doc:"Someone may be at risk now."`
	}
}

type apiSupportHandoffInput struct {
	Org   string `path:"org" doc:"The organisation's slug."`
	Match string `path:"match" doc:"The match's id."`
	Body  struct {
		Note string `json:"note,omitempty" maxLength:"500" doc:"Why, in words for the member."`
	}
}

type apiSupportHandoffAnswerInput struct {
	Org   string `path:"org" doc:"The organisation's slug."`
	Match string `path:"match" doc:"The match's id."`
	Body  struct {
		Consent bool `json:"consent" doc:"true: another supporter may take over (the request goes back to the queue in its place); false: stay with this supporter."`
	}
}

type apiSupportResolveInput struct {
	Org        string `path:"org" doc:"The organisation's slug."`
	Escalation string `path:"escalation" doc:"The escalation's id."`
	Body       struct {
		Note string `json:"note" maxLength:"1000" doc:"What was done, for the record."`
	}
}

type apiSupportSettingsInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body struct {
		MaxCapacity         int                    `json:"max_capacity" minimum:"1" maximum:"10" doc:"The most conversations a supporter may have open at once."`
		MaxShiftMinutes     int                    `json:"max_shift_minutes" minimum:"30" maximum:"720" doc:"A shift ends automatically after this long."`
		WeeklyHours         int                    `json:"weekly_hours" minimum:"1" maximum:"40" doc:"Nobody can go on shift beyond this many hours a week."`
		OfferTimeoutMinutes int                    `json:"offer_timeout_minutes" minimum:"1" maximum:"60" doc:"How long a supporter has to answer an offer before it moves on."`
		OffersAtOnce        int                    `json:"offers_at_once" minimum:"1" maximum:"10" doc:"How many supporters are offered a request at once."`
		Taxonomy            []apiSupportExperience `json:"taxonomy" minItems:"1" maxItems:"60" doc:"The whole list of experiences, in order."`
	}
}

// apiSupportDone is the answer of an action with nothing else to say.
type apiSupportDone struct {
	OK bool `json:"ok" doc:"Always true."`
}

func apiSupportOK() *apiOut[apiSupportDone] { return apiBody(apiSupportDone{OK: true}) }

func (s *Server) registerSupportAPI(api huma.API) {
	tags := []string{"Support"}
	supervision := []string{"Supervision"}
	const base = "/organizations/{org}/support"
	const req = base + "/requests/{request}"
	const offer = base + "/offers/{offer}"
	const match = base + "/matches/{match}"
	conflict := []int{http.StatusConflict}
	reg := func(op huma.Operation) huma.Operation {
		if op.Tags == nil {
			op.Tags = tags
		}
		return op
	}

	// Members.
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "getSupportHome", Method: http.MethodGet, Path: base,
		Summary: "Your 1:1 support", Description: "For active members: your requests for support (open ones first), what a request " +
			"can ask for, and how many supporters are on shift now."}), s.apiGetSupportHome)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "requestSupport", Method: http.MethodPost, Path: base + "/requests",
		Summary: "Ask for 1:1 support", Description: "Files a request and offers it at once to the best-matched peer supporters on shift. " +
			"Peer supporters are trained members, not therapists. When the request reads as a crisis, the answer carries crisis " +
			"lines (resources) to show now, and the request goes first in the queue.",
		DefaultStatus: http.StatusCreated, Errors: []int{http.StatusConflict, http.StatusTooManyRequests}}), s.apiRequestSupport)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "getSupportRequest", Method: http.MethodGet, Path: req,
		Summary: "One request for support", Description: "For its member, its matched supporter and coordinators; anyone else gets 404, " +
			"as for a request that does not exist. While waiting: the place in the queue and an honest estimate (estimate_seconds " +
			"is null when there is none)."}), s.apiGetSupportRequest)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "cancelSupportRequest", Method: http.MethodPost, Path: req + "/cancel",
		Summary: "Withdraw a request", Description: "Its member only, at any time: open offers are withdrawn and a conversation ends.",
		Errors: conflict}), s.apiCancelSupportRequest)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "declineSupportMatch", Method: http.MethodPost, Path: req + "/decline-match",
		Summary: "Ask for someone else", Description: "Its member only: the match ends and the request goes back to the queue; it is " +
			"never offered to that supporter again. Nobody is ever forced into a match.", Errors: conflict}), s.apiDeclineSupportMatch)

	// Peer supporters.
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "listSupportOffers", Method: http.MethodGet, Path: base + "/inbox",
		Summary: "Your supporter inbox", Description: "For peer supporters: your shift, the offers waiting for your answer (without " +
			"anything that identifies the member), your open conversations and those waiting for a debrief."}), s.apiListSupportOffers)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "acceptSupportOffer", Method: http.MethodPost, Path: offer + "/accept",
		Summary: "Accept an offer", Description: "The first supporter to accept a request gets it, and opens the conversation; anyone " +
			"else accepting it answers 409 with a kind message. Answers the match, with its room.", Errors: conflict}), s.apiAcceptSupportOffer)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "declineSupportOffer", Method: http.MethodPost, Path: offer + "/decline",
		Summary: "Pass on an offer", Description: "No reason needed: the request moves on to the next best supporter.", Errors: conflict}), s.apiDeclineSupportOffer)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "getSupporterProfile", Method: http.MethodGet, Path: base + "/profile",
		Summary: "Your supporter profile", Description: "For peer supporters: how you offer support, with the choices the profile accepts."}), s.apiGetSupporterProfile)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "updateSupporterProfile", Method: http.MethodPut, Path: base + "/profile",
		Summary: "Save your supporter profile", Description: "Replaces your profile. The youth programme is set by your coordinator's sign-off, not here."}), s.apiUpdateSupporterProfile)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "startSupportShift", Method: http.MethodPost, Path: base + "/shift/start",
		Summary: "Go on shift", Description: "Within the organisation's weekly limit; offers that fit you start coming. The shift ends by " +
			"itself at the organisation's maximum length.", Errors: conflict}), s.apiStartSupportShift)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "endSupportShift", Method: http.MethodPost, Path: base + "/shift/end",
		Summary: "Go off shift", Description: "Your open offers move on to others; your open conversations stay open."}), s.apiEndSupportShift)

	// The conversation.
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "endSupportConversation", Method: http.MethodPost, Path: match + "/end",
		Summary: "End a support conversation", Description: "Either its member or its supporter; the room closes and stays readable.",
		Errors: conflict}), s.apiEndSupportConversation)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "submitSupportFeedback", Method: http.MethodPost, Path: match + "/feedback",
		Summary: "Say whether it helped", Description: "The member, once the conversation has ended. Private: coordinators read it; the " +
			"supporter never sees it.", Errors: conflict}), s.apiSubmitSupportFeedback)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "writeSupportDebrief", Method: http.MethodPost, Path: match + "/debrief",
		Summary: "Write a debrief", Description: "The supporter, once the conversation has ended: a short note for coordinators, and " +
			"whether you would like one to check in with you.", Errors: conflict}), s.apiWriteSupportDebrief)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "escalateSupport", Method: http.MethodPost, Path: match + "/escalations",
		Summary: "Ask a coordinator to step in", Description: "The member or the supporter of the match.", DefaultStatus: http.StatusCreated,
		Errors: conflict}), s.apiEscalateSupport)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "proposeSupportHandoff", Method: http.MethodPost, Path: match + "/handoff",
		Summary: "Suggest another supporter takes over", Description: "The supporter; nothing changes until the member agrees " +
			"(answerSupportHandoff).", Errors: conflict}), s.apiProposeSupportHandoff)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "answerSupportHandoff", Method: http.MethodPost, Path: match + "/handoff/answer",
		Summary: "Answer a hand-off", Description: "The member: with consent the match ends as handed off and the request goes back to " +
			"the queue in its original place, never to the same supporter.", Errors: conflict}), s.apiAnswerSupportHandoff)

	// Coordinators.
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "getSupportDashboard", Method: http.MethodGet, Path: base + "/dashboard",
		Summary: "Supervision dashboard", Description: "For coordinators and admins: the live queue, wait times, each supporter's load " +
			"and shift hours, feedback, debriefs, escalations and recent matches with their reasons.", Tags: supervision}), s.apiGetSupportDashboard)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "resolveSupportEscalation", Method: http.MethodPost,
		Path: base + "/escalations/{escalation}/resolve", Summary: "Close an escalation", Description: "For coordinators, with a note on what was done.",
		Tags: supervision, Errors: conflict}), s.apiResolveSupportEscalation)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "endSupporterShift", Method: http.MethodPost,
		Path: base + "/supporters/{account}/end-shift", Summary: "Take a supporter off shift", Description: "For coordinators, e.g. when " +
			"a supporter seems overwhelmed: their open offers move on; their conversations stay open.", Tags: supervision}), s.apiEndSupporterShift)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "getSupportSettings", Method: http.MethodGet, Path: base + "/settings",
		Summary: "Support programme settings", Description: "For coordinators and admins: the limits that protect supporters, how offers " +
			"go out, and the taxonomy of experiences.", Tags: supervision}), s.apiGetSupportSettings)
	apiRegister(s, api, apiSignedIn, reg(huma.Operation{OperationID: "updateSupportSettings", Method: http.MethodPut, Path: base + "/settings",
		Summary: "Change the support programme's settings", Description: "For coordinators and admins. Keep an experience's key to keep " +
			"the requests and profiles that use it.", Tags: supervision}), s.apiUpdateSupportSettings)
}

func (s *Server) apiGetSupportHome(ctx context.Context, in *apiOrgPath) (*apiOut[apiSupportHome], error) {
	h, err := s.svc.Support.Home(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	out := apiSupportHome{Supporter: h.Supporter, Coordinator: h.Coordinator, OnShiftNow: h.OnShiftNow,
		Requests: []apiSupportRequest{}, Choices: apiSupportChoicesOf(h.Choices)}
	for _, v := range h.Requests {
		out.Requests = append(out.Requests, apiSupportRequestOf(v))
	}
	return apiBody(out), nil
}

func (s *Server) apiRequestSupport(ctx context.Context, in *apiSupportRequestInput) (*apiOut[apiSupportRequest], error) {
	b := in.Body
	v, err := s.svc.Support.RequestSupport(ctx, kindred.ActorFrom(ctx), in.Org, kindred.SupportRequestDraft{Topics: b.Topics,
		Details: b.Details, Language: b.Language, Identities: b.Identities, NotMySchool: b.NotMySchool, Urgency: b.Urgency})
	if err != nil {
		return nil, err
	}
	return apiBody(apiSupportRequestOf(v)), nil
}

func (s *Server) apiGetSupportRequest(ctx context.Context, in *apiSupportRequestPath) (*apiOut[apiSupportRequest], error) {
	v, err := s.svc.Support.Request(ctx, kindred.ActorFrom(ctx), in.Org, in.Request)
	if err != nil {
		return nil, err
	}
	return apiBody(apiSupportRequestOf(v)), nil
}

func (s *Server) apiCancelSupportRequest(ctx context.Context, in *apiSupportRequestPath) (*apiOut[apiSupportDone], error) {
	if err := s.svc.Support.CancelRequest(ctx, kindred.ActorFrom(ctx), in.Org, in.Request); err != nil {
		return nil, err
	}
	return apiSupportOK(), nil
}

func (s *Server) apiDeclineSupportMatch(ctx context.Context, in *apiSupportRequestPath) (*apiOut[apiSupportDone], error) {
	if err := s.svc.Support.DeclineMatch(ctx, kindred.ActorFrom(ctx), in.Org, in.Request); err != nil {
		return nil, err
	}
	return apiSupportOK(), nil
}

func (s *Server) apiListSupportOffers(ctx context.Context, in *apiOrgPath) (*apiOut[apiSupportInbox], error) {
	ib, err := s.svc.Support.Inbox(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	out := apiSupportInbox{Certification: apiSupportCertificationOf(ib.Certification), Profile: apiSupporterProfileOf(ib.Profile),
		WeekShiftMinutes: int(ib.WeekShift / time.Minute), ShiftEndsAt: utcPtr(ib.ShiftEndsAt), CanStartShift: ib.CanStartShift,
		ShiftBlocked: ib.ShiftBlocked, Offers: []apiSupportOffer{}, Active: []apiSupportMatch{}, NeedingDebrief: []apiSupportMatch{}}
	if ib.Profile != nil {
		out.OnShift, out.ShiftStartedAt = ib.Profile.OnShift, utcPtr(ib.Profile.ShiftStartedAt)
	}
	if ib.Settings != nil {
		out.WeeklyHours = ib.Settings.WeeklyHours
	}
	for _, o := range ib.Offers {
		out.Offers = append(out.Offers, apiSupportOfferOf(o))
	}
	for _, m := range ib.Active {
		out.Active = append(out.Active, apiSupportMatchOf(m, false))
	}
	for _, m := range ib.NeedingDebrief {
		out.NeedingDebrief = append(out.NeedingDebrief, apiSupportMatchOf(m, false))
	}
	return apiBody(out), nil
}

func (s *Server) apiAcceptSupportOffer(ctx context.Context, in *apiSupportOfferPath) (*apiOut[apiSupportMatch], error) {
	m, err := s.svc.Support.AcceptOffer(ctx, kindred.ActorFrom(ctx), in.Org, in.Offer)
	if err != nil {
		return nil, err
	}
	return apiBody(apiSupportMatchOf(m, false)), nil
}

func (s *Server) apiDeclineSupportOffer(ctx context.Context, in *apiSupportOfferPath) (*apiOut[apiSupportDone], error) {
	if err := s.svc.Support.DeclineOffer(ctx, kindred.ActorFrom(ctx), in.Org, in.Offer); err != nil {
		return nil, err
	}
	return apiSupportOK(), nil
}

func (s *Server) apiGetSupporterProfile(ctx context.Context, in *apiOrgPath) (*apiOut[apiSupporterProfileView], error) {
	v, err := s.svc.Support.Profile(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	out := apiSupporterProfileView{Profile: apiSupporterProfileOf(v.Profile), Certification: apiSupportCertificationOf(v.Certification),
		Choices: apiSupportChoicesOf(v.Choices)}
	if v.Choices.Settings != nil {
		out.MaxCapacity = v.Choices.Settings.MaxCapacity
	}
	return apiBody(out), nil
}

func (s *Server) apiUpdateSupporterProfile(ctx context.Context, in *apiSupporterProfileInput) (*apiOut[*apiSupporterProfile], error) {
	b := in.Body
	d := kindred.SupporterProfileDraft{Intro: b.Intro, Experiences: b.Experiences, Languages: b.Languages, Identities: b.Identities,
		TimeZone: b.TimeZone, Capacity: b.Capacity}
	for _, sl := range b.Availability {
		d.Availability = append(d.Availability, kindred.WeeklySlot{Day: supportWeekday(sl.Day), From: sl.FromMinutes, To: sl.ToMinutes})
	}
	p, err := s.svc.Support.SaveProfile(ctx, kindred.ActorFrom(ctx), in.Org, d)
	if err != nil {
		return nil, err
	}
	return apiBody(apiSupporterProfileOf(p)), nil
}

func (s *Server) apiStartSupportShift(ctx context.Context, in *apiOrgPath) (*apiOut[apiSupportDone], error) {
	if err := s.svc.Support.StartShift(ctx, kindred.ActorFrom(ctx), in.Org); err != nil {
		return nil, err
	}
	return apiSupportOK(), nil
}

func (s *Server) apiEndSupportShift(ctx context.Context, in *apiOrgPath) (*apiOut[apiSupportDone], error) {
	if err := s.svc.Support.EndShift(ctx, kindred.ActorFrom(ctx), in.Org); err != nil {
		return nil, err
	}
	return apiSupportOK(), nil
}

func (s *Server) apiEndSupportConversation(ctx context.Context, in *apiSupportMatchPath) (*apiOut[apiSupportDone], error) {
	if err := s.svc.Support.EndConversation(ctx, kindred.ActorFrom(ctx), in.Org, in.Match); err != nil {
		return nil, err
	}
	return apiSupportOK(), nil
}

func (s *Server) apiSubmitSupportFeedback(ctx context.Context, in *apiSupportFeedbackInput) (*apiOut[apiSupportDone], error) {
	if err := s.svc.Support.SubmitFeedback(ctx, kindred.ActorFrom(ctx), in.Org, in.Match, in.Body.Helped, in.Body.Comment); err != nil {
		return nil, err
	}
	return apiSupportOK(), nil
}

func (s *Server) apiWriteSupportDebrief(ctx context.Context, in *apiSupportDebriefInput) (*apiOut[apiSupportDone], error) {
	if err := s.svc.Support.WriteDebrief(ctx, kindred.ActorFrom(ctx), in.Org, in.Match, in.Body.Body, in.Body.CheckIn); err != nil {
		return nil, err
	}
	return apiSupportOK(), nil
}

func (s *Server) apiEscalateSupport(ctx context.Context, in *apiSupportEscalateInput) (*apiOut[apiSupportEscalation], error) {
	e, err := s.svc.Support.Escalate(ctx, kindred.ActorFrom(ctx), in.Org, in.Match, in.Body.Reason, in.Body.Urgent)
	if err != nil {
		return nil, err
	}
	return apiBody(apiSupportEscalationOf(e)), nil
}

func (s *Server) apiProposeSupportHandoff(ctx context.Context, in *apiSupportHandoffInput) (*apiOut[apiSupportDone], error) {
	if err := s.svc.Support.ProposeHandoff(ctx, kindred.ActorFrom(ctx), in.Org, in.Match, in.Body.Note); err != nil {
		return nil, err
	}
	return apiSupportOK(), nil
}

func (s *Server) apiAnswerSupportHandoff(ctx context.Context, in *apiSupportHandoffAnswerInput) (*apiOut[apiSupportDone], error) {
	if err := s.svc.Support.AnswerHandoff(ctx, kindred.ActorFrom(ctx), in.Org, in.Match, in.Body.Consent); err != nil {
		return nil, err
	}
	return apiSupportOK(), nil
}

func (s *Server) apiGetSupportDashboard(ctx context.Context, in *apiOrgPath) (*apiOut[apiSupportDashboard], error) {
	d, err := s.svc.Support.Dashboard(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	return apiBody(apiSupportDashboardOf(d)), nil
}

func (s *Server) apiResolveSupportEscalation(ctx context.Context, in *apiSupportResolveInput) (*apiOut[apiSupportDone], error) {
	if err := s.svc.Support.ResolveEscalation(ctx, kindred.ActorFrom(ctx), in.Org, in.Escalation, in.Body.Note); err != nil {
		return nil, err
	}
	return apiSupportOK(), nil
}

func (s *Server) apiEndSupporterShift(ctx context.Context, in *apiMemberPath) (*apiOut[apiSupportDone], error) {
	if err := s.svc.Support.EndShiftFor(ctx, kindred.ActorFrom(ctx), in.Org, in.Account); err != nil {
		return nil, err
	}
	return apiSupportOK(), nil
}

func (s *Server) apiGetSupportSettings(ctx context.Context, in *apiOrgPath) (*apiOut[apiSupportSettings], error) {
	set, err := s.svc.Support.Settings(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	return apiBody(apiSupportSettingsOf(set)), nil
}

func (s *Server) apiUpdateSupportSettings(ctx context.Context, in *apiSupportSettingsInput) (*apiOut[apiSupportSettings], error) {
	b := in.Body
	set := kindred.SupportSettings{MaxCapacity: b.MaxCapacity, MaxShift: time.Duration(b.MaxShiftMinutes) * time.Minute,
		WeeklyHours: b.WeeklyHours, OfferTimeout: time.Duration(b.OfferTimeoutMinutes) * time.Minute, OffersAtOnce: b.OffersAtOnce}
	for _, e := range b.Taxonomy {
		set.Taxonomy = append(set.Taxonomy, kindred.Experience{Key: e.Key, Label: e.Label})
	}
	saved, err := s.svc.Support.SaveSettings(ctx, kindred.ActorFrom(ctx), in.Org, set)
	if err != nil {
		return nil, apiRenameField(apiRenameField(err, "max_shift", "max_shift_minutes"), "offer_timeout", "offer_timeout_minutes")
	}
	return apiBody(apiSupportSettingsOf(saved)), nil
}
