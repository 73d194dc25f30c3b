package sqlstore

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"kindred"
)

// privacyContract lists the data rights and retention contract cases.
var privacyContract = []struct {
	name string
	fn   func(t *testing.T, db *DB)
}{
	{"ExportAccount", testExportAccount},
	{"EraseAccount", testEraseAccount},
	{"SoleAdminOrganizations", testSoleAdminOrganizations},
	{"PrivacySettings", testPrivacySettings},
	{"DeleteChatBefore", testDeleteChatBefore},
}

// privacyWorld is Rosa, whose account is exported or erased, and Sam, who
// talks with her.
type privacyWorld struct {
	rosa, sam *kindred.Account
	org       *kindred.Organization
	group     *kindred.Group
	// Rosa's thread Sam replied to, and her thread nobody answered.
	answered, lonely *kindred.Thread
	samsThread       *kindred.Thread
	samsReply        *kindred.Post // in Rosa's thread
	rosasReply       *kindred.Post // in Sam's thread
	room             *kindred.Room
}

func newPrivacyWorld(t *testing.T, db *DB) *privacyWorld {
	ctx := t.Context()
	w := &privacyWorld{}
	w.rosa = newAccount(t, db, "rosa", "Rosa Marker")
	w.sam = newAccount(t, db, "sam", "Sam")
	w.org = newOrg(t, db, "harbour", "Harbour", w.sam)
	newMember(t, db, w.org, w.rosa, "Rosa in Harbour")
	w.group = newGroup(t, db, w.org, "circle", "Circle", w.sam)
	must(t, db.CreateGroupMember(ctx, &kindred.GroupMember{GroupID: w.group.ID, AccountID: w.rosa.ID,
		Role: kindred.GroupRoleMember, Status: kindred.StatusActive, CreatedAt: base}))
	w.answered, _ = newThread(t, db, w.group, w.rosa, "rosa-title-answered", at(1))
	w.samsReply = newReply(t, db, w.answered, w.sam, "sam replies kindly", at(2))
	w.lonely, _ = newThread(t, db, w.group, w.rosa, "rosa-title-lonely", at(3))
	w.samsThread, _ = newThread(t, db, w.group, w.sam, "sam's own thread", at(4))
	w.rosasReply = newReply(t, db, w.samsThread, w.rosa, "rosa-reply-body", at(5))
	must(t, db.AddReaction(ctx, &kindred.Reaction{PostID: w.samsReply.ID, AccountID: w.rosa.ID, Kind: kindred.ReactionKind("thank_you"), CreatedAt: at(6)}))
	w.room = newConversation(t, db, w.org, at(7), w.rosa, w.sam)
	for i, m := range []struct {
		who  *kindred.Account
		body string
	}{{w.rosa, "rosa-chat-1"}, {w.sam, "sam chat answer"}, {w.rosa, "rosa-chat-2"}} {
		must(t, db.CreateChatMessage(ctx, &kindred.ChatMessage{RoomID: w.room.ID, Kind: kindred.MessageText, AuthorID: m.who.ID,
			Body: m.body, HTML: "<p>" + m.body + "</p>", CreatedAt: at(8 + i)}))
	}
	must(t, db.SaveSafetyPlan(ctx, &kindred.SafetyPlan{AccountID: w.rosa.ID, Coping: "rosa-coping", SharedWith: w.sam.ID}))
	must(t, db.SaveSafetyPlan(ctx, &kindred.SafetyPlan{AccountID: w.sam.ID, People: "sam's people", SharedWith: w.rosa.ID}))
	must(t, db.CreateToken(ctx, &kindred.Token{AccountID: w.rosa.ID, Name: "rosa-token-name", Hash: "h-rosa", CreatedAt: base}))
	must(t, db.CreateSession(ctx, &kindred.Session{ID: "s-rosa", AccountID: w.rosa.ID, Label: "Firefox", CreatedAt: base,
		LastSeenAt: base, ExpiresAt: time.Now().Add(time.Hour)}))
	must(t, db.CreateBlock(ctx, &kindred.Block{AccountID: w.rosa.ID, BlockedID: w.sam.ID, CreatedAt: base}))
	return w
}

func testExportAccount(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newPrivacyWorld(t, db)
	ex, err := db.ExportAccount(ctx, w.rosa.ID)
	must(t, err)
	wantEqual(t, "account id", ex.AccountID, w.rosa.ID)
	acc := ex.Section("account")
	if acc == nil || len(acc.Records) != 1 || acc.Records[0]["handle"] != "rosa" || acc.Records[0]["display_name"] != "Rosa Marker" {
		t.Fatalf("account section: %+v", acc)
	}
	if _, ok := acc.Records[0]["password_hash"]; ok {
		t.Error("the export holds the password hash")
	}
	count := func(name string) int {
		s := ex.Section(name)
		if s == nil {
			t.Fatalf("no %s section", name)
		}
		return len(s.Records)
	}
	for name, want := range map[string]int{"memberships": 1, "groups": 1, "threads": 2, "posts": 3, "reactions": 1,
		"chat_messages": 2, "conversations": 1, "safety_plan": 1, "sessions": 1, "api_tokens": 1, "blocks": 1,
		"support_requests": 0, "training_progress": 0} {
		if got := count(name); got != want {
			t.Errorf("%s: %d records, want %d", name, got, want)
		}
	}
	// Only what Rosa wrote: Sam's reply and chat are not in her export,
	// nor is the token's secret.
	b, err := json.Marshal(ex.Sections)
	must(t, err)
	for _, other := range []string{"sam replies kindly", "sam chat answer", "sam's people", "h-rosa"} {
		if strings.Contains(string(b), other) {
			t.Errorf("the export holds %q", other)
		}
	}
	for _, own := range []string{"rosa-title-answered", "rosa-reply-body", "rosa-chat-2", "rosa-coping", "rosa-token-name", "Rosa in Harbour"} {
		if !strings.Contains(string(b), own) {
			t.Errorf("the export lacks %q", own)
		}
	}
	if ts, ok := ex.Section("posts").Records[0]["created_at"].(time.Time); !ok || ts.IsZero() {
		t.Errorf("times are not times: %#v", ex.Section("posts").Records[0]["created_at"])
	}
	_, err = db.ExportAccount(ctx, "nobody")
	wantCode(t, err, kindred.ENOTFOUND)
}

func testEraseAccount(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newPrivacyWorld(t, db)
	res, err := db.EraseAccount(ctx, w.rosa.ID, at(60))
	must(t, err)
	if len(res.Partners) != 0 {
		t.Errorf("partners %v with no support match", res.Partners)
	}

	// The account is a tombstone.
	a, err := db.FindAccount(ctx, w.rosa.ID)
	must(t, err)
	if !strings.HasPrefix(a.Handle, "former_") || a.Pronouns != "" || a.Bio != "" || a.Email != "" || a.PasswordHash != "" || a.SuspendedAt == nil {
		t.Errorf("tombstone keeps something: %+v", a)
	}
	_, err = db.FindAccountByHandle(ctx, "rosa")
	wantCode(t, err, kindred.ENOTFOUND)

	// Her unanswered thread is gone; the answered one keeps Sam's reply
	// under a neutral title, with her opening post blanked.
	_, err = db.FindThread(ctx, w.lonely.ID)
	wantCode(t, err, kindred.ENOTFOUND)
	th, err := db.FindThread(ctx, w.answered.ID)
	must(t, err)
	wantEqual(t, "title", th.Title, erasedTitle)
	posts, err := db.ListPosts(ctx, kindred.PostFilter{ThreadID: w.answered.ID})
	must(t, err)
	if len(posts) != 2 || posts[0].Body != "" || posts[0].DeletedAt == nil || posts[1].Body != "sam replies kindly" {
		t.Errorf("posts after erasure: %+v", posts)
	}
	p, err := db.FindPost(ctx, w.rosasReply.ID)
	must(t, err)
	if p.Body != "" || p.BodyHTML != "" || p.DeletedAt == nil {
		t.Errorf("her reply in Sam's thread: %+v", p)
	}
	sums, err := db.SummarizeReactions(ctx, []string{w.samsReply.ID}, "")
	must(t, err)
	if s := sums[w.samsReply.ID]; s != nil && len(s.Counts) != 0 {
		t.Errorf("her reaction stayed: %+v", s)
	}

	// Chat: her messages are deleted, Sam's stay.
	msgs, err := db.ListChatMessages(ctx, kindred.ChatFilter{RoomID: w.room.ID})
	must(t, err)
	if len(msgs) != 1 || msgs[0].Body != "sam chat answer" {
		t.Errorf("chat after erasure: %+v", msgs)
	}

	// Her plan is gone; Sam's plan is private again.
	_, err = db.FindSafetyPlan(ctx, w.rosa.ID)
	wantCode(t, err, kindred.ENOTFOUND)
	sp, err := db.FindSafetyPlan(ctx, w.sam.ID)
	must(t, err)
	wantEqual(t, "Sam's plan shared with", sp.SharedWith, "")
	wantEqual(t, "Sam's plan", sp.People, "sam's people")

	// Sessions, tokens, blocks and memberships end.
	toks, err := db.ListTokens(ctx, w.rosa.ID)
	must(t, err)
	wantEqual(t, "tokens", len(toks), 0)
	_, _, err = db.FindSession(ctx, "s-rosa", time.Now())
	wantCode(t, err, kindred.ENOTFOUND)
	blocked, err := db.BlockedWith(ctx, w.sam.ID)
	must(t, err)
	wantEqual(t, "blocks", len(blocked), 0)
	_, err = db.FindMembership(ctx, w.org.ID, w.rosa.ID)
	wantCode(t, err, kindred.ENOTFOUND)

	// What is left to export holds nothing she wrote.
	ex, err := db.ExportAccount(ctx, w.rosa.ID)
	must(t, err)
	b, _ := json.Marshal(ex.Sections)
	for _, marker := range []string{"rosa-", "Rosa"} {
		if strings.Contains(string(b), marker) {
			t.Errorf("after erasure the account still holds %q: %s", marker, b)
		}
	}

	// Erasing again is harmless; erasing nobody is ENOTFOUND.
	_, err = db.EraseAccount(ctx, w.rosa.ID, at(61))
	must(t, err)
	_, err = db.EraseAccount(ctx, "nobody", at(61))
	wantCode(t, err, kindred.ENOTFOUND)
}

func testSoleAdminOrganizations(t *testing.T, db *DB) {
	ctx := t.Context()
	ana := newAccount(t, db, "ana", "Ana")
	bo := newAccount(t, db, "bo", "Bo")
	solo := newOrg(t, db, "solo", "Solo", ana)
	shared := newOrg(t, db, "shared", "Shared", ana)
	newMember(t, db, shared, bo, "")
	_, err := db.UpdateMembership(ctx, shared.ID, bo.ID, kindred.MembershipUpdate{Roles: ptr(kindred.RoleMember | kindred.RoleAdmin)})
	must(t, err)
	got, err := db.SoleAdminOrganizations(ctx, ana.ID)
	must(t, err)
	if len(got) != 1 || got[0].ID != solo.ID || got[0].Slug != "solo" {
		t.Errorf("sole admin of %+v, want only solo", got)
	}
	got, err = db.SoleAdminOrganizations(ctx, bo.ID)
	must(t, err)
	wantEqual(t, "Bo is sole admin nowhere", len(got), 0)
}

func testPrivacySettings(t *testing.T, db *DB) {
	ctx := t.Context()
	ana := newAccount(t, db, "ana", "Ana")
	org := newOrg(t, db, "harbour", "Harbour", ana)
	other := newOrg(t, db, "other", "Other", ana)
	p, err := db.FindPrivacySettings(ctx, org.ID)
	must(t, err)
	wantEqual(t, "defaults", *p, kindred.PrivacySettings{OrgID: org.ID})
	saved := &kindred.PrivacySettings{OrgID: org.ID, ChatRetentionDays: 30, UpdatedAt: at(1)}
	must(t, db.SavePrivacySettings(ctx, saved))
	p, err = db.FindPrivacySettings(ctx, org.ID)
	must(t, err)
	wantEqual(t, "saved", p, saved)
	must(t, db.SavePrivacySettings(ctx, &kindred.PrivacySettings{OrgID: other.ID, ChatRetentionDays: 0}))
	list, err := db.ListChatRetention(ctx)
	must(t, err)
	if len(list) != 1 || list[0].OrgID != org.ID || list[0].ChatRetentionDays != 30 {
		t.Errorf("retention list %+v", list)
	}
	wantCode(t, db.SavePrivacySettings(ctx, &kindred.PrivacySettings{OrgID: "nowhere", ChatRetentionDays: 30}), kindred.ENOTFOUND)
}

func testDeleteChatBefore(t *testing.T, db *DB) {
	ctx := t.Context()
	ana := newAccount(t, db, "ana", "Ana")
	bo := newAccount(t, db, "bo", "Bo")
	org := newOrg(t, db, "harbour", "Harbour", ana)
	other := newOrg(t, db, "other", "Other", ana)
	here := newConversation(t, db, org, at(0), ana, bo)
	there := newConversation(t, db, other, at(0), ana, bo)
	for _, r := range []*kindred.Room{here, there} {
		for i := range 4 {
			must(t, db.CreateChatMessage(ctx, &kindred.ChatMessage{RoomID: r.ID, Kind: kindred.MessageText, AuthorID: ana.ID,
				Body: "message", CreatedAt: at(10 * i)}))
		}
	}
	n, err := db.DeleteChatBefore(ctx, org.ID, at(15))
	must(t, err)
	wantEqual(t, "deleted", n, 2)
	left, err := db.ListChatMessages(ctx, kindred.ChatFilter{RoomID: here.ID})
	must(t, err)
	if len(left) != 2 || !left[0].CreatedAt.Equal(at(20)) {
		t.Errorf("left in the organisation: %+v", left)
	}
	untouched, err := db.ListChatMessages(ctx, kindred.ChatFilter{RoomID: there.ID})
	must(t, err)
	wantEqual(t, "other organisation's chat", len(untouched), 4)
	// New messages still number on from the room's last one.
	m := &kindred.ChatMessage{RoomID: here.ID, Kind: kindred.MessageText, AuthorID: bo.ID, Body: "after", CreatedAt: at(50)}
	must(t, db.CreateChatMessage(ctx, m))
	wantEqual(t, "next seq", m.Seq, int64(5))
}
