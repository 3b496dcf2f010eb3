// Package workspace is a folder of request files and API definitions as
// the CLI and the language server see it: it walks and classifies files,
// keeps editor overlays, builds and caches snapshots (analyzer/link),
// runs the rules of analyzer/rules on them, applies suppressions and the
// fix safety check, and answers the editor's questions (hover, completion,
// definition, references, code lenses).
package workspace

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"sync/atomic"
	"unsafe"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/gwconfig"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// MaxFileSize is the largest file the analyzer reads; a larger file is a
// GW001 finding.
const MaxFileSize = 32 << 20

// Options configure a Workspace. The zero value checks with every rule at
// its default severity, in every environment the files define.
type Options struct {
	// Env restricts request rules to one environment ("" = the config's
	// `environment`, else every environment the env files define).
	Env string
	// ConfigPath is a .gw403.yaml to use instead of <root>/.gw403.yaml.
	ConfigPath string
	// Severity overrides rule severities by code ("GW181": Info, or Off).
	Severity map[string]analyzer.Severity
	// Select and Ignore filter rules by code, code prefix ("GW1") or slug.
	Select, Ignore []string
	// Recheck keeps each request's findings for the next check of its
	// file (an editor, check --fix): requests whose text is unchanged are
	// not evaluated again. A check that is not repeated leaves it off.
	Recheck bool
}

// Workspace is the analyzer's view of one root directory: files on disk,
// overridden by editor buffers (overlays). It is safe for concurrent use;
// parsed files and the API model are cached and rebuilt only when a file
// they came from changes.
//
// Paths given to and returned by a Workspace are absolute, cleaned OS paths.
type Workspace struct {
	root string
	// readFile reads a file from disk into buf's memory (grown as
	// needed); tests replace it to inject errors.
	readFile func(path string, buf []byte) ([]byte, error)

	mu       sync.Mutex // guards every field below
	opts     Options
	overlays map[string]string
	// listed is the result of the last walk of root; nil until walked.
	listed []walkedFile
	// disk caches file contents read from disk by path.
	disk map[string]*diskEntry
	// diskEpoch counts the drops of disk cache entries (a file changed
	// on disk, a buffer closed): what a snapshot build read outside the
	// lock is cached only when none happened meanwhile.
	diskEpoch uint64
	// snap is the current definitions snapshot; nil when stale.
	snap *link.Snapshot
	// snapGen counts invalidations: a snapshot built while it changed
	// is stale and is not installed.
	snapGen uint64
	// snapProblems are GW001 findings of definition/env/config files.
	snapDiags map[string][]analyzer.Diagnostic
	// httpCache caches parsed request files by path.
	httpCache map[string]*link.FileData
	// tmplDiags caches template-scope findings of the current snapshot.
	tmplDiags map[string][]analyzer.Diagnostic
	// reqCache caches each request file's request findings (see
	// reqcache.go), valid for reqCacheSnap.
	reqCache     map[string]fileReqs
	reqCacheSnap *link.Snapshot
	// walkErrs are the directories the last walk could not read.
	walkErrs []error
	// parsed holds the parsed definition files of the last snapshot
	// installed: a rebuild reuses those whose text did not change.
	parsed map[string]parsedFile
	// parses counts the definition files parsed rather than reused.
	parses atomic.Int64
	// notOurs are YAML/JSON files sniffed as neither template nor OpenAPI
	// document (their text is not kept); cleared when they change.
	notOurs map[string]bool
	// linkCounts are the link outcomes of each request file's requests,
	// from its last check.
	linkCounts map[string]link.LinkCounts
}

// WalkErrors returns what the last walk of the root could not read
// (unreadable directories, the entry limit), for the CLI to mention.
func (w *Workspace) WalkErrors() []error {
	w.mu.Lock()
	defer w.mu.Unlock()
	return append([]error(nil), w.walkErrs...)
}

type diskEntry struct {
	text string
	err  error
}

// New returns a Workspace rooted at root (an absolute directory).
func New(root string, opts Options) *Workspace {
	return &Workspace{
		root:      filepath.Clean(root),
		readFile:  readInto,
		opts:      opts,
		overlays:  map[string]string{},
		disk:      map[string]*diskEntry{},
		httpCache: map[string]*link.FileData{},
	}
}

// Root returns the workspace root directory.
func (w *Workspace) Root() string { return w.root }

// SetOptions replaces the options; cached results that depend on them are
// dropped.
func (w *Workspace) SetOptions(opts Options) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.opts = opts
	w.invalidateLocked(true)
}

// Options returns the current options.
func (w *Workspace) Options() Options {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.opts
}

// SetOverlay makes text the content of path (an editor buffer), whatever is
// on disk.
func (w *Workspace) SetOverlay(path, text string) {
	path = filepath.Clean(path)
	w.mu.Lock()
	defer w.mu.Unlock()
	if old, ok := w.overlays[path]; ok && old == text {
		return
	}
	w.overlays[path] = text
	w.changedLocked(path)
}

// CloseOverlay forgets the buffer of path; the disk content counts again.
func (w *Workspace) CloseOverlay(path string) {
	path = filepath.Clean(path)
	w.mu.Lock()
	defer w.mu.Unlock()
	if _, ok := w.overlays[path]; !ok {
		return
	}
	delete(w.overlays, path)
	delete(w.disk, path)
	w.diskEpoch++
	w.changedLocked(path)
}

// FileChanged tells the workspace that path was created, changed or deleted
// on disk.
func (w *Workspace) FileChanged(path string) {
	path = filepath.Clean(path)
	w.mu.Lock()
	defer w.mu.Unlock()
	delete(w.disk, path)
	w.diskEpoch++
	known := false
	for _, f := range w.listed {
		if f.Path == path {
			known = true
			break
		}
	}
	kind, cand := classifyName(path)
	if !known && (kind != link.KindOther || cand || isHttpyacConfig(filepath.Base(path)) || IsProjectMarker(filepath.Base(path))) || filepath.Base(path) == ".gitignore" {
		w.listed = nil // a new file (or new ignore rules): walk again
	}
	w.changedLocked(path)
}

// changedLocked drops what depended on path.
func (w *Workspace) changedLocked(path string) {
	delete(w.httpCache, path)
	delete(w.notOurs, path)
	kind, cand := classifyName(path)
	if kind == link.KindHTTP {
		return
	}
	if kind != link.KindOther || cand || isHttpyacConfig(filepath.Base(path)) || filepath.Base(path) == "package.json" || IsProjectMarker(filepath.Base(path)) {
		w.invalidateLocked(kind == link.KindConfig || kind == link.KindEnv)
	}
}

// invalidateLocked drops the definitions snapshot, and with all the parsed
// request files too.
func (w *Workspace) invalidateLocked(all bool) {
	w.snap = nil
	w.snapGen++
	w.snapDiags = nil
	w.tmplDiags = nil
	w.reqCache, w.reqCacheSnap = nil, nil
	if all {
		w.httpCache = map[string]*link.FileData{}
	}
}

// readLocked returns the content of path: the overlay, else the disk.
func (w *Workspace) readLocked(path string) (string, error) {
	if t, ok := w.overlays[path]; ok {
		if len(t) > MaxFileSize {
			// An editor buffer is held to the same limit as a file on disk.
			return "", fmt.Errorf("file too large (%d MB; the limit is %d MB)", len(t)>>20, MaxFileSize>>20)
		}
		return t, nil
	}
	if e, ok := w.disk[path]; ok {
		return e.text, e.err
	}
	text, err := w.readDisk(path)
	w.disk[path] = &diskEntry{text: text, err: err}
	return text, err
}

// cachedLocked returns the content of path when it is at hand: the
// overlay, else the disk cache. ok is false when it must be read from disk.
func (w *Workspace) cachedLocked(path string) (text string, err error, ok bool) {
	if _, open := w.overlays[path]; open {
		text, err = w.readLocked(path)
		return text, err, true
	}
	if e, ok := w.disk[path]; ok {
		return e.text, e.err, true
	}
	return "", nil, false
}

// readDisk reads path from disk (a regular file inside the limits); it
// reads no field guarded by w.mu.
func (w *Workspace) readDisk(path string) (string, error) {
	data, err := w.readDiskInto(path, nil)
	if err != nil {
		return "", err
	}
	// The bytes are never written again: share them rather than copy
	// (a copy doubled the peak memory of reading a large document).
	return unsafe.String(unsafe.SliceData(data), len(data)), nil
}

// sniffBufs hold the memory YAML/JSON files are read into before their
// content says whether they are ours (readCandidate).
var sniffBufs = sync.Pool{New: func() any { return new([]byte) }}

// maxSniffBuf is the largest buffer sniffBufs keeps.
const maxSniffBuf = 4 << 20

// readCandidate reads a YAML/JSON file whose kind its content decides,
// into reusable memory, and looks at it there: of a file that is not ours
// (vendored SDK data, data sets, payloads) nothing is kept; the text of a
// template or OpenAPI document is copied out.
func (w *Workspace) readCandidate(path string) (text string, notOurs bool, err error) {
	bp := sniffBufs.Get().(*[]byte)
	defer sniffBufs.Put(bp)
	data, err := w.readDiskInto(path, *bp)
	if cap(data) <= maxSniffBuf {
		*bp = data[:0]
	}
	if err != nil {
		return "", false, err
	}
	if sniff(unsafe.String(unsafe.SliceData(data), len(data))) == link.KindOther {
		return "", true, nil
	}
	return string(data), false, nil
}

// readDiskInto is readDisk into buf's memory, grown (newly allocated) when
// the file does not fit.
func (w *Workspace) readDiskInto(path string, buf []byte) ([]byte, error) {
	fi, err := os.Lstat(path)
	if err == nil && fi.Mode()&fs.ModeSymlink != 0 {
		if link.Within(w.root, path) && !linkInside(w.root, path) {
			return nil, fmt.Errorf("a symbolic link to a file outside the workspace %s (not read)", w.root)
		}
		fi, err = os.Stat(path) // what the link names
	} else if err != nil {
		fi, err = os.Stat(path) // its error, as before
	}
	if err != nil {
		return nil, err
	}
	if fi.IsDir() {
		return nil, fmt.Errorf("%s is a directory", filepath.Base(path))
	}
	if !fi.Mode().IsRegular() {
		// A FIFO would block the read forever and a device (a link to
		// /dev/zero named http-client.env.json) would never end.
		return nil, fmt.Errorf("not a regular file (%s)", fileType(fi.Mode()))
	}
	if fi.Size() > MaxFileSize {
		return nil, fmt.Errorf("file too large (%d MB; the limit is %d MB)", fi.Size()>>20, MaxFileSize>>20)
	}
	if need := int(fi.Size()) + 1; cap(buf) < need { // +1: the read that sees the end
		buf = make([]byte, 0, need)
	}
	data, err := w.readFile(path, buf[:0])
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, fmt.Errorf("file too large (%d MB; the limit is %d MB)", len(data)>>20, MaxFileSize>>20)
	}
	return data, nil
}

// readInto reads the file at path into buf's memory, growing it if the
// file is larger than its capacity.
func readInto(path string, buf []byte) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	buf = buf[:0]
	for {
		if len(buf) == cap(buf) {
			buf = append(buf, 0)[:len(buf)] // the file grew since its size was read
		}
		n, err := f.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err == io.EOF {
			return buf, nil
		}
		if err != nil {
			return nil, err
		}
	}
}

// fileType names the type of a file that is not a regular file.
func fileType(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "special file"
}

// listLocked walks the root once and returns the files found, with the
// open overlays that the walk did not find (unsaved new files).
func (w *Workspace) listLocked() []walkedFile {
	if w.listed == nil {
		var exclude []string
		if cfg := w.configLocked(); cfg != nil {
			exclude = cfg.Exclude
		}
		files, errs := walk(w.root, w.root, exclude)
		w.listed = files
		w.walkErrs = nil
		for _, e := range errs {
			w.walkErrs = append(w.walkErrs, e)
		}
		if w.listed == nil {
			w.listed = []walkedFile{}
		}
	}
	out := w.listed
	seen := map[string]bool{}
	for _, f := range out {
		seen[f.Path] = true
	}
	var extra []walkedFile
	for p := range w.overlays {
		if !seen[p] && link.Within(w.root, p) {
			kind, cand := classifyName(p)
			if kind != link.KindOther || cand {
				extra = append(extra, walkedFile{Path: p, Kind: kind, Candidate: cand})
			}
		}
	}
	if len(extra) > 0 {
		sort.Slice(extra, func(i, j int) bool { return extra[i].Path < extra[j].Path })
		out = append(append([]walkedFile{}, out...), extra...)
	}
	return out
}

// configLocked reads the configuration (without caching; cheap).
func (w *Workspace) configLocked() *gwconfig.Config {
	path := w.configPathLocked()
	text, err := w.readLocked(path)
	if err != nil {
		return nil
	}
	cfg, _ := gwconfig.Parse(source.NewFile(path, text))
	return cfg
}

func (w *Workspace) configPathLocked() string {
	if w.opts.ConfigPath != "" {
		return w.opts.ConfigPath
	}
	for _, n := range gwconfig.FileNames {
		p := filepath.Join(w.root, n)
		if _, ok := w.overlays[p]; ok {
			return p
		}
		if _, err := os.Stat(p); err == nil {
			return p
		}
	}
	return filepath.Join(w.root, gwconfig.FileNames[0])
}

// Kind classifies path (by name, and for YAML/JSON by a cheap look at the
// content).
func (w *Workspace) Kind(path string) link.FileKind {
	path = filepath.Clean(path)
	kind, cand := classifyName(path)
	if !cand {
		return kind
	}
	w.mu.Lock()
	text, err := w.readLocked(path)
	w.mu.Unlock()
	if err != nil {
		return link.KindOther
	}
	return sniff(text)
}

// Result is the outcome of checking a set of files.
type Result struct {
	// Diagnostics sorted by path, then position, then code.
	Diagnostics []analyzer.Diagnostic
	// Files are the texts the diagnostics' spans refer to (including the
	// targets of fix edits), by path.
	Files map[string]*source.File
	// Checked are the files that were checked.
	Checked []string
	// Unparsed are the checked files that could not be read or parsed,
	// whether or not their GW001 is reported (--ignore GW001 hides the
	// finding, not the fact: --fix never writes such a file).
	Unparsed []string
	// Requests counts the requests of the checked request files by how
	// they link to an API.
	Requests link.LinkCounts
}

// CheckPaths checks every file the analyzer knows under paths (files or
// directories inside the workspace). An explicitly named file is checked
// even when .gitignore would skip it.
func (w *Workspace) CheckPaths(ctx context.Context, paths []string) (*Result, error) {
	w.mu.Lock()
	all := w.listLocked()
	w.mu.Unlock()
	var targets []string
	seen := map[string]bool{}
	add := func(p string) {
		if !seen[p] {
			seen[p] = true
			targets = append(targets, p)
		}
	}
	for _, p := range paths {
		p = filepath.Clean(p)
		fi, err := os.Stat(p)
		if err != nil {
			w.mu.Lock()
			_, open := w.overlays[p]
			w.mu.Unlock()
			if !open {
				return nil, err
			}
		}
		if err == nil && fi.IsDir() {
			if link.Within(w.root, p) {
				for _, f := range all {
					if link.Within(p, f.Path) && f.Kind != link.KindOther || link.Within(p, f.Path) && f.Candidate {
						add(f.Path)
					}
				}
			} else {
				files, _ := walk(p, p, nil)
				for _, f := range files {
					if f.Kind != link.KindOther || f.Candidate {
						add(f.Path)
					}
				}
			}
			continue
		}
		add(p)
	}
	sort.Strings(targets)
	// Files are checked in parallel, sharing one snapshot built first;
	// the template rules (which look at every template at once) run
	// once, before, rather than in whichever workers ask first.
	snap := w.snapshot(ctx)
	for _, p := range targets {
		if k, cand := classifyName(p); k != link.KindHTTP && (k != link.KindOther || cand) {
			w.templateDiags(ctx, snap, p)
			break
		}
	}
	type checked struct {
		diags  []analyzer.Diagnostic
		src    *source.File
		ok     bool
		broken bool
	}
	results := make([]checked, len(targets))
	parallel(ctx, len(targets), 1, func(i int) {
		d, src, ok, broken := w.checkFile(ctx, targets[i])
		results[i] = checked{d, src, ok, broken}
	})
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	res := &Result{Files: map[string]*source.File{}}
	for i, p := range targets {
		r := results[i]
		if !r.ok {
			continue
		}
		res.Checked = append(res.Checked, p)
		if r.broken {
			res.Unparsed = append(res.Unparsed, p)
		}
		if r.src != nil {
			res.Files[p] = r.src
		}
		res.Diagnostics = append(res.Diagnostics, r.diags...)
	}
	w.mu.Lock()
	for _, p := range res.Checked {
		res.Requests.Add(w.linkCounts[p])
	}
	w.mu.Unlock()
	w.attachFiles(res)
	sortDiagnostics(res.Diagnostics)
	return res, nil
}

// MergeResults joins the results of several workspaces into one, sorted as
// CheckPaths sorts.
func MergeResults(rs ...*Result) *Result {
	if len(rs) == 1 {
		return rs[0]
	}
	out := &Result{Files: map[string]*source.File{}}
	for _, r := range rs {
		out.Diagnostics = append(out.Diagnostics, r.Diagnostics...)
		for p, f := range r.Files {
			out.Files[p] = f
		}
		out.Checked = append(out.Checked, r.Checked...)
		out.Unparsed = append(out.Unparsed, r.Unparsed...)
		out.Requests.Add(r.Requests)
	}
	sortDiagnostics(out.Diagnostics)
	return out
}

// attachFiles adds the sources of related locations and fix targets.
func (w *Workspace) attachFiles(res *Result) {
	need := map[string]bool{}
	for _, d := range res.Diagnostics {
		need[d.Path] = true
		for _, r := range d.Related {
			need[r.Path] = true
		}
		for _, f := range d.Fixes {
			for _, e := range f.Edits {
				need[e.Path] = true
			}
		}
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	for p := range need {
		if res.Files[p] != nil || p == "" {
			continue
		}
		if text, err := w.readLocked(p); err == nil {
			res.Files[p] = source.NewFile(p, text)
		}
	}
}

func sortDiagnostics(ds []analyzer.Diagnostic) {
	sort.SliceStable(ds, func(i, j int) bool {
		a, b := ds[i], ds[j]
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		if a.Span.Start != b.Span.Start {
			return a.Span.Start < b.Span.Start
		}
		return a.Code < b.Code
	})
}

// Check returns the diagnostics of one file, reflecting the current
// overlays. It returns ctx.Err() when cancelled.
func (w *Workspace) Check(ctx context.Context, path string) ([]analyzer.Diagnostic, error) {
	path = filepath.Clean(path)
	diags, _, _ := w.check(ctx, path)
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	sortDiagnostics(diags)
	return diags, nil
}

// Source returns the current text of path as the analyzer sees it.
func (w *Workspace) Source(path string) (*source.File, error) {
	path = filepath.Clean(path)
	w.mu.Lock()
	defer w.mu.Unlock()
	text, err := w.readLocked(path)
	if err != nil {
		return nil, err
	}
	return source.NewFile(path, text), nil
}

// check checks one file. checked is false when the file is of no kind the
// analyzer reads.
func (w *Workspace) check(ctx context.Context, path string) (diags []analyzer.Diagnostic, src *source.File, checked bool) {
	diags, src, checked, _ = w.checkFile(ctx, path)
	return diags, src, checked
}

// checkFile is check that also says whether the file could not be read or
// parsed (it had a GW001 before configuration and suppressions applied).
func (w *Workspace) checkFile(ctx context.Context, path string) (diags []analyzer.Diagnostic, src *source.File, checked, broken bool) {
	kind, cand := classifyName(path)
	w.mu.Lock()
	if cand && w.notOurs[path] {
		w.mu.Unlock()
		return nil, nil, false, false
	}
	text, err := w.readLocked(path)
	w.mu.Unlock()
	if err != nil {
		if kind == link.KindOther && !cand {
			return nil, nil, false, false
		}
		src = source.NewFile(path, "")
		return w.finish(w.snapshot(ctx), path, src, []analyzer.Diagnostic{readErrorDiagnostic(path, err)}), src, true, true
	}
	src = source.NewFile(path, text)
	if cand {
		kind = sniff(text)
		if kind == link.KindOther {
			return nil, nil, false, false
		}
	}
	if kind == link.KindOther {
		return nil, nil, false, false
	}
	snap := w.snapshot(ctx)
	switch kind {
	case link.KindHTTP:
		var counts link.LinkCounts
		diags, counts = w.checkHTTP(ctx, snap, path, src)
		w.mu.Lock()
		if w.linkCounts == nil {
			w.linkCounts = map[string]link.LinkCounts{}
		}
		w.linkCounts[path] = counts
		w.mu.Unlock()
	default:
		w.mu.Lock()
		diags = append(diags, w.snapDiags[path]...)
		w.mu.Unlock()
		diags = append(diags, w.templateDiags(ctx, snap, path)...)
		if fd := snap.Files[path]; fd != nil {
			diags = append(diags, w.runFileRules(ctx, snap, fd)...)
		}
	}
	for _, d := range diags {
		if d.Code == "GW001" && d.Path == path {
			broken = true
		}
	}
	// Parse problems count even when GW001 does not run (--ignore GW001).
	if fd := snap.Files[path]; fd != nil && len(fd.Problems) > 0 {
		broken = true
	}
	w.mu.Lock()
	if fd := w.httpCache[path]; fd != nil && len(fd.Problems) > 0 {
		broken = true
	}
	w.mu.Unlock()
	diags = w.finish(snap, path, src, diags)
	if kind == link.KindHTTP {
		w.mu.Lock()
		fd := w.httpCache[path]
		w.mu.Unlock()
		if fd != nil && fd.Src.Text == src.Text {
			diags = w.guardFixes(ctx, snap, fd, diags)
		}
	}
	return diags, src, true, broken
}

func readErrorDiagnostic(path string, err error) analyzer.Diagnostic {
	why := err.Error()
	var pe *fs.PathError
	if errors.As(err, &pe) {
		why = pe.Err.Error()
	}
	return analyzer.Diagnostic{
		Path: path, Code: "GW001", Slug: "parse-error", Severity: analyzer.Error,
		Message: msg.T("cannot read %s: %s", "%s を読み込めません: %s", filepath.Base(path), why),
	}
}

// Affected returns the request files whose diagnostics depend on path (a
// template, OpenAPI document, env file or config), so an editor can re-check
// them after path changes. For a request file it returns nil.
func (w *Workspace) Affected(path string) []string {
	path = filepath.Clean(path)
	kind, cand := classifyName(path)
	if kind == link.KindHTTP || kind == link.KindOther && !cand && !isHttpyacConfig(filepath.Base(path)) && filepath.Base(path) != "package.json" {
		return nil
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	var out []string
	for _, f := range w.listLocked() {
		if f.Kind == link.KindHTTP {
			out = append(out, f.Path)
		}
	}
	return out
}

// AllEnvironments returns every environment name the workspace's env files
// define, sorted.
func (w *Workspace) AllEnvironments() []string {
	snap := w.snapshot(context.Background())
	return snap.AllEnvNames()
}
