/*
 * qd_shapes.c - the pixels of ovals, rounded rectangles, pen strokes and
 * frames, produced as regions so that every drawing routine paints (and
 * OpenRgn records) exactly the same set.
 *
 * Ovals: the oval inscribed in r covers, in each row, the pixels whose
 * centres lie inside the ellipse at the row's edge nearer the centre; in
 * doubled coordinates (X = 2i+1-W, Y' = max(|2j+1-H|-1, 0)) that is
 * X^2 <= W^2 (H^2 - Y'^2) / H^2, computed in 64-bit integers (W, H <=
 * 65535 keep the product below 2^64). Every row holds at least its middle
 * pixel(s), so an oval touches all four sides of its rectangle.
 * A rounded rectangle's corner rows are inset as the rows of an
 * ovalWidth x ovalHeight oval; the oval is the rounded rectangle whose
 * corner oval is the whole rectangle.
 * Lines: the pen's rectangle at each point of the Bresenham line from the
 * pen location to the end point, both included; for a monotone line each
 * row of that union is one span.
 */
#include "qd_internal.h"

static uint64_t isqrt64(uint64_t v)
{
    uint64_t r = 0, bit = 1ull << 62;
    while (bit > v)
        bit >>= 2;
    while (bit) {
        if (v >= r + bit) {
            v -= r + bit;
            r = (r >> 1) + bit;
        } else {
            r >>= 1;
        }
        bit >>= 2;
    }
    return r;
}

/* Pixels [*i0, *i1] of row j of the oval filling a w x h box (box coordinates). */
static void oval_row(long w, long h, long j, long *i0, long *i1)
{
    long y = 2 * j + 1 - h;
    y = y < 0 ? -y : y;
    y = y > 0 ? y - 1 : 0;
    uint64_t W2 = (uint64_t)w * (uint64_t)w, H2 = (uint64_t)h * (uint64_t)h;
    uint64_t q = W2 * (H2 - (uint64_t)(y * y)) / H2;
    long xm = (long)isqrt64(q);
    long lo = w - 1 - xm, hi = w - 1 + xm;      /* 2i must lie in [lo, hi] */
    *i0 = lo <= 0 ? 0 : (lo + 1) / 2;
    *i1 = hi / 2;
    if (*i1 > w - 1)
        *i1 = w - 1;
    if (*i0 > *i1) {
        *i0 = (w - 1) / 2;
        *i1 = w / 2;
    }
}

void qd_pts_rrect(qd_pts *p, const Rect *rp, int ow, int oh)
{
    Rect rv = *rp;                          /* qd_pts_add allocates; rp may lie in a handle */
    const Rect *r = &rv;
    long w = (long)r->right - r->left, h = (long)r->bottom - r->top;
    if (w <= 0 || h <= 0)
        return;
    ow = (int)qd_min(ow, w);
    oh = (int)qd_min(oh, h);
    if (ow <= 1 || oh <= 1) {
        qd_pts_rect(p, r->left, r->top, r->right, r->bottom);
        return;
    }
    long prev_in = -1, band_top = r->top;
    for (long j = 0; j <= h; j++) {
        long in = 0;
        if (j < h) {
            long k = j < h - 1 - j ? j : h - 1 - j;
            if (k < oh / 2) {
                long i0, i1;
                oval_row(ow, oh, k, &i0, &i1);
                in = i0;
            }
        }
        /* Emit one rectangle per run of rows with the same inset. */
        if (j > 0 && (in != prev_in || j == h)) {
            qd_pts_rect(p, (int)(r->left + prev_in), (int)band_top, (int)(r->right - prev_in), (int)(r->top + j));
            band_top = r->top + j;
        }
        prev_in = in;
    }
}

void qd_pts_oval(qd_pts *p, const Rect *r)
{
    qd_pts_rrect(p, r, r->right - r->left, r->bottom - r->top);
}

static void shape_rgn(RgnHandle dst, const Rect *rp, int ow, int oh)
{
    Rect rv = *rp;
    const Rect *r = &rv;
    qd_pts p;
    if (!qd_pts_init(&p)) {
        qd_err = memFullErr;
        return;
    }
    qd_pts_rrect(&p, r, ow, oh);
    qd_pts_to_rgn(&p, dst);
}

void qd_oval_rgn(RgnHandle dst, const Rect *r)
{
    shape_rgn(dst, r, r->right - r->left, r->bottom - r->top);
}

void qd_rrect_rgn(RgnHandle dst, const Rect *r, int ow, int oh)
{
    shape_rgn(dst, r, ow, oh);
}

/* ---- pen strokes ---- */

void qd_line_rgn(RgnHandle dst, int x0, int y0, int x1, int y1, int pw, int ph)
{
    if (pw <= 0 || ph <= 0) {
        SetEmptyRgn(dst);
        return;
    }
    if (y0 > y1) {
        int t = x0; x0 = x1; x1 = t;
        t = y0; y0 = y1; y1 = t;
    }
    if (x0 == x1 || y0 == y1) {
        /* Axis-aligned: every row of the pen's path is the same span, so the
         * region is one rectangle (what the general path below encodes too). */
        long l = qd_min(x0, x1), t = y0, r = qd_max(x0, x1) + (long)pw, b = (long)y1 + ph;
        if (qd_coord_ok(l) && qd_coord_ok(t) && qd_coord_ok(r) && qd_coord_ok(b)) {
            SetRectRgn(dst, (short)l, (short)t, (short)r, (short)b);
            return;
        }
    }
    long dy = (long)y1 - y0, dx = x1 > x0 ? (long)x1 - x0 : (long)x0 - x1, sx = x1 > x0 ? 1 : -1;
    /* ext[2k], ext[2k+1]: leftmost and rightmost x of the line's points in row y0+k. */
    int *ext = (int *)NewPtr((dy + 1) * 2 * (Size)sizeof(int));
    if (ext == NULL) {
        qd_err = memFullErr;
        return;
    }
    for (long k = 0; k <= dy; k++)
        ext[2 * k] = 0x7FFFFFFF, ext[2 * k + 1] = -0x7FFFFFFF;
    long x = x0, y = y0, err = dx - dy;
    for (;;) {
        long k = y - y0;
        ext[2 * k] = (int)qd_min(ext[2 * k], x);
        ext[2 * k + 1] = (int)qd_max(ext[2 * k + 1], x);
        if (x == x1 && y == y1)
            break;
        long e2 = 2 * err;
        if (e2 > -dy)
            err -= dy, x += sx;
        if (e2 < dx)
            err += dx, y++;
    }
    qd_pts p;
    if (qd_pts_init(&p)) {
        for (long row = y0; row < (long)y1 + ph; row++) {
            long lo = qd_max(row - ph + 1, y0) - y0, hi = qd_min(row, y1) - y0;
            long l = qd_min(ext[2 * lo], ext[2 * hi]), rr = qd_max(ext[2 * lo + 1], ext[2 * hi + 1]) + pw;
            if (!qd_coord_ok(row) || !qd_coord_ok(row + 1)) {
                p.failed = true;
                break;
            }
            qd_pts_span(&p, (int)row, (int)qd_max(l, QD_COORD_MIN), (int)qd_min(rr, QD_COORD_MAX));
        }
    }
    DisposePtr((Ptr)ext);
    if (p.h == NULL) {
        qd_err = memFullErr;
        return;
    }
    qd_pts_to_rgn(&p, dst);
}

void qd_frame_rgn_of(RgnHandle dst, RgnHandle src, int pw, int ph)
{
    RgnHandle inner = NewRgn();
    if (inner == NULL)
        return;
    CopyRgn(src, inner);
    if (qd_err == noErr)
        InsetRgn(inner, (short)pw, (short)ph);
    if (qd_err == noErr)
        DiffRgn(src, inner, dst);
    OSErr err = qd_err;
    DisposeHandle((Handle)inner);
    qd_err = err;
}
