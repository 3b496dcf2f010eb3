package env

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// checkEnvFile checks that every span of a parse lies inside the file and
// that unescaped JSON strings cover exactly their quoted text.
func checkEnvFile(t *testing.T, src *source.File, f *EnvFile, problems []Problem) {
	t.Helper()
	n := len(src.Text)
	in := func(what string, s source.Span) {
		t.Helper()
		if s.Start < 0 || s.End > n || s.Start > s.End {
			t.Fatalf("%s span %v out of bounds (file has %d bytes)", what, s, n)
		}
	}
	for _, p := range problems {
		in("problem", p.Span)
	}
	val := func(v *Value) {
		t.Helper()
		if v == nil {
			return
		}
		in("value", v.Origin.Span)
		in("name", v.Origin.NameSpan)
		in("template", v.Template.Span)
		for _, r := range v.Template.Refs {
			in("ref", r.Span)
		}
		if f.Kind != SourceDotEnv && v.Kind == ValueString && len(v.Template.Refs) == 0 && !strings.ContainsAny(src.Slice(v.Origin.Span), `\`) {
			if got := src.Slice(v.Origin.Span); got != `"`+v.Text+`"` {
				t.Fatalf("value %q covers %q", v.Text, got)
			}
		}
	}
	for _, e := range f.Envs {
		in("env name", e.NameSpan)
		for _, v := range e.Vars {
			val(v)
		}
		if e.SSL != nil {
			in("ssl", e.SSL.Origin.Span)
			val(e.SSL.ClientCertificate)
			val(e.SSL.ClientCertificateKey)
		}
		for _, a := range e.Auth {
			in("auth", a.Origin.Span)
			for _, v := range a.Fields {
				val(v)
			}
		}
	}
	for _, c := range f.Certs {
		in("cert", c.Origin.Span)
		for _, v := range []*Value{c.Cert, c.Key, c.Pfx, c.Phase} {
			val(v)
		}
	}
	for _, v := range f.Vars {
		val(v)
	}
}

func addSeeds(f *testing.F, pattern string) {
	files, _ := filepath.Glob(pattern)
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
}

func FuzzEnvJSON(f *testing.F) {
	addSeeds(f, "testdata/ws/*.json")
	addSeeds(f, "testdata/ws/api/*.json")
	addSeeds(f, "testdata/broken/*.json")
	f.Fuzz(func(t *testing.T, text string) {
		src := source.NewFile("http-client.env.json", text)
		for _, private := range []bool{false, true} {
			file, problems := ParseEnvJSON(src, private)
			checkEnvFile(t, src, file, problems)
		}
		file, problems := ParseHttpyacConfig(src)
		checkEnvFile(t, src, file, problems)
	})
}

func FuzzVSCodeSettings(f *testing.F) {
	addSeeds(f, "testdata/ws/.vscode/settings.json")
	f.Fuzz(func(t *testing.T, text string) {
		src := source.NewFile(".vscode/settings.json", text)
		file, problems := ParseVSCodeSettings(src)
		checkEnvFile(t, src, file, problems)
	})
}

func FuzzDotEnv(f *testing.F) {
	addSeeds(f, "testdata/ws/api/*.env")
	addSeeds(f, "testdata/ws/api/.env")
	f.Fuzz(func(t *testing.T, text string) {
		src := source.NewFile(".env", text)
		file, problems := ParseDotEnv(src)
		checkEnvFile(t, src, file, problems)
	})
}
