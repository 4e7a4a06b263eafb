// Package ocr recognises the text of page images with the tesseract
// command-line program (Debian packages tesseract-ocr and
// tesseract-ocr-chi-sim). It turns tesseract's TSV output into lines with
// pixel boxes and removes the spaces tesseract puts between CJK characters.
package ocr

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"sort"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/zhengce/zhengce/corpus"
)

// Languages is the tesseract language model Recognize uses: simplified
// Chinese, which also reads Latin letters and digits. Adding eng
// (chi_sim+eng) made the scanned test page 1.7 times slower to recognise
// and no more accurate.
const Languages = "chi_sim"

// DefaultPSM is tesseract's page segmentation mode Recognize uses: 6, one
// uniform block of text. On pages of Chinese policy documents (one column,
// full-width lines) it reads line by line across the page and gave the
// best character accuracy of modes 3, 4 and 6 on the scanned test page
// (99.4 % against the text layer at 200 dpi; mode 3 sometimes scrambles
// the order of the lines of a low-resolution page).
const DefaultPSM = 6

// Engine runs tesseract. The zero value is not usable: get one from Find.
// An Engine has no mutable state and is safe for concurrent use.
type Engine struct {
	path string // absolute path of the tesseract binary
	psm  int    // page segmentation mode
}

// Line is one recognised line of text with its box in pixels of the image
// (Y grows downwards) and tesseract's mean word confidence (0–100).
type Line struct {
	Text                     string
	Left, Top, Right, Bottom int
	Conf                     float64
}

// Find locates tesseract in PATH and checks that its chi_sim model is
// installed. The error is a *corpus.Error whose message tells the user what
// to install.
func Find() (*Engine, error) {
	path, err := exec.LookPath("tesseract")
	if err != nil {
		return nil, &corpus.Error{Code: corpus.EINVALID,
			Message: "未找到 OCR 程序 tesseract：请安装 tesseract-ocr 和 tesseract-ocr-chi-sim（Debian/Ubuntu：apt-get install tesseract-ocr tesseract-ocr-chi-sim）",
			Err:     err}
	}
	cmd := exec.Command(path, "--list-langs")
	cmd.Env = tessEnv()
	out, err := cmd.CombinedOutput()
	if err != nil {
		return nil, &corpus.Error{Code: corpus.EINVALID,
			Message: "OCR 程序 tesseract 无法运行：请重新安装 tesseract-ocr 和 tesseract-ocr-chi-sim",
			Err:     fmt.Errorf("tesseract --list-langs: %w: %s", err, bytes.TrimSpace(out))}
	}
	if !hasLang(out, "chi_sim") {
		return nil, &corpus.Error{Code: corpus.EINVALID,
			Message: "OCR 程序 tesseract 缺少简体中文识别模型 chi_sim：请安装 tesseract-ocr-chi-sim",
			Err:     errors.New("tesseract --list-langs lists no chi_sim")}
	}
	return &Engine{path: path, psm: DefaultPSM}, nil
}

// hasLang reports whether the output of tesseract --list-langs names lang
// on a line of its own.
func hasLang(out []byte, lang string) bool {
	for line := range strings.Lines(string(out)) {
		if strings.TrimSpace(line) == lang {
			return true
		}
	}
	return false
}

// tessEnv is the environment of a tesseract process: one OpenMP thread, so
// that concurrent recognitions share the machine's cores instead of each
// spinning up a thread per core.
func tessEnv() []string {
	return append(os.Environ(), "OMP_THREAD_LIMIT=1")
}

// Recognize runs tesseract on one image (PNG, or any format leptonica
// reads) and returns its lines in reading order. ctx bounds the run: the
// process is killed when ctx is done.
func (e *Engine) Recognize(ctx context.Context, img []byte) ([]Line, error) {
	if e == nil || e.path == "" {
		return nil, errors.New("ocr: Engine not initialised (use ocr.Find)")
	}
	cmd := exec.CommandContext(ctx, e.path, "stdin", "stdout",
		"-l", Languages, "--psm", strconv.Itoa(e.psm),
		// Scanned documents have no white-on-black text: skip the second
		// pass over inverted lines.
		"-c", "tessedit_do_invert=0",
		"tsv")
	cmd.Env = tessEnv()
	cmd.Stdin = bytes.NewReader(img)
	var stdout, stderr bytes.Buffer
	cmd.Stdout = &stdout
	cmd.Stderr = &stderr
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("tesseract: %w", ctx.Err())
		}
		return nil, fmt.Errorf("tesseract: %w: %s", err, lastLine(stderr.Bytes()))
	}
	return ParseTSV(stdout.Bytes())
}

// lastLine returns the last non-empty line of a process's error output.
func lastLine(b []byte) string {
	lines := strings.Split(strings.TrimSpace(string(b)), "\n")
	return lines[len(lines)-1]
}

// lineKey identifies a line of tesseract's TSV output.
type lineKey struct{ page, block, par, line int }

// word is one word row of the TSV output.
type word struct {
	text                     string
	left, top, right, bottom int
	conf                     float64
}

// ParseTSV turns tesseract's TSV output into lines: the words of each
// (page, block, paragraph, line) joined in order, a space kept only between
// two words that are not CJK on the side where they meet. Lines without
// text are left out.
func ParseTSV(tsv []byte) ([]Line, error) {
	var (
		order []lineKey
		words = map[lineKey][]word{}
	)
	sc := bufio.NewScanner(bytes.NewReader(tsv))
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	header := true
	for sc.Scan() {
		if header {
			header = false
			if strings.HasPrefix(sc.Text(), "level") {
				continue
			}
		}
		f := strings.Split(sc.Text(), "\t")
		if len(f) < 12 || f[0] != "5" {
			continue
		}
		text := strings.TrimSpace(strings.ToValidUTF8(f[11], ""))
		if text == "" {
			continue
		}
		n := make([]int, 10)
		for i := range n {
			v, err := strconv.Atoi(f[i])
			if err != nil {
				return nil, fmt.Errorf("ocr: bad TSV field %q: %w", f[i], err)
			}
			n[i] = v
		}
		conf, err := strconv.ParseFloat(f[10], 64)
		if err != nil {
			return nil, fmt.Errorf("ocr: bad TSV confidence %q: %w", f[10], err)
		}
		k := lineKey{n[1], n[2], n[3], n[4]}
		if _, ok := words[k]; !ok {
			order = append(order, k)
		}
		words[k] = append(words[k], word{text: text, left: n[6], top: n[7],
			right: n[6] + n[8], bottom: n[7] + n[9], conf: conf})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("ocr: reading TSV: %w", err)
	}
	lines := make([]Line, 0, len(order))
	for _, k := range order {
		ws := words[k]
		sort.SliceStable(ws, func(i, j int) bool { return ws[i].left < ws[j].left })
		var b strings.Builder
		l := Line{Left: ws[0].left, Top: ws[0].top, Right: ws[0].right, Bottom: ws[0].bottom}
		var conf float64
		for i, w := range ws {
			if i > 0 && needSpace(ws[i-1].text, w.text) {
				b.WriteByte(' ')
			}
			b.WriteString(joinCJK(w.text))
			l.Left, l.Top = min(l.Left, w.left), min(l.Top, w.top)
			l.Right, l.Bottom = max(l.Right, w.right), max(l.Bottom, w.bottom)
			conf += w.conf
		}
		l.Text = b.String()
		l.Conf = conf / float64(len(ws))
		lines = append(lines, l)
	}
	return lines, nil
}

// joinCJK removes the spaces inside one word's text that sit next to a CJK
// character (tesseract's chi_sim model sometimes returns several
// characters with blanks as one word).
func joinCJK(s string) string {
	if !strings.ContainsRune(s, ' ') {
		return s
	}
	f := strings.Fields(s)
	var b strings.Builder
	for i, w := range f {
		if i > 0 && needSpace(f[i-1], w) {
			b.WriteByte(' ')
		}
		b.WriteString(w)
	}
	return b.String()
}

// needSpace reports whether two adjacent words are separated by a space:
// only when neither touches the other with a CJK character or CJK
// punctuation.
func needSpace(prev, next string) bool {
	a, _ := utf8.DecodeLastRuneInString(prev)
	b, _ := utf8.DecodeRuneInString(next)
	return !IsCJK(a) && !IsCJK(b)
}

// IsCJK reports whether r is a CJK ideograph, kana, hangul, or CJK or
// full-width punctuation: a character between which and its neighbours
// Chinese text puts no space.
func IsCJK(r rune) bool {
	switch {
	case unicode.Is(unicode.Han, r), unicode.Is(unicode.Hiragana, r),
		unicode.Is(unicode.Katakana, r), unicode.Is(unicode.Hangul, r):
		return true
	case r >= 0x3000 && r <= 0x303F: // CJK symbols and punctuation
		return true
	case r >= 0xFF00 && r <= 0xFFEF: // full-width and half-width forms
		return true
	case r >= 0x2E80 && r <= 0x2FDF: // radicals
		return true
	case r == '“' || r == '”' || r == '‘' || r == '’' || r == '—' || r == '…' || r == '·':
		return true
	}
	return false
}
