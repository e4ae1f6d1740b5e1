package support

import (
	"net/http"
	"strconv"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// ContactPage is the storefront's contact form.
type ContactPage struct {
	Form     NewTicket
	Types    []Option
	SignedIn bool
	Sent     string
	Error    string
	Fields   map[string]string
}

func (h *handlers) contactPage(w http.ResponseWriter, r *http.Request) error {
	p := web.PrincipalFrom(r.Context())
	data := ContactPage{Types: options(web.LangOf(r), Types, Type.Label, string(PreSale), false), SignedIn: p != nil && p.CustomerID != 0,
		Sent: r.URL.Query().Get("sent")}
	if _, err := platform.ParseID(data.Sent); err != nil {
		data.Sent = ""
	}
	w.Header().Set("Cache-Control", "private, no-store")
	return h.rd.Render(w, r, http.StatusOK, "support/contact", data)
}

func (h *handlers) contactForm(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	f, lang := r.PostForm, web.LangOf(r)
	in := NewTicket{Name: f.Get("name"), Email: f.Get("email"), Phone: f.Get("phone"), Channel: Web, Type: Type(f.Get("type")),
		Subject: f.Get("subject"), Body: f.Get("body")}
	p := web.PrincipalFrom(r.Context())
	if p != nil {
		in.CustomerID = p.CustomerID
	}
	t, err := h.s.Open(r.Context(), audit.ActorFrom(r), in)
	if err != nil {
		e := platform.AsError(err)
		if e.Code == platform.CodeInternal {
			return err
		}
		data := ContactPage{Form: in, Types: options(lang, Types, Type.Label, string(in.Type), false), SignedIn: in.CustomerID != 0,
			Error: e.Message(lang), Fields: map[string]string{}}
		for _, fe := range e.Fields {
			data.Fields[fe.Field] = platform.T(lang, fe.Key, fe.Args...)
		}
		return h.rd.Render(w, r, e.Code.Status(), "support/contact", data)
	}
	http.Redirect(w, r, "/contact?sent="+t.ID.String(), http.StatusSeeOther)
	return nil
}

// SurveyPage is the satisfaction survey a resolved ticket's link opens.
type SurveyPage struct {
	Token, Subject string
	Done           bool
	Answered       bool
	Scores         []int
	Error          string
}

func (h *handlers) surveyPage(w http.ResponseWriter, r *http.Request) error {
	tok := r.PathValue("token")
	t, err := h.s.SurveyTicket(r.Context(), tok)
	if err != nil {
		return err
	}
	data := SurveyPage{Token: tok, Subject: t.Subject, Answered: t.CSATScore != 0, Done: r.URL.Query().Get("done") == "1", Scores: []int{5, 4, 3, 2, 1}}
	w.Header().Set("Cache-Control", "private, no-store")
	return h.rd.Render(w, r, http.StatusOK, "support/survey", data)
}

func (h *handlers) surveyForm(w http.ResponseWriter, r *http.Request) error {
	tok := r.PathValue("token")
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	score, _ := strconv.Atoi(r.PostForm.Get("score"))
	if err := h.s.Survey(r.Context(), tok, SurveyInput{Score: score, Comment: r.PostForm.Get("comment")}); err != nil {
		e := platform.AsError(err)
		if e.Code == platform.CodeInternal || e.Code == platform.CodeNotFound {
			return err
		}
		t, terr := h.s.SurveyTicket(r.Context(), tok)
		if terr != nil {
			return terr
		}
		return h.rd.Render(w, r, e.Code.Status(), "support/survey", SurveyPage{Token: tok, Subject: t.Subject, Answered: t.CSATScore != 0,
			Scores: []int{5, 4, 3, 2, 1}, Error: e.Message(web.LangOf(r))})
	}
	http.Redirect(w, r, "/support/survey/"+tok+"?done=1", http.StatusSeeOther)
	return nil
}
