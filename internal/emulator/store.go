// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"os"
	"sort"
	"time"

	"github.com/johannesboyne/gofakes3"
	"github.com/johannesboyne/gofakes3/backend/s3afero"
	"github.com/johannesboyne/gofakes3/backend/s3mem"
	"github.com/spf13/afero"
)

// objectStore is the S3 object protocol, served by gofakes3 over memory or a
// directory. Presign verification sits in front of it (s3.go).
type objectStore struct {
	backend *rgwBackend
	handler http.Handler
}

// clockSource adapts the emulator clock to gofakes3.
type clockSource func() time.Time

func (c clockSource) Now() time.Time                  { return c() }
func (c clockSource) Since(t time.Time) time.Duration { return c().Sub(t) }

func newObjectStore(dir string, now func() time.Time) (*objectStore, error) {
	var backend gofakes3.Backend
	if dir == "" {
		backend = s3mem.New(s3mem.WithTimeSource(clockSource(now)))
	} else {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return nil, fmt.Errorf("emulator: object directory: %w", err)
		}
		b, err := s3afero.MultiBucket(afero.NewBasePathFs(afero.NewOsFs(), dir))
		if err != nil {
			return nil, fmt.Errorf("emulator: object directory: %w", err)
		}
		backend = b
	}
	rgw := &rgwBackend{Backend: backend, onDisk: dir != "", now: now}
	faker := gofakes3.New(rgw,
		gofakes3.WithTimeSource(clockSource(now)),
		// Presigned requests carry their date in the query, which s3.go
		// checks against the emulator clock; gofakes3's header check is off.
		gofakes3.WithTimeSkewLimit(0),
		gofakes3.WithLogger(gofakes3.DiscardLog()),
	)
	return &objectStore{backend: rgw, handler: faker.Server()}, nil
}

func (s *objectStore) createBucket(name string) error {
	exists, err := s.backend.BucketExists(name)
	if err != nil || exists {
		return err
	}
	return s.backend.CreateBucket(name)
}

func (s *objectStore) put(bucket, key string, data []byte) error {
	_, err := s.backend.PutObject(bucket, key, map[string]string{"Content-Type": "application/octet-stream"}, bytes.NewReader(data), int64(len(data)), nil)
	return err
}

func (s *objectStore) get(bucket, key string) ([]byte, error) {
	obj, err := s.backend.GetObject(bucket, key, nil)
	if err != nil {
		return nil, err
	}
	defer obj.Contents.Close()
	return io.ReadAll(obj.Contents)
}

// usage counts a bucket's objects and bytes.
func (s *objectStore) usage(bucket string) (objects, size int64) {
	list, err := s.backend.ListBucket(bucket, nil, gofakes3.ListBucketPage{})
	if err != nil {
		return 0, 0
	}
	for _, c := range list.Contents {
		objects++
		size += c.Size
	}
	return objects, size
}

// bucketNames lists the buckets, sorted by name.
func (s *objectStore) bucketNames() []string {
	buckets, err := s.backend.ListBuckets()
	if err != nil {
		return nil
	}
	names := make([]string, 0, len(buckets))
	for _, b := range buckets {
		names = append(names, b.Name)
	}
	sort.Strings(names)
	return names
}

// deleteBucket removes a bucket and everything in it.
func (s *objectStore) deleteBucket(name string) error {
	s.backend.forgetVersions(name)
	list, err := s.backend.ListBucket(name, nil, gofakes3.ListBucketPage{})
	if err != nil {
		return err
	}
	for _, c := range list.Contents {
		if _, err := s.backend.DeleteObject(name, c.Key); err != nil {
			return err
		}
	}
	return s.backend.DeleteBucket(name)
}
