package app

import (
	"context"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// systemRoutes are health, readiness, metrics, the console entry and the
// language switch.
func (a *App) systemRoutes(rt *web.Router) {
	reg := a.Registry
	// The default registry already has the Go and process collectors and
	// every promauto metric; this one holds the app's own collectors.
	reg.MustRegister(store.NewPoolCollector(a.DB))
	for _, m := range a.Modules {
		for _, c := range m.Collectors {
			reg.MustRegister(c)
		}
	}
	gatherers := prometheus.Gatherers{prometheus.DefaultGatherer, reg}
	metrics := promhttp.HandlerFor(gatherers, promhttp.HandlerOpts{})
	rt.Add(
		web.Route{Method: http.MethodGet, Path: "/healthz", Surface: web.System, Handler: func(w http.ResponseWriter, r *http.Request) error {
			return web.WriteJSON(w, http.StatusOK, map[string]string{"status": "ok"})
		}},
		web.Route{Method: http.MethodGet, Path: "/readyz", Surface: web.System, Handler: a.readyz},
		web.Route{Method: http.MethodGet, Path: "/metrics", Surface: web.System, Handler: func(w http.ResponseWriter, r *http.Request) error {
			metrics.ServeHTTP(w, r)
			return nil
		}},
		web.Route{Method: http.MethodPost, Path: "/console/lang", Surface: web.Console, Public: true, Handler: switchLang},
		web.Route{Method: http.MethodPost, Path: "/lang", Surface: web.Shop, Handler: switchLang},
		web.Route{Method: http.MethodGet, Path: "/console", Surface: web.Console, Perm: PermConsole, Handler: a.consoleHome},
	)
	a.openAPIRoute(rt)
}

// readyz answers 200 only while the app accepts traffic and its database
// answers, so a load balancer stops sending during shutdown.
func (a *App) readyz(w http.ResponseWriter, r *http.Request) error {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	if !a.Ready() || !a.DB.LeaseHealthy() {
		return platform.E(platform.CodeUnavailable)
	}
	// The reader pool: on SQLite the one writer may be busy with a long
	// write (a backup, a demo build) without the node being unready.
	if err := a.DB.R.PingContext(ctx); err != nil {
		return platform.E(platform.CodeUnavailable).Wrap(err)
	}
	return web.WriteJSON(w, http.StatusOK, map[string]string{"status": "ready", "db": string(a.DB.Dialect)})
}

// switchLang stores the chosen language in a cookie and returns to the page.
func switchLang(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	lang := platform.ZH
	if r.PostForm.Get("lang") == string(platform.EN) {
		lang = platform.EN
	}
	http.SetCookie(w, &http.Cookie{Name: web.LangCookie, Value: string(lang), Path: "/", MaxAge: 365 * 24 * 3600, SameSite: http.SameSiteLaxMode, HttpOnly: true})
	next := web.LocalPath(r.PostForm.Get("next"), "/")
	http.Redirect(w, r, next, http.StatusSeeOther)
	return nil
}

// consoleHome sends the viewer to the first console page they may open.
func (a *App) consoleHome(w http.ResponseWriter, r *http.Request) error {
	v := a.Renderer.View(r, nil)
	for _, s := range v.Nav {
		for _, l := range s.Items {
			if l.Path != "/console" {
				http.Redirect(w, r, l.Path, http.StatusSeeOther)
				return nil
			}
		}
	}
	return platform.E(platform.CodeForbidden)
}

// PermConsole lets a staff user into the console at all; every role has it.
const PermConsole platform.Permission = "console.enter"

func init() {
	platform.RegisterPermissions(platform.PermissionDef{
		Perm:  PermConsole,
		Label: platform.Message{ZH: "进入运营后台", EN: "Enter the console"},
		Roles: platform.StaffRoles,
	})
}
