/* check_module.c — judging modules and focus; see check_module.h.
 *
 * Module names are resolved once, here: the compiler reads the numbers
 * and looks no name up. A module may be named before it is declared (the
 * order of declarations does not matter), so every declaration of the
 * program is collected before any name is resolved.
 */
#include "check_module.h"

#include <stdio.h>
#include <string.h>

#include "../base/near.h"

#define ERR(d, code, sp, ...) diag_add((d), DIAG_ERROR, (code), (sp), __VA_ARGS__)

static bool is_main(const ast_name *n)
{
    return n->len == 4 && memcmp(n->text, "main", 4) == 0;
}

static void declare(ast_decl *x, check_env *env, diag_list *d)
{
    ast_name *n = &x->u.module.name;
    span first;
    if (is_main(n)) {
        ERR(d, E_DUP_MODULE, n->sp, "module 'main' is declared already: it is the module of "
            "every rule without a 'module' line");
        return;
    }
    if (check_env_module(env, n->text, n->len, &first) >= 0) {
        ERR(d, E_DUP_MODULE, n->sp, "module '%s' is defined twice", n->text);
        diag_note(d, &first, "it was first defined here");
        return;
    }
    x->u.module.id = check_env_add_module(env, n->text, n->len, n->sp);
}

/* The modules ENV knows, for a note: "main, screening, advice". */
static void note_modules(check_env *env, diag_list *d)
{
    char list[256];
    size_t at = 0;
    uint32_t n = check_env_modules(env);
    for (uint32_t i = 0; i < n && at < sizeof list - 8; i++) {
        const char *name = check_env_module_name(env, i);
        int w = snprintf(list + at, sizeof list - at, "%s%s", i ? ", " : "", name ? name : "?");
        if (w < 0 || (size_t)w >= sizeof list - at) {
            snprintf(list + at, sizeof list - at, ", ...");
            break;
        }
        at += (size_t)w;
    }
    diag_note(d, NULL, "the modules are %s", list);
}

static void resolve(ast_modref *m, check_env *env, diag_list *d)
{
    int32_t id = check_env_module(env, m->name.text, m->name.len, NULL);
    if (id >= 0) {
        m->id = (uint32_t)id;
        return;
    }
    ERR(d, E_UNKNOWN_MODULE, m->name.sp, "unknown module '%s'; expected a module declared "
        "with 'module %s'", m->name.text, m->name.text);
    const char *best = NULL;
    unsigned bestd = 3;
    for (uint32_t i = 0; i < check_env_modules(env); i++) {
        const char *name = check_env_module_name(env, i);
        unsigned dist = name ? near_distance(m->name.text, m->name.len, name, strlen(name), 2) : 3;
        if (dist < bestd) {
            bestd = dist;
            best = name;
        }
    }
    if (best)
        diag_note(d, NULL, "did you mean '%s'?", best);
    else
        note_modules(env, d);
}

static void resolve_list(ast_modref *list, check_env *env, diag_list *d, bool *focused)
{
    for (ast_modref *m = list; m; m = m->next) {
        resolve(m, env, d);
        if (focused && m->id < check_env_modules(env))
            focused[m->id] = true;
    }
}

void modules_check(ast_program *prog, check_env *env, diag_list *d, bool whole)
{
    unsigned errors = d->nerrors;
    for (ast_decl *x = prog->decls; x; x = x->next)
        if (x->kind == DECL_MODULE)
            declare(x, env, d);
    uint32_t n = check_env_modules(env);
    bool *focused = whole ? arena_alloc(prog->arena, n * sizeof *focused) : NULL;
    if (focused)
        memset(focused, 0, n * sizeof *focused);
    for (ast_decl *x = prog->decls; x; x = x->next) {
        if (x->kind == DECL_FOCUS) {
            span first;
            if (check_env_focus(env, &first)) {
                ERR(d, E_DUP_FOCUS, x->sp, "the starting focus is declared twice; a "
                    "knowledge base has one");
                diag_note(d, &first, "it was first declared here");
            } else {
                check_env_set_focus(env, x->sp);
            }
            resolve_list(x->u.focus, env, d, focused);
        } else if (x->kind == DECL_RULE) {
            if (x->u.rule.module)
                resolve(x->u.rule.module, env, d);
            for (ast_action *a = x->u.rule.actions; a; a = a->next)
                if (a->kind == ACT_FOCUS)
                    resolve_list(a->u.focus, env, d, focused);
        }
    }
    if (!focused || d->nerrors != errors)
        return;
    for (ast_decl *x = prog->decls; x; x = x->next)
        if (x->kind == DECL_MODULE && x->u.module.id && !focused[x->u.module.id]) {
            diag_add(d, DIAG_WARNING, W_MODULE_UNFOCUSED, x->u.module.name.sp,
                     "module '%s' is never focused: its rules fire only in a run told to "
                     "focus it", x->u.module.name.text);
            diag_note(d, NULL, "name it in the starting focus ('focus %s') or in a rule's "
                      "'focus' action", x->u.module.name.text);
        }
}
