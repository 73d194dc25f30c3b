package training

import (
	"slices"
	"strings"
	"testing"
	"time"

	"kindred"
)

func TestStarterCourse(t *testing.T) {
	draft, mods := Starter()
	if err := draft.Validate(); err != nil {
		t.Fatalf("course draft: %v", err)
	}
	if draft.Title != "Peer supporter foundations" || draft.Slug != "foundations" || !draft.Published ||
		draft.ValidFor != 365*24*time.Hour || strings.TrimSpace(draft.Summary) == "" {
		t.Errorf("course draft %+v", draft)
	}
	if len(mods) != len(kindred.Competencies) {
		t.Fatalf("%d modules, want one per competency (%d)", len(mods), len(kindred.Competencies))
	}
	titles := map[string]bool{}
	for i := range mods {
		m := &mods[i]
		if m.Competency != kindred.Competencies[i] {
			t.Errorf("module %d teaches %q, want %q", i+1, m.Competency, kindred.Competencies[i])
		}
		if m.Position != i+1 {
			t.Errorf("module %d has position %d", i+1, m.Position)
		}
		if err := m.Validate(); err != nil {
			t.Errorf("module %d (%s): %v", i+1, m.Title, err)
			continue
		}
		if titles[m.Title] {
			t.Errorf("module title %q twice", m.Title)
		}
		titles[m.Title] = true
		if len(m.Body) > kindred.MaxModuleBody {
			t.Errorf("module %d body is %d bytes, over the limit", i+1, len(m.Body))
		}
		if w := len(strings.Fields(m.Body)); w < 300 || w > 650 {
			t.Errorf("module %d body has %d words; aim for about 350 to 600", i+1, w)
		}
		if !strings.Contains(m.Body, "\n## ") && !strings.HasPrefix(m.Body, "## ") {
			t.Errorf("module %d body has no headings", i+1)
		}
		if len(m.Questions) != 3 || len(m.Scenarios) != 1 {
			t.Errorf("module %d has %d questions and %d scenarios, want 3 and 1", i+1, len(m.Questions), len(m.Scenarios))
		}
		if m.PassMark != starterPassMark {
			t.Errorf("module %d pass mark %d", i+1, m.PassMark)
		}
		ids := map[string]bool{}
		multiple := false
		for _, q := range m.Questions {
			if ids[q.ID] {
				t.Errorf("module %d: id %q twice", i+1, q.ID)
			}
			ids[q.ID] = true
			multiple = multiple || q.Multiple
			if strings.TrimSpace(q.Explanation) == "" || len(q.Explanation) > kindred.MaxExplanation {
				t.Errorf("module %d question %s needs an explanation (up to %d bytes)", i+1, q.ID, kindred.MaxExplanation)
			}
			if len(q.Choices) < 3 {
				t.Errorf("module %d question %s has only %d choices", i+1, q.ID, len(q.Choices))
			}
			if slices.IndexFunc(q.Choices, func(c kindred.Choice) bool { return !c.Correct }) < 0 {
				t.Errorf("module %d question %s has no wrong answer", i+1, q.ID)
			}
		}
		if !multiple {
			t.Errorf("module %d has no multiple-choice question", i+1)
		}
		for _, sc := range m.Scenarios {
			if ids[sc.ID] {
				t.Errorf("module %d: id %q twice", i+1, sc.ID)
			}
			ids[sc.ID] = true
			if n := len(sc.Reflections); n < 2 || n > 3 {
				t.Errorf("module %d scenario %s has %d reflections, want 2 or 3", i+1, sc.ID, n)
			}
		}
	}
}

func TestStarterScore(t *testing.T) {
	_, mods := Starter()
	for i := range mods {
		m := &mods[i]
		correct, allWrong := map[string][]int{}, map[string][]int{}
		for _, q := range m.Questions {
			for j, c := range q.Choices {
				if c.Correct {
					correct[q.ID] = append(correct[q.ID], j)
				} else {
					allWrong[q.ID] = append(allWrong[q.ID], j)
				}
			}
		}
		if right, passed := m.Score(correct); right != len(m.Questions) || !passed {
			t.Errorf("module %d: correct answers score %d, passed %v", i+1, right, passed)
		}
		if right, passed := m.Score(allWrong); right != 0 || passed {
			t.Errorf("module %d: wrong answers score %d, passed %v", i+1, right, passed)
		}
		if right, passed := m.Score(nil); right != 0 || passed {
			t.Errorf("module %d: no answers score %d, passed %v", i+1, right, passed)
		}
		// One slip is allowed: two right out of three passes, one does not.
		slip := map[string][]int{}
		for k, v := range correct {
			slip[k] = v
		}
		slip[m.Questions[0].ID] = allWrong[m.Questions[0].ID]
		if right, passed := m.Score(slip); right != 2 || !passed {
			t.Errorf("module %d: two right scores %d, passed %v; want a pass", i+1, right, passed)
		}
		slip[m.Questions[1].ID] = allWrong[m.Questions[1].ID]
		if right, passed := m.Score(slip); right != 1 || passed {
			t.Errorf("module %d: one right scores %d, passed %v; want a fail", i+1, right, passed)
		}
	}
}

func TestStarterIsFresh(t *testing.T) {
	_, a := Starter()
	a[0].Questions[0].Choices[0].Text = "changed"
	a[0].Title = "changed"
	_, b := Starter()
	if b[0].Title == "changed" || b[0].Questions[0].Choices[0].Text == "changed" {
		t.Error("Starter shares its values between calls")
	}
}
