/*
 * qd_rgn_ops.c - the region routines of Imaging With QuickDraw ch. 2:
 * creation, copying, offsetting and insetting, the four set operations and
 * the predicates.
 *
 * The set operations walk both regions' rows in y order keeping each
 * operand's current scanline (a sorted list of x transitions), combine the
 * two scanlines with the operation, and emit where the result differs from
 * the previous result scanline - which is the canonical row. They run twice
 * over nonrelocatable copies of the operands: once to size the result, then,
 * after SetHandleSize of the destination succeeded, to write it. So the
 * destination may be an operand, and a failure leaves it untouched.
 * Every operand is checked with qd_rgn_check first (paramErr if damaged).
 * When the bounding boxes or equal operands already say the result is an
 * operand or empty, it is copied or emptied without the walk.
 */
#include "qd_internal.h"

enum { OP_SECT, OP_UNION, OP_DIFF, OP_XOR };

static bool rgn_valid(RgnHandle r)
{
    if (!qd_handle_ok(r) || qd_rgn_check(r, true) != noErr) {
        qd_err = paramErr;
        return false;
    }
    return true;
}

static bool rect_empty(const Rect *r)
{
    return r->bottom <= r->top || r->right <= r->left;
}

/* Makes dst exactly size bytes; false with qd_err = memFullErr if it cannot. */
static bool rgn_resize(RgnHandle dst, long size)
{
    SetHandleSize((Handle)dst, size);
    if (MemError() != noErr) {
        qd_err = memFullErr;
        return false;
    }
    return true;
}

/* dst = a copy of src (both checked); the resize may move src, so it is
 * dereferenced after. */
static void rgn_copy(RgnHandle src, RgnHandle dst)
{
    if (src == dst) {
        qd_err = noErr;
        return;
    }
    long size = qd_rgn_size(src);
    if (!rgn_resize(dst, size))
        return;
    BlockMoveData(*src, *dst, size);
    qd_err = noErr;
}

/* A walk that feeds a region's rows to an encoder; it must feed the same
 * rows each time it is called with the same ctx. */
typedef void rgn_walker(const void *ctx, qd_enc *e);

/* dst = the region walk(ctx) describes, in the two passes every rebuilt
 * region takes: one to measure it, one into dst once dst has its size. */
static void rgn_build(RgnHandle dst, rgn_walker *walk, const void *ctx)
{
    qd_enc e;
    qd_enc_begin(&e, NULL);
    walk(ctx, &e);
    Rect bbox;
    long size = qd_enc_end(&e, &bbox);
    if (size > QD_RGN_MAX) {
        qd_err = rgnOverflowErr;
        return;
    }
    if (!rgn_resize(dst, size))
        return;
    if (size > QD_RGN_HDR) {
        qd_enc_begin(&e, (short *)((char *)*dst + QD_RGN_HDR));
        walk(ctx, &e);
        qd_enc_end(&e, &bbox);
    }
    qd_rgn_set_header(dst, size, &bbox);
    qd_err = noErr;
}

/* ---- creation and copying ---- */

RgnHandle NewRgn(void)
{
    RgnHandle r = (RgnHandle)NewHandle(QD_RGN_HDR);
    if (r == NULL) {
        qd_err = memFullErr;
        return NULL;
    }
    qd_rgn_set_header(r, QD_RGN_HDR, &(Rect){ 0, 0, 0, 0 });
    qd_err = noErr;
    return r;
}

void DisposeRgn(RgnHandle rgn)
{
    if (rgn == NULL) {
        qd_err = paramErr;
        return;
    }
    DisposeHandle((Handle)rgn);
    qd_err = MemError() == noErr ? noErr : paramErr;
}

void CopyRgn(RgnHandle srcRgn, RgnHandle dstRgn)
{
    if (!rgn_valid(srcRgn) || !qd_handle_ok(dstRgn)) {
        qd_err = paramErr;
        return;
    }
    rgn_copy(srcRgn, dstRgn);
}

static void rgn_set_rect(RgnHandle rgn, Rect r)
{
    if (!qd_handle_ok(rgn)) {
        qd_err = paramErr;
        return;
    }
    r.right = qd_clamp(r.right);        /* 0x7FFF ends rows: the plane stops at 0x7FFE */
    r.bottom = qd_clamp(r.bottom);
    if (rect_empty(&r))
        r = (Rect){ 0, 0, 0, 0 };
    if (!rgn_resize(rgn, QD_RGN_HDR))
        return;
    qd_rgn_set_header(rgn, QD_RGN_HDR, &r);
    qd_err = noErr;
}

void SetEmptyRgn(RgnHandle rgn)
{
    rgn_set_rect(rgn, (Rect){ 0, 0, 0, 0 });
}

void SetRectRgn(RgnHandle rgn, short left, short top, short right, short bottom)
{
    rgn_set_rect(rgn, (Rect){ top, left, bottom, right });
}

void RectRgn(RgnHandle rgn, const Rect *r)
{
    if (r == NULL) {
        qd_err = paramErr;
        return;
    }
    rgn_set_rect(rgn, *r);
}

/* ---- offset ---- */

void OffsetRgn(RgnHandle rgn, short dh, short dv)
{
    if (!rgn_valid(rgn))
        return;
    qd_err = noErr;
    MacRegion *r = *rgn;
    Rect *b = &r->rgnBBox;
    if (rect_empty(b) || (dh == 0 && dv == 0))
        return;
    if (!qd_coord_ok((long)b->left + dh) || !qd_coord_ok((long)b->right + dh) ||
        !qd_coord_ok((long)b->top + dv) || !qd_coord_ok((long)b->bottom + dv)) {
        qd_err = paramErr;
        return;
    }
    b->left += dh, b->right += dh, b->top += dv, b->bottom += dv;
    short *d = (short *)((char *)r + QD_RGN_HDR);
    long n = (r->rgnSize - QD_RGN_HDR) / 2;
    for (long i = 0; i < n && d[i] != QD_RGN_END;) {
        d[i++] += dv;
        for (; d[i] != QD_RGN_END; i++)
            d[i] += dh;
        i++;
    }
}

/* ---- the set operations ---- */

static bool op_in(int op, bool a, bool b)
{
    switch (op) {
    case OP_SECT:  return a && b;
    case OP_UNION: return a || b;
    case OP_DIFF:  return a && !b;
    default:       return a != b;
    }
}

/* The transitions of op(scanline a, scanline b). */
static long op_combine(const short *a, long na, const short *b, long nb, int op, short *out)
{
    long i = 0, j = 0, n = 0;
    bool ia = false, ib = false, ir = false;
    while (i < na || j < nb) {
        short x;
        if (j >= nb || (i < na && a[i] < b[j]))
            x = a[i++], ia = !ia;
        else if (i >= na || b[j] < a[i])
            x = b[j++], ib = !ib;
        else
            x = a[i++], j++, ia = !ia, ib = !ib;
        bool r = op_in(op, ia, ib);
        if (r != ir)
            out[n++] = x, ir = r;
    }
    return n;
}

/* Working storage of one operation, carved from one nonrelocatable block. */
typedef struct op_work {
    short *ra, *rb;           /* operand rows, END-terminated twice */
    short *sa, *ta, *sb, *tb; /* scanline of each operand and its next value */
    short *r, *pr, *d;        /* result scanline, previous one, their difference */
    int    op;                /* OP_SECT, OP_UNION, ... */
} op_work;

static long op_words(long la, long lb)
{
    return 7 * (la + lb) + 8;
}

static void op_carve(op_work *w, short *base, long la, long lb)
{
    w->ra = base;
    w->rb = w->ra + la + 2;
    w->sa = w->rb + lb + 2;
    w->ta = w->sa + la;
    w->sb = w->ta + la;
    w->tb = w->sb + lb;
    w->r = w->tb + lb;
    w->pr = w->r + la + lb;
    w->d = w->pr + la + lb;
}

static void op_copy_rows(short *to, RgnHandle rgn, long *len)
{
    short syn[QD_RECT_ROWS];
    const short *rows;
    long n = qd_rgn_rows(*rgn, syn, &rows);
    for (long i = 0; i < n; i++)
        to[i] = rows[i];
    to[n] = to[n + 1] = QD_RGN_END;
    *len = n;
}

/* One pass (an rgn_walker over an op_work): feeds the result rows of
 * w->op to e. Touches only the work area. */
static void op_walk(const void *ctx, qd_enc *e)
{
    const op_work *w = ctx;
    const int op = w->op;
    const short *pa = w->ra, *pb = w->rb;
    short *sa = w->sa, *ta = w->ta, *sb = w->sb, *tb = w->tb, *r = w->r, *pr = w->pr;
    long na = 0, nb = 0, npr = 0;
    while (*pa != QD_RGN_END || *pb != QD_RGN_END) {
        int y = *pa == QD_RGN_END ? *pb : *pb == QD_RGN_END ? *pa : (int)qd_min(*pa, *pb);
        if (*pa == y) {
            const short *xs = ++pa;
            while (*pa != QD_RGN_END)
                pa++;
            na = qd_xor_sets(sa, na, xs, pa - xs, ta);
            short *t = sa; sa = ta; ta = t;
            pa++;
        }
        if (*pb == y) {
            const short *xs = ++pb;
            while (*pb != QD_RGN_END)
                pb++;
            nb = qd_xor_sets(sb, nb, xs, pb - xs, tb);
            short *t = sb; sb = tb; tb = t;
            pb++;
        }
        long nr = op_combine(sa, na, sb, nb, op, r);
        long nd = qd_xor_sets(r, nr, pr, npr, w->d);
        for (long i = 0; i < nd; i++)
            qd_enc_point(e, y, w->d[i]);
        short *t = pr; pr = r; r = t;
        npr = nr;
    }
}

static bool rects_meet(const Rect *a, const Rect *b)
{
    return a->left < b->right && b->left < a->right && a->top < b->bottom && b->top < a->bottom;
}

static bool rect_holds(const Rect *outer, const Rect *inner)
{
    return outer->left <= inner->left && outer->top <= inner->top && outer->right >= inner->right &&
           outer->bottom >= inner->bottom;
}

/* Same set: canonical regions are equal exactly when their bytes are. */
static bool rgn_same(RgnHandle a, RgnHandle b)
{
    long n = qd_rgn_size(a);
    if (a == b)
        return true;
    if (n != qd_rgn_size(b))
        return false;
    const unsigned char *pa = (const unsigned char *)*a, *pb = (const unsigned char *)*b;
    for (long i = 0; i < n; i++)
        if (pa[i] != pb[i])
            return false;
    return true;
}

/*
 * The operations whose result is an operand or empty, decided from the
 * bounding boxes (an empty region, boxes apart, a rectangle holding the
 * other's box) or from equal operands, are done without walking the rows:
 * the result is the same canonical region the walk would make. True when
 * done (qd_err set by the copy or the emptying).
 */
static bool rgn_op_direct(RgnHandle a, RgnHandle b, RgnHandle dst, int op)
{
    const Rect ba = (*a)->rgnBBox, bb = (*b)->rgnBBox;
    bool ea = rect_empty(&ba), eb = rect_empty(&bb), meet = !ea && !eb && rects_meet(&ba, &bb);
    bool ra = qd_rgn_size(a) == QD_RGN_HDR, rb = qd_rgn_size(b) == QD_RGN_HDR;   /* rectangles (or empty) */
    RgnHandle src = NULL;
    bool empty = false;
    switch (op) {
    case OP_SECT:
        if (!meet)
            empty = true;
        else if (ra && rect_holds(&ba, &bb))
            src = b;
        else if ((rb && rect_holds(&bb, &ba)) || rgn_same(a, b))
            src = a;
        break;
    case OP_UNION:
        if (eb || (ra && !ea && rect_holds(&ba, &bb)) || rgn_same(a, b))
            src = a;
        else if (ea || (rb && rect_holds(&bb, &ba)))
            src = b;
        break;
    case OP_DIFF:
        if (ea || (rb && !eb && rect_holds(&bb, &ba)) || rgn_same(a, b))
            empty = true;
        else if (!meet)
            src = a;
        break;
    default:
        if (rgn_same(a, b))
            empty = true;
        else if (eb)
            src = a;
        else if (ea)
            src = b;
        break;
    }
    if (empty)
        rgn_set_rect(dst, (Rect){ 0, 0, 0, 0 });
    else if (src)
        rgn_copy(src, dst);
    return empty || src;
}

static void rgn_op(RgnHandle a, RgnHandle b, RgnHandle dst, int op)
{
    if (!rgn_valid(a) || !rgn_valid(b) || !qd_handle_ok(dst)) {
        qd_err = paramErr;
        return;
    }
    if (rgn_op_direct(a, b, dst, op))
        return;
    long la = qd_rgn_size(a) / 2 + QD_RECT_ROWS, lb = qd_rgn_size(b) / 2 + QD_RECT_ROWS;
    short *base = (short *)NewPtr(op_words(la, lb) * (Size)sizeof(short));
    if (base == NULL) {
        qd_err = memFullErr;
        return;
    }
    op_work w;
    op_carve(&w, base, la, lb);
    long ra_len, rb_len;
    op_copy_rows(w.ra, a, &ra_len);
    op_copy_rows(w.rb, b, &rb_len);
    w.op = op;
    rgn_build(dst, op_walk, &w);
    DisposePtr((Ptr)base);
}

void SectRgn(RgnHandle srcRgnA, RgnHandle srcRgnB, RgnHandle dstRgn)
{
    rgn_op(srcRgnA, srcRgnB, dstRgn, OP_SECT);
}

void UnionRgn(RgnHandle srcRgnA, RgnHandle srcRgnB, RgnHandle dstRgn)
{
    rgn_op(srcRgnA, srcRgnB, dstRgn, OP_UNION);
}

void DiffRgn(RgnHandle srcRgnA, RgnHandle srcRgnB, RgnHandle dstRgn)
{
    rgn_op(srcRgnA, srcRgnB, dstRgn, OP_DIFF);
}

void XorRgn(RgnHandle srcRgnA, RgnHandle srcRgnB, RgnHandle dstRgn)
{
    rgn_op(srcRgnA, srcRgnB, dstRgn, OP_XOR);
}

/* ---- inset: erosion (d > 0) or dilation (d < 0) by a box, one axis ----
 * The result at x is the AND (OR) of the region over [x-|d|, x+|d|]: a
 * window of 2|d|+1 built by doubling - acc holds the window of a pixels
 * starting at x, acc op (acc shifted by a) the window of 2a - so it takes
 * O(log d) region operations. */
static void inset_shift(RgnHandle r, long by, bool horizontal)
{
    if (qd_err != noErr)
        return;
    if (!qd_coord_ok(by)) {
        qd_err = paramErr;
        return;
    }
    OffsetRgn(r, horizontal ? (short)by : 0, horizontal ? 0 : (short)by);
}

/* One scanline's intervals [a,b) made [a+d, b-d): dropped when that is
 * empty (d > 0), merged with the one before when they meet (d < 0). */
static long inset_h_line(const short *s, long n, int d, short *out)
{
    long m = 0;
    for (long i = 0; i + 1 < n; i += 2) {
        int a = s[i] + d, b = s[i + 1] - d;
        if (a >= b)
            continue;
        if (m > 0 && a <= out[m - 1]) {
            if (b > out[m - 1])
                out[m - 1] = (short)b;
            continue;
        }
        out[m++] = (short)a;
        out[m++] = (short)b;
    }
    return m;
}

/* Steps over one row of a region's rows (y, its inversion points, END):
 * the running scanline *s (*ns shorts) takes the row's inversion points,
 * *t serving as scratch (the two are swapped). Returns the row's y; *pp
 * moves to the next row. */
static int rows_step(const short **pp, short **s, short **t, long *ns)
{
    const short *p = *pp;
    int y = *p++;
    const short *xs = p;
    while (*p != QD_RGN_END)
        p++;
    *ns = qd_xor_sets(*s, *ns, xs, p - xs, *t);
    short *u = *s;
    *s = *t;
    *t = u;
    *pp = p + 1;
    return y;
}

/* The one-walk insets' start: a block with the region's rows
 * (END-terminated twice) in its first la + 2 shorts (*la set) and scratch
 * shorts per la after them; NULL (nothing done: the doubling path decides,
 * and says memFullErr if it has no room either) when a shift of the
 * doubling by 2|d| would leave the plane on the axis, or there is no room. */
static short *inset_rows(RgnHandle acc, int d, bool horizontal, long scratch, long *la)
{
    const Rect b = (*acc)->rgnBBox;
    long m = 2 * (d < 0 ? -(long)d : d);
    long lo = horizontal ? b.left : b.top, hi = horizontal ? b.right : b.bottom;
    if (!qd_coord_ok(lo - m) || !qd_coord_ok(hi + m))
        return NULL;
    *la = qd_rgn_size(acc) / 2 + QD_RECT_ROWS;
    short *rows = (short *)NewPtr((*la + 2 + scratch * *la) * (Size)sizeof(short));
    if (rows != NULL) {
        long len;
        op_copy_rows(rows, acc, &len);
    }
    return rows;
}

/* The horizontal inset's work: the region's rows (END-terminated twice),
 * the inset, and room for five scanlines of la shorts and a difference of
 * 2 la. */
typedef struct inset_h_work {
    const short *rows;
    int          d;
    short       *w;
    long         la;
} inset_h_work;

/* One pass (an rgn_walker over an inset_h_work): each scanline inset, the
 * result emitted where it differs from the one above. */
static void inset_h_walk(const void *ctx, qd_enc *e)
{
    const inset_h_work *k = ctx;
    const short *p = k->rows;
    const int d = k->d;
    const long la = k->la;
    short *s = k->w, *t = s + la, *r = t + la, *pr = r + la, *diff = pr + la;
    long ns = 0, npr = 0;
    while (*p != QD_RGN_END) {
        int y = rows_step(&p, &s, &t, &ns);
        long nr = inset_h_line(s, ns, d, r);
        long nd = qd_xor_sets(r, nr, pr, npr, diff);
        for (long i = 0; i < nd; i++)
            qd_enc_point(e, y, diff[i]);
        short *u = pr; pr = r; r = u;
        npr = nr;
    }
}

/* The horizontal inset by d in one walk instead of the doubling below;
 * false (nothing done) when a shift of the doubling would leave the plane
 * or there is no room, so that path decides, paramErr included. */
static bool inset_h(RgnHandle acc, int d)
{
    long la;
    short *base = inset_rows(acc, d, true, 7, &la);
    if (base == NULL)
        return false;
    inset_h_work k = { .rows = base, .d = d, .w = base + la + 2, .la = la };
    rgn_build(acc, inset_h_walk, &k);
    DisposePtr((Ptr)base);
    return true;
}

/*
 * The vertical inset by d in one sweep. The region's rows split the plane
 * into bands [y_i, y_i+1), each with one scanline (the last one empty);
 * the result's scanline at y is the intersection (d > 0) or union (d < 0)
 * of the scanlines of the bands meeting [y-|d|, y+|d|], which can change
 * only at y_i - |d| and y_i + |d|. The bands' scanlines are decoded once
 * into one block.
 */
typedef struct inset_v_work {
    const short *rows;        /* the region's rows, END-terminated twice */
    long   nb;                /* bands */
    short *by;                /* each band's first row */
    long  *off, *len;         /* each band's scanline in sl */
    short *sl;                /* the scanlines */
    short *r, *t, *pr, *diff; /* the result scanline, a temporary, the one above, their difference */
    int    d;                 /* the inset */
} inset_v_work;

/* One pass (an rgn_walker over an inset_v_work). */
static void inset_v_walk(const void *ctx, qd_enc *e)
{
    const inset_v_work *w = ctx;
    const int d = w->d;
    int D = d < 0 ? -d : d, op = d > 0 ? OP_SECT : OP_UNION;
    long lo = 0, hi = 0, ia = 0, ib = 0, npr = 0;
    short *r = w->r, *t = w->t, *pr = w->pr;
    for (;;) {
        /* The next breakpoint: the smaller of y_ia - D and y_ib + D. */
        long ya = ia < w->nb ? (long)w->by[ia] - D : 0x7FFFFFFF, yb = ib < w->nb ? (long)w->by[ib] + D : 0x7FFFFFFF;
        long y = ya < yb ? ya : yb;
        if (y == 0x7FFFFFFF)
            break;
        while (ia < w->nb && (long)w->by[ia] - D <= y)
            ia++;
        while (ib < w->nb && (long)w->by[ib] + D <= y)
            ib++;
        /* Bands meeting [y-D, y+D]: i with y_i - D <= y and y_i+1 + D > y. */
        while (hi < w->nb && (long)w->by[hi] - D <= y)
            hi++;
        while (lo + 1 < hi && (long)w->by[lo + 1] + D <= y)
            lo++;
        long nr = 0;
        bool below = y - D < w->by[0];            /* the window reaches above the first row: empty there */
        if (!(op == OP_SECT && below) && hi > lo) {
            const short *s0 = w->sl + w->off[lo];
            nr = w->len[lo];
            for (long i = 0; i < nr; i++)
                r[i] = s0[i];
            for (long b = lo + 1; b < hi; b++) {
                long nt = op_combine(r, nr, w->sl + w->off[b], w->len[b], op, t);
                short *u = r; r = t; t = u;
                nr = nt;
            }
        }
        long nd = qd_xor_sets(r, nr, pr, npr, w->diff);
        for (long i = 0; i < nd; i++)
            qd_enc_point(e, (int)y, w->diff[i]);
        short *u = pr; pr = r; r = u;
        npr = nr;
    }
}

/* Fast path of the vertical inset; false (nothing done, the doubling path
 * decides) when a shift of the doubling would leave the plane, when the
 * decoded scanlines would be long (over 2 shorts per short of region: its
 * block then outgrows the doubling path's), or when there is no room. */
static bool inset_v(RgnHandle acc, int d)
{
    long la;
    short *rows = inset_rows(acc, d, false, 2, &la);
    if (rows == NULL)
        return false;
    /* Count the bands and their scanlines' total length. */
    short *s = rows + la + 2, *t = s + la;
    long nb = 0, total = 0, ns = 0;
    for (const short *p = rows; *p != QD_RGN_END;) {
        rows_step(&p, &s, &t, &ns);
        nb++;
        total += ns;
    }
    long words = nb + total + 5 * (total + 1) + 2 * (Size)(sizeof(long) / sizeof(short)) * nb + 8;
    short *blk = total <= 2 * la ? (short *)NewPtr(words * (Size)sizeof(short)) : NULL;
    if (blk == NULL) {                             /* long scanlines, or no room: the doubling path */
        DisposePtr((Ptr)rows);
        return false;
    }
    inset_v_work w = { .rows = rows, .nb = nb };
    w.off = (long *)(void *)blk;
    w.len = w.off + nb;
    w.by = (short *)(void *)(w.len + nb);
    w.sl = w.by + nb;
    w.r = w.sl + total;
    w.t = w.r + total + 1;
    w.pr = w.t + total + 1;
    w.diff = w.pr + total + 1;
    s = rows + la + 2, t = s + la, ns = 0;
    long k = 0, at = 0;
    for (const short *p = rows; *p != QD_RGN_END; k++) {
        w.by[k] = (short)rows_step(&p, &s, &t, &ns);
        w.off[k] = at;
        w.len[k] = ns;
        for (long i = 0; i < ns; i++)
            w.sl[at++] = s[i];
    }
    w.d = d;
    rgn_build(acc, inset_v_walk, &w);
    DisposePtr((Ptr)blk);
    DisposePtr((Ptr)rows);
    return true;
}

static void inset_axis(RgnHandle acc, int d, bool horizontal)
{
    if (d == 0 || EmptyRgn(acc))
        return;
    if (horizontal ? inset_h(acc, d) : inset_v(acc, d))
        return;
    int op = d > 0 ? OP_SECT : OP_UNION;
    long half = d > 0 ? d : -(long)d, n = 2 * half + 1, a = 1;
    RgnHandle orig = NewRgn(), t = NewRgn();
    if (orig == NULL || t == NULL) {
        qd_err = memFullErr;
        goto out;
    }
    CopyRgn(acc, orig);
    int bit = 62;
    while (!((n >> bit) & 1))
        bit--;
    for (bit--; bit >= 0 && qd_err == noErr; bit--) {
        CopyRgn(acc, t);
        inset_shift(t, -a, horizontal);
        if (qd_err == noErr)
            rgn_op(acc, t, acc, op);
        a *= 2;
        if (((n >> bit) & 1) && qd_err == noErr) {
            CopyRgn(orig, t);
            inset_shift(t, -a, horizontal);
            if (qd_err == noErr)
                rgn_op(acc, t, acc, op);
            a++;
        }
    }
    if (qd_err == noErr && !rect_empty(&(*acc)->rgnBBox))
        inset_shift(acc, half, horizontal);
out:
    if (orig)
        DisposeHandle((Handle)orig);
    if (t)
        DisposeHandle((Handle)t);
}

/* A rectangle (or empty) region eroded or dilated: the rectangle inset,
 * when every shift the general path would make stays on the plane (else
 * false, and the general path decides, paramErr included). */
static bool inset_rect(RgnHandle rgn, short dh, short dv)
{
    Rect b = (*rgn)->rgnBBox;
    if (rect_empty(&b)) {
        qd_err = noErr;
        return true;
    }
    long mh = 2 * (dh < 0 ? -(long)dh : dh), mv = 2 * (dv < 0 ? -(long)dv : dv);
    if (!qd_coord_ok(b.left - mh) || !qd_coord_ok(b.right + mh) || !qd_coord_ok(b.top - mv) ||
        !qd_coord_ok(b.bottom + mv))
        return false;
    rgn_set_rect(rgn, (Rect){ (short)(b.top + dv), (short)(b.left + dh), (short)(b.bottom - dv), (short)(b.right - dh) });
    return true;
}

void InsetRgn(RgnHandle rgn, short dh, short dv)
{
    if (!rgn_valid(rgn))
        return;
    if (qd_rgn_size(rgn) == QD_RGN_HDR && inset_rect(rgn, dh, dv))
        return;
    RgnHandle acc = NewRgn();
    if (acc == NULL)
        return;
    CopyRgn(rgn, acc);
    qd_err = noErr;
    inset_axis(acc, dh, true);
    if (qd_err == noErr)
        inset_axis(acc, dv, false);
    OSErr err = qd_err;
    if (err == noErr)
        CopyRgn(acc, rgn);
    DisposeHandle((Handle)acc);
    if (err != noErr)
        qd_err = err;
}

/* ---- predicates ---- */

Boolean PtInRgn(Point pt, RgnHandle rgn)
{
    if (!rgn_valid(rgn))
        return false;
    qd_err = noErr;
    short syn[QD_RECT_ROWS];
    const short *p;
    qd_rgn_rows(*rgn, syn, &p);
    bool in = false;
    while (*p != QD_RGN_END && *p <= pt.v) {
        for (p++; *p != QD_RGN_END; p++)
            if (*p <= pt.h)
                in = !in;
        p++;
    }
    return in;
}

Boolean RectInRgn(const Rect *rp, RgnHandle rgn)
{
    if (rp == NULL || !rgn_valid(rgn))
        return false;
    Rect rv = *rp;                          /* NewRgn below may move a block holding *rp */
    const Rect *r = &rv;
    const Rect *b = &(*rgn)->rgnBBox;
    if (rect_empty(r) || r->right <= b->left || r->left >= b->right || r->bottom <= b->top || r->top >= b->bottom) {
        qd_err = noErr;
        return false;
    }
    RgnHandle t = NewRgn();
    if (t == NULL)
        return false;
    RectRgn(t, r);
    SectRgn(t, rgn, t);
    OSErr err = qd_err;
    bool hit = err == noErr && !EmptyRgn(t);
    DisposeHandle((Handle)t);
    qd_err = err;
    return hit;
}

Boolean EqualRgn(RgnHandle rgnA, RgnHandle rgnB)
{
    if (!rgn_valid(rgnA) || !rgn_valid(rgnB))
        return false;
    qd_err = noErr;
    const unsigned char *a = (const unsigned char *)*rgnA, *b = (const unsigned char *)*rgnB;
    unsigned n = (*rgnA)->rgnSize;
    if (n != (*rgnB)->rgnSize)
        return false;
    for (unsigned i = 0; i < n; i++)
        if (a[i] != b[i])
            return false;
    return true;
}

Boolean EmptyRgn(RgnHandle rgn)
{
    if (!qd_handle_ok(rgn)) {
        qd_err = paramErr;
        return true;
    }
    qd_err = noErr;
    return rect_empty(&(*rgn)->rgnBBox);
}
