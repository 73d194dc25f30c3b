package sqlstore

import (
	"strings"
	"testing"

	"kindred"
)

// safetyContract lists the safety plan store's contract cases.
var safetyContract = []struct {
	name string
	fn   func(t *testing.T, db *DB)
}{
	{"SafetyPlans", testSafetyPlans},
	{"SafetyPlanGoesWithAccount", testSafetyPlanGoesWithAccount},
	{"SafetyPlanSharing", testSafetyPlanSharing},
}

func testSafetyPlans(t *testing.T, db *DB) {
	ctx := t.Context()
	rosa := newAccount(t, db, "rosa", "Rosa")
	sam := newAccount(t, db, "sam", "Sam")

	_, err := db.FindSafetyPlan(ctx, rosa.ID)
	wantCode(t, err, kindred.ENOTFOUND)
	wantCode(t, db.DeleteSafetyPlan(ctx, rosa.ID), kindred.ENOTFOUND)

	plan := &kindred.SafetyPlan{AccountID: rosa.ID, WarningSigns: "I stop sleeping.\nI stop answering texts.",
		Coping: "Walk the dog — 🐕", Distractions: "The library", People: "My cousin Ana",
		Professionals: "Helpline 0800 000 000", SafeSurroundings: "Give my pills to Ana", UpdatedAt: at(1)}
	must(t, db.SaveSafetyPlan(ctx, plan))
	got, err := db.FindSafetyPlan(ctx, rosa.ID)
	must(t, err)
	wantEqual(t, "saved plan", got, plan)

	// Saving again replaces every step, including with blanks.
	again := &kindred.SafetyPlan{AccountID: rosa.ID, Coping: strings.Repeat("é", kindred.MaxSafetyPlanField), UpdatedAt: at(2)}
	must(t, db.SaveSafetyPlan(ctx, again))
	got, err = db.FindSafetyPlan(ctx, rosa.ID)
	must(t, err)
	wantEqual(t, "replaced plan", got, again)

	// UpdatedAt is filled when zero.
	fresh := &kindred.SafetyPlan{AccountID: sam.ID, People: "Jo"}
	must(t, db.SaveSafetyPlan(ctx, fresh))
	if fresh.UpdatedAt.IsZero() {
		t.Error("SaveSafetyPlan left UpdatedAt zero")
	}
	got, err = db.FindSafetyPlan(ctx, sam.ID)
	must(t, err)
	wantEqual(t, "filled plan", got, fresh)

	// Plans are one per account: Sam's did not touch Rosa's.
	got, err = db.FindSafetyPlan(ctx, rosa.ID)
	must(t, err)
	wantEqual(t, "Rosa's plan after Sam saved", got.People, "")

	// A plan for no account is refused.
	wantCode(t, db.SaveSafetyPlan(ctx, &kindred.SafetyPlan{AccountID: "nobody", Coping: "x"}), kindred.ENOTFOUND)

	must(t, db.DeleteSafetyPlan(ctx, rosa.ID))
	_, err = db.FindSafetyPlan(ctx, rosa.ID)
	wantCode(t, err, kindred.ENOTFOUND)
	if _, err := db.FindSafetyPlan(ctx, sam.ID); err != nil {
		t.Errorf("deleting Rosa's plan touched Sam's: %v", err)
	}
}

// testSafetyPlanGoesWithAccount: erasing an account erases its plan.
func testSafetyPlanGoesWithAccount(t *testing.T, db *DB) {
	ctx := t.Context()
	rosa := newAccount(t, db, "rosa", "Rosa")
	must(t, db.SaveSafetyPlan(ctx, &kindred.SafetyPlan{AccountID: rosa.ID, Coping: "Breathe", UpdatedAt: at(1)}))
	rawExec(t, db, `DELETE FROM accounts WHERE id = ?`, rosa.ID)
	_, err := db.FindSafetyPlan(ctx, rosa.ID)
	wantCode(t, err, kindred.ENOTFOUND)
}

func testSafetyPlanSharing(t *testing.T, db *DB) {
	ctx := t.Context()
	rosa := newAccount(t, db, "rosa", "Rosa")
	sam := newAccount(t, db, "sam", "Sam")
	kwame := newAccount(t, db, "kwame", "Kwame")

	plans, err := db.ListSafetyPlansSharedWith(ctx, kwame.ID)
	must(t, err)
	wantEqual(t, "shared before any", len(plans), 0)

	rosas := &kindred.SafetyPlan{AccountID: rosa.ID, Coping: "Breathe", SharedWith: kwame.ID, UpdatedAt: at(1)}
	sams := &kindred.SafetyPlan{AccountID: sam.ID, People: "Jo", SharedWith: kwame.ID, UpdatedAt: at(2)}
	must(t, db.SaveSafetyPlan(ctx, rosas))
	must(t, db.SaveSafetyPlan(ctx, sams))
	got, err := db.FindSafetyPlan(ctx, rosa.ID)
	must(t, err)
	wantEqual(t, "shared plan", got, rosas)
	plans, err = db.ListSafetyPlansSharedWith(ctx, kwame.ID)
	must(t, err)
	wantEqual(t, "shared with kwame, newest first", plans, []*kindred.SafetyPlan{sams, rosas})

	// Sharing with nobody makes the plan private again.
	sams.SharedWith, sams.UpdatedAt = "", at(3)
	must(t, db.SaveSafetyPlan(ctx, sams))
	plans, err = db.ListSafetyPlansSharedWith(ctx, kwame.ID)
	must(t, err)
	wantEqual(t, "shared with kwame after sam stopped", plans, []*kindred.SafetyPlan{rosas})

	// Sharing with an account that does not exist is refused.
	wantCode(t, db.SaveSafetyPlan(ctx, &kindred.SafetyPlan{AccountID: sam.ID, SharedWith: "nobody"}), kindred.ENOTFOUND)

	// When the supporter's account goes, the plan stays and is private.
	rawExec(t, db, `DELETE FROM accounts WHERE id = ?`, kwame.ID)
	got, err = db.FindSafetyPlan(ctx, rosa.ID)
	must(t, err)
	wantEqual(t, "plan after the supporter left", got.SharedWith, "")
	wantEqual(t, "steps after the supporter left", got.Coping, "Breathe")
}
