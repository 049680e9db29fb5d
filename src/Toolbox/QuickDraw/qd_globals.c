/*
 * qd_globals.c - the QuickDraw globals (qd), InitGraf, the screen the
 * platform hands over, QDError, graphics ports and their pen and colour
 * state (Imaging With QuickDraw ch. 2-3).
 *
 * A port owns its visRgn and clipRgn (made by OpenPort, disposed by
 * ClosePort) and, between OpenRgn and CloseRgn, the builder in rgnSave.
 * Local and global coordinates differ by portBits.bounds' top-left:
 * global = local - bounds.topLeft.
 */
#include "qd_internal.h"

QDGlobals qd;
OSErr qd_err;

static BitMap qd_screen;      /* what qd_set_screen was given */

OSErr QDError(void)
{
    return qd_err;
}

OSErr qd_set_screen(void *baseAddr, long rowBytes, short width, short height)
{
    if (baseAddr == NULL || width <= 0 || height <= 0 || (rowBytes & 3) ||
        rowBytes < 4L * width || rowBytes > 0x7FFC || height > QD_COORD_MAX)
        return qd_err = paramErr;
    qd_screen = (BitMap){ .baseAddr = baseAddr, .rowBytes = (short)rowBytes,
                          .bounds = { 0, 0, height, width } };
    return qd_err = noErr;
}

/* A 16x16 arrow drawn for this project: a black arrow on a white rim. */
static const Cursor qd_arrow_cursor = {
    .data = { 0x0000, 0x4000, 0x6000, 0x7000, 0x7800, 0x7C00, 0x7E00, 0x7F00,
              0x7F80, 0x7C00, 0x6C00, 0x4600, 0x0600, 0x0300, 0x0300, 0x0000 },
    .mask = { (short)0xC000, (short)0xE000, (short)0xF000, (short)0xF800, (short)0xFC00, (short)0xFE00, (short)0xFF00, (short)0xFF80,
              (short)0xFFC0, (short)0xFFC0, (short)0xFE00, (short)0xEF00, 0x4F00, 0x0780, 0x0780, 0x0380 },
    .hotSpot = { .v = 1, .h = 1 },
};

void InitGraf(void *globalPtr)
{
    if (globalPtr != &qd.thePort) {
        qd_err = paramErr;
        return;
    }
    static const Pattern pats[5] = {
        { { 0x77, 0xDD, 0x77, 0xDD, 0x77, 0xDD, 0x77, 0xDD } },   /* dkGray */
        { { 0x88, 0x22, 0x88, 0x22, 0x88, 0x22, 0x88, 0x22 } },   /* ltGray */
        { { 0xAA, 0x55, 0xAA, 0x55, 0xAA, 0x55, 0xAA, 0x55 } },   /* gray */
        { { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF } },   /* black */
        { { 0, 0, 0, 0, 0, 0, 0, 0 } },                           /* white */
    };
    qd.dkGray = pats[0];
    qd.ltGray = pats[1];
    qd.gray = pats[2];
    qd.black = pats[3];
    qd.white = pats[4];
    qd.arrow = qd_arrow_cursor;
    qd.randSeed = 1;
    qd.screenBits = qd_screen;
    qd.thePort = NULL;
    qd_err = noErr;
}

/* ---- ports ---- */

void InitPort(GrafPtr port)
{
    if (port == NULL || !qd_handle_ok(port->visRgn) || !qd_handle_ok(port->clipRgn)) {
        qd_err = paramErr;
        return;
    }
    RgnHandle vis = port->visRgn, clip = port->clipRgn;
    *port = (GrafPort){
        .portBits = qd.screenBits, .portRect = qd.screenBits.bounds,
        .visRgn = vis, .clipRgn = clip,
        .bkPat = qd.white, .fillPat = qd.black, .pnSize = { 1, 1 },
        .pnMode = patCopy, .pnPat = qd.black, .txMode = srcOr,
        .fgColor = blackColor, .bkColor = whiteColor,
    };
    qd.thePort = port;
    RectRgn(vis, &qd.screenBits.bounds);
    if (qd_err == noErr)
        SetRectRgn(clip, -32767, -32767, 32767, 32767);
}

void OpenPort(GrafPtr port)
{
    if (port == NULL) {
        qd_err = paramErr;
        return;
    }
    RgnHandle vis = NewRgn(), clip = vis ? NewRgn() : NULL;
    if (clip == NULL) {
        if (vis)
            DisposeHandle((Handle)vis);
        qd_err = memFullErr;
        return;
    }
    port->visRgn = vis;
    port->clipRgn = clip;
    InitPort(port);
}

void ClosePort(GrafPtr port)
{
    if (port == NULL) {
        qd_err = paramErr;
        return;
    }
    if (port->visRgn)
        DisposeHandle((Handle)port->visRgn);
    if (port->clipRgn)
        DisposeHandle((Handle)port->clipRgn);
    if (port->rgnSave)
        DisposeHandle(port->rgnSave);
    port->visRgn = port->clipRgn = NULL;
    port->rgnSave = NULL;
    qd_err = noErr;
}

void SetPort(GrafPtr port)
{
    qd.thePort = port;
    qd_err = port ? noErr : paramErr;
}

void GetPort(GrafPtr *port)
{
    if (port)
        *port = qd.thePort;
    qd_err = port ? noErr : paramErr;
}

/* The current port, or NULL with paramErr. */
static GrafPtr cur(void)
{
    qd_err = qd.thePort ? noErr : paramErr;
    return qd.thePort;
}

/* The current port when arg is not NULL; otherwise NULL with paramErr. */
static GrafPtr cur_with(const void *arg)
{
    GrafPtr p = cur();
    if (p && arg == NULL) {
        qd_err = paramErr;
        return NULL;
    }
    return p;
}

void SetPortBits(const BitMap *bm)
{
    GrafPtr p = cur_with(bm);
    if (p)
        p->portBits = *bm;
}

void PortSize(short width, short height)
{
    GrafPtr p = cur();
    if (p) {
        p->portRect.right = (short)(p->portRect.left + width);
        p->portRect.bottom = (short)(p->portRect.top + height);
    }
}

void MovePortTo(short leftGlobal, short topGlobal)
{
    GrafPtr p = cur();
    if (p == NULL)
        return;
    Rect *b = &p->portBits.bounds;
    short w = (short)(b->right - b->left), h = (short)(b->bottom - b->top);
    b->left = (short)(p->portRect.left - leftGlobal);
    b->top = (short)(p->portRect.top - topGlobal);
    b->right = (short)(b->left + w);
    b->bottom = (short)(b->top + h);
}

void SetOrigin(short h, short v)
{
    GrafPtr p = cur();
    if (p == NULL)
        return;
    short dh = (short)(h - p->portRect.left), dv = (short)(v - p->portRect.top);
    OffsetRect(&p->portRect, dh, dv);
    OffsetRect(&p->portBits.bounds, dh, dv);
    OffsetRgn(p->visRgn, dh, dv);
}

void SetClip(RgnHandle rgn)
{
    GrafPtr p = cur();
    if (p)
        CopyRgn(rgn, p->clipRgn);
}

void GetClip(RgnHandle rgn)
{
    GrafPtr p = cur();
    if (p)
        CopyRgn(p->clipRgn, rgn);
}

void ClipRect(const Rect *r)
{
    GrafPtr p = cur();
    if (p)
        RectRgn(p->clipRgn, r);
}

void BackPat(ConstPatternParam pat)
{
    GrafPtr p = cur_with(pat);
    if (p)
        p->bkPat = *pat;
}

uint32_t qd_color_pixel(long oldColor)
{
    switch (oldColor) {
    case whiteColor:   return 0x00FFFFFF;
    case yellowColor:  return 0x00FFFF00;
    case magentaColor: return 0x00FF00FF;
    case redColor:     return 0x00FF0000;
    case cyanColor:    return 0x0000FFFF;
    case greenColor:   return 0x0000FF00;
    case blueColor:    return 0x000000FF;
    default:           return 0x00000000;
    }
}

static bool color_known(long c)
{
    return c == whiteColor || c == blackColor || c == yellowColor || c == magentaColor ||
           c == redColor || c == cyanColor || c == greenColor || c == blueColor;
}

void ForeColor(long color)
{
    GrafPtr p = cur();
    if (p && color_known(color))
        p->fgColor = color;
    else if (p)
        qd_err = paramErr;
}

void BackColor(long color)
{
    GrafPtr p = cur();
    if (p && color_known(color))
        p->bkColor = color;
    else if (p)
        qd_err = paramErr;
}

void LocalToGlobal(Point *pt)
{
    GrafPtr p = cur_with(pt);
    if (p) {
        pt->h = (short)(pt->h - p->portBits.bounds.left);
        pt->v = (short)(pt->v - p->portBits.bounds.top);
    }
}

void GlobalToLocal(Point *pt)
{
    GrafPtr p = cur_with(pt);
    if (p) {
        pt->h = (short)(pt->h + p->portBits.bounds.left);
        pt->v = (short)(pt->v + p->portBits.bounds.top);
    }
}

/* ---- the pen ---- */

void HidePen(void) { GrafPtr p = cur(); if (p) p->pnVis--; }
void ShowPen(void) { GrafPtr p = cur(); if (p) p->pnVis++; }
void GetPen(Point *pt) { GrafPtr p = cur_with(pt); if (p) *pt = p->pnLoc; }

void GetPenState(PenState *s)
{
    GrafPtr p = cur_with(s);
    if (p)
        *s = (PenState){ p->pnLoc, p->pnSize, p->pnMode, p->pnPat };
}

void SetPenState(const PenState *s)
{
    GrafPtr p = cur_with(s);
    if (p) {
        p->pnLoc = s->pnLoc;
        p->pnSize = s->pnSize;
        p->pnMode = s->pnMode;
        p->pnPat = s->pnPat;
    }
}

void PenSize(short width, short height)
{
    GrafPtr p = cur();
    if (p)
        p->pnSize = (Point){ .v = height, .h = width };
}

void PenMode(short mode)
{
    GrafPtr p = cur();
    if (p && mode >= srcCopy && mode <= notPatBic)
        p->pnMode = mode;
    else if (p)
        qd_err = paramErr;
}

void PenPat(ConstPatternParam pat)
{
    GrafPtr p = cur_with(pat);
    if (p)
        p->pnPat = *pat;
}

void PenNormal(void)
{
    GrafPtr p = cur();
    if (p) {
        p->pnSize = (Point){ .v = 1, .h = 1 };
        p->pnMode = patCopy;
        p->pnPat = qd.black;
    }
}

void MoveTo(short h, short v)
{
    GrafPtr p = cur();
    if (p)
        p->pnLoc = (Point){ .v = v, .h = h };
}

void Move(short dh, short dv)
{
    GrafPtr p = cur();
    if (p) {
        p->pnLoc.h = (short)(p->pnLoc.h + dh);
        p->pnLoc.v = (short)(p->pnLoc.v + dv);
    }
}
