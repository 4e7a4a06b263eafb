package main

import (
	"context"

	"github.com/zhengce/zhengce/corpus"
)

// runServe implements `zhengce serve`. PLACEHOLDER until its issue step lands.
func (m *Main) runServe(ctx context.Context, args []string) error {
	return corpus.Errorf(corpus.EINTERNAL, "serve 尚未实现")
}
