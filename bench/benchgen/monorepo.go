package benchgen

import (
	"fmt"
	"strings"
)

// A samples monorepo, shaped like the public AWS sample collections: one
// folder per sample, most of them a SAM or CloudFormation template beside
// the code, event payloads, package.json, buildspec and docker-compose
// files, and a vendored SDK whose data is tens of megabytes of JSON that
// is neither template nor OpenAPI document.

// Default size of Monorepo.
const (
	MonorepoSamples  = 1000
	MonorepoVendorMB = 90
)

// MonorepoOptions shape a generated samples monorepo.
type MonorepoOptions struct {
	// Samples is the number of sample folders under samples/.
	Samples int
	// VendorMB is the size of the vendored non-template JSON, in MB: the
	// SDK data under vendor/botocore/data/ and a few sample-local data
	// sets.
	VendorMB int
}

// MonorepoHTTPSamples are the samples that have a request file,
// tests/api.http (with an http-client.env.json beside it).
var MonorepoHTTPSamples = []int{1, 401, 801}

// Sample kinds, by sample number modulo 50: 29 in 50 (580 of 1,000) hold
// a template.
const (
	sampleSAMRest    = iota // SAM REST API with Api events and an authorizer: 0–7
	sampleSAMHTTP           // SAM HTTP API: 8–10
	sampleCFNRest           // CloudFormation RestApi, Resource, Method: 11–15
	sampleSAMOpenAPI        // SAM Api with DefinitionUri: openapi.yaml: 16–18
	sampleSAMEvents         // SAM without an API (SQS, S3, EventBridge): 19–24
	sampleCFNInfra          // CloudFormation without an API (VPC, buckets): 25–28
	sampleNoTemplate        // CDK, scripts, containers: 29–49
)

// SampleKind returns the kind of sample i.
func sampleKind(i int) int {
	switch k := i % 50; {
	case k < 8:
		return sampleSAMRest
	case k < 11:
		return sampleSAMHTTP
	case k < 16:
		return sampleCFNRest
	case k < 19:
		return sampleSAMOpenAPI
	case k < 25:
		return sampleSAMEvents
	case k < 29:
		return sampleCFNInfra
	}
	return sampleNoTemplate
}

// SampleName returns the folder name of sample i.
func SampleName(i int) string {
	topics := []string{"apigw-lambda", "apigw-dynamodb", "sqs-lambda", "s3-lambda", "eventbridge-sfn",
		"apigw-cognito", "apigw-sqs", "lambda-layer", "ecs-fargate", "bedrock-agent"}
	return fmt.Sprintf("%s-%04d", topics[i%len(topics)], i)
}

// MonorepoTemplatePath returns the path of sample i's template relative
// to the monorepo root, or "" for a sample without one.
func MonorepoTemplatePath(i int) string {
	dir := "samples/" + SampleName(i) + "/"
	switch sampleKind(i) {
	case sampleNoTemplate:
		return ""
	case sampleCFNRest:
		if i%2 == 0 {
			return dir + "template.json"
		}
		return dir + "cloudformation/api.yaml"
	case sampleCFNInfra:
		return dir + "infra.yaml"
	}
	if i%7 == 3 {
		return dir + "template.yml"
	}
	return dir + "template.yaml"
}

// Monorepo returns a samples monorepo (about 5,000 YAML/JSON files, 580
// templates and 90 MB of vendored JSON at the default size).
func Monorepo(o MonorepoOptions) Files {
	if o.Samples <= 0 {
		o.Samples = MonorepoSamples
	}
	if o.VendorMB <= 0 {
		o.VendorMB = MonorepoVendorMB
	}
	fs := Files{RootMarker: markerText}
	fs["README.md"] = "# Samples\n\nOne folder per sample under samples/.\n"
	fs[".github/workflows/ci.yml"] = "name: ci\non: [push]\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: make lint\n"
	fs[".github/dependabot.yml"] = "version: 2\nupdates:\n  - package-ecosystem: npm\n    directory: /\n    schedule: {interval: weekly}\n"
	fs["package.json"] = "{\n  \"name\": \"samples\",\n  \"private\": true,\n  \"workspaces\": [\"samples/*\"]\n}\n"
	for i := 0; i < o.Samples; i++ {
		addSample(fs, i)
	}
	for _, i := range MonorepoHTTPSamples {
		if i < o.Samples {
			dir := "samples/" + SampleName(i) + "/tests/"
			fs[dir+"api.http"] = SampleRequests(i)
			fs[dir+"http-client.env.json"] = fmt.Sprintf("{\n  \"dev\": {\"baseUrl\": \"https://%s.execute-api.%s.amazonaws.com/dev\", \"apiKey\": \"dev-key\"}\n}\n", APIID(i), Region)
		}
	}
	addVendor(fs, o.VendorMB, o.Samples)
	return fs
}

// addSample adds the files of sample i.
func addSample(fs Files, i int) {
	name := SampleName(i)
	dir := "samples/" + name + "/"
	kind := sampleKind(i)
	fs[dir+"README.md"] = fmt.Sprintf("# %s\n\nDeploy with `sam deploy --guided`; test with the payloads under events/.\n", name)
	if tp := MonorepoTemplatePath(i); tp != "" {
		fs[tp] = SampleTemplate(i)
	}
	if kind == sampleSAMOpenAPI {
		fs[dir+"api/openapi.yaml"] = sampleOpenAPI(i)
	}
	switch kind {
	case sampleSAMRest, sampleSAMHTTP, sampleSAMOpenAPI, sampleSAMEvents:
		fs[dir+"samconfig.toml"] = fmt.Sprintf("version = 0.1\n[default.deploy.parameters]\nstack_name = \"%s\"\nregion = \"%s\"\ncapabilities = \"CAPABILITY_IAM\"\n", name, Region)
		fs[dir+"src/app.py"] = "import json\n\n\ndef handler(event, context):\n    return {\"statusCode\": 200, \"body\": json.dumps({\"ok\": True})}\n"
		fs[dir+"src/requirements.txt"] = "boto3==1.34.0\n"
		fs[dir+"events/event.json"] = sampleEvent(i, 0)
		if i%3 == 0 {
			fs[dir+"events/event-post.json"] = sampleEvent(i, 1)
		}
		if i%2 == 1 {
			fs[dir+"tests/fixtures/payload.json"] = fmt.Sprintf("{\n  \"id\": \"%d\",\n  \"name\": \"fixture\",\n  \"items\": [1, 2, 3]\n}\n", i)
		}
		if i%4 == 0 {
			fs[dir+"env.json"] = fmt.Sprintf("{\n  \"Function\": {\"TABLE_NAME\": \"%s-table\"}\n}\n", name)
		}
	case sampleNoTemplate:
		fs[dir+"package.json"] = fmt.Sprintf("{\n  \"name\": \"%s\",\n  \"version\": \"1.0.0\",\n  \"scripts\": {\"build\": \"tsc\", \"test\": \"jest\"},\n  \"devDependencies\": {\"aws-cdk-lib\": \"2.150.0\", \"typescript\": \"~5.4.0\", \"jest\": \"^29.7.0\"}\n}\n", name)
		fs[dir+"tsconfig.json"] = "{\n  \"compilerOptions\": {\"target\": \"ES2022\", \"module\": \"commonjs\", \"strict\": true, \"outDir\": \"dist\"}\n}\n"
		fs[dir+"lib/stack.ts"] = "import * as cdk from 'aws-cdk-lib';\n\nexport class SampleStack extends cdk.Stack {}\n"
		fs[dir+"config/settings.json"] = fmt.Sprintf("{\n  \"sample\": \"%s\",\n  \"retries\": %d,\n  \"regions\": [\"us-east-1\", \"%s\"]\n}\n", name, i%5, Region)
		if i%2 == 0 {
			fs[dir+".eslintrc.json"] = "{\n  \"root\": true,\n  \"extends\": [\"eslint:recommended\"]\n}\n"
		}
		if i%3 == 0 {
			fs[dir+"k8s/deployment.yaml"] = fmt.Sprintf("apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: %s\nspec:\n  replicas: 2\n  template:\n    spec:\n      containers:\n        - name: app\n          image: %s:latest\n", name, name)
		}
		if i%5 == 1 {
			fs[dir+"statemachine/workflow.asl.json"] = fmt.Sprintf("{\n  \"Comment\": \"%s\",\n  \"StartAt\": \"Process\",\n  \"States\": {\"Process\": {\"Type\": \"Task\", \"Resource\": \"arn:aws:states:::lambda:invoke\", \"End\": true}}\n}\n", name)
		}
	default:
		fs[dir+"package.json"] = fmt.Sprintf("{\n  \"name\": \"%s\",\n  \"version\": \"1.0.0\",\n  \"dependencies\": {\"@aws-sdk/client-dynamodb\": \"^3.600.0\"}\n}\n", name)
		fs[dir+"src/index.mjs"] = "export const handler = async () => ({ statusCode: 200, body: '{}' });\n"
		fs[dir+"events/event.json"] = sampleEvent(i, 2)
	}
	if i%5 == 0 {
		fs[dir+"buildspec.yml"] = "version: 0.2\nphases:\n  install:\n    runtime-versions: {python: 3.12}\n  build:\n    commands:\n      - sam build\n      - sam package --output-template-file packaged.yaml --s3-bucket $BUCKET\nartifacts:\n  files: [packaged.yaml]\n"
	}
	if i%8 == 2 {
		fs[dir+"docker-compose.yml"] = fmt.Sprintf("services:\n  dynamodb:\n    image: amazon/dynamodb-local\n    ports: [\"8000:8000\"]\n  app:\n    build: .\n    environment:\n      TABLE_NAME: %s\n", name)
	}
	if i%6 == 1 {
		fs[dir+".vscode/launch.json"] = "{\n  \"version\": \"0.2.0\",\n  \"configurations\": [{\"type\": \"aws-sam\", \"request\": \"direct-invoke\", \"name\": \"invoke\"}]\n}\n"
	}
}

// sampleEvent returns an event payload of sample i: an API Gateway proxy
// event, an SQS batch or an S3 notification.
func sampleEvent(i, v int) string {
	switch (i + v) % 3 {
	case 0:
		return fmt.Sprintf(`{
  "resource": "/items/{id}",
  "path": "/items/%d",
  "httpMethod": "GET",
  "headers": {"Accept": "application/json", "Host": "%s.execute-api.%s.amazonaws.com"},
  "pathParameters": {"id": "%d"},
  "requestContext": {"stage": "dev", "requestId": "c6af9ac6-7b61-11e6-9a41-93e8deadbeef"},
  "body": null,
  "isBase64Encoded": false
}
`, i, APIID(i), Region, i)
	case 1:
		return fmt.Sprintf(`{
  "Records": [
    {"messageId": "%d", "body": "{\"order\": %d}", "eventSource": "aws:sqs", "awsRegion": "%s"}
  ]
}
`, i, i, Region)
	}
	return fmt.Sprintf(`{
  "Records": [
    {"eventSource": "aws:s3", "s3": {"bucket": {"name": "sample-%d"}, "object": {"key": "uploads/%d.json"}}}
  ]
}
`, i, i)
}

// SampleTemplate returns the template of sample i ("" for a sample
// without one).
func SampleTemplate(i int) string {
	name := SampleName(i)
	var b strings.Builder
	switch sampleKind(i) {
	case sampleSAMRest:
		samHeader(&b, name)
		b.WriteString("  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: !Ref Stage\n      TracingEnabled: true\n")
		switch i % 4 {
		case 0:
			b.WriteString("      Auth:\n        DefaultAuthorizer: CognitoAuth\n        Authorizers:\n          CognitoAuth:\n            UserPoolArn: !GetAtt UserPool.Arn\n")
		case 1:
			b.WriteString("      Auth:\n        ApiKeyRequired: true\n        UsagePlan:\n          CreateUsagePlan: PER_API\n")
		case 2:
			b.WriteString("      Auth:\n        DefaultAuthorizer: TokenAuth\n        Authorizers:\n          TokenAuth:\n            FunctionArn: !GetAtt AuthFunction.Arn\n")
		default:
			b.WriteString("      Auth:\n        DefaultAuthorizer: AWS_IAM\n")
		}
		for k, res := range resources[:3+i%3] {
			fmt.Fprintf(&b, "  %sFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.%s\n      Policies:\n        - DynamoDBCrudPolicy:\n            TableName: !Ref Table\n      Environment:\n        Variables:\n          TABLE_NAME: !Ref Table\n      Events:\n", title(res), res)
			fmt.Fprintf(&b, "        List:\n          Type: Api\n          Properties:\n            RestApiId: !Ref Api\n            Path: /%s\n            Method: get\n", res)
			fmt.Fprintf(&b, "        Item:\n          Type: Api\n          Properties:\n            RestApiId: !Ref Api\n            Path: /%s/{id}\n            Method: %s\n", res, []string{"get", "put", "post", "delete", "patch"}[k])
			if k == 0 && i%4 != 3 {
				b.WriteString("            Auth:\n              Authorizer: NONE\n")
			}
		}
		if i%4 == 0 {
			b.WriteString("  UserPool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      UsernameAttributes: [email]\n      AutoVerifiedAttributes: [email]\n")
		}
		if i%4 == 2 {
			b.WriteString("  AuthFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: auth.handler\n")
		}
		samTable(&b)
		b.WriteString("Outputs:\n  ApiUrl:\n    Value: !Sub \"https://${Api}.execute-api.${AWS::Region}.amazonaws.com/${Stage}/\"\n")
	case sampleSAMHTTP:
		samHeader(&b, name)
		b.WriteString("  HttpApi:\n    Type: AWS::Serverless::HttpApi\n    Properties:\n      CorsConfiguration:\n        AllowOrigins: ['*']\n        AllowMethods: [GET, POST]\n")
		if i%2 == 0 {
			fmt.Fprintf(&b, "      Auth:\n        DefaultAuthorizer: Jwt\n        Authorizers:\n          Jwt:\n            IdentitySource: $request.header.Authorization\n            JwtConfiguration:\n              issuer: https://cognito-idp.%s.amazonaws.com/pool\n              audience: [client]\n", Region)
		}
		for _, res := range resources[:2+i%3] {
			fmt.Fprintf(&b, "  %sFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.%s\n      Events:\n        Get:\n          Type: HttpApi\n          Properties:\n            ApiId: !Ref HttpApi\n            Path: /%s/{id}\n            Method: GET\n", title(res), res, res)
		}
		samTable(&b)
	case sampleCFNRest:
		if i%2 == 0 {
			return cfnRestJSON(i)
		}
		cfnRestYAML(&b, i)
	case sampleSAMOpenAPI:
		samHeader(&b, name)
		b.WriteString("  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: !Ref Stage\n      DefinitionUri: api/openapi.yaml\n")
		b.WriteString("  ItemsFunction:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.items\n      Events:\n        Any:\n          Type: Api\n          Properties:\n            RestApiId: !Ref Api\n            Path: /items\n            Method: any\n")
		samTable(&b)
	case sampleSAMEvents:
		samHeader(&b, name)
		switch i % 3 {
		case 0:
			b.WriteString("  Queue:\n    Type: AWS::SQS::Queue\n    Properties:\n      VisibilityTimeout: 60\n  Consumer:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Events:\n        Sqs:\n          Type: SQS\n          Properties:\n            Queue: !GetAtt Queue.Arn\n            BatchSize: 10\n")
		case 1:
			b.WriteString("  Bucket:\n    Type: AWS::S3::Bucket\n  Processor:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Policies:\n        - S3ReadPolicy:\n            BucketName: !Sub \"${AWS::StackName}-uploads\"\n      Events:\n        Upload:\n          Type: S3\n          Properties:\n            Bucket: !Ref Bucket\n            Events: s3:ObjectCreated:*\n")
		default:
			b.WriteString("  Rule:\n    Type: AWS::Serverless::Function\n    Properties:\n      Handler: app.handler\n      Events:\n        Schedule:\n          Type: Schedule\n          Properties:\n            Schedule: rate(5 minutes)\n        Bus:\n          Type: EventBridgeRule\n          Properties:\n            Pattern:\n              source: [com.example.orders]\n")
		}
		samTable(&b)
	case sampleCFNInfra:
		fmt.Fprintf(&b, "AWSTemplateFormatVersion: '2010-09-09'\nDescription: %s network and storage\nParameters:\n  CidrBlock:\n    Type: String\n    Default: 10.%d.0.0/16\nResources:\n", name, i%250)
		b.WriteString("  Vpc:\n    Type: AWS::EC2::VPC\n    Properties:\n      CidrBlock: !Ref CidrBlock\n      EnableDnsHostnames: true\n      Tags:\n        - Key: Name\n          Value: !Sub \"${AWS::StackName}-vpc\"\n")
		for s := 0; s < 2; s++ {
			fmt.Fprintf(&b, "  Subnet%d:\n    Type: AWS::EC2::Subnet\n    Properties:\n      VpcId: !Ref Vpc\n      CidrBlock: !Select [%d, !Cidr [!Ref CidrBlock, 4, 8]]\n      AvailabilityZone: !Select [%d, !GetAZs '']\n", s, s, s)
		}
		b.WriteString("  Logs:\n    Type: AWS::S3::Bucket\n    DeletionPolicy: Retain\n    Properties:\n      BucketEncryption:\n        ServerSideEncryptionConfiguration:\n          - ServerSideEncryptionByDefault: {SSEAlgorithm: AES256}\nOutputs:\n  VpcId:\n    Value: !Ref Vpc\n    Export:\n      Name: !Sub \"${AWS::StackName}-VpcId\"\n")
	default:
		return ""
	}
	return b.String()
}

func title(s string) string { return strings.ToUpper(s[:1]) + s[1:] }

func samHeader(b *strings.Builder, name string) {
	fmt.Fprintf(b, `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Description: >
  %s: sample application (SAM)
Parameters:
  Stage:
    Type: String
    Default: dev
Globals:
  Function:
    Runtime: python3.12
    CodeUri: src/
    Timeout: 15
    MemorySize: 256
    Tracing: Active
    Architectures: [arm64]
Resources:
`, name)
}

func samTable(b *strings.Builder) {
	b.WriteString("  Table:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      BillingMode: PAY_PER_REQUEST\n      AttributeDefinitions:\n        - AttributeName: id\n          AttributeType: S\n      KeySchema:\n        - AttributeName: id\n          KeyType: HASH\n")
}

// cfnRestYAML writes a CloudFormation REST API in YAML: the API, two
// resources with GET and POST methods (Lambda proxy, one with an API
// key), a deployment, a stage and a usage plan.
func cfnRestYAML(b *strings.Builder, i int) {
	fmt.Fprintf(b, "AWSTemplateFormatVersion: '2010-09-09'\nDescription: %s REST API (CloudFormation)\nParameters:\n  FunctionArn:\n    Type: String\nResources:\n", SampleName(i))
	b.WriteString("  RestApi:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Name: !Sub \"${AWS::StackName}-api\"\n      EndpointConfiguration:\n        Types: [REGIONAL]\n")
	var methods []string
	for k, res := range resources[:2+i%2] {
		r := title(res)
		fmt.Fprintf(b, "  %sResource:\n    Type: AWS::ApiGateway::Resource\n    Properties:\n      RestApiId: !Ref RestApi\n      ParentId: !GetAtt RestApi.RootResourceId\n      PathPart: %s\n", r, res)
		for _, verb := range []string{"GET", "POST"} {
			m := r + title(strings.ToLower(verb))
			methods = append(methods, m)
			auth := "NONE"
			key := "false"
			if verb == "POST" && k%2 == 0 {
				key = "true"
			}
			if verb == "POST" && k%2 == 1 {
				auth = "AWS_IAM"
			}
			fmt.Fprintf(b, "  %s:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref RestApi\n      ResourceId: !Ref %sResource\n      HttpMethod: %s\n      AuthorizationType: %s\n      ApiKeyRequired: %s\n      Integration:\n        Type: AWS_PROXY\n        IntegrationHttpMethod: POST\n        Uri: !Sub \"arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${FunctionArn}/invocations\"\n", m, r, verb, auth, key)
		}
	}
	fmt.Fprintf(b, "  Deployment:\n    Type: AWS::ApiGateway::Deployment\n    DependsOn: [%s]\n    Properties:\n      RestApiId: !Ref RestApi\n", strings.Join(methods, ", "))
	b.WriteString("  Stage:\n    Type: AWS::ApiGateway::Stage\n    Properties:\n      RestApiId: !Ref RestApi\n      DeploymentId: !Ref Deployment\n      StageName: prod\n")
	b.WriteString("  UsagePlan:\n    Type: AWS::ApiGateway::UsagePlan\n    Properties:\n      ApiStages:\n        - ApiId: !Ref RestApi\n          Stage: !Ref Stage\n      Throttle: {RateLimit: 10, BurstLimit: 20}\n")
}

// cfnRestJSON is the JSON form of a CloudFormation REST API: the API, one
// resource with a GET method and its deployment and stage.
func cfnRestJSON(i int) string {
	res := resources[i%len(resources)]
	return fmt.Sprintf(`{
  "AWSTemplateFormatVersion": "2010-09-09",
  "Description": "%[1]s REST API (CloudFormation, JSON)",
  "Parameters": {"FunctionArn": {"Type": "String"}},
  "Resources": {
    "RestApi": {
      "Type": "AWS::ApiGateway::RestApi",
      "Properties": {"Name": {"Fn::Sub": "${AWS::StackName}-api"}, "EndpointConfiguration": {"Types": ["REGIONAL"]}}
    },
    "ItemsResource": {
      "Type": "AWS::ApiGateway::Resource",
      "Properties": {"RestApiId": {"Ref": "RestApi"}, "ParentId": {"Fn::GetAtt": ["RestApi", "RootResourceId"]}, "PathPart": "%[2]s"}
    },
    "ItemsGet": {
      "Type": "AWS::ApiGateway::Method",
      "Properties": {
        "RestApiId": {"Ref": "RestApi"},
        "ResourceId": {"Ref": "ItemsResource"},
        "HttpMethod": "GET",
        "AuthorizationType": "NONE",
        "ApiKeyRequired": %[3]t,
        "Integration": {
          "Type": "AWS_PROXY",
          "IntegrationHttpMethod": "POST",
          "Uri": {"Fn::Sub": "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${FunctionArn}/invocations"}
        }
      }
    },
    "Deployment": {
      "Type": "AWS::ApiGateway::Deployment",
      "DependsOn": ["ItemsGet"],
      "Properties": {"RestApiId": {"Ref": "RestApi"}}
    },
    "Stage": {
      "Type": "AWS::ApiGateway::Stage",
      "Properties": {"RestApiId": {"Ref": "RestApi"}, "DeploymentId": {"Ref": "Deployment"}, "StageName": "prod"}
    }
  }
}
`, SampleName(i), res, i%4 == 0)
}

// sampleOpenAPI returns the OpenAPI document of a SAM Api's DefinitionUri.
func sampleOpenAPI(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "openapi: 3.0.1\ninfo:\n  title: %s\n  version: '1.0'\npaths:\n", SampleName(i))
	for _, res := range resources[:2+i%3] {
		for _, p := range []string{"/" + res, "/" + res + "/{id}"} {
			fmt.Fprintf(&b, "  %s:\n    get:\n      security:\n        - api_key: []\n      x-amazon-apigateway-integration:\n        type: aws_proxy\n        httpMethod: POST\n        uri:\n          Fn::Sub: arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${ItemsFunction.Arn}/invocations\n      responses:\n        '200':\n          description: OK\n", p)
		}
	}
	b.WriteString("components:\n  securitySchemes:\n    api_key:\n      type: apiKey\n      name: x-api-key\n      in: header\n")
	return b.String()
}

// SampleRequests returns the request file of sample i: requests to its
// API through {{baseUrl}}, with and without the API key, and one to sam
// local.
func SampleRequests(i int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "# Requests for %s\n", SampleName(i))
	for k, res := range resources[:3] {
		fmt.Fprintf(&b, "\n### list %s\nGET {{baseUrl}}/%s\nAccept: application/json\n", res, res)
		if k != 1 {
			b.WriteString("x-api-key: {{apiKey}}\n")
		}
		fmt.Fprintf(&b, "\n### get one of %s\nGET {{baseUrl}}/%s/%d\n", res, res, 100+k)
	}
	b.WriteString("\n### sam local\nGET http://127.0.0.1:3000/orders\n")
	return b.String()
}

// addVendor adds about mb MB of vendored JSON: most of it botocore's
// service models (vendor/botocore/data/<service>/<date>/service-2.json,
// paginators-1.json), the rest data sets in a few samples' data/
// folders. Nothing in it is a template or an OpenAPI document.
func addVendor(fs Files, mb, samples int) {
	total := mb * 1_000_000
	seeds := total / 6 // sample-local data sets
	const seedSize = 600_000
	for k := 0; k*seedSize < seeds; k++ {
		fs[fmt.Sprintf("samples/%s/data/seed-%02d.json", SampleName((29+50*k)%samples), k)] = seedData(k, seedSize)
	}
	const svcSize = 250_000
	for s := 0; s*svcSize < total-seeds; s++ {
		svc := fmt.Sprintf("service%03d", s)
		dir := fmt.Sprintf("vendor/botocore/data/%s/20%02d-%02d-%02d/", svc, 10+s%15, 1+s%12, 1+s%28)
		fs[dir+"service-2.json"] = serviceModel(s, svcSize)
		fs[dir+"endpoint-rule-set-1.json"] = fmt.Sprintf("{\n  \"version\": \"1.0\",\n  \"parameters\": {\"Region\": {\"builtIn\": \"AWS::Region\", \"type\": \"String\"}},\n  \"rules\": [{\"conditions\": [], \"endpoint\": {\"url\": \"https://%s.{Region}.amazonaws.com\"}, \"type\": \"endpoint\"}]\n}\n", svc)
		fs[dir+"paginators-1.json"] = fmt.Sprintf("{\n  \"pagination\": {\n    \"List%sItems\": {\"input_token\": \"NextToken\", \"output_token\": \"NextToken\", \"limit_key\": \"MaxResults\", \"result_key\": \"Items\"}\n  }\n}\n", title(svc))
	}
}

// serviceModel returns a botocore-like service model of about size bytes:
// metadata, operations and shapes.
func serviceModel(s, size int) string {
	var b strings.Builder
	b.Grow(size + 4096)
	fmt.Fprintf(&b, "{\n  \"version\":\"2.0\",\n  \"metadata\":{\n    \"apiVersion\":\"2015-07-09\",\n    \"endpointPrefix\":\"service%03d\",\n    \"protocol\":\"rest-json\",\n    \"serviceFullName\":\"Service %d\",\n    \"signatureVersion\":\"v4\"\n  },\n  \"operations\":{\n", s, s)
	n := 0
	for op := 0; b.Len() < size/2; op++ {
		if op > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "    \"Operation%d\":{\n      \"name\":\"Operation%d\",\n      \"http\":{\n        \"method\":\"%s\",\n        \"requestUri\":\"/v1/resources%d/{id}\"\n      },\n      \"input\":{\"shape\":\"Operation%dRequest\"},\n      \"output\":{\"shape\":\"Operation%dResponse\"},\n      \"errors\":[\n        {\"shape\":\"BadRequestException\"},\n        {\"shape\":\"NotFoundException\"}\n      ],\n      \"documentation\":\"<p>Performs operation %d on the resource. Resources: { } [ ] \\\"quoted\\\".</p>\"\n    }", op, op, []string{"GET", "POST", "PUT", "DELETE"}[op%4], op, op, op, op)
		n = op + 1
	}
	b.WriteString("\n  },\n  \"shapes\":{\n")
	for sh := 0; b.Len() < size; sh++ {
		if sh > 0 {
			b.WriteString(",\n")
		}
		op := sh % max(n, 1)
		fmt.Fprintf(&b, "    \"Operation%dRequest%d\":{\n      \"type\":\"structure\",\n      \"required\":[\"id\"],\n      \"members\":{\n        \"id\":{\"shape\":\"__string\",\"location\":\"uri\",\"locationName\":\"id\"},\n        \"MaxResults\":{\"shape\":\"__integer\",\"location\":\"querystring\",\"locationName\":\"maxResults\"},\n        \"Tags\":{\"shape\":\"MapOf__string\",\"documentation\":\"<p>Tags: AWS::Serverless and Resources are words here.</p>\"}\n      }\n    }", op, sh)
	}
	b.WriteString("\n  }\n}\n")
	return b.String()
}

// seedData returns a data set of about size bytes: a DynamoDB
// batch-write-item request, as samples load into their tables.
func seedData(k, size int) string {
	var b strings.Builder
	b.Grow(size + 256)
	fmt.Fprintf(&b, "{\n  \"Items%02d\": [\n", k)
	for r := 0; b.Len() < size; r++ {
		if r > 0 {
			b.WriteString(",\n")
		}
		fmt.Fprintf(&b, "    {\"PutRequest\": {\"Item\": {\"id\": {\"S\": \"%d-%d\"}, \"title\": {\"S\": \"Item %d\"}, \"year\": {\"N\": \"%d\"}, \"info\": {\"M\": {\"rating\": {\"N\": \"%d.%d\"}}}}}}", k, r, r, 1950+r%70, r%10, r%7)
	}
	b.WriteString("\n  ]\n}\n")
	return b.String()
}
