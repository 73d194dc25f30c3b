package web

import (
	"context"
	"net/http"
	"time"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
	"kindred/internal/uploads"
)

// apiUpload is a stored image. Its bytes are served at url, to the people
// who may see it, and carry no metadata.
type apiUpload struct {
	ID          string    `json:"id"`
	Kind        string    `json:"kind" enum:"avatar,post" doc:"\"avatar\" or \"post\" (a picture for posts in a group)."`
	URL         string    `json:"url" doc:"Where the image is served, e.g. /uploads/{id}."`
	Markdown    string    `json:"markdown,omitempty" doc:"For pictures in posts: the Markdown to insert in a post's body."`
	ContentType string    `json:"content_type" enum:"image/jpeg,image/png"`
	Width       int       `json:"width"`
	Height      int       `json:"height"`
	Size        int64     `json:"size" doc:"Bytes."`
	CreatedAt   time.Time `json:"created_at"`
}

func apiUploadOf(u *kindred.Upload, markdown string) apiUpload {
	return apiUpload{ID: u.ID, Kind: string(u.Kind), URL: uploads.URL(u.ID), Markdown: markdown, ContentType: u.ContentType,
		Width: u.Width, Height: u.Height, Size: u.Size, CreatedAt: u.CreatedAt}
}

// The image arrives as multipart/form-data, read by the handler itself
// (readUpload) so it stays in memory: huma's multipart support would
// spill large files, with their metadata, to temporary files on disk.
type apiUploadImageInput struct {
	apiRequest
	Org   string `path:"org" doc:"The organisation's slug."`
	Group string `path:"group" doc:"The group's slug."`
}

type apiSetAvatarInput struct {
	apiRequest
}

type apiUploadIDInput struct {
	ID string `path:"id" doc:"The upload's id."`
}

// multipartBody documents a multipart request body for the OpenAPI
// document.
func multipartBody(description string, withDescription bool) *huma.RequestBody {
	props := map[string]*huma.Schema{
		"file": {Type: "string", ContentEncoding: "binary", Description: "The image: JPEG, PNG, GIF or WebP, up to 8 MiB and 40 megapixels. HEIC and AVIF are not read yet."},
	}
	required := []string{"file"}
	if withDescription {
		props["description"] = &huma.Schema{Type: "string", MaxLength: ptr(uploads.MaxDescription),
			Description: "What the picture shows, for screen readers (its alt text). Required."}
		required = append(required, "description")
	}
	return &huma.RequestBody{Description: description, Required: true, Content: map[string]*huma.MediaType{
		"multipart/form-data": {Schema: &huma.Schema{Type: "object", Properties: props, Required: required}},
	}}
}

func ptr[T any](v T) *T { return &v }

func (s *Server) registerUploadOperations(api huma.API) {
	tags := []string{"Uploads"}
	tooLarge := []int{http.StatusRequestEntityTooLarge, http.StatusTooManyRequests}
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "uploadImage", Method: http.MethodPost,
		Path: "/organizations/{org}/groups/{group}/uploads", Summary: "Upload a picture for a post",
		Description: "For people who may post in the group. The image is decoded and re-encoded (JPEG, or PNG for drawings " +
			"and transparency; at most 2048 pixels on its longest side), so no location, camera or other metadata " +
			"survives; the original is not kept. Insert the returned `markdown` in a post's body. Only the group's " +
			"readers can see the picture.",
		DefaultStatus: http.StatusCreated,
		Tags:          tags, Errors: tooLarge}, s.apiUploadImage)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "deleteUpload", Method: http.MethodDelete, Path: "/uploads/{id}",
		Summary: "Delete a picture you uploaded", Description: "Posts that showed it show its description instead.",
		DefaultStatus: http.StatusNoContent, Tags: tags}, s.apiDeleteUpload)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "setAvatar", Method: http.MethodPut, Path: "/me/avatar",
		Summary: "Set your picture", Description: "Replaces your avatar. It is cropped to a centred square of at most 512 " +
			"pixels and re-encoded without metadata. People who share an organisation with you can see it; anonymous " +
			"posts never show it.",
		Tags: tags, Errors: tooLarge}, s.apiSetAvatar)
	// The bodies are documented after registering: declared at
	// registration, huma would read and parse them itself.
	paths := api.OpenAPI().Paths
	paths["/organizations/{org}/groups/{group}/uploads"].Post.RequestBody = multipartBody("The picture and its description.", true)
	paths["/me/avatar"].Put.RequestBody = multipartBody("The picture.", false)
	apiRegister(s, api, apiSignedIn, huma.Operation{OperationID: "deleteAvatar", Method: http.MethodDelete, Path: "/me/avatar",
		Summary: "Remove your picture", DefaultStatus: http.StatusNoContent, Tags: tags}, s.apiDeleteAvatar)
}

func (s *Server) apiUploadImage(ctx context.Context, in *apiUploadImageInput) (*apiOut[apiUpload], error) {
	data, fields, err := s.readUpload(in.r)
	if kindred.ErrorCode(err) == kindred.EINVALID {
		data, err = nil, nil // who may upload here is decided first (see handleUploadCreate)
	}
	if err != nil {
		return nil, err
	}
	u, md, err := s.svc.Uploads.UploadImage(ctx, kindred.ActorFrom(ctx), in.Org, in.Group, data, fields.Get("description"))
	if err != nil {
		return nil, err
	}
	return apiBody(apiUploadOf(u, md)), nil
}

func (s *Server) apiSetAvatar(ctx context.Context, in *apiSetAvatarInput) (*apiOut[apiUpload], error) {
	actor := kindred.ActorFrom(ctx)
	if !actor.SignedIn() {
		return nil, kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first.")
	}
	data, _, err := s.readUpload(in.r)
	if err == nil && len(data) == 0 {
		err = errNoFile
	}
	if err != nil {
		return nil, err
	}
	u, err := s.svc.Uploads.SetAvatar(ctx, actor, data)
	if err != nil {
		return nil, err
	}
	return apiBody(apiUploadOf(u, "")), nil
}

func (s *Server) apiDeleteUpload(ctx context.Context, in *apiUploadIDInput) (*struct{}, error) {
	return &struct{}{}, s.svc.Uploads.Delete(ctx, kindred.ActorFrom(ctx), in.ID)
}

func (s *Server) apiDeleteAvatar(ctx context.Context, _ *struct{}) (*struct{}, error) {
	return &struct{}{}, s.svc.Uploads.RemoveAvatar(ctx, kindred.ActorFrom(ctx))
}
