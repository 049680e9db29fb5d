/*
 * qd_scenes.c - the reference scenes: small pictures that exercise every
 * drawing path (shapes and pens, region algebra and clipping, CopyBits and
 * ScrollRect, text), rendered into an off-screen BitMap and reduced to a
 * hash. The host test and the boot's KTAP suite render the same scenes and
 * compare with the hashes below, which were taken from renderings that were
 * looked at (tests/host/test_qd_draw.c writes them as PPM on request), so a
 * rendering change fails both until the new pictures are inspected and the
 * table is updated.
 */
#include "qd_tests.h"
#include "../../src/Toolbox/QuickDraw/qd_internal.h"

/* Draws a C string at the pen (a Str255 built on the stack). */
static void scene_text(const char *s)
{
    Str255 p;
    int n = 0;
    while (s[n] != '\0' && n < 255) {
        p[n + 1] = (unsigned char)s[n];
        n++;
    }
    p[0] = (unsigned char)n;
    DrawString(p);
}

static Rect rc(short l, short t, short r, short b)
{
    return (Rect){ t, l, b, r };
}

/* A little window: white body, frame, striped title bar with a title. */
static void scene_window(Rect r, const char *title)
{
    EraseRect(&r);
    FrameRect(&r);
    Rect bar = rc(r.left, r.top, r.right, (short)(r.top + 18));
    FrameRect(&bar);
    for (short y = (short)(bar.top + 4); y < bar.bottom - 3; y += 2) {
        MoveTo((short)(bar.left + 2), y);
        LineTo((short)(bar.right - 3), y);
    }
    Str255 p;
    int n = 0;
    while (title[n] != '\0')
        p[n + 1] = (unsigned char)title[n], n++;
    p[0] = (unsigned char)n;
    short w = StringWidth(p);
    short mid = (short)((bar.left + bar.right) / 2);
    Rect lab = rc((short)(mid - w / 2 - 6), (short)(bar.top + 1), (short)(mid + w / 2 + 6), (short)(bar.bottom - 1));
    EraseRect(&lab);
    MoveTo((short)(mid - w / 2), (short)(bar.top + 13));
    DrawString(p);
}

static void scene_shapes(void)
{
    GrafPtr port = qd.thePort;
    FillRect(&port->portRect, &qd.gray);
    scene_window(rc(8, 8, 160, 120), "Shapes");
    Rect o = rc(16, 34, 60, 78);
    PaintOval(&o);
    Rect rr = rc(68, 34, 150, 78);
    FillRoundRect(&rr, 20, 16, &qd.ltGray);
    FrameRoundRect(&rr, 20, 16);
    Rect inv = rc(40, 56, 100, 100);
    InvertOval(&inv);
    PenSize(3, 2);
    MoveTo(16, 112);
    LineTo(150, 84);
    PenNormal();
    scene_window(rc(170, 8, 312, 192), "Lines");
    for (int i = 0; i <= 8; i++) {
        MoveTo(241, 180);
        LineTo((short)(176 + i * 16), 32);
    }
    PenMode(patXor);
    Rect x = rc(190, 60, 292, 100);
    PaintRect(&x);
    PenNormal();
    for (int i = 0; i < 6; i++) {
        Rect s = rc((short)(180 + i * 20), 150, (short)(180 + i * 20 + 1 + i * 3), (short)(150 + 1 + i * 2));
        PaintOval(&s);
    }
    PenSize(2, 2);
    Rect fr = rc(16, 130, 150, 190);
    EraseRect(&fr);
    FrameRect(&fr);
    Rect fo = rc(24, 138, 100, 182);
    FrameOval(&fo);
    Rect fq = rc(104, 138, 142, 182);
    FillOval(&fq, &qd.dkGray);
    PenNormal();
}

static void scene_regions(void)
{
    GrafPtr port = qd.thePort;
    EraseRect(&port->portRect);
    RgnHandle a = NewRgn(), b = NewRgn(), c = NewRgn(), saved = NewRgn();
    if (a == NULL || b == NULL || c == NULL || saved == NULL)
        goto out;
    Rect ra = rc(20, 20, 140, 120), rb = rc(90, 50, 220, 170), rx = rc(60, 70, 180, 90);
    OpenRgn();
    FrameOval(&ra);
    CloseRgn(a);
    OpenRgn();
    FrameOval(&rb);
    CloseRgn(b);
    UnionRgn(a, b, c);
    RectRgn(a, &rx);
    DiffRgn(c, a, c);
    Rect rr = rc(150, 10, 300, 80);
    OpenRgn();
    FrameRoundRect(&rr, 40, 40);
    CloseRgn(b);
    XorRgn(c, b, c);
    FillRgn(c, &qd.dkGray);
    PenSize(2, 2);
    FrameRgn(c);
    PenNormal();
    CopyRgn(c, a);
    InsetRgn(a, -6, -6);
    DiffRgn(a, c, a);
    FillRgn(a, &qd.ltGray);
    /* clipped drawing: lines through a triangle-shaped clip region */
    GetClip(saved);
    OpenRgn();
    MoveTo(240, 100);
    LineTo(310, 190);
    LineTo(170, 190);
    LineTo(240, 100);
    CloseRgn(b);
    SetClip(b);
    for (short y = 95; y < 195; y += 4) {
        MoveTo(160, y);
        LineTo(318, (short)(y + 30));
    }
    SetClip(saved);
    FrameRgn(b);
    Point p = { .v = 60, .h = 60 };
    if (PtInRgn(p, c)) {
        MoveTo(10, 195);
        scene_text("PtInRgn");
    }
out:
    if (a) DisposeRgn(a);
    if (b) DisposeRgn(b);
    if (c) DisposeRgn(c);
    if (saved) DisposeRgn(saved);
}

static void scene_bits(void)
{
    GrafPtr port = qd.thePort;
    EraseRect(&port->portRect);
    Rect src = rc(10, 10, 90, 70);
    FillRect(&src, &qd.ltGray);
    FrameRect(&src);
    Rect o = rc(20, 18, 60, 58);
    PaintOval(&o);
    MoveTo(56, 68);
    TextFace(bold);
    scene_text("Bits");
    TextFace(normal);
    /* scaled copy through an oval mask */
    Rect dst = rc(100, 10, 260, 130);
    RgnHandle mask = NewRgn();
    if (mask == NULL)
        return;
    Rect mo = rc(104, 14, 256, 126);
    OpenRgn();
    FrameOval(&mo);
    CloseRgn(mask);
    CopyBits(&port->portBits, &port->portBits, &src, &dst, srcCopy, mask);
    DisposeRgn(mask);
    /* the other source modes side by side over stripes */
    for (int i = 0; i < 4; i++) {
        Rect d = rc((short)(10 + i * 76), 140, (short)(10 + i * 76 + 70), 190);
        FillRect(&d, &qd.gray);
        Rect s2 = rc(10, 10, 80, 60);
        CopyBits(&port->portBits, &port->portBits, &s2, &d, (short)(srcCopy + i), NULL);
    }
    /* ScrollRect: a text block moved up-left; the uncovered strip erased */
    Rect box = rc(266, 10, 316, 130);
    FillRect(&box, &qd.dkGray);
    for (int i = 0; i < 8; i++) {
        MoveTo(268, (short)(24 + i * 14));
        TextMode(srcCopy);
        scene_text("abc");
    }
    TextMode(srcOr);
    RgnHandle upd = NewRgn();
    if (upd == NULL)
        return;
    ScrollRect(&box, -3, -7, upd);
    InvertRgn(upd);
    DisposeRgn(upd);
}

static void scene_text_all(void)
{
    GrafPtr port = qd.thePort;
    EraseRect(&port->portRect);
    char line[40];
    int c = 32, y = 16;
    while (c <= 126) {
        int n = 0;
        while (n < 32 && c <= 126)
            line[n++] = (char)c++;
        line[n] = '\0';
        MoveTo(6, (short)y);
        scene_text(line);
        y += 16;
    }
    TextFace(bold);
    MoveTo(6, (short)y);
    scene_text("Bold: The quick brown fox jumps");
    y += 16;
    TextFace(underline);
    MoveTo(6, (short)y);
    scene_text("Underlined text, 0123456789");
    y += 16;
    TextFace(normal);
    Rect band = rc(0, (short)(y - 2), 320, (short)(y + 34));
    FillRect(&band, &qd.ltGray);
    TextMode(srcCopy);
    MoveTo(6, (short)(y + 12));
    scene_text("srcCopy on ltGray");
    TextMode(srcXor);
    MoveTo(170, (short)(y + 12));
    scene_text("srcXor on ltGray");
    TextMode(srcBic);
    Rect blk = rc(4, (short)(y + 16), 200, (short)(y + 32));
    PaintRect(&blk);
    MoveTo(6, (short)(y + 28));
    scene_text("srcBic on black");
    TextMode(srcOr);
    /* right-aligned by StringWidth */
    Str255 p = { 5, 'r', 'i', 'g', 'h', 't' };
    MoveTo((short)(314 - StringWidth(p)), (short)(y + 28));
    DrawString(p);
}

const qd_scene qd_scenes[] = {
    { "shapes", scene_shapes, 0xd28621b34a41d15cull },
    { "regions", scene_regions, 0x862ec76d5060125cull },
    { "bits", scene_bits, 0xd0702363be60ebe5ull },
    { "text", scene_text_all, 0x0956df554a923375ull },
};
const unsigned qd_scene_count = sizeof qd_scenes / sizeof qd_scenes[0];

OSErr qd_scene_render(unsigned i, const BitMap *bm)
{
    if (i >= qd_scene_count || bm == NULL)
        return paramErr;
    GrafPtr saved = qd.thePort;
    GrafPort port;
    OpenPort(&port);
    if (QDError() != noErr) {
        qd.thePort = saved;
        return QDError();
    }
    SetPortBits(bm);
    port.portRect = bm->bounds;
    RectRgn(port.visRgn, &bm->bounds);
    qd_scenes[i].draw();
    OSErr err = QDError();
    ClosePort(&port);
    qd.thePort = saved;
    return err;
}

uint64_t qd_bitmap_hash(const BitMap *bm)
{
    uint64_t h = 0xCBF29CE484222325ull;
    for (int y = bm->bounds.top; y < bm->bounds.bottom; y++) {
        const uint8_t *p = (const uint8_t *)qd_pixel(bm, bm->bounds.left, y);
        for (long k = 0; k < 4L * (bm->bounds.right - bm->bounds.left); k++)
            h = (h ^ p[k]) * 0x100000001B3ull;
    }
    return h;
}
