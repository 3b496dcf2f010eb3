package capture

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/gw403/gw403-lsp/schemas/source"
)

var (
	curlConnected = regexp.MustCompile(`^Connected to (\S+) \(([^)]*)\) port (\d+)`)
	curlProxyEnv  = regexp.MustCompile(`^Uses proxy env variable \S+ == '([^']*)'`)
	curlTunnel    = regexp.MustCompile(`^Establish HTTP proxy tunnel to (\S+)`)
	curlTunnelBad = regexp.MustCompile(`CONNECT tunnel failed, response (\d{3})`)
	curlProgress  = regexp.MustCompile(`^\s*\d{1,3}\s+\d+(?:\.\d+)?[kMGT]?\s+\d{1,3}\s+\d+(?:\.\d+)?[kMGT]?\s+\d{1,3}\s+\d+`)
)

// parseCurl reads `curl -v` output (stderr and stdout interleaved, as with
// `2>&1`): `*` info lines, `> ` request lines, `< ` response lines, and
// the body as unprefixed lines after the response headers. Several
// exchanges (redirects with -L, a proxy CONNECT, reused connections) give
// several exchanges.
func parseCurl(f *source.File, ls []line) *Capture {
	c := &Capture{Format: FormatCurlVerbose, Text: f}
	var (
		conn        Conn
		req         *Request
		reqHeaders  bool
		resp        *Response
		respHeaders bool
		body        bodyBuilder
	)
	finishReq := func() {
		if req != nil && reqHeaders {
			reqHeaders = false
			scheme := "https"
			if !conn.TLS && conn.Port == 80 {
				scheme = "http"
			}
			host := req.Headers.Get("Host")
			if host == "" && conn.Proxy == "" {
				host = conn.Host
			}
			if req.Method != "CONNECT" {
				req.URL = absURL(req.URL, host, scheme)
			}
		}
	}
	flush := func() {
		if resp == nil {
			return
		}
		body.finish(resp)
		stripMirroredHead(resp)
		c.Responses++
		c.appendExchange(&Exchange{Request: req, Response: resp, Entry: -1, Conn: conn})
		resp, respHeaders, body = nil, false, bodyBuilder{}
	}
	for _, l := range ls {
		t := strings.TrimLeft(l.text, " \t")
		off := l.span.Start + len(l.text) - len(t)
		switch {
		case t == ">" || strings.HasPrefix(t, "> "):
			s := strings.TrimPrefix(strings.TrimPrefix(t, ">"), " ")
			if m, target, _, ok := parseRequestLine(s); ok && !reqHeaders {
				flush()
				req = &Request{Method: m, URL: target, Span: spanOf(off, l.span.End), Line: l.no}
				reqHeaders = true
				continue
			}
			if !reqHeaders {
				continue
			}
			if strings.TrimSpace(s) == "" {
				finishReq()
			} else if name, value, ok := parseHeaderLine(s); ok {
				addHeader(&req.Headers, name, value, spanOf(off, l.span.End))
			}
		case t == "<" || strings.HasPrefix(t, "< "):
			s := strings.TrimPrefix(strings.TrimPrefix(t, "<"), " ")
			if proto, status, reason, ok := parseStatusLine(s); ok {
				finishReq()
				flush()
				sp := spanOf(off, l.span.End)
				resp = &Response{Proto: proto, Status: status, Reason: reason, Span: sp, StatusSpan: sp, Line: l.no}
				respHeaders = true
				continue
			}
			if resp == nil || !respHeaders {
				continue
			}
			if strings.TrimSpace(s) == "" {
				respHeaders = false
			} else if name, value, ok := parseHeaderLine(s); ok {
				sp := spanOf(off, l.span.End)
				addHeader(&resp.Headers, name, value, sp)
				resp.Span.End = sp.End
			}
		case strings.HasPrefix(t, "*"):
			curlInfo(strings.TrimSpace(t[1:]), &conn)
			if conn.TunnelFailed != 0 && resp != nil {
				respHeaders = false
			}
		case strings.HasPrefix(t, "{ [") || strings.HasPrefix(t, "} ["),
			strings.HasPrefix(t, "curl: ("),
			strings.HasPrefix(t, "% Total"), strings.HasPrefix(t, "Dload"),
			curlProgress.MatchString(t):
			// data markers, curl's own error line, the progress meter
		default:
			if resp != nil && !respHeaders {
				body.add(l)
			}
		}
	}
	finishReq()
	flush()
	return c
}

// curlInfo reads one `*` line into conn.
func curlInfo(s string, conn *Conn) {
	switch {
	case curlConnected.MatchString(s):
		m := curlConnected.FindStringSubmatch(s)
		port, _ := strconv.Atoi(m[3])
		proxy, bad := conn.Proxy, conn.TunnelFailed
		*conn = Conn{Proxy: proxy, TunnelFailed: bad, Host: m[1], Port: port}
	case curlProxyEnv.MatchString(s):
		conn.Proxy = curlProxyEnv.FindStringSubmatch(s)[1]
	case curlTunnel.MatchString(s):
		if conn.Proxy == "" {
			conn.Proxy = conn.Host + ":" + strconv.Itoa(conn.Port)
		}
	case curlTunnelBad.MatchString(s):
		conn.TunnelFailed, _ = strconv.Atoi(curlTunnelBad.FindStringSubmatch(s)[1])
	}
	if strings.Contains(s, "TLS") || strings.Contains(s, "SSL connection") || strings.HasPrefix(s, "ALPN") {
		conn.TLS = true
	}
	if strings.Contains(s, "TLS handshake, Request CERT") {
		conn.ClientCertRequested = true
	}
	if strings.Contains(s, "(OUT), TLS handshake, CERT verify") {
		conn.ClientCertSent = true
	}
}

// stripMirroredHead drops the status line and headers that `curl -i -v`
// prints again on stdout at the start of the body.
func stripMirroredHead(r *Response) {
	if r.Body == "" {
		return
	}
	first, rest, _ := strings.Cut(r.Body, "\n")
	if _, st, _, ok := parseStatusLine(strings.TrimSpace(first)); !ok || st != r.Status {
		return
	}
	for {
		var l string
		l, rest, _ = strings.Cut(rest, "\n")
		if strings.TrimSpace(l) == "" || rest == "" {
			break
		}
	}
	r.Body = strings.TrimLeft(rest, "\n")
}
