/*
 * TextEdit.h - TextEdit (Inside Macintosh: Text, chapter 2) for what
 * edit-text items need: one font, left-aligned text wrapped at word
 * boundaries inside destRect, drawn in viewRect of the port current at
 * TENew, with Apple's TERec in LP64.
 *
 * Memory. The edit record is a relocatable block (a TEHandle) sized to
 * its line starts: TECalText resizes it to hold nLines + 1 entries of
 * lineStarts. The text is a second block (hText) exactly teLength bytes
 * long, which every edit grows or shrinks (Munger). An edit that cannot
 * get the memory it needs changes nothing and te_error() says memFullErr;
 * both blocks may move during any call that edits or recalculates.
 *
 * Lines. lineStarts[0] = 0, lineStarts[i] < lineStarts[i + 1], and
 * lineStarts[nLines] = teLength. A line ends after a carriage return
 * (0x0D) or, when the next word does not fit in destRect's width, after
 * the spaces that end the last word that fits (a word wider than the
 * line is broken where it overflows). Spaces may hang past the edge.
 * The text holds at most te_max_length (32767) characters.
 *
 * Selection. 0 <= selStart <= selEnd <= teLength. While the record is
 * active a non-empty selection is shown inverted and an empty one as a
 * caret that TEIdle blinks every te_caret_ticks ticks; caretState is
 * nonzero while the caret is drawn. Keys handled by TEKey: printable
 * characters and carriage return replace the selection; backspace (0x08)
 * deletes it or the character before the caret; the arrow keys (0x1C
 * left, 0x1D right, 0x1E up, 0x1F down) move the caret.
 *
 * Not provided: styled TextEdit, justification other than left, word
 * break, click-loop and hook procedures (their fields stay NULL),
 * TEScroll, TEAutoView, and dragging by words after a double click.
 */
#ifndef TEXTEDIT_H
#define TEXTEDIT_H

#include "MacTypes.h"
#include "Quickdraw.h"

typedef char **CharsHandle;

/* Hooks of Apple's record, never called here. */
typedef void *WordBreakUPP;
typedef void *TEClickLoopUPP;
typedef void *HighHookUPP;
typedef void *CaretHookUPP;

enum { te_max_lines = 16000 };

typedef struct TERec {
    Rect destRect;                  /* where lines are laid out (local) */
    Rect viewRect;                  /* what is drawn (local) */
    Rect selRect;                   /* the caret's or the selection's last line rectangle */
    short lineHeight;
    short fontAscent;
    Point selPoint;                 /* the caret's top-left */
    short selStart;
    short selEnd;
    short active;
    WordBreakUPP wordBreak;
    TEClickLoopUPP clickLoop;
    long clickTime;
    short clickLoc;
    long caretTime;                 /* TickCount of the last blink */
    short caretState;
    short just;
    short teLength;
    Handle hText;
    long hDispText;
    short clikStuff;
    short crOnly;
    short txFont;
    StyleField txFace;
    short txMode;
    short txSize;
    GrafPtr inPort;
    HighHookUPP highHook;
    CaretHookUPP caretHook;
    short nLines;
    short lineStarts[te_max_lines + 1]; /* only nLines + 1 entries are in the block */
} TERec;
typedef TERec *TEPtr;
typedef TEPtr *TEHandle;

enum { teJustLeft = 0 };
enum { te_max_length = 32767, te_caret_ticks = 32, te_double_ticks = 30 };

void     TEInit(void);
TEHandle TENew(const Rect *destRect, const Rect *viewRect);   /* NULL and te_error() if no room */
void     TEDispose(TEHandle hTE);
void     TESetText(const void *text, long length, TEHandle hTE); /* selection at the end; not drawn */
CharsHandle TEGetText(TEHandle hTE);                            /* hText itself */
void     TECalText(TEHandle hTE);
void     TEKey(short key, TEHandle hTE);
/* pt local to inPort; extend: from the selection's anchor (shift-click);
 * follows the mouse while its button is down, selecting what it drags over.
 * A second click at the same offset within te_double_ticks selects the word
 * (letters and digits) there. */
void     TEClick(Point pt, Boolean extend, TEHandle hTE);
void     TESetSelect(long selStart, long selEnd, TEHandle hTE);
void     TEDelete(TEHandle hTE);
void     TEInsert(const void *text, long length, TEHandle hTE);    /* before the selection, which keeps its text */
void     TECut(TEHandle hTE);                                      /* the selection into the TextEdit scrap, deleted */
void     TECopy(TEHandle hTE);
void     TEPaste(TEHandle hTE);                                    /* the scrap replaces the selection */
Handle   TEScrapHandle(void);
long     TEGetScrapLength(void);
void     TEActivate(TEHandle hTE);
void     TEDeactivate(TEHandle hTE);
void     TEIdle(TEHandle hTE);
void     TEUpdate(const Rect *rUpdate, TEHandle hTE);              /* local; viewRect parts only */

/* ---- project extensions ---------------------------------------------------------- */
/* The last error TextEdit met: memFullErr (an edit that did not fit,
 * changing nothing), paramErr (a NULL handle, a text too long). */
OSErr    te_error(void);
/* Verifies hTE's invariants (block sizes, line starts, selection);
 * noErr or paramErr with a diagnostic when report is true. */
OSErr    te_check(TEHandle hTE, Boolean report);
/* Free the TextEdit scrap. */
void     te_reset_scrap(void);

#endif
