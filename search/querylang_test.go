package search

import (
	"reflect"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// TestQueryLanguage: AND, curly and corner quotes and the Chinese filter
// keys are part of the one query language (the web highlights with the
// same parser).
func TestQueryLanguage(t *testing.T) {
	for _, tc := range []struct{ in, same string }{
		{`集团化办学 AND 覆盖率`, `集团化办学 覆盖率`},
		{`AND 集团化办学`, `集团化办学`},
		{`“五育并举”`, `"五育并举"`},
		{`「五育并举」 『双减』`, `"五育并举" "双减"`},
		{`“五育并举"`, `"五育并举"`},
		{`-“高职” 教育`, `-"高职" 教育`},
		{`区县:巫溪县 教育`, `district:巫溪县 教育`},
		{`区县：巫溪县 教育`, `district:巫溪县 教育`},
		{`区县:“巫溪县” 教育`, `district:巫溪县 教育`},
		{`地区:巫溪县 主题:职业教育 教育`, `region:巫溪县 theme:职业教育 教育`},
		{`地区：山东省 文种:条例 效力:地方性法规 状态:现行 年份:2022`, `region:山东省 doctype:条例 level:地方性法规 status:现行 year:2022`},
		{`效力级别:法律`, `level:法律`},
		{`region:山东省›东营市`, `region:山东省/东营市`},
		{`region:"山东省 / 东营市"`, `region:山东省/东营市`},
		{`status:current status:amended`, `status:现行 status:已修改`},
		{`year:2022年 year:２０２２`, `year:2022`},
		{`日期:2020..2022`, `date:2020-01-01..2022-12-31`},
		{`date:2020..2022 date:2021..`, `date:2021..2022`},
		{`date:2021年6月`, `date:2021-06-01..2021-06-30`},
		{`date:2020/2..2020.2`, `date:2020-02`},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseQuery(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			want, err := ParseQuery(tc.same)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("ParseQuery(%q) = %+v, want %+v as for %q", tc.in, got, want, tc.same)
			}
		})
	}
	for _, bad := range []string{`“五育并举`, `「五育并举`, `区县:“巫溪县`} {
		if _, err := ParseQuery(bad); corpus.ErrorCode(err) != corpus.EINVALID {
			t.Errorf("ParseQuery(%q) = %v, want EINVALID", bad, err)
		}
	}
	if _, err := ParseQuery(strings.Repeat("教", MaxQueryRunes)); err != nil {
		t.Errorf("a query of MaxQueryRunes characters: %v", err)
	}
	if _, err := ParseQuery(strings.Repeat("教", MaxQueryRunes+1)); corpus.ErrorCode(err) != corpus.ETOOLARGE {
		t.Errorf("a query over MaxQueryRunes: %v, want ETOOLARGE", err)
	}
}

// TestDocumentFilters: the document filters of the query language parse
// to the Query fields, with open-ended and partial dates.
func TestDocumentFilters(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want Query
	}{
		{`region:山东省 region:全国`, Query{Regions: []string{"山东省", "全国"}}},
		{`region:370500`, Query{Regions: []string{"370500"}}},
		{`doctype:条例 文种:规划 doctype:条例`, Query{DocTypes: []string{"条例", "规划"}}},
		{`level:法律 level:部门规章`, Query{Levels: []string{"法律", "部门规章"}}},
		{`status:已修改`, Query{Statuses: []string{"已修改"}}},
		{`year:2021 year:2022 year:2021`, Query{Years: []int{2021, 2022}}},
		{`date:2020..2022`, Query{DateFrom: "2020-01-01", DateTo: "2022-12-31"}},
		{`日期:2020-01..2021-06`, Query{DateFrom: "2020-01-01", DateTo: "2021-06-30"}},
		{`date:..2020`, Query{DateTo: "2020-12-31"}},
		{`date:2019-02..`, Query{DateFrom: "2019-02-01"}},
		{`date:2020-02`, Query{DateFrom: "2020-02-01", DateTo: "2020-02-29"}},
		{`date:2021-03-05`, Query{DateFrom: "2021-03-05", DateTo: "2021-03-05"}},
		{`date:2020..2022 date:2021-06..2023`, Query{DateFrom: "2021-06-01", DateTo: "2022-12-31"}},
		{`条例 region:山东省`, Query{Groups: []Group{{{Text: "条例"}}}, Regions: []string{"山东省"}}},
	} {
		t.Run(tc.in, func(t *testing.T) {
			got, err := ParseQuery(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, tc.want) {
				t.Errorf("ParseQuery(%q)\n got %+v\nwant %+v", tc.in, *got, tc.want)
			}
		})
	}
	for _, tc := range []struct{ in, msg string }{
		{`level:省级`, "可选：宪法、法律、行政法规"},
		{`status:废止`, "可选：现行、已修改"},
		{`year:22`, "年份无效"},
		{`year:1800`, "年份无效"},
		{`date:2022..2020`, "起点晚于终点"},
		{`date:..`, "日期条件无效"},
		{`date:2020-13`, "日期条件无效"},
		{`date:2021-02-29`, "日期条件无效"},
		{`date:20200101`, "日期条件无效"},
		{`date:2020...2022`, "日期条件无效"},
		{`region:/东营市`, "地区无效"},
		{`-x date:abc`, "日期条件无效"},
	} {
		t.Run(tc.in, func(t *testing.T) {
			_, err := ParseQuery(tc.in)
			if corpus.ErrorCode(err) != corpus.EINVALID || !strings.Contains(err.Error(), tc.msg) {
				t.Errorf("ParseQuery(%q) = %v, want EINVALID with %q", tc.in, err, tc.msg)
			}
		})
	}
}
