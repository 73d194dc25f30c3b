package kindred

import (
	"strings"
	"testing"
)

func TestTopicSetMatches(t *testing.T) {
	ts := NewTopicSet([]string{"Self-harm", "family rejection", "  ", "ED"})
	tests := []struct {
		cw   string
		want bool
	}{
		{"self-harm", true},
		{"SELF HARM", true},
		{"mentions of self_harm, suicide", true},
		{"suicide; self-harm.", true},
		{"harm", false},         // part of a topic is not the topic
		{"self-harmony", false}, // a topic is matched as whole words
		{"selfharm", false},     // …and a different word is different
		{"Family rejection (mum)", true},
		{"rejection by family", false},
		{"ED recovery", true},
		{"edited", false},
		{"", false},
	}
	for _, tc := range tests {
		if got := ts.Matches(tc.cw); got != tc.want {
			t.Errorf("Matches(%q) = %v, want %v", tc.cw, got, tc.want)
		}
	}
	if NewTopicSet(nil).Matches("self-harm") {
		t.Error("an empty set matched")
	}
	if !NewTopicSet([]string{"Ümlaut"}).Matches("über ümlaut") {
		t.Error("letters beyond ASCII are matched case-insensitively")
	}
}

func TestNormalizeHiddenTopics(t *testing.T) {
	got, err := NormalizeHiddenTopics([]string{" self-harm ", "Self harm", "family   rejection", "", "  "})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Join(got, "|") != "self-harm|family rejection" {
		t.Errorf("got %q", got)
	}
	_, err = NormalizeHiddenTopics([]string{strings.Repeat("é", MaxHiddenTopicLen+1)})
	if ErrorCode(err) != EINVALID || ErrorFields(err)["topics"] == "" {
		t.Errorf("too long: %v", err)
	}
	many := make([]string, MaxHiddenTopics+1)
	for i := range many {
		many[i] = "topic " + strings.Repeat("x", i+1)
	}
	if _, err := NormalizeHiddenTopics(many); ErrorCode(err) != EINVALID {
		t.Errorf("too many: %v", err)
	}
	if _, err := NormalizeHiddenTopics(many[:MaxHiddenTopics]); err != nil {
		t.Errorf("exactly the most: %v", err)
	}
}
