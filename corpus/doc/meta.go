package doc

import "github.com/zhengce/zhengce/corpus"

// parseSummary reads the title and creation date of a SummaryInformation
// property set stream.
func parseSummary(b []byte) corpus.SourceMeta {
	return corpus.SourceMeta{}
}
