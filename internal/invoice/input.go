package invoice

import (
	"strings"
	"unicode/utf8"

	"storeops/internal/customer"
	"storeops/internal/platform"
)

// Field limits.
const (
	maxTitle     = 100
	maxInvoiceNo = 40
	maxReason    = 200
)

// Input is the title a shopper asks the invoice to be made out to.
// TaxNo is required for a company and optional for a person; Email
// receives the e-invoice (optional).
type Input struct {
	TitleType TitleType `json:"title_type"`
	Title     string    `json:"title"`
	TaxNo     string    `json:"tax_no,omitempty"`
	Email     string    `json:"email,omitempty"`
}

// Validate normalises in place and reports every invalid field (422
// CodeInvalid with field errors).
func (in *Input) Validate() error {
	e := platform.E(platform.CodeInvalid)
	in.Title = strings.TrimSpace(in.Title)
	in.TaxNo = NormalizeTaxNo(in.TaxNo)
	in.Email = strings.TrimSpace(in.Email)
	if !in.TitleType.Valid() {
		e.With("title_type", "field.invalid")
	}
	switch n := utf8.RuneCountInString(in.Title); {
	case n == 0:
		e.With("title", "field.required")
	case n > maxTitle:
		e.With("title", "field.too_long", maxTitle)
	}
	switch {
	case in.TaxNo == "" && in.TitleType == Company:
		e.With("tax_no", "invoice.field.tax_no_required")
	case in.TaxNo != "" && !ValidTaxNo(in.TaxNo):
		e.With("tax_no", "invoice.field.tax_no_invalid")
	}
	if in.Email != "" {
		email, ok := customer.NormalizeEmail(in.Email)
		if !ok {
			e.With("email", "invoice.field.email_invalid")
		}
		in.Email = email
	}
	if len(e.Fields) > 0 {
		return e
	}
	return nil
}

// IssueInput is what staff record when the invoice is made.
type IssueInput struct {
	InvoiceNo string `json:"invoice_no"`
}

// Validate trims the number and checks it is there and printable.
func (in *IssueInput) Validate() error {
	in.InvoiceNo = strings.TrimSpace(in.InvoiceNo)
	switch {
	case in.InvoiceNo == "":
		return platform.Invalid("invoice_no", "field.required")
	case len(in.InvoiceNo) > maxInvoiceNo:
		return platform.Invalid("invoice_no", "field.too_long", maxInvoiceNo)
	case strings.ContainsFunc(in.InvoiceNo, func(r rune) bool { return r < 0x21 || r == 0x7f }):
		return platform.Invalid("invoice_no", "field.invalid")
	}
	return nil
}

// checkReason trims a rejection reason and requires one.
func checkReason(reason string) (string, error) {
	reason = strings.TrimSpace(reason)
	switch n := utf8.RuneCountInString(reason); {
	case n == 0:
		return "", platform.Invalid("reason", "field.required")
	case n > maxReason:
		return "", platform.Invalid("reason", "field.too_long", maxReason)
	}
	return reason, nil
}
