// Command gen writes the benchmark inputs under a directory:
//
//	go run ./bench/gen DIR
//
// DIR/big/http/requests.http        10,000 requests (about 2.2 MB)
// DIR/big/openapi/openapi.yaml      OpenAPI 3, 2,000 paths, x-amazon-apigateway-* (about 5 MB)
// DIR/big/sam/template.yaml         SAM, 300 functions, 560 Api events
// DIR/workspace/                    200 services: template, env files, 50 requests each
// DIR/lsp/                          one service, requests.http (1,000 requests), open/00..19.http
// DIR/small/                        a small realistic project
// DIR/serverless/                   100 services, one serverless.yml each (40 functions)
// DIR/monorepo/                     1,000 sample folders, 580 templates, 90 MB of vendored JSON
//
// Each set has a .gw403.yaml at its root, so `gw403-lsp check` run on a
// file takes that directory as the workspace. The output is deterministic.
package main

import (
	"fmt"
	"os"

	"github.com/gw403/gw403-lsp/bench/benchgen"
)

func main() {
	if len(os.Args) != 2 || os.Args[1] == "-h" || os.Args[1] == "--help" {
		fmt.Fprintln(os.Stderr, "usage: go run ./bench/gen DIR")
		os.Exit(2)
	}
	files := benchgen.All()
	for p, text := range benchgen.Monorepo(benchgen.MonorepoOptions{}) {
		files["monorepo/"+p] = text
	}
	if err := benchgen.Write(os.Args[1], files); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	total := 0
	for _, t := range files {
		total += len(t)
	}
	fmt.Printf("wrote %d files (%.1f MB) under %s\n", len(files), float64(total)/1e6, os.Args[1])
}
