package search

import (
	"context"
	"encoding/json"
	"math"
	"math/rand"
	"path/filepath"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// TestResponseJSONHasNoNulls checks that list fields of the API are JSON
// arrays even when empty, so clients never have to handle null.
func TestResponseJSONHasNoNulls(t *testing.T) {
	f := seeds(t)
	for _, q := range []string{"district:巫溪县", "district:不存在的区县", `"不存在的短语XYZ"`} {
		resp := search(t, f.svc, Request{Query: q, Limit: 1})
		b, err := json.Marshal(resp)
		if err != nil {
			t.Fatal(err)
		}
		if strings.Contains(string(b), "null") {
			t.Errorf("%s: response JSON contains null: %s", q, b)
		}
	}
}

// TestAppendJSONIsMarshal: Response.AppendJSON writes exactly what
// encoding/json writes, for real answers and for hostile values.
func TestAppendJSONIsMarshal(t *testing.T) {
	f := seeds(t)
	var resps []*Response
	for _, q := range []string{"集团化办学", "学前教育 普惠", "双减 OR 课后服务", "职业教育 -高职", "district:巫溪县",
		"毛入园率 type:target target>=90", `"不存在的短语XYZ"`, "教育"} {
		resps = append(resps, search(t, f.svc, Request{Query: q, Limit: 200}))
	}
	hostile := "a\"b\\c<d>e&f\x00\x01\x1f\b\f\n\r\t\u2028\u2029\xff\xe2\x80\u00e9学\u007f 'x' \xe0\x80\x80 \xe0\xa0\x80 \xed\xa0\x80 \xed\x9f\xbf \ufffd 😀 \xf0\x9f é\xe5\xad"
	resps = append(resps, &Response{}, &Response{
		Query: hostile, Total: 1<<64 - 1, TookMS: 1e-7, Notice: hostile, Terms: []string{hostile, ""},
		Hits: []Hit{{ID: "\xe5\xad", DocID: "\xe2\x80\xa8", DocTitle: "学\xe2\x80"}, {ID: hostile, Themes: []string{}, Score: 1e21}, {Text: hostile, Breadcrumb: []string{hostile}, Fragments: []string{}, Score: -0.5}, {Score: 123456789.125}},
		Facets: Facets{District: []FacetValue{{Value: hostile, Count: -3}}, Theme: []FacetValue{},
			Region: []FacetValue{{Value: hostile, Count: 2, Path: []string{hostile}, Children: []FacetValue{{Value: "东营市", Count: 1, Path: []string{hostile, "东营市"}, Children: []FacetValue{}}}}},
			Year:   []FacetValue{{Value: "2022", Path: []string{}}}},
	}, &Response{Hits: []Hit{
		{Jurisdiction: &corpus.Jurisdiction{Code: hostile, Name: "<东营市>", Level: "city", Path: []string{"山东省", hostile}}, DocType: hostile, Level: "法律", Status: "现行", Versions: []string{"a", hostile}},
		{Jurisdiction: &corpus.Jurisdiction{}, Versions: []string{}},
	}})
	// the document facets and metadata of a constructed corpus
	c := metaCorpus(t)
	svc, err := Ensure(context.Background(), filepath.Join(t.TempDir(), "idx"), c, f.seg, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer svc.Close()
	for _, q := range []string{`"教育"`, "region:山东省", "status:已修改"} {
		resps = append(resps, search(t, svc, Request{Query: q, Limit: 100}))
	}
	resps = append(resps, &Response{Jump: &Jump{DocID: hostile, Title: "《x》", Article: "第二十一条", UnitID: hostile, URL: "/c/a/art21", Citation: hostile, Text: hostile}})
	for _, r := range resps {
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.AppendJSON([]byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		if string(got[1:]) != string(want) {
			t.Errorf("%q: AppendJSON differs from json.Marshal:\n%s\n%s", r.Query, got[1:], want)
		}
	}
	// grouped answers: real ones over both corpora and hostile values
	var grouped []*GroupedResponse
	for _, q := range []string{"集团化办学", "学前教育 普惠", "district:巫溪县", `"不存在的短语XYZ"`, "教育"} {
		g, err := f.svc.SearchGrouped(context.Background(), Request{Query: q, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		grouped = append(grouped, g)
	}
	for _, q := range []string{`"教育"`, "region:山东省", "status:已修改"} {
		g, err := svc.SearchGrouped(context.Background(), Request{Query: q, Limit: 50})
		if err != nil {
			t.Fatal(err)
		}
		grouped = append(grouped, g)
	}
	grouped = append(grouped, &GroupedResponse{}, &GroupedResponse{
		Query: hostile, Total: 1<<64 - 1, TotalDocuments: 3, TookMS: 1e-7, Notice: hostile, Terms: []string{hostile},
		Documents: []DocGroup{{DocID: hostile, Title: hostile, Status: "现行", IssueDate: hostile, Score: 1e21,
			Hits: []Hit{{ID: hostile, Score: -0.5}}, Versions: []VersionMatch{{DocID: hostile, Status: hostile, IssueDate: "2020-01-01", URL: hostile, Total: 7}, {}}},
			{Versions: []VersionMatch{}, Hits: []Hit{}}, {}},
		Facets: Facets{Region: []FacetValue{{Value: hostile, Count: 2, Path: []string{hostile}}}},
		Jump:   &Jump{DocID: hostile, Title: "《x》", Article: "第二十一条", Text: hostile},
	})
	for _, r := range grouped {
		want, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		got, err := r.AppendJSON([]byte("x"))
		if err != nil {
			t.Fatal(err)
		}
		if string(got[1:]) != string(want) {
			t.Errorf("grouped %q: AppendJSON differs from json.Marshal:\n%s\n%s", r.Query, got[1:], want)
		}
	}
	for _, bad := range []float64{math.NaN(), math.Inf(1), math.Inf(-1)} {
		if _, err := (&GroupedResponse{Documents: []DocGroup{{Score: bad}}}).AppendJSON(nil); err == nil {
			t.Errorf("grouped AppendJSON accepted score %v", bad)
		}
		if _, err := (&Response{TookMS: bad}).AppendJSON(nil); err == nil {
			t.Errorf("AppendJSON accepted %v", bad)
		}
		if _, err := (&Response{Hits: []Hit{{Score: bad}}}).AppendJSON(nil); err == nil {
			t.Errorf("AppendJSON accepted score %v", bad)
		}
	}
}

// TestAppendJSONStringRandom compares appendJSONString with encoding/json
// on random byte strings built from pieces of UTF-8 and of broken UTF-8.
func TestAppendJSONStringRandom(t *testing.T) {
	pieces := []string{"a", "<", "&", "\"", "\\", "\x00", "\x7f", "学", "\u2028", "\u2029", "\xe2\x80", "\xe2", "\x80",
		"\xe0\xa0\x80", "\xe0\x9f\xbf", "\xed\x9f\xbf", "\xed\xa0\x80", "\xef\xbf\xbd", "😀", "\xf0\x9f", "é", "\xc3", "，"}
	rng := rand.New(rand.NewSource(1))
	for range 20000 {
		var sb strings.Builder
		for range rng.Intn(8) {
			sb.WriteString(pieces[rng.Intn(len(pieces))])
		}
		s := sb.String()
		want, err := json.Marshal(s)
		if err != nil {
			t.Fatal(err)
		}
		if got := appendJSONString(nil, s); string(got) != string(want) {
			t.Fatalf("appendJSONString(%q) = %s, want %s", s, got, want)
		}
	}
}
