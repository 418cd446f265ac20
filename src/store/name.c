/* Identity names: 1..63 bytes of well-formed UTF-8 without characters that
 * can make a display lie about the name (controls, invisible format
 * characters, bidi overrides) or that are not characters at all. */
#include "store/store_internal.h"

/* Unicode category Cf (format characters) as of Unicode 15.1, plus the line
 * and paragraph separators (Zl, Zp), as inclusive ranges. */
static const uint32_t refused_ranges[][2] = {
    { 0x00AD, 0x00AD },   /* soft hyphen */
    { 0x0600, 0x0605 },   /* Arabic number signs */
    { 0x061C, 0x061C },   /* Arabic letter mark */
    { 0x06DD, 0x06DD },
    { 0x070F, 0x070F },
    { 0x0890, 0x0891 },
    { 0x08E2, 0x08E2 },
    { 0x180E, 0x180E },   /* Mongolian vowel separator */
    { 0x200B, 0x200F },   /* zero-width space, ZWNJ, ZWJ, LRM, RLM */
    { 0x2028, 0x202E },   /* line/paragraph separators; LRE, RLE, PDF, LRO, RLO */
    { 0x2060, 0x2064 },   /* word joiner, invisible operators */
    { 0x2066, 0x206F },   /* LRI, RLI, FSI, PDI; deprecated format controls */
    { 0xFEFF, 0xFEFF },   /* BOM / zero-width no-break space */
    { 0xFFF9, 0xFFFB },   /* interlinear annotation */
    { 0x110BD, 0x110BD },
    { 0x110CD, 0x110CD },
    { 0x13430, 0x1343F }, /* Egyptian hieroglyph format controls */
    { 0x1BCA0, 0x1BCA3 }, /* shorthand format controls */
    { 0x1D173, 0x1D17A }, /* musical symbol format controls */
    { 0xE0001, 0xE0001 }, /* language tag */
    { 0xE0020, 0xE007F }, /* tag characters */
};

/* 1 for a code point a name may not hold (controls already excluded). */
static int refused(uint32_t cp)
{
    if (cp >= 0xFDD0 && cp <= 0xFDEF) return 1;   /* noncharacters */
    if ((cp & 0xFFFEu) == 0xFFFEu) return 1;      /* U+xxFFFE, U+xxFFFF: noncharacters */
    for (size_t i = 0; i < sizeof refused_ranges / sizeof refused_ranges[0]; i++)
        if (cp >= refused_ranges[i][0] && cp <= refused_ranges[i][1]) return 1;
    return 0;
}

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
        if (refused(cp)) return MF_EINVAL;
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
