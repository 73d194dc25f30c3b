package audit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"kindred"
	"kindred/internal/audit"
	"kindred/internal/kindredtest"
	"kindred/internal/moderation"
	"kindred/internal/training"
)

// TestEveryStaffActionIsAuditedOnce runs each kind of staff action the
// issue names (a role change, removing a member, a sign-off, viewing who
// wrote an anonymous post, a moderation decision) and a person's export
// through the real services, and checks that each wrote exactly one
// audit record naming the actor and the target, holding none of the
// words anyone wrote, and that the chain still verifies.
func TestEveryStaffActionIsAuditedOnce(t *testing.T) {
	ctx := context.Background()
	env := kindredtest.New(t)
	svc := env.Services
	admin := env.Account(t, "staff_admin", kindred.AgeAdult)
	org := env.Org(t, admin, "audited", kindred.JoinOpen)
	group := env.Group(t, org, "circle", kindred.VisibilityPublic, kindred.AgeAny, admin)
	mod := env.Account(t, "staff_mod", kindred.AgeAdult)
	env.Member(t, org, mod, kindred.RoleMember|kindred.RoleModerator, kindred.StatusActive)
	member := env.Account(t, "plain_member", kindred.AgeAdult)
	env.Member(t, org, member, kindred.RoleMember, kindred.StatusActive)
	env.GroupMember(t, group, member, kindred.StatusActive)
	leaver := env.Account(t, "leaving_member", kindred.AgeAdult)
	env.Member(t, org, leaver, kindred.RoleMember, kindred.StatusActive)
	adminA, modA, memberA := kindredtest.Actor(admin), kindredtest.Actor(mod), kindredtest.Actor(member)

	const words = "wordsnobodyshouldfindintheaudit"
	_, anon, err := svc.Groups.StartThread(ctx, memberA, org.Slug, group.Slug, kindred.ThreadDraft{Title: words + " title",
		Body: words + " body", Anonymous: true})
	if err != nil {
		t.Fatal(err)
	}
	posts, err := env.Store.ListPosts(ctx, kindred.PostFilter{ThreadID: anon.ID})
	if err != nil || len(posts) == 0 {
		t.Fatalf("posts: %v (%d)", err, len(posts))
	}
	_, reply, err := svc.Groups.StartThread(ctx, memberA, org.Slug, group.Slug, kindred.ThreadDraft{Title: "Plain", Body: words + " plain"})
	if err != nil {
		t.Fatal(err)
	}
	replyPosts, err := env.Store.ListPosts(ctx, kindred.PostFilter{ThreadID: reply.ID})
	if err != nil || len(replyPosts) == 0 {
		t.Fatalf("posts: %v", err)
	}
	now := time.Now().UTC()
	course := &kindred.Course{OrgID: org.ID, Slug: "peer", Title: "Peer support", Published: true, CreatedAt: now, UpdatedAt: now}
	if err := env.Store.CreateCourse(ctx, course); err != nil {
		t.Fatal(err)
	}
	cert := &kindred.Certification{OrgID: org.ID, CourseID: course.ID, AccountID: member.ID, Decision: kindred.SignOffRequested, RequestedAt: now}
	if err := env.Store.CreateCertification(ctx, cert); err != nil {
		t.Fatal(err)
	}
	rc, err := svc.Moderation.Report(ctx, kindredtest.Actor(leaver), moderation.TargetRef{Kind: kindred.TargetPost, OrgSlug: org.Slug,
		GroupSlug: group.Slug, PostID: replyPosts[0].ID}, kindred.ReportDraft{Reason: kindred.ReasonHarassment, Note: words + " note"})
	if err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		name          string
		orgID, actor  string
		target        string
		act           func() error
		wantActPrefix string
	}{
		{"role change", org.ID, admin.ID, member.ID, func() error {
			_, err := svc.Orgs.SetRoles(ctx, adminA, org.Slug, member.ID, kindred.RoleMember|kindred.RoleFacilitator)
			return err
		}, "member."},
		{"member removal", org.ID, admin.ID, leaver.ID, func() error { return svc.Orgs.Remove(ctx, adminA, org.Slug, leaver.ID) }, "member."},
		{"sign-off", org.ID, admin.ID, member.ID, func() error {
			_, _, err := svc.Training.DecideSignOff(ctx, adminA, org.Slug, cert.ID, training.Decision{Grant: true, Note: words + " well done"})
			return err
		}, "training.signoff."},
		{"viewing an anonymous author", org.ID, mod.ID, posts[0].ID, func() error {
			_, _, _, err := svc.Groups.RevealAuthor(ctx, modA, org.Slug, group.Slug, posts[0].ID)
			return err
		}, "post."},
		{"moderation decision", org.ID, mod.ID, "", func() error {
			_, err := svc.Moderation.Decide(ctx, modA, org.Slug, rc.Report.CaseID, kindred.DecisionDraft{Action: kindred.ActionHide, Reason: words + " reason"})
			return err
		}, ""},
		{"data export", "", member.ID, member.ID, func() error {
			_, err := svc.Privacy.Export(ctx, memberA)
			return err
		}, ""},
	}
	for _, st := range steps {
		before := auditEntries(t, env, st.orgID)
		if err := st.act(); err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		after := auditEntries(t, env, st.orgID)
		if len(after) != len(before)+1 {
			t.Errorf("%s wrote %d audit records, want 1", st.name, len(after)-len(before))
			continue
		}
		e := after[0] // newest first
		if e.ActorID != st.actor {
			t.Errorf("%s: actor %q, want %q", st.name, e.ActorID, st.actor)
		}
		if st.target != "" && e.Target != st.target {
			t.Errorf("%s: target %q, want %q", st.name, e.Target, st.target)
		}
		if !strings.HasPrefix(e.Action, st.wantActPrefix) {
			t.Errorf("%s: action %q, want it to start with %q", st.name, e.Action, st.wantActPrefix)
		}
		if strings.Contains(e.Detail+e.Target+e.Action, words) {
			t.Errorf("%s: the record holds someone's words: %+v", st.name, e)
		}
	}
	if rep, err := auditVerify(env); err != nil || !rep {
		t.Errorf("the chain does not verify after the actions: %v", err)
	}
}

// auditEntries lists an organisation's records ("" for instance-wide
// ones), newest first.
func auditEntries(t *testing.T, env *kindredtest.Env, orgID string) []*kindred.AuditEntry {
	t.Helper()
	es, err := env.Store.ListAudit(context.Background(), kindred.AuditFilter{OrgID: orgID, Limit: 1000})
	if err != nil {
		t.Fatal(err)
	}
	if orgID == "" { // ListAudit without an organisation lists every record
		var own []*kindred.AuditEntry
		for _, e := range es {
			if e.OrgID == "" {
				own = append(own, e)
			}
		}
		return own
	}
	return es
}

// auditVerify checks the whole chain of env's store.
func auditVerify(env *kindredtest.Env) (bool, error) {
	rep, err := audit.Verify(context.Background(), env.Store)
	if err != nil {
		return false, err
	}
	return rep.Intact(), nil
}
