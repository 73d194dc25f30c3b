package sqlstore

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"hash/fnv"
	"io/fs"

	"github.com/pressly/goose/v3"
	"github.com/pressly/goose/v3/lock"
)

// migrations holds one directory per dialect with the same file names, so a
// version means the same change on both databases.
//
//go:embed migrations/sqlite/*.sql migrations/postgres/*.sql
var migrations embed.FS

// Migrate brings the schema up to date. On PostgreSQL it holds an advisory
// lock while it runs, so several nodes can start at once and only one of
// them migrates.
func (db *DB) Migrate(ctx context.Context) error {
	fsys, err := fs.Sub(migrations, "migrations/"+db.dialect.name)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	opts := []goose.ProviderOption{
		// Only our SQL files: a Go migration registered by any other package
		// in the binary must not run against this database.
		goose.WithDisableGlobalRegistry(true),
	}
	gooseDialect := goose.DialectSQLite3 // also right for modernc's driver
	if db.dialect.name == "postgres" {
		gooseDialect = goose.DialectPostgres
		id, err := migrationLockID(ctx, db.write)
		if err != nil {
			return err
		}
		// Poll every second (goose's default is every 5 s) for up to 5
		// minutes: nodes starting together wait for the first to finish.
		locker, err := lock.NewPostgresSessionLocker(lock.WithLockID(id), lock.WithLockTimeout(1, 300))
		if err != nil {
			return fmt.Errorf("migrate: %w", err)
		}
		opts = append(opts, goose.WithSessionLocker(locker))
	}
	p, err := goose.NewProvider(gooseDialect, db.write, fsys, opts...)
	if err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	results, err := p.Up(ctx)
	if err != nil {
		return fmt.Errorf("migrate %s: %w", db.dialect.name, err)
	}
	for _, r := range results {
		db.log.Info("migration applied", "dialect", db.dialect.name, "version", r.Source.Version,
			"file", r.Source.Path, "duration", r.Duration)
	}
	return nil
}

// migrationLockID names the advisory lock after the schema being migrated.
// Nodes sharing a schema contend for the same lock, as they must; separate
// schemas in one database (parallel test runs) do not wait for each other.
func migrationLockID(ctx context.Context, db *sql.DB) (int64, error) {
	var schema sql.NullString
	if err := db.QueryRowContext(ctx, "SELECT current_schema()").Scan(&schema); err != nil {
		return 0, fmt.Errorf("migrate: current schema: %w", err)
	}
	if !schema.Valid {
		return 0, fmt.Errorf("migrate: no schema on the search_path exists; create it first")
	}
	h := fnv.New64a()
	h.Write([]byte("kindred migrations\x00" + schema.String))
	return int64(h.Sum64()), nil
}
