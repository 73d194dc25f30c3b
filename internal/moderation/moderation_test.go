package moderation_test

import (
	"context"
	"strings"
	"sync"
	"testing"
	"time"

	"kindred"
	"kindred/internal/broker"
	"kindred/internal/groups"
	"kindred/internal/kindredtest"
	"kindred/internal/live"
	"kindred/internal/markup"
	"kindred/internal/moderation"
	"kindred/internal/sqlstore"
)

// clock is a test clock that moves only when told.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

// world is an organisation with a group and a thread, services on a
// shared test clock, and people of different standing.
type world struct {
	t      *testing.T
	env    *kindredtest.Env
	store  *sqlstore.DB
	clock  *clock
	mod    *moderation.Service
	grp    *groups.Service
	lv     *live.Service
	org    *kindred.Organization
	group  *kindred.Group
	thread *kindred.Thread
	admin  *kindred.Account // decides
	mod2   *kindred.Account // another moderator
	author *kindred.Account
	reply  *kindred.Post
}

func newWorld(t *testing.T) *world {
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	w := &world{t: t, env: env, store: env.Store, clock: &clock{t: time.Now().UTC()}}
	events := broker.NewMemory()
	w.mod = moderation.New(w.store, moderation.Options{Now: w.clock.now, Broker: events, ReportEvery: time.Millisecond, ReportBurst: 1000})
	render := markup.New()
	w.grp = groups.New(w.store, render, groups.Options{Now: w.clock.now, Crisis: w.mod, PostEvery: time.Millisecond, PostBurst: 1000, Broker: events})
	w.lv = live.New(w.store, w.grp, render, live.Options{Now: w.clock.now, Broker: events, Crisis: w.mod, SendEvery: time.Millisecond, SendBurst: 1000})
	t.Cleanup(w.lv.Close)
	w.mod.SetRooms(w.lv)
	w.admin = w.person("ada", 400, kindred.RoleAdmin, true)
	w.org = env.Org(t, w.admin, "harbour", kindred.JoinOpen)
	w.mod2 = w.person("mo", 400, kindred.RoleModerator, false)
	w.author = w.person("bo", 400, kindred.RoleMember, false)
	w.group = env.Group(t, w.org, "circle", kindred.VisibilityPublic, kindred.AgeAny, w.admin)
	env.GroupMember(t, w.group, w.author, kindred.StatusActive)
	w.thread, w.reply = env.Thread(t, w.group, w.author, "Hello")
	return w
}

// person makes an account and (unless first) a member of the
// organisation, both made days ago.
func (w *world) person(handle string, days int, roles kindred.Role, first bool) *kindred.Account {
	w.t.Helper()
	made := w.clock.now().Add(-time.Duration(days) * 24 * time.Hour)
	a := &kindred.Account{ID: kindred.NewID(), Handle: handle, DisplayName: strings.ToUpper(handle[:1]) + handle[1:],
		AgeBand: kindred.AgeAdult, CreatedAt: made}
	if err := w.store.CreateAccount(context.Background(), a); err != nil {
		w.t.Fatal(err)
	}
	if !first {
		m := &kindred.Membership{OrgID: w.org.ID, AccountID: a.ID, Roles: roles | kindred.RoleMember, Status: kindred.StatusActive, CreatedAt: made}
		if err := w.store.CreateMembership(context.Background(), m); err != nil {
			w.t.Fatal(err)
		}
	}
	return a
}

func act(a *kindred.Account) *kindred.Actor { return kindredtest.Actor(a) }

func (w *world) postRef(p *kindred.Post) moderation.TargetRef {
	return moderation.TargetRef{Kind: kindred.TargetPost, OrgSlug: w.org.Slug, GroupSlug: w.group.Slug, PostID: p.ID}
}

func (w *world) report(a *kindred.Account, p *kindred.Post, reason kindred.ReportReason) *moderation.Receipt {
	w.t.Helper()
	rc, err := w.mod.Report(context.Background(), act(a), w.postRef(p), kindred.ReportDraft{Reason: reason, Note: "note by " + a.Handle})
	if err != nil {
		w.t.Fatalf("report by %s: %v", a.Handle, err)
	}
	return rc
}

// sees reports whether a reads the post in the thread.
func (w *world) sees(a *kindred.Account, p *kindred.Post) bool {
	w.t.Helper()
	v, err := w.grp.Thread(context.Background(), act(a), w.org.Slug, w.group.Slug, w.thread.ID, 1)
	if err != nil {
		w.t.Fatal(err)
	}
	for _, pv := range v.Posts {
		if pv.ID == p.ID {
			return true
		}
	}
	return false
}

func (w *world) replies(a *kindred.Account) int {
	v, err := w.grp.Thread(context.Background(), act(a), w.org.Slug, w.group.Slug, w.thread.ID, 1)
	if err != nil {
		w.t.Fatal(err)
	}
	return v.Thread.ReplyCount
}

func (w *world) onlyCase() *kindred.ModerationCase {
	w.t.Helper()
	q, err := w.mod.Queue(context.Background(), act(w.admin), w.org.Slug, false)
	if err != nil {
		w.t.Fatal(err)
	}
	if len(q.Cases) != 1 {
		w.t.Fatalf("queue has %d cases, want 1", len(q.Cases))
	}
	return q.Cases[0]
}

func TestSwarmOfNewAccountsCannotHide(t *testing.T) {
	w := newWorld(t)
	reader := w.person("reader", 300, kindred.RoleMember, false)
	for i := range 40 {
		w.report(w.person("swarm"+string(rune('a'+i%26))+string(rune('a'+i/26)), 1, kindred.RoleMember, false), w.reply, kindred.ReasonHate)
	}
	c := w.onlyCase()
	if c.Reports != 40 || c.Weight >= kindred.DefaultHideThreshold || c.Hidden {
		t.Fatalf("after the swarm: %d reports, weight %.2f, hidden %t", c.Reports, c.Weight, c.Hidden)
	}
	if !w.sees(reader, w.reply) {
		t.Fatal("a swarm of new accounts hid the post")
	}
}

func TestEstablishedReportsHidePendingReview(t *testing.T) {
	w := newWorld(t)
	a, b, reader := w.person("ana", 200, kindred.RoleMember, false), w.person("ben", 200, kindred.RoleMember, false), w.person("reader", 200, kindred.RoleMember, false)
	before := w.replies(reader)
	w.report(a, w.reply, kindred.ReasonHarassment)
	// Reporting twice updates the one report: no extra weight.
	if rc := w.report(a, w.reply, kindred.ReasonHate); !rc.Updated {
		t.Error("a second report by the same person was not an update")
	}
	if c := w.onlyCase(); c.Reports != 1 || c.Hidden {
		t.Fatalf("after one person twice: %d reports, hidden %t", c.Reports, c.Hidden)
	}
	w.report(b, w.reply, kindred.ReasonHarassment)
	c := w.onlyCase()
	if !c.Hidden || c.Weight < kindred.DefaultHideThreshold {
		t.Fatalf("two established members: weight %.2f, hidden %t", c.Weight, c.Hidden)
	}
	if w.sees(reader, w.reply) {
		t.Error("the hidden post is still shown to others")
	}
	if got := w.replies(reader); got != before-1 {
		t.Errorf("reply count = %d, want %d: a hidden reply must not be counted", got, before-1)
	}
	if !w.sees(w.author, w.reply) {
		t.Error("the author no longer sees their own hidden post")
	}
	// Others cannot react to, or report, what they cannot see.
	if _, err := w.grp.React(context.Background(), act(reader), w.org.Slug, w.group.Slug, w.reply.ID, kindred.ReactMeToo, true); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Errorf("reacting to a hidden post: %v, want not found", err)
	}
	_, err := w.mod.Target(context.Background(), act(reader), w.postRef(w.reply))
	if kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Errorf("reporting a hidden post: %v, want not found", err)
	}
	// Dismissing puts it back.
	if _, err := w.mod.Decide(context.Background(), act(w.admin), w.org.Slug, c.ID, kindred.DecisionDraft{Action: kindred.ActionDismiss, Reason: "Fine"}); err != nil {
		t.Fatal(err)
	}
	if !w.sees(reader, w.reply) || w.replies(reader) != before {
		t.Error("dismissing did not restore the post and its count")
	}
}

func TestActionsAreAppliedAndAudited(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	reporter, reader := w.person("rae", 200, kindred.RoleMember, false), w.person("reader", 200, kindred.RoleMember, false)
	var last string // the case: a hidden post can't be reported again, so it is restored on its case
	decide := func(a kindred.ModAction, days int) *kindred.Decision {
		t.Helper()
		w.clock.add(time.Minute) // decisions are listed newest first
		if a != kindred.ActionRestore {
			w.report(reporter, w.reply, kindred.ReasonHarassment)
			last = w.onlyCase().ID
		}
		d, err := w.mod.Decide(ctx, act(w.admin), w.org.Slug, last, kindred.DecisionDraft{Action: a, Reason: "Reason for " + string(a), Days: days})
		if err != nil {
			t.Fatalf("%s: %v", a, err)
		}
		return d
	}
	// A reason is required, kindly.
	w.report(reporter, w.reply, kindred.ReasonSpam)
	_, err := w.mod.Decide(ctx, act(w.admin), w.org.Slug, w.onlyCase().ID, kindred.DecisionDraft{Action: kindred.ActionHide})
	if kindred.ErrorFields(err)["reason"] == "" {
		t.Fatalf("hiding without a reason: %v", err)
	}
	if _, err := w.mod.Decide(ctx, act(w.admin), w.org.Slug, w.onlyCase().ID, kindred.DecisionDraft{Action: kindred.ActionDismiss, Reason: "ok"}); err != nil {
		t.Fatal(err)
	}

	decide(kindred.ActionHide, 0)
	if w.sees(reader, w.reply) {
		t.Error("hide: the post is still shown")
	}
	p, _ := w.store.FindPost(ctx, w.reply.ID)
	if p.Hidden != kindred.HiddenByModerator {
		t.Errorf("hide: post hidden = %q", p.Hidden)
	}
	decide(kindred.ActionRestore, 0)
	if !w.sees(reader, w.reply) {
		t.Error("restore: the post is not back")
	}
	decide(kindred.ActionWarn, 0)
	mine, err := w.mod.Mine(ctx, act(w.author), w.org.Slug)
	if err != nil || len(mine.Decisions) != 2 || mine.Decisions[0].Decision.Action != kindred.ActionWarn {
		t.Fatalf("the author's decisions: %+v, %v", mine, err)
	}
	decide(kindred.ActionBan, 0)
	if _, err := w.env.Services.Orgs.Join(ctx, act(w.author), w.org.Slug, true); kindred.ErrorCode(err) != kindred.EFORBIDDEN {
		t.Errorf("a banned person rejoining: %v, want forbidden", err)
	}
	if _, err := w.grp.Reply(ctx, act(w.author), w.org.Slug, w.group.Slug, w.thread.ID, kindred.ReplyDraft{Body: "back"}); err == nil {
		t.Error("a banned person could still post")
	}
	// Every action is audited with ids only.
	entries, err := w.store.ListAudit(ctx, kindred.AuditFilter{OrgID: w.org.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, e := range entries {
		seen[e.Action] = true
		if strings.Contains(e.Detail, "Reason for") || strings.Contains(e.Detail, "note by") {
			t.Errorf("audit entry %s carries words: %q", e.Action, e.Detail)
		}
	}
	for _, a := range []string{"moderation.hide", "moderation.restore", "moderation.warn", "moderation.ban", "moderation.dismiss"} {
		if !seen[a] {
			t.Errorf("no audit entry %s", a)
		}
	}
}

func TestSuspensionLiftsByItself(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	w.report(w.person("rae", 200, kindred.RoleMember, false), w.reply, kindred.ReasonHarassment)
	if _, err := w.mod.Decide(ctx, act(w.admin), w.org.Slug, w.onlyCase().ID,
		kindred.DecisionDraft{Action: kindred.ActionSuspend, Reason: "Cool off", Days: 3}); err != nil {
		t.Fatal(err)
	}
	reply := func() error {
		_, err := w.grp.Reply(ctx, act(w.author), w.org.Slug, w.group.Slug, w.thread.ID, kindred.ReplyDraft{Body: "Hi"})
		return err
	}
	if err := reply(); kindred.ErrorCode(err) != kindred.EFORBIDDEN || !strings.Contains(kindred.ErrorMessage(err), "suspended") {
		t.Fatalf("posting while suspended: %v", err)
	}
	if _, err := w.grp.Thread(ctx, act(w.author), w.org.Slug, w.group.Slug, w.thread.ID, 1); err != nil {
		t.Errorf("a suspended member can no longer read: %v", err)
	}
	w.clock.add(3*24*time.Hour + time.Minute)
	if err := reply(); err != nil {
		t.Fatalf("posting after the suspension ended: %v", err)
	}
}

// Nothing the reported person can read names who reported them.
func TestReporterIsNeverRevealed(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	reporter := w.person("whistle", 200, kindred.RoleMember, false)
	w.report(reporter, w.reply, kindred.ReasonHarassment)
	c := w.onlyCase()
	d, err := w.mod.Decide(ctx, act(w.admin), w.org.Slug, c.ID, kindred.DecisionDraft{Action: kindred.ActionWarn, Reason: "Please be kinder"})
	if err != nil {
		t.Fatal(err)
	}
	cl := w.env.Client(t, w.author)
	for _, path := range []string{"/o/harbour/reports", "/api/v1/organizations/harbour/reports"} {
		st, body := cl.Get(path)
		if st != 200 {
			t.Fatalf("GET %s: %d", path, st)
		}
		for _, secret := range []string{reporter.ID, reporter.Handle, "Whistle", w.admin.ID, w.admin.Handle, "note by"} {
			if strings.Contains(body, secret) {
				t.Errorf("GET %s as the person reported shows %q", path, secret)
			}
		}
		if !strings.Contains(body, "Please be kinder") {
			t.Errorf("GET %s does not show the decision's reason", path)
		}
	}
	// Staff judge what was reported, not who reported it.
	v, err := w.mod.Case(ctx, act(w.mod2), w.org.Slug, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range v.Reports {
		if r.ReporterID != "" {
			t.Error("the case shows staff who reported")
		}
	}
	// The reporter is told the outcome, without who acted.
	mine, err := w.mod.Mine(ctx, act(reporter), w.org.Slug)
	if err != nil || len(mine.Reports) != 1 || !strings.Contains(mine.Reports[0].Outcome, "spoke to the person") {
		t.Fatalf("the reporter's view: %+v, %v", mine, err)
	}
	_ = d
}

func TestAppealOnceToAnotherModerator(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	reader := w.person("reader", 200, kindred.RoleMember, false)
	w.report(w.person("rae", 200, kindred.RoleMember, false), w.reply, kindred.ReasonSpam)
	d, err := w.mod.Decide(ctx, act(w.admin), w.org.Slug, w.onlyCase().ID, kindred.DecisionDraft{Action: kindred.ActionHide, Reason: "Spam"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.mod.Appeal(ctx, act(reader), w.org.Slug, d.ID, kindred.AppealDraft{Note: "not mine"}); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Errorf("appealing someone else's decision: %v", err)
	}
	if _, err := w.mod.Appeal(ctx, act(w.author), w.org.Slug, d.ID, kindred.AppealDraft{Note: "It was a recipe link"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.mod.Appeal(ctx, act(w.author), w.org.Slug, d.ID, kindred.AppealDraft{Note: "Again"}); kindred.ErrorCode(err) != kindred.ECONFLICT {
		t.Errorf("a second appeal: %v, want conflict", err)
	}
	answer := kindred.AppealDecisionDraft{Outcome: kindred.AppealOverturned, Reason: "You're right"}
	if _, err := w.mod.DecideAppeal(ctx, act(w.admin), w.org.Slug, d.ID, answer); kindred.ErrorCode(err) != kindred.EFORBIDDEN {
		t.Errorf("the decider answering their own appeal: %v, want forbidden", err)
	}
	if _, err := w.mod.DecideAppeal(ctx, act(w.mod2), w.org.Slug, d.ID, answer); err != nil {
		t.Fatal(err)
	}
	if !w.sees(reader, w.reply) {
		t.Error("overturning did not restore the post")
	}
}

func TestCrisisFlags(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	coord := w.person("cora", 200, kindred.RoleCoordinator, false)
	const words = "I want to kill myself"
	// A reply: published, flagged, and the writer is told.
	pv, err := w.grp.Reply(ctx, act(w.author), w.org.Slug, w.group.Slug, w.thread.ID, kindred.ReplyDraft{Body: words})
	if err != nil || !pv.Crisis {
		t.Fatalf("crisis reply: %+v, %v", pv, err)
	}
	reader := w.person("reader", 200, kindred.RoleMember, false)
	if !w.sees(reader, &pv.Post) {
		t.Error("a crisis reply was held although the organisation does not hold them")
	}
	// An opening post, and an edit.
	_, th, err := w.grp.StartThread(ctx, act(w.author), w.org.Slug, w.group.Slug, kindred.ThreadDraft{Title: "Tonight", Body: words})
	if err != nil || !th.Crisis {
		t.Fatalf("crisis thread: %+v, %v", th, err)
	}
	ed, err := w.grp.EditPost(ctx, act(w.author), w.org.Slug, w.group.Slug, w.reply.ID, kindred.PostEdit{Body: "I don't want to live anymore"})
	if err != nil || !ed.Crisis {
		t.Fatalf("crisis edit: %+v, %v", ed, err)
	}
	// A chat message.
	room, err := w.lv.OpenConversation(ctx, act(w.author), w.org.Slug, reader.Handle)
	if err != nil {
		t.Fatal(err)
	}
	mv, err := w.lv.Send(ctx, act(w.author), room.ID, kindred.ChatDraft{Body: words})
	if err != nil || !mv.Crisis {
		t.Fatalf("crisis message: %+v, %v", mv, err)
	}
	// A request for support: for coordinators only.
	if _, err := w.env.Services.Support.RequestSupport(ctx, act(reader), w.org.Slug,
		kindred.SupportRequestDraft{Topics: []string{"coming_out"}, Details: words}); err != nil {
		t.Logf("support request: %v", err)
	}
	q, err := w.mod.Queue(ctx, act(w.mod2), w.org.Slug, false)
	if err != nil {
		t.Fatal(err)
	}
	kinds := map[kindred.TargetKind]int{}
	for _, c := range q.Cases {
		if !c.Crisis {
			t.Errorf("a %s case is not a crisis case", c.Kind)
		}
		kinds[c.Kind]++
	}
	if kinds[kindred.TargetPost] != 3 || kinds[kindred.TargetMessage] != 1 || kinds[kindred.TargetSupportRequest] != 0 {
		t.Errorf("a moderator's crisis cases by kind: %v", kinds)
	}
	if n := w.mod.CrisisBadge(ctx, act(w.mod2), w.org); n != 4 {
		t.Errorf("the moderator's badge = %d, want 4", n)
	}
	if n := w.mod.CrisisBadge(ctx, act(reader), w.org); n != 0 {
		t.Errorf("a member's badge = %d, want 0", n)
	}
	// The coordinator (whose own services raise support flags through
	// kindredtest's wiring) sees crisis cases too.
	if _, err := w.mod.Queue(ctx, act(coord), w.org.Slug, false); err != nil {
		t.Errorf("a coordinator's queue: %v", err)
	}
}

func TestSupportRequestCrisisIsForCoordinators(t *testing.T) {
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	ctx := context.Background()
	admin := env.Account(t, "ada", kindred.AgeAdult)
	org := env.Org(t, admin, "harbour", kindred.JoinOpen)
	member, coord, moder := env.Account(t, "bea", kindred.AgeAdult), env.Account(t, "cora", kindred.AgeAdult), env.Account(t, "mo", kindred.AgeAdult)
	env.Member(t, org, member, kindred.RoleMember, kindred.StatusActive)
	env.Member(t, org, coord, kindred.RoleCoordinator, kindred.StatusActive)
	env.Member(t, org, moder, kindred.RoleModerator, kindred.StatusActive)
	if _, err := env.Services.Support.RequestSupport(ctx, act(member), org.Slug,
		kindred.SupportRequestDraft{Topics: []string{"coming_out"}, Details: "I want to kill myself"}); err != nil {
		t.Fatal(err)
	}
	q, err := env.Services.Moderation.Queue(ctx, act(coord), org.Slug, false)
	if err != nil || len(q.Cases) != 1 || q.Cases[0].Kind != kindred.TargetSupportRequest {
		t.Fatalf("the coordinator's queue: %+v, %v", q, err)
	}
	v, err := env.Services.Moderation.Case(ctx, act(coord), org.Slug, q.Cases[0].ID)
	if err != nil || v.SupportLink == "" {
		t.Fatalf("the coordinator's case: %+v, %v", v, err)
	}
	q, err = env.Services.Moderation.Queue(ctx, act(moder), org.Slug, false)
	if err != nil || len(q.Cases) != 0 {
		t.Fatalf("a moderator who does not coordinate sees the support flag: %+v, %v", q, err)
	}
	if _, err := env.Services.Moderation.Case(ctx, act(moder), org.Slug, v.Case.ID); kindred.ErrorCode(err) != kindred.ENOTFOUND {
		t.Errorf("a moderator opening the support flag: %v, want not found", err)
	}
}

func TestHoldCrisisPostsForReview(t *testing.T) {
	w := newWorld(t)
	ctx := context.Background()
	if _, err := w.mod.SaveSettings(ctx, act(w.admin), w.org.Slug, kindred.ModerationSettings{HideThreshold: 3, HoldCrisisPosts: true}); err != nil {
		t.Fatal(err)
	}
	reader := w.person("reader", 200, kindred.RoleMember, false)
	before := w.replies(reader)
	pv, err := w.grp.Reply(ctx, act(w.author), w.org.Slug, w.group.Slug, w.thread.ID, kindred.ReplyDraft{Body: "I want to kill myself"})
	if err != nil || !pv.Crisis || pv.Hidden != kindred.HiddenCrisisHold {
		t.Fatalf("held reply: %+v, %v", pv, err)
	}
	if w.sees(reader, &pv.Post) || w.replies(reader) != before {
		t.Error("a held post shows, or is counted, for others")
	}
	if !w.sees(w.author, &pv.Post) {
		t.Error("the author does not see their held post")
	}
	c := w.onlyCase()
	if _, err := w.mod.Decide(ctx, act(w.mod2), w.org.Slug, c.ID, kindred.DecisionDraft{Action: kindred.ActionReachedOut, Reason: "Sent a message"}); err != nil {
		t.Fatal(err)
	}
	if !w.sees(reader, &pv.Post) {
		t.Error("after staff reached out, the held post is still hidden")
	}
}
