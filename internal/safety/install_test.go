package safety

import (
	"testing"

	"kindred"
	"kindred/internal/sqlstore/sqlstoretest"
)

// A reload that read the store before an edit finished must not put the
// old settings back over the edit's (CI once saw an organisation's help
// page lose its neutral site this way); one that began after installs.
func TestASlowReloadDoesNotUndoANewerEdit(t *testing.T) {
	s := New(sqlstoretest.Open(t), Options{})
	t.Cleanup(s.Close)
	org := kindred.NewID()
	exit := func() string { return s.copyFor(t.Context(), org).settings.QuickExitURL }
	s.install(&kindred.OrgSafety{OrgID: org, QuickExitURL: "https://old.example/"})

	since := s.installed[org] // a reload begins and reads the old settings
	stale := &kindred.OrgSafety{OrgID: org, QuickExitURL: "https://old.example/"}
	s.install(&kindred.OrgSafety{OrgID: org, QuickExitURL: "https://new.example/"}) // an edit finishes meanwhile
	if c := s.installSince(stale, &since); c.settings.QuickExitURL != "https://new.example/" || exit() != "https://new.example/" {
		t.Fatalf("the slow reload put back %q", exit())
	}

	since = s.installed[org]
	s.installSince(&kindred.OrgSafety{OrgID: org, QuickExitURL: "https://newest.example/"}, &since)
	if exit() != "https://newest.example/" {
		t.Fatalf("a reload that began after the edit was dropped: %q", exit())
	}
}
