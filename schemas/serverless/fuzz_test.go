package serverless_test

import (
	"testing"

	"github.com/gw403/gw403-lsp/schemas/apimodel"
	"github.com/gw403/gw403-lsp/schemas/serverless"
	"github.com/gw403/gw403-lsp/schemas/source"
)

// FuzzLoad: any text is a Service (or problems), never a panic, and the
// model builds from it.
func FuzzLoad(f *testing.F) {
	for _, s := range []string{
		"service: a\nprovider:\n  name: aws\n  stage: ${opt:stage, 'dev'}\nfunctions:\n  f:\n    handler: h\n    events:\n      - http: GET x\n      - httpApi: '*'\n",
		"service: a\nprovider: {name: aws, apiGateway: {apiKeys: [k], resourcePolicy: [{Effect: Allow}]}}\ncustom:\n  customDomains:\n    - rest: {domainName: a.example.com, basePath: v1}\n",
		"service: ${self:service}\nprovider:\n  stage: ${self:provider.stage}\n",
		"service: a\ncustom:\n  x: ${self:custom.${self:custom.x}}\nprovider:\n  name: aws\n  stage: ${self:custom.x}\n",
		"service: a\nprovider:\n  name: aws\nfunctions:\n  f:\n    events:\n      - http:\n          path: x\n          authorizer: {arn: {Fn::GetAtt: [P, Arn]}}\nresources:\n  Resources:\n    P: {Type: AWS::Cognito::UserPool}\n",
		"[1, 2]", "", "service:\n  - a\n", "\t\x00",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		s, _ := serverless.Load(source.NewFile("serverless.yml", text))
		if s == nil {
			t.Fatal("nil service")
		}
		apimodel.Build(nil, nil, apimodel.Options{Serverless: []*serverless.Service{s}})
	})
}
