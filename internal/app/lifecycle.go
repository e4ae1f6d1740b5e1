package app

import (
	"context"
	"strings"
)

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

// EnsureOwner runs every module's first-run step (the staff domain creates
// the first owner on an empty database) and returns the lines to print
// once; "" when there is nothing new.
func (a *App) EnsureOwner(ctx context.Context) (string, error) {
	var out []string
	for _, m := range a.Modules {
		if m.FirstRun == nil {
			continue
		}
		s, err := m.FirstRun(ctx)
		if err != nil {
			return "", err
		}
		if s != "" {
			out = append(out, s)
		}
	}
	return strings.Join(out, "\n"), nil
}

type starter struct {
	start func(ctx context.Context) error
	stop  func(ctx context.Context)
}
