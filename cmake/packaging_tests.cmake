# Library packaging: cmake --install into a temporary prefix, a consumer
# project built with find_package(mcuface) and with pkg-config, run.
if(MF_SANITIZE)
  set(mf_consumer_flags "-fsanitize=address,undefined")
endif()
add_test(NAME packaging COMMAND bash ${CMAKE_SOURCE_DIR}/tests/packaging/packaging_test.sh ${CMAKE_BINARY_DIR}
                                ${CMAKE_SOURCE_DIR} "${mf_consumer_flags}")
set_tests_properties(packaging PROPERTIES TIMEOUT 300)
