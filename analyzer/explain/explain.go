// Package explain turns a recorded 403 (or 401) response into its likely
// causes: the seed article's diagnosis table, made specific by what the
// request and the response headers show, most likely first, each with its
// evidence and the next thing to check. With a Matcher (the analyzer
// workspace) it also names the request of the .http file the response
// answered and the rules that fire on it.
//
// The package does no I/O of its own and never sends a request.
package explain

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/capture"
)

// Confidence says how strongly the input supports a cause.
type Confidence int

const (
	Low Confidence = iota + 1
	Medium
	High
)

func (c Confidence) String() string {
	switch c {
	case High:
		return "high"
	case Medium:
		return "medium"
	case Low:
		return "low"
	}
	return "none"
}

// Text returns the confidence in English and Japanese.
func (c Confidence) Text() msg.Text {
	switch c {
	case High:
		return msg.Text{EN: "high", JA: "高"}
	case Medium:
		return msg.Text{EN: "medium", JA: "中"}
	}
	return msg.Text{EN: "low", JA: "低"}
}

// Origin is the service that produced a response.
type Origin string

const (
	OriginAPIGateway Origin = "api-gateway"
	OriginCloudFront Origin = "cloudfront"
	OriginProxy      Origin = "proxy"
	OriginS3         Origin = "s3"
	OriginLambdaURL  Origin = "lambda-url"
	OriginOther      Origin = "other"
	OriginUnknown    Origin = "unknown"
)

// Cause is one possible cause of a 403.
type Cause struct {
	// ID names the cause ("unknown-path"); stable, for tests and tools.
	ID string
	// Code is the rule that predicts this cause ("GW121"), "" when none
	// does (a Lambda authorizer's Deny, clock skew, a proxy …).
	Code string
	// Title is the rule's Title when the cause is the rule's finding (the
	// program registers the rule catalog, as gw403-lsp does).
	Title      msg.Text
	Confidence Confidence
	// Evidence is what in the input supports the cause.
	Evidence []msg.Text
	// NextSteps say what to check or change, most useful first.
	NextSteps []msg.Text
}

// Diagnosis is the explanation of one response.
type Diagnosis struct {
	Exchange *capture.Exchange
	Origin   Origin
	// HTTPAPI is true when the response came from an HTTP API (v2).
	HTTPAPI bool
	// ErrorType is x-amzn-errortype without its suffix; ErrorTypeInferred
	// is true when it was derived from the message (no header in input).
	ErrorType         string
	ErrorTypeInferred bool
	// Message is the error message, with echoed credentials redacted.
	Message   string
	RequestID string
	// Causes, most likely first.
	Causes []Cause
	// NextSteps are the general checks for this kind of response
	// (CloudWatch logs, curl -v …).
	NextSteps []msg.Text
	// Notes qualify the diagnosis (what the input lacks).
	Notes []msg.Text
	// Match is the workspace request this response answered, nil when
	// none matched or no Matcher was given.
	Match *Match
}

// StatusText is the response's status as outputs show it: "403 Forbidden",
// or "403?" when the input has no status line.
func (d *Diagnosis) StatusText() string {
	r := d.Exchange.Response
	switch {
	case r.Status == 0:
		return "403?"
	case r.Reason != "":
		return fmt.Sprintf("%d %s", r.Status, r.Reason)
	case r.Status == 403:
		return "403 Forbidden"
	case r.Status == 401:
		return "401 Unauthorized"
	}
	return strconv.Itoa(r.Status)
}

// OriginText names the service that produced the response.
func (d *Diagnosis) OriginText() msg.Text {
	switch d.Origin {
	case OriginAPIGateway:
		if d.HTTPAPI {
			return t("Amazon API Gateway (HTTP API)", "Amazon API Gateway（HTTP API）")
		}
		if d.ErrorType == "" && d.RequestID == "" {
			return t("Amazon API Gateway (judging by the message)", "Amazon API Gateway（メッセージから判断）")
		}
		return t("Amazon API Gateway", "Amazon API Gateway")
	case OriginCloudFront:
		return t("CloudFront, not API Gateway", "CloudFront（API Gateway ではない）")
	case OriginProxy:
		return t("a proxy, not API Gateway", "プロキシ（API Gateway ではない）")
	case OriginS3:
		return t("Amazon S3, not API Gateway", "Amazon S3（API Gateway ではない）")
	case OriginLambdaURL:
		return t("a Lambda function URL, not API Gateway", "Lambda 関数 URL（API Gateway ではない）")
	case OriginOther:
		return t("another server, not API Gateway", "別のサーバー（API Gateway ではない）")
	}
	return t("an unknown service", "不明なサービス")
}

// RepeatsHeader reports whether evidence e only repeats the error type
// header or the message, which an output shows above the causes.
func (d *Diagnosis) RepeatsHeader(e msg.Text) bool {
	if d.Message != "" && e.EN == fmt.Sprintf("message: %q", msg.Clip(d.Message, 200)) {
		return true
	}
	if h := d.Exchange.Response.Headers.Find("x-amzn-errortype"); h != nil && e.EN == h.Name+": "+h.Value {
		return true
	}
	return false
}

// Top returns the causes that share the highest confidence.
func (d *Diagnosis) Top() []Cause {
	if len(d.Causes) == 0 {
		return nil
	}
	n := 1
	for n < len(d.Causes) && d.Causes[n].Confidence == d.Causes[0].Confidence {
		n++
	}
	return d.Causes[:n]
}

// Matcher links a request seen in a capture to a request of the workspace's
// .http files: same method and URL once the file's variables are resolved
// (in any environment). The analyzer's Workspace implements it.
type Matcher interface {
	// Match returns the best-matching request and the diagnostics the
	// request rules report on it, or nil when no request matches. url is
	// absolute; headers are the request headers seen, in order.
	Match(ctx context.Context, method, url string, headers [][2]string) (*Match, error)
}

// MatcherFunc adapts a function to Matcher.
type MatcherFunc func(ctx context.Context, method, url string, headers [][2]string) (*Match, error)

// Match calls f.
func (f MatcherFunc) Match(ctx context.Context, method, url string, headers [][2]string) (*Match, error) {
	return f(ctx, method, url, headers)
}

// Match is a workspace request that matches the captured request.
type Match struct {
	// Path is the .http file (as the workspace names it) and Line the
	// 1-based line of the request line in it.
	Path string
	Line int
	// Env is the environment whose variables made the URL match ("" when
	// the URL needs none).
	Env string
	// Diagnostics are the findings of the request rules on that request
	// (request-level and header-level, with their fixes).
	Diagnostics []analyzer.Diagnostic
	// API names the workspace API the request links to, "" when it links
	// to none (the request rules that need a link then did not run).
	API string
	// APIFile is the template or document that defines API.
	APIFile string
	// Captured reports that no .http request matched and the captured
	// request itself was linked to API and checked (Path and Line empty).
	Captured bool
	// ByPath reports a link made by the path alone: the URL's API id is
	// nowhere in the workspace and its path matches the routes of exactly
	// one API. LinkReason says how the request links, when it does.
	ByPath     bool
	LinkReason msg.Text
}

// where names the matched request for evidence lines.
func (m *Match) where() msg.Text {
	if !m.Captured {
		s := fmt.Sprintf("%s:%d", m.Path, m.Line)
		return msg.Text{EN: s, JA: s}
	}
	var how msg.Text
	if m.ByPath {
		how = msg.T(" by path", "（パスで照合）")
	}
	return msg.T("the captured request, matched%[1]s to API %[2]s (%[3]s)", "取り込んだリクエスト（API %[2]s%[1]s、%[3]s）", how, m.API, m.APIFile)
}

// Options configure Explain.
type Options struct {
	// Matcher links requests to the workspace; nil skips linking.
	Matcher Matcher
}

// ErrNothingToExplain is returned when the input holds no 401/403 response
// (or no response carrying an error at all).
var ErrNothingToExplain = errors.New("nothing to explain")

// Explain diagnoses each 401/403 response of c, and each response without
// a status line that carries an error, in input order. A Matcher error is
// returned with the diagnoses made so far.
func Explain(ctx context.Context, c *capture.Capture, opts Options) ([]*Diagnosis, error) {
	var out []*Diagnosis
	var seen []int
	obs := observations(c)
	for _, x := range c.Exchanges {
		st := x.Response.Status
		if st != 403 && st != 401 && st != 0 {
			seen = append(seen, st)
			continue
		}
		if st == 0 && !carriesError(x) {
			continue
		}
		d := diagnose(x, obs)
		if opts.Matcher != nil {
			if err := link(ctx, d, opts.Matcher); err != nil {
				return out, err
			}
		}
		out = append(out, d)
	}
	if len(out) == 0 {
		if len(seen) > 0 {
			return nil, fmt.Errorf("%w: the input holds no 403 response (status %s)", ErrNothingToExplain, joinInts(seen))
		}
		return nil, fmt.Errorf("%w: the input has no status line, x-amzn-errortype header or error message", ErrNothingToExplain)
	}
	return out, nil
}

// carriesError reports whether a status-less response says anything about
// an error: an API Gateway header, a known message, a CloudFront page.
func carriesError(x *capture.Exchange) bool {
	f := gather(x)
	return f.errType != "" || f.apigwMarkers || f.msg.knownGatewayMessage() || f.cfGenerated || f.s3Code != "" ||
		len(f.waf) > 0 || f.msg.kind == msgS3AccessDenied || f.msg.kind == msgCloudFrontNotValid
}

func joinInts(ns []int) string {
	seen := map[int]bool{}
	var parts []string
	for _, n := range ns {
		if !seen[n] {
			seen[n] = true
			parts = append(parts, strconv.Itoa(n))
		}
	}
	return strings.Join(parts, ", ")
}

// link asks m for the workspace request and folds its findings into the
// causes: a cause the workspace confirms moves to the top with high
// confidence; a finding that predicts this response becomes a cause.
func link(ctx context.Context, d *Diagnosis, m Matcher) error {
	r := d.Exchange.Request
	if r == nil || r.Method == "CONNECT" || !strings.Contains(r.URL, "://") {
		return nil
	}
	hs := make([][2]string, len(r.Headers))
	for i, h := range r.Headers {
		hs[i] = [2]string{h.Name, h.Value}
	}
	match, err := m.Match(ctx, r.Method, r.URL, hs)
	if err != nil {
		return fmt.Errorf("match the request in the workspace: %w", err)
	}
	if match == nil {
		return nil
	}
	d.Match = match
	where := match.where()
	var confirmed []Cause
	for _, diag := range match.Diagnostics {
		if diag.Code == "" {
			continue
		}
		ev := msg.T("the workspace check reports %s on %s: %s", "ワークスペースのチェックで %s が %s に報告されています: %s", diag.Code, where, diag.Message)
		found := false
		for i := range d.Causes {
			if d.Causes[i].Code == diag.Code {
				c := d.Causes[i]
				c.Confidence = High
				c.Evidence = append([]msg.Text{ev}, c.Evidence...)
				confirmed = append(confirmed, c)
				d.Causes = append(d.Causes[:i], d.Causes[i+1:]...)
				found = true
				break
			}
		}
		if found || !predictsThis(diag, d) {
			continue
		}
		c := Cause{ID: "workspace-" + strings.ToLower(diag.Code), Code: diag.Code, Title: diag.Message, Confidence: High, Evidence: []msg.Text{ev}}
		for _, fx := range diag.Fixes {
			c.NextSteps = append(c.NextSteps, fx.Title)
		}
		confirmed = append(confirmed, c)
	}
	if len(confirmed) > 0 {
		// What the workspace confirms outranks what the response suggests.
		for i := range d.Causes {
			if d.Causes[i].Confidence == High {
				d.Causes[i].Confidence = Medium
			}
		}
	}
	refuteUnreported(d, match, where)
	d.Causes = append(confirmed, sortCauses(d.Causes)...)
	return nil
}

// refuteUnreported lowers to Low the causes that a request rule predicts
// when that rule ran on the matched request and reported nothing: the
// workspace's model of the API speaks against them (the stage exists, the
// default endpoint is enabled …). A rule that needs a link ran only when
// the request links to an API.
func refuteUnreported(d *Diagnosis, match *Match, where msg.Text) {
	reported := map[string]bool{}
	for _, diag := range match.Diagnostics {
		reported[diag.Code] = true
	}
	for i := range d.Causes {
		c := &d.Causes[i]
		if c.Code == "" || reported[c.Code] {
			continue
		}
		r := analyzer.Lookup(c.Code)
		if r == nil || r.Scope != analyzer.RequestScope || (!r.Standalone && match.API == "") {
			continue
		}
		if r.Standalone && match.Captured {
			continue // only the rules that need a link ran on the captured request
		}
		c.Confidence = Low
		switch {
		case match.Captured:
			c.Evidence = append(c.Evidence, msg.T("the check of %s reports no %s", "%s のチェックでは %s は報告されていません", where, c.Code))
		case match.API != "":
			c.Evidence = append(c.Evidence, msg.T("the workspace links %s to API %s and its check reports no %s there",
				"ワークスペースは %s を API %s にリンクしていて、そのチェックでは %s は報告されていません", where, match.API, c.Code))
		default:
			c.Evidence = append(c.Evidence, msg.T("the workspace check reports no %[1]s on %[2]s", "ワークスペースのチェックでは %[2]s に %[1]s は報告されていません", c.Code, where))
		}
	}
}

// predictsThis reports whether a finding predicts the diagnosed response.
func predictsThis(diag analyzer.Diagnostic, d *Diagnosis) bool {
	if diag.ErrorType == "" {
		return false
	}
	if d.ErrorType == "" {
		return d.Origin == OriginAPIGateway || d.Origin == OriginUnknown
	}
	return strings.EqualFold(diag.ErrorType, d.ErrorType) ||
		(d.ErrorType == "UnrecognizedClientException" && diag.ErrorType == "AccessDeniedException")
}

// sortCauses orders causes by confidence, keeping the given order among
// equals, and drops repeated ids.
func sortCauses(cs []Cause) []Cause {
	seen := map[string]bool{}
	out := cs[:0]
	for _, c := range cs {
		if !seen[c.ID] {
			seen[c.ID] = true
			out = append(out, c)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Confidence > out[j].Confidence })
	return out
}
