package parse

import (
	"reflect"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// TestDateBlock checks which cover lines make the date block and how lines
// broken before their event are joined.
func TestDateBlock(t *testing.T) {
	tests := []struct {
		name    string
		lines   []string
		entries []string
		in      []bool
	}{
		{"one event per line",
			[]string{"上海口岸服务条例", "2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过", "2020年5月14日 上海市…《关于修改本市部分地方性法规的决定》第一次修正"},
			[]string{"2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过", "2020年5月14日 上海市…《关于修改本市部分地方性法规的决定》第一次修正"},
			[]bool{false, true, true}},
		{"full-width digits",
			[]string{"２０１２年１２月３日 公安部部长办公会议通过", "２０１３年１月１日 施行"},
			[]string{"２０１２年１２月３日 公安部部长办公会议通过", "２０１３年１月１日 施行"},
			[]bool{true, true}},
		{"broken inside a book title",
			[]string{"2016年5月27日 浙江省第十二届人民代表大会常务委员会第二十九次会议《关于修改〈浙江省县", "", "乡两级人民代表大会代表选举实施细则〉的决定》修正", "第一条 为了……，制定本规定。"},
			[]string{"2016年5月27日 浙江省第十二届人民代表大会常务委员会第二十九次会议《关于修改〈浙江省县乡两级人民代表大会代表选举实施细则〉的决定》修正"},
			[]bool{true, false, true, false}},
		{"issuer, then its verb",
			[]string{"1984年1月7日 国务院", "中央军委发布", "发布之日施行"},
			[]string{"1984年1月7日 国务院中央军委发布"},
			[]bool{true, true, false}},
		{"event cut off: the date alone counts",
			[]string{"2019年3月15日 第十三届全国人民代表大会第二次"},
			[]string{"2019年3月15日 第十三届全国人民代表大会第二次"},
			[]bool{true}},
		{"no verb within reach: not joined",
			[]string{"2017年11月22日 中华人民共和国国务院令第692号", "第一条 为了……，制定本细则。"},
			[]string{"2017年11月22日 中华人民共和国国务院令第692号"},
			[]bool{true, false}},
		{"prose opening with a date is no block",
			[]string{"2021年3月5日，市政府召开常务会议", "2021年3月5日市政府召开会议"},
			nil,
			[]bool{false, false}},
		{"a sentence never continues a block",
			[]string{"2020年1月1日 国务院", "各省、自治区、直辖市人民政府要认真贯彻落实。请遵照执行"},
			[]string{"2020年1月1日 国务院"},
			[]bool{true, false}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			entries, in := dateBlock(tt.lines)
			if !reflect.DeepEqual(entries, tt.entries) {
				t.Errorf("entries =\n %q\nwant\n %q", entries, tt.entries)
			}
			if !reflect.DeepEqual(in, tt.in) {
				t.Errorf("in = %v, want %v", in, tt.in)
			}
		})
	}
}

// TestIssueDateFromCover checks the date of the version read from whole
// covers: the issuer's own act, not a superior body's approval; an event
// broken over lines; a date whose event was cut off.
func TestIssueDateFromCover(t *testing.T) {
	tests := []struct {
		name  string
		lines []string
		want  string
	}{
		{"city adoption, provincial approval",
			[]string{"# 平顶山市节约用水条例", "2021年7月3日 平顶山市第十一届人民代表大会常务委员会第二十次会议通过2021年7月30日河南省第十三届人民代表大会常务委员会第二十六次会议批准", "第一条 为了加强节约用水管理，制定本条例。"},
			"2021-07-03"},
		{"amendment approved in its clause",
			[]string{"# 许昌市城乡规划条例", "2018年10月30日 许昌市第七届人民代表大会常务委员会第十四次会议通过", "2018年11月29日 河南省第十三届人民代表大会常务委员会第七次会议批准", "2020年12月4日 许昌市第七届人民代表大会常务委员会第三十三次会议通过2021年4月2日河南省第十三届人民代表大会常务委员会第二十三次会议批准的《许昌市人民代表大会常务委员会关于修改〈许昌市城乡规划条例〉的决定》修正"},
			"2021-04-02"},
		{"amendment broken over lines",
			[]string{"# 浙江省人民代表大会代表建议、批评和意见办理的规定", "1994年12月19日 浙江省第八届人民代表大会常务委员会第十五次会议通过2005年9月30日浙江省第十届人民代表大会常务委员会第二十次会议修订", "2016年5月27日 浙江省第十二届人民代表大会常务委员会第二十九次会议《关于修改〈浙江省县", "乡两级人民代表大会代表选举实施细则〉的决定》修正"},
			"2016-05-27"},
		{"full-width digits",
			[]string{"# 公安机关办理行政案件程序规定", "２０１２年１２月３日 公安部部长办公会议通过", "２０１２年１２月１９日 中华人民共和国公安部令第１２５号发布，", "２０１３年１月１日 施行"},
			"2012-12-19"},
		{"event cut off",
			[]string{"# 中华人民共和国外商投资法", "2019年3月15日 第十三届全国人民代表大会第二次"},
			"2019-03-15"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var m corpus.Meta
			classify(&m, tt.lines, corpus.Meta{}, Vocabulary{})
			if m.IssueDate != tt.want {
				t.Errorf("issue date %q, want %q (dates %v)", m.IssueDate, tt.want, m.Dates)
			}
		})
	}
}
