// Package ops shows the health of the program itself to staff: the job
// queue and the outbox consumers. It is a console module like any domain.
package ops

import (
	"embed"
	"io/fs"
	"net/http"
	"time"

	"github.com/riverqueue/river/rivertype"

	"storeops/internal/jobs"
	"storeops/internal/module"
	"storeops/internal/outbox"
	"storeops/internal/platform"
	"storeops/internal/web"
)

//go:embed templates
var templates embed.FS

// PermView lets a user see job and outbox health.
const PermView platform.Permission = "system.view"

type service struct{ d *module.Deps }

// Module registers the system health pages.
func Module(d *module.Deps) (*module.Module, error) {
	s := &service{d: d}
	tpl, err := fs.Sub(templates, "templates")
	if err != nil {
		return nil, err
	}
	return &module.Module{
		Name: "ops",
		Permissions: []platform.PermissionDef{{
			Perm:  PermView,
			Label: platform.Message{ZH: "查看系统运行状况（任务队列、事件流）", EN: "View system health (jobs, outbox)"},
			Roles: []platform.Role{platform.RoleAdmin},
		}},
		Messages: texts,
		Menu: []web.MenuItem{
			{Section: "nav.system", Label: "ops.nav.jobs", Path: "/console/system/jobs", Perm: PermView, Order: 900},
			{Section: "nav.system", Label: "ops.nav.outbox", Path: "/console/system/outbox", Perm: PermView, Order: 901},
		},
		Templates: tpl,
		Routes: func(r *web.Router, rd *web.Renderer) {
			r.Add(web.Route{Method: http.MethodGet, Path: "/console/system/jobs", Surface: web.Console, Perm: PermView,
				Handler: func(w http.ResponseWriter, req *http.Request) error { return s.jobsPage(w, req, rd) }})
			r.Add(web.Route{Method: http.MethodGet, Path: "/console/system/outbox", Surface: web.Console, Perm: PermView,
				Handler: func(w http.ResponseWriter, req *http.Request) error { return s.outboxPage(w, req, rd) }})
		},
	}, nil
}

// JobsPage is the data of the jobs page.
type JobsPage struct {
	States []StateCount
	Oldest time.Duration
	Recent []jobs.Job
	Filter string
	// ExportURL downloads the recent jobs table, filter kept, as XLSX.
	ExportURL string
}

// StateCount is one state's count.
type StateCount struct {
	State string
	Count int
	Bad   bool
}

func (s *service) jobsPage(w http.ResponseWriter, r *http.Request, rd *web.Renderer) error {
	q := s.d.Jobs
	st, err := q.Stats(r.Context())
	if err != nil {
		return err
	}
	page := JobsPage{Oldest: st.OldestAvailable.Round(time.Second)}
	for _, state := range jobs.States {
		n := st.Count(state)
		page.States = append(page.States, StateCount{State: string(state), Count: n,
			Bad: n > 0 && (state == rivertype.JobStateDiscarded || state == rivertype.JobStateRetryable)})
	}
	var f jobs.RecentFilter
	if v := r.URL.Query().Get("state"); v != "" {
		for _, state := range jobs.States {
			if string(state) == v {
				f.States = []rivertype.JobState{state}
				page.Filter = v
			}
		}
	}
	page.Recent, err = q.Recent(r.Context(), f, 100)
	if err != nil {
		return err
	}
	table := jobsTable(web.LangOf(r), page.Recent)
	if done, err := web.Export(w, r, table); done {
		return err
	}
	page.ExportURL = table.ExportURL(r)
	return rd.Render(w, r, http.StatusOK, "ops/jobs", page)
}

// OutboxPage is the data of the outbox page.
type OutboxPage struct {
	Consumers []outbox.ConsumerLag
	Stalled   time.Duration
}

// stalledAfter marks a consumer whose oldest unread event waited longer.
const stalledAfter = time.Minute

func (s *service) outboxPage(w http.ResponseWriter, r *http.Request, rd *web.Renderer) error {
	lags, err := s.d.Outbox.Lag(r.Context())
	if err != nil {
		return err
	}
	return rd.Render(w, r, http.StatusOK, "ops/outbox", OutboxPage{Consumers: lags, Stalled: stalledAfter})
}

var texts = platform.Texts{
	"ops.outbox.title":    {"事件流（Outbox）消费进度", "Outbox consumers"},
	"ops.outbox.help":     {"领域事件与业务变更在同一事务中写入事件流；每个消费者记录自己的位置。积压持续增长说明消费者出错或过慢。", "Domain events are written to the outbox in the same transaction as the change; each consumer keeps its own position. A growing backlog means a consumer is failing or slow."},
	"ops.outbox.consumer": {"消费者", "Consumer"},
	"ops.outbox.position": {"位置", "Position"},
	"ops.outbox.behind":   {"积压事件", "Events behind"},
	"ops.outbox.oldest":   {"最早未处理事件已等待", "Oldest unread waited"},
	"ops.outbox.seen":     {"最近活动", "Last active"},
	"ops.outbox.none":     {"尚无消费者登记", "No consumer has registered yet"},
	"ops.outbox.ok":       {"正常", "OK"},
	"ops.outbox.stalled":  {"滞后", "Lagging"},
	"ops.nav.jobs":        {"任务队列", "Job queue"},
	"ops.nav.outbox":      {"事件流", "Outbox"},
	"ops.jobs.title":      {"后台任务队列", "Background job queue"},
	"ops.jobs.oldest":     {"最早待执行任务已等待", "Oldest waiting job has waited"},
	"ops.jobs.recent":     {"最近任务", "Recent jobs"},
	"ops.jobs.all":        {"全部", "All"},
	"ops.jobs.id":         {"任务 ID", "Job ID"},
	"ops.jobs.export":     {"导出 Excel", "Export to Excel"},
	"ops.jobs.kind":       {"类型", "Kind"},
	"ops.jobs.state":      {"状态", "State"},
	"ops.jobs.attempts":   {"尝试次数", "Attempts"},
	"ops.jobs.created":    {"创建时间", "Created"},
	"ops.jobs.finalized":  {"完成时间", "Finished"},
	"ops.jobs.errors":     {"错误", "Errors"},
	"ops.jobs.none":       {"暂无任务", "No jobs"},
	"ops.state.available": {"待执行", "Available"},
	"ops.state.running":   {"执行中", "Running"},
	"ops.state.retryable": {"等待重试", "Retryable"},
	"ops.state.scheduled": {"已计划", "Scheduled"},
	"ops.state.pending":   {"挂起", "Pending"},
	"ops.state.completed": {"已完成", "Completed"},
	"ops.state.discarded": {"已放弃", "Discarded"},
	"ops.state.cancelled": {"已取消", "Cancelled"},
}
