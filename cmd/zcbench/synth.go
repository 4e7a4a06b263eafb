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
//
// So that a large synthetic corpus is not a few hundred paragraphs
// repeated (an index of trivially few distinct terms and phrases), every
// prose paragraph has its figures redrawn (vary) and about half of them
// gain a sentence naming schools, towns and streets invented for the
// document (names), the way real plans name their own institutions.
func (g *synth) document(i int, min int) string {
	s := g.seeds[g.rng.IntN(len(g.seeds))]
	district := fmt.Sprintf("合成区%04d", i)
	names := g.names(12)
	var b strings.Builder
	b.Grow(max(min, 64<<10) + 8<<10)
	b.WriteString(synthMark + district + "教育事业发展规划（合成测试文档，非真实数据）\n\n")
	for _, blk := range s.blocks {
		if isProse(blk) {
			if g.rng.IntN(3) > 0 {
				blk = g.pool[g.rng.IntN(len(g.pool))]
			}
			blk = g.prose(blk, names)
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
			blk := g.prose(g.pool[g.rng.IntN(len(g.pool))], names)
			for _, seed := range g.seeds {
				blk = strings.ReplaceAll(blk, seed.district, district)
			}
			b.WriteString(blk)
			b.WriteString("\n\n")
		}
	}
	return b.String()
}

// prose is a prose paragraph with its figures redrawn and, every other
// time, a sentence about the document's invented institutions appended.
func (g *synth) prose(blk string, names []string) string {
	blk = g.vary(blk)
	if g.rng.IntN(2) == 0 {
		return blk
	}
	t := sentenceTemplates[g.rng.IntN(len(sentenceTemplates))]
	a, b := names[g.rng.IntN(len(names))], names[g.rng.IntN(len(names))]
	return blk + fmt.Sprintf(t, a, b, 2+g.rng.IntN(40), 50+g.rng.IntN(50))
}

// sentenceTemplates are sentences of a plan's prose naming two local
// institutions (%[1]s, %[2]s), a count (%[3]d) and a percentage (%[4]d).
var sentenceTemplates = []string{
	"支持%[1]s、%[2]s创建市级示范学校，新建、改扩建校舍%[3]d所，标准化建设达标率达到%[4]d%%以上。",
	"以%[1]s为牵头校组建教育集团，吸纳%[2]s等%[3]d所成员校，集团化办学覆盖率达到%[4]d%%。",
	"推动%[1]s与%[2]s结对帮扶，选派骨干教师%[3]d名交流轮岗，乡村教师培训率达到%[4]d%%。",
	"在%[1]s、%[2]s试点课后服务提质行动，开设特色课程%[3]d门，学生参与率不低于%[4]d%%。",
	"依托%[1]s建设区域教师发展中心，联合%[2]s开展专题培训%[3]d期，参训教师满意度达到%[4]d%%。",
	"实施%[1]s校园安全提升工程，完成%[2]s等%[3]d所学校安防设施改造，视频监控覆盖率达到%[4]d%%。",
}

// nameChars and nameSuffixes make invented place and school names: two
// characters common in Chinese place names and the kind of institution.
const nameChars = "安宝北碧昌长城崇川春大德东丰凤福富高古关光广桂海和河红虹华槐黄惠吉嘉建江金锦景静九开康兰乐黎莲良林临龙隆鹿罗马茂梅美明南宁平坪浦七齐青清庆荣瑞三沙山上石双顺松太泰桃天通桐万旺文西溪仙祥新兴秀雁阳杨银永榆玉元云枣泽樟中钟竹紫"

var nameSuffixes = []string{"小学", "中学", "实验小学", "第二中学", "中心幼儿园", "职业学校", "镇", "街道", "社区学校", "九年制学校"}

// names invents n institution names for one document.
func (g *synth) names(n int) []string {
	chars := []rune(nameChars)
	out := make([]string, n)
	for i := range out {
		out[i] = string(chars[g.rng.IntN(len(chars))]) + string(chars[g.rng.IntN(len(chars))]) + nameSuffixes[g.rng.IntN(len(nameSuffixes))]
	}
	return out
}

// vary redraws the figures of a paragraph: every run of ASCII digits gets
// random digits of the same length (a leading digit stays non-zero),
// except four-digit years 19xx and 20xx, which keep the plan's timeline.
func (g *synth) vary(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		if s[i] < '0' || s[i] > '9' {
			b.WriteByte(s[i])
			i++
			continue
		}
		j := i
		for j < len(s) && s[j] >= '0' && s[j] <= '9' {
			j++
		}
		run := s[i:j]
		if len(run) == 4 && (strings.HasPrefix(run, "19") || strings.HasPrefix(run, "20")) {
			b.WriteString(run)
		} else {
			for k := range run {
				d := g.rng.IntN(10)
				if k == 0 && len(run) > 1 && run[0] != '0' {
					d = 1 + g.rng.IntN(9)
				}
				b.WriteByte(byte('0' + d))
			}
		}
		i = j
	}
	return b.String()
}
