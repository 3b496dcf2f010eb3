// Package inspect builds the report of `gw403-lsp inspect`: what the
// analyzer understood of a set of files (requests with their resolved URLs
// and links, and the API model), with 1-based lines and columns.
package inspect

import (
	"context"
	"path/filepath"
	"sort"

	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// Inspection is what the analyzer understood of a set of files: requests
// with their resolved URLs and links, and the API model. It is the JSON of
// `gw403-lsp inspect`; secret values are masked.
type Inspection struct {
	Version      int               `json:"version"`
	Root         string            `json:"root"`
	RequestFiles []InspectHTTPFile `json:"requestFiles"`
	APIs         []InspectAPI      `json:"apis"`
	Domains      []InspectDomain   `json:"domains"`
	UsagePlans   []InspectPlan     `json:"usagePlans"`
	APIKeys      []InspectKey      `json:"apiKeys"`
	WebACLs      []InspectWebACL   `json:"webAcls"`
	Problems     []InspectProblem  `json:"problems"`
}

// InspectPos is a 1-based line and column (characters) in a file.
type InspectPos struct {
	Path string `json:"path"`
	Line int    `json:"line"`
	Col  int    `json:"column"`
}

// InspectProblem is a parse problem (GW001).
type InspectProblem struct {
	InspectPos
	Message string `json:"message"`
}

// InspectHTTPFile is one request file.
type InspectHTTPFile struct {
	Path string `json:"path"`
	// Project is the file's project folder relative to the root ("." for
	// the root): linking looks for APIs there and in its sub-folders.
	Project      string           `json:"project"`
	Environments []string         `json:"environments"`
	Requests     []InspectRequest `json:"requests"`
}

// InspectRequest is one request.
type InspectRequest struct {
	Name        string          `json:"name,omitempty"`
	Line        int             `json:"line"`
	Method      string          `json:"method"`
	RawURL      string          `json:"rawUrl"`
	Version     string          `json:"httpVersion,omitempty"`
	Headers     []InspectHeader `json:"headers"`
	Body        *InspectSpan    `json:"body,omitempty"`
	SigningLine *InspectSigning `json:"signingLine,omitempty"`
	Evaluations []InspectEval   `json:"evaluations"`
}

// InspectHeader is one header as written.
type InspectHeader struct {
	Line  int    `json:"line"`
	Name  string `json:"name"`
	Value string `json:"value"`
}

// InspectSpan is a range of lines.
type InspectSpan struct {
	StartLine int `json:"startLine"`
	EndLine   int `json:"endLine"`
}

// InspectSigning is a dialect `Authorization: AWS …` line.
type InspectSigning struct {
	Line    int               `json:"line"`
	Options map[string]string `json:"options"`
}

// InspectEval is a request evaluated in one environment.
type InspectEval struct {
	Env            string `json:"env"`
	URL            string `json:"url"`
	Complete       bool   `json:"complete"`
	HostKind       string `json:"hostKind"`
	API            string `json:"api,omitempty"`
	LinkedBy       string `json:"linkedBy,omitempty"`
	Why            string `json:"why"`
	Stage          string `json:"stage,omitempty"`
	Resource       string `json:"resource,omitempty"`
	Route          string `json:"route,omitempty"`
	Auth           string `json:"auth,omitempty"`
	APIKeyRequired bool   `json:"apiKeyRequired,omitempty"`
}

// InspectAPI is one API of the model.
type InspectAPI struct {
	Name           string          `json:"name"`
	Kind           string          `json:"kind"`
	Origin         string          `json:"origin"`
	At             InspectPos      `json:"at"`
	IDs            []string        `json:"ids,omitempty"`
	Region         string          `json:"region,omitempty"`
	EndpointType   string          `json:"endpointType,omitempty"`
	DisableExecute bool            `json:"disableExecuteApiEndpoint,omitempty"`
	APIKeySource   string          `json:"apiKeySource,omitempty"`
	Stages         []InspectStage  `json:"stages"`
	StagesKnown    bool            `json:"stagesKnown"`
	Routes         []InspectRoute  `json:"routes"`
	RoutesKnown    bool            `json:"routesKnown"`
	Authorizers    []InspectAuthz  `json:"authorizers,omitempty"`
	Policy         *InspectPolicy  `json:"policy,omitempty"`
	Deployments    []InspectDeploy `json:"deployments,omitempty"`
}

// InspectDeploy is a deployment of an API: what orders it after the
// methods (dependsOn) and what makes it redeploy (triggers).
type InspectDeploy struct {
	Name      string   `json:"name"`
	Line      int      `json:"line,omitempty"`
	File      string   `json:"file,omitempty"` // when not the API's file
	DependsOn []string `json:"dependsOn,omitempty"`
	Triggers  int      `json:"triggersLine,omitempty"` // Terraform: the triggers attribute; 0 when absent
}

// InspectStage is a stage.
type InspectStage struct {
	Name     string `json:"name"`
	Line     int    `json:"line,omitempty"`
	File     string `json:"file,omitempty"` // when not the API's file (a module)
	Implicit bool   `json:"implicit,omitempty"`
}

// InspectRoute is a route with its auth.
type InspectRoute struct {
	Method         string `json:"method"`
	Path           string `json:"path"`
	Line           int    `json:"line,omitempty"`
	File           string `json:"file,omitempty"`
	Auth           string `json:"auth"`
	Authorizer     string `json:"authorizer,omitempty"`
	APIKeyRequired bool   `json:"apiKeyRequired,omitempty"`
	// Definition names what defines the route (a Terraform address).
	Definition string `json:"definition,omitempty"`
}

// InspectAuthz is an authorizer.
type InspectAuthz struct {
	Name     string   `json:"name"`
	Type     string   `json:"type"`
	Identity []string `json:"identity,omitempty"`
	Line     int      `json:"line,omitempty"`
}

// InspectPolicy summarizes a resource policy.
type InspectPolicy struct {
	Line       int                `json:"line,omitempty"`
	Statements []InspectStatement `json:"statements"`
}

// InspectStatement is one statement.
type InspectStatement struct {
	Effect    string   `json:"effect"`
	Principal string   `json:"principal,omitempty"`
	Actions   []string `json:"actions,omitempty"`
	Resources []string `json:"resources,omitempty"`
	Line      int      `json:"line,omitempty"`
}

// InspectDomain is a custom domain.
type InspectDomain struct {
	Name     string           `json:"name"`
	Kind     string           `json:"kind"`
	At       InspectPos       `json:"at"`
	MTLS     bool             `json:"mutualTls,omitempty"`
	Mappings []InspectMapping `json:"mappings"`
}

// InspectMapping is a base path mapping.
type InspectMapping struct {
	BasePath string `json:"basePath"`
	API      string `json:"api,omitempty"`
	Stage    string `json:"stage,omitempty"`
	Line     int    `json:"line,omitempty"`
}

// InspectPlan is a usage plan.
type InspectPlan struct {
	Name   string     `json:"name"`
	At     InspectPos `json:"at"`
	Stages []string   `json:"stages"`
	Keys   []string   `json:"keys,omitempty"`
}

// InspectKey is an API key.
type InspectKey struct {
	Name  string     `json:"name"`
	At    InspectPos `json:"at"`
	Plans []string   `json:"plans,omitempty"`
}

// InspectWebACL is a WAF web ACL.
type InspectWebACL struct {
	Name          string     `json:"name"`
	At            InspectPos `json:"at"`
	DefaultAction string     `json:"defaultAction"`
	AssociatedTo  []string   `json:"associatedTo,omitempty"`
}

// Build reports what the workspace understood of the files under paths.
func Build(ctx context.Context, w *workspace.Workspace, paths []string) (*Inspection, error) {
	res, err := w.CheckPaths(ctx, paths)
	if err != nil {
		return nil, err
	}
	snap := w.Snapshot(ctx)
	rel := func(p string) string { return relTo(w.Root(), p) }
	out := &Inspection{Version: 1, Root: w.Root(), RequestFiles: []InspectHTTPFile{}, APIs: []InspectAPI{},
		Domains: []InspectDomain{}, UsagePlans: []InspectPlan{}, APIKeys: []InspectKey{}, WebACLs: []InspectWebACL{}, Problems: []InspectProblem{}}
	srcs := map[string]*source.File{}
	for p, f := range res.Files {
		srcs[p] = f
	}
	for _, fd := range snap.Files {
		srcs[fd.Path] = fd.Src
	}
	pos := func(l apimodel.Loc) InspectPos {
		if l.IsZero() {
			return InspectPos{}
		}
		src := srcs[l.Path]
		if src == nil {
			s, err := w.Source(l.Path)
			if err != nil {
				return InspectPos{Path: rel(l.Path)}
			}
			src, srcs[l.Path] = s, s
		}
		line, col := src.LineCol(l.Span.Start, source.Runes)
		return InspectPos{Path: rel(l.Path), Line: line, Col: col}
	}
	line := func(l apimodel.Loc) int { return pos(l).Line }

	for _, d := range res.Diagnostics {
		if d.Code != "GW001" {
			continue
		}
		p := InspectPos{Path: rel(d.Path)}
		if src := res.Files[d.Path]; src != nil {
			p.Line, p.Col = src.LineCol(d.Span.Start, source.Runes)
		}
		out.Problems = append(out.Problems, InspectProblem{InspectPos: p, Message: d.Message.EN})
	}

	for _, path := range res.Checked {
		src := res.Files[path]
		if src == nil {
			continue
		}
		fd, envs := w.RequestFile(snap, src)
		if fd == nil {
			continue
		}
		hf := InspectHTTPFile{Path: rel(path), Project: rel(snap.ProjectOf(path)), Environments: append([]string{}, fd.EnvNames...), Requests: []InspectRequest{}}
		lineOfOff := func(off int) int {
			line, _ := src.LineCol(off, source.Runes)
			return line
		}
		for _, req := range fd.HTTP.Requests {
			ir := InspectRequest{Name: req.Name, Line: lineOfOff(req.LineSpan.Start), Method: req.Method, RawURL: req.Target.Raw, Version: req.Version, Headers: []InspectHeader{}, Evaluations: []InspectEval{}}
			for _, h := range req.Headers {
				ir.Headers = append(ir.Headers, InspectHeader{Line: lineOfOff(h.Span.Start), Name: h.Name, Value: h.Value.Raw})
				if h.AWS != nil {
					sl := &InspectSigning{Line: lineOfOff(h.Span.Start), Options: map[string]string{}}
					for _, o := range h.AWS.Options {
						sl.Options[o.Key] = o.Value.Text.Raw
					}
					ir.SigningLine = sl
				}
			}
			if req.Body != nil {
				ir.Body = &InspectSpan{StartLine: lineOfOff(req.Body.Span.Start), EndLine: lineOfOff(max(req.Body.Span.End-1, req.Body.Span.Start))}
			}
			for _, e := range envs {
				rc := link.BuildRequestContext(snap, fd, req, e)
				ev := InspectEval{Env: e, URL: rc.URL.Exp.Display(), Complete: rc.URL.Exp.Complete(), HostKind: rc.URL.HostInfo.Kind.String(), Why: rc.LinkWhy().EN}
				if l := rc.Link; l != nil {
					ev.LinkedBy, ev.Why = string(l.Method), l.Reason().EN
					if l.API != nil {
						ev.API = l.API.Name
					}
					if l.Stage != nil {
						ev.Stage = l.Stage.Name
					}
					ev.Resource = l.ResourcePath()
					if l.Route != nil {
						ev.Route = l.Route.Method + " " + l.Route.Path
						ev.Auth = string(l.Route.Auth.Type)
						ev.APIKeyRequired = l.Route.Auth.APIKeyRequired
					}
				}
				ir.Evaluations = append(ir.Evaluations, ev)
				if !rc.EnvDependent {
					break
				}
			}
			hf.Requests = append(hf.Requests, ir)
		}
		out.RequestFiles = append(out.RequestFiles, hf)
	}

	// The model, restricted to definitions under the inspected paths.
	under := func(l apimodel.Loc) bool {
		for _, p := range paths {
			if link.Within(p, l.Path) || filepath.Clean(p) == l.Path {
				return true
			}
		}
		return false
	}
	m := snap.Model
	for _, a := range m.APIs {
		if !under(a.Loc) && !under(apimodel.Loc{Path: a.File}) {
			continue
		}
		ia := InspectAPI{Name: a.Name, Kind: string(a.Kind), Origin: string(a.Origin), At: pos(a.Loc), IDs: a.IDs, Region: a.Region,
			EndpointType: string(a.EndpointType), DisableExecute: a.DisableExecute, APIKeySource: a.APIKeySource,
			Stages: []InspectStage{}, StagesKnown: a.StagesKnown, Routes: []InspectRoute{}, RoutesKnown: a.RoutesKnown}
		for _, s := range a.Stages {
			is := InspectStage{Name: s.Name, Line: line(s.Loc), Implicit: s.Implicit}
			if s.Loc.Path != "" && s.Loc.Path != a.File {
				is.File = rel(s.Loc.Path)
			}
			ia.Stages = append(ia.Stages, is)
		}
		for _, r := range a.Routes {
			ir := InspectRoute{Method: r.Method, Path: r.Path, Line: line(r.Loc), Auth: string(r.Auth.Type), APIKeyRequired: r.Auth.APIKeyRequired, Definition: r.Def}
			if r.Loc.Path != "" && r.Loc.Path != a.File {
				ir.File = rel(r.Loc.Path)
			}
			if ir.Auth == "" {
				ir.Auth = "unknown"
			}
			if r.Auth.Authorizer != nil {
				ir.Authorizer = r.Auth.Authorizer.Name
			}
			ia.Routes = append(ia.Routes, ir)
		}
		for _, d := range a.Deployments {
			id := InspectDeploy{Name: d.LogicalID, Line: line(d.Loc), DependsOn: d.DependsOn}
			if d.Loc.Path != "" && d.Loc.Path != a.File {
				id.File = rel(d.Loc.Path)
			}
			if d.TF != nil {
				id.Triggers = line(d.TF.TriggersLoc)
			}
			ia.Deployments = append(ia.Deployments, id)
		}
		for _, z := range a.Authorizers {
			iz := InspectAuthz{Name: z.Name, Type: string(z.Type), Line: line(z.Loc)}
			for _, s := range z.Identity {
				iz.Identity = append(iz.Identity, s.In+":"+s.Name)
			}
			ia.Authorizers = append(ia.Authorizers, iz)
		}
		if a.Policy != nil {
			ip := &InspectPolicy{Line: line(a.Policy.Loc), Statements: []InspectStatement{}}
			for _, st := range a.Policy.Statements {
				is := InspectStatement{Effect: st.Effect, Principal: st.Principal, Actions: st.Actions, Line: line(st.Loc)}
				for _, r := range st.Resources {
					if r.Known {
						is.Resources = append(is.Resources, r.S)
					} else {
						is.Resources = append(is.Resources, "?")
					}
				}
				ip.Statements = append(ip.Statements, is)
			}
			ia.Policy = ip
		}
		out.APIs = append(out.APIs, ia)
	}
	for _, d := range m.Domains {
		if !under(d.Loc) {
			continue
		}
		name := d.Name.S
		if !d.Name.Known {
			name = "?"
		}
		id := InspectDomain{Name: name, Kind: string(d.Kind), At: pos(d.Loc), MTLS: d.MTLS, Mappings: []InspectMapping{}}
		for _, mp := range d.Mappings {
			im := InspectMapping{BasePath: mp.BasePath, Stage: mp.Stage, Line: line(mp.Loc)}
			if !mp.Known {
				im.BasePath = "?"
			}
			if mp.API != nil {
				im.API = mp.API.Name
			}
			id.Mappings = append(id.Mappings, im)
		}
		out.Domains = append(out.Domains, id)
	}
	for _, p := range m.UsagePlans {
		if !under(p.Loc) {
			continue
		}
		ip := InspectPlan{Name: p.LogicalID, At: pos(p.Loc), Stages: []string{}}
		for _, s := range p.Stages {
			api := "?"
			if s.API != nil {
				api = s.API.Name
			}
			st := s.Stage.S
			if !s.Stage.Known {
				st = "?"
			}
			ip.Stages = append(ip.Stages, api+"/"+st)
		}
		for _, k := range p.Keys {
			ip.Keys = append(ip.Keys, k.LogicalID)
		}
		out.UsagePlans = append(out.UsagePlans, ip)
	}
	for _, k := range m.APIKeys {
		if !under(k.Loc) {
			continue
		}
		ik := InspectKey{Name: k.LogicalID, At: pos(k.Loc)}
		for _, p := range k.Plans {
			ik.Plans = append(ik.Plans, p.LogicalID)
		}
		out.APIKeys = append(out.APIKeys, ik)
	}
	for _, a := range m.WebACLs {
		if !under(a.Loc) {
			continue
		}
		iw := InspectWebACL{Name: a.LogicalID, At: pos(a.Loc), DefaultAction: a.DefaultAction}
		for _, as := range a.Associations {
			t := "?"
			if as.API != nil {
				t = as.API.Name
			}
			iw.AssociatedTo = append(iw.AssociatedTo, t+"/"+as.Stage)
		}
		out.WebACLs = append(out.WebACLs, iw)
	}
	sort.Slice(out.APIs, func(i, j int) bool {
		if out.APIs[i].At.Path != out.APIs[j].At.Path {
			return out.APIs[i].At.Path < out.APIs[j].At.Path
		}
		return out.APIs[i].At.Line < out.APIs[j].At.Line
	})
	return out, nil
}

// relTo shows a path relative to the workspace root.
func relTo(root, p string) string {
	if r, err := filepath.Rel(root, p); err == nil && !filepath.IsAbs(r) && r != ".." && !(len(r) > 2 && r[:3] == "../") {
		return filepath.ToSlash(r)
	}
	return filepath.ToSlash(p)
}
