// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

// Package provider is the Terraform-facing half of the HostUp provider:
// schemas, configuration, validation and mapping between Terraform values and
// the API client in package hostup.
package provider

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework-validators/stringvalidator"
	"github.com/hashicorp/terraform-plugin-framework/attr"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/list"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-framework/types/basetypes"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

const (
	// EnvAPIKey and EnvEndpoint are the environment fallbacks for the
	// provider's api_key and endpoint arguments.
	EnvAPIKey         = "HOSTUP_API_KEY"
	EnvEndpoint       = "HOSTUP_ENDPOINT"
	EnvMaxRetries     = "HOSTUP_MAX_RETRIES"
	EnvRequestTimeout = "HOSTUP_REQUEST_TIMEOUT"
	// The S3 key pair for local signing, and HostUp's S3 side.
	EnvS3AccessKeyID     = "HOSTUP_S3_ACCESS_KEY_ID"
	EnvS3SecretAccessKey = "HOSTUP_S3_SECRET_ACCESS_KEY"
	EnvS3Endpoint        = "HOSTUP_S3_ENDPOINT"
	EnvS3Region          = "HOSTUP_S3_REGION"

	maxMaxRetries     = 10
	maxRequestTimeout = 10 * time.Minute

	// projectURL goes into the User-Agent so HostUp can tell who calls.
	projectURL = "https://registry.terraform.io/providers/hostup/hostup"
)

var (
	_ provider.Provider                       = (*hostupProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*hostupProvider)(nil)
	_ provider.ProviderWithFunctions          = (*hostupProvider)(nil)
	_ provider.ProviderWithListResources      = (*hostupProvider)(nil)
)

// hostupProvider is the provider implementation.
type hostupProvider struct {
	version string
	now     func() time.Time
}

// hostupProviderModel maps the provider block.
type hostupProviderModel struct {
	APIKey            types.String `tfsdk:"api_key"`
	Endpoint          types.String `tfsdk:"endpoint"`
	MaxRetries        types.Int64  `tfsdk:"max_retries"`
	RequestTimeout    types.String `tfsdk:"request_timeout"`
	S3AccessKeyID     types.String `tfsdk:"s3_access_key_id"`
	S3SecretAccessKey types.String `tfsdk:"s3_secret_access_key"`
	S3Endpoint        types.String `tfsdk:"s3_endpoint"`
	S3Region          types.String `tfsdk:"s3_region"`
}

// New returns a constructor for the provider at the given version.
func New(version string) func() provider.Provider {
	return NewWithClock(version, time.Now)
}

// NewWithClock is New with the clock that decides signing times and rotation
// periods, for tests that cross a rotation boundary without waiting.
func NewWithClock(version string, now func() time.Time) func() provider.Provider {
	return func() provider.Provider {
		return &hostupProvider{version: version, now: now}
	}
}

func (p *hostupProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "hostup"
	resp.Version = p.version
}

func (p *hostupProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The HostUp provider manages [HostUp](https://hostup.se) object storage: buckets, S3 key " +
			"pairs and objects, and above all time-limited presigned URLs for objects, so that configurations can hand a " +
			"download link to a booting instance or an upload link to a job, without S3 credentials.",
		Attributes: map[string]schema.Attribute{
			"api_key": schema.StringAttribute{
				MarkdownDescription: "HostUp API key, sent as the `X-API-Key` header. Can also be set with the `" +
					EnvAPIKey + "` environment variable; a value set here takes precedence. Prefer the environment " +
					"variable, so the key stays out of configuration files.",
				Optional:  true,
				Sensitive: true,
			},
			"endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of the HostUp API. Can also be set with the `" + EnvEndpoint +
					"` environment variable. Defaults to `" + hostup.DefaultEndpoint + "`. Must be an absolute " +
					"`https://` URL. Plain `http://` is accepted only for this machine (`localhost`, `127.0.0.0/8`, `::1`), " +
					"such as a local emulator: anywhere else the API key would cross the network unencrypted. Redirects " +
					"from the API are never followed, so the key is never sent to another address.",
				Optional:   true,
				Validators: []validator.String{endpointValidator()},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times an API call is retried after a 429, 500, 502, 503 or 504 answer, "+
					"a connection error or a timeout, with exponential back-off and jitter (a `Retry-After` answer is honoured, "+
					"up to %s, and pauses every request of the provider). 400, 401, 403 and 404 are never retried. "+
					"S3 calls (objects, listings) are retried as often, after 500, 503 `SlowDown`, dropped or reset connections "+
					"and stalls. `0` disables retries. Can also be set with the `%s` environment variable. Defaults to `%d`.",
					hostup.MaxRetryAfter, EnvMaxRetries, hostup.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxMaxRetries)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Time limit for each API attempt, as a Go duration such as `30s` or `1m`. "+
					"On S3 it is how long a connection may stall, nothing sent and nothing received, before the attempt "+
					"fails: a large upload that progresses is never cut off. "+
					"Can also be set with the `%s` environment variable. Defaults to `%s`. "+
					"Cancelling the run (Ctrl-C) stops waiting at once.", EnvRequestTimeout, hostup.DefaultRequestTimeout),
				Optional:   true,
				Validators: []validator.String{requestTimeoutValidator()},
			},
			"s3_access_key_id": schema.StringAttribute{
				MarkdownDescription: "Access key ID of one of the account's S3 key pairs (see the `hostup_object_storage_key` " +
					"documentation, or HostUp's control panel). With a key pair, `hostup_presigned_url` signs URLs locally: no API " +
					"call, lifetimes up to 7 days, stable URLs with `rotation_period`, and response overrides; `hostup_object` and " +
					"`hostup_objects` need one. Set both halves or neither; each may come from the provider block or its environment " +
					"variable. Can also be set with the `" + EnvS3AccessKeyID + "` environment variable.",
				Optional: true,
			},
			"s3_secret_access_key": schema.StringAttribute{
				MarkdownDescription: "Secret of the S3 key pair named by `s3_access_key_id`. It never leaves the provider: " +
					"URLs carry only a signature made with it. Can also be set with the `" + EnvS3SecretAccessKey + "` environment " +
					"variable; prefer it, so the secret stays out of configuration files.",
				Optional:  true,
				Sensitive: true,
			},
			"s3_endpoint": schema.StringAttribute{
				MarkdownDescription: "Base URL of HostUp's S3 side, where locally signed URLs point (path-style). Can also be " +
					"set with the `" + EnvS3Endpoint + "` environment variable. Defaults to `" + hostups3.DefaultEndpoint + "`. " +
					"Must be `https://`; plain `http://` only for this machine, such as a local emulator. The server's address " +
					"alone, with no path: the bucket is the first path segment. A default port (`:443`) is dropped.",
				Optional:   true,
				Validators: []validator.String{s3EndpointValidator()},
			},
			"s3_region": schema.StringAttribute{
				MarkdownDescription: "Region locally signed URLs are scoped to. Can also be set with the `" + EnvS3Region +
					"` environment variable. Defaults to `" + hostups3.DefaultRegion + "`, HostUp's.",
				Optional:   true,
				Validators: []validator.String{stringvalidator.LengthAtLeast(1)},
			},
		},
	}
}

// Configure builds the clients every block shares: the API client (with an
// API key) and the S3 side (with a key pair), each once.
func (p *hostupProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config hostupProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// Unknown values (for example from a resource not yet created) cannot
	// configure a client at plan time. Reported in schema order, so the
	// output is the same on every run.
	for _, u := range []struct {
		attr, env string
		unknown   bool
	}{
		{"api_key", EnvAPIKey, config.APIKey.IsUnknown()},
		{"endpoint", EnvEndpoint, config.Endpoint.IsUnknown()},
		{"max_retries", EnvMaxRetries, config.MaxRetries.IsUnknown()},
		{"request_timeout", EnvRequestTimeout, config.RequestTimeout.IsUnknown()},
		{"s3_access_key_id", EnvS3AccessKeyID, config.S3AccessKeyID.IsUnknown()},
		{"s3_secret_access_key", EnvS3SecretAccessKey, config.S3SecretAccessKey.IsUnknown()},
		{"s3_endpoint", EnvS3Endpoint, config.S3Endpoint.IsUnknown()},
		{"s3_region", EnvS3Region, config.S3Region.IsUnknown()},
	} {
		if u.unknown {
			resp.Diagnostics.AddAttributeError(path.Root(u.attr), "Unknown HostUp Provider Setting",
				fmt.Sprintf("The provider cannot be configured because %s is not known until apply. Set %s to a value "+
					"known at plan time (a variable or literal), or leave it unset and use the %s environment variable.",
					u.attr, u.attr, u.env))
		}
	}
	if resp.Diagnostics.HasError() {
		return
	}

	// One rule for every setting: a value in the provider block wins and its
	// environment variable is then not read at all; otherwise the
	// environment variable, checked like the argument; otherwise the default.
	apiKey := settingFrom(config.APIKey, "api_key", EnvAPIKey)
	endpoint := settingFrom(config.Endpoint, "endpoint", EnvEndpoint)
	if endpoint.raw == "" {
		endpoint.raw = hostup.DefaultEndpoint
	}
	retries, timeout := retrySettings(config, &resp.Diagnostics)
	s3 := s3Settings(config, clientSettings{userAgent: userAgent(p.version, req.TerraformVersion), retries: retries, timeout: timeout}, &resp.Diagnostics)
	signer := s3.signer
	if apiKey.raw == "" && signer == nil && !resp.Diagnostics.HasError() {
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), summaryMissingAPIKey, missingAPIKey("The provider",
			"With an S3 key pair in s3_access_key_id and s3_secret_access_key instead, presigned URLs and objects need no API key."))
	}
	if _, err := hostup.ParseEndpoint(endpoint.raw); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid HostUp API Endpoint",
			fmt.Sprintf("The value of %s is not usable: %s. Use an absolute URL such as %s.", endpoint.source, err, hostup.DefaultEndpoint))
	}
	if resp.Diagnostics.HasError() {
		return
	}

	secrets := newSecrets(apiKey.raw, s3.secret)
	ctx = secrets.maskLogs(ctx)
	pd := &providerData{signer: signer, objects: s3.objects, secrets: secrets, now: p.now,
		s3Endpoint: s3.endpoint, s3EndpointIsDefault: s3.endpointIsDefault, requestTimeout: timeout}
	if apiKey.raw != "" {
		client, err := hostup.NewClient(hostup.Config{
			Endpoint:       endpoint.raw,
			APIKey:         apiKey.raw,
			UserAgent:      userAgent(p.version, req.TerraformVersion),
			Observe:        logAPICall,
			MaxRetries:     retries,
			RequestTimeout: timeout,
		})
		if err != nil {
			resp.Diagnostics.AddError("Unable to Create HostUp API Client",
				"An unexpected error occurred while creating the HostUp API client: "+err.Error())
			return
		}
		pd.client = client
	}
	tflog.Debug(ctx, "Configured the HostUp provider", map[string]any{"endpoint": endpoint.raw, "api": pd.client != nil, "local_signing": signer != nil})

	resp.DataSourceData = pd
	resp.EphemeralResourceData = pd
	resp.ResourceData = pd
	resp.ListResourceData = pd
}

// clientSettings are what both clients take from the provider's settings.
type clientSettings struct {
	userAgent string
	retries   int
	timeout   time.Duration
}

// s3Side is the S3 half of a configured provider: the local signer and the
// object client (both nil without a key pair), where they point, and the
// secret to mask.
type s3Side struct {
	signer            *hostups3.Signer
	objects           *hostups3.ObjectClient
	endpoint          string
	endpointIsDefault bool
	secret            string
}

// s3Settings reads the key pair, the S3 endpoint and the region by the
// settings rule. The halves of the key pair are checked together only here,
// after the environment is read, so one half may come from the provider
// block and the other from the environment.
func s3Settings(config hostupProviderModel, cs clientSettings, diags *diag.Diagnostics) s3Side {
	access := settingFrom(config.S3AccessKeyID, "s3_access_key_id", EnvS3AccessKeyID)
	secret := settingFrom(config.S3SecretAccessKey, "s3_secret_access_key", EnvS3SecretAccessKey)
	endpoint := settingFrom(config.S3Endpoint, "s3_endpoint", EnvS3Endpoint)
	region := settingFrom(config.S3Region, "s3_region", EnvS3Region)
	out := s3Side{secret: secret.raw, endpoint: endpoint.raw}
	if endpoint.raw == "" {
		out.endpoint, out.endpointIsDefault = hostups3.DefaultEndpoint, true
	}
	if region.raw == "" {
		region.raw = hostups3.DefaultRegion
	}
	if u, err := hostups3.ParseEndpoint(out.endpoint); err != nil {
		diags.AddAttributeError(path.Root("s3_endpoint"), "Invalid HostUp S3 Endpoint", s3EndpointProblem(endpoint.source, err))
	} else {
		out.endpoint = u.String()
	}
	halves := fmt.Sprintf("Set both halves of the key pair, or neither; each may come from the provider block or the environment: "+
		"s3_access_key_id (or %s) and s3_secret_access_key (or %s).", EnvS3AccessKeyID, EnvS3SecretAccessKey)
	switch {
	case access.raw == "" && secret.raw == "":
		return s3Side{endpoint: out.endpoint, endpointIsDefault: out.endpointIsDefault}
	case access.raw == "":
		diags.AddAttributeError(path.Root("s3_access_key_id"), "Incomplete HostUp S3 Key Pair",
			fmt.Sprintf("The secret access key is set (by %s), but the access key ID is not: neither s3_access_key_id nor %s is set. %s",
				secret.source, EnvS3AccessKeyID, halves))
		return out
	case secret.raw == "":
		diags.AddAttributeError(path.Root("s3_secret_access_key"), "Incomplete HostUp S3 Key Pair",
			fmt.Sprintf("The access key ID is set (by %s), but the secret access key is not: neither s3_secret_access_key nor %s is set. %s",
				access.source, EnvS3SecretAccessKey, halves))
		return out
	}
	if diags.HasError() {
		return out
	}
	cfg := hostups3.Config{Endpoint: out.endpoint, Region: region.raw, AccessKeyID: access.raw, SecretAccessKey: secret.raw,
		UserAgent: cs.userAgent, Observe: logS3Call, MaxRetries: cs.retries, RequestTimeout: cs.timeout}
	var err error
	if out.signer, err = hostups3.NewSigner(cfg); err != nil {
		diags.AddError("Unable to Configure Local Signing", "An unexpected error occurred while configuring the S3 key pair: "+err.Error())
		return out
	}
	if out.objects, err = hostups3.NewObjectClient(cfg); err != nil {
		diags.AddError("Unable to Configure the S3 Client", "An unexpected error occurred while configuring the S3 key pair: "+err.Error())
		return out
	}
	return out
}

// s3EndpointProblem says what is wrong with an S3 endpoint from source, and
// what to use instead.
func s3EndpointProblem(source string, err error) string {
	return fmt.Sprintf("The value of %s is not usable: %s. Use HostUp's S3 endpoint, %s, or the S3 endpoint a local "+
		"emulator's banner prints, such as http://127.0.0.1:18081.", source, err, hostups3.DefaultEndpoint)
}

func (p *hostupProvider) Resources(_ context.Context) []func() resource.Resource {
	return []func() resource.Resource{
		NewBucketResource,
		NewBucketCORSResource,
		NewBucketLifecycleResource,
		NewBucketPolicyResource,
		NewBucketVersioningResource,
		NewObjectResource,
		NewObjectStorageKeyResource,
	}
}

func (p *hostupProvider) ListResources(_ context.Context) []func() list.ListResource {
	return []func() list.ListResource{
		NewBucketListResource,
		NewObjectListResource,
	}
}

func (p *hostupProvider) EphemeralResources(_ context.Context) []func() ephemeral.EphemeralResource {
	return []func() ephemeral.EphemeralResource{
		NewPresignedURLEphemeralResource,
	}
}

func (p *hostupProvider) Functions(_ context.Context) []func() function.Function {
	return []func() function.Function{
		NewParsePresignedURLFunction,
	}
}

func (p *hostupProvider) DataSources(_ context.Context) []func() datasource.DataSource {
	return []func() datasource.DataSource{
		NewPresignedURLDataSource,
		NewBucketDataSource,
		NewBucketsDataSource,
		NewObjectStorageDataSource,
		NewObjectsDataSource,
	}
}

func userAgent(providerVersion, terraformVersion string) string {
	if terraformVersion == "" {
		terraformVersion = "unknown"
	}
	return fmt.Sprintf("terraform-provider-hostup/%s (+%s) Terraform/%s", providerVersion, projectURL, terraformVersion)
}

// setting is one provider setting's raw value and where it came from, as a
// diagnostic names it.
type setting struct {
	raw    string
	source string
}

// settingFrom applies the settings rule to one argument: the provider
// block's value when set, else the environment variable's.
func settingFrom(configured attr.Value, attrName, env string) setting {
	if !configured.IsNull() {
		raw := configured.String()
		if s, ok := configured.(basetypes.StringValuable); ok {
			v, _ := s.ToStringValue(context.Background())
			raw = v.ValueString()
		}
		return setting{raw: raw, source: attrName}
	}
	return setting{raw: os.Getenv(env), source: "the " + env + " environment variable"}
}

// retrySettings reads max_retries and request_timeout by the settings rule.
// Values from the provider block were already checked at plan time; the
// environment's are checked here the same way.
func retrySettings(config hostupProviderModel, diags *diag.Diagnostics) (retries int, timeout time.Duration) {
	retries = hostup.DefaultMaxRetries
	if s := settingFrom(config.MaxRetries, "max_retries", EnvMaxRetries); s.raw != "" {
		n, err := strconv.Atoi(s.raw)
		if err != nil || n < 0 || n > maxMaxRetries {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid HostUp Max Retries",
				fmt.Sprintf("The value of %s is %q; it must be a whole number from 0 to %d.", s.source, s.raw, maxMaxRetries))
		}
		retries = n
	}

	timeout = hostup.DefaultRequestTimeout
	if s := settingFrom(config.RequestTimeout, "request_timeout", EnvRequestTimeout); s.raw != "" {
		d, problem := parseRequestTimeout(s.raw)
		if problem != "" {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid HostUp Request Timeout",
				fmt.Sprintf("The value of %s is %q: %s", s.source, s.raw, problem))
		}
		timeout = d
	}
	return retries, timeout
}

// parseRequestTimeout reads a request timeout; problem says what is wrong
// and how to fix it, in full sentences.
func parseRequestTimeout(raw string) (d time.Duration, problem string) {
	d, err := time.ParseDuration(raw)
	switch {
	case err != nil && strings.Trim(raw, "0123456789.") == "":
		return 0, fmt.Sprintf("a duration needs a unit. Use %q for %s seconds.", raw+"s", raw)
	case err != nil:
		return 0, `it is not a duration. Use a number with a unit, such as "30s", "2m" or "1m30s".`
	case d <= 0 || d > maxRequestTimeout:
		return 0, fmt.Sprintf(`it must be above 0 and at most %s. Use a value such as "30s" or "2m".`, maxRequestTimeout)
	}
	return d, ""
}

// MemoryLimit is the provider process's soft memory limit, unless
// GOMEMLIMIT sets another. The plugin libraries hold a logging context per
// call in flight, so a plan of a thousand objects has a live heap of 55-75
// MiB. A limit below that makes the collector run without pause: at 52 MiB
// (this limit's first value, chosen for a thousand presigned URLs) such a
// plan took 28-29 s, at 128 MiB 21 s, as with no limit at all (measured with
// make bench's deploy; peak RSS 140 MiB, against 155-160 MiB with none).
const MemoryLimit = 128 << 20
