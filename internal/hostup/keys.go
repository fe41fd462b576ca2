// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup

import (
	"context"
	"encoding/base64"
	"errors"
	"net/http"
)

// KeyPair is an S3 key pair. The API returns the secret only when the pair
// is created; no endpoint reads or lists pairs.
type KeyPair struct {
	AccessKeyID     string
	SecretAccessKey string
	Label           string
}

// CreateKeyPair creates an S3 key pair, with POST {endpoint}/object-storage/keys.
// It is never retried after the request may have reached the API: a second
// pair would exist that nobody holds the secret of.
func (c *Client) CreateKeyPair(ctx context.Context, label string) (*KeyPair, error) {
	if label == "" {
		return nil, errors.New("hostup: key label is empty")
	}
	var data struct {
		Key *struct {
			AccessKey string `json:"accessKey"`
			SecretKey string `json:"secretKey"`
			Label     string `json:"label"`
		} `json:"key"`
	}
	meta, err := c.do(withoutAmbiguousRetries(ctx), http.MethodPost, []string{"object-storage", "keys"}, map[string]string{"label": label}, &data)
	if err != nil {
		return nil, err
	}
	if data.Key == nil || data.Key.AccessKey == "" || data.Key.SecretKey == "" {
		// Never quote the body: it may hold half a key pair.
		return nil, &ResponseError{StatusCode: meta.StatusCode, RequestID: meta.RequestID, Reason: `response "data" has no "key" with an access key and a secret`, Attempts: meta.Attempts}
	}
	if data.Key.Label == "" {
		data.Key.Label = label
	}
	return &KeyPair{AccessKeyID: data.Key.AccessKey, SecretAccessKey: data.Key.SecretKey, Label: data.Key.Label}, nil
}

// DeleteKeyPair deletes an S3 key pair, with
// DELETE {endpoint}/object-storage/keys/{base64(accessKeyID)}. HostUp refuses
// to delete the account's last pair (400).
func (c *Client) DeleteKeyPair(ctx context.Context, accessKeyID string) error {
	if accessKeyID == "" {
		return errors.New("hostup: access key ID is empty")
	}
	_, err := c.do(ctx, http.MethodDelete, []string{"object-storage", "keys", base64.StdEncoding.EncodeToString([]byte(accessKeyID))}, nil, nil)
	return err
}
