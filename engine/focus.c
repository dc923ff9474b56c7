/* focus.c — modules and the focus stack; see focus.h. */
#include <string.h>

#include "alloc.h"
#include "focus.h"
#include "internal.h"

void focus_init(engine *e)
{
    e->nmodules = 0;
    focus_add_module(e, "main", 4);
}

void focus_fini(engine *e)
{
    e_free(e, e->modules);
    e_free(e, e->focus);
    e_free(e, e->start_focus);
    e->modules = NULL;
    e->focus = e->start_focus = NULL;
    e->nmodules = e->capmodules = e->nfocus = e->capfocus = e->nstart = 0;
}

void focus_add_module(engine *e, const char *name, size_t len)
{
    if (e->nmodules == e->capmodules) {
        uint32_t cap = e->capmodules ? e->capmodules * 2 : 8;
        e->modules = e_realloc(e, e->modules, cap * sizeof *e->modules);
        e->capmodules = cap;
    }
    e->modules[e->nmodules++] = sym_intern(&e->syms, name, len);
}

int32_t focus_module(const engine *e, const char *name, size_t len)
{
    for (uint32_t i = 0; i < e->nmodules; i++)
        if (e->modules[i]->len == len && memcmp(e->modules[i]->text, name, len) == 0)
            return (int32_t)i;
    return -1;
}

void focus_set_start(engine *e, const uint32_t *modules, uint32_t n)
{
    e_free(e, e->start_focus);
    e->start_focus = n ? e_alloc(e, n * sizeof *e->start_focus) : NULL;
    if (n)
        memcpy(e->start_focus, modules, n * sizeof *modules);
    e->nstart = n;
}

void focus_clear(engine *e)
{
    e->nfocus = 0;
}

bool focus_push(engine *e, uint32_t module)
{
    if (e->nfocus && e->focus[e->nfocus - 1] == module)
        return true;
    if (e->nfocus >= FOCUS_MAX)
        return false;
    if (e->nfocus == e->capfocus) {
        uint32_t cap = e->capfocus ? e->capfocus * 2 : 8;
        e->focus = e_realloc(e, e->focus, cap * sizeof *e->focus);
        e->capfocus = cap; /* after: memory that runs out leaves it as it was */
    }
    e->focus[e->nfocus++] = module;
    return true;
}

void focus_begin(engine *e)
{
    e->focus_shown = UINT32_MAX;
    if (e->nfocus)
        return;
    focus_push(e, 0);
    for (uint32_t i = e->nstart; i-- > 0;)
        focus_push(e, e->start_focus[i]);
}

void focus_watch(engine *e, uint32_t module)
{
    if (!(e->watch & SN_WATCH_RULES) || e->nmodules < 2 || module == e->focus_shown)
        return;
    e->focus_shown = module;
    fprintf(e->watch_out, "FOCUS %s\n", e->modules[module]->text);
}

uint32_t focus_top(const engine *e)
{
    return e->nfocus ? e->focus[e->nfocus - 1] : UINT32_MAX;
}

void focus_pop(engine *e)
{
    if (e->nfocus)
        e->nfocus--;
}

/* The order a run takes the modules in now: the stack from the top (or,
 * when it is empty, what focus_begin would push), then every module by
 * number. Position I of that sequence (L = prefix + modules long). */
static uint32_t prefix_len(const engine *e)
{
    return e->nfocus ? e->nfocus : e->nstart + 1;
}

static uint32_t seq_at(const engine *e, uint32_t i)
{
    uint32_t p = prefix_len(e);
    if (i >= p)
        return i - p;
    if (e->nfocus)
        return e->focus[e->nfocus - 1 - i];
    return i < e->nstart ? e->start_focus[i] : 0;
}

/* Whether position I repeats a module met earlier in the sequence. */
static bool seq_repeat(const engine *e, uint32_t i)
{
    uint32_t p = prefix_len(e), m = seq_at(e, i);
    for (uint32_t j = 0; j < i && j < p; j++)
        if (seq_at(e, j) == m)
            return true;
    return false;
}

uint32_t focus_after(const engine *e, uint32_t m)
{
    uint32_t len = prefix_len(e) + e->nmodules, i = 0;
    if (m != UINT32_MAX) {
        while (i < len && seq_at(e, i) != m)
            i++;
        i++;
    }
    for (; i < len; i++)
        if (!seq_repeat(e, i))
            return seq_at(e, i);
    return UINT32_MAX;
}

uint32_t focus_run_at(const engine *e, uint32_t i)
{
    return i < prefix_len(e) ? seq_at(e, i) : UINT32_MAX;
}

/* ---- the public calls ---- */

const char *sn_module_name(const sn_engine *e, unsigned i)
{
    return i < e->nmodules ? e->modules[i]->text : NULL;
}

sn_status sn_focus(sn_engine *e, const char *module)
{
    CALL_ENTER(e);
    int32_t m = focus_module(e, module, strlen(module));
    if (m < 0)
        return call_leave(e, call_error(e, SN_ERR_INPUT, "no module is named %s", module));
    uint32_t depth = e->nfocus;
    focus_begin(e);
    if (!focus_push(e, (uint32_t)m))
        return call_leave(e, call_error(e, SN_ERR_INPUT, "the focus stack is full"));
    if (call_short(e))
        e->nfocus = depth;
    return call_leave(e, SN_OK);
}

unsigned sn_focus_stack(const sn_engine *e, const char **out, unsigned max)
{
    for (uint32_t i = 0; i < e->nfocus && i < max; i++)
        out[i] = e->modules[e->focus[e->nfocus - 1 - i]]->text;
    return e->nfocus;
}
