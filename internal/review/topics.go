package review

import (
	"sort"
	"strings"
)

// Topic is what part of the purchase a review speaks of: the product's
// quality, the delivery, the packaging… Operators read praise and
// complaints per topic.
type Topic string

// The topics of the lexicon.
const (
	TopicQuality   Topic = "quality"   // 质量
	TopicLogistics Topic = "logistics" // 物流
	TopicPackaging Topic = "packaging" // 包装
	TopicService   Topic = "service"   // 客服
	TopicSize      Topic = "size"      // 尺码
	TopicPrice     Topic = "price"     // 价格
	TopicLooks     Topic = "looks"     // 外观
	TopicTaste     Topic = "taste"     // 口味
	TopicFunction  Topic = "function"  // 功能
)

// Topics lists every topic in display order.
var Topics = []Topic{TopicQuality, TopicLogistics, TopicPackaging, TopicService, TopicSize, TopicPrice, TopicLooks, TopicTaste, TopicFunction}

// Label is the topic's message key.
func (t Topic) Label() string { return "review.topic." + string(t) }

// Valid reports whether t is a known topic.
func (t Topic) Valid() bool {
	for _, v := range Topics {
		if t == v {
			return true
		}
	}
	return false
}

// topicWords are the words that name each topic in a clause.
var topicWords = map[Topic][]string{
	TopicQuality:   {"质量", "做工", "材质", "品质", "面料", "用料", "质感", "耐用", "线头", "起球", "掉色", "褪色", "瑕疵", "quality", "material"},
	TopicLogistics: {"物流", "快递", "发货", "送货", "配送", "到货", "送到", "派送", "顺丰", "shipping", "delivery", "courier"},
	TopicPackaging: {"包装", "盒子", "包裹", "箱子", "破损", "压坏", "泡沫", "密封", "packaging", "package", "box"},
	TopicService:   {"客服", "服务", "态度", "售后", "回复", "商家", "卖家", "service", "seller", "support"},
	TopicSize:      {"尺码", "尺寸", "大小", "偏大", "偏小", "码数", "合身", "大一码", "小一码", "size", "fits", "fit"},
	TopicPrice:     {"价格", "性价比", "便宜", "划算", "价钱", "实惠", "太贵", "有点贵", "不值", "price", "value", "cheap", "expensive"},
	TopicLooks:     {"外观", "颜色", "颜值", "款式", "好看", "漂亮", "样子", "色差", "外形", "设计", "looks", "colour", "color", "design"},
	TopicTaste:     {"味道", "口感", "好吃", "难吃", "新鲜", "口味", "异味", "甜", "taste", "fresh", "flavour", "flavor"},
	TopicFunction:  {"功能", "效果", "好用", "难用", "续航", "信号", "声音", "音质", "充电", "works", "battery", "sound"},
}

// Sentiment words. Phrases are matched longest first and consumed, so
// "不错" counts as praise and never as the "不" of a complaint, and "不好"
// as a complaint, never as the "好" of praise.
var (
	praise = []string{"不错", "没问题", "不贵", "不差", "挺好", "很好", "非常好", "满意", "喜欢", "快", "结实", "精致", "值", "划算", "实惠", "便宜", "合适",
		"合身", "正好", "漂亮", "好看", "耐心", "热情", "及时", "完好", "严实", "新鲜", "好吃", "好用", "推荐", "赞", "棒", "超值", "舒服", "耐用", "清晰",
		"好", "great", "good", "fast", "nice", "love", "perfect", "excellent", "quick"}
	complaint = []string{"不好", "不满意", "不喜欢", "不快", "不值", "不新鲜", "不合适", "不合身", "不耐用", "不理人", "不回复", "没人理", "太慢", "很慢",
		"差", "慢", "破", "烂", "坏", "失望", "垃圾", "不行", "太贵", "有点贵", "偏小", "偏大", "小了", "大了", "掉色", "褪色", "起球", "漏", "压坏", "破损",
		"瑕疵", "色差", "异味", "难闻", "难吃", "难用", "敷衍", "假货", "线头", "一般", "凑合", "退货",
		"bad", "slow", "poor", "broken", "terrible", "late", "awful", "disappointed", "not good"}
)

// neutralWords are taken out of a clause before its sentiment is read.
var neutralWords = []string{"快递", "大小", "好评率", "差价"}

func init() {
	byLen := func(s []string) {
		sort.SliceStable(s, func(i, j int) bool { return len(s[i]) > len(s[j]) })
	}
	byLen(praise)
	byLen(complaint)
}

// clauseBreaks split a review into clauses: a topic takes the sentiment of
// its own clause ("物流很快，但是包装破了").
var clauseBreaks = strings.NewReplacer("，", "|", "。", "|", "！", "|", "？", "|", "；", "|", ",", "|", ".", "|", "!", "|", "?", "|",
	";", "|", "\n", "|", "但是", "|", "不过", "|", "就是", "|", "可是", "|", "但", "|", "~", "|", "～", "|", " but ", "|")

// TopicHit is one topic a review speaks of, with its polarity: 1 praise,
// -1 complaint.
type TopicHit struct {
	Topic    Topic `json:"topic"`
	Polarity int   `json:"polarity"`
}

// Positive reports whether the hit is praise.
func (h TopicHit) Positive() bool { return h.Polarity > 0 }

// FindTopics reads the topics of a review and their polarity. A clause
// whose own words are neutral takes the review's rating (4–5 praise, 1–2
// complaint, 3 nothing). A topic named in several clauses keeps the sum
// of their polarities; a tie is dropped.
func FindTopics(text string, rating int) []TopicHit {
	score := map[Topic]int{}
	for _, clause := range strings.Split(clauseBreaks.Replace(normalize(text)), "|") {
		if strings.TrimSpace(clause) == "" {
			continue
		}
		pol := sentiment(clause)
		if pol == 0 {
			switch {
			case rating >= 4:
				pol = 1
			case rating <= 2:
				pol = -1
			}
		}
		for _, t := range Topics {
			if containsAny(clause, topicWords[t]) {
				if _, seen := score[t]; !seen {
					score[t] = 0
				}
				score[t] += pol
			}
		}
	}
	var out []TopicHit
	for _, t := range Topics {
		s, ok := score[t]
		switch {
		case !ok || s == 0:
		case s > 0:
			out = append(out, TopicHit{Topic: t, Polarity: 1})
		default:
			out = append(out, TopicHit{Topic: t, Polarity: -1})
		}
	}
	return out
}

// sentiment is the sign of (praise − complaints) in a clause.
func sentiment(clause string) int {
	n := 0
	// Topic words that hold a sentiment character say nothing ("快递"
	// is not "快").
	for _, w := range neutralWords {
		clause = strings.ReplaceAll(clause, w, " ")
	}
	// Complaints first: their phrases hold praise words (不好, 不值).
	// Praise phrases that hold a complaint character (不错, 不贵) are
	// taken out before.
	for _, w := range []string{"不错", "没问题", "不贵", "不差"} {
		c := strings.Count(clause, w)
		n += c
		clause = strings.ReplaceAll(clause, w, " ")
	}
	for _, w := range complaint {
		c := strings.Count(clause, w)
		n -= c
		clause = strings.ReplaceAll(clause, w, " ")
	}
	for _, w := range praise {
		c := strings.Count(clause, w)
		n += c
		clause = strings.ReplaceAll(clause, w, " ")
	}
	switch {
	case n > 0:
		return 1
	case n < 0:
		return -1
	}
	return 0
}
