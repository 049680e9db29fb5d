/*
 * qd_test_util.h - the brute-force pixel model the QuickDraw region tests
 * and fuzz_qd_rgn compare against: a 256x256 grid of bytes over the plane
 * [-64,192), a decoder that reads a region's bytes by the format's
 * definition alone (each inversion point flips everything below-right of
 * it: a 2-D prefix XOR), and the model of every region operation done
 * pixel by pixel. Nothing here calls the code under test except to read
 * the handle it is checking.
 */
#ifndef TESTS_HOST_QD_TEST_UTIL_H
#define TESTS_HOST_QD_TEST_UTIL_H

#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "Quickdraw.h"

enum { QM_X0 = -64, QM_Y0 = -64, QM_W = 256, QM_H = 256 };

typedef struct qm_grid {
    uint8_t px[QM_H][QM_W];
} qm_grid;

static inline bool qm_in(int x, int y)
{
    return x >= QM_X0 && x < QM_X0 + QM_W && y >= QM_Y0 && y < QM_Y0 + QM_H;
}

static inline uint8_t *qm_at(qm_grid *g, int x, int y)
{
    return &g->px[y - QM_Y0][x - QM_X0];
}

/* The pixels of rgn by the format's definition; false if the region has a
 * point off the grid or is unreadable (never reads past rgnSize). */
[[maybe_unused]] static bool qm_decode(RgnHandle rgn, qm_grid *g)
{
    memset(g, 0, sizeof *g);
    const MacRegion *r = *rgn;
    const Rect *b = &r->rgnBBox;
    if (r->rgnSize < 10)
        return false;
    if (r->rgnSize == 10) {
        for (int y = b->top; y < b->bottom; y++)
            for (int x = b->left; x < b->right; x++) {
                if (!qm_in(x, y))
                    return false;
                *qm_at(g, x, y) = 1;
            }
        return true;
    }
    const short *d = (const short *)((const char *)r + 10);
    long n = (r->rgnSize - 10) / 2, i = 0;
    static uint8_t delta[QM_H + 1][QM_W + 1];
    memset(delta, 0, sizeof delta);
    while (i < n && d[i] != 0x7FFF) {
        int y = d[i++];
        while (i < n && d[i] != 0x7FFF) {
            int x = d[i++];
            if (x < QM_X0 || x > QM_X0 + QM_W || y < QM_Y0 || y > QM_Y0 + QM_H)
                return false;
            delta[y - QM_Y0][x - QM_X0] ^= 1;
        }
        i++;
    }
    for (int y = 0; y < QM_H; y++)
        for (int x = 0, acc = 0; x < QM_W; x++) {
            acc ^= delta[y][x];
            /* pixel(x,y) = XOR of the points above-left = this row's prefix ^ pixel(x,y-1) */
            g->px[y][x] = (uint8_t)(acc ^ (y > 0 ? g->px[y - 1][x] : 0));
        }
    return true;
}

enum { QM_SECT, QM_UNION, QM_DIFF, QM_XOR };

[[maybe_unused]] static void qm_op(const qm_grid *a, const qm_grid *b, int op, qm_grid *out)
{
    for (int y = 0; y < QM_H; y++)
        for (int x = 0; x < QM_W; x++) {
            uint8_t p = a->px[y][x], q = b->px[y][x];
            out->px[y][x] = op == QM_SECT ? (p & q) : op == QM_UNION ? (p | q) : op == QM_DIFF ? (p & !q) : (p ^ q);
        }
}

[[maybe_unused]] static void qm_offset(const qm_grid *a, int dh, int dv, qm_grid *out)
{
    memset(out, 0, sizeof *out);
    for (int y = 0; y < QM_H; y++)
        for (int x = 0; x < QM_W; x++)
            if (a->px[y][x] && y + dv >= 0 && y + dv < QM_H && x + dh >= 0 && x + dh < QM_W)
                out->px[y + dv][x + dh] = 1;
}

/* Box erosion (d > 0) or dilation (d < 0) along one axis, as InsetRgn. */
[[maybe_unused]] static void qm_inset_axis(const qm_grid *a, int d, bool horizontal, qm_grid *out)
{
    int r = d < 0 ? -d : d;
    for (int y = 0; y < QM_H; y++)
        for (int x = 0; x < QM_W; x++) {
            bool all = true, any = false;
            for (int k = -r; k <= r; k++) {
                int xx = horizontal ? x + k : x, yy = horizontal ? y : y + k;
                bool v = xx >= 0 && xx < QM_W && yy >= 0 && yy < QM_H && a->px[yy][xx];
                all = all && v;
                any = any || v;
            }
            out->px[y][x] = d > 0 ? all : d < 0 ? any : a->px[y][x];
        }
}

[[maybe_unused]] static bool qm_equal(const qm_grid *a, const qm_grid *b)
{
    return memcmp(a, b, sizeof *a) == 0;
}

[[maybe_unused]] static bool qm_empty(const qm_grid *a)
{
    for (int y = 0; y < QM_H; y++)
        for (int x = 0; x < QM_W; x++)
            if (a->px[y][x])
                return false;
    return true;
}

[[maybe_unused]] static bool qm_any_in_rect(const qm_grid *a, const Rect *r)
{
    for (int y = r->top; y < r->bottom; y++)
        for (int x = r->left; x < r->right; x++)
            if (qm_in(x, y) && a->px[y - QM_Y0][x - QM_X0])
                return true;
    return false;
}

/* The bounding box of the model's pixels (0,0,0,0 when empty). */
[[maybe_unused]] static Rect qm_bbox(const qm_grid *a)
{
    int t = 1 << 20, l = 1 << 20, b = -(1 << 20), r = -(1 << 20);
    for (int y = 0; y < QM_H; y++)
        for (int x = 0; x < QM_W; x++)
            if (a->px[y][x]) {
                t = y < t ? y : t;
                b = y + 1 > b ? y + 1 : b;
                l = x < l ? x : l;
                r = x + 1 > r ? x + 1 : r;
            }
    if (b < 0)
        return (Rect){ 0, 0, 0, 0 };
    return (Rect){ (short)(t + QM_Y0), (short)(l + QM_X0), (short)(b + QM_Y0), (short)(r + QM_X0) };
}

/* xorshift64*: deterministic across runs and compilers. */
typedef struct qm_rng {
    uint64_t s;
} qm_rng;

[[maybe_unused]] static uint32_t qm_next(qm_rng *r)
{
    r->s ^= r->s >> 12;
    r->s ^= r->s << 25;
    r->s ^= r->s >> 27;
    return (uint32_t)((r->s * 0x2545F4914F6CDD1Dull) >> 32);
}

[[maybe_unused]] static int qm_range(qm_rng *r, int lo, int hi)
{
    return lo + (int)(qm_next(r) % (uint32_t)(hi - lo + 1));
}

#endif
