package web_test

// The authorization matrix for images (pages_uploads.go, api_uploads.go)
// and the audited reveal of an anonymous author. Uploading takes the
// multipart body the matrix cannot send, so a person allowed to upload gets
// 422 ("choose a picture"): what matters here is that everyone else is
// refused before the body is looked at. A picture is served to the readers
// of the group it was uploaded to; to everyone else, visitors included, it
// looks missing.

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"kindred"
	"kindred/internal/uploads/uploadstest"
)

// mxPicture is a picture host uploaded to rainbow's public group, made once.
func mxPicture(t testing.TB, w *mxWorld) string {
	t.Helper()
	once, _ := w.fixtures.LoadOrStore("uploads.once", new(sync.Once))
	once.(*sync.Once).Do(func() {
		u, _, err := w.env.Services.Uploads.UploadImage(context.Background(), &kindred.Actor{Account: w.host},
			w.org.Slug, w.groups[kindPublic].Slug, uploadstest.GPSJPEG(t, 20, 10, 6), "a test picture")
		if err != nil {
			t.Errorf("upload the matrix's picture: %v", err)
			return
		}
		w.fixtures.Store("uploads.picture", u.ID)
	})
	id, ok := w.fixtures.Load("uploads.picture")
	if !ok {
		t.Fatal("the matrix's picture could not be made; see the first failure")
	}
	return id.(string)
}

// pictureID is the picture's id once made (setup makes it before build).
func pictureID(w *mxWorld) string {
	if id, ok := w.fixtures.Load("uploads.picture"); ok {
		return id.(string)
	}
	return kindred.NewID()
}

// mxAnonymousPost makes, once per group, an anonymous reply by host.
func mxAnonymousPost(t testing.TB, w *mxWorld, c *mxCell) {
	t.Helper()
	key := "uploads.anon." + c.group.ID
	once, _ := w.fixtures.LoadOrStore(key+".once", new(sync.Once))
	once.(*sync.Once).Do(func() {
		p := &kindred.Post{ID: kindred.NewID(), ThreadID: w.threads[c.kind], AuthorID: w.host.ID, Anonymous: true,
			Body: "anonymous words", BodyHTML: "<p>anonymous words</p>", CreatedAt: time.Now().UTC()}
		if err := w.env.Store.CreatePost(context.Background(), p); err != nil {
			t.Errorf("anonymous post: %v", err)
			return
		}
		w.fixtures.Store(key, p.ID)
	})
}

// anonPostOf is the cell's anonymous post when one was made, else its post.
func anonPostOf(w *mxWorld, c *mxCell) string {
	if id, ok := w.fixtures.Load("uploads.anon." + c.group.ID); ok && c.post == w.posts[c.kind] {
		return id.(string)
	}
	return c.post
}

// seesPicture: the public group's readers are rainbow's active members.
func seesPicture(c *mxCell) mxOutcome {
	if c.signedIn() && c.orgActive() {
		return mxAllowed
	}
	return mxHidden
}

// uploadExpect: allowed uploaders get 422 for the missing picture.
func uploadExpect(c *mxCell) mxOutcome {
	if o := mxExpect(mxGroupPost, c); o != mxAllowed {
		return o
	}
	return mxOther
}

func signedInButEmpty(c *mxCell) mxOutcome {
	if !c.signedIn() {
		return mxLogIn
	}
	return mxOther
}

func mxUploadsMatrix() map[string]mxEntry {
	return map[string]mxEntry{
		"GET /settings/avatar":         {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return get("/settings/avatar") }},
		"POST /settings/avatar":        {class: mxSignedIn, expect: signedInButEmpty, build: func(w *mxWorld, c *mxCell) mxRequest { return postForm("/settings/avatar") }},
		"POST /settings/avatar/remove": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return postForm("/settings/avatar/remove") }},
		"GET /o/{org}/g/{group}/uploads": {class: mxGroupPost, scope: mxGroup, build: func(w *mxWorld, c *mxCell) mxRequest {
			return get(groupURL(c) + "/uploads")
		}},
		"POST /o/{org}/g/{group}/uploads": {class: mxGroupPost, scope: mxGroup, expect: uploadExpect, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(groupURL(c)+"/uploads", "description", "a picture")
		}},
		"GET /uploads/{id}": {class: mxSignedIn, expect: seesPicture,
			setup: func(t testing.TB, w *mxWorld, c *mxCell) { mxPicture(t, w) },
			build: func(w *mxWorld, c *mxCell) mxRequest { return get("/uploads/" + pictureID(w)) }},
		"POST /uploads/{id}/delete": {class: mxSignedIn, expect: func(c *mxCell) mxOutcome {
			if !c.signedIn() {
				return mxLogIn
			}
			if seesPicture(c) == mxAllowed {
				return mxForbidden // only its uploader may delete it
			}
			return mxHidden
		}, setup: func(t testing.TB, w *mxWorld, c *mxCell) { mxPicture(t, w) },
			build: func(w *mxWorld, c *mxCell) mxRequest { return postForm("/uploads/" + pictureID(w) + "/delete") }},
		"POST /o/{org}/g/{group}/p/{post}/reveal": {class: mxGroupRead, scope: mxGroup, expect: func(c *mxCell) mxOutcome {
			if o := mxExpect(mxGroupRead, c); o != mxAllowed {
				return o
			}
			if c.oversees() {
				return mxAllowed // audited
			}
			return mxForbidden
		}, setup: mxAnonymousPost, build: func(w *mxWorld, c *mxCell) mxRequest {
			return postForm(groupURL(c) + "/p/" + anonPostOf(w, c) + "/reveal")
		}},
		"POST /api/v1/organizations/{org}/groups/{group}/uploads": {class: mxGroupPost, scope: mxGroup, expect: uploadExpect, build: func(w *mxWorld, c *mxCell) mxRequest {
			return api(http.MethodPost, apiGroup(c)+"/uploads", nil)
		}},
		"DELETE /api/v1/uploads/{id}": {class: mxSignedIn, expect: func(c *mxCell) mxOutcome {
			if !c.signedIn() {
				return mxLogIn
			}
			if seesPicture(c) == mxAllowed {
				return mxForbidden
			}
			return mxHidden
		}, setup: func(t testing.TB, w *mxWorld, c *mxCell) { mxPicture(t, w) },
			build: func(w *mxWorld, c *mxCell) mxRequest { return api(http.MethodDelete, "/uploads/"+pictureID(w), nil) }},
		"PUT /api/v1/me/avatar":    {class: mxSignedIn, expect: signedInButEmpty, build: func(w *mxWorld, c *mxCell) mxRequest { return api(http.MethodPut, "/me/avatar", nil) }},
		"DELETE /api/v1/me/avatar": {class: mxSignedIn, build: func(w *mxWorld, c *mxCell) mxRequest { return api(http.MethodDelete, "/me/avatar", nil) }},
	}
}
