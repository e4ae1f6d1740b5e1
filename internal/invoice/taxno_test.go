package invoice

import "testing"

func TestValidTaxNo(t *testing.T) {
	for _, c := range []struct {
		in   string
		want bool
	}{
		{"91350100M000100Y43", true}, // the standard's own example
		{"914403001922038216", true}, // a Shenzhen company, check digit 6
		{"9144030071526726XG", true}, // check character a letter
		{"91350100M000100Y44", false},
		{"914403001922038217", false},
		{"9144030071526726XH", false},
		{"91350100M000100Y4", false},   // 17 characters
		{"91350100M000100Y433", false}, // 19
		{"91350100I000100Y43", false},  // I is not in the alphabet
		{"91350100m000100Y43", false},  // not normalised
		{"", false},
		{"９１３５０１００Ｍ０００１００Ｙ４３", false}, // full-width
	} {
		if got := ValidTaxNo(c.in); got != c.want {
			t.Errorf("ValidTaxNo(%q) = %v, want %v", c.in, got, c.want)
		}
	}
	if got := NormalizeTaxNo(" 91350100m000100y43 "); !ValidTaxNo(got) {
		t.Errorf("normalised %q is not valid", got)
	}
}

// Changing any one character of a valid code to any other makes it
// invalid: the check character catches every single substitution.
func TestValidTaxNoCatchesEverySubstitution(t *testing.T) {
	const good = "91350100M000100Y43"
	for i := range len(good) {
		for j := range len(creditCodeChars) {
			c := creditCodeChars[j]
			if c == good[i] {
				continue
			}
			bad := good[:i] + string(c) + good[i+1:]
			if ValidTaxNo(bad) {
				t.Fatalf("%s (position %d changed) passes", bad, i+1)
			}
		}
	}
}
