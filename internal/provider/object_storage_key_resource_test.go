// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// keyWorks signs a download with the key pair in state and fetches an
// object through the emulator's S3 side.
func keyWorks(e *emulator.Emulator, want int) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		rs, ok := s.RootModule().Resources["hostup_object_storage_key.test"]
		if !ok {
			return fmt.Errorf("no hostup_object_storage_key.test in state")
		}
		return signAndGet(e, rs.Primary.Attributes["access_key_id"], rs.Primary.Attributes["secret_access_key"], want)
	}
}

// startKeyEmulator starts an emulator holding media/seed.txt, the object
// signAndGet fetches.
func startKeyEmulator(t *testing.T) *emulator.Emulator {
	t.Helper()
	e := startEmulator(t, emulator.Options{})
	if err := e.PutObject("media", "seed.txt", []byte("seed")); err != nil {
		t.Fatal(err)
	}
	return e
}

// keyConfig is hostup_object_storage_key.test, labelled label, against e.
func keyConfig(e *emulator.Emulator, label string) string {
	return providerBlock(e) + fmt.Sprintf("\nresource \"hostup_object_storage_key\" \"test\" {\n  label = %q\n}\n", label)
}

func signAndGet(e *emulator.Emulator, access, secret string, want int) error {
	signer, err := hostups3.NewSigner(hostups3.Config{Endpoint: e.S3URL(), Region: emulator.Region, AccessKeyID: access, SecretAccessKey: secret})
	if err != nil {
		return err
	}
	p, err := signer.Presign(context.Background(), hostups3.PresignInput{Bucket: "media", Key: "seed.txt", Action: presignedurl.Download, SignedAt: e.Now(), Expires: time.Hour})
	if err != nil {
		return err
	}
	status, body, err := emulatortest.Do(http.MethodGet, p.URL, "", nil)
	if err != nil || status != want {
		return fmt.Errorf("GET with the key pair: HTTP %d (want %d): %s %v", status, want, body, err)
	}
	return nil
}

// A key pair is created, works on S3, keeps its secret in state as
// sensitive, plans no changes, and is deleted on destroy.
func TestObjectStorageKeyResource_lifecycle(t *testing.T) {
	unsetEnv(t)
	e := startKeyEmulator(t)
	config := keyConfig(e, "ci-signing")
	var access, secret string
	unitTest(t, resource.TestCase{
		ProtoV6ProviderFactories: protoV6ProviderFactories,
		CheckDestroy: func(*terraform.State) error {
			return signAndGet(e, access, secret, http.StatusForbidden) // deleted: refused
		},
		Steps: []resource.TestStep{
			{
				Config: config,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("hostup_object_storage_key.test", tfjsonpath.New("label"), knownvalue.StringExact("ci-signing")),
					statecheck.ExpectKnownValue("hostup_object_storage_key.test", tfjsonpath.New("access_key_id"), knownvalue.StringRegexp(regexp.MustCompile(`^HU[A-Z0-9]{18}$`))),
					statecheck.ExpectSensitiveValue("hostup_object_storage_key.test", tfjsonpath.New("secret_access_key")),
				},
				Check: resource.ComposeTestCheckFunc(keyWorks(e, http.StatusOK), func(s *terraform.State) error {
					attrs := s.RootModule().Resources["hostup_object_storage_key.test"].Primary.Attributes
					access, secret = attrs["access_key_id"], attrs["secret_access_key"]
					return nil
				}),
			},
			{Config: config, PlanOnly: true},
			{
				Config:        config,
				ResourceName:  "hostup_object_storage_key.test",
				ImportState:   true,
				ImportStateId: "HUANYTHING",
				ExpectError:   regexp.MustCompile(`(?i)resource import not implemented|does not support import`),
			},
		},
	})
}

// HostUp refuses to delete the account's last key pair; the diagnostic says
// why and what to do, and nothing is lost.
func TestObjectStorageKeyResource_lastKeyRefused(t *testing.T) {
	unsetEnv(t)
	e := startKeyEmulator(t)
	config := keyConfig(e, "only-key")
	unitSteps(t,
		resource.TestStep{
			Config: config,
			Check: func(*terraform.State) error {
				// Out of band, the emulator's own pair goes: this one is the last.
				status, body, err := emulatortest.Do(http.MethodDelete, e.APIURL()+"/object-storage/keys/"+
					base64.StdEncoding.EncodeToString([]byte(emulator.DefaultAccessKeyID)), "", nil, "X-API-Key", emulator.DefaultAPIKey)
				if err != nil || status != http.StatusOK {
					return fmt.Errorf("deleting the emulator's pair: %d %s %v", status, body, err)
				}
				return nil
			},
		},
		resource.TestStep{
			Config:      config,
			Destroy:     true,
			ExpectError: regexp.MustCompile(`Cannot Delete the Last S3 Key Pair(.|\n)*an\s+account\s+keeps\s+at\s+least\s+one\s+S3\s+key\s+pair(.|\n)*Create\s+another\s+pair\s+first`),
		},
		resource.TestStep{
			// Still there and still working; another pair lets the final destroy through.
			Config: config,
			Check: resource.ComposeTestCheckFunc(keyWorks(e, http.StatusOK), func(*terraform.State) error {
				e.AddKeyPair("HUSPAREKEY", "spare-secret")
				return nil
			}),
		},
	)
}
