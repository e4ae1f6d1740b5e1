package jobs

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/riverqueue/river"
	"github.com/riverqueue/river/rivertype"
)

// Stats is the queue at one moment, for the console and /metrics.
type Stats struct {
	Available, Running, Retryable, Scheduled, Pending int
	Completed, Discarded, Cancelled                   int
	// OldestAvailable is how long the oldest job ready to run has waited;
	// zero when none waits. A growing value means workers fall behind.
	OldestAvailable time.Duration
}

// States lists the job states in the order the console shows them.
var States = []rivertype.JobState{
	rivertype.JobStateAvailable, rivertype.JobStateRunning, rivertype.JobStateRetryable,
	rivertype.JobStateScheduled, rivertype.JobStatePending, rivertype.JobStateCompleted,
	rivertype.JobStateDiscarded, rivertype.JobStateCancelled,
}

// Count is the number of jobs in state.
func (s Stats) Count(state rivertype.JobState) int {
	if p := s.field(state); p != nil {
		return *p
	}
	return 0
}

// field is the counter of state, or nil for an unknown state.
func (s *Stats) field(state rivertype.JobState) *int {
	switch state {
	case rivertype.JobStateAvailable:
		return &s.Available
	case rivertype.JobStateRunning:
		return &s.Running
	case rivertype.JobStateRetryable:
		return &s.Retryable
	case rivertype.JobStateScheduled:
		return &s.Scheduled
	case rivertype.JobStatePending:
		return &s.Pending
	case rivertype.JobStateCompleted:
		return &s.Completed
	case rivertype.JobStateDiscarded:
		return &s.Discarded
	case rivertype.JobStateCancelled:
		return &s.Cancelled
	}
	return nil
}

// Stats counts jobs by state. It reads through the reader pool, so on
// SQLite it never waits for the writer.
func (q *Queue) Stats(ctx context.Context) (Stats, error) {
	var s Stats
	rows, err := q.db.R.QueryContext(ctx, `SELECT state, COUNT(*) FROM river_job GROUP BY state`)
	if err != nil {
		return s, fmt.Errorf("jobs: stats: %w", err)
	}
	defer rows.Close()
	for rows.Next() {
		var state string
		var n int
		if err := rows.Scan(&state, &n); err != nil {
			return s, fmt.Errorf("jobs: stats: %w", err)
		}
		if p := s.field(rivertype.JobState(state)); p != nil {
			*p = n
		}
	}
	if err := rows.Err(); err != nil {
		return s, fmt.Errorf("jobs: stats: %w", err)
	}
	var oldest sql.NullTime
	err = q.db.R.QueryRowContext(ctx,
		`SELECT scheduled_at FROM river_job WHERE state = 'available' ORDER BY scheduled_at LIMIT 1`).Scan(&oldest)
	if err != nil && err != sql.ErrNoRows {
		return s, fmt.Errorf("jobs: stats: oldest: %w", err)
	}
	// River stamps jobs with the real time, not the business clock.
	if oldest.Valid {
		s.OldestAvailable = max(time.Since(oldest.Time), 0)
	}
	return s, nil
}

// Job is one job as the console lists it.
type Job struct {
	ID          int64
	Kind        string
	Queue       string
	State       rivertype.JobState
	Attempt     int
	MaxAttempts int
	// Errors are the messages of failed attempts, oldest first.
	Errors      []string
	CreatedAt   time.Time
	ScheduledAt time.Time
	AttemptedAt *time.Time
	FinalizedAt *time.Time
}

// RecentFilter narrows Recent; empty fields match everything.
type RecentFilter struct {
	Kinds  []string
	States []rivertype.JobState
}

// Recent lists the newest jobs matching f, newest first, at most limit
// (default 50, at most 500).
func (q *Queue) Recent(ctx context.Context, f RecentFilter, limit int) ([]Job, error) {
	if limit <= 0 {
		limit = 50
	}
	limit = min(limit, 500)
	p := river.NewJobListParams().OrderBy(river.JobListOrderByID, river.SortOrderDesc).First(limit)
	if len(f.Kinds) > 0 {
		p = p.Kinds(f.Kinds...)
	}
	if len(f.States) > 0 {
		p = p.States(f.States...)
	}
	res, err := q.client.JobList(ctx, p)
	if err != nil {
		return nil, fmt.Errorf("jobs: list: %w", err)
	}
	out := make([]Job, 0, len(res.Jobs))
	for _, r := range res.Jobs {
		j := Job{
			ID: r.ID, Kind: r.Kind, Queue: r.Queue, State: r.State,
			Attempt: r.Attempt, MaxAttempts: r.MaxAttempts,
			CreatedAt: r.CreatedAt, ScheduledAt: r.ScheduledAt,
			AttemptedAt: r.AttemptedAt, FinalizedAt: r.FinalizedAt,
		}
		for _, e := range r.Errors {
			j.Errors = append(j.Errors, e.Error)
		}
		out = append(out, j)
	}
	return out, nil
}
