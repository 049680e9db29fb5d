/*
 * test_qd_rgn.c - QuickDraw regions against a brute-force pixel model:
 * rectangles, ovals and rounded rectangles combined at random by every
 * operation (Sect/Union/Diff/Xor, Offset, Inset, Copy, OpenRgn/CloseRgn),
 * and the set operations' shortcut cases (empty, equal, apart, held by a
 * rectangle) one by one, each result decoded by the format's definition and compared pixel by
 * pixel, and checked for canonical form (qd_rgn_check) and exact bbox.
 * Then the predicates, the shapes against a floating-point ellipse, the
 * error paths (memFullErr and rgnOverflowErr leave the destination as it
 * was; a damaged region is paramErr and never followed), and FreeMem back
 * where it began with a clean heap check.
 */
#include <math.h>

#include "mm_test_util.h"
#include "qd_test_util.h"
#include "tap.h"

static qm_grid gr, gt;

/* Checks a result: canonical, bbox exact, pixels equal to the model. */
static bool same(RgnHandle r, const qm_grid *want, const char *what, int iter)
{
    if (qd_rgn_check(r, true) != noErr) {
        tap_diag("%s (iteration %d): not canonical", what, iter);
        return false;
    }
    if (!qm_decode(r, &gt)) {
        tap_diag("%s (iteration %d): undecodable or off the grid", what, iter);
        return false;
    }
    if (!qm_equal(&gt, want)) {
        tap_diag("%s (iteration %d): pixels differ from the model", what, iter);
        return false;
    }
    Rect bb = qm_bbox(want);
    if (!EqualRect(&bb, &(*r)->rgnBBox)) {
        tap_diag("%s (iteration %d): bbox %d,%d,%d,%d want %d,%d,%d,%d", what, iter, (*r)->rgnBBox.left,
                 (*r)->rgnBBox.top, (*r)->rgnBBox.right, (*r)->rgnBBox.bottom, bb.left, bb.top, bb.right, bb.bottom);
        return false;
    }
    return true;
}

static Rect rand_rect(qm_rng *g)
{
    short l = (short)qm_range(g, -30, 110), t = (short)qm_range(g, -30, 110);
    Rect r = { t, l, (short)(t + qm_range(g, 0, 45)), (short)(l + qm_range(g, 0, 45)) };
    return r;
}

/* A random shape region; returns its kind (0 rect, 1 oval, 2 round rect). */
static int rand_shape(qm_rng *g, RgnHandle dst)
{
    Rect r = rand_rect(g);
    int kind = qm_range(g, 0, 2);
    switch (kind) {
    case 0: RectRgn(dst, &r); break;
    case 1: OpenRgn(); FrameOval(&r); CloseRgn(dst); break;
    default: OpenRgn(); FrameRoundRect(&r, (short)qm_range(g, 0, 30), (short)qm_range(g, 0, 30)); CloseRgn(dst); break;
    }
    return kind;
}

static void test_basics(void)
{
    RgnHandle r = NewRgn();
    tap_ok(r && QDError() == noErr && GetHandleSize((Handle)r) == 10 && EmptyRgn(r) && qd_rgn_check(r, true) == noErr,
           "NewRgn: a 10-byte empty region, canonical");
    SetRectRgn(r, 10, 20, 30, 40);
    Rect want = { 20, 10, 40, 30 };
    tap_ok(GetHandleSize((Handle)r) == 10 && (*r)->rgnSize == 10 && EqualRect(&(*r)->rgnBBox, &want) && !EmptyRgn(r),
           "SetRectRgn: 10 bytes, bbox is the rectangle");
    SetRectRgn(r, 30, 20, 10, 40);
    Rect zero = { 0, 0, 0, 0 };
    tap_ok(EmptyRgn(r) && EqualRect(&(*r)->rgnBBox, &zero), "SetRectRgn with an inverted rectangle: empty, 0,0,0,0");
    RectRgn(r, &want);
    RgnHandle s = NewRgn();
    CopyRgn(r, s);
    tap_ok(EqualRgn(r, s) && QDError() == noErr, "CopyRgn/EqualRgn");
    SetEmptyRgn(s);
    tap_ok(EmptyRgn(s) && !EqualRgn(r, s) && (*s)->rgnSize == 10, "SetEmptyRgn");
    /* two touching rectangles that make one: back to 10 bytes */
    SetRectRgn(r, 0, 0, 10, 10);
    SetRectRgn(s, 10, 0, 20, 10);
    UnionRgn(r, s, r);
    Rect both = { 0, 0, 10, 20 };
    tap_ok((*r)->rgnSize == 10 && EqualRect(&(*r)->rgnBBox, &both), "union of two abutting rectangles is a 10-byte rectangle");
    SetRectRgn(s, 5, 5, 15, 15);
    UnionRgn(r, s, r);
    /* rows 0..9 are [0,20), rows 10..14 [5,15): row 10 lists where they differ */
    static const short want_data[] = { 0, 0, 20, 0x7FFF, 10, 0, 5, 15, 20, 0x7FFF, 15, 5, 15, 0x7FFF, 0x7FFF };
    bool data_ok = (*r)->rgnSize == 10 + sizeof want_data &&
                   memcmp((char *)*r + 10, want_data, sizeof want_data) == 0;
    tap_ok(data_ok && qd_rgn_check(r, true) == noErr, "a T-shaped union has exactly Apple's row encoding");
    DisposeRgn(r);
    DisposeRgn(s);
}

static void test_random_algebra(void)
{
    enum { POOL = 6, ITER = 600 };
    qm_rng g = { 0x9E3779B97F4A7C15ull };
    RgnHandle pool[POOL];
    static qm_grid model[POOL];
    bool ok = true;
    for (int i = 0; i < POOL; i++) {
        pool[i] = NewRgn();
        rand_shape(&g, pool[i]);
        ok = ok && qm_decode(pool[i], &model[i]) && qd_rgn_check(pool[i], true) == noErr;
    }
    int counts[8] = { 0 };
    for (int it = 0; it < ITER && ok; it++) {
        int op = qm_range(&g, 0, 7), a = qm_range(&g, 0, POOL - 1), b = qm_range(&g, 0, POOL - 1);
        int d = qm_range(&g, 0, 3) == 0 ? a : qm_range(&g, 0, POOL - 1);
        counts[op]++;
        static const char *names[] = { "SectRgn", "UnionRgn", "DiffRgn", "XorRgn", "OffsetRgn", "InsetRgn", "new shape", "CopyRgn" };
        switch (op) {
        case 0: case 1: case 2: case 3: {
            qm_op(&model[a], &model[b], op, &gr);
            if (op == 0) SectRgn(pool[a], pool[b], pool[d]);
            if (op == 1) UnionRgn(pool[a], pool[b], pool[d]);
            if (op == 2) DiffRgn(pool[a], pool[b], pool[d]);
            if (op == 3) XorRgn(pool[a], pool[b], pool[d]);
            model[d] = gr;
            break;
        }
        case 4: {
            Rect bb = (*pool[a])->rgnBBox;
            int dh = qm_range(&g, -20, 20), dv = qm_range(&g, -20, 20);
            if (bb.left + dh < -50 || bb.right + dh > 170) dh = 0;
            if (bb.top + dv < -50 || bb.bottom + dv > 170) dv = 0;
            qm_offset(&model[a], dh, dv, &gr);
            OffsetRgn(pool[a], (short)dh, (short)dv);
            model[a] = gr;
            d = a;
            break;
        }
        case 5: {
            Rect bb = (*pool[a])->rgnBBox;
            int dh = qm_range(&g, -5, 6), dv = qm_range(&g, -5, 6);
            if (bb.left < -50 || bb.right > 170 || bb.top < -50 || bb.bottom > 170) dh = dv = 1;
            qm_inset_axis(&model[a], dh, true, &gt);
            qm_inset_axis(&gt, dv, false, &gr);
            InsetRgn(pool[a], (short)dh, (short)dv);
            model[a] = gr;
            d = a;
            break;
        }
        case 6:
            rand_shape(&g, pool[a]);
            ok = qm_decode(pool[a], &model[a]);
            d = a;
            break;
        default:
            CopyRgn(pool[a], pool[d]);
            model[d] = model[a];
            break;
        }
        if (QDError() != noErr) {
            tap_diag("%s (iteration %d): QDError %d", names[op], it, QDError());
            ok = false;
        }
        ok = ok && same(pool[d], &model[d], names[op], it);
        /* predicates against the model on the result */
        for (int k = 0; k < 8 && ok; k++) {
            Point p = { .v = (short)qm_range(&g, -60, 180), .h = (short)qm_range(&g, -60, 180) };
            bool want = qm_in(p.h, p.v) && *qm_at(&model[d], p.h, p.v);
            if (PtInRgn(p, pool[d]) != want) {
                tap_diag("PtInRgn(%d,%d) after %s (iteration %d) wrong", p.h, p.v, names[op], it);
                ok = false;
            }
            Rect rr = rand_rect(&g);
            if (RectInRgn(&rr, pool[d]) != qm_any_in_rect(&model[d], &rr)) {
                tap_diag("RectInRgn after %s (iteration %d) wrong", names[op], it);
                ok = false;
            }
        }
        if (ok && EmptyRgn(pool[d]) != qm_empty(&model[d])) {
            tap_diag("EmptyRgn after %s (iteration %d) wrong", names[op], it);
            ok = false;
        }
        int o = qm_range(&g, 0, POOL - 1);
        if (ok && EqualRgn(pool[d], pool[o]) != qm_equal(&model[d], &model[o])) {
            tap_diag("EqualRgn after %s (iteration %d) wrong", names[op], it);
            ok = false;
        }
    }
    tap_ok(ok, "%d random operations (sect %d, union %d, diff %d, xor %d, offset %d, inset %d, shape %d, copy %d) "
               "match the pixel model, canonical after each, predicates agree",
           ITER, counts[0], counts[1], counts[2], counts[3], counts[4], counts[5], counts[6], counts[7]);
    for (int i = 0; i < POOL; i++)
        DisposeRgn(pool[i]);
}

/* The operations whose result is an operand or empty (an empty operand,
 * boxes apart or touching, a rectangle holding the other's box, equal
 * operands in two handles or one) against the model, into a third region
 * and into the first operand. */
static void test_direct_results(void)
{
    enum { N = 7 };
    static const char *names[] = { "SectRgn", "UnionRgn", "DiffRgn", "XorRgn" };
    static qm_grid model[N];
    RgnHandle r[N];
    for (int i = 0; i < N; i++)
        r[i] = NewRgn();
    Rect ov = { 20, 20, 60, 70 }, far = { 100, 100, 130, 140 }, big = { 10, 10, 80, 90 }, below = { 60, 20, 80, 70 };
    OpenRgn(); FrameOval(&ov); CloseRgn(r[0]);
    CopyRgn(r[0], r[1]);
    RectRgn(r[2], &big);
    OpenRgn(); FrameOval(&far); CloseRgn(r[3]);
    RectRgn(r[4], &below);
    OpenRgn(); FrameRoundRect(&big, 20, 20); CloseRgn(r[5]);    /* holds the oval's box, not a rectangle */
    /* r[6] stays empty */
    bool ok = true;
    for (int i = 0; i < N; i++)
        ok = ok && qm_decode(r[i], &model[i]) && qd_rgn_check(r[i], true) == noErr;
    RgnHandle d = NewRgn(), a = NewRgn();
    int done = 0;
    for (int op = 0; op < 4 && ok; op++)
        for (int i = 0; i < N && ok; i++)
            for (int j = 0; j < N && ok; j++) {
                qm_op(&model[i], &model[j], op, &gr);
                for (int into_a = 0; into_a < 2 && ok; into_a++) {
                    RgnHandle dst = d, ra = r[i];
                    if (into_a) {
                        CopyRgn(r[i], a);
                        dst = ra = a;
                    }
                    RgnHandle rb = into_a && i == j ? a : r[j];
                    if (op == 0) SectRgn(ra, rb, dst);
                    if (op == 1) UnionRgn(ra, rb, dst);
                    if (op == 2) DiffRgn(ra, rb, dst);
                    if (op == 3) XorRgn(ra, rb, dst);
                    if (QDError() != noErr) {
                        tap_diag("%s of regions %d and %d: QDError %d", names[op], i, j, QDError());
                        ok = false;
                    }
                    ok = ok && same(dst, &gr, names[op], i * N + j);
                    ok = ok && qd_rgn_check(r[i], true) == noErr && qd_rgn_check(r[j], true) == noErr;
                    done++;
                }
            }
    tap_ok(ok, "%d operations on empty, equal, apart, touching and rectangle-held operands match the pixel model", done);
    /* InsetRgn of a rectangle insets it: eroded to nothing, dilated, one axis at a time. */
    bool inset_ok = true;
    int insets = 0;
    for (int dh = -6; dh <= 8 && inset_ok; dh += 2)
        for (int dv = -7; dv <= 9 && inset_ok; dv += 4) {
            Rect small = { 40, 30, 52, 44 };
            RectRgn(d, &small);
            qm_decode(d, &gr);
            qm_inset_axis(&gr, dh, true, &gt);
            qm_inset_axis(&gt, dv, false, &gr);
            InsetRgn(d, (short)dh, (short)dv);
            inset_ok = QDError() == noErr && same(d, &gr, "InsetRgn of a rectangle", dh * 100 + dv);
            insets++;
        }
    tap_ok(inset_ok, "%d insets of a rectangle, eroded past empty and dilated, match the pixel model", insets);
    /* Two rectangles 4 apart dilated sideways: by 1 still apart, by 2 they touch (one
     * interval), by 3 they overlap; eroded by 6 each vanishes. */
    bool pair_ok = true;
    for (int dh = -3; dh <= 6 && pair_ok; dh++)
        for (int dv = -1; dv <= 1 && pair_ok; dv++) {
            Rect left = { 40, 30, 60, 44 }, right = { 44, 48, 64, 62 };
            RectRgn(d, &left);
            RectRgn(a, &right);
            UnionRgn(d, a, d);
            qm_decode(d, &gr);
            qm_inset_axis(&gr, dh, true, &gt);
            qm_inset_axis(&gt, dv, false, &gr);
            InsetRgn(d, (short)dh, (short)dv);
            pair_ok = QDError() == noErr && same(d, &gr, "InsetRgn of two rectangles", dh * 100 + dv);
        }
    tap_ok(pair_ok, "insets of two rectangles 4 apart: dilated until they touch and overlap, eroded away, match the pixel model");
    for (int i = 0; i < N; i++)
        DisposeRgn(r[i]);
    DisposeRgn(d);
    DisposeRgn(a);
}

/* The oval rule in floating point: a pixel is in when its centre lies in
 * the ellipse at the row's edge nearer the centre (or it is a middle pixel
 * of a row that would otherwise be empty). */
static bool float_oval_row(int w, int h, int j, int *i0, int *i1)
{
    double Y = fabs(2.0 * j + 1 - h);
    Y = Y > 0 ? Y - 1 : 0;
    int lo = w, hi = -1;
    for (int i = 0; i < w; i++) {
        double X = 2.0 * i + 1 - w;
        if (X * X * (double)h * h <= (double)w * w * ((double)h * h - Y * Y)) {
            lo = i < lo ? i : lo;
            hi = i > hi ? i : hi;
        }
    }
    if (hi < lo)
        lo = (w - 1) / 2, hi = w / 2;
    *i0 = lo;
    *i1 = hi;
    return true;
}

static void test_shapes(void)
{
    qm_rng g = { 12345 };
    RgnHandle r = NewRgn();
    static qm_grid want_oval;
    bool oval_ok = true, rr_ok = true;
    for (int it = 0; it < 300 && (oval_ok && rr_ok); it++) {
        Rect b = rand_rect(&g);
        OpenRgn();
        FrameOval(&b);
        CloseRgn(r);
        qm_decode(r, &gr);
        int w = b.right - b.left, h = b.bottom - b.top;
        memset(&want_oval, 0, sizeof want_oval);
        if (w > 0 && h > 0)
            for (int j = 0; j < h; j++) {
                int i0, i1;
                float_oval_row(w, h, j, &i0, &i1);
                for (int i = i0; i <= i1; i++)
                    *qm_at(&want_oval, b.left + i, b.top + j) = 1;
            }
        if (!same(r, &want_oval, "oval", it))
            oval_ok = false;
        /* round rect: inside its rect, symmetric, full-width middle rows */
        int ow = qm_range(&g, 0, 40), oh = qm_range(&g, 0, 40);
        OpenRgn();
        FrameRoundRect(&b, (short)ow, (short)oh);
        CloseRgn(r);
        qm_decode(r, &gr);
        Rect want = (w > 0 && h > 0) ? b : (Rect){ 0, 0, 0, 0 };
        rr_ok = rr_ok && qd_rgn_check(r, true) == noErr && EqualRect(&(*r)->rgnBBox, &want);
        for (int y = b.top; rr_ok && y < b.bottom; y++)
            for (int x = b.left; x < b.right; x++) {
                bool v = *qm_at(&gr, x, y);
                bool mirror_h = *qm_at(&gr, b.left + b.right - 1 - x, y);
                bool mirror_v = *qm_at(&gr, x, b.top + b.bottom - 1 - y);
                int k = (y - b.top) < (b.bottom - 1 - y) ? y - b.top : b.bottom - 1 - y;
                if (v != mirror_h || v != mirror_v || (k >= (oh < h ? oh : h) / 2 && !v)) {
                    tap_diag("round rect %d,%d,%d,%d oval %dx%d wrong at %d,%d", b.left, b.top, b.right, b.bottom, ow, oh, x, y);
                    rr_ok = false;
                    break;
                }
            }
    }
    tap_ok(oval_ok, "300 random ovals equal the floating-point ellipse rule, touch their rectangle's sides");
    tap_ok(rr_ok, "300 random rounded rectangles: canonical, bbox = rect, symmetric, middle rows full");
    DisposeRgn(r);
}

static void test_open_rgn(void)
{
    RgnHandle r = NewRgn(), s = NewRgn();
    Rect a = { 10, 10, 50, 50 }, b = { 30, 30, 70, 70 };
    OpenRgn();
    FrameRect(&a);
    FrameRect(&b);
    CloseRgn(r);
    RgnHandle ra = NewRgn(), rb = NewRgn();
    RectRgn(ra, &a);
    RectRgn(rb, &b);
    XorRgn(ra, rb, s);
    tap_ok(EqualRgn(r, s) && QDError() == noErr, "OpenRgn: two framed rectangles record their XOR");
    OpenRgn();
    MoveTo(5, 5);
    LineTo(40, 5);
    LineTo(40, 25);
    LineTo(5, 25);
    LineTo(5, 5);
    CloseRgn(r);
    SetRectRgn(s, 5, 5, 40, 25);
    tap_ok(EqualRgn(r, s), "OpenRgn: a closed rectangular polygon of lines is that rectangle");
    OpenRgn();
    MoveTo(0, 0);
    LineTo(20, 40);
    LineTo(-20, 40);
    LineTo(0, 0);
    CloseRgn(r);
    qm_decode(r, &gr);
    bool tri = qd_rgn_check(r, true) == noErr && PtInRgn((Point){ .v = 30, .h = 0 }, r) &&
               !PtInRgn((Point){ .v = 5, .h = 15 }, r) && !PtInRgn((Point){ .v = 41, .h = 0 }, r);
    for (int y = 0; y < 40 && tri; y++)
        for (int x = -25; x < 25; x++)
            if (*qm_at(&gr, x, y) != *qm_at(&gr, -1 - x, y) && x != -1 - x)
                tri = false;
    tap_ok(tri, "OpenRgn: a triangle of lines is canonical, filled and symmetric about its axis");
    GrafPtr port = qd.thePort;
    tap_ok(port->rgnSave == NULL && port->pnVis == 0, "CloseRgn clears rgnSave and shows the pen again");
    CloseRgn(r);
    TAP_EQ(QDError(), paramErr, "CloseRgn without OpenRgn is paramErr");
    DisposeRgn(r);
    DisposeRgn(s);
    DisposeRgn(ra);
    DisposeRgn(rb);
}

static void test_errors(void)
{
    /* memFullErr: a small zone, nearly filled */
    static char buf[96 << 10] __attribute__((aligned(16)));
    THz saved = GetZone();
    mt_zone(buf, sizeof buf, NULL, 32);
    RgnHandle a = NewRgn(), b = NewRgn(), d = NewRgn();
    qm_rng g = { 777 };
    for (int i = 0; i < 40; i++) {
        Rect r = rand_rect(&g);
        RgnHandle t = NewRgn();
        OpenRgn();
        FrameOval(&r);
        CloseRgn(t);
        XorRgn(a, t, a);
        DisposeRgn(t);
    }
    for (int i = 0; i < 40; i++) {
        Rect r = rand_rect(&g);
        RgnHandle t = NewRgn();
        RectRgn(t, &r);
        XorRgn(b, t, b);
        DisposeRgn(t);
    }
    SetRectRgn(d, 1, 2, 3, 4);
    Size before = GetHandleSize((Handle)a);
    Ptr fill[256];
    int nf = 0;
    for (Size sz = 32 << 10; sz >= 16 && nf < 256;) {
        Ptr p = NewPtr(sz);
        if (p)
            fill[nf++] = p;
        else
            sz /= 2;
    }
    XorRgn(a, b, d);
    OSErr e1 = QDError();
    bool d_same = (*d)->rgnSize == 10 && (*d)->rgnBBox.left == 1 && (*d)->rgnBBox.bottom == 4 && qd_rgn_check(d, true) == noErr;
    UnionRgn(a, b, a);
    OSErr e2 = QDError();
    bool a_same = GetHandleSize((Handle)a) == before && qd_rgn_check(a, true) == noErr;
    for (int i = 0; i < nf; i++)
        DisposePtr(fill[i]);
    TAP_EQ(e1, memFullErr, "XorRgn in a full zone: memFullErr");
    tap_ok(d_same, "...and the destination is unchanged and valid");
    TAP_EQ(e2, memFullErr, "UnionRgn into an operand in a full zone: memFullErr");
    tap_ok(a_same, "...and that operand is unchanged and valid");
    XorRgn(a, b, d);
    tap_ok(QDError() == noErr && qd_rgn_check(d, true) == noErr, "with room again the same XorRgn succeeds");
    /* The working copy fits but the destination cannot grow: a hole just
     * big enough for the operation's scratch block (7 shorts per operand
     * short, see rgn_op) and half the result. */
    RgnHandle res = NewRgn();
    XorRgn(a, b, res);
    Size result = GetHandleSize((Handle)res);
    DisposeRgn(res);
    Size scratch = 14 * ((*a)->rgnSize / 2 + 9 + (*b)->rgnSize / 2 + 9) + 16;
    SetRectRgn(d, 1, 2, 3, 4);
    Ptr hole = NewPtr(scratch + result / 2);
    nf = 0;
    for (Size sz = 32 << 10; sz >= 16 && nf < 256;) {
        Ptr p = NewPtr(sz);
        if (p)
            fill[nf++] = p;
        else
            sz /= 2;
    }
    DisposePtr(hole);
    XorRgn(a, b, d);
    OSErr e3 = QDError();
    bool d_same2 = (*d)->rgnSize == 10 && (*d)->rgnBBox.left == 1 && qd_rgn_check(d, true) == noErr;
    for (int i = 0; i < nf; i++)
        DisposePtr(fill[i]);
    tap_ok(hole != NULL && e3 == memFullErr && d_same2,
           "SetHandleSize of the destination failing after the scratch fit: memFullErr (%d), destination unchanged", e3);
    DisposeRgn(a);
    DisposeRgn(b);
    DisposeRgn(d);
    tap_ok(mm_check_zone(GetZone(), "test", true) == noErr, "small zone heap check clean after memFullErr paths");
    SetZone(saved);

    /* rgnOverflowErr: a region over 64 KiB */
    RgnHandle big = NewRgn(), r = NewRgn();
    SetRectRgn(r, 7, 7, 9, 9);
    OpenRgn();
    for (int i = 0; i < 5000; i++) {
        Rect sq = { (short)(i * 3), (short)(i % 50), (short)(i * 3 + 2), (short)(i % 50 + 2) };
        FrameRect(&sq);
    }
    CloseRgn(r);
    TAP_EQ(QDError(), rgnOverflowErr, "CloseRgn of 5000 separate squares (over 64 KiB): rgnOverflowErr");
    tap_ok((*r)->rgnSize == 10 && (*r)->rgnBBox.left == 7, "...and the destination is unchanged");
    RgnHandle half1 = NewRgn(), half2 = NewRgn();
    for (int k = 0; k < 2; k++) {
        OpenRgn();
        for (int i = k; i < 5000; i += 2) {
            Rect sq = { (short)(i * 3), (short)(i % 50), (short)(i * 3 + 2), (short)(i % 50 + 2) };
            FrameRect(&sq);
        }
        CloseRgn(k ? half2 : half1);
    }
    bool halves = QDError() == noErr && (*half1)->rgnSize > 30000 && (*half2)->rgnSize > 30000;
    UnionRgn(half1, half2, r);
    tap_ok(halves && QDError() == rgnOverflowErr && (*r)->rgnSize == 10 && (*r)->rgnBBox.left == 7,
           "UnionRgn of two 40 KB regions (over 64 KiB): rgnOverflowErr, destination unchanged");
    DisposeRgn(half1);
    DisposeRgn(half2);

    /* damaged regions are refused, not followed */
    SetRectRgn(r, 0, 0, 10, 10);
    SetRectRgn(big, 5, 5, 20, 20);
    UnionRgn(r, big, big);
    Size n = GetHandleSize((Handle)big);
    ((short *)((char *)*big + 10))[1] = 30000;     /* x out of order */
    RgnHandle c = NewRgn();
    UnionRgn(big, r, c);
    tap_ok(QDError() == paramErr && EmptyRgn(c), "UnionRgn with a damaged operand: paramErr, destination untouched");
    (*big)->rgnSize = (unsigned short)(n + 200);   /* longer than the handle */
    OffsetRgn(big, 1, 1);
    TAP_EQ(QDError(), paramErr, "OffsetRgn of a region whose rgnSize exceeds its handle: paramErr");
    tap_ok(qd_rgn_check(c, false) == noErr && qd_rgn_check(big, false) == paramErr, "qd_rgn_check tells them apart");
    SetEmptyRgn(big);
    CopyRgn(NULL, c);
    TAP_EQ(QDError(), paramErr, "CopyRgn from NULL: paramErr");
    SetRectRgn(r, 0, 0, 10, 10);
    OffsetRgn(r, 32760, 0);
    tap_ok(QDError() == paramErr && (*r)->rgnBBox.right == 10, "OffsetRgn off the coordinate plane: paramErr, unchanged");
    DisposeRgn(big);
    DisposeRgn(r);
    DisposeRgn(c);
}

int main(void)
{
    tap_ok(mt_install(256 << 10, 4 << 20, 0), "zones installed");
    MaxApplZone();                          /* no growth in the middle of a FreeMem comparison */
    long free0 = FreeMem();
    InitGraf(&qd.thePort);
    GrafPort port;
    OpenPort(&port);
    test_basics();
    test_random_algebra();
    test_direct_results();
    test_shapes();
    test_open_rgn();
    test_errors();
    ClosePort(&port);
    TAP_EQ(FreeMem(), free0, "FreeMem is back where it began");
    tap_ok(mt_ok(GetZone()), "heap check clean");
    return tap_done();
}
