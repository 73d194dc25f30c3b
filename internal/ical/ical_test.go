package ical_test

import (
	"bytes"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"

	"kindred"
	"kindred/internal/ical"
)

var now = time.Date(2026, 10, 1, 9, 15, 0, 0, time.UTC)

func load(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatal(err)
	}
	return loc
}

// Long enough to fold several times, with two-, three- and four-octet
// characters so that a fold could land inside one.
const longAgenda = "Wir treffen uns, reden; hören zu.\r\nBring tea ☕, or don't.\n\n" +
	"Привет всем, кто хочет поговорить о каминг-ауте; мы слушаем без осуждения. " +
	"🏳️‍🌈🏳️‍⚧️ みんなでゆっくり話しましょう。 A backslash \\ too."

func sessions(tb testing.TB) (weekly, monthly, once, canceled *kindred.GroupSession) {
	london, newYork := load(tb, "Europe/London"), load(tb, "America/New_York")
	until := time.Date(2027, 1, 1, 0, 0, 0, 0, london).Add(-time.Nanosecond) // the whole of 31 December
	canceledAt := now.Add(-time.Hour)
	weekly = &kindred.GroupSession{
		ID: "w33kly", Title: "Trans peer support, open; all welcome", Agenda: longAgenda,
		Start: time.Date(2026, 10, 20, 18, 30, 0, 0, london), Duration: 90 * time.Minute,
		TimeZone: "Europe/London", Recurrence: kindred.RecurWeekly, Until: &until,
	}
	monthly = &kindred.GroupSession{
		ID: "m0nthly", Title: "Coming out circle", Agenda: "Last Friday of the month.",
		Start: time.Date(2026, 10, 30, 18, 0, 0, 0, newYork), Duration: time.Hour,
		TimeZone: "America/New_York", Recurrence: kindred.RecurMonthly,
	}
	once = &kindred.GroupSession{
		ID: "0nce", Title: "Winter social",
		Start: time.Date(2026, 12, 1, 18, 30, 0, 0, time.UTC), Duration: 2 * time.Hour,
		TimeZone: "UTC", Recurrence: kindred.RecurNone,
	}
	canceled = &kindred.GroupSession{
		ID: "c4nceled", Title: "Parents' evening",
		Start: time.Date(2026, 11, 3, 19, 0, 0, 0, london), Duration: time.Hour,
		TimeZone: "Europe/London", Recurrence: kindred.RecurFortnightly, CanceledAt: &canceledAt,
	}
	return weekly, monthly, once, canceled
}

func write(tb testing.TB, events []ical.Event) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := ical.Write(&buf, "Kindred: my sessions, all of them", events, now); err != nil {
		tb.Fatalf("Write: %v", err)
	}
	return buf.Bytes()
}

func decode(tb testing.TB, b []byte) *goical.Calendar {
	tb.Helper()
	cal, err := goical.NewDecoder(bytes.NewReader(b)).Decode()
	if err != nil {
		tb.Fatalf("decode: %v\n%s", err, b)
	}
	return cal
}

func text(tb testing.TB, c *goical.Component, name string) string {
	tb.Helper()
	if c.Props.Get(name) == nil {
		tb.Fatalf("%s has no %s", c.Name, name)
	}
	s, err := c.Props.Text(name)
	if err != nil {
		tb.Fatalf("%s %s: %v", c.Name, name, err)
	}
	return s
}

func TestWrite(t *testing.T) {
	weekly, monthly, once, canceled := sessions(t)
	events := []ical.Event{
		{Session: weekly, GroupName: "Trans, Nonbinary & Questioning", OrgName: "Rainbow; Collective", URL: "https://kindred.example/o/rc/g/tnq/s/w33kly"},
		{Session: monthly, GroupName: "Coming Out", OrgName: "Rainbow; Collective", URL: "https://kindred.example/o/rc/g/co/s/m0nthly"},
		{Session: once, GroupName: "Socials", URL: "https://kindred.example/o/rc/g/soc/s/0nce"},
		{Session: canceled, GroupName: "Parents", OrgName: "Rainbow; Collective"},
	}
	out := write(t, events)

	t.Run("lines end in CRLF, are at most 75 octets and keep characters whole", func(t *testing.T) {
		if !bytes.HasSuffix(out, []byte("\r\n")) {
			t.Fatal("output does not end in CRLF")
		}
		lines := bytes.Split(bytes.TrimSuffix(out, []byte("\r\n")), []byte("\r\n"))
		folded := 0
		for i, line := range lines {
			if bytes.ContainsAny(line, "\r\n") {
				t.Errorf("line %d has a bare CR or LF: %q", i+1, line)
			}
			if len(line) > 75 {
				t.Errorf("line %d is %d octets: %q", i+1, len(line), line)
			}
			if !utf8.Valid(line) {
				t.Errorf("line %d was folded inside a character: %q", i+1, line)
			}
			if bytes.HasPrefix(line, []byte(" ")) {
				folded++
			}
		}
		if folded < 3 {
			t.Errorf("only %d continuation lines; the long agenda should have been folded", folded)
		}
	})

	cal := decode(t, out)

	t.Run("calendar properties", func(t *testing.T) {
		for name, want := range map[string]string{
			goical.PropProductID:     "-//Kindred//Kindred//EN",
			goical.PropVersion:       "2.0",
			goical.PropCalendarScale: "GREGORIAN",
			goical.PropMethod:        "PUBLISH",
			"X-WR-CALNAME":           "Kindred: my sessions, all of them",
		} {
			if got := text(t, cal.Component, name); got != want {
				t.Errorf("%s = %q, want %q", name, got, want)
			}
		}
	})

	zones := map[string]*goical.Component{}
	for _, c := range cal.Children {
		if c.Name == goical.CompTimezone {
			id := text(t, c, goical.PropTimezoneID)
			if zones[id] != nil {
				t.Errorf("VTIMEZONE %s appears twice", id)
			}
			zones[id] = c
		}
	}
	byUID := map[string]goical.Event{}
	for _, e := range cal.Events() {
		byUID[text(t, e.Component, goical.PropUID)] = e
	}

	t.Run("one VTIMEZONE per zone, none for UTC", func(t *testing.T) {
		ids := slices.Sorted(maps.Keys(zones))
		if want := []string{"America/New_York", "Europe/London"}; !slices.Equal(ids, want) {
			t.Errorf("VTIMEZONEs %v, want %v", ids, want)
		}
		if i := slices.IndexFunc(cal.Children, func(c *goical.Component) bool { return c.Name == goical.CompEvent }); i < len(zones) {
			t.Errorf("an event comes before the time zones")
		}
	})

	t.Run("VTIMEZONE offsets and names", func(t *testing.T) {
		tests := []struct {
			zone          string
			offsets       []string
			names         []string
			octoberChange string // the DTSTART of the STANDARD observance in October/November 2026
			standard      string
		}{
			{"Europe/London", []string{"+0000", "+0100"}, []string{"BST", "GMT"}, "20261025T020000", "+0000"},
			{"America/New_York", []string{"-0400", "-0500"}, []string{"EDT", "EST"}, "20261101T020000", "-0500"},
		}
		for _, tt := range tests {
			tz := zones[tt.zone]
			if tz == nil {
				t.Fatalf("no VTIMEZONE for %s", tt.zone)
			}
			offsets, names := map[string]bool{}, map[string]bool{}
			found := false
			for _, o := range tz.Children {
				from := o.Props.Get(goical.PropTimezoneOffsetFrom).Value
				to := o.Props.Get(goical.PropTimezoneOffsetTo).Value
				offsets[from], offsets[to] = true, true
				names[text(t, o, goical.PropTimezoneName)] = true
				start := o.Props.Get(goical.PropDateTimeStart).Value
				if start == tt.octoberChange {
					found = true
					if o.Name != goical.CompTimezoneStandard || to != tt.standard {
						t.Errorf("%s: the change at %s is %s to %s, want STANDARD to %s", tt.zone, start, o.Name, to, tt.standard)
					}
				}
				// The observance's DTSTART is local time before the
				// change: the instant must agree with Go's zone data.
				onset := onsetOf(t, o)
				loc := load(t, tt.zone)
				if _, off := onset.Add(-time.Second).In(loc).Zone(); o != tz.Children[0] && formatOffset(off) != from {
					t.Errorf("%s: before %s the offset is %s, VTIMEZONE says %s", tt.zone, start, formatOffset(off), from)
				}
				if _, off := onset.In(loc).Zone(); formatOffset(off) != to {
					t.Errorf("%s: from %s the offset is %s, VTIMEZONE says %s", tt.zone, start, formatOffset(off), to)
				}
			}
			if got := slices.Sorted(maps.Keys(offsets)); !slices.Equal(got, tt.offsets) {
				t.Errorf("%s offsets %v, want %v", tt.zone, got, tt.offsets)
			}
			if got := slices.Sorted(maps.Keys(names)); !slices.Equal(got, tt.names) {
				t.Errorf("%s names %v, want %v", tt.zone, got, tt.names)
			}
			if !found {
				t.Errorf("%s: no observance starting %s", tt.zone, tt.octoberChange)
			}
			// From a year before the first event to five years ahead:
			// eleven or twelve changes, and the last in 2031.
			last := tz.Children[len(tz.Children)-1].Props.Get(goical.PropDateTimeStart).Value
			if n := len(tz.Children) - 1; n < 11 || n > 13 || !strings.HasPrefix(last, "2031") {
				t.Errorf("%s has %d changes, the last at %s; want about 12 up to 2031", tt.zone, n, last)
			}
		}
	})

	t.Run("UID, times, status, rule", func(t *testing.T) {
		tests := []struct {
			session     *kindred.GroupSession
			tzid        string // "" for the UTC form
			rrule       string
			status      goical.EventStatus
			summary     string
			description string
			url         string
		}{
			{weekly, "Europe/London", "FREQ=WEEKLY;UNTIL=20261231T235959Z", goical.EventConfirmed,
				"Trans peer support, open; all welcome (Trans, Nonbinary & Questioning)",
				strings.ReplaceAll(longAgenda, "\r\n", "\n") + "\n\nTrans, Nonbinary & Questioning · Rainbow; Collective\nhttps://kindred.example/o/rc/g/tnq/s/w33kly",
				"https://kindred.example/o/rc/g/tnq/s/w33kly"},
			{monthly, "America/New_York", "FREQ=MONTHLY;BYDAY=-1FR", goical.EventConfirmed,
				"Coming out circle (Coming Out)",
				"Last Friday of the month.\n\nComing Out · Rainbow; Collective\nhttps://kindred.example/o/rc/g/co/s/m0nthly",
				"https://kindred.example/o/rc/g/co/s/m0nthly"},
			{once, "", "", goical.EventConfirmed, "Winter social (Socials)",
				"Socials\nhttps://kindred.example/o/rc/g/soc/s/0nce", "https://kindred.example/o/rc/g/soc/s/0nce"},
			{canceled, "Europe/London", "FREQ=WEEKLY;INTERVAL=2", goical.EventCancelled, "Parents' evening (Parents)",
				"Parents · Rainbow; Collective", ""},
		}
		for _, tt := range tests {
			t.Run(tt.session.ID, func(t *testing.T) {
				e, ok := byUID[tt.session.ID+"@kindred"]
				if !ok {
					t.Fatalf("no event with UID %s@kindred", tt.session.ID)
				}
				start := e.Props.Get(goical.PropDateTimeStart)
				if got := start.Params.Get(goical.PropTimezoneID); got != tt.tzid {
					t.Errorf("DTSTART TZID %q, want %q", got, tt.tzid)
				}
				if tt.tzid == "" && !strings.HasSuffix(start.Value, "Z") {
					t.Errorf("DTSTART %q, want the UTC form", start.Value)
				}
				gotStart, err := e.DateTimeStart(nil)
				if err != nil || !gotStart.Equal(tt.session.Start) {
					t.Errorf("DTSTART = %v (%v), want %v", gotStart, err, tt.session.Start)
				}
				if tt.tzid != "" {
					// A client without its own zone data gets the same
					// instant from our VTIMEZONE.
					if got := resolve(t, zones[tt.tzid], start.Value); !got.Equal(tt.session.Start) {
						t.Errorf("DTSTART through the VTIMEZONE = %v, want %v", got, tt.session.Start)
					}
				}
				gotEnd, err := e.DateTimeEnd(nil)
				if err != nil || !gotEnd.Equal(tt.session.Start.Add(tt.session.Duration)) {
					t.Errorf("DTEND = %v (%v), want %v", gotEnd, err, tt.session.Start.Add(tt.session.Duration))
				}
				stamp, err := e.Props.DateTime(goical.PropDateTimeStamp, nil)
				if err != nil || !stamp.Equal(now) || !strings.HasSuffix(e.Props.Get(goical.PropDateTimeStamp).Value, "Z") {
					t.Errorf("DTSTAMP = %v (%v), want %v in UTC", stamp, err, now)
				}
				var rrule string
				if p := e.Props.Get(goical.PropRecurrenceRule); p != nil {
					rrule = p.Value
				}
				if rrule != tt.rrule {
					t.Errorf("RRULE %q, want %q", rrule, tt.rrule)
				}
				if status, err := e.Status(); err != nil || status != tt.status {
					t.Errorf("STATUS %q (%v), want %q", status, err, tt.status)
				}
				if got := text(t, e.Component, goical.PropSummary); got != tt.summary {
					t.Errorf("SUMMARY %q, want %q", got, tt.summary)
				}
				if got := text(t, e.Component, goical.PropDescription); got != tt.description {
					t.Errorf("DESCRIPTION\n got %q\nwant %q", got, tt.description)
				}
				var url string
				if u, err := e.Props.URI(goical.PropURL); err != nil {
					t.Errorf("URL: %v", err)
				} else if u != nil {
					url = u.String()
				}
				if url != tt.url {
					t.Errorf("URL %q, want %q", url, tt.url)
				}
				if got := text(t, e.Component, goical.PropClass); got != "PRIVATE" {
					t.Errorf("CLASS %q, want PRIVATE", got)
				}
			})
		}
	})

	// The rule, expanded by the rrule library behind go-ical, gives exactly
	// the meetings Kindred computes, across the daylight-saving changes, and
	// our VTIMEZONE maps each local start to the same instant.
	t.Run("expanded rules match Meetings", func(t *testing.T) {
		for _, s := range []*kindred.GroupSession{weekly, monthly} {
			e := byUID[s.ID+"@kindred"]
			set, err := e.RecurrenceSet(nil)
			if err != nil || set == nil {
				t.Fatalf("%s: recurrence set %v, %v", s.ID, set, err)
			}
			from, to := s.Start, s.Start.AddDate(1, 0, 0)
			want := s.Meetings(from, to, 0)
			got := set.Between(from, to, true)
			if !slices.EqualFunc(got, want, time.Time.Equal) {
				t.Errorf("%s: RRULE gives\n%v\nMeetings gives\n%v", s.ID, got, want)
			}
			for _, m := range want {
				local := m.Format("20060102T150405")
				if r := resolve(t, zones[s.TimeZone], local); !r.Equal(m) {
					t.Errorf("%s: %s %s through the VTIMEZONE is %v, want %v", s.ID, s.TimeZone, local, r, m)
				}
			}
		}
		if len(weekly.Meetings(weekly.Start, weekly.Start.AddDate(1, 0, 0), 0)) != 11 {
			t.Errorf("the weekly session should meet 11 times up to its last day")
		}
	})
}

func TestWriteFixedOffsetZone(t *testing.T) {
	tokyo := load(t, "Asia/Tokyo")
	s := &kindred.GroupSession{ID: "t0kyo", Title: "Check-in", TimeZone: "Asia/Tokyo", Recurrence: kindred.RecurWeekly,
		Start: time.Date(2026, 11, 2, 20, 0, 0, 0, tokyo), Duration: time.Hour}
	cal := decode(t, write(t, []ical.Event{{Session: s}}))
	var tz *goical.Component
	for _, c := range cal.Children {
		if c.Name == goical.CompTimezone {
			tz = c
		}
	}
	if tz == nil || len(tz.Children) != 1 || tz.Children[0].Name != goical.CompTimezoneStandard {
		t.Fatalf("want one VTIMEZONE with one STANDARD, got %+v", tz)
	}
	o := tz.Children[0]
	if from, to := o.Props.Get(goical.PropTimezoneOffsetFrom).Value, o.Props.Get(goical.PropTimezoneOffsetTo).Value; from != "+0900" || to != "+0900" {
		t.Errorf("offsets %s → %s, want +0900 → +0900", from, to)
	}
	if name := text(t, o, goical.PropTimezoneName); name != "JST" {
		t.Errorf("TZNAME %q, want JST", name)
	}
	if got := resolve(t, tz, "20261102T200000"); !got.Equal(s.Start) {
		t.Errorf("through the VTIMEZONE %v, want %v", got, s.Start)
	}
}

func TestWriteEmpty(t *testing.T) {
	out := write(t, nil)
	cal := decode(t, out)
	if len(cal.Children) != 0 {
		t.Errorf("an empty calendar has %d components", len(cal.Children))
	}
	if got := text(t, cal.Component, "X-WR-CALNAME"); got != "Kindred: my sessions, all of them" {
		t.Errorf("X-WR-CALNAME %q", got)
	}
	if !bytes.HasPrefix(out, []byte("BEGIN:VCALENDAR\r\n")) || !bytes.HasSuffix(out, []byte("END:VCALENDAR\r\n")) {
		t.Errorf("not a calendar:\n%s", out)
	}
}

func TestWriteErrors(t *testing.T) {
	_, _, once, _ := sessions(t)
	noID := *once
	noID.ID = ""
	tests := []struct {
		name  string
		event ical.Event
	}{
		{"no session", ical.Event{}},
		{"no id", ical.Event{Session: &noID}},
		{"relative URL", ical.Event{Session: once, URL: "/o/rc/g/soc/s/0nce"}},
		{"URL with a line break", ical.Event{Session: once, URL: "https://kindred.example/\r\nX: y"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := ical.Write(&bytes.Buffer{}, "x", []ical.Event{tt.event}, now); err == nil {
				t.Error("Write succeeded")
			}
		})
	}
}

func TestWriteDropsControlCharacters(t *testing.T) {
	_, _, once, _ := sessions(t)
	s := *once
	s.Title = "Bell\a and\x00 null\rreturn"
	cal := decode(t, write(t, []ical.Event{{Session: &s}}))
	if got := text(t, cal.Events()[0].Component, goical.PropSummary); got != "Bell and null\nreturn" {
		t.Errorf("SUMMARY %q", got)
	}
}

// onsetOf is the instant an observance starts: its DTSTART is local time in
// the offset it changes from.
func onsetOf(tb testing.TB, o *goical.Component) time.Time {
	tb.Helper()
	wall, err := time.Parse("20060102T150405", o.Props.Get(goical.PropDateTimeStart).Value)
	if err != nil {
		tb.Fatal(err)
	}
	return wall.Add(-parseOffset(tb, o.Props.Get(goical.PropTimezoneOffsetFrom).Value))
}

// resolve turns a local time into an instant with a VTIMEZONE alone, as a
// calendar app without zone data would.
func resolve(tb testing.TB, tz *goical.Component, local string) time.Time {
	tb.Helper()
	wall, err := time.Parse("20060102T150405", local)
	if err != nil {
		tb.Fatal(err)
	}
	var found time.Time
	for i, o := range tz.Children {
		at := wall.Add(-parseOffset(tb, o.Props.Get(goical.PropTimezoneOffsetTo).Value))
		if at.Before(onsetOf(tb, o)) {
			continue
		}
		if i+1 < len(tz.Children) && !at.Before(onsetOf(tb, tz.Children[i+1])) {
			continue
		}
		found = at
	}
	if found.IsZero() {
		tb.Fatalf("%s is not covered by the VTIMEZONE", local)
	}
	return found
}

func parseOffset(tb testing.TB, s string) time.Duration {
	tb.Helper()
	if len(s) != 5 || (s[0] != '+' && s[0] != '-') {
		tb.Fatalf("bad offset %q", s)
	}
	h, err1 := strconv.Atoi(s[1:3])
	m, err2 := strconv.Atoi(s[3:5])
	if err1 != nil || err2 != nil {
		tb.Fatalf("bad offset %q", s)
	}
	d := time.Duration(h)*time.Hour + time.Duration(m)*time.Minute
	if s[0] == '-' {
		d = -d
	}
	return d
}

func formatOffset(seconds int) string {
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	return fmt.Sprintf("%s%02d%02d", sign, seconds/3600, seconds%3600/60)
}
