package doc

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"golang.org/x/text/encoding/simplifiedchinese"
	"golang.org/x/text/encoding/traditionalchinese"
)

// Property identifiers and types of the SummaryInformation property set
// ([MS-OLEPS]).
const (
	pidCodepage  = 1
	pidTitle     = 2
	pidCreateDTM = 12
	vtI2         = 0x02
	vtLPSTR      = 0x1E
	vtLPWSTR     = 0x1F
	vtFILETIME   = 0x40

	maxProperties = 1024
	maxTitleBytes = 4096
)

// parseSummary reads the title and creation date of a SummaryInformation
// property set stream. Anything unreadable is left empty: the metadata is
// optional. The title is often a template's leftover, hence Strong=false.
func parseSummary(b []byte) corpus.SourceMeta {
	var m corpus.SourceMeta
	if bo, _ := u16(b, 0); bo != 0xFFFE {
		return m
	}
	if n, _ := u32(b, 24); n == 0 {
		return m
	}
	off, ok := u32(b, 44)
	if !ok || uint64(off) >= uint64(len(b)) {
		return m
	}
	set := b[off:]
	n, _ := u32(set, 4)
	n = min(n, maxProperties)
	props := make(map[uint32]uint32, n)
	for i := range int(n) {
		pid, ok1 := u32(set, 8+8*i)
		po, ok2 := u32(set, 12+8*i)
		if !ok1 || !ok2 {
			break
		}
		props[pid] = po
	}
	codepage := 0
	if po, ok := props[pidCodepage]; ok {
		if t, _ := u16(set, int(po)); t == vtI2 {
			cp, _ := u16(set, int(po)+4)
			codepage = int(cp)
		}
	}
	if po, ok := props[pidTitle]; ok {
		m.Title = cleanTitle(propString(set, int(po), codepage))
	}
	if po, ok := props[pidCreateDTM]; ok {
		if t, _ := u16(set, int(po)); t == vtFILETIME {
			lo, ok1 := u32(set, int(po)+4)
			hi, ok2 := u32(set, int(po)+8)
			if ok1 && ok2 {
				m.Date = fileTimeDate(uint64(hi)<<32 | uint64(lo))
			}
		}
	}
	return m
}

// propString returns the string property at offset po of a property set.
func propString(set []byte, po, codepage int) string {
	t, _ := u16(set, po)
	count, ok := u32(set, po+4)
	if !ok || po < 0 {
		return ""
	}
	start := po + 8
	switch t {
	case vtLPSTR:
		if uint64(count) > maxTitleBytes || uint64(start)+uint64(count) > uint64(len(set)) {
			return ""
		}
		return decodeCodepage(set[start:start+int(count)], codepage)
	case vtLPWSTR:
		if uint64(count)*2 > maxTitleBytes || uint64(start)+2*uint64(count) > uint64(len(set)) {
			return ""
		}
		u := make([]uint16, count)
		for i := range u {
			u[i], _ = u16(set, start+2*i)
		}
		return string(utf16.Decode(u))
	}
	return ""
}

// decodeCodepage decodes the bytes of an 8-bit string property.
func decodeCodepage(b []byte, codepage int) string {
	if i := strings.IndexByte(string(b), 0); i >= 0 {
		b = b[:i]
	}
	switch codepage {
	case 65001:
		return strings.ToValidUTF8(string(b), "")
	case 1200:
		u := make([]uint16, len(b)/2)
		for i := range u {
			u[i], _ = u16(b, 2*i)
		}
		return string(utf16.Decode(u))
	case 950:
		if out, err := traditionalchinese.Big5.NewDecoder().Bytes(b); err == nil {
			return string(out)
		}
		return ""
	case 1252, 28591:
		r := make([]rune, len(b))
		for i, c := range b {
			r[i] = cp1252(c)
		}
		return string(r)
	}
	if utf8.Valid(b) {
		return string(b)
	}
	if out, err := simplifiedchinese.GB18030.NewDecoder().Bytes(b); err == nil {
		return string(out)
	}
	return ""
}

// cleanTitle removes control characters and surrounding blanks of a
// title.
func cleanTitle(s string) string {
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return -1
		}
		return r
	}, s)
	return strings.TrimSpace(s)
}

// fileTimeDate formats a FILETIME (100 ns since 1601-01-01 UTC) as the
// YYYY-MM-DD date in China Standard Time, or "" when it is implausible.
func fileTimeDate(ft uint64) string {
	const epochDiff = 11644473600 // seconds from 1601 to 1970
	sec := int64(ft/10_000_000) - epochDiff
	if ft == 0 || sec < 0 {
		return ""
	}
	t := time.Unix(sec, 0).In(time.FixedZone("CST", 8*3600))
	if t.Year() < 1980 || t.After(time.Now().AddDate(1, 0, 0)) {
		return ""
	}
	return t.Format("2006-01-02")
}
