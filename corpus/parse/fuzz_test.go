package parse

import (
	"io/fs"
	"testing"

	"github.com/zhengce/zhengce/corpus"
)

// FuzzParse checks that Parse never panics and that, whenever it accepts a
// document, the invariants hold: unique ids, ordered seq, a part and a
// citation for every unit, units partitioning the body, outline nodes
// that are units at consistent levels, tables whose units exist.
func FuzzParse(f *testing.F) {
	files, _ := fs.Glob(corpus.Embedded(), "seeds/*.txt")
	for _, name := range files {
		data, err := fs.ReadFile(corpus.Embedded(), name)
		if err != nil {
			f.Fatal(err)
		}
		// The start, a slice from the first third, and the end of each
		// seed, cut at line boundaries so that they stay valid UTF-8.
		f.Add(lineSlice(data, 0, 4096))
		f.Add(lineSlice(data, len(data)/3, 4096))
		f.Add(lineSlice(data, max(0, len(data)-4096), 4096))
	}
	f.Add([]byte("第一章 总则\n\n一、目标\n\n（一）加强组织领导。成立领导小组。\n"))
	f.Add([]byte("一、甲\n二、乙\n一、丙\n1.丁\n1.丁\n（1）戊\n①己\n专栏1 项目\n项目1：庚\n附件：辛\n附件\n表1 壬\n\t序号\n\t名称\n\n\t1\n\t癸\n"))
	f.Add([]byte("**1.保障。**正文没有句号\n\n续行文字。\n## **二、总体要求**\n# 目 录\n一、甲.....\t1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := parseDefault(corpus.Meta{ID: "fuzz", Title: "测试"}, data)
		if err != nil {
			if corpus.ErrorCode(err) == corpus.EINTERNAL {
				t.Fatalf("internal error: %v", err)
			}
			return
		}
		checkInvariants(t, d)
	})
}

// lineSlice returns about n bytes of data from offset from, widened to
// whole lines.
func lineSlice(data []byte, from, n int) []byte {
	for from > 0 && data[from-1] != '\n' {
		from--
	}
	to := min(len(data), from+n)
	for to < len(data) && data[to-1] != '\n' {
		to++
	}
	return data[from:to]
}
