// Command zcbench measures zhengce: it generates a clearly labelled
// synthetic corpus for scale runs and drives a running server with a fixed
// query mix over HTTP, reporting latency percentiles and errors.
//
// Usage:
//
//	zcbench synth -n 2000 -out DIR [-seed 1] [-kb 0]
//	zcbench load  -url http://127.0.0.1:8080 [-c 8] [-d 20s] [-n 0]
//	zcbench rss   -pid PID
//	zcbench serve -bin bin/zhengce [-corpus DIR] [-index DIR] [-c 8] [-d 20s] [-warm 3] [-cold]
//
//	zcbench scale -bin bin/zhengce [-sizes 5,200,2000,10000] [-kb 100] [-c 8] [-d 10s] [-cpuq 0] [-json FILE] [-dir DIR -keep]
//
// serve starts the real binary on a free loopback port: it times start-up
// without an index (the server builds it) and of `serve --index DIR` with
// no corpus folder (process start → first successful /api/search with
// bare words), then runs the load generator while sampling the server's
// resident memory every second. scale, for each corpus size (5 = the real
// seeds, others synthetic, padded to about -kb KB a document), indexes the
// corpus with the real binary (peak RSS from wait4), serves the index
// with no corpus folder, runs the mix sequentially and with -c clients,
// uploads one document over POST /api/documents and times until a search
// finds it, and prints a table: indexing throughput and memory, index
// size, start-up, latency percentiles, server CPU per query, memory.
//
// Synthetic documents are derived from the embedded seeds by recombining
// their paragraphs under invented district names (合成区0001 …); every
// title carries the mark 【合成数据】. They are written to a temporary
// directory for measurement only and are never shipped or shown as real.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil && !errors.Is(err, flag.ErrHelp) {
		fmt.Fprintln(os.Stderr, "zcbench:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stderr, "usage: zcbench synth|load|rss|serve|scale [flags]")
		return errors.New("missing subcommand")
	}
	switch args[0] {
	case "synth":
		return runSynth(ctx, args[1:], stdout, stderr)
	case "load":
		return runLoad(ctx, args[1:], stdout, stderr)
	case "rss":
		return runRSS(args[1:], stdout, stderr)
	case "serve":
		return runServeBench(ctx, args[1:], stdout, stderr)
	case "scale":
		return runScale(ctx, args[1:], stdout, stderr)
	}
	return fmt.Errorf("unknown subcommand %q", args[0])
}
