/*
 * Menus.h - the Menu Manager (Macintosh Toolbox Essentials, chapter 3) on
 * QuickDraw and the Window Manager, with Apple's MenuInfo in LP64.
 *
 * A menu is one relocatable block (a MenuHandle) holding a MenuInfo: the
 * ID, the size of the pulled-down menu (computed on demand, -1 when it must
 * be recomputed), the definition (NULL: the built-in text menu), the enable
 * flags, then menuData: the title as a Pascal string followed by each item
 * as a Pascal string and its four attribute bytes (icon, key equivalent,
 * mark, style), the list ended by a zero length byte. Items grow and shrink
 * the block in place (Munger, SetHandleSize).
 *
 * enableFlags: bit 0 enables the whole menu, bit n item n (1..63); items
 * beyond 63 are always enabled unless the whole menu is disabled.
 *
 * The menu list is one handle in the zone that was current at InitMenus
 * (the application's): a header and one entry per menu in the bar, left to
 * right, edited in place as menus are inserted and deleted. GetMenuBar
 * gives a copy of it, SetMenuBar copies one back.
 *
 * The Menu Manager owns the menu bar (the top GetMBarHeight() pixels of the
 * screen): DrawMenuBar paints it white with its black bottom line and the
 * titles; the Window Manager leaves it alone. MenuSelect follows the mouse
 * (the real one or the Event Manager's script) until the button comes up,
 * pulling menus down over whatever is on the screen: the pixels behind a
 * pulled-down menu are saved in a handle in the System zone and put back
 * when it goes away, so no window gets an update event for it.
 *
 * AppendMenu and InsertMenuItem read metacharacters in their text: ';' or
 * Return separate items, '^' + digit an icon number, '!' + character a mark,
 * '<' + B/I/U/O/S a style, '/' + character the key equivalent, '(' disables
 * the item; an item "-" (or starting with '-') is a divider, disabled.
 * SetMenuItemText stores its text as it is.
 *
 * Bad arguments (NULL or damaged menus, items out of range) change nothing;
 * mn_error() says what happened last (paramErr, memFullErr, noErr).
 */
#ifndef MENUS_H
#define MENUS_H

#include "Events.h"
#include "MacTypes.h"
#include "Quickdraw.h"

typedef short MenuID;
typedef short CharParameter;

typedef struct MenuInfo {
    MenuID menuID;
    short menuWidth;                /* pixels, -1: recompute (CalcMenuSize) */
    short menuHeight;
    Handle menuProc;                /* NULL: the built-in text menu definition */
    long enableFlags;
    Str255 menuData;                /* title, items, 0 (see above): variable length */
} MenuInfo;

typedef MenuInfo *MenuPtr;
typedef MenuPtr *MenuHandle;
typedef MenuHandle MenuRef;

enum { textMenuProc = 0 };

enum {                              /* mark characters */
    noMark = 0, commandMark = 0x11, checkMark = 0x12, diamondMark = 0x13, appleMark = 0x14,
};

short      GetMBarHeight(void);
void       InitMenus(void);                      /* an empty menu list; the bar drawn */
MenuHandle NewMenu(MenuID menuID, ConstStr255Param menuTitle);
MenuHandle GetMenu(short resourceID);            /* a new menu from MENU resourceID (released after) */
void       DisposeMenu(MenuHandle theMenu);      /* taken out of the menu list first if it is there */
void       CalcMenuSize(MenuHandle theMenu);
void       AppendMenu(MenuHandle menu, ConstStr255Param data);
void       InsertMenuItem(MenuHandle theMenu, ConstStr255Param itemString, short afterItem);
void       DeleteMenuItem(MenuHandle theMenu, short item);
short      CountMItems(MenuHandle theMenu);
void       InsertMenu(MenuHandle theMenu, MenuID beforeID); /* 0 or an ID not in the bar: at the end */
void       DeleteMenu(MenuID menuID);
MenuHandle GetMenuHandle(MenuID menuID);
void       DrawMenuBar(void);
void       InvalMenuBar(void);                   /* redrawn by the next Menu Manager call that shows the bar */
void       ClearMenuBar(void);                   /* the menu list emptied; menus are not disposed */
Handle     GetMenuBar(void);                     /* a copy of the menu list */
void       SetMenuBar(Handle menuList);          /* the menu list := a copy of menuList */
void       HiliteMenu(MenuID menuID);            /* 0: none highlighted */
long       MenuSelect(Point startPt);            /* menuID << 16 | item, 0 if nothing chosen */
long       MenuKey(CharParameter ch);            /* the item with that command-key equivalent */
void       EnableItem(MenuHandle theMenu, short item);    /* item 0: the whole menu */
void       DisableItem(MenuHandle theMenu, short item);
void       CheckItem(MenuHandle theMenu, short item, Boolean checked);
void       SetItemMark(MenuHandle theMenu, short item, CharParameter markChar);
void       GetItemMark(MenuHandle theMenu, short item, CharParameter *markChar);
void       SetItemCmd(MenuHandle theMenu, short item, CharParameter cmdChar);
void       GetItemCmd(MenuHandle theMenu, short item, CharParameter *cmdChar);
void       SetItemStyle(MenuHandle theMenu, short item, StyleParameter chStyle);
void       GetItemStyle(MenuHandle theMenu, short item, Style *chStyle);
void       SetMenuItemText(MenuHandle theMenu, short item, ConstStr255Param itemString);
void       GetMenuItemText(MenuHandle theMenu, short item, Str255 itemString);

#define GetMHandle(id) GetMenuHandle(id)
#define AppendMenuItemText(m, s) AppendMenu((m), (s))

/* ---- project extensions ---------------------------------------------------------- */
/* The result of the last Menu Manager call: noErr, paramErr or memFullErr. */
OSErr      mn_error(void);
/* The screen rectangle of menuID's title in the bar (false if not in the bar),
 * and of its pulled-down menu (frame included, shadow excluded). */
Boolean    mn_title_rect(MenuID menuID, Rect *r);
Boolean    mn_menu_rect(MenuID menuID, Rect *r);
/* The highlighted title (0: none), and whether InvalMenuBar is pending. */
MenuID     mn_hilited(void);
Boolean    mn_bar_invalid(void);
/* Called by MenuSelect when a menu has been pulled down (item -1) and after each change
 * of the highlighted item (0: none; menu 0: none pulled down), with the screen showing it:
 * tests hash the key frames. NULL: none. */
typedef void (*mn_track_hook)(MenuID menu, short item);
void       mn_set_track_hook(mn_track_hook hook);
/* Checks a menu's record: sizes, strings inside the block, the end byte.
 * noErr or paramErr; report prints what is wrong. */
OSErr      mn_check_menu(MenuHandle theMenu, Boolean report);

#endif
