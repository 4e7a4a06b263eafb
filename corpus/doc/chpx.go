package doc

import "sort"

// Character sprms used.
const (
	sprmCFRMarkDel = 0x0800 // deleted with revision marking on
	iPlcfBteChpx   = 12     // index of PlcfBteChpx in FibRgFcLcb97
	maxChpxRuns    = 0x65
)

// fcRange is a range [fc0, fc1) of byte offsets in the WordDocument
// stream.
type fcRange struct{ fc0, fc1 uint32 }

// deletedRuns are the ranges of text deleted under revision marking
// (tracked changes): still stored in the file, not part of the document.
type deletedRuns []fcRange

// parseDeleted reads the character property pages (PlcBteChpx and its
// ChpxFkp pages) and returns the ranges marked deleted, sorted. Damaged
// pages are skipped: the text is then kept.
func parseDeleted(f *fib, w, tbl []byte) deletedRuns {
	plc, ok := f.bteChpx.slice(tbl)
	if !ok || len(plc) < 12 || (len(plc)-4)%8 != 0 {
		return nil
	}
	n := min((len(plc)-4)/8, maxFkpPages)
	var out deletedRuns
	seen := make(map[uint32]bool, n)
	for i := range n {
		pn, _ := u32(plc, 4*(n+1)+4*i)
		pn &= 0x3FFFFF
		off := uint64(pn) * fkpSize
		if seen[pn] || off+fkpSize > uint64(len(w)) {
			continue
		}
		seen[pn] = true
		page := w[off : off+fkpSize]
		crun := int(page[fkpSize-1])
		if crun == 0 || crun > maxChpxRuns || 4*(crun+1)+crun > fkpSize-1 {
			continue
		}
		for j := range crun {
			fc0, _ := u32(page, 4*j)
			fc1, _ := u32(page, 4*j+4)
			b := 2 * int(page[4*(crun+1)+j])
			if fc1 <= fc0 || b == 0 || b >= fkpSize-1 {
				continue
			}
			cb := int(page[b])
			if b+1+cb > fkpSize-1 {
				continue
			}
			if chpxDeleted(page[b+1 : b+1+cb]) {
				out = append(out, fcRange{fc0, fc1})
			}
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].fc0 < out[j].fc0 })
	return out
}

// chpxDeleted reports whether a Chpx grpprl marks its text deleted.
func chpxDeleted(grpprl []byte) bool {
	deleted := false
	i := 0
	for n := 0; n < maxSprmsPerGrppr && i+2 <= len(grpprl); n++ {
		op, _ := u16(grpprl, i)
		i += 2
		size := operandSize(op, grpprl, i)
		if size < 0 || i+size > len(grpprl) {
			break
		}
		if op == sprmCFRMarkDel {
			// 0 off, 1 on, 0x80 as the style (never deleted), 0x81 the
			// opposite of the style (deleted).
			deleted = grpprl[i] == 1 || grpprl[i] == 0x81
		}
		i += size
	}
	return deleted
}

// contains reports whether byte offset fc is in a deleted range.
func (d deletedRuns) contains(fc uint32) bool {
	if len(d) == 0 {
		return false
	}
	i := sort.Search(len(d), func(i int) bool { return d[i].fc1 > fc })
	return i < len(d) && d[i].fc0 <= fc
}
