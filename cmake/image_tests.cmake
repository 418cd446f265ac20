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

# The public headers are enough to decode an image with EXIF rotation: this
# program sees only include/ (and libjpeg's header to write its JPEG) and
# links the libraries by file, so no private include directory propagates.
add_executable(vision_public_header_decode ${CMAKE_SOURCE_DIR}/tests/vision/public_header_decode.c)
set_target_properties(vision_public_header_decode PROPERTIES INCLUDE_DIRECTORIES ${CMAKE_SOURCE_DIR}/include)
add_dependencies(vision_public_header_decode mcuface_posix mcuface_core)
target_link_libraries(vision_public_header_decode PRIVATE $<TARGET_FILE:mcuface_posix> $<TARGET_FILE:mcuface_core>
  ${JPEG_LIBRARY} ${PNG_LIBRARY} m)
add_test(NAME vision_public_header_decode COMMAND vision_public_header_decode)
