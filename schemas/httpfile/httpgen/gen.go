// Package httpgen generates large, realistic request files for benchmarks
// (`BenchmarkParseHTTP` here, and the workspace benchmarks in bench/gen).
// The output is deterministic: the same arguments give the same bytes.
package httpgen

import (
	"fmt"
	"math/rand/v2"
	"strings"
)

// Seed is the fixed seed the benchmarks use.
const Seed = 403

var (
	resources = []string{"orders", "users", "items", "carts", "payments", "invoices", "注文", "shipments"}
	stages    = []string{"prod", "dev", "Prod", "v1", "staging"}
	regions   = []string{"ap-northeast-1", "us-east-1", "eu-west-1", "ap-northeast-3"}
	comments  = []string{
		"注文の一覧を取得する",
		"Create a new order for the test customer",
		"TODO: switch to the custom domain",
		"requires an API key (usage plan: basic)",
		"IAM 認証が必要",
	}
	names = []string{"Alice", "Bob", "山田太郎", "Zoë", "Carol"}
)

// File returns a request file of n requests generated from seed: `###`
// separators with titles, comments in English and Japanese, `# @name` and
// other metadata, file variables, `{{variables}}` of every kind, header
// blocks with API keys and SigV4 signing lines, JSON bodies, body file
// references and response handlers.
func File(n int, seed uint64) string {
	r := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	var b strings.Builder
	b.Grow(n * 230)
	b.WriteString("@baseUrl = https://a1b2c3d4e5.execute-api.ap-northeast-1.amazonaws.com/prod\n")
	b.WriteString("@apiKey = {{$dotenv API_KEY}}\n")
	b.WriteString("@contentType = application/json\n\n")
	for i := 0; i < n; i++ {
		request(&b, r, i)
	}
	return b.String()
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func request(b *strings.Builder, r *rand.Rand, i int) {
	res := pick(r, resources)
	fmt.Fprintf(b, "### %s %d\n", res, i)
	if r.IntN(3) == 0 {
		fmt.Fprintf(b, "# %s\n", pick(r, comments))
	}
	if r.IntN(2) == 0 {
		fmt.Fprintf(b, "# @name req%d\n", i)
	}
	if r.IntN(20) == 0 {
		b.WriteString("# gw403-ignore: GW101 the key is injected by the gateway\n")
	}
	if r.IntN(10) == 0 {
		fmt.Fprintf(b, "@orderId = %d\n", r.IntN(100000))
	}
	method := "GET"
	switch k := r.IntN(10); {
	case k < 3:
		method = "POST"
	case k < 4:
		method = "PUT"
	case k < 5:
		method = "DELETE"
	}
	switch r.IntN(4) {
	case 0:
		fmt.Fprintf(b, "%s {{baseUrl}}/%s/{{orderId}}\n", method, res)
	case 1:
		fmt.Fprintf(b, "%s https://%010x.execute-api.%s.amazonaws.com/%s/%s?page=%d&limit=20 HTTP/1.1\n",
			method, r.Uint64()&0xffffffffff, pick(r, regions), pick(r, stages), res, r.IntN(50))
	case 2:
		fmt.Fprintf(b, "%s https://api.example.com/v1/%s/{{$guid}}\n    ?expand=items\n    &lang=ja\n", method, res)
	default:
		fmt.Fprintf(b, "%s {{baseUrl}}/%s?since={{$datetime iso8601}}&n={{$randomInt 1 100}}\n", method, res)
	}
	if r.IntN(3) != 0 {
		b.WriteString("x-api-key: {{apiKey}}\n")
	}
	if r.IntN(5) == 0 {
		fmt.Fprintf(b, "Authorization: AWS {{awsAccessKeyId}} {{awsSecretAccessKey}} token:{{awsSessionToken}} region:%s service:execute-api\n", pick(r, regions))
	}
	b.WriteString("Accept: application/json\n")
	if method == "POST" || method == "PUT" {
		b.WriteString("Content-Type: {{contentType}}\n\n")
		if r.IntN(8) == 0 {
			fmt.Fprintf(b, "< ./payloads/%s.json\n", res)
		} else {
			fmt.Fprintf(b, "{\n  \"id\": %d,\n  \"name\": %q,\n  \"quantity\": %d,\n  \"note\": \"{{$processEnv USER}}\"\n}\n",
				r.IntN(1000000), pick(r, names), r.IntN(10)+1)
		}
		if r.IntN(6) == 0 {
			b.WriteString("\n> {%\n  client.global.set(\"id\", response.body.id);\n%}\n")
		}
	}
	b.WriteString("\n")
}
