package capture

import (
	"bufio"
	"compress/gzip"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// writeBigHAR writes a HAR of at least size bytes: 200 entries with a
// 403 every 50th, the rest 200s with ~bodyLen-byte bodies.
func writeBigHAR(t testing.TB, w io.Writer, size int) (entries, forbidden int) {
	t.Helper()
	bw := bufio.NewWriter(w)
	body := strings.Repeat("x", 240<<10) // 240 KiB string token per entry
	fmt.Fprint(bw, `{"log":{"version":"1.2","creator":{"name":"gen","version":"1"},"entries":[`)
	written := 0
	for i := 0; written < size; i++ {
		if i > 0 {
			bw.WriteString(",")
		}
		status, text := 200, body
		if i%50 == 7 {
			status, text = 403, `{\"message\":\"Forbidden\"}`
			forbidden++
		}
		n, _ := fmt.Fprintf(bw, `{"startedDateTime":"2025-10-14T05:30:01.120Z","time":12.5,`+
			`"request":{"method":"GET","url":"https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod/items/%d","httpVersion":"http/2.0",`+
			`"headers":[{"name":"accept","value":"application/json"}],"queryString":[],"cookies":[],"headersSize":-1,"bodySize":0},`+
			`"response":{"status":%d,"statusText":"","httpVersion":"http/2.0","headers":[{"name":"x-amzn-errortype","value":"ForbiddenException"}],`+
			`"cookies":[],"content":{"size":%d,"mimeType":"application/json","text":"%s"},"redirectURL":"","headersSize":-1,"bodySize":-1},`+
			`"cache":{},"timings":{"send":0,"wait":10,"receive":1}}`, i, status, len(text), text)
		written += n
		entries++
	}
	bw.WriteString(`]}}`)
	if err := bw.Flush(); err != nil {
		t.Fatal(err)
	}
	return entries, forbidden
}

// peakHeap samples HeapInuse until stop is closed and returns the largest
// value seen.
func peakHeap(stop <-chan struct{}) func() uint64 {
	var peak atomic.Uint64
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		var ms runtime.MemStats
		for {
			runtime.ReadMemStats(&ms)
			if ms.HeapInuse > peak.Load() {
				peak.Store(ms.HeapInuse)
			}
			select {
			case <-stop:
				return
			case <-time.After(2 * time.Millisecond):
			}
		}
	}()
	return func() uint64 { wg.Wait(); return peak.Load() }
}

// TestParseHARStreams parses a generated 50 MB HAR and checks, as a sanity
// check rather than a measurement, that the heap never held the file.
func TestParseHARStreams(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a 50 MB file")
	}
	const size = 50 << 20
	path := filepath.Join(t.TempDir(), "big.har")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	entries, forbidden := writeBigHAR(t, f, size)
	f.Close()

	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	runtime.GC()
	var before runtime.MemStats
	runtime.ReadMemStats(&before)
	stop := make(chan struct{})
	peak := peakHeap(stop)
	c, err := Parse(in, Options{})
	close(stop)
	if err != nil {
		t.Fatalf("Parse(50 MB HAR) error: %v", err)
	}
	if c.Responses != entries || len(c.Exchanges) != forbidden {
		t.Errorf("responses, exchanges = %d, %d; want %d, %d", c.Responses, len(c.Exchanges), entries, forbidden)
	}
	if got := c.Exchanges[0].Request.URL; !strings.HasSuffix(got, "/prod/items/7") {
		t.Errorf("first 403 URL = %q", got)
	}
	delta := int64(peak()) - int64(before.HeapInuse)
	t.Logf("peak heap growth %d KiB for a %d MiB file", delta>>10, size>>20)
	if delta > size/3 {
		t.Errorf("heap grew by %d MiB while parsing a %d MiB HAR: the file was not streamed", delta>>20, size>>20)
	}
}

func TestParseGzippedBigHAR(t *testing.T) {
	if testing.Short() {
		t.Skip("writes a large file")
	}
	path := filepath.Join(t.TempDir(), "big.har.gz")
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	zw := gzip.NewWriter(f)
	_, forbidden := writeBigHAR(t, zw, 8<<20)
	zw.Close()
	f.Close()
	in, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer in.Close()
	c, err := Parse(in, Options{Name: path})
	if err != nil {
		t.Fatalf("Parse(gzipped HAR) error: %v", err)
	}
	if len(c.Exchanges) != forbidden {
		t.Errorf("got %d exchanges, want %d", len(c.Exchanges), forbidden)
	}
}

func BenchmarkParseHAR(b *testing.B) {
	path := filepath.Join(b.TempDir(), "big.har")
	f, err := os.Create(path)
	if err != nil {
		b.Fatal(err)
	}
	writeBigHAR(b, f, 16<<20)
	f.Close()
	st, _ := os.Stat(path)
	b.SetBytes(st.Size())
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		in, _ := os.Open(path)
		if _, err := Parse(in, Options{}); err != nil {
			b.Fatal(err)
		}
		in.Close()
	}
}
