package apimodel

import (
	"testing"
	"time"
)

func TestIAMMatch(t *testing.T) {
	tests := []struct {
		pattern, s string
		fold, want bool
	}{
		{"execute-api:Invoke", "execute-api:Invoke", false, true},
		{"execute-api:invoke", "execute-api:Invoke", true, true},
		{"execute-api:invoke", "execute-api:Invoke", false, false},
		{"execute-api:*", "execute-api:Invoke", true, true},
		{"*", "execute-api:Invoke", true, true},
		{"execute-api:Inv?ke", "execute-api:Invoke", true, true},
		{"execute-api:ManageConnections", "execute-api:Invoke", true, false},
		{"s3:*", "execute-api:Invoke", true, false},
		{"vpce-0a*", "vpce-0abc", false, true},
		{"vpce-0a*c", "vpce-0abcd", false, false},
		{"*/prod/*", "abc/prod/GET/x", false, true},
		{"", "", false, true},
		{"", "x", false, false},
	}
	for _, tt := range tests {
		if got := IAMMatch(tt.pattern, tt.s, tt.fold); got != tt.want {
			t.Errorf("IAMMatch(%q, %q, %v) = %v, want %v", tt.pattern, tt.s, tt.fold, got, tt.want)
		}
	}
}

func TestParseAPIRes(t *testing.T) {
	known := func(s string) Value { return Value{S: s, Known: true} }
	unknown := func(s string) Value { return Value{S: s} }
	tests := []struct {
		v    Value
		want APIRes
	}{
		{known("*"), APIRes{All: true}},
		{known("execute-api:/*"), APIRes{All: true}},
		{known("execute-api:/*/*/*"), APIRes{All: true}},
		{known("arn:aws:execute-api:*:*:*"), APIRes{All: true}},
		{known("arn:aws:execute-api:us-east-1:123456789012:abcde12345/*"), APIRes{All: true}},
		{unknown("arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${MyApi}/*/*/*"), APIRes{All: true}},
		{known("execute-api:/prod/*"), APIRes{Stage: "prod", Method: "*", HasMethod: true}},
		{known("execute-api:/Prod/GET/orders/{id}"), APIRes{Stage: "Prod", Method: "GET", HasMethod: true, Path: "/orders/{id}", HasPath: true}},
		{unknown("arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:*/V1/GET/*"), APIRes{Stage: "V1", Method: "GET", HasMethod: true, Path: "/*", HasPath: true}},
		{unknown("execute-api:/${Stage}/*"), APIRes{Unknown: true}},
		{unknown(""), APIRes{Unknown: true}},
		{known("arn:aws:s3:::bucket/*"), APIRes{Other: true}},
		{known("arn:aws:execute-api:us-east-1:123456789012:abcde12345"), APIRes{Unknown: true}},
		{known("execute-api:*"), APIRes{Unknown: true}},
	}
	for _, tt := range tests {
		if got := ParseAPIRes(tt.v); got != tt.want {
			t.Errorf("ParseAPIRes(%q) = %+v, want %+v", tt.v.S, got, tt.want)
		}
	}
}

func TestTimeConditions(t *testing.T) {
	at := time.Date(2025, 6, 1, 12, 0, 0, 0, time.UTC)
	cond := func(op, key string, vals ...string) Condition {
		c := Condition{Operator: op, Key: key}
		for _, v := range vals {
			c.Values = append(c.Values, Value{S: v, Known: true})
		}
		return c
	}
	tests := []struct {
		name        string
		conds       []Condition
		ended, true bool
	}{
		{"no condition", nil, false, true},
		{"before a past date", []Condition{cond("DateLessThan", "aws:CurrentTime", "2024-03-31T23:59:59Z")}, true, false},
		{"before a future date", []Condition{cond("DateLessThan", "aws:CurrentTime", "2099-01-01T00:00:00Z")}, false, false},
		{"one of two dates ahead", []Condition{cond("DateLessThan", "aws:CurrentTime", "2020-01-01", "2030-01-01")}, false, false},
		{"epoch seconds past", []Condition{cond("NumericLessThanEquals", "aws:EpochTime", "1600000000")}, true, false},
		{"after a past date", []Condition{cond("DateGreaterThan", "aws:CurrentTime", "2023-12-31T00:00:00Z")}, false, true},
		{"after a future date", []Condition{cond("DateGreaterThan", "aws:CurrentTime", "2099-12-31")}, false, false},
		{"IfExists", []Condition{cond("DateLessThanIfExists", "aws:CurrentTime", "2024-01-01")}, true, false},
		{"other key", []Condition{cond("StringEquals", "aws:SourceVpce", "vpce-1")}, false, false},
		{"not a date", []Condition{cond("DateLessThan", "aws:CurrentTime", "soon")}, false, false},
	}
	for _, tt := range tests {
		st := &Statement{Conditions: tt.conds}
		if got := st.WindowEnded(at) != nil; got != tt.ended {
			t.Errorf("%s: WindowEnded = %v, want %v", tt.name, got, tt.ended)
		}
		if got := st.AlwaysTrue(at); got != tt.true {
			t.Errorf("%s: AlwaysTrue = %v, want %v", tt.name, got, tt.true)
		}
	}
}

func TestCoversInvoke(t *testing.T) {
	tests := []struct {
		actions     []string
		not         bool
		may, surely bool
	}{
		{[]string{"execute-api:Invoke"}, false, true, true},
		{[]string{"execute-api:*"}, false, true, true},
		{[]string{"sts:AssumeRole"}, false, false, false},
		{[]string{"${Action}"}, false, true, false},
		{[]string{"execute-api:ManageConnections"}, true, true, false},
		{[]string{"execute-api:*"}, true, false, false},
	}
	for _, tt := range tests {
		st := &Statement{Actions: tt.actions, NotAction: tt.not}
		if got := st.CoversInvoke(); got != tt.may {
			t.Errorf("CoversInvoke(%v, not=%v) = %v, want %v", tt.actions, tt.not, got, tt.may)
		}
		if got := st.CoversInvokeSurely(); got != tt.surely {
			t.Errorf("CoversInvokeSurely(%v, not=%v) = %v, want %v", tt.actions, tt.not, got, tt.surely)
		}
	}
}
