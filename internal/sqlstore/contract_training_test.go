package sqlstore

import "testing"

// trainingContract lists the training store's contract cases.
var trainingContract = []struct {
	name string
	fn   func(t *testing.T, db *DB)
}{}
