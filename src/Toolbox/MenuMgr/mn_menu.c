/*
 * mn_menu.c - one menu's record: NewMenu, GetMenu, DisposeMenu, the items
 * (AppendMenu and InsertMenuItem with their metacharacters, DeleteMenuItem,
 * CountMItems), their text, marks, key equivalents, styles and enable bits,
 * and CalcMenuSize.
 *
 * The record is a MenuInfo in one handle (see Menus.h). Items are inserted
 * and deleted with Munger, so the block grows and shrinks in place or moves
 * as the Memory Manager decides; no pointer into it is kept across a call
 * that may allocate. Every entry point checks the record first
 * (mn_check_menu) and changes nothing in one that is damaged.
 */
#include "mn_internal.h"

#include "Resources.h"
#include "lib/kprintf.h"

static unsigned char *mn_bytes(MenuHandle m)
{
    return (unsigned char *)(void *)*m;
}

static void mn_set_err(OSErr e)
{
    g_mn.err = e;
}

OSErr mn_error(void)
{
    return g_mn.err;
}

static OSErr mn_check_fail(Boolean report, MenuHandle m, const char *why, long at)
{
    if (report)
        kprintf("Menu Manager: menu %p is damaged: %s (offset %ld)\n", (void *)m, why, at);
    return paramErr;
}

OSErr mn_check_menu(MenuHandle m, Boolean report)
{
    if (m == NULL || *m == NULL)
        return mn_check_fail(report, m, "NULL handle or empty master pointer", 0);
    Size n = GetHandleSize((Handle)m);
    if (MemError() != noErr || n < MN_DATA + 2)
        return mn_check_fail(report, m, "not a handle of at least a MenuInfo header, title and end byte", 0);
    const unsigned char *b = mn_bytes(m);
    long at = MN_DATA + 1 + b[MN_DATA];
    while (at < n && b[at] != 0) {
        at += 1 + b[at] + MN_ATTRS;
        if (at > n)
            return mn_check_fail(report, m, "an item runs past the end of the block", at);
    }
    if (at != n - 1)
        return mn_check_fail(report, m, "the end byte is not the block's last byte", at);
    return noErr;
}

bool mn_valid(MenuHandle m)
{
    return mn_check_menu(m, false) == noErr;
}

long mn_item_off(MenuHandle m, short item)
{
    if (item < 1)
        return -1;
    const unsigned char *b = mn_bytes(m);
    long at = MN_DATA + 1 + b[MN_DATA];
    for (short i = 1; i < item; i++) {
        if (b[at] == 0)
            return -1;
        at += 1 + b[at] + MN_ATTRS;
    }
    return at;
}

short mn_count(MenuHandle m)
{
    const unsigned char *b = mn_bytes(m);
    long at = MN_DATA + 1 + b[MN_DATA];
    short n = 0;
    while (b[at] != 0) {
        at += 1 + b[at] + MN_ATTRS;
        n++;
    }
    return n;
}

/* The offset of an existing item (1..count), -1 otherwise. */
static long mn_existing(MenuHandle m, short item)
{
    long at = mn_item_off(m, item);
    return at >= 0 && mn_bytes(m)[at] != 0 ? at : -1;
}

const unsigned char *mn_item_text(MenuHandle m, short item)
{
    return mn_bytes(m) + mn_existing(m, item);
}

unsigned char mn_item_attr(MenuHandle m, short item, int k)
{
    const unsigned char *b = mn_bytes(m);
    long at = mn_existing(m, item);
    return b[at + 1 + b[at] + k];
}

static bool mn_bit(long flags, short n)
{
    return n > MN_FLAG_ITEMS || ((unsigned long)flags >> n & 1u) != 0;
}

bool mn_item_enabled(MenuHandle m, short item)
{
    return mn_bit((*m)->enableFlags, 0) && mn_bit((*m)->enableFlags, item) && !mn_item_divider(m, item);
}

bool mn_item_divider(MenuHandle m, short item)
{
    const unsigned char *t = mn_item_text(m, item);
    return t[0] >= 1 && t[1] == '-';
}

short mn_item_height(MenuHandle m, short item)
{
    return mn_item_divider(m, item) ? MN_DIVIDER_H : MN_ITEM_H;
}

/* Validates the menu and the item: the item's offset, or -1 (paramErr). */
static long mn_arg(MenuHandle m, short item)
{
    if (!mn_valid(m)) {
        mn_set_err(paramErr);
        return -1;
    }
    long at = mn_existing(m, item);
    mn_set_err(at < 0 ? paramErr : noErr);
    return at;
}

static void mn_resized(MenuHandle m)
{
    (*m)->menuWidth = -1;
    (*m)->menuHeight = -1;
}

/* ---- creating and disposing ------------------------------------------------------------ */

MenuHandle NewMenu(MenuID menuID, ConstStr255Param menuTitle)
{
    unsigned char len = menuTitle ? menuTitle[0] : 0;
    MenuHandle m = (MenuHandle)(void *)NewHandleClear(MN_DATA + 1 + len + 1);
    if (m == NULL) {
        mn_set_err(memFullErr);
        return NULL;
    }
    (*m)->menuID = menuID;
    (*m)->menuProc = NULL;
    (*m)->enableFlags = -1;                      /* everything enabled */
    if (len)
        BlockMoveData(menuTitle, mn_bytes(m) + MN_DATA, 1 + len);
    mn_resized(m);
    mn_set_err(noErr);
    return m;
}

/* Insert one item's bytes before offset `at`, with its enable bit as item `index`. */
static bool mn_insert_raw(MenuHandle m, long at, short index, const unsigned char *text,
                          const unsigned char attrs[MN_ATTRS], bool enabled)
{
    unsigned char buf[1 + 255 + MN_ATTRS];
    BlockMoveData(text, buf, 1 + text[0]);
    BlockMoveData(attrs, buf + 1 + text[0], MN_ATTRS);
    if (Munger((Handle)m, at, NULL, 0, buf, 1 + text[0] + MN_ATTRS) < 0) {
        mn_set_err(MemError() == noErr ? memFullErr : MemError());
        return false;
    }
    if (index <= MN_FLAG_ITEMS) {
        unsigned long f = (unsigned long)(*m)->enableFlags;
        unsigned long low = f & ((1ul << index) - 1);             /* the menu and items before */
        unsigned long high = index < MN_FLAG_ITEMS ? (f >> index) << (index + 1) : 0;   /* items from index on move up one */
        f = low | high | (enabled ? 1ul << index : 0);
        (*m)->enableFlags = (long)f;
    }
    mn_resized(m);
    return true;
}

static unsigned char mn_style_of(unsigned char c)
{
    switch (c) {
    case 'B': return bold;
    case 'I': return italic;
    case 'U': return underline;
    case 'O': return outline;
    case 'S': return shadow;
    default: return 0;
    }
}

/*
 * Parse items from data[at..end) (metacharacters, Menus.h) and insert them
 * after item `after`; stops at the first that does not fit (memFullErr).
 */
static void mn_insert_parsed(MenuHandle m, ConstStr255Param data, short after)
{
    if (!mn_valid(m) || data == NULL) {
        mn_set_err(paramErr);
        return;
    }
    short count = mn_count(m);
    if (after < 0 || after > count)
        after = count;
    mn_set_err(noErr);
    int i = 1, n = data[0];
    while (i <= n) {
        unsigned char text[256] = { 0 }, attrs[MN_ATTRS] = { 0 };
        bool enabled = true;
        for (; i <= n && data[i] != ';' && data[i] != '\r'; i++) {
            unsigned char c = data[i], next = i < n ? data[i + 1] : 0;
            if (c == '^' && i < n) {
                attrs[0] = (unsigned char)(next - '0');
                i++;
            } else if (c == '!' && i < n) {
                attrs[2] = next;
                i++;
            } else if (c == '<' && i < n) {
                attrs[3] |= mn_style_of(next);
                i++;
            } else if (c == '/' && i < n) {
                attrs[1] = next >= 'a' && next <= 'z' ? (unsigned char)(next - 'a' + 'A') : next;
                i++;
            } else if (c == '(') {
                enabled = false;
            } else {
                text[++text[0]] = c;
            }
        }
        i++;                                          /* the separator */
        if (text[0] == 0)
            continue;                                 /* an empty item would end the list: skipped */
        if (text[1] == '-')
            enabled = false;
        after++;
        long at = mn_item_off(m, after);
        if (!mn_insert_raw(m, at, after, text, attrs, enabled))
            return;
    }
}

void AppendMenu(MenuHandle menu, ConstStr255Param data)
{
    mn_insert_parsed(menu, data, 32767);
}

void InsertMenuItem(MenuHandle theMenu, ConstStr255Param itemString, short afterItem)
{
    mn_insert_parsed(theMenu, itemString, afterItem);
}

void DeleteMenuItem(MenuHandle m, short item)
{
    long at = mn_arg(m, item);
    if (at < 0)
        return;
    long len = 1 + mn_bytes(m)[at] + MN_ATTRS;
    Munger((Handle)m, at, NULL, len, "", 0);                     /* shrinks: cannot fail */
    if (item <= MN_FLAG_ITEMS) {
        unsigned long f = (unsigned long)(*m)->enableFlags;
        unsigned long low = f & ((1ul << item) - 1);
        unsigned long high = item < MN_FLAG_ITEMS ? (f >> (item + 1)) << item : 0;
        (*m)->enableFlags = (long)(low | high | 1ul << MN_FLAG_ITEMS);   /* item 63 takes the always-enabled 64th */
    }
    mn_resized(m);
}

short CountMItems(MenuHandle m)
{
    if (!mn_valid(m)) {
        mn_set_err(paramErr);
        return 0;
    }
    mn_set_err(noErr);
    return mn_count(m);
}

static unsigned short mn_be16(const unsigned char *b)
{
    return (unsigned short)(b[0] << 8 | b[1]);
}

/* A MENU resource's bytes: ID, width, height, definition ID, 0, flags (32 bits), title, items, 0. */
static MenuHandle mn_from_resource(const unsigned char *b, Size n)
{
    enum { R_FLAGS = 10, R_TITLE = 14 };
    if (n < R_TITLE + 2 || R_TITLE + 1 + b[R_TITLE] >= n) {
        mn_set_err(paramErr);
        return NULL;
    }
    long at = R_TITLE + 1 + b[R_TITLE];
    while (at < n && b[at] != 0)
        at += 1 + b[at] + MN_ATTRS;
    if (at != n - 1) {
        mn_set_err(paramErr);
        return NULL;
    }
    Str255 title;
    BlockMoveData(b + R_TITLE, title, 1 + b[R_TITLE]);
    MenuHandle m = NewMenu((MenuID)mn_be16(b), title);
    if (m == NULL)
        return NULL;
    long tail = n - 1 - (R_TITLE + 1 + b[R_TITLE]);                 /* the items' bytes */
    SetHandleSize((Handle)m, GetHandleSize((Handle)m) + tail);
    if (MemError() != noErr) {
        DisposeHandle((Handle)m);
        mn_set_err(memFullErr);
        return NULL;
    }
    long dst = MN_DATA + 1 + b[R_TITLE];
    BlockMoveData(b + R_TITLE + 1 + b[R_TITLE], mn_bytes(m) + dst, tail);
    mn_bytes(m)[dst + tail] = 0;
    unsigned long f32 = (unsigned long)b[R_FLAGS] << 24 | (unsigned long)b[R_FLAGS + 1] << 16 |
                        (unsigned long)b[R_FLAGS + 2] << 8 | b[R_FLAGS + 3];
    (*m)->enableFlags = (long)(f32 | ~0ul << 32);                   /* items past 31: enabled */
    mn_resized(m);
    if (!mn_valid(m)) {
        DisposeHandle((Handle)m);
        mn_set_err(paramErr);
        return NULL;
    }
    mn_set_err(noErr);
    return m;
}

MenuHandle GetMenu(short resourceID)
{
    Handle r = GetResource((ResType)('M' << 24 | 'E' << 16 | 'N' << 8 | 'U'), resourceID);
    if (r == NULL || *r == NULL) {
        mn_set_err(ResError() == noErr ? resNotFound : ResError());
        return NULL;
    }
    SInt8 state = HGetState(r);
    HLock(r);                                      /* NewMenu must neither move nor purge the template */
    MenuHandle m = mn_from_resource((const unsigned char *)*r, GetHandleSize(r));
    HSetState(r, state);
    OSErr e = mn_error();
    ReleaseResource(r);                            /* the record is a copy: the template goes */
    mn_set_err(e);
    return m;
}

void DisposeMenu(MenuHandle m)
{
    if (m == NULL || *m == NULL) {
        mn_set_err(paramErr);
        return;
    }
    if (g_mn.list != NULL)
        for (short i = 0; i < mn_head()->count; i++)
            if (mn_entry(i)->menuOH == m) {
                DeleteMenu((*m)->menuID);
                break;
            }
    DisposeHandle((Handle)m);
    mn_set_err(MemError());
}

/* ---- item attributes ----------------------------------------------------------------------- */

static void mn_set_attr(MenuHandle m, short item, int k, unsigned char v)
{
    long at = mn_arg(m, item);
    if (at < 0)
        return;
    unsigned char *b = mn_bytes(m);
    b[at + 1 + b[at] + k] = v;
    mn_resized(m);
}

static unsigned char mn_get_attr(MenuHandle m, short item, int k)
{
    long at = mn_arg(m, item);
    if (at < 0)
        return 0;
    const unsigned char *b = mn_bytes(m);
    return b[at + 1 + b[at] + k];
}

void SetItemMark(MenuHandle m, short item, CharParameter markChar)
{
    mn_set_attr(m, item, 2, (unsigned char)markChar);
}

void GetItemMark(MenuHandle m, short item, CharParameter *markChar)
{
    unsigned char v = mn_get_attr(m, item, 2);
    if (markChar)
        *markChar = v;
}

void CheckItem(MenuHandle m, short item, Boolean checked)
{
    SetItemMark(m, item, checked ? checkMark : noMark);
}

void SetItemCmd(MenuHandle m, short item, CharParameter cmdChar)
{
    unsigned char c = (unsigned char)cmdChar;
    mn_set_attr(m, item, 1, c >= 'a' && c <= 'z' ? (unsigned char)(c - 'a' + 'A') : c);
}

void GetItemCmd(MenuHandle m, short item, CharParameter *cmdChar)
{
    unsigned char v = mn_get_attr(m, item, 1);
    if (cmdChar)
        *cmdChar = v;
}

void SetItemStyle(MenuHandle m, short item, StyleParameter chStyle)
{
    mn_set_attr(m, item, 3, (unsigned char)chStyle);
}

void GetItemStyle(MenuHandle m, short item, Style *chStyle)
{
    unsigned char v = mn_get_attr(m, item, 3);
    if (chStyle)
        *chStyle = v;
}

static void mn_enable(MenuHandle m, short item, bool on)
{
    if (!mn_valid(m) || item < 0 || (item > 0 && mn_existing(m, item) < 0)) {
        mn_set_err(paramErr);
        return;
    }
    mn_set_err(noErr);
    if (item > MN_FLAG_ITEMS)
        return;                                       /* no bit: always enabled */
    unsigned long f = (unsigned long)(*m)->enableFlags, bit = 1ul << item;
    (*m)->enableFlags = (long)(on ? f | bit : f & ~bit);
    if (item == 0 && mn_index_of((*m)->menuID) >= 0)
        InvalMenuBar();                               /* the title changes colour */
}

void EnableItem(MenuHandle m, short item)
{
    mn_enable(m, item, true);
}

void DisableItem(MenuHandle m, short item)
{
    mn_enable(m, item, false);
}

void SetMenuItemText(MenuHandle m, short item, ConstStr255Param s)
{
    long at = mn_arg(m, item);
    if (at < 0 || s == NULL) {
        mn_set_err(paramErr);
        return;
    }
    if (s[0] == 0) {
        mn_set_err(paramErr);                         /* an empty text would end the item list */
        return;
    }
    long old = mn_bytes(m)[at];
    if (Munger((Handle)m, at, NULL, 1 + old, s, 1 + s[0]) < 0) {
        mn_set_err(memFullErr);
        return;
    }
    mn_resized(m);
}

void GetMenuItemText(MenuHandle m, short item, Str255 s)
{
    long at = mn_arg(m, item);
    if (s == NULL)
        return;
    if (at < 0) {
        s[0] = 0;
        return;
    }
    BlockMoveData(mn_bytes(m) + at, s, 1 + mn_bytes(m)[at]);
}

/* ---- size ------------------------------------------------------------------------------------ */

void CalcMenuSize(MenuHandle m)
{
    if (!mn_valid(m)) {
        mn_set_err(paramErr);
        return;
    }
    mn_draw_ctx c;
    mn_draw_begin(&c);
    short n = mn_count(m), w = (short)(mn_title_width(m) + 8), h = 0;
    for (short i = 1; i <= n; i++) {
        h = (short)(h + mn_item_height(m, i));
        if (mn_item_divider(m, i))
            continue;
        Str255 t;
        BlockMoveData(mn_item_text(m, i), t, 1 + mn_item_text(m, i)[0]);
        TextFace((StyleParameter)mn_item_attr(m, i, 3));
        short iw = (short)(MN_MARK_W + StringWidth(t) + MN_RIGHT_PAD + (mn_item_attr(m, i, 1) ? MN_KEY_W : 0));
        if (iw > w)
            w = iw;
    }
    TextFace(normal);
    mn_draw_end(&c);
    (*m)->menuWidth = w;
    (*m)->menuHeight = h;
    mn_set_err(noErr);
}

void mn_sizes(MenuHandle m, short *width, short *height)
{
    if ((*m)->menuWidth < 0 || (*m)->menuHeight < 0)
        CalcMenuSize(m);
    *width = (*m)->menuWidth;
    *height = (*m)->menuHeight;
}
