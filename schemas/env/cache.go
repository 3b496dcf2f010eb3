package env

import (
	"path"
	"sync"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// Cache keeps parsed environment files between BuildSet calls, so that a
// workspace with many request files parses each env file once. An entry is
// keyed by path and reused while the lookup returns the same
// *source.File (files are immutable; a changed file is a new value). The
// zero Cache is ready to use and safe for concurrent use.
type Cache struct {
	mu sync.Mutex // guards m
	m  map[string]cacheEntry
}

type cacheEntry struct {
	src      *source.File
	file     *EnvFile
	problems []Problem
}

// BuildSet is BuildSet with parsed files reused from the cache.
func (c *Cache) BuildSet(requestPath, root string, lookup Lookup, extraEnvs ...string) (*Set, []Problem) {
	return buildSet(requestPath, root, lookup, c.parse, extraEnvs)
}

func (c *Cache) parse(src *source.File, kind SourceKind) (*EnvFile, []Problem) {
	key := path.Clean(src.Path)
	c.mu.Lock()
	e, ok := c.m[key]
	c.mu.Unlock()
	if ok && e.src == src && e.file.Kind == kind {
		return e.file, e.problems
	}
	f, ps := parseKind(src, kind)
	c.mu.Lock()
	if c.m == nil {
		c.m = map[string]cacheEntry{}
	}
	c.m[key] = cacheEntry{src: src, file: f, problems: ps}
	c.mu.Unlock()
	return f, ps
}

// Forget drops the entry for path (a deleted file).
func (c *Cache) Forget(p string) {
	c.mu.Lock()
	delete(c.m, path.Clean(p))
	c.mu.Unlock()
}

func parseKind(src *source.File, kind SourceKind) (*EnvFile, []Problem) {
	switch kind {
	case SourceEnvJSON:
		return ParseEnvJSON(src, false)
	case SourcePrivateEnvJSON:
		return ParseEnvJSON(src, true)
	case SourceVSCodeSettings:
		return ParseVSCodeSettings(src)
	case SourceHttpyacConfig:
		return ParseHttpyacConfig(src)
	default:
		return ParseDotEnv(src)
	}
}
