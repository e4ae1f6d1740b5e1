package order

import (
	"net/http"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// CancelRequest is the body of a cancel.
type CancelRequest struct {
	Reason string `json:"reason"`
}

// NoteRequest is the body of a new note.
type NoteRequest struct {
	Body string `json:"body"`
}

func (h *handlers) apiList(w http.ResponseWriter, r *http.Request) error {
	f, _, err := filterOf(r)
	if err != nil {
		return err
	}
	page, err := List(r.Context(), h.db.R, f)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, page)
}

func (h *handlers) detail(r *http.Request, id platform.ID) (Detail, error) {
	var d Detail
	err := h.db.Read(r.Context(), func(tx *store.Tx) error {
		var err error
		d, err = GetDetail(r.Context(), tx, id)
		return err
	})
	return d, err
}

func (h *handlers) apiGet(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "order")
	if err != nil {
		return err
	}
	d, err := h.detail(r, id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, d)
}

func (h *handlers) apiCancel(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "order")
	if err != nil {
		return err
	}
	var req CancelRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	if _, err := h.s.Cancel(r.Context(), audit.ActorFrom(r), id, req.Reason); err != nil {
		return err
	}
	d, err := h.detail(r, id)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusOK, d)
}

func (h *handlers) apiShip(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "order")
	if err != nil {
		return err
	}
	var in ShipInput
	if err := web.DecodeJSON(r, &in); err != nil {
		return err
	}
	sh, err := h.s.Ship(r.Context(), audit.ActorFrom(r), id, in)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, sh)
}

func (h *handlers) apiNote(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "order")
	if err != nil {
		return err
	}
	var req NoteRequest
	if err := web.DecodeJSON(r, &req); err != nil {
		return err
	}
	n, err := h.s.AddNote(r.Context(), audit.ActorFrom(r), id, req.Body)
	if err != nil {
		return err
	}
	return web.WriteJSON(w, http.StatusCreated, n)
}
