/*
 * qd_bands.c - a region decoded into bands for the painters: a
 * nonrelocatable array of records (y0, y1, n, x[0..n), n), each the spans
 * [x0,x1) [x2,x3) ... of rows y0..y1-1, in increasing y. Rows where the
 * region is empty get no record. Because the copy never moves and the
 * painters allocate nothing while walking it, a painter can touch pixels
 * without holding any handle. The trailing n lets CopyBits walk bottom-up
 * when its source and destination overlap.
 */
#include "qd_internal.h"

/* One pass over the rows; counts ints into *len, and writes them when out. */
static void bands_pass(RgnHandle rgn, short *st, short *tmp, int *out, long *len)
{
    short syn[QD_RECT_ROWS];
    const short *p;
    qd_rgn_rows(*rgn, syn, &p);
    long ns = 0, k = 0;
    while (*p != QD_RGN_END) {
        int y = *p++;
        const short *xs = p;
        while (*p != QD_RGN_END)
            p++;
        long nn = qd_xor_sets(st, ns, xs, p - xs, tmp);
        for (long i = 0; i < nn; i++)
            st[i] = tmp[i];
        ns = nn;
        p++;
        if (ns == 0)
            continue;
        if (out) {
            out[k] = y;
            out[k + 1] = *p;          /* the next row's y ends this band */
            out[k + 2] = (int)ns;
            for (long i = 0; i < ns; i++)
                out[k + 3 + i] = st[i];
            out[k + 3 + ns] = (int)ns;
        }
        k += 4 + ns;
    }
    *len = k;
}

bool qd_bands_make(qd_bands *b, RgnHandle rgn)
{
    *b = (qd_bands){ NULL, 0 };
    long words = qd_rgn_size(rgn) / 2 + QD_RECT_ROWS;
    short *st = (short *)NewPtr(2 * words * (Size)sizeof(short));
    if (st == NULL) {
        qd_err = memFullErr;
        return false;
    }
    long len;
    bands_pass(rgn, st, st + words, NULL, &len);
    b->buf = (int *)NewPtr((len + 1) * (Size)sizeof(int));
    if (b->buf == NULL) {
        DisposePtr((Ptr)st);
        qd_err = memFullErr;
        return false;
    }
    bands_pass(rgn, st, st + words, b->buf, &b->len);
    DisposePtr((Ptr)st);
    return true;
}

void qd_bands_dispose(qd_bands *b)
{
    if (b->buf)
        DisposePtr((Ptr)b->buf);
    *b = (qd_bands){ NULL, 0 };
}

static void bands_rows(const int *rec, bool bottom_up, bool right_to_left, qd_span_fn fn, void *ctx)
{
    int y0 = rec[0], y1 = rec[1], n = rec[2];
    const int *xs = rec + 3;
    for (int i = 0; i < y1 - y0; i++) {
        int y = bottom_up ? y1 - 1 - i : y0 + i;
        for (int s = 0; s < n; s += 2) {
            int k = right_to_left ? n - 2 - s : s;
            fn(ctx, y, xs[k], xs[k + 1]);
        }
    }
}

void qd_bands_walk(const qd_bands *b, bool bottom_up, bool right_to_left, qd_span_fn fn, void *ctx)
{
    if (!bottom_up) {
        for (long pos = 0; pos < b->len; pos += 4 + b->buf[pos + 2])
            bands_rows(b->buf + pos, false, right_to_left, fn, ctx);
        return;
    }
    for (long pos = b->len; pos > 0;) {
        pos -= 4 + b->buf[pos - 1];
        bands_rows(b->buf + pos, true, right_to_left, fn, ctx);
    }
}
