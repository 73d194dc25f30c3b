package sqlstore

import "testing"

// supportContract lists the support store's contract cases.
var supportContract = []struct {
	name string
	fn   func(t *testing.T, db *DB)
}{}
