# SPDX-License-Identifier: BSD-3-Clause
# dcmkit::warnings carries the warning set (STYLE.md 2.12) and the sanitizer flags to every target.
add_library(dcmkit_warnings INTERFACE)
add_library(dcmkit::warnings ALIAS dcmkit_warnings)
target_compile_options(dcmkit_warnings INTERFACE
  $<BUILD_INTERFACE:-Wall -Wextra -Wpedantic -Wconversion -Wsign-conversion -Wshadow
  -Wnon-virtual-dtor -Wold-style-cast>)
if(DCMKIT_WERROR)
  target_compile_options(dcmkit_warnings INTERFACE $<BUILD_INTERFACE:-Werror>)
endif()
if(DCMKIT_SANITIZE)
  set(_dcmkit_san -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer)
  target_compile_options(dcmkit_warnings INTERFACE $<BUILD_INTERFACE:${_dcmkit_san}>)
  target_link_options(dcmkit_warnings INTERFACE $<BUILD_INTERFACE:${_dcmkit_san}>)
endif()
if(DCMKIT_FUZZ)
  # Coverage instrumentation for libFuzzer in every target, with ASan and UBSan; the fuzz
  # targets add -fsanitize=fuzzer (libFuzzer's main) themselves (fuzz/CMakeLists.txt).
  if(NOT CMAKE_CXX_COMPILER_ID MATCHES "Clang")
    message(FATAL_ERROR "DCMKIT_FUZZ needs clang (CXX=clang++)")
  endif()
  set(_dcmkit_fuzz -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all
    -fno-omit-frame-pointer)
  target_compile_options(dcmkit_warnings INTERFACE $<BUILD_INTERFACE:${_dcmkit_fuzz}>)
  target_link_options(dcmkit_warnings INTERFACE $<BUILD_INTERFACE:${_dcmkit_fuzz}>)
endif()
