#!/usr/bin/env bash
# SPDX-License-Identifier: BSD-3-Clause
# Installs a built tree into a temporary prefix and builds tests/install/ against it, once with
# find_package(dcmkit COMPONENTS ...) and once with pkg-config. Usage: run.sh <build dir>
set -euo pipefail
cd "$(dirname "$0")/../.."
build=${1:?build directory}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cmake --install "$build" --prefix "$work/prefix" >/dev/null
echo "-- find_package consumer"
cmake -S tests/install -B "$work/consumer" -G Ninja -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null
cmake --build "$work/consumer" >/dev/null
"$work/consumer/consumer"
echo "-- pkg-config consumer"
export PKG_CONFIG_PATH="$work/prefix/lib/pkgconfig:$work/prefix/lib/$(gcc -dumpmachine)/pkgconfig"
static=--static
# shellcheck disable=SC2046
c++ -std=c++20 tests/install/consumer.cc -o "$work/consumer-pc" \
  $(pkg-config --cflags dcmkit) $(pkg-config $static --libs dcmkit) \
  -Wl,-rpath,"$(pkg-config --variable=libdir dcmkit)"
"$work/consumer-pc"
echo "-- a component that does not exist is reported"
mkdir -p "$work/bad"
cat > "$work/bad/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.25)
project(bad LANGUAGES CXX)
find_package(dcmkit REQUIRED COMPONENTS ofstd nosuchmodule)
CMAKE
if cmake -S "$work/bad" -B "$work/bad/build" -DCMAKE_PREFIX_PATH="$work/prefix" >/dev/null 2>&1; then
  echo "error: find_package accepted a missing component" >&2
  exit 1
fi
echo "install consumer: ok"
