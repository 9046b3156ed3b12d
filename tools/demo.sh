#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# README command 1: installs the dependencies, builds and installs dcmkit into ./_install, and
# runs the main job on the bundled sample data.
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/deps.sh
prefix="$PWD/_install"
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
echo "== configuring build/release"
cmake -S . -B build/release -G Ninja -DCMAKE_BUILD_TYPE=Release -DDCMKIT_BUILD_TESTS=OFF \
  -DCMAKE_INSTALL_PREFIX="$prefix" "${launcher[@]}"
echo "== building"
cmake --build build/release -j"$(nproc)"
echo "== installing into $prefix"
cmake --install build/release >/dev/null
export PATH="$prefix/bin:$PATH"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
echo
echo "== demo: dcmdump of the bundled CT image (first 25 lines)"
dcmdump testdata/ct_image.dcm | head -n 25
echo "..."
echo
echo "== demo: search for a few attributes in every bundled file"
dcmdump +F +sd +sp "*.dcm" +P PatientName +P SOPClassUID +P Modality testdata
echo
echo "== demo: convert to explicit VR big endian and back, then compare the dumps"
dcmconv +tb testdata/ct_image.dcm "$work/big.dcm"
dcmconv +te "$work/big.dcm" "$work/little.dcm"
if diff <(dcmdump +P PixelData +P PatientName testdata/ct_image.dcm) \
        <(dcmdump +P PixelData +P PatientName "$work/little.dcm") >/dev/null; then
  echo "round trip through big endian: identical pixel data and patient name"
fi
echo
echo "== demo: storage round trip on loopback (echoscu, storescu -> storescp)"
port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
mkdir -p "$work/received"
storescp -aet DEMO_SCP -od "$work/received" "$port" &
scp_pid=$!
trap 'kill "$scp_pid" 2>/dev/null || true; rm -rf "$work"' EXIT
for _ in $(seq 50); do echoscu -aec DEMO_SCP 127.0.0.1 "$port" 2>/dev/null && break; sleep 0.1; done
echoscu -v -aec DEMO_SCP 127.0.0.1 "$port"
sent=(testdata/ct_image.dcm testdata/ct_23x38_implicit.dcm testdata/report_dfl.dcm testdata/sr_document.dcm)
storescu -aec DEMO_SCP 127.0.0.1 "$port" "${sent[@]}"
kill "$scp_pid"
wait "$scp_pid" || true
echo "received files:"
dcmdump -q +F +P SOPClassUID +P SOPInstanceUID "$work"/received/*
for f in "${sent[@]}"; do
  uid=$(dcmdump -q +P SOPInstanceUID "$f" | sed -e 's/.*\[\(.*\)\].*/\1/')
  received=$(find "$work/received" -name "*.$uid" | head -n 1)
  # The data sets (the dump after the meta header) must be equal; the transfer syntax may differ.
  if [ -n "$received" ] &&
     diff <(dcmdump -q "$f" | sed -e '1,/^# Dicom-Data-Set/d' -e '/^# Used TransferSyntax/d') \
          <(dcmdump -q "$received" | sed -e '1,/^# Dicom-Data-Set/d' -e '/^# Used TransferSyntax/d') >/dev/null; then
    echo "  $f: received with the same data set"
  else
    echo "  $f: NOT received identically" >&2
    exit 1
  fi
done
echo
echo "== demo: render the CT image to PNG (dcm2pnm +on)"
dcm2pnm +on testdata/ct_image.dcm "$work/ct.png"
file "$work/ct.png" 2>/dev/null || ls -l "$work/ct.png"
echo
echo "== done: programs are in $prefix/bin"
