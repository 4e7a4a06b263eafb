package kinds

import (
	"regexp"
	"strings"
)

// placeRe matches a title or body that begins with a place below the state:
// 上海市, 山东省, 广西壮族自治区, 延边朝鲜族自治州, 巫溪县, 黔江区 … (two
// characters at least before 市, so 城市公共交通条例 is no place's).
var placeRe = regexp.MustCompile(`^(?:[\p{Han}]{2,12}?(?:省|自治区|特别行政区|市|自治州|州|地区|盟|自治县|县|区|旗|镇|乡))`)

// nationalRe matches bodies of the central state whose names could pass for
// places (国家…局, 中国人民银行) or that placeRe would cut wrongly.
var nationalRe = regexp.MustCompile(`^(?:中华人民共和国|国家|国务院|中国|中央|全国|最高人民|海关总署|公安部|财政部|教育部|司法部|商务部|民政部|外交部|国防部|审计署|[\p{Han}]{1,10}部(?:[、，]|$|令))`)

// Level returns the 效力级别 of a document — 宪法, 法律, 行政法规, 地方性
// 法规, 部门规章, 地方政府规章, 司法解释, 规范性文件 or 工作文件 — from its
// type (DocType), the body that enacted or issued it (as Issuer returns it:
// a name ending in 令 when the body acted by order) and its title; "" when
// they do not tell.
//
// The body decides first: the 全国人民代表大会 or its standing committee, or
// an order of the 主席, makes 法律; any other 人民代表大会 (a province's, a
// city's) 地方性法规; the 国务院 行政法规 when the text is legal in form
// (条例, 规定, 办法 …) or an order, else a normative or working document; the
// 最高人民法院/最高人民检察院 司法解释 (解释, 规定, 批复, 决定); a ministry or
// other central body 部门规章 when it acts by order or in legal form; a local
// 人民政府 acting by order 地方政府规章. Otherwise plans and reports are
// 工作文件 and the rest (通知, 意见, 办法 without an order) 规范性文件.
//
// Without a body the title decides, where it can: 中华人民共和国…法 and …法
// are 法律 (only the national legislature makes 法), a local …条例 is 地方性
// 法规 (local governments cannot make 条例) as is a local 实施《…法》办法,
// a national …条例 is 行政法规 (ministries cannot make 条例), 国务院关于…的
// 规定 is 行政法规. A local or national 规定 or 办法 of unknown origin stays
// "": it could be a regulation, a rule or a normative document.
func Level(docType, issuer, title string) string {
	t := trimTitle(title)
	iss := strings.Join(strings.Fields(issuer), "")
	if docType == "宪法" || docType == "宪法修正案" || strings.Contains(t, "宪法修正案") || t == "中华人民共和国宪法" {
		return Constitution
	}
	order := strings.HasSuffix(iss, "令") || strings.Contains(iss, "令第")
	legal := Legal(docType) || docType == "命令" || docType == "令"
	switch {
	case iss == "":
		return fromTitle(docType, t)
	case strings.Contains(iss, "最高人民法院") || strings.Contains(iss, "最高人民检察院"):
		switch docType {
		case "解释", "规定", "批复", "决定", "办法", "细则", "规则":
			return JudicialInterp
		}
		return other(docType)
	case strings.Contains(iss, "全国人民代表大会") || strings.Contains(iss, "全国人大") || strings.Contains(iss, "主席"):
		return Law
	case strings.Contains(iss, "人民代表") || strings.Contains(iss, "人大"):
		return LocalRegs
	case stateCouncil(iss):
		if legal || order {
			return AdminRegs
		}
		return other(docType)
	case !nationalRe.MatchString(iss) && (placeRe.MatchString(iss) || strings.Contains(iss, "人民政府")):
		if order && legal && strings.Contains(iss, "人民政府") {
			return LocalGovRules
		}
		return other(docType)
	default: // a ministry, commission or bureau of the central state
		if order || legal {
			return DeptRules
		}
		return other(docType)
	}
}

// stateCouncil reports whether body is the State Council itself — alone,
// with the Central Military Commission or the Party Central Committee, or as
// its predecessor 政务院 (1949–1954) — not one of its offices.
func stateCouncil(body string) bool {
	for _, b := range strings.Split(strings.TrimSuffix(body, "令"), "、") {
		b = strings.TrimPrefix(b, "中华人民共和国")
		b = strings.TrimPrefix(b, "中央人民政府")
		if b == "政务院" || b == "国务院" || strings.HasPrefix(b, "国务院中央军") {
			return true
		}
	}
	return false
}

// other is the level of a non-legislative document: 工作文件 for plans and
// reports, 规范性文件 for the rest.
func other(docType string) string {
	if workTypes[docType] {
		return WorkDoc
	}
	if docType == "" {
		return ""
	}
	return Normative
}

// localLawRe matches a local title implementing a national law: 上海市实施
// 《中华人民共和国义务教育法》办法.
var localLawRe = regexp.MustCompile(`实施《[^》]*法》(?:的)?(?:办法|细则|规定|若干规定)$`)

// fromTitle is Level without a body.
func fromTitle(docType, t string) string {
	national := nationalRe.MatchString(t) || !placeRe.MatchString(t)
	switch {
	case strings.HasPrefix(t, "最高人民法院") || strings.HasPrefix(t, "最高人民检察院"):
		switch docType {
		case "解释", "规定", "批复", "决定":
			return JudicialInterp
		}
		return other(docType)
	case docType == "法" || docType == "修正案":
		return Law
	case strings.HasPrefix(t, "全国人民代表大会"):
		return Law
	case strings.HasPrefix(strings.TrimPrefix(t, "中华人民共和国"), "国务院"):
		if Legal(docType) || docType == "命令" || docType == "令" {
			return AdminRegs
		}
		return other(docType)
	case !national:
		if docType == "条例" || (strings.Contains(t, "人民代表大会") && Legal(docType)) || localLawRe.MatchString(t) {
			return LocalRegs
		}
		if Legal(docType) {
			return ""
		}
		return other(docType)
	case docType == "条例":
		return AdminRegs
	case Legal(docType):
		return ""
	}
	return other(docType)
}

// Issuer returns the body that enacted or issued a document, read from its
// date block (the lines between the title and the body): the body of the
// first clause that names one, without its session (第十三届, 第三十次会议)
// or the 中华人民共和国 before 国务院 — 上海市人民代表大会常务委员会,
// 全国人民代表大会常务委员会, 国务院, 国家市场监督管理总局. When the body
// acted by order (国务院令第566号, 公安部令第125号, 第4号令) the result ends
// in 令 (国务院令), which Level reads. A notice's signature (a line naming a
// body, followed by a date) is used when no clause names one. It returns ""
// when the lines name no body.
func Issuer(lines []string) string {
	for _, l := range lines {
		if b := clauseBody(l); b != "" {
			return b
		}
	}
	for i, l := range lines {
		s := strings.TrimSpace(l)
		if i+1 < len(lines) && orgRe.MatchString(s) && dateRe.MatchString(lines[i+1]) {
			return tidyBody(s)
		}
	}
	return ""
}

var (
	// dateRe matches a written date at the start of a line or clause.
	dateRe = regexp.MustCompile(`^[\s（(]*(?:[0-9０-９]{4}|[〇○零一二三四五六七八九]{4})\s*年\s*[0-9０-９一二三四五六七八九十]{1,3}\s*月(?:\s*[0-9０-９一二三四五六七八九十]{1,3}\s*[日号])?\s*`)
	// sessionRe matches the numbering of a congress or meeting: 第十三届,
	// 第三十次会议, 第76次常务会议, 2021年第20次室务会议.
	sessionRe = regexp.MustCompile(`(?:[0-9]{4}年)?第[0-9０-９一二三四五六七八九十百零〇]+(?:届|次)`)
	// orderRe matches an order: …令第566号, …第4号令, …令（第12号）.
	orderRe = regexp.MustCompile(`^(.+?)(?:令第[0-9０-９一二三四五六七八九十百零〇]+号|第[0-9０-９一二三四五六七八九十百零〇]+号令|令（第[^）]+号）)`)
	// meetingRe cuts a body before its meeting: …会议通过, …常务会议,
	// …部长办公会议.
	meetingRe = regexp.MustCompile(`^(.+?)(?:部长办公会议|常务会议|部务会议|局务会议|署务会议|室务会议|委务会议|行务会议|办公会议|主任会议|全体会议|会议)`)
	// actRe cuts a body before its verb.
	actRe = regexp.MustCompile(`^(.+?)(?:审议通过|通过|批准|发布|公布|印发|颁布|公告)`)
	// orgRe matches a line that is only a body's name (a signature).
	orgRe = regexp.MustCompile(`^[\p{Han}、（）()]{2,30}(?:人民政府|办公厅|办公室|委员会|部|厅|局|署|院|委|会|中心|银行|总局)$`)
)

// clauseBody reads the body of the first clause of one date-block line.
func clauseBody(line string) string {
	s := strings.TrimSpace(line)
	loc := dateRe.FindStringIndex(s)
	if loc == nil {
		return ""
	}
	s = strings.TrimSpace(s[loc[1]:])
	s = strings.TrimPrefix(s, "经")
	s = strings.TrimPrefix(s, "由")
	if strings.HasPrefix(s, "《") || strings.HasPrefix(s, "施行") || strings.HasPrefix(s, "起施行") {
		return "" // "《国务院关于修改…的决定》第一次修订": no body named
	}
	if m := orderRe.FindStringSubmatch(s); m != nil {
		return tidyBody(m[1]) + "令"
	}
	s = sessionRe.ReplaceAllString(s, "")
	for _, re := range []*regexp.Regexp{meetingRe, actRe} {
		if m := re.FindStringSubmatch(s); m != nil {
			if b := tidyBody(m[1]); b != "" {
				return b
			}
		}
	}
	return ""
}

// tidyBody trims a body's name: spaces, the 中华人民共和国 of 国务院, a
// trailing 公告 or 主席团.
func tidyBody(b string) string {
	b = strings.Join(strings.Fields(b), "")
	b = sessionRe.ReplaceAllString(b, "")
	b = strings.TrimSuffix(b, "公告")
	if strings.HasPrefix(b, "中华人民共和国国务院") {
		b = strings.TrimPrefix(b, "中华人民共和国")
	}
	if len([]rune(b)) < 2 {
		return ""
	}
	return b
}
