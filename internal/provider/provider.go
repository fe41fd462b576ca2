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
	"time"

	"github.com/hashicorp/terraform-plugin-framework-timetypes/timetypes"
	"github.com/hashicorp/terraform-plugin-framework-validators/int64validator"
	"github.com/hashicorp/terraform-plugin-framework/datasource"
	"github.com/hashicorp/terraform-plugin-framework/diag"
	"github.com/hashicorp/terraform-plugin-framework/ephemeral"
	"github.com/hashicorp/terraform-plugin-framework/function"
	"github.com/hashicorp/terraform-plugin-framework/path"
	"github.com/hashicorp/terraform-plugin-framework/provider"
	"github.com/hashicorp/terraform-plugin-framework/provider/schema"
	"github.com/hashicorp/terraform-plugin-framework/resource"
	"github.com/hashicorp/terraform-plugin-framework/schema/validator"
	"github.com/hashicorp/terraform-plugin-framework/types"
	"github.com/hashicorp/terraform-plugin-log/tflog"

	"github.com/hostup/terraform-provider-hostup/internal/hostup"
)

const (
	// EnvAPIKey and EnvEndpoint are the environment fallbacks for the
	// provider's api_key and endpoint arguments.
	EnvAPIKey         = "HOSTUP_API_KEY"
	EnvEndpoint       = "HOSTUP_ENDPOINT"
	EnvMaxRetries     = "HOSTUP_MAX_RETRIES"
	EnvRequestTimeout = "HOSTUP_REQUEST_TIMEOUT"

	maxMaxRetries     = 10
	maxRequestTimeout = 10 * time.Minute

	// projectURL goes into the User-Agent so HostUp can tell who calls.
	projectURL = "https://registry.terraform.io/providers/hostup/hostup"
)

var (
	_ provider.Provider                       = (*hostupProvider)(nil)
	_ provider.ProviderWithEphemeralResources = (*hostupProvider)(nil)
	_ provider.ProviderWithFunctions          = (*hostupProvider)(nil)
)

// hostupProvider is the provider implementation.
type hostupProvider struct {
	version string
}

// hostupProviderModel maps the provider block.
type hostupProviderModel struct {
	APIKey         types.String         `tfsdk:"api_key"`
	Endpoint       types.String         `tfsdk:"endpoint"`
	MaxRetries     types.Int64          `tfsdk:"max_retries"`
	RequestTimeout timetypes.GoDuration `tfsdk:"request_timeout"`
}

// New returns a constructor for the provider at the given version.
func New(version string) func() provider.Provider {
	return func() provider.Provider {
		return &hostupProvider{version: version}
	}
}

func (p *hostupProvider) Metadata(_ context.Context, _ provider.MetadataRequest, resp *provider.MetadataResponse) {
	resp.TypeName = "hostup"
	resp.Version = p.version
}

func (p *hostupProvider) Schema(_ context.Context, _ provider.SchemaRequest, resp *provider.SchemaResponse) {
	resp.Schema = schema.Schema{
		MarkdownDescription: "The HostUp provider issues time-limited presigned URLs for objects in " +
			"[HostUp](https://hostup.se) object storage, so that configurations can hand a download link to a " +
			"booting instance or an upload link to a job, without S3 credentials.",
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
					"`https://` URL (`http://` is accepted for a local emulator).",
				Optional:   true,
				Validators: []validator.String{endpointValidator{}},
			},
			"max_retries": schema.Int64Attribute{
				MarkdownDescription: fmt.Sprintf("How many times an API call is retried after a 429, 500, 502, 503 or 504 answer, "+
					"a connection error or a timeout, with exponential back-off and jitter (a `Retry-After` answer is honoured, "+
					"up to %s, and pauses every request of the provider). 400, 401, 403 and 404 are never retried. "+
					"`0` disables retries. Can also be set with the `%s` environment variable. Defaults to `%d`.",
					hostup.DefaultMaxRetryAfter, EnvMaxRetries, hostup.DefaultMaxRetries),
				Optional:   true,
				Validators: []validator.Int64{int64validator.Between(0, maxMaxRetries)},
			},
			"request_timeout": schema.StringAttribute{
				MarkdownDescription: fmt.Sprintf("Time limit for each API attempt, as a Go duration such as `30s` or `1m`. "+
					"Can also be set with the `%s` environment variable. Defaults to `%s`. "+
					"Cancelling the run (Ctrl-C) stops waiting at once.", EnvRequestTimeout, hostup.DefaultRequestTimeout),
				Optional:   true,
				CustomType: timetypes.GoDurationType{},
			},
		},
	}
}

// Configure builds the one API client every data source and ephemeral
// resource shares.
func (p *hostupProvider) Configure(ctx context.Context, req provider.ConfigureRequest, resp *provider.ConfigureResponse) {
	var config hostupProviderModel
	resp.Diagnostics.Append(req.Config.Get(ctx, &config)...)
	if resp.Diagnostics.HasError() {
		return
	}

	// Unknown values (for example from a resource not yet created) cannot
	// configure a client at plan time.
	if config.APIKey.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Unknown HostUp API Key",
			"The provider cannot create the HostUp API client because the api_key value is not known until apply. "+
				"Set api_key to a value known at plan time (a variable or literal), or leave it unset and use the "+
				EnvAPIKey+" environment variable.")
	}
	for attr, unknown := range map[string]bool{"max_retries": config.MaxRetries.IsUnknown(), "request_timeout": config.RequestTimeout.IsUnknown()} {
		if unknown {
			resp.Diagnostics.AddAttributeError(path.Root(attr), "Unknown HostUp Provider Setting",
				"The provider cannot be configured because "+attr+" is not known until apply. Set it to a value known at plan time.")
		}
	}
	if config.Endpoint.IsUnknown() {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Unknown HostUp API Endpoint",
			"The provider cannot create the HostUp API client because the endpoint value is not known until apply. "+
				"Set endpoint to a value known at plan time, or leave it unset and use the "+EnvEndpoint+
				" environment variable (or the default, "+hostup.DefaultEndpoint+").")
	}
	if resp.Diagnostics.HasError() {
		return
	}

	// The environment is the fallback; configuration wins.
	apiKey := os.Getenv(EnvAPIKey)
	if !config.APIKey.IsNull() {
		apiKey = config.APIKey.ValueString()
	}
	endpoint := os.Getenv(EnvEndpoint)
	endpointFrom := "the " + EnvEndpoint + " environment variable"
	if !config.Endpoint.IsNull() {
		endpoint = config.Endpoint.ValueString()
		endpointFrom = "endpoint"
	}
	if endpoint == "" {
		endpoint = hostup.DefaultEndpoint
	}

	if apiKey == "" {
		resp.Diagnostics.AddAttributeError(path.Root("api_key"), "Missing HostUp API Key",
			"The provider cannot create the HostUp API client because no API key is set. "+
				"Set the "+EnvAPIKey+" environment variable, or set api_key in the provider block. "+
				"Create an API key in the HostUp control panel.")
	}
	if _, err := hostup.ParseEndpoint(endpoint); err != nil {
		resp.Diagnostics.AddAttributeError(path.Root("endpoint"), "Invalid HostUp API Endpoint",
			fmt.Sprintf("The endpoint from %s is not usable: %s. Use an absolute URL such as %s.", endpointFrom, err, hostup.DefaultEndpoint))
	}
	retries, timeout := retrySettings(config, &resp.Diagnostics)
	if resp.Diagnostics.HasError() {
		return
	}

	ctx = maskSecrets(ctx, apiKey)
	client, err := hostup.NewClient(hostup.Config{
		Endpoint:       endpoint,
		APIKey:         apiKey,
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
	tflog.Debug(ctx, "Configured HostUp API client", map[string]any{"endpoint": client.Endpoint()})

	data := &providerData{client: client, apiKey: apiKey}
	resp.DataSourceData = data
	resp.EphemeralResourceData = data
	resp.ResourceData = data
}

func (p *hostupProvider) Resources(_ context.Context) []func() resource.Resource {
	return nil
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
	}
}

// providerData is what Configure hands to data sources and ephemeral
// resources: one client, and the key so each request can mask it in logs.
type providerData struct {
	client *hostup.Client
	apiKey string
}

func userAgent(providerVersion, terraformVersion string) string {
	if terraformVersion == "" {
		terraformVersion = "unknown"
	}
	return fmt.Sprintf("terraform-provider-hostup/%s (+%s) Terraform/%s", providerVersion, projectURL, terraformVersion)
}

// retrySettings reads max_retries and request_timeout, configuration first,
// then the environment, then the client's defaults.
func retrySettings(config hostupProviderModel, diags *diag.Diagnostics) (retries int, timeout time.Duration) {
	retries = hostup.DefaultMaxRetries
	if v := os.Getenv(EnvMaxRetries); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n < 0 || n > maxMaxRetries {
			diags.AddAttributeError(path.Root("max_retries"), "Invalid HostUp Max Retries",
				fmt.Sprintf("The %s environment variable is %q; it must be a whole number from 0 to %d.", EnvMaxRetries, v, maxMaxRetries))
		}
		retries = n
	}
	if !config.MaxRetries.IsNull() {
		retries = int(config.MaxRetries.ValueInt64())
	}
	if retries == 0 {
		retries = hostup.NoRetries
	}

	timeout = hostup.DefaultRequestTimeout
	source, raw := "", ""
	if v := os.Getenv(EnvRequestTimeout); v != "" {
		source, raw = "the "+EnvRequestTimeout+" environment variable", v
	}
	if !config.RequestTimeout.IsNull() {
		source, raw = "request_timeout", config.RequestTimeout.ValueString()
	}
	if raw != "" {
		d, err := time.ParseDuration(raw)
		if err != nil || d <= 0 || d > maxRequestTimeout {
			diags.AddAttributeError(path.Root("request_timeout"), "Invalid HostUp Request Timeout",
				fmt.Sprintf("The value of %s is %q; it must be a Go duration above 0 and at most %s, such as \"30s\" or \"2m\".", source, raw, maxRequestTimeout))
		}
		timeout = d
	}
	return retries, timeout
}
