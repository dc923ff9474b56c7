/* test_width.c — character widths (grammar/width.c) against the C
 * library's wcwidth in a UTF-8 locale (tests/lang/diag_wide_chars checks the
 * carets). */
#define _XOPEN_SOURCE 700 /* wcwidth */
#include <locale.h>
#include <stdlib.h>
#include <wchar.h>

#include "unit.h"
#include "width.h"

/* Characters of every kind the table knows, and some it must not. */
static const uint32_t samples[] = {
    'a', '~', 0xE9 /* é */, 0x2192 /* → */, 0x201C /* “ */, 0x0301 /* combining acute */,
    0x200B /* zero width space */, 0x4E2D /* 中 */, 0x75BC /* 疼 */, 0x3042 /* あ */,
    0x30AB /* カ */, 0xAC00 /* 가 */, 0xD7A3, 0xFF21 /* Ａ */, 0xFF61 /* ｡ half-width */,
    0x1F600 /* 😀 */, 0x1F3C3 /* 🏃 */, 0x20000, 0x3000 /* ideographic space */,
    0x2E80, 0x0410 /* А */, 0x05D0 /* א */, 0x0E01 /* ก */, 0x0E31, 0x1100, 0x1160,
};

TEST(width_agrees_with_wcwidth)
{
    if (!setlocale(LC_CTYPE, "C.UTF-8") && !setlocale(LC_CTYPE, "C.utf8")) {
        printf("note: no UTF-8 locale; wcwidth not compared\n");
        return;
    }
    for (size_t i = 0; i < sizeof samples / sizeof *samples; i++) {
        int want = wcwidth((wchar_t)samples[i]);
        if (want < 0)
            want = 1;
        if (uc_width(samples[i]) != want) {
            UNIT_FAIL("U+%04X: %d columns, wcwidth says %d", (unsigned)samples[i],
                      uc_width(samples[i]), want);
        }
    }
    setlocale(LC_CTYPE, "C");
}

TEST(utf8_char_width_decodes)
{
    CHECK_EQ_INT(utf8_char_width("a"), 1);
    CHECK_EQ_INT(utf8_char_width("\xC3\xA9"), 1);         /* é */
    CHECK_EQ_INT(utf8_char_width("\xE7\x96\xBC"), 2);     /* 疼 */
    CHECK_EQ_INT(utf8_char_width("\xF0\x9F\x98\x80"), 2); /* 😀 */
    CHECK_EQ_INT(utf8_char_width("\xCC\x81"), 0);         /* combining acute */
    CHECK_EQ_INT(utf8_char_width("\xE7\x96"), 1);         /* cut short */
    CHECK_EQ_INT(utf8_char_width("\x80"), 1);             /* a stray continuation */
}

int main(void)
{
    RUN(width_agrees_with_wcwidth);
    RUN(utf8_char_width_decodes);
    return UNIT_END();
}
