#define _DEFAULT_SOURCE
/* examples/host_minimal end to end: LFW photos written as raw RGB888
 * frames, two people enrolled, then a new photo of one of them is named,
 * a stranger is "unknown" and a printed-photo attack is "spoof". Skips (77)
 * without the models, the photos or the built example. */
#include "mf_test.h"
#include "mcuface/mf_status.h"
#include "mcuface/mf_image_file.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

static char dir[1024];

/* Writes PHOTO (under ../shared/data) as DIR/NAME.rgb; returns its size through W, H. */
static int write_frame(const char *photo, const char *name, int *w, int *h)
{
    mf_image img;
    if (mf_image_load(mf_test_shared_path(photo), &img)) return 1;
    char path[4200];
    snprintf(path, sizeof path, "%s/%s.rgb", dir, name);
    FILE *f = fopen(path, "wb");
    int bad = !f;
    for (int y = 0; y < img.height && !bad; y++)
        bad = fwrite(img.data + (size_t)y * img.stride, 1, (size_t)img.width * 3, f) != (size_t)img.width * 3;
    if (f && fclose(f)) bad = 1;
    *w = img.width;
    *h = img.height;
    mf_image_free(&img);
    return bad;
}

/* Runs host_minimal and returns its stdout (static buffer), or NULL. */
static const char *run(const char *build, int w, int h, const char *args)
{
    static char out[8192];
    char cmd[16384];
    const char *m = build;
    snprintf(cmd, sizeof cmd,
             "%s/host_minimal %s/models/retinaface_mnet025_int8.mfm %s/models/minifasnet_v2_int8.mfm "
             "%s/models/minifasnet_v1se_int8.mfm %s/models/edgeface_xs_gamma_06_int8.mfm %d %d %s",
             build, m, m, m, m, w, h, args);
    FILE *p = popen(cmd, "r");
    if (!p) return NULL;
    size_t n = fread(out, 1, sizeof out - 1, p);
    out[n] = 0;
    int status = pclose(p);
    printf("$ host_minimal ... %s\n%s", args, out);
    return status == 0 ? out : NULL;
}

int main(void)
{
    const char *build = getenv("MCUFACE_BUILD");
    if (!build) build = "build";
    char path[4200];
    snprintf(path, sizeof path, "%s/host_minimal", build);
    if (access(path, X_OK)) mf_test_skip("host_minimal not built");
    snprintf(path, sizeof path, "%s/models/edgeface_xs_gamma_06_int8.mfm", build);
    if (access(path, R_OK)) mf_test_skip("int8 models not converted (scripts/build.sh)");
    if (strlen(build) > 900) mf_test_skip("build path too long");
    snprintf(dir, sizeof dir, "%.900s/test_pipeline_example", build);
    mkdir(dir, 0755);
    static const char *const lfw = "data/lfw/lfw-deepfunneled/";
    static const struct { const char *photo, *name; } frames[] = {
        {"Colin_Powell/Colin_Powell_0071.jpg", "colin"},
        {"Serena_Williams/Serena_Williams_0001.jpg", "serena"},
        {"Serena_Williams/Serena_Williams_0003.jpg", "serena_probe"},
        {"Tony_Blair/Tony_Blair_0018.jpg", "tony"},
    };
    int w = 0, h = 0;
    for (size_t i = 0; i < sizeof frames / sizeof frames[0]; i++) {
        char rel[512];
        int fw, fh;
        snprintf(rel, sizeof rel, "%s%s", lfw, frames[i].photo);
        if (write_frame(rel, frames[i].name, &fw, &fh)) mf_test_skip("no LFW photos in ../shared/data");
        MF_CHECK(i == 0 || (fw == w && fh == h)); /* host_minimal takes one frame size */
        w = fw;
        h = fh;
    }
    char args[4096 + 1024];
    snprintf(args, sizeof args, "Colin=%s/colin.rgb Serena=%s/serena.rgb %s/serena_probe.rgb", dir, dir, dir);
    const char *out = run(build, w, h, args);
    MF_CHECK(out && strstr(out, "enroll Colin: ok\n") && strstr(out, "enroll Serena: ok\n"));
    MF_CHECK(out && strstr(out, "face 0 ") && strstr(out, " Serena\n") && !strstr(out, "face 1 "));
    snprintf(args, sizeof args, "Colin=%s/colin.rgb Serena=%s/serena.rgb %s/tony.rgb", dir, dir, dir);
    out = run(build, w, h, args);
    MF_CHECK(out && strstr(out, "face 0 ") && strstr(out, " unknown\n"));
    int sw, sh;
    if (write_frame("data/antispoof_samples/image_F2.jpg", "spoof", &sw, &sh) == 0) {
        snprintf(args, sizeof args, "%s/spoof.rgb", dir);
        out = run(build, sw, sh, args);
        MF_CHECK(out && strstr(out, " spoof\n"));
    }
    /* a missing frame: a clear error, exit status 1 */
    MF_CHECK(run(build, w, h, "/nonexistent/frame.rgb") == NULL);
    return mf_test_summary();
}
