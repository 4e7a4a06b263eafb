package main

import (
	"context"

	"github.com/zhengce/zhengce/corpus"
)

// runDocs implements `zhengce docs`. PLACEHOLDER until its issue step lands.
func (m *Main) runDocs(ctx context.Context, args []string) error {
	return corpus.Errorf(corpus.EINTERNAL, "docs 尚未实现")
}
