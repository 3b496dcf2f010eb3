package httpfile

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

var update = flag.Bool("update", false, "rewrite the .golden files")

func parseFixture(t *testing.T, name string, opts Options) *File {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return ParseWith(source.NewFile(name, string(b)), opts)
}

// TestGolden parses every fixture and compares a dump of every token, each
// shown through src.Slice(span), with testdata/<name>.golden.
func TestGolden(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "*.http"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, path := range files {
		name := filepath.Base(path)
		for _, split := range []bool{false, true} {
			suffix := ".golden"
			if split {
				suffix = ".split.golden"
				if name != "httpyac.http" && name != "restclient.http" {
					continue
				}
			}
			t.Run(name+suffix, func(t *testing.T) {
				f := parseFixture(t, name, Options{SplitOnRequestLines: split})
				checkInvariants(t, f)
				got := dump(f)
				golden := filepath.Join("testdata", strings.TrimSuffix(name, ".http")+suffix)
				if *update {
					if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
						t.Fatal(err)
					}
					return
				}
				want, err := os.ReadFile(golden)
				if err != nil {
					t.Fatalf("%v (run go test -update)", err)
				}
				if got != string(want) {
					t.Errorf("dump(%s) differs from %s:\n%s", name, golden, diffLines(string(want), got))
				}
			})
		}
	}
}

func diffLines(want, got string) string {
	w, g := strings.Split(want, "\n"), strings.Split(got, "\n")
	var b strings.Builder
	for i := 0; i < max(len(w), len(g)); i++ {
		var wl, gl string
		if i < len(w) {
			wl = w[i]
		}
		if i < len(g) {
			gl = g[i]
		}
		if wl != gl {
			fmt.Fprintf(&b, "line %d:\n  want %s\n  got  %s\n", i+1, wl, gl)
		}
	}
	return b.String()
}

// dump renders the parse as text; every token is shown as the source text
// its span covers, so the golden files check the spans too.
func dump(f *File) string {
	src := f.Src
	var b strings.Builder
	q := func(s source.Span) string { return fmt.Sprintf("%q", src.Slice(s)) }
	fmt.Fprintf(&b, "binary=%v bom=%v jetbrainsScripts=%v separators=%d\n", f.Binary, f.BOM, f.JetBrainsScripts, len(f.Separators))
	for _, p := range f.Problems {
		fmt.Fprintf(&b, "problem %s %s: %s\n", p.Span, q(p.Span), p.Message)
	}
	for _, v := range f.Vars {
		fmt.Fprintf(&b, "var %s = %s%s\n", q(v.NameSpan), q(v.Value.Span), refs(src, v.Value))
	}
	for i, r := range f.Requests {
		fmt.Fprintf(&b, "\nrequest %d %s %s name=%q\n", i, r.Method, r.Span, r.Name)
		if r.Separator != nil {
			fmt.Fprintf(&b, "  separator %s title %s\n", q(r.Separator.Span), q(r.Separator.TitleSpan))
		}
		if r.Name != "" {
			fmt.Fprintf(&b, "  name %s\n", q(r.NameSpan))
		}
		for _, m := range r.Meta {
			fmt.Fprintf(&b, "  meta %s key %s value %s\n", q(m.Span), q(m.KeySpan), q(m.ValueSpan))
		}
		for _, c := range r.Comments {
			fmt.Fprintf(&b, "  comment %s text=%q\n", q(c.Span), c.Text)
		}
		for _, v := range r.Vars {
			fmt.Fprintf(&b, "  var %s\n", q(v.Span))
		}
		for _, s := range r.PreScripts {
			fmt.Fprintf(&b, "  prescript %s inline=%v syntax=%q path=%q unterminated=%v\n", q(s.Span), s.Inline, s.Syntax, s.Path, s.Unterminated)
		}
		fmt.Fprintf(&b, "  line %s method %s target %s", q(r.LineSpan), q(r.MethodSpan), q(r.TargetSpan))
		if r.Version != "" {
			fmt.Fprintf(&b, " version %s", q(r.VersionSpan))
		}
		b.WriteString("\n")
		for _, l := range r.QueryLines {
			fmt.Fprintf(&b, "  query %s\n", q(l.Span))
		}
		fmt.Fprintf(&b, "  target.raw %q%s\n", r.Target.Raw, refs(src, r.Target))
		for _, h := range r.Headers {
			fmt.Fprintf(&b, "  header %s name %s value %s%s\n", q(h.Span), q(h.NameSpan), q(h.ValueSpan), refs(src, h.Value))
			if a := h.AWS; a != nil {
				fmt.Fprintf(&b, "    aws id %s secret %s\n", q(a.AccessKeyID.Span), q(a.Secret.Span))
				for _, o := range a.Options {
					fmt.Fprintf(&b, "    aws option %s key=%q value %s spaceAfterColon=%v\n", q(o.Span), o.Key, q(o.Value.Span), o.SpaceAfterColon)
				}
				for _, x := range a.Extra {
					fmt.Fprintf(&b, "    aws extra %s\n", q(x.Span))
				}
			}
			if ba := h.Basic; ba != nil {
				fmt.Fprintf(&b, "    %s user %s password %s\n", ba.Scheme, q(ba.User.Span), q(ba.Password.Span))
			}
		}
		ins := src.Slice(source.Span{Start: r.HeaderInsert, End: min(len(src.Text), r.HeaderInsert+12)})
		fmt.Fprintf(&b, "  insert at %d before %q needsEOL=%v eol=%q\n", r.HeaderInsert, ins, r.HeaderInsertNeedsEOL, r.EOL)
		if body := r.Body; body != nil {
			kinds := [...]string{"inline", "file", "multipart"}
			fmt.Fprintf(&b, "  body %s %s%s\n", kinds[body.Kind], q(body.Span), refs(src, body.Text))
			if body.Kind == BodyFile {
				fmt.Fprintf(&b, "    file %s\n", q(body.File.Span))
			}
			for _, p := range body.Parts {
				fmt.Fprintf(&b, "    part %s\n", q(p.Span))
			}
		}
		for _, s := range r.PostScripts {
			fmt.Fprintf(&b, "  postscript %s inline=%v syntax=%q path=%q unterminated=%v\n", q(s.Span), s.Inline, s.Syntax, s.Path, s.Unterminated)
		}
		for _, l := range r.ResponseRefs {
			fmt.Fprintf(&b, "  responseRef %s\n", q(l.Span))
		}
		for _, l := range r.Redirects {
			fmt.Fprintf(&b, "  redirect %s\n", q(l.Span))
		}
		for _, l := range r.SuspectRequestLines {
			fmt.Fprintf(&b, "  suspect %s\n", q(l.Span))
		}
	}
	return b.String()
}

func refs(src *source.File, t Template) string {
	var b strings.Builder
	for _, r := range t.Refs {
		fmt.Fprintf(&b, " {%s %q %q", r.Kind, r.Name, src.Slice(r.Span))
		if a := r.Args(); len(a) > 0 {
			fmt.Fprintf(&b, " args=%q", a)
		}
		b.WriteString("}")
	}
	return b.String()
}

// checkInvariants checks what every parse must satisfy: spans inside the
// file and ordered, requests in order and disjoint, token texts equal to
// the text their spans cover, every token inside its request.
func checkInvariants(t testing.TB, f *File) {
	t.Helper()
	n := len(f.Src.Text)
	src := f.Src
	span := func(what string, s source.Span) {
		t.Helper()
		if s.Start < 0 || s.End > n || s.Start > s.End {
			t.Fatalf("%s span %v out of bounds (file has %d bytes)", what, s, n)
		}
	}
	within := func(what string, s, outer source.Span) {
		t.Helper()
		span(what, s)
		if s.Start < outer.Start || s.End > outer.End {
			t.Fatalf("%s span %v %q not inside request span %v", what, s, src.Slice(s), outer)
		}
	}
	same := func(what, text string, s source.Span) {
		t.Helper()
		span(what, s)
		if got := src.Slice(s); got != text {
			t.Fatalf("%s: src.Slice(%v) = %q, want %q", what, s, got, text)
		}
	}
	tmpl := func(what string, tp Template, outer source.Span) {
		t.Helper()
		within(what, tp.Span, outer)
		last := tp.Span.Start
		for _, r := range tp.Refs {
			within(what+" ref", r.Span, outer)
			if r.Span.Start < last {
				t.Fatalf("%s refs out of order at %v", what, r.Span)
			}
			last = r.Span.End
			if s := src.Slice(r.Span); !strings.HasPrefix(s, "{{") || !strings.HasSuffix(s, "}}") {
				t.Fatalf("%s ref span %v covers %q", what, r.Span, s)
			}
		}
	}
	whole := source.Span{Start: 0, End: n}
	for _, p := range f.Problems {
		span("problem", p.Span)
	}
	if f.Binary && len(f.Requests) > 0 {
		t.Fatalf("binary file has %d requests", len(f.Requests))
	}
	for _, v := range f.Vars {
		same("var name", v.Name, v.NameSpan)
		same("var value", v.Value.Raw, v.Value.Span)
		tmpl("var value", v.Value, whole)
	}
	prevEnd := 0
	for i, r := range f.Requests {
		rs := r.Span
		span("request", rs)
		if rs.Start < prevEnd {
			t.Fatalf("request %d span %v overlaps the previous one (ends at %d)", i, rs, prevEnd)
		}
		prevEnd = rs.End
		within("line", r.LineSpan, rs)
		within("method", r.MethodSpan, r.LineSpan)
		if r.MethodSpan.Len() > 0 && !strings.EqualFold(src.Slice(r.MethodSpan), r.Method) {
			t.Fatalf("method %q at %v", r.Method, r.MethodSpan)
		}
		within("target", r.TargetSpan, r.LineSpan)
		if len(r.QueryLines) == 0 {
			same("target", r.Target.Raw, r.TargetSpan)
		}
		for k := 0; k <= len(r.Target.Raw); k++ {
			off := r.TargetOffset(k)
			if k < len(r.Target.Raw) && src.Text[off] != r.Target.Raw[k] {
				t.Fatalf("TargetOffset(%d) = %d: %q, want %q", k, off, src.Text[off], r.Target.Raw[k])
			}
		}
		for _, rf := range r.Target.Refs {
			within("target ref", rf.Span, rs)
		}
		if r.Version != "" {
			same("version", r.Version, r.VersionSpan)
		}
		if r.Separator != nil {
			within("separator", r.Separator.Span, rs)
		}
		for _, m := range r.Meta {
			within("meta", m.Span, rs)
			same("meta key", m.Key, m.KeySpan)
			same("meta value", m.Value, m.ValueSpan)
		}
		for _, c := range r.Comments {
			within("comment", c.Span, rs)
		}
		for _, v := range r.Vars {
			within("request var", v.Span, rs)
		}
		for _, l := range r.QueryLines {
			within("query line", l.Span, rs)
			same("query line", l.Text, l.Span)
		}
		for _, h := range r.Headers {
			within("header", h.Span, rs)
			same("header name", h.Name, h.NameSpan)
			same("header value", h.Value.Raw, h.ValueSpan)
			tmpl("header value", h.Value, rs)
			if a := h.AWS; a != nil {
				for _, tk := range append([]Token{a.AccessKeyID, a.Secret}, a.Extra...) {
					within("aws token", tk.Span, h.ValueSpan)
					same("aws token", tk.Text.Raw, tk.Span)
				}
				for _, o := range a.Options {
					within("aws option", o.Span, h.ValueSpan)
					same("aws option value", o.Value.Text.Raw, o.Value.Span)
				}
			}
			if ba := h.Basic; ba != nil {
				same("basic user", ba.User.Text.Raw, ba.User.Span)
				same("basic password", ba.Password.Text.Raw, ba.Password.Span)
			}
		}
		if r.HeaderInsert < r.LineSpan.End || r.HeaderInsert > n {
			t.Fatalf("HeaderInsert %d outside [%d,%d]", r.HeaderInsert, r.LineSpan.End, n)
		}
		if r.HeaderInsertNeedsEOL != (r.HeaderInsert == n && !endsWithEOL(src.Text)) {
			t.Fatalf("HeaderInsertNeedsEOL = %v at %d of %d", r.HeaderInsertNeedsEOL, r.HeaderInsert, n)
		}
		if r.EOL != "\n" && r.EOL != "\r\n" && r.EOL != "\r" {
			t.Fatalf("EOL = %q", r.EOL)
		}
		if b := r.Body; b != nil {
			within("body", b.Span, rs)
			same("body text", b.Text.Raw, b.Span)
			tmpl("body", b.Text, rs)
			for _, p := range b.Parts {
				within("body part", p.Span, b.Span)
			}
		}
		for _, s := range append(append([]*Script{}, r.PreScripts...), r.PostScripts...) {
			within("script", s.Span, rs)
		}
		for _, l := range append(append(append([]*Line{}, r.ResponseRefs...), r.Redirects...), r.SuspectRequestLines...) {
			within("line", l.Span, rs)
			same("line", l.Text, l.Span)
		}
	}
}

func endsWithEOL(s string) bool {
	return strings.HasSuffix(s, "\n") || strings.HasSuffix(s, "\r")
}
