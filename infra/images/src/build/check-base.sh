#!/usr/bin/env bash
# Fails with the reason when the base named by meshcode.base.image ($1) cannot be what jib reads:
# a tarball that is missing or holds no image, or an OCI layout (jib reads none). A registry
# image is left to jib.
set -euo pipefail

base="$1"
case "$base" in
  tar://*)
    file="${base#tar://}"
    if [[ ! -f "$file" ]]; then
      echo "check-base.sh: meshcode.base.image is $base, but $file does not exist" >&2
      exit 1
    fi
    if ! tar -tf "$file" manifest.json >/dev/null 2>&1; then
      echo "check-base.sh: $file is not an image tarball (no manifest.json): write one with podman save," \
        "skopeo copy … docker-archive:$file, or jib's buildTar" >&2
      exit 1
    fi
    ;;
  oci:*)
    echo "check-base.sh: jib cannot read an OCI layout ($base): convert it with" \
      "skopeo copy $base docker-archive:base.tar and use tar:///absolute/path/base.tar" >&2
    exit 1
    ;;
esac
