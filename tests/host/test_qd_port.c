/*
 * test_qd_port.c - QuickDraw's Point and Rect arithmetic as Imaging With
 * QuickDraw defines it (edges, empty results, negative insets), graphics
 * ports (SetPort/GetPort, InitPort, PortSize, MovePortTo, SetOrigin,
 * Local/GlobalToLocal, clip calls, pen state, bad arguments), and the
 * built-in font's data (every glyph well formed).
 */
#include "../../src/Toolbox/QuickDraw/qd_internal.h"
#include "mm_test_util.h"
#include "tap.h"

enum { SW = 40, SH = 30 };
static uint32_t screen[SH][SW];

static void test_rects(void)
{
    Rect r, s, t;
    SetRect(&r, 10, 20, 30, 50);
    tap_ok(r.left == 10 && r.top == 20 && r.right == 30 && r.bottom == 50, "SetRect(left, top, right, bottom)");
    OffsetRect(&r, -5, 5);
    tap_ok(r.left == 5 && r.top == 25 && r.right == 25 && r.bottom == 55, "OffsetRect");
    InsetRect(&r, 2, -3);
    tap_ok(r.left == 7 && r.right == 23 && r.top == 22 && r.bottom == 58, "InsetRect: positive shrinks, negative grows");
    InsetRect(&r, 9, 0);
    tap_ok(r.left == 0 && r.top == 0 && r.right == 0 && r.bottom == 0, "InsetRect past empty gives 0,0,0,0");
    SetRect(&r, 0, 0, 10, 10);
    SetRect(&s, 5, 5, 20, 20);
    tap_ok(SectRect(&r, &s, &t) && t.left == 5 && t.top == 5 && t.right == 10 && t.bottom == 10, "SectRect overlapping");
    SetRect(&s, 10, 0, 20, 10);
    tap_ok(!SectRect(&r, &s, &t) && EmptyRect(&t) && t.right == 0, "SectRect of abutting rects: false, 0,0,0,0");
    UnionRect(&r, &s, &t);
    tap_ok(t.left == 0 && t.right == 20 && t.top == 0 && t.bottom == 10, "UnionRect");
    Point p = { .v = 0, .h = 0 }, q = { .v = 9, .h = 9 }, e = { .v = 5, .h = 10 };
    tap_ok(PtInRect(p, &r) && PtInRect(q, &r) && !PtInRect(e, &r), "PtInRect: top-left in, right edge out");
    Pt2Rect(q, p, &t);
    tap_ok(t.left == 0 && t.top == 0 && t.right == 9 && t.bottom == 9, "Pt2Rect orders the corners");
    tap_ok(EqualRect(&r, &r) && !EqualRect(&r, &s), "EqualRect");
    SetRect(&t, 5, 5, 5, 9);
    tap_ok(EmptyRect(&t) && !EmptyRect(&r), "EmptyRect: zero width is empty");
    SetPt(&p, 3, 4);
    AddPt((Point){ .v = 1, .h = 2 }, &p);
    tap_ok(p.h == 5 && p.v == 5 && EqualPt(p, (Point){ .v = 5, .h = 5 }), "SetPt/AddPt/EqualPt");
    SubPt((Point){ .v = 5, .h = 5 }, &p);
    tap_ok(p.h == 0 && p.v == 0, "SubPt");
}

static void test_ports(void)
{
    long free0 = FreeMem();
    GrafPort port, other;
    OpenPort(&port);
    GrafPtr got;
    GetPort(&got);
    tap_ok(got == &port && QDError() == noErr, "OpenPort makes the port current");
    OpenPort(&other);
    SetPort(&port);
    GetPort(&got);
    tap_ok(got == &port, "SetPort/GetPort");

    PortSize(20, 10);
    tap_ok(port.portRect.right == 20 && port.portRect.bottom == 10 && port.portRect.left == 0, "PortSize keeps the top-left");
    SetOrigin(100, 200);
    tap_ok(port.portRect.left == 100 && port.portRect.top == 200 && port.portBits.bounds.left == 100 &&
           (*port.visRgn)->rgnBBox.left == 100, "SetOrigin moves portRect, portBits.bounds and visRgn");
    for (int y = 0; y < SH; y++)
        for (int x = 0; x < SW; x++)
            screen[y][x] = 0x00FFFFFF;
    Rect px = { 203, 104, 204, 105 };
    PaintRect(&px);
    tap_ok(screen[3][4] == 0 && screen[0][0] == 0x00FFFFFF, "after SetOrigin(100,200) local (104,203) is screen (4,3)");
    Point pt = { .v = 203, .h = 104 };
    LocalToGlobal(&pt);
    tap_ok(pt.h == 4 && pt.v == 3, "LocalToGlobal");
    GlobalToLocal(&pt);
    tap_ok(pt.h == 104 && pt.v == 203, "GlobalToLocal");
    SetOrigin(0, 0);
    MovePortTo(10, 5);
    pt = (Point){ .v = 0, .h = 0 };
    LocalToGlobal(&pt);
    tap_ok(pt.h == 10 && pt.v == 5 && port.portRect.left == 0, "MovePortTo: the port's top-left is at global (10,5)");

    RgnHandle r = NewRgn(), c = NewRgn();
    SetRectRgn(r, 1, 2, 3, 4);
    SetClip(r);
    GetClip(c);
    tap_ok(EqualRgn(r, c) && r != port.clipRgn, "SetClip copies, GetClip copies back");
    Rect cr = { 0, 0, 5, 5 };
    ClipRect(&cr);
    tap_ok((*port.clipRgn)->rgnBBox.right == 5, "ClipRect");
    DisposeRgn(r);
    DisposeRgn(c);

    PenSize(3, 4);
    PenMode(patXor);
    PenPat(&qd.gray);
    MoveTo(7, 8);
    PenState ps;
    GetPenState(&ps);
    PenNormal();
    tap_ok(port.pnSize.h == 1 && port.pnMode == patCopy && port.pnPat.pat[0] == 0xFF, "PenNormal");
    SetPenState(&ps);
    tap_ok(port.pnSize.h == 3 && port.pnSize.v == 4 && port.pnMode == patXor && port.pnPat.pat[0] == 0xAA &&
           port.pnLoc.h == 7 && port.pnLoc.v == 8, "GetPenState/SetPenState round trip");
    Move(2, -3);
    Point pen;
    GetPen(&pen);
    tap_ok(pen.h == 9 && pen.v == 5, "Move is relative");
    PenMode(99);
    tap_ok(QDError() == paramErr && port.pnMode == patXor, "PenMode with a bad mode: paramErr, unchanged");
    ForeColor(12345);
    tap_ok(QDError() == paramErr && port.fgColor == blackColor, "ForeColor with an unknown colour: paramErr");
    TextMode(patCopy);
    tap_ok(QDError() == paramErr && port.txMode == srcOr, "TextMode with a pattern mode: paramErr");
    HidePen();
    HidePen();
    ShowPen();
    tap_ok(port.pnVis == -1, "HidePen/ShowPen count");
    InitPort(&port);
    tap_ok(port.pnVis == 0 && port.pnSize.h == 1 && EmptyRect(&port.portRect) == false &&
           (*port.clipRgn)->rgnBBox.left == -32767, "InitPort resets pen, portRect and a wide-open clipRgn");
    BitMap bad = { (Ptr)screen, 8, { 0, 0, SH, SW } };   /* rows too short for the bounds */
    SetPortBits(&bad);
    Rect everything = { 0, 0, SH, SW };
    PaintRect(&everything);
    TAP_EQ(QDError(), paramErr, "drawing into a BitMap whose rowBytes cannot hold its bounds is paramErr");
    ClosePort(&other);
    ClosePort(&port);
    tap_ok(port.visRgn == NULL && port.clipRgn == NULL, "ClosePort disposes visRgn and clipRgn");
    TAP_EQ(FreeMem(), free0, "ports leave FreeMem where it was");
    static uint32_t snap[SH][SW];
    memcpy(snap, screen, sizeof snap);
    qd.thePort = NULL;
    PaintRect(&cr);
    bool unchanged = memcmp(snap, screen, sizeof snap) == 0;
    LineTo(3, 3);
    tap_ok(unchanged && QDError() == paramErr, "with no current port nothing is drawn; LineTo is paramErr");
    InitGraf((void *)&qd);
    TAP_EQ(QDError(), paramErr, "InitGraf with a pointer other than &qd.thePort is paramErr");
}

static void test_font(void)
{
    bool ok = true, ink = true;
    for (int c = 0; c < 256; c++) {
        const qd_glyph *g = qd_font_glyph((unsigned char)c);
        int w = qd_glyph_width(g), n = 0;
        for (int r = 0; r < QD_FONT_HEIGHT; r++) {
            int k = 0;
            for (; g->row[r][k] != '\0'; k++) {
                ok = ok && (g->row[r][k] == '#' || g->row[r][k] == '.');
                n += g->row[r][k] == '#';
            }
            if (k != w) {
                tap_diag("glyph %d row %d is %d wide, row 0 is %d", c, r, k, w);
                ok = false;
            }
        }
        ok = ok && w > 0 && w <= 16;
        if ((n == 0) != (c == ' '))
            ink = false;
    }
    tap_ok(ok, "every glyph: 13 rows of equal width (1..16), only '#' and '.'");
    tap_ok(ink, "every glyph but space has ink");
    bool same = true;
    for (int c = 0; c < 256; c++) {
        const qd_glyph *g = qd_font_glyph((unsigned char)c);
        const qd_glyph_bits *b = qd_font_bits((unsigned char)c);
        int w = qd_glyph_width(g);
        if (b->width != w) {
            tap_diag("glyph %d: bitmask width %d, picture %d", c, b->width, w);
            same = false;
        }
        for (int r = 0; r < QD_FONT_HEIGHT; r++)
            for (int k = 0; k < 16; k++) {
                bool pic = k < w && g->row[r][k] == '#', bit = (b->row[r] >> k) & 1;
                if (pic != bit) {
                    tap_diag("glyph %d row %d column %d: bitmask %d, picture %d", c, r, k, bit, pic);
                    same = false;
                }
            }
    }
    tap_ok(same, "every glyph's row bitmasks and width are its picture's");
    const qd_glyph *A = qd_font_glyph('A'), *g = qd_font_glyph('g');
    bool base = false, desc = false;
    for (int k = 0; A->row[QD_FONT_ASCENT - 1][k]; k++)
        base = base || A->row[QD_FONT_ASCENT - 1][k] == '#';
    for (int k = 0; g->row[QD_FONT_HEIGHT - 1][k]; k++)
        desc = desc || g->row[QD_FONT_HEIGHT - 1][k] == '#';
    tap_ok(base && desc, "capitals stand on the baseline row, descenders reach the last row");
}

int main(void)
{
    tap_ok(mt_install(256 << 10, 2 << 20, 0), "zones installed");
    MaxApplZone();
    qd_set_screen(screen, 4 * SW, SW, SH);
    InitGraf(&qd.thePort);
    test_rects();
    test_ports();
    test_font();
    tap_ok(mt_ok(GetZone()), "heap check clean");
    return tap_done();
}
