// Package html reads web pages saved from Chinese government websites: it
// decodes the page (UTF-8 or the GB family, declared or detected), finds
// the article body among the site's chrome (navigation, breadcrumbs,
// metadata boxes, related-link lists, print and share widgets, footers)
// and returns the body as paragraphs, headings and tables in reading
// order, with the metadata the page states about the document.
package html

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/zhengce/zhengce/corpus"
	"golang.org/x/net/html"
)

// parserDepth is the nesting depth at which golang.org/x/net/html gives
// up on a page; deeper pages are rejected before and after parsing.
const parserDepth = 512

// Reader reads HTML pages. It holds no state; one Reader may be used by
// many goroutines.
type Reader struct{}

// New returns an HTML reader.
func New() *Reader { return &Reader{} }

// Read extracts the article of a saved web page. It honours ctx and the
// MaxFileSize, MaxDepth and MaxTextSize limits of lim (a zero limit is no
// limit, except depth, which never exceeds 512). A page without an
// article body is an EINVALID error.
func (r *Reader) Read(ctx context.Context, data []byte, lim corpus.Limits) (src *corpus.Source, err error) {
	defer func() {
		if p := recover(); p != nil {
			src = nil
			err = &corpus.Error{Code: corpus.EINVALID, Message: "网页结构异常，无法读取。请在浏览器中打开该网页，另存为“网页，仅HTML”后重新上传。", Err: fmt.Errorf("html: panic: %v", p)}
		}
	}()
	if lim.MaxFileSize > 0 && int64(len(data)) > lim.MaxFileSize {
		return nil, corpus.Errorf(corpus.ETOOLARGE, "网页文件过大（%d 字节，上限 %d 字节）。请只保存正文所在的网页后重新上传。", len(data), lim.MaxFileSize)
	}
	if err := ctxErr(ctx); err != nil {
		return nil, err
	}
	text, _, err := decode(data)
	if err != nil {
		return nil, &corpus.Error{Code: corpus.EINVALID, Message: "无法识别网页的文字编码。请用浏览器打开该网页并另存为 UTF-8 编码后重新上传。", Err: err}
	}
	if isBinary(text) {
		return nil, corpus.Errorf(corpus.EINVALID, "文件不是网页：其中有大量二进制内容。请确认上传的是从浏览器保存的网页（.html）文件。")
	}
	if strings.TrimSpace(text) == "" {
		return nil, corpus.Errorf(corpus.EINVALID, "网页文件是空的。请检查保存的文件是否完整后重新上传。")
	}
	maxDepth := lim.MaxDepth
	if maxDepth <= 0 || maxDepth > parserDepth {
		maxDepth = parserDepth
	}
	root, err := html.Parse(&ctxReader{ctx: ctx, r: strings.NewReader(text)})
	if err != nil {
		if e := ctxErr(ctx); e != nil {
			return nil, e
		}
		if strings.Contains(err.Error(), "exceeds") {
			return nil, depthError(maxDepth, err)
		}
		return nil, &corpus.Error{Code: corpus.EINVALID, Message: "网页无法解析。请在浏览器中打开该网页，另存为“网页，仅HTML”后重新上传。", Err: err}
	}
	if d := depth(root, maxDepth); d > maxDepth {
		return nil, depthError(maxDepth, nil)
	}
	p := newPage(ctx, root, lim)
	return p.read()
}

// isBinary reports whether text holds control characters (NUL and other
// C0 codes than tab and line breaks) in more than 1% of its first 64 KiB,
// which no web page does.
func isBinary(text string) bool {
	text = text[:min(len(text), 64<<10)]
	ctl, n := 0, 0
	for _, r := range text {
		n++
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' {
			ctl++
		}
	}
	return ctl > 0 && ctl*100 >= n
}

// depthError is the ETOOLARGE error of a page nested deeper than max.
func depthError(max int, cause error) error {
	return &corpus.Error{Code: corpus.ETOOLARGE, Message: fmt.Sprintf("网页的元素嵌套层数超过上限（%d 层），可能已损坏或不是正常的网页。请检查文件后重新上传。", max), Err: cause}
}

// depth returns the element nesting depth of the tree under n, stopping
// once it exceeds max. The parser bounds the depth, so the recursion is
// bounded too.
func depth(n *html.Node, max int) int {
	deepest := 0
	for c := n.FirstChild; c != nil && deepest <= max; c = c.NextSibling {
		d := depth(c, max)
		if c.Type == html.ElementNode {
			d++
		}
		deepest = maxInt(deepest, d)
	}
	return deepest
}

func maxInt(a, b int) int {
	if a > b {
		return a
	}
	return b
}

// ctxErr converts a done context into the user-facing error.
func ctxErr(ctx context.Context) error {
	err := ctx.Err()
	if err == nil {
		return nil
	}
	if errors.Is(err, context.DeadlineExceeded) {
		return &corpus.Error{Code: corpus.ETIMEOUT, Message: "读取网页超时。请稍后重试，或只保存正文所在的网页后重新上传。", Err: err}
	}
	return &corpus.Error{Code: corpus.ETIMEOUT, Message: "读取网页已取消。", Err: err}
}

// ctxReader reads r in small chunks and fails once ctx is done, so the
// parser stops reading a large page when time is up.
type ctxReader struct {
	ctx context.Context
	r   *strings.Reader
}

// Read implements io.Reader.
func (c *ctxReader) Read(b []byte) (int, error) {
	if err := c.ctx.Err(); err != nil {
		return 0, err
	}
	if len(b) > 64<<10 {
		b = b[:64<<10]
	}
	return c.r.Read(b)
}

// attr returns the value of the attribute key of n.
func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// hasAttr reports whether n has the attribute key.
func hasAttr(n *html.Node, key string) bool {
	for _, a := range n.Attr {
		if a.Key == key {
			return true
		}
	}
	return false
}
