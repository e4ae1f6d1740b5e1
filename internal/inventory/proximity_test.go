package inventory

import "testing"

func TestDistance(t *testing.T) {
	for _, c := range []struct {
		shipTo, warehouse string
		want              int
	}{
		{"310000", "310000", 0}, // Shanghai to Shanghai
		{"310115", "310000", 0}, // a district code still names its province
		{"330100", "310000", 1}, // Hangzhou from Shanghai: 华东
		{"420100", "310000", 2}, // Wuhan from Shanghai: 华中 borders 华东
		{"650100", "310000", 3}, // Urumqi from Shanghai
		{"230100", "110000", 2}, // Harbin from Beijing: 东北 borders 华北
		{"500000", "510000", 1}, // Chongqing from Chengdu
		{"", "310000", 3},       // no address
		{"990000", "310000", 3}, // unknown province
	} {
		if got := Distance(c.shipTo, c.warehouse); got != c.want {
			t.Errorf("Distance(%s, %s) = %d, want %d", c.shipTo, c.warehouse, got, c.want)
		}
		if got := Distance(c.warehouse, c.shipTo); got != c.want {
			t.Errorf("Distance is not symmetric for %s, %s", c.shipTo, c.warehouse)
		}
	}
}

// Any pair of codes, however malformed, gets a rank from 0 to 3, the same
// both ways.
func FuzzDistance(f *testing.F) {
	for _, s := range []string{"", "3", "310000", "440300", "650100", "99", "中国", "\xff\xfe"} {
		f.Add(s, "310000")
	}
	f.Fuzz(func(t *testing.T, a, b string) {
		d := Distance(a, b)
		if d < 0 || d > 3 || d != Distance(b, a) {
			t.Fatalf("Distance(%q, %q) = %d (reverse %d)", a, b, d, Distance(b, a))
		}
	})
}
