// Command gw403-lsp finds the causes of Amazon API Gateway 403 answers in
// .http/.rest request files and the SAM / CloudFormation / OpenAPI files that
// define the APIs they call.
//
// Usage:
//
//	gw403-lsp [serve]            language server on stdio
//	gw403-lsp check [paths…]     lint files and print findings
//	gw403-lsp explain [file|-]   explain a 403 response (curl -v, headers, HAR)
//	gw403-lsp inspect [paths…]   print what was understood
//	gw403-lsp rules [CODE]       list the rules or print one rule's documentation
//	gw403-lsp version
package main

import (
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// command is one subcommand. It returns the process exit code.
type command struct {
	summary string
	run     func(args []string, stdin io.Reader, stdout, stderr io.Writer) int
}

// commands is filled by each subcommand's file in init.
var commands = map[string]command{}

func register(name, summary string, run func([]string, io.Reader, io.Writer, io.Writer) int) {
	commands[name] = command{summary: summary, run: run}
}

// version is set by the linker (-ldflags "-X main.version=…"); when it is
// not, init fills it from the build information (see version.go).
var version = ""

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	name := "serve"
	if len(args) > 0 && !isServeFlag(args[0]) {
		name, args = args[0], args[1:]
	}
	switch name {
	case "version", "--version", "-version":
		fmt.Fprintf(stdout, "gw403-lsp %s\n", version)
		return 0
	case "help", "--help", "-help", "-h":
		usage(stdout)
		return 0
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "gw403-lsp: unknown command %q\n\n", name)
		usage(stderr)
		return 2
	}
	return cmd.run(args, stdin, stdout, stderr)
}

// isServeFlag reports whether arg is a flag editors pass to a language
// server binary (vscode-languageclient appends --stdio): with no command,
// such flags go to serve.
func isServeFlag(arg string) bool {
	switch arg {
	case "--stdio", "-stdio", "--log", "-log":
		return true
	}
	return strings.HasPrefix(arg, "--log=") || strings.HasPrefix(arg, "-log=")
}

func usage(w io.Writer) {
	fmt.Fprintln(w, "usage: gw403-lsp <command> [arguments]")
	fmt.Fprintln(w, "\nWith no command, gw403-lsp runs the language server on stdio.")
	fmt.Fprintln(w, "\nCommands:")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "  %-10s %s\n", "version", "print the version")
	fmt.Fprintln(w, "\nRun 'gw403-lsp <command> -h' for a command's flags.")
}
