package cart

import (
	"slices"

	"storeops/internal/platform"
)

// Quoter prices shipping for a parcel. The rules below are the shop's
// simple table; the logistics work replaces them with carrier rates
// behind this same interface.
type Quoter interface {
	Quote(p Parcel) Shipping
}

// Parcel is what shipping depends on.
type Parcel struct {
	// ProvinceCode is the destination's six-digit province code; "" when
	// not known yet (the quote then assumes a nearby province).
	ProvinceCode string
	// Items is what the goods cost after item discounts.
	Items platform.Money
	// Cold is set when any item needs the cold chain (chilled or frozen).
	Cold bool
}

// Shipping is a quote.
type Shipping struct {
	Fee platform.Money `json:"fee"`
	// FreeOver is the items amount from which this parcel ships free (0:
	// no such threshold).
	FreeOver platform.Money `json:"free_over,omitempty"`
	// Rule names the rule that set the fee: free, standard, remote, cold.
	Rule string `json:"rule"`
}

// Rules is the default shipping table: free above a threshold, a flat fee
// below it, more to remote provinces, and a cold-chain fee with its own
// higher free threshold. Zero fields take the defaults (which the demo
// shop's order history follows).
type Rules struct {
	FreeOver        platform.Money // default ¥99
	Fee             platform.Money // default ¥8
	RemoteFee       platform.Money // default ¥15
	RemoteProvinces []string       // default: 内蒙古, 海南, 西藏, 甘肃, 青海, 宁夏, 新疆
	ColdFreeOver    platform.Money // default ¥199
	ColdFee         platform.Money // default ¥18
}

// DefaultRemoteProvinces are far from the shop's warehouses.
var DefaultRemoteProvinces = []string{"150000", "460000", "540000", "620000", "630000", "640000", "650000"}

func (r Rules) withDefaults() Rules {
	def := func(v *platform.Money, d platform.Money) {
		if *v == 0 {
			*v = d
		}
	}
	def(&r.FreeOver, 9900)
	def(&r.Fee, 800)
	def(&r.RemoteFee, 1500)
	def(&r.ColdFreeOver, 19900)
	def(&r.ColdFee, 1800)
	if r.RemoteProvinces == nil {
		r.RemoteProvinces = DefaultRemoteProvinces
	}
	return r
}

// Quote applies the table: cold-chain parcels pay the cold fee below its
// threshold; others pay the remote or standard fee below the free
// threshold.
func (r Rules) Quote(p Parcel) Shipping {
	r = r.withDefaults()
	switch {
	case p.Cold && p.Items < r.ColdFreeOver:
		return Shipping{Fee: r.ColdFee, FreeOver: r.ColdFreeOver, Rule: "cold"}
	case p.Cold:
		return Shipping{Rule: "free", FreeOver: r.ColdFreeOver}
	case p.Items >= r.FreeOver:
		return Shipping{Rule: "free", FreeOver: r.FreeOver}
	case slices.Contains(r.RemoteProvinces, p.ProvinceCode):
		return Shipping{Fee: r.RemoteFee, FreeOver: r.FreeOver, Rule: "remote"}
	}
	return Shipping{Fee: r.Fee, FreeOver: r.FreeOver, Rule: "standard"}
}
