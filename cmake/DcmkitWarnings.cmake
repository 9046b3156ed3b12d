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

