package support

import (
	"context"
	"fmt"
	"os"
	"slices"
	"testing"
	"time"

	"kindred"
	"kindred/internal/sqlstore"
	"kindred/internal/sqlstore/sqlstoretest"
)

// BenchmarkMatchDecision measures one full match decision (candidates read,
// the member's blocks and schools, ranking, offers written) with 200
// supporters on shift and 1,000 open requests, on SQLite and, when
// KINDRED_TEST_POSTGRES is set, PostgreSQL. It reports p50 and p99 in ms
// of the decision (reads and ranking: who to offer) and of the decision
// with its offers written (one more transaction, whose commit waits for the
// disk), and "rank_ratio": the pure ranking alone as a share of the
// written decision, the in-run baseline. Run it short:
//
//	go test ./internal/support/ -run '^$' -bench MatchDecision -benchtime=200x
func BenchmarkMatchDecision(b *testing.B) {
	b.Run("sqlite", func(b *testing.B) { benchDecision(b, sqlstoretest.OpenSQLite(b)) })
	b.Run("postgres", func(b *testing.B) {
		u := envPostgres()
		if u == "" {
			b.Skip("set KINDRED_TEST_POSTGRES to run on PostgreSQL")
		}
		benchDecision(b, sqlstoretest.OpenPostgres(b, u))
	})
}

func benchDecision(b *testing.B, db *sqlstore.DB) {
	ctx := context.Background()
	e := newEnv(b, db)
	// OffersAtOnce high enough that every decision writes offers, and a
	// long timeout so none expire mid-run.
	e.settings(func(s *kindred.SupportSettings) { s.OffersAtOnce = 10; s.OfferTimeout = time.Hour })
	reqs := seedBench(b, e, 200, 1000)
	set, err := e.svc.settings(ctx, e.org.ID)
	e.must(err)

	times := make([]time.Duration, 0, b.N)
	plans := make([]time.Duration, 0, b.N)
	var rankTime time.Duration
	b.ResetTimer()
	for i := range b.N {
		r := reqs[i%len(reqs)]
		// The decision alone: everything is read (settings, candidates,
		// the member's blocks and schools, the request's offers) and
		// ranked, and the offers to make are known.
		start := time.Now()
		set, err := e.svc.settings(ctx, r.OrgID)
		if err != nil {
			b.Fatal(err)
		}
		cands, err := db.SupportCandidates(ctx, r.OrgID, e.clock.Now())
		if err != nil {
			b.Fatal(err)
		}
		if _, _, err := e.svc.plan(ctx, r, set, cands); err != nil {
			b.Fatal(err)
		}
		plans = append(plans, time.Since(start))
		// The same decision again, with its offers written (a commit).
		start = time.Now()
		d, err := e.svc.decide(ctx, r)
		if err != nil {
			b.Fatal(err)
		}
		times = append(times, time.Since(start))
		if len(d.offers) == 0 && d.open < 10 {
			b.Fatalf("decision %d made no offers (open %d, %q)", i, d.open, d.unmatched)
		}
		// Withdraw them so the next pass over the same request decides
		// afresh (outside the timing).
		b.StopTimer()
		for _, o := range d.offers {
			if _, err := db.AnswerSupportOffer(ctx, o.ID, kindred.OfferWithdrawn, e.clock.Now()); err != nil {
				b.Fatal(err)
			}
		}
		b.StartTimer()
	}
	b.StopTimer()
	// The pure ranking on the same candidates, for the ratio.
	cands, err := db.SupportCandidates(ctx, e.org.ID, e.clock.Now())
	e.must(err)
	member := Member{ID: reqs[0].MemberID, AgeBand: reqs[0].MemberAgeBand}
	start := time.Now()
	for i := range b.N {
		Rank(reqs[i%len(reqs)], member, cands, set, e.clock.Now())
	}
	rankTime = time.Since(start) / time.Duration(b.N)
	slices.Sort(times)
	slices.Sort(plans)
	p := func(ds []time.Duration, q float64) float64 {
		return float64(ds[min(int(q*float64(len(ds))), len(ds)-1)]) / float64(time.Millisecond)
	}
	b.ReportMetric(p(plans, 0.50), "decide_p50_ms")
	b.ReportMetric(p(plans, 0.99), "decide_p99_ms")
	b.ReportMetric(p(times, 0.50), "written_p50_ms")
	b.ReportMetric(p(times, 0.99), "written_p99_ms")
	var total time.Duration
	for _, t := range times {
		total += t
	}
	b.ReportMetric(float64(rankTime)/float64(total/time.Duration(len(times))), "rank_ratio")
	b.ReportMetric(float64(rankTime)/float64(time.Millisecond), "rank_ms")
}

// seedBench stores supporters (certified, profiled, on shift) and members
// with waiting requests in a few store calls per row, mostly directly.
func seedBench(b testing.TB, e *env, supporters, requests int) []*kindred.SupportRequest {
	ctx := context.Background()
	now := e.clock.Now()
	exps := []string{"coming_out", "trans_nonbinary", "family_rejection", "faith", "rural_life", "school_bullying", "relationships", "race_culture"}
	for i := range supporters {
		a := e.member(fmt.Sprintf("sup%03d", i), kindred.AgeAdult)
		e.must(e.db.CreateCertification(ctx, &kindred.Certification{OrgID: e.org.ID, CourseID: e.course.ID, AccountID: a.ID,
			Decision: kindred.SignOffGranted, RequestedAt: now, DecidedAt: &now, YouthProgramme: i%4 == 0}))
		e.must(e.db.SaveSupporterProfile(ctx, &kindred.SupporterProfile{OrgID: e.org.ID, AccountID: a.ID,
			Experiences: []string{exps[i%len(exps)], exps[(i+3)%len(exps)]}, Languages: []string{"en", []string{"es", "fr", "de"}[i%3]},
			Identities: []kindred.Identity{kindred.Identities[i%len(kindred.Identities)]}, TimeZone: "UTC", Capacity: 3,
			YouthProgramme: i%4 == 0, UpdatedAt: now}))
		e.must(e.db.StartShift(ctx, &kindred.Shift{OrgID: e.org.ID, AccountID: a.ID, StartedAt: now.Add(-time.Duration(i%120) * time.Minute)}))
	}
	out := make([]*kindred.SupportRequest, 0, requests)
	for i := range requests {
		band := kindred.AgeAdult
		if i%5 == 0 {
			band = kindred.AgeYouth
		}
		m := e.member(fmt.Sprintf("mem%04d", i), band)
		r := &kindred.SupportRequest{OrgID: e.org.ID, MemberID: m.ID, Topics: []string{exps[i%len(exps)], exps[(i+1)%len(exps)]},
			Details: "Bench request.", Urgency: kindred.Urgencies[i%3], CreatedAt: now.Add(-time.Duration(i) * time.Second)}
		e.must(e.db.CreateSupportRequest(ctx, r))
		out = append(out, r)
	}
	return out
}

func envPostgres() string { return os.Getenv(sqlstoretest.EnvPostgres) }
