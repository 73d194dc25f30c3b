package web_test

import (
	"bytes"
	"encoding/json"
	"html"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"kindred"
	"kindred/internal/kindredtest"
)

// safetyForm is a whole plan as the form posts it.
func safetyForm(kv map[string]string) url.Values {
	f := url.Values{}
	for _, k := range []string{"warning_signs", "coping", "distractions", "people", "professionals", "safe_surroundings"} {
		f.Set(k, kv[k])
	}
	return f
}

// rawDo sends a request as c and returns the response with its body read.
func rawDo(t *testing.T, c *kindredtest.Client, method, path string, body []byte, contentType string) (*http.Response, string) {
	t.Helper()
	req, err := http.NewRequest(method, c.Base+path, bytes.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := c.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func TestSafetyPlanIsPrivateToItsOwner(t *testing.T) {
	t.Parallel()
	env := kindredtest.New(t)
	rosa := env.Client(t, env.Account(t, "rosa", kindred.AgeYouth))
	sam := env.Client(t, env.Account(t, "sam", kindred.AgeAdult))

	// A fresh plan is an empty form that says it is private.
	st, body := rosa.Get("/safety-plan")
	if st != http.StatusOK {
		t.Fatalf("GET /safety-plan: %d", st)
	}
	mustContain(t, body, "<h1>My safety plan</h1>", "This plan is private", `for="f-warning_signs"`,
		`aria-describedby="h-coping"`, `placeholder="e.g.`, `href="/safety-plan/print"`)

	plan := map[string]string{"warning_signs": "I stop sleeping <b>much</b>\nand stop texting back",
		"coping": "Walk the dog", "distractions": "The library on Saturdays", "people": "My cousin Ana",
		"professionals": "Youth line 0800 123", "safe_surroundings": "  Ana keeps my pills  "}
	st, _ = rosa.Post("/safety-plan", safetyForm(plan))
	if st != http.StatusSeeOther {
		t.Fatalf("POST /safety-plan: %d", st)
	}
	st, body = rosa.Get("/safety-plan")
	if st != http.StatusOK {
		t.Fatalf("GET /safety-plan after saving: %d", st)
	}
	mustContain(t, body, "Your safety plan is saved", "I stop sleeping &lt;b&gt;much&lt;/b&gt;\nand stop texting back",
		">Ana keeps my pills</textarea>", "Last saved")

	// The print page shows every step, escaped, under a neutral title.
	st, body = rosa.Get("/safety-plan/print")
	if st != http.StatusOK {
		t.Fatalf("GET /safety-plan/print: %d", st)
	}
	mustContain(t, body, "<title>My plan</title>", "<h1>My plan</h1>", "data-print", "Walk the dog",
		"I stop sleeping &lt;b&gt;much&lt;/b&gt;", "Youth line 0800 123", "Ana keeps my pills")
	if strings.Contains(body, "<b>much</b>") {
		t.Error("the print page shows plan text as HTML")
	}

	// Someone else sees only their own, empty plan, on both pages.
	for _, p := range []string{"/safety-plan", "/safety-plan/print"} {
		st, body := sam.Get(p)
		if st != http.StatusOK {
			t.Fatalf("%s as sam: %d", p, st)
		}
		for _, v := range plan {
			if strings.Contains(html.UnescapeString(body), strings.TrimSpace(v)) {
				t.Errorf("%s as sam shows rosa's %q", p, v)
			}
		}
	}
}

func TestSafetyPlanTooLongKeepsEveryWord(t *testing.T) {
	t.Parallel()
	env := kindredtest.New(t)
	rosa := env.Client(t, env.Account(t, "rosa", kindred.AgeAdult))
	long := strings.Repeat("ó", kindred.MaxSafetyPlanField+1)
	st, body := rosa.Post("/safety-plan", safetyForm(map[string]string{"coping": long, "people": "My aunt Jo"}))
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("too long: %d", st)
	}
	mustContain(t, body, `id="e-coping"`, `aria-invalid="true"`, "keep it to 4000 characters", long, ">My aunt Jo</textarea>")
	// Nothing was saved.
	_, body = rosa.Get("/safety-plan")
	if strings.Contains(body, "My aunt Jo") {
		t.Error("an invalid plan was saved")
	}
}

func TestSafetyPlanAsksVisitorsToLogIn(t *testing.T) {
	t.Parallel()
	env := kindredtest.New(t)
	visitor := env.Visitor(t)
	for _, p := range []string{"/safety-plan", "/safety-plan/print"} {
		res, _ := rawDo(t, visitor, http.MethodGet, p, nil, "")
		if loc := res.Header.Get("Location"); res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/login") {
			t.Errorf("visitor GET %s: %d to %q", p, res.StatusCode, loc)
		}
	}
	if st, _ := visitor.Post("/safety-plan", safetyForm(map[string]string{"coping": "x"})); st != http.StatusUnauthorized {
		t.Errorf("visitor POST /safety-plan: %d", st)
	}
	// Get help now offers the plan, by way of logging in.
	_, help := visitor.Get("/help")
	mustContain(t, help, "Make or open your safety plan", `href="/login?next=%2Fsafety-plan"`)
	_, help = env.Client(t, env.Account(t, "rosa", kindred.AgeAdult)).Get("/help")
	mustContain(t, help, `href="/safety-plan"`)
}

func TestSafetyPlanAPI(t *testing.T) {
	t.Parallel()
	env := kindredtest.New(t)
	rosa := env.Client(t, env.Account(t, "rosa", kindred.AgeAdult))
	sam := env.Client(t, env.Account(t, "sam", kindred.AgeAdult))
	type planJSON struct {
		WarningSigns     string  `json:"warning_signs"`
		Coping           string  `json:"coping"`
		Distractions     string  `json:"distractions"`
		People           string  `json:"people"`
		Professionals    string  `json:"professionals"`
		SafeSurroundings string  `json:"safe_surroundings"`
		UpdatedAt        *string `json:"updated_at"`
	}
	call := func(c *kindredtest.Client, method string, body any, want int) planJSON {
		t.Helper()
		var b []byte
		if body != nil {
			b, _ = json.Marshal(body)
		}
		res, out := rawDo(t, c, method, "/api/v1/me/safety-plan", b, "application/json")
		if res.StatusCode != want {
			t.Fatalf("%s: %d %s", method, res.StatusCode, out)
		}
		var p planJSON
		if want == http.StatusOK {
			if err := json.Unmarshal([]byte(out), &p); err != nil {
				t.Fatal(err)
			}
		}
		return p
	}

	if p := call(rosa, http.MethodGet, nil, http.StatusOK); p != (planJSON{}) {
		t.Errorf("a fresh plan: %+v", p)
	}
	saved := call(rosa, http.MethodPut, map[string]string{"coping": " Breathe slowly ", "people": "Ana"}, http.StatusOK)
	if saved.Coping != "Breathe slowly" || saved.People != "Ana" || saved.UpdatedAt == nil {
		t.Errorf("saved: %+v", saved)
	}
	got := call(rosa, http.MethodGet, nil, http.StatusOK)
	if got.Coping != saved.Coping || got.People != saved.People || got.UpdatedAt == nil || *got.UpdatedAt != *saved.UpdatedAt {
		t.Errorf("read back %+v, saved %+v", got, saved)
	}
	// The page shows what the API saved.
	_, body := rosa.Get("/safety-plan")
	mustContain(t, body, ">Breathe slowly</textarea>")
	// Someone else's plan stays empty.
	if p := call(sam, http.MethodGet, nil, http.StatusOK); p != (planJSON{}) {
		t.Errorf("sam sees %+v", p)
	}
	call(rosa, http.MethodPut, map[string]string{"coping": strings.Repeat("a", kindred.MaxSafetyPlanField+1)}, http.StatusUnprocessableEntity)
	call(env.Visitor(t), http.MethodGet, nil, http.StatusUnauthorized)
}

func TestSafetyPlanSharedWithOneSupporter(t *testing.T) {
	c := newSupportCentre(t)
	req := c.ask(t, c.memC, url.Values{"topics": {"coming_out"}, "details": {"Big weekend coming."}, "urgency": {"now"}})
	if loc := location(t, c.kwaC, "/o/centre/support/offers/"+offerOn(t, c.kwaC)+"/accept", url.Values{}); loc != req {
		t.Fatalf("accepting went to %q", loc)
	}
	if st, _ := c.memC.Post("/safety-plan", safetyForm(map[string]string{"coping": "Call Ana-the-cousin"})); st != http.StatusSeeOther {
		t.Fatalf("save: %d", st)
	}
	shared := "/safety-plan/shared/" + c.member.ID

	// Nothing is shared until the member chooses; Wren, never matched with
	// them, is not offered.
	_, body := c.memC.Get("/safety-plan")
	mustContain(t, body, "Share with a supporter", `<option value="`+c.kwame.ID+`"`)
	if strings.Contains(body, c.wren.ID) {
		t.Error("a supporter the member never talked with is offered")
	}
	if st, _ := c.kwaC.Get(shared); st != http.StatusNotFound {
		t.Errorf("before sharing, kwame gets %d", st)
	}
	if st, _ := c.memC.Post("/safety-plan/share", url.Values{"supporter": {c.wren.ID}}); st != http.StatusNotFound {
		t.Errorf("sharing with someone never matched: %d", st)
	}

	if st, _ := c.memC.Post("/safety-plan/share", url.Values{"supporter": {c.kwame.ID}}); st != http.StatusSeeOther {
		t.Fatalf("share: %d", st)
	}
	// Saving the plan again keeps it shared.
	c.memC.Post("/safety-plan", safetyForm(map[string]string{"coping": "Call Ana-the-cousin", "people": "Kwame"}))
	_, body = c.kwaC.Get("/safety-plan")
	mustContain(t, body, "Plans shared with you", `href="`+shared+`"`)
	st, body := c.kwaC.Get(shared)
	if st != http.StatusOK {
		t.Fatalf("kwame reads the shared plan: %d", st)
	}
	mustContain(t, body, "Call Ana-the-cousin", "chose to share this with you")
	if strings.Contains(body, `action="/safety-plan"`) {
		t.Error("the supporter's view has the editing form")
	}
	if st, _ := c.wrenC.Get(shared); st != http.StatusNotFound {
		t.Errorf("wren reads a plan not shared with her: %d", st)
	}
	if st, _ := c.coordC.Get(shared); st != http.StatusNotFound {
		t.Errorf("the coordinator reads a member's plan: %d", st)
	}

	// A block either way hides it, and unblocking brings it back.
	blk := &kindred.Block{AccountID: c.member.ID, BlockedID: c.kwame.ID}
	if err := c.env.Store.CreateBlock(t.Context(), blk); err != nil {
		t.Fatal(err)
	}
	if st, _ := c.kwaC.Get(shared); st != http.StatusNotFound {
		t.Errorf("blocked, kwame gets %d", st)
	}
	if _, body := c.kwaC.Get("/safety-plan"); strings.Contains(body, shared) {
		t.Error("a blocked supporter still sees the shared plan listed")
	}
	if err := c.env.Store.DeleteBlock(t.Context(), c.member.ID, c.kwame.ID); err != nil {
		t.Fatal(err)
	}
	if st, _ := c.kwaC.Get(shared); st != http.StatusOK {
		t.Errorf("unblocked, kwame gets %d", st)
	}

	// Stopping sharing takes it away at once.
	c.memC.Post("/safety-plan/share", url.Values{"supporter": {""}})
	if st, _ := c.kwaC.Get(shared); st != http.StatusNotFound {
		t.Errorf("after sharing stopped, kwame gets %d", st)
	}
}
