// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"crypto/md5" //nolint:gosec // S3 ETags
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

func md5Hex(b []byte) string {
	sum := md5.Sum(b) //nolint:gosec // S3 ETags
	return hex.EncodeToString(sum[:])
}

// Upload from a file, no changes on a second plan, an update when the file
// changes, import as bucket/key, an out-of-band change planned as an
// update, and an out-of-band deletion uploaded again.
func TestObjectResource_lifecycle(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc()}) // S3 clients sign with the real clock
	file := filepath.Join(t.TempDir(), "app.tar.gz")
	v1, v2 := []byte("release one"), []byte("release two, longer")
	if err := os.WriteFile(file, v1, 0o600); err != nil {
		t.Fatal(err)
	}
	config := keyPairAndAPIProviderBlock(e) + fmt.Sprintf(`
resource "hostup_object" "test" {
  bucket        = "deploy-artifacts"
  key           = "releases/app.tar.gz"
  source        = %q
  cache_control = "no-cache"
}
`, file)
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					objectValue("etag", knownvalue.StringExact(md5Hex(v1))),
					objectValue("size", knownvalue.Int64Exact(int64(len(v1)))),
					objectValue("content_type", knownvalue.StringExact("application/gzip")),
					objectValue("cache_control", knownvalue.StringExact("no-cache")),
					objectValue("id", knownvalue.StringExact("deploy-artifacts/releases/app.tar.gz")),
				},
			},
			{Config: config, ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
			{
				PreConfig: func() {
					if err := os.WriteFile(file, v2, 0o600); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction("hostup_object.test", plancheck.ResourceActionUpdate),
						// The new ETag and size are known at plan time.
						plancheck.ExpectKnownValue("hostup_object.test", tfjsonpath.New("etag"), knownvalue.StringExact(md5Hex(v2))),
						plancheck.ExpectKnownValue("hostup_object.test", tfjsonpath.New("size"), knownvalue.Int64Exact(int64(len(v2)))),
					},
				},
				ConfigStateChecks: []statecheck.StateCheck{objectValue("etag", knownvalue.StringExact(md5Hex(v2)))},
			},
			{
				Config:                               config,
				ResourceName:                         "hostup_object.test",
				ImportState:                          true,
				ImportStateId:                        "deploy-artifacts/releases/app.tar.gz",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "key",
				ImportStateVerifyIgnore:              []string{"source"},
			},
			{
				// Changed outside Terraform: the ETag differs, an update is planned.
				PreConfig: func() {
					if err := e.PutObject("deploy-artifacts", "releases/app.tar.gz", []byte("tampered")); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("hostup_object.test", plancheck.ResourceActionUpdate)},
				},
				Check: func(*terraform.State) error { return storedIs(e, "releases/app.tar.gz", v2) },
			},
			{
				// Deleted outside Terraform: uploaded again.
				PreConfig: func() {
					if err := e.DeleteObject("deploy-artifacts", "releases/app.tar.gz"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("hostup_object.test", plancheck.ResourceActionCreate)},
				},
				Check: func(*terraform.State) error { return storedIs(e, "releases/app.tar.gz", v2) },
			},
		},
		CheckDestroy: func(*terraform.State) error {
			if _, err := e.GetObject("deploy-artifacts", "releases/app.tar.gz"); err == nil {
				return fmt.Errorf("the object survived destroy")
			}
			return nil
		},
	})
}

func storedIs(e *emulator.Emulator, key string, want []byte) error {
	got, err := e.GetObject("deploy-artifacts", key)
	if err != nil || string(got) != string(want) {
		return fmt.Errorf("stored %q (%v), want %q", got, err, want)
	}
	return nil
}

// content and content_base64, and the listing data source.
func TestObjectResource_contentAndListing(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc()}) // S3 clients sign with the real clock
	unitSteps(t, resource.TestStep{
		Config: keyPairAndAPIProviderBlock(e) + `
resource "hostup_object" "text" {
  bucket              = "deploy-artifacts"
  key                 = "config/app.json"
  content             = "{\"debug\": false}"
  content_disposition = "attachment; filename=\"app.json\""
}

resource "hostup_object" "binary" {
  bucket         = "deploy-artifacts"
  key            = "config/blob"
  content_base64 = base64encode("\u0000\u0001binary")
}

data "hostup_objects" "config" {
  bucket    = "deploy-artifacts"
  prefix    = "config/"
  delimiter = "/"

  depends_on = [hostup_object.text, hostup_object.binary]
}
`,
		ConfigStateChecks: []statecheck.StateCheck{
			statecheck.ExpectKnownValue("hostup_object.text", tfjsonpath.New("content_type"), knownvalue.StringExact("application/json")),
			statecheck.ExpectKnownValue("hostup_object.binary", tfjsonpath.New("content_type"), knownvalue.StringExact("application/octet-stream")),
			statecheck.ExpectKnownValue("data.hostup_objects.config", tfjsonpath.New("keys"), knownvalue.ListExact([]knownvalue.Check{
				knownvalue.StringExact("config/app.json"), knownvalue.StringExact("config/blob"),
			})),
			statecheck.ExpectKnownValue("data.hostup_objects.config", tfjsonpath.New("objects").AtSliceIndex(0).AtMapKey("etag"),
				knownvalue.StringExact(md5Hex([]byte(`{"debug": false}`)))),
		},
	})
}

// Bad input fails at plan time, before anything is uploaded.
func TestObjectResource_planTimeErrors(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc()}) // S3 clients sign with the real clock
	missing := filepath.Join(t.TempDir(), "missing.tar.gz")
	cases := []struct {
		name, provider, body string
		want                 *regexp.Regexp
	}{
		{"source and content", keyPairAndAPIProviderBlock(e), "source = \"x\"\ncontent = \"y\"",
			regexp.MustCompile(`(?s)Invalid Attribute Combination.*These attributes cannot be configured together:\s+\[source,content,content_base64,content_wo\]`)},
		{"none of them", keyPairAndAPIProviderBlock(e), "",
			regexp.MustCompile(`(?s)Missing Object Content.*set one of source \(a file\), content\s+\(text\), content_base64`)},
		{"missing file", keyPairAndAPIProviderBlock(e), fmt.Sprintf("source = %q", missing),
			regexp.MustCompile(`(?s)Unreadable Source File.*does\s+not\s+exist`)},
		{"a directory", keyPairAndAPIProviderBlock(e), fmt.Sprintf("source = %q", t.TempDir()),
			regexp.MustCompile(`(?s)Unreadable Source File.*is\s+not\s+a\s+regular\s+file`)},
		{"no key pair", providerBlock(e), "content = \"y\"",
			regexp.MustCompile(`(?s)S3 Key Pair Required.*hostup_object works through HostUp.s S3 API.*s3_access_key_id`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			unitSteps(t, resource.TestStep{
				Config:      tc.provider + "resource \"hostup_object\" \"test\" {\n  bucket = \"deploy-artifacts\"\n  key = \"k.tar.gz\"\n" + tc.body + "\n}\n",
				ExpectError: tc.want,
			})
		})
	}
	if b := e.Buckets(); len(b) != 2 && b[0].NumObjects != 0 {
		t.Errorf("a refused configuration uploaded: %+v", b)
	}
}

// A content_type known only at apply is kept, not replaced by the default.
func TestObjectResource_contentTypeKnownAtApply(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc()})
	unitSteps(t, resource.TestStep{
		Config: keyPairAndAPIProviderBlock(e) + `
resource "terraform_data" "type" {
  input = "text/csv"
}

resource "hostup_object" "test" {
  bucket       = "deploy-artifacts"
  key          = "report.bin"
  content      = "a,b"
  content_type = terraform_data.type.output
}
`,
		ConfigStateChecks: []statecheck.StateCheck{objectValue("content_type", knownvalue.StringExact("text/csv"))},
	})
}

// Names S3 servers refuse, or that would not mean what they say, are refused
// at plan time: a key with a leading slash, a bucket name that starts or
// ends with a hyphen, or uses a prefix or suffix S3 reserves.
func TestObjectResource_namesRefusedAtPlanTime(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc()})
	for _, tc := range []struct{ bucket, key, want string }{
		{"deploy-artifacts", "/releases/app.tar.gz", `Object Key Starts With a Slash.*"releases/app.tar.gz".*Remove the leading slash`},
		{"-deploy", "k", `must start and end with a lowercase letter or a digit, not a hyphen`},
		{"deploy-", "k", `must start and end with a lowercase letter or a digit, not a hyphen`},
		{"xn--deploy", "k", `Invalid Bucket Name.*"xn--".*S3 reserves`},
		{"deploy-s3alias", "k", `Invalid Bucket Name.*"-s3alias".*S3 reserves`},
	} {
		t.Run(tc.bucket+"/"+tc.key, func(t *testing.T) {
			unitSteps(t, resource.TestStep{
				Config:      keyPairAndAPIProviderBlock(e) + fmt.Sprintf("resource \"hostup_object\" \"test\" {\n  bucket = %q\n  key = %q\n  content = \"x\"\n}\n", tc.bucket, tc.key),
				ExpectError: regexp.MustCompile("(?s)" + strings.ReplaceAll(tc.want, " ", `\s+`)),
			})
		})
	}
	if n := e.S3Requests()[emulator.OpPutObject]; n != 0 {
		t.Errorf("%d uploads for refused configurations", n)
	}
}
