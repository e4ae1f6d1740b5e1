package invoice

import "strings"

// creditCodeChars are the characters a unified social credit code may
// use, in the order of their values (GB 32100-2015 table 2: the digits,
// then the capitals without I, O, S, V and Z, which read like digits).
const creditCodeChars = "0123456789ABCDEFGHJKLMNPQRTUWXY"

// creditCodeWeights weigh positions 1–17: 3^(i-1) mod 31.
var creditCodeWeights = [17]int{1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28}

// NormalizeTaxNo trims a tax number and upper-cases it, since shoppers
// often type the letters in lower case.
func NormalizeTaxNo(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// ValidTaxNo reports whether s is a unified social credit code
// (统一社会信用代码): 18 characters from creditCodeChars whose last one
// is the check character of the first 17 (GB 32100-2015: 31 minus the
// weighted sum mod 31, where 31 counts as 0). s must be normalised.
func ValidTaxNo(s string) bool {
	if len(s) != 18 {
		return false
	}
	sum := 0
	for i := 0; i < 17; i++ {
		v := strings.IndexByte(creditCodeChars, s[i])
		if v < 0 {
			return false
		}
		sum += v * creditCodeWeights[i]
	}
	check := (31 - sum%31) % 31
	return s[17] == creditCodeChars[check]
}
