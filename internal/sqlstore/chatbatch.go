package sqlstore

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"

	"kindred"
)

// Chat messages are stored in shared transactions ("group commit"). A busy
// room sends hundreds of messages a second, and each transaction ends in a
// commit that waits for the disk (SQLite synchronous=FULL, PostgreSQL's WAL
// flush). Messages that arrive while a commit is under way wait together
// and are stored in the next transaction, with one commit for all of them:
// the disk wait is shared, and no message waits for more than the
// transaction before its own. Each message still gets its own seq under the
// room's row lock, so the numbering rules are unchanged.

// maxBatch bounds one shared transaction, so its commit stays short.
const maxBatch = 128

type chatBatcher struct {
	mu      sync.Mutex
	queue   []*pendingMessage
	writing bool // a goroutine is storing batches
}

type pendingMessage struct {
	m    *kindred.ChatMessage // filled on success, or with the stored message on a repeated nonce
	err  error
	done chan struct{}
}

// storeMessage stores m through the batcher and returns its outcome.
func (db *DB) storeMessage(ctx context.Context, m *kindred.ChatMessage) error {
	p := &pendingMessage{m: m, done: make(chan struct{})}
	b := &db.chats
	b.mu.Lock()
	b.queue = append(b.queue, p)
	start := !b.writing
	b.writing = true
	b.mu.Unlock()
	if start {
		// A goroutine of its own, not the first caller: a caller that kept
		// storing others' batches would wait for all of them to be answered.
		go db.writeBatches(context.WithoutCancel(ctx))
	}
	<-p.done
	return p.err
}

// writeBatches stores batches until nobody is waiting.
func (db *DB) writeBatches(ctx context.Context) {
	b := &db.chats
	for {
		b.mu.Lock()
		batch := b.queue
		if len(batch) > maxBatch {
			batch = batch[:maxBatch]
		}
		b.queue = b.queue[len(batch):]
		if len(batch) == 0 {
			b.queue = nil
			b.writing = false
			b.mu.Unlock()
			return
		}
		b.mu.Unlock()
		db.storeBatch(ctx, batch)
	}
}

// storeBatch stores the messages in one transaction. If the transaction
// fails as a whole, each message is stored on its own, so one message's
// problem never becomes another's.
func (db *DB) storeBatch(ctx context.Context, batch []*pendingMessage) {
	finish := func() {
		for _, p := range batch {
			close(p.done)
		}
	}
	if len(batch) > 1 {
		// Rooms are locked in one order by every node's batches, so two
		// nodes' shared transactions never wait for each other in a cycle
		// (a deadlock PostgreSQL would break only after a second). The sort
		// is stable: a room's messages keep the order they arrived in.
		slices.SortStableFunc(batch, func(a, b *pendingMessage) int { return strings.Compare(a.m.RoomID, b.m.RoomID) })
		staged := make([]kindred.ChatMessage, len(batch))
		results := make([]error, len(batch))
		err := db.inTx(ctx, func(tx conn) error {
			for i, p := range batch {
				staged[i] = *p.m
				err := insertMessage(ctx, tx, &staged[i])
				if dup, ok := errors.AsType[*errDuplicateNonce](err); ok {
					// Give back the number the repeat took; the lock is ours.
					if _, err := tx.exec(ctx, `UPDATE rooms SET last_seq = last_seq - 1 WHERE id = ?`, p.m.RoomID); err != nil {
						return err
					}
					staged[i] = *dup.stored
					results[i] = dup
					continue
				}
				if kindred.ErrorCode(err) == kindred.ENOTFOUND {
					results[i] = err // no statement failed: the transaction goes on
					continue
				}
				if err != nil {
					return err
				}
			}
			return nil
		})
		if err == nil {
			for i, p := range batch {
				*p.m, p.err = staged[i], results[i]
			}
			finish()
			return
		}
		// Fall through: store each on its own.
	}
	for _, p := range batch {
		msg := *p.m
		err := db.inTx(ctx, func(tx conn) error { return insertMessage(ctx, tx, &msg) })
		if dup, ok := errors.AsType[*errDuplicateNonce](err); ok {
			*p.m, p.err = *dup.stored, dup
			continue
		}
		if err == nil {
			*p.m = msg
		}
		p.err = err
	}
	finish()
}
