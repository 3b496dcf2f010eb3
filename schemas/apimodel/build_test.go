package apimodel

import (
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/openapi"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/template"
)

var update = flag.Bool("update", false, "rewrite golden files")

// workspace loads every file under testdata/<dir>: templates, and OpenAPI
// documents for what is not a template. Paths are relative to testdata.
type workspace struct {
	files map[string]*source.File
	tpls  []*template.Template
	docs  []*openapi.Doc
}

func loadWorkspace(t *testing.T, dirs ...string) *workspace {
	t.Helper()
	w := &workspace{files: map[string]*source.File{}}
	for _, dir := range dirs {
		var paths []string
		err := filepath.WalkDir(filepath.Join("testdata", dir), func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yaml") || strings.HasSuffix(p, ".json")) {
				paths = append(paths, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
		sort.Strings(paths)
		for _, p := range paths {
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			rel := filepath.ToSlash(strings.TrimPrefix(p, "testdata"+string(filepath.Separator)))
			f := source.NewFile(rel, string(b))
			w.files[rel] = f
			tp, probs := template.Load(f)
			if len(probs) != 0 {
				t.Fatalf("%s: %v", rel, probs)
			}
			if !tp.NotTemplate {
				w.tpls = append(w.tpls, tp)
				continue
			}
			d, oprobs := openapi.Load(f)
			if len(oprobs) != 0 {
				t.Fatalf("%s: %v", rel, oprobs)
			}
			w.docs = append(w.docs, d)
		}
	}
	return w
}

func (w *workspace) build() *Model { return Build(w.tpls, w.docs, Options{}) }

// slice returns the text a Loc points at, checking that it is in bounds.
func (w *workspace) slice(t *testing.T, l Loc) string {
	t.Helper()
	if l.IsZero() {
		return "-"
	}
	f := w.files[l.Path]
	if f == nil {
		t.Errorf("Loc %v names an unknown file", l)
		return "?"
	}
	if l.Span.Start < 0 || l.Span.End > len(f.Text) || l.Span.End < l.Span.Start {
		t.Errorf("Loc %v out of bounds of %s (%d bytes)", l, l.Path, len(f.Text))
		return "?"
	}
	s := []rune(f.Slice(l.Span))
	if len(s) > 60 {
		s = append(append(s[:40:40], '…'), s[len(s)-15:]...)
	}
	return fmt.Sprintf("%q", string(s))
}

// dump renders the model with the text of every Loc, for golden files.
func (w *workspace) dump(t *testing.T, m *Model) string {
	var b strings.Builder
	p := func(format string, args ...any) { fmt.Fprintf(&b, format+"\n", args...) }
	val := func(v Value) string {
		if v.Known {
			return fmt.Sprintf("%q@%s", v.S, w.slice(t, v.Loc))
		}
		return fmt.Sprintf("unknown(%q)@%s", v.S, w.slice(t, v.Loc))
	}
	for _, a := range m.APIs {
		p("API %s kind=%s origin=%s logical=%q file=%s loc=%s ids=%v region=%q", a.Name, a.Kind, a.Origin, a.LogicalID, a.File, w.slice(t, a.Loc), a.IDs, a.Region)
		if a.GatewayUnconfirmed {
			p("  gateway unconfirmed")
		}
		if a.Exported {
			p("  exported")
		}
		if a.EndpointType != "" || !a.EndpointLoc.IsZero() || len(a.VpcEndpointIDs) > 0 {
			var ids []string
			for _, v := range a.VpcEndpointIDs {
				ids = append(ids, val(v))
			}
			p("  endpoint=%s@%s vpce=%v", a.EndpointType, w.slice(t, a.EndpointLoc), ids)
		}
		if !a.DisableLoc.IsZero() {
			p("  disableExecuteApiEndpoint=%v@%s", a.DisableExecute, w.slice(t, a.DisableLoc))
		}
		if a.APIKeySource != "" {
			p("  apiKeySource=%s@%s", a.APIKeySource, w.slice(t, a.APIKeySourceLoc))
		}
		if a.DefinitionFile != "" || !a.DefinitionLoc.IsZero() {
			p("  definition=%s@%s", a.DefinitionFile, w.slice(t, a.DefinitionLoc))
		}
		p("  stages known=%v", a.StagesKnown)
		for _, s := range a.Stages {
			p("    %s implicit=%v deployed=%v params=%v @%s", s.Name, s.Implicit, s.Deployed, s.Params, w.slice(t, s.Loc))
		}
		p("  routes known=%v", a.RoutesKnown)
		for _, r := range a.Routes {
			authz := ""
			if r.Auth.Authorizer != nil {
				authz = " authorizer=" + r.Auth.Authorizer.Name
			}
			key := ""
			if r.Auth.APIKeyRequired || !r.Auth.APIKeyLoc.IsZero() {
				key = fmt.Sprintf(" apiKey=%v@%s", r.Auth.APIKeyRequired, w.slice(t, r.Auth.APIKeyLoc))
			}
			fn := ""
			if r.Function != "" {
				fn = " fn=" + r.Function
			}
			p("    %s %s @%s auth=%s@%s%s%s%s", r.Method, r.Path, w.slice(t, r.Loc), orNone(string(r.Auth.Type)), w.slice(t, r.Auth.Loc), authz, key, fn)
		}
		for _, au := range a.Authorizers {
			var ids []string
			for _, id := range au.Identity {
				ids = append(ids, id.In+":"+id.Name)
			}
			p("  authorizer %s type=%s @%s identity=%v@%s", au.Name, au.Type, w.slice(t, au.Loc), ids, w.slice(t, au.IdentityLoc))
		}
		if a.Policy != nil {
			p("  policy known=%v @%s", a.Policy.Known, w.slice(t, a.Policy.Loc))
			for _, s := range a.Policy.Statements {
				var res []string
				for _, r := range s.Resources {
					res = append(res, val(r))
				}
				p("    %s@%s principal=%q aws=%v actions=%v not=%v res=%v", s.Effect, w.slice(t, s.EffectLoc), s.Principal, s.PrincipalAWS, s.Actions, s.NotAction, res)
				for _, c := range s.Conditions {
					var vs []string
					for _, v := range c.Values {
						vs = append(vs, val(v))
					}
					p("      if %s %s %v @%s", c.Operator, c.Key, vs, w.slice(t, c.Loc))
				}
			}
		}
		for _, d := range a.Deployments {
			p("  deployment %s @%s dependsOn=%v@%s stage=%q", d.LogicalID, w.slice(t, d.Loc), d.DependsOn, w.slice(t, d.DependsOnLoc), d.StageName)
		}
		if s := a.SAM; s != nil {
			p("  sam auth=%s props=%s apiKeyRequired=%v@%s usagePlan=%s create=%q@%s default=%q@%s",
				w.slice(t, s.AuthLoc), w.slice(t, s.PropsLoc), s.ApiKeyRequired, w.slice(t, s.ApiKeyRequiredLoc),
				w.slice(t, s.UsagePlanLoc), s.CreateUsagePlan, w.slice(t, s.CreateUsagePlanLoc), s.DefaultAuthorizer, w.slice(t, s.DefaultAuthLoc))
		}
	}
	for _, d := range m.Domains {
		p("DOMAIN %s kind=%s logical=%q file=%s loc=%s endpoint=%s mtls=%v@%s external=%v", val(d.Name), d.Kind, d.LogicalID, d.File, w.slice(t, d.Loc), d.EndpointType, d.MTLS, w.slice(t, d.MTLSLoc), d.External)
		for _, mp := range d.Mappings {
			api := "<none>"
			if mp.API != nil {
				api = mp.API.Name
			}
			p("  mapping %q known=%v -> %s stage=%q unknown=%v @%s", mp.BasePath, mp.Known, api, mp.Stage, mp.StageUnknown, w.slice(t, mp.Loc))
		}
	}
	for _, pl := range m.UsagePlans {
		var keys []string
		for _, k := range pl.Keys {
			keys = append(keys, k.LogicalID)
		}
		p("PLAN %s generated=%v @%s keys=%v", pl.LogicalID, pl.Generated, w.slice(t, pl.Loc), keys)
		for _, s := range pl.Stages {
			api := "<none>"
			if s.API != nil {
				api = s.API.Name
			}
			p("  %s stage=%s @%s", api, val(s.Stage), w.slice(t, s.Loc))
		}
	}
	for _, k := range m.APIKeys {
		var plans []string
		for _, pl := range k.Plans {
			plans = append(plans, pl.LogicalID)
		}
		p("KEY %s generated=%v @%s plans=%v", k.LogicalID, k.Generated, w.slice(t, k.Loc), plans)
	}
	for _, acl := range m.WebACLs {
		p("WEBACL %s @%s default=%s@%s allowRule=%v", acl.LogicalID, w.slice(t, acl.Loc), acl.DefaultAction, w.slice(t, acl.DefaultLoc), acl.HasAllowRule)
		for _, as := range acl.Associations {
			api := "<none>"
			if as.API != nil {
				api = as.API.Name
			}
			p("  association %s @%s -> %s stage=%q", as.LogicalID, w.slice(t, as.Loc), api, as.Stage)
		}
	}
	return b.String()
}

func orNone(s string) string {
	if s == "" {
		return "UNKNOWN"
	}
	return s
}

// TestBuildGolden builds each fixture workspace and compares the model,
// with the text every Loc points at, to testdata/<name>.golden.
func TestBuildGolden(t *testing.T) {
	for _, dir := range []string{"apikey", "private", "domain-cfn", "httpapi", "authorizers", "body", "defuri", "export", "httpcfn"} {
		t.Run(dir, func(t *testing.T) {
			w := loadWorkspace(t, dir)
			got := w.dump(t, w.build())
			golden := filepath.Join("testdata", dir+".golden")
			if *update {
				if err := os.WriteFile(golden, []byte(got), 0o644); err != nil {
					t.Fatal(err)
				}
				return
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update)", err)
			}
			if got != string(want) {
				t.Errorf("model of %s differs from %s:\n%s", dir, golden, diff(string(want), got))
			}
		})
	}
}

// diff returns the first differing lines of two texts.
func diff(want, got string) string {
	wl, gl := strings.Split(want, "\n"), strings.Split(got, "\n")
	for i := 0; i < len(wl) || i < len(gl); i++ {
		var a, b string
		if i < len(wl) {
			a = wl[i]
		}
		if i < len(gl) {
			b = gl[i]
		}
		if a != b {
			return fmt.Sprintf("line %d:\nwant %s\ngot  %s", i+1, a, b)
		}
	}
	return ""
}
