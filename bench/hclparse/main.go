// Command hclparse is the Terraform baseline of bench/compare.sh: it reads
// every .tf and .tfvars file under the directories (or the files) named on
// the command line and parses it with hclsyntax, the least any reader of
// Terraform configurations must do, and prints the block count.
//
//	go build -o hclparse ./bench/hclparse && ./hclparse infra/
package main

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func main() {
	if len(os.Args) < 2 {
		fmt.Fprintln(os.Stderr, "usage: hclparse DIR|FILE…")
		os.Exit(2)
	}
	files, blocks := 0, 0
	for _, root := range os.Args[1:] {
		err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() || !strings.HasSuffix(p, ".tf") && !strings.HasSuffix(p, ".tfvars") {
				return nil
			}
			data, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			f, diags := hclsyntax.ParseConfig(data, p, hcl.InitialPos)
			if diags.HasErrors() {
				return fmt.Errorf("%s: %s", p, diags.Error())
			}
			files++
			blocks += len(f.Body.(*hclsyntax.Body).Blocks)
			return nil
		})
		if err != nil {
			fmt.Fprintln(os.Stderr, "hclparse:", err)
			os.Exit(1)
		}
	}
	fmt.Printf("%d files, %d blocks\n", files, blocks)
}
