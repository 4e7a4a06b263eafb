package zipfile

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

func zipOf(t testing.TB, files ...string) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for i := 0; i+1 < len(files); i += 2 {
		w, err := zw.Create(files[i])
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write([]byte(files[i+1])); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func TestResolve(t *testing.T) {
	a, err := Open(zipOf(t, "Doc_0/Pages/Page_0/Content.xml", "x", "Doc_0/Tpls/T.xml", "y", "OFD.xml", "z"), corpus.Limits{}, "OFD")
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		ref   string
		bases []string
		want  string
	}{
		{"Pages/Page_0/Content.xml", []string{"Doc_0"}, "Doc_0/Pages/Page_0/Content.xml"},
		{"/Doc_0/Pages/Page_0/Content.xml", []string{"Doc_0"}, "Doc_0/Pages/Page_0/Content.xml"},
		{"Doc_0/Pages/Page_0/Content.xml", []string{"Doc_0"}, "Doc_0/Pages/Page_0/Content.xml"},
		{"pages\\page_0\\content.XML", []string{"Doc_0"}, "Doc_0/Pages/Page_0/Content.xml"},
		{"../Tpls/T.xml", []string{"Doc_0/Pages"}, "Doc_0/Tpls/T.xml"},
		{"ofd.xml", nil, "OFD.xml"},
		{"Doc_0", nil, ""},
		{"", nil, ""},
		{"../../../etc/passwd", []string{"Doc_0"}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.ref, func(t *testing.T) {
			got, ok := a.Resolve(tt.ref, tt.bases...)
			if got != tt.want || ok != (tt.want != "") {
				t.Errorf("Resolve(%q, %q) = %q, %v; want %q", tt.ref, tt.bases, got, ok, tt.want)
			}
		})
	}
}

func TestReadFileLimits(t *testing.T) {
	data := zipOf(t, "a.xml", strings.Repeat("a", 600), "b.xml", strings.Repeat("b", 600))
	a, err := Open(data, corpus.Limits{MaxUnzipped: 1000}, "DOCX")
	if err != nil {
		t.Fatal(err)
	}
	if got, err := a.ReadFile(context.Background(), "a.xml"); err != nil || len(got) != 600 {
		t.Fatalf("ReadFile(a) = %d bytes, %v", len(got), err)
	}
	if _, err := a.ReadFile(context.Background(), "b.xml"); corpus.ErrorCode(err) != corpus.ETOOLARGE {
		t.Errorf("ReadFile(b) over the total: %v, want ETOOLARGE", err)
	}
	if _, err := a.ReadFile(context.Background(), "c.xml"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ReadFile(c) = %v, want ErrNotFound", err)
	}
	if _, err := Open(data, corpus.Limits{MaxZipEntries: 1}, "DOCX"); corpus.ErrorCode(err) != corpus.ETOOLARGE {
		t.Errorf("Open over MaxZipEntries: %v", err)
	}
	if _, err := Open(data, corpus.Limits{MaxFileSize: 10}, "DOCX"); corpus.ErrorCode(err) != corpus.ETOOLARGE {
		t.Errorf("Open over MaxFileSize: %v", err)
	}
	if n, ok := declaredEntries(data); !ok || n != 2 {
		t.Errorf("declaredEntries = %d, %v; want 2", n, ok)
	}
}

// tokens renders every token of a part, one per line.
func tokens(t *testing.T, d *Decoder) (string, error) {
	t.Helper()
	var b strings.Builder
	for {
		k, err := d.Next()
		if errors.Is(err, io.EOF) {
			return b.String(), nil
		}
		if err != nil {
			return b.String(), err
		}
		switch k {
		case Start:
			fmt.Fprintf(&b, "<%s:%s id=%q d=%d>", d.Prefix(), d.Local(), d.Attr("id"), d.Depth())
			if d.Local() == "skip" {
				raw, err := d.SkipRaw()
				if err != nil {
					return b.String(), err
				}
				fmt.Fprintf(&b, "[%s]", raw)
			}
		case End:
			fmt.Fprintf(&b, "</%s>", d.Local())
		case Text:
			fmt.Fprintf(&b, "%q", d.Text())
		}
	}
}

func TestDecoder(t *testing.T) {
	tests := []struct {
		name, in, want, err string
	}{
		{
			name: "entities, CDATA, comments, declarations",
			in:   `<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><!-- c --><w:a id="1&amp;2">x&lt;&#20013;&#x6587;&e;&nbsp<![CDATA[<b>]]></w:a>`,
			want: `<w:a id="1&2" d=1>"x<中文&e;&nbsp""<b>"</a>`,
		},
		{
			name: "self-closing and single quotes",
			in:   `<a><b id='x'/><c/></a>`,
			want: `<:a id="" d=1><:b id="x" d=2></b><:c id="" d=2></c></a>`,
		},
		{
			name: "SkipRaw counts nested tags of its name",
			in:   `<r><skip id="1"><x/><skip>in<skip/></skip><skipped/></skip><y/></r>`,
			want: `<:r id="" d=1><:skip id="1" d=2>[<x/><skip>in<skip/></skip><skipped/>]<:y id="" d=2></y></r>`,
		},
		{name: "mismatched end tag", in: `<a><b></a></b>`, err: "不匹配"},
		{name: "unclosed element", in: `<a><b></b>`, err: "中断"},
		{name: "unclosed tag", in: `<a id="1"`, err: "XML"},
		{name: "too deep", in: strings.Repeat("<a>", 11) + strings.Repeat("</a>", 11), err: "嵌套"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := tokens(t, NewDecoder(context.Background(), []byte(tt.in), "DOCX", "x.xml", 10))
			if tt.err != "" {
				var ce *corpus.Error
				if !errors.As(err, &ce) || !strings.Contains(ce.Error(), tt.err) {
					t.Errorf("err = %v, want a message with %q", err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Errorf("tokens = %s, %v\nwant %s", got, err, tt.want)
			}
		})
	}
}

func TestDecoderEncodings(t *testing.T) {
	gbk := append([]byte(`<?xml version="1.0" encoding="GBK"?><a>`), 0xD6, 0xD0, 0xCE, 0xC4) // 中文
	gbk = append(gbk, []byte(`</a>`)...)
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range `<a>中文</a>` {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	for name, in := range map[string][]byte{"GBK": gbk, "UTF-16": utf16, "BOM": []byte("\xEF\xBB\xBF<a>中文</a>")} {
		t.Run(name, func(t *testing.T) {
			got, err := tokens(t, NewDecoder(context.Background(), in, "OFD", "x.xml", 0))
			if want := `<:a id="" d=1>"中文"</a>`; err != nil || got != want {
				t.Errorf("tokens = %s, %v; want %s", got, err, want)
			}
		})
	}
}
