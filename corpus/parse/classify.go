package parse

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/dates"
	"github.com/zhengce/zhengce/corpus/gazetteer"
	"github.com/zhengce/zhengce/corpus/kinds"
)

// dateBlockRe matches a line of the date block of a law or notice: it
// opens with a date (in Arabic, full-width or Chinese numerals, possibly in
// brackets) and ends with what happened on it —
// 2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过,
// （2020年5月14日…通过　根据…第一次修正）.
var dateBlockRe = regexp.MustCompile(`^[（(]?\s*(?:[0-9０-９]{4}|[〇○零一二三四五六七八九]{4})\s*年.{0,400}?(?:通过|修正|修订|修改|公布|发布|施行|印发|批准)\s*[）)]?\s*[。；，,]?$`)

// dateLedRe matches a line that opens with a full date followed by a space
// and more text — the layout of a date block whose event is missing, cut
// short or on the next line: "2019年3月15日 第十三届全国人民代表大会第二次",
// "1984年1月7日 国务院". Prose that starts with a date has punctuation after
// it ("2021年3月5日，…"), not a space.
var dateLedRe = regexp.MustCompile(`^([（(]?\s*(?:[0-9０-９]{4}|[〇○零一二三四五六七八九]{4})\s*年\s*(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*月\s*(?:[0-9０-９]{1,2}|[一二三四五六七八九十]{1,3})\s*日)[ \t\x{3000}]+\S`)

// isDateBlockLine reports whether s is a line of a date block.
func isDateBlockLine(s string) bool {
	return utf8.RuneCountInString(s) <= 400 && dateBlockRe.MatchString(s)
}

// maxBlockJoin is how many following lines a date-block line that stops
// short of its verb may continue on.
const maxBlockJoin = 3

// dateBlock finds the date block among the cover lines ls (display lines;
// "" for a blank line). Its lines end in an event (isDateBlockLine), are a
// bare date (dateLineRe) or open with a full date and a space (dateLedRe).
// A date-led line without its verb continues on the next lines when it was
// broken inside a book title ("…《关于修改〈浙江省县" / "乡两级…" /
// "…的决定》修正") or after an issuer's name ("1984年1月7日 国务院" /
// "中央军委发布"): up to maxBlockJoin short lines that are not sentences,
// kept only when the joined text then ends in its event. It returns the
// block's entries (continued lines joined) and, for each line of ls,
// whether it belongs to the block.
func dateBlock(ls []string) (entries []string, in []bool) {
	in = make([]bool, len(ls))
	for i := 0; i < len(ls); i++ {
		l := ls[i]
		switch {
		case isDateBlockLine(l), dateLineRe.MatchString(l):
		case dateLedRe.MatchString(l) && utf8.RuneCountInString(l) <= 400:
			if j, text := continueBlock(ls, i); j > i {
				for k := i; k <= j; k++ {
					in[k] = ls[k] != ""
				}
				entries = append(entries, text)
				i = j
				continue
			}
		default:
			continue
		}
		in[i] = true
		entries = append(entries, l)
	}
	return entries, in
}

// continueBlock joins the date-led line ls[i] with the lines after it until
// the text ends in an event, and returns the last line joined and the text;
// j == i when the line does not continue.
func continueBlock(ls []string, i int) (j int, text string) {
	text = ls[i]
	m := dateLedRe.FindStringSubmatch(text)
	if m == nil {
		return i, text
	}
	after := strings.TrimSpace(text[len(m[1]):])
	broken := strings.Count(text, "《")+strings.Count(text, "〈") > strings.Count(text, "》")+strings.Count(text, "〉")
	issuer := utf8.RuneCountInString(after) <= 20 && !strings.ContainsAny(after, "，,。；;：:")
	if !broken && !issuer {
		return i, text
	}
	joined := 0
	for k := i + 1; k < len(ls) && joined < maxBlockJoin; k++ {
		l := ls[k]
		if l == "" {
			continue
		}
		if dateLedRe.MatchString(l) || dateLineRe.MatchString(l) || isDateBlockLine(l) ||
			utf8.RuneCountInString(l) > 100 || strings.ContainsAny(strings.TrimRight(l, "。"), "。") {
			break
		}
		text += l
		joined++
		if isDateBlockLine(text) {
			return k, text
		}
	}
	return i, ls[i]
}

// classify completes the metadata that depends on the whole cover: the
// stated dates and the date of this version, the kind (文种) and level of
// legal force (效力级别), and the jurisdiction. Fields the manifest sets
// keep its values; the jurisdiction is resolved from the manifest's
// district, the issuing bodies (the cover's, the enacting body of the date
// block), the document number and the title, never from the body.
func classify(m *corpus.Meta, raw []string, manifest corpus.Meta, v Vocabulary) {
	front := frontLines(raw)
	block, _ := dateBlock(front)
	ds := dates.FromLines(block)
	m.Dates = nil
	legal := false
	for _, d := range ds {
		m.Dates = append(m.Dates, corpus.DateEvent{Date: d.Date, Event: d.Event})
		switch d.Event {
		case dates.EventAdopted, dates.EventAmended, dates.EventRevised, dates.EventPublished:
			legal = true
		}
	}
	if manifest.IssueDate == "" {
		if iss := dates.IssueDate(ds); iss != "" && (m.IssueDate == "" || legal) {
			m.IssueDate = iss
			if manifest.Year == 0 {
				m.Year = yearOf(iss, m.DocNumber)
			}
		}
	}
	m.Effective = dates.Effective(ds)

	m.DocType = kinds.DocType(m.Title)
	enacting := kinds.Issuer(front)
	issuer := m.Issuer
	if enacting != "" {
		issuer = enacting
	}
	m.Level = kinds.Level(m.DocType, issuer, m.Title)

	if v.Gazetteer == nil {
		return
	}
	ev := gazetteer.Evidence{Title: m.Title, DocNumber: m.DocNumber}
	for _, s := range []string{manifest.District, m.Issuer, enacting} {
		if s = strings.TrimSpace(s); s != "" {
			ev.Issuers = append(ev.Issuers, s)
		}
	}
	j, ok := v.Gazetteer.Resolve(ev)
	if !ok {
		return
	}
	m.Jurisdiction = &corpus.Jurisdiction{Code: j.Code, Name: j.Name, Level: j.Level, Path: j.Path}
	if manifest.District == "" {
		m.District = j.Name
	}
}
