# Camera-frame conversions vs cv2.cvtColor on fixtures made at test time (too
# large to commit): every RGB565 word and every (U, V) with 16 Y values, and
# frames encoded from two multiface photos. Skip (77) without python3-opencv
# or the photos. The committed synthetic fixture runs as vision_test_frame_convert.
foreach(kind exhaustive photo)
  set(out ${CMAKE_BINARY_DIR}/frame_${kind}.bin)
  if(kind STREQUAL "photo")
    set(args --photo ${MF_SHARED_DIR}/data/multiface/1.jpg ${MF_SHARED_DIR}/data/multiface/12.jpg)
  else()
    set(args --exhaustive)
  endif()
  add_test(NAME vision_frame_convert_${kind}
    COMMAND sh -c "\"$@\" >/dev/null || exit $?; \"$0\" \"${out}\"; rc=$?; rm -f \"${out}\"; exit $rc"
            $<TARGET_FILE:vision_test_frame_convert> ${MF_PYTHON3}
            ${CMAKE_SOURCE_DIR}/tools/fixtures/make_frame_fixtures.py ${args} ${out})
  set_tests_properties(vision_frame_convert_${kind} PROPERTIES SKIP_RETURN_CODE 77
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR} LABELS "oracle")
endforeach()
