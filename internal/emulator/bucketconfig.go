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

// serveBucketConfig answers op when it is a bucket setting the emulator
// keeps; it reports whether it did.
func (e *Emulator) serveBucketConfig(w *s3ErrorWriter, r *http.Request, op, bucket string) bool {
	handler, ok := map[string]func(w *s3ErrorWriter, r *http.Request, bucket string, body []byte){
		"PutBucketVersioning": e.putBucketVersioning,
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
