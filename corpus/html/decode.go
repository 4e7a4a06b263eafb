package html

import (
	"bytes"
	"unicode/utf8"

	"golang.org/x/net/html/charset"
	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/unicode"
)

// prescanSize is how much of the start of a page is searched for a
// charset declaration. Browsers look at 1024 bytes; saved pages often put
// long comments or scripts first, so more is read.
const prescanSize = 16 << 10

// decode returns the page as UTF-8 text and the name of the encoding it
// was read in. A byte order mark wins; then valid UTF-8 is UTF-8 whatever
// the page declares (a page saved by a browser is re-encoded while its
// <meta charset> is kept); then a declared charset other than UTF-8; else
// GB18030, the superset of GBK and GB2312 that Chinese sites use when
// they declare nothing or declare UTF-8 wrongly.
func decode(data []byte) (string, string, error) {
	switch {
	case bytes.HasPrefix(data, []byte("\xEF\xBB\xBF")):
		return toValidUTF8(data[3:]), "utf-8", nil
	case bytes.HasPrefix(data, []byte("\xFF\xFE")):
		return decodeWith(unicode.UTF16(unicode.LittleEndian, unicode.UseBOM), data, "utf-16le")
	case bytes.HasPrefix(data, []byte("\xFE\xFF")):
		return decodeWith(unicode.UTF16(unicode.BigEndian, unicode.UseBOM), data, "utf-16be")
	}
	if utf8.Valid(data) {
		return string(data), "utf-8", nil
	}
	if enc, name := declared(data[:min(len(data), prescanSize)]); enc != nil && name != "utf-8" && !isGB(name) {
		return decodeWith(enc, data, name)
	}
	return decodeWith(simplifiedchinese.GB18030, data, "gb18030")
}

// decodeWith decodes data with enc; invalid sequences become U+FFFD.
func decodeWith(enc encoding.Encoding, data []byte, name string) (string, string, error) {
	out, err := enc.NewDecoder().Bytes(data)
	if err != nil {
		return "", name, err
	}
	return toValidUTF8(out), name, nil
}

// toValidUTF8 returns b as a string with invalid sequences replaced.
func toValidUTF8(b []byte) string {
	if utf8.Valid(b) {
		return string(b)
	}
	return string(bytes.ToValidUTF8(b, []byte("\uFFFD")))
}

// isGB reports whether an encoding name is of the GB family.
func isGB(name string) bool {
	return name == "gbk" || name == "gb18030" || name == "gb2312"
}

// declared returns the encoding a page declares in <meta charset> or
// <meta http-equiv="Content-Type" content="…; charset=…">, looking for
// the first "charset" followed by a known label in head.
func declared(head []byte) (encoding.Encoding, string) {
	low := bytes.ToLower(head)
	for {
		i := bytes.Index(low, []byte("charset"))
		if i < 0 {
			return nil, ""
		}
		low = low[i+len("charset"):]
		s := bytes.TrimLeft(low, " \t\r\n")
		if len(s) == 0 || s[0] != '=' {
			continue
		}
		s = bytes.TrimLeft(s[1:], " \t\r\n\"'")
		end := bytes.IndexAny(s, " \t\r\n\"';>/")
		if end < 0 {
			end = len(s)
		}
		if enc, name := charset.Lookup(string(s[:end])); enc != nil {
			return enc, name
		}
	}
}
