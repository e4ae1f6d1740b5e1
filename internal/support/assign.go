package support

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Agent is a staff user who answers tickets, in a team, with skills
// (ticket types and channels; none means any).
type Agent struct {
	StaffID  platform.ID `json:"staff_id"`
	Name     string      `json:"name"`
	TeamID   platform.ID `json:"team_id,omitempty"`
	TeamName string      `json:"team_name,omitempty"`
	Skills   []string    `json:"skills"`
	Active   bool        `json:"active"`
}

// Team groups agents; its skills apply to members without their own.
type Team struct {
	ID     platform.ID `json:"id"`
	Name   string      `json:"name"`
	Skills []string    `json:"skills"`
}

func splitSkills(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// validSkills keeps known types and channels, and reports the first
// unknown one.
func validSkills(skills []string) ([]string, error) {
	var out []string
	for _, s := range skills {
		s = strings.TrimSpace(s)
		if s == "" {
			continue
		}
		if !Type(s).Valid() && !Channel(s).Valid() {
			return nil, platform.Invalid("skills", "field.invalid")
		}
		if !slices.Contains(out, s) {
			out = append(out, s)
		}
	}
	return out, nil
}

// pickAgent chooses who gets a new ticket: among the active agents
// (active staff users too), those whose skills (or their team's) include
// the type or the channel; failing those, the generalists without
// skills. The one assigned longest ago (never first) goes next, so work
// goes round. No agent leaves the ticket unassigned in the queue.
//
// On PostgreSQL the agents' rows are locked so two tickets opened at
// once go to two agents.
func pickAgent(ctx context.Context, tx *store.Tx, typ Type, ch Channel) (teamID, agentID platform.ID, err error) {
	q := `SELECT a.staff_id, a.team_id, a.skills, COALESCE(t.skills, '') FROM support_agents a
		JOIN staff_users u ON u.id = a.staff_id LEFT JOIN support_teams t ON t.id = a.team_id
		WHERE a.active = TRUE AND u.active = TRUE
		ORDER BY a.last_assigned_at IS NOT NULL, a.last_assigned_at, a.staff_id`
	if tx.Dialect == store.Postgres {
		q += ` FOR UPDATE OF a`
	}
	rows, err := tx.QueryContext(ctx, q)
	if err != nil {
		return 0, 0, fmt.Errorf("support: pick agent: %w", err)
	}
	type cand struct{ staff, team platform.ID }
	var skilled, general []cand
	for rows.Next() {
		var c cand
		var team sql.NullInt64
		var own, teams string
		if err := rows.Scan(&c.staff, &team, &own, &teams); err != nil {
			rows.Close()
			return 0, 0, fmt.Errorf("support: pick agent: %w", err)
		}
		c.team = platform.ID(team.Int64)
		skills := splitSkills(own)
		if len(skills) == 0 {
			skills = splitSkills(teams)
		}
		switch {
		case len(skills) == 0:
			general = append(general, c)
		case slices.Contains(skills, string(typ)) || slices.Contains(skills, string(ch)):
			skilled = append(skilled, c)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, fmt.Errorf("support: pick agent: %w", err)
	}
	pool := skilled
	if len(pool) == 0 {
		pool = general
	}
	if len(pool) == 0 {
		return 0, 0, nil
	}
	c := pool[0]
	if _, err := tx.ExecContext(ctx, `UPDATE support_agents SET last_assigned_at = $1 WHERE staff_id = $2`, tx.Now, c.staff); err != nil {
		return 0, 0, fmt.Errorf("support: pick agent: %w", err)
	}
	return c.team, c.staff, nil
}

// activeAgent checks that staffID is an active agent and returns its
// team.
func activeAgent(ctx context.Context, q store.Querier, staffID platform.ID) (platform.ID, error) {
	var team sql.NullInt64
	err := q.QueryRowContext(ctx, `SELECT a.team_id FROM support_agents a JOIN staff_users u ON u.id = a.staff_id
		WHERE a.staff_id = $1 AND a.active = TRUE AND u.active = TRUE`, staffID).Scan(&team)
	if err == sql.ErrNoRows {
		return 0, platform.E(CodeNotAgent)
	}
	if err != nil {
		return 0, fmt.Errorf("support: read agent %d: %w", staffID, err)
	}
	return platform.ID(team.Int64), nil
}

// Agents lists the agents with their names and teams.
func Agents(ctx context.Context, q store.Querier) ([]Agent, error) {
	rows, err := q.QueryContext(ctx, `SELECT a.staff_id, u.name, a.team_id, COALESCE(t.name, ''), a.skills, a.active
		FROM support_agents a JOIN staff_users u ON u.id = a.staff_id LEFT JOIN support_teams t ON t.id = a.team_id ORDER BY u.name, a.staff_id`)
	if err != nil {
		return nil, fmt.Errorf("support: list agents: %w", err)
	}
	defer rows.Close()
	var out []Agent
	for rows.Next() {
		var a Agent
		var team sql.NullInt64
		var skills string
		if err := rows.Scan(&a.StaffID, &a.Name, &team, &a.TeamName, &skills, &a.Active); err != nil {
			return nil, fmt.Errorf("support: list agents: %w", err)
		}
		a.TeamID, a.Skills = platform.ID(team.Int64), splitSkills(skills)
		out = append(out, a)
	}
	return out, rows.Err()
}

// Teams lists the teams by name.
func Teams(ctx context.Context, q store.Querier) ([]Team, error) {
	rows, err := q.QueryContext(ctx, `SELECT id, name, skills FROM support_teams ORDER BY name`)
	if err != nil {
		return nil, fmt.Errorf("support: list teams: %w", err)
	}
	defer rows.Close()
	var out []Team
	for rows.Next() {
		var t Team
		var skills string
		if err := rows.Scan(&t.ID, &t.Name, &skills); err != nil {
			return nil, fmt.Errorf("support: list teams: %w", err)
		}
		t.Skills = splitSkills(skills)
		out = append(out, t)
	}
	return out, rows.Err()
}
