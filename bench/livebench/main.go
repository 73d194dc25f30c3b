// Command livebench loads Kindred's live chat the way a busy evening
// would, and measures the same load against a minimal broadcast server
// (the "ceiling") in the same run, so every figure can be read as a ratio
// against what this machine can do at all.
//
//	go run ./bench/livebench [broadcast] [flags]   N clients in rooms, sending at a target rate
//	go run ./bench/livebench idle [flags]          N idle connections: server memory per connection
//	go run ./bench/livebench twonode [flags]       broadcast on two nodes (PostgreSQL + NATS) vs one
//
// Every server runs as a child process: Kindred is built from this module
// and started with `kindred serve`, the ceiling is this program re-executed
// with the hidden subcommand serve-ceiling. See bench/README.md.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	switch {
	case err == nil, errors.Is(err, flag.ErrHelp):
	case errors.Is(err, errMissed):
		os.Exit(1)
	default:
		fmt.Fprintln(os.Stderr, "livebench:", err)
		os.Exit(2)
	}
}

// errMissed is returned with -strict when Kindred missed a target.
var errMissed = errors.New("targets missed")

const usage = `livebench: load Kindred's live chat and compare it with a minimal broadcast server.

Usage:
  go run ./bench/livebench [broadcast] [flags]   clients in rooms sending at a target rate
  go run ./bench/livebench idle [flags]          idle connections: server memory per connection
  go run ./bench/livebench twonode [flags]       broadcast on two Kindred nodes (PostgreSQL + NATS)

Run "go run ./bench/livebench <scenario> -h" for the flags.
`

// config is a scenario and its flags.
type config struct {
	scenario string
	args     []string
	loadParams
	kindredBin string
	postgres   string
	nats       string
	cacheDir   string
	reseed     bool
	runs       int // twonode: how many times each of one and two nodes is measured
	keep       bool
	strict     bool
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	scenario := "broadcast"
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		scenario, args = args[0], args[1:]
	}
	switch scenario {
	case "serve-ceiling":
		return serveCeiling(ctx, args, stderr)
	case "broadcast", "idle", "twonode":
	case "help":
		fmt.Fprint(stdout, usage)
		return nil
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown scenario %q", scenario)
	}
	cfg, err := parseFlags(scenario, args, stderr)
	if err != nil {
		return err
	}
	if err := raiseFileLimit(); err != nil {
		return err
	}
	e, err := newEnv(ctx, cfg, stderr)
	if err != nil {
		return err
	}
	defer e.cleanup()
	printHeader(stdout, cfg, e)
	var rep *report
	switch scenario {
	case "broadcast", "idle":
		rep, err = runSingle(ctx, cfg, e)
	case "twonode":
		rep, err = runTwoNode(ctx, cfg, e)
	}
	if err != nil {
		return err
	}
	rep.print(stdout)
	if cfg.strict && !rep.passed() {
		return errMissed
	}
	return nil
}

func parseFlags(scenario string, args []string, stderr io.Writer) (*config, error) {
	cfg := &config{scenario: scenario, args: args}
	fs := flag.NewFlagSet(scenario, flag.ContinueOnError)
	fs.SetOutput(stderr)
	clients, settle := 1000, 2*time.Second
	if scenario == "idle" {
		clients, settle = 10_000, 5*time.Second
	}
	fs.IntVar(&cfg.clients, "clients", clients, "WebSocket clients")
	fs.IntVar(&cfg.roomSize, "room-size", 100, "clients per room")
	if scenario != "idle" {
		fs.Float64Var(&cfg.rate, "rate", 300, "messages per second sent, all senders together (each is delivered to the whole room)")
		fs.IntVar(&cfg.senders, "senders", 0, "clients that send, round-robin (0: all)")
		fs.DurationVar(&cfg.warmup, "warmup", 3*time.Second, "sending before measuring")
		fs.DurationVar(&cfg.duration, "duration", 20*time.Second, "measured sending time")
		fs.DurationVar(&cfg.drainQuiet, "drain-quiet", 2*time.Second, "after sending, wait until deliveries stop this long")
		fs.DurationVar(&cfg.drainTimeout, "drain-timeout", time.Minute, "give up draining after this long")
	}
	fs.DurationVar(&cfg.settle, "settle", settle, "wait after everyone is ready before measuring")
	fs.IntVar(&cfg.dialConcurrency, "dial-concurrency", 50, "WebSocket handshakes in flight at once")
	fs.StringVar(&cfg.kindredBin, "kindred", "", "a kindred binary to test (default: build ./cmd/kindred from this module)")
	if scenario == "twonode" {
		fs.StringVar(&cfg.postgres, "postgres", "postgres://postgres@127.0.0.1:5432/test?sslmode=disable",
			"PostgreSQL server to create a throwaway database on (the URL's database is only used to connect)")
		fs.StringVar(&cfg.nats, "nats", "nats://127.0.0.1:4222", "NATS server the two nodes share")
		fs.IntVar(&cfg.runs, "runs", 3, "measure one node and two nodes this many times each, alternately, and compare the median runs (p99 moves by tens of ms between identical runs on a VM's disk)")
	}
	fs.StringVar(&cfg.cacheDir, "cache", "", "where seeded SQLite databases are kept between runs (default: <temp>/kindred-livebench)")
	fs.BoolVar(&cfg.reseed, "reseed", false, "seed the database afresh instead of using a cached one")
	fs.BoolVar(&cfg.keep, "keep", false, "keep the run's directory (server logs, database) and print where it is")
	fs.BoolVar(&cfg.strict, "strict", false, "exit with status 1 when Kindred misses a target (default: report only)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	switch {
	case cfg.clients < 1 || cfg.roomSize < 1:
		return nil, errors.New("-clients and -room-size must be at least 1")
	case scenario == "twonode" && cfg.runs < 1:
		return nil, errors.New("-runs must be at least 1")
	case cfg.dialConcurrency < 1:
		return nil, errors.New("-dial-concurrency must be at least 1")
	case scenario != "idle" && (cfg.rate <= 0 || cfg.duration <= 0 || cfg.warmup < 0):
		return nil, errors.New("-rate and -duration must be positive")
	}
	if cfg.cacheDir == "" {
		cfg.cacheDir = filepath.Join(os.TempDir(), "kindred-livebench")
	}
	return cfg, nil
}

// raiseFileLimit lifts the soft limit on open files to the hard limit:
// every connection is a descriptor in the tool, and thousands are needed.
func raiseFileLimit() error {
	var lim syscall.Rlimit
	if err := syscall.Getrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
		return fmt.Errorf("open file limit: %w", err)
	}
	if lim.Cur < lim.Max {
		lim.Cur = lim.Max
		if err := syscall.Setrlimit(syscall.RLIMIT_NOFILE, &lim); err != nil {
			return fmt.Errorf("raise open file limit: %w", err)
		}
	}
	return nil
}
