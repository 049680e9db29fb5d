/*
 * MacMemory.h - the Memory Manager under the name Apple's Universal
 * Interfaces give it, for Classic source: every routine of
 * MemoryMgr/MemoryManager.h, the UPP constructors, disposers and invokers
 * for grow-zone and purge-warning procedures, and the routine names of
 * older interfaces (DisposHandle, ResrvMem, ApplicZone, ...).
 *
 * A UPP is the procedure pointer itself (one instruction set, one calling
 * convention), so NewGrowZoneUPP allocates nothing and DisposeGrowZoneUPP
 * has nothing to free.
 */
#ifndef MACMEMORY_H
#define MACMEMORY_H

#include "MacTypes.h"
#include "MemoryMgr/MemoryManager.h"

static inline GrowZoneUPP NewGrowZoneUPP(GrowZoneProcPtr userRoutine) { return userRoutine; }
static inline PurgeUPP NewPurgeUPP(PurgeProcPtr userRoutine) { return userRoutine; }
static inline void DisposeGrowZoneUPP(GrowZoneUPP userUPP) { (void)userUPP; }
static inline void DisposePurgeUPP(PurgeUPP userUPP) { (void)userUPP; }
static inline long InvokeGrowZoneUPP(Size cbNeeded, GrowZoneUPP userUPP) { return userUPP(cbNeeded); }
static inline void InvokePurgeUPP(Handle blockToPurge, PurgeUPP userUPP) { userUPP(blockToPurge); }

/* Older names of the same routines. */
#define ApplicZone()                       ApplicationZone()
#define DisposPtr(p)                       DisposePtr(p)
#define DisposHandle(h)                    DisposeHandle(h)
#define ReallocHandle(h, byteCount)        ReallocateHandle((h), (byteCount))
#define ResrvMem(cbNeeded)                 ReserveMem(cbNeeded)
#define MFTempNewHandle(size, resultCode)  TempNewHandle((size), (resultCode))
#define MFMaxMem(grow)                     TempMaxMem(grow)
#define MFFreeMem()                        TempFreeMem()
#define MFTopMem()                         TempTopMem()

#endif
