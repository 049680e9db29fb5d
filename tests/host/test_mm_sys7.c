/*
 * test_mm_sys7.c - a client written the way System 7 source is written,
 * against the Universal Interfaces names alone (Memory.h, MacTypes.h):
 * pascal callbacks made into UPPs, Pascal strings, the old routine names,
 * the low-memory accessors, StripAddress and the virtual-memory routines.
 * It must compile warning-free with gcc and clang-19 (the Makefile also
 * checks it with $(FUZZCC)) and behave as Inside Macintosh says.
 */
#include <Memory.h>
#include <MacTypes.h>

#include "tap.h"

enum { kZoneBytes = 48 * 1024, kMasters = 16 };

static char gZoneStorage[kZoneBytes] __attribute__((aligned(16)));
static long gGrowCalls;
static Size gLastNeeded;

static pascal long MyGrowZone(Size cbNeeded)
{
    gGrowCalls++;
    gLastNeeded = cbNeeded;
    return 0;
}

static short gPurgeWarnings;

static pascal void MyPurgeWarning(Handle blockToPurge)
{
    if (blockToPurge != nil)
        gPurgeWarnings++;
}

/* Copy a Pascal string into a new handle, as a 1991 utility would. */
static StringHandle NewStringHandle(ConstStr255Param s)
{
    StringHandle h = (StringHandle)NewHandle((Size)s[0] + 1);
    if (h != nil) {
        HLock((Handle)h);
        BlockMove(s, *h, (Size)s[0] + 1);
        HUnlock((Handle)h);
    }
    return h;
}

static void TestTypes(void)
{
    Point pt = { 10, 20 };
    Rect r = { 0, 0, 342, 512 };
    Str255 title = "\010Untitled";
    tap_ok(sizeof(Point) == 4 && sizeof(Rect) == 8 && pt.v == 10 && r.right == 512,
           "Point and Rect have Apple's 16-bit layout");
    tap_ok(sizeof(Str255) == 256 && sizeof(Fixed) == 4 && sizeof(ResType) == 4 && sizeof(OSStatus) == 4
               && sizeof(SignedByte) == 1 && sizeof(Byte) == 1,
           "Str255, Fixed, ResType, OSStatus, SignedByte and Byte have their sizes");
    tap_ok(title[0] == 8 && title[1] == 'U', "a Str255 holds a Pascal string");
    ProcPtr none = nil;
    tap_ok(none == nil && StripAddress(title) == (Ptr)title, "nil is a null pointer; StripAddress is the identity");
}

static void TestZone(void)
{
    GrowZoneUPP gz = NewGrowZoneUPP(MyGrowZone);
    InitZone(gz, kMasters, gZoneStorage + kZoneBytes, gZoneStorage);
    THz myZone = GetZone();
    tap_ok(MemError() == noErr && myZone == (THz)gZoneStorage && LMGetTheZone() == myZone,
           "InitZone makes the new zone current (LMGetTheZone agrees)");
    myZone->purgeProc = NewPurgeUPP(MyPurgeWarning);

    StringHandle name = NewStringHandle((ConstStr255Param)"\010System 7");
    tap_ok(name != nil && GetHandleSize((Handle)name) == 9 && (*name)[0] == 8 && (*name)[8] == '7',
           "a Pascal string copied into a handle");

    ResrvMem(1000);
    Handle h = NewHandle(1000);
    tap_ok(h != nil && MemError() == noErr, "ResrvMem then NewHandle");
    ReallocHandle(h, 2000);
    tap_ok(MemError() == noErr && GetHandleSize(h) == 2000, "ReallocHandle gives the handle a new block");
    DisposHandle(h);
    tap_ok(MemError() == noErr, "DisposHandle");

    Ptr p = NewPtr(500);
    DisposPtr(p);
    tap_ok(p != nil && MemError() == noErr, "NewPtr, DisposPtr");

    Handle cache = NewHandle(4000);
    HPurge(cache);
    gGrowCalls = 0;
    Handle big = NewHandle(maxSize);
    tap_ok(big == nil && MemError() == memFullErr, "a request of maxSize bytes does not fit: memFullErr");
    Handle huge = NewHandle(kZoneBytes);
    tap_ok(huge == nil && MemError() == memFullErr && gGrowCalls > 0 && gPurgeWarnings == 1 && *cache == nil,
           "a request that cannot fit purges (with a warning) and calls the grow-zone procedure");
    DisposHandle(cache);
    DisposHandle((Handle)name);
    DisposeGrowZoneUPP(gz);
    DisposePurgeUPP(myZone->purgeProc);
    tap_ok(MemError() == noErr && ApplicZone() == LMGetApplZone() && SystemZone() == LMGetSysZone(),
           "ApplicZone and SystemZone agree with the low-memory globals");
    LMSetTheZone(myZone);
    tap_ok(GetZone() == myZone && MemError() == noErr, "LMSetTheZone sets the current zone");
}

static void TestVirtualMemory(void)
{
    static char buffer[8192];
    tap_ok(HoldMemory(buffer, sizeof buffer) == noErr && LockMemory(buffer, sizeof buffer) == noErr
               && LockMemoryContiguous(buffer, sizeof buffer) == noErr
               && UnlockMemory(buffer, sizeof buffer) == noErr && UnholdMemory(buffer, sizeof buffer) == noErr,
           "HoldMemory, LockMemory, LockMemoryContiguous, UnlockMemory, UnholdMemory on mapped memory");
    tap_ok(HoldMemory(nil, 16) == paramErr && MemError() == paramErr
               && LockMemory((char *)-4096, 8192) == paramErr,
           "a range that is not mapped memory is paramErr");

    LogicalToPhysicalTable table;
    unsigned long count = 0;
    table.logical.address = buffer;
    table.logical.count = sizeof buffer;
    OSErr err = GetPhysical(&table, &count);
    tap_ok(err == noErr && count == 1 && table.logical.address == buffer,
           "GetPhysical with no entries says how many are needed and changes nothing");
    count = defaultPhysicalEntryCount;
    err = GetPhysical(&table, &count);
    tap_ok(err == noErr && count == 1 && table.physical[0].address == (void *)buffer
               && table.physical[0].count == sizeof buffer && table.logical.count == 0
               && table.logical.address == buffer + sizeof buffer,
           "GetPhysical: one physical run, the identity; the logical block is used up");
}

int main(void)
{
    TestTypes();
    TestZone();
    TestVirtualMemory();
    return tap_done();
}
