#include "mcuface/mf_status.h"

const char *mf_status_str(int status)
{
    switch (status) {
    case MF_OK: return "ok";
    case MF_EINVAL: return "invalid argument";
    case MF_ECORRUPT: return "corrupt data";
    case MF_ENOMEM: return "buffer too small";
    case MF_EIO: return "i/o error";
    case MF_ENOSPC: return "no space left";
    case MF_EAUTH: return "authentication failed";
    case MF_ENOTFOUND: return "not found";
    case MF_EUNSUPPORTED: return "unsupported";
    case MF_ERANGE: return "value out of range";
    case MF_EEXIST: return "already exists";
    case MF_ESTATE: return "call out of order";
    default: return status > 0 ? "ok (count)" : "unknown error";
    }
}
