package zipfile

import (
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/zhengce/zhengce/corpus"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// ctxEvery is how many tokens a Decoder reads between two checks of the
// context.
const ctxEvery = 4096

// Decoder streams the tokens of one XML part. It fails with ETOOLARGE when
// elements nest deeper than the limit, with ETIMEOUT when the context is
// done, and with EINVALID when the part is not well-formed XML. The text
// of a CharData token is only valid until the next call of Token.
type Decoder struct {
	d        *xml.Decoder
	ctx      context.Context
	kind     string
	name     string
	depth    int
	maxDepth int
	n        int
}

// Decoder decompresses the entry called name (see ReadFile) and returns a
// Decoder over it, bounded by the archive's MaxDepth.
func (a *Archive) Decoder(ctx context.Context, name string) (*Decoder, error) {
	data, err := a.ReadFile(ctx, name)
	if err != nil {
		return nil, err
	}
	return NewDecoder(ctx, data, a.kind, name, a.lim.MaxDepth), nil
}

// NewDecoder returns a Decoder over data, the XML part called name of a
// file of the given kind (both for messages), whose elements may nest at
// most maxDepth deep (no limit when maxDepth <= 0). Parts declared in
// GB2312, GBK or GB18030 are decoded; other declared encodings are read as
// UTF-8.
func NewDecoder(ctx context.Context, data []byte, kind, name string, maxDepth int) *Decoder {
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	d := xml.NewDecoder(bytes.NewReader(data))
	d.Entity = xml.HTMLEntity
	d.CharsetReader = charsetReader
	return &Decoder{d: d, ctx: ctx, kind: kind, name: name, maxDepth: maxDepth}
}

func charsetReader(label string, r io.Reader) (io.Reader, error) {
	switch strings.ToLower(strings.TrimSpace(label)) {
	case "gb2312", "gbk", "cp936", "gb18030", "x-gbk", "euc-cn":
		return simplifiedchinese.GB18030.NewDecoder().Reader(r), nil
	}
	return r, nil
}

// Depth returns how many elements are open.
func (d *Decoder) Depth() int { return d.depth }

// Token returns the next token, io.EOF at the end of the part.
func (d *Decoder) Token() (xml.Token, error) {
	d.n++
	if d.n%ctxEvery == 0 {
		if err := d.ctx.Err(); err != nil {
			return nil, Canceled(err)
		}
	}
	tok, err := d.d.Token()
	if err != nil {
		if errors.Is(err, io.EOF) {
			if d.depth > 0 {
				return nil, d.malformed(io.ErrUnexpectedEOF)
			}
			return nil, io.EOF
		}
		return nil, d.malformed(err)
	}
	switch tok.(type) {
	case xml.StartElement:
		d.depth++
		if d.maxDepth > 0 && d.depth > d.maxDepth {
			return nil, corpus.Errorf(corpus.ETOOLARGE, "%s 文件的 XML 嵌套超过 %d 层上限（%s），可能是恶意构造的文件；请检查文件来源", d.kind, d.maxDepth, d.name)
		}
	case xml.EndElement:
		d.depth--
	}
	return tok, nil
}

// Skip skips the rest of the element whose start tag Token returned last.
func (d *Decoder) Skip() error {
	target := d.depth - 1
	for d.depth > target {
		if _, err := d.Token(); err != nil {
			return err
		}
	}
	return nil
}

func (d *Decoder) malformed(err error) error {
	where := ""
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		where = fmt.Sprintf(" 第 %d 行", se.Line)
	}
	return &corpus.Error{Code: corpus.EINVALID,
		Message: fmt.Sprintf("%s 文件已损坏：%s%s 不是有效的 XML；请用原软件重新导出后再上传", d.kind, d.name, where),
		Err:     err}
}

// Attr returns the value of the attribute of e whose local name is local,
// whatever its namespace, and "" when there is none.
func Attr(e xml.StartElement, local string) string {
	for _, a := range e.Attr {
		if a.Name.Local == local {
			return a.Value
		}
	}
	return ""
}
