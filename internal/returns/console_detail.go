package returns

import (
	"context"
	"fmt"
	"net/http"
	"strconv"

	"storeops/internal/audit"
	"storeops/internal/order"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// DetailData is the console detail page's view data.
type DetailData struct {
	Return
	Warehouses []Warehouse
	Carriers   []string
	// What the signed-in staff may do at this step.
	CanDecide, CanRefund, CanReceive, CanShip bool
	Flash, Error                              string
}

// Warehouse is a choice of where inspected units are restocked.
type Warehouse struct {
	ID   platform.ID
	Name string
}

func (h *handlers) warehouses(ctx context.Context) ([]Warehouse, error) {
	rows, err := h.db.R.QueryContext(ctx, `SELECT id, name FROM warehouses WHERE active ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("returns: warehouses: %w", err)
	}
	defer rows.Close()
	var out []Warehouse
	for rows.Next() {
		var w Warehouse
		if err := rows.Scan(&w.ID, &w.Name); err != nil {
			return nil, err
		}
		out = append(out, w)
	}
	return out, rows.Err()
}

func (h *handlers) renderDetail(w http.ResponseWriter, r *http.Request, status int, id platform.ID, errMsg string) error {
	v, err := h.s.Get(r.Context(), id)
	if err != nil {
		return err
	}
	whs, err := h.warehouses(r.Context())
	if err != nil {
		return err
	}
	p := web.PrincipalFrom(r.Context())
	lang := web.LangOf(r)
	data := DetailData{Return: v, Warehouses: whs, Carriers: order.Carriers, Error: errMsg,
		CanDecide:  p.Can(PermManage) && v.Status == Requested,
		CanRefund:  p.Can(PermManage) && refundable(v) == nil,
		CanReceive: p.Can(PermReceive) && v.Kind != KindRefundOnly && (v.Status == Approved || v.Status == ShippedBack),
		CanShip:    p.Can(PermReceive) && v.Kind == KindExchange && v.Status == Received}
	if k := r.URL.Query().Get("done"); k != "" && platform.HasMessage("returns.done."+k) {
		data.Flash = platform.T(lang, "returns.done."+k)
	}
	return h.rd.Render(w, r, status, "returns/detail", data)
}

func (h *handlers) detailPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "return")
	if err != nil {
		return err
	}
	return h.renderDetail(w, r, http.StatusOK, id, "")
}

// consoleStep runs one action from the detail page: back to the page
// with a flash, or the page again with why it failed and its status.
func (h *handlers) consoleStep(w http.ResponseWriter, r *http.Request, done string, fn func(by audit.Actor, id platform.ID) error) error {
	id, err := web.PathID(r, "id", "return")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	if err := fn(audit.ActorFrom(r), id); err != nil {
		e := platform.AsError(err)
		if e.Code == platform.CodeInternal || e.Code == platform.CodeNotFound {
			return err
		}
		lang := web.LangOf(r)
		msg := e.Message(lang)
		for _, fe := range e.Fields {
			msg += " (" + fe.Field + ": " + platform.T(lang, fe.Key, fe.Args...) + ")"
		}
		return h.renderDetail(w, r, e.Code.Status(), id, msg)
	}
	http.Redirect(w, r, "/console/returns/"+id.String()+"?done="+done, http.StatusSeeOther)
	return nil
}

func (h *handlers) approveForm(w http.ResponseWriter, r *http.Request) error {
	return h.consoleStep(w, r, "approved", func(by audit.Actor, id platform.ID) error {
		_, err := h.s.Approve(r.Context(), by, id)
		return err
	})
}

func (h *handlers) rejectForm(w http.ResponseWriter, r *http.Request) error {
	return h.consoleStep(w, r, "rejected", func(by audit.Actor, id platform.ID) error {
		_, err := h.s.Reject(r.Context(), by, id, r.PostForm.Get("reason"))
		return err
	})
}

func (h *handlers) refundForm(w http.ResponseWriter, r *http.Request) error {
	return h.consoleStep(w, r, "refunded", func(by audit.Actor, id platform.ID) error {
		_, err := h.s.Refund(r.Context(), by, id)
		return err
	})
}

func (h *handlers) exchangeForm(w http.ResponseWriter, r *http.Request) error {
	return h.consoleStep(w, r, "exchanged", func(by audit.Actor, id platform.ID) error {
		_, err := h.s.ShipExchange(r.Context(), by, id, ShipInput{Carrier: r.PostForm.Get("carrier"), TrackingNo: r.PostForm.Get("tracking_no")})
		return err
	})
}

// receiveForm reads the inspection form: warehouse_id, and per line
// accepted_<line id> and condition_<line id>.
func (h *handlers) receiveForm(w http.ResponseWriter, r *http.Request) error {
	return h.consoleStep(w, r, "received", func(by audit.Actor, id platform.ID) error {
		cur, err := h.s.Get(r.Context(), id)
		if err != nil {
			return err
		}
		f := r.PostForm
		in := ReceiveInput{}
		if whID, err := platform.ParseID(f.Get("warehouse_id")); err == nil {
			in.WarehouseID = whID
		}
		for _, l := range cur.Lines {
			key := l.OrderLineID.String()
			n, err := strconv.Atoi(f.Get("accepted_" + key))
			if err != nil {
				return platform.Invalid("accepted_"+key, "field.invalid")
			}
			in.Lines = append(in.Lines, InspectInput{OrderLineID: l.OrderLineID, AcceptedQty: n, Condition: Condition(f.Get("condition_" + key))})
		}
		_, err = h.s.Receive(r.Context(), by, id, in)
		return err
	})
}
