package payment

import (
	"embed"
	"io/fs"
	"net/http"
	"os"

	"github.com/riverqueue/river"

	"storeops/internal/jobs"
	"storeops/internal/module"
	"storeops/internal/payment/sandbox"
	"storeops/internal/platform"
	"storeops/internal/store"
	"storeops/internal/web"
)

// The payment domain's permissions. Analyst reads; confirming money and
// refunding it are for admin and customer service.
const (
	PermView    platform.Permission = "payment.view"
	PermConfirm platform.Permission = "payment.confirm"
	PermRefund  platform.Permission = "payment.refund"
)

// Permissions is the payment domain's part of the matrix.
var Permissions = []platform.PermissionDef{
	{Perm: PermView, Label: platform.Message{ZH: "查看支付与对账", EN: "View payments and reconciliation"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService, platform.RoleAnalyst}},
	{Perm: PermConfirm, Label: platform.Message{ZH: "确认线下收款（银行转账、货到付款）", EN: "Confirm offline payments (bank transfer, cash on delivery)"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService}},
	{Perm: PermRefund, Label: platform.Message{ZH: "发起退款", EN: "Refund orders"},
		Roles: []platform.Role{platform.RoleAdmin, platform.RoleService}},
}

//go:embed templates
var templatesFS embed.FS

// Module registers payments: tables (the shop's and the sandbox
// gateway's), permissions, the notification endpoint and payment API,
// the console's offline-payment and reconciliation pages, the sandbox
// gateway under SandboxPrefix (when SandboxEnabled), and the
// reconciliation and sweep jobs.
//
// Orders move through the order domain's state machine (OrderMachine);
// the order domain's refund action and cancellations reach payments
// through its SetRefunder and OnTransition hooks.
func Module(d *module.Deps) (*module.Module, error) {
	tpl, err := fs.Sub(templatesFS, "templates")
	if err != nil {
		return nil, err
	}
	gw := sandbox.New(sandbox.Config{DB: d.DB, Jobs: func() *jobs.Queue { return d.Jobs }, Prefix: SandboxPrefix})
	svc := New(Config{DB: d.DB, Log: d.Log, Orders: OrderMachine{}})
	svc.wireOrders()
	sandboxOn := SandboxEnabled(d)
	if sandboxOn {
		svc.AddProvider(appSandbox{acct: &sandboxAccount{db: d.DB, gw: gw}})
	}
	h := &handlers{s: svc}
	gateway := gw.Handler()
	return &module.Module{
		Name:        "payment",
		Migrations:  []store.Migrations{Migrations(), sandbox.Migrations()},
		Permissions: Permissions,
		Messages:    messages,
		Menu: []web.MenuItem{
			{Section: "nav.finance", Label: "nav.payments", Path: "/console/payments", Perm: PermView, Order: 420},
			{Section: "nav.finance", Label: "nav.reconciliation", Path: "/console/payments/reconciliation", Perm: PermView, Order: 430},
		},
		Templates: tpl,
		Routes: func(r *web.Router, rd *web.Renderer) {
			h.rd = rd
			r.Add(h.routes()...)
			if !sandboxOn {
				return
			}
			serveGateway := func(w http.ResponseWriter, req *http.Request) error { gateway.ServeHTTP(w, req); return nil }
			r.Add(
				web.Route{Method: http.MethodGet, Path: SandboxPrefix + "/{rest...}", Surface: web.Shop, Handler: serveGateway},
				web.Route{Method: http.MethodPost, Path: SandboxPrefix + "/{rest...}", Surface: web.Shop, Handler: serveGateway},
			)
		},
		Workers: func(w *river.Workers) {
			gw.Register(w)
			river.AddWorker(w, &reconcileWorker{s: svc})
			river.AddWorker(w, &sweepWorker{s: svc})
		},
		Periodic: svc.periodic(),
		Demo:     []module.DemoStep{DemoStep()},
	}, nil
}

// SandboxEnabled reports whether the app offers the sandbox gateway: in
// development mode, or when STOREOPS_PAYMENT_SANDBOX=1 asks for it (a demo
// deployment). Never in a real shop by default: its pay page "pays"
// without money, so a shopper choosing it there would get goods for free.
func SandboxEnabled(d *module.Deps) bool {
	return d.Dev || os.Getenv("STOREOPS_PAYMENT_SANDBOX") == "1"
}

var messages = platform.Texts{
	"nav.finance":          {"财务", "Finance"},
	"nav.payments":         {"线下收款", "Offline payments"},
	"nav.reconciliation":   {"支付对账", "Reconciliation"},
	"kind.payment":         {"支付单", "payment"},
	"kind.refund":          {"退款单", "refund"},
	"payment.title":        {"待确认的线下收款", "Offline payments to confirm"},
	"payment.id":           {"支付单号", "Payment"},
	"payment.order":        {"订单", "Order"},
	"payment.method":       {"方式", "Method"},
	"payment.amount":       {"金额", "Amount"},
	"payment.created":      {"创建时间", "Created"},
	"payment.reference":    {"转账流水号 / 收据号", "Transfer reference / receipt"},
	"payment.collected":    {"实收金额（元）", "Amount received (yuan)"},
	"payment.confirm":      {"确认收款", "Confirm"},
	"payment.confirmed":    {"已确认收款", "Payment confirmed"},
	"payment.empty":        {"没有待确认的线下收款", "No offline payment is waiting"},
	"payment.method.cod":   {"货到付款", "Cash on delivery"},
	"payment.method.bank":  {"银行转账", "Bank transfer"},
	"recon.title":          {"支付对账", "Payment reconciliation"},
	"recon.day":            {"日期", "Day"},
	"recon.captured":       {"实收金额", "Captured"},
	"recon.captured_count": {"收款笔数", "Captures"},
	"recon.paid_orders":    {"已付订单金额", "Paid orders"},
	"recon.paid_count":     {"已付订单数", "Paid orders (count)"},
	"recon.refunded":       {"退款金额", "Refunded"},
	"recon.refund_count":   {"退款笔数", "Refunds"},
	"recon.issues":         {"异常数", "Issues"},
	"recon.status":         {"状态", "Status"},
	"recon.ok":             {"一致", "Balanced"},
	"recon.mismatch":       {"不一致", "Mismatch"},
	"recon.kind":           {"异常类型", "Issue"},
	"recon.payment":        {"支付单", "Payment"},
	"recon.refund":         {"退款单", "Refund"},
	"recon.amount":         {"金额", "Amount"},
	"recon.expected":       {"应为", "Expected"},
	"recon.from":           {"开始日期", "From"},
	"recon.to":             {"结束日期", "To"},
	"recon.filter":         {"查询", "Show"},
	"recon.run":            {"重新对账", "Reconcile again"},
	"recon.export":         {"导出 Excel", "Export to Excel"},
	"recon.empty":          {"该时间段还没有对账结果", "No reconciliation for these days yet"},
	"recon.no_issues":      {"没有异常", "No issues"},
	"recon.issue_list":     {"异常明细", "Issues"},
	"recon.done":           {"已重新对账", "Reconciled"},
	IssueCapturedUnpaid:    {"已收款但订单未付款", "Captured, order not paid"},
	IssuePaidUncaptured:    {"订单已付款但无收款", "Order paid, nothing captured"},
	IssueDuplicateCapture:  {"重复收款", "Duplicate capture"},
	IssueCaptureAmount:     {"收款金额与订单不符", "Capture amount differs from order"},
	IssueRefundSum:         {"订单退款合计不符", "Order refund total differs"},
	IssueRefundLines:       {"退款分摊合计不符", "Refund lines do not add up"},
	IssueRefundOverCapture: {"退款超过收款", "Refunded more than captured"},
}
