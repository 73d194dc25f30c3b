package kindred

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
)

// The audit log is one hash chain over the whole instance (see AuditEntry):
// stores fill the hashes as they append, and internal/audit walks the chain
// to check it. Both compute the hash here, so they cannot disagree.

// AuditHash is the hex SHA-256 of the entry's canonical encoding: a version
// tag and the fields, each as length:value, so no two different entries
// encode alike. The time counts in milliseconds, as stored; PrevHash links
// the entry to the one before. Hash itself is not covered.
func AuditHash(e *AuditEntry) string {
	h := sha256.New()
	for _, f := range []string{
		"kindred-audit-v1",
		strconv.FormatInt(e.Seq, 10),
		e.OrgID,
		e.ActorID,
		e.Action,
		e.Target,
		e.Detail,
		strconv.FormatInt(e.CreatedAt.UnixMilli(), 10),
		e.PrevHash,
	} {
		fmt.Fprintf(h, "%d:%s,", len(f), f)
	}
	return hex.EncodeToString(h.Sum(nil))
}
