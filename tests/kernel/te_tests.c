/*
 * te_tests.c - the "TextEdit" KTAP suite, at boot on the screen and on the
 * host (tests/host/test_te.c, a 1024x768 buffer, which also types 2000
 * characters through te_typing_run): an edit record made, given text and
 * disposed gives FreeMem back exactly; typing into a small zone with
 * other blocks coming and going moves hText through compactions while
 * its content stays equal to a model; word wrap keeps every line inside
 * destRect and breaks only between words; keys, arrows, insertion,
 * deletion and the scrap; a scripted drag selects, a shift-click
 * extends, a double click selects a word; TEIdle blinks the caret; an
 * edit that cannot get memory changes nothing; te_check reports a
 * damaged record; the drawn record hashes to a stored reference.
 */
#include "kernel_suites.h"
#include "Desktop.h"
#include "MacWindows.h"
#include "MemoryMgr/MemoryManager.h"
#include "MemoryMgr/mm_debug.h"
#include "TextEdit.h"
#include "lib/ktap.h"
#include "platform.h"

enum { KT_TE_MASTERS = 128, KT_TE_SUBZONE = 48 * 1024, KT_TE_BLOCKERS = 64, KT_TE_KERNEL_KEYS = 300 };

static const Rect kt_te_bounds = { 100, 100, 300, 420 };  /* the test window's content, global */

static void kt_te_reserve_masters(void)
{
    static Handle hs[KT_TE_MASTERS];
    for (int i = 0; i < KT_TE_MASTERS; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; i < KT_TE_MASTERS; i++)
        if (hs[i])
            DisposeHandle(hs[i]);
}

static WindowPtr kt_te_window(void)
{
    WindowPtr w = NewWindow(NULL, &kt_te_bounds, (const unsigned char *)"\x04" "Text", true, noGrowDocProc,
                            (WindowPtr)(intptr_t)-1, true, 0);
    if (w) {
        SetPort(w);
        EventRecord e;
        while (GetNextEvent(updateMask, &e)) {
            BeginUpdate(w);
            EndUpdate(w);
        }
    }
    return w;
}

static UInt32 kt_te_px(short h, short v)
{
    const BitMap *sb = &qd.screenBits;
    return *((const UInt32 *)(void *)(sb->baseAddr + (long)(v - sb->bounds.top) * sb->rowBytes) + (h - sb->bounds.left));
}

static UInt32 kt_te_local_px(short h, short v)
{
    return kt_te_px((short)(h + kt_te_bounds.left), (short)(v + kt_te_bounds.top)) & 0xFFFFFF;
}

static bool kt_te_text_is(TEHandle te, const char *s, long n)
{
    if ((*te)->teLength != n || GetHandleSize((*te)->hText) != n)
        return false;
    for (long i = 0; i < n; i++)
        if ((*(*te)->hText)[i] != s[i])
            return false;
    return true;
}

static long kt_te_strlen(const char *s)
{
    long n = 0;
    while (s[n])
        n++;
    return n;
}

static bool kt_te_new_dispose(void)
{
    WindowPtr w = kt_te_window();
    if (w == NULL)
        return false;
    long free0 = FreeMem();
    Rect d = { 10, 10, 60, 200 };
    TEHandle te = TENew(&d, &d);
    bool ok = te != NULL && (*te)->teLength == 0 && (*te)->nLines == 0 && (*te)->inPort == w &&
              (*te)->lineHeight > 0 && te_check(te, true) == noErr;
    static const char hello[] = "Hello, world";
    TESetText(hello, 12, te);
    CharsHandle t = TEGetText(te);
    ok = ok && t == (CharsHandle)(*te)->hText && kt_te_text_is(te, hello, 12) && (*te)->selStart == 12 &&
         (*te)->selEnd == 12 && (*te)->nLines == 1 && te_check(te, true) == noErr;
    TESetText(NULL, 0, te);
    ok = ok && (*te)->teLength == 0 && GetHandleSize((*te)->hText) == 0 && te_check(te, true) == noErr;
    TEDispose(te);
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("FreeMem %ld -> %ld", free0, free1);
    DisposeWindow(w);
    return ok && free1 == free0;
}

static UInt32 kt_te_rand(UInt32 *s)
{
    *s = *s * 1103515245u + 12345u;
    return *s >> 8;
}

/*
 * Type `keys` keys into a record in a small zone of its own: letters,
 * spaces, returns, backspaces and left/right arrows, checked against a
 * plain model; every 12 keys a blocker block is made behind the text,
 * every 100 keys every other blocker goes and the zone is compacted.
 * The content must equal the model throughout, hText must have moved,
 * and the zone's FreeMem must come back exactly.
 */
bool te_typing_run(int keys, int *moves, int *compactions)
{
    *moves = 0;
    *compactions = 0;
    WindowPtr w = kt_te_window();
    Ptr block = NewPtr(KT_TE_SUBZONE);
    static char model[8192];
    if (w == NULL || block == NULL || keys > (int)sizeof model) {
        if (w) DisposeWindow(w);
        if (block) DisposePtr(block);
        return false;
    }
    THz home = GetZone();
    InitZone(NULL, 64, block + KT_TE_SUBZONE, block);
    THz sub = GetZone();
    static Handle hs[KT_TE_BLOCKERS * 4];
    for (int i = 0; i < KT_TE_BLOCKERS * 4; i++)
        hs[i] = NewEmptyHandle();
    for (int i = 0; i < KT_TE_BLOCKERS * 4; i++)
        if (hs[i])
            DisposeHandle(hs[i]);
    long free0 = FreeMem();
    Rect d = { 8, 8, 56, 300 };
    TEHandle te = TENew(&d, &d);
    static Handle blockers[KT_TE_BLOCKERS];
    int nb = 0;
    long len = 0, caret = 0;
    UInt32 seed = 0x7e57;
    bool ok = te != NULL;
    if (ok)
        TEActivate(te);
    Ptr last = ok ? *(*te)->hText : NULL;
    for (int k = 0; ok && k < keys; k++) {
        UInt32 r = kt_te_rand(&seed) % 100;
        short key;
        if (r < 10) key = ' ';
        else if (r < 13) key = 0x0D;
        else if (r < 20) key = 0x08;
        else if (r < 23) key = 0x1C;
        else if (r < 26) key = 0x1D;
        else key = (short)('a' + kt_te_rand(&seed) % 26);
        TEKey(key, te);
        if (te_error() != noErr) {
            ktap_diag("key %d: TEKey error %d", k, te_error());
            ok = false;
            break;
        }
        if (key == 0x08) {
            if (caret > 0) {
                for (long i = caret - 1; i < len - 1; i++)
                    model[i] = model[i + 1];
                len--;
                caret--;
            }
        } else if (key == 0x1C) {
            caret = caret > 0 ? caret - 1 : 0;
        } else if (key == 0x1D) {
            caret = caret < len ? caret + 1 : len;
        } else {
            for (long i = len; i > caret; i--)
                model[i] = model[i - 1];
            model[caret++] = (char)key;
            len++;
        }
        if (*(*te)->hText != last) {
            (*moves)++;
            last = *(*te)->hText;
        }
        if (k % 12 == 11 && nb < KT_TE_BLOCKERS)
            blockers[nb++] = NewHandle(48);
        if (k % 100 == 99) {
            for (int i = 0; i < nb; i += 2)
                if (blockers[i]) {
                    DisposeHandle(blockers[i]);
                    blockers[i] = NULL;
                }
            CompactMem(maxSize);
            (*compactions)++;
            if (*(*te)->hText != last) {
                (*moves)++;
                last = *(*te)->hText;
            }
            ok = kt_te_text_is(te, model, len) && (*te)->selStart == caret && te_check(te, true) == noErr;
            if (!ok)
                ktap_diag("after key %d the text differs from the model (length %d, want %ld)", k, (*te)->teLength, len);
        }
    }
    ok = ok && kt_te_text_is(te, model, len) && (*te)->selStart == caret && (*te)->selEnd == caret &&
         te_check(te, true) == noErr && mm_check_zone(sub, "TextEdit typing", true) == noErr;
    if (te)
        TEDispose(te);
    for (int i = 0; i < nb; i++)
        if (blockers[i])
            DisposeHandle(blockers[i]);
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("typing zone FreeMem %ld -> %ld", free0, free1);
    ok = ok && free1 == free0 && mm_check_zone(sub, "TextEdit typing", true) == noErr;
    SetZone(home);
    DisposePtr(block);
    SetPort(w);
    DisposeWindow(w);
    return ok;
}

static bool kt_te_typing(void)
{
    int moves = 0, compactions = 0;
    bool ok = te_typing_run(KT_TE_KERNEL_KEYS, &moves, &compactions);
    ktap_diag("typing %d keys: hText moved %d times over %d compactions", KT_TE_KERNEL_KEYS, moves, compactions);
    return ok && moves >= 3 && compactions >= 3;
}

/* Every line fits destRect's width (trailing spaces aside), breaks only
 * after a space or a return (or inside a word wider than the line), and
 * the next line's first word would not have fitted. */
static bool kt_te_wrap(void)
{
    WindowPtr w = kt_te_window();
    if (w == NULL)
        return false;
    static const char text[] = "The Memory Manager moves relocatable blocks whenever it compacts a heap, "
                               "so TextEdit keeps its text in a handle.\rShort line.\r\r"
                               "Averyveryveryverylongwordthatcannotfitononeline at all and more words after it.";
    long n = kt_te_strlen(text);
    Rect d = { 10, 10, 150, 190 };
    TEHandle te = TENew(&d, &d);
    bool ok = te != NULL;
    if (ok)
        TESetText(text, n, te);
    ok = ok && te_check(te, true) == noErr && (*te)->nLines > 6;
    short width = (short)(d.right - d.left);
    for (long l = 0; ok && l < (*te)->nLines; l++) {
        long s = (*te)->lineStarts[l], e = (*te)->lineStarts[l + 1], t = e;
        while (t > s && (text[t - 1] == ' ' || text[t - 1] == '\r'))
            t--;
        short lw = TextWidth(text, (short)s, (short)(t - s));
        bool last = l == (*te)->nLines - 1, cr = text[e - 1] == '\r', space = text[e - 1] == ' ';
        bool in_word = false;
        for (long i = s; i < t; i++)
            in_word = in_word || text[i] == ' ';
        if (lw > width && in_word) {
            ktap_diag("line %ld is %d pixels wide, more than %d", l, lw, width);
            ok = false;
        }
        if (!last && !cr) {
            long ws = e, we = e;
            while (we < n && text[we] != ' ' && text[we] != '\r')
                we++;
            short next = TextWidth(text, (short)ws, (short)(we - ws));
            short gap = TextWidth(text, (short)t, (short)(e - t));
            if (space && lw + gap + next <= width) {
                ktap_diag("line %ld breaks before a word that fits", l);
                ok = false;
            }
            if (!space && in_word) {
                ktap_diag("line %ld breaks inside a word", l);
                ok = false;
            }
        }
    }
    static const char two[] = "ab\rcd";
    TESetText(two, 5, te);
    ok = ok && (*te)->nLines == 2 && (*te)->lineStarts[1] == 3 && (*te)->lineStarts[2] == 5;
    TESetText("ab\r", 3, te);
    ok = ok && (*te)->nLines == 1 && te_check(te, true) == noErr;
    if (te)
        TEDispose(te);
    DisposeWindow(w);
    return ok;
}

static bool kt_te_keys(void)
{
    WindowPtr w = kt_te_window();
    if (w == NULL)
        return false;
    Rect d = { 10, 10, 80, 300 };
    TEHandle te = TENew(&d, &d);
    if (te == NULL) {
        DisposeWindow(w);
        return false;
    }
    TEActivate(te);
    TESetText("abc\rdef", 7, te);
    TESetSelect(1, 1, te);
    TEKey(0x1D, te);
    bool ok = (*te)->selStart == 2 && (*te)->selEnd == 2;
    TEKey(0x1F, te);                                   /* down: the same column of "def" */
    ok = ok && (*te)->selStart == 6;
    TEKey(0x1E, te);
    ok = ok && (*te)->selStart == 2;
    TEKey(0x1E, te);                                   /* up from the first line: the start */
    ok = ok && (*te)->selStart == 0;
    TEKey(0x08, te);                                   /* nothing before the caret */
    ok = ok && kt_te_text_is(te, "abc\rdef", 7);
    TESetSelect(5, 1, te);                             /* reversed: ordered */
    ok = ok && (*te)->selStart == 1 && (*te)->selEnd == 5;
    TEKey(0x1C, te);                                   /* left collapses to the start */
    ok = ok && (*te)->selStart == 1 && (*te)->selEnd == 1;
    TESetSelect(1, 3, te);
    TEKey('X', te);                                    /* typing replaces the selection */
    ok = ok && kt_te_text_is(te, "aX\rdef", 6) && (*te)->selStart == 2;
    TESetSelect(3, 5, te);
    TEInsert("12", 2, te);                             /* before the selection, which keeps its text */
    ok = ok && kt_te_text_is(te, "aX\r12def", 8) && (*te)->selStart == 5 && (*te)->selEnd == 7;
    TECopy(te);
    ok = ok && TEGetScrapLength() == 2 && (*TEScrapHandle())[0] == 'd';
    TECut(te);
    ok = ok && kt_te_text_is(te, "aX\r12f", 6) && (*te)->selStart == 5;
    TESetSelect(0, 0, te);
    TEPaste(te);
    ok = ok && kt_te_text_is(te, "deaX\r12f", 8) && (*te)->selStart == 2;
    TESetSelect(0, 100, te);                           /* pinned */
    ok = ok && (*te)->selEnd == 8;
    TEDelete(te);
    ok = ok && (*te)->teLength == 0 && (*te)->nLines == 0 && te_check(te, true) == noErr;
    TEKey(0x0D, te);
    TEKey('z', te);
    ok = ok && kt_te_text_is(te, "\rz", 2) && (*te)->nLines == 2 && te_check(te, true) == noErr;
    TEKey(0x01, te);                                   /* a control character: ignored */
    ok = ok && (*te)->teLength == 2;
    TEKey(0x08, NULL);
    ok = ok && te_error() == paramErr;
    TEDispose(te);
    te_reset_scrap();
    DisposeWindow(w);
    return ok;
}

/* The record's text starts at local (10, 10); "Hello world\rsecond line". */
static const ev_step kt_te_script[] = {
    { .op = evStepMove, .where = { .v = 114, .h = 112 }, .ticks = 2 },
    { .op = evStepDown },
    { .op = evStepMove, .where = { .v = 0, .h = 0 }, .ticks = 3 },   /* set below: the drag's end */
    { .op = evStepUp },
    { .op = evStepPause, .ticks = 2 },
    { .op = evStepEnd },
};

static void kt_te_wait_ticks(UInt32 n);

static bool kt_te_click(void)
{
    WindowPtr w = kt_te_window();
    if (w == NULL)
        return false;
    Rect d = { 10, 10, 80, 300 };
    TEHandle te = TENew(&d, &d);
    if (te == NULL) {
        DisposeWindow(w);
        return false;
    }
    static const char text[] = "Hello world\rsecond line";
    TESetText(text, 23, te);
    TEActivate(te);
    short lh = (*te)->lineHeight;
    /* The drag: from offset 1 (before "Hello"'s 'e') to offset 12 + 3 on the second line. */
    short x1 = (short)(10 + TextWidth(text, 0, 1) + 1), x2 = (short)(10 + TextWidth(text, 12, 3) + 1);
    static ev_step s[sizeof kt_te_script / sizeof kt_te_script[0]];
    for (unsigned i = 0; i < sizeof s / sizeof s[0]; i++)
        s[i] = kt_te_script[i];
    s[0].where = (Point){ .v = (short)(kt_te_bounds.top + 12), .h = (short)(kt_te_bounds.left + x1) };
    s[2].where = (Point){ .v = (short)(kt_te_bounds.top + 10 + lh + 2), .h = (short)(kt_te_bounds.left + x2) };
    FlushEvents(everyEvent, 0);
    bool ok = ev_script_start(s, sizeof s / sizeof s[0]) == noErr;
    UInt32 start = TickCount();
    int clicks = 0;
    while (ok) {
        bool running = ev_script_running();
        EventRecord e;
        while (GetNextEvent(mDownMask, &e)) {
            SetPort(w);
            Point p = e.where;
            GlobalToLocal(&p);
            TEClick(p, (e.modifiers & shiftKey) != 0, te);
            clicks++;
        }
        if (!running)
            break;
        if (TickCount() - start > 600) {
            ktap_diag("the TextEdit script did not finish");
            ok = false;
        }
        plat_idle();
    }
    FlushEvents(everyEvent, 0);
    if (ok && !(clicks == 1 && (*te)->selStart == 1 && (*te)->selEnd == 15)) {
        ktap_diag("drag: %d clicks, selection %d..%d, want 1..15", clicks, (*te)->selStart, (*te)->selEnd);
        ok = false;
    }
    /* The highlight: a pixel inside the selection on the first line is black where the text is not. */
    ok = ok && kt_te_local_px((short)(10 + TextWidth(text, 0, 11) - 1), (short)(10 + lh - 1)) == 0;
    /* Shift-click before the anchor extends from the far end. */
    Point p = { .v = 12, .h = 11 };
    TEClick(p, true, te);
    ok = ok && (*te)->selStart == 0 && (*te)->selEnd == 15;
    p = (Point){ .v = (short)(12 + lh), .h = 300 };    /* a plain click past the end of the last line */
    TEClick(p, false, te);
    ok = ok && (*te)->selStart == 23 && (*te)->selEnd == 23;
    kt_te_wait_ticks(te_double_ticks + 1);
    p = (Point){ .v = 12, .h = (short)(10 + TextWidth(text, 0, 8) + 1) };   /* in "world" */
    TEClick(p, false, te);
    ok = ok && (*te)->selStart == 8 && (*te)->selEnd == 8;
    TEClick(p, false, te);                             /* again at once: the word */
    ok = ok && (*te)->selStart == 6 && (*te)->selEnd == 11;
    TEClick(p, false, te);                             /* a third click: a caret */
    ok = ok && (*te)->selStart == 8 && (*te)->selEnd == 8;
    TEDispose(te);
    DisposeWindow(w);
    return ok;
}

static void kt_te_wait_ticks(UInt32 n)
{
    UInt32 t0 = TickCount();
    while (TickCount() - t0 < n)
        plat_idle();
}

static bool kt_te_caret(void)
{
    WindowPtr w = kt_te_window();
    if (w == NULL)
        return false;
    Rect d = { 10, 10, 80, 300 };
    TEHandle te = TENew(&d, &d);
    if (te == NULL) {
        DisposeWindow(w);
        return false;
    }
    TESetText("ab", 2, te);
    TESetSelect(1, 1, te);
    short cx = (short)(10 + TextWidth("ab", 0, 1) - 1), cy = (short)(10 + (*te)->lineHeight - 2);
    bool ok = (*te)->caretState == 0 && kt_te_local_px(cx, cy) == 0xFFFFFF;
    TEActivate(te);
    ok = ok && (*te)->caretState != 0 && kt_te_local_px(cx, cy) == 0;
    TEIdle(te);                                        /* too soon: no change */
    ok = ok && (*te)->caretState != 0;
    kt_te_wait_ticks(te_caret_ticks);
    TEIdle(te);
    ok = ok && (*te)->caretState == 0 && kt_te_local_px(cx, cy) == 0xFFFFFF;
    kt_te_wait_ticks(te_caret_ticks);
    TEIdle(te);
    ok = ok && (*te)->caretState != 0 && kt_te_local_px(cx, cy) == 0;
    TEDeactivate(te);
    ok = ok && (*te)->caretState == 0 && kt_te_local_px(cx, cy) == 0xFFFFFF;
    kt_te_wait_ticks(te_caret_ticks);
    TEIdle(te);                                        /* inactive: no caret */
    ok = ok && (*te)->caretState == 0;
    TEDispose(te);
    DisposeWindow(w);
    return ok;
}

/* Edits in a zone with no room left change nothing and say memFullErr. */
static bool kt_te_memfull(void)
{
    enum { Z = 8 * 1024 };
    WindowPtr w = kt_te_window();
    Ptr block = NewPtr(Z);
    if (w == NULL || block == NULL) {
        if (w) DisposeWindow(w);
        if (block) DisposePtr(block);
        return false;
    }
    THz home = GetZone();
    InitZone(NULL, 32, block + Z, block);
    THz sub = GetZone();
    Rect d = { 10, 10, 80, 300 };
    TEHandle te = TENew(&d, &d);
    bool ok = te != NULL;
    static char text[600];
    for (int i = 0; i < 600; i++)
        text[i] = (char)(i % 7 == 6 ? ' ' : 'a' + i % 26);
    if (ok)
        TESetText(text, 600, te);
    ok = ok && te_error() == noErr;
    Ptr fill[64] = { 0 };
    for (int i = 0; i < 64; i++) {
        long f = MaxBlock();
        if (f <= 0)
            break;
        fill[i] = NewPtr(f > 2048 ? 2048 : f);
        if (fill[i] == NULL)
            break;
    }
    long before = FreeMem();
    short lines = ok ? (*te)->nLines : 0;
    int failures = 0;
    for (int k = 0; ok && k < 64; k++) {
        TEKey('q', te);
        if (te_error() == memFullErr) {
            failures++;
            break;
        }
    }
    long len = ok ? (*te)->teLength : 0;
    ok = ok && failures == 1 && FreeMem() <= before && te_check(te, true) == noErr &&
         (*te)->nLines >= lines && mm_check_zone(sub, "TextEdit memfull", true) == noErr;
    if (ok) {
        TEKey('q', te);                                /* still full: still nothing */
        ok = te_error() == memFullErr && (*te)->teLength == len && te_check(te, true) == noErr;
    }
    for (int i = 0; i < 64; i++)
        if (fill[i])
            DisposePtr(fill[i]);
    if (ok) {
        TEKey('q', te);                                /* room again */
        ok = te_error() == noErr && (*te)->teLength == len + 1;
    }
    if (te)
        TEDispose(te);
    SetZone(home);
    DisposePtr(block);
    SetPort(w);
    DisposeWindow(w);
    return ok;
}

/* te_check finds each kind of damage. */
static bool kt_te_check_damage(void)
{
    WindowPtr w = kt_te_window();
    if (w == NULL)
        return false;
    Rect d = { 10, 10, 80, 60 };
    TEHandle te = TENew(&d, &d);
    bool ok = te != NULL;
    if (ok)
        TESetText("one two three four", 18, te);
    ok = ok && (*te)->nLines >= 3 && te_check(te, false) == noErr;
    if (ok) {
        short keep = (*te)->lineStarts[1];
        (*te)->lineStarts[1] = (*te)->lineStarts[2];     /* not increasing */
        ok = ok && te_check(te, false) == paramErr;
        (*te)->lineStarts[1] = keep;
        (*te)->selEnd = 40;                              /* past the text */
        ok = ok && te_check(te, false) == paramErr;
        (*te)->selEnd = 18;
        (*te)->teLength = 17;                            /* hText is longer */
        ok = ok && te_check(te, false) == paramErr;
        (*te)->teLength = 18;
        (*te)->nLines = (short)((*te)->nLines - 1);      /* the block is longer */
        ok = ok && te_check(te, false) == paramErr;
        (*te)->nLines = (short)((*te)->nLines + 1);
        ok = ok && te_check(te, true) == noErr && te_check(NULL, false) == paramErr;
    }
    if (te)
        TEDispose(te);
    DisposeWindow(w);
    return ok;
}

/* FNV-1a of the test window's content pixels. */
static UInt32 kt_te_hash(void)
{
    UInt32 h = 2166136261u;
    HideCursor();
    for (short v = kt_te_bounds.top; v < kt_te_bounds.bottom; v++)
        for (short x = kt_te_bounds.left; x < kt_te_bounds.right; x++) {
            h ^= kt_te_px(x, v) & 0xFFFFFF;
            h *= 16777619u;
        }
    ShowCursor();
    return h;
}

/* The reference hash of a wrapped paragraph with a selection over two lines. */
static const UInt32 kt_te_render_hash = 0x4d6fec1fu;

static bool kt_te_render(UInt32 *hash)
{
    WindowPtr w = kt_te_window();
    if (w == NULL)
        return false;
    Rect d = { 12, 12, 188, 300 }, v = { 12, 12, 80, 300 }, frame = { 10, 10, 82, 302 };
    TEHandle te = TENew(&d, &v);
    if (te == NULL) {
        DisposeWindow(w);
        return false;
    }
    static const char text[] = "TextEdit lays its text out in lines that wrap between words inside the destination "
                               "rectangle and draws what falls in the view rectangle.\rA second paragraph, "
                               "long enough to be cut off at the bottom of the view by its clipping.";
    TESetText(text, kt_te_strlen(text), te);
    TEActivate(te);
    TESetSelect(30, 110, te);
    HideCursor();
    FrameRect(&frame);
    ShowCursor();
    *hash = kt_te_hash();
    TEDispose(te);
    DisposeWindow(w);
    return true;
}

int te_run_tests(void)
{
    ktap_suite s;
    ktap_suite_begin(&s, "TextEdit", 10);
    THz home = GetZone(), app = ApplicationZone();
    if (app != NULL)
        SetZone(app);
    kt_te_reserve_masters();
    long free0 = FreeMem();
    InitWindows();
    TEInit();
    ktap_check(&s, kt_te_new_dispose(), "new_settext_dispose_freemem_exact");
    ktap_check(&s, kt_te_typing(), "typing_moves_htext_through_compactions_model_exact");
    ktap_check(&s, kt_te_wrap(), "word_wrap_inside_destrect_between_words");
    ktap_check(&s, kt_te_keys(), "keys_arrows_insert_delete_scrap");
    ktap_check(&s, kt_te_click(), "scripted_drag_selects_shift_click_extends_double_click_word");
    ktap_check(&s, kt_te_caret(), "teidle_blinks_the_caret");
    ktap_check(&s, kt_te_memfull(), "memfullerr_changes_nothing");
    ktap_check(&s, kt_te_check_damage(), "te_check_reports_damage");
    UInt32 h = 0;
    bool drawn = kt_te_render(&h);
    if (h != kt_te_render_hash)
        ktap_diag("text drawn: hash %08lx, reference %08lx", (unsigned long)h, (unsigned long)kt_te_render_hash);
    ktap_check(&s, drawn && h == kt_te_render_hash, "text_render_hash");
    te_reset_scrap();
    long free1 = FreeMem();
    if (free1 != free0)
        ktap_diag("FreeMem %ld -> %ld", free0, free1);
    ktap_check(&s, free1 == free0 && mm_check_zone(GetZone(), "TextEdit", true) == noErr,
               "application_zone_back_exactly_and_heap_check");
    SetZone(home);
    return ktap_suite_end(&s);
}
