package merch

import "storeops/internal/platform"

// messages are the domain's zh-CN/en texts.
var messages = platform.Texts{
	"merch.images_title":   {"商品图片", "Product images"},
	"merch.images_help":    {"支持 JPEG、PNG、WebP，单张不超过 %s；第一张为主图，用于列表和搜索。", "JPEG, PNG or WebP, at most %s each; the first image is the main one shown in listings and search."},
	"merch.upload":         {"上传图片", "Upload images"},
	"merch.choose_files":   {"选择图片", "Choose images"},
	"merch.main":           {"主图", "Main"},
	"merch.set_main":       {"设为主图", "Make main"},
	"merch.move_up":        {"前移", "Earlier"},
	"merch.move_down":      {"后移", "Later"},
	"merch.delete":         {"删除", "Delete"},
	"merch.no_images":      {"还没有图片", "No images yet"},
	"merch.back_product":   {"返回商品", "Back to the product"},
	"merch.refused_files":  {"以下文件未上传（均未保存）：", "These files were refused (nothing was saved):"},
	"merch.too_many_files": {"一次最多上传 %d 张", "at most %d files at once"},
	"merch.done.uploaded":  {"图片已上传", "Images uploaded"},
	"merch.done.deleted":   {"图片已删除", "Image deleted"},
	"merch.done.moved":     {"顺序已调整", "Order changed"},
	"merch.done.main":      {"主图已更换", "Main image changed"},
	"merch.pixels":         {"%d×%d 像素", "%d×%d px"},
	"merch.quality_score":  {"质量分", "Quality score"},
	"merch.quality_fixes":  {"待改进", "To fix"},
}
