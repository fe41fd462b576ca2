// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostups3

import (
	"crypto/md5" //nolint:gosec // S3's ETag is built from MD5s
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
)

// S3's ETag of an object is the MD5 of its bytes when it was stored in one
// request, and hex(MD5(MD5(part 1) || ... || MD5(part N)))-N when it was
// uploaded in N parts. Both depend only on the bytes and the part size, so
// whoever knows how Put splits an object knows its ETag before uploading:
// the provider plans it, and Put confirms an upload whose answer was lost.

// maxUploadParts is S3's limit on the parts of one upload.
const maxUploadParts = 10000

// partSizeFor is the part size Put uses for an object of size bytes: the
// client's, or just enough to stay within maxUploadParts.
func (c *ObjectClient) partSizeFor(size int64) int64 {
	if size/c.partSize >= maxUploadParts {
		return size/maxUploadParts + 1
	}
	return c.partSize
}

// ETag returns the ETag an object of size bytes read from r gets when Put
// stores it.
func (c *ObjectClient) ETag(r io.Reader, size int64) (string, error) {
	if ra, ok := r.(io.ReaderAt); ok && size > c.threshold {
		return c.partsETag(ra, size)
	}
	h := c.newETagHash(size)
	n, err := io.Copy(h, r)
	if err != nil {
		return "", err
	}
	if n != size {
		return "", fmt.Errorf("hostups3: read %d bytes where %d were expected", n, size)
	}
	return h.ETag(), nil
}

// partsETag is the multipart ETag of size bytes of r, its parts hashed in
// parallel, one per processor at a time: a plan of a large file takes about
// 1/GOMAXPROCS of the time of one MD5 pass.
func (c *ObjectClient) partsETag(r io.ReaderAt, size int64) (string, error) {
	part := c.partSizeFor(size)
	n := int((size + part - 1) / part)
	sums := make([]byte, n*md5.Size)
	var (
		next atomic.Int64
		wg   sync.WaitGroup
		mu   sync.Mutex
		err  error
	)
	for range min(runtime.GOMAXPROCS(0), n) {
		wg.Go(func() {
			buf := make([]byte, 256<<10)
			for i := next.Add(1) - 1; i < int64(n); i = next.Add(1) - 1 {
				h, length := md5.New(), min(part, size-i*part) //nolint:gosec // S3's ETag
				got, rerr := io.CopyBuffer(h, io.NewSectionReader(r, i*part, length), buf)
				if rerr == nil && got != length {
					rerr = fmt.Errorf("hostups3: read %d bytes of part %d where %d were expected", got, i+1, length)
				}
				if rerr != nil {
					mu.Lock()
					err = errors.Join(err, rerr)
					mu.Unlock()
					return
				}
				h.Sum(sums[i*md5.Size : i*md5.Size : (i+1)*md5.Size])
			}
		})
	}
	wg.Wait()
	if err != nil {
		return "", err
	}
	return multipartETag(sums, n), nil
}

// multipartETag is S3's ETag of an object stored in parts, from the parts'
// MD5s concatenated.
func multipartETag(sums []byte, parts int) string {
	sum := md5.Sum(sums) //nolint:gosec // S3's ETag
	return fmt.Sprintf("%s-%d", hex.EncodeToString(sum[:]), parts)
}

// newETagHash hashes an object as Put will send it.
func (c *ObjectClient) newETagHash(size int64) *etagHash {
	if size > c.threshold {
		return &etagHash{part: md5.New(), partSize: c.partSizeFor(size), multipart: true} //nolint:gosec // S3's ETag
	}
	return &etagHash{part: md5.New()} //nolint:gosec // S3's ETag
}

// etagHash is an io.Writer that computes an S3 ETag.
type etagHash struct {
	part      hash.Hash
	partSize  int64
	multipart bool
	inPart    int64
	sums      []byte // the parts' MD5s, concatenated
	parts     int
}

func (h *etagHash) Write(b []byte) (int, error) {
	if !h.multipart {
		return h.part.Write(b)
	}
	n := len(b)
	for len(b) > 0 {
		room := h.partSize - h.inPart
		chunk := b
		if int64(len(chunk)) > room {
			chunk = b[:room]
		}
		h.part.Write(chunk)
		h.inPart += int64(len(chunk))
		b = b[len(chunk):]
		if h.inPart == h.partSize {
			h.endPart()
		}
	}
	return n, nil
}

func (h *etagHash) endPart() {
	h.sums = h.part.Sum(h.sums)
	h.parts++
	h.part.Reset()
	h.inPart = 0
}

// ETag is the ETag of everything written, without quotes.
func (h *etagHash) ETag() string {
	if !h.multipart {
		return hex.EncodeToString(h.part.Sum(nil))
	}
	sums, parts := h.sums, h.parts
	if h.inPart > 0 || parts == 0 {
		sums, parts = h.part.Sum(append([]byte(nil), sums...)), parts+1
	}
	return multipartETag(sums, parts)
}

// hashingBody hashes a body that cannot seek as the upload reads it: the
// SDK cannot rewind it either, so the hash is of one in-order read, to be
// trusted only when that read was complete.
type hashingBody struct {
	r    io.Reader
	hash *etagHash
	read int64
}

func (b *hashingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if n > 0 {
		_, _ = b.hash.Write(p[:n])
		b.read += int64(n)
	}
	return n, err
}

// hashing returns the body to upload and a function that reports the ETag
// of the bytes it holds, once the upload is over. A body that can seek (a
// file, bytes in memory) is hashed only when sum is called, by reading it
// again: most uploads never need it, and hashing as the upload reads would
// put a second MD5 of every byte on the upload's path. Another body is
// hashed as the upload reads it, and sum reports the ETag once all size
// bytes were read in order.
func (c *ObjectClient) hashing(body io.Reader, size int64) (io.Reader, func() (string, bool)) {
	if s, ok := body.(io.ReadSeeker); ok {
		return body, func() (string, bool) {
			if _, err := s.Seek(0, io.SeekStart); err != nil {
				return "", false
			}
			etag, err := c.ETag(s, size)
			return etag, err == nil
		}
	}
	b := &hashingBody{r: body, hash: c.newETagHash(size)}
	return b, func() (string, bool) {
		if b.read != size {
			return "", false
		}
		return b.hash.ETag(), true
	}
}
