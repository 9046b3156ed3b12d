# SPDX-License-Identifier: BSD-3-Clause
# Thin helpers that remove boilerplate without hiding it (STYLE.md 2.10).

# dcmkit_add_module(<name> [DEPENDS [PUBLIC ...] [PRIVATE ...]] [SOURCES ...] [HEADERS ...])
# Creates target dcmkit_<name> (alias and export name dcmkit::<name>). A module without sources is
# an INTERFACE target: the skeleton of a module that is not built yet.
function(dcmkit_add_module name)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "DEPENDS;SOURCES;HEADERS")
  set(target dcmkit_${name})
  set(public_deps "")
  set(private_deps "")
  set(mode PUBLIC)
  foreach(item IN LISTS arg_DEPENDS)
    if(item STREQUAL "PUBLIC" OR item STREQUAL "PRIVATE")
      set(mode ${item})
    elseif(mode STREQUAL "PUBLIC")
      list(APPEND public_deps ${item})
    else()
      list(APPEND private_deps ${item})
    endif()
  endforeach()

  if(arg_SOURCES)
    add_library(${target} ${arg_SOURCES})
    set(scope PUBLIC)
    target_link_libraries(${target} PRIVATE $<BUILD_INTERFACE:dcmkit::warnings>)
    set_target_properties(${target} PROPERTIES
      OUTPUT_NAME dcmkit_${name}
      VERSION ${PROJECT_VERSION}
      SOVERSION ${PROJECT_VERSION_MAJOR}.${PROJECT_VERSION_MINOR})
    set_property(GLOBAL APPEND PROPERTY DCMKIT_BUILT_MODULES ${name})
  else()
    add_library(${target} INTERFACE)
    set(scope INTERFACE)
  endif()
  add_library(dcmkit::${name} ALIAS ${target})
  set_target_properties(${target} PROPERTIES EXPORT_NAME ${name})
  target_compile_features(${target} ${scope} cxx_std_20)
  if(arg_HEADERS)
    target_sources(${target} ${scope} FILE_SET HEADERS BASE_DIRS include FILES ${arg_HEADERS})
  endif()
  if(public_deps)
    target_link_libraries(${target} ${scope} ${public_deps})
  endif()
  if(private_deps)
    if(arg_SOURCES)
      target_link_libraries(${target} PRIVATE ${private_deps})
    else()
      message(FATAL_ERROR "dcmkit module ${name}: PRIVATE dependencies need sources")
    endif()
  endif()
  install(TARGETS ${target} EXPORT dcmkitTargets
    ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
    LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}
    RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR}
    FILE_SET HEADERS DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})

  # Record the declared module graph; tools/check_module_deps.py checks #includes against it.
  set(dcmkit_deps "")
  foreach(dep IN LISTS public_deps private_deps)
    if(dep MATCHES "^dcmkit::(.+)$")
      list(APPEND dcmkit_deps ${CMAKE_MATCH_1})
    endif()
  endforeach()
  list(JOIN dcmkit_deps " " dcmkit_deps_text)
  set_property(GLOBAL APPEND PROPERTY DCMKIT_MODULE_GRAPH "${name}: ${dcmkit_deps_text}")
  set_property(GLOBAL APPEND PROPERTY DCMKIT_ALL_MODULES ${name})
endfunction()

# dcmkit_add_tests(<module> <sources...> [LIBS ...]): one test executable per module, which
# alone may see the module's private src/ headers.
function(dcmkit_add_tests module)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "LIBS")
  set(target dcmkit_${module}_tests)
  add_executable(${target} ${arg_UNPARSED_ARGUMENTS})
  target_link_libraries(${target} PRIVATE dcmkit::${module} ${arg_LIBS} GTest::gtest_main
    dcmkit::warnings)
  target_include_directories(${target} PRIVATE ${PROJECT_SOURCE_DIR}/${module}/src
    ${PROJECT_SOURCE_DIR}/tests/common)
  target_compile_definitions(${target} PRIVATE
    DCMKIT_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    DCMKIT_BINARY_DIR="${PROJECT_BINARY_DIR}")
  gtest_discover_tests(${target} DISCOVERY_MODE PRE_TEST
    PROPERTIES ENVIRONMENT "DCMKIT_SOURCE_DIR=${PROJECT_SOURCE_DIR}")
endfunction()

# dcmkit_add_app(<program> SOURCES ... [LIBS ...] [ALIASES name...]): a command-line program;
# ALIASES install further names for the same program (dcmj2pnm -> dcm2pnm).
function(dcmkit_add_app program)
  cmake_parse_arguments(PARSE_ARGV 1 arg "" "" "SOURCES;LIBS;ALIASES")
  add_executable(${program} ${arg_SOURCES})
  target_link_libraries(${program} PRIVATE dcmkit_app_common ${arg_LIBS} dcmkit::warnings)
  install(TARGETS ${program} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
  foreach(alias IN LISTS arg_ALIASES)
    add_custom_command(TARGET ${program} POST_BUILD
      COMMAND ${CMAKE_COMMAND} -E create_symlink ${program} $<TARGET_FILE_DIR:${program}>/${alias})
    install(CODE "execute_process(COMMAND ${CMAKE_COMMAND} -E create_symlink ${program}
      \"\$ENV{DESTDIR}${CMAKE_INSTALL_FULL_BINDIR}/${alias}\")")
  endforeach()
endfunction()

# Installs the CMake package (targets, config with COMPONENTS, version file) and dcmkit.pc.
function(dcmkit_install_package)
  set(cmake_dir ${CMAKE_INSTALL_LIBDIR}/cmake/dcmkit)
  install(EXPORT dcmkitTargets NAMESPACE dcmkit:: DESTINATION ${cmake_dir})
  get_property(all_modules GLOBAL PROPERTY DCMKIT_ALL_MODULES)
  get_property(module_graph GLOBAL PROPERTY DCMKIT_MODULE_GRAPH)
  set(DCMKIT_CONFIG_MODULES "${all_modules}")
  configure_package_config_file(${PROJECT_SOURCE_DIR}/cmake/dcmkitConfig.cmake.in
    ${PROJECT_BINARY_DIR}/dcmkitConfig.cmake INSTALL_DESTINATION ${cmake_dir})
  write_basic_package_version_file(${PROJECT_BINARY_DIR}/dcmkitConfigVersion.cmake
    COMPATIBILITY SameMajorVersion)
  install(FILES ${PROJECT_BINARY_DIR}/dcmkitConfig.cmake
    ${PROJECT_BINARY_DIR}/dcmkitConfigVersion.cmake DESTINATION ${cmake_dir})

  # pkg-config: libraries in link order (dependents first).
  get_property(built GLOBAL PROPERTY DCMKIT_BUILT_MODULES)
  list(REVERSE built)
  set(DCMKIT_PC_LIBS "")
  foreach(module IN LISTS built)
    string(APPEND DCMKIT_PC_LIBS " -ldcmkit_${module}")
  endforeach()
  # Relocatable: the prefix is found relative to the .pc file, so `cmake --install --prefix`
  # into any directory gives a working file.
  file(RELATIVE_PATH DCMKIT_PC_PREFIX_FROM_PCDIR "/prefix/${CMAKE_INSTALL_LIBDIR}/pkgconfig" "/prefix")
  configure_file(${PROJECT_SOURCE_DIR}/cmake/dcmkit.pc.in ${PROJECT_BINARY_DIR}/dcmkit.pc @ONLY)
  install(FILES ${PROJECT_BINARY_DIR}/dcmkit.pc DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

  list(JOIN module_graph "\n" graph_text)
  file(WRITE ${PROJECT_BINARY_DIR}/dcmkit_module_graph.txt "${graph_text}\n")
endfunction()
