// Package kinds classifies Chinese policy and legal documents: the 文种
// (document type — 条例, 办法, 通知, 规划 …) read from a title, and the
// 效力级别 (level of legal force — 法律, 行政法规, 地方性法规, 部门规章 …)
// decided from the type, the enacting body and the title.
package kinds

import (
	"regexp"
	"strings"
	"unicode/utf8"
)

// The levels of legal force Level returns.
const (
	Constitution   = "宪法"
	Law            = "法律"
	AdminRegs      = "行政法规"
	LocalRegs      = "地方性法规"
	DeptRules      = "部门规章"
	LocalGovRules  = "地方政府规章"
	JudicialInterp = "司法解释"
	Normative      = "规范性文件"
	WorkDoc        = "工作文件"
)

// types are the 文种 DocType recognises, matched against the end of a
// title; a longer ending is tried before one it ends with (办法 before 法,
// 命令 before 令). Qualifiers in front of the type (实施办法, 若干规定,
// 暂行条例, 行动计划, 工作要点) do not change it.
var types = []string{
	"宪法修正案", "修正案", "宪法",
	"办法", "条例", "规定", "细则", "规则", "准则", "守则", "章程", "规范", "标准",
	"决定", "决议", "命令", "解释", "批复", "答复", "复函", "函",
	"通知", "通告", "公告", "通报", "公报", "意见", "报告", "请示", "纪要", "总结",
	"规划", "方案", "计划", "纲要", "要点", "指引", "指南", "清单", "目录", "制度",
	"令", "法",
}

// notLaw are words ending in 法 that do not make a title a law.
var notLaw = []string{"办法", "方法", "做法", "看法", "说法", "想法", "手法", "写法", "用法", "算法", "疗法", "技法", "书法", "司法", "执法", "违法", "守法", "普法", "依法", "立法"}

// trailerRe matches what can follow the type at the end of a title: a
// bracketed qualifier — （试行）, (修订), （草案）, （2021—2025年）,
// 〔2021〕 — quotes, punctuation and spaces.
var trailerRe = regexp.MustCompile(`(?:\s|[（(〔\[【][^（()）〔〕\[\]【】]*[）)〕\]】]|["“”'‘’。.，,;；:：!！])+$`)

// trailerRunes are the runes a trailer (see trailerRe) can end with.
const trailerRunes = "）)〕]】\"“”'‘’。.，,;；:：!！ \t\u3000"

// transmitRe matches a notice that transmits another document: 关于印发
// 《X》的通知, 关于转发…X的通知, …关于发布X的公告. Group 1 is X.
var transmitRe = regexp.MustCompile(`(?:印发|转发|批转|下发|发布|公布|颁布|颁发|修订印发)(.+?)的(?:通知|公告|通告|决定|函|批复)$`)

// DocType returns the 文种 of a document from its title: 条例, 办法, 通知,
// 规划, 法 … or "" when the title ends in none. Bracketed qualifiers at the
// end — （试行）, （修订）, （2021—2025年） — are ignored, as are qualifiers in
// front (实施办法 → 办法, 若干规定 → 规定, 暂行条例 → 条例). A notice that
// transmits another document is a 通知 (关于印发《X规划》的通知 → 通知);
// Inner gives the transmitted document's type. A law's title (中华人民共和国
// 数据安全法) is 法, a constitution's 宪法, an amendment to either 修正案 or
// 宪法修正案.
func DocType(title string) string {
	t := trimTitle(title)
	if t == "" {
		return ""
	}
	for _, ty := range types {
		if !strings.HasSuffix(t, ty) {
			continue
		}
		if ty == "法" {
			for _, w := range notLaw {
				if strings.HasSuffix(t, w) {
					return ""
				}
			}
		}
		if ty == "令" && len([]rune(t)) > 12 {
			// 令 ends a title only as an order's name (国务院令); a long
			// title ending in 令 (…禁令, …指令) is no order.
			return ""
		}
		return ty
	}
	return ""
}

// Inner returns the type of the document a notice transmits — 关于印发
// 《X规划》的通知 → 规划, 关于印发深入推进黔江教育高质量发展工作方案的通知 →
// 方案 — or DocType(title) when the title transmits nothing.
func Inner(title string) string {
	t := trimTitle(title)
	if m := transmitRe.FindStringSubmatch(t); m != nil {
		x := m[1]
		// 《A》《B》 or 《A》和《B》: the first transmitted document.
		if i := strings.Index(x, "《"); i >= 0 {
			if j := strings.Index(x[i:], "》"); j >= 0 {
				x = x[i+len("《") : i+j]
			}
		}
		if ty := DocType(x); ty != "" {
			return ty
		}
	}
	return DocType(title)
}

// trimTitle removes the trailing qualifiers and punctuation of a title and
// any markdown heading marks.
func trimTitle(title string) string {
	t := strings.TrimSpace(strings.TrimLeft(strings.TrimSpace(title), "# "))
	if r, _ := utf8.DecodeLastRuneInString(t); !strings.ContainsRune(trailerRunes, r) {
		return t // the common case: nothing to trim, no regexp to run
	}
	for {
		u := trailerRe.ReplaceAllString(t, "")
		if u == t {
			return t
		}
		t = u
	}
}

// planTypes are the plan-like types: their numbers are targets to reach.
var planTypes = map[string]bool{
	"规划": true, "方案": true, "意见": true, "计划": true, "纲要": true,
	"要点": true, "工作要点": true, "行动计划": true, "实施方案": true,
	"行动方案": true, "工作方案": true, "指导意见": true, "实施意见": true,
}

// Plan reports whether documents of docType are plans whose numbers are
// targets: 规划, 方案, 意见, 计划, 纲要, 要点 (and the longer names 工作要点,
// 行动计划, 实施方案 … for callers that keep them).
func Plan(docType string) bool { return planTypes[docType] }

// legalTypes are the types structured in articles (第X条).
var legalTypes = map[string]bool{
	"宪法": true, "宪法修正案": true, "修正案": true, "法": true, "条例": true,
	"规定": true, "办法": true, "细则": true, "解释": true, "规则": true,
	"章程": true, "准则": true, "守则": true, "规范": true,
}

// Legal reports whether documents of docType are written in articles
// (第X条): 法, 条例, 规定, 办法, 细则, 解释, 规则, 章程, 准则, 守则, 规范,
// 宪法 and amendments. 决定 and 决议 are not: most are short resolutions.
func Legal(docType string) bool { return legalTypes[docType] }

// workTypes are the types of working documents that bind nobody.
var workTypes = map[string]bool{
	"报告": true, "总结": true, "纪要": true, "要点": true, "工作要点": true,
	"请示": true, "计划": true, "行动计划": true, "规划": true, "方案": true,
	"实施方案": true, "工作方案": true, "行动方案": true, "纲要": true, "清单": true, "目录": true,
}
