package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"

	"kindred/internal/audit"
	"kindred/internal/config"
)

const adminUsage = `Usage:
  kindred admin verify-audit [flags]   check the audit log's hash chain

The flags are those of "kindred serve" that choose the database (--data,
--database); run "kindred admin verify-audit -h" to list them.
`

// runAdmin runs an operator's maintenance command against the configured
// database.
func runAdmin(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprint(stderr, adminUsage)
		return errors.New("missing admin command")
	}
	switch args[0] {
	case "verify-audit":
		return verifyAudit(ctx, args[1:], getenv, stdout, stderr)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, adminUsage)
		return nil
	}
	fmt.Fprint(stderr, adminUsage)
	return fmt.Errorf("unknown admin command %q", args[0])
}

// errAuditBroken makes the command exit non-zero after it has explained
// what is wrong.
var errAuditBroken = errors.New("the audit log failed verification")

// verifyAudit walks the whole audit chain (the instance's records and
// every organisation's, in order), recomputing each hash, and reports
// either how many records are intact or the first one that is not.
func verifyAudit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	cfg, fs, err := config.Parse("admin verify-audit", args, getenv)
	if err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fs.SetOutput(stderr)
		}
		return err
	}
	log := newLogger(stderr, cfg.LogLevel)
	store, err := openStore(ctx, cfg, log)
	if err != nil {
		return err
	}
	defer store.Close()
	rep, err := audit.Verify(ctx, store)
	if err != nil {
		return err
	}
	if rep.Break != nil {
		b := rep.Break
		fmt.Fprintf(stdout, "audit log BROKEN at record %d: %s (%s)\n", b.Seq, b.Problem, b.Detail)
		if b.OrgID != "" {
			fmt.Fprintf(stdout, "  the record belongs to organisation %s\n", b.OrgID)
		}
		fmt.Fprintf(stdout, "  %d records before it are intact\n", rep.Records)
		return errAuditBroken
	}
	fmt.Fprintf(stdout, "audit log intact: %d records (%d organisations)\n", rep.Records, orgCount(rep))
	return nil
}

func orgCount(rep *audit.Report) int {
	n := 0
	for id := range rep.ByOrg {
		if id != "" {
			n++
		}
	}
	return n
}
