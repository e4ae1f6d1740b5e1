package support

import (
	"context"
	"fmt"
	"strings"
	"unicode/utf8"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// SaveTeam adds a team (id 0) or renames it and sets its skills,
// audited.
//
// Errors: CodeInvalid (422: name missing or too long, unknown skill,
// name taken), CodeNotFound, or a database error.
func (s *Service) SaveTeam(ctx context.Context, by audit.Actor, t Team) (Team, error) {
	t.Name = strings.TrimSpace(t.Name)
	if n := utf8.RuneCountInString(t.Name); n == 0 || n > 40 {
		return t, platform.Invalid("name", "field.required")
	}
	skills, err := validSkills(t.Skills)
	if err != nil {
		return t, err
	}
	t.Skills = skills
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		var err error
		if t.ID == 0 {
			t.ID = tx.NewID()
			_, err = tx.ExecContext(ctx, `INSERT INTO support_teams (id, name, skills, created_at) VALUES ($1, $2, $3, $4)`, t.ID, t.Name, strings.Join(skills, ","), tx.Now)
		} else {
			var res interface{ RowsAffected() (int64, error) }
			res, err = tx.ExecContext(ctx, `UPDATE support_teams SET name = $1, skills = $2 WHERE id = $3`, t.Name, strings.Join(skills, ","), t.ID)
			if err == nil {
				if n, _ := res.RowsAffected(); n != 1 {
					return platform.NotFound("team")
				}
			}
		}
		if store.IsUniqueViolation(err) {
			return platform.Invalid("name", "support.field.name_taken")
		}
		if err != nil {
			return fmt.Errorf("support: save team: %w", err)
		}
		return audit.Change(ctx, tx, by, "support.team_save", "support_team", t.ID, nil, t)
	})
	return t, err
}

// SaveAgent makes a staff user an agent (or changes one): team, skills,
// active. Deactivated agents get no new tickets.
//
// Errors: CodeInvalid (422: no such staff user or team, unknown skill),
// or a database error.
func (s *Service) SaveAgent(ctx context.Context, by audit.Actor, a Agent) (Agent, error) {
	skills, err := validSkills(a.Skills)
	if err != nil {
		return a, err
	}
	a.Skills = skills
	err = s.db.Write(ctx, func(tx *store.Tx) error {
		if err := tx.QueryRowContext(ctx, `SELECT name FROM staff_users WHERE id = $1`, a.StaffID).Scan(&a.Name); err != nil {
			return platform.Invalid("staff_id", "field.invalid")
		}
		if a.TeamID != 0 {
			if err := tx.QueryRowContext(ctx, `SELECT name FROM support_teams WHERE id = $1`, a.TeamID).Scan(&a.TeamName); err != nil {
				return platform.Invalid("team_id", "field.invalid")
			}
		}
		_, err := tx.ExecContext(ctx, `INSERT INTO support_agents (staff_id, team_id, skills, active, created_at) VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (staff_id) DO UPDATE SET team_id = excluded.team_id, skills = excluded.skills, active = excluded.active`,
			a.StaffID, nullID(a.TeamID), strings.Join(skills, ","), a.Active, tx.Now)
		if err != nil {
			return fmt.Errorf("support: save agent %d: %w", a.StaffID, err)
		}
		return audit.Change(ctx, tx, by, "support.agent_save", "support_agent", a.StaffID, nil, a)
	})
	return a, err
}

// SetPolicy changes one priority's SLA targets, audited.
//
// Errors: as the package's SetPolicy.
func (s *Service) SetPolicy(ctx context.Context, by audit.Actor, p Policy) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if err := SetPolicy(ctx, tx, p); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: by, Action: "support.sla_save", EntityType: "support_sla", EntityID: string(p.Priority), After: p})
	})
}

// SetCalendar changes the daily hours, audited.
//
// Errors: as SetHours.
func (s *Service) SetCalendar(ctx context.Context, by audit.Actor, startMin, endMin int) error {
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if err := SetHours(ctx, tx, startMin, endMin); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: by, Action: "support.hours_save", EntityType: "support_calendar", EntityID: "1",
			After: map[string]int{"start_min": startMin, "end_min": endMin}})
	})
}

// SetShopDay makes a day worked or off for the shop, audited.
//
// Errors: as SetDay.
func (s *Service) SetShopDay(ctx context.Context, by audit.Actor, day string, worked bool, note string) error {
	note = strings.TrimSpace(note)
	if utf8.RuneCountInString(note) > 100 {
		return platform.Invalid("note", "field.too_long", 100)
	}
	return s.db.Write(ctx, func(tx *store.Tx) error {
		if err := SetDay(ctx, tx, day, worked, note); err != nil {
			return err
		}
		return audit.Record(ctx, tx, audit.Entry{Actor: by, Action: "support.day_save", EntityType: "support_calendar_day", EntityID: day,
			After: map[string]any{"worked": worked, "note": note}})
	})
}
