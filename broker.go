package kindred

import "context"

// Broker carries events between the parts of Kindred that must hear about
// them: live rooms, notifications, crisis scanning. One node uses the
// in-process broker; several nodes share a NATS server. Events carry ids
// and small payloads, never anything a receiver could show without first
// re-checking what it may see.
//
// Implementations: internal/broker (Memory and NATS). Delivery is at most
// once; a receiver that needs every event resumes from the store.
type Broker interface {
	// Publish sends data to every subscriber of topic, on every node.
	Publish(ctx context.Context, topic string, data []byte) error
	// Subscribe calls fn for each message on topic, in the order one
	// publisher sent them, until the subscription is cancelled. fn must not
	// block: it runs on the broker's delivery goroutine.
	Subscribe(topic string, fn func(topic string, data []byte)) (Subscription, error)
	Close() error
}

// Subscription is a live subscription to a broker topic.
type Subscription interface {
	Unsubscribe() error
}

// AnnounceAccess tells every node that what the account may see changed,
// so its live connections re-check at once. A nil broker does nothing. The
// event is sent after the change is committed.
func AnnounceAccess(ctx context.Context, b Broker, accountID string) error {
	if b == nil || accountID == "" {
		return nil
	}
	return b.Publish(context.WithoutCancel(ctx), AccessTopic, []byte(accountID))
}
