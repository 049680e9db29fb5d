/*
 * MacTypes.h - the basic Toolbox types and constants, named as in Apple's
 * Universal Interfaces and adapted to LP64: Size and long are 64 bits,
 * pointers are 8 bytes, so a zone can span more than 4 GiB. Types whose
 * width is part of a data format (Fixed, OSType, Point, Rect, OSStatus)
 * keep their 32- or 16-bit widths.
 *
 * Classic source writes `pascal` before Toolbox routines and callbacks; it
 * is defined empty here (every routine uses the C calling convention).
 * The Zone record itself is defined in MemoryMgr/MemoryManager.h.
 */
#ifndef MACTYPES_H
#define MACTYPES_H

#include <stddef.h>
#include <stdint.h>

#ifndef pascal
#define pascal
#endif
#ifndef nil
#define nil NULL
#endif

typedef uint8_t  UInt8;
typedef int8_t   SInt8;
typedef uint16_t UInt16;
typedef int16_t  SInt16;
typedef uint32_t UInt32;
typedef int32_t  SInt32;
typedef uint64_t UInt64;
typedef int64_t  SInt64;

typedef UInt8  Byte;
typedef SInt8  SignedByte;
typedef UInt8 *BytePtr;

typedef unsigned char Boolean;   /* 0 = false, anything else = true */
typedef char         *Ptr;       /* address of a nonrelocatable block */
typedef Ptr          *Handle;    /* address of a master pointer */
typedef long          Size;      /* byte count; LP64: 64 bits */
typedef unsigned long ByteCount;
typedef long          ByteOffset;
typedef unsigned long ItemCount;
typedef void         *LogicalAddress;
typedef const void   *ConstLogicalAddress;
typedef void         *PhysicalAddress;

typedef SInt16 OSErr;            /* result code; 0 = noErr */
typedef SInt32 OSStatus;         /* 32-bit result code */
typedef UInt32 FourCharCode;
typedef FourCharCode OSType;
typedef FourCharCode ResType;
typedef UInt32 OptionBits;

/* 16.16 and 2.30 fixed point; 16-bit fixed 8.8. */
typedef SInt32 Fixed;
typedef SInt32 Fract;
typedef short  ShortFixed;
typedef Fixed *FixedPtr;

typedef struct Point {
    short v;
    short h;
} Point;
typedef Point *PointPtr;

typedef struct Rect {
    short top;
    short left;
    short bottom;
    short right;
} Rect;
typedef Rect *RectPtr;

/* Text style: a set of bits (bold, italic, underline, ...). */
typedef unsigned char Style;
typedef short         StyleParameter;
typedef Style         StyleField;

/* Pascal strings: a length byte, then that many characters. */
typedef unsigned char        Str255[256];
typedef unsigned char        Str63[64];
typedef unsigned char        Str32[33];
typedef unsigned char        Str31[32];
typedef unsigned char        Str27[28];
typedef unsigned char        Str15[16];
typedef unsigned char       *StringPtr;
typedef StringPtr           *StringHandle;
typedef const unsigned char *ConstStringPtr;
typedef const unsigned char *ConstStr255Param;
typedef const unsigned char *ConstStr63Param;
typedef const unsigned char *ConstStr31Param;

/* A routine address. Universal procedure pointers are plain C function
 * pointers here: there is one instruction set and one calling convention. */
typedef long (*ProcPtr)(void);
typedef ProcPtr  UniversalProcPtr;
typedef ProcPtr *ProcHandle;

enum { kNilOptions = 0, kVariableLengthArray = 1 };

struct Zone;
typedef struct Zone  Zone;
typedef Zone        *THz;        /* a heap zone */

/* Called when a zone cannot satisfy a request: cbNeeded is the physical
 * size wanted (block header included); returns bytes freed (0: none). */
typedef long (*GrowZoneProcPtr)(Size cbNeeded);
/* Called just before the Memory Manager purges blockToPurge. */
typedef void (*PurgeProcPtr)(Handle blockToPurge);
typedef GrowZoneProcPtr GrowZoneUPP;
typedef PurgeProcPtr    PurgeUPP;

/* Result codes of the Memory Manager and the Virtual Memory Manager. */
enum {
    noErr        = 0,
    paramErr     = -50,
    memROZWarn   = -99,   /* operation on a read-only zone */
    memROZError  = -99,
    memROZErr    = -99,
    memFullErr   = -108,  /* not enough room in the zone */
    nilHandleErr = -109,  /* handle is NULL or its master pointer is NULL */
    memAdrErr    = -110,  /* address is odd or out of range */
    memWZErr     = -111,  /* operation on a free (disposed) block */
    memPurErr    = -112,  /* operation on a locked block that must be purged/emptied */
    memAZErr     = -113,  /* address is not in a heap zone */
    memPCErr     = -114,  /* master pointer / pointer inconsistent */
    memBCErr     = -115,  /* block header inconsistent */
    memSCErr     = -116,  /* size inconsistent */
    memLockedErr = -117,  /* block is locked */
    notEnoughMemoryErr      = -620,  /* not enough physical memory */
    notHeldErr              = -621,  /* range was not held */
    cannotMakeContiguousErr = -622,  /* range cannot be made physically contiguous */
    notLockedErr            = -623,  /* range was not locked */
    interruptsMaskedErr     = -624,  /* called with interrupts masked */
    cannotDeferErr          = -625,  /* cannot defer the user function */
    noMMUErr                = -626,  /* no memory management unit */
};

#endif
