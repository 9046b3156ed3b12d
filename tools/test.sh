#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# README command 2: installs the dependencies, builds dcmkit with warnings as errors and runs the
# whole test suite (unit, corpus, interoperability). Exits non-zero on any failure.
set -euo pipefail
cd "$(dirname "$0")/.."
./tools/deps.sh
build=${DCMKIT_TEST_BUILD_DIR:-build/test}
launcher=()
command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
echo "== configuring $build"
cmake -S . -B "$build" -G Ninja -DCMAKE_BUILD_TYPE=RelWithDebInfo -DDCMKIT_WERROR=ON "${launcher[@]}"
echo "== building"
cmake --build "$build" -j"$(nproc)"
echo "== testing"
ctest --test-dir "$build" -j"$(nproc)" --output-on-failure
echo "== all tests passed"
