// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package provider_test

import (
	"bytes"
	"crypto/rand"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/emulator/emulatortest"
	"github.com/hostup/terraform-provider-hostup/internal/s3test"
)

// Twenty objects, one of them above the multipart threshold, applied while
// S3 answers 500 and 503 SlowDown, drops and resets connections and loses
// answers (never more than twice in a row for one request, within the
// default max_retries): every object arrives intact, state records what
// exists, the next plan is empty, and no multipart upload is left behind.
func TestObjectResource_applyUnderS3Faults(t *testing.T) {
	unsetEnv(t)
	log := &emulatortest.Log{}
	e := startEmulator(t, emulator.Options{Buckets: []string{"deploy-artifacts"}, Now: nowFunc(), RequestLog: log})
	dir := t.TempDir()
	want := map[string][]byte{}
	var config strings.Builder
	config.WriteString(keyPairAndAPIProviderBlock(e))
	for i := range 20 {
		size := 1 << (i % 14) // 1 B to 8 KiB
		if i == 19 {
			size = 101<<20 + 7 // 21 parts
		}
		data := make([]byte, size)
		_, _ = rand.Read(data)
		file := filepath.Join(dir, fmt.Sprintf("f%02d.bin", i))
		if err := os.WriteFile(file, data, 0o600); err != nil {
			t.Fatal(err)
		}
		key := fmt.Sprintf("site/f%02d.bin", i)
		want[key] = data
		fmt.Fprintf(&config, "resource \"hostup_object\" \"f%02d\" {\n  bucket = \"deploy-artifacts\"\n  key    = %q\n  source = %q\n}\n", i, key, file)
	}
	ep := s3test.ForEmulator(t, e)
	e.SetS3Faults(emulator.S3Faults{InternalErrorRate: 0.08, SlowDownRate: 0.08, DropRate: 0.04, ResetRate: 0.04, LostAnswerRate: 0.04, MaxConsecutive: 2})
	unitSteps(t,
		resource.TestStep{
			Config: config.String(),
			Check: func(s *terraform.State) error {
				for key, data := range want {
					got, err := e.GetObject("deploy-artifacts", key)
					if err != nil || !bytes.Equal(got, data) {
						return fmt.Errorf("%s: stored %d bytes (%v), want %d", key, len(got), err, len(data))
					}
				}
				for addr, rs := range s.RootModule().Resources {
					etag, _, err := ep.Head("deploy-artifacts", rs.Primary.Attributes["key"])
					if err != nil || etag != rs.Primary.Attributes["etag"] {
						return fmt.Errorf("%s: state says ETag %s, S3 says %s (%v)", addr, rs.Primary.Attributes["etag"], etag, err)
					}
				}
				if ups, err := ep.MultipartUploads("deploy-artifacts"); err != nil || ups != 0 {
					return fmt.Errorf("%d multipart uploads left behind (%v)", ups, err)
				}
				return nil
			},
		},
		resource.TestStep{Config: config.String(), ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}}},
	)
	if n := strings.Count(log.String(), "injected fault"); n == 0 {
		t.Error("no fault was injected")
	} else {
		t.Logf("%d faults injected", n)
	}
	if n := e.S3Requests(); n[emulator.OpUploadPart] < 21 {
		t.Errorf("%d UploadPart requests for a 21-part object", n[emulator.OpUploadPart])
	}
}
