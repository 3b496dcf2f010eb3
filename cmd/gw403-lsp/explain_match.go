package main

import (
	"context"
	"os"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/explain"
)

// The workspace matcher of `explain`: the analyzer finds the .http request
// the captured request came from and the findings on it.
func init() {
	newWorkspaceMatcher = func(root string) (explain.Matcher, error) {
		ws := analyzer.New(root, analyzer.Options{})
		return explain.MatcherFunc(func(ctx context.Context, method, url string, headers [][2]string) (*explain.Match, error) {
			m, err := ws.MatchCaptured(ctx, method, url, headers)
			if err != nil || m == nil {
				return nil, err
			}
			path, apiFile := m.Path, m.APIFile
			if cwd, err := os.Getwd(); err == nil {
				if path != "" {
					path = relPath(path, cwd)
				}
				if apiFile != "" {
					apiFile = relPath(apiFile, cwd)
				}
			}
			return &explain.Match{
				Path: path, Line: m.Line, Env: m.Env, Diagnostics: m.Diagnostics, API: m.API, APIFile: apiFile,
				Captured: m.Captured, ByPath: m.LinkedBy == analyzer.LinkPathMatch, LinkReason: m.LinkReason,
			}, nil
		}), nil
	}
}
