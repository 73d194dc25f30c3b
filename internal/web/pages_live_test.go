package web_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdpruntime "github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/coder/websocket"
	goical "github.com/emersion/go-ical"

	"kindred"
	"kindred/internal/kindredtest"
	"kindred/internal/live"
	"kindred/internal/web"
)

// liveCircle is an organisation "centre" with a public group "circle"
// facilitated by fac, and two ordinary members of both.
type liveCircle struct {
	env              *kindredtest.Env
	admin, fac       *kindred.Account
	member, other    *kindred.Account
	org              *kindred.Organization
	group            *kindred.Group
	facC, memC, othC *kindredtest.Client
}

func newLiveCircle(t *testing.T) *liveCircle {
	t.Helper()
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	c := &liveCircle{env: env, admin: env.Account(t, "admin", kindred.AgeAdult), fac: env.Account(t, "facil", kindred.AgeAdult),
		member: env.Account(t, "river", kindred.AgeAdult), other: env.Account(t, "sky", kindred.AgeAdult)}
	c.org = env.Org(t, c.admin, "centre", kindred.JoinOpen)
	for _, a := range []*kindred.Account{c.fac, c.member, c.other} {
		env.Member(t, c.org, a, 0, kindred.StatusActive)
	}
	c.group = env.Group(t, c.org, "circle", kindred.VisibilityPublic, kindred.AgeAny, c.fac)
	env.GroupMember(t, c.group, c.member, kindred.StatusActive)
	env.GroupMember(t, c.group, c.other, kindred.StatusActive)
	c.facC, c.memC, c.othC = env.Client(t, c.fac), env.Client(t, c.member), env.Client(t, c.other)
	return c
}

func (c *liveCircle) sessionURL(id string) string { return "/o/centre/g/circle/sessions/" + id }

// enter lets a person into the session's current meeting through the
// page, and returns the room's path.
func (c *liveCircle) enter(t *testing.T, who *kindredtest.Client, sessionID string, extra ...string) string {
	t.Helper()
	form := url.Values{"agree": {"yes"}}
	for i := 0; i+1 < len(extra); i += 2 {
		form.Set(extra[i], extra[i+1])
	}
	req, _ := http.NewRequest(http.MethodPost, who.Base+c.sessionURL(sessionID)+"/enter", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := who.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	loc := res.Header.Get("Location")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, "/rooms/") {
		t.Fatalf("enter: %d → %q", res.StatusCode, loc)
	}
	room, _, _ := strings.Cut(loc, "#")
	return room
}

// location posts a form and returns where it redirected to.
func location(t *testing.T, who *kindredtest.Client, path string, form url.Values) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, who.Base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "same-origin")
	res, err := who.Client.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("POST %s: %d, want 303", path, res.StatusCode)
	}
	return res.Header.Get("Location")
}

var mainContent = regexp.MustCompile(`(?s)<main\b.*</main>`)

// sameAnswer checks that two answers look the same: status and main content.
func sameAnswer(t *testing.T, what string, st1 int, body1 string, st2 int, body2 string) {
	t.Helper()
	if st1 != st2 {
		t.Errorf("%s: status %d, but %d for something that does not exist", what, st1, st2)
		return
	}
	if m1, m2 := mainContent.FindString(body1), mainContent.FindString(body2); m1 != m2 {
		t.Errorf("%s: the page differs from a nonexistent one's:\n%s\n---\n%s", what, m1, m2)
	}
}

func TestSessionScheduleKeepsWhatWasTypedAndShowsTheZone(t *testing.T) {
	c := newLiveCircle(t)
	st, body := c.facC.Get("/o/centre/g/circle/sessions/new")
	if st != http.StatusOK {
		t.Fatalf("schedule form: %d", st)
	}
	mustContain(t, body, `name="time_zone" value="UTC"`, "data-fill-time-zone", `list="time-zones"`, `<option value="Europe/London">`)
	if st, _ := c.memC.Get("/o/centre/g/circle/sessions/new"); st != http.StatusForbidden {
		t.Errorf("a member who doesn't facilitate opens the schedule form: %d, want 403", st)
	}

	london, _ := time.LoadLocation("Europe/London")
	day := time.Now().In(london).AddDate(0, 0, 3)
	form := url.Values{"title": {"Tuesday check-in"}, "agenda": {"We'll **talk** about the week."}, "date": {"2020-01-07"},
		"time": {"18:30"}, "duration": {"90"}, "time_zone": {"Europe/London"}, "recurrence": {"weekly"}, "until": {""}, "capacity": {"12"}}
	st, body = c.facC.Post("/o/centre/g/circle/sessions", form)
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("a session in the past: %d, want 422", st)
	}
	mustContain(t, body, `value="Tuesday check-in"`, "We&#39;ll **talk** about the week.", `value="2020-01-07"`, `value="18:30"`,
		`<option value="90" selected>`, `value="weekly" checked`, `value="Europe/London"`, `value="12"`, `href="#f-date"`, "already passed")
	if strings.Contains(body, "data-fill-time-zone") {
		t.Error("a form sent back would have its zone replaced by the script")
	}

	form.Set("date", day.Format("2006-01-02"))
	loc := location(t, c.facC, "/o/centre/g/circle/sessions", form)
	id := strings.TrimPrefix(loc, "/o/centre/g/circle/sessions/")
	if id == loc || strings.Contains(id, "/") {
		t.Fatalf("schedule redirected to %q, want the session page", loc)
	}
	start := time.Date(day.Year(), day.Month(), day.Day(), 18, 30, 0, 0, london)
	st, body = c.memC.Get(loc)
	if st != http.StatusOK {
		t.Fatalf("session page: %d", st)
	}
	mustContain(t, body, "Tuesday check-in", "We&#39;ll <strong>talk</strong> about the week.",
		kindred.RecurWeekly.Describe(start)+" (Europe/London time)", start.Format("Monday 2 January 2006, 15:04")+"</time> to 20:00",
		start.AddDate(0, 0, 7).Format("Monday 2 January 2006, 15:04"), "0 going of 12", loc+"/calendar.ics")
	_, list := c.memC.Get("/o/centre/g/circle/sessions")
	mustContain(t, list, `href="`+loc+`"`, kindred.RecurWeekly.Describe(start), "(Europe/London)", "Add to calendar", "0 going")
	if strings.Contains(list, "Schedule a session") {
		t.Error("a member who doesn't facilitate is offered to schedule sessions")
	}
	_, facList := c.facC.Get("/o/centre/g/circle/sessions")
	mustContain(t, facList, "Schedule a session")
	_, group := c.memC.Get("/o/centre/g/circle")
	mustContain(t, group, `href="/o/centre/g/circle/sessions"`)
}

func TestSessionRSVPAndAFullMeeting(t *testing.T) {
	c := newLiveCircle(t)
	ctx := context.Background()
	day := time.Now().UTC().AddDate(0, 0, 2).Format("2006-01-02")
	_, sess, err := c.env.Services.Live.Schedule(ctx, kindredtest.Actor(c.fac), "centre", "circle", kindred.GroupSessionDraft{
		Title: "Small circle", Date: day, Time: "17:00", Duration: time.Hour, TimeZone: "UTC", Recurrence: kindred.RecurWeekly, Capacity: 1})
	if err != nil {
		t.Fatal(err)
	}
	page := c.sessionURL(sess.ID)
	meeting := strconv.FormatInt(sess.Start.Unix(), 10)

	if to := location(t, c.memC, page+"/rsvp", url.Values{"meeting": {meeting}, "going": {"yes"}}); to != page+"#meetings" {
		t.Errorf("answer from the session page went to %q", to)
	}
	_, body := c.memC.Get(page)
	mustContain(t, body, "You're going", "1 going of 1", "Full", "Thanks for letting us know you&#39;re coming.")

	st, body := c.othC.Post(page+"/rsvp", url.Values{"meeting": {meeting}, "going": {"yes"}})
	if st != http.StatusConflict {
		t.Fatalf("going to a full meeting: %d, want 409", st)
	}
	mustContain(t, body, "That meeting is full. You can still come to another one.")

	if to := location(t, c.memC, page+"/rsvp", url.Values{"meeting": {meeting}, "going": {"no"}, "from": {"list"}}); to != "/o/centre/g/circle/sessions#s-"+sess.ID {
		t.Errorf("answer from the list went to %q", to)
	}
	_, body = c.memC.Get(page)
	mustContain(t, body, "You're not going", "0 going of 1")
	location(t, c.othC, page+"/rsvp", url.Values{"meeting": {meeting}, "going": {"yes"}})

	st, body = c.memC.Post(page+"/rsvp", url.Values{"meeting": {strconv.FormatInt(sess.Start.Unix()+60, 10)}, "going": {"yes"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("an answer for a time that isn't a meeting: %d, want 422", st)
	}
	mustContain(t, body, "That meeting isn&#39;t on the schedule any more.")
	if st, _ := c.env.Client(t, c.admin).Post(page+"/rsvp", url.Values{"meeting": {meeting}, "going": {"yes"}}); st != http.StatusConflict {
		t.Errorf("the admin answers for the full meeting: %d, want 409", st)
	}
}

func TestSessionEnterAndChatWithoutJavaScript(t *testing.T) {
	c := newLiveCircle(t)
	sess := openLiveSession(t, c.env.Store, c.group, c.fac.ID, 0)
	page := c.sessionURL(sess.ID)

	_, body := c.memC.Get(page)
	mustContain(t, body, "I've read the group agreements and I'll keep them", `name="anonymous"`,
		"Facilitators always show their name", "<li>Be kind</li>", "Open now")
	st, body := c.memC.Post(page+"/enter", url.Values{"anonymous": {"yes"}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("enter without agreeing: %d, want 422", st)
	}
	mustContain(t, body, "Please read the group agreements and tick the box", `href="#f-agree"`, `id="f-anonymous" type="checkbox" name="anonymous" value="yes" aria-describedby="h-anonymous" checked`)

	room := c.enter(t, c.memC, sess.ID)
	_, body = c.memC.Get(page)
	mustContain(t, body, "Go back to the room", room)
	st, body = c.memC.Get(room)
	if st != http.StatusOK {
		t.Fatalf("room page: %d", st)
	}
	mustContain(t, body, "<h1>Weekly circle · Group circle</h1>", `action="`+room+`/messages"`, `name="nonce"`,
		"/static/chat.", `data-room="`+strings.TrimPrefix(room, "/rooms/")+`"`, "Leave the room", `href="`+page+`"`,
		"Check for new messages", `data-after="0"`)
	if strings.Contains(body, `http-equiv="refresh"`) {
		t.Error("the room page refreshes itself, which would lose what the person is typing")
	}
	nonce := regexp.MustCompile(`name="nonce" value="([a-z0-9]+)"`).FindStringSubmatch(body)
	if nonce == nil {
		t.Fatal("no nonce in the send form")
	}
	if _, again := c.memC.Get(room); strings.Contains(again, nonce[1]) {
		t.Error("two renders of the room gave the same nonce")
	}

	msg := url.Values{"body": {"Hello *everyone*, glad to be here"}, "nonce": {nonce[1]}}
	for range 2 { // a double submit
		if to := location(t, c.memC, room+"/messages", msg); to != room+"#latest" {
			t.Fatalf("send went to %q", to)
		}
	}
	_, body = c.othC.Get(room)
	if st, _ := c.othC.Get(room); st != http.StatusNotFound {
		t.Errorf("someone who hasn't entered sees the room: %d, want 404", st)
	}
	_, body = c.memC.Get(room)
	if n := strings.Count(body, "Hello <em>everyone</em>, glad to be here"); n != 1 {
		t.Errorf("the message shows %d times, want once", n)
	}
	mustContain(t, body, "River", `data-after="1"`, "msg-mine", "People in this meeting")
	list, err := c.env.Store.ListChatMessages(context.Background(), kindred.ChatFilter{RoomID: strings.TrimPrefix(room, "/rooms/")})
	if err != nil || len(list) != 1 {
		t.Fatalf("stored messages: %d, %v; want 1", len(list), err)
	}

	long := strings.Repeat("so much to say ", 140)
	st, body = c.memC.Post(room+"/messages", url.Values{"body": {long}, "nonce": {kindred.NewID()}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("a message that is too long: %d, want 422", st)
	}
	mustContain(t, body, strings.TrimSpace(long), "up to 2,000 characters", `href="#f-body"`)
}

func TestSessionFacilitatorTools(t *testing.T) {
	c := newLiveCircle(t)
	sess := openLiveSession(t, c.env.Store, c.group, c.fac.ID, 0)
	room := c.enter(t, c.facC, sess.ID)
	c.enter(t, c.memC, sess.ID, "anonymous", "yes")
	c.enter(t, c.othC, sess.ID)
	location(t, c.memC, room+"/messages", url.Values{"body": {"something unkind"}, "nonce": {kindred.NewID()}})

	_, body := c.facC.Get(room)
	mustContain(t, body, "Anonymous peer", "something unkind", "Why are you removing it?", "Pause messages", "Remove from session", "End the session")
	if strings.Contains(body, "River") {
		t.Error("the anonymous peer's name shows in the room")
	}
	seq := regexp.MustCompile(`id="m-(\d+)"[^>]*>\s*<p class="msg-meta"><span class="msg-author">Anonymous peer`).FindStringSubmatch(body)
	if seq == nil {
		t.Fatal("the member's message is not on the facilitator's page")
	}
	if _, others := c.othC.Get(room); strings.Contains(others, "Why are you removing it?") || strings.Contains(others, "End the session") {
		t.Error("a member is offered the facilitator tools")
	}

	remove := room + "/messages/" + seq[1] + "/remove"
	st, body := c.facC.Post(remove, url.Values{"reason": {"  "}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("remove without a reason: %d, want 422", st)
	}
	mustContain(t, body, "Please say briefly why", `href="#f-reason"`, `id="f-reason"`)
	if st, _ := c.othC.Post(remove, url.Values{"reason": {"I don't like it"}}); st != http.StatusForbidden {
		t.Errorf("a member removes a message: %d, want 403", st)
	}
	location(t, c.facC, remove, url.Values{"reason": {"Not in keeping with the agreements"}})
	_, body = c.othC.Get(room)
	mustContain(t, body, "Message removed by a facilitator", "A facilitator removed a message.")
	if strings.Contains(body, "something unkind") {
		t.Error("the removed message's text still shows")
	}
	_, audit := c.env.Client(t, c.admin).Get("/o/centre/admin/audit")
	mustContain(t, audit, "chat.remove_message", "Not in keeping with the agreements")

	// Numbers: facilitator 1, the anonymous member 2, the other member 3.
	location(t, c.facC, room+"/people/2/mute", url.Values{"minutes": {"10"}})
	_, body = c.memC.Get(room)
	mustContain(t, body, "A facilitator paused your messages until", `name="body" rows="3" maxlength="2000" required aria-describedby="h-body" disabled`)
	st, body = c.memC.Post(room+"/messages", url.Values{"body": {"but I wanted to say"}, "nonce": {kindred.NewID()}})
	if st != http.StatusForbidden {
		t.Fatalf("a paused person sends: %d, want 403", st)
	}
	mustContain(t, body, "You can still read along.", "but I wanted to say")
	if strings.Contains(body, "Not allowed") {
		t.Error("a paused person gets the bare error page instead of the room")
	}

	st, body = c.facC.Post(room+"/people/3/remove", url.Values{"reason": {""}})
	if st != http.StatusUnprocessableEntity {
		t.Fatalf("remove a person without a reason: %d, want 422", st)
	}
	mustContain(t, body, `href="#f-reason"`, `id="f-reason"`)
	location(t, c.facC, room+"/people/3/remove", url.Values{"reason": {"Shared someone's private details"}})
	if st, _ := c.othC.Get(room); st != http.StatusNotFound {
		t.Errorf("a removed person's room page: %d, want 404", st)
	}
	_, audit = c.env.Client(t, c.admin).Get("/o/centre/admin/audit")
	mustContain(t, audit, "chat.mute", "chat.remove_person")

	if st, _ := c.memC.Post(room+"/end", nil); st != http.StatusForbidden {
		t.Errorf("a member ends the session: %d, want 403", st)
	}
	location(t, c.facC, room+"/end", nil)
	_, body = c.facC.Get(room)
	mustContain(t, body, "This meeting has ended", "The facilitator ended the session.", `data-state="ended"`)
	if strings.Contains(body, "End the session") {
		t.Error("an ended session offers to end it")
	}
	if st, _ := c.facC.Post(room+"/messages", url.Values{"body": {"one more thing"}, "nonce": {kindred.NewID()}}); st != http.StatusConflict {
		t.Errorf("sending into an ended room: %d, want 409", st)
	}

	// Cancelling the series takes it off the schedule.
	if to := location(t, c.facC, c.sessionURL(sess.ID)+"/cancel", nil); to != "/o/centre/g/circle/sessions" {
		t.Errorf("cancel went to %q", to)
	}
	if st, _ := c.memC.Get(c.sessionURL(sess.ID)); st != http.StatusNotFound {
		t.Errorf("a cancelled session's page: %d, want 404", st)
	}
}

func TestSessionCalendarsDownload(t *testing.T) {
	c := newLiveCircle(t)
	day := time.Now().UTC().AddDate(0, 0, 5).Format("2006-01-02")
	_, sess, err := c.env.Services.Live.Schedule(context.Background(), kindredtest.Actor(c.fac), "centre", "circle", kindred.GroupSessionDraft{
		Title: "Evening circle", Agenda: "Check-in, then a theme.", Date: day, Time: "19:00", Duration: time.Hour,
		TimeZone: "America/New_York", Recurrence: kindred.RecurFortnightly})
	if err != nil {
		t.Fatal(err)
	}
	for _, path := range []string{c.sessionURL(sess.ID) + "/calendar.ics", "/o/centre/g/circle/sessions.ics"} {
		req, _ := http.NewRequest(http.MethodGet, c.memC.Base+path, nil)
		res, err := c.memC.Client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		var buf bytes.Buffer
		_, _ = buf.ReadFrom(res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusOK {
			t.Fatalf("GET %s: %d", path, res.StatusCode)
		}
		h := res.Header
		if h.Get("Content-Type") != "text/calendar; charset=utf-8" || !strings.HasPrefix(h.Get("Content-Disposition"), "attachment;") ||
			h.Get("Cache-Control") != "no-store" {
			t.Errorf("GET %s: headers %v", path, h)
		}
		if strings.Contains(h.Get("Content-Disposition"), "circle") {
			t.Errorf("the file name names the group: %s", h.Get("Content-Disposition"))
		}
		text := buf.String()
		mustContain(t, text, "BEGIN:VCALENDAR", "TZID=America/New_York", "BEGIN:VTIMEZONE", "Evening circle", "RRULE:FREQ=WEEKLY;INTERVAL=2")
		cal, err := goical.NewDecoder(strings.NewReader(text)).Decode()
		if err != nil {
			t.Fatalf("GET %s does not parse: %v", path, err)
		}
		events := cal.Events()
		if len(events) != 1 {
			t.Fatalf("GET %s: %d events, want 1", path, len(events))
		}
		link, _ := events[0].Props.Text(goical.PropURL)
		if link == "" {
			link = events[0].Props.Get(goical.PropURL).Value
		}
		if link != c.env.HTTP.URL+c.sessionURL(sess.ID) {
			t.Errorf("GET %s: URL %q, want the session page", path, link)
		}
	}
	if st, _ := c.env.Visitor(t).Get(c.sessionURL(sess.ID) + "/calendar.ics"); st != http.StatusSeeOther {
		t.Errorf("a visitor downloads the calendar: %d, want a redirect to log in", st)
	}
}

func TestConversationsOpenByHandleAndStayPrivate(t *testing.T) {
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	admin := env.Account(t, "admin", kindred.AgeAdult)
	ana := env.Account(t, "ana", kindred.AgeAdult)
	bo := env.Account(t, "bo_adult", kindred.AgeAdult)
	teen := env.Account(t, "teen", kindred.AgeYouth)
	third := env.Account(t, "third", kindred.AgeAdult)
	o := env.Org(t, admin, "centre", kindred.JoinOpen)
	for _, a := range []*kindred.Account{ana, bo, teen, third} {
		env.Member(t, o, a, 0, kindred.StatusActive)
	}
	ac, bc := env.Client(t, ana), env.Client(t, bo)

	st, body := ac.Get("/o/centre/messages")
	if st != http.StatusOK {
		t.Fatalf("conversations page: %d", st)
	}
	mustContain(t, body, "Start a conversation", "No conversations yet.", "through the peer support programme")
	_, org := ac.Get("/o/centre")
	mustContain(t, org, `href="/o/centre/messages">Messages</a>`)

	loc := location(t, ac, "/o/centre/messages", url.Values{"handle": {"@Bo_Adult"}})
	room, _, _ := strings.Cut(loc, "#")
	if !strings.HasPrefix(room, "/rooms/") {
		t.Fatalf("open went to %q", loc)
	}
	st, body = ac.Get(room)
	if st != http.StatusOK {
		t.Fatalf("the conversation: %d", st)
	}
	mustContain(t, body, "Conversation with Bo_adult", "Leave the conversation", `href="/o/centre/messages"`, "End the conversation")
	location(t, ac, room+"/messages", url.Values{"body": {"Hi Bo, how was today?"}, "nonce": {kindred.NewID()}})
	st, body = bc.Get(room)
	if st != http.StatusOK {
		t.Fatalf("the other person's view: %d", st)
	}
	mustContain(t, body, "Conversation with Ana", "Hi Bo, how was today?")
	_, list := bc.Get("/o/centre/messages")
	mustContain(t, list, "Ana", room)
	if again := location(t, bc, "/o/centre/messages", url.Values{"handle": {"ana"}}); !strings.HasPrefix(again, room) {
		t.Errorf("opening the same conversation again went to %q, want %q", again, room)
	}

	tc := env.Client(t, third)
	stHidden, hidden := tc.Get(room)
	stNone, none := tc.Get("/rooms/" + kindred.NewID())
	if stHidden != http.StatusNotFound {
		t.Errorf("a third person sees the conversation: %d, want 404", stHidden)
	}
	sameAnswer(t, "someone else's conversation", stHidden, hidden, stNone, none)
	stHidden, hidden = tc.Post(room+"/messages", url.Values{"body": {"hello?"}, "nonce": {kindred.NewID()}})
	stNone, none = tc.Post("/rooms/"+kindred.NewID()+"/messages", url.Values{"body": {"hello?"}, "nonce": {kindred.NewID()}})
	sameAnswer(t, "sending into someone else's conversation", stHidden, hidden, stNone, none)

	// An adult can't open a private conversation with someone aged 13–17,
	// and the refusal is the one given for a handle nobody has.
	errText := regexp.MustCompile(`(?s)<div class="form-errors".*?</div>`)
	st, teenBody := ac.Post("/o/centre/messages", url.Values{"handle": {"teen"}})
	st2, nobodyBody := ac.Post("/o/centre/messages", url.Values{"handle": {"nobody"}})
	if st != http.StatusUnprocessableEntity || st2 != st {
		t.Fatalf("adult → 13–17: %d; unknown handle: %d; want both 422", st, st2)
	}
	teenErr := strings.ReplaceAll(errText.FindString(teenBody), "teen", "nobody")
	if teenErr == "" || teenErr != errText.FindString(nobodyBody) {
		t.Errorf("the refusal for a 13–17 member differs from an unknown handle's:\n%s\n%s", teenErr, errText.FindString(nobodyBody))
	}
	for _, hint := range []string{"age", "13", "17", "minor", "adult", "youth", "under 18"} {
		if strings.Contains(strings.ToLower(errText.FindString(teenBody)), hint) {
			t.Errorf("the refusal hints at age: %q", hint)
		}
	}
	mustContain(t, teenBody, `value="teen"`)
	if st, _ := env.Client(t, teen).Post("/o/centre/messages", url.Values{"handle": {"ana"}}); st != http.StatusUnprocessableEntity {
		t.Errorf("13–17 → adult: %d, want 422", st)
	}

	location(t, bc, room+"/end", nil)
	_, body = ac.Get(room)
	mustContain(t, body, "This conversation has ended", "Bo_adult ended the conversation.")
	if st, _ := env.Client(t, env.Account(t, "stranger", kindred.AgeAdult)).Get("/o/centre/messages"); st != http.StatusForbidden {
		t.Errorf("a non-member's conversations page: %d, want 403", st)
	}
}

func TestSessionsOfAHiddenGroupLookLikeNothing(t *testing.T) {
	env := kindredtest.New(t, kindredtest.Options{Generous: true})
	admin := env.Account(t, "admin", kindred.AgeAdult)
	insider := env.Account(t, "insider", kindred.AgeAdult)
	outsider := env.Account(t, "outsider", kindred.AgeAdult)
	o := env.Org(t, admin, "centre", kindred.JoinOpen)
	env.Member(t, o, insider, 0, kindred.StatusActive)
	env.Member(t, o, outsider, 0, kindred.StatusActive)
	g := env.Group(t, o, "survivors", kindred.VisibilityHidden, kindred.AgeAny, insider)
	sess := openLiveSession(t, env.Store, g, insider.ID, 0)
	v, err := env.Services.Live.Enter(context.Background(), kindredtest.Actor(insider), "centre", "survivors", sess.ID, live.EnterOptions{Agree: true})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := env.Client(t, insider).Get("/rooms/" + v.Room.ID); st != http.StatusOK {
		t.Fatalf("the insider's room: %d", st)
	}

	c := env.Client(t, outsider)
	meeting := url.Values{"meeting": {strconv.FormatInt(sess.Start.Unix(), 10)}, "going": {"yes"}, "agree": {"yes"}}
	for _, p := range []struct{ method, path string }{
		{"GET", "/sessions"}, {"GET", "/sessions.ics"}, {"GET", "/sessions/new"}, {"POST", "/sessions"},
		{"GET", "/sessions/" + sess.ID}, {"GET", "/sessions/" + sess.ID + "/calendar.ics"},
		{"POST", "/sessions/" + sess.ID + "/rsvp"}, {"POST", "/sessions/" + sess.ID + "/enter"}, {"POST", "/sessions/" + sess.ID + "/cancel"},
	} {
		var form url.Values
		if p.method == "POST" {
			form = meeting
		}
		st1, b1 := c.Do(p.method, "/o/centre/g/survivors"+p.path, form)
		st2, b2 := c.Do(p.method, "/o/centre/g/no-such-group"+p.path, form)
		if st1 != http.StatusNotFound {
			t.Errorf("%s %s of a hidden group: %d, want 404", p.method, p.path, st1)
		}
		sameAnswer(t, p.method+" "+p.path, st1, b1, st2, b2)
	}
	for _, p := range []string{"", "/messages", "/messages/1/remove", "/people/1/mute", "/people/1/remove", "/end"} {
		method := "POST"
		var form url.Values
		if p == "" {
			method = "GET"
		} else {
			form = url.Values{"body": {"hi"}, "reason": {"r"}, "minutes": {"5"}}
		}
		st1, b1 := c.Do(method, "/rooms/"+v.Room.ID+p, form)
		st2, b2 := c.Do(method, "/rooms/"+kindred.NewID()+p, form)
		if st1 != http.StatusNotFound {
			t.Errorf("%s /rooms/…%s of a hidden group: %d, want 404", method, p, st1)
		}
		sameAnswer(t, method+" room"+p, st1, b1, st2, b2)
	}
}

// waitJS waits until a JavaScript expression is true in the page.
// (chromedp.Poll compiles its predicate with new Function, which the
// page's CSP rightly forbids; DevTools evaluation is not subject to it.)
func waitJS(t *testing.T, ctx context.Context, what, expr string) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for {
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool]("!!("+expr+")"))
		if err == nil && ok {
			return
		}
		if time.Now().After(deadline) {
			state, _ := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector("[data-chat-status]").textContent + " | " +
				(document.querySelector("[data-chat-error]") || {}).textContent`))
			t.Fatalf("%s: still not true after 15 s (%v); status: %s", what, err, state)
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// TestRoomLiveInTheBrowser runs chat.js in Chromium against the real
// server: connect, scroll back, send over the socket (not a page post),
// see others' messages, typing and presence, removals, a pause, and being
// removed, after which it stays disconnected.
func TestRoomLiveInTheBrowser(t *testing.T) {
	c := newLiveCircle(t)
	ctx := context.Background()
	lv := c.env.Services.Live
	sess := openLiveSession(t, c.env.Store, c.group, c.fac.ID, 0)
	fac, mem := kindredtest.Actor(c.fac), kindredtest.Actor(c.member)
	v, err := lv.Enter(ctx, fac, "centre", "circle", sess.ID, live.EnterOptions{Agree: true})
	if err != nil {
		t.Fatal(err)
	}
	roomID := v.Room.ID
	if _, err := lv.Enter(ctx, mem, "centre", "circle", sess.ID, live.EnterOptions{Agree: true}); err != nil {
		t.Fatal(err)
	}
	for i := 1; i <= kindred.ChatPage+5; i++ {
		if _, err := lv.Send(ctx, fac, roomID, kindred.ChatDraft{Body: "Earlier note " + strconv.Itoa(i), Nonce: kindred.NewID()}); err != nil {
			t.Fatal(err)
		}
	}

	b := browser(t)
	var exceptions []string
	var mu sync.Mutex
	_ = chromedp.Listen(b, func(ev any) {
		if e, ok := ev.(*cdpruntime.EventExceptionThrown); ok {
			mu.Lock()
			exceptions = append(exceptions, fmt.Sprint(e.ExceptionDetails.Text, " ", e.ExceptionDetails.Exception))
			mu.Unlock()
		}
	})
	base := strings.Replace(c.env.HTTP.URL, "127.0.0.1", "localhost", 1)
	if err := chromedp.Do(b, chromedp.Navigate(base+"/login"),
		chromedp.SendKeys(chromedp.CSS("#f-handle"), c.member.Handle),
		chromedp.SendKeys(chromedp.CSS("#f-password"), kindredtest.Password),
		chromedp.Click(chromedp.CSS(`form[action="/login"] button`)),
		chromedp.WaitVisible(chromedp.CSS(`form[action="/logout"]`)),
		chromedp.Navigate(base+"/rooms/"+roomID), chromedp.WaitReady(chromedp.CSS("[data-chat-log]"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, b, "connected", `document.querySelector("[data-chat-status]").textContent === "Connected"`)
	waitJS(t, b, "the log scrolls in its own box", `document.querySelector("[data-chat-log]").classList.contains("chat-live")`)

	if err := chromedp.Do(b, chromedp.Click(chromedp.CSS("[data-chat-earlier]"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, b, "earlier messages loaded in place", `document.getElementById("m-1") && document.querySelector("[data-chat-earlier]").parentElement.hidden`)
	if n, _ := chromedp.Run(b, chromedp.Evaluate[int](`document.querySelectorAll("[data-chat-log] > li").length`)); n != kindred.ChatPage+5 {
		t.Errorf("after scrolling back the log has %d messages, want %d", n, kindred.ChatPage+5)
	}

	// The facilitator, on a socket of their own: presence and typing reach the page.
	secret, err := c.env.Services.Accounts.StartSession(ctx, c.fac.ID, "test")
	if err != nil {
		t.Fatal(err)
	}
	dctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	h := http.Header{}
	h.Set("Cookie", web.SessionCookie+"="+secret)
	conn, _, err := websocket.Dial(dctx, "ws"+strings.TrimPrefix(c.env.HTTP.URL, "http")+web.LivePath+"?room="+roomID, &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		t.Fatal(err)
	}
	defer conn.CloseNow()
	go func() { // keep reading, so the server never thinks this socket fell behind
		for {
			if _, _, err := conn.Read(dctx); err != nil {
				return
			}
		}
	}()
	waitJS(t, b, "presence", `/Here now: .*Facil \(facilitator\)/.test(document.querySelector("[data-chat-here]").textContent)`)
	if err := conn.Write(dctx, websocket.MessageText, []byte(`{"type":"typing"}`)); err != nil {
		t.Fatal(err)
	}
	waitJS(t, b, "typing shows", `document.querySelector("[data-chat-typing]").textContent === "Facil is typing…"`)

	if err := chromedp.Do(b, chromedp.SendKeys(chromedp.CSS("#f-body"), "Hello from the browser"),
		chromedp.Click(chromedp.CSS("[data-chat-form] button[type=submit]"))); err != nil {
		t.Fatal(err)
	}
	waitJS(t, b, "my message shows and the box empties", `[...document.querySelectorAll(".msg-mine .msg-body")].some(e => e.textContent.includes("Hello from the browser")) && document.getElementById("f-body").value === ""`)
	if loc, _ := chromedp.Run(b, chromedp.Location()); !strings.HasSuffix(loc, "/rooms/"+roomID) {
		t.Errorf("sending navigated to %s; it should go over the socket", loc)
	}
	mine, err := lv.Messages(ctx, mem, roomID, kindred.ChatFilter{})
	if err != nil {
		t.Fatal(err)
	}
	last := mine.Messages[len(mine.Messages)-1]
	if !last.Mine || !strings.Contains(string(last.HTML), "Hello from the browser") {
		t.Fatalf("the newest stored message is %+v", last)
	}
	waitJS(t, b, "typing clears after 4 s", `document.querySelector("[data-chat-typing]").hidden`)

	if _, err := lv.Send(ctx, fac, roomID, kindred.ChatDraft{Body: "Welcome, *River*.", Nonce: kindred.NewID()}); err != nil {
		t.Fatal(err)
	}
	waitJS(t, b, "others' messages arrive and are announced", `[...document.querySelectorAll(".msg-body")].some(e => e.innerHTML.includes("<em>River</em>")) &&
		document.querySelector("[data-chat-announce]").textContent === "Facil: Welcome, River."`)

	if err := lv.RemoveMessage(ctx, fac, roomID, last.Seq, "Testing removal"); err != nil {
		t.Fatal(err)
	}
	waitJS(t, b, "a removal replaces the message", `document.getElementById("m-`+strconv.FormatInt(last.Seq, 10)+`").classList.contains("msg-removed") &&
		!document.body.textContent.includes("Hello from the browser")`)

	if err := lv.Mute(ctx, fac, roomID, 2, 10*time.Minute); err != nil {
		t.Fatal(err)
	}
	waitJS(t, b, "a pause disables the form", `document.getElementById("f-body").disabled && !document.querySelector("[data-chat-muted]").hidden`)

	if err := lv.RemovePerson(ctx, fac, roomID, 2, "Testing removal"); err != nil {
		t.Fatal(err)
	}
	waitJS(t, b, "removal closes the connection for good", `document.querySelector("[data-chat-status]").textContent.includes("asked you to leave")`)
	time.Sleep(2500 * time.Millisecond) // past the first reconnect delays
	if s, _ := chromedp.Run(b, chromedp.Evaluate[string](`document.querySelector("[data-chat-status]").textContent`)); !strings.Contains(s, "asked you to leave") {
		t.Errorf("after being removed the page says %q; it should stay disconnected", s)
	}
	mu.Lock()
	defer mu.Unlock()
	for _, e := range exceptions {
		t.Errorf("script error: %s", e)
	}
}
