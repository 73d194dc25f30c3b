package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"

	"kindred"
	"kindred/internal/kindredtest"
	"kindred/internal/live"
)

// blockWorld is an organisation "rainbow" with a public group "circle":
// Ana, Ben and Cy are members of both, Mo runs them (admin and
// moderator). Each has a signed-in client.
type blockWorld struct {
	env                  *kindredtest.Env
	org                  *kindred.Organization
	group                *kindred.Group
	ana, ben, cy, mo     *kindred.Account
	anaC, benC, cyC, moC *kindredtest.Client
	ctx                  context.Context
}

func newBlockWorld(t *testing.T) *blockWorld {
	t.Helper()
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	w := &blockWorld{env: env, ctx: context.Background()}
	w.mo = env.Account(t, "mo", kindred.AgeAdult)
	w.org = env.Org(t, w.mo, "rainbow", kindred.JoinOpen)
	w.ana, w.ben, w.cy = env.Account(t, "ana", kindred.AgeAdult), env.Account(t, "ben", kindred.AgeAdult), env.Account(t, "cy", kindred.AgeAdult)
	for _, a := range []*kindred.Account{w.ana, w.ben, w.cy} {
		env.Member(t, w.org, a, kindred.RoleMember, kindred.StatusActive)
	}
	w.group = env.Group(t, w.org, "circle", kindred.VisibilityPublic, kindred.AgeAny, w.mo)
	for _, a := range []*kindred.Account{w.ana, w.ben, w.cy} {
		env.GroupMember(t, w.group, a, kindred.StatusActive)
	}
	w.anaC, w.benC, w.cyC, w.moC = env.Client(t, w.ana), env.Client(t, w.ben), env.Client(t, w.cy), env.Client(t, w.mo)
	return w
}

func (w *blockWorld) thread(t *testing.T, a *kindred.Account, title, body, cw string, anon bool) *kindred.Thread {
	t.Helper()
	_, th, err := w.env.Services.Groups.StartThread(w.ctx, kindredtest.Actor(a), "rainbow", "circle",
		kindred.ThreadDraft{Title: title, Body: body, ContentWarning: cw, Anonymous: anon})
	if err != nil {
		t.Fatal(err)
	}
	return th
}

func (w *blockWorld) reply(t *testing.T, a *kindred.Account, th *kindred.Thread, body, cw string, anon bool) {
	t.Helper()
	if _, err := w.env.Services.Groups.Reply(w.ctx, kindredtest.Actor(a), "rainbow", "circle", th.ID,
		kindred.ReplyDraft{Body: body, ContentWarning: cw, Anonymous: anon}); err != nil {
		t.Fatal(err)
	}
}

// postTo posts a form and returns the status, where it redirected and
// the body.
func postTo(t *testing.T, c *kindredtest.Client, path string, form url.Values) (int, string, string) {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.Base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	var b strings.Builder
	buf := make([]byte, 32<<10)
	for {
		n, err := res.Body.Read(buf)
		b.Write(buf[:n])
		if err != nil {
			break
		}
	}
	return res.StatusCode, res.Header.Get("Location"), b.String()
}

func mustGet(t *testing.T, c *kindredtest.Client, path string) string {
	t.Helper()
	st, body := c.Get(path)
	if st != http.StatusOK {
		t.Fatalf("GET %s: %d\n%s", path, st, body)
	}
	return body
}

// replies reads the reply count the group page shows for a thread.
func replies(t *testing.T, page, title string) string {
	t.Helper()
	m := regexp.MustCompile(regexp.QuoteMeta(title) + `</a>(?s:.*?)(\d+ repl(?:y|ies))`).FindStringSubmatch(page)
	if m == nil {
		return "(not listed)"
	}
	return m[1]
}

func TestBlockByFormsHidesBothWays(t *testing.T) {
	w := newBlockWorld(t)
	anaTh := w.thread(t, w.ana, "Ana asks", "ana-opening-marker", "", false)
	benTh := w.thread(t, w.ben, "Ben shares", "ben-opening-marker", "", false)
	w.thread(t, w.ben, "Anonymous worry", "anon-opening-marker", "", true)
	cyTh := w.thread(t, w.cy, "Cy wonders", "cy-opening-marker", "", false)
	w.reply(t, w.ben, anaTh, "ben-reply-to-ana-marker", "", false)
	w.reply(t, w.ben, cyTh, "ben-reply-to-cy-marker", "", false)
	w.reply(t, w.ana, cyTh, "ana-reply-to-cy-marker", "", false)
	w.reply(t, w.ben, cyTh, "ben-anon-reply-marker", "", true)

	// Ana sees Block and Mute beside Ben's named posts, not beside the
	// anonymous one or her own.
	cyPath := "/o/rainbow/g/circle/t/" + cyTh.ID
	page := mustGet(t, w.anaC, cyPath)
	blockLink := `/o/rainbow/people/` + w.ben.ID + `/block?next=` + url.QueryEscape(cyPath)
	if !strings.Contains(page, blockLink) {
		t.Fatalf("no Block control for Ben's post on Cy's thread:\n%s", page)
	}
	if n := strings.Count(page, "/people/"+w.ana.ID+"/"); n != 0 {
		t.Errorf("Ana is offered to block herself (%d links)", n)
	}
	if n := strings.Count(page, `/block?next=`); n != 2 { // Cy's opening post and Ben's named reply
		t.Errorf("%d Block controls on Cy's thread, want 2 (Cy's and Ben's named posts)", n)
	}

	// The confirm page says plainly what happens, and that Ben won't know.
	confirm := mustGet(t, w.anaC, blockLink)
	for _, want := range []string{"Block Ben?", "They won't be told.", "anonymously still show", `name="next" value="` + cyPath + `"`} {
		if !strings.Contains(confirm, want) {
			t.Errorf("confirm page lacks %q", want)
		}
	}
	st, loc, _ := postTo(t, w.anaC, "/o/rainbow/people/"+w.ben.ID+"/block", url.Values{"next": {cyPath}})
	if st != http.StatusSeeOther || loc != cyPath {
		t.Fatalf("block: %d → %q", st, loc)
	}
	page = mustGet(t, w.anaC, cyPath)
	if !strings.Contains(page, "You blocked Ben.") {
		t.Error("no flash after blocking")
	}
	// An off-site next is ignored.
	if _, loc, _ := postTo(t, w.anaC, "/o/rainbow/people/"+w.ben.ID+"/block", url.Values{"next": {"//evil.example/"}}); loc != "/settings/people" {
		t.Errorf("off-site next followed: %q", loc)
	}

	// Ana: Ben's named words are gone everywhere; the anonymous ones stay.
	for _, tc := range []struct{ path, want, not string }{
		{cyPath, "ana-reply-to-cy-marker", "ben-reply-to-cy-marker"},
		{cyPath, "ben-anon-reply-marker", "ben-opening-marker"},
		{"/o/rainbow/g/circle/t/" + anaTh.ID, "ana-opening-marker", "ben-reply-to-ana-marker"},
		{"/o/rainbow/g/circle", "Anonymous worry", "Ben shares"},
	} {
		page := mustGet(t, w.anaC, tc.path)
		if !strings.Contains(page, tc.want) || strings.Contains(page, tc.not) {
			t.Errorf("Ana at %s: want %q and not %q", tc.path, tc.want, tc.not)
		}
	}
	group := mustGet(t, w.anaC, "/o/rainbow/g/circle")
	if got := replies(t, group, "Cy wonders"); got != "2 replies" {
		t.Errorf("Ana's count for Cy wonders: %s, want 2 replies", got)
	}
	if got := replies(t, group, "Ana asks"); got != "0 replies" {
		t.Errorf("Ana's count for her own thread: %s, want 0 replies", got)
	}
	// Ben's thread answers Ana exactly as a missing one.
	stHidden, hidden := w.anaC.Get("/o/rainbow/g/circle/t/" + benTh.ID)
	stGhost, ghost := w.anaC.Get("/o/rainbow/g/circle/t/" + kindred.NewID())
	if stHidden != http.StatusNotFound || stHidden != stGhost || mainOf(hidden) != mainOf(ghost) {
		t.Errorf("Ben's thread for Ana: %d, missing thread %d; pages differ: %v", stHidden, stGhost, mainOf(hidden) != mainOf(ghost))
	}

	// Ben: the same the other way, and nothing tells him why.
	for _, tc := range []struct{ path, want, not string }{
		{cyPath, "ben-reply-to-cy-marker", "ana-reply-to-cy-marker"},
		{"/o/rainbow/g/circle", "Ben shares", "Ana asks"},
	} {
		page := mustGet(t, w.benC, tc.path)
		if !strings.Contains(page, tc.want) || strings.Contains(page, tc.not) {
			t.Errorf("Ben at %s: want %q and not %q", tc.path, tc.want, tc.not)
		}
	}
	group = mustGet(t, w.benC, "/o/rainbow/g/circle")
	if got := replies(t, group, "Cy wonders"); got != "2 replies" {
		t.Errorf("Ben's count for Cy wonders: %s, want 2 replies", got)
	}
	if st, _ := w.benC.Get("/o/rainbow/g/circle/t/" + anaTh.ID); st != http.StatusNotFound {
		t.Errorf("Ana's thread for Ben: %d", st)
	}
	stHidden, hidden = w.benC.Get("/o/rainbow/people/" + w.ana.ID + "/block")
	stGhost, ghost = w.benC.Get("/o/rainbow/people/" + kindred.NewID() + "/block")
	if stHidden != http.StatusNotFound || stHidden != stGhost || mainOf(hidden) != mainOf(ghost) {
		t.Errorf("Ben's block page for Ana: %d; for nobody: %d", stHidden, stGhost)
	}
	for _, path := range []string{"/settings/people", "/o/rainbow/g/circle", cyPath, "/o/rainbow/messages", "/api/v1/me/blocks-and-mutes"} {
		_, body := w.benC.Get(path)
		low := strings.ToLower(body)
		if strings.Contains(low, "blocked you") || strings.Contains(body, w.ana.ID) || strings.Contains(body, ">Ana<") || strings.Contains(body, `"ana"`) {
			t.Errorf("Ben's %s gives Ana's block away", path)
		}
	}

	// Cy sees everyone; so does Mo on ordinary pages, where the block does not apply.
	page = mustGet(t, w.cyC, cyPath)
	for _, m := range []string{"ben-reply-to-cy-marker", "ana-reply-to-cy-marker", "ben-anon-reply-marker"} {
		if !strings.Contains(page, m) {
			t.Errorf("Cy misses %s", m)
		}
	}

	// Settings list the block; Unblock brings everything back.
	settings := mustGet(t, w.anaC, "/settings/people")
	if !strings.Contains(settings, "/settings/people/"+w.ben.ID+"/unblock") {
		t.Fatalf("settings do not list Ben:\n%s", settings)
	}
	if st, loc, _ := postTo(t, w.anaC, "/settings/people/"+w.ben.ID+"/unblock", nil); st != http.StatusSeeOther || loc != "/settings/people" {
		t.Fatalf("unblock: %d → %q", st, loc)
	}
	if page := mustGet(t, w.anaC, cyPath); !strings.Contains(page, "ben-reply-to-cy-marker") {
		t.Error("Ben's reply is still hidden after unblocking")
	}
}

// mainOf is the page's main content, which must not tell a hidden thing
// from a missing one.
func mainOf(page string) string {
	if m := regexp.MustCompile(`(?s)<main.*</main>`).FindString(page); m != "" {
		return m
	}
	return page
}

func TestMuteHidesOneWay(t *testing.T) {
	w := newBlockWorld(t)
	benTh := w.thread(t, w.ben, "Ben shares", "ben-opening-marker", "", false)
	w.reply(t, w.ana, benTh, "ana-reply-marker", "", false)
	w.reply(t, w.ben, benTh, "ben-reply-marker", "", false)
	w.reply(t, w.ben, benTh, "ben-anon-marker", "", true)
	anaTh := w.thread(t, w.ana, "Ana asks", "ana-opening-marker", "", false)
	w.reply(t, w.ben, anaTh, "ben-to-ana-marker", "", false)

	confirm := mustGet(t, w.anaC, "/o/rainbow/people/"+w.ben.ID+"/mute")
	if !strings.Contains(confirm, "Mute Ben?") || !strings.Contains(confirm, "They won't be told.") {
		t.Errorf("mute confirm page:\n%s", confirm)
	}
	if st, loc, _ := postTo(t, w.anaC, "/o/rainbow/people/"+w.ben.ID+"/mute", nil); st != http.StatusSeeOther || loc != "/settings/people" {
		t.Fatalf("mute: %d → %q", st, loc)
	}
	if page := mustGet(t, w.anaC, "/settings/people"); !strings.Contains(page, "You muted Ben.") || !strings.Contains(page, "/unmute") {
		t.Error("settings after muting lack the flash or the Unmute control")
	}
	group := mustGet(t, w.anaC, "/o/rainbow/g/circle")
	if strings.Contains(group, "Ben shares") || replies(t, group, "Ana asks") != "0 replies" {
		t.Errorf("Ana's group page after muting Ben lists his thread or counts his reply")
	}
	page := mustGet(t, w.anaC, "/o/rainbow/g/circle/t/"+anaTh.ID)
	if strings.Contains(page, "ben-to-ana-marker") {
		t.Error("Ana still reads Ben's reply")
	}
	// Ben notices nothing: his thread, Ana's reply in it, counts.
	page = mustGet(t, w.benC, "/o/rainbow/g/circle/t/"+benTh.ID)
	for _, m := range []string{"ana-reply-marker", "ben-reply-marker", "ben-anon-marker"} {
		if !strings.Contains(page, m) {
			t.Errorf("Ben misses %s after Ana muted him", m)
		}
	}
	if got := replies(t, mustGet(t, w.benC, "/o/rainbow/g/circle"), "Ana asks"); got != "1 reply" {
		t.Errorf("Ben's count for Ana asks: %s", got)
	}
	if st, _ := w.benC.Get("/o/rainbow/g/circle/t/" + anaTh.ID); st != http.StatusOK {
		t.Errorf("Ben opening Ana's thread: %d", st)
	}
}

func TestHiddenTopicsPages(t *testing.T) {
	w := newBlockWorld(t)
	th := w.thread(t, w.cy, "Cy wonders", "cy-opening-marker", "", false)
	w.reply(t, w.ben, th, "ben-hard-marker", "Self-Harm, hospital", false)
	w.reply(t, w.ben, th, "ben-anon-hard-marker", "self harm", true)
	w.reply(t, w.ben, th, "ben-fine-marker", "self-harmony", false)
	w.thread(t, w.ben, "A hard week", "hard-week-marker", "family rejection", false)

	// A topic too long: the form comes back with everything typed.
	long := strings.Repeat("x", kindred.MaxHiddenTopicLen+1)
	st, _, body := postTo(t, w.anaC, "/settings/people/topics", url.Values{"pick": {"self-harm"}, "topics": {"Family Rejection\n" + long}})
	if st != http.StatusUnprocessableEntity || !strings.Contains(body, long) || !regexp.MustCompile(`value="self-harm" checked`).MatchString(body) {
		t.Fatalf("a refused save: %d, typed text kept: %v", st, strings.Contains(body, long))
	}
	st, loc, _ := postTo(t, w.anaC, "/settings/people/topics", url.Values{"pick": {"self-harm", "not-a-pick"}, "topics": {"Family Rejection\nhospital stays, "}})
	if st != http.StatusSeeOther || loc != "/settings/people" {
		t.Fatalf("save topics: %d → %q", st, loc)
	}
	// A topic typed as a quick pick's words shows as that pick, ticked.
	settings := mustGet(t, w.anaC, "/settings/people")
	if !regexp.MustCompile(`value="self-harm" checked`).MatchString(settings) || !regexp.MustCompile(`value="family rejection" checked`).MatchString(settings) ||
		!strings.Contains(settings, ">hospital stays</textarea>") || strings.Contains(settings, "not-a-pick") {
		t.Errorf("settings after saving topics:\n%s", settings)
	}

	path := "/o/rainbow/g/circle/t/" + th.ID
	page := mustGet(t, w.anaC, path)
	if strings.Contains(page, "ben-hard-marker") || strings.Contains(page, "ben-anon-hard-marker") || !strings.Contains(page, "ben-fine-marker") {
		t.Error("the wrong posts are held back")
	}
	if !strings.Contains(page, "2 posts hidden by your") || !strings.Contains(page, `href="?page=1&amp;show=topics"`) {
		t.Errorf("no note about the held-back posts")
	}
	page = mustGet(t, w.anaC, path+"?page=1&show=topics")
	if !strings.Contains(page, "ben-hard-marker") || strings.Contains(page, "hidden by your") {
		t.Error("showing once did not show them")
	}
	if page := mustGet(t, w.anaC, path); strings.Contains(page, "ben-hard-marker") {
		t.Error("showing once lasted")
	}
	group := mustGet(t, w.anaC, "/o/rainbow/g/circle")
	if strings.Contains(group, "A hard week") || !strings.Contains(group, "1 conversation hidden by your") {
		t.Error("the thread whose warning names a hidden topic is listed, or no note says so")
	}
	if group := mustGet(t, w.anaC, "/o/rainbow/g/circle?show=topics"); !strings.Contains(group, "A hard week") {
		t.Error("showing once did not list it")
	}
	// Cy has no topics: everything shows.
	if page := mustGet(t, w.cyC, path); !strings.Contains(page, "ben-hard-marker") || strings.Contains(page, "hidden by your") {
		t.Error("Ana's topics changed Cy's view")
	}
}

func TestBlockHidesChatAndConversations(t *testing.T) {
	w := newBlockWorld(t)
	sess, err := newOpenSession(w.ctx, w.env.Store, w.group, w.mo.ID, 0)
	if err != nil {
		t.Fatal(err)
	}
	lv := w.env.Services.Live
	var roomID string
	for _, a := range []*kindred.Account{w.ana, w.ben, w.cy} {
		v, err := lv.Enter(w.ctx, kindredtest.Actor(a), "rainbow", "circle", sess.ID, live.EnterOptions{Agree: true})
		if err != nil {
			t.Fatal(err)
		}
		roomID = v.Room.ID
		if _, err := lv.Send(w.ctx, kindredtest.Actor(a), roomID, kindred.ChatDraft{Body: a.Handle + "-chat-marker"}); err != nil {
			t.Fatal(err)
		}
	}
	// Ana sees Block and Mute beside Ben and Cy in the room's people list.
	room := mustGet(t, w.anaC, "/rooms/"+roomID)
	if !strings.Contains(room, "/o/rainbow/people/"+w.ben.ID+"/block?next="+url.QueryEscape("/rooms/"+roomID)) {
		t.Fatalf("no Block control for Ben in the room")
	}
	if _, err := w.env.Services.Blocks.Block(w.ctx, kindredtest.Actor(w.ana), "rainbow", w.ben.ID); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		c         *kindredtest.Client
		want, not string
		notID     string
	}{
		{w.anaC, "cy-chat-marker", "ben-chat-marker", w.ben.ID},
		{w.benC, "cy-chat-marker", "ana-chat-marker", w.ana.ID},
	} {
		room := mustGet(t, tc.c, "/rooms/"+roomID)
		if !strings.Contains(room, tc.want) || strings.Contains(room, tc.not) || strings.Contains(room, tc.notID) {
			t.Errorf("room page: want %q, not %q nor their people controls", tc.want, tc.not)
		}
	}
	// Over the API too.
	st, body := w.benC.Get("/api/v1/rooms/" + roomID + "/messages")
	if st != http.StatusOK || strings.Contains(body, "ana-chat-marker") || !strings.Contains(body, "cy-chat-marker") {
		t.Errorf("Ben's history through the API: %d, Ana's message there: %v", st, strings.Contains(body, "ana-chat-marker"))
	}

	// Conversations: neither can open one, and the answer is the one for
	// a person who does not exist.
	stA, _, a := postTo(t, w.anaC, "/o/rainbow/messages", url.Values{"handle": {"ben"}})
	stG, _, g := postTo(t, w.anaC, "/o/rainbow/messages", url.Values{"handle": {"nobody"}})
	if stA != stG || stA != http.StatusUnprocessableEntity || strings.ReplaceAll(mainOf(a), "ben", "nobody") != mainOf(g) {
		t.Errorf("opening a conversation with Ben: %d; with nobody: %d", stA, stG)
	}
	stB, _, _ := postTo(t, w.benC, "/o/rainbow/messages", url.Values{"handle": {"ana"}})
	if stB != http.StatusUnprocessableEntity {
		t.Errorf("Ben opening a conversation with Ana: %d", stB)
	}

	// Muting (Cy mutes Ana) hides Ana's chat messages from Cy only.
	if _, err := w.env.Services.Blocks.Mute(w.ctx, kindredtest.Actor(w.cy), "rainbow", w.ana.ID); err != nil {
		t.Fatal(err)
	}
	if room := mustGet(t, w.cyC, "/rooms/"+roomID); strings.Contains(room, "ana-chat-marker") || !strings.Contains(room, "ben-chat-marker") {
		t.Error("Cy's room after muting Ana")
	}
	if room := mustGet(t, w.anaC, "/rooms/"+roomID); !strings.Contains(room, "cy-chat-marker") {
		t.Error("Ana lost Cy's messages when Cy muted her")
	}
}

func TestBlocksAPI(t *testing.T) {
	w := newBlockWorld(t)
	call := func(c *kindredtest.Client, method, path string, body any) (int, map[string]any) {
		t.Helper()
		var rd *strings.Reader
		if body != nil {
			b, _ := json.Marshal(body)
			rd = strings.NewReader(string(b))
		} else {
			rd = strings.NewReader("")
		}
		req, _ := http.NewRequest(method, c.Base+"/api/v1"+path, rd)
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, err := c.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out := map[string]any{}
		_ = json.NewDecoder(res.Body).Decode(&out)
		return res.StatusCode, out
	}
	st, out := call(w.anaC, http.MethodPost, "/organizations/rainbow/members/"+w.ben.ID+"/block", nil)
	if st != http.StatusOK || out["blocked"] != true || out["name"] != "Ben" {
		t.Fatalf("blockMember: %d %v", st, out)
	}
	st, out = call(w.anaC, http.MethodPost, "/organizations/rainbow/members/"+w.cy.ID+"/mute", nil)
	if st != http.StatusOK || out["muted"] != true {
		t.Fatalf("muteMember: %d %v", st, out)
	}
	// Ben cannot reach Ana: not found, like nobody.
	stH, hidden := call(w.benC, http.MethodPost, "/organizations/rainbow/members/"+w.ana.ID+"/mute", nil)
	stG, ghost := call(w.benC, http.MethodPost, "/organizations/rainbow/members/"+kindred.NewID()+"/mute", nil)
	hb, _ := json.Marshal(hidden)
	gb, _ := json.Marshal(ghost)
	if stH != http.StatusNotFound || stH != stG || string(hb) != string(gb) {
		t.Errorf("Ben muting Ana: %d %s; nobody: %d %s", stH, hb, stG, gb)
	}
	st, out = call(w.anaC, http.MethodGet, "/me/blocks-and-mutes", nil)
	people, _ := out["people"].([]any)
	if st != http.StatusOK || len(people) != 2 {
		t.Fatalf("listBlocksAndMutes: %d %v", st, out)
	}
	st, out = call(w.benC, http.MethodGet, "/me/blocks-and-mutes", nil)
	if people, _ := out["people"].([]any); st != http.StatusOK || len(people) != 0 {
		t.Errorf("Ben's listBlocksAndMutes: %d %v", st, out)
	}
	st, out = call(w.anaC, http.MethodPut, "/me/hidden-topics", map[string]any{"topics": []string{"Self-harm", "self harm", "dysphoria"}})
	if topics, _ := out["topics"].([]any); st != http.StatusOK || len(topics) != 2 {
		t.Errorf("updateHiddenTopics: %d %v", st, out)
	}
	st, out = call(w.anaC, http.MethodPut, "/me/hidden-topics", map[string]any{"topics": []string{strings.Repeat("y", 61)}})
	if errObj, _ := out["error"].(map[string]any); st != http.StatusUnprocessableEntity || errObj["code"] != kindred.EINVALID {
		t.Errorf("updateHiddenTopics, too long: %d %v", st, out)
	}
	st, out = call(w.anaC, http.MethodGet, "/me/hidden-topics", nil)
	if topics, _ := out["topics"].([]any); st != http.StatusOK || len(topics) != 2 {
		t.Errorf("getHiddenTopics: %d %v", st, out)
	}
	for _, path := range []string{"/me/blocks/" + w.ben.ID, "/me/mutes/" + w.cy.ID, "/me/blocks/" + kindred.NewID()} {
		if st, out := call(w.anaC, http.MethodDelete, path, nil); st != http.StatusNoContent && st != http.StatusOK {
			t.Errorf("DELETE %s: %d %v", path, st, out)
		}
	}
	if st, out := call(w.anaC, http.MethodGet, "/me/blocks-and-mutes", nil); len(out["people"].([]any)) != 0 {
		t.Errorf("after undoing: %d %v", st, out)
	}
}

// blockDemoPage is a block confirm page in the demo, for the
// accessibility test: alex_demo looking at kwame_tide.
func blockDemoPage(t *testing.T, env *kindredtest.Env) string {
	t.Helper()
	a, err := env.Store.FindAccountByHandle(context.Background(), "kwame_tide")
	if err != nil {
		t.Fatal(err)
	}
	return "/o/harbour/people/" + a.ID + "/block"
}
