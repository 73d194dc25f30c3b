package live

import (
	"context"
	"fmt"

	"kindred"
)

// EndSupportConversation closes a support conversation's room when the
// support programme ends its match (either person ended it, the member
// asked for someone else, or it was handed off). The support service has
// already decided who may end it, so there is no actor here; byAccountID
// is recorded as who ended it and may be empty. Ending twice is harmless.
func (s *Service) EndSupportConversation(ctx context.Context, roomID, byAccountID string) error {
	r, err := s.store.FindRoom(ctx, roomID)
	if err != nil {
		return fmt.Errorf("find room: %w", err)
	}
	if r.Kind != kindred.RoomConversation || r.Purpose != kindred.PurposeSupport {
		return errNoRoom // only support rooms end this way
	}
	if r.EndedAt != nil {
		return nil
	}
	return s.endRoom(ctx, r, byAccountID, "This support conversation has ended. Thank you both for being here.")
}
