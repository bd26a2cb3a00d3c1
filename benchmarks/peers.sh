#!/usr/bin/env bash
# Times rclone and the aws CLI moving the same catalog file to and from the same S3Proxy as lea's
# S3 benchmarks, beside the SDK floor and lea's object-copy round trip measured in the same run
# (dev.lea.bench.Peers). A tool that is not installed is skipped, and the output says so.
#
# Usage: benchmarks/peers.sh [size] [content] [rounds]     (defaults: 64MiB realistic 3)
# Needs the JMH jar: mvn -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests
set -euo pipefail

size=${1:-64MiB}
content=${2:-realistic}
rounds=${3:-3}
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
if [[ ! -f "$jar" ]]; then
  echo "Cannot run peers.sh: $jar is missing. Build it first with" \
    "mvn -B -ntp -Pbenchmarks -pl benchmarks -am package -DskipTests" >&2
  exit 2
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/lea-peers-XXXXXX")
coproc SERVER { exec java -cp "$jar" dev.lea.bench.Peers server "$size" "$content" 2>"$work/server.log"; }
server_pid=$SERVER_PID
server_in=${SERVER[1]}
cleanup() {
  exec {server_in}>&- 2>/dev/null || true
  wait "$server_pid" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

declare -A got
while read -r name value <&"${SERVER[0]}"; do
  [[ "$name" == ready ]] && break
  [[ -n "$name" ]] && got[$name]=$value
done
if [[ -z "${got[endpoint]:-}" ]]; then
  echo "Cannot run peers.sh: the S3Proxy helper did not start; its log:" >&2
  cat "$work/server.log" >&2
  exit 1
fi
endpoint=${got[endpoint]}
bucket=${got[bucket]}
file=${got[file]}

# The SDK floor and lea's round trip, timed in a JVM of their own, as every other tool here runs
# in a process of its own beside the server's.
while read -r name value; do
  [[ -n "$name" ]] && got[$name]=$value
done < <(java -cp "$jar" dev.lea.bench.Peers clients "$endpoint" "$file" "$rounds" \
  2>"$work/clients.log" || { echo "Cannot run peers.sh: timing the SDK and lea failed; the log:" >&2;
    cat "$work/clients.log" >&2; })
if [[ -z "${got[sdk-floor-ms]:-}" ]]; then
  exit 1
fi
floor=${got[sdk-floor-ms]}

# lea-testing's InProcessS3 test credentials: a local server's, not a secret.
export AWS_ACCESS_KEY_ID=lea-test-access AWS_SECRET_ACCESS_KEY=lea-test-secret
export AWS_DEFAULT_REGION=us-east-1 AWS_EC2_METADATA_DISABLED=true
printf '[default]\ns3 =\n    addressing_style = path\n' > "$work/aws-config"
export AWS_CONFIG_FILE="$work/aws-config" AWS_SHARED_CREDENTIALS_FILE=/dev/null
export RCLONE_CONFIG_LEABENCH_TYPE=s3 RCLONE_CONFIG_LEABENCH_PROVIDER=Other
export RCLONE_CONFIG_LEABENCH_ENDPOINT="$endpoint" RCLONE_CONFIG_LEABENCH_REGION=us-east-1
export RCLONE_CONFIG_LEABENCH_ACCESS_KEY_ID="$AWS_ACCESS_KEY_ID"
export RCLONE_CONFIG_LEABENCH_SECRET_ACCESS_KEY="$AWS_SECRET_ACCESS_KEY"
export RCLONE_CONFIG_LEABENCH_FORCE_PATH_STYLE=true

# The median, in milliseconds, of $rounds rounds of the upload command $1 then the download
# command $2 (into $work/downloaded), each round checked byte for byte.
round_trip_ms() {
  local up=$1 down=$2 times=() i start
  for ((i = 0; i < rounds; i++)); do
    rm -f "$work/downloaded"
    start=$(date +%s%N)
    eval "$up" >"$work/tool.log" 2>&1 && eval "$down" >>"$work/tool.log" 2>&1 || {
      echo "failed: $(tail -n 3 "$work/tool.log" | tr '\n' ' ')" ; return 1; }
    times+=($(( ($(date +%s%N) - start) / 1000000 )))
    cmp -s "$file" "$work/downloaded" || { echo "failed: the downloaded file differs"; return 1; }
  done
  printf '%s\n' "${times[@]}" | sort -n | sed -n "$(( rounds / 2 + 1 ))p"
}

ratio() { awk -v a="$1" -v b="$floor" 'BEGIN { printf "%.2fx", a / b }'; }

echo "S3Proxy at $endpoint, $(basename "$file") (${got[bytes]} bytes), median of $rounds round trips"
echo "(upload + download); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| Tool | ms | × SDK floor |"
echo "|---|---:|---:|"
echo "| SDK putObject(fromFile) + getObject(toFile) (floor) | $floor | 1.00x |"
echo "| lea object-copy | ${got[lea-ms]} | $(ratio "${got[lea-ms]}") |"

if command -v aws >/dev/null 2>&1; then
  if ms=$(round_trip_ms \
      'aws --endpoint-url "$endpoint" s3 cp "$file" "s3://$bucket/peers/aws.duckdb"' \
      'aws --endpoint-url "$endpoint" s3 cp "s3://$bucket/peers/aws.duckdb" "$work/downloaded"'); then
    echo "| aws CLI ($(aws --version 2>&1 | cut -d' ' -f1)) | $ms | $(ratio "$ms") |"
  else
    echo "| aws CLI | $ms | |"
  fi
else
  echo "| aws CLI | skipped: not installed | |"
fi

# S3Proxy speaks plain HTTP, and rclone's S3 backend refuses to start at all when AWS_CA_BUNDLE is
# set ("LoadCustomCABundleError ... unsupported transport"), as it is on machines with a corporate
# CA bundle: rclone runs without it. --ignore-times: rclone skips a copy onto an object of the same
# size and time, which every round after the first would be (measured: 130 ms for 280 MB).
if command -v rclone >/dev/null 2>&1; then
  if ms=$(round_trip_ms \
      'env -u AWS_CA_BUNDLE rclone copyto --ignore-times "$file" "leabench:$bucket/peers/rclone.duckdb"' \
      'env -u AWS_CA_BUNDLE rclone copyto --ignore-times "leabench:$bucket/peers/rclone.duckdb" "$work/downloaded"'); then
    echo "| rclone ($(rclone version 2>/dev/null | head -n 1 | cut -d' ' -f2)) | $ms | $(ratio "$ms") |"
  else
    echo "| rclone | $ms | |"
  fi
else
  echo "| rclone | skipped: not installed | |"
fi
