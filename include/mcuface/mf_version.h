/* The version of mcuface: the one place it is written. CMake reads these
 * three numbers (cmake/mcuface_version.cmake) for the installed package,
 * mcuface.pc and `mcuface --version`. Semantic versioning: MAJOR changes
 * break the public API or the model/store formats' compatibility. */
#ifndef MCUFACE_MF_VERSION_H
#define MCUFACE_MF_VERSION_H

#define MF_VERSION_MAJOR 0
#define MF_VERSION_MINOR 1
#define MF_VERSION_PATCH 0

#define MF_VERSION_STR_(x) #x
#define MF_VERSION_STR(x) MF_VERSION_STR_(x)
/* "MAJOR.MINOR.PATCH" */
#define MF_VERSION_STRING                                                                                       \
    MF_VERSION_STR(MF_VERSION_MAJOR) "." MF_VERSION_STR(MF_VERSION_MINOR) "." MF_VERSION_STR(MF_VERSION_PATCH)

/* The version of the library linked in (MF_VERSION_STRING when it was
 * built), to compare with the header a program was compiled against.
 * A constant string owned by the library, never NULL. Thread safety: may be
 * called from any thread at any time. */
const char *mf_version(void);

#endif
