/*
 * fuzz_qd_rgn.c - libFuzzer target for QuickDraw regions: the input bytes
 * are a program over a pool of four regions and the pixel model of
 * tests/host/qd_test_util.h (the one test_qd_rgn runs from a PRNG). Each
 * step takes an operation and its operands from the input: a rectangle,
 * oval or rounded rectangle (through OpenRgn/CloseRgn), Sect/Union/Diff/
 * Xor into any pool slot (operands may be the destination), OffsetRgn,
 * InsetRgn, or raw input bytes installed as a region.
 *
 * After every step the result must be canonical (qd_rgn_check), decode to
 * exactly the model's pixels and bbox, and answer PtInRgn as the model
 * does. Raw bytes that qd_rgn_check accepts must decode and then take part
 * like any region; raw bytes it refuses must make every operation answer
 * paramErr and leave the destination as it was. Any divergence aborts, so
 * libFuzzer keeps the input. Each input starts from a fresh zone over the
 * same static buffer, forgotten afterwards.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"
#include "qd_test_util.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

enum { FZ_POOL = 4, FZ_STEPS = 48, FZ_MAX_INPUT = 4096 };

typedef struct fz_in {
    const uint8_t *p;
    size_t n, at;
} fz_in;

static int fz_byte(fz_in *in)
{
    return in->at < in->n ? in->p[in->at++] : 0;
}

static int fz_coord(fz_in *in)
{
    return -40 + fz_byte(in) % 170;     /* corners in [-40, 130), shapes up to 59 wide: on the grid */
}

static qm_grid model[FZ_POOL], tmp, tmp2, got;

[[noreturn]] static void fz_fail(const char *why, int step)
{
    fprintf(stderr, "fuzz_qd_rgn: step %d: %s (QDError %d)\n", step, why, QDError());
    abort();
}

static void fz_check(RgnHandle r, const qm_grid *want, int step, fz_in *in)
{
    if (qd_rgn_check(r, true) != noErr)
        fz_fail("result not canonical", step);
    if (!qm_decode(r, &got) || !qm_equal(&got, want))
        fz_fail("pixels differ from the model", step);
    Rect bb = qm_bbox(want);
    if (!EqualRect(&bb, &(*r)->rgnBBox))
        fz_fail("bbox differs from the model's", step);
    for (int k = 0; k < 4; k++) {
        Point p = { .v = (short)fz_coord(in), .h = (short)fz_coord(in) };
        if (PtInRgn(p, r) != (qm_in(p.h, p.v) && *qm_at((qm_grid *)want, p.h, p.v)))
            fz_fail("PtInRgn differs from the model", step);
    }
}

static void fz_shape(fz_in *in, RgnHandle dst, int kind)
{
    Rect r = { (short)fz_coord(in), (short)fz_coord(in), 0, 0 };
    r.bottom = (short)(r.top + fz_byte(in) % 60);
    r.right = (short)(r.left + fz_byte(in) % 60);
    if (kind == 0) {
        RectRgn(dst, &r);
        return;
    }
    OpenRgn();
    if (kind == 1)
        FrameOval(&r);
    else
        FrameRoundRect(&r, (short)(fz_byte(in) % 40), (short)(fz_byte(in) % 40));
    CloseRgn(dst);
}

/* Raw input bytes as a region: accepted only if qd_rgn_check says canonical. */
static void fz_raw(fz_in *in, RgnHandle *pool, int slot, int step)
{
    int len = 10 + 2 * (fz_byte(in) % 40);
    Handle h = NewHandle(len);
    if (h == NULL)
        fz_fail("NewHandle for raw bytes", step);
    for (int i = 0; i < len; i++)
        (*h)[i] = (char)fz_byte(in);
    RgnHandle raw = (RgnHandle)h;
    if (fz_byte(in) & 1)
        (*raw)->rgnSize = (unsigned short)len;
    if (qd_rgn_check(raw, false) == noErr) {
        if (!qm_decode(raw, &tmp)) {
            DisposeRgn(raw);              /* valid but off the model's grid */
            return;
        }
        DisposeRgn(pool[slot]);
        pool[slot] = raw;
        model[slot] = tmp;
        return;
    }
    int other = (slot + 1) % FZ_POOL;
    Size before = GetHandleSize((Handle)pool[other]);
    UnionRgn(raw, pool[slot], pool[other]);
    if (QDError() != paramErr || GetHandleSize((Handle)pool[other]) != before)
        fz_fail("a damaged operand was not refused with paramErr", step);
    OffsetRgn(raw, 1, 1);
    if (QDError() != paramErr)
        fz_fail("OffsetRgn of a damaged region was not paramErr", step);
    DisposeRgn(raw);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    [[gnu::aligned(64)]] static char zone_buf[1 << 20];
    if (size > FZ_MAX_INPUT)
        return 0;
    InitZone(NULL, 64, zone_buf + sizeof zone_buf, zone_buf);
    THz z = GetZone();
    InitGraf(&qd.thePort);
    GrafPort port;
    OpenPort(&port);
    RgnHandle pool[FZ_POOL];
    for (int i = 0; i < FZ_POOL; i++) {
        pool[i] = NewRgn();
        memset(&model[i], 0, sizeof model[i]);
    }
    fz_in in = { data, size, 0 };
    for (int step = 0; step < FZ_STEPS && in.at < in.n; step++) {
        int op = fz_byte(&in) % 10, a = fz_byte(&in) % FZ_POOL, b = fz_byte(&in) % FZ_POOL, d = fz_byte(&in) % FZ_POOL;
        switch (op) {
        case 0: case 1: case 2:
            fz_shape(&in, pool[d], op);
            if (!qm_decode(pool[d], &model[d]))
                fz_fail("a shape left the grid", step);
            break;
        case 3: case 4: case 5: case 6:
            qm_op(&model[a], &model[b], op - 3, &tmp);
            if (op == 3) SectRgn(pool[a], pool[b], pool[d]);
            if (op == 4) UnionRgn(pool[a], pool[b], pool[d]);
            if (op == 5) DiffRgn(pool[a], pool[b], pool[d]);
            if (op == 6) XorRgn(pool[a], pool[b], pool[d]);
            model[d] = tmp;
            break;
        case 7: {
            Rect bb = (*pool[d])->rgnBBox;
            int dh = fz_byte(&in) % 41 - 20, dv = fz_byte(&in) % 41 - 20;
            if (bb.left + dh < -60 || bb.right + dh > 190) dh = 0;
            if (bb.top + dv < -60 || bb.bottom + dv > 190) dv = 0;
            qm_offset(&model[d], dh, dv, &tmp);
            OffsetRgn(pool[d], (short)dh, (short)dv);
            model[d] = tmp;
            break;
        }
        case 8: {
            Rect bb = (*pool[d])->rgnBBox;
            int dh = fz_byte(&in) % 13 - 6, dv = fz_byte(&in) % 13 - 6;
            if (bb.left < -56 || bb.right > 184 || bb.top < -56 || bb.bottom > 184)
                dh = dh < 0 ? -dh : dh, dv = dv < 0 ? -dv : dv;
            qm_inset_axis(&model[d], dh, true, &tmp2);
            qm_inset_axis(&tmp2, dv, false, &tmp);
            InsetRgn(pool[d], (short)dh, (short)dv);
            model[d] = tmp;
            break;
        }
        default:
            fz_raw(&in, pool, d, step);
            break;
        }
        if (op != 9 && QDError() != noErr)
            fz_fail("an operation failed", step);
        fz_check(pool[d], &model[d], step, &in);
    }
    for (int i = 0; i < FZ_POOL; i++)
        DisposeRgn(pool[i]);
    ClosePort(&port);
    if (mm_check_zone(z, "fuzz_qd_rgn", true) != noErr)
        fz_fail("heap check after the run", -1);
    mm_forget_zone(z);
    return 0;
}
