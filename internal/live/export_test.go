package live

// Node is the service's node id, WriterOf the node it expects to store the
// room's messages, and Forwarded how many messages other nodes stored for
// it.
func (s *Service) Node() string                  { return s.writers.node }
func (s *Service) WriterOf(roomID string) string { return s.writers.writer(roomID) }
func (s *Service) Forwarded() int64              { return s.writers.forwarded.Load() }
