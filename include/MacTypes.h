/*
 * MacTypes.h - the basic Toolbox types, named as in Apple's Universal
 * Interfaces and adapted to LP64: Size and long are 64 bits, pointers are
 * 8 bytes, so a zone can span more than 4 GiB.
 *
 * Only what the Memory Manager and its callers need lives here; the Zone
 * record itself is defined in MemoryMgr/MemoryManager.h.
 */
#ifndef MACTYPES_H
#define MACTYPES_H

#include <stddef.h>
#include <stdint.h>

typedef uint8_t  UInt8;
typedef int8_t   SInt8;
typedef uint16_t UInt16;
typedef int16_t  SInt16;
typedef uint32_t UInt32;
typedef int32_t  SInt32;
typedef uint64_t UInt64;
typedef int64_t  SInt64;

typedef unsigned char Boolean;   /* 0 = false, anything else = true */
typedef char         *Ptr;       /* address of a nonrelocatable block */
typedef Ptr          *Handle;    /* address of a master pointer */
typedef long          Size;      /* byte count; LP64: 64 bits */
typedef SInt16        OSErr;     /* result code; 0 = noErr */
typedef UInt32        OSType;

struct Zone;
typedef struct Zone  Zone;
typedef Zone        *THz;        /* a heap zone */

/* Called when a zone cannot satisfy a request; returns bytes freed (0: none). */
typedef long (*GrowZoneProcPtr)(Size cbNeeded);
/* Called just before the Memory Manager purges blockToPurge. */
typedef void (*PurgeProcPtr)(Handle blockToPurge);
typedef GrowZoneProcPtr GrowZoneUPP;
typedef PurgeProcPtr    PurgeUPP;

enum {
    noErr        = 0,
    paramErr     = -50,
    memROZErr    = -99,   /* operation on a read-only zone */
    memFullErr   = -108,  /* not enough room in the zone */
    nilHandleErr = -109,  /* handle is NULL or its master pointer is NULL */
    memWZErr     = -111,  /* operation on a free (disposed) block */
    memPurErr    = -112,  /* operation on a locked block that must be purged/emptied */
    memAZErr     = -113,  /* heap check: address outside the zone */
    memPCErr     = -114,  /* heap check: master pointer / pointer inconsistent */
    memBCErr     = -115,  /* heap check: block header inconsistent */
    memSCErr     = -116,  /* heap check: size inconsistent */
    memLockedErr = -117,  /* block is locked */
};

#endif
