package platform

import (
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"
)

// Money is an amount in fen (1/100 yuan). It is never a float: prices,
// discounts and refunds are exact, and allocations always add up.
type Money int64

// Yuan builds an amount from whole yuan and fen, e.g. Yuan(12, 50) is ¥12.50.
func Yuan(yuan, fen int64) Money { return Money(yuan*100 + fen) }

// String renders the amount with the ¥ sign, thousands separators and two
// decimals: ¥1,234.50, -¥0.05.
func (m Money) String() string { return FormatCNY(m) }

// FormatCNY renders m as ¥1,234.56.
func FormatCNY(m Money) string {
	neg := m < 0
	u := uint64(m)
	if neg {
		u = uint64(-(m + 1)) + 1 // safe for math.MinInt64
	}
	whole := strconv.FormatUint(u/100, 10)
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	b.WriteString("¥")
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	fmt.Fprintf(&b, ".%02d", u%100)
	return b.String()
}

// ParseMoney reads an amount in yuan as people write it: "12", "12.5",
// "12.50", "¥1,234.56", "-3.20". More than two decimals, a bare sign, or a
// value beyond the int64 range of fen is an error rather than a rounding.
func ParseMoney(s string) (Money, error) {
	orig := s
	s = strings.TrimSpace(s)
	neg := false
	if strings.HasPrefix(s, "-") {
		neg, s = true, s[1:]
	}
	s = strings.TrimPrefix(s, "¥")
	s = strings.TrimPrefix(s, "￥")
	whole, frac, hasDot := strings.Cut(s, ".")
	// Thousands separators belong to the whole part only.
	if strings.Contains(frac, ",") {
		return 0, fmt.Errorf("money: %q is not an amount", orig)
	}
	if strings.Contains(whole, ",") {
		// 1,234,567: groups of three after a first group of one to three.
		groups := strings.Split(whole, ",")
		if len(groups[0]) == 0 || len(groups[0]) > 3 {
			return 0, fmt.Errorf("money: %q is not an amount", orig)
		}
		for _, g := range groups[1:] {
			if len(g) != 3 {
				return 0, fmt.Errorf("money: %q is not an amount", orig)
			}
		}
		whole = strings.Join(groups, "")
	}
	if whole == "" && (!hasDot || frac == "") {
		return 0, fmt.Errorf("money: %q is not an amount", orig)
	}
	if len(frac) > 2 || (hasDot && frac == "") {
		return 0, fmt.Errorf("money: %q must have one or two decimals", orig)
	}
	for _, part := range []string{whole, frac} {
		for _, c := range part {
			if c < '0' || c > '9' {
				return 0, fmt.Errorf("money: %q is not an amount", orig)
			}
		}
	}
	for len(frac) < 2 {
		frac += "0"
	}
	if whole == "" {
		whole = "0"
	}
	// The magnitude in fen may reach 2^63 only when negative.
	limit := uint64(math.MaxInt64)
	if neg {
		limit++
	}
	w, err := strconv.ParseUint(whole, 10, 64)
	f, _ := strconv.ParseUint(frac, 10, 64)
	if err != nil || w > limit/100 || w*100+f > limit {
		return 0, fmt.Errorf("money: %q is out of range", orig)
	}
	v := int64(w*100 + f) // 2^63 wraps to math.MinInt64, negated below to itself
	if neg {
		v = -v
	}
	return Money(v), nil
}

// Allocate splits total over the given non-negative weights in proportion,
// by the largest-remainder method: each share is the floor of its exact
// quota, and the fen left over go one each to the largest remainders (ties
// to the earlier weight). The shares always sum to total, and a share never
// has the opposite sign of total. With all weights zero, the split is even.
// A negative weight panics: that is a programming error, not input.
func Allocate(total Money, weights []int64) []Money {
	n := len(weights)
	out := make([]Money, n)
	if n == 0 {
		return out
	}
	w := make([]int64, n)
	// The weights may sum past int64, so the sum is a big.Int.
	bigSum := new(big.Int)
	for i, x := range weights {
		if x < 0 {
			panic("platform.Allocate: negative weight")
		}
		w[i] = x
		bigSum.Add(bigSum, big.NewInt(x))
	}
	if bigSum.Sign() == 0 {
		for i := range w {
			w[i] = 1
		}
		bigSum.SetInt64(int64(n))
	}
	neg := total < 0
	t := big.NewInt(int64(total))
	if neg {
		t.Neg(t)
	}
	rems := make([]*big.Int, n)
	var given int64
	for i, x := range w {
		q, r := new(big.Int).QuoRem(new(big.Int).Mul(t, big.NewInt(x)), bigSum, new(big.Int))
		out[i] = Money(q.Int64())
		rems[i] = r
		given += q.Int64()
	}
	left := t.Int64() - given
	order := make([]int, n)
	for i := range order {
		order[i] = i
	}
	// Stable selection of the largest remainders: left < n always.
	for k := int64(0); k < left; k++ {
		best := -1
		for _, i := range order {
			if i < 0 {
				continue
			}
			if best < 0 || rems[i].Cmp(rems[best]) > 0 {
				best = i
			}
		}
		out[best]++
		order[best] = -1
	}
	if neg {
		for i := range out {
			out[i] = -out[i]
		}
	}
	return out
}
