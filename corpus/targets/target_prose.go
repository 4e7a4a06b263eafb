package targets

import (
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
)

// measureUnits are the units a promised number is written with in prose,
// longest first so that 万人次 wins over 万人 and 人.
var measureUnits = []string{
	"个百分点", "个班", "万平方米", "平方公里", "万人次", "百分点", "人次", "平方米", "万m²", "万㎡",
	"万人", "亿元", "万元", "万册", "学时", "课时", "小时", "公里", "m²", "㎡",
	"%", "‰", "所", "个", "人", "名", "门", "项", "家", "堂", "亩", "间", "套", "本",
	"节", "条", "次", "倍", "年", "天", "班", "支", "件", "户", "处", "座", "台", "册",
	"批", "类", "种", "块", "位", "张", "场", "篇", "元",
}

var measureUnitSet = func() map[string]bool {
	m := make(map[string]bool, len(measureUnits))
	for _, u := range measureUnits {
		m[u] = true
	}
	return m
}()

// cmpPhrases end the text before a promised number and give its
// comparator (达93%, 控制在5%以内, 不低于20%); longest first.
var cmpPhrases = []struct{ text, cmp string }{
	{"提高到", corpus.CmpEQ}, {"提高至", corpus.CmpEQ}, {"提升到", corpus.CmpEQ}, {"提升至", corpus.CmpEQ}, {"增加到", corpus.CmpEQ},
	{"增加至", corpus.CmpEQ}, {"增长到", corpus.CmpEQ}, {"增长至", corpus.CmpEQ}, {"保持在", corpus.CmpEQ}, {"稳定在", corpus.CmpEQ},
	{"控制在", corpus.CmpLE}, {"维持在", corpus.CmpEQ}, {"不低于", corpus.CmpGE}, {"不少于", corpus.CmpGE}, {"不小于", corpus.CmpGE},
	{"不超过", corpus.CmpLE}, {"不高于", corpus.CmpLE}, {"不多于", corpus.CmpLE}, {"达到", corpus.CmpEQ}, {"增至", corpus.CmpEQ},
	{"至少", corpus.CmpGE}, {"超过", corpus.CmpGT}, {"高于", corpus.CmpGT}, {"大于", corpus.CmpGT}, {"低于", corpus.CmpLT},
	{"小于", corpus.CmpLT}, {">=", corpus.CmpGE}, {"<=", corpus.CmpLE}, {"≥", corpus.CmpGE}, {"≤", corpus.CmpLE}, {">", corpus.CmpGT},
	{"<", corpus.CmpLT}, {"达", corpus.CmpEQ},
}

// cmpSuffixes follow a promised number (93%以上, 5%以内, 20个左右).
var cmpSuffixes = []struct{ text, cmp string }{
	{"及以上", corpus.CmpGE}, {"以上", corpus.CmpGE}, {"及以下", corpus.CmpLE}, {"以下", corpus.CmpLE}, {"以内", corpus.CmpLE}, {"左右", corpus.CmpApprox},
}

// targetVerbs make "verb + number + unit" a promise even without a
// comparator: 建成劳动教育示范校10所, 培育2所市级高水平高职学院.
var targetVerbs = []string{
	"建成", "建设", "培育", "培养", "打造", "创建", "新建", "增建", "引进", "引培", "招录", "招聘",
	"评选", "选拔", "遴选", "组建", "成立", "开发", "设立", "承担", "申报", "开展", "完成", "推动",
	"建立", "认定", "命名", "表彰", "推荐", "入选", "评", "选拔培养", "推荐评选", "建",
}

// cutVerbs are verbs never used as nouns in the corpus: an indicator is
// the text after the last of them (在优秀骨干教师中选拔培养县级学科名师50名 →
// 县级学科名师).
var cutVerbs = []string{"建成", "培育", "打造", "创建", "引进", "引培", "招录", "评选", "选拔培养", "选拔", "遴选", "组建", "成立", "认定", "推荐评选", "入选"}

// leadPhrases are stripped from the start of an indicator.
var leadPhrases = []string{
	"力争实现", "力争", "在保持", "努力", "争取", "确保", "实现", "全面", "基本", "逐步", "进一步", "使", "让", "要", "将", "并", "其中", "同时", "且",
}

var (
	leadLabel = regexp.MustCompile(`^(?:\d{1,2}[\.．、]|[（(]\d{1,2}[)）]|[一二三四五六七八九十]{1,3}、|项目\d{1,2}[:：]?)\s*`)
	leadTime  = regexp.MustCompile(`^(?:到|至|截至|截止|在|于)?(?:(?:19|20)\d{2}年(?:底|末|前|内)?|“?十[四五]五”?(?:末|期间|时期|期末)|五年内|规划期内|规划期末)(?:前|内|底|末)?[，,：:]?`)
	frequency = regexp.MustCompile(`^(?:每[两三四五]?(?:年|学年|学期|月|周|天)|年均)$`)
	// pastMarks make a sentence a report on the past, not a promise.
	// isPast tests them without running the regexp over every sentence.
	pastMarks = regexp.MustCompile(`累计|以来|已经|已建成|已达|比(?:19|20)\d{2}年|较(?:19|20)\d{2}年|十三五”?(?:期间|时期|末)|(?:19|20)\d{2}年[^，。；]{0,3}(?:底|末)?[，,]?(?:全[区县市])?(?:有|共有)`)
	// pastThirteen and pastYear are the alternatives of pastMarks that
	// isPast cannot test with strings.Contains, anchored.
	pastThirteen = regexp.MustCompile(`十三五”?(?:期间|时期|末)`)
	pastYear     = regexp.MustCompile(`^(?:19|20)\d{2}年[^，。；]{0,3}(?:底|末)?[，,]?(?:全[区县市])?(?:有|共有)`)
	planSpan     = regexp.MustCompile(`((?:19|20)\d{2})\s*[—\-–~～至到－]\s*((?:19|20)\d{2})\s*年`)
)

// planEndYear is the year a plan's targets are due by default: the end of
// the span in its title (2021—2025年), else 2025 when the text speaks of
// 十四五, else 0 (unknown).
func planEndYear(d *corpus.Document) int {
	if m := planSpan.FindStringSubmatch(foldNum(d.Title)); m != nil {
		y, _ := strconv.Atoi(m[2])
		return y
	}
	if strings.Contains(d.Raw, "十四五") {
		return 2025
	}
	return 0
}

// proseTargets returns the targets promised in the prose of unit u, at
// most MaxPerUnit, and the number of those left out.
func proseTargets(d *corpus.Document, u *corpus.Unit, planEnd int) ([]*corpus.Target, int) {
	// a target is a number (sentenceTargets reads only ASCII digits after
	// foldNumRune): most units have none, and need no sentence split
	if !hasDigit(u.Text) {
		return nil, 0
	}
	omitted := 0
	// sentences are split on the text itself: only those holding a digit
	// can hold a target, and only they are converted to runes
	var out []*corpus.Target
	text := u.Text
	for start := 0; start < len(text); {
		end, next := sentenceEnd(text, start)
		if sentence := text[start:end]; hasDigit(sentence) {
			orig := []rune(sentence)
			folded := make([]rune, len(orig))
			for k, r := range orig {
				folded[k] = foldProseRune(r)
			}
			found, n := sentenceTargets(d, u, orig, folded, planEnd, MaxPerUnit-len(out))
			out = append(out, found...)
			omitted += n
		}
		start = next
	}
	for n, t := range out {
		t.ID = u.ID + "#" + strconv.Itoa(n+1)
	}
	return out, omitted
}

// isPast is pastMarks.MatchString(s): the literal alternatives are looked
// up as strings, the year alternatives only where a year precedes 年
// (TestIsPast compares the two).
func isPast(s string) bool {
	for _, lit := range []string{"累计", "以来", "已经", "已建成", "已达"} {
		if strings.Contains(s, lit) {
			return true
		}
	}
	if strings.Contains(s, "十三五") && pastThirteen.MatchString(s) {
		return true
	}
	for i := 0; ; {
		j := strings.Index(s[i:], "年")
		if j < 0 {
			return false
		}
		y := i + j - 4 // start of the year before 年
		i += j + len("年")
		if y < 0 || !(s[y:y+2] == "19" || s[y:y+2] == "20") || !isDigitByte(s[y+2]) || !isDigitByte(s[y+3]) {
			continue
		}
		if y >= len("比") && (s[y-len("比"):y] == "比" || s[y-len("较"):y] == "较") {
			return true
		}
		if pastYear.MatchString(s[y:]) {
			return true
		}
	}
}

func isDigitByte(c byte) bool { return '0' <= c && c <= '9' }

// sentenceSeps end a sentence of prose.
const sentenceSeps = "。；;！？!?\n"

// sentenceEnd returns the end of the sentence of text starting at start
// (the offset of its separator, or len(text)) and the start of the next.
// It scans bytes: the encoding of a separator can only start at a rune
// boundary (lead bytes are never continuation bytes, and an invalid byte
// decodes alone), so this is the rune-by-rune split over sentenceSeps
// (TestSentenceEnd compares the two).
func sentenceEnd(text string, start int) (end, next int) {
	for i := start; i < len(text); i++ {
		switch c := text[i]; c {
		case ';', '!', '?', '\n':
			return i, i + 1
		case 0xE3, 0xEF:
			if i+3 <= len(text) {
				switch text[i : i+3] {
				case "。", "；", "！", "？":
					return i, i + 3
				}
			}
		}
	}
	return len(text), len(text)
}

// hasDigit reports whether s holds an ASCII or a full-width digit: the
// numbers sentenceTargets reads (after foldNumRune) start with one.
// It reads bytes: an ASCII digit is its own byte, which no other rune's
// UTF-8 holds, and ０–９ are EF BC 90–99, whose lead byte EF no rune
// holds elsewhere (TestHasDigit compares it with decoding the runes).
func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case '0' <= c && c <= '9':
			return true
		case c == 0xEF && i+2 < len(s) && s[i+1] == 0xBC && 0x90 <= s[i+2] && s[i+2] <= 0x99:
			return true
		}
	}
	return false
}

// foldProseRune is foldNumRune for prose, where markdown emphasis and
// table tabs are not words.
func foldProseRune(r rune) rune {
	if r == '*' || r == '#' || r == '\t' {
		return ' '
	}
	return foldNumRune(r)
}

// numberToken is a number found in a sentence, with its unit and the
// comparator written after it.
type numberToken struct {
	start, end int // rune offsets of number..suffix
	numEnd     int // end of the number (and range)
	unitEnd    int // end of the unit
	value      float64
	max        *float64
	unit       string
	suffixCmp  string
}

// sentenceTargets extracts the targets of one sentence: at most room of
// them, and the number of those found beyond.
func sentenceTargets(d *corpus.Document, u *corpus.Unit, orig, s []rune, planEnd, room int) ([]*corpus.Target, int) {
	toks := scanNumbers(s)
	if len(toks) == 0 {
		return nil, 0
	}
	// a sentence holding a number is never blank; a long one is quoted
	// per target, around its number
	text := ""
	if len(orig) <= MaxTextRunes {
		text = strings.TrimSpace(string(orig))
	}
	if isPast(string(s)) {
		return nil, 0
	}
	omitted := 0
	var out []*corpus.Target
	segStart := 0
	var prev *corpus.Target
	listPrefix := "" // the verb phrase of the last list item: 在城东科技生态城新建
	listPromised := false
	listVerb := false // a verb earlier in the sentence governs a list: 培育A10所、B15所
	years := promiseYears(s)
	for ti := 0; ti < len(toks); ti++ {
		tk := toks[ti]
		// The indicator lies between the last clause separator (or the
		// previous number) and this number.
		from := min(segStart, tk.start)
		for j := tk.start - 1; j >= from; j-- {
			if strings.ContainsRune("，,：:", s[j]) {
				from = j + 1
				break
			}
		}
		before := strings.TrimSpace(string(s[from:tk.start]))
		before = strings.TrimLeft(before, "、和及与以及或——-— ")
		cmp := ""
		for _, p := range cmpPhrases {
			if strings.HasSuffix(before, p.text) {
				cmp = p.cmp
				before = strings.TrimSpace(strings.TrimSuffix(before, p.text))
				break
			}
		}
		if b, ok := strings.CutSuffix(before, "约"); ok && cmp == "" {
			before, cmp = strings.TrimSpace(b), corpus.CmpApprox
		}
		before = trimTrailing(before)
		if tk.suffixCmp != "" && (cmp == "" || cmp == corpus.CmpEQ) {
			cmp = tk.suffixCmp
		}
		if i := strings.LastIndex(before, "至少"); i >= 0 && (cmp == "" || cmp == corpus.CmpEQ) {
			// 每个学生至少掌握1项: 至少 governs the number after the verb.
			before, cmp = strings.TrimSpace(before[:i]+before[i+len("至少"):]), corpus.CmpGE
		}
		promised := cmp != ""
		for _, v := range changeVerbs {
			if strings.HasSuffix(before, v) {
				promised = true // 近视率逐年降低0.5个百分点: the change is the promise
				break
			}
		}
		if tk.max != nil {
			if cmp != "" && cmp != corpus.CmpEQ {
				segStart = tk.end
				continue // 至少3-5所: no representable meaning
			}
			cmp = corpus.CmpRange
		}
		before = stripLead(before)
		verb := false
		for _, v := range keepVerbs {
			if strings.HasPrefix(before, v) {
				verb = true
				break
			}
		}
		for _, v := range targetVerbs {
			if !verb && strings.HasPrefix(before, v) {
				if !isNounUse(before, len(v)) {
					verb = true
					before = strings.TrimSpace(strings.TrimPrefix(before, v))
				}
				break // the longest verb decides: 建成区 is not 建 + 成区
			}
		}
		for _, v := range strongVerbs {
			if containsVerb(before, v) {
				verb = true // 在城东科技生态城新建小学2所
				break
			}
		}
		prefix := ""
		if frequency.MatchString(before) {
			prefix, before = before, ""
		}
		endsWithVerb, keepVerb := false, false
		for _, v := range keepVerbs {
			if strings.HasSuffix(before, v) {
				keepVerb = true
				break
			}
		}
		if !keepVerb {
			for _, v := range targetVerbs {
				if strings.HasSuffix(before, v) && len(before) > len(v) {
					endsWithVerb = true
					prefix = strings.TrimSpace(strings.TrimSuffix(before, v))
					if !frequency.MatchString(prefix) {
						prefix = ""
					}
					break
				}
			}
		}
		after, afterEnd := nounAfter(s, tk.end)
		indicator := ""
		usedAfter := false
		switch {
		case strings.HasPrefix(after, "的") && !strings.HasPrefix(after, "的基础"):
			indicator, usedAfter = prefix+before+strings.TrimPrefix(after, "的"), true
			if before != "" && !keepVerb {
				indicator = prefix + strings.TrimPrefix(after, "的")
			}
		case keepVerb && after != "":
			indicator, usedAfter = before+after, true
			verb = true
		case before == "" || endsWithVerb:
			indicator, usedAfter = prefix+after, true
			verb = verb || endsWithVerb
		default:
			indicator = prefix + cutAfterVerb(before)
			if n := len([]rune(indicator)); n <= 2 && after != "" && !strings.ContainsRune("、和及与", []rune(after)[0]) {
				// 培育学校1—2个特色体育项目: the counted noun follows.
				indicator, usedAfter = indicator+after, true
			}
		}
		segStart = tk.end
		if usedAfter {
			segStart = afterEnd
		}
		inherited := false
		inList := false // 、 joins this item to the one before: 达到20平方公里、院校20所
		if ti > 0 {
			sep := strings.TrimSpace(string(s[toks[ti-1].end:tk.start]))
			inList = strings.HasPrefix(sep, "、") && !strings.ContainsAny(sep, "，,；;")
		}
		if verb {
			listVerb = true
		} else if listVerb && (cmp == "" || cmp == corpus.CmpRange) || inList && listPromised && cmp == "" {
			verb, inherited = true, true
		}
		listPromised = promised || inherited && listPromised
		if strings.HasSuffix(before, "等") || !promised && !verb {
			continue // 问责等8项制度; a number without a promise: 落实土地出让金净收益10%
		}
		if cmp == "" {
			cmp = corpus.CmpEQ
		}
		indicator = strings.TrimSpace(strings.Trim(indicator, "、，,：: "))
		// 新增公办幼儿园188班、小学708班: the list item 小学 takes the verb
		// phrase of the item before it (新增小学).
		if inherited && inList && listPrefix != "" && !strings.HasPrefix(indicator, listPrefix) {
			indicator = listPrefix + indicator
		} else {
			listPrefix = verbPrefix(indicator)
		}
		if (indicator == "占比" || indicator == "比例" || indicator == "比重") && prev != nil {
			indicator = prev.Indicator + indicator
		}
		n := len([]rune(indicator))
		if n < 2 || n > 40 || !hasHan(indicator) || strings.HasPrefix(indicator, "占") || levelWords[indicator] {
			continue // 市级5所, 高中16-18个: too little to quote
		}
		if tk.unit == "年" && cmp == corpus.CmpEQ && !strings.HasSuffix(indicator, "年限") {
			continue // 3年培养周期 is a duration, not a promise
		}
		// 比例分别达到90%、95%: one value per listed indicator.
		run := ti
		for run+1 < len(toks) && strings.Trim(string(s[toks[run].end:toks[run+1].start]), "、和及 ") == "" {
			run++
		}
		names := []string{indicator}
		if run > ti {
			names = splitRespectively(indicator, run-ti+1)
			if names == nil {
				ti = run
				continue // more values than names, or fewer: ambiguous
			}
		}
		for k, name := range names {
			tk := toks[ti+k]
			if len(out) >= room {
				omitted++
				continue
			}
			quoted := text
			if len(orig) > MaxTextRunes {
				quoted = quote(orig, tk.start, tk.end)
			}
			v := tk.value
			c := cmp
			if k > 0 {
				c = corpus.CmpEQ
				if tk.suffixCmp != "" {
					c = tk.suffixCmp
				}
				if tk.max != nil {
					c = corpus.CmpRange
				}
			}
			t := &corpus.Target{
				DocID:     d.ID,
				District:  d.District,
				Indicator: name,
				Unit:      tk.unit,
				Target: corpus.Point{
					Year:       targetYear(years, tk.start, planEnd),
					Value:      &v,
					Max:        tk.max,
					Comparator: c,
					Raw:        strings.TrimSpace(string(orig[tk.start:tk.end])),
				},
				Source:   corpus.SourceText,
				Kind:     corpus.KindTarget,
				UnitID:   u.ID,
				Citation: u.Citation,
				Text:     quoted,
			}
			out = append(out, t)
			prev = t
		}
		if run > ti {
			segStart = toks[run].end
		}
		ti = run
	}
	return out, omitted
}

// quote is the text of a target whose sentence (orig) is longer than
// MaxTextRunes: an excerpt of at most MaxTextRunes characters around the
// number at orig[start:end], two thirds of the room before it (where the
// indicator is written), with … where the sentence was cut.
func quote(orig []rune, start, end int) string {
	room := MaxTextRunes - 2 // the two … marks
	from := max(0, start-room*2/3)
	to := min(len(orig), from+room)
	from = max(0, min(from, to-room))
	if end > to { // a number longer than the room: never, numbers are short
		to = min(len(orig), end)
	}
	s := strings.TrimSpace(string(orig[from:to]))
	if from > 0 {
		s = "…" + s
	}
	if to < len(orig) {
		s += "…"
	}
	return s
}

// splitRespectively splits an indicator naming n things (学前教育专业专任
// 教师比例与专科及以上学历专任教师比例; 公办幼儿园、普惠性幼儿园在园幼儿
// 占比) into n names, distributing a shared head (在园幼儿占比) to the
// names that lack it. It returns nil when the count does not match.
func splitRespectively(indicator string, n int) []string {
	parts := strings.FieldsFunc(indicator, func(r rune) bool { return r == '、' || r == '与' || r == '和' })
	if len(parts) != n {
		return nil
	}
	last := []rune(parts[n-1])
	first := []rune(parts[0])
	for k := len(first); k >= 1; k-- {
		suffix := string(first[len(first)-k:])
		i := strings.Index(string(last), suffix)
		if i < 0 {
			continue
		}
		head := string(last)[i+len(suffix):]
		if head != "" {
			for j := 0; j < n-1; j++ {
				if !strings.HasSuffix(parts[j], head) {
					parts[j] += head
				}
			}
		}
		break
	}
	return parts
}

// changeVerbs end an indicator whose promised value is a change (近视率逐年
// 降低0.5个百分点); they stay part of the indicator.
var changeVerbs = []string{"降低", "下降", "减少", "提高", "提升", "增长", "增加", "缩小"}

// strongVerbs anywhere before a number make it a promise (在城东科技生态城
// 新建小学2所, 在高铁南站片区规划小学2所).
var strongVerbs = []string{"建成", "新建", "改扩建", "迁建", "培育", "打造", "创建", "规划", "引进", "组建", "新增", "遴选", "招录"}

// verbPrefix returns an indicator up to and including its last verb (在城东
// 科技生态城新建小学 → 在城东科技生态城新建), or "" when it has none.
func verbPrefix(indicator string) string {
	end := -1
	for _, vs := range [][]string{keepVerbs, strongVerbs} {
		for _, v := range vs {
			if i := lastVerb(indicator, v); i >= 0 && i+len(v) > end && i+len(v) < len(indicator) {
				end = i + len(v)
			}
		}
	}
	if end < 0 {
		return ""
	}
	return indicator[:end]
}

// lastVerb returns the offset of the last occurrence of verb v in s that is
// a verb: 建成 in 建成区 (built-up area) is a noun. -1 when none.
func lastVerb(s, v string) int {
	for end := len(s); ; {
		i := strings.LastIndex(s[:end], v)
		if i < 0 {
			return -1
		}
		if !isNounUse(s, i+len(v)) {
			return i
		}
		end = i
	}
}

// isNounUse reports whether the verb ending at offset end of s is part of
// a noun: 建成区.
func isNounUse(s string, end int) bool {
	return strings.HasSuffix(s[:end], "建成") && strings.HasPrefix(s[end:], "区")
}

func containsVerb(s, v string) bool { return lastVerb(s, v) >= 0 }

// keepVerbs stay part of an indicator: they say what is counted (新增校舍,
// 每名学生掌握…运动技能).
var keepVerbs = []string{"新增", "新建", "改扩建", "增加", "减少", "掌握", "学会", "建有", "开设", "配备", "拥有", "参加", "参与"}

// levelWords alone do not name an indicator.
var levelWords = map[string]bool{"国家级": true, "市级": true, "区级": true, "县级": true, "校级": true, "省级": true, "市区级": true, "国市级": true}

// trailingWords are adverbs between an indicator and its comparator
// (普及率逐步达到, 开设率均达到, 比例分别达到).
var trailingWords = []string{"共计", "合计", "总计", "逐步", "稳步", "分别", "全部", "力争", "基本", "总体", "均", "要", "将", "仅", "累计", "可"}

func trimTrailing(s string) string {
	for {
		old := s
		for _, w := range trailingWords {
			s = strings.TrimSpace(strings.TrimSuffix(s, w))
		}
		if s == old {
			return s
		}
	}
}

// stripLead removes time phrases (到2025年，“十四五”末) and hedges (力争,
// 确保) from the start of an indicator.
func stripLead(s string) string {
	for {
		old := s
		s = strings.TrimSpace(s)
		s = strings.TrimLeft(s, "、，,：:——-")
		if m := leadLabel.FindString(s); m != "" {
			s = s[len(m):]
		}
		if m := leadTime.FindString(s); m != "" {
			s = s[len(m):]
		}
		for _, p := range leadPhrases {
			if strings.HasPrefix(s, p) {
				s = s[len(p):]
				break
			}
		}
		if s == old {
			return s
		}
	}
}

// cutAfterVerb returns the text after the last verb of cutVerbs in s, when
// there is some.
func cutAfterVerb(s string) string {
	best := -1
	bestLen := 0
	for _, v := range cutVerbs {
		if i := strings.LastIndex(s, v); i > best || (i == best && i >= 0 && len(v) > bestLen) {
			best, bestLen = i, len(v)
		}
	}
	if best >= 0 {
		if rest := strings.TrimSpace(s[best+bestLen:]); len([]rune(rest)) >= 2 {
			return rest
		}
	}
	return s
}

// nounAfter returns the noun phrase that follows a number (培育2所市级高水平
// 高职学院和1所…) and where it ends: up to the next clause separator
// outside parentheses, a list separator followed by the next number, or
// the end; at most 25 characters, else empty.
func nounAfter(s []rune, from int) (string, int) {
	depth := 0
	end := from
	for end < len(s) && end-from < 25 {
		r := s[end]
		next := rune(0)
		if end+1 < len(s) {
			next = s[end+1]
		}
		switch {
		case r == '（' || r == '(':
			depth++
		case r == '）' || r == ')':
			if depth == 0 {
				return strings.TrimSpace(string(s[from:end])), end
			}
			depth--
		case depth > 0:
		case strings.ContainsRune("，,。；;：:等", r) || isASCIIDigit(r):
			return strings.TrimSpace(string(s[from:end])), end
		case strings.ContainsRune("、和及与", r) && next < 0x80 && (unicode.IsDigit(next) || unicode.IsLetter(next)):
			return strings.TrimSpace(string(s[from:end])), end
		case r == '作' && next == '为':
			return strings.TrimSpace(string(s[from:end])), end
		}
		end++
	}
	if end-from >= 25 {
		return "", from
	}
	return strings.TrimSpace(string(s[from:end])), end
}

// yearMark is a year written in a sentence that can date a promise.
type yearMark struct {
	pos  int // rune offset of the year's end
	year int
}

// promiseYears returns the years of a sentence that date the numbers after
// them (到2025年, 2023年前), leaving out baselines (在2020年的基础上, 比2015年)
// and spans (2016年以来). Computed once per sentence so that a long sentence
// with many numbers stays linear.
func promiseYears(s []rune) []yearMark {
	var out []yearMark
	for i := 0; i+5 <= len(s); i++ {
		if !(s[i] == '1' && s[i+1] == '9' || s[i] == '2' && s[i+1] == '0') || !isASCIIDigit(s[i+2]) || !isASCIIDigit(s[i+3]) || s[i+4] != '年' {
			continue
		}
		if i > 0 && isASCIIDigit(s[i-1]) {
			continue
		}
		head := string(s[max(0, i-1):i])
		tail := string(s[i+5 : min(len(s), i+8)])
		if head == "比" || head == "较" || strings.HasPrefix(tail, "的基础") || strings.HasPrefix(tail, "以来") {
			continue
		}
		y, _ := strconv.Atoi(string(s[i : i+4]))
		out = append(out, yearMark{pos: i + 5, year: y})
	}
	return out
}

// targetYear is the year a number at rune offset pos is promised for: the
// last promise year written before it, else the plan's end year.
func targetYear(years []yearMark, pos, planEnd int) int {
	i := sort.Search(len(years), func(i int) bool { return years[i].pos > pos })
	if i == 0 {
		return planEnd
	}
	return years[i-1].year
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

// scanNumbers finds the numbers of a folded sentence that carry a unit and
// are not dates, ordinals, codes or document numbers.
func scanNumbers(s []rune) []numberToken {
	var out []numberToken
	for i := 0; i < len(s); {
		if !isASCIIDigit(s[i]) {
			i++
			continue
		}
		start := i
		v, j := readNumber(s, i)
		i = j
		if start > 0 {
			p := s[start-1]
			if unicode.IsLetter(p) && !unicode.Is(unicode.Han, p) || strings.ContainsRune(".+/:：_#〔﹝[【第№", p) {
				continue
			}
		}
		tk := numberToken{start: start, value: v}
		// range: 3-5, 3—5, 8~10, 3至5
		if j < len(s)-1 && (isDash(s[j]) || s[j] == '~' || s[j] == '至' || s[j] == '到') && isASCIIDigit(s[j+1]) {
			hi, k := readNumber(s, j+1)
			tk.max = &hi
			j = k
			i = k
		}
		tk.numEnd = j
		// unit, after optional spaces
		k := j
		for k < len(s) && s[k] == ' ' {
			k++
		}
		unit := ""
		for _, u := range measureUnits {
			if runesAt(s, k, u) {
				unit = u
				break
			}
		}
		if unit == "" {
			continue
		}
		k += utf8.RuneCountInString(unit)
		tk.unit, tk.unitEnd = unit, k
		// dates and year spans: 2025年, 2021-2025年, 2023年底
		if unit == "年" && (isYear(v) || tk.max != nil && isYear(*tk.max)) {
			i = k
			continue
		}
		if k < len(s) && strings.ContainsRune("月日号期版届级", s[k]) {
			i = k
			continue
		}
		if unit == "%" && tk.max == nil && k < len(s)-1 && (isDash(s[k]) || s[k] == '~') && isASCIIDigit(s[k+1]) {
			// 45%-50%: a range with the unit repeated
			hi, e := readNumber(s, k+1)
			if e < len(s) && s[e] == '%' {
				tk.max = &hi
				k = e + 1
			}
		}
		for _, suf := range cmpSuffixes {
			if runesAt(s, k, suf.text) {
				tk.suffixCmp = suf.cmp
				k += utf8.RuneCountInString(suf.text)
				break
			}
		}
		tk.end = k
		i = k
		out = append(out, tk)
	}
	return out
}

// runesAt reports whether the runes of s from k spell p.
func runesAt(s []rune, k int, p string) bool {
	for _, r := range p {
		if k >= len(s) || s[k] != r {
			return false
		}
		k++
	}
	return true
}

func isASCIIDigit(r rune) bool { return r >= '0' && r <= '9' }

func isYear(v float64) bool { return v >= 1949 && v <= 2100 && v == float64(int(v)) }

func readNumber(s []rune, i int) (float64, int) {
	j := i
	for j < len(s) && isASCIIDigit(s[j]) {
		j++
	}
	if j+1 < len(s) && s[j] == '.' && isASCIIDigit(s[j+1]) {
		j++
		for j < len(s) && isASCIIDigit(s[j]) {
			j++
		}
	}
	v, _ := strconv.ParseFloat(string(s[i:j]), 64)
	return v, j
}
