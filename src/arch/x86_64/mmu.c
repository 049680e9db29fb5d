/*
 * mmu.c - map, unmap and protect ranges in x86-64 4-level page tables.
 *
 * One recursive walk (mmu_apply) serves all three operations: at each level
 * an entry the range covers completely becomes a leaf (or is cleared, or
 * re-protected) when the level allows a page that size; an entry covered in
 * part gets a child table (a large page is split into 512 pages of the
 * next size with the same attributes) and the walk goes down. On the way
 * back up every touched child table is collapsed: freed when empty, turned
 * back into one large page when all 512 entries map one aligned run with the
 * same attributes. This keeps the invariants listed in mmu.h after every
 * call. Entry bits follow the Intel SDM vol. 3 "4-level paging" tables.
 */
#include "arch/x86_64/mmu.h"

#include <stddef.h>

#define PTE_P     (1ull << 0)
#define PTE_W     (1ull << 1)
#define PTE_US    (1ull << 2)
#define PTE_PWT   (1ull << 3)
#define PTE_PCD   (1ull << 4)
#define PTE_A     (1ull << 5)
#define PTE_D     (1ull << 6)
#define PTE_PS    (1ull << 7)     /* large page at PD/PDPT level; PAT in a PT entry */
#define PTE_G     (1ull << 8)
#define PTE_NX    (1ull << 63)
#define PTE_ADDR  0x000FFFFFFFFFF000ull
/* The attributes that make two leaves equal (accessed/dirty are the CPU's). */
#define PTE_ATTRS (PTE_P | PTE_W | PTE_US | PTE_PWT | PTE_PCD | PTE_G | PTE_NX)
#define PTE_TABLE (PTE_P | PTE_W)

enum { MMU_ENTRIES = 512 };

typedef enum mmu_op_kind { MMU_OP_MAP, MMU_OP_UNMAP, MMU_OP_PROTECT } mmu_op_kind;

typedef struct mmu_op {
    mmu_op_kind kind;
    uint64_t va0, pa0;     /* MAP: va0 translates to pa0 */
    uint64_t attrs;        /* MAP/PROTECT: leaf attributes without PS and address */
    bool structural;       /* a table was split, merged or freed */
} mmu_op;

/* ---- entries and levels ------------------------------------------------------ */

static uint64_t mmu_span(int level)
{
    return MMU_PAGE << (9 * (level - 1));
}

static unsigned mmu_index(uint64_t va, int level)
{
    return (unsigned)(va >> (12 + 9 * (level - 1))) & 511;
}

static bool mmu_leaf_ok(const mmu_space *s, int level)
{
    return level == 1 || level == 2 || (level == 3 && s->use_1g);
}

static bool mmu_present(uint64_t e)
{
    return e & PTE_P;
}

/* Is present entry `e` at `level` a page (not a table)? */
static bool mmu_is_leaf(uint64_t e, int level)
{
    return level == 1 || ((level == 2 || level == 3) && (e & PTE_PS));
}

static uint64_t mmu_leaf_pa(uint64_t e, int level)
{
    return e & PTE_ADDR & ~(mmu_span(level) - 1);
}

static uint64_t mmu_make_leaf(uint64_t pa, uint64_t attrs, int level)
{
    return pa | attrs | (level > 1 ? PTE_PS : 0);
}

static uint64_t mmu_attrs_of(const mmu_space *s, unsigned prot)
{
    uint64_t a = PTE_P;
    if (prot & MMU_WRITE)
        a |= PTE_W;
    if (prot & MMU_NOCACHE)
        a |= PTE_PCD | PTE_PWT;
    if (!(prot & MMU_EXEC) && s->use_nx)
        a |= PTE_NX;
    return a;
}

static unsigned mmu_prot_of(uint64_t e)
{
    return ((e & PTE_W) ? MMU_WRITE : 0u) | ((e & PTE_NX) ? 0u : MMU_EXEC) |
           ((e & PTE_PCD) ? MMU_NOCACHE : 0u);
}

/* ---- table pages --------------------------------------------------------------- */

static uint64_t *mmu_table(const mmu_space *s, uint64_t phys)
{
    return s->table_ptr(s->ctx, phys & PTE_ADDR);
}

/* A zeroed table page, or UINT64_MAX. */
static uint64_t mmu_new_table(mmu_space *s)
{
    uint64_t phys = s->take_table(s->ctx);
    if (phys == UINT64_MAX)
        return phys;
    uint64_t *t = mmu_table(s, phys);
    for (int i = 0; i < MMU_ENTRIES; i++)
        t[i] = 0;
    s->tables++;
    return phys;
}

static void mmu_free_table(mmu_space *s, uint64_t phys)
{
    s->tables--;
    s->give_table(s->ctx, phys & PTE_ADDR);
}

/* Give back the table entry `e` (at `level`) points to and every table below it. */
static void mmu_free_tree(mmu_space *s, uint64_t e, int level)
{
    if (!mmu_present(e) || mmu_is_leaf(e, level))
        return;
    uint64_t *t = mmu_table(s, e);
    if (level > 2)
        for (int i = 0; i < MMU_ENTRIES; i++)
            mmu_free_tree(s, t[i], level - 1);
    mmu_free_table(s, e);
}

/* Replace the large page in *e (at `level`) by a table of 512 pages of the next size. */
static bool mmu_split(mmu_space *s, uint64_t *e, int level)
{
    uint64_t phys = mmu_new_table(s);
    if (phys == UINT64_MAX)
        return false;
    uint64_t *t = mmu_table(s, phys);
    uint64_t pa = mmu_leaf_pa(*e, level), attrs = *e & PTE_ATTRS, step = mmu_span(level - 1);
    for (int i = 0; i < MMU_ENTRIES; i++)
        t[i] = mmu_make_leaf(pa + (uint64_t)i * step, attrs, level - 1);
    *e = phys | PTE_TABLE;
    return true;
}

/* Free the child table of *e when empty; merge it into one page when it maps one aligned run. */
static void mmu_collapse(mmu_space *s, uint64_t *e, int level, mmu_op *op)
{
    uint64_t *t = mmu_table(s, *e);
    bool empty = true, mergeable = mmu_leaf_ok(s, level);
    uint64_t first = t[0], step = mmu_span(level - 1);
    for (int i = 0; i < MMU_ENTRIES && (empty || mergeable); i++) {
        if (mmu_present(t[i]))
            empty = false;
        if (mergeable && (!mmu_present(t[i]) || !mmu_is_leaf(t[i], level - 1) ||
                          (t[i] & PTE_ATTRS) != (first & PTE_ATTRS) ||
                          mmu_leaf_pa(t[i], level - 1) != mmu_leaf_pa(first, level - 1) + (uint64_t)i * step))
            mergeable = false;
    }
    if (mergeable && (mmu_leaf_pa(first, level - 1) & (mmu_span(level) - 1)))
        mergeable = false;
    if (!empty && !mergeable)
        return;
    uint64_t old = *e;
    *e = empty ? 0 : mmu_make_leaf(mmu_leaf_pa(first, level - 1), first & PTE_ATTRS, level);
    mmu_free_table(s, old);
    op->structural = true;
}

/* ---- the walk ------------------------------------------------------------------ */

static mmu_status mmu_apply(mmu_space *s, uint64_t table, int level, uint64_t tbase,
                            uint64_t start, uint64_t end, mmu_op *op)
{
    uint64_t *t = mmu_table(s, table), span = mmu_span(level);
    for (unsigned i = mmu_index(start, level); i < MMU_ENTRIES; i++) {
        uint64_t ebase = tbase + (uint64_t)i * span;
        if (ebase >= end)
            break;
        uint64_t lo = start > ebase ? start : ebase, hi = end < ebase + span ? end : ebase + span;
        bool whole = lo == ebase && hi == ebase + span;
        uint64_t *e = &t[i];

        if (whole && mmu_leaf_ok(s, level)) {
            if (op->kind == MMU_OP_MAP) {
                uint64_t pa = op->pa0 + (ebase - op->va0);
                if (!(pa & (span - 1))) {
                    if (mmu_present(*e) && !mmu_is_leaf(*e, level))
                        op->structural = true;
                    mmu_free_tree(s, *e, level);
                    *e = mmu_make_leaf(pa, op->attrs, level);
                    continue;
                }
            } else if (op->kind == MMU_OP_UNMAP) {
                if (mmu_present(*e) && !mmu_is_leaf(*e, level))
                    op->structural = true;
                mmu_free_tree(s, *e, level);
                *e = 0;
                continue;
            } else if (!mmu_present(*e)) {
                continue;
            } else if (mmu_is_leaf(*e, level)) {
                *e = mmu_make_leaf(mmu_leaf_pa(*e, level), op->attrs, level);
                continue;
            }
        }
        if (!mmu_present(*e)) {
            if (op->kind != MMU_OP_MAP)
                continue;
            uint64_t phys = mmu_new_table(s);
            if (phys == UINT64_MAX)
                return MMU_ERR_NOMEM;
            *e = phys | PTE_TABLE;
        } else if (mmu_is_leaf(*e, level)) {
            if (!mmu_split(s, e, level))
                return MMU_ERR_NOMEM;
            op->structural = true;
        }
        mmu_status st = mmu_apply(s, *e, level - 1, ebase, lo, hi, op);
        mmu_collapse(s, e, level, op);
        if (st != MMU_OK)
            return st;
    }
    return MMU_OK;
}

static mmu_status mmu_run(mmu_space *s, uint64_t va, uint64_t len, mmu_op *op)
{
    if ((va | len) & (MMU_PAGE - 1))
        return MMU_ERR_ALIGN;
    if (va >= MMU_VA_LIMIT || len > MMU_VA_LIMIT - va)
        return MMU_ERR_RANGE;
    if (len == 0)
        return MMU_OK;
    op->structural = false;
    mmu_status st = mmu_apply(s, s->root, 4, 0, va, va + len, op);
    if (s->flush)
        s->flush(s->ctx, va, len, op->structural);
    return st;
}

/* ---- the public face -------------------------------------------------------------- */

bool mmu_init(mmu_space *s)
{
    s->tables = 0;
    uint64_t root = mmu_new_table(s);
    if (root == UINT64_MAX)
        return false;
    s->root = root;
    return true;
}

static uint64_t mmu_count(const mmu_space *s, uint64_t table, int level)
{
    const uint64_t *t = mmu_table(s, table);
    uint64_t n = 1;
    for (int i = 0; i < MMU_ENTRIES && level > 1; i++)
        if (mmu_present(t[i]) && !mmu_is_leaf(t[i], level))
            n += mmu_count(s, t[i], level - 1);
    return n;
}

void mmu_adopt(mmu_space *s)
{
    s->tables = mmu_count(s, s->root, 4);
}

mmu_status mmu_map(mmu_space *s, uint64_t va, uint64_t pa, uint64_t len, unsigned prot)
{
    if (pa & (MMU_PAGE - 1))
        return MMU_ERR_ALIGN;
    if (pa >= MMU_PA_LIMIT || len > MMU_PA_LIMIT - pa)
        return MMU_ERR_RANGE;
    mmu_op op = { .kind = MMU_OP_MAP, .va0 = va, .pa0 = pa, .attrs = mmu_attrs_of(s, prot) };
    return mmu_run(s, va, len, &op);
}

mmu_status mmu_unmap(mmu_space *s, uint64_t va, uint64_t len)
{
    mmu_op op = { .kind = MMU_OP_UNMAP };
    return mmu_run(s, va, len, &op);
}

mmu_status mmu_protect(mmu_space *s, uint64_t va, uint64_t len, unsigned prot)
{
    mmu_op op = { .kind = MMU_OP_PROTECT, .attrs = mmu_attrs_of(s, prot) };
    return mmu_run(s, va, len, &op);
}

mmu_mapping mmu_query(const mmu_space *s, uint64_t va)
{
    mmu_mapping m = { 0 };
    if (va >= MMU_VA_LIMIT) {
        m.va = va & ~(MMU_PAGE - 1);
        m.size = MMU_PAGE;
        return m;
    }
    uint64_t table = s->root;
    for (int level = 4; level >= 1; level--) {
        uint64_t e = mmu_table(s, table)[mmu_index(va, level)], span = mmu_span(level);
        m.va = va & ~(span - 1);
        m.size = span;
        if (!mmu_present(e))
            return m;
        if (mmu_is_leaf(e, level)) {
            m.present = true;
            m.pa = mmu_leaf_pa(e, level);
            m.prot = mmu_prot_of(e);
            return m;
        }
        table = e;
    }
    return m;
}

static bool mmu_problem_at(mmu_problem *p, const char *what, uint64_t va, int level)
{
    if (p)
        *p = (mmu_problem){ what, va, level };
    return false;
}

static bool mmu_check_table(const mmu_space *s, uint64_t table, int level, uint64_t tbase,
                            uint64_t *count, mmu_problem *p)
{
    const uint64_t *t = mmu_table(s, table);
    uint64_t span = mmu_span(level);
    bool any = false;
    ++*count;
    for (int i = 0; i < MMU_ENTRIES; i++) {
        uint64_t e = t[i], va = tbase + (uint64_t)i * span;
        if (!mmu_present(e))
            continue;
        any = true;
        if (level == 4 && i >= 256)
            return mmu_problem_at(p, "entry in the upper half", va, level);
        if ((e & PTE_NX) && !s->use_nx)
            return mmu_problem_at(p, "NX bit without use_nx", va, level);
        if (level == 4 && (e & PTE_PS))
            return mmu_problem_at(p, "large-page bit in the PML4", va, level);
        if (level == 1 && (e & PTE_PS))
            return mmu_problem_at(p, "PAT bit in a 4 KiB page", va, level);
        if (mmu_is_leaf(e, level)) {
            if (level == 3 && !s->use_1g)
                return mmu_problem_at(p, "1 GiB page without use_1g", va, level);
            if ((e & PTE_ADDR) & (span - 1))
                return mmu_problem_at(p, "large page not aligned to its size", va, level);
            continue;
        }
        if (!mmu_check_table(s, e, level - 1, va, count, p))
            return false;
        /* invariant 2: a child that maps one aligned run with equal attributes is merged */
        const uint64_t *c = mmu_table(s, e);
        if (mmu_leaf_ok(s, level)) {
            uint64_t step = mmu_span(level - 1), base = mmu_leaf_pa(c[0], level - 1);
            bool merge = !(base & (span - 1));
            for (int k = 0; k < MMU_ENTRIES && merge; k++)
                merge = mmu_present(c[k]) && mmu_is_leaf(c[k], level - 1) &&
                        (c[k] & PTE_ATTRS) == (c[0] & PTE_ATTRS) &&
                        mmu_leaf_pa(c[k], level - 1) == base + (uint64_t)k * step;
            if (merge)
                return mmu_problem_at(p, "table that should be one large page", va, level);
        }
    }
    if (!any && level != 4)
        return mmu_problem_at(p, "empty table kept", tbase, level);
    return true;
}

bool mmu_check(const mmu_space *s, mmu_problem *p)
{
    uint64_t count = 0;
    if (!mmu_check_table(s, s->root, 4, 0, &count, p))
        return false;
    if (count != s->tables)
        return mmu_problem_at(p, "table count differs from the tree", 0, 4);
    return true;
}

void mmu_destroy(mmu_space *s)
{
    mmu_free_tree(s, s->root | PTE_P, 5);   /* the root as if an entry above the PML4 pointed to it */
    s->root = 0;
}

const char *mmu_status_text(mmu_status st)
{
    switch (st) {
    case MMU_OK: return "ok";
    case MMU_ERR_ALIGN: return "not page-aligned";
    case MMU_ERR_RANGE: return "outside the address space";
    case MMU_ERR_NOMEM: return "no page for a page table";
    }
    return "unknown status";
}
