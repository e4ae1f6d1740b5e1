package customer

import (
	"net/http"
	"strings"

	"storeops/internal/platform"
	"storeops/internal/region"
	"storeops/internal/web"
)

// RegionOption is one choice of an address picker.
type RegionOption struct {
	Code string `json:"code"`
	Name string `json:"name"`
}

// regions lists the provinces, or the cities of ?parent= (a province) or
// the districts of a city, for the address pickers. The list never
// changes between releases, so it is cached for a day.
func (h *handlers) regions(w http.ResponseWriter, r *http.Request) error {
	parent := r.URL.Query().Get("parent")
	var ds []region.Division
	switch {
	case parent == "":
		ds = region.Provinces()
	default:
		ds = region.Children(parent)
		if ds == nil {
			return platform.Invalid("parent", "field.invalid")
		}
	}
	out := make([]RegionOption, len(ds))
	for i, d := range ds {
		out[i] = RegionOption{Code: d.Code, Name: d.Name}
	}
	w.Header().Set("Cache-Control", "public, max-age=86400")
	return web.WriteJSON(w, http.StatusOK, out)
}

// addressForm is the storefront's "add an address" form (on the checkout
// page): it adds the address and goes back, with the new address chosen.
func (h *handlers) addressForm(w http.ResponseWriter, r *http.Request) error {
	p := web.PrincipalFrom(r.Context())
	if p == nil || p.CustomerID == 0 {
		http.Redirect(w, r, "/signin?next=%2Fcheckout", http.StatusSeeOther)
		return nil
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	f := r.PostForm
	in := AddressInput{Recipient: f.Get("recipient"), Mobile: f.Get("mobile"), ProvinceCode: f.Get("province_code"),
		CityCode: f.Get("city_code"), DistrictCode: f.Get("district_code"), Detail: f.Get("detail"), IsDefault: f.Get("is_default") != ""}
	a, err := h.svc.CreateAddress(r.Context(), p.CustomerID, in)
	if err != nil {
		return err
	}
	next := SafeNext(f.Get("next"))
	sep := "?"
	if strings.Contains(next, "?") {
		sep = "&"
	}
	http.Redirect(w, r, next+sep+"address="+a.ID.String(), http.StatusSeeOther)
	return nil
}
