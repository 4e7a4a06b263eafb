package targets

// Internals of the package, for its external tests (package targets_test),
// which need the parsed seed corpus and so cannot be in package targets:
// corpus/parse imports this package.
var (
	HasDigit     = hasDigit
	IsPast       = isPast
	IsYear       = isYear
	PastMarks    = pastMarks
	PlanEndYear  = planEndYear
	ProseTargets = proseTargets
	SentenceEnd  = sentenceEnd
	TableTargets = tableTargets
)

// SentenceSeps is sentenceSeps.
const SentenceSeps = sentenceSeps
