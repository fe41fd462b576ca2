// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Command hostup-emulator serves a local HostUp (object-storage API and a
// verifying S3 side) on loopback, for demos and manual testing:
//
//	go run ./cmd/hostup-emulator -bucket demo
//
// It prints a banner with what a provider configuration needs (the API
// endpoint, the S3 endpoint, the API key and the buckets), optionally logs
// each request (-log-requests, secrets masked), optionally writes the URLs as
// JSON to -ready-file once both listeners accept connections, and stops on
// SIGINT or SIGTERM.
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"log"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	var (
		opts             emulator.Options
		keys, buckets    listFlag
		readyFile        string
		certFile         string
		problemEnvelopes bool
		logRequests      bool
	)
	flag.StringVar(&opts.Addr, "addr", "127.0.0.1:0", "API listen address (port 0 picks a free port)")
	flag.StringVar(&opts.S3Addr, "s3-addr", "127.0.0.1:0", "S3 listen address (port 0 picks a free port)")
	flag.Var(&keys, "api-key", "accepted API key (repeatable; default "+emulator.DefaultAPIKey+")")
	flag.Var(&buckets, "bucket", "bucket to create (repeatable)")
	flag.DurationVar(&opts.ExpiresIn, "expires-in", emulator.DefaultExpiresIn, "lifetime of presigned URLs, 1s to 168h (7 days) in whole seconds")
	flag.StringVar(&opts.Dir, "dir", "", "store objects in this directory instead of memory (bucket versioning is then refused: NotImplemented over S3, 501 over the API)")
	flag.BoolVar(&problemEnvelopes, "problem-errors", false, "answer errors as RFC 7807 problem documents")
	flag.BoolVar(&opts.TLS, "tls", false, "serve HTTPS with a generated self-signed certificate")
	flag.StringVar(&certFile, "tls-cert-file", "", "with -tls: write the certificate (PEM) here, for SSL_CERT_FILE")
	flag.StringVar(&readyFile, "ready-file", "", "write {\"api_url\",\"s3_url\",\"s3_access_key_id\",\"s3_secret_access_key\"} JSON here once serving")
	flag.BoolVar(&logRequests, "log-requests", false, "log one line per request to standard error, with why a request was refused: S3 error documents have an empty Message, as RGW's do (API keys and signatures masked)")
	flag.Parse()

	if err := checkExpiresIn(opts.ExpiresIn); err != nil {
		fmt.Fprintln(os.Stderr, "hostup-emulator:", err)
		os.Exit(2)
	}
	if logRequests {
		opts.RequestLog = os.Stderr
	}

	opts.APIKeys, opts.Buckets = keys, buckets
	if problemEnvelopes {
		opts.Envelope = emulator.EnvelopeProblem
	}
	e, err := emulator.New(opts)
	if err != nil {
		log.Fatal(err)
	}
	if err := e.Start(); err != nil {
		log.Fatal(err)
	}
	printBanner(os.Stdout, e, opts)
	if certFile != "" {
		if err := os.WriteFile(certFile, e.CertPEM(), 0o600); err != nil {
			log.Fatal(err)
		}
		fmt.Printf("  certificate: %s (export SSL_CERT_FILE=%s)\n", certFile, certFile)
	}
	if readyFile != "" {
		b, _ := json.Marshal(map[string]string{"api_url": e.APIURL(), "s3_url": e.S3URL(),
			"s3_access_key_id": accessKeyID(opts), "s3_secret_access_key": secretAccessKey(opts)})
		// Write then rename, so a watcher never reads half a file.
		tmp := readyFile + ".tmp"
		if err := os.WriteFile(tmp, b, 0o600); err != nil {
			log.Fatal(err)
		}
		if err := os.Rename(tmp, readyFile); err != nil {
			log.Fatal(err)
		}
	}

	stop := make(chan os.Signal, 1)
	signal.Notify(stop, os.Interrupt, syscall.SIGTERM)
	<-stop
	done := make(chan error, 1)
	go func() { done <- e.Close() }()
	select {
	case err := <-done:
		if err != nil {
			log.Print(err)
		}
	case <-time.After(10 * time.Second):
		log.Print("emulator: shutdown timed out")
	}
}

// checkExpiresIn refuses what is not a SigV4 URL lifetime: 1 s to 7 days, in
// whole seconds.
func checkExpiresIn(d time.Duration) error {
	if d < time.Second || d > 7*24*time.Hour || d%time.Second != 0 {
		return fmt.Errorf("-expires-in %s is not a presigned URL lifetime: use whole seconds from 1s to 168h (7 days), such as 15m", d)
	}
	return nil
}

// printBanner tells a user what to put in their provider configuration.
func printBanner(w io.Writer, e *emulator.Emulator, opts emulator.Options) {
	keys := opts.APIKeys
	if len(keys) == 0 {
		keys = []string{emulator.DefaultAPIKey}
	}
	fmt.Fprintf(w, "HostUp emulator\n")
	fmt.Fprintf(w, "  API endpoint: %s   (provider endpoint, or HOSTUP_ENDPOINT)\n", e.APIURL())
	fmt.Fprintf(w, "  S3 endpoint:  %s   (provider s3_endpoint, or HOSTUP_S3_ENDPOINT: objects and presigned URLs)\n", e.S3URL())
	fmt.Fprintf(w, "  API key:      %s   (provider api_key, or HOSTUP_API_KEY)\n", strings.Join(keys, ", "))
	if len(opts.Buckets) == 0 {
		fmt.Fprintf(w, "  buckets:      none: every presign request answers 404 until one is created (-bucket NAME, or the API's POST /object-storage/buckets)\n")
	} else {
		fmt.Fprintf(w, "  buckets:      %s\n", strings.Join(opts.Buckets, ", "))
	}
	fmt.Fprintf(w, "  S3 key pair:  %s / %s   (provider s3_access_key_id / s3_secret_access_key, for local signing)\n",
		accessKeyID(opts), secretAccessKey(opts))
	fmt.Fprintf(w, "  URL lifetime: %s (API-issued URLs)\n", opts.ExpiresIn)
}

func accessKeyID(opts emulator.Options) string {
	if opts.AccessKeyID != "" {
		return opts.AccessKeyID
	}
	return emulator.DefaultAccessKeyID
}

func secretAccessKey(opts emulator.Options) string {
	if opts.SecretAccessKey != "" {
		return opts.SecretAccessKey
	}
	return emulator.DefaultSecretAccessKey
}
