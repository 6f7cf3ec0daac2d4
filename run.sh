#!/usr/bin/env bash
# Runs Larder on Payara Micro with the flags in server-config/.
#   ./run.sh                      build if needed, start a local redis-server on 6379 if nothing
#                                 answers there, seed demo products, serve on port 8080
#   PORT=8081 ./run.sh            another port (another instance of the same shop)
# Every LARDER_* and MP_JWT_* variable in the environment reaches the application (see README.md).
# Unless MP_JWT_VERIFY_PUBLICKEY or MP_JWT_VERIFY_PUBLICKEY_LOCATION is set, the server trusts a
# local RSA key pair made on first run in .larder-dev-keys/ (git-ignored), and an admin token
# signed with it, valid 24 h, is printed and written to .larder-dev-keys/admin.jwt.
set -euo pipefail
cd "$(dirname "$0")"
PORT=${PORT:-8080}
export LARDER_SHOP_SEED_PRODUCTS=${LARDER_SHOP_SEED_PRODUCTS:-200}

if [ ! -f target/larder.war ]; then
  mvn -B -q package -DskipTests
fi
micro_jar=$(find "${HOME}/.m2/repository/fish/payara/extras/payara-micro" -name 'payara-micro-6*.jar' 2>/dev/null | sort | tail -n 1)
if [ -z "$micro_jar" ]; then
  mvn -B -q dependency:get -Dartifact=fish.payara.extras:payara-micro:6.2025.10 -Dtransitive=false
  micro_jar=$(find "${HOME}/.m2/repository/fish/payara/extras/payara-micro" -name 'payara-micro-6*.jar' | sort | tail -n 1)
fi

if [ -z "${LARDER_REDIS_ADDRESS:-}" ] && [ -z "${LARDER_REDIS_CONFIG:-}" ]; then
  if ! redis-cli -p 6379 ping >/dev/null 2>&1; then
    command -v redis-server >/dev/null || { echo "redis-server is missing: apt-get install -y redis-server" >&2; exit 1; }
    echo "No Redis on 127.0.0.1:6379; starting one (no persistence)"
    redis-server --port 6379 --bind 127.0.0.1 --save "" --appendonly no --daemonize yes --dir "${TMPDIR:-/tmp}" \
      --logfile "${TMPDIR:-/tmp}/larder-redis.log"
  fi
fi

b64url() { openssl base64 -A | tr '+/' '-_' | tr -d '='; }

# A JWT of the admin group for the README's curl recipes, RS256 over the local key, valid 24 h.
admin_token() {
  local now header payload
  now=$(date +%s)
  header=$(printf '{"alg":"RS256","typ":"JWT"}' | b64url)
  payload=$(printf '{"iss":"%s","sub":"larder-dev","upn":"larder-dev","groups":["admin"],"iat":%d,"exp":%d,"jti":"%s"}' \
    "$MP_JWT_VERIFY_ISSUER" "$now" $((now + 86400)) "$(openssl rand -hex 16)" | b64url)
  printf '%s.%s.%s' "$header" "$payload" \
    "$(printf '%s.%s' "$header" "$payload" | openssl dgst -sha256 -sign .larder-dev-keys/private.pem -binary | b64url)"
}

if [ -z "${MP_JWT_VERIFY_PUBLICKEY:-}" ] && [ -z "${MP_JWT_VERIFY_PUBLICKEY_LOCATION:-}" ]; then
  command -v openssl >/dev/null || { echo "openssl is missing: apt-get install -y openssl" >&2; exit 1; }
  if [ ! -f .larder-dev-keys/private.pem ]; then
    echo "Making a local RSA key pair for bearer tokens in .larder-dev-keys/"
    mkdir -p .larder-dev-keys && chmod 700 .larder-dev-keys
    (umask 077 && openssl genpkey -algorithm RSA -pkeyopt rsa_keygen_bits:2048 -out .larder-dev-keys/private.pem 2>/dev/null)
    openssl pkey -in .larder-dev-keys/private.pem -pubout -out .larder-dev-keys/public.pem
  fi
  export MP_JWT_VERIFY_PUBLICKEY
  MP_JWT_VERIFY_PUBLICKEY=$(cat .larder-dev-keys/public.pem)
  export MP_JWT_VERIFY_ISSUER=${MP_JWT_VERIFY_ISSUER:-larder-dev}
  (umask 077 && admin_token > .larder-dev-keys/admin.jwt)
  echo "Admin token (24 h; also in .larder-dev-keys/admin.jwt) for product and cache writes:"
  echo "  export TOKEN=$(cat .larder-dev-keys/admin.jwt)"
fi

# Boots from a class-data-sharing archive (bench/boot.sh and bench/RESULTS.md: a few seconds sooner
# than the plain jar): the first run for a port, and the first after a rebuild, makes
# target/payara-cds-PORT/ — Payara Micro's launcher root with the WAR registered in it, and an archive
# of the classes a boot loads — by one boot that deploys the WAR against the same Redis and database
# and exits (--warmup, ~30 s). LARDER_CDS=false boots the plain jar; a warm-up that fails is reported
# and the plain jar boots.
# shellcheck disable=SC2207
jvm_options=($(grep -v '^#' server-config/jvm.options))
# shellcheck disable=SC2207
micro_args=($(grep -v '^#' server-config/payara-micro.args))
cds=target/payara-cds-"$PORT"
if [ "${LARDER_CDS:-true}" = true ]; then
  if [ ! -s "$cds/larder.jsa" ] || [ target/larder.war -nt "$cds/larder.jsa" ]; then
    echo "Making a class-data-sharing archive in $cds (one boot that deploys and exits; once per build)"
    rm -rf "$cds" && mkdir -p "$cds"
    . server-config/cds.sh
    if ! cds_archive "$micro_jar" "$cds/root" "$cds/larder.jsa" "$cds/warmup.log" target/larder.war --port "$PORT"; then
      echo "The warm-up boot failed (see $cds/warmup.log): booting the plain jar"
      rm -f "$cds/larder.jsa"
    fi
  fi
  if [ -s "$cds/larder.jsa" ]; then
    # the WAR is registered in the launcher root by the warm-up: no --deploy (a second one at / never answers)
    exec java "${jvm_options[@]}" -XX:SharedArchiveFile="$cds/larder.jsa" -jar "$cds/root/launch-micro.jar" \
      "${micro_args[@]}" --port "$PORT"
  fi
fi
mkdir -p target/payara-root-"$PORT"
exec java "${jvm_options[@]}" -jar "$micro_jar" --deploy target/larder.war "${micro_args[@]}" \
  --port "$PORT" --rootdir target/payara-root-"$PORT"
