// Package httpfile parses .http / .rest request files in the dialects of VS
// Code REST Client, JetBrains HTTP Client, httpyac and kulala into one model
// in which every token keeps its byte span.
//
// The parser never fails: a file that ends mid-request, binary garbage, CRLF,
// a BOM or tabs all give a File, with Problems for what could not be read.
// Handler scripts ({% %}) are kept as opaque spans and never run.
package httpfile

import (
	"strings"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// File is a parsed request file.
type File struct {
	Src *source.File
	// Vars are all variable definitions (`@name = value`) in file order:
	// those of variable-only blocks and between requests, those above a
	// request line (also in that Request.Vars) and, as REST Client reads
	// them, those written inside a body.
	Vars     []*Var
	Requests []*Request
	// Problems are syntax problems worth telling the user; parsing went on.
	Problems []Problem
	// JetBrainsScripts is true when the file uses `< {% %}` / `> {% %}`
	// handler blocks (JetBrains / httpyac syntax).
	JetBrainsScripts bool
	// Binary is true when the text is not a request file at all (NUL bytes,
	// invalid UTF-8 in bulk); Requests is then empty.
	Binary bool
	// Separators are all `###` lines in file order, including those of
	// blocks that hold no request (variable-only blocks).
	Separators []*Separator
	// BOM is true when the text starts with a UTF-8 byte order mark; all
	// spans still count it (the first token starts at offset 3).
	BOM bool

	// firstVar indexes Vars by name (the first definition), built by the
	// parser for files with many variables; varsIndexed is len(Vars) then.
	firstVar    map[string]int
	varsIndexed int
}

// minIndexedVars is the number of file variables from which the parser
// indexes them by name.
const minIndexedVars = 16

func (f *File) indexVars() {
	if len(f.Vars) < minIndexedVars {
		return
	}
	f.firstVar = map[string]int{} // few names, however many definitions
	for i, v := range f.Vars {
		if _, ok := f.firstVar[v.Name]; !ok {
			f.firstVar[v.Name] = i
		}
	}
	f.varsIndexed = len(f.Vars)
}

// FileVar returns the first definition of the file variable name (REST
// Client uses the first), or nil.
func (f *File) FileVar(name string) *Var {
	if f.firstVar != nil && f.varsIndexed == len(f.Vars) {
		if i, ok := f.firstVar[name]; ok {
			return f.Vars[i]
		}
		return nil
	}
	for _, v := range f.Vars {
		if v.Name == name {
			return v
		}
	}
	return nil
}

// Problem is a syntax problem at a span.
type Problem struct {
	Span    source.Span
	Message string
}

// Var is a file variable definition `@name = value`.
type Var struct {
	Name     string
	Value    Template    // the raw value, may reference other variables
	Span     source.Span // the whole line, without terminator
	NameSpan source.Span
}

// Request is one request of the file.
type Request struct {
	// Span covers the request from its first comment/metadata line (or the
	// separator) to the end of its body, without the next separator.
	Span source.Span
	// Separator is the `###` line that starts this request, if any.
	Separator *Separator
	// Name is from `# @name x` / `// @name x`, else the separator's title.
	Name     string
	NameSpan source.Span
	// Meta are `# @key value` / `// @key value` lines above the request line,
	// in order (`@name`, `@no-redirect`, `@api orders`, …).
	Meta []*Meta
	// Comments are the other comment lines above the request line, including
	// suppression comments (`# gw403-ignore: GW101`), then the comment
	// lines among the headers and after the body (where `# @key` lines are
	// plain comments), in file order.
	Comments []*Comment
	// Vars are request-scoped variable definitions written above the
	// request line (httpyac and kulala allow them).
	Vars []*Var

	Method     string      // upper case as written; "GET" when omitted
	MethodSpan source.Span // empty (at the target's start) when omitted
	// Target is the URL as written on the request line plus its query
	// continuation lines, without the HTTP version.
	Target     Template
	TargetSpan source.Span // span of the URL on the request line
	// QueryLines are continuation lines (`    ?a=b`, `    &c=d`, and the
	// JetBrains / httpyac indented path parts `    /api`), trimmed; Target
	// appends them. See TargetOffset.
	QueryLines  []*Line
	Version     string // "HTTP/1.1" etc., "" when absent
	VersionSpan source.Span
	// LineSpan is the request line without its terminator.
	LineSpan source.Span

	Headers []*Header
	// HeaderInsert is the byte offset at which a new header line can be
	// inserted: the start of the line after the last header (or after the
	// request line / last query line). When that line does not exist (the
	// file ends there without a terminator), HeaderInsertNeedsEOL is true
	// and an inserted line must start with the file's line terminator.
	HeaderInsert         int
	HeaderInsertNeedsEOL bool
	// EOL is the file's line terminator at the request line ("\n" or "\r\n").
	EOL string

	Body *Body

	// PreScripts and PostScripts are handler blocks: `< {% … %}` or
	// `< ./script.js` before the request, `> {% … %}` / `> ./file.js` after
	// the body. Never run.
	PreScripts  []*Script
	PostScripts []*Script
	// ResponseRefs are `<> ./response.json` lines.
	ResponseRefs []*Line
	// Redirects are JetBrains output redirections `>> ./out.json` and
	// `>>! ./out.json`.
	Redirects []*Line

	// SuspectRequestLines are lines inside this request's headers or body
	// that look like a request line (`METHOD https://…`). REST Client and
	// JetBrains need `###` between requests, so they send such a line as a
	// header or body text; httpyac starts a new request there (see
	// Options.SplitOnRequestLines). Rule GW002 reports them.
	SuspectRequestLines []*Line
}

// Separator is a `###` line.
type Separator struct {
	Span      source.Span
	Title     string // text after ###, trimmed
	TitleSpan source.Span
}

// Meta is a `# @key value` line.
type Meta struct {
	Key       string // without the @
	Value     string // trimmed, may be empty
	Span      source.Span
	KeySpan   source.Span
	ValueSpan source.Span
}

// Comment is a `#` or `//` comment line.
type Comment struct {
	Text string // after the comment marker, trimmed
	Span source.Span
}

// Line is a line with its content span.
type Line struct {
	Text string
	Span source.Span
}

// Header is one header line.
type Header struct {
	Name      string
	Value     Template
	Span      source.Span // the line without terminator
	NameSpan  source.Span
	ValueSpan source.Span
	// AWS is set for the REST Client / httpyac dialect signing line
	// `Authorization: AWS <id> <secret> [token:…] [region:…] [service:…]`.
	AWS *AWSAuth
	// Basic / Digest dialect lines `Authorization: Basic user pass`.
	Basic *BasicAuth
}

// AWSAuth is the dialect SigV4 signing line.
type AWSAuth struct {
	AccessKeyID Token
	Secret      Token
	// Options in the order written: token:, region:, service:, or unknown.
	Options []*AWSOption
	// Extra are words that are neither credentials nor known options.
	Extra []Token
}

// Option returns the option with that key ("token", "region", "service").
func (a *AWSAuth) Option(key string) *AWSOption {
	for _, o := range a.Options {
		if o.Key == key {
			return o
		}
	}
	return nil
}

// AWSOption is one `key:value` word of the signing line.
type AWSOption struct {
	Key   string
	Value Token
	Span  source.Span // the whole `key:value` word
	// SpaceAfterColon is true for `region: us-east-1`, which REST Client
	// reads as an empty value.
	SpaceAfterColon bool
}

// BasicAuth is `Authorization: Basic <user> <password>` or
// `Authorization: Basic <user>:<password>`, or Digest likewise.
type BasicAuth struct {
	Scheme   string // "Basic" or "Digest"
	User     Token
	Password Token
}

// Token is a word with its span.
type Token struct {
	Text Template
	Span source.Span
}

// BodyKind tells how a body is given.
type BodyKind int

const (
	BodyInline BodyKind = iota
	BodyFile            // `< ./file.json` (or `<@ ./file` with variables)
	BodyMultipart
)

// Body is a request body.
type Body struct {
	Kind BodyKind
	Span source.Span
	// File is the referenced path for BodyFile (as written).
	File Template
	// Parts are multipart parts' file references, for BodyMultipart.
	Parts []*Line
	// Text is the body as written (all of Span), with its variable
	// references (for BodyFile the `< path` line itself).
	Text Template
}

// Script is a handler block, kept opaque.
type Script struct {
	Span   source.Span
	Inline bool   // `{% … %}` or an httpyac `{{ … }}` block
	Path   string // for `< ./script.js`
	// Syntax is "{%" for JetBrains handler blocks, "{{" for httpyac
	// script blocks and "" for a script file reference.
	Syntax string
	// Unterminated is true when the block never closes; it then runs to
	// the end of the file (or of the request block).
	Unterminated bool
}

// Template is text that may contain `{{…}}` variable references.
type Template struct {
	Raw  string
	Span source.Span
	Refs []*VarRef
}

// TargetOffset maps a byte index into Target.Raw (0 ≤ i ≤ len(Raw)) to a
// byte offset in the source file. Target.Raw is the request line's URL
// followed by the trimmed query continuation lines, so it is not one
// contiguous slice of the source when QueryLines is not empty.
func (r *Request) TargetOffset(i int) int {
	if i < r.TargetSpan.Len() || len(r.QueryLines) == 0 {
		return r.TargetSpan.Start + min(max(i, 0), r.TargetSpan.Len())
	}
	off := r.TargetSpan.Len()
	for k, q := range r.QueryLines {
		if i < off+q.Span.Len() || k == len(r.QueryLines)-1 {
			return q.Span.Start + min(i-off, q.Span.Len())
		}
		off += q.Span.Len()
	}
	return r.TargetSpan.End
}

// HasRefs reports whether the text contains any variable reference.
func (t Template) HasRefs() bool { return len(t.Refs) > 0 }

// VarKind classifies a `{{…}}` reference.
type VarKind uint8

const (
	VarUser       VarKind = iota // {{name}}: file, request or environment variable
	VarSystem                    // {{$guid}}, {{$timestamp}}, {{$randomInt 1 2}}, {{$datetime …}} …
	VarProcessEnv                // {{$processEnv NAME}} (REST Client) / {{$env.NAME}} (JetBrains)
	VarDotenv                    // {{$dotenv NAME}}
	VarShell                     // {{$shell …}}-style: never evaluated
	VarRequest                   // {{login.response.body.$.token}}: a named request's response
	VarExpr                      // anything else (httpyac JavaScript expressions): never evaluated
	VarShared                    // {{$shared name}} (REST Client): a variable of the $shared environment
)

var varKindNames = [...]string{"user", "system", "processEnv", "dotenv", "shell", "request", "expr", "shared"}

func (k VarKind) String() string {
	if int(k) >= 0 && int(k) < len(varKindNames) {
		return varKindNames[k]
	}
	return "VarKind(?)"
}

// VarRef is one `{{…}}` reference.
type VarRef struct {
	// Name is the variable name for VarUser; the environment variable for
	// VarProcessEnv / VarDotenv (a leading % for REST Client's
	// indirection is kept); the function for VarSystem ("$guid"); the
	// request name for VarRequest; the variable for VarShared.
	Name string
	Span source.Span // from {{ to }}
	// Inner is the text between the braces, trimmed.
	Inner string
	Kind  VarKind
}

// Args returns the words after the name: `{{$randomInt 1 5}}` → [1 5],
// `{{$datetime iso8601 1 d}}` → [iso8601 1 d], `{{$random.integer(1, 10)}}`
// → [1 10]. For $processEnv, $dotenv
// and $shared, the words after the variable name.
func (r *VarRef) Args() []string {
	if r.Kind == VarSystem {
		// JetBrains call syntax: $random.integer(1, 10) → [1 10].
		if i := strings.IndexByte(r.Inner, '('); i > 0 && i == len(r.Name) {
			in := strings.TrimSuffix(strings.TrimSpace(r.Inner[i+1:]), ")")
			if strings.TrimSpace(in) == "" {
				return nil
			}
			args := strings.Split(in, ",")
			for k := range args {
				args[k] = strings.TrimSpace(args[k])
			}
			return args
		}
	}
	words := strings.Fields(r.Inner)
	skip := 0
	switch r.Kind {
	case VarSystem, VarShell:
		skip = 1
	case VarProcessEnv, VarDotenv, VarShared:
		if strings.HasPrefix(r.Inner, "$env.") {
			return nil
		}
		skip = 2
	default:
		return nil
	}
	if len(words) <= skip {
		return nil
	}
	return words[skip:]
}
