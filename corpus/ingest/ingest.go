// Package ingest assembles zhengce's format readers into a corpus.Loader:
// PDF (pdfium in WebAssembly, OCR of scanned pages through tesseract when
// installed), DOCX, DOC/WPS, saved web pages (HTML) and OFD. It is the
// one place that knows every reader; the corpus package knows none.
package ingest

import (
	"errors"
	"fmt"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/doc"
	"github.com/zhengce/zhengce/corpus/docx"
	"github.com/zhengce/zhengce/corpus/html"
	"github.com/zhengce/zhengce/corpus/ocr"
	"github.com/zhengce/zhengce/corpus/ofd"
	"github.com/zhengce/zhengce/corpus/pdf"
)

// Options configure the readers.
type Options struct {
	// Parser parses every file (the Loader's Parser): parse.Default() for
	// zhengce's policy documents. A Loader without one fails.
	Parser corpus.Parser
	// Limits bound every file; the zero value means corpus.DefaultLimits.
	Limits corpus.Limits
	// PDFCacheDir is pdfium's compilation cache (see pdf.Options.CacheDir).
	PDFCacheDir string
	// NoOCR disables OCR even when tesseract is installed.
	NoOCR bool
}

// Readers is the set of format readers of a Loader, with the resources
// they hold (the pdfium runtime, started on the first PDF).
type Readers struct {
	pdf *pdf.Reader
	// OCRError says why scanned pages cannot be recognised (tesseract or
	// its Chinese model missing); nil when OCR is available.
	OCRError error
	loader   corpus.Loader
}

// New returns the readers of every supported format. It starts nothing:
// pdfium is compiled on the first PDF, tesseract is only looked up.
func New(opts Options) *Readers {
	r := &Readers{}
	var engine *ocr.Engine
	if opts.NoOCR {
		r.OCRError = errors.New("OCR disabled")
	} else if e, err := ocr.Find(); err != nil {
		r.OCRError = err
	} else {
		engine = e
	}
	r.pdf = pdf.New(pdf.Options{CacheDir: opts.PDFCacheDir, OCR: engine})
	r.loader = corpus.Loader{
		Parser: opts.Parser,
		Limits: opts.Limits,
		Readers: map[corpus.Format]corpus.Reader{
			corpus.FormatPDF:  r.pdf,
			corpus.FormatDOCX: docx.New(),
			corpus.FormatDOC:  doc.New(),
			corpus.FormatHTML: html.New(),
			corpus.FormatOFD:  ofd.New(),
		},
	}
	return r
}

// Loader returns a corpus.Loader using the readers.
func (r *Readers) Loader() *corpus.Loader {
	l := r.loader
	return &l
}

// PDFStarted reports whether the pdfium runtime was started, i.e. whether
// a PDF file was read.
func (r *Readers) PDFStarted() bool { return r.pdf.Started() }

// Close releases the pdfium runtime if it was started.
func (r *Readers) Close() error {
	if err := r.pdf.Close(); err != nil {
		return fmt.Errorf("close pdf reader: %w", err)
	}
	return nil
}
