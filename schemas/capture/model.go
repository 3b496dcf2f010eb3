// Package capture reads recorded HTTP exchanges — `curl -v` / `curl -i`
// transcripts, pasted response headers and bodies, HAR 1.2 files, REST
// Client and JetBrains HTTP Client responses — into one model.
//
// The package knows formats, nothing about 403s. Parse sniffs the format
// (gzip by magic bytes, UTF-16 by BOM, CRLF anywhere) and never panics: bad
// input is an error that says what was expected. Text inputs are bounded by
// MaxTextInput; HAR files are streamed entry by entry, bounded by
// MaxHARInput, MaxHAREntries and MaxHARDepth, and only the entries the
// caller keeps are materialized.
//
// Spans are half-open byte offsets into Capture.Text (the decoded text of a
// text input); HAR exchanges have no spans and carry their entry index.
package capture

import (
	"errors"
	"strings"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// Limits. They bound what one exchange or one text input may cost.
const (
	// MaxTextInput is the largest non-HAR input read, in bytes after
	// gunzipping.
	MaxTextInput = 32 << 20
	// MaxHARInput is the most of a HAR file read, in bytes after
	// gunzipping (HAR files are streamed, so this bounds time, not
	// memory).
	MaxHARInput = 256 << 20
	// MaxHAREntries is the most log.entries read from one HAR file.
	MaxHAREntries = 100_000
	// MaxHARDepth is the deepest nesting of JSON values read in a HAR
	// file (a HAR entry nests about six levels).
	MaxHARDepth = 64
	// MaxBody is the largest body prefix kept per message, in bytes.
	MaxBody = 64 << 10
	// MaxHeaders is the number of header lines kept per message.
	MaxHeaders = 256
	// MaxHeaderValue is the longest header value kept, in bytes.
	MaxHeaderValue = 16 << 10
	// MaxExchanges is the number of exchanges materialized from one input;
	// further kept exchanges are only counted (Capture.Omitted).
	MaxExchanges = 1000
)

// Errors Parse returns, wrapped with details; test with errors.Is.
var (
	ErrEmpty        = errors.New("input is empty")
	ErrBinary       = errors.New("input is binary, not text")
	ErrTooLarge     = errors.New("input is too large")
	ErrUnrecognized = errors.New("input is not a recognized HTTP capture")
	ErrTruncated    = errors.New("input is truncated")
	ErrMalformed    = errors.New("input is malformed")
)

// Format names the input form a Capture was read from.
type Format int

const (
	FormatUnknown Format = iota
	// FormatCurlVerbose is `curl -v` output: `*` info lines, `>` request
	// lines, `<` response lines, then the body (with `2>&1`).
	FormatCurlVerbose
	// FormatHTTPText is plain HTTP message text: `curl -i` output, response
	// headers and body pasted from a browser, a REST Client response saved
	// with "Save Full Response" or copied from its "exchange" preview
	// (request, then response).
	FormatHTTPText
	// FormatJetBrainsConsole is the JetBrains HTTP Client response pane
	// saved as text: request line, status line, headers, body, then
	// "Response file saved." / "Response code: 403 (Forbidden); …".
	FormatJetBrainsConsole
	// FormatJetBrainsHistory is `.idea/httpRequests/http-requests-log.http`:
	// requests separated by `###`, each followed by `<> <time>.<status>.<ext>`
	// naming the file that holds the response body (headers are not kept).
	FormatJetBrainsHistory
	// FormatHAR is an HTTP Archive 1.2 file (possibly gzipped).
	FormatHAR
	// FormatBody is a response body alone: a JSON error object, an XML
	// error document or an HTML error page (for example a JetBrains
	// `.idea/httpRequests/2024-05-01T101500.403.json` file).
	FormatBody
)

func (f Format) String() string {
	switch f {
	case FormatCurlVerbose:
		return "curl-v"
	case FormatHTTPText:
		return "http-text"
	case FormatJetBrainsConsole:
		return "jetbrains-console"
	case FormatJetBrainsHistory:
		return "jetbrains-history"
	case FormatHAR:
		return "har"
	case FormatBody:
		return "body"
	}
	return "unknown"
}

// Describe returns a short English description of the format for messages.
func (f Format) Describe() string {
	switch f {
	case FormatCurlVerbose:
		return "curl -v output"
	case FormatHTTPText:
		return "HTTP response text"
	case FormatJetBrainsConsole:
		return "JetBrains HTTP Client response"
	case FormatJetBrainsHistory:
		return "JetBrains HTTP Client request history"
	case FormatHAR:
		return "HAR file"
	case FormatBody:
		return "response body"
	}
	return "unknown input"
}

// Capture is a parsed input.
type Capture struct {
	Format Format
	// Exchanges in input order. For HAR and JetBrains history only the
	// kept ones (see Options.Keep); for other formats every response seen.
	Exchanges []*Exchange
	// Responses is the number of responses the input holds (kept or not).
	Responses int
	// Omitted counts kept exchanges beyond MaxExchanges that were dropped.
	Omitted int
	// Stopped, when not nil, is the limit (MaxHARInput, MaxHAREntries,
	// MaxHARDepth) that ended the reading of a HAR file early: the
	// exchanges are those of the part read. It wraps ErrTooLarge.
	Stopped error
	// Text is the decoded input text (UTF-8, BOM and CRLF kept) for text
	// formats; nil for HAR. Spans index into Text.Text.
	Text *source.File
	// Answered are the HAR and history entries Keep did not keep, reduced
	// to their request line and status (at most MaxExchanges): what else
	// the same session saw, as evidence about the kept ones.
	Answered []Answered
}

// Answered is a HAR or history entry that was not kept: its request line
// and status.
type Answered struct {
	Method string // upper case
	URL    string
	Status int
	Entry  int // 0-based index in log.entries; -1 for a history file
	Line   int // 1-based line of the response reference in a history file; 0 for HAR
}

// Exchange is one response and, when the input shows it, its request.
type Exchange struct {
	Request  *Request // nil when the input holds no request
	Response *Response
	// Entry is the 0-based index in the HAR's log.entries (or the
	// JetBrains history entry); -1 for other formats.
	Entry int
	// Conn is what a curl -v transcript says about the connection.
	Conn Conn
}

// Conn collects connection facts from curl's `*` info lines.
type Conn struct {
	// Proxy is the proxy curl went through ("host:port" or a URL); "" when
	// none was seen.
	Proxy string
	// Host and Port are from "Connected to HOST (IP) port N".
	Host string
	Port int
	// TLS is true when TLS handshake lines were seen for this connection.
	TLS bool
	// ClientCertRequested is true when the server sent a CertificateRequest
	// ("TLS handshake, Request CERT (13)").
	ClientCertRequested bool
	// ClientCertSent is true when the client proved a certificate
	// ("(OUT), TLS handshake, CERT verify (15)").
	ClientCertSent bool
	// TunnelFailed is curl's "CONNECT tunnel failed, response N".
	TunnelFailed int
}

// Header is one header line. Span covers the whole line without its
// terminator (zero for HAR).
type Header struct {
	Name, Value string
	Span        source.Span
}

// Headers is a header list in input order.
type Headers []Header

// Get returns the value of the first header named name (case-insensitive).
func (h Headers) Get(name string) string {
	for _, x := range h {
		if strings.EqualFold(x.Name, name) {
			return x.Value
		}
	}
	return ""
}

// Has reports whether a header named name (case-insensitive) is present.
func (h Headers) Has(name string) bool {
	for _, x := range h {
		if strings.EqualFold(x.Name, name) {
			return true
		}
	}
	return false
}

// Find returns the first header named name (case-insensitive), or nil.
func (h Headers) Find(name string) *Header {
	for i := range h {
		if strings.EqualFold(h[i].Name, name) {
			return &h[i]
		}
	}
	return nil
}

// Request is the request of an exchange.
type Request struct {
	Method string
	// URL is absolute ("https://host/path?q") when the host is known, else
	// the request target as written.
	URL     string
	Headers Headers
	// Span is the request line; Line its 1-based line (0 when unknown).
	Span source.Span
	Line int
	// HeadersIncomplete is true when the input may not show every header
	// that was sent: browser HAR exports drop Authorization and Cookie, the
	// JetBrains response pane shows the request line only. A header missing
	// from such a request proves nothing.
	HeadersIncomplete bool
}

// Host returns the request's host without port, lower-cased; "" when
// unknown.
func (r *Request) Host() string {
	if r == nil {
		return ""
	}
	h := hostOfURL(r.URL)
	if h == "" {
		h = r.Headers.Get("Host")
		if h == "" {
			h = r.Headers.Get(":authority")
		}
	}
	return stripPort(strings.ToLower(strings.TrimSpace(h)))
}

// Path returns the request's path without query; "" when unknown.
func (r *Request) Path() string {
	if r == nil {
		return ""
	}
	u := r.URL
	if i := strings.Index(u, "://"); i >= 0 {
		u = u[i+3:]
		if j := strings.IndexByte(u, '/'); j >= 0 {
			u = u[j:]
		} else {
			u = "/"
		}
	}
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	return u
}

// Query returns the raw query string without "?"; "" when none.
func (r *Request) Query() string {
	if r == nil {
		return ""
	}
	u := r.URL
	if i := strings.IndexByte(u, '#'); i >= 0 {
		u = u[:i]
	}
	if i := strings.IndexByte(u, '?'); i >= 0 {
		return u[i+1:]
	}
	return ""
}

// Response is the response of an exchange.
type Response struct {
	Proto string // "HTTP/1.1", "HTTP/2"; "" when no status line was seen
	// Status is the status code; 0 when the input shows none (headers
	// pasted without their status line).
	Status  int
	Reason  string
	Headers Headers
	// Body is a prefix of at most MaxBody bytes of the body as text.
	Body          string
	BodyTruncated bool
	// BodyFile is the file a JetBrains client saved the body to, as named
	// in the input ("2024-05-01T101500.403.json").
	BodyFile string
	// Span covers the response from its status line (or first header) to
	// the end of its body; StatusSpan the status line; BodySpan the body.
	Span, StatusSpan, BodySpan source.Span
	// Line is the 1-based line of the status line (or first header).
	Line int
}

func hostOfURL(u string) string {
	i := strings.Index(u, "://")
	if i < 0 {
		return ""
	}
	rest := u[i+3:]
	if j := strings.IndexAny(rest, "/?#"); j >= 0 {
		rest = rest[:j]
	}
	if at := strings.LastIndexByte(rest, '@'); at >= 0 {
		rest = rest[at+1:]
	}
	return rest
}

func stripPort(h string) string {
	if strings.HasPrefix(h, "[") {
		if i := strings.IndexByte(h, ']'); i >= 0 {
			return h[:i+1]
		}
		return h
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 && strings.Count(h, ":") == 1 {
		return h[:i]
	}
	return h
}
