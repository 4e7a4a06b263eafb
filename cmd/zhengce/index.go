package main

import (
	"context"

	"github.com/zhengce/zhengce/corpus"
)

// runIndex implements `zhengce index`. PLACEHOLDER until its issue step lands.
func (m *Main) runIndex(ctx context.Context, args []string) error {
	return corpus.Errorf(corpus.EINTERNAL, "index 尚未实现")
}
