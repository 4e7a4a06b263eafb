package doc

import (
	"encoding/binary"
	"fmt"

	"github.com/zhengce/zhengce/corpus"
)

// Story indexes of fib.ccp, in the order their text follows the main
// document in CP space ([MS-DOC] 2.4.1).
const (
	storyMain = iota
	storyFtn
	storyHdd
	storyMcr
	storyAtn
	storyEdn
	storyTxbx
	storyHdrTxbx
	nStories
)

// fib holds the fields of the File Information Block the reader uses.
type fib struct {
	nFib       uint16
	lid, lidFE uint16
	flags      uint16
	fcMin      uint32
	fcMac      uint32
	ccp        [nStories]uint32
	clx        fcLcb // piece table
	btePapx    fcLcb // paragraph property pages
	bteChpx    fcLcb // character property pages
}

// fcLcb is an offset and length in the table stream.
type fcLcb struct{ fc, lcb uint32 }

// FIB flag bits (FibBase).
const (
	fEncrypted   = 1 << 8
	fWhichTblStm = 1 << 9
	fObfuscated  = 1 << 15
)

// Indexes of FibRgFcLcb97 pairs.
const (
	iStshf       = 1
	iPlcfBtePapx = 13
	iClx         = 33
)

// parseFIB reads the FIB at the start of the WordDocument stream w.
func parseFIB(w []byte) (*fib, error) {
	if len(w) < 0x22 {
		return nil, corrupt(fmt.Errorf("doc: WordDocument stream of %d bytes", len(w)))
	}
	le := binary.LittleEndian
	if id := le.Uint16(w); id != 0xA5EC && id != 0xA5DC {
		return nil, corrupt(fmt.Errorf("doc: FIB identifier %#x", id))
	}
	f := &fib{
		nFib:  le.Uint16(w[2:]),
		lid:   le.Uint16(w[6:]),
		flags: le.Uint16(w[0x0A:]),
		fcMin: le.Uint32(w[0x18:]),
		fcMac: le.Uint32(w[0x1C:]),
	}
	if f.flags&(fEncrypted|fObfuscated) != 0 {
		return nil, corpus.Errorf(corpus.EINVALID, msgEncrypted)
	}
	if f.nFib < 101 {
		return nil, corpus.Errorf(corpus.EINVALID, "这是 Word 6.0/95 或更早版本的文档（格式版本 %d），暂不支持。请用 Word 或 WPS 打开后另存为 .docx 再上传。", f.nFib)
	}
	// FibRgW97, FibRgLw97 and FibRgFcLcb: each preceded by its count.
	pos := 0x20
	csw, ok := u16(w, pos)
	if !ok {
		return nil, corrupt(fmt.Errorf("doc: FIB truncated at csw"))
	}
	rgW := pos + 2
	if v, ok := u16(w, rgW+13*2); ok && csw > 13 {
		f.lidFE = v
	}
	pos = rgW + int(csw)*2
	cslw, ok := u16(w, pos)
	if !ok {
		return nil, corrupt(fmt.Errorf("doc: FIB truncated at cslw"))
	}
	rgLw := pos + 2
	for i := range f.ccp {
		if cslw <= uint16(3+i) {
			break
		}
		v, ok := u32(w, rgLw+(3+i)*4)
		if !ok {
			return nil, corrupt(fmt.Errorf("doc: FIB truncated at ccp %d", i))
		}
		f.ccp[i] = v
	}
	pos = rgLw + int(cslw)*4
	cb, ok := u16(w, pos)
	if !ok {
		return nil, corrupt(fmt.Errorf("doc: FIB truncated at cbRgFcLcb"))
	}
	blob := pos + 2
	pair := func(i int) fcLcb {
		if int(cb) <= i {
			return fcLcb{}
		}
		fc, ok1 := u32(w, blob+i*8)
		lcb, ok2 := u32(w, blob+i*8+4)
		if !ok1 || !ok2 {
			return fcLcb{}
		}
		return fcLcb{fc, lcb}
	}
	f.clx = pair(iClx)
	f.btePapx = pair(iPlcfBtePapx)
	f.bteChpx = pair(iPlcfBteChpx)
	return f, nil
}

// slice returns b[fc:fc+lcb] when it lies inside b.
func (p fcLcb) slice(b []byte) ([]byte, bool) {
	end := uint64(p.fc) + uint64(p.lcb)
	if p.lcb == 0 || end > uint64(len(b)) {
		return nil, false
	}
	return b[p.fc:end], true
}

// u16 returns the little-endian uint16 at b[i:].
func u16(b []byte, i int) (uint16, bool) {
	if i < 0 || i > len(b)-2 {
		return 0, false
	}
	return binary.LittleEndian.Uint16(b[i:]), true
}

// u32 returns the little-endian uint32 at b[i:].
func u32(b []byte, i int) (uint32, bool) {
	if i < 0 || i > len(b)-4 {
		return 0, false
	}
	return binary.LittleEndian.Uint32(b[i:]), true
}
