package doc

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/richardlehane/mscfb"
	"github.com/zhengce/zhengce/corpus"
)

// maxEntries bounds the directory entries of a compound file looked at; a
// Word document has a few dozen.
const maxEntries = 4096

// readChunk is the size of one read of a stream: mscfb merges the sector
// list of each read in quadratic time, so reads stay small.
const readChunk = 32 << 10

// streams are the streams of a compound file that the reader uses.
type streams struct {
	word    []byte // WordDocument
	table0  *mscfb.File
	table1  *mscfb.File
	data    []byte // Data, nil when absent or unreadable (huge PAPXs)
	summary []byte // \x05SummaryInformation, nil when absent or unreadable
	lim     int64  // bound on the size of one stream
}

// openStreams opens the compound file data and reads its WordDocument and
// SummaryInformation streams; the table stream is read once the FIB says
// which one it is (table).
func openStreams(data []byte, lim corpus.Limits) (*streams, error) {
	cf, err := mscfb.New(bytes.NewReader(data))
	if err != nil {
		return nil, corrupt(fmt.Errorf("doc: compound file: %w", err))
	}
	st := &streams{lim: int64(len(data))}
	if lim.MaxFileSize > 0 && lim.MaxFileSize < st.lim {
		st.lim = lim.MaxFileSize
	}
	var word *mscfb.File
	var names []string
	for i, f := range cf.File {
		if i >= maxEntries {
			break
		}
		if len(f.Path) != 0 {
			continue
		}
		names = append(names, f.Name)
		switch {
		case f.Name == "WordDocument":
			word = f
		case f.Name == "Data":
			// Only huge paragraph properties live there: without them
			// tables are still found from their cell marks.
			if b, err := st.read(f); err == nil {
				st.data = b
			}
		case f.Name == "0Table":
			st.table0 = f
		case f.Name == "1Table":
			st.table1 = f
		case f.Name == "SummaryInformation" && f.Initial == 5:
			// The metadata is optional: an unreadable property set is
			// ignored.
			if b, err := st.read(f); err == nil {
				st.summary = b
			}
		}
	}
	if word == nil {
		return nil, notWord(names)
	}
	st.word, err = st.read(word)
	if err != nil {
		return nil, err
	}
	return st, nil
}

// table reads the table stream the FIB names: 1Table when which is true,
// else 0Table.
func (st *streams) table(which bool) ([]byte, error) {
	f := st.table0
	if which {
		f = st.table1
	}
	if f == nil {
		return nil, nil
	}
	return st.read(f)
}

// read returns the content of stream f, refusing streams larger than the
// file itself or the file size limit.
func (st *streams) read(f *mscfb.File) ([]byte, error) {
	if f.Size > st.lim {
		// A stream larger than the whole file is a damaged directory.
		return nil, corrupt(fmt.Errorf("doc: stream %q of %d bytes exceeds %d", f.Name, f.Size, st.lim))
	}
	buf := make([]byte, f.Size)
	off := 0
	for off < len(buf) {
		end := min(off+readChunk, len(buf))
		n, err := f.Read(buf[off:end])
		off += n
		if err != nil && !errors.Is(err, io.EOF) {
			return nil, corrupt(fmt.Errorf("doc: read stream %q: %w", f.Name, err))
		}
		if n == 0 {
			return nil, corrupt(fmt.Errorf("doc: stream %q ends at %d of %d bytes", f.Name, off, len(buf)))
		}
	}
	return buf, nil
}

// notWord returns the error for a compound file without a WordDocument
// stream, naming the Office format it is when its streams say so.
func notWord(names []string) error {
	has := func(n string) bool {
		for _, x := range names {
			if strings.EqualFold(x, n) {
				return true
			}
		}
		return false
	}
	var what string
	switch {
	case has("EncryptedPackage"):
		return corpus.Errorf(corpus.EINVALID, "此 Office 文档已加密（设置了打开密码），无法读取其文字。请取消密码保护后重新上传。")
	case has("Workbook") || has("Book"):
		what = "这是 Excel 表格（.xls/.et），不是 Word 文档"
	case has("PowerPoint Document"):
		what = "这是 PowerPoint 演示文稿（.ppt/.dps），不是 Word 文档"
	case has("VisioDocument"):
		what = "这是 Visio 绘图，不是 Word 文档"
	case has("Quill"):
		what = "这是 Publisher 文档，不是 Word 文档"
	case has("__substg1.0_0037001F") || has("__properties_version1.0"):
		what = "这是 Outlook 邮件（.msg），不是 Word 文档"
	default:
		what = "这个复合文档文件中没有 Word 正文（缺少 WordDocument 流），不是 Word 文档"
	}
	return corpus.Errorf(corpus.EINVALID, "%s。请上传 Word（.doc/.docx）、PDF、OFD、网页或文本格式的政策文件。", what)
}
