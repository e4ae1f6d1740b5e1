package review

import (
	"slices"
	"testing"
)

func TestCheck(t *testing.T) {
	for _, c := range []struct {
		text string
		want []Flag
	}{
		{"质量很好，物流很快，五星好评！", nil},
		{"买了3件，2026年11月收到，订单号 202611250001234567 没问题", nil},
		{"", nil},
		{"详情看 www.example.com 哦", []Flag{FlagLink}},
		{"点这里 https://t.cn/abc 领红包", []Flag{FlagLink}},
		{"同款更便宜，淘宝搜 好物小铺", []Flag{FlagAd}},
		{"有问题打我电话 138 1234 5678", []Flag{FlagContact}},
		{"电话一三八一二三四五六七八", []Flag{FlagContact}},
		{"加我微信 shop_deal88", []Flag{FlagContact}},
		{"ＶＸ：ａｂｃｄｅｆ１２", []Flag{FlagContact}},
		{"QQ号 2839471520", []Flag{FlagContact}},
		{"发邮件到 buyer.help@163.com", []Flag{FlagContact}},
		{"什么垃圾玩意，傻逼商家", []Flag{FlagProfanity}},
		{"This is SHIT", []Flag{FlagProfanity}},
		{"招代理日赚三百，加V信 daili2024，http://x.cn", []Flag{FlagLink, FlagAd, FlagContact}},
	} {
		if got := Check(c.text); !slices.Equal(got, c.want) {
			t.Errorf("Check(%q) = %v, want %v", c.text, got, c.want)
		}
	}
}

func TestFindTopics(t *testing.T) {
	for _, c := range []struct {
		text   string
		rating int
		want   []TopicHit
	}{
		{"物流很快，但是包装破了", 3, []TopicHit{{TopicLogistics, 1}, {TopicPackaging, -1}}},
		{"质量不错，尺码偏小", 4, []TopicHit{{TopicQuality, 1}, {TopicSize, -1}}},
		{"客服态度很差，一直不回复", 1, []TopicHit{{TopicService, -1}}},
		{"快递第二天就到了", 5, []TopicHit{{TopicLogistics, 1}}},
		{"快递第二天就到了", 1, []TopicHit{{TopicLogistics, -1}}},
		{"颜色跟图片一样好看，价格也很实惠", 5, []TopicHit{{TopicPrice, 1}, {TopicLooks, 1}}},
		{"味道不新鲜，有异味", 2, []TopicHit{{TopicTaste, -1}}},
		{"好评", 5, nil},
		{"Great quality but slow delivery", 3, []TopicHit{{TopicQuality, 1}, {TopicLogistics, -1}}},
	} {
		if got := FindTopics(c.text, c.rating); !slices.Equal(got, c.want) {
			t.Errorf("FindTopics(%q, %d) = %v, want %v", c.text, c.rating, got, c.want)
		}
	}
}

func TestMaskName(t *testing.T) {
	for _, c := range [][3]string{{"王小明", "", "王**"}, {"", "amy@example.com", "a**"}, {"", "", "匿名用户"}, {"  ", "@x", "匿名用户"}} {
		if got := maskName(c[0], c[1]); got != c[2] {
			t.Errorf("maskName(%q, %q) = %q, want %q", c[0], c[1], got, c[2])
		}
	}
}

func TestCleanText(t *testing.T) {
	if got := cleanText("  好\x00评\r\n第二行\u202e \xff"); got != "好评\n第二行" {
		t.Errorf("cleanText = %q", got)
	}
}
