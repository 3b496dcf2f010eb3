package link

import "strings"

// KeyVariable picks the variable a fix or completion should use for an API
// key among the variable names defined for a request (RequestContext.EnvVars):
// a defined key-like variable, else "apiKey".
func KeyVariable(vars []string) string {
	for _, pref := range []string{"apiKey", "api_key", "apikey", "x-api-key", "xApiKey", "API_KEY"} {
		for _, v := range vars {
			if v == pref {
				return v
			}
		}
	}
	for _, v := range vars {
		l := strings.ToLower(v)
		if strings.Contains(l, "apikey") || strings.Contains(l, "api_key") || strings.Contains(l, "api-key") {
			return v
		}
	}
	return "apiKey"
}
