package support

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Scorecard is the service figures of one agent, one team or the whole
// desk over a period (tickets opened in it). Times are working time.
type Scorecard struct {
	ID   platform.ID `json:"id,omitempty"`
	Name string      `json:"name"`
	// Tickets opened in the period and assigned here; Resolved of them.
	Tickets  int `json:"tickets"`
	Resolved int `json:"resolved"`
	// Backlog is open and pending tickets now, whenever opened.
	Backlog int `json:"backlog"`
	// AvgFirstResponse and AvgResolution are means in seconds of working
	// time over the tickets that had one.
	AvgFirstResponse float64 `json:"avg_first_response_seconds"`
	AvgResolution    float64 `json:"avg_resolution_seconds"`
	// ResponseSLA and ResolutionSLA are the shares (0–1) of answered and
	// resolved tickets that met their deadline; -1 when none.
	ResponseSLA   float64 `json:"response_sla"`
	ResolutionSLA float64 `json:"resolution_sla"`
	// CSAT is the mean score 1–5 (0 with no ratings), Satisfied the share
	// of ratings of 4 or 5, Ratings how many.
	CSAT      float64 `json:"csat"`
	Satisfied float64 `json:"satisfied"`
	Ratings   int     `json:"ratings"`

	frSum, frN, resSum, resN, frMet, resMet, csatSum, happy int64
}

func (s *Scorecard) finish() {
	avg := func(sum, n int64) float64 {
		if n == 0 {
			return 0
		}
		return float64(sum) / float64(n)
	}
	share := func(k, n int64) float64 {
		if n == 0 {
			return -1
		}
		return float64(k) / float64(n)
	}
	s.AvgFirstResponse, s.AvgResolution = avg(s.frSum, s.frN), avg(s.resSum, s.resN)
	s.ResponseSLA, s.ResolutionSLA = share(s.frMet, s.frN), share(s.resMet, s.resN)
	s.CSAT = avg(s.csatSum, int64(s.Ratings))
	s.Satisfied = share(s.happy, int64(s.Ratings))
	if s.Ratings == 0 {
		s.Satisfied = -1
	}
}

// Metrics are the desk's scorecards for a period.
type Metrics struct {
	From   time.Time   `json:"from"`
	To     time.Time   `json:"to"`
	Total  Scorecard   `json:"total"`
	Agents []Scorecard `json:"agents"`
	Teams  []Scorecard `json:"teams"`
}

// ServiceMetrics computes the scorecards of tickets opened in [from, to)
// per agent, per team and in total, and the backlog now.
func ServiceMetrics(ctx context.Context, q store.Querier, from, to time.Time) (Metrics, error) {
	m := Metrics{From: from, To: to, Total: Scorecard{Name: "total"}}
	agents, teams := map[platform.ID]*Scorecard{}, map[platform.ID]*Scorecard{}
	rows, err := q.QueryContext(ctx, `SELECT assignee_id, team_id, COUNT(*),
		SUM(CASE WHEN resolved_at IS NOT NULL THEN 1 ELSE 0 END),
		COALESCE(SUM(first_response_work), 0), COUNT(first_response_work),
		COALESCE(SUM(resolution_work), 0), COUNT(resolution_work),
		SUM(CASE WHEN first_responded_at IS NOT NULL AND first_responded_at <= first_response_due THEN 1 ELSE 0 END),
		SUM(CASE WHEN resolved_at IS NOT NULL AND resolved_at <= resolution_due THEN 1 ELSE 0 END),
		COALESCE(SUM(csat_score), 0), COUNT(csat_score), SUM(CASE WHEN csat_score >= 4 THEN 1 ELSE 0 END)
		FROM support_tickets WHERE created_at >= $1 AND created_at < $2 GROUP BY assignee_id, team_id`, store.Time(from), store.Time(to))
	if err != nil {
		return m, fmt.Errorf("support: metrics: %w", err)
	}
	for rows.Next() {
		var agent, team sql.NullInt64
		var r Scorecard
		if err := rows.Scan(&agent, &team, &r.Tickets, &r.Resolved, &r.frSum, &r.frN, &r.resSum, &r.resN, &r.frMet, &r.resMet, &r.csatSum, &r.Ratings, &r.happy); err != nil {
			rows.Close()
			return m, fmt.Errorf("support: metrics: %w", err)
		}
		add(&m.Total, r)
		add(card(agents, platform.ID(agent.Int64)), r)
		add(card(teams, platform.ID(team.Int64)), r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return m, fmt.Errorf("support: metrics: %w", err)
	}
	rows, err = q.QueryContext(ctx, `SELECT assignee_id, team_id, COUNT(*) FROM support_tickets WHERE status IN ('open', 'pending') GROUP BY assignee_id, team_id`)
	if err != nil {
		return m, fmt.Errorf("support: backlog: %w", err)
	}
	for rows.Next() {
		var agent, team sql.NullInt64
		var n int
		if err := rows.Scan(&agent, &team, &n); err != nil {
			rows.Close()
			return m, fmt.Errorf("support: backlog: %w", err)
		}
		m.Total.Backlog += n
		card(agents, platform.ID(agent.Int64)).Backlog += n
		card(teams, platform.ID(team.Int64)).Backlog += n
	}
	rows.Close()
	names := map[platform.ID]string{}
	nrows, err := q.QueryContext(ctx, `SELECT u.id, u.name FROM staff_users u JOIN support_agents a ON a.staff_id = u.id
		UNION ALL SELECT id, name FROM support_teams`)
	if err != nil {
		return m, fmt.Errorf("support: metric names: %w", err)
	}
	for nrows.Next() {
		var id platform.ID
		var name string
		if err := nrows.Scan(&id, &name); err != nil {
			nrows.Close()
			return m, err
		}
		names[id] = name
	}
	nrows.Close()
	m.Total.finish()
	m.Agents, m.Teams = cards(agents, names), cards(teams, names)
	return m, nil
}

func card(m map[platform.ID]*Scorecard, id platform.ID) *Scorecard {
	c, ok := m[id]
	if !ok {
		c = &Scorecard{ID: id}
		m[id] = c
	}
	return c
}

func add(c *Scorecard, r Scorecard) {
	c.Tickets += r.Tickets
	c.Resolved += r.Resolved
	c.frSum, c.frN, c.resSum, c.resN = c.frSum+r.frSum, c.frN+r.frN, c.resSum+r.resSum, c.resN+r.resN
	c.frMet, c.resMet, c.csatSum, c.happy = c.frMet+r.frMet, c.resMet+r.resMet, c.csatSum+r.csatSum, c.happy+r.happy
	c.Ratings += r.Ratings
}

// cards finishes the scorecards, named, busiest first; id 0 (nobody)
// is named "".
func cards(m map[platform.ID]*Scorecard, names map[platform.ID]string) []Scorecard {
	out := make([]Scorecard, 0, len(m))
	for id, c := range m {
		c.Name = names[id]
		c.finish()
		out = append(out, *c)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Tickets != out[j].Tickets {
			return out[i].Tickets > out[j].Tickets
		}
		return out[i].ID < out[j].ID
	})
	return out
}
