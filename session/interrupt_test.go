package session

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/go-zookeeper/zk"
	"github.com/zkc-cli/zkc/zkharness"
)

// A pipelined write cancelled after it was sent (Ctrl-C in a piped script,
// which leaves up to a window of lines in flight) is an InterruptedError
// naming its node; one cancelled while it still waited for its turn was
// never sent, and says so, naming its node too.
func TestPipelinedInterruptNamesNode(t *testing.T) {
	srv := pool.Standalone(t, "paused-interrupt", zkharness.Config{})
	s := open(t, srv.Addr())
	turns := NewTurns()
	if err := srv.Pause(); err != nil {
		t.Fatal(err)
	}
	defer srv.Resume()
	ctx, cancel := context.WithCancel(context.Background())
	errs := make(chan error, 2)
	create := func(turn *Turn, p string) {
		go func() {
			_, err := s.Create(WithTurn(ctx, turn), p, nil, CreateMode{}, zk.WorldACL(zk.PermAll))
			errs <- err
		}()
	}
	create(turns.Next(), "/intr-sent")
	held := turns.Next() // a line that never sends: the next one waits for it
	defer held.Pass()
	create(turns.Next(), "/intr-waiting")
	time.Sleep(300 * time.Millisecond) // the first is written to the frozen server
	cancel()
	var sent, waiting error
	for i := 0; i < 2; i++ {
		select {
		case err := <-errs:
			var intr *InterruptedError
			if errors.As(err, &intr) {
				sent = err
			} else {
				waiting = err
			}
		case <-time.After(10 * time.Second):
			t.Fatal("a cancelled request did not return")
		}
	}
	var intr *InterruptedError
	if !errors.As(sent, &intr) || !intr.Write || intr.Path != "/intr-sent" ||
		!strings.Contains(sent.Error(), "create of /intr-sent may or may not have been applied") {
		t.Errorf("sent and cancelled: %v, want an InterruptedError naming /intr-sent", sent)
	}
	var notSent *NotSentError
	if !errors.Is(waiting, context.Canceled) || errors.As(waiting, &intr) || !errors.As(waiting, &notSent) ||
		waiting.Error() != "interrupted before the create of /intr-waiting was sent; it was not applied" {
		t.Errorf("cancelled before its turn: %v, want a NotSentError naming /intr-waiting", waiting)
	}
}
