package explain

import (
	"bytes"
	"compress/gzip"
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/capture"
)

// FuzzExplainGzip runs explain on gzipped input, as `explain x.har.gz`
// does: the fuzzer's bytes are gzipped whole (mostly HAR files, seeded
// with the scenario HARs), or, when raw is set, given as they are so that
// broken gzip streams are tried too. Parse must return an exchange or an
// error, never panic, and keep every body within MaxBody.
func FuzzExplainGzip(f *testing.F) {
	paths, _ := filepath.Glob("testdata/seed/*/har.har")
	for i, p := range paths {
		if i%4 != 0 {
			continue
		}
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b, false)
		}
	}
	f.Add([]byte(`{"log":{"entries":[{"response":{"status":403,"content":{"text":"{\"message\":\"Forbidden\"}"}}}]}}`), false)
	f.Add([]byte(`{"log":{"entries":[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[`), false)
	f.Add([]byte("\x1f\x8b\x08\x00\x00\x00\x00\x00\x00\xff"), true)
	f.Fuzz(func(t *testing.T, in []byte, raw bool) {
		data := in
		if !raw {
			var b bytes.Buffer
			zw, _ := gzip.NewWriterLevel(&b, gzip.BestSpeed)
			zw.Write(in)
			zw.Close()
			data = b.Bytes()
		}
		c, err := capture.Parse(bytes.NewReader(data), capture.Options{Name: "x.har.gz"})
		if err != nil {
			if c != nil {
				t.Fatalf("capture and error %v both returned", err)
			}
			return
		}
		for _, x := range c.Exchanges {
			if len(x.Response.Body) > capture.MaxBody {
				t.Fatalf("body of %d bytes kept, more than MaxBody", len(x.Response.Body))
			}
		}
		ds, _ := Explain(context.Background(), c, Options{})
		for _, d := range ds {
			Markdown(d)
		}
	})
}
