# Detection against the PyTorch oracle (tools/convert/retinaface.py), on the
# multiface photos at long side 320 and the original scale. Needs python3
# with torch and cv2, and the converted models in the build tree.
add_test(NAME detect_vs_pytorch
  COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/face/detect_vs_pytorch.py ${CMAKE_BINARY_DIR} ${MF_SHARED_DIR})
set_tests_properties(detect_vs_pytorch PROPERTIES SKIP_RETURN_CODE 77 LABELS "slow;oracle"
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})

# Every recognizer against its PyTorch oracle on 100 LFW faces aligned by the C pipeline.
add_test(NAME recognizer_vs_pytorch
  COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/face/recognizer_vs_pytorch.py ${CMAKE_BINARY_DIR} ${MF_SHARED_DIR})
set_tests_properties(recognizer_vs_pytorch PROPERTIES SKIP_RETURN_CODE 77 LABELS "slow;oracle"
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})

# edgeface_xs_gamma_06_int8 bit for bit against the numpy int8 interpreter
# (tools/fixtures/int8_reference.py) on faces aligned by the C pipeline.
add_test(NAME fixtures_edgeface_int8
  COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tools/fixtures/make_edgeface_int8_fixture.py ${CMAKE_BINARY_DIR}
          ${MF_SHARED_DIR} ${CMAKE_BINARY_DIR}/fixtures/edgeface_int8)
set_tests_properties(fixtures_edgeface_int8 PROPERTIES FIXTURES_SETUP edgeface_int8 SKIP_RETURN_CODE 77)
if(TARGET face_test_edgeface_int8)
  set_tests_properties(face_test_edgeface_int8 PROPERTIES FIXTURES_REQUIRED edgeface_int8)
endif()

# YuNet (float32) against OpenCV's cv2.dnn on the original ONNX file, decoded
# in numpy, on the multiface photos at long sides 320, 640 and the original size.
add_executable(face_detect_dump ${CMAKE_SOURCE_DIR}/tests/face/detect_dump.c)
target_link_libraries(face_detect_dump PRIVATE mf_test_support)
add_test(NAME detect_yunet_vs_opencv
  COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/face/detect_yunet_vs_opencv.py ${CMAKE_BINARY_DIR} ${MF_SHARED_DIR}
          $<TARGET_FILE:face_detect_dump>)
set_tests_properties(detect_yunet_vs_opencv PROPERTIES SKIP_RETURN_CODE 77 LABELS "oracle"
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})

# YuNet int8: the C input, outputs and faces against tools/fixtures/int8_reference.py
# (independent numpy int8 interpreter) on the multiface photos at long side 320.
add_test(NAME detect_yunet_int8
  COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/face/detect_yunet_int8.py ${CMAKE_BINARY_DIR} ${MF_SHARED_DIR}
          $<TARGET_FILE:face_detect_dump>)
set_tests_properties(detect_yunet_int8 PROPERTIES SKIP_RETURN_CODE 77 LABELS "oracle"
  WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
