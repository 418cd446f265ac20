# End-to-end test of the enrollment CLI (`mcuface db ...`, `mcuface identify`)
# on LFW photos and the antispoof samples, in a temporary directory; skips
# (77) without the converted models or the shared data.
add_test(NAME db_cli COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/cli/db_cli.py ${CMAKE_BINARY_DIR} ${MF_SHARED_DIR})
set_tests_properties(db_cli PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})

# --precision float32|int8 on every command that opens models: parsing, the
# int8 detector against the float one, explicit files winning, a missing
# int8 model as one line (or, once built, the int8 run), stored thresholds.
add_test(NAME cli_precision COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/cli/cli_precision.py ${CMAKE_BINARY_DIR} ${MF_SHARED_DIR})
set_tests_properties(cli_precision PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})

# All-pairs FAR / FRR of the store's int8 scores (bench/lfw_thresholds.py)
# against brute force, and `eval lfw --embeddings` against `embed`.
add_test(NAME lfw_thresholds COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/eval/lfw_thresholds_test.py ${CMAKE_BINARY_DIR} ${MF_SHARED_DIR})
set_tests_properties(lfw_thresholds PROPERTIES TIMEOUT 120 WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})

# Concurrent db writers (N = 2, 4, 8 processes x 20 rounds) lose no
# acknowledged enroll/rename/delete; the lock's wait, "busy" and shared mode.
add_test(NAME db_concurrency COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/cli/db_concurrency.py ${CMAKE_BINARY_DIR} ${MF_SHARED_DIR})
set_tests_properties(db_concurrency PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600 WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})

# Atomic init, export OUT path safety, FIFOs as key/import/db, NFC names and
# escaped names in errors, --max-faces truncation reports.
if(MF_SANITIZE)
  set(MF_SAFETY_FLAGS --sanitized)
endif()
add_test(NAME db_safety COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/cli/db_safety.py ${CMAKE_BINARY_DIR} ${MF_SHARED_DIR} ${MF_SAFETY_FLAGS})
set_tests_properties(db_safety PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 120 WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})

# The CLI's usage against its parser: --version from mf_version.h, every
# command's --help, the global usage listing every option; with the models
# and ../shared, the small-faces remark of detect.
add_test(NAME cli_usage COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/cli/cli_usage.py ${CMAKE_BINARY_DIR} ${CMAKE_SOURCE_DIR} ${MF_SHARED_DIR})
set_tests_properties(cli_usage PROPERTIES TIMEOUT 60)

# mcuface video (frame folders and video files, tracking, re-checks, names
# against identify, -o) and identify -o, on crops of a NUAA frame made at
# test time; bad input as one line. Skips (77) without the models or data.
add_test(NAME video_cli COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/cli/video_cli.py ${CMAKE_BINARY_DIR} ${MF_SHARED_DIR})
set_tests_properties(video_cli PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 600 WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
