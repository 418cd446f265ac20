#!/usr/bin/env bash
# Installs the Debian packages the build, the converters and the tests use.
# Does nothing when they are all present; needs root (or sudo) otherwise.
set -euo pipefail
# libavformat/libavcodec/libswscale: optional, `mcuface video` on video files (found with pkg-config).
packages=(build-essential cmake python3 python3-numpy python3-torch python3-onnx python3-opencv
          libjpeg-dev libpng-dev libmbedtls-dev libutf8proc-dev pkg-config libavformat-dev libavcodec-dev
          libswscale-dev gcc-arm-none-eabi libnewlib-arm-none-eabi qemu-system-arm valgrind clang)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0
echo "installing: ${missing[*]}"
sudo=""
[ "$(id -u)" -ne 0 ] && sudo="sudo"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
