/* QEMU TCG plugin: exact executed-instruction counts per region of a guest
 * program. A region starts when the instruction at one of its marker
 * addresses executes and lasts until another marker's instruction does:
 *   -plugin insn_count.so,arg=mark=0x1234:network,arg=mark=0x1300:decode -d plugin
 * (addresses from arm-none-eabi-nm / objdump; the Thumb bit is ignored).
 * Instructions before the first marker count to region "start". At exit it
 * prints, through QEMU's log (-d plugin, -D FILE):
 *   insn_count region NAME insns N entries E
 *   insn_count total N
 * Single vCPU (mps3-an547 has one core): the counters need no atomics. */
#include "qemu_plugin_api.h"
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAX_REGIONS 32
#define MAX_MARKS 64

typedef struct region {
    char name[48];
    uint64_t insns, entries;
} region;

typedef struct mark {
    uint64_t addr;
    int region;
} mark;

static region regions[MAX_REGIONS];
static int region_count;
static mark marks[MAX_MARKS];
static int mark_count;
static uint64_t total;   /* incremented inline before every executed instruction */
static uint64_t settled; /* part of TOTAL already attributed to a region */
static int current;

static int region_index(const char *name)
{
    for (int i = 0; i < region_count; i++)
        if (!strcmp(regions[i].name, name)) return i;
    if (region_count == MAX_REGIONS || strlen(name) >= sizeof regions[0].name) return -1;
    strcpy(regions[region_count].name, name);
    return region_count++;
}

/* Runs before the marker instruction (and before its own inline count, so
 * the marker instruction belongs to the region it opens). */
static void on_mark(unsigned int vcpu, void *udata)
{
    (void)vcpu;
    int next = (int)(intptr_t)udata;
    regions[current].insns += total - settled;
    settled = total;
    current = next;
    regions[next].entries++;
}

static void on_tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
    (void)id;
    size_t n = qemu_plugin_tb_n_insns(tb);
    for (size_t i = 0; i < n; i++) {
        struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
        /* Per instruction, not per block: a block left early (exception,
         * semihosting call) must not count instructions that did not run. */
        qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &total, 1);
        uint64_t pc = qemu_plugin_insn_vaddr(insn);
        for (int m = 0; m < mark_count; m++)
            if (marks[m].addr == pc)
                qemu_plugin_register_vcpu_insn_exec_cb(insn, on_mark, QEMU_PLUGIN_CB_NO_REGS,
                                                       (void *)(intptr_t)marks[m].region);
    }
}

static void on_plugin_exit(qemu_plugin_id_t id, void *udata)
{
    (void)id;
    (void)udata;
    regions[current].insns += total - settled;
    settled = total;
    char line[256];
    for (int i = 0; i < region_count; i++) {
        snprintf(line, sizeof line, "insn_count region %.47s insns %" PRIu64 " entries %" PRIu64 "\n", regions[i].name,
                 regions[i].insns, regions[i].entries);
        qemu_plugin_outs(line);
    }
    snprintf(line, sizeof line, "insn_count total %" PRIu64 "\n", total);
    qemu_plugin_outs(line);
}

/* "mark=ADDR:NAME" -> a marker; returns 0 or -1 with a message. */
static int parse_mark(const char *arg)
{
    char buf[128];
    if (strncmp(arg, "mark=", 5) != 0 || strlen(arg + 5) >= sizeof buf) return -1;
    strcpy(buf, arg + 5);
    char *colon = strchr(buf, ':');
    if (!colon || colon == buf || !colon[1]) return -1;
    *colon = 0;
    char *end;
    unsigned long long addr = strtoull(buf, &end, 0);
    if (*end || mark_count == MAX_MARKS) return -1;
    int r = region_index(colon + 1);
    if (r < 0) return -1;
    marks[mark_count].addr = addr & ~1ull; /* Thumb bit of a function symbol */
    marks[mark_count].region = r;
    mark_count++;
    return 0;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc, char **argv)
{
    (void)info;
    current = region_index("start");
    for (int i = 0; i < argc; i++) {
        if (parse_mark(argv[i])) {
            char line[200];
            snprintf(line, sizeof line, "insn_count: bad argument '%.120s' (want mark=ADDR:NAME)\n", argv[i]);
            qemu_plugin_outs(line);
            return -1;
        }
    }
    qemu_plugin_register_vcpu_tb_trans_cb(id, on_tb_trans);
    qemu_plugin_register_atexit_cb(id, on_plugin_exit, NULL);
    return 0;
}
