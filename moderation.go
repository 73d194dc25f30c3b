package kindred

// Reports, the moderation queue, weighted flags, moderation actions and
// appeals (issue 5, item 4), and the priority flags crisis language raises.

// ModerationStore keeps reports, moderation cases, actions and appeals.
type ModerationStore interface {
}
