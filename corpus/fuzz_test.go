package corpus

import (
	"io/fs"
	"testing"
)

// FuzzParse checks that Parse never panics and that, whenever it accepts a
// document, every unit id is unique.
func FuzzParse(f *testing.F) {
	files, _ := fs.Glob(Embedded(), "seeds/*.txt")
	for _, name := range files {
		data, err := fs.ReadFile(Embedded(), name)
		if err != nil {
			f.Fatal(err)
		}
		if len(data) > 4096 {
			data = data[:4096]
		}
		f.Add(data)
	}
	f.Add([]byte("第一章 总则\n\n一、目标\n\n（一）加强组织领导。成立领导小组。\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		d, err := Parse(Meta{ID: "fuzz", Title: "测试"}, data)
		if err != nil {
			return
		}
		seen := map[string]bool{}
		for _, u := range d.Units {
			if seen[u.ID] {
				t.Fatalf("duplicate unit id %q", u.ID)
			}
			seen[u.ID] = true
		}
	})
}
