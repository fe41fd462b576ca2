// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package hostups3

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	awsmiddleware "github.com/aws/aws-sdk-go-v2/aws/middleware"
	"github.com/aws/aws-sdk-go-v2/aws/ratelimit"
	"github.com/aws/aws-sdk-go-v2/aws/retry"
	"github.com/aws/aws-sdk-go-v2/service/s3"
	"github.com/aws/smithy-go/middleware"
	smithyhttp "github.com/aws/smithy-go/transport/http"

	"github.com/hostup/terraform-provider-hostup/internal/transport"
)

// The S3 client's transport: the same rules as the API client's (timeouts,
// retries, User-Agent, a hook for logging, typed errors), on aws-sdk-go-v2.

const (
	// DefaultRequestTimeout bounds how long an S3 connection may stall (no
	// byte either way) before the attempt fails and is retried.
	DefaultRequestTimeout = 30 * time.Second
	// maxBackoff caps the SDK's jittered exponential back-off, as the API
	// client's is capped.
	maxBackoff = 8 * time.Second
)

// RequestEvent describes one finished S3 call, for logging. It never carries
// credentials, signatures or bodies.
type RequestEvent struct {
	// Operation is the S3 operation, such as "PutObject".
	Operation string
	// Method and Path are the last attempt's, path-style; the query (which
	// may carry an upload ID) is left out.
	Method, Path string
	StatusCode   int // 0 when no answer arrived
	Duration     time.Duration
	RequestID    string
	Attempts     int
	Err          error
}

// ParseEndpoint checks an S3 endpoint by the rules every credential-carrying
// endpoint follows (transport.ParseEndpoint), and those of S3 in path style:
// no path, since the bucket is the first path segment. A default port
// (:443 for https, :80 for http) is removed, because signatures leave it out
// and a URL that keeps it would not match its own signature.
func ParseEndpoint(raw string) (*url.URL, error) {
	u, err := transport.ParseEndpoint(raw)
	if err != nil {
		return nil, err
	}
	if p := strings.TrimSuffix(u.EscapedPath(), "/"); p != "" {
		return nil, fmt.Errorf("endpoint %q has a path (%s); an S3 endpoint is the server's address alone, such as %s, "+
			"because the bucket is the URL's first path segment", transport.RedactURL(u), p, DefaultEndpoint)
	}
	host := u.Host
	if port := u.Port(); (u.Scheme == "https" && port == "443") || (u.Scheme == "http" && port == "80") {
		host = u.Hostname()
		if strings.Contains(host, ":") {
			host = "[" + host + "]"
		}
	}
	return &url.URL{Scheme: u.Scheme, Host: host}, nil
}

// s3Options are the S3 client's settings for cfg.
func (cfg Config) s3Options(base *url.URL, creds aws.Credentials) s3.Options {
	timeout := cfg.RequestTimeout
	if timeout <= 0 {
		timeout = DefaultRequestTimeout
	}
	t := transport.StallTimeoutTransport(timeout)
	if cfg.RootCAs != nil {
		t.TLSClientConfig = &tls.Config{RootCAs: cfg.RootCAs, MinVersion: tls.VersionTLS12}
	}
	// Terraform works on up to 10 resources at once.
	t.MaxIdleConnsPerHost = 16
	maxRetries := max(cfg.MaxRetries, 0)
	return s3.Options{
		Region:       cfg.Region,
		BaseEndpoint: aws.String(base.String()),
		UsePathStyle: true,
		Credentials:  aws.CredentialsProviderFunc(func(context.Context) (aws.Credentials, error) { return creds, nil }),
		// Checksums only where S3 requires them: Ceph RGW before 18.2.5
		// refuses the aws-chunked trailers the SDK sends by default over
		// https (400 XAmzContentSHA256Mismatch).
		RequestChecksumCalculation: aws.RequestChecksumCalculationWhenRequired,
		ResponseChecksumValidation: aws.ResponseChecksumValidationWhenRequired,
		// Never follow a redirect with signed requests.
		HTTPClient: &http.Client{Transport: t, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }},
		Retryer: retry.NewStandard(func(o *retry.StandardOptions) {
			o.MaxAttempts = maxRetries + 1
			o.MaxBackoff = maxBackoff
			// Every failure is retried up to MaxAttempts; the SDK's
			// client-wide retry quota would otherwise give up early on a
			// flaky link during a large upload.
			o.RateLimiter = ratelimit.None
			o.Retryables = append([]retry.IsErrorRetryable{retry.IsErrorRetryableFunc(neverRetryPermanent)}, o.Retryables...)
		}),
		APIOptions: []func(*middleware.Stack) error{cfg.observeMiddleware},
	}
}

// neverRetryPermanent stops retries of failures that cannot pass on their
// own (a certificate the machine does not trust, a host that does not
// resolve); everything else is for the SDK's own rules to decide.
func neverRetryPermanent(err error) aws.Ternary {
	if transport.Permanent(err) {
		return aws.FalseTernary
	}
	return aws.UnknownTernary
}

// call is what the observing middleware learns about one operation.
type call struct {
	method, path string
	attempts     atomic.Int32
}

type callKey struct{}

// observeMiddleware adds, to every operation, the User-Agent, typed errors
// (*Error, *RequestError) and one RequestEvent per call.
func (cfg Config) observeMiddleware(stack *middleware.Stack) error {
	err := stack.Initialize.Add(middleware.InitializeMiddlewareFunc("HostUpObserve",
		func(ctx context.Context, in middleware.InitializeInput, next middleware.InitializeHandler) (middleware.InitializeOutput, middleware.Metadata, error) {
			c := &call{}
			ctx = middleware.WithStackValue(ctx, callKey{}, c)
			start := time.Now()
			out, md, err := next.HandleInitialize(ctx, in)
			op := awsmiddleware.GetOperationName(ctx)
			err = typedError(ctx, op, cfg.Endpoint, err, int(c.attempts.Load()))
			if cfg.Observe != nil {
				ev := RequestEvent{Operation: op, Method: c.method, Path: c.path, Duration: time.Since(start), Attempts: int(c.attempts.Load()), Err: err}
				var se *Error
				if errors.As(err, &se) {
					ev.StatusCode, ev.RequestID = se.StatusCode, se.RequestID
				} else if raw, ok := awsmiddleware.GetRawResponse(md).(*smithyhttp.Response); ok {
					ev.StatusCode, ev.RequestID = raw.StatusCode, raw.Header.Get("X-Amz-Request-Id")
				}
				cfg.Observe(ctx, ev)
			}
			return out, md, err
		}), middleware.Before)
	if err != nil {
		return err
	}
	// Per attempt, after the retry loop: count it, note where it went, and
	// put the provider's User-Agent before the SDK's (not signed, so setting
	// it after signing is safe).
	return stack.Finalize.Add(middleware.FinalizeMiddlewareFunc("HostUpAttempt",
		func(ctx context.Context, in middleware.FinalizeInput, next middleware.FinalizeHandler) (middleware.FinalizeOutput, middleware.Metadata, error) {
			if req, ok := in.Request.(*smithyhttp.Request); ok {
				if c, ok := middleware.GetStackValue(ctx, callKey{}).(*call); ok {
					c.attempts.Add(1)
					c.method, c.path = req.Method, req.URL.EscapedPath()
				}
				if cfg.UserAgent != "" {
					req.Header.Set("User-Agent", strings.TrimSpace(cfg.UserAgent+" "+req.Header.Get("User-Agent")))
				}
			}
			return next.HandleFinalize(ctx, in)
		}), middleware.After)
}
