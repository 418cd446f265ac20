# The CLI on bad input: corrupt/truncated/missing models and images give one
# error line and a non-zero exit, never a crash.
add_test(NAME cli_errors COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/cli/cli_errors.py ${CMAKE_BINARY_DIR} ${MF_SHARED_DIR})
set_tests_properties(cli_errors PROPERTIES SKIP_RETURN_CODE 77 WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})

# Model files at the op cap validate and plan in well under a second; beyond
# it (8,193 and 65,534 ops) they are refused (MF_ERANGE) as fast; producer
# errors at the end of an 8,192-op list are found (MF_ECORRUPT).
add_test(NAME model_limits COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/nn/model_limits.py ${CMAKE_BINARY_DIR})
set_tests_properties(model_limits PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120 WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
