package web

import (
	"context"
	"net/http"

	"time"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
)

// The privacy API: a person's data (exportMyData, deleteMyAccount) and an
// organisation's chat retention (getPrivacySettings, updatePrivacySettings).

// apiExport is the zip of everything held about the person.
type apiExport struct {
	ContentType        string `header:"Content-Type" hidden:"true"`
	ContentDisposition string `header:"Content-Disposition" doc:"attachment, with a dated file name."`
	CacheControl       string `header:"Cache-Control" hidden:"true"`
	Body               []byte
}

type apiDeleteMeInput struct {
	Body struct {
		Password string `json:"password" minLength:"1" maxLength:"256" doc:"The account's current password."`
		Confirm  string `json:"confirm" maxLength:"100" doc:"The words \"delete my account\", to confirm."`
	}
}

// apiPrivacySettings is an organisation's data-keeping rules.
type apiPrivacySettings struct {
	ChatRetentionDays int        `json:"chat_retention_days" enum:"0,30,90,365" doc:"How many days chat messages are kept before they are deleted for good; 0 keeps them until someone removes them."`
	UpdatedAt         *time.Time `json:"updated_at" doc:"When an admin last changed them; null when never."`
}

type apiPrivacySettingsInput struct {
	Org  string `path:"org" doc:"The organisation's slug."`
	Body struct {
		ChatRetentionDays int `json:"chat_retention_days" enum:"0,30,90,365" doc:"How many days chat messages are kept; 0 keeps them."`
	}
}

func apiPrivacySettingsOf(p *kindred.PrivacySettings) apiPrivacySettings {
	out := apiPrivacySettings{ChatRetentionDays: p.ChatRetentionDays}
	if !p.UpdatedAt.IsZero() {
		t := p.UpdatedAt
		out.UpdatedAt = &t
	}
	return out
}

func (s *Server) registerPrivacyOps(api huma.API) {
	tags := []string{"Privacy"}
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "exportMyData", Method: http.MethodPost, Path: "/me/export",
		Summary: "Download your data", Description: "Everything Kindred holds about the signed-in person, as a zip: one JSON file " +
			"per area (account, memberships, posts, chat, support, training, safety plan, sessions, token names…), their uploaded " +
			"files, and a readable index.html explaining each file. Never includes password hashes, token secrets, or who reported them. " +
			"A POST so that nothing caches or prefetches it.",
		Tags: tags, Responses: map[string]*huma.Response{"200": {Description: "A zip file.",
			Content: map[string]*huma.MediaType{"application/zip": {Schema: &huma.Schema{Type: huma.TypeString, Format: "binary"}}}}},
		Errors: []int{http.StatusRequestEntityTooLarge}}, s.apiExportMyData)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "deleteMyAccount", Method: http.MethodDelete, Path: "/me",
		Summary: "Delete your account", Description: "Erases the account for good: everything the person wrote is deleted or blanked " +
			"in the database (not hidden), their files are deleted, their sessions and tokens end, and open support conversations end. " +
			"Others' replies in their threads stay, without the person's words. Refused (422) while they are an organisation's only admin.",
		DefaultStatus: http.StatusNoContent, MaxBodyBytes: apiSmallBody, Tags: tags,
		Errors: []int{http.StatusTooManyRequests}}, s.apiDeleteMyAccount)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "getPrivacySettings", Method: http.MethodGet, Path: "/organizations/{org}/privacy",
		Summary: "An organisation's privacy settings", Description: "For the organisation's admins.", Tags: tags}, s.apiGetPrivacySettings)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "updatePrivacySettings", Method: http.MethodPut, Path: "/organizations/{org}/privacy",
		Summary: "Change an organisation's privacy settings", Description: "For the organisation's admins; audited. Chat messages older " +
			"than the retention period are deleted for good within the hour.", Tags: tags}, s.apiUpdatePrivacySettings)
}

func (s *Server) apiExportMyData(ctx context.Context, _ *struct{}) (*apiExport, error) {
	ex, err := s.svc.Privacy.Export(ctx, kindred.ActorFrom(ctx))
	if err != nil {
		return nil, err
	}
	return &apiExport{ContentType: "application/zip", ContentDisposition: `attachment; filename="` + ex.Filename + `"`,
		CacheControl: "no-store", Body: ex.Zip}, nil
}

func (s *Server) apiDeleteMyAccount(ctx context.Context, in *apiDeleteMeInput) (*struct{}, error) {
	if err := s.svc.Privacy.DeleteAccount(ctx, kindred.ActorFrom(ctx), in.Body.Password, in.Body.Confirm); err != nil {
		return nil, err
	}
	return nil, nil
}

func (s *Server) apiGetPrivacySettings(ctx context.Context, in *apiOrgPath) (*apiOut[apiPrivacySettings], error) {
	op, err := s.svc.Privacy.Settings(ctx, kindred.ActorFrom(ctx), in.Org)
	if err != nil {
		return nil, err
	}
	return apiBody(apiPrivacySettingsOf(op.Settings)), nil
}

func (s *Server) apiUpdatePrivacySettings(ctx context.Context, in *apiPrivacySettingsInput) (*apiOut[apiPrivacySettings], error) {
	op, err := s.svc.Privacy.SaveSettings(ctx, kindred.ActorFrom(ctx), in.Org, in.Body.ChatRetentionDays)
	if err != nil {
		return nil, err
	}
	return apiBody(apiPrivacySettingsOf(op.Settings)), nil
}
