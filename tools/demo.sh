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
echo "== done: programs are in $prefix/bin"
