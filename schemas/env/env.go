// Package env reads the environment files of the .http clients and
// resolves a request's `{{variables}}` in one environment.
//
// Files: JetBrains / kulala / httpyac `http-client.env.json` and
// `http-client.private.env.json`, VS Code `.vscode/settings.json`
// (`rest-client.environmentVariables`, `rest-client.certificates`,
// `httpyac.environmentVariables`), httpyac `.httpyac.json` (`environments`,
// `clientCertificates`) and dotenv files (`.env`, `.env.dev`, `dev.env`).
// Every value keeps the byte span of its value token in its file, so a
// diagnostic can point at it and say where a value came from.
//
// Nothing here reads the disk or the process environment: BuildSet takes
// the files through a lookup function, and `{{$processEnv X}}` /
// `{{$env.X}}` stay unresolved (their value exists only on the machine
// that sends the request).
package env

import (
	"path/filepath"

	"github.com/gw403/gw403-lsp/schemas/httpfile"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// SourceKind tells where a value comes from.
type SourceKind uint8

const (
	SourceNone           SourceKind = iota
	SourceEnvJSON                   // http-client.env.json
	SourcePrivateEnvJSON            // http-client.private.env.json
	SourceVSCodeSettings            // .vscode/settings.json
	SourceHttpyacConfig             // .httpyac.json
	SourceDotEnv                    // .env, .env.<env>, <env>.env
	SourceFileVar                   // `@name = value` in the request file
	SourceRequestVar                // `@name = value` above the request line
	SourceProcessEnv                // {{$processEnv X}} / {{$env.X}}: never read
)

var sourceKindNames = [...]string{"", "http-client.env.json", "http-client.private.env.json",
	"VS Code settings", ".httpyac.json", "dotenv file", "file variable", "request variable", "process environment"}

// String names the kind for messages ("http-client.env.json").
func (k SourceKind) String() string {
	if int(k) < len(sourceKindNames) {
		return sourceKindNames[k]
	}
	return "unknown source"
}

// IsJSON reports a source whose values are JSON strings (env files, VS
// Code settings, the httpyac configuration): a value's span there holds its
// quotes.
func (k SourceKind) IsJSON() bool {
	switch k {
	case SourceEnvJSON, SourcePrivateEnvJSON, SourceVSCodeSettings, SourceHttpyacConfig:
		return true
	}
	return false
}

// Origin says where a variable's value was defined.
type Origin struct {
	Kind SourceKind
	// Path is the defining file's path as its source.File names it.
	Path string
	// Span is the value token in that file (for JSON strings: with the
	// quotes); NameSpan is the key or variable name.
	Span     source.Span
	NameSpan source.Span
	// Env is the environment the value belongs to: "dev", "$shared",
	// "$default"; "" for file variables and the global .env file.
	Env string
	// Secret is true for values that must not be shown: the private env
	// file, dotenv files, $processEnv and $dotenv.
	Secret bool
}

// Short names where the value is defined by the file's base name (or the
// kind of source) and the environment: "http-client.env.json, env dev".
func (o Origin) Short() string {
	s := o.Kind.String()
	if o.Path != "" {
		s = filepath.Base(o.Path)
	}
	if o.Env != "" {
		s += ", env " + o.Env
	}
	return s
}

// String describes where the value is defined, for messages:
// "api/http-client.env.json, env dev", "file variable in orders.http",
// "process environment".
func (o Origin) String() string {
	switch o.Kind {
	case SourceNone:
		return "undefined"
	case SourceProcessEnv:
		return "process environment"
	case SourceFileVar, SourceRequestVar:
		return o.Kind.String() + " in " + o.Path
	}
	if o.Env == "" {
		return o.Path
	}
	return o.Path + ", env " + o.Env
}

// ValueKind is the JSON kind of a value (dotenv values are strings).
type ValueKind uint8

const (
	ValueString ValueKind = iota
	ValueNumber
	ValueBool
	ValueNull
	ValueObject
	ValueArray
)

// Value is one variable of an environment.
type Value struct {
	Name string
	// Text is the value: the decoded string, the literal of a number or
	// bool, "" for null, the JSON text of an object or array.
	Text string
	Kind ValueKind
	// Template holds Text's `{{…}}` references. Their spans point into
	// the env file when the value has no escape sequences; otherwise each
	// spans the whole value token.
	Template httpfile.Template
	Origin   Origin
}

// Environment is one named environment of a file.
type Environment struct {
	Name     string // "dev", "$shared", "$default"
	NameSpan source.Span
	Vars     []*Value // in file order; nested objects also appear flattened as "a.b"
	SSL      *SSLConfig
	Auth     []*AuthConfig
}

// Get returns the variable named name (the last definition wins), or nil.
func (e *Environment) Get(name string) *Value {
	if e == nil {
		return nil
	}
	for i := len(e.Vars) - 1; i >= 0; i-- {
		if e.Vars[i].Name == name {
			return e.Vars[i]
		}
	}
	return nil
}

// SSLConfig is a JetBrains `SSLConfiguration` block: it applies to every
// host the environment's requests go to.
type SSLConfig struct {
	// ClientCertificate and ClientCertificateKey are the paths (the string
	// form or the "path" of the object form); nil when absent.
	ClientCertificate        *Value
	ClientCertificateKey     *Value
	HasCertificatePassphrase bool
	// VerifyHostCertificate is nil when not set (the default is true).
	VerifyHostCertificate *bool
	Origin                Origin // Span is the SSLConfiguration object
}

// AuthConfig is a JetBrains `Security.Auth` entry (OAuth 2.0 settings used
// by `{{$auth.token("id")}}`).
type AuthConfig struct {
	ID     string
	Type   string // the "Type" field, e.g. "OAuth2"
	Fields []*Value
	Origin Origin // Span is the entry's object, NameSpan its id
}

// ClientCert is a per-host client certificate: REST Client's
// `rest-client.certificates` or httpyac's `clientCertificates`.
type ClientCert struct {
	// Host is the key as written: "example.com" or "localhost:8081".
	Host                  string
	Cert, Key, Pfx, Phase *Value // nil when absent; Phase is the passphrase
	Origin                Origin // Span is the entry's object, NameSpan the host key
}

// EnvFile is one parsed environment file.
type EnvFile struct {
	Path string
	Kind SourceKind
	// Envs are the environments in file order, "$shared" and "$default"
	// included.
	Envs []*Environment
	// Certs are host-keyed client certificates.
	Certs []*ClientCert
	// Vars are a dotenv file's variables; EnvName is the environment a
	// dotenv file belongs to ("" for the global .env).
	Vars    []*Value
	EnvName string
}

// Env returns the environment named name, or nil.
func (f *EnvFile) Env(name string) *Environment {
	if f == nil {
		return nil
	}
	for _, e := range f.Envs {
		if e.Name == name {
			return e
		}
	}
	return nil
}

// Problem is something wrong in an environment file, at a span of it.
type Problem struct {
	Path    string
	Span    source.Span
	Message string
}
