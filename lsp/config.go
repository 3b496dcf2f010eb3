package lsp

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"sort"
	"strings"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
)

// settings is the "gw403" configuration section. Nil members are unset and
// leave the value of a lower layer.
type settings struct {
	Environment *string           `json:"environment"`
	ConfigPath  *string           `json:"configPath"`
	Severity    map[string]string `json:"severity"`
	Trace       *string           `json:"trace"`
}

// configState holds the layers of configuration, lowest first:
// initializationOptions, the global workspace/configuration (or pushed
// didChangeConfiguration settings), each folder's, and the environment
// chosen with gw403.setEnvironment.
type configState struct {
	init        settings
	global      settings
	envOverride *string
	fetches     uint64 // counts workspace/configuration requests
}

// parseSettings reads a "gw403" section given flat or under a "gw403" key.
// Members of the wrong type and unknown severities are reported and
// skipped (left unset); the rest is kept.
func parseSettings(raw json.RawMessage) (settings, error) {
	var st settings
	if len(raw) == 0 || string(raw) == "null" {
		return st, nil
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(raw, &m); err != nil {
		return st, fmt.Errorf("gw403 settings: %w", err)
	}
	if inner, ok := m["gw403"]; ok {
		if string(inner) == "null" {
			return st, nil
		}
		m = nil
		if err := json.Unmarshal(inner, &m); err != nil {
			return st, fmt.Errorf("gw403 settings: %w", err)
		}
	}
	var errs []error
	str := func(key string) *string {
		v, ok := m[key]
		if !ok || string(v) == "null" {
			return nil
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			errs = append(errs, fmt.Errorf("gw403.%s: want a string, got %s", key, msg.Clip(string(v), 40)))
			return nil
		}
		return &s
	}
	st.Environment, st.ConfigPath, st.Trace = str("environment"), str("configPath"), str("trace")
	if v, ok := m["severity"]; ok && string(v) != "null" {
		var levels map[string]json.RawMessage
		if err := json.Unmarshal(v, &levels); err != nil {
			errs = append(errs, fmt.Errorf("gw403.severity: want an object of rule codes to levels"))
		}
		codes := make([]string, 0, len(levels))
		for code := range levels {
			codes = append(codes, code)
		}
		sort.Strings(codes)
		for _, code := range codes {
			var level string
			if err := json.Unmarshal(levels[code], &level); err != nil {
				errs = append(errs, fmt.Errorf("gw403.severity.%s: want a string", code))
				continue
			}
			if _, err := analyzer.ParseSeverity(level); err != nil {
				errs = append(errs, fmt.Errorf("gw403.severity.%s: %w", code, err))
				continue
			}
			if st.Severity == nil {
				st.Severity = map[string]string{}
			}
			st.Severity[code] = level
		}
	}
	return st, errors.Join(errs...)
}

// merge returns a with the members b sets.
func (a settings) merge(b settings) settings {
	if b.Environment != nil {
		a.Environment = b.Environment
	}
	if b.ConfigPath != nil {
		a.ConfigPath = b.ConfigPath
	}
	if b.Trace != nil {
		a.Trace = b.Trace
	}
	if len(b.Severity) > 0 {
		m := make(map[string]string, len(a.Severity)+len(b.Severity))
		for k, v := range a.Severity {
			m[k] = v
		}
		for k, v := range b.Severity {
			m[k] = v
		}
		a.Severity = m
	}
	return a
}

// settingsLocked returns the settings that apply to f (nil: global).
func (s *server) settingsLocked(f *folder) settings {
	st := s.cfg.init.merge(s.cfg.global)
	if f != nil && f.client != nil {
		st = st.merge(f.client.settings)
	}
	return st
}

// optionsLocked returns the analyzer options of f's workspace.
func (s *server) optionsLocked(f *folder) workspace.Options {
	st := s.settingsLocked(f)
	o := workspace.Options{Recheck: true} // every edit checks the document again
	if st.Environment != nil {
		o.Env = *st.Environment
	}
	if s.cfg.envOverride != nil {
		o.Env = *s.cfg.envOverride
	}
	if st.ConfigPath != nil && strings.TrimSpace(*st.ConfigPath) != "" {
		p := strings.TrimSpace(*st.ConfigPath)
		if strings.HasPrefix(p, "~/") {
			if home, err := os.UserHomeDir(); err == nil {
				p = filepath.Join(home, p[2:])
			}
		}
		if !filepath.IsAbs(p) && f != nil {
			// Relative to the client folder the setting comes from.
			base := f.root
			if f.client != nil {
				base = f.client.root
			}
			p = filepath.Join(base, p)
		}
		o.ConfigPath = filepath.Clean(p)
	}
	for code, level := range st.Severity {
		sev, err := analyzer.ParseSeverity(level)
		if err != nil {
			continue // reported when the settings were read
		}
		if o.Severity == nil {
			o.Severity = map[string]analyzer.Severity{}
		}
		o.Severity[strings.ToUpper(strings.TrimSpace(code))] = sev
	}
	return o
}

// applyOptionsLocked gives every workspace its options and re-checks the
// open documents of the workspaces whose options changed.
func (s *server) applyOptionsLocked() {
	s.applyTraceLocked()
	changed := map[*folder]bool{}
	for _, f := range s.allFoldersLocked() {
		o := s.optionsLocked(f)
		if reflect.DeepEqual(o, f.opts) {
			continue
		}
		f.opts = o
		f.ws.SetOptions(o)
		changed[f] = true
	}
	if len(changed) == 0 {
		return
	}
	for _, d := range s.docs {
		if changed[s.folderForLocked(d.path)] {
			s.scheduleLocked(d, 0)
		}
	}
	for _, d := range s.background {
		if changed[d.bg] {
			s.scheduleLocked(d, 0)
		}
	}
}

func (s *server) applyTraceLocked() {
	if t := s.settingsLocked(nil).Trace; t != nil {
		s.trace = *t
	}
}

// fetchConfiguration reads the "gw403" section globally and per folder
// with workspace/configuration.
func (s *server) fetchConfiguration() {
	defer s.markReady()
	s.mu.Lock()
	s.cfg.fetches++
	fetch := s.cfg.fetches
	folders := append([]*folder(nil), s.folders...)
	items := []protocol.ConfigurationItem{{Section: "gw403"}}
	for _, f := range folders {
		items = append(items, protocol.ConfigurationItem{ScopeURI: uri.URI(f.uri), Section: "gw403"})
	}
	s.mu.Unlock()

	ctx, cancel := context.WithTimeout(s.ctx, 10*time.Second)
	defer cancel()
	var res []json.RawMessage
	if _, err := s.conn.Call(ctx, protocol.MethodWorkspaceConfiguration, protocol.ConfigurationParams{Items: items}, &res); err != nil {
		if s.ctx.Err() == nil {
			s.logf("workspace/configuration: %v", err)
		}
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if fetch != s.cfg.fetches {
		return // a later request's answer will do
	}
	if len(res) > 0 {
		st, err := parseSettings(res[0])
		if err != nil {
			s.warnf("%v", err)
		}
		s.cfg.global = st
	}
	for i, f := range folders {
		if i+1 >= len(res) {
			break
		}
		st, err := parseSettings(res[i+1])
		if err != nil {
			s.warnf("%s: %v", f.root, err)
		}
		f.settings = st
	}
	s.applyOptionsLocked()
}

func (s *server) didChangeConfiguration(params json.RawMessage) error {
	var p struct {
		Settings json.RawMessage `json:"settings"`
	}
	if err := decodeLenient(params, &p); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.caps.Workspace.Configuration {
		s.spawnLocked(s.fetchConfiguration)
		return nil
	}
	st, err := parseSettings(p.Settings)
	if err != nil {
		s.warnf("%v", err)
	}
	s.cfg.global = st
	s.applyOptionsLocked()
	return nil
}

// environments is the answer of gw403.listEnvironments.
type environments struct {
	Environments []string `json:"environments"`
	Current      string   `json:"current"`
	// Root is the workspace root of the document asked about (the root
	// rule's answer, whatever root the client sent); empty without one.
	Root string `json:"root,omitempty"`
	// URLs are the base URLs of the document's requests per environment.
	URLs map[string]string `json:"urls,omitempty"`
}

func (s *server) executeCommand(params json.RawMessage) (func(context.Context) (any, error), error) {
	var p struct {
		Command   string            `json:"command"`
		Arguments []json.RawMessage `json:"arguments"`
	}
	if err := decodeParams(params, &p); err != nil {
		return nil, err
	}
	switch p.Command {
	case CommandListEnvironments:
		return s.listEnvironments(p.Arguments)
	case CommandSetEnvironment:
		return s.setEnvironment(p.Arguments)
	case CommandShowReferences:
		return showReferences(p.Arguments)
	case CommandLinkCounts:
		return s.linkCounts(p.Arguments)
	}
	return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "unknown command %q", p.Command)
}

func (s *server) listEnvironments(args []json.RawMessage) (func(context.Context) (any, error), error) {
	var target string
	if len(args) > 0 && string(args[0]) != "null" {
		if err := json.Unmarshal(args[0], &target); err != nil {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: the argument is a document URI: %v", CommandListEnvironments, err)
		}
	}
	type request struct {
		ws   Workspace
		path string
	}
	var reqs []request
	s.mu.Lock()
	var current, root string
	if target != "" {
		path, ok := uriToPath(target)
		if !ok {
			s.mu.Unlock()
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: not a file URI: %q", CommandListEnvironments, target)
		}
		f := s.folderForLocked(path)
		reqs = append(reqs, request{f.ws, path})
		current, root = s.optionsLocked(f).Env, f.root
	} else {
		for _, d := range s.docs {
			f := s.folderForLocked(d.path)
			if f.ws.Kind(d.path) == link.KindHTTP {
				reqs = append(reqs, request{f.ws, d.path})
			}
		}
		current = s.optionsLocked(nil).Env
	}
	s.mu.Unlock()
	return func(ctx context.Context) (any, error) {
		seen := map[string]bool{}
		res := environments{Environments: []string{}, Current: current, Root: root}
		for _, r := range reqs {
			for _, e := range r.ws.Environments(r.path) {
				if !seen[e] {
					seen[e] = true
					res.Environments = append(res.Environments, e)
				}
			}
		}
		sort.Strings(res.Environments)
		if target != "" && len(reqs) == 1 {
			urls, err := safely(func() (map[string]string, error) { return reqs[0].ws.EnvironmentURLs(ctx, reqs[0].path) })
			if err != nil {
				s.logf("%s: %v", CommandListEnvironments, err)
			}
			if len(urls) > 0 {
				res.URLs = urls
			}
		}
		return res, nil
	}, nil
}

func (s *server) setEnvironment(args []json.RawMessage) (func(context.Context) (any, error), error) {
	var name *string
	if len(args) > 0 {
		if err := json.Unmarshal(args[0], &name); err != nil {
			return nil, jsonrpc2.Errorf(jsonrpc2.InvalidParams, "%s: the argument is an environment name: %v", CommandSetEnvironment, err)
		}
	}
	s.mu.Lock()
	if name == nil || *name == "" {
		s.cfg.envOverride = nil
	} else {
		s.cfg.envOverride = name
	}
	s.applyOptionsLocked()
	s.mu.Unlock()
	return func(context.Context) (any, error) { return nil, nil }, nil
}
