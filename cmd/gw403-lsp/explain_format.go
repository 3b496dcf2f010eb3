package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/fatih/color"

	"github.com/gw403/gw403-lsp/analyzer/explain"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/capture"
)

// explainMaxText is the number of diagnoses the text output prints in
// full; the rest are summarized. JSON prints all.
const explainMaxText = 20

// explainWhere says where in the input a response is: "line 43" or "HAR
// entry 12".
func explainWhere(d *explain.Diagnosis, ja bool) string {
	x := d.Exchange
	switch {
	case x.Entry >= 0 && x.Response.Line == 0:
		if ja {
			return fmt.Sprintf("HAR のエントリ %d", x.Entry+1)
		}
		return fmt.Sprintf("HAR entry %d", x.Entry+1)
	case x.Response.Line > 0:
		if ja {
			return fmt.Sprintf("%d 行目", x.Response.Line)
		}
		return fmt.Sprintf("line %d", x.Response.Line)
	}
	return ""
}

type explainStyles struct {
	head, title, code, dim, high, med, low func(a ...any) string
}

func newExplainStyles(on bool) explainStyles {
	mk := func(attrs ...color.Attribute) func(a ...any) string {
		c := color.New(attrs...)
		if on {
			c.EnableColor()
		} else {
			c.DisableColor()
		}
		return c.SprintFunc()
	}
	return explainStyles{
		head: mk(color.Bold), title: mk(color.Bold), code: mk(color.FgCyan), dim: mk(color.Faint),
		high: mk(color.FgRed, color.Bold), med: mk(color.FgYellow), low: mk(color.Faint),
	}
}

// writeExplainText prints the diagnoses for a terminal, in lang ("ja" for
// Japanese, else English), with ANSI colours when useColor is set.
func writeExplainText(w io.Writer, c *capture.Capture, ds []*explain.Diagnosis, lang string, useColor bool) error {
	ja, st := strings.HasPrefix(lang, "ja"), newExplainStyles(useColor)
	var b strings.Builder
	for i, d := range ds {
		if i == explainMaxText {
			if ja {
				fmt.Fprintf(&b, "\n…ほかに %d 件の応答があります（すべて見るには --format json）\n", len(ds)-explainMaxText)
			} else {
				fmt.Fprintf(&b, "\n… and %d more responses (use --format json to see all)\n", len(ds)-explainMaxText)
			}
			break
		}
		if i > 0 {
			b.WriteString("\n" + st.dim(strings.Repeat("─", 60)) + "\n\n")
		}
		writeExplainOne(&b, d, ja, st, len(ds) > 1)
	}
	if c != nil && c.Omitted > 0 {
		if ja {
			fmt.Fprintf(&b, "\n（上限 %d 件を超えた %d 件の 403 は読み飛ばしました）\n", capture.MaxExchanges, c.Omitted)
		} else {
			fmt.Fprintf(&b, "\n(%d more 403 responses past the limit of %d were skipped)\n", c.Omitted, capture.MaxExchanges)
		}
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func writeExplainOne(b *strings.Builder, d *explain.Diagnosis, ja bool, st explainStyles, many bool) {
	lang := "en"
	if ja {
		lang = "ja"
	}
	in := func(x msg.Text) string { return x.In(lang) }
	pick := func(jaS, en string) string {
		if ja {
			return jaS
		}
		return en
	}
	loc := ""
	if many || d.Exchange.Entry >= 0 {
		loc = explainWhere(d, ja)
	}
	if ja {
		fmt.Fprintf(b, "%s", st.head(fmt.Sprintf("%s からの %s", in(d.OriginText()), d.StatusText())))
	} else {
		fmt.Fprintf(b, "%s", st.head(fmt.Sprintf("%s from %s", d.StatusText(), in(d.OriginText()))))
	}
	if loc != "" {
		fmt.Fprintf(b, "  %s", st.dim("("+loc+")"))
	}
	b.WriteString("\n")
	label := func(en, jaL string) string {
		if ja {
			return padRight(jaL, 14)
		}
		return padRight(en, 12)
	}
	if r := d.Exchange.Request; r != nil {
		line := r.Method + " " + r.URL
		if r.Line > 0 && many {
			if ja {
				line += fmt.Sprintf("（%d 行目）", r.Line)
			} else {
				line += fmt.Sprintf("  (line %d)", r.Line)
			}
		}
		fmt.Fprintf(b, "  %s %s\n", label("request", "リクエスト"), line)
	}
	if d.ErrorType != "" {
		et := d.ErrorType
		if d.ErrorTypeInferred {
			if ja {
				et += "（メッセージから推定）"
			} else {
				et += "  (inferred from the message)"
			}
		}
		fmt.Fprintf(b, "  %s %s\n", label("errortype", "エラータイプ"), et)
	}
	if d.Message != "" {
		fmt.Fprintf(b, "  %s %s\n", label("message", "メッセージ"), msg.Clip(d.Message, 240))
	}
	if d.RequestID != "" {
		fmt.Fprintf(b, "  %s %s\n", label("request id", "リクエスト ID"), d.RequestID)
	}

	if len(d.Causes) > 0 {
		b.WriteString("\n" + st.head(pick("考えられる原因（可能性の高い順）:", "Likely causes, most likely first:")) + "\n")
	}
	full := 0
	for _, c := range d.Causes {
		if c.Confidence >= explain.Medium {
			full++
		}
	}
	if full < 3 {
		full = 3
	}
	for i, c := range d.Causes {
		if i == full {
			// The unlikely rest, one line each.
			b.WriteString("\n" + pick("    ほかに考えられる原因（確度 低）:", "    Less likely:") + "\n")
			for _, c := range d.Causes[i:] {
				code := ""
				if c.Code != "" {
					code = "  [" + st.code(c.Code) + "]"
				}
				fmt.Fprintf(b, "      · %s%s\n", in(c.Title), code)
			}
			break
		}
		conf := in(c.Confidence.Text())
		switch c.Confidence {
		case explain.High:
			conf = st.high(conf)
		case explain.Medium:
			conf = st.med(conf)
		default:
			conf = st.low(conf)
		}
		tag := ""
		if c.Code != "" {
			tag = st.code(c.Code) + " · "
		}
		if ja {
			tag += "確度 " + conf
		} else {
			tag += conf
		}
		fmt.Fprintf(b, "\n%2d. %s  [%s]\n", i+1, st.title(in(c.Title)), tag)
		j := 0
		for _, e := range c.Evidence {
			if d.RepeatsHeader(e) {
				continue
			}
			lead := "          "
			if j++; j == 1 {
				lead = pick("    根拠: ", "    why:  ")
			}
			fmt.Fprintf(b, "%s%s\n", lead, in(e))
		}
		for j, s := range c.NextSteps {
			lead := "          "
			if j == 0 {
				lead = pick("    対処: ", "    next: ")
			}
			fmt.Fprintf(b, "%s%s\n", lead, in(s))
		}
	}
	if top := d.Top(); len(top) > 1 {
		fmt.Fprintf(b, "\n%s\n", st.dim(pick(
			fmt.Sprintf("原因 1〜%d はこの入力だけでは区別できません（ワークスペースの .http ファイルがあれば --workspace で照合できます）。", len(top)),
			fmt.Sprintf("Causes 1–%d are equally likely from this input alone (with the workspace's .http files, --workspace checks the request).", len(top)))))
	}
	if m := d.Match; m != nil {
		writeExplainMatch(b, m, lang, st)
	}
	if len(d.NextSteps) > 0 {
		b.WriteString("\n" + st.head(pick("次に確認すること:", "Check next:")) + "\n")
		for _, s := range d.NextSteps {
			fmt.Fprintf(b, "  • %s\n", in(s))
		}
	}
	for _, n := range d.Notes {
		fmt.Fprintf(b, "\n%s\n", st.dim(pick("注: ", "Note: ")+in(n)))
	}
}

// writeExplainMatch prints the workspace request (or API) a response was
// matched to, and the findings on it.
func writeExplainMatch(b *strings.Builder, m *explain.Match, lang string, st explainStyles) {
	ja := lang == "ja"
	b.WriteString("\n")
	switch {
	case m.Captured && ja:
		fmt.Fprintf(b, "%s %s（%s）", st.head("ワークスペースの API:"), m.API, m.APIFile)
		if m.ByPath {
			b.WriteString("、パスで照合")
		}
		if r := m.LinkReason.In(lang); r != "" {
			fmt.Fprintf(b, "\n  %s", r)
		}
		b.WriteString("\n  .http ファイルに一致するリクエストがないため、取り込んだリクエストそのものをチェックしました")
	case m.Captured:
		fmt.Fprintf(b, "%s %s (%s)", st.head("API in the workspace:"), m.API, m.APIFile)
		if m.ByPath {
			b.WriteString(", matched by path")
		}
		if r := m.LinkReason.In(lang); r != "" {
			fmt.Fprintf(b, "\n  %s", r)
		}
		b.WriteString("\n  no request of the .http files matches, so the captured request itself was checked")
	case ja:
		fmt.Fprintf(b, "%s %s:%d", st.head("ワークスペースのリクエスト:"), m.Path, m.Line)
		if m.API != "" {
			fmt.Fprintf(b, " → API %s", m.API)
			if m.ByPath {
				b.WriteString("（パスで照合）")
			}
		}
		if m.Env != "" {
			fmt.Fprintf(b, "（環境 %s）", m.Env)
		}
	default:
		fmt.Fprintf(b, "%s %s:%d", st.head("Request in the workspace:"), m.Path, m.Line)
		if m.API != "" {
			fmt.Fprintf(b, " → API %s", m.API)
			if m.ByPath {
				b.WriteString(" (matched by path)")
			}
		}
		if m.Env != "" {
			fmt.Fprintf(b, "  (environment %s)", m.Env)
		}
	}
	b.WriteString("\n")
	switch {
	case len(m.Diagnostics) == 0 && m.API == "" && ja:
		b.WriteString("  ワークスペースのどの API にもリンクしないため、API を必要としないルールだけを実行し、問題は見つかりませんでした\n")
	case len(m.Diagnostics) == 0 && m.API == "":
		b.WriteString("  it links to no API of the workspace: only the rules that need none ran, and they find nothing wrong with it\n")
	case len(m.Diagnostics) == 0 && ja:
		b.WriteString("  リクエストのルールでは問題は見つかりません\n")
	case len(m.Diagnostics) == 0:
		b.WriteString("  the request rules find nothing wrong with it\n")
	}
	fixLabel := "fix:"
	if ja {
		fixLabel = "修正:"
	}
	for _, diag := range m.Diagnostics {
		fmt.Fprintf(b, "  %s %s: %s\n", st.code(diag.Code), diag.Slug, diag.Message.In(lang))
		for _, fx := range diag.Fixes {
			fmt.Fprintf(b, "    %s %s\n", fixLabel, fx.Title.In(lang))
		}
	}
}

// padRight pads s with spaces to width columns (East Asian characters
// count as two).
func padRight(s string, width int) string {
	w := 0
	for _, r := range s {
		if r >= 0x1100 && (r <= 0x115f || (r >= 0x2e80 && r <= 0xa4cf) || (r >= 0xac00 && r <= 0xd7a3) || (r >= 0xf900 && r <= 0xfaff) || (r >= 0xff00 && r <= 0xff60)) {
			w += 2
		} else {
			w++
		}
	}
	if w >= width {
		return s + " "
	}
	return s + strings.Repeat(" ", width-w)
}

// --- JSON ----------------------------------------------------------------------

type explainJSON struct {
	Version int                 `json:"version"`
	Lang    string              `json:"lang"`
	Input   explainJSONInput    `json:"input"`
	Results []explainJSONResult `json:"results"`
}

type explainJSONInput struct {
	Format    string `json:"format"`
	Responses int    `json:"responses"`
	Omitted   int    `json:"omitted,omitempty"`
}

type explainJSONResult struct {
	Status            int                 `json:"status"`
	Line              int                 `json:"line,omitempty"`
	Entry             *int                `json:"entry,omitempty"`
	Origin            explain.Origin      `json:"origin"`
	API               string              `json:"api,omitempty"`
	ErrorType         string              `json:"error_type,omitempty"`
	ErrorTypeInferred bool                `json:"error_type_inferred,omitempty"`
	Message           string              `json:"message,omitempty"`
	RequestID         string              `json:"request_id,omitempty"`
	Request           *explainJSONRequest `json:"request,omitempty"`
	Causes            []explainJSONCause  `json:"causes"`
	NextSteps         []string            `json:"next_steps"`
	Notes             []string            `json:"notes,omitempty"`
	MatchedRequest    *explainJSONMatch   `json:"matched_request"`
}

type explainJSONRequest struct {
	Method string `json:"method"`
	URL    string `json:"url"`
	Line   int    `json:"line,omitempty"`
}

type explainJSONCause struct {
	Code       string   `json:"code,omitempty"`
	ID         string   `json:"id"`
	Title      string   `json:"title"`
	Confidence string   `json:"confidence"`
	Evidence   []string `json:"evidence"`
	NextSteps  []string `json:"next_steps"`
}

type explainJSONMatch struct {
	Path    string `json:"path"`
	Line    int    `json:"line"`
	Env     string `json:"env,omitempty"`
	API     string `json:"api,omitempty"`
	APIFile string `json:"api_file,omitempty"`
	// Captured: no .http request matched; the captured request was checked.
	Captured bool `json:"captured,omitempty"`
	// MatchedBy is "path" when the API was found by the path alone.
	MatchedBy   string            `json:"matched_by,omitempty"`
	LinkReason  string            `json:"link_reason,omitempty"`
	Diagnostics []explainJSONDiag `json:"diagnostics"`
}

type explainJSONDiag struct {
	Code      string   `json:"code"`
	Slug      string   `json:"slug"`
	Severity  string   `json:"severity"`
	Message   string   `json:"message"`
	ErrorType string   `json:"error_type,omitempty"`
	Fixes     []string `json:"fixes"`
}

// writeExplainJSON prints the diagnoses as one JSON document (version 1).
func writeExplainJSON(w io.Writer, c *capture.Capture, ds []*explain.Diagnosis, lang string) error {
	if strings.HasPrefix(lang, "ja") {
		lang = "ja"
	} else {
		lang = "en"
	}
	texts := func(ts []msg.Text) []string {
		out := make([]string, 0, len(ts))
		for _, x := range ts {
			out = append(out, x.In(lang))
		}
		return out
	}
	doc := explainJSON{Version: 1, Lang: lang, Results: []explainJSONResult{}}
	if c != nil {
		doc.Input = explainJSONInput{Format: c.Format.String(), Responses: c.Responses, Omitted: c.Omitted}
	}
	for _, d := range ds {
		x := d.Exchange
		r := explainJSONResult{
			Status: x.Response.Status, Line: x.Response.Line, Origin: d.Origin,
			ErrorType: d.ErrorType, ErrorTypeInferred: d.ErrorTypeInferred, Message: d.Message, RequestID: d.RequestID,
			Causes: []explainJSONCause{}, NextSteps: texts(d.NextSteps), Notes: texts(d.Notes),
		}
		if x.Entry >= 0 {
			e := x.Entry
			r.Entry = &e
		}
		if d.Origin == explain.OriginAPIGateway {
			r.API = "rest"
			if d.HTTPAPI {
				r.API = "http"
			}
		}
		if q := x.Request; q != nil {
			r.Request = &explainJSONRequest{Method: q.Method, URL: q.URL, Line: q.Line}
		}
		for _, c := range d.Causes {
			r.Causes = append(r.Causes, explainJSONCause{
				Code: c.Code, ID: c.ID, Title: c.Title.In(lang), Confidence: c.Confidence.String(),
				Evidence: texts(c.Evidence), NextSteps: texts(c.NextSteps),
			})
		}
		if m := d.Match; m != nil {
			jm := &explainJSONMatch{Path: m.Path, Line: m.Line, Env: m.Env, API: m.API, APIFile: m.APIFile, Captured: m.Captured,
				LinkReason: m.LinkReason.In(lang), Diagnostics: []explainJSONDiag{}}
			if m.ByPath {
				jm.MatchedBy = "path"
			}
			for _, diag := range m.Diagnostics {
				jd := explainJSONDiag{Code: diag.Code, Slug: diag.Slug, Severity: diag.Severity.String(), Message: diag.Message.In(lang), ErrorType: diag.ErrorType, Fixes: []string{}}
				for _, fx := range diag.Fixes {
					jd.Fixes = append(jd.Fixes, fx.Title.In(lang))
				}
				jm.Diagnostics = append(jm.Diagnostics, jd)
			}
			r.MatchedRequest = jm
		}
		doc.Results = append(doc.Results, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(doc)
}
