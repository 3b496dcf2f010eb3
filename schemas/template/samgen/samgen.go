// Package samgen generates large, deterministic SAM templates (many
// functions with Api events, an explicit API with authorizers and a usage
// plan) for benchmarks and load tests.
package samgen

import (
	"fmt"
	"strings"
)

// Options shape a generated template.
type Options struct {
	// Functions is the number of AWS::Serverless::Function resources.
	Functions int
	// Events is the total number of Api events, spread over the functions
	// (at least one each, at most two).
	Events int
}

// Defaults: 300 functions with 560 Api events.
const (
	DefaultFunctions = 300
	DefaultEvents    = 560
)

var resources = []string{"orders", "users", "items", "carts", "invoices", "shipments"}

// Template returns the template in YAML. The same options always give the
// same bytes.
func Template(o Options) []byte {
	if o.Functions <= 0 {
		o.Functions = DefaultFunctions
	}
	if o.Events <= 0 {
		o.Events = DefaultEvents
	}
	if o.Events < o.Functions {
		o.Events = o.Functions
	}
	if o.Events > 2*o.Functions {
		o.Events = 2 * o.Functions
	}
	twoEvents := o.Events - o.Functions // functions [0, twoEvents) get two events
	var b strings.Builder
	b.Grow(o.Functions * 900)
	b.WriteString(`AWSTemplateFormatVersion: "2010-09-09"
Transform: AWS::Serverless-2016-10-31
Description: 生成されたテンプレート (generated for benchmarks)
Parameters:
  Stage:
    Type: String
    Default: prod
    AllowedValues: [dev, prod]
Conditions:
  IsProd: !Equals [!Ref Stage, prod]
Globals:
  Function:
    Runtime: python3.12
    Timeout: 10
    MemorySize: 256
  Api:
    OpenApiVersion: "3.0.1"
Resources:
  OrdersApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: !Ref Stage
      EndpointConfiguration: REGIONAL
      Auth:
        ApiKeyRequired: true
        UsagePlan:
          CreateUsagePlan: PER_API
        DefaultAuthorizer: TokenAuth
        Authorizers:
          TokenAuth:
            FunctionArn: !GetAtt AuthorizerFunction.Arn
            Identity:
              Header: Authorization
          TenantAuth:
            FunctionPayloadType: REQUEST
            FunctionArn: !GetAtt AuthorizerFunction.Arn
            Identity:
              Headers: [X-Tenant]
              QueryStrings: [tenant]
  AuthorizerFunction:
    Type: AWS::Serverless::Function
    Properties:
      Handler: auth.handler
      CodeUri: src/auth/
`)
	for i := 0; i < o.Functions; i++ {
		res := resources[i%len(resources)]
		fmt.Fprintf(&b, "  Fn%s%03d:\n    Type: AWS::Serverless::Function\n    Properties:\n", strings.ToUpper(res[:1])+res[1:], i)
		fmt.Fprintf(&b, "      Handler: app.handler_%d\n      CodeUri: src/%s/\n      Description: \"%s の関数 %d\"\n", i, res, res, i)
		b.WriteString("      Environment:\n        Variables:\n          TABLE: !Ref Table\n          STAGE: !Sub \"${Stage}\"\n")
		b.WriteString("      Events:\n")
		n := 1
		if i < twoEvents {
			n = 2
		}
		for e := 0; e < n; e++ {
			method := []string{"get", "post", "put", "delete"}[(i+e)%4]
			path := fmt.Sprintf("/%s/g%d", res, i/len(resources))
			if e == 1 {
				path += "/{id}"
			}
			fmt.Fprintf(&b, "        Ev%d:\n          Type: Api\n          Properties:\n            Path: %s\n            Method: %s\n", e, path, method)
			switch {
			case i%5 == 0:
				// The implicit ServerlessRestApi.
			case i%5 == 1:
				b.WriteString("            RestApiId: !Ref OrdersApi\n            Auth:\n              ApiKeyRequired: false\n              Authorizer: NONE\n")
			case i%5 == 2:
				b.WriteString("            RestApiId: !Ref OrdersApi\n            Auth:\n              Authorizer: TenantAuth\n")
			default:
				b.WriteString("            RestApiId: !Ref OrdersApi\n")
			}
		}
	}
	b.WriteString(`  Table:
    Type: AWS::DynamoDB::Table
    Properties:
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{AttributeName: pk, AttributeType: S}]
      KeySchema: [{AttributeName: pk, KeyType: HASH}]
Outputs:
  ApiUrl:
    Value: !Sub "https://${OrdersApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${Stage}/"
`)
	return []byte(b.String())
}
