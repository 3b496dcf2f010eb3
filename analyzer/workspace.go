package analyzer

import (
	"context"
	"sync"
)

// Options configure a Workspace. The zero value checks with every rule at
// its default severity, in every environment the files define.
type Options struct {
	// Env restricts request rules to one environment ("" = the config's
	// `environment`, else every environment the env files define).
	Env string
	// ConfigPath is a .gw403.yaml to use instead of <root>/.gw403.yaml.
	ConfigPath string
	// Severity overrides rule severities by code ("GW181": Info, or Off).
	Severity map[string]Severity
	// Select and Ignore filter rules by code or code prefix ("GW1").
	Select, Ignore []string
}

// Workspace is the analyzer's view of one root directory: files on disk,
// overridden by editor buffers (overlays). It is safe for concurrent use;
// parsed files and the API model are cached and rebuilt only when a file
// they came from changes.
//
// Paths given to and returned by a Workspace are absolute, cleaned OS paths.
type Workspace struct {
	root string

	mu       sync.Mutex // guards opts, overlays
	opts     Options
	overlays map[string]string
}

// New returns a Workspace rooted at root (an absolute directory).
func New(root string, opts Options) *Workspace {
	return &Workspace{root: root, opts: opts, overlays: map[string]string{}}
}

// Root returns the workspace root directory.
func (w *Workspace) Root() string { return w.root }

// SetOptions replaces the options; cached results that depend on them are
// dropped.
func (w *Workspace) SetOptions(opts Options) {
	w.mu.Lock()
	w.opts = opts
	w.mu.Unlock()
}

// SetOverlay makes text the content of path (an editor buffer), whatever is
// on disk.
func (w *Workspace) SetOverlay(path, text string) {
	w.mu.Lock()
	w.overlays[path] = text
	w.mu.Unlock()
}

// CloseOverlay forgets the buffer of path; the disk content counts again.
func (w *Workspace) CloseOverlay(path string) {
	w.mu.Lock()
	delete(w.overlays, path)
	w.mu.Unlock()
}

// FileChanged tells the workspace that path was created, changed or deleted
// on disk.
func (w *Workspace) FileChanged(path string) {}

// Kind classifies path (by name, and for YAML/JSON by a cheap look at the
// content).
func (w *Workspace) Kind(path string) FileKind { return KindOther }

// Check returns the diagnostics of one file, reflecting the current
// overlays. It returns ctx.Err() when cancelled.
func (w *Workspace) Check(ctx context.Context, path string) ([]Diagnostic, error) {
	return nil, ctx.Err()
}

// Affected returns the open or on-disk request files whose diagnostics
// depend on path (a template, OpenAPI document, env file or config), so an
// editor can re-check them after path changes. For a request file it
// returns nil.
func (w *Workspace) Affected(path string) []string { return nil }

// Hover returns what is known at byte offset off of path, or nil.
func (w *Workspace) Hover(ctx context.Context, path string, off int) (*Hover, error) {
	return nil, ctx.Err()
}

// Complete returns completion items at byte offset off of path.
func (w *Workspace) Complete(ctx context.Context, path string, off int) ([]Completion, error) {
	return nil, ctx.Err()
}

// Links returns document links of path (request → template route).
func (w *Workspace) Links(ctx context.Context, path string) ([]DocLink, error) {
	return nil, ctx.Err()
}

// Environments returns the environment names that apply to the request
// file at path, sorted.
func (w *Workspace) Environments(path string) []string { return nil }

// fileExt holds a file's format-specific parse results.
type fileExt struct{}
