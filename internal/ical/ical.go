// Package ical writes group sessions as iCalendar (RFC 5545) files, for
// calendar subscriptions and "add to calendar" downloads. It owns the
// mapping from a kindred.GroupSession to a VEVENT with its repeat rule, and
// the VTIMEZONE definitions those events refer to. Encoding (text escaping,
// CRLF) is github.com/emersion/go-ical's; line folding is done here because
// that encoder does not fold.
package ical

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	goical "github.com/emersion/go-ical"

	"kindred"
)

// ProductID names the program that wrote the calendar.
const ProductID = "-//Kindred//Kindred//EN"

// maxLineOctets is RFC 5545's limit for one line, without its CRLF.
const maxLineOctets = 75

// Event is one session in a calendar, with the words and link to show.
type Event struct {
	Session   *kindred.GroupSession
	GroupName string
	OrgName   string
	URL       string // absolute link to the session page
}

// Write writes an RFC 5545 VCALENDAR with one VEVENT per event, and one
// VTIMEZONE for every zone other than UTC that the events use. now stamps the
// events (DTSTAMP) and decides how far ahead the time zone definitions reach.
func Write(w io.Writer, calendarName string, events []Event, now time.Time) error {
	cal := goical.NewCalendar()
	cal.Props.SetText(goical.PropProductID, ProductID)
	cal.Props.SetText(goical.PropVersion, "2.0")
	cal.Props.SetText(goical.PropCalendarScale, "GREGORIAN")
	cal.Props.SetText(goical.PropMethod, "PUBLISH")
	calName := goical.NewProp("X-WR-CALNAME")
	calName.SetText(plainText(calendarName))
	calName.Params.Del(goical.ParamValue) // TEXT is what everyone expects here
	cal.Props.Set(calName)
	cal.Props.SetText(goical.PropName, plainText(calendarName)) // RFC 7986's name for X-WR-CALNAME

	// The zones in order of first use, each with the span of its events.
	type zoneSpan struct {
		loc            *time.Location
		earliest, last time.Time
	}
	var zones []*zoneSpan
	var vevents []*goical.Component
	for i, e := range events {
		if e.Session == nil {
			return fmt.Errorf("ical: event %d has no session", i)
		}
		loc := e.Session.Location()
		vevent, err := newEvent(e, loc, now)
		if err != nil {
			return fmt.Errorf("ical: session %s: %w", e.Session.ID, err)
		}
		vevents = append(vevents, vevent)
		if loc == time.UTC {
			continue
		}
		j := slices.IndexFunc(zones, func(z *zoneSpan) bool { return z.loc.String() == loc.String() })
		if j < 0 {
			zones = append(zones, &zoneSpan{loc: loc, earliest: e.Session.Start, last: e.Session.Start})
			continue
		}
		if e.Session.Start.Before(zones[j].earliest) {
			zones[j].earliest = e.Session.Start
		}
		if e.Session.Start.After(zones[j].last) {
			zones[j].last = e.Session.Start
		}
	}
	// Time zones first: some clients read the file in one pass.
	for _, z := range zones {
		end := now
		if z.last.After(end) {
			end = z.last
		}
		cal.Children = append(cal.Children, timezone(z.loc, z.earliest.AddDate(-1, 0, 0), end.AddDate(5, 0, 0)))
	}
	cal.Children = append(cal.Children, vevents...)

	var buf bytes.Buffer
	if len(cal.Children) == 0 {
		// go-ical refuses a calendar without components, but a feed with
		// nothing in it yet must still load, and calendar apps accept it.
		writeEmptyCalendar(&buf, cal)
	} else if err := goical.NewEncoder(&buf).Encode(cal); err != nil {
		return fmt.Errorf("ical: encode: %w", err)
	}
	_, err := w.Write(fold(buf.Bytes()))
	return err
}

// newEvent maps a session to a VEVENT.
func newEvent(e Event, loc *time.Location, now time.Time) (*goical.Component, error) {
	s := e.Session
	if s.ID == "" {
		return nil, errors.New("no id")
	}
	ev := goical.NewEvent()
	ev.Props.SetText(goical.PropUID, s.ID+"@kindred")
	ev.Props.SetDateTime(goical.PropDateTimeStamp, now.UTC())

	// With the session's zone named, calendar apps repeat the meeting at the
	// same wall-clock time across daylight-saving changes, as Meetings does.
	start := s.Start.In(loc)
	ev.Props.SetDateTime(goical.PropDateTimeStart, start)
	ev.Props.SetDateTime(goical.PropDateTimeEnd, start.Add(s.Duration))

	summary := s.Title
	if e.GroupName != "" {
		summary += " (" + e.GroupName + ")"
	}
	ev.Props.SetText(goical.PropSummary, plainText(summary))
	if d := description(e); d != "" {
		ev.Props.SetText(goical.PropDescription, d)
	}
	if e.URL != "" {
		u, err := url.Parse(e.URL)
		if err != nil || !u.IsAbs() {
			return nil, fmt.Errorf("URL %q is not an absolute link", e.URL)
		}
		ev.Props.SetURI(goical.PropURL, u)
	}
	// Someone who shares their calendar with work or family should not
	// show them which support group they go to.
	ev.Props.SetText(goical.PropClass, "PRIVATE")
	if rule := recurrenceRule(s, loc); rule != "" {
		prop := goical.NewProp(goical.PropRecurrenceRule)
		prop.Value = rule
		ev.Props.Set(prop)
	}
	if s.Canceled() {
		ev.SetStatus(goical.EventCancelled)
	} else {
		ev.SetStatus(goical.EventConfirmed)
	}
	return ev.Component, nil
}

// description is the agenda, which is Markdown and stays as it is (plain
// text reads well enough), followed by where the session belongs and its
// link: many calendar apps (Google Calendar among them) show no URL
// property, only the description.
func description(e Event) string {
	var footer []string
	if names := joinNonEmpty(" · ", e.GroupName, e.OrgName); names != "" {
		footer = append(footer, names)
	}
	if e.URL != "" {
		footer = append(footer, e.URL)
	}
	return plainText(joinNonEmpty("\n\n", strings.TrimSpace(e.Session.Agenda), strings.Join(footer, "\n")))
}

func joinNonEmpty(sep string, parts ...string) string {
	return strings.Join(slices.DeleteFunc(parts, func(p string) bool { return p == "" }), sep)
}

// recurrenceRule is the RRULE that repeats the session the way
// kindred.GroupSession.Meetings does, or "" for a one-off.
func recurrenceRule(s *kindred.GroupSession, loc *time.Location) string {
	var rule string
	switch s.Recurrence {
	case kindred.RecurWeekly:
		rule = "FREQ=WEEKLY"
	case kindred.RecurFortnightly:
		rule = "FREQ=WEEKLY;INTERVAL=2"
	case kindred.RecurMonthly:
		n, weekday := kindred.MonthlyWeekday(s.Start.In(loc))
		rule = fmt.Sprintf("FREQ=MONTHLY;BYDAY=%d%s", n, strings.ToUpper(weekday.String()[:2]))
	default:
		return ""
	}
	if s.Until != nil {
		// RFC 5545 wants UNTIL in UTC when DTSTART has a zone. UNTIL is
		// inclusive, like Until; whole seconds round down, which loses
		// only starts within the last second.
		rule += ";UNTIL=" + s.Until.UTC().Truncate(time.Second).Format("20060102T150405Z")
	}
	return rule
}

// timezone builds the VTIMEZONE for loc from Go's time zone data, valid from
// from to to. The events name their zone by its IANA identifier, which most
// calendar apps know; an app that does not uses this definition instead, so
// it still shows the right times. Each change of offset in the window is one
// STANDARD or DAYLIGHT observance, preceded by the observance in force when
// the window opens, so that every time in it is covered even in a zone that
// changed its rules only once. Beyond the window an app that relies on this
// definition keeps the last offset.
func timezone(loc *time.Location, from, to time.Time) *goical.Component {
	tz := goical.NewComponent(goical.CompTimezone)
	tz.Props.SetText(goical.PropTimezoneID, loc.String())

	t := from.In(loc).Truncate(time.Second)
	name, offset := t.Zone()
	tz.Children = append(tz.Children, observance(t.IsDST(), t, offset, offset, name))
	for {
		// ZoneBounds gives the exact second of the next change, from the
		// zone's table or, beyond it, from its rule for future years.
		_, end := t.ZoneBounds()
		if end.IsZero() || end.After(to) {
			break
		}
		next := end.In(loc)
		nextName, nextOffset := next.Zone()
		if nextOffset != offset || nextName != name {
			tz.Children = append(tz.Children, observance(next.IsDST(), end, offset, nextOffset, nextName))
		}
		t, name, offset = next, nextName, nextOffset
	}
	if len(tz.Children) == 1 {
		tz.Children[0].Name = goical.CompTimezoneStandard // a fixed offset
	}
	return tz
}

// observance is a STANDARD or DAYLIGHT subcomponent for a change at onset
// from one offset (seconds east of UTC) to another. Its DTSTART is the
// onset as local time in the offset before the change, as RFC 5545 expects.
func observance(daylight bool, onset time.Time, offsetFrom, offsetTo int, name string) *goical.Component {
	kind := goical.CompTimezoneStandard
	if daylight {
		kind = goical.CompTimezoneDaylight
	}
	c := goical.NewComponent(kind)
	start := goical.NewProp(goical.PropDateTimeStart)
	start.Value = onset.UTC().Add(time.Duration(offsetFrom) * time.Second).Format("20060102T150405")
	c.Props.Set(start)
	from := goical.NewProp(goical.PropTimezoneOffsetFrom)
	from.Value = utcOffset(offsetFrom)
	c.Props.Set(from)
	to := goical.NewProp(goical.PropTimezoneOffsetTo)
	to.Value = utcOffset(offsetTo)
	c.Props.Set(to)
	if name != "" {
		c.Props.SetText(goical.PropTimezoneName, name)
	}
	return c
}

// utcOffset formats seconds east of UTC as RFC 5545 does: +0100, -0500,
// +053000 only when there are seconds.
func utcOffset(seconds int) string {
	sign := "+"
	if seconds < 0 {
		sign, seconds = "-", -seconds
	}
	h, m, s := seconds/3600, seconds%3600/60, seconds%60
	if s != 0 {
		return fmt.Sprintf("%s%02d%02d%02d", sign, h, m, s)
	}
	return fmt.Sprintf("%s%02d%02d", sign, h, m)
}

// plainText makes s fit for a TEXT value: line breaks become LF (which the
// encoder escapes as \n; a CR would make it fail), and other control
// characters, which RFC 5545 does not allow, are dropped.
func plainText(s string) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	return strings.Map(func(r rune) rune {
		switch {
		case r == '\r':
			return '\n'
		case r == '\n' || r == '\t':
			return r
		case r < 0x20 || r == 0x7f:
			return -1
		}
		return r
	}, s)
}

// writeEmptyCalendar writes a calendar's properties with no components.
// They are simple TEXT values already escaped by SetText.
func writeEmptyCalendar(buf *bytes.Buffer, cal *goical.Calendar) {
	buf.WriteString("BEGIN:VCALENDAR\r\n")
	names := make([]string, 0, len(cal.Props))
	for name := range cal.Props {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		for _, p := range cal.Props[name] {
			buf.WriteString(p.Name + ":" + p.Value + "\r\n")
		}
	}
	buf.WriteString("END:VCALENDAR\r\n")
}

// fold splits content lines longer than 75 octets as RFC 5545 section 3.1
// asks, continuing them on lines that start with a space, and never inside
// a UTF-8 sequence. The input's lines end in CRLF.
func fold(content []byte) []byte {
	var out bytes.Buffer
	out.Grow(len(content) + len(content)/maxLineOctets*3)
	for line := range bytes.SplitSeq(content, []byte("\r\n")) {
		if len(line) == 0 {
			continue // after the last CRLF
		}
		width := 0
		for len(line) > 0 {
			_, size := utf8.DecodeRune(line)
			if width+size > maxLineOctets {
				out.WriteString("\r\n ")
				width = 1
			}
			out.Write(line[:size])
			width += size
			line = line[size:]
		}
		out.WriteString("\r\n")
	}
	return out.Bytes()
}
