package suggest

import (
	"reflect"
	"testing"
)

func TestDistance(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"xapikey", "xapikey", 0},
		{"xapikye", "xapikey", 1}, // a swap is one edit
		{"xapiky", "xapikey", 1},
		{"apikey", "xapikey", 1},
		{"", "abc", 3},
		{"abc", "", 3},
		{"Prod", "prod", 1}, // case counts here
		{"prdo", "prod", 1},
		{"ca", "abc", 3}, // optimal string alignment: no edit of a swapped pair
		{"本番", "本審", 1},  // characters, not bytes
		{"ステージ", "ステー", 1},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

// TestNear states the policy: up to 4 characters one edit, longer names
// two, case ignored, never the whole name.
func TestNear(t *testing.T) {
	tests := []struct {
		word, name string
		dist       int
		ok         bool
	}{
		{"prod", "Prod", 0, true},
		{"PROD", "Prod", 0, true},
		{"prd", "Prod", 1, true},
		{"prdo", "Prod", 1, true},
		{"pr", "Prod", 2, false},
		{"dve", "dev", 1, true},
		{"dv", "dev", 1, true},
		{"qa", "uat", 2, false},
		{"stagging", "staging", 1, true},
		{"stgng", "staging", 2, true},
		{"stg", "staging", 4, false},
		{"ordrs", "orders", 1, true},
		{"ORDRS", "orders", 1, true},
		{"usres", "users", 1, true},
		{"b", "a", 1, false}, // a one-letter name is never suggested for another letter
		{"A", "a", 0, true},
		{"v1", "v2", 1, true},
		{"本番", "本審", 1, true},
	}
	for _, tt := range tests {
		d, ok := Near(tt.word, tt.name)
		if d != tt.dist || ok != tt.ok {
			t.Errorf("Near(%q, %q) = %d, %v, want %d, %v", tt.word, tt.name, d, ok, tt.dist, tt.ok)
		}
	}
}

func TestClosest(t *testing.T) {
	got := Closest("prod", []string{"dev", "Prod", "prd", "prod2", "staging", "Prd"})
	want := []Match{{"Prod", 0, 1}, {"Prd", 1, 5}, {"prd", 1, 2}, {"prod2", 1, 3}}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("Closest = %v, want %v", got, want)
	}
	if got := Closest("orders", []string{"dev", "Prod"}); got != nil {
		t.Errorf("Closest(orders) = %v, want nil", got)
	}
}
