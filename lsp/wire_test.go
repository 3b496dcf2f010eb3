package lsp

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"go.lsp.dev/jsonrpc2"
)

func frame(body string) string { return "Content-Length: " + itoa(len(body)) + "\r\n\r\n" + body }

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

// readAll reads frames until the stream ends, collecting bodies and
// recovered problems.
func readAll(t *testing.T, input string) (bodies []string, problems int, end error) {
	t.Helper()
	r := newFrameReader(strings.NewReader(input))
	for i := 0; i < 1000; i++ {
		body, _, err := r.next()
		var fe *errFrame
		switch {
		case errors.As(err, &fe):
			problems++
		case err != nil:
			return bodies, problems, err
		default:
			bodies = append(bodies, string(body))
		}
	}
	t.Fatalf("readAll: no end after 1000 frames")
	return
}

func TestFrameReader(t *testing.T) {
	ok := `{"jsonrpc":"2.0","method":"x"}`
	tests := []struct {
		name     string
		input    string
		bodies   []string
		problems int
		end      error
	}{
		{"one frame", frame(ok), []string{ok}, 0, io.EOF},
		{"two frames and a content type", frame(ok) + "Content-Type: application/vscode-jsonrpc; charset=utf-8\r\n" + frame("{}"), []string{ok, "{}"}, 0, io.EOF},
		{"LF only", "Content-Length: 2\n\n{}", []string{"{}"}, 0, io.EOF},
		{"lower case", "content-length: 2\r\n\r\n{}", []string{"{}"}, 0, io.EOF},
		{"blank lines before", "\r\n\r\n" + frame("{}"), []string{"{}"}, 0, io.EOF},
		{"multi-byte body", frame(`{"t":"日本語🎉"}`), []string{`{"t":"日本語🎉"}`}, 0, io.EOF},
		{"truncated body", "Content-Length: 10\r\n\r\n{}", nil, 0, io.ErrUnexpectedEOF},
		{"truncated header", "Content-Len", nil, 0, io.ErrUnexpectedEOF},
		{"empty", "", nil, 0, io.EOF},
		{"garbage line then frame", "hello\r\n\r\n" + frame("{}"), []string{"{}"}, 1, io.EOF},
		{"short length resyncs", "Content-Length: 3\r\n\r\n{\"a\":1}" + frame("{}"), []string{`{"a`, "{}"}, 0, io.EOF},
		{"length beyond the limit resyncs", "Content-Length: 999999999999\r\n\r\n{\"a\":1}" + frame("{}"), []string{"{}"}, 1, io.EOF},
		{"negative length", "Content-Length: -5\r\n\r\n" + frame("{}"), []string{"{}"}, 1, io.EOF},
		{"zero length", "Content-Length: 0\r\n\r\n" + frame("{}"), []string{"{}"}, 1, io.EOF},
		{"missing length", "X: y\r\n\r\n" + frame("{}"), []string{"{}"}, 1, io.EOF},
		{"overlong line", strings.Repeat("z", 3*maxHeaderLine) + frame("{}"), []string{"{}"}, 0, io.EOF},
		{"overlong line alone", strings.Repeat("z", 3*maxHeaderLine) + "\r\n\r\n" + frame("{}"), []string{"{}"}, 1, io.EOF},
		{"bad header with usable length", "Content-Length: 2\r\nbroken\r\n\r\n{}", []string{"{}"}, 0, io.EOF},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			bodies, problems, end := readAll(t, tt.input)
			if strings.Join(bodies, "|") != strings.Join(tt.bodies, "|") || problems != tt.problems || !errors.Is(end, tt.end) {
				t.Errorf("read = %q, %d problems, %v; want %q, %d, %v", bodies, problems, end, tt.bodies, tt.problems, tt.end)
			}
		})
	}
}

func TestDecodeMessage(t *testing.T) {
	tests := []struct {
		body   string
		kind   string // call, notification, response, error, drop
		code   jsonrpc2.Code
		wantID string
	}{
		{`{"jsonrpc":"2.0","id":1,"method":"m","params":{}}`, "call", 0, ""},
		{`{"jsonrpc":"2.0","id":"a","method":"m"}`, "call", 0, ""},
		{`{"jsonrpc":"2.0","id":-2147483648,"method":"m"}`, "call", 0, ""},
		{`{"jsonrpc":"2.0","method":"m"}`, "notification", 0, ""},
		{`{"jsonrpc":"2.0","id":null,"method":"m"}`, "notification", 0, ""},
		{`{"jsonrpc":"2.0","id":3,"result":null}`, "response", 0, ""},
		{`{"jsonrpc":"2.0","id":3,"error":{"code":1,"message":"x"}}`, "response", 0, ""},
		{`{"jsonrpc":"2.0","id":2147483648,"method":"m"}`, "error", jsonrpc2.InvalidRequest, "2147483648"},
		{`{"jsonrpc":"2.0","id":1e3,"method":"m"}`, "error", jsonrpc2.InvalidRequest, "1e3"},
		{`{"jsonrpc":"2.0","id":true,"method":"m"}`, "error", jsonrpc2.InvalidRequest, "null"},
		{`{"jsonrpc":"2.0","id":4,"method":""}`, "error", jsonrpc2.InvalidRequest, "4"},
		{`{"jsonrpc":"2.0","id":5,"method":["m"]}`, "error", jsonrpc2.InvalidRequest, "5"},
		{`{"jsonrpc":"9","id":6,"method":"m"}`, "error", jsonrpc2.InvalidRequest, "6"},
		{`{}`, "error", jsonrpc2.InvalidRequest, "null"},
		{`[]`, "error", jsonrpc2.InvalidRequest, "null"},
		{`"x"`, "error", jsonrpc2.InvalidRequest, "null"},
		{`{"a":`, "error", jsonrpc2.ParseError, "null"},
		{"{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":{\"t\":\"\xff\"}}", "notification", 0, ""},
		{`{"jsonrpc":"2.0","id":99999999999,"result":{}}`, "drop", 0, ""},
	}
	for _, tt := range tests {
		msg, rerr := decodeMessage([]byte(tt.body))
		var kind string
		switch m := msg.(type) {
		case *jsonrpc2.Call:
			kind = "call"
		case *jsonrpc2.Notification:
			kind = "notification"
		case *jsonrpc2.Response:
			kind = "response"
		case nil:
			kind = "drop"
			if rerr != nil {
				kind = "error"
			}
		default:
			t.Fatalf("unexpected %T", m)
		}
		if kind != tt.kind {
			t.Errorf("decodeMessage(%s) = %s (%v), want %s", tt.body, kind, rerr, tt.kind)
			continue
		}
		if rerr != nil && (rerr.code != tt.code || string(rerr.id) != tt.wantID) {
			t.Errorf("decodeMessage(%s) error = %d id %s, want %d id %s", tt.body, rerr.code, rerr.id, tt.code, tt.wantID)
		}
	}
}

func TestStreamAnswersMalformedMessages(t *testing.T) {
	in := frame(`{"a":`) + frame(`{"jsonrpc":"2.0","id":9,"method":"m"}`)
	var out bytes.Buffer
	s := newStream(rwc{strings.NewReader(in), &out}, func(string, ...any) {})
	msg, _, err := s.Read(t.Context())
	if err != nil {
		t.Fatal(err)
	}
	if c, ok := msg.(*jsonrpc2.Call); !ok || c.Method() != "m" {
		t.Errorf("Read = %#v, want the call after the broken message", msg)
	}
	want := frame(`{"jsonrpc":"2.0","id":null,"error":{"code":-32700,"message":"invalid JSON"}}`)
	if out.String() != want {
		t.Errorf("answer = %q, want %q", out.String(), want)
	}
	if _, _, err := s.Read(t.Context()); !errors.Is(err, io.EOF) {
		t.Errorf("Read at the end = %v, want EOF", err)
	}
}

type rwc struct {
	io.Reader
	io.Writer
}

func (rwc) Close() error { return nil }

// FuzzReadMessage feeds arbitrary bytes to the message reader: it must end
// (EOF) without panicking, make progress on every frame, and never hand out
// a body larger than the input.
func FuzzReadMessage(f *testing.F) {
	f.Add([]byte(frame(`{"jsonrpc":"2.0","id":1,"method":"initialize","params":{}}`)))
	f.Add([]byte("Content-Length: 3\r\n\r\n{}}Content-Length: 2\r\n\r\n{}"))
	f.Add([]byte("Content-Length: 99999999999999999999\r\n\r\n"))
	f.Add([]byte(frame("{\"jsonrpc\":\"2.0\",\"method\":\"m\",\"params\":\"\xff\xfe\"}")))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := newFrameReader(bytes.NewReader(data))
		var consumed int64
		for i := 0; ; i++ {
			if i > len(data)+1 {
				t.Fatalf("no end after %d frames of %d bytes", i, len(data))
			}
			body, n, err := r.next()
			consumed += n
			var fe *errFrame
			if err != nil && !errors.As(err, &fe) {
				break
			}
			if int64(len(body)) > int64(len(data)) {
				t.Fatalf("body of %d bytes from %d bytes of input", len(body), len(data))
			}
			if body != nil {
				_, _ = decodeMessage(body)
			}
		}
	})
}
