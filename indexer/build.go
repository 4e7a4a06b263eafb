package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"time"

	"github.com/blevesearch/bleve/v2"

	"github.com/zhengce/zhengce/corpus"
)

// formatVersion changes whenever the index documents or mapping change;
// an index of another format is rebuilt.
const formatVersion = 3

// MetaFile is the name of zhengce's description of an index, kept inside
// the index directory beside bleve's own files.
const MetaFile = "zhengce-index.json"

// batchSize is the number of index documents per segment of bleve's
// offline builder. Fewer, larger segments cost less to merge at Close:
// 2048 instead of 256 saves about a fifth of the build's CPU time for the
// seeds (one segment, no merge), measured with BenchmarkBuild.
const batchSize = 2048

// progressStep is how often (in index documents) Build reports progress
// and checks for cancellation.
const progressStep = 256

// Progress receives build progress: done of total index documents. It may
// be nil.
type Progress func(done, total int)

// Stats summarises a build.
type Stats struct {
	Documents int            `json:"documents"` // corpus documents
	Units     int            `json:"units"`     // indexed units (targets excluded)
	Targets   int            `json:"targets"`   // indexed targets
	ByType    map[string]int `json:"by_type"`   // index documents per unit type, targets included
	Bytes     int64          `json:"bytes"`     // bytes of unit text indexed
	Seconds   float64        `json:"seconds"`   // wall time of the build
}

// Meta describes an index on disk: what it was built from, with what.
type Meta struct {
	Format   int       `json:"format"`
	Corpus   string    `json:"corpus"`   // CorpusFingerprint of the indexed corpus
	Analyzer string    `json:"analyzer"` // Segmenter.Fingerprint used for the word field
	Built    time.Time `json:"built"`
	Stats    Stats     `json:"stats"`
	// Files is the manifest of the index directory (every file but this
	// description), checked by OpenIndex; see Verify.
	Files []FileSum `json:"files,omitempty"`
}

// Fresh reports whether the index described by m can serve corpus c with a
// segmenter of fingerprint analyzer ("" to skip the analyzer check).
func (m *Meta) Fresh(c *corpus.Corpus, analyzer string) bool {
	return m != nil && m.Format == formatVersion && m.Corpus == CorpusFingerprint(c) &&
		(analyzer == "" || analyzer == m.Analyzer)
}

// DefaultDir returns the default index location:
// $XDG_CACHE_HOME/zhengce/index (os.UserCacheDir, ~/.cache on Linux,
// ~/Library/Caches on macOS, %LocalAppData% on Windows), or
// $TMPDIR/zhengce/index when the system has no cache directory.
func DefaultDir() string {
	base, err := os.UserCacheDir()
	if err != nil || base == "" {
		base = os.TempDir()
	}
	return filepath.Join(base, "zhengce", "index")
}

// ReadMeta reads the description of the index in dir. A directory without
// one is reported as ENOTFOUND.
func ReadMeta(dir string) (*Meta, error) {
	data, err := os.ReadFile(filepath.Join(dir, MetaFile))
	if errors.Is(err, fs.ErrNotExist) {
		return nil, &corpus.Error{Code: corpus.ENOTFOUND, Message: "索引不存在：" + dir, Err: err}
	}
	if err != nil {
		return nil, fmt.Errorf("read index meta: %w", err)
	}
	var m Meta
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, &corpus.Error{Code: corpus.EINVALID, Message: "索引描述文件损坏：" + dir, Err: err}
	}
	return &m, nil
}

// OpenIndex opens the bleve index in dir read-only, so any number of
// processes can search it while a new one is built beside it. The files
// are first checked against the manifest written by Build: a truncated or
// damaged index is an EINVALID error wrapping ErrCorrupt (see Verify).
func OpenIndex(dir string) (bleve.Index, *Meta, error) {
	if err := Register(); err != nil {
		return nil, nil, err
	}
	m, err := ReadMeta(dir)
	if err != nil {
		return nil, nil, err
	}
	if err := Verify(dir, m); err != nil {
		return nil, nil, err
	}
	idx, err := bleve.OpenUsing(dir, map[string]interface{}{"read_only": true, "bolt_timeout": "5s"})
	if err != nil {
		return nil, nil, corruptError(dir, "无法打开", err)
	}
	return idx, m, nil
}

// CorpusFingerprint identifies everything of c that goes into an index.
func CorpusFingerprint(c *corpus.Corpus) string {
	h := sha256.New()
	w := func(parts ...string) {
		for _, p := range parts {
			io.WriteString(h, p)
			h.Write([]byte{0})
		}
		h.Write([]byte{1})
	}
	w("format", strconv.Itoa(formatVersion))
	for _, d := range c.Documents() {
		w("doc", d.ID, d.District, d.Title)
		for _, u := range d.Units {
			w(append([]string{"unit", u.ID, string(u.Type), u.Part, strconv.Itoa(u.Seq), u.Title, u.Text}, u.Themes...)...)
		}
		for _, t := range d.Targets {
			w("target", t.ID, t.UnitID, t.Indicator, t.Canonical, t.Text, pointKey(t.Target), pointKey(t.Baseline))
		}
	}
	return hex.EncodeToString(h.Sum(nil))[:16]
}

func pointKey(p corpus.Point) string {
	if p.Value == nil {
		return "-"
	}
	return strconv.FormatFloat(*p.Value, 'g', -1, 64)
}

// Build writes a new index of c into dir, reporting progress to p. It
// builds into a fresh directory beside dir and renames it into place only
// when complete, so a failed or cancelled build leaves any previous index
// untouched. dir must be missing, empty, or a previous zhengce index.
// dir becomes a symbolic link to the current version (see install): the
// switch is one atomic rename, crash-safe at every step.
func Build(ctx context.Context, dir string, c *corpus.Corpus, seg *Segmenter, p Progress) (Stats, error) {
	start := time.Now()
	if seg == nil {
		return Stats{}, corpus.Errorf(corpus.EINTERNAL, "建立索引需要分词器")
	}
	if seg.domain != "" && seg.domain != TextsFingerprint(IndexedTexts(c)) {
		return Stats{}, corpus.Errorf(corpus.EINVALID, "领域词典只适用于建立它的语料，请用完整词典建立索引")
	}
	if err := Register(); err != nil {
		return Stats{}, err
	}
	dir = filepath.Clean(dir)
	if err := checkTarget(dir); err != nil {
		return Stats{}, err
	}
	work, release, err := newWorkDir(dir)
	if err != nil {
		return Stats{}, err
	}
	defer os.RemoveAll(work)
	defer release()
	path := filepath.Join(work, "index")

	im, err := newMapping(seg)
	if err != nil {
		return Stats{}, err
	}
	// bleve's offline builder writes segments directly and merges them
	// into one at Close: no per-batch persistence, a compact index.
	// Its scratch space stays inside work, removed on every path.
	empty := true
	for _, d := range c.Documents() {
		empty = empty && len(d.Units) == 0 && len(d.Targets) == 0
	}
	if empty {
		return Stats{}, corpus.Errorf(corpus.EINVALID, "语料中没有可索引的条目")
	}
	bld, err := bleve.NewBuilder(path, im, map[string]interface{}{"batchSize": batchSize, "buildPathPrefix": work})
	if err != nil {
		return Stats{}, fmt.Errorf("create index: %w", err)
	}
	stats, err := indexCorpus(ctx, bld, c, p)
	if err == nil {
		// Close merges the segments; bleve's builder cannot close with
		// no segment, so a failed build is abandoned to the cleanup.
		if cerr := bld.Close(); cerr != nil {
			err = fmt.Errorf("close index: %w", cerr)
		}
	}
	if err != nil {
		if ctx.Err() != nil {
			return Stats{}, &corpus.Error{Code: corpus.ETIMEOUT, Message: "建立索引已取消", Err: err}
		}
		return Stats{}, err
	}
	// the domain dictionary lets a server start without gse's full one
	if err := WriteDomainDict(path, c, seg); err != nil {
		return Stats{}, err
	}
	stats.Seconds = time.Since(start).Seconds()
	files, err := manifest(path)
	if err != nil {
		return Stats{}, err
	}
	meta := Meta{Format: formatVersion, Corpus: CorpusFingerprint(c), Analyzer: seg.Fingerprint(), Built: time.Now().UTC(), Stats: stats, Files: files}
	data, err := json.MarshalIndent(meta, "", "  ")
	if err != nil {
		return Stats{}, fmt.Errorf("encode index meta: %w", err)
	}
	if err := os.WriteFile(filepath.Join(path, MetaFile), data, 0o644); err != nil {
		return Stats{}, fmt.Errorf("write index meta: %w", err)
	}
	// Swap: an atomic rename of the link dir (see install).
	if err := install(dir, path); err != nil {
		return Stats{}, err
	}
	stats.Seconds = time.Since(start).Seconds()
	return stats, nil
}

// checkTarget refuses to replace a directory that is not a zhengce index.
func checkTarget(dir string) error {
	if isOurLink(dir) {
		return nil
	}
	st, err := os.Stat(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return &corpus.Error{Code: corpus.EINVALID, Message: "无法访问索引目录：" + dir, Err: err}
	}
	if !st.IsDir() {
		return corpus.Errorf(corpus.EINVALID, "索引路径不是目录：%s", dir)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return &corpus.Error{Code: corpus.EINVALID, Message: "无法读取索引目录：" + dir, Err: err}
	}
	if len(entries) == 0 {
		return nil
	}
	if _, err := os.Stat(filepath.Join(dir, MetaFile)); err != nil {
		return corpus.Errorf(corpus.EINVALID, "索引目录已存在且不是 zhengce 索引，拒绝覆盖：%s", dir)
	}
	return nil
}

// indexCorpus adds every unit and target of c to the builder.
func indexCorpus(ctx context.Context, b bleve.Builder, c *corpus.Corpus, p Progress) (Stats, error) {
	st := Stats{ByType: map[string]int{}}
	total := 0
	for _, d := range c.Documents() {
		total += len(d.Units) + len(d.Targets)
	}
	done := 0
	if p != nil {
		p(0, total)
	}
	add := func(id string, doc map[string]interface{}) error {
		if err := b.Index(id, doc); err != nil {
			return fmt.Errorf("index %s: %w", id, err)
		}
		done++
		if done%progressStep == 0 || done == total {
			if err := ctx.Err(); err != nil {
				return err
			}
			if p != nil {
				p(done, total)
			}
		}
		return nil
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	for di, d := range c.Documents() {
		st.Documents++
		units := map[string]*corpus.Unit{}
		for _, u := range d.Units {
			units[u.ID] = u
			st.Units++
			st.ByType[string(u.Type)]++
			st.Bytes += int64(len(u.Text))
			doc := unitDoc(d, u)
			doc[FieldSeq] = globalSeq(di, u.Seq, 0)
			if err := add(u.ID, doc); err != nil {
				return st, err
			}
		}
		for ti, t := range d.Targets {
			st.Targets++
			st.ByType[string(corpus.TypeTarget)]++
			doc := targetDoc(d, units[t.UnitID], t)
			if src := units[t.UnitID]; src != nil {
				doc[FieldSeq] = globalSeq(di, src.Seq, 1+ti%999)
			}
			if err := add(t.ID, doc); err != nil {
				return st, err
			}
		}
	}
	return st, nil
}

// globalSeq orders every index document: documents in corpus order, units
// in document order, each unit's targets right after it. It is unique, so
// it breaks score ties deterministically with one doc-value lookup.
func globalSeq(docIndex, unitSeq, target int) float64 {
	return float64(docIndex)*1e8 + float64(unitSeq)*1e3 + float64(target)
}

// unitDoc is the index document of a unit; indexCorpus sets its global
// FieldSeq.
func unitDoc(d *corpus.Document, u *corpus.Unit) map[string]interface{} {
	return map[string]interface{}{
		FieldType:     string(u.Type),
		FieldDocID:    d.ID,
		FieldDistrict: d.District,
		FieldSection:  u.Part,
		FieldTheme:    sortedCopy(u.Themes),
		FieldSeq:      float64(u.Seq),
		FieldWords:    u.Text,
		FieldTitle:    u.Title,
		FieldGrams:    u.Text,
		FieldChars:    u.Text,
		FieldTGrams:   u.Title,
	}
}

// targetDoc indexes a target like a unit of type target: its text is the
// source text of the target (it gets no title boost: that is for headings
// and task titles); part, themes and document order are those of the unit
// it was extracted from.
func targetDoc(d *corpus.Document, src *corpus.Unit, t *corpus.Target) map[string]interface{} {
	m := map[string]interface{}{
		FieldType:      string(corpus.TypeTarget),
		FieldDocID:     d.ID,
		FieldDistrict:  d.District,
		FieldWords:     t.Text,
		FieldGrams:     t.Text,
		FieldChars:     t.Text,
		FieldIndicator: t.Indicator,
		FieldCanonical: t.Canonical,
	}
	if src != nil {
		m[FieldSection] = src.Part
		m[FieldTheme] = sortedCopy(src.Themes)
		m[FieldSeq] = float64(src.Seq) + 0.5
	}
	if t.Target.Value != nil {
		m[FieldTarget] = *t.Target.Value
	}
	if t.Baseline.Value != nil {
		m[FieldBaseline] = *t.Baseline.Value
	}
	return m
}

func sortedCopy(s []string) []string {
	out := append([]string(nil), s...)
	sort.Strings(out)
	return out
}
