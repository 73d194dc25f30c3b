// Command kindred runs Kindred, a self-hostable peer support platform for
// queer communities.
//
//	kindred serve [--demo] [--addr localhost:8080] [--data ./data] [--database postgres://…]
//	kindred migrate    apply database migrations and exit
//	kindred demo       seed the demo community and exit
//	kindred admin verify-audit   check the audit log's hash chain
//	kindred version
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"syscall"
	"time"

	"kindred"
	"kindred/internal/accounts"
	"kindred/internal/audit"
	"kindred/internal/blocks"
	"kindred/internal/broker"
	"kindred/internal/config"
	"kindred/internal/demo"
	"kindred/internal/groups"
	"kindred/internal/live"
	"kindred/internal/markup"
	"kindred/internal/moderation"
	"kindred/internal/orgs"
	"kindred/internal/privacy"
	"kindred/internal/safety"
	"kindred/internal/setup"
	"kindred/internal/sqlstore"
	"kindred/internal/support"
	"kindred/internal/training"
	"kindred/internal/uploads"
	"kindred/internal/web"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "kindred:", err)
		}
		os.Exit(1)
	}
}

const usage = `Kindred — peer support for queer communities.

Usage:
  kindred serve [flags]     run the server (add --demo for a demo community)
  kindred migrate [flags]   apply database migrations and exit
  kindred demo [flags]      seed the demo community and exit
  kindred admin verify-audit [flags]
                            check the audit log's hash chain
  kindred version           print the version

Run "kindred serve -h" for the flags.
`

func run(ctx context.Context, args []string, getenv func(string) string, _ io.Reader, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return errors.New("missing command")
	}
	cmd, rest := args[0], args[1:]
	switch cmd {
	case "version", "--version":
		fmt.Fprintln(stdout, "kindred", version())
		return nil
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
		return nil
	case "serve", "migrate", "demo":
	case "admin":
		return runAdmin(ctx, rest, getenv, stdout, stderr)
	default:
		fmt.Fprint(stderr, usage)
		return fmt.Errorf("unknown command %q", cmd)
	}
	cfg, fs, err := config.Parse(cmd, rest, getenv)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		fs.SetOutput(stderr)
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	switch cmd {
	case "migrate":
		fmt.Fprintf(stdout, "Migrations applied (%s).\n", store.Dialect())
		return nil
	case "demo":
		return seedDemo(ctx, store, cfg.SecretKey, stdout)
	}
	return serve(ctx, cfg, store, log, stdout)
}

func version() string {
	if bi, ok := debug.ReadBuildInfo(); ok && bi.Main.Version != "" && bi.Main.Version != "(devel)" {
		return bi.Main.Version
	}
	return "dev"
}

func newLogger(w io.Writer, level string) *slog.Logger {
	var l slog.Level
	_ = l.UnmarshalText([]byte(level))
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: l}))
}

func openStore(ctx context.Context, cfg *config.Config, log *slog.Logger) (*sqlstore.DB, error) {
	if !config.IsPostgres(cfg.DatabaseURL) {
		if err := os.MkdirAll(cfg.DataDir, 0o700); err != nil {
			return nil, fmt.Errorf("data directory: %w", err)
		}
	}
	store, err := sqlstore.Open(ctx, cfg.DatabaseURL, sqlstore.Options{Logger: log})
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	if err := store.Migrate(ctx); err != nil {
		store.Close()
		return nil, fmt.Errorf("migrate: %w", err)
	}
	return store, nil
}

func seedDemo(ctx context.Context, store *sqlstore.DB, sealKey string, out io.Writer) error {
	hasher := accounts.NewHasher(2)
	sum, err := demo.SeedSealed(ctx, store, markup.New(), func(pw string) (string, error) { return hasher.Hash(ctx, pw) }, time.Now(), []byte(sealKey))
	if err != nil {
		return err
	}
	if sum.Skipped {
		fmt.Fprintf(out, "The demo community %q is already here.\n", sum.Org.Name)
	} else {
		fmt.Fprintf(out, "Seeded the demo community %q: %d groups, %d conversations, %d replies.\n", sum.Org.Name, sum.Groups, sum.Threads, sum.Replies)
	}
	fmt.Fprintf(out, "\nDemo log-ins (every password is %q):\n", sum.Password)
	for _, p := range sum.People {
		role := "member"
		if len(p.Roles) > 0 {
			role = p.Roles[len(p.Roles)-1]
		}
		fmt.Fprintf(out, "  %-16s %-14s %s, %s\n", p.Handle, role, p.DisplayName, p.AgeBand)
	}
	fmt.Fprintf(out, "\nModerators, coordinators and admins sign in with a second step: add the key %s\n"+
		"to an authenticator app (demo only; see docs/security.md).\n", accounts.GroupSecret(demo.StaffTOTPSecret))
	return nil
}

func serve(ctx context.Context, cfg *config.Config, store *sqlstore.DB, log *slog.Logger, out io.Writer) error {
	if cfg.Demo {
		if err := seedDemo(ctx, store, cfg.SecretKey, out); err != nil {
			return err
		}
	}
	var events kindred.Broker = broker.NewMemory()
	if cfg.NATSURL != "" {
		host, _ := os.Hostname()
		nb, err := broker.DialNATS(cfg.NATSURL, broker.NATSOptions{Name: "kindred " + host + " " + cfg.Addr, Logger: log})
		if err != nil {
			return fmt.Errorf("connect to NATS: %w", err)
		}
		events = nb
		fmt.Fprintf(out, "Sharing live rooms with other nodes through NATS.\n")
	}
	defer events.Close()
	render := markup.New()
	// One hasher, so deleting an account (privacy) checks passwords under
	// the same cap on concurrent hashes as logging in.
	hasher := accounts.NewHasher(2)
	acc := accounts.New(store, accounts.Options{Logger: log, Broker: events, Hasher: hasher,
		PublicURL: cfg.PublicURL, SealKey: []byte(cfg.SecretKey)})
	if cfg.SecretKey == "" {
		log.Warn("two-factor secrets are sealed with a key kept in the database; set KINDRED_SECRET_KEY_FILE so a database dump alone cannot reveal them (docs/security.md)")
	}
	org := orgs.New(store, time.Now, log)
	org.Broker = events
	// Organisations' crisis lines and phrase lists, in memory before the
	// first request so they outlast a database outage; the same service
	// scans what people write.
	saf := safety.New(store, safety.Options{Logger: log, Broker: events})
	defer saf.Close()
	if err := saf.Warm(ctx); err != nil {
		log.Error("crisis help not loaded at start; loading on first use", "err", err)
	}
	// Moderation comes before what people write in: posts, chat and
	// support requests raise crisis flags through it.
	mod := moderation.New(store, moderation.Options{Logger: log, Broker: events, Crisis: saf})
	grp := groups.New(store, render, groups.Options{Logger: log, Broker: events, Crisis: mod})
	lv := live.New(store, grp, render, live.Options{Logger: log, Broker: events, Crisis: mod})
	defer lv.Close()
	mod.SetRooms(lv)
	trn := training.New(store, render, training.Options{Logger: log, Broker: events})
	sup := support.New(store, lv, render, support.Options{Logger: log, Broker: events, Scanner: saf, Crisis: mod})
	defer sup.Close()
	upl := uploads.New(store, uploads.Options{Logger: log, Broker: events, Dir: cfg.UploadsDir})
	defer upl.Close()
	priv := privacy.New(store, privacy.Options{Logger: log, Broker: events, Passwords: hasher, Files: upl})
	svc := web.Services{
		Accounts: acc,
		Orgs:     org,
		Groups:   grp,
		Live:     lv,
		Training: trn,
		Support:  sup,
		Safety:   saf,
		Setup:    setup.New(acc, org),
		Markup:   render,

		Moderation: mod,
		Privacy:    priv,
		Blocks:     blocks.New(store, blocks.Options{Logger: log, Broker: events}),
		Uploads:    upl,
		Audit:      audit.NewChecker(store),
	}
	handler, err := web.NewServer(svc, web.Options{Logger: log, SecureCookies: cfg.SecureCookies,
		TemplateDir: cfg.TemplateDir, StaticDir: cfg.StaticDir, Ready: store.Ping, Broker: events, QuickExitURL: cfg.QuickExitURL,
		SharedNetworks: cfg.SharedNetworks})
	if err != nil {
		return err
	}
	defer handler.Close()
	srv := &http.Server{
		Addr: cfg.Addr, Handler: handler,
		ReadHeaderTimeout: 10 * time.Second, ReadTimeout: 30 * time.Second, WriteTimeout: 60 * time.Second,
		IdleTimeout: 120 * time.Second, MaxHeaderBytes: 64 << 10,
		ErrorLog: slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	ln, err := net.Listen("tcp", cfg.Addr)
	if err != nil {
		return fmt.Errorf("listen: %w", err)
	}
	fmt.Fprintf(out, "\nKindred is running at http://%s (press Ctrl+C to stop)\n", displayAddr(ln.Addr()))
	// Sign-offs expire: matching already ignores expired ones, and this
	// takes the peer supporter role back from people whose every sign-off
	// has lapsed, so what their pages show agrees.
	tidy, stopTidy := context.WithCancel(ctx)
	var tidying sync.WaitGroup
	tidying.Go(func() { expireCertifications(tidy, trn, log) })
	tidying.Go(func() { sweepChat(tidy, priv, log) })
	defer func() { stopTidy(); tidying.Wait() }()
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdown, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	lv.Close() // live connections are hijacked: Shutdown does not wait for them
	if err := srv.Shutdown(shutdown); err != nil {
		return fmt.Errorf("shutdown: %w", err)
	}
	return nil
}

// expireCertifications runs the training service's expiry every hour
// until ctx ends.
func expireCertifications(ctx context.Context, trn *training.Service, log *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if n, err := trn.ExpireCertifications(ctx); err != nil && ctx.Err() == nil {
			log.Error("expire certifications", "err", err)
		} else if n > 0 {
			log.Info("certifications expired", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

// sweepChat deletes chat messages older than their organisation keeps
// them, every hour until ctx ends.
func sweepChat(ctx context.Context, priv *privacy.Service, log *slog.Logger) {
	tick := time.NewTicker(time.Hour)
	defer tick.Stop()
	for {
		if n, err := priv.SweepChat(ctx); err != nil && ctx.Err() == nil {
			log.Error("sweep chat", "err", err)
		} else if n > 0 {
			log.Info("old chat messages deleted", "count", n)
		}
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		}
	}
}

func displayAddr(a net.Addr) string {
	host, port, err := net.SplitHostPort(a.String())
	if err != nil {
		return a.String()
	}
	if ip := net.ParseIP(host); ip == nil || ip.IsLoopback() || ip.IsUnspecified() {
		host = "localhost"
	}
	return net.JoinHostPort(host, port)
}
