package moderation

import (
	"context"
	"fmt"

	"kindred"
	"kindred/internal/access"
)

// TargetRef names what someone wants to report, as the URL does.
type TargetRef struct {
	Kind      kindred.TargetKind
	OrgSlug   string // posts and people
	GroupSlug string // posts
	PostID    string // posts
	RoomID    string // chat messages (OrgSlug, when set, must be the room's)
	Seq       int64  // chat messages
	AccountID string // people
}

// Target is something the actor may report, as they see it.
type Target struct {
	Org       *kindred.Organization
	Kind      kindred.TargetKind
	TargetID  string
	ContextID string
	SubjectID string
	// What is the words the report form shows ("a reply in “Title”",
	// "a message in a chat", "Jo"); never the content itself.
	What string
	// Back is where the person came from.
	Back string
}

// Target resolves what the actor wants to report. Anything they cannot
// see answers ENOTFOUND, exactly like something that does not exist.
func (s *Service) Target(ctx context.Context, actor *kindred.Actor, ref TargetRef) (*Target, error) {
	if err := signedIn(actor); err != nil {
		return nil, err
	}
	var t *Target
	var err error
	switch ref.Kind {
	case kindred.TargetPost:
		t, err = s.postTarget(ctx, actor, ref)
	case kindred.TargetMessage:
		t, err = s.messageTarget(ctx, actor, ref)
	case kindred.TargetPerson:
		t, err = s.personTarget(ctx, actor, ref)
	default:
		return nil, errNoTarget
	}
	if err != nil {
		return nil, err
	}
	if t.SubjectID == actor.AccountID() {
		return nil, kindred.Errorf(kindred.EINVALID, "That's your own, so there's nothing to report. If you're worried about how you're doing, Get help now at the top of the page lists people you can talk to.")
	}
	return t, nil
}

func (s *Service) postTarget(ctx context.Context, actor *kindred.Actor, ref TargetRef) (*Target, error) {
	p, err := s.member(ctx, actor, ref.OrgSlug)
	if err != nil {
		return nil, err
	}
	g, err := s.store.FindGroupBySlug(ctx, p.Org.ID, ref.GroupSlug)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoTarget
	}
	if err != nil {
		return nil, fmt.Errorf("find group: %w", err)
	}
	sub := p.Subject
	gm, err := s.store.FindGroupMember(ctx, g.ID, actor.AccountID())
	switch kindred.ErrorCode(err) {
	case "":
		sub.GroupMember = gm
	case kindred.ENOTFOUND:
	default:
		return nil, fmt.Errorf("find group member: %w", err)
	}
	// The group is checked before the post is looked up, so whether a post
	// exists is never told to someone who may not read the group.
	if !access.Can(sub, access.ReadGroup, g) {
		return nil, errNoTarget
	}
	post, err := s.store.FindPost(ctx, ref.PostID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoTarget
	}
	if err != nil {
		return nil, fmt.Errorf("find post: %w", err)
	}
	th, err := s.store.FindThread(ctx, post.ThreadID)
	if err != nil || th.GroupID != g.ID || post.Deleted() ||
		(post.Hidden != kindred.PostVisible && post.AuthorID != actor.AccountID()) {
		return nil, errNoTarget
	}
	what := "A reply in “" + th.Title + "”"
	if post.ID == th.OpeningPost {
		what = "The post “" + th.Title + "”"
	}
	return &Target{Org: p.Org, Kind: kindred.TargetPost, TargetID: post.ID, ContextID: th.ID, SubjectID: post.AuthorID,
		What: what, Back: "/o/" + p.Org.Slug + "/g/" + g.Slug + "/t/" + th.ID + "#post-" + post.ID}, nil
}

func (s *Service) messageTarget(ctx context.Context, actor *kindred.Actor, ref TargetRef) (*Target, error) {
	r, err := s.store.FindRoom(ctx, ref.RoomID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoTarget
	}
	if err != nil {
		return nil, fmt.Errorf("find room: %w", err)
	}
	o, err := s.store.FindOrganization(ctx, r.OrgID)
	if err != nil {
		return nil, fmt.Errorf("find organisation: %w", err)
	}
	p, err := s.orgByValue(ctx, actor, o)
	if err != nil || !p.can(access.ViewOrg) || (ref.OrgSlug != "" && ref.OrgSlug != o.Slug) {
		return nil, errNoTarget
	}
	me, err := s.store.FindRoomMember(ctx, r.ID, actor.AccountID())
	if err != nil || me.Removed() {
		return nil, errNoTarget
	}
	if r.Kind == kindred.RoomSession {
		g, err := s.store.FindGroup(ctx, r.GroupID)
		if err != nil {
			return nil, errNoTarget
		}
		sub := p.Subject
		if gm, err := s.store.FindGroupMember(ctx, g.ID, actor.AccountID()); err == nil {
			sub.GroupMember = gm
		}
		if !access.Can(sub, access.ReadGroup, g) {
			return nil, errNoTarget
		}
	}
	m, err := s.store.FindChatMessage(ctx, r.ID, ref.Seq)
	if err != nil || m.Kind != kindred.MessageText || m.RemovedAt != nil {
		return nil, errNoTarget
	}
	return &Target{Org: o, Kind: kindred.TargetMessage, TargetID: kindred.MessageTarget(r.ID, m.Seq), ContextID: r.ID,
		SubjectID: m.AuthorID, What: "A message in a chat", Back: "/rooms/" + r.ID + "#m-" + fmt.Sprint(m.Seq)}, nil
}

func (s *Service) personTarget(ctx context.Context, actor *kindred.Actor, ref TargetRef) (*Target, error) {
	p, err := s.member(ctx, actor, ref.OrgSlug)
	if err != nil {
		return nil, err
	}
	m, err := s.store.FindMembership(ctx, p.Org.ID, ref.AccountID)
	if err != nil || !m.Active() {
		return nil, errNoTarget
	}
	name := m.DisplayName
	if name == "" {
		if a, err := s.store.FindAccount(ctx, m.AccountID); err == nil {
			name = a.Name()
		}
	}
	return &Target{Org: p.Org, Kind: kindred.TargetPerson, TargetID: m.AccountID, SubjectID: m.AccountID,
		What: name, Back: "/o/" + p.Org.Slug}, nil
}

// Receipt is what a reporter is told after reporting.
type Receipt struct {
	Org     *kindred.Organization
	Report  *kindred.Report
	Updated bool // they had reported it before: the report was updated, not added
}

var errTooManyReports = kindred.Errorf(kindred.ERATELIMIT, "You've sent a lot of reports in a short time. Please wait a few minutes and try again — what you wrote is still here.")

// Report files (or updates) the actor's report. Its weight follows the
// reporter's standing; when the case's weight passes the organisation's
// threshold the post or message is hidden pending review.
func (s *Service) Report(ctx context.Context, actor *kindred.Actor, ref TargetRef, d kindred.ReportDraft) (*Receipt, error) {
	t, err := s.Target(ctx, actor, ref)
	if err != nil {
		return nil, err
	}
	if err := d.Validate(); err != nil {
		return nil, err
	}
	if !s.reports.Allow(actor.AccountID()) {
		return nil, errTooManyReports
	}
	set, err := s.store.FindModerationSettings(ctx, t.Org.ID)
	if err != nil {
		return nil, fmt.Errorf("moderation settings: %w", err)
	}
	st, err := s.standing(ctx, actor, t.Org.ID)
	if err != nil {
		return nil, err
	}
	w, newcomer := kindred.ReportWeight(st, set.HideThreshold)
	c, err := s.openCase(ctx, &kindred.ModerationCase{OrgID: t.Org.ID, Kind: t.Kind, TargetID: t.TargetID,
		ContextID: t.ContextID, SubjectID: t.SubjectID}, d.Reason == kindred.ReasonSelfHarm)
	if err != nil {
		return nil, err
	}
	now := s.now().UTC()
	r := &kindred.Report{CaseID: c.ID, OrgID: t.Org.ID, ReporterID: actor.AccountID(), Reason: d.Reason, Note: d.Note,
		Weight: w, Newcomer: newcomer, CreatedAt: now, UpdatedAt: now}
	created, err := s.store.SaveReport(ctx, r)
	if err != nil {
		return nil, fmt.Errorf("save report: %w", err)
	}
	if err := s.weigh(ctx, c, set); err != nil {
		return nil, err
	}
	return &Receipt{Org: t.Org, Report: r, Updated: !created}, nil
}

// openCase finds or opens the case about a target; two reports racing to
// open it meet on the store's unique index, and the loser reads the
// winner's case.
func (s *Service) openCase(ctx context.Context, c *kindred.ModerationCase, crisis bool) (*kindred.ModerationCase, error) {
	out, err := s.store.OpenModerationCase(ctx, c, crisis)
	if kindred.ErrorCode(err) == kindred.ECONFLICT {
		c.ID = ""
		out, err = s.store.OpenModerationCase(ctx, c, crisis)
	}
	if err != nil {
		return nil, fmt.Errorf("open case: %w", err)
	}
	return out, nil
}

// standing gathers what a reporter's weight depends on.
func (s *Service) standing(ctx context.Context, actor *kindred.Actor, orgID string) (kindred.Standing, error) {
	now := s.now()
	st := kindred.Standing{AccountAge: now.Sub(actor.Account.CreatedAt)}
	m, err := s.store.FindMembership(ctx, orgID, actor.AccountID())
	if err != nil {
		return st, fmt.Errorf("find membership: %w", err)
	}
	st.MemberFor = now.Sub(m.CreatedAt)
	st.Staff = m.Roles.Any(kindred.RoleAdmin | kindred.RoleModerator | kindred.RoleCoordinator | kindred.RoleFacilitator)
	st.Upheld, st.Judged, err = s.store.ReporterRecord(ctx, orgID, actor.AccountID())
	if err != nil {
		return st, fmt.Errorf("reporter record: %w", err)
	}
	return st, nil
}

// weigh recomputes a case's weight from its reports and hides its post or
// message once the weight passes the threshold.
func (s *Service) weigh(ctx context.Context, c *kindred.ModerationCase, set *kindred.ModerationSettings) error {
	reports, err := s.store.ListReports(ctx, kindred.ReportFilter{CaseID: c.ID, Limit: 200})
	if err != nil {
		return fmt.Errorf("list reports: %w", err)
	}
	w := kindred.CaseWeight(reports, set.HideThreshold)
	n := len(reports)
	urgent, crisis := false, c.Crisis
	for _, r := range reports {
		urgent = urgent || r.Reason.Urgent()
		crisis = crisis || r.Reason == kindred.ReasonSelfHarm
	}
	u := kindred.CaseUpdate{Weight: &w, Reports: &n, Urgent: &urgent, Crisis: &crisis, UpdatedAt: s.now().UTC()}
	hide := c.Status == kindred.CaseOpen && !c.Hidden && w >= set.HideThreshold &&
		(c.Kind == kindred.TargetPost || c.Kind == kindred.TargetMessage)
	if hide {
		if err := s.hideTarget(ctx, c, kindred.HiddenPendingReview, "", "Hidden while a moderator looks at it."); err != nil {
			return err
		}
		u.Hidden = &hide
	}
	if _, err := s.store.UpdateModerationCase(ctx, c.ID, u); err != nil {
		return fmt.Errorf("weigh case: %w", err)
	}
	if hide {
		// The system acted, not a person: the audit names no actor.
		s.audit.Record(ctx, c.OrgID, "", "moderation.auto_hide", c.ID, string(c.Kind)+" "+c.TargetID)
	}
	return nil
}

// hideTarget hides a post (with why) or removes a chat message.
func (s *Service) hideTarget(ctx context.Context, c *kindred.ModerationCase, why kindred.PostHidden, by, reason string) error {
	switch c.Kind {
	case kindred.TargetPost:
		if err := s.store.SetPostHidden(ctx, c.TargetID, why); err != nil {
			if kindred.ErrorCode(err) == kindred.ENOTFOUND {
				return nil // deleted meanwhile: nothing left to hide
			}
			return fmt.Errorf("hide post: %w", err)
		}
		s.announce(ctx, kindred.PostsTopic, c.TargetID)
	case kindred.TargetMessage:
		rooms := s.roomsSvc()
		roomID, seq, ok := splitMessageTarget(c.TargetID)
		if rooms == nil || !ok {
			return fmt.Errorf("hide message: no chat service")
		}
		if err := rooms.HideMessage(ctx, roomID, seq, by, reason); err != nil && kindred.ErrorCode(err) != kindred.ECONFLICT {
			return fmt.Errorf("hide message: %w", err)
		}
	}
	return nil
}

func splitMessageTarget(id string) (string, int64, bool) {
	for i := len(id) - 1; i >= 0; i-- {
		if id[i] == ':' {
			var seq int64
			if _, err := fmt.Sscan(id[i+1:], &seq); err != nil {
				return "", 0, false
			}
			return id[:i], seq, true
		}
	}
	return "", 0, false
}

// MyReport is one of the actor's reports as they see it: what they said
// and what came of it, never who acted.
type MyReport struct {
	Report  *kindred.Report
	Kind    kindred.TargetKind
	Outcome string // in words, for the reporter
	Open    bool
}

// MyDecision is a decision about the actor as they see it: the action and
// the staff member's reason, never who acted nor who reported.
type MyDecision struct {
	Decision  *kindred.Decision
	CanAppeal bool
}

// Mine is the "My reports" page: the actor's reports with their outcomes,
// and the decisions about them with their appeals.
type Mine struct {
	Org       *kindred.Organization
	Reports   []*MyReport
	Decisions []*MyDecision
}

// Mine returns the actor's reports and the decisions about them in an
// organisation. People banned from it can still read (and appeal) the
// decisions about them; nobody without a membership has anything here.
func (s *Service) Mine(ctx context.Context, actor *kindred.Actor, orgSlug string) (*Mine, error) {
	p, err := s.org(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	if p.Subject.Membership == nil {
		return nil, kindred.Errorf(kindred.EFORBIDDEN, "This is for members of %s.", p.Org.Name)
	}
	out := &Mine{Org: p.Org}
	reports, err := s.store.ListReports(ctx, kindred.ReportFilter{OrgID: p.Org.ID, ReporterID: actor.AccountID(), Limit: 100})
	if err != nil {
		return nil, fmt.Errorf("list reports: %w", err)
	}
	for _, r := range reports {
		c, err := s.store.FindModerationCase(ctx, r.CaseID)
		if err != nil {
			return nil, fmt.Errorf("find case: %w", err)
		}
		out.Reports = append(out.Reports, &MyReport{Report: r, Kind: c.Kind, Open: c.Status == kindred.CaseOpen,
			Outcome: OutcomeForReporter(c)})
	}
	ds, err := s.store.ListDecisions(ctx, kindred.DecisionFilter{OrgID: p.Org.ID, SubjectID: actor.AccountID(), Limit: 100})
	if err != nil {
		return nil, fmt.Errorf("list decisions: %w", err)
	}
	for _, d := range ds {
		if !d.Action.Appealable() {
			continue // dismissals and crisis check-ins are not decisions against anyone
		}
		d.ActorID, d.AppealDecidedBy = "", "" // who acted is never told to the person affected
		out.Decisions = append(out.Decisions, &MyDecision{Decision: d, CanAppeal: d.AppealedAt == nil})
	}
	return out, nil
}

// OutcomeForReporter says what came of a report, kindly and without naming
// anyone.
func OutcomeForReporter(c *kindred.ModerationCase) string {
	thing := "this"
	switch c.Kind {
	case kindred.TargetPost:
		thing = "this post"
	case kindred.TargetMessage:
		thing = "this message"
	}
	if c.Status == kindred.CaseOpen {
		if c.Hidden {
			return fmt.Sprintf("Thank you. Other people's reports agreed, so %s is hidden while a moderator looks at it.", thing)
		}
		return "Thank you. A moderator will look at it soon."
	}
	switch c.Outcome {
	case kindred.ActionHide:
		return fmt.Sprintf("A moderator hid %s. Thank you for telling us.", thing)
	case kindred.ActionWarn:
		return "A moderator spoke to the person about it. Thank you for telling us."
	case kindred.ActionSuspend, kindred.ActionBan:
		return "A moderator took action about the person involved. Thank you for telling us."
	case kindred.ActionReachedOut:
		return "Someone from the team reached out. Thank you for caring about them."
	case kindred.ActionRestore:
		return fmt.Sprintf("A moderator looked again and decided to leave %s up. Thank you for telling us — it's always OK to report.", thing)
	}
	return "A moderator looked and decided no action was needed. Thank you for telling us — it's always OK to report."
}
