package capture

import (
	"bufio"
	"bytes"
	"compress/gzip"
	"errors"
	"fmt"
	"io"
	"path"
	"regexp"
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// Options configure Parse. The zero value is ready to use.
type Options struct {
	// Name is the input's file name ("" for standard input). Its base name
	// gives the status of a JetBrains response body file
	// ("2024-05-01T101500.403.json").
	Name string
	// OpenRef opens a file a JetBrains history entry refers to
	// (`<> 2024-05-01T101500.403.json`, relative to the history file).
	// Only base names are asked for, and at most MaxBody bytes are read;
	// it should open regular files only (a FIFO would block the read).
	// nil: bodies of history entries are not read.
	OpenRef func(name string) (io.ReadCloser, error)
	// Keep reports which statuses of HAR and JetBrains history entries to
	// materialize; nil keeps 401 and 403.
	Keep func(status int) bool
}

// KeepAuthErrors keeps 401 and 403 responses (the default Keep).
func KeepAuthErrors(status int) bool { return status == 401 || status == 403 }

func (o *Options) keep(status int) bool {
	if o.Keep == nil {
		return KeepAuthErrors(status)
	}
	return o.Keep(status)
}

var harStart = regexp.MustCompile(`^\s*\{\s*"log"\s*:`)

// looksHAR reports whether the start of an input is a HAR file: a JSON
// object whose first key is "log", or which names "log" and "entries".
func looksHAR(head []byte) bool {
	head = bytes.TrimPrefix(head, []byte("\xef\xbb\xbf"))
	if harStart.Match(head) {
		return true
	}
	t := bytes.TrimSpace(head)
	return len(t) > 0 && t[0] == '{' && bytes.Contains(head, []byte(`"log"`)) && bytes.Contains(head, []byte(`"entries"`))
}

// Parse reads one input. Gzip is detected by its magic bytes, HAR by its
// top-level "log" object (and then streamed); any other input is read whole
// up to MaxTextInput bytes and parsed as text. The error, when not nil,
// wraps one of the Err* values and reads as one line.
func Parse(r io.Reader, opts Options) (c *Capture, err error) {
	defer func() {
		if p := recover(); p != nil { // a parser bug must not crash the caller
			c, err = nil, fmt.Errorf("%w: internal error reading input: %v", ErrMalformed, p)
		}
	}()
	br := bufio.NewReaderSize(r, 64<<10)
	if magic, _ := br.Peek(2); len(magic) == 2 && magic[0] == 0x1f && magic[1] == 0x8b {
		gz, err := gzip.NewReader(br)
		if err != nil {
			return nil, fmt.Errorf("%w: gzip header: %v", ErrMalformed, err)
		}
		gz.Multistream(true)
		br = bufio.NewReaderSize(&gzipErrReader{gz}, 64<<10)
	}
	head, perr := br.Peek(4096)
	if len(head) == 0 {
		if perr != nil && !errors.Is(perr, io.EOF) {
			return nil, perr
		}
		return nil, ErrEmpty
	}
	if looksHAR(head) {
		return parseHAR(br, &opts)
	}
	data, err := io.ReadAll(io.LimitReader(br, MaxTextInput+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxTextInput {
		return nil, fmt.Errorf("%w: more than %d MiB and not a HAR file", ErrTooLarge, MaxTextInput>>20)
	}
	text, err := decodeText(data)
	if err != nil {
		return nil, err
	}
	return ParseText(text, opts)
}

// gzipErrReader turns gzip's errors into capture errors.
type gzipErrReader struct{ r io.Reader }

func (g *gzipErrReader) Read(p []byte) (int, error) {
	n, err := g.r.Read(p)
	if err != nil && err != io.EOF {
		if errors.Is(err, io.ErrUnexpectedEOF) {
			err = fmt.Errorf("%w: gzip stream ends early", ErrTruncated)
		} else {
			err = fmt.Errorf("%w: gzip: %v", ErrMalformed, err)
		}
	}
	return n, err
}

// decodeText turns input bytes into text: UTF-16 (with a BOM, or ASCII
// text with every other byte zero) is converted to UTF-8; other NUL bytes
// or many control bytes mean binary input.
func decodeText(data []byte) (string, error) {
	switch {
	case len(data) >= 2 && data[0] == 0xff && data[1] == 0xfe:
		return decodeUTF16(data[2:], false), nil
	case len(data) >= 2 && data[0] == 0xfe && data[1] == 0xff:
		return decodeUTF16(data[2:], true), nil
	case looksUTF16LE(data):
		return decodeUTF16(data, false), nil
	}
	if bytes.IndexByte(data, 0) >= 0 {
		return "", fmt.Errorf("%w (it contains NUL bytes)", ErrBinary)
	}
	sample := data
	if len(sample) > 64<<10 {
		sample = sample[:64<<10]
	}
	ctrl, bad, n := 0, 0, 0
	for i := 0; i < len(sample); {
		r, size := utf8.DecodeRune(sample[i:])
		if r == utf8.RuneError && size == 1 && i+4 < len(sample) {
			bad++
		} else if r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f' && r != '\v' && r != 0x1b {
			ctrl++
		}
		n++
		i += size
	}
	if n > 0 && (bad*20 > n || ctrl*50 > n) {
		return "", ErrBinary
	}
	return string(data), nil
}

func looksUTF16LE(b []byte) bool {
	if len(b) < 8 {
		return false
	}
	n := len(b) &^ 1
	if n > 512 {
		n = 512
	}
	for i := 0; i < n; i += 2 {
		if b[i+1] != 0 || b[i] == 0 {
			return false
		}
	}
	return true
}

func decodeUTF16(b []byte, bigEndian bool) string {
	u := make([]uint16, len(b)/2)
	for i := range u {
		if bigEndian {
			u[i] = uint16(b[2*i])<<8 | uint16(b[2*i+1])
		} else {
			u[i] = uint16(b[2*i+1])<<8 | uint16(b[2*i])
		}
	}
	return string(utf16.Decode(u))
}

// ParseText parses a text input whose format is sniffed: curl -v output,
// JetBrains history, a body alone, or HTTP message text (raw, curl -i, REST
// Client, JetBrains console). Spans index into text.
func ParseText(text string, opts Options) (c *Capture, err error) {
	defer func() {
		if p := recover(); p != nil {
			c, err = nil, fmt.Errorf("%w: internal error reading input: %v", ErrMalformed, p)
		}
	}()
	if strings.TrimSpace(strings.TrimPrefix(text, "\ufeff")) == "" {
		return nil, ErrEmpty
	}
	if strings.IndexByte(text, 0) >= 0 {
		return nil, fmt.Errorf("%w (it contains NUL bytes)", ErrBinary)
	}
	f := source.NewFile(opts.Name, text)
	ls := splitLines(f)
	switch sniffText(ls) {
	case FormatCurlVerbose:
		c = parseCurl(f, ls)
	case FormatJetBrainsHistory:
		c = parseHistory(f, ls, &opts)
	case FormatBody:
		c, err = parseBody(f, &opts)
		if err != nil {
			return nil, err
		}
	default:
		c = parseHTTPText(f, ls)
	}
	if len(c.Exchanges) == 0 && c.Responses == 0 {
		return nil, unrecognized(ls)
	}
	return c, nil
}

func unrecognized(ls []line) error {
	for _, l := range ls {
		if _, _, _, ok := parseRequestLine(strings.TrimLeft(l.text, "> \t")); ok {
			return fmt.Errorf("%w: it shows a request but no response; paste the response too (the `< HTTP/…` lines of curl -v, or the status line and headers)", ErrTruncated)
		}
	}
	return fmt.Errorf("%w: expected curl -v or curl -i output, response headers and body, a HAR file, or a REST Client / JetBrains HTTP Client response", ErrUnrecognized)
}

// line is one line of a text: its content without terminator and span.
type line struct {
	text string
	span source.Span
	no   int // 1-based
}

func splitLines(f *source.File) []line {
	n := f.LineCount()
	ls := make([]line, 0, n)
	for i := 0; i < n; i++ {
		sp := f.LineSpan(i)
		t := f.Text[sp.Start:sp.End]
		if i == 0 && strings.HasPrefix(t, "\ufeff") {
			t = t[len("\ufeff"):]
			sp.Start += len("\ufeff")
		}
		ls = append(ls, line{text: t, span: sp, no: i + 1})
	}
	// A final empty line after the last terminator is not a line.
	if len(ls) > 1 && ls[len(ls)-1].text == "" && ls[len(ls)-1].span.IsEmpty() && ls[len(ls)-1].span.Start == len(f.Text) {
		ls = ls[:len(ls)-1]
	}
	return ls
}

var historyRef = regexp.MustCompile(`^<>\s+(\S+)\s*$`)

func sniffText(ls []line) Format {
	firstText := ""
	for i, l := range ls {
		if i > 400 {
			break
		}
		t := strings.TrimLeft(l.text, " \t")
		if firstText == "" && strings.TrimSpace(t) != "" {
			firstText = t
		}
		if strings.HasPrefix(t, "< ") || strings.HasPrefix(t, "> ") {
			s := t[2:]
			if _, _, _, ok := parseStatusLine(s); ok && t[0] == '<' {
				return FormatCurlVerbose
			}
			if _, _, _, ok := parseRequestLine(s); ok && t[0] == '>' {
				return FormatCurlVerbose
			}
		}
		if m := historyRef.FindStringSubmatch(t); m != nil && statusFromName(m[1]) != 0 {
			return FormatJetBrainsHistory
		}
	}
	if strings.HasPrefix(firstText, "{") || strings.HasPrefix(firstText, "[") || strings.HasPrefix(firstText, "<") {
		return FormatBody
	}
	return FormatHTTPText
}

var bodyFileStatus = regexp.MustCompile(`\.([1-5]\d\d)\.[A-Za-z0-9]+$`)

// statusFromName returns the status a JetBrains response file name carries
// ("2024-05-01T101500-1.403.json" → 403), or 0.
func statusFromName(name string) int {
	m := bodyFileStatus.FindStringSubmatch(path.Base(strings.ReplaceAll(name, `\`, "/")))
	if m == nil {
		return 0
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

var statusLineRe = regexp.MustCompile(`^HTTP/(\d(?:\.\d)?)\s+(\d{3})(?:\s+(.*?))?\s*$`)

// parseStatusLine reads "HTTP/1.1 403 Forbidden" / "HTTP/2 403".
func parseStatusLine(s string) (proto string, status int, reason string, ok bool) {
	m := statusLineRe.FindStringSubmatch(s)
	if m == nil {
		return "", 0, "", false
	}
	status, _ = strconv.Atoi(m[2])
	return "HTTP/" + m[1], status, m[3], true
}

var methods = map[string]bool{
	"GET": true, "POST": true, "PUT": true, "DELETE": true, "PATCH": true,
	"HEAD": true, "OPTIONS": true, "CONNECT": true, "TRACE": true,
}

// parseRequestLine reads "GET https://h/p HTTP/1.1" or "GET /p".
func parseRequestLine(s string) (method, target, proto string, ok bool) {
	f := strings.Fields(s)
	if len(f) < 2 || len(f) > 3 || !methods[f[0]] {
		return "", "", "", false
	}
	if len(f) == 3 {
		if !strings.HasPrefix(f[2], "HTTP/") {
			return "", "", "", false
		}
		proto = f[2]
	}
	t := f[1]
	if !(strings.HasPrefix(t, "/") || strings.HasPrefix(t, "http://") || strings.HasPrefix(t, "https://") ||
		f[0] == "CONNECT" || t == "*" || strings.HasPrefix(t, "{{")) {
		return "", "", "", false
	}
	return f[0], t, proto, true
}

// parseHeaderLine reads "Name: value". Names are HTTP tokens, or HTTP/2
// pseudo-headers (":status").
func parseHeaderLine(s string) (name, value string, ok bool) {
	start := 0
	if strings.HasPrefix(s, ":") {
		start = 1
	}
	i := strings.IndexByte(s[start:], ':')
	if i <= 0 {
		return "", "", false
	}
	i += start
	name = s[:i]
	for j := start; j < len(name); j++ {
		if !isTokenChar(name[j]) {
			return "", "", false
		}
	}
	value = strings.TrimSpace(s[i+1:])
	if len(value) > MaxHeaderValue {
		value = value[:MaxHeaderValue]
	}
	return name, value, true
}

func isTokenChar(c byte) bool {
	switch {
	case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9':
		return true
	}
	return strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0
}

// bodyBuilder collects body lines up to MaxBody bytes.
type bodyBuilder struct {
	b         strings.Builder
	span      source.Span
	started   bool
	truncated bool
	blank     int // pending blank lines (dropped if nothing follows)
}

func (bb *bodyBuilder) add(l line) {
	if strings.TrimSpace(l.text) == "" {
		if bb.started {
			bb.blank++
		}
		return
	}
	if !bb.started {
		bb.started = true
		bb.span.Start = l.span.Start
	} else {
		for ; bb.blank > 0; bb.blank-- {
			bb.write("\n")
		}
		bb.write("\n")
	}
	bb.write(l.text)
	bb.span.End = l.span.End
}

func (bb *bodyBuilder) write(s string) {
	if bb.truncated {
		return
	}
	if room := MaxBody - bb.b.Len(); len(s) > room {
		s = s[:room]
		bb.truncated = true
	}
	bb.b.WriteString(s)
}

func (bb *bodyBuilder) finish(r *Response) {
	r.Body = bb.b.String()
	r.BodyTruncated = bb.truncated
	if bb.started {
		r.BodySpan = bb.span
		if bb.span.End > r.Span.End {
			r.Span.End = bb.span.End
		}
	}
}

// absURL makes target absolute with host and scheme when it is a path.
func absURL(target, host, scheme string) string {
	if strings.HasPrefix(target, "http://") || strings.HasPrefix(target, "https://") || host == "" {
		return target
	}
	if !strings.HasPrefix(target, "/") && target != "*" {
		return target
	}
	if scheme == "" {
		scheme = "https"
	}
	return scheme + "://" + host + target
}

// addHeader appends a header unless the list is full.
func addHeader(h *Headers, name, value string, sp source.Span) {
	if len(*h) < MaxHeaders {
		*h = append(*h, Header{Name: name, Value: value, Span: sp})
	}
}

// appendExchange adds x to c unless MaxExchanges is reached.
func (c *Capture) appendExchange(x *Exchange) {
	if len(c.Exchanges) >= MaxExchanges {
		c.Omitted++
		return
	}
	c.Exchanges = append(c.Exchanges, x)
}

func spanOf(start, end int) source.Span { return source.Span{Start: start, End: end} }
