package kindred

// A person's data rights (issue 5, item 8): downloading everything Kindred
// holds about them, and erasing their account for real; and organisations'
// chat retention.

// PrivacyStore exports and erases a person's data.
type PrivacyStore interface {
}
