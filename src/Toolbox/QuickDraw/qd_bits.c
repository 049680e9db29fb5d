/*
 * qd_bits.c - bit transfer: CopyBits and ScrollRect (Imaging With
 * QuickDraw ch. 3). The destination pixels a transfer may change are one
 * region - dstRect, dstBits.bounds, the current port's visRgn and clipRgn,
 * and maskRgn - walked as bands; each pixel takes the source pixel its
 * position maps to (nearest, by integer scaling) and is combined with it in
 * one of the eight source modes (see Quickdraw.h for their 32-bit meaning).
 * A destination pixel whose source lies outside srcBits.bounds is left
 * alone. When source and destination share pixel memory, rows are walked
 * bottom-up if the image moves down and right-to-left if it moves right,
 * so an unscaled transfer reads every source pixel before overwriting it.
 */
#include "qd_internal.h"

typedef struct copy_ctx {
    const BitMap *src, *dst;
    Rect          sr, dr;
    long          sw, sh, dw, dh;
    int           op;
    bool          inv, rtl;
} copy_ctx;

static uint32_t copy_combine(int op, uint32_t d, uint32_t s)
{
    switch (op) {
    case srcCopy: return s;
    case srcOr:   return d & s;
    case srcXor:  return d ^ (~s & 0x00FFFFFF);
    default:      return d | (~s & 0x00FFFFFF);
    }
}

static void copy_span(void *c, int y, int x0, int x1)
{
    copy_ctx *k = c;
    long sy = k->sr.top + (y - k->dr.top) * k->sh / k->dh;
    if (sy < k->src->bounds.top || sy >= k->src->bounds.bottom)
        return;
    if (k->sw == k->dw) {
        /* Unscaled: source column x + off; the columns whose source lies
         * inside srcBits.bounds are one run, walked in the same order. */
        long off = (long)k->sr.left - k->dr.left;
        long lo = qd_max(x0, k->src->bounds.left - off), hi = qd_min(x1, k->src->bounds.right - off);
        const uint32_t *sp = lo < hi ? qd_pixel(k->src, (int)(lo + off), (int)sy) : NULL;
        uint32_t *dp = lo < hi ? qd_pixel(k->dst, (int)lo, y) : NULL;
        for (long i = 0; i < hi - lo; i++) {
            long j = k->rtl ? hi - lo - 1 - i : i;
            uint32_t sv = sp[j] & 0x00FFFFFF;
            if (k->inv)
                sv = ~sv & 0x00FFFFFF;
            dp[j] = copy_combine(k->op, dp[j], sv);
        }
        return;
    }
    for (int i = 0; i < x1 - x0; i++) {
        int x = k->rtl ? x1 - 1 - i : x0 + i;
        long sx = k->sr.left + (x - k->dr.left) * k->sw / k->dw;
        if (sx < k->src->bounds.left || sx >= k->src->bounds.right)
            continue;
        uint32_t s = *qd_pixel(k->src, (int)sx, (int)sy) & 0x00FFFFFF;
        if (k->inv)
            s = ~s & 0x00FFFFFF;
        uint32_t *d = qd_pixel(k->dst, x, y);
        *d = copy_combine(k->op, *d, s);
    }
}

/* Transfers through the destination region clip (already clipped). */
static void copy_through(const BitMap *src, const BitMap *dst, const Rect *sr, const Rect *dr, short mode,
                         RgnHandle clip)
{
    copy_ctx k = { .src = src, .dst = dst, .sr = *sr, .dr = *dr,
                   .sw = sr->right - sr->left, .sh = sr->bottom - sr->top,
                   .dw = dr->right - dr->left, .dh = dr->bottom - dr->top,
                   .op = mode & 3, .inv = (mode & 4) != 0 };
    bool shared = src->baseAddr == dst->baseAddr;
    long dy = (long)(dr->top - dst->bounds.top) - (sr->top - src->bounds.top);
    long dx = (long)(dr->left - dst->bounds.left) - (sr->left - src->bounds.left);
    k.rtl = shared && dy == 0 && dx > 0;
    qd_bands b;
    if (!qd_bands_make(&b, clip))
        return;
    qd_bands_walk(&b, shared && dy > 0, k.rtl, copy_span, &k);
    qd_bands_dispose(&b);
    qd_err = noErr;
}

static bool bits_ok(const BitMap *b)
{
    return b != NULL && b->baseAddr != NULL && qd_bits_shape_ok(b) && !EmptyRect(&b->bounds);
}

void CopyBits(const BitMap *srcBitsP, const BitMap *dstBitsP, const Rect *srcRectP, const Rect *dstRectP,
              short mode, RgnHandle maskRgn)
{
    if (!bits_ok(srcBitsP) || !bits_ok(dstBitsP) || srcRectP == NULL || dstRectP == NULL ||
        (maskRgn != NULL && !qd_handle_ok(maskRgn))) {
        qd_err = paramErr;
        return;
    }
    /* Copies: the arguments may lie in relocatable blocks and this allocates. */
    BitMap sb = *srcBitsP, db = *dstBitsP;
    Rect sr = *srcRectP, dr = *dstRectP;
    const BitMap *srcBits = &sb, *dstBits = &db;
    const Rect *srcRect = &sr, *dstRect = &dr;
    if (EmptyRect(srcRect) || EmptyRect(dstRect)) {
        qd_err = noErr;
        return;
    }
    RgnHandle clip = NewRgn();
    if (clip == NULL)
        return;
    Rect r;
    SectRect(dstRect, &dstBits->bounds, &r);
    RectRgn(clip, &r);
    GrafPtr port = qd.thePort;
    if (qd_err == noErr && port && qd_handle_ok(port->visRgn) && qd_handle_ok(port->clipRgn)) {
        SectRgn(clip, port->visRgn, clip);
        if (qd_err == noErr)
            SectRgn(clip, port->clipRgn, clip);
    }
    if (qd_err == noErr && maskRgn)
        SectRgn(clip, maskRgn, clip);
    if (qd_err == noErr)
        copy_through(srcBits, dstBits, srcRect, dstRect, mode, clip);
    OSErr err = qd_err;
    DisposeHandle((Handle)clip);
    qd_err = err;
}

void ScrollRect(const Rect *rp, short dh, short dv, RgnHandle updateRgn)
{
    GrafPtr port = qd.thePort;
    if (rp == NULL || port == NULL || (updateRgn != NULL && !qd_handle_ok(updateRgn))) {
        qd_err = paramErr;
        return;
    }
    Rect rv = *rp;                          /* copied before anything allocates */
    const Rect *r = &rv;
    RgnHandle area = NewRgn(), moved = NewRgn();
    if (area == NULL || moved == NULL)
        goto out;
    RectRgn(area, r);
    RgnHandle vis = qd_clip_rgn(area);      /* r within bounds, visRgn, clipRgn */
    if (vis == NULL)
        goto out;
    CopyRgn(vis, area);
    DisposeHandle((Handle)vis);
    CopyRgn(area, moved);
    if (qd_err == noErr)
        OffsetRgn(moved, dh, dv);
    if (qd_err == noErr)
        SectRgn(moved, area, moved);
    if (qd_err == noErr && port->portBits.baseAddr != NULL && qd_bits_shape_ok(&port->portBits)) {
        Rect dr = *r;
        OffsetRect(&dr, dh, dv);
        copy_through(&port->portBits, &port->portBits, r, &dr, srcCopy, moved);
    }
    if (qd_err == noErr)
        DiffRgn(area, moved, area);             /* what was uncovered */
    if (qd_err == noErr)
        qd_fill_rgn(area, &port->bkPat, patCopy);
    if (qd_err == noErr && updateRgn)
        CopyRgn(area, updateRgn);
out:;
    OSErr err = (area == NULL || moved == NULL) ? memFullErr : qd_err;
    if (area)
        DisposeHandle((Handle)area);
    if (moved)
        DisposeHandle((Handle)moved);
    qd_err = err;
}
