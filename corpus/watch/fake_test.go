package watch_test

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"path"
	"slices"
	"strings"
	"sync"

	"github.com/zhengce/zhengce/corpus"
)

// memDoc is a document of memColl: the file it came from.
type memDoc struct {
	origin string
	name   string
	data   []byte
	stamp  corpus.Stamp
}

// memColl is an in-memory corpus.Collection that records the calls made
// to it. A file whose content starts with "BAD" is rejected; the id of a
// file is its base name without extension, as in a folder build.
type memColl struct {
	mu      sync.Mutex
	docs    map[string]memDoc // by id
	adds    [][]corpus.File
	origins []string
	removes [][]string
	// addErr, when set, fails the next Add call.
	addErr error
	// ghosts are listed by Sources but are not in the collection, as
	// when a document was removed by other means after Sources was read.
	ghosts map[string]corpus.Stamp
}

func newMemColl() *memColl { return &memColl{docs: map[string]memDoc{}} }

func (c *memColl) Corpus() *corpus.Corpus { return nil }

func (c *memColl) Add(_ context.Context, origin string, files []corpus.File) ([]corpus.ChangeResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err := c.addErr; err != nil {
		c.addErr = nil
		return nil, err
	}
	c.adds = append(c.adds, slices.Clone(files))
	c.origins = append(c.origins, origin)
	var res []corpus.ChangeResult
	for _, f := range files {
		if strings.HasPrefix(string(f.Data), "BAD") {
			res = append(res, corpus.ChangeResult{Source: f.Name, Status: corpus.ChangeRejected, Reason: "无法解析此文件"})
			continue
		}
		base := path.Base(f.Name)
		id := corpus.SanitizeID(strings.TrimSuffix(base, path.Ext(base)))
		_, replaced := c.docs[id]
		sum := sha256.Sum256(f.Data)
		c.docs[id] = memDoc{origin: origin, name: f.Name, data: f.Data, stamp: corpus.Stamp{
			ID: id, Size: int64(len(f.Data)), ModTime: f.ModTime, SHA256: hex.EncodeToString(sum[:]),
		}}
		res = append(res, corpus.ChangeResult{ID: id, Source: f.Name, Status: corpus.ChangeIndexed, Replaced: replaced})
	}
	return res, nil
}

func (c *memColl) Remove(_ context.Context, ids []string) ([]corpus.ChangeResult, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.removes = append(c.removes, slices.Clone(ids))
	for _, id := range ids {
		if _, ok := c.docs[id]; !ok {
			return nil, corpus.Errorf(corpus.ENOTFOUND, "文档 %s 不存在", id)
		}
	}
	var res []corpus.ChangeResult
	for _, id := range ids {
		res = append(res, corpus.ChangeResult{ID: id, Source: c.docs[id].name, Status: corpus.ChangeRemoved})
		delete(c.docs, id)
	}
	return res, nil
}

func (c *memColl) Sources(origin string) map[string]corpus.Stamp {
	c.mu.Lock()
	defer c.mu.Unlock()
	out := map[string]corpus.Stamp{}
	for _, d := range c.docs {
		if d.origin == origin {
			out[d.name] = d.stamp
		}
	}
	for name, s := range c.ghosts {
		out[name] = s
	}
	return out
}

// calls returns how many Add and Remove calls were made.
func (c *memColl) calls() (adds, removes int) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.adds), len(c.removes)
}

// content returns the indexed content of the file name, and whether it is
// indexed.
func (c *memColl) content(name string) (string, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for _, d := range c.docs {
		if d.name == name {
			return string(d.data), true
		}
	}
	return "", false
}

// names returns the indexed file names, sorted.
func (c *memColl) names() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for _, d := range c.docs {
		out = append(out, d.name)
	}
	slices.Sort(out)
	return out
}
