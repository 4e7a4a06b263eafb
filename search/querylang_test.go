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
		{`地区:巫溪县 主题:职业教育 教育`, `district:巫溪县 theme:职业教育 教育`},
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
