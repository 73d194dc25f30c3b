package main

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

func TestMarkerRoundTrip(t *testing.T) {
	m := marker{Run: 4294967295, T: 1234567890123, Sender: 999, Seq: 6899}
	frame := sendFrame(m)
	var f struct{ Type, Body, Nonce string }
	if err := json.Unmarshal(frame, &f); err != nil {
		t.Fatalf("send frame is not JSON: %v: %s", err, frame)
	}
	if f.Type != "send" || f.Nonce != "4294967295-6899" || !strings.HasPrefix(f.Body, "lb r=") {
		t.Errorf("send frame = %s", frame)
	}
	got, ok := parseMarker(frame)
	if !ok || got != m {
		t.Errorf("parseMarker(%s) = %+v, %v; want %+v", frame, got, ok, m)
	}
	run, seq, ok := parseNonce(frame)
	if !ok || run != m.Run || seq != m.Seq {
		t.Errorf("parseNonce(%s) = %d, %d, %v; want %d, %d", frame, run, seq, ok, m.Run, m.Seq)
	}
}

func TestParseNonce(t *testing.T) {
	tests := []struct {
		frame    string
		run, seq int
		ok       bool
	}{
		{`{"type":"ack","nonce":"7-56","seq":9}`, 7, 56, true},
		{`{"type":"ack","seq":9}`, 0, 0, false},
		{`{"type":"ack","nonce":"56","seq":9}`, 0, 0, false},
		{`{"type":"ack","nonce":"7-56x","seq":9}`, 0, 0, false},
		{`{"type":"ack","nonce":"99999999999-1"}`, 0, 0, false},
	}
	for _, tt := range tests {
		run, seq, ok := parseNonce([]byte(tt.frame))
		if ok != tt.ok || int(run) != tt.run || seq != tt.seq {
			t.Errorf("parseNonce(%s) = %d, %d, %v; want %d, %d, %v", tt.frame, run, seq, ok, tt.run, tt.seq, tt.ok)
		}
	}
}

func TestParseMarker(t *testing.T) {
	want := marker{Run: 7, T: 123, Sender: 4, Seq: 56}
	tests := []struct {
		name  string
		frame string
		ok    bool
	}{
		// Kindred renders the body as Markdown and encoding/json escapes
		// the HTML's angle brackets.
		{"kindred message", `{"type":"message","seq":9,"id":"x","at":"2026-01-01T00:00:00Z","author":"lb4","n":3,"html":"\u003cp\u003elb r=7 t=123 id=4-56\u003c/p\u003e\n","nonce":"56"}`, true},
		{"ceiling echo", `{"type":"send","body":"lb r=7 t=123 id=4-56","nonce":"56"}`, true},
		{"no marker", `{"type":"message","html":"\u003cp\u003ehello\u003c/p\u003e"}`, false},
		{"ack", `{"type":"ack","nonce":"56","seq":9}`, false},
		{"cut short", `{"html":"lb r=7 t=123 id=4-"}`, false},
		{"missing time", `{"html":"lb r=7 id=4-56"}`, false},
		{"not a number", `{"html":"lb r=7 t=12x id=4-56"}`, false},
		{"run too big", `{"html":"lb r=99999999999 t=123 id=4-56"}`, false},
		{"too many digits", `{"html":"lb r=7 t=1234567890123456789012 id=4-56"}`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := parseMarker([]byte(tt.frame))
			if ok != tt.ok || (ok && got != want) {
				t.Errorf("parseMarker = %+v, %v; want %+v, %v", got, ok, want, tt.ok)
			}
		})
	}
}

func TestFrameType(t *testing.T) {
	tests := []struct{ frame, want string }{
		{`{"type":"ready","room":"r"}`, "ready"},
		{`{"type":"message","seq":1}`, "message"},
		{`{ "seq": 1, "type": "presence" }`, "presence"}, // not in Kindred's order: decoded
		{`not json`, ""},
		{`{"seq":1}`, ""},
	}
	for _, tt := range tests {
		if got := frameType([]byte(tt.frame)); got != tt.want {
			t.Errorf("frameType(%s) = %q, want %q", tt.frame, got, tt.want)
		}
	}
}

func TestPercentile(t *testing.T) {
	hundred := make([]int64, 100)
	for i := range hundred {
		hundred[i] = int64(i + 1) // 1…100
	}
	thousand := make([]int64, 1000)
	for i := range thousand {
		thousand[i] = int64(i + 1) // 1…1000
	}
	tests := []struct {
		name   string
		sorted []int64
		p      float64
		want   time.Duration
	}{
		{"empty", nil, 50, 0},
		{"one sample", []int64{7}, 99, 7},
		{"median of 100", hundred, 50, 50},
		{"p90 of 100", hundred, 90, 90},
		{"p99 of 100", hundred, 99, 99},
		{"p100 of 100", hundred, 100, 100},
		{"p99.9 of 1000 is whole", thousand, 99.9, 999},
		{"p99.9 of 100 rounds up", hundred, 99.9, 100},
		{"tiny p is the minimum", hundred, 0.001, 1},
		{"two samples, median", []int64{10, 20}, 50, 10},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := percentile(tt.sorted, tt.p); got != tt.want {
				t.Errorf("percentile(p%g) = %d, want %d", tt.p, got, tt.want)
			}
		})
	}
}

func TestSummarize(t *testing.T) {
	samples := []int64{5, 1, 4, 2, 3, 10, 9, 8, 7, 6} // sorted in place
	got := summarize(samples)
	want := latencies{N: 10, P50: 5, P90: 9, P99: 10, P999: 10, Max: 10}
	if got != want {
		t.Errorf("summarize = %+v, want %+v", got, want)
	}
	if samples[0] != 1 || samples[9] != 10 {
		t.Errorf("samples not sorted in place: %v", samples)
	}
	if (summarize(nil) != latencies{}) {
		t.Error("summarize(nil) is not zero")
	}
}

func TestBitset(t *testing.T) {
	b := newBitset(130)
	for _, i := range []int{0, 63, 64, 129} {
		if b.set(i) {
			t.Errorf("set(%d) the first time reported a duplicate", i)
		}
		if !b.set(i) {
			t.Errorf("set(%d) the second time did not report a duplicate", i)
		}
	}
	if b.set(1) {
		t.Error("set(1) reported a duplicate: bits leak between numbers")
	}
	if !b.set(-1) || !b.set(192) {
		t.Error("numbers outside the set are not reported")
	}
}

func TestRoomOfSpreadsClients(t *testing.T) {
	counts := map[int]int{}
	for i := range 1000 {
		counts[roomOf(i, 10)]++
	}
	for r := range 10 {
		if counts[r] != 100 {
			t.Errorf("room %d has %d clients, want 100", r, counts[r])
		}
	}
}
