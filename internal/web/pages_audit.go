package web

import "net/http"

// auditChain is what the admin audit page says about the log's hash chain.
type auditChain struct {
	Intact     bool
	Records    int   // records checked across the instance
	OrgRecords int   // of them, this organisation's
	BrokenSeq  int64 // the first record that does not fit, when not intact
	Problem    string
	Ours       bool // the broken record is this organisation's
}

// auditChain verifies the whole chain: one organisation's records cannot
// be checked alone, since each links to the record before it, whoever's it
// is. The page says only counts and, on a break, the record's number and
// whether it is this organisation's; nothing about other organisations.
// The caller has already checked the actor may read this audit log.
func (s *Server) auditChain(r *http.Request, orgID string) (*auditChain, error) {
	if s.svc.Audit == nil {
		return nil, nil
	}
	rep, err := s.svc.Audit.Verify(r.Context())
	if err != nil {
		return nil, err
	}
	c := &auditChain{Intact: rep.Intact(), Records: rep.Records, OrgRecords: rep.ByOrg[orgID]}
	if b := rep.Break; b != nil {
		c.BrokenSeq, c.Problem, c.Ours = b.Seq, string(b.Problem), b.OrgID == orgID
	}
	return c, nil
}
