package returns

import (
	"encoding/json"
	"testing"
	"unicode/utf8"
)

// Any request body either decodes and validates to a request whose every
// line asks for a positive quantity of a distinct line, or is refused;
// never a panic.
func FuzzRequestInput(f *testing.F) {
	f.Add(`{"kind":"return","reason":"quality","lines":[{"order_line_id":"12","qty":1}]}`)
	f.Add(`{"kind":"exchange","reason":"size","lines":[{"order_line_id":"12","qty":2,"exchange_sku_id":"9"}]}`)
	f.Add(`{"kind":"refund_only","reason":"missing","description":"\u0000","lines":[{"order_line_id":"-1","qty":0}]}`)
	f.Add(`{"lines":[{"order_line_id":"1","qty":1},{"order_line_id":"1","qty":1}]}`)
	f.Fuzz(func(t *testing.T, body string) {
		var in RequestInput
		if json.Unmarshal([]byte(body), &in) != nil {
			return
		}
		if in.Validate() != nil {
			return
		}
		if !in.Kind.Valid() || !in.Reason.Valid() || len(in.Lines) == 0 || utf8.RuneCountInString(in.Description) > maxDescription {
			t.Fatalf("accepted %+v", in)
		}
		seen := map[int64]bool{}
		for _, l := range in.Lines {
			if l.Qty <= 0 || l.OrderLineID <= 0 || seen[int64(l.OrderLineID)] || l.ExchangeSKUID != 0 && in.Kind != KindExchange {
				t.Fatalf("accepted line %+v of %+v", l, in)
			}
			seen[int64(l.OrderLineID)] = true
		}
	})
}

// A parcel is accepted only with a carrier and a plain tracking number.
func FuzzShipInput(f *testing.F) {
	f.Add("顺丰速运", "SF1234567890")
	f.Add(" ", "<b>1</b>")
	f.Add("中通快递", "ZT-2026-11")
	f.Fuzz(func(t *testing.T, carrier, tracking string) {
		in := ShipInput{Carrier: carrier, TrackingNo: tracking}
		if in.Validate() != nil {
			return
		}
		if in.Carrier == "" || len(in.TrackingNo) < 6 || len(in.TrackingNo) > 40 {
			t.Fatalf("accepted %+v", in)
		}
		for _, r := range in.TrackingNo {
			if !(r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r == '-') {
				t.Fatalf("accepted tracking number %q", in.TrackingNo)
			}
		}
	})
}
