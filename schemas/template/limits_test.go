package template

import (
	"strings"
	"testing"

	"github.com/gw403/gw403-lsp/schemas/source"
)

// TestEvalOutputLimit: an evaluation that would build more than
// MaxEvalOutput bytes is Unknown and recorded once; values in bounds,
// before and after it, are still computed.
func TestEvalOutputLimit(t *testing.T) {
	text := "AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  P:\n    Type: String\n    Default: " + strings.Repeat("x", 100_000) +
		"\nResources:\n  A:\n    Type: AWS::S3::Bucket\n    Properties:\n" +
		"      Small: !Sub \"${P}-a\"\n" +
		"      Big: !Sub \"" + strings.Repeat("${P}", 50) + "\"\n" +
		"      Joined: !Join ['', [!Ref P, !Ref P]]\n" +
		"      Alias: &j !Join ['', [!Ref P, !Ref P, !Ref P, !Ref P, !Ref P, !Ref P, !Ref P, !Ref P, !Ref P, !Ref P]]\n" +
		"      Bomb: !Join ['', [*j, *j, *j, *j, *j, *j, *j, *j, *j, *j]]\n" +
		"      Split: !Split [',', !Sub \"${P}\"]\n"
	tp, probs := Load(source.NewFile("t.yaml", text))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	r := tp.Resources[0]
	if s, ok := tp.EvalString(r.Prop("Small")); !ok || len(s) != 100_002 {
		t.Errorf("Small: %d bytes, known %v", len(s), ok)
	}
	if len(tp.EvalProblems()) != 0 {
		t.Fatalf("problems before any limit: %v", tp.EvalProblems())
	}
	big := tp.Eval(r.Prop("Big"))
	if big.Kind != Unknown || big.Reason != evalLimitReason {
		t.Errorf("Big: %v %q, want unknown at the limit", big.Kind, big.Reason)
	}
	if ps := tp.EvalProblems(); len(ps) != 1 || !strings.Contains(ps[0].Message, "4 MiB") || text[ps[0].Span.Start:ps[0].Span.Start+4] != "!Sub" {
		t.Errorf("problems %v, want one at the !Sub naming the limit", ps)
	}
	if s, ok := tp.EvalString(r.Prop("Joined")); !ok || len(s) != 200_000 {
		t.Errorf("Joined after the limit: %d bytes, known %v", len(s), ok)
	}
	if v := tp.Eval(r.Prop("Bomb")); v.Kind != Unknown {
		t.Errorf("Bomb: %v, want unknown (100 × 100 KB)", v.Kind)
	}
	if v := tp.Eval(r.Prop("Split")); v.Kind != List || len(v.List) != 1 {
		t.Errorf("Split: %v with %d items", v.Kind, len(v.List))
	}
	if len(tp.EvalProblems()) != 1 {
		t.Errorf("%d problems, want the first one only", len(tp.EvalProblems()))
	}
}

// TestTemplateOutputCountsEachValueOnce: a large value evaluated again and
// again (a template open through a long editing session) counts once
// against MaxTemplateEvalOutput; many large values do not pass it.
func TestTemplateOutputCountsEachValueOnce(t *testing.T) {
	var b strings.Builder
	b.WriteString("AWSTemplateFormatVersion: '2010-09-09'\nParameters:\n  P:\n    Type: String\n    Default: " + strings.Repeat("x", 1<<20) + "\nResources:\n")
	for i := 0; i < 100; i++ {
		b.WriteString("  B" + strings.Repeat("x", i%3) + string(rune('a'+i%26)) + string(rune('a'+i/26)) + ":\n    Type: AWS::S3::Bucket\n    Properties:\n      Name: !Sub \"${P}-\"\n")
	}
	tp, probs := Load(source.NewFile("t.yaml", b.String()))
	if len(probs) > 0 {
		t.Fatal(probs)
	}
	first := tp.Resources[0].Prop("Name")
	for i := 0; i < 200; i++ { // 200 MB built, one value
		if _, ok := tp.EvalString(first); !ok {
			t.Fatalf("evaluation %d of the same value: undecided (%v)", i, tp.EvalProblems())
		}
	}
	known := 0
	for _, r := range tp.Resources {
		if _, ok := tp.EvalString(r.Prop("Name")); ok {
			known++
		}
	}
	if known != MaxTemplateEvalOutput/(1<<20+1) || len(tp.EvalProblems()) != 1 || !strings.Contains(tp.EvalProblems()[0].Message, "64 MiB") {
		t.Errorf("%d of 100 values of 1 MiB known, want %d; problems %v", known, MaxTemplateEvalOutput/(1<<20+1), tp.EvalProblems())
	}
}
