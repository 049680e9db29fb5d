/*
 * qd_text.c - drawing text and measuring it (Imaging With QuickDraw ch. 8
 * in its QuickDraw part): TextFont, TextFace, TextMode, TextSize, DrawChar,
 * DrawString, DrawText, CharWidth, StringWidth, TextWidth, GetFontInfo.
 *
 * One font is built in (qd_font.c) at one size, 12 points: every font
 * number and size draws with it. Styles: bold draws each glyph a second
 * time one pixel to the right and widens it by one; underline draws a line
 * one row below the baseline; the others draw plain. A space is widened by
 * the integer part of spExtra. Text is composed into a one-byte-per-pixel
 * mask (a nonrelocatable block) and painted through the clip region in the
 * port's txMode with fgColor (ink) and bkColor; the pen moves to the end of
 * the text even when the pen is hidden.
 */
#include "qd_internal.h"

void TextFont(short font) { if (qd.thePort) qd.thePort->txFont = font; qd_err = qd.thePort ? noErr : paramErr; }
void TextFace(StyleParameter face) { if (qd.thePort) qd.thePort->txFace = (StyleField)face; qd_err = qd.thePort ? noErr : paramErr; }
void TextSize(short size) { if (qd.thePort) qd.thePort->txSize = size; qd_err = qd.thePort ? noErr : paramErr; }

void TextMode(short mode)
{
    if (qd.thePort == NULL || mode < srcCopy || mode > notSrcBic) {
        qd_err = paramErr;
        return;
    }
    qd.thePort->txMode = mode;
    qd_err = noErr;
}

static int face_of(void)
{
    return qd.thePort ? qd.thePort->txFace : 0;
}

static int char_advance(unsigned char ch, int face)
{
    int w = qd_font_bits(ch)->width + 1 + ((face & bold) ? 1 : 0);
    if (ch == ' ' && qd.thePort)
        w += qd.thePort->spExtra >> 16;
    return w;
}

short CharWidth(short ch)
{
    qd_err = noErr;
    return (short)char_advance((unsigned char)ch, face_of());
}

short TextWidth(const void *textBuf, short firstByte, short byteCount)
{
    if (textBuf == NULL || firstByte < 0 || byteCount < 0) {
        qd_err = paramErr;
        return 0;
    }
    const unsigned char *t = (const unsigned char *)textBuf + firstByte;
    long w = 0;
    for (int i = 0; i < byteCount; i++)
        w += char_advance(t[i], face_of());
    qd_err = noErr;
    return (short)qd_min(w, QD_COORD_MAX);
}

short StringWidth(ConstStr255Param s)
{
    if (s == NULL) {
        qd_err = paramErr;
        return 0;
    }
    return TextWidth(s, 1, s[0]);
}

void GetFontInfo(FontInfo *info)
{
    if (info == NULL) {
        qd_err = paramErr;
        return;
    }
    int wmax = 0;
    for (int c = 0; c < 256; c++)
        wmax = (int)qd_max(wmax, qd_font_bits((unsigned char)c)->width + 1);
    if (face_of() & bold)
        wmax++;
    *info = (FontInfo){ .ascent = QD_FONT_ASCENT, .descent = QD_FONT_DESCENT, .widMax = (short)wmax,
                        .leading = QD_FONT_LEADING };
    qd_err = noErr;
}

/* ---- drawing ---- */

typedef struct text_ctx {
    const BitMap  *bm;
    const uint8_t *mask;      /* w x QD_FONT_HEIGHT, 1 = ink */
    int            left, top, w;
    int            op;
    bool           inv;
    uint32_t       fg, bk;
} text_ctx;

/* The mode is decided once per span: srcCopy picks one of two colours per
 * pixel, the others change only the pixels whose (possibly inverted) mask
 * byte is on. */
static void text_span(void *c, int y, int x0, int x1)
{
    const text_ctx *k = c;
    const uint8_t *m = k->mask + (long)(y - k->top) * k->w + (x0 - k->left);
    uint32_t *px = qd_pixel(k->bm, x0, y);
    int n = x1 - x0;
    uint8_t want = k->inv ? 0 : 1;            /* the mask value that means ink */
    switch (k->op) {
    case srcCopy: {
        uint32_t ink = k->fg, paper = k->bk;
        for (int i = 0; i < n; i++)
            px[i] = m[i] == want ? ink : paper;
        break;
    }
    case srcOr:
        for (int i = 0; i < n; i++)
            if (m[i] == want)
                px[i] = k->fg;
        break;
    case srcXor:
        for (int i = 0; i < n; i++)
            if (m[i] == want)
                px[i] ^= 0x00FFFFFF;
        break;
    default:
        for (int i = 0; i < n; i++)
            if (m[i] == want)
                px[i] = k->bk;
        break;
    }
}

/* The mask holds only 0 and 1: each glyph's ink rows are ORed in as bits,
 * bold adding the same row one column to the right. */
static void text_compose(uint8_t *mask, int w, const unsigned char *t, int n, int face)
{
    for (long i = 0; i < (long)w * QD_FONT_HEIGHT; i++)
        mask[i] = 0;
    int x = 0;
    for (int i = 0; i < n; i++) {
        const qd_glyph_bits *g = qd_font_bits(t[i]);
        for (int r = 0; r < QD_FONT_HEIGHT; r++) {
            unsigned bits = g->row[r];
            if (face & bold)
                bits |= bits << 1;
            uint8_t *row = mask + (long)r * w + x;
            for (; bits != 0; bits &= bits - 1)
                row[__builtin_ctz(bits)] = 1;
        }
        x += char_advance(t[i], face);
    }
    if (face & underline)
        for (int c = 0; c < w; c++)
            mask[(QD_FONT_ASCENT + 1) * w + c] = 1;
}

void DrawText(const void *textBuf, short firstByte, short byteCount)
{
    GrafPtr port = qd.thePort;
    if (port == NULL || textBuf == NULL || firstByte < 0 || byteCount < 0) {
        qd_err = paramErr;
        return;
    }
    const unsigned char *t = (const unsigned char *)textBuf + firstByte;
    int face = port->txFace;
    long w = 0;
    for (int i = 0; i < byteCount; i++)
        w += char_advance(t[i], face);
    Point at = port->pnLoc;
    port->pnLoc.h = qd_clamp(at.h + w);
    if (w <= 0 || !qd_port_draws() || port->portBits.baseAddr == NULL || !qd_coord_ok(at.h + w)) {
        qd_err = noErr;
        return;
    }
    if (!qd_bits_shape_ok(&port->portBits)) {
        qd_err = paramErr;
        return;
    }
    text_ctx k = { .bm = &port->portBits, .left = at.h, .top = at.v - QD_FONT_ASCENT, .w = (int)w,
                   .op = port->txMode & 3, .inv = (port->txMode & 4) != 0,
                   .fg = qd_color_pixel(port->fgColor), .bk = qd_color_pixel(port->bkColor) };
    uint8_t *mask = (uint8_t *)NewPtr(w * QD_FONT_HEIGHT);
    RgnHandle box = mask ? NewRgn() : NULL;
    if (box == NULL) {
        if (mask)
            DisposePtr((Ptr)mask);
        qd_err = memFullErr;
        return;
    }
    text_compose(mask, (int)w, (const unsigned char *)textBuf + firstByte, byteCount, face);
    k.mask = mask;
    SetRectRgn(box, (short)k.left, qd_clamp(k.top), (short)(k.left + w), qd_clamp(k.top + QD_FONT_HEIGHT));
    RgnHandle clip = qd_err == noErr ? qd_clip_rgn(box) : NULL;
    if (clip) {
        qd_bands b;
        if (qd_bands_make(&b, clip)) {
            qd_bands_walk(&b, false, false, text_span, &k);
            qd_bands_dispose(&b);
            qd_err = noErr;
        }
        OSErr err = qd_err;
        DisposeHandle((Handle)clip);
        qd_err = err;
    }
    OSErr err = qd_err;
    DisposeHandle((Handle)box);
    DisposePtr((Ptr)mask);
    qd_err = err;
}

void DrawChar(short ch)
{
    unsigned char c = (unsigned char)ch;
    DrawText(&c, 0, 1);
}

void DrawString(ConstStr255Param s)
{
    if (s == NULL) {
        qd_err = paramErr;
        return;
    }
    Str255 copy;                            /* the string may lie in a handle; DrawText allocates */
    for (int i = 0; i <= s[0]; i++)
        copy[i] = s[i];
    DrawText(copy, 1, copy[0]);
}
