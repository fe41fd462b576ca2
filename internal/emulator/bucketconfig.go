// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/xml"
	"io"
	"net/http"
)

// Bucket settings the emulator answers itself rather than gofakes3, which
// has none of them (it would take PUT ?cors for a CreateBucket).

// maxConfigBody bounds a bucket configuration document.
const maxConfigBody = 1 << 20

// s3Namespace is the XML namespace of S3's documents.
const s3Namespace = "http://s3.amazonaws.com/doc/2006-03-01/"

// bucketSettings are a bucket's settings kept by the emulator; with a
// directory they are saved with the rest of the state.
type bucketSettings struct {
	CORS []corsRule `json:"cors,omitempty"`
	// Lifecycle is the configuration as RGW reads it back (lifecycle.go).
	Lifecycle []byte `json:"lifecycle,omitempty"`
	// Policy is the document as sent: RGW answers it byte for byte.
	Policy []byte `json:"policy,omitempty"`
}

func (s bucketSettings) empty() bool {
	return len(s.CORS) == 0 && len(s.Lifecycle) == 0 && len(s.Policy) == 0
}

// settings is a copy of a bucket's settings.
func (e *Emulator) settings(bucket string) bucketSettings {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.bucketSettings[bucket]
}

// updateSettings changes a bucket's settings and saves the state.
func (e *Emulator) updateSettings(bucket string, change func(*bucketSettings)) {
	e.mu.Lock()
	s := e.bucketSettings[bucket]
	change(&s)
	if s.empty() {
		delete(e.bucketSettings, bucket)
	} else {
		e.bucketSettings[bucket] = s
	}
	e.mu.Unlock()
	_ = e.saveState()
}

// serveBucketConfig answers op when it is a bucket setting the emulator
// keeps; it reports whether it did.
func (e *Emulator) serveBucketConfig(w *s3ErrorWriter, r *http.Request, op, bucket string) bool {
	handler, ok := map[string]func(w *s3ErrorWriter, r *http.Request, bucket string, body []byte){
		"PutBucketVersioning":   e.putBucketVersioning,
		"GetBucketCors":         e.getBucketCors,
		"PutBucketCors":         e.putBucketCors,
		"DeleteBucketCors":      e.deleteBucketCors,
		"GetBucketPolicy":       e.getBucketPolicy,
		"PutBucketPolicy":       e.putBucketPolicy,
		"DeleteBucketPolicy":    e.deleteBucketPolicy,
		"GetBucketLifecycle":    e.getBucketLifecycle,
		"PutBucketLifecycle":    e.putBucketLifecycle,
		"DeleteBucketLifecycle": e.deleteBucketLifecycle,
		// Refused by RGW 16.2 as HostUp runs it: there is no server-side
		// encryption backend (400 InvalidArgument) and static websites are
		// off (405 MethodNotAllowed). GET and DELETE ?encryption it does
		// not know: they are a listing and a DeleteBucket, as in gofakes3.
		"PutBucketEncryption": refuseWith(http.StatusBadRequest, "InvalidArgument", "server-side encryption is not offered (RGW has no SSE backend configured)"),
		"PutBucketWebsite":    refuseWith(http.StatusMethodNotAllowed, "MethodNotAllowed", "static websites are not offered"),
		"GetBucketWebsite":    refuseWith(http.StatusMethodNotAllowed, "MethodNotAllowed", "static websites are not offered"),
		"DeleteBucketWebsite": refuseWith(http.StatusMethodNotAllowed, "MethodNotAllowed", "static websites are not offered"),
	}[op]
	if !ok {
		return false
	}
	if !e.bucketExists(bucket) {
		w.refuse(http.StatusNotFound, "NoSuchBucket", "no bucket "+bucket)
		return true
	}
	var body []byte
	if r.Method == http.MethodPut {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, maxConfigBody+1))
		switch {
		case w.mismatched():
			w.refuse(http.StatusBadRequest, "XAmzContentSHA256Mismatch", "the body does not match x-amz-content-sha256")
			return true
		case err != nil:
			w.refuse(http.StatusBadRequest, "IncompleteBody", "reading the request body: "+err.Error())
			return true
		case len(body) > maxConfigBody:
			w.refuse(http.StatusBadRequest, "InvalidArgument", "the configuration is larger than 1 MiB")
			return true
		}
	}
	handler(w, r, bucket, body)
	return true
}

// writeXML answers 200 with an XML document, as RGW does.
func writeXML(w http.ResponseWriter, v any) {
	b, err := xml.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/xml")
	w.WriteHeader(http.StatusOK)
	_, _ = w.Write([]byte(xml.Header))
	_, _ = w.Write(b)
}

// putBucketVersioning sets Enabled or Suspended; RGW refuses any other
// Status with InvalidArgument (gofakes3 would answer MalformedXML).
func (e *Emulator) putBucketVersioning(w *s3ErrorWriter, _ *http.Request, bucket string, body []byte) {
	var in struct {
		Status string `xml:"Status"`
	}
	if err := xml.Unmarshal(body, &in); err != nil {
		w.refuse(http.StatusBadRequest, "MalformedXML", "the versioning configuration does not parse: "+err.Error())
		return
	}
	if in.Status != "Enabled" && in.Status != "Suspended" {
		w.refuse(http.StatusBadRequest, "InvalidArgument", "versioning Status must be Enabled or Suspended, not "+in.Status)
		return
	}
	if _, err := e.SetBucketVersioning(bucket, in.Status == "Enabled"); err != nil {
		w.refuse(http.StatusNotImplemented, "NotImplemented", err.Error())
		return
	}
	w.WriteHeader(http.StatusOK)
}

// refuseWith answers an operation the server does not offer.
func refuseWith(status int, code, reason string) func(w *s3ErrorWriter, r *http.Request, bucket string, body []byte) {
	return func(w *s3ErrorWriter, _ *http.Request, _ string, _ []byte) { w.refuse(status, code, reason) }
}
