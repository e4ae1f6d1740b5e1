package support

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/riverqueue/river"

	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// warnShare is how much of a target's working time may remain when the
// desk is warned: the last quarter.
const warnShare = 4

// sweepBatch bounds one sweep's tickets; the next minute takes the rest.
const sweepBatch = 500

// Sweep is what one SLA sweep did.
type Sweep struct {
	Warned, Breached int
}

// SLAEvent is the payload of TopicSLA: which timer of which ticket is
// close to its deadline (warning) or past it (breach).
type SLAEvent struct {
	TicketID   platform.ID `json:"ticket_id"`
	Timer      string      `json:"timer"` // first_response or resolution
	Kind       string      `json:"kind"`  // warning or breach
	Due        time.Time   `json:"due"`
	AssigneeID platform.ID `json:"assignee_id,omitempty"`
	Priority   Priority    `json:"priority"`
}

// SweepSLA warns of the active tickets whose deadline is within the last
// quarter of its working time and marks those past it, once per timer
// each: the ticket gets a system note, the outbox an SLA event (for a
// notifier or the console), all in one transaction with the marks, so a
// sweep that runs twice does nothing twice.
func (s *Service) SweepSLA(ctx context.Context) (Sweep, error) {
	var out Sweep
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		out = Sweep{}
		cal, err := Calendar(ctx, tx)
		if err != nil {
			return err
		}
		ps, err := Policies(ctx, tx)
		if err != nil {
			return err
		}
		rows, err := tx.QueryContext(ctx, `SELECT `+ticketCols+` FROM support_tickets WHERE status IN ('open', 'pending')
			AND ((first_responded_at IS NULL AND response_breached_at IS NULL) OR resolution_breached_at IS NULL)
			ORDER BY resolution_due LIMIT $1`, sweepBatch)
		if err != nil {
			return fmt.Errorf("support: sweep: %w", err)
		}
		var due []Ticket
		for rows.Next() {
			t, err := scanTicket(rows)
			if err != nil {
				rows.Close()
				return fmt.Errorf("support: sweep: %w", err)
			}
			due = append(due, t)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("support: sweep: %w", err)
		}
		for _, t := range due {
			p := policyOf(ps, t.Priority)
			if t.FirstRespondedAt == nil && !t.ResponseBreached {
				kind := timerState(cal.Between(tx.Now, t.FirstResponseDue), !tx.Now.Before(t.FirstResponseDue), p.FirstResponse, t.ResponseWarned)
				if err := mark(ctx, tx, t, "first_response", kind, t.FirstResponseDue, &out); err != nil {
					return err
				}
			}
			if !t.ResolveBreached {
				kind := timerState(cal.Between(tx.Now, t.ResolutionDue), !tx.Now.Before(t.ResolutionDue), p.Resolution, t.ResolveWarned)
				if err := mark(ctx, tx, t, "resolution", kind, t.ResolutionDue, &out); err != nil {
					return err
				}
			}
		}
		return nil
	})
	return out, err
}

// timerState is "breach" past the deadline, "warning" in its last
// quarter (once), or "".
func timerState(left time.Duration, past bool, target time.Duration, warned bool) string {
	switch {
	case past:
		return "breach"
	case !warned && left <= target/warnShare:
		return "warning"
	}
	return ""
}

// mark records one timer's warning or breach on t.
func mark(ctx context.Context, tx *store.Tx, t Ticket, timer, kind string, due time.Time, out *Sweep) error {
	if kind == "" {
		return nil
	}
	col := map[string]string{"first_response/warning": "response_warned_at", "first_response/breach": "response_breached_at",
		"resolution/warning": "resolution_warned_at", "resolution/breach": "resolution_breached_at"}[timer+"/"+kind]
	res, err := tx.ExecContext(ctx, `UPDATE support_tickets SET `+col+` = $1 WHERE id = $2 AND `+col+` IS NULL`, tx.Now, t.ID)
	if err != nil {
		return fmt.Errorf("support: mark %s %s on %d: %w", timer, kind, t.ID, err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return nil
	}
	if kind == "warning" {
		out.Warned++
	} else {
		out.Breached++
	}
	note := "SLA " + timer + " " + kind + ": " + due.In(platform.ShopZone).Format("2006-01-02 15:04")
	if _, err := addMessage(ctx, tx, Message{TicketID: t.ID, Author: BySystem, AuthorName: "SLA", Via: t.Channel, Internal: true, Body: note}); err != nil {
		return err
	}
	payload, err := json.Marshal(SLAEvent{TicketID: t.ID, Timer: timer, Kind: kind, Due: due, AssigneeID: t.AssigneeID, Priority: t.Priority})
	if err != nil {
		return err
	}
	return outbox.Publish(ctx, tx, outbox.Event{Topic: TopicSLA, Key: t.ID.String(), Payload: payload})
}

// SweepArgs is the minute job that runs SweepSLA.
type SweepArgs struct{}

// Kind names the job.
func (SweepArgs) Kind() string { return "support.sla_sweep" }

type sweepWorker struct {
	river.WorkerDefaults[SweepArgs]
	s *Service
}

// Work runs one sweep.
func (w *sweepWorker) Work(ctx context.Context, _ *river.Job[SweepArgs]) error {
	_, err := w.s.SweepSLA(ctx)
	return err
}

func sweepJob() *river.PeriodicJob {
	return river.NewPeriodicJob(river.PeriodicInterval(time.Minute),
		func() (river.JobArgs, *river.InsertOpts) { return SweepArgs{}, nil }, &river.PeriodicJobOpts{ID: "support_sla_sweep"})
}
