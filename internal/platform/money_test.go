package platform

import (
	"math"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestFormatCNY(t *testing.T) {
	tests := []struct {
		in   Money
		want string
	}{
		{0, "¥0.00"},
		{5, "¥0.05"},
		{-5, "-¥0.05"},
		{100, "¥1.00"},
		{1250, "¥12.50"},
		{99999, "¥999.99"},
		{100000, "¥1,000.00"},
		{123456, "¥1,234.56"},
		{-123456, "-¥1,234.56"},
		{100000000, "¥1,000,000.00"},
		{Yuan(12, 50), "¥12.50"},
		{math.MaxInt64, "¥92,233,720,368,547,758.07"},
		{math.MinInt64, "-¥92,233,720,368,547,758.08"},
		{math.MinInt64 + 1, "-¥92,233,720,368,547,758.07"},
	}
	for _, tt := range tests {
		if got := FormatCNY(tt.in); got != tt.want {
			t.Errorf("FormatCNY(%d) = %q, want %q", int64(tt.in), got, tt.want)
		}
		if got := tt.in.String(); got != tt.want {
			t.Errorf("Money(%d).String() = %q, want %q", int64(tt.in), got, tt.want)
		}
	}
}

func TestParseMoney(t *testing.T) {
	ok := []struct {
		in   string
		want Money
	}{
		{"0", 0},
		{"12", 1200},
		{"12.5", 1250},
		{"12.50", 1250},
		{"0.05", 5},
		{".5", 50},
		{"-3.20", -320},
		{"-0", 0},
		{"¥1,234.56", 123456},
		{"￥1,234.56", 123456},
		{"-¥1,234.56", -123456},
		{"  ¥7.00\t", 700},
		{"007.10", 710},
		{"92233720368547758.07", math.MaxInt64},
		{"¥92,233,720,368,547,758.07", math.MaxInt64},
		{"-92233720368547758.07", math.MinInt64 + 1},
		{"-¥92,233,720,368,547,758.08", math.MinInt64},
	}
	for _, tt := range ok {
		got, err := ParseMoney(tt.in)
		if err != nil || got != tt.want {
			t.Errorf("ParseMoney(%q) = %d, %v; want %d", tt.in, int64(got), err, int64(tt.want))
		}
	}
	bad := []string{
		"", " ", "-", "¥", "-¥", ".", "-.", "12.", "12.345", "1.2.3",
		"abc", "12a", "1e5", "0x10", "+5", "--5", "¥-5", "- 5", "1 000",
		"１２", "12.5.", "NaN", "Inf",
		// One fen beyond the int64 range of fen, either way.
		"92233720368547758.08",
		"-92233720368547758.09",
		"92233720368547759",
		"99999999999999999999",
		"18446744073709551616",
	}
	for _, in := range bad {
		if got, err := ParseMoney(in); err == nil {
			t.Errorf("ParseMoney(%q) = %d, want an error", in, int64(got))
		}
	}
}

func FuzzParseMoney(f *testing.F) {
	for _, s := range []string{"0", "12.5", "-¥1,234.56", "￥3", ".5", "92233720368547758.07",
		"-92233720368547758.08", "92233720368547758.08", "1,2.3", "12.", "¥", "-"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		m, err := ParseMoney(s)
		if err != nil {
			return
		}
		// A leading minus never yields a positive amount, and its absence
		// never a negative one (no silent overflow).
		neg := strings.HasPrefix(strings.TrimSpace(s), "-")
		if (neg && m > 0) || (!neg && m < 0) {
			t.Fatalf("ParseMoney(%q) = %d: wrong sign", s, int64(m))
		}
		text := FormatCNY(m)
		back, err := ParseMoney(text)
		if err != nil || back != m {
			t.Fatalf("ParseMoney(%q) = %d, formatted %q, parsed back %d, %v", s, int64(m), text, int64(back), err)
		}
	})
}

func TestAllocateExamples(t *testing.T) {
	tests := []struct {
		total   Money
		weights []int64
		want    []Money
	}{
		{100, []int64{1, 1, 1}, []Money{34, 33, 33}},
		{-100, []int64{1, 1, 1}, []Money{-34, -33, -33}},
		{100, []int64{0, 0}, []Money{50, 50}},
		{101, []int64{0, 0}, []Money{51, 50}},
		{100, []int64{0, 5, 0}, []Money{0, 100, 0}},
		{0, []int64{3, 7}, []Money{0, 0}},
		{1000, []int64{1000, 3000}, []Money{250, 750}},
		{10, []int64{1, 2, 3, 4}, []Money{1, 2, 3, 4}},
		{5, []int64{1, 1, 1, 1, 1, 1, 1}, []Money{1, 1, 1, 1, 1, 0, 0}},
		{7, nil, []Money{}},
		{math.MinInt64, []int64{1, 2}, nil}, // checked by the invariants only
	}
	for _, tt := range tests {
		got := Allocate(tt.total, tt.weights)
		checkAllocation(t, tt.total, tt.weights, got)
		if tt.want != nil && !equalMoney(got, tt.want) {
			t.Errorf("Allocate(%d, %v) = %v, want %v", int64(tt.total), tt.weights, got, tt.want)
		}
	}
}

func TestAllocateNegativeWeightPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Fatal("Allocate with a negative weight did not panic")
		}
	}()
	Allocate(100, []int64{1, -1})
}

// TestAllocateProperties checks the allocation invariants on many random
// cases, from small carts to amounts and weights near the int64 limits.
func TestAllocateProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(20261125, 1))
	cases := 20000
	if testing.Short() {
		cases = 2000
	}
	for c := 0; c < cases; c++ {
		n := 1 + rng.IntN(12)
		weights := make([]int64, n)
		var total Money
		switch c % 4 {
		case 0: // a cart: line amounts and a discount
			for i := range weights {
				weights[i] = rng.Int64N(100000)
			}
			total = Money(rng.Int64N(20001) - 10000)
		case 1: // sparse weights, many zeros
			for i := range weights {
				if rng.IntN(3) == 0 {
					weights[i] = rng.Int64N(10)
				}
			}
			total = Money(rng.Int64N(201) - 100)
		case 2: // all zero: even split
			total = Money(rng.Int64N(2001) - 1000)
		case 3: // extremes
			for i := range weights {
				weights[i] = rng.Int64N(math.MaxInt64 / int64(n))
			}
			total = Money(rng.Int64())
			if rng.IntN(2) == 0 {
				total = -total
			}
			if rng.IntN(10) == 0 {
				total = math.MinInt64
			}
		}
		checkAllocation(t, total, weights, Allocate(total, weights))
		if t.Failed() {
			return
		}
	}
}

// TestAllocateWeightsBeyondInt64Sum: weights are each valid int64 but sum
// past MaxInt64; the split must still be proportional and exact.
func TestAllocateWeightsBeyondInt64Sum(t *testing.T) {
	for _, w := range [][]int64{
		{math.MaxInt64, 1},
		{math.MaxInt64, math.MaxInt64},
		{math.MaxInt64 / 2, math.MaxInt64 / 2, math.MaxInt64 / 2},
	} {
		for _, total := range []Money{100, -100, 1, math.MaxInt64, math.MinInt64} {
			checkAllocation(t, total, w, Allocate(total, w))
		}
	}
}

// checkAllocation asserts Allocate's contract for one case.
func checkAllocation(t *testing.T, total Money, weights []int64, shares []Money) {
	t.Helper()
	if len(shares) != len(weights) {
		t.Fatalf("Allocate(%d, %v): %d shares for %d weights", int64(total), weights, len(shares), len(weights))
	}
	if len(weights) == 0 {
		return
	}
	sum := new(big.Int)
	wsum := new(big.Int)
	allZero := true
	for i, w := range weights {
		sum.Add(sum, big.NewInt(int64(shares[i])))
		wsum.Add(wsum, big.NewInt(w))
		if w != 0 {
			allZero = false
		}
	}
	if sum.Cmp(big.NewInt(int64(total))) != 0 {
		t.Errorf("Allocate(%d, %v) = %v: sums to %s", int64(total), weights, shares, sum)
	}
	if allZero {
		wsum.SetInt64(int64(len(weights)))
	}
	for i, w := range weights {
		s := shares[i]
		if (total > 0 && s < 0) || (total < 0 && s > 0) || (total == 0 && s != 0) {
			t.Errorf("Allocate(%d, %v) = %v: share %d has the wrong sign", int64(total), weights, shares, i)
		}
		if allZero {
			w = 1
		} else if w == 0 && s != 0 {
			t.Errorf("Allocate(%d, %v) = %v: zero weight %d got %d", int64(total), weights, shares, i, int64(s))
		}
		// |share − total·w/Σw| < 1 fen.
		quota := new(big.Rat).SetFrac(new(big.Int).Mul(big.NewInt(int64(total)), big.NewInt(w)), wsum)
		diff := new(big.Rat).Sub(new(big.Rat).SetInt64(int64(s)), quota)
		if diff.Abs(diff).Cmp(big.NewRat(1, 1)) >= 0 {
			t.Errorf("Allocate(%d, %v) = %v: share %d is %s fen from its quota %s", int64(total), weights, shares, i, diff.FloatString(2), quota.FloatString(2))
		}
	}
}

func equalMoney(a, b []Money) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func TestParseMoneyRejectsCommasInDecimals(t *testing.T) {
	for _, in := range []string{"1,2.3,4", "12.3,4", "1.,5", "1,,,,2", "1200000,50", ",123", "1234,567"} {
		if _, err := ParseMoney(in); err == nil {
			t.Errorf("ParseMoney(%q) accepted", in)
		}
	}
	if got, err := ParseMoney("1,234.56"); err != nil || got != 123456 {
		t.Errorf("ParseMoney(1,234.56) = %d, %v", got, err)
	}
}
