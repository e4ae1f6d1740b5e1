package pricing

import (
	"fmt"
	"math/big"
	"unicode/utf8"

	"storeops/internal/platform"
)

// mulDiv is a*b/c rounded down, for non-negative a, b and positive c,
// exact even when a*b passes int64.
func mulDiv(a, b, c int64) int64 {
	q := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	return q.Quo(q, big.NewInt(c)).Int64()
}

// mulDivRound is a*b/c rounded half up.
func mulDivRound(a, b, c int64) int64 {
	q := new(big.Int).Mul(big.NewInt(a), big.NewInt(b))
	q.Mul(q, big.NewInt(2)).Add(q, big.NewInt(c))
	return q.Quo(q, big.NewInt(2*c)).Int64()
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
