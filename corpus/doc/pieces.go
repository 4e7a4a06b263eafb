package doc

import (
	"fmt"
)

// piece is one run of the document's text: the characters of CPs
// [cp0, cp1) stored at byte offset off of the WordDocument stream, one
// byte (8-bit, "compressed") or two bytes (UTF-16LE) per CP.
type piece struct {
	cp0, cp1 uint32
	off      uint32
	wide     bool
}

// width is the number of bytes per CP of the piece.
func (p piece) width() uint32 {
	if p.wide {
		return 2
	}
	return 1
}

// parsePieces returns the piece table of the CLX in the table stream, or
// the single piece fcMin..fcMac of a file without one. Pieces are clamped
// to the WordDocument stream w (a truncated file loses its tail, not its
// head).
func parsePieces(f *fib, w, tbl []byte) ([]piece, error) {
	clx, ok := f.clx.slice(tbl)
	if !ok {
		return fallbackPiece(f, w)
	}
	pos := 0
	for pos < len(clx) {
		switch clx[pos] {
		case 0x01: // Prc: a grpprl of piece properties, skipped
			cb, ok := u16(clx, pos+1)
			if !ok || int16(cb) < 0 {
				return nil, corrupt(fmt.Errorf("doc: bad Prc at %d", pos))
			}
			pos += 3 + int(cb)
		case 0x02: // Pcdt
			lcb, ok := u32(clx, pos+1)
			if !ok || uint64(lcb) > uint64(len(clx)-pos-5) {
				return nil, corrupt(fmt.Errorf("doc: bad Pcdt at %d", pos))
			}
			return plcPcd(clx[pos+5:pos+5+int(lcb)], w)
		default:
			return nil, corrupt(fmt.Errorf("doc: bad CLX entry %#x at %d", clx[pos], pos))
		}
	}
	return fallbackPiece(f, w)
}

// plcPcd parses a PlcPcd: n+1 CPs followed by n 8-byte PCDs.
func plcPcd(plc, w []byte) ([]piece, error) {
	if len(plc) < 16 || (len(plc)-4)%12 != 0 {
		return nil, corrupt(fmt.Errorf("doc: PlcPcd of %d bytes", len(plc)))
	}
	n := (len(plc) - 4) / 12
	pcds := 4 * (n + 1)
	out := make([]piece, 0, n)
	var last uint32
	for i := range n {
		cp0, _ := u32(plc, 4*i)
		cp1, _ := u32(plc, 4*i+4)
		fc, _ := u32(plc, pcds+8*i+2)
		if cp1 <= cp0 || cp0 < last {
			continue // empty or out of order: skipped
		}
		last = cp1
		p := piece{cp0: cp0, cp1: cp1, wide: fc&0x40000000 == 0}
		fc &= 0x3FFFFFFF
		if p.wide {
			p.off = fc
		} else {
			p.off = fc / 2
		}
		if !p.clamp(len(w)) {
			continue
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, corrupt(fmt.Errorf("doc: no text pieces inside the WordDocument stream"))
	}
	return out, nil
}

// clamp shortens p so that its bytes lie inside a stream of size n; it
// reports false when nothing is left.
func (p *piece) clamp(n int) bool {
	if uint64(p.off) >= uint64(n) {
		return false
	}
	room := (uint64(n) - uint64(p.off)) / uint64(p.width())
	if uint64(p.cp1-p.cp0) > room {
		p.cp1 = p.cp0 + uint32(room)
	}
	return p.cp1 > p.cp0
}

// fallbackPiece is the contiguous text fcMin..fcMac of a file without a
// piece table.
func fallbackPiece(f *fib, w []byte) ([]piece, error) {
	if f.fcMac <= f.fcMin {
		return nil, corrupt(fmt.Errorf("doc: no piece table and no text range"))
	}
	p := piece{off: f.fcMin, wide: looksUTF16(w, f.fcMin, f.fcMac)}
	p.cp1 = (f.fcMac - f.fcMin) / p.width()
	if !p.clamp(len(w)) {
		return nil, corrupt(fmt.Errorf("doc: text range %d..%d outside the stream", f.fcMin, f.fcMac))
	}
	return []piece{p}, nil
}

// looksUTF16 reports whether w[from:to] reads as UTF-16LE: many of its
// odd bytes (the high bytes of ASCII and control characters) are zero.
func looksUTF16(w []byte, from, to uint32) bool {
	if uint64(to) > uint64(len(w)) {
		to = uint32(len(w))
	}
	if from >= to {
		return false
	}
	b := w[from:min(to, from+1024)]
	zeros := 0
	for i := 1; i < len(b); i += 2 {
		if b[i] == 0 {
			zeros++
		}
	}
	return zeros*4 > len(b)/2
}
