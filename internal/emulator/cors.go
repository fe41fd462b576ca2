// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/xml"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
)

// A bucket's CORS configuration, checked and answered as RGW 16.2 does
// (measured with curl against it):
//   - the rule that applies is the FIRST whose AllowedOrigin matches the
//     Origin; its methods and headers are then checked, and a later rule
//     that would allow the method is not looked at;
//   - an origin may hold one "*": "*" matches any origin and
//     "https://*.example.com" any host below example.com (not
//     example.com itself); Access-Control-Allow-Origin echoes the Origin,
//     also for a "*" rule;
//   - a preflight (OPTIONS) needs no signature; it is 400 InvalidArgument
//     without Origin or Access-Control-Request-Method, 403 AccessDenied
//     when the bucket has no configuration or the rule refuses, otherwise
//     200 with Allow-Origin, Allow-Methods (the requested method),
//     Allow-Headers (the requested ones, as sent), Expose-Headers and
//     Max-Age (when the rule has them) and Vary: Origin;
//   - any other request with an Origin the rule allows for its method gets
//     the same headers but Allow-Headers, on errors too;
//   - read back, a rule's methods come in the order GET, PUT, DELETE,
//     HEAD, POST, its origins and allowed headers sorted and deduplicated,
//     its exposed headers as sent.

// corsConfiguration is S3's CORSConfiguration document.
type corsConfiguration struct {
	XMLName xml.Name   `xml:"CORSConfiguration"`
	Xmlns   string     `xml:"xmlns,attr,omitempty"`
	Rules   []corsRule `xml:"CORSRule"`
}

// corsRule is one CORSRule, its fields in the order RGW answers them.
type corsRule struct {
	ID             string   `xml:"ID,omitempty" json:"id,omitempty"`
	AllowedMethods []string `xml:"AllowedMethod" json:"allowedMethods"`
	AllowedOrigins []string `xml:"AllowedOrigin" json:"allowedOrigins"`
	AllowedHeaders []string `xml:"AllowedHeader" json:"allowedHeaders,omitempty"`
	MaxAgeSeconds  *int     `xml:"MaxAgeSeconds,omitempty" json:"maxAgeSeconds,omitempty"`
	ExposeHeaders  []string `xml:"ExposeHeader" json:"exposeHeaders,omitempty"`
}

// corsMethods are the methods a rule may allow, in RGW's order.
var corsMethods = []string{"GET", "PUT", "DELETE", "HEAD", "POST"}

// parseCORS reads and checks a PutBucketCors body; RGW answers every
// refusal MalformedXML.
func parseCORS(body []byte) ([]corsRule, *s3Refusal) {
	malformed := func(reason string) ([]corsRule, *s3Refusal) {
		return nil, &s3Refusal{http.StatusBadRequest, "MalformedXML", reason}
	}
	var in corsConfiguration
	if err := xml.Unmarshal(body, &in); err != nil {
		return malformed("the CORS configuration does not parse: " + err.Error())
	}
	if len(in.Rules) == 0 {
		return malformed("a CORS configuration needs at least one CORSRule")
	}
	out := make([]corsRule, 0, len(in.Rules))
	for _, r := range in.Rules {
		// RGW takes a rule without AllowedMethod (it allows nothing).
		if len(r.AllowedOrigins) == 0 {
			return malformed("a CORSRule needs an AllowedOrigin")
		}
		for _, m := range r.AllowedMethods {
			if !slices.Contains(corsMethods, m) {
				return malformed("AllowedMethod " + m + " is not one of GET, PUT, DELETE, HEAD, POST")
			}
		}
		for _, o := range r.AllowedOrigins {
			if strings.Count(o, "*") > 1 {
				return malformed("AllowedOrigin " + o + " has more than one wildcard")
			}
		}
		var methods []string
		for _, m := range corsMethods {
			if slices.Contains(r.AllowedMethods, m) {
				methods = append(methods, m)
			}
		}
		r.AllowedMethods = methods
		r.AllowedOrigins = sortedSet(r.AllowedOrigins)
		r.AllowedHeaders = sortedSet(r.AllowedHeaders)
		out = append(out, r)
	}
	return out, nil
}

func sortedSet(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	out := slices.Clone(s)
	sort.Strings(out)
	return slices.Compact(out)
}

// wildcardMatch matches s against a pattern with at most one "*".
func wildcardMatch(pattern, s string) bool {
	before, after, ok := strings.Cut(pattern, "*")
	if !ok {
		return pattern == s
	}
	return len(s) >= len(before)+len(after) && strings.HasPrefix(s, before) && strings.HasSuffix(s, after)
}

// corsRuleFor is the rule that applies to origin: the first that names it.
func corsRuleFor(rules []corsRule, origin string) *corsRule {
	for i := range rules {
		for _, o := range rules[i].AllowedOrigins {
			if wildcardMatch(o, origin) {
				return &rules[i]
			}
		}
	}
	return nil
}

// allowsHeader reports whether the rule allows a request header (case
// does not matter, "*" is a wildcard).
func (c *corsRule) allowsHeader(h string) bool {
	h = strings.ToLower(h)
	for _, a := range c.AllowedHeaders {
		if wildcardMatch(strings.ToLower(a), h) {
			return true
		}
	}
	return false
}

// setHeaders writes the CORS answer headers for origin and method.
func (c *corsRule) setHeaders(h http.Header, origin, method string) {
	h.Set("Access-Control-Allow-Origin", origin)
	h.Set("Access-Control-Allow-Methods", method)
	if len(c.ExposeHeaders) > 0 {
		h.Set("Access-Control-Expose-Headers", strings.Join(c.ExposeHeaders, ","))
	}
	if c.MaxAgeSeconds != nil {
		h.Set("Access-Control-Max-Age", strconv.Itoa(*c.MaxAgeSeconds))
	}
	h.Set("Vary", "Origin")
}

// answerPreflight answers an OPTIONS request for a bucket or an object.
func (e *Emulator) answerPreflight(w *s3ErrorWriter, r *http.Request, bucket string) {
	origin, method := r.Header.Get("Origin"), r.Header.Get("Access-Control-Request-Method")
	if origin == "" || method == "" {
		w.refuse(http.StatusBadRequest, "InvalidArgument", "a preflight request needs Origin and Access-Control-Request-Method")
		return
	}
	if !e.bucketExists(bucket) {
		w.refuse(http.StatusNotFound, "NoSuchBucket", "no bucket "+bucket)
		return
	}
	rules := e.settings(bucket).CORS
	if len(rules) == 0 {
		w.refuse(http.StatusForbidden, "AccessDenied", "the bucket has no CORS configuration")
		return
	}
	rule := corsRuleFor(rules, origin)
	if rule == nil {
		w.refuse(http.StatusForbidden, "AccessDenied", "no CORS rule allows origin "+origin)
		return
	}
	if !slices.Contains(rule.AllowedMethods, method) {
		w.refuse(http.StatusForbidden, "AccessDenied", "the CORS rule for origin "+origin+" does not allow "+method)
		return
	}
	var requested []string
	for _, h := range strings.Split(r.Header.Get("Access-Control-Request-Headers"), ",") {
		if h = strings.TrimSpace(h); h == "" {
			continue
		}
		if !rule.allowsHeader(h) {
			w.refuse(http.StatusForbidden, "AccessDenied", "the CORS rule for origin "+origin+" does not allow header "+h)
			return
		}
		requested = append(requested, h)
	}
	h := w.Header()
	rule.setHeaders(h, origin, method)
	if len(requested) > 0 {
		h.Set("Access-Control-Allow-Headers", strings.Join(requested, ","))
	}
	h.Set("Content-Length", "0")
	w.WriteHeader(http.StatusOK)
}

// corsWriter replaces the CORS headers of an answer with the bucket's:
// gofakes3 allows every origin on every answer, which RGW does not.
type corsWriter struct {
	http.ResponseWriter
	set         http.Header
	wroteHeader bool
}

// withCORS wraps w for a request to bucket.
func (e *Emulator) withCORS(w http.ResponseWriter, r *http.Request, bucket string) http.ResponseWriter {
	if r.Method == http.MethodOptions {
		return w // answerPreflight sets the headers itself
	}
	set := http.Header{}
	if origin := r.Header.Get("Origin"); origin != "" && bucket != "" {
		if rule := corsRuleFor(e.settings(bucket).CORS, origin); rule != nil && slices.Contains(rule.AllowedMethods, r.Method) {
			rule.setHeaders(set, origin, r.Method)
		}
	}
	return &corsWriter{ResponseWriter: w, set: set}
}

func (c *corsWriter) WriteHeader(status int) {
	if !c.wroteHeader {
		c.wroteHeader = true
		h := c.Header()
		for k := range h {
			if strings.HasPrefix(k, "Access-Control-") {
				delete(h, k)
			}
		}
		for k, v := range c.set {
			h[k] = v
		}
	}
	c.ResponseWriter.WriteHeader(status)
}

func (c *corsWriter) Write(b []byte) (int, error) {
	if !c.wroteHeader {
		c.WriteHeader(http.StatusOK)
	}
	return c.ResponseWriter.Write(b)
}

func (e *Emulator) getBucketCors(w *s3ErrorWriter, _ *http.Request, bucket string, _ []byte) {
	rules := e.settings(bucket).CORS
	if len(rules) == 0 {
		w.refuse(http.StatusNotFound, "NoSuchCORSConfiguration", "the bucket has no CORS configuration")
		return
	}
	writeXML(w, corsConfiguration{Xmlns: s3Namespace, Rules: rules})
}

func (e *Emulator) putBucketCors(w *s3ErrorWriter, _ *http.Request, bucket string, body []byte) {
	rules, refusal := parseCORS(body)
	if refusal != nil {
		w.refuse(refusal.status, refusal.code, refusal.reason)
		return
	}
	e.updateSettings(bucket, func(s *bucketSettings) { s.CORS = rules })
	w.WriteHeader(http.StatusOK)
}

func (e *Emulator) deleteBucketCors(w *s3ErrorWriter, _ *http.Request, bucket string, _ []byte) {
	e.updateSettings(bucket, func(s *bucketSettings) { s.CORS = nil })
	w.WriteHeader(http.StatusNoContent)
}
