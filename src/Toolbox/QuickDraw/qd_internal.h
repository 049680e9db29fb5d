/*
 * qd_internal.h - what the QuickDraw source files share and nobody else
 * sees: the error cell, region accessors, the canonical-form encoder, the
 * inversion-point builder, the band list the painters walk, and the
 * drawing core that clips to visRgn intersected with clipRgn.
 *
 * Invariants every file keeps:
 *  1. A region handle is dereferenced only between two calls that may
 *     allocate; across NewPtr, NewHandle or SetHandleSize it is looked up
 *     again (blocks move, under MM_SCRAMBLE on every such call).
 *  2. Working copies that must not move live in nonrelocatable blocks
 *     (NewPtr) or in locals; every block a routine allocates is freed
 *     before it returns, so FreeMem is back where it was.
 *  3. A routine that fails leaves its destination as it was and sets
 *     qd_err; the result it would have produced is never half-written.
 */
#ifndef TOOLBOX_QUICKDRAW_QD_INTERNAL_H
#define TOOLBOX_QUICKDRAW_QD_INTERNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "MemoryMgr/MemoryManager.h"
#include "Quickdraw.h"

enum {
    QD_RGN_HDR = 10,          /* bytes of rgnSize + rgnBBox */
    QD_RGN_END = 0x7FFF,      /* row and region terminator */
    QD_RGN_MAX = 0xFFFF,      /* largest rgnSize */
    QD_COORD_MIN = -32768,
    QD_COORD_MAX = 32766,     /* 0x7FFF is the terminator, never a coordinate */
};

/* ---- errors (qd_globals.c) ---- */
extern OSErr qd_err;

/* ---- region accessors ---- */
static inline unsigned qd_rgn_size(RgnHandle r) { return (*r)->rgnSize; }
static inline const short *qd_rgn_data(RgnHandle r) { return (const short *)((const char *)*r + QD_RGN_HDR); }
static inline bool qd_handle_ok(RgnHandle r) { return r != NULL && *r != NULL; }
static inline bool qd_coord_ok(long v) { return v >= QD_COORD_MIN && v <= QD_COORD_MAX; }
static inline long qd_min(long a, long b) { return a < b ? a : b; }
static inline long qd_max(long a, long b) { return a > b ? a : b; }
static inline short qd_clamp(long v) { return (short)(v < QD_COORD_MIN ? QD_COORD_MIN : v > QD_COORD_MAX ? QD_COORD_MAX : v); }

/* The rows of a region as a terminated short sequence: its data, or for a
 * rectangle a synthesized two-row copy, or for an empty region just END.
 * Writes at most QD_RECT_ROWS shorts into syn. Returns the row count in
 * shorts (terminator included) and the sequence in *rows. */
enum { QD_RECT_ROWS = 9 };
long qd_rgn_rows(const MacRegion *r, short syn[QD_RECT_ROWS], const short **rows);

/* ---- canonical encoder (qd_rgn_codec.c) ----
 * Takes inversion points in (y, x) order, already reduced (no repeats), and
 * writes rows; out == NULL only counts. The region comes out canonical. */
typedef struct qd_enc {
    short *out;               /* row data destination or NULL */
    long   n;                 /* shorts of row data so far (final END included by qd_enc_end) */
    long   rows;
    long   row_pts;           /* points in the open row */
    int    cur_y;
    int    top, bottom, left, right;
    short  r0[2];             /* first row when it has two points */
    bool   rect;              /* so far the rows are those of one rectangle */
} qd_enc;
void qd_enc_begin(qd_enc *e, short *out);
void qd_enc_point(qd_enc *e, int y, int x);
/* Closes the data; returns rgnSize (10 for empty or a rectangle) and the bbox. */
long qd_enc_end(qd_enc *e, Rect *bbox);

/* Writes rgnSize and rgnBBox of dst (already sized). */
void qd_rgn_set_header(RgnHandle dst, long size, const Rect *bbox);

/* Symmetric difference of two strictly increasing short sets; returns the count. */
long qd_xor_sets(const short *a, long na, const short *b, long nb, short *out);

/* ---- inversion-point builder (qd_rgn_codec.c) ----
 * A relocatable block: a long count, then uint32 keys (y+32768)<<16 | (x+32768).
 * Adding never fails visibly: a failed growth marks the builder failed and
 * qd_pts_to_rgn then reports memFullErr. Points may repeat; pairs cancel. */
typedef struct qd_pts {
    Handle h;
    long   cap;
    bool   failed;
} qd_pts;
bool qd_pts_init(qd_pts *p);
void qd_pts_attach(qd_pts *p, Handle h);                  /* a builder kept in a handle (rgnSave) */
void qd_pts_add(qd_pts *p, int x, int y);
void qd_pts_span(qd_pts *p, int y, int left, int right); /* pixels [left,right) of row y */
void qd_pts_rect(qd_pts *p, int left, int top, int right, int bottom);
void qd_pts_rgn(qd_pts *p, RgnHandle rgn);               /* the inversion points of rgn */
/* Reduces, encodes into dst (SetHandleSize), disposes the builder. */
void qd_pts_to_rgn(qd_pts *p, RgnHandle dst);
void qd_pts_dispose(qd_pts *p);

/* ---- shapes as regions (qd_shapes.c) ---- */
void qd_oval_rgn(RgnHandle dst, const Rect *r);
void qd_rrect_rgn(RgnHandle dst, const Rect *r, int ow, int oh);
/* Inversion points of shapes, for regions and OpenRgn recording. */
void qd_pts_oval(qd_pts *p, const Rect *r);
void qd_pts_rrect(qd_pts *p, const Rect *r, int ow, int oh);
/* The area the pen covers drawing a line from (x0,y0) to (x1,y1). */
void qd_line_rgn(RgnHandle dst, int x0, int y0, int x1, int y1, int pw, int ph);
/* The pen's inside outline of a region (region minus region inset by the pen). */
void qd_frame_rgn_of(RgnHandle dst, RgnHandle src, int pw, int ph);

/* ---- the band list painters walk (qd_bands.c) ----
 * A nonrelocatable copy of a region as bands: records
 *   y0, y1, n, x[0..n), n
 * (ints), spans [x0,x1) [x2,x3) ... covering rows y0..y1-1, then a 0 count
 * record. Walkable forward and backward without touching the region. */
typedef struct qd_bands {
    int  *buf;
    long  len;                /* ints in buf */
} qd_bands;
bool qd_bands_make(qd_bands *b, RgnHandle rgn);
void qd_bands_dispose(qd_bands *b);
typedef void (*qd_span_fn)(void *ctx, int y, int x0, int x1);
/* Calls fn for every span of every row; bottom_up visits rows from the
 * bottom, right_to_left the spans of a row from the right. */
void qd_bands_walk(const qd_bands *b, bool bottom_up, bool right_to_left, qd_span_fn fn, void *ctx);

/* ---- drawing core (qd_draw.c) ---- */
/* The region drawing in the current port may touch: rgn (or everything
 * when NULL) intersected with portBits.bounds, visRgn and clipRgn. Returns
 * a new region the caller disposes, NULL (qd_err set) on failure. */
RgnHandle qd_clip_rgn(RgnHandle rgn);
/* Fills rgn in the current port with pat in pattern mode mode. */
void qd_fill_rgn(RgnHandle rgn, const Pattern *pat, short mode);
/* Pixel access into a BitMap, local coordinates (caller keeps them in bounds). */
static inline uint32_t *qd_pixel(const BitMap *bm, int x, int y)
{
    return (uint32_t *)(bm->baseAddr + (long)(y - bm->bounds.top) * bm->rowBytes) + (x - bm->bounds.left);
}
uint32_t qd_color_pixel(long oldColor);
/* A BitMap's rows hold its bounds: rowBytes a positive multiple of 4 of at
 * least 4 x width (the painters trust this; a port whose portBits break it
 * draws nothing and reports paramErr). */
static inline bool qd_bits_shape_ok(const BitMap *bm)
{
    long w = (long)bm->bounds.right - bm->bounds.left;
    return bm->rowBytes > 0 && (bm->rowBytes & 3) == 0 && bm->rowBytes >= 4 * w;
}
/* Drawing through the current port is on (port exists, pen not hidden). */
bool qd_port_draws(void);

/* ---- text (qd_font.c) ----
 * The one built-in font: 13 rows per glyph (ascent 10 including the
 * baseline row, descent 3), each row a string of '#' (ink) and '.', all rows
 * of a glyph the same width; the advance is that width plus one blank column. */
enum { QD_FONT_HEIGHT = 13, QD_FONT_ASCENT = 10, QD_FONT_DESCENT = 3, QD_FONT_LEADING = 2,
       QD_FONT_FIRST = 32, QD_FONT_LAST = 126 };
typedef struct qd_glyph {
    const char *row[QD_FONT_HEIGHT];
} qd_glyph;
/* The glyph of byte ch (the missing-character box outside 32..126). */
const qd_glyph *qd_font_glyph(unsigned char ch);
/* Its ink width in pixels. */
int qd_glyph_width(const qd_glyph *g);
/* The same glyph as the painters use it: its width and one ink mask per row,
 * bit c set when column c is '#'. Built from the pictures on first use, so a
 * width is one load and composing a glyph touches only its ink. */
typedef struct qd_glyph_bits {
    uint16_t row[QD_FONT_HEIGHT];
    uint8_t  width;
} qd_glyph_bits;
const qd_glyph_bits *qd_font_bits(unsigned char ch);

#endif
