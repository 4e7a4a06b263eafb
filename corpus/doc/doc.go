// Package doc reads Word 97–2003 binary documents (.doc), including the
// .doc and .wps files WPS Office saves in that format, into a
// corpus.Source: paragraphs in reading order (main text, then footnotes,
// endnotes and text boxes), tables as corpus.BlockTable, and the title and
// creation date of the SummaryInformation property set.
//
// The reader is pure Go: the compound file is opened with
// github.com/richardlehane/mscfb, the FIB, piece table and paragraph
// properties are parsed here with every offset bounds-checked.
package doc

import (
	"bytes"
	"context"
	"errors"
	"fmt"

	"github.com/zhengce/zhengce/corpus"
)

// Reader reads Word 97–2003 binary documents. It holds no state: one
// Reader may serve concurrent calls to Read.
type Reader struct{}

// New returns a Reader.
func New() *Reader { return &Reader{} }

// oleMagic is the signature of an OLE2 compound file.
const oleMagic = "\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"

// Read parses data, the bytes of a .doc or .wps file, and returns its
// content. Bad input is reported as a *corpus.Error: EINVALID for files
// that are not, or no longer, readable Word documents (encrypted, another
// Office format, truncated), ETOOLARGE when data or its text exceeds lim,
// ETIMEOUT when ctx ends first.
func (r *Reader) Read(ctx context.Context, data []byte, lim corpus.Limits) (src *corpus.Source, err error) {
	defer func() {
		if p := recover(); p != nil {
			src = nil
			err = &corpus.Error{Code: corpus.EINVALID, Message: msgCorrupt, Err: fmt.Errorf("doc: panic: %v", p)}
		}
	}()
	if lim.PerFileTimeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, lim.PerFileTimeout)
		defer cancel()
	}
	if err := ctx.Err(); err != nil {
		return nil, ctxError(err)
	}
	if len(data) == 0 {
		return nil, corpus.Errorf(corpus.EINVALID, "文件为空（0 字节），不是有效的 Word 文档。请检查文件是否完整后重新上传。")
	}
	if lim.MaxFileSize > 0 && int64(len(data)) > lim.MaxFileSize {
		return nil, corpus.Errorf(corpus.ETOOLARGE, "Word 文档过大（%d 字节），单个文件上限为 %d MB。请拆分文档后再上传。", len(data), lim.MaxFileSize>>20)
	}
	if !bytes.HasPrefix(data, []byte(oleMagic)) {
		return nil, corpus.Errorf(corpus.EINVALID, "这不是 Word 97–2003（.doc）文件：缺少复合文档文件头。如果它是 .docx 或其他格式，请改用正确的扩展名；否则请用 Word 或 WPS 打开后另存为 .docx 再上传。")
	}
	st, err := openStreams(data, lim)
	if err != nil {
		return nil, err
	}
	d, err := parseDocument(ctx, st, lim)
	if err != nil {
		return nil, err
	}
	src = &corpus.Source{Format: corpus.FormatDOC, Blocks: d}
	if st.summary != nil {
		src.Meta = parseSummary(st.summary)
	}
	return src, nil
}

// Messages shared by several failure paths.
const (
	msgCorrupt   = "无法读取此 Word 文档：文件结构已损坏或不完整。请用 Word 或 WPS 打开后另存为 .docx 再上传。"
	msgEncrypted = "此 Word 文档已加密（设置了打开密码），无法读取其文字。请在 Word 或 WPS 中取消密码保护后重新上传。"
)

// corrupt returns the EINVALID error of a damaged file with cause err.
func corrupt(err error) error {
	return &corpus.Error{Code: corpus.EINVALID, Message: msgCorrupt, Err: err}
}

// ctxError converts the error of an ended context to a *corpus.Error.
func ctxError(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &corpus.Error{Code: corpus.ETIMEOUT, Message: "读取 Word 文档超时，文件可能过大或结构异常。请拆分文档或另存为 .docx 后重试。", Err: err}
	}
	return &corpus.Error{Code: corpus.ETIMEOUT, Message: "读取 Word 文档的操作已取消。", Err: err}
}
