package support

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// SettingsData is the desk's settings page.
type SettingsData struct {
	Agents     []AgentRow
	Teams      []TeamRow
	TeamList   []Team
	Candidates []Candidate
	Policies   []PolicyRow
	Start, End string
	Days       []ShopDay
	Canned     []Canned
	Care       []CareRule
	Skills     []SkillBox
	Flash      string
	Error      string
}

// SkillBox is one skill's checkbox.
type SkillBox struct {
	Value, Label string
	Checked      bool
}

// AgentRow and TeamRow carry their skill checkboxes.
type AgentRow struct {
	Agent
	Boxes []SkillBox
}

// TeamRow is a team with its skill checkboxes.
type TeamRow struct {
	Team
	Boxes []SkillBox
}

// PolicyRow is one priority's targets in minutes.
type PolicyRow struct {
	Priority         Priority
	FirstMin, ResMin int64
}

func skillBoxes(lang platform.Lang, have []string) []SkillBox {
	var out []SkillBox
	for _, t := range Types {
		out = append(out, SkillBox{Value: string(t), Label: platform.T(lang, t.Label()), Checked: slices.Contains(have, string(t))})
	}
	for _, c := range Channels {
		out = append(out, SkillBox{Value: string(c), Label: platform.T(lang, c.Label()), Checked: slices.Contains(have, string(c))})
	}
	return out
}

// Candidate is a staff user who could become an agent.
type Candidate struct {
	ID   platform.ID
	Name string
}

// ShopDay is one of the shop's own calendar days.
type ShopDay struct {
	Day    string
	Worked bool
	Note   string
}

func clock(min int) string { return time.Time{}.Add(time.Duration(min) * time.Minute).Format("15:04") }

func (h *handlers) settingsPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderSettings(w, r, http.StatusOK, "")
}

func (h *handlers) renderSettings(w http.ResponseWriter, r *http.Request, status int, errMsg string) error {
	ctx := r.Context()
	data := SettingsData{Error: errMsg}
	if r.URL.Query().Get("done") == "1" {
		data.Flash = platform.T(web.LangOf(r), "support.done.classify")
	}
	lang := web.LangOf(r)
	data.Skills = skillBoxes(lang, nil)
	agents, err := Agents(ctx, h.db.R)
	if err != nil {
		return err
	}
	for _, a := range agents {
		data.Agents = append(data.Agents, AgentRow{Agent: a, Boxes: skillBoxes(lang, a.Skills)})
	}
	if data.TeamList, err = Teams(ctx, h.db.R); err != nil {
		return err
	}
	for _, t := range data.TeamList {
		data.Teams = append(data.Teams, TeamRow{Team: t, Boxes: skillBoxes(lang, t.Skills)})
	}
	rows, err := h.db.R.QueryContext(ctx, `SELECT id, name FROM staff_users WHERE active = TRUE ORDER BY name, id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var c Candidate
		if err := rows.Scan(&c.ID, &c.Name); err != nil {
			rows.Close()
			return err
		}
		data.Candidates = append(data.Candidates, c)
	}
	rows.Close()
	ps, err := Policies(ctx, h.db.R)
	if err != nil {
		return err
	}
	for _, p := range Priorities {
		v := policyOf(ps, p)
		data.Policies = append(data.Policies, PolicyRow{Priority: p, FirstMin: int64(v.FirstResponse / time.Minute), ResMin: int64(v.Resolution / time.Minute)})
	}
	var start, end int
	if err := h.db.R.QueryRowContext(ctx, `SELECT start_min, end_min FROM support_calendar WHERE id = 1`).Scan(&start, &end); err != nil {
		return err
	}
	data.Start, data.End = clock(start), clock(end)
	drows, err := h.db.R.QueryContext(ctx, `SELECT day, worked, note FROM support_calendar_days ORDER BY day DESC LIMIT 60`)
	if err != nil {
		return err
	}
	for drows.Next() {
		var d ShopDay
		if err := drows.Scan(&d.Day, &d.Worked, &d.Note); err != nil {
			drows.Close()
			return err
		}
		data.Days = append(data.Days, d)
	}
	drows.Close()
	if data.Canned, err = h.s.CannedReplies(ctx); err != nil {
		return err
	}
	if data.Care, err = CareRules(ctx, h.db.R); err != nil {
		return err
	}
	return h.rd.Render(w, r, status, "support/settings", data)
}

// parseClock reads "09:30" as minutes after midnight ("24:00" is the
// end of the day).
func parseClock(s string) (int, bool) {
	h, m, ok := strings.Cut(strings.TrimSpace(s), ":")
	hh, err1 := strconv.Atoi(h)
	mm, err2 := strconv.Atoi(m)
	if !ok || err1 != nil || err2 != nil || hh < 0 || hh > 24 || mm < 0 || mm > 59 {
		return 0, false
	}
	return hh*60 + mm, true
}

func optID(s string) (platform.ID, error) {
	if strings.TrimSpace(s) == "" {
		return 0, nil
	}
	return platform.ParseID(strings.TrimSpace(s))
}

// settingsForm is the handler of one form of the settings page.
func (h *handlers) settingsForm(what string) web.Handler {
	return func(w http.ResponseWriter, r *http.Request) error {
		if err := r.ParseForm(); err != nil {
			return platform.E(platform.CodeBadRequest).Wrap(err)
		}
		f, by, ctx := r.PostForm, audit.ActorFrom(r), r.Context()
		var err error
		switch what {
		case "agent":
			var staffID, teamID platform.ID
			if staffID, err = optID(f.Get("staff_id")); err == nil {
				if teamID, err = optID(f.Get("team_id")); err == nil {
					_, err = h.s.SaveAgent(ctx, by, Agent{StaffID: staffID, TeamID: teamID, Skills: f["skills"], Active: f.Get("active") == "1"})
				}
			}
		case "team":
			var id platform.ID
			if id, err = optID(f.Get("id")); err == nil {
				_, err = h.s.SaveTeam(ctx, by, Team{ID: id, Name: f.Get("name"), Skills: f["skills"]})
			}
		case "sla":
			fr, _ := strconv.Atoi(f.Get("first_response_min"))
			res, _ := strconv.Atoi(f.Get("resolution_min"))
			err = h.s.SetPolicy(ctx, by, Policy{Priority: Priority(f.Get("priority")), FirstResponse: time.Duration(fr) * time.Minute, Resolution: time.Duration(res) * time.Minute})
		case "hours":
			start, ok1 := parseClock(f.Get("start"))
			end, ok2 := parseClock(f.Get("end"))
			if !ok1 || !ok2 {
				err = platform.Invalid("end", "support.field.hours_invalid")
			} else {
				err = h.s.SetCalendar(ctx, by, start, end)
			}
		case "day":
			err = h.s.SetShopDay(ctx, by, f.Get("day"), f.Get("worked") == "1", f.Get("note"))
		case "canned":
			var id platform.ID
			if id, err = optID(f.Get("id")); err == nil {
				if f.Get("delete") == "1" {
					err = h.s.DeleteCanned(ctx, by, id)
				} else {
					_, err = h.s.SaveCanned(ctx, by, Canned{ID: id, Title: f.Get("title"), Body: f.Get("body")})
				}
			}
		case "care":
			days, _ := strconv.Atoi(f.Get("days"))
			err = h.s.SaveCareRule(ctx, by, CareRule{Kind: f.Get("kind"), Enabled: f.Get("enabled") == "1", Action: f.Get("action"), Days: days, Template: f.Get("template")})
		}
		if err != nil {
			e := platform.AsError(err)
			if e.Code == platform.CodeInternal {
				return err
			}
			lang := web.LangOf(r)
			msg := e.Message(lang)
			for _, fe := range e.Fields {
				msg += " (" + fe.Field + ": " + platform.T(lang, fe.Key, fe.Args...) + ")"
			}
			page := r.Clone(ctx)
			page.Method, page.URL = http.MethodGet, &url.URL{Path: "/console/support/settings"}
			return h.renderSettings(w, page, e.Code.Status(), msg)
		}
		http.Redirect(w, r, "/console/support/settings?done=1#"+what, http.StatusSeeOther)
		return nil
	}
}
