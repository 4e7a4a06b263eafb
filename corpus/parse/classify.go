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
// opens with a date (in Arabic or Chinese numerals, possibly in brackets)
// and ends with what happened on it —
// 2011年11月17日 上海市第十三届人民代表大会常务委员会第三十次会议通过,
// （2020年5月14日…通过　根据…第一次修正）.
var dateBlockRe = regexp.MustCompile(`^[（(]?\s*(?:\d{4}|[〇○零一二三四五六七八九]{4})\s*年.{0,400}?(?:通过|修正|修订|修改|公布|发布|施行|印发|批准)\s*[）)]?\s*[。；]?$`)

// isDateBlockLine reports whether s is a line of a date block.
func isDateBlockLine(s string) bool {
	return utf8.RuneCountInString(s) <= 400 && dateBlockRe.MatchString(s)
}

// classify completes the metadata that depends on the whole cover: the
// stated dates and the date of this version, the kind (文种) and level of
// legal force (效力级别), and the jurisdiction. Fields the manifest sets
// keep its values; the jurisdiction is resolved from the manifest's
// district, the issuing bodies (the cover's, the enacting body of the date
// block), the document number and the title, never from the body.
func classify(m *corpus.Meta, raw []string, manifest corpus.Meta, v Vocabulary) {
	front := frontLines(raw)
	var block []string
	for _, l := range front {
		if isDateBlockLine(l) || dateLineRe.MatchString(l) {
			block = append(block, l)
		}
	}
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
