#include "mf_test.h"
#include "mcuface/mf_status.h"
#include <string.h>

static void every_error_has_a_distinct_message(void)
{
    for (int a = MF_ESTATE; a <= MF_OK; a++)
        for (int b = a + 1; b <= MF_OK; b++)
            MF_CHECK(strcmp(mf_status_str(a), mf_status_str(b)) != 0);
    MF_CHECK(strcmp(mf_status_str(-1000), "unknown error") == 0);
}

int main(void)
{
    MF_RUN(every_error_has_a_distinct_message);
    return mf_test_summary();
}
