# The one list of the portable core's sources, included by every build of it
# (CMakeLists.txt, port/an547, tests/m55, tests/m55_graph, tools/fwref) and
# printed for scripts/check_m55_compile.sh:
#   cmake -DMF_PRINT_SOURCES=ON -P cmake/core_sources.cmake   (one path a line, on stderr)
# Every module directory is globbed, so adding a file never needs an edit.
# Defines (absolute paths):
#   MF_ROOT                the repository root
#   MF_CORE_SOURCES        src/: runtime, reference kernels, vision, face, store
#   MF_CORE_MVE_SOURCES    src/nn/ops/mve: the Helium twins (MF_USE_MVE=1 builds)
#   MF_CORE_X86_SOURCES    src/nn/ops/x86: the x86-64 twins (MF_USE_X86=1 host builds)
#   MF_SOFT_CRYPTO_SOURCES port/soft_crypto: the portable AES-256-GCM store hook
#   MF_CORE_INCLUDE_DIRS   include (public) and src (private to the core)
get_filename_component(MF_ROOT "${CMAKE_CURRENT_LIST_DIR}/.." ABSOLUTE)
if(CMAKE_SCRIPT_MODE_FILE)
  set(mf_glob_flags "")  # -P: there is no build to re-glob for
else()
  set(mf_glob_flags CONFIGURE_DEPENDS)
endif()
file(GLOB MF_CORE_SOURCES ${mf_glob_flags}
  ${MF_ROOT}/src/*.c ${MF_ROOT}/src/nn/*.c ${MF_ROOT}/src/nn/ops/ref/*.c
  ${MF_ROOT}/src/vision/*.c ${MF_ROOT}/src/face/*.c ${MF_ROOT}/src/store/*.c)
file(GLOB MF_CORE_MVE_SOURCES ${mf_glob_flags} ${MF_ROOT}/src/nn/ops/mve/*.c)
file(GLOB MF_CORE_X86_SOURCES ${mf_glob_flags} ${MF_ROOT}/src/nn/ops/x86/*.c)
file(GLOB MF_SOFT_CRYPTO_SOURCES ${mf_glob_flags} ${MF_ROOT}/port/soft_crypto/*.c)
set(MF_CORE_INCLUDE_DIRS ${MF_ROOT}/include ${MF_ROOT}/src)

if(MF_PRINT_SOURCES)
  foreach(f IN LISTS MF_CORE_SOURCES MF_SOFT_CRYPTO_SOURCES)
    file(RELATIVE_PATH rel ${MF_ROOT} ${f})
    message(NOTICE "${rel}")
  endforeach()
endif()
