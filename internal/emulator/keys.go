// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package emulator

import (
	"crypto/rand"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/aws/aws-sdk-go-v2/aws"
)

// S3 key pairs: the emulator's own (Options.AccessKeyID), and every pair
// made through POST /api/object-storage/keys. All of them sign and verify on
// the S3 side, as HostUp's do.

type keyPair struct {
	secret, label string
}

// credentials returns the pair for an access key ID.
func (e *Emulator) credentials(accessKeyID string) (aws.Credentials, bool) {
	e.mu.Lock()
	defer e.mu.Unlock()
	k, ok := e.keys[accessKeyID]
	if !ok {
		return aws.Credentials{}, false
	}
	return aws.Credentials{AccessKeyID: accessKeyID, SecretAccessKey: k.secret, Source: "emulator"}, true
}

// AddKeyPair makes a key pair valid on the S3 side, as if HostUp had issued it.
func (e *Emulator) AddKeyPair(accessKeyID, secretAccessKey string) {
	e.mu.Lock()
	e.keys[accessKeyID] = keyPair{secret: secretAccessKey, label: "added"}
	e.mu.Unlock()
	_ = e.saveState()
}

func (e *Emulator) keyCount() int {
	e.mu.Lock()
	defer e.mu.Unlock()
	return len(e.keys)
}

const keyAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

func randomString(n int, alphabet string) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = alphabet[int(b[i])%len(alphabet)]
	}
	return string(b)
}

func (e *Emulator) createKey(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Label *string `json:"label"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Label == nil || strings.TrimSpace(*in.Label) == "" {
		e.writeError(w, http.StatusBadRequest, "BAD_REQUEST", "label is required.")
		return
	}
	access := "HU" + randomString(18, keyAlphabet)
	secret := randomString(40, keyAlphabet+"abcdefghijklmnopqrstuvwxyz")
	e.mu.Lock()
	e.keys[access] = keyPair{secret: secret, label: *in.Label}
	e.mu.Unlock()
	if err := e.saveState(); err != nil {
		e.writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "Could not store the key.")
		return
	}
	e.writeData(w, map[string]any{"key": map[string]any{"accessKey": access, "secretKey": secret, "label": *in.Label}})
}

func (e *Emulator) deleteKey(w http.ResponseWriter, r *http.Request) {
	raw, err := base64.StdEncoding.DecodeString(r.PathValue("accessKey"))
	if err != nil {
		e.writeError(w, http.StatusBadRequest, "BAD_REQUEST", "The access key must be base64-encoded.")
		return
	}
	access := string(raw)
	e.mu.Lock()
	_, exists := e.keys[access]
	last := len(e.keys) == 1
	if exists && !last {
		delete(e.keys, access)
	}
	e.mu.Unlock()
	switch {
	case !exists:
		e.writeError(w, http.StatusNotFound, "NOT_FOUND", fmt.Sprintf("Access key %q not found.", access))
	case last:
		e.writeError(w, http.StatusBadRequest, "BAD_REQUEST", "Cannot delete the last access key")
	default:
		if err := e.saveState(); err != nil {
			e.writeError(w, http.StatusInternalServerError, "INTERNAL_ERROR", "Could not store the keys.")
			return
		}
		e.writeData(w, map[string]any{"deleted": true})
	}
}
