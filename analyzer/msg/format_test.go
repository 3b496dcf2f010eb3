package msg

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
)

// TestFormatsMatchArgs reads every call of msg.T in the module and checks
// that each of its two formats reads its arguments as fmt would without
// complaint: go vet checks only the Japanese one (the format before args).
// A format without indexed verbs has exactly one verb per argument; one
// with them names no argument that is not there.
func TestFormatsMatchArgs(t *testing.T) {
	fset := token.NewFileSet()
	calls := 0
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == "testdata" || strings.HasPrefix(d.Name(), ".") && path != "../..") {
			return filepath.SkipDir
		}
		if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
			return nil
		}
		f, err := parser.ParseFile(fset, path, nil, 0)
		if err != nil {
			return err
		}
		ast.Inspect(f, func(n ast.Node) bool {
			call, ok := n.(*ast.CallExpr)
			if !ok || call.Ellipsis.IsValid() || len(call.Args) < 2 || !isMsgT(call.Fun) {
				return true
			}
			en, okEN := literal(call.Args[0])
			ja, okJA := literal(call.Args[1])
			if !okEN || !okJA {
				t.Errorf("%s: msg.T with a format that is not a literal", fset.Position(call.Pos()))
				return true
			}
			calls++
			nargs := len(call.Args) - 2
			for _, f := range []string{en, ja} {
				if problem := checkFormat(f, nargs); problem != "" {
					t.Errorf("%s: format %q with %d args: %s", fset.Position(call.Pos()), f, nargs, problem)
				}
			}
			return true
		})
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if calls < 100 {
		t.Errorf("found %d calls of msg.T, want the module's (over 100)", calls)
	}
}

func isMsgT(fun ast.Expr) bool {
	sel, ok := fun.(*ast.SelectorExpr)
	if !ok || sel.Sel.Name != "T" {
		return false
	}
	id, ok := sel.X.(*ast.Ident)
	return ok && id.Name == "msg"
}

// literal is the value of a string literal, or of literals joined by +.
func literal(e ast.Expr) (string, bool) {
	switch e := e.(type) {
	case *ast.BasicLit:
		if e.Kind != token.STRING {
			return "", false
		}
		s, err := strconv.Unquote(e.Value)
		return s, err == nil
	case *ast.BinaryExpr:
		if e.Op != token.ADD {
			return "", false
		}
		a, okA := literal(e.X)
		b, okB := literal(e.Y)
		return a + b, okA && okB
	case *ast.ParenExpr:
		return literal(e.X)
	}
	return "", false
}

// checkFormat says what fmt would complain of when format is given nargs
// arguments ("" when nothing).
func checkFormat(format string, nargs int) string {
	verbs, indexed, next := 0, false, 0
	for i := 0; i < len(format); i++ {
		if format[i] != '%' {
			continue
		}
		i++
		for i < len(format) && strings.IndexByte("+-# 0", format[i]) >= 0 {
			i++
		}
		for i < len(format) && (format[i] >= '0' && format[i] <= '9' || format[i] == '.') {
			i++ // width and precision
		}
		if i < len(format) && format[i] == '[' {
			end := strings.IndexByte(format[i:], ']')
			if end < 0 {
				return "unclosed argument index"
			}
			n, err := strconv.Atoi(format[i+1 : i+end])
			if err != nil || n < 1 {
				return "bad argument index"
			}
			indexed, next = true, n-1
			i += end + 1
		}
		if i >= len(format) {
			return "a % at the end"
		}
		if format[i] == '%' {
			continue
		}
		if next >= nargs {
			return "a verb reads a missing argument"
		}
		verbs++
		next++
	}
	if !indexed && verbs != nargs {
		return strconv.Itoa(verbs) + " verbs"
	}
	return ""
}

func TestCheckFormat(t *testing.T) {
	tests := []struct {
		format string
		nargs  int
		bad    bool
	}{
		{"plain", 0, false},
		{"100%%", 0, false},
		{"%s and %d", 2, false},
		{"%s", 2, true},
		{"%s %s", 1, true},
		{"%[2]s of %[1]s", 2, false},
		{"%[1]s only", 2, false},
		{"%[3]s", 2, true},
		{"%-8s|%5.2f|%q", 3, false},
		{"%", 0, true},
	}
	for _, tt := range tests {
		if got := checkFormat(tt.format, tt.nargs); (got != "") != tt.bad {
			t.Errorf("checkFormat(%q, %d) = %q, want bad = %v", tt.format, tt.nargs, got, tt.bad)
		}
	}
}
