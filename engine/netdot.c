/* netdot.c — the Rete network as a Graphviz picture; see netdot.h.
 *
 * Alpha memories (a template and the constants its facts are
 * discriminated on, with the facts in each), the beta nodes under them
 * (joins, `not`, `exists`, groups with their subnetworks, tests) and a
 * terminal per rule alternative, each memory with the number of entries
 * it holds now. A node shared by several rules is drawn once. The whole
 * network, or the part one rule uses (its alternatives' chains and their
 * groups' subnetworks).
 */
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "internal.h"
#include "netdot.h"
#include "network.h"

/* A set of nodes and alpha memories (open addressing on the pointer),
 * each with a number for the picture and, for a node a rule's chain
 * names, the text of its condition. */
typedef struct drawn {
    const void **v;          /* nodes and alpha memories drawn */
    const char **text;       /* a node's condition as written, or NULL */
    uint32_t *num;           /* its number in the picture, from 1 */
    size_t n, cap;           /* open addressing: cap a power of two */
    engine *e;               /* whose memory holds the arrays */
} drawn;

static void drawn_free(drawn *d)
{
    e_free(d->e, d->v);
    e_free(d->e, d->text);
    e_free(d->e, d->num);
}

static size_t slot_of(const drawn *d, const void *p)
{
    size_t i = (size_t)(((uintptr_t)p >> 4) * 0x9E3779B97F4A7C15u) & (d->cap - 1);
    while (d->v[i] && d->v[i] != p)
        i = (i + 1) & (d->cap - 1);
    return i;
}

/* Add P (with TEXT, when not NULL); true when it was not there. */
static bool drawn_add(drawn *d, const void *p, const char *text)
{
    if (2 * (d->n + 1) > d->cap) {
        drawn big = {.e = d->e};
        big.cap = d->cap ? d->cap * 2 : 128;
        big.v = e_calloc(d->e, big.cap, sizeof *big.v);
        big.text = e_calloc(d->e, big.cap, sizeof *big.text);
        big.num = e_calloc(d->e, big.cap, sizeof *big.num);
        for (size_t i = 0; i < d->cap; i++)
            if (d->v[i]) {
                size_t k = slot_of(&big, d->v[i]);
                big.v[k] = d->v[i];
                big.text[k] = d->text[i];
                big.num[k] = d->num[i];
            }
        big.n = d->n;
        drawn_free(d);
        *d = big;
    }
    size_t i = slot_of(d, p);
    if (d->v[i]) {
        if (text && !d->text[i])
            d->text[i] = text;
        return false;
    }
    d->v[i] = p;
    d->text[i] = text;
    d->num[i] = (uint32_t)++d->n;
    return true;
}

/* P's number in the picture (numbered when first met): the picture of
 * the same network is the same text every time. */
static uint32_t num_of(drawn *ids, const void *p)
{
    drawn_add(ids, p, NULL);
    if (!ids->cap)
        return 0;
    size_t i = slot_of(ids, p);
    return ids->v[i] ? ids->num[i] : 0;
}

static const char *drawn_text(const drawn *d, const void *p)
{
    if (!d->cap)
        return NULL;
    size_t i = slot_of(d, p);
    return d->v[i] ? d->text[i] : NULL;
}

static void dot_escaped(FILE *out, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '"' || *s == '\\')
            fputc('\\', out);
        if (*s == '\n')
            fputs("\\n", out);
        else
            fputc(*s, out);
    }
}

static const char *kind_name(nkind k, bool exists)
{
    switch (k) {
    case N_JOIN: return "join";
    case N_NEG: return "not";
    case N_EXISTS: return "exists";
    case N_NCC: return exists ? "exists { }" : "not { }";
    case N_PARTNER: return "group end";
    case N_TEST: return "test";
    case N_AGG: return "aggregate";
    case N_TERM: return "rule";
    }
    return "node";
}

static void draw_alpha(FILE *out, drawn *d, drawn *ids, const amem *am)
{
    if (!drawn_add(d, am, NULL))
        return;
    const struct tmpl *t = amem_template(am);
    fprintf(out, "  a%u [shape=box, style=filled, fillcolor=\"#fff4d6\", label=\"", num_of(ids, am));
    dot_escaped(out, t->name->text);
    fputc('(', out);
    for (uint32_t i = 0; i < amem_nconsts(am); i++) {
        const aeq *q = amem_const(am, i);
        const value *v = aeq_values(q);
        fprintf(out, "%s", i ? ", " : "");
        dot_escaped(out, t->slots[q->slot].name->text);
        fputs(": ", out);
        for (uint32_t k = 0; k < q->nv; k++) {
            char buf[128];
            value_format(buf, sizeof buf, v[k]);
            fputs(k ? " | " : "", out);
            dot_escaped(out, buf);
        }
    }
    fputc(')', out);
    if (amem_has_test(am))
        fputs("\\n+ a test of one fact", out);
    uint32_t n = amem_entries(am);
    fprintf(out, "\\nalpha memory: %u fact%s\"];\n", n, n == 1 ? "" : "s");
}

static void draw_node(FILE *out, drawn *d, drawn *ids, const node *n)
{
    nkind k = node_kind_of(n);
    bool negative = k == N_NEG || (k == N_NCC && !node_is_exists(n));
    const char *shape = k == N_TERM ? "doubleoctagon"
                        : negative ? "invhouse"
                        : k == N_EXISTS || k == N_NCC ? "house"
                        : k == N_TEST ? "diamond"
                        : "ellipse";
    fprintf(out, "  n%u [shape=%s, label=\"", num_of(ids, n), shape);
    if (k == N_TERM) {
        const struct prod *p = node_production(n);
        fputs("rule ", out);
        dot_escaped(out, p->r->name->text);
        if (p->r->nprods > 1)
            fprintf(out, " (alternative %u)", p->alt + 1);
        uint32_t m = node_entries(n);
        fprintf(out, "\\n%u match%s", m, m == 1 ? "" : "es");
    } else {
        /* a condition's text names its kind, but for a plain pattern */
        const char *text = drawn_text(d, n);
        if (!text || k == N_JOIN)
            fputs(kind_name(k, node_is_exists(n)), out);
        if (text) {
            fputs(k == N_JOIN ? ": " : "", out);
            dot_escaped(out, text);
        }
        for (uint32_t i = 0; i < node_nkeys_of(n); i++) {
            const jkey *key = node_key(n, i);
            fprintf(out, "%s slot %d = level %u slot %d", i ? "," : "\\nhashed on", key->rslot,
                    key->level, key->lslot);
        }
        uint32_t m = node_entries(n);
        if (k == N_JOIN && !node_parent_of(n))
            fputs("\\nbeta memory: the top token", out); /* a first pattern's join */
        else
            fprintf(out, "\\nbeta memory: %u partial match%s", m, m == 1 ? "" : "es");
    }
    fputs("\"];\n", out);
    const node *parent = node_parent_of(n);
    if (parent)
        fprintf(out, "  n%u -> n%u;\n", num_of(ids, parent), num_of(ids, n));
    else
        fprintf(out, "  root -> n%u;\n", num_of(ids, n));
    const amem *am = node_alpha(n);
    if (am) {
        draw_alpha(out, d, ids, am);
        fprintf(out, "  a%u -> n%u [style=dashed, color=\"#b07d00\"];\n", num_of(ids, am),
                num_of(ids, n));
    }
    if (k == N_PARTNER && node_partner_of(n))
        fprintf(out, "  n%u -> n%u [style=dotted, label=\"group matches\"];\n", num_of(ids, n),
                num_of(ids, node_partner_of(n)));
}

/* Name every node a rule's chain goes through with its condition. */
static void name_conditions(const engine *e, drawn *names)
{
    for (const struct rule *r = e->rules; r; r = r->next) {
        if (r->removed)
            continue;
        for (uint32_t i = 0; i < r->nprods; i++) {
            const struct prod *p = r->prods[i];
            for (uint32_t l = 1; l <= p->depth; l++)
                drawn_add(names, p->chain[l - 1], p->cond_text[l]);
        }
    }
}

/* N and everything under it (the whole network from the roots). */
static void draw_below(FILE *out, drawn *d, drawn *ids, const drawn *names, const node *n,
                       unsigned depth)
{
    if (depth > 10000 || !drawn_add(d, n, drawn_text(names, n)))
        return;
    draw_node(out, d, ids, n);
    for (uint32_t i = 0; i < node_nkids_of(n); i++)
        draw_below(out, d, ids, names, node_kid_of(n, i), depth + 1);
}

/* N and the nodes above it up to STOP (one rule: a chain, and a group's
 * subnetwork up to where it starts). */
static void draw_above(FILE *out, drawn *d, drawn *ids, const drawn *names, const node *n,
                       const node *stop)
{
    for (unsigned guard = 0; n && n != stop && guard < 100000; n = node_parent_of(n), guard++) {
        if (!drawn_add(d, n, drawn_text(names, n)))
            return;
        draw_node(out, d, ids, n);
        if (node_kind_of(n) == N_NCC && node_partner_of(n))
            draw_above(out, d, ids, names, node_partner_of(n), node_parent_of(n));
    }
}

sn_status sn_network_dot(sn_engine *e, const char *rule, FILE *out)
{
    CALL_ENTER(e);
    const struct rule *only = NULL;
    if (rule) {
        only = (const struct rule *)sn_rule_find(e, rule);
        if (!only)
            return call_leave(e, call_error(e, SN_ERR_INPUT, "no rule is named %s", rule));
    }
    drawn names = {.e = e}, d = {.e = e}, ids = {.e = e};
    name_conditions(e, &names);
    fputs("digraph rete {\n  rankdir=TB;\n  node [fontname=\"Helvetica\", fontsize=10];\n"
          "  edge [fontname=\"Helvetica\", fontsize=9];\n", out);
    fputs("  root [shape=point, width=0.15];\n", out);
    if (only) {
        for (uint32_t i = 0; i < only->nprods; i++)
            draw_above(out, &d, &ids, &names, only->prods[i]->term, NULL);
    } else {
        for (uint32_t i = 0; i < network_nroots(e); i++)
            draw_below(out, &d, &ids, &names, network_root(e, i), 0);
    }
    fputs("}\n", out);
    drawn_free(&d);
    drawn_free(&ids);
    drawn_free(&names);
    return call_leave(e, SN_OK);
}
