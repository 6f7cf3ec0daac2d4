# Sourced by run.sh and bench/boot.sh: makes what a class-data-sharing boot of Larder needs.
#   cds_archive MICRO_JAR ROOT JSA LOG WAR [PAYARA ARGS...]
# ROOT becomes a Payara Micro launcher root (--outputlauncher) in which one boot with the flags of
# server-config/ deploys WAR and exits (--warmup), writing JSA, a dynamic archive of the classes the
# boot loaded (-XX:ArchiveClassesAtExit). That boot needs the same Redis and database as the real ones
# (PAYARA ARGS: at least --port) and registers the WAR in ROOT, so a boot from ROOT/launch-micro.jar
# takes no --deploy (a second deployment at / never answers). Output goes to LOG; returns non-zero if
# the warm-up did not deploy or wrote no archive.
cds_archive() {
  local micro_jar=$1 root=$2 jsa=$3 log=$4 war=$5 dir
  shift 5
  dir=$(dirname "${BASH_SOURCE[0]}")
  local jvm_options micro_args
  read -r -a jvm_options <<< "$(grep -v '^#' "$dir/jvm.options" | tr '\n' ' ')"
  read -r -a micro_args <<< "$(grep -v '^#' "$dir/payara-micro.args" | tr '\n' ' ')"
  java -jar "$micro_jar" --rootdir "$root" --outputlauncher > "$log" 2>&1 || return 1
  timeout 300 java "${jvm_options[@]}" -XX:ArchiveClassesAtExit="$jsa" -jar "$root/launch-micro.jar" \
    --deploy "$war" "${micro_args[@]}" "$@" --warmup >> "$log" 2>&1 || true
  grep -q "ready in" "$log" && [ -s "$jsa" ]
}
