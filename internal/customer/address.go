package customer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/store"
)

// Address is one entry of a customer's address book. Region codes are
// GB/T 2260 six-digit codes (province 110000, city 110100, district
// 110101); the names are kept beside them as the customer saw them.
type Address struct {
	ID           platform.ID `json:"id"`
	Recipient    string      `json:"recipient"`
	Mobile       string      `json:"mobile"`
	Province     string      `json:"province"`
	ProvinceCode string      `json:"province_code"`
	City         string      `json:"city"`
	CityCode     string      `json:"city_code"`
	District     string      `json:"district"`
	DistrictCode string      `json:"district_code"`
	Detail       string      `json:"detail"`
	PostalCode   string      `json:"postal_code,omitempty"`
	IsDefault    bool        `json:"is_default"`
	CreatedAt    time.Time   `json:"created_at"`
	UpdatedAt    time.Time   `json:"updated_at"`
}

// AddressInput is what a customer submits to create or replace an
// address. Region codes may be given in the short form china-division
// uses ("11", "1101") or the full six digits.
type AddressInput struct {
	Recipient    string `json:"recipient"`
	Mobile       string `json:"mobile"`
	Province     string `json:"province"`
	ProvinceCode string `json:"province_code"`
	City         string `json:"city"`
	CityCode     string `json:"city_code"`
	District     string `json:"district"`
	DistrictCode string `json:"district_code"`
	Detail       string `json:"detail"`
	PostalCode   string `json:"postal_code,omitempty"`
	IsDefault    bool   `json:"is_default,omitempty"`
}

// Validate normalises the input in place and reports every invalid field.
func (in *AddressInput) Validate() error {
	e := platform.E(platform.CodeInvalid)
	for _, f := range []*string{&in.Recipient, &in.Mobile, &in.Province, &in.ProvinceCode, &in.City, &in.CityCode,
		&in.District, &in.DistrictCode, &in.Detail, &in.PostalCode} {
		*f = strings.TrimSpace(*f)
	}
	checkLen(e, "recipient", in.Recipient, 30, true)
	if in.Mobile == "" {
		e.With("mobile", "field.required")
	} else if m, ok := NormalizeMobile(in.Mobile); ok {
		in.Mobile = m
	} else {
		e.With("mobile", "customer.mobile_invalid")
	}
	checkLen(e, "province", in.Province, 30, true)
	checkLen(e, "city", in.City, 30, true)
	checkLen(e, "district", in.District, 30, true)
	checkLen(e, "detail", in.Detail, 120, true)
	var provOK, cityOK bool
	in.ProvinceCode, provOK = regionCode(e, "province_code", in.ProvinceCode, 2, "")
	prefix := ""
	if provOK {
		prefix = in.ProvinceCode[:2]
	}
	in.CityCode, cityOK = regionCode(e, "city_code", in.CityCode, 4, prefix)
	prefix = ""
	if cityOK {
		prefix = in.CityCode[:4]
	}
	in.DistrictCode, _ = regionCode(e, "district_code", in.DistrictCode, 6, prefix)
	if in.PostalCode != "" && !isDigits(in.PostalCode, 6) {
		e.With("postal_code", "customer.postal_code_invalid")
	}
	return orNil(e)
}

// regionCode checks a GB/T 2260 code at a level (2 province, 4 city, 6
// district significant digits) and returns it in six-digit form. prefix,
// when set, is the parent's significant digits the code must start with.
func regionCode(e *platform.Error, field, code string, digits int, prefix string) (string, bool) {
	if code == "" {
		e.With(field, "field.required")
		return code, false
	}
	if len(code) == digits && isDigits(code, digits) {
		code += strings.Repeat("0", 6-digits)
	}
	if !isDigits(code, 6) || code[:digits] == strings.Repeat("0", digits) || strings.Trim(code[digits:], "0") != "" ||
		strings.Trim(code[digits-2:digits], "0") == "" {
		e.With(field, "customer.region_invalid")
		return code, false
	}
	if prefix != "" && !strings.HasPrefix(code, prefix) {
		e.With(field, "customer.region_mismatch")
		return code, false
	}
	return code, true
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for _, c := range s {
		if c < '0' || c > '9' {
			return false
		}
	}
	return true
}

const addressColumns = `id, recipient, mobile, province, province_code, city, city_code, district, district_code,
	detail, postal_code, is_default, created_at, updated_at`

func scanAddress(row interface{ Scan(...any) error }) (Address, error) {
	var a Address
	err := row.Scan(&a.ID, &a.Recipient, &a.Mobile, &a.Province, &a.ProvinceCode, &a.City, &a.CityCode,
		&a.District, &a.DistrictCode, &a.Detail, &a.PostalCode, &a.IsDefault, &a.CreatedAt, &a.UpdatedAt)
	a.CreatedAt, a.UpdatedAt = a.CreatedAt.UTC(), a.UpdatedAt.UTC()
	return a, err
}

// Addresses lists a customer's addresses in the order they were added,
// one page at a time.
// Errors: CodeBadCursor comes from parsing the page, not from here.
func (s *Service) Addresses(ctx context.Context, customerID platform.ID, page platform.PageRequest) (platform.Page[Address], error) {
	var rows []Address
	var after platform.ID
	if page.After != nil {
		after = page.After.ID
	}
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		rs, err := tx.QueryContext(ctx, `SELECT `+addressColumns+` FROM customer_addresses
			WHERE customer_id = $1 AND id > $2 ORDER BY id LIMIT $3`, customerID, after, page.Limit+1)
		if err != nil {
			return err
		}
		defer rs.Close()
		for rs.Next() {
			a, err := scanAddress(rs)
			if err != nil {
				return err
			}
			rows = append(rows, a)
		}
		return rs.Err()
	})
	if err != nil {
		return platform.Page[Address]{}, fmt.Errorf("customer: list addresses: %w", err)
	}
	return platform.NewPage(rows, page.Limit, func(a Address) platform.Cursor { return platform.Cursor{ID: a.ID} }), nil
}

// Address returns one of the customer's addresses. Another customer's
// address is not found, exactly like a missing one.
func (s *Service) Address(ctx context.Context, customerID, id platform.ID) (*Address, error) {
	var a Address
	err := s.db.Read(ctx, func(tx *store.Tx) error {
		var err error
		a, err = getAddress(ctx, tx, customerID, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("customer: address: %w", err)
	}
	return &a, nil
}

func getAddress(ctx context.Context, tx *store.Tx, customerID, id platform.ID) (Address, error) {
	a, err := scanAddress(tx.QueryRowContext(ctx, `SELECT `+addressColumns+` FROM customer_addresses
		WHERE id = $1 AND customer_id = $2`, id, customerID))
	return a, store.NotFound(err, "address")
}

// CreateAddress adds an address. The first address, or one marked
// default, becomes the default.
// Errors: CodeInvalid, CodeAddressLimit.
func (s *Service) CreateAddress(ctx context.Context, customerID platform.ID, in AddressInput) (*Address, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var a Address
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM customer_addresses WHERE customer_id = $1`, customerID).Scan(&n); err != nil {
			return err
		}
		if n >= s.cfg.MaxAddresses {
			return platform.Errorf(CodeAddressLimit, "error.customer_address_limit", s.cfg.MaxAddresses)
		}
		if n == 0 {
			in.IsDefault = true
		}
		if err := clearDefault(ctx, tx, customerID, in.IsDefault); err != nil {
			return err
		}
		id := tx.NewID()
		_, err := tx.ExecContext(ctx, `INSERT INTO customer_addresses (id, customer_id, recipient, mobile, province, province_code,
			city, city_code, district, district_code, detail, postal_code, is_default, created_at, updated_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $14)`,
			id, customerID, in.Recipient, in.Mobile, in.Province, in.ProvinceCode, in.City, in.CityCode,
			in.District, in.DistrictCode, in.Detail, in.PostalCode, in.IsDefault, tx.Now)
		if err != nil {
			return err
		}
		a, err = getAddress(ctx, tx, customerID, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("customer: create address: %w", err)
	}
	return &a, nil
}

// UpdateAddress replaces an address. Marking it default takes the flag
// from the previous default; unmarking the default leaves it default
// (there is always one while the book is not empty).
// Errors: CodeInvalid, CodeNotFound (missing or another customer's).
func (s *Service) UpdateAddress(ctx context.Context, customerID, id platform.ID, in AddressInput) (*Address, error) {
	if err := in.Validate(); err != nil {
		return nil, err
	}
	var a Address
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		old, err := getAddress(ctx, tx, customerID, id)
		if err != nil {
			return err
		}
		isDefault := in.IsDefault || old.IsDefault
		if isDefault && !old.IsDefault {
			if err := clearDefault(ctx, tx, customerID, true); err != nil {
				return err
			}
		}
		_, err = tx.ExecContext(ctx, `UPDATE customer_addresses SET recipient = $1, mobile = $2, province = $3, province_code = $4,
			city = $5, city_code = $6, district = $7, district_code = $8, detail = $9, postal_code = $10, is_default = $11,
			updated_at = $12 WHERE id = $13 AND customer_id = $14`,
			in.Recipient, in.Mobile, in.Province, in.ProvinceCode, in.City, in.CityCode, in.District, in.DistrictCode,
			in.Detail, in.PostalCode, isDefault, tx.Now, id, customerID)
		if err != nil {
			return err
		}
		a, err = getAddress(ctx, tx, customerID, id)
		return err
	})
	if err != nil {
		return nil, fmt.Errorf("customer: update address: %w", err)
	}
	return &a, nil
}

// DeleteAddress removes an address; when it was the default, the most
// recently added remaining address becomes the default.
// Errors: CodeNotFound (missing or another customer's).
func (s *Service) DeleteAddress(ctx context.Context, customerID, id platform.ID) error {
	err := s.db.Write(ctx, func(tx *store.Tx) error {
		old, err := getAddress(ctx, tx, customerID, id)
		if err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM customer_addresses WHERE id = $1 AND customer_id = $2`, id, customerID); err != nil {
			return err
		}
		if !old.IsDefault {
			return nil
		}
		_, err = tx.ExecContext(ctx, `UPDATE customer_addresses SET is_default = TRUE, updated_at = $1
			WHERE id = (SELECT MAX(id) FROM customer_addresses WHERE customer_id = $2)`, tx.Now, customerID)
		return err
	})
	if err != nil {
		return fmt.Errorf("customer: delete address: %w", err)
	}
	return nil
}

// clearDefault unmarks the current default when a new one is coming.
func clearDefault(ctx context.Context, tx *store.Tx, customerID platform.ID, newDefault bool) error {
	if !newDefault {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE customer_addresses SET is_default = FALSE, updated_at = $1
		WHERE customer_id = $2 AND is_default`, tx.Now, customerID)
	return err
}
