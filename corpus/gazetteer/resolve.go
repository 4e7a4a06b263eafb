package gazetteer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Evidence is what a document says about who issued it, outside its body.
type Evidence struct {
	// Issuers are the issuing bodies: 落款, 发文机关, 发布机构, and the bodies of the date
	// lines before the body ("2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过"
	// may be passed whole: a leading date is skipped). Stronger ones first.
	Issuers []string
	// DocNumber is the document number (发文字号): 沪府发〔2020〕3号.
	DocNumber string
	// Title is the document's title.
	Title string
}

// evidence is the place names of one piece of evidence.
type evidence struct {
	ms  []mention
	nat bool // a national marker and no local place name that is not weak
}

// local reports whether the evidence names a place that is not weak.
func (e *evidence) local() bool {
	for _, m := range e.ms {
		if !m.weak {
			return true
		}
	}
	return false
}

// result settles one piece of evidence on its own.
func (g *Gazetteer) result(e evidence) (Jurisdiction, bool) {
	c := newChain(g)
	for _, m := range e.ms {
		c.add(m)
	}
	if n := c.result(); n >= 0 {
		return g.jur(n), true
	}
	if e.nat && !c.ambiguous {
		return g.National(), true
	}
	return Jurisdiction{}, false
}

// splitLocal separates the national markers from the local place names.
func splitLocal(ms []mention) (local []mention, nat bool) {
	local = ms[:0]
	strong := false
	for _, m := range ms {
		if m.national {
			nat = true
			continue
		}
		local = append(local, m)
		strong = strong || !m.weak
	}
	if strong {
		nat = false
	}
	return local, nat
}

// nationalBodyPrefixes lists, space-separated, the starts of the names of central bodies whose documents apply to the whole
// country.
const nationalBodyPrefixes = "国务院 国家 中共中央 中国共产党中央 中央 全国人 全国政协 最高人民法院 最高人民检察院 中国人民银行 海关总署 审计署 中国证券监督管理委员会 中国银行保险监督管理委员会 中国银行业监督管理委员会 中国保险监督管理委员会 中国人民解放军 中国民用航空局"

// isNationalBody reports whether s (normalized, without a local place name) names a central
// body: 国务院, 国家…局, 中共中央, 最高人民法院, or a ministry (教育部, 人力资源和社会保障部).
func isNationalBody(s string) bool {
	for p := range strings.FieldsSeq(nationalBodyPrefixes) {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	// A ministry: a name of at most 12 characters ending in 部, with no local level in it.
	n := 0
	for _, r := range s {
		if r == '部' {
			return n >= 1
		}
		if n >= 12 || !unicode.Is(unicode.Han, r) || strings.ContainsRune("省市县区州盟旗委厅局", r) {
			return false
		}
		n++
	}
	return false
}

// IssuerFromDateLine returns the body of a date line before a document's body:
// "2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过" →
// "上海市第十三届人民代表大会常务委员会第三十次会议通过". A leading 根据 and surrounding
// brackets are dropped, and the text is cut before the first 《 (a title cited in the line
// names the amended law, not the body). A line without a leading date is returned trimmed.
func IssuerFromDateLine(line string) string {
	s := normalize(clip(line))
	s = strings.TrimLeft(s, "（")
	s = strings.TrimSuffix(s, "）")
	s = strings.TrimPrefix(s, "根据")
	s = skipDate(s)
	if i := strings.Index(s, "《"); i >= 0 {
		s = s[:i]
	}
	return s
}

// skipDate removes a leading date written with Arabic or Chinese numerals (2011年11月17日,
// 二〇一一年十一月十七日, 2011年11月).
func skipDate(s string) string {
	isNum := func(r rune) bool {
		return (r >= '0' && r <= '9') || (r >= '０' && r <= '９') || strings.ContainsRune("〇零一二三四五六七八九十", r)
	}
	i, digits := 0, 0
	for i < len(s) {
		r, w := utf8.DecodeRuneInString(s[i:])
		if !isNum(r) {
			break
		}
		i += w
		digits++
	}
	if digits == 0 || !strings.HasPrefix(s[i:], "年") {
		return s
	}
	j := i + len("年")
	for _, unit := range []string{"月", "日"} {
		k := j
		for k < len(s) {
			r, w := utf8.DecodeRuneInString(s[k:])
			if !isNum(r) {
				break
			}
			k += w
		}
		if k == j || !strings.HasPrefix(s[k:], unit) {
			break
		}
		j = k + len(unit)
	}
	return strings.TrimLeft(s[j:], "，,")
}

func (g *Gazetteer) issuerEvidence(issuer string) evidence {
	s := IssuerFromDateLine(issuer)
	local, nat := splitLocal(g.scan(s, modeText, nil))
	if !nat && !(&evidence{ms: local}).local() {
		nat = isNationalBody(s)
	}
	return evidence{ms: local, nat: nat}
}

// FromIssuer returns the jurisdiction of an issuing body: 东营市人民代表大会常务委员会 →
// 东营市; 重庆市巫溪县人民政府 and 巫溪县人民政府 → 巫溪县 (重庆市); 全国人民代表大会常务委员会,
// 国务院, ministries, 国家…局, 最高人民法院, 中共中央 → 全国. A whole date line is accepted
// (see IssuerFromDateLine). A county name shared by several divisions (朝阳区人民政府)
// resolves to nothing.
func (g *Gazetteer) FromIssuer(issuer string) (Jurisdiction, bool) {
	return g.result(g.issuerEvidence(issuer))
}

// docPrefix returns the part of a document number before its year: 沪府发〔2020〕3号 → 沪府发.
func docPrefix(num string) string {
	s := normalize(clip(num))
	for _, p := range []string{"文号：", "文号:", "发文字号：", "发文字号:"} {
		s = strings.TrimPrefix(s, p)
	}
	for i, r := range s {
		if r == '〔' || r == '（' || r == '第' || (r >= '0' && r <= '9') || (r >= '０' && r <= '９') {
			return s[:i]
		}
	}
	return s
}

func (g *Gazetteer) docEvidence(num string) evidence {
	p := docPrefix(num)
	if p == "" {
		return evidence{}
	}
	local, nat := splitLocal(g.scan(p, modeDocNum, nil))
	if !nat && len(local) == 0 {
		nat = isNationalBody(p) // 人社部发, 工信部联
	}
	return evidence{ms: local, nat: nat}
}

// FromDocNumber returns the jurisdiction named by the prefix of a document number: a run of
// place names and abbreviations from its start (巫溪府发〔2022〕14号 → 巫溪县; 渝两江党办发 →
// 两江新区; 沪府发 → 上海市; 鲁政发 → 山东省; 穗府办规 → 广州市; 国发, 国办发, 中办发 and
// ministries' 人社部发 → 全国). One-character abbreviations are read only at the very start;
// see data/abbrev.csv for the list and its known ambiguities.
func (g *Gazetteer) FromDocNumber(num string) (Jurisdiction, bool) {
	return g.result(g.docEvidence(num))
}

func (g *Gazetteer) titleEvidence(title string) evidence {
	s := normalize(clip(title))
	if strings.HasPrefix(s, "中华人民共和国") {
		return evidence{nat: true} // laws of the whole country, even 中华人民共和国香港特别行政区基本法
	}
	// "X关于…": X is the issuer.
	if k := strings.Index(s, "关于"); k > 0 {
		if e := g.issuerEvidence(s[:k]); e.local() || e.nat {
			return e
		}
	}
	local, nat := splitLocal(g.scan(s, modeText, nil))
	return evidence{ms: local, nat: nat}
}

// FromTitle returns the jurisdiction named by a title: 东营市养犬管理条例 → 东营市;
// 中国（重庆）自由贸易试验区条例 → the zone under 重庆市; 中华人民共和国… → 全国; the issuer
// before 关于 when there is one (国务院关于…, 山东省人民政府关于…). A title naming no place
// gives nothing (see Resolve for the default of legal kinds).
func (g *Gazetteer) FromTitle(title string) (Jurisdiction, bool) {
	return g.result(g.titleEvidence(title))
}

// maxIssuers bounds the issuers Resolve reads; the rest are ignored.
const maxIssuers = 32

// Resolve weighs the evidence strongest first: issuers, then the document number, then
// the title. A weaker piece refines a stronger one when it names a place below it (issuer
// 山东省人大常委会 + title 东营市养犬管理条例 → 东营市) and is ignored when it contradicts it.
// An ambiguous name (朝阳区) counts only when another piece settles it (北京市…). A national
// body as issuer (or, failing local evidence, a national document number or a title starting
// with 中华人民共和国) makes the document national whatever places it names: 国务院关于同意设立
// 中国（上海）自由贸易试验区的批复 is national.
//
// With no place at all, a title of a legal kind — ending in 法, 条例, 规定, 细则 or 规则,
// after any bracketed note such as （试行） — is national: local legislation and government
// rules carry their place in their title by drafting convention, so an unplaced 条例 is the
// State Council's or the NPC's. Other titles without evidence (通知, 意见) give false.
//
// Only the first 1,024 bytes of each string and the first 32 issuers are read.
func (g *Gazetteer) Resolve(e Evidence) (Jurisdiction, bool) {
	c := newChain(g)
	issuers := e.Issuers
	if len(issuers) > maxIssuers {
		issuers = issuers[:maxIssuers]
	}
	for _, is := range issuers {
		ev := g.issuerEvidence(is)
		if ev.nat && c.best < 0 && !c.ambiguous {
			return g.National(), true
		}
		for _, m := range ev.ms {
			c.add(m)
		}
	}
	for _, ev := range []evidence{g.docEvidence(e.DocNumber), g.titleEvidence(e.Title)} {
		if ev.nat && c.best < 0 && !c.ambiguous {
			return g.National(), true
		}
		for _, m := range ev.ms {
			c.add(m)
		}
	}
	if n := c.result(); n >= 0 {
		return g.jur(n), true
	}
	if !c.ambiguous && legalKind(normalize(clip(e.Title))) {
		return g.National(), true
	}
	return Jurisdiction{}, false
}

// legalKind reports whether a title names a law, regulation or rules.
func legalKind(t string) bool {
	for strings.HasSuffix(t, "）") {
		i := strings.LastIndex(t, "（")
		if i < 0 {
			break
		}
		t = t[:i]
	}
	for _, suf := range []string{"法", "条例", "规定", "细则", "规则"} {
		if strings.HasSuffix(t, suf) {
			return true
		}
	}
	return false
}
