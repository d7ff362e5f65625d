# Sourced by bench/run-demo and bench/run-report: find_jdk prints a JDK >= 22 home:
# $JAVA_HOME if it is one, else the newest under /usr/lib/jvm, else the java on the PATH.
# Usage: export JAVA_HOME="$(find_jdk NAME)"   (NAME prefixes the error message)

java_major() { # prints the feature version of the java binary $1, or 0
    "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9]*\).*/\1/p' | head -n1 || echo 0
}

# A JDK >= 22: $JAVA_HOME if it is one, else the newest under /usr/lib/jvm, else java on the PATH.
find_jdk() {
    local candidates=() c best="" best_v=0 v
    [[ -n "${JAVA_HOME:-}" ]] && candidates+=("$JAVA_HOME")
    for c in /usr/lib/jvm/*/; do candidates+=("${c%/}"); done
    for c in "${candidates[@]}"; do
        [[ -x "$c/bin/java" ]] || continue
        v="$(java_major "$c/bin/java")"; v="${v:-0}"
        if [[ -n "${JAVA_HOME:-}" && "$c" == "$JAVA_HOME" && "$v" -ge 22 ]]; then echo "$c"; return; fi
        if [[ "$v" -gt "$best_v" ]]; then best="$c"; best_v="$v"; fi
    done
    if [[ "$best_v" -ge 22 ]]; then echo "$best"; return; fi
    if command -v java >/dev/null && [[ "$(java_major java)" -ge 22 ]]; then
        dirname "$(dirname "$(readlink -f "$(command -v java)")")"; return
    fi
    echo "${1:-bench}: no JDK >= 22 found (set JAVA_HOME to one, e.g. /usr/lib/jvm/temurin-25-jdk-amd64)" >&2
    exit 1
}
