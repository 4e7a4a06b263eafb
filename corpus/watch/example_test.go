package watch_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/zhengce/zhengce/corpus/watch"
)

// A pass of a Watcher adds the files of the folder, and removes the
// document of a file deleted since.
func ExampleWatcher_Sync() {
	dir, err := os.MkdirTemp("", "watch-example")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	// Files copied into the folder an hour ago: settled.
	hourAgo := time.Now().Add(-time.Hour)
	for _, name := range []string{"关于加强管理的通知.txt", "2024/实施办法.txt"} {
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			fmt.Println(err)
			return
		}
		if err := os.WriteFile(p, []byte("第一条 为了……"), 0o644); err != nil {
			fmt.Println(err)
			return
		}
		if err := os.Chtimes(p, hourAgo, hourAgo); err != nil {
			fmt.Println(err)
			return
		}
	}

	w := &watch.Watcher{Dir: dir, Coll: newMemColl()}
	rep, err := w.Sync(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("added %d\n", rep.Added)
	for _, r := range rep.Results {
		fmt.Println(r.Status, r.Source, r.ID)
	}

	if err := os.Remove(filepath.Join(dir, "2024", "实施办法.txt")); err != nil {
		fmt.Println(err)
		return
	}
	rep, err = w.Sync(context.Background())
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Printf("removed %d\n", rep.Removed)
	for _, r := range rep.Results {
		fmt.Println(r.Status, r.Source, r.ID)
	}
	// Output:
	// added 2
	// indexed 2024/实施办法.txt 实施办法
	// indexed 关于加强管理的通知.txt 关于加强管理的通知
	// removed 1
	// removed 2024/实施办法.txt 实施办法
}
