package main

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/cmd/gw403-lsp/inspect"
)

func init() {
	register("inspect", "print what was understood: requests, resolved URLs, links, the API model", runInspect)
}

const inspectSynopsis = `inspect [--format text|json] [--env NAME] [paths…]

Prints what gw403-lsp understood of the files under the paths (default: the
current directory): each request's method, raw URL, headers and body lines,
the URL resolved in each environment and the API it links to (and why);
the APIs of templates and OpenAPI documents with stages, routes and their
auth, usage plans, keys, custom domains and mappings, resource policies.
Secret values are masked.`

func runInspect(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	fs := newFlagSet("inspect", inspectSynopsis, stderr)
	format := fs.String("format", "text", "output format: text or json")
	envName := fs.String("env", "", "evaluate requests in this environment only")
	config := fs.String("config", "", "use this .gw403.yaml instead of the one at the workspace root")
	paths, err := parseInterspersed(fs, args)
	if err != nil {
		if err.Error() == "flag: help requested" {
			return 0
		}
		return 2
	}
	if *format != "text" && *format != "json" {
		fmt.Fprintf(stderr, "gw403-lsp inspect: unknown --format %q (want text or json)\n", *format)
		return 2
	}
	abs, cfg, _, err := resolvePaths(paths, *config)
	if err != nil {
		fmt.Fprintln(stderr, "gw403-lsp inspect:", esc(err.Error()))
		return 2
	}
	ws := workspace.New(inspectRoot(abs), workspace.Options{Env: *envName, ConfigPath: cfg})
	ins, err := inspect.Build(context.Background(), ws, abs)
	if err != nil {
		fmt.Fprintln(stderr, "gw403-lsp inspect:", esc(err.Error()))
		return 2
	}
	if *format == "json" {
		return writeJSONOrFail(stdout, stderr, ins)
	}
	writeInspectText(stdout, ins)
	return 0
}

func writeInspectText(w io.Writer, ins *inspect.Inspection) {
	// Every string printed is a value from the files (paths, names, URLs,
	// env values, YAML keys): escaped; the layout is in the formats.
	pf := func(format string, args ...any) {
		for i, a := range args {
			if s, ok := a.(string); ok {
				args[i] = esc(s)
			}
		}
		fmt.Fprintf(w, format, args...)
	}
	for _, p := range ins.Problems {
		pf("%s:%d:%d: cannot parse: %s\n", p.Path, p.Line, p.Col, p.Message)
	}
	for _, f := range ins.RequestFiles {
		envs := "no environments"
		if len(f.Environments) > 0 {
			envs = "environments: " + strings.Join(f.Environments, ", ")
		}
		pf("%s (project %s; %s)\n", f.Path, f.Project, envs)
		for _, r := range f.Requests {
			name := ""
			if r.Name != "" {
				name = " [" + r.Name + "]"
			}
			pf("  %d: %s %s%s\n", r.Line, r.Method, r.RawURL, name)
			for _, h := range r.Headers {
				pf("    %d: %s: %s\n", h.Line, h.Name, h.Value)
			}
			if r.Body != nil {
				pf("    body: lines %d-%d\n", r.Body.StartLine, r.Body.EndLine)
			}
			for _, e := range r.Evaluations {
				env := ""
				if e.Env != "" {
					env = "[" + e.Env + "] "
				}
				pf("    %s→ %s (%s host)\n", env, e.URL, e.HostKind)
				if e.API != "" {
					detail := []string{"API " + e.API}
					if e.Stage != "" {
						detail = append(detail, "stage "+e.Stage)
					}
					if e.Route != "" {
						a := "auth " + e.Auth
						if e.APIKeyRequired {
							a += " + API key"
						}
						detail = append(detail, "route "+e.Route, a)
					} else if e.Resource != "" {
						detail = append(detail, "no route for "+e.Resource)
					}
					pf("      %s\n", strings.Join(detail, ", "))
				}
				pf("      %s\n", e.Why)
			}
		}
	}
	for _, a := range ins.APIs {
		pf("%s:%d: API %s (%s, %s", a.At.Path, a.At.Line, a.Name, a.Kind, a.Origin)
		if a.EndpointType != "" {
			pf(", %s", a.EndpointType)
		}
		if a.DisableExecute {
			fmt.Fprint(w, ", default endpoint disabled")
		}
		if len(a.IDs) > 0 {
			pf(", ids %s", strings.Join(a.IDs, " "))
		}
		fmt.Fprintln(w, ")")
		var stages []string
		for _, s := range a.Stages {
			n := s.Name
			switch {
			case s.Implicit:
				n += " (implicit)"
			case s.File != "":
				n += fmt.Sprintf(" (%s:%d)", s.File, s.Line)
			case s.Line > 0:
				n += fmt.Sprintf(" (line %d)", s.Line)
			}
			stages = append(stages, n)
		}
		if !a.StagesKnown {
			stages = append(stages, "…")
		}
		pf("  stages: %s\n", strings.Join(stages, ", "))
		for _, r := range a.Routes {
			auth := r.Auth
			if r.Authorizer != "" {
				auth += " " + r.Authorizer
			}
			if r.APIKeyRequired {
				auth += " + API key"
			}
			where := ""
			if r.Line > 0 {
				where = fmt.Sprintf("  (line %d", r.Line)
				if r.File != "" {
					where = fmt.Sprintf("  (%s:%d", r.File, r.Line)
				}
				if r.Definition != "" {
					where += " " + r.Definition
				}
				where += ")"
			}
			pf("  %-7s %-30s %s%s\n", r.Method, r.Path, auth, where)
		}
		if !a.RoutesKnown {
			fmt.Fprintln(w, "  (routes not fully known: definition outside the workspace or not static)")
		}
		for _, z := range a.Authorizers {
			at := ""
			if z.Line > 0 {
				at = fmt.Sprintf("  (line %d)", z.Line)
			}
			pf("  authorizer %s: %s %s%s\n", z.Name, z.Type, strings.Join(z.Identity, ", "), at)
		}
		for _, d := range a.Deployments {
			at := fmt.Sprintf("line %d", d.Line)
			if d.File != "" {
				at = fmt.Sprintf("%s:%d", d.File, d.Line)
			}
			var facts []string
			if d.Triggers > 0 {
				facts = append(facts, fmt.Sprintf("triggers (line %d)", d.Triggers))
			}
			if len(d.DependsOn) > 0 {
				facts = append(facts, "depends on "+strings.Join(d.DependsOn, ", "))
			}
			if len(facts) == 0 {
				facts = append(facts, "no triggers or dependencies")
			}
			pf("  deployment %s (%s): %s\n", d.Name, at, strings.Join(facts, "; "))
		}
		if a.Policy != nil {
			pf("  resource policy (line %d):\n", a.Policy.Line)
			for _, s := range a.Policy.Statements {
				pf("    %s %s %s on %s\n", s.Effect, s.Principal, strings.Join(s.Actions, ","), strings.Join(s.Resources, ","))
			}
		}
	}
	for _, d := range ins.Domains {
		mtls := ""
		if d.MTLS {
			mtls = ", mutual TLS"
		}
		pf("%s:%d: custom domain %s (%s%s)\n", d.At.Path, d.At.Line, d.Name, d.Kind, mtls)
		for _, m := range d.Mappings {
			bp := m.BasePath
			if bp == "" {
				bp = "(none)"
			}
			at := ""
			if m.Line > 0 {
				at = fmt.Sprintf("  (line %d)", m.Line)
			}
			pf("  /%s → %s/%s%s\n", strings.TrimPrefix(bp, "/"), m.API, m.Stage, at)
		}
	}
	for _, p := range ins.UsagePlans {
		pf("%s:%d: usage plan %s: stages %s; keys %s\n", p.At.Path, p.At.Line, p.Name, strings.Join(p.Stages, ", "), strings.Join(p.Keys, ", "))
	}
	for _, k := range ins.APIKeys {
		pf("%s:%d: API key %s: plans %s\n", k.At.Path, k.At.Line, k.Name, strings.Join(k.Plans, ", "))
	}
	for _, a := range ins.WebACLs {
		pf("%s:%d: WAF web ACL %s: default %s, on %s\n", a.At.Path, a.At.Line, a.Name, a.DefaultAction, strings.Join(a.AssociatedTo, ", "))
	}
}

// inspectRoot is the workspace root of the paths (FindRoot); paths in
// several workspaces are inspected together from their common folder.
func inspectRoot(abs []string) string {
	roots, _ := workspace.GroupByRoot(abs)
	common := roots[0]
	for _, r := range roots[1:] {
		for {
			if rel, err := filepath.Rel(common, r); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
				break
			}
			common = filepath.Dir(common)
		}
	}
	return common
}
