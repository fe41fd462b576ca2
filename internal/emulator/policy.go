// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"encoding/json"
	"net/http"
	"strings"
)

// Bucket policies, as RGW 16.2 takes and answers them (measured against
// it): PutBucketPolicy answers 204 and refuses a document it cannot read
// with 400 InvalidArgument (not AWS's MalformedPolicy): JSON that does not
// parse, an unknown top-level key, a Version other than 2012-10-17 or
// 2008-10-17, an Effect other than Allow or Deny, a Principal string other
// than "*", an action that is not S3's, a Resource that is not an ARN.
// GetBucketPolicy answers the document byte for byte as sent (404
// NoSuchBucketPolicy when none); DeleteBucketPolicy answers 200, also when
// there is none.
//
// Enforced here for anonymous (unsigned) requests only, and only as far as
// public read goes: an Allow for Principal "*" (or {"AWS": "*"}) whose
// Action matches s3:GetObject (s3:*, s3:Get* and other wildcards) and
// whose Resource matches arn:aws:s3:::bucket/key lets an anonymous GET or
// HEAD of that key through, unless a Deny matches it too. A statement with
// a Condition, NotAction, NotResource or NotPrincipal is stored but grants
// nothing here. Everything else anonymous stays 403 AccessDenied: RGW
// would also let s3:PutObject or s3:* through for writes, which the
// emulator does not offer.

// policyDocument is the part of a policy the emulator reads.
type policyDocument struct {
	Version   string          `json:"Version"`
	ID        string          `json:"Id"`
	Statement json.RawMessage `json:"Statement"`
}

// policyStatement is one statement; string-or-list fields stay raw.
type policyStatement struct {
	Sid          string          `json:"Sid"`
	Effect       string          `json:"Effect"`
	Principal    json.RawMessage `json:"Principal"`
	NotPrincipal json.RawMessage `json:"NotPrincipal"`
	Action       json.RawMessage `json:"Action"`
	NotAction    json.RawMessage `json:"NotAction"`
	Resource     json.RawMessage `json:"Resource"`
	NotResource  json.RawMessage `json:"NotResource"`
	Condition    json.RawMessage `json:"Condition"`
}

// stringOrList reads a JSON string or list of strings.
func stringOrList(raw json.RawMessage) ([]string, bool) {
	if len(raw) == 0 {
		return nil, true
	}
	var one string
	if json.Unmarshal(raw, &one) == nil {
		return []string{one}, true
	}
	var many []string
	if json.Unmarshal(raw, &many) == nil {
		return many, true
	}
	return nil, false
}

// s3ActionVerbs begin every S3 action name (s3:GetObject, s3:ListBucket...).
var s3ActionVerbs = []string{"Get", "Put", "List", "Delete", "Abort", "Create", "Restore", "Bypass", "Replicate", "Object"}

func validS3Action(a string) bool {
	if a == "*" || a == "s3:*" {
		return true
	}
	name, ok := strings.CutPrefix(a, "s3:")
	if !ok || name == "" {
		return false
	}
	for _, v := range s3ActionVerbs {
		if strings.HasPrefix(name, v) || strings.HasPrefix(v, strings.TrimSuffix(name, "*")) && strings.HasSuffix(name, "*") {
			return true
		}
	}
	return false
}

// parsePolicy checks a policy as RGW does and returns its statements.
func parsePolicy(body []byte) ([]policyStatement, *s3Refusal) {
	invalid := func(reason string) ([]policyStatement, *s3Refusal) {
		return nil, &s3Refusal{http.StatusBadRequest, "InvalidArgument", reason}
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.DisallowUnknownFields()
	var doc policyDocument
	if err := dec.Decode(&doc); err != nil {
		return invalid("the policy is not a policy document: " + err.Error())
	}
	if doc.Version != "" && doc.Version != "2012-10-17" && doc.Version != "2008-10-17" {
		return invalid("policy Version " + doc.Version + " is not 2012-10-17 or 2008-10-17")
	}
	var statements []policyStatement
	if len(doc.Statement) > 0 {
		var one policyStatement
		if err := json.Unmarshal(doc.Statement, &statements); err != nil {
			if err := json.Unmarshal(doc.Statement, &one); err != nil {
				return invalid("policy Statement is neither a statement nor a list of them")
			}
			statements = []policyStatement{one}
		}
	}
	for _, s := range statements {
		if s.Effect != "Allow" && s.Effect != "Deny" {
			return invalid("statement Effect " + s.Effect + " is not Allow or Deny")
		}
		if len(s.Principal) > 0 {
			var p string
			if json.Unmarshal(s.Principal, &p) == nil && p != "*" {
				return invalid("a Principal string must be \"*\"")
			}
		}
		actions, ok := stringOrList(s.Action)
		if !ok {
			return invalid("statement Action is not a string or a list of strings")
		}
		for _, a := range actions {
			if !validS3Action(a) {
				return invalid("action " + a + " is not an S3 action")
			}
		}
		resources, ok := stringOrList(s.Resource)
		if !ok {
			return invalid("statement Resource is not a string or a list of strings")
		}
		for _, r := range resources {
			if !strings.HasPrefix(r, "arn:") {
				return invalid("resource " + r + " is not an ARN")
			}
		}
	}
	return statements, nil
}

// everyone reports whether a Principal is "*" or {"AWS": "*"}.
func everyone(raw json.RawMessage) bool {
	var p string
	if json.Unmarshal(raw, &p) == nil {
		return p == "*"
	}
	var m map[string]json.RawMessage
	if json.Unmarshal(raw, &m) != nil {
		return false
	}
	aws, _ := stringOrList(m["AWS"])
	for _, a := range aws {
		if a == "*" {
			return true
		}
	}
	return false
}

// globMatch matches s against an IAM pattern: "*" any run, "?" one
// character.
func globMatch(pattern, s string) bool {
	for len(pattern) > 0 {
		switch pattern[0] {
		case '*':
			for i := len(s); i >= 0; i-- {
				if globMatch(pattern[1:], s[i:]) {
					return true
				}
			}
			return false
		case '?':
			if s == "" {
				return false
			}
		default:
			if s == "" || s[0] != pattern[0] {
				return false
			}
		}
		pattern, s = pattern[1:], s[1:]
	}
	return s == ""
}

// appliesToAnonymousRead reports whether a statement covers an anonymous
// s3:GetObject of resource.
func (s policyStatement) appliesToAnonymousRead(resource string) bool {
	if len(s.Condition) > 0 || len(s.NotAction) > 0 || len(s.NotResource) > 0 || len(s.NotPrincipal) > 0 || !everyone(s.Principal) {
		return false
	}
	actions, _ := stringOrList(s.Action)
	resources, _ := stringOrList(s.Resource)
	action := false
	for _, a := range actions {
		// Action names are case-insensitive; resources are not.
		action = action || globMatch(strings.ToLower(a), "s3:getobject")
	}
	if !action {
		return false
	}
	for _, r := range resources {
		if globMatch(r, resource) {
			return true
		}
	}
	return false
}

// anonymousRead reports whether an unsigned request is a GET or HEAD of an
// object the bucket's policy makes public.
func (e *Emulator) anonymousRead(r *http.Request, op, bucket, key string) bool {
	if op != OpGetObject && op != OpHeadObject || key == "" || r.Header.Get("Authorization") != "" {
		return false
	}
	for k := range r.URL.Query() {
		// A subresource (?acl, ?tagging, ?versionId) is another action.
		if !strings.HasPrefix(k, "response-") {
			return false
		}
	}
	policy := e.settings(bucket).Policy
	if len(policy) == 0 {
		return false
	}
	statements, refusal := parsePolicy(policy)
	if refusal != nil {
		return false
	}
	resource := "arn:aws:s3:::" + bucket + "/" + key
	allowed := false
	for _, s := range statements {
		if !s.appliesToAnonymousRead(resource) {
			continue
		}
		if s.Effect == "Deny" {
			return false
		}
		allowed = true
	}
	return allowed
}

func (e *Emulator) getBucketPolicy(w *s3ErrorWriter, _ *http.Request, bucket string, _ []byte) {
	policy := e.settings(bucket).Policy
	if len(policy) == 0 {
		w.refuse(http.StatusNotFound, "NoSuchBucketPolicy", "the bucket has no policy")
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write(policy)
}

func (e *Emulator) putBucketPolicy(w *s3ErrorWriter, _ *http.Request, bucket string, body []byte) {
	if _, refusal := parsePolicy(body); refusal != nil {
		w.refuse(refusal.status, refusal.code, refusal.reason)
		return
	}
	e.updateSettings(bucket, func(s *bucketSettings) { s.Policy = bytes.Clone(body) })
	w.WriteHeader(http.StatusNoContent)
}

func (e *Emulator) deleteBucketPolicy(w *s3ErrorWriter, _ *http.Request, bucket string, _ []byte) {
	e.updateSettings(bucket, func(s *bucketSettings) { s.Policy = nil })
	w.WriteHeader(http.StatusOK) // RGW 16.2 answers 200, not 204
}
