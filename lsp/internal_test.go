package lsp

import (
	"encoding/json"
	"testing"

	"go.lsp.dev/protocol"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
)

func TestURIToPath(t *testing.T) {
	tests := []struct {
		uri  string
		want string
		ok   bool
	}{
		{"file:///tmp/api.http", "/tmp/api.http", true},
		{"file:///tmp/a%20b/%E6%97%A5%E6%9C%AC.http", "/tmp/a b/日本.http", true},
		{"file:///tmp/日本/api.http", "/tmp/日本/api.http", true},
		{"file:///tmp/x/../api.http", "/tmp/api.http", true},
		{"untitled:Untitled-1", "", false},
		{"https://example.com/a.http", "", false},
		{"file:relative.http", "", false},
		{"file://", "", false},
		{"%zz", "", false},
	}
	for _, tt := range tests {
		got, ok := uriToPath(tt.uri)
		if got != tt.want || ok != tt.ok {
			t.Errorf("uriToPath(%q) = %q, %v; want %q, %v", tt.uri, got, ok, tt.want, tt.ok)
		}
	}
	if got, _ := uriToPath(string(pathToURI("/tmp/a b/日本 🗼.http"))); got != "/tmp/a b/日本 🗼.http" {
		t.Errorf("round trip = %q", got)
	}
}

func TestKindMatches(t *testing.T) {
	tests := []struct {
		kind protocol.CodeActionKind
		only string
		want bool
	}{
		{FixAllKind, "source", true},
		{FixAllKind, "source.fixAll", true},
		{FixAllKind, "source.fixAll.gw403", true},
		{FixAllKind, "source.fix", false},
		{FixAllKind, "quickfix", false},
		{protocol.QuickFix, "quickfix", true},
		{protocol.QuickFix, "quick", false},
		{protocol.QuickFix, "", false},
	}
	for _, tt := range tests {
		if got := kindMatches(tt.kind, tt.only); got != tt.want {
			t.Errorf("kindMatches(%s, %q) = %v, want %v", tt.kind, tt.only, got, tt.want)
		}
	}
}

func TestParseSettings(t *testing.T) {
	tests := []struct {
		raw     string
		want    string // settings as JSON
		wantErr bool
	}{
		{`null`, `{"environment":null,"configPath":null,"severity":null,"trace":null}`, false},
		{`{"environment":"dev"}`, `{"environment":"dev","configPath":null,"severity":null,"trace":null}`, false},
		{`{"gw403":{"configPath":"x.yaml","severity":{"GW101":"warn"}}}`, `{"environment":null,"configPath":"x.yaml","severity":{"GW101":"warn"},"trace":null}`, false},
		{`{"gw403":null}`, `{"environment":null,"configPath":null,"severity":null,"trace":null}`, false},
		{`{"environment":5,"trace":"verbose"}`, `{"environment":null,"configPath":null,"severity":null,"trace":"verbose"}`, true},
		{`{"severity":{"GW101":"loud","GW102":"off"}}`, `{"environment":null,"configPath":null,"severity":{"GW102":"off"},"trace":null}`, true},
	}
	for _, tt := range tests {
		st, err := parseSettings(json.RawMessage(tt.raw))
		got, _ := json.Marshal(st)
		if string(got) != tt.want || (err != nil) != tt.wantErr {
			t.Errorf("parseSettings(%s) = %s, %v; want %s, error %v", tt.raw, got, err, tt.want, tt.wantErr)
		}
	}
	dev, prod := "dev", "prod"
	a := settings{Environment: &dev, Severity: map[string]string{"GW101": "off", "GW102": "info"}}
	b := settings{Environment: &prod, Severity: map[string]string{"GW102": "error"}}
	m := a.merge(b)
	if *m.Environment != "prod" || m.Severity["GW101"] != "off" || m.Severity["GW102"] != "error" || a.Severity["GW102"] != "info" {
		t.Errorf("merge = %+v (a now %+v)", m, a)
	}
}

func TestMessage(t *testing.T) {
	d := analyzer.Diagnostic{Message: msg.T("missing key", "キーがありません")}
	tests := []struct {
		errType string
		status  int
		locale  string
		want    string
	}{
		{"", 0, "en", "missing key"},
		{"ForbiddenException", 403, "en", "missing key (403 ForbiddenException)"},
		{"ForbiddenException", 403, "ja-JP", "キーがありません (403 ForbiddenException)"},
		{"MissingAuthenticationTokenException", 0, "", "missing key (MissingAuthenticationTokenException)"},
	}
	for _, tt := range tests {
		d.ErrorType, d.Status = tt.errType, tt.status
		if got := message(d, tt.locale); got != tt.want {
			t.Errorf("message(%s, %d, %s) = %q, want %q", tt.errType, tt.status, tt.locale, got, tt.want)
		}
	}
	if severity(analyzer.Error) != 1 || severity(analyzer.Warning) != 2 || severity(analyzer.Info) != 3 || severity(analyzer.Off) != 0 {
		t.Errorf("severity mapping is not Error→1, Warning→2, Info→3, Off→none")
	}
	if got := RuleDocURL("GW101"); got != "https://github.com/gw403/gw403-lsp/blob/main/docs/rules.md#gw101" {
		t.Errorf("RuleDocURL = %q", got)
	}
}
