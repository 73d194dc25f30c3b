package kindred

import (
	"testing"
	"time"
)

func TestReportWeight(t *testing.T) {
	day := 24 * time.Hour
	const th = DefaultHideThreshold
	tests := []struct {
		name     string
		s        Standing
		min, max float64
		newcomer bool
	}{
		{"new account", Standing{AccountAge: day, MemberFor: day}, 0.1, 0.1, true},
		{"old account, new member", Standing{AccountAge: 400 * day, MemberFor: 3 * day}, 0.1, 0.1, true},
		{"a week in, no record", Standing{AccountAge: 8 * day, MemberFor: 8 * day}, 0.6, 0.7, false},
		{"established, no record", Standing{AccountAge: 200 * day, MemberFor: 120 * day}, 2.0, 2.0, false},
		{"established, always upheld, capped below the threshold", Standing{AccountAge: 200 * day, MemberFor: 120 * day, Upheld: 20, Judged: 20}, 2.7, 2.7, false},
		{"established, never upheld", Standing{AccountAge: 200 * day, MemberFor: 120 * day, Judged: 20}, 1.0, 1.15, false},
		{"staff, established", Standing{AccountAge: 200 * day, MemberFor: 120 * day, Staff: true}, 3.0, 3.0, false},
		{"staff, but new", Standing{AccountAge: 2 * day, MemberFor: 2 * day, Staff: true}, 0.1, 0.1, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			w, nc := ReportWeight(tc.s, th)
			if w < tc.min-1e-9 || w > tc.max+1e-9 || nc != tc.newcomer {
				t.Errorf("ReportWeight = %.3f, newcomer %t; want %.2f–%.2f, %t", w, nc, tc.min, tc.max, tc.newcomer)
			}
		})
	}
}

func TestCaseWeight(t *testing.T) {
	const th = DefaultHideThreshold
	newcomers := func(n int) []*Report {
		var out []*Report
		for range n {
			out = append(out, &Report{Weight: 0.1, Newcomer: true})
		}
		return out
	}
	tests := []struct {
		name    string
		reports []*Report
		want    float64
		hides   bool
	}{
		{"nobody", nil, 0, false},
		{"one established member", []*Report{{Weight: 2}}, 2, false},
		{"two established members", []*Report{{Weight: 2}, {Weight: 1.5}}, 3.5, true},
		{"a swarm of 5 new accounts", newcomers(5), 0.5, false},
		{"a swarm of 500 new accounts is capped below the threshold", newcomers(500), NewcomerShare * th, false},
		{"a swarm does not tip one established report over", append(newcomers(500), &Report{Weight: 1.4}), 2.9, false},
		{"but it adds to enough established weight", append(newcomers(500), &Report{Weight: 2}), 3.5, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := CaseWeight(tc.reports, th)
			if got < tc.want-1e-9 || got > tc.want+1e-9 || (got >= th) != tc.hides {
				t.Errorf("CaseWeight = %.3f (hides %t); want %.3f (hides %t)", got, got >= th, tc.want, tc.hides)
			}
		})
	}
}

func TestModerationDrafts(t *testing.T) {
	d := ReportDraft{Reason: "nonsense"}
	if ErrorFields(d.Validate())["reason"] == "" {
		t.Error("an unknown reason was accepted")
	}
	d = ReportDraft{Reason: ReasonSpam, Note: string(make([]rune, MaxReportNote+1))}
	if ErrorFields(d.Validate())["note"] == "" {
		t.Error("an overlong note was accepted")
	}
	dd := DecisionDraft{Action: ActionSuspend, Reason: "  "}
	f := ErrorFields(dd.Validate())
	if f["reason"] == "" || f["days"] == "" {
		t.Errorf("a suspension without reason or days: %v", f)
	}
	s := ModerationSettings{HideThreshold: 0.5}
	if s.Validate() == nil {
		t.Error("a threshold below 1 was accepted")
	}
}
