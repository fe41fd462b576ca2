#!/usr/bin/env bash
# SPDX-License-Identifier: MPL-2.0
#
# The offline demo (make demo): builds the provider and the HostUp emulator,
# builds or finds OpenTofu, starts the emulator on free loopback ports, and
# applies examples/demo: upload a file through an upload URL, download it
# through a download URL, compare the bytes. Everything it writes lives in
# one temporary directory, removed on exit, success, failure or Ctrl-C.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"
cli=${DEMO_CLI:-tofu}
tls=${DEMO_TLS:-1} # 1: the emulator serves HTTPS, trusted through SSL_CERT_FILE

for tool in curl cmp; do
  command -v "$tool" >/dev/null || { echo "demo: $tool is required (apt-get install curl diffutils)" >&2; exit 1; }
done

case "$cli" in
  tofu) bash "$root/scripts/clis.sh" tofu ;;
  terraform) bash "$root/scripts/clis.sh" terraform ;;
  *) echo "demo: DEMO_CLI must be tofu or terraform" >&2; exit 2 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/hostup-demo.XXXXXX")
emulator_pid=""
cleanup() {
  status=$?
  trap - EXIT INT TERM
  if [ -n "$emulator_pid" ]; then
    kill "$emulator_pid" 2>/dev/null || true
    wait "$emulator_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

echo "==> building the provider and the emulator"
(cd "$root" && go build -o "$work/plugins/terraform-provider-hostup" . \
  && go build -o "$work/hostup-emulator" ./cmd/hostup-emulator)

echo "==> starting the HostUp emulator on loopback"
tls_flags=()
if [ "$tls" = 1 ]; then
  tls_flags=(-tls -tls-cert-file "$work/emulator-ca.pem")
fi
"$work/hostup-emulator" -bucket demo -api-key demo-api-key -ready-file "$work/ready.json" "${tls_flags[@]}" >"$work/emulator.log" 2>&1 &
emulator_pid=$!
for _ in $(seq 1 100); do
  [ -s "$work/ready.json" ] && break
  kill -0 "$emulator_pid" 2>/dev/null || { cat "$work/emulator.log" >&2; echo "demo: the emulator exited" >&2; exit 1; }
  sleep 0.1
done
[ -s "$work/ready.json" ] || { echo "demo: the emulator did not start" >&2; exit 1; }
api_url=$(sed -n 's/.*"api_url":"\([^"]*\)".*/\1/p' "$work/ready.json")
echo "    API at $api_url"

# A throwaway CLI config that points the provider's address at the fresh build.
dev_overrides_config "$work/cli.tfrc" "$work/plugins"
export TF_CLI_CONFIG_FILE="$work/cli.tfrc"
export TF_IN_AUTOMATION=1 TF_INPUT=0
export HOSTUP_API_KEY=demo-api-key HOSTUP_ENDPOINT="$api_url"
if [ "$tls" = 1 ]; then
  # The provider (Go) and curl trust the emulator's generated certificate;
  # no "insecure" switch anywhere.
  export SSL_CERT_FILE="$work/emulator-ca.pem" CURL_CA_BUNDLE="$work/emulator-ca.pem"
fi
unset TF_LOG TF_DATA_DIR

mkdir -p "$work/config"
cp "$root/examples/demo/main.tf" "$work/config/"
printf 'Hello from the HostUp provider demo, %s.\nräksmörgås ✓\n' "$(date -u +%Y-%m-%dT%H:%M:%SZ)" >"$work/hello.txt"

echo "==> $cli apply examples/demo"
"$bin/$cli" -chdir="$work/config" apply -auto-approve -no-color \
  -var "source_file=$work/hello.txt" -var "download_to=$work/downloaded.txt" >"$work/apply.log" 2>&1 || {
  cat "$work/apply.log" >&2
  echo "demo: apply failed" >&2
  exit 1
}

out() { "$bin/$cli" -chdir="$work/config" output -raw "$1"; }
[ "$(out round_trip)" = OK ] && cmp -s "$work/hello.txt" "$work/downloaded.txt" || { echo "demo: round trip failed" >&2; exit 1; }

cat <<SUMMARY

HostUp provider demo: round trip OK
  object      $(out object)
  size        $(wc -c <"$work/hello.txt" | tr -d ' ') bytes, uploaded with an upload URL, downloaded with a download URL, bytes identical
  URL host    $(out url_host)
  expires at  $(out expires_at)
  URL         $(out redacted_download_url)
SUMMARY

# A stable link: with the emulator's S3 key pair the provider signs locally,
# at the start of the current 24-hour period. Two plans, a moment apart, must
# read the byte-identical URL.
echo
echo "==> $cli plan twice with an S3 key pair: a stable link"
export HOSTUP_S3_ACCESS_KEY_ID HOSTUP_S3_SECRET_ACCESS_KEY HOSTUP_S3_ENDPOINT
HOSTUP_S3_ACCESS_KEY_ID=$(sed -n 's/.*"s3_access_key_id":"\([^"]*\)".*/\1/p' "$work/ready.json")
HOSTUP_S3_SECRET_ACCESS_KEY=$(sed -n 's/.*"s3_secret_access_key":"\([^"]*\)".*/\1/p' "$work/ready.json")
HOSTUP_S3_ENDPOINT=$(sed -n 's/.*"s3_url":"\([^"]*\)".*/\1/p' "$work/ready.json")
stable_vars=(-var stable_link=true -var "source_file=$work/hello.txt" -var "download_to=$work/downloaded.txt")
# The URL's fingerprint as one plan would set it.
stable_plan() {
  "$bin/$cli" -chdir="$work/config" plan -no-color -out="$work/stable-$1.tfplan" "${stable_vars[@]}" >"$work/stable-$1.log" 2>&1 &&
    "$bin/$cli" -chdir="$work/config" show -json "$work/stable-$1.tfplan" >"$work/stable-$1.json" 2>>"$work/stable-$1.log" || {
    cat "$work/stable-$1.log" >&2
    echo "demo: planning the stable link failed" >&2
    exit 1
  }
  grep -o '"stable_url_sha256":{[^}]*}' "$work/stable-$1.json" | sed -n 's/.*"value":"\([0-9a-f]*\)".*/\1/p' | head -n 1
}
first=$(stable_plan 1)
sleep 2
second=$(stable_plan 2)
if [ -z "$first" ] || [ "$first" != "$second" ]; then
  echo "demo: the stable link changed between two plans ('$first', '$second')" >&2
  exit 1
fi
# Apply it, and download through it.
"$bin/$cli" -chdir="$work/config" apply -refresh-only -auto-approve -no-color "${stable_vars[@]}" >"$work/stable-apply.log" 2>&1 || {
  cat "$work/stable-apply.log" >&2
  echo "demo: applying the stable link failed" >&2
  exit 1
}
curl -fsS -o "$work/stable.txt" "$(out stable_url)" && cmp -s "$work/hello.txt" "$work/stable.txt" || {
  echo "demo: downloading through the stable link failed" >&2
  exit 1
}
cat <<STABLE
  stable URL  identical in two plans (sha256 $first); downloads the object
  rotates at  $(out stable_rotates_at): the next period's reads get a new URL
  valid until $(out stable_expires_at)
STABLE
