package kindred

// SupportStore keeps supporter profiles, shifts, support requests, offers,
// matches, feedback, debriefs and escalations. It is part of Store;
// internal/sqlstore implements it for both databases.
type SupportStore interface {
}
