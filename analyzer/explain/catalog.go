package explain

import (
	"github.com/gw403/gw403-lsp/analyzer"
	"github.com/gw403/gw403-lsp/analyzer/msg"
)

// causeDoc is the fixed part of a cause: the rule that predicts it, its
// title and its next steps.
//
// A cause that is a rule's finding, seen in a response, names the rule by
// its code and has no title of its own: it shows the rule's Title, the
// wording `gw403-lsp rules`, the hover and docs/rules.md show. A cause that
// a rule predicts without being its finding (the rule reads a template, the
// response shows something broader) names the rule and keeps a title; a
// comment says how the two differ. A cause no rule predicts (a proxy, a
// Lambda authorizer's Deny, clock skew) has a title and no code.
//
// Steps are what to check or change against the deployed API and the
// client, with placeholders filled from the exchange: {api}, {region},
// {stage}, {host}, {method}, {path}, {vpce}. They are not the rule's
// Doc.Fix, which says how to change the workspace's files and what the
// quick fix does; with a workspace, explain lists the finding's own fixes.
type causeDoc struct {
	code  string
	title msg.Text
	steps []msg.Text
}

// titleOf returns the cause's own title, else its rule's (the code alone
// when the program has not registered the rule catalog).
func (c causeDoc) titleOf() msg.Text {
	if c.title.EN != "" {
		return c.title
	}
	if r := analyzer.Lookup(c.code); r != nil {
		return r.Title
	}
	return same(c.code)
}

func t(en, ja string) msg.Text { return msg.Text{EN: en, JA: ja} }

// catalog holds every cause explain can name, by id.
var catalog = map[string]causeDoc{
	// --- not API Gateway ---------------------------------------------------
	"proxy": {
		title: t("The 403 came from a proxy between you and AWS, not from API Gateway",
			"この 403 は API Gateway ではなく、途中のプロキシが返しています"),
		steps: []msg.Text{
			t("Check the proxy settings of the client (HTTPS_PROXY / NO_PROXY, the browser's or OS proxy): add {host} to NO_PROXY if it must not go through the proxy",
				"クライアントのプロキシ設定（HTTPS_PROXY / NO_PROXY、ブラウザや OS の設定）を確認し、プロキシを通すべきでなければ {host} を NO_PROXY に追加します"),
			t("Ask the proxy's administrators to allow {host}, or try from a network without the proxy: curl -v --noproxy '*' https://{host}{path}",
				"プロキシの管理者に {host} への通信の許可を依頼するか、プロキシのないネットワークから試します: curl -v --noproxy '*' https://{host}{path}"),
		},
	},
	"cloudfront": {
		title: t("The 403 came from CloudFront, not from API Gateway",
			"この 403 は API Gateway ではなく CloudFront が返しています"),
		steps: []msg.Text{
			t("Check the CloudFront distribution in front of the API: its AWS WAF web ACL, geographic restrictions, allowed HTTP methods and alternate domain names (CNAMEs)",
				"API の前にある CloudFront ディストリビューションの AWS WAF ウェブ ACL、地理的制限、許可する HTTP メソッド、代替ドメイン名（CNAME）を確認します"),
			t("Look the request up in the distribution's standard logs by its X-Amz-Cf-Id",
				"X-Amz-Cf-Id をもとに、ディストリビューションの標準ログでリクエストを探します"),
		},
	},
	"cloudfront-waf": {
		title: t("AWS WAF on the CloudFront distribution blocked the request",
			"CloudFront ディストリビューションの AWS WAF がリクエストをブロックしました"),
		steps: []msg.Text{
			t("Find the blocking rule in the web ACL's sampled requests or WAF logs (CloudFront web ACLs live in us-east-1)",
				"ウェブ ACL のサンプルリクエストまたは WAF のログで、ブロックしたルールを特定します（CloudFront 用のウェブ ACL は us-east-1 にあります）"),
		},
	},
	"cloudfront-bad-request": {
		title: t("CloudFront rejected the request as a bad request: the host is not an alternate domain name of the distribution, or the request is malformed",
			"CloudFront がリクエストを不正として拒否しました（ホスト名がディストリビューションの代替ドメイン名にない、またはリクエストの形式が不正）"),
		steps: []msg.Text{
			t("Check that {host} is an alternate domain name (CNAME) of the distribution and that DNS points it at the right distribution (for an edge-optimized custom domain: the domain's own CloudFront name)",
				"{host} がディストリビューションの代替ドメイン名（CNAME）に登録され、DNS が正しいディストリビューションを指しているか確認します（エッジ最適化のカスタムドメイン名ならそのドメイン名用の CloudFront ドメイン名）"),
		},
	},
	"cloudfront-method": {
		title: t("The CloudFront distribution does not allow this HTTP method",
			"CloudFront ディストリビューションがこの HTTP メソッドを許可していません"),
		steps: []msg.Text{
			t("Set the cache behavior's allowed HTTP methods to GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE for API paths",
				"API のパスに対するキャッシュビヘイビアの「許可された HTTP メソッド」を GET, HEAD, OPTIONS, PUT, POST, PATCH, DELETE にします"),
		},
	},
	"cloudfront-geo": {
		title: t("The CloudFront distribution blocks requests from your country (geographic restriction)",
			"CloudFront ディストリビューションの地理的制限で、この国からのリクエストがブロックされています"),
		steps: []msg.Text{
			t("Check the distribution's geographic restrictions", "ディストリビューションの地理的制限を確認します"),
		},
	},
	"s3": {
		title: t("The 403 came from Amazon S3 (AccessDenied), not from API Gateway",
			"この 403 は API Gateway ではなく Amazon S3 が返しています（AccessDenied）"),
		steps: []msg.Text{
			t("Check the bucket policy and, behind CloudFront, the origin access control (OAC); S3 also answers 403 for a missing key when the caller may not list the bucket",
				"バケットポリシーと、CloudFront 経由ならオリジンアクセスコントロール（OAC）を確認します。バケットの一覧権限がない場合、存在しないキーにも S3 は 403 を返します"),
		},
	},
	"lambda-url": {
		title: t("The 403 came from a Lambda function URL, not from API Gateway",
			"この 403 は API Gateway ではなく Lambda 関数 URL が返しています"),
		steps: []msg.Text{
			t("With AuthType AWS_IAM, sign the request for service \"lambda\"; with NONE, the function's resource-based policy must allow lambda:InvokeFunctionUrl for everyone",
				"AuthType が AWS_IAM ならサービス名 \"lambda\" で署名します。NONE なら関数のリソースベースポリシーで全員に lambda:InvokeFunctionUrl を許可する必要があります"),
		},
	},
	"other-server": {
		title: t("The 403 came from another server, not from API Gateway",
			"この 403 は API Gateway ではなく、別のサーバーが返しています"),
		steps: []msg.Text{
			t("Check the access rules of the server named in the Server header, and whether {host} really points at API Gateway (dig {host})",
				"Server ヘッダーが示すサーバーのアクセス制御と、{host} が本当に API Gateway を指しているか（dig {host}）を確認します"),
		},
	},
	"unknown-origin": {
		title: t("The response does not show which service returned the 403",
			"どのサービスが 403 を返したのか、レスポンスからは判別できません"),
		steps: []msg.Text{
			t("Reproduce with curl -v and look for x-amzn-RequestId / x-amzn-ErrorType (API Gateway), X-Amz-Cf-Id (CloudFront) or a Server header",
				"curl -v で再現し、x-amzn-RequestId / x-amzn-ErrorType（API Gateway）、X-Amz-Cf-Id（CloudFront）、Server ヘッダーの有無を確認します"),
		},
	},
	"integration": {
		title: t("Your backend (the integration) returned this 403; API Gateway only passed it on",
			"この 403 はバックエンド（統合）が返したもので、API Gateway はそれを中継しただけです"),
		steps: []msg.Text{
			t("Read the backend's own logs (for a Lambda integration, the function's CloudWatch Logs) for the request",
				"バックエンド自身のログ（Lambda 統合なら関数の CloudWatch Logs）でこのリクエストを確認します"),
			t("In the stage's execution logs, \"Endpoint response body before transformations\" shows what the backend answered",
				"ステージの実行ログの \"Endpoint response body before transformations\" にバックエンドの応答が出ます"),
		},
	},

	// --- Lambda authorizers, IAM and resource policies ----------------------
	"authorizer-deny": {
		title: t("The Lambda authorizer returned a Deny policy for this request",
			"Lambda オーソライザーがこのリクエストに対して Deny のポリシーを返しました"),
		steps: []msg.Text{
			t("Read the authorizer function's CloudWatch Logs and check the policy it returns (Effect, Resource) for this token",
				"オーソライザー関数の CloudWatch Logs で、このトークンに対して返したポリシー（Effect、Resource）を確認します"),
			t("Authorizer results are cached per token: a cached policy whose Resource names one method denies the others. Return arn:aws:execute-api:{region}:<account>:{api}/{stage}/* or set the authorizer's TTL to 0",
				"オーソライザーの結果はトークンごとにキャッシュされます。Resource が 1 つのメソッドだけを指すポリシーがキャッシュされると他のメソッドは拒否されます。arn:aws:execute-api:{region}:<account>:{api}/{stage}/* を返すか、オーソライザーの TTL を 0 にします"),
			t("Test it: aws apigateway test-invoke-authorizer --rest-api-id {api} --authorizer-id <id> --headers Authorization=<token>",
				"テスト: aws apigateway test-invoke-authorizer --rest-api-id {api} --authorizer-id <id> --headers Authorization=<トークン>"),
		},
	},
	"authorizer-no-allow": {
		title: t("The Lambda authorizer's policy does not allow this method (often a cached policy written for another resource)",
			"Lambda オーソライザーのポリシーがこのメソッドを許可していません（別のリソース用のポリシーがキャッシュされていることが多い）"),
		steps: []msg.Text{
			t("Make the returned policy's Resource cover {method} {path} (e.g. arn:aws:execute-api:{region}:<account>:{api}/{stage}/*), or set the authorizer's TTL to 0",
				"返すポリシーの Resource が {method} {path} を含むようにする（例: arn:aws:execute-api:{region}:<account>:{api}/{stage}/*）か、オーソライザーの TTL を 0 にします"),
		},
	},
	"caller-iam-deny": {
		title: t("An IAM policy of the caller explicitly denies execute-api:Invoke on this resource",
			"呼び出し元の IAM ポリシーが、このリソースへの execute-api:Invoke を明示的に拒否しています"),
		steps: []msg.Text{
			t("Find the Deny statement in the caller's identity policies, permission boundary or SCPs (IAM policy simulator: aws iam simulate-principal-policy --action-names execute-api:Invoke)",
				"呼び出し元の ID ベースのポリシー、アクセス許可の境界、SCP にある Deny を探します（IAM ポリシーシミュレーター: aws iam simulate-principal-policy --action-names execute-api:Invoke）"),
		},
	},
	"caller-iam-no-allow": {
		title: t("The caller's IAM identity has no policy that allows execute-api:Invoke on this resource",
			"呼び出し元の IAM ID に、このリソースへの execute-api:Invoke を許可するポリシーがありません"),
		steps: []msg.Text{
			t("Allow execute-api:Invoke on the resource ARN in the caller's policy; for a caller in another account, the API's resource policy must allow it too",
				"呼び出し元のポリシーでリソース ARN への execute-api:Invoke を許可します。別アカウントからの呼び出しなら API のリソースポリシーでも許可が必要です"),
		},
	},
	// GW212 finds a policy that denies everyone; here one Deny matched this caller.
	"resource-policy-deny": {
		code: "GW212",
		title: t("The API's resource policy explicitly denies this caller (a Deny on the source IP, VPC or VPC endpoint matched)",
			"API のリソースポリシーがこの呼び出し元を明示的に拒否しています（送信元 IP・VPC・VPC エンドポイントの条件付き Deny に一致）"),
		steps: []msg.Text{
			t("Read the policy: aws apigateway get-rest-api --rest-api-id {api} --region {region} --query policy, and compare its Deny conditions (aws:SourceIp, aws:SourceVpce) with where the call came from",
				"ポリシーを確認します: aws apigateway get-rest-api --rest-api-id {api} --region {region} --query policy。Deny の条件（aws:SourceIp、aws:SourceVpce）と呼び出し元を比べます"),
			t("After changing a REST API's resource policy, deploy the API again",
				"REST API のリソースポリシーを変更したら、API を再デプロイします"),
		},
	},
	// GW213 finds an Allow for a stage or route that does not exist; here no Allow matched this request.
	"resource-policy-no-allow": {
		code: "GW213",
		title: t("The API's resource policy allows nobody matching this request (no Allow statement matches)",
			"API のリソースポリシーに、このリクエストに一致する Allow がありません"),
		steps: []msg.Text{
			t("Read the policy: aws apigateway get-rest-api --rest-api-id {api} --region {region} --query policy; its Resource must match execute-api:/{stage}/{method}{path} (stage names are case-sensitive)",
				"ポリシーを確認します: aws apigateway get-rest-api --rest-api-id {api} --region {region} --query policy。Resource が execute-api:/{stage}/{method}{path} に一致する必要があります（ステージ名は大文字と小文字を区別します）"),
			t("After changing a REST API's resource policy, deploy the API again",
				"REST API のリソースポリシーを変更したら、API を再デプロイします"),
		},
	},
	// GW211 finds a private API without a policy; here the policy may exist and not admit this endpoint.
	"private-api-policy": {
		code: "GW211",
		title: t("The private API's resource policy does not allow calls from this VPC endpoint",
			"プライベート API のリソースポリシーが、この VPC エンドポイントからの呼び出しを許可していません"),
		steps: []msg.Text{
			t("A private API needs a resource policy that allows execute-api:Invoke with aws:SourceVpce (or aws:SourceVpc) naming the endpoint; deploy the API again after changing it",
				"プライベート API には、aws:SourceVpce（または aws:SourceVpc）でエンドポイントを指定して execute-api:Invoke を許可するリソースポリシーが必要です。変更後は API を再デプロイします"),
		},
	},
	"unsigned-iam": {
		code: "GW111",
		steps: []msg.Text{
			t("Check the method's authorization: aws apigateway get-method --rest-api-id {api} --resource-id <id> --http-method {method} --query authorizationType",
				"メソッドの認可タイプを確認します: aws apigateway get-method --rest-api-id {api} --resource-id <id> --http-method {method} --query authorizationType"),
			t("Sign the request: curl --aws-sigv4 \"aws:amz:{region}:execute-api\" --user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\" -H \"x-amz-security-token: $AWS_SESSION_TOKEN\" …, or in REST Client: Authorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} token:{{awsSessionToken}} region:{region} service:execute-api",
				"リクエストに署名します: curl --aws-sigv4 \"aws:amz:{region}:execute-api\" --user \"$AWS_ACCESS_KEY_ID:$AWS_SECRET_ACCESS_KEY\" -H \"x-amz-security-token: $AWS_SESSION_TOKEN\" …、REST Client なら Authorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} token:{{awsSessionToken}} region:{region} service:execute-api"),
		},
	},
	"iam-method-with-token": {
		code: "GW111",
		steps: []msg.Text{
			t("Either sign the request with SigV4, or give the method the authorizer (Cognito / Lambda) the token is meant for",
				"SigV4 で署名するか、トークンに対応するオーソライザー（Cognito / Lambda）をメソッドに設定します"),
		},
	},
	"invalid-credentials": {
		title: t("The access key is wrong, deactivated or deleted, or belongs to another partition",
			"アクセスキーが誤っている、無効化・削除されている、または別パーティションのものです"),
		steps: []msg.Text{
			t("Check which credentials the client used: aws sts get-caller-identity with the same profile or environment",
				"クライアントが使った認証情報を確認します: 同じプロファイルまたは環境変数で aws sts get-caller-identity"),
		},
	},
	"missing-session-token": {
		code: "GW113",
		steps: []msg.Text{
			t("Send the session token: the X-Amz-Security-Token header (curl -H \"x-amz-security-token: $AWS_SESSION_TOKEN\"), or token:{{awsSessionToken}} on a REST Client / httpyac signing line",
				"セッショントークンを送ります: X-Amz-Security-Token ヘッダー（curl -H \"x-amz-security-token: $AWS_SESSION_TOKEN\"）、REST Client / httpyac の署名行なら token:{{awsSessionToken}}"),
		},
	},
	"expired-credentials": {
		title: t("The temporary credentials have expired",
			"一時的な認証情報の有効期限が切れています"),
		steps: []msg.Text{
			t("Get new credentials (aws sso login, or assume the role again) and send the new key, secret and session token together",
				"認証情報を取り直し（aws sso login、またはロールの再引き受け）、新しいキー・シークレット・セッショントークンを揃えて送ります"),
		},
	},

	// --- paths, methods, stages, deployments --------------------------------
	"unknown-path": {
		code: "GW121",
		steps: []msg.Text{
			t("List the resources: aws apigateway get-resources --rest-api-id {api} --region {region} --query 'items[].path', and compare with {path} (case, trailing slash, path parameters)",
				"リソースを一覧します: aws apigateway get-resources --rest-api-id {api} --region {region} --query 'items[].path'。{path} と比べます（大文字小文字、末尾のスラッシュ、パスパラメータ）"),
		},
	},
	// GW121 names a missing path; this answer comes for a missing method too.
	"token-to-unknown-path": {
		code: "GW121",
		title: t("An Authorization header that is not a SigV4 signature reached a path or method that does not exist",
			"SigV4 署名ではない Authorization ヘッダー付きのリクエストが、存在しないパスまたはメソッドに届いています"),
		steps: []msg.Text{
			t("For a path or method it does not know, API Gateway reads the Authorization header as SigV4 and complains: fix the path ({method} {path})",
				"API Gateway は存在しないパスやメソッドへの Authorization ヘッダーを SigV4 として解釈してエラーにします。パス（{method} {path}）を直します"),
			t("List the resources: aws apigateway get-resources --rest-api-id {api} --region {region} --query 'items[].path'",
				"リソースを一覧します: aws apigateway get-resources --rest-api-id {api} --region {region} --query 'items[].path'"),
		},
	},
	"method-not-defined": {
		code: "GW122",
		steps: []msg.Text{
			t("Check the resource's methods: aws apigateway get-resources --rest-api-id {api} --region {region} --query 'items[].[path, keys(resourceMethods)]'",
				"リソースのメソッドを確認します: aws apigateway get-resources --rest-api-id {api} --region {region} --query 'items[].[path, keys(resourceMethods)]'"),
		},
	},
	"cors-preflight": {
		code: "GW122",
		steps: []msg.Text{
			t("Enable CORS on the resource (console: Enable CORS; SAM: Cors on the Api) and deploy again; the OPTIONS method must not require an API key or authorizer",
				"リソースで CORS を有効にして（コンソールの「CORS を有効にする」、SAM なら Api の Cors）再デプロイします。OPTIONS メソッドに API キーやオーソライザーを要求しないでください"),
		},
	},
	"cors-preflight-auth": {
		code: "GW241",
		steps: []msg.Text{
			t("SAM: add AddApiKeyRequiredToCorsPreflight: false and/or AddDefaultAuthorizerToCorsPreflight: false under the API's Auth, then deploy",
				"SAM: API の Auth に AddApiKeyRequiredToCorsPreflight: false や AddDefaultAuthorizerToCorsPreflight: false を追加してデプロイします"),
			t("Otherwise check the OPTIONS method: aws apigateway get-method --rest-api-id {api} --resource-id <id> --http-method OPTIONS --query '[apiKeyRequired, authorizationType]'; it must be false and NONE (deploy again after changing it)",
				"それ以外: OPTIONS メソッドを確認します: aws apigateway get-method --rest-api-id {api} --resource-id <id> --http-method OPTIONS --query '[apiKeyRequired, authorizationType]'。false と NONE である必要があります（変更後は再デプロイ）"),
		},
	},
	"http-api-preflight-auth": {
		title: t("The browser's CORS preflight (OPTIONS) reached an HTTP API route with an authorizer (an ANY, OPTIONS or $default route): the API has no CORS configuration to answer it",
			"ブラウザの CORS プリフライト（OPTIONS）が、オーソライザー付きの HTTP API のルート（ANY、OPTIONS、$default）に届いています。API に CORS の設定がなく、API Gateway が応答していません"),
		steps: []msg.Text{
			t("Configure CORS on the API (SAM CorsConfiguration, AWS::ApiGatewayV2::Api Cors, aws apigatewayv2 update-api --api-id {api} --cors-configuration …): API Gateway then answers preflight requests itself, before any route or authorizer",
				"API に CORS を設定します（SAM の CorsConfiguration、AWS::ApiGatewayV2::Api の Cors、aws apigatewayv2 update-api --api-id {api} --cors-configuration …）。API Gateway がルートやオーソライザーより前にプリフライトに応答します"),
			t("Or add an OPTIONS route for the path without authorization",
				"または、そのパスに認可なしの OPTIONS ルートを追加します"),
		},
	},
	"stage-in-custom-domain": {
		code: "GW141",
		steps: []msg.Text{
			t("Drop the stage from the path (https://{host}/… instead of https://{host}/{stage}/…); see the mappings: aws apigateway get-base-path-mappings --domain-name {host}",
				"パスからステージ名を外します（https://{host}/{stage}/… ではなく https://{host}/…）。マッピングの確認: aws apigateway get-base-path-mappings --domain-name {host}"),
		},
	},
	// GW221 finds a Deployment that misses a method's DependsOn; here any change not deployed.
	"not-deployed": {
		code: "GW221",
		title: t("The API was changed but not deployed again, so the stage does not have the new path or method",
			"API を変更した後に再デプロイされておらず、ステージに新しいパスやメソッドがありません"),
		steps: []msg.Text{
			t("Deploy: aws apigateway create-deployment --rest-api-id {api} --stage-name {stage} (CloudFormation: the Deployment must DependsOn every Method)",
				"デプロイします: aws apigateway create-deployment --rest-api-id {api} --stage-name {stage}（CloudFormation では Deployment がすべての Method に DependsOn する必要があります）"),
		},
	},
	"missing-stage": {
		code: "GW131",
		steps: []msg.Text{
			t("List the stages: aws apigateway get-stages --rest-api-id {api} --region {region} --query 'item[].stageName', and call https://{host}/<stage>{path}",
				"ステージを一覧します: aws apigateway get-stages --rest-api-id {api} --region {region} --query 'item[].stageName'。https://{host}/<ステージ名>{path} を呼び出します"),
		},
	},
	"unknown-stage": {
		code: "GW132",
		steps: []msg.Text{
			t("List the stages: aws apigateway get-stages --rest-api-id {api} --region {region} --query 'item[].stageName'; SAM names its stage after StageName (and may add one called Stage)",
				"ステージを一覧します: aws apigateway get-stages --rest-api-id {api} --region {region} --query 'item[].stageName'。SAM は StageName の名前でステージを作ります（Stage という名前のステージが追加されることもあります）"),
			t("Stage names are case-sensitive: prod is not Prod",
				"ステージ名は大文字と小文字を区別します: prod と Prod は別物です"),
		},
	},

	// --- signatures ----------------------------------------------------------
	"signature-expired": {
		code: "GW114",
		steps: []msg.Text{
			t("Sign each request when it is sent (curl --aws-sigv4, a REST Client / httpyac signing line, an SDK) instead of pasting Authorization and X-Amz-Date",
				"Authorization と X-Amz-Date を貼り付けず、送信のたびに署名します（curl --aws-sigv4、REST Client / httpyac の署名行、SDK）"),
		},
	},
	"clock-skew": {
		title: t("The client's clock is off by more than 5 minutes",
			"クライアントの時計が 5 分以上ずれています"),
		steps: []msg.Text{
			t("Synchronize the clock (timedatectl / chronyc tracking; in Docker or WSL, the host's clock)",
				"時計を同期します（timedatectl / chronyc tracking。Docker や WSL ではホストの時計）"),
		},
	},
	"signature-mismatch": {
		title: t("The signature does not match: a wrong secret key, or the request changed after it was signed",
			"署名が一致しません（シークレットキーの誤り、または署名後にリクエストが変わった）"),
		steps: []msg.Text{
			t("Check that the secret key belongs to the access key id, and that nothing changes the request after signing (a proxy adding headers, a re-encoded path or query, a body rewritten)",
				"シークレットキーがアクセスキー ID と対になっているか、署名後にリクエストが変わっていないか（プロキシによるヘッダー追加、パスやクエリの再エンコード、本文の書き換え）を確認します"),
		},
	},
	// GW112 reads a .http signing line; a response shows the scope, whatever signed it.
	"sigv4-wrong-scope": {
		code: "GW112",
		title: t("The request is signed for the wrong region or service (it must be the API's region and execute-api)",
			"署名のスコープ（リージョンまたはサービス）が誤っています（API のリージョンと execute-api である必要があります）"),
		steps: []msg.Text{
			t("Sign with region {region} and service execute-api: curl --aws-sigv4 \"aws:amz:{region}:execute-api\", or region:{region} service:execute-api on the signing line",
				"リージョン {region}、サービス execute-api で署名します: curl --aws-sigv4 \"aws:amz:{region}:execute-api\"、または署名行に region:{region} service:execute-api"),
		},
	},
	"sigv4-scope-not-derivable": {
		code: "GW116",
		steps: []msg.Text{
			t("Name them explicitly: curl --aws-sigv4 \"aws:amz:<region>:execute-api\", or region:<region> service:execute-api on the signing line",
				"明示します: curl --aws-sigv4 \"aws:amz:<リージョン>:execute-api\"、または署名行に region:<リージョン> service:execute-api"),
		},
	},
	"incomplete-signature": {
		code: "GW115",
		steps: []msg.Text{
			t("A SigV4 Authorization header needs Credential, SignedHeaders and Signature, and the request needs X-Amz-Date (or Date); let a signer build it",
				"SigV4 の Authorization ヘッダーには Credential、SignedHeaders、Signature が必要で、リクエストには X-Amz-Date（または Date）が必要です。署名ツールに作らせます"),
		},
	},

	// --- API keys ------------------------------------------------------------
	// GW203 finds a key in no usage plan; the message also means a wrong or disabled key.
	"invalid-api-key": {
		code: "GW203",
		title: t("The API key is not valid for this stage: a wrong value, a disabled key, or a key in no usage plan of this stage",
			"API キーがこのステージでは有効ではありません（値の誤り、無効化されたキー、またはこのステージの使用量プランにないキー）"),
		steps: []msg.Text{
			t("Compare the key value (aws apigateway get-api-keys --include-values) and check that the key is enabled and in a usage plan that lists {api}/{stage}: aws apigateway get-usage-plans --key-id <key-id>",
				"キーの値を比べ（aws apigateway get-api-keys --include-values）、キーが有効で {api}/{stage} を含む使用量プランに関連付けられているか確認します: aws apigateway get-usage-plans --key-id <キー ID>"),
		},
	},
	"missing-api-key": {
		code: "GW101",
		steps: []msg.Text{
			t("Send the key: curl -H \"x-api-key: $API_KEY\" …; check whether the method requires one: aws apigateway get-method … --query apiKeyRequired",
				"キーを送ります: curl -H \"x-api-key: $API_KEY\" …。メソッドがキーを要求するかの確認: aws apigateway get-method … --query apiKeyRequired"),
		},
	},
	"misspelled-api-key": {
		code: "GW102",
		steps: []msg.Text{
			t("Send it as the x-api-key header (API Gateway reads no other name or query parameter unless the key source is AUTHORIZER)",
				"x-api-key ヘッダーとして送ります（キーソースが AUTHORIZER でない限り、API Gateway は他の名前やクエリパラメータを読みません）"),
		},
	},
	// GW201 finds an API in no usage plan; here this key is in none of this stage.
	"key-not-in-usage-plan": {
		code: "GW201",
		title: t("The API key is not attached to a usage plan that covers this API stage",
			"API キーが、この API ステージを含む使用量プランに関連付けられていません"),
		steps: []msg.Text{
			t("Attach the key to a usage plan whose API stages include {api}/{stage}: aws apigateway get-usage-plans --key-id <key-id>",
				"キーを、API ステージに {api}/{stage} を含む使用量プランに関連付けます: aws apigateway get-usage-plans --key-id <キー ID>"),
		},
	},

	// --- endpoints, domains, network -----------------------------------------
	// GW251 finds a web ACL that blocks everything; here one rule blocked this request.
	"waf": {
		code: "GW251",
		title: t("AWS WAF associated with the API stage blocked the request",
			"API ステージに関連付けた AWS WAF がリクエストをブロックしました"),
		steps: []msg.Text{
			t("Find the blocking rule in the web ACL's sampled requests or WAF logs; the stage's execution log says the request was blocked by WAF",
				"ウェブ ACL のサンプルリクエストまたは WAF のログで、ブロックしたルールを特定します。ステージの実行ログにも WAF によるブロックが記録されます"),
		},
	},
	"private-api-public-dns": {
		code: "GW151",
		steps: []msg.Text{
			t("Add the header x-apigw-api-id: <api-id>, or call the endpoint-specific name https://<api-id>-{vpce}.execute-api.{region}.amazonaws.com",
				"ヘッダー x-apigw-api-id: <API ID> を付けるか、エンドポイント固有の名前 https://<API ID>-{vpce}.execute-api.{region}.amazonaws.com を使います"),
		},
	},
	"private-dns": {
		code: "GW152",
		steps: []msg.Text{
			t("Check the interface VPC endpoint's private DNS setting (aws ec2 describe-vpc-endpoints --query 'VpcEndpoints[].PrivateDnsEnabled'); to call a regional API from that VPC, private DNS must instead be off",
				"インターフェイス VPC エンドポイントのプライベート DNS 設定を確認します（aws ec2 describe-vpc-endpoints --query 'VpcEndpoints[].PrivateDnsEnabled'）。逆にその VPC からリージョン API を呼ぶには、プライベート DNS を無効にする必要があります"),
		},
	},
	"default-endpoint-disabled": {
		code: "GW161",
		steps: []msg.Text{
			t("Check: aws apigateway get-rest-api --rest-api-id {api} --region {region} --query disableExecuteApiEndpoint",
				"確認: aws apigateway get-rest-api --rest-api-id {api} --region {region} --query disableExecuteApiEndpoint"),
			t("Call the API through its custom domain name",
				"カスタムドメイン名で API を呼び出します"),
		},
	},
	// GW171 finds no certificate configured; here one may be sent and refused.
	"mtls": {
		code: "GW171",
		title: t("The custom domain requires mutual TLS and no valid client certificate was presented",
			"カスタムドメイン名が相互 TLS を要求していますが、有効なクライアント証明書が提示されていません"),
		steps: []msg.Text{
			t("Send a certificate issued by the domain's truststore (curl --cert client.pem --key client.key …) and check it is not expired; HTTP APIs have no execution logs, so map the domain to a REST API temporarily to read them",
				"ドメインのトラストストアが発行した証明書を送り（curl --cert client.pem --key client.key …）、期限切れでないか確認します。HTTP API には実行ログがないため、確認のためにドメインを一時的に REST API へマッピングして実行ログを読みます"),
		},
	},
	"no-base-path-mapping": {
		code: "GW142",
		steps: []msg.Text{
			t("See the mappings: aws apigateway get-base-path-mappings --domain-name {host} (HTTP APIs: aws apigatewayv2 get-api-mappings --domain-name {host}); the path must start with one of them unless a mapping has an empty base path",
				"マッピングを確認します: aws apigateway get-base-path-mappings --domain-name {host}（HTTP API は aws apigatewayv2 get-api-mappings --domain-name {host}）。空のベースパスのマッピングがない限り、パスはいずれかのベースパスで始まる必要があります"),
		},
	},
	"cloudfront-host-header": {
		title: t("A CloudFront distribution of yours forwards the viewer's Host header to the API Gateway origin",
			"自前の CloudFront ディストリビューションが、ビューワーの Host ヘッダーを API Gateway オリジンに転送しています"),
		steps: []msg.Text{
			t("Use an origin request policy that does not forward Host (e.g. AllViewerExceptHostHeader) for the API Gateway origin",
				"API Gateway オリジンには Host を転送しないオリジンリクエストポリシー（例: AllViewerExceptHostHeader）を使います"),
		},
	},

	// --- HTTP APIs and 401s --------------------------------------------------
	"http-api-authorizer": {
		title: t("An HTTP API authorizer denied the request (JWT scopes not granted, or a Lambda authorizer answered isAuthorized: false)",
			"HTTP API のオーソライザーがリクエストを拒否しました（JWT のスコープ不足、または Lambda オーソライザーが isAuthorized: false を返した）"),
		steps: []msg.Text{
			t("Log $context.authorizer.error in the access log; compare the route's authorization scopes with the token's scope claim",
				"アクセスログに $context.authorizer.error を出力し、ルートの認可スコープとトークンの scope クレームを比べます"),
		},
	},
	"identity-source-missing": {
		code: "GW181",
		steps: []msg.Text{
			t("Send the token in the identity source header: Authorization: Bearer <token> (or the header the authorizer names); without it API Gateway answers 401 before calling the authorizer",
				"ID ソースのヘッダーでトークンを送ります: Authorization: Bearer <トークン>（またはオーソライザーが指定するヘッダー）。これがないと API Gateway はオーソライザーを呼ばずに 401 を返します"),
		},
	},
	"token-rejected": {
		title: t("The authorizer rejected the token: expired, a wrong audience or issuer, or an ID token where an access token is expected",
			"オーソライザーがトークンを拒否しました（期限切れ、aud / iss の不一致、アクセストークンの代わりに ID トークン）"),
		steps: []msg.Text{
			t("Decode the token (jwt.io or jq) and compare exp, iss and aud / client_id with the authorizer's settings",
				"トークンをデコード（jwt.io や jq）し、exp・iss・aud / client_id をオーソライザーの設定と比べます"),
		},
	},
}
