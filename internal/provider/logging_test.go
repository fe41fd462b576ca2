// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"github.com/hashicorp/terraform-plugin-log/tflogtest"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

// The API key and the URL's signature and credential never reach a log
// line, while the API traffic fields do.
func TestLogsMaskSecrets(t *testing.T) {
	const apiKey = "hostup-live-4f1c2b7e9a"
	e := emulatortest.Start(t, emulator.Options{APIKeys: []string{apiKey}})

	var out bytes.Buffer
	ctx := tflogtest.RootLogger(context.Background(), &out)
	t.Setenv("TF_LOG_PROVIDER_HOSTUP_API", "TRACE")
	client, err := hostup.NewClient(hostup.Config{Endpoint: e.APIURL(), APIKey: apiKey, Observe: logAPICall})
	if err != nil {
		t.Fatal(err)
	}
	data := &providerData{client: client, secrets: newSecrets(apiKey)}
	m := presignedURLModel{Bucket: types.StringValue("media"), Key: types.StringValue("a.txt"), Action: types.StringValue("upload"), ContentType: types.StringNull()}
	if diags := issuePresignedURL(ctx, data, &m); diags.HasError() {
		t.Fatal(diags)
	}
	url := m.URL.ValueString()
	sig := url[strings.Index(url, "X-Amz-Signature=")+len("X-Amz-Signature="):]
	cred := url[strings.Index(url, "X-Amz-Credential=")+len("X-Amz-Credential="):]
	cred = cred[:strings.IndexByte(cred, '&')]

	// Carelessly logged secrets, in messages and fields, are masked too.
	ctx = data.secrets.maskLogs(ctx)
	tflog.Debug(ctx, "issued "+url+" with key "+apiKey, map[string]any{"url": url, "note": url, "key": apiKey})
	tflog.SubsystemDebug(ctx, apiSubsystem, "issued "+url, map[string]any{"where": url, "api_key": apiKey})

	logs := out.String()
	for name, secret := range map[string]string{"API key": apiKey, "signature": sig, "credential": cred} {
		if strings.Contains(logs, secret) {
			t.Errorf("logs contain the %s:\n%s", name, logs)
		}
	}
	entries, err := tflogtest.MultilineJSONDecode(&out)
	if err != nil {
		t.Fatal(err)
	}
	var traffic map[string]any
	masked := 0
	for _, entry := range entries {
		if msg, _ := entry["@message"].(string); strings.HasPrefix(msg, "issued ") && strings.Count(msg, "***") >= 2 {
			masked++
		}
		if entry["@module"] == "provider."+apiSubsystem && entry["@message"] == "HostUp API call" {
			traffic = entry
		}
	}
	if masked != 2 {
		t.Errorf("want both careless lines logged with their secrets masked, found %d in:\n%s", masked, logs)
	}
	if traffic == nil {
		t.Fatalf("no API traffic entry in:\n%s", logs)
	}
	if traffic["method"] != "POST" || traffic["path"] != "/api/object-storage/buckets/media/presign" ||
		traffic["status"] != float64(200) || traffic["request_id"] != m.RequestID.ValueString() {
		t.Errorf("traffic entry = %v", traffic)
	}
	if _, ok := traffic["duration_ms"]; !ok {
		t.Errorf("traffic entry has no duration: %v", traffic)
	}
}
