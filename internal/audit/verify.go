package audit

import (
	"context"
	"errors"
	"fmt"

	"kindred"
)

// Walker streams the whole audit chain in Seq order (kindred.Store's
// WalkAudit).
type Walker interface {
	WalkAudit(ctx context.Context, fn func(*kindred.AuditEntry) error) error
}

// Problem names what is wrong with a record.
type Problem string

const (
	// ProblemHash: the record's fields no longer match its hash (it was
	// changed after it was written).
	ProblemHash Problem = "hash mismatch"
	// ProblemLink: the record does not point at the hash of the record
	// before it (that one was replaced, or this one's link was changed).
	ProblemLink Problem = "broken link"
	// ProblemGap: records are missing before this one (deleted), or the
	// numbering was changed.
	ProblemGap Problem = "gap"
)

// Break is the first record that does not fit the chain.
type Break struct {
	Seq     int64
	OrgID   string // the organisation the record belongs to; empty for the instance's
	Problem Problem
	Detail  string // e.g. "expected record 7, found 9"; ids and numbers only
}

func (b *Break) String() string {
	return fmt.Sprintf("record %d: %s (%s)", b.Seq, b.Problem, b.Detail)
}

// Report is the outcome of walking the chain.
type Report struct {
	Records int            // records read (up to the break, when there is one)
	ByOrg   map[string]int // records read per organisation id ("" for the instance)
	Break   *Break         // nil when the chain is intact
}

// Intact reports whether every record fits.
func (r *Report) Intact() bool { return r.Break == nil }

// errBroken stops the walk at the first break.
var errBroken = errors.New("audit chain broken")

// Verify walks the whole chain, the instance's records and every
// organisation's, in Seq order, recomputes each record's hash and checks
// that it links to the one before and that none is missing. It stops at the
// first record that does not fit. The error is only for failing to read.
//
// What it cannot see: removing the newest records leaves a shorter chain
// that is still consistent, and someone able to rewrite the database could
// rehash everything after a change. Comparing the latest hash with a copy
// kept elsewhere (docs/audit.md) catches both.
func Verify(ctx context.Context, w Walker) (*Report, error) {
	rep := &Report{ByOrg: map[string]int{}}
	var want int64 = 1
	prev := ""
	err := w.WalkAudit(ctx, func(e *kindred.AuditEntry) error {
		var b *Break
		switch {
		case e.Seq != want:
			b = &Break{Problem: ProblemGap, Detail: fmt.Sprintf("expected record %d, found %d", want, e.Seq)}
		case e.PrevHash != prev:
			b = &Break{Problem: ProblemLink, Detail: fmt.Sprintf("does not link to record %d", e.Seq-1)}
		case kindred.AuditHash(e) != e.Hash:
			b = &Break{Problem: ProblemHash, Detail: "its contents changed after it was written"}
		}
		if b != nil {
			b.Seq, b.OrgID = e.Seq, e.OrgID
			rep.Break = b
			return errBroken
		}
		rep.Records++
		rep.ByOrg[e.OrgID]++
		want, prev = e.Seq+1, e.Hash
		return nil
	})
	if err != nil && !errors.Is(err, errBroken) {
		return nil, fmt.Errorf("verify audit: %w", err)
	}
	return rep, nil
}

// Checker verifies the chain for pages that show whether it is intact.
type Checker struct{ store Walker }

// NewChecker returns a checker reading from store.
func NewChecker(store Walker) *Checker { return &Checker{store: store} }

// Verify walks the whole chain (see Verify). Callers decide who may see the
// result; it holds counts, sequence numbers and organisation ids only.
func (c *Checker) Verify(ctx context.Context) (*Report, error) { return Verify(ctx, c.store) }
