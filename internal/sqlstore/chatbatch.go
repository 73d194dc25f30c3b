package sqlstore

import (
	"context"
	"database/sql"
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

// storeBatch stores the messages in one transaction: in bulk when it can
// (storeBulk), else message by message. If that transaction fails as a
// whole, each message is stored on its own, so one message's problem never
// becomes another's.
func (db *DB) storeBatch(ctx context.Context, batch []*pendingMessage) {
	finish := func() {
		for _, p := range batch {
			close(p.done)
		}
	}
	// Rooms are locked in one order by every node's batches, so two nodes'
	// shared transactions never wait for each other in a cycle (a deadlock
	// PostgreSQL would break only after a second). The sort is stable: a
	// room's messages keep the order they arrived in.
	slices.SortStableFunc(batch, func(a, b *pendingMessage) int { return strings.Compare(a.m.RoomID, b.m.RoomID) })
	staged := make([]kindred.ChatMessage, len(batch))
	for i, p := range batch {
		staged[i] = *p.m
	}
	err := db.inTx(ctx, func(tx conn) error { return storeBulk(ctx, tx, staged) })
	if err == nil {
		for i, p := range batch {
			*p.m = staged[i]
		}
		finish()
		return
	}
	if len(batch) > 1 {
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

// errNotBulk rolls back a bulk store that does not fit its batch.
var errNotBulk = errors.New("batch needs storing message by message")

// storeBulk stores a batch sorted by room in a few statements whatever its
// size: one per room, which locks the room's row (in the batch's order) and
// moves its counter past all of the room's messages at once, then one
// INSERT for every message. Holding the rooms' locks for a few round trips
// instead of two per message is what lets two nodes writing to the same
// rooms take turns quickly. It returns errNotBulk when the batch needs the
// message-by-message way: a room that does not exist, or a repeated nonce
// (a message stored by an earlier send, or twice in this batch), which
// gives its number back there.
func storeBulk(ctx context.Context, tx conn, staged []kindred.ChatMessage) error {
	for i := 0; i < len(staged); {
		j, latest := i, staged[i].CreatedAt
		for ; j < len(staged) && staged[j].RoomID == staged[i].RoomID; j++ {
			if staged[j].CreatedAt.After(latest) {
				latest = staged[j].CreatedAt
			}
		}
		var last int64
		err := tx.queryRow(ctx, `UPDATE rooms SET last_seq = last_seq + ?,
			last_message_at = CASE WHEN last_message_at IS NULL OR last_message_at < ? THEN ? ELSE last_message_at END
			WHERE id = ? RETURNING last_seq`, j-i, ms(latest), ms(latest), staged[i].RoomID).Scan(&last)
		if errors.Is(err, sql.ErrNoRows) {
			return errNotBulk
		}
		if err != nil {
			return err
		}
		for k := i; k < j; k++ {
			staged[k].Seq = last - int64(j-k) + 1
		}
		i = j
	}
	var q strings.Builder
	q.WriteString(chatInsert)
	args := make([]any, 0, 13*len(staged))
	for k := range staged {
		if k > 0 {
			q.WriteString(", ")
		}
		q.WriteString(chatRow)
		args = chatArgs(args, &staged[k])
	}
	q.WriteString(" ON CONFLICT DO NOTHING")
	res, err := tx.exec(ctx, q.String(), args...)
	if err != nil {
		return err
	}
	if n, err := res.RowsAffected(); err != nil {
		return err
	} else if n != int64(len(staged)) {
		return errNotBulk
	}
	for k := range staged {
		if err := readBackAuthor(ctx, tx, &staged[k]); err != nil {
			return err
		}
	}
	return nil
}
