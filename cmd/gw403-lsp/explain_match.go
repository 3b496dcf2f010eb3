package main

import (
	"context"
	"os"

	"github.com/gw403/gw403-lsp/analyzer/explain"
	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// The workspace matcher of `explain`: the analyzer finds the .http request
// the captured request came from and the findings on it; when none matches,
// the API the captured URL links to (by its path when its id is unknown)
// and the findings on the captured request itself.
func init() {
	newWorkspaceMatcher = func(root string) (explain.Matcher, error) {
		return workspaceMatcher{workspace.New(root, workspace.Options{})}, nil
	}
}

type workspaceMatcher struct{ ws *workspace.Workspace }

func (m workspaceMatcher) Match(ctx context.Context, method, url string, headers [][2]string) (*explain.Match, error) {
	rm, err := m.ws.MatchCaptured(ctx, method, url, headers)
	if err != nil || rm == nil {
		return nil, err
	}
	path, apiFile := rm.Path, rm.APIFile
	if cwd, err := os.Getwd(); err == nil {
		if path != "" {
			path = relPath(path, cwd)
		}
		if apiFile != "" {
			apiFile = relPath(apiFile, cwd)
		}
	}
	line := 0
	if rm.Src != nil {
		line, _ = rm.Src.LineCol(rm.Line.Start, source.Runes)
	}
	return &explain.Match{
		Path: path, Line: line, Env: rm.Env, Diagnostics: rm.Diagnostics, API: rm.API, APIFile: apiFile,
		Captured: rm.Captured, ByPath: rm.LinkedBy == link.LinkPathMatch, LinkReason: rm.LinkReason,
	}, nil
}

// Secrets returns the workspace's private values, which explain masks in
// the captured request it prints.
func (m workspaceMatcher) Secrets(ctx context.Context) []string { return m.ws.SecretValues(ctx) }
