package msg

import "testing"

func TestT(t *testing.T) {
	what := Text{EN: "an AWS access key id", JA: "AWS アクセスキー ID"}
	tests := []struct {
		name   string
		got    Text
		en, ja string
	}{
		{"no args", T("Add x-api-key header", "x-api-key ヘッダーを追加"), "Add x-api-key header", "x-api-key ヘッダーを追加"},
		{"shared args", T("stage %s of %q", "%q のステージ %s", "Prod", "OrdersApi"), `stage Prod of "OrdersApi"`, `"Prod" のステージ OrdersApi`},
		{"indexed", T("stage %[1]s of %[2]s", "%[2]s のステージ %[1]s", "Prod", "OrdersApi"), "stage Prod of OrdersApi", "OrdersApi のステージ Prod"},
		{"one language leaves an arg out", T("%[1]s%[2]s written", "%[1]sが書かれています", "Keys", " are"), "Keys are written", "Keysが書かれています"},
		{"Text arg", T("%s in %s", "%[2]s に%[1]s", what, "env.json"), "an AWS access key id in env.json", "env.json にAWS アクセスキー ID"},
		{"Text arg without Japanese", T("(%s)", "（%s）", Text{EN: "only English"}), "(only English)", "（only English）"},
		{"empty Text", T("a%s", "あ%s", Text{}), "a", "あ"},
	}
	for _, tt := range tests {
		if tt.got.EN != tt.en || tt.got.JA != tt.ja {
			t.Errorf("%s: T = %q / %q, want %q / %q", tt.name, tt.got.EN, tt.got.JA, tt.en, tt.ja)
		}
	}
	// The caller's args are not changed.
	args := []any{what, 1}
	T("%s %d", "%s %d", args...)
	if args[0] != any(what) {
		t.Errorf("T changed its args: %v", args)
	}
}

func TestJoin(t *testing.T) {
	got := Join([]Text{{EN: "the Authorization header", JA: "Authorization ヘッダー"}, {EN: "the query parameter key", JA: "クエリパラメーター key"}, {EN: "only English"}}, " and ", "と")
	if want := (Text{EN: "the Authorization header and the query parameter key and only English", JA: "Authorization ヘッダーとクエリパラメーター keyとonly English"}); got != want {
		t.Errorf("Join = %+v, want %+v", got, want)
	}
	if got := Join(nil, ", ", "、"); got != (Text{}) {
		t.Errorf("Join(nil) = %+v, want empty", got)
	}
}

// TestClip: a quoted value is cut on a character boundary, never inside
// a Japanese character.
func TestClip(t *testing.T) {
	for _, tt := range []struct {
		s    string
		n    int
		want string
	}{
		{"short", 10, "short"},
		{"abcdef", 3, "abc…"},
		{"注文API", 4, "注…"}, // 注 is 3 bytes: byte 4 is inside 文
		{"注文API", 6, "注文…"},
	} {
		if got := Clip(tt.s, tt.n); got != tt.want {
			t.Errorf("Clip(%q, %d) = %q, want %q", tt.s, tt.n, got, tt.want)
		}
	}
}
