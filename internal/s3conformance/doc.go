// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package s3conformance is a test suite of the S3 behaviours the provider
// and its users rely on, written once and run against any S3 endpoint: a
// real Ceph RGW when HOSTUP_TEST_S3_ENDPOINT and its companions are set
// (scripts/rgw.sh writes them), otherwise the project's emulator started in
// process. Where the two disagree, the suite follows RGW, which is what
// HostUp runs.
//
// The variables, all needed together:
//
//	HOSTUP_TEST_S3_ENDPOINT            http://127.0.0.1:PORT
//	HOSTUP_TEST_S3_TLS_ENDPOINT        https://127.0.0.1:TLSPORT
//	HOSTUP_TEST_S3_CA_FILE             the PEM to trust for the https endpoint
//	HOSTUP_TEST_S3_ACCESS_KEY_ID       an S3 key pair on that server
//	HOSTUP_TEST_S3_SECRET_ACCESS_KEY
//	HOSTUP_TEST_S3_SERVER              what the server is ("rgw")
//
// The package has no non-test code.
package s3conformance
