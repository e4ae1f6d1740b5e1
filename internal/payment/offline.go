package payment

import (
	"context"
	"fmt"
	"net/http"
	"strings"

	"storeops/internal/audit"
	"storeops/internal/platform"
	"storeops/internal/store"
)

// CODProvider is cash on delivery: nothing happens online; the carrier
// collects the money and staff confirm the amount (ConfirmCOD).
type CODProvider struct{}

func (CODProvider) Name() string   { return "cod" }
func (CODProvider) Method() Method { return COD }

func (CODProvider) Start(_ context.Context, req StartRequest) (StartResult, error) {
	return StartResult{Instructions: fmt.Sprintf("货到付款：请在签收时向快递员支付 %s。", req.Payment.Amount)}, nil
}

func (CODProvider) ParseNotification(context.Context, http.Header, []byte) (Notice, error) {
	return Notice{}, platform.E(CodeWrongMethod)
}

// Refund of cash is handed back by staff; the refund is done when recorded.
func (CODProvider) Refund(context.Context, RefundRequest) (RefundResult, error) {
	return RefundResult{Done: true}, nil
}

func (CODProvider) Query(_ context.Context, p Payment) (Notice, error) {
	return Notice{Kind: NoticePending}, nil
}

// BankProvider is a bank transfer: the shopper transfers with the order
// number as the note; staff confirm the bank's reference and the amount
// (ConfirmBankTransfer).
type BankProvider struct {
	// Account is printed in the instructions.
	Account string
}

func (BankProvider) Name() string   { return "bank_transfer" }
func (BankProvider) Method() Method { return BankTransfer }

func (b BankProvider) Start(_ context.Context, req StartRequest) (StartResult, error) {
	account := b.Account
	if account == "" {
		account = "中国工商银行 上海分行 户名：storeops 示例商店 账号：6222 0000 0000 0000"
	}
	return StartResult{Instructions: fmt.Sprintf("银行转账：请向 %s 转账 %s，附言填写订单号 %s。到账后客服确认收款。", account, req.Payment.Amount, req.OrderNo)}, nil
}

func (BankProvider) ParseNotification(context.Context, http.Header, []byte) (Notice, error) {
	return Notice{}, platform.E(CodeWrongMethod)
}

// Refund of a transfer is made from the bank by staff.
func (BankProvider) Refund(context.Context, RefundRequest) (RefundResult, error) {
	return RefundResult{Done: true}, nil
}

func (BankProvider) Query(_ context.Context, p Payment) (Notice, error) {
	return Notice{Kind: NoticePending}, nil
}

// Confirmation is staff's word that offline money arrived.
type Confirmation struct {
	// Amount is what was collected or arrived; it must be the payment's.
	Amount platform.Money `json:"amount"`
	// Reference is the bank's transaction reference (bank transfer) or
	// the carrier's receipt number (cash on delivery, optional).
	Reference string `json:"reference"`
}

// Validate checks the fields.
func (c Confirmation) Validate(method Method) error {
	c.Reference = strings.TrimSpace(c.Reference)
	switch {
	case c.Amount <= 0:
		return platform.Invalid("amount", "field.invalid")
	case method == BankTransfer && c.Reference == "":
		return platform.Invalid("reference", "field.required")
	case len([]rune(c.Reference)) > 64:
		return platform.Invalid("reference", "field.too_long", 64)
	}
	return nil
}

// Confirm records that an offline payment's money arrived: a bank
// transfer with its reference (which may confirm only one payment), or
// cash collected on delivery. It captures the payment with the order's
// paid step, audited, in one transaction. Confirming again is a no-op.
// Errors: not found, CodeInvalid, CodeWrongMethod, CodeNotPending,
// CodeAmountMismatch, CodeReferenceUsed.
func (s *Service) Confirm(ctx context.Context, actor audit.Actor, id platform.ID, c Confirmation) (Payment, error) {
	c.Reference = strings.TrimSpace(c.Reference)
	err := s.db.WriteSerializable(ctx, func(tx *store.Tx) error {
		before, err := getPayment(ctx, tx, id)
		if err != nil {
			return err
		}
		if before.Method != BankTransfer && before.Method != COD {
			return platform.E(CodeWrongMethod)
		}
		if err := c.Validate(before.Method); err != nil {
			return err
		}
		if before.Status == Captured {
			if before.Amount == c.Amount && (c.Reference == "" || c.Reference == before.ExternalRef) {
				return nil // the same confirmation again
			}
			return platform.E(CodeNotPending)
		}
		if c.Amount != before.Amount {
			return platform.E(CodeAmountMismatch)
		}
		if c.Reference != "" {
			var other int
			if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM payments WHERE method = $1 AND external_ref = $2 AND id <> $3 AND status = 'captured'`,
				before.Method, c.Reference, id).Scan(&other); err != nil {
				return err
			}
			if other > 0 {
				return platform.E(CodeReferenceUsed)
			}
		}
		who := actor.Name
		if actor.StaffID != 0 {
			who = "staff:" + actor.StaffID.String()
		}
		if _, err := s.capture(ctx, tx, id, c.Amount, before.Currency, c.Reference, who, who); err != nil {
			return err
		}
		after, err := getPayment(ctx, tx, id)
		if err != nil {
			return err
		}
		return audit.Change(ctx, tx, actor, "payment.confirm", "payment", id, before, after)
	})
	if err != nil {
		return Payment{}, err
	}
	return getPayment(ctx, s.db.R, id)
}
