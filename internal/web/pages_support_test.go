package web_test

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"kindred"
	"kindred/internal/kindredtest"
)

// supportCertStore is what signing a supporter off needs from a store.
type supportCertStore interface {
	CreateCourse(ctx context.Context, c *kindred.Course) error
	CreateCertification(ctx context.Context, c *kindred.Certification) error
	DecideCertification(ctx context.Context, id string, d kindred.CertificationDecision) (*kindred.Certification, error)
}

// certifySupporter signs a member of o off as a peer supporter, as a
// coordinator would (which also gives them the peer supporter role).
func certifySupporter(t testing.TB, store supportCertStore, o *kindred.Organization, a, by *kindred.Account, youth bool) {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	course := &kindred.Course{ID: kindred.NewID(), OrgID: o.ID, Slug: "support-basics-" + strings.ToLower(kindred.NewID()[:8]),
		Title: "Support basics", Published: true, CreatedBy: by.ID, CreatedAt: now}
	if err := store.CreateCourse(ctx, course); err != nil {
		t.Fatalf("create course: %v", err)
	}
	c := &kindred.Certification{ID: kindred.NewID(), OrgID: o.ID, CourseID: course.ID, AccountID: a.ID,
		Decision: kindred.SignOffRequested, RequestedAt: now}
	if err := store.CreateCertification(ctx, c); err != nil {
		t.Fatalf("request sign-off: %v", err)
	}
	until := now.AddDate(1, 0, 0)
	if _, err := store.DecideCertification(ctx, c.ID, kindred.CertificationDecision{From: kindred.SignOffRequested,
		To: kindred.SignOffGranted, Note: "Well done.", DecidedBy: by.ID, DecidedAt: now, ExpiresAt: &until, YouthProgramme: youth}); err != nil {
		t.Fatalf("grant sign-off: %v", err)
	}
}

// supportCentre is an organisation "centre" with a coordinator, a member
// who asks for support and two signed-off peer supporters on shift.
type supportCentre struct {
	env                       *kindredtest.Env
	org                       *kindred.Organization
	admin, coord, member      *kindred.Account
	kwame, wren               *kindred.Account
	coordC, memC, kwaC, wrenC *kindredtest.Client
}

func newSupportCentre(t *testing.T) *supportCentre {
	t.Helper()
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	c := &supportCentre{env: env, admin: env.Account(t, "admin", kindred.AgeAdult), coord: env.Account(t, "margo", kindred.AgeAdult),
		member: env.Account(t, "river", kindred.AgeAdult), kwame: env.Account(t, "kwame", kindred.AgeAdult),
		wren: env.Account(t, "wren", kindred.AgeAdult)}
	c.org = env.Org(t, c.admin, "centre", kindred.JoinOpen)
	env.Member(t, c.org, c.coord, kindred.RoleCoordinator, kindred.StatusActive)
	for _, a := range []*kindred.Account{c.member, c.kwame, c.wren} {
		env.Member(t, c.org, a, 0, kindred.StatusActive)
	}
	c.coordC, c.memC, c.kwaC, c.wrenC = env.Client(t, c.coord), env.Client(t, c.member), env.Client(t, c.kwame), env.Client(t, c.wren)
	for _, sc := range []struct {
		a *kindred.Account
		c *kindredtest.Client
	}{{c.kwame, c.kwaC}, {c.wren, c.wrenC}} {
		certifySupporter(t, env.Store, c.org, sc.a, c.coord, false)
		st, body := sc.c.Post("/o/centre/support/profile", url.Values{"intro": {"Hi, I'm " + sc.a.DisplayName + "."},
			"experiences": {"coming_out", "family_rejection"}, "languages": {"en"}, "time_zone": {"Europe/London"}, "capacity": {"2"},
			"from_1": {"18:00"}, "to_1": {"21:00"}})
		if st != http.StatusSeeOther {
			t.Fatalf("%s saves their profile: %d\n%s", sc.a.Handle, st, body)
		}
		if st, body := sc.c.Post("/o/centre/support/shift/start", nil); st != http.StatusSeeOther {
			t.Fatalf("%s starts a shift: %d\n%s", sc.a.Handle, st, body)
		}
	}
	return c
}

var (
	supportRequestPath = regexp.MustCompile(`^/o/centre/support/requests/([a-z0-9]+)$`)
	supportOfferAccept = regexp.MustCompile(`/o/centre/support/offers/([a-z0-9]+)/accept`)
	supportMatchEnd    = regexp.MustCompile(`/o/centre/support/matches/([a-z0-9]+)/end`)
	supportRoomLink    = regexp.MustCompile(`href="(/rooms/[a-z0-9]+)`)
)

// ask files a request through the form and returns its page's path.
func (c *supportCentre) ask(t *testing.T, who *kindredtest.Client, form url.Values) string {
	t.Helper()
	loc := location(t, who, "/o/centre/support/requests", form)
	if !supportRequestPath.MatchString(loc) {
		t.Fatalf("asking for support went to %q", loc)
	}
	return loc
}

// offer finds the offer on a supporter's inbox.
func offerOn(t *testing.T, who *kindredtest.Client) string {
	t.Helper()
	st, body := who.Get("/o/centre/support/inbox")
	if st != http.StatusOK {
		t.Fatalf("inbox: %d", st)
	}
	m := supportOfferAccept.FindStringSubmatch(body)
	if m == nil {
		t.Fatalf("no offer in the inbox:\n%s", mainContent.FindString(body))
	}
	return m[1]
}

func TestSupportRequestFormKeepsWhatWasTyped(t *testing.T) {
	c := newSupportCentre(t)
	st, body := c.memC.Get("/o/centre/support")
	if st != http.StatusOK {
		t.Fatalf("support page: %d", st)
	}
	mustContain(t, body, "What would you like to talk about?", `name="topics" value="coming_out"`, "Coming out",
		`<option value="">No preference</option>`, "I'd like my supporter to be…", "Not someone from my school",
		`name="urgency" value="whenever"`, "If you're in danger right now", "aren't therapists",
		"Only the supporters your request is offered to", "Crisis lines you can contact now", `href="tel:988"`)
	if strings.Contains(body, "/support/inbox") || strings.Contains(body, "/support/supervision") {
		t.Error("a member who is neither supporter nor coordinator sees the inbox or supervision links")
	}

	// No topic: the form comes back with everything typed.
	st, body = c.memC.Post("/o/centre/support/requests", url.Values{"details": {"Words I don't want to type twice"},
		"language": {"es"}, "identities": {"trans"}, "not_my_school": {"yes"}, "urgency": {"today"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("a request with no topic: %d, want 422", st)
	}
	mustContain(t, body, "Words I don&#39;t want to type twice", `<option value="es" selected>`,
		`value="trans" id="f-identities" checked`, `name="not_my_school" value="yes" aria-describedby="h-not_my_school" checked`,
		`name="urgency" value="today" checked`, `id="e-topics"`, `href="#f-topics"`)

	// Coordinators and supporters get their links.
	_, body = c.coordC.Get("/o/centre/support")
	mustContain(t, body, `href="/o/centre/support/supervision"`)
	_, body = c.kwaC.Get("/o/centre/support")
	mustContain(t, body, `href="/o/centre/support/inbox"`)
}

func TestSupportMemberAndSupporterTalkEndAndLookBack(t *testing.T) {
	c := newSupportCentre(t)
	req := c.ask(t, c.memC, url.Values{"topics": {"coming_out"}, "details": {"I want to tell my mum this weekend."},
		"urgency": {"now"}})

	st, body := c.memC.Get(req)
	if st != http.StatusOK {
		t.Fatalf("request page: %d", st)
	}
	mustContain(t, body, "Waiting for a supporter", "data-support-poll", "support.", ".js", "Check again", "Withdraw my request",
		`aria-live="polite"`)

	// The supporter sees what they need to decide, and nothing that
	// identifies the member.
	st, body = c.kwaC.Get("/o/centre/support/inbox")
	if st != http.StatusOK {
		t.Fatalf("inbox: %d", st)
	}
	mustContain(t, body, "Coming out", "I want to tell my mum this weekend.", "As soon as possible", "On shift", "Not this time")
	if strings.Contains(body, "River") || strings.Contains(body, "river") {
		t.Error("the offer shows the member's name before the supporter accepts")
	}
	kwameOffer, wrenOffer := offerOn(t, c.kwaC), offerOn(t, c.wrenC)

	// Kwame accepts first; Wren is told kindly it has gone.
	loc := location(t, c.kwaC, "/o/centre/support/offers/"+kwameOffer+"/accept", url.Values{})
	if loc != req {
		t.Fatalf("accepting went to %q, want the request page %q", loc, req)
	}
	st, body = c.wrenC.Post("/o/centre/support/offers/"+wrenOffer+"/accept", nil)
	if st != http.StatusConflict {
		t.Fatalf("a second accept: %d, want 409", st)
	}
	mustContain(t, body, `class="alert alert-info" role="alert"`, "Supporter inbox")

	// Both reach the conversation.
	_, memPage := c.memC.Get(req)
	mustContain(t, memPage, "Kwame", "Hi, I&#39;m Kwame.", "Open the conversation", "I'd like someone else", "Ask a coordinator for help")
	_, supPage := c.kwaC.Get(req)
	mustContain(t, supPage, "Open the conversation", "Suggest another supporter", "End the conversation")
	room := supportRoomLink.FindStringSubmatch(memPage)
	if room == nil {
		t.Fatal("no link to the conversation on the member's page")
	}
	for name, who := range map[string]*kindredtest.Client{"member": c.memC, "supporter": c.kwaC} {
		if st, _ := who.Get(room[1]); st != http.StatusOK {
			t.Errorf("the %s opens the conversation: %d", name, st)
		}
	}

	// The member ends it, says it helped; the supporter writes a debrief.
	match := supportMatchEnd.FindStringSubmatch(memPage)
	if match == nil {
		t.Fatal("no end form on the member's page")
	}
	if loc := location(t, c.memC, "/o/centre/support/matches/"+match[1]+"/end", url.Values{"request": {strings.TrimPrefix(req, "/o/centre/support/requests/")}}); loc != req {
		t.Errorf("ending went to %q", loc)
	}
	_, memPage = c.memC.Get(req)
	mustContain(t, memPage, "Did this help?", "only the coordinators who look after the programme read it")
	reqID := strings.TrimPrefix(req, "/o/centre/support/requests/")

	// A feedback answer that is missing comes back with the comment kept.
	st, body = c.memC.Post("/o/centre/support/matches/"+match[1]+"/feedback", url.Values{"request": {reqID}, "comment": {"Kwame really listened."}})
	if st != http.StatusUnprocessableEntity {
		t.Errorf("feedback without an answer: %d, want 422", st)
	}
	mustContain(t, body, "Kwame really listened.")
	location(t, c.memC, "/o/centre/support/matches/"+match[1]+"/feedback", url.Values{"request": {reqID}, "helped": {"yes"},
		"comment": {"Kwame really listened."}})
	_, supPage = c.kwaC.Get(req)
	mustContain(t, supPage, "Your debrief")
	if strings.Contains(supPage, "Kwame really listened.") {
		t.Error("the supporter sees the member's private feedback")
	}
	location(t, c.kwaC, "/o/centre/support/matches/"+match[1]+"/debrief", url.Values{"request": {reqID},
		"body": {"We talked through how to start the conversation."}, "check_in": {"yes"}})

	// The coordinator sees the supporters, the feedback and the debrief.
	st, body = c.coordC.Get("/o/centre/support/supervision")
	if st != http.StatusOK {
		t.Fatalf("supervision: %d", st)
	}
	mustContain(t, body, "Kwame", "Wren", "On shift", "Kwame really listened.", "We talked through how to start the conversation.",
		"Asked for a check-in", "Nobody is waiting.")
}

func TestSupportCrisisShowsHelpAtOnce(t *testing.T) {
	c := newSupportCentre(t)
	req := c.ask(t, c.memC, url.Values{"topics": {"family_rejection"}, "details": {"I want to kill myself tonight."}, "urgency": {"now"}})
	st, body := c.memC.Get(req)
	if st != http.StatusOK {
		t.Fatalf("request page: %d", st)
	}
	mustContain(t, body, "crisis-panel", "You don't have to wait to talk to someone", "local emergency number", "Priority")
	// Numbers can be tapped: "911 (US, Canada), 999 (UK)" is three links.
	mustContain(t, body, `href="tel:988"`, `href="sms:988"`, `href="tel:911">Call 911 (US, Canada)</a>`, `href="tel:999"`)
	// Coordinators see it first in the queue, flagged.
	_, body = c.coordC.Get("/o/centre/support/supervision")
	mustContain(t, body, "badge-crisis")
}

func TestSupportPagesHideWhatIsNotYours(t *testing.T) {
	c := newSupportCentre(t)
	req := c.ask(t, c.memC, url.Values{"topics": {"coming_out"}})
	other := c.env.Account(t, "sky", kindred.AgeAdult)
	c.env.Member(t, c.org, other, 0, kindred.StatusActive)
	oc := c.env.Client(t, other)

	st1, body1 := oc.Get(req)
	st2, body2 := oc.Get("/o/centre/support/requests/" + kindred.NewID())
	if st1 != http.StatusNotFound {
		t.Errorf("someone else's request: %d, want 404", st1)
	}
	sameAnswer(t, "someone else's request", st1, body1, st2, body2)
	if st, _ := c.coordC.Get(req); st != http.StatusOK {
		t.Errorf("a coordinator opens a request: %d", st)
	}
	if st, _ := oc.Get("/o/centre/support/supervision"); st != http.StatusForbidden && st != http.StatusNotFound {
		t.Errorf("a member opens supervision: %d", st)
	}
	if st, _ := c.coordC.Get("/o/centre/support/settings"); st != http.StatusOK {
		t.Errorf("a coordinator opens the settings: %d", st)
	}
}

func TestSupportSettingsKeepKeysOfExistingLabels(t *testing.T) {
	c := newSupportCentre(t)
	st, body := c.coordC.Get("/o/centre/support/settings")
	if st != http.StatusOK {
		t.Fatalf("settings: %d", st)
	}
	mustContain(t, body, "Coming out\nTrans and nonbinary experience", `name="weekly_hours"`)
	form := url.Values{"max_capacity": {"2"}, "max_shift": {"120"}, "weekly_hours": {"8"}, "offer_timeout": {"5"}, "offers_at_once": {"2"},
		"taxonomy": {"Coming out\nGender and identity at work\n"}}
	if loc := location(t, c.coordC, "/o/centre/support/settings", form); loc != "/o/centre/support/settings" {
		t.Errorf("saving went to %q", loc)
	}
	set, err := c.env.Services.Support.Settings(context.Background(), kindredtest.Actor(c.coord), "centre")
	if err != nil {
		t.Fatal(err)
	}
	if len(set.Taxonomy) != 2 || set.Taxonomy[0].Key != "coming_out" || set.Taxonomy[1].Label != "Gender and identity at work" || set.Taxonomy[1].Key == "" {
		t.Errorf("taxonomy %+v", set.Taxonomy)
	}
	if set.WeeklyHours != 8 || set.MaxShift != 2*time.Hour {
		t.Errorf("limits %+v", set)
	}
	form.Set("weekly_hours", "99")
	st, body = c.coordC.Post("/o/centre/support/settings", form)
	if st != http.StatusUnprocessableEntity {
		t.Errorf("99 weekly hours: %d, want 422", st)
	}
	mustContain(t, body, `value="99"`, "Gender and identity at work")
}
