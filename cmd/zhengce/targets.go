package main

import (
	"context"

	"github.com/zhengce/zhengce/corpus"
)

// runTargets implements `zhengce targets`. PLACEHOLDER until its issue step lands.
func (m *Main) runTargets(ctx context.Context, args []string) error {
	return corpus.Errorf(corpus.EINTERNAL, "targets 尚未实现")
}
