package customer

import (
	"context"
	"fmt"
	"strings"
	"time"

	"storeops/internal/platform"
	"storeops/internal/region"
	"storeops/internal/store"
)

// Address is one entry of a customer's address book. Region codes are
// GB/T 2260 six-digit codes (province 110000, city 110100, district
// 110101; a city without districts, such as 东莞市, has nine-digit town
// codes at the district level); the names beside them are the dataset's
// names for those codes.
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
// uses ("11", "1101") or the full six digits; they must exist in the
// dataset (package region). The region names are optional and replaced by
// the dataset's names for the codes.
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
	checkLen(e, "detail", in.Detail, 120, true)
	in.checkRegion(e)
	if in.PostalCode != "" && !isDigits(in.PostalCode, 6) {
		e.With("postal_code", "customer.postal_code_invalid")
	}
	return orNil(e)
}

// checkRegion checks the region codes against the GB/T 2260 dataset
// (package region): each must exist at its level and lie inside the one
// above it. The codes are stored in six-digit form and the names are
// taken from the dataset, whatever the client sent beside them.
func (in *AddressInput) checkRegion(e *platform.Error) {
	prov, provOK := regionLevel(e, "province_code", in.ProvinceCode, region.Province, nil)
	city, cityOK := regionLevel(e, "city_code", in.CityCode, region.City, ifOK(prov, provOK))
	dist, distOK := regionLevel(e, "district_code", in.DistrictCode, region.District, ifOK(city, cityOK))
	if provOK {
		in.ProvinceCode, in.Province = prov.Code, prov.Name
	}
	if cityOK {
		in.CityCode, in.City = city.Code, city.Name
	}
	if distOK {
		in.DistrictCode, in.District = dist.Code, dist.Name
	}
}

func ifOK(d region.Division, ok bool) *region.Division {
	if !ok {
		return nil
	}
	return &d
}

// regionLevel looks code up at one level; parent, when known, is the
// division the code must belong to.
func regionLevel(e *platform.Error, field, code string, find func(string) (region.Division, bool), parent *region.Division) (region.Division, bool) {
	if code == "" {
		e.With(field, "field.required")
		return region.Division{}, false
	}
	d, ok := find(code)
	if !ok {
		e.With(field, "customer.region_invalid")
		return d, false
	}
	if parent != nil && d.Parent != parent.Code {
		e.With(field, "customer.region_mismatch")
		return d, false
	}
	return d, true
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
		if err := lockAddressBook(ctx, tx, customerID); err != nil {
			return err
		}
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
			return addressConflict(err)
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
		if err := lockAddressBook(ctx, tx, customerID); err != nil {
			return err
		}
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
			return addressConflict(err)
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
		if err := lockAddressBook(ctx, tx, customerID); err != nil {
			return err
		}
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
		return addressConflict(err)
	})
	if err != nil {
		return fmt.Errorf("customer: delete address: %w", err)
	}
	return nil
}

// lockAddressBook serialises writes to one customer's address book. On
// PostgreSQL two transactions could otherwise both count the book before
// either inserts (overfilling it), or both clear the default and then
// collide on customer_addresses_one_default; locking the customer row
// first makes the second wait and then see the first's rows. SQLite has a
// single writer, so its write transactions are serial already.
func lockAddressBook(ctx context.Context, tx *store.Tx, customerID platform.ID) error {
	if tx.Dialect != store.Postgres {
		return nil
	}
	var id platform.ID
	err := tx.QueryRowContext(ctx, `SELECT id FROM customers WHERE id = $1 FOR UPDATE`, customerID).Scan(&id)
	return store.NotFound(err, "customer")
}

// addressConflict reports a unique violation that slipped past the lock
// (such as a second default address) as a conflict, not a server error.
func addressConflict(err error) error {
	if store.IsUniqueViolation(err) {
		return platform.E(platform.CodeConflict).Wrap(err)
	}
	return err
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
