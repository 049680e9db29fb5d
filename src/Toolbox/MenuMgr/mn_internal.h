/*
 * mn_internal.h - the Menu Manager's shared state and helpers: the menu
 * list's layout, the bar's port and geometry, and the accessors that walk
 * a MenuInfo's items (mn_menu.c) so no other code does offset arithmetic.
 *
 * Invariants: g_mn.list, once InitMenus ran, holds an mn_list_head and
 * exactly head.lastMenu / sizeof(mn_list_entry) entries, each a menu that
 * passes mn_check_menu, left to right with increasing menuLeft; no menu ID
 * appears twice; g_mn.hilited is 0 or the ID of a menu in the list; every
 * drawing and every scratch allocation happens with the System zone
 * current, so a full Application zone cannot stop the bar from drawing.
 */
#ifndef MN_INTERNAL_H
#define MN_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "Menus.h"
#include "MemoryMgr/MemoryManager.h"

enum {
    MN_DATA = offsetof(MenuInfo, menuData),  /* the title's length byte */
    MN_ATTRS = 4,            /* icon, key, mark, style after each item's text */
    MN_FLAG_ITEMS = 63,      /* items with an enable bit */
    MN_BAR_LEFT = 10,        /* the first title's left edge */
    MN_TITLE_PAD = 10,       /* blank pixels either side of a title */
    MN_ITEM_H = 16,          /* a text item's height */
    MN_DIVIDER_H = 8,        /* a divider's height */
    MN_MARK_W = 14,          /* the mark column */
    MN_KEY_W = 30,           /* the command-key column */
    MN_RIGHT_PAD = 10,
    MN_GLYPH_APPLE_W = 12,
};

typedef struct mn_list_head {
    short lastMenu;          /* offset of the last entry from the first (count * entry size); 0 and no menu: empty */
    short lastRight;         /* right edge of the last title */
    short mbResID;
    short count;             /* entries */
} mn_list_head;

typedef struct mn_list_entry {
    MenuHandle menuOH;
    short menuLeft;          /* the title's left edge on the screen */
    short menuWidth;         /* the title's width */
} mn_list_entry;

typedef struct mn_state {
    bool ready;
    bool invalid;            /* InvalMenuBar pending */
    GrafPort port;           /* the whole screen, clipped to its rounded corners */
    Handle list;
    MenuID hilited;
    OSErr err;
} mn_state;

extern mn_state g_mn;

static inline bool mn_bit_menu_enabled(MenuHandle m)
{
    return ((*m)->enableFlags & 1) != 0;
}

/* ---- mn_menu.c: one menu's record ----------------------------------------------- */
/* A usable menu: non-NULL, its block present and well-formed (mn_check_menu). */
bool  mn_valid(MenuHandle m);
/* Offset of item's length byte (1..count; count + 1: the end byte), -1 if out of range. */
long  mn_item_off(MenuHandle m, short item);
short mn_count(MenuHandle m);
/* Item's text (a Pascal string inside the block: re-read after any allocation). */
const unsigned char *mn_item_text(MenuHandle m, short item);
/* Item's attribute byte k (0 icon, 1 key, 2 mark, 3 style). */
unsigned char mn_item_attr(MenuHandle m, short item, int k);
bool  mn_item_enabled(MenuHandle m, short item);
bool  mn_item_divider(MenuHandle m, short item);
short mn_item_height(MenuHandle m, short item);
/* Sizes up to date (CalcMenuSize if they are -1). */
void  mn_sizes(MenuHandle m, short *width, short *height);

/* ---- mn_bar.c ------------------------------------------------------------------------- */
mn_list_head  *mn_head(void);
mn_list_entry *mn_entry(short index);
/* Index of menuID in the list, -1 if absent. */
short mn_index_of(MenuID id);
/* Recompute every title's position (after the list changed). */
void  mn_layout(void);
/* Draw thunks: set the Menu Manager's port and the System zone; undo. */
typedef struct mn_draw_ctx {
    GrafPtr port;
    THz zone;
} mn_draw_ctx;
void  mn_draw_begin(mn_draw_ctx *c);
void  mn_draw_end(const mn_draw_ctx *c);
/* Draw the special glyphs (apple, check, command) with their top-left at h, v. */
void  mn_glyph(int which, short h, short v);
enum { MN_GLYPH_APPLE, MN_GLYPH_CHECK, MN_GLYPH_COMMAND };
short mn_title_width(MenuHandle m);
void  mn_draw_title_text(MenuHandle m, short left);

#endif
