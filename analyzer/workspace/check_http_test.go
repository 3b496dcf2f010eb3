package workspace

import (
	"reflect"
	"testing"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/source"
)

func TestMergeFixes(t *testing.T) {
	edit := func(path string, start, end int, text string) analyzer.Edit {
		return analyzer.Edit{Path: path, Span: source.Span{Start: start, End: end}, NewText: text}
	}
	title := msg.Text{EN: "Remove the stage prod from the path", JA: "パスからステージ prod を削除"}
	fix := func(safe bool, edits ...analyzer.Edit) analyzer.Fix {
		return analyzer.Fix{Title: title, Edits: edits, Safe: safe, Preferred: safe}
	}
	devValue := edit("/ws/http-client.env.json", 40, 45, "")
	prodValue := edit("/ws/http-client.env.json", 90, 95, "")
	tests := []struct {
		name   string
		a, b   []analyzer.Fix
		want   []analyzer.Fix
		wantOK bool
	}{
		{"same edits", []analyzer.Fix{fix(true, devValue)}, []analyzer.Fix{fix(true, devValue)}, []analyzer.Fix{fix(true, devValue)}, true},
		{"each environment's value", []analyzer.Fix{fix(true, devValue)}, []analyzer.Fix{fix(true, prodValue)}, []analyzer.Fix{fix(true, devValue, prodValue)}, true},
		{"safe only when both are", []analyzer.Fix{fix(true, devValue)}, []analyzer.Fix{fix(false, prodValue)}, []analyzer.Fix{fix(false, devValue, prodValue)}, true},
		{"no fixes", nil, nil, []analyzer.Fix{}, true},
		{"overlapping edits", []analyzer.Fix{fix(true, devValue)}, []analyzer.Fix{fix(true, edit("/ws/http-client.env.json", 42, 50, "x"))}, nil, false},
		{"other titles", []analyzer.Fix{fix(true, devValue)}, []analyzer.Fix{{Title: msg.Text{EN: "Insert stage Prod"}, Edits: []analyzer.Edit{prodValue}}}, nil, false},
		{"other number of fixes", []analyzer.Fix{fix(true, devValue)}, nil, nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := mergeFixes(tt.a, tt.b)
			if ok != tt.wantOK {
				t.Fatalf("mergeFixes() ok = %v, want %v", ok, tt.wantOK)
			}
			if ok && !reflect.DeepEqual(got, tt.want) {
				t.Errorf("mergeFixes() = %+v, want %+v", got, tt.want)
			}
		})
	}
}
