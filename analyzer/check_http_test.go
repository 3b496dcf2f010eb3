package analyzer

import (
	"reflect"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

func TestMergeFixes(t *testing.T) {
	edit := func(path string, start, end int, text string) Edit {
		return Edit{Path: path, Span: source.Span{Start: start, End: end}, NewText: text}
	}
	title := Text{EN: "Remove the stage prod from the path", JA: "パスからステージ prod を削除"}
	fix := func(safe bool, edits ...Edit) Fix {
		return Fix{Title: title, Edits: edits, Safe: safe, Preferred: safe}
	}
	devValue := edit("/ws/http-client.env.json", 40, 45, "")
	prodValue := edit("/ws/http-client.env.json", 90, 95, "")
	tests := []struct {
		name   string
		a, b   []Fix
		want   []Fix
		wantOK bool
	}{
		{"same edits", []Fix{fix(true, devValue)}, []Fix{fix(true, devValue)}, []Fix{fix(true, devValue)}, true},
		{"each environment's value", []Fix{fix(true, devValue)}, []Fix{fix(true, prodValue)}, []Fix{fix(true, devValue, prodValue)}, true},
		{"safe only when both are", []Fix{fix(true, devValue)}, []Fix{fix(false, prodValue)}, []Fix{fix(false, devValue, prodValue)}, true},
		{"no fixes", nil, nil, []Fix{}, true},
		{"overlapping edits", []Fix{fix(true, devValue)}, []Fix{fix(true, edit("/ws/http-client.env.json", 42, 50, "x"))}, nil, false},
		{"other titles", []Fix{fix(true, devValue)}, []Fix{{Title: Text{EN: "Insert stage Prod"}, Edits: []Edit{prodValue}}}, nil, false},
		{"other number of fixes", []Fix{fix(true, devValue)}, nil, nil, false},
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
