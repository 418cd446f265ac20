/* Status codes shared by every mcuface function.
 * 0 is success, negative values are errors, positive values are counts
 * (for functions that document returning one).
 *
 * Thread safety: mf_status_str may be called from any thread.
 */
#ifndef MCUFACE_MF_STATUS_H
#define MCUFACE_MF_STATUS_H

typedef enum mf_status {
    MF_OK = 0,
    MF_EINVAL = -1,       /* bad argument: NULL, wrong size, out of range */
    MF_ECORRUPT = -2,     /* data failed validation: bad magic, CRC, offset */
    MF_ENOMEM = -3,       /* caller's buffer or arena too small */
    MF_EIO = -4,          /* read, write, program or erase failed */
    MF_ENOSPC = -5,       /* storage full */
    MF_EAUTH = -6,        /* authentication tag mismatch or wrong key */
    MF_ENOTFOUND = -7,    /* no such id, file or face */
    MF_EUNSUPPORTED = -8, /* valid but not handled: unknown op, version */
    MF_ERANGE = -9,       /* value too large: image dimensions, name length */
    MF_EEXIST = -10,      /* already present */
    MF_ESTATE = -11       /* call out of order (run before plan, ...) */
} mf_status;

/* Short constant description of a status, never NULL. */
const char *mf_status_str(int status);

#endif
