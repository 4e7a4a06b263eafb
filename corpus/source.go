package corpus

import (
	"bytes"
	"context"
	"time"
)

// Format is the file format a document was read from, detected from the
// file's content (see DetectFormat), never from its extension alone.
type Format string

// Supported formats.
const (
	FormatText Format = "txt"  // plain text, UTF-8 or GB18030/GBK
	FormatMD   Format = "md"   // markdown
	FormatPDF  Format = "pdf"  // PDF, text layer or scanned pages (OCR)
	FormatDOCX Format = "docx" // Office Open XML word processing
	FormatDOC  Format = "doc"  // Word 97–2003 binary, also .wps saved by WPS Office
	FormatHTML Format = "html" // web page saved from a government site
	FormatOFD  Format = "ofd"  // OFD, GB/T 33190
)

// Name returns the format's display name (PDF, Word …).
func (f Format) Name() string {
	switch f {
	case FormatText:
		return "纯文本"
	case FormatMD:
		return "Markdown"
	case FormatPDF:
		return "PDF"
	case FormatDOCX:
		return "Word（DOCX）"
	case FormatDOC:
		return "Word（DOC/WPS）"
	case FormatHTML:
		return "网页（HTML）"
	case FormatOFD:
		return "OFD"
	}
	return string(f)
}

// ContentType returns the MIME type of the original file.
func (f Format) ContentType() string {
	switch f {
	case FormatText:
		return "text/plain; charset=utf-8"
	case FormatMD:
		return "text/markdown; charset=utf-8"
	case FormatPDF:
		return "application/pdf"
	case FormatDOCX:
		return "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
	case FormatDOC:
		return "application/msword"
	case FormatHTML:
		return "text/html"
	case FormatOFD:
		return "application/ofd"
	}
	return "application/octet-stream"
}

// BlockKind is the kind of a Block.
type BlockKind int

// Block kinds.
const (
	// BlockParagraph is one paragraph of running text.
	BlockParagraph BlockKind = iota
	// BlockHeading is a heading whose level the format states (DOCX
	// heading styles and outline levels, HTML h1–h6).
	BlockHeading
	// BlockTable is a real table of the format (DOCX w:tbl, HTML table,
	// DOC table cells): Rows hold its cells; it bypasses the text-table
	// heuristics.
	BlockTable
	// BlockLine is one visual line of a fixed-layout page (PDF, OFD),
	// with its geometry; lines are joined into paragraphs by corpus
	// (JoinLines), with the same rules the text parser uses for
	// page-break artefacts.
	BlockLine
)

// Block is one unit of a document's content in reading order, as a format
// reader returns it.
type Block struct {
	Kind  BlockKind
	Text  string // paragraph, heading or line text; empty for tables
	Level int    // heading level, 1 for the top level (BlockHeading)
	Page  int    // page number from 1 (PDF, OFD); 0 when the format has none
	Rows  [][]Cell

	// Geometry of a BlockLine in page units (points, millimetres: any
	// unit, the same for every line of a page): the left and right
	// edges of the line's text, the line's baseline (Y grows downwards)
	// and the font size. Readers of fixed-layout formats fill them; they
	// decide where a paragraph ends.
	X0, X1, Y, Size float64
}

// Cell is one cell of a table row. A cell covered by a span of another
// cell is not listed: RowSpan and ColSpan (1 when absent) say how many rows
// and columns a cell covers.
type Cell struct {
	Text    string
	RowSpan int
	ColSpan int
}

// SourceMeta is metadata a file carries about itself: HTML <meta> fields
// (ArticleTitle, PubDate, ContentSource), DOCX core properties, OFD
// DocInfo. Empty fields are unknown. Text inferred from the body always
// comes from the parser, not from here.
type SourceMeta struct {
	Title     string // ArticleTitle, dc:title, DocInfo/Title
	Issuer    string // ContentSource, DocInfo/Author where it names a body
	Date      string // PubDate, dcterms:created, DocInfo/CreationDate: YYYY-MM-DD
	DocNumber string // 发文字号 from a page's metadata table
	Subject   string // 主题分类 of a disclosure portal page
	// Strong is true when Title comes from a field meant for the
	// document's title (HTML ArticleTitle), false when the field is
	// often wrong (a Word template's leftover dc:title).
	Strong bool
}

// Source is a document as a format reader returns it: its content in
// reading order and what the file says about itself. The text parser turns
// it into a Document (ParseSource).
type Source struct {
	Format Format
	Blocks []Block
	Meta   SourceMeta
	Pages  int  // page count of PDF and OFD files, else 0
	OCR    bool // the text comes from optical character recognition
}

// Limits bound what a reader may do with one file; exceeding one is an
// ETOOLARGE (or ETIMEOUT) error that rejects the file and nothing else.
type Limits struct {
	MaxFileSize    int64         // bytes of the file itself
	MaxPages       int           // pages of a PDF or OFD
	MaxUnzipped    int64         // total uncompressed bytes of a zip container (DOCX, OFD)
	MaxZipEntries  int           // entries of a zip container
	MaxDepth       int           // nesting depth of XML or HTML elements
	MaxTextSize    int64         // bytes of extracted text
	PerFileTimeout time.Duration // wall time to read one file, OCR included
	MaxOCRPages    int           // pages sent to OCR per file
}

// DefaultLimits are the limits of `zhengce index`, `serve` and uploads:
// generous for any real policy document, small enough that a hostile file
// cannot exhaust the machine. README ("Limits") lists them.
func DefaultLimits() Limits {
	return Limits{
		MaxFileSize:    100 << 20,
		MaxPages:       2000,
		MaxUnzipped:    200 << 20,
		MaxZipEntries:  10000,
		MaxDepth:       256,
		MaxTextSize:    MaxDocumentSize,
		PerFileTimeout: 120 * time.Second,
		MaxOCRPages:    200,
	}
}

// Reader reads one file format. Read must honour ctx (its deadline is the
// per-file time limit) and lim, and report bad input as an *Error whose
// Message tells the user, in Chinese, why the file was rejected.
type Reader interface {
	Read(ctx context.Context, data []byte, lim Limits) (*Source, error)
}

// ReaderFunc adapts a function to Reader.
type ReaderFunc func(ctx context.Context, data []byte, lim Limits) (*Source, error)

// Read calls f.
func (f ReaderFunc) Read(ctx context.Context, data []byte, lim Limits) (*Source, error) {
	return f(ctx, data, lim)
}

// DetectFormat returns the format of data from its content: magic bytes
// for PDF, OLE2 compound files (DOC, WPS) and zip containers (DOCX by
// word/document.xml, OFD by OFD.xml), markup for HTML; everything else is
// text (FormatMD when the name ends in .md). ok is false for a zip or
// compound file that is none of the supported formats.
func DetectFormat(name string, data []byte) (f Format, ok bool) {
	head := data
	if len(head) > 1024 {
		head = head[:1024]
	}
	switch {
	case bytes.Contains(head, []byte("%PDF-")):
		return FormatPDF, true
	case bytes.HasPrefix(data, []byte{0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1}):
		return FormatDOC, true
	case bytes.HasPrefix(data, []byte("PK\x03\x04")):
		return zipFormat(data)
	}
	if looksHTML(head) {
		return FormatHTML, true
	}
	if n := len(name); n >= 3 && (name[n-3:] == ".md" || n >= 9 && name[n-9:] == ".markdown") {
		return FormatMD, true
	}
	return FormatText, true
}

// zipFormat tells DOCX from OFD by the names of the zip's entries, read
// from the local file headers without decompressing anything.
func zipFormat(data []byte) (Format, bool) {
	switch {
	case bytes.Contains(data, []byte("word/document.xml")):
		return FormatDOCX, true
	case bytes.Contains(data, []byte("OFD.xml")):
		return FormatOFD, true
	}
	return "", false
}

// looksHTML reports whether the start of a file is markup: a doctype or an
// <html>, <head>, <meta> or <body> tag after optional blanks and comments.
func looksHTML(head []byte) bool {
	s := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	for bytes.HasPrefix(s, []byte("<!--")) {
		end := bytes.Index(s, []byte("-->"))
		if end < 0 {
			return false
		}
		s = bytes.TrimLeft(s[end+3:], " \t\r\n")
	}
	low := bytes.ToLower(s[:min(len(s), 16)])
	for _, p := range []string{"<!doctype html", "<html", "<head", "<meta", "<body", "<?xml"} {
		if bytes.HasPrefix(low, []byte(p)) {
			return p != "<?xml" || bytes.Contains(bytes.ToLower(head), []byte("<html"))
		}
	}
	return false
}

// MaxDocumentSize is the largest document a Parser accepts, in bytes. The
// longest seed is under 100 KB; a policy document over 20 MB is almost
// certainly not a text document, and refusing it keeps one bad file from
// exhausting memory. Larger input gets an ETOOLARGE error.
const MaxDocumentSize = 20 << 20
