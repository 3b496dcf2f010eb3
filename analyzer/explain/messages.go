package explain

import (
	"regexp"
	"strings"
	"time"
)

// msgKind is what an error message says, independent of wording.
type msgKind int

const (
	msgNone msgKind = iota
	msgUnknown
	msgForbidden
	msgMissingAuthToken
	msgInvalidAPIKey
	msgAuthorizerDeny     // "User is not authorized to access this resource with an explicit deny"
	msgAuthorizerNoAllow  // "User is not authorized to access this resource"
	msgAnonymous          // "User: anonymous is not authorized to perform: execute-api:Invoke …"
	msgPrincipal          // "User: arn:… is not authorized to perform: execute-api:Invoke …"
	msgInvalidToken       // "The security token included in the request is invalid"
	msgExpiredToken       // "The security token included in the request is expired"
	msgSignatureExpired   // "Signature expired: …"
	msgSignatureNotYet    // "Signature not yet current: …"
	msgSignatureMismatch  // "The request signature we calculated does not match …"
	msgCredentialScope    // "Credential should be scoped to …"
	msgIncompleteSig      // "Authorization header requires 'Credential' parameter…"
	msgUnauthorized       // "Unauthorized"
	msgS3AccessDenied     // "Access Denied"
	msgCloudFrontNotValid // "The request could not be satisfied"
)

// msgInfo is a classified message and what it names.
type msgInfo struct {
	kind         msgKind
	errType      string // the x-amzn-errortype this message comes with
	explicitDeny bool
	principal    string // IAM ARN of the caller ("" for anonymous)
	arn          *resourceARN
	// Signature times (UTC) from "Signature expired" / "not yet current".
	signedAt, serverAt time.Time
	scopeRegion        string // "Credential should be scoped to a valid region, not 'X'"
	scopeService       string // "… correct service: 'X'"
	authEcho           string // the Authorization value echoed after "Authorization=" (redacted)
	missingFields      []string
}

// resourceARN is an execute-api resource ARN:
// arn:aws:execute-api:{region}:{account}:{api-id}/{stage}/{METHOD}/{path}.
type resourceARN struct {
	full, region, account, apiID, stage, method, path string
}

var (
	reResourceARN = regexp.MustCompile(`arn:aws[a-z-]*:execute-api:([a-z0-9-]+):([0-9*]+):([a-z0-9]+)/([^/\s]+)/([A-Z*]+)(/[^\s]*)?`)
	rePrincipal   = regexp.MustCompile(`User: (arn:aws[a-z-]*:[^\s]+) is not authorized`)
	reSigExpired  = regexp.MustCompile(`Signature expired: (\d{8}T\d{6}Z) is now earlier than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z)`)
	reSigNotYet   = regexp.MustCompile(`Signature not yet current: (\d{8}T\d{6}Z) is still later than (\d{8}T\d{6}Z) \((\d{8}T\d{6}Z)`)
	reScopeRegion = regexp.MustCompile(`scoped to a valid region, not '([^']*)'`)
	reScopeSvc    = regexp.MustCompile(`scoped to correct service: '([^']*)'`)
	reReqField    = regexp.MustCompile(`requires '([A-Za-z-]+)' parameter`)
	reAuthValue   = regexp.MustCompile(`Authorization=(.*)$`)
)

// Japanese renderings of the messages as the seed article and the AWS
// console's Japanese pages write them; API Gateway itself answers in
// English, but people paste either.
var jaMessages = []struct {
	text string
	kind msgKind
}{
	{"認証トークンが見つかりません", msgMissingAuthToken},
	{"無効な API キー識別子が指定されました", msgInvalidAPIKey},
	{"明示的な拒否により、ユーザーはこのリソースにアクセスする権限がありません", msgAuthorizerDeny},
	{"リクエストに含まれているセキュリティトークンが無効です", msgInvalidToken},
	{"署名の有効期限が切れています", msgSignatureExpired},
	{"禁止されています", msgForbidden},
}

func classifyMessage(m string) msgInfo {
	s := strings.TrimSpace(m)
	ls := strings.ToLower(s)
	var mi msgInfo
	switch {
	case s == "":
		return msgInfo{kind: msgNone}
	case ls == "forbidden" || ls == "forbidden.":
		mi = msgInfo{kind: msgForbidden, errType: "ForbiddenException"}
	case strings.HasPrefix(ls, "missing authentication token"):
		mi = msgInfo{kind: msgMissingAuthToken, errType: "MissingAuthenticationTokenException"}
	case strings.HasPrefix(ls, "invalid api key identifier"):
		mi = msgInfo{kind: msgInvalidAPIKey, errType: "ForbiddenException"}
	case strings.HasPrefix(ls, "user is not authorized to access this resource"):
		mi = msgInfo{kind: msgAuthorizerNoAllow, errType: "AccessDeniedException"}
		if strings.Contains(ls, "explicit deny") {
			mi.kind = msgAuthorizerDeny
		}
	case strings.HasPrefix(ls, "user: anonymous is not authorized"):
		mi = msgInfo{kind: msgAnonymous, errType: "AccessDeniedException", explicitDeny: strings.Contains(ls, "explicit deny")}
	case strings.HasPrefix(ls, "user: arn:") && strings.Contains(ls, "is not authorized"):
		mi = msgInfo{kind: msgPrincipal, errType: "AccessDeniedException", explicitDeny: strings.Contains(ls, "explicit deny")}
		if p := rePrincipal.FindStringSubmatch(s); p != nil {
			mi.principal = p[1]
		}
	case strings.Contains(ls, "security token included in the request is invalid"):
		mi = msgInfo{kind: msgInvalidToken, errType: "UnrecognizedClientException"}
	case strings.Contains(ls, "security token included in the request is expired"):
		mi = msgInfo{kind: msgExpiredToken, errType: "ExpiredTokenException"}
	case strings.HasPrefix(ls, "signature expired"):
		mi = msgInfo{kind: msgSignatureExpired, errType: "InvalidSignatureException"}
		if t := reSigExpired.FindStringSubmatch(s); t != nil {
			mi.signedAt, mi.serverAt = amzTime(t[1]), amzTime(t[3])
		}
	case strings.HasPrefix(ls, "signature not yet current"):
		mi = msgInfo{kind: msgSignatureNotYet, errType: "InvalidSignatureException"}
		if t := reSigNotYet.FindStringSubmatch(s); t != nil {
			mi.signedAt, mi.serverAt = amzTime(t[1]), amzTime(t[3])
		}
	case strings.Contains(ls, "request signature we calculated does not match"):
		mi = msgInfo{kind: msgSignatureMismatch, errType: "InvalidSignatureException"}
	case strings.Contains(ls, "credential should be scoped"):
		mi = msgInfo{kind: msgCredentialScope, errType: "InvalidSignatureException"}
		if r := reScopeRegion.FindStringSubmatch(s); r != nil {
			mi.scopeRegion = r[1]
		}
		if r := reScopeSvc.FindStringSubmatch(s); r != nil {
			mi.scopeService = r[1]
		}
	case strings.Contains(ls, "authorization header requires") || strings.Contains(ls, "date must be in iso-8601") ||
		strings.Contains(ls, "authorization=") && strings.Contains(ls, "requires"):
		mi = msgInfo{kind: msgIncompleteSig, errType: "IncompleteSignatureException"}
		for _, r := range reReqField.FindAllStringSubmatch(s, -1) {
			mi.missingFields = append(mi.missingFields, r[1])
		}
		if strings.Contains(ls, "'x-amz-date' or a 'date' header") {
			mi.missingFields = append(mi.missingFields, "X-Amz-Date")
		}
		if r := reAuthValue.FindStringSubmatch(s); r != nil {
			mi.authEcho = strings.TrimSpace(r[1])
		}
	case ls == "unauthorized" || ls == "unauthorized.":
		mi = msgInfo{kind: msgUnauthorized, errType: "UnauthorizedException"}
	case ls == "access denied":
		mi = msgInfo{kind: msgS3AccessDenied}
	case strings.Contains(ls, "the request could not be satisfied"):
		mi = msgInfo{kind: msgCloudFrontNotValid}
	default:
		mi = msgInfo{kind: msgUnknown}
		for _, j := range jaMessages {
			if strings.Contains(s, j.text) {
				mi = classifyMessage(canonicalEN[j.kind])
				break
			}
		}
	}
	if a := reResourceARN.FindStringSubmatch(s); a != nil {
		mi.arn = &resourceARN{full: a[0], region: a[1], account: a[2], apiID: a[3], stage: a[4], method: a[5], path: a[6]}
	}
	return mi
}

// canonicalEN is the English message for each Japanese rendering.
var canonicalEN = map[msgKind]string{
	msgMissingAuthToken: "Missing Authentication Token",
	msgInvalidAPIKey:    "Invalid API Key identifier specified",
	msgAuthorizerDeny:   "User is not authorized to access this resource with an explicit deny",
	msgInvalidToken:     "The security token included in the request is invalid.",
	msgSignatureExpired: "Signature expired",
	msgForbidden:        "Forbidden",
}

// knownGatewayMessage reports whether API Gateway itself writes messages
// of this kind (a gateway response), as opposed to an integration.
func (m msgInfo) knownGatewayMessage() bool {
	switch m.kind {
	case msgNone, msgUnknown, msgS3AccessDenied, msgCloudFrontNotValid:
		return false
	}
	return true
}

func amzTime(s string) time.Time {
	t, err := time.Parse("20060102T150405Z", s)
	if err != nil {
		return time.Time{}
	}
	return t
}
