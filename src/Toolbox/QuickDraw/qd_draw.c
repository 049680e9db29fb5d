/*
 * qd_draw.c - the drawing core and the shape verbs. Every pixel QuickDraw
 * changes through a port goes through qd_fill_rgn (or, for CopyBits and
 * text, through qd_clip_rgn and a band walk): the shape's region is
 * intersected with portBits.bounds, visRgn and clipRgn, decoded into bands,
 * and each span is painted with a pattern in one of the eight pattern modes.
 * That is the single clipping rule.
 *
 * Verbs (Imaging With QuickDraw ch. 3): frame = the shape minus the shape
 * inset by the pen size, in pnPat/pnMode; paint = the shape in pnPat/pnMode;
 * erase = bkPat in patCopy; invert = every pixel inverted; fill = a given
 * pattern in patCopy. With the pen hidden (pnVis < 0) nothing is drawn;
 * between OpenRgn and CloseRgn, frames and lines add their outline to the
 * region being recorded instead.
 */
#include "qd_internal.h"

enum { V_FRAME, V_PAINT, V_ERASE, V_INVERT, V_FILL };

bool qd_port_draws(void)
{
    GrafPtr port = qd.thePort;
    return port != NULL && qd_handle_ok(port->visRgn) && qd_handle_ok(port->clipRgn) && port->pnVis >= 0;
}

RgnHandle qd_clip_rgn(RgnHandle rgn)
{
    GrafPtr port = qd.thePort;
    RgnHandle t = NewRgn();
    if (t == NULL)
        return NULL;
    RectRgn(t, &port->portBits.bounds);
    if (qd_err == noErr)
        SectRgn(t, port->visRgn, t);
    if (qd_err == noErr)
        SectRgn(t, port->clipRgn, t);
    if (qd_err == noErr && rgn != NULL)
        SectRgn(t, rgn, t);
    if (qd_err != noErr) {
        OSErr err = qd_err;
        DisposeHandle((Handle)t);
        qd_err = err;
        return NULL;
    }
    return t;
}

/* ---- pattern spans ---- */

typedef struct pat_ctx {
    const BitMap *bm;
    Pattern       pat;
    int           op;         /* 0 copy, 1 or, 2 xor, 3 bic */
    bool          invert;     /* notPat modes */
    uint32_t      fg, bk;
} pat_ctx;

/* Two pixels stored at once: the copy modes write a span a pair of pixels
 * (eight bytes) per store, the pair's value repeating with the pattern. */
static inline void pat_put2(uint32_t *px, uint64_t two)
{
    __builtin_memcpy(px, &two, sizeof two);
}

_Static_assert(__BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__, "a pixel pair's first pixel is its low half");

static inline uint64_t pat_pair(uint32_t first, uint32_t second)
{
    return (uint64_t)second << 32 | first;
}

/* Copy mode: n pixels from px, pair k of every eight pixels two[k], and
 * last for an odd span's final pixel. */
static inline void pat_put_span(uint32_t *px, int n, const uint64_t two[4], uint32_t last)
{
    int i = 0;
    for (; i + 2 <= n; i += 2)
        pat_put2(px + i, two[(i >> 1) & 3]);
    if (i < n)
        px[i] = last;
}

/* Pixel i of the span is pattern bit (phase + i) & 7 of the row, so the
 * span repeats with period 8: the eight outcomes are worked out once. */
static void pat_span(void *c, int y, int x0, int x1)
{
    pat_ctx *p = c;
    uint32_t *px = qd_pixel(p->bm, x0, y);
    unsigned row = p->pat.pat[(unsigned)(y - p->bm->bounds.top) & 7];
    if (p->invert)
        row = ~row & 0xFF;
    int n = x1 - x0;
    if (p->op == 0 && (row == 0 || row == 0xFF)) {
        uint32_t v = row ? p->fg : p->bk;
        uint64_t two = pat_pair(v, v);
        pat_put_span(px, n, (const uint64_t[4]){ two, two, two, two }, v);
        return;
    }
    if (row == 0)
        return;             /* or, xor and bic change only the pixels whose bit is on */
    unsigned phase = (unsigned)(x0 - p->bm->bounds.left) & 7;
    bool on[8];
    uint32_t v[8];
    for (unsigned k = 0; k < 8; k++) {
        on[k] = (row << ((phase + k) & 7)) & 0x80;
        v[k] = on[k] ? p->fg : p->bk;
    }
    switch (p->op) {
    case 0: {
        uint64_t two[4];
        for (unsigned k = 0; k < 4; k++)
            two[k] = pat_pair(v[2 * k], v[2 * k + 1]);
        pat_put_span(px, n, two, v[(unsigned)(n - 1) & 7]);
        break;
    }
    case 1: for (int i = 0; i < n; i++) if (on[i & 7]) px[i] = p->fg; break;
    case 2: for (int i = 0; i < n; i++) if (on[i & 7]) px[i] ^= 0x00FFFFFF; break;
    default: for (int i = 0; i < n; i++) if (on[i & 7]) px[i] = p->bk; break;
    }
}

void qd_fill_rgn(RgnHandle rgn, const Pattern *pat, short mode)
{
    GrafPtr port = qd.thePort;
    pat_ctx c = {
        .bm = &port->portBits, .pat = *pat, .op = mode & 3, .invert = (mode & 4) != 0,
        .fg = qd_color_pixel(port->fgColor), .bk = qd_color_pixel(port->bkColor),
    };
    if (port->portBits.baseAddr == NULL) {
        qd_err = noErr;
        return;
    }
    if (!qd_bits_shape_ok(&port->portBits)) {
        qd_err = paramErr;
        return;
    }
    RgnHandle clip = qd_clip_rgn(rgn);
    if (clip == NULL)
        return;
    qd_bands b;
    bool ok = qd_bands_make(&b, clip);
    DisposeHandle((Handle)clip);
    if (!ok) {
        qd_err = memFullErr;
        return;
    }
    qd_bands_walk(&b, false, false, pat_span, &c);
    qd_bands_dispose(&b);
    qd_err = noErr;
}

/* ---- verbs over regions ---- */

static void draw_verb(int verb, RgnHandle shape, const Pattern *pat)
{
    GrafPtr port = qd.thePort;
    static const Pattern all = { { 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF } };
    switch (verb) {
    case V_FRAME: {
        RgnHandle f = NewRgn();
        if (f == NULL)
            return;
        qd_frame_rgn_of(f, shape, port->pnSize.h, port->pnSize.v);
        if (qd_err == noErr)
            qd_fill_rgn(f, &qd.thePort->pnPat, qd.thePort->pnMode);
        OSErr err = qd_err;
        DisposeHandle((Handle)f);
        qd_err = err;
        return;
    }
    case V_PAINT:  qd_fill_rgn(shape, &port->pnPat, port->pnMode); return;
    case V_ERASE:  qd_fill_rgn(shape, &port->bkPat, patCopy); return;
    case V_INVERT: qd_fill_rgn(shape, &all, patXor); return;
    default:       port->fillPat = *pat; qd_fill_rgn(shape, pat, patCopy); return;
    }
}

enum { S_RECT, S_RRECT, S_OVAL };

/* Records the outline of a shape into the open region; true if recording. */
static bool record_shape(int kind, const Rect *r, int ow, int oh, RgnHandle rgn)
{
    GrafPtr port = qd.thePort;
    if (port == NULL || port->rgnSave == NULL)
        return false;
    qd_pts p;
    qd_pts_attach(&p, port->rgnSave);
    if (rgn)
        qd_pts_rgn(&p, rgn);
    else if (kind == S_RECT)
        qd_pts_rect(&p, r->left, r->top, r->right, r->bottom);
    else if (kind == S_RRECT)
        qd_pts_rrect(&p, r, ow, oh);
    else
        qd_pts_oval(&p, r);
    qd_err = p.failed ? memFullErr : noErr;
    return true;
}

/* The rectangle and pattern are copied first: a caller may pass a field of
 * a relocatable block (a region's rgnBBox, a pattern resource) and every
 * step below allocates. */
static void draw_shape(int verb, int kind, const Rect *rp, int ow, int oh, const Pattern *patp)
{
    if (rp == NULL || (verb == V_FILL && patp == NULL)) {
        qd_err = paramErr;
        return;
    }
    Rect rv = *rp;
    Pattern pv = patp ? *patp : qd.black;
    const Rect *r = &rv;
    const Pattern *pat = &pv;
    if (verb == V_FRAME && record_shape(kind, r, ow, oh, NULL))
        return;
    if (!qd_port_draws()) {
        qd_err = noErr;
        return;
    }
    RgnHandle s = NewRgn();
    if (s == NULL)
        return;
    if (kind == S_RECT)
        RectRgn(s, r);
    else if (kind == S_RRECT)
        qd_rrect_rgn(s, r, ow, oh);
    else
        qd_oval_rgn(s, r);
    if (qd_err == noErr)
        draw_verb(verb, s, pat);
    OSErr err = qd_err;
    DisposeHandle((Handle)s);
    qd_err = err;
}

void FrameRect(const Rect *r) { draw_shape(V_FRAME, S_RECT, r, 0, 0, NULL); }
void PaintRect(const Rect *r) { draw_shape(V_PAINT, S_RECT, r, 0, 0, NULL); }
void EraseRect(const Rect *r) { draw_shape(V_ERASE, S_RECT, r, 0, 0, NULL); }
void InvertRect(const Rect *r) { draw_shape(V_INVERT, S_RECT, r, 0, 0, NULL); }
void FillRect(const Rect *r, ConstPatternParam pat) { draw_shape(V_FILL, S_RECT, r, 0, 0, pat); }

void FrameRoundRect(const Rect *r, short ow, short oh) { draw_shape(V_FRAME, S_RRECT, r, ow, oh, NULL); }
void PaintRoundRect(const Rect *r, short ow, short oh) { draw_shape(V_PAINT, S_RRECT, r, ow, oh, NULL); }
void EraseRoundRect(const Rect *r, short ow, short oh) { draw_shape(V_ERASE, S_RRECT, r, ow, oh, NULL); }
void InvertRoundRect(const Rect *r, short ow, short oh) { draw_shape(V_INVERT, S_RRECT, r, ow, oh, NULL); }
void FillRoundRect(const Rect *r, short ow, short oh, ConstPatternParam pat) { draw_shape(V_FILL, S_RRECT, r, ow, oh, pat); }

void FrameOval(const Rect *r) { draw_shape(V_FRAME, S_OVAL, r, 0, 0, NULL); }
void PaintOval(const Rect *r) { draw_shape(V_PAINT, S_OVAL, r, 0, 0, NULL); }
void EraseOval(const Rect *r) { draw_shape(V_ERASE, S_OVAL, r, 0, 0, NULL); }
void InvertOval(const Rect *r) { draw_shape(V_INVERT, S_OVAL, r, 0, 0, NULL); }
void FillOval(const Rect *r, ConstPatternParam pat) { draw_shape(V_FILL, S_OVAL, r, 0, 0, pat); }

static void draw_region(int verb, RgnHandle rgn, const Pattern *patp)
{
    if (!qd_handle_ok(rgn) || qd_rgn_check(rgn, true) != noErr || (verb == V_FILL && patp == NULL)) {
        qd_err = paramErr;
        return;
    }
    Pattern pv = patp ? *patp : qd.black;      /* copied before anything allocates */
    const Pattern *pat = &pv;
    if (verb == V_FRAME && record_shape(S_RECT, NULL, 0, 0, rgn))
        return;
    if (!qd_port_draws()) {
        qd_err = noErr;
        return;
    }
    draw_verb(verb, rgn, pat);
}

void FrameRgn(RgnHandle rgn) { draw_region(V_FRAME, rgn, NULL); }
void PaintRgn(RgnHandle rgn) { draw_region(V_PAINT, rgn, NULL); }
void EraseRgn(RgnHandle rgn) { draw_region(V_ERASE, rgn, NULL); }
void InvertRgn(RgnHandle rgn) { draw_region(V_INVERT, rgn, NULL); }
void FillRgn(RgnHandle rgn, ConstPatternParam pat) { draw_region(V_FILL, rgn, pat); }

/* ---- lines ---- */

/* The x where the edge from (x0,y0) to (x1,y1) crosses the middle of row y,
 * rounded to the nearest pixel boundary (y0 != y1). Sampling row middles
 * keeps symmetric outlines symmetric. */
static long edge_x(long x0, long y0, long x1, long y1, long y)
{
    long num = (2 * (y - y0) + 1) * (x1 - x0), den = 2 * (y1 - y0);
    if (den < 0)
        num = -num, den = -den;
    long n2 = 2 * num + den, d2 = 2 * den;     /* floor(num/den + 1/2) */
    long q = n2 / d2;
    if (n2 % d2 != 0 && n2 < 0)
        q--;
    return x0 + q;
}

/* An edge of an outline being recorded: for each row it crosses, the
 * point where it crosses and the same x one row down (so rows where the
 * edge does not move cancel out). Horizontal edges add nothing. */
static void record_edge(qd_pts *p, long x0, long y0, long x1, long y1)
{
    if (y0 == y1)
        return;
    long ya = qd_min(y0, y1), yb = qd_max(y0, y1);
    for (long y = ya; y < yb; y++) {
        long x = edge_x(x0, y0, x1, y1, y);
        qd_pts_add(p, (int)x, (int)y);
        qd_pts_add(p, (int)x, (int)y + 1);
    }
}

void LineTo(short h, short v)
{
    GrafPtr port = qd.thePort;
    if (port == NULL) {
        qd_err = paramErr;
        return;
    }
    Point from = port->pnLoc;
    port->pnLoc = (Point){ .v = v, .h = h };
    if (port->rgnSave != NULL) {
        qd_pts p;
        qd_pts_attach(&p, port->rgnSave);
        record_edge(&p, from.h, from.v, h, v);
        qd_err = p.failed ? memFullErr : noErr;
        return;
    }
    if (!qd_port_draws()) {
        qd_err = noErr;
        return;
    }
    RgnHandle s = NewRgn();
    if (s == NULL)
        return;
    qd_line_rgn(s, from.h, from.v, h, v, port->pnSize.h, port->pnSize.v);
    if (qd_err == noErr)
        qd_fill_rgn(s, &qd.thePort->pnPat, qd.thePort->pnMode);
    OSErr err = qd_err;
    DisposeHandle((Handle)s);
    qd_err = err;
}

void Line(short dh, short dv)
{
    if (qd.thePort == NULL) {
        qd_err = paramErr;
        return;
    }
    LineTo((short)(qd.thePort->pnLoc.h + dh), (short)(qd.thePort->pnLoc.v + dv));
}

/* ---- recording regions ---- */

void OpenRgn(void)
{
    GrafPtr port = qd.thePort;
    if (port == NULL || port->rgnSave != NULL) {
        qd_err = paramErr;
        return;
    }
    qd_pts p;
    if (!qd_pts_init(&p)) {
        qd_err = memFullErr;
        return;
    }
    port->rgnSave = p.h;
    HidePen();
    qd_err = noErr;
}

void CloseRgn(RgnHandle dstRgn)
{
    GrafPtr port = qd.thePort;
    if (port == NULL || port->rgnSave == NULL) {
        qd_err = paramErr;
        return;
    }
    qd_pts p;
    qd_pts_attach(&p, port->rgnSave);
    port->rgnSave = NULL;
    ShowPen();
    qd_pts_to_rgn(&p, dstRgn);
}
