// What vault/policy.go parsePaths does with a decoded path item, written for vault-platform after that file,
// go-secure-stdlib parseutil.ParseDurationSecond and sdk/helper/identitytpl (see main.go).
package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

var errUnbalanced = errors.New("failed to validate policy templating: unbalanced templating characters")

func checkTemplating(s string) error {
	pieces := strings.Split(s, "{{")
	if strings.Contains(pieces[0], "}}") {
		return errUnbalanced
	}
	for _, p := range pieces[1:] {
		if len(strings.Split(p, "}}")) != 2 {
			return errUnbalanced
		}
	}
	return nil
}

const errOverflow = "multiplication of durations resulted in overflow, one operand may be too large"

func mulSeconds(a time.Duration, b time.Duration) (time.Duration, error) {
	x := a * b
	if a != 0 && x/a != b {
		return 0, errors.New(errOverflow)
	}
	return x, nil
}

// parseDurationSecond after go-secure-stdlib parseutil.ParseDurationSecond, for the types hcl decodes into.
func parseDurationSecond(in interface{}) (time.Duration, error) {
	switch v := in.(type) {
	case nil:
		return 0, nil
	case string:
		if v == "" {
			return 0, nil
		}
		if n, err := strconv.ParseInt(v, 10, 64); err == nil {
			return mulSeconds(time.Duration(n), time.Second)
		}
		if strings.HasSuffix(v, "d") {
			n, err := strconv.ParseInt(v[:len(v)-1], 10, 64)
			if err != nil {
				return 0, err
			}
			return mulSeconds(time.Duration(n), 24*time.Hour)
		}
		return time.ParseDuration(v)
	case int:
		return mulSeconds(time.Duration(v), time.Second)
	case float64:
		return mulSeconds(time.Duration(v), time.Second)
	}
	return 0, errors.New("could not parse duration from input")
}

func compile(key string, pc *pathRules) (rule, error) {
	r := rule{Path: strings.TrimPrefix(key, "/"), MinWrappingTTL: "0", MaxWrappingTTL: "0", Required: []string{}}
	if strings.Contains(r.Path, "+*") {
		return r, fmt.Errorf("path %q: invalid use of wildcards ('+*' is forbidden)", r.Path)
	}
	r.HasSegmentWildcards = r.Path == "+" || strings.Contains(r.Path, "/+") || strings.HasPrefix(r.Path, "+/")
	if strings.HasSuffix(r.Path, "*") && !r.HasSegmentWildcards {
		r.Path = strings.TrimSuffix(r.Path, "*")
		r.IsPrefix = true
	}
	caps := pc.Capabilities
	if len(pc.Policy) > 0 {
		legacy, ok := legacyPolicies[pc.Policy]
		switch {
		case pc.Policy == "deny":
			caps = []string{"deny"}
		case ok:
			caps = append(caps, legacy...)
		default:
			return r, fmt.Errorf("path %q: invalid policy %q", key, pc.Policy)
		}
	}
	for _, c := range caps {
		bit, ok := capabilityBits[c]
		if !ok {
			return r, fmt.Errorf("path %q: invalid capability %q", key, c)
		}
		if c == "deny" {
			r.Capabilities = bit
			return r, nil
		}
		r.Capabilities |= bit
	}
	lower := func(m map[string][]interface{}) map[string][]interface{} {
		if m == nil {
			return nil
		}
		out := map[string][]interface{}{}
		for k, v := range m {
			if v == nil {
				v = []interface{}{}
			}
			out[strings.ToLower(k)] = v
		}
		return out
	}
	r.Allowed, r.Denied = lower(pc.AllowedParametersHCL), lower(pc.DeniedParametersHCL)
	min, err := parseDurationSecond(pc.MinWrappingTTLHCL)
	if err != nil {
		return r, fmt.Errorf("error parsing min_wrapping_ttl: %w", err)
	}
	max, err := parseDurationSecond(pc.MaxWrappingTTLHCL)
	if err != nil {
		return r, fmt.Errorf("error parsing max_wrapping_ttl: %w", err)
	}
	r.MinWrappingTTL, r.MaxWrappingTTL = strconv.FormatInt(int64(min), 10), strconv.FormatInt(int64(max), 10)
	if has(pc.Decoded, "ControlGroupHCL") {
		if err := checkControlGroup(&pc.ControlGroupHCL, caps); err != nil {
			return r, err
		}
	}
	if min != 0 && max != 0 && max < min {
		return r, errors.New("max_wrapping_ttl cannot be less than min_wrapping_ttl")
	}
	if len(pc.RequiredParametersHCL) > 0 {
		r.Required = pc.RequiredParametersHCL
	}
	return r, nil
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func checkControlGroup(cg *controlGroupHCL, caps []string) error {
	if _, err := parseDurationSecond(cg.TTL); err != nil {
		return fmt.Errorf("error parsing control group max ttl: %w", err)
	}
	for _, f := range cg.Factors {
		// An absent identity (Vault: "no control_group factor provided") has no approvals either.
		if f.Identity.ApprovalsRequired <= 0 || (len(f.Identity.GroupIDs) == 0 && len(f.Identity.GroupNames) == 0) {
			return errors.New("must provide more than one identity group and approvals > 0")
		}
		for _, c := range f.ControlledCapabilities {
			if !has(caps, c) {
				return errors.New("control group factor capabilities must be a subset of the policy's capabilities")
			}
		}
	}
	if len(cg.Factors) == 0 {
		return errors.New("no control group factors provided")
	}
	return nil
}
