package doc

import (
	"unicode/utf8"

	"golang.org/x/text/encoding"
	"golang.org/x/text/encoding/simplifiedchinese"
)

// newDecoder returns the decoder of the pieces of a document, deciding how
// its 8-bit pieces are encoded.
func newDecoder(f *fib, w []byte, pieces []piece) *decoder {
	d := &decoder{w: w, pieces: pieces}
	if eightBitIsGBK(f, w, pieces) {
		d.gbk = simplifiedchinese.GBK.NewDecoder()
	}
	return d
}

// eightBitIsGBK reports whether the 8-bit ("compressed") pieces of a
// document hold GBK text rather than the cp1252 of the specification.
// Word writes non-Latin text as UTF-16 pieces, but files saved by WPS or
// by Word with code page 936 may store Chinese as GBK byte pairs in 8-bit
// pieces. Common Chinese characters are GB2312 pairs, both bytes in
// 0xA1–0xFE; cp1252 symbols before ASCII ("25°C", "±5%") make pairs with
// a low second byte, which are weak evidence. The pieces are GBK when
// GB2312 pairs dominate: a majority of the high bytes in a Chinese
// document (FIB lid or lidFE), nearly all of them otherwise.
func eightBitIsGBK(f *fib, w []byte, pieces []piece) bool {
	var strong, weak int
	for _, p := range pieces {
		if p.wide {
			continue
		}
		b := w[p.off : p.off+(p.cp1-p.cp0)]
		for i := 0; i < len(b); i++ {
			c := b[i]
			if c < 0x80 {
				continue
			}
			if c >= 0xA1 && c < 0xFF && i+1 < len(b) && b[i+1] >= 0xA1 && b[i+1] < 0xFF {
				strong++
				i++
				continue
			}
			weak++
		}
	}
	if isChinese(f.lid) || isChinese(f.lidFE) {
		return strong > 0 && weak <= strong
	}
	return strong >= 4 && weak*10 <= strong
}

// isChinese reports whether lid is a Chinese language id (simplified or
// traditional, any region).
func isChinese(lid uint16) bool {
	return lid&0x3FF == 0x04
}

// gbkTrail reports whether c can be the second byte of a GBK character.
func gbkTrail(c byte) bool {
	return c >= 0x40 && c <= 0xFE && c != 0x7F
}

// decodeGBK decodes the GBK byte pair c1 c2 with dec.
func decodeGBK(dec *encoding.Decoder, c1, c2 byte) rune {
	var dst [8]byte
	src := [2]byte{c1, c2}
	dec.Reset()
	n, _, err := dec.Transform(dst[:], src[:], true)
	if err != nil || n == 0 {
		return utf8.RuneError
	}
	r, _ := utf8.DecodeRune(dst[:n])
	return r
}

// cp1252 maps a byte of an 8-bit piece to its character: Latin-1 except
// for the cp1252 characters of 0x80–0x9F ([MS-DOC] 2.4.1).
func cp1252(c byte) rune {
	if c >= 0x80 && c < 0xA0 {
		if r := cp1252High(c - 0x80); r != 0 {
			return r
		}
	}
	return rune(c)
}

// cp1252High returns the cp1252 character of a byte in 0x80–0x9F, or 0
// where cp1252 has none (the byte is then a C1 control, dropped).
func cp1252High(i byte) rune {
	const table = "\u20AC\x00\u201A\u0192\u201E\u2026\u2020\u2021" +
		"\u02C6\u2030\u0160\u2039\u0152\x00\u017D\x00" +
		"\x00\u2018\u2019\u201C\u201D\u2022\u2013\u2014" +
		"\u02DC\u2122\u0161\u203A\u0153\x00\u017E\u0178"
	for _, r := range table {
		if i == 0 {
			return r
		}
		i--
	}
	return 0
}
