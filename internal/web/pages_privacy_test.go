package web_test

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kindred"
	"kindred/internal/kindredtest"
	"kindred/internal/privacy"
)

func TestDataPageDownloadAndDelete(t *testing.T) {
	t.Parallel()
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	admin := env.Account(t, "admin", kindred.AgeAdult)
	rosa := env.Account(t, "rosa", kindred.AgeYouth)
	org := env.Org(t, admin, "harbour", kindred.JoinOpen)
	env.Member(t, org, rosa, kindred.RoleMember, kindred.StatusActive)
	g := env.Group(t, org, "circle", kindred.VisibilityPublic, kindred.AgeAny, admin)
	env.GroupMember(t, g, rosa, kindred.StatusActive)
	th, _ := env.Thread(t, g, rosa, "Rosa's own story")
	c := env.Client(t, rosa)

	st, body := c.Get("/settings/data")
	if st != http.StatusOK {
		t.Fatalf("GET /settings/data: %d", st)
	}
	mustContain(t, body, "<h1>Your data</h1>", `action="/settings/data/export"`, `action="/settings/data/delete"`,
		`name="password"`, `name="confirm"`, privacy.ConfirmPhrase, "audit log keeps its entries")

	// The download is a zip sent as an attachment that nothing caches.
	res, zipBody := rawDo(t, c, http.MethodPost, "/settings/data/export", nil, "application/x-www-form-urlencoded")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/zip" ||
		!strings.HasPrefix(res.Header.Get("Content-Disposition"), `attachment; filename="kindred-data-`) ||
		!strings.Contains(res.Header.Get("Cache-Control"), "no-store") {
		t.Fatalf("export: %d %v", res.StatusCode, res.Header)
	}
	zr, err := zip.NewReader(strings.NewReader(zipBody), int64(len(zipBody)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	names := map[string]bool{}
	for _, f := range zr.File {
		names[f.Name] = true
	}
	for _, want := range []string{"index.html", "account.json", "threads.json", "posts.json"} {
		if !names[want] {
			t.Errorf("the zip lacks %s (has %v)", want, names)
		}
	}

	// Mistakes re-render the form with what was typed, except the password.
	st, body = c.Post("/settings/data/delete", url.Values{"password": {"wrong-password-1"}, "confirm": {"delete my acount"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("bad delete: %d", st)
	}
	mustContain(t, body, `class="form-errors"`, `value="delete my acount"`, `aria-invalid="true"`)
	if strings.Contains(body, "wrong-password-1") {
		t.Error("the password was echoed back")
	}
	st, body = c.Post("/settings/data/delete", url.Values{"password": {"wrong-password-1"}, "confirm": {privacy.ConfirmPhrase}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, "That is not your current password.") {
		t.Fatalf("wrong password: %d", st)
	}

	// The real thing: logged out, account erased, the thread gone.
	st, _ = c.Post("/settings/data/delete", url.Values{"password": {kindredtest.Password}, "confirm": {privacy.ConfirmPhrase}})
	if st != http.StatusSeeOther {
		t.Fatalf("delete: %d", st)
	}
	if st, _ := c.Get("/settings"); st != http.StatusSeeOther {
		t.Errorf("still signed in after deleting: %d", st)
	}
	if _, err := env.Store.FindThread(t.Context(), th.ID); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Errorf("her unanswered thread: %v", err)
	}
	if _, err := env.Store.FindAccountByHandle(t.Context(), "rosa"); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Errorf("her handle still finds an account: %v", err)
	}
}

func TestAdminPrivacyPage(t *testing.T) {
	t.Parallel()
	env := kindredtest.New(t)
	admin := env.Account(t, "admin", kindred.AgeAdult)
	org := env.Org(t, admin, "harbour", kindred.JoinOpen)
	c := env.Client(t, admin)

	st, body := c.Get("/o/harbour/admin/privacy")
	if st != http.StatusOK {
		t.Fatalf("GET: %d", st)
	}
	mustContain(t, body, "How long chat is kept", `name="chat_retention_days" value="0" checked`, `value="90"`)
	st, body = c.Post("/o/harbour/admin/privacy", url.Values{"chat_retention_days": {"7"}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, `class="form-errors"`) {
		t.Fatalf("bad value: %d", st)
	}
	st, _ = c.Post("/o/harbour/admin/privacy", url.Values{"chat_retention_days": {"90"}})
	if st != http.StatusSeeOther {
		t.Fatalf("save: %d", st)
	}
	_, body = c.Get("/o/harbour/admin/privacy")
	mustContain(t, body, "Privacy settings saved.", `value="90" checked`)
	set, err := env.Store.FindPrivacySettings(t.Context(), org.ID)
	if err != nil || set.ChatRetentionDays != 90 {
		t.Fatalf("stored %+v %v", set, err)
	}
}

func TestPrivacyAPI(t *testing.T) {
	t.Parallel()
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	admin := env.Account(t, "admin", kindred.AgeAdult)
	env.Org(t, admin, "harbour", kindred.JoinOpen)
	sam := env.Account(t, "sam", kindred.AgeAdult)
	ca, cs := env.Client(t, admin), env.Client(t, sam)

	res, body := rawDo(t, cs, http.MethodPost, "/api/v1/me/export", nil, "")
	if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "application/zip" || !bytes.HasPrefix([]byte(body), []byte("PK")) {
		t.Fatalf("exportMyData: %d %s", res.StatusCode, res.Header.Get("Content-Type"))
	}
	res, body = rawDo(t, ca, http.MethodPut, "/api/v1/organizations/harbour/privacy", []byte(`{"chat_retention_days":30}`), "application/json")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `"chat_retention_days":30`) {
		t.Fatalf("updatePrivacySettings: %d %s", res.StatusCode, body)
	}
	res, body = rawDo(t, ca, http.MethodGet, "/api/v1/organizations/harbour/privacy", nil, "")
	if res.StatusCode != http.StatusOK || !strings.Contains(body, `"chat_retention_days":30`) {
		t.Fatalf("getPrivacySettings: %d %s", res.StatusCode, body)
	}
	res, _ = rawDo(t, cs, http.MethodGet, "/api/v1/organizations/harbour/privacy", nil, "")
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("a non-admin reads privacy settings: %d", res.StatusCode)
	}

	// The only admin is refused; a wrong password is a field error.
	res, body = rawDo(t, ca, http.MethodDelete, "/api/v1/me", []byte(`{"password":"`+kindredtest.Password+`","confirm":"delete my account"}`), "application/json")
	if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "make someone else an admin first") {
		t.Fatalf("last admin: %d %s", res.StatusCode, body)
	}
	res, body = rawDo(t, cs, http.MethodDelete, "/api/v1/me", []byte(`{"password":"nope-nope-nope","confirm":"delete my account"}`), "application/json")
	var e struct {
		Error struct {
			Code   string            `json:"code"`
			Fields map[string]string `json:"fields"`
		} `json:"error"`
	}
	_ = json.Unmarshal([]byte(body), &e)
	if res.StatusCode != http.StatusUnprocessableEntity || e.Error.Fields["password"] == "" {
		t.Fatalf("wrong password: %d %s", res.StatusCode, body)
	}
	res, _ = rawDo(t, cs, http.MethodDelete, "/api/v1/me", []byte(`{"password":"`+kindredtest.Password+`","confirm":"delete my account"}`), "application/json")
	if res.StatusCode != http.StatusNoContent {
		t.Fatalf("deleteMyAccount: %d", res.StatusCode)
	}
	res, _ = rawDo(t, cs, http.MethodGet, "/api/v1/me", nil, "")
	if res.StatusCode != http.StatusUnauthorized {
		t.Errorf("after deleting, /me answers %d", res.StatusCode)
	}
}
