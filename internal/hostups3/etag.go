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
	sum := md5.Sum(sums) //nolint:gosec // S3's ETag
	return fmt.Sprintf("%s-%d", hex.EncodeToString(sum[:]), parts)
}

// hashingBody hashes a body as the upload reads it. The SDK may seek a
// body (to measure it, or to rewind it for a retry): the hash restarts on a
// seek to the start and is void after any other, so it is only ever the
// hash of one complete, in-order read.
type hashingBody struct {
	r    io.Reader
	hash *etagHash
	new  func() *etagHash
	read int64
	void bool
}

func (b *hashingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	if n > 0 && !b.void {
		_, _ = b.hash.Write(p[:n])
		b.read += int64(n)
	}
	return n, err
}

// Seek is offered only when the body can seek; see seekableHashingBody.
func (b *hashingBody) seek(offset int64, whence int) (int64, error) {
	s, ok := b.r.(io.Seeker)
	if !ok {
		return 0, errors.New("hostups3: body cannot seek")
	}
	pos, err := s.Seek(offset, whence)
	switch {
	case err != nil:
		b.void = true
	case pos == 0:
		b.hash, b.read, b.void = b.new(), 0, false
	case whence == io.SeekCurrent && offset == 0 && pos == b.read:
		// Asking where it is moves nothing.
	default:
		b.void = true
	}
	return pos, err
}

// seekableHashingBody is a hashingBody over a body that can seek, which
// the SDK then rewinds for retries instead of failing them.
type seekableHashingBody struct{ *hashingBody }

func (b seekableHashingBody) Seek(offset int64, whence int) (int64, error) {
	return b.seek(offset, whence)
}

// hashing wraps body so that sum reports the ETag of the bytes read, once
// all size of them were read in order.
func (c *ObjectClient) hashing(body io.Reader, size int64) (io.Reader, func() (string, bool)) {
	b := &hashingBody{r: body, new: func() *etagHash { return c.newETagHash(size) }}
	b.hash = b.new()
	sum := func() (string, bool) {
		if b.void || b.read != size {
			return "", false
		}
		return b.hash.ETag(), true
	}
	if _, ok := body.(io.Seeker); ok {
		return seekableHashingBody{b}, sum
	}
	return b, sum
}
