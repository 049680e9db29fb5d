/*
 * mn_bar.c - the menu bar: the menu list (InitMenus, InsertMenu,
 * DeleteMenu, ClearMenuBar, GetMenuBar, SetMenuBar, GetMenuHandle), its
 * drawing (DrawMenuBar, InvalMenuBar, HiliteMenu), and choosing from it
 * (MenuSelect with the mouse, MenuKey with a command key).
 *
 * The menu list is one handle edited in place with Munger: an mn_list_head
 * then an mn_list_entry per menu, left to right. Titles are laid out from
 * MN_BAR_LEFT, each StringWidth + 2 * MN_TITLE_PAD wide (the Apple menu's
 * title, the single character appleMark, is drawn as a glyph).
 *
 * A pulled-down menu hangs from its title's left edge, its frame's top
 * line on the bar's bottom line, with a one-pixel shadow right and below;
 * before it is drawn the screen's pixels under it (shadow included) are
 * copied into a handle in the System zone, and copied back when it closes.
 * Drawing happens with the cursor hidden, through the Menu Manager's own
 * port (the whole screen, clipped to its rounded corners), with the System
 * zone current.
 */
#include "mn_internal.h"

#include "Desktop.h"
#include "platform.h"

mn_state g_mn;
static mn_track_hook g_mn_hook;

void mn_set_track_hook(mn_track_hook hook)
{
    g_mn_hook = hook;
}

short GetMBarHeight(void)
{
    return desktop_menu_bar_height;
}

mn_list_head *mn_head(void)
{
    return (mn_list_head *)(void *)*g_mn.list;
}

mn_list_entry *mn_entry(short index)
{
    return (mn_list_entry *)(void *)(*g_mn.list + sizeof(mn_list_head)) + index;
}

static short mn_menus(void)
{
    return g_mn.list != NULL && *g_mn.list != NULL ? mn_head()->count : 0;
}

short mn_index_of(MenuID id)
{
    for (short i = 0; i < mn_menus(); i++)
        if ((*mn_entry(i)->menuOH)->menuID == id)
            return i;
    return -1;
}

MenuID mn_hilited(void)
{
    return g_mn.hilited;
}

Boolean mn_bar_invalid(void)
{
    return g_mn.invalid;
}

/* ---- the port and drawing helpers --------------------------------------------------------- */

/* The port: the whole screen, its clip the screen's rounded rectangle. */
static void mn_open_port(void)
{
    if (g_mn.ready)
        return;
    THz home = GetZone();
    SetZone(SystemZone());
    GrafPtr saved;
    GetPort(&saved);
    OpenPort(&g_mn.port);
    RgnHandle round = NewRgn();
    if (round) {
        OpenRgn();
        FrameRoundRect(&qd.screenBits.bounds, desktop_corner_diameter, desktop_corner_diameter);
        CloseRgn(round);
        if (QDError() == noErr)
            SetClip(round);
        DisposeRgn(round);
    }
    SetZone(home);
    if (saved)
        SetPort(saved);
    g_mn.ready = true;
}

void mn_draw_begin(mn_draw_ctx *c)
{
    mn_open_port();
    GetPort(&c->port);
    c->zone = GetZone();
    SetZone(SystemZone());
    SetPort(&g_mn.port);
    HideCursor();
}

void mn_draw_end(const mn_draw_ctx *c)
{
    ShowCursor();
    SetZone(c->zone);
    SetPort(c->port);
}

/* The special glyphs, drawn for this project: '#' is ink. */
static const char *const mn_glyph_rows[][14] = {
    [MN_GLYPH_APPLE] = { ".......##...", "......##....", ".....#......", "..###.####..", ".##########.",
                         "##########..", "#########...", "#########...", "##########..", ".##########.",
                         ".###########", "..###..###..", NULL },
    [MN_GLYPH_CHECK] = { ".........#", "........##", ".......##.", "#.....##..", "##...##...",
                         ".##.##....", "..###.....", "...#......", NULL },
    [MN_GLYPH_COMMAND] = { ".##...##.", "#..#.#..#", "#..#.#..#", ".#######.", "...#.#...",
                           ".#######.", "#..#.#..#", "#..#.#..#", ".##...##.", NULL },
};

void mn_glyph(int which, short h, short v)
{
    const char *const *rows = mn_glyph_rows[which];
    for (short y = 0; rows[y] != NULL; y++)
        for (short x = 0; rows[y][x] != 0; x++) {
            if (rows[y][x] != '#')
                continue;
            short run = x;
            while (rows[y][run] == '#')
                run++;
            Rect r = { (short)(v + y), (short)(h + x), (short)(v + y + 1), (short)(h + run) };
            PaintRect(&r);
            x = (short)(run - 1);
        }
}

static bool mn_is_apple(MenuHandle m)
{
    const unsigned char *t = (*m)->menuData;
    return t[0] == 1 && t[1] == appleMark;
}

short mn_title_width(MenuHandle m)
{
    if (mn_is_apple(m))
        return MN_GLYPH_APPLE_W + 2 * MN_TITLE_PAD;
    Str255 t;
    BlockMoveData((*m)->menuData, t, 1 + (*m)->menuData[0]);
    return (short)(StringWidth(t) + 2 * MN_TITLE_PAD);
}

/* Whiten every other pixel of r: the System 7 black-and-white gray for disabled things. */
static void mn_gray(const Rect *r)
{
    PenPat(&qd.gray);
    PenMode(patBic);
    PaintRect(r);
    PenNormal();
}

void mn_draw_title_text(MenuHandle m, short left)
{
    if (mn_is_apple(m)) {
        mn_glyph(MN_GLYPH_APPLE, (short)(left + MN_TITLE_PAD), 3);
    } else {
        Str255 t;
        BlockMoveData((*m)->menuData, t, 1 + (*m)->menuData[0]);
        MoveTo((short)(left + MN_TITLE_PAD), 14);
        DrawString(t);
    }
}

static void mn_title_rect_at(short index, Rect *r)
{
    mn_list_entry *e = mn_entry(index);
    SetRect(r, e->menuLeft, qd.screenBits.bounds.top, (short)(e->menuLeft + e->menuWidth),
            (short)(qd.screenBits.bounds.top + GetMBarHeight() - 1));
}

Boolean mn_title_rect(MenuID id, Rect *r)
{
    short i = mn_index_of(id);
    if (i < 0 || r == NULL)
        return false;
    mn_title_rect_at(i, r);
    return true;
}

static void mn_menu_rect_at(short index, Rect *r)
{
    MenuHandle m = mn_entry(index)->menuOH;
    short w, h;
    mn_sizes(m, &w, &h);
    short left = mn_entry(index)->menuLeft, top = (short)(qd.screenBits.bounds.top + GetMBarHeight() - 1);
    short limit = (short)(qd.screenBits.bounds.right - 1);            /* room for the shadow */
    if (left + w + 2 > limit)
        left = (short)(limit - w - 2);
    SetRect(r, left, top, (short)(left + w + 2), (short)(top + h + 2));
}

Boolean mn_menu_rect(MenuID id, Rect *r)
{
    short i = mn_index_of(id);
    if (i < 0 || r == NULL)
        return false;
    mn_menu_rect_at(i, r);
    return true;
}

void mn_layout(void)
{
    if (g_mn.list == NULL)
        return;
    mn_draw_ctx c;
    mn_draw_begin(&c);
    short left = (short)(qd.screenBits.bounds.left + MN_BAR_LEFT);
    for (short i = 0; i < mn_menus(); i++) {
        short w = mn_title_width(mn_entry(i)->menuOH);
        mn_entry(i)->menuLeft = left;
        mn_entry(i)->menuWidth = w;
        left = (short)(left + w);
    }
    mn_head()->lastRight = left;
    mn_head()->lastMenu = (short)(mn_menus() > 0 ? (mn_menus() - 1) * (short)sizeof(mn_list_entry) : 0);
    mn_draw_end(&c);
}

/* ---- the bar ------------------------------------------------------------------------------------ */

static void mn_draw_title(short index, bool hilite)
{
    Rect r;
    mn_title_rect_at(index, &r);
    MenuHandle m = mn_entry(index)->menuOH;
    EraseRect(&r);
    mn_draw_title_text(m, r.left);
    if (!mn_bit_menu_enabled(m))
        mn_gray(&r);
    if (hilite)
        InvertRect(&r);
}

void DrawMenuBar(void)
{
    if (!qd.screenBits.baseAddr)
        return;
    mn_draw_ctx c;
    mn_draw_begin(&c);
    Rect bar = qd.screenBits.bounds;
    bar.bottom = (short)(bar.top + GetMBarHeight());
    EraseRect(&bar);
    MoveTo(bar.left, (short)(bar.bottom - 1));
    LineTo((short)(bar.right - 1), (short)(bar.bottom - 1));
    for (short i = 0; i < mn_menus(); i++)
        mn_draw_title(i, (*mn_entry(i)->menuOH)->menuID == g_mn.hilited && g_mn.hilited != 0);
    mn_draw_end(&c);
    g_mn.invalid = false;
}

void InvalMenuBar(void)
{
    g_mn.invalid = true;
}

/* A pending InvalMenuBar is carried out before the bar is used. */
static void mn_validate(void)
{
    if (g_mn.invalid)
        DrawMenuBar();
}

void HiliteMenu(MenuID id)
{
    mn_validate();
    short old = g_mn.hilited ? mn_index_of(g_mn.hilited) : -1, now = id ? mn_index_of(id) : -1;
    g_mn.err = noErr;
    if (old == now)
        return;
    mn_draw_ctx c;
    mn_draw_begin(&c);
    Rect r;
    if (old >= 0) {
        mn_title_rect_at(old, &r);
        InvertRect(&r);
    }
    if (now >= 0) {
        mn_title_rect_at(now, &r);
        InvertRect(&r);
    }
    mn_draw_end(&c);
    g_mn.hilited = now >= 0 ? id : 0;
}

/* ---- the menu list -------------------------------------------------------------------------- */

/* The list emptied: a fresh block of just the header, so no slack of the entries'
 * shrinking stays behind in the zone. */
static void mn_list_empty(void)
{
    ReallocateHandle(g_mn.list, sizeof(mn_list_head));
    if (MemError() != noErr || *g_mn.list == NULL)
        SetHandleSize(g_mn.list, sizeof(mn_list_head));    /* shrinking in place cannot fail */
    *mn_head() = (mn_list_head){ 0 };
}

void InitMenus(void)
{
    mn_open_port();
    if (g_mn.list == NULL || *g_mn.list == NULL) {
        if (g_mn.list != NULL)
            DisposeHandle(g_mn.list);
        g_mn.list = NewHandleClear(sizeof(mn_list_head));
    } else {
        mn_list_empty();
    }
    g_mn.hilited = 0;
    g_mn.err = g_mn.list ? noErr : memFullErr;
    mn_layout();
    DrawMenuBar();
}

void InsertMenu(MenuHandle m, MenuID beforeID)
{
    if (g_mn.list == NULL || !mn_valid(m) || beforeID < 0) {
        g_mn.err = paramErr;                       /* hierarchical menus (-1) are not provided */
        return;
    }
    g_mn.err = noErr;
    if (mn_index_of((*m)->menuID) >= 0)
        return;                                    /* already in the bar */
    short at = beforeID ? mn_index_of(beforeID) : -1;
    if (at < 0)
        at = mn_menus();
    mn_list_entry e = { .menuOH = m };
    if (Munger(g_mn.list, (long)sizeof(mn_list_head) + at * (long)sizeof e, NULL, 0, &e, sizeof e) < 0) {
        g_mn.err = memFullErr;
        return;
    }
    mn_head()->count++;
    mn_layout();
}

void DeleteMenu(MenuID id)
{
    short at = mn_index_of(id);
    if (at < 0) {
        g_mn.err = paramErr;
        return;
    }
    Munger(g_mn.list, (long)sizeof(mn_list_head) + at * (long)sizeof(mn_list_entry), NULL,
           sizeof(mn_list_entry), "", 0);          /* shrinks: cannot fail */
    mn_head()->count--;
    if (g_mn.hilited == id)
        g_mn.hilited = 0;
    mn_layout();
    g_mn.err = noErr;
}

MenuHandle GetMenuHandle(MenuID id)
{
    short i = mn_index_of(id);
    return i >= 0 ? mn_entry(i)->menuOH : NULL;
}

void ClearMenuBar(void)
{
    if (g_mn.list == NULL)
        return;
    mn_list_empty();
    g_mn.hilited = 0;
    g_mn.err = noErr;
}

Handle GetMenuBar(void)
{
    if (g_mn.list == NULL) {
        g_mn.err = paramErr;
        return NULL;
    }
    Handle copy = g_mn.list;
    g_mn.err = HandToHand(&copy);
    return g_mn.err == noErr ? copy : NULL;
}

/* A menu list from GetMenuBar: its size matches its count, every menu is sound, no ID twice. */
static bool mn_list_ok(Handle h)
{
    if (h == NULL || *h == NULL || GetHandleSize(h) < (Size)sizeof(mn_list_head))
        return false;
    const mn_list_head *hd = (const mn_list_head *)(void *)*h;
    if (hd->count < 0 || GetHandleSize(h) != (Size)(sizeof *hd + (size_t)hd->count * sizeof(mn_list_entry)))
        return false;
    const mn_list_entry *e = (const mn_list_entry *)(void *)(*h + sizeof *hd);
    for (short i = 0; i < hd->count; i++) {
        if (!mn_valid(e[i].menuOH))
            return false;
        for (short j = 0; j < i; j++)
            if ((*e[j].menuOH)->menuID == (*e[i].menuOH)->menuID)
                return false;
    }
    return true;
}

void SetMenuBar(Handle menuList)
{
    if (g_mn.list == NULL || !mn_list_ok(menuList)) {
        g_mn.err = paramErr;
        return;
    }
    SInt8 state = HGetState(menuList);
    HLock(menuList);                               /* the copy must not move its source */
    OSErr e = PtrToXHand(*menuList, g_mn.list, GetHandleSize(menuList));
    HSetState(menuList, state);
    g_mn.err = e;
    if (e != noErr)
        return;
    g_mn.hilited = 0;
    mn_layout();
}

/* ---- pulled-down menus --------------------------------------------------------------------------- */

typedef struct mn_track {
    short title;             /* index of the open menu's title, -1: none */
    short item;              /* the highlighted item, 0: none */
    bool open;
    Rect menu;               /* the pulled-down menu, frame included */
    Rect saved;              /* the pixels kept in bits (menu + shadow, clipped to the screen) */
    Handle bits;
} mn_track;

static UInt32 *mn_px(short h, short v)
{
    const BitMap *sb = &qd.screenBits;
    return (UInt32 *)(void *)(sb->baseAddr + (long)(v - sb->bounds.top) * sb->rowBytes) + (h - sb->bounds.left);
}

/* Copies the screen's pixels of t->saved into t->bits (in the System zone): false if no room. */
static bool mn_save_bits(mn_track *t)
{
    long w = t->saved.right - t->saved.left, h = t->saved.bottom - t->saved.top;
    t->bits = NewHandleSys(w * h * 4);
    if (t->bits == NULL)
        return false;
    UInt32 *dst = (UInt32 *)(void *)*t->bits;
    for (long y = 0; y < h; y++)
        BlockMoveData(mn_px(t->saved.left, (short)(t->saved.top + y)), dst + y * w, w * 4);
    return true;
}

static void mn_restore_bits(mn_track *t)
{
    long w = t->saved.right - t->saved.left, h = t->saved.bottom - t->saved.top;
    const UInt32 *src = (const UInt32 *)(void *)*t->bits;
    for (long y = 0; y < h; y++)
        BlockMoveData(src + y * w, mn_px(t->saved.left, (short)(t->saved.top + y)), w * 4);
    DisposeHandle(t->bits);
    t->bits = NULL;
}

static void mn_item_rect(MenuHandle m, const Rect *menu, short item, Rect *r)
{
    short top = (short)(menu->top + 1);
    for (short i = 1; i < item; i++)
        top = (short)(top + mn_item_height(m, i));
    SetRect(r, (short)(menu->left + 1), top, (short)(menu->right - 1), (short)(top + mn_item_height(m, item)));
}

static void mn_draw_item(MenuHandle m, const Rect *ir, short item)
{
    if (mn_item_divider(m, item)) {
        short mid = (short)((ir->top + ir->bottom) / 2);
        PenPat(&qd.gray);
        MoveTo(ir->left, mid);
        LineTo((short)(ir->right - 1), mid);
        PenNormal();
        return;
    }
    short base = (short)(ir->top + 12);
    unsigned char mark = mn_item_attr(m, item, 2), key = mn_item_attr(m, item, 1);
    if (mark == checkMark) {
        mn_glyph(MN_GLYPH_CHECK, (short)(ir->left + 2), (short)(ir->top + 4));
    } else if (mark > ' ' && mark < 127) {
        MoveTo((short)(ir->left + 3), base);
        DrawChar(mark);
    }
    Str255 t;
    BlockMoveData(mn_item_text(m, item), t, 1 + mn_item_text(m, item)[0]);
    TextFace((StyleParameter)mn_item_attr(m, item, 3));
    MoveTo((short)(ir->left + MN_MARK_W), base);
    DrawString(t);
    TextFace(normal);
    if (key) {
        mn_glyph(MN_GLYPH_COMMAND, (short)(ir->right - MN_KEY_W + 2), (short)(ir->top + 3));
        MoveTo((short)(ir->right - MN_KEY_W + 15), base);
        DrawChar(key);
    }
    if (!mn_item_enabled(m, item))
        mn_gray(ir);
}

static void mn_draw_menu(MenuHandle m, const Rect *r)
{
    EraseRect(r);
    FrameRect(r);
    MoveTo(r->right, (short)(r->top + 2));                 /* the shadow */
    LineTo(r->right, r->bottom);
    LineTo((short)(r->left + 2), r->bottom);
    short n = mn_count(m);
    for (short i = 1; i <= n; i++) {
        Rect ir;
        mn_item_rect(m, r, i, &ir);
        mn_draw_item(m, &ir, i);
    }
}

static void mn_open(mn_track *t, short title)
{
    t->title = title;
    t->item = 0;
    mn_menu_rect_at(title, &t->menu);
    Rect shadowed = t->menu;
    shadowed.right++;
    shadowed.bottom++;
    t->open = SectRect(&shadowed, &qd.screenBits.bounds, &t->saved);
    if (!t->open)
        return;
    mn_draw_ctx c;
    mn_draw_begin(&c);
    t->open = mn_save_bits(t);
    if (t->open)
        mn_draw_menu(mn_entry(title)->menuOH, &t->menu);
    else
        g_mn.err = memFullErr;                              /* no room for what it would cover: not pulled down */
    mn_draw_end(&c);
}

static void mn_close(mn_track *t)
{
    if (t->open) {
        mn_draw_ctx c;
        mn_draw_begin(&c);
        mn_restore_bits(t);
        mn_draw_end(&c);
    }
    t->open = false;
    t->item = 0;
}

static short mn_title_at(Point p)
{
    if (p.v < qd.screenBits.bounds.top || p.v >= qd.screenBits.bounds.top + GetMBarHeight())
        return -1;
    for (short i = 0; i < mn_menus(); i++)
        if (p.h >= mn_entry(i)->menuLeft && p.h < mn_entry(i)->menuLeft + mn_entry(i)->menuWidth)
            return i;
    return -1;
}

static short mn_item_at(const mn_track *t, Point p)
{
    if (!t->open || !PtInRect(p, &t->menu))
        return 0;
    MenuHandle m = mn_entry(t->title)->menuOH;
    short n = mn_count(m);
    for (short i = 1; i <= n; i++) {
        Rect ir;
        mn_item_rect(m, &t->menu, i, &ir);
        if (PtInRect(p, &ir))
            return mn_item_enabled(m, i) ? i : 0;
    }
    return 0;
}

static void mn_track_to(mn_track *t, Point p)
{
    short ti = mn_title_at(p);
    if (ti >= 0 && ti != t->title) {
        mn_close(t);
        HiliteMenu((*mn_entry(ti)->menuOH)->menuID);
        mn_open(t, ti);
        if (g_mn_hook && t->open)
            g_mn_hook((*mn_entry(ti)->menuOH)->menuID, -1);
    }
    short item = mn_item_at(t, p);
    if (item == t->item)
        return;
    MenuHandle m = mn_entry(t->title)->menuOH;
    mn_draw_ctx c;
    mn_draw_begin(&c);
    Rect ir;
    if (t->item) {
        mn_item_rect(m, &t->menu, t->item, &ir);
        InvertRect(&ir);
    }
    if (item) {
        mn_item_rect(m, &t->menu, item, &ir);
        InvertRect(&ir);
    }
    mn_draw_end(&c);
    t->item = item;
    if (g_mn_hook)
        g_mn_hook(t->open ? (*m)->menuID : 0, item);
}

long MenuSelect(Point startPt)
{
    mn_validate();
    if (g_mn.list == NULL || !qd.screenBits.baseAddr) {
        g_mn.err = paramErr;
        return 0;
    }
    g_mn.err = noErr;
    HiliteMenu(0);
    mn_track t = { .title = -1 };
    mn_track_to(&t, startPt);
    while (StillDown()) {
        mn_track_to(&t, ev_mouse_location());
        plat_idle();
    }
    EventRecord up;
    mn_track_to(&t, GetOSEvent(mUpMask, &up) ? up.where : ev_mouse_location());
    long chosen = t.title >= 0 && t.item > 0 ? (long)(*mn_entry(t.title)->menuOH)->menuID << 16 | t.item : 0;
    mn_close(&t);
    if (chosen == 0)
        HiliteMenu(0);
    return chosen;
}

long MenuKey(CharParameter ch)
{
    mn_validate();
    unsigned char c = (unsigned char)ch;
    if (c >= 'a' && c <= 'z')
        c = (unsigned char)(c - 'a' + 'A');
    g_mn.err = noErr;
    if (c == 0)
        return 0;
    for (short i = 0; i < mn_menus(); i++) {
        MenuHandle m = mn_entry(i)->menuOH;
        short n = mn_count(m);
        for (short k = 1; k <= n; k++)
            if (mn_item_attr(m, k, 1) == c && mn_item_enabled(m, k)) {
                MenuID id = (*m)->menuID;
                HiliteMenu(id);
                return (long)id << 16 | k;
            }
    }
    return 0;
}
