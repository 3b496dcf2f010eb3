package terraform

import (
	"fmt"
	"path"
	"sort"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// Config is every module instance of a workspace's Terraform files, and
// every resource instance in them.
type Config struct {
	Modules   []*Module
	Resources []*Resource

	byAddr map[string]*Resource
	// frozen is set when Load returns: evaluation contexts built later
	// (by readers on several goroutines) are built under mu.
	frozen bool
	mu     sync.Mutex
}

// Resource returns the resource instance with that address, or nil.
func (c *Config) Resource(addr string) *Resource { return c.byAddr[addr] }

// Module is one instance of a module: a root module (a directory of .tf
// files no local module call uses) or a local module call's instance.
type Module struct {
	Dir    string // cleaned directory path
	Addr   string // "" for a root module, "module.api", "module.api.module.x"
	Parent *Module
	Call   *hclsyntax.Block // the module block that instantiates it (nil for a root)
	Files  []*File

	// RemoteCalls are module calls whose source is not a local directory:
	// what they create is unknown.
	RemoteCalls []*hclsyntax.Block
	// Resources are the module's resource instances (not those of its
	// child modules).
	Resources []*Resource

	src       *dirFiles
	vars      map[string]cty.Value
	varFrom   map[string]VarSource
	locals    map[string]*hclsyntax.Attribute
	localVal  map[string]cty.Value
	localBusy map[string]bool
	blocks    map[string]*resBlock // "type.name" → resource block
	outputs   map[string]*hclsyntax.Attribute
	calls     map[string]*hclsyntax.Block
	callBusy  map[string]bool
	callDone  map[string]cty.Value
	cfg       *loader
	depth     int
	byBlock   map[*hclsyntax.Block]*Resource // the first instance of each resource block
	// single caches {name: value} objects of a root ("aws_x" → {y: …})
	// for contexts that reference one name of it, once its value is final.
	single map[string]cty.Value
}

// ResourceOf returns the first instance of a resource block of the
// module, or nil.
func (m *Module) ResourceOf(b *hclsyntax.Block) *Resource { return m.byBlock[b] }

// VarSource says where a variable's value came from.
type VarSource int

const (
	VarUnset   VarSource = iota // no default and no tfvars value: unknown
	VarDefault                  // the variable's default
	VarTfvars                   // terraform.tfvars or *.auto.tfvars
	VarInput                    // a module call's argument
)

// Broken reports a module with a file that has a syntax error (or whose
// tfvars file has one): what it declares may be incomplete.
func (m *Module) Broken() bool {
	for _, f := range m.Files {
		if f.Broken {
			return true
		}
	}
	for _, f := range m.src.vars {
		if f.Broken {
			return true
		}
	}
	return false
}

// VarFrom says where the value of variable name came from.
func (m *Module) VarFrom(name string) VarSource { return m.varFrom[name] }

// resBlock is a resource block and its evaluated instances.
type resBlock struct {
	travs []hcl.Traversal // of every expression of the block, once
	block *hclsyntax.Block
	file  *File
	busy  bool
	done  bool
	value cty.Value
}

// Resource is one resource instance.
type Resource struct {
	Type, Name string
	// Addr is the instance address (module.api.aws_x.y["k"]); Base is the
	// address without the instance key.
	Addr, Base string
	Module     *Module
	File       *File
	Block      *hclsyntax.Block
	// Undecided reports a count or for_each that is not static: the
	// instance stands for an unknown number of instances.
	Undecided bool
	extra     map[string]cty.Value // each / count of the instance
	ctxOnce   sync.Once
	ctx       *hcl.EvalContext
	vals      map[string]cty.Value // top-level attribute values
	travs     []hcl.Traversal
	refs      map[string]bool // References of the block, once asked
}

type dirFiles struct {
	dir   string
	tf    []*File
	vars  []*File // tfvars, in precedence order
	calls []string
}

type loader struct {
	dirs map[string]*dirFiles
	cfg  *Config
	// instances counts resource instances; past MaxInstances, a count or
	// for_each stands for an unknown number of instances.
	instances int
}

// MaxInstances bounds the resource instances a configuration expands to
// (count and for_each), so that a pathological one cannot take minutes.
var MaxInstances = 100000

// maxDepth bounds module nesting (and module cycles).
const maxDepth = 8

// Load evaluates the files: each directory of .tf files that no local
// module call uses is a root module; module calls with a local source
// instantiate their directory with the call's arguments.
func Load(files []*File) *Config {
	l := &loader{dirs: map[string]*dirFiles{}, cfg: &Config{}}
	for _, f := range files {
		if f == nil || f.Body == nil {
			continue
		}
		dir := path.Dir(path.Clean(f.Src.Path))
		d := l.dirs[dir]
		if d == nil {
			d = &dirFiles{dir: dir}
			l.dirs[dir] = d
		}
		if f.Vars {
			d.vars = append(d.vars, f)
		} else {
			d.tf = append(d.tf, f)
		}
	}
	called := map[string]bool{}
	var dirs []string
	for dir, d := range l.dirs {
		dirs = append(dirs, dir)
		sort.Slice(d.tf, func(i, j int) bool { return d.tf[i].Src.Path < d.tf[j].Src.Path })
		sort.Slice(d.vars, func(i, j int) bool { return varsOrder(d.vars[i].Src.Path) < varsOrder(d.vars[j].Src.Path) })
		for _, f := range d.tf {
			for _, b := range f.Body.Blocks {
				if b.Type != "module" || len(b.Labels) != 1 {
					continue
				}
				if src, ok := localSource(b); ok {
					if to := path.Clean(path.Join(dir, src)); to != dir {
						called[to] = true
					}
				}
			}
		}
	}
	sort.Strings(dirs)
	evaluated := map[string]bool{}
	for _, dir := range dirs {
		d := l.dirs[dir]
		if called[dir] || len(d.tf) == 0 {
			continue
		}
		m := l.newModule(d, "", nil, nil, 0)
		m.evalAll()
	}
	for _, m := range l.cfg.Modules {
		evaluated[m.Dir] = true
	}
	// Modules that call each other in a cycle: no root reaches them.
	for _, dir := range dirs {
		if d := l.dirs[dir]; !evaluated[dir] && len(d.tf) > 0 {
			m := l.newModule(d, "", nil, nil, 0)
			m.evalAll()
			for _, m := range l.cfg.Modules {
				evaluated[m.Dir] = true
			}
		}
	}
	l.cfg.byAddr = make(map[string]*Resource, len(l.cfg.Resources))
	for _, r := range l.cfg.Resources {
		l.cfg.byAddr[r.Addr] = r
	}
	// Every instance's references and every local, computed now: readers
	// share the configuration across goroutines.
	for _, r := range l.cfg.Resources {
		r.Refs()
	}
	for _, m := range l.cfg.Modules {
		for name := range m.locals {
			m.local(name)
		}
	}
	l.cfg.frozen = true
	return l.cfg
}

// varsOrder sorts terraform.tfvars before *.auto.tfvars (alphabetical):
// later files override earlier ones.
func varsOrder(p string) string {
	b := path.Base(p)
	if b == "terraform.tfvars" {
		return "0"
	}
	if strings.HasSuffix(b, ".auto.tfvars") {
		return "1" + b
	}
	return "2" + b // other tfvars files are given with -var-file: not read
}

// localSource returns a module block's local source ("./modules/api").
func localSource(b *hclsyntax.Block) (string, bool) {
	a := b.Body.Attributes["source"]
	if a == nil {
		return "", false
	}
	v, diags := a.Expr.Value(nil)
	if diags.HasErrors() || !v.Type().Equals(cty.String) || !v.IsKnown() || v.IsNull() {
		return "", false
	}
	s := v.AsString()
	if strings.HasPrefix(s, "./") || strings.HasPrefix(s, "../") {
		return s, true
	}
	return "", false
}

func (l *loader) newModule(d *dirFiles, addr string, parent *Module, call *hclsyntax.Block, depth int) *Module {
	m := &Module{
		Dir: d.dir, Addr: addr, Parent: parent, Call: call, Files: d.tf, src: d,
		vars: map[string]cty.Value{}, varFrom: map[string]VarSource{},
		locals: map[string]*hclsyntax.Attribute{}, localVal: map[string]cty.Value{}, localBusy: map[string]bool{},
		blocks:  map[string]*resBlock{},
		outputs: map[string]*hclsyntax.Attribute{}, calls: map[string]*hclsyntax.Block{},
		callBusy: map[string]bool{}, callDone: map[string]cty.Value{}, byBlock: map[*hclsyntax.Block]*Resource{},
		single: map[string]cty.Value{},
		cfg:    l, depth: depth,
	}
	l.cfg.Modules = append(l.cfg.Modules, m)
	for _, f := range d.tf {
		for _, b := range f.Body.Blocks {
			switch {
			case b.Type == "resource" && len(b.Labels) == 2:
				k := b.Labels[0] + "." + b.Labels[1]
				if m.blocks[k] == nil {
					m.blocks[k] = &resBlock{block: b, file: f}
				}
			case b.Type == "locals":
				for n, a := range b.Body.Attributes {
					m.locals[n] = a
				}
			case b.Type == "output" && len(b.Labels) == 1:
				if a := b.Body.Attributes["value"]; a != nil {
					m.outputs[b.Labels[0]] = a
				}
			case b.Type == "module" && len(b.Labels) == 1:
				if _, ok := localSource(b); ok {
					m.calls[b.Labels[0]] = b
				} else {
					m.RemoteCalls = append(m.RemoteCalls, b)
				}
			}
		}
	}
	return m
}

// setVars gives the module's variables their values: the call's
// arguments (child modules) or tfvars files (root modules), else the
// defaults.
func (m *Module) setVars(inputs map[string]cty.Value) {
	for _, f := range m.Files {
		for _, b := range f.Body.Blocks {
			if b.Type != "variable" || len(b.Labels) != 1 {
				continue
			}
			name := b.Labels[0]
			m.vars[name], m.varFrom[name] = cty.DynamicVal, VarUnset
			if a := b.Body.Attributes["default"]; a != nil {
				if v, diags := a.Expr.Value(m.baseCtx()); !diags.HasErrors() {
					m.vars[name], m.varFrom[name] = v, VarDefault
				}
			}
		}
	}
	if inputs != nil {
		for n, v := range inputs {
			if _, declared := m.vars[n]; declared {
				m.vars[n], m.varFrom[n] = v, VarInput
			}
		}
		return
	}
	for _, f := range m.src.vars {
		if varsOrder(f.Src.Path)[0] == '2' {
			continue
		}
		for n, a := range f.Body.Attributes {
			if _, declared := m.vars[n]; !declared {
				continue
			}
			if v, diags := a.Expr.Value(m.baseCtx()); !diags.HasErrors() {
				m.vars[n], m.varFrom[n] = v, VarTfvars
			}
		}
	}
}

// evalAll evaluates every resource and module call of the module.
func (m *Module) evalAll() {
	if m.Call == nil {
		m.setVars(nil)
	}
	keys := make([]string, 0, len(m.blocks))
	for k := range m.blocks {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		m.resource(k)
	}
	names := make([]string, 0, len(m.calls))
	for n := range m.calls {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		m.call(n)
	}
	// Resources in file order, then by instance key.
	sort.SliceStable(m.Resources, func(i, j int) bool {
		a, b := m.Resources[i], m.Resources[j]
		if a.File.Src.Path != b.File.Src.Path {
			return a.File.Src.Path < b.File.Src.Path
		}
		return a.Block.TypeRange.Start.Byte < b.Block.TypeRange.Start.Byte
	})
	m.cfg.cfg.Resources = append(m.cfg.cfg.Resources, m.Resources...)
}

// baseCtx is an evaluation context with the functions only.
func (m *Module) baseCtx() *hcl.EvalContext {
	return &hcl.EvalContext{Functions: functions(), Variables: map[string]cty.Value{}}
}

// Ctx returns an evaluation context for the expressions of the module
// that reference what traversals name (plus extra names: each, count).
func (m *Module) ctxFor(travs []hcl.Traversal, extra map[string]cty.Value) *hcl.EvalContext {
	vars := map[string]cty.Value{}
	for k, v := range extra {
		vars[k] = v
	}
	objs := map[string]map[string]cty.Value{}
	add := func(root, name string, v cty.Value) {
		if objs[root] == nil {
			objs[root] = map[string]cty.Value{}
		}
		objs[root][name] = v
	}
	for _, t := range travs {
		root := t.RootName()
		if _, ok := vars[root]; ok {
			continue
		}
		second := ""
		if len(t) > 1 {
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				second = a.Name
			}
		}
		switch root {
		case "var":
			vars["var"] = cty.ObjectVal(m.vars)
		case "local":
			if second != "" {
				add("local", second, m.local(second))
			}
		case "module":
			if second != "" {
				add("module", second, m.call(second))
			}
		case "data":
			vars["data"] = cty.DynamicVal
		case "path":
			vars["path"] = cty.ObjectVal(map[string]cty.Value{
				"module": cty.StringVal(m.Dir), "root": cty.StringVal(m.rootDir()), "cwd": cty.StringVal(m.rootDir()),
			})
		case "terraform":
			vars["terraform"] = cty.ObjectVal(map[string]cty.Value{"workspace": cty.StringVal("default")})
		case "each", "count", "self":
			vars[root] = cty.DynamicVal
		default:
			if second != "" {
				if _, ok := m.blocks[root+"."+second]; ok {
					add(root, second, m.resource(root+"."+second))
				}
			}
		}
	}
	for root, o := range objs {
		if len(o) == 1 && root != "local" && root != "module" {
			for name := range o {
				k := root + "." + name
				if rb := m.blocks[k]; rb != nil && rb.done {
					c, ok := m.single[k]
					if !ok {
						c = cty.ObjectVal(o)
						m.single[k] = c
					}
					vars[root] = c
					continue
				}
				vars[root] = cty.ObjectVal(o)
			}
			continue
		}
		vars[root] = cty.ObjectVal(o)
	}
	return &hcl.EvalContext{Variables: vars, Functions: functions()}
}

func (m *Module) rootDir() string {
	for m.Parent != nil {
		m = m.Parent
	}
	return m.Dir
}

// local returns the value of local name.
func (m *Module) local(name string) cty.Value {
	if v, ok := m.localVal[name]; ok {
		return v
	}
	a := m.locals[name]
	if a == nil || m.localBusy[name] {
		return cty.DynamicVal
	}
	m.localBusy[name] = true
	v := m.eval(a.Expr, nil)
	m.localBusy[name] = false
	m.localVal[name] = v
	return v
}

// eval evaluates an expression of the module; errors make it unknown.
func (m *Module) eval(e hclsyntax.Expression, extra map[string]cty.Value) cty.Value {
	v, diags := e.Value(m.ctxFor(e.Variables(), extra))
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	return v
}

// call evaluates the local module call name and returns its outputs.
func (m *Module) call(name string) cty.Value {
	if v, ok := m.callDone[name]; ok {
		return v
	}
	b := m.calls[name]
	if b == nil || m.callBusy[name] || m.depth >= maxDepth {
		return cty.DynamicVal
	}
	m.callBusy[name] = true
	defer func() { m.callBusy[name] = false }()
	src, _ := localSource(b)
	dir := path.Clean(path.Join(m.Dir, src))
	d := m.cfg.dirs[dir]
	if d == nil || len(d.tf) == 0 {
		m.callDone[name] = cty.DynamicVal
		return cty.DynamicVal
	}
	inputs := map[string]cty.Value{}
	for n, a := range b.Body.Attributes {
		switch n {
		case "source", "version", "providers", "depends_on", "count", "for_each":
			continue
		}
		inputs[n] = m.eval(a.Expr, nil)
	}
	addr := "module." + name
	if m.Addr != "" {
		addr = m.Addr + "." + addr
	}
	child := m.cfg.newModule(d, addr, m, b, m.depth+1)
	child.setVars(inputs)
	child.evalAll()
	outs := map[string]cty.Value{}
	for n, a := range child.outputs {
		outs[n] = child.eval(a.Expr, nil)
	}
	v := cty.ObjectVal(outs)
	m.callDone[name] = v
	return v
}

// computedAttrs are the attributes a resource gets from the provider, by
// type; their values are reference markers.
var computedAttrs = map[string][]string{
	"aws_api_gateway_rest_api":     {"root_resource_id", "execution_arn", "created_date"},
	"aws_api_gateway_resource":     {"path"},
	"aws_api_gateway_deployment":   {"invoke_url", "execution_arn", "created_date"},
	"aws_api_gateway_stage":        {"invoke_url", "execution_arn"},
	"aws_api_gateway_domain_name":  {"regional_domain_name", "regional_zone_id", "cloudfront_domain_name", "cloudfront_zone_id"},
	"aws_apigatewayv2_api":         {"api_endpoint", "execution_arn"},
	"aws_apigatewayv2_stage":       {"invoke_url", "execution_arn"},
	"aws_apigatewayv2_domain_name": {"api_mapping_selection_expression"},
	"aws_api_gateway_api_key":      {"value"},
	"aws_lambda_function":          {"invoke_arn", "qualified_arn", "qualified_invoke_arn", "version"},
	"aws_lambda_alias":             {"invoke_arn"},
	"aws_api_gateway_usage_plan":   {},
	"aws_wafv2_web_acl":            {"capacity"},
}

// Ref is the marker a computed attribute evaluates to.
func Ref(addr, attr string) string { return "${" + addr + "." + attr + "}" }

// ParseRef splits a marker made by Ref; ok is false for anything else.
func ParseRef(s string) (addr, attr string, ok bool) {
	if !strings.HasPrefix(s, "${") || !strings.HasSuffix(s, "}") || strings.Count(s, "${") != 1 {
		return "", "", false
	}
	inner := s[2 : len(s)-1]
	i := strings.LastIndexByte(inner, '.')
	if i <= 0 {
		return "", "", false
	}
	return inner[:i], inner[i+1:], true
}

// resource evaluates the resource block key ("type.name") and returns its
// value: an object, a list (count) or a map (for_each) of instances.
func (m *Module) resource(key string) cty.Value {
	rb := m.blocks[key]
	if rb == nil {
		return cty.DynamicVal
	}
	if rb.done {
		return rb.value
	}
	if rb.busy {
		return cty.DynamicVal
	}
	rb.busy = true
	defer func() { rb.busy = false }()
	b := rb.block
	base := key
	if m.Addr != "" {
		base = m.Addr + "." + key
	}
	newInst := func(addr string, extra map[string]cty.Value, undecided bool) (*Resource, cty.Value) {
		r := &Resource{Type: b.Labels[0], Name: b.Labels[1], Addr: addr, Base: base, Module: m, File: rb.file, Block: b, Undecided: undecided}
		if rb.travs == nil {
			rb.travs = blockTraversals(b.Body)
		}
		r.extra = extra
		r.travs = rb.travs
		m.Resources = append(m.Resources, r)
		m.cfg.instances++
		if m.byBlock[b] == nil {
			m.byBlock[b] = r
		}
		return r, r.object()
	}
	switch {
	case b.Body.Attributes["count"] != nil:
		cv := m.eval(b.Body.Attributes["count"].Expr, nil)
		n, ok := smallInt(cv)
		if ok && m.cfg.instances+n > MaxInstances {
			ok = false
		}
		if !ok {
			_, v := newInst(base+"[*]", map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.UnknownVal(cty.Number)})}, true)
			rb.value = cty.DynamicVal
			_ = v
			break
		}
		var vals []cty.Value
		for i := 0; i < n; i++ {
			_, v := newInst(fmt.Sprintf("%s[%d]", base, i), map[string]cty.Value{"count": cty.ObjectVal(map[string]cty.Value{"index": cty.NumberIntVal(int64(i))})}, false)
			vals = append(vals, v)
		}
		if len(vals) == 0 {
			rb.value = cty.EmptyTupleVal
		} else {
			rb.value = cty.TupleVal(vals)
		}
	case b.Body.Attributes["for_each"] != nil:
		fv := m.eval(b.Body.Attributes["for_each"].Expr, nil)
		if !fv.IsWhollyKnown() || fv.IsNull() || !(fv.Type().IsMapType() || fv.Type().IsObjectType() || fv.Type().IsSetType()) ||
			m.cfg.instances+fv.LengthInt() > MaxInstances {
			newInst(base+`["*"]`, map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": cty.UnknownVal(cty.String), "value": cty.DynamicVal})}, true)
			rb.value = cty.DynamicVal
			break
		}
		vals := map[string]cty.Value{}
		for it := fv.ElementIterator(); it.Next(); {
			k, v := it.Element()
			if fv.Type().IsSetType() {
				k = v
			}
			if k.Type() != cty.String || k.IsNull() {
				continue
			}
			ks := k.AsString()
			_, obj := newInst(fmt.Sprintf("%s[%q]", base, ks), map[string]cty.Value{"each": cty.ObjectVal(map[string]cty.Value{"key": k, "value": v})}, false)
			vals[ks] = obj
		}
		rb.value = cty.ObjectVal(vals)
	default:
		_, v := newInst(base, nil, false)
		rb.value = v
	}
	rb.done = true
	return rb.value
}

func smallInt(v cty.Value) (int, bool) {
	if !v.IsKnown() || v.IsNull() || v.Type() != cty.Number {
		return 0, false
	}
	bf := v.AsBigFloat()
	i, acc := bf.Int64()
	if acc != 0 || i < 0 || i > 1000 {
		return 0, false
	}
	return int(i), true
}

// object is the value other expressions see for the instance: its
// top-level attributes, and markers for id, arn and computed attributes.
func (r *Resource) object() cty.Value {
	o := map[string]cty.Value{}
	for n, a := range r.Block.Body.Attributes {
		switch n {
		case "count", "for_each", "depends_on", "provider":
			continue
		}
		o[n] = r.Eval(a.Expr)
	}
	r.vals = make(map[string]cty.Value, len(o))
	for n, v := range o {
		r.vals[n] = v
		// An argument that is not static still names this resource's
		// value to whoever reads it (a mapping's domain_name = the
		// domain's domain_name): it reads as a marker, unknown here.
		if !v.IsWhollyKnown() && (v.Type() == cty.DynamicPseudoType || v.Type().IsPrimitiveType()) {
			o[n] = cty.StringVal(Ref(r.Addr, n))
		}
	}
	for _, n := range append([]string{"id", "arn"}, computedAttrs[r.Type]...) {
		if _, ok := o[n]; !ok {
			o[n] = cty.StringVal(Ref(r.Addr, n))
		}
	}
	return cty.ObjectVal(o)
}

// blockTraversals returns the traversals of every expression in a body.
func blockTraversals(b *hclsyntax.Body) []hcl.Traversal {
	var out []hcl.Traversal
	for _, a := range b.Attributes {
		out = append(out, a.Expr.Variables()...)
	}
	for _, c := range b.Blocks {
		out = append(out, blockTraversals(c.Body)...)
	}
	return out
}

// Eval evaluates an expression of the resource's block; errors make the
// value unknown.
func (r *Resource) Eval(e hclsyntax.Expression) cty.Value {
	switch x := e.(type) {
	case *hclsyntax.LiteralValueExpr:
		return x.Val
	case *hclsyntax.ScopeTraversalExpr:
		// The common `aws_x.y.id`, `var.z`, `each.value`: read directly,
		// without building an evaluation context.
		if v, ok := r.traverse(x.Traversal); ok {
			return v
		}
	case *hclsyntax.TemplateExpr:
		if x.IsStringLiteral() {
			if v, diags := x.Value(nil); !diags.HasErrors() {
				return v
			}
		}
	}
	v, diags := e.Value(r.Ctx())
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	return v
}

// traverse evaluates a traversal whose root the module resolves
// directly; ok is false for the others (module, data, path, self).
func (r *Resource) traverse(t hcl.Traversal) (cty.Value, bool) {
	root := t.RootName()
	m := r.Module
	var v cty.Value
	rest := t[1:]
	if ev, ok := r.extra[root]; ok {
		v = ev
	} else {
		if len(t) < 2 {
			return cty.NilVal, false
		}
		a, ok := t[1].(hcl.TraverseAttr)
		if !ok {
			return cty.NilVal, false
		}
		switch root {
		case "var":
			v, ok = m.vars[a.Name]
			if !ok {
				return cty.DynamicVal, true
			}
		case "local":
			v = m.local(a.Name)
		case "module", "data", "path", "terraform", "self", "each", "count":
			return cty.NilVal, false
		default:
			if _, ok := m.blocks[root+"."+a.Name]; !ok {
				return cty.DynamicVal, true
			}
			v = m.resource(root + "." + a.Name)
		}
		rest = t[2:]
	}
	for _, step := range rest {
		var diags hcl.Diagnostics
		v, diags = step.TraversalStep(v)
		if diags.HasErrors() {
			return cty.DynamicVal, true
		}
	}
	return v, true
}

// Ctx returns the resource instance's evaluation context.
func (r *Resource) Ctx() *hcl.EvalContext {
	r.ctxOnce.Do(func() {
		if cfg := r.Module.cfg.cfg; cfg.frozen {
			cfg.mu.Lock()
			defer cfg.mu.Unlock()
		}
		r.ctx = r.Module.ctxFor(r.travs, r.extra)
	})
	return r.ctx
}

// Attr returns the attribute name of the resource's body (nil if absent).
func (r *Resource) Attr(name string) *hclsyntax.Attribute { return r.Block.Body.Attributes[name] }

// Repeated reports a count or for_each argument: the block declares a
// number of instances, not one.
func (r *Resource) Repeated() bool { return r.Attr("count") != nil || r.Attr("for_each") != nil }

// Blocks returns the nested blocks of type typ of body (the resource's
// own body when body is nil).
func (r *Resource) Blocks(body *hclsyntax.Body, typ string) []*hclsyntax.Block {
	if body == nil {
		body = r.Block.Body
	}
	var out []*hclsyntax.Block
	for _, b := range body.Blocks {
		if b.Type == typ {
			out = append(out, b)
		}
	}
	return out
}

// Str evaluates attribute name of body (the resource's when nil) to a
// string; known is false when it is absent or not static (reference
// markers are strings and count as known).
func (r *Resource) Str(body *hclsyntax.Body, name string) (s string, known bool, a *hclsyntax.Attribute) {
	if body == nil {
		body = r.Block.Body
	}
	a = body.Attributes[name]
	if a == nil {
		return "", false, nil
	}
	if v, ok := r.vals[name]; ok && body == r.Block.Body {
		s, known = String(v)
		return s, known, a
	}
	s, known = String(r.Eval(a.Expr))
	if known {
		if addr, _, ok := ParseRef(s); ok && addr == r.Addr {
			known = false // its own unknown argument, through self or a nested block
		}
	}
	return s, known, a
}

// String returns a known string value (numbers and bools converted).
func String(v cty.Value) (string, bool) {
	if !v.IsWhollyKnown() || v.IsNull() {
		return "", false
	}
	switch v.Type() {
	case cty.String:
		return v.AsString(), true
	case cty.Bool:
		if v.True() {
			return "true", true
		}
		return "false", true
	case cty.Number:
		return v.AsBigFloat().Text('f', -1), true
	}
	return "", false
}

// Strings returns the known strings of a list, set or tuple (a single
// string is a list of one); ok is false when any is unknown.
func Strings(v cty.Value) (out []string, ok bool) {
	if !v.IsWhollyKnown() || v.IsNull() {
		return nil, false
	}
	if s, ok := String(v); ok {
		return []string{s}, true
	}
	t := v.Type()
	if !t.IsListType() && !t.IsSetType() && !t.IsTupleType() {
		return nil, false
	}
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		s, ok := String(e)
		if !ok {
			return nil, false
		}
		out = append(out, s)
	}
	return out, true
}

// Bool evaluates attribute name to a known boolean.
func (r *Resource) Bool(body *hclsyntax.Body, name string) (value, known bool, a *hclsyntax.Attribute) {
	s, ok, a := r.Str(body, name)
	if !ok {
		return false, false, a
	}
	switch strings.ToLower(s) {
	case "true":
		return true, true, a
	case "false":
		return false, true, a
	}
	return false, false, a
}

// References returns the resource addresses (without module prefix or
// instance key: "aws_api_gateway_method.get") the expressions of a body
// name, including depends_on and nested blocks.
func References(b *hclsyntax.Body) map[string]bool {
	return refsOf(blockTraversals(b))
}

func refsOf(travs []hcl.Traversal) map[string]bool {
	out := map[string]bool{}
	for _, t := range travs {
		root := t.RootName()
		switch root {
		case "var", "local", "module", "data", "path", "terraform", "each", "count", "self":
			continue
		}
		if len(t) > 1 {
			if a, ok := t[1].(hcl.TraverseAttr); ok {
				out[root+"."+a.Name] = true
			}
		}
	}
	return out
}

// Refs returns References of the resource's block (computed once).
func (r *Resource) Refs() map[string]bool {
	if r.refs == nil {
		if r.travs != nil {
			r.refs = refsOf(r.travs)
		} else {
			r.refs = References(r.Block.Body)
		}
	}
	return r.refs
}

// Key returns the resource's key inside its module ("type.name").
func (r *Resource) Key() string { return r.Type + "." + r.Name }

// VarRefs returns the names of the variables an expression reads.
func VarRefs(e hclsyntax.Expression) []string {
	var out []string
	for _, t := range e.Variables() {
		if t.RootName() != "var" || len(t) < 2 {
			continue
		}
		if a, ok := t[1].(hcl.TraverseAttr); ok {
			out = append(out, a.Name)
		}
	}
	return out
}

// Region returns the AWS region the resource is created in when the
// configuration pins it: the region of the root module's default `aws`
// provider, written as a literal or given by a variable that a tfvars file
// sets. A resource of an aliased provider, or a region from a variable's
// default (a `-var` may change it), gives "".
func (r *Resource) Region() string {
	if r.Attr("provider") != nil {
		return ""
	}
	root := r.Module
	for root.Parent != nil {
		root = root.Parent
	}
	for _, f := range root.Files {
		for _, b := range f.Body.Blocks {
			if b.Type != "provider" || len(b.Labels) != 1 || b.Labels[0] != "aws" || b.Body.Attributes["alias"] != nil {
				continue
			}
			a := b.Body.Attributes["region"]
			if a == nil {
				return ""
			}
			for _, v := range VarRefs(a.Expr) {
				if root.VarFrom(v) != VarTfvars {
					return ""
				}
			}
			if len(VarRefs(a.Expr)) == 0 && !IsLiteral(a.Expr) {
				return ""
			}
			s, ok := String(root.eval(a.Expr, nil))
			if !ok {
				return ""
			}
			return s
		}
	}
	return ""
}

// IDReferenced reports whether an expression of body reads the id of the
// resource key ("type.name"), or the resource as a whole (which holds its
// id): `aws_x.y.id`, `aws_x.y`, `aws_x.y[0].id`, `aws_x.y["k"]`.
func IDReferenced(body *hclsyntax.Body, key string) bool {
	typ, name, ok := strings.Cut(key, ".")
	if !ok {
		return false
	}
	for _, t := range blockTraversals(body) {
		if t.RootName() != typ || len(t) < 2 {
			continue
		}
		if a, ok := t[1].(hcl.TraverseAttr); !ok || a.Name != name {
			continue
		}
		rest := t[2:]
		for len(rest) > 0 {
			if _, ok := rest[0].(hcl.TraverseIndex); !ok {
				break
			}
			rest = rest[1:]
		}
		if len(rest) == 0 {
			return true
		}
		if a, ok := rest[0].(hcl.TraverseAttr); ok && a.Name == "id" {
			return true
		}
	}
	return false
}
