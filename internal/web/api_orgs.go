package web

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
)

type apiOrgPath struct {
	Org string `path:"org" doc:"The organisation's slug."`
}

type apiMemberPath struct {
	Org     string `path:"org" doc:"The organisation's slug."`
	Account string `path:"account" doc:"The member's account id."`
}

type apiOrgCreateInput struct {
	Body struct {
		Name          string             `json:"name" maxLength:"80"`
		Slug          string             `json:"slug,omitempty" maxLength:"40" doc:"The short web address; made from the name when left out."`
		Kind          kindred.OrgKind    `json:"kind" enum:"community_centre,school,healthcare,social_services,online_community"`
		JoinPolicy    kindred.JoinPolicy `json:"join_policy,omitempty" enum:"open,request,invite" doc:"Default: request."`
		Description   string             `json:"description,omitempty" maxLength:"4000" doc:"Markdown."`
		CodeOfConduct string             `json:"code_of_conduct,omitempty" maxLength:"20000" doc:"Markdown."`
	}
}

type apiOrgUpdateInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body struct {
		Name          *string             `json:"name,omitempty" maxLength:"80"`
		Kind          *kindred.OrgKind    `json:"kind,omitempty" enum:"community_centre,school,healthcare,social_services,online_community"`
		JoinPolicy    *kindred.JoinPolicy `json:"join_policy,omitempty" enum:"open,request,invite"`
		Description   *string             `json:"description,omitempty" maxLength:"4000"`
		CodeOfConduct *string             `json:"code_of_conduct,omitempty" maxLength:"20000"`
		Listed        *bool               `json:"listed,omitempty"`
	}
}

// apiConductInput is for joining: the code of conduct must be accepted.
type apiConductInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body struct {
		AcceptConduct bool `json:"accept_conduct,omitempty" doc:"Must be true to join: the person accepts the organisation's code of conduct."`
	}
}

type apiMembersInput struct {
	Org    string                   `path:"org" doc:"The organisation's slug."`
	Status kindred.MembershipStatus `query:"status" enum:"active,pending" doc:"Only members with this status; all when left out."`
}

type apiRolesInput struct {
	Org     string `path:"org" doc:"The organisation's slug."`
	Account string `path:"account" doc:"The member's account id."`
	Body    struct {
		Roles []string `json:"roles" maxItems:"6" enum:"member,peer_supporter,facilitator,coordinator,moderator,admin" doc:"Every role the member should hold; everyone keeps member."`
	}
}

type apiInviteCreateInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body struct {
		GroupID        string `json:"group_id,omitempty" maxLength:"64" doc:"Also admit to this group of the organisation (the only way into a hidden group)."`
		ExpiresInHours int    `json:"expires_in_hours,omitempty" minimum:"1" maximum:"2160" doc:"Default: 168 (a week)."`
		MaxUses        int    `json:"max_uses,omitempty" minimum:"1" maximum:"1000" doc:"Default: 1."`
		Note           string `json:"note,omitempty" maxLength:"120" doc:"For the admins' own reference."`
	}
}

type apiInvitePath struct {
	Org string `path:"org" doc:"The organisation's slug."`
	ID  string `path:"id" doc:"The invitation's id."`
}

type apiInviteAcceptInput struct {
	Code string `path:"code" doc:"The code from the invitation link."`
	Body struct {
		AcceptConduct bool `json:"accept_conduct,omitempty" doc:"Must be true unless already a member: the person accepts the organisation's code of conduct."`
	}
}

func (s *Server) registerOrgAPI(api huma.API) {
	tags := []string{"Organisations"}
	apiRegister(s, api, apiOptional, huma.Operation{OperationID: "listOrganizations", Method: http.MethodGet, Path: "/organizations",
		Summary: "Organisations", Description: "Those in the directory and those you belong to.", Tags: tags}, s.apiListOrganizations)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "createOrganization", Method: http.MethodPost, Path: "/organizations",
		Summary: "Create an organisation", Description: "Only the instance's operators may. The creator becomes its first admin.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: apiLargeBody, Tags: tags}, s.apiCreateOrganization)
	apiRegister(s, api, apiOptional, huma.Operation{OperationID: "getOrganization", Method: http.MethodGet, Path: "/organizations/{org}",
		Summary: "One organisation", Tags: tags}, s.apiGetOrganization)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "updateOrganization", Method: http.MethodPatch, Path: "/organizations/{org}",
		Summary: "Change an organisation's settings", Description: "For admins. Fields left out stay as they are.",
		MaxBodyBytes: apiLargeBody, Tags: tags}, s.apiUpdateOrganization)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "joinOrganization", Method: http.MethodPost, Path: "/organizations/{org}/join",
		Summary: "Join, or ask to join", Description: "Open organisations admit at once; others record a request. Invitation-only ones need acceptInvite.",
		Tags: tags}, s.apiJoinOrganization)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "leaveOrganization", Method: http.MethodPost, Path: "/organizations/{org}/leave",
		Summary: "Leave an organisation and all its groups", Tags: tags, Errors: []int{http.StatusConflict}}, s.apiLeaveOrganization)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "updateMyMembership", Method: http.MethodPatch, Path: "/organizations/{org}/membership",
		Summary: "Choose how you appear in an organisation", Description: "An empty display_name falls back to the account's display name.",
		Tags: tags}, s.apiUpdateMyMembership)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listMembers", Method: http.MethodGet, Path: "/organizations/{org}/members",
		Summary: "Members and requests to join", Description: "For admins.", Tags: tags}, s.apiListMembers)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "setMemberRoles", Method: http.MethodPut, Path: "/organizations/{org}/members/{account}/roles",
		Summary: "Set a member's roles", Description: "For admins. An organisation always keeps an admin.", Tags: tags, Errors: []int{http.StatusConflict}}, s.apiSetMemberRoles)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "approveMember", Method: http.MethodPost, Path: "/organizations/{org}/members/{account}/approve",
		Summary: "Accept a request to join", Description: "For admins.", Tags: tags}, s.apiApproveMember)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "removeMember", Method: http.MethodDelete, Path: "/organizations/{org}/members/{account}",
		Summary: "Remove a member or decline a request", Description: "For admins.", Tags: tags, Errors: []int{http.StatusConflict}}, s.apiRemoveMember)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "createInvite", Method: http.MethodPost, Path: "/organizations/{org}/invites",
		Summary: "Create an invitation link", Description: "For admins. The code is shown only in this response.",
		DefaultStatus: http.StatusCreated, Tags: tags}, s.apiCreateInvite)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listInvites", Method: http.MethodGet, Path: "/organizations/{org}/invites",
		Summary: "Invitations, newest first", Description: "For admins.", Tags: tags}, s.apiListInvites)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "revokeInvite", Method: http.MethodDelete, Path: "/organizations/{org}/invites/{id}",
		Summary: "Revoke an invitation", Description: "For admins.", Tags: tags}, s.apiRevokeInvite)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "acceptInvite", Method: http.MethodPost, Path: "/invites/{code}/accept",
		Summary: "Use an invitation", Description: "Joins the organisation, and the group when the invitation names one.",
		Tags: tags, Errors: []int{http.StatusGone}}, s.apiAcceptInvite)
}

func (s *Server) apiListOrganizations(ctx context.Context, _ *struct{}) (*apiOut[apiOrganizationList], error) {
	places, err := s.svc.Orgs.List(ctx, kindred.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	out := apiOrganizationList{Organizations: make([]apiOrganization, 0, len(places))}
	for _, p := range places {
		out.Organizations = append(out.Organizations, apiOrganizationOf(p))
	}
	return apiBody(out), nil
}

func (s *Server) apiCreateOrganization(ctx context.Context, in *apiOrgCreateInput) (*apiOut[apiOrganization], error) {
	b := in.Body
	p, err := s.svc.Orgs.Create(ctx, kindred.ActorFrom(ctx), kindred.OrganizationDraft{Name: b.Name, Slug: b.Slug, Kind: b.Kind,
		JoinPolicy: b.JoinPolicy, Description: b.Description, CodeOfConduct: b.CodeOfConduct})
	if err != nil {
		return nil, err
	}
	return apiBody(apiOrganizationOf(p)), nil
}

func (s *Server) apiGetOrganization(ctx context.Context, in *apiOrgPath) (*apiOut[apiOrganization], error) {
	p, err := s.svc.Orgs.Get(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	return apiBody(apiOrganizationOf(p)), nil
}

func (s *Server) apiUpdateOrganization(ctx context.Context, in *apiOrgUpdateInput) (*apiOut[apiOrganization], error) {
	b := in.Body
	p, err := s.svc.Orgs.UpdateSettings(ctx, kindred.ActorFrom(ctx), in.Org, kindred.OrganizationUpdate{Name: b.Name, Kind: b.Kind,
		JoinPolicy: b.JoinPolicy, Description: b.Description, CodeOfConduct: b.CodeOfConduct, Listed: b.Listed})
	if err != nil {
		return nil, err
	}
	return apiBody(apiOrganizationOf(p)), nil
}

func (s *Server) apiJoinOrganization(ctx context.Context, in *apiConductInput) (*apiOut[apiJoined], error) {
	m, err := s.svc.Orgs.Join(ctx, kindred.ActorFrom(ctx), in.Org, in.Body.AcceptConduct)
	if err != nil {
		return nil, err
	}
	return apiBody(apiJoined{Status: m.Status, Roles: apiRoles(m.Roles)}), nil
}

func (s *Server) apiLeaveOrganization(ctx context.Context, in *apiOrgPath) (*struct{}, error) {
	if err := s.svc.Orgs.Leave(ctx, kindred.ActorFrom(ctx), in.Org); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Server) apiListMembers(ctx context.Context, in *apiMembersInput) (*apiOut[apiMemberList], error) {
	ms, err := s.svc.Orgs.Members(ctx, kindred.ActorFrom(ctx), in.Org, in.Status)
	if err != nil {
		return nil, err
	}
	out := apiMemberList{Members: make([]apiMember, 0, len(ms))}
	for _, m := range ms {
		out.Members = append(out.Members, apiMemberOf(m))
	}
	return apiBody(out), nil
}

func (s *Server) apiSetMemberRoles(ctx context.Context, in *apiRolesInput) (*apiOut[apiMember], error) {
	roles, err := kindred.ParseRoles(in.Body.Roles)
	if err != nil {
		return nil, err
	}
	m, err := s.svc.Orgs.SetRoles(ctx, kindred.ActorFrom(ctx), in.Org, in.Account, roles)
	if err != nil {
		return nil, err
	}
	return apiBody(apiMemberOf(m)), nil
}

func (s *Server) apiApproveMember(ctx context.Context, in *apiMemberPath) (*apiOut[apiMember], error) {
	m, err := s.svc.Orgs.Approve(ctx, kindred.ActorFrom(ctx), in.Org, in.Account)
	if err != nil {
		return nil, err
	}
	return apiBody(apiMemberOf(m)), nil
}

func (s *Server) apiRemoveMember(ctx context.Context, in *apiMemberPath) (*struct{}, error) {
	if err := s.svc.Orgs.Remove(ctx, kindred.ActorFrom(ctx), in.Org, in.Account); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Server) apiCreateInvite(ctx context.Context, in *apiInviteCreateInput) (*apiOut[apiNewInvite], error) {
	b := in.Body
	inv, code, err := s.svc.Orgs.CreateInvite(ctx, kindred.ActorFrom(ctx), in.Org, kindred.InviteDraft{GroupID: b.GroupID,
		ExpiresIn: time.Duration(b.ExpiresInHours) * time.Hour, MaxUses: b.MaxUses, Note: b.Note})
	if err != nil {
		return nil, err
	}
	return apiBody(apiNewInvite{APIInvite: apiInviteOf(inv), Code: code, Link: "/invite/" + code}), nil
}

func (s *Server) apiListInvites(ctx context.Context, in *apiOrgPath) (*apiOut[apiInviteList], error) {
	invs, err := s.svc.Orgs.Invites(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	out := apiInviteList{Invites: make([]APIInvite, 0, len(invs))}
	for _, inv := range invs {
		out.Invites = append(out.Invites, apiInviteOf(inv))
	}
	return apiBody(out), nil
}

func (s *Server) apiRevokeInvite(ctx context.Context, in *apiInvitePath) (*struct{}, error) {
	if err := s.svc.Orgs.RevokeInvite(ctx, kindred.ActorFrom(ctx), in.Org, in.ID); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Server) apiAcceptInvite(ctx context.Context, in *apiInviteAcceptInput) (*apiOut[apiAcceptedInvite], error) {
	pv, err := s.svc.Orgs.AcceptInvite(ctx, kindred.ActorFrom(ctx), in.Code, in.Body.AcceptConduct)
	if err != nil {
		return nil, err
	}
	out := apiAcceptedInvite{Organization: apiOrganizationInfoOf(pv.Org)}
	if pv.Group != nil {
		g := apiGroupInfoOf(pv.Group)
		out.Group = &g
	}
	return apiBody(out), nil
}

type apiMyMembershipInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body struct {
		DisplayName string `json:"display_name" maxLength:"60" doc:"How you appear in this organisation; empty for your account's name."`
	}
}

type apiMyMembership struct {
	Status      kindred.MembershipStatus `json:"status" enum:"active,pending"`
	Roles       []string                 `json:"roles" nullable:"false" enum:"member,peer_supporter,facilitator,coordinator,moderator,admin"`
	DisplayName string                   `json:"display_name"`
}

func (s *Server) apiUpdateMyMembership(ctx context.Context, in *apiMyMembershipInput) (*apiOut[apiMyMembership], error) {
	m, err := s.svc.Orgs.SetDisplayName(ctx, kindred.ActorFrom(ctx), in.Org, in.Body.DisplayName)
	if err != nil {
		return nil, err
	}
	return apiBody(apiMyMembership{Status: m.Status, Roles: apiRoles(m.Roles), DisplayName: m.DisplayName}), nil
}
