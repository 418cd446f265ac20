# The libFuzzer targets (tests/<module>/fuzz_*.c), built here with the normal
# compiler and tests/fuzz_driver.c as main, each replaying its seed corpora
# as a ctest: CI builds every target and runs its corpus in the release and
# the ASan/UBSan builds. bench/fuzz_all.sh builds the same sources with
# -fsanitize=fuzzer for real fuzzing.
set(MF_FUZZ_CORPORA
  "vision/fuzz_image_decode|vision/corpus/image,vision/corpus/exif"
  "vision/fuzz_image_exif|vision/corpus/exif,vision/corpus/image"
  "nn/fuzz_model_open|nn/corpus/model"
  "store/fuzz_store_mount|store/corpus/mount"
  "store/fuzz_store_mount_crc|store/corpus/mount"
  "store/fuzz_store_import|store/corpus/import")
foreach(entry ${MF_FUZZ_CORPORA})
  string(REPLACE "|" ";" parts "${entry}")
  list(GET parts 0 source)
  list(GET parts 1 corpora)
  get_filename_component(name ${source} NAME)
  string(REPLACE "," ";" corpora "${corpora}")
  set(dirs "")
  foreach(c ${corpora})
    list(APPEND dirs ${CMAKE_SOURCE_DIR}/tests/${c})
  endforeach()
  add_executable(replay_${name} ${CMAKE_SOURCE_DIR}/tests/${source}.c ${CMAKE_SOURCE_DIR}/tests/fuzz_driver.c)
  target_include_directories(replay_${name} PRIVATE ${CMAKE_SOURCE_DIR}/port/soft_crypto)
  target_link_libraries(replay_${name} PRIVATE mf_test_support)
  add_test(NAME replay_${name} COMMAND replay_${name} ${dirs})
endforeach()
