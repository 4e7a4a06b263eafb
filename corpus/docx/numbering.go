package docx

import (
	"context"
	"errors"
	"io"
	"strconv"
	"strings"

	"github.com/zhengce/zhengce/corpus/zipfile"
)

// maxLevels is the number of list levels Word defines (ilvl 0–8).
const maxLevels = 9

// level is one level of a list definition.
type level struct {
	start  int
	format string // w:numFmt
	text   string // w:lvlText, "%1." …
	suffix string // w:suff: tab (default), space, nothing
	legal  bool   // w:isLgl: every number in decimal
	set    bool
}

// numbering is numbering.xml: list definitions and, while a document is
// read, the counters of its lists, so that automatic numbers ("第一章",
// "一、", "（二）", "1.") appear in the text as the reader sees them.
type numbering struct {
	abstract map[string]*[maxLevels]level
	nums     map[string]*numDef
	counters map[string]*[maxLevels]int // by abstract ID
	started  map[string]bool            // numIDs whose overrides applied
}

type numDef struct {
	abstractID string
	overrides  map[int]int // ilvl → start override
}

// readNumbering reads numbering.xml.
func readNumbering(ctx context.Context, a *zipfile.Archive, name string) (*numbering, error) {
	n := &numbering{abstract: map[string]*[maxLevels]level{}, nums: map[string]*numDef{},
		counters: map[string]*[maxLevels]int{}, started: map[string]bool{}}
	d, err := a.Decoder(ctx, name)
	if err != nil {
		return nil, err
	}
	var abs *[maxLevels]level
	var lvl *level
	var num *numDef
	overrideLvl := -1
	for {
		k, err := d.Next()
		if errors.Is(err, io.EOF) {
			return n, nil
		}
		if err != nil {
			return nil, err
		}
		if k != zipfile.Start {
			if k == zipfile.End {
				switch d.Local() {
				case "abstractNum":
					abs, lvl = nil, nil
				case "lvl":
					lvl = nil
				case "num":
					num = nil
				case "lvlOverride":
					overrideLvl = -1
				}
			}
			continue
		}
		val := d.Attr("val")
		switch d.Local() {
		case "abstractNum":
			abs = &[maxLevels]level{}
			id := d.Attr("abstractNumId")
			if _, dup := n.abstract[id]; !dup {
				n.abstract[id] = abs
			}
		case "lvl":
			i, err := strconv.Atoi(d.Attr("ilvl"))
			if abs != nil && err == nil && i >= 0 && i < maxLevels {
				lvl = &abs[i]
				*lvl = level{start: 1, format: "decimal", set: true}
			} else if overrideLvl < 0 {
				lvl = nil
			}
		case "start":
			if lvl != nil {
				lvl.start, _ = strconv.Atoi(val)
			}
		case "numFmt":
			if lvl != nil {
				lvl.format = val
			}
		case "lvlText":
			if lvl != nil {
				lvl.text = val
			}
		case "suff":
			if lvl != nil {
				lvl.suffix = val
			}
		case "isLgl":
			if lvl != nil {
				lvl.legal = val == "" || val == "1" || val == "true"
			}
		case "num":
			num = &numDef{overrides: map[int]int{}}
			id := d.Attr("numId")
			if _, dup := n.nums[id]; !dup {
				n.nums[id] = num
			}
		case "abstractNumId":
			if num != nil {
				num.abstractID = val
			}
		case "lvlOverride":
			overrideLvl, _ = strconv.Atoi(d.Attr("ilvl"))
		case "startOverride":
			if num != nil && overrideLvl >= 0 && overrideLvl < maxLevels {
				v, _ := strconv.Atoi(val)
				num.overrides[overrideLvl] = v
			}
		}
	}
}

// label advances the counter of list numID at level ilvl and returns the
// paragraph's number as Word shows it ("第一章", "（二）", "1.2"), followed
// by a space unless the level's suffix is "nothing"; "" for bullets,
// unknown lists and levels without a number.
func (n *numbering) label(numID string, ilvl int) string {
	if n == nil || ilvl < 0 || ilvl >= maxLevels {
		return ""
	}
	def, ok := n.nums[numID]
	if !ok {
		return ""
	}
	abs, ok := n.abstract[def.abstractID]
	if !ok || !abs[ilvl].set {
		return ""
	}
	cnt, ok := n.counters[def.abstractID]
	if !ok {
		cnt = &[maxLevels]int{}
		for i := range cnt {
			cnt[i] = abs[i].start - 1
		}
		n.counters[def.abstractID] = cnt
	}
	if !n.started[numID] {
		n.started[numID] = true
		for i, v := range def.overrides {
			if i >= 0 && i < maxLevels {
				cnt[i] = v - 1
			}
		}
	}
	cnt[ilvl]++
	for i := ilvl + 1; i < maxLevels; i++ {
		cnt[i] = abs[i].start - 1
	}
	lv := abs[ilvl]
	if lv.format == "bullet" || lv.format == "none" || lv.text == "" {
		return ""
	}
	var b strings.Builder
	text := lv.text
	for text != "" {
		i := strings.IndexByte(text, '%')
		if i < 0 || i+1 >= len(text) || text[i+1] < '1' || text[i+1] > '9' {
			b.WriteString(text)
			break
		}
		b.WriteString(text[:i])
		k := int(text[i+1] - '1')
		format := abs[k].format
		if lv.legal {
			format = "decimal"
		}
		b.WriteString(formatNumber(max(cnt[k], abs[k].start, 0), format))
		text = text[i+2:]
	}
	if lv.suffix == "nothing" {
		return b.String()
	}
	return b.String() + " "
}

// formatNumber writes n in a Word number format.
func formatNumber(n int, format string) string {
	switch format {
	case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "chineseLegalSimplified", "taiwaneseCounting", "taiwaneseCountingThousand":
		s := chineseNumber(n)
		if format == "chineseLegalSimplified" {
			s = strings.NewReplacer("一", "壹", "二", "贰", "三", "叁", "四", "肆", "五", "伍", "六", "陆", "七", "柒", "八", "捌", "九", "玖", "十", "拾", "百", "佰", "千", "仟", "〇", "零").Replace(s)
		}
		return s
	case "ideographTraditional":
		if n >= 1 && n <= 10 {
			return string([]rune("甲乙丙丁戊己庚辛壬癸")[n-1])
		}
	case "ideographZodiac":
		if n >= 1 && n <= 12 {
			return string([]rune("子丑寅卯辰巳午未申酉戌亥")[n-1])
		}
	case "upperLetter", "lowerLetter":
		if n >= 1 {
			c := 'A' + rune((n-1)%26)
			if format == "lowerLetter" {
				c += 'a' - 'A'
			}
			return strings.Repeat(string(c), (n-1)/26+1)
		}
	case "upperRoman", "lowerRoman":
		if n >= 1 && n < 4000 {
			s := roman(n)
			if format == "lowerRoman" {
				s = strings.ToLower(s)
			}
			return s
		}
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune(0x2460 + n - 1))
		}
	case "decimalZero":
		if n >= 0 && n < 10 {
			return "0" + strconv.Itoa(n)
		}
	case "decimalFullWidth", "decimalFullWidth2":
		var b strings.Builder
		for _, c := range strconv.Itoa(n) {
			b.WriteRune(c - '0' + '０')
		}
		return b.String()
	}
	return strconv.Itoa(n)
}

// chineseNumber writes 0 ≤ n < 100000 in Chinese numerals as Word's
// chineseCounting does: 一, 十, 十一, 二十一, 一百零五.
func chineseNumber(n int) string {
	digits := []rune("〇一二三四五六七八九")
	if n < 0 || n >= 100000 {
		return strconv.Itoa(n)
	}
	if n < 10 {
		return string(digits[n])
	}
	units := []string{"", "十", "百", "千", "万"}
	var parts []string
	s := strconv.Itoa(n)
	zero := false
	for i, c := range s {
		d := int(c - '0')
		pos := len(s) - 1 - i
		if d == 0 {
			zero = true
			continue
		}
		if zero {
			parts = append(parts, "零")
			zero = false
		}
		if !(d == 1 && pos == 1 && i == 0) {
			parts = append(parts, string(digits[d]))
		}
		parts = append(parts, units[pos])
	}
	return strings.Join(parts, "")
}

// roman writes 1 ≤ n < 4000 in Roman numerals.
func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}
