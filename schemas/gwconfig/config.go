// Package gwconfig reads .gw403.yaml, the optional project configuration:
//
//	apis:
//	  orders:                         # name used by `# @api orders`
//	    template: infra/template.yaml # SAM/CFN file …
//	    resource: OrdersApi           # … and logical id (omit when it has one API)
//	    # openapi: api/orders.yaml    # or an OpenAPI document
//	    ids: [a1b2c3d4e5]             # deployed API ids
//	    hosts: [api.example.com]      # hosts that reach this API
//	    region: ap-northeast-1
//	environment: dev                  # default environment for `check`
//	exclude: ["legacy/**"]            # paths the workspace walk skips
//	rules:
//	  disable: [GW152]
//	  severity: { GW181: info }
//
// Every field is optional. Unknown keys and wrongly typed values are
// reported as problems with their spans; the rest of the file still counts.
package gwconfig

import (
	"fmt"
	"sort"
	"strings"

	"gopkg.in/yaml.v3"

	"github.com/gw403/gw403-lsp/schemas/source"
	"github.com/gw403/gw403-lsp/schemas/yamlpos"
)

// FileNames are the names the configuration is looked up under, in order.
var FileNames = []string{".gw403.yaml", ".gw403.yml"}

// Config is a parsed .gw403.yaml.
type Config struct {
	Src *source.File
	// APIs by name, in file order.
	APIs        []*API
	Environment string
	Exclude     []string
	Disable     []string
	// DisableSpans locate each Disable entry.
	DisableSpans []source.Span
	// Severity maps a rule code to a level name ("error", "warning",
	// "info", "off"), validated by the analyzer.
	Severity map[string]string
	// SeveritySpans locate each Severity entry's value, SeverityKeySpans
	// its rule code.
	SeveritySpans    map[string]source.Span
	SeverityKeySpans map[string]source.Span
}

// API is one entry of `apis`.
type API struct {
	Name     string
	NameSpan source.Span
	Template string
	Resource string
	OpenAPI  string
	IDs      []string
	Hosts    []string
	Region   string
	Span     source.Span // the entry's value
	// TemplateSpan and OpenAPISpan locate the template and openapi values.
	TemplateSpan, OpenAPISpan source.Span
}

// Problem is an error at a span of the config file.
type Problem struct {
	Span    source.Span
	Message string
}

// API returns the API entry with that name, or nil.
func (c *Config) API(name string) *API {
	if c == nil {
		return nil
	}
	for _, a := range c.APIs {
		if a.Name == name {
			return a
		}
	}
	return nil
}

// Parse reads a .gw403.yaml. It always returns a Config (empty on a syntax
// error), and the problems found.
func Parse(src *source.File) (*Config, []Problem) {
	c := &Config{Src: src, Severity: map[string]string{}, SeveritySpans: map[string]source.Span{}, SeverityKeySpans: map[string]source.Span{}}
	p := &parser{src: src}
	var doc yaml.Node
	if err := yaml.Unmarshal([]byte(src.Text), &doc); err != nil {
		p.errorAtYAML(err)
		return c, p.problems
	}
	if len(doc.Content) == 0 {
		return c, nil
	}
	root := doc.Content[0]
	p.doc = yamlpos.NewDoc(src, root)
	if root.Kind != yaml.MappingNode {
		p.add(root, "the configuration must be a mapping (apis, environment, exclude, rules)")
		return c, p.problems
	}
	p.eachKey(root, func(k, v *yaml.Node) {
		switch k.Value {
		case "apis":
			p.apis(c, v)
		case "environment":
			c.Environment = p.str(v)
		case "exclude":
			c.Exclude = p.strs(v)
		case "rules":
			p.rules(c, v)
		default:
			p.add(k, fmt.Sprintf("unknown key %q (want apis, environment, exclude or rules)", k.Value))
		}
	})
	return c, p.problems
}

type parser struct {
	src      *source.File
	doc      *yamlpos.Doc // spans of the decoded nodes
	problems []Problem
}

// span locates n: a scalar or alias by its token (tag, anchor and quotes
// included), a mapping or list by an empty span where it starts, so that a
// problem about a whole block does not cover all its lines.
func (p *parser) span(n *yaml.Node) source.Span {
	if n.Kind == yaml.MappingNode || n.Kind == yaml.SequenceNode {
		off := p.doc.Start(n)
		return source.Span{Start: off, End: off}
	}
	return p.doc.Span(n)
}

func (p *parser) add(n *yaml.Node, msg string) {
	p.problems = append(p.problems, Problem{Span: p.span(n), Message: msg})
}

func (p *parser) errorAtYAML(err error) {
	msg := err.Error()
	var line int
	if _, scanErr := fmt.Sscanf(strings.TrimPrefix(msg, "yaml: "), "line %d:", &line); scanErr == nil && line > 0 {
		p.problems = append(p.problems, Problem{Span: p.src.LineSpan(line - 1), Message: msg})
		return
	}
	p.problems = append(p.problems, Problem{Span: source.Span{}, Message: msg})
}

func (p *parser) eachKey(m *yaml.Node, f func(k, v *yaml.Node)) {
	for i := 0; i+1 < len(m.Content); i += 2 {
		f(m.Content[i], m.Content[i+1])
	}
}

func (p *parser) str(v *yaml.Node) string {
	if v.Kind != yaml.ScalarNode {
		p.add(v, "want a string")
		return ""
	}
	return v.Value
}

func (p *parser) strs(v *yaml.Node) []string {
	switch v.Kind {
	case yaml.ScalarNode:
		if v.Tag == "!!null" {
			return nil
		}
		return []string{v.Value}
	case yaml.SequenceNode:
		out := make([]string, 0, len(v.Content))
		for _, it := range v.Content {
			if s := p.str(it); s != "" {
				out = append(out, s)
			}
		}
		return out
	}
	p.add(v, "want a list of strings")
	return nil
}

func (p *parser) apis(c *Config, v *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		if v.Tag != "!!null" {
			p.add(v, "apis must map a name to an API (template/resource, openapi, ids, hosts, region)")
		}
		return
	}
	p.eachKey(v, func(k, val *yaml.Node) {
		a := &API{Name: k.Value, NameSpan: p.span(k), Span: p.doc.Span(val)}
		c.APIs = append(c.APIs, a)
		if val.Kind != yaml.MappingNode {
			if val.Tag != "!!null" {
				p.add(val, fmt.Sprintf("API %q must be a mapping", k.Value))
			}
			return
		}
		p.eachKey(val, func(k2, v2 *yaml.Node) {
			switch k2.Value {
			case "template":
				a.Template, a.TemplateSpan = p.str(v2), p.span(v2)
			case "resource":
				a.Resource = p.str(v2)
			case "openapi":
				a.OpenAPI, a.OpenAPISpan = p.str(v2), p.span(v2)
			case "ids", "id":
				a.IDs = p.strs(v2)
			case "hosts", "host":
				a.Hosts = p.strs(v2)
			case "region":
				a.Region = p.str(v2)
			default:
				p.add(k2, fmt.Sprintf("unknown key %q in API %q (want template, resource, openapi, ids, hosts or region)", k2.Value, k.Value))
			}
		})
		if a.Template != "" && a.OpenAPI != "" {
			p.add(k, fmt.Sprintf("API %q names both a template and an OpenAPI document; use one", k.Value))
		}
	})
}

func (p *parser) rules(c *Config, v *yaml.Node) {
	if v.Kind != yaml.MappingNode {
		if v.Tag != "!!null" {
			p.add(v, "rules must be a mapping (disable, severity)")
		}
		return
	}
	p.eachKey(v, func(k, val *yaml.Node) {
		switch k.Value {
		case "disable":
			if val.Kind == yaml.SequenceNode {
				for _, it := range val.Content {
					if s := p.str(it); s != "" {
						c.Disable = append(c.Disable, s)
						c.DisableSpans = append(c.DisableSpans, p.span(it))
					}
				}
				return
			}
			c.Disable = p.strs(val)
			for range c.Disable {
				c.DisableSpans = append(c.DisableSpans, p.span(val))
			}
		case "severity":
			if val.Kind != yaml.MappingNode {
				p.add(val, "severity must map a rule code to error, warning, info or off")
				return
			}
			p.eachKey(val, func(code, level *yaml.Node) {
				c.Severity[strings.ToUpper(code.Value)] = p.str(level)
				c.SeveritySpans[strings.ToUpper(code.Value)] = p.span(level)
				c.SeverityKeySpans[strings.ToUpper(code.Value)] = p.span(code)
			})
		default:
			p.add(k, fmt.Sprintf("unknown key %q in rules (want disable or severity)", k.Value))
		}
	})
}

// Names returns the API names, sorted.
func (c *Config) Names() []string {
	var out []string
	for _, a := range c.APIs {
		out = append(out, a.Name)
	}
	sort.Strings(out)
	return out
}
