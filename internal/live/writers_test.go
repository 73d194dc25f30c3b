package live_test

import (
	"context"
	"testing"
	"time"

	"kindred"
	"kindred/internal/broker"
	"kindred/internal/live"
	"kindred/internal/markup"
)

// Two nodes on one store and broker: a message sent on the node that does
// not write its room is stored by the writer, once, acknowledged with its
// number and delivered on both nodes; a repeat of its nonce is stored
// once; and when the writer leaves, the other node stores messages itself.
func TestMessagesAreStoredByTheRoomsWriter(t *testing.T) {
	bk := broker.NewMemory()
	t.Cleanup(func() { _ = bk.Close() })
	w := newWorld(t, live.Options{Broker: bk})
	other := live.New(w.e.Store, w.e.Services.Groups, markup.New(), live.Options{Broker: bk})
	t.Cleanup(other.Close)
	room := w.enter(t, w.amy, false).Room
	w.enter(t, w.ben, false)

	// Whichever node writes the room, send on the other one.
	writer, sender := w.svc, other
	deadline := time.Now().Add(5 * time.Second)
	for w.svc.WriterOf(room.ID) != other.Node() && other.WriterOf(room.ID) != w.svc.Node() {
		if time.Now().After(deadline) {
			t.Fatal("the two nodes never agreed on the room's writer")
		}
		time.Sleep(20 * time.Millisecond)
	}
	if w.svc.WriterOf(room.ID) == other.Node() {
		writer, sender = other, w.svc
	}
	if got := sender.WriterOf(room.ID); got != writer.Node() {
		t.Fatalf("the sender expects %s to write the room, want %s", got, writer.Node())
	}

	ctx := context.Background()
	onWriter, err := writer.Connect(ctx, actor(w.ben), room.ID, -1, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(onWriter.Close)
	onSender, err := sender.Connect(ctx, actor(w.amy), room.ID, -1, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(onSender.Close)
	ben, amy := &conn{t: t, c: onWriter}, &conn{t: t, c: onSender}
	ben.must(live.FrameReady)
	amy.must(live.FrameReady)

	m, err := sender.Send(ctx, actor(w.amy), room.ID, kindred.ChatDraft{Body: "forwarded hello", Nonce: "n-1"})
	if err != nil {
		t.Fatalf("send: %v", err)
	}
	if m.Seq != 1 || sender.Forwarded() != 1 {
		t.Fatalf("acknowledged as seq %d with %d forwarded; want seq 1 stored by the writer", m.Seq, sender.Forwarded())
	}
	for _, c := range []*conn{amy, ben} {
		if f := c.must(live.FrameMessage); f.Seq != 1 {
			t.Fatalf("delivered %s, want seq 1", f.raw)
		}
	}
	again, err := sender.Send(ctx, actor(w.amy), room.ID, kindred.ChatDraft{Body: "forwarded hello", Nonce: "n-1"})
	if err != nil || again.Seq != 1 {
		t.Fatalf("a repeated nonce: %+v, %v; want the stored seq 1", again, err)
	}

	writer.Close()
	if got := sender.WriterOf(room.ID); got != sender.Node() {
		t.Fatalf("after the writer left the sender expects %s to write, want itself", got)
	}
	m, err = sender.Send(ctx, actor(w.amy), room.ID, kindred.ChatDraft{Body: "stored here", Nonce: "n-2"})
	if err != nil || m.Seq != 2 {
		t.Fatalf("send after the writer left: %+v, %v; want seq 2", m, err)
	}
	if f := amy.must(live.FrameMessage); f.Seq != 2 {
		t.Fatalf("delivered %s, want seq 2", f.raw)
	}
	list, err := w.e.Store.ListChatMessages(ctx, kindred.ChatFilter{RoomID: room.ID, Limit: 10})
	if err != nil || len(list) != 2 {
		t.Fatalf("stored %d messages (%v), want 2", len(list), err)
	}
}
