package kindred

// Muting someone (hidden from me only) and the content-warning topics a
// person never wants to see (issue 5, item 5). Blocks are in live.go.

// MuteStore keeps mutes and hidden topics.
type MuteStore interface {
}
