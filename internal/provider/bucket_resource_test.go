// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"errors"
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

// bucketResource is the configuration of hostup_bucket.test, named name.
func bucketResource(name string) string {
	return fmt.Sprintf("\nresource \"hostup_bucket\" \"test\" {\n  name = %q\n}\n", name)
}

// hasBucket says whether the emulator holds a bucket named name.
func hasBucket(e *emulator.Emulator, name string) bool {
	for _, b := range e.Buckets() {
		if b.Name == name {
			return true
		}
	}
	return false
}

// bucketGone checks, after the final destroy, that the emulator has no such bucket.
func bucketGone(e *emulator.Emulator, name string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if hasBucket(e, name) {
			return fmt.Errorf("bucket %q still exists after destroy", name)
		}
		return nil
	}
}

// bucketKept checks that the emulator still holds the bucket named name,
// or fails saying what happened to it.
func bucketKept(e *emulator.Emulator, name, failure string) resource.TestCheckFunc {
	return func(*terraform.State) error {
		if hasBucket(e, name) {
			return nil
		}
		return errors.New(failure)
	}
}

// Create, read, import, a second plan with no changes, destroy.
func TestBucketResource_lifecycle(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{})
	config := providerBlock(e) + bucketResource("build-logs")
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             bucketGone(e, "build-logs"),
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					bucketValue("name", knownvalue.StringExact("build-logs")),
					bucketValue("force_destroy", knownvalue.Bool(false)),
					bucketValue("created", knownvalue.StringExact("2026-02-10T12:00:00Z")),
					bucketValue("num_objects", knownvalue.Int64Exact(0)),
					bucketValue("size_bytes", knownvalue.Int64Exact(0)),
					bucketValue("owner", knownvalue.StringExact(emulator.Owner)),
				},
			},
			{
				Config:                               config,
				ResourceName:                         "hostup_bucket.test",
				ImportState:                          true,
				ImportStateId:                        "build-logs",
				ImportStateVerify:                    true,
				ImportStateVerifyIdentifierAttribute: "name",
			},
			{
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
			{
				// Objects uploaded out of band show up on refresh, with no change planned.
				PreConfig: func() {
					if err := e.PutObject("build-logs", "a.log", []byte("12345")); err != nil {
						t.Fatal(err)
					}
				},
				Config: config + `
data "hostup_bucket" "test" {
  name = hostup_bucket.test.name
}

data "hostup_buckets" "all" {
  depends_on = [hostup_bucket.test]
}

data "hostup_object_storage" "account" {
  depends_on = [hostup_bucket.test]
}
`,
				ConfigStateChecks: []statecheck.StateCheck{
					bucketValue("num_objects", knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue("data.hostup_bucket.test", tfjsonpath.New("size_bytes"), knownvalue.Int64Exact(5)),
					statecheck.ExpectKnownValue("data.hostup_bucket.test", tfjsonpath.New("owner"), knownvalue.StringExact(emulator.Owner)),
					statecheck.ExpectKnownValue("data.hostup_buckets.all", tfjsonpath.New("buckets"), knownvalue.ListExact([]knownvalue.Check{
						knownvalue.ObjectExact(map[string]knownvalue.Check{
							"name": knownvalue.StringExact("build-logs"), "created": knownvalue.StringExact("2026-02-10T12:00:00Z"),
							"size_bytes": knownvalue.Int64Exact(5), "num_objects": knownvalue.Int64Exact(1),
						}),
						knownvalue.ObjectPartial(map[string]knownvalue.Check{"name": knownvalue.StringExact("media")}),
					})),
					statecheck.ExpectKnownValue("data.hostup_object_storage.account", tfjsonpath.New("bucket_count"), knownvalue.Int64Exact(2)),
					statecheck.ExpectKnownValue("data.hostup_object_storage.account", tfjsonpath.New("aws_region"), knownvalue.StringExact("eu-north-1")),
					statecheck.ExpectKnownValue("data.hostup_object_storage.account", tfjsonpath.New("usage"), knownvalue.ObjectExact(map[string]knownvalue.Check{
						"num_objects": knownvalue.Int64Exact(1), "size_bytes": knownvalue.Int64Exact(5),
					})),
				},
			},
			{
				// Emptied again, so the final destroy needs no force_destroy.
				PreConfig: func() {
					if err := e.DeleteObject("build-logs", "a.log"); err != nil {
						t.Fatal(err)
					}
				},
				Config: config,
			},
		},
	})
}

// A bucket deleted outside Terraform is created again by the next apply.
func TestBucketResource_deletedOutOfBand(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{})
	config := providerBlock(e) + bucketResource("scratch")
	unitSteps(t,
		resource.TestStep{Config: config},
		resource.TestStep{
			PreConfig: func() {
				if err := e.DeleteBucket("scratch"); err != nil {
					t.Fatal(err)
				}
			},
			Config: config,
			ConfigPlanChecks: resource.ConfigPlanChecks{
				PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction("hostup_bucket.test", plancheck.ResourceActionCreate)},
			},
			ConfigStateChecks: []statecheck.StateCheck{bucketValue("name", knownvalue.StringExact("scratch"))},
		},
	)
}

// Destroying a bucket that holds objects is refused, naming the count and
// the setting; with force_destroy it deletes the bucket and its objects.
func TestBucketResource_forceDestroy(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{})
	config := func(force bool) string {
		return providerBlock(e) + fmt.Sprintf(`
resource "hostup_bucket" "test" {
  name          = "keep-me"
  force_destroy = %t
}
`, force)
	}
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy:             bucketGone(e, "keep-me"),
		Steps: []resource.TestStep{
			{
				Config: config(false),
				Check: func(*terraform.State) error {
					for _, k := range []string{"a.txt", "b.txt"} {
						if err := e.PutObject("keep-me", k, []byte("data")); err != nil {
							return err
						}
					}
					return nil
				},
			},
			{
				Config:      config(false),
				Destroy:     true,
				ExpectError: regexp.MustCompile(`HostUp Bucket Is Not Empty(.|\n)*"keep-me"\s+holds\s+2\s+objects(.|\n)*force_destroy\s+=\s+true`),
			},
			{
				Config: config(true),
				Check: func(*terraform.State) error {
					if got, err := e.GetObject("keep-me", "a.txt"); err != nil || string(got) != "data" {
						return fmt.Errorf("the refused destroy lost data: %q %v", got, err)
					}
					return nil
				},
			},
		},
	})
}

// Each API failure of bucket management gets the same quality of diagnostic
// as presigning.
func TestBucketResource_apiErrors(t *testing.T) {
	unsetEnv(t)
	cases := []struct {
		name  string
		opts  emulator.Options
		setup func(*emulator.Emulator)
		key   string
		want  *regexp.Regexp
	}{
		{name: "401", key: "wrong", want: regexp.MustCompile(`HostUp API Key Rejected(.|\n)*HTTP\s+status:\s+401`)},
		{name: "403 unverified", opts: emulator.Options{Unverified: true},
			want: regexp.MustCompile(`HostUp Account Not Verified(.|\n)*Verify\s+the\s+account\s+in\s+HostUp's\s+control\s+panel(.|\n)*HTTP\s+status:\s+403`)},
		{name: "429", setup: func(e *emulator.Emulator) { e.SetFaults(emulator.Faults{RateLimitNext: 100, RetryAfter: 1}) },
			want: regexp.MustCompile(`HostUp API Rate Limit Exceeded(.|\n)*HTTP\s+status:\s+429`)},
		{name: "5xx", setup: func(e *emulator.Emulator) {
			e.ReplyNext(repeated(emulator.Reply{Status: 500, Code: "INTERNAL_ERROR", Message: "Backend down."})...)
		}, want: regexp.MustCompile(`HostUp API Error(.|\n)*create\s+bucket\s+"new-bucket"(.|\n)*HTTP\s+status:\s+500`)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := startEmulator(t, tc.opts)
			if tc.setup != nil {
				tc.setup(e)
			}
			key := tc.key
			if key == "" {
				key = emulator.DefaultAPIKey
			}
			unitSteps(t, resource.TestStep{
				Config: fmt.Sprintf(`
provider "hostup" {
  endpoint    = %q
  api_key     = %q
  max_retries = 0
}
`, e.APIURL(), key) + bucketResource("new-bucket"),
				ExpectError: tc.want,
			})
			if hasBucket(e, "new-bucket") {
				t.Error("a failed create left a bucket")
			}
		})
	}
	t.Run("404 data source", func(t *testing.T) {
		e := startEmulator(t, emulator.Options{})
		unitSteps(t, resource.TestStep{
			Config:      providerBlock(e) + "data \"hostup_bucket\" \"missing\" {\n  name = \"no-such-bucket\"\n}\n",
			ExpectError: regexp.MustCompile(`HostUp Bucket Not Found(.|\n)*"no-such-bucket"\s+does\s+not\s+exist(.|\n)*HTTP\s+status:\s+404`),
		})
	})
	t.Run("bucket name checked at plan time", func(t *testing.T) {
		e := startEmulator(t, emulator.Options{})
		unitSteps(t, resource.TestStep{
			Config:      providerBlock(e) + bucketResource("Bad_Name"),
			ExpectError: words("Attribute name must contain only lowercase letters (a-z), digits (0-9) and hyphens (-)"),
		})
		if n := len(e.Requests()); n != 0 {
			t.Errorf("a bad name reached the API %d times", n)
		}
	})
	t.Run("no api key", func(t *testing.T) {
		e := startEmulator(t, emulator.Options{})
		unitSteps(t, resource.TestStep{
			Config:      keyPairProviderBlock(e) + bucketResource("new-bucket"),
			ExpectError: words("hostup_bucket needs HostUp's API, and the provider has no API key: api_key is missing"),
		})
	})
}

// When HostUp does not say how many objects a bucket holds, or gives a
// negative count, destroy is refused rather than risk deleting them: it is
// not sent, and the bucket is still there.
func TestBucketResource_unknownContentsRefused(t *testing.T) {
	unsetEnv(t)
	cases := []struct {
		name, bucket string
		body         string // the bucket as HostUp describes it
	}{
		{"no counts", "opaque", `{"success":true,"data":{"bucket":{"name":"opaque"}}}`},
		{"negative count", "odd-counts", `{"success":true,"data":{"bucket":{"name":"odd-counts","created":"2026-02-10T12:00:00Z","numObjects":-1,"sizeBytes":0}}}`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := startEmulator(t, emulator.Options{})
			config := providerBlock(e) + bucketResource(tc.bucket)
			unitSteps(t,
				resource.TestStep{Config: config},
				resource.TestStep{
					// The refresh and the check before deleting read the bucket so.
					PreConfig: func() {
						e.ReplyNext(repeated(emulator.Reply{Status: 200, Body: []byte(tc.body)})[:2]...)
					},
					Config:      config,
					Destroy:     true,
					ExpectError: regexp.MustCompile(`HostUp Bucket Contents Unknown(.|\n)*Nothing\s+was\s+deleted`),
				},
				resource.TestStep{
					Config: config,
					Check:  bucketKept(e, tc.bucket, "a bucket of unknown contents was deleted"),
				},
			)
		})
	}
}

// A name that is taken gets a diagnostic on name that suggests importing.
func TestBucketResource_nameTaken(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Buckets: []string{"taken"}})
	unitSteps(t, resource.TestStep{
		Config:      providerBlock(e) + bucketResource("taken"),
		ExpectError: regexp.MustCompile(`HostUp Bucket Already Exists(.|\n)*terraform\s+import\s+<resource\s+address>\s+taken`),
	})
}

// A create whose answer is lost, but which HostUp carried out (the bucket
// is empty and new), is recorded in state instead of forgotten.
func TestBucketResource_createdDespiteABadAnswer(t *testing.T) {
	unsetEnv(t)
	e := startEmulator(t, emulator.Options{Now: nowFunc()}) // HostUp's clock and the provider's agree
	unitSteps(t, resource.TestStep{
		PreConfig: func() {
			// The API creates the bucket, but the client gets garbage.
			if err := e.AddBucket("half-made"); err != nil {
				t.Fatal(err)
			}
			e.ReplyNext(emulator.Reply{Status: 200, Body: []byte(`not json`)})
		},
		Config: providerBlock(e) + bucketResource("half-made"),
		ConfigStateChecks: []statecheck.StateCheck{
			bucketValue("owner", knownvalue.StringExact(emulator.Owner)),
		},
	})
}

// A create that fails ambiguously never adopts a bucket this configuration
// cannot be shown to have made: one created before the request was sent,
// or one that holds objects. A later destroy with force_destroy would
// delete them.
func TestBucketResource_ambiguousCreateNeverAdoptsOthersData(t *testing.T) {
	const years = 5 * 365 * 24 * time.Hour
	for name, seed := range map[string]func(e *emulator.Emulator){
		"years old, with objects": func(e *emulator.Emulator) {
			if err := e.AddBucket("someones-data"); err != nil {
				t.Fatal(err)
			}
			for i := range 3 {
				if err := e.PutObject("someones-data", fmt.Sprintf("archive/%d.bin", i), []byte("precious")); err != nil {
					t.Fatal(err)
				}
			}
			e.Advance(years)
		},
		"years old, empty": func(e *emulator.Emulator) {
			if err := e.AddBucket("someones-data"); err != nil {
				t.Fatal(err)
			}
			e.Advance(years)
		},
		"new, with objects": func(e *emulator.Emulator) {
			e.Advance(years)
			if err := e.AddBucket("someones-data"); err != nil {
				t.Fatal(err)
			}
			if err := e.PutObject("someones-data", "a.bin", []byte("precious")); err != nil {
				t.Fatal(err)
			}
		},
	} {
		t.Run(name, func(t *testing.T) {
			unsetEnv(t)
			e := startEmulator(t, emulator.Options{Now: func() time.Time { return time.Now().Add(-years) }})
			seed(e)
			unitTest(t, resource.TestCase{
				ProtoV6ProviderFactories: protoV6ProviderFactories,
				Steps: []resource.TestStep{{
					PreConfig: func() {
						e.ReplyNext(emulator.Reply{Status: 500, Code: "INTERNAL_ERROR", Message: "Backend timed out."})
					},
					Config:      providerBlock(e) + "resource \"hostup_bucket\" \"test\" {\n  name = \"someones-data\"\n  force_destroy = true\n}\n",
					ExpectError: regexp.MustCompile(`HostUp Bucket Creation Uncertain(.|\n)*not\s+recorded(.|\n)*terraform\s+import\s+<resource\s+address>\s+someones-data`),
				}},
				CheckDestroy: bucketKept(e, "someones-data", "the bucket this configuration did not make was deleted"),
			})
		})
	}
}
