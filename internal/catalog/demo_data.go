package catalog

import "image/color"

// The demo shop's catalog: top categories with their sub-categories, the
// brands, product names and selling points a Chinese marketplace listing
// uses, price bands and margins, and the spec dimensions SKUs vary by.

type demoTop struct {
	slug, name, nameEN string
	storage            StorageClass
	palette            [3]color.RGBA
	share              float64    // of demand
	margin             [2]float64 // gross margin band
	subs               []demoSub
}

type demoSub struct {
	slug, name, nameEN string
	storage            StorageClass // "" inherits the top's
	brands             []string
	items              []string
	points             []string // selling points for titles
	price              [2]int   // yuan
	weightG            int
	specs              []demoSpec
	attrs              []demoAttr
	brandLast          bool // books: title first, publisher after
}

type demoSpec struct {
	name   string
	values []string
	step   float64 // price factor per later value (1 = same price)
	pick   [2]int  // how many values a product offers
}

type demoAttr struct {
	name    string
	options []string
}

func rgb(r, g, b uint8) color.RGBA { return color.RGBA{r, g, b, 255} }

var (
	colours    = demoSpec{"颜色", []string{"黑色", "白色", "藏青色", "卡其色", "浅灰色", "米白色", "酒红色", "雾霾蓝"}, 1, [2]int{2, 4}}
	sizes      = demoSpec{"尺码", []string{"S", "M", "L", "XL", "XXL", "3XL"}, 1, [2]int{3, 5}}
	shoeSizes  = demoSpec{"尺码", []string{"38", "39", "40", "41", "42", "43", "44"}, 1, [2]int{4, 6}}
	kidSizes   = demoSpec{"尺码", []string{"90cm", "100cm", "110cm", "120cm", "130cm", "140cm"}, 1.06, [2]int{3, 5}}
	fruitPack  = demoSpec{"规格", []string{"2.5kg装", "5kg装", "精品礼盒 3kg"}, 1.8, [2]int{1, 3}}
	frozenPack = demoSpec{"规格", []string{"500g", "1kg", "2kg家庭装"}, 1.85, [2]int{1, 3}}
	snackPack  = demoSpec{"规格", []string{"单袋装", "3袋装", "整箱装"}, 2.6, [2]int{1, 3}}
	volume     = demoSpec{"容量", []string{"30ml", "50ml", "100ml"}, 1.5, [2]int{1, 2}}
	bottle     = demoSpec{"规格", []string{"400ml", "750ml", "1L家庭装"}, 1.55, [2]int{1, 3}}
	shades     = demoSpec{"色号", []string{"#01 正红", "#02 豆沙", "#03 枫叶红", "#04 奶茶色", "#05 复古红"}, 1, [2]int{2, 5}}
	storage    = demoSpec{"版本", []string{"12GB+256GB", "12GB+512GB", "16GB+1TB"}, 1.17, [2]int{1, 3}}
	phoneCol   = demoSpec{"颜色", []string{"曜石黑", "雪域白", "星河蓝", "青山绿"}, 1, [2]int{2, 4}}
	gadgetCol  = demoSpec{"颜色", []string{"黑色", "白色", "深空灰", "冰川蓝"}, 1, [2]int{1, 3}}
	bedSize    = demoSpec{"尺寸", []string{"1.5m床", "1.8m床", "2.0m床"}, 1.15, [2]int{2, 3}}
	stage      = demoSpec{"段数", []string{"1段(0-6月)", "2段(6-12月)", "3段(1-3岁)"}, 1, [2]int{2, 3}}
	diaper     = demoSpec{"尺码", []string{"NB", "S", "M", "L", "XL"}, 1, [2]int{3, 5}}
	binding    = demoSpec{"版本", []string{"平装", "精装"}, 1.45, [2]int{1, 2}}
	plain      = demoSpec{"规格", []string{"标准装", "两件装", "家庭装"}, 1.8, [2]int{1, 2}}

	origin  = demoAttr{"产地", []string{"中国大陆", "新西兰", "智利", "泰国", "澳大利亚", "日本"}}
	shelf   = demoAttr{"保质期", []string{"7天", "15天", "6个月", "9个月", "12个月", "18个月"}}
	fabric  = demoAttr{"面料", []string{"纯棉", "聚酯纤维", "莫代尔", "羊毛混纺", "亚麻", "锦纶"}}
	season  = demoAttr{"适用季节", []string{"春秋", "夏季", "冬季", "四季通用"}}
	fit     = demoAttr{"版型", []string{"宽松", "修身", "直筒", "常规"}}
	warrant = demoAttr{"保修", []string{"全国联保一年", "两年质保", "官方保修"}}
	skin    = demoAttr{"适用肤质", []string{"任何肤质", "干性", "油性", "敏感肌", "混合性"}}
	materl  = demoAttr{"材质", []string{"304不锈钢", "陶瓷", "实木", "PP塑料", "玻璃", "铝合金"}}
	age     = demoAttr{"适用年龄", []string{"0-6个月", "6-12个月", "1-3岁", "3-6岁", "6岁以上"}}
	pages   = demoAttr{"开本", []string{"16开", "32开", "大32开"}}
	storeT  = demoAttr{"储存条件", []string{"0-4℃冷藏", "-18℃冷冻"}}
)

var demoCatalog = []demoTop{
	{slug: "fresh", name: "生鲜", nameEN: "Fresh", storage: Chilled, palette: [3]color.RGBA{rgb(214, 240, 214), rgb(46, 160, 67), rgb(170, 220, 170)}, share: 0.12, margin: [2]float64{0.22, 0.35}, subs: []demoSub{
		{slug: "fruit", name: "水果", nameEN: "Fruit", storage: Chilled, brands: []string{"佳沛", "都乐", "褚橙", "百果园", "鲜丰水果"},
			items: []string{"阳光金果奇异果", "智利车厘子 JJ级", "赣南脐橙", "泰国金枕榴莲", "丹东99红颜草莓", "烟台红富士苹果", "海南贵妃芒"}, points: []string{"新鲜现摘", "产地直发", "顺丰冷链", "单果200g+", "当季鲜果", "坏果包赔"},
			price: [2]int{39, 199}, weightG: 3000, specs: []demoSpec{fruitPack}, attrs: []demoAttr{origin, storeT}},
		{slug: "seafood", name: "海鲜水产", nameEN: "Seafood", storage: Frozen, brands: []string{"獐子岛", "国联", "渔大厨", "禧美", "鲜美来"},
			items: []string{"阿根廷红虾 L1", "厄瓜多尔白虾", "即食海参", "舟山带鱼段", "挪威三文鱼刺身", "青岛大虾仁"}, points: []string{"急冻锁鲜", "冷链到家", "野生捕捞", "去头去虾线", "刺身级"},
			price: [2]int{69, 299}, weightG: 1200, specs: []demoSpec{frozenPack}, attrs: []demoAttr{origin, storeT}},
		{slug: "meat", name: "肉禽蛋品", nameEN: "Meat & eggs", storage: Frozen, brands: []string{"恒都", "科尔沁", "大红门", "圣农", "正大"},
			items: []string{"澳洲谷饲眼肉牛排", "内蒙古羔羊肉卷", "黑猪五花肉", "低脂鸡胸肉", "调理牛排套餐"}, points: []string{"原切", "冷冻锁鲜", "健身轻食", "家庭装", "整块无拼接"},
			price: [2]int{49, 259}, weightG: 1000, specs: []demoSpec{frozenPack}, attrs: []demoAttr{origin, storeT}},
		{slug: "dairy", name: "乳品冷饮", nameEN: "Chilled dairy", storage: Chilled, brands: []string{"简爱", "认养一头牛", "光明", "卡士", "乐纯"},
			items: []string{"0添加蔗糖酸奶", "巴氏杀菌鲜牛奶", "希腊式浓缩酸奶", "原味风味发酵乳"}, points: []string{"低温冷藏", "生牛乳发酵", "高蛋白", "早餐奶"},
			price: [2]int{29, 89}, weightG: 1500, specs: []demoSpec{snackPack}, attrs: []demoAttr{shelf, storeT}},
	}},
	{slug: "apparel", name: "服饰", nameEN: "Apparel", storage: Ambient, palette: [3]color.RGBA{rgb(245, 225, 230), rgb(196, 30, 58), rgb(235, 190, 200)}, share: 0.20, margin: [2]float64{0.48, 0.65}, subs: []demoSub{
		{slug: "menswear", name: "男装", nameEN: "Menswear", brands: []string{"海澜之家", "森马", "太平鸟男装", "杰克琼斯", "雅戈尔"},
			items: []string{"纯棉圆领短袖T恤", "休闲夹克外套", "商务长袖衬衫", "轻薄羽绒服", "直筒牛仔裤", "连帽卫衣"}, points: []string{"2026秋季新款", "宽松百搭", "青年潮流", "抗皱免烫", "男士上衣"},
			price: [2]int{79, 599}, weightG: 400, specs: []demoSpec{colours, sizes}, attrs: []demoAttr{fabric, season, fit}},
		{slug: "womenswear", name: "女装", nameEN: "Womenswear", brands: []string{"欧时力", "太平鸟", "ONLY", "伊芙丽", "秋水伊人"},
			items: []string{"法式碎花连衣裙", "V领针织开衫", "高腰阔腿裤", "双面羊毛大衣", "小香风短外套", "百褶半身裙"}, points: []string{"2026新款", "显瘦气质", "通勤百搭", "温柔风", "女装上新"},
			price: [2]int{99, 899}, weightG: 450, specs: []demoSpec{colours, sizes}, attrs: []demoAttr{fabric, season, fit}},
		{slug: "sportswear", name: "运动鞋服", nameEN: "Sportswear", brands: []string{"李宁", "安踏", "特步", "361°", "鸿星尔克"},
			items: []string{"缓震跑步鞋", "轻便休闲板鞋", "透气网面运动鞋"}, points: []string{"减震回弹", "防滑耐磨", "男女同款", "专业跑鞋"},
			price: [2]int{199, 699}, weightG: 800, specs: []demoSpec{colours, shoeSizes}, attrs: []demoAttr{season}},
		{slug: "underwear", name: "内衣家居服", nameEN: "Underwear & loungewear", brands: []string{"猫人", "南极人", "恒源祥", "都市丽人"},
			items: []string{"纯棉睡衣套装", "德绒保暖内衣", "莫代尔内裤 3条装", "珊瑚绒家居服"}, points: []string{"亲肤透气", "加厚保暖", "无痕舒适", "可外穿"},
			price: [2]int{39, 259}, weightG: 350, specs: []demoSpec{colours, sizes}, attrs: []demoAttr{fabric, season}},
	}},
	{slug: "digital", name: "数码", nameEN: "Electronics", storage: Ambient, palette: [3]color.RGBA{rgb(220, 230, 245), rgb(30, 80, 160), rgb(180, 200, 230)}, share: 0.10, margin: [2]float64{0.06, 0.18}, subs: []demoSub{
		{slug: "phones", name: "手机", nameEN: "Phones", brands: []string{"华为", "小米", "OPPO", "vivo", "荣耀"},
			items: []string{"旗舰5G手机 徕卡影像", "Pro 5G手机 骁龙8至尊版", "轻薄5G拍照手机", "游戏电竞5G手机"}, points: []string{"超长续航", "120W快充", "AI大模型", "卫星通信", "官方正品"},
			price: [2]int{1999, 6999}, weightG: 500, specs: []demoSpec{phoneCol, storage}, attrs: []demoAttr{warrant}},
		{slug: "audio", name: "耳机音响", nameEN: "Audio", brands: []string{"漫步者", "索尼", "小米", "倍思", "华为"},
			items: []string{"真无线蓝牙耳机", "主动降噪头戴式耳机", "便携蓝牙音箱", "开放式运动耳机"}, points: []string{"主动降噪", "超长续航", "游戏低延迟", "Hi-Res认证"},
			price: [2]int{99, 1299}, weightG: 250, specs: []demoSpec{gadgetCol}, attrs: []demoAttr{warrant}},
		{slug: "accessories", name: "电脑配件", nameEN: "Computer accessories", brands: []string{"罗技", "雷蛇", "绿联", "闪迪", "西部数据"},
			items: []string{"无线静音鼠标", "机械键盘 茶轴", "65W氮化镓充电器", "移动固态硬盘 1TB", "Type-C扩展坞"}, points: []string{"办公游戏两用", "即插即用", "多设备切换", "高速传输"},
			price: [2]int{49, 899}, weightG: 300, specs: []demoSpec{gadgetCol}, attrs: []demoAttr{warrant}},
		{slug: "wearables", name: "智能穿戴", nameEN: "Wearables", brands: []string{"华为", "小米", "佳明", "Amazfit"},
			items: []string{"智能手表 血氧心率监测", "运动手环 NFC", "儿童电话手表"}, points: []string{"14天续航", "运动健康", "消息提醒", "防水50米"},
			price: [2]int{199, 2499}, weightG: 200, specs: []demoSpec{gadgetCol}, attrs: []demoAttr{warrant}},
	}},
	{slug: "beauty", name: "美妆", nameEN: "Beauty", storage: Ambient, palette: [3]color.RGBA{rgb(250, 228, 240), rgb(214, 80, 150), rgb(245, 200, 225)}, share: 0.14, margin: [2]float64{0.55, 0.72}, subs: []demoSub{
		{slug: "skincare", name: "护肤", nameEN: "Skincare", brands: []string{"珀莱雅", "薇诺娜", "自然堂", "百雀羚", "欧莱雅", "兰蔻"},
			items: []string{"双抗精华液", "舒敏保湿特护霜", "玻尿酸补水面膜 10片", "烟酰胺爽肤水", "视黄醇抗皱眼霜"}, points: []string{"补水保湿", "修护屏障", "提亮肤色", "敏感肌可用", "官方旗舰"},
			price: [2]int{89, 899}, weightG: 200, specs: []demoSpec{volume}, attrs: []demoAttr{skin, shelf}},
		{slug: "makeup", name: "彩妆", nameEN: "Makeup", brands: []string{"花西子", "完美日记", "毛戈平", "卡姿兰", "珂拉琪"},
			items: []string{"雕花口红", "持妆粉底液", "控油定妆散粉", "九色眼影盘", "丝绒唇釉"}, points: []string{"持久不脱色", "显白", "学生党", "节日礼盒"},
			price: [2]int{69, 399}, weightG: 80, specs: []demoSpec{shades}, attrs: []demoAttr{skin}},
		{slug: "haircare", name: "洗发护发", nameEN: "Hair & body", brands: []string{"海飞丝", "潘婷", "舒肤佳", "滋源", "多芬"},
			items: []string{"去屑洗发水", "氨基酸沐浴露", "修护护发素", "无硅油洗发露"}, points: []string{"控油蓬松", "持久留香", "男女通用", "家庭装"},
			price: [2]int{29, 129}, weightG: 900, specs: []demoSpec{bottle}, attrs: []demoAttr{shelf}},
	}},
	{slug: "food", name: "食品", nameEN: "Food", storage: Ambient, palette: [3]color.RGBA{rgb(252, 236, 210), rgb(230, 126, 34), rgb(245, 210, 160)}, share: 0.17, margin: [2]float64{0.28, 0.45}, subs: []demoSub{
		{slug: "snacks", name: "休闲零食", nameEN: "Snacks", brands: []string{"三只松鼠", "良品铺子", "百草味", "洽洽", "卫龙"},
			items: []string{"每日坚果 750g/30袋", "手撕面包", "麻辣辣条大礼包", "奶油味夏威夷果", "风干牛肉干"}, points: []string{"混合果仁", "办公室零食", "独立小包装", "年货礼盒"},
			price: [2]int{19, 129}, weightG: 800, specs: []demoSpec{snackPack}, attrs: []demoAttr{shelf, origin}},
		{slug: "grain-oil", name: "粮油调味", nameEN: "Grain, oil & condiments", brands: []string{"金龙鱼", "福临门", "五常大米", "海天", "李锦记"},
			items: []string{"五常稻花香大米 5kg", "压榨一级花生油 5L", "特级生抽酱油", "上等蚝油"}, points: []string{"当季新米", "非转基因", "家庭厨房", "量贩装"},
			price: [2]int{19, 159}, weightG: 5000, specs: []demoSpec{plain}, attrs: []demoAttr{shelf}},
		{slug: "drinks", name: "酒水饮料", nameEN: "Drinks", brands: []string{"农夫山泉", "元气森林", "青岛啤酒", "江小白", "东方树叶"},
			items: []string{"天然饮用水 550ml×24瓶", "0糖0脂气泡水 480ml×15瓶", "精酿原浆啤酒", "无糖乌龙茶"}, points: []string{"整箱装", "聚会必备", "0糖0卡", "冰镇更好喝"},
			price: [2]int{29, 169}, weightG: 8000, specs: []demoSpec{plain}, attrs: []demoAttr{shelf}},
		{slug: "tea-coffee", name: "茶叶冲饮", nameEN: "Tea & coffee", brands: []string{"八马茶业", "大益", "竹叶青", "三顿半", "雀巢"},
			items: []string{"安溪铁观音 浓香型", "勐海普洱茶饼 357g", "峨眉高山绿茶", "冷萃速溶咖啡 24颗", "明前龙井"}, points: []string{"新茶上市", "礼盒装", "口粮茶", "0蔗糖"},
			price: [2]int{59, 599}, weightG: 500, specs: []demoSpec{plain}, attrs: []demoAttr{shelf, origin}},
	}},
	{slug: "home", name: "家居", nameEN: "Home", storage: Ambient, palette: [3]color.RGBA{rgb(235, 230, 220), rgb(139, 94, 60), rgb(215, 200, 180)}, share: 0.12, margin: [2]float64{0.38, 0.55}, subs: []demoSub{
		{slug: "bedding", name: "床上用品", nameEN: "Bedding", brands: []string{"罗莱家纺", "富安娜", "水星家纺", "梦洁"},
			items: []string{"纯棉四件套", "桑蚕丝被 春秋被", "泰国乳胶枕", "A类全棉床笠"}, points: []string{"亲肤裸睡", "100支长绒棉", "可机洗", "学生宿舍"},
			price: [2]int{129, 1299}, weightG: 2500, specs: []demoSpec{bedSize, colours}, attrs: []demoAttr{fabric}},
		{slug: "kitchen", name: "厨房用具", nameEN: "Kitchen", brands: []string{"苏泊尔", "九阳", "双立人", "爱仕达", "美的"},
			items: []string{"麦饭石不粘炒锅", "IH电饭煲 4L", "不锈钢刀具套装", "家用破壁机", "空气炸锅"}, points: []string{"少油烟", "燃气电磁炉通用", "家用大容量", "一键预约"},
			price: [2]int{89, 999}, weightG: 3000, specs: []demoSpec{plain}, attrs: []demoAttr{materl, warrant}},
		{slug: "storage", name: "收纳清洁", nameEN: "Storage & cleaning", brands: []string{"茶花", "美丽雅", "威猛先生", "百家好世"},
			items: []string{"透明收纳箱 3个装", "免手洗平板拖把", "加厚垃圾袋 200只", "洗衣凝珠 52颗"}, points: []string{"家用大号", "省力省心", "强力去污", "宿舍必备"},
			price: [2]int{19, 199}, weightG: 1500, specs: []demoSpec{plain}, attrs: []demoAttr{materl}},
		{slug: "furniture", name: "家具灯饰", nameEN: "Furniture & lighting", brands: []string{"林氏家居", "源氏木语", "欧普照明", "雷士照明"},
			items: []string{"实木书桌", "LED吸顶灯 客厅灯", "懒人沙发", "护眼台灯"}, points: []string{"北欧简约", "环保板材", "智能调光", "送货入户"},
			price: [2]int{99, 2999}, weightG: 9000, specs: []demoSpec{gadgetCol}, attrs: []demoAttr{materl}},
	}},
	{slug: "baby", name: "母婴", nameEN: "Mother & baby", storage: Ambient, palette: [3]color.RGBA{rgb(225, 240, 250), rgb(74, 144, 226), rgb(250, 220, 180)}, share: 0.10, margin: [2]float64{0.22, 0.40}, subs: []demoSub{
		{slug: "formula", name: "奶粉辅食", nameEN: "Formula & baby food", brands: []string{"飞鹤", "爱他美", "美赞臣", "君乐宝", "惠氏"},
			items: []string{"婴幼儿配方奶粉 800g", "有机米粉 高铁", "A2蛋白奶粉 800g"}, points: []string{"官方正品", "新国标", "易吸收", "可追溯"},
			price: [2]int{99, 459}, weightG: 1000, specs: []demoSpec{stage}, attrs: []demoAttr{age, shelf, origin}},
		{slug: "diapers", name: "尿裤湿巾", nameEN: "Diapers & wipes", brands: []string{"帮宝适", "花王", "好奇", "大王", "babycare"},
			items: []string{"超薄透气纸尿裤", "拉拉裤 成长裤", "婴儿手口湿巾 80抽×10包"}, points: []string{"干爽不闷", "整箱装", "新生儿可用", "日夜通用"},
			price: [2]int{59, 269}, weightG: 3000, specs: []demoSpec{diaper}, attrs: []demoAttr{age}},
		{slug: "kidswear", name: "童装童鞋", nameEN: "Kidswear", brands: []string{"巴拉巴拉", "安奈儿", "左西", "江博士"},
			items: []string{"儿童加绒卫衣", "童装轻薄羽绒服", "学步鞋 软底", "男童运动套装"}, points: []string{"中大童", "亲肤透气", "2026秋冬新款", "男女童"},
			price: [2]int{69, 399}, weightG: 400, specs: []demoSpec{colours, kidSizes}, attrs: []demoAttr{fabric, age}},
		{slug: "toys", name: "玩具", nameEN: "Toys", brands: []string{"乐高", "费雪", "贝恩施", "奥迪双钻"},
			items: []string{"城市系列拼装积木", "早教益智玩具", "遥控越野车", "磁力片积木 100片"}, points: []string{"益智", "生日礼物", "3岁以上", "安全材质"},
			price: [2]int{59, 999}, weightG: 1200, specs: []demoSpec{plain}, attrs: []demoAttr{age, materl}},
	}},
	{slug: "books", name: "图书", nameEN: "Books", storage: Ambient, palette: [3]color.RGBA{rgb(240, 236, 225), rgb(90, 70, 120), rgb(210, 200, 225)}, share: 0.05, margin: [2]float64{0.28, 0.45}, subs: []demoSub{
		{slug: "fiction", name: "文学小说", nameEN: "Fiction", brandLast: true, brands: []string{"人民文学出版社", "上海译文出版社", "译林出版社", "南海出版公司"},
			items: []string{"活着 余华著", "三体 全三册 刘慈欣", "百年孤独 马尔克斯", "长安的荔枝 马伯庸", "平凡的世界 路遥"}, points: []string{"正版现货", "现当代文学", "茅盾文学奖", "经典必读"},
			price: [2]int{29, 168}, weightG: 500, specs: []demoSpec{binding}, attrs: []demoAttr{pages}},
		{slug: "children", name: "童书绘本", nameEN: "Children's books", brandLast: true, brands: []string{"接力出版社", "二十一世纪出版社", "中信出版社"},
			items: []string{"神奇校车 全套", "米小圈上学记", "小猪佩奇 双语绘本", "DK儿童百科全书"}, points: []string{"3-6岁", "注音版", "幼儿园推荐", "全彩印刷"},
			price: [2]int{25, 298}, weightG: 800, specs: []demoSpec{binding}, attrs: []demoAttr{pages, age}},
		{slug: "education", name: "教育考试", nameEN: "Education", brandLast: true, brands: []string{"高等教育出版社", "机械工业出版社", "清华大学出版社"},
			items: []string{"五年高考三年模拟 数学", "新概念英语 第二册", "Go语言程序设计", "考研英语真题解析"}, points: []string{"2027版", "配套视频", "教材教辅", "正版"},
			price: [2]int{35, 128}, weightG: 700, specs: []demoSpec{binding}, attrs: []demoAttr{pages}},
		{slug: "business", name: "经管励志", nameEN: "Business", brandLast: true, brands: []string{"中信出版社", "机械工业出版社", "湖南文艺出版社"},
			items: []string{"原则 瑞·达利欧", "穷查理宝典", "置身事内 兰小欢", "纳瓦尔宝典"}, points: []string{"畅销书", "管理经典", "投资理财", "正版"},
			price: [2]int{39, 99}, weightG: 600, specs: []demoSpec{binding}, attrs: []demoAttr{pages}},
	}},
}
