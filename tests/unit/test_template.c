/* test_template.c — what the public API tells about templates: their
 * slots, in order, and each slot's type (the REPL completes a slot's
 * values by it).
 */
#include <string.h>

#include "../../engine/sinew.h"
#include "calls.h"
#include "unit.h"

TEST(slot_names_and_types)
{
    const char *text = "template pain { site: symbol, note: string = \"\", days: int, ratio: float }\n";
    sn_engine *e = sn_new();
    sn_report r = {0};
    CHECK(t_ok(sn_load_string(e, "t.sinew", text, strlen(text), &r)));
    sn_report_free(&r);
    const sn_template *t = sn_template_find(e, "pain");
    CHECK(t != NULL);
    if (t) {
        CHECK_EQ_INT(sn_template_nslots(t), 4);
        CHECK_STR(sn_template_slot(t, 1), "note");
        CHECK_STR(sn_template_slot_type(t, 0), "symbol");
        CHECK_STR(sn_template_slot_type(t, 1), "string");
        CHECK_STR(sn_template_slot_type(t, 2), "int");
        CHECK_STR(sn_template_slot_type(t, 3), "float");
        CHECK(sn_template_slot_type(t, 4) == NULL);
    }
    sn_free(e);
}

int main(void)
{
    RUN(slot_names_and_types);
    return UNIT_END();
}
