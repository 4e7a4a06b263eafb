package main

import (
	"context"

	"github.com/zhengce/zhengce/corpus"
)

// runSearch implements `zhengce search`. PLACEHOLDER until its issue step lands.
func (m *Main) runSearch(ctx context.Context, args []string) error {
	return corpus.Errorf(corpus.EINTERNAL, "search 尚未实现")
}
