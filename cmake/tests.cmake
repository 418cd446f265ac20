# Every tests/<module>/test_*.c is one test binary and one ctest entry. Tests
# find data through MCUFACE_MODELS / MCUFACE_DATA / MCUFACE_BUILD and skip
# (exit 77) with a message when they are absent.
file(GLOB_RECURSE MF_TEST_SOURCES CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/*/test_*.c)
file(GLOB MF_TEST_SUPPORT CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/tests/support/*.c)
add_library(mf_test_support STATIC ${MF_TEST_SUPPORT} ${CMAKE_SOURCE_DIR}/tests/mf_test.c)
target_include_directories(mf_test_support PUBLIC ${CMAKE_SOURCE_DIR}/tests ${CMAKE_SOURCE_DIR}/tests/support ${CMAKE_SOURCE_DIR}/src)
target_link_libraries(mf_test_support PUBLIC mcuface_posix mcuface_soft_crypto mcuface_eval)

get_filename_component(MF_SHARED_DIR ${CMAKE_SOURCE_DIR}/../shared ABSOLUTE)
foreach(src ${MF_TEST_SOURCES})
  get_filename_component(name ${src} NAME_WE)
  get_filename_component(dir ${src} DIRECTORY)
  get_filename_component(module ${dir} NAME)
  set(target ${module}_${name})
  add_executable(${target} ${src})
  target_link_libraries(${target} PRIVATE mf_test_support)
  add_test(NAME ${target} COMMAND ${target})
  set_tests_properties(${target} PROPERTIES
    SKIP_RETURN_CODE 77
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    ENVIRONMENT "MCUFACE_SHARED=${MF_SHARED_DIR};MCUFACE_BUILD=${CMAKE_BINARY_DIR};MCUFACE_SOURCE=${CMAKE_SOURCE_DIR}")
endforeach()
include(${CMAKE_SOURCE_DIR}/cmake/store_soft_crypto_tests.cmake)
include(${CMAKE_SOURCE_DIR}/cmake/model_fixtures.cmake)
include(${CMAKE_SOURCE_DIR}/cmake/kernel_fixtures.cmake)
include(${CMAKE_SOURCE_DIR}/cmake/liveness_tests.cmake)
include(${CMAKE_SOURCE_DIR}/cmake/face_tests.cmake)
include(${CMAKE_SOURCE_DIR}/cmake/frame_tests.cmake)
include(${CMAKE_SOURCE_DIR}/cmake/cli_error_tests.cmake)
include(${CMAKE_SOURCE_DIR}/cmake/cli_tests.cmake)
include(${CMAKE_SOURCE_DIR}/cmake/image_tests.cmake)
include(${CMAKE_SOURCE_DIR}/cmake/fuzz_replay.cmake)
include(${CMAKE_SOURCE_DIR}/cmake/packaging_tests.cmake)
