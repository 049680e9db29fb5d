/*
 * Memory.h - the include name System 7-era source uses for the Memory
 * Manager; everything is in MacMemory.h.
 */
#ifndef MEMORY_H
#define MEMORY_H

#include "MacMemory.h"

#endif
