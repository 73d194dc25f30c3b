package support

import (
	"context"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"kindred"
	"kindred/internal/broker"
	"kindred/internal/groups"
	"kindred/internal/live"
	"kindred/internal/markup"
	"kindred/internal/sqlstore"
	"kindred/internal/sqlstore/sqlstoretest"
)

// clock is a test clock the service reads and tests move.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }

func (c *clock) Add(d time.Duration) { c.mu.Lock(); c.t = c.t.Add(d); c.mu.Unlock() }

// env is a real store, live service and support service for one
// organisation with a course to sign supporters off on.
type env struct {
	t      testing.TB
	db     *sqlstore.DB
	svc    *Service
	live   *live.Service
	clock  *clock
	org    *kindred.Organization
	course *kindred.Course
	coord  *kindred.Account
}

func newEnv(t testing.TB, db *sqlstore.DB) *env {
	t.Helper()
	c := &clock{t: time.Date(2026, 3, 18, 9, 0, 0, 0, time.UTC)} // a Wednesday
	events := broker.NewMemory()
	render := markup.New()
	grp := groups.New(db, render, groups.Options{Broker: events})
	lv := live.New(db, grp, render, live.Options{Broker: events, Now: c.Now})
	t.Cleanup(lv.Close)
	svc := New(db, lv, render, Options{Now: c.Now, Broker: events, SweepEvery: -1})
	t.Cleanup(svc.Close)
	e := &env{t: t, db: db, svc: svc, live: lv, clock: c}
	e.coord = e.account("coord", kindred.AgeAdult)
	now := c.Now()
	e.org = &kindred.Organization{Slug: "town", Name: "Town", Kind: kindred.OrgCommunityCentre, JoinPolicy: kindred.JoinOpen, CreatedAt: now}
	e.must(db.CreateOrganization(context.Background(), e.org, &kindred.Membership{AccountID: e.coord.ID,
		Roles: kindred.RoleMember | kindred.RoleCoordinator, Status: kindred.StatusActive, CreatedAt: now}))
	e.course = &kindred.Course{OrgID: e.org.ID, Slug: "peer", Title: "Peer support", Published: true, CreatedAt: now, UpdatedAt: now}
	e.must(db.CreateCourse(context.Background(), e.course))
	return e
}

func (e *env) must(err error) {
	e.t.Helper()
	if err != nil {
		e.t.Fatal(err)
	}
}

func (e *env) account(handle string, band kindred.AgeBand) *kindred.Account {
	e.t.Helper()
	a := &kindred.Account{Handle: handle, DisplayName: strings.ToUpper(handle[:1]) + handle[1:], AgeBand: band, CreatedAt: e.clock.Now()}
	e.must(e.db.CreateAccount(context.Background(), a))
	return a
}

func (e *env) member(handle string, band kindred.AgeBand) *kindred.Account {
	e.t.Helper()
	a := e.account(handle, band)
	e.must(e.db.CreateMembership(context.Background(), &kindred.Membership{OrgID: e.org.ID, AccountID: a.ID, Roles: kindred.RoleMember,
		Status: kindred.StatusActive, CreatedAt: e.clock.Now()}))
	return a
}

type supOpts struct {
	band        kindred.AgeBand
	youth       bool
	experiences []string
	languages   []string
	capacity    int
	offShift    bool
}

// supporter signs a member off, saves their profile and starts a shift,
// all through the service where the service owns the step.
func (e *env) supporter(handle string, o supOpts) *kindred.Account {
	e.t.Helper()
	if o.band == "" {
		o.band = kindred.AgeAdult
	}
	if o.experiences == nil {
		o.experiences = []string{"coming_out"}
	}
	if o.languages == nil {
		o.languages = []string{"en"}
	}
	if o.capacity == 0 {
		o.capacity = 3
	}
	a := e.member(handle, o.band)
	now := e.clock.Now()
	e.must(e.db.CreateCertification(context.Background(), &kindred.Certification{OrgID: e.org.ID, CourseID: e.course.ID, AccountID: a.ID,
		Decision: kindred.SignOffGranted, RequestedAt: now, DecidedBy: e.coord.ID, DecidedAt: &now, YouthProgramme: o.youth}))
	_, err := e.svc.SaveProfile(context.Background(), actor(a), "town", kindred.SupporterProfileDraft{Intro: "Hi, I'm " + handle + ".",
		Experiences: o.experiences, Languages: o.languages, Capacity: o.capacity})
	e.must(err)
	if !o.offShift {
		e.must(e.svc.StartShift(context.Background(), actor(a), "town"))
	}
	return a
}

func (e *env) settings(f func(*kindred.SupportSettings)) {
	e.t.Helper()
	set := kindred.DefaultSupportSettings(e.org.ID)
	f(set)
	e.must(e.db.SaveSupportSettings(context.Background(), set))
}

func (e *env) ask(m *kindred.Account, d kindred.SupportRequestDraft) *RequestView {
	e.t.Helper()
	if d.Topics == nil {
		d.Topics = []string{"coming_out"}
	}
	v, err := e.svc.RequestSupport(context.Background(), actor(m), "town", d)
	e.must(err)
	return v
}

func (e *env) openOffers(requestID string) map[string]*kindred.SupportOffer {
	e.t.Helper()
	os, err := e.db.ListSupportOffers(context.Background(), kindred.SupportOfferFilter{RequestID: requestID, Status: kindred.OfferOpen, Limit: 100})
	e.must(err)
	out := map[string]*kindred.SupportOffer{}
	for _, o := range os {
		out[o.SupporterID] = o
	}
	return out
}

func (e *env) request(id string) *kindred.SupportRequest {
	e.t.Helper()
	r, err := e.db.FindSupportRequest(context.Background(), id)
	e.must(err)
	return r
}

func actor(a *kindred.Account) *kindred.Actor { return &kindred.Actor{Account: a} }

func wantCode(t testing.TB, err error, code string) {
	t.Helper()
	if got := kindred.ErrorCode(err); got != code {
		t.Fatalf("error %q (%v), want %q", got, err, code)
	}
}

func auditActions(t testing.TB, e *env) map[string]int {
	t.Helper()
	entries, err := e.db.ListAudit(context.Background(), kindred.AuditFilter{OrgID: e.org.ID})
	e.must(err)
	out := map[string]int{}
	for _, x := range entries {
		out[x.Action]++
	}
	return out
}

func TestFlow(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		kwame := e.supporter("kwame", supOpts{experiences: []string{"coming_out", "faith"}})
		ayo := e.supporter("ayo", supOpts{})
		mei := e.member("mei", kindred.AgeYoungAdult)
		other := e.member("other", kindred.AgeAdult)
		notOffered := e.supporter("zed", supOpts{experiences: []string{"rural_life"}})
		e.settings(func(s *kindred.SupportSettings) { s.OffersAtOnce = 2 })

		v := e.ask(mei, kindred.SupportRequestDraft{Topics: []string{"coming_out", "faith"}, Details: "Coming out to my parents."})
		if !v.IsMember || v.Request.Status != kindred.RequestWaiting || v.Place != 1 || v.OffersOut != 2 || len(v.Resources) != 0 {
			t.Fatalf("view after asking: %+v", v)
		}
		if v.EstimateKnown || v.EstimateText != textNoHistory {
			t.Errorf("estimate with no history: %v %q", v.EstimateKnown, v.EstimateText)
		}
		offers := e.openOffers(v.Request.ID)
		if offers[kwame.ID] == nil || offers[ayo.ID] == nil || offers[kwame.ID].Rank != 1 ||
			!strings.HasPrefix(offers[kwame.ID].Reason, "Shares coming out and faith and religion;") {
			t.Fatalf("offers: %+v", offers)
		}
		// A second request while one is open is refused kindly.
		_, err := e.svc.RequestSupport(ctx, actor(mei), "town", kindred.SupportRequestDraft{Topics: []string{"faith"}})
		wantCode(t, err, kindred.ECONFLICT)

		// The offered supporter sees the offer, without who asked.
		in, err := e.svc.Inbox(ctx, actor(kwame), "town")
		e.must(err)
		if len(in.Offers) != 1 || in.Offers[0].Details != "Coming out to my parents." || in.Offers[0].Offer.Reason != "" {
			t.Fatalf("inbox offers: %+v", in.Offers)
		}
		ov, err := e.svc.Offer(ctx, actor(kwame), "town", offers[kwame.ID].ID)
		e.must(err)
		if strings.Contains(fmt.Sprintf("%+v", *ov), "Mei") || strings.Contains(fmt.Sprintf("%+v", *ov), mei.ID) {
			t.Errorf("offer view names the member: %+v", *ov)
		}
		// Nobody but the member, matched supporters and coordinators sees
		// the request; an offered supporter has only the offer.
		for _, who := range []*kindred.Account{other, notOffered, kwame} {
			_, err := e.svc.Request(ctx, actor(who), "town", v.Request.ID)
			wantCode(t, err, kindred.ENOTFOUND)
		}
		_, err = e.svc.Offer(ctx, actor(ayo), "town", offers[kwame.ID].ID)
		wantCode(t, err, kindred.ENOTFOUND)
		cv, err := e.svc.Request(ctx, actor(e.coord), "town", v.Request.ID)
		e.must(err)
		if !cv.IsCoordinator {
			t.Errorf("coordinator view: %+v", cv)
		}

		// First accept wins; the other is told kindly.
		m, err := e.svc.AcceptOffer(ctx, actor(kwame), "town", offers[kwame.ID].ID)
		e.must(err)
		_, err = e.svc.AcceptOffer(ctx, actor(ayo), "town", offers[ayo.ID].ID)
		wantCode(t, err, kindred.ECONFLICT)
		if kindred.ErrorMessage(err) != "Another supporter has already picked this up. Thank you for being ready." {
			t.Errorf("losing message: %q", kindred.ErrorMessage(err))
		}
		if m.RoomID == "" {
			t.Fatal("no room opened")
		}
		members, err := db.ListRoomMembers(ctx, m.RoomID)
		e.must(err)
		if len(members) != 2 {
			t.Fatalf("room members: %d", len(members))
		}
		room, err := db.FindRoom(ctx, m.RoomID)
		e.must(err)
		if room.Purpose != kindred.PurposeSupport {
			t.Errorf("room purpose %q", room.Purpose)
		}
		mv, err := e.svc.Request(ctx, actor(mei), "town", v.Request.ID)
		e.must(err)
		if mv.Match == nil || mv.Match.ID != m.ID || mv.SupporterIntro != "Hi, I'm kwame." || mv.Match.Reason != "" || !mv.CanEnd || !mv.CanDeclineMatch {
			t.Fatalf("member's view of the match: %+v", mv)
		}
		sv, err := e.svc.Request(ctx, actor(kwame), "town", v.Request.ID)
		e.must(err)
		if !sv.IsSupporter || sv.Match == nil || sv.Match.MemberName != "Mei" || !sv.CanProposeHandoff {
			t.Fatalf("supporter's view: %+v", sv)
		}

		// End, feedback, debrief.
		e.clock.Add(20 * time.Minute)
		e.must(e.svc.EndConversation(ctx, actor(mei), "town", m.ID))
		room, err = db.FindRoom(ctx, m.RoomID)
		e.must(err)
		if room.EndedAt == nil {
			t.Error("room still open after the conversation ended")
		}
		e.must(e.svc.SubmitFeedback(ctx, actor(mei), "town", m.ID, kindred.HelpedYes, "It really helped."))
		wantCode(t, e.svc.SubmitFeedback(ctx, actor(mei), "town", m.ID, kindred.HelpedNo, ""), kindred.ECONFLICT)
		wantCode(t, e.svc.SubmitFeedback(ctx, actor(kwame), "town", m.ID, kindred.HelpedYes, ""), kindred.EFORBIDDEN)
		in, err = e.svc.Inbox(ctx, actor(kwame), "town")
		e.must(err)
		if len(in.NeedingDebrief) != 1 {
			t.Errorf("needing debrief: %d", len(in.NeedingDebrief))
		}
		e.must(e.svc.WriteDebrief(ctx, actor(kwame), "town", m.ID, "Talked through a plan.", true))
		sv, err = e.svc.Request(ctx, actor(kwame), "town", v.Request.ID)
		e.must(err)
		if sv.Feedback != nil || sv.Debrief == nil {
			t.Errorf("supporter sees feedback %v / debrief %v", sv.Feedback, sv.Debrief)
		}
		mv, err = e.svc.Request(ctx, actor(mei), "town", v.Request.ID)
		e.must(err)
		if mv.Debrief != nil || mv.Feedback == nil || mv.Request.Status != kindred.RequestEnded {
			t.Errorf("member sees debrief %v / feedback %v / status %s", mv.Debrief, mv.Feedback, mv.Request.Status)
		}

		d, err := e.svc.Dashboard(ctx, actor(e.coord), "town")
		e.must(err)
		if len(d.Feedback) != 1 || len(d.Debriefs) != 1 || len(d.Recent) != 1 || d.Recent[0].Reason == "" || d.Waits.Matched != 1 {
			t.Errorf("dashboard: feedback %d debriefs %d recent %d waits %+v", len(d.Feedback), len(d.Debriefs), len(d.Recent), d.Waits)
		}
		for _, l := range d.Supporters {
			if l.Profile.AccountID == kwame.ID && l.Helped != [3]int{1, 0, 0} {
				t.Errorf("kwame's helped: %v", l.Helped)
			}
		}
		_, err = e.svc.Dashboard(ctx, actor(kwame), "town")
		wantCode(t, err, kindred.EFORBIDDEN)
		if a := auditActions(t, e); a["support.match"] != 1 || a["support.match.end"] != 1 {
			t.Errorf("audit: %v", a)
		}
	})
}

func TestDeclineOfferMovesOn(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		e.settings(func(s *kindred.SupportSettings) { s.OffersAtOnce = 1 })
		best := e.supporter("best", supOpts{experiences: []string{"coming_out", "faith"}})
		next := e.supporter("next", supOpts{})
		mei := e.member("mei", kindred.AgeAdult)
		v := e.ask(mei, kindred.SupportRequestDraft{Topics: []string{"coming_out", "faith"}})
		offers := e.openOffers(v.Request.ID)
		if len(offers) != 1 || offers[best.ID] == nil {
			t.Fatalf("first offer: %v", offers)
		}
		e.must(e.svc.DeclineOffer(ctx, actor(best), "town", offers[best.ID].ID))
		offers = e.openOffers(v.Request.ID)
		if len(offers) != 1 || offers[next.ID] == nil {
			t.Fatalf("after decline: %v", offers)
		}
		if r := e.request(v.Request.ID); len(r.Excluded) != 1 || r.Excluded[0] != best.ID {
			t.Errorf("excluded: %v", r.Excluded)
		}
		e.must(e.svc.DeclineOffer(ctx, actor(next), "town", offers[next.ID].ID))
		mv, err := e.svc.Request(ctx, actor(mei), "town", v.Request.ID)
		e.must(err)
		if mv.OffersOut != 0 || mv.Unmatched != "No other supporter is on shift right now." {
			t.Errorf("nobody left: offers %d, %q", mv.OffersOut, mv.Unmatched)
		}
	})
}

func TestExpiryViaSweep(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		e.settings(func(s *kindred.SupportSettings) { s.OffersAtOnce = 1; s.OfferTimeout = 5 * time.Minute })
		first := e.supporter("first", supOpts{experiences: []string{"coming_out", "faith"}})
		second := e.supporter("second", supOpts{})
		v := e.ask(e.member("mei", kindred.AgeAdult), kindred.SupportRequestDraft{Topics: []string{"coming_out", "faith"}})
		if e.openOffers(v.Request.ID)[first.ID] == nil {
			t.Fatal("first not offered")
		}
		e.clock.Add(4 * time.Minute)
		e.must(e.svc.Sweep(ctx))
		if e.openOffers(v.Request.ID)[first.ID] == nil {
			t.Fatal("offer expired early")
		}
		e.clock.Add(time.Minute)
		e.must(e.svc.Sweep(ctx))
		offers := e.openOffers(v.Request.ID)
		if len(offers) != 1 || offers[second.ID] == nil {
			t.Fatalf("after expiry: %v", offers)
		}
		// An expiry is not a refusal: first is not excluded, but is not
		// offered it again within 30 minutes.
		if r := e.request(v.Request.ID); len(r.Excluded) != 0 {
			t.Errorf("excluded after expiry: %v", r.Excluded)
		}
		e.clock.Add(5 * time.Minute)
		e.must(e.svc.Sweep(ctx))
		if offers := e.openOffers(v.Request.ID); len(offers) != 0 {
			t.Fatalf("re-offered within 30 minutes: %v", offers)
		}
		e.clock.Add(30 * time.Minute)
		e.must(e.svc.Sweep(ctx))
		if offers := e.openOffers(v.Request.ID); len(offers) != 1 {
			t.Fatalf("offered again after 30 minutes: %v", offers)
		}
		// Accepting an offer that expired is refused.
		o := e.openOffers(v.Request.ID)
		for sup, off := range o {
			e.clock.Add(6 * time.Minute)
			who := first
			if sup == second.ID {
				who = second
			}
			_, err := e.svc.AcceptOffer(ctx, actor(who), "town", off.ID)
			wantCode(t, err, kindred.ECONFLICT)
		}
	})
}
