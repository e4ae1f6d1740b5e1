package pricing

import (
	"cmp"
	"fmt"
	"math/bits"
	"unicode/utf8"

	"storeops/internal/platform"
)

// mulDiv is a*b/c rounded down, for non-negative a, b and positive c,
// exact even when a*b passes int64. The quotient must fit in int64 (every
// caller divides by at least one of the factors' bounds).
func mulDiv(a, b, c int64) int64 {
	q, _ := mulDivRem(a, b, c)
	return q
}

// mulDivRound is a*b/c rounded half up.
func mulDivRound(a, b, c int64) int64 {
	q, r := mulDivRem(a, b, c)
	if r >= uint64(c)-r { // r ≥ c/2, without overflow
		q++
	}
	return q
}

func mulDivRem(a, b, c int64) (int64, uint64) {
	if a < 0 || b < 0 || c <= 0 {
		panic(fmt.Sprintf("pricing: mulDiv(%d, %d, %d)", a, b, c))
	}
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	if hi >= uint64(c) {
		panic(fmt.Sprintf("pricing: %d×%d/%d overflows", a, b, c))
	}
	q, r := bits.Div64(hi, lo, uint64(c))
	return int64(q), r
}

// cmpProducts compares a*b with c*d for non-negative factors, exactly.
func cmpProducts(a, b, c, d int64) int {
	h1, l1 := bits.Mul64(uint64(a), uint64(b))
	h2, l2 := bits.Mul64(uint64(c), uint64(d))
	if h1 != h2 {
		return cmp.Compare(h1, h2)
	}
	return cmp.Compare(l1, l2)
}

// percentOf is p% of amount, rounded half up to the fen.
func percentOf(amount platform.Money, p int) platform.Money {
	return platform.Money(mulDivRound(int64(amount), int64(p), 100))
}

// split shares total over lines in proportion to weights (largest
// remainder). total must not exceed the sum of the weights, so that no
// share exceeds its weight: the caller caps it. A zero total gives zeros.
func split(total platform.Money, weights []int64) []platform.Money {
	var sum int64
	for _, w := range weights {
		sum += w
	}
	if total <= 0 || sum == 0 {
		return make([]platform.Money, len(weights))
	}
	if int64(total) > sum {
		panic(fmt.Sprintf("pricing: split %d over weights summing to %d", total, sum))
	}
	return platform.Allocate(total, weights)
}

func fieldf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

// orNil returns e when it names a field, else nil (a typed nil *Error must
// never become a non-nil error).
func orNil(e *platform.Error) error {
	if len(e.Fields) == 0 {
		return nil
	}
	return e
}

func checkName(e *platform.Error, field, v string, max int) {
	switch {
	case v == "":
		e.With(field, "field.required")
	case utf8.RuneCountInString(v) > max:
		e.With(field, "field.too_long", max)
	}
}
