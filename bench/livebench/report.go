package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"slices"
	"strings"
	"text/tabwriter"
	"time"
)

// The targets, for the default parameters on the 2-core machine.
const (
	targetRate         = 30_000   // deliveries per second
	targetP99Ratio     = 3.0      // Kindred p99 / ceiling p99
	targetIdleBytes    = 32 << 10 // server memory per idle connection
	targetTwoNodeDelta = 10 * time.Millisecond
	// rateTolerance: deliveries are counted in a window, and the messages
	// in flight at its two edges differ by a few hundred in 600,000, so an
	// achieved rate within 1% of the target passes.
	rateTolerance = 0.99
)

// busyWarning is how much CPU other processes may use (in cores) before
// the report warns that its figures are not the machine's.
const busyWarning = 0.1

// report is a scenario's results, the ceiling first.
type report struct {
	cfg      *config
	database string
	results  []*result
	runs     [][]*result // twonode: every run of one node and of two, when results holds their median runs
}

func printHeader(w io.Writer, cfg *config, e *env) {
	fmt.Fprintf(w, "command:  livebench %s %s\n", cfg.scenario, strings.Join(cfg.args, " "))
	fmt.Fprintf(w, "machine:  %s %s/%s, GOMAXPROCS %d, %d CPUs (%s), Linux %s, %s RAM\n",
		runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.GOMAXPROCS(0), runtime.NumCPU(),
		cpuModel(), kernel(), memTotal())
	fmt.Fprintf(w, "kindred:  %s (commit %s)\n", e.kindred, e.gitDescribe())
	p := cfg.loadParams
	fmt.Fprintf(w, "load:     %d clients in %d rooms of %d", p.clients, p.rooms(), p.roomSize)
	if cfg.scenario == "idle" {
		fmt.Fprintf(w, ", idle; settle %s\n", p.settle)
	} else {
		senders := p.clients
		if p.senders > 0 {
			senders = min(p.senders, p.clients)
		}
		fmt.Fprintf(w, "; %g messages/s from %d senders = %g deliveries/s offered; warm-up %s, measured %s\n",
			p.rate, senders, p.rate*float64(p.roomSize), p.warmup, p.duration)
	}
	fmt.Fprintln(w)
}

// print writes the table and the targets.
func (r *report) print(w io.Writer) {
	fmt.Fprintf(w, "database: %s\n\n", r.database)
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	ceiling, others := r.results[0], r.results[1:]
	head := []string{fmt.Sprintf("%-30s", "")}
	for _, res := range r.results {
		head = append(head, res.name)
	}
	for _, res := range others {
		head = append(head, res.name+"/ceiling")
	}
	// Cells are right-aligned; padding the labels to one width keeps them
	// left-aligned.
	row := func(label string, val func(*result) string, ratio func(*result) float64) {
		cells := []string{fmt.Sprintf("%-30s", label)}
		for _, res := range r.results {
			cells = append(cells, val(res))
		}
		for _, res := range others {
			if ratio == nil {
				cells = append(cells, "")
			} else {
				cells = append(cells, fmtRatio(ratio(res)))
			}
		}
		fmt.Fprintln(tw, strings.Join(cells, "\t")+"\t")
	}
	ratioOf := func(f func(*result) float64) func(*result) float64 {
		return func(res *result) float64 { return safeDiv(f(res), f(ceiling)) }
	}
	fmt.Fprintln(tw, strings.Join(head, "\t")+"\t")
	row("clients ready", func(res *result) string { return fmt.Sprintf("%d/%d", res.connected, res.clients) }, nil)
	row("connected in", func(res *result) string {
		return fmt.Sprintf("%.1f s", res.connectIn.Seconds())
	}, ratioOf(func(res *result) float64 { return res.connectIn.Seconds() }))
	if r.cfg.scenario == "idle" {
		row("server RSS before", func(res *result) string { return mib(res.rssBefore) }, nil)
		row("server RSS after", func(res *result) string { return mib(res.rssAfter) }, ratioOf(func(res *result) float64 { return float64(res.rssAfter) }))
		row("RSS per connection", func(res *result) string { return kib(perConn(res)) }, ratioOf(perConn))
		row("live heap after last GC", func(res *result) string { return mib(res.heapLive) }, ratioOf(func(res *result) float64 { return float64(res.heapLive) }))
		row("scannable stacks at last GC", func(res *result) string { return mib(res.stacks) }, ratioOf(func(res *result) float64 { return float64(res.stacks) }))
		row("GC cycles", func(res *result) string { return fmt.Sprint(res.gcs) }, nil)
		row("other processes (cores busy)", func(res *result) string { return fmt.Sprintf("%.2f", res.otherCPU) }, nil)
	} else {
		row("messages sent", func(res *result) string { return fmt.Sprint(res.sent) }, nil)
		row("messages rejected", func(res *result) string { return fmt.Sprint(res.rejectedTotal()) }, nil)
		row("delivered", func(res *result) string { return fmt.Sprint(res.delivered) }, nil)
		row("expected", func(res *result) string { return fmt.Sprint(res.expected) }, nil)
		row("lost", func(res *result) string { return fmt.Sprint(res.lost()) }, nil)
		row("duplicates", func(res *result) string { return fmt.Sprint(res.dups) }, nil)
		row("deliveries/s (measured)", func(res *result) string { return fmt.Sprintf("%.0f", res.rate()) },
			ratioOf((*result).rate))
		for _, q := range []struct {
			label string
			get   func(latencies) time.Duration
		}{
			{"latency p50", func(l latencies) time.Duration { return l.P50 }},
			{"latency p90", func(l latencies) time.Duration { return l.P90 }},
			{"latency p99", func(l latencies) time.Duration { return l.P99 }},
			{"latency p99.9", func(l latencies) time.Duration { return l.P999 }},
			{"latency max", func(l latencies) time.Duration { return l.Max }},
		} {
			row(q.label, func(res *result) string { return ms(q.get(res.lat)) },
				ratioOf(func(res *result) float64 { return float64(q.get(res.lat)) }))
		}
		row("latency samples", func(res *result) string { return fmt.Sprint(res.lat.N) }, nil)
		if r.results[1].ackLat.N > 0 {
			// Kindred acknowledges a message once it is stored: the time to
			// the ack is the sending path before fan-out.
			noAck := func(res *result, d time.Duration) string {
				if res.ackLat.N == 0 {
					return "–"
				}
				return ms(d)
			}
			row("ack latency p50 (store)", func(res *result) string { return noAck(res, res.ackLat.P50) }, nil)
			row("ack latency p99 (store)", func(res *result) string { return noAck(res, res.ackLat.P99) }, nil)
		}
		row("server CPU (cores busy)", func(res *result) string { return fmt.Sprintf("%.2f", res.serverCPU) },
			ratioOf(func(res *result) float64 { return res.serverCPU }))
		row("server CPU per delivery", func(res *result) string { return fmt.Sprintf("%.1f µs", cpuPerDelivery(res)) },
			ratioOf(cpuPerDelivery))
		if slices.ContainsFunc(r.results, func(res *result) bool { return res.servicesCPU > 0 }) {
			row("PostgreSQL+NATS CPU (cores)", func(res *result) string { return fmt.Sprintf("%.2f", res.servicesCPU) }, nil)
		}
		row("load tool CPU (cores busy)", func(res *result) string { return fmt.Sprintf("%.2f", res.toolCPU) }, nil)
		row("other processes (cores busy)", func(res *result) string { return fmt.Sprintf("%.2f", res.otherCPU) }, nil)
		row("server RSS peak", func(res *result) string { return mib(res.rssPeak) }, ratioOf(func(res *result) float64 { return float64(res.rssPeak) }))
		row("server RSS at end", func(res *result) string { return mib(res.rssAfter) }, ratioOf(func(res *result) float64 { return float64(res.rssAfter) }))
		row("live heap after last GC", func(res *result) string { return mib(res.heapLive) }, ratioOf(func(res *result) float64 { return float64(res.heapLive) }))
		row("GC cycles (whole run)", func(res *result) string { return fmt.Sprint(res.gcs) }, nil)
	}
	tw.Flush()
	problems := r.results
	if len(r.runs) > 0 {
		problems = []*result{ceiling}
		for _, runs := range r.runs {
			problems = append(problems, runs...)
		}
		r.printRuns(w)
	}
	for _, res := range problems {
		if p := res.problems(); p != "" {
			fmt.Fprintf(w, "\n%s: %s", res.name, p)
		}
	}
	fmt.Fprintln(w)
	fmt.Fprintln(w, "\ntargets:")
	for _, c := range r.checks() {
		mark := "PASS"
		if !c.ok {
			mark = "FAIL"
		}
		fmt.Fprintf(w, "  %s  %s: %s\n", mark, c.what, c.detail)
	}
	if r.cfg.clients != defaultClients(r.cfg.scenario) || r.cfg.roomSize != 100 ||
		(r.cfg.scenario != "idle" && r.cfg.rate != 300) {
		fmt.Fprintln(w, "  (the targets are set for the default clients, room size and rate)")
	}
}

func defaultClients(scenario string) int {
	if scenario == "idle" {
		return 10_000
	}
	return 1000
}

// problems lists what went wrong on the way, if anything.
func (res *result) problems() string {
	var p []string
	add := func(what string, m map[string]int) {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			p = append(p, fmt.Sprintf("%s %q ×%d", what, k, m[k]))
		}
	}
	add("connection failed:", res.dialErrs)
	add("connection ended by the server:", res.ended)
	add("rejected:", res.rejected)
	if res.notQueued > 0 {
		p = append(p, fmt.Sprintf("%d messages not sent: their sender's queue was full", res.notQueued))
	}
	if unanswered := res.sent - res.acks - res.rejectedTotal(); res.acks > 0 && unanswered > 0 {
		p = append(p, fmt.Sprintf("%d messages neither acknowledged nor rejected", unanswered))
	}
	if res.writeErrs > 0 {
		p = append(p, fmt.Sprintf("%d messages failed to write", res.writeErrs))
	}
	if res.misrouted > 0 {
		p = append(p, fmt.Sprintf("%d deliveries to the wrong room", res.misrouted))
	}
	if res.unknown > 0 {
		p = append(p, fmt.Sprintf("%d deliveries of messages never sent", res.unknown))
	}
	if other := max(res.otherBefore, res.otherCPU); other > busyWarning {
		p = append(p, fmt.Sprintf("other processes kept %.2f cores busy: figures from a shared machine are not the machine's", other))
	}
	if res.drainTimedOut {
		p = append(p, "deliveries had not stopped when draining timed out")
	}
	return strings.Join(p, "; ")
}

type check struct {
	ok     bool
	what   string
	detail string
}

func (r *report) passed() bool {
	for _, c := range r.checks() {
		if !c.ok {
			return false
		}
	}
	return true
}

// checks compares Kindred's figures with the targets.
func (r *report) checks() []check {
	ceiling := r.results[0]
	var cs []check
	complete := func(res *result) check {
		ended := 0
		for _, n := range res.ended {
			ended += n
		}
		ok := res.lost() == 0 && res.connected == res.clients && ended == 0 && res.notQueued == 0 && res.writeErrs == 0
		detail := fmt.Sprintf("%d of %d deliveries lost", res.lost(), res.expected)
		if res.connected != res.clients || ended > 0 {
			detail += fmt.Sprintf("; %d of %d clients ready, %d ended early", res.connected, res.clients, ended)
		}
		if n := res.notQueued + res.writeErrs; n > 0 {
			detail += fmt.Sprintf("; %d messages never sent", n)
		}
		return check{ok, res.name + " loses no messages", detail}
	}
	noDups := func(res *result) check {
		return check{res.dups == 0 && res.misrouted == 0 && res.unknown == 0, res.name + " delivers each message once",
			fmt.Sprintf("%d duplicates, %d to the wrong room", res.dups, res.misrouted)}
	}
	switch r.cfg.scenario {
	case "idle":
		k := r.results[1]
		per := perConn(k)
		cs = append(cs, check{k.connected == k.clients && per <= targetIdleBytes && per > 0,
			"server memory per idle connection ≤ 32 KiB",
			fmt.Sprintf("%s (RSS %s → %s over %d connections; ceiling %s)", kib(per), mib(k.rssBefore), mib(k.rssAfter), k.connected, kib(perConn(ceiling)))})
	case "broadcast":
		k := r.results[1]
		cs = append(cs, complete(k), noDups(k))
		limit := time.Duration(targetP99Ratio * float64(ceiling.lat.P99))
		cs = append(cs, check{k.lat.N > 0 && k.lat.P99 <= limit, "p99 ≤ 3× the ceiling's p99",
			fmt.Sprintf("%s vs 3 × %s = %s (%s)", ms(k.lat.P99), ms(ceiling.lat.P99), ms(limit), fmtRatio(safeDiv(float64(k.lat.P99), float64(ceiling.lat.P99))))})
		cs = append(cs, check{k.rate() >= rateTolerance*targetRate, "≥ 30,000 deliveries/s",
			fmt.Sprintf("%.0f/s in the measured window (counted as met from %.0f/s: the window's edges jitter)", k.rate(), rateTolerance*targetRate)})
	case "twonode":
		one, two := r.results[1], r.results[2]
		for _, runs := range r.runs {
			for i, res := range runs {
				c, d := complete(res), noDups(res)
				if len(runs) > 1 {
					c.what += fmt.Sprintf(" (run %d)", i+1)
					d.what += fmt.Sprintf(" (run %d)", i+1)
				}
				cs = append(cs, c, d)
			}
		}
		delta := two.lat.P99 - one.lat.P99
		detail := fmt.Sprintf("%s − %s = %+.2f ms", ms(two.lat.P99), ms(one.lat.P99), float64(delta)/1e6)
		// A run that did not keep up measures its queue, not its path: the
		// difference of two queues says nothing about the second node.
		offered := r.cfg.rate * float64(r.cfg.roomSize)
		keptUp := one.rate() >= rateTolerance*offered && two.rate() >= rateTolerance*offered
		if !keptUp {
			detail += fmt.Sprintf(" (not comparable: a run fell behind the offered %.0f deliveries/s)", offered)
		}
		cs = append(cs, check{keptUp && one.lat.N > 0 && two.lat.N > 0 && delta <= targetTwoNodeDelta,
			"two nodes add ≤ 10 ms to p99", detail})
	}
	return cs
}

func perConn(res *result) float64 {
	if res.connected == 0 {
		return 0
	}
	return float64(res.rssAfter-res.rssBefore) / float64(res.connected)
}

func cpuPerDelivery(res *result) float64 {
	if res.rate() == 0 {
		return 0
	}
	return res.serverCPU / res.rate() * 1e6
}

func safeDiv(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func fmtRatio(x float64) string {
	if x == 0 {
		return "–"
	}
	return fmt.Sprintf("%.2f×", x)
}

func ms(d time.Duration) string { return fmt.Sprintf("%.2f ms", float64(d)/1e6) }

func mib(b int64) string { return fmt.Sprintf("%.1f MiB", float64(b)/(1<<20)) }

func kib(b float64) string { return fmt.Sprintf("%.1f KiB", b/1024) }

func cpuModel() string {
	b, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "model name"); ok {
			return strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(v), ":"))
		}
	}
	return "unknown CPU"
}

func kernel() string {
	b, _ := os.ReadFile("/proc/sys/kernel/osrelease")
	return strings.TrimSpace(string(b))
}

func memTotal() string {
	b, _ := os.ReadFile("/proc/meminfo")
	for line := range strings.Lines(string(b)) {
		if v, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			var kb int64
			fmt.Sscanf(strings.TrimSpace(v), "%d", &kb)
			return fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	return "unknown"
}

// printRuns lists every run when the table shows median runs.
func (r *report) printRuns(w io.Writer) {
	if len(r.runs) == 0 || len(r.runs[0]) < 2 {
		return
	}
	fmt.Fprintf(w, "\nevery run, in the order measured (the table shows each one's median run by p99):\n")
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, fmt.Sprintf("%-20s", "")+"\trun\tp50\tp99\tack p99\tdeliveries/s\tlost\t")
	for i := range r.runs[0] {
		for _, runs := range r.runs {
			res := runs[i]
			fmt.Fprintf(tw, "%-20s\t%d\t%s\t%s\t%s\t%.0f\t%d\t\n", res.name, i+1,
				ms(res.lat.P50), ms(res.lat.P99), ms(res.ackLat.P99), res.rate(), res.lost())
		}
	}
	tw.Flush()
}
