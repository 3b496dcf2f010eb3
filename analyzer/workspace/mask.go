package workspace

import (
	"context"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer/link"
	"github.com/gw403/gw403-lsp/schemas/env"
)

// Values from a private source (the private env file, dotenv files, the
// process environment) are shown as "****" wherever they appear: in URLs
// (Expanded.Display) by their ranges, and in texts built from them (a link
// reason naming the host, a captured URL `explain` prints) by their value.

// SecretValues returns the values the workspace's env files define from a
// private source, for output that prints text the analyzer did not build
// itself (`explain` prints a captured request, which may hold the same
// key): every value of http-client.private.env.json, the values of dotenv
// files (all private, many of them plain settings such as STAGE=prod)
// from eight bytes on.
func (w *Workspace) SecretValues(ctx context.Context) []string {
	snap := w.snapshot(ctx)
	seen := map[string]bool{}
	var out []string
	add := func(v *env.Value) {
		if v == nil || !v.Origin.Secret || strings.Contains(v.Text, "{{") || len(v.Text) < link.MinMaskedValue || seen[v.Text] {
			return
		}
		if v.Origin.Kind != env.SourcePrivateEnvJSON && len(v.Text) < 8 {
			return
		}
		if v.Kind != env.ValueString && v.Kind != env.ValueNumber {
			return
		}
		seen[v.Text] = true
		out = append(out, v.Text)
	}
	for _, p := range snap.SortedPaths() {
		ef := snap.Files[p].Env
		if ef == nil {
			continue
		}
		for _, e := range ef.Envs {
			for _, v := range e.Vars {
				add(v)
			}
		}
		for _, v := range ef.Vars {
			add(v)
		}
	}
	return out
}
