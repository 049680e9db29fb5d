/*
 * MemoryManager.h - the Classic Mac OS Memory Manager: heap zones,
 * nonrelocatable blocks (Ptr), relocatable blocks reached through master
 * pointers (Handle), compaction, purging and grow-zone procedures.
 *
 * Names, argument order and types follow Apple's Universal Interfaces
 * (Memory.h / MacMemory.h), adapted to LP64: Size is long. Semantics follow
 * Inside Macintosh: Memory (1992); where it and IM vol. II differ the
 * choice is noted at the routine's definition. Every routine sets the value
 * MemError() returns. The Memory Manager works only on memory it is given
 * (InitZone, mm_install_zones); it knows nothing of the nanokernel.
 */
#ifndef MEMORYMGR_MEMORYMANAGER_H
#define MEMORYMGR_MEMORYMANAGER_H

#include "MacTypes.h"

/* HGetState/HSetState bits. */
enum { kHandleLockedMask = 0x80, kHandlePurgeableMask = 0x40, kHandleIsResourceMask = 0x20 };

/*
 * A heap zone: this header, the allocator's private state (allocPtr), a
 * run of blocks from heapData, then a 16-byte trailer at bkLim. The fields
 * are Inside Macintosh's, in its order, with LP64 widths (counts are long).
 * Programs may read them and set gzProc, purgeProc and moreMast; the rest
 * is the Memory Manager's to write. The counts are true between calls
 * (the heap check verifies them).
 */
struct Zone {
    Ptr         bkLim;       /* the zone trailer: the end of the block run */
    Ptr         purgePtr;    /* reserved (NULL): purging walks the zone from the bottom */
    Ptr         hFstFree;    /* first free master pointer, NULL if none */
    Size        zcbFree;     /* free bytes (sum of free blocks' physical sizes) */
    GrowZoneUPP gzProc;      /* grow-zone procedure or NULL */
    short       moreMast;    /* master pointers allocated per MoreMasters */
    short       flags;       /* reserved (0) */
    long        cntRel;      /* allocated relocatable blocks */
    long        maxRel;      /* the most cntRel has been */
    long        cntNRel;     /* allocated nonrelocatable blocks, master-pointer blocks included */
    long        maxNRel;     /* the most cntNRel has been */
    long        cntEmpty;    /* free master pointers */
    long        cntHandles;  /* master pointers in the zone, free or not */
    Size        minCBFree;   /* the least zcbFree has been after an allocation */
    PurgeUPP    purgeProc;   /* purge-warning procedure or NULL */
    Ptr         sparePtr;    /* reserved (NULL) */
    Ptr         allocPtr;    /* the allocator's private state, right after this header */
    Ptr         heapData;    /* the first block of the zone */
};

/* ---- errors ---- */
OSErr  MemError(void);                       /* result of the last Memory Manager call */

/* ---- zones ---- */
void   InitZone(GrowZoneProcPtr pGrowZone, short cMoreMasters, void *limitPtr, void *startPtr); /* make a zone on [startPtr,limitPtr) and make it current */
THz    GetZone(void);                        /* the current zone */
void   SetZone(THz hz);                      /* make hz the current zone */
THz    SystemZone(void);                     /* the System zone */
THz    ApplicationZone(void);                /* the Application zone */
THz    HandleZone(Handle h);                 /* zone holding h's master pointer */
THz    PtrZone(Ptr p);                       /* zone holding nonrelocatable block p */
void   SetGrowZone(GrowZoneProcPtr growZone);/* set the current zone's grow-zone procedure */
Handle GZSaveHnd(void);                      /* handle the grow-zone proc must not move or purge */
void   InitApplZone(void);                   /* reinitialise the Application zone (all its blocks are lost) */
void   SetApplLimit(void *zoneLimit);        /* set how far the Application zone may grow */
Ptr    GetApplLimit(void);                   /* how far the Application zone may grow */
void   MaxApplZone(void);                    /* grow the Application zone to its limit now */
void   MoreMasters(void);                    /* add a block of master pointers to the current zone */
Ptr    TopMem(void);                         /* end of the Application zone's storage */
long   StackSpace(void);                     /* bytes between the stack pointer and ApplLimit (approximate) */

/* ---- nonrelocatable blocks ----
 * Alignment: every block's data is 16-byte aligned. A request of at least
 * CONFIG_MM_REMAP_MIN bytes (config.mk MM_REMAP_MIN, 64 KiB by default; 0:
 * none) gets page-aligned (4096-byte) data, 2 MiB-aligned from 32 MiB,
 * in any zone, whenever a free block has room for the request plus the
 * alignment plus 64 bytes; in a zone too full for that it is placed as a
 * small block. Code that must have page-aligned memory whatever the zone's
 * state (a driver's buffer, a frame buffer's back buffer) takes it from
 * the nanokernel: kmalloc_aligned(PAGE_SIZE, n) or pmm_alloc_pages. */
Ptr    NewPtr(Size byteCount);               /* nonrelocatable block in the current zone */
Ptr    NewPtrClear(Size byteCount);          /* NewPtr, zero-filled */
Ptr    NewPtrSys(Size byteCount);            /* NewPtr in the System zone */
Ptr    NewPtrSysClear(Size byteCount);       /* NewPtrSys, zero-filled */
void   DisposePtr(Ptr p);                    /* free a nonrelocatable block */
Size   GetPtrSize(Ptr p);                    /* exact logical size of p */
void   SetPtrSize(Ptr p, Size newSize);      /* resize p in place (never moves it) */

/* ---- relocatable blocks ---- */
Handle NewHandle(Size byteCount);            /* relocatable block in the current zone */
Handle NewHandleClear(Size byteCount);       /* NewHandle, zero-filled */
Handle NewHandleSys(Size byteCount);         /* NewHandle in the System zone */
Handle NewHandleSysClear(Size byteCount);    /* NewHandleSys, zero-filled */
Handle NewEmptyHandle(void);                 /* master pointer only, *h == NULL */
Handle NewEmptyHandleSys(void);              /* NewEmptyHandle in the System zone */
void   DisposeHandle(Handle h);              /* free the block and the master pointer */
Size   GetHandleSize(Handle h);              /* exact logical size (0 if empty) */
void   SetHandleSize(Handle h, Size newSize);/* resize; moves the block if unlocked and needed */
Handle RecoverHandle(Ptr p);                 /* handle whose master pointer value is p (current zone) */
Handle RecoverHandleSys(Ptr p);              /* RecoverHandle in the System zone */
void   ReallocateHandle(Handle h, Size byteCount); /* give h a fresh block (old contents lost) */
void   EmptyHandle(Handle h);                /* free h's block, keep the master pointer (*h = NULL) */
void   HLock(Handle h);                      /* set the lock bit: the block will not move */
void   HUnlock(Handle h);                    /* clear the lock bit */
void   HPurge(Handle h);                     /* set the purgeable bit */
void   HNoPurge(Handle h);                   /* clear the purgeable bit */
void   HSetRBit(Handle h);                   /* set the resource bit */
void   HClrRBit(Handle h);                   /* clear the resource bit */
SInt8  HGetState(Handle h);                  /* lock 0x80 | purge 0x40 | resource 0x20 */
void   HSetState(Handle h, SInt8 flags);     /* set all three bits from flags */
void   MoveHHi(Handle h);                    /* move an unlocked block as high in its zone as possible */
void   HLockHi(Handle h);                    /* MoveHHi then HLock */

/* ---- space ---- */
long   FreeMem(void);                        /* free bytes in the current zone (changes nothing) */
long   FreeMemSys(void);                     /* FreeMem of the System zone */
Size   MaxMem(Size *grow);                   /* compact and purge; largest block; *grow = room to grow */
Size   MaxMemSys(Size *grow);                /* MaxMem of the System zone */
long   MaxBlock(void);                       /* largest block obtainable by compaction (changes nothing) */
long   MaxBlockSys(void);                    /* MaxBlock of the System zone */
Size   CompactMem(Size cbNeeded);            /* compact the current zone; largest free block */
Size   CompactMemSys(Size cbNeeded);         /* CompactMem of the System zone */
void   PurgeMem(Size cbNeeded);              /* purge purgeable blocks (no compaction) */
void   PurgeMemSys(Size cbNeeded);           /* PurgeMem of the System zone */
void   PurgeSpace(long *total, long *contig);/* free bytes and largest block after a purge (changes nothing) */
void   ReserveMem(Size cbNeeded);            /* make room low in the current zone */
void   ReserveMemSys(Size cbNeeded);         /* ReserveMem in the System zone */

/* ---- copying ---- */
void   BlockMove(const void *srcPtr, void *destPtr, Size byteCount);     /* overlap-safe copy */
void   BlockMoveData(const void *srcPtr, void *destPtr, Size byteCount); /* same, data only */
OSErr  HandToHand(Handle *theHndl);          /* replace *theHndl by a copy in the same zone */
OSErr  PtrToHand(const void *srcPtr, Handle *dstHndl, long size); /* new handle holding a copy */
OSErr  PtrToXHand(const void *srcPtr, Handle dstHndl, long size); /* existing handle := copy */
OSErr  HandAndHand(Handle hand1, Handle hand2); /* append hand1's data to hand2 */
OSErr  PtrAndHand(const void *ptr1, Handle hand2, long size); /* append bytes to hand2 */
long   Munger(Handle h, long offset, const void *ptr1, long len1, const void *ptr2, long len2); /* search/replace in h */

/* ---- addresses, low-memory globals, virtual memory (mm_vm.c) ---- */
/* The largest byte count one request may ask for (2^56: keeps all size
 * arithmetic far from overflow). */
#define maxSize ((Size)1 << 56)

Ptr    StripAddress(void *theAddress);       /* the address itself: the address space is flat */
THz    LMGetApplZone(void);                  /* ApplZone: the Application zone */
THz    LMGetSysZone(void);                   /* SysZone: the System zone */
THz    LMGetTheZone(void);                   /* TheZone: the current zone */
void   LMSetTheZone(THz value);              /* SetZone(value) */
Ptr    LMGetApplLimit(void);                 /* ApplLimit: how far the Application zone may grow */
void   LMSetApplLimit(Ptr value);            /* SetApplLimit(value) */
Ptr    LMGetHeapEnd(void);                   /* HeapEnd: the end of the Application zone's block run */
Ptr    LMGetMemTop(void);                    /* MemTop: the end of the Application zone's storage */

/* IM: Memory, chapter 3. Memory is never paged out here, so a mapped range
 * is always held, locked and resident. RAM is identity-mapped (one physical
 * run); a zone committed on demand (the dynamic backend) may be one run per
 * page, which GetPhysical reports entry by entry. A range that is not
 * entirely mapped memory is paramErr. */
typedef struct MemoryBlock {
    void         *address;
    unsigned long count;
} MemoryBlock;
enum { defaultPhysicalEntryCount = 8 };
typedef struct LogicalToPhysicalTable {
    MemoryBlock logical;
    MemoryBlock physical[defaultPhysicalEntryCount];
} LogicalToPhysicalTable;
OSErr  HoldMemory(void *address, unsigned long count);
OSErr  UnholdMemory(void *address, unsigned long count);
OSErr  LockMemory(void *address, unsigned long count);
OSErr  LockMemoryForOutput(void *address, unsigned long count);
OSErr  LockMemoryContiguous(void *address, unsigned long count);
OSErr  UnlockMemory(void *address, unsigned long count);
/* Physical runs of addresses->logical: *physicalEntryCount 0 asks how many
 * entries the whole range needs; otherwise fills up to that many, returns
 * how many it used and advances addresses->logical past what it translated. */
OSErr  GetPhysical(LogicalToPhysicalTable *addresses, unsigned long *physicalEntryCount);

/* ---- temporary memory (see src/MemoryMgr/mm_temp.c) ---- */
/* Temporary memory: each block is a run of whole pages from the platform
 * (the physical page manager in the kernel), outside every zone; the
 * master pointer is a slot of the temporary zone, or of the System zone
 * without one. A platform without page runs keeps the blocks in that zone. */
Handle TempNewHandle(Size logicalSize, OSErr *resultCode); /* handle whose block is a page run */
long   TempFreeMem(void);                    /* bytes of page runs the platform could give now */
Size   TempMaxMem(Size *grow);               /* largest temporary handle that can be made now; *grow = 0 */
Ptr    TempTopMem(void);                     /* end of the zone holding temporary master pointers */

#endif
