/* cases.c — a knowledge base's own tests: run a case from its given facts
 * and judge its expectations.
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "engine.h"
#include "internal.h"
#include "wm.h"

/* ---- case tests ------------------------------------------------------------------------- */

unsigned sn_case_count(const sn_engine *e) { return e->ncases; }

const char *sn_case_name(const sn_engine *e, unsigned i)
{
    return i < e->ncases ? e->cases[i]->name->text : NULL;
}

sn_status sn_case_start(sn_engine *e, unsigned i)
{
    CALL_ENTER(e);
    if (i >= e->ncases)
        return call_leave(e, call_error(e, SN_ERR_INPUT, "there is no case %u", i));
    wm_clear(e);
    forget_case_symbols(e);
    engine_assert_given(e, e->facts_blocks, SN_ORIGIN_FACTS);
    engine_assert_given(e, e->cases[i]->given, SN_ORIGIN_CASE);
    if (call_short(e))
        wm_clear(e);
    return call_leave(e, SN_OK);
}

sn_status sn_case_run(sn_engine *e, unsigned i, sn_case_result *r)
{
    memset(r, 0, sizeof *r);
    /* named even when the call is refused (memory still short) */
    kase *k = i < e->ncases ? e->cases[i] : NULL;
    r->name = k ? k->name->text : "";
    r->where = k ? k->where : "";
    CALL_ENTER(e);
    if (!k)
        return call_leave(e, call_error(e, SN_ERR_INPUT, "there is no case %u", i));
    sn_status st = sn_case_start(e, i);
    FILE *out = e->out;
    e->out = NULL;
    sn_stop stop = SN_STOP_ERROR;
    if (st == SN_OK && !call_short(e))
        st = sn_run(e, -1, NULL, &stop);
    e->out = out;
    if (st == SN_OK && call_short(e))
        st = SN_ERR_NOMEM;
    char *text = NULL;
    size_t len = 0;
    FILE *ms = open_memstream(&text, &len);
    if (st == SN_ERR_NOMEM && ms)
        fprintf(ms, "    the run stopped: out of memory\n");
    else if (stop == SN_STOP_ERROR && ms)
        fprintf(ms, "    the run stopped: %s\n", sn_errmsg(e));
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
    r->passed = r->nfailed == 0 && stop != SN_STOP_ERROR && st == SN_OK;
    if (r->passed) {
        free(text);
        text = NULL;
    }
    r->detail = text;
    sn_reset(e); /* within this call: it keeps the run's error */
    /* a case judged whole stands, even if the reset after it ran short */
    return st == SN_OK ? call_leave_kept(e, st) : call_leave(e, st);
}

