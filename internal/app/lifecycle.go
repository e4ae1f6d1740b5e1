package app

import "context"

// Start begins the background work (job queue, outbox consumers).
func (a *App) Start(ctx context.Context) error {
	for _, s := range a.starters {
		if err := s.start(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Stop drains the background work, waiting for running jobs up to ctx's
// deadline.
func (a *App) Stop(ctx context.Context) {
	for i := len(a.starters) - 1; i >= 0; i-- {
		a.starters[i].stop(ctx)
	}
}

// EnsureOwner creates the first owner on an empty database and returns the
// login line to print once; "" when staff already exist.
func (a *App) EnsureOwner(ctx context.Context) (string, error) {
	if a.ensureOwner == nil {
		return "", nil
	}
	return a.ensureOwner(ctx)
}

type starter struct {
	start func(ctx context.Context) error
	stop  func(ctx context.Context)
}
