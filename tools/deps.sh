#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs dcmkit's build and test dependencies from Debian 12's archive (idempotent; needs root).
set -euo pipefail
packages=(
  build-essential cmake ninja-build ccache pkg-config python3 git
  zlib1g-dev libicu-dev libxml2-dev libgtest-dev libgmock-dev
  libpng-dev libtiff-dev libjpeg-dev
  # pixel data codecs (dcmimage/codecs): JPEG-LS, JPEG 2000 and HTJ2K
  libcharls-dev libopenjp2-7-dev libopenjph-dev
  # dcmnet TLS; the openssl program makes the test CA of the TLS interop test
  libssl-dev openssl
  # storescp +ac: host access rules (hosts_access(5)) through the TCP wrapper library
  libwrap0-dev
  # peers and oracles used by the tests (never linked): DCMTK's programs, and Orthanc
  # (tests/interop/orthanc_interop.py starts its own instance; the package's service stays off)
  dcmtk orthanc
  # GDCM's gdcmconv: the oracle for JPEG 2000 decoding (tests/interop/compare_codecs.py)
  libgdcm-tools
  # OpenJPH's ojph_expand: an HTJ2K decoder independent of OpenJPEG (compare_codecs.py)
  openjph-tools
  # a real reader of dcm2json's output (tests/interop/pydicom_json.py)
  python3-pydicom
  # dciodvfy: checks the objects pdf2dcm, cda2dcm, stl2dcm and img2dcm create
  dicom3tools
  # pydicom's pixel arrays (img2dcm_interop.py compares them with the input images)
  python3-numpy
  # CI checks: formatting, clang's sanitizers and libFuzzer
  clang clang-format libclang-rt-14-dev
)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "== dependencies: all installed"
  exit 0
fi
echo "== installing: ${missing[*]}"
if [ "$(id -u)" -ne 0 ]; then
  echo "error: run as root (or install the packages above yourself)" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${missing[@]}"
