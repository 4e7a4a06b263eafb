package corpus

import (
	"context"
	"time"
)

// File is one document file handed to a running collection: uploaded,
// given to `zhengce add`, or found in a watched folder.
type File struct {
	// Name is the file's path relative to the folder it came from,
	// slash-separated (2024/通知.pdf), or the uploaded file's name. The
	// document id is derived from it as in a folder build (SanitizeID of
	// the base name without extension).
	Name string
	// Data is the file's content.
	Data []byte
	// ModTime is the file's modification time, zero when unknown.
	ModTime time.Time
}

// Change statuses, the outcome of one file or document of a change.
const (
	ChangeIndexed  = "indexed"  // parsed and searchable
	ChangeRejected = "rejected" // not indexed; Reason says why
	ChangeRemoved  = "removed"  // removed from the index
)

// ChangeResult is the outcome of one file of an add, or one id of a
// removal.
type ChangeResult struct {
	ID     string `json:"id,omitempty"`     // document id (empty when the file was rejected before one was given)
	Source string `json:"source,omitempty"` // the file's name as given
	Status string `json:"status"`           // indexed, rejected or removed
	Reason string `json:"reason,omitempty"` // why a file was rejected (Simplified Chinese)
	// Replaced is true when the file replaced a document of the same id.
	Replaced bool `json:"replaced,omitempty"`
}

// Stamp identifies the content of a file already indexed: a watcher
// compares it with the folder to find new, changed and deleted files.
type Stamp struct {
	// ID is the id of the document the file was indexed as: what a
	// watcher removes when the file is gone.
	ID      string    `json:"id"`
	Size    int64     `json:"size"`
	ModTime time.Time `json:"mtime"`
	SHA256  string    `json:"sha256"` // hex
}

// Collection is a document set that changes while it is served: the
// index directory of `zhengce serve`. Each change is atomic (a search
// sees the documents before it or after it, never a mix) and durable
// once the call returns without error. It is safe for concurrent use;
// changes are applied one at a time.
type Collection interface {
	// Corpus returns the documents as of the last change. The result is
	// immutable; a later change returns a new Corpus.
	Corpus() *Corpus
	// Add parses files and indexes those that can be read; a file whose
	// id is already indexed replaces that document. origin names where
	// the files come from ("upload", "cli", or "watch:" + the folder),
	// so a watcher only ever removes documents of its own folder. A
	// file that cannot be read is reported as rejected and changes
	// nothing; the error is for failures of the index itself.
	Add(ctx context.Context, origin string, files []File) ([]ChangeResult, error)
	// Remove removes the documents with the given ids. An unknown id is
	// an ENOTFOUND *Error and nothing is removed.
	Remove(ctx context.Context, ids []string) ([]ChangeResult, error)
	// Sources returns the indexed files of origin, by Name, with their
	// stamps.
	Sources(origin string) map[string]Stamp
}
