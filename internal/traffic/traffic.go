// Package traffic records storefront visits: sessions with their source
// and the page and product views within them.
package traffic

import (
	"embed"
	"io/fs"

	"storeops/internal/module"
	"storeops/internal/store"
)

//go:embed migrations
var migrations embed.FS

// Migrations are the traffic tables.
func Migrations() store.Migrations {
	sub, _ := fs.Sub(migrations, "migrations")
	return store.Migrations{Name: "traffic", FS: sub}
}

// Source is a normalised traffic channel.
type Source string

// The channels the console reports on.
const (
	Search      Source = "search"      // 搜索
	DouyinLive  Source = "douyin_live" // 抖音直播
	ShortVideo  Source = "short_video" // 短视频
	Xiaohongshu Source = "xiaohongshu" // 小红书
	WeChat      Source = "wechat"      // 微信社群
	Ads         Source = "ads"         // 广告投放
	Direct      Source = "direct"      // 直接访问
	Other       Source = "other"
)

// Sources lists the channels in report order.
var Sources = []Source{Search, DouyinLive, ShortVideo, Xiaohongshu, WeChat, Ads, Direct, Other}

// Module registers traffic.
func Module(d *module.Deps) (*module.Module, error) {
	return &module.Module{Name: "traffic", Migrations: []store.Migrations{Migrations()}, Demo: []module.DemoStep{DemoStep()}}, nil
}
