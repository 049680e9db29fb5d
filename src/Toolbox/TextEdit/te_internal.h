/*
 * te_internal.h - TextEdit's shared helpers: the record's size rule, the
 * port and font an edit record measures and draws with, offsets to
 * lines and points, and the drawing entry points (te_draw.c).
 *
 * Invariants (te_check verifies them): the record's block is exactly
 * TE_HEADER + 2 * (nLines + 1) bytes; hText is exactly teLength bytes;
 * lineStarts as TextEdit.h states; 0 <= selStart <= selEnd <= teLength.
 */
#ifndef TE_INTERNAL_H
#define TE_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "TextEdit.h"
#include "MemoryMgr/MemoryManager.h"

enum { TE_HEADER = (int)offsetof(TERec, lineStarts), TE_CR = 0x0D, TE_BS = 0x08,
       TE_LEFT = 0x1C, TE_RIGHT = 0x1D, TE_UP = 0x1E, TE_DOWN = 0x1F };

extern OSErr g_te_err;

static inline Size te_rec_size(long lines)
{
    return (Size)TE_HEADER + 2 * (Size)(lines + 1);
}

/* The port and text settings saved while a record measures or draws. */
typedef struct te_port_save {
    GrafPtr port;
    short font, size, mode;
    StyleField face;
} te_port_save;

/* Make te's port current with te's font; te_port_end puts things back. */
void te_port_begin(TEHandle te, te_port_save *s);
void te_port_end(const te_port_save *s);

/* The line holding offset off (the caret's line: an offset at a wrapped
 * line's end belongs to the next line); nLines for the empty line after
 * a final carriage return or of an empty text. */
long te_line_of(TEHandle te, long off);
/* The last line a caret can be on. */
long te_last_line(TEHandle te);
/* The caret's top-left for offset off (local). Needs te's port set. */
Point te_point_of(TEHandle te, long off);
/* The offset nearest the local point p. Needs te's port set. */
long te_offset_at(TEHandle te, Point p);

/* te_draw.c: redraw what of r (local) lies in viewRect: erase, the lines,
 * the selection or caret when active. Sets the port itself. */
void te_draw(TEHandle te, const Rect *r);
/* Redraw the whole view (after an edit or a selection change). */
void te_redraw(TEHandle te);
/* Invert the caret (TEIdle's blink). Needs te's port set. */
void te_invert_caret(TEHandle te);

#endif
