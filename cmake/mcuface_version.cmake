# MF_VERSION (MAJOR.MINOR.PATCH) read from include/mcuface/mf_version.h, the
# one place the version is written; CMakeLists.txt passes it to project().
file(STRINGS "${CMAKE_CURRENT_LIST_DIR}/../include/mcuface/mf_version.h" mf_version_lines
     REGEX "^#define MF_VERSION_(MAJOR|MINOR|PATCH) [0-9]+$")
foreach(part MAJOR MINOR PATCH)
  string(REGEX MATCH "MF_VERSION_${part} ([0-9]+)" _ "${mf_version_lines}")
  set(MF_VERSION_${part} "${CMAKE_MATCH_1}") # before any if(MATCHES) resets it
  if(MF_VERSION_${part} STREQUAL "")
    message(FATAL_ERROR "include/mcuface/mf_version.h: no MF_VERSION_${part}")
  endif()
endforeach()
set(MF_VERSION "${MF_VERSION_MAJOR}.${MF_VERSION_MINOR}.${MF_VERSION_PATCH}")
