/* cases.c — a knowledge base's own tests: run a case from its given facts
 * and judge its expectations.
 */
#include <stdlib.h>
#include <string.h>

#include "engine.h"
#include "internal.h"
#include "wm.h"

/* ---- case tests ------------------------------------------------------------------------- */

unsigned sn_case_count(const sn_engine *e) { return e->ncases; }

const char *sn_case_name(const sn_engine *e, unsigned i)
{
    return i < e->ncases ? e->cases[i]->name->text : NULL;
}

void sn_case_start(sn_engine *e, unsigned i)
{
    if (i >= e->ncases)
        return;
    wm_clear(e);
    engine_assert_given(e, e->facts_blocks, SN_ORIGIN_FACTS);
    engine_assert_given(e, e->cases[i]->given, SN_ORIGIN_CASE);
}

void sn_case_run(sn_engine *e, unsigned i, sn_case_result *r)
{
    memset(r, 0, sizeof *r);
    if (i >= e->ncases)
        return;
    kase *k = e->cases[i];
    r->name = k->name->text;
    r->where = k->where;
    sn_case_start(e, i);
    FILE *out = e->out;
    e->out = NULL;
    sn_stop stop = sn_run(e, -1, NULL);
    e->out = out;
    char *text = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&text, &len);
    if (stop == SN_STOP_ERROR && ms)
        fprintf(ms, "    the run stopped: %s\n", sn_last_error(e));
    if (stop == SN_STOP_INTERRUPT && ms)
        fprintf(ms, "    the run was interrupted\n");
    for (expect *x = k->expects; x; x = x->next) {
        r->nexpect++;
        struct fact *found = NULL;
        for (struct fact *f = x->t->first; f && !found; f = f->tnext)
            if (fact_matches(e, x->t, x->test, x->tests_cf, f))
                found = f;
        if ((found != NULL) != x->negated)
            continue;
        r->nfailed++;
        if (!ms)
            continue;
        if (x->negated) {
            fprintf(ms, "    expected no %s, but found ", x->text);
            sn_fact_write(ms, found);
            fprintf(ms, " cf %.2f", found->cf);
            for (struct just *j = found->justs; j; j = j->next)
                if (j->active) {
                    fprintf(ms, " (by rule %s)", j->r->name->text);
                    break;
                }
            fputc('\n', ms);
        } else {
            fprintf(ms, "    expected %s, but", x->text);
            unsigned shown = 0;
            for (struct fact *f = x->t->first; f; f = f->tnext) {
                fprintf(ms, shown ? "," : " have:");
                if (shown++ == 6) {
                    fprintf(ms, " ...");
                    break;
                }
                fputc(' ', ms);
                sn_fact_write(ms, f);
                fprintf(ms, " cf %.2f", f->cf);
            }
            if (!shown)
                fprintf(ms, " there is no %s fact", x->t->name->text);
            fputc('\n', ms);
        }
    }
    if (ms)
        fclose(ms);
    r->passed = r->nfailed == 0 && stop != SN_STOP_ERROR;
    if (r->passed) {
        free(text);
        text = NULL;
    }
    r->detail = text;
    sn_reset(e);
}

