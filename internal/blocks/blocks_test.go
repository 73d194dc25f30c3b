package blocks_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"kindred"
	"kindred/internal/groups"
	"kindred/internal/kindredtest"
)

// world is an organisation with a public group where Ana, Ben, Cy and a
// moderator are members; Zed is a member elsewhere only.
type world struct {
	env                 *kindredtest.Env
	org                 *kindred.Organization
	group               *kindred.Group
	ana, ben, cy, mod   *kindred.Account
	zed, pending        *kindred.Account
	ctx                 context.Context
	anaA, benA, cyA, mA *kindred.Actor
}

func newWorld(t *testing.T) *world {
	t.Helper()
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	w := &world{env: env, ctx: context.Background()}
	w.mod = env.Account(t, "mod", kindred.AgeAdult)
	w.org = env.Org(t, w.mod, "rainbow", kindred.JoinOpen)
	w.ana = env.Account(t, "ana", kindred.AgeAdult)
	w.ben = env.Account(t, "ben", kindred.AgeAdult)
	w.cy = env.Account(t, "cy", kindred.AgeAdult)
	w.zed = env.Account(t, "zed", kindred.AgeAdult)
	w.pending = env.Account(t, "pending", kindred.AgeAdult)
	for _, a := range []*kindred.Account{w.ana, w.ben, w.cy} {
		env.Member(t, w.org, a, kindred.RoleMember, kindred.StatusActive)
	}
	env.Member(t, w.org, w.pending, kindred.RoleMember, kindred.StatusPending)
	env.Org(t, w.zed, "elsewhere", kindred.JoinOpen)
	w.group = env.Group(t, w.org, "circle", kindred.VisibilityPublic, kindred.AgeAny, w.mod)
	for _, a := range []*kindred.Account{w.ana, w.ben, w.cy} {
		env.GroupMember(t, w.group, a, kindred.StatusActive)
	}
	w.anaA, w.benA, w.cyA, w.mA = kindredtest.Actor(w.ana), kindredtest.Actor(w.ben), kindredtest.Actor(w.cy), kindredtest.Actor(w.mod)
	return w
}

func TestPersonHidesWhomOneCannotSee(t *testing.T) {
	w := newWorld(t)
	svc := w.env.Services.Blocks
	p, err := svc.Person(w.ctx, w.anaA, "rainbow", w.ben.ID)
	if err != nil {
		t.Fatal(err)
	}
	if p.Name != "Ben" || p.Blocked || p.Muted {
		t.Errorf("Ben as Ana sees him: %+v", p)
	}
	// Nobody, someone from elsewhere, a pending member and oneself all
	// answer the same not found, with the same words.
	var msgs []string
	for _, id := range []string{kindred.NewID(), w.zed.ID, w.pending.ID, w.ana.ID, ""} {
		_, err := svc.Person(w.ctx, w.anaA, "rainbow", id)
		if kindred.ErrorCode(err) != kindred.ENOTFOUND {
			t.Errorf("Person(%q): %v, want not found", id, err)
		}
		msgs = append(msgs, kindred.ErrorMessage(err))
	}
	if len(slices.Compact(slices.Clone(msgs))) != 1 {
		t.Errorf("not-found answers differ: %q", msgs)
	}
	if _, err := svc.Person(w.ctx, nil, "rainbow", w.ben.ID); kindred.ErrorCode(err) != kindred.EUNAUTHORIZED {
		t.Errorf("visitor: %v", err)
	}
	if _, err := svc.Person(w.ctx, kindredtest.Actor(w.zed), "rainbow", w.ben.ID); kindred.ErrorCode(err) != kindred.EFORBIDDEN {
		t.Errorf("outsider: %v", err)
	}
	if _, err := svc.Block(w.ctx, w.anaA, "rainbow", w.zed.ID); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Errorf("blocking someone not here: %v", err)
	}
	if _, err := svc.Mute(w.ctx, w.anaA, "rainbow", w.ana.ID); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Errorf("muting oneself: %v", err)
	}
}

func TestBlockWorksBothWaysAndSilently(t *testing.T) {
	w := newWorld(t)
	svc := w.env.Services.Blocks
	p, err := svc.Block(w.ctx, w.anaA, "rainbow", w.ben.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !p.Blocked {
		t.Error("Block did not say Ben is blocked")
	}
	if _, err := svc.Block(w.ctx, w.anaA, "rainbow", w.ben.ID); err != nil {
		t.Errorf("blocking again: %v", err)
	}
	// Ana still finds Ben (to unblock him); Ben finds no Ana, exactly as
	// for someone who does not exist: he cannot block, mute or look her up.
	if p, err := svc.Person(w.ctx, w.anaA, "rainbow", w.ben.ID); err != nil || !p.Blocked {
		t.Errorf("Ana looking at Ben: %+v, %v", p, err)
	}
	_, ghost := svc.Person(w.ctx, w.benA, "rainbow", kindred.NewID())
	for _, try := range []func() error{
		func() error { _, err := svc.Person(w.ctx, w.benA, "rainbow", w.ana.ID); return err },
		func() error { _, err := svc.Block(w.ctx, w.benA, "rainbow", w.ana.ID); return err },
		func() error { _, err := svc.Mute(w.ctx, w.benA, "rainbow", w.ana.ID); return err },
	} {
		if err := try(); kindred.ErrorCode(err) != kindred.ENOTFOUND || kindred.ErrorMessage(err) != kindred.ErrorMessage(ghost) {
			t.Errorf("Ben reaching Ana: %v, want %v", err, ghost)
		}
	}
	// Ben's own settings say nothing about Ana.
	st, err := svc.Settings(w.ctx, w.benA)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.People) != 0 {
		t.Errorf("Ben's settings list %+v", st.People)
	}
	st, err = svc.Settings(w.ctx, w.anaA)
	if err != nil {
		t.Fatal(err)
	}
	if len(st.People) != 1 || st.People[0].AccountID != w.ben.ID || !st.People[0].Blocked {
		t.Errorf("Ana's settings list %+v", st.People)
	}
	// No audit record: admins read the log, and a block is private.
	entries, err := w.env.Store.ListAudit(w.ctx, kindred.AuditFilter{OrgID: w.org.ID})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if strings.Contains(e.Action, "block") || e.Target == w.ben.ID {
			t.Errorf("audit record of a block: %+v", e)
		}
	}
	if err := svc.Unblock(w.ctx, w.anaA, w.ben.ID); err != nil {
		t.Fatal(err)
	}
	if err := svc.Unblock(w.ctx, w.anaA, kindred.NewID()); err != nil {
		t.Errorf("unblocking nobody: %v", err)
	}
	if _, err := svc.Person(w.ctx, w.benA, "rainbow", w.ana.ID); err != nil {
		t.Errorf("after unblocking, Ben finds Ana: %v", err)
	}
}

func TestMuteWorksOneWay(t *testing.T) {
	w := newWorld(t)
	svc := w.env.Services.Blocks
	if _, err := svc.Mute(w.ctx, w.anaA, "rainbow", w.ben.ID); err != nil {
		t.Fatal(err)
	}
	if p, err := svc.Person(w.ctx, w.benA, "rainbow", w.ana.ID); err != nil || p.Blocked || p.Muted {
		t.Errorf("Ben looking at Ana after she muted him: %+v, %v", p, err)
	}
	if p, err := svc.Person(w.ctx, w.anaA, "rainbow", w.ben.ID); err != nil || !p.Muted || p.Blocked {
		t.Errorf("Ana looking at Ben: %+v, %v", p, err)
	}
	if err := svc.Unmute(w.ctx, w.anaA, w.ben.ID); err != nil {
		t.Fatal(err)
	}
	if p, _ := svc.Person(w.ctx, w.anaA, "rainbow", w.ben.ID); p.Muted {
		t.Error("still muted")
	}
}

func TestTopics(t *testing.T) {
	w := newWorld(t)
	svc := w.env.Services.Blocks
	got, err := svc.SetTopics(w.ctx, w.anaA, []string{"self-harm", "Self Harm", " family rejection "})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != "family rejection|self-harm" {
		t.Errorf("topics %q", got)
	}
	_, err = svc.SetTopics(w.ctx, w.anaA, []string{strings.Repeat("x", kindred.MaxHiddenTopicLen+1)})
	if kindred.ErrorCode(err) != kindred.EINVALID {
		t.Errorf("too long: %v", err)
	}
	if got, _ := svc.Topics(w.ctx, w.anaA); len(got) != 2 {
		t.Errorf("a refused save changed the topics: %q", got)
	}
	if _, err := svc.Topics(w.ctx, nil); kindred.ErrorCode(err) != kindred.EUNAUTHORIZED {
		t.Errorf("visitor: %v", err)
	}
}

// thread starts a thread through the service.
func (w *world) thread(t *testing.T, a *kindred.Actor, title, cw string, anon bool) *kindred.Thread {
	t.Helper()
	_, th, err := w.env.Services.Groups.StartThread(w.ctx, a, "rainbow", "circle",
		kindred.ThreadDraft{Title: title, Body: "Opening of " + title, ContentWarning: cw, Anonymous: anon})
	if err != nil {
		t.Fatal(err)
	}
	return th
}

func (w *world) reply(t *testing.T, a *kindred.Actor, th *kindred.Thread, body, cw string, anon bool) *groups.PostView {
	t.Helper()
	p, err := w.env.Services.Groups.Reply(w.ctx, a, "rainbow", "circle", th.ID, kindred.ReplyDraft{Body: body, ContentWarning: cw, Anonymous: anon})
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func (w *world) list(t *testing.T, a *kindred.Actor, o groups.ViewOptions) (*groups.ThreadList, map[string]*kindred.Thread) {
	t.Helper()
	l, err := w.env.Services.Groups.ThreadsFor(w.ctx, a, "rainbow", "circle", 1, o)
	if err != nil {
		t.Fatal(err)
	}
	byTitle := map[string]*kindred.Thread{}
	for _, th := range l.Threads {
		byTitle[th.Title] = th
	}
	return l, byTitle
}

func bodies(v *groups.ThreadView) []string {
	var out []string
	for _, p := range v.Posts {
		out = append(out, p.Body)
	}
	return out
}

func TestBlockedPeopleVanishFromGroups(t *testing.T) {
	w := newWorld(t)
	grp := w.env.Services.Groups
	anaStory := w.thread(t, w.anaA, "Ana's story", "", false)
	benStory := w.thread(t, w.benA, "Ben's story", "", false)
	benAnon := w.thread(t, w.benA, "An anonymous question", "", true)
	cyStory := w.thread(t, w.cyA, "Cy's story", "", false)
	w.reply(t, w.benA, anaStory, "Ben to Ana", "", false)
	w.reply(t, w.cyA, cyStory, "Cy to self", "", false)
	w.reply(t, w.anaA, cyStory, "Ana to Cy", "", false)
	w.reply(t, w.benA, cyStory, "Ben to Cy", "", false)
	w.reply(t, w.benA, cyStory, "Ben anonymously to Cy", "", true)
	if _, err := w.env.Services.Blocks.Block(w.ctx, w.anaA, "rainbow", w.ben.ID); err != nil {
		t.Fatal(err)
	}

	// Ana: Ben's named thread is gone, his anonymous one stays; counts
	// leave his named replies out.
	_, seen := w.list(t, w.anaA, groups.ViewOptions{})
	if seen["Ben's story"] != nil || seen["An anonymous question"] == nil {
		t.Errorf("Ana's list: %v", seen)
	}
	if n := seen["Ana's story"].ReplyCount; n != 0 {
		t.Errorf("Ana's story shows %d replies to Ana, want 0", n)
	}
	if n := seen["Cy's story"].ReplyCount; n != 3 {
		t.Errorf("Cy's story shows %d replies to Ana, want 3", n)
	}
	v, err := grp.Thread(w.ctx, w.anaA, "rainbow", "circle", cyStory.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(bodies(v), "|"); got != "Opening of Cy's story|Cy to self|Ana to Cy|Ben anonymously to Cy" {
		t.Errorf("Ana reads Cy's story as %q", got)
	}
	if v.Thread.ReplyCount != 3 {
		t.Errorf("thread page count %d, want 3", v.Thread.ReplyCount)
	}
	// Ben's thread is not found for Ana, exactly like a missing one, and
	// she cannot reply to it or react to his posts.
	_, ghost := grp.Thread(w.ctx, w.anaA, "rainbow", "circle", kindred.NewID(), 1)
	_, err = grp.Thread(w.ctx, w.anaA, "rainbow", "circle", benStory.ID, 1)
	if kindred.ErrorCode(err) != kindred.ENOTFOUND || kindred.ErrorMessage(err) != kindred.ErrorMessage(ghost) {
		t.Errorf("Ana opening Ben's story: %v", err)
	}
	if _, err := grp.Reply(w.ctx, w.anaA, "rainbow", "circle", benStory.ID, kindred.ReplyDraft{Body: "hi"}); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Errorf("Ana replying to Ben's story: %v", err)
	}
	if _, err := grp.React(w.ctx, w.anaA, "rainbow", "circle", benStory.OpeningPost, kindred.ReactMeToo, true); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Errorf("Ana reacting to Ben's post: %v", err)
	}

	// Ben: the same, the other way.
	_, seen = w.list(t, w.benA, groups.ViewOptions{})
	if seen["Ana's story"] != nil || seen["Ben's story"] == nil {
		t.Errorf("Ben's list: %v", seen)
	}
	if n := seen["Cy's story"].ReplyCount; n != 3 {
		t.Errorf("Cy's story shows %d replies to Ben, want 3", n)
	}
	v, err = grp.Thread(w.ctx, w.benA, "rainbow", "circle", cyStory.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(bodies(v), "|"); got != "Opening of Cy's story|Cy to self|Ben to Cy|Ben anonymously to Cy" {
		t.Errorf("Ben reads Cy's story as %q", got)
	}
	if _, err := grp.Thread(w.ctx, w.benA, "rainbow", "circle", anaStory.ID, 1); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Errorf("Ben opening Ana's story: %v", err)
	}

	// Cy, and the moderator on ordinary pages, see everything.
	_, seen = w.list(t, w.cyA, groups.ViewOptions{})
	if len(seen) != 4 || seen["Cy's story"].ReplyCount != 4 {
		t.Errorf("Cy's list: %v", seen)
	}
	_ = benAnon
}

func TestMutedPeopleVanishOneWay(t *testing.T) {
	w := newWorld(t)
	grp := w.env.Services.Groups
	benStory := w.thread(t, w.benA, "Ben's story", "", false)
	anaStory := w.thread(t, w.anaA, "Ana's story", "", false)
	w.reply(t, w.benA, anaStory, "Ben to Ana", "", false)
	w.reply(t, w.anaA, benStory, "Ana to Ben", "", false)
	if _, err := w.env.Services.Blocks.Mute(w.ctx, w.anaA, "rainbow", w.ben.ID); err != nil {
		t.Fatal(err)
	}
	_, seen := w.list(t, w.anaA, groups.ViewOptions{})
	if seen["Ben's story"] != nil || seen["Ana's story"].ReplyCount != 0 {
		t.Errorf("Ana's list after muting Ben: %v", seen)
	}
	// Ben notices nothing.
	_, seen = w.list(t, w.benA, groups.ViewOptions{})
	if seen["Ana's story"] == nil || seen["Ana's story"].ReplyCount != 1 || seen["Ben's story"].ReplyCount != 1 {
		t.Errorf("Ben's list after Ana muted him: %v", seen)
	}
	v, err := grp.Thread(w.ctx, w.benA, "rainbow", "circle", benStory.ID, 1)
	if err != nil || len(v.Posts) != 2 {
		t.Errorf("Ben's own story: %v, %v", v, err)
	}
}

func TestHiddenTopicsInGroups(t *testing.T) {
	w := newWorld(t)
	grp := w.env.Services.Groups
	if _, err := w.env.Services.Blocks.SetTopics(w.ctx, w.anaA, []string{"self-harm"}); err != nil {
		t.Fatal(err)
	}
	hard := w.thread(t, w.benA, "A hard week", "Self harm, hospital", false)
	calm := w.thread(t, w.cyA, "Good news", "", false)
	mine := w.thread(t, w.anaA, "My own", "self-harm", false)
	w.reply(t, w.benA, calm, "Careful words", "mentions self-harm", false)
	w.reply(t, w.cyA, calm, "Harmony!", "self-harmony", false)

	l, seen := w.list(t, w.anaA, groups.ViewOptions{})
	if seen["A hard week"] != nil || seen["Good news"] == nil || seen["My own"] == nil || l.HiddenByTopics != 1 {
		t.Errorf("Ana's list: %v, hidden %d", seen, l.HiddenByTopics)
	}
	l, seen = w.list(t, w.anaA, groups.ViewOptions{RevealTopics: true})
	if seen["A hard week"] == nil || l.HiddenByTopics != 0 {
		t.Errorf("Ana's list, shown once: %v, hidden %d", seen, l.HiddenByTopics)
	}
	v, err := grp.Thread(w.ctx, w.anaA, "rainbow", "circle", calm.ID, 1)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(bodies(v), "|"); got != "Opening of Good news|Harmony!" || v.HiddenByTopics != 1 {
		t.Errorf("Ana reads Good news as %q, %d hidden", got, v.HiddenByTopics)
	}
	v, err = grp.ThreadFor(w.ctx, w.anaA, "rainbow", "circle", calm.ID, 1, groups.ViewOptions{RevealTopics: true})
	if err != nil || len(v.Posts) != 3 || v.HiddenByTopics != 0 {
		t.Errorf("Ana reads Good news once revealed: %d posts, %d hidden, %v", len(v.Posts), v.HiddenByTopics, err)
	}
	// The thread itself still opens, its opening post held back.
	v, err = grp.Thread(w.ctx, w.anaA, "rainbow", "circle", hard.ID, 1)
	if err != nil || len(v.Posts) != 0 || v.HiddenByTopics != 1 {
		t.Errorf("Ana opening A hard week: %v, %v", v, err)
	}
	v, err = grp.Thread(w.ctx, w.anaA, "rainbow", "circle", mine.ID, 1)
	if err != nil || len(v.Posts) != 1 {
		t.Errorf("Ana's own post was held back from her: %v, %v", v, err)
	}
	// Others are untouched by Ana's topics.
	l, seen = w.list(t, w.benA, groups.ViewOptions{})
	if len(seen) != 3 || l.HiddenByTopics != 0 {
		t.Errorf("Ben's list: %v", seen)
	}
}

func TestBlockedPeopleVanishFromChat(t *testing.T) {
	w := newWorld(t)
	lv := w.env.Services.Live
	roomAB, err := lv.OpenConversation(w.ctx, w.anaA, "rainbow", "ben")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := lv.Send(w.ctx, w.benA, roomAB.ID, kindred.ChatDraft{Body: "hello Ana"}); err != nil {
		t.Fatal(err)
	}
	roomAC, err := lv.OpenConversation(w.ctx, w.anaA, "rainbow", "cy")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.env.Services.Blocks.Block(w.ctx, w.benA, "rainbow", w.ana.ID); err != nil {
		t.Fatal(err)
	}
	// Neither can reach the other: the answer is the one for a handle
	// that does not exist.
	_, ghost := lv.OpenConversation(w.ctx, w.anaA, "rainbow", "nobody")
	for _, try := range []struct {
		who    *kindred.Actor
		handle string
	}{{w.anaA, "ben"}, {w.benA, "ana"}} {
		_, err := lv.OpenConversation(w.ctx, try.who, "rainbow", try.handle)
		want := strings.ReplaceAll(kindred.ErrorFields(ghost)["handle"], "nobody", try.handle)
		if kindred.ErrorCode(err) != kindred.ErrorCode(ghost) || kindred.ErrorFields(err)["handle"] != want {
			t.Errorf("opening a conversation with %s: %v", try.handle, err)
		}
	}
	// Their old conversation is gone for both, list and room.
	for _, a := range []*kindred.Actor{w.anaA, w.benA} {
		_, list, err := lv.Conversations(w.ctx, a, "rainbow")
		if err != nil {
			t.Fatal(err)
		}
		for _, c := range list {
			if c.Room.ID == roomAB.ID {
				t.Errorf("%s still lists the conversation", a.Account.Handle)
			}
		}
		if _, err := lv.Messages(w.ctx, a, roomAB.ID, kindred.ChatFilter{}); kindred.ErrorCode(err) != kindred.ENOTFOUND {
			t.Errorf("%s reading the old conversation: %v", a.Account.Handle, err)
		}
	}
	if _, err := lv.Messages(w.ctx, w.anaA, roomAC.ID, kindred.ChatFilter{}); err != nil {
		t.Errorf("Ana's conversation with Cy: %v", err)
	}
}

func TestMutedPeopleVanishFromChatOneWay(t *testing.T) {
	w := newWorld(t)
	lv := w.env.Services.Live
	room, err := lv.OpenConversation(w.ctx, w.anaA, "rainbow", "ben")
	if err != nil {
		t.Fatal(err)
	}
	for _, m := range []struct {
		who  *kindred.Actor
		body string
	}{{w.benA, "from Ben"}, {w.anaA, "from Ana"}} {
		if _, err := lv.Send(w.ctx, m.who, room.ID, kindred.ChatDraft{Body: m.body}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := w.env.Services.Blocks.Mute(w.ctx, w.anaA, "rainbow", w.ben.ID); err != nil {
		t.Fatal(err)
	}
	texts := func(a *kindred.Actor) string {
		t.Helper()
		h, err := lv.Messages(w.ctx, a, room.ID, kindred.ChatFilter{})
		if err != nil {
			t.Fatal(err)
		}
		var out []string
		for _, m := range h.Messages {
			out = append(out, m.HTML)
		}
		return strings.Join(out, "")
	}
	if got := texts(w.anaA); strings.Contains(got, "from Ben") || !strings.Contains(got, "from Ana") {
		t.Errorf("Ana's history after muting Ben: %q", got)
	}
	if got := texts(w.benA); !strings.Contains(got, "from Ben") || !strings.Contains(got, "from Ana") {
		t.Errorf("Ben's history: %q", got)
	}
	people, err := lv.People(w.ctx, w.anaA, room.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range people {
		if !p.Me {
			t.Errorf("Ana's people list shows %+v", p)
		}
	}
	people, err = lv.People(w.ctx, w.benA, room.ID)
	if err != nil || len(people) != 2 {
		t.Errorf("Ben's people list: %+v, %v", people, err)
	}
}

// TestBlockedPeopleAreNeverMatched checks what internal/support already
// does: a request is never offered to a supporter who blocked the member
// or whom the member blocked.
func TestBlockedPeopleAreNeverMatched(t *testing.T) {
	for _, blockerIsMember := range []bool{true, false} {
		w := newWorld(t)
		ctx, db, sup := w.ctx, w.env.Store, w.env.Services.Support
		now := time.Now().UTC()
		course := &kindred.Course{OrgID: w.org.ID, Slug: "peer", Title: "Peer support", Published: true, CreatedAt: now, UpdatedAt: now}
		if err := db.CreateCourse(ctx, course); err != nil {
			t.Fatal(err)
		}
		for _, s := range []*kindred.Account{w.ben, w.cy} {
			if err := db.CreateCertification(ctx, &kindred.Certification{OrgID: w.org.ID, CourseID: course.ID, AccountID: s.ID,
				Decision: kindred.SignOffGranted, RequestedAt: now, DecidedBy: w.mod.ID, DecidedAt: &now}); err != nil {
				t.Fatal(err)
			}
			if _, err := sup.SaveProfile(ctx, kindredtest.Actor(s), "rainbow", kindred.SupporterProfileDraft{Intro: "Hi.",
				Experiences: []string{"coming_out"}, Languages: []string{"en"}, Capacity: 3}); err != nil {
				t.Fatal(err)
			}
			if err := sup.StartShift(ctx, kindredtest.Actor(s), "rainbow"); err != nil {
				t.Fatal(err)
			}
		}
		if blockerIsMember {
			_, err := w.env.Services.Blocks.Block(ctx, w.anaA, "rainbow", w.ben.ID)
			if err != nil {
				t.Fatal(err)
			}
		} else if _, err := w.env.Services.Blocks.Block(ctx, w.benA, "rainbow", w.ana.ID); err != nil {
			t.Fatal(err)
		}
		v, err := sup.RequestSupport(ctx, w.anaA, "rainbow", kindred.SupportRequestDraft{Topics: []string{"coming_out"}})
		if err != nil {
			t.Fatal(err)
		}
		offers, err := db.ListSupportOffers(ctx, kindred.SupportOfferFilter{RequestID: v.Request.ID, Limit: 100})
		if err != nil {
			t.Fatal(err)
		}
		var to []string
		for _, o := range offers {
			to = append(to, o.SupporterID)
		}
		if slices.Contains(to, w.ben.ID) || !slices.Contains(to, w.cy.ID) {
			t.Errorf("member blocked (%v): offers went to %v; want Cy (%s) and never Ben (%s)", blockerIsMember, to, w.cy.ID, w.ben.ID)
		}
	}
}
