package link

import (
	"path/filepath"
	"strings"

	"github.com/gw403/gw403-lsp/analyzer/msg"
	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/gwconfig"
)

// LinkMethod says which linking step matched a request to an API (DESIGN.md,
// "Linking requests to APIs"), in priority order.
type LinkMethod string

const (
	LinkDirective     LinkMethod = "directive"      // # @api name
	LinkConfig        LinkMethod = "config"         // .gw403.yaml ids / hosts
	LinkCustomDomain  LinkMethod = "custom-domain"  // host is a custom domain of the workspace
	LinkOpenAPIServer LinkMethod = "openapi-server" // host's API id is in an OpenAPI document's servers/host
	LinkSingleAPI     LinkMethod = "single-api"     // execute-api host, the workspace has one API
	LinkPathMatch     LinkMethod = "path-match"     // the path matches the routes of exactly one API
)

// Link is the API a request calls, and how its URL maps onto it.
type Link struct {
	API    *apimodel.API
	Method LinkMethod
	// why says how the request links; Reason formats it.
	why reason
	url *URL

	// Domain and Mapping are set when the host is a custom domain of the
	// workspace. Mapping is nil when no base path mapping matches (GW142).
	Domain  *apimodel.Domain
	Mapping *apimodel.Mapping

	// StageSeg is the index in URL.Segments of the segment read as the
	// stage: on the default endpoint, or after the base path of a custom
	// domain's REST mapping that names no stage. It is -1 when the URL
	// carries no stage (a mapping that selects the stage, $default stage,
	// no segment).
	StageSeg int
	// Stage is the stage the request reaches, nil when unknown or missing.
	Stage *apimodel.Stage
	// Resource are the segments after the stage or base path.
	Resource []Segment
	// Routes match the resource path, most specific first; Route also
	// matches the method (nil when none does).
	Routes []*apimodel.Route
	Route  *apimodel.Route
}

// Reason says, for people, how the request links to its API, with the
// request's private values masked.
func (l *Link) Reason() msg.Text { return l.why.text(l.url) }

// reason formats, when it is read, why a request links or does not: only
// hover, inspect and explain show it, and a check of 10,000 requests reads
// none. A nil reason is the empty text.
type reason func() msg.Text

// text is the reason with the private values of u masked.
func (r reason) text(u *URL) msg.Text {
	if r == nil {
		return msg.Text{}
	}
	return maskText(r(), u)
}

// ResourcePath returns "/a/b" for the resource segments, for people:
// unknown segments shown as "*", segments holding a secret as "****".
func (l *Link) ResourcePath() string {
	var b strings.Builder
	for _, s := range l.Resource {
		b.WriteByte('/')
		if s.Unknown {
			b.WriteString("*")
		} else {
			b.WriteString(s.Display())
		}
	}
	if b.Len() == 0 {
		return "/"
	}
	return b.String()
}

// linkInput is what linking looks at.
type linkInput struct {
	model     *apimodel.Model
	config    *gwconfig.Config
	root      string
	directive string // value of # @api, "" when absent
	url       *URL
	apiIDHdr  string // x-apigw-api-id header value, or the id from a Host header
	method    string
	// project is the request file's project folder ("" = no restriction):
	// steps 3–6 consider only the APIs and domains defined in it or its
	// sub-folders. snap tells the project of a definition file (nil: no
	// projects).
	project string
	snap    *Snapshot
}

// inScope reports whether a definition file is visible to steps 3–6.
func (in linkInput) inScope(file string) bool {
	return in.project == "" || inProject(in.project, file)
}

// scopedAPIs are the APIs steps 4–6 consider.
func (in linkInput) scopedAPIs() []*apimodel.API {
	if in.project == "" {
		return in.model.APIs
	}
	var out []*apimodel.API
	for _, api := range in.model.APIs {
		if in.inScope(api.File) || api.DefinitionFile != "" && in.inScope(api.DefinitionFile) {
			out = append(out, api)
		}
	}
	return out
}

// scopedDomain returns the domain as the request's project sees it: only
// the mappings declared in the project (for a reserved documentation
// name, in the project's own folder), or nil when neither the domain nor
// any of its mappings is declared there. Domains of the same name in
// several templates are one domain of the model.
func (in linkInput) scopedDomain(d *apimodel.Domain) *apimodel.Domain {
	if in.project == "" {
		return d
	}
	reserved := reservedName(d.Name.S)
	ok := func(file string) bool {
		if !in.inScope(file) {
			return false
		}
		return !reserved || in.snap == nil || in.snap.ProjectOf(file) == in.project
	}
	var kept []*apimodel.Mapping
	all := true
	for _, m := range d.Mappings {
		f := m.Loc.Path
		if f == "" {
			f = d.File
		}
		if ok(f) {
			kept = append(kept, m)
		} else {
			all = false
		}
	}
	if all {
		if ok(d.File) || len(d.Mappings) > 0 {
			return d
		}
		return nil
	}
	if len(kept) == 0 && !ok(d.File) {
		return nil
	}
	c := *d
	c.Mappings = kept
	return &c
}

// reservedName reports a documentation or reserved host name (RFC 2606,
// RFC 6761): every sample that uses one means its own.
func reservedName(host string) bool {
	h := strings.TrimSuffix(strings.ToLower(host), ".")
	for _, d := range []string{"example.com", "example.net", "example.org"} {
		if h == d || strings.HasSuffix(h, "."+d) {
			return true
		}
	}
	for _, tld := range []string{".example", ".test", ".invalid", ".localhost"} {
		if strings.HasSuffix(h, tld) {
			return true
		}
	}
	return false
}

// linkRequest links a request to an API, or returns nil and why not.
// The reasons capture only what they print: they are formatted when read.
func linkRequest(in linkInput) (*Link, reason) {
	u := in.url
	hi := u.HostInfo
	host := hi.Name
	if hi.Kind == HostLocal {
		return nil, func() msg.Text {
			return msg.T("not linked: %s is a local host (local emulators enforce no API keys or IAM)",
				"リンクなし: %s はローカルホストです（ローカルエミュレーターは API キーも IAM も検査しません）", host)
		}
	}
	apiID := hi.APIID
	if in.apiIDHdr != "" {
		apiID = in.apiIDHdr
	}

	// 1. # @api directive.
	if dir := in.directive; dir != "" {
		if api := configAPI(in, dir); api != nil {
			return finishLink(in, api, LinkDirective, func() msg.Text {
				return msg.T("linked by the # @api %s directive", "# @api %s ディレクティブでリンク", dir)
			}), nil
		}
		return nil, func() msg.Text {
			return msg.T("not linked: # @api %s names no API of .gw403.yaml found in the workspace",
				"リンクなし: # @api %s に該当する API が .gw403.yaml とワークスペースにありません", dir)
		}
	}

	// 2. .gw403.yaml ids and hosts.
	if in.config != nil && u.HostKnown() {
		for _, ca := range in.config.APIs {
			match := ""
			for _, id := range ca.IDs {
				if apiID != "" && strings.EqualFold(id, apiID) {
					match = "id " + id
				}
			}
			for _, h := range ca.Hosts {
				if strings.EqualFold(h, hi.Name) {
					match = "host " + h
				}
			}
			if match == "" {
				continue
			}
			if api := configAPI(in, ca.Name); api != nil {
				by, name := match, ca.Name
				return finishLink(in, api, LinkConfig, func() msg.Text {
					return msg.T(".gw403.yaml links %s to API %s", ".gw403.yaml が %s を API %s にリンク", by, name)
				}), nil
			}
		}
	}

	// 3. A custom domain of the request's project. A reserved
	// documentation name links only to a domain of the project's own
	// folder: every sample of a monorepo means its own api.example.com.
	elsewhere := ""
	if hi.Kind == HostOther {
		for _, d := range in.model.Domains {
			if !d.Name.Known || !strings.EqualFold(d.Name.S, hi.Name) {
				continue
			}
			sd := in.scopedDomain(d)
			if sd == nil {
				elsewhere = d.File
				continue
			}
			return linkDomain(in, sd)
		}
	}
	apis := in.scopedAPIs()

	if !u.HostKnown() && !hi.ExecuteAPIShape {
		// A variable host: only a unique path match links it (step 6).
		return linkByPath(in, apis)
	}
	if elsewhere != "" {
		root, project, other := in.root, in.project, filepath.Dir(elsewhere)
		return nil, func() msg.Text {
			return msg.T("not linked: %s is a custom domain of another project (%s); a request links to the APIs of its own project (%s) unless # @api or .gw403.yaml says otherwise",
				"リンクなし: %s は別のプロジェクト（%s）のカスタムドメイン名です。# @api か .gw403.yaml で指定しない限り、リクエストは自分のプロジェクト（%s）の API にだけリンクします",
				host, rel(root, other), rel(root, project))
		}
	}
	if hi.Kind != HostExecuteAPI && hi.Kind != HostPrivateEndpoint && hi.Kind != HostVPCE && !hi.ExecuteAPIShape {
		return nil, func() msg.Text {
			return msg.T("not linked: %s is neither an API Gateway host nor a custom domain defined in the workspace",
				"リンクなし: %s は API Gateway のホストでもワークスペースで定義されたカスタムドメイン名でもありません", host)
		}
	}

	// 4. The API id appears in an OpenAPI document's servers / host.
	if apiID != "" {
		for _, api := range apis {
			for _, id := range api.IDs {
				if strings.EqualFold(id, apiID) {
					id, file := apiID, api.File
					return finishLink(in, api, LinkOpenAPIServer, func() msg.Text {
						return msg.T("API id %s is in the servers of %s", "API ID %s が %s の servers にあります", id, filepath.Base(file))
					}), nil
				}
			}
		}
	}

	// Candidates: APIs not contradicted by a known id or region.
	var cands []*apimodel.API
	for _, api := range apis {
		if apiID != "" && len(api.IDs) > 0 {
			continue // its ids are known and differ
		}
		if api.Region != "" && hi.Region != "" && api.Region != hi.Region {
			continue
		}
		cands = append(cands, api)
	}

	// 5. The project defines exactly one API.
	if len(apis) == 1 && len(cands) == 1 {
		api := cands[0]
		if root, project := in.root, in.project; project != "" && len(in.model.APIs) > 1 {
			return finishLink(in, api, LinkSingleAPI, func() msg.Text {
				return msg.T("the project %s defines one API, %s", "プロジェクト %s で定義された API は %s だけです", rel(root, project), api.Name)
			}), nil
		}
		return finishLink(in, api, LinkSingleAPI, func() msg.Text {
			return msg.T("the workspace defines one API, %s", "ワークスペースで定義された API は %s だけです", api.Name)
		}), nil
	}
	// 6. The path matches the routes of exactly one API.
	return linkByPath(in, cands)
}

// emptyRefs names the variables of e whose value is empty ("{{base}}"),
// and where the first one was defined.
func emptyRefs(e *Expanded) (refs, origin string) {
	if e == nil {
		return "", ""
	}
	var names []string
	for _, p := range e.Pieces {
		if p.Var != "" && !p.Unknown && p.Text == "" {
			if origin == "" {
				origin = p.Origin
			}
			names = append(names, "{{"+p.Var+"}}")
		}
	}
	if origin == "" {
		origin = "no value"
	}
	return strings.Join(names, ", "), origin
}

// linkByPath links to the one API among cands whose routes match the path
// after the stage.
func linkByPath(in linkInput, cands []*apimodel.API) (*Link, reason) {
	u := in.url
	if u.PathStart < 0 {
		exp := u.Exp
		return nil, func() msg.Text {
			if refs, origin := emptyRefs(exp); refs != "" {
				return msg.T("not linked: %s is empty (%s), so the URL is not known", "リンクなし: %s が空（%s）のため URL が決まりません", refs, origin)
			}
			return msg.T("not linked: the URL is not known statically", "リンクなし: URL が静的に決まりません")
		}
	}
	var found *Link
	n := 0
	for _, api := range cands {
		if !api.RoutesKnown || len(api.Routes) == 0 {
			continue
		}
		l := finishLink(in, api, LinkPathMatch, nil)
		if l.Stage == nil && l.StageSeg >= 0 {
			continue // the first segment is no stage of this API
		}
		if len(l.Routes) > 0 {
			found = l
			n++
		}
	}
	if n == 1 {
		l := found
		l.why = func() msg.Text {
			return msg.T("the path %s matches routes of exactly one API, %s", "パス %s に一致するルートを持つ API は %s だけです", l.ResourcePath(), l.API.Name)
		}
		return l, nil
	}
	if count := n; count > 1 {
		return nil, func() msg.Text {
			return msg.T("not linked: the path matches routes of %d APIs; add # @api or .gw403.yaml", "リンクなし: パスが %d 個の API のルートに一致します。# @api か .gw403.yaml で指定してください", count)
		}
	}
	if root, project := in.root, in.project; project != "" && len(cands) < len(in.model.APIs) {
		return nil, func() msg.Text {
			return msg.T("not linked: no API of the project %s is known to serve this URL", "リンクなし: この URL に対応する API がプロジェクト %s にありません", rel(root, project))
		}
	}
	return nil, noAPIServes
}

// noAPIServes is why a request whose URL no API of the workspace serves
// is not linked.
func noAPIServes() msg.Text {
	return msg.T("not linked: no API of the workspace is known to serve this URL", "リンクなし: この URL に対応する API がワークスペースにありません")
}

// rel shows a folder relative to the workspace root ("." for the root).
func rel(root, dir string) string {
	if r, err := filepath.Rel(root, dir); err == nil && root != "" {
		return filepath.ToSlash(r)
	}
	return dir
}

// configAPI resolves a .gw403.yaml API entry to a model API.
func configAPI(in linkInput, name string) *apimodel.API {
	ca := in.config.API(name)
	if ca == nil {
		return nil
	}
	var want string
	switch {
	case ca.Template != "":
		want = filepath.Clean(filepath.Join(in.root, filepath.FromSlash(ca.Template)))
	case ca.OpenAPI != "":
		want = filepath.Clean(filepath.Join(in.root, filepath.FromSlash(ca.OpenAPI)))
	default:
		return nil
	}
	var hits []*apimodel.API
	for _, api := range in.model.APIs {
		if api.File == want || (ca.OpenAPI != "" && api.DefinitionFile == want) {
			if ca.Resource == "" || api.LogicalID == ca.Resource {
				hits = append(hits, api)
			}
		}
	}
	if len(hits) == 1 {
		return hits[0]
	}
	return nil
}

// linkDomain links a request on a custom domain through its mappings.
func linkDomain(in linkInput, d *apimodel.Domain) (*Link, reason) {
	segs := in.url.Segments
	var best *apimodel.Mapping
	bestLen := -1
	for _, m := range d.Mappings {
		if !m.Known {
			continue
		}
		bp := splitTemplate(m.BasePath)
		if len(bp) > len(segs) || len(bp) <= bestLen {
			continue
		}
		ok := true
		for i, s := range bp {
			if segs[i].Unknown || segs[i].Text != s {
				ok = false
				break
			}
		}
		if ok {
			best, bestLen = m, len(bp)
		}
	}
	l := &Link{Domain: d, Mapping: best, StageSeg: -1, Method: LinkCustomDomain, url: in.url}
	host, domain := in.url.Host, d.Name.S
	if best == nil {
		// GW142 reports it; no API can be named.
		l.why = func() msg.Text {
			return msg.T("host %s is the custom domain %s, but no base path mapping matches", "ホスト %s はカスタムドメイン名 %s ですが、一致するベースパスマッピングがありません", host, domain)
		}
		l.Resource = segs
		return l, nil
	}
	l.API = best.API
	l.Resource = segs[bestLen:]
	mapping := best
	l.why = func() msg.Text {
		mp := mapping.BasePath
		if mp == "" {
			mp = "(none)"
		}
		return msg.T("host %s is the custom domain %s; base path %s maps to %s", "ホスト %s はカスタムドメイン名 %s です。ベースパス %s は %s にマッピングされています", host, domain, mp, mappingTarget(mapping))
	}
	if best.API != nil {
		if best.Stage == "" && !best.StageUnknown && best.API.Kind == apimodel.REST {
			// A REST mapping that names no stage: the URL carries the
			// stage after the base path.
			if len(l.Resource) > 0 {
				l.StageSeg = bestLen
				if !l.Resource[0].Unknown {
					l.Stage = best.API.StageNamed(l.Resource[0].Text)
				}
				l.Resource = l.Resource[1:]
			}
		} else {
			l.Stage = best.API.StageNamed(best.Stage)
		}
		l.Routes = PathRoutes(best.API, l.Resource, in.url.PathUnknownTail)
		l.Route = MethodRoute(l.Routes, in.method)
	}
	return l, nil
}

func mappingTarget(m *apimodel.Mapping) string {
	name := "an API outside the workspace"
	if m.API != nil {
		name = m.API.Name
	}
	if m.Stage != "" {
		return name + "/" + m.Stage
	}
	return name
}

// finishLink reads the stage and resource path of a request on an API's
// default endpoint (or a configured host).
func finishLink(in linkInput, api *apimodel.API, how LinkMethod, why reason) *Link {
	l := &Link{API: api, Method: how, why: why, url: in.url, StageSeg: -1}
	segs := in.url.Segments
	if in.url.PathStart < 0 {
		return l
	}
	// A configured host or a directive may point at a custom domain of the
	// workspace: read it through its mappings.
	if in.url.HostInfo.Kind == HostOther {
		for _, d := range in.model.Domains {
			if d.Name.Known && strings.EqualFold(d.Name.S, in.url.HostInfo.Name) {
				dl, _ := linkDomain(in, d)
				if dl.API == api || dl.API == nil {
					dl.API, dl.Method, dl.why = api, how, why
					if dl.Mapping == nil {
						dl.Routes, dl.Route = nil, nil
					}
					return dl
				}
			}
		}
	}
	hasDefault := api.StageNamed("$default") != nil
	switch {
	case api.Kind == apimodel.HTTP && hasDefault && (len(segs) == 0 || segs[0].Unknown || api.StageNamed(segs[0].Text) == nil):
		// $default stage: no stage segment.
		l.Stage = api.StageNamed("$default")
		l.Resource = segs
	case len(segs) == 0:
		l.StageSeg = -1
	default:
		l.StageSeg = 0
		if !segs[0].Unknown {
			l.Stage = api.StageNamed(segs[0].Text)
		}
		l.Resource = segs[1:]
	}
	l.Routes = PathRoutes(api, l.Resource, in.url.PathUnknownTail)
	l.Route = MethodRoute(l.Routes, in.method)
	return l
}

// LinkCounts counts requests by how they link to an API: a request counts
// as linked when it links in at least one environment it was evaluated in.
type LinkCounts struct {
	// Linked requests were checked against an API of the workspace.
	Linked int `json:"linked"`
	// Unlinked requests name a host or URL no API of the workspace serves
	// (or one not known statically); only standalone rules ran on them.
	Unlinked int `json:"unlinked"`
	// Local requests call a local emulator (sam local, localhost): never
	// linked, and not counted in Unlinked.
	Local int `json:"local"`
}

// Add adds o to c.
func (c *LinkCounts) Add(o LinkCounts) {
	c.Linked += o.Linked
	c.Unlinked += o.Unlinked
	c.Local += o.Local
}

// Count counts one request by its link outcome.
func (c *LinkCounts) Count(l State) {
	switch l {
	case StateLinked:
		c.Linked++
	case StateLocal:
		c.Local++
	case StateNone, StateUnset:
		c.Unlinked++
	}
}

// State is a request's link outcome over its environments.
type State int8

const (
	StateUnset  State = iota - 1 // no environment evaluated yet
	StateNone                    // linked in no environment
	StateLocal                   // a local host in every environment
	StateLinked                  // linked in some environment
)

// With folds the outcome of one environment into l.
func (l State) With(rc *RequestContext) State {
	switch {
	case rc.Link != nil:
		return StateLinked
	case l == StateLinked:
		return l
	case rc.URL != nil && rc.URL.HostInfo.Kind == HostLocal && (l == StateUnset || l == StateLocal):
		return StateLocal
	}
	return StateNone
}
