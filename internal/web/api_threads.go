package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
)

type apiThreadsInput struct {
	Org   string `path:"org" doc:"The organisation's slug."`
	Group string `path:"group" doc:"The group's slug."`
	Page  int    `query:"page" minimum:"1" default:"1" doc:"From 1."`
}

type apiThreadPath struct {
	Org    string `path:"org" doc:"The organisation's slug."`
	Group  string `path:"group" doc:"The group's slug."`
	Thread string `path:"thread" doc:"The thread's id."`
}

type apiThreadInput struct {
	Org    string `path:"org" doc:"The organisation's slug."`
	Group  string `path:"group" doc:"The group's slug."`
	Thread string `path:"thread" doc:"The thread's id."`
	Page   int    `query:"page" minimum:"1" default:"1" doc:"From 1."`
}

type apiPostPath struct {
	Org   string `path:"org" doc:"The organisation's slug."`
	Group string `path:"group" doc:"The group's slug."`
	Post  string `path:"post" doc:"The post's id."`
}

type apiReactionPath struct {
	Org   string               `path:"org" doc:"The organisation's slug."`
	Group string               `path:"group" doc:"The group's slug."`
	Post  string               `path:"post" doc:"The post's id."`
	Kind  kindred.ReactionKind `path:"kind" enum:"me_too,sending_strength,thank_you"`
}

type apiThreadCreateInput struct {
	Org   string `path:"org" doc:"The organisation's slug."`
	Group string `path:"group" doc:"The group's slug."`
	Body  struct {
		Kind           kindred.ThreadKind `json:"kind,omitempty" enum:"story,question,checkin" doc:"Default: story."`
		Title          string             `json:"title" maxLength:"140"`
		Body           string             `json:"body" maxLength:"20000" doc:"Markdown."`
		ContentWarning string             `json:"content_warning,omitempty" maxLength:"140" doc:"Shown before the text, which stays folded until the reader opens it."`
		Anonymous      bool               `json:"anonymous,omitempty" doc:"Hide your name from other members; the organisation's moderators can still see it."`
	}
}

type apiReplyInput struct {
	Org    string `path:"org" doc:"The organisation's slug."`
	Group  string `path:"group" doc:"The group's slug."`
	Thread string `path:"thread" doc:"The thread's id."`
	Body   struct {
		Body           string `json:"body" maxLength:"20000" doc:"Markdown."`
		ContentWarning string `json:"content_warning,omitempty" maxLength:"140"`
		Anonymous      bool   `json:"anonymous,omitempty" doc:"Hide your name from other members; the organisation's moderators can still see it."`
	}
}

// apiPostEditInput replaces a post's text and warning; both are required so
// that leaving the warning out cannot remove it by accident.
type apiPostEditInput struct {
	Org   string `path:"org" doc:"The organisation's slug."`
	Group string `path:"group" doc:"The group's slug."`
	Post  string `path:"post" doc:"The post's id."`
	Body  struct {
		Body           string `json:"body" maxLength:"20000" doc:"Markdown."`
		ContentWarning string `json:"content_warning" maxLength:"140" doc:"The warning after the edit; empty for none."`
	}
}

func (s *Server) registerThreadAPI(api huma.API) {
	tags := []string{"Threads"}
	const group = "/organizations/{org}/groups/{group}"
	posting := []int{http.StatusTooManyRequests}
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listThreads", Method: http.MethodGet, Path: group + "/threads",
		Summary: "A group's threads", Description: "Most recent activity first.", Tags: tags}, s.apiListThreads)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "createThread", Method: http.MethodPost, Path: group + "/threads",
		Summary: "Share a story, ask a question or check in", DefaultStatus: http.StatusCreated, MaxBodyBytes: apiLargeBody,
		Tags: tags, Errors: posting}, s.apiCreateThread)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getThread", Method: http.MethodGet, Path: group + "/threads/{thread}",
		Summary: "A page of a thread", Tags: tags}, s.apiGetThread)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "createReply", Method: http.MethodPost, Path: group + "/threads/{thread}/replies",
		Summary: "Reply to a thread", DefaultStatus: http.StatusCreated, MaxBodyBytes: apiLargeBody, Tags: tags, Errors: posting}, s.apiCreateReply)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "updatePost", Method: http.MethodPatch, Path: group + "/posts/{post}",
		Summary: "Edit your post", MaxBodyBytes: apiLargeBody, Tags: tags}, s.apiUpdatePost)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "deletePost", Method: http.MethodDelete, Path: group + "/posts/{post}",
		Summary: "Delete a post", Description: "Your own, or anyone's for moderators and the group's facilitators. Replies stay.", Tags: tags}, s.apiDeletePost)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "addReaction", Method: http.MethodPut, Path: group + "/posts/{post}/reactions/{kind}",
		Summary: "React to a post", Description: "Idempotent.", Tags: tags}, s.apiAddReaction)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "removeReaction", Method: http.MethodDelete, Path: group + "/posts/{post}/reactions/{kind}",
		Summary: "Take back a reaction", Tags: tags}, s.apiRemoveReaction)
}

func (s *Server) apiListThreads(ctx context.Context, in *apiThreadsInput) (*apiOut[apiThreadList], error) {
	actor := kindred.ActorFrom(ctx)
	l, err := s.svc.Groups.Threads(ctx, actor, in.Org, in.Group, in.Page)
	if err != nil {
		return nil, err
	}
	out := apiThreadList{Threads: make([]apiThread, 0, len(l.Threads)), Page: l.Page, More: l.More}
	for _, t := range l.Threads {
		out.Threads = append(out.Threads, apiThreadOf(t, actor))
	}
	return apiBody(out), nil
}

func (s *Server) apiCreateThread(ctx context.Context, in *apiThreadCreateInput) (*apiOut[apiThread], error) {
	actor, b := kindred.ActorFrom(ctx), in.Body
	_, t, err := s.svc.Groups.StartThread(ctx, actor, in.Org, in.Group, kindred.ThreadDraft{Kind: b.Kind, Title: b.Title,
		Body: b.Body, ContentWarning: b.ContentWarning, Anonymous: b.Anonymous})
	if err != nil {
		return nil, err
	}
	return apiBody(apiThreadOf(t, actor)), nil
}

func (s *Server) apiGetThread(ctx context.Context, in *apiThreadInput) (*apiOut[apiThreadPage], error) {
	actor := kindred.ActorFrom(ctx)
	v, err := s.svc.Groups.Thread(ctx, actor, in.Org, in.Group, in.Thread, in.Page)
	if err != nil {
		return nil, err
	}
	out := apiThreadPage{Thread: apiThreadOf(v.Thread, actor), Posts: make([]apiPost, 0, len(v.Posts)),
		Page: v.Page, Pages: v.Pages, CanPost: v.CanPost}
	for _, p := range v.Posts {
		out.Posts = append(out.Posts, apiPostOf(p, actor))
	}
	return apiBody(out), nil
}

func (s *Server) apiCreateReply(ctx context.Context, in *apiReplyInput) (*apiOut[apiPost], error) {
	actor, b := kindred.ActorFrom(ctx), in.Body
	v, err := s.svc.Groups.Reply(ctx, actor, in.Org, in.Group, in.Thread, kindred.ReplyDraft{Body: b.Body,
		ContentWarning: b.ContentWarning, Anonymous: b.Anonymous})
	if err != nil {
		return nil, err
	}
	return apiBody(apiPostOf(v, actor)), nil
}

func (s *Server) apiUpdatePost(ctx context.Context, in *apiPostEditInput) (*apiOut[apiPost], error) {
	actor := kindred.ActorFrom(ctx)
	v, err := s.svc.Groups.EditPost(ctx, actor, in.Org, in.Group, in.Post, kindred.PostEdit{Body: in.Body.Body,
		ContentWarning: in.Body.ContentWarning})
	if err != nil {
		return nil, err
	}
	s.fragments.forget(v.ID)
	return apiBody(apiPostOf(v, actor)), nil
}

func (s *Server) apiDeletePost(ctx context.Context, in *apiPostPath) (*struct{}, error) {
	if _, _, err := s.svc.Groups.DeletePost(ctx, kindred.ActorFrom(ctx), in.Org, in.Group, in.Post); err != nil {
		return nil, err
	}
	s.fragments.forget(in.Post)
	return &struct{}{}, nil
}

func (s *Server) apiAddReaction(ctx context.Context, in *apiReactionPath) (*apiOut[apiPost], error) {
	return s.apiReact(ctx, in, true)
}

func (s *Server) apiRemoveReaction(ctx context.Context, in *apiReactionPath) (*apiOut[apiPost], error) {
	return s.apiReact(ctx, in, false)
}

func (s *Server) apiReact(ctx context.Context, in *apiReactionPath, on bool) (*apiOut[apiPost], error) {
	actor := kindred.ActorFrom(ctx)
	v, err := s.svc.Groups.React(ctx, actor, in.Org, in.Group, in.Post, in.Kind, on)
	if err != nil {
		return nil, err
	}
	return apiBody(apiPostOf(v, actor)), nil
}
