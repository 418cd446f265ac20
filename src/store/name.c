/* Identity names: 1..63 bytes of well-formed UTF-8 without control characters. */
#include "store/store_internal.h"

/* Returns MF_OK or MF_EINVAL for the LEN bytes at NAME (no terminator needed). */
int mf_name_valid(const char *name, size_t len)
{
    const uint8_t *p = (const uint8_t *)name;
    if (len == 0) return MF_EINVAL;
    for (size_t i = 0; i < len;) {
        uint8_t c = p[i];
        if (c < 0x80) {
            if (c < 0x20 || c == 0x7F) return MF_EINVAL;
            i++;
            continue;
        }
        uint32_t cp, min;
        size_t n;
        if ((c & 0xE0) == 0xC0) { n = 2; cp = c & 0x1Fu; min = 0x80; }
        else if ((c & 0xF0) == 0xE0) { n = 3; cp = c & 0x0Fu; min = 0x800; }
        else if ((c & 0xF8) == 0xF0) { n = 4; cp = c & 0x07u; min = 0x10000; }
        else return MF_EINVAL;
        if (i + n > len) return MF_EINVAL;
        for (size_t k = 1; k < n; k++) {
            if ((p[i + k] & 0xC0) != 0x80) return MF_EINVAL;
            cp = cp << 6 | (p[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return MF_EINVAL;
        if (cp >= 0x80 && cp < 0xA0) return MF_EINVAL;  /* C1 controls */
        i += n;
    }
    return MF_OK;
}

int mf_store_check_name(const char *name)
{
    if (!name) return MF_EINVAL;
    size_t len = 0;
    while (name[len] && len <= MF_STORE_NAME_MAX) len++;
    if (len > MF_STORE_NAME_MAX) return MF_ERANGE;
    return mf_name_valid(name, len);
}
