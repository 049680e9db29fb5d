/*
 * test_qd_draw.c - QuickDraw drawing on the host: pixel-exact checks of
 * the drawing core (clipping to visRgn and clipRgn, patterns and their
 * alignment, pen size and modes, HidePen, lines, CopyBits modes and masks,
 * ScrollRect and its update region, colours), then the reference scenes
 * (src/Toolbox/QuickDraw/qd_scenes.c) rendered and compared with their
 * hashes, and the "QuickDraw" KTAP suite run as the boot runs it.
 * With QD_SCENE_PPM=dir in the environment each scene is also written as
 * dir/qd-<name>.ppm to be looked at.
 */
#include "kernel_suites.h"
#include <stdlib.h>

#include "qd_tests.h"
#include "mm_test_util.h"
#include "qd_test_util.h"
#include "tap.h"

enum { SW = 64, SH = 48 };
static uint32_t screen[SH][SW];
enum { WHITE = 0x00FFFFFF, BLACK = 0 };

static void clear(uint32_t v)
{
    for (int y = 0; y < SH; y++)
        for (int x = 0; x < SW; x++)
            screen[y][x] = v;
}

/* Counts the pixels equal to v inside r (in screen coordinates) and outside it. */
static void count(const Rect *r, uint32_t v, int *in, int *out)
{
    *in = *out = 0;
    for (int y = 0; y < SH; y++)
        for (int x = 0; x < SW; x++)
            if (screen[y][x] == v) {
                if (x >= r->left && x < r->right && y >= r->top && y < r->bottom)
                    (*in)++;
                else
                    (*out)++;
            }
}

static void test_core(GrafPtr port)
{
    Rect r = { 5, 10, 20, 30 };
    int in, out;
    clear(WHITE);
    PaintRect(&r);
    count(&r, BLACK, &in, &out);
    tap_ok(in == 15 * 20 && out == 0, "PaintRect paints exactly its rectangle (%d in, %d out)", in, out);

    clear(WHITE);
    Rect clip = { 0, 0, 12, 64 };
    ClipRect(&clip);
    PaintRect(&r);
    Rect both = { 5, 10, 12, 30 };
    count(&both, BLACK, &in, &out);
    tap_ok(in == 7 * 20 && out == 0, "drawing is clipped to clipRgn");
    SetRectRgn(port->clipRgn, -32767, -32767, 32767, 32767);

    clear(WHITE);
    Rect ov = { 4, 4, 40, 60 };
    OpenRgn();
    FrameOval(&ov);
    CloseRgn(port->visRgn);
    Rect all = { 0, 0, SH, SW };
    PaintRect(&all);
    static qm_grid g;
    qm_decode(port->visRgn, &g);
    bool same = true;
    for (int y = 0; y < SH; y++)
        for (int x = 0; x < SW; x++)
            same = same && ((screen[y][x] == BLACK) == (*qm_at(&g, x, y) != 0));
    tap_ok(same, "drawing is clipped to an oval visRgn pixel for pixel");
    RectRgn(port->visRgn, &all);

    /* arguments inside relocatable blocks: every call allocates, and under
     * MM_SCRAMBLE every allocation moves every block */
    RgnHandle rbox = NewRgn();
    Handle ph = NewHandle(sizeof(Pattern));
    SetRectRgn(rbox, 6, 7, 26, 19);
    BlockMove(&qd.gray, *ph, sizeof(Pattern));
    clear(WHITE);
    FillRect(&(*rbox)->rgnBBox, (const Pattern *)*ph);
    FrameOval(&(*rbox)->rgnBBox);
    int blacks = 0;
    bool outside = true;
    for (int y = 0; y < SH; y++)
        for (int x = 0; x < SW; x++) {
            bool in = x >= 6 && x < 26 && y >= 7 && y < 19;
            blacks += in && screen[y][x] == BLACK;
            outside = outside && (in || screen[y][x] == WHITE);
        }
    tap_ok(outside && blacks > 20 * 12 / 2 && screen[7][16] == BLACK && screen[12][10] == BLACK && screen[12][11] == WHITE,
           "FillRect/FrameOval with the Rect and Pattern inside handles draw where they said (%d black)", blacks);
    DisposeRgn(rbox);
    DisposeHandle(ph);

    /* the region verbs on an arbitrary region: ring = oval minus a rectangle */
    RgnHandle ring = NewRgn(), hole = NewRgn();
    Rect ro = { 2, 3, 40, 50 }, rh = { 15, 10, 25, 40 };
    OpenRgn();
    FrameOval(&ro);
    CloseRgn(ring);
    RectRgn(hole, &rh);
    DiffRgn(ring, hole, ring);
    qm_decode(ring, &g);
    clear(WHITE);
    PaintRgn(ring);
    bool paint = true;
    for (int y = 0; y < SH; y++)
        for (int x = 0; x < SW; x++)
            paint = paint && ((screen[y][x] == BLACK) == (*qm_at(&g, x, y) != 0));
    tap_ok(paint, "PaintRgn paints exactly the region's pixels");
    clear(BLACK);
    EraseRgn(ring);
    bool erase = true;
    for (int y = 0; y < SH; y++)
        for (int x = 0; x < SW; x++)
            erase = erase && ((screen[y][x] == WHITE) == (*qm_at(&g, x, y) != 0));
    tap_ok(erase, "EraseRgn fills exactly the region with bkPat");
    clear(WHITE);
    FillRgn(ring, &qd.ltGray);
    InvertRgn(ring);
    bool fill = true;
    for (int y = 0; y < SH; y++)
        for (int x = 0; x < SW; x++) {
            bool in = *qm_at(&g, x, y) != 0, bit = (qd.ltGray.pat[y & 7] << (x & 7)) & 0x80;
            fill = fill && screen[y][x] == (in ? (bit ? WHITE : BLACK) : WHITE);
        }
    tap_ok(fill && port->fillPat.pat[0] == qd.ltGray.pat[0], "FillRgn then InvertRgn: the inverted pattern inside, nothing outside");
    DisposeRgn(ring);
    DisposeRgn(hole);

    clear(WHITE);
    FillRect(&all, &qd.gray);
    bool checker = true;
    for (int y = 0; y < SH; y++)
        for (int x = 0; x < SW; x++)
            checker = checker && (screen[y][x] == (((x + y) & 1) ? WHITE : BLACK));
    tap_ok(checker, "FillRect with gray: pattern bit 0x80 of row 0 at the bitmap's top-left");

    clear(WHITE);
    PenSize(3, 2);
    FrameRect(&r);
    PenNormal();
    Rect inner = r;
    InsetRect(&inner, 3, 2);
    count(&r, BLACK, &in, &out);
    int in2, out2;
    count(&inner, BLACK, &in2, &out2);
    tap_ok(in == 15 * 20 - (15 - 4) * (20 - 6) && out == 0 && in2 == 0, "FrameRect with a 3x2 pen: a ring 3 wide, 2 high");

    clear(WHITE);
    InvertRect(&r);
    InvertRect(&r);
    count(&all, WHITE, &in, &out);
    tap_ok(in == SW * SH, "InvertRect twice restores every pixel");

    clear(WHITE);
    MoveTo(2, 2);
    LineTo(12, 6);
    count(&all, BLACK, &in, &out);
    Point pen;
    GetPen(&pen);
    tap_ok(in == 11 && screen[2][2] == BLACK && screen[6][12] == BLACK && pen.h == 12 && pen.v == 6,
           "LineTo: 1x1 pen, both end points, one pixel per column (%d), pen moved", in);
    clear(WHITE);
    PenSize(2, 3);
    MoveTo(5, 5);
    LineTo(5, 5);
    count(&all, BLACK, &in, &out);
    tap_ok(in == 6 && screen[7][6] == BLACK, "LineTo to the pen location paints the pen's rectangle once");
    PenNormal();

    clear(WHITE);
    HidePen();
    PaintRect(&r);
    MoveTo(0, 0);
    LineTo(40, 40);
    ShowPen();
    count(&all, BLACK, &in, &out);
    TAP_EQ(in, 0, "with the pen hidden nothing is drawn");

    clear(WHITE);
    PenMode(patXor);
    PaintRect(&r);
    Rect r2 = { 10, 20, 30, 40 };
    PaintRect(&r2);
    PenNormal();
    Rect ov2 = { 10, 20, 20, 30 };
    count(&ov2, WHITE, &in, &out);
    tap_ok(in == 10 * 10, "patXor: the overlap of two painted rectangles is white again");

    clear(WHITE);
    ForeColor(redColor);
    PaintRect(&r);
    ForeColor(blackColor);
    tap_ok(screen[10][10] == 0x00FF0000 && screen[0][0] == WHITE, "ForeColor(redColor) paints 0x00FF0000");

    /* CopyBits: modes on black/white, mask */
    static uint32_t src[8][8];
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++)
            src[y][x] = (x < 4) ? BLACK : WHITE;
    BitMap sb = { (Ptr)src, 32, { 0, 0, 8, 8 } };
    Rect s8 = { 0, 0, 8, 8 }, d8 = { 0, 0, 8, 8 };
    clear(WHITE);
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++)
            screen[y][x] = (y < 4) ? BLACK : WHITE;
    CopyBits(&sb, &port->portBits, &s8, &d8, srcXor, NULL);
    bool xr = true;
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++)
            xr = xr && screen[y][x] == ((((x < 4) != (y < 4))) ? BLACK : WHITE);
    tap_ok(xr, "CopyBits srcXor inverts where the source is black");
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++)
            screen[y][x] = (y < 4) ? BLACK : WHITE;
    CopyBits(&sb, &port->portBits, &s8, &d8, srcOr, NULL);
    bool orr = true;
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++)
            orr = orr && screen[y][x] == (((x < 4) || (y < 4)) ? BLACK : WHITE);
    tap_ok(orr, "CopyBits srcOr adds the source's black");
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++)
            screen[y][x] = (y < 4) ? BLACK : WHITE;
    CopyBits(&sb, &port->portBits, &s8, &d8, srcBic, NULL);
    bool bic = true;
    for (int y = 0; y < 8; y++)
        for (int x = 0; x < 8; x++)
            bic = bic && screen[y][x] == (((y < 4) && !(x < 4)) ? BLACK : WHITE);
    tap_ok(bic, "CopyBits srcBic whitens where the source is black");
    clear(WHITE);
    RgnHandle mask = NewRgn();
    SetRectRgn(mask, 2, 2, 6, 6);
    Rect dbig = { 10, 10, 26, 26 };
    CopyBits(&sb, &port->portBits, &s8, &dbig, srcCopy, mask);
    count(&all, BLACK, &in, &out);
    TAP_EQ(in, 0, "CopyBits with a mask outside dstRect changes nothing");
    SetRectRgn(mask, 10, 10, 26, 18);
    CopyBits(&sb, &port->portBits, &s8, &dbig, srcCopy, mask);
    Rect half = { 10, 10, 18, 18 };
    count(&half, BLACK, &in, &out);
    tap_ok(in == 64 && out == 0, "CopyBits scales 8x8 to 16x16, only inside the mask (%d, %d)", in, out);
    DisposeRgn(mask);

    /* ScrollRect */
    clear(WHITE);
    Rect box = { 0, 0, 20, 20 };
    for (int y = 0; y < 20; y++)
        for (int x = 0; x < 20; x++)
            screen[y][x] = (uint32_t)(y * 100 + x);
    RgnHandle upd = NewRgn();
    ScrollRect(&box, 3, -5, upd);
    bool moved = true;
    for (int y = 0; y < 20; y++)
        for (int x = 0; x < 20; x++) {
            bool vacated = x < 3 || y >= 15;
            uint32_t want = vacated ? WHITE : (uint32_t)((y + 5) * 100 + (x - 3));
            moved = moved && screen[y][x] == want;
        }
    tap_ok(moved, "ScrollRect by (3,-5): pixels moved, the uncovered L erased");
    RgnHandle want = NewRgn(), t = NewRgn();
    SetRectRgn(want, 0, 0, 3, 20);
    SetRectRgn(t, 0, 15, 20, 20);
    UnionRgn(want, t, want);
    tap_ok(EqualRgn(upd, want), "ScrollRect's updateRgn is exactly the uncovered area");
    /* down and right: the walk must start at the far end or it reads what it just wrote */
    for (int dir = 0; dir < 2; dir++) {
        for (int y = 0; y < 20; y++)
            for (int x = 0; x < 20; x++)
                screen[y][x] = (uint32_t)(y * 100 + x);
        int dh = dir ? 4 : 0, dv = dir ? 0 : 6;
        ScrollRect(&box, (short)dh, (short)dv, upd);
        bool ok = true;
        for (int y = 0; y < 20; y++)
            for (int x = 0; x < 20; x++) {
                bool vacated = x < dh || y < dv;
                ok = ok && screen[y][x] == (vacated ? WHITE : (uint32_t)((y - dv) * 100 + (x - dh)));
            }
        tap_ok(ok, "ScrollRect by (%d,%d): overlapping move reads each pixel before it is overwritten", dh, dv);
    }
    DisposeRgn(upd);
    DisposeRgn(want);
    DisposeRgn(t);
}

static void test_text(GrafPtr port)
{
    Str255 s = { 5, 'H', 'e', 'l', 'l', 'o' };
    short sum = 0;
    for (int i = 1; i <= 5; i++)
        sum += CharWidth(s[i]);
    TAP_EQ(StringWidth(s), sum, "StringWidth is the sum of CharWidth");
    TextFace(bold);
    TAP_EQ(StringWidth(s), sum + 5, "bold widens each character by one");
    TextFace(normal);
    tap_ok(CharWidth('i') < CharWidth('m') && CharWidth('W') > CharWidth('l'), "the font is proportional");
    FontInfo fi;
    GetFontInfo(&fi);
    tap_ok(fi.ascent == 10 && fi.descent == 3 && fi.leading == 2 && fi.widMax >= CharWidth('M'),
           "GetFontInfo: ascent 10, descent 3, leading 2, widMax %d", fi.widMax);
    clear(WHITE);
    MoveTo(4, 20);
    DrawString(s);
    Point pen;
    GetPen(&pen);
    TAP_EQ(pen.h, 4 + sum, "DrawString moves the pen by StringWidth");
    Rect box = { 10, 4, 23, (short)(4 + sum) };
    int in, out;
    count(&box, BLACK, &in, &out);
    tap_ok(in > 30 && out == 0, "the ink lies within ascent/descent of the baseline and the advance (%d, %d)", in, out);
    int base_ink = 0;
    for (int x = 0; x < SW; x++)
        base_ink += screen[19][x] == BLACK;
    tap_ok(base_ink > 0, "glyphs sit on the baseline row");
    MoveTo(4, 40);
    DrawChar('W');
    GetPen(&pen);
    TAP_EQ(pen.h, 4 + CharWidth('W'), "DrawChar advances by CharWidth");
    TAP_EQ(TextWidth("xHellox", 1, 5), sum, "TextWidth of a slice equals StringWidth of the same bytes");
    TextFont(applFont);
    TextSize(12);
    TAP_EQ(StringWidth(s), sum, "applFont at 12 points measures as the built-in font");
    TextFont(systemFont);
    TextSize(0);
    clear(WHITE);
    MoveTo(3, 3);
    Line(5, 0);
    Line(0, 4);
    Rect all = { 0, 0, SH, SW };
    count(&all, BLACK, &in, &out);
    GetPen(&pen);
    tap_ok(in == 6 + 4 && pen.h == 8 && pen.v == 7, "Line draws relative to the pen (%d pixels)", in);
    /* missing characters draw the box */
    TAP_EQ(CharWidth(200), 6, "a byte outside 32..126 has the missing-character box's width");
    (void)port;
}

static void write_ppm(const char *dir, const char *name, const BitMap *bm)
{
    char path[512];
    snprintf(path, sizeof path, "%s/qd-%s.ppm", dir, name);
    FILE *f = fopen(path, "wb");
    if (f == NULL)
        return;
    int w = bm->bounds.right - bm->bounds.left, h = bm->bounds.bottom - bm->bounds.top;
    fprintf(f, "P6\n%d %d\n255\n", w, h);
    for (int y = 0; y < h; y++)
        for (int x = 0; x < w; x++) {
            uint32_t p = ((uint32_t *)(bm->baseAddr + y * bm->rowBytes))[x];
            fputc((p >> 16) & 0xFF, f);
            fputc((p >> 8) & 0xFF, f);
            fputc(p & 0xFF, f);
        }
    fclose(f);
}

static void test_scenes(void)
{
    Ptr buf = NewPtrClear((Size)QD_SCENE_W * QD_SCENE_H * 4);
    BitMap bm = { buf, QD_SCENE_W * 4, { 0, 0, QD_SCENE_H, QD_SCENE_W } };
    const char *dir = getenv("QD_SCENE_PPM");
    for (unsigned i = 0; i < qd_scene_count; i++) {
        OSErr e = qd_scene_render(i, &bm);
        uint64_t h = qd_bitmap_hash(&bm);
        if (dir)
            write_ppm(dir, qd_scenes[i].name, &bm);
        if (!tap_ok(e == noErr && h == qd_scenes[i].hash, "scene '%s' renders to its reference hash", qd_scenes[i].name))
            tap_diag("  QDError %d, hash 0x%016llxull, reference 0x%016llxull", e, (unsigned long long)h,
                     (unsigned long long)qd_scenes[i].hash);
    }
    uint64_t h0 = qd_bitmap_hash(&bm);
    ((uint32_t *)buf)[QD_SCENE_W * 100 + 160] ^= 1;
    tap_ok(qd_bitmap_hash(&bm) != h0, "a one-bit change of one pixel changes the hash");
    DisposePtr(buf);
}

int main(void)
{
    tap_ok(mt_install(256 << 10, 8 << 20, 0), "zones installed");
    MaxApplZone();                          /* no growth in the middle of a FreeMem comparison */
    TAP_EQ(qd_set_screen(screen, 4 * SW, SW, SH), noErr, "qd_set_screen takes a 64x48 off-screen buffer");
    TAP_EQ(qd_set_screen(screen, 4 * SW - 4, SW, SH), paramErr, "qd_set_screen refuses rowBytes below 4*width");
    InitGraf(&qd.thePort);
    Rect sb = { 0, 0, SH, SW };
    tap_ok(qd.screenBits.baseAddr == (Ptr)screen && EqualRect(&qd.screenBits.bounds, &sb) && qd.gray.pat[0] == 0xAA &&
           qd.black.pat[7] == 0xFF && qd.thePort == NULL,
           "InitGraf: screenBits from qd_set_screen, standard patterns");
    Handle hs[64];
    for (int i = 0; i < 64; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; i < 64; i++)
        DisposeHandle(hs[i]);
    long free0 = FreeMem();
    GrafPort port;
    OpenPort(&port);
    tap_ok(qd.thePort == &port && port.portBits.baseAddr == (Ptr)screen && EqualRect(&port.portRect, &sb) &&
           port.pnSize.h == 1 && port.pnMode == patCopy && port.txMode == srcOr && port.pnVis == 0,
           "OpenPort: on the screen, default pen and text state, current");
    test_core(&port);
    test_text(&port);
    ClosePort(&port);
    test_scenes();
    TAP_EQ(qd_run_tests(), 0, "the QuickDraw KTAP suite passes on the host");
    TAP_EQ(FreeMem(), free0, "FreeMem is back where it began");
    tap_ok(mt_ok(GetZone()), "heap check clean");
    return tap_done();
}
