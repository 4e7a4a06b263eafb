package zipfile

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// ctxEvery is how many tokens a Decoder reads between two checks of the
// context.
const ctxEvery = 4096

// maxNames bounds the decoder's table of interned element and attribute
// names.
const maxNames = 4096

// Kind is the kind of an XML token.
type Kind uint8

// Token kinds.
const (
	Start Kind = iota + 1 // a start tag, also of an empty element
	End                   // an end tag, also after a self-closing tag
	Text                  // character data, CDATA sections included
)

// Decoder streams the tokens of one XML part, with entities and character
// references decoded. Comments, processing instructions and the document
// type declaration are skipped; entities a DTD declares are not expanded.
// Names are matched by their local part (prefixes are not resolved to
// namespaces). It allocates little and is several times faster than
// encoding/xml, which matters for DOCX and OFD parts of megabytes.
//
// It fails with ETOOLARGE when elements nest deeper than the limit, with
// ETIMEOUT when the context is done, and with EINVALID when the part is
// not well-formed (an unclosed tag, a mismatched end tag, unclosed
// elements at the end).
type Decoder struct {
	data     []byte
	pos      int
	ctx      context.Context
	kind     string
	name     string
	maxDepth int
	n        int

	stack   [][]byte // names of the open elements (slices of data)
	pendEnd bool     // a self-closing tag's End is due
	prefix  string
	local   string
	attrs   []attr
	text    []byte
	buf     []byte
	names   map[string]string
}

// attr is an attribute of the current start tag, its value not yet
// unescaped.
type attr struct {
	local string
	raw   []byte
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
// most maxDepth deep (no limit when maxDepth <= 0). Parts in UTF-16 (with
// a byte order mark) or declared in GB2312, GBK or GB18030 are converted;
// any other part is read as UTF-8.
func NewDecoder(ctx context.Context, data []byte, kind, name string, maxDepth int) *Decoder {
	return &Decoder{data: toUTF8(data), ctx: ctx, kind: kind, name: name, maxDepth: maxDepth,
		names: map[string]string{}}
}

// toUTF8 converts a part to UTF-8 by its byte order mark or declared
// encoding.
func toUTF8(data []byte) []byte {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		return data[3:]
	case bytes.HasPrefix(data, []byte("\xFF\xFE")), bytes.HasPrefix(data, []byte("\xFE\xFF")):
		if out, err := unicode.UTF16(unicode.BigEndian, unicode.UseBOM).NewDecoder().Bytes(data); err == nil {
			return out
		}
		return data
	}
	if !bytes.HasPrefix(data, []byte("<?xml")) {
		return data
	}
	end := bytes.Index(data, []byte("?>"))
	if end < 0 {
		return data
	}
	decl := bytes.ToLower(data[:end])
	for _, enc := range []string{"gb2312", "gbk", "gb18030", "cp936", "euc-cn"} {
		if bytes.Contains(decl, []byte(`"`+enc+`"`)) || bytes.Contains(decl, []byte(`'`+enc+`'`)) {
			if out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data); err == nil {
				return out
			}
			return data
		}
	}
	return data
}

// Depth returns how many elements are open; after a Start, its element
// counts.
func (d *Decoder) Depth() int { return len(d.stack) }

// Local returns the local name of the current Start or End token.
func (d *Decoder) Local() string { return d.local }

// Prefix returns the namespace prefix of the current Start or End token.
func (d *Decoder) Prefix() string { return d.prefix }

// Text returns the text of the current Text token, valid until the next
// call of Next.
func (d *Decoder) Text() []byte { return d.text }

// Attr returns the value of the attribute of the current Start token whose
// local name is local, whatever its prefix, and "" when there is none.
func (d *Decoder) Attr(local string) string {
	for _, a := range d.attrs {
		if a.local == local {
			if bytes.IndexByte(a.raw, '&') < 0 {
				return string(a.raw)
			}
			return string(unescape(nil, a.raw))
		}
	}
	return ""
}

// Next reads the next token and returns its kind, io.EOF at the end of the
// part.
func (d *Decoder) Next() (Kind, error) {
	d.n++
	if d.n%ctxEvery == 0 {
		if err := d.ctx.Err(); err != nil {
			return 0, Canceled(err)
		}
	}
	if d.pendEnd {
		d.pendEnd = false
		d.stack = d.stack[:len(d.stack)-1]
		d.attrs = d.attrs[:0]
		return End, nil
	}
	for d.pos < len(d.data) {
		if d.data[d.pos] != '<' {
			d.charData()
			return Text, nil
		}
		rest := d.data[d.pos:]
		switch {
		case bytes.HasPrefix(rest, []byte("</")):
			return d.endTag()
		case bytes.HasPrefix(rest, []byte("<!--")):
			if err := d.skipPast("-->"); err != nil {
				return 0, err
			}
		case bytes.HasPrefix(rest, []byte("<![CDATA[")):
			end := bytes.Index(rest, []byte("]]>"))
			if end < 0 {
				return 0, d.malformed("CDATA 未结束")
			}
			d.pos += end + 3
			d.text = rest[9:end]
			return Text, nil
		case bytes.HasPrefix(rest, []byte("<!")):
			if err := d.skipDoctype(); err != nil {
				return 0, err
			}
		case bytes.HasPrefix(rest, []byte("<?")):
			if err := d.skipPast("?>"); err != nil {
				return 0, err
			}
		default:
			return d.startTag()
		}
	}
	if len(d.stack) > 0 {
		return 0, d.malformed("文件在元素结束前中断")
	}
	return 0, io.EOF
}

// Skip skips the rest of the element whose Start Next returned last.
func (d *Decoder) Skip() error {
	target := len(d.stack) - 1
	for len(d.stack) > target {
		if _, err := d.Next(); err != nil {
			return err
		}
	}
	return nil
}

// SkipRaw skips the rest of the element whose Start Next returned last
// without reading its tokens, and returns its raw content. It finds the
// end tag by counting the start and end tags of the element's own name
// only, so it is much faster than Skip; markup that merely looks like such
// a tag inside a comment or CDATA section can fool it.
func (d *Decoder) SkipRaw() ([]byte, error) {
	if d.pendEnd {
		d.pendEnd = false
		d.stack = d.stack[:len(d.stack)-1]
		return nil, nil
	}
	n := len(d.stack)
	if n == 0 {
		return nil, nil
	}
	name := d.stack[n-1]
	rest := d.data[d.pos:]
	depth := 1
	for off := 0; ; {
		i := bytes.Index(rest[off:], name)
		if i < 0 || i+off+len(name) >= len(rest) {
			return nil, d.malformed("元素未结束")
		}
		i += off
		off = i + len(name)
		if after := rest[off]; after != '>' && after != '/' && !isSpace(after) {
			continue
		}
		switch {
		case i >= 2 && rest[i-2] == '<' && rest[i-1] == '/':
			depth--
			if depth > 0 {
				continue
			}
			end := bytes.IndexByte(rest[i:], '>')
			if end < 0 {
				return nil, d.malformed("结束标签格式错误")
			}
			d.pos += i + end + 1
			d.stack = d.stack[:n-1]
			return rest[:i-2], nil
		case i >= 1 && rest[i-1] == '<':
			end := bytes.IndexByte(rest[i:], '>')
			if end < 0 {
				return nil, d.malformed("标签未结束")
			}
			if rest[i+end-1] != '/' {
				depth++
			}
		}
	}
}

func (d *Decoder) skipPast(end string) error {
	i := bytes.Index(d.data[d.pos:], []byte(end))
	if i < 0 {
		return d.malformed("注释或处理指令未结束")
	}
	d.pos += i + len(end)
	return nil
}

// skipDoctype skips <!DOCTYPE …> with its internal subset.
func (d *Decoder) skipDoctype() error {
	depth := 0
	for i := d.pos + 2; i < len(d.data); i++ {
		switch d.data[i] {
		case '[':
			depth++
		case ']':
			depth--
		case '>':
			if depth <= 0 {
				d.pos = i + 1
				return nil
			}
		}
	}
	return d.malformed("文档类型声明未结束")
}

func (d *Decoder) charData() {
	start := d.pos
	end := bytes.IndexByte(d.data[start:], '<')
	if end < 0 {
		end = len(d.data)
	} else {
		end += start
	}
	d.pos = end
	raw := d.data[start:end]
	if bytes.IndexByte(raw, '&') < 0 {
		d.text = raw
		return
	}
	d.buf = unescape(d.buf[:0], raw)
	d.text = d.buf
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func isNameEnd(c byte) bool { return isSpace(c) || c == '>' || c == '/' || c == '=' }

// readName reads a name at d.pos.
func (d *Decoder) readName() []byte {
	start := d.pos
	for d.pos < len(d.data) && !isNameEnd(d.data[d.pos]) {
		d.pos++
	}
	return d.data[start:d.pos]
}

func (d *Decoder) skipSpace() {
	for d.pos < len(d.data) && isSpace(d.data[d.pos]) {
		d.pos++
	}
}

// intern returns b as a string, shared between equal names.
func (d *Decoder) intern(b []byte) string {
	if s, ok := d.names[string(b)]; ok {
		return s
	}
	s := string(b)
	if len(d.names) < maxNames {
		d.names[s] = s
	}
	return s
}

// setName sets the current prefix and local name from a raw name.
func (d *Decoder) setName(b []byte) {
	d.prefix = ""
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		d.prefix, b = d.intern(b[:i]), b[i+1:]
	}
	d.local = d.intern(b)
}

func localPart(b []byte) []byte {
	if i := bytes.IndexByte(b, ':'); i >= 0 {
		return b[i+1:]
	}
	return b
}

func (d *Decoder) startTag() (Kind, error) {
	d.pos++ // '<'
	raw := d.readName()
	if len(raw) == 0 {
		return 0, d.malformed("标签没有名字")
	}
	d.attrs = d.attrs[:0]
	for {
		d.skipSpace()
		if d.pos >= len(d.data) {
			return 0, d.malformed("标签未结束")
		}
		switch c := d.data[d.pos]; {
		case c == '>':
			d.pos++
			return d.push(raw, false)
		case c == '/':
			if d.pos+1 >= len(d.data) || d.data[d.pos+1] != '>' {
				return 0, d.malformed("标签格式错误")
			}
			d.pos += 2
			return d.push(raw, true)
		}
		an := d.readName()
		if len(an) == 0 {
			return 0, d.malformed("属性格式错误")
		}
		d.skipSpace()
		if d.pos >= len(d.data) || d.data[d.pos] != '=' {
			return 0, d.malformed("属性缺少值")
		}
		d.pos++
		d.skipSpace()
		if d.pos >= len(d.data) || (d.data[d.pos] != '"' && d.data[d.pos] != '\'') {
			return 0, d.malformed("属性值缺少引号")
		}
		q := d.data[d.pos]
		end := bytes.IndexByte(d.data[d.pos+1:], q)
		if end < 0 {
			return 0, d.malformed("属性值未结束")
		}
		d.attrs = append(d.attrs, attr{local: d.intern(localPart(an)), raw: d.data[d.pos+1 : d.pos+1+end]})
		d.pos += end + 2
	}
}

func (d *Decoder) push(raw []byte, selfClosing bool) (Kind, error) {
	d.stack = append(d.stack, raw)
	if d.maxDepth > 0 && len(d.stack) > d.maxDepth {
		return 0, corpus.Errorf(corpus.ETOOLARGE, "%s 文件的 XML 嵌套超过 %d 层上限（%s），可能是恶意构造的文件；请检查文件来源", d.kind, d.maxDepth, d.name)
	}
	d.setName(raw)
	d.pendEnd = selfClosing
	return Start, nil
}

func (d *Decoder) endTag() (Kind, error) {
	d.pos += 2
	raw := d.readName()
	d.skipSpace()
	if d.pos >= len(d.data) || d.data[d.pos] != '>' {
		return 0, d.malformed("结束标签格式错误")
	}
	d.pos++
	if n := len(d.stack); n == 0 || !bytes.Equal(d.stack[n-1], raw) {
		return 0, d.malformed("结束标签 </" + string(raw) + "> 与开始标签不匹配")
	}
	d.stack = d.stack[:len(d.stack)-1]
	d.attrs = d.attrs[:0]
	d.setName(raw)
	return End, nil
}

// line returns the 1-based line of d.pos, for messages.
func (d *Decoder) line() int {
	return bytes.Count(d.data[:min(d.pos, len(d.data))], []byte("\n")) + 1
}

func (d *Decoder) malformed(what string) error {
	return &corpus.Error{Code: corpus.EINVALID,
		Message: fmt.Sprintf("%s 文件已损坏：%s 第 %d 行不是有效的 XML；请用原软件重新导出后再上传", d.kind, d.name, d.line()),
		Err:     errors.New(what)}
}

// unescape appends raw with its entity and character references decoded
// to dst. Unknown or malformed references are kept as they are.
func unescape(dst, raw []byte) []byte {
	for len(raw) > 0 {
		i := bytes.IndexByte(raw, '&')
		if i < 0 {
			return append(dst, raw...)
		}
		dst = append(dst, raw[:i]...)
		raw = raw[i:]
		semi := bytes.IndexByte(raw[:min(len(raw), 12)], ';')
		if semi < 0 {
			dst = append(dst, '&')
			raw = raw[1:]
			continue
		}
		ent := string(raw[1:semi])
		switch ent {
		case "amp":
			dst = append(dst, '&')
		case "lt":
			dst = append(dst, '<')
		case "gt":
			dst = append(dst, '>')
		case "quot":
			dst = append(dst, '"')
		case "apos":
			dst = append(dst, '\'')
		case "nbsp":
			dst = utf8.AppendRune(dst, '\u00A0')
		default:
			r, ok := charRef(ent)
			if !ok {
				dst = append(dst, raw[:semi+1]...)
				break
			}
			dst = utf8.AppendRune(dst, r)
		}
		raw = raw[semi+1:]
	}
	return dst
}

// charRef decodes the body of a character reference ("#20013", "#x4E2D").
func charRef(ent string) (rune, bool) {
	if len(ent) < 2 || ent[0] != '#' {
		return 0, false
	}
	var n uint64
	var err error
	if ent[1] == 'x' || ent[1] == 'X' {
		n, err = strconv.ParseUint(ent[2:], 16, 32)
	} else {
		n, err = strconv.ParseUint(ent[1:], 10, 32)
	}
	if err != nil || n == 0 || !utf8.ValidRune(rune(n)) {
		return 0, false
	}
	return rune(n), true
}
