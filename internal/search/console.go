package search

import (
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/web"
)

// SynonymsData is the synonyms page's view data.
type SynonymsData struct {
	Groups []SynonymGroup
	Terms  string
	Error  string
	Saved  bool
}

func (h *handlers) synonymsPage(w http.ResponseWriter, r *http.Request) error {
	return h.renderSynonyms(w, r, http.StatusOK, SynonymsData{Saved: r.URL.Query().Get("saved") == "1"})
}

func (h *handlers) renderSynonyms(w http.ResponseWriter, r *http.Request, status int, data SynonymsData) error {
	groups, err := h.synonyms.List(r.Context())
	if err != nil {
		return err
	}
	data.Groups = groups
	return h.rd.Render(w, r, status, "search/synonyms", data)
}

// synonymAdd creates a group from the form; a bad list re-renders the
// page with the message.
func (h *handlers) synonymAdd(w http.ResponseWriter, r *http.Request) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	terms := r.PostForm.Get("terms")
	if _, err := h.synonyms.Add(r.Context(), actorOf(r), terms); err != nil {
		e := platform.AsError(err)
		if e.Code != platform.CodeInvalid && e.Code != platform.CodeConflict {
			return err
		}
		msg := e.Message(web.LangOf(r))
		for _, f := range e.Fields {
			msg = platform.T(web.LangOf(r), f.Key, f.Args...)
		}
		return h.renderSynonyms(w, r, e.Code.Status(), SynonymsData{Terms: terms, Error: msg})
	}
	http.Redirect(w, r, "/console/search/synonyms?saved=1", http.StatusSeeOther)
	return nil
}

// synonymDelete removes a group.
func (h *handlers) synonymDelete(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "search_synonym")
	if err != nil {
		return err
	}
	if err := h.synonyms.Delete(r.Context(), actorOf(r), id); err != nil {
		return err
	}
	http.Redirect(w, r, "/console/search/synonyms?saved=1", http.StatusSeeOther)
	return nil
}
