# Sourced by the scripts in bin/: `build NAME MAVEN_ARGS...` runs Maven in the repository root
# ($root) with its whole output in target/build.log, and shows that log's end only if the build
# fails. Maven 3.8 writes color resets even in batch mode with -q, which a pipe or a log file
# showed as "^[[0m^[[0m" in front of the command's own output.
build() {
  local name="$1"
  shift
  local log="$root/target/build.log"
  mkdir -p "$root/target"
  if ! (cd "$root" && mvn -B -ntp -Dstyle.color=never "$@") >"$log" 2>&1; then
    echo "$name: the build failed (its whole log: $log):" >&2
    grep -E '^\[(ERROR|WARNING)\]' "$log" | head -n 40 >&2 || tail -n 40 "$log" >&2
    exit 1
  fi
}
