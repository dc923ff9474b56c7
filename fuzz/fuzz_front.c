/* fuzz_front.c — libFuzzer harness for the front end.
 *
 * Each input is one rule file: read, parsed, checked, every diagnostic
 * rendered. Memory is capped so a runaway allocation is a finding, and
 * everything is freed so LeakSanitizer sees any leak.
 */
#include <stdint.h>
#include <stdio.h>

#include "front.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static FILE *sink;
    if (!sink)
        sink = fopen("/dev/null", "w");
    sn_mem m;
    mem_init(&m);
    m.limit = 64u << 20;
    srcset src;
    srcset_init(&src, &m);
    diag_list d;
    diag_list_init(&d, &m);
    check_env *env = check_env_new(&m);
    if (env && srcset_add(&src, "fuzz.sinew", (const char *)data, size) == 0) {
        ast_program *p = front_build(&m, env, &src, 0, 1, &d, FRONT_PROGRAM);
        diag_sort(&d);
        for (unsigned i = 0; i < d.n; i++)
            diag_render(sink, &src, &d.items[i], i % 2 == 0);
        ast_program_free(p);
    }
    check_env_free(env);
    diag_list_fini(&d);
    srcset_fini(&src);
    if (m.used != 0)
        __builtin_trap(); /* the library lost track of memory */
    return 0;
}
