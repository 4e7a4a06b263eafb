package main

import (
	"errors"
	"io/fs"
	"testing"
)

func TestSystemMemory(t *testing.T) {
	const meminfo = "MemTotal:       24576000 kB\nMemFree:        18000000 kB\n"
	files := func(m map[string]string) func(string) ([]byte, error) {
		return func(name string) ([]byte, error) {
			if s, ok := m[name]; ok {
				return []byte(s), nil
			}
			return nil, fs.ErrNotExist
		}
	}
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  uint64
		ok    bool
	}{
		{"machine only", map[string]string{"/proc/meminfo": meminfo}, 24576000 << 10, true},
		{"cgroup lower", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "2147483648\n"}, 2 << 30, true},
		{"cgroup higher", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "99999999999999\n"}, 24576000 << 10, true},
		{"cgroup unlimited", map[string]string{"/proc/meminfo": meminfo, "/sys/fs/cgroup/memory.max": "max\n"}, 24576000 << 10, true},
		{"cgroup only", map[string]string{"/sys/fs/cgroup/memory.max": "1073741824"}, 1 << 30, true},
		{"garbled meminfo", map[string]string{"/proc/meminfo": "MemTotal: lots\n"}, 0, false},
		{"nothing", map[string]string{}, 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, ok := systemMemory(files(tc.files))
			if got != tc.want || ok != tc.ok {
				t.Errorf("systemMemory = %d, %v; want %d, %v", got, ok, tc.want, tc.ok)
			}
		})
	}
	if _, ok := systemMemory(func(string) ([]byte, error) { return nil, errors.New("denied") }); ok {
		t.Error("systemMemory reported memory it could not read")
	}
}
