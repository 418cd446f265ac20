/* Fuzz entry points of the host's parsers, called by the libFuzzer targets
 * (tests/{vision,nn,store}/fuzz_*.c), which bench/fuzz_all.sh builds with
 * libFuzzer and cmake/fuzz_replay.cmake builds as plain corpus replays for
 * ctest (release and ASan/UBSan). Each takes arbitrary bytes, returns 0, and aborts on a
 * violated invariant; a crash or sanitizer report is a bug. */
#ifndef MF_TEST_PARSER_FUZZ_H
#define MF_TEST_PARSER_FUZZ_H
#include <stddef.h>
#include <stdint.h>

/* mf_image_decode (JPEG, PNG, PPM/PGM, BMP); a decoded image is read whole. */
int mf_fuzz_image_decode(const uint8_t *data, size_t size);
/* mf_image_exif_orientation: must return 1..8 for any input. */
int mf_fuzz_image_exif(const uint8_t *data, size_t size);
/* mf_model_open, then mf_model_plan for input 0 (sizes the file leaves open
 * set to 8, then 33) and, when the plan is small, bind and run. The header's
 * file-size field and CRC are rewritten first so mutations reach the
 * structural checks instead of stopping at the CRC. */
int mf_fuzz_model(const uint8_t *data, size_t size);
/* mf_fuzz_store_mount (tests/support/store_fixture.h) after recomputing the
 * CRC of every non-blank sector header and record body, so mutations reach
 * the record, template and replay logic behind the CRC. */
int mf_fuzz_store_mount_fixed_crc(const uint8_t *data, size_t size);
#endif
