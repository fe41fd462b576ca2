// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"crypto/rand"
	"encoding/xml"
	"net/http"
	"sort"
	"time"
)

// Lifecycle configurations are stored and read back as RGW 16.2 does; the
// emulator never expires anything by them (no object outlives a test long
// enough for it to matter), only the configuration's round trip is RGW's.
// Measured against RGW:
//   - rules come back sorted by ID; a rule without one gets 48 random
//     characters of [a-z0-9];
//   - a filter with neither prefix nor tags (Filter{}, Filter{Prefix: ""})
//     comes back as the legacy top-level <Prefix></Prefix>; a legacy
//     Prefix stays one; any other filter comes back as <Filter> holding
//     its Prefix and Tags directly, without <And>;
//   - refused with MalformedXML: no rules, a rule with no action, a Status
//     other than Enabled or Disabled, neither Filter nor Prefix, both Days
//     and Date, a Date that is not midnight UTC, XML that does not parse;
//     with InvalidArgument: duplicate IDs, an ID over 255 characters, Days,
//     NoncurrentDays or DaysAfterInitiation below 1; with InvalidRequest:
//     AbortIncompleteMultipartUpload in a rule filtered by tags.

type lifecycleConfiguration struct {
	XMLName xml.Name        `xml:"LifecycleConfiguration"`
	Xmlns   string          `xml:"xmlns,attr,omitempty"`
	Rules   []lifecycleRule `xml:"Rule"`
}

// lifecycleRule is a Rule, its fields in RGW's order.
type lifecycleRule struct {
	ID                             string               `xml:"ID"`
	Prefix                         *string              `xml:"Prefix"`
	Filter                         *lifecycleFilter     `xml:"Filter"`
	Status                         string               `xml:"Status"`
	Expiration                     *lifecycleExpiration `xml:"Expiration"`
	NoncurrentVersionExpiration    *noncurrentExpiry    `xml:"NoncurrentVersionExpiration"`
	AbortIncompleteMultipartUpload *abortMultipart      `xml:"AbortIncompleteMultipartUpload"`
}

type lifecycleFilter struct {
	Prefix *string         `xml:"Prefix"`
	Tags   []lifecycleTag  `xml:"Tag"`
	And    *lifecycleAndOp `xml:"And"`
}

type lifecycleAndOp struct {
	Prefix *string        `xml:"Prefix"`
	Tags   []lifecycleTag `xml:"Tag"`
}

type lifecycleTag struct {
	Key   string `xml:"Key"`
	Value string `xml:"Value"`
}

type lifecycleExpiration struct {
	Days                      *int    `xml:"Days"`
	Date                      *string `xml:"Date"`
	ExpiredObjectDeleteMarker *bool   `xml:"ExpiredObjectDeleteMarker"`
}

type noncurrentExpiry struct {
	NoncurrentDays *int `xml:"NoncurrentDays"`
}

type abortMultipart struct {
	DaysAfterInitiation *int `xml:"DaysAfterInitiation"`
}

// randomRuleID is an ID of RGW's shape for a rule sent without one.
func randomRuleID() string {
	const alphabet = "abcdefghijklmnopqrstuvwxyz0123456789"
	b := make([]byte, 48)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

// parseLifecycle checks a configuration as RGW does and returns it as RGW
// reads it back.
func parseLifecycle(body []byte) ([]byte, *s3Refusal) {
	malformed := func(reason string) ([]byte, *s3Refusal) {
		return nil, &s3Refusal{http.StatusBadRequest, "MalformedXML", reason}
	}
	invalid := func(reason string) ([]byte, *s3Refusal) {
		return nil, &s3Refusal{http.StatusBadRequest, "InvalidArgument", reason}
	}
	var in lifecycleConfiguration
	if err := xml.Unmarshal(body, &in); err != nil {
		return malformed("the lifecycle configuration does not parse: " + err.Error())
	}
	if len(in.Rules) == 0 {
		return malformed("a lifecycle configuration needs at least one Rule")
	}
	ids := map[string]bool{}
	out := lifecycleConfiguration{Xmlns: s3Namespace}
	for _, r := range in.Rules {
		if r.Status != "Enabled" && r.Status != "Disabled" {
			return malformed("rule Status must be Enabled or Disabled")
		}
		if r.Filter == nil && r.Prefix == nil {
			return malformed("a rule needs a Filter or a Prefix")
		}
		exp := r.Expiration
		if exp != nil && exp.Days == nil && exp.Date == nil && exp.ExpiredObjectDeleteMarker == nil {
			exp = nil
		}
		if exp == nil && r.NoncurrentVersionExpiration == nil && r.AbortIncompleteMultipartUpload == nil {
			return malformed("a rule needs an action")
		}
		if len(r.ID) > 255 {
			return invalid("a rule ID is at most 255 characters")
		}
		if r.ID == "" {
			r.ID = randomRuleID()
		}
		if ids[r.ID] {
			return invalid("rule ID " + r.ID + " is used twice")
		}
		ids[r.ID] = true
		if exp != nil {
			if exp.Days != nil && exp.Date != nil {
				return malformed("an Expiration has Days or a Date, not both")
			}
			if exp.Days != nil && *exp.Days < 1 {
				return invalid("expiration Days must be at least 1")
			}
			if exp.Date != nil {
				d, err := time.Parse(time.RFC3339, *exp.Date)
				if err != nil || !d.Equal(d.UTC().Truncate(24*time.Hour)) {
					return malformed("an expiration Date must be midnight UTC")
				}
			}
		}
		if n := r.NoncurrentVersionExpiration; n != nil && (n.NoncurrentDays == nil || *n.NoncurrentDays < 1) {
			return invalid("NoncurrentDays must be at least 1")
		}
		if a := r.AbortIncompleteMultipartUpload; a != nil && (a.DaysAfterInitiation == nil || *a.DaysAfterInitiation < 1) {
			return invalid("DaysAfterInitiation must be at least 1")
		}
		rule := lifecycleRule{ID: r.ID, Status: r.Status, Expiration: exp,
			NoncurrentVersionExpiration: r.NoncurrentVersionExpiration, AbortIncompleteMultipartUpload: r.AbortIncompleteMultipartUpload}
		if f := r.Filter; f != nil {
			prefix, tags := f.Prefix, f.Tags
			if f.And != nil {
				if f.And.Prefix != nil {
					prefix = f.And.Prefix
				}
				tags = append(tags, f.And.Tags...)
			}
			if len(tags) > 0 && r.AbortIncompleteMultipartUpload != nil {
				return nil, &s3Refusal{http.StatusBadRequest, "InvalidRequest", "AbortIncompleteMultipartUpload cannot apply to a filter with tags"}
			}
			if (prefix == nil || *prefix == "") && len(tags) == 0 {
				empty := ""
				rule.Prefix = &empty
			} else {
				if prefix != nil && *prefix == "" {
					prefix = nil
				}
				rule.Filter = &lifecycleFilter{Prefix: prefix, Tags: tags}
			}
		} else {
			rule.Prefix = r.Prefix
		}
		out.Rules = append(out.Rules, rule)
	}
	sort.Slice(out.Rules, func(i, j int) bool { return out.Rules[i].ID < out.Rules[j].ID })
	b, err := xml.Marshal(out)
	if err != nil {
		return nil, &s3Refusal{http.StatusInternalServerError, "InternalError", err.Error()}
	}
	return b, nil
}

func (e *Emulator) getBucketLifecycle(w *s3ErrorWriter, _ *http.Request, bucket string, _ []byte) {
	doc := e.settings(bucket).Lifecycle
	if len(doc) == 0 {
		w.refuse(http.StatusNotFound, "NoSuchLifecycleConfiguration", "the bucket has no lifecycle configuration")
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(doc)
}

func (e *Emulator) putBucketLifecycle(w *s3ErrorWriter, _ *http.Request, bucket string, body []byte) {
	doc, refusal := parseLifecycle(body)
	if refusal != nil {
		w.refuse(refusal.status, refusal.code, refusal.reason)
		return
	}
	e.updateSettings(bucket, func(s *bucketSettings) { s.Lifecycle = doc })
	w.WriteHeader(http.StatusOK)
}

func (e *Emulator) deleteBucketLifecycle(w *s3ErrorWriter, _ *http.Request, bucket string, _ []byte) {
	e.updateSettings(bucket, func(s *bucketSettings) { s.Lifecycle = nil })
	w.WriteHeader(http.StatusNoContent)
}
