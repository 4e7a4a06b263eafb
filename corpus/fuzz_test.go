package corpus

import (
	"io/fs"
	"testing"
)

// FuzzParse checks that Parse never panics and that, whenever it accepts a
// document, the invariants hold: unique ids, ordered seq, a part and a
// citation for every unit, units partitioning the body, outline nodes
// that are units at consistent levels, tables whose units exist.
func FuzzParse(f *testing.F) {
	files, _ := fs.Glob(Embedded(), "seeds/*.txt")
	for _, name := range files {
		data, err := fs.ReadFile(Embedded(), name)
		if err != nil {
			f.Fatal(err)
		}
		// The start, a slice around the first table, and the end of
		// each seed.
		f.Add(data[:min(len(data), 4096)])
		f.Add(data[len(data)/3 : min(len(data), len(data)/3+4096)])
		f.Add(data[max(0, len(data)-4096):])
	}
	f.Add([]byte("第一章 总则\n\n一、目标\n\n（一）加强组织领导。成立领导小组。\n"))
	f.Add([]byte("一、甲\n二、乙\n一、丙\n1.丁\n1.丁\n（1）戊\n①己\n专栏1 项目\n项目1：庚\n附件：辛\n附件\n表1 壬\n\t序号\n\t名称\n\n\t1\n\t癸\n"))
	f.Add([]byte("**1.保障。**正文没有句号\n\n续行文字。\n## **二、总体要求**\n# 目 录\n一、甲.....\t1\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(Meta{ID: "fuzz", Title: "测试"}, data)
		if err != nil {
			if ErrorCode(err) == EINTERNAL {
				t.Fatalf("internal error: %v", err)
			}
			return
		}
		checkInvariants(t, d)
	})
}
