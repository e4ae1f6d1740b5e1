package order

import (
	"context"
	"fmt"
	"sync"

	"storeops/internal/store"
)

// Hook reacts to a transition inside its transaction: inventory releases
// the stock of a cancelled order, payments refund a cancelled paid one.
// Returning an error rolls the whole transition back (the caller sees the
// hook's error), so a hook must only fail when the transition must not
// happen. A hook checks ch.From and ch.To itself and ignores the rest.
//
// Hooks run synchronously in the writer's transaction: keep them to a few
// statements. Work that may wait (emails, webhooks) follows the outbox
// topic TopicStatusChanged instead.
type Hook func(ctx context.Context, tx *store.Tx, ch Change) error

var (
	hooksMu sync.RWMutex
	hooks   []namedHook
)

type namedHook struct {
	name string
	fn   Hook
}

// OnTransition registers fn under name, run after every transition in
// registration order. Domains that order must not import (inventory,
// payment) call it from their Module constructor, so the dependency
// points from them to order and never back. Registering a name again
// replaces its hook (an app built twice in one process keeps one).
func OnTransition(name string, fn Hook) {
	hooksMu.Lock()
	defer hooksMu.Unlock()
	for i := range hooks {
		if hooks[i].name == name {
			hooks[i].fn = fn
			return
		}
	}
	hooks = append(hooks, namedHook{name, fn})
}

// RemoveHook unregisters name (tests).
func RemoveHook(name string) {
	hooksMu.Lock()
	defer hooksMu.Unlock()
	for i := range hooks {
		if hooks[i].name == name {
			hooks = append(hooks[:i], hooks[i+1:]...)
			return
		}
	}
}

func runHooks(ctx context.Context, tx *store.Tx, ch Change) error {
	hooksMu.RLock()
	hs := append([]namedHook(nil), hooks...)
	hooksMu.RUnlock()
	for _, h := range hs {
		if err := h.fn(ctx, tx, ch); err != nil {
			return fmt.Errorf("order: hook %s on %s→%s: %w", h.name, ch.From, ch.To, err)
		}
	}
	return nil
}
