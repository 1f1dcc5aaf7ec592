#!/usr/bin/env bash
# Lays out the root file system of the MeshCode base image in $4: a Java runtime jlinked from the
# build JDK ($1) with the modules $2 less the files $3 (jlink's --exclude-files patterns), the
# shared libraries it needs copied from this machine, users and name-service files from
# src/base/etc, the C.UTF-8 locale, and an empty /tmp. The services' images run on it as user
# 10001; nothing in it is writable but /tmp.
set -euo pipefail

if [[ $# -ne 4 ]]; then
  echo "usage: $0 JAVA_HOME MODULES EXCLUDED_FILES ROOT" >&2
  exit 64
fi
java_home="$1"
modules="$2"
excluded="$3"
root="$4"
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
java_dir=/opt/java/openjdk  # where eclipse-temurin keeps it too

fail() {
  echo "build-root.sh: $*" >&2
  exit 1
}

[[ "$(uname -s)" == Linux ]] || fail "the base image is made of this machine's Linux libraries; on $(uname -s), set meshcode.base.image to a registry image (docs/DEPLOY.md, Images)"
command -v ldd >/dev/null || fail "ldd is missing: it finds the shared libraries the runtime needs"
jlink="$java_home/bin/jlink"
[[ -x "$jlink" ]] || fail "no jlink in $java_home: build with a full JDK 17 or newer, not a JRE"

# JDK 21 deprecates the numeric levels.
version="$("$jlink" --version)"
compress=2
if [[ "${version%%.*}" -ge 21 ]]; then
  compress=zip-6
fi

rm -rf "$root"
mkdir -p "$root/opt/java"
# Without the JDK's jmods, only a JDK 24+ built to link from its own run-time image can do this:
# jlink then says which package lacks them.
"$jlink" --add-modules "$modules" --exclude-files="$excluded" --strip-debug --no-header-files --no-man-pages \
  --compress="$compress" --output "$root$java_dir" \
  || fail "jlink $version could not link $modules from $java_home (a JDK 17-23 needs its jmods: Debian ships them in openjdk-<N>-jdk-headless)"

# The loader and every library the launcher and the JVM's own libraries load, at the same paths
# as here, so the copied loader's default search path finds them. libjvm.so is the runtime's own.
mapfile -t libraries < <(
  find "$root$java_dir" -type f \( -name '*.so' -o -path '*/bin/*' \) -exec ldd {} + 2>/dev/null \
    | sed -nE 's#^[[:space:]]*([^[:space:]]+ => )?(/[^[:space:]]+) \(0x[0-9a-f]+\)$#\2#p' \
    | grep -v "^$root" | sort -u)
[[ ${#libraries[@]} -gt 0 ]] || fail "ldd found no shared libraries for the runtime in $root$java_dir"
# Looked up by name at run time rather than linked, so ldd never lists them: glibc before 2.34
# keeps its name services in separate libraries.
libdir="$(dirname "$(printf '%s\n' "${libraries[@]}" | grep -m1 '/libc\.so')")"
for optional in libnss_files.so.2 libnss_dns.so.2 libresolv.so.2; do
  if [[ -e "$libdir/$optional" ]]; then
    libraries+=("$libdir/$optional")
  fi
done
for library in "${libraries[@]}"; do
  mkdir -p "$root$(dirname "$library")"
  cp -L "$library" "$root$library"
done

# The licences of what was copied, where Debian keeps them (dpkg knows the pre-/usr-merge paths).
if command -v dpkg >/dev/null; then
  for library in "${libraries[@]}"; do
    package=
    for path in "$library" "${library#/usr}" "/usr$library"; do
      if package="$(dpkg -S "$path" 2>/dev/null | head -n1 | cut -d: -f1)" && [[ -n "$package" ]]; then
        break
      fi
    done
    [[ -n "$package" ]] || fail "dpkg does not know which package holds $library"
    copyright="/usr/share/doc/$package/copyright"
    [[ -f "$copyright" ]] || fail "$copyright is missing: the base image must carry the licence of $library"
    mkdir -p "$root/usr/share/doc/$package"
    cp -L "$copyright" "$root/usr/share/doc/$package/copyright"
  done
else
  echo "build-root.sh: warning: no dpkg, so the libraries' licence files are not copied" >&2
fi

# Without a UTF-8 locale a JDK 17 reads and writes text (file names, stderr) as ASCII.
locale=/usr/lib/locale/C.utf8
[[ -d "$locale" ]] || fail "$locale is missing (Debian's libc-bin ships it): the base image sets LANG=C.UTF-8"
mkdir -p "$root/usr/lib/locale"
cp -RL "$locale" "$root/usr/lib/locale/"

cp -R "$here/../base/etc" "$root/"
# Where the runtime writes (java.io.tmpdir, Vert.x's file cache): an emptyDir on Kubernetes.
mkdir -p "$root/tmp"

echo "build-root.sh: $("$root$java_dir/bin/java" -version 2>&1 | head -n1) with $modules and ${#libraries[@]} libraries in $root"
