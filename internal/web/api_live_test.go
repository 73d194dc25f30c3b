package web

import (
	"bytes"
	"context"
	"encoding/json"
	"maps"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/coder/websocket"

	"kindred"
	"kindred/internal/live"
)

// liveWorld is apiWorld with the store kept, for reading the audit log:
// the operator runs rainbow and facilitates its public group circle, where
// alice and bob are members.
type liveWorld struct {
	apiWorld
	ts    *httptest.Server
	store kindred.Store
}

func newLiveWorld(t *testing.T) *liveWorld {
	t.Helper()
	s, ts, store := newTestServer(t)
	w := &liveWorld{apiWorld: apiWorld{s: s, op: operatorClient(t, s, ts), orgPath: "/organizations/rainbow",
		grpPath: "/organizations/rainbow/groups/circle"}, ts: ts, store: store}
	w.op.call(http.MethodPost, "/organizations", map[string]any{"name": "Rainbow Centre", "slug": "rainbow", "kind": "community_centre",
		"join_policy": "open", "code_of_conduct": "Be kind."}, http.StatusCreated, nil)
	w.op.call(http.MethodPost, w.orgPath+"/groups", map[string]any{"name": "Circle", "slug": "circle", "topic": "Coming out",
		"guidelines": "Listen first."}, http.StatusCreated, nil)
	w.alice = signUp(t, ts, "alice", kindred.AgeAdult)
	w.bob = signUp(t, ts, "bob", kindred.AgeYoungAdult)
	for _, c := range []*apiClient{w.alice, w.bob} {
		c.call(http.MethodPost, w.orgPath+"/join", map[string]any{"accept_conduct": true}, http.StatusOK, nil)
		c.call(http.MethodPost, w.grpPath+"/join", nil, http.StatusOK, nil)
	}
	return w
}

// member signs someone up and makes them a member of rainbow (not of the
// group).
func (w *liveWorld) member(t *testing.T, handle string, band kindred.AgeBand) *apiClient {
	t.Helper()
	c := signUp(t, w.ts, handle, band)
	c.call(http.MethodPost, w.orgPath+"/join", map[string]any{"accept_conduct": true}, http.StatusOK, nil)
	return c
}

type apiSessionJSON struct {
	ID              string  `json:"id"`
	Title           string  `json:"title"`
	AgendaHTML      string  `json:"agenda_html"`
	Start           string  `json:"start"`
	DurationMinutes int     `json:"duration_minutes"`
	TimeZone        string  `json:"time_zone"`
	Recurrence      string  `json:"recurrence"`
	Until           *string `json:"until"`
	Capacity        int     `json:"capacity"`
	Schedule        string  `json:"schedule"`
	Upcoming        []struct {
		Start string `json:"start"`
		End   string `json:"end"`
		Going int    `json:"going"`
		Mine  *bool  `json:"mine"`
		Full  bool   `json:"full"`
	} `json:"upcoming"`
	// getGroupSession only.
	State          string `json:"state"`
	RoomID         string `json:"room_id"`
	CanManage      bool   `json:"can_manage"`
	CanEnter       bool   `json:"can_enter"`
	Agreements     string `json:"agreements"`
	AgreementsHTML string `json:"agreements_html"`
}

type apiRoomJSON struct {
	ID           string `json:"id"`
	Kind         string `json:"kind"`
	Title        string `json:"title"`
	State        string `json:"state"`
	Organization string `json:"organization"`
	Group        string `json:"group"`
	Session      string `json:"session"`
	With         string `json:"with"`
	Me           struct {
		N          int     `json:"n"`
		Name       string  `json:"name"`
		Anonymous  bool    `json:"anonymous"`
		MutedUntil *string `json:"muted_until"`
	} `json:"me"`
	CanSend     bool  `json:"can_send"`
	CanModerate bool  `json:"can_moderate"`
	LastSeq     int64 `json:"last_seq"`
}

type apiMessageJSON struct {
	Seq     int64  `json:"seq"`
	Kind    string `json:"kind"`
	Author  string `json:"author"`
	N       int    `json:"n"`
	Mine    bool   `json:"mine"`
	HTML    string `json:"html"`
	Text    string `json:"text"`
	Removes int64  `json:"removes"`
	Removed bool   `json:"removed"`
	Nonce   string `json:"nonce"`
}

type apiHistoryJSON struct {
	Messages []apiMessageJSON `json:"messages"`
	Earlier  int64            `json:"earlier"`
}

// liveSoon is a start the room of which can be entered now: half an hour ahead,
// on the minute, in UTC.
func liveSoon() time.Time { return time.Now().UTC().Add(30 * time.Minute).Truncate(time.Minute) }

func sessionBody(title string, start time.Time, extra map[string]any) map[string]any {
	b := map[string]any{"title": title, "date": start.Format("2006-01-02"), "time": start.Format("15:04"),
		"duration_minutes": 60, "time_zone": "UTC"}
	for k, v := range extra {
		b[k] = v
	}
	return b
}

// openRoom schedules a session starting soon; the operator (its
// facilitator) enters and so opens the room, then each client enters.
func (w *liveWorld) openRoom(t *testing.T, clients ...*apiClient) (sessionPath string, room apiRoomJSON) {
	t.Helper()
	var sess apiSessionJSON
	w.op.call(http.MethodPost, w.grpPath+"/sessions", sessionBody("Tuesday circle", liveSoon(), nil), http.StatusCreated, &sess)
	sessionPath = w.grpPath + "/sessions/" + sess.ID
	w.op.call(http.MethodPost, sessionPath+"/enter", map[string]any{"agree": true}, http.StatusOK, &room)
	if room.State != "open" || !room.CanModerate {
		t.Fatalf("the facilitator's arrival did not open the room: %+v", room)
	}
	for _, c := range clients {
		c.call(http.MethodPost, sessionPath+"/enter", map[string]any{"agree": true}, http.StatusOK, nil)
	}
	return sessionPath, room
}

func TestAPILiveSessions(t *testing.T) {
	t.Parallel()
	w := newLiveWorld(t)
	start := liveSoon().Add(24 * time.Hour)

	// Invalid drafts: the schema's limits, then the service's rules, each
	// reported by field under the API's names.
	e := decodeAPIError(t, w.op.call(http.MethodPost, w.grpPath+"/sessions",
		sessionBody("Circle", start, map[string]any{"duration_minutes": 5, "recurrence": "daily"}), http.StatusUnprocessableEntity, nil))
	if e.Error.Code != kindred.EINVALID || e.Error.Fields["duration_minutes"] == "" || e.Error.Fields["recurrence"] == "" {
		t.Errorf("schema-invalid draft: %+v", e)
	}
	e = decodeAPIError(t, w.op.call(http.MethodPost, w.grpPath+"/sessions",
		map[string]any{"title": "  ", "date": "2020-01-01", "time": "18:30", "duration_minutes": 60, "time_zone": "Mars/Olympus_Mons"},
		http.StatusUnprocessableEntity, nil))
	for _, f := range []string{"title", "date", "time_zone"} {
		if e.Error.Fields[f] == "" {
			t.Errorf("invalid draft: no message for %s in %+v", f, e)
		}
	}
	e = decodeAPIError(t, w.op.call(http.MethodPost, w.grpPath+"/sessions",
		sessionBody("Circle", start, map[string]any{"time": "25:99"}), http.StatusUnprocessableEntity, nil))
	if len(e.Error.Fields) != 1 || e.Error.Fields["time"] == "" {
		t.Errorf("bad time: %+v", e)
	}
	decodeAPIError(t, w.alice.call(http.MethodPost, w.grpPath+"/sessions", sessionBody("Mine", start, nil), http.StatusForbidden, nil))

	// Schedule, list, get.
	var sess apiSessionJSON
	w.op.call(http.MethodPost, w.grpPath+"/sessions", sessionBody("Weekly circle", start, map[string]any{"agenda": "Check-in, then *sharing*.",
		"recurrence": "weekly", "capacity": 1, "time_zone": "Europe/London", "duration_minutes": 90}), http.StatusCreated, &sess)
	if sess.ID == "" || sess.Recurrence != "weekly" || sess.DurationMinutes != 90 || sess.Capacity != 1 || len(sess.Upcoming) != live.UpcomingMeetings ||
		!strings.Contains(sess.AgendaHTML, "<em>sharing</em>") || !strings.HasPrefix(sess.Schedule, "Every ") || sess.TimeZone != "Europe/London" {
		t.Fatalf("scheduled %+v", sess)
	}
	var list struct {
		Sessions []apiSessionJSON `json:"sessions"`
	}
	w.alice.call(http.MethodGet, w.grpPath+"/sessions", nil, http.StatusOK, &list)
	if len(list.Sessions) != 1 || list.Sessions[0].ID != sess.ID || list.Sessions[0].Upcoming[0].Mine != nil {
		t.Fatalf("sessions %+v", list)
	}
	path := w.grpPath + "/sessions/" + sess.ID
	var got apiSessionJSON
	w.alice.call(http.MethodGet, path, nil, http.StatusOK, &got)
	if got.ID != sess.ID || got.Title != "Weekly circle" || got.CanManage || got.CanEnter || got.State != "waiting" ||
		got.RoomID != "" || got.Agreements != "Listen first." || !strings.Contains(got.AgreementsHTML, "Listen first.") {
		t.Errorf("alice sees %+v", got)
	}
	w.op.call(http.MethodGet, path, nil, http.StatusOK, &got)
	if !got.CanManage {
		t.Errorf("the facilitator cannot manage: %+v", got)
	}
	decodeAPIError(t, w.alice.call(http.MethodGet, w.grpPath+"/sessions/"+kindred.NewID(), nil, http.StatusNotFound, nil))

	// Answers: one place, so the second person finds the meeting full.
	meeting := sess.Upcoming[0].Start
	w.alice.call(http.MethodPut, path+"/rsvp", map[string]any{"meeting": meeting, "going": true}, http.StatusNoContent, nil)
	w.alice.call(http.MethodPut, path+"/rsvp", map[string]any{"meeting": meeting, "going": true}, http.StatusNoContent, nil) // again: no change
	e = decodeAPIError(t, w.bob.call(http.MethodPut, path+"/rsvp", map[string]any{"meeting": meeting, "going": true}, http.StatusConflict, nil))
	if e.Error.Code != kindred.ECONFLICT {
		t.Errorf("full meeting: %+v", e)
	}
	w.bob.call(http.MethodPut, path+"/rsvp", map[string]any{"meeting": sess.Upcoming[1].Start, "going": true}, http.StatusNoContent, nil)
	w.alice.call(http.MethodGet, path, nil, http.StatusOK, &got)
	if u := got.Upcoming[0]; u.Going != 1 || !u.Full || u.Mine == nil || !*u.Mine {
		t.Errorf("after answering, alice sees %+v", u)
	}
	if u := got.Upcoming[1]; u.Going != 1 || u.Mine != nil {
		t.Errorf("alice sees bob's meeting as %+v", u)
	}
	w.alice.call(http.MethodPut, path+"/rsvp", map[string]any{"meeting": meeting, "going": false}, http.StatusNoContent, nil)
	w.bob.call(http.MethodPut, path+"/rsvp", map[string]any{"meeting": meeting, "going": true}, http.StatusNoContent, nil)
	notAMeeting := liveTime(t, meeting).Add(time.Minute).Format(time.RFC3339)
	e = decodeAPIError(t, w.bob.call(http.MethodPut, path+"/rsvp", map[string]any{"meeting": notAMeeting, "going": true}, http.StatusUnprocessableEntity, nil))
	if e.Error.Fields["meeting"] == "" {
		t.Errorf("not a meeting: %+v", e)
	}
	e = decodeAPIError(t, w.bob.call(http.MethodPut, path+"/rsvp", map[string]any{"meeting": "next tuesday", "going": true}, http.StatusUnprocessableEntity, nil))
	if e.Error.Fields["meeting"] == "" {
		t.Errorf("unreadable meeting: %+v", e)
	}

	// Calendars: one session, and the group's.
	var once apiSessionJSON
	w.op.call(http.MethodPost, w.grpPath+"/sessions", sessionBody("Drop-in", start.Add(48*time.Hour), nil), http.StatusCreated, &once)
	res := w.alice.call(http.MethodGet, path+"/calendar.ics", nil, http.StatusOK, nil)
	ics := string(res.Body)
	if ct := res.Header.Get("Content-Type"); ct != "text/calendar; charset=utf-8" {
		t.Errorf("calendar Content-Type %q", ct)
	}
	if cd := res.Header.Get("Content-Disposition"); !strings.Contains(cd, "kindred-session.ics") || strings.Contains(cd, "circle") {
		t.Errorf("calendar Content-Disposition %q", cd)
	}
	for _, want := range []string{"BEGIN:VCALENDAR\r\n", "BEGIN:VEVENT\r\n", "UID:" + sess.ID + "@kindred", "SUMMARY:Weekly circle (Circle)",
		"RRULE:FREQ=WEEKLY", "TZID=Europe/London", "BEGIN:VTIMEZONE", "CLASS:PRIVATE", "/o/rainbow/g/circle/sessions/" + sess.ID, "END:VCALENDAR\r\n"} {
		if !strings.Contains(icsUnfold(ics), want) {
			t.Errorf("session calendar lacks %q:\n%s", want, ics)
		}
	}
	if strings.Count(ics, "BEGIN:VEVENT") != 1 {
		t.Errorf("session calendar has %d events", strings.Count(ics, "BEGIN:VEVENT"))
	}
	res = w.bob.call(http.MethodGet, w.grpPath+"/sessions.ics", nil, http.StatusOK, nil)
	if ct := res.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/calendar") {
		t.Errorf("group calendar Content-Type %q", ct)
	}
	if ics := icsUnfold(string(res.Body)); strings.Count(ics, "BEGIN:VEVENT") != 2 || !strings.Contains(ics, "UID:"+once.ID+"@kindred") ||
		!strings.Contains(ics, "X-WR-CALNAME:Circle · live sessions") {
		t.Errorf("group calendar:\n%s", ics)
	}

	// Cancelling: only for the group's facilitators; then the session is gone.
	decodeAPIError(t, w.alice.call(http.MethodDelete, path, nil, http.StatusForbidden, nil))
	w.op.call(http.MethodDelete, path, nil, http.StatusNoContent, nil)
	decodeAPIError(t, w.alice.call(http.MethodGet, path, nil, http.StatusNotFound, nil))
	decodeAPIError(t, w.alice.call(http.MethodGet, path+"/calendar.ics", nil, http.StatusNotFound, nil))
	w.alice.call(http.MethodGet, w.grpPath+"/sessions", nil, http.StatusOK, &list)
	if len(list.Sessions) != 1 || list.Sessions[0].ID != once.ID {
		t.Errorf("after cancelling: %+v", list.Sessions)
	}
	var audit []string
	for _, a := range w.auditActions(t) {
		audit = append(audit, a.Action)
	}
	if !slices.Contains(audit, "session.cancel") {
		t.Errorf("audit %v lacks session.cancel", audit)
	}
}

func liveTime(t *testing.T, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// icsUnfold joins iCalendar's folded lines.
func icsUnfold(s string) string { return strings.ReplaceAll(s, "\r\n ", "") }

func (w *liveWorld) auditActions(t *testing.T) []*kindred.AuditEntry {
	t.Helper()
	var org struct {
		ID string `json:"id"`
	}
	w.op.call(http.MethodGet, w.orgPath, nil, http.StatusOK, &org)
	entries, err := w.store.ListAudit(context.Background(), kindred.AuditFilter{OrgID: org.ID, Limit: 100})
	if err != nil {
		t.Fatal(err)
	}
	return entries
}

func TestAPILiveRoom(t *testing.T) {
	t.Parallel()
	w := newLiveWorld(t)
	var sess apiSessionJSON
	w.op.call(http.MethodPost, w.grpPath+"/sessions", sessionBody("Tuesday circle", liveSoon(), nil), http.StatusCreated, &sess)
	sessionPath := w.grpPath + "/sessions/" + sess.ID

	// Entering: the agreements first. Before the facilitator arrives the
	// room waits.
	e := decodeAPIError(t, w.alice.call(http.MethodPost, sessionPath+"/enter", map[string]any{"agree": false}, http.StatusUnprocessableEntity, nil))
	if e.Error.Fields["agree"] == "" {
		t.Errorf("enter without agreeing: %+v", e)
	}
	var room apiRoomJSON
	w.alice.call(http.MethodPost, sessionPath+"/enter", map[string]any{"agree": true}, http.StatusOK, &room)
	if room.Kind != "session" || room.State != "waiting" || room.CanSend || room.CanModerate || room.Me.Name != "alice" ||
		room.Me.N != 1 || room.Group != "circle" || room.Session != sess.ID || room.Organization != "rainbow" {
		t.Fatalf("alice entered %+v", room)
	}
	roomPath := "/rooms/" + room.ID
	decodeAPIError(t, w.alice.call(http.MethodPost, roomPath+"/messages", map[string]any{"body": "anyone here?"}, http.StatusConflict, nil))
	var facilitator apiRoomJSON
	w.op.call(http.MethodPost, sessionPath+"/enter", map[string]any{"agree": true, "anonymous": true}, http.StatusOK, &facilitator)
	if facilitator.ID != room.ID || facilitator.State != "open" || !facilitator.CanModerate || facilitator.Me.Anonymous {
		t.Fatalf("the facilitator entered %+v", facilitator)
	}
	var bobRoom apiRoomJSON
	w.bob.call(http.MethodPost, sessionPath+"/enter", map[string]any{"agree": true, "anonymous": true}, http.StatusOK, &bobRoom)
	if !bobRoom.Me.Anonymous || bobRoom.Me.Name != "Anonymous peer 3" || !bobRoom.CanSend {
		t.Fatalf("bob entered %+v", bobRoom)
	}
	var detail apiSessionJSON
	w.alice.call(http.MethodGet, sessionPath, nil, http.StatusOK, &detail)
	if detail.RoomID != room.ID || detail.State != "open" || !detail.CanEnter {
		t.Errorf("session after entering: %+v", detail)
	}

	// Sending, and a retry with the same nonce.
	var m, again apiMessageJSON
	w.alice.call(http.MethodPost, roomPath+"/messages", map[string]any{"body": "Hello **all**", "nonce": "n-1"}, http.StatusCreated, &m)
	if m.Seq != 2 || m.Kind != "text" || !m.Mine || m.Author != "alice" || m.N != 1 || !strings.Contains(m.HTML, "<strong>all</strong>") || m.Nonce != "n-1" {
		t.Fatalf("sent %+v", m)
	}
	w.alice.call(http.MethodPost, roomPath+"/messages", map[string]any{"body": "Hello **all**", "nonce": "n-1"}, http.StatusCreated, &again)
	if again.Seq != m.Seq {
		t.Errorf("resent with the same nonce: seq %d, first %d", again.Seq, m.Seq)
	}
	for i := range 5 {
		w.bob.call(http.MethodPost, roomPath+"/messages", map[string]any{"body": "message " + strconv.Itoa(i)}, http.StatusCreated, nil)
	}
	e = decodeAPIError(t, w.bob.call(http.MethodPost, roomPath+"/messages", map[string]any{"body": strings.Repeat("x", kindred.MaxChatMessage+1)}, http.StatusUnprocessableEntity, nil))
	if e.Error.Fields["body"] == "" {
		t.Errorf("too long a message: %+v", e)
	}
	e = decodeAPIError(t, w.bob.call(http.MethodPost, roomPath+"/messages", map[string]any{"body": "   "}, http.StatusUnprocessableEntity, nil))
	if e.Error.Fields["body"] == "" {
		t.Errorf("empty message: %+v", e)
	}

	// History: 1 notice (the room opened), alice's message, bob's five.
	var h apiHistoryJSON
	res := w.alice.call(http.MethodGet, roomPath+"/messages", nil, http.StatusOK, &h)
	if seqs := historySeqs(h); !slices.Equal(seqs, []int64{1, 2, 3, 4, 5, 6, 7}) || h.Earlier != 0 {
		t.Fatalf("history %v earlier %d", seqs, h.Earlier)
	}
	if n := h.Messages[0]; n.Kind != "notice" || n.Text == "" || n.Author != "" {
		t.Errorf("notice %+v", n)
	}
	if b := h.Messages[2]; b.Author != "Anonymous peer 3" || b.N != 3 || b.Mine || b.Nonce != "" {
		t.Errorf("alice sees bob's message as %+v", b)
	}
	if strings.Contains(string(res.Body), "bob") {
		t.Errorf("history names the anonymous person: %s", res.Body)
	}
	w.alice.call(http.MethodGet, roomPath+"/messages?before=7&limit=3", nil, http.StatusOK, &h)
	if seqs := historySeqs(h); !slices.Equal(seqs, []int64{4, 5, 6}) || h.Earlier != 4 {
		t.Errorf("before=7&limit=3: %v earlier %d", seqs, h.Earlier)
	}
	w.alice.call(http.MethodGet, roomPath+"/messages?before=4&limit=3", nil, http.StatusOK, &h)
	if seqs := historySeqs(h); !slices.Equal(seqs, []int64{1, 2, 3}) || h.Earlier != 0 {
		t.Errorf("before=4&limit=3: %v earlier %d", seqs, h.Earlier)
	}
	w.alice.call(http.MethodGet, roomPath+"/messages?after=5", nil, http.StatusOK, &h)
	if seqs := historySeqs(h); !slices.Equal(seqs, []int64{6, 7}) {
		t.Errorf("after=5: %v", seqs)
	}
	e = decodeAPIError(t, w.alice.call(http.MethodGet, roomPath+"/messages?limit=500", nil, http.StatusUnprocessableEntity, nil))
	if e.Error.Fields["limit"] == "" {
		t.Errorf("limit=500: %+v", e)
	}

	// People, by number and label only.
	var people struct {
		People []map[string]any `json:"people"`
	}
	res = w.alice.call(http.MethodGet, roomPath+"/people", nil, http.StatusOK, &people)
	if len(people.People) != 3 || people.People[0]["name"] != "alice" || people.People[0]["me"] != true ||
		people.People[2]["name"] != "Anonymous peer 3" || people.People[2]["n"] != 3.0 {
		t.Errorf("people %v", people)
	}
	if strings.Contains(string(res.Body), "bob") || strings.Contains(string(res.Body), "account") {
		t.Errorf("people names the anonymous person: %s", res.Body)
	}

	// Facilitator tools: removing a message, with a reason for the audit.
	decodeAPIError(t, w.alice.call(http.MethodPost, roomPath+"/messages/3/remove", map[string]any{"reason": "mine now"}, http.StatusForbidden, nil))
	e = decodeAPIError(t, w.op.call(http.MethodPost, roomPath+"/messages/3/remove", map[string]any{"reason": " "}, http.StatusUnprocessableEntity, nil))
	if e.Error.Fields["reason"] == "" {
		t.Errorf("no reason: %+v", e)
	}
	decodeAPIError(t, w.op.call(http.MethodPost, roomPath+"/messages/99/remove", map[string]any{"reason": "spam"}, http.StatusNotFound, nil))
	w.op.call(http.MethodPost, roomPath+"/messages/3/remove", map[string]any{"reason": "shared someone's name"}, http.StatusNoContent, nil)
	w.op.call(http.MethodPost, roomPath+"/messages/3/remove", map[string]any{"reason": "shared someone's name"}, http.StatusNoContent, nil) // again: nothing
	w.alice.call(http.MethodGet, roomPath+"/messages?after=2", nil, http.StatusOK, &h)
	if r := h.Messages[0]; r.Seq != 3 || !r.Removed || r.HTML != "" {
		t.Errorf("removed message %+v", r)
	}
	if n := h.Messages[len(h.Messages)-1]; n.Kind != "notice" || n.Removes != 3 || strings.Contains(n.Text, "name") {
		t.Errorf("removal notice %+v", n)
	}
	var removal *kindred.AuditEntry
	for _, a := range w.auditActions(t) {
		if a.Action == "chat.remove_message" {
			removal = a
		}
	}
	if removal == nil || !strings.Contains(removal.Detail, "shared someone's name") || !strings.HasSuffix(removal.Target, "#3") {
		t.Errorf("audit entry %+v", removal)
	}

	// Muting: alice can read but not send.
	decodeAPIError(t, w.bob.call(http.MethodPost, roomPath+"/people/1/mute", map[string]any{"minutes": 10}, http.StatusForbidden, nil))
	e = decodeAPIError(t, w.op.call(http.MethodPost, roomPath+"/people/1/mute", map[string]any{"minutes": 0}, http.StatusUnprocessableEntity, nil))
	if e.Error.Fields["minutes"] == "" {
		t.Errorf("mute for 0 minutes: %+v", e)
	}
	decodeAPIError(t, w.op.call(http.MethodPost, roomPath+"/people/42/mute", map[string]any{"minutes": 10}, http.StatusNotFound, nil))
	w.op.call(http.MethodPost, roomPath+"/people/1/mute", map[string]any{"minutes": 10}, http.StatusNoContent, nil)
	e = decodeAPIError(t, w.alice.call(http.MethodPost, roomPath+"/messages", map[string]any{"body": "but"}, http.StatusForbidden, nil))
	if e.Error.Code != kindred.EFORBIDDEN {
		t.Errorf("muted send: %+v", e)
	}
	w.alice.call(http.MethodGet, roomPath, nil, http.StatusOK, &room)
	if room.CanSend || room.Me.MutedUntil == nil {
		t.Errorf("muted alice sees %+v", room)
	}
	w.alice.call(http.MethodGet, roomPath+"/messages", nil, http.StatusOK, nil)

	// Removing a person: the room is gone for them, like one that never was.
	decodeAPIError(t, w.alice.call(http.MethodPost, roomPath+"/people/3/remove", map[string]any{"reason": "no"}, http.StatusForbidden, nil))
	w.op.call(http.MethodPost, roomPath+"/people/3/remove", map[string]any{"reason": "kept posting names"}, http.StatusNoContent, nil)
	gone := w.bob.call(http.MethodGet, roomPath, nil, http.StatusNotFound, nil)
	never := w.bob.call(http.MethodGet, "/rooms/"+kindred.NewID(), nil, http.StatusNotFound, nil)
	if !bytes.Equal(gone.Body, never.Body) {
		t.Errorf("removed: %s; nonexistent: %s", gone.Body, never.Body)
	}
	decodeAPIError(t, w.bob.call(http.MethodPost, roomPath+"/messages", map[string]any{"body": "let me back"}, http.StatusNotFound, nil))
	decodeAPIError(t, w.bob.call(http.MethodPost, sessionPath+"/enter", map[string]any{"agree": true}, http.StatusForbidden, nil))
	w.op.call(http.MethodGet, roomPath+"/people", nil, http.StatusOK, &people)
	if len(people.People) != 3 || people.People[2]["removed"] != true {
		t.Errorf("the facilitator sees %v", people)
	}
	w.alice.call(http.MethodGet, roomPath+"/people", nil, http.StatusOK, &people)
	if len(people.People) != 2 {
		t.Errorf("alice sees %v", people)
	}

	// Ending: the facilitator's; then nothing more can be sent.
	decodeAPIError(t, w.alice.call(http.MethodPost, roomPath+"/end", nil, http.StatusForbidden, nil))
	w.op.call(http.MethodPost, roomPath+"/end", nil, http.StatusNoContent, nil)
	w.op.call(http.MethodGet, roomPath, nil, http.StatusOK, &room)
	if room.State != "ended" || room.CanSend {
		t.Errorf("after ending: %+v", room)
	}
	decodeAPIError(t, w.op.call(http.MethodPost, roomPath+"/messages", map[string]any{"body": "one more thing"}, http.StatusConflict, nil))
	w.alice.call(http.MethodGet, roomPath+"/messages", nil, http.StatusOK, &h) // history stays readable
	if last := h.Messages[len(h.Messages)-1]; last.Kind != "notice" || !strings.Contains(last.Text, "ended") {
		t.Errorf("last message %+v", last)
	}
}

func historySeqs(h apiHistoryJSON) []int64 {
	var out []int64
	for _, m := range h.Messages {
		out = append(out, m.Seq)
	}
	return out
}

func TestAPIConversations(t *testing.T) {
	t.Parallel()
	w := newLiveWorld(t)
	carol := w.member(t, "carol", kindred.AgeAdult)
	teen := w.member(t, "robin", kindred.AgeYouth)

	var room apiRoomJSON
	w.alice.call(http.MethodPost, w.orgPath+"/conversations", map[string]any{"handle": "@bob"}, http.StatusOK, &room)
	if room.Kind != "conversation" || room.State != "open" || room.With != "bob" || room.Title == "" || !room.CanSend {
		t.Fatalf("opened %+v", room)
	}
	var same apiRoomJSON
	w.bob.call(http.MethodPost, w.orgPath+"/conversations", map[string]any{"handle": "alice"}, http.StatusOK, &same)
	if same.ID != room.ID || same.With != "alice" {
		t.Errorf("bob's side %+v, alice's %+v", same, room)
	}
	w.bob.call(http.MethodPost, "/rooms/"+room.ID+"/messages", map[string]any{"body": "hi alice"}, http.StatusCreated, nil)
	var list struct {
		Conversations []map[string]any `json:"conversations"`
	}
	w.alice.call(http.MethodGet, w.orgPath+"/conversations", nil, http.StatusOK, &list)
	if len(list.Conversations) != 1 || list.Conversations[0]["room"] != room.ID || list.Conversations[0]["with"] != "bob" ||
		list.Conversations[0]["last_message_at"] == nil {
		t.Errorf("alice's conversations %v", list)
	}

	// A third person: the conversation does not exist for them.
	for _, path := range []string{"", "/messages", "/people"} {
		theirs := carol.call(http.MethodGet, "/rooms/"+room.ID+path, nil, http.StatusNotFound, nil)
		none := carol.call(http.MethodGet, "/rooms/"+kindred.NewID()+path, nil, http.StatusNotFound, nil)
		if !bytes.Equal(theirs.Body, none.Body) {
			t.Errorf("%s: someone else's %s, nonexistent %s", path, theirs.Body, none.Body)
		}
	}
	decodeAPIError(t, carol.call(http.MethodPost, "/rooms/"+room.ID+"/messages", map[string]any{"body": "hello?"}, http.StatusNotFound, nil))
	carol.call(http.MethodGet, w.orgPath+"/conversations", nil, http.StatusOK, &list)
	if len(list.Conversations) != 0 {
		t.Errorf("carol's conversations %v", list)
	}

	// Adults and members aged 13–17 cannot open one with each other, and
	// the answer is the one for a handle nobody has.
	refusal := func(c *apiClient, handle string) string {
		t.Helper()
		e := decodeAPIError(t, c.call(http.MethodPost, w.orgPath+"/conversations", map[string]any{"handle": handle}, http.StatusUnprocessableEntity, nil))
		return strings.ReplaceAll(e.Error.Fields["handle"], handle, "<handle>")
	}
	nobody := refusal(w.alice, "nobody_here")
	if nobody == "" {
		t.Fatal("no field message for a handle nobody has")
	}
	if got := refusal(w.alice, "robin"); got != nobody {
		t.Errorf("adult to minor: %q, nobody: %q", got, nobody)
	}
	if got := refusal(teen, "alice"); got != nobody {
		t.Errorf("minor to adult: %q, nobody: %q", got, nobody)
	}
	// Someone outside the organisation looks like nobody too.
	signUp(t, w.ts, "stranger", kindred.AgeAdult)
	if got := refusal(w.alice, "stranger"); got != nobody {
		t.Errorf("non-member: %q, nobody: %q", got, nobody)
	}

	// Either person ends it; opening it again reopens it.
	w.bob.call(http.MethodPost, "/rooms/"+room.ID+"/end", nil, http.StatusNoContent, nil)
	w.alice.call(http.MethodGet, "/rooms/"+room.ID, nil, http.StatusOK, &same)
	if same.State != "ended" {
		t.Errorf("after bob ended it: %+v", same)
	}
	w.alice.call(http.MethodPost, w.orgPath+"/conversations", map[string]any{"handle": "bob"}, http.StatusOK, &same)
	if same.ID != room.ID || same.State != "open" {
		t.Errorf("reopened %+v", same)
	}
	outsider := signUp(t, w.ts, "outsider", kindred.AgeAdult)
	decodeAPIError(t, outsider.call(http.MethodPost, w.orgPath+"/conversations", map[string]any{"handle": "bob"}, http.StatusForbidden, nil))
	decodeAPIError(t, outsider.call(http.MethodGet, w.orgPath+"/conversations", nil, http.StatusForbidden, nil))
}

func TestAPILiveOpenAPI(t *testing.T) {
	t.Parallel()
	s, ts, _ := newTestServer(t)
	c := newAPIClient(t, ts)
	res := c.call(http.MethodGet, "/openapi.json", nil, http.StatusOK, nil)
	var doc struct {
		Paths map[string]map[string]struct {
			OperationID string                     `json:"operationId"`
			Tags        []string                   `json:"tags"`
			Parameters  []map[string]any           `json:"parameters"`
			Responses   map[string]json.RawMessage `json:"responses"`
			Security    []map[string]any           `json:"security"`
			Messages    *struct {
				Server struct {
					OneOf         []map[string]string `json:"oneOf"`
					Discriminator struct {
						PropertyName string            `json:"propertyName"`
						Mapping      map[string]string `json:"mapping"`
					} `json:"discriminator"`
				} `json:"server"`
				Client map[string]any `json:"client"`
			} `json:"x-websocket-messages"`
			CloseCodes []struct {
				Code      int  `json:"code"`
				Reconnect bool `json:"reconnect"`
			} `json:"x-websocket-close-codes"`
		} `json:"paths"`
		Comp struct {
			Schemas map[string]struct {
				Properties map[string]map[string]any `json:"properties"`
				Required   []string                  `json:"required"`
			} `json:"schemas"`
		} `json:"components"`
	}
	if err := json.Unmarshal(res.Body, &doc); err != nil {
		t.Fatal(err)
	}
	byID := map[string]string{} // operationId → "METHOD path"
	for path, item := range doc.Paths {
		for method, op := range item {
			byID[op.OperationID] = strings.ToUpper(method) + " " + path
		}
	}
	want := map[string]string{
		"scheduleGroupSession": "POST /organizations/{org}/groups/{group}/sessions",
		"listGroupSessions":    "GET /organizations/{org}/groups/{group}/sessions",
		"getGroupSession":      "GET /organizations/{org}/groups/{group}/sessions/{session}",
		"rsvpGroupSession":     "PUT /organizations/{org}/groups/{group}/sessions/{session}/rsvp",
		"cancelGroupSession":   "DELETE /organizations/{org}/groups/{group}/sessions/{session}",
		"enterGroupSession":    "POST /organizations/{org}/groups/{group}/sessions/{session}/enter",
		"getSessionCalendar":   "GET /organizations/{org}/groups/{group}/sessions/{session}/calendar.ics",
		"getGroupCalendar":     "GET /organizations/{org}/groups/{group}/sessions.ics",
		"getRoom":              "GET /rooms/{room}",
		"listChatMessages":     "GET /rooms/{room}/messages",
		"sendChatMessage":      "POST /rooms/{room}/messages",
		"removeChatMessage":    "POST /rooms/{room}/messages/{seq}/remove",
		"listRoomPeople":       "GET /rooms/{room}/people",
		"muteRoomMember":       "POST /rooms/{room}/people/{n}/mute",
		"removeRoomMember":     "POST /rooms/{room}/people/{n}/remove",
		"endRoom":              "POST /rooms/{room}/end",
		"openConversation":     "POST /organizations/{org}/conversations",
		"listConversations":    "GET /organizations/{org}/conversations",
		"connectLive":          "GET /live",
	}
	for id, route := range want {
		if byID[id] != route {
			t.Errorf("operation %s is at %q, want %q", id, byID[id], route)
		}
	}

	// The calendars are documented as text/calendar, not JSON.
	for _, path := range []string{"/organizations/{org}/groups/{group}/sessions/{session}/calendar.ics", "/organizations/{org}/groups/{group}/sessions.ics"} {
		var ok struct {
			Content map[string]any `json:"content"`
		}
		if err := json.Unmarshal(doc.Paths[path]["get"].Responses["200"], &ok); err != nil {
			t.Fatal(err)
		}
		if _, found := ok.Content["text/calendar"]; !found || len(ok.Content) != 1 {
			t.Errorf("%s: 200 content %v", path, ok.Content)
		}
	}

	// The WebSocket: the upgrade, its parameters, its frames and close codes.
	ws := doc.Paths["/live"]["get"]
	if _, ok := ws.Responses["101"]; !ok {
		t.Errorf("connectLive responses %v", slices.Collect(maps.Keys(ws.Responses)))
	}
	if !slices.Equal(ws.Tags, []string{"Live"}) || len(ws.Security) != 2 {
		t.Errorf("connectLive tags %v security %v", ws.Tags, ws.Security)
	}
	var params []string
	for _, p := range ws.Parameters {
		params = append(params, p["in"].(string)+":"+p["name"].(string))
	}
	if !slices.Equal(params, []string{"query:room", "query:after"}) {
		t.Errorf("connectLive parameters %v", params)
	}
	if ws.Messages == nil {
		t.Fatal("connectLive has no x-websocket-messages")
	}
	frames := map[string]string{live.FrameReady: "ReadyFrame", live.FrameMessage: "MessageFrame", live.FrameNotice: "MessageFrame",
		live.FramePresence: "PresenceFrame", live.FrameTyping: "TypingFrame", live.FrameState: "StateFrame", live.FrameMember: "MemberFrame",
		live.FrameAck: "AckFrame", live.FrameError: "ErrorFrame", live.FrameHistory: "HistoryFrame", live.FrameClosing: "ClosingFrame"}
	if ws.Messages.Server.Discriminator.PropertyName != "type" || len(ws.Messages.Server.Discriminator.Mapping) != len(frames) {
		t.Errorf("server frames %+v", ws.Messages.Server.Discriminator)
	}
	for typ, schema := range frames {
		ref := "#/components/schemas/" + schema
		if got := ws.Messages.Server.Discriminator.Mapping[typ]; got != ref {
			t.Errorf("frame %s maps to %q, want %q", typ, got, ref)
		}
		sch, ok := doc.Comp.Schemas[schema]
		if !ok {
			t.Errorf("no schema %s", schema)
			continue
		}
		if enum, _ := sch.Properties["type"]["enum"].([]any); !slices.Contains(enum, any(typ)) {
			t.Errorf("%s.type enum %v lacks %s", schema, sch.Properties["type"]["enum"], typ)
		}
	}
	if len(ws.Messages.Server.OneOf) != len(frames)-1 { // message and notice share a schema
		t.Errorf("server oneOf %v", ws.Messages.Server.OneOf)
	}
	if ws.Messages.Client["$ref"] != "#/components/schemas/ClientFrame" {
		t.Errorf("client frames %v", ws.Messages.Client)
	}
	if enum, _ := doc.Comp.Schemas["ClientFrame"].Properties["type"]["enum"].([]any); !slices.Equal(enum, []any{"send", "typing", "history"}) {
		t.Errorf("ClientFrame.type enum %v", enum)
	}
	codes := map[int]bool{}
	for _, c := range ws.CloseCodes {
		codes[c.Code] = c.Reconnect
	}
	if len(codes) != 3 || codes[4403] || !codes[4008] || !codes[1001] {
		t.Errorf("close codes %+v", ws.CloseCodes)
	}

	// Nobody in a room is exposed by account: the room schemas carry
	// numbers and labels.
	for _, schema := range []string{"Room", "RoomPerson", "ChatMessage", "RoomMe", "Presence", "ReadyFrame", "MessageFrame", "Conversation"} {
		for prop := range doc.Comp.Schemas[schema].Properties {
			if strings.Contains(prop, "account") || prop == "handle" || prop == "author_id" {
				t.Errorf("%s.%s exposes an account", schema, prop)
			}
		}
	}
	if len(doc.Comp.Schemas["Room"].Properties) == 0 || len(doc.Comp.Schemas["RoomPerson"].Properties) == 0 {
		t.Errorf("room schemas missing: %v", slices.Collect(maps.Keys(doc.Comp.Schemas)))
	}

	// connectLive is the mux route GET /api/v1/live, listed once.
	n := 0
	for _, op := range s.APIOperations() {
		if op.Method+" "+op.Path == "GET "+LivePath {
			n++
		}
	}
	if n != 1 || !slices.Contains(s.Routes(), "GET "+LivePath) {
		t.Errorf("GET %s: %d API operations; routes %v", LivePath, n, s.Routes())
	}

	// Every limit in the schemas matches the vocabulary's.
	limits := []struct {
		schema, prop, key string
		want              float64
	}{
		{"SessionScheduleInputBody", "title", "maxLength", kindred.MaxSessionTitle},
		{"SessionScheduleInputBody", "agenda", "maxLength", kindred.MaxSessionAgenda},
		{"SessionScheduleInputBody", "duration_minutes", "minimum", float64(kindred.MinSessionDuration / time.Minute)},
		{"SessionScheduleInputBody", "duration_minutes", "maximum", float64(kindred.MaxSessionDuration / time.Minute)},
		{"SessionScheduleInputBody", "capacity", "maximum", kindred.MaxSessionCapacity},
		{"ChatSendInputBody", "body", "maxLength", kindred.MaxChatMessage},
		{"ChatSendInputBody", "nonce", "maxLength", kindred.MaxNonce},
		{"ChatRemoveInputBody", "reason", "maxLength", kindred.MaxRemoveReason},
		{"RoomPersonRemoveInputBody", "reason", "maxLength", kindred.MaxRemoveReason},
		{"ConversationOpenInputBody", "handle", "maxLength", kindred.MaxHandle + 1},
	}
	for _, l := range limits {
		if got, _ := doc.Comp.Schemas[l.schema].Properties[l.prop][l.key].(float64); got != l.want {
			t.Errorf("%s.%s %s %v, want %v", l.schema, l.prop, l.key, doc.Comp.Schemas[l.schema].Properties[l.prop][l.key], l.want)
		}
	}
	if enum, _ := doc.Comp.Schemas["SessionScheduleInputBody"].Properties["recurrence"]["enum"].([]any); len(enum) != len(kindred.Recurrences) {
		t.Errorf("recurrence enum %v", enum)
	} else {
		for i, r := range kindred.Recurrences {
			if enum[i] != string(r) {
				t.Errorf("recurrence enum %v, want %v", enum, kindred.Recurrences)
			}
		}
	}
}

// liveConn is one WebSocket connection in a test.
type liveConn struct {
	t    *testing.T
	conn *websocket.Conn
}

// dialLiveAPI connects to a room as c: with its bearer token, or else with
// its session cookie.
func dialLiveAPI(t *testing.T, ts *httptest.Server, c *apiClient, room string, after int64) *liveConn {
	t.Helper()
	q := url.Values{"room": {room}}
	if after >= 0 {
		q.Set("after", strconv.FormatInt(after, 10))
	}
	h := http.Header{}
	if c.token != "" {
		h.Set("Authorization", "Bearer "+c.token)
	} else {
		u, _ := url.Parse(ts.URL)
		for _, ck := range c.http.Jar.Cookies(u) {
			h.Add("Cookie", ck.Name+"="+ck.Value)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	conn, res, err := websocket.Dial(ctx, "ws"+strings.TrimPrefix(ts.URL, "http")+LivePath+"?"+q.Encode(), &websocket.DialOptions{HTTPHeader: h})
	if err != nil {
		t.Fatalf("dial: %v (%v)", err, res)
	}
	t.Cleanup(func() { conn.CloseNow() })
	return &liveConn{t: t, conn: conn}
}

// next reads frames until one of the given types arrives, checking every
// frame against its documented type on the way.
func (lc *liveConn) next(types ...string) (string, any) {
	lc.t.Helper()
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, data, err := lc.conn.Read(ctx)
		cancel()
		if err != nil {
			lc.t.Fatalf("waiting for %v: %v", types, err)
		}
		typ, v := decodeLiveFrame(lc.t, data)
		if slices.Contains(types, typ) {
			return typ, v
		}
	}
}

func (lc *liveConn) send(v any) {
	lc.t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		lc.t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := lc.conn.Write(ctx, websocket.MessageText, b); err != nil {
		lc.t.Fatal(err)
	}
}

// decodeLiveFrame decodes a server frame into the type the OpenAPI document
// describes it with, refusing any field that type lacks: a frame that
// gains a field in internal/live without its mirror here fails.
func decodeLiveFrame(t *testing.T, data []byte) (string, any) {
	t.Helper()
	var head struct {
		Type string `json:"type"`
	}
	if err := json.Unmarshal(data, &head); err != nil {
		t.Fatalf("frame %s: %v", data, err)
	}
	var v any
	switch head.Type {
	case live.FrameReady:
		v = &live.ReadyFrame{}
	case live.FrameMessage, live.FrameNotice:
		v = &live.MessageFrame{}
	case live.FramePresence:
		v = &apiPresenceFrame{}
	case live.FrameTyping:
		v = &apiTypingFrame{}
	case live.FrameState:
		v = &apiStateFrame{}
	case live.FrameMember:
		v = &apiMemberFrame{}
	case live.FrameAck:
		v = &apiAckFrame{}
	case live.FrameError:
		v = &apiErrorFrame{}
	case live.FrameHistory:
		v = &apiHistoryFrame{}
	case live.FrameClosing:
		v = &apiClosingFrame{}
	default:
		t.Fatalf("undocumented frame type %q: %s", head.Type, data)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		t.Fatalf("frame %s does not match its documented type %T: %v", data, v, err)
	}
	return head.Type, v
}

func TestLiveWebSocketAPI(t *testing.T) {
	t.Parallel()
	w := newLiveWorld(t)
	_, room := w.openRoom(t, w.alice, w.bob)
	var tok struct {
		Token string `json:"token"`
	}
	w.bob.call(http.MethodPost, "/tokens", map[string]any{"name": "phone"}, http.StatusCreated, &tok)
	bobByToken := newAPIClient(t, w.ts)
	bobByToken.token = tok.Token

	alice := dialLiveAPI(t, w.ts, w.alice, room.ID, -1) // the session cookie
	_, v := alice.next(live.FrameReady)
	ready := v.(*live.ReadyFrame)
	if ready.Room != room.ID || ready.State != live.StateOpen || ready.Me.N != 2 || ready.Me.Name != "alice" || ready.LastSeq != 1 || ready.CanModerate {
		t.Fatalf("alice's ready frame %+v", ready)
	}
	if _, v := alice.next(live.FrameNotice); v.(*live.MessageFrame).Seq != 1 {
		t.Errorf("history notice %+v", v)
	}
	bob := dialLiveAPI(t, w.ts, bobByToken, room.ID, -1) // a bearer token
	if _, v := bob.next(live.FrameReady); v.(*live.ReadyFrame).Me.N != 3 {
		t.Errorf("bob's ready frame %+v", v)
	}
	bob.next(live.FrameNotice)

	alice.send(live.ClientFrame{Type: live.ClientSend, Body: "Hello *everyone*", Nonce: "a-1"})
	var ack *apiAckFrame
	var mine *live.MessageFrame
	for ack == nil || mine == nil {
		switch typ, v := alice.next(live.FrameAck, live.FrameMessage); typ {
		case live.FrameAck:
			ack = v.(*apiAckFrame)
		case live.FrameMessage:
			mine = v.(*live.MessageFrame)
		}
	}
	_, v = bob.next(live.FrameMessage)
	theirs := v.(*live.MessageFrame)
	if ack.Nonce != "a-1" || ack.Seq != 2 || mine.Seq != 2 || theirs.Seq != 2 || theirs.ID != mine.ID {
		t.Fatalf("ack %+v; alice got %+v; bob got %+v", ack, mine, theirs)
	}
	if theirs.Author != "alice" || theirs.N != 2 || !strings.Contains(theirs.HTML, "<em>everyone</em>") {
		t.Errorf("bob got %+v", theirs)
	}

	// A failed send answers with an error frame naming the nonce.
	alice.send(live.ClientFrame{Type: live.ClientSend, Body: strings.Repeat("x", kindred.MaxChatMessage+1), Nonce: "a-2"})
	_, v = alice.next(live.FrameError)
	if e := v.(*apiErrorFrame); e.Nonce != "a-2" || e.Code != kindred.EINVALID || e.Fields["body"] == "" {
		t.Errorf("error frame %+v", e)
	}

	// Bob reconnects having seen seq 2: nothing he has comes again.
	bob.conn.Close(websocket.StatusNormalClosure, "")
	bob = dialLiveAPI(t, w.ts, bobByToken, room.ID, theirs.Seq)
	if _, v := bob.next(live.FrameReady); v.(*live.ReadyFrame).LastSeq != 2 {
		t.Errorf("resumed ready frame %+v", v)
	}
	w.alice.call(http.MethodPost, "/rooms/"+room.ID+"/messages", map[string]any{"body": "still here?"}, http.StatusCreated, nil)
	_, v = bob.next(live.FrameMessage, live.FrameNotice)
	if m := v.(*live.MessageFrame); m.Seq != 3 || m.Author != "alice" {
		t.Errorf("after resuming from 2, bob's first message is %+v", m)
	}
	// History on request, through the connection.
	bob.send(live.ClientFrame{Type: live.ClientHistory, Before: 3})
	_, v = bob.next(live.FrameHistory)
	if h := v.(*apiHistoryFrame); len(h.Messages) != 2 || h.Messages[0].Seq != 1 || h.Messages[1].Seq != 2 || h.Earlier != 0 {
		t.Errorf("history frame %+v", h)
	}

	// Removed: a closing frame, then close code 4403.
	w.op.call(http.MethodPost, "/rooms/"+room.ID+"/people/3/remove", map[string]any{"reason": "testing"}, http.StatusNoContent, nil)
	_, v = bob.next(live.FrameClosing)
	if c := v.(*apiClosingFrame); c.Reason != live.ReasonRemoved || c.Message == "" {
		t.Errorf("closing frame %+v", c)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	for {
		if _, _, err := bob.conn.Read(ctx); err != nil {
			if code := websocket.CloseStatus(err); code != 4403 {
				t.Errorf("closed with %v (%v), want 4403", code, err)
			}
			break
		}
	}
	// And cannot come back: refused before the upgrade, like a room that
	// does not exist.
	ctx2, cancel2 := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel2()
	_, res, err := websocket.Dial(ctx2, "ws"+strings.TrimPrefix(w.ts.URL, "http")+LivePath+"?room="+room.ID,
		&websocket.DialOptions{HTTPHeader: http.Header{"Authorization": {"Bearer " + tok.Token}}})
	if err == nil || res == nil || res.StatusCode != http.StatusNotFound {
		t.Errorf("removed bob dialled again: %v %v", err, res)
	}
}
