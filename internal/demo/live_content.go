package demo

import (
	"time"

	"kindred"
)

// Session is a scheduled live meeting in the demo. Weekday and Clock place
// the weekly (or monthly) meeting in the demo's time zone; Now makes the
// meeting start a few minutes before the demo is seeded, so its room is
// open to try.
type Session struct {
	Group      string // slug
	Title      string
	Agenda     string
	Weekday    time.Weekday
	Clock      string // "18:30"
	Duration   time.Duration
	Recurrence kindred.Recurrence
	Capacity   int
	Now        bool
	// Chat is what was said in the room before the demo started, oldest
	// first; the first speaker is the facilitator who opened it.
	Chat []ChatLine
}

// ChatLine is one message in a demo room or conversation.
type ChatLine struct {
	Author, Body string
}

// Conversation is a demo 1:1 conversation between two adults.
type Conversation struct {
	A, B  string
	Lines []ChatLine
}

// DemoTimeZone is where the demo's sessions meet.
const DemoTimeZone = "Europe/London"

func sessions() []Session {
	return []Session{
		{Group: "coming-out", Title: "Drop-in circle", Now: true, Duration: 3 * time.Hour, Recurrence: kindred.RecurNone,
			Agenda: "An open drop-in while the demo runs: say hello, share a small win, or just read along.\n\n" +
				"1. Check-in round (a word or an emoji is fine)\n2. Open sharing\n3. One thing you'll take with you",
			Chat: []ChatLine{
				{"priya_lights", "Welcome, everyone. The agreements are pinned above — your pace, your choice. Say hi whenever you're ready 🌈"},
				{"kwame_tide", "Hi all. Small win: I told my sister this weekend and she just said \"ok, pass the salt\". Best reaction ever."},
				{"mei_spades", "That's brilliant, Kwame. Just reading along tonight."},
				{"priya_lights", "Reading along is perfect. Kwame, how did it feel afterwards?"},
				{"kwame_tide", "Lighter. Weird how much you carry without noticing."},
			}},
		{Group: "coming-out", Title: "Tuesday evening circle", Weekday: time.Tuesday, Clock: "18:30", Duration: 90 * time.Minute,
			Recurrence: kindred.RecurWeekly, Capacity: 12,
			Agenda: "1. Arrivals and check-in\n2. Theme of the week: the conversations we're rehearsing\n3. Open sharing\n4. Closing round"},
		{Group: "trans-nonbinary-circle", Title: "Fortnightly peer circle", Weekday: time.Thursday, Clock: "19:00", Duration: time.Hour,
			Recurrence: kindred.RecurFortnightly,
			Agenda:     "A relaxed circle for trans, nonbinary and questioning members. Names and pronouns round first; no one has to explain themselves."},
		{Group: "parents-and-families", Title: "Monthly family evening", Weekday: time.Wednesday, Clock: "19:30", Duration: 2 * time.Hour,
			Recurrence: kindred.RecurMonthly, Capacity: 20,
			Agenda: "For parents, carers and siblings. A short talk from a member, then small-group conversation."},
	}
}

func conversations() []Conversation {
	return []Conversation{
		{A: "alex_demo", B: "mei_spades", Lines: []ChatLine{
			{"mei_spades", "Hey Alex! Loved your reply in the coming out group about the group chat."},
			{"alex_demo", "Thank you 😊 still nervous about the family dinner next week though."},
			{"mei_spades", "Want to practise what you might say? Sometimes saying it out loud to someone helps."},
		}},
	}
}
