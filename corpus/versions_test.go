package corpus

import (
	"strings"
	"testing"
)

// TestVersions checks that documents with the same title and jurisdiction
// are versions of one work, newest first, the newest 现行 and the others
// 已修改; another jurisdiction's document of the same title is another work.
func TestVersions(t *testing.T) {
	sh := &Jurisdiction{Code: "310000", Name: "上海市", Level: "province", Path: []string{"上海市"}}
	zj := &Jurisdiction{Code: "330000", Name: "浙江省", Level: "province", Path: []string{"浙江省"}}
	doc := func(id, title, date string, j *Jurisdiction) *Document {
		return &Document{Meta: Meta{ID: id, Title: title, IssueDate: date, Jurisdiction: j}}
	}
	docs := []*Document{
		doc("a", "上海市信访条例", "2012-01-01", sh),
		doc("b", "上海市信访条例", "2020-05-14", sh),
		doc("c", "上海市信访条例", "2017-03-01", sh),
		doc("d", "上海市信访条例", "2020-05-14", zj),
		doc("e", "其他条例", "2019-01-01", sh),
	}
	if _, err := New(docs); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"a": "已修改 b,c,a", "b": "现行 b,c,a", "c": "已修改 b,c,a", "d": "现行 ", "e": "现行 "}
	for _, d := range docs {
		if got := d.Status + " " + strings.Join(d.Versions, ","); got != want[d.ID] {
			t.Errorf("%s: %q, want %q", d.ID, got, want[d.ID])
		}
	}
	if !sh.Within("上海市") || !sh.Within("全国") || sh.Within("浙江省") {
		t.Error("Within")
	}
}
