package capture

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

// lexAll returns the tokens of in read by harLexer, and whether it failed.
func lexAll(in string) ([]json.Token, bool) {
	x := newHARLexer(strings.NewReader(in), 1<<20)
	var out []json.Token
	for {
		t, err := x.Token()
		if err == io.EOF {
			return out, false
		}
		if err != nil {
			return out, true
		}
		out = append(out, t)
	}
}

// decAll returns the tokens of in read by json.Decoder, and whether it
// failed.
func decAll(in string) ([]json.Token, bool) {
	d := json.NewDecoder(strings.NewReader(in))
	d.UseNumber()
	var out []json.Token
	for {
		t, err := d.Token()
		if err == io.EOF {
			return out, false
		}
		if err != nil {
			return out, true
		}
		out = append(out, t)
	}
}

var lexerCases = []string{
	`{"log":{"entries":[{"a":1,"b":[true,false,null,-1.5e3,"x\"y\\z\/\b\f\n\r\t\u00e9\ud83d\ude00"]}]}}`,
	`{"k":"東京 😀","e":{},"a":[],"n":[[[]]]}`,
	` { "a" : 1 , "b" : "c" } `,
	`{"a":"\ud83d"}`,
	`["\ud800\u0000", "\ud800\ud800\udc00", "\udc00\ud800"]`,
	`{"a":1,}`,
	`{"a" 1}`,
	`{"a":1 "b":2}`,
	`{"a":"unterminated`,
	`{"a":tru}`,
	`{"a":01}`,
	`{"a":"ctl` + "\x01" + `"}`,
	`{"a":"\x"}`,
	`]`,
	`{"a":1}}`,
	`{1:2}`,
	`{"a":[1,,2]}`,
	`{"a":x}`,
	`{"a":é}`,
}

// TestHARLexerMatchesDecoder: for valid JSON the tokens are those of
// json.Decoder; invalid JSON fails in both.
func TestHARLexerMatchesDecoder(t *testing.T) {
	for _, in := range lexerCases {
		got, gotErr := lexAll(in)
		want, wantErr := decAll(in)
		if gotErr != wantErr {
			t.Errorf("%s: lexer failed %v, decoder failed %v", in, gotErr, wantErr)
			continue
		}
		if !wantErr && !reflect.DeepEqual(got, want) {
			t.Errorf("%s:\n got %#v\nwant %#v", in, got, want)
		}
	}
}

// TestHARLexerBounds: a long string keeps only its prefix, nesting and
// input size stop at their limits with a limit error.
func TestHARLexerBounds(t *testing.T) {
	x := newHARLexer(strings.NewReader(`[1,2`), 1<<20)
	var err error
	for err == nil {
		_, err = x.Token()
	}
	if err != io.ErrUnexpectedEOF { // json.Decoder.Token says io.EOF
		t.Errorf("[1,2: err %v, want io.ErrUnexpectedEOF", err)
	}

	long := `{"a":"` + strings.Repeat("x", harStringMax*3) + `","b":2}`
	toks, failed := lexAll(long)
	if failed || len(toks) != 6 || len(toks[2].(string)) != harStringMax || toks[4] != json.Number("2") {
		t.Errorf("long string: %d tokens, failed %v", len(toks), failed)
	}

	deep := `{"a":` + strings.Repeat("[", MaxHARDepth*2) + strings.Repeat("]", MaxHARDepth*2) + `}`
	x = newHARLexer(strings.NewReader(deep), 1<<20)
	for err = nil; err == nil; {
		_, err = x.Token()
	}
	if !isHARLimit(err) || !errors.Is(err, ErrTooLarge) || len(x.stack) > MaxHARDepth {
		t.Errorf("deep nesting: err %v, stack %d", err, len(x.stack))
	}

	x = newHARLexer(strings.NewReader(`{"a":"`+strings.Repeat("y", 5000)+`"}`), 1000)
	for err = nil; err == nil; {
		_, err = x.Token()
	}
	if !isHARLimit(err) {
		t.Errorf("input limit: err %v", err)
	}
	// A leading BOM is skipped.
	if toks, failed := lexAll("\ufeff{\"a\":1}"); failed || len(toks) != 4 {
		t.Errorf("BOM: %v, failed %v", toks, failed)
	}
	// Exactly at the limit is fine.
	in := `{"a":1}`
	x = newHARLexer(strings.NewReader(in), int64(len(in)))
	for err = nil; err == nil; {
		_, err = x.Token()
	}
	if err != io.EOF {
		t.Errorf("input at the limit: err %v, want EOF", err)
	}
}

// harEntries writes a HAR of n entries, status(i) each.
func harEntries(n int, status func(i int) int, body string) []byte {
	var b bytes.Buffer
	b.WriteString(`{"log":{"version":"1.2","entries":[`)
	for i := 0; i < n; i++ {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`{"request":{"method":"GET","url":"https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod/x"},"response":{"status":`)
		b.WriteString(strconv.Itoa(status(i)))
		b.WriteString(`,"content":{"text":"` + body + `"}}}`)
	}
	b.WriteString(`]}}`)
	return b.Bytes()
}

// TestHARLimitsKeepWhatWasRead: past MaxHAREntries the entries read are
// returned with Stopped naming the limit; with nothing kept the limit is
// the error. A kept body holds MaxBody bytes, not its whole text.
func TestHARLimitsKeepWhatWasRead(t *testing.T) {
	in := harEntries(MaxHAREntries+10, func(i int) int {
		if i == 3 {
			return 403
		}
		return 200
	}, "")
	c, err := Parse(bytes.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Stopped == nil || !errors.Is(c.Stopped, ErrTooLarge) || !strings.Contains(c.Stopped.Error(), "entries") {
		t.Errorf("Stopped = %v, want the entries limit", c.Stopped)
	}
	if len(c.Exchanges) != 1 || c.Responses != MaxHAREntries {
		t.Errorf("%d exchanges, %d responses; want 1, %d", len(c.Exchanges), c.Responses, MaxHAREntries)
	}

	in = harEntries(MaxHAREntries+10, func(int) int { return 200 }, "")
	if _, err := Parse(bytes.NewReader(in), Options{}); !errors.Is(err, ErrTooLarge) {
		t.Errorf("no 403 before the limit: err %v, want ErrTooLarge", err)
	}

	in = harEntries(2, func(int) int { return 403 }, strings.Repeat("z", 3*MaxBody))
	c, err = Parse(bytes.NewReader(in), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range c.Exchanges {
		if r := x.Response; len(r.Body) != MaxBody || !r.BodyTruncated {
			t.Errorf("body %d bytes (truncated %v), want %d, truncated", len(r.Body), r.BodyTruncated, MaxBody)
		}
	}
}

// BenchmarkParseHARGzip parses a gzipped HAR of 2,000 entries with
// 16 KiB bodies (32 MB of JSON), one 403 in 50 kept.
func BenchmarkParseHARGzip(b *testing.B) {
	body := strings.Repeat("x", 16<<10)
	raw := harEntries(2000, func(i int) int {
		if i%50 == 7 {
			return 403
		}
		return 200
	}, body)
	var gz bytes.Buffer
	zw := gzip.NewWriter(&gz)
	zw.Write(raw)
	zw.Close()
	b.SetBytes(int64(len(raw)))
	b.ReportAllocs()
	for b.Loop() {
		c, err := Parse(bytes.NewReader(gz.Bytes()), Options{})
		if err != nil || len(c.Exchanges) != 40 {
			b.Fatalf("%v, %d exchanges", err, len(c.Exchanges))
		}
	}
}
