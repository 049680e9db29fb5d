/*
 * Resources.h - the Resource Manager, read-only (Inside Macintosh: More
 * Macintosh Toolbox, chapter 1), over resource forks in Apple's format
 * that live in memory: on the kernel the "System" boot module GRUB loads,
 * on the host a buffer a test supplies.
 *
 * A fork becomes openable by name once rm_register_fork has checked it
 * (every offset and length inside the fork, reference lists outside the
 * type list and apart from each other, names inside the name list, no
 * type or ID listed twice); a fork that fails the check is refused with a
 * sentence saying why, and nothing of it is ever read.
 *
 * Resources are read into handles in the current zone (the System zone for
 * resSysHeap) with the resource bit set; resPurgeable ones are made
 * purgeable and resLocked ones locked. GetResource, Get1Resource,
 * GetIndResource, GetNamedResource and LoadResource read a purged resource
 * back into the same handle. Every call sets ResError.
 */
#ifndef RESOURCES_H
#define RESOURCES_H

#include <stddef.h>

#include "MacTypes.h"

typedef OSType ResType;
typedef unsigned char Str255[256];
typedef const unsigned char *ConstStr255Param;

/* Resource attributes (the reference's attribute byte). */
enum {
    resSysHeap = 64,        /* read into the System zone */
    resPurgeable = 32,      /* the handle is made purgeable */
    resLocked = 16,         /* the handle is locked */
    resProtected = 8,
    resPreload = 4,
    resChanged = 2,
};

/* Resource Manager result codes. */
enum {
    eofErr = -39,           /* a fork's data ends early */
    resNotFound = -192,     /* no such resource, or the handle is not a resource */
    resFNotFound = -193,    /* no such resource file */
    mapReadErr = -199,      /* the fork's map is malformed */
};

short  OpenResFile(ConstStr255Param fileName);   /* open a registered fork; its refNum (-1 on error); it becomes current */
void   CloseResFile(short refNum);               /* release every resource read from it and close it */
short  CurResFile(void);                         /* the current resource file */
void   UseResFile(short refNum);                 /* make refNum current */
OSErr  ResError(void);                           /* result of the last Resource Manager call */
void   SetResLoad(Boolean load);                 /* false: Get* return empty handles, LoadResource reads */

Handle GetResource(ResType theType, short theID);               /* search the chain from the current file down */
Handle Get1Resource(ResType theType, short theID);              /* the current file only */
Handle GetNamedResource(ResType theType, ConstStr255Param name); /* by name (case-insensitive) */
Handle Get1NamedResource(ResType theType, ConstStr255Param name);
Handle GetIndResource(ResType theType, short index);            /* 1..CountResources over the chain */
Handle Get1IndResource(ResType theType, short index);
short  CountResources(ResType theType);
short  Count1Resources(ResType theType);

void   LoadResource(Handle theResource);         /* read it (back) in if it is empty */
void   ReleaseResource(Handle theResource);      /* dispose of the handle; the resource can be read again */
void   DetachResource(Handle theResource);       /* the handle stops being a resource and is the caller's */
void   GetResInfo(Handle theResource, short *theID, ResType *theType, Str255 name);
short  GetResAttrs(Handle theResource);
long   SizeResource(Handle theResource);         /* bytes on disk; -1 on error */
long   GetResourceSizeOnDisk(Handle theResource);
short  HomeResFile(Handle theResource);          /* its file's refNum; -1 if not a resource */

/* ---- not in Inside Macintosh: where forks come from ---------------------- */

/* Check fork[0..len) as a resource fork: noErr, or mapReadErr/eofErr with
 * *why (if not NULL) set to a sentence naming what is wrong. Reads nothing
 * outside the buffer. */
OSErr  rm_check_fork(const void *fork, long len, const char **why);

/* Make fork[0..len) openable as `name` (a C string). The bytes must stay
 * valid and unchanged while registered. Checks it first (rm_check_fork).
 * paramErr when the name is taken or the table is full. */
OSErr  rm_register_fork(const char *name, const void *fork, long len, const char **why);

/* Forget every registered fork and close every open file (tests). */
void   rm_reset(void);

#endif
