package corpus

import (
	"testing"
	"unicode"
)

func TestUnitTypeName(t *testing.T) {
	seen := map[string]UnitType{}
	for _, ty := range []UnitType{TypeSection, TypeClause, TypeTask, TypeTableRow, TypeTarget} {
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
	if got := UnitType("unknown").Name(); got != "unknown" {
		t.Errorf("unknown type name = %q, want the type itself", got)
	}
}
