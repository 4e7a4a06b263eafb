package corpus

import (
	"strings"
	"sync"
	"unicode"
	"unicode/utf8"
	"unsafe"

	"golang.org/x/text/unicode/norm"
)

// traditional maps the traditional characters seen in policy texts to their
// simplified forms. The folding is applied identically to documents and
// queries, so a query in either script finds both.
var traditional = map[rune]rune{
	'學': '学', '國': '国', '發': '发', '這': '这', '來': '来', '時': '时',
	'會': '会', '對': '对', '說': '说', '們': '们', '為': '为', '區': '区',
	'縣': '县', '師': '师', '設': '设', '員': '员', '與': '与', '機': '机',
	'關': '关', '體': '体', '業': '业', '點': '点', '經': '经', '濟': '济',
	'務': '务', '實': '实', '現': '现', '動': '动', '進': '进', '應': '应',
	'質': '质', '標': '标', '準': '准', '價': '价', '專': '专', '項': '项',
	'總': '总', '計': '计', '劃': '划', '規': '规', '範': '范', '導': '导',
	'級': '级', '幹': '干', '開': '开', '辦': '办', '雙': '双', '減': '减',
	'樹': '树', '績': '绩', '數': '数', '據': '据', '網': '网', '絡': '络',
	'課': '课', '長': '长', '園': '园', '兒': '儿', '歲': '岁', '職': '职',
	'鄉': '乡', '鎮': '镇', '養': '养', '衛': '卫', '義': '义', '優': '优',
	'協': '协', '調': '调', '傳': '传', '統': '统', '藝': '艺', '術': '术',
	'勞': '劳', '環': '环', '選': '选', '擇': '择', '書': '书', '習': '习',
}

// Fold returns s in the canonical form used for matching, keeping
// whitespace: NFKC width folding (（一）→(一), ％→%, full-width digits) and
// traditional→simplified folding.
func Fold(s string) string {
	s = norm.NFKC.String(s)
	if !strings.ContainsFunc(s, isTraditional) {
		return s
	}
	return strings.Map(func(r rune) rune {
		if t, ok := traditional[r]; ok {
			return t
		}
		return r
	}, s)
}

// Normalize returns the canonical form of s used for exact phrase
// matching: Fold, then every whitespace character removed, so that a
// phrase broken by a page-break artefact or written with stray spaces
// (45 万人次) still matches. Documents and queries go through the same
// function.
func Normalize(s string) string {
	if out, ok := quickNormalize(s, quickTable()); ok {
		return out
	}
	return normalizeSlow(s)
}

// normalizeSlow is Normalize by definition: Fold, then whitespace
// removed — and NFKC once more when removing it joined characters that
// NFKC orders or composes otherwise (combining marks of different classes,
// or Hangul jamo, on either side of a space), so that Normalize is
// idempotent (TestNormalizeIdempotent): a query's phrase, normalised, is
// normalised again where it is matched. quickNormalize must agree with it
// (TestNormalizeQuick).
func normalizeSlow(s string) string {
	s = Fold(s)
	if !strings.ContainsFunc(s, unicode.IsSpace) {
		return s
	}
	s = strings.Map(func(r rune) rune {
		if unicode.IsSpace(r) {
			return -1
		}
		return r
	}, s)
	if !norm.NFKC.IsNormalString(s) {
		s = norm.NFKC.String(s) // reorders and composes: adds no whitespace
	}
	return s
}

// quickTable maps every BMP rune that NFKC normalises on its own (it
// starts a segment: nothing combines or reorders with what precedes it;
// and alone it normalises to a single rune) to what Normalize makes of
// it. In a string of such runes every rune is its own segment, so NFKC
// works rune by rune: the folded rune, or -1 for
// whitespace, which Normalize drops. Other runes map to 0: a string
// holding one takes the full path. Nearly all policy text is covered:
// ASCII, CJK ideographs, CJK and full-width punctuation. The table is
// immutable once built, on first use.
var quickTable = sync.OnceValue(func() []rune {
	t := make([]rune, 0x10000)
	for r := rune(1); r < 0x10000; r++ {
		if !utf8.ValidRune(r) {
			continue
		}
		s := string(r)
		p := norm.NFKC.PropertiesString(s)
		if !p.BoundaryBefore() {
			continue
		}
		n := norm.NFKC.String(s)
		m, size := utf8.DecodeRuneInString(n)
		if size != len(n) || m == utf8.RuneError || m == 0 || !norm.NFKC.PropertiesString(n).BoundaryBefore() {
			continue
		}
		if f, ok := traditional[m]; ok {
			m = f
		}
		if unicode.IsSpace(m) {
			m = -1
		}
		t[r] = m
	}
	return t
})

// quickNormalize is Normalize for strings whose every rune is in table t;
// ok is false for any other string. A string already normalised is
// returned as is, without allocating.
func quickNormalize(s string, t []rune) (out string, ok bool) {
	var b []byte
	for i, r := range s {
		if r >= 0x10000 || t[r] == 0 {
			return "", false
		}
		m := t[r]
		if b == nil {
			if m == r {
				continue
			}
			b = make([]byte, i, len(s))
			copy(b, s[:i])
		}
		if m >= 0 {
			b = utf8.AppendRune(b, m)
		}
	}
	if b == nil {
		return s, true
	}
	// b is not used again: the string takes its bytes without a copy
	return unsafe.String(unsafe.SliceData(b), len(b)), true
}

// IsTraditional reports whether Fold maps r to a simplified character.
func IsTraditional(r rune) bool { return isTraditional(r) }

func isTraditional(r rune) bool {
	_, ok := traditional[r]
	return ok
}
