package kindred_test

import (
	"slices"
	"testing"
	"time"

	"kindred"
)

func mustLoad(tb testing.TB, name string) *time.Location {
	tb.Helper()
	loc, err := time.LoadLocation(name)
	if err != nil {
		tb.Fatalf("load %s: %v", name, err)
	}
	return loc
}

// at is a wall-clock time in the named zone.
func at(tb testing.TB, zone string, y int, m time.Month, d, hour, minute int) time.Time {
	tb.Helper()
	return time.Date(y, m, d, hour, minute, 0, 0, mustLoad(tb, zone))
}

func utc(y int, m time.Month, d, hour, minute int) time.Time {
	return time.Date(y, m, d, hour, minute, 0, 0, time.UTC)
}

func ptr[T any](v T) *T { return &v }

func formatTimes(ts []time.Time) []string {
	out := make([]string, len(ts))
	for i, t := range ts {
		out[i] = t.UTC().Format(time.RFC3339)
	}
	return out
}

func TestMeetings(t *testing.T) {
	london := func(y int, m time.Month, d, hour, minute int) time.Time {
		return at(t, "Europe/London", y, m, d, hour, minute)
	}
	newYork := func(y int, m time.Month, d, hour, minute int) time.Time {
		return at(t, "America/New_York", y, m, d, hour, minute)
	}
	canceled := utc(2026, 9, 1, 0, 0)

	tests := []struct {
		name     string
		session  kindred.GroupSession
		from, to time.Time
		max      int
		want     []time.Time // compared as instants
		wantWall string      // every meeting's local "Monday 15:04", if set
	}{
		{
			name: "weekly in London across the end of summer time keeps 18:30",
			session: kindred.GroupSession{Start: london(2026, 10, 20, 18, 30), Duration: time.Hour,
				TimeZone: "Europe/London", Recurrence: kindred.RecurWeekly},
			from: utc(2026, 10, 19, 0, 0), to: utc(2026, 11, 11, 0, 0),
			want: []time.Time{
				utc(2026, 10, 20, 17, 30), // BST, UTC+1
				utc(2026, 10, 27, 18, 30), // GMT
				utc(2026, 11, 3, 18, 30),
				utc(2026, 11, 10, 18, 30),
			},
			wantWall: "Tuesday 18:30",
		},
		{
			name: "weekly in London across the start of summer time keeps 18:30",
			session: kindred.GroupSession{Start: london(2026, 3, 17, 18, 30), Duration: time.Hour,
				TimeZone: "Europe/London", Recurrence: kindred.RecurWeekly},
			from: utc(2026, 3, 17, 0, 0), to: utc(2026, 4, 1, 0, 0),
			want:     []time.Time{utc(2026, 3, 17, 18, 30), utc(2026, 3, 24, 18, 30), utc(2026, 3, 31, 17, 30)},
			wantWall: "Tuesday 18:30",
		},
		{
			name: "weekly in New York across both changes keeps 18:30",
			session: kindred.GroupSession{Start: newYork(2026, 3, 3, 18, 30), Duration: 90 * time.Minute,
				TimeZone: "America/New_York", Recurrence: kindred.RecurWeekly},
			from: utc(2026, 3, 1, 0, 0), to: utc(2026, 3, 12, 0, 0),
			want:     []time.Time{utc(2026, 3, 3, 23, 30), utc(2026, 3, 10, 22, 30)},
			wantWall: "Tuesday 18:30",
		},
		{
			name: "weekly in New York at the November change",
			session: kindred.GroupSession{Start: newYork(2026, 3, 3, 18, 30), Duration: 90 * time.Minute,
				TimeZone: "America/New_York", Recurrence: kindred.RecurWeekly},
			from: utc(2026, 10, 26, 0, 0), to: utc(2026, 11, 5, 0, 0),
			want:     []time.Time{utc(2026, 10, 27, 22, 30), utc(2026, 11, 3, 23, 30)},
			wantWall: "Tuesday 18:30",
		},
		{
			name: "fortnightly",
			session: kindred.GroupSession{Start: london(2026, 10, 20, 18, 30), Duration: time.Hour,
				TimeZone: "Europe/London", Recurrence: kindred.RecurFortnightly},
			from: utc(2026, 10, 1, 0, 0), to: utc(2026, 11, 30, 0, 0),
			want:     []time.Time{utc(2026, 10, 20, 17, 30), utc(2026, 11, 3, 18, 30), utc(2026, 11, 17, 18, 30)},
			wantWall: "Tuesday 18:30",
		},
		{
			name: "fortnightly from the middle of the series skips the off weeks",
			session: kindred.GroupSession{Start: london(2026, 10, 20, 18, 30), Duration: time.Hour,
				TimeZone: "Europe/London", Recurrence: kindred.RecurFortnightly},
			from: utc(2026, 11, 4, 0, 0), to: utc(2026, 12, 2, 0, 0),
			want: []time.Time{utc(2026, 11, 17, 18, 30), utc(2026, 12, 1, 18, 30)},
		},
		{
			name: "monthly on the second Tuesday",
			session: kindred.GroupSession{Start: london(2026, 1, 13, 18, 30), Duration: time.Hour,
				TimeZone: "Europe/London", Recurrence: kindred.RecurMonthly},
			from: utc(2026, 1, 1, 0, 0), to: utc(2026, 5, 1, 0, 0),
			want: []time.Time{
				utc(2026, 1, 13, 18, 30), utc(2026, 2, 10, 18, 30), utc(2026, 3, 10, 18, 30),
				utc(2026, 4, 14, 17, 30), // BST
			},
			wantWall: "Tuesday 18:30",
		},
		{
			name: "monthly on the fourth Friday stays on the fourth when a month has five",
			session: kindred.GroupSession{Start: utc(2026, 1, 23, 19, 0), Duration: time.Hour,
				TimeZone: "UTC", Recurrence: kindred.RecurMonthly},
			from: utc(2026, 1, 1, 0, 0), to: utc(2026, 6, 1, 0, 0),
			want: []time.Time{
				utc(2026, 1, 23, 19, 0), utc(2026, 2, 27, 19, 0), utc(2026, 3, 27, 19, 0),
				utc(2026, 4, 24, 19, 0), utc(2026, 5, 22, 19, 0), // May has five Fridays: 1 … 29
			},
			wantWall: "Friday 19:00",
		},
		{
			name: "monthly from a fifth Friday repeats on the last Friday",
			session: kindred.GroupSession{Start: utc(2026, 1, 30, 19, 0), Duration: time.Hour,
				TimeZone: "UTC", Recurrence: kindred.RecurMonthly},
			from: utc(2026, 1, 1, 0, 0), to: utc(2026, 6, 1, 0, 0),
			want: []time.Time{
				utc(2026, 1, 30, 19, 0), utc(2026, 2, 27, 19, 0), utc(2026, 3, 27, 19, 0),
				utc(2026, 4, 24, 19, 0), utc(2026, 5, 29, 19, 0),
			},
			wantWall: "Friday 19:00",
		},
		{
			name: "monthly last Friday in New York across the November change",
			session: kindred.GroupSession{Start: newYork(2026, 10, 30, 18, 0), Duration: time.Hour,
				TimeZone: "America/New_York", Recurrence: kindred.RecurMonthly},
			from: utc(2026, 10, 1, 0, 0), to: utc(2027, 2, 1, 0, 0),
			want: []time.Time{
				utc(2026, 10, 30, 22, 0), utc(2026, 11, 27, 23, 0), utc(2026, 12, 25, 23, 0),
				utc(2027, 1, 29, 23, 0),
			},
			wantWall: "Friday 18:00",
		},
		{
			name: "monthly on the 31st skips nothing: every month has a last weekday",
			session: kindred.GroupSession{Start: utc(2026, 3, 31, 9, 0), Duration: time.Hour,
				TimeZone: "UTC", Recurrence: kindred.RecurMonthly},
			from: utc(2026, 3, 1, 0, 0), to: utc(2026, 7, 1, 0, 0),
			want: []time.Time{utc(2026, 3, 31, 9, 0), utc(2026, 4, 28, 9, 0), utc(2026, 5, 26, 9, 0), utc(2026, 6, 30, 9, 0)},
		},
		{
			name: "until is the last start",
			session: kindred.GroupSession{Start: london(2026, 10, 20, 18, 30), Duration: time.Hour,
				TimeZone: "Europe/London", Recurrence: kindred.RecurWeekly,
				Until: ptr(london(2026, 11, 4, 0, 0).Add(-time.Nanosecond))}, // the whole of 3 November
			from: utc(2026, 10, 1, 0, 0), to: utc(2027, 1, 1, 0, 0),
			want: []time.Time{utc(2026, 10, 20, 17, 30), utc(2026, 10, 27, 18, 30), utc(2026, 11, 3, 18, 30)},
		},
		{
			name: "until exactly at a start includes it",
			session: kindred.GroupSession{Start: utc(2026, 10, 20, 18, 30), Duration: time.Hour,
				TimeZone: "UTC", Recurrence: kindred.RecurWeekly, Until: ptr(utc(2026, 10, 27, 18, 30))},
			from: utc(2026, 10, 1, 0, 0), to: utc(2027, 1, 1, 0, 0),
			want: []time.Time{utc(2026, 10, 20, 18, 30), utc(2026, 10, 27, 18, 30)},
		},
		{
			name: "canceled series has no meetings",
			session: kindred.GroupSession{Start: utc(2026, 10, 20, 18, 30), Duration: time.Hour,
				TimeZone: "UTC", Recurrence: kindred.RecurWeekly, CanceledAt: &canceled},
			from: utc(2026, 10, 1, 0, 0), to: utc(2027, 1, 1, 0, 0),
		},
		{
			name: "a meeting in progress at from overlaps",
			session: kindred.GroupSession{Start: utc(2026, 10, 20, 18, 30), Duration: time.Hour,
				TimeZone: "UTC", Recurrence: kindred.RecurWeekly},
			from: utc(2026, 10, 27, 19, 29), to: utc(2026, 11, 4, 0, 0),
			want: []time.Time{utc(2026, 10, 27, 18, 30), utc(2026, 11, 3, 18, 30)},
		},
		{
			name: "a meeting ending exactly at from does not overlap",
			session: kindred.GroupSession{Start: utc(2026, 10, 20, 18, 30), Duration: time.Hour,
				TimeZone: "UTC", Recurrence: kindred.RecurWeekly},
			from: utc(2026, 10, 27, 19, 30), to: utc(2026, 11, 4, 0, 0),
			want: []time.Time{utc(2026, 11, 3, 18, 30)},
		},
		{
			name: "a meeting starting exactly at to does not overlap",
			session: kindred.GroupSession{Start: utc(2026, 10, 20, 18, 30), Duration: time.Hour,
				TimeZone: "UTC", Recurrence: kindred.RecurWeekly},
			from: utc(2026, 10, 20, 0, 0), to: utc(2026, 10, 27, 18, 30),
			want: []time.Time{utc(2026, 10, 20, 18, 30)},
		},
		{
			name: "one-off in range",
			session: kindred.GroupSession{Start: utc(2026, 12, 1, 18, 30), Duration: time.Hour,
				TimeZone: "UTC", Recurrence: kindred.RecurNone},
			from: utc(2026, 12, 1, 19, 0), to: utc(2027, 1, 1, 0, 0),
			want: []time.Time{utc(2026, 12, 1, 18, 30)},
		},
		{
			name: "one-off over",
			session: kindred.GroupSession{Start: utc(2026, 12, 1, 18, 30), Duration: time.Hour,
				TimeZone: "UTC", Recurrence: kindred.RecurNone},
			from: utc(2026, 12, 1, 19, 30), to: utc(2027, 1, 1, 0, 0),
		},
		{
			name: "max limits the count",
			session: kindred.GroupSession{Start: utc(2026, 10, 20, 18, 30), Duration: time.Hour,
				TimeZone: "UTC", Recurrence: kindred.RecurWeekly},
			from: utc(2026, 10, 1, 0, 0), to: utc(2030, 1, 1, 0, 0), max: 2,
			want: []time.Time{utc(2026, 10, 20, 18, 30), utc(2026, 10, 27, 18, 30)},
		},
		{
			name: "empty range",
			session: kindred.GroupSession{Start: utc(2026, 10, 20, 18, 30), Duration: time.Hour,
				TimeZone: "UTC", Recurrence: kindred.RecurWeekly},
			from: utc(2026, 11, 1, 0, 0), to: utc(2026, 11, 1, 0, 0),
		},
		{
			name: "far-future from",
			session: kindred.GroupSession{Start: london(2026, 10, 20, 18, 30), Duration: time.Hour,
				TimeZone: "Europe/London", Recurrence: kindred.RecurWeekly},
			from: utc(2526, 7, 1, 0, 0), to: utc(2526, 7, 15, 0, 0),
			// 2526-07-01 is a Monday; Go extends today's rules, so BST applies.
			want:     []time.Time{utc(2526, 7, 2, 17, 30), utc(2526, 7, 9, 17, 30)},
			wantWall: "Tuesday 18:30",
		},
		{
			name: "unknown zone falls back to UTC",
			session: kindred.GroupSession{Start: utc(2026, 10, 20, 18, 30), Duration: time.Hour,
				TimeZone: "Nowhere/Special", Recurrence: kindred.RecurWeekly},
			from: utc(2026, 10, 21, 0, 0), to: utc(2026, 10, 28, 0, 0),
			want: []time.Time{utc(2026, 10, 27, 18, 30)},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.session.Meetings(tt.from, tt.to, tt.max)
			if !slices.Equal(formatTimes(got), formatTimes(tt.want)) {
				t.Fatalf("Meetings:\n got %v\nwant %v", formatTimes(got), formatTimes(tt.want))
			}
			loc := tt.session.Location()
			for _, m := range got {
				if m.Location().String() != loc.String() {
					t.Errorf("meeting %v is in %v, want the session's location %v", m, m.Location(), loc)
				}
				if tt.wantWall != "" && m.Format("Monday 15:04") != tt.wantWall {
					t.Errorf("meeting %v is at %q local, want %q", m, m.Format("Monday 15:04"), tt.wantWall)
				}
				if !tt.session.IsMeeting(m) {
					t.Errorf("IsMeeting(%v) = false for a listed meeting", m)
				}
			}
		})
	}
}

func TestMeetingsDefaultMax(t *testing.T) {
	s := kindred.GroupSession{Start: utc(2026, 1, 1, 9, 0), Duration: time.Hour, TimeZone: "UTC", Recurrence: kindred.RecurWeekly}
	if got := len(s.Meetings(utc(2026, 1, 1, 0, 0), utc(2200, 1, 1, 0, 0), 0)); got != kindred.DefaultMeetings {
		t.Errorf("max 0 gave %d meetings, want %d", got, kindred.DefaultMeetings)
	}
	if got := len(s.Meetings(utc(2026, 1, 1, 0, 0), utc(2200, 1, 1, 0, 0), -1)); got != kindred.DefaultMeetings {
		t.Errorf("max -1 gave %d meetings, want %d", got, kindred.DefaultMeetings)
	}
}

// TestMeetingsDaylightGap: 02:30 does not exist in New York on 8 March 2026;
// that meeting is whatever time.Date makes of it, and the next is 02:30 again.
func TestMeetingsDaylightGap(t *testing.T) {
	ny := mustLoad(t, "America/New_York")
	s := kindred.GroupSession{Start: time.Date(2026, 3, 1, 2, 30, 0, 0, ny), Duration: 30 * time.Minute,
		TimeZone: "America/New_York", Recurrence: kindred.RecurWeekly}
	got := s.Meetings(utc(2026, 3, 1, 0, 0), utc(2026, 3, 16, 0, 0), 0)
	want := []time.Time{
		time.Date(2026, 3, 1, 2, 30, 0, 0, ny),
		time.Date(2026, 3, 8, 2, 30, 0, 0, ny),
		time.Date(2026, 3, 15, 2, 30, 0, 0, ny),
	}
	if !slices.Equal(formatTimes(got), formatTimes(want)) {
		t.Fatalf("got %v, want %v", formatTimes(got), formatTimes(want))
	}
	if got[2].Format("15:04") != "02:30" {
		t.Errorf("the week after the gap starts at %s, want 02:30", got[2].Format("15:04"))
	}
}

// TestMeetingsFarFutureMatchesWalk checks the arithmetic jump against a plain
// walk from the first meeting, for every recurrence, in zones with and
// without daylight saving.
func TestMeetingsFarFutureMatchesWalk(t *testing.T) {
	for _, zone := range []string{"Europe/London", "America/New_York", "Australia/Sydney", "UTC"} {
		for _, r := range []kindred.Recurrence{kindred.RecurWeekly, kindred.RecurFortnightly, kindred.RecurMonthly} {
			for _, day := range []int{3, 23, 30} {
				first := at(t, zone, 2026, 1, day, 18, 30)
				s := kindred.GroupSession{Start: first, Duration: 2 * time.Hour, TimeZone: zone, Recurrence: r}
				walked := walk(t, first, r, utc(2061, 1, 1, 0, 0))
				for _, from := range []time.Time{utc(2030, 6, 1, 12, 0), utc(2045, 11, 3, 1, 0), utc(2060, 3, 28, 0, 0)} {
					to := from.AddDate(0, 3, 0)
					var want []time.Time
					for _, w := range walked {
						if w.Add(s.Duration).After(from) && w.Before(to) {
							want = append(want, w)
						}
					}
					got := s.Meetings(from, to, 0)
					if len(want) == 0 || !slices.Equal(formatTimes(got), formatTimes(want)) {
						t.Errorf("%s %s day %d from %v:\n got %v\nwant %v", zone, r, day, from, formatTimes(got), formatTimes(want))
					}
				}
			}
		}
	}
}

// walk lists meetings one by one from first, by calendar arithmetic on dates
// alone, up to end.
func walk(tb testing.TB, first time.Time, r kindred.Recurrence, end time.Time) []time.Time {
	tb.Helper()
	loc := first.Location()
	date := time.Date(first.Year(), first.Month(), first.Day(), 0, 0, 0, 0, time.UTC)
	lastWeekday := first.Day() > 28
	nth := (first.Day()-1)/7 + 1
	var out []time.Time
	for i := 0; ; i++ {
		switch {
		case i == 0:
		case r == kindred.RecurWeekly:
			date = date.AddDate(0, 0, 7)
		case r == kindred.RecurFortnightly:
			date = date.AddDate(0, 0, 14)
		case r == kindred.RecurMonthly:
			monthStart := time.Date(date.Year(), date.Month()+1, 1, 0, 0, 0, 0, time.UTC)
			var days []time.Time // the month's days on first's weekday
			for d := monthStart; d.Month() == monthStart.Month(); d = d.AddDate(0, 0, 1) {
				if d.Weekday() == first.Weekday() {
					days = append(days, d)
				}
			}
			if lastWeekday {
				date = days[len(days)-1]
			} else {
				date = days[nth-1]
			}
		}
		t := time.Date(date.Year(), date.Month(), date.Day(), first.Hour(), first.Minute(), 0, 0, loc)
		if t.After(end) {
			return out
		}
		out = append(out, t)
	}
}

func TestMeetingsFarFutureIsQuick(t *testing.T) {
	s := kindred.GroupSession{Start: at(t, "Europe/London", 2026, 10, 20, 18, 30), Duration: time.Hour,
		TimeZone: "Europe/London", Recurrence: kindred.RecurWeekly}
	from := utc(100000, 1, 1, 0, 0)
	begin := time.Now()
	got := s.Meetings(from, from.AddDate(0, 0, 14), 0)
	if elapsed := time.Since(begin); elapsed > time.Second {
		t.Errorf("Meetings 98,000 years ahead took %v: it should jump, not walk", elapsed)
	}
	if len(got) != 2 || got[0].Weekday() != time.Tuesday {
		t.Errorf("got %v, want two Tuesdays", got)
	}
}

func BenchmarkMeetingsFarFuture(b *testing.B) {
	s := kindred.GroupSession{Start: at(b, "Europe/London", 2026, 10, 20, 18, 30), Duration: time.Hour,
		TimeZone: "Europe/London", Recurrence: kindred.RecurWeekly}
	from := utc(2400, 1, 1, 0, 0)
	for b.Loop() {
		s.Meetings(from, from.AddDate(0, 1, 0), 0)
	}
}

func TestIsMeeting(t *testing.T) {
	london := mustLoad(t, "Europe/London")
	s := kindred.GroupSession{Start: time.Date(2026, 10, 20, 18, 30, 0, 0, london), Duration: time.Hour,
		TimeZone: "Europe/London", Recurrence: kindred.RecurWeekly, Until: ptr(utc(2026, 12, 31, 23, 59))}
	tests := []struct {
		name  string
		start time.Time
		want  bool
	}{
		{"first", utc(2026, 10, 20, 17, 30), true},
		{"after the clocks go back", utc(2026, 10, 27, 18, 30), true},
		{"same instant in another zone", time.Date(2026, 10, 27, 14, 30, 0, 0, mustLoad(t, "America/New_York")), true},
		{"old UTC time after the change", utc(2026, 10, 27, 17, 30), false},
		{"during a meeting", utc(2026, 10, 27, 18, 45), false},
		{"a minute early", utc(2026, 10, 27, 18, 29), false},
		{"a wrong day", utc(2026, 10, 28, 18, 30), false},
		{"before the first", utc(2026, 10, 13, 17, 30), false},
		{"last before until", utc(2026, 12, 29, 18, 30), true},
		{"after until", utc(2027, 1, 5, 18, 30), false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := s.IsMeeting(tt.start); got != tt.want {
				t.Errorf("IsMeeting(%v) = %v, want %v", tt.start, got, tt.want)
			}
		})
	}
	s.CanceledAt = ptr(utc(2026, 10, 1, 0, 0))
	if s.IsMeeting(utc(2026, 10, 20, 17, 30)) {
		t.Error("a canceled session has no meetings")
	}
}

func TestCurrent(t *testing.T) {
	weekly := kindred.GroupSession{Start: utc(2026, 10, 20, 18, 30), Duration: time.Hour, TimeZone: "UTC",
		Recurrence: kindred.RecurWeekly, Until: ptr(utc(2026, 11, 3, 23, 59))}
	once := kindred.GroupSession{Start: utc(2026, 12, 1, 18, 30), Duration: time.Hour, TimeZone: "UTC", Recurrence: kindred.RecurNone}
	canceledWeekly := weekly
	canceledWeekly.CanceledAt = ptr(utc(2026, 10, 1, 0, 0))
	tests := []struct {
		name    string
		session kindred.GroupSession
		now     time.Time
		want    time.Time
		wantOK  bool
	}{
		{"before the first", weekly, utc(2026, 10, 1, 0, 0), utc(2026, 10, 20, 18, 30), true},
		{"at a start", weekly, utc(2026, 10, 27, 18, 30), utc(2026, 10, 27, 18, 30), true},
		{"in progress", weekly, utc(2026, 10, 27, 19, 29), utc(2026, 10, 27, 18, 30), true},
		{"just ended", weekly, utc(2026, 10, 27, 19, 30), utc(2026, 11, 3, 18, 30), true},
		{"after the last", weekly, utc(2026, 11, 3, 19, 30), time.Time{}, false},
		{"one-off ahead", once, utc(2026, 11, 1, 0, 0), utc(2026, 12, 1, 18, 30), true},
		{"one-off over", once, utc(2026, 12, 2, 0, 0), time.Time{}, false},
		{"canceled", canceledWeekly, utc(2026, 10, 1, 0, 0), time.Time{}, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := tt.session.Current(tt.now)
			if ok != tt.wantOK || !got.Equal(tt.want) {
				t.Errorf("Current(%v) = %v, %v; want %v, %v", tt.now, got, ok, tt.want, tt.wantOK)
			}
		})
	}
}

func TestLocation(t *testing.T) {
	tests := []struct{ zone, want string }{
		{"Europe/London", "Europe/London"},
		{"America/New_York", "America/New_York"},
		{"UTC", "UTC"},
		{"", "UTC"},
		{"Not/AZone", "UTC"},
	}
	for _, tt := range tests {
		s := kindred.GroupSession{TimeZone: tt.zone}
		if got := s.Location().String(); got != tt.want {
			t.Errorf("Location() for %q = %s, want %s", tt.zone, got, tt.want)
		}
	}
}

func TestMonthlyWeekday(t *testing.T) {
	tests := []struct {
		day         int // of January 2026, which starts on a Thursday
		wantOrdinal int
		wantWeekday time.Weekday
	}{
		{1, 1, time.Thursday},
		{7, 1, time.Wednesday},
		{8, 2, time.Thursday},
		{13, 2, time.Tuesday},
		{21, 3, time.Wednesday},
		{23, 4, time.Friday},
		{28, 4, time.Wednesday},
		{29, -1, time.Thursday},
		{31, -1, time.Saturday},
	}
	for _, tt := range tests {
		n, wd := kindred.MonthlyWeekday(utc(2026, 1, tt.day, 12, 0))
		if n != tt.wantOrdinal || wd != tt.wantWeekday {
			t.Errorf("MonthlyWeekday(January %d) = %d %v, want %d %v", tt.day, n, wd, tt.wantOrdinal, tt.wantWeekday)
		}
	}
}

func TestRecurrenceDescribe(t *testing.T) {
	tests := []struct {
		r     kindred.Recurrence
		start time.Time
		want  string
	}{
		{kindred.RecurWeekly, at(t, "Europe/London", 2026, 12, 1, 18, 30), "Every Tuesday at 18:30"},
		{kindred.RecurFortnightly, at(t, "Europe/London", 2026, 12, 1, 18, 30), "Every two weeks on Tuesday at 18:30"},
		{kindred.RecurMonthly, at(t, "Europe/London", 2026, 12, 8, 18, 30), "On the second Tuesday of every month at 18:30"},
		{kindred.RecurMonthly, at(t, "Europe/London", 2026, 12, 1, 18, 30), "On the first Tuesday of every month at 18:30"},
		{kindred.RecurMonthly, at(t, "America/New_York", 2026, 10, 23, 19, 0), "On the fourth Friday of every month at 19:00"},
		{kindred.RecurMonthly, at(t, "America/New_York", 2026, 10, 30, 19, 0), "On the last Friday of every month at 19:00"},
		{kindred.RecurNone, at(t, "Europe/London", 2026, 12, 1, 18, 30), "Once, on Tuesday 1 December 2026 at 18:30"},
		{"", at(t, "Europe/London", 2026, 12, 1, 9, 5), "Once, on Tuesday 1 December 2026 at 09:05"},
		// The words follow the location of the time given: 23:30 UTC on
		// Monday is Tuesday morning in Auckland.
		{kindred.RecurWeekly, utc(2026, 11, 30, 23, 30).In(mustLoad(t, "Pacific/Auckland")), "Every Tuesday at 12:30"},
	}
	for _, tt := range tests {
		if got := tt.r.Describe(tt.start); got != tt.want {
			t.Errorf("%q.Describe(%v) = %q, want %q", tt.r, tt.start, got, tt.want)
		}
	}
}
