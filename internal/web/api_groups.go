package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
)

type apiGroupPath struct {
	Org   string `path:"org" doc:"The organisation's slug."`
	Group string `path:"group" doc:"The group's slug."`
}

type apiGroupMemberPath struct {
	Org     string `path:"org" doc:"The organisation's slug."`
	Group   string `path:"group" doc:"The group's slug."`
	Account string `path:"account" doc:"The member's account id."`
}

type apiGroupCreateInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body struct {
		Name        string             `json:"name" maxLength:"80"`
		Slug        string             `json:"slug,omitempty" maxLength:"40" doc:"The short web address; made from the name when left out."`
		Topic       string             `json:"topic" maxLength:"160" doc:"One line: what the group is about."`
		Description string             `json:"description,omitempty" maxLength:"4000" doc:"Markdown."`
		Guidelines  string             `json:"guidelines,omitempty" maxLength:"8000" doc:"Markdown: the group's agreements."`
		Visibility  kindred.Visibility `json:"visibility,omitempty" enum:"public,private,hidden" doc:"Default: public. Hidden groups are invitation only and invisible to everyone else."`
		AgeRule     kindred.AgeRule    `json:"age_rule,omitempty" enum:"any,youth,adults" doc:"Default: any."`
	}
}

type apiGroupUpdateInput struct {
	Org   string `path:"org" doc:"The organisation's slug."`
	Group string `path:"group" doc:"The group's slug."`
	Body  struct {
		Name        *string             `json:"name,omitempty" maxLength:"80"`
		Topic       *string             `json:"topic,omitempty" maxLength:"160"`
		Description *string             `json:"description,omitempty" maxLength:"4000"`
		Guidelines  *string             `json:"guidelines,omitempty" maxLength:"8000"`
		Visibility  *kindred.Visibility `json:"visibility,omitempty" enum:"public,private,hidden"`
		AgeRule     *kindred.AgeRule    `json:"age_rule,omitempty" enum:"any,youth,adults"`
	}
}

type apiGroupMembersInput struct {
	Org    string                   `path:"org" doc:"The organisation's slug."`
	Group  string                   `path:"group" doc:"The group's slug."`
	Status kindred.MembershipStatus `query:"status" enum:"active,pending" doc:"Only members with this status; all when left out."`
}

func (s *Server) registerGroupAPI(api huma.API) {
	tags := []string{"Groups"}
	const base = "/organizations/{org}/groups"
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listGroups", Method: http.MethodGet, Path: base,
		Summary: "An organisation's groups", Description: "For members: the groups you can see, by name.", Tags: tags}, s.apiListGroups)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "createGroup", Method: http.MethodPost, Path: base,
		Summary: "Start a group", Description: "For admins and facilitators. The creator becomes its first facilitator.",
		DefaultStatus: http.StatusCreated, MaxBodyBytes: apiLargeBody, Tags: tags}, s.apiCreateGroup)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getGroup", Method: http.MethodGet, Path: base + "/{group}",
		Summary: "One group", Tags: tags}, s.apiGetGroup)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "updateGroup", Method: http.MethodPatch, Path: base + "/{group}",
		Summary: "Change a group's settings", Description: "For its facilitators and the organisation's admins. Fields left out stay as they are.",
		MaxBodyBytes: apiLargeBody, Tags: tags}, s.apiUpdateGroup)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "joinGroup", Method: http.MethodPost, Path: base + "/{group}/join",
		Summary: "Join, or ask to join", Description: "Public groups admit at once; private ones record a request.", Tags: tags}, s.apiJoinGroup)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "leaveGroup", Method: http.MethodPost, Path: base + "/{group}/leave",
		Summary: "Leave a group, or withdraw a request", Tags: tags}, s.apiLeaveGroup)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listGroupMembers", Method: http.MethodGet, Path: base + "/{group}/members",
		Summary: "A group's members and requests", Description: "For its facilitators and the organisation's admins.", Tags: tags}, s.apiListGroupMembers)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "approveMembership", Method: http.MethodPost, Path: base + "/{group}/members/{account}/approve",
		Summary: "Accept a request to join a group", Tags: tags}, s.apiApproveMembership)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "setGroupMemberRole", Method: http.MethodPut, Path: base + "/{group}/members/{account}/role",
		Summary: "Make a group member a facilitator, or a member again", Tags: tags}, s.apiSetGroupMemberRole)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "removeGroupMember", Method: http.MethodDelete, Path: base + "/{group}/members/{account}",
		Summary: "Remove someone from a group, or decline a request", Tags: tags}, s.apiRemoveGroupMember)
}

func (s *Server) apiListGroups(ctx context.Context, in *apiOrgPath) (*apiOut[apiGroupList], error) {
	_, places, err := s.svc.Groups.List(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	out := apiGroupList{Groups: make([]apiGroup, 0, len(places))}
	for _, p := range places {
		out.Groups = append(out.Groups, apiGroupOf(p))
	}
	return apiBody(out), nil
}

func (s *Server) apiCreateGroup(ctx context.Context, in *apiGroupCreateInput) (*apiOut[apiGroup], error) {
	b := in.Body
	p, err := s.svc.Groups.Create(ctx, kindred.ActorFrom(ctx), in.Org, kindred.GroupDraft{Name: b.Name, Slug: b.Slug, Topic: b.Topic,
		Description: b.Description, Guidelines: b.Guidelines, Visibility: b.Visibility, AgeRule: b.AgeRule})
	if err != nil {
		return nil, err
	}
	return apiBody(apiGroupOf(p)), nil
}

func (s *Server) apiGetGroup(ctx context.Context, in *apiGroupPath) (*apiOut[apiGroup], error) {
	p, err := s.svc.Groups.Get(ctx, kindred.ActorFrom(ctx), in.Org, in.Group)
	if err != nil {
		return nil, err
	}
	return apiBody(apiGroupOf(p)), nil
}

func (s *Server) apiUpdateGroup(ctx context.Context, in *apiGroupUpdateInput) (*apiOut[apiGroup], error) {
	b := in.Body
	p, err := s.svc.Groups.Update(ctx, kindred.ActorFrom(ctx), in.Org, in.Group, kindred.GroupUpdate{Name: b.Name, Topic: b.Topic,
		Description: b.Description, Guidelines: b.Guidelines, Visibility: b.Visibility, AgeRule: b.AgeRule})
	if err != nil {
		return nil, err
	}
	return apiBody(apiGroupOf(p)), nil
}

func (s *Server) apiJoinGroup(ctx context.Context, in *apiGroupPath) (*apiOut[apiJoinedGroup], error) {
	m, err := s.svc.Groups.Join(ctx, kindred.ActorFrom(ctx), in.Org, in.Group)
	if err != nil {
		return nil, err
	}
	return apiBody(apiJoinedGroup{Status: m.Status, Role: m.Role}), nil
}

func (s *Server) apiLeaveGroup(ctx context.Context, in *apiGroupPath) (*struct{}, error) {
	if err := s.svc.Groups.Leave(ctx, kindred.ActorFrom(ctx), in.Org, in.Group); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Server) apiListGroupMembers(ctx context.Context, in *apiGroupMembersInput) (*apiOut[apiGroupMemberList], error) {
	_, ms, err := s.svc.Groups.Members(ctx, kindred.ActorFrom(ctx), in.Org, in.Group, in.Status)
	if err != nil {
		return nil, err
	}
	out := apiGroupMemberList{Members: make([]apiGroupMember, 0, len(ms))}
	for _, m := range ms {
		out.Members = append(out.Members, apiGroupMemberOf(m))
	}
	return apiBody(out), nil
}

func (s *Server) apiApproveMembership(ctx context.Context, in *apiGroupMemberPath) (*apiOut[apiGroupMember], error) {
	m, err := s.svc.Groups.Approve(ctx, kindred.ActorFrom(ctx), in.Org, in.Group, in.Account)
	if err != nil {
		return nil, err
	}
	return apiBody(apiGroupMemberOf(m)), nil
}

type apiGroupRoleInput struct {
	// Written out rather than embedded: huma ignores embedded unexported structs.
	Org     string `path:"org" doc:"The organisation's slug."`
	Group   string `path:"group" doc:"The group's slug."`
	Account string `path:"account" doc:"The member's account id."`
	Body    struct {
		Role kindred.GroupRole `json:"role" enum:"member,facilitator" doc:"The person's role in the group."`
	}
}

func (s *Server) apiSetGroupMemberRole(ctx context.Context, in *apiGroupRoleInput) (*apiOut[apiGroupMember], error) {
	m, err := s.svc.Groups.SetMemberRole(ctx, kindred.ActorFrom(ctx), in.Org, in.Group, in.Account, in.Body.Role)
	if err != nil {
		return nil, err
	}
	return apiBody(apiGroupMemberOf(m)), nil
}

func (s *Server) apiRemoveGroupMember(ctx context.Context, in *apiGroupMemberPath) (*struct{}, error) {
	if err := s.svc.Groups.RemoveMember(ctx, kindred.ActorFrom(ctx), in.Org, in.Group, in.Account); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}
