package main

import (
	"cmp"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"kindred/internal/web"
)

// startCeiling starts the ceiling server as a child process.
func (e *env) startCeiling(ctx context.Context) (*target, error) {
	addr, err := freeAddr()
	if err != nil {
		return nil, err
	}
	srv, err := startServer(ctx, "ceiling", addr, filepath.Join(e.dir, "ceiling.log"),
		[]string{e.self, "serve-ceiling", "-addr", addr})
	if err != nil {
		return nil, err
	}
	rooms := e.cfg.rooms()
	return &target{name: "ceiling", servers: []*server{srv},
		url: func(i int) string {
			return "ws://" + addr + "/ws?room=" + strconv.Itoa(roomOf(i, rooms))
		},
		header: func(int) http.Header { return nil },
	}, nil
}

// startKindred starts nodes Kindred servers on one database; with more
// than one they share live rooms through NATS. Client i connects to node
// (i / rooms) % nodes: its place in its room, so every room is split
// between the nodes.
func (e *env) startKindred(ctx context.Context, name, databaseURL string, nodes int, fx *fixture) (*target, error) {
	t := &target{name: name}
	if strings.HasPrefix(databaseURL, "postgres") {
		t.services = append(t.services, "postgres")
	}
	if nodes > 1 {
		t.services = append(t.services, "nats-server")
	}
	addrs := make([]string, nodes)
	for j := range nodes {
		addr, err := freeAddr()
		if err != nil {
			t.stop()
			return nil, err
		}
		node := name
		if nodes > 1 {
			node = fmt.Sprintf("%s-node%d", name, j+1)
		}
		argv := []string{e.kindred, "serve", "--addr", addr, "--database", databaseURL,
			"--data", filepath.Join(e.dir, "data-"+node)}
		if nodes > 1 {
			argv = append(argv, "--nats", e.cfg.nats)
		}
		srv, err := startServer(ctx, node, addr, filepath.Join(e.dir, node+".log"), argv)
		if err != nil {
			t.stop()
			return nil, err
		}
		t.servers = append(t.servers, srv)
		addrs[j] = addr
	}
	rooms := len(fx.Rooms)
	t.url = func(i int) string {
		return "ws://" + addrs[(i/rooms)%nodes] + web.LivePath + "?room=" + url.QueryEscape(fx.Rooms[roomOf(i, rooms)])
	}
	t.header = func(i int) http.Header {
		return http.Header{"Cookie": {web.SessionCookie + "=" + fx.Secrets[i]}}
	}
	return t, nil
}

func (t *target) stop() {
	for _, s := range t.servers {
		s.stop()
	}
}

// measure starts a target, runs the load against it and stops it.
func (e *env) measure(ctx context.Context, start func() (*target, error)) (*result, error) {
	t, err := start()
	if err != nil {
		return nil, err
	}
	e.progress("%s: started (%s)", t.name, serverList(t))
	res, err := runPhase(ctx, t, e.cfg.loadParams)
	t.stop()
	// Closing thousands of connections keeps the kernel busy for a moment;
	// let it finish before the next target is measured.
	time.Sleep(2 * time.Second)
	return res, err
}

func serverList(t *target) string {
	var parts []string
	for _, s := range t.servers {
		parts = append(parts, fmt.Sprintf("%s pid %d at %s", s.name, s.cmd.Process.Pid, s.addr))
	}
	return strings.Join(parts, ", ")
}

// runSingle: the ceiling, then one Kindred node on SQLite, with the same
// load (broadcast) or the same idle connections (idle).
func runSingle(ctx context.Context, cfg *config, e *env) (*report, error) {
	dbPath := filepath.Join(e.dir, "kindred.db")
	fx, err := e.sqliteDB(ctx, dbPath)
	if err != nil {
		return nil, err
	}
	ceiling, err := e.measure(ctx, func() (*target, error) { return e.startCeiling(ctx) })
	if err != nil {
		return nil, err
	}
	kin, err := e.measure(ctx, func() (*target, error) {
		return e.startKindred(ctx, "kindred", "sqlite://"+dbPath, 1, fx)
	})
	if err != nil {
		return nil, err
	}
	return &report{cfg: cfg, database: "SQLite (synchronous=FULL)", results: []*result{ceiling, kin}}, nil
}

// runTwoNode: the ceiling, then one Kindred node on PostgreSQL and two
// nodes on the same database sharing rooms through NATS, measured -runs
// times each, alternately, so that a slow spell of the machine's disk
// falls on both. The report shows each one's median run by p99.
func runTwoNode(ctx context.Context, cfg *config, e *env) (*report, error) {
	dbURL, drop, err := e.postgresDB(ctx)
	if err != nil {
		return nil, err
	}
	defer drop()
	e.progress("seeding %d clients into PostgreSQL", cfg.clients)
	fx, err := e.seedStore(ctx, dbURL)
	if err != nil {
		return nil, err
	}
	ceiling, err := e.measure(ctx, func() (*target, error) { return e.startCeiling(ctx) })
	if err != nil {
		return nil, err
	}
	var ones, twos []*result
	for range cfg.runs {
		one, err := e.measure(ctx, func() (*target, error) {
			return e.startKindred(ctx, "kindred-1node", dbURL, 1, fx)
		})
		if err != nil {
			return nil, err
		}
		two, err := e.measure(ctx, func() (*target, error) {
			return e.startKindred(ctx, "kindred-2nodes", dbURL, 2, fx)
		})
		if err != nil {
			return nil, err
		}
		ones, twos = append(ones, one), append(twos, two)
	}
	return &report{cfg: cfg, database: "PostgreSQL (one node: in-process broker; two nodes: NATS)",
		results: []*result{ceiling, medianRun(ones), medianRun(twos)}, runs: [][]*result{ones, twos}}, nil
}

// medianRun is the run with the median p99 (the lower middle one for an
// even count).
func medianRun(runs []*result) *result {
	sorted := slices.Clone(runs)
	slices.SortStableFunc(sorted, func(a, b *result) int { return cmp.Compare(a.lat.P99, b.lat.P99) })
	return sorted[(len(sorted)-1)/2]
}
