package capture

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/gw403/gw403-lsp/schemas/source"
)

var (
	jbResponseCode = regexp.MustCompile(`^Response code: (\d{3})\b`)
	jbSavedFile    = regexp.MustCompile(`^>\s+(\S+)\s*$`)
)

// parseHTTPText reads HTTP message text: optional request blocks (request
// line, headers, body) and responses (status line, headers, blank line,
// body). It covers `curl -i`, headers pasted from a browser (raw, or as
// `name: value` lines with HTTP/2 pseudo-headers), REST Client's saved full
// response and "exchange" preview, and the JetBrains response pane.
func parseHTTPText(f *source.File, ls []line) *Capture {
	c := &Capture{Format: FormatHTTPText, Text: f}
	const (
		idle = iota
		reqHead
		reqBody
		respHead
		respBody
	)
	var (
		state      = idle
		pending    *Request
		resp       *Response
		body       bodyBuilder
		prevBlank  = true
		expectFile bool
		console    bool
	)
	endReqHead := func() {
		if pending != nil {
			pending.URL = absURL(pending.URL, pending.Headers.Get("Host"), "https")
		}
	}
	flush := func() {
		if resp == nil {
			return
		}
		body.finish(resp)
		resp, body = nil, bodyBuilder{}
	}
	startResp := func(r *Response) {
		flush()
		if state == reqHead {
			endReqHead()
		}
		resp = r
		c.Responses++
		c.appendExchange(&Exchange{Request: pending, Response: r, Entry: -1})
		pending = nil
		state = respHead
	}
	// endHeaderBlock turns a status-less header block into a request when it
	// holds HTTP/2 request pseudo-headers, and reads ":status".
	endHeaderBlock := func() {
		if resp == nil || resp.Status != 0 || resp.Proto != "" {
			return
		}
		h := resp.Headers
		if m := h.Get(":method"); m != "" {
			r := &Request{Method: strings.ToUpper(m), Headers: h, Span: resp.Span, Line: resp.Line}
			r.URL = absURL(h.Get(":path"), h.Get(":authority"), h.Get(":scheme"))
			// Undo the response: this block was a request.
			c.Exchanges = c.Exchanges[:len(c.Exchanges)-1]
			c.Responses--
			resp = nil
			pending = r
			return
		}
		if s := h.Get(":status"); s != "" {
			resp.Status, _ = strconv.Atoi(s)
		}
	}
	for _, l := range ls {
		t := strings.TrimSpace(l.text)
		blank := t == ""
		wasBlank := prevBlank
		prevBlank = blank

		// JetBrains response pane trailer.
		if t == "Response file saved." {
			console = true
			if state == respHead {
				endHeaderBlock()
			}
			flush()
			state, expectFile = idle, true
			continue
		}
		if expectFile {
			if m := jbSavedFile.FindStringSubmatch(t); m != nil {
				if n := len(c.Exchanges); n > 0 {
					c.Exchanges[n-1].Response.BodyFile = m[1]
				}
				expectFile = false
				continue
			}
			if !blank {
				expectFile = false
			}
		}
		if m := jbResponseCode.FindStringSubmatch(t); m != nil {
			console = true
			if state == respHead {
				endHeaderBlock()
			}
			flush()
			if n := len(c.Exchanges); n > 0 && c.Exchanges[n-1].Response.Status == 0 {
				c.Exchanges[n-1].Response.Status, _ = strconv.Atoi(m[1])
			}
			state = idle
			continue
		}
		if strings.HasPrefix(t, "###") {
			if state == respHead {
				endHeaderBlock()
			}
			if state == reqHead {
				endReqHead()
			}
			flush()
			state = idle
			continue
		}
		if proto, status, reason, ok := parseStatusLine(t); ok {
			sp := spanOf(l.span.Start+strings.Index(l.text, t), l.span.End)
			startResp(&Response{Proto: proto, Status: status, Reason: reason, Span: sp, StatusSpan: sp, Line: l.no})
			continue
		}
		if m, target, _, ok := parseRequestLine(t); ok && (state == idle || state == reqHead || wasBlank) {
			if state == respHead {
				endHeaderBlock()
			}
			flush()
			pending = &Request{Method: m, URL: target, Span: spanOf(l.span.Start+strings.Index(l.text, t), l.span.End), Line: l.no}
			state = reqHead
			continue
		}
		switch state {
		case idle:
			if name, value, ok := parseHeaderLine(t); ok {
				sp := spanOf(l.span.Start+strings.Index(l.text, t), l.span.End)
				startResp(&Response{Span: sp, Line: l.no})
				addHeader(&resp.Headers, name, value, sp)
			} else if strings.HasPrefix(t, "{") || strings.HasPrefix(t, "<") {
				// A body without a head (the response pane set to "body").
				startResp(&Response{Span: l.span, Line: l.no})
				state = respBody
				body.add(l)
			}
		case reqHead:
			if blank {
				endReqHead()
				state = reqBody
			} else if name, value, ok := parseHeaderLine(t); ok {
				addHeader(&pending.Headers, name, value, spanOf(l.span.Start+strings.Index(l.text, t), l.span.End))
			} else {
				endReqHead()
				state = reqBody
			}
		case reqBody:
			// The request body is not needed.
		case respHead:
			if blank {
				endHeaderBlock()
				if resp != nil {
					state = respBody
				} else {
					state = reqBody
				}
			} else if name, value, ok := parseHeaderLine(t); ok {
				sp := spanOf(l.span.Start+strings.Index(l.text, t), l.span.End)
				addHeader(&resp.Headers, name, value, sp)
				resp.Span.End = sp.End
			} else if strings.HasPrefix(l.text, " ") || strings.HasPrefix(l.text, "\t") {
				// obsolete line folding: continue the previous value
				if n := len(resp.Headers); n > 0 {
					h := &resp.Headers[n-1]
					h.Value = strings.TrimSpace(h.Value + " " + t)
					h.Span.End = l.span.End
				}
			} else {
				endHeaderBlock()
				if resp == nil {
					state = reqBody
					continue
				}
				state = respBody
				body.add(l)
			}
		case respBody:
			if name, value, ok := parseHeaderLine(t); ok && wasBlank && strings.HasPrefix(name, ":") && body.b.Len() == 0 {
				// A header block with HTTP/2 pseudo-headers (the request
				// part of a browser's headers panel).
				sp := spanOf(l.span.Start+strings.Index(l.text, t), l.span.End)
				startResp(&Response{Span: sp, Line: l.no})
				addHeader(&resp.Headers, name, value, sp)
				continue
			}
			body.add(l)
		}
	}
	if state == respHead {
		endHeaderBlock()
	}
	if state == reqHead {
		endReqHead()
	}
	flush()
	// Browsers list response headers above request headers: a trailing
	// request belongs to the response before it.
	if pending != nil {
		if n := len(c.Exchanges); n > 0 && c.Exchanges[n-1].Request == nil {
			c.Exchanges[n-1].Request = pending
		}
	}
	if console {
		c.Format = FormatJetBrainsConsole
		// The response pane shows the request line without its headers.
		for _, x := range c.Exchanges {
			if x.Request != nil && len(x.Request.Headers) == 0 {
				x.Request.HeadersIncomplete = true
			}
		}
	}
	return c
}
