package env

import (
	"path"
	"strings"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// Lookup returns the file at a slash-separated path, or nil when there is
// none. The caller owns file discovery and editor overlays.
type Lookup func(path string) *source.File

// File names the clients read.
const (
	EnvJSONName        = "http-client.env.json"
	PrivateEnvJSONName = "http-client.private.env.json"
	VSCodeSettingsPath = ".vscode/settings.json"
	HttpyacConfigName  = ".httpyac.json"
	DotEnvName         = ".env"
)

// Set is every environment source that applies to one request file.
type Set struct {
	RequestPath string
	Root        string
	// Files are the JSON sources in precedence order: env files nearest
	// to the request file first (in each directory the private file before
	// the public one), then `<root>/env/` (httpyac), then VS Code settings,
	// then .httpyac.json.
	Files []*EnvFile
	// DotEnvs are dotenv files: environment-specific ones (`.env.dev`,
	// `dev.env`) first, then global ones (`.env`); nearest first.
	DotEnvs []*EnvFile
	// local is the `.env` beside the request file, read by {{$dotenv X}}.
	local *EnvFile
}

// BuildSet finds and parses the environment files that apply to the
// request file at requestPath (slash-separated, like root):
//   - `http-client.env.json` / `http-client.private.env.json` in the
//     request file's directory and each parent up to root (JetBrains and
//     kulala merge them, the closest winning), and in `<root>/env/`
//     (httpyac);
//   - `<root>/.vscode/settings.json` (REST Client, httpyac) and
//     `<root>/.httpyac.json`;
//   - dotenv files (httpyac): `.env`, `.env.<env>` and `<env>.env` beside
//     the request file, in root and in `<root>/env/`, for every
//     environment name the JSON files define.
//
// extraEnvs are more environment names to probe dotenv files for (dotenv
// files cannot be listed through lookup), e.g. the configured default
// environment.
//
// It reads nothing but what lookup returns. Problems of every file are
// returned; the Set holds whatever could be read.
func BuildSet(requestPath, root string, lookup Lookup, extraEnvs ...string) (*Set, []Problem) {
	root = cleanDir(root)
	s := &Set{RequestPath: requestPath, Root: root}
	var problems []Problem
	seen := map[string]bool{}
	get := func(p string) *source.File {
		p = path.Clean(p)
		if seen[p] || lookup == nil {
			return nil
		}
		seen[p] = true
		return lookup(p)
	}
	reqDir := cleanDir(path.Dir(requestPath))
	dirs := parentDirs(reqDir, root)
	envDir := path.Join(root, "env")
	for _, d := range append(dirs, envDir) {
		for _, private := range []bool{true, false} {
			name, kind := EnvJSONName, SourceEnvJSON
			if private {
				name, kind = PrivateEnvJSONName, SourcePrivateEnvJSON
			}
			if src := get(path.Join(d, name)); src != nil {
				f, ps := parseKind(src, kind)
				s.Files = append(s.Files, f)
				problems = append(problems, ps...)
			}
		}
	}
	if src := get(path.Join(root, VSCodeSettingsPath)); src != nil {
		f, ps := parseKind(src, SourceVSCodeSettings)
		s.Files = append(s.Files, f)
		problems = append(problems, ps...)
	}
	if src := get(path.Join(root, HttpyacConfigName)); src != nil {
		f, ps := parseKind(src, SourceHttpyacConfig)
		s.Files = append(s.Files, f)
		problems = append(problems, ps...)
	}
	dotDirs := uniq([]string{reqDir, root, envDir})
	readDot := func(p, envName string) *EnvFile {
		src := get(p)
		if src == nil {
			return nil
		}
		f, ps := parseKind(src, SourceDotEnv)
		f.EnvName = envName
		for _, v := range f.Vars {
			v.Origin.Env = envName
		}
		problems = append(problems, ps...)
		return f
	}
	for _, name := range uniq(append(s.Names(), extraEnvs...)) {
		if name == "" || strings.HasPrefix(name, "$") {
			continue
		}
		for _, d := range dotDirs {
			for _, fn := range []string{".env." + name, name + ".env"} {
				if f := readDot(path.Join(d, fn), name); f != nil {
					s.DotEnvs = append(s.DotEnvs, f)
				}
			}
		}
	}
	for i, d := range dotDirs {
		if f := readDot(path.Join(d, DotEnvName), ""); f != nil {
			s.DotEnvs = append(s.DotEnvs, f)
			if i == 0 {
				s.local = f
			}
		}
	}
	return s, problems
}

func cleanDir(d string) string {
	if d == "" {
		return "."
	}
	return path.Clean(d)
}

// parentDirs returns dir and its parents up to and including root; when
// dir is not under root, dir and its parents up to the top.
func parentDirs(dir, root string) []string {
	var out []string
	for {
		out = append(out, dir)
		if dir == root || dir == "." || dir == "/" {
			return out
		}
		parent := path.Dir(dir)
		if parent == dir {
			return out
		}
		dir = parent
	}
}

func uniq(xs []string) []string {
	var out []string
	for _, x := range xs {
		dup := false
		for _, y := range out {
			dup = dup || x == y
		}
		if !dup {
			out = append(out, x)
		}
	}
	return out
}

// Names returns the environment names the JSON files and the
// environment-specific dotenv files define, in order of first appearance,
// without `$shared` and `$default`.
func (s *Set) Names() []string {
	var out []string
	seen := map[string]bool{}
	add := func(name string) {
		if name == "" || strings.HasPrefix(name, "$") || seen[name] {
			return
		}
		seen[name] = true
		out = append(out, name)
	}
	for _, f := range s.Files {
		for _, e := range f.Envs {
			add(e.Name)
		}
	}
	for _, f := range s.DotEnvs {
		add(f.EnvName)
	}
	return out
}

// Lookup returns the value of variable name in environment env:
//  1. env's own value: env files nearest first (private over public),
//     then VS Code settings, then .httpyac.json;
//  2. with no environment selected (env == ""), httpyac's `$default`;
//  3. `$shared`, in the same file order;
//  4. dotenv files of env, then global dotenv files.
//
// JetBrains' documentation also describes public values winning over
// private ones; we follow the common use (and kulala, httpyac, the http
// files spec): the private file holds the real secret and overrides the
// public placeholder.
func (s *Set) Lookup(env, name string) (Value, bool) {
	if v := s.lookup(env, name); v != nil {
		return *v, true
	}
	return Value{}, false
}

// lookup is Lookup's value in the set itself, or nil.
func (s *Set) lookup(env, name string) *Value {
	if s == nil {
		return nil
	}
	if env != "" {
		if v := s.fromFiles(env, name); v != nil {
			return v
		}
	} else if v := s.fromFiles("$default", name); v != nil {
		return v
	}
	if v := s.fromFiles("$shared", name); v != nil {
		return v
	}
	for _, f := range s.DotEnvs {
		if f.EnvName != "" && f.EnvName != env {
			continue
		}
		if v := lastVar(f.Vars, name); v != nil {
			return v
		}
	}
	return nil
}

func (s *Set) fromFiles(env, name string) *Value {
	for _, f := range s.Files {
		for _, e := range f.Envs {
			if e.Name == env {
				if v := e.Get(name); v != nil {
					return v
				}
			}
		}
	}
	return nil
}

func lastVar(vars []*Value, name string) *Value {
	for i := len(vars) - 1; i >= 0; i-- {
		if vars[i].Name == name {
			return vars[i]
		}
	}
	return nil
}

// DotEnv returns the value REST Client's `{{$dotenv name}}` reads: the
// `.env` beside the request file; failing that (httpyac), any global
// dotenv file.
func (s *Set) DotEnv(name string) (Value, bool) {
	if v := s.dotEnv(name); v != nil {
		return *v, true
	}
	return Value{}, false
}

// dotEnv is DotEnv's value in the set itself, or nil.
func (s *Set) dotEnv(name string) *Value {
	if s == nil {
		return nil
	}
	if v := lastVar(s.local.varsOrNil(), name); v != nil {
		return v
	}
	for _, f := range s.DotEnvs {
		if f.EnvName == "" {
			if v := lastVar(f.Vars, name); v != nil {
				return v
			}
		}
	}
	return nil
}

func (f *EnvFile) varsOrNil() []*Value {
	if f == nil {
		return nil
	}
	return f.Vars
}

// ClientCert reports whether a client certificate is configured for
// requests to host (host or host:port) in environment env, and where:
// JetBrains `SSLConfiguration.clientCertificate` of env (or `$shared`),
// REST Client `rest-client.certificates` or httpyac `clientCertificates`
// keyed by host[:port] (a `*.` prefix matches subdomains).
func (s *Set) ClientCert(env, host string) (Origin, bool) {
	if s == nil {
		return Origin{}, false
	}
	for _, name := range []string{env, "$shared"} {
		if name == "" {
			continue
		}
		for _, f := range s.Files {
			if e := f.Env(name); e != nil && e.SSL != nil && e.SSL.ClientCertificate != nil {
				return e.SSL.ClientCertificate.Origin, true
			}
		}
	}
	for _, f := range s.Files {
		for _, c := range f.Certs {
			if (c.Cert != nil || c.Pfx != nil) && MatchHost(c.Host, host) {
				return c.Origin, true
			}
		}
	}
	return Origin{}, false
}

// MatchHost reports whether a certificate key ("example.com",
// "localhost:8081", "*.example.com") applies to host ("example.com" or
// "example.com:8443"); a key without a port applies to every port.
func MatchHost(key, host string) bool {
	key, host = strings.ToLower(strings.TrimSpace(key)), strings.ToLower(host)
	for _, scheme := range []string{"https://", "http://"} {
		key = strings.TrimPrefix(key, scheme)
		host = strings.TrimPrefix(host, scheme)
	}
	key = strings.TrimSuffix(key, "/")
	if key == host {
		return true
	}
	hostName, hostPort := splitPort(host)
	keyName, keyPort := splitPort(key)
	if keyPort != "" && keyPort != hostPort {
		return false
	}
	if strings.HasPrefix(keyName, "*.") {
		return strings.HasSuffix(hostName, keyName[1:])
	}
	return keyName == hostName
}

func splitPort(h string) (string, string) {
	if strings.HasPrefix(h, "[") { // [::1]:8443
		if i := strings.Index(h, "]"); i >= 0 {
			if strings.HasPrefix(h[i+1:], ":") {
				return h[:i+1], h[i+2:]
			}
			return h, ""
		}
	}
	if i := strings.LastIndexByte(h, ':'); i >= 0 && strings.Count(h, ":") == 1 {
		return h[:i], h[i+1:]
	}
	return h, ""
}

// parseKind parses an environment file of the given kind.
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
