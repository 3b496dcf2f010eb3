package workspace

import (
	"context"
	"encoding/json"
	"path/filepath"
	"sort"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/env"
	"github.com/gw403/gw403-lsp/schemas/gwconfig"
	"github.com/gw403/gw403-lsp/schemas/openapi"
	"github.com/gw403/gw403-lsp/schemas/serverless"
	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/template"
	"github.com/gw403/gw403-lsp/schemas/terraform"
)

// tfParsed is a parsed Terraform file and its syntax problems.
type tfParsed struct {
	f        *terraform.File
	problems []terraform.Problem
}

// snapshotBuilt, when set (by tests), runs after a snapshot was built and
// before it is installed: the window in which an invalidation makes it
// stale.
var snapshotBuilt func()

// snapshotAttempts bounds the rebuilds of a snapshot invalidated while it
// was being built; past it the last one built is used, not installed.
const snapshotAttempts = 3

// Snapshot returns the current definitions snapshot: what rules read
// through their Pass, for outputs such as `inspect` that show it.
func (w *Workspace) Snapshot(ctx context.Context) *link.Snapshot { return w.snapshot(ctx) }

// snapshot returns the current definitions snapshot, building it when
// stale. The build runs outside the lock; it is installed only when no
// invalidation happened meanwhile (w.snapGen unchanged), else it is built
// again. When ctx is done the build stops early and its partial result,
// good for nothing but a cancelled check, is returned uninstalled.
func (w *Workspace) snapshot(ctx context.Context) *link.Snapshot {
	for attempt := 1; ; attempt++ {
		w.mu.Lock()
		if w.snap != nil {
			s := w.snap
			w.mu.Unlock()
			return s
		}
		gen := w.snapGen
		snap, diags, tf, complete := w.buildSnapshotLocked(ctx)
		if snapshotBuilt != nil {
			snapshotBuilt()
		}
		w.mu.Lock()
		switch {
		case w.snap != nil: // another caller installed a current one
			s := w.snap
			w.mu.Unlock()
			return s
		case complete && w.snapGen == gen:
			w.snap, w.snapDiags = snap, diags
			w.tfParsed = tf
			w.mu.Unlock()
			return snap
		}
		w.mu.Unlock()
		if !complete || attempt >= snapshotAttempts || ctx.Err() != nil {
			return snap
		}
	}
}

// buildSnapshotLocked reads the definition files with w.mu held, releases
// it and parses them. complete is false when ctx ended the build early.
func (w *Workspace) buildSnapshotLocked(ctx context.Context) (snap *link.Snapshot, diags map[string][]analyzer.Diagnostic, tf map[string]tfParsed, complete bool) {
	files := w.listLocked()
	type input struct {
		wf   walkedFile
		text string
		err  error
	}
	var inputs []input
	var markers []string
	for _, f := range files {
		if marksProject(f) {
			markers = append(markers, f.Path)
		}
		if f.Kind == link.KindHTTP || f.Marker || f.Candidate && w.notOurs[f.Path] {
			continue
		}
		text, err := w.readLocked(f.Path)
		if err == nil && f.Candidate && sniff(text) == link.KindOther {
			// Not ours: let go of the text now, not after every file
			// was read (a vendored SDK tree is tens of megabytes).
			w.forgetNotOursLocked([]string{f.Path})
			continue
		}
		inputs = append(inputs, input{f, text, err})
	}
	cfgPath := w.configPathLocked()
	cfgText, cfgErr := w.readLocked(cfgPath)
	prevTF := w.tfParsed
	w.mu.Unlock()

	snap = &link.Snapshot{Root: w.root, Files: map[string]*link.FileData{}, Model: &apimodel.Model{}}
	diags = map[string][]analyzer.Diagnostic{}
	if cfgErr == nil {
		src := source.NewFile(cfgPath, cfgText)
		cfg, problems := gwconfig.Parse(src)
		snap.Config = cfg
		fd := &link.FileData{Path: cfgPath, Kind: link.KindConfig, Src: src}
		fd.Config = cfg
		for _, p := range problems {
			fd.Problems = append(fd.Problems, link.Problem{Span: p.Span, Message: p.Message})
		}
		snap.Files[cfgPath] = fd
	}
	var tmpls []*template.Template
	var docs []*openapi.Doc
	var tfFiles []*terraform.File
	var services []*serverless.Service
	// Parsing is most of the work and each file is parsed on its own:
	// in parallel, then gathered in order. A build that ctx ends early is
	// incomplete, and never installed. A Terraform file whose text is the
	// previous snapshot's keeps that parse.
	loaded := make([]*link.FileData, len(inputs))
	tfRes := make([]tfParsed, len(inputs))
	tf = map[string]tfParsed{}
	parallel(ctx, len(inputs), 1, func(i int) {
		in := inputs[i]
		switch {
		case in.err != nil || in.wf.Kind == link.KindConfig:
		case in.wf.Kind == link.KindTerraform:
			p, ok := prevTF[in.wf.Path]
			if !ok || p.f == nil || p.f.Src.Text != in.text {
				f, problems := terraform.Parse(source.NewFile(in.wf.Path, in.text))
				p = tfParsed{f, problems}
			}
			tfRes[i] = p
			loaded[i] = terraformFileData(in.wf, p)
		default:
			loaded[i] = loadDefinition(in.wf, in.text)
		}
	})
	if ctx.Err() != nil {
		return snap, diags, tf, false
	}
	for i, in := range inputs {
		f := in.wf
		base := filepath.Base(f.Path)
		if isHttpyacConfig(base) {
			snap.Httpyac = true
		}
		if base == "package.json" && in.err == nil && packageUsesHttpyac(in.text) {
			snap.Httpyac = true
		}
		if f.Kind == link.KindConfig {
			continue
		}
		if in.err != nil {
			if f.Kind != link.KindOther || f.Candidate {
				diags[f.Path] = append(diags[f.Path], readErrorDiagnostic(f.Path, in.err))
			}
			continue
		}
		fd := loaded[i]
		if fd == nil {
			continue
		}
		switch {
		case fd.Terraform != nil:
			tfFiles = append(tfFiles, fd.Terraform)
			tf[f.Path] = tfRes[i]
		case fd.Serverless != nil:
			services = append(services, fd.Serverless)
		case fd.Template != nil:
			tmpls = append(tmpls, fd.Template)
		case fd.OpenAPI != nil:
			docs = append(docs, fd.OpenAPI)
		}
		snap.Files[f.Path] = fd
	}
	sort.Slice(tmpls, func(i, j int) bool { return tmpls[i].File.Path < tmpls[j].File.Path })
	sort.Slice(docs, func(i, j int) bool { return docs[i].File.Path < docs[j].File.Path })
	sort.Slice(services, func(i, j int) bool { return services[i].File.Path < services[j].File.Path })
	opts := apimodel.Options{Serverless: services}
	if len(tfFiles) > 0 {
		sort.Slice(tfFiles, func(i, j int) bool { return tfFiles[i].Path() < tfFiles[j].Path() })
		snap.Terraform = terraform.Load(tfFiles)
		opts.Terraform = snap.Terraform
	}
	snap.Model = apimodel.Build(tmpls, docs, opts)
	if snap.Model == nil {
		snap.Model = &apimodel.Model{}
	}
	snap.ApplyConfig()
	snap.SetProjectDirs(markers)
	if fd := snap.Files[cfgPath]; fd != nil {
		for _, p := range configProblems(snap.Config, snap.Root, snap.Files) {
			fd.Problems = append(fd.Problems, p)
		}
	}
	return snap, diags, tf, true
}

// loadDefinition parses a walked file that is not a request file or the
// config: a template, an OpenAPI document, a serverless.yml, an env file
// (or a cdk.json, which is not parsed). It returns nil for a file that is
// none of these.
func loadDefinition(f walkedFile, text string) *link.FileData {
	src := source.NewFile(f.Path, text)
	kind := f.Kind
	if f.Candidate {
		kind = sniff(text)
	}
	fd := &link.FileData{Path: f.Path, Kind: kind, Src: src, Ignored: f.Ignored, CDK: f.CDK}
	switch kind {
	case link.KindServerless:
		svc, problems := serverless.Load(src)
		for _, p := range problems {
			fd.Problems = append(fd.Problems, link.Problem{Span: p.Span, Message: p.Message})
		}
		if !svc.NotService {
			fd.Serverless = svc
			fd.Template = svc.Resources // CloudFormation: template rules read it too
		}
	case link.KindCDKApp:
		// Nothing to parse: the app's templates are listed by the walk.
	case link.KindTemplate:
		t, problems := template.Load(src)
		for _, p := range problems {
			fd.Problems = append(fd.Problems, link.Problem{Span: p.Span, Message: p.Message})
		}
		if t != nil && !t.NotTemplate {
			fd.Template = t
		}
	case link.KindOpenAPI:
		d, problems := openapi.Load(src)
		for _, p := range problems {
			fd.Problems = append(fd.Problems, link.Problem{Span: p.Span, Message: p.Message})
		}
		if d != nil && !d.NotOpenAPI {
			fd.OpenAPI = d
		}
	case link.KindEnv:
		ef, problems := parseEnvFile(src)
		fd.Env = ef
		for _, p := range problems {
			if p.Path == "" || p.Path == f.Path {
				fd.Problems = append(fd.Problems, link.Problem{Span: p.Span, Message: p.Message})
			}
		}
	default:
		return nil
	}
	return fd
}

// terraformFileData is the file data of a parsed Terraform file.
func terraformFileData(f walkedFile, p tfParsed) *link.FileData {
	fd := &link.FileData{Path: f.Path, Kind: link.KindTerraform, Src: p.f.Src, Ignored: f.Ignored}
	for _, pr := range p.problems {
		fd.Problems = append(fd.Problems, link.Problem{Span: pr.Span, Message: pr.Message})
	}
	fd.Terraform = p.f
	return fd
}

// parseEnvFile parses an env file by its name.
func parseEnvFile(src *source.File) (*env.EnvFile, []env.Problem) {
	base := strings.ToLower(filepath.Base(src.Path))
	switch {
	case base == "settings.json":
		return env.ParseVSCodeSettings(src)
	case base == env.HttpyacConfigName:
		return env.ParseHttpyacConfig(src)
	case base == env.PrivateEnvJSONName:
		return env.ParseEnvJSON(src, true)
	case base == env.EnvJSONName:
		return env.ParseEnvJSON(src, false)
	}
	return env.ParseDotEnv(src)
}

// packageUsesHttpyac reports whether a package.json has an "httpyac" key.
func packageUsesHttpyac(text string) bool {
	if !strings.Contains(text, `"httpyac"`) {
		return false
	}
	var m map[string]json.RawMessage
	if json.Unmarshal([]byte(text), &m) != nil {
		return false
	}
	_, ok := m["httpyac"]
	return ok
}
