/* Uses only the installed public headers: prints the library's version
 * (which must equal the header's), then, given a model file, maps it, plans
 * it for a 320x240 image and prints its op count, and seals and opens one
 * block with the portable AES-256-GCM hook. Exit 0 when all of it works. */
#include "mcuface/mf_crypto_soft.h"
#include "mcuface/mf_model.h"
#include "mcuface/mf_posix_file.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_version.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int fixed_random(void *ctx, uint8_t *buf, size_t len)
{
    (void)ctx;
    memset(buf, 0x5a, len);
    return MF_OK;
}

static int check_crypto(void)
{
    uint8_t key[MF_STORE_KEY_BYTES] = {1, 2, 3}, nonce[MF_STORE_NONCE_BYTES] = {0}, tag[MF_STORE_TAG_BYTES];
    uint8_t plain[32] = "a template, sealed and opened", cipher[32], back[32];
    mf_store_crypto_soft state;
    mf_store_crypto hook;
    int err = mf_store_crypto_soft_init(&state, key, fixed_random, NULL, &hook);
    if (!err) err = mf_store_crypto_soft_seal(&state, nonce, NULL, 0, plain, sizeof plain, cipher, tag);
    if (!err) err = mf_store_crypto_soft_open(&state, nonce, NULL, 0, cipher, sizeof cipher, back, tag);
    mf_store_crypto_soft_wipe(&state);
    if (err || memcmp(plain, back, sizeof plain) != 0 || memcmp(plain, cipher, sizeof plain) == 0) {
        fprintf(stderr, "consumer: AES-256-GCM round trip failed: %s\n", mf_status_str(err));
        return 1;
    }
    printf("crypto: ok\n");
    return 0;
}

static int print_op_count(const char *path)
{
    mf_mapped_file file;
    mf_model model;
    int err = mf_map_file(path, &file);
    if (err) {
        fprintf(stderr, "consumer: %s: %s\n", path, mf_status_str(err));
        return 1;
    }
    err = mf_model_open(&model, file.data, file.size);
    int32_t dims[4] = {0};
    int rank = err ? 0 : mf_model_input_dims(&model, 0, dims);
    if (!err && rank < 1) err = rank < 0 ? rank : MF_EINVAL;
    if (!err && rank == 4) {
        if (dims[1] == 0) dims[1] = 240;
        if (dims[2] == 0) dims[2] = 320;
    }
    for (int d = 0; d < rank; d++)
        if (dims[d] == 0) dims[d] = 1;
    size_t workspace_bytes = err ? 0 : mf_model_workspace_bytes(&model), arena_bytes = 0;
    void *workspace = err ? NULL : aligned_alloc(16, (workspace_bytes + 15) / 16 * 16 + 16);
    if (!err) err = workspace ? mf_model_plan(&model, workspace, workspace_bytes, dims, rank, &arena_bytes) : MF_ENOMEM;
    if (!err) printf("ops: %u\n", mf_model_get_stats(&model)->op_count);
    else fprintf(stderr, "consumer: model %s: %s\n", path, mf_status_str(err));
    free(workspace);
    mf_unmap_file(&file);
    return err ? 1 : 0;
}

int main(int argc, char **argv)
{
    printf("mcuface %s\n", mf_version());
    if (strcmp(mf_version(), MF_VERSION_STRING) != 0) {
        fprintf(stderr, "consumer: library %s, header %s\n", mf_version(), MF_VERSION_STRING);
        return 1;
    }
    if (check_crypto()) return 1;
    return argc > 1 ? print_op_count(argv[1]) : 0;
}
