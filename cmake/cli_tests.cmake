# End-to-end test of the enrollment CLI (`mcuface db ...`, `mcuface identify`)
# on LFW photos and the antispoof samples, in a temporary directory; skips
# (77) without the converted models or the shared data.
add_test(NAME db_cli COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/cli/db_cli.py ${CMAKE_BINARY_DIR} ${MF_SHARED_DIR})
set_tests_properties(db_cli PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120 WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
