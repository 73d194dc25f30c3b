package support

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"kindred"
	"kindred/internal/sqlstore"
	"kindred/internal/sqlstore/sqlstoretest"
)

func TestCancelAndDeclineMatch(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		e.settings(func(s *kindred.SupportSettings) { s.OffersAtOnce = 1 })
		a := e.supporter("a", supOpts{experiences: []string{"coming_out", "faith"}})
		b := e.supporter("b", supOpts{})
		mei := e.member("mei", kindred.AgeAdult)

		// Cancel while waiting: offers withdrawn.
		v := e.ask(mei, kindred.SupportRequestDraft{Topics: []string{"coming_out", "faith"}})
		wantCode(t, e.svc.CancelRequest(ctx, actor(a), "town", v.Request.ID), kindred.ENOTFOUND)
		wantCode(t, e.svc.CancelRequest(ctx, actor(e.coord), "town", v.Request.ID), kindred.EFORBIDDEN)
		e.must(e.svc.CancelRequest(ctx, actor(mei), "town", v.Request.ID))
		if r := e.request(v.Request.ID); r.Status != kindred.RequestCancelled || len(e.openOffers(r.ID)) != 0 {
			t.Fatalf("cancelled: %s, offers %d", r.Status, len(e.openOffers(r.ID)))
		}

		// Decline a match: back in the queue, never to a again.
		v = e.ask(mei, kindred.SupportRequestDraft{Topics: []string{"coming_out", "faith"}})
		m, err := e.svc.AcceptOffer(ctx, actor(a), "town", e.openOffers(v.Request.ID)[a.ID].ID)
		e.must(err)
		e.must(e.svc.DeclineMatch(ctx, actor(mei), "town", v.Request.ID))
		r := e.request(v.Request.ID)
		if r.Status != kindred.RequestWaiting || len(r.Excluded) != 1 || r.Excluded[0] != a.ID {
			t.Fatalf("after declining the match: %+v", r)
		}
		if offers := e.openOffers(r.ID); len(offers) != 1 || offers[b.ID] == nil {
			t.Fatalf("offered to: %v", offers)
		}
		room, err := db.FindRoom(ctx, m.RoomID)
		e.must(err)
		if room.EndedAt == nil {
			t.Error("declined match's room still open")
		}
		// The declined supporter still sees their own past match, not who
		// came next.
		m2, err := e.svc.AcceptOffer(ctx, actor(b), "town", e.openOffers(r.ID)[b.ID].ID)
		e.must(err)
		av, err := e.svc.Request(ctx, actor(a), "town", r.ID)
		e.must(err)
		if av.Match == nil || av.Match.ID != m.ID || len(av.Earlier) != 0 || av.CanEnd {
			t.Errorf("declined supporter's view: match %+v earlier %d", av.Match, len(av.Earlier))
		}
		// Cancel while matched ends the match and its room.
		e.must(e.svc.CancelRequest(ctx, actor(mei), "town", r.ID))
		got, err := db.FindSupportMatch(ctx, m2.ID)
		e.must(err)
		if got.Active() || got.End != kindred.MatchEndedByMember {
			t.Errorf("match after cancel: %+v", got)
		}
		room, err = db.FindRoom(ctx, m2.RoomID)
		e.must(err)
		if room.EndedAt == nil {
			t.Error("room open after cancel")
		}
	})
}

func TestHandoffAndEscalation(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		e.settings(func(s *kindred.SupportSettings) { s.OffersAtOnce = 1 })
		a := e.supporter("a", supOpts{experiences: []string{"coming_out", "faith"}})
		b := e.supporter("b", supOpts{})
		mei := e.member("mei", kindred.AgeAdult)
		v := e.ask(mei, kindred.SupportRequestDraft{Topics: []string{"coming_out", "faith"}})
		queued := e.request(v.Request.ID).QueuedAt
		m, err := e.svc.AcceptOffer(ctx, actor(a), "town", e.openOffers(v.Request.ID)[a.ID].ID)
		e.must(err)

		// Escalation by the member; resolved by a coordinator, audited.
		esc, err := e.svc.Escalate(ctx, actor(mei), "town", m.ID, "I feel unsafe.", true)
		e.must(err)
		_, err = e.svc.Escalate(ctx, actor(b), "town", m.ID, "nosy", false)
		wantCode(t, err, kindred.ENOTFOUND)
		d, err := e.svc.Dashboard(ctx, actor(e.coord), "town")
		e.must(err)
		if len(d.Escalations) != 1 || !d.Escalations[0].Urgent || len(d.Active) != 1 {
			t.Fatalf("dashboard escalations %d active %d", len(d.Escalations), len(d.Active))
		}
		wantCode(t, e.svc.ResolveEscalation(ctx, actor(a), "town", esc.ID, "done"), kindred.EFORBIDDEN)
		e.must(e.svc.ResolveEscalation(ctx, actor(e.coord), "town", esc.ID, "Called them; all well."))
		wantCode(t, e.svc.ResolveEscalation(ctx, actor(e.coord), "town", esc.ID, "again"), kindred.ECONFLICT)

		// Hand-off needs the member's consent.
		wantCode(t, e.svc.AnswerHandoff(ctx, actor(mei), "town", m.ID, true), kindred.ECONFLICT)
		wantCode(t, e.svc.ProposeHandoff(ctx, actor(mei), "town", m.ID, "x"), kindred.EFORBIDDEN)
		e.must(e.svc.ProposeHandoff(ctx, actor(a), "town", m.ID, "B knows more about faith."))
		e.must(e.svc.AnswerHandoff(ctx, actor(mei), "town", m.ID, false))
		if got, _ := db.FindSupportMatch(ctx, m.ID); !got.Active() || got.HandoffProposedAt != nil {
			t.Fatalf("after saying no: %+v", got)
		}
		e.clock.Add(10 * time.Minute)
		e.must(e.svc.ProposeHandoff(ctx, actor(a), "town", m.ID, "B knows more about faith."))
		mv, err := e.svc.Request(ctx, actor(mei), "town", v.Request.ID)
		e.must(err)
		if !mv.CanAnswerHandoff {
			t.Error("member can't answer the hand-off")
		}
		e.must(e.svc.AnswerHandoff(ctx, actor(mei), "town", m.ID, true))
		r := e.request(v.Request.ID)
		if r.Status != kindred.RequestWaiting || !r.QueuedAt.Equal(queued) || len(r.Excluded) != 1 || r.Excluded[0] != a.ID {
			t.Fatalf("handed off: %+v", r)
		}
		if offers := e.openOffers(r.ID); len(offers) != 1 || offers[b.ID] == nil {
			t.Errorf("offered after hand-off: %v", offers)
		}
		if got, _ := db.FindSupportMatch(ctx, m.ID); got.End != kindred.MatchHandedOff {
			t.Errorf("match end: %s", got.End)
		}
		if act := auditActions(t, e); act["support.escalation.resolve"] != 1 || act["support.handoff.propose"] != 2 || act["support.match.end"] != 1 {
			t.Errorf("audit: %v", act)
		}
	})
}

func TestShiftAndCaseloadLimits(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		e.settings(func(s *kindred.SupportSettings) { s.WeeklyHours, s.MaxShift, s.MaxCapacity = 2, time.Hour, 1 })

		// Capacity beyond the organisation's cap is invalid.
		x := e.supporter("x", supOpts{capacity: 1, offShift: true})
		_, err := e.svc.SaveProfile(ctx, actor(x), "town", kindred.SupporterProfileDraft{Experiences: []string{"faith"}, Languages: []string{"en"}, Capacity: 2})
		wantCode(t, err, kindred.EINVALID)

		a := e.supporter("a", supOpts{capacity: 1})
		wantCode(t, e.svc.StartShift(ctx, actor(a), "town"), kindred.ECONFLICT)
		// MaxShift ends the shift in the sweep.
		e.clock.Add(61 * time.Minute)
		e.must(e.svc.Sweep(ctx))
		shifts, err := db.ListShifts(ctx, kindred.ShiftFilter{OrgID: e.org.ID, AccountID: a.ID})
		e.must(err)
		if len(shifts) != 1 || shifts[0].EndedBy != kindred.ShiftEndedByLimit {
			t.Fatalf("shift after the limit: %+v", shifts)
		}
		// A second hour reaches the weekly limit: no third shift.
		e.must(e.svc.StartShift(ctx, actor(a), "town"))
		e.clock.Add(61 * time.Minute)
		e.must(e.svc.Sweep(ctx))
		err = e.svc.StartShift(ctx, actor(a), "town")
		wantCode(t, err, kindred.EFORBIDDEN)
		in, err := e.svc.Inbox(ctx, actor(a), "town")
		e.must(err)
		if in.CanStartShift || in.ShiftBlocked != "You've reached 2 hours this week, the limit here. Thank you, and rest well: it resets on Monday." {
			t.Errorf("inbox: can start %v, blocked %q", in.CanStartShift, in.ShiftBlocked)
		}

		// At capacity: offers stop, and an accept is refused.
		b := e.supporter("b", supOpts{capacity: 1})
		v1 := e.ask(e.member("m1", kindred.AgeAdult), kindred.SupportRequestDraft{})
		v2 := e.ask(e.member("m2", kindred.AgeAdult), kindred.SupportRequestDraft{})
		o1, o2 := e.openOffers(v1.Request.ID)[b.ID], e.openOffers(v2.Request.ID)[b.ID]
		if o1 == nil || o2 == nil {
			t.Fatal("b not offered both")
		}
		_, err = e.svc.AcceptOffer(ctx, actor(b), "town", o1.ID)
		e.must(err)
		_, err = e.svc.AcceptOffer(ctx, actor(b), "town", o2.ID)
		wantCode(t, err, kindred.ECONFLICT)
		v3 := e.ask(e.member("m3", kindred.AgeAdult), kindred.SupportRequestDraft{})
		if v3.OffersOut != 0 || v3.Unmatched != "Every supporter on shift is already in conversations right now." {
			t.Errorf("third request: offers %d, %q", v3.OffersOut, v3.Unmatched)
		}
		// A coordinator can end someone's shift, audited.
		wantCode(t, e.svc.EndShiftFor(ctx, actor(a), "town", b.ID), kindred.EFORBIDDEN)
		e.must(e.svc.EndShiftFor(ctx, actor(e.coord), "town", b.ID))
		if act := auditActions(t, e); act["support.shift.end"] != 1 {
			t.Errorf("audit: %v", act)
		}
		_, err = e.svc.SaveSettings(ctx, actor(e.coord), "town", kindred.SupportSettings{MaxCapacity: 11})
		wantCode(t, err, kindred.EINVALID)
		set := *kindred.DefaultSupportSettings("")
		set.OffersAtOnce = 2
		saved, err := e.svc.SaveSettings(ctx, actor(e.coord), "town", set)
		e.must(err)
		if saved.OrgID != e.org.ID || saved.OffersAtOnce != 2 {
			t.Errorf("saved settings: %+v", saved)
		}
		if act := auditActions(t, e); act["support.settings"] != 1 {
			t.Errorf("audit: %v", act)
		}
	})
}

func TestCrisisAndAgeRule(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		adultOnly := e.supporter("adultonly", supOpts{experiences: []string{"school_bullying"}})
		youthProg := e.supporter("youthprog", supOpts{experiences: []string{"school_bullying"}, youth: true})
		teen := e.supporter("teen", supOpts{band: kindred.AgeYouth, experiences: []string{"school_bullying"}})

		calm := e.ask(e.member("calm", kindred.AgeAdult), kindred.SupportRequestDraft{Topics: []string{"school_bullying"}, Urgency: kindred.UrgencyNow})
		if calm.Request.Crisis || len(calm.Resources) != 0 {
			t.Error("calm request flagged")
		}
		offers := e.openOffers(calm.Request.ID)
		if offers[teen.ID] != nil || offers[adultOnly.ID] == nil || offers[youthProg.ID] == nil {
			t.Errorf("adult offered to: %v (teen must not be)", offers)
		}

		jess := e.member("jess", kindred.AgeYouth)
		v := e.ask(jess, kindred.SupportRequestDraft{Topics: []string{"school_bullying"}, Details: "sometimes I want to kill myself",
			Urgency: kindred.UrgencyWhenever})
		if !v.Request.Crisis || len(v.Resources) == 0 || v.Place != 1 {
			t.Fatalf("crisis request: crisis %v resources %d place %d", v.Request.Crisis, len(v.Resources), v.Place)
		}
		offers = e.openOffers(v.Request.ID)
		if offers[adultOnly.ID] != nil || offers[youthProg.ID] == nil || offers[teen.ID] == nil {
			t.Fatalf("youth offered to: %v (the adult outside the youth programme must not be)", offers)
		}
		d, err := e.svc.Dashboard(ctx, actor(e.coord), "town")
		e.must(err)
		if len(d.Queue) != 2 || d.Queue[0].Request.ID != v.Request.ID || !d.Queue[0].Request.Crisis {
			t.Fatalf("queue: crisis request not first")
		}
		// The youth-programme adult can accept; the room connects them.
		m, err := e.svc.AcceptOffer(ctx, actor(youthProg), "town", offers[youthProg.ID].ID)
		e.must(err)
		if m.RoomID == "" {
			t.Error("no room for the youth programme match")
		}
	})
}

// TestAcceptConcurrently: 20 supporters on shift, all offered the same
// request, accept at once: exactly one match and one room.
func TestAcceptConcurrently(t *testing.T) {
	sqlstoretest.Each(t, func(t *testing.T, db *sqlstore.DB) {
		ctx := context.Background()
		e := newEnv(t, db)
		// Beyond what the form allows (10), to press the race harder.
		e.settings(func(s *kindred.SupportSettings) { s.OffersAtOnce = 20 })
		var sups []*kindred.Account
		for i := range 20 {
			sups = append(sups, e.supporter(fmt.Sprintf("s%02d", i), supOpts{}))
		}
		v := e.ask(e.member("mei", kindred.AgeAdult), kindred.SupportRequestDraft{})
		offers := e.openOffers(v.Request.ID)
		if len(offers) != 20 {
			t.Fatalf("offers: %d", len(offers))
		}
		var wg sync.WaitGroup
		errs := make([]error, len(sups))
		start := make(chan struct{})
		for i, s := range sups {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, errs[i] = e.svc.AcceptOffer(ctx, actor(s), "town", offers[s.ID].ID)
			}()
		}
		close(start)
		wg.Wait()
		won := 0
		for _, err := range errs {
			switch kindred.ErrorCode(err) {
			case "":
				won++
			case kindred.ECONFLICT:
			default:
				t.Errorf("accept: %v", err)
			}
		}
		matches, err := db.ListSupportMatches(ctx, kindred.SupportMatchFilter{RequestID: v.Request.ID})
		e.must(err)
		convs := 0
		for _, s := range sups {
			cs, err := db.ListConversations(ctx, kindred.ConversationFilter{OrgID: e.org.ID, AccountID: s.ID})
			e.must(err)
			convs += len(cs)
		}
		if won != 1 || len(matches) != 1 || convs != 1 || matches[0].RoomID == "" {
			t.Fatalf("won %d, matches %d, rooms %d", won, len(matches), convs)
		}
	})
}
