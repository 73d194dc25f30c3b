package main

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"strconv"
	"time"
)

// marker is what a load message carries in its body and what receivers
// read back: the phase it belongs to (so that history from an earlier
// phase in the same room is told apart), when it was meant to be sent, who
// sent it and its number in the phase.
//
// T is nanoseconds since the tool started, on the monotonic clock, rather
// than a Unix time: sender and receivers share the process, and a wall
// clock step during a run must not show up as latency.
type marker struct {
	Run    uint32
	T      int64
	Sender int
	Seq    int
}

const markerPrefix = "lb r="

// appendMarker writes the marker as Markdown that renders to one plain
// paragraph ("lb r=7 t=123 id=4-56"), so it survives Kindred's rendering
// and JSON escaping unchanged.
func appendMarker(b []byte, m marker) []byte {
	b = append(b, markerPrefix...)
	b = strconv.AppendUint(b, uint64(m.Run), 10)
	b = append(b, " t="...)
	b = strconv.AppendInt(b, m.T, 10)
	b = append(b, " id="...)
	b = strconv.AppendInt(b, int64(m.Sender), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(m.Seq), 10)
	return b
}

// sendFrame is the frame a client sends: Kindred's send frame, which the
// ceiling server echoes as it is. The nonce is "<run>-<seq>": Kindred
// stores a nonce once per author and room and acknowledges a repeat
// without delivering it again, so nonces must not repeat across phases
// that share a database.
func sendFrame(m marker) []byte {
	b := make([]byte, 0, 112)
	b = append(b, `{"type":"send","body":"`...)
	b = appendMarker(b, m)
	b = append(b, `","nonce":"`...)
	b = strconv.AppendUint(b, uint64(m.Run), 10)
	b = append(b, '-')
	b = strconv.AppendInt(b, int64(m.Seq), 10)
	b = append(b, `"}`...)
	return b
}

// parseNonce reads the run and message number back from the nonce of a
// frame (Kindred's ack echoes it).
func parseNonce(frame []byte) (run uint32, seq int, ok bool) {
	const key = `"nonce":"`
	i := bytes.Index(frame, []byte(key))
	if i < 0 {
		return 0, 0, false
	}
	r, rest, ok := digits(frame[i+len(key):])
	if !ok || r > 1<<32-1 {
		return 0, 0, false
	}
	rest, ok = bytes.CutPrefix(rest, []byte("-"))
	if !ok {
		return 0, 0, false
	}
	k, rest, ok := digits(rest)
	if !ok || !bytes.HasPrefix(rest, []byte(`"`)) {
		return 0, 0, false
	}
	return uint32(r), int(k), true
}

// parseMarker finds a marker anywhere in a frame. It does not decode the
// JSON: at tens of thousands of frames a second the load tool shares the
// machine with the server it measures, so it should cost little.
func parseMarker(frame []byte) (marker, bool) {
	var m marker
	i := bytes.Index(frame, []byte(markerPrefix))
	if i < 0 {
		return m, false
	}
	rest := frame[i+len(markerPrefix):]
	run, rest, ok := digits(rest)
	if !ok || run > 1<<32-1 {
		return m, false
	}
	rest, ok = bytes.CutPrefix(rest, []byte(" t="))
	if !ok {
		return m, false
	}
	t, rest, ok := digits(rest)
	if !ok {
		return m, false
	}
	rest, ok = bytes.CutPrefix(rest, []byte(" id="))
	if !ok {
		return m, false
	}
	sender, rest, ok := digits(rest)
	if !ok {
		return m, false
	}
	rest, ok = bytes.CutPrefix(rest, []byte("-"))
	if !ok {
		return m, false
	}
	seq, _, ok := digits(rest)
	if !ok {
		return m, false
	}
	return marker{Run: uint32(run), T: int64(t), Sender: int(sender), Seq: int(seq)}, true
}

// digits reads a non-negative decimal number of at most 18 digits.
func digits(b []byte) (n uint64, rest []byte, ok bool) {
	i := 0
	for i < len(b) && i < 18 && b[i] >= '0' && b[i] <= '9' {
		n = n*10 + uint64(b[i]-'0')
		i++
	}
	if i == 0 || (i < len(b) && b[i] >= '0' && b[i] <= '9') {
		return 0, b, false
	}
	return n, b[i:], true
}

// frameType returns a frame's "type". Kindred and the ceiling both write
// it first, which the fast path relies on; anything else is decoded.
func frameType(frame []byte) string {
	const prefix = `{"type":"`
	if rest, ok := bytes.CutPrefix(frame, []byte(prefix)); ok {
		if end := bytes.IndexByte(rest, '"'); end >= 0 {
			return string(rest[:end])
		}
	}
	var f struct {
		Type string `json:"type"`
	}
	if json.Unmarshal(frame, &f) != nil {
		return ""
	}
	return f.Type
}

// bitset records which messages a receiver has seen.
type bitset []uint64

func newBitset(n int) bitset { return make(bitset, (n+63)/64) }

// set marks i and reports whether it was already marked. Numbers beyond the
// set's size report true, as something no sender sent.
func (b bitset) set(i int) (already bool) {
	if i < 0 || i/64 >= len(b) {
		return true
	}
	w, bit := i/64, uint64(1)<<(i%64)
	already = b[w]&bit != 0
	b[w] |= bit
	return already
}

// latencies summarizes latency samples.
type latencies struct {
	N                   int
	P50, P90, P99, P999 time.Duration
	Max                 time.Duration
}

// summarize sorts samples (nanoseconds) in place and returns their
// percentiles.
func summarize(samples []int64) latencies {
	slices.Sort(samples)
	if len(samples) == 0 {
		return latencies{}
	}
	return latencies{N: len(samples), P50: percentile(samples, 50), P90: percentile(samples, 90),
		P99: percentile(samples, 99), P999: percentile(samples, 99.9), Max: time.Duration(samples[len(samples)-1])}
}

// percentile returns the nearest-rank percentile p (0 < p ≤ 100) of sorted
// samples: the smallest sample such that at least p% of samples are at or
// below it.
func percentile(sorted []int64, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	// The small slack keeps p·n/100 that is whole in decimal (99.9% of
	// 1000) from rounding up to the next rank in binary floating point.
	rank := int(math.Ceil(p*float64(len(sorted))/100 - 1e-9))
	rank = max(1, min(rank, len(sorted)))
	return time.Duration(sorted[rank-1])
}
