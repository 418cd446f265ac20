# Liveness tests that need Python (torch, cv2) and the converted models:
# C vs the PyTorch oracle of the official checkpoints (computed at test time
# into the build tree), the int8 pair against the numpy int8 reference and
# the float pair, and the CLI's decisions on the antispoof samples.
add_executable(face_liveness_dump ${CMAKE_SOURCE_DIR}/tests/face/liveness_dump.c)
target_link_libraries(face_liveness_dump PRIVATE mf_test_support)
add_test(NAME liveness_vs_pytorch
  COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/face/liveness_vs_pytorch.py --build ${CMAKE_BINARY_DIR}
          --source ${CMAKE_SOURCE_DIR} --dump $<TARGET_FILE:face_liveness_dump>)
add_test(NAME liveness_int8
  COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/face/liveness_int8.py --build ${CMAKE_BINARY_DIR}
          --source ${CMAKE_SOURCE_DIR} --dump $<TARGET_FILE:face_liveness_dump>)
add_test(NAME liveness_cli
  COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/face/liveness_cli.py ${CMAKE_BINARY_DIR})
set_tests_properties(liveness_vs_pytorch liveness_int8 liveness_cli PROPERTIES
  SKIP_RETURN_CODE 77
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
  ENVIRONMENT "MCUFACE_SHARED=${MF_SHARED_DIR};MCUFACE_BUILD=${CMAKE_BINARY_DIR}")
