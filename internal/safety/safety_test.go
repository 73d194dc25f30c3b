package safety_test

import (
	"bytes"
	"context"
	"log/slog"
	"strings"
	"testing"
	"time"

	"kindred"
	"kindred/internal/safety"
	"kindred/internal/sqlstore/sqlstoretest"
)

func TestPlans(t *testing.T) {
	ctx := context.Background()
	store := sqlstoretest.Open(t)
	var logs bytes.Buffer
	clock := time.Date(2026, 5, 1, 12, 0, 0, 123456789, time.UTC)
	svc := safety.New(store, safety.Options{Now: func() time.Time { return clock },
		Logger: slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))})
	account := func(handle string) *kindred.Actor {
		a := &kindred.Account{Handle: handle, AgeBand: kindred.AgeYouth, PasswordHash: "x", CreatedAt: clock}
		if err := store.CreateAccount(ctx, a); err != nil {
			t.Fatal(err)
		}
		return &kindred.Actor{Account: a}
	}
	rosa, sam := account("rosa"), account("sam")

	t.Run("signed out", func(t *testing.T) {
		if _, err := svc.Plan(ctx, nil); kindred.ErrorCode(err) != kindred.EUNAUTHORIZED {
			t.Errorf("Plan: %v", err)
		}
		if _, err := svc.SavePlan(ctx, &kindred.Actor{}, kindred.SafetyPlan{Coping: "x"}); kindred.ErrorCode(err) != kindred.EUNAUTHORIZED {
			t.Errorf("SavePlan: %v", err)
		}
	})

	t.Run("empty until saved", func(t *testing.T) {
		p, err := svc.Plan(ctx, rosa)
		if err != nil || !p.IsEmpty() || !p.UpdatedAt.IsZero() || p.AccountID != rosa.AccountID() {
			t.Errorf("fresh plan %+v, %v", p, err)
		}
	})

	t.Run("save and read back", func(t *testing.T) {
		// AccountID in the draft is ignored: the plan is always the actor's.
		saved, err := svc.SavePlan(ctx, rosa, kindred.SafetyPlan{AccountID: sam.AccountID(), Coping: "  secret-coping-words  ", People: "Ana"})
		if err != nil {
			t.Fatal(err)
		}
		if saved.AccountID != rosa.AccountID() || saved.Coping != "secret-coping-words" || !saved.UpdatedAt.Equal(clock.Truncate(time.Millisecond)) {
			t.Errorf("saved %+v", saved)
		}
		got, err := svc.Plan(ctx, rosa)
		if err != nil || *got != *saved {
			t.Errorf("read back %+v, %v; want %+v", got, err, saved)
		}
		other, err := svc.Plan(ctx, sam)
		if err != nil || !other.IsEmpty() {
			t.Errorf("sam's plan %+v, %v", other, err)
		}
		if strings.Contains(logs.String(), "secret-coping-words") || strings.Contains(logs.String(), "Ana") {
			t.Errorf("plan text was logged: %s", logs.String())
		}
	})

	t.Run("too long", func(t *testing.T) {
		_, err := svc.SavePlan(ctx, rosa, kindred.SafetyPlan{Professionals: strings.Repeat("x", kindred.MaxSafetyPlanField+1),
			Coping: strings.Repeat("é", kindred.MaxSafetyPlanField)})
		fields := kindred.ErrorFields(err)
		if kindred.ErrorCode(err) != kindred.EINVALID || fields["professionals"] == "" || fields["coping"] != "" {
			t.Errorf("too long: %v %v", err, fields)
		}
		if got, _ := svc.Plan(ctx, rosa); got.Coping != "secret-coping-words" {
			t.Errorf("an invalid plan changed the stored one: %+v", got)
		}
	})

	t.Run("sharing needs a match", func(t *testing.T) {
		if _, err := svc.Share(ctx, rosa, sam.AccountID()); kindred.ErrorCode(err) != kindred.ENOTFOUND {
			t.Errorf("sharing with someone never matched: %v", err)
		}
		if sups, err := svc.Supporters(ctx, rosa); err != nil || len(sups) != 0 {
			t.Errorf("supporters %v, %v", sups, err)
		}
		p, err := svc.Share(ctx, rosa, "")
		if err != nil || p.SharedWith != "" || p.Coping != "secret-coping-words" {
			t.Errorf("private again: %+v, %v", p, err)
		}
		if _, err := svc.SharedPlanOf(ctx, sam, rosa.AccountID()); kindred.ErrorCode(err) != kindred.ENOTFOUND {
			t.Errorf("sam reads rosa's unshared plan: %v", err)
		}
		if _, err := svc.SharedPlanOf(ctx, nil, rosa.AccountID()); kindred.ErrorCode(err) != kindred.EUNAUTHORIZED {
			t.Errorf("a visitor reads a plan: %v", err)
		}
		// Even a plan that names sam (stored directly) stays hidden from
		// him without a match between them.
		if err := store.SaveSafetyPlan(ctx, &kindred.SafetyPlan{AccountID: rosa.AccountID(), Coping: "x", SharedWith: sam.AccountID()}); err != nil {
			t.Fatal(err)
		}
		if _, err := svc.SharedPlanOf(ctx, sam, rosa.AccountID()); kindred.ErrorCode(err) != kindred.ENOTFOUND {
			t.Errorf("shared without a match: %v", err)
		}
		if list, err := svc.SharedWithMe(ctx, sam); err != nil || len(list) != 0 {
			t.Errorf("shared with sam: %v, %v", list, err)
		}
	})
}
