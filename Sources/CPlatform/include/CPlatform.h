#ifndef REUNITE_CPLATFORM_H
#define REUNITE_CPLATFORM_H

#include <malloc.h>

/// Asks the processor to bring the memory at `address` into its caches ahead of use. Swift has
/// no way to say this; the candidate index's scoring loop waits on memory more than it computes.
static inline void reunite_prefetch(const void *address) { __builtin_prefetch(address, 0, 3); }

/// Has malloc grow its heaps by at least `bytes` at a time (glibc's M_TOP_PAD), which Swift's
/// Glibc module does not reach: `malloc.h` is not in it.
static inline void reunite_grow_heaps_by(int bytes) { mallopt(M_TOP_PAD, bytes); }

#endif
