package main

// The generic reading of an HCL text, as hcl.DecodeObject into a map[string]interface{} makes it: what the project's
// config/hcl.ts claims to reproduce for Vault's server config (listener, storage, seal blocks). The parse is the
// same as a policy's (hcl.Parse with the fork's checks); the value is printed with its Go types.

import (
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl"
	"github.com/hashicorp/hcl/hcl/ast"
)

type genericResult struct {
	OK    bool        `json:"ok"`
	Error string      `json:"error,omitempty"`
	Value interface{} `json:"value,omitempty"`
}

// typed writes a decoded value as {"t": <Go type>, "v": <value>}; ints as decimal strings (beyond 2^53).
func typed(v interface{}) interface{} {
	tv := func(t string, v interface{}) map[string]interface{} { return map[string]interface{}{"t": t, "v": v} }
	object := func(m map[string]interface{}) map[string]interface{} {
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		out := map[string]interface{}{}
		for _, k := range keys {
			out[k] = typed(m[k])
		}
		return out
	}
	switch x := v.(type) {
	case int:
		return tv("int", strconv.Itoa(x))
	case float64:
		return tv("float", x)
	case string:
		return tv("string", x)
	case bool:
		return tv("bool", x)
	case []map[string]interface{}:
		out := make([]interface{}, len(x))
		for i, m := range x {
			out[i] = object(m)
		}
		return tv("maps", out)
	case []interface{}:
		out := make([]interface{}, len(x))
		for i, e := range x {
			out[i] = typed(e)
		}
		return tv("slice", out)
	case map[string]interface{}:
		return tv("map", object(x))
	case nil:
		return tv("nil", nil)
	default:
		return tv(fmt.Sprintf("%T", v), fmt.Sprint(v))
	}
}

func decodeGeneric(text string) (res genericResult) {
	defer func() {
		if p := recover(); p != nil {
			res = genericResult{Error: fmt.Sprintf("panic: %v", p)}
		}
	}()
	root, err := hcl.Parse(text)
	if err != nil {
		return genericResult{Error: err.Error()}
	}
	list, ok := root.Node.(*ast.ObjectList)
	if !ok {
		return genericResult{Error: errors.New("does not contain a root object").Error()}
	}
	if !isJSON(text) {
		if err := forkChecks([]byte(strings.ReplaceAll(text, "\r\n", "\n")), list); err != nil {
			return genericResult{Error: err.Error()}
		}
	}
	var out map[string]interface{}
	if err := hcl.DecodeObject(&out, root); err != nil {
		return genericResult{Error: err.Error()}
	}
	return genericResult{OK: true, Value: typed(out)}
}
