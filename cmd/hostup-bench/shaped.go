// Copyright (c) HostUp
// SPDX-License-Identifier: MPL-2.0

package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	toxiproxy "github.com/Shopify/toxiproxy/v2"
	"github.com/Shopify/toxiproxy/v2/toxics"
	"github.com/rs/zerolog"
	"golang.org/x/time/rate"

	"github.com/hostup/terraform-provider-hostup/internal/emulator"
	"github.com/hostup/terraform-provider-hostup/internal/hostups3"
)

// Large uploads over a link shaped like a real one: toxiproxy, in this
// process, in front of the emulator's S3 side, adds a round trip, a cap per
// connection (what one TCP flow gets over a path with some loss) and a cap
// on the whole link, shared by all connections.

var (
	linkRTT      = flag.Duration("link-rtt", 20*time.Millisecond, "round trip the shaped link adds")
	linkFlowMbit = flag.Int64("link-flow-mbit", 100, "the shaped link's cap per connection, Mbit/s")
	linkMbit     = flag.Int64("link-mbit", 500, "the shaped link's cap for all connections together, Mbit/s")
	sweepMiB     = flag.Int("sweep-mib", 256, "size of the part size and concurrency sweep's uploads over the shaped link (0 skips it)")
)

// sharedBandwidth is a toxiproxy toxic that passes data at Rate KB/s for
// all the proxy's connections together: toxiproxy makes one instance per
// toxic and gives every connection's stream to it.
type sharedBandwidth struct {
	Rate int64 `json:"rate"`
	once sync.Once
	lim  *rate.Limiter
}

const sharedBurst = 64 << 10

func (t *sharedBandwidth) Pipe(stub *toxics.ToxicStub) {
	t.once.Do(func() { t.lim = rate.NewLimiter(rate.Limit(t.Rate*1000), sharedBurst) })
	for {
		select {
		case <-stub.Interrupt:
			return
		case c := <-stub.Input:
			if c == nil {
				stub.Close()
				return
			}
			for off := 0; off < len(c.Data); off += sharedBurst {
				_ = t.lim.WaitN(context.Background(), min(sharedBurst, len(c.Data)-off))
			}
			stub.Output <- c
		}
	}
}

func init() { toxics.Register("shared_bandwidth", new(sharedBandwidth)) }

// shapedLink starts a proxy to the emulator's S3 side with the link's
// toxics, and returns its endpoint and a function that stops it.
func shapedLink(e *emulator.Emulator) (string, func()) {
	zerolog.SetGlobalLevel(zerolog.WarnLevel)
	u, err := url.Parse(e.S3URL())
	if err != nil {
		log.Fatal(err)
	}
	server := toxiproxy.NewServer(toxiproxy.NewMetricsContainer(nil), zerolog.Nop())
	proxy := toxiproxy.NewProxy(server, "s3", "127.0.0.1:0", u.Host)
	if err := proxy.Start(); err != nil {
		log.Fatal(err)
	}
	half := linkRTT.Milliseconds() / 2
	for _, toxic := range []string{
		fmt.Sprintf(`{"name":"latency_up","type":"latency","stream":"upstream","attributes":{"latency":%d}}`, half),
		fmt.Sprintf(`{"name":"latency_down","type":"latency","stream":"downstream","attributes":{"latency":%d}}`, half),
		fmt.Sprintf(`{"name":"flow","type":"bandwidth","stream":"upstream","attributes":{"rate":%d}}`, *linkFlowMbit*1000/8),
		fmt.Sprintf(`{"name":"link","type":"shared_bandwidth","stream":"upstream","attributes":{"rate":%d}}`, *linkMbit*1000/8),
	} {
		if _, err := proxy.Toxics.AddToxicJson(strings.NewReader(toxic)); err != nil {
			log.Fatalf("toxic %s: %v", toxic, err)
		}
	}
	return u.Scheme + "://" + proxy.Listen, proxy.Stop
}

// rcloneEnv configures rclone's remote "hostup:" for endpoint, with the
// emulator's key pair and certificate.
func (b *bench) rcloneEnv(endpoint string) []string {
	conf := filepath.Join(b.work, "rclone.conf")
	if err := os.WriteFile(conf, nil, 0o600); err != nil {
		log.Fatal(err)
	}
	return append(os.Environ(), "RCLONE_CONFIG="+conf, "RCLONE_CA_CERT="+b.certFile,
		"RCLONE_CONFIG_HOSTUP_TYPE=s3", "RCLONE_CONFIG_HOSTUP_PROVIDER=Ceph", "RCLONE_CONFIG_HOSTUP_ENDPOINT="+endpoint,
		"RCLONE_CONFIG_HOSTUP_REGION="+emulator.Region, "RCLONE_CONFIG_HOSTUP_NO_CHECK_BUCKET=true",
		"RCLONE_CONFIG_HOSTUP_ACCESS_KEY_ID="+emulator.DefaultAccessKeyID, "RCLONE_CONFIG_HOSTUP_SECRET_ACCESS_KEY="+emulator.DefaultSecretAccessKey)
}

// awsEnv configures the AWS CLI with the emulator's key pair, certificate
// and path-style addressing, and nothing from the machine's own files.
func (b *bench) awsEnv() []string {
	conf := filepath.Join(b.work, "aws.conf")
	if err := os.WriteFile(conf, []byte("[default]\ns3 =\n  addressing_style = path\n"), 0o600); err != nil {
		log.Fatal(err)
	}
	return append(os.Environ(), "AWS_CONFIG_FILE="+conf, "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_CA_BUNDLE="+b.certFile,
		"AWS_DEFAULT_REGION="+emulator.Region, "AWS_EC2_METADATA_DISABLED=true", "AWS_PAGER=",
		"AWS_ACCESS_KEY_ID="+emulator.DefaultAccessKeyID, "AWS_SECRET_ACCESS_KEY="+emulator.DefaultSecretAccessKey)
}

// shaped uploads a file of sizeMiB over the shaped link with hostup_object
// (apply), rclone copyto and aws s3 cp, and first sweeps the object
// client's part size and concurrency over the same link.
func shaped(e *emulator.Emulator, b *bench, sizeMiB, runs int) {
	endpoint, stop := shapedLink(e)
	defer stop()
	fmt.Printf("\n7. Uploads over a shaped link: %v round trip, %d Mbit/s per connection, %d Mbit/s in all (toxiproxy in front of the emulator)\n",
		*linkRTT, *linkFlowMbit, *linkMbit)
	if err := e.AddBucket("shaped"); err != nil {
		log.Fatal(err)
	}
	if *sweepMiB > 0 {
		sweep(e, b, endpoint, *sweepMiB)
	}

	file := randomFile(filepath.Join(b.work, "shaped.bin"), sizeMiB)
	res := uploadAll(e, b, endpoint, "shaped", file, runs, false)
	fmt.Printf("   %d MiB, medians of %d runs (targets: apply at least as fast as the faster peer, provider peak RSS under 96 MiB;\n", sizeMiB, runs)
	fmt.Println("   ratios to the faster peer; curl's single connection would take size / per-connection cap, so it is not run)")
	res.print(sizeMiB, "peers")
	if err := os.Remove(file); err != nil {
		log.Fatal(err)
	}
}

// sweep uploads sizeMiB over the shaped link with the object client in
// this process, for part sizes and concurrencies around the defaults.
func sweep(e *emulator.Emulator, b *bench, endpoint string, sizeMiB int) {
	roots := b.roots()
	file := randomFile(filepath.Join(b.work, "sweep.bin"), sizeMiB)
	fmt.Printf("   The object client alone, %d MiB: seconds per part size (rows) and parts at a time (columns); memory about (columns+2) x row\n", sizeMiB)
	concurrencies := []int{2, 4, 6, 8, 10}
	fmt.Printf("   %10s", "part size")
	for _, c := range concurrencies {
		fmt.Printf(" %7d", c)
	}
	fmt.Println()
	for _, partMiB := range []int64{5, 8, 16} {
		fmt.Printf("   %6d MiB", partMiB)
		for _, c := range concurrencies {
			client, err := hostups3.NewObjectClient(hostups3.Config{Endpoint: endpoint, Region: emulator.Region, RootCAs: roots,
				AccessKeyID: emulator.DefaultAccessKeyID, SecretAccessKey: emulator.DefaultSecretAccessKey, PartSize: partMiB << 20, PartConcurrency: c})
			if err != nil {
				log.Fatal(err)
			}
			f, err := os.Open(file)
			if err != nil {
				log.Fatal(err)
			}
			start := time.Now()
			// The threshold is 100 MiB: a smaller sweep would not be multipart.
			if _, err := client.Put(context.Background(), hostups3.PutInput{Bucket: "shaped", Key: "sweep.bin", Body: f, Size: int64(sizeMiB) << 20}); err != nil {
				log.Fatal(err)
			}
			fmt.Printf(" %7.2f", time.Since(start).Seconds())
			f.Close()
			_ = e.DeleteObject("shaped", "sweep.bin")
		}
		fmt.Println()
	}
	if err := os.Remove(file); err != nil {
		log.Fatal(err)
	}
}
