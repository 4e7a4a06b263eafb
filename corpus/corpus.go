// Package corpus holds the document model of zhengce: documents, their
// heading tree, the searchable units that partition their body text,
// tables and targets, the format readers' Source, Block and Cell, the
// error contract shared by every other package, the Loader that reads a
// corpus folder and the Corpus it returns, and the embedded seed files.
//
// The pipeline that fills the model lives in sub-packages, which import
// this one (never the other way round):
//
//   - corpus/parse: the text parser (decoding, cleaning, metadata,
//     outline, units) and its Parser, which holds the vocabularies;
//   - corpus/tables: table recognition and reconstruction in text lines;
//   - corpus/targets: target extraction and the indicator grouping;
//   - corpus/themes: the theme taxonomy and the segmenter's dictionary.
//
// A Loader is given its Parser (see Loader.Parser); parse.Seeds,
// parse.Load and parse.LoadDir load with the default one.
//
// Nothing here needs the word segmenter: parsing, outlines and metadata
// are pure text processing, so `zhengce docs` and `zhengce outline` start
// instantly.
package corpus

// UnitType is the kind of a searchable unit.
type UnitType string

// Unit types. Every character of a document's body text belongs to exactly
// one unit of type section, clause, task or table_row; targets are derived
// units that point back at the unit they were extracted from. A document's
// title unit and its head and foot units (版头, 版记) hold what the body
// leaves out: the title with its document number, the cover block and the
// signature, so that no text of the document is unsearchable.
const (
	TypeTitle    UnitType = "title"     // the document's title (and number): path "title"
	TypeMeta     UnitType = "meta"      // the cover block ("head") or signature and trailer ("foot")
	TypeSection  UnitType = "section"   // a heading line (or a table caption)
	TypeClause   UnitType = "clause"    // a paragraph
	TypeTask     UnitType = "task"      // a numbered measure or a 专栏 item
	TypeTableRow UnitType = "table_row" // one row of a table
	TypeTarget   UnitType = "target"    // a promised number (derived, step 3)
)

// Parts of a plan: the normalised "section" facet. Every unit belongs to
// exactly one part; the names are the same in every document.
const (
	PartBasis        = "发展基础" // achievements, problems, situation
	PartRequirements = "总体要求" // guiding ideology, principles, goals
	PartTasks        = "主要任务" // tasks, measures, 工程 chapters
	PartSafeguards   = "保障措施" // safeguards, organisation and implementation
	PartAnnex        = "附件"   // annexes, project lists
)

// Parts lists the part names in plan order.
var Parts = []string{PartBasis, PartRequirements, PartTasks, PartSafeguards, PartAnnex}

// Meta is the per-document metadata: extracted from the text where present,
// overridden by the manifest where it has an entry.
type Meta struct {
	ID        string `json:"id"`                   // stable document id, e.g. wuxi-2022
	District  string `json:"district"`             // 巫溪县
	Title     string `json:"title"`                // 巫溪县教育事业发展"十四五"规划（2021—2025年）
	Issuer    string `json:"issuer,omitempty"`     // issuing body: 巫溪县人民政府
	DocNumber string `json:"doc_number,omitempty"` // 巫溪府发〔2022〕14号
	IssueDate string `json:"issue_date,omitempty"` // YYYY-MM-DD
	Year      int    `json:"year,omitempty"`       // year of issue
	Source    string `json:"source,omitempty"`     // path of the file, relative to the corpus folder
	Format    Format `json:"format,omitempty"`     // format of the file: txt, md, pdf, docx, doc, html, ofd
	Pages     int    `json:"pages,omitempty"`      // page count of a PDF or OFD file
	OCR       bool   `json:"ocr,omitempty"`        // the text was recognised from page images (OCR)

	// Jurisdiction is the administrative division the document belongs
	// to (全国 for national documents); nil when nothing names one.
	// District is its most specific name.
	Jurisdiction *Jurisdiction `json:"jurisdiction,omitempty"`
	// Dates are the dates the document states with their events: 通过,
	// 公布, 发布, 施行, 修正, 修订, 成文, 印发. IssueDate is the date this
	// version was adopted, amended or issued.
	Dates []DateEvent `json:"dates,omitempty"`
	// Effective is the date the document takes effect (施行), when stated.
	Effective string `json:"effective,omitempty"`
	// DocType is the kind of document (文种) its title names: 规划, 方案,
	// 意见, 通知, 条例, 办法, 法 ….
	DocType string `json:"doctype,omitempty"`
	// Level is the level of legal force (效力级别): 法律, 行政法规,
	// 地方性法规, 部门规章, 地方政府规章, 司法解释, 规范性文件, 工作文件 ….
	Level string `json:"level,omitempty"`
	// Subject is the subject classification (主题分类) the document
	// states of itself, as written: a disclosure page's field (教育,
	// 科技、教育\教育). The theme taxonomy places the document by it.
	Subject string `json:"subject,omitempty"`
	// Status is 现行 for the newest version of a work, 已修改 for older
	// versions (documents with the same title and jurisdiction); set by
	// New.
	Status string `json:"status,omitempty"`
	// Versions are the ids of every version of the work, newest first,
	// when there is more than one; set by New.
	Versions []string `json:"versions,omitempty"`
}

// Jurisdiction is an administrative division of China (NBS codes) or a
// functional zone that issues documents (两江新区 under 重庆市).
type Jurisdiction struct {
	Code  string   `json:"code"`  // 370500; 100000 for 全国
	Name  string   `json:"name"`  // 东营市
	Level string   `json:"level"` // national, province, city, county, zone
	Path  []string `json:"path"`  // 山东省, 东营市 — outermost first; 全国 alone for national documents
}

// Within reports whether j is the division named name or lies below it:
// a filter on 山东省 includes 东营市's documents. Every document is within
// 全国.
func (j *Jurisdiction) Within(name string) bool {
	if j == nil {
		return false
	}
	if name == "全国" || name == j.Code {
		return true
	}
	for _, p := range j.Path {
		if p == name {
			return true
		}
	}
	return false
}

// DateEvent is a date a document states, with what happened on it.
type DateEvent struct {
	Date  string `json:"date"`            // YYYY-MM-DD, or YYYY-MM when no day is given
	Event string `json:"event,omitempty"` // 通过, 公布, 发布, 施行, 修正, 修订, 成文, 印发
}

// Document statuses.
const (
	StatusCurrent = "现行"  // the newest version of a work
	StatusAmended = "已修改" // an older version
)

// Document is one parsed policy document.
type Document struct {
	Meta
	// Raw is the full text as received, decoded to UTF-8.
	//
	// Raw and Body are set by the parser, whose checks need them; a
	// Loader releases both once a document is parsed: nothing after
	// parsing reads them, and they would double the memory of a loaded
	// corpus.
	Raw string `json:"-"`
	// Body is the display text of the document's content after stripping
	// non-content (web-page chrome, tables of contents). The units partition
	// it: Normalize(concat(unit texts)) == Normalize(Body).
	Body string `json:"-"`
	// Outline is the heading tree.
	Outline []*Section `json:"sections"`
	// Units are the searchable units in document order.
	Units []*Unit `json:"-"`
	// Tables are the reconstructed tables in document order.
	Tables []*Table `json:"-"`
	// Targets are the promised numbers extracted from tables and prose.
	Targets []*Target `json:"-"`
	// TargetsOmitted counts the targets found beyond the extraction
	// limits (per unit and per document, see package corpus/targets) and
	// left out of Targets; the loader reports them as a Warning.
	TargetsOmitted int `json:"-"`

	// stub, when set, marks a document of metadata only (NewStub) and
	// holds the counts of its body
	stub *Counts
}

// Section is a node of a document's heading tree.
type Section struct {
	ID       string     `json:"id"`       // unit id of the heading: {doc_id}/{path}
	Label    string     `json:"label"`    // numbering label as written: 第三章, （一）, 1.
	Title    string     `json:"title"`    // heading text without its label
	Level    int        `json:"level"`    // 1 for the top level
	Children []*Section `json:"children"` // sub-headings in order
}

// Unit is one searchable piece of a document.
type Unit struct {
	ID         string   `json:"id"`                    // {doc_id}/{path}, stable across re-parses
	DocID      string   `json:"doc_id"`                // document id
	Path       string   `json:"path"`                  // 3.2.1, 3.2.p1, t2.r5, box4.1, a1 …
	Type       UnitType `json:"type"`                  // section, clause, task, table_row, target
	Seq        int      `json:"seq"`                   // position in document order, from 0
	Level      int      `json:"level,omitempty"`       // heading level for sections
	Label      string   `json:"label,omitempty"`       // numbering label as written
	Title      string   `json:"title,omitempty"`       // heading, run-in or task title without label
	Text       string   `json:"text"`                  // full display text, original characters
	Breadcrumb []string `json:"breadcrumb"`            // ancestor headings, outermost first
	Citation   string   `json:"citation"`              // 《title》第三章第二节第1条
	Part       string   `json:"section"`               // one of Parts
	Themes     []string `json:"themes"`                // theme taxonomy labels
	Owners     []string `json:"responsible,omitempty"` // 责任单位 of a task
	Table      string   `json:"table,omitempty"`       // table id (t2, box1) for table_row units
	Cells      []string `json:"cells,omitempty"`       // filled cells for table_row units
	Page       int      `json:"page,omitempty"`        // page of a PDF or OFD file where the unit starts

	// Normalize of Text and Title as computed while parsing (theme
	// assignment needs them), with the strings they were computed from:
	// see NormText and SetNorm
	norm, normOf           string
	normTitle, normTitleOf string
}

// NormText returns Normalize(u.Text). Parsing computes it once per unit
// (theme assignment needs it) and the index, the domain dictionary and the
// search columns reuse it; a unit whose Text was set or changed since is
// normalised afresh.
func (u *Unit) NormText() string {
	if u.normOf == u.Text && (u.norm != "" || u.Text == "") {
		return u.norm
	}
	return Normalize(u.Text)
}

// SetNorm stores Normalize(u.Text) and Normalize(u.Title), computed by
// the caller (theme assignment needs them while parsing), for NormText and
// NormTitle to return. text and title must be exactly those values; a
// later change of Text or Title makes the unit normalise afresh.
func (u *Unit) SetNorm(text, title string) {
	u.norm, u.normOf = text, u.Text
	u.normTitle, u.normTitleOf = title, u.Title
}

// NormTitle is NormText for the unit's Title.
func (u *Unit) NormTitle() string {
	if u.normTitleOf == u.Title && (u.normTitle != "" || u.Title == "") {
		return u.normTitle
	}
	return Normalize(u.Title)
}

// Table is a reconstructed table.
type Table struct {
	ID      string     `json:"id"`      // t2 for 表2, box1 for 专栏1
	UnitID  string     `json:"unit_id"` // id of the caption unit
	Caption string     `json:"caption"` // 表2 永川区"十四五"教育事业发展主要指标
	Header  []string   `json:"header"`  // one label per column; multi-row headers joined with ·
	Rows    [][]string `json:"rows"`    // body rows, merged cells filled, len(row) == len(Header)
	RowIDs  []string   `json:"row_ids"` // unit id of each body row
}

// Point is a value of an indicator at a year.
type Point struct {
	Year       int      `json:"year"`                 // 0 when unknown; emitted as null
	Value      *float64 `json:"value"`                // nil when absent or unparsable
	Max        *float64 `json:"max,omitempty"`        // upper bound of a range (3-5所)
	Comparator string   `json:"comparator,omitempty"` // =, >, ≥, <, ≤, range
	Raw        string   `json:"raw,omitempty"`        // the value as written
	Unparsed   bool     `json:"unparsed,omitempty"`   // Raw could not be parsed: kept, flagged
}

// Target is one promised (or achieved) number.
type Target struct {
	ID        string `json:"id"`        // {unit_id}#{n}
	DocID     string `json:"doc_id"`    // document id
	District  string `json:"district"`  // district of the document
	Indicator string `json:"indicator"` // as worded, with table category: 义务教育·在校学生数
	Canonical string `json:"canonical"` // canonical indicator name across districts
	Unit      string `json:"unit"`      // %, 所, 万人 …
	Baseline  Point  `json:"baseline"`  // value before the plan period
	Target    Point  `json:"target"`    // promised value
	Attribute string `json:"attribute"` // 预期性 / 约束性 when given
	Source    string `json:"source"`    // table | text
	UnitID    string `json:"unit_id"`   // unit the target was extracted from
	Citation  string `json:"citation"`  // human citation of that unit
	Text      string `json:"text"`      // exact source text
	// Kind is "target" for a promised value, "result" for a value a
	// review table reports as achieved (its later year is in Target).
	Kind string `json:"kind"`
	// Interim holds values a table gives for years between baseline and
	// target (巫溪县 表2: 2022年), in year order.
	Interim []Point `json:"interim,omitempty"`

	// Normalised indicator, canonical name and text for Corpus.Targets,
	// set at extraction (computed on demand when empty); the indicator
	// and text they were computed from (see NormText).
	normIndicator, normCanonical, normText string
	normIndicatorOf, normTextOf            string
}

// Paths of the document units.
const (
	PathTitle = "title" // the title unit
	PathHead  = "head"  // the cover block: issuer, number, notice title, addressees
	PathFoot  = "foot"  // the signature, date and distribution trailer
)

// IsDocumentUnit reports whether u is a title, head or foot unit rather
// than a unit of the body.
func (u *Unit) IsDocumentUnit() bool { return u.Type == TypeTitle || u.Type == TypeMeta }

// Name returns the Simplified Chinese name of a unit type shown to users
// (标题, 段落, 任务, 表格行, 目标指标), or the type itself when unknown.
func (t UnitType) Name() string {
	switch t {
	case TypeTitle:
		return "文件标题"
	case TypeMeta:
		return "版头版记"
	case TypeSection:
		return "标题"
	case TypeClause:
		return "段落"
	case TypeTask:
		return "任务"
	case TypeTableRow:
		return "表格行"
	case TypeTarget:
		return "目标指标"
	}
	return string(t)
}
