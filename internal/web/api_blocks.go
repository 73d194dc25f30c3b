package web

import (
	"context"
	"net/http"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
)

// apiBlockAccountPath names an account in a path.
type apiBlockAccountPath struct {
	Account string `path:"account" doc:"The account id."`
}

// registerBlockAPI registers the blocks API operations.
func (s *Server) registerBlockAPI(api huma.API) {
	tags := []string{"Blocks and mutes"}
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "blockMember", Method: http.MethodPost, Path: "/organizations/{org}/members/{account}/block",
		Summary: "Block a member", Description: "You and they stop seeing each other everywhere: posts, replies, chat messages and " +
			"presence, conversations and support matching. They are not told. Anonymous posts stay visible, since hiding them " +
			"would reveal who wrote them. Someone who is not an active member here, or who blocked you, is not found. " +
			"Blocking again changes nothing.", Tags: tags}, s.apiBlockMember)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "muteMember", Method: http.MethodPost, Path: "/organizations/{org}/members/{account}/mute",
		Summary: "Mute a member", Description: "Their posts, replies and chat messages are hidden from you only; they still see " +
			"yours and are not told. Someone who is not an active member here, or who blocked you, is not found. Muting again " +
			"changes nothing.", Tags: tags}, s.apiMuteMember)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "unblockMember", Method: http.MethodDelete, Path: "/me/blocks/{account}",
		Summary: "Take back a block", Description: "Answers the same whether or not you had blocked the account.", Tags: tags}, s.apiUnblockMember)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "unmuteMember", Method: http.MethodDelete, Path: "/me/mutes/{account}",
		Summary: "Take back a mute", Description: "Answers the same whether or not you had muted the account.", Tags: tags}, s.apiUnmuteMember)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "listBlocksAndMutes", Method: http.MethodGet, Path: "/me/blocks-and-mutes",
		Summary: "People you blocked or muted", Description: "Only your own choices: nobody can learn who blocked them.", Tags: tags}, s.apiListBlocksAndMutes)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getHiddenTopics", Method: http.MethodGet, Path: "/me/hidden-topics",
		Summary: "Topics you hide", Description: "Posts whose content warning names one of these topics (whole words, ignoring " +
			"capitals, spaces and hyphens) are left out of the thread pages you read, with a note saying how many.", Tags: tags}, s.apiGetHiddenTopics)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "updateHiddenTopics", Method: http.MethodPut, Path: "/me/hidden-topics",
		Summary: "Replace the topics you hide", Tags: tags}, s.apiUpdateHiddenTopics)
}

func (s *Server) apiBlockMember(ctx context.Context, in *apiMemberPath) (*apiOut[apiPersonChoice], error) {
	p, err := s.svc.Blocks.Block(ctx, kindred.ActorFrom(ctx), in.Org, in.Account)
	if err != nil {
		return nil, err
	}
	return apiBody(apiChoiceOfPerson(p)), nil
}

func (s *Server) apiMuteMember(ctx context.Context, in *apiMemberPath) (*apiOut[apiPersonChoice], error) {
	p, err := s.svc.Blocks.Mute(ctx, kindred.ActorFrom(ctx), in.Org, in.Account)
	if err != nil {
		return nil, err
	}
	return apiBody(apiChoiceOfPerson(p)), nil
}

func (s *Server) apiUnblockMember(ctx context.Context, in *apiBlockAccountPath) (*struct{}, error) {
	if err := s.svc.Blocks.Unblock(ctx, kindred.ActorFrom(ctx), in.Account); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Server) apiUnmuteMember(ctx context.Context, in *apiBlockAccountPath) (*struct{}, error) {
	if err := s.svc.Blocks.Unmute(ctx, kindred.ActorFrom(ctx), in.Account); err != nil {
		return nil, err
	}
	return &struct{}{}, nil
}

func (s *Server) apiListBlocksAndMutes(ctx context.Context, _ *struct{}) (*apiOut[apiPersonChoiceList], error) {
	st, err := s.svc.Blocks.Settings(ctx, kindred.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	out := apiPersonChoiceList{People: []apiPersonChoice{}}
	for _, p := range st.People {
		out.People = append(out.People, apiChoiceOfHidden(p))
	}
	return apiBody(out), nil
}

func (s *Server) apiGetHiddenTopics(ctx context.Context, _ *struct{}) (*apiOut[apiHiddenTopics], error) {
	topics, err := s.svc.Blocks.Topics(ctx, kindred.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	return apiBody(apiHiddenTopics{Topics: topics}), nil
}

func (s *Server) apiUpdateHiddenTopics(ctx context.Context, in *apiHiddenTopicsInput) (*apiOut[apiHiddenTopics], error) {
	topics, err := s.svc.Blocks.SetTopics(ctx, kindred.ActorFrom(ctx), in.Body.Topics)
	if err != nil {
		return nil, err
	}
	return apiBody(apiHiddenTopics{Topics: topics}), nil
}
