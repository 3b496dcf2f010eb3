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

// parsedFile is a definition file as a snapshot parsed it: the next
// snapshot reuses the parse while the file's text and what the walk said
// of it are unchanged, so an edit re-parses only the file edited. The
// parse results (template, document, env file, service, Terraform file)
// are never changed once built; each snapshot gets its own FileData
// around them.
type parsedFile struct {
	wf   walkedFile
	text string
	done bool           // parsed (the zero value is no parse)
	fd   *link.FileData // nil: the file is none of the kinds read
}

// reuse returns the file data of a parse that is still current for wf and
// text (nil for a file that is none of the kinds read), with ok false when
// the file must be parsed again.
func (p parsedFile) reuse(wf walkedFile, text string) (fd *link.FileData, ok bool) {
	if !p.done || p.wf != wf || p.text != text {
		return nil, false
	}
	if p.fd == nil {
		return nil, true
	}
	o := p.fd
	n := len(o.Problems)
	return &link.FileData{
		Path: o.Path, Kind: o.Kind, Src: o.Src, Ignored: o.Ignored, CDK: o.CDK,
		Template: o.Template, OpenAPI: o.OpenAPI, Env: o.Env, Terraform: o.Terraform, Serverless: o.Serverless,
		Problems: o.Problems[:n:n],
	}, true
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
		snap, diags, parsed, complete := w.buildSnapshotLocked(ctx)
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
			w.parsed = parsed
			w.mu.Unlock()
			return snap
		}
		w.mu.Unlock()
		if !complete || attempt >= snapshotAttempts || ctx.Err() != nil {
			return snap
		}
	}
}

// buildSnapshotLocked lists the definition files with w.mu held, releases
// it, then reads, classifies and parses them on all cores (or takes their
// parse from the previous snapshot). parsed are the parses for the next
// build. complete is false when ctx ended the build early.
func (w *Workspace) buildSnapshotLocked(ctx context.Context) (snap *link.Snapshot, diags map[string][]analyzer.Diagnostic, parsed map[string]parsedFile, complete bool) {
	files := w.listLocked()
	type input struct {
		wf   walkedFile
		text string
		err  error
		// cached: the text is an overlay's or the disk cache's; else it
		// is read in the build (read, then cached after it).
		cached, read bool
		// notOurs: sniffed as neither template nor OpenAPI document.
		notOurs bool
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
		in := input{wf: f}
		in.text, in.err, in.cached = w.cachedLocked(f.Path)
		inputs = append(inputs, in)
	}
	epoch := w.diskEpoch
	cfgPath := w.configPathLocked()
	cfgText, cfgErr := w.readLocked(cfgPath)
	prev := w.parsed
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
	// Reading, the look at the content and parsing are most of the work,
	// and each file is done on its own: in parallel, then gathered in
	// order. A build that ctx ends early is incomplete, and never
	// installed. A file whose text (and walk entry) is the previous
	// snapshot's keeps that parse.
	loaded := make([]*link.FileData, len(inputs))
	fresh := make([]parsedFile, len(inputs))
	parallel(ctx, len(inputs), 1, func(i int) {
		in := &inputs[i]
		switch {
		case in.cached:
			if in.err == nil && in.wf.Candidate && sniff(in.text) == link.KindOther {
				in.text, in.notOurs = "", true // let go of it now
				return
			}
		case in.wf.Candidate:
			// What is not ours is looked at in reusable memory and never
			// kept (a vendored SDK tree is tens of megabytes).
			in.text, in.notOurs, in.err = w.readCandidate(in.wf.Path)
			in.read = true
			if in.notOurs {
				return
			}
		default:
			in.text, in.err = w.readDisk(in.wf.Path)
			in.read = true
		}
		if in.err != nil || in.wf.Kind == link.KindConfig {
			return
		}
		p := prev[in.wf.Path]
		if fd, ok := p.reuse(in.wf, in.text); ok {
			loaded[i], fresh[i] = fd, p
			return
		}
		w.parses.Add(1)
		p = parsedFile{wf: in.wf, text: in.text, done: true}
		if in.wf.Kind == link.KindTerraform {
			f, problems := terraform.Parse(source.NewFile(in.wf.Path, in.text))
			p.fd = terraformFileData(in.wf, tfParsed{f, problems})
		} else {
			p.fd = loadDefinition(in.wf, in.text)
		}
		fresh[i] = p
		loaded[i], _ = p.reuse(in.wf, in.text)
	})
	// What was read from disk is cached, and what is not ours is
	// remembered, unless a file changed on disk meanwhile (its entry
	// could be stale).
	w.mu.Lock()
	if w.diskEpoch == epoch {
		var notOurs []string
		for _, in := range inputs {
			switch {
			case in.notOurs:
				notOurs = append(notOurs, in.wf.Path)
			case in.read:
				if _, open := w.overlays[in.wf.Path]; !open {
					w.disk[in.wf.Path] = &diskEntry{text: in.text, err: in.err}
				}
			}
		}
		w.forgetNotOursLocked(notOurs)
	}
	w.mu.Unlock()
	if ctx.Err() != nil {
		return snap, diags, nil, false
	}
	parsed = map[string]parsedFile{}
	for i, in := range inputs {
		if in.notOurs {
			continue
		}
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
		parsed[f.Path] = fresh[i]
		fd := loaded[i]
		if fd == nil {
			continue
		}
		switch {
		case fd.Terraform != nil:
			tfFiles = append(tfFiles, fd.Terraform)
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
	return snap, diags, parsed, true
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
