package payment

import (
	"io"
	"log/slog"
)

// quietLog drops River's warnings about the deliveries the tests make
// fail on purpose.
func quietLog() *slog.Logger {
	return slog.New(slog.NewTextHandler(io.Discard, nil))
}
