/*
 * te_text.c - the edit record and its text: TENew, TEDispose, TESetText,
 * TEGetText, TECalText (line starts by word wrap), the edits (TEKey,
 * TEDelete, TEInsert, TECut, TECopy, TEPaste), the TextEdit scrap and
 * the record's check.
 *
 * Every edit is one replacement of [a, b) by n new characters, done in an
 * order that cannot leave the record half-changed: the new line starts
 * are counted on the text as it will be (without building it), the
 * record is grown for them, then Munger edits hText, then the starts are
 * stored and the record shrunk to fit. If growing the record or the text
 * fails, nothing has changed but the record's slack, which is given back.
 */
#include "te_internal.h"

#include "lib/kprintf.h"

OSErr g_te_err;
static Handle g_te_scrap;                 /* System zone: outlives any application zone */

OSErr te_error(void)
{
    return g_te_err;
}

void te_port_begin(TEHandle te, te_port_save *s)
{
    GetPort(&s->port);
    GrafPtr p = (*te)->inPort;
    SetPort(p);
    s->font = p->txFont;
    s->size = p->txSize;
    s->mode = p->txMode;
    s->face = p->txFace;
    TextFont((*te)->txFont);
    TextFace((*te)->txFace);
    TextSize((*te)->txSize);
    TextMode(srcOr);
}

void te_port_end(const te_port_save *s)
{
    TextFont(s->font);
    TextFace(s->face);
    TextSize(s->size);
    TextMode(s->mode);
    SetPort(s->port);
}

/* ---- line breaking ------------------------------------------------------------------
 * The text as it will be after replacing [a, b) of the current text by
 * ins[0..n): three pieces read through te_vt_char, so lines are counted
 * before anything is allocated. */
typedef struct te_vtext {
    const char *head;  long head_len;
    const char *ins;   long ins_len;
    const char *tail;  long tail_len;
} te_vtext;

static unsigned char te_vt_char(const te_vtext *v, long i)
{
    if (i < v->head_len)
        return (unsigned char)v->head[i];
    i -= v->head_len;
    if (i < v->ins_len)
        return (unsigned char)v->ins[i];
    return (unsigned char)v->tail[i - v->ins_len];
}

/* Where the line starting at s ends (the next line's start). */
static long te_line_end(const te_vtext *v, long s, long len, short width)
{
    long x = 0, last_break = -1;
    for (long i = s; i < len; i++) {
        unsigned char c = te_vt_char(v, i);
        if (c == TE_CR)
            return i + 1;
        if (c == ' ') {
            last_break = i + 1;           /* spaces hang past the edge */
            x += CharWidth(c);
            continue;
        }
        x += CharWidth(c);
        if (x > width) {
            if (last_break > s) {
                while (last_break < len && te_vt_char(v, last_break) == ' ')
                    last_break++;
                return last_break;
            }
            return i > s ? i : i + 1;     /* a word wider than the line */
        }
    }
    return len;
}

/* Count the lines of v (len characters); store their starts in starts if
 * not NULL. -1 if there would be more than te_max_lines. */
static long te_break(TEHandle te, const te_vtext *v, long len, short *starts)
{
    short width = (short)((*te)->destRect.right - (*te)->destRect.left);
    long n = 0, s = 0;
    while (s < len) {
        if (n >= te_max_lines)
            return -1;
        if (starts)
            starts[n] = (short)s;
        s = te_line_end(v, s, len, width);
        n++;
    }
    if (starts)
        starts[n] = (short)len;
    return n;
}

/* Store the current text's line starts; the record must have room. */
static void te_store_lines(TEHandle te, long n)
{
    HLock((*te)->hText);
    te_vtext v = { .head = *(*te)->hText, .head_len = (*te)->teLength };
    HLock((Handle)te);
    te_break(te, &v, (*te)->teLength, (*te)->lineStarts);
    (*te)->nLines = (short)n;
    HUnlock((Handle)te);
    HUnlock((*te)->hText);
}

/*
 * Replace [a, b) by ins[0..n) (ins may be NULL when n is 0): noErr, or
 * memFullErr / paramErr with nothing changed. ins must not lie in a block
 * that can move (lock it). The selection is the caller's to set.
 */
static OSErr te_replace(TEHandle te, long a, long b, const char *ins, long n)
{
    long len = (*te)->teLength, newlen = len - (b - a) + n;
    if (a < 0 || b < a || b > len || n < 0 || newlen > te_max_length)
        return paramErr;
    te_port_save ps;
    te_port_begin(te, &ps);
    Handle ht = (*te)->hText;
    HLock(ht);
    te_vtext v = { .head = *ht, .head_len = a, .ins = ins, .ins_len = n, .tail = *ht + b, .tail_len = len - b };
    long lines = te_break(te, &v, newlen, NULL);
    HUnlock(ht);
    if (lines < 0) {
        te_port_end(&ps);
        return paramErr;
    }
    Size old = GetHandleSize((Handle)te);
    if (te_rec_size(lines) > old) {
        SetHandleSize((Handle)te, te_rec_size(lines));
        if (MemError() != noErr) {
            te_port_end(&ps);
            return memFullErr;
        }
    }
    static const char none[1];
    if (Munger((*te)->hText, a, NULL, b - a, n ? ins : none, n) < 0) {
        SetHandleSize((Handle)te, old);    /* a shrink: cannot fail */
        te_port_end(&ps);
        return memFullErr;
    }
    (*te)->teLength = (short)newlen;
    te_store_lines(te, lines);
    SetHandleSize((Handle)te, te_rec_size(lines));
    te_port_end(&ps);
    return noErr;
}

static bool te_arg(TEHandle te)
{
    if (te == NULL || *te == NULL || (*te)->hText == NULL) {
        g_te_err = paramErr;
        return false;
    }
    g_te_err = noErr;
    return true;
}

static void te_set_sel(TEHandle te, long s, long e)
{
    (*te)->selStart = (short)s;
    (*te)->selEnd = (short)e;
}

void TEInit(void)
{
    g_te_err = noErr;
}

TEHandle TENew(const Rect *destRect, const Rect *viewRect)
{
    if (destRect == NULL || viewRect == NULL || qd.thePort == NULL) {
        g_te_err = paramErr;
        return NULL;
    }
    Rect d = *destRect, vr = *viewRect;
    TEHandle te = (TEHandle)(void *)NewHandleClear(te_rec_size(0));
    if (te == NULL) {
        g_te_err = memFullErr;
        return NULL;
    }
    Handle ht = NewHandle(0);
    if (ht == NULL) {
        DisposeHandle((Handle)te);
        g_te_err = memFullErr;
        return NULL;
    }
    GrafPtr port = qd.thePort;
    TEPtr p = *te;
    p->destRect = d;
    p->viewRect = vr;
    p->hText = ht;
    p->inPort = port;
    p->txFont = port->txFont;
    p->txFace = port->txFace;
    p->txMode = port->txMode;
    p->txSize = port->txSize;
    p->just = teJustLeft;
    p->crOnly = 0;
    FontInfo fi;
    GetFontInfo(&fi);
    (*te)->lineHeight = (short)(fi.ascent + fi.descent + fi.leading);
    (*te)->fontAscent = fi.ascent;
    (*te)->nLines = 0;
    (*te)->lineStarts[0] = 0;
    g_te_err = noErr;
    return te;
}

void TEDispose(TEHandle te)
{
    if (!te_arg(te))
        return;
    DisposeHandle((*te)->hText);
    DisposeHandle((Handle)te);
}

void TESetText(const void *text, long length, TEHandle te)
{
    if (!te_arg(te))
        return;
    if (length < 0 || (length > 0 && text == NULL)) {
        g_te_err = paramErr;
        return;
    }
    OSErr e = te_replace(te, 0, (*te)->teLength, text, length);
    if (e == noErr)
        te_set_sel(te, (*te)->teLength, (*te)->teLength);
    g_te_err = e;
}

CharsHandle TEGetText(TEHandle te)
{
    return te_arg(te) ? (CharsHandle)(*te)->hText : NULL;
}

void TECalText(TEHandle te)
{
    if (!te_arg(te))
        return;
    g_te_err = te_replace(te, 0, 0, NULL, 0);
}

/* Replace the selection by ins[0..n) and put the caret after it, redrawn. */
static void te_type(TEHandle te, const char *ins, long n)
{
    long a = (*te)->selStart, b = (*te)->selEnd;
    OSErr e = te_replace(te, a, b, ins, n);
    g_te_err = e;
    if (e != noErr)
        return;
    te_set_sel(te, a + n, a + n);
    te_redraw(te);
}

/* The caret moved by an arrow key; the selection collapses. */
static void te_arrow(TEHandle te, short key)
{
    long s = (*te)->selStart, e = (*te)->selEnd, len = (*te)->teLength, to;
    if (key == TE_LEFT)
        to = s != e ? s : s > 0 ? s - 1 : 0;
    else if (key == TE_RIGHT)
        to = s != e ? e : e < len ? e + 1 : len;
    else {
        te_port_save ps;
        te_port_begin(te, &ps);
        Point p = te_point_of(te, key == TE_UP ? s : e);
        long line = te_line_of(te, key == TE_UP ? s : e);
        if (key == TE_UP && line == 0)
            to = 0;
        else if (key == TE_DOWN && line >= te_last_line(te))
            to = len;
        else {
            p.v = (short)(p.v + (key == TE_UP ? -(*te)->lineHeight : (*te)->lineHeight));
            to = te_offset_at(te, p);
        }
        te_port_end(&ps);
    }
    te_set_sel(te, to, to);
    te_redraw(te);
}

void TEKey(short key, TEHandle te)
{
    if (!te_arg(te))
        return;
    unsigned char c = (unsigned char)key;
    if (c == TE_BS) {
        long s = (*te)->selStart, e = (*te)->selEnd;
        if (s == e && s == 0)
            return;
        if (s == e)
            (*te)->selStart = (short)(s - 1);
        te_type(te, NULL, 0);
        if (g_te_err != noErr)
            te_set_sel(te, s, e);
    } else if (c == TE_LEFT || c == TE_RIGHT || c == TE_UP || c == TE_DOWN) {
        te_arrow(te, c);
    } else if (c == TE_CR || c >= 0x20) {
        char ch = (char)c;
        te_type(te, &ch, 1);
    }
}

void TEDelete(TEHandle te)
{
    if (te_arg(te) && (*te)->selStart != (*te)->selEnd)
        te_type(te, NULL, 0);
}

void TEInsert(const void *text, long length, TEHandle te)
{
    if (!te_arg(te))
        return;
    if (length < 0 || (length > 0 && text == NULL)) {
        g_te_err = paramErr;
        return;
    }
    long s = (*te)->selStart, e = (*te)->selEnd;
    OSErr err = te_replace(te, s, s, text, length);
    g_te_err = err;
    if (err != noErr)
        return;
    te_set_sel(te, s + length, e + length);
    te_redraw(te);
}

/* ---- the TextEdit scrap ---------------------------------------------------------------- */

void TECopy(TEHandle te)
{
    if (!te_arg(te))
        return;
    long s = (*te)->selStart, n = (*te)->selEnd - s;
    if (g_te_scrap == NULL) {
        THz home = GetZone();
        SetZone(SystemZone());
        g_te_scrap = NewHandle(n);
        SetZone(home);
        if (g_te_scrap == NULL) {
            g_te_err = memFullErr;
            return;
        }
    } else {
        SetHandleSize(g_te_scrap, n);
        if (MemError() != noErr) {
            g_te_err = memFullErr;       /* the old scrap stays */
            return;
        }
    }
    BlockMoveData(*(*te)->hText + s, *g_te_scrap, n);
}

void TECut(TEHandle te)
{
    if (!te_arg(te))
        return;
    TECopy(te);
    if (g_te_err == noErr)
        TEDelete(te);
}

void TEPaste(TEHandle te)
{
    if (!te_arg(te))
        return;
    if (g_te_scrap == NULL) {
        te_type(te, NULL, 0);
        return;
    }
    HLock(g_te_scrap);
    te_type(te, *g_te_scrap, GetHandleSize(g_te_scrap));
    HUnlock(g_te_scrap);
}

Handle TEScrapHandle(void)
{
    return g_te_scrap;
}

long TEGetScrapLength(void)
{
    return g_te_scrap ? GetHandleSize(g_te_scrap) : 0;
}

void te_reset_scrap(void)
{
    if (g_te_scrap)
        DisposeHandle(g_te_scrap);
    g_te_scrap = NULL;
}

/* ---- lines, offsets, points ------------------------------------------------------- */

long te_last_line(TEHandle te)
{
    long len = (*te)->teLength, n = (*te)->nLines;
    if (len == 0 || (unsigned char)(*(*te)->hText)[len - 1] == TE_CR)
        return n;
    return n - 1;
}

long te_line_of(TEHandle te, long off)
{
    long n = (*te)->nLines;
    if (off >= (*te)->teLength)
        return te_last_line(te);
    long lo = 0, hi = n - 1;             /* the last line whose start <= off */
    while (lo < hi) {
        long mid = (lo + hi + 1) / 2;
        if ((*te)->lineStarts[mid] <= off)
            lo = mid;
        else
            hi = mid - 1;
    }
    return lo;
}

Point te_point_of(TEHandle te, long off)
{
    long line = te_line_of(te, off);
    long start = line < (*te)->nLines ? (*te)->lineStarts[line] : (*te)->teLength;
    HLock((*te)->hText);
    short w = TextWidth(*(*te)->hText, (short)start, (short)(off - start));
    HUnlock((*te)->hText);
    Point p = { .v = (short)((*te)->destRect.top + line * (*te)->lineHeight), .h = (short)((*te)->destRect.left + w) };
    return p;
}

long te_offset_at(TEHandle te, Point p)
{
    long line = (p.v - (*te)->destRect.top) / ((*te)->lineHeight > 0 ? (*te)->lineHeight : 1);
    if (p.v < (*te)->destRect.top)
        line = 0;
    long last = te_last_line(te);
    if (line > last)
        line = last;
    if (line >= (*te)->nLines)
        return (*te)->teLength;
    long s = (*te)->lineStarts[line], e = (*te)->lineStarts[line + 1];
    const unsigned char *t = (const unsigned char *)*(*te)->hText;
    long stop = e;
    if (stop > s && (t[stop - 1] == TE_CR || (line < (*te)->nLines - 1 && t[stop - 1] == ' ')))
        stop--;                           /* the caret stays on this line */
    long x = (*te)->destRect.left;
    for (long i = s; i < stop; i++) {
        short w = CharWidth(t[i]);
        if (p.h < x + w / 2)
            return i;
        x += w;
    }
    return stop;
}

OSErr te_check(TEHandle te, Boolean report)
{
    const char *why = NULL;
    if (te == NULL || *te == NULL)
        why = "not a record";
    else if (GetHandleSize((Handle)te) != te_rec_size((*te)->nLines) || MemError() != noErr)
        why = "the record's size does not match nLines";
    else if ((*te)->hText == NULL || GetHandleSize((*te)->hText) != (*te)->teLength || MemError() != noErr)
        why = "hText's size does not match teLength";
    else if ((*te)->selStart < 0 || (*te)->selStart > (*te)->selEnd || (*te)->selEnd > (*te)->teLength)
        why = "the selection is outside the text";
    else if ((*te)->nLines < 0 || (*te)->lineStarts[0] != 0 || (*te)->lineStarts[(*te)->nLines] != (*te)->teLength)
        why = "the line starts do not span the text";
    else
        for (long i = 0; i < (*te)->nLines; i++)
            if ((*te)->lineStarts[i] >= (*te)->lineStarts[i + 1]) {
                why = "the line starts do not increase";
                break;
            }
    if (why && report)
        kprintf("te_check: edit record %p: %s\n", (void *)te, why);
    return why ? paramErr : noErr;
}
