/*
 * Quickdraw.h - QuickDraw: points and rectangles, regions, graphics ports,
 * pens, lines, shapes, bit transfer and text, named as in Apple's Universal
 * Interfaces (Quickdraw.h) with their record layouts adapted to LP64
 * (pointers and handles are 8 bytes, long is 64 bits; coordinates stay
 * 16-bit shorts, so the plane is -32768..32766, 0x7FFF being the region
 * row terminator). Semantics follow Inside Macintosh: Imaging With
 * QuickDraw (1994).
 *
 * Pixels. Every BitMap here is 32 bits per pixel, 0x00RRGGBB, rowBytes
 * bytes per row (a multiple of 4, at most 0x7FFC), and bounds gives the
 * local coordinates of its top-left pixel and its extent - the same shape
 * as the linear framebuffer, so the screen is just another BitMap. Patterns
 * and fonts are 1 bit deep: a 1 bit is drawn in the port's foreground
 * colour (fgColor, black by default = 0x00000000), a 0 bit in its background
 * colour (bkColor, white = 0x00FFFFFF). The source modes of CopyBits treat a
 * pixel as the complement of a 1-bit value (black = 1), so srcOr darkens
 * (dst & src), srcXor inverts where the source is black, srcBic whitens
 * where the source is black; on black-and-white images that is exactly
 * classic 1-bit QuickDraw.
 *
 * The screen. The platform hands QuickDraw its framebuffer (or, without
 * one, an off-screen buffer of the same shape it allocated itself) by
 * calling qd_set_screen(baseAddr, rowBytes, width, height) before InitGraf.
 * InitGraf copies that into screenBits (bounds = 0,0,width,height) and every
 * OpenPort starts on screenBits with portRect = screenBits.bounds. Without a
 * qd_set_screen call screenBits is empty (baseAddr NULL, bounds 0,0,0,0) and
 * drawing into it changes nothing. Drawing elsewhere only needs a BitMap the
 * caller fills in and SetPortBits.
 *
 * Memory. Regions are relocatable blocks of the current zone, reached only
 * through the Memory Manager; a QuickDraw call that allocates may move
 * every unlocked handle, regions included. Every call on ports, regions or
 * drawing sets QDError() (Point/Rect arithmetic cannot fail): noErr,
 * memFullErr when the zone had no room (the destination region is left
 * unchanged and valid), rgnOverflowErr when a region would exceed 64 KiB,
 * paramErr for a NULL handle, a result outside the coordinate plane or a
 * bad argument (nothing changed). Rect, Pattern, BitMap and string
 * arguments are copied before anything allocates, so they may point into
 * relocatable blocks (FrameRect(&(**rgn).rgnBBox) is fine); DrawText's
 * buffer is read throughout and must not move.
 *
 * Not provided: pictures, polygons, arcs, colour QuickDraw (PixMaps, CGrafPorts,
 * RGBColor), bottleneck procedures and the cursor routines (the Cursor
 * record and the arrow are here for the code that draws the cursor).
 */
#ifndef QUICKDRAW_H
#define QUICKDRAW_H

#include "MacTypes.h"

/* Point, Rect, Fixed, Style and the Pascal string types come from MacTypes.h. */

/* ---- regions ---------------------------------------------------------------
 * A region is rgnSize bytes: this 10-byte header, then (unless the region
 * is empty or one rectangle) rows of big-endian-free native shorts:
 *   y, x1, x2, ..., 0x7FFF      (per row: the inversion points of row y)
 * and a final 0x7FFF. An inversion point (x, y) flips every pixel (x', y')
 * with x' >= x and y' >= y, so a row lists where the scanline starting at
 * y differs from the one above it. Canonical form (every result is in it,
 * qd_rgn_check verifies it): rows strictly increasing in y, each with an
 * even, non-zero count of strictly increasing x < 0x7FFF; rgnBBox exactly
 * encloses the pixels; an empty region is 10 bytes with bbox 0,0,0,0, a
 * rectangle is 10 bytes with its bbox, and nothing else is 10 bytes. Two
 * regions hold the same pixels exactly when their bytes are equal. */
typedef struct MacRegion {
    unsigned short rgnSize;        /* bytes, header included; <= 0xFFFF */
    Rect           rgnBBox;
} MacRegion;
typedef MacRegion  *RgnPtr;
typedef RgnPtr     *RgnHandle;

/* ---- patterns, bitmaps, cursors ------------------------------------------- */
typedef struct Pattern {
    UInt8 pat[8];                  /* row 0..7, bit 0x80 = leftmost pixel; 1 = foreground */
} Pattern;
typedef const Pattern *ConstPatternParam;

typedef struct BitMap {
    Ptr   baseAddr;                /* pixel (bounds.left, bounds.top) */
    short rowBytes;                /* bytes per row, multiple of 4, 32 bpp 0x00RRGGBB */
    Rect  bounds;                  /* local coordinates of the pixel array */
} BitMap;
typedef BitMap *BitMapPtr;

typedef short Bits16[16];
typedef struct Cursor {
    Bits16 data;                   /* 1 = black */
    Bits16 mask;                   /* 1 = the pixel is drawn (data 0 there: white) */
    Point  hotSpot;                /* the point in the 16x16 image that is the mouse */
} Cursor;

typedef struct PenState {
    Point   pnLoc;
    Point   pnSize;
    short   pnMode;
    Pattern pnPat;
} PenState;

typedef struct FontInfo {
    short ascent;
    short descent;
    short widMax;
    short leading;
} FontInfo;

/* ---- graphics ports ------------------------------------------------------- */
typedef struct GrafPort {
    short      device;             /* 0: the screen */
    BitMap     portBits;           /* where drawing lands */
    Rect       portRect;           /* the port's rectangle, local coordinates */
    RgnHandle  visRgn;             /* drawing is clipped to visRgn ... */
    RgnHandle  clipRgn;            /* ... intersected with clipRgn */
    Pattern    bkPat;              /* Erase* fills with this */
    Pattern    fillPat;            /* last pattern given to a Fill* call */
    Point      pnLoc;              /* pen location (MoveTo/LineTo) */
    Point      pnSize;             /* pen width (h) and height (v) */
    short      pnMode;             /* pattern transfer mode for lines and Paint/Frame */
    Pattern    pnPat;
    short      pnVis;              /* <0: hidden (HidePen/ShowPen count) */
    short      txFont;
    StyleField txFace;             /* bold draws the glyph twice; others draw plain */
    short      txMode;             /* srcOr, srcCopy, srcXor or srcBic */
    short      txSize;             /* 0 = the font's size (12); glyphs exist at 12 only */
    Fixed      spExtra;            /* extra width of a space, 16.16 */
    long       fgColor;            /* old-style colour (blackColor ...) */
    long       bkColor;
    short      colrBit;
    short      patStretch;
    Handle     picSave;            /* always NULL: pictures are not provided */
    Handle     rgnSave;            /* non-NULL between OpenRgn and CloseRgn */
    Handle     polySave;           /* always NULL: polygons are not provided */
    void      *grafProcs;          /* always NULL: no bottleneck procedures */
} GrafPort;
typedef GrafPort *GrafPtr;

/* The QuickDraw globals. InitGraf(&qd.thePort) points QuickDraw at them;
 * qd is defined by QuickDraw itself so every client shares one set. */
typedef struct QDGlobals {
    char    privates[76];
    long    randSeed;
    BitMap  screenBits;
    Cursor  arrow;
    Pattern dkGray;
    Pattern ltGray;
    Pattern gray;
    Pattern black;
    Pattern white;
    GrafPtr thePort;
} QDGlobals;
extern QDGlobals qd;

/* ---- constants ------------------------------------------------------------ */
enum {                              /* transfer modes */
    srcCopy = 0, srcOr = 1, srcXor = 2, srcBic = 3,
    notSrcCopy = 4, notSrcOr = 5, notSrcXor = 6, notSrcBic = 7,
    patCopy = 8, patOr = 9, patXor = 10, patBic = 11,
    notPatCopy = 12, notPatOr = 13, notPatXor = 14, notPatBic = 15,
};
enum {                              /* Style bits for TextFace */
    normal = 0, bold = 1, italic = 2, underline = 4, outline = 8,
    shadow = 0x10, condense = 0x20, extend = 0x40,
};
enum {                              /* old-style colours for ForeColor/BackColor */
    whiteColor = 30, blackColor = 33, yellowColor = 69, magentaColor = 137,
    redColor = 205, cyanColor = 273, greenColor = 341, blueColor = 409,
};
enum { systemFont = 0, applFont = 1 };  /* both draw with the built-in font */
enum { rgnOverflowErr = -147 };         /* a region would exceed 0xFFFF bytes */

/* ---- initialisation and ports --------------------------------------------- */
void    InitGraf(void *globalPtr);          /* globalPtr = &qd.thePort; sets patterns, arrow, screenBits, randSeed */
void    OpenPort(GrafPtr port);             /* InitPort plus new visRgn/clipRgn; makes port current */
void    InitPort(GrafPtr port);             /* reset an open port's fields to the defaults */
void    ClosePort(GrafPtr port);            /* dispose visRgn and clipRgn */
void    SetPort(GrafPtr port);              /* make port the current port (qd.thePort) */
void    GetPort(GrafPtr *port);             /* *port = the current port */
void    SetPortBits(const BitMap *bm);      /* the current port draws into bm */
void    PortSize(short width, short height);/* resize portRect, keeping its top-left */
void    MovePortTo(short leftGlobal, short topGlobal); /* move portRect within portBits */
void    SetOrigin(short h, short v);        /* local coordinates of portRect's top-left */
void    SetClip(RgnHandle rgn);             /* clipRgn := copy of rgn */
void    GetClip(RgnHandle rgn);             /* rgn := copy of clipRgn */
void    ClipRect(const Rect *r);            /* clipRgn := r */
void    BackPat(ConstPatternParam pat);     /* bkPat := pat */
void    ForeColor(long color);              /* fgColor := one of the old-style colours */
void    BackColor(long color);              /* bkColor := one of the old-style colours */
void    LocalToGlobal(Point *pt);           /* current port's local -> global (screen) */
void    GlobalToLocal(Point *pt);           /* global -> current port's local */
OSErr   QDError(void);                      /* result of the last QuickDraw call */

/* ---- points and rectangles ------------------------------------------------ */
void    SetPt(Point *pt, short h, short v);
void    AddPt(Point src, Point *dst);
void    SubPt(Point src, Point *dst);
Boolean EqualPt(Point pt1, Point pt2);
void    SetRect(Rect *r, short left, short top, short right, short bottom);
void    OffsetRect(Rect *r, short dh, short dv);
void    InsetRect(Rect *r, short dh, short dv);  /* an inverted result becomes 0,0,0,0 */
Boolean SectRect(const Rect *src1, const Rect *src2, Rect *dstRect); /* false and 0,0,0,0 if disjoint */
void    UnionRect(const Rect *src1, const Rect *src2, Rect *dstRect);
Boolean PtInRect(Point pt, const Rect *r);      /* the pixel below-right of pt */
void    Pt2Rect(Point pt1, Point pt2, Rect *dstRect);
Boolean EqualRect(const Rect *rect1, const Rect *rect2);
Boolean EmptyRect(const Rect *r);               /* bottom <= top or right <= left */

/* ---- regions ---------------------------------------------------------------- */
RgnHandle NewRgn(void);                     /* an empty region; NULL and memFullErr if no room */
void    DisposeRgn(RgnHandle rgn);
void    CopyRgn(RgnHandle srcRgn, RgnHandle dstRgn);
void    SetEmptyRgn(RgnHandle rgn);
void    SetRectRgn(RgnHandle rgn, short left, short top, short right, short bottom);
void    RectRgn(RgnHandle rgn, const Rect *r);
void    OpenRgn(void);                      /* start recording frames and lines in thePort */
void    CloseRgn(RgnHandle dstRgn);         /* dstRgn := what was recorded (even-odd) */
void    OffsetRgn(RgnHandle rgn, short dh, short dv);
void    InsetRgn(RgnHandle rgn, short dh, short dv); /* erode (>0) / dilate (<0) by a box, h then v */
void    SectRgn(RgnHandle srcRgnA, RgnHandle srcRgnB, RgnHandle dstRgn);
void    UnionRgn(RgnHandle srcRgnA, RgnHandle srcRgnB, RgnHandle dstRgn);
void    DiffRgn(RgnHandle srcRgnA, RgnHandle srcRgnB, RgnHandle dstRgn);
void    XorRgn(RgnHandle srcRgnA, RgnHandle srcRgnB, RgnHandle dstRgn);
Boolean PtInRgn(Point pt, RgnHandle rgn);
Boolean RectInRgn(const Rect *r, RgnHandle rgn);   /* exact: some pixel of r is in rgn */
Boolean EqualRgn(RgnHandle rgnA, RgnHandle rgnB);
Boolean EmptyRgn(RgnHandle rgn);
void    FrameRgn(RgnHandle rgn);            /* the pen's inside outline of rgn */
void    PaintRgn(RgnHandle rgn);
void    EraseRgn(RgnHandle rgn);
void    InvertRgn(RgnHandle rgn);
void    FillRgn(RgnHandle rgn, ConstPatternParam pat);

/* ---- pens and lines ------------------------------------------------------- */
void    HidePen(void);
void    ShowPen(void);
void    GetPen(Point *pt);
void    GetPenState(PenState *pnState);
void    SetPenState(const PenState *pnState);
void    PenSize(short width, short height);
void    PenMode(short mode);                /* a pattern mode, patCopy..notPatBic */
void    PenPat(ConstPatternParam pat);
void    PenNormal(void);                    /* 1x1, patCopy, black */
void    MoveTo(short h, short v);
void    Move(short dh, short dv);
void    LineTo(short h, short v);           /* the pen's rectangle dragged from pnLoc to (h,v) */
void    Line(short dh, short dv);

/* ---- rectangles, rounded rectangles, ovals ---------------------------------- */
void    FrameRect(const Rect *r);
void    PaintRect(const Rect *r);
void    EraseRect(const Rect *r);
void    InvertRect(const Rect *r);
void    FillRect(const Rect *r, ConstPatternParam pat);
void    FrameRoundRect(const Rect *r, short ovalWidth, short ovalHeight);
void    PaintRoundRect(const Rect *r, short ovalWidth, short ovalHeight);
void    EraseRoundRect(const Rect *r, short ovalWidth, short ovalHeight);
void    InvertRoundRect(const Rect *r, short ovalWidth, short ovalHeight);
void    FillRoundRect(const Rect *r, short ovalWidth, short ovalHeight, ConstPatternParam pat);
void    FrameOval(const Rect *r);
void    PaintOval(const Rect *r);
void    EraseOval(const Rect *r);
void    InvertOval(const Rect *r);
void    FillOval(const Rect *r, ConstPatternParam pat);

/* ---- bit transfer ------------------------------------------------------------ */
/* srcRect of srcBits to dstRect of dstBits (scaled, nearest pixel, if the
 * sizes differ) with a source mode, clipped to dstBits.bounds, thePort's
 * visRgn and clipRgn, and maskRgn when not NULL (all in dstBits' local
 * coordinates). Source and destination may overlap when the rectangles
 * have the same size (the walk order reads each pixel before writing it). */
void    CopyBits(const BitMap *srcBits, const BitMap *dstBits, const Rect *srcRect,
                 const Rect *dstRect, short mode, RgnHandle maskRgn);
/* Shift the pixels of r (clipped as drawing is) by dh, dv; what is left
 * uncovered is erased with bkPat and is returned in updateRgn (if not NULL). */
void    ScrollRect(const Rect *r, short dh, short dv, RgnHandle updateRgn);

/* ---- text ------------------------------------------------------------------- */
void    TextFont(short font);
void    TextFace(StyleParameter face);
void    TextMode(short mode);
void    TextSize(short size);
void    DrawChar(short ch);                 /* at pnLoc (baseline), advances pnLoc.h */
void    DrawString(ConstStr255Param s);
void    DrawText(const void *textBuf, short firstByte, short byteCount); /* allocates: lock a textBuf that lies in a handle */
short   CharWidth(short ch);
short   StringWidth(ConstStr255Param s);
short   TextWidth(const void *textBuf, short firstByte, short byteCount);
void    GetFontInfo(FontInfo *info);

/* ---- project extensions (not in Apple's interfaces) --------------------------- */
/* The platform's screen: base of the top-left pixel, bytes per row, size in
 * pixels. Call before InitGraf. paramErr (nothing kept) if rowBytes is not a
 * multiple of 4 in [4*width, 0x7FFC] or a size is not positive. */
OSErr   qd_set_screen(void *baseAddr, long rowBytes, short width, short height);
/* Verifies rgn is a valid canonical region (see above); noErr or the
 * first violation as paramErr, with a diagnostic when report is true. */
OSErr   qd_rgn_check(RgnHandle rgn, Boolean report);

#endif
