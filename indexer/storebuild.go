package indexer

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"path/filepath"
	"time"

	"github.com/zhengce/zhengce/corpus"
	"github.com/zhengce/zhengce/indexer/store"
)

// storeBatch is how many documents one transaction of a full build
// writes: a build of a large corpus never holds every original file in
// one transaction.
const storeBatch = 128

// OriginBuild is the origin of the documents of a full build.
const OriginBuild = "build"

// writeStore writes the document store of a full build into the index
// directory path: every document of c, its original file, and the base
// segment (".") that indexes them in Entries order.
func writeStore(ctx context.Context, path string, c *corpus.Corpus, seg *Segmenter, info func(id string) (store.Info, bool)) error {
	st, err := store.Create(filepath.Join(path, store.File))
	if err != nil {
		return err
	}
	docs := c.Documents()
	base := &store.Segment{Name: ".", Created: time.Now().UTC(), Docs: make([]store.SegDoc, len(docs))}
	for i, d := range docs {
		base.Docs[i] = store.SegDoc{ID: d.ID, Entries: EntryCount(d)}
	}
	werr := func() error {
		if err := st.SetAnalyzer(seg.Fingerprint()); err != nil {
			return err
		}
		for lo := 0; lo < len(docs); lo += storeBatch {
			if err := ctx.Err(); err != nil {
				return err
			}
			hi := min(lo+storeBatch, len(docs))
			ch := store.Change{Puts: make([]store.Put, 0, hi-lo)}
			for _, d := range docs[lo:hi] {
				p := store.Put{Doc: d, Info: store.Info{Origin: OriginBuild, Source: d.Source, Format: d.Format}}
				if info != nil {
					if in, ok := info(d.ID); ok {
						p.Info = in
					}
				}
				p.Info.Segment = "."
				data, _, err := c.Original(ctx, d.ID)
				switch {
				case err == nil:
					p.Original = data
					if p.Info.Stamp.SHA256 == "" {
						sum := sha256.Sum256(data)
						p.Info.Stamp = corpus.Stamp{Size: int64(len(data)), SHA256: hex.EncodeToString(sum[:])}
					}
				case corpus.ErrorCode(err) != corpus.ENOTFOUND:
					return err
				}
				ch.Puts = append(ch.Puts, p)
			}
			if hi == len(docs) {
				ch.Segment = base
				ch.Rejected, ch.Warnings = nonNil(c.Rejected()), nonNil(c.Warnings())
			}
			if err := st.Apply(ch); err != nil {
				return err
			}
		}
		return nil
	}()
	return errors.Join(werr, st.Close())
}

func nonNil[T any](s []T) []T {
	if s == nil {
		return []T{}
	}
	return s
}

// Rebuild builds a new index of dir from the documents of st — their
// bodies, original files, origins and the rejected files — with seg
// (gse's full dictionary: a new domain dictionary is derived): the
// compaction of a changed index, and the repair of one whose index files
// are damaged while its store is sound. st is read only.
func Rebuild(ctx context.Context, dir string, st *store.Store, seg *Segmenter, p Progress) error {
	snap, err := st.Read()
	if err != nil {
		return err
	}
	docs := make([]*corpus.Document, len(snap.Docs))
	for i, d := range snap.Docs {
		if docs[i], err = st.Document(d.ID); err != nil {
			return err
		}
	}
	c, err := corpus.Assemble(docs, corpus.Extras{Rejected: snap.Rejected, Warnings: snap.Warnings,
		Originals: func(_ context.Context, id string) ([]byte, error) { return st.Original(id) }})
	if err != nil {
		return err
	}
	_, err = BuildWith(ctx, dir, c, seg, p, BuildOptions{Info: func(id string) (store.Info, bool) {
		in, ok := snap.Info[id]
		return in, ok
	}})
	return err
}
