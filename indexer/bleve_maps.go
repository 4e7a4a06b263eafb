package indexer

import (
	"fmt"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
)

// segmentMaps returns the mapped files of the segments of idx, an index
// opened read-only: zap maps each segment file whole and keeps the mapping
// until the index is closed, and a read-only index never merges or
// replaces its segments, so the slices stay valid (and their pages may be
// handed back, see Index.DropPages) for as long as idx is open. An index
// that is not scorch's, or a segment that does not expose its mapping,
// contributes nothing.
func segmentMaps(idx bleve.Index) ([][]byte, error) {
	adv, err := idx.Advanced()
	if err != nil {
		return nil, fmt.Errorf("bleve index: %w", err)
	}
	sc, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil, nil
	}
	r, err := sc.Reader()
	if err != nil {
		return nil, fmt.Errorf("bleve reader: %w", err)
	}
	var maps [][]byte
	if snap, ok := r.(*scorch.IndexSnapshot); ok {
		for _, ss := range snap.Segments() {
			if d, ok := ss.Segment().(interface{ Data() []byte }); ok && len(d.Data()) > 0 {
				maps = append(maps, d.Data())
			}
		}
	}
	if err := r.Close(); err != nil {
		return nil, fmt.Errorf("bleve reader: %w", err)
	}
	return maps, nil
}
