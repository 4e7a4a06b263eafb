package corpus_test

import (
	"testing"
	"unicode"

	"github.com/zhengce/zhengce/corpus"
)

func TestUnitTypeName(t *testing.T) {
	seen := map[string]corpus.UnitType{}
	for _, ty := range []corpus.UnitType{corpus.TypeSection, corpus.TypeClause, corpus.TypeTask, corpus.TypeTableRow, corpus.TypeTarget} {
		name := ty.Name()
		for _, r := range name {
			if !unicode.Is(unicode.Han, r) {
				t.Errorf("%s: name %q is not Chinese", ty, name)
				break
			}
		}
		if other, dup := seen[name]; dup {
			t.Errorf("%s and %s share the name %q", ty, other, name)
		}
		seen[name] = ty
	}
	if got := corpus.UnitType("unknown").Name(); got != "unknown" {
		t.Errorf("unknown type name = %q, want the type itself", got)
	}
}
