package gazetteer

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"
)

func gaz(t testing.TB) *Gazetteer {
	t.Helper()
	g, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	return g
}

// want formats an expected result: "" for none, else the path joined by " › ".
func show(j Jurisdiction, ok bool) string {
	if !ok {
		return ""
	}
	return strings.Join(j.Path, " › ")
}

// TestLoad checks the embedded tables; their load time is measured by
// BenchmarkLoad, not here.
func TestLoad(t *testing.T) {
	g, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	counts := map[string]int{}
	for _, n := range g.nodes {
		counts[n.level]++
	}
	// 31 + HK, MO, TW; 333 prefecture-level divisions; ~2,850 counties.
	if counts[LevelProvince] != 34 || counts[LevelCity] != 333 || counts[LevelCounty] < 2800 || counts[LevelZone] < 100 {
		t.Errorf("levels = %v", counts)
	}
	nat := g.National()
	if nat.Code != "100000" || nat.Name != "全国" || nat.Level != LevelNational || !slices.Equal(nat.Path, []string{"全国"}) {
		t.Errorf("National() = %+v", nat)
	}
}

func TestByCode(t *testing.T) {
	g := gaz(t)
	tests := []struct{ code, want, level string }{
		{"370500", "山东省 › 东营市", LevelCity},
		{"500238", "重庆市 › 巫溪县", LevelCounty},
		{"330782", "浙江省 › 金华市 › 义乌市", LevelCounty},
		{"310115", "上海市 › 浦东新区", LevelCounty},
		{"120116", "天津市 › 滨海新区", LevelCounty},
		{"500000Z01", "重庆市 › 两江新区", LevelZone},
		{"440100Z01", "广东省 › 广州市 › 南沙新区", LevelZone},
		{"810000", "香港特别行政区", LevelProvince},
		{"100000", "全国", LevelNational},
		{"419001", "河南省 › 济源市", LevelCounty},
		{"1101", "", ""},
		{"", "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			j, ok := g.ByCode(tt.code)
			if got := show(j, ok); got != tt.want || (ok && j.Level != tt.level) {
				t.Errorf("ByCode(%q) = %q %s, want %q %s", tt.code, got, j.Level, tt.want, tt.level)
			}
		})
	}
}

func TestShortName(t *testing.T) {
	tests := map[string]string{
		"山东省": "山东", "上海市": "上海", "内蒙古自治区": "内蒙古", "广西壮族自治区": "广西",
		"宁夏回族自治区": "宁夏", "新疆维吾尔自治区": "新疆", "西藏自治区": "西藏", "香港特别行政区": "香港",
		"延边朝鲜族自治州": "延边", "海西蒙古族藏族自治州": "海西", "伊犁哈萨克自治州": "伊犁",
		"锡林郭勒盟": "锡林郭勒", "阿里地区": "阿里", "东营市": "东营", "巫溪县": "巫溪", "浦东新区": "浦东",
		"神农架林区": "神农架", "义县": "义县", "城区": "城区", "大厂回族自治县": "大厂",
	}
	for in, want := range tests {
		if got := ShortName(in); got != want {
			t.Errorf("ShortName(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestLookup(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		name string
		want []string // paths
	}{
		{"东营市", []string{"山东省 › 东营市"}},
		{"东营", []string{"山东省 › 东营市", "山东省 › 东营市 › 东营区"}},
		{"山东", []string{"山东省"}},
		{"内蒙古", []string{"内蒙古自治区"}},
		{"朝阳区", []string{"北京市 › 朝阳区", "吉林省 › 长春市 › 朝阳区"}},
		{"上海自贸区", []string{"上海市 › 中国（上海）自由贸易试验区"}},
		{"中国(上海)自由贸易试验区", []string{"上海市 › 中国（上海）自由贸易试验区"}},
		{"全国", []string{"全国"}},
		{"370500", []string{"山东省 › 东营市"}},
		{"不存在的地方", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, j := range g.Lookup(tt.name) {
				got = append(got, show(j, true))
			}
			slices.Sort(got)
			want := slices.Clone(tt.want)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("Lookup(%q) = %q, want %q", tt.name, got, want)
			}
		})
	}
}

func TestFromIssuer(t *testing.T) {
	g := gaz(t)
	tests := []struct{ in, want string }{
		{"上海市人民代表大会常务委员会", "上海市"},
		{"东营市人民代表大会常务委员会", "山东省 › 东营市"},
		{"山东省人民政府办公厅", "山东省"},
		{"山东省人大常委会", "山东省"},
		{"重庆市巫溪县人民政府", "重庆市 › 巫溪县"},
		{"巫溪县人民政府", "重庆市 › 巫溪县"},
		{"义乌市人民政府", "浙江省 › 金华市 › 义乌市"},
		{"全国人民代表大会常务委员会", "全国"},
		{"全国人民代表大会", "全国"},
		{"第十届全国人民代表大会常务委员会第十九次会议通过", "全国"},
		{"国务院", "全国"},
		{"国务院办公厅", "全国"},
		{"中华人民共和国国务院令第375号公布", "全国"},
		{"教育部", "全国"},
		{"财政部", "全国"},
		{"人力资源和社会保障部", "全国"},
		{"国家市场监督管理总局令第43号公布", "全国"},
		{"最高人民法院", "全国"},
		{"最高人民检察院", "全国"},
		{"中共中央办公厅", "全国"},
		{"2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过", "上海市"},
		{"二〇一八年十一月三十日山东省第十三届人民代表大会常务委员会第七次会议通过", "山东省"},
		{"2020年5月14日 上海市第十五届人民代表大会常务委员会第二十一次会议《关于修改〈浙江省…条例〉的决定》修正", "上海市"},
		{"延边朝鲜族自治州人民代表大会", "吉林省 › 延边朝鲜族自治州"},
		{"锡林郭勒盟行政公署", "内蒙古自治区 › 锡林郭勒盟"},
		{"香港特别行政区政府", "香港特别行政区"},
		{"澳门特别行政区立法会", "澳门特别行政区"},
		{"重庆两江新区管理委员会", "重庆市 › 两江新区"},
		{"河北雄安新区管理委员会", "河北省 › 雄安新区"},
		{"北京市朝阳区人民政府", "北京市 › 朝阳区"},
		// Ambiguous county names resolve to nothing rather than a wrong province.
		{"朝阳区人民政府", ""},
		{"新华区人民政府", ""},
		{"城关区人民政府", ""},
		{"鼓楼区人民政府", ""},
		{"市中区人民政府", ""},
		// No place, no central body.
		{"市人民政府办公室", ""},
		{"省财政厅", ""},
		{"县委组织部", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := show(g.FromIssuer(tt.in)); got != tt.want {
				t.Errorf("FromIssuer(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFromDocNumber(t *testing.T) {
	g := gaz(t)
	tests := []struct{ in, want string }{
		{"巫溪府发〔2022〕14号", "重庆市 › 巫溪县"},
		{"渝两江党办发〔2021〕3号", "重庆市 › 两江新区"},
		{"渝两江党办发﹝2022﹞44号", "重庆市 › 两江新区"},
		{"沪府发〔2020〕3号", "上海市"},
		{"沪府发(2020)3号", "上海市"},
		{"鲁政发〔2019〕5号", "山东省"},
		{"穗府办规〔2021〕2号", "广东省 › 广州市"},
		{"榕政综〔2020〕1号", "福建省 › 福州市"},
		{"甬政发〔2020〕1号", "浙江省 › 宁波市"},
		{"蓉府发〔2020〕1号", "四川省 › 成都市"},
		{"浙政办发〔2022〕1号", "浙江省"},
		{"京政发[2018]1号", "北京市"},
		{"新政发〔2020〕1号", "新疆维吾尔自治区"},
		{"国发〔2020〕1号", "全国"},
		{"国办发〔2021〕7号", "全国"},
		{"中办发〔2019〕1号", "全国"},
		{"人社部发〔2019〕1号", "全国"},
		{"东营政发〔2020〕1号", "山东省 › 东营市"},
		{"财税〔2020〕1号", ""}, // a ministry's bureau code: not read
		{"〔2020〕1号", ""},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := show(g.FromDocNumber(tt.in)); got != tt.want {
				t.Errorf("FromDocNumber(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestFromTitle(t *testing.T) {
	g := gaz(t)
	tests := []struct{ in, want string }{
		{"东营市养犬管理条例", "山东省 › 东营市"},
		{"中国（重庆）自由贸易试验区条例", "重庆市 › 中国（重庆）自由贸易试验区"},
		{"中国(上海)自由贸易试验区条例", "上海市 › 中国（上海）自由贸易试验区"},
		{"上海市信访条例", "上海市"},
		{"中华人民共和国反垄断法", "全国"},
		{"中华人民共和国香港特别行政区基本法", "全国"},
		{"浙江省无线电管理条例", "浙江省"},
		{"上海市实施《中华人民共和国妇女权益保障法》办法", "上海市"},
		{"国际邮轮在中华人民共和国港口靠港补给的规定", "全国"},
		{"山东省人民代表大会常务委员会关于批准《东营市养犬管理条例》的决定", "山东省"},
		{"关于批准《东营市养犬管理条例》的决定", "山东省 › 东营市"},
		{"国务院关于同意设立中国（上海）自由贸易试验区的批复", "全国"},
		{"教育部关于印发《普通高中课程方案》的通知", "全国"},
		{"内蒙古自治区草原管理条例", "内蒙古自治区"},
		{"广西壮族自治区环境保护条例", "广西壮族自治区"},
		{"延边朝鲜族自治州朝鲜语言文字工作条例", "吉林省 › 延边朝鲜族自治州"},
		{"义乌市国际贸易综合改革试验区条例", "浙江省 › 金华市 › 义乌市"},
		{"北京市朝阳区城市管理办法", "北京市 › 朝阳区"},
		{"朝阳区城市管理办法", ""},                        // ambiguous county alone
		{"城区绿化管理办法", ""},                         // two-character county names never stand alone
		{"华东区域协作规定", ""},                         // 东区 is a county of 攀枝花, but not here
		{"东营港经济开发区管理办法", "山东省 › 东营市 › 东营港经济开发区"}, // an NBS zone
		{"东营港口管理办法", "山东省 › 东营市"},                // short city name at the start
		{"关于加强东营港管理的通知", ""},                     // short city names only where a place is expected
		{"工伤保险条例", ""},
		{"关于加强老城区改造的通知", ""},                // 老城区 (洛阳) reads as a common noun
		{"洛阳市老城区城市管理办法", "河南省 › 洛阳市 › 老城区"}, // … but refines 洛阳市
		{"关于内地与香港特别行政区相互执行仲裁裁决的安排", ""},     // about 香港, not 香港's
		{"香港特别行政区公司条例", "香港特别行政区"},
		{"", ""},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			if got := show(g.FromTitle(tt.in)); got != tt.want {
				t.Errorf("FromTitle(%q) = %q, want %q", tt.in, got, tt.want)
			}
		})
	}
}

func TestResolve(t *testing.T) {
	g := gaz(t)
	tests := []struct {
		name string
		e    Evidence
		want string
	}{
		{"issuer refined by title", Evidence{Issuers: []string{"山东省人民代表大会常务委员会"}, Title: "东营市养犬管理条例"}, "山东省 › 东营市"},
		{"enacting and approving congresses", Evidence{Issuers: []string{
			"2003年8月29日 郑州市第十一届人民代表大会常务委员会第四十次会议通过",
			"2003年11月28日 河南省第十届人民代表大会常务委员会第六次会议批准"}, Title: "郑州市殡葬管理条例"}, "河南省 › 郑州市"},
		{"approving congress first", Evidence{Issuers: []string{"河南省人大常委会", "郑州市人大常委会"}}, "河南省 › 郑州市"},
		{"contradicting title ignored", Evidence{Issuers: []string{"上海市人民政府"}, Title: "浙江省…合作协议"}, "上海市"},
		{"national issuer wins over a place in the title", Evidence{Issuers: []string{"国务院"}, Title: "关于同意设立中国（上海）自由贸易试验区的批复"}, "全国"},
		{"national doc number", Evidence{DocNumber: "国函〔2013〕78号", Title: "关于同意设立中国（上海）自由贸易试验区的批复"}, "全国"},
		{"doc number refined by issuer chain", Evidence{Issuers: []string{"重庆市人民政府"}, DocNumber: "渝两江党办发〔2021〕3号"}, "重庆市 › 两江新区"},
		{"doc number over title", Evidence{DocNumber: "巫溪府发〔2022〕14号", Title: "关于印发…的通知"}, "重庆市 › 巫溪县"},
		{"ambiguous issuer settled by title", Evidence{Issuers: []string{"朝阳区人民政府"}, Title: "北京市朝阳区…办法"}, "北京市 › 朝阳区"},
		{"ambiguous issuer settled by doc number", Evidence{Issuers: []string{"朝阳区人民政府"}, DocNumber: "京朝政发〔2020〕1号"}, "北京市 › 朝阳区"},
		{"ambiguous issuer alone", Evidence{Issuers: []string{"朝阳区人民政府"}, Title: "关于加强物业管理的通知"}, ""},
		{"ambiguous issuer is not national by default", Evidence{Issuers: []string{"新华区人民代表大会常务委员会"}, Title: "物业管理条例"}, ""},
		{"laws: 中华人民共和国 title", Evidence{Title: "中华人民共和国印花税法"}, "全国"},
		{"laws: regulation without place", Evidence{Title: "无人驾驶航空器飞行管理暂行条例"}, "全国"},
		{"laws: rules with note", Evidence{Title: "律师执业管理办法（2016修订）"}, "全国"},
		{"ministry rules", Evidence{Issuers: []string{"国家市场监督管理总局令第43号公布", "2022年1月1日 施行"}, Title: "家用汽车产品修理更换退货责任规定"}, "全国"},
		{"notice without evidence", Evidence{Title: "关于做好2023年防汛工作的通知"}, ""},
		{"local decision", Evidence{Title: "山东省人民代表大会常务委员会关于加强生态环境保护的决定"}, "山东省"},
		{"seed: 两江新区", Evidence{Issuers: []string{"两江新区管委会"}, DocNumber: "渝两江党办发﹝2022﹞44号",
			Title: "中共重庆两江新区工作委员会办公室重庆两江新区管理委员会办公室关于印发两江新区教育事业发展“十四五”规划(2021—2025年)的通知"}, "重庆市 › 两江新区"},
		{"seed: 黔江", Evidence{Issuers: []string{"中共重庆市黔江区委教育工作领导小组"}, Title: "深入推进黔江教育高质量发展工作方案"}, "重庆市 › 黔江区"},
		{"seed: 黔江 title alone", Evidence{Title: "深入推进黔江教育高质量发展工作方案"}, ""},
		{"seed: 沙坪坝", Evidence{Title: "重庆市沙坪坝区“十四五”教育事业发展规划"}, "重庆市 › 沙坪坝区"},
		{"seed: 巫溪", Evidence{Issuers: []string{"巫溪县人民政府"}, DocNumber: "巫溪府发〔2022〕14号", Title: "关于印发巫溪县教育事业发展“十四五”规划（2021—2025年）的通知"}, "重庆市 › 巫溪县"},
		{"HK", Evidence{Issuers: []string{"香港特别行政区立法会"}}, "香港特别行政区"},
		{"MO", Evidence{Title: "澳门特别行政区政府公报"}, "澳门特别行政区"},
		{"HK arrangement by the Supreme Court", Evidence{Issuers: []string{"最高人民法院"}, Title: "关于内地与香港特别行政区相互执行仲裁裁决的安排"}, "全国"},
		{"TW in a national law's title", Evidence{Title: "台湾同胞投资保护法实施细则"}, "全国"},
		{"nothing", Evidence{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := show(g.Resolve(tt.e)); got != tt.want {
				t.Errorf("Resolve(%+v) = %q, want %q", tt.e, got, tt.want)
			}
		})
	}
}

func TestIssuerFromDateLine(t *testing.T) {
	tests := map[string]string{
		"2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过":       "上海市第十三届人民代表大会常务委员会第三十次会议通过",
		"２００２年６月２９日 第九届全国人民代表大会常务委员会第二十八次会议通过":         "第九届全国人民代表大会常务委员会第二十八次会议通过",
		"（2019年4月23日第十三届全国人民代表大会常务委员会第十次会议修正）":         "第十三届全国人民代表大会常务委员会第十次会议修正",
		"根据2009年8月27日第十一届全国人民代表大会常务委员会《关于修改部分法律的决定》修正": "第十一届全国人民代表大会常务委员会",
		"国务院令第375号公布": "国务院令第375号公布",
	}
	for in, want := range tests {
		if got := IssuerFromDateLine(in); got != want {
			t.Errorf("IssuerFromDateLine(%q) = %q, want %q", in, got, want)
		}
	}
}

func TestWithin(t *testing.T) {
	g := gaz(t)
	dongying, _ := g.ByCode("370500")
	yiwu, _ := g.ByCode("330782")
	wuxi, _ := g.ByCode("500238")
	liangjiang, _ := g.ByCode("500000Z01")
	tests := []struct {
		j        Jurisdiction
		ancestor string
		want     bool
	}{
		{dongying, "山东省", true},
		{dongying, "山东", true},
		{dongying, "370000", true},
		{dongying, "370500", true},
		{dongying, "东营", true},
		{dongying, "全国", true},
		{dongying, "浙江省", false},
		{dongying, "东营区", false},
		{yiwu, "金华市", true},
		{yiwu, "330700", true},
		{yiwu, "330800", false},
		{wuxi, "重庆", true},
		{wuxi, "500000", true},
		{liangjiang, "重庆市", true},
		{liangjiang, "500000", true},
		{g.National(), "全国", true},
		{g.National(), "山东省", false},
		{dongying, "", false},
		{Jurisdiction{}, "全国", false},
	}
	for _, tt := range tests {
		if got := Within(tt.j, tt.ancestor); got != tt.want {
			t.Errorf("Within(%s, %q) = %v, want %v", tt.j.Name, tt.ancestor, got, tt.want)
		}
	}
}

// TestZonesData checks every functional zone is reachable by name and by code.
func TestZonesData(t *testing.T) {
	g := gaz(t)
	for _, n := range g.nodes {
		if n.level != LevelZone || len(n.code) != 9 {
			continue
		}
		c := g.Lookup(n.name)
		if len(c) != 1 || c[0].Code != n.code {
			t.Errorf("Lookup(%q) = %v", n.name, c)
		}
	}
}

// TestLawsSample measures Resolve's province on a sample of the laws corpus's gold
// metadata: issuers come from the date lines, the title is the document's.
func TestLawsSample(t *testing.T) {
	g := gaz(t)
	b, err := os.ReadFile("testdata/laws_sample.json")
	if err != nil {
		t.Fatal(err)
	}
	var sample struct {
		Documents []struct {
			ID, Title, Jurisdiction string
			Info                    []string
		}
	}
	if err := json.Unmarshal(b, &sample); err != nil {
		t.Fatal(err)
	}
	if len(sample.Documents) < 300 {
		t.Fatalf("only %d documents", len(sample.Documents))
	}
	hits := 0
	for _, d := range sample.Documents {
		e := Evidence{Title: d.Title}
		for _, l := range d.Info {
			e.Issuers = append(e.Issuers, IssuerFromDateLine(l))
		}
		j, ok := g.Resolve(e)
		got := ""
		if ok {
			got = ShortName(j.Path[0])
		}
		if got == d.Jurisdiction {
			hits++
		} else {
			t.Logf("miss %s %q: got %q, want %q", d.ID, d.Title, got, d.Jurisdiction)
		}
	}
	acc := float64(hits) / float64(len(sample.Documents))
	t.Logf("accuracy %d/%d = %.4f", hits, len(sample.Documents), acc)
	if acc < 0.98 {
		t.Errorf("accuracy %.4f < 0.98", acc)
	}
}

func BenchmarkLoad(b *testing.B) {
	for b.Loop() {
		if _, err := Load(); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkResolve(b *testing.B) {
	g := gaz(b)
	cases := []Evidence{
		{Issuers: []string{"2003年8月29日 郑州市第十一届人民代表大会常务委员会第四十次会议通过", "2003年11月28日 河南省第十届人民代表大会常务委员会第六次会议批准"}, Title: "郑州市殡葬管理条例"},
		{Issuers: []string{"第十三届全国人民代表大会常务委员会第二十九次会议通过"}, Title: "中华人民共和国印花税法"},
		{Issuers: []string{"重庆市巫溪县人民政府"}, DocNumber: "巫溪府发〔2022〕14号", Title: "巫溪县人民政府关于印发巫溪县城市管理办法的通知"},
		{Title: "无人驾驶航空器飞行管理暂行条例"},
	}
	b.ReportAllocs()
	for i := 0; b.Loop(); i++ {
		if _, ok := g.Resolve(cases[i%len(cases)]); !ok {
			b.Fatal("not resolved")
		}
	}
}

// FuzzResolve checks that no input panics or yields an inconsistent result.
func FuzzResolve(f *testing.F) {
	f.Add("2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过", "沪府发〔2020〕3号", "东营市养犬管理条例")
	f.Add("朝阳区人民政府", "渝两江党办发", "中国（重庆）自由贸易试验区条例")
	f.Add("（根据二〇一一年", "〔", "关于（")
	f.Add("\xff\xfe", "国", "中华人民共和国")
	g, err := Load()
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, issuer, num, title string) {
		j, ok := g.Resolve(Evidence{Issuers: []string{issuer, title}, DocNumber: num, Title: title})
		if ok {
			if j.Code == "" || j.Name == "" || len(j.Path) == 0 || j.Path[len(j.Path)-1] != j.Name {
				t.Fatalf("inconsistent %+v", j)
			}
			if _, found := g.ByCode(j.Code); !found {
				t.Fatalf("unknown code %+v", j)
			}
		}
		g.FromIssuer(issuer)
		g.FromDocNumber(num)
		g.FromTitle(title)
		g.Lookup(title)
		Within(j, issuer)
		IssuerFromDateLine(issuer)
	})
}
