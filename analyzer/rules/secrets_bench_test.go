package rules

import (
	"strings"
	"testing"
)

// BenchmarkScanSecretsLongLine measures the detector on a 1 MB one-line
// body (a base64 upload): it must stay linear.
func BenchmarkScanSecretsLongLine(b *testing.B) {
	line := `{"secretName": "upload", "data": "` + strings.Repeat("QUtJQVo3UVgzTUJEVjVMV1ROMlIgc2VjcmV0IA==", 1<<15) + `"}`
	b.SetBytes(int64(len(line)))
	for i := 0; i < b.N; i++ {
		scanSecrets("", line)
	}
}
