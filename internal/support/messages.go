package support

import "storeops/internal/platform"

var messages = platform.Texts{
	"kind.ticket": {"工单", "ticket"},

	"support.channel.web":   {"网页留言", "Web form"},
	"support.channel.email": {"邮件", "Email"},
	"support.channel.phone": {"电话", "Phone"},
	"support.channel.chat":  {"在线客服", "Chat"},
	"support.channel.care":  {"主动关怀", "Proactive care"},

	"support.type.pre_sale":   {"售前", "Pre-sale"},
	"support.type.in_order":   {"售中", "In order"},
	"support.type.after_sale": {"售后", "After-sale"},
	"support.type.complaint":  {"投诉", "Complaint"},
	"support.type.suggestion": {"建议", "Suggestion"},

	"support.priority.low":    {"低", "Low"},
	"support.priority.normal": {"普通", "Normal"},
	"support.priority.high":   {"高", "High"},
	"support.priority.urgent": {"紧急", "Urgent"},

	"support.status.open":     {"待处理", "Open"},
	"support.status.pending":  {"待客户回复", "Waiting on customer"},
	"support.status.resolved": {"已解决", "Resolved"},
	"support.status.closed":   {"已关闭", "Closed"},

	"support.cause.product.quality":    {"商品质量问题", "Product quality"},
	"support.cause.product.mismatch":   {"与描述不符", "Not as described"},
	"support.cause.product.question":   {"商品咨询", "Product question"},
	"support.cause.logistics.delay":    {"物流延迟", "Shipping delay"},
	"support.cause.logistics.damage":   {"运输破损", "Damaged in transit"},
	"support.cause.logistics.lost":     {"快递丢件", "Parcel lost"},
	"support.cause.order.change":       {"修改订单/地址", "Order or address change"},
	"support.cause.payment.issue":      {"支付问题", "Payment problem"},
	"support.cause.refund.progress":    {"退款进度", "Refund progress"},
	"support.cause.return.policy":      {"退换货政策", "Return policy"},
	"support.cause.promo.rules":        {"优惠活动规则", "Promotion rules"},
	"support.cause.service.attitude":   {"服务态度", "Service attitude"},
	"support.cause.account.issue":      {"账号问题", "Account problem"},
	"support.cause.suggestion.feature": {"功能建议", "Feature suggestion"},
	"support.cause.other":              {"其他", "Other"},

	"support.field.email_invalid":              {"邮箱格式不正确", "is not a valid email address"},
	"support.field.phone_invalid":              {"手机号格式不正确", "is not a valid mobile number"},
	"support.field.contact_required":           {"请留下邮箱或手机号，方便我们回复您", "leave an email or a mobile number so we can answer"},
	"support.field.resolution_before_response": {"解决时限不能短于首次响应时限", "must not be shorter than the first response target"},
	"support.field.name_taken":                 {"名称已被使用", "is already taken"},
	"support.field.score":                      {"请选择 1 到 5 分", "must be a whole number from 1 to 5"},
	"support.field.hours_invalid":              {"工作时间须在一天之内且结束晚于开始", "must be within one day and end after the start"},
}
