package web

import (
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/danielgtaylor/huma/v2"

	"kindred"
	"kindred/internal/uploads"
)

// Images (internal/uploads): avatars on /settings/avatar, pictures for
// posts uploaded to a group, and serving both to the people who may see
// them. Everything works as plain forms; static/uploads.js adds an "Add a
// picture" control to the post forms that uploads in place.

// uploadRoutes registers the uploads pages.
func (s *Server) uploadRoutes(h func(pattern string, fn http.HandlerFunc)) {
	h("GET /settings/avatar", s.handleAvatarPage)
	h("POST /settings/avatar", s.handleAvatarSet)
	h("POST /settings/avatar/remove", s.handleAvatarRemove)
	h("GET /o/{org}/g/{group}/uploads", s.handleUploadPage)
	h("POST /o/{org}/g/{group}/uploads", s.handleUploadCreate)
	h("GET /uploads/{id}", s.handleUploadServe)
	h("POST /uploads/{id}/delete", s.handleUploadDelete)
}

// uploadBodyOverhead is room for a multipart body's boundaries, headers and
// small fields around the file.
const uploadBodyOverhead = 64 << 10

// bodyLimit is the request body limit for r: the server-wide one, except
// for the few requests that carry an image.
func (s *Server) bodyLimit(r *http.Request) int64 {
	if s.svc.Uploads != nil && isUploadRequest(r) {
		return max(s.opts.MaxBodyBytes, s.svc.Uploads.Limits().MaxBytes+uploadBodyOverhead)
	}
	return s.opts.MaxBodyBytes
}

// isUploadRequest reports whether r is one of the requests that carry an
// image: the avatar form, a group's upload form, and their API operations.
func isUploadRequest(r *http.Request) bool {
	if r.Method != http.MethodPost && r.Method != http.MethodPut {
		return false
	}
	p := r.URL.Path
	switch p {
	case "/settings/avatar", apiPrefix + "/me/avatar":
		return true
	}
	p = strings.TrimPrefix(p, apiPrefix)
	parts := strings.Split(strings.Trim(p, "/"), "/")
	// /o/{org}/g/{group}/uploads and /organizations/{org}/groups/{group}/uploads
	return len(parts) == 5 && parts[4] == "uploads" &&
		((parts[0] == "o" && parts[2] == "g") || (parts[0] == "organizations" && parts[2] == "groups"))
}

// errNoFile is what a form without a picture gets.
var errNoFile = &kindred.Error{Code: kindred.EINVALID, Message: "Please choose a picture to upload.",
	Fields: map[string]string{"file": "Please choose a picture to upload."}}

// readUpload reads a multipart body's image (field "file") and its text
// fields into memory. The image is never written to disk as uploaded:
// ParseMultipartForm would spill it to a temporary file, original metadata
// and all.
func (s *Server) readUpload(r *http.Request) ([]byte, url.Values, error) {
	mr, err := r.MultipartReader()
	if err != nil {
		return nil, nil, kindred.Errorf(kindred.EINVALID, "Please send the picture as a form upload (multipart/form-data).")
	}
	maxFile := s.svc.Uploads.Limits().MaxBytes
	var data []byte
	fields := url.Values{}
	for {
		part, err := mr.NextPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, fields, uploadBodyError(err)
		}
		name := part.FormName()
		switch {
		case name == "file" && part.FileName() != "" || name == "file" && data == nil:
			b, err := io.ReadAll(io.LimitReader(part, maxFile+1))
			if err != nil {
				return nil, fields, uploadBodyError(err)
			}
			if int64(len(b)) > maxFile {
				return nil, fields, uploads.ErrTooLarge
			}
			data = b
		case name != "":
			b, err := io.ReadAll(io.LimitReader(part, 8<<10))
			if err != nil {
				return nil, fields, uploadBodyError(err)
			}
			fields.Add(name, string(b))
		}
		part.Close()
	}
	return data, fields, nil
}

func uploadBodyError(err error) error {
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		return uploads.ErrTooLarge
	}
	return kindred.Errorf(kindred.EINVALID, "We couldn't read that upload. Please try again.")
}

// Avatars.

type avatarData struct {
	Avatar   string // URL of the current avatar, or ""
	MaxBytes int64
	Pictures []pictureRow // pictures the person added to posts
}

type pictureRow struct {
	ID, URL       string
	Width, Height int
	Uploaded      string
}

func (s *Server) avatarPage(w http.ResponseWriter, r *http.Request, status int, f *form) {
	av, err := s.svc.Uploads.Avatar(r.Context(), actorOf(r))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	d := avatarData{MaxBytes: s.svc.Uploads.Limits().MaxBytes >> 20}
	if av != nil {
		d.Avatar = uploads.URL(av.ID)
	}
	files, err := s.svc.Uploads.AccountFiles(r.Context(), actorOf(r).AccountID())
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	for _, u := range files {
		if u.Kind == kindred.UploadPostImage {
			d.Pictures = append(d.Pictures, pictureRow{ID: u.ID, URL: uploads.URL(u.ID), Width: u.Width, Height: u.Height,
				Uploaded: u.CreatedAt.UTC().Format("2 January 2006")})
		}
	}
	if f == nil {
		f = newForm(r, nil)
	}
	s.render(w, r, status, "settings_avatar", &page{Title: "Your picture", Form: f, Data: d})
}

func (s *Server) handleAvatarPage(w http.ResponseWriter, r *http.Request) {
	s.avatarPage(w, r, http.StatusOK, nil)
}

func (s *Server) handleAvatarSet(w http.ResponseWriter, r *http.Request) {
	if !actorOf(r).SignedIn() {
		s.fail(w, r, kindred.Errorf(kindred.EUNAUTHORIZED, "Please log in first."), nil)
		return
	}
	data, _, err := s.readUpload(r)
	if err == nil && len(data) == 0 {
		err = errNoFile
	}
	if err == nil {
		_, err = s.svc.Uploads.SetAvatar(r.Context(), actorOf(r), data)
	}
	if s.uploadFailed(w, r, err, func(st int, f *form) { s.avatarPage(w, r, st, f) }) {
		return
	}
	s.flash(w, "Your picture is saved. Nothing from the original file was kept but the picture itself.")
	http.Redirect(w, r, "/settings/avatar", http.StatusSeeOther)
}

// uploadFailed is formFailed for uploads: the pipeline's kind "too large"
// and "can't read" errors re-render the form with the message.
func (s *Server) uploadFailed(w http.ResponseWriter, r *http.Request, err error, rerender func(status int, f *form)) bool {
	switch kindred.ErrorCode(err) {
	case "":
		return false
	case kindred.EINVALID, kindred.ERATELIMIT, kindred.ETOOLARGE:
		f := newForm(r, err)
		if len(f.Errors) == 0 {
			f.Errors = map[string]string{"file": f.Message}
		}
		rerender(StatusFor(err), f)
	default:
		s.fail(w, r, err, nil)
	}
	return true
}

func (s *Server) handleAvatarRemove(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Uploads.RemoveAvatar(r.Context(), actorOf(r)); err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "Your picture is removed.")
	http.Redirect(w, r, "/settings/avatar", http.StatusSeeOther)
}

// ownAvatar returns the URL of the signed-in person's avatar, or "".
func (s *Server) ownAvatar(r *http.Request) string {
	av, err := s.svc.Uploads.Avatar(r.Context(), actorOf(r))
	if err != nil || av == nil {
		return ""
	}
	return uploads.URL(av.ID)
}

// Pictures in posts.

type uploadPageData struct {
	OrgSlug, GroupSlug, GroupName string
	Markdown, URL                 string // after an upload
	MaxBytes                      int64
	MaxDescription                int
}

func (s *Server) uploadPage(w http.ResponseWriter, r *http.Request, status int, f *form, d uploadPageData) {
	if err := s.svc.Uploads.CanUpload(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group")); err != nil {
		s.fail(w, r, err, nil)
		return
	}
	p, err := s.svc.Groups.Get(r.Context(), actorOf(r), r.PathValue("org"), r.PathValue("group"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	d.OrgSlug, d.GroupSlug, d.GroupName = p.Org.Slug, p.Group.Slug, p.Group.Name
	d.MaxBytes, d.MaxDescription = s.svc.Uploads.Limits().MaxBytes>>20, uploads.MaxDescription
	if f == nil {
		f = newForm(r, nil)
	}
	s.render(w, r, status, "upload", &page{Title: "Add a picture", Org: p.Org, Form: f, Data: d})
}

func (s *Server) handleUploadPage(w http.ResponseWriter, r *http.Request) {
	s.uploadPage(w, r, http.StatusOK, nil, uploadPageData{})
}

// uploadResult is what the script gets back after an upload.
type uploadResult struct {
	ID       string `json:"id"`
	URL      string `json:"url"`
	Markdown string `json:"markdown"`
	Width    int    `json:"width"`
	Height   int    `json:"height"`
}

// wantsJSON reports whether the script (not a plain form) sent the request.
func wantsJSON(r *http.Request) bool {
	mt, _, _ := mime.ParseMediaType(r.Header.Get("Accept"))
	return mt == "application/json"
}

func (s *Server) handleUploadCreate(w http.ResponseWriter, r *http.Request) {
	actor := actorOf(r)
	data, fields, err := s.readUpload(r)
	if kindred.ErrorCode(err) == kindred.EINVALID {
		// Not a readable upload: let the service answer, so who may upload
		// here is decided before what was sent ("choose a picture").
		data, err = nil, nil
	}
	var u *kindred.Upload
	var md string
	if err == nil {
		u, md, err = s.svc.Uploads.UploadImage(r.Context(), actor, r.PathValue("org"), r.PathValue("group"), data, fields.Get("description"))
	}
	if wantsJSON(r) {
		if err != nil {
			s.logInternal(r, err)
			writeJSON(w, StatusFor(err), apiError{Error: apiErrorBody{Code: kindred.ErrorCode(err), Message: kindred.ErrorMessage(err), Fields: kindred.ErrorFields(err)}})
			return
		}
		writeJSON(w, http.StatusCreated, uploadResult{ID: u.ID, URL: uploads.URL(u.ID), Markdown: md, Width: u.Width, Height: u.Height})
		return
	}
	// The plain form: keep the description typed; the file must be chosen
	// again, as browsers never refill file inputs.
	r.PostForm = fields
	if s.uploadFailed(w, r, err, func(st int, f *form) { s.uploadPage(w, r, st, f, uploadPageData{}) }) {
		return
	}
	s.uploadPage(w, r, http.StatusCreated, nil, uploadPageData{Markdown: md, URL: uploads.URL(u.ID)})
}

// handleUploadServe sends an image to someone who may see it. Everyone
// else, visitors included, gets the same "not found" as for an image that
// never existed.
func (s *Server) handleUploadServe(w http.ResponseWriter, r *http.Request) {
	f, err := s.svc.Uploads.Open(r.Context(), actorOf(r), r.PathValue("id"))
	if err != nil {
		s.fail(w, r, err, nil)
		return
	}
	defer f.Close()
	h := w.Header()
	h.Set("Content-Type", f.ContentType)
	h.Set("X-Content-Type-Options", "nosniff")
	// Never cached, even though an upload never changes: a picture left
	// in the browser's cache on a shared family computer is a trace of
	// Kindred for someone who is not out. Who may see it also depends on
	// who is asking.
	h.Set("Cache-Control", "private, no-store")
	h.Set("Content-Disposition", "inline")
	http.ServeContent(w, r, "", f.ModTime, f)
}

func (s *Server) handleUploadDelete(w http.ResponseWriter, r *http.Request) {
	if err := s.svc.Uploads.Delete(r.Context(), actorOf(r), r.PathValue("id")); err != nil {
		s.fail(w, r, err, nil)
		return
	}
	s.flash(w, "The picture is deleted. Posts that showed it now show its description.")
	http.Redirect(w, r, "/settings/avatar", http.StatusSeeOther)
}

// registerUploadAPI registers the uploads API operations (api_uploads.go).
func (s *Server) registerUploadAPI(api huma.API) { s.registerUploadOperations(api) }
