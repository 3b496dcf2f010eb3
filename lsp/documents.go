package lsp

import (
	"context"
	"encoding/json"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"time"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/schemas/gwconfig"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// document is an open editor buffer. Its fields are guarded by server.mu.
type document struct {
	uri     protocol.DocumentURI // as the client spelled it
	path    string
	version int32
	file    *source.File // the buffer; replaced, never mutated
	gen     uint64       // counts text changes
	closed  bool

	// Checking. seq counts the checks asked for; a result is kept only
	// when it belongs to the latest one.
	seq     uint64
	timer   *time.Timer
	cancel  context.CancelFunc // of the check in flight
	checked *checkResult       // the latest kept result

	// A background document is a request file that is not open, checked
	// because a file it depends on changed (workspace_diags.go): bg is the
	// workspace that asked, shown whether it has published findings.
	bg    *folder
	shown bool
}

// folder is either a workspace folder the client sent (root, uri, name and
// its settings; no ws) or an analyzer workspace (root, ws, opts and the
// client folder whose settings apply, if any).
type folder struct {
	root     string
	uri      string
	name     string
	settings settings // a client folder's own configuration

	ws     Workspace
	opts   workspace.Options // the options ws has
	client *folder           // the client folder of the files ws serves, or nil
}

// uriToPath returns the cleaned absolute path of a file: URI.
func uriToPath(s string) (string, bool) {
	u, err := url.Parse(s)
	if err != nil || u.Scheme != "file" {
		return "", false
	}
	p := u.Path
	if p == "" {
		p = u.Opaque
	}
	if runtime.GOOS == "windows" {
		// file:///c:/x → c:/x; file://server/share → //server/share
		if len(p) >= 3 && p[0] == '/' && p[2] == ':' {
			p = p[1:]
		} else if u.Host != "" {
			p = "//" + u.Host + p
		}
	}
	if p == "" {
		return "", false
	}
	p = filepath.FromSlash(p)
	if !filepath.IsAbs(p) {
		return "", false
	}
	return filepath.Clean(p), true
}

// pathToURI returns the file: URI of an absolute path.
func pathToURI(path string) protocol.DocumentURI { return uri.File(path) }

func cleanPath(p string) string {
	if abs, err := filepath.Abs(p); err == nil {
		return abs
	}
	return filepath.Clean(p)
}

// addFolderLocked adds a workspace folder of the client. It only scopes
// settings: the analyzer workspace of a file is rooted by the root rule
// (analyzer.FindRoot), whatever folders the client sends.
func (s *server) addFolderLocked(root, u, name string) *folder {
	for _, f := range s.folders {
		if f.root == root {
			return f
		}
	}
	f := &folder{root: root, uri: u, name: name}
	s.folders = append(s.folders, f)
	// Longest root first: a file belongs to its innermost folder.
	sort.SliceStable(s.folders, func(i, j int) bool { return len(s.folders[i].root) > len(s.folders[j].root) })
	s.rebindLocked()
	return f
}

// removeFolderLocked removes a workspace folder of the client.
func (s *server) removeFolderLocked(root string) {
	for i, f := range s.folders {
		if f.root == root {
			s.folders = append(s.folders[:i], s.folders[i+1:]...)
			break
		}
	}
	s.rebindLocked()
}

// rebindLocked makes sure every open document has its workspace (folders
// came or went) and forgets the workspaces no document uses.
func (s *server) rebindLocked() {
	for _, d := range s.docs {
		s.folderForLocked(d.path)
	}
	s.dropUnusedLocked()
}

// clientFolderLocked returns the innermost client folder holding path, or
// nil.
func (s *server) clientFolderLocked(path string) *folder {
	for _, f := range s.folders {
		if link.Within(f.root, path) {
			return f
		}
	}
	return nil
}

// workspaceKey identifies the workspace of a root with the settings of a
// client folder.
func workspaceKey(root string, client *folder) string {
	if client == nil {
		return root
	}
	return root + "\x00" + client.root
}

// folderForLocked returns the workspace that serves path, made on first
// use: rooted where analyzer.FindRoot roots it (the nearest .gw403.yaml,
// else .git, else project marker, else the file's folder), whatever root
// the client sent, with the settings of the innermost client folder
// holding path.
func (s *server) folderForLocked(path string) *folder {
	root := s.rootLocked(path)
	client := s.clientFolderLocked(path)
	key := workspaceKey(root, client)
	if f := s.workspaces[key]; f != nil {
		return f
	}
	f := &folder{root: root, uri: string(pathToURI(root)), client: client}
	f.opts = s.optionsLocked(f)
	f.ws = s.opts.NewWorkspace(root, f.opts)
	for _, d := range s.docs {
		f.ws.SetOverlay(d.path, d.file.Text)
	}
	s.workspaces[key] = f
	s.logf("workspace %s for %s", root, path)
	return f
}

// rootLocked returns the workspace root of path, cached by directory.
func (s *server) rootLocked(path string) string {
	dir := filepath.Dir(path)
	if r, ok := s.roots[dir]; ok {
		return r
	}
	r := workspace.FindRoot(path)
	s.roots[dir] = r
	return r
}

// allFoldersLocked returns every analyzer workspace, by key.
func (s *server) allFoldersLocked() []*folder {
	keys := make([]string, 0, len(s.workspaces))
	for k := range s.workspaces {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]*folder, len(keys))
	for i, k := range keys {
		out[i] = s.workspaces[k]
	}
	return out
}

// docLocked returns the open document of a URI, or nil.
func (s *server) docLocked(u string) *document {
	path, ok := uriToPath(u)
	if !ok {
		return nil
	}
	return s.docs[path]
}

// textLocked returns the text of path: the open buffer, else nil (read it
// from disk outside the lock).
func (s *server) openFileLocked(path string) *source.File {
	if d := s.docs[path]; d != nil {
		return d.file
	}
	return nil
}

// fileCache reads the files that spans point into (related information,
// edits, link targets): the open buffer wins over the disk.
type fileCache struct {
	s     *server
	files map[string]*source.File
}

func (s *server) newFileCache() *fileCache { return &fileCache{s: s, files: map[string]*source.File{}} }

// get returns the text of path, or nil when it cannot be read.
func (c *fileCache) get(path string) *source.File {
	if f, ok := c.files[path]; ok {
		return f
	}
	c.s.mu.Lock()
	f := c.s.openFileLocked(path)
	c.s.mu.Unlock()
	if f == nil {
		if data, err := os.ReadFile(path); err == nil {
			f = source.NewFile(path, string(data))
		}
	}
	c.files[path] = f
	return f
}

// uriOf returns the URI of path: the open document's spelling, else a
// file: URI.
func (s *server) uriOfLocked(path string) protocol.DocumentURI {
	if d := s.docs[path]; d != nil {
		return d.uri
	}
	return pathToURI(path)
}

func (s *server) setOverlayLocked(path, text string) {
	for _, f := range s.allFoldersLocked() {
		f.ws.SetOverlay(path, text)
	}
}

func (s *server) didOpen(params json.RawMessage) error {
	var p protocol.DidOpenTextDocumentParams
	if err := decodeParams(params, &p); err != nil {
		return err
	}
	path, ok := uriToPath(string(p.TextDocument.URI))
	if !ok {
		return nil // untitled: and other schemes: nothing on disk to link with
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.dropBackgroundLocked(path, false) // the buffer's own check publishes
	d := s.docs[path]
	if d == nil {
		d = &document{path: path}
		s.docs[path] = d
	}
	d.uri, d.version = p.TextDocument.URI, p.TextDocument.Version
	d.setText(p.TextDocument.Text)
	s.folderForLocked(path)
	s.setOverlayLocked(path, d.file.Text)
	s.scheduleLocked(d, 0)
	s.scheduleDependentsLocked(path, s.debounce)
	return nil
}

func (d *document) setText(text string) {
	d.file = source.NewFile(d.path, text)
	d.gen++
}

// didChangeParams mirrors DidChangeTextDocumentParams with a *Range:
// protocol v0.12.0 has a value, which makes a full-text change look like an
// insertion at 0:0.
type didChangeParams struct {
	TextDocument struct {
		URI     string `json:"uri"`
		Version *int32 `json:"version"`
	} `json:"textDocument"`
	ContentChanges []contentChange `json:"contentChanges"`
}

type contentChange struct {
	Range *protocol.Range `json:"range"`
	Text  string          `json:"text"`
}

// applyChanges applies content changes in order to text, positions counted
// in enc; clamped reports a range past the end of the text.
func applyChanges(text string, changes []contentChange, enc source.Encoding) (_ string, clamped bool) {
	var buf *editBuffer // made on the first ranged change
	for _, c := range changes {
		if c.Range == nil {
			text, buf = c.Text, nil
			continue
		}
		if buf == nil {
			buf = newEditBuffer(text)
		}
		sp, cl := buf.span(*c.Range, enc)
		clamped = clamped || cl
		buf.replace(sp, c.Text)
	}
	if buf != nil {
		text = buf.String()
	}
	return text, clamped
}

// didChange applies the changes in message order. The stream's order is the
// truth: a version that does not increase is applied all the same (and
// reported), and a range past the end of the document is clamped to it.
func (s *server) didChange(params json.RawMessage) error {
	var p didChangeParams
	if err := decodeParams(params, &p); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docLocked(p.TextDocument.URI)
	if d == nil {
		s.warnf("textDocument/didChange for %s, which is not open: ignored", p.TextDocument.URI)
		return nil
	}
	text, clamped := applyChanges(d.file.Text, p.ContentChanges, s.enc)
	if clamped {
		s.warnf("textDocument/didChange for %s: a range lies past the end of the document; the server's copy may differ from the editor's", d.uri)
	}
	if v := p.TextDocument.Version; v != nil {
		if *v <= d.version {
			s.warnf("textDocument/didChange for %s: version %d after %d", d.uri, *v, d.version)
		}
		d.version = *v
	}
	d.setText(text)
	s.setOverlayLocked(d.path, text)
	s.scheduleLocked(d, s.debounce)
	s.scheduleDependentsLocked(d.path, s.debounce)
	return nil
}

func (s *server) didSave(params json.RawMessage) error {
	var p protocol.DidSaveTextDocumentParams
	if err := decodeParams(params, &p); err != nil {
		return err
	}
	path, ok := uriToPath(string(p.TextDocument.URI))
	if !ok {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// The buffer already is the content; what was saved is now on disk too,
	// which matters to workspaces that read it from there.
	for _, f := range s.allFoldersLocked() {
		f.ws.FileChanged(path)
	}
	if d := s.docs[path]; d != nil {
		s.scheduleLocked(d, 0)
	}
	s.scheduleDependentsLocked(path, 0)
	return nil
}

func (s *server) didClose(params json.RawMessage) error {
	var p protocol.DidCloseTextDocumentParams
	if err := decodeParams(params, &p); err != nil {
		return err
	}
	path, ok := uriToPath(string(p.TextDocument.URI))
	if !ok {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[path]
	if d == nil {
		return nil
	}
	d.closed = true
	d.stopCheckLocked()
	delete(s.docs, path)
	for _, f := range s.allFoldersLocked() {
		f.ws.CloseOverlay(path)
	}
	s.pub.clear(d.uri)
	// The disk content counts again for the files that depend on it.
	s.scheduleDependentsLocked(path, s.debounce)
	s.dropUnusedLocked()
	return nil
}

// isRootMarker reports whether a file name takes part in the root rule.
func isRootMarker(name string) bool {
	return name == ".git" || workspace.IsProjectMarker(name) || slices.Contains(gwconfig.FileNames, name)
}

// dropUnusedLocked forgets the workspaces no open document belongs to.
func (s *server) dropUnusedLocked() {
	used := map[*folder]bool{}
	for _, d := range s.docs {
		used[s.folderForLocked(d.path)] = true
	}
	for key, f := range s.workspaces {
		if !used[f] {
			delete(s.workspaces, key)
		}
	}
}

func (s *server) didChangeWatchedFiles(params json.RawMessage) error {
	var p struct {
		Changes []struct {
			URI  string                  `json:"uri"`
			Type protocol.FileChangeType `json:"type"`
		} `json:"changes"`
	}
	if err := decodeParams(params, &p); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	// A created or deleted .gw403.yaml or project marker can move roots.
	for _, c := range p.Changes {
		path, ok := uriToPath(c.URI)
		if ok && c.Type != protocol.FileChangeTypeChanged && isRootMarker(filepath.Base(path)) {
			s.roots = map[string]string{}
			s.rebindLocked()
			s.recheckAllLocked(s.debounce)
			break
		}
	}
	folders := s.allFoldersLocked()
	for _, c := range p.Changes {
		path, ok := uriToPath(c.URI)
		if !ok {
			continue
		}
		for _, f := range folders {
			f.ws.FileChanged(path)
		}
		if d := s.background[path]; d != nil {
			if c.Type == protocol.FileChangeTypeDeleted {
				s.dropBackgroundLocked(path, true)
			} else {
				s.scheduleLocked(d, s.debounce)
			}
		}
		// An open buffer wins over the disk: its own diagnostics stay.
		s.scheduleDependentsLocked(path, s.debounce)
	}
	return nil
}

func (s *server) didChangeWorkspaceFolders(params json.RawMessage) error {
	var p struct {
		Event struct {
			Added   []workspaceFolder `json:"added"`
			Removed []workspaceFolder `json:"removed"`
		} `json:"event"`
	}
	if err := decodeParams(params, &p); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range p.Event.Removed {
		if path, ok := uriToPath(r.URI); ok {
			s.removeFolderLocked(path)
		}
	}
	for _, a := range p.Event.Added {
		if path, ok := uriToPath(a.URI); ok {
			s.addFolderLocked(path, a.URI, a.Name)
		}
	}
	if s.caps.Workspace.Configuration {
		s.spawnLocked(s.fetchConfiguration)
	}
	s.recheckAllLocked(0)
	return nil
}

// scheduleDependentsLocked re-checks the open files whose diagnostics
// depend on path (a template, OpenAPI document, env file or config).
func (s *server) scheduleDependentsLocked(path string, delay time.Duration) {
	seen := map[string]bool{path: true}
	for _, f := range s.allFoldersLocked() {
		deps := f.ws.Affected(path)
		kind := f.ws.Kind(path)
		if kind == link.KindConfig && link.Within(f.root, path) {
			// A config change can relink anything in its workspace.
			for _, d := range s.docs {
				if link.Within(f.root, d.path) {
					deps = append(deps, d.path)
				}
			}
		}
		for _, p := range deps {
			p = filepath.Clean(p)
			if seen[p] {
				continue
			}
			seen[p] = true
			if d := s.docs[p]; d != nil {
				s.scheduleLocked(d, delay)
			}
		}
		if link.Within(f.root, path) && kind.HasDependents() {
			s.scheduleBackgroundLocked(f, path, delay)
		}
	}
}

// recheckAllLocked re-checks every open document.
func (s *server) recheckAllLocked(delay time.Duration) {
	for _, d := range s.docs {
		s.scheduleLocked(d, delay)
	}
}

// uri returns the URI of path (the open document's spelling, else file:).
func (c *fileCache) uri(path string) protocol.DocumentURI {
	c.s.mu.Lock()
	defer c.s.mu.Unlock()
	return c.s.uriOfLocked(path)
}
