package capture

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// parseHistory reads JetBrains' `.idea/httpRequests/http-requests-log.http`:
// entries separated by `###`, each a request (line, headers, body) followed
// by `<> 2024-05-01T101500.403.json`, the file holding the response body.
// The status is in that file name; the client keeps no response headers.
// Bodies of kept entries are read through opts.OpenRef.
func parseHistory(f *source.File, ls []line, opts *Options) *Capture {
	c := &Capture{Format: FormatJetBrainsHistory, Text: f}
	var (
		req     *Request
		inHead  bool
		entryNo = -1
	)
	for _, l := range ls {
		t := strings.TrimSpace(l.text)
		switch {
		case strings.HasPrefix(t, "###"):
			req, inHead = nil, false
			continue
		case req == nil && (t == "" || strings.HasPrefix(t, "#") || strings.HasPrefix(t, "//")):
			continue
		}
		if m := historyRef.FindStringSubmatch(t); m != nil {
			st := statusFromName(m[1])
			if st == 0 {
				continue
			}
			c.Responses++
			if req != nil {
				inHead = false
			}
			if !opts.keep(st) {
				if req != nil && len(c.Answered) < MaxExchanges {
					c.Answered = append(c.Answered, Answered{Method: req.Method, URL: req.URL, Status: st, Entry: -1, Line: l.no})
				}
				continue
			}
			entryNo++
			r := &Response{Status: st, BodyFile: m[1], Span: l.span, Line: l.no}
			if opts.OpenRef != nil {
				r.Body, r.BodyTruncated = readRef(opts.OpenRef, m[1])
			}
			c.appendExchange(&Exchange{Request: req, Response: r, Entry: entryNo})
			continue
		}
		if req == nil {
			if m, target, _, ok := parseRequestLine(t); ok {
				req = &Request{Method: m, URL: target, Span: spanOf(l.span.Start+strings.Index(l.text, t), l.span.End), Line: l.no}
				inHead = true
			}
			continue
		}
		if inHead {
			if t == "" {
				inHead = false
				req.URL = absURL(req.URL, req.Headers.Get("Host"), "https")
			} else if name, value, ok := parseHeaderLine(t); ok {
				addHeader(&req.Headers, name, value, spanOf(l.span.Start+strings.Index(l.text, t), l.span.End))
			}
		}
	}
	return c
}

// readRef reads at most MaxBody bytes of a referenced body file. Only the
// base name is passed on, so a history file cannot point elsewhere.
func readRef(open func(string) (io.ReadCloser, error), name string) (string, bool) {
	base := path.Base(strings.ReplaceAll(name, `\`, "/"))
	rc, err := open(base)
	if err != nil {
		return "", false
	}
	defer rc.Close()
	b, _ := io.ReadAll(io.LimitReader(rc, MaxBody+1))
	if len(b) > MaxBody {
		return string(b[:MaxBody]), true
	}
	return string(b), false
}

// parseBody reads a response body alone: a JSON object, an XML error
// document or an HTML page. Its status comes from the file name when that
// is a JetBrains response file name ("….403.json"), else it is 0.
func parseBody(f *source.File, opts *Options) (*Capture, error) {
	text := strings.TrimPrefix(f.Text, "\ufeff")
	trimmed := strings.TrimSpace(text)
	start := len(f.Text) - len(text) + strings.Index(text, trimmed)
	if trimmed[0] == '{' || trimmed[0] == '[' {
		dec := json.NewDecoder(strings.NewReader(trimmed))
		var v any
		if err := dec.Decode(&v); err != nil {
			if errors.Is(err, io.ErrUnexpectedEOF) {
				return nil, fmt.Errorf("%w: the JSON body ends early", ErrTruncated)
			}
			return nil, fmt.Errorf("%w: not a HAR file and not a JSON error body: %v", ErrUnrecognized, err)
		}
		if _, ok := v.(map[string]any); !ok {
			return nil, fmt.Errorf("%w: a JSON array is neither a HAR file nor an error body", ErrUnrecognized)
		}
	}
	sp := spanOf(start, start+len(trimmed))
	body := trimmed
	truncated := false
	if len(body) > MaxBody {
		body, truncated = body[:MaxBody], true
	}
	r := &Response{Status: statusFromName(opts.Name), Body: body, BodyTruncated: truncated, Span: sp, BodySpan: sp, Line: f.LineOf(start) + 1}
	if r.Status != 0 {
		r.BodyFile = path.Base(opts.Name)
	}
	return &Capture{Format: FormatBody, Text: f, Responses: 1, Exchanges: []*Exchange{{Response: r, Entry: -1}}}, nil
}
