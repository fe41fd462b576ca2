// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"time"

	"github.com/johannesboyne/gofakes3"
)

// Buckets through the API: created and deleted here, stored on the S3 side,
// so a bucket made by the API is visible on S3 and its object count comes
// from S3.

// bucketNameRule is HostUp's rule for bucket names, with S3's about their ends
// (Ceph RGW refuses a leading or trailing hyphen).
var bucketNameRule = regexp.MustCompile(`^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$`)

// Owner is what GET /object-storage/buckets/{name} reports as the owner,
// in the tenant$user form HostUp's backend uses.
const Owner = "client_emulator$main"

func (e *Emulator) createBucketAPI(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Name *string `json:"name"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Name == nil {
		e.writeError(w, http.StatusBadRequest, "BAD_REQUEST", "name is required.")
		return
	}
	name := *in.Name
	if !bucketNameRule.MatchString(name) {
		e.writeError(w, http.StatusBadRequest, "BAD_REQUEST", "Bucket name must be 3-63 characters, lowercase letters, numbers, and hyphens only")
		return
	}
	if e.opts.Unverified {
		e.writeError(w, http.StatusForbidden, "FORBIDDEN", "Cloud features require identity verification")
		return
	}
	e.createMu.Lock()
	exists := e.bucketExists(name)
	var err error
	if !exists {
		err = e.AddBucket(name)
	}
	e.createMu.Unlock()
	switch {
	case exists:
		e.writeError(w, http.StatusConflict, "CONFLICT", fmt.Sprintf("Bucket %q already exists.", name))
		return
	case err != nil:
		e.writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "Could not create the bucket.")
		return
	}
	b, _ := e.bucketInfo(name)
	e.writeData(w, map[string]any{"bucket": map[string]any{"name": b.Name, "created": b.Created, "numObjects": b.NumObjects, "sizeBytes": b.SizeBytes}})
}

func (e *Emulator) deleteBucketAPI(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	if !e.bucketExists(name) {
		e.writeError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Bucket %q not found.", name))
		return
	}
	if err := e.DeleteBucket(name); err != nil {
		e.writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "Could not delete the bucket.")
		return
	}
	e.writeData(w, map[string]any{"deleted": true})
}

// DeleteBucket removes a bucket and every object in it, as HostUp's DELETE
// does; tests use it to delete a bucket out of band.
func (e *Emulator) DeleteBucket(name string) error {
	if err := e.store.deleteBucket(name); err != nil {
		return err
	}
	e.mu.Lock()
	delete(e.created, name)
	delete(e.bucketSettings, name)
	e.mu.Unlock()
	return e.saveState()
}

// bucketInfo describes one bucket, with counts from the S3 side.
func (e *Emulator) bucketInfo(name string) (BucketInfo, bool) {
	if !e.bucketExists(name) {
		return BucketInfo{}, false
	}
	n, size := e.store.usage(name)
	e.mu.Lock()
	created, ok := e.created[name]
	e.mu.Unlock()
	if !ok {
		created = e.started
	}
	return BucketInfo{Name: name, SizeBytes: size, NumObjects: n, Created: created.UTC().Format(time.RFC3339)}, true
}

// Buckets lists the buckets, as GET /object-storage/buckets does.
func (e *Emulator) Buckets() []BucketInfo { return e.bucketList() }

// DeleteObject removes an object directly, bypassing presigned URLs.
func (e *Emulator) DeleteObject(bucket, key string) error {
	_, err := e.store.backend.DeleteObject(bucket, key)
	return err
}

// setVersioningAPI is PUT /object-storage/buckets/{name}/versioning: body
// {"enabled": true|false}, answering the state S3 then reports,
// data.status "Enabled" or "Suspended".
func (e *Emulator) setVersioningAPI(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	var in struct {
		Enabled *bool `json:"enabled"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Enabled == nil {
		e.writeError(w, http.StatusBadRequest, "BAD_REQUEST", "enabled is required.")
		return
	}
	if !e.bucketExists(name) {
		e.writeError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Bucket %q not found.", name))
		return
	}
	status, err := e.SetBucketVersioning(name, *in.Enabled)
	if err != nil {
		if e.opts.Dir != "" {
			e.writeError(w, http.StatusNotImplemented, "NOT_IMPLEMENTED", "Versioning is not available in an emulator with a directory (-dir).")
			return
		}
		e.writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "Could not set the bucket's versioning.")
		return
	}
	e.writeData(w, map[string]any{"status": status})
}

// SetBucketVersioning enables or suspends a bucket's versioning, as the
// API's PUT .../versioning does, and returns the status S3 then reports.
// An emulator with a directory refuses it.
func (e *Emulator) SetBucketVersioning(name string, enabled bool) (string, error) {
	status := gofakes3.VersioningSuspended
	if enabled {
		status = gofakes3.VersioningEnabled
	}
	if err := e.store.backend.SetVersioningConfiguration(name, gofakes3.VersioningConfiguration{Status: status}); err != nil {
		return "", err
	}
	return string(status), nil
}

// BucketVersioning is the versioning status S3 reports for a bucket:
// "Enabled", "Suspended", or "" for a bucket never versioned.
func (e *Emulator) BucketVersioning(name string) string {
	return string(e.store.backend.versioningStatus(name))
}
