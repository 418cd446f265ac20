/* Moved to the public include/mcuface/mf_crypto_soft.h; this forward stays
 * until port/an547/fw_report.c (being rewritten) includes that. */
#include "mcuface/mf_crypto_soft.h"
