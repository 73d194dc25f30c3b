package sqlstore

import (
	"sync"
	"testing"

	"kindred"
)

// moderationContract lists the moderation store's contract cases.
var moderationContract = []struct {
	name string
	fn   func(t *testing.T, db *DB)
}{
	{"ModerationCases", testModerationCases},
	{"ModerationCaseConcurrently", testModerationCaseConcurrently},
	{"Reports", testReports},
	{"Decisions", testDecisions},
	{"Suspensions", testSuspensions},
	{"ModerationSettings", testModerationSettings},
	{"HiddenPosts", testHiddenPosts},
	{"EraseModeration", testEraseModeration},
}

// modWorld is an organisation with a thread and a reply to report.
type modWorld struct {
	org                 *kindred.Organization
	admin, author, peer *kindred.Account
	thread              *kindred.Thread
	opening, reply      *kindred.Post
}

func newModWorld(t testing.TB, db *DB) *modWorld {
	w := &modWorld{admin: newAccount(t, db, "ada", "Ada"), author: newAccount(t, db, "bo", "Bo"), peer: newAccount(t, db, "cy", "Cy")}
	w.org = newOrg(t, db, "harbour", "Harbour", w.admin)
	newMember(t, db, w.org, w.author, "")
	newMember(t, db, w.org, w.peer, "")
	g := newGroup(t, db, w.org, "circle", "Circle", w.admin)
	w.thread, w.opening = newThread(t, db, g, w.author, "Hello", at(0))
	w.reply = newReply(t, db, w.thread, w.author, "A reply", at(1))
	return w
}

func (w *modWorld) postCase(post *kindred.Post) *kindred.ModerationCase {
	return &kindred.ModerationCase{OrgID: w.org.ID, Kind: kindred.TargetPost, TargetID: post.ID, ContextID: post.ThreadID,
		SubjectID: post.AuthorID, CreatedAt: at(5)}
}

func testModerationCases(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newModWorld(t, db)
	c, err := db.OpenModerationCase(ctx, w.postCase(w.reply), false)
	must(t, err)
	wantEqual(t, "status", c.Status, kindred.CaseOpen)
	wantEqual(t, "crisis", c.Crisis, false)
	again, err := db.OpenModerationCase(ctx, w.postCase(w.reply), true)
	must(t, err)
	wantEqual(t, "same open case", again.ID, c.ID)
	wantEqual(t, "crisis raised on the open case", again.Crisis, true)

	other, err := db.OpenModerationCase(ctx, w.postCase(w.opening), false)
	must(t, err)
	heavy := 2.5
	if _, err := db.UpdateModerationCase(ctx, other.ID, kindred.CaseUpdate{Weight: &heavy}); err != nil {
		t.Fatal(err)
	}
	person, err := db.OpenModerationCase(ctx, &kindred.ModerationCase{OrgID: w.org.ID, Kind: kindred.TargetPerson,
		TargetID: w.peer.ID, SubjectID: w.peer.ID, CreatedAt: at(1)}, false)
	must(t, err)
	support, err := db.OpenModerationCase(ctx, &kindred.ModerationCase{OrgID: w.org.ID, Kind: kindred.TargetSupportRequest,
		TargetID: kindred.NewID(), SubjectID: w.peer.ID, CoordinatorsOnly: true, CreatedAt: at(2)}, true)
	must(t, err)

	// Crisis first, then weight, then the oldest; coordinators' cases only
	// when asked for.
	list, err := db.ListModerationCases(ctx, kindred.CaseFilter{OrgID: w.org.ID, Status: kindred.CaseOpen})
	must(t, err)
	wantEqual(t, "queue", ids(list), []string{c.ID, other.ID, person.ID})
	list, err = db.ListModerationCases(ctx, kindred.CaseFilter{OrgID: w.org.ID, Status: kindred.CaseOpen, WithCoordinatorsOnly: true})
	must(t, err)
	wantEqual(t, "queue with support flags", ids(list), []string{support.ID, c.ID, other.ID, person.ID})
	list, err = db.ListModerationCases(ctx, kindred.CaseFilter{OrgID: w.org.ID, Status: kindred.CaseOpen, NotAbout: w.author.ID})
	must(t, err)
	wantEqual(t, "queue not about the author", ids(list), []string{person.ID})

	n, err := db.CountCrisisCases(ctx, w.org.ID, false)
	must(t, err)
	wantEqual(t, "crisis count", n, 1)
	n, err = db.CountCrisisCases(ctx, w.org.ID, true)
	must(t, err)
	wantEqual(t, "crisis count with support flags", n, 2)

	// Resolving a case lets a new one open about the same target.
	resolved, outcome := kindred.CaseResolved, kindred.ActionDismiss
	when := ptr(at(9))
	if _, err := db.UpdateModerationCase(ctx, c.ID, kindred.CaseUpdate{Status: &resolved, Outcome: &outcome, ResolvedAt: &when}); err != nil {
		t.Fatal(err)
	}
	got, err := db.FindModerationCase(ctx, c.ID)
	must(t, err)
	wantEqual(t, "resolved", got.Status, kindred.CaseResolved)
	wantEqual(t, "resolved at", *got.ResolvedAt, at(9))
	fresh, err := db.OpenModerationCase(ctx, w.postCase(w.reply), false)
	must(t, err)
	if fresh.ID == c.ID {
		t.Error("a resolved case was reused for a new report")
	}
	_, err = db.FindModerationCase(ctx, kindred.NewID())
	wantCode(t, err, kindred.ENOTFOUND)
}

func ids(cs []*kindred.ModerationCase) []string {
	out := []string{}
	for _, c := range cs {
		out = append(out, c.ID)
	}
	return out
}

// Many first reports at once still make one open case.
func testModerationCaseConcurrently(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newModWorld(t, db)
	var wg sync.WaitGroup
	got := make([]string, 8)
	for i := range got {
		wg.Go(func() {
			c, err := db.OpenModerationCase(ctx, w.postCase(w.reply), false)
			if kindred.ErrorCode(err) == kindred.ECONFLICT { // the race's loser retries, as the service does
				c, err = db.OpenModerationCase(ctx, w.postCase(w.reply), false)
			}
			if err != nil {
				t.Error(err)
				return
			}
			got[i] = c.ID
		})
	}
	wg.Wait()
	for _, id := range got {
		if id != got[0] {
			t.Fatalf("concurrent opens made several cases: %v", got)
		}
	}
}

func testReports(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newModWorld(t, db)
	c, err := db.OpenModerationCase(ctx, w.postCase(w.reply), false)
	must(t, err)
	r := &kindred.Report{CaseID: c.ID, OrgID: w.org.ID, ReporterID: w.peer.ID, Reason: kindred.ReasonSpam, Note: "Links", Weight: 1.2, CreatedAt: at(6)}
	created, err := db.SaveReport(ctx, r)
	must(t, err)
	wantEqual(t, "created", created, true)
	// Reporting again updates the one report.
	again := &kindred.Report{CaseID: c.ID, OrgID: w.org.ID, ReporterID: w.peer.ID, Reason: kindred.ReasonHate, Note: "Worse", Weight: 1.4, CreatedAt: at(7)}
	created, err = db.SaveReport(ctx, again)
	must(t, err)
	wantEqual(t, "created again", created, false)
	wantEqual(t, "same report", again.ID, r.ID)
	list, err := db.ListReports(ctx, kindred.ReportFilter{CaseID: c.ID})
	must(t, err)
	if len(list) != 1 || list[0].Reason != kindred.ReasonHate || list[0].Note != "Worse" || list[0].Weight != 1.4 || !list[0].CreatedAt.Equal(at(6)) {
		t.Fatalf("reports = %+v", list)
	}
	mine, err := db.ListReports(ctx, kindred.ReportFilter{OrgID: w.org.ID, ReporterID: w.peer.ID})
	must(t, err)
	wantEqual(t, "mine", len(mine), 1)

	// The record counts decided cases, upheld when an action was taken.
	up, judged, err := db.ReporterRecord(ctx, w.org.ID, w.peer.ID)
	must(t, err)
	wantEqual(t, "record while open", [2]int{up, judged}, [2]int{0, 0})
	resolved, hide := kindred.CaseResolved, kindred.ActionHide
	_, err = db.UpdateModerationCase(ctx, c.ID, kindred.CaseUpdate{Status: &resolved, Outcome: &hide})
	must(t, err)
	c2, err := db.OpenModerationCase(ctx, w.postCase(w.opening), false)
	must(t, err)
	_, err = db.SaveReport(ctx, &kindred.Report{CaseID: c2.ID, OrgID: w.org.ID, ReporterID: w.peer.ID, Reason: kindred.ReasonSpam, Weight: 1})
	must(t, err)
	dismiss := kindred.ActionDismiss
	_, err = db.UpdateModerationCase(ctx, c2.ID, kindred.CaseUpdate{Status: &resolved, Outcome: &dismiss})
	must(t, err)
	up, judged, err = db.ReporterRecord(ctx, w.org.ID, w.peer.ID)
	must(t, err)
	wantEqual(t, "record", [2]int{up, judged}, [2]int{1, 2})
}

func testDecisions(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newModWorld(t, db)
	c, err := db.OpenModerationCase(ctx, w.postCase(w.reply), false)
	must(t, err)
	resolved, warn := kindred.CaseResolved, kindred.ActionWarn
	d := &kindred.Decision{CaseID: c.ID, OrgID: w.org.ID, SubjectID: w.author.ID, Action: warn, Reason: "Be kind", ActorID: w.admin.ID, CreatedAt: at(10)}
	must(t, db.CreateDecision(ctx, d, kindred.CaseUpdate{Status: &resolved, Outcome: &warn}))
	got, err := db.FindDecision(ctx, d.ID)
	must(t, err)
	if got.Action != warn || got.Reason != "Be kind" || got.ActorID != w.admin.ID || got.Kind != kindred.TargetPost || got.AppealedAt != nil {
		t.Fatalf("decision = %+v", got)
	}
	cc, err := db.FindModerationCase(ctx, c.ID)
	must(t, err)
	wantEqual(t, "case resolved with the decision", cc.Outcome, warn)

	mine, err := db.ListDecisions(ctx, kindred.DecisionFilter{OrgID: w.org.ID, SubjectID: w.author.ID})
	must(t, err)
	wantEqual(t, "decisions about the author", len(mine), 1)
	err = db.DecideAppeal(ctx, d.ID, kindred.AppealUpheld, "Stands", w.peer.ID, at(11))
	wantCode(t, err, kindred.ECONFLICT) // never appealed
	must(t, db.AppealDecision(ctx, d.ID, "I was quoting", at(12)))
	wantCode(t, db.AppealDecision(ctx, d.ID, "Again", at(13)), kindred.ECONFLICT) // once only
	open, err := db.ListDecisions(ctx, kindred.DecisionFilter{OrgID: w.org.ID, OpenAppeals: true})
	must(t, err)
	wantEqual(t, "open appeals", len(open), 1)
	must(t, db.DecideAppeal(ctx, d.ID, kindred.AppealOverturned, "Fair point", w.peer.ID, at(14)))
	wantCode(t, db.DecideAppeal(ctx, d.ID, kindred.AppealUpheld, "No", w.peer.ID, at(15)), kindred.ECONFLICT)
	got, err = db.FindDecision(ctx, d.ID)
	must(t, err)
	if got.AppealNote != "I was quoting" || got.AppealOutcome != kindred.AppealOverturned || got.AppealDecidedBy != w.peer.ID || !got.AppealDecidedAt.Equal(at(14)) {
		t.Fatalf("appealed decision = %+v", got)
	}
	wantCode(t, db.AppealDecision(ctx, kindred.NewID(), "x", at(1)), kindred.ENOTFOUND)
}

func testSuspensions(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newModWorld(t, db)
	_, err := db.ActiveSuspension(ctx, w.org.ID, w.author.ID, at(0))
	wantCode(t, err, kindred.ENOTFOUND)
	c, err := db.OpenModerationCase(ctx, w.postCase(w.reply), false)
	must(t, err)
	resolved, suspend := kindred.CaseResolved, kindred.ActionSuspend
	d := &kindred.Decision{CaseID: c.ID, OrgID: w.org.ID, SubjectID: w.author.ID, Action: suspend, Reason: "Cool off",
		ActorID: w.admin.ID, Until: ptr(at(60)), CreatedAt: at(10)}
	must(t, db.CreateDecision(ctx, d, kindred.CaseUpdate{Status: &resolved, Outcome: &suspend}))
	until, err := db.ActiveSuspension(ctx, w.org.ID, w.author.ID, at(30))
	must(t, err)
	wantEqual(t, "until", until, at(60))
	_, err = db.ActiveSuspension(ctx, w.org.ID, w.author.ID, at(60)) // lifts by itself
	wantCode(t, err, kindred.ENOTFOUND)
	_, err = db.ActiveSuspension(ctx, w.org.ID, w.peer.ID, at(30))
	wantCode(t, err, kindred.ENOTFOUND)
	must(t, db.AppealDecision(ctx, d.ID, "Sorry", at(11)))
	must(t, db.DecideAppeal(ctx, d.ID, kindred.AppealOverturned, "Lifted", w.peer.ID, at(12)))
	_, err = db.ActiveSuspension(ctx, w.org.ID, w.author.ID, at(30)) // overturned
	wantCode(t, err, kindred.ENOTFOUND)
}

func testModerationSettings(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newModWorld(t, db)
	s, err := db.FindModerationSettings(ctx, w.org.ID)
	must(t, err)
	wantEqual(t, "defaults", *s, *kindred.DefaultModerationSettings(w.org.ID))
	must(t, db.SaveModerationSettings(ctx, &kindred.ModerationSettings{OrgID: w.org.ID, HideThreshold: 4.5, HoldCrisisPosts: true, UpdatedAt: at(3)}))
	must(t, db.SaveModerationSettings(ctx, &kindred.ModerationSettings{OrgID: w.org.ID, HideThreshold: 5, HoldCrisisPosts: true, UpdatedAt: at(4)}))
	s, err = db.FindModerationSettings(ctx, w.org.ID)
	must(t, err)
	wantEqual(t, "saved", *s, kindred.ModerationSettings{OrgID: w.org.ID, HideThreshold: 5, HoldCrisisPosts: true, UpdatedAt: at(4)})
}

// A hidden post is listed for its author alone, and a hidden reply leaves
// the thread's reply count until it is shown again.
func testHiddenPosts(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newModWorld(t, db)
	count := func() int {
		th, err := db.FindThread(ctx, w.thread.ID)
		must(t, err)
		return th.ReplyCount
	}
	listed := func(viewer string) int {
		ps, err := db.ListPosts(ctx, kindred.PostFilter{ThreadID: w.thread.ID, ViewerID: viewer})
		must(t, err)
		return len(ps)
	}
	wantEqual(t, "replies", count(), 1)
	must(t, db.SetPostHidden(ctx, w.reply.ID, kindred.HiddenPendingReview))
	must(t, db.SetPostHidden(ctx, w.reply.ID, kindred.HiddenByModerator)) // hidden again: counted once
	wantEqual(t, "replies while hidden", count(), 0)
	wantEqual(t, "posts the peer sees", listed(w.peer.ID), 1)
	wantEqual(t, "posts the author sees", listed(w.author.ID), 2)
	p, err := db.FindPost(ctx, w.reply.ID)
	must(t, err)
	wantEqual(t, "hidden", p.Hidden, kindred.HiddenByModerator)
	must(t, db.SetPostHidden(ctx, w.reply.ID, kindred.PostVisible))
	wantEqual(t, "replies when shown", count(), 1)
	wantEqual(t, "posts the peer sees again", listed(w.peer.ID), 2)

	// A reply stored hidden (held for review) is never counted.
	held := &kindred.Post{ThreadID: w.thread.ID, AuthorID: w.author.ID, Body: "held", Hidden: kindred.HiddenCrisisHold, CreatedAt: at(20)}
	must(t, db.CreatePost(ctx, held))
	wantEqual(t, "replies with a held one", count(), 1)
	th, err := db.FindThread(ctx, w.thread.ID)
	must(t, err)
	if !th.LastPostAt.Before(at(20)) {
		t.Errorf("a held reply moved the thread's last activity to %v", th.LastPostAt)
	}
	// A hidden opening post shows on the thread.
	must(t, db.SetPostHidden(ctx, w.opening.ID, kindred.HiddenByModerator))
	th, err = db.FindThread(ctx, w.thread.ID)
	must(t, err)
	wantEqual(t, "opening hidden", th.OpeningHidden, kindred.HiddenByModerator)
	wantEqual(t, "replies unchanged by the opening post", th.ReplyCount, 1)
	wantCode(t, db.SetPostHidden(ctx, kindred.NewID(), kindred.HiddenByModerator), kindred.ENOTFOUND)
}

// Erasing an account erases its reports and appeal notes, and unlinks it
// from the cases and decisions others keep.
func testEraseModeration(t *testing.T, db *DB) {
	ctx := t.Context()
	w := newModWorld(t, db)
	c, err := db.OpenModerationCase(ctx, w.postCase(w.reply), false)
	must(t, err)
	_, err = db.SaveReport(ctx, &kindred.Report{CaseID: c.ID, OrgID: w.org.ID, ReporterID: w.author.ID, Reason: kindred.ReasonOther, Note: "marker-note", Weight: 1})
	must(t, err)
	resolved, warn := kindred.CaseResolved, kindred.ActionWarn
	d := &kindred.Decision{CaseID: c.ID, OrgID: w.org.ID, SubjectID: w.author.ID, Action: warn, Reason: "Be kind", ActorID: w.admin.ID}
	must(t, db.CreateDecision(ctx, d, kindred.CaseUpdate{Status: &resolved, Outcome: &warn}))
	must(t, db.AppealDecision(ctx, d.ID, "marker-appeal", at(1)))
	must(t, db.inTx(ctx, func(tx conn) error { return eraseModeration(ctx, tx, w.author.ID) }))
	reports, err := db.ListReports(ctx, kindred.ReportFilter{CaseID: c.ID})
	must(t, err)
	wantEqual(t, "reports left", len(reports), 0)
	got, err := db.FindDecision(ctx, d.ID)
	must(t, err)
	if got.SubjectID != "" || got.AppealNote != "" || got.Reason != "Be kind" {
		t.Errorf("decision after erasure = %+v", got)
	}
	cc, err := db.FindModerationCase(ctx, c.ID)
	must(t, err)
	wantEqual(t, "case subject", cc.SubjectID, "")
}
