package main

import (
	"encoding/json"
	"io"
	"net/url"
	"path/filepath"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/workspace"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// SARIF 2.1.0 output, enough for GitHub code scanning and other viewers.
// Columns count UTF-16 code units (SARIF's default columnKind).

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool               sarifTool                   `json:"tool"`
	OriginalURIBaseIDs map[string]sarifArtifactLoc `json:"originalUriBaseIds,omitempty"`
	Results            []sarifResult               `json:"results"`
	ColumnKind         string                      `json:"columnKind"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	Version        string      `json:"version"`
	InformationURI string      `json:"informationUri"`
	Rules          []sarifRule `json:"rules"`
}

type sarifRule struct {
	ID                   string          `json:"id"`
	Name                 string          `json:"name"`
	ShortDescription     sarifText       `json:"shortDescription"`
	FullDescription      sarifText       `json:"fullDescription"`
	Help                 sarifMultiText  `json:"help"`
	HelpURI              string          `json:"helpUri"`
	DefaultConfiguration sarifRuleConfig `json:"defaultConfiguration"`
	Properties           map[string]any  `json:"properties,omitempty"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifText struct {
	Text string `json:"text"`
}

type sarifMultiText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifResult struct {
	RuleID           string          `json:"ruleId"`
	RuleIndex        int             `json:"ruleIndex"`
	Level            string          `json:"level"`
	Message          sarifText       `json:"message"`
	Locations        []sarifLocation `json:"locations"`
	RelatedLocations []sarifLocation `json:"relatedLocations,omitempty"`
	Fixes            []sarifFix      `json:"fixes,omitempty"`
	Properties       map[string]any  `json:"properties,omitempty"`
}

type sarifLocation struct {
	ID               int           `json:"id,omitempty"`
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
	Message          *sarifText    `json:"message,omitempty"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifactLoc `json:"artifactLocation"`
	Region           sarifRegion      `json:"region"`
}

type sarifArtifactLoc struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId,omitempty"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn"`
	EndLine     int `json:"endLine"`
	EndColumn   int `json:"endColumn"`
}

type sarifFix struct {
	Description     sarifText             `json:"description"`
	ArtifactChanges []sarifArtifactChange `json:"artifactChanges"`
	// Properties says whether the fix is safe ({"safe": true}): --fix
	// applies it, else only --unsafe-fixes does.
	Properties map[string]any `json:"properties"`
}

type sarifArtifactChange struct {
	ArtifactLocation sarifArtifactLoc   `json:"artifactLocation"`
	Replacements     []sarifReplacement `json:"replacements"`
}

type sarifReplacement struct {
	DeletedRegion   sarifRegion `json:"deletedRegion"`
	InsertedContent sarifText   `json:"insertedContent"`
}

func sarifLevel(s analyzer.Severity) string {
	switch s {
	case analyzer.Error:
		return "error"
	case analyzer.Warning:
		return "warning"
	}
	return "note"
}

func sarifRegionOf(src *source.File, sp source.Span) sarifRegion {
	var r sarifRegion
	r.StartLine, r.StartColumn = src.LineCol(sp.Start, source.UTF16)
	r.EndLine, r.EndColumn = src.LineCol(sp.End, source.UTF16)
	return r
}

// sarifURI is a path relative to the working directory (with uriBaseId
// %SRCROOT%) when inside it, else an absolute file URI.
func sarifURI(path, cwd string) sarifArtifactLoc {
	if rel, err := filepath.Rel(cwd, path); err == nil && !strings.HasPrefix(rel, "..") {
		return sarifArtifactLoc{URI: escapePath(filepath.ToSlash(rel)), URIBaseID: "%SRCROOT%"}
	}
	return sarifArtifactLoc{URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(path)}).String()}
}

func escapePath(p string) string {
	return (&url.URL{Path: p}).EscapedPath()
}

func writeSARIF(w io.Writer, res *workspace.Result, cwd, lang string) error {
	rules := analyzer.Rules()
	index := map[string]int{}
	driver := sarifDriver{Name: "gw403-lsp", Version: version, InformationURI: "https://github.com/gw403/gw403-lsp"}
	for i, r := range rules {
		index[r.Code] = i
		driver.Rules = append(driver.Rules, sarifRule{
			ID:                   r.Code,
			Name:                 r.Slug,
			ShortDescription:     sarifText{Text: r.Title.In(lang)},
			FullDescription:      sarifText{Text: plainText(r.Doc.What.In(lang))},
			Help:                 sarifMultiText{Text: plainText(analyzer.RuleMarkdown(r, lang)), Markdown: analyzer.RuleMarkdown(r, lang)},
			HelpURI:              r.DocURL(),
			DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(r.Severity)},
			Properties:           map[string]any{"tags": []string{"api-gateway", "403"}},
		})
	}
	run := sarifRun{
		Tool:               sarifTool{Driver: driver},
		OriginalURIBaseIDs: map[string]sarifArtifactLoc{"%SRCROOT%": {URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(cwd) + "/"}).String()}},
		Results:            []sarifResult{},
		ColumnKind:         "utf16CodeUnits",
	}
	for _, d := range res.Diagnostics {
		src := res.Files[d.Path]
		r := sarifResult{
			RuleID:    d.Code,
			RuleIndex: index[d.Code],
			Level:     sarifLevel(d.Severity),
			Message:   sarifText{Text: message(d, lang)},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{ArtifactLocation: sarifURI(d.Path, cwd), Region: sarifRegionOf(src, d.Span)}}},
		}
		if d.ErrorType != "" {
			r.Properties = map[string]any{"errorType": d.ErrorType, "status": d.Status}
		}
		for i, rel := range d.Related {
			msg := sarifText{Text: rel.Message.In(lang)}
			r.RelatedLocations = append(r.RelatedLocations, sarifLocation{
				ID:               i + 1,
				PhysicalLocation: sarifPhysical{ArtifactLocation: sarifURI(rel.Path, cwd), Region: sarifRegionOf(res.Files[rel.Path], rel.Span)},
				Message:          &msg,
			})
		}
		for _, fx := range d.Fixes {
			sf := sarifFix{Description: sarifText{Text: fx.Title.In(lang)}, Properties: map[string]any{"safe": fx.Safe}}
			byPath := map[string]int{}
			for _, e := range fx.Edits {
				i, ok := byPath[e.Path]
				if !ok {
					i = len(sf.ArtifactChanges)
					byPath[e.Path] = i
					sf.ArtifactChanges = append(sf.ArtifactChanges, sarifArtifactChange{ArtifactLocation: sarifURI(e.Path, cwd)})
				}
				sf.ArtifactChanges[i].Replacements = append(sf.ArtifactChanges[i].Replacements, sarifReplacement{
					DeletedRegion:   sarifRegionOf(res.Files[e.Path], e.Span),
					InsertedContent: sarifText{Text: e.MaskedText()},
				})
			}
			r.Fixes = append(r.Fixes, sf)
		}
		run.Results = append(run.Results, r)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(sarifLog{
		Schema:  "https://json.schemastore.org/sarif-2.1.0.json",
		Version: "2.1.0",
		Runs:    []sarifRun{run},
	})
}

// plainText strips the markdown most likely to bother a plain-text viewer.
func plainText(md string) string {
	return strings.NewReplacer("`", "", "**", "").Replace(md)
}
