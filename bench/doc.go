// Package bench holds the end-to-end benchmarks of gw403-lsp over generated
// inputs (bench/benchgen), the generator command (bench/gen), the bare
// yaml.v3 decode baseline (bench/yamldecode) and compare.sh, which times
// gw403-lsp against the tools people use today on the same files.
//
//	go test -run '^$' -bench . -benchtime 5x ./bench/
//
// Every benchmark reports MB/s when it has one input file, ns/op,
// allocations, and peak-RSS-MB: the process's peak resident set size
// while the benchmark ran (reset before it through /proc/self/clear_refs;
// 0 where that is not available).
package bench
