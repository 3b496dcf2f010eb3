// Package apimodel is the one normalized model of the API Gateway APIs a
// workspace defines, whatever they were written in: SAM implicit APIs
// (function Events), AWS::Serverless::Api / HttpApi, raw AWS::ApiGateway* and
// AWS::ApiGatewayV2* resources, and OpenAPI documents.
//
// Every fact carries a Loc, a back-pointer to the bytes it came from, so that
// a diagnostic can point at the `ApiKeyRequired: true` line that caused it.
// The model knows formats, nothing about 403s.
package apimodel

import (
	"github.com/gw403/gw403-lsp/schemas/source"
)

// Loc points at the source of a fact: a file and a byte span in it.
type Loc struct {
	Path string
	Span source.Span
}

// IsZero reports whether the Loc points nowhere.
func (l Loc) IsZero() bool { return l.Path == "" }

// Value is a string fact that may not be statically known (an unresolvable
// intrinsic, a parameter without default).
type Value struct {
	// S is the resolved value when Known. When !Known it is a display form
	// with ${…} placeholders for the unknown parts
	// ("arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${MyApi}/prod/*"),
	// or "" when nothing is known: compare it only when Known.
	S     string
	Known bool
	Loc   Loc
}

// Known returns a known Value.
func Known(s string, loc Loc) Value { return Value{S: s, Known: true, Loc: loc} }

// Kind is the flavour of API.
type Kind string

const (
	REST Kind = "REST" // API Gateway v1 REST API
	HTTP Kind = "HTTP" // API Gateway v2 HTTP API
)

// EndpointType of a REST API or a domain.
type EndpointType string

const (
	Edge     EndpointType = "EDGE"
	Regional EndpointType = "REGIONAL"
	Private  EndpointType = "PRIVATE"
)

// Origin says how an API was declared.
type Origin string

const (
	SAMImplicit Origin = "sam-implicit" // ServerlessRestApi / ServerlessHttpApi from function Events
	SAMApi      Origin = "sam"          // AWS::Serverless::Api / AWS::Serverless::HttpApi
	CFN         Origin = "cloudformation"
	OpenAPI     Origin = "openapi" // a standalone OpenAPI document
)

// Model is everything the workspace's templates and OpenAPI documents say.
type Model struct {
	APIs       []*API
	Domains    []*Domain
	UsagePlans []*UsagePlan
	APIKeys    []*APIKey
	WebACLs    []*WebACL
}

// API is one REST or HTTP API.
type API struct {
	// Name identifies the API to people: the logical id for templates, the
	// info.title (or file name) for standalone OpenAPI documents.
	Name      string
	LogicalID string // CloudFormation logical id; "" for standalone OpenAPI
	Kind      Kind
	Origin    Origin
	File      string // the template or OpenAPI document that defines it
	Loc       Loc    // the logical id key, or the OpenAPI document's root

	// IDs are deployed API ids known from the files (OpenAPI servers/host of
	// an API Gateway export, .gw403.yaml). Region is "" when unknown.
	IDs    []string
	Region string

	EndpointType    EndpointType // "" means the default: EDGE for REST (REGIONAL for SAM HttpApi)
	EndpointLoc     Loc
	VpcEndpointIDs  []Value
	DisableExecute  bool // DisableExecuteApiEndpoint
	DisableLoc      Loc
	APIKeySource    string // "HEADER" (default) or "AUTHORIZER"
	APIKeySourceLoc Loc

	Stages      []*Stage
	StagesKnown bool // false when some stage name could not be resolved
	Routes      []*Route
	// RoutesKnown is false when routes may be missing from the model
	// (definition on S3, unresolvable path parts, an unparsable body):
	// rules that say "no such path" must then stay quiet.
	RoutesKnown bool
	Authorizers []*Authorizer
	Policy      *Policy // resource policy; nil when none is attached
	Deployments []*Deployment

	// Definition is the OpenAPI document (inline DefinitionBody/Body, a
	// local DefinitionUri, or the standalone document), when there is one.
	DefinitionFile string
	DefinitionLoc  Loc

	// SAM holds what the SAM Auth section said, for fixes that edit it.
	SAM *SAMAuth

	// CORS is the API-level CORS setting; nil when there is none.
	CORS *CORS

	// Exported reports an API whose id the template exports (an Output
	// with Export): other stacks may add methods, stages and mappings the
	// workspace does not show.
	Exported bool

	// GatewayUnconfirmed reports a standalone OpenAPI document with no sign
	// of API Gateway (no x-amazon-apigateway-* extension, no execute-api
	// server or host): it may describe an API served elsewhere, so its
	// security schemes say little about API Gateway keys or authorizers.
	GatewayUnconfirmed bool
}

// StageNamed returns the stage with that exact (case-sensitive) name.
func (a *API) StageNamed(name string) *Stage {
	for _, s := range a.Stages {
		if s.Name == name {
			return s
		}
	}
	return nil
}

// SAMAuth records the SAM `Auth` facts of an AWS::Serverless::Api (or of the
// implicit API, through Globals).
type SAMAuth struct {
	AuthLoc            Loc    // the Auth mapping ("" when absent)
	ApiKeyRequired     bool   // Auth.ApiKeyRequired
	ApiKeyRequiredLoc  Loc    //
	UsagePlanLoc       Loc    // Auth.UsagePlan mapping
	CreateUsagePlan    string // PER_API | SHARED | NONE | "" (absent)
	CreateUsagePlanLoc Loc
	DefaultAuthorizer  string
	DefaultAuthLoc     Loc
	// PropsLoc is the API's Properties mapping (or the Globals.Api mapping
	// for the implicit API), where a fix may insert Auth.
	PropsLoc Loc
}

// CORS is an API-level CORS setting (SAM `Cors` / `CorsConfiguration`,
// Serverless `cors: true`) with which API Gateway answers CORS preflight
// requests itself. REST APIs get an OPTIONS method (a mock integration) on
// every path that has none (Route.CORS); HTTP APIs answer preflight before
// any route or authorizer runs.
type CORS struct {
	Loc Loc // the setting (the `Cors` key)
	// Preflight is the authorization of the generated OPTIONS methods
	// (REST APIs). SAM gives them the API's default authorizer and API key
	// requirement unless AddDefaultAuthorizerToCorsPreflight /
	// AddApiKeyRequiredToCorsPreflight is false: Preflight.Loc and
	// Preflight.APIKeyLoc then point at the DefaultAuthorizer /
	// ApiKeyRequired values. Type is AuthUnknown when the default names an
	// authorizer the workspace does not define.
	Preflight Auth
	// Unknown reports that a setting deciding Preflight is not static (a
	// flag or the default authorizer given by an intrinsic).
	Unknown bool
}

// Stage is a deployed stage. HTTP APIs' "$default" stage has no URL segment.
type Stage struct {
	Name     string
	Loc      Loc
	Implicit bool // created by SAM without being named (the "Stage" stage)
	// Deployed is false for a Stage that exists in the model only because a
	// resource names it (e.g. a usage plan), not because it is created.
	Deployed bool
	// Params names the template parameters whose Default gave the name
	// (StageName: !Ref Stage): a deployment may override them, so a
	// request to another stage is not certainly wrong.
	Params []string
}

// IsDefault reports whether the stage is an HTTP API's $default stage.
func (s *Stage) IsDefault() bool { return s.Name == "$default" }

// AuthType is a method's authorization type.
type AuthType string

const (
	AuthNone    AuthType = "NONE"
	AuthIAM     AuthType = "AWS_IAM"
	AuthCognito AuthType = "COGNITO_USER_POOLS"
	AuthJWT     AuthType = "JWT"
	AuthToken   AuthType = "TOKEN"   // Lambda TOKEN authorizer
	AuthRequest AuthType = "REQUEST" // Lambda REQUEST authorizer
	AuthUnknown AuthType = ""        // could not be determined
)

// Route is a method on a resource path.
type Route struct {
	Method string // upper case; "ANY" for any method
	// Path is the resource path template: "/", "/orders/{id}",
	// "/files/{proxy+}". HTTP APIs' "$default" route is Path "$default".
	Path string
	// CORS reports an OPTIONS route that the API's CORS setting generated
	// (API.CORS); Loc then points at that setting.
	CORS bool
	// Mock reports a route whose integration is a mock (API Gateway
	// answers it without a backend), when the source says so.
	Mock     bool
	Loc      Loc
	Auth     Auth
	Function string // integration target's logical id, when known
}

// Auth is a route's effective authorization.
type Auth struct {
	Type           AuthType
	Loc            Loc // where the type was decided (a default authorizer, a method property)
	Authorizer     *Authorizer
	APIKeyRequired bool
	APIKeyLoc      Loc
}

// Authorizer is a named authorizer of an API.
type Authorizer struct {
	Name string
	Loc  Loc
	Type AuthType // AuthToken, AuthRequest, AuthCognito, AuthJWT, AuthIAM
	// Identity are the identity sources a request must carry. Empty means
	// the API Gateway default for the type (the Authorization header for
	// TOKEN and Cognito authorizers).
	Identity    []IdentitySource
	IdentityLoc Loc
}

// IdentitySource is one place an authorizer reads the caller's identity.
type IdentitySource struct {
	In   string // "header", "query", "context", "stageVariables"
	Name string // header name as sent ("Authorization"), query parameter, …
}

// Policy is a resource policy attached to an API.
type Policy struct {
	Loc        Loc
	Statements []*Statement
	Known      bool // false when the document could not be read statically
}

// Statement is one statement of a policy.
type Statement struct {
	Loc          Loc
	Effect       string // "Allow", "Deny" or "" (missing)
	EffectLoc    Loc
	Principal    string // "*" for anyone; "" when missing; "complex" otherwise
	PrincipalAWS []string
	Actions      []string
	NotAction    bool
	Resources    []Value
	NotResource  bool
	Conditions   []Condition
}

// Condition is one condition key test of a statement.
type Condition struct {
	Operator string // StringEquals, StringNotEquals, DateLessThan, …
	Key      string // aws:SourceVpce, aws:CurrentTime, …
	Values   []Value
	Loc      Loc
}

// Deployment is an AWS::ApiGateway::Deployment.
type Deployment struct {
	LogicalID    string
	Loc          Loc
	DependsOn    []string
	DependsOnLoc Loc // the DependsOn node; zero when absent
	StageName    string
}

// Domain is a custom domain name.
type Domain struct {
	Name         Value
	LogicalID    string // "" for a SAM Domain (it names the Api)
	Kind         Kind   // REST (AWS::ApiGateway::DomainName, SAM Api Domain) or HTTP (V2)
	File         string
	Loc          Loc
	EndpointType EndpointType
	MTLS         bool // MutualTlsAuthentication with a truststore
	MTLSLoc      Loc
	Mappings     []*Mapping
	// External reports a domain the workspace does not declare, known only
	// through a mapping to its literal name: it may have more mappings
	// than the model shows.
	External bool
	// RoutingRules reports AWS::ApiGatewayV2::RoutingRule resources on the
	// domain: they route by header and base path, ahead of (or instead of)
	// the mappings. Their base paths are in Mappings (FromRule set), but
	// which API serves a request may depend on headers.
	RoutingRules bool
}

// Mapping is a base path mapping (REST) or API mapping (HTTP).
type Mapping struct {
	// BasePath is "" for the empty "(none)" mapping; otherwise without
	// leading slash ("v1", "orders/v2").
	BasePath string
	Known    bool // false when the base path could not be resolved
	API      *API // nil when the mapped API is not in the workspace
	// Stage is the mapped stage; "" when the mapping names none (REST: the
	// URL then carries the stage after the base path) or when StageUnknown.
	Stage        string
	StageUnknown bool // the Stage property is there but not static
	Loc          Loc
	// FromRule reports a base path of a routing rule (see
	// Domain.RoutingRules), not of a mapping.
	FromRule bool
}

// UsagePlan is an AWS::ApiGateway::UsagePlan (or a SAM-generated plan).
type UsagePlan struct {
	LogicalID string
	Loc       Loc
	Stages    []*UsagePlanStage
	Keys      []*APIKey
	Generated bool // created by SAM Auth.UsagePlan
}

// UsagePlanStage is one ApiStages entry.
type UsagePlanStage struct {
	API   *API // nil when not in the workspace
	Stage Value
	Loc   Loc
}

// APIKey is an AWS::ApiGateway::ApiKey (or a key SAM creates with a usage
// plan).
type APIKey struct {
	LogicalID string
	Loc       Loc
	Plans     []*UsagePlan
	Generated bool // created by SAM Auth.UsagePlan (always in its plan)
}

// WebACL is an AWS::WAFv2::WebACL associated with API stages.
type WebACL struct {
	LogicalID     string
	Loc           Loc
	DefaultAction string // "Allow" or "Block"
	DefaultLoc    Loc
	HasAllowRule  bool
	Associations  []*WebACLAssociation
}

// WebACLAssociation ties a WebACL to an API stage.
type WebACLAssociation struct {
	LogicalID string
	Loc       Loc
	API       *API
	Stage     string
}
