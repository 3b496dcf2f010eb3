package workspace

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/gw403/gw403-lsp/analyzer/link"
	ignore "github.com/sabhiram/go-gitignore"
)

// skipDirs are never walked: VCS data, dependencies and build output.
var skipDirs = map[string]bool{
	".git": true, ".hg": true, ".svn": true,
	"node_modules": true, ".aws-sam": true, "cdk.out": true,
	".idea": true, ".terraform": true, ".serverless": true,
	"__pycache__": true, ".venv": true, "venv": true,
	"site-packages": true, "dist-packages": true, // vendored Python (botocore's data is 90 MB of JSON)
}

// MaxWalkEntries bounds a workspace walk (files and directories visited),
// so a root that turns out to be a home directory cannot take minutes.
var MaxWalkEntries = 200000

// walkedFile is a file the walk found.
type walkedFile struct {
	Path string
	Kind link.FileKind // by name; YAML/JSON files are link.KindOther until sniffed
	// Candidate is true for YAML/JSON files that may be templates or
	// OpenAPI documents (decided from their content).
	Candidate bool
	// Ignored is true when git ignores the file. Ignored request files and
	// definitions are not walked at all; ignored env files are (they hold
	// the private values requests need) but never reported on by GW501.
	Ignored bool
	// CDK is true for a template of a CDK app's cloud assembly (cdk.out).
	CDK bool
	// Marker is true for a file that makes its folder a project (see
	// IsProjectMarker); it is not read.
	Marker bool
}

// isHttpyacConfig reports whether a file name configures httpyac.
func isHttpyacConfig(base string) bool {
	switch base {
	case ".httpyac.json", ".httpyac.js", "httpyac.config.js", ".httpyac.config.js", "httpyac.config.cjs", "httpyac.config.mjs":
		return true
	}
	return false
}

// gitignores matches paths against the .gitignore files of a tree. It is
// safe for concurrent use.
type gitignores struct {
	root     string
	mu       sync.RWMutex                 // guards matchers
	matchers map[string]*ignore.GitIgnore // by directory
}

func newGitignores(root string) *gitignores {
	return &gitignores{root: root, matchers: map[string]*ignore.GitIgnore{}}
}

// load reads dir/.gitignore if present.
func (g *gitignores) load(dir string) {
	data, err := os.ReadFile(filepath.Join(dir, ".gitignore"))
	if err != nil {
		return
	}
	m := ignore.CompileIgnoreLines(strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")...)
	g.mu.Lock()
	g.matchers[dir] = m
	g.mu.Unlock()
}

func (g *gitignores) matcher(dir string) *ignore.GitIgnore {
	g.mu.RLock()
	defer g.mu.RUnlock()
	return g.matchers[dir]
}

// ignored reports whether a .gitignore of path's ancestors (up to root)
// ignores it.
func (g *gitignores) ignored(path string, isDir bool) bool {
	for dir := filepath.Dir(path); ; dir = filepath.Dir(dir) {
		if m := g.matcher(dir); m != nil {
			rel, err := filepath.Rel(dir, path)
			if err == nil {
				rel = filepath.ToSlash(rel)
				if isDir {
					rel += "/"
				}
				if m.MatchesPath(rel) {
					return true
				}
			}
		}
		if dir == g.root || len(dir) <= len(g.root) || dir == filepath.Dir(dir) {
			return false
		}
	}
}

// walk lists the files under dir (inside root) that the analyzer reads.
// exclude are slash-separated glob patterns relative to root (a pattern
// ending in /** excludes a directory tree). Unreadable directories are
// reported in errs; the walk goes on.
//
// Directories are listed on all cores (the listing is most of a walk's
// time in a large tree), then the files are gathered in the order of
// filepath.WalkDir. A tree past MaxWalkEntries is walked again one
// directory after the other, so that where the walk stops does not depend
// on timing.
func walk(root, dir string, exclude []string) (files []walkedFile, errs []walkError) {
	info, err := os.Lstat(dir)
	if err != nil || !info.IsDir() {
		return walkSerial(root, dir, exclude)
	}
	gi := newGitignores(root)
	// .gitignore files above dir (inside root) apply too.
	for d := dir; ; d = filepath.Dir(d) {
		gi.load(d)
		if d == root || len(d) <= len(root) || d == filepath.Dir(d) {
			break
		}
	}
	top := &listedDir{path: dir}
	var entries atomic.Int64 // as filepath.WalkDir would count them
	entries.Store(1)         // dir itself
	// A few workers take directories from a shared stack until it is
	// empty and none of them is listing one (which could add more).
	var (
		mu      sync.Mutex
		cond    = sync.NewCond(&mu)
		pending = []*listedDir{top}
		busy    = 0
		wg      sync.WaitGroup
	)
	for range max(1, runtime.GOMAXPROCS(0)) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			mu.Lock()
			defer mu.Unlock()
			for {
				for len(pending) == 0 && busy > 0 {
					cond.Wait()
				}
				if len(pending) == 0 {
					cond.Broadcast()
					return
				}
				d := pending[len(pending)-1]
				pending = pending[:len(pending)-1]
				busy++
				mu.Unlock()
				subs := d.list(root, exclude, gi, &entries)
				mu.Lock()
				busy--
				pending = append(pending, subs...)
				cond.Broadcast()
			}
		}()
	}
	wg.Wait()
	if entries.Load() > int64(MaxWalkEntries) {
		return walkSerial(root, dir, exclude)
	}
	top.gather(&files, &errs)
	return files, errs
}

// listedDir is a directory listed by walk: its error, or what each of its
// entries contributes, in name order.
type listedDir struct {
	path  string
	err   error
	items []listedItem
}

// listedItem is one entry of a listed directory: the files it adds, or
// the subdirectory walked (nil for a file or a skipped directory).
type listedItem struct {
	files []walkedFile
	sub   *listedDir
}

// list reads the directory, loads its .gitignore and classifies its
// entries (as walkSerial's callback does), counting them in entries; it
// stops early once entries passes MaxWalkEntries. It returns the
// subdirectories to list next.
func (d *listedDir) list(root string, exclude []string, gi *gitignores, entries *atomic.Int64) (subs []*listedDir) {
	if entries.Load() > int64(MaxWalkEntries) {
		return nil
	}
	des, err := os.ReadDir(d.path)
	if err != nil {
		d.err = err
		entries.Add(1) // the second callback filepath.WalkDir makes, with the error
		return nil
	}
	if entries.Add(int64(len(des))) > int64(MaxWalkEntries) {
		return nil
	}
	for _, de := range des {
		if de.Name() == ".gitignore" {
			gi.load(d.path)
			break
		}
	}
	d.items = make([]listedItem, len(des))
	for i, de := range des {
		path := filepath.Join(d.path, de.Name())
		if de.IsDir() {
			if !skipWalkDir(root, path, de.Name(), exclude, gi) {
				sub := &listedDir{path: path}
				d.items[i].sub = sub
				subs = append(subs, sub)
			}
			continue
		}
		d.items[i].files = walkFile(root, path, de, exclude, gi)
	}
	return subs
}

// gather appends the files and errors of d and its subdirectories in walk
// order.
func (d *listedDir) gather(files *[]walkedFile, errs *[]walkError) {
	if d.err != nil {
		*errs = append(*errs, walkError{Path: d.path, Err: d.err})
		return
	}
	for _, it := range d.items {
		*files = append(*files, it.files...)
		if it.sub != nil {
			it.sub.gather(files, errs)
		}
	}
}

// skipWalkDir reports whether the walk skips the directory at path (below
// the directory walked).
func skipWalkDir(root, path, name string, exclude []string, gi *gitignores) bool {
	return skipDirs[name] || excludedPath(root, path, exclude) || gi.ignored(path, true)
}

// walkFile returns what the walk lists for the file (or link) d at path:
// nothing, the file, or a CDK app with its templates.
func walkFile(root, path string, d fs.DirEntry, exclude []string, gi *gitignores) []walkedFile {
	if excludedPath(root, path, exclude) {
		return nil
	}
	if d.Type()&fs.ModeSymlink != 0 {
		// Follow links to files only (a link to a directory could
		// loop), and only to files inside the root: a link to
		// ~/.aws/credentials named .env is not ours to read.
		fi, err := os.Stat(path)
		if err != nil || !fi.Mode().IsRegular() || !linkInside(root, path) {
			return nil
		}
	} else if !d.Type().IsRegular() {
		return nil
	}
	kind, cand := classifyName(path)
	ign := gi.ignored(path, false)
	if kind == link.KindOther && !cand {
		if isHttpyacConfig(d.Name()) || d.Name() == "package.json" {
			return []walkedFile{{Path: path, Kind: link.KindOther, Ignored: ign}}
		} else if IsProjectMarker(d.Name()) {
			return []walkedFile{{Path: path, Kind: link.KindOther, Ignored: ign, Marker: true}}
		}
		return nil
	}
	if ign && kind != link.KindEnv {
		return nil
	}
	out := []walkedFile{{Path: path, Kind: kind, Candidate: cand, Ignored: ign}}
	if kind == link.KindCDKApp {
		out = append(out, cdkTemplates(path)...) // cdk.out is skipped and usually ignored
	}
	return out
}

// walkSerial is walk one directory after the other, with filepath.WalkDir.
func walkSerial(root, dir string, exclude []string) (files []walkedFile, errs []walkError) {
	gi := newGitignores(root)
	for d := dir; ; d = filepath.Dir(d) {
		gi.load(d)
		if d == root || len(d) <= len(root) || d == filepath.Dir(d) {
			break
		}
	}
	entries := 0
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if entries++; entries > MaxWalkEntries {
			errs = append(errs, walkError{Path: dir, Err: fmt.Errorf("stopped after %d entries: name the directories to check, or exclude some in .gw403.yaml", MaxWalkEntries)})
			return fs.SkipAll
		}
		if err != nil {
			errs = append(errs, walkError{Path: path, Err: err})
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		if d.IsDir() {
			if path != dir && skipWalkDir(root, path, d.Name(), exclude, gi) {
				return fs.SkipDir
			}
			gi.load(path)
			return nil
		}
		files = append(files, walkFile(root, path, d, exclude, gi)...)
		return nil
	})
	return files, errs
}

// linkInside reports whether the symbolic link at path resolves to a file
// inside root (both compared with their links resolved).
func linkInside(root, path string) bool {
	target, err := filepath.EvalSymlinks(path)
	if err != nil {
		return false
	}
	if link.Within(root, target) {
		return true
	}
	if r, err := filepath.EvalSymlinks(root); err == nil && link.Within(r, target) {
		return true
	}
	return false
}

// walkError is a directory the walk could not read, or the walk's limit.
type walkError struct {
	Path string
	Err  error
}

func (e walkError) Error() string { return e.Path + ": " + e.Err.Error() }

// excludedPath is excluded for an absolute path inside root.
func excludedPath(root, path string, patterns []string) bool {
	if len(patterns) == 0 {
		return false
	}
	rel, _ := filepath.Rel(root, path)
	return excluded(filepath.ToSlash(rel), patterns)
}

// excluded reports whether rel (slash-separated, relative to the root)
// matches one of the exclude globs: `*` and `?` match within a path
// segment, `**` across segments; a pattern without a slash matches a file
// or directory name at any depth; a match on a directory excludes what is
// under it.
func excluded(rel string, patterns []string) bool {
	for _, p := range patterns {
		p = strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(strings.TrimSpace(p)), "./"), "/")
		if p == "" {
			continue
		}
		if !strings.Contains(p, "/") {
			p = "**/" + p
		}
		re := globRegexp(p)
		if re == nil {
			continue
		}
		// The path itself or one of its parent directories.
		for q := rel; q != "." && q != ""; q = pathDir(q) {
			if re.MatchString(q) {
				return true
			}
		}
	}
	return false
}

func pathDir(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return ""
}

var (
	globMu    sync.Mutex // guards globCache
	globCache = map[string]*regexp.Regexp{}
)

// globRegexp compiles a slash glob (with **) to an anchored regexp; nil for
// a malformed pattern.
func globRegexp(p string) *regexp.Regexp {
	globMu.Lock()
	defer globMu.Unlock()
	if re, ok := globCache[p]; ok {
		return re
	}
	var b strings.Builder
	b.WriteString("^")
	tail := ""
	if strings.HasSuffix(p, "/**") { // the directory and all below it
		p, tail = strings.TrimSuffix(p, "/**"), "(?:/.*)?"
	}
	for i := 0; i < len(p); i++ {
		switch c := p[i]; {
		case c == '*' && i+1 < len(p) && p[i+1] == '*':
			i++
			if i+1 < len(p) && p[i+1] == '/' {
				i++
				b.WriteString("(?:.*/)?")
			} else {
				b.WriteString(".*")
			}
		case c == '*':
			b.WriteString("[^/]*")
		case c == '?':
			b.WriteString("[^/]")
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(tail + "$")
	re, err := regexp.Compile(b.String())
	if err != nil {
		re = nil
	}
	globCache[p] = re
	return re
}
