package privacy_test

import (
	"archive/zip"
	"bytes"
	"context"
	"io"
	"strings"
	"testing"
	"time"

	"kindred"
	"kindred/internal/kindredtest"
	"kindred/internal/privacy"
	"kindred/internal/sqlstore"
	"kindred/internal/sqlstore/sqlstoretest"
)

// zipText returns every file of a zip, one after another.
func zipText(t *testing.T, b []byte) string {
	t.Helper()
	files := zipFiles(t, b)
	var all strings.Builder
	for _, f := range files {
		all.WriteString(f)
	}
	return all.String()
}

func zipFiles(t *testing.T, b []byte) map[string]string {
	t.Helper()
	zr, err := zip.NewReader(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("not a zip: %v", err)
	}
	out := map[string]string{}
	for _, f := range zr.File {
		r, err := f.Open()
		must(t, err)
		data, err := io.ReadAll(r)
		must(t, err)
		r.Close()
		out[f.Name] = string(data)
	}
	return out
}

func wantCode(t *testing.T, err error, code string) {
	t.Helper()
	if kindred.ErrorCode(err) != code {
		t.Fatalf("got %v (%s), want %s", err, kindred.ErrorCode(err), code)
	}
}

func TestDeleteAccountRules(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		env := kindredtest.NewWithStore(t, db, kindredtest.Options{Generous: true})
		svc := env.Services.Privacy
		rosa := env.Account(t, "rosa", kindred.AgeAdult)
		sam := env.Account(t, "sam", kindred.AgeAdult)
		org := env.Org(t, rosa, "harbour", kindred.JoinOpen)
		env.Member(t, org, sam, kindred.RoleMember, kindred.StatusActive)

		// Visitors, a wrong password, a missing phrase: nothing happens.
		wantCode(t, svc.DeleteAccount(ctx, nil, kindredtest.Password, privacy.ConfirmPhrase), kindred.EUNAUTHORIZED)
		err := svc.DeleteAccount(ctx, kindredtest.Actor(sam), "not-my-password", privacy.ConfirmPhrase)
		wantCode(t, err, kindred.EINVALID)
		if kindred.ErrorFields(err)["password"] == "" {
			t.Errorf("wrong password: fields %v", kindred.ErrorFields(err))
		}
		err = svc.DeleteAccount(ctx, kindredtest.Actor(sam), kindredtest.Password, "delete")
		wantCode(t, err, kindred.EINVALID)
		if kindred.ErrorFields(err)["confirm"] == "" {
			t.Errorf("no phrase: fields %v", kindred.ErrorFields(err))
		}
		if a, err := db.FindAccount(ctx, sam.ID); err != nil || a.Handle != "sam" {
			t.Fatalf("refused deletions changed the account: %+v %v", a, err)
		}

		// The only admin is asked to hand over first.
		err = svc.DeleteAccount(ctx, kindredtest.Actor(rosa), kindredtest.Password, privacy.ConfirmPhrase)
		wantCode(t, err, kindred.EINVALID)
		if !strings.Contains(kindred.ErrorMessage(err), "make someone else an admin first") || !strings.Contains(kindred.ErrorMessage(err), org.Name) {
			t.Errorf("last admin message: %q", kindred.ErrorMessage(err))
		}
		sole, err := svc.SoleAdminOf(ctx, kindredtest.Actor(rosa))
		must(t, err)
		if len(sole) != 1 || sole[0].ID != org.ID {
			t.Errorf("sole admin of %+v", sole)
		}
		_, err = env.Services.Orgs.SetRoles(ctx, kindredtest.Actor(rosa), org.Slug, sam.ID, kindred.RoleMember|kindred.RoleAdmin)
		must(t, err)

		// Now it works, the phrase in any case and spacing; the session ends.
		secret, err := env.Services.Accounts.StartSession(ctx, rosa.ID, "test")
		must(t, err)
		must(t, svc.DeleteAccount(ctx, kindredtest.Actor(rosa), kindredtest.Password, "  Delete  my ACCOUNT "))
		if a, err := env.Services.Accounts.SessionActor(ctx, secret); err != nil || a != nil {
			t.Error("the session still works after deletion")
		}
		a, err := db.FindAccount(ctx, rosa.ID)
		must(t, err)
		if a.Handle == "rosa" || a.PasswordHash != "" {
			t.Errorf("account after deletion: %+v", a)
		}
		if _, _, err := env.Services.Accounts.LogIn(ctx, "rosa", kindredtest.Password, "c", "l"); err == nil {
			t.Error("logging in as the deleted account still works")
		}
		// The deletion is audited, by id only.
		entries, err := db.ListAudit(ctx, kindred.AuditFilter{})
		must(t, err)
		var found bool
		for _, e := range entries {
			if e.Action == "account.erase" {
				found = e.Target == rosa.ID && e.Detail == ""
			}
		}
		if !found {
			t.Error("no account.erase audit entry")
		}
	})
}

func TestExportHoldsEachArea(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		env := kindredtest.NewWithStore(t, db, kindredtest.Options{Generous: true})
		rosa := env.Account(t, "rosa", kindred.AgeAdult)
		org := env.Org(t, rosa, "harbour", kindred.JoinOpen)
		g := env.Group(t, org, "circle", kindred.VisibilityPublic, kindred.AgeAny, rosa)
		env.Thread(t, g, rosa, "A thread of mine")
		me := kindredtest.Actor(rosa)
		_, _, err := env.Services.Accounts.CreateToken(ctx, me, "my script")
		must(t, err)
		_, err = env.Services.Safety.SavePlan(ctx, me, kindred.SafetyPlan{Coping: "Walk the dog"})
		must(t, err)

		_, err = env.Services.Privacy.Export(ctx, nil)
		wantCode(t, err, kindred.EUNAUTHORIZED)
		ex, err := env.Services.Privacy.Export(ctx, me)
		must(t, err)
		if !strings.HasSuffix(ex.Filename, ".zip") {
			t.Errorf("file name %q", ex.Filename)
		}
		files := zipFiles(t, ex.Zip)
		for _, a := range []string{"account", "memberships", "groups", "threads", "posts", "reactions", "rsvps", "chat_messages",
			"conversations", "support_requests", "support_conversations", "support_feedback", "support_debriefs", "support_escalations",
			"supporter_profiles", "support_shifts", "training_progress", "certifications", "safety_plan", "sessions", "api_tokens", "blocks"} {
			if _, ok := files[a+".json"]; !ok {
				t.Errorf("no %s.json in the export", a)
			}
		}
		for file, want := range map[string]string{"account.json": `"handle": "rosa"`, "threads.json": "A thread of mine",
			"posts.json": "Opening words", "api_tokens.json": "my script", "safety_plan.json": "Walk the dog",
			"memberships.json": `"admin"`, "index.html": "Walk the dog"} {
			if !strings.Contains(files[file], want) {
				t.Errorf("%s lacks %q:\n%s", file, want, files[file])
			}
		}
		idx := files["index.html"]
		for _, bad := range []string{"http://", "https://", "<script", "src="} {
			if strings.Contains(idx, bad) {
				t.Errorf("index.html is not self-contained: it holds %q", bad)
			}
		}
		if strings.Contains(zipText(t, ex.Zip), rosa.PasswordHash) {
			t.Error("the export holds the password hash")
		}
		entries, err := db.ListAudit(ctx, kindred.AuditFilter{})
		must(t, err)
		var found bool
		for _, e := range entries {
			found = found || (e.Action == "account.export" && e.Target == rosa.ID)
		}
		if !found {
			t.Error("the export is not audited")
		}

		// A tiny bound refuses kindly instead of sending half a file.
		small := privacy.New(db, privacy.Options{MaxExportBytes: 100})
		_, err = small.Export(ctx, me)
		wantCode(t, err, kindred.ETOOLARGE)
	})
}

func TestChatRetention(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		env := kindredtest.NewWithStore(t, db, kindredtest.Options{Generous: true})
		admin := env.Account(t, "admin", kindred.AgeAdult)
		bo := env.Account(t, "bo", kindred.AgeAdult)
		org := env.Org(t, admin, "harbour", kindred.JoinOpen)
		env.Member(t, org, bo, kindred.RoleMember, kindred.StatusActive)

		// Only admins; only the offered periods.
		_, err := env.Services.Privacy.Settings(ctx, kindredtest.Actor(bo), org.Slug)
		wantCode(t, err, kindred.EFORBIDDEN)
		_, err = env.Services.Privacy.SaveSettings(ctx, kindredtest.Actor(admin), org.Slug, 7)
		wantCode(t, err, kindred.EINVALID)
		_, err = env.Services.Privacy.Settings(ctx, kindredtest.Actor(admin), "nowhere")
		wantCode(t, err, kindred.ENOTFOUND)

		room, err := env.Services.Live.OpenConversation(ctx, kindredtest.Actor(admin), org.Slug, "bo")
		must(t, err)
		old := &kindred.ChatMessage{RoomID: room.ID, Kind: kindred.MessageText, AuthorID: bo.ID, Body: "from long ago",
			CreatedAt: time.Now().AddDate(0, 0, -40)}
		must(t, db.CreateChatMessage(ctx, old))
		_, err = env.Services.Live.Send(ctx, kindredtest.Actor(bo), room.ID, kindred.ChatDraft{Body: "from today"})
		must(t, err)

		// Kept forever by default.
		n, err := env.Services.Privacy.SweepChat(ctx)
		must(t, err)
		if n != 0 {
			t.Errorf("swept %d with no retention set", n)
		}
		op, err := env.Services.Privacy.SaveSettings(ctx, kindredtest.Actor(admin), org.Slug, 30)
		must(t, err)
		if op.Settings.ChatRetentionDays != 30 {
			t.Errorf("saved %+v", op.Settings)
		}
		n, err = env.Services.Privacy.SweepChat(ctx)
		must(t, err)
		if n != 1 {
			t.Errorf("swept %d, want 1", n)
		}
		msgs, err := db.ListChatMessages(ctx, kindred.ChatFilter{RoomID: room.ID})
		must(t, err)
		if len(msgs) != 1 || msgs[0].Body != "from today" {
			t.Errorf("left: %+v", msgs)
		}
		set, err := env.Services.Privacy.PrivacySettings(ctx, org.ID)
		must(t, err)
		if set.ChatRetentionDays != 30 {
			t.Errorf("public settings %+v", set)
		}
	})
}
