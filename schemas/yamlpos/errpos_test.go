package yamlpos

import (
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// TestSyntaxErrorAtTheRealPosition: each kind of error yaml.v3 reports at
// the start of the enclosing block is reported where it is.
func TestSyntaxErrorAtTheRealPosition(t *testing.T) {
	long := "Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      Description: 'it is\n" +
		strings.Repeat("      StageName: prod\n", 9) + "      Name: 'x' done\n"
	tests := []struct {
		name, text string
		line, col  int    // 1-based, bytes
		want       string // text the span starts with
		msg        string
	}{
		{"text after a single-quoted scalar",
			"AWSTemplateFormatVersion: '2010-09-09'\nResources:\n  Api:\n    Description: 'text' (more)\n    Type: AWS::Serverless::Api\n",
			4, 25, "(more)", "text after the closing quote on line 4"},
		{"text after a double-quoted scalar",
			"Resources:\n  Api:\n    Type: \"AWS::Serverless::Api\" x\n",
			3, 34, "x", "text after the closing quote on line 3"},
		{"unclosed quote that swallows lines", long, 5, 20, "'it is", "starts on line 5 runs on to line 15"},
		{"text after a tagged quoted scalar",
			"Resources:\n  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      Name: !Sub '${AWS::StackName}' api\n",
			5, 38, "api", "text after the closing quote on line 5"},
		{"unclosed quote to the end",
			"Resources:\n  Api:\n    Description: \"text\n    Type: x\n",
			3, 18, "\"text", "starts on line 3 is never closed"},
		{"tab indentation",
			"Resources:\n  Api:\n\tType: AWS::Serverless::Api\n",
			3, 1, "\t", "a tab character on line 3"},
		{"bad indentation",
			"Resources:\n  Api:\n    Type: AWS::Serverless::Api\n   Properties:\n      StageName: prod\n",
			4, 4, "Properties:", "line 4 is not indented like its siblings"},
		{"duplicate keys",
			"Resources:\n  Api:\n    Type: AWS::Serverless::Api\n  Fn:\n    Type: AWS::Serverless::Function\n  Api:\n    Type: AWS::Serverless::Api\n",
			6, 3, "Api:", `duplicate key "Api" (line 6; first at line 2)`},
		{"JSON trailing comma",
			"{\n  \"Resources\": {\n    \"Api\": {\"Type\": \"AWS::Serverless::Api\",}\n  }\n}\n",
			3, 44, "}", "json: invalid character '}'"},
		{"JSON missing comma",
			"{\n  \"Resources\": {\n    \"Api\": {\"Type\": \"AWS::Serverless::Api\"\n    \"Fn\": 1}\n  }\n}\n",
			4, 5, "\"Fn\"", "json: invalid character '\"' after object key:value pair"},
		{"JSON cut short",
			"{\n  \"Resources\": {\n    \"Api\": {\"Type\": \"AWS::Serverless::Api\"}\n",
			4, 1, "", "a closing } or ] is missing"},
		{"JSON duplicate key",
			"{\"Resources\": {\"A\": {\"Type\": \"AWS::SNS::Topic\"},\n \"A\": {\"Type\": \"AWS::SNS::Topic\"}}}\n",
			2, 2, "\"A\"", `duplicate key "A"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := source.NewFile("t.yaml", tt.text)
			_, err := ParseDefinition(f)
			se, ok := err.(*SyntaxError)
			if !ok {
				t.Fatalf("ParseDefinition error = %v, want a SyntaxError", err)
			}
			p := f.Position(se.Span.Start, source.UTF8)
			if p.Line+1 != tt.line || p.Col+1 != tt.col || !strings.HasPrefix(f.Text[se.Span.Start:], tt.want) || !strings.Contains(se.Msg, tt.msg) {
				t.Errorf("error %q at %d:%d (%.12q), want %q at %d:%d (%q)", se.Msg, p.Line+1, p.Col+1, f.Text[se.Span.Start:], tt.msg, tt.line, tt.col, tt.want)
			}
		})
	}
}

// TestParseKeepsLenientEnvJSON: Parse (used for env files, which may
// repeat keys while being edited) does not apply the definition checks.
func TestParseKeepsLenientEnvJSON(t *testing.T) {
	if _, err := Parse(source.NewFile("e.json", `{"dev": {"a": 1}, "dev": {"a": 2}}`)); err != nil {
		t.Errorf("Parse = %v, want no error", err)
	}
}
