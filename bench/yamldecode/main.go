// Command yamldecode is the baseline of bench/compare.sh: it reads each
// file named on the command line and decodes it into a gopkg.in/yaml.v3
// yaml.Node, the least any YAML-reading linter must do, and prints the
// node count.
//
//	go build -o yamldecode ./bench/yamldecode && ./yamldecode openapi.yaml
package main

import (
	"fmt"
	"os"

	"gopkg.in/yaml.v3"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: yamldecode FILE…")
		os.Exit(2)
	}
	for _, p := range os.Args[1:] {
		data, err := os.ReadFile(p)
		if err != nil {
			fmt.Fprintln(os.Stderr, "yamldecode:", err)
			os.Exit(1)
		}
		var n yaml.Node
		if err := yaml.Unmarshal(data, &n); err != nil {
			fmt.Fprintf(os.Stderr, "yamldecode: %s: %v\n", p, err)
			os.Exit(1)
		}
		fmt.Printf("%s: %d nodes\n", p, count(&n))
	}
}

func count(n *yaml.Node) int {
	c := 1
	for _, k := range n.Content {
		c += count(k)
	}
	return c
}
