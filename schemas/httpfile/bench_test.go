package httpfile

import (
	"testing"

	"github.com/gw403/gw403-lsp/schemas/httpfile/httpgen"
	"github.com/gw403/gw403-lsp/schemas/source"
)

func BenchmarkParseHTTP(b *testing.B) {
	text := httpgen.File(10000, httpgen.Seed)
	b.SetBytes(int64(len(text)))
	b.ReportAllocs()
	for b.Loop() {
		f := Parse(source.NewFile("bench.http", text))
		if len(f.Requests) != 10000 {
			b.Fatalf("Parse: %d requests, want 10000", len(f.Requests))
		}
	}
}
