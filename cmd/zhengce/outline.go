package main

import (
	"context"

	"github.com/zhengce/zhengce/corpus"
)

// runOutline implements `zhengce outline`. PLACEHOLDER until its issue step lands.
func (m *Main) runOutline(ctx context.Context, args []string) error {
	return corpus.Errorf(corpus.EINTERNAL, "outline 尚未实现")
}
