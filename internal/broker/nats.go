package broker

import (
	"context"
	"fmt"
	"log/slog"
	"time"

	"github.com/nats-io/nats.go"

	"kindred"
)

// NATS is the broker for several nodes: every node connects to the same
// NATS server (or cluster), and topics become subjects under a prefix, so
// several Kindred instances can share one NATS without hearing each other.
type NATS struct {
	nc     *nats.Conn
	prefix string
	log    *slog.Logger
}

var _ kindred.Broker = (*NATS)(nil)

// NATSOptions configure the NATS broker.
type NATSOptions struct {
	// Prefix namespaces subjects; default "kindred".
	Prefix string
	// Name identifies this node to the NATS server's monitoring.
	Name   string
	Logger *slog.Logger
}

// DialNATS connects to url (nats://host:port, or a comma-separated list)
// and keeps reconnecting for as long as the process runs.
func DialNATS(url string, o NATSOptions) (*NATS, error) {
	if o.Prefix == "" {
		o.Prefix = "kindred"
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	log := o.Logger
	nc, err := nats.Connect(url,
		nats.Name(o.Name),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(250*time.Millisecond),
		nats.DisconnectErrHandler(func(_ *nats.Conn, err error) {
			log.Warn("nats disconnected", "err", err)
		}),
		nats.ReconnectHandler(func(*nats.Conn) { log.Info("nats reconnected") }),
		nats.ErrorHandler(func(_ *nats.Conn, _ *nats.Subscription, err error) {
			// Slow-consumer errors land here; the subscriber's own bounded
			// queues decide what a slow receiver loses.
			log.Warn("nats error", "err", err)
		}),
	)
	if err != nil {
		return nil, fmt.Errorf("connect to nats: %w", err)
	}
	return &NATS{nc: nc, prefix: o.Prefix, log: log}, nil
}

func (n *NATS) subject(topic string) string { return n.prefix + "." + topic }

// Publish sends data to the topic on every node.
func (n *NATS) Publish(ctx context.Context, topic string, data []byte) error {
	if err := validTopic(topic); err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	if err := n.nc.Publish(n.subject(topic), data); err != nil {
		return fmt.Errorf("nats publish: %w", err)
	}
	return nil
}

// Subscribe calls fn for each message on topic. NATS delivers a
// subscription's messages on one goroutine, in the order each publisher
// sent them.
func (n *NATS) Subscribe(topic string, fn func(string, []byte)) (kindred.Subscription, error) {
	if err := validTopic(topic); err != nil {
		return nil, err
	}
	sub, err := n.nc.Subscribe(n.subject(topic), func(m *nats.Msg) { fn(topic, m.Data) })
	if err != nil {
		return nil, fmt.Errorf("nats subscribe: %w", err)
	}
	return sub, nil
}

// Flush waits until the server has processed everything sent so far; a
// subscription made before Flush returns is in force on the server.
func (n *NATS) Flush(ctx context.Context) error { return n.nc.FlushWithContext(ctx) }

// Close drains subscriptions and closes the connection.
func (n *NATS) Close() error {
	if err := n.nc.Drain(); err != nil {
		n.nc.Close()
		return fmt.Errorf("nats drain: %w", err)
	}
	return nil
}
