package web_test

import (
	"bytes"
	"encoding/json"
	"image"
	_ "image/jpeg"
	"io"
	"mime/multipart"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"kindred"
	"kindred/internal/kindredtest"
	"kindred/internal/uploads/uploadstest"
)

// uploadAs sends a multipart upload (field "file", plus text fields) and
// returns the status, the response's headers and its body.
func uploadAs(t *testing.T, c *kindredtest.Client, method, path string, file []byte, accept string, fields ...string) (int, http.Header, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	for i := 0; i+1 < len(fields); i += 2 {
		_ = mw.WriteField(fields[i], fields[i+1])
	}
	fw, err := mw.CreateFormFile("file", "IMG_0042.JPG")
	if err != nil {
		t.Fatal(err)
	}
	fw.Write(file)
	mw.Close()
	req, err := http.NewRequest(method, c.Base+path, &body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	if accept != "" {
		req.Header.Set("Accept", accept)
	}
	res, err := c.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, string(b)
}

// fetch gets a path and returns status, headers and the raw bytes.
func fetch(t *testing.T, c *kindredtest.Client, path string) (int, http.Header, []byte) {
	t.Helper()
	res, err := c.Client.Get(c.Base + path)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res.StatusCode, res.Header, b
}

// checkClean fails when an image still carries any metadata, by our own
// reading of its bytes and, when installed, by exiftool's.
func checkClean(t *testing.T, what string, b []byte) {
	t.Helper()
	if p := uploadstest.Problems(b); len(p) > 0 {
		t.Errorf("%s still has %v", what, p)
	}
	if out, ok := uploadstest.Exiftool(t, b); ok {
		for _, bad := range []string{"GPS", uploadstest.CameraMake, uploadstest.CameraModel, "Orientation", "[IFD0]"} {
			if strings.Contains(out, bad) {
				t.Errorf("exiftool finds %q in %s:\n%s", bad, what, out)
			}
		}
	}
}

// normalizeIDs blanks the request id a page may show, so two 404 pages
// can be compared.
func normalizeIDs(b []byte) []byte {
	return regexp.MustCompile(`[0-9a-f]{12}|[a-z2-7]{26}`).ReplaceAll(b, []byte("ID"))
}

func decodedSize(t *testing.T, b []byte) (int, int) {
	t.Helper()
	cfg, _, err := image.DecodeConfig(bytes.NewReader(b))
	if err != nil {
		t.Fatalf("decode: %v", err)
	}
	return cfg.Width, cfg.Height
}

// TestUploadsStripGPSOverHTTP sends real JPEGs carrying GPS position,
// camera make and model and Orientation 6 through the avatar and post
// picture endpoints (pages and API), and checks that neither the stored
// file nor what is served carries any of it, that the pictures were turned
// upright, that bombs and HEIC photos are refused kindly, and that only
// the people who may see a picture get it. Run it with
// KINDRED_TEST_STORE=postgres for PostgreSQL.
func TestUploadsStripGPSOverHTTP(t *testing.T) {
	env := kindredtest.New(t)
	admin := env.Account(t, "admin", kindred.AgeAdult)
	alex := env.Account(t, "alex", kindred.AgeAdult)
	bea := env.Account(t, "bea", kindred.AgeAdult) // in the organisation, not in the private group
	cleo := env.Account(t, "cleo", kindred.AgeAdult)
	o := env.Org(t, admin, "centre", kindred.JoinOpen)
	env.Member(t, o, alex, 0, kindred.StatusActive)
	env.Member(t, o, bea, 0, kindred.StatusActive)
	g := env.Group(t, o, "circle", kindred.VisibilityPrivate, kindred.AgeAny, admin)
	env.GroupMember(t, g, alex, kindred.StatusActive)
	ac, bc, cc, vc := env.Client(t, alex), env.Client(t, bea), env.Client(t, cleo), env.Visitor(t)
	photo := uploadstest.GPSJPEG(t, 600, 300, 6)
	if len(uploadstest.Problems(photo)) == 0 {
		t.Fatal("the test photo carries no metadata")
	}
	if out, ok := uploadstest.Exiftool(t, photo); ok {
		if !strings.Contains(out, "GPS Latitude") || !strings.Contains(out, uploadstest.CameraModel) {
			t.Fatalf("exiftool sees no GPS or camera in the test photo:\n%s", out)
		}
	} else {
		t.Log("exiftool is not installed; checking the bytes only")
	}
	storedFile := func(id string) []byte {
		t.Helper()
		u, err := env.Store.FindUpload(t.Context(), id)
		if err != nil {
			t.Fatal(err)
		}
		b, err := os.ReadFile(filepath.Join(env.UploadsDir, u.File))
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	missingFor := func(c *kindredtest.Client) []byte {
		_, _, b := fetch(t, c, "/uploads/"+kindred.NewID())
		return b
	}

	var postID string
	t.Run("post picture", func(t *testing.T) {
		st, _, body := uploadAs(t, ac, http.MethodPost, "/o/centre/g/circle/uploads", photo, "", "description", "the view from my window")
		if st != http.StatusCreated {
			t.Fatalf("upload: %d\n%s", st, body)
		}
		m := regexp.MustCompile(`!\[the view from my window\]\(/uploads/([a-z2-7]{26})\)`).FindStringSubmatch(body)
		if m == nil {
			t.Fatalf("the page shows no snippet to paste:\n%s", body)
		}
		postID = m[1]
		stored := storedFile(postID)
		checkClean(t, "the stored file", stored)
		st, h, served := fetch(t, ac, "/uploads/"+postID)
		if st != http.StatusOK || !bytes.Equal(served, stored) {
			t.Fatalf("serve: %d, %d bytes (stored %d)", st, len(served), len(stored))
		}
		checkClean(t, "the served picture", served)
		if h.Get("Content-Type") != "image/jpeg" || h.Get("X-Content-Type-Options") != "nosniff" ||
			!strings.Contains(h.Get("Cache-Control"), "no-store") {
			t.Errorf("headers: %v", h)
		}
		if w, hgt := decodedSize(t, served); w != 300 || hgt != 600 {
			t.Errorf("served %d×%d; want 300×600 (turned upright)", w, hgt)
		}
		// Who may see it: the group's readers only; everyone else gets the
		// same answer as for a picture that never existed.
		for name, c := range map[string]*kindredtest.Client{"a member outside the group": bc, "an outsider": cc, "a visitor": vc} {
			st, _, b := fetch(t, c, "/uploads/"+postID)
			if st != http.StatusNotFound {
				t.Errorf("%s got %d", name, st)
			}
			if !bytes.Equal(normalizeIDs(b), normalizeIDs(missingFor(c))) {
				t.Errorf("%s sees a different 404 from a missing picture's", name)
			}
		}
		if st, _ := bc.Get("/o/centre/g/circle/uploads"); st != http.StatusNotFound && st != http.StatusForbidden {
			t.Errorf("bea opened the private group's upload page: %d", st)
		}
	})

	t.Run("post picture from the script", func(t *testing.T) {
		st, _, body := uploadAs(t, ac, http.MethodPost, "/o/centre/g/circle/uploads", photo, "application/json", "description", "a [tricky] one")
		var res struct{ ID, URL, Markdown string }
		if st != http.StatusCreated || json.Unmarshal([]byte(body), &res) != nil {
			t.Fatalf("upload: %d %s", st, body)
		}
		if res.Markdown != `![a \[tricky\] one](/uploads/`+res.ID+`)` {
			t.Errorf("markdown = %q", res.Markdown)
		}
		checkClean(t, "the stored file", storedFile(res.ID))
		// The snippet, posted, shows the picture to the group.
		st, _ = ac.Post("/o/centre/g/circle/threads", url.Values{"kind": {"story"}, "title": {"Window"}, "body": {"Look: " + res.Markdown}})
		if st != http.StatusSeeOther {
			t.Fatalf("post: %d", st)
		}
		_, page := ac.Get("/o/centre/g/circle")
		th := regexp.MustCompile(`/o/centre/g/circle/t/[a-z2-7]+`).FindString(page)
		_, page = ac.Get(th)
		mustContain(t, page, `<img src="/uploads/`+res.ID+`" alt="a [tricky] one" loading="lazy">`)
	})

	t.Run("avatar", func(t *testing.T) {
		st, _, body := uploadAs(t, ac, http.MethodPost, "/settings/avatar", photo, "")
		if st != http.StatusSeeOther {
			t.Fatalf("avatar: %d\n%s", st, body)
		}
		av, err := env.Store.FindAvatars(t.Context(), []string{alex.ID})
		if err != nil || av[alex.ID] == nil {
			t.Fatalf("no avatar stored: %v", err)
		}
		id := av[alex.ID].ID
		checkClean(t, "the stored avatar", storedFile(id))
		st, _, served := fetch(t, ac, "/uploads/"+id)
		if st != http.StatusOK {
			t.Fatalf("serve: %d", st)
		}
		checkClean(t, "the served avatar", served)
		if w, h := decodedSize(t, served); w != 300 || h != 300 {
			t.Errorf("avatar %d×%d; want the centred 300×300 square", w, h)
		}
		// Turned upright: the stored picture's left (red) half is on top.
		img, _, err := image.Decode(bytes.NewReader(served))
		if err != nil {
			t.Fatal(err)
		}
		if r, _, b, _ := img.At(150, 20).RGBA(); r < 2*b {
			t.Errorf("the avatar was not turned: top is %v", img.At(150, 20))
		}
		// People in the same organisation see it; others do not.
		if st, _, _ := fetch(t, bc, "/uploads/"+id); st != http.StatusOK {
			t.Errorf("bea (same organisation) got %d", st)
		}
		if st, _, b := fetch(t, cc, "/uploads/"+id); st != http.StatusNotFound || !bytes.Equal(normalizeIDs(b), normalizeIDs(missingFor(cc))) {
			t.Errorf("cleo (no shared organisation) got %d", st)
		}
		_, page := ac.Get("/settings/avatar")
		mustContain(t, page, `src="/uploads/`+id+`"`)
		_, page = ac.Get("/profile")
		mustContain(t, page, `src="/uploads/`+id+`"`)
		// Replacing it removes the old file.
		old := filepath.Join(env.UploadsDir, av[alex.ID].File)
		if st, _, _ := uploadAs(t, ac, http.MethodPost, "/settings/avatar", uploadstest.GPSJPEG(t, 64, 64, 1), ""); st != http.StatusSeeOther {
			t.Fatalf("second avatar: %d", st)
		}
		if _, err := os.Stat(old); !os.IsNotExist(err) {
			t.Errorf("the replaced avatar's file is still there: %v", err)
		}
	})

	t.Run("API", func(t *testing.T) {
		st, _, body := uploadAs(t, ac, http.MethodPut, "/api/v1/me/avatar", photo, "")
		var av struct {
			ID            string
			Width, Height int
		}
		if st != http.StatusOK || json.Unmarshal([]byte(body), &av) != nil || av.Width != 300 {
			t.Fatalf("setAvatar: %d %s", st, body)
		}
		checkClean(t, "the API's stored avatar", storedFile(av.ID))
		st, _, body = uploadAs(t, ac, http.MethodPost, "/api/v1/organizations/centre/groups/circle/uploads", photo, "", "description", "api picture")
		var up struct {
			ID, Markdown  string
			Width, Height int
		}
		if st != http.StatusCreated || json.Unmarshal([]byte(body), &up) != nil || up.Width != 300 || up.Height != 600 {
			t.Fatalf("uploadImage: %d %s", st, body)
		}
		checkClean(t, "the API's stored picture", storedFile(up.ID))
		if st, _, _ := uploadAs(t, bc, http.MethodPost, "/api/v1/organizations/centre/groups/circle/uploads", photo, "", "description", "x"); st != http.StatusNotFound && st != http.StatusForbidden {
			t.Errorf("bea uploaded to a group she is not in: %d", st)
		}
		if st, _ := bc.Do(http.MethodDelete, "/api/v1/uploads/"+up.ID, nil); st != http.StatusNotFound {
			t.Errorf("bea deleted alex's picture: %d", st)
		}
		if st, _ := ac.Do(http.MethodDelete, "/api/v1/uploads/"+up.ID, nil); st != http.StatusNoContent {
			t.Errorf("deleteUpload: %d", st)
		}
		if st, _, _ := fetch(t, ac, "/uploads/"+up.ID); st != http.StatusNotFound {
			t.Errorf("a deleted picture is still served: %d", st)
		}
		if st, _ := ac.Do(http.MethodDelete, "/api/v1/me/avatar", nil); st != http.StatusNoContent {
			t.Errorf("deleteAvatar: %d", st)
		}
		if st, _, _ := fetch(t, ac, "/uploads/"+av.ID); st != http.StatusNotFound {
			t.Errorf("a removed avatar is still served: %d", st)
		}
	})

	t.Run("refused kindly", func(t *testing.T) {
		for _, tc := range []struct {
			name string
			file []byte
			code int
			msg  string
		}{
			{"decompression bomb", uploadstest.Bomb(t, 60_000, 60_000), http.StatusRequestEntityTooLarge, "too large"},
			{"HEIC", uploadstest.HEIC(), http.StatusUnprocessableEntity, "We can&#39;t read HEIC photos yet: please choose JPEG or PNG"},
		} {
			for _, path := range []string{"/settings/avatar", "/o/centre/g/circle/uploads"} {
				st, _, body := uploadAs(t, ac, http.MethodPost, path, tc.file, "", "description", "kept description")
				if st != tc.code || !strings.Contains(body, tc.msg) {
					t.Errorf("%s to %s: %d; want %d saying %q", tc.name, path, st, tc.code, tc.msg)
				}
				if path != "/settings/avatar" && !strings.Contains(body, `value="kept description"`) {
					t.Errorf("%s to %s: the description typed was lost", tc.name, path)
				}
			}
		}
		big := bytes.Repeat([]byte{0xFF}, 9<<20)
		if st, _, body := uploadAs(t, ac, http.MethodPost, "/settings/avatar", big, ""); st != http.StatusRequestEntityTooLarge || !strings.Contains(body, "too large") {
			t.Errorf("9 MiB: %d", st)
		}
		if st, _, _ := uploadAs(t, ac, http.MethodPost, "/o/centre/g/circle/uploads", photo, "", "description", ""); st != http.StatusUnprocessableEntity {
			t.Errorf("no description: %d", st)
		}
	})

	t.Run("erasing the account's files", func(t *testing.T) {
		if err := env.Services.Uploads.EraseAccountFiles(t.Context(), alex.ID); err != nil {
			t.Fatal(err)
		}
		if _, err := os.Stat(filepath.Join(env.UploadsDir, alex.ID)); !os.IsNotExist(err) {
			t.Errorf("alex's upload folder survived: %v", err)
		}
	})
}
