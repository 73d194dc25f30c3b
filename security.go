package kindred

// Account protection (issue 5, item 9): passkeys, two-factor codes for
// staff, login throttling and sessions a person can see and end.

// SecurityStore keeps passkeys, two-factor secrets and login attempts.
type SecurityStore interface {
}
