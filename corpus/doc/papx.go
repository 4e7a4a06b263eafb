package doc

import (
	"sort"
)

// paraProps are the paragraph properties the reader uses.
type paraProps struct {
	inTable bool  // sprmPFInTable: the paragraph is in a table cell
	ttp     bool  // sprmPFTtp: the paragraph is a table row end mark
	itap    int32 // sprmPItap: table depth
}

// papxRun gives the properties of the paragraphs whose end marks lie at
// WordDocument byte offsets [fc0, fc1).
type papxRun struct {
	fc0, fc1 uint32
	props    paraProps
}

// papxTable maps byte offsets of paragraph marks to their properties.
type papxTable []papxRun

// Sprm opcodes used.
const (
	sprmPFInTable    = 0x2416
	sprmPFTtp        = 0x2417
	sprmPItap        = 0x6649
	sprmPDtap        = 0x664A
	sprmPHugePapx    = 0x6646
	sprmPChgTabs     = 0xC615
	sprmTDefTable    = 0xD608
	sprmTDefTable10  = 0xD606
	fkpSize          = 512
	maxFkpPages      = 1 << 16
	maxRunsPerFkp    = 0x65
	maxSprmsPerGrppr = 4096
)

// parsePapx reads the PlcBtePapx of the table stream and the PAPX FKP
// pages of the WordDocument stream w. It returns nil when the file has
// none or they are damaged: the caller then guesses tables from the cell
// marks alone.
func parsePapx(f *fib, w, tbl, data []byte) papxTable {
	plc, ok := f.btePapx.slice(tbl)
	if !ok || len(plc) < 12 || (len(plc)-4)%8 != 0 {
		return nil
	}
	n := min((len(plc)-4)/8, maxFkpPages)
	var out papxTable
	seen := make(map[uint32]bool, n)
	for i := range n {
		pn, _ := u32(plc, 4*(n+1)+4*i)
		pn &= 0x3FFFFF
		if seen[pn] {
			continue
		}
		seen[pn] = true
		off := uint64(pn) * fkpSize
		if off+fkpSize > uint64(len(w)) {
			continue
		}
		out = appendFkp(out, w[off:off+fkpSize], data)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].fc0 < out[j].fc0 })
	return out
}

// appendFkp appends the runs of one PapxFkp page.
func appendFkp(out papxTable, page, data []byte) papxTable {
	crun := int(page[fkpSize-1])
	if crun == 0 || crun > maxRunsPerFkp || 4*(crun+1)+13*crun > fkpSize-1 {
		return out
	}
	bx := 4 * (crun + 1)
	for i := range crun {
		fc0, _ := u32(page, 4*i)
		fc1, _ := u32(page, 4*i+4)
		if fc1 <= fc0 {
			continue
		}
		props := paraProps{}
		if b := int(page[bx+13*i]) * 2; b != 0 {
			props = parsePapxInFkp(page, b, data)
		}
		out = append(out, papxRun{fc0: fc0, fc1: fc1, props: props})
	}
	return out
}

// parsePapxInFkp reads the PapxInFkp at offset b of an FKP page: its
// GrpPrlAndIstd is a style index (unused) followed by sprms.
func parsePapxInFkp(page []byte, b int, data []byte) paraProps {
	props := paraProps{}
	if b >= fkpSize-1 {
		return props
	}
	cb := int(page[b])
	start := b + 1
	size := 2*cb - 1
	if cb == 0 {
		if start >= fkpSize-1 {
			return props
		}
		size = 2 * int(page[start])
		start++
	}
	end := start + size
	if size < 2 || end > fkpSize-1 {
		return props
	}
	grp := page[start:end]
	applySprms(&props, grp[2:], data)
	return props
}

// applySprms applies the paragraph sprms of grpprl to p. A
// sprmPHugePapx refers to more sprms in the Data stream data; those are
// applied too (but not followed further).
func applySprms(p *paraProps, grpprl, data []byte) {
	i := 0
	for n := 0; n < maxSprmsPerGrppr && i+2 <= len(grpprl); n++ {
		op, _ := u16(grpprl, i)
		i += 2
		size := operandSize(op, grpprl, i)
		if size < 0 || i+size > len(grpprl) {
			return
		}
		arg := grpprl[i : i+size]
		switch op {
		case sprmPFInTable:
			p.inTable = arg[0] != 0
		case sprmPFTtp:
			p.ttp = arg[0] != 0
		case sprmPItap:
			v, _ := u32(arg, 0)
			p.itap = int32(v)
		case sprmPDtap:
			v, _ := u32(arg, 0)
			p.itap += int32(v)
		case sprmPHugePapx:
			off, _ := u32(arg, 0)
			if cb, ok := u16(data, int(off)); ok && data != nil && uint64(off)+2+uint64(cb) <= uint64(len(data)) {
				applySprms(p, data[off+2:off+2+uint32(cb)], nil)
			}
		}
		i += size
	}
}

// operandSize returns the size of the operand of sprm op that starts at
// b[i:], or -1 when it cannot be read.
func operandSize(op uint16, b []byte, i int) int {
	switch op >> 13 {
	case 0, 1:
		return 1
	case 2, 4, 5:
		return 2
	case 3:
		return 4
	case 7:
		return 3
	}
	// spra 6: variable length.
	switch op {
	case sprmTDefTable, sprmTDefTable10:
		cb, ok := u16(b, i)
		if !ok {
			return -1
		}
		return int(cb) + 1
	case sprmPChgTabs:
		if i >= len(b) {
			return -1
		}
		if b[i] != 255 {
			return int(b[i]) + 1
		}
		// PChgTabsDelClose then PChgTabsAdd.
		j := i + 1
		if j >= len(b) {
			return -1
		}
		j += 1 + 4*int(b[j])
		if j >= len(b) {
			return -1
		}
		j += 1 + 3*int(b[j])
		return j - i
	}
	if i >= len(b) {
		return -1
	}
	return int(b[i]) + 1
}

// lookup returns the properties of the paragraph whose mark is at byte
// offset fc, and whether they are known.
func (t papxTable) lookup(fc uint32) (paraProps, bool) {
	i := sort.Search(len(t), func(i int) bool { return t[i].fc1 > fc })
	if i < len(t) && t[i].fc0 <= fc {
		return t[i].props, true
	}
	return paraProps{}, false
}
