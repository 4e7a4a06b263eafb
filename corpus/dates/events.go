package dates

import "strings"

// The events a Date can carry. Verbs are mapped onto these: 审议通过 → 通过;
// 批准 stays 批准 (a superior body's approval: the province approving a 设区的
// 市's regulation, the State Council a ministry's rule — not an act of the
// issuer); 修改, 第N次修正, …的决定修正 → 修正; 修订,
// 修订通过, 第N次修订 → 修订; 公告, 颁布 → 公布; 执行 (起执行) → 施行; 废止 is
// kept as 废止. A date line with no verb at all (the date under a notice's
// signature) is 成文.
const (
	EventAdopted   = "通过"
	EventApproved  = "批准"
	EventPublished = "公布"
	EventIssued    = "发布"
	EventEffective = "施行"
	EventAmended   = "修正"
	EventRevised   = "修订"
	EventWritten   = "成文"
	EventPrinted   = "印发"
	EventRepealed  = "废止"
)

// Date is one dated event of a document's history.
type Date struct {
	Date  string `json:"date"`  // YYYY-MM-DD, or YYYY-MM / YYYY when the text gives no day
	Event string `json:"event"` // 通过, 批准, 公布, 发布, 施行, 修正, 修订, 成文, 印发, 废止; "" when the line names none
	Text  string `json:"-"`     // the line or fragment it was read from
}

// verbs are the words that name an event, longest first where one contains
// another; each maps to its event.
var verbs = []struct{ word, event string }{
	{"修正", EventAmended}, {"修订", EventRevised}, {"修改", EventAmended},
	{"通过", EventAdopted}, {"批准", EventApproved},
	{"公布", EventPublished}, {"公告", EventPublished}, {"颁布", EventPublished},
	{"发布", EventIssued}, {"印发", EventPrinted},
	{"施行", EventEffective}, {"执行", EventEffective},
	{"废止", EventRepealed},
}

// verbAt is one verb found in a clause: its byte offset and event.
type verbAt struct {
	pos   int
	word  string
	event string
}

// FromLines reads the date block of a law or notice — the lines between the
// title and the body — and returns every dated event, in the order written.
//
// A line can hold several events. A new one starts at a date that follows
// 根据, 自, punctuation or a verb ("…批准2010年3月31日…公告公布自2010年5月1日
// 施行" is 批准, 公布 and 施行); a date inside a clause ("…通过并经2021年12月
// 3日…批准的《决定》修正", "…批准的2020年1月14日…决定修正") qualifies that
// clause and is not an event of its own. The event of a clause is its last
// verb outside book-title marks: Chinese puts the main verb last. A clause
// whose verb is 施行 after 公布/发布/印发 ("公告公布施行", "发布 自发布之日
// 施行") yields both events on the same date. A clause with a verb but no
// date ("国务院令第746号公布" on the line after a bare date) gives its event
// to that bare date; otherwise it is dropped, since it cannot be dated.
func FromLines(lines []string) []Date {
	var out []Date
	bare := -1 // index in out of the last bare date (a line that is only a date)
	for _, line := range lines {
		f, offs := fold(line)
		ms := scan(f)
		if len(ms) == 0 {
			if ev := clauseEvents(f, nil); len(ev) > 0 && bare >= 0 {
				out[bare].Event = ev[0]
				out[bare].Text = strings.TrimSpace(out[bare].Text + " " + strings.TrimSpace(line))
				bare = -1
			}
			continue
		}
		// Text before the first date is part of the first clause unless it
		// is a clause of its own ("国务院令第746号公布 自2020年…起施行"), which
		// dates a bare date just before it or is dropped.
		from := 0
		if pre := f[:ms[0].start]; opensClause(pre) && len(findVerbs(pre)) > 0 {
			from = ms[0].start
			if ev := clauseEvents(pre, nil); len(ev) > 0 && bare >= 0 {
				out[bare].Event = ev[0]
				out[bare].Text = strings.TrimSpace(out[bare].Text + " " + strings.TrimSpace(line[:offs[from]]))
			}
		}
		bare = -1
		// Clause starts: indexes into ms of dates that begin an event.
		starts := []int{0}
		for i := 1; i < len(ms); i++ {
			if opensClause(f[ms[i-1].end:ms[i].start]) {
				starts = append(starts, i)
			}
		}
		for k, si := range starts {
			end := len(f)
			if k+1 < len(starts) {
				end = ms[starts[k+1]].start
			}
			begin := ms[si].start
			if k == 0 {
				begin = from
			}
			c := f[begin:end]
			text := strings.TrimSpace(line[offs[begin]:offs[end]])
			evs := clauseEvents(c, ms[si:nextStart(starts, k, len(ms))])
			if len(evs) == 0 {
				ev := ""
				if isBare(f, ms) {
					ev = EventWritten
					bare = len(out)
				}
				out = append(out, Date{Date: ms[si].date, Event: ev, Text: text})
				continue
			}
			for _, ev := range evs {
				out = append(out, Date{Date: ms[si].date, Event: ev, Text: text})
			}
		}
	}
	return out
}

func nextStart(starts []int, k, n int) int {
	if k+1 < len(starts) {
		return starts[k+1]
	}
	return n
}

// isBare reports whether the folded line f holds one date and nothing but
// brackets, spaces and punctuation around it.
func isBare(f string, ms []match) bool {
	if len(ms) != 1 {
		return false
	}
	rest := f[:ms[0].start] + f[ms[0].end:]
	return strings.Trim(rest, " ()（）[]【】〔〕,，.。;；:：") == ""
}

// opensClause reports whether a date preceded by the text between reads as
// the start of a new event: after 根据, 自, 于, sentence punctuation or a verb,
// or with nothing but spaces between two dates.
func opensClause(between string) bool {
	t := strings.TrimRight(between, " ")
	if t == "" {
		return true
	}
	for _, suf := range []string{"根据", "自", "；", ";", "，", ",", "。", "(", "（", "、", "以及"} {
		if strings.HasSuffix(t, suf) {
			return true
		}
	}
	for _, v := range verbs {
		if strings.HasSuffix(t, v.word) {
			return true
		}
	}
	return false
}

// findVerbs returns the event verbs of c outside book-title marks, in order;
// when there are none there, the verbs inside them (an unbalanced
// "《关于修改…的决定修正》" puts the verb inside).
func findVerbs(c string) []verbAt {
	if vs := verbsOf(c, false); len(vs) > 0 {
		return vs
	}
	return verbsOf(c, true)
}

// verbsOf returns the event verbs of c, those inside book-title marks only
// when inTitles.
func verbsOf(c string, inTitles bool) []verbAt {
	var out []verbAt
	depth := 0
	for i, r := range c {
		switch r {
		case '《', '〈':
			depth++
			continue
		case '》', '〉':
			if depth > 0 {
				depth--
			}
			continue
		case '修', '通', '批', '公', '颁', '发', '印', '施', '执', '废':
		default:
			continue
		}
		if depth > 0 && !inTitles {
			continue
		}
		for _, v := range verbs {
			if strings.HasPrefix(c[i:], v.word) {
				if v.word == "执行" && !runsEffect(c[:i]) {
					break
				}
				out = append(out, verbAt{pos: i, word: v.word, event: v.event})
				break
			}
		}
	}
	return out
}

// runsEffect reports whether 执行 after before means "takes effect":
// "1995年1月1日起执行", "自发布之日执行", or 执行 alone after the date.
func runsEffect(before string) bool {
	t := strings.TrimRight(before, " ")
	if strings.HasSuffix(t, "起") || strings.HasSuffix(t, "之日") {
		return true
	}
	ms := scan(t)
	return len(ms) > 0 && ms[len(ms)-1].end == len(t)
}

// clauseEvents returns the events of one clause (usually one; two for
// 公布施行). ms are the dates inside the clause.
func clauseEvents(c string, ms []match) []string {
	vs := findVerbs(c)
	if len(vs) == 0 {
		return nil
	}
	last := vs[len(vs)-1]
	switch last.event {
	case EventEffective:
		// 公告公布施行, 发布 自发布之日施行: published and in force that day.
		// A 施行 whose own date follows 自 is a clause of its own already;
		// one that follows 通过 ("通过，自公布之日起施行") has no date here.
		for _, v := range vs[:len(vs)-1] {
			if v.event == EventPublished || v.event == EventIssued || v.event == EventPrinted {
				return []string{v.event, EventEffective}
			}
		}
		if len(vs) > 1 { // 通过，自公布之日起施行: the date is the adoption's
			return []string{mainOf(c, vs[:len(vs)-1])}
		}
		return []string{EventEffective}
	case EventPublished, EventIssued, EventPrinted:
		// 修订发布, 修正公布: issued as revised.
		if len(vs) > 1 {
			p := vs[len(vs)-2]
			if (p.event == EventRevised || p.event == EventAmended) && p.pos+len(p.word) == last.pos {
				return []string{p.event}
			}
		}
	}
	return []string{mainOf(c, vs)}
}

// mainOf is the event of the last verb of vs with the compounds resolved:
// 修订通过 → 修订, 通过的《…修正案》 / 通过的《…关于修改…的决定》 → 修正.
func mainOf(c string, vs []verbAt) string {
	last := vs[len(vs)-1]
	if last.event != EventAdopted || last.word != "通过" {
		return last.event
	}
	if len(vs) > 1 {
		p := vs[len(vs)-2]
		if (p.event == EventRevised || p.event == EventAmended) && p.pos+len(p.word) == last.pos {
			return p.event
		}
	}
	tail := c[last.pos+len(last.word):]
	if i := strings.Index(tail, "《"); i >= 0 && i <= len("的") {
		title := tail[i:]
		if j := strings.Index(title, "》"); j >= 0 {
			title = title[:j]
		}
		switch {
		case strings.Contains(title, "修正案"), strings.Contains(title, "修改"):
			return EventAmended
		case strings.Contains(title, "修订"):
			return EventRevised
		}
	}
	return EventAdopted
}

// issueEvents are the events that make a version of a document.
var issueEvents = map[string]bool{
	EventAmended: true, EventRevised: true, EventAdopted: true, EventPublished: true,
	EventIssued: true, EventPrinted: true, EventWritten: true,
}

// IssueDate returns the date the current version of a document was made:
// the latest date whose event is an act of the issuer — 修正, 修订, 通过,
// 公布, 发布, 印发 or 成文. These are all steps of one act — a law passed,
// then promulgated; a notice written (成文), then printed (印发) — and each
// amendment restarts them, so the latest such date is the date of the text
// in hand (for a law amended several times, its last amendment). A superior
// body's approval (批准: the province approving a city's regulation) is the
// date of another body's act: the version is the one its own congress
// adopted ("2021年7月3日 …市…通过 2021年7月30日 …省…批准" is 2021-07-03),
// unless it was published later. An amendment "approved" in its own clause
// ("2021年4月2日 …省…批准的《…决定》修正") is a 修正 and counts. 施行 is never
// an issue date: a law can be adopted in one year and take effect in the
// next, and an effective date says nothing about when the text was made;
// 废止 is not one either. Approvals, then dates with no event, count only
// when no dated act of the issuer qualifies. The result is "" when ds has
// none of these.
func IssueDate(ds []Date) string {
	best, approved, loose := "", "", ""
	for _, d := range ds {
		switch {
		case issueEvents[d.Event]:
			if later(d.Date, best) {
				best = d.Date
			}
		case d.Event == EventApproved:
			if later(d.Date, approved) {
				approved = d.Date
			}
		case d.Event == "":
			if later(d.Date, loose) {
				loose = d.Date
			}
		}
	}
	switch {
	case best != "":
		return best
	case approved != "":
		return approved
	}
	return loose
}

// Effective returns the date the document takes effect: the latest 施行 date
// in ds (the current version's, when each amendment names its own), or ""
// when ds names none.
func Effective(ds []Date) string {
	best := ""
	for _, d := range ds {
		if d.Event == EventEffective && later(d.Date, best) {
			best = d.Date
		}
	}
	return best
}

// later reports whether date a (YYYY[-MM[-DD]]) is after b; "" is earliest.
// A partial date sorts before the full dates it contains.
func later(a, b string) bool {
	return a > b
}
