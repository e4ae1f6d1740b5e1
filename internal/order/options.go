package order

import (
	"storeops/internal/demo/demokit"
	"storeops/internal/platform"
	"storeops/internal/region"
)

// Option is one choice of a select.
type Option struct {
	Value    string
	Label    string
	Selected bool
}

func options(lang platform.Lang, selected string, values []string, label func(string) string) []Option {
	out := []Option{{Value: "", Label: platform.T(lang, "order.all"), Selected: selected == ""}}
	for _, v := range values {
		out = append(out, Option{Value: v, Label: label(v), Selected: v == selected})
	}
	return out
}

func statusOptions(lang platform.Lang, selected string) []Option {
	vals := make([]string, len(Statuses))
	for i, s := range Statuses {
		vals[i] = string(s)
	}
	return options(lang, selected, vals, func(v string) string { return platform.T(lang, Status(v).Label()) })
}

// PaymentMethods are the payment methods the list filters by.
var PaymentMethods = []string{"online", "cod", "bank_transfer"}

func methodOptions(lang platform.Lang, selected string) []Option {
	return options(lang, selected, PaymentMethods, func(v string) string { return platform.T(lang, "order.method."+v) })
}

func channelOptions(lang platform.Lang, selected string) []Option {
	return options(lang, selected, demokit.Channels, func(v string) string { return channelLabel(lang, v) })
}

func channelLabel(lang platform.Lang, v string) string {
	if k := "order.channel." + v; platform.HasMessage(k) {
		return platform.T(lang, k)
	}
	return v
}

func methodLabel(lang platform.Lang, v string) string {
	if k := "order.method." + v; platform.HasMessage(k) {
		return platform.T(lang, k)
	}
	return v
}

// provinceCodes are the GB/T 2260 provinces, in code order.
var provinceCodes = []string{"110000", "120000", "130000", "140000", "150000", "210000", "220000", "230000", "310000", "320000",
	"330000", "340000", "350000", "360000", "370000", "410000", "420000", "430000", "440000", "450000", "460000", "500000",
	"510000", "520000", "530000", "540000", "610000", "620000", "630000", "640000", "650000", "710000", "810000", "820000"}

func provinceOptions(lang platform.Lang, selected string) []Option {
	return options(lang, selected, provinceCodes, func(code string) string {
		if d, ok := region.Province(code); ok {
			return d.Name
		}
		return code
	})
}
