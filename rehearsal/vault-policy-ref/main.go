// Command vault-policy-ref reads Vault ACL policies (JSON lines {"text": "..."} on stdin) and prints, one JSON
// line each, whether Vault would accept the policy and the rules it would parse from it. Written for vault-platform
// as the reference of the differential test test/access/acl/vault-differential.test.ts.
//
// The HCL is parsed and decoded by hashicorp/hcl itself (Debian's golang-github-hashicorp-hcl-dev, upstream
// v1.0.0). Vault 2.0.4 pins the fork v1.0.1-vault-7 (commit 02db4972906a1b43a46e2ffb0d2aae2c71875d94); its
// differences from v1.0.0 that change what a policy means are modelled here explicitly (see forkChecks and the
// value-typed structs below), from `git diff v1.0.0 v1.0.1-vault-7` of hashicorp/hcl:
//   - hcl/parser/parser.go objectList: an argument (`key = value`) whose key token text was already assigned in the
//     same object is refused ("The argument %q at %s was already set. Each argument can only be defined once");
//     the HCL form only, not JSON (parse.go passes errorOnDuplicateKeys to the HCL parser only);
//   - hcl/parser/parser.go objectType: every error of the object's items is returned, where v1.0.0 drops one raised
//     on a closing brace and goes on (so `a { b = } }` parses upstream); modelled by refusing an object that holds
//     anything but commas and comments between its last item and its closing brace;
//   - decoder.go decodePtr: a pointer already set is decoded into (control_group, its factors and identity written
//     twice merge); modelled with value-typed fields, which the decoder always decodes into.
//
// What vault/policy.go does after hcl.Parse (parseACLPolicyWithTemplating, parsePaths, hclutil.CheckHCLKeys,
// identitytpl's validity check, go-secure-stdlib parseutil.ParseDurationSecond) is written here after those files.
package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/hashicorp/hcl"
	"github.com/hashicorp/hcl/hcl/ast"
	"github.com/hashicorp/hcl/hcl/scanner"
	"github.com/hashicorp/hcl/hcl/token"
)

type identityFactor struct {
	GroupIDs          []string `hcl:"group_ids"`
	GroupNames        []string `hcl:"group_names"`
	ApprovalsRequired int      `hcl:"approvals"`
}

type controlGroupFactor struct {
	Name                   string
	Identity               identityFactor `hcl:"identity"`
	ControlledCapabilities []string       `hcl:"controlled_capabilities"`
}

type controlGroupHCL struct {
	TTL     interface{}                   `hcl:"ttl"`
	Factors map[string]controlGroupFactor `hcl:"factor"`
}

// pathRules has the hcl fields of vault/policy.go PathRules (field names and tags as there).
type pathRules struct {
	Policy                 string
	Capabilities           []string
	MinWrappingTTLHCL      interface{}              `hcl:"min_wrapping_ttl"`
	MaxWrappingTTLHCL      interface{}              `hcl:"max_wrapping_ttl"`
	AllowedParametersHCL   map[string][]interface{} `hcl:"allowed_parameters"`
	DeniedParametersHCL    map[string][]interface{} `hcl:"denied_parameters"`
	RequiredParametersHCL  []string                 `hcl:"required_parameters"`
	MFAMethodsHCL          []string                 `hcl:"mfa_methods"`
	ControlGroupHCL        controlGroupHCL          `hcl:"control_group"`
	SubscribeEventTypesHCL []string                 `hcl:"subscribe_event_types"`
	Decoded                []string                 `hcl:",decodedFields"`
}

type policyHCL struct {
	Name string `hcl:"name"`
}

type rule struct {
	Path                string                   `json:"path"`
	IsPrefix            bool                     `json:"isPrefix"`
	HasSegmentWildcards bool                     `json:"hasSegmentWildcards"`
	Capabilities        uint32                   `json:"capabilities"`
	MinWrappingTTL      string                   `json:"minWrappingTtlNs"`
	MaxWrappingTTL      string                   `json:"maxWrappingTtlNs"`
	Allowed             map[string][]interface{} `json:"allowed"`
	Denied              map[string][]interface{} `json:"denied"`
	Required            []string                 `json:"required"`
}

type result struct {
	OK    bool   `json:"ok"`
	Error string `json:"error,omitempty"`
	Name  string `json:"name"`
	Rules []rule `json:"rules"`
}

// Capability bits in Vault's order; recover as the project's access/acl/policy.ts has it.
var capabilityBits = map[string]uint32{
	"deny": 1 << 0, "create": 1 << 1, "read": 1 << 2, "update": 1 << 3, "delete": 1 << 4, "list": 1 << 5,
	"sudo": 1 << 6, "patch": 1 << 7, "subscribe": 1 << 8, "recover": 1 << 9,
}

var legacyPolicies = map[string][]string{
	"read":  {"read", "list"},
	"write": {"create", "read", "update", "delete", "list"},
	"sudo":  {"create", "read", "update", "delete", "list", "sudo"},
}

func isJSON(text string) bool {
	for _, r := range text {
		if unicode.IsSpace(r) {
			continue
		}
		return r == '{'
	}
	return false
}

// nodeEnd is the byte offset just after a node of the (CRLF-normalised) source.
func nodeEnd(n ast.Node) int {
	switch v := n.(type) {
	case *ast.ObjectType:
		return v.Rbrace.Offset + 1
	case *ast.ListType:
		return v.Rbrack.Offset + 1
	case *ast.LiteralType:
		return v.Token.Pos.Offset + len(v.Token.Text)
	}
	return -1
}

// forkChecks applies the fork's parser refusals to an upstream parse of src (HCL form only).
func forkChecks(src []byte, list *ast.ObjectList) error {
	var walkErr error
	check := func(l *ast.ObjectList) {
		seen := map[string]bool{}
		for _, item := range l.Items {
			if !item.Assign.IsValid() {
				continue
			}
			for _, k := range item.Keys {
				if seen[k.Token.Text] && walkErr == nil {
					walkErr = fmt.Errorf("The argument %q at %s was already set. Each argument can only be defined once", k.Token.Text, k.Token.Pos.String())
				}
				seen[k.Token.Text] = true
			}
		}
	}
	check(list)
	ast.Walk(list, func(n ast.Node) (ast.Node, bool) {
		ot, ok := n.(*ast.ObjectType)
		if !ok || walkErr != nil {
			return n, walkErr == nil
		}
		check(ot.List)
		from := ot.Lbrace.Offset + 1
		if k := len(ot.List.Items); k > 0 {
			from = nodeEnd(ot.List.Items[k-1].Val)
		}
		if from >= 0 && from <= ot.Rbrace.Offset {
			s := scanner.New(src[from:ot.Rbrace.Offset])
			s.Error = func(token.Pos, string) {}
			for tok := s.Scan(); tok.Type != token.EOF; tok = s.Scan() {
				if tok.Type != token.COMMA && tok.Type != token.COMMENT {
					walkErr = fmt.Errorf("At %s: object item error dropped by upstream hcl objectType (the fork returns it)", ot.Rbrace)
					break
				}
			}
		}
		return n, walkErr == nil
	})
	return walkErr
}

func checkKeys(node ast.Node, valid []string) error {
	var list *ast.ObjectList
	switch n := node.(type) {
	case *ast.ObjectList:
		list = n
	case *ast.ObjectType:
		list = n.List
	default:
		return fmt.Errorf("cannot check HCL keys of type %T", n)
	}
	var problems []string
	for _, item := range list.Items {
		key := item.Keys[0].Token.Value().(string)
		ok := false
		for _, v := range valid {
			ok = ok || v == key
		}
		if !ok {
			problems = append(problems, fmt.Sprintf("invalid key %q on line %d", key, item.Assign.Line))
		}
	}
	if len(problems) > 0 {
		return errors.New(strings.Join(problems, "; "))
	}
	return nil
}

func parse(text string) (res result) {
	defer func() {
		if p := recover(); p != nil {
			res = result{Error: fmt.Sprintf("panic: %v", p)}
		}
	}()
	fail := func(err error) result { return result{Error: "failed to parse policy: " + err.Error()} }
	root, err := hcl.Parse(text)
	if err != nil {
		return fail(err)
	}
	list, ok := root.Node.(*ast.ObjectList)
	if !ok {
		return fail(errors.New("does not contain a root object"))
	}
	if !isJSON(text) {
		if err := forkChecks([]byte(strings.ReplaceAll(text, "\r\n", "\n")), list); err != nil {
			return fail(err)
		}
	}
	if err := checkKeys(list, []string{"name", "path"}); err != nil {
		return fail(err)
	}
	var p policyHCL
	if err := hcl.DecodeObject(&p, list); err != nil {
		return fail(err)
	}
	res = result{OK: true, Name: p.Name, Rules: []rule{}}
	valid := []string{"comment", "policy", "capabilities", "allowed_parameters", "denied_parameters", "required_parameters",
		"min_wrapping_ttl", "max_wrapping_ttl", "mfa_methods", "control_group", "subscribe_event_types"}
	for _, item := range list.Filter("path").Items {
		key := "path"
		if len(item.Keys) > 0 {
			key = item.Keys[0].Token.Value().(string)
		}
		if err := checkTemplating(key); err != nil {
			return fail(err)
		}
		if err := checkKeys(item.Val, valid); err != nil {
			return fail(fmt.Errorf("path %q: %w", key, err))
		}
		var pc pathRules
		if err := hcl.DecodeObject(&pc, item.Val); err != nil {
			return fail(fmt.Errorf("path %q: %w", key, err))
		}
		r, err := compile(key, &pc)
		if err != nil {
			return fail(err)
		}
		res.Rules = append(res.Rules, r)
	}
	return res
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1<<20), 1<<26)
	out := bufio.NewWriter(os.Stdout)
	defer out.Flush()
	enc := json.NewEncoder(out)
	for in.Scan() {
		var req struct {
			Text string `json:"text"`
			// "generic": the text decoded into a map[string]interface{} (generic.go) instead of as a policy.
			Decode string `json:"decode"`
		}
		if err := json.Unmarshal(in.Bytes(), &req); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
		if !utf8.ValidString(req.Text) {
			req.Text = strings.ToValidUTF8(req.Text, "\uFFFD")
		}
		var answer interface{}
		if req.Decode == "generic" {
			answer = decodeGeneric(req.Text)
		} else {
			answer = parse(req.Text)
		}
		if err := enc.Encode(answer); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(2)
		}
	}
}
