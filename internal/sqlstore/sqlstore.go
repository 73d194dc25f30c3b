// Package sqlstore owns Kindred's database: the kindred.Store on
// database/sql for SQLite (the default, one node) and PostgreSQL (several
// nodes), the schema migrations for both, and the translation of driver
// errors into kindred error codes.
//
// There is one set of hand-written queries with ? placeholders; a dialect
// value covers the few real differences (placeholder style, locking, the
// migrations directory). Times are stored as unix milliseconds UTC, so
// values read back are truncated to the millisecond; Create methods
// truncate the caller's times the same way, so what a caller holds after a
// Create equals what a later Find returns.
package sqlstore

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/url"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5/pgconn"
	_ "github.com/jackc/pgx/v5/stdlib" // registers the "pgx" database/sql driver
	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"kindred"
)

var _ kindred.Store = (*DB)(nil)

// Options configure Open.
type Options struct {
	// Logger receives start-up and migration messages; nil discards them.
	Logger *slog.Logger
}

// DB is a kindred.Store on SQLite or PostgreSQL. It is safe for concurrent
// use.
type DB struct {
	dialect dialect
	// write runs every write transaction. On SQLite it has exactly one
	// connection, so writers queue in Go instead of failing with SQLITE_BUSY.
	write *sql.DB
	// read serves single-statement reads. On SQLite it is a separate pool of
	// query-only connections that WAL lets run beside the writer; on
	// PostgreSQL it is the same pool as write.
	read *sql.DB
	log  *slog.Logger

	// rebound caches queries rewritten to PostgreSQL's $n placeholders, so
	// the rewrite happens once per distinct query text.
	rebound sync.Map

	// On SQLite, reads keep prepared statements: parsing SQL was the largest
	// cost of a page view. (pgx caches statements per connection itself.)
	// Writes do not: preparing on the one-connection writer pool from inside
	// a transaction would wait forever for the connection the transaction
	// holds, and a write's cost is its commit, not its parse.
	readStmts *stmtCache

	// chats stores chat messages in shared transactions (chatbatch.go).
	chats chatBatcher
}

// stmtCache keeps a prepared statement per query text on one pool.
// database/sql prepares it lazily on each connection that runs it.
type stmtCache struct {
	db *sql.DB
	mu sync.Mutex
	m  map[string]*sql.Stmt
}

// maxCachedStmts bounds the cache; queries with a variable number of
// placeholders (IN lists) would otherwise grow it without end.
const maxCachedStmts = 256

func newStmtCache(db *sql.DB) *stmtCache { return &stmtCache{db: db, m: map[string]*sql.Stmt{}} }

// get returns a cached statement, or nil when the cache is full (the caller
// then runs the query unprepared).
func (c *stmtCache) get(ctx context.Context, query string) (*sql.Stmt, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if st, ok := c.m[query]; ok {
		return st, nil
	}
	if len(c.m) >= maxCachedStmts {
		return nil, nil
	}
	st, err := c.db.PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	c.m[query] = st
	return st, nil
}

func (c *stmtCache) close() error {
	if c == nil {
		return nil
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	var err error
	for _, st := range c.m {
		err = errors.Join(err, st.Close())
	}
	return err
}

// dialect holds what differs between the two databases.
type dialect struct {
	name string
	// numbered placeholders ($1, $2, …) instead of ?.
	numbered bool
	// lockAudit serializes audit appends where the database lets several
	// writers run at once; empty when a single writer already does.
	lockAudit string
}

// SHARE ROW EXCLUSIVE conflicts with itself and with writers but not with
// readers, so on PostgreSQL audit appends queue while listings go on.
const postgresAuditLock = "LOCK TABLE audit_log IN SHARE ROW EXCLUSIVE MODE"

// SQLite connection settings. They are in the DSN, not run once after
// opening, because database/sql opens connections whenever it likes and
// each one needs them.
const (
	sqliteReadConns = 4
	// synchronous=FULL keeps committed posts through a power cut; the
	// design asks for a benchmark and a crash test before anyone lowers it.
	sqliteCommonPragmas = "_pragma=busy_timeout(5000)&_pragma=foreign_keys(1)&_pragma=synchronous(FULL)"
	// _txlock=immediate takes the write lock at BEGIN, so a transaction
	// never has to upgrade from reader to writer half-way (which is where
	// SQLITE_BUSY comes from despite busy_timeout).
	// secure_delete(1) makes the writer zero what it frees instead of
	// leaving deleted rows' bytes in free space: erasing an account
	// (privacy.go) must leave nothing to recover from the file.
	sqliteWriterParams = "_txlock=immediate&_pragma=journal_mode(WAL)&_pragma=secure_delete(1)&" + sqliteCommonPragmas
	// query_only makes an accidental write on the read pool fail loudly.
	sqliteReaderParams = sqliteCommonPragmas + "&_pragma=query_only(1)"
)

// PostgreSQL pool limits per node. Several nodes share the server's
// max_connections (100 by default), so each node stays well below it.
const (
	postgresMaxConns  = 20
	postgresIdleConns = 10
)

// Open connects to the database named by databaseURL: a PostgreSQL URL
// (postgres:// or postgresql://) or an SQLite file (sqlite:///abs/path.db,
// sqlite://relative.db or a bare path). It does not migrate; call Migrate.
func Open(ctx context.Context, databaseURL string, opts Options) (*DB, error) {
	logger := opts.Logger
	if logger == nil {
		logger = slog.New(slog.NewTextHandler(io.Discard, nil))
	}
	kind, location, err := parseDatabaseURL(databaseURL)
	if err != nil {
		return nil, err
	}
	var db *DB
	switch kind {
	case "postgres":
		db, err = openPostgres(location, logger)
	default:
		db, err = openSQLite(location, logger)
	}
	if err != nil {
		return nil, err
	}
	if err := db.Ping(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return db, nil
}

// parseDatabaseURL tells PostgreSQL URLs from SQLite locations and returns
// the URL or file path to open.
func parseDatabaseURL(s string) (kind, location string, err error) {
	s = strings.TrimSpace(s)
	switch {
	case s == "":
		return "", "", errors.New("open database: the database URL is empty")
	case strings.HasPrefix(s, "postgres://"), strings.HasPrefix(s, "postgresql://"):
		return "postgres", s, nil
	case strings.HasPrefix(s, "sqlite://"):
		s = strings.TrimPrefix(s, "sqlite://")
	case strings.HasPrefix(s, "sqlite:"):
		s = strings.TrimPrefix(s, "sqlite:")
	case strings.Contains(s, "://"):
		scheme, _, _ := strings.Cut(s, "://")
		return "", "", fmt.Errorf("open database: unsupported scheme %q (use postgres://, sqlite:// or a file path)", scheme)
	}
	switch {
	case s == "":
		return "", "", errors.New("open database: the SQLite URL names no file")
	case s == ":memory:" || strings.HasPrefix(s, "file::memory:"):
		// The writer and the read pool are separate connections, and each
		// would get its own empty in-memory database.
		return "", "", errors.New("open database: in-memory SQLite is not supported; use a file (tests can use a temporary directory)")
	case strings.HasPrefix(s, "file:"):
		// SQLite's own URI form; taken as a path it would name a file
		// called "file:…" in the working directory.
		return "", "", errors.New("open database: use sqlite:///path/to/file.db or a plain path, not a file: URI")
	case strings.Contains(s, "?"):
		// The driver splits its own parameters off at the first '?'.
		return "", "", errors.New("open database: SQLite file paths cannot contain '?'")
	}
	return "sqlite", s, nil
}

func openSQLite(path string, logger *slog.Logger) (*DB, error) {
	path, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open sqlite: create directory: %w", err)
	}
	// Create the file owner-only before SQLite does (it would use the umask);
	// SQLite gives the -wal and -shm files the database file's permissions.
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open sqlite: %w", err)
	}
	f.Close()

	write, err := sql.Open("sqlite", path+"?"+sqliteWriterParams)
	if err != nil {
		return nil, fmt.Errorf("open sqlite writer: %w", err)
	}
	write.SetMaxOpenConns(1)
	write.SetMaxIdleConns(1)
	write.SetConnMaxLifetime(0)
	write.SetConnMaxIdleTime(0)

	read, err := sql.Open("sqlite", path+"?"+sqliteReaderParams)
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open sqlite reader: %w", err)
	}
	read.SetMaxOpenConns(sqliteReadConns)
	read.SetMaxIdleConns(sqliteReadConns)
	read.SetConnMaxLifetime(0)
	read.SetConnMaxIdleTime(0)

	logger.Info("database opened", "dialect", "sqlite", "path", path)
	return &DB{dialect: dialect{name: "sqlite"}, write: write, read: read, log: logger,
		readStmts: newStmtCache(read)}, nil
}

func openPostgres(databaseURL string, logger *slog.Logger) (*DB, error) {
	db, err := sql.Open("pgx", databaseURL)
	if err != nil {
		return nil, fmt.Errorf("open postgres: %w", err)
	}
	db.SetMaxOpenConns(postgresMaxConns)
	db.SetMaxIdleConns(postgresIdleConns)
	db.SetConnMaxIdleTime(5 * time.Minute)
	host := ""
	if u, err := url.Parse(databaseURL); err == nil {
		host = u.Host // never the whole URL: it may carry a password
	}
	logger.Info("database opened", "dialect", "postgres", "host", host)
	return &DB{dialect: dialect{name: "postgres", numbered: true, lockAudit: postgresAuditLock}, write: db, read: db, log: logger}, nil
}

// Checkpoint copies SQLite's write-ahead log into the database file and
// truncates the log to nothing, so pages as they were before an erasure
// stay in neither. Readers still inside an old snapshot can hold it up, so
// it retries briefly. On PostgreSQL it does nothing.
func (db *DB) Checkpoint(ctx context.Context) error {
	if db.dialect.name != "sqlite" {
		return nil
	}
	for try := 0; ; try++ {
		var busy, logFrames, done int
		if err := db.write.QueryRowContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)").Scan(&busy, &logFrames, &done); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		if busy == 0 {
			return nil
		}
		if try == 50 {
			return errors.New("checkpoint: readers kept the write-ahead log busy")
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// Dialect returns "sqlite" or "postgres".
func (db *DB) Dialect() string { return db.dialect.name }

// Ping checks that the database answers, on the writer and the read pool.
func (db *DB) Ping(ctx context.Context) error {
	if err := db.write.PingContext(ctx); err != nil {
		return fmt.Errorf("ping %s: %w", db.dialect.name, err)
	}
	if db.read != db.write {
		if err := db.read.PingContext(ctx); err != nil {
			return fmt.Errorf("ping %s read pool: %w", db.dialect.name, err)
		}
	}
	return nil
}

// Close closes every connection.
func (db *DB) Close() error {
	err := errors.Join(db.readStmts.close(), db.write.Close())
	if db.read != db.write {
		err = errors.Join(err, db.read.Close())
	}
	return err
}

// bind rewrites a query for the dialect's placeholder style.
func (db *DB) bind(query string) string {
	if !db.dialect.numbered {
		return query
	}
	if q, ok := db.rebound.Load(query); ok {
		return q.(string)
	}
	q := rebind(query)
	db.rebound.Store(query, q)
	return q
}

// rebind turns ? placeholders into $1, $2, … skipping quoted text.
func rebind(query string) string {
	var b strings.Builder
	b.Grow(len(query) + 16)
	n := 0
	var quote byte // the quote character we are inside, or 0
	for i := 0; i < len(query); i++ {
		c := query[i]
		switch {
		case quote != 0:
			if c == quote {
				quote = 0
			}
		case c == '\'' || c == '"':
			quote = c
		case c == '?':
			n++
			b.WriteByte('$')
			b.WriteString(strconv.Itoa(n))
			continue
		}
		b.WriteByte(c)
	}
	return b.String()
}

// execer is what *sql.DB and *sql.Tx have in common.
type execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// conn runs queries written with ? placeholders on a pool or a transaction.
type conn struct {
	e     execer
	bind  func(string) string
	stmts *stmtCache // nil: run unprepared
}

// stmt returns the prepared statement for a query, or nil to run it
// unprepared.
func (c conn) stmt(ctx context.Context, query string) (*sql.Stmt, error) {
	if c.stmts == nil {
		return nil, nil
	}
	return c.stmts.get(ctx, query)
}

func (c conn) exec(ctx context.Context, query string, args ...any) (sql.Result, error) {
	q := c.bind(query)
	st, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.ExecContext(ctx, args...)
	}
	return c.e.ExecContext(ctx, q, args...)
}

func (c conn) query(ctx context.Context, query string, args ...any) (*sql.Rows, error) {
	q := c.bind(query)
	st, err := c.stmt(ctx, q)
	if err != nil {
		return nil, err
	}
	if st != nil {
		return st.QueryContext(ctx, args...)
	}
	return c.e.QueryContext(ctx, q, args...)
}

func (c conn) queryRow(ctx context.Context, query string, args ...any) *sql.Row {
	q := c.bind(query)
	if st, err := c.stmt(ctx, q); err == nil && st != nil {
		return st.QueryRowContext(ctx, args...)
	}
	// A statement that fails to prepare fails again here, with its error
	// reported through Scan like any other.
	return c.e.QueryRowContext(ctx, q, args...)
}

// execOne runs a statement that must touch a row, and returns ENOTFOUND
// naming what when it touched none.
func (c conn) execOne(ctx context.Context, what, query string, args ...any) error {
	res, err := c.exec(ctx, query, args...)
	if err != nil {
		return err
	}
	n, err := res.RowsAffected()
	if err != nil {
		return err
	}
	if n == 0 {
		return notFound(what)
	}
	return nil
}

// exists reports whether the query returns a row.
func (c conn) exists(ctx context.Context, query string, args ...any) (bool, error) {
	var one int
	err := c.queryRow(ctx, query, args...).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	return err == nil, err
}

// reader returns the pool for single-statement reads.
func (db *DB) reader() conn { return conn{e: db.read, bind: db.bind, stmts: db.readStmts} }

// inTx runs fn in one write transaction and commits when fn succeeds.
func (db *DB) inTx(ctx context.Context, fn func(tx conn) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	if err := fn(conn{e: tx, bind: db.bind}); err != nil {
		_ = tx.Rollback()
		return err
	}
	if err := tx.Commit(); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	return nil
}

// Errors.

func notFound(what string) error {
	return kindred.Errorf(kindred.ENOTFOUND, "We could not find that %s.", what)
}

// storeErr turns a driver error from operation op on a what into a kindred
// error where one applies, so callers never see driver types.
func storeErr(op, what string, err error) error {
	var ke *kindred.Error
	switch {
	case err == nil:
		return nil
	case errors.As(err, &ke):
		return err
	case errors.Is(err, sql.ErrNoRows):
		return notFound(what)
	case isUniqueViolation(err):
		return kindred.Errorf(kindred.ECONFLICT, "That %s already exists.", what)
	case isForeignKeyViolation(err):
		// Something the row refers to is gone, typically deleted by a
		// concurrent request after the service checked it.
		return kindred.Errorf(kindred.ENOTFOUND, "Something this %s belongs to no longer exists.", what)
	}
	return fmt.Errorf("%s: %w", op, err)
}

func isUniqueViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_UNIQUE || se.Code() == sqlite3.SQLITE_CONSTRAINT_PRIMARYKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23505"
}

func isForeignKeyViolation(err error) bool {
	var se *sqlite.Error
	if errors.As(err, &se) {
		return se.Code() == sqlite3.SQLITE_CONSTRAINT_FOREIGNKEY
	}
	var pe *pgconn.PgError
	return errors.As(err, &pe) && pe.Code == "23503"
}

// Values.

// scanner is a *sql.Row or *sql.Rows.
type scanner interface{ Scan(dest ...any) error }

// now returns the current time as the store keeps it.
func now() time.Time { return time.Now().UTC().Truncate(time.Millisecond) }

// norm returns t as the store keeps it: UTC, whole milliseconds.
func norm(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// normPtr is norm for optional times.
func normPtr(t *time.Time) *time.Time {
	if t == nil {
		return nil
	}
	n := norm(*t)
	return &n
}

// fillCreated sets *t to now when it is zero, and normalizes it either way.
func fillCreated(t *time.Time) {
	if t.IsZero() {
		*t = now()
		return
	}
	*t = norm(*t)
}

func fillID(id *string) {
	if *id == "" {
		*id = kindred.NewID()
	}
}

// ms is the stored form of a time.
func ms(t time.Time) int64 { return t.UnixMilli() }

// msPtr is the stored form of an optional time: NULL when nil.
func msPtr(t *time.Time) any {
	if t == nil {
		return nil
	}
	return t.UnixMilli()
}

// nullIfEmpty stores an optional reference as NULL, so foreign keys apply
// only when it is set.
func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// timeCol scans a stored time into a time.Time.
type timeCol struct{ t *time.Time }

func (c timeCol) Scan(src any) error {
	v, err := asInt64(src)
	if err != nil {
		return err
	}
	*c.t = time.UnixMilli(v).UTC()
	return nil
}

// nullTimeCol scans an optional stored time into a *time.Time.
type nullTimeCol struct{ t **time.Time }

func (c nullTimeCol) Scan(src any) error {
	if src == nil {
		*c.t = nil
		return nil
	}
	v, err := asInt64(src)
	if err != nil {
		return err
	}
	t := time.UnixMilli(v).UTC()
	*c.t = &t
	return nil
}

// nullStringCol scans an optional text column into a string ("" for NULL).
type nullStringCol struct{ s *string }

func (c nullStringCol) Scan(src any) error {
	switch v := src.(type) {
	case nil:
		*c.s = ""
	case string:
		*c.s = v
	case []byte:
		*c.s = string(v)
	default:
		return fmt.Errorf("scan text: unexpected %T", src)
	}
	return nil
}

func asInt64(src any) (int64, error) {
	switch v := src.(type) {
	case int64:
		return v, nil
	case int32:
		return int64(v), nil
	case int:
		return int64(v), nil
	}
	return 0, fmt.Errorf("scan time: unexpected %T", src)
}

// collect scans every row; it returns an empty, non-nil slice when there
// are none, so an API answers [] rather than null.
func collect[T any](rows *sql.Rows, scan func(scanner) (T, error)) ([]T, error) {
	defer rows.Close()
	out := []T{}
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// Listing limits.
const (
	defaultPageSize  = 50
	maxPageSize      = 200
	defaultAuditSize = 100
	maxAuditSize     = 1000
)

// page clamps a listing's limit and offset.
func page(limit, offset, def, max int) (int, int) {
	if limit <= 0 {
		limit = def
	}
	if limit > max {
		limit = max
	}
	if offset < 0 {
		offset = 0
	}
	return limit, offset
}

// setList collects the SET clause of an update from the fields given.
type setList struct {
	cols []string
	args []any
}

func (s *setList) add(col string, v any) {
	s.cols = append(s.cols, col+" = ?")
	s.args = append(s.args, v)
}

func (s *setList) empty() bool { return len(s.cols) == 0 }

func (s *setList) clause() string { return strings.Join(s.cols, ", ") }

// placeholders returns "?, ?, …" for n values.
func placeholders(n int) string {
	if n <= 0 {
		return ""
	}
	return strings.Repeat("?, ", n-1) + "?"
}
