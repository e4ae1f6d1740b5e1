package promotion

import (
	"net/url"
	"strconv"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/pricing"
)

// The console's forms are flat key/value pairs: money in yuan, lists as
// comma-separated text, times as datetime-local in the shop's zone. Parsing
// gathers every field error at once, then the engine's validator adds its
// own, so an operator sees all that is wrong in one round.

const formTime = "2006-01-02T15:04"

// formReader reads a posted form, collecting field errors.
type formReader struct {
	v url.Values
	e *platform.Error
}

func newFormReader(v url.Values) *formReader {
	return &formReader{v: v, e: platform.E(platform.CodeInvalid)}
}

func (f *formReader) str(k string) string { return strings.TrimSpace(f.v.Get(k)) }

func (f *formReader) bool(k string) bool {
	s := f.str(k)
	return s == "on" || s == "1" || s == "true"
}

func (f *formReader) int(k string) int {
	s := f.str(k)
	if s == "" {
		return 0
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		f.e.With(k, "field.invalid")
	}
	return n
}

func (f *formReader) money(k string) platform.Money {
	s := f.str(k)
	if s == "" {
		return 0
	}
	m, err := platform.ParseMoney(s)
	if err != nil {
		f.e.With(k, "promotion.bad_money")
	}
	return m
}

func (f *formReader) time(k string) time.Time {
	s := f.str(k)
	if s == "" {
		return time.Time{}
	}
	t, err := time.ParseInLocation(formTime, s, platform.ShopZone)
	if err != nil {
		f.e.With(k, "promotion.bad_time")
	}
	return t.UTC()
}

func (f *formReader) ids(k string) []platform.ID {
	var out []platform.ID
	for _, p := range splitList(f.str(k)) {
		id, err := platform.ParseID(p)
		if err != nil {
			f.e.With(k, "field.invalid")
			return nil
		}
		out = append(out, id)
	}
	return out
}

func (f *formReader) words(k string) []string { return splitList(f.str(k)) }

// splitList splits on commas (either width), spaces and new lines.
func splitList(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '，' || r == ' ' || r == '\n' || r == '\r' || r == '\t' })
}

func (f *formReader) scope() pricing.Scope {
	return pricing.Scope{SKUIDs: f.ids("scope.sku_ids"), ProductIDs: f.ids("scope.product_ids"), CategoryIDs: f.ids("scope.category_ids"),
		ExcludeSKUIDs: f.ids("scope.exclude_sku_ids"), ExcludeProductIDs: f.ids("scope.exclude_product_ids")}
}

// steps reads "300:50, 500:100" (yuan) as 满减 steps.
func (f *formReader) steps(k string) []pricing.Step {
	var out []pricing.Step
	for _, p := range splitList(f.str(k)) {
		a, b, ok := strings.Cut(strings.ReplaceAll(p, "：", ":"), ":")
		t, err1 := platform.ParseMoney(a)
		o, err2 := platform.ParseMoney(b)
		if !ok || err1 != nil || err2 != nil {
			f.e.With(k, "promotion.bad_steps")
			return nil
		}
		out = append(out, pricing.Step{Threshold: t, Off: o})
	}
	return out
}

// items reads "SKU-ID:quantity, …" as a bundle's items.
func (f *formReader) items(k string) []pricing.BundleItem {
	var out []pricing.BundleItem
	for _, p := range splitList(f.str(k)) {
		a, b, ok := strings.Cut(strings.ReplaceAll(p, "：", ":"), ":")
		id, err1 := platform.ParseID(a)
		q, err2 := strconv.Atoi(b)
		if !ok || err1 != nil || err2 != nil {
			f.e.With(k, "promotion.bad_items")
			return nil
		}
		out = append(out, pricing.BundleItem{SKUID: id, Quantity: q})
	}
	return out
}

// previewLines reads "SKU:quantity, …" where SKU is an id or a code.
func (f *formReader) previewLines(k string) []PreviewLine {
	var out []PreviewLine
	for _, p := range splitList(f.str(k)) {
		a, b, ok := strings.Cut(strings.ReplaceAll(p, "：", ":"), ":")
		q, err := strconv.Atoi(b)
		if !ok || a == "" || err != nil {
			f.e.With(k, "promotion.bad_items")
			return nil
		}
		l := PreviewLine{Quantity: q}
		if id, err := platform.ParseID(a); err == nil {
			l.SKUID = id
		} else {
			l.SKUCode = a
		}
		out = append(out, l)
	}
	return out
}

// hours reads the daily window (HH:MM to HH:MM) and its weekdays (0
// Sunday … 6 Saturday); all empty means any time.
func (f *formReader) hours() *pricing.Hours {
	from, to, days := f.str("hours.from"), f.str("hours.to"), f.words("hours.weekdays")
	if from == "" && to == "" && len(days) == 0 {
		return nil
	}
	h := &pricing.Hours{From: from, To: to}
	for _, d := range days {
		n, err := strconv.Atoi(d)
		if err != nil || n < 0 || n > 6 {
			f.e.With("hours.weekdays", "promotion.bad_weekdays")
			return h
		}
		h.Weekdays = append(h.Weekdays, time.Weekday(n))
	}
	return h
}

func (f *formReader) err() error {
	if len(f.e.Fields) > 0 {
		return f.e
	}
	return nil
}

// ruleFromForm reads the rule form.
func ruleFromForm(v url.Values) (pricing.Rule, error) {
	f := newFormReader(v)
	r := pricing.Rule{Name: f.str("name"), Kind: pricing.RuleKind(f.str("kind")), Scope: f.scope(),
		StartsAt: f.time("starts_at"), EndsAt: f.time("ends_at"), Tiers: f.words("tiers"), FirstOrderOnly: f.bool("first_order_only"),
		Percent: f.int("percent"), Amount: f.money("amount"), EveryN: f.int("every_n"), Items: f.items("items"), Price: f.money("price"),
		Steps: f.steps("steps"), Repeat: f.bool("repeat"), MaxOff: f.money("max_off"), Threshold: f.money("threshold"), Hours: f.hours()}
	return r, f.err()
}

// batchFromForm reads the batch form.
func batchFromForm(v url.Values) (pricing.Batch, error) {
	f := newFormReader(v)
	b := pricing.Batch{Name: f.str("name"), Kind: pricing.CouponKind(f.str("kind")), Amount: f.money("amount"), Percent: f.int("percent"),
		MaxOff: f.money("max_off"), MinSpend: f.money("min_spend"), Scope: f.scope(), StartsAt: f.time("starts_at"), EndsAt: f.time("ends_at"),
		PerCustomer: f.int("per_customer"), Total: f.int("total"), Tiers: f.words("tiers"), FirstOrderOnly: f.bool("first_order_only"),
		Stackable: f.bool("stackable"), Exclusive: f.bool("exclusive"), NotWith: f.ids("not_with")}
	return b, f.err()
}

// formOf shows a stored definition in the form's terms.
func formOf(kind string, name string, sc pricing.Scope, starts, ends time.Time, tiers []string, first bool) map[string]string {
	m := map[string]string{"kind": kind, "name": name, "tiers": strings.Join(tiers, ", "),
		"scope.sku_ids": joinIDs(sc.SKUIDs), "scope.product_ids": joinIDs(sc.ProductIDs), "scope.category_ids": joinIDs(sc.CategoryIDs),
		"scope.exclude_sku_ids": joinIDs(sc.ExcludeSKUIDs), "scope.exclude_product_ids": joinIDs(sc.ExcludeProductIDs)}
	if !starts.IsZero() {
		m["starts_at"] = starts.In(platform.ShopZone).Format(formTime)
	}
	if !ends.IsZero() {
		m["ends_at"] = ends.In(platform.ShopZone).Format(formTime)
	}
	if first {
		m["first_order_only"] = "on"
	}
	return m
}

func ruleForm(r pricing.Rule) map[string]string {
	m := formOf(string(r.Kind), r.Name, r.Scope, r.StartsAt, r.EndsAt, r.Tiers, r.FirstOrderOnly)
	setNum(m, "percent", int64(r.Percent))
	setMoney(m, "amount", r.Amount)
	setNum(m, "every_n", int64(r.EveryN))
	setMoney(m, "price", r.Price)
	setMoney(m, "max_off", r.MaxOff)
	setMoney(m, "threshold", r.Threshold)
	var items, steps []string
	for _, it := range r.Items {
		items = append(items, it.SKUID.String()+":"+strconv.Itoa(it.Quantity))
	}
	for _, s := range r.Steps {
		steps = append(steps, yuan(s.Threshold)+":"+yuan(s.Off))
	}
	m["items"], m["steps"] = strings.Join(items, ", "), strings.Join(steps, ", ")
	if r.Repeat {
		m["repeat"] = "on"
	}
	if h := r.Hours; h != nil {
		days := make([]string, len(h.Weekdays))
		for i, d := range h.Weekdays {
			days[i] = strconv.Itoa(int(d))
		}
		m["hours.from"], m["hours.to"], m["hours.weekdays"] = h.From, h.To, strings.Join(days, ", ")
	}
	return m
}

func batchForm(b pricing.Batch) map[string]string {
	m := formOf(string(b.Kind), b.Name, b.Scope, b.StartsAt, b.EndsAt, b.Tiers, b.FirstOrderOnly)
	setMoney(m, "amount", b.Amount)
	setNum(m, "percent", int64(b.Percent))
	setMoney(m, "max_off", b.MaxOff)
	setMoney(m, "min_spend", b.MinSpend)
	setNum(m, "per_customer", int64(b.PerCustomer))
	setNum(m, "total", int64(b.Total))
	m["not_with"] = joinIDs(b.NotWith)
	for k, on := range map[string]bool{"stackable": b.Stackable, "exclusive": b.Exclusive} {
		if on {
			m[k] = "on"
		}
	}
	return m
}

// valuesMap keeps a refused form's values to show them again.
func valuesMap(v url.Values) map[string]string {
	m := map[string]string{}
	for k := range v {
		m[k] = v.Get(k)
	}
	return m
}

func setNum(m map[string]string, k string, n int64) {
	if n != 0 {
		m[k] = strconv.FormatInt(n, 10)
	}
}

func setMoney(m map[string]string, k string, v platform.Money) {
	if v != 0 {
		m[k] = yuan(v)
	}
}

// yuan is an amount as a form shows it: 12.50, without the sign.
func yuan(m platform.Money) string {
	return strings.ReplaceAll(strings.TrimPrefix(platform.FormatCNY(m), "¥"), ",", "")
}

func joinIDs(ids []platform.ID) string {
	s := make([]string, len(ids))
	for i, id := range ids {
		s[i] = id.String()
	}
	return strings.Join(s, ", ")
}
