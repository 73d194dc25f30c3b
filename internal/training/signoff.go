package training

// Sign-off: coordinators review trainees, grant or decline the peer
// supporter role with a note, and revoke grants. Every decision is
// audited (without anything the trainee wrote) and, when roles change,
// announced after commit so every node re-checks the person's access.

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"kindred"
)

// Reviews is the sign-off queue.
type Reviews struct {
	Place *Place
	// Waiting are requests for review, oldest first (first come, first
	// served); Decided are recent decisions, newest first.
	Waiting []*kindred.Certification
	Decided []*kindred.Certification
}

// Reviews returns the sign-off queue for those who run training. It also
// tidies away the peer supporter role of people whose grants have all
// expired, which is cheap and keeps the roles shown here true.
func (s *Service) Reviews(ctx context.Context, actor *kindred.Actor, orgSlug string) (*Reviews, error) {
	p, err := s.coordinate(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	if _, err := s.ExpireCertifications(ctx); err != nil {
		s.log.WarnContext(ctx, "expire certifications", "err", err)
	}
	waiting, err := s.store.ListCertifications(ctx, kindred.CertificationFilter{OrgID: p.Org.ID, Decision: kindred.SignOffRequested, Limit: 200})
	if err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	for i, j := 0, len(waiting)-1; i < j; i, j = i+1, j-1 {
		waiting[i], waiting[j] = waiting[j], waiting[i]
	}
	all, err := s.store.ListCertifications(ctx, kindred.CertificationFilter{OrgID: p.Org.ID, Limit: 100})
	if err != nil {
		return nil, fmt.Errorf("list certifications: %w", err)
	}
	out := &Reviews{Place: p, Waiting: waiting}
	for _, x := range all {
		if x.Decision != kindred.SignOffRequested {
			out.Decided = append(out.Decided, x)
		}
	}
	return out, nil
}

// TraineeReview is everything a coordinator reads before deciding: the
// trainee's progress on each module, scores, attempts and every scenario
// reflection in full, and their sign-offs on the course.
type TraineeReview struct {
	Place   *Place
	Trainee *kindred.Membership
	Course  *CourseProgress
	// History is the trainee's sign-offs on this course, newest first.
	History []*kindred.Certification
	// Request is the request waiting for a decision, if any.
	Request *kindred.Certification
}

// Trainee returns a trainee's review.
func (s *Service) Trainee(ctx context.Context, actor *kindred.Actor, orgSlug, courseSlug, accountID string) (*TraineeReview, error) {
	p, err := s.coordinate(ctx, actor, orgSlug)
	if err != nil {
		return nil, err
	}
	c, err := s.course(ctx, p, courseSlug)
	if err != nil {
		return nil, err
	}
	m, err := s.store.FindMembership(ctx, p.Org.ID, accountID)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND {
		return nil, errNoPerson
	}
	if err != nil {
		return nil, fmt.Errorf("find trainee: %w", err)
	}
	hist, err := s.store.ListCertifications(ctx, kindred.CertificationFilter{OrgID: p.Org.ID, AccountID: accountID, CourseID: c.ID, Limit: 200})
	if err != nil {
		return nil, fmt.Errorf("list certifications: %w", err)
	}
	cp, err := s.progressOn(ctx, c, accountID, hist)
	if err != nil {
		return nil, err
	}
	out := &TraineeReview{Place: p, Trainee: m, Course: cp, History: hist}
	if cp.Pending() {
		out.Request = cp.Latest
	}
	return out, nil
}

// Decision is a coordinator's answer to a sign-off request.
type Decision struct {
	Grant bool
	// Note is for the trainee: encouragement with a grant, and what to
	// work on with a decline (required then).
	Note string
	// YouthProgramme clears an adult supporter to support members aged
	// 13–17. It does not apply to trainees who are 13–17 themselves.
	YouthProgramme bool
}

// certification loads a certification of the place.
func (s *Service) certification(ctx context.Context, p *Place, id string) (*kindred.Certification, error) {
	x, err := s.store.FindCertification(ctx, id)
	if kindred.ErrorCode(err) == kindred.ENOTFOUND || (err == nil && x.OrgID != p.Org.ID) {
		return nil, errNoCert
	}
	if err != nil {
		return nil, fmt.Errorf("find certification: %w", err)
	}
	return x, nil
}

func checkNote(v kindred.Invalid, note string) {
	if utf8.RuneCountInString(note) > kindred.MaxSignOffNote {
		v.Add("note", fmt.Sprintf("Please keep the note to %d characters or fewer.", kindred.MaxSignOffNote))
	}
}

// DecideSignOff grants or declines a request. A grant gives the peer
// supporter role at once and lasts for the course's ValidFor (or does not
// expire).
func (s *Service) DecideSignOff(ctx context.Context, actor *kindred.Actor, orgSlug, certID string, d Decision) (*Place, *kindred.Certification, error) {
	p, err := s.coordinate(ctx, actor, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	x, err := s.certification(ctx, p, certID)
	if err != nil {
		return nil, nil, err
	}
	if x.Decision != kindred.SignOffRequested {
		return nil, nil, kindred.Errorf(kindred.ECONFLICT, "This sign-off was already decided (%s).", x.Decision)
	}
	d.Note = strings.TrimSpace(d.Note)
	v := kindred.Invalid{}
	checkNote(v, d.Note)
	if !d.Grant && d.Note == "" {
		v.Add("note", "Please say what to work on, so they know how to get there next time.")
	}
	trainee, err := s.store.FindAccount(ctx, x.AccountID)
	if err != nil {
		return nil, nil, fmt.Errorf("find trainee: %w", err)
	}
	if d.Grant && d.YouthProgramme && trainee.AgeBand.IsMinor() {
		v.Add("youth_programme", "This trainee is 13–17: they support peers of their own age, so the youth programme does not apply.")
	}
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	if x.AccountID == actor.AccountID() && d.Grant {
		return nil, nil, kindred.Errorf(kindred.EFORBIDDEN, "Another coordinator needs to sign you off: nobody grants their own sign-off.")
	}
	now := s.nowUTC()
	dec := kindred.CertificationDecision{From: kindred.SignOffRequested, To: kindred.SignOffDeclined, Note: d.Note,
		DecidedBy: actor.AccountID(), DecidedAt: now}
	action := "training.signoff.decline"
	if d.Grant {
		dec.To, dec.YouthProgramme, action = kindred.SignOffGranted, d.YouthProgramme, "training.signoff.grant"
		c, err := s.store.FindCourse(ctx, x.CourseID)
		if err != nil {
			return nil, nil, fmt.Errorf("find course: %w", err)
		}
		if c.ValidFor > 0 {
			exp := now.Add(c.ValidFor)
			dec.ExpiresAt = &exp
		}
	}
	x, err = s.store.DecideCertification(ctx, x.ID, dec)
	switch kindred.ErrorCode(err) {
	case "":
	case kindred.ECONFLICT:
		return nil, nil, err
	case kindred.ENOTFOUND:
		return nil, nil, kindred.Errorf(kindred.ENOTFOUND, "This person is no longer a member of %s.", p.Org.Name)
	default:
		return nil, nil, fmt.Errorf("decide sign-off: %w", err)
	}
	detail := fmt.Sprintf("certification=%s course=%s", x.ID, x.CourseID)
	if d.Grant {
		detail += fmt.Sprintf(" expires=%s youth_programme=%t", expiry(x.ExpiresAt), x.YouthProgramme)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), action, x.AccountID, detail)
	if d.Grant {
		s.accessChanged(ctx, x.AccountID)
	}
	return p, x, nil
}

func expiry(t *time.Time) string {
	if t == nil {
		return "never"
	}
	return t.UTC().Format(time.RFC3339)
}

// RevokeCertification withdraws a grant, with a reason the supporter
// reads. They lose the peer supporter role unless another grant of theirs
// is in force.
func (s *Service) RevokeCertification(ctx context.Context, actor *kindred.Actor, orgSlug, certID, reason string) (*Place, *kindred.Certification, error) {
	p, err := s.coordinate(ctx, actor, orgSlug)
	if err != nil {
		return nil, nil, err
	}
	x, err := s.certification(ctx, p, certID)
	if err != nil {
		return nil, nil, err
	}
	if x.Decision != kindred.SignOffGranted {
		return nil, nil, kindred.Errorf(kindred.ECONFLICT, "Only a granted sign-off can be revoked; this one is %s.", x.Decision)
	}
	reason = strings.TrimSpace(reason)
	v := kindred.Invalid{}
	if reason == "" {
		v.Add("reason", "Please give a reason; the supporter will read it.")
	}
	if utf8.RuneCountInString(reason) > kindred.MaxSignOffNote {
		v.Add("reason", fmt.Sprintf("Please keep the reason to %d characters or fewer.", kindred.MaxSignOffNote))
	}
	if err := v.Err(); err != nil {
		return nil, nil, err
	}
	x, err = s.store.DecideCertification(ctx, x.ID, kindred.CertificationDecision{From: kindred.SignOffGranted, To: kindred.SignOffRevoked,
		Note: reason, DecidedBy: actor.AccountID(), DecidedAt: s.nowUTC()})
	if kindred.ErrorCode(err) == kindred.ECONFLICT {
		return nil, nil, err
	}
	if err != nil {
		return nil, nil, fmt.Errorf("revoke sign-off: %w", err)
	}
	s.audit.Record(ctx, p.Org.ID, actor.AccountID(), "training.signoff.revoke", x.AccountID,
		fmt.Sprintf("certification=%s course=%s", x.ID, x.CourseID))
	s.accessChanged(ctx, x.AccountID)
	return p, x, nil
}

// ExpireCertifications takes the peer supporter role from people whose
// every grant has expired, and returns how many. Matching checks that a
// grant is in force by itself, so this only keeps roles tidy; it runs
// when a coordinator opens the sign-off queue, and may run on a timer.
func (s *Service) ExpireCertifications(ctx context.Context) (int, error) {
	refs, err := s.store.ExpireSupporters(ctx, s.nowUTC())
	if err != nil {
		return 0, fmt.Errorf("expire supporters: %w", err)
	}
	for _, r := range refs {
		s.audit.Record(ctx, r.OrgID, "", "training.signoff.expire", r.AccountID, "")
		s.accessChanged(ctx, r.AccountID)
	}
	return len(refs), nil
}

// ValidCertification returns the person's newest grant in the
// organisation that is in force now; ENOTFOUND when there is none. It
// applies no access rules: callers show it only to those who may see it.
func (s *Service) ValidCertification(ctx context.Context, orgID, accountID string) (*kindred.Certification, error) {
	list, err := s.store.ListCertifications(ctx, kindred.CertificationFilter{OrgID: orgID, AccountID: accountID,
		Decision: kindred.SignOffGranted, Limit: 200})
	if err != nil {
		return nil, fmt.Errorf("list certifications: %w", err)
	}
	now := s.nowUTC()
	for _, x := range list {
		if x.Valid(now) {
			return x, nil
		}
	}
	return nil, kindred.Errorf(kindred.ENOTFOUND, "No sign-off in force.")
}
