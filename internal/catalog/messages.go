package catalog

import "storeops/internal/platform"

// adminTexts are the product management texts (console, validation).
var adminTexts = platform.Texts{
	"kind.brand":                       {"品牌", "brand"},
	"catalog.unknown_brand":            {"品牌不存在", "is not a known brand"},
	"catalog.storage.ambient":          {"常温", "Ambient"},
	"catalog.storage.chilled":          {"冷藏", "Chilled"},
	"catalog.storage.frozen":           {"冷冻", "Frozen"},
	"catalog.field.delist_before_list": {"下架时间须晚于上架时间", "must be after the listing time"},
	"catalog.field.need_sku":           {"至少需要一个 SKU", "needs at least one SKU"},
	"catalog.field.too_many_skus":      {"SKU 不能超过 %d 个", "must have at most %d SKUs"},
	"catalog.field.code_chars":         {"只能包含字母、数字、点、横线和下划线，且以字母或数字开头", "may hold letters, digits, dots, dashes and underscores, starting with a letter or digit"},
	"catalog.field.code_repeated":      {"SKU 编码重复", "repeats another SKU's code"},
	"catalog.field.code_taken":         {"SKU 编码 %s 已属于其他商品", "SKU code %s belongs to another product"},
	"catalog.field.spec_names":         {"各 SKU 的规格项必须相同", "must name the same spec attributes as the other SKUs"},
	"catalog.field.spec_repeated":      {"规格组合重复", "repeats another SKU's spec"},
	"catalog.field.spec_needed":        {"多个 SKU 需要用规格（颜色、尺码等）区分", "several SKUs need spec attributes (colour, size…) to tell them apart"},
	"catalog.field.compare_at_low":     {"划线价须高于售价", "must be above the price"},
	"catalog.field.barcode":            {"不是有效的商品条码（EAN-8/UPC-A/EAN-13/GTIN-14）", "is not a valid barcode (EAN-8, UPC-A, EAN-13, GTIN-14)"},
	"catalog.field.money":              {"金额无效", "is not a valid amount"},
	"catalog.field.attr_name":          {"属性名不能为空", "needs a name"},
	"catalog.field.attr_repeated":      {"属性重复", "is repeated"},
	"catalog.field.too_many_attrs":     {"属性不能超过 %d 个", "must have at most %d attributes"},
	"catalog.field.not_a_choice":       {"须为以下之一：%s", "must be one of: %s"},
	"catalog.field.brand_taken":        {"品牌名已存在", "is already a brand"},
}

// messages are all the catalog's texts.
func messages() platform.Texts {
	out := platform.Texts{}
	for _, t := range []platform.Texts{Texts, adminTexts, consoleTexts} {
		for k, v := range t {
			out[k] = v
		}
	}
	return out
}

// consoleTexts are the console pages' texts.
var consoleTexts = platform.Texts{
	"catalog.nav_products":    {"商品管理", "Products"},
	"catalog.products_title":  {"商品管理", "Products"},
	"catalog.new_product":     {"新建商品", "New product"},
	"catalog.edit_title":      {"编辑商品", "Edit product"},
	"catalog.back_list":       {"返回商品列表", "Back to products"},
	"catalog.images":          {"商品图片", "Images"},
	"catalog.import":          {"批量导入", "Import"},
	"catalog.export":          {"导出 Excel", "Export to Excel"},
	"catalog.search":          {"搜索", "Search"},
	"catalog.search_hint":     {"标题、SKU 编码或条码", "Title, SKU code or barcode"},
	"catalog.filter":          {"筛选", "Filter"},
	"catalog.reset":           {"重置", "Reset"},
	"catalog.all":             {"全部", "All"},
	"catalog.none":            {"无", "None"},
	"catalog.empty":           {"没有符合条件的商品", "No products match"},
	"catalog.next":            {"下一页", "Next page"},
	"catalog.col.id":          {"商品 ID", "Product ID"},
	"catalog.col.title":       {"标题", "Title"},
	"catalog.col.status":      {"状态", "Status"},
	"catalog.col.category":    {"分类", "Category"},
	"catalog.col.brand":       {"品牌", "Brand"},
	"catalog.col.price":       {"售价", "Price"},
	"catalog.col.price_min":   {"最低价", "Lowest price"},
	"catalog.col.price_max":   {"最高价", "Highest price"},
	"catalog.col.skus":        {"SKU 数", "SKUs"},
	"catalog.col.stock":       {"可售库存", "Available"},
	"catalog.col.storage":     {"储存方式", "Storage"},
	"catalog.col.tags":        {"标签", "Tags"},
	"catalog.col.schedule":    {"定时", "Scheduled"},
	"catalog.col.list_at":     {"定时上架", "Lists at"},
	"catalog.col.delist_at":   {"定时下架", "Delists at"},
	"catalog.col.updated_at":  {"更新时间", "Updated"},
	"catalog.list_at":         {"定时上架", "List at"},
	"catalog.delist_at":       {"定时下架", "Delist at"},
	"catalog.subtitle":        {"副标题", "Subtitle"},
	"catalog.attributes":      {"商品属性", "Attributes"},
	"catalog.template_hint":   {"本分类的属性模板（* 为必填）：", "This category's attribute template (* required):"},
	"catalog.description":     {"商品详情（支持 HTML，脚本会被移除）", "Description (HTML; scripts are removed)"},
	"catalog.sku_hint":        {"每行一个 SKU；规格写作「颜色=黑色; 尺码=M」，金额以元为单位。留空的行会被忽略，删除某行即停售该 SKU。", "One SKU per line; spec as 颜色=黑色; 尺码=M, amounts in yuan. Blank lines are ignored; leaving a SKU out stops selling it."},
	"catalog.sku_code":        {"SKU 编码", "SKU code"},
	"catalog.sku_spec":        {"规格", "Spec"},
	"catalog.compare_at":      {"划线价", "Compare-at"},
	"catalog.cost":            {"成本", "Cost"},
	"catalog.weight_g":        {"重量(克)", "Weight (g)"},
	"catalog.volume_cm3":      {"体积(cm³)", "Volume (cm³)"},
	"catalog.barcode":         {"条码", "Barcode"},
	"catalog.save":            {"保存", "Save"},
	"catalog.reason":          {"操作原因（选填）", "Reason (optional)"},
	"catalog.move.on_sale":    {"上架", "Put on sale"},
	"catalog.move.off_sale":   {"下架", "Take off sale"},
	"catalog.move.archived":   {"归档", "Archive"},
	"catalog.done.saved":      {"已保存", "Saved"},
	"catalog.done.created":    {"商品已创建（草稿）", "Product created as a draft"},
	"catalog.done.status":     {"状态已更新", "Status changed"},
	"catalog.field.attr_text": {"格式应为「名称=值; 名称=值」", "must read name=value; name=value"},
}
