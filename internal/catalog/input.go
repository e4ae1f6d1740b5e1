package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/microcosm-cc/bluemonday"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// ProductInput is a product as staff write it: the SPU's fields and its
// SKUs. Create, Update and the import all take it; Validate normalises it.
type ProductInput struct {
	CategoryID platform.ID  `json:"category_id"`
	BrandID    *platform.ID `json:"brand_id,omitempty"`
	Title      string       `json:"title"`
	Subtitle   string       `json:"subtitle"`
	// Description is rich text (HTML); it is sanitised on save, so script
	// and event handlers never reach a page.
	Description  string       `json:"description"`
	Attributes   []Attribute  `json:"attributes"`
	StorageClass StorageClass `json:"storage_class"`
	// Tags replace the product's tags; nil leaves them as they are.
	Tags []string `json:"tags,omitempty"`
	// ListAt and DelistAt schedule the product to go on or off sale.
	ListAt   *time.Time `json:"list_at,omitempty"`
	DelistAt *time.Time `json:"delist_at,omitempty"`
	SKUs     []SKUInput `json:"skus"`
}

// SKUInput is one variant: its code (unique in the shop, the import's
// key), spec attributes (颜色: 黑色, 尺码: M) and money in fen.
type SKUInput struct {
	ID        platform.ID     `json:"id,omitempty"`
	Code      string          `json:"code"`
	Spec      []Attribute     `json:"spec"`
	Price     platform.Money  `json:"price"`
	CompareAt *platform.Money `json:"compare_at_price,omitempty"`
	Cost      platform.Money  `json:"cost"`
	WeightG   int             `json:"weight_g"`
	VolumeCM3 int             `json:"volume_cm3"`
	Barcode   string          `json:"barcode,omitempty"`
}

// Field limits.
const (
	maxTitle     = 100
	maxSubtitle  = 200
	maxDesc      = 50_000
	maxAttrName  = 20
	maxAttrValue = 100
	maxAttrs     = 50
	maxSKUs      = 200
	maxCode      = 64
	maxMoney     = platform.Money(100_000_000_00) // ¥100,000,000
	maxWeightG   = 1_000_000
	maxVolume    = 10_000_000
)

// StorageClasses lists the storage classes.
var StorageClasses = []StorageClass{Ambient, Chilled, Frozen}

// Valid reports whether c is a known storage class.
func (c StorageClass) Valid() bool { return slices.Contains(StorageClasses, c) }

// Label is the message key of the class's name (常温, 冷藏, 冷冻).
func (c StorageClass) Label() string { return "catalog.storage." + string(c) }

var (
	codeRE    = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
	descPol   = bluemonday.UGCPolicy()
	digitsRE  = regexp.MustCompile(`^[0-9]+$`)
	spaceRuns = regexp.MustCompile(`\s+`)
)

// SanitizeHTML keeps the safe part of rich text: formatting, lists,
// links and images, without script, styles or event handlers.
func SanitizeHTML(s string) string { return strings.TrimSpace(descPol.Sanitize(s)) }

// cleanLine trims a one-line text and folds its white space.
func cleanLine(s string) string { return strings.TrimSpace(spaceRuns.ReplaceAllString(s, " ")) }

// ValidBarcode reports whether s is a GTIN (EAN-8, UPC-A, EAN-13,
// GTIN-14) with a correct check digit.
func ValidBarcode(s string) bool {
	switch len(s) {
	case 8, 12, 13, 14:
	default:
		return false
	}
	if !digitsRE.MatchString(s) {
		return false
	}
	sum := 0
	for i := len(s) - 2; i >= 0; i-- {
		d := int(s[i] - '0')
		if (len(s)-2-i)%2 == 0 {
			d *= 3
		}
		sum += d
	}
	return (10-sum%10)%10 == int(s[len(s)-1]-'0')
}

// Validate normalises in (trims, sanitises the description, orders
// nothing) and checks it against the category's attribute template tpl.
// It reports every invalid field at once: CodeInvalid with fields named
// like "title", "attributes.材质", "skus.2.price".
func (in *ProductInput) Validate(tpl []AttributeDef) error {
	e := platform.E(platform.CodeInvalid)
	in.Title, in.Subtitle = cleanLine(in.Title), cleanLine(in.Subtitle)
	in.Description = SanitizeHTML(in.Description)
	if in.StorageClass == "" {
		in.StorageClass = Ambient
	}
	if in.CategoryID == 0 {
		e.With("category_id", "field.required")
	}
	if in.BrandID != nil && *in.BrandID == 0 {
		in.BrandID = nil
	}
	textField(e, "title", in.Title, true, maxTitle)
	textField(e, "subtitle", in.Subtitle, false, maxSubtitle)
	if utf8.RuneCountInString(in.Description) > maxDesc {
		e.With("description", "field.too_long", maxDesc)
	}
	if !in.StorageClass.Valid() {
		e.With("storage_class", "field.invalid")
	}
	if in.Tags != nil {
		tags, err := NormalizeTags(in.Tags)
		if err != nil {
			e.Fields = append(e.Fields, platform.AsError(err).Fields...)
		}
		in.Tags = tags
		if len(in.Tags) > maxTagsPer {
			e.With("tags", "catalog.field.too_many_tags", maxTagsPer)
		}
	}
	for _, t := range []**time.Time{&in.ListAt, &in.DelistAt} {
		if *t != nil {
			v := store.Time(**t)
			*t = &v
		}
	}
	if in.ListAt != nil && in.DelistAt != nil && !in.DelistAt.After(*in.ListAt) {
		e.With("delist_at", "catalog.field.delist_before_list")
	}
	in.Attributes = cleanAttrs(e, "attributes", in.Attributes)
	checkTemplate(e, "attributes", in.Attributes, tpl, KindAttr)
	in.validateSKUs(e, tpl)
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

func (in *ProductInput) validateSKUs(e *platform.Error, tpl []AttributeDef) {
	switch {
	case len(in.SKUs) == 0:
		e.With("skus", "catalog.field.need_sku")
	case len(in.SKUs) > maxSKUs:
		e.With("skus", "catalog.field.too_many_skus", maxSKUs)
		return
	}
	codes := map[string]bool{}
	specs := map[string]bool{}
	var names []string
	for i := range in.SKUs {
		s := &in.SKUs[i]
		f := fmt.Sprintf("skus.%d.", i)
		s.Code = strings.TrimSpace(s.Code)
		s.Barcode = strings.TrimSpace(s.Barcode)
		switch {
		case s.Code == "":
			e.With(f+"code", "field.required")
		case len(s.Code) > maxCode:
			e.With(f+"code", "field.too_long", maxCode)
		case !codeRE.MatchString(s.Code):
			e.With(f+"code", "catalog.field.code_chars")
		case codes[strings.ToUpper(s.Code)]:
			e.With(f+"code", "catalog.field.code_repeated")
		}
		codes[strings.ToUpper(s.Code)] = true
		s.Spec = cleanAttrs(e, f+"spec", s.Spec)
		checkTemplate(e, f+"spec", s.Spec, tpl, KindSpec)
		n := specNames(s.Spec)
		if i == 0 {
			names = n
		} else if !slices.Equal(n, names) {
			e.With(f+"spec", "catalog.field.spec_names")
		}
		if key := specText(s.Spec); len(in.SKUs) > 1 && specs[key] {
			e.With(f+"spec", "catalog.field.spec_repeated")
		} else {
			specs[key] = true
		}
		money(e, f+"price", s.Price)
		money(e, f+"cost", s.Cost)
		if s.CompareAt != nil {
			if *s.CompareAt == 0 {
				s.CompareAt = nil
			} else if money(e, f+"compare_at_price", *s.CompareAt); *s.CompareAt <= s.Price {
				e.With(f+"compare_at_price", "catalog.field.compare_at_low")
			}
		}
		if s.WeightG < 0 || s.WeightG > maxWeightG {
			e.With(f+"weight_g", "field.invalid")
		}
		if s.VolumeCM3 < 0 || s.VolumeCM3 > maxVolume {
			e.With(f+"volume_cm3", "field.invalid")
		}
		if s.Barcode != "" && !ValidBarcode(s.Barcode) {
			e.With(f+"barcode", "catalog.field.barcode")
		}
	}
	if len(in.SKUs) > 1 && len(names) == 0 {
		e.With("skus", "catalog.field.spec_needed")
	}
}

func textField(e *platform.Error, field, v string, required bool, limit int) {
	switch n := utf8.RuneCountInString(v); {
	case n == 0 && required:
		e.With(field, "field.required")
	case n > limit:
		e.With(field, "field.too_long", limit)
	case strings.ContainsFunc(v, unicode.IsControl):
		e.With(field, "field.invalid")
	}
}

func money(e *platform.Error, field string, m platform.Money) {
	if m < 0 || m > maxMoney {
		e.With(field, "catalog.field.money")
	}
}

// cleanAttrs trims names and values, drops pairs with an empty value and
// reports empty, long or repeated names.
func cleanAttrs(e *platform.Error, field string, attrs []Attribute) []Attribute {
	out := make([]Attribute, 0, len(attrs))
	seen := map[string]bool{}
	for _, a := range attrs {
		a.Name, a.Value = cleanLine(a.Name), cleanLine(a.Value)
		if a.Value == "" && a.Name == "" {
			continue
		}
		f := field + "." + a.Name
		switch {
		case a.Name == "":
			e.With(field, "catalog.field.attr_name")
			continue
		case utf8.RuneCountInString(a.Name) > maxAttrName || strings.ContainsAny(a.Name, "=;"):
			e.With(f, "field.invalid")
			continue
		case utf8.RuneCountInString(a.Value) > maxAttrValue || strings.ContainsAny(a.Value, ";"):
			e.With(f, "field.too_long", maxAttrValue)
			continue
		case seen[a.Name]:
			e.With(f, "catalog.field.attr_repeated")
			continue
		case a.Value == "":
			continue
		}
		seen[a.Name] = true
		out = append(out, a)
	}
	if len(out) > maxAttrs {
		e.With(field, "catalog.field.too_many_attrs", maxAttrs)
	}
	return out
}

func specNames(spec []Attribute) []string {
	n := make([]string, len(spec))
	for i, a := range spec {
		n[i] = a.Name
	}
	slices.Sort(n)
	return n
}

// specText is a SKU's spec as shoppers read it: "黑色 / M".
func specText(spec []Attribute) string {
	v := make([]string, len(spec))
	for i, a := range spec {
		v[i] = a.Value
	}
	return strings.Join(v, " / ")
}

// checkTemplate reports missing required attributes of kind and values
// outside a template's choices.
func checkTemplate(e *platform.Error, field string, attrs []Attribute, tpl []AttributeDef, kind AttrKind) {
	for _, d := range tpl {
		if d.Kind != kind {
			continue
		}
		i := slices.IndexFunc(attrs, func(a Attribute) bool { return a.Name == d.Name })
		if i < 0 {
			if d.Required {
				e.With(field+"."+d.Name, "field.required")
			}
			continue
		}
		if len(d.Choices) > 0 && !slices.Contains(d.Choices, attrs[i].Value) {
			e.With(field+"."+d.Name, "catalog.field.not_a_choice", strings.Join(d.Choices, "、"))
		}
	}
}
