// Package zipfile opens the zip containers of XML parts that DOCX and OFD
// files are, within corpus.Limits: it bounds the number of entries, counts
// the bytes it actually decompresses (never trusting the sizes the headers
// claim, so a zip bomb is stopped after MaxUnzipped bytes), and streams XML
// parts through a decoder that bounds element nesting and honours the
// context.
package zipfile

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/zhengce/zhengce/corpus"
)

// chunk is how many decompressed bytes are read between two checks of the
// context.
const chunk = 1 << 20

// Archive is an opened zip container. It is not safe for concurrent use:
// the decompressed byte count is shared by every read.
type Archive struct {
	kind   string // "DOCX", "OFD": names the format in messages
	lim    corpus.Limits
	used   int64 // bytes decompressed so far
	files  map[string]*zip.File
	folded map[string]*zip.File // by lower-cased name
}

// WithDefaults returns lim with every zero or negative field replaced by
// the field of corpus.DefaultLimits, so that a zero Limits means "the
// defaults", never "no limit".
func WithDefaults(lim corpus.Limits) corpus.Limits {
	def := corpus.DefaultLimits()
	if lim.MaxFileSize <= 0 {
		lim.MaxFileSize = def.MaxFileSize
	}
	if lim.MaxPages <= 0 {
		lim.MaxPages = def.MaxPages
	}
	if lim.MaxUnzipped <= 0 {
		lim.MaxUnzipped = def.MaxUnzipped
	}
	if lim.MaxZipEntries <= 0 {
		lim.MaxZipEntries = def.MaxZipEntries
	}
	if lim.MaxDepth <= 0 {
		lim.MaxDepth = def.MaxDepth
	}
	if lim.MaxTextSize <= 0 {
		lim.MaxTextSize = def.MaxTextSize
	}
	if lim.PerFileTimeout <= 0 {
		lim.PerFileTimeout = def.PerFileTimeout
	}
	if lim.MaxOCRPages <= 0 {
		lim.MaxOCRPages = def.MaxOCRPages
	}
	return lim
}

// Open opens data as a zip container of the given kind ("DOCX", "OFD",
// used in messages). Zero fields of lim take their default values. It
// fails with ETOOLARGE when the file or its entry count is over the limit,
// and with EINVALID when data is not a readable zip file.
func Open(data []byte, lim corpus.Limits, kind string) (*Archive, error) {
	lim = WithDefaults(lim)
	if int64(len(data)) > lim.MaxFileSize {
		return nil, corpus.Errorf(corpus.ETOOLARGE, "%s 文件大小超过 %s 上限，请拆分后再上传", kind, MB(lim.MaxFileSize))
	}
	if n, ok := declaredEntries(data); ok && n > uint64(lim.MaxZipEntries) {
		return nil, tooManyEntries(kind, lim)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil && !errors.Is(err, zip.ErrInsecurePath) {
		// Names such as "/Doc_0/Document.xml" are only looked up in
		// memory, never written to disk, so insecure paths are harmless.
		return nil, &corpus.Error{Code: corpus.EINVALID,
			Message: fmt.Sprintf("%s 文件已损坏或不是 zip 压缩包，无法打开；请用原软件重新导出后再上传", kind), Err: err}
	}
	if len(zr.File) > lim.MaxZipEntries {
		return nil, tooManyEntries(kind, lim)
	}
	a := &Archive{kind: kind, lim: lim,
		files:  make(map[string]*zip.File, len(zr.File)),
		folded: make(map[string]*zip.File, len(zr.File))}
	for _, f := range zr.File {
		name := clean(f.Name)
		if _, dup := a.files[name]; !dup {
			a.files[name] = f
		}
		low := strings.ToLower(name)
		if _, dup := a.folded[low]; !dup {
			a.folded[low] = f
		}
	}
	return a, nil
}

func tooManyEntries(kind string, lim corpus.Limits) error {
	return corpus.Errorf(corpus.ETOOLARGE, "%s 压缩包内的文件超过 %d 个上限，可能是恶意构造的文件；请检查文件来源", kind, lim.MaxZipEntries)
}

// declaredEntries reads the entry count of the end of central directory
// record (or its zip64 form), so that a file declaring millions of entries
// is rejected before the central directory is parsed.
func declaredEntries(data []byte) (uint64, bool) {
	const eocdLen = 22
	if len(data) < eocdLen {
		return 0, false
	}
	lo := max(0, len(data)-eocdLen-65535)
	i := bytes.LastIndex(data[lo:], []byte("PK\x05\x06"))
	if i < 0 || lo+i+eocdLen > len(data) {
		return 0, false
	}
	i += lo
	n := uint64(binary.LittleEndian.Uint16(data[i+10:]))
	if n != 0xFFFF || i < 20 || !bytes.Equal(data[i-20:i-16], []byte("PK\x06\x07")) {
		return n, true
	}
	off := binary.LittleEndian.Uint64(data[i-12:])
	if off > uint64(len(data)) || off+40 > uint64(len(data)) || !bytes.Equal(data[off:off+4], []byte("PK\x06\x06")) {
		return n, true
	}
	return binary.LittleEndian.Uint64(data[off+32:]), true
}

// clean normalises an entry name or a reference to one: forward slashes,
// no leading slash, no "." or ".." elements.
func clean(name string) string {
	name = strings.ReplaceAll(name, "\\", "/")
	name = path.Clean("/" + name)
	return strings.TrimPrefix(name, "/")
}

// Lookup returns the name of the entry called name (cleaned: backslashes,
// a leading slash, "." and ".." elements do not matter), matched exactly
// or else ignoring case, and whether there is one. Directories are not
// entries.
func (a *Archive) Lookup(name string) (string, bool) {
	name = clean(name)
	if f, ok := a.files[name]; ok && !f.FileInfo().IsDir() {
		return clean(f.Name), true
	}
	if f, ok := a.folded[strings.ToLower(name)]; ok && !f.FileInfo().IsDir() {
		return clean(f.Name), true
	}
	return "", false
}

// Resolve finds the entry a reference points to, trying it relative to
// each base directory in turn (the referring part's directory first),
// then from the zip root, each exactly and then ignoring case. It returns
// the entry's name and whether one was found.
func (a *Archive) Resolve(ref string, bases ...string) (string, bool) {
	ref = strings.TrimSpace(strings.ReplaceAll(ref, "\\", "/"))
	if ref == "" {
		return "", false
	}
	if !strings.HasPrefix(ref, "/") {
		for _, b := range bases {
			if name, ok := a.Lookup(path.Join(b, ref)); ok {
				return name, true
			}
		}
	}
	return a.Lookup(ref)
}

// ReadFile decompresses the entry called name (see Lookup). The bytes it
// decompresses count against MaxUnzipped for the whole archive: more is
// an ETOOLARGE error, whatever the entry's header claims. The error for a
// missing entry wraps ErrNotFound.
func (a *Archive) ReadFile(ctx context.Context, name string) ([]byte, error) {
	found, ok := a.Lookup(name)
	if !ok {
		return nil, fmt.Errorf("%w: %s", ErrNotFound, name)
	}
	f := a.files[found]
	if f == nil {
		f = a.folded[strings.ToLower(found)]
	}
	if f.Flags&0x1 != 0 {
		return nil, corpus.Errorf(corpus.EINVALID, "%s 文件已加密（%s），无法读取；请去掉密码保护后再上传", a.kind, found)
	}
	rc, err := f.Open()
	if err != nil {
		return nil, a.corrupt(found, err)
	}
	defer rc.Close()
	remaining := a.lim.MaxUnzipped - a.used
	r := io.LimitReader(rc, remaining+1)
	// The header's size is only a hint for the first allocation.
	buf := make([]byte, 0, min(f.UncompressedSize64, uint64(remaining), 16<<20)+1)
	for {
		if err := ctx.Err(); err != nil {
			return nil, Canceled(err)
		}
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)]
		}
		n, err := r.Read(buf[len(buf):min(cap(buf), len(buf)+chunk)])
		buf = buf[:len(buf)+n]
		a.used += int64(n)
		if a.used > a.lim.MaxUnzipped {
			return nil, corpus.Errorf(corpus.ETOOLARGE, "压缩包解压后超过 %s 上限，可能是压缩炸弹；请检查文件来源", MB(a.lim.MaxUnzipped))
		}
		if errors.Is(err, io.EOF) {
			return buf, nil
		}
		if err != nil {
			return nil, a.corrupt(found, err)
		}
	}
}

// ErrNotFound is wrapped by ReadFile's error for a missing entry.
var ErrNotFound = errors.New("zip entry not found")

func (a *Archive) corrupt(name string, err error) error {
	msg := fmt.Sprintf("%s 文件已损坏：压缩包中的 %s 无法解压；请用原软件重新导出后再上传", a.kind, name)
	if errors.Is(err, zip.ErrAlgorithm) {
		msg = fmt.Sprintf("%s 文件使用了不支持的压缩方式（%s）；请用原软件重新保存后再上传", a.kind, name)
	}
	return &corpus.Error{Code: corpus.EINVALID, Message: msg, Err: err}
}

// Canceled converts a context error into the *corpus.Error a reader
// returns, with code ETIMEOUT.
func Canceled(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &corpus.Error{Code: corpus.ETIMEOUT, Message: "读取文件超时，文件可能过大或过于复杂；请拆分后再上传", Err: err}
	}
	return &corpus.Error{Code: corpus.ETIMEOUT, Message: "读取文件已中止", Err: err}
}

// MB formats a byte count the way limits are stated to users ("200 MB").
func MB(n int64) string {
	if n >= 1<<20 && n%(1<<20) == 0 {
		return fmt.Sprintf("%d MB", n>>20)
	}
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d 字节", n)
}
