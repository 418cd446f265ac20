# PyTorch oracles for the reference kernels, generated at test time into the
# build tree (nothing derived is committed). Without python3 the marker the
# tests read is written directly, so they run their hand cases and then skip.
set(MF_KERNEL_FIXTURES ${CMAKE_BINARY_DIR}/fixtures/kernels)
find_program(MF_KERNEL_PYTHON3 NAMES python3 PATHS /usr/bin NO_DEFAULT_PATH)
if(NOT MF_KERNEL_PYTHON3)
  find_program(MF_KERNEL_PYTHON3 python3)
endif()
if(MF_KERNEL_PYTHON3)
  add_test(NAME fixtures_kernels
    COMMAND ${MF_KERNEL_PYTHON3} ${CMAKE_SOURCE_DIR}/tools/fixtures/make_kernel_fixtures.py ${MF_KERNEL_FIXTURES})
else()
  file(WRITE ${MF_KERNEL_FIXTURES}/UNAVAILABLE "python3 not found at configure time\n")
  add_test(NAME fixtures_kernels COMMAND ${CMAKE_COMMAND} -E echo "python3 not found: kernel tests skip the torch cases")
endif()
# 77: torch/numpy missing (the script leaves OUT_DIR/UNAVAILABLE saying why).
set_tests_properties(fixtures_kernels PROPERTIES FIXTURES_SETUP kernel_fixtures SKIP_RETURN_CODE 77)
foreach(src ${MF_TEST_SOURCES})
  get_filename_component(dir ${src} DIRECTORY)
  get_filename_component(module ${dir} NAME)
  if(module STREQUAL "kernels")
    get_filename_component(name ${src} NAME_WE)
    set_tests_properties(kernels_${name} PROPERTIES FIXTURES_REQUIRED kernel_fixtures)
  endif()
endforeach()
