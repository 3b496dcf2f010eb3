package httpfile

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// Options change how a file is split into requests.
type Options struct {
	// SplitOnRequestLines makes a request line (`METHOD https://…`) inside
	// another request's headers or body start a new request, as httpyac
	// does. By default the parser follows REST Client and JetBrains: only a
	// `###` line separates requests, and such a line is recorded in
	// Request.SuspectRequestLines instead.
	SplitOnRequestLines bool
}

// Parse parses a request file with the REST Client / JetBrains splitting
// rules (see ParseWith).
//
// How a block of text between two `###` lines (or before the first one) is
// read:
//   - Leading blank lines, `#` / `//` comments, `# @key value` metadata,
//     `/* … */` comments (httpyac), `@name = value` variables, pre-request
//     scripts (`< {% … %}`, `< ./script.js`, httpyac `{{ … }}` blocks) come
//     first.
//   - The first other line that looks like a request line is the request
//     line: `METHOD target [HTTP/x]`, or a bare URL (GET). Text lines
//     before it that do not look like one (httpyac GraphQL fragments) are
//     skipped; a block that has such text and no request gets a Problem.
//     A block that starts with a response status line (`HTTP/1.1 200`)
//     holds no request, as in REST Client.
//   - Lines starting with `?` / `&` (REST Client), or indented lines
//     starting with `/` (JetBrains, httpyac) continue the target.
//   - Then headers up to the first blank line, then the body up to the end
//     of the block or a response handler (`> {% … %}`, `> ./h.js`),
//     output redirect (`>> file`) or response reference (`<> file`).
//
// Several request lines before the first `###`, or in one block: REST
// Client sends the first request with the rest as headers (`GET https:…`
// is then an invalid header name) and body text; JetBrains reads the block
// the same way (its requests must be separated by `###`); httpyac splits
// the block into several requests. Parse keeps one request per block, like
// the first two, and lists the other request lines in
// Request.SuspectRequestLines; ParseWith with SplitOnRequestLines gives the
// httpyac reading.
func Parse(src *source.File) *File { return ParseWith(src, Options{}) }

// ParseWith parses a request file. It never fails and never panics: what
// cannot be read is reported in File.Problems and parsing goes on.
func ParseWith(src *source.File, opts Options) *File {
	return parse(src, opts, minRegion)
}

// parse is ParseWith reading regions of at least minRegion bytes in
// parallel (0: in one piece).
func parse(src *source.File, opts Options, minRegion int) *File {
	f := &File{Src: src}
	if src == nil {
		return f
	}
	text := src.Text
	valid := utf8.ValidString(text)
	if isBinary(text, valid) {
		f.Binary = true
		f.Problems = append(f.Problems, Problem{
			Span:    source.Span{Start: 0, End: min(len(text), firstLineEnd(text))},
			Message: "not a text file (NUL bytes or invalid UTF-8)",
		})
		return f
	}
	start := 0
	if strings.HasPrefix(text, "\uFEFF") {
		f.BOM = true
		start = 3
	}
	if !valid {
		off := firstInvalid(text)
		f.Problems = append(f.Problems, Problem{
			Span:    source.Span{Start: off, End: off + 1},
			Message: "invalid UTF-8 byte",
		})
	}
	if minRegion == 0 || !parseRegions(f, start, opts, minRegion) {
		p := newParser(f, opts)
		p.run(start, len(text))
		p.endBlock()
	}
	f.indexVars()
	return f
}

func newParser(f *File, opts Options) *parser {
	return &parser{f: f, text: f.Src.Text, opts: opts, a: &arena{}, preStart: -1, bodyStart: -1, pendStart: -1}
}

// isBinary reports whether text is not a text file: it holds a NUL byte, or
// more than a tenth of it is invalid UTF-8.
func isBinary(text string, valid bool) bool {
	if strings.IndexByte(text, 0) >= 0 {
		return true
	}
	if valid {
		return false
	}
	bad := 0
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size == 1 {
			bad++
		}
		i += size
	}
	return bad*10 > len(text)
}

func firstInvalid(text string) int {
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if r == utf8.RuneError && size == 1 {
			return i
		}
		i += size
	}
	return len(text)
}

func firstLineEnd(text string) int {
	if i := strings.IndexAny(text, "\r\n"); i >= 0 {
		return i
	}
	return len(text)
}

// parser states within a block.
const (
	stPre     = iota // before the request line
	stURL            // right after the request line or a query line
	stHeaders        // header lines
	stBody           // body lines
	stPost           // after a response handler, redirect or reference
	stSkip           // the block holds no request
)

// multi-line construct kinds.
const (
	mlScript = iota
	mlComment
)

type multiline struct {
	kind     int
	closeTok string // "%}", "}}" (at line start) or "*/"; "" = runs to the next ### line
	script   *Script
	comment  *Comment
	inReq    bool // belongs to the current request (lastEnd follows it)
}

type parser struct {
	a    *arena
	hdrs []*Header // headers of the current request
	f    *File
	text string
	opts Options
	eol  string // the first line terminator of the file

	state int
	sep   *Separator
	ml    *multiline

	// Preamble items collected before the request line of the block.
	preStart   int // start of the first preamble item; -1 when none
	meta       []*Meta
	comments   []*Comment
	vars       []*Var
	preScripts []*Script
	stray      source.Span // first text line that is no request line
	hasStray   bool

	req            *Request
	lastEnd        int // end of the last content line of req
	bodyStart      int // -1 when the body has no line yet
	bodyEnd        int
	bodyFileLines  []*Line
	bodyOtherLines int
	// pending comment lines in split mode (they may belong to the next
	// request).
	pendStart    int
	pendMeta     []*Meta
	pendComments []*Comment

	stop  bool // MaxRequests reached: the rest of the file is not read
	lines int  // lines read outside bodies and scripts, up to MaxLines
}

// MaxRequests is how many requests of one file are read. Real files hold
// tens; a file of 3 million `GET /` lines would take gigabytes to check.
const MaxRequests = 10000

// MaxLines is how many non-blank lines outside bodies and scripts
// (request lines, headers, query lines, variables, comments) of one file
// are read.
const MaxLines = 100000

// thousands writes n with thousands separators: 100,000.
func thousands(n int) string {
	s := strconv.Itoa(n)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// run reads the lines that start in [start, limit); the caller ends the
// last block.
func (p *parser) run(start, limit int) {
	text := p.text
	noCR := strings.IndexByte(text[start:limit], '\r') < 0
	pos := start
	for pos < limit {
		var end, next int
		hasEOL := true
		rest := text[pos:]
		nl := strings.IndexByte(rest, '\n')
		if nl < 0 {
			nl = len(rest)
			hasEOL = false
		}
		end = pos + nl
		next = end + 1
		if !noCR {
			if cr := strings.IndexByte(rest[:nl], '\r'); cr >= 0 {
				if cr == nl-1 && hasEOL { // CRLF
					end = pos + cr
					if p.eol == "" {
						p.eol = "\r\n"
					}
				} else { // lone CR
					end = pos + cr
					next = end + 1
					hasEOL = true
					if p.eol == "" {
						p.eol = "\r"
					}
				}
			}
		}
		if hasEOL && p.eol == "" {
			p.eol = "\n"
		}
		if !hasEOL {
			next = len(text)
		}
		if p.state != stBody && p.state != stSkip && p.ml == nil && strings.TrimSpace(text[pos:end]) != "" {
			if p.lines++; p.lines > MaxLines {
				p.f.Problems = append(p.f.Problems, Problem{
					Span:    source.Span{Start: pos, End: end},
					Message: "more than " + thousands(MaxLines) + " request lines, headers, variables and comments in one file: the rest of the file is not read (the limit per file)",
				})
				break
			}
		}
		p.line(pos, end, next, hasEOL)
		if !hasEOL || p.stop {
			break
		}
		pos = next
	}
}

// lineEOL returns the terminator of the line ending at end.
func (p *parser) lineEOL(end int) string {
	if end < len(p.text) {
		if p.text[end] == '\r' {
			if end+1 < len(p.text) && p.text[end+1] == '\n' {
				return "\r\n"
			}
			return "\r"
		}
		return "\n"
	}
	if p.eol != "" {
		return p.eol
	}
	return "\n"
}

func (p *parser) line(start, end, next int, hasEOL bool) {
	s := p.text[start:end]
	if p.ml != nil {
		if p.ml.closeTok == "" {
			if !isSeparator(s) {
				p.extendML(end)
				return
			}
			p.closeML(p.mlEnd())
			// fall through: the separator line is handled below
		} else {
			if i := p.closeIndex(s); i >= 0 {
				p.extendML(start + i)
				p.ml = nil
				return
			}
			p.extendML(end)
			return
		}
	}
	if isSeparator(s) {
		p.endBlock()
		k := 0
		for k < len(s) && s[k] == '#' {
			k++
		}
		ts, te := trimSpan(s, k, len(s))
		sep := grab(&p.a.seps)
		*sep = Separator{
			Span:      source.Span{Start: start, End: start + len(strings.TrimRight(s, " \t"))},
			Title:     s[ts:te],
			TitleSpan: source.Span{Start: start + ts, End: start + te},
		}
		p.f.Separators = append(p.f.Separators, sep)
		p.sep = sep
		return
	}
	ts, te := trimSpan(s, 0, len(s))
	if ts == te {
		if p.state == stHeaders || p.state == stURL {
			p.state = stBody
		}
		return
	}
	switch p.state {
	case stPre:
		p.preLine(start, end, next, hasEOL, ts, te)
	case stURL:
		c := s[ts]
		if c == '?' || c == '&' || (c == '/' && ts > 0) {
			p.queryLine(start, next, hasEOL, ts, te)
			return
		}
		p.state = stHeaders
		p.headerLine(start, end, next, hasEOL, ts, te)
	case stHeaders:
		p.headerLine(start, end, next, hasEOL, ts, te)
	case stBody:
		p.bodyLine(start, end, next, hasEOL, ts, te)
	case stPost:
		p.postLine(start, end, next, hasEOL, ts, te)
	case stSkip:
	}
}

func isSeparator(s string) bool {
	return len(s) >= 3 && s[0] == '#' && s[1] == '#' && s[2] == '#'
}

// trimSpan returns the bounds of s[from:to] without surrounding blanks.
func trimSpan(s string, from, to int) (int, int) {
	for from < to && isSpace(s[from]) {
		from++
	}
	for to > from && isSpace(s[to-1]) {
		to--
	}
	return from, to
}

func isComment(s string, ts int) bool {
	return s[ts] == '#' || (s[ts] == '/' && ts+1 < len(s) && s[ts+1] == '/')
}

func (p *parser) markPre(off int) {
	if p.preStart < 0 {
		p.preStart = off
	}
}

func (p *parser) preLine(start, end, next int, hasEOL bool, ts, te int) {
	s := p.text[start:end]
	switch c := s[ts]; {
	case isComment(s, ts):
		p.markPre(start + ts)
		m, cm := p.commentLine(start, s, ts, te)
		if m != nil {
			p.meta = append(p.meta, m)
		} else {
			p.comments = append(p.comments, cm)
		}
		return
	case c == '/' && ts+1 < len(s) && s[ts+1] == '*':
		p.markPre(start + ts)
		cm := &Comment{Span: source.Span{Start: start + ts, End: start + te}}
		if i := strings.Index(s[ts+2:], "*/"); i >= 0 {
			cm.Span.End = start + ts + 2 + i + 2
			cm.Text = strings.TrimSpace(s[ts+2 : ts+2+i])
			p.comments = append(p.comments, cm)
			return
		}
		cm.Text = strings.TrimSpace(s[ts+2 : te])
		p.comments = append(p.comments, cm)
		p.openML(&multiline{kind: mlComment, closeTok: "*/", comment: cm}, next)
		return
	case c == '@':
		if v := p.varLine(start, s, ts, te); v != nil {
			p.markPre(start + ts)
			p.vars = append(p.vars, v)
			p.f.Vars = append(p.f.Vars, v)
			return
		}
	case c == '<' && ts+1 < len(s) && (isSpace(s[ts+1]) || s[ts+1] == '{'):
		p.markPre(start + ts)
		sc := p.scriptLine(start, end, next, ts, te, ts+1, false)
		p.preScripts = append(p.preScripts, sc)
		p.f.JetBrainsScripts = p.f.JetBrainsScripts || sc.Syntax == "{%"
		return
	case c == '{' && ts+1 < len(s) && s[ts+1] == '{' && !strings.Contains(s[ts:], "}}"):
		p.markPre(start + ts)
		sc := &Script{Span: source.Span{Start: start + ts, End: start + te}, Inline: true, Syntax: "{{"}
		p.preScripts = append(p.preScripts, sc)
		p.openScriptML(sc, "}}", next, false)
		return
	case c == 'H' && isResponseLine(s[ts:te]):
		p.state = stSkip
		return
	}
	if p.requestLine(start, end, next, hasEOL, ts, te, false) {
		return
	}
	if !p.hasStray {
		p.hasStray = true
		p.stray = source.Span{Start: start + ts, End: start + te}
	}
}

func isResponseLine(s string) bool {
	if !strings.HasPrefix(s, "HTTP/") || len(s) < 6 {
		return false
	}
	return s[5] >= '0' && s[5] <= '9'
}

// commentLine parses a `#` / `//` line into a Meta (for `# @key value`) or
// a Comment.
func (p *parser) commentLine(start int, s string, ts, te int) (*Meta, *Comment) {
	k := ts
	if s[k] == '#' {
		for k < te && s[k] == '#' {
			k++
		}
	} else {
		for k < te && s[k] == '/' {
			k++
		}
	}
	a := k
	for a < te && isSpace(s[a]) {
		a++
	}
	span := source.Span{Start: start + ts, End: start + te}
	if a < te && s[a] == '@' {
		b := a + 1
		for b < te && isKeyChar(s[b]) {
			b++
		}
		if b > a+1 && (b == te || isSpace(s[b]) || s[b] == '=') {
			v := b
			for v < te && isSpace(s[v]) {
				v++
			}
			if v < te && s[v] == '=' {
				v++
				for v < te && isSpace(s[v]) {
					v++
				}
			}
			m := grab(&p.a.metas)
			*m = Meta{
				Key:       s[a+1 : b],
				Value:     s[v:te],
				Span:      span,
				KeySpan:   source.Span{Start: start + a + 1, End: start + b},
				ValueSpan: source.Span{Start: start + v, End: start + te},
			}
			return m, nil
		}
	}
	c := grab(&p.a.cmts)
	*c = Comment{Text: s[a:te], Span: span}
	return nil, c
}

// plainComment reads a comment line as a Comment even when it has the
// metadata form (metadata counts only above the request line).
func (p *parser) plainComment(start int, s string, ts, te int) *Comment {
	m, cm := p.commentLine(start, s, ts, te)
	if cm != nil {
		return cm
	}
	return &Comment{Text: s[m.KeySpan.Start-1-start : te], Span: m.Span}
}

func isKeyChar(c byte) bool {
	return c == '_' || c == '-' || c == '.' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// varLine parses `@name = value` (also `@name=value` and httpyac's lazy
// `@name := value`); nil when the line is not one.
func (p *parser) varLine(start int, s string, ts, te int) *Var {
	a := ts + 1
	b := a
	for b < te && !isSpace(s[b]) && s[b] != '=' {
		b++
	}
	nameEnd := b
	if nameEnd > a && s[nameEnd-1] == ':' { // @name:=value
		nameEnd--
	}
	if nameEnd == a {
		return nil
	}
	k := b
	for k < te && isSpace(s[k]) {
		k++
	}
	if k < te && s[k] == ':' && nameEnd == b {
		k++
	}
	if k >= te || s[k] != '=' {
		return nil
	}
	k++
	for k < te && isSpace(s[k]) {
		k++
	}
	return &Var{
		Name:     s[a:nameEnd],
		Value:    p.a.template(s[k:te], start+k),
		Span:     source.Span{Start: start + ts, End: start + te},
		NameSpan: source.Span{Start: start + a, End: start + nameEnd},
	}
}

// scriptLine parses a `< {% … %}`, `> {% … %}`, `< ./file.js` or
// `> ./file.js` line; mark is the index just after `<` / `>`.
func (p *parser) scriptLine(start, end, next, ts, te, mark int, inReq bool) *Script {
	s := p.text[start:end]
	a := mark
	for a < te && isSpace(s[a]) {
		a++
	}
	sc := &Script{Span: source.Span{Start: start + ts, End: start + te}}
	if a+1 < te && s[a] == '{' && s[a+1] == '%' {
		sc.Inline = true
		sc.Syntax = "{%"
		if i := strings.Index(s[a+2:], "%}"); i >= 0 {
			sc.Span.End = start + a + 2 + i + 2
			return sc
		}
		p.openScriptML(sc, "%}", next, inReq)
		return sc
	}
	sc.Path = s[a:te]
	return sc
}

func (p *parser) openScriptML(sc *Script, tok string, next int, inReq bool) {
	p.openML(&multiline{kind: mlScript, closeTok: tok, script: sc, inReq: inReq}, next)
}

// openML starts a multi-line construct. When its closing token appears
// nowhere after next, it is unterminated and runs to the next `###` line.
func (p *parser) openML(ml *multiline, next int) {
	if next > len(p.text) || !strings.Contains(p.text[next:], ml.closeTok) {
		ml.closeTok = ""
		p.f.Problems = append(p.f.Problems, Problem{
			Span:    p.mlSpan(ml),
			Message: "unterminated " + mlName(ml) + ": it runs to the next ### line",
		})
		if ml.script != nil {
			ml.script.Unterminated = true
		}
	}
	p.ml = ml
}

func mlName(ml *multiline) string {
	switch {
	case ml.kind == mlComment:
		return "/* comment"
	case ml.script != nil && ml.script.Syntax == "{{":
		return "{{ script block"
	default:
		return "{% script block"
	}
}

func (p *parser) mlSpan(ml *multiline) source.Span {
	if ml.script != nil {
		return ml.script.Span
	}
	return ml.comment.Span
}

func (p *parser) mlEnd() int { return p.mlSpan(p.ml).End }

// closeIndex returns the index in s just past the multi-line construct's
// closing token, or -1.
func (p *parser) closeIndex(s string) int {
	tok := p.ml.closeTok
	if tok == "}}" {
		ts, _ := trimSpan(s, 0, len(s))
		if strings.HasPrefix(s[ts:], "}}") {
			return ts + 2
		}
		return -1
	}
	if i := strings.Index(s, tok); i >= 0 {
		return i + len(tok)
	}
	return -1
}

func (p *parser) extendML(end int) {
	if p.ml.script != nil {
		if end > p.ml.script.Span.End {
			p.ml.script.Span.End = end
		}
	} else if end > p.ml.comment.Span.End {
		p.ml.comment.Span.End = end
	}
	if p.ml.inReq && p.req != nil && end > p.lastEnd {
		p.lastEnd = end
	}
}

func (p *parser) closeML(end int) {
	p.extendML(end)
	p.ml = nil
}

// requestLine tries to read a request line. strict (for lines inside
// another request) wants an upper-case method and a URL-like target; the
// first line of a block may also be a bare URL or use a lower-case method.
func (p *parser) requestLine(start, end, next int, hasEOL bool, ts, te int, strict bool) bool {
	s := p.text[start:end]
	rl, ok := scanRequestLine(s, ts, te, strict)
	if !ok {
		return false
	}
	p.startRequest(start, end, next, hasEOL, ts, te, rl)
	return true
}

type reqLine struct {
	methodEnd  int // 0 when no method
	tStart     int
	tEnd       int
	vStart     int // -1 when no version
	vEnd       int
	methodWord string
}

var methods = map[string]bool{
	"GET": true, "POST": true, "PUT": true, "DELETE": true, "PATCH": true, "HEAD": true,
	"OPTIONS": true, "CONNECT": true, "TRACE": true, "PROPFIND": true, "PROPPATCH": true,
	"MKCOL": true, "COPY": true, "MOVE": true, "LOCK": true, "UNLOCK": true, "CHECKOUT": true,
	"CHECKIN": true, "REPORT": true, "MERGE": true, "MKACTIVITY": true, "MKWORKSPACE": true,
	"VERSION-CONTROL": true, "BASELINE-CONTROL": true, "QUERY": true,
	// JetBrains / httpyac protocols that share the request line.
	"GRAPHQL": true, "WEBSOCKET": true, "GRPC": true, "WS": true, "SSE": true, "MQTT": true, "AMQP": true,
}

func scanRequestLine(s string, ts, te int, strict bool) (reqLine, bool) {
	rl := reqLine{vStart: -1}
	// first word
	w := ts
	for w < te && !isSpace(s[w]) {
		w++
	}
	word := s[ts:w]
	methodOK := false
	if len(word) >= 2 && len(word) <= 16 && s[ts] >= 'A' && s[ts] <= 'z' {
		if methods[word] {
			methodOK = true
		} else if !strict {
			methodOK = methods[strings.ToUpper(word)]
		}
	}
	if methodOK && w < te {
		rl.methodEnd = w
		rl.methodWord = word
		rl.tStart = w
		for rl.tStart < te && isSpace(s[rl.tStart]) {
			rl.tStart++
		}
	} else {
		if strict {
			return rl, false
		}
		rl.tStart = ts
	}
	rl.tEnd = te
	// Trailing HTTP version.
	if k := strings.LastIndexAny(s[rl.tStart:te], " \t"); k >= 0 {
		v := rl.tStart + k + 1
		if hasPrefixFold(s[v:te], "HTTP/") {
			rl.vStart, rl.vEnd = v, te
			e := rl.tStart + k
			for e > rl.tStart && isSpace(s[e-1]) {
				e--
			}
			rl.tEnd = e
		}
	}
	target := s[rl.tStart:rl.tEnd]
	if target == "" {
		return rl, false
	}
	if rl.methodEnd == 0 || strict {
		// A bare URL must be one word that looks like a URL; a strict line
		// must point at a URL.
		if !looksLikeURL(target, rl.methodEnd == 0) {
			return rl, false
		}
	}
	return rl, true
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// looksLikeURL reports whether t reads as a request target: an absolute
// URL, a path, a `{{variable}}` start, or host[:port][/path]. oneWord also
// requires that t hold no blank outside `{{…}}`.
func looksLikeURL(t string, oneWord bool) bool {
	if oneWord && hasBlankOutsideBraces(t) {
		return false
	}
	switch {
	case strings.HasPrefix(t, "{{"), strings.HasPrefix(t, "/"):
		return true
	case hasPrefixFold(t, "http://"), hasPrefixFold(t, "https://"), hasPrefixFold(t, "ws://"), hasPrefixFold(t, "wss://"):
		return true
	case strings.Contains(t, "://"):
		return true
	}
	host := t
	if i := strings.IndexAny(host, "/?#"); i >= 0 {
		host = host[:i]
	}
	if i := strings.LastIndexByte(host, ':'); i > 0 {
		port := host[i+1:]
		for j := 0; j < len(port); j++ {
			if port[j] < '0' || port[j] > '9' {
				return false
			}
		}
		host = host[:i]
	}
	if host == "localhost" {
		return true
	}
	if !strings.Contains(host, ".") || strings.HasPrefix(host, ".") || strings.HasSuffix(host, ".") {
		return false
	}
	for i := 0; i < len(host); i++ {
		c := host[i]
		if !(c == '.' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z') {
			return false
		}
	}
	return true
}

func hasBlankOutsideBraces(t string) bool {
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case ' ', '\t':
			return true
		case '{':
			if i+1 < len(t) && t[i+1] == '{' {
				if j := strings.Index(t[i+2:], "}}"); j >= 0 {
					i += 2 + j + 1
				}
			}
		}
	}
	return false
}

func (p *parser) startRequest(start, end, next int, hasEOL bool, ts, te int, rl reqLine) {
	if len(p.f.Requests) >= MaxRequests {
		p.f.Problems = append(p.f.Problems, Problem{
			Span:    source.Span{Start: start + ts, End: start + te},
			Message: "more than " + thousands(MaxRequests) + " requests in one file: this request and the rest of the file are not read (the limit of requests per file)",
		})
		p.stop = true
		return
	}
	s := p.text[start:end]
	r := p.a.newRequest()
	r.LineSpan = source.Span{Start: start + ts, End: start + te}
	r.Meta, r.Comments, r.Vars = p.meta, p.comments, p.vars
	r.PreScripts = p.preScripts
	switch {
	case p.sep != nil:
		r.Separator = p.sep
		r.Span.Start = p.sep.Span.Start
	case p.preStart >= 0:
		r.Span.Start = p.preStart
	default:
		r.Span.Start = start + ts
	}
	if rl.methodEnd > 0 {
		r.Method = strings.ToUpper(rl.methodWord)
		r.MethodSpan = source.Span{Start: start + ts, End: start + rl.methodEnd}
	} else {
		r.Method = "GET"
		r.MethodSpan = source.Span{Start: start + rl.tStart, End: start + rl.tStart}
	}
	r.Target = p.a.template(s[rl.tStart:rl.tEnd], start+rl.tStart)
	r.TargetSpan = r.Target.Span
	if rl.vStart >= 0 {
		r.Version = s[rl.vStart:rl.vEnd]
		r.VersionSpan = source.Span{Start: start + rl.vStart, End: start + rl.vEnd}
	}
	for _, m := range r.Meta {
		if m.Key == "name" && m.Value != "" {
			r.Name, r.NameSpan = m.Value, m.ValueSpan
		}
	}
	if r.Name == "" && p.sep != nil && p.sep.Title != "" {
		r.Name, r.NameSpan = p.sep.Title, p.sep.TitleSpan
	}
	r.EOL = p.lineEOL(end)
	p.setInsert(r, next, hasEOL)
	p.req = r
	p.lastEnd = start + te
	p.bodyStart = -1
	p.bodyFileLines = nil
	p.bodyOtherLines = 0
	p.state = stURL
	p.f.Requests = append(p.f.Requests, r)
	p.resetPreamble()
}

func (p *parser) resetPreamble() {
	p.preStart = -1
	p.meta, p.comments, p.vars, p.preScripts = nil, nil, nil, nil
	p.hasStray = false
}

func (p *parser) setInsert(r *Request, next int, hasEOL bool) {
	if hasEOL {
		r.HeaderInsert, r.HeaderInsertNeedsEOL = next, false
	} else {
		r.HeaderInsert, r.HeaderInsertNeedsEOL = len(p.text), true
	}
}

func (p *parser) queryLine(start, next int, hasEOL bool, ts, te int) {
	r := p.req
	s := p.text[start+ts : start+te]
	span := source.Span{Start: start + ts, End: start + te}
	l := grab(&p.a.lines)
	*l = Line{Text: s, Span: span}
	r.QueryLines = append(r.QueryLines, l)
	t := &r.Target // its Raw gets the query lines in finishRequest
	t.Refs = appendRefs(nil, t.Refs, s, 0, span.Start)
	p.setInsert(r, next, hasEOL)
	p.lastEnd = start + te
}

func (p *parser) headerLine(start, end, next int, hasEOL bool, ts, te int) {
	s := p.text[start:end]
	r := p.req
	if isComment(s, ts) {
		if p.opts.SplitOnRequestLines {
			p.pend(start, s, ts, te)
			return
		}
		r.Comments = append(r.Comments, p.plainComment(start, s, ts, te))
		p.lastEnd = start + te
		return
	}
	if p.postMarker(s, ts, te) {
		p.state = stPost
		p.postLine(start, end, next, hasEOL, ts, te)
		return
	}
	if p.suspect(start, end, next, hasEOL, ts, te) {
		return
	}
	p.flushPending(false)
	if h := p.parseHeader(s, start, ts, te); h != nil {
		p.hdrs = append(p.hdrs, h)
		p.setInsert(r, next, hasEOL)
		p.lastEnd = start + te
		return
	}
	if strings.HasPrefix(s[ts:], "...") { // httpyac header spread `...defaultHeaders`
		p.setInsert(r, next, hasEOL)
		p.lastEnd = start + te
		return
	}
	// Not a header: as httpyac reads it, the body starts here.
	p.state = stBody
	p.bodyLine(start, end, next, hasEOL, ts, te)
}

// parseHeader reads `Name: value`; nil when the line is not a header.
func (p *parser) parseHeader(s string, start, ts, te int) *Header {
	colon := strings.IndexByte(s[ts:te], ':')
	if colon <= 0 {
		return nil
	}
	colon += ts
	ne := colon
	for ne > ts && isSpace(s[ne-1]) {
		ne--
	}
	for i := ts; i < ne; i++ {
		if !isTokenChar(s[i]) {
			return nil
		}
	}
	vs := colon + 1
	for vs < te && isSpace(s[vs]) {
		vs++
	}
	h := p.a.newHeader()
	*h = Header{
		Name:      s[ts:ne],
		Value:     p.a.template(s[vs:te], start+vs),
		Span:      source.Span{Start: start + ts, End: start + te},
		NameSpan:  source.Span{Start: start + ts, End: start + ne},
		ValueSpan: source.Span{Start: start + vs, End: start + te},
	}
	if len(h.Name) == len("authorization") && strings.EqualFold(h.Name, "authorization") {
		parseAuth(h)
	}
	return h
}

// isTokenChar reports whether c may appear in an HTTP header name (RFC 9110
// token).
func isTokenChar(c byte) bool {
	if c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' {
		return true
	}
	switch c {
	case '!', '#', '$', '%', '&', '\'', '*', '+', '-', '.', '^', '_', '`', '|', '~':
		return true
	}
	return false
}

// postMarker reports whether the line is a response handler (`> {% %}`,
// `> ./h.js`), an output redirect (`>> f`, `>>! f`) or a response
// reference (`<> f`).
func (p *parser) postMarker(s string, ts, te int) bool {
	switch s[ts] {
	case '>':
		return ts+1 < te && (isSpace(s[ts+1]) || s[ts+1] == '{' || s[ts+1] == '>')
	case '<':
		return ts+1 < te && s[ts+1] == '>'
	}
	return false
}

// suspect handles a request line inside a request: a new request in split
// mode, else a SuspectRequestLine. It reports whether the line was one.
func (p *parser) suspect(start, end, next int, hasEOL bool, ts, te int) bool {
	if ts != 0 {
		return false
	}
	s := p.text[start:end]
	if c := s[0]; c < 'A' || c > 'Z' {
		return false
	}
	rl, ok := scanRequestLine(s, ts, te, true)
	if !ok {
		return false
	}
	if p.opts.SplitOnRequestLines {
		// Pending comment lines belong to the new request.
		pendStart, pendMeta, pendComments := p.pendStart, p.pendMeta, p.pendComments
		p.clearPending()
		p.finishRequest()
		p.sep = nil
		p.resetPreamble()
		if pendStart >= 0 {
			p.preStart = pendStart
			p.meta, p.comments = pendMeta, pendComments
		}
		p.startRequest(start, end, next, hasEOL, ts, te, rl)
		return true
	}
	p.req.SuspectRequestLines = append(p.req.SuspectRequestLines, &Line{
		Text: s[ts:te], Span: source.Span{Start: start + ts, End: start + te},
	})
	p.lastEnd = start + te
	return true
}

// pend holds a comment line in split mode: it belongs to the next request
// when a request line follows, else to this one.
func (p *parser) pend(start int, s string, ts, te int) {
	if p.pendStart < 0 {
		p.pendStart = start + ts
	}
	m, cm := p.commentLine(start, s, ts, te)
	if m != nil {
		p.pendMeta = append(p.pendMeta, m)
	} else {
		p.pendComments = append(p.pendComments, cm)
	}
}

// flushPending gives pending comment lines to the current request.
func (p *parser) flushPending(body bool) {
	if p.pendStart < 0 {
		return
	}
	r := p.req
	for _, m := range p.pendMeta {
		r.Comments = append(r.Comments, &Comment{Text: p.text[m.KeySpan.Start-1 : m.Span.End], Span: m.Span})
		p.lastEnd = max(p.lastEnd, m.Span.End)
	}
	for _, c := range p.pendComments {
		r.Comments = append(r.Comments, c)
		p.lastEnd = max(p.lastEnd, c.Span.End)
	}
	if body && p.bodyStart < 0 {
		p.bodyStart = p.pendStart
	}
	p.clearPending()
}

func (p *parser) clearPending() {
	p.pendStart = -1
	p.pendMeta, p.pendComments = nil, nil
}

func (p *parser) bodyLine(start, end, next int, hasEOL bool, ts, te int) {
	s := p.text[start:end]
	if p.postMarker(s, ts, te) {
		p.state = stPost
		p.postLine(start, end, next, hasEOL, ts, te)
		return
	}
	if ts == 0 && len(s) >= 2 && s[0] == '{' && s[1] == '{' && !strings.Contains(s, "}}") {
		p.state = stPost
		p.postLine(start, end, next, hasEOL, ts, te)
		return
	}
	if p.opts.SplitOnRequestLines && isComment(s, ts) {
		p.pend(start, s, ts, te)
		return
	}
	if p.suspect(start, end, next, hasEOL, ts, te) {
		if !p.opts.SplitOnRequestLines {
			// REST Client and JetBrains send the line as body text.
			if p.bodyStart < 0 {
				p.bodyStart = start
			}
			p.bodyEnd = start + te
			p.bodyOtherLines++
		}
		return
	}
	p.flushPending(true)
	if p.bodyStart < 0 {
		p.bodyStart = start + ts
		if ts > 0 {
			p.bodyStart = start // keep the indentation of the first line
		}
	}
	p.bodyEnd = start + te
	p.lastEnd = start + te
	if s[ts] == '<' && ts+1 < te {
		if l := fileRefLine(s, start, ts, te); l != nil {
			p.bodyFileLines = append(p.bodyFileLines, l)
			return
		}
	}
	if s[ts] == '@' {
		// REST Client reads `@name = value` anywhere in the file as a file
		// variable.
		if v := p.varLine(start, s, ts, te); v != nil {
			p.f.Vars = append(p.f.Vars, v)
		}
	}
	p.bodyOtherLines++
}

// fileRefLine reads `< ./file`, `<@ ./file`, `<@latin1 ./file`; the Line
// holds the path.
func fileRefLine(s string, start, ts, te int) *Line {
	k := ts + 1
	if k < te && s[k] == '@' {
		k++
		for k < te && isKeyChar(s[k]) {
			k++
		}
	}
	if k >= te || !isSpace(s[k]) {
		return nil
	}
	for k < te && isSpace(s[k]) {
		k++
	}
	if k >= te {
		return nil
	}
	return &Line{Text: s[k:te], Span: source.Span{Start: start + k, End: start + te}}
}

func (p *parser) postLine(start, end, next int, hasEOL bool, ts, te int) {
	s := p.text[start:end]
	r := p.req
	switch {
	case s[ts] == '<' && ts+1 < te && s[ts+1] == '>':
		if l := pathAfter(s, start, ts+2, te); l != nil {
			r.ResponseRefs = append(r.ResponseRefs, l)
		}
	case s[ts] == '>' && ts+1 < te && s[ts+1] == '>':
		k := ts + 2
		if k < te && s[k] == '!' {
			k++
		}
		if l := pathAfter(s, start, k, te); l != nil {
			r.Redirects = append(r.Redirects, l)
		}
	case s[ts] == '>':
		sc := p.scriptLine(start, end, next, ts, te, ts+1, true)
		r.PostScripts = append(r.PostScripts, sc)
		p.f.JetBrainsScripts = p.f.JetBrainsScripts || sc.Syntax == "{%"
	case s[ts] == '{' && ts+1 < te && s[ts+1] == '{' && !strings.Contains(s[ts:], "}}"):
		sc := &Script{Span: source.Span{Start: start + ts, End: start + te}, Inline: true, Syntax: "{{"}
		r.PostScripts = append(r.PostScripts, sc)
		p.openScriptML(sc, "}}", next, true)
	case isComment(s, ts):
		if p.opts.SplitOnRequestLines {
			p.pend(start, s, ts, te)
			return
		}
		r.Comments = append(r.Comments, p.plainComment(start, s, ts, te))
	default:
		if p.suspect(start, end, next, hasEOL, ts, te) {
			return
		}
	}
	p.flushPending(false)
	p.lastEnd = max(p.lastEnd, start+te)
}

func pathAfter(s string, start, k, te int) *Line {
	for k < te && isSpace(s[k]) {
		k++
	}
	if k >= te {
		return nil
	}
	return &Line{Text: s[k:te], Span: source.Span{Start: start + k, End: start + te}}
}

// finishRequest completes the current request (body, span).
func (p *parser) finishRequest() {
	r := p.req
	if r == nil {
		return
	}
	if p.pendStart >= 0 {
		p.flushPending(false)
	}
	if p.ml != nil && p.ml.inReq {
		p.lastEnd = max(p.lastEnd, p.mlEnd())
	}
	r.Headers = clip(p.hdrs)
	p.hdrs = p.hdrs[:0]
	if len(r.QueryLines) > 0 && len(r.Target.Raw) == r.TargetSpan.Len() {
		n := len(r.Target.Raw)
		for _, l := range r.QueryLines {
			n += len(l.Text)
		}
		var b strings.Builder
		b.Grow(n)
		b.WriteString(r.Target.Raw)
		for _, l := range r.QueryLines {
			b.WriteString(l.Text)
		}
		r.Target.Raw = b.String()
	}
	if p.bodyStart >= 0 && p.bodyEnd > p.bodyStart {
		b := &Body{
			Span: source.Span{Start: p.bodyStart, End: p.bodyEnd},
			Text: p.a.template(p.text[p.bodyStart:p.bodyEnd], p.bodyStart),
		}
		switch {
		case len(p.bodyFileLines) == 1 && p.bodyOtherLines == 0:
			b.Kind = BodyFile
			l := p.bodyFileLines[0]
			b.File = p.a.template(l.Text, l.Span.Start)
		case len(p.bodyFileLines) > 0 || isMultipart(r):
			b.Kind = BodyMultipart
			b.Parts = p.bodyFileLines
		}
		r.Body = b
		p.lastEnd = max(p.lastEnd, p.bodyEnd)
	}
	r.Span.End = max(p.lastEnd, r.LineSpan.End)
	p.req = nil
	p.bodyStart = -1
	p.bodyFileLines = nil
	p.bodyOtherLines = 0
}

func isMultipart(r *Request) bool {
	for _, h := range r.Headers {
		if strings.EqualFold(h.Name, "content-type") && hasPrefixFold(strings.TrimSpace(h.Value.Raw), "multipart/") {
			return true
		}
	}
	return false
}

// endBlock finishes the block at a separator or the end of the file.
func (p *parser) endBlock() {
	if p.ml != nil {
		if p.ml.closeTok != "" { // unterminated although a closer exists later
			p.f.Problems = append(p.f.Problems, Problem{
				Span:    p.mlSpan(p.ml),
				Message: "unterminated " + mlName(p.ml),
			})
			if p.ml.script != nil {
				p.ml.script.Unterminated = true
			}
		}
		p.ml = nil
	}
	if p.req == nil && p.hasStray {
		p.f.Problems = append(p.f.Problems, Problem{
			Span:    p.stray,
			Message: "text that is no request line: a request starts with `METHOD URL` or a URL",
		})
	}
	p.finishRequest()
	p.clearPending()
	p.resetPreamble()
	p.sep = nil
	p.state = stPre
}

// Header returns the first header with that name (case-insensitive), or nil.
func (r *Request) Header(name string) *Header {
	for _, h := range r.Headers {
		if strings.EqualFold(h.Name, name) {
			return h
		}
	}
	return nil
}
