package catalog

import (
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/web"
)

// EditData is the product editor's view data.
type EditData struct {
	ID          platform.ID
	Status      Status
	StatusLabel string
	// Moves are the lifecycle moves open from Status.
	Moves      []Option
	Form       map[string]string
	SKUs       []SKURow
	Categories []Option
	Brands     []Option
	Storage    []Option
	Template   []AttributeDef
	Error      string
	Fields     []FieldText
	Done       string
	CanEdit    bool
}

// SKURow is one SKU line of the editor form, as typed.
type SKURow struct {
	Code, Spec, Price, CompareAt, Cost, WeightG, VolumeCM3, Barcode string
}

// FieldText is a field error as shown.
type FieldText struct{ Field, Text string }

// emptySKURows is how many blank SKU lines the form offers.
const emptySKURows = 3

func (h *handlers) newPage(w http.ResponseWriter, r *http.Request) error {
	d := &EditData{Form: map[string]string{"storage_class": string(Ambient)}}
	if c := r.URL.Query().Get("category"); c != "" {
		d.Form["category_id"] = c
	}
	return h.renderEdit(w, r, http.StatusOK, d)
}

func (h *handlers) editPage(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return err
	}
	p, err := h.admin.Get(r.Context(), id)
	if err != nil {
		return err
	}
	d := editData(p)
	d.Done = r.URL.Query().Get("done")
	if d.Done != "saved" && d.Done != "created" && d.Done != "status" {
		d.Done = ""
	}
	return h.renderEdit(w, r, http.StatusOK, d)
}

// editData fills the form from a stored product.
func editData(p *ProductEdit) *EditData {
	d := &EditData{ID: p.ID, Status: p.Status, Form: map[string]string{
		"title": p.Title, "subtitle": p.Subtitle, "description": p.Description, "attributes": AttrText(p.Attributes),
		"tags": strings.Join(p.Tags, ", "), "storage_class": string(p.StorageClass), "category_id": p.CategoryID.String(),
		"list_at": formTimeOf(p.ListAt), "delist_at": formTimeOf(p.DelistAt),
	}}
	if p.BrandID != nil {
		d.Form["brand_id"] = p.BrandID.String()
	}
	for _, s := range p.SKUs {
		row := SKURow{Code: s.Code, Spec: AttrText(s.Spec), Price: yuan(s.Price), Cost: yuan(s.Cost),
			WeightG: strconv.Itoa(s.WeightG), VolumeCM3: strconv.Itoa(s.VolumeCM3), Barcode: s.Barcode}
		if s.CompareAt != nil {
			row.CompareAt = yuan(*s.CompareAt)
		}
		d.SKUs = append(d.SKUs, row)
	}
	return d
}

// yuan writes fen as a plain yuan amount for a form: 5900 → "59.00".
func yuan(m platform.Money) string { return fmt.Sprintf("%d.%02d", m/100, m%100) }

// renderEdit fills the choices of d and renders the editor.
func (h *handlers) renderEdit(w http.ResponseWriter, r *http.Request, status int, d *EditData) error {
	lang := web.LangOf(r)
	d.CanEdit = web.PrincipalFrom(r.Context()).Can(PermEdit)
	cat, _ := platform.ParseID(d.Form["category_id"])
	brand, _ := platform.ParseID(d.Form["brand_id"])
	var err error
	if d.Categories, err = h.categoryOptions(r, cat, false); err != nil {
		return err
	}
	if d.Brands, err = h.brandOptions(r, brand); err != nil {
		return err
	}
	for _, c := range StorageClasses {
		d.Storage = append(d.Storage, Option{Value: string(c), Label: platform.T(lang, c.Label()), Selected: string(c) == d.Form["storage_class"]})
	}
	if cat != 0 {
		if d.Template, err = h.admin.Template(r.Context(), cat); err != nil && platform.ErrorCode(err) != platform.CodeNotFound {
			return err
		}
	}
	if d.ID != 0 {
		d.StatusLabel = platform.T(lang, d.Status.Label())
		for _, s := range d.Status.Next() {
			d.Moves = append(d.Moves, Option{Value: string(s), Label: platform.T(lang, "catalog.move."+string(s))})
		}
	}
	for range emptySKURows {
		d.SKUs = append(d.SKUs, SKURow{})
	}
	return h.rd.Render(w, r, status, "catalog/product_edit", d)
}

// formInput reads the editor's form into an input, collecting the
// fields that do not parse (amounts, numbers, times, attribute text).
func formInput(v url.Values) (ProductInput, *EditData, *platform.Error) {
	e := platform.E(platform.CodeInvalid)
	get := func(k string) string { return strings.TrimSpace(v.Get(k)) }
	d := &EditData{Form: map[string]string{}}
	for _, k := range []string{"title", "subtitle", "description", "attributes", "tags", "storage_class", "category_id", "brand_id", "list_at", "delist_at"} {
		d.Form[k] = v.Get(k)
	}
	in := ProductInput{Title: get("title"), Subtitle: get("subtitle"), Description: v.Get("description"),
		StorageClass: StorageClass(get("storage_class")), Tags: SplitList(v.Get("tags"))}
	if c := get("category_id"); c != "" {
		id, err := platform.ParseID(c)
		if err != nil {
			e.With("category_id", "field.invalid")
		}
		in.CategoryID = id
	}
	if b := get("brand_id"); b != "" {
		id, err := platform.ParseID(b)
		if err != nil {
			e.With("brand_id", "field.invalid")
		}
		in.BrandID = &id
	}
	var ok bool
	if in.Attributes, ok = ParseAttrText(v.Get("attributes")); !ok {
		e.With("attributes", "catalog.field.attr_text")
	}
	for _, k := range []string{"list_at", "delist_at"} {
		s := get(k)
		if s == "" {
			continue
		}
		t, err := time.ParseInLocation(formTime, s, platform.ShopZone)
		if err != nil {
			e.With(k, "field.invalid")
			continue
		}
		if k == "list_at" {
			in.ListAt = &t
		} else {
			in.DelistAt = &t
		}
	}
	col := func(k string, i int) string {
		if vs := v[k]; i < len(vs) {
			return strings.TrimSpace(vs[i])
		}
		return ""
	}
	for i := range len(v["sku_code"]) {
		row := SKURow{Code: col("sku_code", i), Spec: col("sku_spec", i), Price: col("sku_price", i), CompareAt: col("sku_compare_at", i),
			Cost: col("sku_cost", i), WeightG: col("sku_weight_g", i), VolumeCM3: col("sku_volume_cm3", i), Barcode: col("sku_barcode", i)}
		if row == (SKURow{}) {
			continue
		}
		d.SKUs = append(d.SKUs, row)
		n := len(in.SKUs)
		f := fmt.Sprintf("skus.%d.", n)
		s := SKUInput{Code: row.Code, Barcode: row.Barcode}
		if s.Spec, ok = ParseAttrText(row.Spec); !ok {
			e.With(f+"spec", "catalog.field.attr_text")
		}
		s.Price = formMoney(e, f+"price", row.Price)
		s.Cost = formMoney(e, f+"cost", row.Cost)
		if row.CompareAt != "" {
			m := formMoney(e, f+"compare_at_price", row.CompareAt)
			s.CompareAt = &m
		}
		s.WeightG = formInt(e, f+"weight_g", row.WeightG)
		s.VolumeCM3 = formInt(e, f+"volume_cm3", row.VolumeCM3)
		in.SKUs = append(in.SKUs, s)
	}
	return in, d, e
}

func formMoney(e *platform.Error, field, s string) platform.Money {
	if s == "" {
		return 0
	}
	m, err := platform.ParseMoney(s)
	if err != nil {
		e.With(field, "catalog.field.money")
	}
	return m
}

func formInt(e *platform.Error, field, s string) int {
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		e.With(field, "field.invalid")
	}
	return n
}

func (h *handlers) createForm(w http.ResponseWriter, r *http.Request) error {
	return h.saveForm(w, r, 0)
}

func (h *handlers) updateForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return err
	}
	return h.saveForm(w, r, id)
}

// saveForm creates (id 0) or updates a product from the editor's form,
// returning to the editor with every field error when it fails.
func (h *handlers) saveForm(w http.ResponseWriter, r *http.Request, id platform.ID) error {
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	in, d, perr := formInput(r.PostForm)
	var p *ProductEdit
	var err error
	if len(perr.Fields) > 0 {
		err = perr
	} else if id == 0 {
		p, err = h.admin.Create(r.Context(), audit.ActorFrom(r), in)
	} else {
		p, err = h.admin.Update(r.Context(), audit.ActorFrom(r), id, in)
	}
	if err == nil {
		done := "saved"
		if id == 0 {
			done = "created"
		}
		http.Redirect(w, r, back("/console/products/"+p.ID.String(), done), http.StatusSeeOther)
		return nil
	}
	e := platform.AsError(err)
	if e.Code == platform.CodeInternal || e.Code == platform.CodeNotFound {
		return err
	}
	if id != 0 {
		cur, gerr := h.admin.Get(r.Context(), id)
		if gerr != nil {
			return gerr
		}
		d.ID, d.Status = id, cur.Status
	}
	lang := web.LangOf(r)
	d.Error = e.Message(lang)
	for _, fe := range e.Fields {
		d.Fields = append(d.Fields, FieldText{Field: fe.Field, Text: platform.T(lang, fe.Key, fe.Args...)})
	}
	return h.renderEdit(w, r, e.Code.Status(), d)
}

func (h *handlers) statusForm(w http.ResponseWriter, r *http.Request) error {
	id, err := web.PathID(r, "id", "product")
	if err != nil {
		return err
	}
	if err := r.ParseForm(); err != nil {
		return platform.E(platform.CodeBadRequest).Wrap(err)
	}
	err = h.admin.SetStatus(r.Context(), audit.ActorFrom(r), id, Status(r.PostForm.Get("status")), r.PostForm.Get("reason"))
	if err == nil {
		http.Redirect(w, r, back(web.LocalPath(r.PostForm.Get("back"), "/console/products/"+id.String()), "status"), http.StatusSeeOther)
		return nil
	}
	e := platform.AsError(err)
	if e.Code == platform.CodeInternal || e.Code == platform.CodeNotFound {
		return err
	}
	p, gerr := h.admin.Get(r.Context(), id)
	if gerr != nil {
		return gerr
	}
	d := editData(p)
	d.Error = errorText(web.LangOf(r), e)
	return h.renderEdit(w, r, e.Code.Status(), d)
}
