package review

import (
	"math/rand/v2"
	"strings"
)

// The demo's review texts are built from parts (subject × predicate per
// topic, openers, closers), so thousands of reviews rarely repeat and the
// topic lexicon finds in them what a shopper would have meant.

// demoKind is what a category sells, which decides the topics shoppers
// write about.
type demoKind uint8

const (
	kindGeneral demoKind = iota
	kindFood
	kindApparel
	kindDigital
)

// kindOf guesses a category's kind from its (sub-category) name.
func kindOf(category string) demoKind {
	switch {
	case containsAny(category, []string{"水果", "海鲜", "肉", "乳", "零食", "茶", "酒", "粮", "油", "饮", "冲调", "食"}):
		return kindFood
	case containsAny(category, []string{"装", "服", "鞋", "衣", "袜", "包"}):
		return kindApparel
	case containsAny(category, []string{"手机", "耳机", "电脑", "穿戴", "数码", "音响", "相机", "电器"}):
		return kindDigital
	}
	return kindGeneral
}

// phrases are a topic's subjects and its good and bad predicates.
type phrases struct {
	subj      []string
	good, bad []string
}

var demoPhrases = map[Topic]phrases{
	TopicQuality: {subj: []string{"质量", "做工", "品质", "用料", "质感"},
		good: []string{"很好", "非常好", "没得说", "超出预期", "挺扎实的", "很精致", "不错"},
		bad:  []string{"很差", "一般般", "有瑕疵", "太差了", "跟描述不符", "不行，用了两天就坏了"}},
	TopicLogistics: {subj: []string{"物流", "快递", "发货", "送货"},
		good: []string{"很快", "超快", "速度很快", "第二天就到了", "比预期快", "很及时"},
		bad:  []string{"太慢了", "很慢", "等了一个星期", "慢得离谱", "一直不更新"}},
	TopicPackaging: {subj: []string{"包装", "外包装", "包裹"},
		good: []string{"很严实", "很用心", "完好无损", "精致", "很好"},
		bad:  []string{"破损了", "太简陋", "压坏了", "很差", "都破了"}},
	TopicService: {subj: []string{"客服", "客服态度", "售后", "商家服务"},
		good: []string{"很耐心", "很热情", "回复很及时", "很好", "解答很专业"},
		bad:  []string{"态度很差", "一直不回复", "很敷衍", "推来推去", "差劲"}},
	TopicSize: {subj: []string{"尺码", "大小", "码数"},
		good: []string{"正好", "很合适", "标准", "合身"},
		bad:  []string{"偏小", "偏大", "不合适，要换", "小了一码"}},
	TopicPrice: {subj: []string{"价格", "性价比", "这个价钱"},
		good: []string{"很划算", "很实惠", "超值", "挺便宜", "真的值"},
		bad:  []string{"有点贵", "太贵了", "不值这个价", "偏高，不划算"}},
	TopicLooks: {subj: []string{"颜色", "款式", "外观", "颜值"},
		good: []string{"很好看", "很漂亮", "跟图片一样", "很喜欢", "很高级"},
		bad:  []string{"有色差", "跟图片差很多", "不好看", "很一般"}},
	TopicTaste: {subj: []string{"味道", "口感", "口味"},
		good: []string{"很好吃", "很新鲜", "不错", "很正宗", "家里人都喜欢"},
		bad:  []string{"不新鲜", "有异味", "难吃", "一般", "太咸了，不好"}},
	TopicFunction: {subj: []string{"效果", "续航", "音质", "功能"},
		good: []string{"很好", "很强", "好用", "很稳定", "超出预期"},
		bad:  []string{"很差", "不稳定", "难用", "一般", "没有宣传的好"}},
}

// kindTopics are the topics a kind's shoppers write about, most common
// first.
var kindTopics = map[demoKind][]Topic{
	kindGeneral: {TopicQuality, TopicLogistics, TopicPackaging, TopicPrice, TopicService, TopicLooks},
	kindFood:    {TopicTaste, TopicLogistics, TopicPackaging, TopicPrice, TopicQuality, TopicService},
	kindApparel: {TopicQuality, TopicSize, TopicLooks, TopicLogistics, TopicPrice, TopicService},
	kindDigital: {TopicFunction, TopicQuality, TopicLogistics, TopicPrice, TopicService, TopicPackaging},
}

var (
	demoOpeners     = []string{"", "", "", "收到了，", "第二次买了，", "给家里人买的，", "活动价入手，", "用了一周再来评价，", "朋友推荐的，", "纠结了很久才下单，"}
	demoGoodClosers = []string{"", "会回购的！", "推荐购买。", "五星好评！", "满意。", "下次还来。", "值得入手。", "很满意的一次购物。"}
	demoBadClosers  = []string{"", "不会再买了。", "很失望。", "差评。", "大家慎重。", "已申请退货。", "希望商家改进。"}
	demoMidClosers  = []string{"", "还行吧。", "中规中矩。", "凑合用。", "一般般。"}
	demoShort       = []string{"好评", "不错", "满意", "挺好的", "还可以", "东西收到了"}
	// demoSpam are the texts the automatic checks catch.
	demoSpam = []string{
		"同款更便宜，淘宝搜 好物小铺 领券", "加我微信 shop_deal88 领优惠券", "有需要的私聊我，QQ 2839471520", "代购正品，联系 13912345678",
		"点击链接领红包 http://t.cn/Ax9ZkP", "招代理，日赚三百，加V信 daili2024", "什么垃圾玩意，傻逼商家", "客服他妈的就是不回复",
		"有问题发邮件到 buyer.help@163.com 我教你退款",
	}
	demoReplyOpen   = []string{"亲，非常抱歉给您带来不好的体验，", "您好，看到您的反馈我们很重视，", "亲爱的顾客，抱歉让您失望了，", "您好，非常抱歉，"}
	demoReplyAction = []string{"客服已经联系您安排退换，", "我们已为您登记补发，", "已安排售后专员跟进处理，", "运费由我们承担，请联系在线客服办理退货，", "已反馈给仓库和质检部门，"}
	demoReplyClose  = []string{"我们会加强质检，期待您再给我们一次机会。", "后续有任何问题随时找我们。", "再次向您致歉！", "我们会持续改进，感谢您的监督。"}
	demoThanks      = []string{"感谢您的好评，期待再次光临！", "谢谢亲的支持，我们会继续努力～", "感谢认可，祝您生活愉快！", "谢谢您的分享，欢迎常来！"}
)

func pick(r *rand.Rand, s []string) string { return s[r.IntN(len(s))] }

// demoText writes a review of rating for a product of kind.
func demoText(r *rand.Rand, kind demoKind, rating int) string {
	if rating >= 4 && r.IntN(8) == 0 {
		return pick(r, demoShort)
	}
	topics := kindTopics[kind]
	n := 1 + r.IntN(3)
	var b strings.Builder
	b.WriteString(pick(r, demoOpeners))
	used := map[Topic]bool{}
	for i := 0; i < n; i++ {
		// Earlier topics come up more often.
		t := topics[min(r.IntN(len(topics)), r.IntN(len(topics)))]
		if used[t] {
			continue
		}
		used[t] = true
		p := demoPhrases[t]
		good := rating >= 4 || rating == 3 && r.IntN(2) == 0
		if rating <= 2 && i > 0 && r.IntN(4) == 0 {
			good = true // "物流倒是挺快，但是…"
		}
		pred := pick(r, p.bad)
		if good {
			pred = pick(r, p.good)
		}
		if b.Len() > 0 && !strings.HasSuffix(b.String(), "，") {
			b.WriteString("，")
		}
		b.WriteString(pick(r, p.subj) + pred)
	}
	switch {
	case rating >= 4:
		b.WriteString("，" + pick(r, demoGoodClosers))
	case rating == 3:
		b.WriteString("，" + pick(r, demoMidClosers))
	default:
		b.WriteString("，" + pick(r, demoBadClosers))
	}
	return strings.TrimSuffix(strings.TrimSuffix(b.String(), "，"), "，")
}

// demoReply writes the shop's answer to a review of rating.
func demoReply(r *rand.Rand, rating int) string {
	if rating > Negative {
		return pick(r, demoThanks)
	}
	return pick(r, demoReplyOpen) + pick(r, demoReplyAction) + pick(r, demoReplyClose)
}
