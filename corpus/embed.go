package corpus

import (
	"embed"
	"io/fs"
)

//go:embed seeds/*.txt manifest.json
var embedded embed.FS

// Embedded returns the default corpus: the five seed documents and their
// manifest, compiled into the binary. The file system is read-only.
func Embedded() fs.FS { return embedded }
