// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostup

import (
	"context"
	"encoding/json"
	"net/http"
)

// Account is the object-storage overview of the account. Fields the API
// leaves out are zero.
type Account struct {
	Provisioned    bool
	Endpoint       string
	AWSRegion      string
	Region         string
	BucketCount    int64
	KeyCount       int64
	QuotaMaxSizeGB int64
	UsageObjects   int64
	UsageBytes     int64
}

// GetAccount returns the overview, from GET {endpoint}/object-storage.
func (c *Client) GetAccount(ctx context.Context) (*Account, error) {
	var data struct {
		Provisioned bool        `json:"provisioned"`
		Endpoint    string      `json:"endpoint"`
		AWSRegion   string      `json:"awsRegion"`
		Region      string      `json:"region"`
		BucketCount json.Number `json:"bucketCount"`
		KeyCount    json.Number `json:"keyCount"`
		Tenant      struct {
			QuotaMaxSizeGB json.Number `json:"quotaMaxSizeGB"`
		} `json:"tenant"`
		Usage struct {
			NumObjects json.Number `json:"numObjects"`
			SizeBytes  json.Number `json:"sizeBytes"`
		} `json:"usage"`
	}
	if _, err := c.do(ctx, http.MethodGet, []string{"object-storage"}, nil, &data); err != nil {
		return nil, err
	}
	a := &Account{Provisioned: data.Provisioned, Endpoint: data.Endpoint, AWSRegion: data.AWSRegion, Region: data.Region}
	a.BucketCount, _ = data.BucketCount.Int64()
	a.KeyCount, _ = data.KeyCount.Int64()
	a.QuotaMaxSizeGB, _ = data.Tenant.QuotaMaxSizeGB.Int64()
	a.UsageObjects, _ = data.Usage.NumObjects.Int64()
	a.UsageBytes, _ = data.Usage.SizeBytes.Int64()
	return a, nil
}
