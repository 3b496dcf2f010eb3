package link

import (
	"reflect"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/env"
	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// sharedFile is a request file whose requests write the same target and
// header values, some of them with a request variable of the same name or
// a prompt for a variable the value leaves unresolved.
func sharedFile(t *testing.T) (*Snapshot, *FileData) {
	t.Helper()
	files := map[string]string{
		"/ws/http-client.env.json": `{"dev": {"awsKey": "AKIADEV", "host": "https://a1b2c3d4e5.execute-api.us-east-1.amazonaws.com/prod"},
		  "prod": {"awsKey": "AKIAPROD"}}`,
		"/ws/.env": "API_KEY=secret-key-1234\n",
	}
	lookup := func(p string) *source.File {
		if s, ok := files[p]; ok {
			return source.NewFile(p, s)
		}
		return nil
	}
	set, problems := env.BuildSet("/ws/api.http", "/ws", lookup)
	if len(problems) > 0 {
		t.Fatal(problems)
	}
	const text = "@apiKey = {{$dotenv API_KEY}}\n@base = {{host}}\n\n" +
		"### a\nGET {{base}}/orders\nx-api-key: {{apiKey}}\nAuthorization: AWS {{awsKey}} {{$guid}}\n\n" +
		"### b\nGET {{base}}/orders\nx-api-key: {{apiKey}}\nAuthorization: AWS {{awsKey}} {{$guid}}\n\n" +
		"### c defines apiKey\n@apiKey = mine\nGET {{base}}/orders\nx-api-key: {{apiKey}}\nAuthorization: AWS {{awsKey}} {{$guid}}\n\n" +
		"### d\nGET {{base}}/orders\nX-M: {{missing}}\nx-api-key: {{apiKey}}\n\n" +
		"### e\nGET {{base}}/orders\nX-M: {{missing}}\nx-api-key: {{apiKey}}\n\n" +
		"### f prompts\n# @prompt missing\nGET {{base}}/orders\nX-M: {{missing}}\nx-api-key: {{apiKey}}\n\n" +
		"### g defines base\n@base = http://localhost:3000\nGET {{base}}/orders\nx-api-key: {{apiKey}}\n"
	src := source.NewFile("/ws/api.http", text)
	fd := NewRequestFile("/ws/api.http", src)
	fd.HTTP = httpfile.Parse(src)
	fd.EnvSet = set
	if len(fd.HTTP.Requests) != 7 {
		t.Fatalf("parsed %d requests, want 7", len(fd.HTTP.Requests))
	}
	return &Snapshot{Root: "/ws", Model: testModel()}, fd
}

// unshared is what BuildRequestContext gives for req's target and header
// values when each is expanded for the request alone.
func unshared(fd *FileData, req *httpfile.Request, envName string) (target *Expanded, headers []*Expanded, envDependent bool) {
	res := env.NewResolver(fd.HTTP, req, fd.EnvSet, envName)
	x := res.ExpandTarget()
	target = expandedOf(new(Expanded), x, fd.Path, fd.EnvSet)
	envDependent = usesEnv(x)
	for _, h := range req.Headers {
		x := res.Expand(h.Value)
		envDependent = envDependent || usesEnv(x)
		headers = append(headers, expandedOf(new(Expanded), x, fd.Path, fd.EnvSet))
	}
	return target, headers, envDependent
}

func TestSharedValuesMatchUnshared(t *testing.T) {
	snap, fd := sharedFile(t)
	for _, envName := range []string{"dev", "prod", ""} {
		for round := 0; round < 2; round++ {
			for i, req := range fd.HTTP.Requests {
				rc := BuildRequestContext(snap, fd, req, envName)
				target, headers, envDep := unshared(fd, req, envName)
				if !reflect.DeepEqual(rc.URL.Exp, target) {
					t.Errorf("%s, request %d, round %d: target = %+v, want %+v", envName, i, round, rc.URL.Exp, target)
				}
				for k, h := range rc.Headers {
					if !reflect.DeepEqual(h.Value, headers[k]) {
						t.Errorf("%s, request %d, round %d: %s = %+v, want %+v", envName, i, round, h.H.Name, h.Value, headers[k])
					}
				}
				if rc.EnvDependent != envDep {
					t.Errorf("%s, request %d: EnvDependent = %v, want %v", envName, i, rc.EnvDependent, envDep)
				}
			}
		}
		// The values written alike were shared.
		m := fd.Memo(sharedValuesKey{envName}, nil).(*sharedValues)
		for _, raw := range []string{"{{apiKey}}", "AWS {{awsKey}} {{$guid}}", "{{base}}/orders", "{{missing}}"} {
			if m.byRaw[raw] == nil {
				t.Errorf("%s: %q was not shared", envName, raw)
			}
		}
	}
	// What the shared values say of the requests that define or prompt
	// for their variables.
	rc := BuildRequestContext(snap, fd, fd.HTTP.Requests[2], "dev")
	if got := rc.Header("x-api-key").Value.Text; got != "mine" {
		t.Errorf("request c: x-api-key = %q, want its own variable", got)
	}
	rc = BuildRequestContext(snap, fd, fd.HTTP.Requests[6], "dev")
	if got := rc.URL.Exp.Text; got != "http://localhost:3000/orders" {
		t.Errorf("request g: target = %q, want its own base", got)
	}
}

// A request's expanded values are its own: changing them changes neither
// the shared values nor what the next request gets.
func TestSharedValuesNotAliased(t *testing.T) {
	snap, fd := sharedFile(t)
	reqs := fd.HTTP.Requests
	BuildRequestContext(snap, fd, reqs[0], "dev")
	b := BuildRequestContext(snap, fd, reqs[1], "dev")
	m := fd.Memo(sharedValuesKey{"dev"}, nil).(*sharedValues)
	before := map[string]sharedValue{}
	for raw, sv := range m.byRaw {
		if sv != nil {
			before[raw] = sharedValue{pieces: append([]Piece(nil), sv.pieces...), text: sv.text}
		}
	}
	if len(before) == 0 {
		t.Fatal("nothing shared")
	}
	for _, exp := range append([]*Expanded{b.URL.Exp}, b.Header("x-api-key").Value, b.Header("Authorization").Value) {
		for i := range exp.Pieces {
			exp.Pieces[i] = Piece{Text: "changed", Var: "changed", Path: "changed", Span: source.Span{Start: 1, End: 2}, Unknown: true}
		}
		exp.Pieces = append(exp.Pieces, Piece{Text: "more"})
		exp.Text = "changed"
	}
	for raw, want := range before {
		if got := m.byRaw[raw]; !reflect.DeepEqual(got.pieces, want.pieces) || got.text != want.text {
			t.Errorf("shared %q changed by a request's caller: %+v, was %+v", raw, got.pieces, want.pieces)
		}
	}
	rc := BuildRequestContext(snap, fd, reqs[0], "dev")
	target, headers, _ := unshared(fd, reqs[0], "dev")
	if !reflect.DeepEqual(rc.URL.Exp, target) {
		t.Errorf("target after a change = %+v, want %+v", rc.URL.Exp, target)
	}
	for k, h := range rc.Headers {
		if !reflect.DeepEqual(h.Value, headers[k]) {
			t.Errorf("%s after a change = %+v, want %+v", h.H.Name, h.Value, headers[k])
		}
	}
}
