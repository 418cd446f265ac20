# `cmake --install BUILD --prefix P`: the static libraries (core, posix port,
# soft crypto), the public headers (include/mcuface), P/lib/pkgconfig/mcuface.pc
# and the CMake package (find_package(mcuface): mcuface::core, mcuface::posix,
# mcuface::soft_crypto). Tested by tests/packaging (ctest -R packaging).
include(CMakePackageConfigHelpers)
set_target_properties(mcuface_core PROPERTIES EXPORT_NAME core)
set_target_properties(mcuface_posix PROPERTIES EXPORT_NAME posix)
set_target_properties(mcuface_soft_crypto PROPERTIES EXPORT_NAME soft_crypto)
install(TARGETS mcuface_core mcuface_posix mcuface_soft_crypto EXPORT mcufaceTargets
        ARCHIVE DESTINATION lib INCLUDES DESTINATION include)
install(DIRECTORY include/mcuface DESTINATION include FILES_MATCHING PATTERN "*.h")
# mf_image_file.h is still under port/posix (it moves to include/mcuface):
# installed beside the others so that mcuface::posix is usable either way.
if(EXISTS ${CMAKE_SOURCE_DIR}/port/posix/mf_image_file.h)
  install(FILES port/posix/mf_image_file.h DESTINATION include)
endif()
install(EXPORT mcufaceTargets NAMESPACE mcuface:: FILE mcufaceTargets.cmake DESTINATION lib/cmake/mcuface)
configure_package_config_file(cmake/mcufaceConfig.cmake.in ${CMAKE_BINARY_DIR}/mcufaceConfig.cmake
                              INSTALL_DESTINATION lib/cmake/mcuface)
write_basic_package_version_file(${CMAKE_BINARY_DIR}/mcufaceConfigVersion.cmake VERSION ${MF_VERSION}
                                 COMPATIBILITY SameMajorVersion)
install(FILES ${CMAKE_BINARY_DIR}/mcufaceConfig.cmake ${CMAKE_BINARY_DIR}/mcufaceConfigVersion.cmake
        DESTINATION lib/cmake/mcuface)
set(MF_PC_DEPS "")
if(MBEDCRYPTO)
  string(APPEND MF_PC_DEPS "-lmbedcrypto ")
endif()
string(APPEND MF_PC_DEPS "-ljpeg -lpng16 -lm")
configure_file(cmake/mcuface.pc.in ${CMAKE_BINARY_DIR}/mcuface.pc @ONLY)
install(FILES ${CMAKE_BINARY_DIR}/mcuface.pc DESTINATION lib/pkgconfig)
