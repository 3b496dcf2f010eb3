package workspace

import (
	"context"
	"fmt"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// Environments returns the environment names that apply to the request
// file at path (every environment of the workspace for other files),
// sorted.
func (w *Workspace) Environments(path string) []string {
	path = filepath.Clean(path)
	snap := w.snapshot(context.Background())
	if kind, _ := classifyName(path); kind == link.KindHTTP {
		src, err := w.Source(path)
		if err != nil {
			return nil
		}
		names := append([]string(nil), w.httpData(snap, path, src).EnvNames...)
		sort.Strings(names)
		return names
	}
	return snap.AllEnvNames()
}

// requestAt returns the request of a request file that contains off.
func requestAt(f *httpfile.File, off int) *httpfile.Request {
	for _, r := range f.Requests {
		start := r.Span.Start
		if r.Separator != nil {
			start = r.Separator.Span.Start
		}
		if off >= start && off <= r.Span.End {
			return r
		}
	}
	return nil
}

// Hover returns what is known at byte offset off of path, or nil: on a
// request, the API it links to and its URL per environment; on a finding,
// its message, the predicted answer and a link to the rule's documentation.
func (w *Workspace) Hover(ctx context.Context, path string, off int) (*Hover, error) {
	path = filepath.Clean(path)
	src, err := w.Source(path)
	if err != nil {
		return nil, nil
	}
	diags, err := w.Check(ctx, path)
	if err != nil {
		return nil, err
	}
	var en, ja strings.Builder
	span := source.Span{Start: off, End: off}
	for _, d := range diags {
		if d.Path != path || !(d.Span.Contains(off) || d.Span.Start <= off && off <= d.Span.End) {
			continue
		}
		span = d.Span
		writeDiagHover(&en, d, "en")
		writeDiagHover(&ja, d, "ja")
	}
	if kind, _ := classifyName(path); kind == link.KindHTTP {
		snap := w.snapshot(ctx)
		fd := w.httpData(snap, path, src)
		if req := requestAt(fd.HTTP, off); req != nil && lineOf(src, off) == lineOf(src, req.LineSpan.Start) {
			span = req.LineSpan
			w.writeRequestHover(&en, &ja, snap, fd, req)
		}
	}
	if en.Len() == 0 {
		return nil, nil
	}
	return &Hover{Span: span, Markdown: msg.Text{EN: strings.TrimSpace(en.String()), JA: strings.TrimSpace(ja.String())}}, nil
}

func lineOf(src *source.File, off int) int { return src.LineOf(off) }

func writeDiagHover(b *strings.Builder, d analyzer.Diagnostic, lang string) {
	r := analyzer.Lookup(d.Code)
	fmt.Fprintf(b, "**%s %s** — %s\n\n", d.Code, d.Slug, escapeMD(d.Message.In(lang)))
	if d.ErrorType != "" {
		if lang == "ja" {
			fmt.Fprintf(b, "予測される応答: `%d %s`\n\n", d.Status, d.ErrorType)
		} else {
			fmt.Fprintf(b, "Predicted answer: `%d %s`\n\n", d.Status, d.ErrorType)
		}
	}
	// Short, as ESLint's and ruff's: the message, the predicted answer and a
	// link; the rule's whole document is one click away.
	if r != nil {
		if lang == "ja" {
			fmt.Fprintf(b, "[ルールの説明: %s %s](%s)\n\n---\n\n", r.Code, r.Slug, r.DocURL())
		} else {
			fmt.Fprintf(b, "[rule docs: %s %s](%s)\n\n---\n\n", r.Code, r.Slug, r.DocURL())
		}
	}
}

// escapeMD keeps user text from being read as markdown emphasis.
func escapeMD(s string) string {
	return strings.NewReplacer("*", `\*`, "_", `\_`, "<", "&lt;").Replace(s)
}

// writeRequestHover describes the API a request links to, per environment.
func (w *Workspace) writeRequestHover(en, ja *strings.Builder, snap *link.Snapshot, fd *link.FileData, req *httpfile.Request) {
	envs := w.envsFor(snap, fd)
	type row struct{ env, url, api string }
	var rows []row
	var first *link.RequestContext
	for _, e := range envs {
		rc := link.BuildRequestContext(snap, fd, req, e)
		if first == nil {
			first = rc
		}
		rows = append(rows, row{e, rc.URL.Exp.Display(), linkSummary(rc).EN})
		if !rc.EnvDependent {
			break
		}
	}
	if first == nil {
		return
	}
	write := func(b *strings.Builder, lang string) {
		fmt.Fprintf(b, "**%s** `%s`\n\n", req.Method, first.URL.Exp.Display())
		rc := first
		if rc.Link == nil {
			b.WriteString(escapeMD(rc.LinkWhy().In(lang)) + "\n\n")
		} else {
			b.WriteString(linkSummary(rc).In(lang) + "\n\n")
			if def := routeDefinition(snap, rc.Link.Route); def != "" {
				if lang == "ja" {
					b.WriteString("定義: " + def + "\n\n")
				} else {
					b.WriteString("Defined at " + def + "\n\n")
				}
			}
			b.WriteString("_" + escapeMD(rc.Link.Reason().In(lang)) + "_\n\n")
		}
		if len(rows) > 1 || rows[0].env != "" {
			if lang == "ja" {
				b.WriteString("| 環境 | URL |\n|---|---|\n")
			} else {
				b.WriteString("| env | URL |\n|---|---|\n")
			}
			for _, r := range rows {
				name := r.env
				if name == "" {
					name = "—"
				}
				fmt.Fprintf(b, "| %s | `%s` |\n", name, strings.ReplaceAll(r.url, "|", `\|`))
			}
			b.WriteString("\n")
		}
	}
	if en.Len() > 0 {
		en.WriteString("---\n\n")
		ja.WriteString("---\n\n")
	}
	write(en, "en")
	write(ja, "ja")
}

// linkSummary is one line: API, stage, route and auth.
func linkSummary(rc *link.RequestContext) msg.Text {
	l := rc.Link
	if l == nil {
		return msg.Text{}
	}
	var parts []msg.Text
	if l.API != nil {
		parts = append(parts, msg.T("API **%s** (%s, %s)", "API **%s** (%s, %s)", l.API.Name, l.API.Kind, filepath.Base(l.API.File)))
	} else if l.Domain != nil {
		parts = append(parts, msg.T("custom domain **%s**", "カスタムドメイン名 **%s**", l.Domain.Name.S))
	}
	if l.Stage != nil {
		parts = append(parts, msg.T("stage `%s`", "ステージ `%s`", l.Stage.Name))
	}
	if l.Route != nil {
		parts = append(parts, msg.T("route `%s %s`", "ルート `%s %s`", l.Route.Method, l.Route.Path), authSummary(l.Route.Auth))
	} else if l.API != nil {
		parts = append(parts, msg.T("no route matches `%s`", "`%s` に一致するルートなし", l.ResourcePath()))
	}
	var out msg.Text
	for i, p := range parts {
		if i == 0 {
			out = p
			continue
		}
		out = msg.T("%s · %s", "%s · %s", out, p)
	}
	return out
}

func authSummary(a apimodel.Auth) msg.Text {
	var s string
	switch a.Type {
	case apimodel.AuthNone:
		s = "NONE"
	case apimodel.AuthUnknown:
		s = "?"
	default:
		s = string(a.Type)
		if a.Authorizer != nil && a.Authorizer.Name != "" {
			s += " (" + a.Authorizer.Name + ")"
		}
	}
	if a.APIKeyRequired {
		return msg.T("auth: %s, API key required", "認可: %s、API キー必須", s)
	}
	return msg.T("auth: %s", "認可: %s", s)
}

// Links returns document links of path: each linked request's URL to the
// template route that serves it.
func (w *Workspace) Links(ctx context.Context, path string) ([]DocLink, error) {
	snap, fd := w.requestFile(ctx, path)
	if fd == nil {
		return nil, nil
	}
	envs := w.envsFor(snap, fd)
	var out []DocLink
	for _, req := range fd.HTTP.Requests {
		if ctx.Err() != nil {
			return nil, ctx.Err()
		}
		rc := link.BuildRequestContext(snap, fd, req, envs[0])
		if rc.Link == nil || rc.Link.Route == nil || rc.Link.Route.Loc.IsZero() {
			continue
		}
		r := rc.Link.Route
		out = append(out, DocLink{
			Span:       req.TargetSpan,
			Target:     r.Loc.Path,
			TargetSpan: r.Loc.Span,
			Tooltip:    msg.T("%s %s in %s", "%s の %s %s", r.Method, r.Path, filepath.Base(r.Loc.Path)),
		})
	}
	return out, nil
}

// commonHeaders are offered by header-name completion.
var commonHeaders = []struct {
	name string
	doc  msg.Text
}{
	{"x-api-key", msg.Text{EN: "API key for methods that require one (API Gateway reads it from this header)", JA: "API キーが必要なメソッド用のキー（API Gateway はこのヘッダーから読み取ります）"}},
	{"x-apigw-api-id", msg.Text{EN: "API id for a private API called through a VPC endpoint's DNS name", JA: "VPC エンドポイントの DNS 名経由でプライベート API を呼び出すときの API ID"}},
	{"Authorization", msg.Text{EN: "Credentials: a token for authorizers, or a SigV4 signature", JA: "認証情報（オーソライザー用トークン、または SigV4 署名）"}},
	{"Host", msg.Text{EN: "Host name (for a private API through a VPC endpoint: <api-id>.execute-api.<region>.amazonaws.com)", JA: "ホスト名（VPC エンドポイント経由のプライベート API では <api-id>.execute-api.<region>.amazonaws.com）"}},
	{"Content-Type", msg.Text{EN: "Media type of the body", JA: "本文のメディアタイプ"}},
	{"Accept", msg.Text{EN: "Media types the client accepts", JA: "クライアントが受け付けるメディアタイプ"}},
	{"X-Amz-Security-Token", msg.Text{EN: "Session token of temporary credentials", JA: "一時的な認証情報のセッショントークン"}},
}

// Complete returns completion items at byte offset off of path: header
// names in a request's header block, variables inside {{ }}, stages and
// resource paths of the linked API on the request line.
func (w *Workspace) Complete(ctx context.Context, path string, off int) ([]Completion, error) {
	snap, fd := w.requestFile(ctx, path)
	if fd == nil {
		return nil, nil
	}
	src := fd.Src
	line := src.LineOf(off)
	ls := src.LineStart(line)
	before := src.Text[ls:min(off, len(src.Text))]
	req := requestAt(fd.HTTP, off)
	envs := w.envsFor(snap, fd)

	// Variables inside {{ … }}.
	if k := strings.LastIndex(before, "{{"); k >= 0 && !strings.Contains(before[k:], "}}") {
		word := before[k+2:]
		replace := source.Span{Start: ls + k + 2, End: off}
		var rc *link.RequestContext
		if req != nil {
			rc = link.BuildRequestContext(snap, fd, req, envs[0])
		}
		return variableCompletions(rc, fd, envs[0], word, replace), nil
	}
	if req == nil {
		return nil, nil
	}
	// The request line: stages and paths of the linked API.
	if line == src.LineOf(req.LineSpan.Start) && off >= req.TargetSpan.Start {
		rc := link.BuildRequestContext(snap, fd, req, envs[0])
		return pathCompletions(rc, src, off), nil
	}
	// A header name: a line of the header block (no blank line between it
	// and the request line; a word being typed reads as body text to the
	// parser) with no colon before off.
	if off > req.LineSpan.End && inHeaderBlock(src, req.LineSpan.End, line) && !strings.Contains(before, ":") {
		word := strings.TrimLeft(before, " \t")
		replace := source.Span{Start: off - len(word), End: off}
		return headerCompletions(link.BuildRequestContext(snap, fd, req, envs[0]), word, replace), nil
	}
	return nil, nil
}

// inHeaderBlock reports whether line follows the request line (which ends
// at reqEnd) with no blank line in between.
func inHeaderBlock(src *source.File, reqEnd, line int) bool {
	for l := src.LineOf(reqEnd) + 1; l < line; l++ {
		if strings.TrimSpace(src.Slice(src.LineSpan(l))) == "" {
			return false
		}
	}
	return true
}

func headerCompletions(rc *link.RequestContext, word string, replace source.Span) []Completion {
	var out []Completion
	lw := strings.ToLower(word)
	apiKeyVar := link.KeyVariable(rc.EnvVars)
	for _, h := range commonHeaders {
		if !strings.HasPrefix(strings.ToLower(h.name), lw) {
			continue
		}
		if rc.Header(h.name) != nil {
			continue
		}
		insert := h.name + ": "
		switch h.name {
		case "x-api-key":
			insert += "{{" + apiKeyVar + "}}"
		case "x-apigw-api-id":
			insert += "{{apiId}}"
		}
		out = append(out, Completion{Label: h.name, Detail: msg.Text{EN: "header", JA: "ヘッダー"}, Doc: h.doc, InsertText: insert, Kind: CompleteHeader, Replace: replace})
	}
	if strings.HasPrefix("authorization", lw) && rc.Header("Authorization") == nil {
		region := rc.URL.HostInfo.Region
		if region == "" {
			region = "{{awsRegion}}"
		}
		out = append(out, Completion{
			Label:      "Authorization: AWS … (SigV4)",
			Detail:     msg.Text{EN: "sign the request for an AWS_IAM route", JA: "AWS_IAM ルート用にリクエストに署名"},
			Doc:        msg.Text{EN: "REST Client / httpyac signing line: the client computes a SigV4 signature when it sends the request", JA: "REST Client / httpyac の署名行: 送信時にクライアントが SigV4 署名を計算します"},
			InsertText: "Authorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} token:{{awsSessionToken}} region:" + region + " service:execute-api",
			Kind:       CompleteSnippet,
			Replace:    replace,
		})
	}
	return out
}

func variableCompletions(rc *link.RequestContext, fd *link.FileData, envName, word string, replace source.Span) []Completion {
	names := map[string]bool{}
	if rc != nil {
		for _, v := range rc.EnvVars {
			names[v] = true
		}
	} else {
		for _, v := range fd.HTTP.Vars {
			names[v.Name] = true
		}
	}
	var out []Completion
	for n := range names {
		if !strings.HasPrefix(n, word) {
			continue
		}
		detail := msg.Text{EN: "variable", JA: "変数"}
		if rc != nil {
			if p, ok := rc.Lookup(n); ok {
				val := p.Text
				if p.Secret {
					val = "****"
				}
				where := p.Origin
				if where == "" {
					where = "file variable"
				}
				detail = msg.T("%s (%s)", "%s（%s）", val, where)
			}
		}
		out = append(out, Completion{Label: n, Detail: detail, InsertText: n, Kind: CompleteVariable, Replace: replace})
	}
	for _, sys := range []string{"$guid", "$timestamp", "$randomInt", "$datetime", "$processEnv", "$dotenv"} {
		if strings.HasPrefix(sys, word) {
			out = append(out, Completion{Label: sys, Detail: msg.Text{EN: "system variable", JA: "システム変数"}, InsertText: sys, Kind: CompleteVariable, Replace: replace})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

// pathCompletions offers "<stage>/<resource path>" on the default endpoint,
// or resource paths after a custom domain's base path, for the linked API.
func pathCompletions(rc *link.RequestContext, src *source.File, off int) []Completion {
	l := rc.Link
	if l == nil || l.API == nil || rc.URL.PathStart < 0 {
		return nil
	}
	// Replace from the start of the path (in the request line) to off.
	start, _, exact, ok := rc.URL.Exp.SourceInRequest(rc.URL.PathStart, rc.URL.PathStart)
	if !ok || !exact || start != rc.Path {
		return nil
	}
	_, s, _, _ := rc.URL.Exp.SourceInRequest(rc.URL.PathStart, rc.URL.PathStart)
	if off < s.Start {
		return nil
	}
	replace := source.Span{Start: s.Start, End: off}
	typed := src.Text[s.Start:off]
	var prefixes []string
	switch {
	case l.Domain != nil && l.Mapping != nil:
		prefixes = []string{"/" + strings.Trim(l.Mapping.BasePath, "/")}
		if l.Mapping.BasePath == "" {
			prefixes = []string{""}
		}
	case l.API.Kind == apimodel.HTTP && l.API.StageNamed("$default") != nil:
		prefixes = []string{""}
	default:
		for _, st := range l.API.Stages {
			if !st.IsDefault() {
				prefixes = append(prefixes, "/"+st.Name)
			}
		}
	}
	var out []Completion
	seen := map[string]bool{}
	for _, p := range prefixes {
		for _, r := range l.API.Routes {
			if r.Path == "$default" {
				continue
			}
			path := p + r.Path
			if r.Path == "/" && p != "" {
				path = p
			}
			if seen[path] || !strings.HasPrefix(path, typed) {
				continue
			}
			seen[path] = true
			out = append(out, Completion{
				Label: path, InsertText: path, Kind: CompletePath, Replace: replace,
				Detail: msg.T("%s %s (%s)", "%s %s（%s）", r.Method, r.Path, l.API.Name),
			})
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Label < out[j].Label })
	return out
}

// routeDefinition names where a linked route is defined: `main.tf:42
// aws_api_gateway_method.get_order` ("" when the model has no location).
func routeDefinition(snap *link.Snapshot, r *apimodel.Route) string {
	if r == nil || r.Loc.IsZero() {
		return ""
	}
	fd := snap.Files[r.Loc.Path]
	if fd == nil || fd.Src == nil {
		return ""
	}
	rel, err := filepath.Rel(snap.Root, r.Loc.Path)
	if err != nil || strings.HasPrefix(rel, "..") {
		rel = filepath.Base(r.Loc.Path)
	}
	line, _ := fd.Src.LineCol(r.Loc.Span.Start, source.Runes)
	s := fmt.Sprintf("`%s:%d`", filepath.ToSlash(rel), line)
	if r.Def != "" {
		s += " `" + r.Def + "`"
	}
	return s
}

// Hover is what the analyzer knows about a position: markdown in both
// languages and the span it applies to.
type Hover struct {
	Span     source.Span
	Markdown msg.Text
}

// CompletionKind tells what a completion item inserts.
type CompletionKind int

// Completion is one completion item. Replace is the span the inserted text
// replaces (the word being typed; empty for a pure insertion).
type Completion struct {
	Label      string
	Detail     msg.Text
	Doc        msg.Text
	InsertText string
	Kind       CompletionKind
	Replace    source.Span
}

// DocLink links a span of one file to a location in another (a request to
// the template route that serves it).
type DocLink struct {
	Span       source.Span
	Target     string // absolute path
	TargetSpan source.Span
	Tooltip    msg.Text
}

const (
	CompleteHeader CompletionKind = iota
	CompleteVariable
	CompleteStage
	CompletePath
	CompleteSnippet
)
