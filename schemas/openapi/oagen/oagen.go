// Package oagen generates large, deterministic OpenAPI 3 documents in the
// shape of API Gateway exports (x-amazon-apigateway-* extensions, security
// schemes, Japanese descriptions) for benchmarks and load tests.
package oagen

import (
	"fmt"
	"strings"
)

// Options shape a generated document.
type Options struct {
	// Paths is the number of resource paths (each with 2–4 operations).
	Paths int
	// APIID and Region go into the server URL ("a1b2c3d4e5", "ap-northeast-1"
	// when empty); Stage into its basePath default ("prod").
	APIID, Region, Stage string
}

// DefaultPaths gives a document of about 5 MB.
const DefaultPaths = 2000

var resources = []string{"orders", "users", "items", "carts", "invoices", "shipments", "reviews", "coupons"}

// OpenAPI3YAML returns an OpenAPI 3.0.1 document in YAML. The same options
// always give the same bytes.
func OpenAPI3YAML(o Options) []byte {
	if o.Paths <= 0 {
		o.Paths = DefaultPaths
	}
	if o.APIID == "" {
		o.APIID = "a1b2c3d4e5"
	}
	if o.Region == "" {
		o.Region = "ap-northeast-1"
	}
	if o.Stage == "" {
		o.Stage = "prod"
	}
	var b strings.Builder
	b.Grow(o.Paths * 2700)
	fmt.Fprintf(&b, `openapi: "3.0.1"
info:
  title: "generated-api 生成された API"
  version: "2024-05-01T00:00:00Z"
  description: |
    Generated for benchmarks: %d paths.
    各パスに x-amazon-apigateway-integration があります。
servers:
  - url: "https://%s.execute-api.%s.amazonaws.com/{basePath}"
    variables:
      basePath:
        default: "/%s"
    x-amazon-apigateway-endpoint-configuration:
      disableExecuteApiEndpoint: false
x-amazon-apigateway-api-key-source: HEADER
security:
  - api_key: []
paths:
`, o.Paths, o.APIID, o.Region, o.Stage)
	for i := 0; i < o.Paths; i++ {
		res := resources[i%len(resources)]
		group := i / len(resources)
		path := fmt.Sprintf("/v%d/%s/g%d", 1+i%3, res, group)
		if i%4 == 1 {
			path += "/{id}"
		}
		if i%50 == 7 {
			path = fmt.Sprintf("/proxy%d/{proxy+}", i)
		}
		fmt.Fprintf(&b, "  %s:\n", path)
		if strings.Contains(path, "{id}") {
			b.WriteString("    parameters:\n      - name: id\n        in: path\n        required: true\n        schema: {type: string}\n")
		}
		writeOp(&b, "get", res, i, o.Region, []string{"api_key"})
		writeOp(&b, "post", res, i, o.Region, []string{"sigv4"})
		if i%3 == 0 {
			writeOp(&b, "delete", res, i, o.Region, []string{"token_auth", "api_key"})
		}
		if i%50 == 7 {
			writeOp(&b, "x-amazon-apigateway-any-method", res, i, o.Region, nil)
		} else {
			b.WriteString("    options:\n      summary: CORS\n      security: []\n      responses:\n        \"200\":\n          description: ok\n      x-amazon-apigateway-integration:\n        type: mock\n        requestTemplates:\n          application/json: '{\"statusCode\": 200}'\n")
		}
	}
	fmt.Fprintf(&b, `components:
  securitySchemes:
    api_key:
      type: apiKey
      name: x-api-key
      in: header
    sigv4:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: awsSigv4
    token_auth:
      type: apiKey
      name: Authorization
      in: header
      x-amazon-apigateway-authtype: custom
      x-amazon-apigateway-authorizer:
        type: token
        identitySource: method.request.header.Authorization
        authorizerUri: "arn:aws:apigateway:%[1]s:lambda:path/2015-03-31/functions/arn:aws:lambda:%[1]s:123456789012:function:authorizer/invocations"
        authorizerResultTtlInSeconds: 300
  responses:
    Forbidden:
      description: Forbidden
      content:
        application/json:
          schema:
            $ref: '#/components/schemas/Error'
  schemas:
    Error:
      type: object
      properties:
        message: {type: string}
x-amazon-apigateway-policy:
  Version: "2012-10-17"
  Statement:
    - Effect: Allow
      Principal: "*"
      Action: execute-api:Invoke
      Resource: execute-api:/*
`, o.Region)
	return []byte(b.String())
}

func writeOp(b *strings.Builder, method, res string, i int, region string, security []string) {
	fmt.Fprintf(b, "    %s:\n", method)
	fmt.Fprintf(b, "      operationId: %s%s%d\n", method, strings.ToUpper(res[:1])+res[1:], i)
	fmt.Fprintf(b, "      summary: \"%s の操作 #%d 🚀\"\n", res, i)
	fmt.Fprintf(b, "      description: >-\n        Operation %d on %s. 日本語の説明文です。\n        Line two of the folded description.\n", i, res)
	fmt.Fprintf(b, "      tags: [%s, generated]\n", res)
	if security != nil {
		b.WriteString("      security:\n        - ")
		for j, s := range security {
			if j > 0 {
				b.WriteString("          ")
			}
			fmt.Fprintf(b, "%s: []\n", s)
		}
	}
	b.WriteString("      parameters:\n        - name: X-Request-Id\n          in: header\n          required: false\n          schema:\n            type: string\n")
	fmt.Fprintf(b, "      responses:\n        \"200\":\n          description: \"OK %d\"\n          content:\n            application/json:\n              schema:\n                type: object\n                properties:\n                  id: {type: string}\n                  count: {type: integer, format: int32}\n        \"403\":\n          $ref: '#/components/responses/Forbidden'\n", i)
	fmt.Fprintf(b, "      x-amazon-apigateway-integration:\n        type: aws_proxy\n        httpMethod: POST\n        passthroughBehavior: when_no_match\n        uri: \"arn:aws:apigateway:%[1]s:lambda:path/2015-03-31/functions/arn:aws:lambda:%[1]s:123456789012:function:%[2]s-%[3]d/invocations\"\n", region, res, i%300)
}
