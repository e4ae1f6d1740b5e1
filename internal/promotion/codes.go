package promotion

import (
	"context"
	"crypto/rand"
	"fmt"
	"strings"
	"time"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// codeAlphabet has no 0/O, 1/I/L or U/V pairs a shopper could mistake for
// each other when typing a code off a card: 29 letters and digits.
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTWXYZ"

// CodeLength is the length of a generated code: 29^12 ≈ 2^58 codes, so a
// guessed code is almost never a real one.
const CodeLength = 12

// MaxIssue bounds the codes one issue makes.
const MaxIssue = 100_000

// GenerateCode makes one random code from the unambiguous alphabet.
func GenerateCode() string {
	// Bytes at or above the largest multiple of the alphabet's size are
	// dropped, so every symbol is equally likely.
	const limit = 256 / len(codeAlphabet) * len(codeAlphabet)
	var b [CodeLength]byte
	var raw [2 * CodeLength]byte
	for n := 0; n < CodeLength; {
		_, _ = rand.Read(raw[:]) // crypto/rand.Read never fails
		for _, r := range raw {
			if int(r) < limit && n < CodeLength {
				b[n] = codeAlphabet[int(r)%len(codeAlphabet)]
				n++
			}
		}
	}
	return string(b[:])
}

// NormalizeCode is a code as stored: trimmed and upper case.
func NormalizeCode(s string) string { return strings.ToUpper(strings.TrimSpace(s)) }

// Issue is a request for codes.
type Issue struct {
	// Count single-use codes to generate.
	Count int `json:"count"`
}

// PublicCode is a request for one code any shopper may use, limited only
// by the batch's counts (e.g. DOUBLE11 announced in a livestream).
type PublicCode struct {
	// Code is the text to publish; empty generates one.
	Code string `json:"code,omitempty"`
}

// Assignment gives a code to a customer (领券): a named code of the batch,
// or the next unclaimed one.
type Assignment struct {
	CustomerID platform.ID `json:"customer_id"`
	Code       string      `json:"code,omitempty"`
	// ValidDays, when set, narrows the code's window to that many days
	// from now (e.g. valid 7 days after claiming).
	ValidDays int `json:"valid_days,omitempty"`
}

// CodeRecord is one coupon code.
type CodeRecord struct {
	ID         platform.ID `json:"id"`
	Code       string      `json:"code"`
	BatchID    platform.ID `json:"batch_id"`
	Public     bool        `json:"public"`
	OwnerID    platform.ID `json:"owner_id,omitempty"`
	StartsAt   *time.Time  `json:"starts_at,omitempty"`
	EndsAt     *time.Time  `json:"ends_at,omitempty"`
	Status     CodeStatus  `json:"status"`
	ClaimedAt  *time.Time  `json:"claimed_at,omitempty"`
	RedeemedAt *time.Time  `json:"redeemed_at,omitempty"`
	CreatedAt  time.Time   `json:"created_at"`
}

// IssueResult says how many codes an issue made.
type IssueResult struct {
	BatchID platform.ID `json:"batch_id"`
	Issued  int         `json:"issued"`
	// Total is the batch's issued count after this issue.
	Total int `json:"total"`
}

// codesPerInsert is the rows of one multi-row INSERT: 8 values each stays
// far below both databases' parameter limits.
const codesPerInsert = 500

// IssueCodes generates n random single-use codes for a batch in one
// transaction. A generated code that collides with an existing one is
// skipped by the insert and replaced, so exactly n are made.
func (s *Service) IssueCodes(ctx context.Context, by audit.Actor, batchID platform.ID, in Issue) (IssueResult, error) {
	out := IssueResult{BatchID: batchID}
	if in.Count < 1 || in.Count > MaxIssue {
		return out, platform.Invalid("count", "promotion.count_range", MaxIssue)
	}
	err := s.write(ctx, func(tx *store.Tx) error {
		if _, err := getBatch(ctx, tx, batchID); err != nil {
			return err
		}
		made, err := insertCodes(ctx, tx, batchID, in.Count)
		if err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `UPDATE coupon_batches SET issued = issued + $2, updated_at = $3 WHERE id = $1 RETURNING issued`,
			batchID, made, tx.Now).Scan(&out.Total); err != nil {
			return fmt.Errorf("promotion: count issued: %w", err)
		}
		out.Issued = made
		return audit.Record(ctx, tx, audit.Entry{Actor: by, Action: "promotion.codes_issue", EntityType: "coupon_batch",
			EntityID: batchID.String(), After: out})
	})
	return out, err
}

// insertCodes adds n fresh codes in multi-row inserts that skip
// collisions, topping up until n are in.
func insertCodes(ctx context.Context, tx *store.Tx, batchID platform.ID, n int) (int, error) {
	made := 0
	for tries := 0; made < n; tries++ {
		if tries > 100 {
			return made, fmt.Errorf("promotion: could not find %d free codes", n)
		}
		k := min(n-made, codesPerInsert)
		var sb strings.Builder
		sb.WriteString(`INSERT INTO coupon_codes (id, code, batch_id, public, status, created_at) VALUES `)
		args := make([]any, 0, k*4+2)
		args = append(args, batchID, tx.Now)
		seen := make(map[string]bool, k)
		for i := 0; i < k; i++ {
			code := GenerateCode()
			if seen[code] {
				i--
				continue
			}
			seen[code] = true
			if i > 0 {
				sb.WriteByte(',')
			}
			p := len(args)
			fmt.Fprintf(&sb, "($%d, $%d, $1, FALSE, 'issued', $2)", p+1, p+2)
			args = append(args, tx.NewID(), code)
		}
		sb.WriteString(` ON CONFLICT (code) DO NOTHING`)
		res, err := tx.ExecContext(ctx, sb.String(), args...)
		if err != nil {
			return made, fmt.Errorf("promotion: insert codes: %w", err)
		}
		got, err := res.RowsAffected()
		if err != nil {
			return made, err
		}
		made += int(got)
	}
	return made, nil
}

// maxPublicCode bounds a chosen public code's length.
const maxPublicCode = 32

// checkPublicCode allows letters, digits, '-' and '_', 4 to 32 of them.
func checkPublicCode(code string) error {
	if len(code) < 4 || len(code) > maxPublicCode {
		return platform.Invalid("code", "promotion.code_format", maxPublicCode)
	}
	for _, r := range code {
		if !(r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || r == '-' || r == '_') {
			return platform.Invalid("code", "promotion.code_format", maxPublicCode)
		}
	}
	return nil
}

// AddPublicCode publishes one code of the batch that any shopper may use
// until the batch's limits are reached.
func (s *Service) AddPublicCode(ctx context.Context, by audit.Actor, batchID platform.ID, in PublicCode) (CodeRecord, error) {
	var out CodeRecord
	code := NormalizeCode(in.Code)
	if code == "" {
		code = GenerateCode()
	}
	if err := checkPublicCode(code); err != nil {
		return out, err
	}
	err := s.write(ctx, func(tx *store.Tx) error {
		if _, err := getBatch(ctx, tx, batchID); err != nil {
			return err
		}
		out = CodeRecord{ID: tx.NewID(), Code: code, BatchID: batchID, Public: true, Status: CodeIssued, CreatedAt: tx.Now}
		_, err := tx.ExecContext(ctx, `INSERT INTO coupon_codes (id, code, batch_id, public, status, created_at) VALUES ($1, $2, $3, TRUE, 'issued', $4)`,
			out.ID, code, batchID, tx.Now)
		if store.IsUniqueViolation(err) {
			return platform.E(CodeCodeTaken).With("code", "promotion.code_taken")
		}
		if err != nil {
			return fmt.Errorf("promotion: public code: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `UPDATE coupon_batches SET issued = issued + 1, updated_at = $2 WHERE id = $1`, batchID, tx.Now); err != nil {
			return err
		}
		return audit.Change(ctx, tx, by, "promotion.code_publish", "coupon_code", out.ID, nil, out)
	})
	return out, err
}

// claimTries bounds the picks of one claim racing others.
const claimTries = 8

// maxValidDays bounds a claimed code's own window.
const maxValidDays = 3650

// Assign gives a single-use code of the batch to a customer: the named
// one, or the next one nobody has claimed. The claim is a conditional
// update, so two claims never get the same code.
func (s *Service) Assign(ctx context.Context, by audit.Actor, batchID platform.ID, in Assignment) (CodeRecord, error) {
	var out CodeRecord
	if in.CustomerID <= 0 {
		return out, platform.Invalid("customer_id", "field.required")
	}
	if in.ValidDays < 0 || in.ValidDays > maxValidDays {
		return out, platform.Invalid("valid_days", "promotion.valid_days", maxValidDays)
	}
	code := NormalizeCode(in.Code)
	err := s.write(ctx, func(tx *store.Tx) error {
		if _, err := getBatch(ctx, tx, batchID); err != nil {
			return err
		}
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM customers WHERE id = $1`, in.CustomerID).Scan(&n); err != nil {
			return err
		}
		if n == 0 {
			return platform.Invalid("customer_id", "promotion.unknown_customer")
		}
		var ends any
		if in.ValidDays > 0 {
			ends = tx.Now.AddDate(0, 0, in.ValidDays)
		}
		pick := `(SELECT id FROM coupon_codes WHERE batch_id = $1 AND code = $5)`
		if code == "" {
			pick = `(SELECT id FROM coupon_codes WHERE batch_id = $1 AND status = 'issued' AND NOT public AND owner_id IS NULL AND $5 = '' ORDER BY id LIMIT 1)`
		}
		// A concurrent claim may take the code picked first (the update
		// then matches nothing); picking again finds the next free one.
		var err error
		for try := 0; try < claimTries; try++ {
			row := tx.QueryRowContext(ctx, `UPDATE coupon_codes SET owner_id = $2, status = 'claimed', claimed_at = $3, ends_at = COALESCE($4, ends_at)
			WHERE id = `+pick+` AND status = 'issued' AND NOT public AND owner_id IS NULL
			RETURNING id, code, batch_id, public, owner_id, starts_at, ends_at, status, claimed_at, redeemed_at, created_at`,
				batchID, in.CustomerID, tx.Now, ends, code)
			if out, err = scanCode(row); !isNoRows(err) || code != "" {
				break
			}
		}
		if isNoRows(err) {
			if code != "" {
				return platform.Errorf(CodeCouponUnavailable, "promotion.code_not_claimable", code).With("code", "promotion.code_not_claimable", code)
			}
			return platform.E(CodeNoFreeCode)
		}
		if err != nil {
			return fmt.Errorf("promotion: assign: %w", err)
		}
		return audit.Change(ctx, tx, by, "promotion.code_assign", "coupon_code", out.ID, nil, out)
	})
	return out, err
}

// VoidCode withdraws an unused code.
func (s *Service) VoidCode(ctx context.Context, by audit.Actor, code string) error {
	code = NormalizeCode(code)
	return s.write(ctx, func(tx *store.Tx) error {
		var id platform.ID
		err := tx.QueryRowContext(ctx, `UPDATE coupon_codes SET status = 'void' WHERE code = $1 AND status IN ('issued', 'claimed') RETURNING id`, code).Scan(&id)
		if isNoRows(err) {
			return platform.Errorf(CodeCouponUnavailable, "promotion.code_not_voidable", code)
		}
		if err != nil {
			return err
		}
		return audit.Change(ctx, tx, by, "promotion.code_void", "coupon_code", id, map[string]string{"code": code}, map[string]string{"status": string(CodeVoid)})
	})
}

const codeCols = `id, code, batch_id, public, owner_id, starts_at, ends_at, status, claimed_at, redeemed_at, created_at`

func scanCode(sc interface{ Scan(...any) error }) (CodeRecord, error) {
	var c CodeRecord
	var owner *int64
	err := sc.Scan(&c.ID, &c.Code, &c.BatchID, &c.Public, &owner, &c.StartsAt, &c.EndsAt, &c.Status, &c.ClaimedAt, &c.RedeemedAt, &c.CreatedAt)
	if owner != nil {
		c.OwnerID = platform.ID(*owner)
	}
	return c, err
}

// Codes lists a batch's codes, newest first.
func (s *Service) Codes(ctx context.Context, batchID platform.ID, p platform.PageRequest) (platform.Page[CodeRecord], error) {
	before, limit := pageArgs(p)
	rows, err := s.db.R.QueryContext(ctx, fmt.Sprintf(`SELECT `+codeCols+` FROM coupon_codes WHERE batch_id = $1 AND id < $2 ORDER BY id DESC LIMIT %d`, limit+1),
		batchID, before)
	if err != nil {
		return platform.Page[CodeRecord]{}, err
	}
	defer rows.Close()
	var out []CodeRecord
	for rows.Next() {
		c, err := scanCode(rows)
		if err != nil {
			return platform.Page[CodeRecord]{}, err
		}
		out = append(out, c)
	}
	if err := rows.Err(); err != nil {
		return platform.Page[CodeRecord]{}, err
	}
	return platform.NewPage(out, limit, func(c CodeRecord) platform.Cursor { return platform.Cursor{ID: c.ID} }), nil
}
