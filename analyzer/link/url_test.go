package link

import (
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

func TestClassifyHost(t *testing.T) {
	tests := []struct {
		host   string
		kind   HostKind
		id     string
		region string
		vpce   string
	}{
		{"a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com", HostExecuteAPI, "a1b2c3d4e5", "ap-northeast-1", ""},
		{"A1B2C3D4E5.EXECUTE-API.us-east-1.amazonaws.com.", HostExecuteAPI, "a1b2c3d4e5", "us-east-1", ""},
		{"abc123.execute-api.cn-north-1.amazonaws.com.cn", HostExecuteAPI, "abc123", "cn-north-1", ""},
		{"a1b2c3d4e5-vpce-0123456789abcdef0.execute-api.eu-west-1.amazonaws.com", HostPrivateEndpoint, "a1b2c3d4e5", "eu-west-1", "vpce-0123456789abcdef0"},
		{"vpce-0123456789abcdef0-abcd1234.execute-api.ap-northeast-1.vpce.amazonaws.com", HostVPCE, "", "ap-northeast-1", "vpce-0123456789abcdef0-abcd1234"},
		{"vpce-0123456789abcdef0-abcd1234-ap-northeast-1a.execute-api.ap-northeast-1.vpce.amazonaws.com", HostVPCE, "", "ap-northeast-1", "vpce-0123456789abcdef0-abcd1234"},
		{"localhost", HostLocal, "", "", ""},
		{"api.localhost", HostLocal, "", "", ""},
		{"127.0.0.1", HostLocal, "", "", ""},
		{"127.8.9.10", HostLocal, "", "", ""},
		{"[::1]", HostLocal, "", "", ""},
		{"host.docker.internal", HostLocal, "", "", ""},
		{"d111111abcdef8.cloudfront.net", HostCloudFront, "", "", ""},
		{"api.example.com", HostOther, "", "", ""},
		{"cognito-idp.eu-central-1.amazonaws.com", HostOther, "", "", ""},
		{"", HostUnknown, "", "", ""},
		{"\x00.example.com", HostUnknown, "", "", ""},
	}
	for _, tt := range tests {
		got := ClassifyHost(tt.host)
		if got.Kind != tt.kind || got.APIID != tt.id || got.Region != tt.region || got.VpceID != tt.vpce {
			t.Errorf("ClassifyHost(%q) = %+v, want kind %v id %q region %q vpce %q", tt.host, got, tt.kind, tt.id, tt.region, tt.vpce)
		}
	}
}

// lit builds an exact literal piece at offset off of "req.http".
func lit(text string, off int) Piece {
	return Piece{Text: text, Path: "req.http", Span: source.Span{Start: off, End: off + len(text)}, Exact: true}
}

func TestParseURL(t *testing.T) {
	tests := []struct {
		name   string
		pieces []Piece
		host   string
		kind   HostKind
		path   string
		segs   []string
		query  string
		tail   bool
	}{
		{
			name:   "literal",
			pieces: []Piece{lit("https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/Prod/orders/42?x=1", 4)},
			host:   "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com", kind: HostExecuteAPI,
			path: "/Prod/orders/42", segs: []string{"Prod", "orders", "42"}, query: "x=1",
		},
		{
			name:   "port and no path",
			pieces: []Piece{lit("http://localhost:3000", 0)},
			host:   "localhost", kind: HostLocal, path: "/",
		},
		{
			name: "variable host known",
			pieces: []Piece{
				{Text: "https://api.example.com/v1", Var: "baseUrl", Path: "http-client.env.json", Span: source.Span{Start: 30, End: 56}, Exact: true, RefSpan: source.Span{Start: 4, End: 15}},
				lit("/users/", 15),
				{Text: "", Unknown: true, Var: "userId", Path: "req.http", RefSpan: source.Span{Start: 22, End: 32}},
			},
			host: "api.example.com", kind: HostOther, path: "/v1/users/\x00", segs: []string{"v1", "users", "\x00"}, tail: true,
		},
		{
			name:   "unknown base",
			pieces: []Piece{{Unknown: true, Var: "baseUrl", RefSpan: source.Span{Start: 4, End: 15}}, lit("/orders", 15)},
			kind:   HostUnknown, tail: true,
		},
		{
			name:   "origin form with Host",
			pieces: []Piece{lit("/Prod/items", 4)},
			host:   "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com", kind: HostExecuteAPI,
			path: "/Prod/items", segs: []string{"Prod", "items"},
		},
		{
			name:   "double slash and japanese",
			pieces: []Piece{lit("https://api.example.jp//商品/一覧", 0)},
			host:   "api.example.jp", kind: HostOther, path: "//商品/一覧", segs: []string{"商品", "一覧"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hostHdr := ""
			if tt.name == "origin form with Host" {
				hostHdr = "a1b2c3d4e5.execute-api.us-east-1.amazonaws.com"
			}
			u := ParseURL(NewExpanded(tt.pieces), hostHdr)
			if u.HostInfo.Kind != tt.kind || (tt.kind != HostUnknown && u.Host != tt.host) {
				t.Errorf("host = %q (%v), want %q (%v)", u.Host, u.HostInfo.Kind, tt.host, tt.kind)
			}
			if tt.kind == HostUnknown && tt.path == "" {
				if !u.PathUnknownTail || u.PathStart != -1 {
					t.Errorf("unknown base: PathStart=%d tail=%v, want -1 true", u.PathStart, u.PathUnknownTail)
				}
				return
			}
			if u.Path != tt.path {
				t.Errorf("path = %q, want %q", u.Path, tt.path)
			}
			var segs []string
			for _, s := range u.Segments {
				segs = append(segs, s.Text)
				if got := u.Exp.Text[s.Start:s.End]; got != s.Text {
					t.Errorf("segment %q has range text %q", s.Text, got)
				}
			}
			if strings.Join(segs, "|") != strings.Join(tt.segs, "|") {
				t.Errorf("segments = %q, want %q", segs, tt.segs)
			}
			if u.Query != tt.query || u.PathUnknownTail != tt.tail {
				t.Errorf("query %q tail %v, want %q %v", u.Query, u.PathUnknownTail, tt.query, tt.tail)
			}
		})
	}
}

func TestExpandedSource(t *testing.T) {
	// GET {{baseUrl}}/orders  with baseUrl = https://x.example.com/prod from an env file.
	e := NewExpanded([]Piece{
		{Text: "https://x.example.com/prod", Var: "baseUrl", Path: "env.json", Span: source.Span{Start: 100, End: 126}, Exact: true, RefSpan: source.Span{Start: 4, End: 15}},
		lit("/orders", 15),
	})
	u := ParseURL(e, "")
	stage := u.Segments[0] // "prod", inside the env value
	p, s, exact, ok := e.Source(stage.Start, stage.End)
	if !ok || !exact || p != "env.json" || s != (source.Span{Start: 122, End: 126}) {
		t.Errorf("Source(stage) = %q %v exact=%v ok=%v, want env.json [122,126) exact", p, s, exact, ok)
	}
	p, s, exact, ok = e.SourceInRequest(stage.Start, stage.End)
	if !ok || exact || p != "req.http" || s != (source.Span{Start: 4, End: 15}) {
		t.Errorf("SourceInRequest(stage) = %q %v exact=%v, want the {{baseUrl}} reference", p, s, exact)
	}
	orders := u.Segments[1]
	p, s, exact, ok = e.Source(orders.Start, orders.End)
	if !ok || !exact || p != "req.http" || s != (source.Span{Start: 16, End: 22}) {
		t.Errorf("Source(orders) = %q %v exact=%v, want req.http [16,22)", p, s, exact)
	}
	// A range across both pieces falls back to request-file spans.
	p, s, exact, _ = e.Source(stage.Start, orders.End)
	if exact || p != "req.http" || s != (source.Span{Start: 4, End: 22}) {
		t.Errorf("Source(across) = %q %v exact=%v, want req.http [4,22) inexact", p, s, exact)
	}
	if got := e.Display(); got != "https://x.example.com/prod/orders" {
		t.Errorf("Display() = %q", got)
	}
}

func TestExpandedDisplayMasksSecrets(t *testing.T) {
	e := NewExpanded([]Piece{lit("https://h/?key=", 0), {Text: "s3cr3t", Var: "apiKey", Secret: true}, {Unknown: true, Var: "next"}})
	if got := e.Display(); got != "https://h/?key=****{{next}}" {
		t.Errorf("Display() = %q", got)
	}
	if e.Complete() {
		t.Errorf("Complete() = true with an unknown piece")
	}
}
