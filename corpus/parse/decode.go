package parse

import (
	"bytes"
	"strings"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// decode returns data as UTF-8 text with the byte order mark removed and
// line endings normalised to "\n". UTF-8 is used when data is valid UTF-8;
// otherwise data is decoded as GB18030 (a superset of GBK and GB2312).
// Binary data and bytes that are neither UTF-8 nor GB18030 are rejected
// with an EINVALID error; data over MaxDocumentSize with ETOOLARGE.
func decode(source string, data []byte) (string, error) {
	name := source
	if name == "" {
		name = "文档"
	}
	if len(data) > corpus.MaxDocumentSize {
		return "", corpus.Errorf(corpus.ETOOLARGE, "%s 过大（%d 字节），单个文档上限为 %d MB", name, len(data), corpus.MaxDocumentSize>>20)
	}
	// UTF-16 with a byte order mark: Windows "Unicode" text files.
	if bytes.HasPrefix(data, []byte{0xFF, 0xFE}) || bytes.HasPrefix(data, []byte{0xFE, 0xFF}) {
		out, err := unicode.UTF16(unicode.LittleEndian, unicode.UseBOM).NewDecoder().Bytes(data)
		if err != nil || !utf8.Valid(out) || bytes.ContainsRune(out, utf8.RuneError) {
			return "", &corpus.Error{Code: corpus.EINVALID, Message: name + " 不是有效的 UTF-16 文本", Err: err}
		}
		data = out
	}
	data = bytes.TrimPrefix(data, []byte("\xEF\xBB\xBF"))
	if bytes.IndexByte(data, 0) >= 0 {
		return "", corpus.Errorf(corpus.EINVALID, "%s 是二进制文件，不是文本文档", name)
	}
	var text string
	if utf8.Valid(data) {
		text = string(data)
	} else if bad, multi := utf8Damage(data); multi >= 8 && bad*50 <= multi {
		// Mostly UTF-8 Chinese with a few broken bytes: decoding it as
		// GB18030 would silently produce nonsense.
		return "", corpus.Errorf(corpus.EINVALID, "%s 是 UTF-8 文本，但有 %d 处无效字节（文件可能已损坏）", name, bad)
	} else {
		out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(data)
		if err != nil || bytes.ContainsRune(out, utf8.RuneError) || !utf8.Valid(out) {
			return "", &corpus.Error{Code: corpus.EINVALID, Message: name + " 既不是有效的 UTF-8 文本，也不是 GBK/GB18030 文本", Err: err}
		}
		text = string(out)
	}
	if binaryText(text) {
		return "", corpus.Errorf(corpus.EINVALID, "%s 含有大量控制字符，不是文本文档", name)
	}
	text = strings.ReplaceAll(text, "\r\n", "\n")
	text = strings.ReplaceAll(text, "\r", "\n")
	if strings.TrimSpace(text) == "" {
		return "", corpus.Errorf(corpus.EINVALID, "%s 是空文档", name)
	}
	return text, nil
}

// binaryText reports whether text has so many control characters (other
// than tab, newline, carriage return and form feed) that it cannot be a
// document.
func binaryText(text string) bool {
	n, bad := 0, 0
	for _, r := range text {
		n++
		if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' || r == 0x7F {
			bad++
		}
	}
	return bad > 0 && bad*20 > n
}

// utf8Damage counts the invalid bytes of data and its valid multi-byte
// UTF-8 sequences.
func utf8Damage(data []byte) (bad, multi int) {
	for len(data) > 0 {
		r, size := utf8.DecodeRune(data)
		switch {
		case r == utf8.RuneError && size <= 1:
			bad++
		case size > 1:
			multi++
		}
		data = data[size:]
	}
	return bad, multi
}
