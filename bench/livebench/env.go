package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"

	"kindred/internal/sqlstore"
)

// env is one run's surroundings: its scratch directory, the module it
// measures and the binaries it starts.
type env struct {
	cfg      *config
	dir      string // scratch directory, removed at the end unless -keep
	root     string // the kindred module's directory, when found
	self     string // this program, re-executed as the ceiling server
	kindred  string // the kindred binary under test
	progress func(format string, args ...any)
}

func newEnv(ctx context.Context, cfg *config, stderr io.Writer) (*env, error) {
	start := time.Now()
	e := &env{cfg: cfg, progress: func(format string, args ...any) {
		fmt.Fprintf(stderr, "[%6.1fs] %s\n", time.Since(start).Seconds(), fmt.Sprintf(format, args...))
	}}
	cfg.progress = e.progress
	var err error
	if e.self, err = os.Executable(); err != nil {
		return nil, fmt.Errorf("find this program: %w", err)
	}
	e.root = moduleRoot(ctx)
	if e.dir, err = os.MkdirTemp("", "livebench-"); err != nil {
		return nil, err
	}
	e.kindred = cfg.kindredBin
	if e.kindred == "" {
		if e.root == "" {
			e.cleanup()
			return nil, errors.New("run livebench inside the kindred module, or give a binary with -kindred")
		}
		e.kindred = filepath.Join(e.dir, "kindred")
		e.progress("building kindred from %s", e.root)
		cmd := exec.CommandContext(ctx, "go", "build", "-o", e.kindred, "./cmd/kindred")
		cmd.Dir = e.root
		if out, err := cmd.CombinedOutput(); err != nil {
			e.cleanup()
			return nil, fmt.Errorf("build kindred: %w\n%s", err, out)
		}
	}
	return e, nil
}

func (e *env) cleanup() {
	if e.cfg.keep {
		e.progress("kept the run's directory: %s", e.dir)
		return
	}
	_ = os.RemoveAll(e.dir)
}

// moduleRoot returns the directory of the kindred module the tool runs in,
// or "" outside it.
func moduleRoot(ctx context.Context) string {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return ""
	}
	gomod := strings.TrimSpace(string(out))
	b, err := os.ReadFile(gomod)
	if err != nil || !bytes.HasPrefix(b, []byte("module kindred\n")) {
		return ""
	}
	return filepath.Dir(gomod)
}

// gitDescribe names the commit under test, and says when the working tree
// has changes on top of it.
func (e *env) gitDescribe() string {
	if e.root == "" {
		return "unknown (not run inside the module)"
	}
	rev, err := exec.Command("git", "-C", e.root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "unknown (no git)"
	}
	s := strings.TrimSpace(string(rev))
	if st, err := exec.Command("git", "-C", e.root, "status", "--porcelain").Output(); err == nil && len(st) > 0 {
		s += " with uncommitted changes"
	}
	return s
}

// cachedFixture is a seeded SQLite database kept between runs.
type cachedFixture struct {
	SeededAt time.Time
	Fixture  fixture
}

// sqliteDB returns a freshly seeded SQLite database for the scenario at
// path, copied from the cache when one with the same parameters and
// migrations is there and its meetings stay open long enough. Seeding goes
// through the store one transaction at a time with synchronous=FULL, which
// takes 5–7 ms a client on the 2-core machine (a minute for 10,000): worth
// keeping.
func (e *env) sqliteDB(ctx context.Context, path string) (*fixture, error) {
	cfg := e.cfg
	key := fmt.Sprintf("c%d-r%d-%s", cfg.clients, cfg.roomSize, e.migrationsHash())
	dir := filepath.Join(cfg.cacheDir, key)
	meta := filepath.Join(dir, "fixture.json")
	db := filepath.Join(dir, "kindred.db")
	if !cfg.reseed {
		var c cachedFixture
		if b, err := os.ReadFile(meta); err == nil && json.Unmarshal(b, &c) == nil &&
			time.Since(c.SeededAt) < roomOpenFor-time.Hour {
			if err := copyFile(db, path); err == nil {
				e.progress("using the seeded database cached in %s", dir)
				return &c.Fixture, nil
			}
		}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, err
	}
	for _, suffix := range []string{"", "-wal", "-shm"} {
		_ = os.Remove(db + suffix)
	}
	_ = os.Remove(meta)
	e.progress("seeding %d clients into SQLite (cached afterwards in %s)", cfg.clients, dir)
	fx, err := e.seedStore(ctx, "sqlite://"+db)
	if err != nil {
		return nil, err
	}
	if _, err := os.Stat(db + "-wal"); err == nil {
		return nil, errors.New("the seeded database was not checkpointed on close")
	}
	b, _ := json.Marshal(cachedFixture{SeededAt: time.Now(), Fixture: *fx})
	if err := os.WriteFile(meta, b, 0o600); err != nil {
		return nil, err
	}
	return fx, copyFile(db, path)
}

// seedStore opens the database at url, migrates it and seeds it.
func (e *env) seedStore(ctx context.Context, url string) (*fixture, error) {
	start := time.Now()
	store, err := sqlstore.Open(ctx, url, sqlstore.Options{})
	if err != nil {
		return nil, err
	}
	defer store.Close()
	if err := store.Migrate(ctx); err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	fx, err := seed(ctx, store, e.cfg.clients, e.cfg.roomSize, func(s string) { e.progress("%s", s) })
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	e.progress("seeded %d clients in %d rooms in %s", len(fx.Secrets), len(fx.Rooms), time.Since(start).Round(100*time.Millisecond))
	return fx, store.Close()
}

// migrationsHash names the SQLite schema, so that a cached database is
// not used after a migration changed.
func (e *env) migrationsHash() string {
	h := sha256.New()
	if e.root != "" {
		files, _ := filepath.Glob(filepath.Join(e.root, "internal/sqlstore/migrations/sqlite/*.sql"))
		for _, f := range files {
			b, _ := os.ReadFile(f)
			fmt.Fprintf(h, "%s %d\n", filepath.Base(f), len(b))
			h.Write(b)
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:12]
}

func copyFile(from, to string) error {
	src, err := os.Open(from)
	if err != nil {
		return err
	}
	defer src.Close()
	dst, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o600)
	if err != nil {
		return err
	}
	if _, err := io.Copy(dst, src); err != nil {
		dst.Close()
		return err
	}
	return dst.Close()
}

// postgresDB creates a throwaway database on the server cfg.postgres
// names, and returns its URL and how to drop it.
func (e *env) postgresDB(ctx context.Context) (dbURL string, drop func(), err error) {
	admin, err := sql.Open("pgx", e.cfg.postgres)
	if err != nil {
		return "", nil, err
	}
	name := fmt.Sprintf("kindred_bench_%08x", rand.Uint32())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return "", nil, fmt.Errorf("create database: %w", err)
	}
	drop = func() {
		dctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		if _, err := admin.ExecContext(dctx, "DROP DATABASE IF EXISTS "+name+" WITH (FORCE)"); err != nil {
			e.progress("could not drop database %s: %v", name, err)
		}
		admin.Close()
	}
	u, err := url.Parse(e.cfg.postgres)
	if err != nil {
		drop()
		return "", nil, err
	}
	u.Path = "/" + name
	return u.String(), drop, nil
}
