package customer

import (
	"net/http"

	"storeops/internal/platform"
	"storeops/internal/region"
	"storeops/internal/web"
)

// AddressesData is the address book page.
type AddressesData struct {
	Addresses []Address
	Provinces []region.Division
	Done      string
	Error     string
	Fields    map[string]string
	Form      AddressInput
}

func (h *handlers) addressesPage(w http.ResponseWriter, r *http.Request) error {
	id := signedIn(w, r, "/account/addresses")
	if id == 0 {
		return nil
	}
	done := r.URL.Query().Get("done")
	if done != "added" && done != "deleted" && done != "default" {
		done = ""
	}
	return h.renderAddresses(w, r, id, http.StatusOK, AddressesData{Done: done})
}

func (h *handlers) renderAddresses(w http.ResponseWriter, r *http.Request, id platform.ID, status int, d AddressesData) error {
	page, err := h.svc.Addresses(r.Context(), id, platform.PageRequest{Limit: platform.MaxPageSize})
	if err != nil {
		return err
	}
	d.Addresses, d.Provinces = page.Items, region.Provinces()
	w.Header().Set("Cache-Control", "no-store")
	return h.rd.Render(w, r, status, "account/addresses", d)
}

func (h *handlers) addressAddForm(w http.ResponseWriter, r *http.Request) error {
	id := signedIn(w, r, "/account/addresses")
	if id == 0 {
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	f := r.PostForm
	in := AddressInput{Recipient: f.Get("recipient"), Mobile: f.Get("mobile"), ProvinceCode: f.Get("province_code"),
		CityCode: f.Get("city_code"), DistrictCode: f.Get("district_code"), Detail: f.Get("detail"), PostalCode: f.Get("postal_code"),
		IsDefault: f.Get("is_default") != ""}
	if _, err := h.svc.CreateAddress(r.Context(), id, in); err != nil {
		msg, fields, status, ierr := pageError(r, err)
		if ierr != nil {
			return ierr
		}
		return h.renderAddresses(w, r, id, status, AddressesData{Error: msg, Fields: fields, Form: in})
	}
	http.Redirect(w, r, "/account/addresses?done=added", http.StatusSeeOther)
	return nil
}

// addressDefaultForm makes one address the default. Another customer's
// address id is not found (404), like on the API.
func (h *handlers) addressDefaultForm(w http.ResponseWriter, r *http.Request) error {
	id := signedIn(w, r, "/account/addresses")
	if id == 0 {
		return nil
	}
	aid, err := web.PathID(r, "id", "address")
	if err != nil {
		return err
	}
	a, err := h.svc.Address(r.Context(), id, aid)
	if err != nil {
		return err
	}
	in := AddressInput{Recipient: a.Recipient, Mobile: a.Mobile, ProvinceCode: a.ProvinceCode, CityCode: a.CityCode,
		DistrictCode: a.DistrictCode, Detail: a.Detail, PostalCode: a.PostalCode, IsDefault: true}
	if _, err := h.svc.UpdateAddress(r.Context(), id, aid, in); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/addresses?done=default", http.StatusSeeOther)
	return nil
}

func (h *handlers) addressDeleteForm(w http.ResponseWriter, r *http.Request) error {
	id := signedIn(w, r, "/account/addresses")
	if id == 0 {
		return nil
	}
	aid, err := web.PathID(r, "id", "address")
	if err != nil {
		return err
	}
	if err := h.svc.DeleteAddress(r.Context(), id, aid); err != nil {
		return err
	}
	http.Redirect(w, r, "/account/addresses?done=deleted", http.StatusSeeOther)
	return nil
}
