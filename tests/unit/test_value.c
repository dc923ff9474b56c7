/* test_value.c — writing values (engine/value.c): integers and symbols
 * are written without a format to interpret, and must read exactly as
 * snprintf would write them, cut short the same way in a small buffer. */
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "symtab.h"
#include "unit.h"
#include "value.h"

static const int64_t ints[] = {
    0, 1, -1, 9, 10, -10, 99, 100, 12345, -987654321, 4294967296LL,
    INT64_MAX, INT64_MIN, INT64_MIN + 1, INT64_MAX - 1,
};

/* value_format against snprintf's TEXT, in buffers of every size up to
 * the text and one more */
static void agrees(value v, const char *text)
{
    size_t want = strlen(text);
    for (size_t size = 0; size <= want + 1; size++) {
        char got[64], ref[64];
        memset(got, 'x', sizeof got);
        memset(ref, 'x', sizeof ref);
        size_t n = value_format(size ? got : NULL, size, v);
        snprintf(size ? ref : NULL, size, "%s", text);
        if (n != want)
            UNIT_FAIL("\"%s\": length %zu, want %zu", text, n, want);
        if (memcmp(got, ref, sizeof got) != 0)
            UNIT_FAIL("\"%s\" in %zu bytes: \"%.*s\", want \"%.*s\"", text, size, (int)size,
                      got, (int)size, ref);
    }
}

TEST(integers_read_as_printf_writes_them)
{
    for (size_t i = 0; i < sizeof ints / sizeof *ints; i++) {
        char ref[32];
        snprintf(ref, sizeof ref, "%" PRId64, ints[i]);
        agrees(v_int(ints[i]), ref);
    }
}

TEST(symbols_are_written_as_they_are)
{
    sn_mem m;
    mem_init(&m);
    symtab t;
    symtab_init(&t, &m);
    const char *names[] = {"groin", "a", "", "left_side_of_the_chest"};
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        agrees(v_sym(sym_intern(&t, names[i], strlen(names[i]))), names[i]);
    symtab_free(&t);
    mem_fini(&m);
}

int main(void)
{
    RUN(integers_read_as_printf_writes_them);
    RUN(symbols_are_written_as_they_are);
    return UNIT_END();
}
