// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/google/uuid"
)

// apiPrefix is where the API lives on the emulator, as on cloud.hostup.se.
const apiPrefix = "/api"

// maxRequestBody bounds what the emulator reads of a request body.
const maxRequestBody = 64 << 10

// Envelope selects which of HostUp's two error shapes the emulator answers
// with.
type Envelope int

const (
	// EnvelopeClassic is {"code", "error", "message", "requestId", "timestamp"}.
	EnvelopeClassic Envelope = iota
	// EnvelopeProblem is the RFC 7807 problem document of the /api/v2 endpoints.
	EnvelopeProblem
)

// RecordedRequest is one API request as the emulator received it.
type RecordedRequest struct {
	Method string
	Path   string // escaped, as sent
	Header http.Header
	Body   []byte
}

func (e *Emulator) apiHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST "+apiPrefix+"/object-storage/buckets/{name}/presign", e.handlePresign)
	mux.HandleFunc("GET "+apiPrefix+"/object-storage", e.overview)
	mux.HandleFunc("GET "+apiPrefix+"/object-storage/buckets", e.listBuckets)
	mux.HandleFunc("GET "+apiPrefix+"/object-storage/buckets/{name}", e.getBucket)
	mux.HandleFunc("POST "+apiPrefix+"/object-storage/buckets", e.createBucketAPI)
	mux.HandleFunc("DELETE "+apiPrefix+"/object-storage/buckets/{name}", e.deleteBucketAPI)
	mux.HandleFunc("PUT "+apiPrefix+"/object-storage/buckets/{name}/versioning", e.setVersioningAPI)
	mux.HandleFunc("POST "+apiPrefix+"/object-storage/keys", e.createKey)
	mux.HandleFunc("DELETE "+apiPrefix+"/object-storage/keys/{accessKey}", e.deleteKey)
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		e.writeError(w, http.StatusNotFound, "NOT_FOUND", "No route for "+r.Method+" "+r.URL.Path)
	})
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(io.LimitReader(r.Body, maxRequestBody+1))
		if err != nil {
			e.writeError(w, http.StatusBadRequest, "BAD_REQUEST", "Could not read the request body.")
			return
		}
		rec := RecordedRequest{Method: r.Method, Path: r.URL.EscapedPath(), Header: r.Header.Clone(), Body: body}
		e.record(rec)
		if len(body) > maxRequestBody {
			e.writeError(w, http.StatusRequestEntityTooLarge, "BAD_REQUEST", "Request body too large.")
			return
		}
		r.Body = io.NopCloser(strings.NewReader(string(body)))
		if !strings.HasPrefix(r.URL.Path, apiPrefix+"/") {
			// Like HostUp's web site outside /api: a page, not an API error.
			w.Header().Set("Content-Type", "text/html; charset=utf-8")
			w.WriteHeader(http.StatusNotFound)
			_, _ = io.WriteString(w, "<!doctype html><title>Page not found</title><h1>Page not found</h1>\n")
			return
		}
		if e.applyFaults(w, r, body) {
			return
		}
		if !e.authorized(r) {
			e.writeError(w, http.StatusUnauthorized, "UNAUTHORIZED", "Missing or invalid API key.")
			return
		}
		mux.ServeHTTP(w, r)
	})
}

func (e *Emulator) authorized(r *http.Request) bool {
	key := r.Header.Get("X-API-Key")
	if key == "" {
		return false
	}
	e.mu.Lock()
	defer e.mu.Unlock()
	_, ok := e.apiKeys[key]
	return ok
}

type presignRequest struct {
	Key         *string `json:"key"`
	Action      string  `json:"action"`
	ContentType *string `json:"contentType"`
}

func (e *Emulator) handlePresign(w http.ResponseWriter, r *http.Request) {
	bucket := r.PathValue("name")
	if !e.bucketExists(bucket) {
		e.writeError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Bucket %q not found.", bucket))
		return
	}
	var in presignRequest
	dec := json.NewDecoder(r.Body)
	if err := dec.Decode(&in); err != nil {
		e.writeError(w, http.StatusBadRequest, "BAD_REQUEST", "Request body must be a JSON object.")
		return
	}
	switch {
	case in.Key == nil || *in.Key == "":
		e.writeError(w, http.StatusBadRequest, "BAD_REQUEST", "key is required.")
		return
	case len(*in.Key) > 1024 || !utf8.ValidString(*in.Key):
		e.writeError(w, http.StatusBadRequest, "BAD_REQUEST", "key must be at most 1024 bytes of UTF-8.")
		return
	case in.Action != "download" && in.Action != "upload":
		e.writeError(w, http.StatusBadRequest, "BAD_REQUEST", `action must be "download" or "upload".`)
		return
	}
	contentType := ""
	if in.ContentType != nil {
		contentType = *in.ContentType
	}
	signed, err := e.sign(r.Context(), bucket, *in.Key, in.Action, contentType)
	if err != nil {
		e.writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "Could not presign: "+err.Error())
		return
	}
	e.writeData(w, map[string]any{"url": signed, "expiresIn": int64(e.expires() / time.Second)})
}

func (e *Emulator) overview(w http.ResponseWriter, _ *http.Request) {
	buckets := e.bucketList()
	var objects, size int64
	for _, b := range buckets {
		objects += b.NumObjects
		size += b.SizeBytes
	}
	e.writeData(w, map[string]any{
		"provisioned": true,
		"endpoint":    e.S3URL(),
		"awsRegion":   Region,
		"region":      "Sweden",
		"bucketCount": len(buckets),
		"keyCount":    e.keyCount(),
		"tenant": map[string]any{
			"id": "tenant-emulator", "displayName": "HostUp emulator", "createdAt": e.started.Format(time.RFC3339),
			"quotaMaxSizeGB": 100, "status": "active",
		},
		"usage": map[string]any{"numObjects": objects, "sizeBytes": size},
	})
}

func (e *Emulator) listBuckets(w http.ResponseWriter, _ *http.Request) {
	e.writeData(w, map[string]any{"buckets": e.bucketList()})
}

func (e *Emulator) getBucket(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	b, ok := e.bucketInfo(name)
	if !ok {
		e.writeError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Bucket %q not found.", name))
		return
	}
	e.writeData(w, map[string]any{"bucket": map[string]any{
		"name": b.Name, "sizeBytes": b.SizeBytes, "numObjects": b.NumObjects, "created": b.Created, "owner": Owner,
	}})
}

// BucketInfo is one entry of the bucket listing.
type BucketInfo struct {
	Name       string `json:"name"`
	SizeBytes  int64  `json:"sizeBytes"`
	NumObjects int64  `json:"numObjects"`
	Created    string `json:"created"`
}

func (e *Emulator) bucketList() []BucketInfo {
	names := e.store.bucketNames()
	out := make([]BucketInfo, 0, len(names))
	for _, name := range names {
		if b, ok := e.bucketInfo(name); ok {
			out = append(out, b)
		}
	}
	return out
}

func (e *Emulator) bucketExists(name string) bool {
	ok, err := e.store.backend.BucketExists(name)
	return err == nil && ok
}

func (e *Emulator) timestamp() string {
	return e.now().UTC().Format("2006-01-02T15:04:05.000Z")
}

func (e *Emulator) writeData(w http.ResponseWriter, data any) {
	writeJSON(w, http.StatusOK, map[string]any{
		"success":   true,
		"timestamp": e.timestamp(),
		"requestId": uuid.NewString(),
		"data":      data,
	})
}

// writeError answers in the configured error envelope.
func (e *Emulator) writeError(w http.ResponseWriter, status int, code, message string) {
	e.writeErrorAs(w, e.envelope(), status, code, message)
}

func (e *Emulator) writeErrorAs(w http.ResponseWriter, env Envelope, status int, code, message string) {
	id := uuid.NewString()
	if env == EnvelopeProblem {
		w.Header().Set("Content-Type", "application/problem+json")
		writeJSONRaw(w, status, map[string]any{
			"type":      "https://developer.hostup.se/errors/" + strings.ToLower(code),
			"title":     http.StatusText(status),
			"status":    status,
			"detail":    message,
			"code":      strings.ToLower(code),
			"instance":  "/api/requests/" + id,
			"requestId": id,
			"timestamp": e.timestamp(),
			"errors":    []any{},
		})
		return
	}
	writeJSON(w, status, map[string]any{
		"code":      strings.ToUpper(code),
		"error":     http.StatusText(status),
		"message":   message,
		"requestId": id,
		"timestamp": e.timestamp(),
	})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	writeJSONRaw(w, status, v)
}

func writeJSONRaw(w http.ResponseWriter, status int, v any) {
	b, _ := json.Marshal(v)
	w.WriteHeader(status)
	_, _ = w.Write(b)
}
