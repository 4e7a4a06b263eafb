package dates

import (
	"reflect"
	"regexp"
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"2022年2月21日", "2022-02-21", true},
		{"2022年12月1日", "2022-12-01", true},
		{"二〇二二年二月二十一日", "2022-02-21", true},
		{"二○二二年二月二十一日", "2022-02-21", true},
		{"二零二二年十二月三十一日", "2022-12-31", true},
		{"一九九五年三月二十六日", "1995-03-26", true},
		{"二〇二一年十月十日", "2021-10-10", true},
		{"二〇二一年六月", "2021-06", true},
		{"2022-10-19", "2022-10-19", true},
		{"2022.10.19", "2022-10-19", true},
		{"2022/10/19", "2022-10-19", true},
		{"２０２２年２月２１日", "2022-02-21", true},
		{"２０２２－１０－１９", "2022-10-19", true},
		{"2022年2月", "2022-02", true},
		{"2022 年 2 月 21 日", "2022-02-21", true},
		{"2020年07月20日", "2020-07-20", true},
		{"2022年2月21号", "2022-02-21", true},
		{"（2014年11月1日第十二届全国人民代表大会常务委员会第十一次会议通过）", "2014-11-01", true},
		{"自2022年1月1日起施行", "2022-01-01", true},
		{"2022年", "2022", true},
		{"二〇二二年", "2022", true},
		{"", "", false},
		{"第二十次会议", "", false},
		{"2022年13月1日", "", false},
		{"2022年2月32日", "", false},
		{"2022-10-19-2", "", false},
		{"GB 50016.2014.1.2", "", false},
		{"2022.10/19", "", false},
		{"12022年2月1日", "", false},
		{"国家互联网信息办公室2021年第20次室务会议", "", false},
		{"人薪发［1995］32号", "", false},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, ok := Parse(tt.in)
			if got != tt.want || ok != tt.ok {
				t.Errorf("Parse(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
			}
		})
	}
}

// d builds a Date for the tables; Text is not compared.
func d(date, event string) Date { return Date{Date: date, Event: event} }

func TestFromLines(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  []Date
	}{
		{"adopted and amended", []string{
			"2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过",
			"2020年5月14日 上海市第十五届人民代表大会常务委员会第二十一次会议《关于修改本市部分地方性法规的决定》第一次修正",
		}, []Date{d("2011-11-17", "通过"), d("2020-05-14", "修正")}},
		{"parenthesised, two events", []string{
			"（2020年5月14日上海市第十五届人民代表大会常务委员会第二十一次会议通过　根据2021年9月28日上海市第十五届人民代表大会常务委员会第三十五次会议《关于修改本市部分地方性法规的决定》修正）",
		}, []Date{d("2020-05-14", "通过"), d("2021-09-28", "修正")}},
		{"revised then amended by 根据", []string{
			"2011年4月12日 上海市第十三届人民代表大会常务委员会第二十六次会议修订根据2016年4月21日上海市第十四届人民代表大会常务委员会第二十八次会议《关于修改〈上海市区县和乡镇人民代表大会代表直接选举实施细则〉等5件地方性法规的决定》第五次修正",
		}, []Date{d("2011-04-12", "修订"), d("2016-04-21", "修正")}},
		{"approval inside the amending clause", []string{
			"2021年11月2日 淄博市第十五届人民代表大会常务委员会第五十一次会议通过并经2021年12月3日山东省第十三届人民代表大会常务委员会第三十二次会议批准的《淄博市人民代表大会常务委员会关于修改〈淄博市电梯安全条例〉等两件地方性法规的决定》修正",
		}, []Date{d("2021-11-02", "修正")}},
		{"approval, publication and effect on one line", []string{
			"2010年3月31日 山东省第十一届人民代表大会常务委员会第十六次会议批准2010年3月31日青岛市人民代表大会常务委员会公告公布自2010年5月1日施行",
		}, []Date{d("2010-03-31", "批准"), d("2010-03-31", "公布"), d("2010-05-01", "施行")}},
		{"effective alone", []string{"1997年10月1日起施行"}, []Date{d("1997-10-01", "施行")}},
		{"自…起施行", []string{"自2022年1月1日起施行"}, []Date{d("2022-01-01", "施行")}},
		{"order, then effect", []string{
			"2021年7月30日 国家市场监督管理总局令第45号公布",
			"2021年9月1日 施行",
		}, []Date{d("2021-07-30", "公布"), d("2021-09-01", "施行")}},
		{"dateless order after its date", []string{
			"2019年12月30日",
			"国务院令第746号公布 自2020年1月1日起施行",
		}, []Date{d("2019-12-30", "公布"), d("2020-01-01", "施行")}},
		{"president's order", []string{"2002年8月29日 中华人民共和国主席令第七十三号公布"}, []Date{d("2002-08-29", "公布")}},
		{"published and in force", []string{"1982年12月4日 全国人民代表大会公告公布施行"},
			[]Date{d("1982-12-04", "公布"), d("1982-12-04", "施行")}},
		{"issued, in force that day", []string{"1990年1月1日 国家统计局令第1号发布  自发布之日施行"},
			[]Date{d("1990-01-01", "发布"), d("1990-01-01", "施行")}},
		{"revised and adopted", []string{"2011年5月25日 济南市第十四届人民代表大会常务委员会第三十次会议修订通过"},
			[]Date{d("2011-05-25", "修订")}},
		{"adopted as revised", []string{"2014年10月29日 淄博市第十四届人民代表大会常务委员会第二十三次会议通过修订"},
			[]Date{d("2014-10-29", "修订")}},
		{"constitutional amendment", []string{"1988年4月12日 第七届全国人民代表大会第一次会议通过的《中华人民共和国宪法修正案》"},
			[]Date{d("1988-04-12", "修正")}},
		{"approved by the State Council, issued by a ministry", []string{"1987年10月14日 国务院批准", "1987年10月20日 农牧渔业部发布"},
			[]Date{d("1987-10-14", "批准"), d("1987-10-20", "发布")}},
		{"signature date of a notice", []string{"中华人民共和国人事部", "一九九五年三月二十六日", "1995年5月1日 执行"},
			[]Date{d("1995-03-26", "成文"), d("1995-05-01", "施行")}},
		{"full-width digits", []string{"２０１２年１２月１９日 中华人民共和国公安部令第１２５号发布，"}, []Date{d("2012-12-19", "发布")}},
		{"ISO date, printed", []string{"2022-10-19 印发"}, []Date{d("2022-10-19", "印发")}},
		{"repealed", []string{"2020年1月1日 废止"}, []Date{d("2020-01-01", "废止")}},
		{"revised and issued", []string{"2012年12月13日 公安部令第127号修订发布。根据"}, []Date{d("2012-12-13", "修订")}},
		{"verb inside a broken title", []string{"2012年1月13日 山东省第十一届人民代表大会常务委员会第二十八次会议《关于修改<山东省环境噪声污染防治条例>等二十五件地方性法规的决定修正》"},
			[]Date{d("2012-01-13", "修正")}},
		{"no event", []string{"2020年1月1日 上海市人民政府"}, []Date{d("2020-01-01", "")}},
		{"title lines and body", []string{"中华人民共和国外国中央银行", "财产司法强制措施豁免法", "请遵照执行。"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := FromLines(tt.lines)
			for i := range got {
				if got[i].Text == "" || !containsAny(tt.lines, got[i].Text) {
					t.Errorf("Text %q is not a fragment of the lines", got[i].Text)
				}
				got[i].Text = ""
			}
			if !reflect.DeepEqual(got, tt.want) {
				t.Errorf("FromLines =\n %v\nwant\n %v", got, tt.want)
			}
		})
	}
}

func containsAny(lines []string, frag string) bool {
	for _, l := range lines {
		if strings.Contains(l, frag) {
			return true
		}
	}
	return strings.Contains(strings.Join(lines, " "), frag)
}

func TestIssueDateAndEffective(t *testing.T) {
	tests := []struct {
		name           string
		ds             []Date
		issue, effects string
	}{
		{"amended several times", []Date{d("1985-09-06", "通过"), d("2009-08-27", "修正"), d("2018-10-26", "修正")}, "2018-10-26", ""},
		{"adopted, published, in force", []Date{d("2009-08-12", "通过"), d("2009-08-17", "公布"), d("2009-10-01", "施行")}, "2009-08-17", "2009-10-01"},
		{"in force only", []Date{d("2009-10-01", "施行")}, "", "2009-10-01"},
		{"approved after adoption: the issuer's act", []Date{d("2020-06-30", "通过"), d("2020-07-31", "批准")}, "2020-06-30", ""},
		{"approved, then published", []Date{d("2020-06-30", "通过"), d("2020-07-31", "批准"), d("2020-08-05", "公布")}, "2020-08-05", ""},
		{"approval alone", []Date{d("1987-10-14", "批准"), d("1990-01-01", "")}, "1987-10-14", ""},
		{"amendment approved in its clause", []Date{d("2020-12-04", "通过"), d("2021-04-02", "修正")}, "2021-04-02", ""},
		{"written then printed", []Date{d("2022-02-21", "成文"), d("2022-03-01", "印发")}, "2022-03-01", ""},
		{"unknown event as a fallback", []Date{d("2022-02-21", ""), d("2022-05-01", "施行")}, "2022-02-21", "2022-05-01"},
		{"typed event wins over unknown", []Date{d("2023-01-01", ""), d("2022-02-21", "发布")}, "2022-02-21", ""},
		{"repeal is no issue", []Date{d("2001-01-01", "发布"), d("2020-01-01", "废止")}, "2001-01-01", ""},
		{"latest effect", []Date{d("2001-01-01", "施行"), d("2019-01-01", "修订"), d("2019-06-01", "施行")}, "2019-01-01", "2019-06-01"},
		{"empty", nil, "", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IssueDate(tt.ds); got != tt.issue {
				t.Errorf("IssueDate = %q, want %q", got, tt.issue)
			}
			if got := Effective(tt.ds); got != tt.effects {
				t.Errorf("Effective = %q, want %q", got, tt.effects)
			}
		})
	}
}

func BenchmarkFromLines(b *testing.B) {
	docs := loadGold(b, goldFile)
	n := 0
	for _, d := range docs {
		for _, l := range d.Info {
			n += len(l)
		}
	}
	b.SetBytes(int64(n))
	b.ReportAllocs()
	for b.Loop() {
		for _, d := range docs {
			FromLines(d.Info)
		}
	}
}

var isoRe = regexp.MustCompile(`^\d{4}-\d\d(-\d\d)?$`)

func FuzzFromLines(f *testing.F) {
	for _, s := range []string{
		"2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过",
		"（2020年5月14日上海市会议通过　根据2021年9月28日《决定》修正）",
		"二〇二二年二月二十一日", "２０２２－１０－１９", "国务院令第746号公布 自2020年1月1日起施行",
		"《《》》〈", "公布施行执行",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		lines := strings.Split(s, "\n")
		for _, x := range FromLines(lines) {
			if !isoRe.MatchString(x.Date) {
				t.Errorf("date %q is not YYYY-MM[-DD]", x.Date)
			}
		}
		Parse(s)
	})
}
