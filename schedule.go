package kindred

import (
	"iter"
	"time"
)

// DefaultMeetings is how many meetings Meetings returns at most when the
// caller gives no limit.
const DefaultMeetings = 1000

// Location is the session's time zone, or UTC when TimeZone is empty or
// unknown to this machine's time zone data.
func (s *GroupSession) Location() *time.Location {
	loc, err := time.LoadLocation(s.TimeZone)
	if err != nil || loc == nil {
		return time.UTC
	}
	return loc
}

// Meetings returns the starts of the meetings whose span [start,
// start+Duration) overlaps [from, to), in order and at most max of them
// (max <= 0 means DefaultMeetings). The times are in the session's location.
// A canceled session has none.
func (s *GroupSession) Meetings(from, to time.Time, max int) []time.Time {
	if max <= 0 {
		max = DefaultMeetings
	}
	if !from.Before(to) {
		return nil
	}
	var starts []time.Time
	for start := range s.meetingsFrom(from) {
		if !start.Before(to) {
			break
		}
		starts = append(starts, start)
		if len(starts) == max {
			break
		}
	}
	return starts
}

// IsMeeting reports whether start is exactly the start of one of the
// session's meetings (the same instant, in any location).
func (s *GroupSession) IsMeeting(start time.Time) bool {
	for t := range s.meetingsFrom(start) {
		if t.Equal(start) {
			return true
		}
		if t.After(start) {
			return false
		}
	}
	return false
}

// Current returns the meeting in progress at now or, when none is, the next
// one. ok is false when no meetings remain.
func (s *GroupSession) Current(now time.Time) (start time.Time, ok bool) {
	for t := range s.meetingsFrom(now) {
		return t, true
	}
	return time.Time{}, false
}

// MonthlyWeekday names the weekday of the month that t falls on, in t's
// location, as a monthly session repeats it: ordinal 1 to 4 for the first to
// the fourth, and -1 for the last when t is the fifth such weekday (day 29 to
// 31). A session on the fourth Friday stays on the fourth Friday, even in
// months where that is also the last one: only a date that some months lack
// needs "last" to repeat every month.
func MonthlyWeekday(t time.Time) (ordinal int, weekday time.Weekday) {
	ordinal = (t.Day()-1)/7 + 1
	if ordinal == 5 {
		ordinal = -1
	}
	return ordinal, t.Weekday()
}

// Describe says in words when a session with this recurrence meets, given
// its first start in the session's location: "Every Tuesday at 18:30", "On
// the last Friday of every month at 19:00", "Once, on Tuesday 1 December
// 2026 at 18:30".
func (r Recurrence) Describe(start time.Time) string {
	clock := start.Format("15:04")
	switch r {
	case RecurWeekly:
		return "Every " + start.Weekday().String() + " at " + clock
	case RecurFortnightly:
		return "Every two weeks on " + start.Weekday().String() + " at " + clock
	case RecurMonthly:
		n, day := MonthlyWeekday(start)
		return "On the " + ordinalWord(n) + " " + day.String() + " of every month at " + clock
	}
	return "Once, on " + start.Format("Monday 2 January 2006") + " at " + clock
}

func ordinalWord(n int) string {
	switch n {
	case 1:
		return "first"
	case 2:
		return "second"
	case 3:
		return "third"
	case 4:
		return "fourth"
	}
	return "last"
}

// repeats reports whether the session has meetings after its first.
func (s *GroupSession) repeats() bool {
	return s.Recurrence == RecurWeekly || s.Recurrence == RecurFortnightly || s.Recurrence == RecurMonthly
}

// meetingsFrom yields, in order, the starts of the meetings that have not
// ended by from (for a session without a positive duration: that do not
// start before from), stopping at Until.
func (s *GroupSession) meetingsFrom(from time.Time) iter.Seq[time.Time] {
	return func(yield func(time.Time) bool) {
		if s == nil || s.Canceled() {
			return
		}
		first := s.Start.In(s.Location())
		reached := func(start time.Time) bool {
			if s.Duration <= 0 {
				return !start.Before(from)
			}
			return start.Add(s.Duration).After(from)
		}
		k := 0
		if s.repeats() && from.After(first) {
			// Jump close to from instead of walking from the first meeting,
			// then settle on the first meeting that reaches it. The estimate
			// is off by at most a step or two (offset changes, long
			// durations), so both loops are short.
			k = s.estimateIndex(first, from)
			for k > 0 && reached(s.meeting(first, k-1)) {
				k--
			}
			for !reached(s.meeting(first, k)) {
				k++
			}
		}
		for ; ; k++ {
			start := s.meeting(first, k)
			if s.Until != nil && start.After(*s.Until) {
				return
			}
			if reached(start) && !yield(start) {
				return
			}
			if !s.repeats() {
				return
			}
		}
	}
}

// estimateIndex guesses the index of the first meeting reaching from, never
// much above it.
func (s *GroupSession) estimateIndex(first, from time.Time) int {
	var k int64
	switch s.Recurrence {
	case RecurWeekly, RecurFortnightly:
		days := int64(7)
		if s.Recurrence == RecurFortnightly {
			days = 14
		}
		seconds := from.Unix() - first.Unix() - int64(s.Duration/time.Second)
		k = seconds/(days*24*60*60) - 1
	case RecurMonthly:
		k = int64(from.Year()-first.Year())*12 + int64(from.Month()) - int64(first.Month()) - 1
	}
	return int(max(k, 0))
}

// meeting returns the start of meeting k (0 is the first) in first's
// location. Repeats keep first's wall-clock time on their own date, so they
// move against UTC when daylight saving time starts or ends; a wall-clock
// time that does not exist that day (a daylight-saving gap) is what
// time.Date makes of it.
func (s *GroupSession) meeting(first time.Time, k int) time.Time {
	if k == 0 {
		return first
	}
	y, m, d := first.Date()
	hour, minute, sec := first.Clock()
	nsec, loc := first.Nanosecond(), first.Location()
	switch s.Recurrence {
	case RecurWeekly:
		d += 7 * k
	case RecurFortnightly:
		d += 14 * k
	case RecurMonthly:
		n, weekday := MonthlyWeekday(first)
		y, m, d = weekdayOfMonth(y, m+time.Month(k), n, weekday)
	}
	return time.Date(y, m, d, hour, minute, sec, nsec, loc)
}

// weekdayOfMonth returns the date of the nth (1 to 4, or -1 for the last)
// weekday of a month; month may be out of range and is normalized.
func weekdayOfMonth(year int, month time.Month, n int, weekday time.Weekday) (int, time.Month, int) {
	// Weekdays of dates do not depend on the zone; UTC noon avoids any
	// offset trouble.
	firstDay := time.Date(year, month, 1, 12, 0, 0, 0, time.UTC)
	year, month = firstDay.Year(), firstDay.Month()
	if n > 0 {
		return year, month, 1 + (int(weekday)-int(firstDay.Weekday())+7)%7 + 7*(n-1)
	}
	lastDay := time.Date(year, month+1, 0, 12, 0, 0, 0, time.UTC)
	return year, month, lastDay.Day() - (int(lastDay.Weekday())-int(weekday)+7)%7
}
