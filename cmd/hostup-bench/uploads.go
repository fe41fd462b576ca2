// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"crypto/x509"
	"fmt"
	"log"
	"os"
	"os/exec"
	"path/filepath"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
	"github.com/hostup/terraform-provider-hostup/internal/presignedurl"
)

// One large file uploaded to an S3 endpoint (the emulator, or the shaped
// link in front of it) by the provider and by what a user would run
// instead, each run interleaved.

// uploadResult holds each uploader's wall times, in seconds.
type uploadResult struct {
	apply, client, curl, rclone, aws []float64
	rssKiB                           []float64 // the provider's peak during apply
}

// uploadAll uploads file to bucket at endpoint runs times with: an apply of
// hostup_object, the object client in this process, curl through a
// presigned PUT URL (when withCurl), rclone copyto and aws s3 cp.
func uploadAll(e *emulator.Emulator, b *bench, endpoint, bucket, file string, runs int, withCurl bool) uploadResult {
	env := b.cliEnv("upload-"+bucket, b.plugin, append(b.s3Env(endpoint), "CURL_CA_BUNDLE="+b.certFile)...)
	cfg := hostups3.Config{Endpoint: endpoint, Region: emulator.Region, RootCAs: b.roots(),
		AccessKeyID: emulator.DefaultAccessKeyID, SecretAccessKey: emulator.DefaultSecretAccessKey}
	signer, err := hostups3.NewSigner(cfg)
	if err != nil {
		log.Fatal(err)
	}
	client, err := hostups3.NewObjectClient(cfg)
	if err != nil {
		log.Fatal(err)
	}
	info, err := os.Stat(file)
	if err != nil {
		log.Fatal(err)
	}

	var res uploadResult
	for r := 0; r < runs; r++ {
		key := fmt.Sprintf("uploads/run-%d.bin", r)
		dir := writeConfig(b.work, fmt.Sprintf("upload-%s-%d", bucket, r), fmt.Sprintf(configHeader+`resource "hostup_object" "artifact" {
  bucket = %q
  key    = %q
  source = %q
}
`, bucket, key, file))
		secs, peak := timed(exec.Command(b.cli, "-chdir="+dir, "apply", "-auto-approve", "-no-color", "-lock=false"), env)
		res.apply, res.rssKiB = append(res.apply, secs), append(res.rssKiB, float64(peak))

		f, err := os.Open(file)
		if err != nil {
			log.Fatal(err)
		}
		start := time.Now()
		if _, err := client.Put(context.Background(), hostups3.PutInput{Bucket: bucket, Key: key + ".client", Body: f, Size: info.Size()}); err != nil {
			log.Fatal(err)
		}
		res.client = append(res.client, time.Since(start).Seconds())
		f.Close()

		keys := []string{key, key + ".client", key + ".rclone", key + ".aws"}
		if withCurl {
			p, err := signer.Presign(context.Background(), hostups3.PresignInput{Bucket: bucket, Key: key + ".curl",
				Action: presignedurl.Upload, SignedAt: time.Now(), Expires: time.Hour})
			if err != nil {
				log.Fatal(err)
			}
			secs, _ := timed(exec.Command("curl", "-sS", "--fail", "-o", "/dev/null", "-X", "PUT", "--upload-file", file, p.URL), env)
			res.curl = append(res.curl, secs)
			keys = append(keys, key+".curl")
		}
		secs, _ = timed(exec.Command(b.rclone, "copyto", file, fmt.Sprintf("hostup:%s/%s.rclone", bucket, key)), b.rcloneEnv(endpoint))
		res.rclone = append(res.rclone, secs)
		secs, _ = timed(exec.Command(b.aws, "s3", "cp", "--only-show-errors", "--endpoint-url", endpoint, file, fmt.Sprintf("s3://%s/%s.aws", bucket, key)), b.awsEnv())
		res.aws = append(res.aws, secs)
		for _, k := range keys {
			if err := e.DeleteObject(bucket, k); err != nil {
				log.Fatalf("%s was not stored: %v", k, err)
			}
		}
	}
	return res
}

// print writes one row per uploader: seconds, MiB/s and the ratio to the
// reference row's time.
func (res uploadResult) print(sizeMiB int, reference string) {
	rows := []struct {
		name string
		secs []float64
	}{
		{fmt.Sprintf("apply with hostup_object (CLI and plan included; %d MiB parts, %d at a time)", hostups3.DefaultPartSize>>20, hostups3.DefaultPartConcurrency), res.apply},
		{"the provider's object client alone, in process (the upload itself)", res.client},
		{"curl --upload-file, presigned PUT (one request)", res.curl},
		{"rclone copyto (defaults: 5 MiB parts, 4 at a time; one PUT below 200 MiB)", res.rclone},
		{"aws s3 cp (defaults: 8 MiB parts, 10 at a time)", res.aws},
	}
	var ref float64
	switch reference {
	case "curl":
		ref = median(res.curl)
	default: // the faster peer
		ref = min(median(res.rclone), median(res.aws))
	}
	fmt.Printf("   %-80s %8s %8s %8s\n", "", "s", "MiB/s", "ratio")
	for _, row := range rows {
		if len(row.secs) == 0 {
			continue
		}
		m := median(row.secs)
		fmt.Printf("   %-80s %8.2f %8.1f %7.2fx\n", row.name, m, float64(sizeMiB)/m, m/ref)
	}
	fmt.Printf("   %-80s %8.1f MiB\n", "provider peak RSS during apply", median(res.rssKiB)/1024)
}

// upload compares, on loopback, the provider's upload of a file of sizeMiB
// with curl's single PUT and the peers' multipart uploads.
func upload(e *emulator.Emulator, b *bench, sizeMiB, runs int) {
	if err := e.AddBucket("uploads"); err != nil {
		log.Fatal(err)
	}
	file := randomFile(filepath.Join(b.work, "artifact.bin"), sizeMiB)
	res := uploadAll(e, b, e.S3URL(), "uploads", file, runs, true)
	fmt.Printf("\n5. Uploading a %d MiB file on loopback (targets: apply within 1.15x of curl, provider peak RSS under 96 MiB; ratios to curl)\n", sizeMiB)
	res.print(sizeMiB, "curl")
	if err := os.Remove(file); err != nil {
		log.Fatal(err)
	}
}

// roots trusts the emulator's certificate, for clients in this process.
func (b *bench) roots() *x509.CertPool {
	pem, err := os.ReadFile(b.certFile)
	if err != nil {
		log.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(pem)
	return roots
}
