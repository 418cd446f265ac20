/* mf_version(): the version the library was built as (mf_version.h). */
#include "mcuface/mf_version.h"

const char *mf_version(void) { return MF_VERSION_STRING; }
