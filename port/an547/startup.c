/* Cortex-M55 startup for the QEMU mps3-an547 machine: vector table (placed at
 * 0x0 in ITCM by an547.ld), reset handler, fault handlers. Runs in Secure
 * state, privileged, on the main stack; no interrupts are used. */
#include <stdint.h>
#include <stdlib.h>

extern uint32_t __data_load[], __data_start[], __data_end[];
extern uint32_t __bss_start[], __bss_end[];
extern uint32_t __stack_top[], __stack_limit[];
extern void initialise_monitor_handles(void);
extern int main(void);

void reset_handler(void);
void fault_entry(void);
void default_entry(void);

/* Exit codes seen by CI when the firmware faults (QEMU's exit status). */
enum { FAULT_EXIT_HARD = 101, FAULT_EXIT_MEM = 102, FAULT_EXIT_BUS = 103, FAULT_EXIT_USAGE = 104,
       FAULT_EXIT_SECURE = 105, FAULT_EXIT_OTHER = 106 };

#define SCB_CPACR (*(volatile uint32_t *)0xE000ED88u)
#define SCB_ICSR (*(volatile uint32_t *)0xE000ED04u)
#define SCB_CFSR (*(volatile uint32_t *)0xE000ED28u)
#define SCB_HFSR (*(volatile uint32_t *)0xE000ED2Cu)
#define SCB_MMFAR (*(volatile uint32_t *)0xE000ED34u)
#define SCB_BFAR (*(volatile uint32_t *)0xE000ED38u)

/* Armv8-M: 16 system entries, then external interrupts; none are enabled,
 * so a few IRQ slots pointing at the default handler suffice. */
__attribute__((section(".vectors"), used)) static void (*const vector_table[32])(void) = {
    (void (*)(void))(uintptr_t)__stack_top,
    reset_handler,
    default_entry, /* NMI */
    fault_entry,   /* HardFault */
    fault_entry,   /* MemManage */
    fault_entry,   /* BusFault */
    fault_entry,   /* UsageFault */
    fault_entry,   /* SecureFault */
    0, 0, 0,
    default_entry, /* SVCall */
    default_entry, /* DebugMonitor */
    0,
    default_entry, /* PendSV */
    default_entry, /* SysTick */
    default_entry, default_entry, default_entry, default_entry, default_entry, default_entry, default_entry,
    default_entry, default_entry, default_entry, default_entry, default_entry, default_entry, default_entry,
    default_entry, default_entry,
};

/* Semihosting call (Arm semihosting spec: BKPT 0xAB on M-profile). Used
 * directly by the fault path, which must not depend on newlib's state. */
static uint32_t semihost(uint32_t op, const void *arg)
{
    register uint32_t r0 __asm__("r0") = op;
    register const void *r1 __asm__("r1") = arg;
    __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
    return r0;
}

static void put_str(const char *s) { semihost(0x04, s); /* SYS_WRITE0 */ }

static void put_hex(const char *label, uint32_t v)
{
    char buf[20];
    int n = 0;
    buf[n++] = ' ';
    buf[n++] = '0';
    buf[n++] = 'x';
    for (int i = 7; i >= 0; i--) buf[n++] = "0123456789abcdef"[(v >> (4 * i)) & 15];
    buf[n] = 0;
    put_str(label);
    put_str(buf);
}

static __attribute__((noreturn)) void exit_code(uint32_t code)
{
    /* SYS_EXIT_EXTENDED: QEMU returns SUBCODE as its own exit status. */
    uint32_t block[2] = {0x20026u /* ADP_Stopped_ApplicationExit */, code};
    semihost(0x20, block);
    for (;;) __asm__ volatile("wfi");
}

/* Called with the exception stack frame (r0-r3, r12, lr, pc, xpsr). */
void fault_report(const uint32_t *frame)
{
    uint32_t exc = SCB_ICSR & 0x1ffu, cfsr = SCB_CFSR;
    static const char *const names[] = {"?", "?", "?", "HardFault", "MemManage", "BusFault", "UsageFault",
                                        "SecureFault"};
    put_str("\nFAULT ");
    put_str(exc < 8 ? names[exc] : "exception");
    put_hex(" pc", frame[6]);
    put_hex(" lr", frame[5]);
    put_hex(" cfsr", cfsr);
    put_hex(" hfsr", SCB_HFSR);
    put_hex(" mmfar", SCB_MMFAR);
    put_hex(" bfar", SCB_BFAR);
    put_str("\n");
    uint32_t code = exc == 3   ? FAULT_EXIT_HARD
                    : exc == 4 ? FAULT_EXIT_MEM
                    : exc == 5 ? FAULT_EXIT_BUS
                    : exc == 6 ? FAULT_EXIT_USAGE
                    : exc == 7 ? FAULT_EXIT_SECURE
                               : FAULT_EXIT_OTHER;
    exit_code(code);
}

/* Picks the stack that holds the frame (EXC_RETURN bit 2) and reports. */
__attribute__((naked)) void fault_entry(void)
{
    __asm__ volatile("tst lr, #4\n"
                     "ite eq\n"
                     "mrseq r0, msp\n"
                     "mrsne r0, psp\n"
                     "b fault_report\n");
}

__attribute__((naked)) void default_entry(void) { __asm__ volatile("b fault_entry\n"); }

#define STACK_PAINT 0xA5A5A5A5u

/* Bytes of main stack ever used: the painted words overwritten since reset. */
unsigned long fw_stack_used(void)
{
    const uint32_t *p = __stack_limit;
    while (p < __stack_top && *p == STACK_PAINT) p++;
    return (unsigned long)((uintptr_t)__stack_top - (uintptr_t)p);
}

unsigned long fw_stack_size(void) { return (unsigned long)((uintptr_t)__stack_top - (uintptr_t)__stack_limit); }

/* newlib calls these around constructors; nothing to do with -nostartfiles. */
void _init(void) {}
void _fini(void) {}

__attribute__((noreturn)) void reset_handler(void)
{
    /* CP10/CP11 full access (FPU and MVE) before any FP instruction: this
     * file is compiled so that nothing above the barrier uses FP registers. */
    SCB_CPACR |= (0xFu << 20);
    __asm__ volatile("dsb\nisb" ::: "memory");
    /* Stack overflow becomes a UsageFault (STKOF) instead of silently
     * overwriting the heap. */
    __asm__ volatile("msr msplim, %0" : : "r"(__stack_limit));
    for (uint32_t *s = __data_load, *d = __data_start; d < __data_end;) *d++ = *s++;
    for (uint32_t *d = __bss_start; d < __bss_end;) *d++ = 0;
    /* Paint the free stack below this frame for fw_stack_used. */
    uint32_t *sp;
    __asm__ volatile("mov %0, sp" : "=r"(sp));
    for (volatile uint32_t *d = __stack_limit; d < sp - 4;) *d++ = STACK_PAINT;
    initialise_monitor_handles();
    exit(main());
}
