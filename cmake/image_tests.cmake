# Image decoding end to end through `mcuface decode`: bit-exact against
# cv2.imread (photos from ../shared when present, plus generated PNG / BMP /
# PNM / JPEG variants), and a generated corpus of hostile files that must each
# exit 1 with one line, within a second and 64 MB (5 s and no memory limit
# under the sanitizers).
add_test(NAME vision_decode_vs_cv2
  COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/vision/decode_vs_cv2.py ${CMAKE_BINARY_DIR} ${MF_SHARED_DIR})
set_tests_properties(vision_decode_vs_cv2 PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
if(MF_SANITIZE)
  set(MF_HOSTILE_FLAGS --sanitized)
endif()
add_test(NAME vision_hostile_images
  COMMAND ${MF_PYTHON3} ${CMAKE_SOURCE_DIR}/tests/vision/hostile_images.py ${CMAKE_BINARY_DIR} ${MF_HOSTILE_FLAGS})
set_tests_properties(vision_hostile_images PROPERTIES SKIP_RETURN_CODE 77 TIMEOUT 300 WORKING_DIRECTORY ${CMAKE_SOURCE_DIR})
