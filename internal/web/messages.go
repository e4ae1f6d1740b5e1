package web

import "storeops/internal/platform"

func init() {
	platform.RegisterTexts(platform.Texts{
		"app.console":          {"店铺运营后台", "Store operations console"},
		"app.shop":             {"storeops 商城", "storeops shop"},
		"app.menu":             {"菜单", "Menu"},
		"app.logout":           {"退出登录", "Sign out"},
		"app.error_code":       {"错误代码", "Error code"},
		"app.request_id":       {"请求编号", "Request id"},
		"app.back_home":        {"返回首页", "Back to the start page"},
		"error.page_not_found": {"页面不存在，可能已下架或链接有误", "This page does not exist; it may have been removed"},
		"error.nul_char":       {"请求中含有不允许的控制字符（NUL）", "The request contains a NUL character, which is not allowed"},
		"nav.system":           {"系统", "System"},
		"nav.team":             {"团队", "Team"},
	})
}
