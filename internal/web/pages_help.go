package web

import (
	"context"
	"net/http"
	"strings"

	"kindred"
)

// "Get help now": the crisis lines, one link away on every page. They come
// from memory, so the page shows even when the database does not answer,
// and it is public, because someone in crisis may not be signed in.

// helpData is what pages/help.html shows.
type helpData struct {
	Lines []supportResourceRow
}

// handleHelp shows the instance's crisis lines.
func (s *Server) handleHelp(w http.ResponseWriter, r *http.Request) {
	s.helpPage(w, r, nil)
}

// handleOrgHelp shows the crisis lines under an organisation's name. The
// organisation is looked up for its name only: if it is unknown or hidden
// from this person, the page is the instance's own, so it can neither fail
// nor tell anyone whether the organisation exists. When the database does
// not answer, a listed organisation seen before is shown from memory, with
// its own lines.
func (s *Server) handleOrgHelp(w http.ResponseWriter, r *http.Request) {
	var org *kindred.Organization
	p, err := s.svc.Orgs.Get(r.Context(), actorOf(r), r.PathValue("org"))
	switch {
	case err == nil && p != nil:
		org = p.Org
		s.svc.Safety.RememberOrg(r.Context(), org)
	case err != nil && kindred.ErrorCode(err) != kindred.ENOTFOUND:
		org = s.svc.Safety.RememberedOrg(r.PathValue("org"))
	}
	s.helpPage(w, r, org)
}

func (s *Server) helpPage(w http.ResponseWriter, r *http.Request, org *kindred.Organization) {
	s.render(w, r, http.StatusOK, "help", &page{Title: "Get help now", Org: org,
		Data: helpData{Lines: s.crisisLinesFor(r.Context(), org)}})
}

// crisisLinesFor returns the crisis lines to show in an organisation (nil
// for the instance's own): the organisation's, with or without the
// instance's defaults as it chose, or the defaults when it has none. They
// come from memory (internal/safety), so they show even when the database
// does not answer.
func (s *Server) crisisLinesFor(ctx context.Context, org *kindred.Organization) []supportResourceRow {
	id := ""
	if org != nil {
		id = org.ID
	}
	return supportResources(s.svc.Safety.CrisisResources(ctx, id))
}

// isHelpPath reports whether a request is for a "Get help now" page, which
// must answer even when the signed-in person's session cannot be read.
func isHelpPath(path string) bool {
	if path == "/help" {
		return true
	}
	rest, ok := strings.CutPrefix(path, "/o/")
	if !ok {
		return false
	}
	slug, tail, ok := strings.Cut(rest, "/")
	return ok && slug != "" && tail == "help"
}
