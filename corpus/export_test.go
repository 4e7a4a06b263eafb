package corpus

// Internals of the package, for its external tests (package corpus_test),
// which load corpora with corpus/parse and so cannot be in package corpus.
var (
	NormalizeSlow  = normalizeSlow
	QuickNormalize = quickNormalize
	QuickTable     = quickTable
	TargetRank     = targetRank
	ReadAll        = readAll
)
