# The store suites again with the portable AES-256-GCM hook (port/soft_crypto)
# in place of mbedtls: tests/support/store_fixture.c picks the hook from
# MCUFACE_STORE_CRYPTO. Same binaries, so every store guarantee (power cuts,
# bit flips, wrong key, export/import) is checked on the firmware's crypto.
foreach(name store_basic store_powercut store_bitflip store_errors)
  add_test(NAME store_test_${name}_soft_crypto COMMAND store_test_${name})
  set_tests_properties(store_test_${name}_soft_crypto PROPERTIES
    SKIP_RETURN_CODE 77
    WORKING_DIRECTORY ${CMAKE_SOURCE_DIR}
    ENVIRONMENT "MCUFACE_STORE_CRYPTO=soft;MCUFACE_SHARED=${MF_SHARED_DIR};MCUFACE_BUILD=${CMAKE_BINARY_DIR};MCUFACE_SOURCE=${CMAKE_SOURCE_DIR}")
endforeach()
