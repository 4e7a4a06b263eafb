package corpus

import "encoding/json"

// Comparators of a target value. A table cell or sentence without one is an
// exact value (=); 左右 is approximate (≈); 3-5所 is a range whose Value is
// the lower and Max the upper bound.
const (
	CmpEQ     = "="
	CmpGT     = ">"
	CmpGE     = "≥"
	CmpLT     = "<"
	CmpLE     = "≤"
	CmpApprox = "≈"
	CmpRange  = "range"
)

// Kinds of target. A plan's indicator table promises values (target); the
// tables reviewing the previous plan period (永川区 表1 "主要成就", 巫溪县
// 表1 "主要目标实现情况") report achieved values (result): their later year
// is stored as Target with comparator "=".
const (
	KindTarget = "target"
	KindResult = "result"
)

// Sources of a target.
const (
	SourceTable = "table"
	SourceText  = "text"
)

// MarshalJSON writes a Point with year 0 and absent values as null, so that
// {"year":null,"value":null} means "not given".
func (p Point) MarshalJSON() ([]byte, error) {
	var year *int
	if p.Year != 0 {
		y := p.Year
		year = &y
	}
	return json.Marshal(pointJSON{Year: year, Value: p.Value, Max: p.Max, Comparator: p.Comparator, Raw: p.Raw, Unparsed: p.Unparsed})
}

// UnmarshalJSON reads a Point written by MarshalJSON.
func (p *Point) UnmarshalJSON(data []byte) error {
	var j pointJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*p = Point{Value: j.Value, Max: j.Max, Comparator: j.Comparator, Raw: j.Raw, Unparsed: j.Unparsed}
	if j.Year != nil {
		p.Year = *j.Year
	}
	return nil
}

type pointJSON struct {
	Year       *int     `json:"year"`
	Value      *float64 `json:"value"`
	Max        *float64 `json:"max,omitempty"`
	Comparator string   `json:"comparator,omitempty"`
	Raw        string   `json:"raw,omitempty"`
	Unparsed   bool     `json:"unparsed,omitempty"`
}

// CacheNorm stores the normalised indicator, canonical name and text of t
// that Corpus.Targets and CompareTargets match queries against. Target
// extraction calls it once the names are final; a target whose names are
// set later (or never cached) is normalised on demand.
func (t *Target) CacheNorm() {
	t.normIndicator, t.normCanonical, t.normText = Normalize(t.Indicator), Normalize(t.Canonical), Normalize(t.Text)
	t.normIndicatorOf, t.normTextOf = t.Indicator, t.Text
}

// NormText returns Normalize(t.Text): the value CacheNorm stored, unless
// Text changed since.
func (t *Target) NormText() string {
	if t.normTextOf == t.Text && (t.normText != "" || t.Text == "") {
		return t.normText
	}
	return Normalize(t.Text)
}

// NormIndicator returns Normalize(t.Indicator), as NormText does.
func (t *Target) NormIndicator() string {
	if t.normIndicatorOf == t.Indicator && (t.normIndicator != "" || t.Indicator == "") {
		return t.normIndicator
	}
	return Normalize(t.Indicator)
}

// names returns the normalised indicator, canonical name and text of t.
func (t *Target) names() (indicator, canonical, text string) {
	if t.normCanonical == "" && t.Canonical != "" {
		return Normalize(t.Indicator), Normalize(t.Canonical), Normalize(t.Text)
	}
	return t.normIndicator, t.normCanonical, t.normText
}
