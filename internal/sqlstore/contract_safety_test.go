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
	{"OrgSafety", testOrgSafety},
	{"DiscreetMode", testDiscreetMode},
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

func testOrgSafety(t *testing.T, db *DB) {
	ctx := t.Context()
	admin := newAccount(t, db, "ada", "Ada")
	harbour := newOrg(t, db, "harbour", "Harbour", admin)
	quay := newOrg(t, db, "quay", "Quay", admin)

	_, err := db.FindOrgSafety(ctx, harbour.ID)
	wantCode(t, err, kindred.ENOTFOUND)
	all, err := db.ListOrgSafety(ctx)
	must(t, err)
	wantEqual(t, "nothing saved", len(all), 0)

	s := &kindred.OrgSafety{OrgID: harbour.ID, ShowDefaults: true, QuickExitURL: "https://weather.example/",
		DiscreetDefault: true, Contact: "Ask Jo at the front desk — ☎ 555 0100", UpdatedAt: at(1),
		Resources: []kindred.CrisisResource{
			{ID: "b-line", Name: "Night line", Description: "Listens.\nNo judgement.", Phone: "555 0199", Text: "Text HI to 555",
				ChatURL: "https://chat.example/", Hours: "20:00–06:00", Region: "Town", Languages: []string{"en", "pt-BR"}, Serves: "trans people"},
			{Name: "Youth drop-in", Phone: "555 0123"}, // an id is filled in
		},
		Phrases: map[string][]string{"en": {"kill myself", "walk into the sea"}, "es": {}}}
	must(t, db.SaveOrgSafety(ctx, s))
	if s.Resources[1].ID == "" {
		t.Fatal("SaveOrgSafety did not fill a line's id")
	}
	got, err := db.FindOrgSafety(ctx, harbour.ID)
	must(t, err)
	wantEqual(t, "saved settings", got, s)

	// Saving again replaces the lines (order included) and the lists.
	s2 := &kindred.OrgSafety{OrgID: harbour.ID, UpdatedAt: at(2),
		Resources: []kindred.CrisisResource{s.Resources[1], {ID: "c", Name: "Café", Phone: "1"}, s.Resources[0]},
		Phrases:   map[string][]string{"fr": {"me tuer"}}}
	must(t, db.SaveOrgSafety(ctx, s2))
	got, err = db.FindOrgSafety(ctx, harbour.ID)
	must(t, err)
	wantEqual(t, "replaced settings", got, s2)

	// A line break inside a phrase cannot split it into two.
	must(t, db.SaveOrgSafety(ctx, &kindred.OrgSafety{OrgID: quay.ID, UpdatedAt: at(3),
		Phrases: map[string][]string{"en": {"end\nit all"}}}))
	got, err = db.FindOrgSafety(ctx, quay.ID)
	must(t, err)
	wantEqual(t, "one phrase kept whole", got.Phrases["en"], []string{"end it all"})
	if got.Resources != nil {
		t.Errorf("no lines: got %+v", got.Resources)
	}

	all, err = db.ListOrgSafety(ctx)
	must(t, err)
	if len(all) != 2 {
		t.Fatalf("ListOrgSafety: %d organisations, want 2", len(all))
	}
	for _, a := range all {
		if a.OrgID == harbour.ID {
			wantEqual(t, "listed harbour", a, s2)
		}
	}

	// Settings for no organisation are refused.
	wantCode(t, db.SaveOrgSafety(ctx, &kindred.OrgSafety{OrgID: "nowhere"}), kindred.ENOTFOUND)
}

func testDiscreetMode(t *testing.T, db *DB) {
	ctx := t.Context()
	a := newAccount(t, db, "kit", "Kit")
	got, err := db.FindAccount(ctx, a.ID)
	must(t, err)
	wantEqual(t, "default", got.Discreet, kindred.DiscreetFollow)
	for _, m := range []kindred.DiscreetMode{kindred.DiscreetOn, kindred.DiscreetOff, kindred.DiscreetFollow} {
		got, err := db.UpdateAccount(ctx, a.ID, kindred.AccountUpdate{Discreet: &m})
		must(t, err)
		wantEqual(t, "updated", got.Discreet, m)
		got, err = db.FindAccountByHandle(ctx, "kit")
		must(t, err)
		wantEqual(t, "read back", got.Discreet, m)
	}
	// An account created discreet stays so.
	b := &kindred.Account{Handle: "lee", AgeBand: kindred.AgeAdult, PasswordHash: "x", Discreet: kindred.DiscreetOn, CreatedAt: base}
	must(t, db.CreateAccount(ctx, b))
	got, err = db.FindAccount(ctx, b.ID)
	must(t, err)
	wantEqual(t, "created discreet", got.Discreet, kindred.DiscreetOn)
	// Something else than the three choices is refused by the database too.
	bad := kindred.DiscreetMode("maybe")
	if _, err := db.UpdateAccount(ctx, a.ID, kindred.AccountUpdate{Discreet: &bad}); err == nil {
		t.Error("an unknown discreet mode was stored")
	}
}
