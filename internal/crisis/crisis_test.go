package crisis

import (
	"slices"
	"strings"
	"testing"
)

func TestScanDefaultPhrases(t *testing.T) {
	d := NewDetector(DefaultPhrases())
	cases := []struct {
		text   string
		hit    bool
		locale string // when hit
	}{
		// English hits.
		{"I want to kill myself", true, "en"},
		{"i WANT to KILL MYSELF!!!", true, "en"},
		{"kill\nmyself", true, "en"},
		{"kill   \t myself", true, "en"},
		{"kill... myself", true, "en"},
		{"i wanna die", true, "en"},
		{"I want to die", true, "en"},
		{"i want to dieeee", true, "en"},
		{"gonna killll myself", true, "en"},
		{"ugh kms", true, "en"},
		{"honestly KMS rn", true, "en"},
		{"I don't want to live", true, "en"},
		{"I don’t want to live like this", true, "en"}, // curly apostrophe
		{"I dont want to be here anymore", true, "en"},
		{"I do not want to be alive", true, "en"},
		{"everyone would be better off without me", true, "en"},
		{"there's no reason to live", true, "en"},
		{"I've been thinking about suicide", true, "en"},
		{"I feel suicidal", true, "en"},
		{"I'm scared I'll hurt myself tonight", true, "en"},
		{"I started cutting myself again", true, "en"},
		{"I self-harm", true, "en"},
		{"self\u00a0harm", true, "en"}, // no-break space
		{"#killmyself", true, "en"},
		{"I'm not safe at home", true, "en"},
		{"my parents kicked me out", true, "en"},
		{"I just want to end it all.", true, "en"},
		{"I'm going to take all my pills", true, "en"},
		{"ｋｉｌｌ ｍｙｓｅｌｆ", true, "en"}, // full-width letters
		// Negation is not understood, on purpose: a kind false alarm.
		{"I don't want to die", true, "en"},
		{"I'm not suicidal, just tired", true, "en"},

		// English misses.
		{"", false, ""},
		{"I have the skill myself", false, ""},
		{"she killed it at the show, I'm so proud", false, ""},
		{"I'm dying to see the new film", false, ""},
		{"I'd die for pizza", false, ""},
		{"the killing floor; myself, I'd rather not", false, ""}, // words between: no phrase
		{"#selfharm", true, "en"},
		{"kmsl that was so funny", false, ""},
		{"I feel safe at home now", false, ""},
		{"my mom is ok with me being bi", false, ""},
		{"want to diet", false, ""},
		{"I skilled myself up", false, ""},

		// Spanish hits.
		{"quiero morir", true, "es"},
		{"Me quiero morir", true, "es"},
		{"ya no quiero vivir", true, "es"},
		{"A veces pienso en suicidarme", true, "es"},
		{"me voy a suicidar", true, "es"},
		{"quiero hacerme daño", true, "es"},
		{"quiero hacerme dano", true, "es"},
		{"QUIERO HACERME DAÑO", true, "es"},
		{"quiero hacerme dan\u0303o", true, "es"}, // decomposed ñ
		{"kiero morirme", true, "es"},
		{"mis padres me echaron de casa", true, "es"},
		{"no me siento segura en casa", true, "es"},
		{"estarían mejor sin mí", true, "es"},
		{"quiero\nacabar con todo", true, "es"},
		{"pienso en quitarme la vida", true, "es"},
		{"tengo autolesiones", true, "es"},
		{"me autolesiono cuando estoy mal", true, "es"},
		{"si se entera mi padre va a matarme", true, "es"}, // accepted, see phrases_es.go
		{"mi papá me golpea", true, "es"},

		// Spanish misses.
		{"me voy a cortar el pelo", false, ""},
		{"quiero cortarme el pelo", false, ""},
		{"morir de risa", false, ""},
		{"quiero vivir mi vida", false, ""},
		{"estoy bien en casa", false, ""},
		{"me gusta mi escuela", false, ""},
	}
	for _, c := range cases {
		r := d.Scan(c.text)
		if r.Hit != c.hit || r.Locale != c.locale {
			t.Errorf("Scan(%q) = %+v, want hit %v locale %q", c.text, r, c.hit, c.locale)
		}
		if r.Hit == (r.Phrase == "") {
			t.Errorf("Scan(%q) = %+v: a hit needs its phrase, a miss none", c.text, r)
		}
	}
}

func TestScanReportsEarliestLongest(t *testing.T) {
	d := NewDetector(map[string][]string{"en": {"want to die", "die", "want to die tonight"}})
	if r := d.Scan("I want to die tonight"); r.Phrase != "want to die tonight" {
		t.Errorf("got %q, want the longest phrase at the earliest start", r.Phrase)
	}
	if r := d.Scan("they die, I want to die"); r.Phrase != "die" {
		t.Errorf("got %q, want the earliest phrase", r.Phrase)
	}
}

func TestDetectorEdgeCases(t *testing.T) {
	var nilD *Detector
	if r := nilD.Scan("kill myself"); r.Hit {
		t.Error("a nil detector found something")
	}
	empty := NewDetector(nil)
	if r := empty.Scan("kill myself"); r.Hit || empty.Phrases() != 0 {
		t.Error("an empty detector found something")
	}
	d := NewDetector(map[string][]string{"en": {"", "  ", "!!!", "wanna die"}, "es": {"wanna die"}})
	if d.Phrases() != 2 {
		t.Errorf("Phrases() = %d, want 2 (blank phrases are skipped)", d.Phrases())
	}
	// The list's own contraction is expanded too; "en" sorts first.
	if r := d.Scan("I want to die"); !r.Hit || r.Locale != "en" || r.Phrase != "wanna die" {
		t.Errorf("got %+v", r)
	}
	// A long text is scanned to its end.
	long := strings.Repeat("a perfectly ordinary day ", 500) + "kill myself"
	if !NewDetector(DefaultPhrases()).Scan(long).Hit {
		t.Error("missed a phrase at the end of a long text")
	}
	// Long words and odd runes do not break the scan.
	odd := strings.Repeat("x", 300) + " \xff\xfe 🏳️‍🌈 " + strings.Repeat("é", 100) + " kms"
	if !NewDetector(DefaultPhrases()).Scan(odd).Hit {
		t.Error("missed a phrase after invalid UTF-8 and long words")
	}
}

func TestCrisisDefaultPhrasesCompile(t *testing.T) {
	lists := DefaultPhrases()
	if !slices.Equal(sortedKeys(lists), []string{"en", "es"}) {
		t.Fatalf("locales %v", sortedKeys(lists))
	}
	d := NewDetector(lists)
	total := 0
	for locale, list := range lists {
		if len(list) < 30 || len(list) > 60 {
			t.Errorf("%s has %d phrases; keep 30 to 60", locale, len(list))
		}
		total += len(list)
		seen := map[string]bool{}
		for i, p := range list {
			key := strings.Join(splitWords(p), " ")
			if key == "" || seen[key] {
				t.Errorf("%s phrase %q is empty or a duplicate", locale, p)
			}
			seen[key] = true
			// Every phrase finds itself.
			if r := d.Scan(p); !r.Hit || r.Phrase != p {
				t.Errorf("%s phrase %q scans as %+v", locale, p, r)
			}
			// No phrase is already covered by another of its list, which
			// would make it dead weight.
			others := slices.Concat(list[:i:i], list[i+1:])
			if r := NewDetector(map[string][]string{locale: others}).Scan(p); r.Hit {
				t.Errorf("%s phrase %q is already caught by %q", locale, p, r.Phrase)
			}
		}
	}
	if d.Phrases() != total {
		t.Errorf("Phrases() = %d, want %d", d.Phrases(), total)
	}
	// The defaults are copies.
	lists["en"][0] = "changed"
	if DefaultPhrases()["en"][0] == "changed" {
		t.Error("DefaultPhrases shares its slices")
	}
}

func TestCrisisDefaultResources(t *testing.T) {
	rs := DefaultResources()
	if len(rs) < 5 || !strings.HasPrefix(rs[0].Name, "Emergency") {
		t.Fatalf("want emergency services first, got %+v", rs[0])
	}
	names := map[string]bool{}
	for _, r := range rs {
		if r.Name == "" || r.Description == "" || (r.Phone == "" && r.Text == "") || r.Region == "" || r.Serves == "" {
			t.Errorf("incomplete resource %+v", r)
		}
		if names[r.Name] {
			t.Errorf("duplicate resource %q", r.Name)
		}
		names[r.Name] = true
	}
	for _, want := range []string{"The Trevor Project", "988 Suicide & Crisis Lifeline", "Trans Lifeline", "Samaritans", "Switchboard LGBT+ helpline", "Kids Help Phone"} {
		if !names[want] {
			t.Errorf("missing %s", want)
		}
	}
	rs[0].Name = "changed"
	if DefaultResources()[0].Name == "changed" {
		t.Error("DefaultResources shares its slice")
	}
}

func sortedKeys(m map[string][]string) []string {
	var ks []string
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

// benchText is about 2,000 characters of ordinary writing without a hit,
// so the scan runs to the end, with some accents to take the slow path.
var benchText = func() string {
	para := "Hi, I'm 16 and I came out to my best friend last week. She was kind about it but now I'm worried she'll tell people at school before I'm ready. My mum goes to church every Sunday and I don't know how she'd react. Sometimes I feel really alone in my town, there's nobody like me here. ¿Alguien más se siente así? "
	var b strings.Builder
	for b.Len() < 2000 {
		b.WriteString(para)
	}
	return b.String()[:2000]
}()

func BenchmarkScan(b *testing.B) {
	d := NewDetector(DefaultPhrases())
	if d.Scan(benchText).Hit {
		b.Fatal("the benchmark text should not hit")
	}
	b.SetBytes(int64(len(benchText)))
	b.ReportAllocs()
	for b.Loop() {
		d.Scan(benchText)
	}
}

func BenchmarkScanASCII(b *testing.B) {
	d := NewDetector(DefaultPhrases())
	text := strings.NewReplacer("¿", "").Replace(benchText)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		d.Scan(text)
	}
}

func BenchmarkNewDetector(b *testing.B) {
	lists := DefaultPhrases()
	b.ReportAllocs()
	for b.Loop() {
		NewDetector(lists)
	}
}
