package terraform

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"sync"

	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

var (
	funcsOnce sync.Once
	funcs     map[string]function.Function
)

// functions returns the Terraform functions that are pure and static.
// Functions that read files or the clock (file, templatefile, timestamp,
// uuid) return unknown values: what they yield is decided when Terraform
// runs, or read elsewhere (a rest_api body's file()).
func functions() map[string]function.Function {
	funcsOnce.Do(func() {
		unknownStr := function.New(&function.Spec{
			VarParam: &function.Parameter{Name: "args", Type: cty.DynamicPseudoType, AllowUnknown: true, AllowNull: true, AllowDynamicType: true},
			Type:     function.StaticReturnType(cty.String),
			Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
				return cty.UnknownVal(cty.String), nil
			},
		})
		hash := func(sum func([]byte) string) function.Function {
			return function.New(&function.Spec{
				Params: []function.Parameter{{Name: "str", Type: cty.String}},
				Type:   function.StaticReturnType(cty.String),
				Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
					return cty.StringVal(sum([]byte(args[0].AsString()))), nil
				},
			})
		}
		funcs = map[string]function.Function{
			"jsonencode": stdlib.JSONEncodeFunc, "jsondecode": stdlib.JSONDecodeFunc,
			"format": stdlib.FormatFunc, "formatlist": stdlib.FormatListFunc,
			"lower": stdlib.LowerFunc, "upper": stdlib.UpperFunc, "title": stdlib.TitleFunc,
			"replace": stdlib.ReplaceFunc, "regexreplace": stdlib.RegexReplaceFunc,
			"join": stdlib.JoinFunc, "split": stdlib.SplitFunc, "concat": stdlib.ConcatFunc,
			"merge": stdlib.MergeFunc, "lookup": stdlib.LookupFunc, "length": stdlib.LengthFunc,
			"keys": stdlib.KeysFunc, "values": stdlib.ValuesFunc, "coalesce": stdlib.CoalesceFunc,
			"coalescelist": stdlib.CoalesceListFunc, "compact": stdlib.CompactFunc,
			"element": stdlib.ElementFunc, "flatten": stdlib.FlattenFunc, "distinct": stdlib.DistinctFunc,
			"contains": stdlib.ContainsFunc, "trimprefix": stdlib.TrimPrefixFunc, "trimsuffix": stdlib.TrimSuffixFunc,
			"trimspace": stdlib.TrimSpaceFunc, "trim": stdlib.TrimFunc, "substr": stdlib.SubstrFunc,
			"range": boundedRange, "zipmap": stdlib.ZipmapFunc, "slice": stdlib.SliceFunc,
			"min": stdlib.MinFunc, "max": stdlib.MaxFunc, "abs": stdlib.AbsoluteFunc,
			"tostring": stdlib.MakeToFunc(cty.String), "tonumber": stdlib.MakeToFunc(cty.Number),
			"tobool": stdlib.MakeToFunc(cty.Bool), "tolist": stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
			"toset": stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)), "tomap": stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
			"setunion": stdlib.SetUnionFunc, "reverse": stdlib.ReverseListFunc, "sort": stdlib.SortFunc,
			"try": tryfunc.TryFunc, "can": tryfunc.CanFunc,
			"sha1":         hash(func(b []byte) string { s := sha1.Sum(b); return hex.EncodeToString(s[:]) }),
			"sha256":       hash(func(b []byte) string { s := sha256.Sum256(b); return hex.EncodeToString(s[:]) }),
			"md5":          hash(func(b []byte) string { s := md5.Sum(b); return hex.EncodeToString(s[:]) }),
			"base64encode": hash(func(b []byte) string { return base64.StdEncoding.EncodeToString(b) }),
			"file":         unknownStr, "templatefile": unknownStr, "filemd5": unknownStr, "filesha1": unknownStr,
			"filesha256": unknownStr, "filebase64": unknownStr, "timestamp": unknownStr, "uuid": unknownStr,
			"yamlencode": unknownStr, "base64sha256": unknownStr,
		}
	})
	return funcs
}

// boundedRange is range() for at most 10,000 numbers: a larger range is
// not static enough to read (its value is unknown).
var boundedRange = function.New(&function.Spec{
	VarParam: &function.Parameter{Name: "params", Type: cty.Number},
	Type:     function.StaticReturnType(cty.List(cty.Number)),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		var f [3]float64
		f[2] = 1
		if len(args) == 1 {
			f[0], f[2] = 0, 1
		}
		for i, a := range args {
			if i > 2 {
				break
			}
			v, _ := a.AsBigFloat().Float64()
			if len(args) == 1 {
				f[1] = v
			} else {
				f[i] = v
			}
		}
		if f[2] == 0 || (f[1]-f[0])/f[2] > 10000 {
			return cty.UnknownVal(cty.List(cty.Number)), nil
		}
		return stdlib.RangeFunc.Call(args)
	},
})
