/*
 * qd_rgn_codec.c - the region format: reading rows (with rectangles and
 * the empty region synthesized as rows), writing canonical rows from a
 * stream of inversion points, the inversion-point builder that turns any
 * multiset of points into a canonical region, and qd_rgn_check, the one
 * routine that verifies every rule of the canonical form.
 *
 * Why inversion points make canonical form easy: a region's pixels are the
 * parity of the points above-left of them, so any list of points (an
 * outline, two regions' rows together) describes a region, and reducing
 * the multiset modulo 2 and sorting it by (y, x) gives exactly the rows of
 * the canonical encoding - the places where a scanline differs from the one
 * above. Only a single rectangle needs a special case (10 bytes).
 */
#include "qd_internal.h"

#include "lib/kprintf.h"

/* ---- reading ---- */

long qd_rgn_rows(const MacRegion *r, short syn[QD_RECT_ROWS], const short **rows)
{
    if (r->rgnSize > QD_RGN_HDR) {
        *rows = (const short *)((const char *)r + QD_RGN_HDR);
        return (r->rgnSize - QD_RGN_HDR) / 2;
    }
    const Rect *b = &r->rgnBBox;
    long n = 0;
    if (b->bottom > b->top && b->right > b->left) {
        short s[8] = { b->top, b->left, b->right, QD_RGN_END, b->bottom, b->left, b->right, QD_RGN_END };
        for (; n < 8; n++)
            syn[n] = s[n];
    }
    syn[n++] = QD_RGN_END;
    *rows = syn;
    return n;
}

/* ---- writing ---- */

void qd_enc_begin(qd_enc *e, short *out)
{
    *e = (qd_enc){ .out = out, .rect = true };
}

static void enc_put(qd_enc *e, int v)
{
    if (e->out)
        e->out[e->n] = (short)v;
    e->n++;
}

static void enc_close_row(qd_enc *e)
{
    if (e->rows == 0)
        return;
    enc_put(e, QD_RGN_END);
    if (e->row_pts != 2)
        e->rect = false;
}

void qd_enc_point(qd_enc *e, int y, int x)
{
    if (e->rows == 0 || y != e->cur_y) {
        enc_close_row(e);
        enc_put(e, y);
        if (e->rows == 0)
            e->top = y, e->left = x, e->right = x;
        e->rows++;
        e->row_pts = 0;
        e->cur_y = y;
        e->bottom = y;
    }
    enc_put(e, x);
    e->left = (int)qd_min(e->left, x);
    e->right = (int)qd_max(e->right, x);
    e->row_pts++;
    if (e->rows == 1 && e->row_pts <= 2)
        e->r0[e->row_pts - 1] = (short)x;
    else if (e->rows == 2 && e->row_pts <= 2)
        e->rect = e->rect && e->r0[e->row_pts - 1] == x;
    else
        e->rect = false;
}

long qd_enc_end(qd_enc *e, Rect *bbox)
{
    enc_close_row(e);
    enc_put(e, QD_RGN_END);
    if (e->rows == 0) {
        *bbox = (Rect){ 0, 0, 0, 0 };
        return QD_RGN_HDR;
    }
    *bbox = (Rect){ (short)e->top, (short)e->left, (short)e->bottom, (short)e->right };
    if (e->rect && e->rows == 2)
        return QD_RGN_HDR;
    return QD_RGN_HDR + 2 * e->n;
}

void qd_rgn_set_header(RgnHandle dst, long size, const Rect *bbox)
{
    (*dst)->rgnSize = (unsigned short)size;
    (*dst)->rgnBBox = *bbox;
}

long qd_xor_sets(const short *a, long na, const short *b, long nb, short *out)
{
    long i = 0, j = 0, n = 0;
    while (i < na && j < nb) {
        if (a[i] < b[j])
            out[n++] = a[i++];
        else if (b[j] < a[i])
            out[n++] = b[j++];
        else
            i++, j++;
    }
    while (i < na)
        out[n++] = a[i++];
    while (j < nb)
        out[n++] = b[j++];
    return n;
}

/* ---- the inversion-point builder ---- */

enum { PTS_HDR = (int)sizeof(long), PTS_FIRST_CAP = 64 };

static uint32_t *pts_keys(const qd_pts *p) { return (uint32_t *)(*p->h + PTS_HDR); }
static long *pts_count(const qd_pts *p) { return (long *)*p->h; }
static uint32_t pts_key(int x, int y) { return (uint32_t)(y + 32768) << 16 | (uint32_t)(x + 32768); }
static int pts_key_x(uint32_t k) { return (int)(k & 0xFFFF) - 32768; }
static int pts_key_y(uint32_t k) { return (int)(k >> 16) - 32768; }

bool qd_pts_init(qd_pts *p)
{
    p->cap = PTS_FIRST_CAP;
    p->failed = false;
    p->h = NewHandle(PTS_HDR + p->cap * (Size)sizeof(uint32_t));
    if (p->h == NULL) {
        p->failed = true;
        return false;
    }
    *pts_count(p) = 0;
    return true;
}

void qd_pts_attach(qd_pts *p, Handle h)
{
    p->h = h;
    p->failed = h == NULL || *(long *)*h < 0;
    p->cap = h ? (GetHandleSize(h) - PTS_HDR) / (Size)sizeof(uint32_t) : 0;
}

void qd_pts_dispose(qd_pts *p)
{
    if (p->h)
        DisposeHandle(p->h);
    p->h = NULL;
}

/* A lost point would change the region silently, so a builder that lost one
 * stays failed, also across qd_pts_attach (count -1). */
static void pts_fail(qd_pts *p)
{
    p->failed = true;
    *pts_count(p) = -1;
}

void qd_pts_add(qd_pts *p, int x, int y)
{
    if (p->failed || p->h == NULL)
        return;
    if (!qd_coord_ok(x) || !qd_coord_ok(y)) {
        pts_fail(p);
        return;
    }
    long n = *pts_count(p);
    if (n == p->cap) {
        SetHandleSize(p->h, PTS_HDR + 2 * p->cap * (Size)sizeof(uint32_t));
        if (MemError() != noErr) {
            pts_fail(p);
            return;
        }
        p->cap *= 2;
    }
    pts_keys(p)[n] = pts_key(x, y);
    *pts_count(p) = n + 1;
}

void qd_pts_span(qd_pts *p, int y, int left, int right)
{
    if (right <= left)
        return;
    qd_pts_add(p, left, y);
    qd_pts_add(p, right, y);
    qd_pts_add(p, left, y + 1);
    qd_pts_add(p, right, y + 1);
}

void qd_pts_rect(qd_pts *p, int left, int top, int right, int bottom)
{
    if (right <= left || bottom <= top)
        return;
    qd_pts_add(p, left, top);
    qd_pts_add(p, right, top);
    qd_pts_add(p, left, bottom);
    qd_pts_add(p, right, bottom);
}

void qd_pts_rgn(qd_pts *p, RgnHandle rgn)
{
    short syn[QD_RECT_ROWS];
    const short *rows;
    long i = 0;
    /* Copy one row at a time: qd_pts_add may move rgn, so re-read it each row. */
    for (;;) {
        qd_rgn_rows(*rgn, syn, &rows);
        if (rows[i] == QD_RGN_END)
            return;
        int y = rows[i++];
        while (true) {
            qd_rgn_rows(*rgn, syn, &rows);
            short x = rows[i++];
            if (x == QD_RGN_END)
                break;
            qd_pts_add(p, x, y);
        }
    }
}

static void pts_sift(uint32_t *k, long root, long n)
{
    for (;;) {
        long c = 2 * root + 1;
        if (c >= n)
            return;
        if (c + 1 < n && k[c + 1] > k[c])
            c++;
        if (k[root] >= k[c])
            return;
        uint32_t t = k[root];
        k[root] = k[c];
        k[c] = t;
        root = c;
    }
}

/* Points often arrive as sorted runs (a region's own points come in order):
 * keys already in order cost one pass, short arrays an insertion sort, the
 * rest a heapsort (in place, O(n log n) on any input). */
static void pts_sort(uint32_t *k, long n)
{
    long sorted = 1;
    while (sorted < n && k[sorted - 1] <= k[sorted])
        sorted++;
    if (sorted >= n)
        return;
    if (n <= 32) {
        for (long i = sorted; i < n; i++) {
            uint32_t v = k[i];
            long j = i;
            for (; j > 0 && k[j - 1] > v; j--)
                k[j] = k[j - 1];
            k[j] = v;
        }
        return;
    }
    for (long i = n / 2 - 1; i >= 0; i--)
        pts_sift(k, i, n);
    for (long end = n - 1; end > 0; end--) {
        uint32_t t = k[0];
        k[0] = k[end];
        k[end] = t;
        pts_sift(k, 0, end);
    }
}

/* Sorts and keeps each key that occurs an odd number of times, once. */
static long pts_reduce(uint32_t *k, long n)
{
    pts_sort(k, n);
    long out = 0;
    for (long i = 0; i < n;) {
        long j = i;
        while (j < n && k[j] == k[i])
            j++;
        if ((j - i) & 1)
            k[out++] = k[i];
        i = j;
    }
    return out;
}

static long pts_encode(const uint32_t *k, long n, short *out, Rect *bbox)
{
    qd_enc e;
    qd_enc_begin(&e, out);
    for (long i = 0; i < n; i++)
        qd_enc_point(&e, pts_key_y(k[i]), pts_key_x(k[i]));
    return qd_enc_end(&e, bbox);
}

void qd_pts_to_rgn(qd_pts *p, RgnHandle dst)
{
    if (p->failed || p->h == NULL || !qd_handle_ok(dst)) {
        qd_err = qd_handle_ok(dst) ? memFullErr : paramErr;
        qd_pts_dispose(p);
        return;
    }
    long n = pts_reduce(pts_keys(p), *pts_count(p));
    *pts_count(p) = n;
    Rect bbox;
    long size = pts_encode(pts_keys(p), n, NULL, &bbox);
    if (size > QD_RGN_MAX) {
        qd_err = rgnOverflowErr;
        qd_pts_dispose(p);
        return;
    }
    SetHandleSize((Handle)dst, size);
    if (MemError() != noErr) {
        qd_err = memFullErr;
        qd_pts_dispose(p);
        return;
    }
    if (size > QD_RGN_HDR)
        pts_encode(pts_keys(p), n, (short *)((char *)*dst + QD_RGN_HDR), &bbox);
    qd_rgn_set_header(dst, size, &bbox);
    qd_pts_dispose(p);
    qd_err = noErr;
}

/* ---- the self-check ---- */

static OSErr check_fail(bool report, RgnHandle rgn, const char *why, long at)
{
    if (report)
        kprintf("qd_rgn_check: region %p: %s (at short %ld)\n", (void *)rgn, why, at);
    return paramErr;
}

static uint64_t check_mix(int x)
{
    uint64_t z = (uint64_t)(x + 32768) * 0x9E3779B97F4A7C15ull;
    z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ull;
    return z ^ (z >> 31);
}

OSErr qd_rgn_check(RgnHandle rgn, Boolean report)
{
    if (!qd_handle_ok(rgn))
        return check_fail(report, rgn, "NULL handle or empty master pointer", 0);
    const MacRegion *r = *rgn;
    Size hs = GetHandleSize((Handle)rgn);
    if (r->rgnSize < QD_RGN_HDR || (r->rgnSize & 1) || r->rgnSize != hs)
        return check_fail(report, rgn, "rgnSize is not an even size >= 10 equal to the handle's", 0);
    const Rect *b = &r->rgnBBox;
    if (r->rgnSize == QD_RGN_HDR) {
        bool empty = b->top == 0 && b->left == 0 && b->bottom == 0 && b->right == 0;
        bool rect = b->top < b->bottom && b->left < b->right;
        return empty || rect ? noErr : check_fail(report, rgn, "10-byte region neither 0,0,0,0 nor a rectangle", 0);
    }
    const short *d = qd_rgn_data(rgn);
    long n = (r->rgnSize - QD_RGN_HDR) / 2, i = 0, rows = 0;
    /* The scanline below the last row must be empty: every x must occur an
     * even number of times over all rows. Checked without allocating, as
     * the XOR of a 64-bit mix of each x (zero when all pair up). */
    uint64_t parity_hash = 0;
    int prev_y = 0, top = 0, bottom = 0, left = 0x7FFF, right = -0x8000;
    short r0[2] = { 0, 0 };
    bool rect_rows = true;
    while (i < n && d[i] != QD_RGN_END) {
        int y = d[i++];
        if (rows > 0 && y <= prev_y)
            return check_fail(report, rgn, "row y not strictly increasing", i - 1);
        if (rows == 0)
            top = y;
        bottom = prev_y = y;
        long k = 0;
        int px = 0;
        while (i < n && d[i] != QD_RGN_END) {
            int x = d[i++];
            if (k > 0 && x <= px)
                return check_fail(report, rgn, "x not strictly increasing in a row", i - 1);
            if (rows == 0 && k < 2)
                r0[k] = (short)x;
            else if (rows == 1 && k < 2)
                rect_rows = rect_rows && r0[k] == x;
            px = x;
            parity_hash ^= check_mix(x);
            left = (int)qd_min(left, x);
            right = (int)qd_max(right, x);
            k++;
        }
        if (i >= n)
            return check_fail(report, rgn, "row not terminated", i);
        i++;
        if (k == 0 || (k & 1))
            return check_fail(report, rgn, "row with no or an odd number of points", i - 1);
        if (k != 2)
            rect_rows = false;
        rows++;
    }
    if (i != n - 1 || d[i] != QD_RGN_END)
        return check_fail(report, rgn, "data not ending in exactly one final 0x7FFF", i);
    if (rows < 2)
        return check_fail(report, rgn, "fewer than two rows (the last row must empty the region)", i);
    if (rows == 2 && rect_rows)
        return check_fail(report, rgn, "a rectangle not in 10-byte form", i);
    if (b->top != top || b->bottom != bottom || b->left != left || b->right != right)
        return check_fail(report, rgn, "rgnBBox does not enclose the rows exactly", 0);
    if (parity_hash != 0)
        return check_fail(report, rgn, "the rows do not end with an empty scanline", i);
    return noErr;
}
