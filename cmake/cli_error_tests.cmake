# The CLI on bad input: corrupt/truncated/missing models and images give one
# error line and a non-zero exit, never a crash.
add_test(NAME cli_errors COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/cli/cli_errors.py ${CMAKE_BINARY_DIR} ${MF_SHARED_DIR})
set_tests_properties(cli_errors PROPERTIES SKIP_RETURN_CODE 77 WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
