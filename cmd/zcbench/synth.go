package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/corpus/parse"
)

// synthMark labels every synthetic document so it can never pass as real.
const synthMark = "【合成数据】"

func runSynth(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fl := flag.NewFlagSet("zcbench synth", flag.ContinueOnError)
	fl.SetOutput(stderr)
	n := fl.Int("n", 2000, "number of synthetic documents")
	out := fl.String("out", "", "output directory (created; must be empty or absent)")
	seed := fl.Uint64("seed", 1, "random seed (the corpus is reproducible)")
	kb := fl.Int("kb", 0, "pad each document with further recombined paragraphs to about this many KB (0: the seed's size)")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *out == "" {
		return fmt.Errorf("-out is required")
	}
	seeds, err := readSeeds()
	if err != nil {
		return err
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return fmt.Errorf("create %s: %w", *out, err)
	}
	g := newSynth(seeds, *seed)
	var total int64
	for i := 1; i <= *n; i++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		text := g.document(i, *kb*1000)
		name := filepath.Join(*out, fmt.Sprintf("synthetic-%05d.txt", i))
		if err := os.WriteFile(name, []byte(text), 0o644); err != nil {
			return fmt.Errorf("write %s: %w", name, err)
		}
		total += int64(len(text))
	}
	fmt.Fprintf(stdout, "wrote %d synthetic documents, %.1f MB, to %s\n", *n, float64(total)/1e6, *out)
	return nil
}

// seedDoc is one seed split into blank-line separated blocks.
type seedDoc struct {
	district string
	blocks   []string
}

func readSeeds() ([]seedDoc, error) {
	c, err := parse.Seeds()
	if err != nil {
		return nil, fmt.Errorf("load seeds: %w", err)
	}
	var out []seedDoc
	for _, d := range c.Documents() {
		raw, err := fs.ReadFile(corpus.Embedded(), "seeds/"+d.Source)
		if err != nil {
			return nil, fmt.Errorf("read seed %s: %w", d.Source, err)
		}
		out = append(out, seedDoc{district: d.District, blocks: strings.Split(string(raw), "\n\n")})
	}
	return out, nil
}

type synth struct {
	seeds []seedDoc
	pool  []string // prose paragraphs of all seeds
	rng   *rand.Rand
}

func newSynth(seeds []seedDoc, seed uint64) *synth {
	g := &synth{seeds: seeds, rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))}
	for _, s := range seeds {
		for _, b := range s.blocks {
			if isProse(b) {
				g.pool = append(g.pool, b)
			}
		}
	}
	return g
}

// isProse reports whether a block is an ordinary paragraph (long, no
// table cells), which may be swapped for another without breaking the
// document's shape.
func isProse(b string) bool {
	return len([]rune(b)) > 80 && !strings.Contains(b, "\t") && !strings.HasPrefix(strings.TrimSpace(b), "#")
}

// document returns synthetic document i: the shape (headings, tables,
// numbering) of a seed, its prose paragraphs replaced by random prose
// paragraphs of all seeds, its district renamed.
//
// With min > 0, further prose paragraphs are appended under a closing
// heading until the document has about min bytes.
func (g *synth) document(i int, min int) string {
	s := g.seeds[g.rng.IntN(len(g.seeds))]
	district := fmt.Sprintf("合成区%04d", i)
	var b strings.Builder
	b.WriteString(synthMark + district + "教育事业发展规划（合成测试文档，非真实数据）\n\n")
	for _, blk := range s.blocks {
		if isProse(blk) && g.rng.IntN(3) > 0 {
			blk = g.pool[g.rng.IntN(len(g.pool))]
		}
		for _, seed := range g.seeds {
			blk = strings.ReplaceAll(blk, seed.district, district)
		}
		b.WriteString(blk)
		b.WriteString("\n\n")
	}
	if b.Len() < min {
		b.WriteString("附：合成扩展段落（合成测试数据）\n\n")
		for b.Len() < min {
			blk := g.pool[g.rng.IntN(len(g.pool))]
			for _, seed := range g.seeds {
				blk = strings.ReplaceAll(blk, seed.district, district)
			}
			b.WriteString(blk)
			b.WriteString("\n\n")
		}
	}
	return b.String()
}
